"""The 「扣分情况及整改情况说明」 text finance staff paste next to each score (SCORE_X_NOTE).

Contract: the seed's own style; "" at full marks; where SCORE_X returns an error, the reason in
plain Chinese. Only the procurement note is pinned to the exact wording; for the others we
check robust facts (the score "得X分" and the deduction "扣Y分").
"""

import re
from decimal import Decimal

import pytest

import udfs
from udfs import SCORE_PROCUREMENT_NOTE, SCORE_SATISFACTION_NOTE

CJK = re.compile(r"[\u4e00-\u9fff]")


def number_forms(value):
    """Ways a score may be written: 2 / 2.00, 0.7 / 0.70, 1.98."""
    d = Decimal(value)
    forms = {f"{d.quantize(Decimal('0.01'))}"}
    minimal = format(d.normalize(), "f")
    forms.add(minimal)
    return forms


def assert_mentions(note, got, lost):
    assert isinstance(note, str)
    assert any(f"得{f}分" in note for f in number_forms(got)), f"{note!r} lacks 得{got}分"
    assert any(f"扣{f}分" in note for f in number_forms(lost)), f"{note!r} lacks 扣{lost}分"


# ====================================================================== procurement, exact wording
def test_procurement_note_seed():
    assert (
        SCORE_PROCUREMENT_NOTE(14750, 15000)
        == "政府采购执行率=（14,750/15,000）×100%=98.33%，得1.98分，扣0.02分"
    )


def test_procurement_note_from_text_amounts_is_the_same():
    assert (
        SCORE_PROCUREMENT_NOTE("14,750", "１５，０００")
        == "政府采购执行率=（14,750/15,000）×100%=98.33%，得1.98分，扣0.02分"
    )


def test_procurement_note_percentage_rounds_half_up():
    # 157/160 = 98.125% → 98.13% (half-up; binary floats print 98.12)
    # score: 0.98125 → 0.98, + 1 = 1.98
    assert (
        SCORE_PROCUREMENT_NOTE(157, 160)
        == "政府采购执行率=（157/160）×100%=98.13%，得1.98分，扣0.02分"
    )


def test_procurement_note_full_marks_is_empty():
    assert SCORE_PROCUREMENT_NOTE(15000, 15000) == ""


def test_procurement_note_over_plan():
    # actual > planned → execution part 0; 0 + 1 = 1, 1 deducted
    assert_mentions(SCORE_PROCUREMENT_NOTE(15001, 15000), "1", "1")


def test_procurement_note_blank_planned():
    note = SCORE_PROCUREMENT_NOTE(14750, None)
    assert "为空" in note


def test_procurement_note_blank_actual():
    assert "为空" in SCORE_PROCUREMENT_NOTE("", 15000)


# ====================================================================== "" at full marks
FULL_MARKS = [
    ("SCORE_CHECKLIST", (["是"] * 5,)),
    ("SCORE_CHECKLIST", ([True] * 5, [2, 2, 1, 1, 1])),
    ("SCORE_DEDUCT", (5, 0)),
    ("SCORE_DEDUCT", (8, 0, 4)),
    ("SCORE_RATIO", (12, 12, 6)),
    ("SCORE_PROCUREMENT", (15000, 15000)),
    ("SCORE_FIN_COMPLIANCE", (1, 5, 100, 1)),
    ("SCORE_DISCLOSURE", ("按规定公开", "按规定公开")),
    ("SCORE_DISCLOSURE", (0, 0, True)),
    ("SCORE_ASSET_UTILIZATION", (95, 100)),
    ("SCORE_STAFF_CONTROL", (9, 13)),
    ("SCORE_CONTRACT_STAFF", (0, 9)),
    ("SCORE_COST_CONTROL", (30000, 61000)),
    ("SCORE_PUBLIC_FUNDS", (30000, 61000, 80, 100)),
    ("SCORE_QUARTERLY", ([25, 25, 25, 25], 100)),
    ("SCORE_TARGETS", ([1513, 275, 68], [1500, 275, 60])),
    ("SCORE_PETITIONS", (True, 299, 299, 299)),
    ("SCORE_SATISFACTION", (0.96,)),
]


@pytest.mark.parametrize("name, args", FULL_MARKS, ids=[f"{n}{a!r}" for n, a in FULL_MARKS])
def test_full_marks_note_is_empty(name, args):
    assert getattr(udfs, name + "_NOTE")(*args) == ""


# ====================================================================== score and deduction
# (function, args, score, deducted) — each score worked out in test_scoring_tiers.py / _blocks.py
NOT_FULL = [
    ("SCORE_CHECKLIST", ([1, 1, 0, 1, 1],), "4", "1"),  # 5 − 1
    ("SCORE_DEDUCT", (5, 1), "4", "1"),
    ("SCORE_DEDUCT", (8, 1, 4), "4", "4"),
    ("SCORE_RATIO", (10, 12, 6), "5", "1"),  # 10/12 × 6
    ("SCORE_FIN_COMPLIANCE", (1, 15, 100, 1), "2.5", "0.5"),  # 5 pp over → 0.5
    ("SCORE_DISCLOSURE", (2, 1), "2.5", "0.5"),
    ("SCORE_ASSET_UTILIZATION", (80, 100), "0.7", "0.3"),
    ("SCORE_STAFF_CONTROL", (14, 13), "0", "1"),
    ("SCORE_CONTRACT_STAFF", (1, 19), "0.5", "0.5"),  # 1/20 = 5%
    ("SCORE_COST_CONTROL", (40551421.71, 40588517), "2", "1"),
    ("SCORE_PUBLIC_FUNDS", (30000, 61000, 40551421.71, 40588517), "5", "1"),
    ("SCORE_QUARTERLY", ([46666000, 17441700, 25599600, 1628900], 91471549.43), "5.99", "0.01"),
    ("SCORE_QUARTERLY", ([10, 10, 10, 10], 100), "2.4", "3.6"),
    ("SCORE_TARGETS", ([90, 100, 100], [100, 100, 100]), "19.33", "0.67"),
    ("SCORE_PETITIONS", (True, 10, 9, 9), "1", "2"),
    ("SCORE_SATISFACTION", (0.9,), "4", "2"),
    ("SCORE_SATISFACTION", (0.5,), "1", "5"),
]


