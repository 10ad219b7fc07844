"""The .xlsx/.xlsm package layer: read a workbook's cells and write results back.

Reading (``WorkbookPackage.open``) pulls out of the OOXML zip package only what
the recalculator needs: the worksheet names, the defined names, and every cell
that holds a value or a formula (shared formulas are expanded to each cell's
own references).  Nothing here evaluates formulas.

Writing (``WorkbookPackage.write``) is surgical.  For each formula cell that has
a result, only the cell's cached value ``<v>`` and the ``t`` attribute of its
``<c>`` element change; every other byte of the worksheet XML stays as it was
(the edits are made on the raw bytes, at offsets the XML parser reported while
reading).  ``fullCalcOnLoad`` is dropped from ``xl/workbook.xml``'s ``<calcPr>``
so that Excel without the add-in shows the stored values instead of
recalculating to ``#NAME?``.  With ``freeze=`` the named formula cells become
constants holding their values (the portable copy, `xladdin.freeze`): their
``<f>`` goes, shared-formula groups they belonged to are split into plain
formulas, and ``xl/calcChain.xml`` is dropped (with its relationship and
content type).  Every other part of the package, including a
``vbaProject.bin``, is copied with its compressed bytes untouched, in the same
order and with the same names, compression and dates.  The new file is written
to a temporary file beside the target and moved over it atomically.

Untrusted input is refused with a ``PackageError`` whose ``message_zh`` is meant
for finance users: corrupt or truncated files, legacy ``.xls``, password
protected workbooks, zip bombs, XML with a DOCTYPE or entity declarations, and
packages without a workbook or worksheets.

Only the standard library is used (``zipfile``, ``zlib``, ``xml.etree`` and
``pyexpat``); XML with any DOCTYPE is rejected before it reaches a parser, so
no entity can ever be expanded.
"""

from __future__ import annotations

import datetime as _dt
import io
import math
import numbers
import os
import posixpath
import re
import secrets
import stat
import struct
import time
import zipfile
import zlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Collection, Iterable, Mapping
from urllib.parse import unquote
from xml.etree import ElementTree as ET
from xml.parsers import expat

from udfs.errors import ERROR_LITERALS

__all__ = [
    "PackageError",
    "ErrorValue",
    "Cell",
    "WorkbookPackage",
    "shift_formula",
    "column_letters",
    "column_number",
    "split_ref",
]

MAX_ROW = 1_048_576
MAX_COL = 16_384
# Members at least this big must not compress better than max_ratio.
_RATIO_MIN_SIZE = 1 << 20
_MAX_MEMBERS = 10_000


# --------------------------------------------------------------------------
# Public value types
# --------------------------------------------------------------------------


class PackageError(Exception):
    """A workbook file could not be read or written.

    ``message_zh`` is a complete Chinese sentence for the user (it names the
    file); ``path`` is the file concerned.
    """

    def __init__(self, message_zh: str, path: str | os.PathLike | None = None):
        super().__init__(message_zh)
        self.message_zh = message_zh
        self.path = os.fspath(path) if path is not None else None

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.message_zh


class ErrorValue(str):
    """A cell error such as ``#N/A`` or ``#DIV/0!`` (a cell with ``t="e"``)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"ErrorValue({str.__repr__(self)})"


@dataclass(slots=True)
class Cell:
    """One cell that has a value or a formula.

    ``formula`` is the formula text without the leading ``=`` exactly as
    stored in ``<f>`` (for a shared formula: the master's text shifted to this
    cell).  ``value`` is the cached value: ``float`` for numbers, ``str``,
    ``bool``, ``ErrorValue`` or ``None``.  ``array_ref`` is the range of an
    array formula on its master cell (e.g. ``"C1:C3"``), else ``None``.
    """

    sheet: str
    ref: str
    formula: str | None
    value: float | str | bool | ErrorValue | None
    array_ref: str | None = None


# --------------------------------------------------------------------------
# Cell references and shared-formula shifting
# --------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def column_letters(n: int) -> str:
    """1 -> "A", 28 -> "AB"."""
    s = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def column_number(letters: str) -> int:
    """"A" -> 1, "ab" -> 28."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


_REF_RE = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})\Z")


def split_ref(ref: str) -> tuple[int, int]:
    """"B3" -> (row 3, column 2).  Raises ValueError for anything else."""
    m = _REF_RE.match(ref)
    if not m:
        raise ValueError(f"not a cell reference: {ref!r}")
    return int(m.group(2)), column_number(m.group(1))


_CELL_WORD = re.compile(r"(\$?)([A-Za-z]{1,3})(\$?)([1-9][0-9]{0,6})\Z")
_COL_WORD = re.compile(r"(\$?)([A-Za-z]{1,3})\Z")
_NOT_NAME_AFTER = r"(?![\w.$(\[!?\\])"
_COL_AFTER = re.compile(r":(\$?)([A-Za-z]{1,3})" + _NOT_NAME_AFTER)
_ROW_RANGE = re.compile(r"(\$?)([0-9]{1,7}):(\$?)([0-9]{1,7})" + _NOT_NAME_AFTER)
_NUMBER = re.compile(r"[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?|[0-9]+\.?")
_NAME_CHARS = frozenset("_.\\?$")


def _is_name_char(ch: str) -> bool:
    return ch.isalnum() or ch in _NAME_CHARS


def _skip_quoted(s: str, i: int, q: str) -> int:
    """Index just past the quoted run starting at s[i] == q ("" / '' escapes)."""
    n = len(s)
    j = i + 1
    while j < n:
        if s[j] == q:
            if j + 1 < n and s[j + 1] == q:
                j += 2
                continue
            return j + 1
        j += 1
    return n


def _skip_brackets(s: str, i: int) -> int:
    """Index just past the [...] group starting at s[i] (nested; ' escapes)."""
    depth = 0
    n = len(s)
    j = i
    while j < n:
        ch = s[j]
        if ch == "'":
            j += 2
            continue
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return n


