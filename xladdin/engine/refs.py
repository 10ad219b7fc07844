"""References as values: a `Ref` is an area of one sheet, a `RefList` several (a union or a 3D
reference). Reading one asks the sheet, which computes any formula cell not yet computed.

`Uncomputable` and `Cycle` are not Excel errors: they stop the calculation of the
cells that need an unreadable cell, which then keep the values stored in the file.
They derive from BaseException so that no ``except Exception`` inside a function
swallows them.
"""

from __future__ import annotations

from .values import VALUE

__all__ = ["Ref", "RefList", "Uncomputable", "Cycle", "intersect_value"]


class Uncomputable(BaseException):
    """A cell this calculation needs cannot be recalculated (``cell``: its FormulaCell)."""

    def __init__(self, cell):
        super().__init__(cell)
        self.cell = cell


class Cycle(BaseException):
    """A circular reference closed at ``cell`` (the cell that was being computed)."""

    def __init__(self, cell):
        super().__init__(cell)
        self.cell = cell


class Ref:
    """A rectangular area ``r1..r2`` x ``c1..c2`` (1-based, inclusive) of ``sheet``."""

    __slots__ = ("sheet", "r1", "c1", "r2", "c2")

    def __init__(self, sheet, r1, c1, r2, c2):
        self.sheet = sheet
        self.r1 = r1
        self.c1 = c1
        self.r2 = r2
        self.c2 = c2

    def is_cell(self):
        return self.r1 == self.r2 and self.c1 == self.c2

    def single(self):
        """The value of a one-cell reference (None for a blank cell)."""
        return self.sheet.cell_value(self.r1, self.c1)

    def array(self):
        """The values as an `Arr` (computing formula cells inside first)."""
        return self.sheet.range_array(self.r1, self.c1, self.r2, self.c2)

    @property
    def nrows(self):
        return self.r2 - self.r1 + 1

    @property
    def ncols(self):
        return self.c2 - self.c1 + 1

    def offset(self, rows, cols, height=None, width=None):
        return Ref(self.sheet, self.r1 + rows, self.c1 + cols,
                   self.r1 + rows + (self.nrows if height is None else height) - 1,
                   self.c1 + cols + (self.ncols if width is None else width) - 1)

    def __eq__(self, other):
        return (type(other) is Ref and other.sheet is self.sheet and other.r1 == self.r1
                and other.c1 == self.c1 and other.r2 == self.r2 and other.c2 == self.c2)

    __hash__ = None

    def __repr__(self):
        return "Ref(%s!R%dC%d:R%dC%d)" % (getattr(self.sheet, "name", "?"), self.r1, self.c1, self.r2, self.c2)


class RefList:
    """Several areas: a union (A1:A3,C1:C3) or a 3D reference (Sheet1:Sheet3!A1)."""

    __slots__ = ("refs",)

    def __init__(self, refs):
        self.refs = refs

    def __repr__(self):
        return "RefList(%r)" % (self.refs,)


def intersect_value(ref: Ref, row: int, col: int):
    """Implicit intersection: the cell of a multi-cell ``ref`` on the formula's own row
    (a one-column area) or column (a one-row area); #VALUE! when there is none."""
    if ref.c1 == ref.c2:
        if ref.r1 <= row <= ref.r2:
            return ref.sheet.cell_value(row, ref.c1)
        return VALUE
    if ref.r1 == ref.r2:
        if ref.c1 <= col <= ref.c2:
            return ref.sheet.cell_value(ref.r1, col)
        return VALUE
    if ref.r1 <= row <= ref.r2 and ref.c1 <= col <= ref.c2:
        # Excel intersects a 2-D area with the formula's row *and* column only when
        # the formula sits inside it, which is a circular reference anyway
        return ref.sheet.cell_value(row, col)
    return VALUE
