"""What a department declares rather than measures: amounts written with units (万元, 亿元),
不涉及 for business it does not have, and the warnings a note gives when figures look typed
wrong (shared/spec/functions.md, "Inputs are coerced …" and "不涉及").

Every expected score is worked out here from the rule text, never read from the code.
"""
import pytest

from scoring_assertions import assert_score
from udfs import (
    SCORE_ASSET_UTILIZATION,
    SCORE_ASSET_UTILIZATION_NOTE,
    SCORE_CHECKLIST,
    SCORE_CHECKLIST_NOTE,
    SCORE_COST_CONTROL,
    SCORE_COST_CONTROL_NOTE,
    SCORE_DISCLOSURE,
    SCORE_DISCLOSURE_NOTE,
    SCORE_PROCUREMENT,
    SCORE_PROCUREMENT_NOTE,
    SCORE_PUBLIC_FUNDS,
    SCORE_PUBLIC_FUNDS_NOTE,
    SCORE_QUARTERLY,
    SCORE_QUARTERLY_NOTE,
    SCORE_RATIO,
    SCORE_RATIO_NOTE,
    SCORE_SATISFACTION,
    SCORE_SATISFACTION_NOTE,
    SCORE_TARGETS,
    SCORE_TARGETS_NOTE,
)

NOT_APPLICABLE_NOTE = "本年度不涉及，按满分计"


# ====================================================================== amounts with units
@pytest.mark.parametrize(
    "actual, planned",
    [
        ("1.475万", "1.5万"),  # the seed's 14,750 / 15,000
        ("1.475万元", "1.50万元"),
        ("14750元", "15000.00元"),
        ("14,750.00元", "１．５万"),  # full-width digits and point
        ("１．４７５万元", 15000),
        (" 1.475 万 ", "0.00015亿"),
        ("14750", "0.00015亿元"),
    ],
)
def test_amounts_written_with_units_score_as_in_yuan(actual, planned):
    # 14,750/15,000 = 0.98333… → 0.98, plus policy 1 → 1.98
    assert_score(SCORE_PROCUREMENT(actual, planned), "1.98")


def test_a_note_shows_amounts_in_yuan_as_the_seed_does():
    # 1.48万 = 14,800; 14,800/15,000 = 98.666…% → 98.67%; score 0.98 + 1 = 1.98
    assert SCORE_PROCUREMENT_NOTE("1.48万", "1.5万元") == "政府采购执行率=（14,800/15,000）×100%=98.67%，得1.98分，扣0.02分"


def test_an_amount_in_yi_yuan_is_exact():
    # 1.2亿 = 120,000,000 exactly; 108,000,000/120,000,000 = 90% → 2 of 3 (90%–100% band)
    assert_score(SCORE_COST_CONTROL("1.08亿元", "1.2亿"), "2")


@pytest.mark.parametrize("text", ["1.48千元", "1.48万美元", "万元", "95%万", "1.48万万"])
def test_other_units_are_refused_with_the_units_named(text):
    assert SCORE_PROCUREMENT(text, 15000) == "#VALUE!"
    note = SCORE_PROCUREMENT_NOTE(text, 15000)
    assert note.startswith("实际采购金额")
    assert "不是数字" in note or "不能同时" in note


def test_units_are_for_amounts_only():
    # a count of projects is not money: "6万" in SCORE_RATIO is not a number
    assert SCORE_RATIO("6万", 6, 6) == "#VALUE!"


# ====================================================================== 不涉及
@pytest.mark.parametrize("word", ["不涉及", "不适用", "无此项", " 不涉及 ", "不 涉 及"])
def test_no_procurement_this_year_scores_full_points(word):
    # contract: all amount arguments 不涉及 → the function's full points (2)
    assert_score(SCORE_PROCUREMENT(word, word), "2")
    assert SCORE_PROCUREMENT_NOTE(word, word) == NOT_APPLICABLE_NOTE


