"""The calculation model of one workbook: sheets stored by column, formula cells computed on
demand, and the cells that cannot be recalculated kept as the file holds them.

Storage.  Each sheet keeps one Python list per column, indexed by row.  A cell holds
its value, or, while it is a formula cell not yet computed (or one that cannot be
computed), its `FormulaCell`.  A range read is a list slice per column; a per-column
count of `FormulaCell` objects still in the list says whether the slice needs a look.

Order.  Formula cells are computed column by column, top to bottom, and a cell that
reads a cell not yet computed computes it first (depth-first, on demand).  Filled-down
formulas therefore find their inputs ready, and no dependency graph is built.

Degradation.  A formula that cannot be parsed or compiled (unknown function,
structured reference to a missing table, another workbook ...), a circular reference
without iteration, or an internal failure makes its cell *kept*: its stored value is
written back unchanged, and every formula that reads it is kept too (`Uncomputable`
travels up to it).  Each kept cell carries a `Problem` with a Chinese reason.

Circular references follow the workbook's ``<calcPr>``: without ``iterate`` the
cells of the cycle are kept; with it the whole workbook is recalculated up to
``iterateCount`` times, a cell in a cycle reading the previous round's value, until
no value changes by more than ``iterateDelta``.
"""

from __future__ import annotations

import math
import sys
import threading
import time
from dataclasses import dataclass

from .compiler import Compiler
from .failures import CompileFailure, NotComputedHere
from .parser import MAX_COL, MAX_ROW, ParseFailure, col_letters, filled_key, parse, shape_key
from .refs import Cycle, Ref, RefList, Uncomputable, intersect_value
from .values import NA, NUM, VALUE, Arr, ErrorValue, as_error, element_at

__all__ = ["Problem", "FormulaCell", "Sheet", "Book", "CalcSettings"]

PENDING, COMPUTING, DONE, KEPT = 0, 1, 2, 3

#: bounded work, whatever the file asks for (a workbook under 10 MB stays well under
#: 1 GB and 30 s): a range read as values is at most this many cells ...
MAX_RANGE_CELLS = 2_000_000
#: a range past the used area keeps its blank cells there, up to this many (beyond that,
#: and for whole columns / rows, it ends at the used area)
_MAX_PADDING = 10_000
_CACHE_MIN_CELLS = 16
_CACHE_MAX_CELLS = 200_000
_CACHE_TOTAL_CELLS = 2_000_000
#: ... and a workbook's calculation stops after this long, keeping what is not computed
TIME_LIMIT_SECONDS = 30
#: the cells of all array formulas' ranges in one workbook (each one is a cell object, set
#: up before the clock runs): an array over a whole sheet (A1:XFD1048576, 17 billion cells)
#: keeps its stored values instead of taking hours; 200,000 cells take a few seconds
MAX_ARRAY_CELLS = 200_000


class TooMuchWork(BaseException):
    """The calculation ran out of time; ``reason_zh`` says so."""

    def __init__(self, reason_zh):
        super().__init__(reason_zh)
        self.reason_zh = reason_zh


class RangeTooLarge(Exception):
    """One formula reads a range beyond the limit: that cell (and its readers) are kept."""

    def __init__(self, reason_zh):
        super().__init__(reason_zh)
        self.reason_zh = reason_zh


@dataclass(frozen=True)
class Problem:
    """A formula cell that was not recalculated and keeps the value stored in the file."""

    cell: tuple[str, str]
    kind: str          # parse | unknown_function | unknown_name | unsupported | external | environment | cycle | dependency | limit | internal
    message_zh: str


@dataclass(frozen=True)
class CalcSettings:
    iterate: bool = False
    iterate_count: int = 100
    iterate_delta: float = 0.001


