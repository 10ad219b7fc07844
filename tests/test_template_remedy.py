"""A finance user writes the 整改情况 (rectification) for an indicator on 基础数据 and
finds it in the 「扣分情况及整改情况说明」 column after the deduction note — the note's
formula stays intact, and the Python scoring gives the same text.

The expected texts are typed from the seed report: the framework table's deduction
notes and the 改进措施 of section （二）部门整体支出绩效存在问题及改进措施.
"""
import copy

import openpyxl
import pytest

from workbook import FrameworkError, build_template, check_values, load_example, load_framework, score_in_python
from workbook.framework import note_with_remedy, plain_note, printed_note
from xladdin import engine
from xladdin.xlsx import WorkbookPackage

SCORES = "评分表"
NOTES = {  # the seed table's 扣分情况 (full-mark indicators: empty)
    "procurement": "政府采购执行率=（14,750/15,000）×100%=98.33%，得1.98分，扣0.02分",
    "public_funds": "日常公用经费控制率=（40,551,421.71/40,588,517）×100%=99.91%，得5分，扣1分",
    "budget_execution": "四季度累计支出进度=（91,336,200/91,471,549.43）×100%=99.85%，低于序时进度100%，得5.99分，扣0.01分",
}
REMEDIES = {  # the report's 改进措施 (1)–(3), as the seed example gives them
    "procurement": "严格执行政府采购程序，依据管理办法和中标通知书严格支付相关采购合同款项。",
    "public_funds": "强化管理，厉行节约，努力提高经费使用效率，加强财务核算，强化审计监督，有效控制日常经费支出的增长。",
    "budget_execution": "提高预算执行率、严把收入支出关，进一步加强预算执行力度。",
}


@pytest.fixture(scope="module")
def fw():
    return load_framework("longgang_2020")


@pytest.fixture(scope="module")
def seed():
    return load_example("longgang_2020_seed")


def without_remedies(values):
    return {k: v for k, v in copy.deepcopy(values).items() if not k.endswith("_remedy")}


def _key(book, name):
    sheet, addr = book.defined_names[name].rsplit("!", 1)
    return sheet.strip("'"), addr.replace("$", "")


def recalculated(path, framework):
    """{indicator key: (score, note)} as the headless engine recalculates the file."""
    book = WorkbookPackage.open(path)
    results = engine.recalculate_package(book)
    assert results.problems == []
    out = {}
    for ind in framework.indicators:
        sheet, ref = _key(book, f"{ind.key}_score")
        assert sheet == SCORES and ref.startswith("I")
        out[ind.key] = (results.values[(sheet, ref)], results.values[(sheet, "J" + ref[1:])])
    out["total"] = results.values[_key(book, "total_score")]
    return out


def type_into(path, typed: dict, out):
    """Type values into named cells of a built workbook (as the user does in Excel)."""
    wb = openpyxl.load_workbook(path)
    for name, value in typed.items():
        (sheet, ref), = wb.defined_names[name].destinations
        wb[sheet][ref.replace("$", "")].value = value
    wb.save(out)
    return out


def python_notes(framework, values):
    return {k: r["note"] for k, r in score_in_python(framework, values)["indicators"].items()}


def test_the_seed_example_notes_carry_the_reports_remedies(fw, seed, tmp_path):
    assert {k: v for k, v in seed["values"].items() if k.endswith("_remedy")} == {f"{k}_remedy": v for k, v in REMEDIES.items()}
    path = build_template(fw, tmp_path / "seed.xlsx", values=seed["values"], department=seed["department"])
    got = recalculated(path, fw)
    for ind in fw.indicators:
        expected = NOTES[ind.key] + "；整改情况：" + REMEDIES[ind.key] if ind.key in NOTES else ""
        assert got[ind.key][1] == printed_note(expected), ind.key
    assert got["procurement"][0] == 1.98 and got["total"] == 98.97  # the scores do not move
    assert python_notes(fw, seed["values"]) == {k: got[k][1] for k in python_notes(fw, seed["values"])}


def test_without_remedies_the_notes_are_the_deduction_notes_alone(fw, seed, tmp_path):
    values = without_remedies(seed["values"])
    path = build_template(fw, tmp_path / "plain.xlsx", values=values)
    got = recalculated(path, fw)
    assert got["procurement"][1] == printed_note("政府采购执行率=（14,750/15,000）×100%=98.33%，得1.98分，扣0.02分")
    assert {k: got[k][1] for k in python_notes(fw, values)} == {ind.key: printed_note(NOTES.get(ind.key, "")) for ind in fw.indicators}
    assert python_notes(fw, values) == {ind.key: printed_note(NOTES.get(ind.key, "")) for ind in fw.indicators}
    # an empty string typed into the remedy cell is no remedy either
    assert python_notes(fw, dict(values, procurement_remedy="")) == python_notes(fw, values)


