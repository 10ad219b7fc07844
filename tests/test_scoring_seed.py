"""The seed report (shared/seeds/000_8ec1f67c08f27b8f.txt) as the acceptance case.

A finance officer of 龙岗区总工会 fills the 2020 framework with the report's figures and must
get the published scores: 部门决策 25 + 部门管理 19.98 + 部门绩效 53.99 = 98.97 (优).

Every expected value below is worked out by hand from the rule text of the seed's scoring
table; the arithmetic is in the comments.
"""

from decimal import Decimal

import pytest

from scoring_assertions import assert_score
from udfs import (
    SCORE_ASSET_UTILIZATION,
    SCORE_CHECKLIST,
    SCORE_CONTRACT_STAFF,
    SCORE_COST_CONTROL,
    SCORE_DEDUCT,
    SCORE_DISCLOSURE,
    SCORE_FIN_COMPLIANCE,
    SCORE_GRADE,
    SCORE_PETITIONS,
    SCORE_PROCUREMENT,
    SCORE_PROCUREMENT_NOTE,
    SCORE_PUBLIC_FUNDS,
    SCORE_PUBLIC_FUNDS_NOTE,
    SCORE_QUARTERLY,
    SCORE_QUARTERLY_NOTE,
    SCORE_RATIO,
    SCORE_SATISFACTION,
    SCORE_STAFF_CONTROL,
    SCORE_TARGETS,
)




# ---------------------------------------------------------------- seed figures
# 政府采购: 预算 1.50 万元 = 15,000; 实际 1.48 万元 = 14,750 (the table's own note: 14,750/15,000)
PROCUREMENT_ACTUAL, PROCUREMENT_PLANNED = 14750, 15000
# “三公”经费预算 6.10 万元 = 61,000; the report gives no actual, only the 3 points, i.e. a rate < 90%.
SANGONG_BUDGET = 61000
SANGONG_ACTUAL = 30000  # 30,000/61,000 = 49.18% < 90% → 3
# 日常公用经费: 40,551,421.71 / 40,588,517 = 99.9086% → 90% ≤ rate ≤ 100% → 2
DAILY_ACTUAL, DAILY_BUDGET = 40551421.71, 40588517
# 季度支出 4,666.60 / 1,744.17 / 2,559.96 / 162.89 万元, budget 91,471,549.43 元
QUARTERS = [46666000, 17441700, 25599600, 1628900]
BUDGET = 91471549.43
# 在编 8 + 1 = 9, 核定编制 11 + 2 = 13
IN_POST, AUTHORIZED = 9, 13


# ---------------------------------------------------------------- 政府采购 1.98
def test_procurement_seed_scores_1_98():
    # 14,750/15,000 = 0.98333… → ROUNDDOWN 0.98 (execution part, ×1 分); + policy 1 (default) = 1.98
    assert_score(SCORE_PROCUREMENT(PROCUREMENT_ACTUAL, PROCUREMENT_PLANNED), "1.98")


def test_procurement_seed_typed_as_text_amounts():
    assert_score(SCORE_PROCUREMENT("14,750", "15,000"), "1.98")


def test_procurement_seed_note_is_the_seed_sentence():
    # 14,750/15,000 = 98.333…% → displayed 98.33%; 2 − 1.98 = 0.02 deducted
    assert (
        SCORE_PROCUREMENT_NOTE(PROCUREMENT_ACTUAL, PROCUREMENT_PLANNED)
        == "政府采购执行率=（14,750/15,000）×100%=98.33%，得1.98分，扣0.02分"
    )


# ---------------------------------------------------------------- 公用经费控制率 5
def test_daily_public_funds_part_scores_2():
    # 40,551,421.71/40,588,517 = 0.999086… : 90% ≤ rate ≤ 100% → 2
    assert_score(SCORE_COST_CONTROL(DAILY_ACTUAL, DAILY_BUDGET), "2")


