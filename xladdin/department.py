"""One department's workbook read through its framework: the scores the rules give for
its inputs, and the list of what the department must fix or the bureau must check.

A workbook the template built carries defined names for every input, every score
(``<indicator>_score``), subtotal (``subtotal_<level>``), ``total_score`` and ``grade``.
`read_department` takes the engine's results for it and gives a `Reading`:

* ``rule``: defined name → the value the rules give for the file's inputs. A score typed
  as a number over the template's formula does not count: the indicator's formula is put
  back on a copy and computed, and subtotals, total and grade are summed from the
  indicators as the template does (guarded: ``#N/A`` while any indicator is not a
  number, rounded to 2 places).
* ``typed``: the scores typed where the template has a formula, each beside the rule's value.
* ``problems``: one `Problem` per indicator and problem, in plain Chinese taken from the
  note, with the cells to fix: a missing input, text that is not a number, a value out of
  range, a typed score, a 不涉及 claim, a row filled in below a table, a blank 年度.

The exception list of ``xladdin audit`` and the summary's 错误 and 手工填写 columns are
made from it. A workbook of no known framework gives None (its cells are still audited).
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Optional

from workbook.names import GRADE_NAME, TOTAL_NAME, YEAR_NAME

from .marks import FROZEN_PROPERTY, cell_of_name, note_cell, shown

#: What a problem is, as the exception list names it.
MISSING, INVALID, ZERO, TYPED, NOT_APPLICABLE, OUTSIDE, IMPLAUSIBLE = (
    "缺少输入", "输入有误", "分母为0", "手工填写", "声明不涉及", "未计分", "数据存疑",
)
#: Problems the bureau checks rather than the department fixes (a claim, a warning).
TO_VERIFY = (NOT_APPLICABLE, IMPLAUSIBLE)
_KIND_OF_ERROR = {"#N/A": MISSING, "#VALUE!": INVALID, "#DIV/0!": ZERO}
_RANGE = re.compile(r"^(?:'((?:[^']|'')+)'|([^'!]+))!\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?$")


@dataclass(frozen=True)
class Typed:
    """A score typed as a number where the template has a formula."""

    label: str  # 政府采购执行情况, 总得分, 部门管理（小计）
    where: str  # 评分表!I11
    typed: Any
    rule: Any

    def text(self) -> str:
        return f"{self.label}手工填写为 {shown(self.typed)}（{self.where}），按规则为 {shown(self.rule)}"


@dataclass(frozen=True)
class Problem:
    """One line of a department's exception list."""

    indicator: str  # the indicator's name (or 总得分, 年度 …)
    kind: str  # MISSING | INVALID | ZERO | TYPED | NOT_APPLICABLE | OUTSIDE | IMPLAUSIBLE
    text: str  # plain Chinese, from the note where there is one
    cells: tuple[str, ...] = ()  # 基础数据!C12 …
    of_indicator: bool = True  # about a third-level indicator (not 年度, a subtotal or the total)

    @property
    def to_fix(self) -> bool:
        """The department must change something (rather than the bureau verify a claim)."""
        return self.kind not in TO_VERIFY


@dataclass
class Reading:
    rule: dict[str, Any] = field(default_factory=dict)  # defined name → the rules' value
    reasons: dict[str, str] = field(default_factory=dict)  # defined name of an error score → why
    typed: list[Typed] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)  # defined name → label


def cells_of_name(reference: str) -> list[tuple[str, str]]:
    """``'基础数据'!$C$5:$C$8`` → the (sheet, ref) of every cell, row by row."""
    match = _RANGE.match(reference.strip().lstrip("="))
    if not match:
        return []
    from .package import column_letters, column_number

    sheet = (match.group(1) or "").replace("''", "'") or match.group(2)
    c1, r1 = column_number(match.group(3)), int(match.group(4))
    c2, r2 = (column_number(match.group(5)), int(match.group(6))) if match.group(5) else (c1, r1)
    return [(sheet, f"{column_letters(c)}{r}") for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)]


