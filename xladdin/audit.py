"""What a finance bureau checks in a submitted workbook, most important first.

Findings, in the order they are listed (``Finding.rank``):

0. 应为公式 — a score typed as a number where the template expects a formula.
1. 不一致 — a formula cell whose stored value (what Excel or the department last saved)
   differs from the recomputed one, for a reason other than the two below.
2. 未装加载项 — one line for a workbook saved by an application without the add-in
   (LibreOffice, WPS, Excel before Import Functions): its scoring formulas hold a stored
   ``#NAME?``.  Every cell whose stored value is what such an application computes
   (the scores, the notes, the subtotals and total that read them) is counted in that
   line instead of being listed; a stored value that matches neither that nor the rules
   is still a 不一致 of its own.
3. 未重算 — formulas without any stored value: the workbook was never calculated
   (a fresh template, a file filled by a script).

A 定稿副本 (``xladdin freeze``, marked by the custom document property
`FROZEN_PROPERTY`) has values where the template has scoring formulas: it is not
flagged 应为公式; instead each frozen score and note of a known framework is checked
against the formula the template has there, recomputed from the copy's own 基础数据.

Scores are found by the template's defined names (``<indicator>_score``, ``subtotal_…``,
``total_score``) and, for a department's own copy of the framework table, by the
得分情况 column down to the 总得分 row.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Iterable, Optional

from workbook.names import is_score_name, is_subtotal_name, score_name

from .marks import FRAMEWORK_PROPERTY, FROZEN_PROPERTY, cell_of_name, shown as _shown  # noqa: F401

SCORE_HEADER = "得分情况"
TOTAL_LABELS = ("总得分", "总得分情况", "合计")
RANKS = {"应为公式": 0, "不一致": 1, "未装加载项": 2, "未重算": 3}
#: Told once, not a finding: a file saved by an application without the add-in, whose
#: cells hold what such an application computes, has been recalculated by the rules.
NOTICES = ("未装加载项",)
_NAME_ERROR = "#NAME?"


@dataclass(frozen=True)
class Finding:
    sheet: str
    ref: str
    kind: str  # "应为公式" | "不一致" | "未装加载项" | "未重算"
    stored: Any
    recomputed: Any
    message: str
    count: int = 1  # cells the finding stands for (未装加载项, 未重算: the whole file)

    @property
    def rank(self) -> int:
        return RANKS.get(self.kind, len(RANKS))

    @property
    def is_notice(self) -> bool:
        return self.kind in NOTICES


def to_check(findings: Iterable[Finding]) -> list[Finding]:
    """The findings that need checking (notices left out)."""
    return [f for f in findings if not f.is_notice]


def same_value(stored: Any, recomputed: Any) -> bool:
    if stored in (None, "") and recomputed in (None, ""):
        return True
    numeric = (int, float)
    if isinstance(stored, numeric) and isinstance(recomputed, numeric) and not isinstance(stored, bool) and not isinstance(recomputed, bool):
        return math.isclose(stored, recomputed, rel_tol=1e-9, abs_tol=1e-9)
    return type(stored) is type(recomputed) and stored == recomputed or (
        isinstance(stored, str) and isinstance(recomputed, str) and str(stored) == str(recomputed)
    )


def _split_ref(ref: str) -> tuple[str, int]:
    match = re.match(r"([A-Z]+)(\d+)$", ref)
    return match.group(1), int(match.group(2))


def _score_cells_by_header(cells: dict) -> Iterable[tuple[str, str]]:
    """Cells of a 得分情况 column, from its header down to the 总得分 row (inclusive)."""
    headers = [key for key, cell in cells.items() if isinstance(cell.value, str) and cell.value.strip() == SCORE_HEADER and cell.formula is None]
    for sheet, ref in headers:
        column, header_row = _split_ref(ref)
        # (row, cell) in document order; a cell read from a file knows its row
        on_sheet = [(c.row or _split_ref(r)[1], c) for (s, r), c in cells.items() if s == sheet]
        rows = sorted({row for row, _ in on_sheet})
        total_row = next(
            (row for row, c in on_sheet if row > header_row and isinstance(c.value, str) and c.value.strip() in TOTAL_LABELS),
            None,
        )
        for row in rows:
            if row > header_row and (total_row is None or row <= total_row):
                yield sheet, f"{column}{row}"


def is_frozen_copy(book) -> bool:
    return FROZEN_PROPERTY in getattr(book, "custom_properties", {})


def audit_workbook(book, recomputed: dict, reading=None) -> list[Finding]:
    """Findings for one workbook, most important first; ``recomputed`` maps (sheet, ref)
    of formula cells to values (`engine.recalculate_package(book).values`); ``reading``
    (`department.read_department`) names the scores typed in a 定稿副本."""
    findings: list[Finding] = []
    never, differing = [], []
    cells = book.cells
    for key, new in recomputed.items():  # one pass: a big sheet has a formula per row
        cell = cells.get(key)
        if cell is None:
            continue
        stored = cell.value
        if stored is None:
            never.append(key)
        elif not (stored == new and type(stored) is type(new)) and not same_value(stored, new):
            differing.append(key)
    without_addin = _saved_without_addin(book, recomputed, differing)
    folded = 0
    for key in differing:
        cell, new = book.cells[key], recomputed[key]
        if without_addin is not None and key in without_addin and same_value(cell.value, without_addin[key]):
            folded += 1
            continue
        findings.append(
            Finding(key[0], key[1], "不一致", cell.value, new, f"{key[0]}!{key[1]} 保存的值为 {_shown(cell.value)}，按规则重算为 {_shown(new)}")
        )
    if folded:
        findings.append(
            Finding("", "", "未装加载项", None, None, f"此文件由未装加载项的软件保存，{folded} 处评分未计算；已按规则重算", folded)
        )
    if never:
        findings.append(
            Finding(
                "", "", "未重算", None, None,
                f"此文件从未计算过：{len(never)} 个公式没有保存的值（如用程序填写后未经 Excel 打开）；"
                "已按规则重算，用 xladdin recalc 写回后即可在任何软件中看到得分",
                len(never),
            )
        )
    if is_frozen_copy(book):
        findings.extend(_check_frozen_copy(book))
        for typed in reading.typed if reading is not None else ():
            sheet, _, ref = typed.where.partition("!")
            findings.append(
                Finding(
                    sheet, ref, "不一致", typed.typed, typed.rule,
                    f"{typed.where} 定稿副本中的{typed.label} {_shown(typed.typed)} 不是公式算出的，按本文件基础数据应为 {_shown(typed.rule)}",
                )
            )
    else:
        expected_formulas = {cell_of_name(ref) for name, ref in book.defined_names.items() if is_score_name(name) or is_subtotal_name(name)}
        expected_formulas.update(_score_cells_by_header(book.cells))
        for key in sorted(k for k in expected_formulas if k):
            cell = book.cells.get(key)
            if cell is not None and cell.formula is None and isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                findings.append(
                    Finding(key[0], key[1], "应为公式", cell.value, None, f"{key[0]}!{key[1]} 的得分 {_shown(cell.value)} 是手工填写的数字，模板此处应为评分公式")
                )
    findings.sort(key=lambda f: f.rank)  # stable: document order within a rank
    return findings


def _saved_without_addin(book, recomputed: dict, differing: list) -> Optional[dict]:
    """What an application without the add-in computes for every formula cell, when the
    workbook looks saved by one (a scoring formula stores ``#NAME?`` that the rules do
    not give); None otherwise."""
    from . import engine

    for key in differing:
        cell = book.cells[key]
        if cell.value == _NAME_ERROR and recomputed[key] != _NAME_ERROR and cell.formula:
            if engine.catalogue_calls(cell.formula):
                break
    else:
        return None
    return dict(engine.recalculate_package(book, as_without_addin=True).values)


def _check_frozen_copy(book) -> list[Finding]:
    """A 定稿副本's frozen scores and notes against the template's formulas on its own inputs."""
    from .department import framework_of, with_formulas
    from .marks import note_cell as note_of

    fw = framework_of(book)
    if fw is None:
        return []

    formulas = {}
    for ind in fw.indicators:
        key = cell_of_name(book.defined_names.get(score_name(ind.key), ""))
        if key is None:
            continue
        cell = book.cells.get(key)
        if cell is None or cell.formula is not None:
            continue  # still a formula: the ordinary check covers it
        formulas[key] = fw.cell_score_formula(ind)
        note = note_of(key)
        if (note_cell := book.cells.get(note)) is not None and note_cell.formula is None:
            formulas[note] = fw.note_cell_formula(ind, book.defined_names)
    if not formulas:
        return []
    values = engine_values(with_formulas(book, formulas))
    findings = []
    for key in formulas:
        stored, new = book.cells[key].value, values.get(key)
        if not same_value(stored, new):
            findings.append(
                Finding(
                    key[0], key[1], "不一致", stored, new,
                    f"{key[0]}!{key[1]} 定稿副本中保存的值为 {_shown(stored)}，按本文件基础数据重算为 {_shown(new)}（定稿后改过基础数据或得分？）",
                )
            )
    return findings


def engine_values(book) -> dict:
    from . import engine

    return dict(engine.recalculate_package(book).values)
