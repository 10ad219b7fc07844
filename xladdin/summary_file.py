"""Writing the bureau's summary to a file: CSV (`summary`) or .xlsx (`summary_xlsx`)."""
from __future__ import annotations

from pathlib import Path

from . import files
from .summary import check_summary_path, csv_bytes, summary_table
from .summary_xlsx import xlsx_bytes


def write_summary(rows: list[dict], path: Path, comparison=None) -> Path:
    """Writes the summary; the format follows the suffix (.xlsx or .csv).

    ``comparison`` (`xladdin.compare.Comparison`, already applied to ``rows``) adds the
    .xlsx summary's 年度对比 sheet. The file appears whole or not at all
    (`xladdin.files.atomic_write`): a full disk leaves no empty or partial file behind.
    Raises ValueError for a name the writer cannot honour, `files.FileWriteError`
    (Chinese) when writing fails.
    """
    check_summary_path(path)
    columns, records = summary_table(rows)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise files.FileWriteError(f"无法创建汇总表所在的文件夹：{path.parent}", path) from error
    if path.suffix.lower() == ".csv":
        data = csv_bytes(columns, records)
    else:
        data = xlsx_bytes(columns, records, comparison)
    files.atomic_write(path, [data])
    return path