def _where(key: tuple[str, str]) -> str:
    return f"{key[0]}!{key[1]}"


@lru_cache(maxsize=8)
def _framework(name: str):
    from workbook import framework

    return framework.load_framework(name)


def framework_of(book):
    """The framework a template-built workbook follows: the one its 评分框架 property names,
    else the shipped one whose indicators are exactly the workbook's ``<key>_score`` names."""
    from workbook import framework

    from .marks import FRAMEWORK_PROPERTY

    from workbook.names import indicator_key

    keys = {key for name in book.defined_names if (key := indicator_key(name)) is not None}
    if not keys:
        return None
    for name in [book.custom_properties.get(FRAMEWORK_PROPERTY), *framework.list_frameworks()]:
        if not name:
            continue
        try:
            fw = _framework(name)
        except (framework.FrameworkError, OSError):
            continue
        if {ind.key for ind in fw.indicators} == keys:
            return fw
    return None


def with_formulas(book, formulas: dict):
    """A shallow copy of ``book`` whose cells in ``formulas`` have the given formula text."""
    from .xlsx import Cell

    clone = copy.copy(book)
    clone.cells = dict(book.cells)
    for key, formula in formulas.items():
        old = book.cells.get(key)
        clone.cells[key] = Cell(key[0], key[1], formula, old.value if old is not None else None)
    clone._formula_cells = None
    return clone


def _value(book, results: dict, key) -> Any:
    if key in results:
        return results[key]
    cell = book.cells.get(key)
    return None if cell is None else cell.value


def _plain_note(text: Any) -> str:
    from workbook.framework import REMEDY_PREFIX, REMEDY_SEPARATOR, plain_note

    text = plain_note(str(text or ""))
    return text.split(REMEDY_SEPARATOR + REMEDY_PREFIX)[0].split(REMEDY_PREFIX)[0].strip()


def read_department(book, results: dict, fw=None) -> Optional[Reading]:
    """The rules' reading of a template-built workbook, None for any other."""
    fw = fw or framework_of(book)
    if fw is None:
        return None
    from workbook.framework import score_name, subtotal_name, sum_scores

    import udfs

    names = book.defined_names
    frozen = FROZEN_PROPERTY in getattr(book, "custom_properties", {})
    reading = Reading()
    score_keys = {ind.key: cell_of_name(names.get(score_name(ind.key), "")) for ind in fw.indicators}
    restore = {}
    for ind in fw.indicators:
        key = score_keys[ind.key]
        cell = book.cells.get(key) if key else None
        if key and (cell is None or cell.formula is None):  # typed over, or frozen
            restore[key] = fw.cell_score_formula(ind)
            if (note := book.cells.get(note_cell(key))) is None or note.formula is None:
                restore[note_cell(key)] = fw.note_cell_formula(ind, names)
    values = results
    if restore:
        from . import engine

        values = {**results, **engine.recalculate_package(with_formulas(book, restore)).values}
    scores, notes = {}, {}
    for ind in fw.indicators:
        key = score_keys[ind.key]
        name = score_name(ind.key)
        reading.labels[name] = ind.name
        scores[ind.key] = _value(book, values, key) if key else None
        reading.rule[name] = scores[ind.key]
        notes[ind.key] = _plain_note(_value(book, values, note_cell(key))) if key else ""
        if not _is_number(scores[ind.key]):
            reading.reasons[name] = notes[ind.key] or f"得分为 {shown(scores[ind.key])}"
    derived = [(subtotal_name(level.key), f"{level.name}（小计）", level.indicators) for level in [*fw.level1, *fw.level2]]
    derived += [(TOTAL_NAME, "总得分", fw.indicators), (GRADE_NAME, "评价等级", None)]
    for name, label, _ in derived:
        reading.labels[name] = label

    # what was typed where the template has a formula (a 定稿副本's scores are values by design)
    indicator_names = [score_name(i.key) for i in fw.indicators]
    typed = []  # (defined name, cell, typed value)
    for name in [*indicator_names, *(n for n, _, _ in derived)]:
        key = cell_of_name(names.get(name, ""))
        cell = book.cells.get(key) if key else None
        if cell is None or cell.formula is not None or cell.value is None:
            continue
        if not (frozen and (name in indicator_names or name == GRADE_NAME)):
            typed.append((name, key, cell.value))
    if restore or typed:
        # summed from the rules' indicator scores, as the template's guarded formulas do
        for name, _, indicators in derived:
            if indicators is not None:
                reading.rule[name] = sum_scores([scores[i.key] for i in indicators])
        total = reading.rule[TOTAL_NAME]
        reading.rule[GRADE_NAME] = udfs.SCORE_GRADE(total) if _is_number(total) else "#N/A"
    else:  # every score is the template's formula: the engine's values are the rules'
        for name, _, _ in derived:
            key = cell_of_name(names.get(name, ""))
            reading.rule[name] = _value(book, values, key) if key else None
    reading.typed = [Typed(reading.labels[name], _where(key), value, reading.rule[name]) for name, key, value in typed]
    reading.problems = _problems(book, values, fw, reading, scores, notes)
    return reading


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# ----------------------------------------------------------------------------- the exception list


