"""A department that switches from the add-in template to the native one sees the same
scores, notes, subtotals, total and grade for the same inputs (issue 15).

Seeded input sets (the seed's figures, each input replaced now and then by typed text, a
blank, 不涉及, a wrong word, an error cell or a figure one 分 beside a boundary) are typed
into both kinds of the blank template. The add-in kind is computed by this engine with the
Python functions; the native kind by this engine and by LibreOffice headless (recalculated
over planted stale values, so a cell it did not compute shows). Every score, its note,
every subtotal, the total and the grade must agree; a native kind with a naive truncation
must not.
"""
from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from libreoffice import STALE, plant_stale_values, required_soffice, run_soffice
from workbook import build_template, load_example, load_framework
from workbook.names import TemplateCells
from workbook.native import entries
from workbook.native.entries import money
from workbook.native.program import Outcome, Program
from xladdin import engine
from xladdin.xlsx import ErrorValue, WorkbookPackage

FRAMEWORK = "longgang_2020"
SETS = 24
#: What a user may type, by the kind of input (beside the seed's own figures).
TYPED = {
    "amount": [0, None, "不涉及", "1.5万元", "１４，７５０", "abc", 29, 100, 98999999.99, 100000000, -5, "=1/0", 40588517, "14,750", 0.29],
    "count": [0, 1, 2, 3, None, "2", "abc", 1.5, -1, "不涉及"],
    "flag": ["是", "否", None, 0.5, 0.29, 1, 0, "√", "×", "x", "不涉及"],
    "status": ["按规定公开", "公开但不符合要求", "未公开", 2, 1, 0, None, "x"],
    "rate": [0.95, "95%", 0.9499, 0.8, "96.5%", 95, None, "abc", "0.95%"],
    "number": [None, 100, 95, "95%", 0.9, 1200, 1150, 3, "abc"],
    "direction": [None, "≥", "≤", "越小越好", "x"],
    "text": [None, "职工培训人次"],
}


def _kind(inp, column) -> str:
    return (column.kind if column is not None else inp.kind) or "text"


def input_sets() -> list[dict]:
    """Seeded sets of raw cell contents, name → value or list of values."""
    fw = load_framework(FRAMEWORK)
    seed = load_example("longgang_2020_seed")["values"]
    rng = random.Random(20201231)
    names = fw.names()
    sets = [{}]  # the seed itself
    for _ in range(SETS - 1):
        chosen = {}
        for name, (inp, column) in names.items():
            if rng.random() < 0.7:
                continue
            pool = TYPED.get(_kind(inp, column), TYPED["number"])
            if inp.is_range or column is not None:
                chosen[name] = "range:" + name  # filled cell by cell below
            else:
                chosen[name] = rng.choice(pool)
        sets.append(chosen)
    return [{"seed": seed, **s, "_seed": i} for i, s in enumerate(sets)]


def _write(template: Path, target: Path, values: dict, seed_cells: dict) -> None:
    """The template with the seed's figures (``seed_cells``) and then ``values`` typed in."""
    wb = load_workbook(template)
    fw = load_framework(FRAMEWORK)
    rng = random.Random(values["_seed"])  # the same cells for both kinds
    for name, (inp, column) in fw.names().items():
        sheet, cells = seed_cells[name]
        ws = wb[sheet]
        given = values.get(name)
        for i, (ref, seeded) in enumerate(cells):
            value = seeded
            if isinstance(given, str) and given.startswith("range:"):
                if rng.random() < 0.4:
                    value = rng.choice(TYPED.get(_kind(inp, column), TYPED["number"]))
            elif name in values:
                value = given
            cell = ws[ref]
            cell.value = value
            if isinstance(value, str) and not value.startswith("="):
                cell.data_type = "s"
    wb.save(target)


def _seed_cells(path: Path) -> dict:
    """name → (sheet, [(cell, the seed's value)]) of every input, read from the example workbook."""
    wb = load_workbook(path)
    fw = load_framework(FRAMEWORK)
    out = {}
    for name in fw.names():
        destinations = list(wb.defined_names[name].destinations)
        (sheet, ref), = destinations
        ws = wb[sheet]
        rows = ws[ref.replace("$", "")]
        if not isinstance(rows, tuple):
            rows = ((rows,),)
        cells = [c for row in rows for c in row]
        out[name] = (sheet, [(c.coordinate, c.value) for c in cells])
    return out


def _checked_cells(path: Path) -> dict:
    """What a user reads: label → (sheet, cell) of every score, note, subtotal, the total and the grade."""
    cells = TemplateCells.read({name: ref for name, ref in WorkbookPackage.open(path).defined_names.items()})
    checked = {f"{key} score": cell for key, cell in cells.scores.items()}
    checked.update({f"{key} note": cells.note_of(key) for key in cells.scores})
    checked.update({f"{key} subtotal": cell for key, cell in cells.subtotals.items()})
    checked.update({"total": cells.total, "grade": cells.grade})
    return checked


