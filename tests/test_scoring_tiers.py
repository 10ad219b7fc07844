"""Scoring one indicator at a time: both sides of every tier edge, zero and blank inputs and
the over-limit rules of the 龙岗区 2020 indicator functions (shared/spec/functions.md).

Each expected value is derived by hand from the rule text; the arithmetic is in the comments.
"""

from decimal import Decimal

import pytest

from scoring_assertions import assert_score
from udfs import (
    SCORE_ASSET_UTILIZATION,
    SCORE_CONTRACT_STAFF,
    SCORE_COST_CONTROL,
    SCORE_DISCLOSURE,
    SCORE_FIN_COMPLIANCE,
    SCORE_PETITIONS,
    SCORE_PROCUREMENT,
    SCORE_PUBLIC_FUNDS,
    SCORE_QUARTERLY,
    SCORE_SATISFACTION,
    SCORE_STAFF_CONTROL,
    SCORE_TARGETS,
)




# ====================================================================== 政府采购执行情况 (2)
class TestProcurement:
    @pytest.mark.parametrize(
        "actual, planned, expected",
        [
            (15000, 15000, "2"),  # 1 + 1
            (14750, 15000, "1.98"),  # 0.98333 → 0.98, + 1
            (14999, 15000, "1.99"),  # 0.99993 → 0.99 (truncated, not rounded to 1), + 1
            (7500, 15000, "1.5"),  # 0.5 + 1
            (0, 15000, "1"),  # nothing bought: 0 + 1
            (15001, 15000, "1"),  # actual > planned → execution part 0, + 1
            (30000, 15000, "1"),
            (57, 100, "1.57"),  # exact 0.57, + 1
        ],
    )
    def test_execution_part_plus_default_policy(self, actual, planned, expected):
        assert_score(SCORE_PROCUREMENT(actual, planned), expected)

    @pytest.mark.parametrize(
        "policy, expected",
        [
            (1, "1.98"),
            (True, "1.98"),
            ("是", "1.98"),
            (0, "0.98"),
            (False, "0.98"),
            ("否", "0.98"),
            (0.5, "1.48"),  # 酌情扣分: 0.98 + 0.5
            (0.8, "1.78"),
            (None, "1.98"),  # blank optional → default 1
            ("", "1.98"),
        ],
    )
    def test_policy_part(self, policy, expected):
        assert_score(SCORE_PROCUREMENT(14750, 15000, policy), expected)

    @pytest.mark.parametrize("policy", [1.5, 2, -0.5])
    def test_policy_out_of_range(self, policy):
        assert SCORE_PROCUREMENT(14750, 15000, policy) == "#VALUE!"

    def test_over_plan_with_no_policy(self):
        assert_score(SCORE_PROCUREMENT(15001, 15000, 0), "0")

    def test_zero_plan_zero_actual(self):
        assert SCORE_PROCUREMENT(0, 0) == "#DIV/0!"

    def test_zero_plan_some_actual_is_over_plan(self):
        # actual > planned → execution part 0; + policy 1
        assert_score(SCORE_PROCUREMENT(100, 0), "1")

    def test_blank_inputs(self):
        assert SCORE_PROCUREMENT(None, 15000) == "#N/A"
        assert SCORE_PROCUREMENT(14750, None) == "#N/A"
        assert SCORE_PROCUREMENT("", 15000) == "#N/A"

    def test_negative_amounts(self):
        assert SCORE_PROCUREMENT(-1, 15000) == "#VALUE!"
        assert SCORE_PROCUREMENT(14750, -15000) == "#VALUE!"