def _problems(book, values: dict, fw, reading: Reading, scores: dict, notes: dict) -> list[Problem]:
    from udfs.coerce import is_not_applicable
    from workbook.framework import OUTSIDE_TABLE, score_name

    names = book.defined_names
    problems: list[Problem] = []
    year_key = cell_of_name(names.get(YEAR_NAME, ""))
    if year_key is not None and _value(book, values, year_key) in (None, ""):
        problems.append(Problem("年度", MISSING, "年度未填写，请填写评价年度（如 2024）", (_where(year_key),), False))
    typed = {t.label: t for t in reading.typed}
    for ind in fw.indicators:
        if ind.name in typed:
            t = typed[ind.name]
            problems.append(Problem(ind.name, TYPED, f"得分手工填写为 {shown(t.typed)}，按规则应为 {shown(t.rule)}，请恢复评分公式", (t.where,)))
        score = scores[ind.key]
        if not _is_number(score):
            kind = _KIND_OF_ERROR.get(score, INVALID)
            cells = _cells_to_fix(book, values, fw, ind, score)
            problems.append(Problem(ind.name, kind, reading.reasons.get(score_name(ind.key), ""), tuple(cells)))
        claims = [
            (inp, key) for inp in ind.inputs if inp.not_applicable
            for key in cells_of_name(names.get(inp.key, ""))
            if is_not_applicable(_value(book, values, key))
        ]
        if claims:  # every claim, so the bureau can check it
            what = "、".join(inp.label for inp, _ in claims)
            problems.append(Problem(ind.name, NOT_APPLICABLE, f"声明本年度不涉及（{what}），按满分计，请核实", tuple(_where(k) for _, k in claims)))
        warning = _warning(notes[ind.key])
        if warning:
            places = tuple(_place(names.get(name, "")) for inp in ind.inputs for name in inp.names() if name in names)
            problems.append(Problem(ind.name, IMPLAUSIBLE, warning + "（提示不影响得分）", places))
        for inp in ind.inputs:
            if inp.kind == "table":
                for row, key in _rows_below(book, values, inp):
                    problems.append(Problem(ind.name, OUTSIDE, f"{key[0]}第{row}行{OUTSIDE_TABLE}（表格只有{inp.rows}行）", (_where(key),)))
    for t in reading.typed:
        if t.label not in {ind.name for ind in fw.indicators}:
            problems.append(Problem(t.label, TYPED, f"手工填写为 {shown(t.typed)}，按规则应为 {shown(t.rule)}，请恢复公式", (t.where,), False))
    return problems


