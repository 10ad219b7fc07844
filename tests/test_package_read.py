"""Reading a department workbook: sheets, names, values and formulas."""

from __future__ import annotations

import openpyxl
import pytest
from openpyxl.workbook.defined_name import DefinedName

from package_builders import build_package, sheet_xml
from xladdin.xlsx import Cell, ErrorValue, PackageError, WorkbookPackage, shift_formula, split_ref


@pytest.fixture
def dept_xlsx(tmp_path):
    """A department workbook as the framework builder (openpyxl) makes it."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "基础数据"
    ws["A1"] = "年度预算数"
    ws["B1"] = 1200.5
    ws["A2"] = "全年执行数"
    ws["B2"] = 1100
    ws["A3"] = "是否公开"
    ws["B3"] = True
    ws["B4"] = "=B2/B1"
    ws["B5"] = '=IF(B3,"已公开","未公开")'
    ws2 = wb.create_sheet("评分")
    ws2["A1"] = "预算执行率得分"
    ws2["B1"] = "=MIN(基础数据!B4*10,10)"
    ws2["B2"] = "=预算数*0+得分上限"
    ws2["C1"] = 0.25
    wb.defined_names["预算数"] = DefinedName("预算数", attr_text="基础数据!$B$1")
    ws2.defined_names["得分上限"] = DefinedName("得分上限", attr_text="评分!$C$1")
    path = tmp_path / "部门A.xlsx"
    wb.save(path)
    return path


def test_sheets_names_and_defined_names(dept_xlsx):
    pkg = WorkbookPackage.open(dept_xlsx)
    assert pkg.sheet_names == ["基础数据", "评分"]
    assert pkg.defined_names["预算数"] == "基础数据!$B$1"
    # a sheet-local name is keyed "Sheet!name"
    assert pkg.defined_names["评分!得分上限"] == "评分!$C$1"
    assert pkg.path == str(dept_xlsx)


def test_values_and_formulas_from_openpyxl_workbook(dept_xlsx):
    pkg = WorkbookPackage.open(dept_xlsx)
    c = pkg.cells
    assert c[("基础数据", "A1")] == Cell("基础数据", "A1", None, "年度预算数")
    assert c[("基础数据", "B1")].value == 1200.5
    assert c[("基础数据", "B2")].value == 1100.0 and isinstance(c[("基础数据", "B2")].value, float)
    assert c[("基础数据", "B3")].value is True
    assert c[("基础数据", "B4")].formula == "B2/B1"
    assert c[("基础数据", "B4")].value is None  # openpyxl stores no cached value
    assert c[("基础数据", "B5")].formula == 'IF(B3,"已公开","未公开")'
    assert c[("评分", "B1")].formula == "MIN(基础数据!B4*10,10)"
    assert ("评分", "D9") not in c


def test_formula_cells_in_sheet_and_document_order(dept_xlsx):
    pkg = WorkbookPackage.open(dept_xlsx)
    refs = [(x.sheet, x.ref) for x in pkg.formula_cells()]
    assert refs == [("基础数据", "B4"), ("基础数据", "B5"), ("评分", "B1"), ("评分", "B2")]
    # a copy each time: callers may mutate it
    pkg.formula_cells().clear()
    assert len(pkg.formula_cells()) == 4


def test_cached_value_types(tmp_path):
    data = (
        '<row r="1">'
        '<c r="A1"><v>3.5</v></c>'
        '<c r="B1" t="n"><v>-2E-3</v></c>'
        '<c r="C1" t="b"><v>0</v></c>'
        '<c r="D1" t="e"><v>#DIV/0!</v></c>'
        '<c r="E1" t="str"><f>"a"&amp;"&lt;b&gt;"</f><v>a&lt;b&gt;</v></c>'
        '<c r="F1" t="inlineStr"><is><t>内联</t></is></c>'
        '<c r="G1" t="inlineStr"><is><r><t>富</t></r><r><rPr><b/></rPr><t xml:space="preserve">文本 </t></r></is></c>'
        '<c r="H1" t="e"><f>NA()</f><v>#N/A</v></c>'
        '<c r="I1" s="1"/>'
        '<c r="J1" t="d"><v>2024-03-01T00:00:00</v></c>'
        '<c r="K1" t="str"><v>line_x000D_break</v></c>'
        "</row>"
    )
    path = build_package(tmp_path / "types.xlsx", [("表", sheet_xml(data))])
    c = WorkbookPackage.open(path).cells
    assert c[("表", "A1")].value == 3.5
    assert c[("表", "B1")].value == -0.002
    assert c[("表", "C1")].value is False
    err = c[("表", "D1")].value
    assert isinstance(err, ErrorValue) and err == "#DIV/0!"
    assert repr(err) == "ErrorValue('#DIV/0!')"
    assert c[("表", "E1")] == Cell("表", "E1", '"a"&"<b>"', "a<b>")
    assert c[("表", "F1")].value == "内联"
    assert c[("表", "G1")].value == "富文本 "
    assert c[("表", "H1")].formula == "NA()" and isinstance(c[("表", "H1")].value, ErrorValue)
    assert ("表", "I1") not in c  # styled but empty
    assert c[("表", "J1")].value == 45352.0  # 2024-03-01 as an Excel serial
    assert c[("表", "K1")].value == "line\rbreak"


def test_shared_strings_plain_rich_and_phonetic(tmp_path):
    sst = [
        "<t>部门名称</t>",
        '<r><t>预算</t></r><r><rPr><i/></rPr><t xml:space="preserve"> 执行率</t></r>',
        "<t>漢字</t><rPh sb=\"0\" eb=\"2\"><t>かんじ</t></rPh>",
        "<t/>",
        "<t>a_x005F_x0041_b</t>",
    ]
    data = '<row r="1">' + "".join(f'<c r="{col}1" t="s"><v>{i}</v></c>' for i, col in enumerate("ABCDE")) + "</row>"
    path = build_package(tmp_path / "sst.xlsx", [("S", sheet_xml(data))], shared_strings=sst)
    c = WorkbookPackage.open(path).cells
    assert [c[("S", f"{col}1")].value for col in "ABCDE"] == ["部门名称", "预算 执行率", "漢字", "", "a_x0041_b"]


def test_cells_and_rows_without_r_follow_the_previous_one(tmp_path):
    data = (
        '<row r="2"><c r="B2"><v>1</v></c><c><v>2</v></c><c><f>B2+C2</f><v>3</v></c></row>'
        "<row><c><v>4</v></c><c r=\"E3\"><v>5</v></c><c><v>6</v></c></row>"
    )
    path = build_package(tmp_path / "nor.xlsx", [("S", sheet_xml(data))])
    c = WorkbookPackage.open(path).cells
    assert {k[1]: v.value for k, v in c.items()} == {"B2": 1, "C2": 2, "D2": 3, "A3": 4, "E3": 5, "F3": 6}
    assert c[("S", "D2")].formula == "B2+C2"


SHARED = (
    '<row r="1"><c r="A1"><v>1</v></c><c r="B1"><v>2</v></c>'
    '<c r="C1"><f t="shared" ref="C1:D3" si="0">A1+$B$1+\'其他 表\'!A1&amp;"A1"+rate+LOG10(B$1)+SUM(A:A)</f><v>5</v></c>'
    '<c r="D1"><f t="shared" si="0"/><v>6</v></c></row>'
    '<row r="2"><c r="C2"><f t="shared" si="0"/><v>7</v></c><c r="D2"><f t="shared" si="0"></f><v>8</v></c>'
    '<c r="E2"><f t="shared" ref="E2:E3" si="1">基础数据!$B2*E1</f><v>1</v></c></row>'
    '<row r="3"><c r="C3"><f t="shared" si="0"/></c><c r="D3"><f t="shared" si="0"/><v>9</v></c>'
    '<c r="E3"><f t="shared" si="1"/><v>2</v></c></row>'
)


def test_shared_formulas_are_expanded_per_cell(tmp_path):
    path = build_package(
        tmp_path / "shared.xlsx",
        [("S", sheet_xml(SHARED)), ("其他 表", sheet_xml("")), ("基础数据", sheet_xml(""))],
        defined_names='<definedName name="rate">基础数据!$A$1</definedName>',
    )
    c = WorkbookPackage.open(path).cells
    master = "A1+$B$1+'其他 表'!A1&\"A1\"+rate+LOG10(B$1)+SUM(A:A)"
    assert c[("S", "C1")].formula == master
    assert c[("S", "D1")].formula == "B1+$B$1+'其他 表'!B1&\"A1\"+rate+LOG10(C$1)+SUM(B:B)"
    assert c[("S", "C2")].formula == "A2+$B$1+'其他 表'!A2&\"A1\"+rate+LOG10(B$1)+SUM(A:A)"
    assert c[("S", "D3")].formula == "B3+$B$1+'其他 表'!B3&\"A1\"+rate+LOG10(C$1)+SUM(B:B)"
    assert c[("S", "C3")].formula == "A3+$B$1+'其他 表'!A3&\"A1\"+rate+LOG10(B$1)+SUM(A:A)"
    assert c[("S", "C3")].value is None  # no cached value, still a formula cell
    assert c[("S", "E3")].formula == "基础数据!$B3*E2"
    assert c[("S", "D2")].value == 8.0


@pytest.mark.parametrize(
    ("formula", "rows", "cols", "expected"),
    [
        ("A1+B2", 1, 1, "B2+C3"),
        ("$A$1+$A1+A$1", 2, 3, "$A$1+$A3+D$1"),
        ("SUM(A1:B2)/COUNT(A1:B2)", 1, 0, "SUM(A2:B3)/COUNT(A2:B3)"),
        ('IF(A1="A1",1,0)', 1, 0, 'IF(A2="A1",1,0)'),
        ('"say ""B2"""&B2', 1, 0, '"say ""B2"""&B3'),
        ("'My Sheet'!A1*基础数据!$B2", 1, 1, "'My Sheet'!B2*基础数据!$B3"),
        ("'it''s'!A1", 1, 0, "'it''s'!A2"),
        ("LOG10(A1)+rate+总分+Sheet1!A1", 1, 1, "LOG10(B2)+rate+总分+Sheet1!B2"),
        ("SUM(A:A)+SUM($B:C)", 0, 1, "SUM(B:B)+SUM($B:D)"),
        ("SUM(1:1)+SUM($2:3)", 1, 0, "SUM(2:2)+SUM($2:4)"),
        ("Table1[@金额]+Table1[[#This Row],[a]]+A1", 1, 0, "Table1[@金额]+Table1[[#This Row],[a]]+A2"),
        ("[1]Sheet1!A1", 1, 0, "[1]Sheet1!A2"),
        ("1.5E+3+A1*2%", 1, 0, "1.5E+3+A2*2%"),
        ("#REF!+#N/A+A1", 1, 0, "#REF!+#N/A+A2"),
        ("_xlfn.XLOOKUP(A1,B:B,C:C)", 2, 0, "_xlfn.XLOOKUP(A3,B:B,C:C)"),
        ("TRUE+ABCD1", 1, 1, "TRUE+ABCD1"),
        ("XFD1+A1048576", 1, 1, "#REF!+#REF!"),
        ("Sheet1:Sheet3!A1", 1, 0, "Sheet1:Sheet3!A2"),
    ],
)
def test_shift_formula(formula, rows, cols, expected):
    assert shift_formula(formula, rows, cols) == expected