# ====================================================================== 财务合规性 (3)
class TestFinCompliance:
    @pytest.mark.parametrize(
        "adjusted, budget, expected",
        [
            (0, 100, "3"),  # 0% ≤ 10% → 1; 1 + 1 + 1
            (10, 100, "3"),  # exactly 10% → 1
            (10.5, 100, "2.95"),  # 10.5%: 0.5 pp over × 0.1 = 0.05 → 0.95; 1 + 0.95 + 1
            (11, 100, "2.9"),  # 1 pp over → 0.9 (floats: 2 − 10×0.11 = 0.8999… → 0.89)
            (15, 100, "2.5"),  # 5 pp over → 0.5
            (1234, 10000, "2.76"),  # 12.34%: 2.34 pp × 0.1 = 0.234 → 0.766 → 0.76
            (19.99, 100, "2"),  # 9.99 pp × 0.1 = 0.999 → 0.001 → 0.00
            (20, 100, "2"),  # 10 pp over → 0
            (25, 100, "2"),  # floor 0
            (100, 100, "2"),
        ],
    )
    def test_adjustment_part(self, adjusted, budget, expected):
        assert_score(SCORE_FIN_COMPLIANCE(1, adjusted, budget, 1), expected)

    def test_adjustment_exactly_ten_percent_with_decimal_amounts(self):
        # 0.527/5.27 = 10% exactly (the float quotient is 0.10000000000000002)
        assert_score(SCORE_FIN_COMPLIANCE(1, 0.527, 5.27, 1), "3")

    @pytest.mark.parametrize(
        "payment_ok, accounting_ok, expected",
        [
            (True, True, "3"),
            ("是", "是", "3"),
            (False, True, "2"),
            ("否", "否", "1"),
            (0.5, 1, "2.5"),  # 酌情扣分 0.5 + 1 + 1
            (1, 0.8, "2.8"),
            (0, 0, "1"),
        ],
    )
    def test_payment_and_accounting_parts(self, payment_ok, accounting_ok, expected):
        assert_score(SCORE_FIN_COMPLIANCE(payment_ok, 5, 100, accounting_ok), expected)

    @pytest.mark.parametrize("violation", [True, "是", 1, "有"])
    def test_any_violation_scores_zero(self, violation):
        assert_score(SCORE_FIN_COMPLIANCE(1, 5, 100, 1, violation), "0")

    @pytest.mark.parametrize("violation", [False, "否", 0, "无", None, ""])
    def test_no_violation(self, violation):
        assert_score(SCORE_FIN_COMPLIANCE(1, 5, 100, 1, violation), "3")

    def test_blank_required_inputs(self):
        assert SCORE_FIN_COMPLIANCE(None, 5, 100, 1) == "#N/A"
        assert SCORE_FIN_COMPLIANCE(1, None, 100, 1) == "#N/A"
        assert SCORE_FIN_COMPLIANCE(1, 5, None, 1) == "#N/A"
        assert SCORE_FIN_COMPLIANCE(1, 5, 100, None) == "#N/A"

    def test_part_out_of_range(self):
        assert SCORE_FIN_COMPLIANCE(1.5, 5, 100, 1) == "#VALUE!"

    def test_negative_amount(self):
        assert SCORE_FIN_COMPLIANCE(1, -5, 100, 1) == "#VALUE!"


# ====================================================================== 预决算信息公开 (3)
class TestDisclosure:
    @pytest.mark.parametrize(
        "budget_status, final_status, expected",
        [
            ("按规定公开", "按规定公开", "3"),  # 1.5 + 1.5
            ("按规定公开", "公开但不符合要求", "2.5"),  # 1.5 + 1
            ("公开但不符合要求", "公开但不符合要求", "2"),  # 1 + 1
            ("未公开", "按规定公开", "1.5"),  # 0 + 1.5
            ("未公开", "公开但不符合要求", "1"),
            ("未公开", "未公开", "0"),
            (2, 2, "3"),
            (2, 1, "2.5"),
            (1, 1, "2"),
            (0, 2, "1.5"),
            (0, 0, "0"),
            ("按规定公开", 1, "2.5"),
        ],
    )
    def test_statuses(self, budget_status, final_status, expected):
        assert_score(SCORE_DISCLOSURE(budget_status, final_status), expected)

    @pytest.mark.parametrize("exempt", [True, "是", 1])
    def test_classified_department_scores_full(self, exempt):
        assert_score(SCORE_DISCLOSURE("未公开", "未公开", exempt), "3")

    def test_classified_department_need_not_fill_statuses(self):
        # 涉密部门（单位）按规定不需要公开相关预决算信息的直接得分
        assert_score(SCORE_DISCLOSURE(None, None, True), "3")

    @pytest.mark.parametrize("exempt", [False, "否", 0, None, ""])
    def test_not_exempt(self, exempt):
        assert_score(SCORE_DISCLOSURE(2, 1, exempt), "2.5")

    @pytest.mark.parametrize("status", [3, -1, 1.5, "已公开了", "abc"])
    def test_unknown_status(self, status):
        assert SCORE_DISCLOSURE(status, 2) == "#VALUE!"

    def test_blank_status(self):
        assert SCORE_DISCLOSURE(None, 2) == "#N/A"
        assert SCORE_DISCLOSURE(2, "") == "#N/A"