@pytest.mark.parametrize("name, args, got, lost", NOT_FULL, ids=[f"{n}{a!r}" for n, a, _, _ in NOT_FULL])
def test_note_states_score_and_deduction(name, args, got, lost):
    # the score itself must agree with the note
    score = getattr(udfs, name)(*args)
    assert Decimal(repr(score)) == Decimal(got)
    assert_mentions(getattr(udfs, name + "_NOTE")(*args), got, lost)


def test_cost_control_note_shows_rate_rounded_half_up():
    # 40,551,421.71/40,588,517 = 99.9086…% → 99.91%
    assert "99.91%" in udfs.SCORE_COST_CONTROL_NOTE(40551421.71, 40588517)


# ====================================================================== why a cell shows an error
ERROR_CASES = [
    ("SCORE_PROCUREMENT", (14750, None), "#N/A"),
    ("SCORE_PROCUREMENT", ("14750圆", 15000), "#VALUE!"),
    ("SCORE_PROCUREMENT", (0, 0), "#DIV/0!"),
    ("SCORE_CHECKLIST", ([1, 1, 1], [1, 1]), "#VALUE!"),
    ("SCORE_CHECKLIST", ([1, None, 1],), "#N/A"),
    ("SCORE_DEDUCT", (5, 1.5), "#VALUE!"),
    ("SCORE_RATIO", (0, 0, 6), "#DIV/0!"),
    ("SCORE_TIERS", (0.8, [0.6, 0.75, 0.9], [0.4, 0.7, 1]), "#VALUE!"),
    ("SCORE_GRADE", (None,), "#N/A"),
    ("SCORE_FIN_COMPLIANCE", (1, None, 100, 1), "#N/A"),
    ("SCORE_DISCLOSURE", ("已公开了", 2), "#VALUE!"),
    ("SCORE_ASSET_UTILIZATION", (101, 100), "#VALUE!"),
    ("SCORE_STAFF_CONTROL", (9.5, 13), "#VALUE!"),
    ("SCORE_CONTRACT_STAFF", (0, 0), "#DIV/0!"),
    ("SCORE_COST_CONTROL", (None, 100), "#N/A"),
    ("SCORE_PUBLIC_FUNDS", (1, 100, "abc", 100), "#VALUE!"),
    ("SCORE_QUARTERLY", ([25, 25, 25], 100), "#VALUE!"),
    ("SCORE_QUARTERLY", ([0, 0, 0, 0], 0), "#DIV/0!"),
    ("SCORE_TARGETS", ([5], [0]), "#DIV/0!"),
    ("SCORE_PETITIONS", (True, 10, 11, 10), "#VALUE!"),
    ("SCORE_SATISFACTION", (95,), "#VALUE!"),
    ("SCORE_SATISFACTION", (None,), "#N/A"),
]


@pytest.mark.parametrize("name, args, err", ERROR_CASES, ids=[f"{n}{a!r}" for n, a, _ in ERROR_CASES])
def test_error_note_explains_in_chinese(name, args, err):
    assert getattr(udfs, name)(*args) == err
    note = getattr(udfs, name + "_NOTE")(*args)
    assert isinstance(note, str) and note.strip()
    assert CJK.search(note), note
    assert note not in ("#N/A", "#VALUE!", "#DIV/0!")


@pytest.mark.parametrize(
    "name, args",
    [
        ("SCORE_PROCUREMENT", (14750, None)),
        ("SCORE_PROCUREMENT", (None, 15000)),
        ("SCORE_COST_CONTROL", (None, 100)),
        ("SCORE_SATISFACTION", (None,)),
        ("SCORE_SATISFACTION", ("",)),
        ("SCORE_QUARTERLY", ([25, 25, 25, 25], None)),
        ("SCORE_FIN_COMPLIANCE", (1, None, 100, 1)),
        ("SCORE_PETITIONS", (True, None, 0, 0)),
    ],
)
def test_blank_required_input_note_says_blank(name, args):
    assert "为空" in getattr(udfs, name + "_NOTE")(*args)


@pytest.mark.parametrize("rate", [95, 96.5])
def test_bare_percentage_note_tells_to_type_percent(rate):
    assert udfs.SCORE_SATISFACTION(rate) == "#VALUE!"
    assert "95%" in SCORE_SATISFACTION_NOTE(rate)


def test_notes_never_return_error_literals_or_non_text():
    for name, args, _ in ERROR_CASES:
        note = getattr(udfs, name + "_NOTE")(*args)
        assert isinstance(note, str)
