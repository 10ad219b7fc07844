"""The template's layout as names: which defined name holds what in a workbook the
template built, and where each indicator's note sits beside its score.

Every reader of a workbook (audit, summary, report, freeze, the department reading) and
both builders take the names from here, and `TemplateCells` reads them back from a
workbook's own defined names. Stdlib only: a summary row costs no framework loading.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Mapping, Optional

#: The custom document property naming the framework a template was built from
#: (read back by ``xladdin audit`` to check a 定稿副本 against its own framework).
FRAMEWORK_PROPERTY = "评分框架"

DEPARTMENT_NAME = "dept_name"
YEAR_NAME = "eval_year"
PREPARER_NAME = "preparer"
TOTAL_NAME = "total_score"
GRADE_NAME = "grade"
#: The header cells' defined names, in the order the summary shows them.
HEADER_NAMES = (DEPARTMENT_NAME, YEAR_NAME, PREPARER_NAME)

# Defined names the builder creates besides the inputs; an input may not take them.
RESERVED_NAMES = frozenset({"points", DEPARTMENT_NAME, YEAR_NAME, PREPARER_NAME, TOTAL_NAME, GRADE_NAME})
SCORE_NAME_SUFFIX = "_score"  # the builder names each indicator's score cell <indicator key>_score
SUBTOTAL_NAME_PREFIX = "subtotal_"  # … and each first/second-level subtotal subtotal_<level key>
REMEDY_NAME_SUFFIX = "_remedy"  # … and each indicator's 整改情况 input cell <indicator key>_remedy

#: The 「扣分情况及整改情况说明」 cell is this many columns right of the 得分情况 cell.
NOTE_COLUMN_OFFSET = 1


def score_name(indicator_key: str) -> str:
    """Workbook defined name of an indicator's score cell (评分表 得分情况).

    Not ``score_<key>``: Excel names are case-insensitive, so ``score_procurement``
    would shadow the function SCORE_PROCUREMENT (LibreOffice shows Err:509 for it).
    """
    return indicator_key + SCORE_NAME_SUFFIX


def subtotal_name(level_key: str) -> str:
    """Workbook defined name of a first- or second-level subtotal (sheet 得分汇总)."""
    return SUBTOTAL_NAME_PREFIX + level_key


def remedy_name(indicator_key: str) -> str:
    """Workbook defined name of an indicator's 整改情况及措施 input cell (sheet 基础数据)."""
    return indicator_key + REMEDY_NAME_SUFFIX


def is_score_name(name: str) -> bool:
    """An indicator's score cell (``<key>_score``; ``total_score`` is the total's)."""
    return name.endswith(SCORE_NAME_SUFFIX) and name != TOTAL_NAME


def is_subtotal_name(name: str) -> bool:
    return name.startswith(SUBTOTAL_NAME_PREFIX)


def indicator_key(name: str) -> Optional[str]:
    """``procurement_score`` → ``procurement``; None for any other name."""
    return name[: -len(SCORE_NAME_SUFFIX)] if is_score_name(name) else None


_REFERENCE = re.compile(r"^(?:'((?:[^']|'')+)'|([^'!]+))!\$?([A-Z]{1,3})\$?(\d+)$")


def cell_of_name(reference: str) -> Optional[tuple[str, str]]:
    """``'基础数据'!$C$5`` → ``("基础数据", "C5")``; None for ranges and formulas."""
    match = _REFERENCE.match(reference.strip().lstrip("="))
    if not match:
        return None
    sheet = (match.group(1) or "").replace("''", "'") or match.group(2)
    return sheet, f"{match.group(3)}{match.group(4)}"


def _column_number(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number


def _column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def note_cell(score_cell: tuple[str, str]) -> tuple[str, str]:
    """The note cell beside a score cell: ``("评分表", "I12")`` → ``("评分表", "J12")``."""
    sheet, ref = score_cell
    letters, row = re.match(r"([A-Z]+)(\d+)$", ref).groups()
    return sheet, f"{_column_letters(_column_number(letters) + NOTE_COLUMN_OFFSET)}{row}"


@dataclass(frozen=True)
class TemplateCells:
    """Where a workbook the template built keeps its scores, read back from its defined
    names: indicator key → score cell (and `note_of` its note), level key → subtotal
    cell, the total's and the grade's cells (None when the workbook lacks them)."""

    scores: dict = field(default_factory=dict)
    subtotals: dict = field(default_factory=dict)
    total: Optional[tuple[str, str]] = None
    grade: Optional[tuple[str, str]] = None

    @classmethod
    def read(cls, defined_names: Mapping[str, str]) -> "TemplateCells":
        scores, subtotals = {}, {}
        for name, reference in defined_names.items():
            cell = cell_of_name(reference)
            if cell is None:
                continue
            if is_score_name(name):
                scores[indicator_key(name)] = cell
            elif is_subtotal_name(name):
                subtotals[name[len(SUBTOTAL_NAME_PREFIX):]] = cell
        return cls(
            scores,
            subtotals,
            cell_of_name(defined_names.get(TOTAL_NAME, "")),
            cell_of_name(defined_names.get(GRADE_NAME, "")),
        )

    def note_of(self, key: str) -> Optional[tuple[str, str]]:
        cell = self.scores.get(key)
        return None if cell is None else note_cell(cell)
