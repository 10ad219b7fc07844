"""A finance bureau checks the workbooks it received without changing them: ``xladdin audit``.

Findings: a score typed as a number where the template has a formula (应为公式), a stored
(cached) value that disagrees with the rules (不一致), a workbook that was never calculated
(未重算). Audit writes nothing; its exit status is 0 when every file passed, 1 when there
are findings, 2 when a file could not be read.
Expected values are derived by hand from the rule text (tests/batch_departments.py).
"""
from __future__ import annotations

import pandas as pd
import pytest

from batch_departments import (
    DEPARTMENTS,
    GOOD,
    PROCUREMENT_CELL,
    SCORE_SHEET,
    TOTAL_CELL,
    TRADE_UNION,
    cached,
    done_line,
    last_line,
    listing,
    set_cached_value,
    snapshot,
    write_department,
    write_edited,
)
from xladdin.cli import main


def audit(*args) -> int:
    return main(["audit", "-j", "1", *map(str, args)])


def recalculated(tmp_path, capsys, dept=TRADE_UNION):
    """A department's workbook as it comes back after Excel (here: xladdin) calculated it."""
    src = write_department(tmp_path / "原件", dept)
    assert main(["recalc", str(src), "-o", str(tmp_path / "收文"), "-j", "1"]) == 0
    capsys.readouterr()
    return tmp_path / "收文" / dept.file


def test_stored_value_that_disagrees_with_the_rules(tmp_path, capsys):
    path = recalculated(tmp_path, capsys)
    # 政府采购: 14,750/15,000 = 98.33% × 1 → 0.98 (truncated) + 政策 1 = 1.98; the department's
    # file claims 2 (e.g. an edited copy whose formula result was overwritten).
    set_cached_value(path, PROCUREMENT_CELL, "1.98", "2")
    assert cached(path, PROCUREMENT_CELL) == [2]
    before = snapshot(path.parent)

    assert audit(path) == 1

    out = capsys.readouterr().out
    assert f"核查  {path}：1 处需要核对" in out  # only that cell: the stored total 98.97 agrees with the rules
    assert "[不一致] 评分表!I11 保存的值为 2，按规则重算为 1.98" in out
    assert "应为公式" not in out
    assert last_line(out) == done_line(1, 1, 0)
    assert snapshot(path.parent) == before  # nothing written, no file added


def test_every_disagreement_is_listed_by_audit_and_the_first_five_by_recalc(tmp_path, capsys):
    path = recalculated(tmp_path, capsys)
    # seed scores (published): 预算编制合理性 5, 预算编制规范性 5, 绩效目标完整性 8, 绩效指标明确性 7,
    # 政府采购执行情况 1.98, 财务合规性 3 — each stored one raised by one point
    for ref, right, wrong in (("I7", "5", "6"), ("I8", "5", "6"), ("I9", "8", "9"), ("I10", "7", "8"), ("I11", "1.98", "2.98"), ("I12", "3", "4")):
        set_cached_value(path, ref, right, wrong)

    assert audit(path) == 1
    out = capsys.readouterr().out
    assert f"核查  {path}：6 处需要核对" in out
    for ref, right, wrong in (("I7", 5, 6), ("I8", 5, 6), ("I9", 8, 9), ("I10", 7, 8), ("I11", 1.98, 2.98), ("I12", 3, 4)):
        assert f"[不一致] 评分表!{ref} 保存的值为 {wrong}，按规则重算为 {right}" in out

    # recalc shows the first five and points to audit; the written result has the right values
    assert main(["recalc", str(path), "-o", str(tmp_path / "重算"), "-j", "1"]) == 0
    out = capsys.readouterr().out
    assert out.count("[不一致]") == 5
    assert "……另有 1 处，用 xladdin audit 查看全部" in out
    assert cached(tmp_path / "重算" / path.name, "I7", PROCUREMENT_CELL, TOTAL_CELL) == [5, 1.98, 98.97]


