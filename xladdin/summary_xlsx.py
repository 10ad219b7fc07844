"""The .xlsx summary, made to be read on screen and on paper (openpyxl, loaded only here).

Sheets: 汇总 (the table: A4 landscape, header row and 排名/部门名称 repeated on every page,
wrapped texts with row heights to fit, frozen panes), 总得分图 (the ranked departments
with a total and a bar chart of them), 统计 (per score column, and the grades), and
年度对比 with ``--compare``. Text is stored as text: a name starting with ``=`` is a
string cell (with Excel's quote prefix, so editing it keeps it text), and characters XML
cannot hold are written as Excel writes them (``_x000B_``).
"""
from __future__ import annotations

import io
from collections import Counter
from copy import copy
from typing import Any, Optional

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.axis import ChartLines
from openpyxl.chart.label import DataLabelList
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from workbook.builder import line_count, row_height

from .summary import (
    COMPARE_COLUMNS, DEPARTMENT, GRADE, RANK, TOTAL, department_key, is_formula_like, score_columns, total_of,
)

LAST_TOTAL, CHANGE, LAST_GRADE = COMPARE_COLUMNS
from .xlsx.xmltext import excel_escape

TITLE = "部门整体支出绩效评价汇总表"
FONT_SIZE = 10  # the builder's line metrics (LINE_HEIGHT) are for 10 pt
#: column widths in characters; every other column (scores, counts) is NUMBER_WIDTH wide
WIDTHS = {RANK: 10, DEPARTMENT: 26, "重复": 10, "年度": 6, GRADE: 8, LAST_GRADE: 8, "错误": 40, "手工填写": 40, "文件": 40}
NUMBER_WIDTH = 8
#: number formats; scores and totals show two decimals, as the rules truncate to them
FORMATS = {RANK: "0", "年度": "0", "核查": "0", "未重算": "0", CHANGE: "+0.00;-0.00;0.00"}
SCORE_FORMAT = "0.00"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def xlsx_bytes(columns: list[str], records: list[list[Any]], comparison=None) -> bytes:
    wb = Workbook()
    sheet = wb.active
    sheet.title = "汇总"
    _fill_table(sheet, columns, records)
    _print_setup(sheet, columns)
    _total_chart(wb.create_sheet("总得分图"), columns, records)
    _statistics_sheet(wb.create_sheet("统计"), columns, records)
    if comparison is not None:
        _comparison_sheet(wb.create_sheet("年度对比"), comparison)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --------------------------------------------------------------------------
# Cells
# --------------------------------------------------------------------------


def _text(cell, text: str) -> None:
    cell.data_type = "s"  # openpyxl takes "=…" for a formula
    if is_formula_like(text):
        cell.quotePrefix = True  # as Excel keeps a text typed after an apostrophe


def _escaped(value: Any) -> Any:
    # what XML cannot hold, as Excel stores it (openpyxl refuses a vertical tab outright)
    return excel_escape(value) if isinstance(value, str) else value


def put(sheet: Worksheet, row: int, column: int, value: Any):
    """One value into a cell; text is kept as text, never run as a formula."""
    cell = sheet.cell(row, column)
    cell.value = _escaped(value)
    if isinstance(value, str):
        _text(cell, value)
    return cell


def _append(sheet: Worksheet, values: list[Any]) -> int:
    """`put` for a new row below the last; returns its number. ``[None]`` is a blank row."""
    sheet.append([_escaped(v) for v in values])
    row = sheet.max_row
    # by column, not ``sheet[row]``: that measures the sheet's width over every cell
    for index, value in enumerate(values, 1):
        if isinstance(value, str):
            _text(sheet.cell(row, index), value)
    return row


def _bold(cells) -> None:
    for cell in cells:
        cell.font = Font(bold=True, size=FONT_SIZE)


# --------------------------------------------------------------------------
# 汇总: the table and how it prints
# --------------------------------------------------------------------------


def width_of(column: str) -> float:
    return WIDTHS.get(column, NUMBER_WIDTH)


