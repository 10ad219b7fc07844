"""Build the framework workbook (.xlsx) from a framework definition, with openpyxl.

Sheets:

* 评分表 — the framework table as in the seed report (评价指标 一级/二级/三级 名称 + 参考分值,
  指标说明, 参考评分标准, 得分情况, 扣分情况及整改情况说明), one row per third-level
  indicator; 得分情况 holds ``=SCORE_X(defined names…)`` and the last column its
  ``SCORE_X_NOTE`` followed by the indicator's 整改情况 text, as printed (each unit joined
  to its number: ``framework.NOTE_PRINT_JOINS``); then 总得分 (guarded: #N/A
  while any indicator is not a number) and 评价等级.
* 基础数据 — the inputs, grouped by indicator; every input cell (or range) has a workbook
  defined name equal to its key, data validation, a comment with the help text. Each
  group ends with a free-text 整改情况及措施（选填） cell (``<indicator key>_remedy``,
  generated for every framework) whose text the note column appends after the
  deduction note (``Framework.note_cell_formula``).
* 得分汇总 — first- and second-level subtotals (guarded SUMs over the 评分表 scores).
* xlwings.conf — ``UDF Modules = udfs`` (hidden; xlwings reads hidden config sheets,
  ``xlwings release`` hides it the same way).

The custom functions are written into the formulas as-is: Excel shows ``#NAME?`` until
the add-in that provides them is loaded, then recalculates.
"""
from __future__ import annotations

import math
import re
import unicodedata
from pathlib import Path
from typing import Any, Optional, Union

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.formatting.rule import FormulaRule
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.pagebreak import Break

from .names import DEPARTMENT_NAME, GRADE_NAME, NOTE_COLUMN_OFFSET, PREPARER_NAME, TOTAL_NAME, YEAR_NAME
from .framework import (
    FRAMEWORK_PROPERTY,
    DIRECTION_WORDS,
    FLAG_WORDS,
    NOT_APPLICABLE_WORD,
    REMEDY_HELP,
    REMEDY_LABEL,
    STATUS_WORDS,
    Framework,
    FrameworkError,
    Indicator,
    Input,
    check_values,
    format_number,
    load_example,
    load_framework,
    remedy_name,
    score_in_python,
    score_name,
    subtotal_name,
)

__all__ = ["build_template", "build_workbook", "SCORE_SHEET", "INPUT_SHEET", "SUMMARY_SHEET", "CONF_SHEET", "Layout"]

SCORE_SHEET = "评分表"
INPUT_SHEET = "基础数据"
SUMMARY_SHEET = "得分汇总"
CONF_SHEET = "xlwings.conf"
UDF_MODULES = "udfs"

# 评分表 columns
COL_L1_NAME, COL_L1_PTS, COL_L2_NAME, COL_L2_PTS, COL_L3_NAME, COL_L3_PTS = 1, 2, 3, 4, 5, 6
COL_DESC, COL_CRIT, COL_SCORE = 7, 8, 9
COL_NOTE = COL_SCORE + NOTE_COLUMN_OFFSET  # where audit, report and freeze look for it (workbook/names.py)
SCORE_WIDTHS = {1: 9, 2: 6, 3: 9, 4: 6, 5: 14, 6: 6, 7: 34, 8: 52, 9: 9, 10: 34}
TITLE_ROW, HEADER_INFO_ROW, HEADER_TOP = 1, 2, 4  # header rows 4–6, indicators from row 7
FIRST_DATA_ROW = 7

# 基础数据 columns
IN_IND, IN_LABEL, IN_VALUE, IN_UNIT, IN_HELP, IN_NAME = 1, 2, 3, 4, 5, 6
INPUT_WIDTHS = {1: 14, 2: 35, 3: 16, 4: 12, 5: 44, 6: 24}
INPUT_FIRST_ROW = 4

FONT = "宋体"
BODY = Font(name=FONT, size=10)
BOLD = Font(name=FONT, size=10, bold=True)
SMALL = Font(name=FONT, size=9)
GREY = Font(name=FONT, size=9, color="808080")
TITLE = Font(name=FONT, size=16, bold=True)
SUBTITLE = Font(name=FONT, size=12, bold=True)
INPUT_FILL = PatternFill("solid", fgColor="FFF9C4")  # light yellow: the user types here
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
GROUP_FILL = PatternFill("solid", fgColor="E2EFDA")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
LOST_FILL = PatternFill("solid", fgColor="FCE4D6")  # score below full points
ERROR_FILL = PatternFill("solid", fgColor="F8CBAD")  # score is an error / text
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT_TOP = Alignment(horizontal="left", vertical="top", wrap_text=True)
LEFT_CENTER = Alignment(horizontal="left", vertical="center", wrap_text=True)
RIGHT_CENTER = Alignment(horizontal="right", vertical="center")

NUMBER_FORMATS = {
    "amount": "#,##0.00",
    "rate": "0.00%",
    "count": "0",
    "number": "General",
    "flag": "General",
    "status": "@",
    "text": "@",
    "direction": "@",
}
# one wording for rates everywhere (prompt, validation, README): 95% or 0.95, never 95
RATE_PROMPT = "按百分数填写，如 95%（也可填 0.95）"
RATE_ERROR = "请按百分数填写，如 95%（带 % 号），也可填 0.95。"
NOTE_LINES = 3  # a deduction note of an empty template: about 3 lines at the note column's width
LINE_HEIGHT = 13.5  # points per text line at 10 pt
MAX_ROW_HEIGHT = 409


# ----------------------------------------------------------------------------- text metrics


def text_width(text: str) -> int:
    """Display width in 'digit' units: CJK / full-width characters count 2, invisible
    format characters (the note's word joiners and zero-width spaces) none."""
    return sum(
        0 if unicodedata.category(ch) == "Cf" else 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text
    )


def line_count(text: Any, column_width: float) -> int:
    """Lines a wrapped cell needs: each paragraph wraps at the column's usable width."""
    if text is None or text == "":
        return 1
    usable = max(column_width - 1.5, 2)
    return sum(max(1, math.ceil(text_width(p) * 1.05 / usable)) for p in str(text).split("\n"))


