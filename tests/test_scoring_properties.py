"""Property tests over the whole catalogue (hypothesis).

* whatever a user puts in a cell, no function raises and no score is NaN;
* every score lies in [0, full points] or is an Excel error literal;
* scores never fall as the quantity that should raise them rises;
* on well-formed input the score equals an exact-fraction oracle written here from the
  contract's rule text (truncated to 2 places, each component separately).
"""

import datetime
import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import udfs

ERRORS = {"#N/A", "#VALUE!", "#DIV/0!"}
GRADES = {"优", "良", "中", "差"}

SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# name -> (min args, max args)
ARITY = {
    "SCORE_CHECKLIST": (1, 2),
    "SCORE_DEDUCT": (2, 3),
    "SCORE_RATIO": (3, 4),
    "SCORE_TIERS": (3, 4),
    "SCORE_GRADE": (1, 1),
    "SCORE_PROCUREMENT": (2, 3),
    "SCORE_FIN_COMPLIANCE": (4, 5),
    "SCORE_DISCLOSURE": (2, 3),
    "SCORE_ASSET_UTILIZATION": (2, 2),
    "SCORE_STAFF_CONTROL": (2, 2),
    "SCORE_CONTRACT_STAFF": (2, 2),
    "SCORE_PUBLIC_FUNDS": (4, 4),
    "SCORE_COST_CONTROL": (2, 3),
    "SCORE_QUARTERLY": (2, 3),
    "SCORE_TARGETS": (2, 5),
    "SCORE_PETITIONS": (4, 4),
    "SCORE_SATISFACTION": (1, 1),
}

# indicator functions whose full points do not depend on an argument
FIXED_FULL = {
    "SCORE_PROCUREMENT": 2,
    "SCORE_FIN_COMPLIANCE": 3,
    "SCORE_DISCLOSURE": 3,
    "SCORE_ASSET_UTILIZATION": 1,
    "SCORE_STAFF_CONTROL": 1,
    "SCORE_CONTRACT_STAFF": 1,
    "SCORE_PUBLIC_FUNDS": 6,
    "SCORE_QUARTERLY": 6,
    "SCORE_PETITIONS": 3,
    "SCORE_SATISFACTION": 6,
}
# the only scores a tiered indicator can give
ALLOWED = {
    "SCORE_ASSET_UTILIZATION": {Decimal("1"), Decimal("0.7"), Decimal("0.4"), Decimal("0")},
    "SCORE_STAFF_CONTROL": {Decimal("1"), Decimal("0")},
    "SCORE_CONTRACT_STAFF": {Decimal("1"), Decimal("0.5"), Decimal("0")},
    "SCORE_SATISFACTION": {Decimal("6"), Decimal("4"), Decimal("2"), Decimal("1")},
}


def is_number(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def dec(x):
    return Decimal(repr(x))


def trunc2(fr):
    """ROUNDDOWN(x, 2) of a non-negative exact fraction, as a Decimal."""
    return Decimal(math.floor(fr * 100)) / 100


# every Excel error value: one arriving from another cell comes back as that same error
EXCEL_ERRORS = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
                "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#UNKNOWN!", "#BUSY!"}


def propagated_errors(args):
    """The Excel error literals found anywhere among the arguments."""
    found = set()

    def walk(v):
        if isinstance(v, (list, tuple)):
            for x in v:
                walk(x)
        elif isinstance(v, str) and v.strip().upper() in EXCEL_ERRORS:
            found.add(v.strip().upper())

    walk(args)
    return found


def check_result(name, result, args=()):
    allowed_errors = ERRORS | propagated_errors(args)
    if name == "SCORE_GRADE":
        assert result in GRADES | allowed_errors, result
        return
    if isinstance(result, str):
        assert result in allowed_errors, f"{name} returned text {result!r}"
        return
    assert is_number(result), f"{name} returned {result!r} ({type(result).__name__})"
    assert not (isinstance(result, float) and math.isnan(result)), f"{name} returned NaN"
    if name != "SCORE_TIERS":
        assert result >= 0, f"{name} returned a negative score {result!r}"
    if name in FIXED_FULL:
        assert result <= FIXED_FULL[name], f"{name} returned {result!r} > {FIXED_FULL[name]}"
        d = dec(result)
        assert d == d.quantize(Decimal("0.01")), f"{name} returned {result!r}: more than 2 decimals"
    if name in ALLOWED:
        assert dec(result) in ALLOWED[name], f"{name} returned {result!r}"


