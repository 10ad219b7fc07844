"""The headless formula engine: recalculates a workbook without Excel, as Excel would.

Layout (one concern per module, data flowing one way):

* `values`     Excel values (errors as values, arrays), coercion, the evaluation context
* `numfmt`     Excel number formats (TEXT, and numbers shown as text)
* `functions`  native Excel functions, one module per Excel category, one registry
* `parser`     formula text -> tree, and the R1C1 *shape* of a formula
* `compiler`   tree -> closure, once per shape; `specials` for lazy and reference functions
* `refs`       references as values; `tables` for structured references
* `model`      sheets stored by column, on-demand computation, cycles, kept cells
* `catalogue`  this add-in's own functions (``udfs``) under every prefix Excel stores

Entry points: `recalculate_package` for an opened `xladdin.xlsx.WorkbookPackage`
(the command line's path) and `calculate` for plain dictionaries (tests, scripts).
"""

from __future__ import annotations

import datetime as _dt
import random as _random
import re
from dataclasses import dataclass, field

from . import values as _values
from .catalogue import catalogue_calls, catalogue_function, engine_catalogue, split_function_name
from .locales import LOCALES, locale_named
from .model import Book, CalcSettings, Problem
from .parses import KEPT_PARSES
from .parser import col_number
from .values import ErrorValue
from ..xlsx.serials import to_serial

__all__ = [
    "recalculate_package", "calculate", "PackageResults", "Problem", "ErrorValue",
    "catalogue_calls", "catalogue_function", "split_function_name", "native_function_names",
    "calc_settings",
]


def native_function_names() -> list[str]:
    from .registry import REGISTRY
    return sorted(REGISTRY)


@dataclass
class PackageResults:
    """What a recalculation gave: ``values`` for the cells it computed (for
    `WorkbookPackage.write`; cells absent keep their stored values), ``problems`` for the
    cells it kept, one `Problem` each with a Chinese reason, and the volatile count."""

    values: dict
    problems: list = field(default_factory=list)
    volatile: int = 0

    @property
    def kept(self) -> int:
        return len(self.problems)

    def kept_cells(self) -> dict:
        """{(sheet, "A1"): reason} of the cells that keep their stored values."""
        return {p.cell: p.message_zh for p in self.problems}

    def messages(self, limit: int | None = None) -> list[str]:
        out = ["%s!%s：%s" % (p.cell[0], p.cell[1], p.message_zh) for p in self.problems]
        return out if limit is None else out[:limit]


_CALCPR = re.compile(rb"<(?:\w+:)?calcPr\b([^>]*)>")
_ATTR = re.compile(rb'(\w+)="([^"]*)"')


def calc_settings(workbook_xml: bytes) -> CalcSettings:
    """The workbook's iterative-calculation settings from ``<calcPr>`` (Excel's defaults:
    100 iterations, maximum change 0.001)."""
    m = _CALCPR.search(workbook_xml or b"")
    if not m:
        return CalcSettings()
    attrs = {k.decode(): v.decode() for k, v in _ATTR.findall(m.group(1))}
    iterate = attrs.get("iterate", "0").lower() in ("1", "true")
    try:
        count = int(attrs.get("iterateCount", "100"))
    except ValueError:
        count = 100
    try:
        delta = float(attrs.get("iterateDelta", "0.001"))
    except ValueError:
        delta = 0.001
    return CalcSettings(iterate, max(1, min(count, 32767)), delta)


_COLUMNS: dict[str, int] = {}


def _split_ref(ref: str):
    letters = ref.rstrip("0123456789")
    col = _COLUMNS.get(letters)
    if col is None:
        col = _COLUMNS[letters] = col_number(letters)
    return int(ref[len(letters):]), col


