"""The generic building blocks a user combines for indicators without a dedicated function:
SCORE_CHECKLIST, SCORE_DEDUCT, SCORE_RATIO, SCORE_TIERS, SCORE_GRADE.

Expected values are worked out by hand from shared/spec/functions.md; arithmetic in comments.
"""

from decimal import Decimal

import pytest

from scoring_assertions import assert_score
from udfs import (
    SCORE_CHECKLIST,
    SCORE_DEDUCT,
    SCORE_GRADE,
    SCORE_RATIO,
    SCORE_TIERS,
)




# ====================================================================== SCORE_CHECKLIST
class TestChecklist:
    def test_all_five_items_met(self):
        assert_score(SCORE_CHECKLIST([1, 1, 1, 1, 1]), "5")

    def test_one_item_missed(self):
        # 1+1+0+1+1
        assert_score(SCORE_CHECKLIST([1, 1, 0, 1, 1]), "4")

    def test_nothing_met(self):
        assert_score(SCORE_CHECKLIST(["否", "否"]), "0")

    def test_partial_credit_on_one_point_items(self):
        # 酌情扣分: 0.5 + 1 + 0.8
        assert_score(SCORE_CHECKLIST([0.5, 1, 0.8]), "2.3")

    def test_indicator_clarity_points_2_2_1_1_1_all_yes(self):
        # 绩效指标明确性: 2+2+1+1+1
        assert_score(SCORE_CHECKLIST(["是"] * 5, [2, 2, 1, 1, 1]), "7")

    def test_one_on_a_two_point_item_is_one_point(self):
        # contract: "1 on a 2-point item is one point; TRUE or 是 is full marks"
        # 1 + 1 + 1 + 1 + 1 = 5, not 7
        assert_score(SCORE_CHECKLIST([1, 1, 1, 1, 1], [2, 2, 1, 1, 1]), "5")

    def test_true_and_shi_on_two_point_items_are_full_marks(self):
        # TRUE → 2, 是 → 2, then 1+1+1
        assert_score(SCORE_CHECKLIST([True, "是", 1, 1, 1], [2, 2, 1, 1, 1]), "7")

    def test_partial_points_on_two_point_items(self):
        # 2 + 1.5 + 0.5 + 1 + 0 = 5
        assert_score(SCORE_CHECKLIST([2, 1.5, 0.5, 1, 0], [2, 2, 1, 1, 1]), "5")

    def test_management_rules_points_half_one_and_half_one(self):
        # 管理制度健全性 0.5 / 1.5 / 1 — all yes → 3
        assert_score(SCORE_CHECKLIST([True, True, True], [0.5, 1.5, 1]), "3")

    def test_management_rules_ones(self):
        # 1 on a 0.5-point item is "yes" (p ≤ 1) → 0.5; 1 on a 1.5-point item is 1 point; 1 on 1 → 1
        # 0.5 + 1 + 1 = 2.5
        assert_score(SCORE_CHECKLIST([1, 1, 1], [0.5, 1.5, 1]), "2.5")

    def test_management_rules_partial(self):
        # 0.3 (≤ 0.5) + 是 on 1.5 → 1.5 + 1 = 2.8
        assert_score(SCORE_CHECKLIST([0.3, "是", 1], [0.5, 1.5, 1]), "2.8")

    def test_number_above_a_small_item_is_rejected(self):
        # 0.7 on a 0.5-point item: not 1/0 and not within [0, 0.5] → #VALUE!
        assert SCORE_CHECKLIST([0.7, 1, 1], [0.5, 1.5, 1]) == "#VALUE!"

    def test_number_above_a_one_point_item_is_rejected(self):
        assert SCORE_CHECKLIST([1.5, 1]) == "#VALUE!"

    def test_number_above_a_two_point_item_is_rejected(self):
        assert SCORE_CHECKLIST([2.5, 1, 1, 1, 1], [2, 2, 1, 1, 1]) == "#VALUE!"

    def test_negative_item_is_rejected(self):
        assert SCORE_CHECKLIST([-1, 1]) == "#VALUE!"

    def test_unknown_word_is_rejected(self):
        assert SCORE_CHECKLIST(["也许", 1]) == "#VALUE!"

    def test_mismatched_points_size(self):
        assert SCORE_CHECKLIST([1, 1, 1], [1, 1]) == "#VALUE!"
        assert SCORE_CHECKLIST([1, 1], [1, 1, 1]) == "#VALUE!"

    def test_column_and_row_ranges(self):
        assert_score(SCORE_CHECKLIST([[1], [1], [0], [1], [1]]), "4")
        assert_score(SCORE_CHECKLIST([[1, 1, 0, 1, 1]]), "4")

    def test_column_items_with_column_points(self):
        items = [["是"], ["是"], ["否"], ["是"], ["是"]]
        points = [[2], [2], [1], [1], [1]]
        # 2 + 2 + 0 + 1 + 1
        assert_score(SCORE_CHECKLIST(items, points), "6")

    def test_blank_points_means_one_each(self):
        assert_score(SCORE_CHECKLIST([1, 1, 1], None), "3")
        assert_score(SCORE_CHECKLIST([1, 1, 1], ""), "3")

    def test_a_blank_item_is_missing_input(self):
        # blank required input → #N/A (a total must never silently skip an unfilled item)
        assert SCORE_CHECKLIST([1, None, 1]) == "#N/A"
        assert SCORE_CHECKLIST([1, "", 1]) == "#N/A"

    def test_blank_items(self):
        assert SCORE_CHECKLIST(None) == "#N/A"
        assert SCORE_CHECKLIST("") == "#N/A"

    def test_exact_sum_of_partial_credits(self):
        # 0.7 + 0.1 + 0.1 = 0.9 exactly (binary floats give 0.8999999999999999 → 0.89)
        assert_score(SCORE_CHECKLIST([0.7, 0.1, 0.1]), "0.9")


