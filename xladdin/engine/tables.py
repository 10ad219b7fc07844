"""Excel tables (ListObjects) and structured references: ``Table1[Qty]``,
``Table1[[#This Row],[Qty]]``, ``Table1[@Qty]``, ``Table1[[#Headers],[A]:[C]]``, ``Table1[#All]``.

`read_tables` finds the table parts of an .xlsx package; `structured_reference` turns a
reference into a closure giving the `Ref` it names, at the formula's own row for
``#This Row``/``@``.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Callable
from xml.etree import ElementTree as ET

from .parser import col_number
from .refs import Ref
from .values import REF, VALUE

__all__ = ["Table", "read_tables", "structured_reference"]


@dataclass(frozen=True)
class Table:
    name: str
    sheet: str
    r1: int
    c1: int
    r2: int
    c2: int
    header_rows: int
    totals_rows: int
    columns: tuple[str, ...]
    filtered: bool = False     # its autofilter has criteria: hidden rows are filtered out


_A1 = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)")


def _area(ref: str):
    parts = ref.split(":")
    m1, m2 = _A1.fullmatch(parts[0]), _A1.fullmatch(parts[-1])
    return int(m1.group(2)), col_number(m1.group(1)), int(m2.group(2)), col_number(m2.group(1))


def read_tables(read_part: Callable[[str], bytes | None], sheet_parts: dict[str, str]) -> dict[str, Table]:
    """{TABLE NAME upper-case: Table} from the package's parts (``read_part``: a part's bytes
    by name, any case, or None; `WorkbookPackage.part`); ``sheet_parts`` maps a sheet's
    name to its part (``xl/worksheets/sheet1.xml``).  Unreadable parts are skipped: a
    formula that needs the table then keeps its stored value."""
    tables: dict[str, Table] = {}
    for sheet, part in sheet_parts.items():
        folder, base = posixpath.split(part)
        data = read_part(posixpath.join(folder, "_rels", base + ".rels"))
        if data is None:
            continue
        try:
            rels = ET.fromstring(data)
        except ET.ParseError:
            continue
        for rel in rels:
            if not rel.get("Type", "").endswith("/table"):
                continue
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            data = read_part(path)
            if data is None:
                continue
            try:
                root = ET.fromstring(data)
            except ET.ParseError:
                continue
            name = root.get("displayName") or root.get("name")
            ref = root.get("ref")
            if not name or not ref:
                continue
            try:
                r1, c1, r2, c2 = _area(ref)
            except (AttributeError, ValueError):
                continue
            cols = tuple(_xstring(el.get("name", "")) for el in root.iter()
                         if el.tag.endswith("}tableColumn") or el.tag == "tableColumn")
            filtered = any(el.tag.endswith("filterColumn") for el in root.iter())
            tables[name.upper()] = Table(name, sheet, r1, c1, r2, c2,
                                         int(root.get("headerRowCount", "1")),
                                         int(root.get("totalsRowCount", "0") or 0), cols, filtered)
    return tables


_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _xstring(text: str) -> str:
    """A name as the file escapes it (ECMA-376 ST_Xstring): Excel writes a line break in a
    column name as ``_x000a_`` (and a literal ``_x`` as ``_x005f_x``)."""
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


_ITEM = re.compile(r"\[((?:[^\[\]']|'.)*)\]")


def _unescape(name: str) -> str:
    return re.sub(r"'(.)", r"\1", name)


def _parse_spec(spec: str):
    """'[[#This Row],[Qty]]' -> (specials, (first_col, last_col) or None)."""
    inner = spec[1:-1] if spec.startswith("[") and spec.endswith("]") else spec
    specials, cols = [], []
    if inner.startswith("@"):
        specials.append("#THIS ROW")
        inner = inner[1:]
        if not inner:
            return specials, None
        if not inner.startswith("["):
            return specials, (_unescape(inner), _unescape(inner))
    if not inner.lstrip().startswith("["):
        # one column, whose name may hold escaped brackets: [Amount '[USD']]
        if inner.startswith("#"):
            return [inner.upper()], None
        if not inner:
            return [], None
        return [], (_unescape(inner), _unescape(inner))
    items = _ITEM.findall(inner)
    rest = _ITEM.sub("", inner).replace(",", "").replace(" ", "")
    colon = ":" in rest
    for it in items:
        if it.startswith("#"):
            specials.append(it.upper())
        else:
            cols.append(_unescape(it))
    if not cols:
        return specials, None
    if colon and len(cols) == 2:
        return specials, (cols[0], cols[1])
    return specials, (cols[0], cols[-1])


def structured_reference(book, table_name, spec, sheet):
    """A closure ``f(sheet, row, col) -> Ref`` for ``table_name[spec]``; None if unknown.
    An empty table name (``[@Qty]`` inside a table) means the table holding the formula."""
    if not table_name:
        # [@Qty] or [Qty] written inside a table: the table that holds the formula
        own = [t for t in book.tables.values() if t.sheet == sheet.name]
        closures = {t.name: structured_reference(book, t.name, spec, sheet) for t in own}

        def inside(s, r, c):
            for t in own:
                if t.r1 <= r <= t.r2 and t.c1 <= c <= t.c2 and closures[t.name] is not None:
                    return closures[t.name](s, r, c)
            return REF
        return inside if own else None
    table = book.tables.get(table_name.upper())
    if table is None:
        return None
    target = book.sheet_by_name(table.sheet)
    if target is None:
        return None
    ti = target.index
    specials, cols = _parse_spec(spec)
    if cols is None:
        c1, c2 = table.c1, table.c2
    else:
        upper = [c.upper() for c in table.columns]
        try:
            c1 = table.c1 + upper.index(cols[0].upper())
            c2 = table.c1 + upper.index(cols[1].upper())
        except ValueError:
            return None
        if c1 > c2:
            c1, c2 = c2, c1
    data_r1 = table.r1 + table.header_rows
    data_r2 = table.r2 - table.totals_rows
    kinds = set(specials) or {"#DATA"}
    if "#THIS ROW" in kinds:
        def this_row(s, r, c):
            if not data_r1 <= r <= data_r2:
                return VALUE
            return Ref(s.book.sheets[ti], r, c1, r, c2)
        return this_row
    if "#ALL" in kinds:
        r1, r2 = table.r1, table.r2
    else:
        rows = []
        if "#HEADERS" in kinds:
            if not table.header_rows:
                return lambda s, r, c: REF
            rows += [table.r1, table.r1 + table.header_rows - 1]
        if "#DATA" in kinds:
            rows += [data_r1, data_r2]
        if "#TOTALS" in kinds:
            if not table.totals_rows:
                return lambda s, r, c: REF
            rows += [data_r2 + 1, table.r2]
        if not rows:
            return None
        r1, r2 = min(rows), max(rows)
    return lambda s, r, c: Ref(s.book.sheets[ti], r1, c1, r2, c2)
