"""A finance bureau's summary table of all departments: ``--summary 汇总.csv`` / ``汇总.xlsx``.

One row per workbook: 文件, 部门名称, 年度, every indicator and subtotal (Chinese names),
总得分, 评价等级, 错误 (and 核查). A failed file appears with its error; text a spreadsheet
would run as a formula is escaped; the .xlsx has a bar chart of the totals. Expected scores
are derived by hand from the rule text (tests/batch_departments.py).
"""
from __future__ import annotations

import csv
import html
import math
import re
from xml.etree import ElementTree as ET

import openpyxl
import pandas as pd
import pytest

from batch_departments import (
    DEPARTMENTS,
    OVER_PLAN,
    TRADE_UNION,
    Department,
    FRAMEWORK,
    PROCUREMENT_CELL,
    SCORE_SHEET,
    YEAR,
    done_line,
    last_line,
    write_department,
    write_edited,
    write_named,
)
from package_builders import read_parts
from test_what_a_user_sees import libreoffice_pdf_text, libreoffice_sheets, soffice  # noqa: F401 (fixture)
from workbook import load_framework
from xladdin.cli import main

# the overview first (the first printed pages), then the scores, then the file
LEADING = ["排名", "部门名称", "重复", "年度", "总得分", "评价等级", "错误", "核查", "未重算"]
TRAILING = ["文件"]


def framework_columns() -> tuple[list[str], list[str]]:
    """Indicator names and subtotal labels, in table order, from the framework definition."""
    fw = load_framework(FRAMEWORK)
    indicators = [ind.name for ind in fw.indicators]
    subtotals = [f"{level.name}（小计）" for level in [*fw.level1, *fw.level2]]
    return indicators, subtotals


@pytest.fixture
def inbox(tmp_path):
    """The four departments and one file that is not a workbook."""
    folder = tmp_path / "收文"
    for dept in DEPARTMENTS:
        write_department(folder, dept)
    (folder / "坏文件.xlsx").write_bytes(b"<html><body>404</body></html>")
    return folder


def summarise(inbox, tmp_path, capsys, name: str) -> tuple:
    summary = tmp_path / "汇总" / name  # the summary's folder is created as needed
    assert main(["recalc", str(inbox), "-o", str(tmp_path / "结果"), "-j", "1", "--summary", str(summary)]) == 1
    captured = capsys.readouterr()
    assert f"汇总表：{summary}" in captured.out
    assert last_line(captured.out) == done_line(5, 4, 1)  # the bad file fails, so the exit status is 1
    return summary, captured


def check_rows(table: pd.DataFrame, inbox) -> None:
    indicators, subtotals = framework_columns()
    columns = list(table.columns)
    assert columns[: len(LEADING)] == LEADING
    assert columns[-len(TRAILING):] == TRAILING
    assert sorted(columns[len(LEADING): -len(TRAILING)]) == sorted(indicators + subtotals)
    assert [c for c in columns if c in indicators] == indicators  # table order
    assert len(table) == 5  # one row per workbook, the failed one included
    rows = table.set_index("文件")
    for dept in DEPARTMENTS:
        row = rows.loc[str(inbox / dept.file)]
        assert row["部门名称"] == dept.name
        assert row["年度"] == YEAR
        for label, score in dept.scores().items():
            assert float(row[label]) == pytest.approx(score, abs=1e-9), (dept.file, label)
        assert float(row["总得分"]) == pytest.approx(dept.total, abs=1e-9)
        assert row["评价等级"] == dept.grade
        assert row["错误"] is None or (isinstance(row["错误"], float) and math.isnan(row["错误"]))
        assert row["核查"] == 0
        # 98.97 > 97.99 > 85.17 > 76.47 (the hand-derived totals)
        assert int(row["排名"]) == sorted((d.total for d in DEPARTMENTS), reverse=True).index(dept.total) + 1
        assert pd.isna(row["重复"])
    bad = rows.loc[str(inbox / "坏文件.xlsx")]
    assert "文件已损坏或不是 Excel 工作簿" in bad["错误"] and "坏文件.xlsx" in bad["错误"]
    assert pd.isna(bad["总得分"]) and pd.isna(bad["部门名称"])
    assert bad["排名"] == "不排名：文件未处理"


