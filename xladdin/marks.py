"""What the product writes into a workbook so it can find things again: the defined
names' single-cell references (from `workbook.names`) and the custom document properties.

`audit`, `department`, `summary`, `freeze` and `report` all read these, so they live
here, below each of them, rather than in one of them.
"""
from __future__ import annotations

from typing import Any

# the template's names and cells are the workbook package's (workbook/names.py); re-exported
from workbook.names import FRAMEWORK_PROPERTY, cell_of_name, note_cell  # noqa: F401

#: The custom document property that marks a 定稿副本 (written by ``xladdin freeze``).
FROZEN_PROPERTY = "定稿副本"

def shown(value: Any) -> str:
    """A cell's value as a message quotes it: blank as （空）, floats without float noise."""
    if value is None or value == "":
        return "（空）"
    if isinstance(value, float):
        return f"{value:.10g}"
    return str(value)
