"""Native translations of SCORE_COST_CONTROL and SCORE_PUBLIC_FUNDS (``udfs.catalogue``).

The rule (``rules.cost_control``) compares the spending rate with 90% and 100%. In integer
分 (a = actual, b = budget, amounts to the 分 as typed, below 100亿元 = 1e12 分):
rate < 90% ⇔ 10·a < 9·b and rate ≤ 100% ⇔ a ≤ b, both below 1e14, so no quotient is rounded.
The middle band scores truncate(full × 2/3) = floor(2·F₄ / 300) hundredths with F₄ = full·10⁴
(a full of at most 4 decimals). A zero budget scores full when nothing was spent, else 0.
"""
from __future__ import annotations

from typing import Sequence

from udfs import catalogue, notes, rules

from .. import arith, coercion, text
from ..program import Coerced, NativeArg, Outcome, Program, literal, text_literal
from . import translation
from .general import finish, padded

_LOW, _HIGH = rules.COST_CONTROL_BOUNDS


def _comparisons(p: Program, actual: Coerced, budget: Coerced, label: str) -> tuple[str, str, str, str]:
    """(a, b in 分, below 90%, at most 100%) as cells."""
    a = p.cell(arith.cents(actual.value), f"{label} actual in 分")
    b = p.cell(arith.cents(budget.value), f"{label} budget in 分")
    low = p.cell(f"{a}*{_LOW.denominator}<{b}*{_LOW.numerator}", f"{label} below 90%")
    high = p.cell(f"{a}*{_HIGH.denominator}<={b}*{_HIGH.numerator}", f"{label} at most 100%")
    return a, b, low, high


def _controlled(p: Program, actual: Coerced, budget: Coerced, full: str, two_thirds: str, label: str) -> str:
    """rules.cost_control's score (points) for a full of ``full`` points."""
    a, b, low, high = _comparisons(p, actual, budget, label)
    return p.cell(f"IF({b}=0,IF({a}=0,{full},0),IF({low},{full},IF({high},{two_thirds},0)))", f"{label} score")


def _finding(p: Program, name: str, actual: Coerced, budget: Coerced, label: str) -> str:
    """catalogue._cost_control_finding."""
    a, b, _, _ = _comparisons(p, actual, budget, label)
    formula = text.ratio_formula(p, name, actual.value, budget.value, a, f"MAX(1,{b})", rules.COST_CONTROL_BOUNDS)
    zero = f'{text_literal(name + "：预算安排数为0，实际支出")}&{text.amount(p, actual.value)}'
    return p.cell(f"IF({b}=0,{zero},{formula})", f"{label} finding")


@translation("SCORE_COST_CONTROL")
def cost_control(p: Program, args: Sequence[NativeArg]) -> Outcome:
    actual_arg, budget_arg, full_arg = padded(args, 3)
    labels = catalogue._LABELS
    full = coercion.optional_non_negative(p, full_arg, "满分", rules.COST_CONTROL_FULL)
    declared = coercion.declared_not_applicable(p, {"cost_actual": actual_arg, "cost_budget": budget_arg},
                                                {k: labels[k] for k in ("cost_actual", "cost_budget")})
    actual = coercion.amount(p, actual_arg, labels["cost_actual"])
    budget = coercion.amount(p, budget_arg, labels["cost_budget"])
    na = declared.value
    code, reason = p.first_error([
        (f"{full.code}<>0", full.code, full.reason),
        (f"{declared.code}<>0", declared.code, declared.reason),
        (na, "0", '""'),
        *[(f"{c.code}<>0", c.code, c.reason) for c in (actual, budget) if c.code != "0"],
    ], "SCORE_COST_CONTROL")
    two_thirds = p.cell(f"{arith.floor_div(p, f'2*{arith.scaled(full.value, 4)}', '300', 'full × 2/3 in hundredths')}/100", "full × 2/3")
    score = p.cell(f"IF({na},{full.value},{_controlled(p, actual, budget, full.value, two_thirds, '控制率')})", "score")
    composed = text.compose(p, [("TRUE", _finding(p, "控制率", actual, budget, "控制率"), None)], score, full.value)
    note = p.cell(f"IF({na},{text_literal(notes.NOT_APPLICABLE)},{composed})", "note")
    return finish(p, "SCORE_COST_CONTROL", code, score, note, reason)


_PARTS = (("sangong", "“三公”经费"), ("daily", "日常公用经费"))


@translation("SCORE_PUBLIC_FUNDS")
def public_funds(p: Program, args: Sequence[NativeArg]) -> Outcome:
    labels = catalogue._LABELS
    named = dict(zip(("sangong_actual", "sangong_budget", "daily_actual", "daily_budget"), padded(args, 4)))
    declared = {key: coercion.declared_not_applicable(
        p, {f"{key}_actual": named[f"{key}_actual"], f"{key}_budget": named[f"{key}_budget"]},
        {f"{key}_{side}": labels[f"{key}_{side}"] for side in ("actual", "budget")}) for key, _ in _PARTS}
    amounts = {name: coercion.amount(p, arg, labels[name]) for name, arg in named.items()}
    both = p.cell(f"AND({declared['sangong'].value},{declared['daily'].value})", "both 不涉及")
    checks = [(f"{d.code}<>0", d.code, d.reason) for d in declared.values()]
    checks.append((both, "0", '""'))
    for name, c in amounts.items():
        if c.code != "0":
            checks.append((f"AND(NOT({declared[name.split('_')[0]].value}),{c.code}<>0)", c.code, c.reason))
    code, reason = p.first_error(checks, "SCORE_PUBLIC_FUNDS")
    full = rules.COST_CONTROL_FULL
    two_thirds = literal(rules.truncate(full * 2 / 3))
    scores, na_findings, lost_findings, na_texts = [], [], [], []
    for key, shown in _PARTS:
        na = declared[key].value
        actual, budget = amounts[f"{key}_actual"], amounts[f"{key}_budget"]
        part = p.cell(f"IF({na},{literal(full)},{_controlled(p, actual, budget, literal(full), two_thirds, shown)})", f"{shown} score")
        scores.append(part)
        na_text = text_literal(shown + notes.NOT_APPLICABLE)
        na_texts.append(f'IF({na},"；"&{na_text},"")')
        na_findings.append((na, na_text, None))
        lost = p.cell(f"({literal(full * 100)}-ROUND({part}*100,0))/100", f"{shown} lost")
        lost_findings.append((f"AND(NOT({na}),{lost}>0)", _finding(p, shown + "控制率", actual, budget, shown), lost))
    total_full = literal(full * len(_PARTS))
    score = p.cell(f"IF({both},{total_full},ROUND({'+'.join(scores)},2))", "score")
    joined = p.cell("&".join(na_texts), "不涉及 parts")
    at_full = p.cell(f"MID({joined},2,LEN({joined}))", "不涉及 parts joined")
    composed = text.compose(p, [*na_findings, *lost_findings], score, total_full)  # 不涉及 parts first, as the catalogue lists them
    note = p.cell(f"IF({both},{text_literal(notes.NOT_APPLICABLE)},IF({score}>={total_full},{at_full},{composed}))", "note")
    return finish(p, "SCORE_PUBLIC_FUNDS", code, score, note, reason)
