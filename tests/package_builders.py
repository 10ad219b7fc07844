"""Builders for the package-layer tests (tests/test_package_*.py).

Real department-style workbooks are made with openpyxl; features openpyxl
cannot write (shared formulas, cached values, t="e", inlineStr, namespace
prefixes, fullCalcOnLoad, a vbaProject.bin) are written as small XML packages
by hand.  Also: a minimal OLE2 compound file for the .xls / encrypted cases.
"""

from __future__ import annotations

import re
import struct
import zipfile
from pathlib import Path

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PR = "http://schemas.openxmlformats.org/package/2006/relationships"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

CT_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
CT_MACRO = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"

# A stand-in for a VBA project: arbitrary binary bytes that must survive as is.
VBA_BYTES = bytes(range(256)) * 8 + b"\xd0\xcf\x11\xe0 not really a VBA project"

STYLES = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{NS_MAIN}">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def sheet_xml(sheet_data: str, *, prefix: str = "", before: str = "", after: str = "") -> str:
    """A worksheet part; ``sheet_data`` is the content of <sheetData>."""
    if prefix:
        p = prefix + ":"
        # prefix every element name of the given sheet data
        sheet_data = re.sub(r"<(/?)([A-Za-z]+)(?=[\s/>])", lambda m: f"<{m.group(1)}{p}{m.group(2)}", sheet_data)
        return (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<{p}worksheet xmlns:{prefix}="{NS_MAIN}" xmlns:r="{NS_R}">{before}'
            f"<{p}sheetData>{sheet_data}</{p}sheetData>{after}</{p}worksheet>"
        )
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_R}">{before}'
        f"<sheetData>{sheet_data}</sheetData>{after}</worksheet>"
    )


