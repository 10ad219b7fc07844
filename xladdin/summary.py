"""One summary row per workbook, and the summary table as .xlsx (openpyxl) or .csv.

A row is read through the template's defined names (``dept_name``, ``eval_year``,
``<indicator>_score``, ``subtotal_<level>``, ``total_score``, ``grade``), labelled
with the framework's Chinese names; a workbook the template did not build still
gets its file name and its errors.
"""
from __future__ import annotations

import io
import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any

from workbook.names import (
    DEPARTMENT_NAME, GRADE_NAME, TOTAL_NAME, YEAR_NAME, is_score_name, is_subtotal_name, score_name, subtotal_name,
)

from .marks import cell_of_name

#: The summary's columns around the scores, in print order: who and how they did first (the
#: first printed pages are the overview), then every indicator and subtotal, then the file.
RANK, DEPARTMENT, DUPLICATE, TOTAL, GRADE, ERRORS = "排名", "部门名称", "重复", "总得分", "评价等级", "错误"
COMPARE_COLUMNS = ("上年总得分", "变化", "上年等级")  # --compare (xladdin/compare.py)
TYPED = "手工填写"  # a score typed over its formula, beside the rule's value (xladdin/department.py)
LEADING_COLUMNS = (RANK, DEPARTMENT, DUPLICATE, "年度", TOTAL, GRADE, *COMPARE_COLUMNS, ERRORS, TYPED, "核查", "未重算")
TRAILING_COLUMNS = ("文件",)
SUMMARY_SUFFIXES = (".xlsx", ".csv")
#: A text whose first visible character is one of these is a formula to a spreadsheet
#: application (CSV injection), full-width forms included (LibreOffice and WPS take them).
FORMULA_TRIGGERS = frozenset("=+-@＝＋－＠")
@lru_cache(maxsize=1)
def indicator_labels() -> dict[str, str]:
    """Defined name → column label, from every framework shipped: a later framework adds
    only the names the earlier ones do not have, in table order (level 1, its level 2
    groups, their indicators)."""
    return _labels_until(lambda labels: False)


def _labels_until(enough) -> dict[str, str]:
    """`indicator_labels` built framework by framework, stopping once ``enough(labels)``:
    a later framework only adds names, so what is there by then is already final."""
    from workbook.framework import list_frameworks, load_framework

    labels: dict[str, str] = {}
    for name in list_frameworks():
        fw = load_framework(name)
        for level1 in fw.level1:
            labels.setdefault(subtotal_name(level1.key), f"{level1.name}（小计）")
            for level2 in level1.children:
                labels.setdefault(subtotal_name(level2.key), f"{level2.name}（小计）")
                for ind in level2.indicators:
                    labels.setdefault(score_name(ind.key), ind.name)
        if enough(labels):
            break
    return labels


def labels_of(names) -> dict[str, str]:
    """`indicator_labels` for the score and subtotal names among ``names``, in its order;
    a workbook of the first framework shipped reads that framework only."""
    wanted = [n for n in names if is_score_name(n) or is_subtotal_name(n)]
    labels = _labels_until(lambda labels: all(n in labels for n in wanted))  # frameworks load once
    return {n: label for n, label in labels.items() if n in names}


def _value_at(book, results: dict, reference: str) -> Any:
    key = cell_of_name(reference)
    if key is None:
        return None
    if key in results:
        return results[key]
    cell = book.cells.get(key)
    return None if cell is None else cell.value


def summary_row(book, results: dict, kept: dict | None = None, reading=None) -> dict:
    """One summary row; ``kept`` maps the cells that were not recalculated to their reason.

    With ``reading`` (`department.read_department`) the scores, subtotals, total and grade
    are the rules' for the file's inputs, a typed score is named in 手工填写 beside the
    rule's value, and 错误 gives each error's reason from its note."""
    kept = kept or {}
    rule = reading.rule if reading is not None else {}
    reasons = reading.reasons if reading is not None else {}
    row: dict[str, Any] = {"文件": str(book.path)}
    names = book.defined_names
    if DEPARTMENT_NAME in names:
        row["部门名称"] = _value_at(book, results, names[DEPARTMENT_NAME])
    if YEAR_NAME in names:
        row["年度"] = _value_at(book, results, names[YEAR_NAME])
    labels = labels_of(names)
    errors = []
    for name, label in labels.items():
        value = rule[name] if name in rule else _value_at(book, results, names[name])
        row[label] = value
        if is_score_name(name) and not isinstance(value, (int, float)):
            reason = kept.get(cell_of_name(names[name]))
            if reason is not None:
                errors.append(f"{label}：未重算（{reason}）")
            else:
                errors.append(f"{label}：{reasons.get(name) or (value if value is not None else '（空）')}")
    for name, column in ((TOTAL_NAME, "总得分"), (GRADE_NAME, "评价等级")):
        if name in names:
            row[column] = rule[name] if name in rule else _value_at(book, results, names[name])
    row["错误"] = "；".join(errors)
    if reading is not None and reading.typed:
        row["手工填写"] = "；".join(t.text() for t in reading.typed)
    row["未重算"] = len(kept)
    return row