# ====================================================================== anything at all
SPECIAL_TEXT = [
    "", " ", "　", "95%", "９５％", "95", "0.95", "1,2", "14,750", "１４，７５０", " 14,750 ",
    "14750元", "是", "否", "符合", "不符合", "有", "无", "已完成", "未完成", "Y", "N", "y", "ｎ",
    "√", "×", "TRUE", "false", "nan", "NaN", "inf", "-inf", "Infinity", "1e309", "1e-400",
    "-0", "0x10", "1_000", "%", ",", "．", "-", "+", "1e5", "9" * 400, "-1", "1/2",
    "#N/A", "#VALUE!", "#DIV/0!", "#REF!", "#NAME?", "≤", "≥", "<=", ">=",
    "按规定公开", "公开但不符合要求", "未公开", "\x00", "\ufeff1", "１２３４５６７８９０１２３４５６７８９０％",
]
atoms = st.one_of(
    st.none(),
    st.sampled_from(SPECIAL_TEXT),
    st.text(max_size=12),
    st.floats(),  # incl. nan, ±inf, ±0, subnormals, huge
    st.integers(min_value=-(10**20), max_value=10**20),
    st.sampled_from([10**400, -(10**400), 2**63, 2**64 + 1, 10**308, -1, 0, 1, 2, 3, 4]),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.sampled_from([datetime.time(12, 0), datetime.timedelta(days=1)]),
)
anything = st.recursive(atoms, lambda children: st.lists(children, max_size=6), max_leaves=20)


@pytest.mark.parametrize("name", sorted(ARITY))
@SETTINGS
@given(data=st.data())
def test_no_input_makes_a_function_raise(name, data):
    lo, hi = ARITY[name]
    n = data.draw(st.integers(lo, hi), label="number of arguments")
    args = [data.draw(anything, label=f"arg{i}") for i in range(n)]
    check_result(name, getattr(udfs, name)(*args), args)
    note = getattr(udfs, name + "_NOTE")(*args)
    assert isinstance(note, str)


# ====================================================================== plausible but messy input
def amount_values():
    return st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)


plausible_atoms = st.one_of(
    st.none(),
    st.just(""),
    amount_values().map(float),
    amount_values().map(lambda d: f"{d:,}"),
    st.integers(0, 100),
    st.decimals(min_value=0, max_value=2, places=3).map(float),
    st.sampled_from(["是", "否", "TRUE", "FALSE", True, False, "95%", "80%", "按规定公开", "未公开", "≤", "≥", -1, 1]),
)
plausible = st.one_of(plausible_atoms, st.lists(plausible_atoms, min_size=1, max_size=5))


@pytest.mark.parametrize("name", sorted(ARITY))
@SETTINGS
@given(data=st.data())
def test_plausible_input_scores_within_range(name, data):
    lo, hi = ARITY[name]
    n = data.draw(st.integers(lo, hi), label="number of arguments")
    args = [data.draw(plausible, label=f"arg{i}") for i in range(n)]
    check_result(name, getattr(udfs, name)(*args), args)
    assert isinstance(getattr(udfs, name + "_NOTE")(*args), str)


# ====================================================================== exact oracles
pos_amount = st.decimals(min_value=Decimal("0.01"), max_value=10**9, places=2)
amount = amount_values()


@SETTINGS
@given(actual=amount, planned=pos_amount, policy=st.decimals(min_value=0, max_value=1, places=2))
def test_procurement_equals_exact_oracle(actual, planned, policy):
    a, p = Fraction(actual), Fraction(planned)
    execution = Decimal(0) if a > p else trunc2(a / p)
    expected = execution + trunc2(Fraction(policy))
    got = udfs.SCORE_PROCUREMENT(float(actual), float(planned), float(policy))
    assert is_number(got) and dec(got) == expected, (got, expected)


@SETTINGS
@given(
    part=st.integers(0, 10**6),
    whole=st.integers(1, 10**6),
    full=st.sampled_from([1, 2, 3, 5, 6, 8, 20]),
    zero_if_over=st.booleans(),
)
def test_ratio_equals_exact_oracle(part, whole, full, zero_if_over):
    fr = Fraction(part, whole)
    if zero_if_over and part > whole:
        expected = Decimal(0)
    else:
        expected = trunc2(min(fr, 1) * full)
    got = udfs.SCORE_RATIO(part, whole, full, zero_if_over)
    assert is_number(got) and dec(got) == expected, (got, expected)


@SETTINGS
@given(actual=amount, budget=pos_amount)
def test_cost_control_equals_exact_oracle(actual, budget):
    rate = Fraction(actual) / Fraction(budget)
    expected = 3 if rate < Fraction(9, 10) else (2 if rate <= 1 else 0)
    got = udfs.SCORE_COST_CONTROL(float(actual), float(budget))
    assert is_number(got) and dec(got) == expected, (got, expected)


