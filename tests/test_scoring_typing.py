"""How people type into the cells the functions read (shared/spec/functions.md, "Inputs are
coerced the way a person types them"), and how errors from other cells travel through.
"""

from decimal import Decimal

import pytest

from scoring_assertions import assert_score
from udfs import (
    SCORE_ASSET_UTILIZATION,
    SCORE_CHECKLIST,
    SCORE_COST_CONTROL,
    SCORE_DEDUCT,
    SCORE_DISCLOSURE,
    SCORE_FIN_COMPLIANCE,
    SCORE_PETITIONS,
    SCORE_PROCUREMENT,
    SCORE_PUBLIC_FUNDS,
    SCORE_QUARTERLY,
    SCORE_RATIO,
    SCORE_SATISFACTION,
    SCORE_STAFF_CONTROL,
    SCORE_CONTRACT_STAFF,
    SCORE_TARGETS,
    SCORE_TIERS,
)




# ====================================================================== amounts
@pytest.mark.parametrize(
    "actual",
    [
        14750,
        14750.0,
        "14750",
        "14,750",
        " 14,750 ",
        "14,750.00",
        "１４７５０",  # full-width digits
        "１４，７５０",  # full-width digits and comma
        "１４，７５０．００",  # full-width decimal point
        "　14,750　",  # ideographic spaces around
    ],
)
def test_amount_forms(actual):
    # 14,750/15,000 = 0.98333 → 0.98 + 1
    assert_score(SCORE_PROCUREMENT(actual, "15,000"), "1.98")


def test_amount_with_many_groups():
    # 40,551,421.71/40,588,517 → 99.91% → 2
    assert_score(SCORE_COST_CONTROL("40,551,421.71", "40,588,517"), "2")
    assert_score(SCORE_COST_CONTROL("４０，５５１，４２１．７１", "40588517"), "2")


@pytest.mark.parametrize(
    "actual",
    [
        "14750圆",  # not a unit the contract knows
        "1.48千元",
        "万元",  # a unit without a number
        "1.48万%",
        "abc",
        "1,2",  # malformed group
        "1,2345",
        "14,75,0",
        ",14750",
        "14750,",
        "1,,475",
        "14.750.00",
    ],
)
def test_other_amount_text_is_rejected(actual):
    assert SCORE_PROCUREMENT(actual, 15000) == "#VALUE!"


@pytest.mark.parametrize("actual", [-1, "-14,750", -0.01])
def test_negative_amounts_are_rejected(actual):
    assert SCORE_PROCUREMENT(actual, 15000) == "#VALUE!"


@pytest.mark.parametrize("actual", [float("nan"), float("inf"), float("-inf")])
def test_non_finite_amounts_are_rejected(actual):
    assert SCORE_PROCUREMENT(actual, 15000) == "#VALUE!"
    assert SCORE_COST_CONTROL(actual, 15000) == "#VALUE!"


@pytest.mark.parametrize("blank", [None, ""])
def test_blank_amount_is_missing(blank):
    assert SCORE_PROCUREMENT(blank, 15000) == "#N/A"
    assert SCORE_COST_CONTROL(9000, blank) == "#N/A"


def test_amounts_in_ranges_are_coerced_too():
    # the seed quarters typed with separators
    quarters = ["46,666,000", "17,441,700", "25,599,600", "1,628,900"]
    assert_score(SCORE_QUARTERLY(quarters, "91,471,549.43"), "5.99")
    assert SCORE_QUARTERLY(["46,666,000", "17,441,700圆", "25,599,600", "1,628,900"], 91471549.43) == "#VALUE!"
    # the report's own 万元 figures give the same 5.99
    assert_score(SCORE_QUARTERLY(["4,666.60万", "1,744.17万元", "2559.96万", "162.89 万元"], "91,471,549.43元"), "5.99")