def _warning(note: str) -> str:
    """The plausibility warnings a note ends with (udfs.notes.with_warnings), or ""."""
    from udfs.notes import WARNING_PREFIX

    _, found, warning = note.partition(WARNING_PREFIX)
    return warning.strip() if found else ""


def _place(reference: str) -> str:
    """A defined name's reference as the exception list shows it: 基础数据!C80:C83."""
    cells = cells_of_name(reference)
    if not cells:
        return reference
    first, last = cells[0], cells[-1]
    return _where(first) if first == last else f"{first[0]}!{first[1]}:{last[1]}"


def _rows_below(book, values: dict, inp) -> list[tuple[int, tuple[str, str]]]:
    """Rows just below a table's range with a number in a number column: not scored."""
    from workbook.framework import table_number_columns

    columns = [cells_of_name(book.defined_names.get(name, "")) for name in table_number_columns(inp)]
    columns = [c for c in columns if c]
    if not columns:
        return []
    from .package import column_letters, column_number

    sheet = columns[0][-1][0]
    last = int(re.match(r"[A-Z]+(\d+)$", columns[0][-1][1]).group(1))
    letters = [re.match(r"([A-Z]+)", c[-1][1]).group(1) for c in columns]
    found = []
    row = last + 1
    while True:
        keys = [(sheet, f"{letter}{row}") for letter in letters]
        if not any(_is_number(_value(book, values, k)) for k in keys):
            return found
        first = column_letters(column_number(letters[0]) - 1)  # the name column, left of the target
        found.append((row, (sheet, f"{first}{row}")))
        row += 1


def _cells_to_fix(book, values: dict, fw, ind, score: Any) -> list[str]:
    """The input cells behind an indicator's error: blank ones for #N/A, unreadable ones for
    #VALUE!, zeros for #DIV/0!; every input cell when none stands out."""
    names = book.defined_names
    blank, unreadable, zero, every = [], [], [], []
    for inp in ind.inputs:
        for column in inp.columns or [None]:
            name = column.name if column is not None else inp.key
            required = column.required if column is not None else inp.required
            for i, key in enumerate(cells_of_name(names.get(name, ""))):
                value = _value(book, values, key)
                every.append(_where(key))
                if column is not None and column.kind == "text":
                    continue
                if value is None or (isinstance(value, str) and not value.strip()):
                    if required and (column is None or _row_filled(book, values, inp, i)):
                        blank.append(_where(key))
                    continue
                if not _readable(inp, column, value, i):
                    unreadable.append(_where(key))
                elif value == 0:
                    zero.append(_where(key))
    chosen = {"#N/A": blank, "#VALUE!": unreadable, "#DIV/0!": zero}.get(score, unreadable)
    return chosen or [c for c in every if c]


def _row_filled(book, values: dict, inp, i: int) -> bool:
    from workbook.framework import table_number_columns

    for name in table_number_columns(inp):
        cells = cells_of_name(book.defined_names.get(name, ""))
        if i < len(cells) and _value(book, values, cells[i]) not in (None, ""):
            return True
    return False


def _readable(inp, column, value: Any, i: int) -> bool:
    """Whether the catalogue's coercion for this kind of input reads ``value``."""
    from fractions import Fraction

    from udfs import coerce
    from udfs.errors import DomainError

    kind = column.kind if column is not None else inp.kind
    if coerce.is_not_applicable(value):
        return inp.not_applicable
    readers = {
        "amount": coerce.amount, "count": coerce.count, "rate": coerce.rate, "number": coerce.number,
        "status": coerce.status, "direction": coerce.direction,
    }
    try:
        if kind in readers:
            readers[kind](value, "")
        elif kind == "flag" and inp.scored_flag:
            points = inp.item_points()[i] if inp.items else inp.points
            coerce.flag(value, "", Fraction(points))
        elif kind == "flag":
            coerce.option(value, "", False)
    except DomainError:
        return False
    return True