# ====================================================================== 固定资产利用率 (1)
class TestAssetUtilization:
    @pytest.mark.parametrize(
        "in_use, total, expected",
        [
            (10000, 10000, "1"),
            (9000, 10000, "1"),  # 90.00% ≥ 90%
            (8999, 10000, "0.7"),  # 89.99%
            (7500, 10000, "0.7"),  # 75.00%
            (7499, 10000, "0.4"),  # 74.99%
            (6000, 10000, "0.4"),  # 60.00%
            (5999, 10000, "0"),  # 59.99%
            (0, 10000, "0"),
        ],
    )
    def test_tier_edges(self, in_use, total, expected):
        assert_score(SCORE_ASSET_UTILIZATION(in_use, total), expected)

    @pytest.mark.parametrize(
        "in_use, total, expected",
        [
            (36529665.3, 40588517, "1"),  # exactly 90% (float quotient 0.8999999999999999)
            (749.9925, 999.99, "0.7"),  # exactly 75% (float 0.7499999999999999)
            (9.225, 12.3, "0.7"),  # exactly 75%
            (3.288, 5.48, "0.4"),  # exactly 60% (float 0.5999999999999999)
        ],
    )
    def test_exact_edges_with_decimal_amounts(self, in_use, total, expected):
        assert_score(SCORE_ASSET_UTILIZATION(in_use, total), expected)

    def test_in_use_above_total(self):
        assert SCORE_ASSET_UTILIZATION(10001, 10000) == "#VALUE!"

    def test_no_assets(self):
        assert SCORE_ASSET_UTILIZATION(0, 0) == "#DIV/0!"

    def test_blank(self):
        assert SCORE_ASSET_UTILIZATION(None, 10000) == "#N/A"
        assert SCORE_ASSET_UTILIZATION(9000, "") == "#N/A"


# ====================================================================== 财政供养人员控制率 (1)
class TestStaffControl:
    @pytest.mark.parametrize(
        "in_post, authorized, expected",
        [
            (9, 13, "1"),  # seed: 69%
            (13, 13, "1"),  # 100% ≤ 100%
            (14, 13, "0"),  # 107.7%
            (10000, 10000, "1"),  # 100.00%
            (10001, 10000, "0"),  # 100.01%
            (0, 13, "1"),
        ],
    )
    def test_edges(self, in_post, authorized, expected):
        assert_score(SCORE_STAFF_CONTROL(in_post, authorized), expected)

    @pytest.mark.parametrize("in_post, authorized", [(9.5, 13), (9, 13.5), (-1, 13), (9, -13)])
    def test_headcounts_must_be_whole_and_not_negative(self, in_post, authorized):
        assert SCORE_STAFF_CONTROL(in_post, authorized) == "#VALUE!"

    def test_blank(self):
        assert SCORE_STAFF_CONTROL(None, 13) == "#N/A"
        assert SCORE_STAFF_CONTROL(9, None) == "#N/A"


