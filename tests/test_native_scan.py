"""The native template's last gate (workbook.native.scan): no formula that Excel 2010, WPS or
LibreOffice might not compute reaches a department.

What a bureau relies on: a disallowed function is found wherever a formula can live in a
saved .xlsx; a text that merely looks like a call is not; newer-Excel, add-in and volatile
functions, other workbooks and Excel's length and nesting limits are refused; the add-in
template is refused (the scan sees real template formulas); the native translations' helper
cells and the native template pass; and building the native template refuses (and removes)
a workbook that would not pass, while the add-in template is built as before."""
from __future__ import annotations

import re
import zipfile
from fractions import Fraction
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.formatting.rule import ColorScaleRule, FormulaRule
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.table import Table, TableColumn, TableFormula

import native_harness as h
from workbook.builder import SCORE_SHEET, build_template
from workbook.framework import load_framework
from workbook.native import entries, scan
from workbook.native.entries import NativeUnsupported
from workbook.native.program import HELPER_SHEET, Outcome, Program
from workbook.native.scan import ALLOWED_FUNCTIONS, MAX_FORMULA_LENGTH, MAX_NESTING, formula_problems, scan_package
from xladdin.cli import main

X14 = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"
XM = "http://schemas.microsoft.com/office/excel/2006/main"


def _rules(formula: str) -> set[tuple[str, str]]:
    return {(f.rule, f.subject) for f in formula_problems(formula)}


