"""The worksheet reader's fast path: ``<sheetData>`` as Excel, WPS, LibreOffice and
openpyxl write it, read with one regular expression per cell instead of a Python
callback per XML element.

It gives exactly what `sheet._parse_sheet`'s general pyexpat pass gives (cells, write
records with the same byte offsets, the same refusals).  The first thing it does not
recognise (another attribute order, a namespace prefix, whitespace between tags, a
rich-text cell ...) raises `NotSimple` before anything is handed over, and the general
parser reads the sheet.  Well-formedness has been checked already (`validate.check_xml`).
"""

from __future__ import annotations

import re

from .cells import MAX_TEXT, CellSink, WriteRecord, _cell_value
from .model import Cell, _invalid
from .refs import MAX_COL, MAX_ROW, column_number
from .xmltext import _unescape_x

__all__ = ["NotSimple", "scan_sheet"]


class NotSimple(Exception):
    """The worksheet uses XML this fast path does not read; use the general parser."""


_SHEET_DATA = re.compile(rb"<sheetData>|<sheetData/>")
# one token of <sheetData>: a row's start tag, a cell, or a row's end tag
_TOKEN = re.compile(
    rb'<row r="(?P<row>[0-9]{1,7})"'
    rb'(?P<row_attrs>(?: (?:spans|ht|customHeight|hidden|outlineLevel|collapsed|thickTop|thickBot'
    rb'|x14ac:dyDescent|s|customFormat)="[^"<>&]*")*) ?(?P<row_empty>/?)>'
    rb'|<c r="(?P<col>[A-Z]{1,3})(?P<cell_row>[1-9][0-9]{0,6})"(?: s="(?P<style>[0-9]{1,9})")?'
    rb'(?: t="(?P<type>[a-zA-Z]{1,9})")?'
    rb'(?: ?/>|>'
    rb'(?:<f>(?P<f>[^<]*)</f>|<f(?P<f_shared> [^<>/]*)/>|<f(?P<f_attrs> [^<>/]*)>(?P<f_text>[^<]*)</f>)?'
    rb'(?:<v>(?P<v>[^<]*)</v>|(?P<v_empty><v/>))?'
    rb'(?P<inline><is><t(?: xml:space="preserve")?>(?P<inline_text>[^<]*)</t></is>)?'
    rb'</c>)'
    rb'|</row>'
)
# the groups in order, unpacked per token (faster than asking each group by name)
_GROUPS = ("row", "row_attrs", "row_empty", "col", "cell_row", "style", "type", "f", "f_shared",
           "f_attrs", "f_text", "v", "v_empty", "inline", "inline_text")
assert tuple(_TOKEN.groupindex) == _GROUPS
_ROW_STYLE = re.compile(rb' s="([^"]*)"')
_ROW_CUSTOM = re.compile(rb' customFormat="(1|true)"')
_F_ATTR = re.compile(rb' ([a-zA-Z]+)="([^"<>&]*)"')
# a reference, captured whole: split() gives text, reference, text, ... (no callback per match)
_REFERENCE = re.compile(r"&(#x[0-9A-Fa-f]+|#[0-9]+|lt|gt|amp|quot|apos);")
_HUGE = float("inf")
#: the character of each reference met (there are few distinct ones: a script's characters)
_CHARACTERS = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
_CHARACTERS_MAX = 50_000


def _character(reference: str) -> str:
    """The character of ``#x3c``, ``#60`` (a reference's inside; the named five are known)."""
    char = chr(int(reference[2:], 16) if reference[1] == "x" else int(reference[1:]))
    if len(_CHARACTERS) < _CHARACTERS_MAX:
        _CHARACTERS[reference] = char
    return char


def _decode_references(s: str) -> str:
    pieces = _REFERENCE.split(s)
    known = _CHARACTERS.get
    pieces[1::2] = [known(r) or _character(r) for r in pieces[1::2]]
    return "".join(pieces)


#: Decoded texts that held references, by their raw bytes. openpyxl writes every
#: non-ASCII character as a numeric reference (a template's labels are mostly ``&#NNNNN;``),
#: and the same labels come back in every workbook of a batch: decoding one character
#: reference at a time was half of a template workbook's reading time. Bounded.
_DECODED: dict = {}
_DECODED_MAX = 20_000


def _text(raw: bytes) -> str:
    """Character data as expat reports it: UTF-8, line ends normalised, references decoded."""
    if b"&" in raw:
        decoded = _DECODED.get(raw)
        if decoded is not None:
            return decoded
    s = raw.decode("utf-8")
    if "\r" in s:
        s = s.replace("\r\n", "\n").replace("\r", "\n")
    if "&" in s:
        decoded = _decode_references(s)
        if len(_DECODED) >= _DECODED_MAX:
            _DECODED.clear()
        _DECODED[raw] = decoded
        return decoded
    return s


