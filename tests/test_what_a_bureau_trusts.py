"""A finance bureau collects department workbooks and must trust what reaches its summary
and its 定稿副本: scores typed over formulas do not count, every problem a department
must fix is listed once in plain Chinese with its cell, blank inputs are asked for,
a row typed below a table is reported, 年度 comes from the file.

Every workbook is built by the test (the seed department, tests/batch_departments.py,
with a few inputs changed); every expected score is derived by hand from the rule text
of workbook/frameworks/longgang_2020.toml, quoted in the comments.
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from batch_departments import (
    FRAMEWORK,
    PROCUREMENT_CELL,
    SCORE_SHEET,
    SEED,
    TOTAL_CELL,
    TRADE_UNION,
    Department,
    cached,
    write_department,
    write_edited,
)
from workbook import build_workbook, load_framework, score_in_python
from workbook.framework import plain_note
from xladdin.cli import main
from xladdin import engine
from xladdin.freeze import cells_to_freeze, freeze_file, frozen_marker
from xladdin.package import WorkbookPackage

INPUTS = "基础数据"


def run(capsys, *args) -> tuple[int, str]:
    status = main([*map(str, args)])
    return status, capsys.readouterr().out


def summary_rows(path: Path) -> pd.DataFrame:
    # the text #N/A stays text: pandas would read it as a missing value
    return pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False)


def input_cell(name: str, index: int = 0) -> str:
    """Where the template puts an input (基础数据!C27), from its defined name."""
    wb, _layout = build_workbook(FRAMEWORK, SEED["values"])
    ref = wb.defined_names[name].attr_text
    sheet, cells = ref.split("!")
    first = cells.replace("$", "").split(":")[0]
    column, row = re.match(r"([A-Z]+)(\d+)", first).groups()
    return f"{INPUTS}!{column}{int(row) + index}"


def department(file: str, changes: dict, name: str = "深圳市龙岗区某局") -> Department:
    return Department(file, name, changes, 0, "")


# ----------------------------------------------------------------------------- 1. rule scores count


def test_a_typed_score_is_shown_beside_the_rules_value_and_never_frozen(tmp_path, capsys):
    inbox = tmp_path / "收文"
    # 政府采购 by the rule: 14,750/15,000 = 98.33% × 1 → 0.98 (truncated) + 政策 1 = 1.98; the
    # department typed 2 over the formula. The total by the rules stays the seed's 98.97.
    write_edited(inbox, "手填指标.xlsx", lambda wb: wb[SCORE_SHEET].__setitem__(PROCUREMENT_CELL, 2))
    # a department typed 95 over the total formula; its indicators add up to 98.97
    write_edited(inbox, "手填总分.xlsx", lambda wb: wb[SCORE_SHEET].__setitem__(TOTAL_CELL, 95))
    summary = tmp_path / "汇总.csv"

    status, out = run(capsys, "recalc", inbox, "-o", tmp_path / "重算", "-j", "1", "--summary", summary)
    assert status == 0
    assert f"[手工填写] 政府采购执行情况手工填写为 2（{SCORE_SHEET}!{PROCUREMENT_CELL}），按规则为 1.98" in out
    assert f"[手工填写] 总得分手工填写为 95（{SCORE_SHEET}!{TOTAL_CELL}），按规则为 98.97" in out
    rows = summary_rows(summary).set_index("文件")
    indicator = rows.loc[str(inbox / "手填指标.xlsx")]
    assert float(indicator["政府采购执行情况"]) == 1.98 and float(indicator["总得分"]) == 98.97
    # 资金管理 = 1.98 + 3 + 3 = 7.98 by the rules, not 8 with the typed 2
    assert float(indicator["资金管理（小计）"]) == 7.98 and float(indicator["部门管理（小计）"]) == 19.98
    assert indicator["手工填写"] == f"政府采购执行情况手工填写为 2（{SCORE_SHEET}!{PROCUREMENT_CELL}），按规则为 1.98"
    total = rows.loc[str(inbox / "手填总分.xlsx")]
    assert float(total["总得分"]) == 98.97 and total["评价等级"] == "优"
    assert total["手工填写"] == f"总得分手工填写为 95（{SCORE_SHEET}!{TOTAL_CELL}），按规则为 98.97"

    # freeze writes no 定稿副本 showing a score the rules do not give
    status, out = run(capsys, "freeze", inbox, "-o", tmp_path / "定稿", "-j", "1")
    assert status == 1
    assert not (tmp_path / "定稿" / "手填指标.xlsx").exists() and not (tmp_path / "定稿" / "手填总分.xlsx").exists()


def test_freeze_refuses_a_typed_score_and_says_why(tmp_path, capsys):
    path = write_edited(tmp_path / "收文", "手填总分.xlsx", lambda wb: wb[SCORE_SHEET].__setitem__(TOTAL_CELL, 95))
    assert main(["freeze", str(path), "-o", str(tmp_path / "定稿"), "-j", "1"]) == 1
    err = capsys.readouterr().err
    assert f"失败  {path}：未生成定稿副本：总得分手工填写为 95（{SCORE_SHEET}!{TOTAL_CELL}），按规则为 98.97" in err
    assert not (tmp_path / "定稿" / path.name).exists()


def test_a_laundered_frozen_copy_does_not_pass_audit(tmp_path, capsys):
    source = write_department(tmp_path / "收文", TRADE_UNION)
    (tmp_path / "定稿").mkdir()
    frozen = freeze_file(source, tmp_path / "定稿" / "总工会.xlsx").target
    status, out = run(capsys, "audit", "-j", "1", frozen)
    assert status == 0 and f"通过  {frozen}：定稿副本" in out

    # someone typed 95 over the frozen copy's total (and, in another copy, 2 over 政府采购)
    book = WorkbookPackage.open(frozen)
    laundered_total = tmp_path / "改总分.xlsx"
    book.write({(SCORE_SHEET, TOTAL_CELL): 95.0}, laundered_total, freeze=[(SCORE_SHEET, TOTAL_CELL)])
    status, out = run(capsys, "audit", "-j", "1", laundered_total)
    assert status == 1
    assert f"[不一致] {SCORE_SHEET}!{TOTAL_CELL} 定稿副本中的总得分 95 不是公式算出的，按本文件基础数据应为 98.97" in out

    # a copy frozen as an older freeze did it from a file with 2 typed over 政府采购
    original = WorkbookPackage.open(source)
    results = engine.recalculate_package(original)
    values = {**results.values, (SCORE_SHEET, PROCUREMENT_CELL): 2.0}
    cells = cells_to_freeze(original, results)
    laundered_score = tmp_path / "改指标.xlsx"
    original.write(values, laundered_score, freeze=cells, custom_properties=frozen_marker(len(cells)))
    status, out = run(capsys, "audit", "-j", "1", laundered_score, "--summary", tmp_path / "s.csv")
    assert status == 1
    assert f"[不一致] {SCORE_SHEET}!{PROCUREMENT_CELL} 定稿副本中保存的值为 2，按本文件基础数据重算为 1.98" in out
    row = summary_rows(tmp_path / "s.csv").iloc[0]
    assert float(row["政府采购执行情况"]) == 1.98 and float(row["总得分"]) == 98.97


# ----------------------------------------------------------------------------- 2. reasons per department


def test_text_in_an_amount_cell_gives_its_reason_in_the_summary_and_the_exception_list(tmp_path, capsys):
    # 所有固定资产总额 typed as “一千万”: not a number → 固定资产利用率 #VALUE!, total #N/A
    dept = department("资产.xlsx", {"assets_total": "一千万"}, "深圳市龙岗区某中心")
    path = write_department(tmp_path / "收文", dept)
    summary = tmp_path / "汇总.csv"
    status, out = run(capsys, "audit", "-j", "1", path.parent, "--summary", summary)
    assert status == 1
    row = summary_rows(summary).iloc[0]
    assert row["固定资产利用率"] == "#VALUE!" and row["总得分"] == "#N/A"
    assert row["错误"].startswith("固定资产利用率：所有固定资产总额“一千万”不是数字")
    assert "#VALUE!" not in row["错误"]
    lines = out.splitlines()
    assert lines[0] == "需要部门更正的问题（每行一个部门的一个问题）："
    assert re.fullmatch(
        rf"  深圳市龙岗区某中心  固定资产利用率  \[输入有误\] 所有固定资产总额“一千万”不是数字.* → {re.escape(input_cell('assets_total'))}",
        lines[1],
    )
    assert lines[2] == "共 1 个部门；1 个部门需要更正（1 个指标，1 个单元格）。"


def test_a_blank_required_input_gives_na_and_a_note_asking_for_it(tmp_path, capsys):
    # 政府采购政策功能 left blank: the template asks for it, so 政府采购 is #N/A, not 1 point by default
    blank = {"procurement_policy": None}
    scored = score_in_python(FRAMEWORK, {**SEED["values"], **blank})
    assert scored["indicators"]["procurement"]["score"] == "#N/A"
    assert scored["indicators"]["procurement"]["note"].startswith("政府采购政策功能执行和落实到位为空，请填写；整改情况：")
    assert scored["total"] == "#N/A"
    # the function typed into a sheet of one's own keeps its optional default (1 point)
    import udfs

    assert udfs.SCORE_PROCUREMENT(14750, 15000) == 1.98

    path = write_department(tmp_path / "收文", department("空白.xlsx", blank))
    summary = tmp_path / "汇总.csv"
    status, out = run(capsys, "recalc", path, "-o", tmp_path / "重算", "-j", "1", "--summary", summary)
    assert status == 0
    result = tmp_path / "重算" / "空白.xlsx"
    assert cached(result, PROCUREMENT_CELL, TOTAL_CELL) == ["#N/A", "#N/A"]
    assert cached(result, "J11")[0].startswith("政府采购政策功能执行和落实到位为空，请填写")
    assert summary_rows(summary).iloc[0]["错误"] == "政府采购执行情况：政府采购政策功能执行和落实到位为空，请填写"
    status, out = run(capsys, "audit", "-j", "1", result)
    assert status == 1
    assert f"[缺少输入] 政府采购政策功能执行和落实到位为空，请填写 → {input_cell('procurement_policy')}" in out


def test_not_applicable_where_the_framework_does_not_allow_it(tmp_path, capsys):
    # only the 三公 part of 公用经费控制率 may be 不涉及 in 龙岗 2020: 日常公用经费 may not
    changes = {"daily_actual": "不涉及"}
    scored = score_in_python(FRAMEWORK, {**SEED["values"], **changes})["indicators"]["public_funds"]
    assert scored["score"] == "#VALUE!"
    assert scored["note"].startswith("日常公用经费决算数不能填写“不涉及”")
    path = write_department(tmp_path / "收文", department("日常.xlsx", changes))
    status, out = run(capsys, "audit", "-j", "1", path)
    assert status == 1
    assert f"公用经费控制率  [输入有误] 日常公用经费决算数不能填写“不涉及”" in out
    assert out.splitlines()[1].endswith(f" → {input_cell('daily_actual')}")


def test_the_framework_says_where_not_applicable_may_be_claimed():
    fw = load_framework(FRAMEWORK)
    allowed = {ind.name for ind in fw.indicators if any(inp.not_applicable for inp in ind.inputs)}
    assert allowed == {"政府采购执行情况", "项目完成及时性", "固定资产利用率", "公用经费控制率"}
    funds = fw.indicator("公用经费控制率")
    assert [inp.key for inp in funds.inputs if inp.not_applicable] == ["sangong_actual", "sangong_budget"]


def test_a_blank_year_is_asked_for_and_the_summary_year_comes_from_the_file(tmp_path, capsys):
    inbox = tmp_path / "收文"
    write_edited(inbox, "2024.xlsx", lambda wb: wb[SCORE_SHEET].__setitem__("G2", 2024))
    write_edited(inbox, "无年度.xlsx", lambda wb: wb[SCORE_SHEET].__setitem__("G2", None))
    summary = tmp_path / "汇总.csv"
    status, out = run(capsys, "audit", "-j", "1", inbox, "--summary", summary)
    rows = summary_rows(summary).set_index("文件")
    assert str(rows.loc[str(inbox / "2024.xlsx"), "年度"]) == "2024"
    assert rows.loc[str(inbox / "无年度.xlsx"), "年度"] == ""
    assert status == 1
    assert f"年度  [缺少输入] 年度未填写，请填写评价年度（如 2024） → {SCORE_SHEET}!G2" in out


# ----------------------------------------------------------------------------- 7. table inputs


def _targets(n: int) -> list[list]:
    """n 个性化指标: target 100 each; actual 100, except row 20 at 50 and row 21 at 10."""
    actual = {20: 50, 21: 10}
    return [[f"指标{i}", 100, actual.get(i, 100), "≥", 1] for i in range(1, n + 1)]


def test_twenty_rows_are_scored_and_a_row_below_the_table_is_reported(tmp_path, capsys):
    # 社会、经济、生态效益: each row min(实际/目标, 1), equal weights, × 20.
    # 20 rows: 19 × 1 + 0.5 → 19.5/20 × 20 = 19.5; total = 98.97 − (20 − 19.5) = 98.47.
    scored = score_in_python(FRAMEWORK, {**SEED["values"], "targets": _targets(20)})
    assert scored["indicators"]["benefits"]["score"] == 19.5
    assert scored["total"] == 98.47

    # the same 20 rows, and a 21st (10% completion) typed just below the table's range, as
    # when a row is inserted there: the template's names keep their 20 rows. Had it counted,
    # the score would be (19 + 0.5 + 0.1)/21 × 20 = 18.66.
    variant = tmp_path / "rows21.toml"
    variant.write_text(
        'extends = "longgang_2020"\n[[indicator]]\nkey = "benefits"\n[[indicator.input]]\nkey = "targets"\nrows = 21\n',
        encoding="utf-8",
    )
    wb, layout = build_workbook(variant, {**SEED["values"], "targets": _targets(21)}, {"name": "深圳市龙岗区某局", "year": 2024})
    first, last, _column = layout.input_rows["targets_actual"]
    assert last - first + 1 == 21
    for name in ("targets_name", "targets_target", "targets_actual", "targets_direction", "targets_weight"):
        wb.defined_names[name].attr_text = re.sub(rf"\${last}$", f"${last - 1}", wb.defined_names[name].attr_text)
    for prop in wb.custom_doc_props:
        if prop.name == "评分框架":
            prop.value = "longgang_2020"
    path = tmp_path / "收文" / "21行.xlsx"
    path.parent.mkdir()
    wb.save(path)

    status, out = run(capsys, "recalc", path, "-o", tmp_path / "重算", "-j", "1")
    assert status == 0 and "总得分 98.47" in out
    result = tmp_path / "重算" / path.name
    benefits_row = 7 + 18  # 评分表: indicators from row 7; 社会、经济、生态效益 is the 19th
    assert cached(result, f"I{benefits_row}") == [19.5]
    note = cached(result, f"J{benefits_row}")[0].replace("\u2060", "").replace("\u200b", "")
    assert note.startswith(f"基础数据第{last}行在填报区域之外，未计分；第20项目标完成率=50.00%")
    status, out = run(capsys, "audit", "-j", "1", result)
    assert status == 1
    assert f"[未计分] 基础数据第{last}行在填报区域之外，未计分（表格只有20行） → {INPUTS}!B{last}" in out


# ----------------------------------------------------------------------------- counts a clerk knows


def test_audit_counts_departments_indicators_and_cells(tmp_path, capsys):
    inbox = tmp_path / "收文"
    write_department(inbox, department("甲.xlsx", {"assets_total": "一千万", "procurement_policy": None}, "甲局"))
    write_department(inbox, department("乙.xlsx", {"quarter_spending": [46666000, None, 25599600, 1628900]}, "乙局"))
    write_department(inbox, TRADE_UNION)
    assert main(["recalc", str(inbox), "-o", str(tmp_path / "重算"), "-j", "1"]) == 0  # as Excel would have
    capsys.readouterr()
    status, out = run(capsys, "audit", "-j", "1", tmp_path / "重算")
    assert status == 1
    # 甲: 固定资产利用率 (1 cell) and 政府采购 (1 cell); 乙: 预算执行率, its blank second quarter
    assert "共 3 个部门；2 个部门需要更正（3 个指标，3 个单元格）；1 个部门通过。" in out.splitlines()
    assert f"乙局  预算执行率" in out and out.count(input_cell("quarter_spending", 1)) == 1


# ----------------------------------------------------------------------------- 3. 不涉及, 4. units, 6. warnings


def test_not_applicable_where_the_framework_allows_it_scores_full_points_and_audit_lists_it(tmp_path, capsys):
    # 政府采购执行情况 (2): both amounts 不涉及 → the contract's full points 2 (the seed's 1.98
    # otherwise): total 98.97 − 1.98 + 2 = 98.99. 固定资产利用率 (1) 不涉及 → 1, as the seed.
    changes = {"procurement_actual": "不涉及", "procurement_planned": "不涉及", "assets_in_use": "不涉及", "assets_total": "不涉及"}
    scored = score_in_python(FRAMEWORK, {**SEED["values"], **changes})
    assert scored["indicators"]["procurement"]["score"] == 2 and scored["total"] == 98.99
    # the note, then the seed's 整改情况 after "；" (the note is not empty at full marks)
    assert plain_note(scored["indicators"]["procurement"]["note"]).startswith("本年度不涉及，按满分计；整改情况：")

    path = write_department(tmp_path / "收文", department("无采购.xlsx", changes, "深圳市龙岗区某所"))
    assert main(["recalc", str(path), "-o", str(tmp_path / "重算"), "-j", "1"]) == 0
    capsys.readouterr()
    result = tmp_path / "重算" / path.name
    assert cached(result, PROCUREMENT_CELL, TOTAL_CELL) == [2, 98.99]
    status, out = run(capsys, "audit", "-j", "1", result)
    assert status == 1  # a claim the bureau checks
    lines = out.splitlines()
    assert lines[0] == "需要核实的声明和数据："
    assert lines[1] == (
        "  深圳市龙岗区某所  政府采购执行情况  [声明不涉及] 声明本年度不涉及（实际采购金额合计数、采购计划金额合计数），按满分计，请核实"
        f" → {input_cell('procurement_actual')}、{input_cell('procurement_planned')}"
    )
    assert lines[2].startswith("  深圳市龙岗区某所  固定资产利用率    [声明不涉及]")
    assert lines[3] == "共 1 个部门；1 个部门有声明或数据待核实。"


def test_not_applicable_in_an_indicator_that_cannot_be_not_applicable(tmp_path, capsys):
    # 财务合规性 has no 不涉及 in the contract: the function refuses it (#VALUE!) and says so
    path = write_department(tmp_path / "收文", department("调剂.xlsx", {"funds_adjusted": "不涉及"}))
    status, out = run(capsys, "audit", "-j", "1", path)
    assert status == 1
    line = next(line for line in out.splitlines() if "财务合规性" in line)
    assert "[输入有误]" in line and "不涉及" in line and line.endswith(f" → {input_cell('funds_adjusted')}")


def test_amounts_with_units_as_the_seed_writes_them(tmp_path, capsys):
    # 政府采购: “1.2万” = 12,000 of “15000.00元” = 15,000 → 80% × 1 = 0.8, + 政策 1 = 1.8.
    # 固定资产: “１．４８万” = 14,800 in use of “1.48万元” = 14,800 → 100% ≥ 90% → 1.
    # 三公: “4.8万元” = 48,000 of 61,000 = 78.7% < 90% → 3 (as the seed).
    # 预算执行率 against a budget of “1.2亿” = 120,000,000: quarter-end spending 46,666,000 /
    # 64,107,700 / 89,707,300 / 91,336,200 → quarters min(38.89%/25%, 1) = 1, min(53.42%/50%, 1) = 1,
    # 74.76%/75% = 0.9967 → 0.99, 76.11%/100% → 0.76; year: mean of the uncapped rates 1.0955 × 2 → 2;
    # 1 + 1 + 0.99 + 0.76 + 2 = 5.75. Total 98.97 − (1.98 − 1.8) − (5.99 − 5.75) = 98.55.
    changes = {
        "procurement_actual": "1.2万", "procurement_planned": "15000.00元",
        "assets_in_use": "１．４８万", "assets_total": "1.48万元", "sangong_actual": "4.8万元",
        "execution_budget": "1.2亿",
    }
    path = write_department(tmp_path / "收文", department("万元.xlsx", changes))
    summary = tmp_path / "汇总.csv"
    assert main(["recalc", str(path), "-o", str(tmp_path / "重算"), "-j", "1", "--summary", str(summary)]) == 0
    capsys.readouterr()
    row = summary_rows(summary).iloc[0]
    assert (float(row["政府采购执行情况"]), float(row["固定资产利用率"]), float(row["公用经费控制率"])) == (1.8, 1, 5)
    assert float(row["预算执行率"]) == 5.75 and float(row["总得分"]) == 98.55
    note = cached(tmp_path / "重算" / path.name, "J11")[0].replace("\u2060", "").replace("\u200b", "")
    assert note.startswith("政府采购执行率=（12,000/15,000）×100%=80.00%")  # the amounts in 元


def test_cumulative_quarters_typed_as_plain_ones_are_flagged_without_changing_the_score(tmp_path, capsys):
    # quarter-end running totals typed while 累计数 says 否: read as plain quarters their sums
    # are 46,666,000 / 110,773,700 / 200,481,000 / 291,817,200, every quarter over its pace →
    # 1 + 1 + 1 + 1 and the year 2: 预算执行率 6, total 98.97 − 5.99 + 6 = 98.98. The warning
    # (the quarters add up to more than the budget) never changes the score.
    changes = {"quarter_spending": [46666000, 64107700, 89707300, 91336200], "quarter_cumulative": "否"}
    path = write_department(tmp_path / "收文", department("累计.xlsx", changes, "深圳市龙岗区某站"))
    assert main(["recalc", str(path), "-o", str(tmp_path / "重算"), "-j", "1"]) == 0
    capsys.readouterr()
    result = tmp_path / "重算" / path.name
    assert cached(result, "I22", TOTAL_CELL) == [6, 98.98]
    status, out = run(capsys, "audit", "-j", "1", result)
    assert status == 1
    line = next(line for line in out.splitlines() if "预算执行率" in line)
    assert "[数据存疑] 四个季度支出合计291,817,200元，超过全年预算数91,471,549.43元" in line
    assert "（提示不影响得分）" in line
    assert line.endswith(f"{input_cell('quarter_spending')}:C{int(input_cell('quarter_spending')[6:]) + 3}、{input_cell('execution_budget')}、{input_cell('quarter_cumulative')}")