def _patch_sheet(path: Path, edit, part: str = "xl/worksheets/sheet1.xml") -> None:
    """Rewrite one part of the package (what openpyxl cannot write: shared formulas, x14)."""
    with zipfile.ZipFile(path) as package:
        parts = {info: package.read(info) for info in package.infolist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for info, data in parts.items():
            package.writestr(info, edit(data.decode("utf-8")).encode("utf-8") if info.filename == part else data)


def _replace_one(pattern: str, replacement: str, text: str) -> str:
    new, count = re.subn(pattern, replacement, text)
    assert count == 1, (pattern, text[:300])
    return new


# --------------------------------------------------------------------------- every location

#: (location, where it is reported, the disallowed function planted there); each a real
#: function that Excel 2010 has but the allow-list does not take.
PLANTED = {
    "cell": ("cell", "表一!B1", "CELL"),
    "shared formula": ("shared", "表一!D1（D1:D3）", "GESTEP"),
    "array formula": ("array", "表一!E1（E1:E2）", "DELTA"),
    "data validation formula1": ("validation", "表一!F1:F3", "INFO"),
    "data validation formula2": ("validation", "表一!G1", "PHONETIC"),
    "conditional format": ("conditional", "表一!H1:H5", "ISEVEN"),
    "conditional format cfvo": ("conditional", "表一!J1:J5", "ISODD"),
    "defined name": ("name", "定义名称 planted", "FIXED"),
    "sheet-scoped defined name": ("name", "定义名称 表一!local_planted", "DOLLAR"),
    "x14 data validation": ("validation", "表一!K1:K2", "WEEKDAY"),
    "x14 conditional format": ("conditional", "表一!L1", "NETWORKDAYS"),
    "table column formula": ("table", "表格1[合计]", "FACT"),
}

X14_EXTENSION = (
    f'<extLst><ext uri="{{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}}" xmlns:x14="{X14}">'
    f'<x14:dataValidations xmlns:xm="{XM}" count="1"><x14:dataValidation type="custom" allowBlank="1">'
    "<x14:formula1><xm:f>WEEKDAY(表二!$A$1)&gt;0</xm:f></x14:formula1><xm:sqref>K1:K2</xm:sqref>"
    "</x14:dataValidation></x14:dataValidations></ext>"
    f'<ext uri="{{78C0D931-6437-407d-A8EE-F0AAD7539E65}}" xmlns:x14="{X14}">'
    f'<x14:conditionalFormattings><x14:conditionalFormatting xmlns:xm="{XM}">'
    '<x14:cfRule type="expression" priority="9" id="{00000000-0000-0000-0000-000000000001}">'
    "<xm:f>NETWORKDAYS(1,表二!$A$1)&gt;5</xm:f><x14:dxf/></x14:cfRule><xm:sqref>L1</xm:sqref>"
    "</x14:conditionalFormatting></x14:conditionalFormattings></ext></extLst>"
)


@pytest.fixture(scope="module")
def planted(tmp_path_factory) -> list:
    """One workbook with a disallowed function in each place a formula can live, and the same
    places holding allowed formulas beside them (which must not be reported)."""
    path = tmp_path_factory.mktemp("planted") / "planted.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "表一"
    other = wb.create_sheet("表二")
    other["A1"] = 1
    ws["A1"] = 1
    ws["B1"] = '=CELL("filename",A1)'
    ws["B2"] = "=SUM(A1:A3)"
    ws["D1"], ws["D2"], ws["D3"] = "=1", "=2", "=3"  # become one shared formula below
    ws["E1"] = ArrayFormula("E1:E2", "=SUM(DELTA(A1:A2,1))")
    ws["E3"] = ArrayFormula("E3", "=SUM(IF(ISNUMBER(A1:A2),1,0))")
    custom = DataValidation(type="custom", formula1='INFO("osversion")<>""')
    custom.add("F1:F3")
    between = DataValidation(type="decimal", operator="between", formula1="0", formula2="PHONETIC(A1)")
    between.add("G1")
    listed = DataValidation(type="list", formula1='"是,否"')
    listed.add("G2")
    for dv in (custom, between, listed):
        ws.add_data_validation(dv)
    ws.conditional_formatting.add("H1:H5", FormulaRule(formula=["ISEVEN(A1)"]))
    ws.conditional_formatting.add("I1:I5", FormulaRule(formula=["AND(ISNUMBER(A1),A1<0)"]))
    ws.conditional_formatting.add("J1:J5", ColorScaleRule(start_type="formula", start_value="ISODD(1)", start_color="FF0000",
                                                          end_type="max", end_color="00FF00"))
    wb.defined_names["planted"] = DefinedName("planted", attr_text="FIXED('表一'!$A$1)")
    wb.defined_names["fine"] = DefinedName("fine", attr_text="'表一'!$A$1:$A$3")
    ws.defined_names["local_planted"] = DefinedName("local_planted", attr_text="DOLLAR('表一'!$A$1)")
    other["C1"], other["D1"], other["C2"], other["D2"] = "数", "合计", 1, 6
    table = Table(displayName="表格1", ref="C1:D2")
    table.tableColumns = [TableColumn(id=1, name="数"), TableColumn(id=2, name="合计", calculatedColumnFormula=TableFormula(attr_text="FACT(3)"))]
    table._initialise_columns = lambda: None  # keep the columns given
    other.add_table(table)
    wb.save(path)

    def edit(xml: str) -> str:
        xml = _replace_one(r'(<c r="D1"[^>]*>)<f>1</f>', r'\1<f t="shared" ref="D1:D3" si="0">GESTEP(A1)</f>', xml)
        xml = _replace_one(r'(<c r="D2"[^>]*>)<f>2</f>', r'\1<f t="shared" si="0"/>', xml)
        xml = _replace_one(r'(<c r="D3"[^>]*>)<f>3</f>', r'\1<f t="shared" si="0"/>', xml)
        return _replace_one(r"</worksheet>$", X14_EXTENSION + "</worksheet>", xml)

    _patch_sheet(path, edit)
    return scan_package(path)


@pytest.mark.parametrize("location", sorted(PLANTED))
def test_a_disallowed_function_is_reported_where_it_is(planted, location):
    kind, where, function = PLANTED[location]
    found = [p for p in planted if p.subject == function]
    assert found, f"{function} ({location}) not reported; reported: {[str(p) for p in planted]}"
    assert [(p.kind, p.where, p.rule) for p in found] == [(kind, where, "function")]
    assert function in found[0].message and "不在" in found[0].message and "Excel 2010" in found[0].message


def test_only_the_planted_functions_are_reported(planted):
    """The allowed formulas beside them (SUM, an array IF, a list validation, AND/ISNUMBER,
    names and sheets, the shared formula's other cells) are not reported."""
    assert sorted(p.subject for p in planted) == sorted(function for _, _, function in PLANTED.values())


def test_a_problem_names_its_place_in_chinese_first(planted):
    problem = next(p for p in planted if p.subject == "GESTEP")
    assert str(problem).startswith("表一!D1（D1:D3）（共享公式，xl/worksheets/sheet1.xml）：函数 GESTEP 不在")


# --------------------------------------------------------------------------- texts that look like calls

@pytest.mark.parametrize("formula", [
    'IF(A1="INDIRECT(",1,0)',
    'LEN("SCORE_X(A1)")',
    '"he said ""INDIRECT(A1)"" and ""OFFSET("""',
    "'INDIRECT(x'!A1+'SCORE_X( ''y'' )'!B2",
    "SUM('OFFSET(1'!A1:A3)",
    'IF(A1="_xlfn.IFS(",1,0)',
    '"[1]Sheet1!A1"&"x"',
    'TEXT(A1,"0.00""(""")',
    "{\"INDIRECT(\",1;2,3}",
])
def test_a_text_that_looks_like_a_call_is_not_reported(formula):
    assert formula_problems(formula) == []


def test_texts_that_look_like_calls_in_a_saved_workbook_are_not_reported(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "SCORE_X(INDIRECT("
    ws["A1"] = '="INDIRECT(" & "SCORE_GRADE(A1)"'
    ws["A2"] = "='SCORE_X(INDIRECT('!A1"
    dv = DataValidation(type="list", formula1='"INDIRECT(,SCORE_X(,是"')
    dv.add("B1")
    ws.add_data_validation(dv)
    wb.defined_names["looks"] = DefinedName("looks", attr_text='"OFFSET(A1,1,1)"')
    wb.save(tmp_path / "looks.xlsx")
    assert scan_package(tmp_path / "looks.xlsx") == []


# --------------------------------------------------------------------------- what is refused

@pytest.mark.parametrize("formula, rule, subject", [
    ("_xlfn.IFS(A1>1,1,TRUE,0)", "prefix", "_xlfn.IFS"),
    ("SUM(_xlfn._xlws.SORT(A1:A3))", "prefix", "_xlfn._xlws.SORT"),
    ("_xll.MYFUNC(A1)", "prefix", "_xll.MYFUNC"),
    ("_xlfn.LET(_xlpm.x,1,_xlpm.x)", "prefix", "_xlfn.LET"),
    ("_xldudf_JIXIAO_SCORE_GRADE(A1)", "prefix", "_xldudf_JIXIAO_SCORE_GRADE"),
    ("IF(ISNUMBER(A1),SCORE_GRADE(A1),NA())", "addin", "SCORE_GRADE"),
    ("score_procurement_note(A1,B1)", "addin", "score_procurement_note"),
    ("'udfs.xlam'!SCORE_GRADE(A1)", "addin", "SCORE_GRADE"),
    ("'other.xlam'!MYRATE(A1)", "qualified", "MYRATE"),
    ('SUM(INDIRECT("A1:A3"))', "refused", "INDIRECT"),
    ("SUM(OFFSET(A1,0,0,3,1))", "refused", "OFFSET"),
    ('INDIRECT ("A1")', "refused", "INDIRECT"),
    ("NOW ()-A1", "function", "NOW"),
    ("VLOOKUP(A1,B1:C9,2,FALSE)", "function", "VLOOKUP"),
    ("[1]Sheet1!A1+1", "external", "[1]"),
    ("SUM('[2]My sheet'!A1:A3)", "external", "[2]My sheet"),
    ("[1]!budget*2", "external", "[1]"),
    ("SUM([Book.xlsx]Sheet1!A1)", "external", "[Book.xlsx]"),
])
def test_newer_add_in_volatile_and_outside_formulas_are_refused(formula, rule, subject):
    assert (rule, subject) in _rules(formula)


def test_the_prefixed_and_add_in_names_are_refused_in_a_saved_workbook(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "=_xlfn.IFS(B1>1,1,TRUE,0)"
    ws["A2"] = "=SCORE_GRADE(B1)"
    wb.save(tmp_path / "newer.xlsx")
    found = {(p.where, p.rule, p.subject) for p in scan_package(tmp_path / "newer.xlsx")}
    assert found == {("Sheet!A1", "prefix", "_xlfn.IFS"), ("Sheet!A2", "addin", "SCORE_GRADE")}


def test_a_structured_reference_is_not_another_workbook():
    assert formula_problems("SUM(表格1[合计])+表格1[[#This Row],[数]]") == []


def test_a_reference_before_a_parenthesis_is_an_intersection_not_a_call():
    assert formula_problems("SUM(A1:B2 (B1:C3))+SUM(A:A (1:1))+SUM($B$2 ($A$1:$C$3))") == []


def test_every_allowed_function_passes():
    for name in ALLOWED_FUNCTIONS:
        assert formula_problems(f"{name}(1)") == [], name


# --------------------------------------------------------------------------- Excel's limits

def _of_length(n: int) -> str:
    tail = "+1" * ((n - 1) // 2)
    formula = "1" * (n - len(tail)) + tail
    assert len(formula) == n
    return formula


def _nested(levels: int, inner: str = "1") -> str:
    return "ABS(" * levels + inner + ")" * levels


def test_formula_length_is_at_most_8192_characters():
    assert MAX_FORMULA_LENGTH == 8192
    assert formula_problems(_of_length(8192)) == []
    assert formula_problems("=" + _of_length(8192)) == []  # the '=' is not stored
    assert {f.rule for f in formula_problems(_of_length(8193))} == {"length"}
    # Excel counts UTF-16 units: a character outside the BMP counts twice
    assert formula_problems('"' + "\U0001F600" * 4095 + '"') == []
    assert {f.rule for f in formula_problems('"' + "\U0001F600" * 4096 + '"')} == {"length"}


def test_function_nesting_is_at_most_64_levels():
    assert MAX_NESTING == 64
    assert formula_problems(_nested(64)) == []
    assert [(f.rule, f.subject) for f in formula_problems(_nested(65))] == [("nesting", "65")]
    # grouping parentheses and parentheses in strings and sheet names do not count
    assert formula_problems("(((" + _nested(64, "((1))") + ")))") == []
    assert formula_problems(_nested(63, 'LEN("((((((")')) == []
    assert formula_problems(_nested(63, "SUM('a(b(c'!A1:A2)")) == []
    assert [f.rule for f in formula_problems(_nested(64, 'LEN("((((((")'))] == ["nesting"]


def test_limits_are_checked_in_a_saved_workbook(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws["A1"], ws["A2"] = "=" + _of_length(8192), "=" + _of_length(8193)
    ws["B1"], ws["B2"] = "=" + _nested(64), "=" + _nested(65)
    wb.save(tmp_path / "limits.xlsx")
    found = {(p.where, p.rule) for p in scan_package(tmp_path / "limits.xlsx")}
    assert found == {("Sheet!A2", "length"), ("Sheet!B2", "nesting")}


@pytest.mark.parametrize("formula", ['IF(A1="x,1,0)', "SUM(A1:A2", "SUM(A1))", "'sheet!A1", "Table1[Col"])
def test_an_unreadable_formula_is_reported(formula):
    assert {f.rule for f in formula_problems(formula)} == {"syntax"}


# --------------------------------------------------------------------------- real templates

def test_the_add_in_template_is_reported_for_its_add_in_calls(tmp_path):
    """The scan reads the real template: every 得分 and 说明 cell calls SCORE_…, and the grade;
    nothing else in the add-in template is refused."""
    fw = load_framework("longgang_2020")
    problems = scan_package(build_template("longgang_2020", tmp_path / "addin.xlsx"))
    assert {p.rule for p in problems} == {"addin"}
    assert {p.where.split("!")[0] for p in problems} == {SCORE_SHEET}
    assert len(problems) == 2 * len(fw.indicators) + 1
    called = {p.subject for p in problems}
    assert {ind.call.function for ind in fw.indicators} | {"SCORE_GRADE"} <= called
    assert {ind.call.function + "_NOTE" for ind in fw.indicators} <= called


F = Fraction
#: A few calls of each translated function, with constant arguments as the framework writes them.
CALLS = {
    "checklist": ("SCORE_CHECKLIST", [h.Range(3), h.Const([[F(2), F(1), F("0.5")]])], [(["是", "否", 0.5],), ([None, "x", 1],)]),
    "deduct": ("SCORE_DEDUCT", [h.Const(F(5)), h.Cell()], [(1,), ("x",)]),
    "ratio": ("SCORE_RATIO", [h.Cell(), h.Cell(), h.Const(F(6))], [(9, 10), (None, 0)]),
    "grade": ("SCORE_GRADE", [h.Cell()], [(98.97,), ("x",)]),
    "tiers": ("SCORE_TIERS", [h.Cell(), h.Const([[F("0.9"), F("0.8")]]), h.Const([[F(6), F(4)]]), h.Const(F(0))], [(0.85,), ("95%",)]),
    "procurement": ("SCORE_PROCUREMENT", [h.Cell(), h.Cell(), h.Cell()], [(14750, 15000, None), ("1.48万", "不涉及", "是")]),
    "assets": ("SCORE_ASSET_UTILIZATION", [h.Cell(), h.Cell()], [(90, 100), ("不涉及", "不涉及")]),
    "fin": ("SCORE_FIN_COMPLIANCE", [h.Cell(), h.Cell(), h.Cell(), h.Cell(), h.Cell()], [("是", 1050, 10000, "是", None)]),
    "cost": ("SCORE_COST_CONTROL", [h.Cell(), h.Cell()], [(95, 100), (0, 0)]),
    "public": ("SCORE_PUBLIC_FUNDS", [h.Cell(), h.Cell(), h.Cell(), h.Cell()], [(95, 100, "不涉及", None)]),
    "quarterly": ("SCORE_QUARTERLY", [h.Range(4), h.Cell(), h.Cell()], [([1, 2, 3, 4], 10, "否")]),
    "satisfaction": ("SCORE_SATISFACTION", [h.Cell()], [(0.96,), ("0.96%",)]),
    "disclosure": ("SCORE_DISCLOSURE", [h.Cell(), h.Cell(), h.Cell()], [("是", "否", None)]),
    "staff": ("SCORE_STAFF_CONTROL", [h.Cell(), h.Cell()], [(10, 12)]),
    "contract": ("SCORE_CONTRACT_STAFF", [h.Cell(), h.Cell()], [(1, 12)]),
    "petitions": ("SCORE_PETITIONS", [h.Cell(), h.Cell(), h.Cell(), h.Cell()], [("是", 10, 9, 8)]),
    "targets": ("SCORE_TARGETS", [h.Range(20), h.Range(20), h.Range(20), h.Const(F(20)), h.Range(20)],
                [([95, "1,150", *[None] * 18], [100, 1200, *[None] * 18], [1, 2, *[None] * 18], ["≥", "≤", *[None] * 18])]),
}


def test_the_translations_helper_cells_pass_the_scan(tmp_path):
    fw = load_framework("longgang_2020")
    covered = {function for function, _, _ in CALLS.values()}
    assert {ind.call.function for ind in fw.indicators} | {"SCORE_GRADE"} <= covered <= entries.supported()
    shared, row, helper_row = h.Built({}, {}, {}, 0), 1, 1
    for function, specs, cases in CALLS.values():  # one workbook, each call's cases below the last
        built = h.build_cases(function, specs, cases, first_row=row, first_helper_row=helper_row, into=shared)
        row, helper_row = row + len(cases), built.next_helper_row
    helper_cells = [key for key in shared.formulas if key[0] == HELPER_SHEET]
    assert len(helper_cells) > 500
    h.write_workbook(shared, tmp_path / "native.xlsx")
    assert scan_package(tmp_path / "native.xlsx") == []
    # the same workbook with the add-in calls beside them: exactly those are reported
    h.write_workbook(shared, tmp_path / "with_calls.xlsx", with_functions=True)
    reported = scan_package(tmp_path / "with_calls.xlsx")
    assert reported and {p.rule for p in reported} == {"addin"}
    assert {re.sub(r"\d+$", "", p.where) for p in reported} == {f"{h.RESULTS}!A", f"{h.RESULTS}!B"}
    assert len(reported) == 2 * sum(len(cases) for _, _, cases in CALLS.values())


@pytest.mark.parametrize("framework", ["longgang_2020", "variant_linear_staff"])
def test_the_native_template_passes_the_scan(framework, tmp_path):
    path = build_template(framework, tmp_path / "native.xlsx", native=True)
    assert scan_package(path) == []
    with zipfile.ZipFile(path) as package:
        assert any(b"<f>" in package.read(n) for n in package.namelist() if n.startswith("xl/worksheets/"))


# --------------------------------------------------------------------------- the build refuses

def _unsafe(p: Program, args) -> Outcome:
    return Outcome(p.cell('SUM(INDIRECT("基础数据!C5:C9"))', "unsafe score"), '"_xlfn.IFS("')


@pytest.fixture
def translations(monkeypatch):
    """A copy of the registry of translations that a test may change."""
    entries._load()
    patched = dict(entries.TRANSLATIONS)
    monkeypatch.setattr(entries, "TRANSLATIONS", patched)
    return patched


def test_a_disallowed_function_never_reaches_a_user(translations, monkeypatch, tmp_path, capsys):
    monkeypatch.setitem(translations, "SCORE_PROCUREMENT", _unsafe)
    target = tmp_path / "native.xlsx"
    with pytest.raises(NativeUnsupported) as raised:
        build_template("longgang_2020", target, native=True)
    message = str(raised.value)
    assert message.startswith("生成的工作簿有 1 处公式不能保证在 Excel 2010、WPS 和 LibreOffice 中都能计算")
    assert f"{HELPER_SHEET}!B" in message and "INDIRECT" in message
    assert not target.exists()
    # the command line says so and writes nothing
    out = tmp_path / "cli.xlsx"
    assert main(["template", "--native", "-o", str(out)]) != 0
    err = capsys.readouterr().err
    assert "原生公式" in err and "INDIRECT" in err
    assert not out.exists() and not list(tmp_path.glob(".~*"))


def test_the_refusal_lists_the_first_five_problems(translations, monkeypatch, tmp_path):
    for name in ("SCORE_PROCUREMENT", "SCORE_DEDUCT", "SCORE_CHECKLIST"):
        monkeypatch.setitem(translations, name, _unsafe)
    with pytest.raises(NativeUnsupported) as raised:
        build_template("longgang_2020", tmp_path / "native.xlsx", native=True)
    message = str(raised.value)
    count = 1 + 3 + 6  # one procurement, three deductions, six checklists
    assert message.startswith(f"生成的工作簿有 {count} 处公式")
    assert message.count("INDIRECT") == scan.SHOWN and f"另有 {count - scan.SHOWN} 处" in message


def test_the_add_in_template_is_built_without_the_scan(monkeypatch, tmp_path):
    def refuse(path):
        raise AssertionError("the add-in template must not be scanned")

    monkeypatch.setattr(scan, "scan_package", refuse)
    assert build_template("longgang_2020", tmp_path / "addin.xlsx").exists()


def test_an_unreadable_package_is_a_clear_error(tmp_path):
    (tmp_path / "not.xlsx").write_bytes(b"not a zip")
    with pytest.raises(NativeUnsupported, match="不是有效的 .xlsx"):
        scan_package(tmp_path / "not.xlsx")
    wb = Workbook()
    wb.save(tmp_path / "broken.xlsx")
    _patch_sheet(tmp_path / "broken.xlsx", lambda xml: xml.replace("</sheetData>", "<row></sheetData>"))
    with pytest.raises(NativeUnsupported, match="xl/worksheets/sheet1.xml 不是有效的 XML"):
        scan_package(tmp_path / "broken.xlsx")


def test_the_scan_needs_only_the_standard_library():
    """The workbook layer never reaches up into xladdin, and the scan runs where lxml is not installed."""
    import ast
    import sys

    tree = ast.parse(Path(scan.__file__).read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level == 0}
    relative = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level > 0}
    assert imported <= set(sys.stdlib_module_names) | {"__future__"}, imported
    assert relative == {"entries"}