def row_height(lines: int, line_height: float = LINE_HEIGHT) -> float:
    return min(MAX_ROW_HEIGHT, max(20.0, lines * line_height + 6))


# ----------------------------------------------------------------------------- layout


class Layout:
    """Where everything went: used by the builder, and by tests to check the workbook."""

    def __init__(self):
        self.indicator_rows: dict[str, int] = {}  # indicator key → 评分表 row
        self.input_cells: dict[str, str] = {}  # defined name → 'sheet'!$C$n[:$C$m]
        self.input_rows: dict[str, tuple[int, int, int]] = {}  # name → (first row, last row, column)
        self.total_row = 0
        self.grade_row = 0
        self.level1_rows: dict[str, tuple[int, int]] = {}  # key → first/last 评分表 row
        self.level2_rows: dict[str, tuple[int, int]] = {}
        self.summary_cells: dict[str, str] = {}  # level key → 得分汇总 score cell (A1)
        self.page_breaks: list[int] = []  # 评分表: a manual page break after each of these rows


def _abs_ref(sheet: str, col: int, first: int, last: Optional[int] = None) -> str:
    c = get_column_letter(col)
    ref = f"{quote_sheetname(sheet)}!${c}${first}"
    if last is not None and last != first:
        ref += f":${c}${last}"
    return ref


def _quoted(sheet: str) -> str:
    """Sheet name quoted for a formula (always quoted: Chinese names, dots)."""
    return "'" + sheet.replace("'", "''") + "'"


def guarded_sum(range_ref: str) -> str:
    """SUM that shows #N/A while any cell in the range is not a number (text or error).

    Every score has at most 2 decimals, so ROUND(…, 2) only removes binary floating-point
    noise (19.990000000000002) — which could otherwise put a total of exactly 90 at
    89.99999999999999 and the grade at 良 instead of 优.
    """
    return f"IF(COUNT({range_ref})=ROWS({range_ref}),ROUND(SUM({range_ref}),2),NA())"


#: What a cell the user types in is unlocked by (the sheets are protected, see _protect).
UNLOCKED = Protection(locked=False)


def _as_input(cell) -> None:
    """A cell the user types in: yellow, and unlocked on the protected sheet."""
    cell.fill = INPUT_FILL
    cell.protection = UNLOCKED


def _print_on_a4(
    ws,
    orientation: str,
    side_margin: Optional[float] = None,
    top_margin: Optional[float] = None,
    title_rows: Optional[str] = None,
) -> None:
    """A4, fit to the page's width (as many pages down as needed), centred, numbered;
    ``title_rows`` (``"3:3"``) repeated at the top of every printed page."""
    if title_rows is not None:
        ws.print_title_rows = title_rows
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = orientation
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if side_margin is not None:
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = side_margin
        ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    if top_margin is not None:
        ws.page_margins.top = ws.page_margins.bottom = top_margin


def _style_range(ws, first_row, first_col, last_row, last_col, *, border=True, fill=None, font=None, alignment=None, typed=False):
    for r in range(first_row, last_row + 1):
        for c in range(first_col, last_col + 1):
            cell = ws.cell(r, c)
            if border:
                cell.border = BORDER
            if typed:
                _as_input(cell)
            elif fill is not None:
                cell.fill = fill
            if font is not None:
                cell.font = font
            if alignment is not None:
                cell.alignment = alignment


def _merge(ws, first_row, first_col, last_row, last_col, value=None, **style):
    if value is not None:
        ws.cell(first_row, first_col, value)
    _style_range(ws, first_row, first_col, last_row, last_col, **style)
    if (first_row, first_col) != (last_row, last_col):
        ws.merge_cells(start_row=first_row, start_column=first_col, end_row=last_row, end_column=last_col)


def _comment(text: str, width_chars: int = 30) -> Comment:
    c = Comment(text, "绩效评价模板")
    c.width = 320
    c.height = max(60, 20 * line_count(text, width_chars) + 20)
    return c


def _excel_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "是" if value else "否"
    return value


# ----------------------------------------------------------------------------- inputs sheet