class FormulaCell:
    """A formula cell (or, with ``master`` set, a cell of an array formula's range)."""

    __slots__ = ("sheet", "row", "col", "fn", "mode", "state", "stored", "value", "problem",
                 "array_rows", "array_cols", "master", "flags")

    def __init__(self, sheet, row, col, stored):
        self.sheet = sheet
        self.row = row
        self.col = col
        self.stored = stored
        self.value = None
        self.fn = None
        self.mode = "V"
        self.state = PENDING
        self.problem = None
        self.array_rows = 0
        self.array_cols = 0
        self.master = None
        self.flags = frozenset()

    @property
    def address(self):
        return col_letters(self.col) + str(self.row)

    def label(self):
        return "%s!%s" % (self.sheet.name, self.address)


class Sheet:
    __slots__ = ("book", "name", "index", "cols", "unresolved", "formulas", "max_row", "max_col")

    def __init__(self, book, name, index):
        self.book = book
        self.name = name
        self.index = index
        self.cols = {}          # col -> list indexed by row (index 0 unused)
        self.unresolved = {}    # col -> number of FormulaCell objects in that column's list
        self.formulas = []      # FormulaCell, in calculation order
        self.max_row = 0
        self.max_col = 0

    def put(self, row, col, value):
        lst = self.cols.get(col)
        if lst is None:
            lst = self.cols[col] = []
        if len(lst) <= row:
            lst.extend([None] * (row + 1 - len(lst)))
        lst[row] = value
        if row > self.max_row:
            self.max_row = row
        if col > self.max_col:
            self.max_col = col
        if type(value) is FormulaCell:
            self.unresolved[col] = self.unresolved.get(col, 0) + 1

    def fit_extent(self):
        """``max_row``/``max_col`` after cells were stored straight into ``cols``."""
        if self.cols:
            self.max_row = max(self.max_row, max(len(lst) for lst in self.cols.values()) - 1)
            self.max_col = max(self.max_col, max(self.cols))

    def cell_value(self, row, col):
        lst = self.cols.get(col)
        if lst is None or row >= len(lst):
            return None
        v = lst[row]
        if type(v) is FormulaCell:
            return self.book.compute(v)
        return v

    def raw(self, row, col):
        lst = self.cols.get(col)
        if lst is None or row >= len(lst):
            return None
        return lst[row]

    def range_array(self, r1, c1, r2, c2):
        # A range keeps its declared size past the used area (its cells there are blank:
        # COUNTBLANK(A1:A10) over three used rows counts seven).  Whole columns / rows, and
        # ranges that would add more than _MAX_PADDING blank cells beyond the used area,
        # end at the last used row / column instead, so that A:A is not a million blanks.
        if r2 > self.max_row or c2 > self.max_col:
            cut_r2 = max(self.max_row, r1) if r2 > self.max_row else r2
            cut_c2 = max(self.max_col, c1) if c2 > self.max_col else c2
            padding = ((r2 - r1 + 1) * (c2 - c1 + 1)
                       - (cut_r2 - r1 + 1) * (cut_c2 - c1 + 1))
            if r2 >= MAX_ROW or c2 >= MAX_COL or padding > _MAX_PADDING:
                r2, c2 = cut_r2, cut_c2
        height = r2 - r1 + 1
        if height * (c2 - c1 + 1) > MAX_RANGE_CELLS:
            raise RangeTooLarge("区域 %s!%s%d:%s%d 超过 %d 个单元格" % (
                self.name, col_letters(c1), r1, col_letters(c2), r2, MAX_RANGE_CELLS))
        cols = []
        cache = self.book.range_cache
        key = (self.index, r1, c1, r2, c2)
        hit = cache.get(key)
        if hit is not None:
            return hit
        for c in range(c1, c2 + 1):
            lst = self.cols.get(c)
            if lst is None:
                cols.append((None,) * height)
                continue
            part = lst[r1:r2 + 1]
            if self.unresolved.get(c):
                for i, v in enumerate(part):
                    if type(v) is FormulaCell:
                        part[i] = self.book.compute(v)
            if len(part) < height:
                part.extend([None] * (height - len(part)))
            cols.append(part)
        arr = Arr.from_columns(cols, ref=True, origin=(self.name, r1, c1))
        size = height * len(cols)
        if _CACHE_MIN_CELLS <= size <= _CACHE_MAX_CELLS:
            # the same range read again (a lookup table, a total) is this same array, and
            # keeps its lookup index; bounded so that memory stays flat
            book = self.book
            if len(cache) >= 512 or book.cached_cells + size > _CACHE_TOTAL_CELLS:
                cache.clear()
                book.cached_cells = 0
            cache[key] = arr
            book.cached_cells += size
        return arr

    def has_formula(self, row, col):
        return (self.index, row, col) in self.book.formula_texts


