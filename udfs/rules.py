"""The scoring rules of 部门整体支出绩效评价, as pure functions on exact rationals.

Stdlib only, no Excel, no I/O: the same rules serve the Excel functions, the notes,
the template and the headless engine, and run under Pyodide (xlwings Lite).

Conventions (from the public contract, proven by the seed's published scores):
* every amount, rate and point is a ``Fraction``, so 57/100 stays 0.57 exactly;
* each scored component is truncated to 2 decimals (ROUNDDOWN), then components
  are added: procurement 14,750/15,000 = 0.98333… → 0.98, plus 1 → 1.98.

A rule states its preconditions instead of checking them: the catalogue layer
turns inputs that break them (a zero budget, a negative count …) into an Excel
error with a Chinese reason before a rule is called. Where the rule text itself
gives a score for an edge case (a zero budget with zero spending), the rule does.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Optional, Sequence

ONE = Fraction(1)
PERCENT = Fraction(1, 100)


def truncate(value: Fraction, places: int = 2) -> Fraction:
    """ROUNDDOWN to ``places`` decimals, exactly (scores are never negative)."""
    scale = 10**places
    return Fraction(value.numerator * scale // value.denominator, scale)  # floor, in integers


@dataclass(frozen=True)
class Part:
    """One scored component of an indicator, already truncated."""

    key: str
    score: Fraction
    full: Fraction
    rate: Optional[Fraction] = None

    @property
    def lost(self) -> Fraction:
        return self.full - self.score


@dataclass(frozen=True)
class Result:
    """An indicator's score, its full points, and the components behind it."""

    score: Fraction
    full: Fraction
    parts: tuple[Part, ...] = ()
    facts: dict = field(default_factory=dict, compare=False)

    @property
    def lost(self) -> Fraction:
        return self.full - self.score


def exact_sum(values) -> Fraction:
    """The sum of rationals, reduced once at the end (``sum`` reduces after every step)."""
    numerator, denominator = 0, 1
    for value in values:
        n, d = value.numerator, value.denominator
        if d == denominator:
            numerator += n
        else:
            numerator, denominator = numerator * d + n * denominator, denominator * d
    return Fraction(numerator, denominator)


def _sum_of(parts: Sequence[Part], **facts) -> Result:
    return Result(
        score=exact_sum(p.score for p in parts),
        full=exact_sum(p.full for p in parts),
        parts=tuple(parts),
        facts=facts,
    )


def not_applicable(full: Fraction) -> Result:
    """A department with no such business this year (不涉及) scores the indicator's full points."""
    return Result(full, full, (Part("not_applicable", full, full),), {"not_applicable": True})


# --- generic building blocks -------------------------------------------------


def checklist(items: Sequence[Fraction], points: Sequence[Fraction]) -> Result:
    """Sum of item scores; ``items[i]`` is already in points, at most ``points[i]``."""
    return _sum_of([Part(f"item{i + 1}", truncate(min(got, full)), full) for i, (got, full) in enumerate(zip(items, points))])


def deduct(full: Fraction, count: int, per_item: Fraction) -> Result:
    """``full`` minus ``per_item`` for each of ``count`` findings, floored at 0."""
    score = truncate(max(Fraction(0), full - count * per_item))
    return Result(score, full, (Part("deduct", score, full),), {"count": count, "per_item": per_item})


def ratio(part: Fraction, whole: Fraction, full: Fraction, zero_if_over: bool = False) -> Result:
    """``min(part/whole, 1) × full``; 0 when ``zero_if_over`` and part exceeds whole.

    Precondition: ``whole > 0``, or ``whole == 0`` with ``zero_if_over`` and ``part > 0``.
    """
    if part > whole and zero_if_over:
        rate = part / whole if whole else None
        return Result(Fraction(0), full, (Part("ratio", Fraction(0), full, rate),), {"over": True})
    rate = part / whole
    score = truncate(min(rate, ONE) * full)
    return Result(score, full, (Part("ratio", score, full, rate),), {"over": part > whole})


def tiers(value: Fraction, thresholds: Sequence[Fraction], points: Sequence[Fraction], else_points: Fraction) -> Result:
    """The points of the first threshold (descending) that ``value`` reaches, else ``else_points``."""
    full = max([*points, else_points])
    for threshold, score in zip(thresholds, points):
        if value >= threshold:
            return Result(truncate(score), full, (Part("tier", truncate(score), full, value),), {"threshold": threshold})
    return Result(truncate(else_points), full, (Part("tier", truncate(else_points), full, value),), {"threshold": None})


GRADES: tuple[tuple[Fraction, str], ...] = ((Fraction(90), "优"), (Fraction(80), "良"), (Fraction(60), "中"))
LOWEST_GRADE = "差"


def grade(total: Fraction) -> str:
    """优 (≥90), 良 (≥80), 中 (≥60), 差 (<60)."""
    for floor, name in GRADES:
        if total >= floor:
            return name
    return LOWEST_GRADE


