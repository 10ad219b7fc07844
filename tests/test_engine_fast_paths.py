"""A big sheet's fast paths give exactly what the exact path gives.

The engine answers some calls with a guarded float computation (``fastscores``) or a whole
filled-down column at once (``groups``); every such answer must equal the per-cell, exact
(`Fraction`) answer, on ordinary inputs and on the inputs built to sit on a boundary."""
from __future__ import annotations

import random

import pytest

import udfs
from xladdin.engine import calculate
from xladdin.engine.fastscores import procurement_score


def _exact(actual, planned, *rest):
    return udfs.SCORE_PROCUREMENT(actual, planned, *rest)


def _boundary_pairs(rnd: random.Random, n: int):
    """(actual, planned) in cents whose rate × 100 is an integer, or one cent beside one:
    where a float quotient lands a hair below or above the exact value."""
    for _ in range(n):
        planned_cents = rnd.randint(1, 10**9)
        k = rnd.randint(0, 100)
        exact_cents = planned_cents * k
        if exact_cents % 100 == 0:
            actual_cents = exact_cents // 100 + rnd.choice((-1, 0, 0, 1))
        else:
            actual_cents = exact_cents // 100
        if actual_cents < 0:
            continue
        yield actual_cents / 100, planned_cents / 100


def test_seed_procurement_row_is_the_contracts_value():
    # the seed report: 14,750 of 15,000 planned → 0.98 (truncated) + policy 1 = 1.98
    assert procurement_score(14750.0, 15000.0) == 1.98


def test_a_rate_that_floats_just_below_an_integer_is_left_to_the_exact_rule():
    # 0.57 / 1 × 100 is 56.99999999999999 in floats; the exact rate is 57 %
    assert procurement_score(0.57, 1.0) is None
    assert _exact(0.57, 1.0) == 1.57


def test_procurement_fast_path_equals_the_exact_rule():
    rnd = random.Random(17)
    cases = [(round(rnd.uniform(0, 5e6), 2), round(rnd.uniform(1e4, 5e6), 2)) for _ in range(6000)]
    cases += list(_boundary_pairs(rnd, 6000))
    cases += [(1.0, 3.0), (2.0, 3.0), (1e-300, 1.0), (5e-324, 1.0), (1.0, 1.0), (0.0, 5.0), (7.0, 0.0),
              (1e308, 1.7e308), (0.1, 0.3), (0.3, 0.1), (0.29, 1.0), (1.15, 1.0), (33.33, 100.0)]
    answered = 0
    for actual, planned in cases:
        fast = procurement_score(actual, planned)
        if fast is None:
            continue
        answered += 1
        assert fast == _exact(actual, planned), (actual, planned)
    assert answered > 6000  # the fast path answers the ordinary cases


@pytest.mark.parametrize("args", [
    (1000.0, 2000.0, 0.5), (1000.0, 2000.0, "否"), ("1000", 2000.0), (None, 2000.0), (1000.0, None),
    (-5.0, 100.0), (True, 100.0), ("不涉及", "不涉及"), (0.0, 0.0), (float("nan"), 1.0),
])
def test_procurement_fast_path_declines_what_only_the_exact_rule_decides(args):
    assert procurement_score(*args) is None


def test_procurement_in_a_sheet_goes_through_the_fast_path_with_the_same_values():
    rnd = random.Random(3)
    cells, formulas, want = {}, {}, {}
    pairs = list(_boundary_pairs(rnd, 300))
    for i, (actual, planned) in enumerate(pairs, start=1):
        cells[("S", f"A{i}")] = actual
        cells[("S", f"B{i}")] = planned
        formulas[("S", f"C{i}")] = f"SCORE_PROCUREMENT(A{i},B{i})"
        want[("S", f"C{i}")] = _exact(actual, planned)
    got = calculate(cells, formulas).values
    assert got == want
