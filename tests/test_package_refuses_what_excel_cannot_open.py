"""A workbook Excel could not open is refused, never recalculated into a "完成" and a broken copy.

Write-back copies every part it does not change byte for byte, so each fuzz finding of
issue 10 is a mutant built here from a small good package: the command line must fail
for it with a Chinese reason naming the part, and write nothing.
"""
from __future__ import annotations

import re
import struct
import zipfile
from pathlib import Path

import pytest

from package_builders import STYLES, build_package, read_parts, rebuilt, sheet_xml
from xladdin.cli import main
from xladdin.xlsx import Limits, PackageError, WorkbookPackage

GOOD_SHEET = '<row r="1"><c r="A1"><v>2</v></c><c r="B1"><f>A1*3</f><v>6</v></c></row>'


def good(path: Path, sheet_data: str = GOOD_SHEET, **kwargs) -> Path:
    return build_package(path, [("S", sheet_xml(sheet_data))], **kwargs)


def refused_by_the_command_line(path: Path, capsys, *fragments: str) -> str:
    out = path.parent / "结果"
    assert main(["recalc", str(path), "-o", str(out), "-j", "1"]) == 1
    captured = capsys.readouterr()
    assert "完成  " not in captured.out
    assert not out.exists() or not any(out.iterdir())  # nothing written
    message = captured.err
    assert path.name in message
    for fragment in fragments:
        assert fragment in message, message
    for internal in ("Traceback", "Error:", "NotImplementedError", "AttributeError"):
        assert internal not in message
    return message