def _compile_formula(f: str) -> tuple:
    """Split a formula into literal text and relocatable references.

    Returns a tuple of pieces: ``str`` (copied as is), ``("C", col_abs, col,
    row_abs, row)`` for a cell, ``("K", abs, col)`` for one end of a column
    range and ``("R", abs, row)`` for one end of a row range.
    """
    pieces: list = []
    lit: list[str] = []
    i = 0
    n = len(f)

    def flush() -> None:
        if lit:
            pieces.append("".join(lit))
            lit.clear()

    while i < n:
        ch = f[i]
        if ch == '"' or ch == "'":
            j = _skip_quoted(f, i, ch)
            lit.append(f[i:j])
            i = j
        elif ch == "[":
            j = _skip_brackets(f, i)
            lit.append(f[i:j])
            i = j
        elif ch == "#":
            for e in ERROR_LITERALS:
                if f.startswith(e, i):
                    lit.append(e)
                    i += len(e)
                    break
            else:
                lit.append(ch)
                i += 1
        elif ch.isdigit() or ch == "." or (ch == "$" and i + 1 < n and f[i + 1].isdigit()):
            m = _ROW_RANGE.match(f, i)
            if m:
                flush()
                pieces.append(("R", m.group(1) == "$", int(m.group(2))))
                pieces.append(":")
                pieces.append(("R", m.group(3) == "$", int(m.group(4))))
                i = m.end()
                continue
            m = _NUMBER.match(f, i)
            if m and m.end() > i:
                lit.append(m.group())
                i = m.end()
            else:
                lit.append(ch)
                i += 1
        elif ch.isalpha() or ch in "_\\$":
            j = i + 1
            while j < n and _is_name_char(f[j]):
                j += 1
            word = f[i:j]
            nxt = f[j] if j < n else ""
            if nxt in ("(", "!", "["):  # function, sheet name, table name
                lit.append(word)
                i = j
                continue
            m = _CELL_WORD.match(word)
            if m:
                col = column_number(m.group(2))
                row = int(m.group(4))
                if col <= MAX_COL and row <= MAX_ROW:
                    flush()
                    pieces.append(("C", m.group(1) == "$", col, m.group(3) == "$", row))
                    i = j
                    continue
            if nxt == ":":
                m = _COL_WORD.match(word)
                m2 = _COL_AFTER.match(f, j) if m else None
                if m2:
                    c1 = column_number(m.group(2))
                    c2 = column_number(m2.group(2))
                    if c1 <= MAX_COL and c2 <= MAX_COL:
                        flush()
                        pieces.append(("K", m.group(1) == "$", c1))
                        pieces.append(":")
                        pieces.append(("K", m2.group(1) == "$", c2))
                        i = m2.end()
                        continue
            lit.append(word)
            i = j
        else:
            lit.append(ch)
            i += 1
    flush()
    return tuple(pieces)


def _render_formula(pieces: tuple, drow: int, dcol: int) -> str:
    out = []
    for p in pieces:
        if type(p) is str:
            out.append(p)
            continue
        kind = p[0]
        if kind == "C":
            _, cabs, col, rabs, row = p
            if not cabs:
                col += dcol
            if not rabs:
                row += drow
            if 1 <= col <= MAX_COL and 1 <= row <= MAX_ROW:
                out.append(("$" if cabs else "") + column_letters(col) + ("$" if rabs else "") + str(row))
            else:
                out.append("#REF!")
        elif kind == "K":
            _, cabs, col = p
            if not cabs:
                col += dcol
            out.append(("$" if cabs else "") + column_letters(col) if 1 <= col <= MAX_COL else "#REF!")
        else:
            _, rabs, row = p
            if not rabs:
                row += drow
            out.append(("$" if rabs else "") + str(row) if 1 <= row <= MAX_ROW else "#REF!")
    return "".join(out)


def shift_formula(formula: str, rows: int, cols: int) -> str:
    """Move a formula's relative references by ``rows`` and ``cols``.

    This is how a shared formula reaches its other cells: ``$`` parts stay,
    sheet-qualified references move too, text in string literals, function
    names, defined names and table references are left alone.  A reference
    pushed off the sheet becomes ``#REF!``.
    """
    return _render_formula(_compile_formula(formula), rows, cols)


# --------------------------------------------------------------------------
# Messages
# --------------------------------------------------------------------------


def _name(path) -> str:
    return os.path.basename(os.fspath(path)) or os.fspath(path)


def _corrupt(path, detail: str = "") -> PackageError:
    msg = f"文件已损坏或不是 Excel 工作簿（.xlsx/.xlsm）：{_name(path)}"
    if detail:
        msg += f"（{detail}）"
    return PackageError(msg, path)


def _unsafe_xml(path, part: str) -> PackageError:
    return PackageError(
        f"文件包含不安全的 XML 内容（DOCTYPE/实体声明），为安全起见拒绝打开：{_name(path)}（部件 {part}）",
        path,
    )


def _bomb(path) -> PackageError:
    return PackageError(
        f"文件内容异常（解压后过大或压缩比过高，疑似“压缩炸弹”），为安全起见拒绝打开：{_name(path)}",
        path,
    )


