"""How numbers read in the 「扣分情况及整改情况说明」 column, in the seed report's style.

``政府采购执行率=（14,750/15,000）×100%=98.33%，得1.98分，扣0.02分``: amounts with
thousands separators as typed, rates rounded half-up to 2 decimals (the seed shows
99.91% for 40,551,421.71/40,588,517), scores and deductions without trailing zeros.
Stdlib only.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Iterable, Optional, Tuple, Union

from .rules import Result

_CENT = Decimal("0.01")

#: The note of an indicator a department declares 不涉及 (contract: "不涉及").
NOT_APPLICABLE = "本年度不涉及，按满分计"

#: Placed before plausibility warnings, which never change a score.
WARNING_PREFIX = "提示："

#: What lost points, and how many (``None`` when the text already says so).
Finding = Tuple[str, Optional[Fraction]]


def _decimal(value: Fraction) -> Decimal:
    """The exact decimal of a Fraction that has one (amounts as typed), else 10 places."""
    denominator = value.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    if denominator == 1:
        return Decimal(value.numerator) / Decimal(value.denominator)
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("1e-10"))


def amount(value: Fraction) -> str:
    """``14750`` → ``14,750``; ``91471549.43`` → ``91,471,549.43``."""
    text = f"{_decimal(value):,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def points(value: Fraction) -> str:
    """A score or deduction: ``1.98``, ``5``, ``0.5``."""
    return amount(value)


def percent(rate: Fraction, *, fixed: bool = True, boundaries: Iterable[Fraction] = ()) -> str:
    """A rate as a percentage rounded half-up to 2 decimals: ``98.33%``; a rule's own
    thresholds read better without trailing zeros (``fixed=False``: ``75%``).

    ``boundaries`` are the rates the rule compares with: a rate just below one is never
    shown as reaching it (99.999% beside "低于100%" reads 99.99%, not 100.00%), nor one
    just above as not passing it."""
    shown = _decimal(rate * 100).quantize(_CENT, rounding=ROUND_HALF_UP)
    for boundary in boundaries:
        bound = Decimal(boundary.numerator * 100) / Decimal(boundary.denominator)
        if rate < boundary and shown >= bound:
            shown = (Decimal(_floor_cents(rate)) / 100).quantize(_CENT)
        elif rate > boundary and shown <= bound:
            shown = (Decimal(-_floor_cents(-rate)) / 100).quantize(_CENT)
    text = f"{shown}"
    if not fixed and "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"


def _floor_cents(rate: Fraction) -> int:
    """The rate in hundredths of a percent, rounded down."""
    scaled = rate * 10_000
    return scaled.numerator // scaled.denominator


def ratio_formula(name: str, numerator: Fraction, denominator: Fraction, boundaries: Iterable[Fraction] = ()) -> str:
    """``政府采购执行率=（14,750/15,000）×100%=98.33%``."""
    shown = percent(numerator / denominator, boundaries=boundaries)
    return f"{name}=（{amount(numerator)}/{amount(denominator)}）×100%={shown}"


def outcome(result: Result) -> str:
    """``得1.98分，扣0.02分``."""
    return f"得{points(result.score)}分，扣{points(result.lost)}分"


def compose(findings: Iterable[Union[str, Finding]], result: Result) -> str:
    """The note: what lost points, then the score and the deduction; empty at full marks.

    A finding is a text, or a text with the points it lost: with several findings each
    says what it lost (``…，扣0.5分``); a lone finding leaves that to the closing total.
    """
    if result.score >= result.full:
        return ""
    listed = [f if isinstance(f, tuple) else (f, None) for f in findings if f and (f[0] if isinstance(f, tuple) else f)]
    if len(listed) > 1:
        texts = [text if lost is None else f"{text}，扣{points(lost)}分" for text, lost in listed]
    else:
        texts = [text for text, _ in listed]
    if len(texts) > 1:
        return "；".join(texts) + "；合计" + outcome(result)
    return "".join(texts) + ("，" if texts else "") + outcome(result)


def with_warnings(note: str, warnings: Iterable[str]) -> str:
    """The note followed by plausibility warnings (``提示：…``), which never change a score."""
    listed = [w for w in warnings if w]
    if not listed:
        return note
    hint = WARNING_PREFIX + "；".join(listed)
    return f"{note}。{hint}" if note else hint