def _invisible(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Zs", "Zl", "Zp")


def escape_text(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe.

    The trigger is looked for after leading blanks, control and zero-width
    characters (``"\\r=1+1"``, ``"\\u200b=1+1"``), and in its full-width forms.
    """
    if not isinstance(value, str) or not value:
        return value
    for ch in value:
        if not _invisible(ch):
            return "'" + value if ch in FORMULA_TRIGGERS else value
    return value


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet would take this text for a formula (after leading invisibles)."""
    return escape_text(text) is not text


def unescape_text(value: Any) -> Any:
    """`escape_text` undone: what a summary written by this tool (its CSV) held before the quote."""
    if isinstance(value, str) and value.startswith("'") and is_formula_like(value[1:]):
        return value[1:]
    return value


def department_key(name: Any) -> str | None:
    """The 部门名称 as a person reads it: full-width and half-width forms alike, spaces,
    line breaks, control and zero-width characters ignored. None for no name."""
    if name is None or isinstance(name, bool):
        return None
    text = unicodedata.normalize("NFKC", str(name))
    key = "".join(ch for ch in text if not _invisible(ch)).casefold()
    return key or None


# --------------------------------------------------------------------------
# The table: rank, duplicate flags, column order
# --------------------------------------------------------------------------


def total_of(row: dict) -> float | None:
    """The row's 总得分 when it is a number."""
    value = row.get(TOTAL)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        return None
    return float(value)


def _as_shown(total: float) -> float:
    # Excel shows and compares 15 significant digits: two totals that read 85.17 tie
    return float(f"{total:.15g}")


def unranked_reason(row: dict) -> str:
    """Why a row has no rank, short enough for the 排名 column."""
    if "未重算" not in row:  # the file was not read (failed, or another format)
        return "不排名：文件未处理"
    if TOTAL not in row:
        return "不排名：不是评分表（无总得分）"
    value = row[TOTAL]
    return "不排名：无总得分" if value is None or value == "" else f"不排名：总得分为 {value}"


def add_ranks(rows: list[dict]) -> None:
    """排名 by 总得分, highest first; equal totals share a rank and the next rank is skipped
    (1, 2, 2, 4 — as RANK.EQ in Excel); a row without a total gets the reason instead."""
    totals = [total_of(row) for row in rows]
    shown = sorted((_as_shown(t) for t in totals if t is not None), reverse=True)
    first_place = {}
    for place, total in enumerate(shown, 1):
        first_place.setdefault(total, place)
    for row, total in zip(rows, totals):
        row[RANK] = first_place[_as_shown(total)] if total is not None else unranked_reason(row)


def flag_duplicates(rows: list[dict]) -> None:
    """重复 for every row whose 部门名称 (as `department_key` reads it) appears more than once."""
    keys = [department_key(row.get(DEPARTMENT)) for row in rows]
    counts = Counter(k for k in keys if k is not None)
    for row, key in zip(rows, keys):
        n = counts.get(key, 0)
        row[DUPLICATE] = f"重复（共 {n} 份）" if n > 1 else None


def _ordered_columns(rows: list[dict]) -> list[str]:
    present: dict[str, None] = {}
    for row in rows:
        present.update(dict.fromkeys(row))
    fixed = set(LEADING_COLUMNS) | set(TRAILING_COLUMNS)
    return (
        [c for c in LEADING_COLUMNS if c in present]
        + [c for c in present if c not in fixed]
        + [c for c in TRAILING_COLUMNS if c in present]
    )


def score_columns(columns: list[str]) -> list[str]:
    """The columns holding scores: every indicator and subtotal of a framework, and 总得分."""
    labels = set(indicator_labels().values()) | {TOTAL}
    return [c for c in columns if c in labels]


def check_summary_path(path: Path) -> None:
    """Refuse a summary name the writer cannot honour, before any work is done."""
    if path.suffix.lower() not in SUMMARY_SUFFIXES:
        raise ValueError(f"汇总表只能保存为 .xlsx 或 .csv：{path}")
    if path.is_dir():
        raise ValueError(f"汇总表的位置是一个文件夹：{path}")


def _cell(value: Any) -> Any:
    """What one summary cell holds: whole numbers as whole numbers, other values as text."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, float):
        if value != value:  # NaN: nothing to show
            return None
        return int(value) if value.is_integer() and abs(value) < 1e15 else value
    if isinstance(value, int):
        return value
    return str(value)


def summary_table(rows: list[dict]) -> tuple[list[str], list[list[Any]]]:
    """Columns and records of the summary: the rows ranked and checked for duplicates."""
    rows = [dict(row) for row in rows]
    add_ranks(rows)
    flag_duplicates(rows)
    columns = _ordered_columns(rows)
    return columns, [[_cell(row.get(c)) for c in columns] for row in rows]


def csv_bytes(columns: list[str], records: list[list[Any]]) -> bytes:
    """UTF-8 with a BOM (Excel then shows the Chinese right); every field holding a quote,
    comma, CR or LF is quoted, so no reader splits a row inside a field; text a spreadsheet
    would run as a formula gets a leading apostrophe (`escape_text`)."""
    import csv

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(columns)
    for record in records:
        writer.writerow("" if v is None else escape_text(v) for v in record)
    return out.getvalue().encode("utf-8-sig")
