"""Helper cells and the conventions every native translation shares.

A translation never writes one long formula: it allocates helper cells on the hidden
sheet :data:`HELPER_SHEET` (one formula each, labelled in the column beside), so every
formula stays far inside Excel's limits (8,192 characters, 64 nesting levels) and a
bureau can follow each step.

Conventions:
* an *expression* is formula text without '=' (a reference, a literal or a formula);
* a coerced input is a :class:`Coerced`: its value, an error code (0 when fine, else
  the ERROR.TYPE number of the Excel error the function returns) and the Chinese reason
  ("" when fine), each an expression;
* booleans are TRUE/FALSE values, text is text, numbers are numbers.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Optional, Sequence

if TYPE_CHECKING:
    from udfs.errors import DomainError

HELPER_SHEET = "辅助计算"

#: ERROR.TYPE's numbers (Excel 2010, WPS and LibreOffice agree on 1-7).
ERROR_CODES = {"#NULL!": 1, "#DIV/0!": 2, "#VALUE!": 3, "#REF!": 4, "#NAME?": 5, "#NUM!": 6, "#N/A": 7}
ERROR_LITERAL_OF_CODE = {code: literal for literal, code in ERROR_CODES.items()}

#: How many conditions one IF chain takes before it continues in the next helper cell.
CHAIN_LENGTH = 8


def quoted_sheet(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def text_literal(text: str) -> str:
    """A string constant: ``"…"`` with quotes doubled. Excel caps one at 255 characters, so
    longer texts are joined from pieces."""
    pieces = [text[i:i + 250] for i in range(0, len(text), 250)] or [""]
    return "&".join('"' + piece.replace('"', '""') + '"' for piece in pieces)


def number_literal(value: Any) -> str:
    """An exact decimal constant (Fractions from the framework are decimals)."""
    if isinstance(value, bool):
        raise TypeError("a boolean is not a number")
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return str(value.numerator)
        text = format(Decimal(value.numerator) / Decimal(value.denominator), "f")
        if Fraction(Decimal(text)) != value:
            raise ValueError(f"{value} has no exact decimal")
        return text
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if not value.is_integer() else str(int(value))
    return format(value, "f")


def literal(value: Any) -> str:
    """A Python constant as a formula constant."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, str):
        return text_literal(value)
    if value is None:
        return '""'
    return number_literal(value)


def error_value(code: str) -> str:
    """The Excel error whose ERROR.TYPE number ``code`` (an expression, 1-7) holds."""
    return "CHOOSE(" + code + "," + ",".join(ERROR_LITERAL_OF_CODE[i] for i in range(1, 8)) + ")"


def score_or_error(code: str, score: str) -> str:
    """A score cell: the number when ``code`` is 0, else the Excel error it names."""
    return f"IF({code}=0,{score},{error_value(code)})"


def failing(condition: str, error: "DomainError") -> tuple[str, str, str]:
    """A check (see :meth:`Program.first_error`) that fails with the catalogue's own error."""
    return condition, str(ERROR_CODES[error.literal]), text_literal(error.reason)


@dataclass(frozen=True)
class Coerced:
    """One argument read as the catalogue reads it: value, error code and reason (expressions)."""

    value: str
    code: str = "0"
    reason: str = '""'

    @classmethod
    def constant(cls, value: Any) -> "Coerced":
        return cls(literal(value))

    @classmethod
    def failed(cls, literal_error: str, reason: str) -> "Coerced":
        """An argument whose reading fails whatever the cells hold (a constant the rule refuses)."""
        return cls("0", str(ERROR_CODES[literal_error]), text_literal(reason))


@dataclass(frozen=True)
class NativeArg:
    """One argument of a catalogue call as the native translation sees it.

    ``cells``: the absolute references of a reference argument, row by row (one for a
    single cell); ``constant``: the value Excel would hand over for a constant argument
    (a number as a Fraction, text, a bool, an array as a list of rows); ``omitted`` for
    an empty argument (the parameter's default applies)."""

    cells: Optional[tuple[str, ...]] = None
    constant: Any = None
    omitted: bool = False
    is_range: bool = False

    @property
    def is_reference(self) -> bool:
        return self.cells is not None


@dataclass(frozen=True)
class Outcome:
    """What a translation gives: the score cell's expression and the note's (never an error)."""

    score: str
    note: str


@dataclass
class Program:
    """The helper cells of one workbook (or of one test case): formulas in column B from
    ``first_row`` down, their labels in column A."""

    sheet: str = HELPER_SHEET
    first_row: int = 1
    cells: list[tuple[str, str]] = field(default_factory=list)  # (label, formula without '=')
    #: What a module computes once per program (e.g. the reading of an input cell).
    memo: dict = field(default_factory=dict)

    def cell(self, formula: str, label: str = "") -> str:
        """Allocate a helper cell holding ``formula``; returns its (relative) reference."""
        row = self.first_row + len(self.cells)
        self.cells.append((label, formula))
        # relative: a block of helper cells repeated further down has the same shapes (an
        # engine compiles a shape once), and nothing copies helper cells, so nothing shifts
        return f"{quoted_sheet(self.sheet)}!B{row}"

    def addresses(self) -> list[tuple[str, str, str]]:
        """(cell address, label, formula) of every helper cell, in order."""
        return [(f"B{self.first_row + i}", label, formula) for i, (label, formula) in enumerate(self.cells)]

    def first_error(self, checks: Sequence[tuple[str, str, str]], label: str = "") -> tuple[str, str]:
        """The first failing check wins, as the catalogue raises the first DomainError.

        ``checks``: (condition, code, reason) expressions; a condition TRUE means the check
        fails with that code and reason. Returns (code, reason) references, 0 and "" when
        every check passes. Long lists continue in further cells (nesting stays shallow)."""
        code, reason = "0", '""'
        for start in range(len(checks) - 1, -1, -CHAIN_LENGTH):
            chunk = checks[max(0, start - CHAIN_LENGTH + 1): start + 1]
            code_text, reason_text = code, reason
            for condition, c, r in reversed(chunk):
                code_text = f"IF({condition},{c},{code_text})"
                reason_text = f"IF({condition},{r},{reason_text})"
            code = self.cell(code_text, f"{label} error code")
            reason = self.cell(reason_text, f"{label} reason")
        return code, reason

    def coerced_error(self, inputs: Sequence[Coerced], extra: Sequence[tuple[str, str, str]] = (), label: str = "") -> tuple[str, str]:
        """The first error among ``inputs`` (in argument order), then the ``extra`` checks."""
        checks = [(f"{c.code}<>0", c.code, c.reason) for c in inputs if c.code != "0"]
        return self.first_error([*checks, *extra], label)