# ====================================================================== 编外人员控制率 (1)
class TestContractStaff:
    @pytest.mark.parametrize(
        "contract, established, expected",
        [
            (0, 9, "1"),  # 0%
            (499, 9501, "1"),  # 499/10000 = 4.99% < 5%
            (5, 95, "0.5"),  # 5/100 = 5% (both included)
            (1, 19, "0.5"),  # 1/20 = 5%
            (8, 92, "0.5"),
            (10, 90, "0.5"),  # 10/100 = 10% (both included)
            (1, 9, "0.5"),  # 1/10 = 10%
            (1001, 8999, "0"),  # 1001/10000 = 10.01% > 10%
            (4, 9, "0"),  # 4/13 = 30.8%
            (3, 0, "0"),  # 3/3 = 100%
        ],
    )
    def test_edges(self, contract, established, expected):
        # rate = contract / (established + contract)
        assert_score(SCORE_CONTRACT_STAFF(contract, established), expected)

    def test_no_staff_at_all(self):
        assert SCORE_CONTRACT_STAFF(0, 0) == "#DIV/0!"

    @pytest.mark.parametrize("contract, established", [(0.5, 9), (1, 9.5), (-1, 9)])
    def test_headcounts_must_be_whole_and_not_negative(self, contract, established):
        assert SCORE_CONTRACT_STAFF(contract, established) == "#VALUE!"

    def test_blank(self):
        assert SCORE_CONTRACT_STAFF(None, 9) == "#N/A"
        assert SCORE_CONTRACT_STAFF(0, "") == "#N/A"


# ====================================================================== 公用经费控制率 (6 = 3 + 3)
class TestCostControl:
    @pytest.mark.parametrize(
        "actual, budget, expected",
        [
            (0, 10000, "3"),
            (8999, 10000, "3"),  # 89.99% < 90%
            (9000, 10000, "2"),  # 90%
            (9999, 10000, "2"),
            (10000, 10000, "2"),  # 100%
            (10001, 10000, "0"),  # 100.01%
            (0, 0, "3"),  # budget 0 and actual 0 → 3
            (5, 0, "0"),  # budget 0 and actual > 0 → 0
            (40551421.71, 40588517, "2"),  # seed 99.91%
            (36529665.3, 40588517, "2"),  # exactly 90% (float quotient 0.8999999999999999 would give 3)
        ],
    )
    def test_edges(self, actual, budget, expected):
        assert_score(SCORE_COST_CONTROL(actual, budget), expected)

    @pytest.mark.parametrize(
        "actual, full, expected",
        [
            (5000, 6, "6"),  # < 90% → full
            (9500, 6, "4"),  # middle tier: 6 × 2/3 = 4
            (10001, 6, "0"),
            (9500, 1, "0.66"),  # 1 × 2/3 = 0.666… → 0.66
            (9500, 1.5, "1"),  # 1.5 × 2/3 = 1
            (9500, 3, "2"),
            (9500, None, "2"),  # blank optional → 3
            (9500, "", "2"),
        ],
    )
    def test_other_full_points(self, actual, full, expected):
        assert_score(SCORE_COST_CONTROL(actual, 10000, full), expected)

    def test_blank(self):
        assert SCORE_COST_CONTROL(None, 10000) == "#N/A"
        assert SCORE_COST_CONTROL(9000, None) == "#N/A"

    def test_negative(self):
        assert SCORE_COST_CONTROL(-1, 10000) == "#VALUE!"