class _Validations:
    """One DataValidation object per kind of input, added to the sheet at the end."""

    def __init__(self, ws):
        self.ws = ws
        self.by_key: dict[tuple, DataValidation] = {}

    def _dv(self, key: tuple, factory) -> DataValidation:
        if key not in self.by_key:
            dv = factory()
            self.by_key[key] = dv
            self.ws.add_data_validation(dv)
        return self.by_key[key]

    def add(self, kind: str, cell_range: str, *, points=None, minimum=None, maximum=None):
        if kind == "flag" and points is not None:
            # 是/否 from the list, or a partial score: a warning (not a stop) lets a number through.
            dv = self._dv(
                ("flag_points",),
                lambda: DataValidation(
                    type="list",
                    formula1='"' + ",".join(FLAG_WORDS) + '"',
                    allow_blank=True,
                    showErrorMessage=True,
                    errorStyle="warning",
                    errorTitle="是/否或得分",
                    error="请从下拉列表选择“是”或“否”；如需酌情扣分，可直接填写该项得分（0至该项分值之间），点击“是”继续。",
                    showInputMessage=True,
                    promptTitle="是/否",
                    prompt="选择“是”或“否”，或填写酌情得分",
                ),
            )
        elif kind == "flag":
            dv = self._dv(
                ("flag",),
                lambda: DataValidation(
                    type="list",
                    formula1='"' + ",".join(FLAG_WORDS) + '"',
                    allow_blank=True,
                    showErrorMessage=True,
                    errorStyle="stop",
                    errorTitle="是/否",
                    error="请从下拉列表选择“是”或“否”。",
                ),
            )
        elif kind == "not_applicable":
            # a dropdown offering 不涉及 that lets any typed amount or count through (no
            # error message): the score's note explains what the function cannot read
            dv = self._dv(
                ("not_applicable",),
                lambda: DataValidation(
                    type="list",
                    formula1='"' + NOT_APPLICABLE_WORD + '"',
                    allow_blank=True,
                    showErrorMessage=False,
                    showInputMessage=True,
                    promptTitle="金额、数量或不涉及",
                    prompt="填写数字（金额可写 1.48万、15000元）；本年度无此项业务可选“不涉及”",
                ),
            )
        elif kind == "status":
            dv = self._dv(
                ("status",),
                lambda: DataValidation(
                    type="list",
                    formula1='"' + ",".join(STATUS_WORDS) + '"',
                    allow_blank=True,
                    showErrorMessage=True,
                    errorStyle="stop",
                    errorTitle="公开情况",
                    error="请从下拉列表选择：" + "、".join(STATUS_WORDS) + "。",
                ),
            )
        elif kind == "direction":
            dv = self._dv(
                ("direction",),
                lambda: DataValidation(
                    type="list",
                    formula1='"' + ",".join(DIRECTION_WORDS) + '"',
                    allow_blank=True,
                    showErrorMessage=True,
                    errorStyle="stop",
                    errorTitle="方向",
                    error="请选择“≥”（越大越好）或“≤”（越小越好）。",
                ),
            )
        elif kind == "rate":
            lo, hi = minimum if minimum is not None else 0, maximum if maximum is not None else 10
            dv = self._dv(
                ("rate", lo, hi),
                lambda: DataValidation(
                    type="decimal",
                    operator="between",
                    formula1=format_number(lo),
                    formula2=format_number(hi),
                    allow_blank=True,
                    showErrorMessage=True,
                    errorStyle="stop",
                    errorTitle="比率",
                    error=RATE_ERROR,
                    showInputMessage=True,
                    promptTitle="比率",
                    prompt=RATE_PROMPT,
                ),
            )
        elif kind in ("amount", "count", "number"):
            lo = minimum if minimum is not None else (0 if kind in ("amount", "count") else None)
            hi = maximum
            vtype = "whole" if kind == "count" else "decimal"
            messages = {
                "amount": ("金额", "请填写不小于0的金额（元）。带单位的金额（如 1.48万、15000.00元）也可以，点击“是”保留。"),
                "count": ("数量", "请填写不小于0的整数。"),
                "number": ("数值", "请填写数字。"),
            }
            title, text = messages[kind]

            def factory(vtype=vtype, lo=lo, hi=hi, title=title, text=text):
                if lo is not None and hi is not None:
                    op, f1, f2 = "between", format_number(lo), format_number(hi)
                elif lo is not None:
                    op, f1, f2 = "greaterThanOrEqual", format_number(lo), None
                elif hi is not None:
                    op, f1, f2 = "lessThanOrEqual", format_number(hi), None
                else:
                    op, f1, f2 = "between", "-9.99E+307", "9.99E+307"
                return DataValidation(
                    type=vtype,
                    operator=op,
                    formula1=f1,
                    formula2=f2,
                    allow_blank=True,
                    showErrorMessage=True,
                    # an amount may be typed with its unit (1.48万): a warning lets it through
                    errorStyle="warning" if kind == "amount" else "stop",
                    errorTitle=title,
                    error=text,
                )

            dv = self._dv((kind, lo, hi), factory)
        else:  # text
            return
        dv.add(cell_range)


def _unit_text(inp: Input, points=None) -> str:
    if inp.kind == "flag":
        if points is not None:
            return f"是/否（满分{format_number(points)}分）"
        return "是/否"
    return inp.unit


def _build_inputs(wb: Workbook, fw: Framework, layout: Layout, values: dict) -> None:
    ws = wb.create_sheet(INPUT_SHEET)
    for col, width in INPUT_WIDTHS.items():
        ws.column_dimensions[get_column_letter(col)].width = width
    last_col = IN_NAME
    printed = IN_HELP  # 引用名称 (for formula writers) is left out of the printout
    _merge(ws, 1, 1, 1, printed, f"{fw.title}——基础数据", border=False, font=TITLE, alignment=CENTER)
    ws.row_dimensions[1].height = 30
    _merge(
        ws,
        2,
        1,
        2,
        printed,
        "填写说明：只需填写黄色单元格（鼠标停留可看批注），每格都须填写，空格显示 #N/A。“是/否”项可直接填写酌情得分；金额单位为元（也可写 1.48万）；"
        "比率按百分数填写（如 95%，也可填 0.95）；有下拉项“不涉及”的，本年度无此项业务时选择。"
        "评分表中的得分和扣分说明随本表自动计算（需加载绩效评价加载项）；各指标最后一行“整改情况及措施”为选填，"
        "填写的文字附在扣分说明之后。“引用名称”可在公式中直接引用。",
        border=False,
        font=SMALL,
        alignment=LEFT_CENTER,
    )
    ws.row_dimensions[2].height = 30
    headers = ["指标", "项目", "数值", "单位", "说明", "引用名称"]
    for i, h in enumerate(headers, 1):
        ws.cell(3, i, h)
    _style_range(ws, 3, 1, 3, last_col, fill=HEADER_FILL, font=BOLD, alignment=CENTER)
    ws.freeze_panes = ws.cell(INPUT_FIRST_ROW, 1)

    dvs = _Validations(ws)
    row = INPUT_FIRST_ROW
    for seq, ind in enumerate(fw.indicators, 1):
        heading = f"{seq}. {ind.name}（{format_number(ind.points)}分）    {ind.level1.name} › {ind.level2.name}"
        _merge(ws, row, 1, row, last_col, heading, fill=GROUP_FILL, font=BOLD, alignment=LEFT_CENTER)
        ws.row_dimensions[row].height = 20
        row += 1
        for inp in ind.inputs:
            if inp.kind == "table":
                row = _table_input(ws, fw, ind, inp, row, layout, values, dvs)
            else:
                row = _simple_input(ws, ind, inp, row, layout, values, dvs)
        row = _remedy_input(ws, ind, row, layout, values)
    # every label whole: column A wraps, and each row is tall enough for it (9 pt lines)
    for r in range(INPUT_FIRST_ROW, row):
        cell = ws.cell(r, IN_IND)
        if isinstance(cell.value, str) and cell.coordinate not in ws.merged_cells:
            cell.alignment = LEFT_CENTER
            need = line_count(cell.value, INPUT_WIDTHS[IN_IND]) * 12.5 + 6
            if (ws.row_dimensions[r].height or 15) < need:
                ws.row_dimensions[r].height = need
    # print: A4 landscape, columns A–E (without 引用名称) fit to the width: Excel prints
    # them at 100 %; LibreOffice measures columns wider and prints them at about 92 %, so
    # the 10 pt text is still over 9 pt on paper (tests/test_what_every_reader_sees.py)
    ws.print_area = f"A1:{get_column_letter(printed)}{row - 1}"
    _print_on_a4(ws, "landscape", side_margin=0.4, title_rows="3:3")


