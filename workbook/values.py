"""Numbers as a framework file and a cell write them: points as exact fractions, the
shortest decimal text, and a value as Excel's ``&`` turns it into text."""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any, Union


def format_number(value: Union[Fraction, int, float, Decimal]) -> str:
    """Shortest decimal text of a points value: 5, 0.5, 1.5."""
    if isinstance(value, Fraction):
        d = Decimal(value.numerator) / Decimal(value.denominator)
    else:
        d = Decimal(str(value))
    text = format(d.normalize(), "f")
    return text


def to_fraction(value: Any) -> Fraction:
    if isinstance(value, bool):
        raise TypeError("bool")
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        return Fraction(str(value))
    raise TypeError(type(value).__name__)


def plain_number(value: Fraction) -> Union[int, float]:
    return int(value) if value.denominator == 1 else float(value)


def excel_text(value: Any) -> str:
    """A cell value as Excel's ``&`` turns it into text (numbers in General format)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, Fraction, Decimal)) or (isinstance(value, float) and value.is_integer()):
        return format_number(value if not isinstance(value, float) else int(value))
    if isinstance(value, float):
        return f"{value:.15g}"  # Excel shows 15 significant digits
    return str(value)