# --- indicator rules (龙岗区 2020 revision) --------------------------------------


def procurement(actual: Fraction, planned: Fraction, policy: Fraction) -> Result:
    """政府采购执行情况 (2): execution rate × 1 (0 if over plan) + policy (0–1).

    Precondition: not both amounts 0.
    """
    if actual > planned:
        execution = Part("execution", Fraction(0), ONE, actual / planned if planned else None)
    else:
        rate = actual / planned
        execution = Part("execution", truncate(rate), ONE, rate)
    return _sum_of([execution, Part("policy", truncate(policy), ONE)], over=actual > planned)


ADJUSTMENT_ALLOWANCE = Fraction(10, 100)
ADJUSTMENT_DEDUCTION_PER_POINT = Fraction(1, 10)


def adjustment(adjusted: Fraction, budget: Fraction) -> Part:
    """资金调整、调剂规范性 (1): full within 10% of the budget, −0.1 per percentage point over.

    The deduction is proportional (10.5% loses 0.05), floored at 0. Precondition: budget > 0.
    """
    rate = adjusted / budget
    over_points = max(Fraction(0), rate - ADJUSTMENT_ALLOWANCE) / PERCENT
    return Part("adjustment", truncate(max(Fraction(0), ONE - over_points * ADJUSTMENT_DEDUCTION_PER_POINT)), ONE, rate)


def fin_compliance(payment: Fraction, adjusted: Fraction, budget: Fraction, accounting: Fraction, violation: bool) -> Result:
    """财务合规性 (3): payment (0–1) + adjustment (0–1) + accounting (0–1); any violation → 0."""
    parts = [Part("payment", truncate(payment), ONE), adjustment(adjusted, budget), Part("accounting", truncate(accounting), ONE)]
    result = _sum_of(parts, violation=violation)
    if violation:
        return Result(Fraction(0), result.full, result.parts, result.facts)
    return result


DISCLOSURE_POINTS = {2: Fraction(3, 2), 1: ONE, 0: Fraction(0)}


def disclosure(budget_level: int, final_level: int, exempt: bool) -> Result:
    """预决算信息公开 (3): each of 预算/决算 1.5 / 1 / 0 by level 2 / 1 / 0; 涉密 exempt → 3."""
    if exempt:
        return Result(Fraction(3), Fraction(3), (), {"exempt": True})
    parts = [
        Part("budget", DISCLOSURE_POINTS[budget_level], Fraction(3, 2)),
        Part("final", DISCLOSURE_POINTS[final_level], Fraction(3, 2)),
    ]
    return _sum_of(parts, exempt=False, levels=(budget_level, final_level))


ASSET_TIERS = ((Fraction(90, 100), ONE), (Fraction(75, 100), Fraction(7, 10)), (Fraction(60, 100), Fraction(4, 10)))


def asset_utilization(in_use: Fraction, total: Fraction) -> Result:
    """固定资产利用率 (1): ≥90% → 1; ≥75% → 0.7; ≥60% → 0.4; else 0. Precondition: total > 0."""
    return tiers(in_use / total, [t for t, _ in ASSET_TIERS], [p for _, p in ASSET_TIERS], Fraction(0))


def staff_control(in_post: int, authorized: int, full: Fraction = ONE, per_point_over: Optional[Fraction] = None) -> Result:
    """财政供养人员控制率 (1): rate ≤ 100% → full, else 0.

    A variant framework may pass ``per_point_over``: deduct that many points per
    percentage point over 100% (proportionally), floored at 0. Precondition: authorized > 0.
    """
    rate = Fraction(in_post, authorized)
    if rate <= ONE:
        score = full
    elif per_point_over is None:
        score = Fraction(0)
    else:
        score = truncate(max(Fraction(0), full - (rate - ONE) / PERCENT * per_point_over))
    return Result(score, full, (Part("rate", score, full, rate),), {"per_point_over": per_point_over})


CONTRACT_STAFF_BOUNDS = (Fraction(5, 100), Fraction(10, 100))


def contract_staff(contract: int, established: int) -> Result:
    """编外人员控制率 (1): rate = 编外/(在编+编外); <5% → 1; 5%–10% → 0.5; >10% → 0.

    Precondition: not both 0.
    """
    rate = Fraction(contract, established + contract)
    full_below, half_up_to = CONTRACT_STAFF_BOUNDS
    if rate < full_below:
        score = ONE
    elif rate <= half_up_to:
        score = Fraction(1, 2)
    else:
        score = Fraction(0)
    return Result(score, ONE, (Part("rate", score, ONE, rate),))


COST_CONTROL_FULL = Fraction(3)
COST_CONTROL_BOUNDS = (Fraction(90, 100), ONE)