def _simple_input(ws, ind: Indicator, inp: Input, row: int, layout: Layout, values: dict, dvs: _Validations) -> int:
    first = row
    n = inp.size
    given = values.get(inp.key)
    cells = list(given) if isinstance(given, (list, tuple)) else [given]
    points_list = inp.item_points() if (inp.kind == "flag" and inp.items) else [inp.points] * n
    for i in range(n):
        r = row + i
        item = inp.items[i] if inp.items else None
        label = f"{i + 1}. {item.label}" if item else inp.label
        ws.cell(r, IN_IND, ind.name).font = GREY
        ws.cell(r, IN_LABEL, label).font = BODY
        value = cells[i] if i < len(cells) else None
        if value is None and inp.default is not None:
            value = inp.default
        vcell = ws.cell(r, IN_VALUE, _excel_value(value))
        _as_input(vcell)
        vcell.font = BOLD
        vcell.number_format = NUMBER_FORMATS[inp.kind]
        vcell.alignment = Alignment(horizontal="right" if inp.kind in ("amount", "count", "number", "rate") else "center", vertical="center")
        pts = points_list[i] if inp.kind == "flag" else None
        ws.cell(r, IN_UNIT, _unit_text(inp, pts)).font = SMALL
        help_text = inp.help
        if item and item.help:
            help_text = f"{item.help}\n{inp.help}"
        comment = f"{inp.label}" + (f"｜{item.label}" if item else "") + f"\n{help_text}"
        if pts is not None:
            comment += f"\n满分{format_number(pts)}分。"
        comment += f"\n引用名称：{inp.key}" + (f"（第{i + 1}格）" if inp.items else "")
        vcell.comment = _comment(comment)
        _style_range(ws, r, 1, r, IN_NAME, border=True)
        for c in (IN_IND, IN_LABEL, IN_UNIT):
            ws.cell(r, c).alignment = LEFT_CENTER
        kind = "not_applicable" if inp.not_applicable else inp.kind
        dvs.add(kind, vcell.coordinate, points=pts, minimum=inp.min, maximum=inp.max)
    last = row + n - 1
    # help text and name: merged over the input's rows
    _merge(ws, first, IN_HELP, last, IN_HELP, inp.help, font=SMALL, alignment=LEFT_CENTER)
    _merge(ws, first, IN_NAME, last, IN_NAME, inp.key, font=GREY, alignment=LEFT_CENTER)
    lines = line_count(inp.help, INPUT_WIDTHS[IN_HELP])
    per_row = max(lines * 12.5 + 6, 20) / n
    for i in range(n):
        r = row + i
        label_lines = line_count(ws.cell(r, IN_LABEL).value, INPUT_WIDTHS[IN_LABEL])
        ws.row_dimensions[r].height = max(20, per_row, label_lines * LINE_HEIGHT + 6)
    ref = _abs_ref(INPUT_SHEET, IN_VALUE, first, last)
    layout.input_cells[inp.key] = ref
    layout.input_rows[inp.key] = (first, last, IN_VALUE)
    return last + 1


def _remedy_input(ws, ind: Indicator, row: int, layout: Layout, values: dict) -> int:
    """The indicator's last input row: free text for 整改情况, appended to its note.

    Generated for every indicator of every framework (not declared in the definition
    files); the value cell spans the 数值 and 单位 columns so a sentence or two fits.
    """
    name = remedy_name(ind.key)
    ws.cell(row, IN_IND, ind.name).font = GREY
    ws.cell(row, IN_LABEL, REMEDY_LABEL).font = BODY
    value = values.get(name)
    _merge(ws, row, IN_VALUE, row, IN_UNIT, value, typed=True, font=BODY, alignment=LEFT_TOP)
    vcell = ws.cell(row, IN_VALUE)
    vcell.number_format = NUMBER_FORMATS["text"]
    vcell.comment = _comment(f"{REMEDY_LABEL}\n{REMEDY_HELP}\n引用名称：{name}")
    ws.cell(row, IN_HELP, REMEDY_HELP).font = SMALL
    ws.cell(row, IN_NAME, name).font = GREY
    _style_range(ws, row, 1, row, IN_NAME, border=True)
    for c in (IN_IND, IN_LABEL, IN_HELP, IN_NAME):
        ws.cell(row, c).alignment = LEFT_CENTER
    width = INPUT_WIDTHS[IN_VALUE] + INPUT_WIDTHS[IN_UNIT]
    ws.row_dimensions[row].height = row_height(max(3, line_count(value, width)))  # room to type a few lines
    layout.input_cells[name] = _abs_ref(INPUT_SHEET, IN_VALUE, row)
    layout.input_rows[name] = (row, row, IN_VALUE)
    return row + 1


RATE_WORDS = ("率", "%", "％")


def _is_rate_row(columns: dict, i: int) -> bool:
    """A table row whose text columns name a rate (…率, …（%）): its numbers are shown as %."""
    for values in columns.values():
        value = values[i] if i < len(values) else None
        if isinstance(value, str) and any(word in value for word in RATE_WORDS):
            return True
    return False


