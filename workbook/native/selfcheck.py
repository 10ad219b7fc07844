"""The self-check workbook (自检.xlsx): a bureau proves the native formulas on its own
Excel 2010, WPS or Excel for the web.

One row per case (:mod:`.selfcheck_cases`):

* 基础数据: the case's input cells (row ``r``; column A the case number, B the function,
  the inputs from column C);
* 辅助计算 (hidden): the native translation's helper cells, one :class:`RowProgram` per case
  along the case's row (labels on the hidden 辅助计算说明 at the same addresses);
* 自检 (row ``r`` too): function, case number, a Chinese description of the inputs, the native
  score (formula), the expected score (a constant), 一致？, the native note (formula), the
  expected note (a constant), 一致？.

The expected values are computed here, now, by the catalogue (``udfs.catalogue``, the single
source of truth) with the arguments as Excel hands them to the add-in: numbers as floats,
text as str, a blank cell as None, a one-row range as a list of rows, an error cell as its
literal. An expected error is the error constant itself (``=#DIV/0!``): 一致？ compares
ERROR.TYPE codes, numbers with =, texts with EXACT, and a value of another kind never agrees.

The workbook-level name ``selfcheck_failures`` is the number of checks that are not TRUE
(FALSE, or an error where an application lacks a function): 0 means every native formula
agrees with the rules. The workbook asks for a full recalculation on load and holds no
cached value for any formula (openpyxl writes none), so nothing stale can pass.

The helper cells refer to each other and to the inputs relatively, and each case's inputs,
helpers and checks share one row number: every case of the same form has formulas of the same
shape, which this project's engine compiles once (laid out down a column, 87,000 distinct
formulas took it 30-40 s to compile; the applications do not care). The 自检 sheet refers to
the helpers absolutely, so sorting it keeps each row with its own case.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Optional, Sequence

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.properties import CalcProperties

from udfs import catalogue as rules_catalogue
from udfs.errors import ERROR_LITERALS

from .entries import NativeUnsupported, supported, translate
from .program import ERROR_CODES, HELPER_SHEET, NativeArg, Program, quoted_sheet
from .selfcheck_cases import ERROR_FORMULAS, LABELS, Case, Cell, Const, Omitted, Range, catalogue

SHEET = "自检"
DATA_SHEET = "基础数据"
LABEL_SHEET = "辅助计算说明"
FAILURES_NAME = "selfcheck_failures"

#: Rows of 自检 (and 基础数据): the header, the column titles, the first case.
TITLE_ROW, HEADER_ROW, FIRST_ROW = 1, 9, 10
#: 自检's columns.
COLUMNS = ("函数", "序号", "输入（基础数据页同一行）", "原生公式得分", "期望得分", "一致？", "原生公式说明", "期望说明", "一致？")
COL_FUNCTION, COL_NUMBER, COL_INPUTS, COL_SCORE, COL_EXPECTED, COL_SAME, COL_NOTE, COL_EXPECTED_NOTE, COL_NOTE_SAME = range(1, 10)
WIDTHS = (24, 7, 60, 13, 13, 8, 60, 60, 8)
#: 基础数据's first input column (A: case number, B: function).
FIRST_INPUT_COLUMN = 3
#: 辅助计算's first helper column (A: case number).
FIRST_HELPER_COLUMN = 2
#: The last column of Excel 2007 and later (XFD), WPS and LibreOffice 7.4.
LAST_COLUMN = 16384

#: The cells of the header that hold the counts.
TOTAL_CELL, AGREED_CELL, FAILURES_CELL, VERDICT_CELL = "C3", "C4", "C5", "C6"

USAGE = (
    "使用方法：① 用要检验的软件（Excel 2010 及以上、WPS 表格、Excel 网页版）直接打开本文件，不要先用其他软件另存。"
    "② 打开时会自动重新计算；如果下面的数字是空白或没有变化，按 F9（或 Ctrl+Alt+F9），或点“公式 → 计算 → 开始计算”"
    "（WPS：“公式 → 重算工作簿”）。"
    "③ 看“不一致的检查数”：为 0，且“一致的检查数”等于“检查总数”，说明在这个软件里，原生公式版评分表"
    "（xladdin template --native）的每一个得分和扣分说明都与评分规则（加载项的 Python 程序）完全一致。"
    "④ 不为 0 时，筛选“一致？”列为 FALSE 的行，把本文件连同软件名称和版本号（如“WPS Office 2019 11.1”）发给维护人员。"
)
LAYOUT_NOTE = (
    "说明：每行是一例输入。输入在“基础数据”页的同一行；原生公式的计算步骤在隐藏的“辅助计算”页；"
    "“期望得分”“期望说明”是生成本文件时由评分规则算出的常量（错误值以错误值显示）。请不要修改本文件中的任何单元格。"
)

_SAME_FILL = PatternFill("solid", start_color="FFC7CE", end_color="FFC7CE")
_HEADER_FILL = PatternFill("solid", start_color="DDEBF7", end_color="DDEBF7")


# --------------------------------------------------------------------------- expected values

def handed(raw: Any) -> Any:
    """A raw cell content as Excel hands it to an add-in function."""
    if isinstance(raw, bool):
        raise TypeError("no logical cells in the self-check (LibreOffice has none)")
    if raw is None or isinstance(raw, float):
        return raw
    if isinstance(raw, int):
        return float(raw)
    if isinstance(raw, str) and raw.startswith("="):
        return ERROR_FORMULAS[raw]
    if isinstance(raw, str):
        return raw
    raise TypeError(f"not a cell content: {raw!r}")


def handed_constant(value: Any) -> Any:
    """A constant argument as Excel hands it: numbers as floats, arrays as lists of rows."""
    if isinstance(value, list):
        return [handed_constant(v) for v in value]
    if isinstance(value, (Fraction, int)) and not isinstance(value, bool):
        return float(value)
    return value


def call_arguments(case: Case) -> list:
    """The add-in call's arguments: trailing omitted ones left out (their defaults apply), an
    empty one before others as None (what Excel hands for ``F(a,,c)``)."""
    values = iter(case.raw)
    args: list = []
    for spec in case.specs:
        if isinstance(spec, Cell):
            args.append(handed(next(values)))
        elif isinstance(spec, Range):
            cells = next(values)
            assert len(cells) == spec.size, (case, spec)
            args.append([[handed(v) for v in cells]])
        elif isinstance(spec, Const):
            args.append(handed_constant(spec.value))
        else:
            args.append(Omitted)
    while args and args[-1] is Omitted:
        args.pop()
    return [None if a is Omitted else a for a in args]


def expected(case: Case) -> tuple[Any, str]:
    """The catalogue's score (a float, a text, or an error literal) and note for ``case``."""
    entry = rules_catalogue.entry_named(case.function)
    if entry is None:
        raise KeyError(case.function)
    args = call_arguments(case)
    return rules_catalogue.excel_score(entry, *args), rules_catalogue.excel_note(entry, *args)