class TestPublicFunds:
    @pytest.mark.parametrize(
        "sangong, daily, expected",
        [
            ((30000, 61000), (40551421.71, 40588517), "5"),  # 3 + 2
            ((0, 61000), (0, 100), "6"),  # 3 + 3
            ((61000, 61000), (100, 100), "4"),  # 2 + 2
            ((61001, 61000), (100, 100), "2"),  # 0 + 2
            ((54900, 61000), (101, 100), "2"),  # 90% → 2, 101% → 0
            ((54899, 61000), (89, 100), "6"),  # 89.998% → 3, 89% → 3
            ((0, 0), (0, 0), "6"),  # nothing budgeted, nothing spent
            ((1, 0), (1, 0), "0"),
        ],
    )
    def test_two_parts(self, sangong, daily, expected):
        assert_score(SCORE_PUBLIC_FUNDS(sangong[0], sangong[1], daily[0], daily[1]), expected)

    def test_blank(self):
        assert SCORE_PUBLIC_FUNDS(None, 61000, 100, 100) == "#N/A"
        assert SCORE_PUBLIC_FUNDS(30000, 61000, 100, None) == "#N/A"


# ====================================================================== 预算执行率 (6)
class TestQuarterly:
    def test_even_spending_is_full_marks(self):
        # cumulative 25, 50, 75, 100 of 100: each rate 1 → 4 × 1 + min(1 × 2, 2) = 6
        assert_score(SCORE_QUARTERLY([25, 25, 25, 25], 100), "6")

    def test_uniformly_slow(self):
        # cumulative 10, 20, 30, 40: rates 0.4 each → 4 × 0.4 + 0.4 × 2 = 1.6 + 0.8 = 2.4
        assert_score(SCORE_QUARTERLY([10, 10, 10, 10], 100), "2.4")

    def test_eighty_percent(self):
        # cumulative 20, 40, 60, 80 → rates 0.8 → 3.2 + 1.6 = 4.8
        assert_score(SCORE_QUARTERLY([20, 20, 20, 20], 100), "4.8")

    def test_year_uses_uncapped_rates(self):
        # cumulative 30, 30, 30, 40 → rates 30/25 = 1.2, 30/50 = 0.6, 30/75 = 0.4, 40/100 = 0.4
        # quarters 1 + 0.6 + 0.4 + 0.4 = 2.4 ; year (1.2+0.6+0.4+0.4)/4 × 2 = 0.65 × 2 = 1.3 ; total 3.7
        # (capping the rates first would give year 1.2 and total 3.6)
        assert_score(SCORE_QUARTERLY([30, 0, 0, 10], 100), "3.7")

    def test_year_capped_at_two(self):
        # cumulative 50, 50, 50, 80 → rates 2, 1, 0.6667, 0.8
        # quarters 1 + 1 + 0.66 + 0.8 = 3.46 ; year min((2+1+0.6667+0.8)/4 × 2, 2) = min(2.2333, 2) = 2
        # total 5.46
        assert_score(SCORE_QUARTERLY([50, 0, 0, 30], 100), "5.46")

    def test_each_part_truncated(self):
        # cumulative 0, 0, 0, 99.9 → rates 0, 0, 0, 0.999
        # quarters 0 + 0 + 0 + 0.99 ; year 0.999/4 × 2 = 0.4995 → 0.49 ; total 1.48
        assert_score(SCORE_QUARTERLY([0, 0, 0, 99.9], 100), "1.48")

    def test_nothing_spent(self):
        assert_score(SCORE_QUARTERLY([0, 0, 0, 0], 100), "0")

    def test_overspending(self):
        # cumulative 25, 50, 75, 105 → rates 1, 1, 1, 1.05 → 4 + min(4.05/4 × 2, 2) = 6
        assert_score(SCORE_QUARTERLY([25, 25, 25, 30], 100), "6")

    def test_cumulative_amounts(self):
        # same as [30, 0, 0, 10] above
        assert_score(SCORE_QUARTERLY([30, 30, 30, 40], 100, True), "3.7")
        assert_score(SCORE_QUARTERLY([25, 50, 75, 100], 100, True), "6")
        # cumulative 20, 40, 60, 80 → 4.8
        assert_score(SCORE_QUARTERLY([20, 40, 60, 80], 100, True), "4.8")

    def test_cumulative_false_or_blank(self):
        assert_score(SCORE_QUARTERLY([20, 20, 20, 20], 100, False), "4.8")
        assert_score(SCORE_QUARTERLY([20, 20, 20, 20], 100, None), "4.8")
        assert_score(SCORE_QUARTERLY([20, 20, 20, 20], 100, ""), "4.8")

    def test_zero_budget(self):
        assert SCORE_QUARTERLY([0, 0, 0, 0], 0) == "#DIV/0!"

    def test_wrong_number_of_quarters(self):
        assert SCORE_QUARTERLY([25, 25, 25], 100) == "#VALUE!"
        assert SCORE_QUARTERLY([25, 25, 25, 25, 25], 100) == "#VALUE!"

    def test_blank_quarter(self):
        assert SCORE_QUARTERLY([25, None, 25, 25], 100) == "#N/A"

    def test_blank_budget(self):
        assert SCORE_QUARTERLY([25, 25, 25, 25], None) == "#N/A"

    def test_negative_quarter(self):
        assert SCORE_QUARTERLY([25, -5, 25, 25], 100) == "#VALUE!"