def test_array_formula_stays_on_its_master(tmp_path):
    data = (
        '<row r="1"><c r="A1"><v>1</v></c><c r="C1"><f t="array" ref="C1:C3">A1:A3*2</f><v>2</v></c></row>'
        '<row r="2"><c r="A2"><v>2</v></c><c r="C2"><v>4</v></c></row>'
        '<row r="3"><c r="A3"><v>3</v></c><c r="C3" s="1"/></row>'
        '<row r="4"><c r="C4"><v>99</v></c></row>'
    )
    path = build_package(tmp_path / "array.xlsx", [("S", sheet_xml(data))])
    pkg = WorkbookPackage.open(path)
    c = pkg.cells
    assert c[("S", "C1")] == Cell("S", "C1", "A1:A3*2", 2.0, "C1:C3")
    assert c[("S", "C2")] == Cell("S", "C2", None, 4.0)
    assert [x.ref for x in pkg.formula_cells()] == ["C1"]
    # the array's other cells take results; cells outside it don't
    assert pkg.writable("S", "C2") and pkg.writable("S", "C3")
    assert not pkg.writable("S", "C4") and not pkg.writable("S", "A1")


def test_prefixed_namespace_and_single_quotes(tmp_path):
    data = "<row r='1'><c r='A1' t='s'><v>0</v></c><c r='B1'><f>A1&amp;\"!\"</f><v>x</v></c></row>"
    path = build_package(tmp_path / "prefix.xlsx", [("P", sheet_xml(data, prefix="x"))], shared_strings=["<t>hi</t>"])
    c = WorkbookPackage.open(path).cells
    assert c[("P", "A1")].value == "hi"
    assert c[("P", "B1")].formula == 'A1&"!"'


