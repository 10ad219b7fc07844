"""The native SCORE_COST_CONTROL and SCORE_PUBLIC_FUNDS give exactly the add-in functions'
scores and notes: spending one 分 around 90% and 100% of the budget, budgets up to 100亿元,
zero budgets, 不涉及 parts and their contradictions, typed amounts and wrong text, in this
engine and in LibreOffice (recalculated over stale values)."""
from __future__ import annotations

import random
from fractions import Fraction

import native_harness as h
from libreoffice import required_soffice
from workbook.native.entries import funds
from workbook.native.program import Outcome, Program

rng = random.Random(20201231)
BUDGETS = [15000, 40588517, 100, 10_000_000_000, 1, 0.03, 99999.99]


def around_bounds() -> list[tuple]:
    """(actual, budget): one 分 below, at and above 90% and 100% of each budget."""
    pairs = []
    for b in BUDGETS:
        for share in (Fraction(9, 10), Fraction(1)):
            at = Fraction(round(b * 100)) * share / 100
            for step in (-1, 0, 1):
                cents = int(at * 100) + step
                if cents >= 0:
                    pairs.append((cents / 100, b))
    return pairs


TYPED = [None, "", " ", 0, "不涉及", "不适用", "abc", "1.48万", "2亿元", "１４，７５０", "14,750", "=1/0", "=NA()",
         -5, "50%", True, "1,00", 14750, 15000, 40551421.71, 40588517, "40,551,421.71"]
PAIRS = around_bounds() + [(0, 0), (1, 0), ("不涉及", "不涉及"), ("不涉及", None), (None, "不涉及"), ("不涉及", 5), (5, "不涉及"),
                           ("不涉及", "=1/0")] + [(rng.choice(TYPED), rng.choice(TYPED)) for _ in range(120)] + [
    (round(rng.uniform(0, 1.2) * b, 2), b) for b in (rng.choice(BUDGETS[:4]) for _ in range(80))]
COST = [(a, b) for a, b in PAIRS]
FULLS = [None, 3, 2.5, 1.2345, "x", -1, "=NA()", "不涉及"]
COST_WITH_FULL = [(a, b, rng.choice(FULLS)) for a, b in PAIRS[:150]]
PUBLIC = [(*rng.choice(PAIRS), *rng.choice(PAIRS)) for _ in range(220)] + [
    (*s, *d) for s in [(14750, 15000), ("不涉及", "不涉及"), (40551421.71, 40588517)] for d in [(1, 10), ("不涉及", None), (9, 10), (11, 10)]]

CALLS = {
    "cost": ("SCORE_COST_CONTROL", [h.Cell(), h.Cell()], COST),
    "cost_full_cell": ("SCORE_COST_CONTROL", [h.Cell(), h.Cell(), h.Cell()], COST_WITH_FULL),
    "cost_full_constant": ("SCORE_COST_CONTROL", [h.Cell(), h.Cell(), h.Const(Fraction(6))], COST[:120]),
    "public": ("SCORE_PUBLIC_FUNDS", [h.Cell(), h.Cell(), h.Cell(), h.Cell()], PUBLIC),
}


def test_the_native_formulas_give_the_functions_results_in_this_engine():
    mismatches = h.mismatches_in_engine(CALLS)
    assert not mismatches, "\n".join(mismatches[:5])


def test_the_cases_reach_every_band_and_the_reasons():
    function, specs, cases = CALLS["public"]
    values = h.function_values(h.build_cases(function, specs, cases))
    scores = {values[(h.RESULTS, f"A{i + 1}")] for i in range(len(cases))}
    notes = [values[(h.RESULTS, f"B{i + 1}")] for i in range(len(cases))]
    assert {6.0, 5.0, 4.0, 3.0, 2.0, 0.0} <= scores
    assert any("本年度不涉及，按满分计" in n for n in notes) and any("控制率=（" in n for n in notes)
    assert any("为空，请填写" in n for n in notes) and any("二者统一" in n for n in notes)


def _naive(p: Program, args) -> Outcome:
    """The rate computed as a float and compared with 0.9, as a hand-made template does."""
    exact = funds.cost_control(p, args)
    a, b = args[0].cells[0], args[1].cells[0]
    return Outcome(p.cell(f"IF(ROUND({a}/{b},2)<0.9,3,IF({a}/{b}<=1,2,0))"), exact.note)


def test_a_naive_form_fails_beside_90_percent():
    mismatches = h.in_engine("SCORE_COST_CONTROL", [h.Cell(), h.Cell()], around_bounds(), translation=_naive)
    assert any(m.what == "score" for m in mismatches)


def test_the_native_formulas_give_the_functions_results_in_libreoffice(tmp_path):
    calls = {name: CALLS[name] for name in ("public", "cost_full_cell")}
    mismatches = h.mismatches_in_libreoffice(calls, tmp_path, required_soffice())
    assert not mismatches, "\n".join(mismatches[:5])