@SETTINGS
@given(quarters=st.lists(amount, min_size=4, max_size=4), budget=pos_amount, cumulative=st.booleans())
def test_quarterly_equals_exact_oracle(quarters, budget, cumulative):
    b = Fraction(budget)
    if cumulative:
        quarters = sorted(quarters)  # quarter-end cumulative amounts never fall
        cum = [Fraction(q) for q in quarters]
    else:
        cum, running = [], Fraction(0)
        for q in quarters:
            running += Fraction(q)
            cum.append(running)
    rates = [cum[i] / b / Fraction(i + 1, 4) for i in range(4)]
    parts = [trunc2(min(r, 1)) for r in rates]
    year = trunc2(min(sum(rates) / 4 * 2, 2))
    expected = sum(parts) + year
    got = udfs.SCORE_QUARTERLY([float(q) for q in quarters], float(budget), cumulative)
    assert is_number(got) and dec(got) == expected, (got, expected)


@SETTINGS
@given(
    pairs=st.lists(st.tuples(st.integers(0, 10**6), st.integers(1, 10**6)), min_size=1, max_size=6),
    full=st.sampled_from([1, 10, 20]),
)
def test_targets_equal_weights_equals_exact_oracle(pairs, full):
    achievements = [min(Fraction(a, t), 1) for a, t in pairs]
    expected = trunc2(sum(achievements) / len(achievements) * full)
    got = udfs.SCORE_TARGETS([a for a, _ in pairs], [t for _, t in pairs], None, full)
    assert is_number(got) and dec(got) == expected, (got, expected)


@SETTINGS
@given(
    full=st.decimals(min_value=0, max_value=20, places=1),
    count=st.integers(0, 30),
    per_item=st.sampled_from([Decimal("0.1"), Decimal("0.2"), Decimal("0.5"), Decimal(1), Decimal(4)]),
)
def test_deduct_equals_exact_oracle(full, count, per_item):
    expected = max(Decimal(0), full - count * per_item)
    got = udfs.SCORE_DEDUCT(float(full), count, float(per_item))
    assert is_number(got) and dec(got) == expected, (got, expected)


@SETTINGS
@given(
    payment=st.decimals(min_value=0, max_value=1, places=2),
    adjusted=amount,
    budget=pos_amount,
    accounting=st.decimals(min_value=0, max_value=1, places=2),
)
def test_fin_compliance_equals_exact_oracle(payment, adjusted, budget, accounting):
    r = Fraction(adjusted) / Fraction(budget)
    if r <= Fraction(1, 10):
        adjustment = Fraction(1)
    else:
        # 1 − 0.1 per percentage point over 10%, proportionally, floor 0
        adjustment = max(Fraction(0), 1 - Fraction(1, 10) * (r - Fraction(1, 10)) * 100)
    expected = trunc2(Fraction(payment)) + trunc2(adjustment) + trunc2(Fraction(accounting))
    got = udfs.SCORE_FIN_COMPLIANCE(float(payment), float(adjusted), float(budget), float(accounting))
    assert is_number(got) and dec(got) == expected, (got, expected)


# ====================================================================== monotonicity
@SETTINGS
@given(planned=pos_amount, data=st.data())
def test_procurement_never_falls_as_actual_rises_within_plan(planned, data):
    a1 = data.draw(st.decimals(min_value=0, max_value=planned, places=2))
    a2 = data.draw(st.decimals(min_value=a1, max_value=planned, places=2))
    s1 = udfs.SCORE_PROCUREMENT(float(a1), float(planned))
    s2 = udfs.SCORE_PROCUREMENT(float(a2), float(planned))
    assert is_number(s1) and is_number(s2)
    assert s1 <= s2 <= 2


@SETTINGS
@given(
    whole=st.decimals(min_value=Decimal("0.01"), max_value=10**6, places=2),
    p1=st.decimals(min_value=0, max_value=2 * 10**6, places=2),
    p2=st.decimals(min_value=0, max_value=2 * 10**6, places=2),
    full=st.sampled_from([1, 6, 20]),
)
def test_ratio_never_falls_as_part_rises(whole, p1, p2, full):
    lo, hi = sorted([p1, p2])
    s1 = udfs.SCORE_RATIO(float(lo), float(whole), full)
    s2 = udfs.SCORE_RATIO(float(hi), float(whole), full)
    assert is_number(s1) and is_number(s2)
    assert 0 <= s1 <= s2 <= full


