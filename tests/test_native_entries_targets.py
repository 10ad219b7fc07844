"""The native SCORE_TARGETS gives exactly the add-in function's score and note (warning
included): ≥ and ≤ targets, weights, unused rows, exact ties such as 1/3 + 2/3, means one
step beside a hundredth, typed text and wrong input, in this engine and in LibreOffice."""
from __future__ import annotations

import random
from fractions import Fraction

import native_harness as h
from libreoffice import required_soffice
from workbook.native.program import Outcome, Program

rng = random.Random(20201231)
TWENTY = h.Const(Fraction(20))


def specs(rows: int, weights=True, directions=True) -> list:
    return [h.Range(rows), h.Range(rows), h.Range(rows) if weights else h.Omitted(), TWENTY, h.Range(rows) if directions else h.Omitted()]


NUMBERS = [0, 1, 2, 3, 7, 95, 100, 1150, 1200, 0.95, 0.9, 12.5, 3.75, 0.07, 1e6, 123456.78]
TYPED = [None, "95%", "１２００", "1,150", "abc", "不涉及", "=1/0", "=NA()", -1, " 96 ", "1.5万"]
DIRECTIONS = [None, "≥", "≤", ">=", "<=", "＜＝", 1, -1, "越小越好", "不低于", "+1", "-1", 2, "x", "不涉及", "=NA()", " ≤ "]
WEIGHTS = [None, 1, 2, 0.5, 3, 1, 1, 0, "abc", "=1/0", "30%"]


def row(actual=None, target=None, weight=None, direction=None) -> tuple:
    return actual, target, weight, direction


def case(rows: list[tuple], size: int = 4) -> tuple:
    rows = rows + [row()] * (size - len(rows))
    return tuple(list(column) for column in zip(*rows))


def clean_row() -> tuple:
    return row(rng.choice(NUMBERS), rng.choice(NUMBERS[1:]), rng.choice(WEIGHTS[:7]), rng.choice(DIRECTIONS[:12]))


def wild_row() -> tuple:
    return row(rng.choice(NUMBERS + TYPED), rng.choice(NUMBERS + TYPED), rng.choice(WEIGHTS), rng.choice(DIRECTIONS))


#: Means that are exact hundredths although the achievements are not decimals, and their neighbours.
TIES = [
    case([row(1, 3), row(2, 3)]),  # (1/3 + 2/3)/2 = 1/2: 10 points, derived by hand
    case([row(1, 3), row(2, 3), row(5, 5), row(9, 9)]),  # 0.75: 15
    case([row(1, 7), row(6, 7)]),
    case([row(1, 3, 2), row(1, 3, 1), row(2, 3, 0.5), row(1, 1, 0.5)]),
    case([row(3, 1, 1, "≤"), row(3, 2, 1, "≤"), row(0, 5, 1, "≤")]),
    case([row(9999, 10000), row(1, 1)]),  # 0.99995 × 20 = 19.999: 19.99
    case([row(99999, 100000)]),
    case([row(2, 3), row(2, 3), row(2, 3)]),  # 13.333… → 13.33
    case([row(5, 5), row(7, 7), row(9, 9)]),  # three achieved targets: 20, not 3 × 6.66
    case([row(99999999999.99, 100000000000), row(98999999.99, 100000000)]),
    case([row(0.3, 0.1, 1, "≤"), row(0.1, 0.3), row(0.2, 0.3)]),
]
SPECIAL = [
    case([]),  # no target at all
    case([row(1, 2, 0), row(1, 2, 0)]),  # weights summing to 0
    case([row(1, 0)]), case([row(1, 0, None, "≤")]), case([row(0, 5, None, "≤")]),
    case([row(95, 0.95), row(0.9, 90), row(1, 1)]),  # mixed scales: the warning
    case([row(None, 5), row(5, None)]),
    case([row(100, 100), row(50, 100, 1, "x")]),
]
CASES = (TIES + SPECIAL + [case([clean_row() for _ in range(rng.randint(1, 4))]) for _ in range(60)]
         + [case([wild_row() for _ in range(rng.randint(1, 4))]) for _ in range(40)])
TWENTY_ROWS = [case([clean_row() for _ in range(n)], 20) for n in (20, 7, 1)]

CALLS = {
    "targets": ("SCORE_TARGETS", specs(4), CASES),
    "twenty_rows": ("SCORE_TARGETS", specs(20), TWENTY_ROWS),
    "weights_and_directions_omitted": ("SCORE_TARGETS", specs(4, weights=False, directions=False), [c[:2] for c in CASES[:30]]),
    "sizes_differ": ("SCORE_TARGETS", [h.Range(3), h.Range(2)], [([1, 2, 3], [1, 2])]),
}


def test_the_native_formulas_give_the_functions_results_in_this_engine():
    mismatches = h.mismatches_in_engine(CALLS)
    assert not mismatches, "\n".join(mismatches[:5])


def test_the_cases_reach_ties_the_warning_and_the_reasons():
    function, specs_, cases = CALLS["targets"]
    values = h.function_values(h.build_cases(function, specs_, cases))
    scores = [values[(h.RESULTS, f"A{i + 1}")] for i in range(len(cases))]
    notes = [values[(h.RESULTS, f"B{i + 1}")] for i in range(len(cases))]
    assert scores[:2] == [10.0, 15.0] and scores[5] == 19.99 and scores[7] == 13.33
    assert notes[0] == "第1项目标完成率=33.33%、第2项目标完成率=66.67%，得10分，扣10分"
    assert any("相差50倍以上" in n for n in notes) and any("为空，请填写" in n for n in notes)
    assert any("合计不能为0" in n for n in notes) and any("无法计算完成率" in n for n in notes)


def _naive(p: Program, args) -> Outcome:
    """Each target's share of 20 points truncated with ROUNDDOWN and summed, as a hand-made template does."""
    actual, target = args[0].cells, args[1].cells
    used = "(" + "+".join(f"({t}<>\"\")*1" for t in target) + ")"
    terms = "+".join(f"IF({t}=\"\",0,ROUNDDOWN(20/{used}*MIN({a}/{t},1),2))" for a, t in zip(actual, target))
    return Outcome(p.cell(terms), '""')


def test_a_naive_rounddown_form_fails_on_the_ties():
    mismatches = h.in_engine("SCORE_TARGETS", specs(4, weights=False, directions=False), [c[:2] for c in TIES], translation=_naive)
    assert any(m.what == "score" for m in mismatches)


def test_the_native_formulas_give_the_functions_results_in_libreoffice(tmp_path):
    mismatches = h.mismatches_in_libreoffice(CALLS, tmp_path, required_soffice())
    assert not mismatches, "\n".join(mismatches[:5])
