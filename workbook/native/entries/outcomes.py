"""Native translation of SCORE_SATISFACTION (``udfs.catalogue``; SCORE_TARGETS is not translated yet).

The rate is compared with the tier thresholds as the spreadsheet holds it (a double, compared
to 15 significant digits); the note's percentage is computed from the rate in millionths
(exact for rates typed with up to 6 decimals, e.g. "96.5432%"), with the thresholds as the
boundaries it is never shown on the wrong side of.
"""
from __future__ import annotations

from typing import Sequence

from udfs import catalogue, rules

from .. import coercion, text
from ..program import ERROR_CODES, NativeArg, Outcome, Program, literal, text_literal
from . import translation
from .general import finish, padded

#: Decimals of a rate the note's percentage reads exactly.
RATE_PLACES = 6


@translation("SCORE_SATISFACTION")
def satisfaction(p: Program, args: Sequence[NativeArg]) -> Outcome:
    (rate_arg,) = padded(args, 1)
    given = coercion.rate(p, rate_arg, "满意度")
    v = given.value
    code, reason = p.first_error([
        (f"{given.code}<>0", given.code, given.reason),
        (f"{v}>1", str(ERROR_CODES["#VALUE!"]), text_literal("满意度不能超过100%")),
    ], "SCORE_SATISFACTION")
    chain = "".join(f"IF({v}>={literal(threshold)},{literal(rules.truncate(points))}," for threshold, points in rules.SATISFACTION_TIERS)
    score = p.cell(chain + literal(rules.truncate(rules.SATISFACTION_FLOOR)) + ")" * len(rules.SATISFACTION_TIERS), "score")
    full = literal(max([*(pts for _, pts in rules.SATISFACTION_TIERS), rules.SATISFACTION_FLOOR]))
    scale = 10**RATE_PLACES
    n = p.cell(f"ROUND({v}*{scale},0)", "rate in millionths")
    shown = text.percent(p, n, str(scale), boundaries=[t for t, _ in rules.SATISFACTION_TIERS])
    finding = p.cell(f'"满意度为"&{shown}', "finding")
    note = text.compose(p, [("TRUE", finding, None)], score, full)
    # catalogue._percent_typed_small: "0.95%" typed for 95%
    small = p.cell(f"AND({v}>0,{v}<{literal(catalogue.PERCENT_TYPO_BELOW)})", "rate under 1%")
    as_typed = text.percent(p, n, str(scale))
    meant = text.percent(p, f"{n}*100", str(scale), fixed=False)
    meant_points = text.points(p, f"{n}/{scale // 100}")
    warning = p.cell(f'IF({small},"满意度为"&{as_typed}&"，如实际为"&{meant}&"，请填写“"&{meant}&"”或"&{meant_points},"")', "warning")
    return finish(p, "SCORE_SATISFACTION", code, score, text.with_warnings(p, note, [warning]), reason)