def cost_control(actual: Fraction, budget: Fraction, full: Fraction = COST_CONTROL_FULL) -> Result:
    """One half of 公用经费控制率: <90% → full; 90%–100% → full × 2/3 (2 of 3); >100% → 0.

    A zero budget scores full when nothing was spent and 0 otherwise.
    """
    if budget == 0:
        score = full if actual == 0 else Fraction(0)
        return Result(score, full, (Part("rate", score, full, None),), {"zero_budget": True})
    rate = actual / budget
    full_below, two_thirds_up_to = COST_CONTROL_BOUNDS
    if rate < full_below:
        score = full
    elif rate <= two_thirds_up_to:
        score = truncate(full * Fraction(2, 3))
    else:
        score = Fraction(0)
    return Result(score, full, (Part("rate", score, full, rate),), {"zero_budget": False})


def public_funds(
    sangong_actual: Optional[Fraction],
    sangong_budget: Optional[Fraction],
    daily_actual: Optional[Fraction],
    daily_budget: Optional[Fraction],
) -> Result:
    """公用经费控制率 (6): “三公”经费控制率 (3) + 日常公用经费控制率 (3).

    A part whose amounts are ``None`` is 不涉及 and scores its full points."""
    sangong = not_applicable(COST_CONTROL_FULL) if sangong_budget is None else cost_control(sangong_actual, sangong_budget)
    daily = not_applicable(COST_CONTROL_FULL) if daily_budget is None else cost_control(daily_actual, daily_budget)
    parts = [
        Part("sangong", sangong.score, sangong.full, sangong.parts[0].rate),
        Part("daily", daily.score, daily.full, daily.parts[0].rate),
    ]
    return _sum_of(parts)


QUARTERS = 4
QUARTER_FULL = ONE
YEAR_FULL = Fraction(2)


def quarterly(spending: Sequence[Fraction], budget: Fraction, cumulative: bool = False) -> Result:
    """预算执行率 (6): four quarters of 1 and the year's average of 2.

    rate_i = cumulative spending to quarter i / budget / (25% × i); quarter i scores
    min(rate_i, 1); the year scores min(average of the uncapped rates × 2, 2).
    Precondition: four amounts, budget > 0.
    """
    running = Fraction(0)
    cumulative_amounts = []
    for amount in spending:
        running = amount if cumulative else running + amount
        cumulative_amounts.append(running)
    rates = [amount / budget / Fraction(i + 1, QUARTERS) for i, amount in enumerate(cumulative_amounts)]
    parts = [Part(f"q{i + 1}", truncate(min(rate, ONE) * QUARTER_FULL), QUARTER_FULL, rate) for i, rate in enumerate(rates)]
    average = sum(rates, Fraction(0)) / QUARTERS
    parts.append(Part("year", truncate(min(average * YEAR_FULL, YEAR_FULL)), YEAR_FULL, average))
    return _sum_of(parts, cumulative_amounts=tuple(cumulative_amounts))


AT_LEAST = 1
AT_MOST = -1


def achievement(actual: Fraction, target: Fraction, direction: int) -> Fraction:
    """How far one performance target is met, capped at 1.

    "≥" targets: actual/target (precondition target > 0); "≤" targets: target/actual, 1 when actual is 0.
    """
    if direction == AT_MOST:
        return ONE if actual == 0 else min(target / actual, ONE)
    return min(actual / target, ONE)


def targets(actuals: Sequence[Fraction], goals: Sequence[Fraction], weights: Sequence[Fraction], full: Fraction, directions: Sequence[int]) -> Result:
    """社会、经济、生态效益 (20): weighted mean achievement × full, truncated once.

    Truncating once (not per target) keeps full achievement at full marks: three
    equal targets each worth 20/3 would otherwise sum to 19.98.
    """
    achieved = [achievement(a, g, d) for a, g, d in zip(actuals, goals, directions)]
    mean = sum((w * x for w, x in zip(weights, achieved)), Fraction(0)) / sum(weights, Fraction(0))
    parts = tuple(Part(f"target{i + 1}", x * full, full, x) for i, x in enumerate(achieved))
    return Result(truncate(mean * full), full, parts, {"mean": mean, "weights": tuple(weights)})


def petitions(channel: Fraction, received: int, replied: int, on_time: int) -> Result:
    """群众信访办理情况 (3): channel (0–1) + all replied (1) + all replied on time (1).

    With no petitions received, both rates count as met.
    """
    parts = [
        Part("channel", truncate(channel), ONE),
        Part("replied", ONE if replied == received else Fraction(0), ONE, Fraction(replied, received) if received else None),
        Part("on_time", ONE if on_time == received else Fraction(0), ONE, Fraction(on_time, received) if received else None),
    ]
    return _sum_of(parts)


SATISFACTION_TIERS = ((Fraction(95, 100), Fraction(6)), (Fraction(90, 100), Fraction(4)), (Fraction(80, 100), Fraction(2)))
SATISFACTION_FLOOR = ONE


def satisfaction(rate: Fraction) -> Result:
    """公众或服务对象满意度 (6): ≥95% → 6; ≥90% → 4; ≥80% → 2; else 1."""
    return tiers(rate, [t for t, _ in SATISFACTION_TIERS], [p for _, p in SATISFACTION_TIERS], SATISFACTION_FLOOR)
