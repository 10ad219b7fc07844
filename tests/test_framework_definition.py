"""A finance user opens the framework definition: is it the seed's table, text for text?

Expected names and points are typed from the seed report's framework table
(seeds/000_8ec1f67c08f27b8f.txt, 部门整体支出绩效评价共性指标体系框架（2020年修订）),
not taken from the code.
"""
import re

import pytest

from workbook import FrameworkError, list_frameworks, load_framework

# (一级, 分值, 二级, 分值, 三级, 分值) in table order, typed from the seed table
SEED_ROWS = [
    ("部门决策", 25, "预算编制", 10, "预算编制合理性", 5),
    ("部门决策", 25, "预算编制", 10, "预算编制规范性", 5),
    ("部门决策", 25, "目标设置", 15, "绩效目标完整性", 8),
    ("部门决策", 25, "目标设置", 15, "绩效指标明确性", 7),
    ("部门管理", 20, "资金管理", 8, "政府采购执行情况", 2),
    ("部门管理", 20, "资金管理", 8, "财务合规性", 3),
    ("部门管理", 20, "资金管理", 8, "预决算信息公开", 3),
    ("部门管理", 20, "项目管理", 4, "项目实施程序", 2),
    ("部门管理", 20, "项目管理", 4, "项目监管", 2),
    ("部门管理", 20, "资产管理", 3, "资产管理安全性", 2),
    ("部门管理", 20, "资产管理", 3, "固定资产利用率", 1),
    ("部门管理", 20, "人员管理", 2, "财政供养人员控制率", 1),
    ("部门管理", 20, "人员管理", 2, "编外人员控制率", 1),
    ("部门管理", 20, "制度管理", 3, "管理制度健全性", 3),
    ("部门绩效", 55, "经济性", 6, "公用经费控制率", 6),
    ("部门绩效", 55, "效率性", 20, "预算执行率", 6),
    ("部门绩效", 55, "效率性", 20, "重点工作完成情况", 8),
    ("部门绩效", 55, "效率性", 20, "项目完成及时性", 6),
    ("部门绩效", 55, "效果性", 20, "社会、经济、生态效益及可持续影响等", 20),
    ("部门绩效", 55, "公平性", 9, "群众信访办理情况", 3),
    ("部门绩效", 55, "公平性", 9, "公众或服务对象满意度", 6),
]


@pytest.fixture(scope="module")
def fw():
    return load_framework("longgang_2020")


def test_shipped_frameworks_are_listed():
    assert {"longgang_2020", "variant_linear_staff"} <= set(list_frameworks())


def test_every_indicator_in_table_order_with_its_points(fw):
    got = [
        (i.level1.name, int(i.level1.points), i.level2.name, int(i.level2.points), i.name, int(i.points))
        for i in fw.indicators
    ]
    assert got == SEED_ROWS
    assert fw.title == "部门整体支出绩效评价共性指标体系框架（2020年修订）"
    assert fw.total_points == 100


def test_texts_are_clean_of_pdf_extraction_artefacts(fw):
    for ind in fw.indicators:
        for text in (ind.description, ind.criteria):
            assert not re.search(r"</?(p|ol|li)\b|&lt;|&gt;|&amp;|\$|\\geq|\\leq", text), (ind.name, text)
            assert "  " not in text, (ind.name, text)  # the PDF's runs of spaces are line breaks now


def test_numbered_criteria_are_one_per_line(fw):
    crit = fw.indicator("预算编制合理性").criteria.split("\n")
    assert len(crit) == 5 and [line[:2] for line in crit] == ["1.", "2.", "3.", "4.", "5."]
    assert fw.indicator("管理制度健全性").criteria.split("\n")[1] == "2. 上述财政资金管理、财务管理、内部控制等制度得到有效执行（1.5分）；"


def test_texts_verbatim_from_the_seed_spot_checks(fw):
    # 指标说明 split over a page break in the seed is joined again
    assert fw.indicator("项目实施程序").description == (
        "部门（单位）所有项目支出实施过程是否规范,包括是否符合申报条件；申报、批复程序是否符合相关管理办法；"
        "项目招投标、调整、完成验收等是否履行相应手续等。"
    )
    # the 参考评分标准 that the PDF put in the 指标说明 cell is in criteria
    assert fw.indicator("预决算信息公开").description.endswith("用以反映部门（单位）预决算管理的公开透明情况。")
    assert fw.indicator("预决算信息公开").criteria.startswith("1.部门预算公开（1.5分），按以下标准分档计分：")
    # HTML entities and LaTeX turned back into the symbols
    assert "（1）“三公”经费控制率<90%的，得3分；" in fw.indicator("公用经费控制率").criteria.split("\n")
    satisfaction = fw.indicator("公众或服务对象满意度").criteria
    assert "或者参考群众信访反馈的普遍性问题、本部门或权威第三方机构的开展满意度调查等进行分档计分。" in satisfaction
    assert satisfaction.split("\n")[1:] == ["1.满意度≥95%的,得6分;", "2.90%≤满意度<95%的,得4分;", "3.80%≤满意度<90%的,得2分;", "4.满意度<80%的,得1分。"]
    # the table keeps its own wording (部门（部门）) — only extraction artefacts are cleaned
    assert "根据部门（部门）履职内容和性质" in fw.indicator("社会、经济、生态效益及可持续影响等").criteria
    assert fw.indicator("预算执行率").criteria.split("\n")[0] == "1. 一季度预算执行率得分=（一季度部门预算支出进度/序时进度25%）×1分，最高得1分。"