def _run(book: Book, date1904: bool, now, seed, locale=None) -> PackageResults:
    """Calculate with the workbook's date system, the run's clock, random numbers and locale
    (`locales.locale_named`), set on the one live context in place: modules that imported it
    by name see them too. The book is released (`Book.release`) once its results are taken."""
    live = _values.context
    saved = (live.date1904, live.now, live.random, live.locale)
    live.date1904 = date1904
    live.now = now if now is not None else _dt.datetime.now()
    live.random = _random.Random(seed)
    live.locale = locale_named(locale)
    try:
        book.calculate()
        return PackageResults(book.results(), book.problems(), book.volatile_cells)
    finally:
        live.date1904, live.now, live.random, live.locale = saved
        book.release()


_HIDDEN_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*?\bhidden="(?:1|true)"[^>]*>')
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')
# an autofilter that filters (has filterColumn children): the rows it hides are "filtered"
_AUTOFILTER = re.compile(rb'<(?:\w+:)?autoFilter\b[^>]*?\bref="\$?[A-Za-z]+\$?(\d+)(?::\$?[A-Za-z]+\$?(\d+))?"[^>/]*>\s*<(?:\w+:)?filterColumn')


def _row_info_reader(pkg):
    """A reader of hidden rows and autofilter areas from the sheet XML, used only when a
    formula needs it (SUBTOTAL)."""
    def read(sheet_name):
        data = pkg.sheet_xml(sheet_name) if sheet_name in pkg.sheet_names else b""
        hidden = set()
        for m in _HIDDEN_ROW.finditer(data):
            n = _ROW_NUMBER.search(m.group(0))
            if n:
                hidden.add(int(n.group(1)))
        areas = [(int(m.group(1)), int(m.group(2) or m.group(1))) for m in _AUTOFILTER.finditer(data)]
        return hidden, areas
    return read


#: The custom document property (文件 > 属性 > 自定义) by which a workbook names its locale.
WORKBOOK_LOCALE_PROPERTY = "区域设置"


def workbook_locale(pkg) -> str | None:
    """The locale a workbook's `WORKBOOK_LOCALE_PROPERTY` names, or None when it has none;
    a value that names no locale is refused with a Chinese message."""
    value = getattr(pkg, "custom_properties", {}).get(WORKBOOK_LOCALE_PROPERTY)
    if value is None or not value.strip():
        return None
    try:
        return locale_named(value.strip()).name
    except ValueError:
        from ..xlsx import PackageError
        known = "、".join(LOCALES)
        import os
        raise PackageError(
            f"{os.path.basename(getattr(pkg, 'path', '') or '')}：工作簿的自定义属性“{WORKBOOK_LOCALE_PROPERTY}”为“{value.strip()[:40]}”，不是可用的区域设置"
            f"（可用：{known}）：请在 Excel 的“文件 > 信息 > 属性 > 高级属性 > 自定义”中改正或删除它",
            getattr(pkg, "path", None)) from None


