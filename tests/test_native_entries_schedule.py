"""The native SCORE_QUARTERLY gives exactly the add-in function's score and note (warnings
included): quarters one 分 around each 序时进度 and the year's mean one 分 around 100%, current
and cumulative figures, budgets up to 100亿元, typed amounts and wrong text, the range that is
not four cells, in this engine and in LibreOffice (recalculated over stale values)."""
from __future__ import annotations

import random
from fractions import Fraction

import native_harness as h
from libreoffice import required_soffice
from workbook.native.program import Outcome, Program

rng = random.Random(20201231)
SPECS = [h.Range(4), h.Cell(), h.Cell()]
#: Budgets in 分.
BUDGETS = [1_500_000, 10_000_000_000, 1_000_000_000_000, 10_000, 7, 4_058_851_700, 99_999_999_999]


def yuan(cents: int) -> float:
    return cents / 100


def beside_the_pace() -> list[tuple]:
    """Cumulative figures at, one 分 below and above share × 序时进度 of each quarter."""
    cases = []
    for budget in BUDGETS:
        for share in (Fraction(29, 100), Fraction(57, 100), Fraction(98, 100), Fraction(99, 100), Fraction(1)):
            for step in (-1, 0, 1):
                figures = [max(0, int(budget * share * i / 4) + step) for i in range(1, 5)]
                cases.append(([yuan(c) for c in figures], yuan(budget), "是"))
    return cases


def beside_the_year() -> list[tuple]:
    """The year's mean rate N/(12·B) at and one step beside 100% (N = 12·c1+6·c2+4·c3+3·c4)."""
    cases = []
    for budget in BUDGETS[:4]:
        c1, c2 = int(budget * 0.3), int(budget * 0.45)
        c3 = int(budget * 0.7) // 3 * 3
        for step in (-1, 0, 1):
            c4 = (12 * budget - 12 * c1 - 6 * c2 - 4 * c3) // 3 + step
            cases.append(([yuan(c) for c in (c1, c2, c3, c4)], yuan(budget), "是"))
    return cases


TYPED = [None, "", 0, "不涉及", "abc", "1.48万", "1.5万元", "2亿元", "１４，７５０", "14,750", "3750.00元", "=1/0", "=NA()", -5,
         "50%", True, "1,00", 3750, 3800.5]
OPTION = [None, "是", "否", True, False, "x", "=NA()", 1, 0, "不涉及", "TRUE"]
WARNINGS = [
    ([100, 90, 95, 100], 100, "是"),  # a falling cumulative figure
    ([100, 120, 110, 90], 100, "是"),  # the first falling one only
    ([40, 30, 30, 20], 100, None),  # quarters summing above the budget
    ([25, 50, 75, 110], 100, "是"),  # the year at 110%: not yet well above
    ([25, 50, 75, 110.01], 100, "是"),  # one 分 above 110%
    ([25, 50, 75, 300], 100, "是"),
    ([20, 30, 25, 25], 100, "否"),  # derived by hand: 0.8 + 1 + 1 + 1 + 1.9 = 5.7
    ([0, 0, 0, 0], 100, None),
    ([1, 2, 3, 4], 0, None),
    ([14750, 0, 0, 0], "1.5万", None),
]
CASES = (beside_the_pace() + beside_the_year() + WARNINGS
         + [([rng.choice(TYPED) for _ in range(4)], rng.choice(TYPED), rng.choice(OPTION)) for _ in range(80)]
         + [([round(rng.uniform(0, 0.4) * b, 2) for _ in range(4)], b, rng.choice(OPTION[:3]))
            for b in (round(rng.uniform(1, 1e6), rng.choice([0, 2])) for _ in range(60))])

CALLS = {
    "quarterly": ("SCORE_QUARTERLY", SPECS, CASES),
    "quarterly_two_arguments": ("SCORE_QUARTERLY", SPECS[:2], [c[:2] for c in CASES[:40]]),
    "three_quarters": ("SCORE_QUARTERLY", [h.Range(3), h.Cell()], [([1, 2, 3], 10)]),
    "five_quarters": ("SCORE_QUARTERLY", [h.Range(5), h.Cell(), h.Cell()], [([1, 2, 3, 4, 5], 10, None)]),
}


def test_the_native_formulas_give_the_functions_results_in_this_engine():
    mismatches = h.mismatches_in_engine(CALLS)
    assert not mismatches, "\n".join(mismatches[:5])


def test_the_cases_reach_the_caps_the_warnings_and_the_reasons():
    function, specs, cases = CALLS["quarterly"]
    values = h.function_values(h.build_cases(function, specs, cases))
    scores = [values[(h.RESULTS, f"A{i + 1}")] for i in range(len(cases))]
    notes = [values[(h.RESULTS, f"B{i + 1}")] for i in range(len(cases))]
    assert scores[cases.index(WARNINGS[6])] == 5.7
    assert 6.0 in scores and any("低于序时进度25%" in n for n in notes) and any("全年平均执行率=" in n for n in notes)
    assert any("累计数应逐季不减少" in n for n in notes) and any("超过全年预算数" in n for n in notes)
    assert any("明显超过预算" in n for n in notes) and any("为空，请填写" in n for n in notes)
    assert any("全年预算数为0" in n for n in notes)


def _naive(p: Program, args) -> Outcome:
    """Each quarter as ROUNDDOWN(MIN(c/B/pace,1),2) on float quotients, as a hand-made template does."""
    cells, budget = args[0].cells, args[1].cells[0]
    quarters = [f"ROUNDDOWN(MIN({cells[i]}/{budget}/{(i + 1) / 4},1),2)" for i in range(4)]
    rates = "+".join(f"{cells[i]}/{budget}/{(i + 1) / 4}" for i in range(4))
    return Outcome(p.cell("+".join(quarters) + f"+ROUNDDOWN(MIN(({rates})/4*2,2),2)"), '""')


def test_a_naive_rounddown_form_fails_beside_the_pace():
    cases = [c for c in beside_the_pace() if c[2] == "是"]
    mismatches = h.in_engine("SCORE_QUARTERLY", SPECS, cases, translation=_naive)
    assert any(m.what == "score" for m in mismatches)


def test_the_native_formulas_give_the_functions_results_in_libreoffice(tmp_path):
    mismatches = h.mismatches_in_libreoffice(CALLS, tmp_path, required_soffice())
    assert not mismatches, "\n".join(mismatches[:5])