def _shown(value):
    if isinstance(value, ErrorValue):
        return str(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return "" if value is None else value


def _engine_values(path: Path) -> dict:
    results = engine.recalculate_package(WorkbookPackage.open(path))
    return results.values


def _differences(checked: dict, expected: dict, got: dict, where: str) -> list[str]:
    return [f"{where} {label}: expected {_shown(expected.get(cell))!r}, got {_shown(got.get(cell))!r}"
            for label, cell in checked.items() if _shown(expected.get(cell)) != _shown(got.get(cell))]


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    """Each input set typed into both kinds: [(add-in path, native path)], and the cells to compare."""
    root = tmp_path_factory.mktemp("equivalence")
    addin = build_template(FRAMEWORK, root / "addin.xlsx")
    native = build_template(FRAMEWORK, root / "native.xlsx", native=True)
    example = load_example("longgang_2020_seed")
    seeded = build_template(FRAMEWORK, root / "seeded.xlsx", values=example["values"], department=example["department"])
    seed_cells = _seed_cells(seeded)
    pairs = []
    for i, values in enumerate(input_sets()):
        a, n = root / f"addin_{i}.xlsx", root / f"native_{i}.xlsx"
        _write(addin, a, values, seed_cells)
        _write(native, n, values, seed_cells)
        pairs.append((a, n))
    return pairs, _checked_cells(native), seed_cells


@pytest.fixture(scope="module")
def expected(filled):
    pairs, _, _ = filled
    return [_engine_values(a) for a, _ in pairs]


def test_both_kinds_agree_in_this_engine_on_every_cell_a_user_reads(filled, expected):
    pairs, checked, _ = filled
    differences = []
    for i, (_, native) in enumerate(pairs):
        differences += _differences(checked, expected[i], _engine_values(native), f"set {i}")
    assert not differences, f"{len(differences)} of {len(pairs) * len(checked)} cells differ:\n" + "\n".join(differences[:8])


def test_the_input_sets_reach_errors_deductions_and_full_marks(filled, expected):
    pairs, checked, _ = filled
    values = [expected[i].get(cell) for i in range(len(pairs)) for label, cell in checked.items() if label.endswith("score")]
    notes = [expected[i].get(cell) for i in range(len(pairs)) for label, cell in checked.items() if label.endswith("note")]
    assert expected[0].get(checked["total"]) == 98.97  # the seed
    assert any(isinstance(v, ErrorValue) for v in values) and any(isinstance(v, float) for v in values)
    assert any(isinstance(n, str) and "请填写" in n for n in notes) and any(isinstance(n, str) and "扣" in n for n in notes)


def test_both_kinds_agree_in_libreoffice(filled, expected, tmp_path):
    soffice = required_soffice("the native template in LibreOffice")
    pairs, checked, _ = filled
    sources = []
    for i, (_, native) in enumerate(pairs):
        copy = tmp_path / native.name
        shutil.copy(native, copy)
        assert plant_stale_values(copy) > 5000
        sources.append(copy)
    outdir = tmp_path / "out"
    outdir.mkdir()
    run_soffice(soffice, ["--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(outdir), *map(str, sources)], tmp_path,
                recalculate="always", locale="zh-CN")
    differences = []
    for i, source in enumerate(sources):
        got = {key: cell.value for key, cell in WorkbookPackage.open(outdir / source.name).cells.items()}
        stale = [key for key, value in got.items() if isinstance(value, float) and value == STALE]
        assert not stale, f"LibreOffice left {len(stale)} cells of set {i} unrecalculated, e.g. {stale[:3]}"
        differences += _differences(checked, expected[i], got, f"set {i}")
    assert not differences, f"{len(differences)} of {len(pairs) * len(checked)} cells differ:\n" + "\n".join(differences[:8])


def _naive_procurement(p: Program, args) -> Outcome:
    """The execution rate truncated as INT(x*100)/100 on the float quotient."""
    exact = money.procurement(p, args)
    a, b = args[0].cells[0], args[1].cells[0]
    return Outcome(p.cell(f"IFERROR(INT(MIN({a}/{b},1)*100)/100+1,{exact.score})"), exact.note)


def test_a_native_kind_with_a_naive_truncation_is_caught(filled, expected, monkeypatch, tmp_path):
    pairs, checked, seed_cells = filled
    entries._load()
    monkeypatch.setitem(entries.TRANSLATIONS, "SCORE_PROCUREMENT", _naive_procurement)
    naive = build_template(FRAMEWORK, tmp_path / "naive.xlsx", native=True)
    values = {**input_sets()[0], "procurement_actual": 29, "procurement_planned": 100, "procurement_policy": "是"}
    addin_path, naive_path = tmp_path / "a.xlsx", tmp_path / "n.xlsx"
    _write(build_template(FRAMEWORK, tmp_path / "addin.xlsx"), addin_path, values, seed_cells)
    _write(naive, naive_path, values, seed_cells)
    differences = _differences(checked, _engine_values(addin_path), _engine_values(naive_path), "naive")
    assert any("procurement score" in d for d in differences)