def _fill_table(sheet: Worksheet, columns: list[str], records: list[list[Any]]) -> None:
    scores = set(score_columns(columns)) | {LAST_TOTAL}
    widths = [width_of(c) for c in columns]
    body = Font(size=FONT_SIZE)
    wrap = Alignment(wrap_text=True, vertical="top")
    number = Alignment(vertical="top", horizontal="right")
    for index, column in enumerate(columns, 1):
        cell = put(sheet, 1, index, column)
        cell.font = Font(bold=True, size=FONT_SIZE)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        sheet.column_dimensions[get_column_letter(index)].width = widths[index - 1]
    sheet.row_dimensions[1].height = row_height(max(line_count(c, w) for c, w in zip(columns, widths)))
    # a body cell's format is one of a few: made once each, then copied (openpyxl hashes
    # every font, border and alignment set on a cell: most of a 1,000-file summary's time)
    made: dict = {}
    for r, record in enumerate(records, 2):
        for index, (column, value) in enumerate(zip(columns, record), 1):
            cell = put(sheet, r, index, value)
            numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
            kind = (isinstance(value, str) or value is None,
                    (SCORE_FORMAT if column in scores else FORMATS.get(column, "General")) if numeric else None,
                    bool(cell.quotePrefix))  # `put` has set it on a formula-like text
            style = made.get(kind)
            if style is not None:
                cell._style = copy(style)
                continue
            cell.font = body
            cell.border = BORDER
            cell.alignment = wrap if kind[0] else number
            if numeric:
                cell.number_format = kind[1]
            made[kind] = copy(cell._style)
        # Excel does not fit a wrapped row's height when it opens a file: set it here
        sheet.row_dimensions[r].height = row_height(
            max(line_count(v, w) for v, w in zip(record, widths) if isinstance(v, str)) if any(isinstance(v, str) for v in record) else 1
        )
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(records) + 1}"


def _print_setup(sheet: Worksheet, columns: list[str]) -> None:
    """A4 landscape; the header row and the columns up to 部门名称 on every page; a title,
    the date and page numbers in the margins; panes frozen below and right of the same."""
    keep = columns.index(DEPARTMENT) + 1 if DEPARTMENT in columns else 1
    last = get_column_letter(keep)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.pageOrder = "downThenOver"  # the overview columns first, for every row
    sheet.print_title_rows = "1:1"
    sheet.print_title_cols = f"A:{last}"
    sheet.print_options.horizontalCentered = False
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.page_margins.header = sheet.page_margins.footer = 0.3
    sheet.oddHeader.center.text = TITLE
    sheet.oddHeader.center.size = 12
    sheet.oddHeader.center.font = "-,Bold"
    sheet.oddFooter.left.text = "打印日期：&D"
    sheet.oddFooter.right.text = "第 &P 页，共 &N 页"
    sheet.freeze_panes = f"{get_column_letter(keep + 1)}2"


# --------------------------------------------------------------------------
# 总得分图: the departments with a total, ranked, and their bar chart
# --------------------------------------------------------------------------


def chart_rows(columns: list[str], records: list[list[Any]]) -> tuple[list[tuple[Any, str, float]], int]:
    """(排名, label, 总得分) of every file with a total, best first, and how many have none.

    A label is the 部门名称, or the file name without one; a 部门名称 that appears more than
    once (as `department_key` reads it) gets its file name too, so that no two bars read the same."""
    if TOTAL not in columns:
        return [], len(records)
    at = {c: i for i, c in enumerate(columns)}
    ranked, missing = [], 0
    names = [r[at[DEPARTMENT]] if DEPARTMENT in at else None for r in records]
    keys = Counter(department_key(name) for name in names)
    for record, name in zip(records, names):
        total = total_of({TOTAL: record[at[TOTAL]]})
        if total is None:
            missing += 1
            continue
        file = _file_name(record[at["文件"]]) if "文件" in at else ""
        label = str(name) if name not in (None, "") else file
        if name not in (None, "") and keys[department_key(name)] > 1:
            label = f"{name}（{file}）"
        ranked.append((record[at[RANK]] if RANK in at else None, label, total))
    ranked.sort(key=lambda item: -item[2])
    return ranked, missing


def _file_name(path: Any) -> str:
    text = str(path or "")
    return text.replace("\\", "/").rsplit("/", 1)[-1]


def chart_title(shown: int, missing: int) -> str:
    title = f"各部门总得分（按排名，{shown} 个）"
    return title + (f"\n另有 {missing} 个文件没有总得分，未列入" if missing else "")


def _total_chart(sheet: Worksheet, columns: list[str], records: list[list[Any]]) -> None:
    ranked, missing = chart_rows(columns, records)
    header = _append(sheet, [RANK, DEPARTMENT, TOTAL])
    _bold(sheet[header])
    for rank, label, total in ranked:
        row = _append(sheet, [rank, label, total])
        sheet.cell(row, 3).number_format = SCORE_FORMAT
    sheet.column_dimensions["A"].width = 6
    sheet.column_dimensions["B"].width = 40
    sheet.column_dimensions["C"].width = 9
    sheet.freeze_panes = "A2"
    if missing:
        put(sheet, len(ranked) + 3, 1, f"另有 {missing} 个文件没有总得分，未列入排名和图表（见“汇总”页的“排名”和“错误”列）")
    if not ranked:
        return
    n = len(ranked)
    chart = BarChart()
    chart.type = "bar"
    chart.title = chart_title(n, missing)
    chart.legend = None  # one series, named by the title and the value axis
    chart.add_data(Reference(sheet, min_col=3, min_row=1, max_row=n + 1), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=2, min_row=2, max_row=n + 1))
    chart.x_axis.tickLblSkip = 1  # every department labelled, however many
    chart.x_axis.tickMarkSkip = 1
    chart.x_axis.scaling.orientation = "maxMin"  # first place at the top
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.title = "总得分（分）"
    chart.y_axis.crosses = "max"  # with the categories reversed, keeps the score scale below
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 100
    chart.y_axis.majorUnit = 10
    # the score at each bar, and nothing else (LibreOffice adds the names when not told)
    chart.dataLabels = DataLabelList(showVal=True, showCatName=False, showSerName=False,
                                     showLegendKey=False, showPercent=False, showBubbleSize=False)
    chart.y_axis.number_format = "0"
    chart.y_axis.majorGridlines = ChartLines()
    chart.gapWidth = 60
    chart.height = max(7.5, 0.55 * n + 3)  # cm: a readable bar and label per department
    chart.width = 18  # the width of a portrait A4 page inside its margins
    anchor = sheet.max_row + 2
    sheet.add_chart(chart, f"A{anchor}")  # below the table, and printed on a page of its own
    sheet.row_breaks.append(Break(id=anchor - 1))
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