def _table_input(ws, fw: Framework, ind: Indicator, inp: Input, row: int, layout: Layout, values: dict, dvs: _Validations) -> int:
    # the table's help, then a sub-header, then rows × columns starting at column B
    _merge(ws, row, IN_LABEL, row, IN_HELP, inp.help, font=SMALL, alignment=LEFT_CENTER)
    ws.cell(row, IN_IND, ind.name).font = GREY
    ws.cell(row, IN_IND).border = BORDER
    ws.row_dimensions[row].height = row_height(line_count(inp.help, sum(INPUT_WIDTHS[c] for c in range(IN_LABEL, IN_HELP + 1))), 12.5)
    row += 1
    ws.cell(row, IN_IND, ind.name).font = GREY
    ws.cell(row, IN_IND).border = BORDER
    for j, col in enumerate(inp.columns):
        c = IN_LABEL + j
        cell = ws.cell(row, c, col.label + (f"（{col.unit}）" if col.unit else ""))
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = CENTER
        cell.comment = _comment(f"{col.label}\n{col.help}\n引用名称：{col.name}（{inp.rows}格）")
    ws.row_dimensions[row].height = 20
    row += 1
    first = row
    columns: dict[str, list] = {}
    given_rows = values.get(inp.key)
    for j, col in enumerate(inp.columns):
        if isinstance(given_rows, list):
            columns[col.name] = [r[j] if isinstance(r, (list, tuple)) and j < len(r) else None for r in given_rows]
        else:
            columns[col.name] = list(values.get(col.name) or [])
    for i in range(inp.rows):
        r = row + i
        ws.cell(r, IN_IND, ind.name).font = GREY
        ws.cell(r, IN_IND).border = BORDER
        for j, col in enumerate(inp.columns):
            c = IN_LABEL + j
            vals = columns[col.name]
            value = vals[i] if i < len(vals) else None
            if value is None and col.default is not None:
                value = col.default
            cell = ws.cell(r, c, _excel_value(value))
            _as_input(cell)
            cell.border = BORDER
            cell.font = BODY
            cell.number_format = NUMBER_FORMATS.get(col.kind, "General")
            if col.kind == "number" and _is_rate_row(columns, i):
                cell.number_format = NUMBER_FORMATS["rate"]  # a 率 target typed as 0.95 shows as 95.00%
            cell.alignment = LEFT_CENTER if col.kind == "text" else Alignment(horizontal="center" if col.kind == "direction" else "right", vertical="center")
        ws.row_dimensions[r].height = 20
    last = row + inp.rows - 1
    for j, col in enumerate(inp.columns):
        c = IN_LABEL + j
        letter = get_column_letter(c)
        dvs.add(col.kind, f"{letter}{first}:{letter}{last}", minimum=col.min, maximum=col.max)
        layout.input_cells[col.name] = _abs_ref(INPUT_SHEET, c, first, last)
        layout.input_rows[col.name] = (first, last, c)
        # the first data cell carries the column's help (comments on every cell would clutter)
        ws.cell(first, c).comment = _comment(f"{col.label}\n{col.help}\n引用名称：{col.name}")
    return last + 1


# ----------------------------------------------------------------------------- score sheet