# --------------------------------------------------------------------------- descriptions

def _number_text(value: float) -> str:
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def describe_value(raw: Any) -> str:
    """A raw cell content in words: numbers as they are, text in quotes, blanks and errors named."""
    if raw is None:
        return "（空白）"
    if isinstance(raw, str) and raw.startswith("="):
        return f"错误值{ERROR_FORMULAS[raw]}"
    if isinstance(raw, str):
        if raw == "":
            return "（空文字）"
        if raw.strip() == "":
            return "（空格）"
        shown = raw.replace("\n", "↵").replace("\t", "⇥")
        return f"“{shown}”"
    return _number_text(raw)


def _describe_constant(value: Any) -> str:
    if isinstance(value, list):
        return "{" + ";".join(",".join(_describe_constant(v) for v in row) for row in value) + "}"
    if isinstance(value, Fraction):
        return _number_text(float(value))
    return describe_value(value)


def describe(case: Case) -> str:
    """【what the case probes】label=value；… for every argument."""
    labels = LABELS.get(case.function, ())
    values = iter(case.raw)
    parts = []
    for i, spec in enumerate(case.specs):
        label = labels[i] if i < len(labels) else f"参数{i + 1}"
        if isinstance(spec, Cell):
            parts.append(f"{label}={describe_value(next(values))}")
        elif isinstance(spec, Range):
            parts.append(f"{label}=" + "、".join(describe_value(v) for v in next(values)))
        elif isinstance(spec, Const):
            parts.append(f"{label}={_describe_constant(spec.value)}（公式中的常量）")
        else:
            parts.append(f"{label}省略")
    return f"【{case.topic}】" + "；".join(parts)


