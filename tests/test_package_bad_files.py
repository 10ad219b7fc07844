"""Refusing bad files: every case is a PackageError with a Chinese message."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from package_builders import build_package, ole2_file, read_parts, sheet_xml
from xladdin.xlsx import PackageError, WorkbookPackage

SHEET = sheet_xml('<row r="1"><c r="A1"><v>1</v></c><c r="B1"><f>A1+1</f><v>2</v></c></row>')


def refused(path, *fragments, **kw) -> PackageError:
    with pytest.raises(PackageError) as ei:
        WorkbookPackage.open(path, **kw)
    err = ei.value
    assert err.path == str(path)
    assert path.name in err.message_zh  # names the file
    for f in fragments:
        assert f in err.message_zh, err.message_zh
    return err


@pytest.fixture
def good(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    for i in range(1, 40):
        ws.cell(i, 1, f"第{i}行")
        ws.cell(i, 2, f"=LEN(A{i})")
    path = tmp_path / "good.xlsx"
    wb.save(path)
    return path


# -- not a workbook at all -------------------------------------------------


def test_file_that_does_not_exist(tmp_path):
    refused(tmp_path / "没有这个文件.xlsx", "找不到文件")


def test_folder_instead_of_file(tmp_path):
    (tmp_path / "目录.xlsx").mkdir()
    refused(tmp_path / "目录.xlsx", "文件夹")


@pytest.mark.parametrize(
    "content",
    [b"", b"\x00" * 100, "项目,金额\n日常公用,100\n".encode("gbk"), b"<html><body>not excel</body></html>"],
    ids=["empty", "zeros", "csv", "html"],
)
def test_not_a_zip(tmp_path, content):
    p = tmp_path / "假的.xlsx"
    p.write_bytes(content)
    refused(p, "文件已损坏或不是 Excel 工作簿（.xlsx/.xlsm）")


@pytest.mark.parametrize("keep", [0.5, 0.9, -10])
def test_truncated_zip(good, tmp_path, keep):
    data = good.read_bytes()
    cut = int(len(data) * keep) if keep > 0 else len(data) + keep
    p = tmp_path / "截断.xlsx"
    p.write_bytes(data[:cut])
    refused(p, "文件已损坏")


def test_corrupted_member_data(good, tmp_path):
    data = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as zf:
        zi = zf.getinfo("xl/worksheets/sheet1.xml")
    start = zi.header_offset + 30 + len(zi.filename)
    for i in range(start + 10, start + 60):
        data[i] ^= 0x5A
    p = tmp_path / "坏块.xlsx"
    p.write_bytes(bytes(data))
    refused(p, "文件已损坏")


def test_zip_without_a_workbook(tmp_path):
    p = tmp_path / "文档.xlsx"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    refused(p, "文件已损坏", "xl/workbook.xml")


def test_legacy_xls(tmp_path):
    p = tmp_path / "旧版.xls"
    p.write_bytes(ole2_file(["Workbook"]))
    refused(p, ".xls", "另存为 .xlsx")


def test_legacy_xls_renamed_to_xlsx(tmp_path):
    p = tmp_path / "改名.xlsx"
    p.write_bytes(ole2_file(["Workbook", "\x05SummaryInformation"]))
    refused(p, "另存为 .xlsx")


def test_password_protected_workbook(tmp_path):
    p = tmp_path / "加密.xlsx"
    p.write_bytes(ole2_file(["EncryptionInfo", "EncryptedPackage"]))
    refused(p, "文件已加密", "取消密码保护")


def test_other_ole2_document(tmp_path):
    p = tmp_path / "文档.xlsx"
    p.write_bytes(ole2_file(["WordDocument"]))
    refused(p, "不是 Excel 工作簿")


def test_xlsb(tmp_path):
    p = tmp_path / "二进制.xlsx"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.bin"/>'
            "</Relationships>",
        )
        zf.writestr("xl/workbook.bin", b"\x83\x01\x00")
    refused(p, ".xlsb")


# -- zip bombs ----------------------------------------------------------------


def test_zip_bomb_by_ratio(tmp_path):
    p = build_package(tmp_path / "炸弹.xlsx", [("S", SHEET)], extra_parts={"xl/media/pad.bin": b"\0" * (8 << 20)})
    with zipfile.ZipFile(p) as zf:
        zi = zf.getinfo("xl/media/pad.bin")
        assert zi.file_size / zi.compress_size > 200
    refused(p, "压缩炸弹")


def test_zip_bomb_by_total_size(tmp_path):
    p = build_package(tmp_path / "太大.xlsx", [("S", SHEET)], extra_parts={"xl/media/a.bin": b"x" * 5000})
    refused(p, "压缩炸弹", max_uncompressed_bytes=4000)
    assert WorkbookPackage.open(p).sheet_names == ["S"]  # fine under the default limit


def test_lying_size_header_is_caught(tmp_path):
    """A member whose header claims a small size but inflates to more."""
    p = build_package(tmp_path / "谎报.xlsx", [("S", SHEET)])
    data = bytearray(p.read_bytes())
    with zipfile.ZipFile(p) as zf:
        zi = zf.getinfo("xl/worksheets/sheet1.xml")
    # shrink the declared uncompressed size in the central directory
    first_cd = bytes(data).find(b"PK\x01\x02")
    cd = bytes(data).find(b"xl/worksheets/sheet1.xml", first_cd) - 46
    assert data[cd : cd + 4] == b"PK\x01\x02"
    data[cd + 24 : cd + 28] = (zi.file_size // 2).to_bytes(4, "little")
    p.write_bytes(bytes(data))
    refused(p, "文件已损坏")


def test_file_larger_than_limit_is_not_read(tmp_path):
    p = build_package(tmp_path / "大文件.xlsx", [("S", SHEET)])
    refused(p, "文件过大", max_uncompressed_bytes=100)


def test_too_many_members(tmp_path):
    p = tmp_path / "碎片.xlsx"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        for i in range(10_001):
            zf.writestr(f"x/{i}", b"")
    p.write_bytes(buf.getvalue())
    refused(p, "压缩炸弹")


# -- unsafe or broken XML -------------------------------------------------

LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)


def test_billion_laughs_in_workbook_xml(tmp_path):
    wb = (
        LAUGHS + '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="&lol3;" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    p = build_package(tmp_path / "实体.xlsx", [("S", SHEET)], workbook_xml=wb)
    refused(p, "不安全的 XML", "xl/workbook.xml")


def test_external_entity_in_sheet(tmp_path):
    xxe = (
        '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>'
    )
    p = build_package(tmp_path / "外部实体.xlsx", [("S", xxe)])
    refused(p, "不安全的 XML", "sheet1.xml")


def test_doctype_in_shared_strings(tmp_path):
    p = build_package(tmp_path / "共享.xlsx", [("S", SHEET)], shared_strings=["<t>x</t>"])
    parts = read_parts(p)
    parts["xl/sharedStrings.xml"] = parts["xl/sharedStrings.xml"].replace(b"<sst", b"<!DOCTYPE sst><sst", 1)
    _rezip(p, parts)
    refused(p, "不安全的 XML")


def test_doctype_in_utf16_part(tmp_path):
    p = build_package(tmp_path / "utf16.xlsx", [("S", SHEET)])
    parts = read_parts(p)
    text = parts["_rels/.rels"].decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    text = text.replace("<Relationships", "<!DOCTYPE r [<!ENTITY e 'x'>]><Relationships", 1)
    parts["_rels/.rels"] = text.encode("utf-16")
    _rezip(p, parts)
    refused(p, "不安全的 XML")


def test_malformed_sheet_xml(tmp_path):
    broken = sheet_xml('<row r="1"><c r="A1"><v>1</v></row>')
    p = build_package(tmp_path / "坏XML.xlsx", [("S", broken)])
    refused(p, "文件已损坏", "sheet1.xml")


def test_bad_cell_reference(tmp_path):
    p = build_package(tmp_path / "坏引用.xlsx", [("S", sheet_xml('<row r="x"><c r="A1"><v>1</v></c></row>'))])
    refused(p, "文件已损坏")


def test_missing_shared_string(tmp_path):
    p = build_package(tmp_path / "缺字符串.xlsx", [("S", sheet_xml('<row r="1"><c r="A1" t="s"><v>5</v></c></row>'))], shared_strings=["<t>x</t>"])
    refused(p, "文件已损坏", "A1")


# -- structurally incomplete packages ---------------------------------------


def test_missing_workbook_xml(tmp_path):
    p = build_package(tmp_path / "缺工作簿.xlsx", [("S", SHEET)], skip_parts=("xl/workbook.xml",))
    refused(p, "文件已损坏或不是 Excel 工作簿", "xl/workbook.xml")


def test_workbook_without_sheets(tmp_path):
    p = build_package(tmp_path / "无表.xlsx", [])
    refused(p, "没有任何工作表")


def test_missing_sheet_part(tmp_path):
    p = build_package(tmp_path / "缺表.xlsx", [("S", SHEET)], skip_parts=("xl/worksheets/sheet1.xml",))
    refused(p, "文件已损坏", "S")


def test_missing_sheet_relationship(tmp_path):
    p = build_package(tmp_path / "缺关系.xlsx", [("S", SHEET)], skip_parts=("xl/_rels/workbook.xml.rels",))
    refused(p, "文件已损坏")


def _rezip(path, parts):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


def test_zip_level_encrypted_member(tmp_path):
    p = build_package(tmp_path / "zip加密.xlsx", [("S", SHEET)])
    data = bytearray(p.read_bytes())
    first_cd = bytes(data).find(b"PK\x01\x02")
    cd = bytes(data).find(b"xl/worksheets/sheet1.xml", first_cd) - 46
    assert data[cd : cd + 4] == b"PK\x01\x02"
    data[cd + 8] |= 0x01  # general purpose flag: encrypted
    p.write_bytes(bytes(data))
    refused(p, "文件已加密")


def test_a_part_seen_well_formed_is_not_parsed_again_and_a_broken_one_is_still_refused(tmp_path, monkeypatch):
    # a batch from one template brings the same theme and styles in every file: their
    # well-formedness is known from the first; a part that differs by one byte is parsed
    from xladdin.xlsx import validate

    parsed = []
    real = validate._check_xml
    monkeypatch.setattr(validate, "_check_xml", lambda data, part, path: parsed.append(part) or real(data, part, path))
    theme = b'<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="x"/>'
    sheet = sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>')
    first = build_package(tmp_path / "a.xlsx", [("S", sheet)], extra_parts={"xl/theme/theme9.xml": theme})
    WorkbookPackage.open(first)
    assert "xl/theme/theme9.xml" in parsed
    parsed.clear()
    second = build_package(tmp_path / "b.xlsx", [("S", sheet)], extra_parts={"xl/theme/theme9.xml": theme})
    WorkbookPackage.open(second)
    assert "xl/theme/theme9.xml" not in parsed
    broken = build_package(tmp_path / "c.xlsx", [("S", sheet)], extra_parts={"xl/theme/theme9.xml": theme[:-2] + b">"})
    with pytest.raises(PackageError, match="theme9.xml 不是完整的 XML"):
        WorkbookPackage.open(broken)
