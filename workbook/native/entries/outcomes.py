"""Native translations of SCORE_SATISFACTION and SCORE_TARGETS (``udfs.catalogue``).

SCORE_SATISFACTION: the rate is compared with the tier thresholds as the spreadsheet holds it (a double, compared
to 15 significant digits); the note's percentage is computed from the rate in millionths
(exact for rates typed with up to 6 decimals, e.g. "96.5432%"), with the thresholds as the
boundaries it is never shown on the wrong side of.

SCORE_TARGETS: each used row's achievement x_i = min(a/g, 1) (≤ targets: min(g/a, 1), 1 for
a = 0) is the fraction n_i/d_i of a and g scaled to integers by their decimals; the note's
percentages come from it by exact long division. The score truncate(full × Σw_i·x_i / Σw_i)
is T = 100·full·Σw_i·x_i/Σw_i hundredths rounded down, T computed in doubles and taken as the nearest integer when within
:data:`TIE_TOLERANCE` × max(1, T) of it, so an exact tie such as 1/3 + 2/3 is not lost to
rounding. The doubles' error is below 25 roundings of 1.1e-16 (a quotient, a product and a
sum per row, up to 20 rows), 2.8e-15 × T, five times less than the tolerance; a T that is not
an integer is at least 1/q from one, q its denominator (Σw_i scaled to integers times the
least common multiple of the d_i). So the score is exact whenever q·T < 1/1.5e-14 ≈ 6.6e13:
for every ratio of decimals with at most 15 significant digits between them in one row, and
for several rows unless their denominators' common multiple is that large; then a mean less
than 1.5e-14 × T below a hundredth would be counted as reaching it.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Sequence

from udfs import catalogue, rules
from udfs.errors import DomainError, invalid, missing, zero_denominator

from .. import coercion, text
from ..program import ERROR_CODES, Coerced, NativeArg, Outcome, Program, failing, literal, text_literal
from . import NativeUnsupported, translation
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


#: How close to an integer number of hundredths a double estimate counts as that integer.
TIE_TOLERANCE = "1.5E-14"


def _rows_of(arg: NativeArg, size: int, what: str) -> tuple[list[NativeArg], Coerced]:
    """One argument per row (an omitted or blank argument: omitted in each row), or the
    catalogue's size error for a range of another size (checked at build time)."""
    if arg.is_reference:
        rows = coercion.range_cells(arg)
    elif arg.omitted or not isinstance(arg.constant, list) and coercion.py.is_blank(arg.constant):
        return [NativeArg(omitted=True)] * size, Coerced("0")
    elif isinstance(arg.constant, list):
        rows = [NativeArg(constant=v) for row in arg.constant for v in (row if isinstance(row, list) else [row])]
    else:
        rows = [arg]
    try:
        catalogue._same_size(what, size, len(rows))
    except DomainError as error:
        return [], Coerced.failed(error.literal, error.reason)
    return rows, Coerced("0")