# ====================================================================== rates
@pytest.mark.parametrize(
    "rate, expected",
    [
        (0.95, "6"),
        ("95%", "6"),
        (" 95% ", "6"),
        ("９５％", "6"),  # full-width digits and percent sign
        ("95.5%", "6"),
        ("100%", "6"),
        ("94.99%", "4"),
        ("90%", "4"),
        ("80%", "2"),
        ("79.99%", "1"),
        ("0%", "1"),
        (1, "6"),
        (0, "1"),
    ],
)
def test_rate_forms(rate, expected):
    assert_score(SCORE_SATISFACTION(rate), expected)


@pytest.mark.parametrize("rate", [95, 96.5, 11, 100])
def test_bare_percentage_number_is_rejected(rate):
    # never silently read 95 as 95%
    assert SCORE_SATISFACTION(rate) == "#VALUE!"


@pytest.mark.parametrize("rate", ["abc", "九十五", "95分", float("nan"), float("inf"), float("-inf")])
def test_other_rate_values_are_rejected(rate):
    assert SCORE_SATISFACTION(rate) == "#VALUE!"


@pytest.mark.parametrize("rate", ["101%", 1.01])
def test_rate_above_hundred_percent_is_rejected(rate):
    assert SCORE_SATISFACTION(rate) == "#VALUE!"


# ====================================================================== yes/no items
YES = [
    True,
    1,
    1.0,
    "TRUE",
    "true",
    "True",
    "ＴＲＵＥ",
    "是",
    "符合",
    "有",
    "已完成",
    "Y",
    "y",
    "Ｙ",
    "ｙ",
    "√",
]
NO = [
    False,
    0,
    0.0,
    "FALSE",
    "false",
    "ＦＡＬＳＥ",
    "否",
    "不符合",
    "无",
    "未完成",
    "N",
    "n",
    "Ｎ",
    "ｎ",
    "×",
]


@pytest.mark.parametrize("word", YES, ids=repr)
def test_yes_words_on_a_one_point_item(word):
    # two 1-point items: word + 0
    assert_score(SCORE_CHECKLIST([word, 0]), "1")


@pytest.mark.parametrize("word", NO, ids=repr)
def test_no_words_on_a_one_point_item(word):
    assert_score(SCORE_CHECKLIST([word, 1]), "1")


@pytest.mark.parametrize("word", YES, ids=repr)
def test_yes_words_as_procurement_policy(word):
    # 0.98 + 1
    assert_score(SCORE_PROCUREMENT(14750, 15000, word), "1.98")


@pytest.mark.parametrize("word", NO, ids=repr)
def test_no_words_as_procurement_policy(word):
    # 0.98 + 0
    assert_score(SCORE_PROCUREMENT(14750, 15000, word), "0.98")


@pytest.mark.parametrize("word", [w for w in YES if not isinstance(w, (int, float)) or isinstance(w, bool)], ids=repr)
def test_yes_words_are_full_marks_on_a_two_point_item(word):
    # TRUE/是/… on a 2-point item → 2 (a bare number would be points instead)
    assert_score(SCORE_CHECKLIST([word], [2]), "2")


@pytest.mark.parametrize("word", NO, ids=repr)
def test_no_words_on_a_two_point_item(word):
    assert_score(SCORE_CHECKLIST([word], [2]), "0")


@pytest.mark.parametrize("word", ["也许", "部分", "OK", "yes?", "2分"])
def test_unknown_words_are_rejected(word):
    assert SCORE_CHECKLIST([word, 1]) == "#VALUE!"
    assert SCORE_PROCUREMENT(14750, 15000, word) == "#VALUE!"


@pytest.mark.parametrize(
    "item, points, expected",
    [
        (0.5, 1, "0.5"),
        (1, 0.5, "0.5"),  # 1 on a 0.5-point item is "yes"
        (0.2, 0.5, "0.2"),
        (1, 2, "1"),  # 1 on a 2-point item is one point
        (1.5, 2, "1.5"),
        (2, 2, "2"),
        (1, 1.5, "1"),
        (1.5, 1.5, "1.5"),
    ],
)
def test_numbers_are_partial_credit(item, points, expected):
    assert_score(SCORE_CHECKLIST([item], [points]), expected)


def test_partial_credit_typed_as_text():
    assert_score(SCORE_CHECKLIST(["0.5", " 1 "]), "1.5")


