"""References into other workbooks: the values Excel cached in ``xl/externalLinks/*.xml``.

Excel shows, for ``=[3]ExpComp!$I$7``, the value it stored for that cell in the workbook's
external-link part the last time the link was updated; it does not open the other file
until the user asks.  `read_external_books` reads those caches, `ExternalBook.values` gives
the cells of one reference (a cell not cached is #REF!, as Excel shows it).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

from .parser import col_number
from .values import REF, Arr, ErrorValue

__all__ = ["ExternalBook", "read_external_books", "split_external"]

_A1 = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)")
_NOT_CACHED = object()


@dataclass
class ExternalBook:
    """One external workbook's cache: {SHEET NAME upper-case: {(row, col): value}}."""

    sheets: dict = field(default_factory=dict)

    def value(self, sheet: str, row: int, col: int):
        cached = self.sheets.get(sheet.upper())
        if cached is None:
            return REF
        v = cached.get((row, col), _NOT_CACHED)
        return REF if v is _NOT_CACHED else v

    def values(self, sheet: str, r1: int, c1: int, r2: int, c2: int):
        """The value of one cell, or an `Arr` of a range."""
        if r1 == r2 and c1 == c2:
            return self.value(sheet, r1, c1)
        return Arr(tuple(tuple(self.value(sheet, r, c) for c in range(c1, c2 + 1)) for r in range(r1, r2 + 1)))


_EXTERNAL = re.compile(r"^(?:'\[(\d+)\]((?:[^']|'')*)'|\[(\d+)\]([^!']*))!(.+)$")
_CORNER = re.compile(r"(\$?)([A-Za-z]{1,3})(\$?)(\d+)")


def split_external(text: str):
    """``'[4]Exp Comp'!$G7`` -> (4, "Exp Comp", [(7, 7, False, True)]): the book's number, the
    sheet, and each corner as (row, column, row absolute?, column absolute?); None when it is
    not a cell or an area of a numbered external workbook (whole columns, names, a path)."""
    m = _EXTERNAL.match(text)
    if m is None:
        return None
    index = int(m.group(1) or m.group(3))
    sheet = m.group(2).replace("''", "'") if m.group(1) else m.group(4)
    parts = m.group(5).split(":")
    if len(parts) > 2:
        return None
    corners = []
    for part in parts:
        c = _CORNER.fullmatch(part)
        if c is None:
            return None
        corners.append((int(c.group(4)), col_number(c.group(2).upper()), bool(c.group(3)), bool(c.group(1))))
    return index, sheet, corners


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _cell_value(cell):
    kind = cell.get("t", "n")
    v = None
    for child in cell:
        if _local(child.tag) == "v":
            v = child.text or ""
    if v is None:
        return None
    if kind == "e":
        return ErrorValue(v)
    if kind == "b":
        return v.strip() in ("1", "true")
    if kind in ("str", "s", "inlineStr"):
        return v
    try:
        return float(v)
    except ValueError:
        return v


def _book(root) -> ExternalBook | None:
    book = None
    for el in root:
        if _local(el.tag) == "externalBook":
            book = el
    if book is None:
        return None
    names, data = [], {}
    for el in book:
        tag = _local(el.tag)
        if tag == "sheetNames":
            names = [sn.get("val", "") for sn in el if _local(sn.tag) == "sheetName"]
        elif tag == "sheetDataSet":
            for sd in el:
                if _local(sd.tag) != "sheetData":
                    continue
                cells = data.setdefault(int(sd.get("sheetId", "0")), {})
                for row in sd:
                    for cell in row:
                        m = _A1.fullmatch(cell.get("r", ""))
                        if m is not None:
                            cells[(int(m.group(2)), col_number(m.group(1).upper()))] = _cell_value(cell)
    return ExternalBook({name.upper(): data.get(i, {}) for i, name in enumerate(names)})


def read_external_books(part, workbook_part: str, workbook_xml: bytes, workbook_rels: bytes | None) -> dict:
    """{n: ExternalBook} for the ``[n]`` of formulas: the n-th ``<externalReference>`` of the
    workbook; ``part`` gives a package part's bytes by name (None when absent).  A part that
    cannot be read is left out (its references keep their values)."""
    ids = re.findall(rb"<(?:\w+:)?externalReference\b[^>]*?\bid=\"([^\"]*)\"", workbook_xml or b"")
    if not ids or not workbook_rels:
        return {}
    try:
        rels = ET.fromstring(workbook_rels)
    except (ET.ParseError, ValueError):
        return {}
    folder = posixpath.dirname(workbook_part)
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
    books = {}
    for index, rid in enumerate(ids, 1):
        target = targets.get(rid.decode("utf-8", "replace"))
        if not target:
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        data = part(path)
        if data is None:
            continue
        try:
            book = _book(ET.fromstring(data))
        except (ET.ParseError, ValueError):
            continue
        if book is not None:
            books[index] = book
    return books
