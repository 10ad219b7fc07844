"""Reading a workbook: `WorkbookPackage.open` and what it holds.

Reading pulls out of the OOXML zip package only what the recalculator needs: the
worksheet names, the defined names, and every cell that holds a value or a
formula (shared formulas are expanded to each cell's own references).  Nothing
here evaluates formulas.  Before anything is read, the whole package is checked
(`validate`): a file this layer accepts is one Excel could open, so write-back,
which copies every untouched part byte for byte, never passes on a broken part.

Untrusted input is refused with a ``PackageError`` whose ``message_zh`` is meant
for finance users: corrupt or truncated files, legacy ``.xls``, password
protected workbooks, zip bombs, XML with a DOCTYPE or entity declarations,
packages without a workbook or worksheets, and contents Excel would reject.

Only the standard library is used (``zipfile``, ``zlib``, ``xml.etree`` and
``pyexpat``); XML with any DOCTYPE is rejected before it reaches a parser, so
no entity can ever be expanded.
"""

from __future__ import annotations

import copy
import io
import os
import posixpath
import re
import stat
import zipfile
from dataclasses import dataclass
from typing import Collection, Mapping
from urllib.parse import unquote
from xml.etree import ElementTree as ET
from xml.parsers import expat

from .model import Cell, PackageError, _corrupt, _invalid, _name
from .custom import CustomProperties
from .sheet import MAX_TEXT, SheetPart, WriteRecord, _parse_sheet
from .validate import MAX_UNCOMPRESSED, Limits, check_members, check_package, read_members
from .writer import write_package
from .. import files
from .xmltext import _local, _unescape_x, _xml_root, as_utf8, drop_attributes

# --------------------------------------------------------------------------
# The package
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceArchive:
    """The input zip as read: its bytes, members in order and comment.  The writer copies
    every member it does not change from here, compressed bytes untouched."""

    raw: bytes = b""
    members: tuple[zipfile.ZipInfo, ...] = ()
    comment: bytes = b""