def test_csv_summary(inbox, tmp_path, capsys):
    summary, _ = summarise(inbox, tmp_path, capsys, "汇总.csv")
    assert summary.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel shows the Chinese right
    table = pd.read_csv(summary, encoding="utf-8-sig")
    check_rows(table, inbox)
    with summary.open(encoding="utf-8-sig", newline="") as fh:
        records = list(csv.reader(fh))
    at = {name: i for i, name in enumerate(records[0])}
    years = {r[at["年度"]] for r in records[1:] if r[at["部门名称"]]}
    assert years == {"2020"}  # a year, not 2020.0


def test_xlsx_summary_with_a_bar_chart_of_the_totals(inbox, tmp_path, capsys):
    summary, _ = summarise(inbox, tmp_path, capsys, "汇总.xlsx")
    wb = openpyxl.load_workbook(summary)
    ws = wb["汇总"]
    header = [c.value for c in ws[1]]
    records = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    check_rows(pd.DataFrame(records, columns=header), inbox)
    years = [r[header.index("年度")] for r in records if r[header.index("部门名称")]]
    assert years == [YEAR] * 4 and {type(y) for y in years} == {int}

    # the statistics sheet, worked out here from the departments' own scores
    lines = {r[0]: r[1:] for r in wb["统计"].iter_rows(values_only=True) if r and r[0]}
    totals = [dept.total for dept in DEPARTMENTS]
    assert lines["总得分"][:4] == (len(totals), round(sum(totals) / len(totals), 2), min(totals), max(totals))
    grades = {"优": 0, "良": 0, "中": 0, "差": 0}
    for dept in DEPARTMENTS:
        grades[dept.grade] += 1
    assert {g: lines[g][0] for g in grades} == grades
    assert lines["无评价等级（没有总得分）"][0] == 1  # the file that could not be read

    # the chart's own sheet: the departments with a total, best first; the bad file left out
    ranked = sorted(DEPARTMENTS, key=lambda d: -d.total)
    chart_sheet = [row for row in wb["总得分图"].iter_rows(values_only=True) if any(v is not None for v in row)]
    assert chart_sheet[0][:3] == ("排名", "部门名称", "总得分")
    assert [row[:3] for row in chart_sheet[1:5]] == [(i, d.name, d.total) for i, d in enumerate(ranked, 1)]
    assert "另有 1 个文件没有总得分" in chart_sheet[5][0]
    wb.close()

    # openpyxl does not load charts: look into the package
    parts = read_parts(summary)
    chart = ET.fromstring(parts["xl/charts/chart1.xml"])
    assert chart.find(f".//{C}barDir").get("val") == "bar"
    refs = [f.text for f in chart.iter(f"{C}f")]
    assert "'总得分图'!$B$2:$B$5" in refs  # the categories: every department with a total
    assert "'总得分图'!$C$2:$C$5" in refs  # the values: their totals
    assert chart.find(f".//{C}catAx/{C}tickLblSkip").get("val") == "1"  # every one labelled
    assert chart.find(f".//{C}legend") is None  # one series: no legend reading "总"
    title = "\n".join("".join(t.text for t in p.iter(f"{A}t")) for p in chart.find(f"{C}chart/{C}title").iter(f"{A}p"))
    assert title == "各部门总得分（按排名，4 个）\n另有 1 个文件没有总得分，未列入"
    assert [a.get("val") for a in chart.iter(f"{C}delete")] == ["0", "0"]  # both axes shown
    value_axis_title = "".join(t.text for t in chart.find(f".//{C}valAx/{C}title").iter(f"{A}t"))
    assert value_axis_title == "总得分（分）"


C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


FORMULA_LIKE = ['=HYPERLINK("http://x","y")', "+1", "-2", "@SUM(A1)"]


@pytest.fixture
def formula_like_inbox(tmp_path):
    folder = tmp_path / "收文"
    for i, name in enumerate(FORMULA_LIKE, 1):
        write_named(folder, f"{i}.xlsx", name)
    return folder


