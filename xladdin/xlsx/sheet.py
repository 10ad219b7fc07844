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

import bisect
import re
from typing import NamedTuple
from xml.parsers import expat

from udfs.errors import ERROR_LITERALS

from .model import MAX_COL, MAX_ROW, Cell, ErrorValue, PackageError, _corrupt, _invalid, _unsafe_xml
from .refs import _compile_formula, _render_formula, _shift_limits, column_letters, column_number, split_ref
from .validate import Limits
from .xmltext import _iso_to_serial, _unescape_x

#: Excel's own limit on the characters in one cell.
MAX_TEXT = 32_767
_CELL_REF = re.compile(r"([A-Za-z]{1,3})([1-9][0-9]{0,6})\Z")
_HUGE = float("inf")
_BOOLEAN = {"0": False, "1": True, "false": False, "true": True}


class WriteRecord(NamedTuple):
    """Where one writable cell's elements sit in the worksheet's bytes, for write-back.

    Each span is (start, end index, empty): ``start`` the offset of the element's ``<``,
    ``end index`` where the parser reported its end (the offset of its end tag, or just
    past an empty element), ``empty`` whether it was written ``<x/>``.  ``cell_end`` is
    (end index, empty) of the ``<c>`` element itself."""

    cell_start: int
    cell_qname: str
    cell_end: tuple
    formula: tuple | None
    value: tuple | None
    inline_string: tuple | None


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


class _UnreadableResult:
    """The cached result of a formula that is not a number Excel could read."""

    __slots__ = ()

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return "UNREADABLE_RESULT"


UNREADABLE_RESULT = _UnreadableResult()


def _cell_value(t, v, is_parts, sst, date1904, where, cached=False):
    """The cached value of a cell from its ``t`` attribute and ``<v>``/``<is>`` text.

    ``where`` is a callable giving a PackageError for a detail (Excel could not
    open such a cell either).  ``cached``: the cell has a formula, so its value
    is a result that write-back replaces; a malformed number there is no reason
    to refuse the file: it is `UNREADABLE_RESULT`, and write-back removes it
    when the formula's new result is not known.
    """
    if t is None or t == "n":
        if not v:
            return None
        try:
            value = float(v)
        except ValueError:
            value = None
        # float() also takes NaN, INF, 1e999, 1_000, " 1 " and Arabic-Indic or full-width
        # digits, none of which Excel writes (other readers refuse them)
        if value is None or not -_HUGE < value < _HUGE or not (v.isascii() and "_" not in v and v[0] > " " and v[-1] > " "):
            if cached:
                return UNREADABLE_RESULT
            raise where(f"数值“{v[:20]}”不是有效的数字")
        return value
    if t == "s":
        if not v:
            return None
        try:
            return sst[int(v)]
        except (ValueError, IndexError):
            raise where("引用了不存在的共享字符串") from None
    if t == "str":
        value = _unescape_x(v) if v is not None else None
    elif t == "inlineStr":
        value = _unescape_x("".join(is_parts)) if is_parts is not None else v
    elif t == "b":
        if not v:
            return None
        value = _BOOLEAN.get(v.strip())
        if value is None:
            raise where(f"逻辑值“{v[:20]}”无效")
        return value
    elif t == "e":
        if not v:
            return None
        if v not in ERROR_LITERALS:
            raise where(f"错误值“{v[:20]}”无效")
        return ErrorValue(v)
    elif t == "d":
        if not v:
            return None
        value = _iso_to_serial(v, date1904)
        if isinstance(value, str):
            raise where(f"日期“{v[:30]}”无效")
        return value
    else:
        raise where(f"单元格类型“{t[:10]}”无效")
    if value is not None and len(value) > MAX_TEXT:
        raise where(f"文本长度 {len(value):,} 个字符，超过 Excel 单元格 32,767 个字符的上限")
    return value