# ====================================================================== 社会、经济、生态效益 (20)
class TestTargets:
    def test_all_met(self):
        assert_score(SCORE_TARGETS([100, 50, 30], [100, 50, 30]), "20")

    def test_three_equal_targets_all_met_is_twenty(self):
        # truncate once: (1 + 1 + 1)/3 × 20 = 20, not 3 × 6.66 = 19.98
        assert_score(SCORE_TARGETS([1, 1, 1], [1, 1, 1]), "20")
        assert_score(SCORE_TARGETS([1, 1, 1], [1, 1, 1], [1, 1, 1]), "20")

    def test_exceeding_is_capped(self):
        # min(200/100, 1) = 1 ; (1 + 0.5)/2 × 20 = 15
        assert_score(SCORE_TARGETS([200, 50], [100, 100]), "15")

    def test_one_target_short(self):
        # (0.9 + 1 + 1)/3 × 20 = 2.9/3 × 20 = 19.333… → 19.33
        assert_score(SCORE_TARGETS([90, 100, 100], [100, 100, 100]), "19.33")

    def test_truncated_once(self):
        # (1/3 + 1/3 + 2/3)/3 = 4/9 ; × 20 = 8.888… → 8.88
        assert_score(SCORE_TARGETS([1, 1, 2], [3, 3, 3]), "8.88")

    def test_weights(self):
        # (3 × 0.8 + 1 × 1)/(3 + 1) = 3.4/4 = 0.85 ; × 20 = 17
        assert_score(SCORE_TARGETS([80, 100], [100, 100], [3, 1]), "17")

    def test_fractional_weights(self):
        # 0.5 × 1 + 0.3 × 0.5 + 0.2 × 1 = 0.85 ; × 20 = 17 (floats: 0.8500000000000001)
        assert_score(SCORE_TARGETS([100, 50, 100], [100, 100, 100], [0.5, 0.3, 0.2]), "17")

    def test_other_full(self):
        # 50/100 × 10 = 5
        assert_score(SCORE_TARGETS([50], [100], None, 10), "5")
        # 57/100 × 1 = 0.57 exactly
        assert_score(SCORE_TARGETS([57], [100], None, 1), "0.57")

    def test_blank_optional_arguments(self):
        assert_score(SCORE_TARGETS([90, 100, 100], [100, 100, 100], None, None, None), "19.33")
        assert_score(SCORE_TARGETS([90, 100, 100], [100, 100, 100], "", "", ""), "19.33")

    @pytest.mark.parametrize("direction", ["≤", -1])
    def test_lower_is_better(self, direction):
        # min(100/120, 1) = 0.8333… ; × 20 = 16.666… → 16.66
        assert_score(SCORE_TARGETS([120], [100], None, 20, [direction]), "16.66")
        # met: min(100/80, 1) = 1 → 20
        assert_score(SCORE_TARGETS([80], [100], None, 20, [direction]), "20")
        # actual 0 → 1
        assert_score(SCORE_TARGETS([0], [100], None, 20, [direction]), "20")

    def test_mixed_directions(self):
        # ≥: 90/100 = 0.9 ; ≤: 100/120 = 0.8333… ; mean 0.866… × 20 = 17.333… → 17.33
        assert_score(SCORE_TARGETS([90, 120], [100, 100], None, 20, ["≥", "≤"]), "17.33")
        assert_score(SCORE_TARGETS([90, 120], [100, 100], None, 20, [1, -1]), "17.33")

    def test_zero_target_when_higher_is_better(self):
        assert SCORE_TARGETS([5], [0]) == "#DIV/0!"

    def test_mismatched_sizes(self):
        assert SCORE_TARGETS([1, 2, 3], [1, 2]) == "#VALUE!"
        assert SCORE_TARGETS([1, 2], [1, 2], [1, 1, 1]) == "#VALUE!"

    def test_blank_actual(self):
        assert SCORE_TARGETS([1, None, 3], [1, 2, 3]) == "#N/A"
        assert SCORE_TARGETS(None, [1, 2, 3]) == "#N/A"

    def test_column_ranges(self):
        assert_score(SCORE_TARGETS([[90], [100], [100]], [[100], [100], [100]]), "19.33")