def test_strict_ooxml_namespace(tmp_path):
    strict = "http://purl.oclc.org/ooxml/spreadsheetml/main"
    xml = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="{strict}">'
        '<sheetData><row r="1"><c r="A1"><v>7</v></c><c r="B1"><f>A1*2</f><v>14</v></c></row></sheetData></worksheet>'
    )
    wb = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<workbook xmlns="{strict}" xmlns:r="http://purl.oclc.org/ooxml/officeDocument/relationships">'
        '<sheets><sheet name="严格" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    path = build_package(tmp_path / "strict.xlsx", [("严格", xml)], workbook_xml=wb)
    pkg = WorkbookPackage.open(path)
    assert pkg.sheet_names == ["严格"]
    assert pkg.cells[("严格", "B1")] == Cell("严格", "B1", "A1*2", 14.0)


def test_local_defined_names_and_1904_dates(tmp_path):
    names = (
        '<definedName name="单位">二!$A$1</definedName>'
        '<definedName name="单位" localSheetId="1">二!$B$1</definedName>'
        '<definedName name="_xlnm.Print_Area" localSheetId="0">一!$A$1:$C$9</definedName>'
    )
    wb_tail = names
    path = build_package(tmp_path / "names.xlsx", [("一", sheet_xml("")), ("二", sheet_xml(""))], defined_names=wb_tail)
    pkg = WorkbookPackage.open(path)
    assert pkg.defined_names == {"单位": "二!$A$1", "二!单位": "二!$B$1", "一!_xlnm.Print_Area": "一!$A$1:$C$9"}
    assert pkg.date1904 is False


