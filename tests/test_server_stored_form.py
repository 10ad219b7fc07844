"""A workbook scored through the server add-in comes back to the bureau: recalc, audit, freeze.

Office.js custom functions live in the add-in's namespace: a department types
``=JIXIAO.SCORE_PROCUREMENT(C5,D5)``, and Excel saves a call it resolved through the add-in
as ``_xldudf_JIXIAO_SCORE_PROCUREMENT(C5,D5)`` (the namespace's dot becomes "_"; the form
Excel writes for a resolved ``=CONTOSO.ADD(1,2)`` is ``_xldudf_CONTOSO_ADD(1,2)``, in a
single-cell array formula with ``cm="1"`` in Microsoft 365). These tests turn the seed
example into that stored form and expect the seed report's numbers (1.98 for 政府采购,
98.97 in total, 优) from every command. They need no server and run without the extra.
"""
from __future__ import annotations

import re

import pytest

import udfs
from batch_departments import (
    GRADE_CELL, PROCUREMENT_CELL, SCORE_SHEET, TOTAL_CELL, TRADE_UNION, Department, cached, rezip, set_cached_value,
    write_department,
)
from package_builders import build_package, read_parts, sheet_xml, strip_formula_results
from xladdin import cli
from xladdin.engine import catalogue_function
from xladdin.server import NAMESPACE
from xladdin.xlsx import WorkbookPackage

STORED_PREFIX = f"_xldudf_{NAMESPACE}_"
_FORMULA = re.compile(r"(<f\b[^>]*>)(.*?)(</f>)", re.S)
_CALL = re.compile(r"(?<![\w.])([A-Z_]+)\(")


def as_saved_through_the_server_addin(text: str) -> tuple[str, int]:
    """A worksheet's formulas with every catalogue call in Excel's stored Office.js form."""
    calls = 0

    def call(m):
        nonlocal calls
        if m.group(1) not in udfs.CATALOGUE:
            return m.group(0)
        calls += 1
        return f"{STORED_PREFIX}{m.group(1)}("

    def formula(m):
        return m.group(1) + _CALL.sub(call, m.group(2)) + m.group(3)

    return _FORMULA.sub(formula, text), calls


def save_through_the_server_addin(path):
    """Rewrites ``path`` as Excel saves it after the server add-in calculated it: the same
    stored values, every catalogue call in the stored Office.js form."""
    parts = read_parts(path)
    total_calls = 0
    for name in [n for n in parts if n.startswith("xl/worksheets/sheet")]:
        text, calls = as_saved_through_the_server_addin(parts[name].decode("utf-8"))
        parts[name] = text.encode("utf-8")
        total_calls += calls
    assert total_calls >= 43  # 21 scores, 21 notes and the grade at least
    rezip(path, parts)
    assert f"{STORED_PREFIX}SCORE_PROCUREMENT(" in read_parts(path)["xl/worksheets/sheet1.xml"].decode()


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """The seed example as Excel saves it after the server add-in calculated it."""
    path = tmp_path_factory.mktemp("server-add-in") / "总工会.xlsx"
    assert cli.main(["example", "-o", str(path)]) == 0
    save_through_the_server_addin(path)
    return path


def test_the_stored_name_is_the_catalogue_function_under_any_namespace():
    assert catalogue_function(f"{STORED_PREFIX}SCORE_RATIO") == "SCORE_RATIO"
    assert catalogue_function(f"{STORED_PREFIX}SCORE_RATIO_NOTE") == "SCORE_RATIO_NOTE"  # not SCORE_RATIO
    assert catalogue_function("_xldudf_OTHER_BUREAU_SCORE_GRADE") == "SCORE_GRADE"
    assert catalogue_function(f"{NAMESPACE}.SCORE_GRADE") == "SCORE_GRADE"  # typed while the add-in was not loaded
    assert catalogue_function(f"{STORED_PREFIX}NOT_OURS") is None
    assert catalogue_function(f"{STORED_PREFIX}SUM") is None  # another add-in's SUM, not Excel's, not ours


def test_recalc_computes_the_stored_calls(saved, tmp_path, capsys):
    blank = tmp_path / "原件" / saved.name
    blank.parent.mkdir()
    parts = read_parts(saved)
    parts["xl/worksheets/sheet1.xml"] = strip_formula_results(parts["xl/worksheets/sheet1.xml"])
    blank.write_bytes(saved.read_bytes())
    rezip(blank, parts)
    assert cached(blank, PROCUREMENT_CELL, TOTAL_CELL) == [None, None]

    assert cli.main(["recalc", str(blank), "-o", str(tmp_path / "重算"), "-j", "1"]) == 0

    out = capsys.readouterr().out
    assert "未重算" not in out
    result = tmp_path / "重算" / saved.name
    assert cached(result, PROCUREMENT_CELL, TOTAL_CELL, GRADE_CELL) == [1.98, TRADE_UNION.total, TRADE_UNION.grade]
    formula = WorkbookPackage.open(result).cells[(SCORE_SHEET, PROCUREMENT_CELL)].formula
    # the user's formula is kept as saved (the template checks the required 政策功能 cell first)
    assert f",{STORED_PREFIX}SCORE_PROCUREMENT(procurement_actual," in formula


