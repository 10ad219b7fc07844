"""Numbers in notes exactly as ``udfs.notes`` writes them, in every application.

No form here relies on a number format whose output differs between applications
(``TEXT(15000,"#,##0.##")`` is "15,000." in Excel but "15,000" in LibreOffice): the
integer part is formatted alone with ``#,##0`` and the decimals are written from digits.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Optional, Sequence

from . import arith
from udfs import notes

from .program import Program, text_literal

#: udfs.notes.amount shows at most this many decimals (exact decimals of typed values).
MAX_DECIMALS = 10


def decimals(p: Program, value: str) -> str:
    """How many decimals ``value`` has (0–10), as Excel holds it (15 significant digits)."""
    ks = ",".join(str(k) for k in range(MAX_DECIMALS))
    return p.cell(f"{MAX_DECIMALS}-SUMPRODUCT(--(ROUND({value},{{{ks}}})={value}))", "decimals")


def amount(p: Program, value: str) -> str:
    """notes.amount: ``14750`` → "14,750"; ``91471549.43`` → "91,471,549.43" (value >= 0)."""
    places = decimals(p, value)
    whole = p.cell(f'TEXT(INT({value}),"#,##0")', "integer part")
    fraction = p.cell(f"ROUND(({value}-INT({value}))*10^{places},0)", "decimal digits")
    return p.cell(f'{whole}&IF({places}=0,"","."&TEXT({fraction},REPT("0",{places})))', "amount")


def points(p: Program, value: str) -> str:
    """notes.points: a score or a deduction, ``1.98``, ``5``, ``0.5``."""
    return amount(p, value)


def _hundredths(h: str, fixed: bool) -> str:
    """An integer number of hundredths of a percent as "98.33%" (or "75%" when not fixed)."""
    two = f'TEXT(INT({h}/100),"0")&"."&TEXT(MOD({h},100),"00")'
    if fixed:
        return f'{two}&"%"'
    return (f'IF(MOD({h},100)=0,TEXT(INT({h}/100),"0"),IF(MOD({h},10)=0,TEXT(INT({h}/100),"0")&"."&TEXT(MOD({h},100)/10,"0"),{two}))&"%"')


def percent(p: Program, n: str, d: str, *, fixed: bool = True, boundaries: Sequence[Fraction] = (),
            denominator_below: int = 10**12) -> str:
    """notes.percent(n/d) for integers 0 <= n, 0 < d below ``denominator_below``: rounded
    half-up to hundredths of a percent, never shown on the wrong side of a boundary the rule
    compares with."""
    floor_h, remainder = arith.long_division(p, n, d, 4, "percent", denominator_below=denominator_below)
    shown = p.cell(f"{floor_h}+(2*{remainder}>=({d}))", "percent rounded")
    for boundary in boundaries:
        bound_h = boundary * 10_000
        if bound_h.denominator != 1:
            raise ValueError(f"boundary {boundary} is not a whole number of hundredths of a percent")
        below = f"({n})*{boundary.denominator}<({d})*{boundary.numerator}"
        above = f"({n})*{boundary.denominator}>({d})*{boundary.numerator}"
        shown = p.cell(
            f"IF(AND({below},{shown}>={bound_h.numerator}),{floor_h},"
            f"IF(AND({above},{shown}<={bound_h.numerator}),{floor_h}+({remainder}>0),{shown}))",
            f"percent beside {boundary}",
        )
    return p.cell(_hundredths(shown, fixed), "percent")


def ratio_formula(p: Program, name: str, n_value: str, d_value: str, n_int: str, d_int: str,
                  boundaries: Sequence[Fraction] = ()) -> str:
    """notes.ratio_formula: ``政府采购执行率=（14,750/15,000）×100%=98.33%``."""
    shown = percent(p, n_int, d_int, boundaries=boundaries)
    return p.cell(f'{text_literal(name + "=（")}&{amount(p, n_value)}&"/"&{amount(p, d_value)}&"）×100%="&{shown}', "ratio formula")


def outcome(p: Program, score: str, full: str) -> str:
    """notes.outcome: ``得1.98分，扣0.02分`` (score and full exact decimals of at most 4 places)."""
    lost = p.cell(f"(ROUND({full}*10000,0)-ROUND({score}*10000,0))/10000", "lost points")
    return p.cell(f'"得"&{points(p, score)}&"分，扣"&{points(p, lost)}&"分"', "outcome")


def compose(p: Program, findings: Sequence[tuple[str, str, Optional[str]]], score: str, full: str) -> str:
    """notes.compose: what lost points, then the score and the deduction; "" at full marks.

    ``findings``: (condition, text, lost or None) expressions; a finding counts where its
    condition is TRUE and its text is not empty."""
    counted = [p.cell(f'AND({condition},{text}<>"")', "finding counts") for condition, text, _ in findings]
    many = p.cell("(" + "+".join(f"{c}*1" for c in counted) + ")>1" if counted else "FALSE", "several findings")
    pieces = []
    for counts, (_, text, lost) in zip(counted, findings):
        with_lost = text if lost is None else f'{text}&IF({many},"，扣"&{points(p, lost)}&"分","")'
        pieces.append(p.cell(f'IF({counts},"；"&{with_lost},"")', "finding"))
    joined = p.cell("&".join(pieces) if pieces else '""', "findings")
    body = p.cell(f'MID({joined},2,LEN({joined}))', "findings joined")
    closing = outcome(p, score, full)
    return p.cell(
        f'IF(ROUND({score}*10000,0)>=ROUND({full}*10000,0),"",IF({many},{body}&"；合计"&{closing},'
        f'IF({body}="",{closing},{body}&"，"&{closing})))',
        "note",
    )


def with_warnings(p: Program, note: str, warnings: Sequence[str]) -> str:
    """notes.with_warnings: the note, then ``提示：…`` joined by "；" (empty warnings left out)."""
    if not warnings:
        return note
    pieces = p.cell("&".join(f'IF({w}="","","；"&{w})' for w in warnings), "warnings")
    hint = p.cell(f'{text_literal(notes.WARNING_PREFIX)}&MID({pieces},2,LEN({pieces}))', "hint")
    return p.cell(f'IF({pieces}="",{note},IF({note}="",{hint},{note}&"。"&{hint}))', "note with warnings")