def test_each_indicator_is_scored_by_its_catalogue_function(fw):
    expected = {
        "预算编制合理性": "SCORE_CHECKLIST(budget_rationality_items,{1,1,1,1,1})",
        "预算编制规范性": "SCORE_DEDUCT(5,budget_standard_issues)",
        "绩效目标完整性": "SCORE_DEDUCT(8,target_issues)",
        "绩效指标明确性": "SCORE_CHECKLIST(indicator_clarity_items,{2,2,1,1,1})",
        "政府采购执行情况": "SCORE_PROCUREMENT(procurement_actual,procurement_planned,procurement_policy)",
        "管理制度健全性": "SCORE_CHECKLIST(mgmt_system_items,{0.5,1.5,1})",
        "公用经费控制率": "SCORE_PUBLIC_FUNDS(sangong_actual,sangong_budget,daily_actual,daily_budget)",
        "预算执行率": "SCORE_QUARTERLY(quarter_spending,execution_budget,quarter_cumulative)",
        "重点工作完成情况": "SCORE_DEDUCT(8,key_tasks_unfinished,4)",
        "项目完成及时性": "SCORE_RATIO(projects_completed,projects_planned,6)",
        "社会、经济、生态效益及可持续影响等": "SCORE_TARGETS(targets_actual,targets_target,targets_weight,20,targets_direction)",
        "公众或服务对象满意度": "SCORE_SATISFACTION(satisfaction_rate)",
    }
    for name, formula in expected.items():
        ind = fw.indicator(name)
        assert fw.score_formula(ind) == formula
        assert fw.note_formula(ind) == formula.replace("(", "_NOTE(", 1)


def test_inputs_have_kinds_units_and_help(fw):
    q = fw.input("quarter_spending")
    assert (q.kind, q.size, q.unit) == ("amount", 4, "元")
    assert fw.input("satisfaction_rate").kind == "rate"
    assert fw.input("budget_disclosure").kind == "status"
    assert fw.input("staff_in_post").unit == "人"
    assert [float(p) for p in fw.input("mgmt_system_items").item_points()] == [0.5, 1.5, 1]
    t = fw.input("targets")
    assert t.kind == "table" and t.rows >= 20  # real departments have more than a handful
    assert [c.label for c in t.columns][:4] == ["绩效指标名称（单位）", "目标值", "实际值", "方向"]
    assert all(inp.help for inp in fw.inputs)


def test_variant_inherits_texts_and_overrides_rules():
    base = load_framework("longgang_2020")
    var = load_framework("variant_linear_staff")
    assert var.extends == "longgang_2020"
    assert [i.key for i in var.indicators] == [i.key for i in base.indicators]
    assert var.total_points == 100
    assert var.indicator("预算编制合理性").criteria == base.indicator("预算编制合理性").criteria
    staff = var.indicator("财政供养人员控制率")
    assert var.score_formula(staff) == "SCORE_STAFF_CONTROL(staff_in_post,staff_authorized,1,0.5)"
    assert var.note_formula(staff) == "SCORE_STAFF_CONTROL_NOTE(staff_in_post,staff_authorized,1,0.5)"
    assert staff.description == base.indicator("财政供养人员控制率").description
    sat = var.indicator("公众或服务对象满意度")
    assert var.score_formula(sat) == "SCORE_TIERS(satisfaction_rate,{0.9,0.8,0.7},{6,4,2},0)"
    assert (int(var.indicator("重点工作完成情况").points), int(var.indicator("项目完成及时性").points)) == (10, 4)
    assert var.score_formula(var.indicator("项目完成及时性")) == "SCORE_RATIO(projects_completed,projects_planned,4)"
    assert "每项扣5分" in var.input("key_tasks_unfinished").help
    assert var.input("key_tasks_unfinished").label == base.input("key_tasks_unfinished").label


def test_unknown_framework_name_lists_the_known_ones():
    with pytest.raises(FrameworkError) as err:
        load_framework("no_such_framework")
    assert "no_such_framework.toml" in str(err.value) and "longgang_2020" in str(err.value)


def test_a_framework_file_changed_on_disk_is_read_again(tmp_path):
    # loaded once per process for speed, but never stale: an edited definition, or the one
    # it extends, is what the next load gives
    import os
    import shutil

    from workbook.loading import FRAMEWORKS_DIR

    base = tmp_path / "longgang_2020.toml"
    shutil.copy(FRAMEWORKS_DIR / "longgang_2020.toml", base)
    variant = tmp_path / "variant.toml"
    shutil.copy(FRAMEWORKS_DIR / "variant_linear_staff.toml", variant)
    first = load_framework(variant)
    assert load_framework(variant) is first
    name = first.indicators[0].name
    text = base.read_text(encoding="utf-8")
    assert f'name = "{name}"' in text
    base.write_text(text.replace(f'name = "{name}"', 'name = "改过的指标"', 1), encoding="utf-8")
    os.utime(base, ns=(1, 1))  # a new stamp even on a coarse clock
    assert load_framework(variant).indicators[0].name == "改过的指标"
    assert load_framework(base).indicators[0].name == "改过的指标"
