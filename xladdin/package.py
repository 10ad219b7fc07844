"""Kept for compatibility: the package layer now lives in `xladdin.xlsx`."""

from .xlsx import (  # noqa: F401
    Cell,
    ErrorValue,
    Limits,
    PackageError,
    WorkbookPackage,
    column_letters,
    column_number,
    shift_formula,
    split_ref,
)

__all__ = [
    "PackageError",
    "ErrorValue",
    "Cell",
    "WorkbookPackage",
    "shift_formula",
    "column_letters",
    "column_number",
    "split_ref",
]