def flip_crc(path: Path, member: str) -> None:
    """Corrupt a member's stored CRC-32 (local header and central directory)."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        zi = zf.getinfo(member)
    wrong = struct.pack("<L", zi.CRC ^ 0xFFFFFFFF)
    data[zi.header_offset + 14 : zi.header_offset + 18] = wrong
    # and this member's central directory record, found by its name
    name = member.encode()
    pos = data.index(b"PK\x01\x02")
    while pos >= 0:
        nlen = struct.unpack_from("<H", data, pos + 28)[0]
        if bytes(data[pos + 46 : pos + 46 + nlen]) == name:
            data[pos + 16 : pos + 20] = wrong
            break
        pos = data.find(b"PK\x01\x02", pos + 4)
    path.write_bytes(bytes(data))


# --- parts the reader never looks at are checked all the same ----------------------------


@pytest.mark.parametrize("member", ["xl/styles.xml", "docProps/app.xml"])
def test_a_corrupt_part_that_is_only_copied(tmp_path, capsys, member):
    path = good(tmp_path / "坏CRC.xlsx")
    flip_crc(path, member)
    refused_by_the_command_line(path, capsys, member, "校验失败")


def test_a_part_compressed_in_a_way_excel_cannot_read(tmp_path, capsys):
    src = good(tmp_path / "源.xlsx")
    path = rebuilt(src, tmp_path / "压缩方式.xlsx", method={"xl/styles.xml": zipfile.ZIP_BZIP2})
    refused_by_the_command_line(path, capsys, "xl/styles.xml", "不支持的压缩方式")


def test_a_billion_laughs_stylesheet(tmp_path, capsys):
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        "<styleSheet>&lol2;</styleSheet>"
    ).encode()
    path = rebuilt(good(tmp_path / "源.xlsx"), tmp_path / "实体样式.xlsx", {"xl/styles.xml": laughs})
    refused_by_the_command_line(path, capsys, "不安全的 XML", "xl/styles.xml")


def test_a_part_that_is_not_well_formed_xml(tmp_path, capsys):
    path = rebuilt(good(tmp_path / "源.xlsx"), tmp_path / "坏主题.xlsx", {"docProps/app.xml": b"<Properties><Application>"})
    refused_by_the_command_line(path, capsys, "docProps/app.xml", "不是完整的 XML")


# --- what Excel needs to open a package -------------------------------------------------


def test_a_missing_content_types_part(tmp_path, capsys):
    path = rebuilt(good(tmp_path / "源.xlsx"), tmp_path / "无类型.xlsx", {"[Content_Types].xml": None})
    refused_by_the_command_line(path, capsys, "[Content_Types].xml")


def test_a_missing_stylesheet_still_named_by_the_workbook(tmp_path, capsys):
    path = rebuilt(good(tmp_path / "源.xlsx"), tmp_path / "无样式.xlsx", {"xl/styles.xml": None})
    refused_by_the_command_line(path, capsys, "xl/styles.xml", "不存在")


@pytest.mark.parametrize("number", ["NaN", "INF", "-inf", "1,5", "1e999", "1_000"])
def test_a_number_excel_cannot_read(tmp_path, capsys, number):
    path = good(tmp_path / "坏数字.xlsx", f'<row r="1"><c r="A1"><v>{number}</v></c><c r="B1"><f>A1*3</f><v>6</v></c></row>')
    refused_by_the_command_line(path, capsys, "xl/worksheets/sheet1.xml", "A1", "不是有效的数字")


def test_a_formula_cells_stale_result_is_replaced_not_refused(tmp_path):
    # the cached result of a formula is what write-back replaces: a malformed one is no reason to refuse
    path = good(tmp_path / "旧结果.xlsx", '<row r="1"><c r="A1"><v>2</v></c><c r="B1"><f>A1*3</f><v>NaN</v></c></row>')
    book = WorkbookPackage.open(path)
    book.write({("S", "B1"): 6.0}, tmp_path / "out.xlsx")
    assert b"<v>6</v>" in read_parts(tmp_path / "out.xlsx")["xl/worksheets/sheet1.xml"]


@pytest.mark.parametrize(
    "row, detail",
    [
        ('<row r="1"><c r="1A"><v>1</v></c></row>', "单元格地址“1A”无效"),
        ('<row r="1"><c r="A2"><v>1</v></c></row>', "不在它所在的第 1 行"),
        ('<row r="1"><c r="B1"><v>1</v></c><c r="A1"><v>1</v></c></row>', "顺序错乱或重复"),
        ('<row r="2"><c r="A2"><v>1</v></c></row><row r="1"><c r="A1"><v>1</v></c></row>', "第 1 行顺序错乱或重复"),
        ('<row r="1"><c r="XFE1"><v>1</v></c></row>', "单元格地址“XFE1”无效"),
    ],
)
def test_a_bad_cell_reference(tmp_path, capsys, row, detail):
    path = good(tmp_path / "坏地址.xlsx", row)
    refused_by_the_command_line(path, capsys, "xl/worksheets/sheet1.xml", detail)


def test_a_style_index_past_the_stylesheet(tmp_path, capsys):
    assert STYLES.count("<xf ") == 3  # one cell style, two cell formats (0 and 1)
    path = good(tmp_path / "坏格式.xlsx", '<row r="1"><c r="A1" s="1"><v>1</v></c><c r="B1" s="2"><v>1</v></c></row>')
    refused_by_the_command_line(path, capsys, "B1", "格式编号 2 超出了样式表")


def test_a_defined_name_without_a_name(tmp_path, capsys):
    path = good(tmp_path / "无名.xlsx", defined_names='<definedName name="">S!$A$1</definedName>')
    refused_by_the_command_line(path, capsys, "xl/workbook.xml", "定义的名称没有名字")


@pytest.mark.parametrize("name, detail", [("a" * 32, "超过 31 个字符"), ("预算[1]", "不允许的字符")])
def test_a_sheet_name_excel_refuses(tmp_path, capsys, name, detail):
    path = build_package(tmp_path / "表名.xlsx", [(name, sheet_xml(GOOD_SHEET))])
    refused_by_the_command_line(path, capsys, detail)


# --- limits: text, cells, formula text ---------------------------------------------------


def test_text_longer_than_a_cell_can_hold(tmp_path, capsys):
    too_long = "x" * 32_768  # Excel: at most 32,767 characters in a cell
    path = good(tmp_path / "长文本.xlsx", f'<row r="1"><c r="A1" t="inlineStr"><is><t>{too_long}</t></is></c></row>')
    refused_by_the_command_line(path, capsys, "32,767")
    fits = good(tmp_path / "刚好.xlsx", f'<row r="1"><c r="A1" t="inlineStr"><is><t>{too_long[1:]}</t></is></c></row>')
    assert WorkbookPackage.open(fits).cells[("S", "A1")].value == too_long[1:]


def test_a_shared_string_longer_than_a_cell_can_hold(tmp_path):
    path = good(tmp_path / "长共享.xlsx", '<row r="1"><c r="A1" t="s"><v>0</v></c></row>', shared_strings=["<t>" + "y" * 40_000 + "</t>"])
    with pytest.raises(PackageError) as error:
        WorkbookPackage.open(path)
    assert "xl/sharedStrings.xml" in error.value.message_zh and "32,767" in error.value.message_zh


def test_a_workbook_past_the_cell_limit_is_refused_early(tmp_path):
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="B{r}"><v>{r}</v></c></row>' for r in range(1, 101))
    path = good(tmp_path / "很多格.xlsx", rows)
    assert len(WorkbookPackage.open(path).cells) == 200
    with pytest.raises(PackageError) as error:
        WorkbookPackage.open(path, limits=Limits(max_cells=150))
    assert "单元格过多" in error.value.message_zh


def test_shared_formulas_cannot_expand_past_the_formula_text_limit(tmp_path):
    long = "+".join(["A1"] * 500)  # 1,499 characters, copied down 100 rows by one shared formula
    rows = f'<row r="1"><c r="B1"><f t="shared" ref="B1:B100" si="0">{long}</f></c></row>'
    rows += "".join(f'<row r="{r}"><c r="B{r}"><f t="shared" si="0"/></c></row>' for r in range(2, 101))
    path = good(tmp_path / "展开.xlsx", rows)
    assert len(WorkbookPackage.open(path).formula_cells()) == 100
    with pytest.raises(PackageError) as error:
        WorkbookPackage.open(path, limits=Limits(max_formula_chars=100_000))
    assert "公式总长度" in error.value.message_zh


def test_a_part_past_the_tree_limit_is_refused(tmp_path):
    path = good(tmp_path / "大部件.xlsx")
    with pytest.raises(PackageError) as error:
        WorkbookPackage.open(path, limits=Limits(max_tree_part=200))
    assert "超过 200 字节" in error.value.message_zh and "超出本工具的处理范围" in error.value.message_zh


# --- issue 19: what other strict readers refuse, refused or repaired ----------------------


def with_member(src: Path, dst: Path, name: str, data: bytes = b"<x/>") -> Path:
    """A copy of ``src`` with one more zip member, its name written exactly as given."""
    import warnings

    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for zi in zin.infolist():
            zout.writestr(zi, zin.read(zi))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # zipfile warns of a duplicate name
            zout.writestr(zipfile.ZipInfo(name), data)
    return dst


@pytest.mark.parametrize("name, why", [
    ("../x.xml", "路径段"), ("xl/../../x.xml", "路径段"), ("/etc/x", "绝对路径"),
    ("C:\\x", "绝对路径"), ("xl\\worksheets\\sheet9.xml", "反斜杠"), ("xl//x.xml", "路径段"),
])
def test_an_unsafe_zip_entry_name(tmp_path, capsys, name, why):
    """Such a name would be copied into the output, where an unpacking tool may write
    outside its folder; Excel never writes one."""
    path = with_member(good(tmp_path / "源.xlsx"), tmp_path / "不安全名称.xlsx", name)
    refused_by_the_command_line(path, capsys, "不安全的部件名称", why)


@pytest.mark.parametrize("name", ["xl/styles.xml", "XL/Styles.xml"])
def test_a_duplicate_zip_entry_name(tmp_path, capsys, name):
    """Two members of one name (part names compare case-insensitively): which one a reader
    takes differs from reader to reader."""
    path = with_member(good(tmp_path / "源.xlsx"), tmp_path / "重名.xlsx", name, STYLES.encode())
    refused_by_the_command_line(path, capsys, "部件重复", name)


EXTERNAL_LINK_REL = ('<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/externalLink"'
                     ' Target="externalLinks/externalLink1.xml"/>')
EXTERNAL_LINK = ('<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
                 ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                 '<externalBook r:id="rId1"><sheetNames><sheetName val="S"/></sheetNames></externalBook></externalLink>')
EXTERNAL_LINK_RELS = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/externalLinkPath"'
                      ' Target="other.xlsx" TargetMode="External"/></Relationships>')


def linked(path: Path, parts: dict[str, str], reference: str = "rId9") -> Path:
    references = f'<externalReferences><externalReference r:id="{reference}"/></externalReferences>'
    return good(path, workbook_relationships=EXTERNAL_LINK_REL, extra_parts={k: v.encode() for k, v in parts.items()},
                calc_pr=references + '<calcPr calcId="191029"/>')


def test_a_good_external_link_is_read_and_passed_on(tmp_path):
    import openpyxl

    src = linked(tmp_path / "链接.xlsx", {"xl/externalLinks/externalLink1.xml": EXTERNAL_LINK,
                                         "xl/externalLinks/_rels/externalLink1.xml.rels": EXTERNAL_LINK_RELS})
    WorkbookPackage.open(src).write({("S", "B1"): 6.0}, tmp_path / "out.xlsx")
    assert openpyxl.load_workbook(tmp_path / "out.xlsx")._external_links[0].file_link.Target == "other.xlsx"


@pytest.mark.parametrize("parts, fragments", [
    ({}, ("xl/_rels/workbook.xml.rels", "外部链接部件 xl/externalLinks/externalLink1.xml 不存在")),
    ({"xl/externalLinks/externalLink1.xml": "<externalLink"}, ("xl/externalLinks/externalLink1.xml", "不是完整的 XML")),
    ({"xl/externalLinks/externalLink1.xml": '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'},
     ("xl/externalLinks/externalLink1.xml", "不是外部链接")),
    ({"xl/externalLinks/externalLink1.xml": EXTERNAL_LINK}, ("xl/externalLinks/externalLink1.xml", "关系 rId1 不存在")),
])
def test_a_missing_or_malformed_external_link(tmp_path, capsys, parts, fragments):
    """openpyxl cannot read such a workbook, and Excel repairs it."""
    refused_by_the_command_line(linked(tmp_path / "坏链接.xlsx", parts), capsys, *fragments)


def test_an_external_reference_without_its_relationship(tmp_path, capsys):
    parts = {"xl/externalLinks/externalLink1.xml": EXTERNAL_LINK, "xl/externalLinks/_rels/externalLink1.xml.rels": EXTERNAL_LINK_RELS}
    path = linked(tmp_path / "坏引用.xlsx", parts, reference="rId99")
    refused_by_the_command_line(path, capsys, "xl/workbook.xml", "外部引用的关系 rId99 不存在")


def test_an_undeclared_prefix_in_any_part(tmp_path, capsys):
    """Well-formed to a parser without namespaces, refused by lxml, openpyxl and the SDK."""
    app = b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><vt:x/></Properties>'
    path = rebuilt(good(tmp_path / "源.xlsx"), tmp_path / "前缀.xlsx", {"docProps/app.xml": app})
    refused_by_the_command_line(path, capsys, "docProps/app.xml", "不是完整的 XML")


@pytest.mark.parametrize("number", ["١٢٣", "１２", " 12", "12 ", "\t1"])
def test_a_number_in_a_form_excel_never_writes(tmp_path, capsys, number):
    """float() takes Arabic-Indic and full-width digits and surrounding spaces; Excel writes
    none of them, and python-calamine refuses them."""
    path = good(tmp_path / "怪数字.xlsx", f'<row r="1"><c r="A1"><v>{number}</v></c><c r="B1"><f>A1*3</f><v>6</v></c></row>')
    refused_by_the_command_line(path, capsys, "xl/worksheets/sheet1.xml", "A1", "不是有效的数字")


def test_an_unreadable_stored_result_is_never_passed_on(tmp_path):
    """A formula's cached result "١٢" is no reason to refuse the file (recalculation replaces
    it); one the engine cannot recalculate is written without a value, not copied."""
    row = '<row r="1"><c r="A1"><v>2</v></c><c r="B1"><f>A1*3</f><v> 6</v></c><c r="C1"><f>NOSUCHFUNCTION(A1)</f><v>١٢</v></c></row>'
    path = good(tmp_path / "旧结果.xlsx", row)
    out = tmp_path / "结果"
    assert main(["recalc", str(path), "-o", str(out), "-j", "1"]) == 0
    sheet = read_parts(out / path.name)["xl/worksheets/sheet1.xml"].decode()
    assert '<c r="B1"><f>A1*3</f><v>6</v></c>' in sheet
    assert '<c r="C1"><f>NOSUCHFUNCTION(A1)</f></c>' in sheet


@pytest.mark.parametrize("cols", ['<col min="0" max="1" width="9"/>', '<col min="3" max="2" width="9"/>',
                                  '<col min="1" max="16385" width="9"/>', '<col max="2" width="9"/>'])
def test_a_column_setting_outside_the_sheet(tmp_path, capsys, cols):
    xml = sheet_xml(GOOD_SHEET, before=f"<cols>{cols}</cols>")
    path = build_package(tmp_path / "列.xlsx", [("S", xml)])
    refused_by_the_command_line(path, capsys, "xl/worksheets/sheet1.xml", "列设置", "无效")


@pytest.mark.parametrize("counts, expected", [
    ('count="2000000000" uniqueCount="2000000000"', b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="2">'),
    ('count="1" uniqueCount="7"', b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="2">'),
])
def test_absurd_shared_string_counts_are_repaired(tmp_path, counts, expected):
    """Readers allocate by the counts; Excel writes the true ones.  ``count`` (optional) is
    dropped when it cannot be true, ``uniqueCount`` set to the number of strings."""
    row = '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1"><f>A1&amp;B1</f><v>0</v></c></row>'
    src = build_package(tmp_path / "计数.xlsx", [("S", sheet_xml(row))], shared_strings=["<t>甲</t>", "<t>乙</t>"])
    sst = read_parts(src)["xl/sharedStrings.xml"]
    sst = re.sub(rb'count="2" uniqueCount="2"', counts.encode(), sst)
    path = rebuilt(src, tmp_path / "坏计数.xlsx", {"xl/sharedStrings.xml": sst})
    out = tmp_path / "out.xlsx"
    book = WorkbookPackage.open(path)
    book.write({("S", "C1"): "甲乙"}, out)
    after = read_parts(out)["xl/sharedStrings.xml"]
    assert expected in after and after.endswith("<si><t>甲</t></si><si><t>乙</t></si></sst>".encode())
    assert WorkbookPackage.open(out).cells[("S", "B1")].value == "乙"
