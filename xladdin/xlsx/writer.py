"""Writing a workbook back: surgical edits of the worksheets, every other part copied.

For each formula cell that has a result, only the cell's cached value ``<v>`` and
the ``t`` attribute of its ``<c>`` element change; every other byte of the
worksheet XML stays as it was (the edits are made on the raw bytes, at offsets
the XML parser reported while reading).  ``fullCalcOnLoad`` is dropped from
``xl/workbook.xml``'s ``<calcPr>`` so that Excel without the add-in shows the
stored values instead of recalculating to ``#NAME?``.  With ``freeze=`` the named
formula cells become constants holding their values (the portable copy): their
``<f>`` goes, shared-formula groups they belonged to are split into plain
formulas, and ``xl/calcChain.xml`` is dropped (with its relationship and content
type).  Every other part, including a ``vbaProject.bin``, is copied with its
compressed bytes untouched, in the same order and with the same names,
compression and dates (the reader has verified each one's CRC).  The new file is
written to a temporary file beside the target and moved over it atomically
(`xladdin.files`).
"""

from __future__ import annotations

import datetime as _dt
import math
import numbers
import os
import re
import stat
import struct
import time
import zipfile
import zlib
from typing import Collection, Iterable, Mapping
from urllib.parse import unquote

from .. import files
from .model import ErrorValue, PackageError, _corrupt, _name
from .refs import split_ref
from .sheet import _Sheet
from .xmltext import (
    _ATTR_RE,
    _CALCPR_RE,
    _ENCODING_RE,
    _EXCEL_EPOCH,
    _EXCEL_EPOCH_1904,
    _TAG_RE,
    _UTF16_BOMS,
    _escape_text,
)

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
    qnames: dict = {}
    for rec, value, frozen in items:
        c_start, c_q, c_end, f_span, v_span, is_span = rec
        new_t, text = value
        qb = qnames.get(c_q)
        if qb is None:
            qb = qnames[c_q] = c_q.encode("utf-8")
        prefix = qb[:-1]
        if text is None:  # a frozen cell without a value
            vb = b""
        elif new_t is None:  # a number: digits need no escaping
            vb = b"<" + prefix + b"v>" + text.encode("ascii") + b"</" + prefix + b"v>"
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
        tag = tm.group()
        new_tag = _set_t(tag, new_t, len(qb)) if new_t is not None or b"t=" in tag else tag
        if frozen:
            # cm points at dynamic-array metadata of the formula that is gone
            new_tag = _drop_attrs(new_tag, (b"cm",))
        if c_end[1]:  # <c .../>
            if vb:
                edits.append((c_start, tag_end, new_tag[:-2] + b">" + vb + b"</" + qb + b">"))
            else:
                edits.append((c_start, tag_end, new_tag))
            continue
        if new_tag != tag:
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


#: issue 17 (speed): a rewritten part is deflated at level 1, four times faster than
#: level 6 on a big sheet for a file about a third larger; untouched parts are copied
#: still compressed
DEFLATE_LEVEL = 1

_LOCAL = struct.Struct("<4sHHHHHLLLHH")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_EOCD = struct.Struct("<4s4H2LH")


# --------------------------------------------------------------------------
# Writing a package
# --------------------------------------------------------------------------