def test_a_remedy_typed_into_the_workbook_follows_the_note(fw, seed, tmp_path):
    built = build_template(fw, tmp_path / "plain.xlsx", values=without_remedies(seed["values"]))
    typed = {
        "procurement_remedy": "严格执行政府采购程序。",  # deducted: after the note, with "；"
        "budget_rationality_remedy": "继续保持。",  # full marks: the note is empty, no "；"
        "satisfaction_remedy": "",  # nothing typed: nothing shown
    }
    got = recalculated(type_into(built, typed, tmp_path / "typed.xlsx"), fw)
    assert got["procurement"][1] == printed_note(NOTES["procurement"] + "；整改情况：严格执行政府采购程序。")
    assert got["budget_rationality"][1] == "整改情况：继续保持。"
    assert got["satisfaction"][1] == ""
    assert got["procurement"][0] == 1.98 and got["budget_rationality"][0] == 5 and got["total"] == 98.97
    values = dict(without_remedies(seed["values"]), **typed)
    assert python_notes(fw, values) == {k: got[k][1] for k in python_notes(fw, values)}


def test_an_indicator_without_a_score_keeps_its_reason_before_the_remedy(fw, seed, tmp_path):
    values = {k: v for k, v in seed["values"].items() if k != "procurement_planned"}  # left blank
    path = build_template(fw, tmp_path / "blank.xlsx", values=values)
    got = recalculated(path, fw)
    score, note = got["procurement"]
    assert score == "#N/A"
    reason, remedy = plain_note(note).split("；整改情况：")
    assert "采购计划金额" in reason and remedy == REMEDIES["procurement"]
    assert python_notes(fw, values)["procurement"] == note


@pytest.mark.parametrize("which", ["longgang_2020", "variant_linear_staff"])
def test_python_and_the_workbook_give_the_same_text_for_every_note(which, seed, tmp_path):
    framework = load_framework(which)
    values = without_remedies(seed["values"])
    values.update(satisfaction_rate=0.75, staff_in_post=101, staff_authorized=100, key_tasks_unfinished=1, assets_total=0)
    values.update({f"{ind.key}_remedy": f"{ind.name}：整改措施{i}。" for i, ind in enumerate(framework.indicators)})
    path = build_template(framework, tmp_path / f"{which}.xlsx", values=values)
    got = recalculated(path, framework)
    expected = python_notes(framework, values)
    assert expected == {k: got[k][1] for k in expected}
    scores = {k: r["score"] for k, r in score_in_python(framework, values)["indicators"].items()}
    kinds = {"full": 0, "deducted": 0, "error": 0}
    for i, ind in enumerate(framework.indicators):
        remedy = f"整改情况：{ind.name}：整改措施{i}。"
        score, note = scores[ind.key], plain_note(expected[ind.key])
        if isinstance(score, str):
            kinds["error"] += 1
            assert note.endswith("；" + remedy) and len(note) > len(remedy) + 1
        elif score < float(ind.points):
            kinds["deducted"] += 1
            assert note.endswith("；" + remedy) and "扣" in note
        else:
            kinds["full"] += 1
            assert note == remedy
    assert all(kinds.values()), kinds  # each case is exercised


WJ, ZWSP = "\u2060", "\u200b"  # word joiner (no line break around it), zero width space (a break allowed)


def test_note_with_remedy_is_the_cells_rule():
    assert note_with_remedy("", 5.0, 5, None) == ""
    assert note_with_remedy("", 5.0, 5, "") == ""
    assert note_with_remedy("", 5.0, 5, "已整改") == "整改情况：已整改"
    assert note_with_remedy("得1.98分，扣0.02分", 1.98, 2, "已整改") == f"得1.98{WJ}分，扣0.02{WJ}分；整改情况：已整改"
    assert note_with_remedy("采购计划金额为空", "#N/A", 2, "已整改") == "采购计划金额为空；整改情况：已整改"
    assert note_with_remedy("得1.98分，扣0.02分", 1.98, 2, None) == f"得1.98{WJ}分，扣0.02{WJ}分"
    assert note_with_remedy("", 6.0, 6, 2021) == "整改情况：2021"  # a number reads as Excel's & shows it


def test_the_printed_note_keeps_each_unit_with_its_number_and_may_break_after_equals():
    """The cell shows the text with a word joiner before each unit and a zero width space
    after each "=", "）" and "/" (both invisible); nothing else changes, and plain_note takes them out."""
    assert printed_note(NOTES["procurement"]) == (
        f"政府采购执行率={ZWSP}（14,750/{ZWSP}15,000）{ZWSP}×100%={ZWSP}98.33%，得1.98{WJ}分，扣0.02{WJ}分"
    )
    remedy = "2021年起每季度检查1次，涉及3个项目、5项问题，培训120人，30天内完成，节约1.5万元"
    assert printed_note(remedy) == (
        f"2021{WJ}年起每季度检查1{WJ}次，涉及3{WJ}个{WJ}项目、5{WJ}项问题，培训120{WJ}人，30{WJ}天内完成，节约1.5{WJ}万{WJ}元"
    )
    for text in [*NOTES.values(), *REMEDIES.values(), remedy]:
        assert plain_note(printed_note(text)) == text


def test_check_values_accepts_remedy_text_only(fw, seed):
    assert check_values(fw, dict(seed["values"], satisfaction_remedy="继续保持。"))["satisfaction_remedy"] == "继续保持。"
    for bad in (["一", "二"], 5):
        with pytest.raises(FrameworkError) as err:
            check_values(fw, dict(seed["values"], procurement_remedy=bad))
        assert "procurement_remedy" in str(err.value) and "文本" in str(err.value)
    with pytest.raises(FrameworkError, match="nothing_remedy"):
        check_values(fw, {"nothing_remedy": "x"})  # no indicator "nothing"
