"""Year over year: ``--compare 上年汇总.xlsx|.csv``, a summary this tool wrote last year.

Each row of this year's summary gets 上年总得分, 变化 and 上年等级, matched by 部门名称
(`summary.department_key`: spaces, full-width forms and invisible characters do not
count); departments found in one year only are listed. 变化 is exact: both totals are
2-decimal numbers, subtracted as decimals (85.17 − 76.47 = 8.7, not 8.700000000000003).
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Optional

from .summary import COMPARE_COLUMNS, DEPARTMENT, GRADE, TOTAL, department_key, total_of, unescape_text

LAST_TOTAL, CHANGE, LAST_GRADE = COMPARE_COLUMNS
NEW = "上年无"  # 变化 of a department not in last year's summary
SUMMARY_SHEET = "汇总"
HEADER_SEARCH_ROWS = 5  # the header is row 1 in every summary written so far; allow a title above it


class CompareError(ValueError):
    """Last year's summary cannot be used; the message is Chinese and names the file."""


@dataclass(frozen=True)
class LastYearRow:
    name: str
    total: Optional[float]
    grade: Any
    year: Any = None


@dataclass
class LastYear:
    source: Path
    rows: dict[str, LastYearRow]  # department key → its row
    ambiguous: dict[str, list[LastYearRow]] = field(default_factory=dict)  # the key is on several rows

    def same_years(self, rows: list[dict]) -> list[str]:
        """The 年度 found in both this year's rows and last year's summary: a sign of the wrong file."""
        last = {_year(row.year) for row in self.rows.values()}
        return sorted(y for y in {_year(row.get("年度")) for row in rows} & last if y)


def _year(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


@dataclass
class Comparison:
    source: Path
    matched: int
    only_this_year: list[tuple[str, Any, Any]]  # (部门名称, 总得分, 评价等级)
    only_last_year: list[tuple[str, Any, Any]]  # (部门名称, 上年总得分, 上年等级)
    ambiguous: list[str]


def read_last_year(path: Path) -> LastYear:
    """Last year's summary: 部门名称, 总得分, 评价等级 (and 年度) of each row. Raises
    `CompareError` for a file that is not a summary of this tool."""
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise CompareError(f"上年汇总表应为本工具生成的 .xlsx 或 .csv 汇总表：{path}")
    if not path.exists():
        raise CompareError(f"找不到上年汇总表：{path}")
    table = _xlsx_table(path) if suffix == ".xlsx" else _csv_table(path)
    return _last_year(path, table)


def _csv_table(path: Path) -> list[list[Any]]:
    from . import files

    try:
        with files.open_regular(path) as fh:
            text = fh.read().decode("utf-8-sig")
    except files.NotRegularFile as error:
        raise CompareError(error.message_zh) from None
    except UnicodeDecodeError:
        raise CompareError(f"上年汇总表不是 UTF-8 编码的 CSV（本工具生成的汇总表是）：{path}") from None
    except OSError as error:
        raise CompareError(f"无法读取上年汇总表：{path}（{files.reason_zh(error)}）") from None
    return [list(record) for record in csv.reader(io.StringIO(text, newline=""))]


def _xlsx_table(path: Path) -> list[list[Any]]:
    from . import xlsx

    try:
        book = xlsx.WorkbookPackage.open(path)
    except xlsx.PackageError as error:
        raise CompareError(f"上年汇总表无法读取：{error.message_zh}") from None
    names = list(dict.fromkeys(sheet for sheet, _ in book.cells))
    sheet = SUMMARY_SHEET if SUMMARY_SHEET in names else (names[0] if names else None)
    grid: dict[int, dict[int, Any]] = {}
    for (name, ref), cell in book.cells.items():
        if name == sheet:
            row, col = (cell.row, cell.col) if cell.row and cell.col else xlsx.split_ref(ref)
            grid.setdefault(row, {})[col] = cell.value
    width = max((max(cols) for cols in grid.values()), default=0)
    return [[grid.get(r, {}).get(c) for c in range(1, width + 1)] for r in range(1, max(grid, default=0) + 1)]


def _number(value: Any) -> Optional[float]:
    if isinstance(value, str):
        try:
            value = float(value.strip()) if value.strip() else None
        except ValueError:
            return None
    return total_of({TOTAL: value})


def _last_year(path: Path, table: list[list[Any]]) -> LastYear:
    for index, header in enumerate(table[:HEADER_SEARCH_ROWS]):
        labels = [str(v).strip() if v is not None else "" for v in header]
        if DEPARTMENT in labels and TOTAL in labels:
            break
    else:
        raise CompareError(f"上年汇总表中没有“{DEPARTMENT}”和“{TOTAL}”列，不是本工具生成的汇总表：{path}")
    at = {label: i for i, label in reversed(list(enumerate(labels)))}

    def get(record: list[Any], column: str) -> Any:
        i = at.get(column)
        value = record[i] if i is not None and i < len(record) else None
        return None if value == "" else unescape_text(value)

    rows: dict[str, LastYearRow] = {}
    ambiguous: dict[str, list[LastYearRow]] = {}
    for record in table[index + 1:]:
        name = get(record, DEPARTMENT)
        key = department_key(name)
        if key is None:
            continue
        row = LastYearRow(str(name), _number(get(record, TOTAL)), get(record, GRADE), get(record, "年度"))
        if key in ambiguous:
            ambiguous[key].append(row)
        elif key in rows:
            ambiguous[key] = [rows.pop(key), row]
        else:
            rows[key] = row
    return LastYear(path, rows, ambiguous)


def change(this_year: float, last_year: float) -> float:
    return float(Decimal(repr(this_year)) - Decimal(repr(last_year)))


def compare(rows: list[dict], last: LastYear) -> Comparison:
    """Adds 上年总得分, 变化, 上年等级 to every row with a 部门名称; returns what was found
    in one year only."""
    seen: set[str] = set()
    only_this_year = []
    for row in rows:
        key = department_key(row.get(DEPARTMENT))
        if key is None:
            continue
        first = key not in seen
        seen.add(key)
        before = last.rows.get(key)
        if key in last.ambiguous:
            row.update({LAST_TOTAL: None, CHANGE: "上年重名，未比较", LAST_GRADE: None})
        elif before is None:
            row.update({LAST_TOTAL: None, CHANGE: NEW, LAST_GRADE: None})
            if first:
                only_this_year.append((row[DEPARTMENT], row.get(TOTAL), row.get(GRADE)))
        else:
            now = total_of(row)
            difference = change(now, before.total) if now is not None and before.total is not None else None
            row.update({LAST_TOTAL: before.total, CHANGE: difference, LAST_GRADE: before.grade})
    only_last_year = [(r.name, r.total, r.grade) for key, r in last.rows.items() if key not in seen]
    ambiguous = [rows_[0].name for key, rows_ in last.ambiguous.items() if key in seen]
    matched = sum(1 for key in seen if key in last.rows)
    return Comparison(last.source, matched, only_this_year, only_last_year, ambiguous)