# ====================================================================== SCORE_DEDUCT
class TestDeduct:
    @pytest.mark.parametrize(
        "full, count, expected",
        [
            (5, 0, "5"),  # 5 − 0
            (5, 1, "4"),  # 5 − 1
            (5, 4, "1"),
            (5, 5, "0"),  # 扣完为止
            (5, 6, "0"),  # max(0, 5 − 6)
            (8, 1, "7"),
            (8, 100, "0"),
        ],
    )
    def test_one_point_per_item(self, full, count, expected):
        assert_score(SCORE_DEDUCT(full, count), expected)

    @pytest.mark.parametrize(
        "count, expected",
        [(0, "8"), (1, "4"), (2, "0"), (3, "0")],  # 重点工作: 8 − 4×count, floor 0
    )
    def test_key_work_four_points_per_unfinished(self, count, expected):
        assert_score(SCORE_DEDUCT(8, count, 4), expected)

    def test_blank_per_item_means_one(self):
        assert_score(SCORE_DEDUCT(5, 2, None), "3")
        assert_score(SCORE_DEDUCT(5, 2, ""), "3")

    def test_fractional_per_item(self):
        # 3 − 1×0.5 = 2.5
        assert_score(SCORE_DEDUCT(3, 1, 0.5), "2.5")

    def test_exact_decimal_deduction(self):
        # 1 − 7×0.1 = 0.3 exactly (in binary floats 1 − 7*0.1 = 0.29999999999999993 → truncated 0.29)
        assert_score(SCORE_DEDUCT(1, 7, 0.1), "0.3")
        # 2 − 6×0.2 = 0.8 (floats: 0.7999999999999998)
        assert_score(SCORE_DEDUCT(2, 6, 0.2), "0.8")

    def test_count_as_whole_float(self):
        assert_score(SCORE_DEDUCT(5, 2.0), "3")

    @pytest.mark.parametrize("count", [1.5, -1, 0.1])
    def test_count_must_be_a_whole_number_at_least_zero(self, count):
        assert SCORE_DEDUCT(5, count) == "#VALUE!"

    def test_blank_count_is_missing(self):
        assert SCORE_DEDUCT(5, None) == "#N/A"
        assert SCORE_DEDUCT(5, "") == "#N/A"

    def test_blank_full_is_missing(self):
        assert SCORE_DEDUCT(None, 1) == "#N/A"

    def test_text_count(self):
        assert SCORE_DEDUCT(5, "两项") == "#VALUE!"


# ====================================================================== SCORE_RATIO
class TestRatio:
    def test_everything_completed(self):
        # 项目完成及时性: 12/12 × 6 = 6
        assert_score(SCORE_RATIO(12, 12, 6), "6")

    def test_partly_completed(self):
        # 10/12 × 6 = 5
        assert_score(SCORE_RATIO(10, 12, 6), "5")

    def test_truncated_not_rounded(self):
        # 11/12 × 6 = 5.5 ; 7/12 × 6 = 3.5 ; 5/7 × 6 = 4.2857… → 4.28 ; 2/3 × 1 = 0.666… → 0.66
        assert_score(SCORE_RATIO(11, 12, 6), "5.5")
        assert_score(SCORE_RATIO(5, 7, 6), "4.28")
        assert_score(SCORE_RATIO(2, 3, 1), "0.66")

    def test_exact_57_percent(self):
        # 57/100 × 1 = 0.57 (math.floor(0.57*100)/100 gives 0.56)
        assert_score(SCORE_RATIO(57, 100, 1), "0.57")

    def test_exact_one_third_of_six(self):
        # 1/3 × 6 = 2 exactly, not 1.99
        assert_score(SCORE_RATIO(1, 3, 6), "2")

    def test_truncated_just_below_one(self):
        # 999/1000 × 1 = 0.999 → 0.99 (ROUND would give 1) ; 0.999/1 the same typed as a decimal
        assert_score(SCORE_RATIO(999, 1000, 1), "0.99")
        assert_score(SCORE_RATIO(0.999, 1, 1), "0.99")
        # 14,750/15,000 × 1 = 0.98333… → 0.98
        assert_score(SCORE_RATIO(14750, 15000, 1), "0.98")

    def test_exact_decimal_part(self):
        # 0.57/1 × 1 = 0.57 (the float 0.57 is 0.56999999999999995…; the typed value is 0.57)
        assert_score(SCORE_RATIO(0.57, 1, 1), "0.57")

    def test_over_is_capped_at_full(self):
        # min(13/12, 1) × 6 = 6
        assert_score(SCORE_RATIO(13, 12, 6), "6")

    def test_zero_if_over(self):
        assert_score(SCORE_RATIO(13, 12, 6, True), "0")
        # part == whole is not over: 6
        assert_score(SCORE_RATIO(12, 12, 6, True), "6")
        # under: 6/12 × 6 = 3
        assert_score(SCORE_RATIO(6, 12, 6, True), "3")

    def test_zero_if_over_false_and_blank(self):
        assert_score(SCORE_RATIO(13, 12, 6, False), "6")
        assert_score(SCORE_RATIO(13, 12, 6, None), "6")
        assert_score(SCORE_RATIO(13, 12, 6, ""), "6")

    def test_zero_part(self):
        assert_score(SCORE_RATIO(0, 12, 6), "0")

    def test_fractional_full(self):
        # 1/2 × 1.5 = 0.75
        assert_score(SCORE_RATIO(1, 2, 1.5), "0.75")

    def test_zero_over_zero(self):
        # a zero denominator where the rule has no meaning → #DIV/0!
        assert SCORE_RATIO(0, 0, 6) == "#DIV/0!"

    def test_blank_inputs(self):
        assert SCORE_RATIO(None, 12, 6) == "#N/A"
        assert SCORE_RATIO(10, None, 6) == "#N/A"
        assert SCORE_RATIO(10, 12, None) == "#N/A"

    def test_negative_part(self):
        assert SCORE_RATIO(-1, 12, 6) == "#VALUE!"