class Book:
    """One workbook being calculated."""

    def __init__(self, sheet_names, defined_names, catalogue, settings=CalcSettings(),
                 tables=None, date1904=False, as_without_addin=False, external_books=None):
        self.sheets = []
        self._by_upper = {}
        for i, name in enumerate(sheet_names):
            sh = Sheet(self, name, i)
            self.sheets.append(sh)
            self._by_upper[name.upper()] = sh
        self.defined_names = {k.upper(): v for k, v in defined_names.items()}
        self.catalogue = catalogue
        # calculate as an application without this add-in would: its functions are #NAME?
        self.as_without_addin = as_without_addin
        self.settings = settings
        self.tables = tables or {}
        self.external_books = external_books or {}   # [n] -> ExternalBook (cached values)
        self.date1904 = date1904
        self.range_cache = {}
        self.cached_cells = 0
        self.formula_texts = {}
        self.subtotal_cells = set()
        self.array_masters = {}
        self.kept = []
        self.volatile_cells = 0
        self._parsed_names = {}
        self._shapes = _shape_cache(self)
        self._count_exact = 0
        self._groups = {}       # shared-formula group -> compiled (this workbook only)
        self._hidden = {}
        self.time_limit = TIME_LIMIT_SECONDS
        self.deadline = float("inf")
        self.array_cells = 0    # cells of array formulas' ranges so far (MAX_ARRAY_CELLS)
        self.row_info = None    # sheet name -> (hidden rows, [(first, last) row of each autofilter])
        self.compiler = Compiler(self, catalogue)
        #: formula text, row, column -> tree (`parser.parse`; `parses.KEPT_PARSES` keeps trees between runs)
        self.parse_formula = parse

    # ------------------------------------------------------------ lookups for the compiler
    def sheet_by_name(self, name):
        return self._by_upper.get(name.upper())

    def sheet_span(self, first, last):
        a, b = self.sheet_by_name(first), self.sheet_by_name(last)
        if a is None or b is None:
            return None
        i, j = sorted((a.index, b.index))
        return self.sheets[i:j + 1]

    def defined_name(self, name, sheet_name, qualified=False):
        local = self.defined_names.get("%s!%s" % (sheet_name.upper(), name))
        if local is not None or qualified:
            return local
        return self.defined_names.get(name)

    def parse_name(self, definition):
        tree = self._parsed_names.get(definition)
        if tree is None:
            try:
                tree = self.parse_formula(definition, 1, 1)   # names are stored relative to A1
            except ParseFailure as e:
                raise CompileFailure("名称的定义无法解析：%s" % e.reason_zh, "parse") from None
            self._parsed_names[definition] = tree
        return tree

    def hidden_rows(self, sheet, filtered_only):
        """Rows of ``sheet`` hidden in the file (``filtered_only``: those inside an
        autofilter or table, i.e. hidden by a filter)."""
        key = (sheet.index, filtered_only)
        rows = self._hidden.get(key)
        if rows is None:
            hidden, filter_areas = self.row_info(sheet.name) if self.row_info else (set(), [])
            if filtered_only:
                areas = list(filter_areas) + [(t.r1, t.r2) for t in self.tables.values() if t.sheet == sheet.name and t.filtered]
                hidden = {r for r in hidden if any(a <= r <= b for a, b in areas)}
            rows = self._hidden[key] = sorted(hidden)
        return rows

    def table_reference(self, table, spec, sheet):
        from .tables import structured_reference
        return structured_reference(self, table, spec, sheet)

    def spill_extent(self, sheet, row, col):
        fc = sheet.book.formula_at(sheet, row, col)
        if fc is None or not fc.array_rows:
            return None
        return Ref(sheet, row, col, row + fc.array_rows - 1, col + fc.array_cols - 1)

    def formula_text(self, sheet, row, col):
        """The text of the formula in a cell (without "="), or None."""
        text = self.formula_texts.get((sheet.index, row, col))
        return text if text is None or type(text) is str else text.formula

    def formula_at(self, sheet, row, col):
        return self.array_masters.get((sheet.index, row, col))

    # ------------------------------------------------------------ loading
    def add_formula(self, sheet, row, col, text, stored, array_ref=None, shared=None):
        """A formula cell; ``shared`` names its shared-formula group (si, master row, master
        column) when the file stores one: the group is one shape, compiled once.  ``text``
        is the formula's text, or for a group member an object whose ``formula`` makes it
        (only needed if the group's shape is not compiled yet, or for FORMULATEXT)."""
        fc = FormulaCell(sheet, row, col, stored)
        sheet.put(row, col, fc)
        sheet.formulas.append(fc)
        self.formula_texts[(sheet.index, row, col)] = text
        group = (sheet.index,) + shared if shared is not None and array_ref is None else None
        compiled = self._groups.get(group) if group is not None else None
        if compiled is not None:
            return self._install(fc, compiled, array_ref)
        if type(text) is not str:
            text = self.formula_texts[(sheet.index, row, col)] = text.formula
        # a template's cell has the same text at the same place in every copy: found
        # without computing its shape
        exact = (sheet.index, row, col, text, array_ref is not None)
        compiled = self._shapes.get(exact)
        filled = None
        if compiled is None:
            # a column of formulas written out in full: one shape, found by the cheap key
            filled = (sheet.index, filled_key(text, row, col), array_ref is not None)
            compiled = self._shapes.get(filled)
        if compiled is None:
            key = (sheet.index, shape_key(text, row, col), array_ref is not None)
            compiled = self._shapes.get(key)
        if compiled is None:
            # long operator chains compile by recursion (Python calls, not C stack)
            limit = sys.getrecursionlimit()
            sys.setrecursionlimit(max(limit, _COMPILE_RECURSION))
            try:
                tree = self.parse_formula(text, row, col)
                compiled = self.compiler.compile_formula(tree, sheet, array_ref is not None)
            except ParseFailure as e:
                compiled = ("parse", "公式无法解析（%s），保留文件中的值" % e.reason_zh)
            except CompileFailure as e:
                compiled = (e.kind, e.reason_zh)
            except RecursionError:
                compiled = ("limit", "公式嵌套过深，保留文件中的值")
            finally:
                sys.setrecursionlimit(limit)
            self._shapes[key] = compiled
        if filled is not None:
            self._shapes[filled] = compiled
        if self._count_exact < _EXACT_ENTRIES:
            self._count_exact += 1
            self._shapes[exact] = compiled
        if group is not None:
            self._groups[group] = compiled
        return self._install(fc, compiled, array_ref)

    def _install(self, fc, compiled, array_ref):
        sheet, row, col = fc.sheet, fc.row, fc.col
        if type(compiled[0]) is str:
            self._keep(fc, compiled[0], compiled[1])
        else:
            fc.fn, fc.mode, fc.flags = compiled
            if "volatile" in fc.flags:
                self.volatile_cells += 1
            if "subtotal" in fc.flags:
                self.subtotal_cells.add((sheet.index, row, col))
        if array_ref is not None:
            self.array_masters[(sheet.index, row, col)] = fc
            self._add_array_parts(fc, array_ref)
        return fc

    def _add_array_parts(self, fc, array_ref):
        from .parser import _CELL_PARTS, col_number
        parts = array_ref.replace("$", "").upper().split(":")
        m1 = _CELL_PARTS.match(parts[0])
        m2 = _CELL_PARTS.match(parts[-1])
        if not m1 or not m2:
            return
        r1, c1 = int(m1.group(4)), col_number(m1.group(2))
        r2, c2 = int(m2.group(4)), col_number(m2.group(2))
        size = (r2 - r1 + 1) * (c2 - c1 + 1)
        if size > 1:
            self.array_cells += size
        if self.array_cells > MAX_ARRAY_CELLS:
            if fc.state != KEPT:
                self._keep(fc, "limit", "数组公式的区域 %s 过大（本工具一个工作簿的数组公式共可计算 %s 个单元格），保留文件中的值"
                           % (array_ref, f"{MAX_ARRAY_CELLS:,}"))
            return
        fc.array_rows = r2 - r1 + 1
        fc.array_cols = c2 - c1 + 1
        sheet = fc.sheet
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if r == fc.row and c == fc.col:
                    continue
                old = sheet.raw(r, c)
                part = FormulaCell(sheet, r, c, old if type(old) is not FormulaCell else None)
                part.master = fc
                if type(old) is FormulaCell:
                    continue
                sheet.put(r, c, part)
                sheet.formulas.append(part)
                if fc.state == KEPT:
                    self._keep(part, "dependency", fc.problem.message_zh)

    def _keep(self, fc, kind, message):
        fc.state = KEPT
        fc.problem = Problem((fc.sheet.name, fc.address), kind, message)
        self.kept.append(fc)

    # ------------------------------------------------------------ computing
    def compute(self, fc):
        state = fc.state
        if state == DONE:
            return fc.value
        if state == COMPUTING:
            if self.settings.iterate:
                # iterative calculation: a cell in a cycle reads its previous value
                self._cyclic = True
                v = fc.value
                if v is None:
                    v = fc.stored if type(fc.stored) is float else 0.0
                return v
            raise Cycle(fc)
        if state == KEPT:
            raise Uncomputable(fc)
        if fc.master is not None:
            self.compute(fc.master)
            return fc.value if fc.state == DONE else self.compute(fc)
        fc.state = COMPUTING
        if time.monotonic() > self.deadline:
            fc.state = PENDING
            raise TooMuchWork("计算超过 %g 秒" % round(self.time_limit, 1))
        try:
            v = fc.fn(fc.sheet, fc.row, fc.col)
            if fc.array_rows:
                v = self._spread(fc, v)
            else:
                v = _cell_result(v, fc.row, fc.col)
        except Uncomputable as e:
            self._keep(fc, "dependency", "引用的单元格 %s 未能重算，保留文件中的值" % e.cell.label())
            raise Uncomputable(fc) from None
        except Cycle as e:
            self._keep(fc, "cycle", "循环引用（涉及 %s），工作簿未启用迭代计算，保留文件中的值" % e.cell.label())
            if e.cell is fc:
                raise Uncomputable(fc) from None
            raise
        except RecursionError:
            self._keep(fc, "limit", "引用链过深，保留文件中的值")
            raise Uncomputable(fc) from None
        except RangeTooLarge as e:
            self._keep(fc, "limit", "%s，保留文件中的值" % e.reason_zh)
            raise Uncomputable(fc) from None
        except NotComputedHere as e:
            self._keep(fc, "unsupported", "%s，保留文件中的值" % e.reason_zh)
            raise Uncomputable(fc) from None
        except TooMuchWork as e:
            if fc.state == COMPUTING:
                self._keep(fc, "limit", "%s，保留文件中的值" % e.reason_zh)
            raise
        except Exception:  # noqa: BLE001 - a bug of ours never becomes a made-up value
            self._keep(fc, "internal", "计算出错（程序内部错误），保留文件中的值")
            raise Uncomputable(fc) from None
        fc.state = DONE
        fc.value = v
        sheet = fc.sheet
        sheet.cols[fc.col][fc.row] = v
        sheet.unresolved[fc.col] -= 1
        return v

    def _spread(self, fc, v):
        """An array formula: its value spread over its range (master gets the top-left)."""
        if type(v) is RefList:
            v = VALUE
        sheet = fc.sheet
        for i in range(fc.array_rows):
            for j in range(fc.array_cols):
                if i == 0 and j == 0:
                    continue
                part = sheet.raw(fc.row + i, fc.col + j)
                if type(part) is not FormulaCell or part.master is not fc:
                    continue
                part.value = _cell_result(_element(v, i, j), 0, 0)
                part.state = DONE
                sheet.cols[part.col][part.row] = part.value
                sheet.unresolved[part.col] -= 1
        return _cell_result(_element(v, 0, 0), 0, 0)

    def calculate(self):
        """Compute every formula cell; returns nothing (see `results`)."""
        count = sum(len(sh.formulas) for sh in self.sheets)
        if count <= _INLINE_FORMULAS:
            # a chain of this few formulas fits the ordinary stack: no thread to start
            old = sys.getrecursionlimit()
            sys.setrecursionlimit(max(old, 20 * _INLINE_FORMULAS))
            try:
                self._calculate()
            finally:
                sys.setrecursionlimit(old)
        else:
            _run_deep(self._calculate)

    def _calculate(self):
        self.deadline = time.monotonic() + self.time_limit
        self._cyclic = False
        self._pass()
        if self.settings.iterate and self._cyclic:
            previous = self._snapshot()
            for _ in range(max(self.settings.iterate_count, 1) - 1):
                self._reset()
                self._cyclic = False
                self._pass()
                now = self._snapshot()
                if _max_change(previous, now) < self.settings.iterate_delta:
                    break
                previous = now

    def _pass(self):
        for sheet in self.sheets:
            for fc in sheet.formulas:
                if fc.state == PENDING:
                    try:
                        self.compute(fc)
                    except (Uncomputable, Cycle):
                        pass
                    except TooMuchWork as e:
                        self._keep_pending("%s，其余公式未重算，保留文件中的值" % e.reason_zh)
                        return

    def _keep_pending(self, message):
        """The work limit was reached: every cell not yet computed keeps its stored value."""
        for sheet in self.sheets:
            for fc in sheet.formulas:
                if fc.state in (PENDING, COMPUTING):
                    self._keep(fc, "limit", message)

    def _snapshot(self):
        return [fc.value for sh in self.sheets for fc in sh.formulas]

    def _reset(self):
        self.range_cache.clear()
        self.cached_cells = 0
        for sh in self.sheets:
            for fc in sh.formulas:
                if fc.state == DONE:
                    fc.state = PENDING
                    sh.cols[fc.col][fc.row] = fc
                    sh.unresolved[fc.col] = sh.unresolved.get(fc.col, 0) + 1

    def release(self):
        """Break the workbook's reference cycles (book ↔ sheets ↔ formula cells ↔ compiled
        closures ↔ compiler) once its results are taken, so that its memory goes back when
        the last reference goes, not at the next cyclic collection: in a batch that
        collection walked a template's two thousand objects after every file."""
        for sheet in self.sheets:
            for fc in sheet.formulas:
                fc.fn = fc.sheet = None
            sheet.book = None
            sheet.cols = sheet.formulas = sheet.unresolved = None
        compiler = vars(self).get("compiler")
        if compiler is not None:
            vars(compiler).clear()
        vars(self).clear()

    # ------------------------------------------------------------ results
    def results(self):
        out = {}
        for sh in self.sheets:
            name = sh.name
            for fc in sh.formulas:
                if fc.state == DONE:
                    out[(name, fc.address)] = fc.value
        return out

    def problems(self):
        return [fc.problem for fc in self.kept if fc.problem is not None]


