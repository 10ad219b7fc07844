"""A worksheet written back: surgical edits of its bytes.

For each formula cell that has a result, only the cell's cached value ``<v>`` and the
``t`` attribute of its ``<c>`` element change; every other byte of the worksheet XML
stays as it was (the edits are made on the raw bytes, at the offsets the reader recorded
in each cell's `WriteRecord`).  A frozen cell loses its ``<f>`` and keeps its value as a
constant; the members left in a shared-formula group that lost one get their own formula.
"""

from __future__ import annotations

import datetime as _dt
import math
import numbers
import re

from .model import ErrorValue, _corrupt
from .sheet import SheetPart
from .serials import to_serial
from .xmltext import _ATTR_RE, _TAG_RE, _escape_text, drop_attributes


def encode_result(value, date1904: bool) -> tuple[bytes | None, str]:
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
        return encode_result(to_serial(value, date1904), date1904)
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


def _escape_formula(f: str) -> str:
    # formula text is kept as stored (its _xHHHH_ escapes included): XML only
    return f.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _plain_start_tag(data: bytes, start: int, end: int) -> bool:
    """Whether ``data[start:end]`` is one start tag ending in ``">`` with no ``t``
    attribute: it has one "<" and one ">" (so it is the tag itself, nothing after it) and
    no letter t at all (so no t attribute, whatever the spacing)."""
    return (data[end - 2:end] == b'">' and data.find(b"t", start, end) < 0
            and data.count(b">", start, end) == 1 and data.count(b"<", start, end) == 1)


_PRESERVE = b' xml:space="preserve"'
# a t attribute, however spaced (``t = "e"`` is XML too)
_HAS_T = re.compile(rb"\st\s*=")
_XML_SPACE = " \t\r\n"


def rewrite_sheet(sheet: SheetPart, items: list, path, f_rewrites=()) -> bytes:
    """The worksheet with new cached values.

    ``items`` are (record, (t, text), frozen); a frozen cell loses its <f> and
    keeps the value as a constant ((None, None): no value).  ``f_rewrites``
    are (f_span, formula): <f> elements to replace by a plain formula.
    """
    data = sheet.data  # UTF-8: the reader has repaired a part in any other encoding
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
            space = _PRESERVE if text != text.strip(_XML_SPACE) else b""
            vb = b"<" + prefix + b"is><" + prefix + b"t" + space + b">" + _escape_text(text).encode("utf-8") + b"</" + prefix + b"t></" + prefix + b"is>"
        else:
            # as Excel writes a text with outer spaces: without it LibreOffice trims them
            space = _PRESERVE if new_t == b"str" and text != text.strip(_XML_SPACE) else b""
            vb = b"<" + prefix + b"v" + space + b">" + _escape_text(text).encode("utf-8") + b"</" + prefix + b"v>"
        if f_span is not None and not frozen and not c_end[1] and is_span is None and _plain_start_tag(data, c_start, f_span[0]):
            # the bulk of a big sheet: a formula cell whose start tag has no t attribute and
            # ends at its <f>, changed (if at all) by a t before its ">" as `_set_t` adds it
            if new_t is not None:
                edits.append((c_start, f_span[0], data[c_start:f_span[0] - 1] + b' t="' + new_t + b'">'))
            if v_span is not None:
                edits.append((v_span[0], _after(data, v_span), vb))
            else:
                pos = _after(data, f_span)
                edits.append((pos, pos, vb))
            continue
        tm = _TAG_RE.match(data, c_start)
        if tm is None:  # pragma: no cover - expat accepted this tag
            raise _corrupt(path, f"{sheet.part} 单元格 {c_q}")
        tag_end = tm.end()
        tag = tm.group()
        new_tag = _set_t(tag, new_t, len(qb)) if new_t is not None or _HAS_T.search(tag) else tag
        if frozen:
            # cm points at dynamic-array metadata of the formula that is gone
            new_tag = drop_attributes(new_tag, (b"cm",))
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
        tag = drop_attributes(tm.group(), (b"t", b"ref", b"si"))
        qname = re.match(rb"<([^\s/>]+)", tag).group(1)
        if tag.endswith(b"/>"):
            tag = tag[:-2].rstrip() + b">"
        edits.append((f_span[0], _after(data, f_span), tag + _escape_formula(formula).encode("utf-8") + b"</" + qname + b">"))
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


def dissolved_shared_formulas(book, sh: SheetPart, frozen: set[str]) -> list:
    """(f_span, formula) for the members left in shared-formula groups that
    lose a member to freezing: each gets its own expanded formula."""
    data = sh.data
    groups = set()
    for ref in frozen:
        f_span = sh.records[ref].formula
        if f_span is not None:
            attrs = _tag_attrs(data, f_span[0])
            if attrs.get(b"t") == b"shared" and b"si" in attrs:
                groups.add(attrs[b"si"])
    out = []
    if not groups:
        return out
    for ref, rec in sh.records.items():
        f_span = rec.formula
        if ref in frozen or f_span is None:
            continue
        attrs = _tag_attrs(data, f_span[0])
        if attrs.get(b"t") == b"shared" and attrs.get(b"si") in groups:
            cell = book.cells.get((sh.name, ref))
            if cell is not None and cell.formula is not None:
                out.append((f_span, cell.formula))
    return out