# ====================================================================== SCORE_TIERS
UTIL_THRESHOLDS = [0.9, 0.75, 0.6]
UTIL_POINTS = [1, 0.7, 0.4]


class TestTiers:
    @pytest.mark.parametrize(
        "value, expected",
        [
            (1, "1"),
            (0.9, "1"),  # value ≥ 0.9
            (0.8999, "0.7"),
            (0.75, "0.7"),
            (0.7499, "0.4"),
            (0.6, "0.4"),
            (0.5999, "0"),  # else_points default 0
            (0, "0"),
        ],
    )
    def test_first_threshold_reached(self, value, expected):
        assert_score(SCORE_TIERS(value, UTIL_THRESHOLDS, UTIL_POINTS), expected)

    def test_else_points(self):
        assert_score(SCORE_TIERS(0.5, UTIL_THRESHOLDS, UTIL_POINTS, 0.1), "0.1")
        # satisfaction tiers: < 80% still scores 1
        assert_score(SCORE_TIERS(0.5, [0.95, 0.9, 0.8], [6, 4, 2], 1), "1")

    def test_blank_else_points_is_zero(self):
        assert_score(SCORE_TIERS(0.5, UTIL_THRESHOLDS, UTIL_POINTS, None), "0")
        assert_score(SCORE_TIERS(0.5, UTIL_THRESHOLDS, UTIL_POINTS, ""), "0")

    def test_column_ranges(self):
        assert_score(SCORE_TIERS(0.8, [[0.9], [0.75], [0.6]], [[1], [0.7], [0.4]]), "0.7")

    def test_ascending_thresholds_are_rejected(self):
        assert SCORE_TIERS(0.8, [0.6, 0.75, 0.9], [0.4, 0.7, 1]) == "#VALUE!"

    def test_unordered_thresholds_are_rejected(self):
        assert SCORE_TIERS(0.8, [0.9, 0.6, 0.75], [1, 0.4, 0.7]) == "#VALUE!"

    def test_mismatched_sizes(self):
        assert SCORE_TIERS(0.8, [0.9, 0.75, 0.6], [1, 0.7]) == "#VALUE!"

    def test_blank_value(self):
        assert SCORE_TIERS(None, UTIL_THRESHOLDS, UTIL_POINTS) == "#N/A"


# ====================================================================== SCORE_GRADE
class TestGrade:
    @pytest.mark.parametrize(
        "total, grade",
        [
            (100, "优"),
            (98.97, "优"),
            (90, "优"),
            (89.99, "良"),
            (80, "良"),
            (79.99, "中"),
            (60, "中"),
            (59.99, "差"),
            (0, "差"),
        ],
    )
    def test_boundaries(self, total, grade):
        assert SCORE_GRADE(total) == grade

    def test_total_typed_as_text(self):
        assert SCORE_GRADE("90") == "优"
        assert SCORE_GRADE(" 59.99 ") == "差"

    def test_blank_total(self):
        assert SCORE_GRADE(None) == "#N/A"
        assert SCORE_GRADE("") == "#N/A"

    def test_text_total(self):
        assert SCORE_GRADE("优秀") == "#VALUE!"

    def test_error_total_propagates(self):
        assert SCORE_GRADE("#N/A") == "#N/A"
        assert SCORE_GRADE("#DIV/0!") == "#DIV/0!"
