"""Native translation of SCORE_QUARTERLY (``udfs.catalogue``, ``udfs.rules.quarterly``).

Amounts are integers of 分: x_i the four figures, c_i the cumulative spending to quarter i,
B the budget (each below 100亿元 = 1e12 分). In exact integers:
* quarter i scores truncate(min(4·c_i/(i·B), 1)) = floor(100·min(4·c_i, i·B) / (i·B)) hundredths;
* the year's mean rate is Σ c_i/(i·B) = (12·c1 + 6·c2 + 4·c3 + 3·c4)/(12·B) = N/(12·B), and it
  scores truncate(min(2·N/(12·B), 2)) = floor(100·min(N, 12·B) / (6·B)) hundredths (at most 200);
each by ``arith.long_division`` one digit at a time (denominators up to 12·B < 2e13).
"""
from __future__ import annotations

from fractions import Fraction
from typing import Sequence

from udfs import catalogue, rules
from udfs.errors import DomainError, zero_denominator

from .. import arith, coercion, text
from ..program import Coerced, NativeArg, Outcome, Program, failing, literal, text_literal
from . import NativeUnsupported, translation
from .general import finish, padded

QUARTER_NAMES = catalogue._QUARTER_NAMES
#: Denominators here reach 12·B; B below 100亿元 in 分.
DENOMINATOR_BELOW = 12 * 10**12
#: The year's mean rate is N/(12·B) with N = Σ (12/i)·c_i.
YEAR_WEIGHTS = tuple(Fraction(12, i) for i in range(1, rules.QUARTERS + 1))  # 12, 6, 4, 3


def _spending_shape_error(arg: NativeArg) -> Coerced:
    """The catalogue's error for a spending range that is not four cells (checked at build time)."""
    if not arg.is_reference:
        raise NativeUnsupported("SCORE_QUARTERLY 的季度支出须为单元格区域（quarter spending must be cells）")
    try:
        catalogue._prepare_quarterly([0] * len(arg.cells), 1, False)
    except DomainError as error:
        return Coerced.failed(error.literal, error.reason)
    return Coerced("0")


def _capped_hundredths(p: Program, n: str, cap: str, d: str, label: str) -> str:
    """floor(100·min(n, cap)/d) for integers n >= 0, cap >= 0, d > 0: a capped score, truncated, in hundredths."""
    quotient, _ = arith.long_division(p, f"MIN({n},{cap})", d, 2, label, denominator_below=DENOMINATOR_BELOW)
    return quotient


@translation("SCORE_QUARTERLY")
def quarterly(p: Program, args: Sequence[NativeArg]) -> Outcome:
    spending_arg, budget_arg, cumulative_arg = padded(args, 3)
    shape_error = _spending_shape_error(spending_arg)
    if shape_error.code != "0":
        return finish(p, "SCORE_QUARTERLY", shape_error.code, "0", '""', shape_error.reason)
    spending = [coercion.amount(p, cell, f"{QUARTER_NAMES[i]}季度支出") for i, cell in enumerate(coercion.range_cells(spending_arg))]
    budget = coercion.amount(p, budget_arg, "全年预算数")
    cumulative = coercion.option(p, cumulative_arg, "累计数选项", False)
    B = p.cell(arith.cents(budget.value), "budget in 分")
    code, reason = p.coerced_error([*spending, budget, cumulative], [failing(f"{B}=0", zero_denominator("全年预算数"))], "SCORE_QUARTERLY")

    x = [p.cell(arith.cents(s.value), f"{QUARTER_NAMES[i]}季度 in 分") for i, s in enumerate(spending)]
    c = [p.cell(f"IF({cumulative.value},{x[i]},{'+'.join(x[: i + 1])})", f"{QUARTER_NAMES[i]}季度 cumulative in 分") for i in range(rules.QUARTERS)]
    d = f"MAX(1,{B})"
    quarter_h = [_capped_hundredths(p, f"4*{c[i]}", f"{i + 1}*{d}", f"{i + 1}*{d}", f"{QUARTER_NAMES[i]}季度 score in hundredths") for i in range(rules.QUARTERS)]
    n = p.cell("+".join(f"{int(w)}*{ci}" for w, ci in zip(YEAR_WEIGHTS, c)), "N = 12·c1+6·c2+4·c3+3·c4")
    year_h = _capped_hundredths(p, n, f"12*{d}", f"6*{d}", "year score in hundredths")
    score = p.cell(f"({'+'.join([*quarter_h, year_h])})/100", "score")

    findings = []
    for i in range(rules.QUARTERS):
        pace = Fraction(i + 1, rules.QUARTERS)
        formula = text.ratio_formula(p, f"{QUARTER_NAMES[i]}季度累计支出进度", f"{c[i]}/100", budget.value, c[i], d, (pace,))
        findings.append((f"{quarter_h[i]}<100", p.cell(f'{formula}&"，低于序时进度{25 * (i + 1)}%"', f"{QUARTER_NAMES[i]}季度 finding"),
                         p.cell(f"(100-{quarter_h[i]})/100", f"{QUARTER_NAMES[i]}季度 lost")))
    year_rate = text.percent(p, n, f"12*{d}", boundaries=(rules.ONE,), denominator_below=DENOMINATOR_BELOW)
    year_finding = p.cell(f'"全年平均执行率="&{year_rate}&"，全年平均支出进度得"&{text.points(p, f"{year_h}/100")}&"分"', "year finding")
    findings.append((f"{year_h}<{literal(rules.YEAR_FULL * 100)}", year_finding, p.cell(f"({literal(rules.YEAR_FULL * 100)}-{year_h})/100", "year lost")))
    full = literal(rules.QUARTERS * rules.QUARTER_FULL + rules.YEAR_FULL)
    note = text.compose(p, findings, score, full)
    return finish(p, "SCORE_QUARTERLY", code, score, text.with_warnings(p, note, _warnings(p, x, c, B, budget.value, cumulative.value)), reason)


def _warnings(p: Program, x: list[str], c: list[str], B: str, budget: str, cumulative: str) -> list[str]:
    """catalogue._warn_quarterly: a falling cumulative figure, or quarters summing above the
    budget (then nothing else), and a year well above the budget."""
    falling = '""'
    for i in range(rules.QUARTERS - 1, 0, -1):
        falling = (f'IF({x[i]}<{x[i - 1]},{text_literal(f"{QUARTER_NAMES[i]}季度末累计数小于{QUARTER_NAMES[i - 1]}季度末累计数，累计数应逐季不减少，请核对是否填写了当季支出（如是，请将“累计数”选为“否”）")},{falling})')
    total = p.cell("+".join(x), "four quarters in 分")
    over = p.cell(f"AND(NOT({cumulative}),{total}>{B})", "quarters above the budget")
    summed = (f'"四个季度支出合计"&{text.amount(p, f"{total}/100")}&"元，超过全年预算数"&{text.amount(p, budget)}'
              '&"元，请核对是否填写了季度末累计数（如是，请将“累计数”选为“是”）"')
    first = p.cell(f'IF({cumulative},{falling},IF({over},{summed},""))', "warning on the quarters")
    well_above = catalogue.WELL_ABOVE_BUDGET
    year = c[-1]
    year_text = (f'"全年支出"&{text.amount(p, f"{year}/100")}&"元，为全年预算数的"&{text.percent(p, year, f"MAX(1,{B})")}'
                 '&"，明显超过预算，请核对"')
    second = p.cell(f'IF(AND(NOT({over}),{year}*{well_above.denominator}>{B}*{well_above.numerator}),{year_text},"")', "warning on the year")
    return [first, second]