# --------------------------------------------------------------------------- layout

class RowProgram(Program):
    """The helper cells of one case along row ``first_row`` of 辅助计算, from column B
    rightwards, referenced relatively (see the module's docstring)."""

    def cell(self, formula: str, label: str = "") -> str:
        column = FIRST_HELPER_COLUMN + len(self.cells)
        if column > LAST_COLUMN:
            raise ValueError(f"more than {LAST_COLUMN - FIRST_HELPER_COLUMN + 1} helper cells in one case")
        self.cells.append((label, formula))
        return f"{quoted_sheet(self.sheet)}!{get_column_letter(column)}{self.first_row}"

    def addresses(self) -> list[tuple[str, str, str]]:
        return [(f"{get_column_letter(FIRST_HELPER_COLUMN + i)}{self.first_row}", label, formula)
                for i, (label, formula) in enumerate(self.cells)]


_STRING = re.compile(r'"(?:[^"]|"")*"')
_SHEET_CELL = re.compile(r"((?:'(?:[^']|'')+'|[A-Za-z_][\w.]*)!)\$?([A-Z]{1,3})\$?(\d+)")


def absolute(expression: str) -> str:
    """``expression`` with every sheet-qualified cell reference made absolute (string
    constants untouched)."""
    out, last = [], 0
    for match in _STRING.finditer(expression):
        out.append(_SHEET_CELL.sub(r"\1$\2$\3", expression[last:match.start()]))
        out.append(match.group())
        last = match.end()
    out.append(_SHEET_CELL.sub(r"\1$\2$\3", expression[last:]))
    return "".join(out)


@dataclass
class Laid:
    """One case on the sheets: its row, inputs, helper cells and native outcome."""

    case: Case
    number: int
    row: int
    inputs: dict  # column → raw
    helpers: list  # (address, label, formula)
    score: str
    note: str


def _lay_out(case: Case, number: int, row: int) -> Laid:
    inputs: dict = {}
    args: list[NativeArg] = []
    column = FIRST_INPUT_COLUMN
    values = iter(case.raw)

    def ref(col: int) -> str:
        return f"{quoted_sheet(DATA_SHEET)}!{get_column_letter(col)}{row}"

    for spec in case.specs:
        if isinstance(spec, Cell):
            inputs[column] = next(values)
            args.append(NativeArg(cells=(ref(column),)))
            column += 1
        elif isinstance(spec, Range):
            refs = []
            for value in next(values):
                inputs[column] = value
                refs.append(ref(column))
                column += 1
            args.append(NativeArg(cells=tuple(refs), is_range=True))
        elif isinstance(spec, Const):
            args.append(NativeArg(constant=spec.value))
        else:
            args.append(NativeArg(omitted=True))
    program = RowProgram(first_row=row)
    outcome = translate(program, case.function, args)
    return Laid(case, number, row, inputs, program.addresses(), outcome.score, outcome.note)


def default_cases() -> list[Case]:
    """The catalogue's cases of every function that has a native translation now."""
    have = supported()
    return [case for case in catalogue() if case.function in have]


def lay_out_all(cases: Optional[Sequence[Case]] = None) -> list[Laid]:
    """Every case laid out. The default catalogue skips a case whose argument form the
    function's translation does not take (NativeUnsupported); given cases must all translate."""
    chosen = default_cases() if cases is None else list(cases)
    laid: list[Laid] = []
    for case in chosen:
        try:
            one = _lay_out(case, len(laid) + 1, FIRST_ROW + len(laid))
        except NativeUnsupported:
            if cases is not None:
                raise
            continue
        laid.append(one)
    return laid


