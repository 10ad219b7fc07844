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

from .model import MAX_COL, MAX_ROW, Cell, _invalid
from .refs import column_number

__all__ = ["NotSimple", "scan_sheet"]


class NotSimple(Exception):
    """The worksheet uses XML this fast path does not read; use the general parser."""


_SHEET_DATA = re.compile(rb"<sheetData>|<sheetData/>")
# one token of <sheetData>: a row's start tag, a cell, or a row's end tag
_TOKEN = re.compile(
    rb'<row r="([0-9]{1,7})"((?: (?:spans|ht|customHeight|hidden|outlineLevel|collapsed|thickTop|thickBot'
    rb'|x14ac:dyDescent|s|customFormat)="[^"<>&]*")*) ?(/?)>'
    rb'|<c r="([A-Z]{1,3})([1-9][0-9]{0,6})"(?: s="([0-9]{1,9})")?(?: t="([a-zA-Z]{1,9})")?'
    rb'(?: ?/>|>'
    rb'(?:<f>([^<]*)</f>|<f( [^<>/]*)/>|<f( [^<>/]*)>([^<]*)</f>)?'
    rb'(?:<v>([^<]*)</v>|(<v/>))?'
    rb'(<is><t(?: xml:space="preserve")?>([^<]*)</t></is>)?'
    rb'</c>)'
    rb'|</row>'
)
_ROW_STYLE = re.compile(rb' s="([^"]*)"')
_ROW_CUSTOM = re.compile(rb' customFormat="(1|true)"')
_F_ATTR = re.compile(rb' ([a-zA-Z]+)="([^"<>&]*)"')
_ENTITY = re.compile(r"&(?:#x([0-9A-Fa-f]+)|#([0-9]+)|(lt|gt|amp|quot|apos));")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}


def _entity(m):
    if m.group(3):
        return _NAMED[m.group(3)]
    return chr(int(m.group(1), 16) if m.group(1) else int(m.group(2)))


def _text(raw: bytes) -> str:
    """Character data as expat reports it: UTF-8, line ends normalised, references decoded."""
    s = raw.decode("utf-8")
    if "\r" in s:
        s = s.replace("\r\n", "\n").replace("\r", "\n")
    if "&" in s:
        s = _ENTITY.sub(_entity, s)
    return s


def scan_sheet(data: bytes, sheet: str, sst: list, date1904: bool, out: dict, path, part: str,
               limits, n_styles) -> dict:
    """Like `sheet._parse_sheet` (same arguments, same result), or `NotSimple`."""
    from .sheet import _cell_value  # the one reading of a cell's cached value

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

    from .sheet import CellSink, WriteRecord
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

    cells = sink.cells
    f_attr_memo: dict = {}
    while pos < end:
        m = match(data, pos)
        if m is None:
            raise NotSimple
        pos = m.end()
        g = m.groups()
        if g[0] is not None:  # <row r="N" ...>
            number = int(g[0])
            if not 0 < number <= MAX_ROW:
                raise bad(f"行号“{g[0].decode()[:20]}”无效")
            if number <= row_num:
                raise bad(f"第 {number} 行顺序错乱或重复")
            row_num = number
            row_digits = g[0]
            if g[1] and _ROW_CUSTOM.search(g[1]):
                s = _ROW_STYLE.search(g[1])
                if s is not None and s.group(1) != b"0":
                    check_style(s.group(1).decode(), f"第 {row_num} 行")
            prev_col = 0
            continue
        letters = g[3]
        if letters is None:  # </row>
            continue
        col = cols.get(letters)
        if col is None:
            col = cols[letters] = column_number(letters.decode())
        digits = g[4]
        ref = (letters + digits).decode()
        if col > MAX_COL or (digits != row_digits and int(digits) != row_num):
            if col > MAX_COL or int(digits) > MAX_ROW:
                raise bad(f"单元格地址“{ref[:20]}”无效")
            raise bad(f"单元格 {ref} 不在它所在的第 {row_num} 行")
        if col <= prev_col:
            raise bad(f"第 {row_num} 行的单元格 {ref} 顺序错乱或重复")
        prev_col = col
        style = g[5]
        if style is not None and style not in styles_seen:
            check_style(style.decode(), f"单元格 {ref} ")
            styles_seen.add(style)
        c_t = types.get(g[6], "?") if g[6] is not None else None
        current[0] = ref

        raw_v = g[11]
        if g[7] is None and g[8] is None and g[9] is None and not sink.arrays:
            # a constant (shared, inline or no text, a number ...): its value only (no
            # formula, no write-back record)
            if raw_v is None:
                v_text = "" if g[12] is not None else None
            elif b"&" in raw_v or b"\r" in raw_v:
                v_text = _text(raw_v)
            else:
                v_text = raw_v.decode("utf-8")
            is_parts = [_text(g[14])] if g[13] is not None else None
            value = _cell_value(c_t, v_text, is_parts, sst, date1904, where, False)
            if value is not None:
                cells[(sheet, ref)] = Cell(sheet, ref, None, value, None, None, row_num, col)
                sink.n_cells += 1
                if sink.n_cells > sink.max_cells:
                    raise limits.too_many_cells(path)
            continue

        f_attrs = f_text = f_span = v_text = v_span = None
        if g[7] is not None:                      # <f>text</f>
            f_attrs = {}
            f_text = _text(g[7])
            f_span = (m.start(8) - 3, m.end(8), False)
        elif g[8] is not None:                    # <f .../>: a shared formula's cells repeat it
            f_attrs = f_attr_memo.get(g[8])
            if f_attrs is None:
                f_attrs = f_attr_memo[g[8]] = {k.decode(): v.decode() for k, v in _F_ATTR.findall(g[8])}
            f_text = ""
            f_span = (m.start(9) - 2, m.end(9) + 2, True)
        elif g[9] is not None:                    # <f ...>text</f>
            f_attrs = {k.decode(): v.decode() for k, v in _F_ATTR.findall(g[9])}
            f_text = _text(g[10])
            f_span = (m.start(10) - 2, m.end(11), False)
        if raw_v is not None:                     # <v>text</v>
            v_text = _text(raw_v)
            v_span = (m.start(12) - 3, m.end(12), False)
        elif g[12] is not None:                   # <v/>
            v_text = ""
            v_span = (m.start(13), m.end(13), True)
        is_parts = is_span = None
        if g[13] is not None:                     # <is><t>text</t></is>
            is_parts = [_text(g[14])]
            is_span = (m.start(14), m.end(14) - 5, False)
        c_end = (pos, True) if data[pos - 2] == 47 else (pos - 4, False)  # 47: "/" of "/>"
        value = _cell_value(c_t, v_text, is_parts, sst, date1904, where, f_attrs is not None)
        sink.cell(ref, row_num, col, value, f_attrs, f_text, WriteRecord(m.start(), "c", c_end, f_span, v_span, is_span))
    if pos != end:
        raise NotSimple
    return sink.finish(out)
