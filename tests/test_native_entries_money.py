"""The native SCORE_PROCUREMENT and SCORE_ASSET_UTILIZATION give exactly the add-in functions'
scores and notes: amounts one 分 around each ratio and tier boundary, amounts up to 100亿元,
the seed's 14,750/15,000, 不涉及 and its contradictions, zero amounts, typed amounts and wrong
text, in this engine and in LibreOffice (recalculated over stale values)."""
from __future__ import annotations

import random
from fractions import Fraction

import native_harness as h
from libreoffice import required_soffice
from workbook.native.entries import money
from workbook.native.program import Outcome, Program

rng = random.Random(20201231)
WHOLES = [15000, 100_000_000, 10_000_000_000, 100, 3, 0.07, 40588517]


def around(shares) -> list[tuple]:
    """(part, whole): one 分 below, at and above each share of each whole."""
    pairs = []
    for whole in WHOLES:
        for share in shares:
            at = Fraction(round(whole * 100)) * share
            for step in (-1, 0, 1):
                cents = int(at) + step
                if cents >= 0:
                    pairs.append((cents / 100, whole))
    return pairs


#: Exact quotients that binary floating point puts just below a multiple of 0.01.
FLOAT_TRAPS = [(29, 100), (57, 100), (58, 100), (98999999.99, 100000000), (14750, 15000), (0.29, 1), (1.15, 2)]
TYPED = [None, "", " ", 0, "不涉及", "无此项", "abc", "1.48万", "1.5万元", "2亿元", "１４，７５０", "14,750", "15000.00元", "=1/0",
         "=NA()", -5, "50%", True, "1,00", 14750, 15000]
POLICY = [None, "是", "否", 0.5, 0.29, 1, 0, 1.5, "×", "不涉及", "也许", "=1/0", True, "0.555"]
PROCUREMENT = ([(a, b, None) for a, b in around([Fraction(k, 100) for k in (29, 57, 98, 99, 100)]) + FLOAT_TRAPS]
               + [(rng.choice(TYPED), rng.choice(TYPED), rng.choice(POLICY)) for _ in range(150)]
               + [(14750, 15000, p) for p in POLICY] + [("不涉及", "不涉及", None), ("不涉及", None, "否"), (None, "不涉及", None),
                                                       ("不涉及", 5, None), (0, 0, None), (1, 0, None), (0, 5, None), (16000, 15000, "是")])
ASSETS = (around([t for t, _ in money.rules.ASSET_TIERS]) + FLOAT_TRAPS + [(rng.choice(TYPED), rng.choice(TYPED)) for _ in range(120)]
          + [(round(rng.uniform(0.5, 1.0) * b, 2), b) for b in (rng.choice(WHOLES) for _ in range(60))]
          + [("不涉及", "不涉及"), (5, "不涉及"), (0, 0), (6, 5), (0, 5)])

YES_NO = ["是", "否", 0.5, 0.29, 1, 0, None, "不涉及", "x", "=NA()", True]
VIOLATION = [None, "否", "是", False, 0, 1, "x", "不涉及", "=1/0"]
FIN = ([("是", a, b, "是", None) for a, b in around([Fraction(k, 100) for k in (10, 12, 15, 20, 29)]) + FLOAT_TRAPS]
       + [(rng.choice(YES_NO), rng.choice(TYPED), rng.choice(TYPED), rng.choice(YES_NO), rng.choice(VIOLATION)) for _ in range(150)]
       + [(rng.choice(YES_NO[:6]), round(rng.uniform(0, 0.25) * b, 2), b, rng.choice(YES_NO[:6]), rng.choice(VIOLATION[:5]))
          for b in (rng.choice(WHOLES) for _ in range(100))]
       + [("是", 1050, 10000, "是", None), ("是", 10500000000, 100000000000, "是", None), ("是", 0, 0, "是", None)])

CALLS = {
    "fin_compliance": ("SCORE_FIN_COMPLIANCE", [h.Cell(), h.Cell(), h.Cell(), h.Cell(), h.Cell()], FIN),
    "procurement": ("SCORE_PROCUREMENT", [h.Cell(), h.Cell(), h.Cell()], PROCUREMENT),
    "procurement_policy_omitted": ("SCORE_PROCUREMENT", [h.Cell(), h.Cell()], [c[:2] for c in PROCUREMENT[:120]]),
    "assets": ("SCORE_ASSET_UTILIZATION", [h.Cell(), h.Cell()], ASSETS),
}


def test_the_native_formulas_give_the_functions_results_in_this_engine():
    mismatches = h.mismatches_in_engine(CALLS)
    assert not mismatches, "\n".join(mismatches[:5])


def test_the_cases_reach_scores_deductions_and_reasons():
    function, specs, cases = CALLS["procurement"]
    values = h.function_values(h.build_cases(function, specs, cases))
    notes = [values[(h.RESULTS, f"B{i + 1}")] for i in range(len(cases))]
    assert "政府采购执行率=（14,750/15,000）×100%=98.33%，得1.98分，扣0.02分" in notes
    assert any("执行率得0分" in n for n in notes) and any("为空，请填写" in n for n in notes) and any("本年度不涉及" in n for n in notes)
    function, specs, cases = CALLS["fin_compliance"]
    values = h.function_values(h.build_cases(function, specs, cases))
    notes = [values[(h.RESULTS, f"B{i + 1}")] for i in range(len(cases))]
    assert any("资金调整、调剂率=（" in n and "超出10%" in n for n in notes) and any("本项指标得0分" in n for n in notes)
    function, specs, cases = CALLS["assets"]
    values = h.function_values(h.build_cases(function, specs, cases))
    assert {1.0, 0.7, 0.4, 0.0} <= {values[(h.RESULTS, f"A{i + 1}")] for i in range(len(cases))}


def _naive(p: Program, args) -> Outcome:
    """The execution rate truncated as INT(x*100)/100 on the float quotient."""
    exact = money.procurement(p, args)
    a, b = args[0].cells[0], args[1].cells[0]
    return Outcome(p.cell(f"INT(MIN({a}/{b},1)*100)/100+1"), exact.note)


def test_a_naive_truncation_fails_on_the_boundary_cases():
    cases = [(a, b, None) for a, b in FLOAT_TRAPS]
    mismatches = h.in_engine("SCORE_PROCUREMENT", [h.Cell(), h.Cell(), h.Cell()], cases, translation=_naive)
    assert any(m.what == "score" for m in mismatches)


def test_the_native_formulas_give_the_functions_results_in_libreoffice(tmp_path):
    calls = {name: CALLS[name] for name in ("procurement", "assets", "fin_compliance")}
    mismatches = h.mismatches_in_libreoffice(calls, tmp_path, required_soffice())
    assert not mismatches, "\n".join(mismatches[:5])