def case_counts(cases: Optional[Sequence[Case]] = None) -> dict[str, int]:
    """How many cases of each function the workbook holds (in catalogue order)."""
    counts: dict[str, int] = {}
    for one in lay_out_all(cases):
        counts[one.case.function] = counts.get(one.case.function, 0) + 1
    return counts


def not_covered() -> list[str]:
    """The catalogue functions the self-check cannot hold yet (no native translation)."""
    have = supported()
    return [entry.name for entry in rules_catalogue.ENTRIES if entry.name not in have]


def same_formula(native: str, wanted: str) -> str:
    """TRUE when the native cell holds what the expected cell holds: the same error (by
    ERROR.TYPE), the same number, or the same text (EXACT); a value of another kind: FALSE."""
    d, e = native, wanted
    return (f"IF(ISERROR({e}),IF(ISERROR({d}),ERROR.TYPE({d})=ERROR.TYPE({e}),FALSE),"
            f"IF(ISERROR({d}),FALSE,IF(ISNUMBER({e}),IF(ISNUMBER({d}),{d}={e},FALSE),"
            f"IF(ISTEXT({d}),EXACT({d},{e}),FALSE))))")


def _put_text(cell, text: str) -> None:
    cell.value = text
    cell.data_type = "s"  # never a formula, even if it starts with '='


def _put_expected(cell, value: Any) -> None:
    if isinstance(value, float):
        cell.value = value
    elif isinstance(value, str) and value.strip() in ERROR_LITERALS:
        if value.strip() not in ERROR_CODES:
            raise ValueError(f"no error constant for {value}")
        cell.value = "=" + value.strip()  # the error itself, e.g. =#DIV/0!
    elif isinstance(value, str):
        _put_text(cell, value)
    else:
        raise TypeError(f"unexpected score {value!r}")


def build_selfcheck(path, cases: Optional[Sequence[Case]] = None) -> Path:
    """Write the self-check workbook to ``path`` (default: every supported function's cases)."""
    path = Path(path)
    laid = lay_out_all(cases)
    if not laid:
        raise ValueError("no case to check")
    wb = Workbook()
    check = wb.active
    check.title = SHEET
    data = wb.create_sheet(DATA_SHEET)
    helper = wb.create_sheet(HELPER_SHEET)
    labels = wb.create_sheet(LABEL_SHEET)

    last = FIRST_ROW + len(laid) - 1
    same_ranges = [f"{get_column_letter(col)}{FIRST_ROW}:{get_column_letter(col)}{last}" for col in (COL_SAME, COL_NOTE_SAME)]
    total = 2 * len(laid)
    functions = sorted({one.case.function for one in laid})
    _header(check, len(laid), total, len(functions), same_ranges)
    wb.defined_names[FAILURES_NAME] = DefinedName(FAILURES_NAME, attr_text=f"{quoted_sheet(SHEET)}!${FAILURES_CELL[0]}${FAILURES_CELL[1:]}")

    data["A1"] = "自检用的输入：每行一例，与“自检”页同一行对应。请不要修改。"
    for col, title in ((1, "序号"), (2, "函数"), (FIRST_INPUT_COLUMN, "输入（从此列起，按函数参数的顺序）")):
        data.cell(HEADER_ROW, col, title).font = Font(bold=True)
    for one in laid:
        r = one.row
        check.cell(r, COL_FUNCTION, one.case.function)
        check.cell(r, COL_NUMBER, one.number)
        _put_text(check.cell(r, COL_INPUTS), describe(one.case))
        check.cell(r, COL_SCORE).value = "=" + absolute(one.score)
        score, note = expected(one.case)
        _put_expected(check.cell(r, COL_EXPECTED), score)
        check.cell(r, COL_SAME).value = "=" + same_formula(_a1(COL_SCORE, r), _a1(COL_EXPECTED, r))
        check.cell(r, COL_NOTE).value = "=" + absolute(one.note)
        _put_text(check.cell(r, COL_EXPECTED_NOTE), note)
        check.cell(r, COL_NOTE_SAME).value = "=" + same_formula(_a1(COL_NOTE, r), _a1(COL_EXPECTED_NOTE, r))
        data.cell(r, 1, one.number)
        data.cell(r, 2, one.case.function)
        for col, raw in one.inputs.items():
            cell = data.cell(r, col)
            if raw is None:
                continue
            if isinstance(raw, str) and raw.startswith("="):
                cell.value = raw
            elif isinstance(raw, str):
                _put_text(cell, raw)
            else:
                cell.value = raw
        helper.cell(r, 1, one.number)
        labels.cell(r, 1, one.number)
        for address, label, formula in one.helpers:
            helper[address] = "=" + formula
            if label:
                _put_text(labels[address], label)

    for col, width in enumerate(WIDTHS, 1):
        check.column_dimensions[get_column_letter(col)].width = width
    for rng in same_ranges:
        check.conditional_formatting.add(rng, CellIsRule(operator="notEqual", formula=["TRUE"], fill=_SAME_FILL))
    check.freeze_panes = f"A{FIRST_ROW}"
    check.page_setup.orientation = "landscape"
    check.page_setup.paperSize = check.PAPERSIZE_A4
    check.page_setup.fitToWidth, check.page_setup.fitToHeight = 1, 0
    check.sheet_properties.pageSetUpPr.fitToPage = True
    check.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    check.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(COLUMNS))}{last}"
    data.column_dimensions["B"].width = 24
    for sheet, what in ((helper, "原生公式的计算步骤"), (labels, "“辅助计算”页同一位置单元格的用途")):
        sheet["A1"] = f"{what}：每行一例，与“自检”页同一行对应（A 列为序号）。"
        sheet.sheet_state = "hidden"
    wb.calculation = CalcProperties(calcMode="auto", fullCalcOnLoad=True)
    wb.active = 0
    wb.save(path)
    return path