def test_not_applicable_with_a_blank_beside_it_counts():
    assert_score(SCORE_PROCUREMENT("不涉及", None), "2")
    assert_score(SCORE_PROCUREMENT("", "不涉及"), "2")
    assert_score(SCORE_ASSET_UTILIZATION(None, "不涉及"), "1")


def test_not_applicable_ignores_the_policy_item():
    # nothing was bought, so there was no policy to carry out: full points all the same
    assert_score(SCORE_PROCUREMENT("不涉及", "不涉及", "否"), "2")


def test_every_indicator_the_contract_names_accepts_not_applicable():
    assert_score(SCORE_RATIO("不涉及", "不涉及", 6), "6")
    assert SCORE_RATIO_NOTE("不涉及", "不涉及", 6) == NOT_APPLICABLE_NOTE
    assert_score(SCORE_ASSET_UTILIZATION("不涉及", "不涉及"), "1")
    assert SCORE_ASSET_UTILIZATION_NOTE("不涉及", "不涉及") == NOT_APPLICABLE_NOTE
    assert_score(SCORE_COST_CONTROL("不涉及", "不涉及"), "3")
    assert_score(SCORE_COST_CONTROL("不涉及", "不涉及", 2), "2")
    assert SCORE_COST_CONTROL_NOTE("不涉及", "不涉及") == NOT_APPLICABLE_NOTE
    assert_score(SCORE_PUBLIC_FUNDS("不涉及", "不涉及", "不涉及", "不涉及"), "6")


def test_one_part_of_public_funds_not_applicable():
    # 三公 不涉及 → 3; 日常 40,551,421.71/40,588,517 = 99.91% (90%–100%) → 2; total 5
    assert_score(SCORE_PUBLIC_FUNDS("不涉及", "不涉及", 40551421.71, 40588517), "5")
    assert SCORE_PUBLIC_FUNDS_NOTE("不涉及", "不涉及", 40551421.71, 40588517) == (
        "“三公”经费本年度不涉及，按满分计；"
        "日常公用经费控制率=（40,551,421.71/40,588,517）×100%=99.91%，扣1分；合计得5分，扣1分"
    )
    # 日常 不涉及 and 三公 below 90% → 3 + 3
    assert_score(SCORE_PUBLIC_FUNDS(1000, 61000, "不涉及", None), "6")
    assert SCORE_PUBLIC_FUNDS_NOTE(1000, 61000, "不涉及", None) == "日常公用经费本年度不涉及，按满分计"


def test_not_applicable_beside_a_figure_is_refused():
    assert SCORE_PROCUREMENT("不涉及", 15000) == "#VALUE!"
    note = SCORE_PROCUREMENT_NOTE("不涉及", 15000)
    assert "不涉及" in note and "采购计划金额" in note
    assert SCORE_PUBLIC_FUNDS("不涉及", 61000, 1, 2) == "#VALUE!"


@pytest.mark.parametrize(
    "call, note_call",
    [
        (lambda w: SCORE_QUARTERLY([w, 1, 1, 1], 10), lambda w: SCORE_QUARTERLY_NOTE([w, 1, 1, 1], 10)),
        (lambda w: SCORE_SATISFACTION(w), lambda w: SCORE_SATISFACTION_NOTE(w)),
        (lambda w: SCORE_CHECKLIST([w, 1]), lambda w: SCORE_CHECKLIST_NOTE([w, 1])),
        (lambda w: SCORE_DISCLOSURE(w, "按规定公开"), lambda w: SCORE_DISCLOSURE_NOTE(w, "按规定公开")),
        (lambda w: SCORE_TARGETS([w], [1]), lambda w: SCORE_TARGETS_NOTE([w], [1])),
    ],
)
def test_not_applicable_elsewhere_is_refused_and_says_why(call, note_call):
    assert call("不涉及") == "#VALUE!"
    assert "不能按不涉及处理" in note_call("不涉及")