def scan_sheet(data: bytes, sheet: str, sst: list, date1904: bool, out: dict, path, part: str,
               limits, n_styles) -> dict:
    """Like `sheet._parse_sheet` (same arguments, same result), or `NotSimple`."""
    head = data[:200].lstrip(b"\xef\xbb\xbf")
    enc = re.match(rb"\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)", head)
    if b"\x00" in head or (enc and enc.group(1).lower().replace(b"_", b"-") not in (b"utf-8", b"utf8")):
        raise NotSimple
    m = _SHEET_DATA.search(data)
    if m is None:
        raise NotSimple
    if m.group() == b"<sheetData/>":
        return {}, set()
    pos = m.end()
    end = data.find(b"</sheetData>", pos)
    if end < 0 or data.count(b"<") > limits.max_elements:
        raise NotSimple

    def bad(detail):
        return _invalid(path, part, f"工作表“{sheet}”{detail}")

    styles = max(n_styles, 1) if n_styles is not None else None

    def check_style(s, what):
        index = int(s)
        if styles is not None and index >= styles:
            raise bad(f"{what}的格式编号 {s[:10]} 超出了样式表（共 {n_styles or 0} 种格式）")

    sink = CellSink(sheet, path, limits, part)
    cols: dict = {}
    row_num = 0
    prev_col = 0
    match = _TOKEN.match
    row_digits = b""
    styles_seen = {b"0"}
    types = {b"s": "s", b"n": "n", b"str": "str", b"b": "b", b"e": "e", b"inlineStr": "inlineStr", b"d": "d"}
    current = [""]   # the cell being read, for error messages

    def where(detail):
        return _invalid(path, part, f"工作表“{sheet}”单元格 {current[0]}：{detail}")

    cells, records, pending = sink.cells, sink.records, sink.pending
    f_attr_memo: dict = {}
    shared_members: dict = {}   # <f .../> attributes -> its group's si, or False: not a member
    while pos < end:
        m = match(data, pos)
        if m is None:
            raise NotSimple
        pos = m.end()
        (row, row_attrs, _row_empty, letters, digits, style, cell_type, f_plain, f_shared, f_attrs_text,
         f_body, raw_v, v_empty, inline, inline_text) = m.groups()
        if row is not None:  # <row r="N" ...>
            number = int(row)
            if not 0 < number <= MAX_ROW:
                raise bad(f"行号“{row.decode()[:20]}”无效")
            if number <= row_num:
                raise bad(f"第 {number} 行顺序错乱或重复")
            row_num = number
            row_digits = row
            if row_attrs and _ROW_CUSTOM.search(row_attrs):
                s = _ROW_STYLE.search(row_attrs)
                if s is not None and s.group(1) != b"0":
                    check_style(s.group(1).decode(), f"第 {row_num} 行")
            prev_col = 0
            continue
        if letters is None:  # </row>
            continue
        col = cols.get(letters)
        if col is None:
            col = cols[letters] = column_number(letters.decode())
        ref = (letters + digits).decode()
        value = None
        if (raw_v is None and f_plain is None and f_shared is None and f_attrs_text is None and v_empty is None
                and digits == row_digits and prev_col < col <= MAX_COL and (style is None or style in styles_seen)
                and not sink.arrays):
            # a template's other cells: an empty cell that only carries a format, and a label
            # written as an inline string (openpyxl's way)
            if inline is None:
                if cell_type is None or cell_type in types:
                    prev_col = col
                    continue
            elif cell_type == b"inlineStr":
                value = _unescape_x(_text(inline_text))
                if len(value) > MAX_TEXT:
                    value = None
        elif (digits == row_digits and prev_col < col <= MAX_COL and (style is None or style in styles_seen) and f_plain is None
                and f_shared is None and f_attrs_text is None and inline is None and raw_v and not sink.arrays):
            # the bulk of a big sheet, a plain number or shared string, read without the general
            # checks below (anything they would look at twice falls through to them)
            if cell_type is None:
                try:
                    value = float(raw_v)
                except ValueError:
                    pass
                if not (-_HUGE < value < _HUGE and raw_v.isascii() and b"_" not in raw_v  # type: ignore[operator]
                        and raw_v[0] > 32 and raw_v[-1] > 32) if value is not None else False:
                    value = None
            elif cell_type == b"s":
                try:
                    value = sst[int(raw_v)]
                except (ValueError, IndexError):
                    pass
        if value is not None:  # read by one of the two branches above
            prev_col = col
            cells[(sheet, ref)] = Cell(sheet, ref, None, value, None, None, row_num, col)
            sink.n_cells += 1
            if sink.n_cells > sink.max_cells:
                raise limits.too_many_cells(path)
            continue
        if (f_shared is not None and cell_type is None and digits == row_digits and prev_col < col <= MAX_COL
              and (style is None or style in styles_seen) and inline is None and not sink.arrays):
            # a member of a shared-formula group (a filled-down column), with no cached value
            # or a plain number: what `CellSink.cell` does with it, inlined
            member = shared_members.get(f_shared)
            if member is None:
                attrs = {k.decode(): v.decode() for k, v in _F_ATTR.findall(f_shared)}
                member = shared_members[f_shared] = attrs.get("si") if attrs.get("t") == "shared" else False
            value = v_span = None
            if raw_v is not None:
                try:
                    value = float(raw_v)
                except ValueError:
                    member = False
                if value is not None and not (-_HUGE < value < _HUGE and raw_v.isascii() and b"_" not in raw_v
                                              and raw_v[0] > 32 and raw_v[-1] > 32):
                    member = False
                v_span = (m.start(12) - 3, m.end(12), False)
            elif v_empty is not None:
                member = False
            if member:
                prev_col = col
                c_end = (pos, True) if data[pos - 2] == 47 else (pos - 4, False)  # 47: "/" of "/>"
                f_span = (m.start(9) - 2, m.end(9) + 2, True)
                sink.n_cells += 1
                if sink.n_cells > sink.max_cells:
                    raise limits.too_many_cells(path)
                cell = cells[(sheet, ref)] = Cell(sheet, ref, None, value, None, None, row_num, col)
                pending.append((cell, member, row_num, col))
                records[ref] = WriteRecord(m.start(), "c", c_end, f_span, v_span, None)
                continue
        if col > MAX_COL or (digits != row_digits and int(digits) != row_num):
            if col > MAX_COL or int(digits) > MAX_ROW:
                raise bad(f"单元格地址“{ref[:20]}”无效")
            raise bad(f"单元格 {ref} 不在它所在的第 {row_num} 行")
        if col <= prev_col:
            raise bad(f"第 {row_num} 行的单元格 {ref} 顺序错乱或重复")
        prev_col = col
        if style is not None and style not in styles_seen:
            check_style(style.decode(), f"单元格 {ref} ")
            styles_seen.add(style)
        c_t = (types.get(cell_type) or cell_type.decode("utf-8", "replace")) if cell_type is not None else None
        current[0] = ref

        if f_plain is None and f_shared is None and f_attrs_text is None and not sink.arrays:
            # a constant (shared, inline or no text, a number ...): its value only (no
            # formula, no write-back record)
            if raw_v is None:
                v_text = "" if v_empty is not None else None
            elif b"&" in raw_v or b"\r" in raw_v:
                v_text = _text(raw_v)
            else:
                v_text = raw_v.decode("utf-8")
            is_parts = [_text(inline_text)] if inline is not None else None
            value = _cell_value(c_t, v_text, is_parts, sst, date1904, where, False)
            if value is not None:
                cells[(sheet, ref)] = Cell(sheet, ref, None, value, None, None, row_num, col)
                sink.n_cells += 1
                if sink.n_cells > sink.max_cells:
                    raise limits.too_many_cells(path)
            continue

        f_attrs = f_text = f_span = v_text = v_span = None
        if f_plain is not None:                   # <f>text</f>
            f_attrs = {}
            f_text = _text(f_plain)
            f_span = (m.start("f") - 3, m.end("f"), False)
        elif f_shared is not None:                # <f .../>: a shared formula's cells repeat it
            f_attrs = f_attr_memo.get(f_shared)
            if f_attrs is None:
                f_attrs = f_attr_memo[f_shared] = {k.decode(): v.decode() for k, v in _F_ATTR.findall(f_shared)}
            f_text = ""
            f_span = (m.start("f_shared") - 2, m.end("f_shared") + 2, True)
        elif f_attrs_text is not None:            # <f ...>text</f>
            f_attrs = {k.decode(): v.decode() for k, v in _F_ATTR.findall(f_attrs_text)}
            f_text = _text(f_body)
            f_span = (m.start("f_attrs") - 2, m.end("f_text"), False)
        if raw_v is not None:                     # <v>text</v>
            v_text = _text(raw_v)
            v_span = (m.start("v") - 3, m.end("v"), False)
        elif v_empty is not None:                 # <v/>
            v_text = ""
            v_span = (m.start("v_empty"), m.end("v_empty"), True)
        is_parts = is_span = None
        if inline is not None:                    # <is><t>text</t></is>
            is_parts = [_text(inline_text)]
            is_span = (m.start("inline"), m.end("inline") - 5, False)
        c_end = (pos, True) if data[pos - 2] == 47 else (pos - 4, False)  # 47: "/" of "/>"
        value = _cell_value(c_t, v_text, is_parts, sst, date1904, where, f_attrs is not None)
        sink.cell(ref, row_num, col, value, f_attrs, f_text, WriteRecord(m.start(), "c", c_end, f_span, v_span, is_span))
    if pos != end:
        raise NotSimple
    return sink.finish(out)