class WorkbookPackage:
    """An opened .xlsx/.xlsm package: its cells, names and parts.

    Besides the cells, what the writer, the engine and audit need of the package:
    `part` (any part's bytes by name), `archive` (the zip as read), the names of the
    parts that write-back edits (`workbook_part`, `content_types_part`,
    `package_rels_part`, `workbook_rels_part`, `calc_chain_part`, `custom_part`), a
    worksheet's `sheet_part` / `sheet_xml` / `write_records`, and `with_cells`.
    """

    path: str
    sheet_names: list[str]
    defined_names: dict[str, str]
    cells: dict[tuple[str, str], Cell]
    date1904: bool
    macro_enabled: bool

    def __init__(self) -> None:  # use WorkbookPackage.open()
        self.path = ""
        self.sheet_names = []
        self.defined_names = {}
        self.cells = {}
        self.date1904 = False
        self.macro_enabled = False
        self.archive = SourceArchive()
        self._parts: dict[str, bytes] = {}
        self._part_names: dict[str, str] = {}  # lower-case -> as stored
        self._sheets: dict[str, SheetPart] = {}
        self.workbook_part = ""
        self.content_types_part = ""
        self.package_rels_part: str | None = None
        self.workbook_rels_part: str | None = None
        #: xl/calcChain.xml, dropped when formulas are frozen
        self.calc_chain_part: str | None = None
        #: docProps/custom.xml when the package has one (`custom_properties` holds its texts)
        self.custom_part: str | None = None
        #: document custom properties: name -> text
        self.custom_properties: dict[str, str] = {}
        self._formula_cells: list[Cell] | None = None
        #: parts read in a form other readers refuse, as repaired (write-back writes them)
        self.repaired_parts: dict[str, bytes] = {}

    # ------------------------------------------------------------- parts

    def part(self, name: str) -> bytes | None:
        """A part's bytes (the name without a leading '/', any case), or None."""
        real = self._part_names.get(name.lstrip("/").lower())
        return None if real is None else self._parts[real]

    @property
    def part_names(self) -> list[str]:
        return list(self._parts)

    @property
    def workbook_xml(self) -> bytes:
        return self._parts[self.workbook_part]

    def sheet_part(self, sheet: str) -> str:
        """The worksheet's part name (``xl/worksheets/sheet1.xml``)."""
        return self._sheets[sheet].part

    def sheet_xml(self, sheet: str) -> bytes:
        return self._sheets[sheet].data

    def worksheet(self, sheet: str) -> SheetPart | None:
        return self._sheets.get(sheet)

    def write_records(self, sheet: str) -> dict[str, WriteRecord]:
        """ref -> `WriteRecord` of the sheet's writable cells (empty for an unknown sheet)."""
        sh = self._sheets.get(sheet)
        return sh.records if sh is not None else {}

    def with_cells(self, cells: dict[tuple[str, str], Cell]) -> "WorkbookPackage":
        """A shallow copy of this package holding ``cells`` instead (parts shared)."""
        clone = copy.copy(self)
        clone.cells = cells
        clone._formula_cells = None
        return clone

    # ------------------------------------------------------------------ open

    @classmethod
    def open(
        cls,
        path: str | os.PathLike,
        *,
        max_uncompressed_bytes: int = MAX_UNCOMPRESSED,
        max_ratio: float = 200,
        limits: Limits | None = None,
    ) -> "WorkbookPackage":
        """Read a workbook.  Raises PackageError for anything unusable, and for
        anything Excel could not open (see `validate`)."""
        self = cls()
        self.path = os.fspath(path)
        raw = self._read_file(max_uncompressed_bytes)
        if raw[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            raise self._ole2_error(raw)
        try:
            zf = zipfile.ZipFile(io.BytesIO(raw))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
            raise self._not_a_zip(raw) from None
        limits = limits or Limits()
        with zf:
            infos = zf.infolist()
            check_members(infos, path, max_uncompressed_bytes, max_ratio)
            self.archive = SourceArchive(raw, tuple(infos), zf.comment)
            if any(zi.filename.lower() == "xl/workbook.bin" for zi in infos):
                raise _xlsb(path)
            parts = read_members(zf, infos, path)
        for name in check_package(parts, path, limits):
            utf8 = as_utf8(parts[name])
            if utf8 is not None:  # repaired to what Excel writes
                parts[name] = self.repaired_parts[name] = utf8
        self._parts = parts
        self._part_names = {name.lower(): name for name in parts}
        self._load(parts, limits)
        return self

    def _not_a_zip(self, raw: bytes) -> PackageError:
        path = self.path
        ext = os.path.splitext(path)[1].lower()
        if ext in (".csv", ".txt", ".tsv"):
            return PackageError(
                f"这是文本文件（{ext}），不是 Excel 工作簿：{_name(path)}。本工具只能处理 .xlsx/.xlsm；"
                "如需处理，请在 Excel 中打开后另存为 .xlsx",
                path,
            )
        if ext == ".ods":
            return PackageError(
                f"这是 OpenDocument 表格（.ods），不是 Excel 工作簿：{_name(path)}。请另存为 .xlsx 后再试", path
            )
        return _corrupt(path)

    def _read_file(self, limit: int) -> bytes:
        path = self.path
        try:
            st = os.stat(path)
        except FileNotFoundError:
            raise PackageError(f"找不到文件：{_name(path)}", path) from None
        except OSError as e:
            raise PackageError(f"无法读取文件：{_name(path)}（{e.strerror or e}）", path) from None
        if stat.S_ISDIR(st.st_mode):
            raise PackageError(f"这是一个文件夹，不是 Excel 工作簿：{_name(path)}", path)
        if st.st_size > limit:
            raise PackageError(
                f"文件过大（超过 {limit // (1024 * 1024)} MB），无法处理：{_name(path)}", path
            )
        try:
            with files.open_regular(path) as fh:  # a pipe or a device would block or never end
                return fh.read(limit + 1)
        except files.NotRegularFile as e:
            raise PackageError(e.message_zh, path) from None
        except PermissionError:
            raise PackageError(f"没有权限读取文件：{_name(path)}", path) from None
        except OSError as e:
            raise PackageError(f"无法读取文件：{_name(path)}（{e.strerror or e}）", path) from None

    def _ole2_error(self, raw: bytes) -> PackageError:
        path = self.path
        if "EncryptedPackage".encode("utf-16-le") in raw or "EncryptionInfo".encode("utf-16-le") in raw:
            return PackageError(
                f"文件已加密，请先在 Excel 中取消密码保护（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）后再试：{_name(path)}",
                path,
            )
        if "Workbook".encode("utf-16-le") in raw or "Book".encode("utf-16-le") in raw:
            return PackageError(
                f"这是旧版 Excel 97-2003 工作簿（.xls），本工具只能处理 .xlsx/.xlsm，请在 Excel 中另存为 .xlsx 后再试：{_name(path)}",
                path,
            )
        return PackageError(
            f"这不是 Excel 工作簿（.xlsx/.xlsm），而是其他 Office 旧格式文件；如是 .xls，请另存为 .xlsx：{_name(path)}",
            path,
        )

    @staticmethod
    def _read_part(parts: dict, names: dict, part: str) -> bytes | None:
        real = names.get(part.lower())
        return None if real is None else parts[real]

    @staticmethod
    def _rels(root: ET.Element, base: str) -> dict[str, tuple[str, str]]:
        out = {}
        for rel in root:
            if rel.get("TargetMode") == "External":
                continue
            rid = rel.get("Id")
            target = rel.get("Target")
            if rid is None or target is None:
                continue
            target = unquote(target)
            if target.startswith("/"):
                part = target[1:]
            else:
                part = posixpath.normpath(posixpath.join(base, target))
            out[rid] = (rel.get("Type") or "", part)
        return out

    def _load(self, parts: dict[str, bytes], limits: Limits) -> None:
        path = self.path
        names = {name.lower(): name for name in parts}

        # the workbook part, via the package relationships
        wb_part = None
        rels = self._read_part(parts, names, "_rels/.rels")
        if rels is not None:
            self.package_rels_part = names["_rels/.rels"]
            for typ, part in self._rels(_tree(rels, "_rels/.rels", path, limits), "").values():
                if typ.endswith("/custom-properties") and self.custom_part is None:
                    self._load_custom_properties(parts, names, part)
                if typ.endswith("/officeDocument") and wb_part is None:
                    wb_part = part
        if wb_part is None:
            wb_part = "xl/workbook.xml"
        if wb_part.lower().endswith(".bin") or "xl/workbook.bin" in names:
            raise _xlsb(path)
        wb_xml = self._read_part(parts, names, wb_part)
        if wb_xml is None:
            raise _corrupt(path, f"缺少 {wb_part}")
        self.workbook_part = names[wb_part.lower()]
        wb_root = _tree(wb_xml, wb_part, path, limits)
        if _local(wb_root.tag) != "workbook":
            raise _corrupt(path, f"{wb_part} 不是工作簿")

        # macro-enabled? (content type of the workbook part)
        ct = self._read_part(parts, names, "[Content_Types].xml")
        if ct is not None:
            self.content_types_part = names["[content_types].xml"]
            for el in _tree(ct, "[Content_Types].xml", path, limits):
                if el.get("PartName", "").lstrip("/").lower() == wb_part.lower():
                    self.macro_enabled = "macroenabled" in (el.get("ContentType") or "").lower()
                    break

        base = posixpath.dirname(wb_part)
        wb_rels_part = posixpath.join(base, "_rels", posixpath.basename(wb_part) + ".rels")
        wb_rels_xml = self._read_part(parts, names, wb_rels_part)
        wb_rels = self._rels(_tree(wb_rels_xml, wb_rels_part, path, limits), base) if wb_rels_xml is not None else {}
        if wb_rels_xml is not None:
            self.workbook_rels_part = names[wb_rels_part.lower()]
        for typ, part in wb_rels.values():
            if typ.endswith("/calcChain") and part.lower() in names:
                self.calc_chain_part = names[part.lower()]
            elif typ.endswith("/externalLink"):
                _check_external_link(parts, names, part, wb_rels_part, path, limits)

        sheets: list[tuple[str, str | None]] = []  # (name, r:id) in workbook order
        defined: list[tuple[str, str | None, str]] = []
        for el in wb_root:
            tag = _local(el.tag)
            if tag == "sheets":
                for sh in el:
                    if _local(sh.tag) != "sheet":
                        continue
                    rid = None
                    for k, v in sh.attrib.items():
                        if k.startswith("{") and _local(k) == "id":
                            rid = v
                            break
                    sheets.append((sh.get("name") or "", rid))
            elif tag == "definedNames":
                for dn in el:
                    if _local(dn.tag) != "definedName":
                        continue
                    if not (dn.get("name") or "").strip():
                        raise _invalid(path, wb_part, "有一个定义的名称没有名字")
                    defined.append((dn.get("name"), dn.get("localSheetId"), dn.text or ""))
            elif tag == "workbookPr":
                self.date1904 = (el.get("date1904") or "").lower() in ("1", "true")
            elif tag == "externalReferences":
                for ref in el:
                    rid = ref.get(_R_NS + "id")
                    if _local(ref.tag) == "externalReference" and rid not in wb_rels:
                        raise _invalid(path, wb_part, f"外部引用的关系 {rid} 不存在")
        if not sheets:
            raise PackageError(f"工作簿中没有任何工作表：{_name(path)}", path)
        _check_sheet_names([name for name, _ in sheets], wb_part, path)

        for name, local_id, text in defined:
            if local_id is not None:
                try:
                    sheet = sheets[int(local_id)][0]
                except (ValueError, IndexError):
                    continue
                self.defined_names[f"{sheet}!{name}"] = text
            else:
                self.defined_names[name] = text

        sst: list[str] = []
        sst_part = sst_counts = None
        n_styles = 0  # no stylesheet: only the default format 0
        for typ, part in wb_rels.values():
            if typ.endswith("/sharedStrings"):
                data = self._read_part(parts, names, part)
                if data is not None:
                    sst, counts = _parse_sst(data, part, path, limits)
                    sst_part, sst_counts = names[part.lower()], counts
            elif typ.endswith("/styles"):
                data = self._read_part(parts, names, part)
                if data is not None:
                    n_styles = _count_cell_formats(_tree(data, part, path, limits))

        cells = self.cells
        for name, rid in sheets:
            if not rid:
                # Excel writes <sheet r:id=""> for a hidden legacy macro sheet and opens the
                # file: like a chart sheet it has no cells to read, and the package keeps it
                continue
            rel = wb_rels.get(rid)
            if rel is None:
                raise _corrupt(path, f"工作表“{name}”缺少关系")
            typ, part = rel
            if not typ.endswith("/worksheet"):
                continue  # chart sheets, dialog sheets, macro sheets
            data = self._read_part(parts, names, part)
            if data is None:
                raise _corrupt(path, f"缺少工作表“{name}”的部件 {part}")
            records, unreadable = _parse_sheet(data, name, sst, self.date1904, cells, path, part, limits, n_styles)
            self._sheets[name] = SheetPart(name, names[part.lower()], data, records, unreadable)
            self.sheet_names.append(name)
        if not self.sheet_names:
            raise PackageError(f"工作簿中没有任何工作表：{_name(path)}", path)
        if sst_part is not None:
            self._repair_sst_counts(sst_part, sst_counts, len(sst), limits.cells)

    def _repair_sst_counts(self, part: str, counts: dict[str, str], unique: int, cells: int) -> None:
        """The shared-string table's ``uniqueCount`` is its number of strings, and its ``count``
        (references from cells) no more than the cells read: readers allocate by them (a count
        of 2,000,000,000 makes some fail).  Other values are repaired: ``uniqueCount`` set,
        ``count``, which is optional, left out."""
        def number(key):
            text = counts.get(key)
            return int(text) if text is not None and text.isdigit() and text.isascii() else -1

        bad_unique = "uniqueCount" in counts and number("uniqueCount") != unique
        bad_count = "count" in counts and not 0 <= number("count") <= cells
        if not (bad_unique or bad_count):
            return
        data = self._parts[part]
        m = _SST_START.search(data)
        tag = m.group()
        fixed = drop_attributes(tag, (b"count", b"uniqueCount") if bad_count else (b"uniqueCount",))
        end = len(fixed) - (2 if fixed.endswith(b"/>") else 1)
        fixed = fixed[:end].rstrip() + b' uniqueCount="%d"' % unique + fixed[end:]
        self.repaired_parts[part] = self._parts[part] = data[: m.start()] + fixed + data[m.end():]

    # -------------------------------------------------------------- queries

    def formula_cells(self) -> list[Cell]:
        """Every cell with a formula, sheet by sheet in document order."""
        if self._formula_cells is None:
            self._formula_cells = [c for c in self.cells.values() if c.has_formula()]
        return list(self._formula_cells)

    def _load_custom_properties(self, parts: dict, names: dict, part: str) -> None:
        data = self._read_part(parts, names, part)
        if data is None:
            return  # a dangling optional relationship: Excel opens such a file, and so do we
        self.custom_part = names[part.lower()]
        # a malformed part is refused with its name (check_package has refused a DOCTYPE)
        self.custom_properties = CustomProperties.parse(data, self.custom_part, self.path).texts()

    def writable(self, sheet: str, ref: str) -> bool:
        """True if ``write`` will store a result for this cell (a formula cell
        or a cell inside an array formula's range)."""
        sh = self._sheets.get(sheet)
        return sh is not None and ref in sh.records

    # ---------------------------------------------------------------- write

    def write(
        self,
        results: Mapping[tuple[str, str], object],
        target_path: str | os.PathLike,
        *,
        replace: bool = False,
        fsync: bool | None = None,
        freeze: Collection[tuple[str, str]] = frozenset(),
        custom_properties: Mapping[str, str] | None = None,
    ) -> None:
        """Write a copy of the workbook with ``results`` as the cached values
        (see `writer.write_package`, which documents every argument)."""
        write_package(self, results, target_path, replace=replace, fsync=fsync, freeze=freeze,
                      custom_properties=custom_properties)


# --------------------------------------------------------------------------
# Parts read whole
# --------------------------------------------------------------------------


def _xlsb(path) -> PackageError:
    return PackageError(
        f"这是 Excel 二进制工作簿（.xlsb），本工具只能处理 .xlsx/.xlsm，请在 Excel 中另存为 .xlsx 后再试：{_name(path)}",
        path,
    )


def _tree(data: bytes, part: str, path, limits: Limits) -> ET.Element:
    limits.check_tree_part(data, part, path)
    return _xml_root(data, part, path)


_R_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _check_external_link(parts: dict, names: dict, part: str, rels_part: str, path, limits: Limits) -> None:
    """A link to another workbook (``xl/externalLinks/externalLink1.xml``) is what formulas
    like ``[1]Sheet1!A1`` and their cached values rest on: Excel repairs a workbook whose
    link part is missing, is not an ``externalLink``, or names a file relationship it lacks,
    and openpyxl cannot read one at all.  Refused with the part named."""
    data = WorkbookPackage._read_part(parts, names, part)
    if data is None:
        raise _invalid(path, rels_part, f"外部链接部件 {part} 不存在")
    root = _tree(data, part, path, limits)
    if _local(root.tag) != "externalLink":
        raise _invalid(path, part, f"不是外部链接（根元素为 {_local(root.tag)}）")
    book = next((el for el in root if _local(el.tag) == "externalBook"), None)
    rid = book.get(_R_NS + "id") if book is not None else None
    if rid is None:
        return  # a DDE or OLE link: no file relationship
    folder, base = posixpath.split(part)
    link_rels_part = posixpath.join(folder, "_rels", base + ".rels")
    link_rels = WorkbookPackage._read_part(parts, names, link_rels_part)
    ids = {rel.get("Id") for rel in _tree(link_rels, link_rels_part, path, limits)} if link_rels is not None else set()
    if rid not in ids:
        raise _invalid(path, part, f"外部链接引用的关系 {rid} 不存在（{link_rels_part}）")


_BAD_SHEET_CHARS = set("[]:*?/\\")


def _check_sheet_names(names: list[str], part: str, path) -> None:
    """Excel refuses a workbook whose sheet names are empty, too long, repeated or hold []:*?/\\."""
    seen = set()
    for name in names:
        if not name.strip():
            raise _invalid(path, part, "有一个工作表没有名称")
        if len(name) > 31:
            raise _invalid(path, part, f"工作表名称“{name[:40]}”超过 31 个字符")
        if _BAD_SHEET_CHARS & set(name):
            raise _invalid(path, part, f"工作表名称“{name}”含有 Excel 不允许的字符")
        if name.lower() in seen:
            raise _invalid(path, part, f"工作表名称“{name}”重复")
        seen.add(name.lower())


def _count_cell_formats(root: ET.Element) -> int:
    for el in root:
        if _local(el.tag) == "cellXfs":
            return sum(1 for xf in el if _local(xf.tag) == "xf")
    return 0


def _parse_sst(data: bytes, part: str, path, limits: Limits) -> tuple[list[str], dict[str, str]]:
    """The shared strings, streamed (phonetic runs left out): a huge table never
    becomes an element tree; and the root's ``count``/``uniqueCount`` attributes."""
    out: list[str] = []
    counts: dict[str, str] = {}
    stack: list[str] = []
    buf: list[str] | None = None
    parts: list[str] = []
    n = 0
    max_elements = limits.max_elements

    def start(name, attrs):
        nonlocal buf, n
        n += 1
        if n > max_elements:
            raise _SstStop(limits.too_many_elements(path, part))
        loc = name[name.rfind("}") + 1 :]
        depth = len(stack)
        if depth == 0:
            counts.update((k, v) for k, v in attrs.items() if k in ("count", "uniqueCount"))
        stack.append(loc)
        if loc == "si" and depth == 1:
            parts.clear()
        elif loc == "t" and (
            (depth == 2 and stack[1] == "si") or (depth == 3 and stack[1] == "si" and stack[2] == "r")
        ):
            buf = []

    def end(name):
        nonlocal buf
        loc = stack.pop()
        if loc == "t" and buf is not None:
            parts.append("".join(buf))
            buf = None
        elif loc == "si" and len(stack) == 1:
            s = _unescape_x(parts[0] if len(parts) == 1 else "".join(parts))
            if len(s) > MAX_TEXT:
                raise _SstStop(_invalid(path, part, f"第 {len(out) + 1} 个共享字符串长 {len(s):,} 个字符，超过 Excel 单元格 32,767 个字符的上限"))
            out.append(s)

    def chars(text):
        if buf is not None:
            buf.append(text)

    p = expat.ParserCreate(namespace_separator="}")
    p.buffer_text = True
    p.StartElementHandler = start
    p.EndElementHandler = end
    p.CharacterDataHandler = chars
    try:
        p.Parse(data, True)
    except _SstStop as stop:
        raise stop.error from None
    except expat.ExpatError as e:  # pragma: no cover - validate checked it
        raise _corrupt(path, f"{part} 无法解析：{e}") from None
    return out, counts


_SST_START = re.compile(rb"<(?:[\w.-]+:)?sst[\s/>][^>]*>")


class _SstStop(Exception):
    def __init__(self, error: PackageError):
        self.error = error
