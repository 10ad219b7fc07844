"""Worksheet reading: cells, formulas and the byte offsets write-back needs.

One pass of pyexpat over the worksheet XML collects every cell with a value or
a formula (shared formulas are expanded to each cell's own text) and, for each
cell whose result may be written back, where its ``<c>``, ``<f>``, ``<v>`` and
``<is>`` elements sit in the raw bytes.

The same pass refuses what Excel itself could not open (see `validate`): a cell
reference that is not one, rows or cells out of order, a number that is not a
number (``NaN``, ``INF``, ``1,5``), a style index past the stylesheet, text over
Excel's 32,767 characters; and it stops work beyond the package layer's limits
(cells, elements, formula text).
"""

from __future__ import annotations

import re
from xml.parsers import expat

from . import fastsheet
from .cells import MAX_TEXT, UNREADABLE_RESULT, CellSink, WriteRecord, _cell_value
from .model import PackageError, _corrupt, _invalid, _unsafe_xml
from .refs import MAX_COL, MAX_ROW, column_letters, column_number
from .validate import Limits

_CELL_REF = re.compile(r"([A-Za-z]{1,3})([1-9][0-9]{0,6})\Z")


class SheetPart:
    """One worksheet as read: its name, part name, bytes, the cells' write records and
    the formula cells whose cached result is no number Excel could read."""

    __slots__ = ("name", "part", "data", "records", "unreadable_results")

    def __init__(self, name: str, part: str, data: bytes, records: dict[str, WriteRecord],
                 unreadable_results: set[str] = frozenset()):
        self.name = name
        self.part = part
        self.data = data
        self.records = records
        self.unreadable_results = unreadable_results


def _forbid(*_args):
    raise _DTDFound


class _DTDFound(Exception):
    pass


class _Stop(Exception):
    """Raised inside expat callbacks to carry a PackageError out of the parser."""

    def __init__(self, error: PackageError):
        self.error = error


_SHEET_DATA_START = re.compile(rb"<(?:[\w.-]+:)?sheetData[\s/>]")
_COL = re.compile(rb"<(?:[\w.-]+:)?col\s([^>]*)>")
_COL_BOUND = re.compile(rb"""\b(min|max)\s*=\s*["']([^"']*)["']""")


def _check_columns(data: bytes, sheet: str, path, part: str) -> None:
    """Each ``<col>`` (column widths, before ``<sheetData>``) spans columns 1 … 16,384 with
    min ≤ max, as Excel writes it; openpyxl and others refuse ``<col min="0">``."""
    m = _SHEET_DATA_START.search(data)
    head = data[: m.start()] if m else data
    for col in _COL.finditer(head):
        bounds = {k: v for k, v in _COL_BOUND.findall(col.group(1))}
        try:
            low, high = int(bounds[b"min"]), int(bounds[b"max"])
        except (KeyError, ValueError):
            low = high = 0
        if not 1 <= low <= high <= MAX_COL:
            shown = col.group(0)[:60].decode("utf-8", "replace")
            raise _invalid(path, part, f"工作表“{sheet}”的列设置 {shown} 无效（列号应在 1 至 {MAX_COL:,} 之间）")


