"""A user scores the seed department in Python (no Excel) and then edits one figure.

The expected scores are typed from the seed report's framework table (得分情况 column),
not computed by the code under test.
"""
import copy

import pytest

from workbook import load_example, load_framework, score_in_python
from workbook.framework import plain_note

# 得分情况 of the seed table, in table order. 财务合规性's cell is blank in the seed; the
# published 部门管理 19.98 and total 98.97 imply full marks (3).
SEED_SCORES = {
    "预算编制合理性": 5,
    "预算编制规范性": 5,
    "绩效目标完整性": 8,
    "绩效指标明确性": 7,
    "政府采购执行情况": 1.98,
    "财务合规性": 3,
    "预决算信息公开": 3,
    "项目实施程序": 2,
    "项目监管": 2,
    "资产管理安全性": 2,
    "固定资产利用率": 1,
    "财政供养人员控制率": 1,
    "编外人员控制率": 1,
    "管理制度健全性": 3,
    "公用经费控制率": 5,
    "预算执行率": 5.99,
    "重点工作完成情况": 8,
    "项目完成及时性": 6,
    "社会、经济、生态效益及可持续影响等": 20,
    "群众信访办理情况": 3,
    "公众或服务对象满意度": 6,
}
SEED_LEVEL1 = {"部门决策": 25, "部门管理": 19.98, "部门绩效": 53.99}
SEED_TOTAL = 98.97


@pytest.fixture(scope="module")
def seed():
    return load_example("longgang_2020_seed")


@pytest.fixture(scope="module")
def fw():
    return load_framework("longgang_2020")


def by_name(results):
    return {r["name"]: r for r in results["indicators"].values()}


def test_seed_example_reproduces_the_published_table(seed, fw):
    assert seed["framework"] == "longgang_2020"
    assert seed["department"] == {"name": "深圳市龙岗区总工会", "year": 2020, "preparer": "郝红"}
    res = score_in_python(fw, seed["values"])
    scores = {name: r["score"] for name, r in by_name(res).items()}
    assert scores == pytest.approx(SEED_SCORES, abs=1e-9)
    assert list(scores) == list(SEED_SCORES)  # table order
    assert {r["name"]: r["score"] for r in res["level1"].values()} == pytest.approx(SEED_LEVEL1, abs=1e-9)
    assert res["total"] == SEED_TOTAL
    assert res["grade"] == "优"


def test_seed_notes_explain_the_deductions_like_the_report(seed, fw):
    # the text as read (the cell's invisible line-break hints taken out)
    notes = {name: plain_note(r["note"]) for name, r in by_name(score_in_python(fw, seed["values"])).items()}
    assert "14,750/15,000" in notes["政府采购执行情况"] and "1.98" in notes["政府采购执行情况"]
    assert "40,551,421.71/40,588,517" in notes["公用经费控制率"] and "99.91%" in notes["公用经费控制率"]
    assert "四季度" in notes["预算执行率"] and "5.99" in notes["预算执行率"]
    full = [n for n, s in SEED_SCORES.items() if n not in ("政府采购执行情况", "公用经费控制率", "预算执行率")]
    assert all(notes[n] == "" for n in full)


def test_subtotals_per_second_level(seed, fw):
    res = score_in_python(fw, seed["values"])
    l2 = {r["name"]: r["score"] for r in res["level2"].values()}
    assert l2 == pytest.approx(
        {"预算编制": 10, "目标设置": 15, "资金管理": 7.98, "项目管理": 4, "资产管理": 3, "人员管理": 2, "制度管理": 3,
         "经济性": 5, "效率性": 19.99, "效果性": 20, "公平性": 9},
        abs=1e-9,
    )


