"""The native SCORE_DEDUCT, SCORE_CHECKLIST, SCORE_GRADE and SCORE_RATIO give exactly the
add-in functions' scores and notes, for typed text, blanks, wrong values and error cells,
in this engine and in LibreOffice (recalculated, with stale cached values planted)."""
from __future__ import annotations

import random
from fractions import Fraction

import pytest

import native_harness as h
from libreoffice import required_soffice
from workbook.native import arith
from workbook.native.entries import general
from workbook.native.program import Outcome, Program

#: What finance staff type into a cell, right and wrong (None is a blank cell, "=…" a formula).
TYPED = [
    None, "", "  ", 0, 1, 2, 0.5, 0.555, 1.5, -1, 3, 100, "是", "否", "√", "×", "TRUE", "false", "yes", "N", " 是 ",
    "不涉及", "不适用", "abc", "1,000", "1,00", "１２", "12.5", "5%", "50%", "1e1", ".5", "+1", "-0", "1.48万",
    "2万元", "=1/0", "=NA()", True, False, "#N/A", "1 2", "1/2", "$1", "0.5\u3000", " 1\n", "1\n2",
]
rng = random.Random(20201231)


def typed():
    return rng.choice(TYPED)


POINTS = [[Fraction(2), Fraction(1), Fraction("0.5")]]
CALLS = {
    "deduct": ("SCORE_DEDUCT", [h.Const(Fraction(5)), h.Cell()], [(v,) for v in TYPED + [4, 5, 6, 7]]),
    "deduct_per_item": ("SCORE_DEDUCT", [h.Const(Fraction(8)), h.Cell(), h.Const(Fraction(4))], [(v,) for v in TYPED]),
    "checklist": ("SCORE_CHECKLIST", [h.Range(3), h.Const(POINTS)], [([typed() for _ in range(3)],) for _ in range(120)]),
    "checklist_each_one_point": ("SCORE_CHECKLIST", [h.Range(3), h.Omitted()], [([typed() for _ in range(3)],) for _ in range(60)]),
    "grade": ("SCORE_GRADE", [h.Cell()], [(v,) for v in TYPED + [89.99, 90, 80, 60, 59.99, 98.97, 1234.5]]),
    "ratio": ("SCORE_RATIO", [h.Cell(), h.Cell(), h.Const(Fraction(6))],
              [(rng.choice(TYPED + [7, 9, 10, 6, 12]), rng.choice(TYPED + [7, 9, 10, 6, 12])) for _ in range(150)]
              + [(29, 100), (1, 3), (2, 3), (99, 100), (9999, 10000), (0, 5), (5, 0), (0, 0)]),
    "ratio_zero_if_over": ("SCORE_RATIO", [h.Cell(), h.Cell(), h.Const(Fraction(6)), h.Cell()],
                           [(rng.choice([3, 7, 10, 0, "不涉及", None]), rng.choice([7, 0, 10, "不涉及"]), rng.choice([None, True, "是", 0, "x"]))
                            for _ in range(60)]),
}


@pytest.mark.parametrize("call", sorted(CALLS))
def test_the_native_formulas_give_the_functions_results_in_this_engine(call):
    function, specs, cases = CALLS[call]
    mismatches = h.in_engine(function, specs, cases)
    assert not mismatches, "\n".join(map(str, mismatches[:5]))


def test_the_cases_reach_scores_notes_and_reasons():
    """The cases are not all errors: they score, lose points and explain."""
    function, specs, cases = CALLS["ratio"]
    values = h.function_values(h.build_cases(function, specs, cases))
    scores = {values[(h.RESULTS, f"A{i + 1}")] for i in range(len(cases))}
    notes = [values[(h.RESULTS, f"B{i + 1}")] for i in range(len(cases))]
    assert len({s for s in scores if isinstance(s, float)}) >= 5
    assert any("完成比率=" in n for n in notes) and any("为空，请填写" in n for n in notes) and any("不是数字" in n for n in notes)


def _naive_ratio(form):
    """SCORE_RATIO with its truncation replaced by a float form."""
    def translate(p: Program, args) -> Outcome:
        exact = general.ratio(p, args)
        part, whole = args[0].cells[0], args[1].cells[0]
        naive = p.cell(form.format(x=f"MIN({part}/{whole},1)*{args[2].constant}"), "naive")
        return Outcome(naive, exact.note)
    return translate


#: Exact quotients that binary floating point puts just below a multiple of 0.01.
BOUNDARY_RATIOS = [(29, 100), (57, 100), (58, 100), (7, 10), (3, 5), (9999999999, 10000000000), (98999999.99, 100000000)]


@pytest.mark.parametrize("form", ["INT({x}*100)/100"])
def test_a_naive_truncation_fails_on_the_boundary_cases(form):
    """(This engine's ROUNDDOWN and FLOOR agree with the exact rule on these and on 7,000 ratios near a
    multiple of 0.01; the integer form does not depend on any application's ROUNDDOWN.)"""
    mismatches = h.in_engine("SCORE_RATIO", [h.Cell(), h.Cell(), h.Const(Fraction(1))], BOUNDARY_RATIOS, translation=_naive_ratio(form))
    assert any(m.what == "score" for m in mismatches), f"{form} agreed on every boundary case: the cases do not probe it"
    exact = h.in_engine("SCORE_RATIO", [h.Cell(), h.Cell(), h.Const(Fraction(1))], BOUNDARY_RATIOS)
    assert not exact


def test_floor_division_is_exact_up_to_1e14():
    p = Program()
    pairs = [(10**14 - 1, 3), (98999999999, 100000000), (29, 1), (2900, 100), (10**13, 10**13 - 1), (0, 7)]
    cells = [arith.floor_div(p, str(n), str(d)) for n, d in pairs]
    formulas = {(h.HELPER_SHEET, a): f for a, _, f in p.addresses()}
    values = h.engine.calculate({}, formulas, sheet_names=[h.HELPER_SHEET]).values
    got = [values[(h.HELPER_SHEET, ref.split("!")[1].replace("$", ""))] for ref in cells]
    assert got == [n // d for n, d in pairs]


@pytest.fixture(scope="module")
def soffice():
    return required_soffice()


@pytest.mark.parametrize("call", ["checklist", "ratio", "deduct", "grade"])
def test_the_native_formulas_give_the_functions_results_in_libreoffice(call, soffice, tmp_path):
    function, specs, cases = CALLS[call]
    mismatches = h.in_libreoffice(function, specs, cases, tmp_path, soffice)
    assert not mismatches, "\n".join(map(str, mismatches[:5]))