def test_sangong_part_scores_3():
    # 30,000/61,000 = 0.4918 < 90% → 3
    assert_score(SCORE_COST_CONTROL(SANGONG_ACTUAL, SANGONG_BUDGET), "3")


def test_public_funds_seed_scores_5():
    # 三公 3 + 日常 2 = 5
    assert_score(SCORE_PUBLIC_FUNDS(SANGONG_ACTUAL, SANGONG_BUDGET, DAILY_ACTUAL, DAILY_BUDGET), "5")


@pytest.mark.parametrize("sangong_actual", [0, 1, 30000, 54899])
def test_public_funds_any_sangong_below_90_percent(sangong_actual):
    # 90% of 61,000 = 54,900; anything below it (incl. nothing spent) is the 3-point tier
    assert_score(SCORE_PUBLIC_FUNDS(sangong_actual, SANGONG_BUDGET, DAILY_ACTUAL, DAILY_BUDGET), "5")


def test_public_funds_note_shows_the_daily_rate_like_the_seed():
    note = SCORE_PUBLIC_FUNDS_NOTE(SANGONG_ACTUAL, SANGONG_BUDGET, DAILY_ACTUAL, DAILY_BUDGET)
    # seed: 日常公用经费控制率=40,551,421.71/40,588,517=99.91%  (99.9086% rounded half-up)
    assert "99.91%" in note
    assert "得5分" in note and "扣1分" in note


# ---------------------------------------------------------------- 预算执行率 5.99
# cumulative: Q1 46,666,000; Q2 64,107,700; Q3 89,707,300; Q4 91,336,200
# rate1 = 46,666,000/(91,471,549.43×25%)  = 2.0406… → min 1
# rate2 = 64,107,700/(91,471,549.43×50%)  = 1.4016… → min 1
# rate3 = 89,707,300/(91,471,549.43×75%)  = 1.3076… → min 1
# rate4 = 91,336,200/(91,471,549.43×100%) = 0.99852… → 0.99 (truncated)
# year  = min(avg(2.0406, 1.4016, 1.3076, 0.9985)×2, 2) = min(2.87…, 2) = 2
# total = 1 + 1 + 1 + 0.99 + 2 = 5.99
@pytest.mark.parametrize(
    "spending",
    [
        QUARTERS,  # 1-D list
        [[46666000], [17441700], [25599600], [1628900]],  # a column: 2-D list of rows
        [[46666000, 17441700, 25599600, 1628900]],  # a row: 2-D list with one row
    ],
    ids=["list", "column", "row"],
)
def test_quarterly_seed_scores_5_99(spending):
    assert_score(SCORE_QUARTERLY(spending, BUDGET), "5.99")


def test_quarterly_seed_as_cumulative_amounts():
    # the report's own Q4 figure: 四季度预算执行率得分=91336172.21/91471549.43×1=0.99 (0.998519…)
    cumulative = [46666000, 64107700, 89707300, 91336172.21]
    assert_score(SCORE_QUARTERLY(cumulative, BUDGET, True), "5.99")


def test_quarterly_seed_note():
    note = SCORE_QUARTERLY_NOTE(QUARTERS, BUDGET)
    assert "得5.99分" in note and "扣0.01分" in note