@pytest.mark.parametrize(
    ("sheet", "ref", "typed", "what"),
    [
        (SCORE_SHEET, PROCUREMENT_CELL, 2, "政府采购执行情况 (得分情况 column, defined name procurement_score)"),
        (SCORE_SHEET, TOTAL_CELL, 99, "总得分 (defined name total_score)"),
        ("得分汇总", "C5", 20, "部门管理 subtotal (defined name subtotal_management)"),
    ],
)
def test_score_typed_as_a_number_instead_of_the_formula(tmp_path, capsys, sheet, ref, typed, what):
    path = write_edited(tmp_path / "收文", "手填.xlsx", lambda wb: wb[sheet].__setitem__(ref, typed))
    before = snapshot(path.parent)

    assert audit(path) == 1

    out = capsys.readouterr().out
    # built by openpyxl: never calculated, no stored results to disagree with; the typed
    # score is the finding that matters and comes first
    assert f"核查  {path}：2 处需要核对" in out, what
    lines = out.splitlines()
    first = lines.index(f"核查  {path}：2 处需要核对") + 1
    assert lines[first] == f"      [应为公式] {sheet}!{ref} 的得分 {typed} 是手工填写的数字，模板此处应为评分公式"
    assert lines[first + 1].startswith("      [未重算] 此文件从未计算过：")
    assert "不一致" not in out
    assert snapshot(path.parent) == before


def test_freshly_built_workbooks_were_never_calculated(tmp_path, capsys):
    """Filled by a script (openpyxl): no formula has a stored value, so no reader without
    the add-in or a recalculation sees any score. That is a finding, not a pass."""
    inbox = tmp_path / "收文"
    paths = [write_department(inbox, dept) for dept in DEPARTMENTS]
    before = snapshot(inbox)

    assert audit(inbox) == 1

    out = capsys.readouterr().out
    for path in paths:
        assert f"核查  {path}：1 处需要核对" in out
    assert out.count("[未重算] 此文件从未计算过：") == 4
    assert "通过" not in out and "不一致" not in out and "应为公式" not in out
    assert last_line(out) == done_line(4, 4, 0)
    assert snapshot(inbox) == before


def test_a_workbook_recalculated_by_xladdin_passes_audit(tmp_path, capsys):
    path = recalculated(tmp_path, capsys, GOOD)
    assert cached(path, TOTAL_CELL) == [pytest.approx(85.17, abs=1e-9)]  # hand-derived in batch_departments
    assert audit(path) == 0
    out = capsys.readouterr().out
    assert f"通过  {path}：所有公式保存的值与按规则重算的一致" in out
    assert "核查  " not in out


def test_audit_of_a_folder_with_a_broken_file(tmp_path, capsys):
    path = recalculated(tmp_path, capsys)
    set_cached_value(path, PROCUREMENT_CELL, "1.98", "2")
    broken = path.parent / "损坏.xlsx"
    broken.write_bytes(b"PK\x03\x04 cut off")
    before = snapshot(path.parent)
    summary = tmp_path / "核查汇总.csv"

    assert audit(path.parent, "--summary", summary) == 2  # a file could not be read

    captured = capsys.readouterr()
    assert f"失败  {broken}：" in captured.err and "文件已损坏" in captured.err
    assert "[不一致] 评分表!I11 保存的值为 2，按规则重算为 1.98" in captured.out
    assert last_line(captured.out) == done_line(2, 1, 1)
    assert snapshot(path.parent) == before
    assert listing(tmp_path) == sorted(["原件", "收文", summary.name])
    table = pd.read_csv(summary, encoding="utf-8-sig").set_index("文件")
    assert table.loc[str(path), "核查"] == 1  # one finding
    assert table.loc[str(path), "总得分"] == pytest.approx(98.97, abs=1e-9)  # recomputed, not the stored 2
    assert "文件已损坏" in table.loc[str(broken), "错误"]