# ====================================================================== 群众信访办理情况 (3)
class TestPetitions:
    @pytest.mark.parametrize(
        "channel, received, replied, on_time, expected",
        [
            (True, 299, 299, 299, "3"),  # 1 + 1 + 1
            (True, 10, 10, 9, "2"),  # one reply late
            (True, 10, 9, 9, "1"),  # one not replied, so not all on time either
            (False, 10, 10, 10, "2"),  # no channel
            (False, 10, 0, 0, "0"),
            (True, 0, 0, 0, "3"),  # no petitions: 1 + 1 + 1
            ("有", 0, 0, 0, "3"),
            ("无", 0, 0, 0, "2"),
            (0.5, 10, 10, 10, "2.5"),  # channel 酌情扣分
        ],
    )
    def test_parts(self, channel, received, replied, on_time, expected):
        assert_score(SCORE_PETITIONS(channel, received, replied, on_time), expected)

    def test_more_replied_than_received(self):
        assert SCORE_PETITIONS(True, 10, 11, 10) == "#VALUE!"

    def test_more_on_time_than_replied(self):
        assert SCORE_PETITIONS(True, 10, 9, 10) == "#VALUE!"

    @pytest.mark.parametrize("received", [1.5, -1])
    def test_counts_must_be_whole_and_not_negative(self, received):
        assert SCORE_PETITIONS(True, received, 0, 0) == "#VALUE!"

    def test_blank(self):
        assert SCORE_PETITIONS(None, 10, 10, 10) == "#N/A"
        assert SCORE_PETITIONS(True, None, 10, 10) == "#N/A"
        assert SCORE_PETITIONS(True, 10, 10, "") == "#N/A"


# ====================================================================== 满意度 (6)
class TestSatisfaction:
    @pytest.mark.parametrize(
        "rate, expected",
        [
            (1, "6"),
            (0.96, "6"),
            (0.95, "6"),  # ≥ 95%
            (0.9499, "4"),  # 94.99%
            (0.9, "4"),  # ≥ 90%
            (0.8999, "2"),
            (0.8, "2"),  # ≥ 80%
            (0.7999, "1"),
            (0, "1"),  # < 80% still 1
        ],
    )
    def test_tiers(self, rate, expected):
        assert_score(SCORE_SATISFACTION(rate), expected)

    @pytest.mark.parametrize("rate", [1.0001, 1.5, 2])
    def test_above_hundred_percent(self, rate):
        assert SCORE_SATISFACTION(rate) == "#VALUE!"

    def test_negative(self):
        assert SCORE_SATISFACTION(-0.1) == "#VALUE!"

    def test_blank(self):
        assert SCORE_SATISFACTION(None) == "#N/A"
        assert SCORE_SATISFACTION("") == "#N/A"