@translation("SCORE_TARGETS")
def targets(p: Program, args: Sequence[NativeArg]) -> Outcome:
    actual_arg, target_arg, weight_arg, full_arg, direction_arg = padded(args, 5)
    if not actual_arg.is_reference or not target_arg.is_reference:
        raise NativeUnsupported("SCORE_TARGETS 的实际值和目标值须为单元格区域（actuals and targets must be cells）")
    actual_cells, target_cells = coercion.range_cells(actual_arg), coercion.range_cells(target_arg)
    size = len(actual_cells)
    _, target_error = _rows_of(target_arg, size, "目标值区域")
    weight_cells, weight_error = _rows_of(weight_arg, size, "权重区域")
    direction_cells, direction_error = _rows_of(direction_arg, size, "方向区域")
    for error in (target_error, weight_error, direction_error):
        if error.code != "0":
            return finish(p, "SCORE_TARGETS", error.code, "0", '""', error.reason)

    checks, used, nums, dens, weights, scaled = [], [], [], [], [], []
    for i, (a_arg, t_arg, w_arg, d_arg) in enumerate(zip(actual_cells, target_cells, weight_cells, direction_cells), 1):
        row_used = p.cell(f"NOT(AND({coercion.is_blank(p, a_arg)},{coercion.is_blank(p, t_arg)}))", f"第{i}项 used")
        goal = coercion.non_negative(p, t_arg, f"第{i}项目标值")
        way = coercion.direction(p, d_arg, f"第{i}项方向")
        actual = coercion.non_negative(p, a_arg, f"第{i}项实际值")
        weight = coercion.optional_non_negative(p, w_arg, f"第{i}项权重", rules.ONE)
        for step in (goal, way):
            if step.code != "0":
                checks.append((f"AND({row_used},{step.code}<>0)", step.code, step.reason))
        checks.append(failing(f"AND({row_used},{goal.value}=0,{way.value}={rules.AT_LEAST})", zero_denominator(f"第{i}项目标值", "为0，无法计算完成率")))
        for step in (actual, weight):
            if step.code != "0":
                checks.append((f"AND({row_used},{step.code}<>0)", step.code, step.reason))
        a, g = actual.value, goal.value
        places = p.cell(f"MAX({text.decimals(p, a)},{text.decimals(p, g)})", f"第{i}项 decimals")
        a_int = p.cell(f"ROUND({a}*10^{places},0)", f"第{i}项 actual scaled")
        g_int = p.cell(f"ROUND({g}*10^{places},0)", f"第{i}项 target scaled")
        at_most = f"{way.value}={rules.AT_MOST}"
        nums.append(p.cell(f"IF({at_most},IF({a_int}=0,1,MIN({g_int},{a_int})),MIN({a_int},{g_int}))", f"第{i}项 achieved numerator"))
        dens.append(p.cell(f"MAX(1,IF({at_most},IF({a_int}=0,1,{a_int}),{g_int}))", f"第{i}项 achieved denominator"))
        used.append(row_used)
        weights.append(p.cell(f"IF({row_used},{weight.value},0)", f"第{i}项 weight counted"))
        scaled.append((a_int, g_int, places))
    full = coercion.optional_non_negative(p, full_arg, "满分", Fraction(20))
    any_used = p.cell("OR(" + ",".join(used) + ")", "rows used")
    weight_sum = p.cell("+".join(weights), "weights")
    code, reason = p.first_error([
        *checks,
        failing(f"NOT({any_used})", missing("绩效目标（实际值和目标值）")),
        failing(f"{weight_sum}=0", invalid("权重", "合计不能为0")),
        *([(f"{full.code}<>0", full.code, full.reason)] if full.code != "0" else []),
    ], "SCORE_TARGETS")

    weighted = p.cell("+".join(f"{w}*{n}/{d}" for w, n, d in zip(weights, nums, dens)), "Σ weight × achievement")
    estimate = p.cell(f"{literal(100)}*{full.value}*{weighted}/MAX({weight_sum},1E-300)", "score in hundredths, estimated")
    nearest = p.cell(f"ROUND({estimate},0)", "nearest hundredth")
    score_h = p.cell(f"IF(ABS({estimate}-{nearest})<{TIE_TOLERANCE}*MAX(1,{estimate}),{nearest},INT({estimate}))", "score in hundredths")
    score = p.cell(f"{score_h}/100", "score")

    pieces, warned = [], []
    for i, (row_used, n, d, (a_int, g_int, places)) in enumerate(zip(used, nums, dens, scaled), 1):
        ordinal = p.cell("+".join(f"{u}*1" for u in used[:i]), f"第{i}项 ordinal among used rows")
        shown = text.percent(p, n, d)
        pieces.append(p.cell(f'IF(AND({row_used},{n}<{d}),"、第"&{ordinal}&"项目标完成率="&{shown},"")', f"第{i}项 finding"))
        low, high, one = f"MIN({a_int},{g_int})", f"MAX({a_int},{g_int})", f"10^{places}"
        mixed = f"AND({row_used},{a_int}>0,{g_int}>0,{low}<={one},{one}<{high},{high}>={catalogue.MIXED_SCALE_FACTOR}*{low})"
        warned.append(p.cell(f'IF({mixed},"、"&{ordinal},"")', f"第{i}项 mixed scales"))
    joined = p.cell("&".join(pieces), "findings")
    finding = p.cell(f"MID({joined},2,LEN({joined}))", "findings joined")
    note = text.compose(p, [("TRUE", finding, None)], score, full.value)
    mixed_rows = p.cell("&".join(warned), "rows with mixed scales")
    warning = p.cell(f'IF({mixed_rows}="","","第"&MID({mixed_rows},2,LEN({mixed_rows}))&'
                     f'{text_literal(f"项的实际值与目标值相差{catalogue.MIXED_SCALE_FACTOR}倍以上，请核对是否一项填了百分数（如95），另一项填了小数（如0.95）")})',
                     "warning")
    return finish(p, "SCORE_TARGETS", code, score, text.with_warnings(p, note, [warning]), reason)

