"""One summary row per workbook, and the summary table as .xlsx (openpyxl) or .csv.

A row is read through the template's defined names (``dept_name``, ``eval_year``,
``<indicator>_score``, ``subtotal_<level>``, ``total_score``, ``grade``), labelled
with the framework's Chinese names; a workbook the template did not build still
gets its file name and its errors.
"""
from __future__ import annotations

import importlib.util
import io
import tomllib
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

from .audit import cell_of_name

TEXT_COLUMNS = ("文件", "部门名称", "年度", "评价等级", "错误", "手工填写", "核查", "未重算")
SUMMARY_SUFFIXES = (".xlsx", ".csv")
#: A text whose first visible character is one of these is a formula to a spreadsheet
#: application (CSV injection), full-width forms included (LibreOffice and WPS take them).
FORMULA_TRIGGERS = frozenset("=+-@＝＋－＠")
#: The defined names the template builder gives score and subtotal cells
#: (workbook.framework.SCORE_NAME_SUFFIX / SUBTOTAL_NAME_PREFIX; a test keeps them equal).
SCORE_NAME_SUFFIX = "_score"
SUBTOTAL_NAME_PREFIX = "subtotal_"


def _frameworks_dir() -> Path:
    # found without importing the workbook package (which would load openpyxl)
    spec = importlib.util.find_spec("workbook")
    return Path(spec.origin).parent / "frameworks"


@lru_cache(maxsize=1)
def indicator_labels() -> dict[str, str]:
    """Defined name → column label, from every framework definition shipped.

    Read straight from the TOML files (names and keys only), so that a summary row
    costs neither openpyxl nor the framework validation; a later framework adds only
    the names the earlier ones do not have, in table order (level 1, its level 2
    groups, their indicators).
    """
    level1: list[str] = []
    level2: dict[str, list[str]] = {}
    indicators: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    labels: dict[str, str] = {}
    for path in sorted(_frameworks_dir().glob("*.toml"), key=lambda p: p.stem):
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        for kind, children in (("level1", None), ("level2", level2), ("indicator", indicators)):
            for entry in data.get(kind, []):
                key = entry.get("key")
                if not key or (kind, key) in names:
                    continue
                names[(kind, key)] = entry.get("name") or key
                if kind == "level1":
                    level1.append(key)
                else:
                    children.setdefault(entry.get("parent"), []).append(key)
        for key1 in level1:
            labels.setdefault(SUBTOTAL_NAME_PREFIX + key1, f"{names['level1', key1]}（小计）")
            for key2 in level2.get(key1, []):
                labels.setdefault(SUBTOTAL_NAME_PREFIX + key2, f"{names['level2', key2]}（小计）")
                for key3 in indicators.get(key2, []):
                    labels.setdefault(key3 + SCORE_NAME_SUFFIX, names["indicator", key3])
    return labels


def is_score_name(name: str) -> bool:
    return name.endswith(SCORE_NAME_SUFFIX)


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
    if "dept_name" in names:
        row["部门名称"] = _value_at(book, results, names["dept_name"])
    if "eval_year" in names:
        row["年度"] = _value_at(book, results, names["eval_year"])
    labels = indicator_labels()
    errors = []
    for name in [n for n in labels if n in names]:
        label = labels[name]
        value = rule[name] if name in rule else _value_at(book, results, names[name])
        row[label] = value
        if is_score_name(name) and not isinstance(value, (int, float)):
            reason = kept.get(cell_of_name(names[name]))
            if reason is not None:
                errors.append(f"{label}：未重算（{reason}）")
            else:
                errors.append(f"{label}：{reasons.get(name) or (value if value is not None else '（空）')}")
    for name, column in (("total_score", "总得分"), ("grade", "评价等级")):
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


def _ordered_columns(rows: list[dict]) -> list[str]:
    columns: list[str] = []
    for row in rows:
        for column in row:
            if column not in columns:
                columns.append(column)
    tail = [c for c in ("总得分", "评价等级", "错误", "手工填写", "核查", "未重算") if c in columns]
    return [c for c in columns if c not in tail] + tail


def check_summary_path(path: Path) -> None:
    """Refuse a summary name the writer cannot honour, before any work is done."""
    if path.suffix.lower() not in SUMMARY_SUFFIXES:
        raise ValueError(f"汇总表只能保存为 .xlsx 或 .csv：{path}")
    if path.is_dir():
        raise ValueError(f"汇总表的位置是一个文件夹：{path}")