def write_package(
    book,
    results: Mapping[tuple[str, str], object],
    target_path: str | os.PathLike,
    *,
    replace: bool = False,
    fsync: bool | None = None,
    freeze: Collection[tuple[str, str]] = frozenset(),
    custom_properties: Mapping[str, str] | None = None,
) -> None:
    """Write a copy of ``book`` (a `WorkbookPackage`) with ``results`` as the cached values.

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
    """
    target = _check_target(book, target_path, replace)

    frozen = _frozen_cells(book, freeze)
    by_sheet: dict[str, list] = {}
    date1904 = book.date1904
    for key, value in results.items():
        sheet, ref = key
        sh = book._sheets.get(sheet)
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
        sh = book._sheets[sheet]
        for ref in refs:
            if (sheet, ref) not in results:  # keeps the stored value
                cell = book.cells.get((sheet, ref))
                value = cell.value if cell is not None else None
                enc = (None, None) if value is None else _encode_result(value, date1904)
                by_sheet.setdefault(sheet, []).append((sh.records[ref], enc, True))
        f_rewrites[sheet] = _dissolved_shared_formulas(book, sh, refs)

    new_parts: dict[str, bytes | None] = {}
    for sheet in by_sheet.keys() | f_rewrites.keys():
        sh = book._sheets[sheet]
        new_parts[sh.part] = _rewrite_sheet(sh, by_sheet.get(sheet, []), book.path, f_rewrites.get(sheet, ()))
    wb = _strip_full_calc(book._workbook_xml)
    if wb is not None:
        new_parts[book._workbook_part] = wb
    if frozen and book._calc_chain_part is not None:
        # Excel rebuilds a missing calculation chain silently, but one that
        # lists a cell without a formula makes it offer to repair the file.
        chain = book._calc_chain_part
        new_parts[chain] = None
        if book._workbook_rels is not None:
            part, data = book._workbook_rels
            new_parts[part] = _drop_elements(data, b"Relationship", lambda a: a.get(b"Type", b"").endswith(b"/calcChain"))
        if book._content_types is not None:
            part, data = book._content_types
            name = ("/" + chain).lower().encode("utf-8")
            new_parts[part] = _drop_elements(data, b"Override", lambda a: unquote(a.get(b"PartName", b"").decode("utf-8", "replace")).lower().encode("utf-8") == name)

    if custom_properties:
        new_parts.update(_custom_property_parts(book, custom_properties, new_parts))

    chunks = _build_zip(book, new_parts)
    if fsync is None:
        fsync = os.path.exists(target)
    _atomic_write(target, chunks, fsync)


# document custom properties (docProps/custom.xml)
_CUSTOM_NS = b"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT_NS = b"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_CUSTOM_REL = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
_CUSTOM_TYPE = b"application/vnd.openxmlformats-officedocument.custom-properties+xml"


def _custom_property_parts(book, properties: Mapping[str, str], edited: Mapping[str, bytes | None]) -> dict[str, bytes]:
    """The parts that set document custom properties (text, ``vt:lpwstr``).

    docProps/custom.xml is edited in place (a property of the same name is
    replaced, others are kept byte for byte) or created together with its
    package relationship and content type.  ``edited``: parts already
    changed by this write (the content types, when calcChain.xml is dropped).
    """
    out: dict[str, bytes] = {}
    if book._custom_part is not None:
        part, data = book._custom_part
    else:
        part = "docProps/custom.xml"
        data = (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
            b'<Properties xmlns="' + _CUSTOM_NS + b'" xmlns:vt="' + _VT_NS + b'"></Properties>'
        )
        if book._package_rels is not None:
            rels_part, rels = book._package_rels
            ids = {m.group(1) for m in re.finditer(rb'Id="([^"]*)"', rels)}
            rid = next(f"rIdXladdin{i}".encode() for i in range(1, 1000) if f"rIdXladdin{i}".encode() not in ids)
            rel = b'<Relationship Id="' + rid + b'" Type="' + _CUSTOM_REL + b'" Target="docProps/custom.xml"/>'
            close = rels.rfind(b"</")
            out[rels_part] = rels[:close] + rel + rels[close:]
        if book._content_types is not None:
            ct_part, ct = book._content_types
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


def _frozen_cells(book, freeze: Collection[tuple[str, str]]) -> dict[str, set[str]]:
    """sheet -> refs to freeze: formula cells named in ``freeze`` and the
    other cells of a frozen array formula's range."""
    out: dict[str, set[str]] = {}
    for sheet, ref in freeze:
        sh = book._sheets.get(sheet)
        rec = sh.records.get(ref) if sh is not None else None
        if rec is None or rec[3] is None:  # not a cell with an <f>
            continue
        refs = out.setdefault(sheet, set())
        refs.add(ref)
        cell = book.cells.get((sheet, ref))
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


def _dissolved_shared_formulas(book, sh: _Sheet, frozen: set[str]) -> list:
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
            cell = book.cells.get((sh.name, ref))
            if cell is not None and cell.formula is not None:
                out.append((f_span, cell.formula))
    return out