def _parse_sheet(
    data: bytes,
    sheet: str,
    sst: list,
    date1904: bool,
    out: dict,
    path,
    part: str,
    limits: Limits | None = None,
    n_styles: int | None = None,
) -> tuple[dict, set[str]]:
    """Parse one worksheet, adding its cells to ``out``; returns `CellSink.finish`'s
    (write records, refs of unreadable cached results).

    ``limits`` counts cells, elements and formula text across the workbook;
    ``n_styles`` is the number of cell formats in the stylesheet (None: not
    checked).
    """
    if limits is None:
        limits = Limits()
    _check_columns(data, sheet, path, part)
    try:
        return fastsheet.scan_sheet(data, sheet, sst, date1904, out, path, part, limits, n_styles)
    except fastsheet.NotSimple:
        pass  # the general parser below reads every well-formed worksheet
    sink = CellSink(sheet, path, limits, part)
    local: dict = {}
    cols: dict = {}  # column letters -> number
    max_elements = limits.max_elements

    p = expat.ParserCreate()
    p.buffer_text = True
    p.StartDoctypeDeclHandler = _forbid
    p.EntityDeclHandler = _forbid
    p.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    in_sd = False
    n_elements = 0
    row_num = 0
    prev_col = 0
    last_start = -1
    buf = None  # list collecting character data, or None
    # current cell
    c_ref = c_t = c_q = None
    c_row = c_col = 0
    c_start = 0
    f_attrs = f_text = f_span = None
    v_text = v_span = None
    v_start = f_start = is_start = 0
    is_parts = is_span = None
    in_is = in_rph = False

    def bad(detail: str) -> _Stop:
        return _Stop(_invalid(path, part, f"工作表“{sheet}”{detail}"))

    def bad_cell(detail: str) -> _Stop:
        return _Stop(_invalid(path, part, f"工作表“{sheet}”单元格 {c_ref}：{detail}"))

    def check_style(s: str, what: str) -> None:
        try:
            index = int(s)
        except ValueError:
            index = -1
        if index < 0 or (n_styles is not None and index >= max(n_styles, 1)):
            raise bad(f"{what}的格式编号 {s[:10]} 超出了样式表（共 {n_styles or 0} 种格式）")

    def start(name, attrs):
        nonlocal in_sd, n_elements, row_num, prev_col, last_start, buf, c_ref, c_t, c_q, c_start
        nonlocal c_row, c_col, f_attrs, f_text, f_span, v_text, v_span, v_start, f_start, is_start
        nonlocal is_parts, is_span, in_is, in_rph
        n_elements += 1
        if n_elements > max_elements:
            raise _Stop(limits.too_many_elements(path, part))
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
                col = prev_col + 1
                if col > MAX_COL:
                    raise bad(f"第 {row_num} 行的单元格超出了最后一列")
                r = column_letters(col) + str(row_num)
            else:
                m = _CELL_REF.match(r)
                if m is None:
                    raise bad(f"单元格地址“{r[:20]}”无效")
                letters = m.group(1)
                col = cols.get(letters)
                if col is None:
                    col = cols[letters] = column_number(letters)
                if col > MAX_COL or int(m.group(2)) != row_num:
                    if col > MAX_COL or int(m.group(2)) > MAX_ROW:
                        raise bad(f"单元格地址“{r[:20]}”无效")
                    raise bad(f"单元格 {r} 不在它所在的第 {row_num} 行")
                if col <= prev_col:
                    raise bad(f"第 {row_num} 行的单元格 {r} 顺序错乱或重复")
                if not r.isupper():
                    r = r.upper()
            s = attrs.get("s")
            if s is not None and s != "0":
                c_ref = r
                check_style(s, f"单元格 {r} ")
            prev_col = c_col = col
            c_row = row_num
            c_ref = r
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
            if r:
                try:
                    number = int(r)
                except ValueError:
                    number = 0
                if not 0 < number <= MAX_ROW or not r.isdigit():
                    raise bad(f"行号“{r[:20]}”无效")
                if number <= row_num:
                    raise bad(f"第 {number} 行顺序错乱或重复")
                row_num = number
            else:
                row_num += 1
                if row_num > MAX_ROW:
                    raise bad("行数超出了 Excel 的上限")
            s = attrs.get("s")
            if s is not None and s != "0" and attrs.get("customFormat") in ("1", "true"):
                check_style(s, f"第 {row_num} 行")
            prev_col = 0
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
        value = _cell_value(c_t, v_text, is_parts, sst, date1904, bad_cell, f_attrs is not None)
        record = WriteRecord(c_start, c_q, (idx, last_start == c_start and data[idx - 2 : idx] == b"/>"), f_span, v_span, is_span)
        sink.cell(c_ref, c_row, c_col, value, f_attrs, f_text, record)

    p.StartElementHandler = start
    p.EndElementHandler = end
    p.CharacterDataHandler = chars
    try:
        p.Parse(data, True)
    except _Stop as stop:
        raise stop.error from None
    except _DTDFound:
        raise _unsafe_xml(path, part) from None
    except expat.ExpatError as e:
        raise _corrupt(path, f"{part} 无法解析：{e}") from None
    except ValueError as e:  # bad row/cell numbers
        raise _corrupt(path, f"{part}：{e}") from None

    return sink.finish(out)