def test_formula_like_department_names_are_escaped_in_csv(formula_like_inbox, tmp_path, capsys):
    summary = tmp_path / "汇总.csv"
    assert main(["audit", str(formula_like_inbox), "-j", "1", "--summary", str(summary)]) == 1  # built by openpyxl: never calculated (未重算)
    capsys.readouterr()
    table = pd.read_csv(summary, encoding="utf-8-sig", dtype=str)
    assert list(table["部门名称"]) == ["'" + name for name in FORMULA_LIKE]
    with summary.open(encoding="utf-8-sig", newline="") as fh:
        for record in list(csv.reader(fh))[1:]:
            assert not any(field.startswith(("=", "+", "-", "@")) for field in record), record


def test_formula_like_department_names_are_text_in_xlsx(formula_like_inbox, tmp_path, capsys, soffice):
    summary = tmp_path / "汇总.xlsx"
    assert main(["audit", str(formula_like_inbox), "-j", "1", "--summary", str(summary)]) == 1  # built by openpyxl: never calculated (未重算)
    capsys.readouterr()
    wb = openpyxl.load_workbook(summary)
    ws = wb["汇总"]
    column = [c.value for c in ws[1]].index("部门名称") + 1
    cells = [ws.cell(row, column) for row in range(2, 2 + len(FORMULA_LIKE))]
    assert [c.value for c in cells] == FORMULA_LIKE  # no visible apostrophe: that is for the CSV only
    assert {c.data_type for c in cells} == {"s"}  # text, not formulas
    assert all(c.quotePrefix for c in cells)  # as Excel keeps text typed after an apostrophe
    wb.close()
    for part, data in read_parts(summary).items():
        if part.startswith("xl/worksheets/"):
            assert not re.search(rb"<(\w+:)?f[ >]", data), part  # no formula anywhere in the summary
    # what LibreOffice shows: the texts themselves, nothing run (no "y" from HYPERLINK, no 0)
    shown = libreoffice_sheets(soffice, summary, tmp_path / "lo")
    sheet = next(rows for name, rows in shown.items() if name.startswith("汇总"))
    at = sheet[0].index("部门名称")
    assert [row[at] for row in sheet[1:]] == FORMULA_LIKE


def test_error_column_shows_indicators_without_a_score(tmp_path, capsys):
    misspelt = "=SCORE_PURCHASE(procurement_actual,procurement_planned,procurement_policy)"
    path = write_edited(tmp_path / "收文", "未知函数.xlsx", lambda wb: wb[SCORE_SHEET].__setitem__(PROCUREMENT_CELL, misspelt))
    summary = tmp_path / "汇总.csv"
    assert main(["audit", str(path), "-j", "1", "--summary", str(summary)]) == 1  # findings (exit status 1)
    capsys.readouterr()
    # pandas would read the text #N/A as a missing value: keep the cells as written
    row = pd.read_csv(summary, encoding="utf-8-sig", keep_default_na=False).iloc[0]
    # the misspelt function's cell, and the subtotal, total and grade that need it, keep what
    # the file holds (nothing: openpyxl stored no value) and say why; no #NAME? is made up
    assert row["错误"].startswith("政府采购执行情况：未重算（无法识别的函数 SCORE_PURCHASE")
    assert row["政府采购执行情况"] == ""
    assert (row["总得分"], row["评价等级"]) == ("", "")
    assert int(row["未重算"]) >= 4
    assert float(row["财务合规性"]) == 3  # the other indicators are still scored


def test_summary_in_an_unsupported_format_is_refused_before_any_work(tmp_path, capsys):
    src = write_department(tmp_path / "收文", DEPARTMENTS[0])
    out = tmp_path / "结果"
    assert main(["recalc", str(src), "-o", str(out), "-j", "1", "--summary", str(tmp_path / "汇总.txt")]) == 2
    captured = capsys.readouterr()
    assert "错误：汇总表只能保存为 .xlsx 或 .csv" in captured.err and "未做任何处理" in captured.err
    assert not (tmp_path / "汇总.txt").exists()
    assert not out.exists()  # checked before any work: nothing recalculated, nothing written


# -- a summary made to be read: rank, duplicates, statistics, print ------------------------

