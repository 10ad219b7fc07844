"""The native SCORE_SATISFACTION gives exactly the add-in function's score and note (warning
included) for rates typed as fractions, percentages, bare numbers and wrong text, at and one
step beside each tier, in this engine and in LibreOffice (recalculated over stale values)."""
from __future__ import annotations

import random

import pytest

import native_harness as h
from libreoffice import required_soffice
from workbook.native.entries import outcomes
from workbook.native.program import Outcome, Program

rng = random.Random(20201231)
#: The rule's tiers (≥95% 6, ≥90% 4, ≥80% 2, else 1) and the 1% below which "0.95%" is suspected.
BESIDE_TIERS = [0.95, 0.9499, 0.9501, 0.9, 0.8999, 0.90001, 0.8, 0.7999, 0.80001, 0, 1, 1.0001, 0.0095, 0.01, 0.00999]
TYPED = [
    None, "", "  ", "95%", "94.99%", "95.00%", "９５％", " 96% ", "0.95", "0.9499", "95", "96.5", 95, 10, 10.5, 11,
    "10", "10.01", "0.95%", "0.5%", "1%", "100%", "100.01%", "-1%", -0.1, "abc", "不涉及", "=1/0", "=NA()", "#N/A",
    True, "1,000%", "9e-1", ".95", "+0.9", "0.96\n", "96.5432%", "2万",
]
CASES = [(v,) for v in BESIDE_TIERS + TYPED] + [(round(rng.uniform(0, 1.02), rng.choice([2, 3, 4])),) for _ in range(120)] + [
    (f"{rng.uniform(70, 100):.{rng.choice([0, 1, 2])}f}%",) for _ in range(60)]


def test_the_native_formulas_give_the_functions_results_in_this_engine():
    mismatches = h.in_engine("SCORE_SATISFACTION", [h.Cell()], CASES)
    assert not mismatches, "\n".join(map(str, mismatches[:5]))


def test_the_cases_reach_every_tier_the_warning_and_the_reasons():
    values = h.function_values(h.build_cases("SCORE_SATISFACTION", [h.Cell()], CASES))
    scores = {values[(h.RESULTS, f"A{i + 1}")] for i in range(len(CASES))}
    notes = [values[(h.RESULTS, f"B{i + 1}")] for i in range(len(CASES))]
    assert {6.0, 4.0, 2.0, 1.0} <= scores
    assert any("提示：满意度为0.95%" in n for n in notes) and any("为空，请填写" in n for n in notes)
    assert any("比率请输入如 95% 的百分数" in n for n in notes) and any("不能超过100%" in n for n in notes)


def _naive(p: Program, args) -> Outcome:
    """The tiers compared on the rate rounded to 2 decimals, as a hand-made template might."""
    exact = outcomes.satisfaction(p, args)
    ref = args[0].cells[0]
    return Outcome(p.cell(f"IF(ROUND({ref},2)>=0.95,6,IF(ROUND({ref},2)>=0.9,4,IF(ROUND({ref},2)>=0.8,2,1)))"), exact.note)


def test_a_naive_form_fails_beside_the_tiers():
    mismatches = h.in_engine("SCORE_SATISFACTION", [h.Cell()], [(v,) for v in BESIDE_TIERS], translation=_naive)
    assert any(m.what == "score" for m in mismatches)


def test_the_native_formulas_give_the_functions_results_in_libreoffice(tmp_path):
    soffice = required_soffice()
    # LibreOffice has no logical cells (TRUE is 1 there): boolean cells are this engine's cases only
    cases = [c for c in CASES if not isinstance(c[0], bool)]
    mismatches = h.in_libreoffice("SCORE_SATISFACTION", [h.Cell()], cases, tmp_path, soffice)
    assert not mismatches, "\n".join(map(str, mismatches[:5]))