def test_split_ref():
    assert split_ref("B3") == (3, 2)
    assert split_ref("$XFD$1048576") == (1048576, 16384)
    with pytest.raises(ValueError):
        split_ref("名称")


def test_reading_a_filled_down_column_of_formulas(tmp_path):
    """Each formula of a filled-down column reads back with its own references."""
    wb = openpyxl.Workbook()
    ws = wb.active
    for i in range(1, 101):
        ws.cell(i, 1, i * 1.5)
    for i in range(1, 61):
        ws.cell(i, 2, f"=A{i}*2+SUM(A1:A{i})")
    path = tmp_path / "speed.xlsx"
    wb.save(path)
    pkg = WorkbookPackage.open(path)
    assert len(pkg.formula_cells()) == 60
    assert pkg.cells[("Sheet", "B60")].formula == "A60*2+SUM(A1:A60)"  # speed: scripts/bench_recalc.py


def test_package_error_carries_message_and_path(tmp_path):
    missing = tmp_path / "不存在.xlsx"
    with pytest.raises(PackageError) as ei:
        WorkbookPackage.open(missing)
    assert ei.value.path == str(missing)
    assert "不存在.xlsx" in ei.value.message_zh
    assert str(ei.value) == ei.value.message_zh


@pytest.mark.parametrize("placeholder", [
    '<sheet name="Macro1" sheetId="2" state="veryHidden" r:id=""/>',  # as Excel writes it
    '<sheet name="Macro1" sheetId="2" state="veryHidden"/>',          # no r:id at all
])
def test_a_placeholder_sheet_of_a_hidden_macro_sheet_is_skipped(tmp_path, placeholder):
    """Excel saves a hidden legacy macro sheet it cannot write into the package as a <sheet>
    without a part and opens the file again: the workbook is read, the placeholder has no
    cells (it is no sheet of the package), a reference to it is #REF! ("#REF! error": a
    reference to a cell that is not valid), and a localSheetId still counts it."""
    from package_builders import NS_MAIN, NS_R
    from xladdin.cli import main

    workbook_xml = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{NS_MAIN}" xmlns:r="{NS_R}">'
        f'<sheets>{placeholder}<sheet name="数据" sheetId="1" r:id="rId1"/></sheets>'
        '<definedNames><definedName name="倍数" localSheetId="1">数据!$A$1</definedName>'
        '<definedName name="宏值">Macro1!$A$1</definedName></definedNames>'
        '<calcPr calcId="191029"/></workbook>'
    )
    data = ('<row r="1"><c r="A1"><v>2</v></c><c r="B1"><f>A1*21</f><v>0</v></c>'
            '<c r="C1"><f>Macro1!A1</f><v>0</v></c><c r="D1"><f>COUNTIF(Macro1!A1:A3,1)</f><v>0</v></c>'
            '<c r="E1"><f>宏值</f><v>0</v></c><c r="F1"><f>倍数*3</f><v>0</v></c></row>')
    src = build_package(tmp_path / "placeholder.xlsx", [("数据", sheet_xml(data))], workbook_xml=workbook_xml)
    pkg = WorkbookPackage.open(src)
    assert pkg.sheet_names == ["数据"]
    assert pkg.defined_names["数据!倍数"] == "数据!$A$1"
    assert not any(sheet == "Macro1" for sheet, _ in pkg.cells)

    assert main(["recalc", str(src), "-o", str(tmp_path / "out")]) == 0
    out = WorkbookPackage.open(tmp_path / "out" / src.name)
    got = {ref: out.cells[("数据", ref)].value for ref in ("B1", "C1", "D1", "E1", "F1")}
    assert got == {"B1": 42.0, "C1": ErrorValue("#REF!"), "D1": ErrorValue("#REF!"), "E1": ErrorValue("#REF!"), "F1": 6.0}