@pytest.mark.parametrize("item, points", [(0.7, 0.5), (1.01, 1), (2.5, 2), (1.6, 1.5), (-0.1, 1)])
def test_numbers_outside_the_item_are_rejected(item, points):
    assert SCORE_CHECKLIST([item], [points]) == "#VALUE!"


def test_single_cell_item_arrives_as_a_scalar():
    # xlwings hands a one-cell range to the function as the bare value
    assert_score(SCORE_CHECKLIST("是"), "1")
    assert_score(SCORE_CHECKLIST(True, 2), "2")


# ====================================================================== disclosure statuses
@pytest.mark.parametrize(
    "status, points",
    [
        ("按规定公开", Decimal("1.5")),
        (2, Decimal("1.5")),
        ("公开但不符合要求", Decimal("1")),
        (1, Decimal("1")),
        ("未公开", Decimal("0")),
        (0, Decimal("0")),
    ],
)
def test_disclosure_status_forms(status, points):
    # the other status is 按规定公开 (1.5) each time
    assert_score(SCORE_DISCLOSURE(status, "按规定公开"), str(points + Decimal("1.5")))
    assert_score(SCORE_DISCLOSURE(2, status), str(points + Decimal("1.5")))


@pytest.mark.parametrize("exempt", [True, "TRUE", "是", "Y", "√", 1])
def test_disclosure_exempt_forms(exempt):
    assert_score(SCORE_DISCLOSURE(0, 0, exempt), "3")


# ====================================================================== counts
@pytest.mark.parametrize("count", [2, 2.0, "2"])
def test_count_forms(count):
    assert_score(SCORE_DEDUCT(5, count), "3")


@pytest.mark.parametrize("count", [2.5, -1, "两", "2项"])
def test_bad_counts(count):
    assert SCORE_DEDUCT(5, count) == "#VALUE!"


# ====================================================================== errors from other cells
ERRORS = ["#N/A", "#VALUE!", "#DIV/0!"]


@pytest.mark.parametrize("err", ERRORS)
def test_error_arguments_propagate(err):
    assert SCORE_PROCUREMENT(err, 15000) == err
    assert SCORE_PROCUREMENT(14750, err) == err
    assert SCORE_PROCUREMENT(14750, 15000, err) == err
    assert SCORE_SATISFACTION(err) == err
    assert SCORE_COST_CONTROL(err, 100) == err
    assert SCORE_PUBLIC_FUNDS(1, 100, err, 100) == err
    assert SCORE_ASSET_UTILIZATION(err, 100) == err
    assert SCORE_STAFF_CONTROL(9, err) == err
    assert SCORE_CONTRACT_STAFF(err, 9) == err
    assert SCORE_FIN_COMPLIANCE(1, err, 100, 1) == err
    assert SCORE_DISCLOSURE(err, 2) == err
    assert SCORE_PETITIONS(True, 10, err, 10) == err
    assert SCORE_DEDUCT(5, err) == err
    assert SCORE_RATIO(err, 12, 6) == err
    assert SCORE_TIERS(err, [0.9, 0.75], [1, 0.7]) == err


@pytest.mark.parametrize("err", ERRORS)
def test_error_inside_a_range_propagates(err):
    assert SCORE_CHECKLIST([1, err, 1]) == err
    assert SCORE_CHECKLIST([[1], [err], [1]]) == err
    assert SCORE_QUARTERLY([25, err, 25, 25], 100) == err
    assert SCORE_TARGETS([1, err], [1, 1]) == err
    assert SCORE_TARGETS([1, 1], [1, err]) == err


@pytest.mark.parametrize("err", ["#REF!", "#NAME?", "#NUM!"])
def test_other_excel_errors_propagate_unchanged(err):
    assert SCORE_PROCUREMENT(err, 15000) == err
    assert SCORE_SATISFACTION(err) == err
    assert SCORE_CHECKLIST([1, err]) == err


def test_error_wins_over_blank_optional_and_good_values():
    # an error in an otherwise complete input is still that error, never a number
    assert SCORE_CHECKLIST([1, 1, 1, 1, "#N/A"], [2, 2, 1, 1, 1]) == "#N/A"