def _cell(column: str, value: Any) -> Any:
    """What one summary cell holds: whole numbers as whole numbers, text escaped."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, float):
        if value != value:  # NaN: nothing to show
            return None
        return int(value) if value.is_integer() and abs(value) < 1e15 else value
    if isinstance(value, int):
        return value
    return escape_text(str(value))


def _table(rows: list[dict]) -> tuple[list[str], list[list[Any]]]:
    columns = _ordered_columns(rows)
    return columns, [[_cell(c, row.get(c)) for c in columns] for row in rows]


def write_summary(rows: list[dict], path: Path) -> Path:
    """Writes the summary; the format follows the suffix (.xlsx or .csv).

    The file appears whole or not at all (`xladdin.files.atomic_write`): a full
    disk leaves no empty or partial file behind.  Raises ValueError for a name
    the writer cannot honour, `files.FileWriteError` (Chinese) when writing fails.
    """
    from . import files

    check_summary_path(path)
    columns, records = _table(rows)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise files.FileWriteError(f"无法创建汇总表所在的文件夹：{path.parent}", path) from error
    if path.suffix.lower() == ".csv":
        data = _csv_bytes(columns, records)
    else:
        data = _xlsx_bytes(columns, records)
    files.atomic_write(path, [data])
    return path


def _csv_bytes(columns: list[str], records: list[list[Any]]) -> bytes:
    """UTF-8 with a BOM (Excel then shows the Chinese right); every field holding a quote,
    comma, CR or LF is quoted, so no reader splits a row inside a field."""
    import csv

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(columns)
    for record in records:
        writer.writerow("" if v is None else v for v in record)
    return out.getvalue().encode("utf-8-sig")


def _xlsx_bytes(columns: list[str], records: list[list[Any]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    sheet = wb.active
    sheet.title = "汇总"
    sheet.append(columns)
    for record in records:
        sheet.append(record)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for index, column in enumerate(columns, 1):
        letter = get_column_letter(index)
        width = 40 if column in ("文件", "错误", "手工填写") else 22 if column == "部门名称" else 11
        sheet.column_dimensions[letter].width = width
        if column not in TEXT_COLUMNS:
            for cell in sheet[letter][1:]:
                cell.number_format = "0.00"
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = sheet.dimensions
    if "总得分" in columns and records:
        n = len(records)
        total_col = columns.index("总得分") + 1
        label_col = columns.index("部门名称") + 1 if "部门名称" in columns else 1
        chart = BarChart()
        chart.type = "bar"
        chart.title = "各部门总得分"
        chart.y_axis.title = "总得分"
        chart.y_axis.scaling.min = 0
        chart.y_axis.scaling.max = 100
        chart.add_data(Reference(sheet, min_col=total_col, min_row=1, max_row=n + 1), titles_from_data=True)
        chart.set_categories(Reference(sheet, min_col=label_col, min_row=2, max_row=n + 1))
        chart.height = max(7.5, 0.6 * n + 3)
        chart.width = 18
        sheet.add_chart(chart, f"{get_column_letter(len(columns) + 2)}2")
    _statistics_sheet(wb.create_sheet("统计"), columns, records)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


#: the columns the statistics sheet describes: scores, subtotals and the total
_NOT_SCORES = set(TEXT_COLUMNS) | {"未重算"}


def _statistics(columns: list[str], records: list[list[Any]]):
    """Per score column (the files that have a number there): 份数, 平均, 最低, 最高; and how
    many files have each 评价等级. pandas is loaded here only, for the .xlsx summary."""
    import pandas as pd

    frame = pd.DataFrame(records, columns=columns)
    scores = [c for c in columns if c not in _NOT_SCORES]
    numbers = frame[scores].apply(pd.to_numeric, errors="coerce")
    table = pd.DataFrame({
        "份数": numbers.count(),
        "平均": numbers.mean().round(2),
        "最低": numbers.min(),
        "最高": numbers.max(),
    })
    grades = frame["评价等级"].dropna().value_counts() if "评价等级" in frame else pd.Series(dtype=int)
    return table, grades


def _statistics_sheet(sheet, columns: list[str], records: list[list[Any]]) -> None:
    from openpyxl.styles import Font

    table, grades = _statistics(columns, records)
    sheet.append(["指标", "份数", "平均", "最低", "最高"])
    for name, row in table.iterrows():
        sheet.append([name] + [_cell(name, None if v != v else (int(v) if k == "份数" else float(v)))
                               for k, v in row.items()])
    sheet.append([])
    sheet.append(["评价等级", "份数"])
    grade_header = sheet.max_row
    for grade, count in grades.items():
        sheet.append([escape_text(str(grade)), int(count)])
    for cell in (*sheet[1], *sheet[grade_header]):
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 30
