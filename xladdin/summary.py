"""One summary row per workbook, and the summary table (pandas) as .xlsx or .csv.

A row is read through the template's defined names (``dept_name``, ``eval_year``,
``<indicator>_score``, ``subtotal_<level>``, ``total_score``, ``grade``), labelled
with the framework's Chinese names; a workbook the template did not build still
gets its file name and its errors.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from .audit import cell_of_name

TEXT_COLUMNS = ("文件", "部门名称", "年度", "评价等级", "错误", "核查")
#: A text starting with one of these is a formula to a spreadsheet application (CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@lru_cache(maxsize=1)
def indicator_labels() -> dict[str, str]:
    """Defined name → column label, from every framework definition shipped."""
    from workbook import framework

    labels: dict[str, str] = {}
    for name in framework.list_frameworks():
        fw = framework.load_framework(name)
        for level1 in fw.level1:
            labels.setdefault(framework.subtotal_name(level1.key), f"{level1.name}（小计）")
            for level2 in level1.children:
                labels.setdefault(framework.subtotal_name(level2.key), f"{level2.name}（小计）")
                for indicator in level2.indicators:
                    labels.setdefault(framework.score_name(indicator.key), indicator.name)
    return labels


def is_score_name(name: str) -> bool:
    from workbook import framework

    return name.endswith(framework.SCORE_NAME_SUFFIX)


def _value_at(book, results: dict, reference: str) -> Any:
    key = cell_of_name(reference)
    if key is None:
        return None
    if key in results:
        return results[key]
    cell = book.cells.get(key)
    return None if cell is None else cell.value


def summary_row(book, results: dict) -> dict:
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
        value = _value_at(book, results, names[name])
        row[label] = value
        if is_score_name(name) and not isinstance(value, (int, float)):
            errors.append(f"{label}：{value if value is not None else '（空）'}")
    if "total_score" in names:
        row["总得分"] = _value_at(book, results, names["total_score"])
    if "grade" in names:
        row["评价等级"] = _value_at(book, results, names["grade"])
    row["错误"] = "；".join(errors)
    return row


def escape_text(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _ordered_columns(rows: list[dict]) -> list[str]:
    columns: list[str] = []
    for row in rows:
        for column in row:
            if column not in columns:
                columns.append(column)
    tail = [c for c in ("总得分", "评价等级", "错误", "核查") if c in columns]
    return [c for c in columns if c not in tail] + tail


def write_summary(rows: list[dict], path: Path) -> Path:
    """Writes the summary; the format follows the suffix (.xlsx or .csv)."""
    import pandas as pd

    frame = pd.DataFrame(rows, columns=_ordered_columns(rows))
    for column in frame.columns:
        # pandas ≥ 3 gives text columns the "str" dtype, not object: both need escaping
        if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column].dtype):
            frame[column] = frame[column].map(lambda v: escape_text(str(v)) if v is not None and not isinstance(v, (int, float)) else v)
        elif column in ("年度", "核查") and pd.api.types.is_float_dtype(frame[column].dtype):
            present = frame[column].dropna()
            if present.map(float.is_integer).all():
                frame[column] = frame[column].astype("Int64")  # 2020, not 2020.0 (a failed file's row is blank)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".csv":
        frame.to_csv(path, index=False, encoding="utf-8-sig")
        return path
    if path.suffix.lower() != ".xlsx":
        raise ValueError(f"汇总表只能保存为 .xlsx 或 .csv：{path}")
    _write_xlsx(frame, path)
    return path


def _write_xlsx(frame, path: Path) -> None:
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    import pandas as pd

    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name="汇总", index=False)
        sheet = writer.sheets["汇总"]
        header_fill = PatternFill("solid", fgColor="DDEBF7")
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = header_fill
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        for index, column in enumerate(frame.columns, 1):
            letter = get_column_letter(index)
            width = 40 if column in ("文件", "错误") else 22 if column == "部门名称" else 11
            sheet.column_dimensions[letter].width = width
            if column not in TEXT_COLUMNS:
                for cell in sheet[letter][1:]:
                    cell.number_format = "0.00"
        sheet.freeze_panes = "B2"
        sheet.auto_filter.ref = sheet.dimensions
        if "总得分" in frame.columns and len(frame):
            total_col = list(frame.columns).index("总得分") + 1
            label_col = list(frame.columns).index("部门名称") + 1 if "部门名称" in frame.columns else 1
            chart = BarChart()
            chart.type = "bar"
            chart.title = "各部门总得分"
            chart.y_axis.title = "总得分"
            chart.y_axis.scaling.min = 0
            chart.y_axis.scaling.max = 100
            chart.add_data(Reference(sheet, min_col=total_col, min_row=1, max_row=len(frame) + 1), titles_from_data=True)
            chart.set_categories(Reference(sheet, min_col=label_col, min_row=2, max_row=len(frame) + 1))
            chart.height = max(7.5, 0.6 * len(frame) + 3)
            chart.width = 18
            sheet.add_chart(chart, f"{get_column_letter(len(frame.columns) + 2)}2")