# ---------------------------------------------------------------- the whole table
def _seed_table():
    """(一级指标, 三级指标, score, published) for the 21 third-level indicators."""
    return [
        # 部门决策 25
        ("部门决策", "预算编制合理性", SCORE_CHECKLIST(["是", "是", "是", "是", "是"]), "5"),
        ("部门决策", "预算编制规范性", SCORE_DEDUCT(5, 0), "5"),
        ("部门决策", "绩效目标完整性", SCORE_DEDUCT(8, 0), "8"),
        ("部门决策", "绩效指标明确性", SCORE_CHECKLIST([True] * 5, [2, 2, 1, 1, 1]), "7"),
        # 部门管理 20 → 19.98
        ("部门管理", "政府采购执行情况", SCORE_PROCUREMENT(PROCUREMENT_ACTUAL, PROCUREMENT_PLANNED), "1.98"),
        # 调整调剂 1,200,000/91,471,549.43 = 1.3% ≤ 10% → 1; payment 1; accounting 1
        ("部门管理", "财务合规性", SCORE_FIN_COMPLIANCE("是", 1200000, BUDGET, "是"), "3"),
        ("部门管理", "预决算信息公开", SCORE_DISCLOSURE("按规定公开", "按规定公开"), "3"),
        ("部门管理", "项目实施程序", SCORE_CHECKLIST(["符合", "符合"]), "2"),
        ("部门管理", "项目监管", SCORE_CHECKLIST([1, 1]), "2"),
        ("部门管理", "资产管理安全性", SCORE_CHECKLIST([True, True]), "2"),
        # 950,000/1,000,000 = 95% ≥ 90% → 1
        ("部门管理", "固定资产利用率", SCORE_ASSET_UTILIZATION(950000, 1000000), "1"),
        # 9/13 = 69% ≤ 100% → 1
        ("部门管理", "财政供养人员控制率", SCORE_STAFF_CONTROL(IN_POST, AUTHORIZED), "1"),
        # no 劳务派遣 staff: 0/(9+0) = 0% < 5% → 1.  (The report's 4 雇员 paid from 基本支出 are
        # not counted here: 4/13 = 30.8% would score 0, yet the report publishes 1.)
        ("部门管理", "编外人员控制率", SCORE_CONTRACT_STAFF(0, IN_POST), "1"),
        ("部门管理", "管理制度健全性", SCORE_CHECKLIST(["有", "是", "已完成"], [0.5, 1.5, 1]), "3"),
        # 部门绩效 55 → 53.99
        ("部门绩效", "公用经费控制率", SCORE_PUBLIC_FUNDS(SANGONG_ACTUAL, SANGONG_BUDGET, DAILY_ACTUAL, DAILY_BUDGET), "5"),
        ("部门绩效", "预算执行率", SCORE_QUARTERLY(QUARTERS, BUDGET), "5.99"),
        ("部门绩效", "重点工作完成情况", SCORE_DEDUCT(8, 0, 4), "8"),
        ("部门绩效", "项目完成及时性", SCORE_RATIO(12, 12, 6), "6"),
        # 三个方面: 调处劳资纠纷 1,513 宗 / 慰问困难职工 275 户 / 金秋助学 68 名, targets met or exceeded
        ("部门绩效", "社会、经济、生态效益", SCORE_TARGETS([1513, 275, 68], [1500, 275, 60]), "20"),
        ("部门绩效", "群众信访办理情况", SCORE_PETITIONS(True, 299, 299, 299), "3"),
        ("部门绩效", "公众或服务对象满意度", SCORE_SATISFACTION(0.96), "6"),
    ]


def test_the_table_has_21_third_level_indicators():
    assert len(_seed_table()) == 21


@pytest.mark.parametrize("row", range(21))
def test_each_third_level_score_matches_the_published_one(row):
    level1, name, got, published = _seed_table()[row]
    assert_score(got, published)


def test_first_level_subtotals():
    totals = {}
    for level1, _, got, _ in _seed_table():
        assert isinstance(got, (int, float)) and not isinstance(got, bool), got
        totals[level1] = totals.get(level1, Decimal(0)) + Decimal(str(got))
    assert totals == {
        "部门决策": Decimal("25"),
        "部门管理": Decimal("19.98"),
        "部门绩效": Decimal("53.99"),
    }


def test_total_is_98_97_and_grade_is_you():
    total = Decimal(0)
    for _, _, got, _ in _seed_table():
        assert isinstance(got, (int, float)) and not isinstance(got, bool), got
        total += Decimal(str(got))
    assert total == Decimal("98.97")
    assert SCORE_GRADE(98.97) == "优"
    assert SCORE_GRADE(float(total)) == "优"
