"""The native SCORE_TIERS gives exactly the add-in function's score and note (boundaries one
unit below each tier, typed text, blanks, error cells, bad constants), in this engine."""
from __future__ import annotations

import random
from fractions import Fraction as F

import pytest

import native_harness as h

TYPED = [None, "", "  ", 0, 1, 0.9, 0.8999, 0.89999999, 0.8, 0.79999, 0.7, 0.69999999, 0.95, "95%", "89.99%", "70%", "0.9",
         -0.5, 2, 100, 90, 89.99, "abc", "不涉及", "=1/0", "=NA()", True, "1,000", "１２", "12.5", "1.48万", 0.123456, 1e-7]
rng = random.Random(2020)
CALLS = {
    "rate": ([h.Cell(), h.Const([[F("0.9"), F("0.8"), F("0.7")]]), h.Const([[F(6), F(4), F(2)]]), h.Const(F(0))],
             [(v,) for v in TYPED] + [(round(rng.uniform(0.5, 1.0), rng.choice([2, 3, 4, 6])),) for _ in range(150)]),
    "omitted_else": ([h.Cell(), h.Const([[F("0.9"), F("0.75"), F("0.6")]]), h.Const([[F(1), F("0.7"), F("0.4")]]), h.Omitted()],
                     [(v,) for v in TYPED]),
    "amount": ([h.Cell(), h.Const([[F(90), F(80)]]), h.Const([[F("5.555"), F(3)]]), h.Const(F("0.5"))],
               [(v,) for v in TYPED + [79.999999, 1234567.89, -3]] + [(round(rng.uniform(70, 100), 2),) for _ in range(60)]),
    "else_cell": ([h.Cell(), h.Const([[F("0.9"), F("0.8")]]), h.Const([[F(6), F(4)]]), h.Cell()],
                  [(rng.choice(TYPED), rng.choice([None, 0, 0.25, 0.555, 7, -1, "x", "=1/0"])) for _ in range(80)]),
    "ascending_thresholds": ([h.Cell(), h.Const([[F("0.6"), F("0.9")]]), h.Const([[F(1), F(2)]])], [(v,) for v in (0.7, None, "=1/0", "abc")]),
}


@pytest.mark.parametrize("call", sorted(CALLS))
def test_native_tiers_give_the_functions_results_in_this_engine(call):
    specs, cases = CALLS[call]
    mismatches = h.in_engine("SCORE_TIERS", specs, cases)
    assert not mismatches, "\n".join(map(str, mismatches[:5]))