def _build_score_sheet(wb: Workbook, fw: Framework, layout: Layout, department: dict, values: Optional[dict] = None) -> None:
    ws = wb.active
    ws.title = SCORE_SHEET
    for col, width in SCORE_WIDTHS.items():
        ws.column_dimensions[get_column_letter(col)].width = width
    last_col = COL_NOTE

    _merge(ws, TITLE_ROW, 1, TITLE_ROW, last_col, fw.title, border=False, font=TITLE, alignment=CENTER)
    ws.row_dimensions[TITLE_ROW].height = 32

    # header block: 部门名称 / 年度 / 填报人 (input cells with defined names)
    r = HEADER_INFO_ROW
    ws.cell(r, 1, "部门名称").font = BOLD
    ws.cell(r, 1).alignment = RIGHT_CENTER
    _merge(ws, r, 2, r, 5, department.get("name"), typed=True, font=BOLD, alignment=LEFT_CENTER)
    ws.cell(r, 6, "年度").font = BOLD
    ws.cell(r, 6).alignment = RIGHT_CENTER
    year_cell = ws.cell(r, 7, department.get("year"))  # never pre-filled: a 2024 file must not come back as 2020
    _as_input(year_cell)
    year_cell.font, year_cell.border = BOLD, BORDER
    year_cell.alignment = LEFT_CENTER
    year_cell.number_format = "0"
    ws.cell(r, 8, "填报人").font = BOLD
    ws.cell(r, 8).alignment = RIGHT_CENTER
    _merge(ws, r, 9, r, 10, department.get("preparer"), typed=True, font=BOLD, alignment=LEFT_CENTER)
    ws.row_dimensions[r].height = 24
    header_names = {DEPARTMENT_NAME: (2, "部门名称"), YEAR_NAME: (7, "评价年度"), PREPARER_NAME: (9, "填报人")}
    for name, (col, label) in header_names.items():
        ws.cell(r, col).comment = _comment(f"{label}（引用名称：{name}）")
        layout.input_cells[name] = _abs_ref(SCORE_SHEET, col, r)
    dv_year = DataValidation(type="whole", operator="between", formula1="2000", formula2="2100", allow_blank=True, showErrorMessage=True, error="请填写四位年份，如 2020。")
    ws.add_data_validation(dv_year)
    dv_year.add(year_cell.coordinate)
    ws.row_dimensions[3].height = 6

    # the seed's three header rows
    h1, h2, h3 = HEADER_TOP, HEADER_TOP + 1, HEADER_TOP + 2
    hdr = dict(fill=HEADER_FILL, font=BOLD, alignment=CENTER)
    _merge(ws, h1, 1, h1, 6, "评价指标", **hdr)
    for col, text in ((COL_DESC, "指标说明"), (COL_CRIT, "参考评分标准"), (COL_SCORE, "得分情况"), (COL_NOTE, "扣分情况及整改情况说明")):
        _merge(ws, h1, col, h3, col, text, **hdr)
    for col, text in ((1, "一级指标"), (3, "二级指标"), (5, "三级指标")):
        _merge(ws, h2, col, h2, col + 1, text, **hdr)
        ws.cell(h3, col, "名称")
        ws.cell(h3, col + 1, "参考分值")
        _style_range(ws, h3, col, h3, col + 1, **hdr)
    for hr in (h1, h2):
        ws.row_dimensions[hr].height = 20
    ws.row_dimensions[h3].height = 28  # 参考分值 wraps in its narrow column

    # one row per third-level indicator
    notes = _expected_notes(fw, values)
    row = FIRST_DATA_ROW
    for l1 in fw.level1:
        l1_first = row
        for l2 in l1.children:
            l2_first = row
            for ind in l2.indicators:
                _indicator_row(ws, fw, ind, row, layout, notes.get(ind.key))
                row += 1
            layout.level2_rows[l2.key] = (l2_first, row - 1)
        layout.level1_rows[l1.key] = (l1_first, row - 1)
    last_ind = row - 1
    score_col = get_column_letter(COL_SCORE)
    scores = f"{score_col}{FIRST_DATA_ROW}:{score_col}{last_ind}"

    # 总得分
    layout.total_row = row
    _merge(ws, row, 1, row, 5, "总得分", fill=TOTAL_FILL, font=BOLD, alignment=CENTER)
    ws.cell(row, COL_L3_PTS, f"=SUM({get_column_letter(COL_L3_PTS)}{FIRST_DATA_ROW}:{get_column_letter(COL_L3_PTS)}{last_ind})")
    _style_range(ws, row, COL_L3_PTS, row, COL_L3_PTS, fill=TOTAL_FILL, font=BOLD, alignment=CENTER)
    _merge(ws, row, COL_DESC, row, COL_CRIT, "各三级指标得分合计；任一指标未得出分数时显示 #N/A。", fill=TOTAL_FILL, font=SMALL, alignment=LEFT_CENTER)
    total = ws.cell(row, COL_SCORE, "=" + guarded_sum(scores))
    total.number_format = "0.00"
    _style_range(ws, row, COL_SCORE, row, COL_SCORE, fill=TOTAL_FILL, font=BOLD, alignment=CENTER)
    missing_note = (
        f'=IF(COUNT({scores})=ROWS({scores}),"",'
        f'"有"&(ROWS({scores})-COUNT({scores}))&"项指标未得出分数，请查看该指标的扣分情况说明")'
    )
    ws.cell(row, COL_NOTE, missing_note)
    _style_range(ws, row, COL_NOTE, row, COL_NOTE, fill=TOTAL_FILL, font=SMALL, alignment=LEFT_CENTER)
    ws.row_dimensions[row].height = 24
    total_ref = f"{score_col}{row}"
    layout.input_cells[TOTAL_NAME] = _abs_ref(SCORE_SHEET, COL_SCORE, row)

    # 评价等级
    row += 1
    layout.grade_row = row
    _merge(ws, row, 1, row, 6, "评价等级", fill=TOTAL_FILL, font=BOLD, alignment=CENTER)
    _merge(ws, row, COL_DESC, row, COL_CRIT, "优（≥90分）、良（≥80分）、中（≥60分）、差（<60分）", fill=TOTAL_FILL, font=SMALL, alignment=LEFT_CENTER)
    grade = ws.cell(row, COL_SCORE, f"=IF(ISNUMBER({total_ref}),SCORE_GRADE({total_ref}),NA())")
    _style_range(ws, row, COL_SCORE, row, COL_SCORE, fill=TOTAL_FILL, font=BOLD, alignment=CENTER)
    _style_range(ws, row, COL_NOTE, row, COL_NOTE, fill=TOTAL_FILL)
    ws.row_dimensions[row].height = 24
    layout.input_cells[GRADE_NAME] = _abs_ref(SCORE_SHEET, COL_SCORE, row)
    del grade
    _paginate(ws, fw, layout)

    # highlight deductions and errors in 得分情况
    pts_col = get_column_letter(COL_L3_PTS)
    first_cell = f"{score_col}{FIRST_DATA_ROW}"
    ws.conditional_formatting.add(
        scores, FormulaRule(formula=[f"OR(ISERROR({first_cell}),ISTEXT({first_cell}))"], fill=ERROR_FILL, stopIfTrue=True)
    )
    ws.conditional_formatting.add(
        scores, FormulaRule(formula=[f"AND(ISNUMBER({first_cell}),{first_cell}<{pts_col}{FIRST_DATA_ROW})"], fill=LOST_FILL)
    )

    # view and print: fit to the page's width (each application measures column widths
    # its own way: LibreOffice prints this at about 63 %, Excel at about 79 %);
    # _paginate's manual breaks assume the largest of these scales, so they hold in all
    ws.freeze_panes = ws.cell(FIRST_DATA_ROW, 1)
    _print_on_a4(
        ws,
        "landscape",
        side_margin=SCORE_MARGIN_SIDE,
        top_margin=SCORE_MARGIN_TOP,
        title_rows=f"{HEADER_TOP}:{HEADER_TOP + 2}",
    )


def _expected_notes(fw: Framework, values: Optional[dict]) -> dict[str, str]:
    """The note each indicator will show, when the inputs are known (the example), so its
    row is tall enough; an empty template gets room for a typical note instead."""
    if not values:
        return {}
    try:
        scored = score_in_python(fw, values)
    except Exception:  # noqa: BLE001 - sizing only: a row of the default height is no failure
        return {}
    return {key: str(item.get("note") or "") for key, item in scored["indicators"].items()}


def _column_points(widths) -> float:
    """Printed width of columns (Excel's character widths → points at 100 %)."""
    return sum((w * 7 + 5) * 0.75 for w in widths)


def _print_scale(widths, paper_width: float, margin_in: float) -> int:
    """The percentage at which Excel fits the columns to the paper's width (the largest
    of the applications': LibreOffice and WPS measure character widths wider)."""
    usable = paper_width - 2 * margin_in * 72
    return min(100, int(usable / _column_points(widths) * 100))


A4_LONG, A4_SHORT = 841.89, 595.28  # points
SCORE_MARGIN_SIDE, SCORE_MARGIN_TOP = 0.3, 0.5  # inches
SCORE_PRINT_SCALE = _print_scale(SCORE_WIDTHS.values(), A4_LONG, SCORE_MARGIN_SIDE)
#: Room kept free on every page for rounding and row-height differences between applications.
PAGE_SLACK = 0.92