# --------------------------------------------------------------------------
# 统计
# --------------------------------------------------------------------------


def graded(columns: list[str], records: list[list[Any]]) -> tuple[dict[str, int], int]:
    """How many files have each 评价等级 (in the rules' order, 优 to 差), counting only the
    files with a total and a grade the rules give; and how many have no grade."""
    from udfs.rules import GRADES, LOWEST_GRADE

    names = [name for _, name in GRADES] + [LOWEST_GRADE]
    counts = dict.fromkeys(names, 0)
    if GRADE not in columns or TOTAL not in columns:
        return {}, len(records)
    at_grade, at_total = columns.index(GRADE), columns.index(TOTAL)
    ungraded = 0
    for record in records:
        grade = record[at_grade]
        if total_of({TOTAL: record[at_total]}) is not None and grade in counts:
            counts[grade] += 1
        else:
            ungraded += 1
    return counts, ungraded


def _statistics(columns: list[str], records: list[list[Any]]):
    """Per score column (the files that have a number there): 份数, 平均, 最低, 最高.
    pandas is loaded here only, for the .xlsx summary."""
    import pandas as pd

    frame = pd.DataFrame(records, columns=columns)
    scores = score_columns(columns)
    numbers = frame[scores].apply(pd.to_numeric, errors="coerce")
    return pd.DataFrame({
        "份数": numbers.count(),
        "平均": numbers.mean().round(2),
        "最低": numbers.min(),
        "最高": numbers.max(),
    })


def _statistics_sheet(sheet: Worksheet, columns: list[str], records: list[list[Any]]) -> None:
    table = _statistics(columns, records)
    _bold(sheet[_append(sheet, ["指标", "份数", "平均", "最低", "最高"])])
    for name, row in table.iterrows():
        values = [None if v != v else (int(v) if k == "份数" else float(v)) for k, v in row.items()]
        r = _append(sheet, [name, *values])
        for cell in sheet[r][2:]:
            cell.number_format = SCORE_FORMAT
    counts, ungraded = graded(columns, records)
    _append(sheet, [None])
    _bold(sheet[_append(sheet, [GRADE, "份数"])])
    for grade, count in counts.items():
        _append(sheet, [grade, count])
    if ungraded:
        _append(sheet, ["无评价等级（没有总得分）", ungraded])
    sheet.column_dimensions["A"].width = 36


# --------------------------------------------------------------------------
# 年度对比 (--compare)
# --------------------------------------------------------------------------


def _comparison_sheet(sheet: Worksheet, comparison) -> None:
    """Departments found in one year only; the others are compared in 汇总's own columns."""
    _bold(sheet[_append(sheet, [f"与上年对比：{comparison.source}"])])
    _append(sheet, [f"两年都有的部门 {comparison.matched} 个，比较见“汇总”页的上年总得分、变化、上年等级列。"])
    sections = (
        (["本年新增（上年汇总中没有）", TOTAL, GRADE], comparison.only_this_year),
        (["上年有、本年没有", LAST_TOTAL, LAST_GRADE], comparison.only_last_year),
        (["上年汇总中重名、未比较的部门"], [[name] for name in comparison.ambiguous]),
    )
    for header, entries in sections:
        if not entries and len(header) == 1:
            continue  # no ambiguous names: no section
        _append(sheet, [None])
        _bold(sheet[_append(sheet, header)])
        for entry in entries or [["（无）"]]:
            row = _append(sheet, list(entry))
            if len(entry) > 1 and isinstance(entry[1], float):
                sheet.cell(row, 2).number_format = SCORE_FORMAT
    sheet.column_dimensions["A"].width = 36
    sheet.column_dimensions["B"].width = 12
    sheet.column_dimensions["C"].width = 10
