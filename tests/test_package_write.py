"""Writing results back: only cached values change, everything else survives."""

from __future__ import annotations

import datetime as dt
import re
import warnings
import zipfile

import openpyxl
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from test_what_a_user_sees import libreoffice_sheets, soffice  # noqa: F401,F811 (a fixture)
from package_builders import VBA_BYTES, build_package, read_parts, rebuilt, sheet_xml, strip_formula_results
from xladdin.xlsx import ErrorValue, WorkbookPackage


def read_pandas(path, sheet):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pd.read_excel(path, sheet_name=sheet, header=None, engine="openpyxl")


@pytest.fixture
def dept_xlsx(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "基础数据"
    for i in range(1, 11):
        ws.cell(i, 1, f"指标{i}")
        ws.cell(i, 2, i * 10)
        ws.cell(i, 3, f"=B{i}/100")
    ws["D1"] = '=IF(B1>5,"达标","未达标")'
    ws["D2"] = "=B2>5"
    ws["D3"] = "=1/0"
    ws["D4"] = '=""'
    ws2 = wb.create_sheet("评分")
    ws2["A1"] = "总分"
    ws2["B1"] = "=SUM(基础数据!C1:C10)"
    ws3 = wb.create_sheet("说明")
    ws3["A1"] = "无公式的表"
    path = tmp_path / "部门B.xlsx"
    wb.save(path)
    return path


def dept_results():
    res = {("基础数据", f"C{i}"): i * 10 / 100 for i in range(1, 11)}
    res[("基础数据", "D1")] = "达标"
    res[("基础数据", "D2")] = True
    res[("基础数据", "D3")] = ErrorValue("#DIV/0!")
    res[("基础数据", "D4")] = ""
    res[("评分", "B1")] = 5.5
    return res


def test_openpyxl_workbook_round_trip(dept_xlsx, tmp_path):
    out = tmp_path / "结果.xlsx"
    WorkbookPackage.open(dept_xlsx).write(dept_results(), out)

    wb = openpyxl.load_workbook(out, data_only=True)
    ws = wb["基础数据"]
    assert [ws.cell(i, 3).value for i in range(1, 11)] == [i / 10 for i in range(1, 11)]
    assert ws["D1"].value == "达标"
    assert ws["D2"].value is True
    assert ws["D3"].value == "#DIV/0!"
    assert ws["D4"].value in ("", None)
    assert wb["评分"]["B1"].value == 5.5
    # formulas are still there
    wbf = openpyxl.load_workbook(out)
    assert wbf["评分"]["B1"].value == "=SUM(基础数据!C1:C10)"
    assert wbf["基础数据"]["C3"].value == "=B3/100"

    cal = CalamineWorkbook.from_path(str(out))
    rows = cal.get_sheet_by_name("基础数据").to_python()
    assert [r[2] for r in rows] == [i / 10 for i in range(1, 11)]
    assert rows[0][3] == "达标" and rows[1][3] is True
    assert cal.get_sheet_by_name("评分").to_python()[0] == ["总分", 5.5]

    df = read_pandas(out, "基础数据")
    assert list(df[2]) == [i / 10 for i in range(1, 11)]
    assert read_pandas(out, "评分").iloc[0, 1] == 5.5


def test_only_written_sheets_and_calcpr_change(dept_xlsx, tmp_path):
    out = tmp_path / "结果.xlsx"
    WorkbookPackage.open(dept_xlsx).write(dept_results(), out)
    before, after = read_parts(dept_xlsx), read_parts(out)
    assert list(before) == list(after)
    changed = {n for n in before if before[n] != after[n]}
    assert changed == {"xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/workbook.xml"}
    for n in ("xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"):
        assert strip_formula_results(before[n]) == strip_formula_results(after[n])
    # workbook.xml: only the fullCalcOnLoad attribute went
    assert b'fullCalcOnLoad="1"' in before["xl/workbook.xml"]
    assert after["xl/workbook.xml"] == before["xl/workbook.xml"].replace(b' fullCalcOnLoad="1"', b"")


def test_zip_metadata_and_compressed_bytes_survive(tmp_path):
    src = build_package(
        tmp_path / "meta.xlsx",
        [("S", sheet_xml('<row r="1"><c r="A1"><v>1</v></c><c r="B1"><f>A1*2</f><v>0</v></c></row>'))],
        stored=("docProps/app.xml", "xl/worksheets/sheet1.xml"),
        calc_chain=True,
    )
    out = tmp_path / "meta_out.xlsx"
    WorkbookPackage.open(src).write({("S", "B1"): 2}, out)
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(out) as b:
        assert b.testzip() is None
        ia, ib = a.infolist(), b.infolist()
        assert [i.filename for i in ia] == [i.filename for i in ib]
        for x, y in zip(ia, ib):
            assert (x.compress_type, x.date_time, x.external_attr) == (y.compress_type, y.date_time, y.external_attr)
            if x.filename not in ("xl/worksheets/sheet1.xml", "xl/workbook.xml"):
                # copied without recompressing
                assert (x.CRC, x.compress_size, x.file_size) == (y.CRC, y.compress_size, y.file_size)
        assert b.read("xl/calcChain.xml") == a.read("xl/calcChain.xml")
    raw_a, raw_b = src.read_bytes(), out.read_bytes()
    with zipfile.ZipFile(src) as a:
        st = a.getinfo("xl/styles.xml")
    styles_compressed = raw_a[st.header_offset + 30 + len(st.filename): st.header_offset + 30 + len(st.filename) + st.compress_size]
    assert styles_compressed in raw_b


SHEET = (
    '<row r="1" spans="1:9"><c r="A1"><v>10</v></c><c r="B1" s="1"><f>A1*2</f><v>1</v></c>'
    '<c r="C1" t="str"><f>"x"</f><v>old</v></c><c r="D1" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
    '<c r="E1" t="b"><f>TRUE</f><v>1</v></c><c r="F1"><f>A1</f></c><c r="G1"><f>A1</f><v/></c>'
    '<c r="H1" t="str"><f>""</f><v></v></c><c r="I1"><f>A1</f><v>0</v></c></row>'
    '<row r="2"><c r="A2"><f t="shared" ref="A2:C2" si="0">A1+1</f><v>0</v></c>'
    '<c r="B2"><f t="shared" si="0"/><v>0</v></c><c r="C2"><f t="shared" si="0"/></c></row>'
    '<row r="3"><c r="A3"><f t="array" ref="A3:A5">A1:A1*1</f><v>0</v></c></row>'
    '<row r="4"><c r="A4"><v>0</v></c></row><row r="5"><c r="A5" s="1"/></row>'
)
ALL_TYPES = {
    ("S", "B1"): 20,
    ("S", "C1"): 3.25,  # str -> number: t goes away
    ("S", "D1"): "文本 & <标签> \"引号\"",
    ("S", "E1"): False,
    ("S", "F1"): ErrorValue("#N/A"),  # no <v> before
    ("S", "G1"): 0.1 + 0.2,  # <v/> before
    ("S", "H1"): None,
    ("S", "I1"): dt.date(2024, 3, 1),
    ("S", "A2"): 11,
    ("S", "B2"): "_x0041_ stays literal",
    ("S", "C2"): float("nan"),
    ("S", "A3"): 1,
    ("S", "A4"): 2,
    ("S", "A5"): "三",  # <c .../> inside the array range
    ("S", "A1"): 999,  # not a formula cell: ignored
    ("没有这张表", "A1"): 1,  # unknown sheet: ignored
}
EXPECTED = {
    "B1": 20.0, "C1": 3.25, "D1": "文本 & <标签> \"引号\"", "E1": False, "F1": ErrorValue("#N/A"),
    "G1": 0.30000000000000004, "H1": "", "I1": 45352.0, "A2": 11.0, "B2": "_x0041_ stays literal",
    "C2": ErrorValue("#NUM!"), "A3": 1.0, "A4": 2.0, "A5": "三", "A1": 10.0,
}


@pytest.mark.parametrize("prefix", ["", "x"])
def test_every_result_type_round_trips(tmp_path, prefix):
    src = build_package(tmp_path / "types.xlsx", [("S", sheet_xml(SHEET, prefix=prefix))])
    out = tmp_path / "types_out.xlsx"
    WorkbookPackage.open(src).write(ALL_TYPES, out)

    back = WorkbookPackage.open(out).cells
    got = {ref: back[("S", ref)].value for (_, ref) in back}
    assert got == EXPECTED
    assert type(got["F1"]) is ErrorValue and type(got["C2"]) is ErrorValue
    assert back[("S", "C2")].formula == "C1+1"  # shared formula kept

    before, after = read_parts(src), read_parts(out)
    n = "xl/worksheets/sheet1.xml"
    assert strip_formula_results(before[n], ("A4", "A5")) == strip_formula_results(after[n], ("A4", "A5"))
    xml = after[n].decode()
    p = prefix + ":" if prefix else ""
    assert f'<{p}c r="C1"><{p}f>"x"</{p}f><{p}v>3.25</{p}v></{p}c>' in xml
    assert f'<{p}c r="D1" t="str"><{p}f>1/0</{p}f><{p}v>文本 &amp; &lt;标签&gt; "引号"</{p}v></{p}c>' in xml
    assert f'<{p}c r="H1" t="str"><{p}f>""</{p}f><{p}v></{p}v></{p}c>' in xml
    assert f'<{p}c r="A5" s="1" t="str"><{p}v>三</{p}v></{p}c>' in xml
    assert f'<{p}row r="1" spans="1:9">' in xml

    if not prefix:  # openpyxl only reads the default-namespace form
        ws = openpyxl.load_workbook(out, data_only=True)["S"]
        assert ws["B1"].value == 20 and ws["D1"].value == EXPECTED["D1"]
        assert ws["E1"].value is False and ws["F1"].value == "#N/A"
        assert ws["A5"].value == "三" and ws["C1"].value == 3.25
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("S").to_python()
    assert rows[0][1] == 20 and rows[0][3] == EXPECTED["D1"] and rows[4][0] == "三"


def test_xlsm_keeps_its_vba_project(tmp_path):
    src = build_package(
        tmp_path / "宏.xlsm",
        [("S", sheet_xml('<row r="1"><c r="A1"><v>2</v></c><c r="B1"><f>A1^2</f></c></row>'))],
        macro=True,
        stored=("xl/vbaProject.bin",),
    )
    out = tmp_path / "宏_结果.xlsm"
    pkg = WorkbookPackage.open(src)
    assert pkg.macro_enabled
    pkg.write({("S", "B1"): 4}, out)
    before, after = read_parts(src), read_parts(out)
    assert after["xl/vbaProject.bin"] == VBA_BYTES
    assert {n for n in before if before[n] != after[n]} == {"xl/worksheets/sheet1.xml", "xl/workbook.xml"}
    wb = openpyxl.load_workbook(out, keep_vba=True, data_only=True)
    wb.vba_archive.close()  # openpyxl keeps the macro parts in an open in-memory zip
    assert wb["S"]["B1"].value == 4


def test_workbook_xml_left_alone_without_full_calc(tmp_path):
    src = build_package(
        tmp_path / "calc.xlsx",
        [("S", sheet_xml('<row r="1"><c r="A1"><f>1+1</f><v>2</v></c></row>'))],
        calc_pr='<calcPr calcId="191029" fullCalcOnLoad="0"/>',
    )
    out = tmp_path / "calc_out.xlsx"
    WorkbookPackage.open(src).write({("S", "A1"): 2}, out)
    assert read_parts(out)["xl/workbook.xml"] == read_parts(src)["xl/workbook.xml"]


def test_full_calc_removed_even_with_no_results(tmp_path):
    src = build_package(
        tmp_path / "calc.xlsx",
        [("S", sheet_xml('<row r="1"><c r="A1"><f>1+1</f><v>2</v></c></row>'))],
        calc_pr="<calcPr calcId='191029' fullCalcOnLoad = 'true' forceFullCalc=\"1\"/>",
    )
    out = tmp_path / "calc_out.xlsx"
    WorkbookPackage.open(src).write({}, out)
    before, after = read_parts(src), read_parts(out)
    assert after["xl/workbook.xml"] == before["xl/workbook.xml"].replace(b" fullCalcOnLoad = 'true'", b"")
    assert after["xl/worksheets/sheet1.xml"] == before["xl/worksheets/sheet1.xml"]


def test_numbers_are_written_like_excel(tmp_path):
    src = build_package(
        tmp_path / "num.xlsx",
        [("S", sheet_xml('<row r="1">' + "".join(f'<c r="{c}1"><f>0</f><v>0</v></c>' for c in "ABCDEF") + "</row>"))],
    )
    out = tmp_path / "num_out.xlsx"
    WorkbookPackage.open(src).write(
        {("S", "A1"): 3.0, ("S", "B1"): -0.0, ("S", "C1"): 1e-7, ("S", "D1"): 12345678901234567890, ("S", "E1"): 2.5, ("S", "F1"): float("inf")},
        out,
    )
    xml = read_parts(out)["xl/worksheets/sheet1.xml"].decode()
    vals = dict(re.findall(r'<c r="(\w+)"[^>]*><f>0</f><v>([^<]*)</v>', xml))
    assert vals == {"A1": "3", "B1": "0", "C1": "1e-07", "D1": "1.2345678901234567e+19", "E1": "2.5", "F1": "#NUM!"}


def test_one_package_can_be_written_twice(dept_xlsx, tmp_path):
    pkg = WorkbookPackage.open(dept_xlsx)
    pkg.write({("评分", "B1"): 1}, tmp_path / "a.xlsx")
    pkg.write({("评分", "B1"): 2}, tmp_path / "b.xlsx")
    assert WorkbookPackage.open(tmp_path / "a.xlsx").cells[("评分", "B1")].value == 1
    assert WorkbookPackage.open(tmp_path / "b.xlsx").cells[("评分", "B1")].value == 2


def test_one_opened_package_writes_many_copies(dept_xlsx, tmp_path):
    """A batch writes from one opened package repeatedly (speed: scripts/bench_recalc.py)."""
    pkg = WorkbookPackage.open(dept_xlsx)
    res = dept_results()
    for i in range(10):
        pkg.write(res, tmp_path / f"w{i}.xlsx", fsync=False)
    copies = [WorkbookPackage.open(tmp_path / f"w{i}.xlsx").cells for i in range(10)]
    assert all(c == copies[0] for c in copies)


def test_bom_and_pretty_printed_sheet(tmp_path):
    body = (
        '\n    <row r="1">\n      <c r="A1">\n        <v>1</v>\n      </c>\n'
        '      <c r="B1">\n        <f>A1+1</f>\n        <v>0</v>\n      </c>\n'
        '      <c r="C1">\n        <f>A1+2</f>\n      </c>\n    </row>\n  '
    )
    xml = b"\xef\xbb\xbf" + sheet_xml(body).encode()
    src = build_package(tmp_path / "pretty.xlsx", [("S", xml)])
    out = tmp_path / "pretty_out.xlsx"
    WorkbookPackage.open(src).write({("S", "B1"): 2, ("S", "C1"): "三"}, out)
    after = read_parts(out)["xl/worksheets/sheet1.xml"]
    assert after.startswith(b"\xef\xbb\xbf")
    assert b'<c r="B1">\n        <f>A1+1</f>\n        <v>2</v>\n      </c>' in after
    assert '<c r="C1" t="str">\n        <f>A1+2</f><v>三</v>\n      </c>'.encode() in after
    assert strip_formula_results(read_parts(src)["xl/worksheets/sheet1.xml"]) == strip_formula_results(after)
    assert openpyxl.load_workbook(out, data_only=True)["S"]["C1"].value == "三"


def test_a_latin1_sheet_is_written_back_in_utf8(tmp_path):
    """Excel writes every part in UTF-8; a part declared ISO-8859-1 is repaired to that."""
    xml = sheet_xml('<row r="1"><c r="A1"><f>"x"</f><v>0</v></c><c r="B1" t="inlineStr"><is><t>café</t></is></c></row>')
    xml = xml.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
    src = build_package(tmp_path / "latin1.xlsx", [("S", xml.encode("latin-1"))])
    out = tmp_path / "latin1_out.xlsx"
    WorkbookPackage.open(src).write({("S", "A1"): "三é"}, out)
    after = read_parts(out)["xl/worksheets/sheet1.xml"]
    assert after.startswith(b'<?xml version="1.0" encoding="UTF-8"')
    assert "<v>三é</v>".encode() in after and "<t>café</t>".encode() in after
    assert WorkbookPackage.open(out).cells[("S", "B1")].value == "café"


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/workbook.xml"])
def test_a_utf16_part_is_repaired_to_utf8(tmp_path, part):
    """A UTF-16 workbook.xml or worksheet (which Excel reads, and python-calamine does not)
    is written back as Excel writes every part: UTF-8."""
    src = build_package(tmp_path / "utf8.xlsx", [("S", sheet_xml('<row r="1"><c r="A1"><f>1+1</f><v>0</v></c></row>'))])
    utf8 = read_parts(src)[part]
    utf16 = utf8.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    path = rebuilt(src, tmp_path / "utf16.xlsx", {part: utf16})
    pkg = WorkbookPackage.open(path)
    out = tmp_path / "utf16_out.xlsx"
    pkg.write({("S", "A1"): 2.0}, out)
    after = read_parts(out)
    assert after[part].startswith(b'<?xml version="1.0" encoding="UTF-8"')
    assert after[part].decode("utf-8")  # UTF-8 through and through
    assert CalamineWorkbook.from_path(str(out)).get_sheet_by_name("S").to_python() == [[2.0]]


def test_engine_error_type_counts_as_error(tmp_path):
    """An engine's own str-subclass ErrorValue is written as t="e" too."""

    class ErrorValue(str):  # stands in for xladdin.engine_values.ErrorValue
        __slots__ = ()

    src = build_package(tmp_path / "err.xlsx", [("S", sheet_xml('<row r="1"><c r="A1"><f>NA()</f><v>0</v></c></row>'))])
    out = tmp_path / "err_out.xlsx"
    WorkbookPackage.open(src).write({("S", "A1"): ErrorValue("#N/A")}, out)
    assert b'<c r="A1" t="e"><f>NA()</f><v>#N/A</v></c>' in read_parts(out)["xl/worksheets/sheet1.xml"]


OUTER_SPACES = (
    '<row r="1"><c r="A1" t="str"><f>" 1,234,567"</f><v xml:space="preserve"> 1,234,567</v></c>'
    '<c r="B1" t="str"><f>"整改："&amp;"  加强管理 "</f><v>stale</v></c>'
    '<c r="C1"><f>"x"&amp;CHAR(9)</f></c></row>'
)


def test_a_text_result_with_outer_spaces_keeps_them(tmp_path):
    """Excel writes <v xml:space="preserve"> for a text with outer whitespace; a rewritten
    <v> must keep saying so, or LibreOffice trims " 1,234,567" to "1,234,567"."""
    from xladdin import engine

    src = build_package(tmp_path / "空格.xlsx", [("S", sheet_xml(OUTER_SPACES))])
    out = tmp_path / "out.xlsx"
    book = WorkbookPackage.open(src)
    book.write(engine.recalculate_package(book).values, out)
    sheet = read_parts(out)["xl/worksheets/sheet1.xml"].decode()
    assert '<v xml:space="preserve"> 1,234,567</v>' in sheet
    assert '<v xml:space="preserve">整改：  加强管理 </v>' in sheet
    assert '<v xml:space="preserve">x\t</v>' in sheet
    back = WorkbookPackage.open(out).cells
    assert [back[("S", r)].value for r in ("A1", "B1", "C1")] == [" 1,234,567", "整改：  加强管理 ", "x\t"]


def test_libreoffice_shows_the_outer_spaces(soffice, tmp_path):
    from xladdin import engine

    src = build_package(tmp_path / "空格.xlsx", [("S", sheet_xml(OUTER_SPACES))])
    out = tmp_path / "out.xlsx"
    book = WorkbookPackage.open(src)
    book.write(engine.recalculate_package(book).values, out)
    rows = libreoffice_sheets(soffice, out, tmp_path / "lo")["S"]
    assert rows[0][:2] == [" 1,234,567", "整改：  加强管理 "]


def test_a_text_result_with_a_control_character_is_excel_escaped(tmp_path):
    """A vertical tab (text pasted from Word) cannot stand in XML: Excel stores it as
    _x000B_."""
    from xladdin import engine

    row = '<row r="1"><c r="A1" t="str"><f>"甲"&amp;CHAR(11)&amp;"乙"</f><v></v></c></row>'
    src = build_package(tmp_path / "控制字符.xlsx", [("S", sheet_xml(row))])
    out = tmp_path / "out.xlsx"
    book = WorkbookPackage.open(src)
    book.write(engine.recalculate_package(book).values, out)
    assert "<v>甲_x000B_乙</v>" in read_parts(out)["xl/worksheets/sheet1.xml"].decode()
    assert WorkbookPackage.open(out).cells[("S", "A1")].value == "甲\x0b乙"
    assert CalamineWorkbook.from_path(str(out)).get_sheet_by_name("S").to_python()[0][0] == "甲\x0b乙"


# start tags of formula cells as files write them: the write-back's quick path for a plain
# tag (no t attribute, nothing between it and <f>) must give the general path's bytes
START_TAG_VARIANTS = [
    '<c r="A{n}"><f>1+1</f></c>',
    '<c r="A{n}" s="1"><f>1+1</f><v>5</v></c>',
    '<c r="A{n}" s="1" t="str"><f>"a"</f><v>a</v></c>',
    '<c r="A{n}" t="n"><f>1+1</f><v>2</v></c>',
    '<c r="A{n}" s="1" ><f>1+1</f></c>',             # a space before ">"
    '<c r="A{n}"\ts="1"><f>1+1</f></c>',              # a tab between attributes
    '<c r="A{n}" cm="1" vm="2"><f>1+1</f><v>0</v></c>',
    '<c r="A{n}" s="1">  <f>1+1</f></c>',            # blanks between the tag and <f>
    '<c r="A{n}" s="1"><!-- x --><f>1+1</f></c>',     # a comment there
    '<c s="1" r="A{n}"><f>1+1</f></c>',              # another attribute order
    '<c r="A{n}" s="1" t = "e"><f>1/0</f><v>#DIV/0!</v></c>',
]
RESULTS_BY_KIND = [3.5, "文本 <&>", True, ErrorValue("#N/A"), 7.0, " 外 ", None]


@pytest.mark.parametrize("prefix", ["", "x"])
def test_a_plain_formula_tag_is_written_as_the_general_path_writes_it(tmp_path, monkeypatch, prefix):
    from xladdin.xlsx import worksheet

    rows = "".join(f'<row r="{n}">{tag.format(n=n)}</row>'
                   for n, tag in enumerate(START_TAG_VARIANTS * len(RESULTS_BY_KIND), 1))
    src = build_package(tmp_path / "tags.xlsx", [("S", sheet_xml(rows, prefix=prefix))])
    results = {("S", f"A{n}"): RESULTS_BY_KIND[(n - 1) // len(START_TAG_VARIANTS)]
               for n in range(1, len(START_TAG_VARIANTS) * len(RESULTS_BY_KIND) + 1)}
    WorkbookPackage.open(src).write(results, tmp_path / "quick.xlsx")
    taken = []
    plain = worksheet._plain_start_tag
    monkeypatch.setattr(worksheet, "_plain_start_tag", lambda *a: taken.append(plain(*a)) and False)
    WorkbookPackage.open(src).write(results, tmp_path / "general.xlsx")
    assert any(taken) and not all(taken)  # both paths were open to these cells
    quick, general = read_parts(tmp_path / "quick.xlsx"), read_parts(tmp_path / "general.xlsx")
    assert quick == general
    back = WorkbookPackage.open(tmp_path / "quick.xlsx").cells
    assert back[("S", "A1")].value == 3.5 and back[("S", f"A{len(START_TAG_VARIANTS) + 1}")].value == "文本 <&>"