def _check_target(book, target_path, replace: bool) -> str:
    target = os.path.abspath(os.fspath(target_path))
    if os.path.islink(target):
        target = os.path.realpath(target)
    name = _name(target)
    folder = os.path.dirname(target)
    if not os.path.isdir(folder):
        raise PackageError(f"目标文件夹不存在：{folder}", target)
    ext = os.path.splitext(target)[1].lower()
    if ext not in (".xlsx", ".xlsm"):
        raise PackageError(f"工作簿只能保存为 .xlsx 或 .xlsm 文件，不能保存为“{name}”", target)
    source_ext = os.path.splitext(book.path)[1].lower()
    # a macro workbook may not become .xlsx, unless it already was one (written back as it came)
    if book.macro_enabled and ext == ".xlsx" and source_ext != ".xlsx":
        raise PackageError(f"该工作簿含有宏，只能保存为 .xlsm，不能保存为 .xlsx：{name}", target)
    if not book.macro_enabled and ext == ".xlsm":
        raise PackageError(f"该工作簿不含宏，应保存为 .xlsx，不能保存为 .xlsm：{name}", target)
    if os.path.lexists(target):
        if os.path.isdir(target):
            raise PackageError(f"目标是一个文件夹，无法写入：{target}", target)
        if not replace:
            try:
                same = os.path.samefile(target, book.path)
            except OSError:
                same = False
            if same:
                raise PackageError(
                    f"目标文件就是源文件本身：{name}。如需直接更新原文件，请使用就地更新（--in-place）",
                    target,
                )
            raise PackageError(
                f"目标文件已存在：{name}。为防止误覆盖，未写入；如需覆盖，请加 --force，或换一个输出位置",
                target,
            )
        busy = files.open_elsewhere(target)
        if busy:
            raise PackageError(busy, target)
        st = os.stat(target)
        if not (st.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)) or not os.access(target, os.W_OK):
            raise PackageError(f"文件是只读的，无法写入：{name}。请取消只读属性或另存到其他位置", target)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise PackageError(f"没有权限在此文件夹中写入文件：{folder}", target)
    return target


def _build_zip(book, new_parts: dict[str, bytes | None]) -> list[bytes]:
    """The package with ``new_parts``' contents (a part mapped to None is left out)."""
    raw = book._raw
    out: list[bytes] = []
    central: list[bytes] = []
    pos = 0
    n = 0
    for zi in book._infos:
        if zi.filename in new_parts and new_parts[zi.filename] is None:
            continue
        n += 1
        off = zi.header_offset
        try:
            sig, ver, flag, method, dtime, ddate, crc, csize, usize, nlen, xlen = _LOCAL.unpack_from(raw, off)
        except struct.error:
            raise _corrupt(book.path, f"部件 {zi.filename} 头部损坏") from None
        if sig != b"PK\x03\x04":
            raise _corrupt(book.path, f"部件 {zi.filename} 头部损坏")
        name_b = raw[off + 30 : off + 30 + nlen]
        lextra = raw[off + 30 + nlen : off + 30 + nlen + xlen]
        dstart = off + 30 + nlen + xlen
        if name_b != zi.orig_filename.encode("utf-8" if zi.flag_bits & 0x800 else "cp437"):
            raise _corrupt(book.path, f"部件 {zi.filename} 名称不一致")
        cextra = _strip_zip64(zi.extra)
        flag = zi.flag_bits
        new = new_parts.get(zi.filename)
        if new is not None:
            method = zi.compress_type if zi.compress_type in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) else zipfile.ZIP_DEFLATED
            if method == zipfile.ZIP_DEFLATED:
                co = zlib.compressobj(DEFLATE_LEVEL, zlib.DEFLATED, -15)
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
                raise _corrupt(book.path, f"部件 {zi.filename} 数据不完整")
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
    existing = {zi.filename for zi in book._infos}
    for name, new in new_parts.items():  # parts this write adds (docProps/custom.xml)
        if new is None or name in existing:
            continue
        n += 1
        name_b = name.encode("utf-8")
        co = zlib.compressobj(DEFLATE_LEVEL, zlib.DEFLATED, -15)
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
        raise PackageError(f"文件过大，无法写入：{_name(book.path)}", book.path)
    out.append(cd)
    out.append(_EOCD.pack(b"PK\x05\x06", 0, 0, n, n, len(cd), pos, len(book._comment)) + book._comment)
    return out


def _atomic_write(target: str, chunks: Iterable[bytes], fsync: bool) -> None:
    """Write chunks to a temporary file beside target, then move it over target."""
    try:
        files.atomic_write(target, chunks, fsync=fsync)
    except files.FileWriteError as error:
        raise PackageError(error.message_zh, target) from error
