"""This year against last: ``--summary 汇总.xlsx --compare 上年汇总.xlsx`` (or .csv), where the
last year's summary is one this tool wrote.

Every department of this year's summary gets 上年总得分, 变化 and 上年等级, matched by 部门名称;
a department found in one year only is listed. Last year's totals are hand-derived like
this year's (tests/batch_departments.py): each department's file of last year is built from
another department's inputs.
"""
from __future__ import annotations

import os

import openpyxl
import pandas as pd
import pytest

from batch_departments import FAIR, GOOD, OVER_PLAN, TRADE_UNION, run_cli, write_department, write_named
from xladdin.cli import main

LAST_YEAR = 2019


@pytest.fixture
def two_years(tmp_path):
    """2019: 总工会 scored as OVER_PLAN (97.99), 街道办 as FAIR (76.47), 事业单位 (76.47).
    2020: 总工会 98.97, 街道办 85.17, and 某局 (97.99) is new; 事业单位 sent nothing."""
    last, this = tmp_path / "2019", tmp_path / "2020"
    write_department(last, OVER_PLAN, file="总工会.xlsx", name=TRADE_UNION.name, year=LAST_YEAR)
    # typed with a full-width space last year: the same department
    write_department(last, FAIR, file="街道办.xlsx", name="深圳市龙岗区　某街道办事处", year=LAST_YEAR)
    write_department(last, FAIR, year=LAST_YEAR)
    for dept in (TRADE_UNION, GOOD, OVER_PLAN):
        write_department(this, dept)
    return last, this


EXPECTED = {  # 部门名称 → (上年总得分, 变化, 上年等级); 变化 = this year's total − last year's, exact
    TRADE_UNION.name: (97.99, 0.98, "优"),  # 98.97 − 97.99
    GOOD.name: (76.47, 8.7, "中"),  # 85.17 − 76.47 (not 8.700000000000003)
    OVER_PLAN.name: (None, "上年无", None),
}


@pytest.mark.parametrize("last_format", [".xlsx", ".csv"])
@pytest.mark.parametrize("this_format", [".xlsx", ".csv"])
def test_this_year_against_last_by_department(two_years, tmp_path, capsys, last_format, this_format):
    last, this = two_years
    previous = tmp_path / f"上年汇总{last_format}"
    assert main(["recalc", str(last), "-o", str(tmp_path / "结果2019"), "-j", "1", "--summary", str(previous)]) == 0
    capsys.readouterr()
    summary = tmp_path / f"汇总{this_format}"
    assert main(["recalc", str(this), "-o", str(tmp_path / "结果2020"), "-j", "1",
                 "--summary", str(summary), "--compare", str(previous)]) == 0
    out = capsys.readouterr().out
    assert f"与上年对比（{previous}）：两年都有的部门 2 个" in out
    assert f"本年新增 1 个\n    {OVER_PLAN.name}（总得分 97.99）" in out
    assert f"上年有、本年没有 1 个\n    {FAIR.name}（上年总得分 76.47，中）" in out

    if this_format == ".csv":
        table = pd.read_csv(summary, encoding="utf-8-sig", dtype=str, keep_default_na=False)
        records = table.to_dict("records")
    else:
        wb = openpyxl.load_workbook(summary)
        ws = wb["汇总"]
        header = [c.value for c in ws[1]]
        records = [dict(zip(header, row)) for row in ws.iter_rows(min_row=2, values_only=True)]
    columns = list(records[0])
    assert columns[columns.index("评价等级") + 1: columns.index("评价等级") + 4] == ["上年总得分", "变化", "上年等级"]
    got = {r["部门名称"]: (r["上年总得分"], r["变化"], r["上年等级"]) for r in records}
    if this_format == ".csv":
        expected = {name: tuple("" if v is None else f"{v:g}" if isinstance(v, float) else v for v in values)
                    for name, values in EXPECTED.items()}
    else:
        expected = EXPECTED
    assert got == expected

    if this_format == ".xlsx":  # the departments of one year only, on their own sheet too
        lines = [[v for v in row if v is not None] for row in wb["年度对比"].iter_rows(values_only=True)]
        wb.close()
        assert [OVER_PLAN.name, 97.99, "优"] in lines
        assert [FAIR.name, 76.47, "中"] in lines


def test_a_formula_like_name_matches_last_years_escaped_csv(tmp_path, capsys):
    name = '=HYPERLINK("http://x","y")'
    write_named(tmp_path / "2019", "1.xlsx", name)
    write_named(tmp_path / "2020", "1.xlsx", name)
    previous = tmp_path / "上年汇总.csv"  # holds '=HYPERLINK(…) with the CSV's apostrophe
    main(["audit", str(tmp_path / "2019"), "-j", "1", "--summary", str(previous)])
    summary = tmp_path / "汇总.csv"
    main(["audit", str(tmp_path / "2020"), "-j", "1", "--summary", str(summary), "--compare", str(previous)])
    assert "两年都有的部门 1 个" in capsys.readouterr().out
    row = pd.read_csv(summary, encoding="utf-8-sig", dtype=str, keep_default_na=False).iloc[0]
    assert row["部门名称"] == "'" + name and row["变化"] != "上年无"


def test_compare_needs_a_summary_and_a_summary_to_compare_with(two_years, tmp_path, capsys):
    last, this = two_years
    out = tmp_path / "结果"
    assert main(["recalc", str(this), "-o", str(out), "--compare", str(tmp_path / "上年.xlsx")]) == 2
    assert "--compare" in capsys.readouterr().err and not out.exists()
    summary = tmp_path / "汇总.xlsx"
    a_workbook = last / "总工会.xlsx"  # not a summary
    assert main(["recalc", str(this), "-o", str(out), "--summary", str(summary), "--compare", str(a_workbook)]) == 2
    err = capsys.readouterr().err
    assert "上年汇总表中没有“部门名称”和“总得分”列，不是本工具生成的汇总表" in err and "未做任何处理" in err
    assert not out.exists() and not summary.exists()
    assert main(["recalc", str(this), "-o", str(out), "--summary", str(summary), "--compare", str(tmp_path / "无.csv")]) == 2
    assert "找不到上年汇总表" in capsys.readouterr().err


def test_the_same_year_twice_is_pointed_out(two_years, tmp_path, capsys):
    _, this = two_years
    previous = tmp_path / "汇总2020.csv"
    main(["recalc", str(this), "-o", str(tmp_path / "甲"), "-j", "1", "--summary", str(previous)])
    capsys.readouterr()
    main(["recalc", str(this), "-o", str(tmp_path / "乙"), "-j", "1", "--summary", str(tmp_path / "再.csv"), "--compare", str(previous)])
    assert "上年汇总表的年度（2020）与本次相同，请确认选对了文件" in capsys.readouterr().err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need a POSIX system")
@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_a_named_pipe_as_last_years_summary_is_refused_not_waited_on(two_years, tmp_path, suffix):
    _, this = two_years
    pipe = tmp_path / f"上年汇总{suffix}"
    os.mkfifo(pipe)
    result = run_cli("audit", this, "--summary", tmp_path / "汇总.csv", "--compare", pipe)  # in a child: a hang fails, not blocks
    assert result.returncode == 2
    assert "这是命名管道，不是普通文件" in result.stderr and "未做任何处理" in result.stderr
