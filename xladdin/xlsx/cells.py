"""What both worksheet readers (`sheet`'s pyexpat pass and `fastsheet`'s regular expression)
hand on: the reading of one cell's stored value (`_cell_value`) and the collector of cells,
formulas and write-back records (`CellSink`)."""

from __future__ import annotations

import bisect
from typing import NamedTuple

from udfs.errors import ERROR_LITERALS

from .model import Cell, ErrorValue
from .refs import _compile_formula, _render_formula, _shift_limits, split_ref
from .validate import Limits
from .xmltext import _iso_to_serial, _unescape_x

#: Excel's own limit on the characters in one cell.
MAX_TEXT = 32_767
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