def _paginate(ws, fw: Framework, layout: Layout) -> None:
    """Manual page breaks for the printed 评分表, and 一级/二级 labels on every page.

    A first-level group that fits on a page starts on a new page when it would not
    fit in what is left of the current one; a group taller than a page breaks between
    its rows, and its 一级/二级 cells are merged per page, each part carrying the
    label, so that every page names what its rows belong to. 总得分 and 评价等级
    travel with the last group.
    """
    def height(r: int) -> float:
        return ws.row_dimensions[r].height or 15

    page = (A4_SHORT - 2 * SCORE_MARGIN_TOP * 72) / (SCORE_PRINT_SCALE / 100) * PAGE_SLACK
    titles = sum(height(r) for r in range(HEADER_TOP, HEADER_TOP + 3))
    full = page - titles  # what a page holds below the repeated header rows
    left = full - sum(height(r) for r in range(1, HEADER_TOP))  # page 1 also has the title block
    breaks: list[int] = []  # a break after each of these rows
    level1 = list(fw.level1)
    for n, l1 in enumerate(level1):
        first, last = layout.level1_rows[l1.key]
        end = layout.grade_row if n == len(level1) - 1 else last
        block = sum(height(r) for r in range(first, end + 1))
        if block > left and block <= full and first > FIRST_DATA_ROW:
            breaks.append(first - 1)
            left = full
        for r in range(first, end + 1):
            if height(r) > left and r > FIRST_DATA_ROW and (r - 1) not in breaks:
                breaks.append(r - 1)
                left = full
            left -= height(r)
    for r in breaks:
        ws.row_breaks.append(Break(id=r))
    layout.page_breaks = breaks

    def segments(first: int, last: int):
        start = first
        for r in breaks:
            if start <= r < last:
                yield start, r
                start = r + 1
        yield start, last

    for l1 in fw.level1:
        for a, b in segments(*layout.level1_rows[l1.key]):
            _merge(ws, a, COL_L1_NAME, b, COL_L1_NAME, l1.name, font=BODY, alignment=CENTER)
            _merge(ws, a, COL_L1_PTS, b, COL_L1_PTS, _points_value(l1.points), font=BODY, alignment=CENTER)
        for l2 in l1.children:
            for a, b in segments(*layout.level2_rows[l2.key]):
                _merge(ws, a, COL_L2_NAME, b, COL_L2_NAME, l2.name, font=BODY, alignment=CENTER)
                _merge(ws, a, COL_L2_PTS, b, COL_L2_PTS, _points_value(l2.points), font=BODY, alignment=CENTER)


def _points_value(points) -> Union[int, float]:
    return int(points) if points.denominator == 1 else float(points)


def _indicator_row(ws, fw: Framework, ind: Indicator, row: int, layout: Layout, note: Optional[str] = None) -> None:
    layout.indicator_rows[ind.key] = row
    ws.cell(row, COL_L3_NAME, ind.name)
    ws.cell(row, COL_L3_PTS, _points_value(ind.points))
    ws.cell(row, COL_DESC, ind.description)
    ws.cell(row, COL_CRIT, ind.criteria)
    ws.cell(row, COL_SCORE, "=" + fw.cell_score_formula(ind)).number_format = "0.00"
    # the note formula (the _NOTE text + the 整改情况 typed on 基础数据) is written by
    # _note_formulas once 基础数据 is laid out
    for c in range(1, COL_NOTE + 1):
        cell = ws.cell(row, c)
        cell.border = BORDER
        cell.font = BODY
        cell.alignment = LEFT_TOP if c in (COL_DESC, COL_CRIT, COL_NOTE) else CENTER
    ws.cell(row, COL_SCORE).font = BOLD
    lines = max(
        line_count(ind.description, SCORE_WIDTHS[COL_DESC]),
        line_count(ind.criteria, SCORE_WIDTHS[COL_CRIT]),
        line_count(ind.name, SCORE_WIDTHS[COL_L3_NAME]),
        # the note this row will show when the inputs are known, else room for a typical one
        line_count(note, SCORE_WIDTHS[COL_NOTE]) if note is not None else NOTE_LINES,
    )
    ws.row_dimensions[row].height = row_height(lines)


def _note_formulas(ws, fw: Framework, layout: Layout) -> None:
    """Each indicator's 扣分情况及整改情况说明 formula; it needs where 基础数据 put the inputs
    (a table's note looks at the row just below the table)."""
    for ind in fw.indicators:
        ws.cell(layout.indicator_rows[ind.key], COL_NOTE, "=" + fw.note_cell_formula(ind, layout.input_cells))


# ----------------------------------------------------------------------------- summary sheet


def _build_summary(wb: Workbook, fw: Framework, layout: Layout) -> None:
    ws = wb.create_sheet(SUMMARY_SHEET)
    widths = {1: 12, 2: 10, 3: 10, 4: 14, 5: 10, 6: 10, 7: 10}
    for col, w in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = w
    _merge(ws, 1, 1, 1, 7, "得分汇总", border=False, font=TITLE, alignment=CENTER)
    ws.row_dimensions[1].height = 30
    headers = ["一级指标", "参考分值", "得分", "二级指标", "参考分值", "得分", "扣分"]
    for i, h in enumerate(headers, 1):
        ws.cell(2, i, h)
    _style_range(ws, 2, 1, 2, 7, fill=HEADER_FILL, font=BOLD, alignment=CENTER)
    sheet = _quoted(SCORE_SHEET)
    sc = get_column_letter(COL_SCORE)

    def rng(first, last):
        return f"{sheet}!{sc}{first}:{sc}{last}"

    row = 3
    for l1 in fw.level1:
        first = row
        for l2 in l1.children:
            a, b = layout.level2_rows[l2.key]
            ws.cell(row, 4, l2.name)
            ws.cell(row, 5, _points_value(l2.points))
            ws.cell(row, 6, "=" + guarded_sum(rng(a, b))).number_format = "0.00"
            ws.cell(row, 7, f'=IF(ISNUMBER(F{row}),E{row}-F{row},"")').number_format = "0.00"
            _style_range(ws, row, 4, row, 7, font=BODY, alignment=CENTER)
            layout.summary_cells[l2.key] = f"F{row}"
            ws.row_dimensions[row].height = 20
            row += 1
        last = row - 1
        a, b = layout.level1_rows[l1.key]
        _merge(ws, first, 1, last, 1, l1.name, font=BOLD, alignment=CENTER)
        _merge(ws, first, 2, last, 2, _points_value(l1.points), font=BODY, alignment=CENTER)
        _merge(ws, first, 3, last, 3, "=" + guarded_sum(rng(a, b)), font=BOLD, alignment=CENTER)
        ws.cell(first, 3).number_format = "0.00"
        layout.summary_cells[l1.key] = f"C{first}"
    total_src = f"{sheet}!{sc}{layout.total_row}"
    grade_src = f"{sheet}!{sc}{layout.grade_row}"
    ws.cell(row, 1, "总得分")
    ws.cell(row, 2, f"=SUM(B3:B{row - 1})")
    ws.cell(row, 3, f"={total_src}").number_format = "0.00"
    _style_range(ws, row, 1, row, 7, fill=TOTAL_FILL, font=BOLD, alignment=CENTER)
    ws.cell(row, 4, "评价等级")
    ws.cell(row, 5, f"={grade_src}")
    ws.row_dimensions[row].height = 22
    layout.summary_cells["total"] = f"C{row}"
    layout.summary_cells["grade"] = f"E{row}"
    row += 2
    ws.cell(row, 1, "说明：得分为评分表中对应三级指标得分之和；任一三级指标未得出分数（#N/A 等）时，该小计及总得分显示 #N/A。").font = SMALL
    _print_on_a4(ws, "portrait")