def test_audit_passes_the_workbook_as_excel_saved_it(saved, capsys):
    assert cli.main(["audit", "-j", "1", str(saved)]) == cli.AUDIT_PASSED
    assert f"通过  {saved}" in capsys.readouterr().out


def test_audit_finds_a_stored_score_that_disagrees_with_the_rules(saved, tmp_path, capsys):
    edited = tmp_path / saved.name
    edited.write_bytes(saved.read_bytes())
    set_cached_value(edited, PROCUREMENT_CELL, "1.98", "2")

    assert cli.main(["audit", "-j", "1", str(edited)]) == cli.AUDIT_FINDINGS

    out = capsys.readouterr().out
    assert f"[不一致] {SCORE_SHEET}!{PROCUREMENT_CELL} 保存的值为 2，按规则重算为 1.98" in out
    assert "应为公式" not in out


def test_freeze_replaces_the_stored_calls_with_their_values(saved, tmp_path, capsys):
    out = tmp_path / "定稿" / saved.name
    out.parent.mkdir()
    assert cli.main(["freeze", str(saved), "-o", str(out), "-j", "1"]) == 0
    assert "43 个评分公式已替换为数值" in capsys.readouterr().out
    copy = WorkbookPackage.open(out)
    assert not [c for c in copy.formula_cells() if "_xldudf_" in c.formula.lower()]
    assert cached(out, PROCUREMENT_CELL, TOTAL_CELL, GRADE_CELL) == [1.98, TRADE_UNION.total, TRADE_UNION.grade]


def test_a_single_cell_array_formula_as_microsoft_365_saves_it(tmp_path, capsys):
    # 3 of 4 projects on time, of 6 points: 4.5
    sheet = sheet_xml(
        '<row r="1"><c r="A1"><v>3</v></c><c r="B1"><v>4</v></c></row>'
        f'<row r="2"><c r="A2" cm="1"><f t="array" ref="A2">{STORED_PREFIX}SCORE_RATIO(A1,B1,6)</f><v>0</v></c></row>'
    )
    src = build_package(tmp_path / "数组.xlsx", [("S", sheet)])
    assert cli.main(["recalc", str(src), "-o", str(tmp_path / "out"), "-j", "1"]) == 0
    assert "未重算" not in capsys.readouterr().out
    assert WorkbookPackage.open(tmp_path / "out" / src.name).cells[("S", "A2")].value == 4.5


def test_audit_catches_a_blank_input_that_excel_passed_as_zero(tmp_path, capsys):
    # Excel for Windows may hand a blank cell to a custom function as 0 (the web as null).
    # 采购计划金额 left blank then arrives as 0, and “如实际采购金额大于采购计划金额，本项得0分”
    # with 政策功能落实 是 (1 point) gives 1, which Excel saves. By the rules a blank required
    # input is #N/A: audit sees the difference.
    blank_plan = Department("空白.xlsx", TRADE_UNION.name, {"procurement_planned": None}, None, None)
    source = write_department(tmp_path / "原件", blank_plan)
    assert cli.main(["recalc", str(source), "-o", str(tmp_path / "收文"), "-j", "1"]) == 0
    path = tmp_path / "收文" / source.name
    parts = read_parts(path)
    sheet = parts["xl/worksheets/sheet1.xml"].decode("utf-8")
    cell = re.compile(rf'(<c r="{PROCUREMENT_CELL}"[^>]*?) t="e"(>.*?<v>)#N/A(</v>)', re.S)
    sheet, n = cell.subn(r"\g<1>\g<2>1\g<3>", sheet)
    assert n == 1
    parts["xl/worksheets/sheet1.xml"] = sheet.encode("utf-8")
    rezip(path, parts)
    save_through_the_server_addin(path)
    assert cached(path, PROCUREMENT_CELL) == [1]
    capsys.readouterr()

    assert cli.main(["audit", "-j", "1", str(path)]) == cli.AUDIT_FINDINGS

    assert f"[不一致] {SCORE_SHEET}!{PROCUREMENT_CELL} 保存的值为 1，按规则重算为 #N/A" in capsys.readouterr().out