# A department whose 政府采购 actual amount is left blank: the rule has nothing to score, so
# the indicator, its subtotals, the total and the grade are #N/A (what Excel shows too).
MISSING_INPUT = Department("缺数据.xlsx", "深圳市龙岗区某办", {"procurement_actual": None}, None, None)
UNKNOWN_FUNCTION = Department("未知函数.xlsx", "深圳市龙岗区某所", {}, None, None)
MISSPELT = "=SCORE_PURCHASE(procurement_actual,procurement_planned,procurement_policy)"


@pytest.fixture
def bureau(tmp_path):
    """Ties, a department that sent two files, a file without a total, one that is unreadable,
    and one with a long 错误 text (an unknown function)."""
    folder = tmp_path / "收文"
    write_department(folder, TRADE_UNION, file="1_总工会.xlsx")
    write_department(folder, TRADE_UNION, file="2_总工会_更正.xlsx", name=" 深圳市龙岗区总工会 ")  # spaces: the same name
    write_department(folder, TRADE_UNION, file="3_同分.xlsx", name="深圳市龙岗区某中心")  # 98.97 too
    write_department(folder, OVER_PLAN, file="4_采购超计划.xlsx")
    write_department(folder, MISSING_INPUT, file="5_缺数据.xlsx")
    write_edited(folder, "6_未知函数.xlsx", lambda wb: wb[SCORE_SHEET].__setitem__(PROCUREMENT_CELL, MISSPELT), UNKNOWN_FUNCTION)
    (folder / "7_坏文件.xlsx").write_bytes(b"<html><body>404</body></html>")
    return folder


def bureau_summary(bureau, tmp_path, capsys, name: str):
    summary = tmp_path / name
    assert main(["recalc", str(bureau), "-o", str(tmp_path / "结果"), "-j", "1", "--summary", str(summary)]) == 1
    capsys.readouterr()
    return summary


