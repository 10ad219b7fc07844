"""Exact integer arithmetic in binary floating point.

Every integer here stays below :data:`EXACT_BELOW` (2e14): doubles hold such integers
exactly, and Excel, WPS and LibreOffice compare them exactly: Excel and this engine compare
15 significant digits (distinct below 1e15), LibreOffice's approximate equality is relative
2^-48 (distinct below 2.8e14). A float division is then only an estimate;
:func:`floor_div` corrects it by one step, so truncation never depends on how a quotient
like 0.29 happens to round in binary.
"""
from __future__ import annotations

from .program import Program

EXACT_BELOW = 2 * 10**14


def scaled(value: str, places: int) -> str:
    """A decimal with at most ``places`` decimals as the integer value × 10^places."""
    return f"ROUND({value}*{10**places},0)"


def cents(value: str) -> str:
    """An amount with at most 2 decimals in integer 分."""
    return scaled(value, 2)


def floor_div(p: Program, n: str, d: str, label: str = "floor") -> str:
    """floor(n/d) exactly for integers 0 <= n, 0 < d below EXACT_BELOW."""
    estimate = p.cell(f"INT(({n})/({d}))", f"{label} estimate")
    return p.cell(f"{estimate}-(({estimate})*({d})>({n}))+(({estimate}+1)*({d})<=({n}))", label)


def long_division(p: Program, n: str, d: str, places: int, label: str = "digits", *,
                  denominator_below: int = 10**12) -> tuple[str, str]:
    """(floor(n·10^places/d), the remainder n·10^places − quotient·d) for integers n >= 0 and
    0 < d < ``denominator_below``, as many digits at a time as keep every product below
    EXACT_BELOW (two digits for d below 1e12, one for d below 2e13)."""
    step_digits = 2 if denominator_below * 100 <= EXACT_BELOW else 1
    if denominator_below * 10**step_digits > EXACT_BELOW:
        raise ValueError(f"a denominator up to {denominator_below} leaves no exact digit step")
    quotient = floor_div(p, n, d, f"{label} integer part")
    remainder = p.cell(f"({n})-{quotient}*({d})", f"{label} remainder")
    done = 0
    while done < places:
        step = min(step_digits, places - done)
        scale = 10**step
        digit = floor_div(p, f"{remainder}*{scale}", d, f"{label} next digits")
        quotient = p.cell(f"{quotient}*{scale}+{digit}", f"{label} quotient")
        remainder = p.cell(f"{remainder}*{scale}-{digit}*({d})", f"{label} remainder")
        done += step
    return quotient, remainder