# ----------------------------------------------------------------------------- entry point


def _department(department: Union[None, str, dict], values: dict) -> dict:
    dept: dict = {"name": None, "year": None, "preparer": None}
    if isinstance(department, str):
        dept["name"] = department
    elif isinstance(department, dict):
        dept.update({k: department.get(k) for k in ("name", "year", "preparer") if department.get(k) is not None})
    # values may carry the header too (dept_name / eval_year / preparer)
    for key, field_name in ((DEPARTMENT_NAME, "name"), (YEAR_NAME, "year"), (PREPARER_NAME, "preparer")):
        if dept[field_name] is None and values.get(key) is not None:
            dept[field_name] = values[key]
    return dept


def build_template(
    framework: Union[str, Path, Framework],
    path: Union[str, Path],
    values: Optional[dict] = None,
    department: Union[None, str, dict] = None,
    native: bool = False,
) -> Path:
    """Write the framework workbook to ``path`` and return the path.

    ``framework``: a Framework, a framework name or a .toml path. ``values``: input
    values by key (as for ``score_in_python``; tables as column lists or a list of rows)
    to fill the yellow cells — e.g. ``load_example("longgang_2020_seed")["values"]``.
    ``department``: the header block, a 部门名称 string or {"name", "year", "preparer"}.
    ``native``: the saved file is scanned (workbook.native.scan); a formula Excel 2010, WPS
    or LibreOffice might not compute removes it again and raises NativeUnsupported.
    """
    wb, _layout = build_workbook(framework, values, department, native=native)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    if native:
        # the saved file's every formula must be one Excel 2010, WPS and LibreOffice compute
        from .native.scan import refuse_problems  # noqa: PLC0415

        try:
            refuse_problems(path)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
    return path


def build_workbook(
    framework: Union[str, Path, Framework],
    values: Optional[dict] = None,
    department: Union[None, str, dict] = None,
    native: bool = False,
) -> tuple[Workbook, Layout]:
    """The openpyxl Workbook and where everything went (``build_template`` without saving).

    ``native``: native formulas instead of the add-in calls (workbook.native.build), with
    the hidden sheet 辅助计算 and no xlwings.conf sheet."""
    fw = load_framework(framework)
    raw_values = dict(values or {})
    check_values(fw, raw_values)
    dept = _department(department, raw_values)
    layout = Layout()
    wb = Workbook()
    _build_score_sheet(wb, fw, layout, dept, raw_values)
    _build_inputs(wb, fw, layout, raw_values)
    _note_formulas(wb[SCORE_SHEET], fw, layout)
    _build_summary(wb, fw, layout)

    # workbook defined names: inputs, header cells, the total and grade, each score cell
    # (<key>_score) and each subtotal (subtotal_<level key>)
    for name, ref in layout.input_cells.items():
        wb.defined_names[name] = DefinedName(name, attr_text=ref)
    for ind in fw.indicators:
        name = score_name(ind.key)
        wb.defined_names[name] = DefinedName(name, attr_text=_abs_ref(SCORE_SHEET, COL_SCORE, layout.indicator_rows[ind.key]))
    for level in [*fw.level1, *fw.level2]:
        name = subtotal_name(level.key)
        col_letter, row = re.match(r"([A-Z]+)(\d+)", layout.summary_cells[level.key]).groups()
        wb.defined_names[name] = DefinedName(name, attr_text=f"{quote_sheetname(SUMMARY_SHEET)}!${col_letter}${row}")

    if native:
        from .native.build import nativize  # noqa: PLC0415

        nativize(wb, fw, layout)
    else:
        conf = wb.create_sheet(CONF_SHEET)
        conf["A1"] = "UDF Modules"
        conf["B1"] = UDF_MODULES
        conf.sheet_state = "hidden"

    wb.active = 0
    wb.properties.title = fw.title
    wb.properties.subject = "部门整体支出绩效评价"
    wb.properties.creator = "jixiao-xladdin"
    wb.calculation.fullCalcOnLoad = True
    # which framework this is, for audit's check of a 定稿副本 (xladdin.marks)
    wb.custom_doc_props.append(StringProperty(name=FRAMEWORK_PROPERTY, value=_framework_name(fw)))
    for ws in wb.worksheets:
        if ws.title != CONF_SHEET:
            _protect(ws)
    return wb, layout



def _framework_name(fw: Framework) -> str:
    """What ``load_framework`` needs to find ``fw`` again: its name when shipped, else its path."""
    from .framework import FRAMEWORKS_DIR

    path = Path(fw.path)
    return path.stem if path.parent.resolve() == FRAMEWORKS_DIR.resolve() else str(path)


def _protect(ws) -> None:
    """Sheet protection without a password: formulas and labels locked, the input cells
    unlocked where they were made (_as_input). Rows and columns may still be resized (a
    long 整改情况 may need it)."""
    ws.protection.sheet = True
    ws.protection.formatRows = False
    ws.protection.formatColumns = False
    ws.protection.selectLockedCells = False
    ws.protection.selectUnlockedCells = False