class CellSink:
    """What both worksheet readers (this pyexpat pass and `fastsheet`) do with a cell once
    its parts are read: its cached value, shared and array formulas, the write-back record,
    and the package layer's limits on cells and formula text."""

    def __init__(self, sheet: str, path, limits: Limits, part: str = ""):
        self.sheet = sheet
        self.path = path
        self.part = part
        self.limits = limits
        self.cells: dict = {}
        self.records: dict = {}
        self.masters: dict = {}   # si -> (row, col, formula)
        self.pending: list = []   # (cell, si, row, col) of shared-formula cells without text
        # the array formulas' ranges not yet passed, as (c1, c2, r2) sorted by first column,
        # and those first columns: rows come in order and the ranges of one row do not
        # overlap, so a cell needs one bisection, however many array formulas there are
        self.arrays: list = []
        self._array_starts: list = []
        #: formula cells whose cached result is no number (`UNREADABLE_RESULT`)
        self.unreadable_results: set[str] = set()
        self.n_cells = 0
        self.formula_chars = 0
        self.max_cells = limits.max_cells - limits.cells
        self.max_formula_chars = limits.max_formula_chars - limits.formula_chars

    def _count_cell(self):
        self.n_cells += 1
        if self.n_cells > self.max_cells:
            raise self.limits.too_many_cells(self.path)

    def _count_formula(self, text):
        self.formula_chars += len(text)
        if self.formula_chars > self.max_formula_chars:
            raise self.limits.too_much_formula_text(self.path)

    def cell(self, ref: str, row: int, col: int, value, f_attrs, f_text, record) -> None:
        """``record``: the cell's `WriteRecord`."""
        sheet = self.sheet
        formula = None
        array_ref = None
        writable = False
        unreadable = value is UNREADABLE_RESULT
        if unreadable:
            value = None
        if f_attrs is not None:
            ft = f_attrs.get("t")
            if ft == "shared":
                si = f_attrs.get("si")
                if f_text:
                    formula = f_text
                    if f_attrs.get("ref") is not None and si is not None and si not in self.masters:
                        self.masters[si] = (row, col, f_text)
                elif si is not None:
                    writable = True
                    self._count_cell()
                    cell = Cell(sheet, ref, None, value, None, None, row, col)
                    self.cells[(sheet, ref)] = cell
                    self.pending.append((cell, si, row, col))
            elif ft == "array":
                if f_text:
                    formula = f_text
                    array_ref = f_attrs.get("ref") or ref
                    try:
                        a, _, b = array_ref.partition(":")
                        r1, c1 = split_ref(a)
                        r2, c2 = split_ref(b) if b else (r1, c1)
                        if (r2, c2) != (r1, c1):
                            i = bisect.bisect_right(self._array_starts, c1)
                            self._array_starts.insert(i, c1)
                            self.arrays.insert(i, (c1, c2, r2))
                    except ValueError:
                        pass
            elif ft != "dataTable" and f_text:
                formula = f_text
            if formula is not None:
                writable = True
                self._count_formula(formula)
        elif self.arrays:
            writable = self._in_array(row, col)
        if writable:
            self.records[ref] = record
            if unreadable:
                self.unreadable_results.add(ref)
        elif unreadable:  # a data table's result, say: nothing would replace it
            raise _invalid(self.path, self.part, f"工作表“{sheet}”单元格 {ref}：保存的结果不是有效的数字")
        if formula is not None or (value is not None and not (writable and f_attrs is not None)):
            self.cells[(sheet, ref)] = Cell(sheet, ref, formula, value, array_ref, None, row, col)
            self._count_cell()

    def _in_array(self, row: int, col: int) -> bool:
        starts, arrays = self._array_starts, self.arrays
        while True:
            i = bisect.bisect_right(starts, col) - 1
            if i < 0:
                return False
            c1, c2, r2 = arrays[i]
            if r2 >= row:
                return col <= c2
            del starts[i], arrays[i]  # passed: no later row is in it

    def finish(self, out: dict) -> tuple[dict, set[str]]:
        """Expand shared formulas, hand the cells over; returns the write records and the
        refs of formula cells whose cached result is unreadable."""
        sheet, records = self.sheet, self.records
        compiled: dict = {}
        for cell, si, row, col in self.pending:
            master = self.masters.get(si)
            if master is None:
                records.pop(cell.ref, None)
                if cell.value is None:
                    self.cells.pop((sheet, cell.ref), None)
                continue
            found = compiled.get(si)
            if found is None:
                pieces = _compile_formula(master[2])
                found = compiled[si] = (pieces, _shift_limits(pieces), "#REF!" in master[2])
            pieces, (low_r, high_r, low_c, high_c), has_ref_error = found
            drow, dcol = row - master[0], col - master[1]
            if has_ref_error or not (low_r <= drow <= high_r and low_c <= dcol <= high_c):
                # shifted off the sheet (#REF!): not the group's shape; its own text now
                cell.formula = _render_formula(pieces, drow, dcol)
            else:
                cell.shift_from(pieces, drow, dcol)  # the text is made only if asked for
                cell.shared = (si, master[0], master[1])
            # counted at the master's length: a shifted text differs only in its row/column digits
            self._count_formula(master[2])
        out.update(self.cells)
        self.limits.cells += self.n_cells
        self.limits.formula_chars += self.formula_chars
        return records, self.unreadable_results


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
    from .fastsheet import NotSimple, scan_sheet
    try:
        return scan_sheet(data, sheet, sst, date1904, out, path, part, limits, n_styles)
    except NotSimple:
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
