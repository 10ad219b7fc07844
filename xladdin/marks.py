"""What the product writes into a workbook so it can find things again: the defined
names' single-cell references and the custom document properties.

`audit`, `department`, `summary`, `freeze` and `report` all read these, so they live
here, below each of them, rather than in one of them.
"""
from __future__ import annotations

import re
from typing import Any, Optional

from workbook.framework import FRAMEWORK_PROPERTY  # noqa: F401  (re-exported: one name for both layers)

#: The custom document property that marks a 定稿副本 (written by ``xladdin freeze``).
FROZEN_PROPERTY = "定稿副本"

_REFERENCE = re.compile(r"^(?:'((?:[^']|'')+)'|([^'!]+))!\$?([A-Z]{1,3})\$?(\d+)$")


def cell_of_name(reference: str) -> Optional[tuple[str, str]]:
    """``'基础数据'!$C$5`` → ``("基础数据", "C5")``; None for ranges and formulas."""
    match = _REFERENCE.match(reference.strip().lstrip("="))
    if not match:
        return None
    sheet = (match.group(1) or "").replace("''", "'") or match.group(2)
    return sheet, f"{match.group(3)}{match.group(4)}"


def shown(value: Any) -> str:
    """A cell's value as a message quotes it: blank as （空）, floats without float noise."""
    if value is None or value == "":
        return "（空）"
    if isinstance(value, float):
        return f"{value:.10g}"
    return str(value)