# (input key, how the user edits it, the indicator it belongs to, its new score — by the rule text)
EDITS = [
    ("procurement_actual", 15000, "政府采购执行情况", 2),  # 100% executed + policy 1
    ("procurement_actual", 15001, "政府采购执行情况", 1),  # over plan: execution part 0
    ("sangong_actual", 58000, "公用经费控制率", 4),  # 95.1% → 2 + 日常 2
    ("quarter_spending", [46666000, 17441700, 25599600, 1764249.43], "预算执行率", 6),  # Q4 reaches 100%
    ("staff_in_post", 14, "财政供养人员控制率", 0),  # 14/13 > 100%
    ("contract_staff_count", 1, "编外人员控制率", 0.5),  # 1/(9+1) = 10%
    ("satisfaction_rate", 0.92, "公众或服务对象满意度", 4),
    ("key_tasks_unfinished", 1, "重点工作完成情况", 4),
    ("fin_violation", "是", "财务合规性", 0),
    ("budget_disclosure", "公开但不符合要求", "预决算信息公开", 2.5),
    ("budget_rationality_items", ["是", "是", "否", "是", "是"], "预算编制合理性", 4),
    ("mgmt_system_items", ["是", 1, "是"], "管理制度健全性", 2.5),  # partial credit on the 1.5 item
    ("projects_completed", 9, "项目完成及时性", 5.4),
    ("assets_in_use", 800000, "固定资产利用率", 0.7),
    ("petitions_on_time", 298, "群众信访办理情况", 2),
]


@pytest.mark.parametrize("key,value,indicator,new_score", EDITS, ids=[f"{e[0]}={e[1]}" for e in EDITS])
def test_editing_one_input_changes_exactly_its_indicator_subtotals_and_total(seed, fw, key, value, indicator, new_score):
    before = score_in_python(fw, seed["values"])
    values = copy.deepcopy(seed["values"])
    values[key] = value
    after = score_in_python(fw, values)
    ind = fw.indicator(indicator)
    assert fw.input(key).indicator == ind.key
    delta = new_score - SEED_SCORES[indicator]
    for k in before["indicators"]:
        if k == ind.key:
            assert after["indicators"][k]["score"] == pytest.approx(new_score)
        else:
            assert after["indicators"][k]["score"] == before["indicators"][k]["score"], k
    for level, own in (("level2", ind.level2.key), ("level1", ind.level1.key)):
        for k in before[level]:
            expected = before[level][k]["score"] + (delta if k == own else 0)
            assert after[level][k]["score"] == pytest.approx(expected, abs=1e-9), (level, k)
    assert after["total"] == pytest.approx(SEED_TOTAL + delta, abs=1e-9)


def test_editing_a_target_row_changes_only_the_benefits_indicator(seed, fw):
    values = copy.deepcopy(seed["values"])
    values["targets"][1][2] = 687  # 职工培训场次 actual 687 of 1000 → 68.7% on 1 of 5 equal targets
    res = score_in_python(fw, values)
    assert res["indicators"]["benefits"]["score"] == pytest.approx(18.74)  # 20 × (4 + 0.687)/5 = 18.748 → 18.74
    assert res["total"] == pytest.approx(SEED_TOTAL - 1.26)


def test_a_blank_required_input_makes_its_indicator_and_totals_na_but_not_the_rest(seed, fw):
    values = dict(seed["values"])
    del values["procurement_planned"]
    res = score_in_python(fw, values)
    assert res["indicators"]["procurement"]["score"] == "#N/A"
    assert "采购" in res["indicators"]["procurement"]["note"]  # the note says what is missing
    assert res["level2"]["fund_mgmt"]["score"] == "#N/A"
    assert res["level1"]["management"]["score"] == "#N/A"
    assert res["level1"]["decision"]["score"] == 25
    assert res["total"] == "#N/A" and res["grade"] == "#N/A"


def test_an_empty_template_scores_nothing(fw):
    res = score_in_python(fw, {})
    assert all(isinstance(r["score"], str) and r["score"].startswith("#") for r in res["indicators"].values())
    assert res["total"] == "#N/A"


def test_variant_scores_the_seed_and_its_own_rules(seed):
    var = load_framework("variant_linear_staff")
    res = score_in_python(var, seed["values"])
    assert res["total"] == SEED_TOTAL  # full marks keep full marks under the new points
    values = dict(seed["values"], staff_in_post=101, staff_authorized=100, satisfaction_rate=0.75, key_tasks_unfinished=1)
    res = score_in_python(var, values)
    assert res["indicators"]["staff_control"]["score"] == pytest.approx(0.5)  # 1% over → −0.5
    assert res["indicators"]["satisfaction"]["score"] == pytest.approx(2)  # 70% ≤ 75% < 80%
    assert res["indicators"]["key_tasks"]["score"] == pytest.approx(5)  # 10 − 5
    base = score_in_python("longgang_2020", values)
    assert base["indicators"]["staff_control"]["score"] == 0  # the 2020 all-or-nothing rule
    assert base["indicators"]["satisfaction"]["score"] == 1
