"""The package layer's value types and the Chinese messages it refuses files with.

``PackageError.message_zh`` is a complete sentence for a finance user: it names the
file and, when one part of the package is at fault, that part.
"""

from __future__ import annotations

import os

from .refs import MAX_COL, MAX_ROW, _render_formula  # noqa: F401 (MAX_*: the sheet size, also read from here)


# --------------------------------------------------------------------------
# Public value types
# --------------------------------------------------------------------------


class PackageError(Exception):
    """A workbook file could not be read or written.

    ``message_zh`` is a complete Chinese sentence for the user (it names the
    file); ``path`` is the file concerned.
    """

    def __init__(self, message_zh: str, path: str | os.PathLike | None = None):
        super().__init__(message_zh)
        self.message_zh = message_zh
        self.path = os.fspath(path) if path is not None else None

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.message_zh


class ErrorValue(str):
    """A cell error such as ``#N/A`` or ``#DIV/0!`` (a cell with ``t="e"``)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"ErrorValue({str.__repr__(self)})"


class Cell:
    """One cell that has a value or a formula.

    ``formula`` is the formula text without the leading ``=`` exactly as
    stored in ``<f>`` (for a shared formula: the master's text shifted to this
    cell).  ``value`` is the cached value: ``float`` for numbers, ``str``,
    ``bool``, ``ErrorValue`` or ``None``.  ``array_ref`` is the range of an
    array formula on its master cell (e.g. ``"C1:C3"``), else ``None``.
    ``shared``: for a cell of a shared-formula group other than its master, (si,
    master row, master column), so that a reader can treat the group's formulas as
    one (same R1C1 shape).  ``row``/``col``: the reference as numbers (0 when not
    known), so that readers of a whole sheet need not parse ``ref`` again.

    A shared formula's text is made from the master's only when asked for: a
    recalculation that knows the group's shape never needs it.
    """

    __slots__ = ("sheet", "ref", "_formula", "value", "array_ref", "shared", "row", "col", "_shift")

    def __init__(self, sheet: str, ref: str, formula: str | None, value, array_ref: str | None = None,
                 shared: tuple | None = None, row: int = 0, col: int = 0):
        self.sheet = sheet
        self.ref = ref
        self._formula = formula
        self.value = value
        self.array_ref = array_ref
        self.shared = shared
        self.row = row
        self.col = col
        self._shift = None

    @property
    def formula(self) -> str | None:
        if self._shift is not None:
            pieces, drow, dcol = self._shift
            self._formula = _render_formula(pieces, drow, dcol)
            self._shift = None
        return self._formula

    @formula.setter
    def formula(self, text: str | None) -> None:
        self._formula = text
        self._shift = None

    def shift_from(self, pieces: tuple, drow: int, dcol: int) -> None:
        """The formula is the master's (compiled ``pieces``) moved by ``drow``/``dcol``."""
        self._formula = None
        self._shift = (pieces, drow, dcol)

    def has_formula(self) -> bool:
        return self._formula is not None or self._shift is not None

    def _key(self):
        return (self.sheet, self.ref, self.formula, self.value, self.array_ref, self.shared)

    def __eq__(self, other):
        if type(other) is not Cell:
            return NotImplemented
        return self._key() == other._key()

    __hash__ = None

    def __repr__(self) -> str:
        return "Cell(sheet=%r, ref=%r, formula=%r, value=%r, array_ref=%r, shared=%r)" % self._key()


# --------------------------------------------------------------------------
# Messages
# --------------------------------------------------------------------------


def _name(path) -> str:
    return os.path.basename(os.fspath(path)) or os.fspath(path)


def _corrupt(path, detail: str = "") -> PackageError:
    msg = f"文件已损坏或不是 Excel 工作簿（.xlsx/.xlsm）：{_name(path)}"
    if detail:
        msg += f"（{detail}）"
    return PackageError(msg, path)


def _unsafe_xml(path, part: str) -> PackageError:
    return PackageError(
        f"文件包含不安全的 XML 内容（DOCTYPE/实体声明），为安全起见拒绝打开：{_name(path)}（部件 {part}）",
        path,
    )


def _bomb(path) -> PackageError:
    return PackageError(
        f"文件内容异常（解压后过大或压缩比过高，疑似“压缩炸弹”），为安全起见拒绝打开：{_name(path)}",
        path,
    )


def _invalid(path, part: str, detail: str) -> PackageError:
    """A package Excel itself could not open: the message names the part and the fault."""
    return PackageError(
        f"文件已损坏或不是 Excel 工作簿（.xlsx/.xlsm）：{_name(path)}（{part}：{detail}）。"
        "Excel 也无法正常打开这样的文件；请向报送单位索取完好的文件，或在 Excel/WPS 中修复并重新保存后再试",
        path,
    )