# --------------------------------------------------------------------------
# XML helpers
# --------------------------------------------------------------------------

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _has_dtd(data: bytes) -> bool:
    if data[:2] in _UTF16_BOMS or (len(data) > 1 and (data[0] == 0 or data[1] == 0)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            return True  # undecodable: refuse rather than guess
        return "<!DOCTYPE" in text or "<!ENTITY" in text
    return b"<!DOCTYPE" in data or b"<!ENTITY" in data


def _xml_root(data: bytes, part: str, path) -> ET.Element:
    if _has_dtd(data):
        raise _unsafe_xml(path, part)
    try:
        return ET.fromstring(data)
    except ET.ParseError as e:
        raise _corrupt(path, f"{part} 无法解析：{e}") from None


def _ns(tag: str) -> str:
    return tag[: tag.index("}") + 1] if tag.startswith("{") else ""


def _local(tag: str) -> str:
    return tag[tag.rfind("}") + 1 :]


_XESC_RE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescape_x(s: str) -> str:
    """Decode OOXML's _xHHHH_ character escapes (ST_Xstring)."""
    if "_x" not in s:
        return s
    return _XESC_RE.sub(lambda m: chr(int(m.group(1), 16)), s)


_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _escape_text(s: str) -> str:
    if "_x" in s:
        s = _XESC_RE.sub(lambda m: "_x005F" + m.group(0), s)
    if _XML_BAD.search(s):
        s = _XML_BAD.sub(lambda m: "_x%04X_" % ord(m.group()), s)
    if "&" in s:
        s = s.replace("&", "&amp;")
    if "<" in s:
        s = s.replace("<", "&lt;")
    if ">" in s:
        s = s.replace(">", "&gt;")
    return s


# start tag at a given offset: name, attributes with quoted values, > or />
_TAG_RE = re.compile(rb"<[^\s/>]+(?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*\s*/?>")
_ATTR_RE = re.compile(rb"(\s+)([^\s=/>]+)(\s*=\s*)(\"[^\"]*\"|'[^']*')")
_CALCPR_RE = re.compile(rb"<(?:[^\s/>:]+:)?calcPr[\s/>]")
# document custom properties (docProps/custom.xml)
_CUSTOM_NS = b"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT_NS = b"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_CUSTOM_REL = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
_CUSTOM_TYPE = b"application/vnd.openxmlformats-officedocument.custom-properties+xml"
_ENCODING_RE = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")

_EXCEL_EPOCH = _dt.datetime(1899, 12, 30)
_EXCEL_EPOCH_1904 = _dt.datetime(1904, 1, 1)


def _iso_to_serial(text: str, date1904: bool) -> float | str:
    try:
        d = _dt.datetime.fromisoformat(text.rstrip("Z"))
    except ValueError:
        try:
            t = _dt.time.fromisoformat(text)
        except ValueError:
            return text
        return (t.hour * 3600 + t.minute * 60 + t.second + t.microsecond / 1e6) / 86400
    base = _EXCEL_EPOCH_1904 if date1904 else _EXCEL_EPOCH
    return (d.replace(tzinfo=None) - base) / _dt.timedelta(days=1)


# --------------------------------------------------------------------------
# Worksheet reader (pyexpat, with byte offsets for write-back)
# --------------------------------------------------------------------------


class _Sheet:
    __slots__ = ("name", "part", "data", "records")

    def __init__(self, name: str, part: str, data: bytes, records: dict):
        self.name = name
        self.part = part
        self.data = data
        # ref -> (c_start, c_qname, c_end, f_end, v_span, is_span); each
        # span is (start, end_index, empty) as reported by expat.
        self.records = records


def _forbid(*_args):
    raise _DTDFound


class _DTDFound(Exception):
    pass


def _parse_sheet(data: bytes, sheet: str, sst: list, date1904: bool, out: dict, path, part: str) -> dict:
    """Parse one worksheet, adding its cells to ``out``; returns write records."""
    records: dict = {}
    masters: dict = {}  # si -> (row, col, formula)
    pending: list = []  # (cell, si) of shared-formula cells without text
    arrays: list = []  # (r1, c1, r2, c2)
    local: dict = {}

    p = expat.ParserCreate()
    p.buffer_text = True
    p.StartDoctypeDeclHandler = _forbid
    p.EntityDeclHandler = _forbid
    p.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    in_sd = False
    row_num = 0
    prev_ref = None
    last_start = -1
    buf = None  # list collecting character data, or None
    # current cell
    c_ref = c_t = c_q = None
    c_start = 0
    f_attrs = f_text = f_span = None
    v_text = v_span = None
    v_start = f_start = is_start = 0
    is_parts = is_span = None
    in_is = in_rph = False

    def start(name, attrs):
        nonlocal in_sd, row_num, prev_ref, last_start, buf, c_ref, c_t, c_q, c_start
        nonlocal f_attrs, f_text, f_span, v_text, v_span, v_start, f_start, is_start
        nonlocal is_parts, is_span, in_is, in_rph
        loc = local.get(name)
        if loc is None:
            loc = local[name] = name[name.rfind(":") + 1 :]
        if not in_sd:
            if loc == "sheetData":
                in_sd = True
            return
        idx = last_start = p.CurrentByteIndex
        if loc == "c":
            r = attrs.get("r")
            if r is None:
                if prev_ref is None:
                    col = 1
                else:
                    col = split_ref(prev_ref)[1] + 1
                r = column_letters(col) + str(row_num)
            elif not r.isupper():
                r = r.upper()
            prev_ref = c_ref = r
            c_t = attrs.get("t")
            c_q = name
            c_start = idx
            f_attrs = f_text = f_span = v_text = v_span = is_parts = is_span = None
        elif loc == "v":
            v_start = idx
            buf = []
        elif loc == "f":
            f_attrs = attrs
            f_start = idx
            buf = []
        elif loc == "row":
            r = attrs.get("r")
            row_num = int(r) if r else row_num + 1
            prev_ref = None
        elif loc == "is":
            in_is = True
            is_parts = []
            is_start = idx
        elif loc == "t":
            if in_is and not in_rph:
                buf = []
        elif loc == "rPh":
            in_rph = True

    def end(name):
        nonlocal in_sd, buf, f_text, f_span, v_text, v_span, is_span, in_is, in_rph
        loc = local[name]
        if not in_sd:
            return
        if loc == "c":
            _end_cell()
        elif loc == "v":
            v_text = "".join(buf)
            buf = None
            idx = p.CurrentByteIndex
            v_span = (v_start, idx, last_start == v_start and data[idx - 2 : idx] == b"/>")
        elif loc == "f":
            f_text = "".join(buf)
            buf = None
            idx = p.CurrentByteIndex
            f_span = (f_start, idx, last_start == f_start and data[idx - 2 : idx] == b"/>")
        elif loc == "t":
            if buf is not None and in_is:
                is_parts.append("".join(buf))
                buf = None
        elif loc == "rPh":
            in_rph = False
        elif loc == "is":
            in_is = False
            idx = p.CurrentByteIndex
            is_span = (is_start, idx, last_start == is_start and data[idx - 2 : idx] == b"/>")
        elif loc == "sheetData":
            in_sd = False

    def chars(text):
        nonlocal last_start
        last_start = -1
        if buf is not None:
            buf.append(text)

    def _end_cell():
        idx = p.CurrentByteIndex
        t = c_t
        v = v_text
        if t is None or t == "n":
            if v:
                try:
                    value = float(v)
                except ValueError:
                    value = v
            else:
                value = None
        elif t == "s":
            if v:
                try:
                    value = sst[int(v)]
                except (ValueError, IndexError):
                    raise _corrupt(path, f"{part} 单元格 {c_ref} 引用了不存在的共享字符串") from None
            else:
                value = None
        elif t == "str":
            value = _unescape_x(v) if v is not None else None
        elif t == "inlineStr":
            value = _unescape_x("".join(is_parts)) if is_parts is not None else v
        elif t == "b":
            value = (v.strip() in ("1", "true")) if v else None
        elif t == "e":
            value = ErrorValue(v) if v else None
        elif t == "d":
            value = _iso_to_serial(v, date1904) if v else None
        else:
            value = v

        formula = None
        array_ref = None
        writable = False
        if f_attrs is not None:
            ft = f_attrs.get("t")
            if ft == "shared":
                si = f_attrs.get("si")
                if f_text:
                    formula = f_text
                    if f_attrs.get("ref") is not None and si is not None and si not in masters:
                        row, col = split_ref(c_ref)
                        masters[si] = (row, col, f_text)
                elif si is not None:
                    writable = True
                    cell = Cell(sheet, c_ref, None, value)
                    out[(sheet, c_ref)] = cell
                    pending.append((cell, si))
            elif ft == "array":
                if f_text:
                    formula = f_text
                    array_ref = f_attrs.get("ref") or c_ref
                    try:
                        a, _, b = array_ref.partition(":")
                        r1, c1 = split_ref(a)
                        r2, c2 = split_ref(b) if b else (r1, c1)
                        arrays.append((r1, c1, r2, c2))
                    except ValueError:
                        pass
            elif ft != "dataTable" and f_text:
                formula = f_text
            if formula is not None:
                writable = True
        elif arrays:
            row, col = split_ref(c_ref)
            for r1, c1, r2, c2 in arrays:
                if r1 <= row <= r2 and c1 <= col <= c2:
                    writable = True
                    break

        if writable:
            records[c_ref] = (
                c_start,
                c_q,
                (idx, last_start == c_start and data[idx - 2 : idx] == b"/>"),
                f_span,
                v_span,
                is_span,
            )
        if formula is not None or (value is not None and not (writable and f_attrs is not None)):
            out[(sheet, c_ref)] = Cell(sheet, c_ref, formula, value, array_ref)

    p.StartElementHandler = start
    p.EndElementHandler = end
    p.CharacterDataHandler = chars
    try:
        p.Parse(data, True)
    except _DTDFound:
        raise _unsafe_xml(path, part) from None
    except expat.ExpatError as e:
        raise _corrupt(path, f"{part} 无法解析：{e}") from None
    except ValueError as e:  # bad row/cell numbers
        raise _corrupt(path, f"{part}：{e}") from None

    if pending:
        compiled: dict = {}
        for cell, si in pending:
            m = masters.get(si)
            if m is None:
                records.pop(cell.ref, None)
                if cell.value is None:
                    out.pop((sheet, cell.ref), None)
                continue
            tpl = compiled.get(si)
            if tpl is None:
                tpl = compiled[si] = _compile_formula(m[2])
            row, col = split_ref(cell.ref)
            cell.formula = _render_formula(tpl, row - m[0], col - m[1])
    return records


# --------------------------------------------------------------------------
# Write-back helpers
# --------------------------------------------------------------------------


def _encode_result(value, date1904: bool) -> tuple[bytes | None, str]:
    """Result -> (t attribute or None, text of <v>)."""
    if type(value) is float:  # the common case first
        if value.is_integer() and abs(value) < 1e15:
            return None, str(int(value))
        if value != value or value in (math.inf, -math.inf):
            return b"e", "#NUM!"
        return None, repr(value)
    if value is None:
        return b"str", ""
    if isinstance(value, str):
        # any str subclass called ErrorValue counts, so an engine with its own
        # error type (until the two are unified) still writes t="e"
        if isinstance(value, ErrorValue) or type(value).__name__ == "ErrorValue":
            return b"e", str(value)
        return b"str", value
    if isinstance(value, bool) or type(value).__name__ in ("bool_", "bool"):
        return b"b", "1" if value else "0"
    if isinstance(value, numbers.Integral):
        v = int(value)
        return None, str(v) if abs(v) < 10**15 else repr(float(v))
    if isinstance(value, numbers.Real):
        v = float(value)
        if math.isnan(v) or math.isinf(v):
            return b"e", "#NUM!"
        if v.is_integer() and abs(v) < 1e15:
            return None, str(int(v))
        return None, repr(v)
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        if isinstance(value, _dt.time):
            serial = (value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6) / 86400
        else:
            if not isinstance(value, _dt.datetime):
                value = _dt.datetime(value.year, value.month, value.day)
            base = _EXCEL_EPOCH_1904 if date1904 else _EXCEL_EPOCH
            serial = (value.replace(tzinfo=None) - base) / _dt.timedelta(days=1)
        return _encode_result(serial, date1904)
    raise TypeError(f"cannot store a {type(value).__name__} as a cell value: {value!r}")


def _after(data: bytes, span: tuple) -> int:
    """Offset just past an element, from (start, expat end index, empty)."""
    start, idx, empty = span
    if empty:
        return idx
    return data.index(b">", idx) + 1


def _set_t(tag: bytes, new_t: bytes | None, qlen: int) -> bytes:
    """Return the start tag with its t attribute set to new_t (or removed)."""
    last_end = 1 + qlen
    for m in _ATTR_RE.finditer(tag, last_end):
        if m.group(2) == b"t":
            s, e = m.span()
            if new_t is None:
                return tag[:s] + tag[e:]
            q = m.group(4)[:1]
            return tag[: m.start(4)] + q + new_t + q + tag[e:]
        last_end = m.end()
    if new_t is None:
        return tag
    return tag[:last_end] + b' t="' + new_t + b'"' + tag[last_end:]


def _tag_attrs(data: bytes, start: int) -> dict[bytes, bytes]:
    """The attributes of the start tag at ``data[start]`` (values unquoted)."""
    tm = _TAG_RE.match(data, start)
    if tm is None:
        return {}
    return {m.group(2): m.group(4)[1:-1] for m in _ATTR_RE.finditer(tm.group())}


def _drop_attrs(tag: bytes, names: tuple[bytes, ...]) -> bytes:
    """The start tag without the named attributes."""
    out = []
    pos = 0
    for m in _ATTR_RE.finditer(tag):
        if m.group(2) in names:
            out.append(tag[pos : m.start()])
            pos = m.end()
    out.append(tag[pos:])
    return b"".join(out)


def _drop_elements(data: bytes, local: bytes, drop) -> bytes:
    """``data`` without the ``local`` elements (any prefix) whose attributes
    (a dict, values unquoted) satisfy ``drop``; everything else byte for byte."""
    out = []
    pos = 0
    for m in re.finditer(rb"<(?:[^\s/>:]+:)?" + re.escape(local) + rb"[\s/>]", data):
        if m.start() < pos:
            continue
        tm = _TAG_RE.match(data, m.start())
        if tm is None:
            continue
        tag = tm.group()
        if not drop({a.group(2): a.group(4)[1:-1] for a in _ATTR_RE.finditer(tag)}):
            continue
        end = tm.end()
        if not tag.endswith(b"/>"):
            qname = tag[1 : len(m.group()) - 1]
            close = re.compile(rb"</" + re.escape(qname) + rb"\s*>").search(data, end)
            if close is None:
                continue
            end = close.end()
        out.append(data[pos : m.start()])
        pos = end
    out.append(data[pos:])
    return b"".join(out)


def _escape_formula(f: str) -> str:
    # formula text is kept as stored (its _xHHHH_ escapes included): XML only
    return f.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _rewrite_sheet(sheet: _Sheet, items: list, path, f_rewrites=()) -> bytes:
    """The worksheet with new cached values.

    ``items`` are (record, (t, text), frozen); a frozen cell loses its <f> and
    keeps the value as a constant ((None, None): no value).  ``f_rewrites``
    are (f_span, formula): <f> elements to replace by a plain formula.
    """
    data = sheet.data
    ascii_only = False
    if data[:2] in _UTF16_BOMS or (len(data) > 1 and (data[0] == 0 or data[1] == 0)):
        raise PackageError(
            f"不支持写回以 UTF-16 编码保存的工作表“{sheet.name}”：{_name(path)}。请在 Excel 中重新保存后再试",
            path,
        )
    m = _ENCODING_RE.match(data[:200])
    if m and m.group(1).lower().replace(b"_", b"-") not in (b"utf-8", b"utf8"):
        ascii_only = True

    def enc(text: str) -> bytes:
        return text.encode("ascii", "xmlcharrefreplace") if ascii_only else text.encode("utf-8")

    edits = []
    for rec, value, frozen in items:
        c_start, c_q, c_end, f_span, v_span, is_span = rec
        new_t, text = value
        qb = c_q.encode("utf-8")
        prefix = qb[:-1]
        if text is None:  # a frozen cell without a value
            vb = b""
        elif frozen and new_t == b"str":  # a constant text cell: inline string
            new_t = b"inlineStr"
            space = b' xml:space="preserve"' if text != text.strip() else b""
            vb = b"<" + prefix + b"is><" + prefix + b"t" + space + b">" + enc(_escape_text(text)) + b"</" + prefix + b"t></" + prefix + b"is>"
        else:
            vb = b"<" + prefix + b"v>" + enc(_escape_text(text)) + b"</" + prefix + b"v>"
        tm = _TAG_RE.match(data, c_start)
        if tm is None:  # pragma: no cover - expat accepted this tag
            raise _corrupt(path, f"{sheet.part} 单元格 {c_q}")
        tag_end = tm.end()
        new_tag = _set_t(tm.group(), new_t, len(qb))
        if frozen:
            # cm points at dynamic-array metadata of the formula that is gone
            new_tag = _drop_attrs(new_tag, (b"cm",))
        if c_end[1]:  # <c .../>
            if vb:
                edits.append((c_start, tag_end, new_tag[:-2] + b">" + vb + b"</" + qb + b">"))
            else:
                edits.append((c_start, tag_end, new_tag))
            continue
        edits.append((c_start, tag_end, new_tag))
        if frozen and f_span is not None:
            edits.append((f_span[0], _after(data, f_span), b""))
        if v_span is not None:
            edits.append((v_span[0], _after(data, v_span), vb))
        else:
            pos = _after(data, f_span) if f_span is not None else tag_end
            edits.append((pos, pos, vb))
        if is_span is not None:
            edits.append((is_span[0], _after(data, is_span), b""))
    for f_span, formula in f_rewrites:
        tm = _TAG_RE.match(data, f_span[0])
        if tm is None:  # pragma: no cover - expat accepted this tag
            raise _corrupt(path, f"{sheet.part} 公式")
        tag = _drop_attrs(tm.group(), (b"t", b"ref", b"si"))
        qname = re.match(rb"<([^\s/>]+)", tag).group(1)
        if tag.endswith(b"/>"):
            tag = tag[:-2].rstrip() + b">"
        edits.append((f_span[0], _after(data, f_span), tag + enc(_escape_formula(formula)) + b"</" + qname + b">"))
    # by start, an insertion before a replacement that starts at the same place
    edits.sort(key=lambda e: (e[0], e[1]))
    out = []
    pos = 0
    for s, e, rep in edits:
        out.append(data[pos:s])
        out.append(rep)
        pos = e
    out.append(data[pos:])
    return b"".join(out)


def _strip_full_calc(data: bytes) -> bytes | None:
    """workbook.xml without fullCalcOnLoad="1" on <calcPr>, or None if absent."""
    m = _CALCPR_RE.search(data)
    if m is None:
        return None
    tm = _TAG_RE.match(data, m.start())
    if tm is None:
        return None
    for am in _ATTR_RE.finditer(tm.group()):
        if am.group(2) == b"fullCalcOnLoad":
            if am.group(4)[1:-1].strip() not in (b"1", b"true"):
                return None
            s = tm.start() + am.start()
            e = tm.start() + am.end()
            return data[:s] + data[e:]
    return None


def _strip_zip64(extra: bytes) -> bytes:
    """Drop ZIP64 extended-information records from an extra field."""
    if not extra:
        return extra
    out = []
    i = 0
    n = len(extra)
    while i + 4 <= n:
        hid, size = struct.unpack_from("<HH", extra, i)
        if hid != 0x0001:
            out.append(extra[i : i + 4 + size])
        i += 4 + size
    if i < n:
        out.append(extra[i:])
    return b"".join(out)


_LOCAL = struct.Struct("<4sHHHHHLLLHH")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_EOCD = struct.Struct("<4s4H2LH")


# --------------------------------------------------------------------------
# The package
# --------------------------------------------------------------------------


class WorkbookPackage:
    """An opened .xlsx/.xlsm package: its cells, names and the raw parts."""

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
        self._raw = b""
        self._infos: list[zipfile.ZipInfo] = []
        self._comment = b""
        self._sheets: dict[str, _Sheet] = {}
        self._workbook_part = ""
        self._workbook_xml = b""
        self._formula_cells: list[Cell] | None = None
        # for dropping xl/calcChain.xml when formulas are frozen: the part's
        # name, and the names and bytes of the parts that mention it
        self._calc_chain_part: str | None = None
        self._content_types: tuple[str, bytes] | None = None
        self._workbook_rels: tuple[str, bytes] | None = None
        # document custom properties (docProps/custom.xml): name -> text
        self.custom_properties: dict[str, str] = {}
        self._package_rels: tuple[str, bytes] | None = None
        self._custom_part: tuple[str, bytes] | None = None

    # ------------------------------------------------------------------ open

    @classmethod
    def open(
        cls,
        path: str | os.PathLike,
        *,
        max_uncompressed_bytes: int = 200 * 1024 * 1024,
        max_ratio: float = 200,
    ) -> "WorkbookPackage":
        """Read a workbook.  Raises PackageError for anything unusable."""
        self = cls()
        self.path = os.fspath(path)
        raw = self._read_file(max_uncompressed_bytes)
        self._raw = raw
        if raw[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            raise self._ole2_error(raw)
        try:
            zf = zipfile.ZipFile(io.BytesIO(raw))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
            raise _corrupt(path) from None
        with zf:
            self._check_members(zf, max_uncompressed_bytes, max_ratio)
            self._comment = zf.comment
            self._load(zf)
        return self

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
            with open(path, "rb") as fh:
                return fh.read(limit + 1)
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

    def _check_members(self, zf: zipfile.ZipFile, limit: int, max_ratio: float) -> None:
        path = self.path
        infos = zf.infolist()
        if len(infos) > _MAX_MEMBERS:
            raise _bomb(path)
        total = 0
        seen = set()
        for zi in infos:
            key = zi.filename.lower()
            if key in seen:
                raise _corrupt(path, f"部件重复：{zi.filename}")
            seen.add(key)
            if zi.flag_bits & 0x1:
                raise PackageError(
                    f"文件已加密，请先在 Excel 中取消密码保护后再试：{_name(path)}", path
                )
            total += zi.file_size
            if total > limit:
                raise _bomb(path)
            if zi.file_size >= _RATIO_MIN_SIZE and (
                zi.compress_size <= 0 or zi.file_size / zi.compress_size > max_ratio
            ):
                raise _bomb(path)
        self._infos = infos

    def _read_part(self, zf: zipfile.ZipFile, names: dict, part: str) -> bytes | None:
        real = names.get(part.lower())
        if real is None:
            return None
        try:
            return zf.read(real)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError, ValueError):
            raise _corrupt(self.path, f"部件 {real} 无法解压") from None

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

    def _load(self, zf: zipfile.ZipFile) -> None:
        path = self.path
        names = {zi.filename.lower(): zi.filename for zi in self._infos}

        # the workbook part, via the package relationships
        wb_part = None
        rels = self._read_part(zf, names, "_rels/.rels")
        if rels is not None:
            self._package_rels = (names["_rels/.rels"], rels)
            for typ, part in self._rels(_xml_root(rels, "_rels/.rels", path), "").values():
                if typ.endswith("/custom-properties") and self._custom_part is None:
                    self._load_custom_properties(zf, names, part)
                if typ.endswith("/officeDocument") and wb_part is None:
                    wb_part = part
        if wb_part is None:
            wb_part = "xl/workbook.xml"
        if wb_part.lower().endswith(".bin") or "xl/workbook.bin" in names:
            raise PackageError(
                f"这是 Excel 二进制工作簿（.xlsb），本工具只能处理 .xlsx/.xlsm，请在 Excel 中另存为 .xlsx 后再试：{_name(path)}",
                path,
            )
        wb_xml = self._read_part(zf, names, wb_part)
        if wb_xml is None:
            raise _corrupt(path, f"缺少 {wb_part}")
        self._workbook_part = names[wb_part.lower()]
        self._workbook_xml = wb_xml
        wb_root = _xml_root(wb_xml, wb_part, path)
        if _local(wb_root.tag) != "workbook":
            raise _corrupt(path, f"{wb_part} 不是工作簿")

        # macro-enabled? (content type of the workbook part)
        ct = self._read_part(zf, names, "[Content_Types].xml")
        if ct is not None:
            self._content_types = (names["[content_types].xml"], ct)
            for el in _xml_root(ct, "[Content_Types].xml", path):
                if el.get("PartName", "").lstrip("/").lower() == wb_part.lower():
                    self.macro_enabled = "macroenabled" in (el.get("ContentType") or "").lower()
                    break

        base = posixpath.dirname(wb_part)
        wb_rels_part = posixpath.join(base, "_rels", posixpath.basename(wb_part) + ".rels")
        wb_rels_xml = self._read_part(zf, names, wb_rels_part)
        wb_rels = self._rels(_xml_root(wb_rels_xml, wb_rels_part, path), base) if wb_rels_xml is not None else {}
        if wb_rels_xml is not None:
            self._workbook_rels = (names[wb_rels_part.lower()], wb_rels_xml)
        for typ, part in wb_rels.values():
            if typ.endswith("/calcChain") and part.lower() in names:
                self._calc_chain_part = names[part.lower()]
                break

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
                    if _local(dn.tag) == "definedName" and dn.get("name"):
                        defined.append((dn.get("name"), dn.get("localSheetId"), dn.text or ""))
            elif tag == "workbookPr":
                self.date1904 = (el.get("date1904") or "").lower() in ("1", "true")
        if not sheets:
            raise PackageError(f"工作簿中没有任何工作表：{_name(path)}", path)

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
        for typ, part in wb_rels.values():
            if typ.endswith("/sharedStrings"):
                data = self._read_part(zf, names, part)
                if data is not None:
                    sst = self._parse_sst(_xml_root(data, part, path))
                break

        cells = self.cells
        for name, rid in sheets:
            rel = wb_rels.get(rid) if rid is not None else None
            if rel is None:
                raise _corrupt(path, f"工作表“{name}”缺少关系")
            typ, part = rel
            if not typ.endswith("/worksheet"):
                continue  # chart sheets, dialog sheets, macro sheets
            data = self._read_part(zf, names, part)
            if data is None:
                raise _corrupt(path, f"缺少工作表“{name}”的部件 {part}")
            if _has_dtd(data):
                raise _unsafe_xml(path, part)
            records = _parse_sheet(data, name, sst, self.date1904, cells, path, part)
            self._sheets[name] = _Sheet(name, names[part.lower()], data, records)
            self.sheet_names.append(name)
        if not self.sheet_names:
            raise PackageError(f"工作簿中没有任何工作表：{_name(path)}", path)

    def _load_custom_properties(self, zf: zipfile.ZipFile, names: dict, part: str) -> None:
        data = self._read_part(zf, names, part)
        if data is None or _has_dtd(data):
            return  # a dangling or unsafe optional part: ignored, copied as it is
        self._custom_part = (names[part.lower()], data)
        try:
            root = ET.fromstring(data)
        except ET.ParseError:
            return
        for prop in root:
            name = prop.get("name")
            if name is not None and _local(prop.tag) == "property":
                self.custom_properties[name] = "".join(prop.itertext())

    def _custom_property_parts(self, properties: Mapping[str, str], edited: Mapping[str, bytes | None]) -> dict[str, bytes]:
        """The parts that set document custom properties (text, ``vt:lpwstr``).

        docProps/custom.xml is edited in place (a property of the same name is
        replaced, others are kept byte for byte) or created together with its
        package relationship and content type.  ``edited``: parts already
        changed by this write (the content types, when calcChain.xml is dropped).
        """
        out: dict[str, bytes] = {}
        if self._custom_part is not None:
            part, data = self._custom_part
        else:
            part = "docProps/custom.xml"
            data = (
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
                b'<Properties xmlns="' + _CUSTOM_NS + b'" xmlns:vt="' + _VT_NS + b'"></Properties>'
            )
            if self._package_rels is not None:
                rels_part, rels = self._package_rels
                ids = {m.group(1) for m in re.finditer(rb'Id="([^"]*)"', rels)}
                rid = next(f"rIdXladdin{i}".encode() for i in range(1, 1000) if f"rIdXladdin{i}".encode() not in ids)
                rel = b'<Relationship Id="' + rid + b'" Type="' + _CUSTOM_REL + b'" Target="docProps/custom.xml"/>'
                close = rels.rfind(b"</")
                out[rels_part] = rels[:close] + rel + rels[close:]
            if self._content_types is not None:
                ct_part, ct = self._content_types
                ct = edited.get(ct_part) or ct
                override = b'<Override PartName="/docProps/custom.xml" ContentType="' + _CUSTOM_TYPE + b'"/>'
                close = ct.rfind(b"</")
                out[ct_part] = ct[:close] + override + ct[close:]
        prefix = re.search(rb"<(?:([^\s/>:]+):)?Properties[\s>]", data)
        p = prefix.group(1) + b":" if prefix and prefix.group(1) else b""
        vt = re.search(rb'xmlns:([^=\s]+)="' + re.escape(_VT_NS) + b'"', data)
        vtp = vt.group(1) if vt else b"vt"
        pids = [int(m.group(1)) for m in re.finditer(rb'pid="(\d+)"', data)]
        pid = max(pids + [1])
        for name, value in properties.items():
            attr_name = _escape_text(name).replace('"', "&quot;").encode("utf-8")
            data = _drop_elements(data, b"property", lambda a, attr_name=attr_name: a.get(b"name") == attr_name)
            pid += 1
            xmlns_vt = b"" if vt else b' xmlns:vt="' + _VT_NS + b'"'
            element = (
                b"<" + p + b'property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="' + str(pid).encode() + b'" name="' + attr_name + b'"' + xmlns_vt + b">"
                b"<" + vtp + b":lpwstr>" + _escape_text(value).encode("utf-8") + b"</" + vtp + b":lpwstr></" + p + b"property>"
            )
            close = data.rfind(b"</")
            data = data[:close] + element + data[close:]
        out[part] = data
        return out

    @staticmethod
    def _parse_sst(root: ET.Element) -> list[str]:
        ns = _ns(root.tag)
        T = ns + "t"
        R = ns + "r"
        out = []
        for si in root:
            parts = []
            for ch in si:
                tag = ch.tag
                if tag == T:
                    parts.append(ch.text or "")
                elif tag == R:
                    t = ch.find(T)
                    if t is not None:
                        parts.append(t.text or "")
            s = parts[0] if len(parts) == 1 else "".join(parts)
            out.append(_unescape_x(s))
        return out

    # -------------------------------------------------------------- queries

    def formula_cells(self) -> list[Cell]:
        """Every cell with a formula, sheet by sheet in document order."""
        if self._formula_cells is None:
            self._formula_cells = [c for c in self.cells.values() if c.formula is not None]
        return list(self._formula_cells)

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
        """Write a copy of the workbook with ``results`` as the cached values.

        ``results`` maps (sheet, ref) to a number, str, bool, ErrorValue,
        date/datetime or None.  Keys that are not formula cells (nor cells of
        an array formula's range) are ignored.  ``replace=True`` is needed to
        overwrite an existing file, including the source itself.  ``fsync``
        forces the data to disk before the rename; by default it does so only
        when an existing file is replaced (the in-place case), where a crash
        could otherwise cost the user's original.

        ``freeze`` names formula cells to turn into constants: their ``<f>``
        is removed and the cell keeps the written value (the stored one when
        ``results`` has none; text becomes an inline string, None a blank
        cell).  A frozen array formula's master takes the whole array formula
        with it; the range's other cells keep their values.  When a frozen cell
        belongs to a shared-formula group, the group's other members are
        rewritten as ordinary formulas with their own (expanded) text, so none
        of them depends on a master that is gone.  When anything is frozen,
        ``xl/calcChain.xml`` is dropped with its relationship and content type:
        it lists the cells that had formulas, and Excel reports a chain naming a
        cell without one as a problem to repair; without the part Excel simply
        rebuilds the chain.  Keys that are not formula cells are ignored.

        ``custom_properties`` (name -> text) are set in docProps/custom.xml
        (see `_custom_property_parts`), e.g. the 定稿副本 marker of ``freeze``.
        """
        target = self._check_target(target_path, replace)

        frozen = self._frozen_cells(freeze)
        by_sheet: dict[str, list] = {}
        date1904 = self.date1904
        for key, value in results.items():
            sheet, ref = key
            sh = self._sheets.get(sheet)
            if sh is None:
                continue
            rec = sh.records.get(ref)
            if rec is None:
                continue
            if ref in frozen.get(sheet, ()):
                enc = (None, None) if value is None else _encode_result(value, date1904)
                by_sheet.setdefault(sheet, []).append((rec, enc, True))
            else:
                by_sheet.setdefault(sheet, []).append((rec, _encode_result(value, date1904), False))
        f_rewrites: dict[str, list] = {}
        for sheet, refs in frozen.items():
            sh = self._sheets[sheet]
            for ref in refs:
                if (sheet, ref) not in results:  # keeps the stored value
                    cell = self.cells.get((sheet, ref))
                    value = cell.value if cell is not None else None
                    enc = (None, None) if value is None else _encode_result(value, date1904)
                    by_sheet.setdefault(sheet, []).append((sh.records[ref], enc, True))
            f_rewrites[sheet] = self._dissolved_shared_formulas(sh, refs)

        new_parts: dict[str, bytes | None] = {}
        for sheet in by_sheet.keys() | f_rewrites.keys():
            sh = self._sheets[sheet]
            new_parts[sh.part] = _rewrite_sheet(sh, by_sheet.get(sheet, []), self.path, f_rewrites.get(sheet, ()))
        wb = _strip_full_calc(self._workbook_xml)
        if wb is not None:
            new_parts[self._workbook_part] = wb
        if frozen and self._calc_chain_part is not None:
            # Excel rebuilds a missing calculation chain silently, but one that
            # lists a cell without a formula makes it offer to repair the file.
            chain = self._calc_chain_part
            new_parts[chain] = None
            if self._workbook_rels is not None:
                part, data = self._workbook_rels
                new_parts[part] = _drop_elements(data, b"Relationship", lambda a: a.get(b"Type", b"").endswith(b"/calcChain"))
            if self._content_types is not None:
                part, data = self._content_types
                name = ("/" + chain).lower().encode("utf-8")
                new_parts[part] = _drop_elements(data, b"Override", lambda a: unquote(a.get(b"PartName", b"").decode("utf-8", "replace")).lower().encode("utf-8") == name)

        if custom_properties:
            new_parts.update(self._custom_property_parts(custom_properties, new_parts))

        chunks = self._build_zip(new_parts)
        if fsync is None:
            fsync = os.path.exists(target)
        _atomic_write(target, chunks, fsync)

    def _frozen_cells(self, freeze: Collection[tuple[str, str]]) -> dict[str, set[str]]:
        """sheet -> refs to freeze: formula cells named in ``freeze`` and the
        other cells of a frozen array formula's range."""
        out: dict[str, set[str]] = {}
        for sheet, ref in freeze:
            sh = self._sheets.get(sheet)
            rec = sh.records.get(ref) if sh is not None else None
            if rec is None or rec[3] is None:  # not a cell with an <f>
                continue
            refs = out.setdefault(sheet, set())
            refs.add(ref)
            cell = self.cells.get((sheet, ref))
            if cell is not None and cell.array_ref:
                a, _, b = cell.array_ref.partition(":")
                try:
                    r1, c1 = split_ref(a)
                    r2, c2 = split_ref(b) if b else (r1, c1)
                except ValueError:
                    continue
                for r in sh.records:
                    row, col = split_ref(r)
                    if r1 <= row <= r2 and c1 <= col <= c2 and sh.records[r][3] is None:
                        refs.add(r)
        return out

    def _dissolved_shared_formulas(self, sh: _Sheet, frozen: set[str]) -> list:
        """(f_span, formula) for the members left in shared-formula groups that
        lose a member to freezing: each gets its own expanded formula."""
        data = sh.data
        groups = set()
        for ref in frozen:
            f_span = sh.records[ref][3]
            if f_span is not None:
                attrs = _tag_attrs(data, f_span[0])
                if attrs.get(b"t") == b"shared" and b"si" in attrs:
                    groups.add(attrs[b"si"])
        out = []
        if not groups:
            return out
        for ref, rec in sh.records.items():
            f_span = rec[3]
            if ref in frozen or f_span is None:
                continue
            attrs = _tag_attrs(data, f_span[0])
            if attrs.get(b"t") == b"shared" and attrs.get(b"si") in groups:
                cell = self.cells.get((sh.name, ref))
                if cell is not None and cell.formula is not None:
                    out.append((f_span, cell.formula))
        return out

    def _check_target(self, target_path, replace: bool) -> str:
        target = os.path.abspath(os.fspath(target_path))
        if os.path.islink(target):
            target = os.path.realpath(target)
        name = _name(target)
        folder = os.path.dirname(target)
        if not os.path.isdir(folder):
            raise PackageError(f"目标文件夹不存在：{folder}", target)
        ext = os.path.splitext(target)[1].lower()
        if self.macro_enabled and ext == ".xlsx":
            raise PackageError(f"该工作簿含有宏，只能保存为 .xlsm，不能保存为 .xlsx：{name}", target)
        if not self.macro_enabled and ext == ".xlsm":
            raise PackageError(f"该工作簿不含宏，应保存为 .xlsx，不能保存为 .xlsm：{name}", target)
        if os.path.lexists(target):
            if os.path.isdir(target):
                raise PackageError(f"目标是一个文件夹，无法写入：{target}", target)
            if not replace:
                try:
                    same = os.path.samefile(target, self.path)
                except OSError:
                    same = False
                if same:
                    raise PackageError(
                        f"目标文件就是源文件本身：{name}。如需直接更新原文件，请使用就地更新（--in-place）",
                        target,
                    )
                raise PackageError(
                    f"目标文件已存在：{name}。为防止误覆盖，未写入；如需覆盖，请使用就地更新（--in-place）或换一个文件名",
                    target,
                )
            st = os.stat(target)
            if not (st.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)) or not os.access(target, os.W_OK):
                raise PackageError(f"文件是只读的，无法写入：{name}。请取消只读属性或另存到其他位置", target)
        if not os.access(folder, os.W_OK | os.X_OK):
            raise PackageError(f"没有权限在此文件夹中写入文件：{folder}", target)
        return target

    def _build_zip(self, new_parts: dict[str, bytes | None]) -> list[bytes]:
        """The package with ``new_parts``' contents (a part mapped to None is left out)."""
        raw = self._raw
        out: list[bytes] = []
        central: list[bytes] = []
        pos = 0
        n = 0
        for zi in self._infos:
            if zi.filename in new_parts and new_parts[zi.filename] is None:
                continue
            n += 1
            off = zi.header_offset
            try:
                sig, ver, flag, method, dtime, ddate, crc, csize, usize, nlen, xlen = _LOCAL.unpack_from(raw, off)
            except struct.error:
                raise _corrupt(self.path, f"部件 {zi.filename} 头部损坏") from None
            if sig != b"PK\x03\x04":
                raise _corrupt(self.path, f"部件 {zi.filename} 头部损坏")
            name_b = raw[off + 30 : off + 30 + nlen]
            lextra = raw[off + 30 + nlen : off + 30 + nlen + xlen]
            dstart = off + 30 + nlen + xlen
            if name_b != zi.orig_filename.encode("utf-8" if zi.flag_bits & 0x800 else "cp437"):
                raise _corrupt(self.path, f"部件 {zi.filename} 名称不一致")
            cextra = _strip_zip64(zi.extra)
            flag = zi.flag_bits
            new = new_parts.get(zi.filename)
            if new is not None:
                method = zi.compress_type if zi.compress_type in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) else zipfile.ZIP_DEFLATED
                if method == zipfile.ZIP_DEFLATED:
                    co = zlib.compressobj(6, zlib.DEFLATED, -15)
                    data = co.compress(new) + co.flush()
                    extract = max(zi.extract_version, 20)
                else:
                    data = new
                    extract = max(zi.extract_version, 10)
                crc, csize, usize = zlib.crc32(new), len(data), len(new)
                flag &= ~0x08
                header = None
            else:
                crc, csize, usize = zi.CRC, zi.compress_size, zi.file_size
                method = zi.compress_type
                extract = zi.extract_version
                data = raw[dstart : dstart + csize]
                if len(data) != csize:
                    raise _corrupt(self.path, f"部件 {zi.filename} 数据不完整")
                if flag & 0x08 or _strip_zip64(lextra) != lextra:
                    flag &= ~0x08
                    header = None
                else:
                    header = raw[off:dstart]
            if header is None:
                lextra = _strip_zip64(lextra)
                header = (
                    _LOCAL.pack(b"PK\x03\x04", extract | (zi.reserved << 8), flag, method, dtime, ddate, crc, csize, usize, len(name_b), len(lextra))
                    + name_b
                    + lextra
                )
            central.append(
                _CENTRAL.pack(
                    b"PK\x01\x02", zi.create_version, zi.create_system, extract, zi.reserved,
                    flag, method, dtime, ddate, crc, csize, usize,
                    len(name_b), len(cextra), len(zi.comment), 0, zi.internal_attr, zi.external_attr, pos,
                )
                + name_b
                + cextra
                + zi.comment
            )
            out.append(header)
            out.append(data)
            pos += len(header) + len(data)
        existing = {zi.filename for zi in self._infos}
        for name, new in new_parts.items():  # parts this write adds (docProps/custom.xml)
            if new is None or name in existing:
                continue
            n += 1
            name_b = name.encode("utf-8")
            co = zlib.compressobj(6, zlib.DEFLATED, -15)
            data = co.compress(new) + co.flush()
            stamp = time.localtime()
            dtime = (stamp.tm_hour << 11) | (stamp.tm_min << 5) | (stamp.tm_sec // 2)
            ddate = ((max(stamp.tm_year, 1980) - 1980) << 9) | (stamp.tm_mon << 5) | stamp.tm_mday
            crc, flag = zlib.crc32(new), 0x800 if not name.isascii() else 0
            header = _LOCAL.pack(b"PK\x03\x04", 20, flag, zipfile.ZIP_DEFLATED, dtime, ddate, crc, len(data), len(new), len(name_b), 0) + name_b
            central.append(
                _CENTRAL.pack(
                    b"PK\x01\x02", 20, 0, 20, 0, flag, zipfile.ZIP_DEFLATED, dtime, ddate, crc, len(data), len(new),
                    len(name_b), 0, 0, 0, 0, 0, pos,
                )
                + name_b
            )
            out.append(header)
            out.append(data)
            pos += len(header) + len(data)
        cd = b"".join(central)
        if pos + len(cd) > 0xFFFFFFFF:  # pragma: no cover - limited by max_uncompressed_bytes
            raise PackageError(f"文件过大，无法写入：{_name(self.path)}", self.path)
        out.append(cd)
        out.append(_EOCD.pack(b"PK\x05\x06", 0, 0, n, n, len(cd), pos, len(self._comment)) + self._comment)
        return out


def _atomic_write(target: str, chunks: Iterable[bytes], fsync: bool) -> None:
    """Write chunks to a temp file beside target, then os.replace it."""
    folder, name = os.path.split(target)
    tmp = os.path.join(folder, f".~{name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        mode = None
    fd = -1
    try:
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        except PermissionError:
            raise PackageError(f"没有权限在此文件夹中写入文件：{folder}", target) from None
        with os.fdopen(fd, "wb") as fh:
            fd = -1
            for chunk in chunks:
                fh.write(chunk)
            fh.flush()
            if fsync:
                os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        try:
            os.replace(tmp, target)
        except PermissionError:
            raise PackageError(
                f"无法写入文件：{_name(target)}。文件可能正被 Excel 等程序打开，或没有写入权限；请关闭该文件后重试",
                target,
            ) from None
    except BaseException as exc:
        if fd >= 0:
            os.close(fd)
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError) and not isinstance(exc, PackageError):
            import errno

            if exc.errno == errno.ENOSPC:
                raise PackageError(f"磁盘空间不足，无法写入：{_name(target)}", target) from exc
            raise PackageError(f"写入文件失败：{_name(target)}（{exc.strerror or exc}）", target) from exc
        raise