#: how many cells of one workbook are remembered by exact text and position (templates are small)
_EXACT_ENTRIES = 5000

#: compiled shapes, per workbook *signature* (sheet names, defined names, tables): the
#: workbooks of one template share them, so a batch compiles each formula once
_SHAPE_CACHES: dict = {}
_SHAPE_CACHES_KEPT = 8


def _shape_cache(book) -> dict:
    signature = (
        tuple(sh.name for sh in book.sheets),
        tuple(sorted(book.defined_names.items())),
        tuple(sorted((k, t) for k, t in book.tables.items())),
        tuple(sorted(book.external_books)),
        id(book.catalogue),
        book.as_without_addin,
    )
    cache = _SHAPE_CACHES.pop(signature, None)
    if cache is None:
        cache = {}
        while len(_SHAPE_CACHES) >= _SHAPE_CACHES_KEPT:
            _SHAPE_CACHES.pop(next(iter(_SHAPE_CACHES)))
    _SHAPE_CACHES[signature] = cache  # most recently used last
    return cache


def _element(v, i, j):
    """Element (i, j) of an array formula's result as its range shows it: a one-row or
    one-column result repeats, cells past a larger result are #N/A."""
    if type(v) is Ref:
        nr, nc = v.nrows, v.ncols
        if nr == 1:
            i = 0
        if nc == 1:
            j = 0
        if i >= nr or j >= nc:
            return NA
        return v.sheet.cell_value(v.r1 + i, v.c1 + j)
    return element_at(v, i, j)


