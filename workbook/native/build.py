"""The native kind of the template: the add-in calls of a built workbook replaced by native formulas.

The add-in template is built first, exactly as ``workbook.builder`` always builds it; then
:func:`nativize` rewrites the three kinds of cells that call a catalogue function:

* each 得分情况 cell: ``Framework.cell_score_formula`` with its ``SCORE_X(…)`` call replaced
  by the translation's score expression (the guards around it stay);
* each 扣分情况及整改情况说明 cell: ``Framework.note_cell_formula`` with its
  ``SCORE_X_NOTE(…)`` call replaced by the translation's note (guards, remedy and print
  joins stay);
* the 评价等级 cell: ``SCORE_GRADE(total)`` replaced the same way.

All translations share one :class:`~workbook.native.program.Program` whose helper cells go
on the hidden, protected sheet 辅助计算 (labels in column A, formulas in column B).
Everything else (names, validations, summary, printing, protection, properties) is the
add-in template's.
"""
from __future__ import annotations

import re
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from openpyxl.utils import get_column_letter, range_boundaries

from ..names import TOTAL_NAME
from .entries import NativeUnsupported, translate
from .program import HELPER_SHEET, NativeArg, Program, quoted_sheet

if TYPE_CHECKING:
    from openpyxl import Workbook

    from ..builder import Layout
    from ..model import Framework, Indicator

GRADE_FUNCTION = "SCORE_GRADE"
HELPER_WIDTHS = {"A": 36, "B": 60}

_REFERENCE = re.compile(r"^(?P<sheet>'(?:[^']|'')+'|[^'!]+)!(?P<range>\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?)$")


def cells_of(reference: str) -> tuple[str, ...]:
    """``'基础数据'!$C$90:$C$92`` → the absolute reference of each cell, row by row."""
    match = _REFERENCE.match(reference.strip().lstrip("="))
    if not match:
        raise NativeUnsupported(f"无法识别的单元格引用 {reference}（cannot read the reference {reference}）")
    sheet = match["sheet"].strip("'").replace("''", "'")
    min_col, min_row, max_col, max_row = range_boundaries(match["range"].replace("$", ""))
    return tuple(
        f"{quoted_sheet(sheet)}!${get_column_letter(col)}${row}"
        for row in range(min_row, max_row + 1)
        for col in range(min_col, max_col + 1)
    )


def native_args(fw: "Framework", ind: "Indicator", input_cells: dict) -> list[NativeArg]:
    """The arguments of the indicator's catalogue call as its translation takes them."""
    names = fw.names()
    args: list[NativeArg] = []
    for arg in ind.call.args:
        if arg.kind == "ref":
            inp, column = names[arg.name]
            is_range = column is not None or inp.is_range
            args.append(NativeArg(cells=cells_of(input_cells[arg.name]), is_range=is_range))
        elif arg.kind == "points":
            args.append(NativeArg(constant=Fraction(ind.points)))
        elif arg.kind == "points_of":
            args.append(NativeArg(constant=[[Fraction(p) for p in fw.input(arg.name).item_points()]]))
        elif arg.kind == "omitted":
            args.append(NativeArg(omitted=True))
        else:
            args.append(NativeArg(constant=_constant(arg.value)))
    return args


def _constant(value: Any) -> Any:
    if isinstance(value, list):
        return [[_constant(v) for v in row] for row in value]
    return value


def _replace_once(formula: str, call: str, native: str, where: str) -> str:
    if formula.count(call) != 1:
        raise AssertionError(f"{where}: expected the call {call} once in {formula}")
    return formula.replace(call, native)


def nativize(wb: "Workbook", fw: "Framework", layout: "Layout") -> Program:
    """Replace every catalogue call in ``wb`` by native formulas; adds the sheet 辅助计算.

    Raises NativeUnsupported (a Chinese + English message) before anything is changed
    when a function or argument form has no native translation."""
    from ..builder import COL_NOTE, COL_SCORE, SCORE_SHEET, _protect  # noqa: PLC0415

    program = Program()
    rewrites: list[tuple[int, int, str]] = []
    for ind in fw.indicators:
        try:
            outcome = translate(program, ind.call.function, native_args(fw, ind, layout.input_cells))
        except NativeUnsupported as error:
            raise NativeUnsupported(f"指标“{ind.name}”（{ind.key}）：{error}") from error
        row = layout.indicator_rows[ind.key]
        score = _replace_once(fw.cell_score_formula(ind), fw.score_formula(ind), outcome.score, ind.key)
        note = _replace_once(fw.note_cell_formula(ind, layout.input_cells), fw.note_formula(ind), outcome.note, ind.key)
        rewrites += [(row, COL_SCORE, score), (row, COL_NOTE, note)]
    total = layout.input_cells[TOTAL_NAME]
    grade = translate(program, GRADE_FUNCTION, [NativeArg(cells=cells_of(total))])
    ws = wb[SCORE_SHEET]
    grade_cell = ws.cell(layout.grade_row, COL_SCORE)
    total_local = f"{get_column_letter(COL_SCORE)}{layout.total_row}"
    expected = f"=IF(ISNUMBER({total_local}),{GRADE_FUNCTION}({total_local}),NA())"
    assert grade_cell.value == expected, grade_cell.value
    rewrites.append((layout.grade_row, COL_SCORE, f"IF(ISNUMBER({total_local}),{grade.score},NA())"))
    for row, column, formula in rewrites:
        ws.cell(row, column).value = "=" + formula

    helper = wb.create_sheet(HELPER_SHEET)
    for address, label, formula in program.addresses():
        helper["A" + address[1:]] = label
        helper[address] = "=" + formula
    for column, width in HELPER_WIDTHS.items():
        helper.column_dimensions[column].width = width
    helper.sheet_state = "hidden"
    _protect(helper)
    return program