def build_package(
    path: Path,
    sheets: list[tuple[str, str]],
    *,
    shared_strings: list[str] | None = None,
    defined_names: str = "",
    calc_pr: str = '<calcPr calcId="191029" fullCalcOnLoad="1"/>',
    macro: bool = False,
    calc_chain: bool = False,
    workbook_xml: str | None = None,
    extra_parts: dict[str, bytes] | None = None,
    skip_parts: tuple[str, ...] = (),
    stored: tuple[str, ...] = (),
    package_relationships: str = "",
    workbook_relationships: str = "",
) -> Path:
    """Write a small but complete .xlsx/.xlsm package by hand.

    ``sheets`` are (name, worksheet XML); ``shared_strings`` are raw <si>
    contents.  Members get distinct dates and, for names in ``stored``, no
    compression, so tests can check that both survive a write.
    ``package_relationships`` / ``workbook_relationships``: more ``<Relationship>``
    elements for ``_rels/.rels`` / the workbook's relationships.
    """
    path = Path(path)
    parts: list[tuple[str, bytes]] = []
    overrides = [
        ("/xl/workbook.xml", CT_MACRO if macro else CT_MAIN),
        ("/xl/styles.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"),
        ("/docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml"),
    ]
    for i, _ in enumerate(sheets, 1):
        overrides.append((f"/xl/worksheets/sheet{i}.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"))
    if shared_strings is not None:
        overrides.append(("/xl/sharedStrings.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"))
    if calc_chain:
        overrides.append(("/xl/calcChain.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml"))
    defaults = '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    if macro:
        defaults += '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
    ct = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        + defaults
        + "".join(f'<Override PartName="{n}" ContentType="{t}"/>' for n, t in overrides)
        + "</Types>"
    )
    parts.append(("[Content_Types].xml", ct.encode()))
    parts.append((
        "_rels/.rels",
        (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{NS_PR}">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
            f'<Relationship Id="rId2" Type="{REL}/extended-properties" Target="docProps/app.xml"/>'
            + package_relationships
            + "</Relationships>"
        ).encode(),
    ))
    parts.append((
        "docProps/app.xml",
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Microsoft Excel</Application></Properties>',
    ))
    if workbook_xml is None:
        sheet_els = "".join(f'<sheet name="{n}" sheetId="{i}" r:id="rId{i}"/>' for i, (n, _) in enumerate(sheets, 1))
        workbook_xml = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{NS_MAIN}" xmlns:r="{NS_R}">'
            f'<workbookPr defaultThemeVersion="166925"/><bookViews><workbookView xWindow="0" yWindow="0" windowWidth="28800" windowHeight="12300"/></bookViews>'
            f"<sheets>{sheet_els}</sheets>"
            + (f"<definedNames>{defined_names}</definedNames>" if defined_names else "")
            + calc_pr
            + "</workbook>"
        )
    parts.append(("xl/workbook.xml", workbook_xml.encode()))
    rels = [f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.xml"/>' for i in range(1, len(sheets) + 1)]
    k = len(sheets)
    rels.append(f'<Relationship Id="rId{k + 1}" Type="{REL}/styles" Target="styles.xml"/>')
    if shared_strings is not None:
        rels.append(f'<Relationship Id="rId{k + 2}" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>')
    if macro:
        rels.append(f'<Relationship Id="rId{k + 3}" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/>')
    if calc_chain:
        rels.append(f'<Relationship Id="rId{k + 4}" Type="{REL}/calcChain" Target="calcChain.xml"/>')
    rels.append(workbook_relationships)
    parts.append((
        "xl/_rels/workbook.xml.rels",
        (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{NS_PR}">' + "".join(rels) + "</Relationships>").encode(),
    ))
    for i, (_, xml) in enumerate(sheets, 1):
        parts.append((f"xl/worksheets/sheet{i}.xml", xml.encode() if isinstance(xml, str) else xml))
    parts.append(("xl/styles.xml", STYLES.encode()))
    if shared_strings is not None:
        sst = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{NS_MAIN}" count="{len(shared_strings)}" uniqueCount="{len(shared_strings)}">'
            + "".join(f"<si>{s}</si>" for s in shared_strings)
            + "</sst>"
        )
        parts.append(("xl/sharedStrings.xml", sst.encode()))
    if calc_chain:
        parts.append(("xl/calcChain.xml", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<calcChain xmlns="{NS_MAIN}"><c r="B1" i="1"/></calcChain>'.encode()))
    if macro:
        parts.append(("xl/vbaProject.bin", VBA_BYTES))
    for name, data in (extra_parts or {}).items():
        parts.append((name, data))

    with zipfile.ZipFile(path, "w") as zf:
        for n, (name, data) in enumerate(parts):
            if name in skip_parts:
                continue
            zi = zipfile.ZipInfo(name, date_time=(2023, 1 + n % 12, 1 + n, 8, 30, 2 * n))
            zi.compress_type = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            zf.writestr(zi, data)
    return path


def rebuilt(src: Path, dst: Path, replace: dict[str, bytes | None] = {}, method: dict[str, int] = {}) -> Path:
    """A copy of ``src`` with parts replaced (None: left out) or recompressed."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for zi in zin.infolist():
            data = replace.get(zi.filename, zin.read(zi))
            if data is None:
                continue
            zi.compress_type = method.get(zi.filename, zi.compress_type)
            zout.writestr(zi, data)
    return dst


def read_parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {zi.filename: zf.read(zi) for zi in zf.infolist()}


_CELL = re.compile(rb"""<((?:\w+:)?c)\b((?:[^>"'/]|"[^"]*"|'[^']*')*)(?:/>|>(.*?)</\1>)""", re.S)
_R_ATTR = re.compile(rb"""\sr\s*=\s*["']([^"']*)["']""")


def strip_formula_results(sheet: bytes, also_refs: tuple[str, ...] = ()) -> bytes:
    """A worksheet with each formula cell's cached value and t attribute removed.

    Two worksheets that differ only in what write-back may change are equal
    after this.  Cells named in ``also_refs`` (cells of an array formula's
    range, which carry no <f>) are treated like formula cells.
    """
    also = {r.encode() for r in also_refs}

    def fix(m: re.Match) -> bytes:
        body = m.group(3) or b""
        if b"<f" not in body and b":f" not in body:
            r = _R_ATTR.search(m.group(2))
            if not (r and r.group(1) in also):
                return m.group(0)
        attrs = re.sub(rb"""\s+t\s*=\s*("[^"]*"|'[^']*')""", b"", m.group(2)).rstrip()
        body = re.sub(rb"<((?:\w+:)?v)\b[^>]*?(?:/>|>.*?</\1>)", b"", body, flags=re.S)
        return b"<" + m.group(1) + attrs + b">" + body + b"</" + m.group(1) + b">"

    return _CELL.sub(fix, sheet)


def ole2_file(stream_names: list[str]) -> bytes:
    """A minimal, valid OLE2 compound file whose root holds empty streams.

    ``["Workbook"]`` looks like a legacy .xls; ``["EncryptionInfo",
    "EncryptedPackage"]`` like a password-protected .xlsx.
    """
    sector = 512
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<L", header, 44, 1)  # number of FAT sectors
    struct.pack_into("<L", header, 48, 1)  # first directory sector
    struct.pack_into("<L", header, 56, 4096)  # mini stream cutoff
    struct.pack_into("<L", header, 60, 0xFFFFFFFE)  # no mini FAT
    struct.pack_into("<L", header, 68, 0xFFFFFFFE)  # no DIFAT sectors
    struct.pack_into("<L", header, 76, 0)  # DIFAT[0] = FAT in sector 0
    for i in range(1, 109):
        struct.pack_into("<L", header, 76 + 4 * i, 0xFFFFFFFF)
    fat = bytearray(b"\xff" * sector)
    struct.pack_into("<LL", fat, 0, 0xFFFFFFFD, 0xFFFFFFFE)

    def entry(name: str, typ: int, left=0xFFFFFFFF, right=0xFFFFFFFF, child=0xFFFFFFFF) -> bytes:
        e = bytearray(128)
        n = (name + "\0").encode("utf-16-le")
        e[0 : len(n)] = n
        struct.pack_into("<HBB", e, 64, len(n), typ, 1)
        struct.pack_into("<LLL", e, 68, left, right, child)
        struct.pack_into("<LL", e, 116, 0xFFFFFFFE, 0)
        return bytes(e)

    entries = [entry("Root Entry", 5, child=1 if stream_names else 0xFFFFFFFF)]
    for i, name in enumerate(stream_names, 1):
        entries.append(entry(name, 2, right=i + 1 if i < len(stream_names) else 0xFFFFFFFF))
    while len(entries) % 4:
        entries.append(bytes(128))
    directory = b"".join(entries)[:sector]
    return bytes(header) + bytes(fat) + directory