def test_rank_ties_share_a_place_and_files_without_a_total_say_why(bureau, tmp_path, capsys):
    summary = bureau_summary(bureau, tmp_path, capsys, "汇总.csv")
    table = pd.read_csv(summary, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    ranks = dict(zip((name.rsplit("/", 1)[-1] for name in table["文件"]), table["排名"]))
    # three files at 98.97 share the first place; 97.99 is fourth (1, 1, 1, 4 as RANK.EQ counts)
    assert ranks == {
        "1_总工会.xlsx": "1", "2_总工会_更正.xlsx": "1", "3_同分.xlsx": "1", "4_采购超计划.xlsx": "4",
        "5_缺数据.xlsx": "不排名：总得分为 #N/A",
        "6_未知函数.xlsx": "不排名：无总得分",  # not recalculated: the file stores no total
        "7_坏文件.xlsx": "不排名：文件未处理",
    }


def test_a_department_that_sent_two_files_is_flagged(bureau, tmp_path, capsys):
    summary = bureau_summary(bureau, tmp_path, capsys, "汇总.csv")
    table = pd.read_csv(summary, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    flags = dict(zip((name.rsplit("/", 1)[-1] for name in table["文件"]), table["重复"]))
    assert flags.pop("1_总工会.xlsx") == flags.pop("2_总工会_更正.xlsx") == "重复（共 2 份）"
    assert set(flags.values()) == {""}  # a tie with another name is no duplicate; no name, no flag


def test_statistics_count_grades_only_for_files_that_have_one(bureau, tmp_path, capsys):
    summary = bureau_summary(bureau, tmp_path, capsys, "汇总.xlsx")
    wb = openpyxl.load_workbook(summary)
    cells = [v for row in wb["统计"].iter_rows(values_only=True) for v in row if v is not None]
    wb.close()
    assert "#N/A" not in cells
    at = cells.index("评价等级")
    # 优: the three 98.97 and 97.99; 5_缺数据 (#N/A), 6_未知函数 (none) and 7_坏文件 have no grade
    assert cells[at + 2:] == ["优", 4, "良", 0, "中", 0, "差", 0, "无评价等级（没有总得分）", 3]


def pdf_pages(soffice, source, workdir) -> list[tuple[tuple[float, float], str]]:
    """(width, height) in points and text of every printed page (LibreOffice → PDF → poppler)."""
    import shutil
    import subprocess

    libreoffice_pdf_text(soffice, source, workdir)  # converts book.xlsx to book.pdf in workdir
    pdf = workdir / "book.pdf"
    info = subprocess.run([shutil.which("pdfinfo"), "-f", "1", "-l", "9999", str(pdf)], capture_output=True, text=True, check=True).stdout
    sizes = [tuple(map(float, m)) for m in re.findall(r"Page +\d+ size: +([\d.]+) x ([\d.]+) pts", info)]
    texts = [
        subprocess.run([shutil.which("pdftotext"), "-f", str(n), "-l", str(n), str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        for n in range(1, len(sizes) + 1)
    ]
    return list(zip(sizes, texts))


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_summary_prints_as_a_landscape_table_with_the_departments_on_every_page(bureau, tmp_path, capsys, soffice):
    summary = bureau_summary(bureau, tmp_path, capsys, "汇总.xlsx")
    wb = openpyxl.load_workbook(summary)
    ws = wb["汇总"]
    header = [c.value for c in ws[1]]
    assert header[:2] == ["排名", "部门名称"]
    assert (ws.page_setup.orientation, ws.page_setup.paperSize) == ("landscape", 9)  # 9: A4 (ECMA-376 paperSize)
    assert ws.print_title_rows == "$1:$1" and ws.print_title_cols == "$A:$B"
    assert ws.freeze_panes == "C2"
    error_column = header.index("错误") + 1
    long_row = next(r for r in range(2, ws.max_row + 1) if len(str(ws.cell(r, error_column).value or "")) > 40)
    error_cell = ws.cell(long_row, error_column)
    assert error_cell.alignment.wrap_text
    # Excel does not fit row heights on opening: the row is at least as tall as the wrapped text,
    # counted here as characters (CJK double) over the column width, at 13.5 pt a line (10 pt type)
    text_width = sum(2 if ord(ch) > 0x2E7F else 1 for ch in error_cell.value)
    lines = -(-text_width // ws.column_dimensions[openpyxl.utils.get_column_letter(error_column)].width)
    assert ws.row_dimensions[long_row].height >= 13.5 * lines
    names = [ws.cell(r, 2).value for r in range(2, ws.max_row + 1) if ws.cell(r, 2).value]
    long_error = error_cell.value
    wb.close()

    pages = pdf_pages(soffice, summary, tmp_path / "pdf")
    table_pages = [text for size, text in pages if "部门整体支出绩效评价汇总表" in text]  # the page header of 汇总
    assert len(table_pages) >= 2  # 45 columns do not fit one page: the test of repetition means something
    assert all(width > height and round(width) == 842 and round(height) == 595 for (width, height), _ in pages[:len(table_pages)])
    for n, text in enumerate(table_pages, 1):
        page = squeezed(text)
        assert "排名" in page and "部门名称" in page, n  # the header row on every page
        for name in names:
            assert squeezed(name) in page, (n, name)  # and every department
        assert f"第{n}页，共{len(pages)}页" in page
    assert squeezed(long_error) in squeezed(table_pages[0])  # wrapped, not cut off


def test_a_control_character_in_a_department_name_is_stored_as_excel_stores_it(tmp_path, capsys, soffice):
    # a vertical tab pasted from Word: Excel keeps it in the file as _x000B_ (ST_Xstring)
    folder = tmp_path / "收文"
    write_named(folder, "竖线.xlsx", "深圳市龙岗区_x000B_某中心")
    summary = tmp_path / "汇总.xlsx"
    assert main(["audit", str(folder), "-j", "1", "--summary", str(summary)]) == 1  # built by openpyxl: 未重算
    captured = capsys.readouterr()
    assert "程序内部错误" not in captured.err and f"汇总表：{summary}" in captured.out
    sheets = [data for part, data in read_parts(summary).items() if part.startswith("xl/")]
    # as XML text: openpyxl may write the Chinese as character references (with lxml installed)
    assert any("深圳市龙岗区_x000B_某中心" in html.unescape(data.decode("utf-8")) for data in sheets)
    assert not any(b"\x0b" in data for data in sheets)  # never the raw character: XML cannot hold it
    from xladdin import xlsx

    book = xlsx.WorkbookPackage.open(summary)  # a strict reader decodes it back
    assert "深圳市龙岗区\x0b某中心" in {cell.value for cell in book.cells.values()}
    openpyxl.load_workbook(summary).close()
    shown = libreoffice_sheets(soffice, summary, tmp_path / "lo")
    sheet = next(rows for name, rows in shown.items() if name.startswith("汇总"))
    assert sheet[1][sheet[0].index("部门名称")].replace("\x0b", "") == "深圳市龙岗区某中心"


def test_the_chart_leaves_out_files_without_a_total_and_tells_duplicates_apart(bureau, tmp_path, capsys):
    summary = bureau_summary(bureau, tmp_path, capsys, "汇总.xlsx")
    wb = openpyxl.load_workbook(summary)
    rows = [r[:3] for r in wb["总得分图"].iter_rows(min_row=2, values_only=True) if isinstance(r[2], (int, float))]
    wb.close()
    # only the four files with a total, best first; the two files of one department name their file
    assert rows == [
        (1, "深圳市龙岗区总工会（1_总工会.xlsx）", 98.97),
        (1, " 深圳市龙岗区总工会 （2_总工会_更正.xlsx）", 98.97),
        (1, "深圳市龙岗区某中心", 98.97),
        (4, OVER_PLAN.name, OVER_PLAN.total),
    ]
    chart = ET.fromstring(read_parts(summary)["xl/charts/chart1.xml"])
    assert "'总得分图'!$B$2:$B$5" in [f.text for f in chart.iter(f"{C}f")]


def _framework_names(fw) -> set[str]:
    from workbook.names import score_name, subtotal_name

    return ({subtotal_name(l1.key) for l1 in fw.level1} | {subtotal_name(l2.key) for l2 in fw.level2}
            | {score_name(ind.key) for ind in fw.indicators})


@pytest.mark.parametrize("framework", ["longgang_2020", "variant_linear_staff"])
def test_summary_columns_are_the_shipped_labels_whatever_framework_a_workbook_follows(framework, monkeypatch):
    # a workbook's columns: the labels of every shipped framework (the first one's wording
    # where two share a name), in their order, read no further than the workbook needs
    import workbook.framework as shipped
    from xladdin import summary

    names = _framework_names(load_framework(framework)) | {"部门名称_x", "total_score"}
    every = summary._labels_until(lambda labels: False)
    expected = {n: label for n, label in every.items() if n in names}
    assert len(expected) == len(_framework_names(load_framework(framework)))
    read = []
    real = shipped.load_framework
    monkeypatch.setattr(shipped, "load_framework", lambda name: read.append(name) or real(name))
    got = summary.labels_of(names)
    assert list(got.items()) == list(expected.items())
    first = shipped.list_frameworks()[0]
    if framework == first:
        assert read == [first]


def test_each_summary_cell_gets_its_own_format_when_formats_are_shared():
    # the body's formats are made once and copied: a text, a blank, a score, a count and a
    # formula-like name each still read as they should
    import io

    from xladdin.summary_xlsx import xlsx_bytes

    columns = ["排名", "部门名称", "总得分", "未重算", "错误", "文件"]
    records = [
        [1, "=HYPERLINK(\"x\")", 98.97, 0, None, "a.xlsx"],
        [2, "区总工会", 91.5, 3, "有错", "b.xlsx"],
        [3, "区财政局", None, 0, "", "c.xlsx"],
    ]
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(columns, records)))
    sheet = book["汇总"]
    formula_like, plain = sheet["B2"], sheet["B3"]
    assert formula_like.value == '=HYPERLINK("x")' and formula_like.data_type == "s" and formula_like.quotePrefix
    assert plain.value == "区总工会" and not plain.quotePrefix
    assert sheet["C2"].number_format == "0.00" and sheet["C3"].number_format == "0.00"
    assert sheet["D3"].number_format == "0" and sheet["A4"].number_format == "0"
    assert sheet["C4"].value is None and sheet["C4"].alignment.wrap_text
    assert sheet["C2"].alignment.horizontal == "right" and not sheet["C2"].alignment.wrap_text
    assert plain.alignment.wrap_text and plain.alignment.vertical == "top"
    for ref in ("A2", "B3", "C4", "F4"):
        assert sheet[ref].font.sz == 10 and not sheet[ref].font.b and sheet[ref].border.left.style == "thin"
    assert sheet["A1"].font.b and sheet["A1"].fill.fgColor.rgb.endswith("DDEBF7")
