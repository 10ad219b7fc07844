"""What a finance bureau checks in a submitted workbook.

Two findings: a formula cell whose stored value (what Excel or the department last
saved) differs from the recomputed one, and a score typed as a number where the
template expects a formula. Scores are found by the template's defined names
(``<indicator>_score``, ``subtotal_…``, ``total_score``) and, for a department's own copy of the framework
table, by the 得分情况 column down to the 总得分 row.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Iterable, Optional

SCORE_NAME = re.compile(r"(_score$|^subtotal_)")
SCORE_HEADER = "得分情况"
TOTAL_LABELS = ("总得分", "总得分情况", "合计")
_REFERENCE = re.compile(r"^(?:'((?:[^']|'')+)'|([^'!]+))!\$?([A-Z]{1,3})\$?(\d+)$")


@dataclass(frozen=True)
class Finding:
    sheet: str
    ref: str
    kind: str  # "不一致" | "应为公式"
    stored: Any
    recomputed: Any
    message: str


def cell_of_name(reference: str) -> Optional[tuple[str, str]]:
    """``'基础数据'!$C$5`` → ``("基础数据", "C5")``; None for ranges and formulas."""
    match = _REFERENCE.match(reference.strip().lstrip("="))
    if not match:
        return None
    sheet = (match.group(1) or "").replace("''", "'") or match.group(2)
    return sheet, f"{match.group(3)}{match.group(4)}"


def same_value(stored: Any, recomputed: Any) -> bool:
    if stored in (None, "") and recomputed in (None, ""):
        return True
    numeric = (int, float)
    if isinstance(stored, numeric) and isinstance(recomputed, numeric) and not isinstance(stored, bool) and not isinstance(recomputed, bool):
        return math.isclose(stored, recomputed, rel_tol=1e-9, abs_tol=1e-9)
    return type(stored) is type(recomputed) and stored == recomputed or (
        isinstance(stored, str) and isinstance(recomputed, str) and str(stored) == str(recomputed)
    )


def _shown(value: Any) -> str:
    if value is None:
        return "（空）"
    if isinstance(value, float):
        return f"{value:.10g}"
    return str(value)


def _split_ref(ref: str) -> tuple[str, int]:
    match = re.match(r"([A-Z]+)(\d+)$", ref)
    return match.group(1), int(match.group(2))


def _score_cells_by_header(cells: dict) -> Iterable[tuple[str, str]]:
    """Cells of a 得分情况 column, from its header down to the 总得分 row (inclusive)."""
    headers = [key for key, cell in cells.items() if isinstance(cell.value, str) and cell.value.strip() == SCORE_HEADER and cell.formula is None]
    for sheet, ref in headers:
        column, header_row = _split_ref(ref)
        rows = sorted({_split_ref(r)[1] for (s, r) in cells if s == sheet})
        total_row = next(
            (
                _split_ref(r)[1]
                for (s, r), c in cells.items()
                if s == sheet and isinstance(c.value, str) and c.value.strip() in TOTAL_LABELS and _split_ref(r)[1] > header_row
            ),
            None,
        )
        for row in rows:
            if row > header_row and (total_row is None or row <= total_row):
                yield sheet, f"{column}{row}"


def audit_workbook(book, recomputed: dict) -> list[Finding]:
    """Findings for one workbook; ``recomputed`` maps (sheet, ref) of formula cells to values."""
    findings: list[Finding] = []
    for key, new in recomputed.items():
        cell = book.cells.get(key)
        if cell is None or cell.value is None:
            continue  # never calculated (e.g. written by a script): nothing to compare with
        if not same_value(cell.value, new):
            findings.append(
                Finding(key[0], key[1], "不一致", cell.value, new, f"{key[0]}!{key[1]} 保存的值为 {_shown(cell.value)}，按规则重算为 {_shown(new)}")
            )
    expected_formulas = {cell_of_name(ref) for name, ref in book.defined_names.items() if SCORE_NAME.search(name)}
    expected_formulas.update(_score_cells_by_header(book.cells))
    for key in sorted(k for k in expected_formulas if k):
        cell = book.cells.get(key)
        if cell is not None and cell.formula is None and isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
            findings.append(
                Finding(key[0], key[1], "应为公式", cell.value, None, f"{key[0]}!{key[1]} 的得分 {_shown(cell.value)} 是手工填写的数字，模板此处应为评分公式")
            )
    return findings