def test_zero_procurement_points_to_not_applicable():
    assert SCORE_PROCUREMENT(0, 0) == "#DIV/0!"
    assert "不涉及" in SCORE_PROCUREMENT_NOTE(0, 0)


# ====================================================================== plausibility warnings
SEED_BUDGET = 91471549.43


def test_running_totals_typed_as_quarters_are_questioned_but_scored():
    # cumulative figures typed with 累计数 = 否: sum 46.7+64.1+89.7+91.3 million > budget
    running = [46666000, 64107700, 89707300, 91336200]
    # rates: 46,666,000/B/0.25 ≥ 1 … every quarter capped at 1; year average ≥ 1 → 2; total 6
    assert_score(SCORE_QUARTERLY(running, SEED_BUDGET), "6")
    note = SCORE_QUARTERLY_NOTE(running, SEED_BUDGET)
    assert note.startswith("提示：四个季度支出合计291,817,200元，超过全年预算数91,471,549.43元")
    assert "累计数" in note


def test_cumulative_figures_that_fall_are_questioned():
    note = SCORE_QUARTERLY_NOTE([30, 20, 80, 100], 100, True)
    assert "二季度末累计数小于一季度末累计数" in note


def test_spending_well_above_budget_is_questioned():
    # quarter-end cumulative 25/50/75/219 of a budget of 100: every rate ≥ 1 → 6 points
    assert_score(SCORE_QUARTERLY([25, 50, 75, 219], 100, True), "6")
    assert SCORE_QUARTERLY_NOTE([25, 50, 75, 219], 100, True) == "提示：全年支出219元，为全年预算数的219.00%，明显超过预算，请核对"


def test_plausible_figures_get_no_warning():
    assert SCORE_QUARTERLY_NOTE([25, 25, 25, 25], 100) == ""
    assert SCORE_QUARTERLY_NOTE([25, 50, 75, 100], 100, True) == ""


def test_a_fraction_typed_with_a_percent_sign_is_questioned():
    # "0.96%" is 0.0096, below 80% → 1 point; the note asks whether 96% was meant
    assert_score(SCORE_SATISFACTION("0.96%"), "1")
    note = SCORE_SATISFACTION_NOTE("0.96%")
    assert note.startswith("满意度为0.96%，得1分，扣5分。提示：")
    assert "96%" in note


def test_a_percentage_beside_a_fraction_is_questioned():
    # actual 96 against target 0.95: capped at 1, full marks, but one of them is mistyped
    assert_score(SCORE_TARGETS([96, 1], [0.95, 1]), "20")
    assert "第1项的实际值与目标值相差50倍以上" in SCORE_TARGETS_NOTE([96, 1], [0.95, 1])


# ====================================================================== no note contradicts itself
def test_a_rate_just_below_the_pace_never_reads_as_reaching_it():
    # quarter 4: 99,999.9/100,000 = 99.9999% < 100% → 0.99 (truncated), so the note must not say 100.00%
    note = SCORE_QUARTERLY_NOTE([25000, 25000, 25000, 24999.9], 100000)
    assert "四季度累计支出进度=（99,999.9/100,000）×100%=99.99%，低于序时进度100%" in note
    assert "100.00%" not in note


def test_a_rate_just_above_a_band_never_reads_as_inside_it():
    # 100,000.4/100,000 = 100.0004% > 100% → 0 points; shown as 100.01%, not 100.00%
    assert_score(SCORE_COST_CONTROL(100000.4, 100000), "0")
    assert SCORE_COST_CONTROL_NOTE(100000.4, 100000) == "控制率=（100,000.4/100,000）×100%=100.01%，得0分，扣3分"


def test_rounding_still_applies_away_from_boundaries():
    # the seed's 40,551,421.71/40,588,517 = 99.9086…% rounds half-up to 99.91%
    assert "99.91%" in SCORE_COST_CONTROL_NOTE(40551421.71, 40588517)