@SETTINGS
@given(
    r1=st.decimals(min_value=0, max_value=1, places=4),
    r2=st.decimals(min_value=0, max_value=1, places=4),
    as_text=st.booleans(),
)
def test_satisfaction_never_falls_as_rate_rises(r1, r2, as_text):
    lo, hi = sorted([r1, r2])
    if as_text:
        s1 = udfs.SCORE_SATISFACTION(format(lo * 100, "f") + "%")
        s2 = udfs.SCORE_SATISFACTION(format(hi * 100, "f") + "%")
    else:
        s1 = udfs.SCORE_SATISFACTION(float(lo))
        s2 = udfs.SCORE_SATISFACTION(float(hi))
    assert is_number(s1) and is_number(s2)
    assert 1 <= s1 <= s2 <= 6


@SETTINGS
@given(total=pos_amount, data=st.data())
def test_utilization_never_falls_as_assets_in_use_rise(total, data):
    u1 = data.draw(st.decimals(min_value=0, max_value=total, places=2))
    u2 = data.draw(st.decimals(min_value=u1, max_value=total, places=2))
    s1 = udfs.SCORE_ASSET_UTILIZATION(float(u1), float(total))
    s2 = udfs.SCORE_ASSET_UTILIZATION(float(u2), float(total))
    assert is_number(s1) and is_number(s2)
    assert 0 <= s1 <= s2 <= 1


@SETTINGS
@given(
    quarters=st.lists(amount, min_size=4, max_size=4),
    budget=pos_amount,
    which=st.integers(0, 3),
    extra=st.decimals(min_value=0, max_value=10**8, places=2),
)
def test_quarterly_never_falls_as_spending_rises(quarters, budget, which, extra):
    more = list(quarters)
    more[which] += extra
    s1 = udfs.SCORE_QUARTERLY([float(q) for q in quarters], float(budget))
    s2 = udfs.SCORE_QUARTERLY([float(q) for q in more], float(budget))
    assert is_number(s1) and is_number(s2)
    assert 0 <= s1 <= s2 <= 6


@SETTINGS
@given(budget=pos_amount, a1=amount, a2=amount)
def test_cost_control_never_rises_as_spending_rises(budget, a1, a2):
    lo, hi = sorted([a1, a2])
    s1 = udfs.SCORE_COST_CONTROL(float(lo), float(budget))
    s2 = udfs.SCORE_COST_CONTROL(float(hi), float(budget))
    assert is_number(s1) and is_number(s2)
    assert 3 >= s1 >= s2 >= 0


@SETTINGS
@given(
    targets=st.lists(st.integers(1, 10**6), min_size=1, max_size=5),
    data=st.data(),
)
def test_targets_never_fall_as_an_actual_rises(targets, data):
    actuals = [data.draw(st.integers(0, 2 * t)) for t in targets]
    which = data.draw(st.integers(0, len(targets) - 1))
    more = list(actuals)
    more[which] += data.draw(st.integers(0, 10**6))
    s1 = udfs.SCORE_TARGETS(actuals, targets)
    s2 = udfs.SCORE_TARGETS(more, targets)
    assert is_number(s1) and is_number(s2)
    assert 0 <= s1 <= s2 <= 20


@SETTINGS
@given(
    thresholds=st.lists(st.decimals(min_value=0, max_value=1, places=3), min_size=1, max_size=4, unique=True),
    points=st.lists(st.decimals(min_value=0, max_value=10, places=2), min_size=4, max_size=4),
    value=st.decimals(min_value=0, max_value=1, places=4),
)
def test_tiers_equals_first_threshold_reached(thresholds, points, value):
    thresholds = sorted(thresholds, reverse=True)
    points = points[: len(thresholds)]
    expected = Decimal(0)
    for t, p in zip(thresholds, points):
        if value >= t:
            expected = p
            break
    got = udfs.SCORE_TIERS(float(value), [float(t) for t in thresholds], [float(p) for p in points])
    assert is_number(got) and dec(got) == expected, (got, expected)


@SETTINGS
@given(
    items=st.lists(
        st.tuples(
            st.sampled_from([Decimal("0.5"), Decimal("1"), Decimal("1.5"), Decimal("2")]),
            st.sampled_from(["yes", "no", "part"]),
            st.decimals(min_value=0, max_value=1, places=2),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_checklist_equals_item_sum(items):
    cells, points, expected = [], [], Decimal(0)
    for p, kind, share in items:
        points.append(float(p))
        if kind == "yes":
            cells.append("是")
            expected += p
        elif kind == "no":
            cells.append("否")
        else:
            # partial credit: a number of points in [0, p] (2 decimals, so truncation is a no-op)
            # (on a 1-point item n may be 1, which also reads as "yes": 1 point either way)
            n = (p * share).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
            cells.append(float(n))
            expected += n
    got = udfs.SCORE_CHECKLIST(cells, points)
    assert is_number(got) and dec(got) == expected, (got, expected)
    assert 0 <= got <= sum(points)