def recalculate_package(pkg, *, now: _dt.datetime | None = None, seed=None,
                        as_without_addin: bool = False, time_limit: float | None = None,
                        locale: str | None = None) -> PackageResults:
    """Recalculate an opened `xladdin.xlsx.WorkbookPackage`.

    ``now`` pins TODAY()/NOW() (default: this moment, local time); ``seed`` makes
    RAND()/RANDBETWEEN() repeatable.  ``as_without_addin`` calculates what an application
    without this add-in shows (its functions, and any unknown one, are ``#NAME?``): how
    `audit` recognises a file saved by WPS or LibreOffice.  ``time_limit`` (seconds) bounds
    the calculation; what is not computed by then keeps its stored value (default 30 s).
    ``locale`` (``"zh-CN"``; default ``"en-US"``) is the Windows locale Excel would run in:
    CHAR/CODE's code page and DOLLAR's currency (see `locales`); without it, the workbook's
    custom document property `WORKBOOK_LOCALE_PROPERTY` (区域设置 = zh-CN) says it."""
    if locale is None:
        locale = workbook_locale(pkg)
    settings = calc_settings(pkg.workbook_xml)
    tables = {}
    if any("tables/" in name for name in pkg.part_names):  # loaded only for a workbook that has some
        from .tables import read_tables
        tables = read_tables(pkg.part, {name: pkg.sheet_part(name) for name in pkg.sheet_names})
    external_books = {}
    if b"externalReference" in pkg.workbook_xml and pkg.workbook_rels_part:
        from .external import read_external_books
        external_books = read_external_books(pkg.part, pkg.workbook_part, pkg.workbook_xml, pkg.part(pkg.workbook_rels_part))
    book = Book(pkg.sheet_names, pkg.defined_names, {} if as_without_addin else engine_catalogue(), settings,
                tables=tables, date1904=pkg.date1904, as_without_addin=as_without_addin,
                external_books=external_books)
    book.row_info = _row_info_reader(pkg)
    book.parse_formula = KEPT_PARSES.parse
    if time_limit is not None:
        book.time_limit = max(time_limit, 0.0)
    by_name = {sh.name: sh for sh in book.sheets}
    formulas = []
    sheet_name = sheet = columns = None
    for (name, ref), cell in pkg.cells.items():
        if name != sheet_name:
            sheet_name, sheet = name, by_name.get(name)
            columns = sheet.cols if sheet is not None else None
        if sheet is None:
            continue
        row = cell.row
        if row:
            col = cell.col
        else:
            row, col = _split_ref(ref)
        if not cell.has_formula():
            # Sheet.put for a constant, inlined: most cells of a big sheet are constants
            column = columns.get(col)
            if column is None:
                column = columns[col] = []
            size = len(column)
            if size == row:
                column.append(cell.value)
                continue
            if size < row:
                column.extend([None] * (row - size))
                column.append(cell.value)
                continue
            column[row] = cell.value
        else:
            formulas.append((sheet, row, col, cell))
    for sheet in book.sheets:
        sheet.fit_extent()
    # array formulas last: their ranges' cells become parts of the array
    formulas.sort(key=lambda x: (x[3].array_ref is not None, x[0].index, x[2], x[1]))
    for sheet, row, col, cell in formulas:
        shared = cell.shared
        # a member of a shared-formula group is computed from the group's shape: its own
        # text is made only if a formula asks for it (FORMULATEXT)
        book.add_formula(sheet, row, col, cell if shared is not None else cell.formula, cell.value,
                         cell.array_ref, shared)
    for sheet in book.sheets:
        sheet.formulas.sort(key=lambda fc: (fc.col, fc.row))
    try:
        return _run(book, pkg.date1904, now, seed, locale)
    finally:
        KEPT_PARSES.save()


def _cell_input(value, date1904):
    """A Python value as a cell holds it: int -> float, date/datetime/time -> serial number."""
    if type(value) is int:
        return float(value)
    if isinstance(value, (_dt.date, _dt.time)):
        return to_serial(value, date1904)
    return value


def calculate(cells: dict, formulas: dict, defined_names: dict | None = None, sheet_names=None,
              *, arrays: dict | None = None, date1904=False, now=None, seed=None,
              settings: CalcSettings | None = None, locale: str | None = None) -> PackageResults:
    """Calculate from dictionaries keyed ``(sheet, "B3")``: ``cells`` constants, ``formulas``
    formula text (with or without '='), ``arrays`` the array range of array formulas."""
    names = list(sheet_names or [])
    for sheet, _ in list(cells) + list(formulas):
        if sheet not in names:
            names.append(sheet)
    book = Book(names, defined_names or {}, engine_catalogue(), settings or CalcSettings(),
                date1904=date1904)
    by_name = {sh.name: sh for sh in book.sheets}
    for (sheet, ref), value in cells.items():
        row, col = _split_ref(ref.replace("$", "").upper())
        by_name[sheet].put(row, col, _cell_input(value, date1904))
    arrays = arrays or {}
    order = sorted(formulas.items(), key=lambda kv: kv[0] in arrays)
    for (sheet, ref), text in order:
        ref = ref.replace("$", "").upper()
        row, col = _split_ref(ref)
        book.add_formula(by_name[sheet], row, col, text.lstrip("=") if text.startswith("=") else text,
                         None, arrays.get((sheet, ref)))
    for sheet in book.sheets:
        sheet.formulas.sort(key=lambda fc: (fc.col, fc.row))
    return _run(book, date1904, now, seed, locale)