def _cell_result(v, row, col):
    """What a formula cell holds: a blank is 0, a reference its (intersected) value,
    an array its top-left value."""
    t = type(v)
    if t is float:
        if v - v != 0:
            return NUM
        return v if v else 0.0   # Excel has no negative zero
    if t is str or t is bool or t is ErrorValue:
        return v
    if v is None:
        return 0.0
    if t is Ref:
        if v.is_cell():
            return _cell_result(v.single(), row, col)
        return _cell_result(intersect_value(v, row, col), row, col)
    if t is Arr:
        return _cell_result(v.rows[0][0], row, col) if v.nrows and v.ncols else VALUE
    if t is RefList:
        return VALUE
    if t is int:
        return float(v)
    err = as_error(v)
    if err is not None:
        return err
    if isinstance(v, str):
        return str(v)
    try:
        f = float(v)
    except (TypeError, ValueError):
        return VALUE
    return f if math.isfinite(f) else NUM


def _max_change(a, b):
    worst = 0.0
    for x, y in zip(a, b):
        if type(x) is float and type(y) is float:
            d = abs(x - y)
            if d > worst:
                worst = d
        elif x != y:
            return math.inf
    return worst


_DEEP_STACK = 512 * 1024 * 1024
_INLINE_FORMULAS = 1000
_COMPILE_RECURSION = 50_000


def _run_deep(fn):
    """Run ``fn`` on a thread with a deep stack: a chain of formulas each reading the
    previous one is computed by recursion, as deep as the chain is long."""
    old_limit = sys.getrecursionlimit()
    result = {}

    def target():
        try:
            fn()
        except BaseException as e:  # noqa: BLE001 - re-raised on the calling thread
            result["error"] = e

    old_size = threading.stack_size()
    try:
        threading.stack_size(_DEEP_STACK)
        sys.setrecursionlimit(max(old_limit, 400_000))
        t = threading.Thread(target=target, name="xladdin-calc")
        t.start()
        t.join()
    finally:
        threading.stack_size(old_size)
        sys.setrecursionlimit(old_limit)
    if "error" in result:
        raise result["error"]
