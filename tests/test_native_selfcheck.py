"""The self-check workbook (`xladdin selfcheck -o 自检.xlsx`), as a bureau uses it: the command
writes it (never over an existing file without --force, never half-written), the bureau
opens it in a spreadsheet that recalculates it (here LibreOffice headless, over planted stale
values, and this project's engine through `xladdin recalc`) and reads `selfcheck_failures`:
0 when every native formula agrees with the rules, more when something was broken."""
from __future__ import annotations

import contextlib
import io
import re
import shutil
import zipfile
from html import escape
from pathlib import Path

import pytest

from libreoffice import STALE, plant_stale_values, recalculated_xlsx, required_soffice
from udfs import catalogue as rules_catalogue
from workbook.native import scan, selfcheck
from workbook.native.entries import supported
from workbook.native.program import HELPER_SHEET, literal, quoted_sheet
from workbook.native.selfcheck_cases import ERROR_FORMULAS, Cell, Const, Omitted, Range, catalogue
from xladdin import cli, engine
from xladdin.xlsx import ErrorValue, WorkbookPackage

CHECK_COLUMNS = ("F", "I")


def run(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """自检.xlsx as `xladdin selfcheck -o 自检.xlsx` writes it, and what the command printed."""
    folder = tmp_path_factory.mktemp("selfcheck")
    target = folder / "自检.xlsx"
    code, out, err = run("selfcheck", "-o", target)
    assert code == 0, err
    return target, out


@pytest.fixture(scope="module")
def laid():
    return selfcheck.lay_out_all()


def check_rows(cells) -> list[int]:
    rows = sorted({int(ref[1:]) for sheet, ref in cells if sheet == selfcheck.SHEET and ref[0] == "F" and ref[1:].isdigit()})
    return [r for r in rows if r >= selfcheck.FIRST_ROW]


def named_value(pkg: WorkbookPackage, values: dict):
    sheet, ref = pkg.defined_names[selfcheck.FAILURES_NAME].replace("$", "").split("!")
    return values[(sheet.strip("'"), ref)]


def not_agreeing(values: dict, rows) -> list[str]:
    return [f"{col}{r}" for r in rows for col in CHECK_COLUMNS if values.get((selfcheck.SHEET, f"{col}{r}")) is not True]


# --------------------------------------------------------------------------- the command

def test_the_command_writes_the_workbook_and_says_in_chinese_how_to_use_it(written, laid):
    target, out = written
    assert target.is_file() and [p.name for p in target.parent.iterdir()] == [target.name]
    assert f"共 {len(laid)} 例" in out and f"{2 * len(laid)} 项检查" in out
    assert "F9" in out and "为 0" in out and selfcheck.FAILURES_NAME in out and "Excel 2010" in out and "WPS" in out
    for name in selfcheck.not_covered():
        assert name in out  # a function without a native version is named, not silently left out
    with pytest.raises(SystemExit):
        run("selfcheck", "-h")
    help_text = cli.build_parser().format_help()
    assert "selfcheck" in help_text and "生成自检工作簿" in help_text


def test_the_command_never_overwrites_without_force_nor_leaves_a_half_written_file(tmp_path, monkeypatch):
    target = tmp_path / "自检.xlsx"
    target.write_bytes(b"a department's own workbook")
    code, out, err = run("selfcheck", "-o", target)
    assert code == 2 and "已存在" in err and "--force" in err and out == ""
    assert target.read_bytes() == b"a department's own workbook"
    code, _, err = run("selfcheck", "-o", tmp_path / "自检.xls")
    assert code == 2 and "应以 .xlsx 结尾" in err and "自检工作簿" in err

    def broken(path, cases=None):
        Path(path).write_bytes(b"half")
        raise RuntimeError("disk full")

    monkeypatch.setattr(selfcheck, "build_selfcheck", broken)
    code, _, err = run("selfcheck", "-o", target, "--force")
    assert code == 1 and "错误" in err and "Traceback" not in err
    assert target.read_bytes() == b"a department's own workbook"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["自检.xlsx"]  # no temporary file left behind
    monkeypatch.undo()
    fresh = tmp_path / "新" / "自检.xlsx"
    assert run("selfcheck", "-o", fresh)[0] == 0
    assert run("selfcheck", "-o", fresh, "--force")[0] == 0 and zipfile.is_zipfile(fresh)


# --------------------------------------------------------------------------- the workbook

def test_nothing_stale_can_pass_and_the_expected_values_are_constants(written):
    target, _ = written
    with zipfile.ZipFile(target) as z:
        workbook_xml = z.read("xl/workbook.xml").decode()
        sheets = {name: z.read(part).decode() for name, part in _sheet_parts(z).items()}
    assert re.search(r'<calcPr[^>]*fullCalcOnLoad="1"', workbook_xml)
    name = re.search(r'<definedName[^>]*name="selfcheck_failures"[^>]*>([^<]*)<', workbook_xml)
    assert name and "localSheetId" not in name.group(0) and name.group(1) == "'自检'!$C$5"
    for sheet in (HELPER_SHEET, selfcheck.LABEL_SHEET):
        assert re.search(rf'<sheet[^>]*name="{sheet}"[^>]*state="hidden"', workbook_xml)
    for sheet, xml in sheets.items():
        cached = re.findall(r"<f>[^<]*</f><v>[^<]+</v>", xml)
        assert not cached, f"{sheet}: formulas with cached values {cached[:2]}"
    assert ' t="b"' not in sheets[selfcheck.DATA_SHEET]  # no logical input cells (LibreOffice has none)
    check = sheets[selfcheck.SHEET]
    expected_formulas = re.findall(r'<c r="[EH]\d+"[^>]*><f>([^<]*)</f>', check)
    assert expected_formulas and set(expected_formulas) <= {"#N/A", "#VALUE!", "#DIV/0!"}  # errors as error constants only
    assert scan.scan_package(target) == []  # only what Excel 2010, WPS and LibreOffice all compute, within Excel's limits
    header = WorkbookPackage.open(target).cells[(selfcheck.SHEET, "A2")].value
    assert "F9" in header and "开始计算" in header and "为 0" in header and "WPS" in header and "Excel 2010" in header


def _sheet_parts(z: zipfile.ZipFile) -> dict:
    workbook_xml = z.read("xl/workbook.xml").decode()
    rels = z.read("xl/_rels/workbook.xml.rels").decode()
    targets = {m[0]: m[1] for m in re.findall(r'<Relationship[^>]*Id="([^"]+)"[^>]*Target="([^"]+)"', rels)}
    targets.update({m[1]: m[0] for m in re.findall(r'<Relationship[^>]*Target="([^"]+)"[^>]*Id="([^"]+)"', rels)})
    parts = {}
    for name, rid in re.findall(r'<sheet[^>]*name="([^"]+)"[^>]*r:id="([^"]+)"', workbook_xml):
        target = targets[rid].lstrip("/")
        parts[name] = target if target.startswith("xl/") else "xl/" + target
    return parts


def test_the_cases_cover_every_supported_function(laid):
    counts = selfcheck.case_counts()
    assert set(counts) == supported(), "every function with a native translation is in the self-check"
    assert all(n >= 15 for n in counts.values()), counts
    assert 300 <= sum(counts.values()) <= 800 and sum(counts.values()) == len(laid)
    in_catalogue = {case.function for case in catalogue()}
    assert {entry.name for entry in rules_catalogue.ENTRIES} <= in_catalogue, "cases ready for every catalogue function"
    assert selfcheck.not_covered() == [e.name for e in rules_catalogue.ENTRIES if e.name not in supported()]
    topics = {case.topic for case in catalogue()}
    assert {"边界前后一分", "浮点陷阱", "输入方式", "不涉及", "错误输入"} <= topics
    raws = [v for case in catalogue() for r in case.raw for v in (r if isinstance(r, tuple) else (r,))]
    for wanted in ("14,750", "１４，７５０", "95%", "1.5万元", "是", "否", "不涉及", None, "abc", "=1/0", "=NA()", 10_000_000_000):
        assert wanted in raws, wanted
    assert not any(isinstance(v, bool) for v in raws)


def test_the_expected_values_are_the_add_in_functions_results_in_a_workbook(laid):
    """The constants (computed by the catalogue with the arguments as Excel hands them) are what
    the add-in functions give when a workbook calls them on the same input cells."""
    # a text far right: this engine cuts a range reaching past the sheet's last used column
    # (a trailing blank of the last target row would otherwise be missing from the call)
    cells, formulas = {(selfcheck.DATA_SHEET, "AZ1"): "used"}, {}
    for one in laid:
        for column, raw in one.inputs.items():
            ref = f"{_column(column)}{one.row}"
            if isinstance(raw, str) and raw in ERROR_FORMULAS:
                formulas[(selfcheck.DATA_SHEET, ref)] = raw[1:]
            elif raw is not None:
                cells[(selfcheck.DATA_SHEET, ref)] = raw
        call = ",".join(_argument_texts(one))
        formulas[("calls", f"A{one.row}")] = f"{one.case.function}({call})"
        formulas[("calls", f"B{one.row}")] = f"{one.case.function}_NOTE({call})"
    values = engine.calculate(cells, formulas, sheet_names=[selfcheck.DATA_SHEET, "calls"]).values
    differing = []
    for one in laid:
        score, note = selfcheck.expected(one.case)
        got_score, got_note = values[("calls", f"A{one.row}")], values[("calls", f"B{one.row}")]
        if isinstance(got_score, ErrorValue):
            got_score = str(got_score)
        if (got_score, got_note) != (score, note):
            differing.append((selfcheck.describe(one.case), (score, note), (got_score, got_note)))
    assert not differing, differing[:3]


def _column(n: int) -> str:
    from openpyxl.utils import get_column_letter
    return get_column_letter(n)


def _argument_texts(one) -> list[str]:
    texts, columns = [], iter(sorted(one.inputs))
    for spec in one.case.specs:
        if isinstance(spec, Cell):
            texts.append(f"{quoted_sheet(selfcheck.DATA_SHEET)}!{_column(next(columns))}{one.row}")
        elif isinstance(spec, Range):
            first = next(columns)
            for _ in range(spec.size - 1):
                last = next(columns)
            texts.append(f"{quoted_sheet(selfcheck.DATA_SHEET)}!{_column(first)}{one.row}:{_column(last)}{one.row}")
        elif isinstance(spec, Const):
            value = spec.value
            texts.append("{" + ";".join(",".join(literal(v) for v in row) for row in value) + "}" if isinstance(value, list) else literal(value))
        else:
            texts.append("")
    while texts and texts[-1] == "" and isinstance(one.case.specs[len(texts) - 1], Omitted):
        texts.pop()
    return texts


# --------------------------------------------------------------------------- recalculated

def test_recalculated_by_this_engine_every_check_agrees(written, tmp_path):
    target, _ = written
    out = tmp_path / "重算" / "自检.xlsx"
    code, printed, err = run("recalc", target, "-o", out, "-j", "1")
    assert code == 0, err
    assert "未重算" not in printed and "保留原值" not in printed
    pkg = WorkbookPackage.open(out)
    values = {key: cell.value for key, cell in pkg.cells.items()}
    rows = check_rows(values)
    assert named_value(pkg, values) == 0
    assert not not_agreeing(values, rows)
    assert values[(selfcheck.SHEET, selfcheck.AGREED_CELL)] == values[(selfcheck.SHEET, selfcheck.TOTAL_CELL)] == 2 * len(rows)
    assert values[(selfcheck.SHEET, selfcheck.VERDICT_CELL)].startswith("通过")


def _break(source: Path, target: Path, laid) -> dict:
    """A copy of ``source`` with four deliberate faults; returns {what: the check cell that must fail}."""
    by_row = {one.row: one for one in laid}
    numeric = [one for one in laid if isinstance(selfcheck.expected(one.case)[0], float)]
    errors = [one for one in laid if selfcheck.expected(one.case)[0] == "#N/A"]
    noted = [one for one in laid if selfcheck.expected(one.case)[1]]
    helper_case, score_case, note_case, error_case = numeric[3], numeric[40], noted[60], errors[2]
    assert len({helper_case.row, score_case.row, note_case.row, error_case.row}) == 4
    helper_ref = re.search(r"!\$?([A-Z]+)\$?(\d+)$", helper_case.score)
    assert helper_ref, helper_case.score  # the score cell is one helper cell
    helper_cell = f"{helper_ref[1]}{helper_ref[2]}"
    score = selfcheck.expected(score_case.case)[0]
    note = selfcheck.expected(note_case.case)[1]
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        parts = _sheet_parts(src)
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == parts[HELPER_SHEET]:
                data = _sub_once(data, rf'(<c r="{helper_cell}"[^>]*><f>)([^<]*)(</f>)', r"\1(\2)+0.01\3")  # a helper formula changed
            elif info.filename == parts[selfcheck.SHEET]:
                data = _sub_once(data, rf'(<c r="E{score_case.row}"[^>]*><v>)[^<]*(</v>)', rf"\g<1>{score + 0.01!r}\2")  # an expected score
                data = _sub_once(data, rf'<c r="H{note_case.row}"[^>]*>.*?</c>',
                                 f'<c r="H{note_case.row}" t="inlineStr"><is><t>{escape(note + "。", quote=False)}</t></is></c>')
                data = _sub_once(data, rf'(<c r="E{error_case.row}"[^>]*><f>)#N/A(</f>)', r"\1#VALUE!\2")  # an expected error
            dst.writestr(info, data)
    assert by_row
    return {"helper": f"F{helper_case.row}", "score": f"F{score_case.row}", "note": f"I{note_case.row}", "error": f"F{error_case.row}"}


def _sub_once(data: bytes, pattern: str, replacement: str) -> bytes:
    text, n = re.subn(pattern, replacement, data.decode("utf-8"), count=1)
    assert n == 1, pattern
    return text.encode("utf-8")


@pytest.fixture(scope="module")
def in_libreoffice(written, laid, tmp_path_factory):
    """The workbook and a broken copy, each recalculated by LibreOffice over planted stale values."""
    soffice = required_soffice("the self-check in LibreOffice")
    target, _ = written
    results = {}
    for kind in ("good", "broken"):
        workdir = tmp_path_factory.mktemp(f"libreoffice_{kind}")
        source = workdir / "自检.xlsx"
        faults = _break(target, source, laid) if kind == "broken" else {}
        if not faults:
            shutil.copyfile(target, source)
        planted = plant_stale_values(source)
        assert planted > 4 * len(laid)
        pkg = WorkbookPackage.open(recalculated_xlsx(soffice, source, workdir))
        results[kind] = (pkg, {key: cell.value for key, cell in pkg.cells.items()}, faults)
    return results


def test_opened_in_libreoffice_every_check_agrees_after_a_real_recalculation(in_libreoffice, laid):
    pkg, values, _ = in_libreoffice["good"]
    stale = [key for key, value in values.items() if isinstance(value, float) and value == STALE]
    assert not stale, f"LibreOffice left {len(stale)} cells unrecalculated, e.g. {stale[:3]}"
    rows = check_rows(values)
    assert len(rows) == len(laid)
    failing = not_agreeing(values, rows)
    assert not failing, [(ref, values.get((selfcheck.SHEET, "C" + ref[1:]))) for ref in failing[:5]]
    assert named_value(pkg, values) == 0
    assert values[(selfcheck.SHEET, selfcheck.AGREED_CELL)] == 2 * len(laid)
    assert values[(selfcheck.SHEET, selfcheck.VERDICT_CELL)] == f"通过：全部 {2 * len(laid)} 项检查一致"


def test_a_broken_copy_shows_its_failures_in_libreoffice(in_libreoffice):
    pkg, values, faults = in_libreoffice["broken"]
    rows = check_rows(values)
    failing = set(not_agreeing(values, rows))
    assert set(faults.values()) <= failing, (faults, sorted(failing))
    helper_row = faults["helper"][1:]
    assert failing - set(faults.values()) <= {f"I{helper_row}"}  # the changed helper may change that case's note too
    assert named_value(pkg, values) == len(failing) >= 4
    assert values[(selfcheck.SHEET, selfcheck.VERDICT_CELL)].startswith(f"未通过：{len(failing)} 项")