def _a1(col: int, row: int) -> str:
    return f"{get_column_letter(col)}{row}"


def _header(ws, cases: int, total: int, functions: int, same_ranges: list[str]) -> None:
    ws["A1"] = "原生公式自检：本软件算出的得分和扣分说明是否与评分规则完全一致"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = USAGE
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(COLUMNS))
    ws["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[2].height = 64
    counts = (
        (TOTAL_CELL, "检查总数", total),
        (AGREED_CELL, "一致的检查数", "=" + "+".join(f"COUNTIF({r},TRUE)" for r in same_ranges)),
        (FAILURES_CELL, "不一致的检查数", f"={total}-" + "-".join(f"COUNTIF({r},TRUE)" for r in same_ranges)),
    )
    for ref, label, value in counts:
        row = int(ref[1:])
        ws.cell(row, 1, label).font = Font(bold=True)
        ws[ref] = value
        ws[ref].font = Font(bold=True)
        ws[ref].alignment = Alignment(horizontal="left")
    ws.cell(3, 4, f"（{cases} 例 × 得分、说明各一项；{functions} 个函数）")
    ws.cell(5, 4, "为 0 即全部一致（FALSE、错误值都算不一致）")
    verdict_row = int(VERDICT_CELL[1:])
    ws.cell(verdict_row, 1, "结论").font = Font(bold=True)
    ws[VERDICT_CELL] = (f'=IF(AND({FAILURES_CELL}=0,{AGREED_CELL}={TOTAL_CELL}),"通过：全部 {total} 项检查一致",'
                        f'"未通过："&{FAILURES_CELL}&" 项检查不一致，请筛选“一致？”列为 FALSE 的行")')
    ws[VERDICT_CELL].font = Font(bold=True)
    ws["A7"] = LAYOUT_NOTE
    ws.merge_cells(start_row=7, start_column=1, end_row=7, end_column=len(COLUMNS))
    ws["A7"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[7].height = 32
    for col, title in enumerate(COLUMNS, 1):
        cell = ws.cell(HEADER_ROW, col, title)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
