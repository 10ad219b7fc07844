"""The scored table as text, read back from a recalculated workbook (what the file really holds)."""
from __future__ import annotations

import unicodedata
from pathlib import Path

from workbook import framework

from .audit import cell_of_name
from .xlsx import WorkbookPackage, column_letters, column_number

NOTE_OFFSET = 1  # the 扣分情况说明 column sits right of 得分情况 in the template


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _shown(value) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return "—" if value is None else str(value)


def _value(book: WorkbookPackage, name: str, offset: int = 0):
    key = cell_of_name(book.defined_names.get(name, ""))
    if key is None:
        return None
    if offset:
        column = "".join(ch for ch in key[1] if ch.isalpha())
        key = (key[0], f"{column_letters(column_number(column) + offset)}{key[1][len(column):]}")
    cell = book.cells.get(key)
    return None if cell is None else cell.value


def scored_table(path: Path, framework_name: str = "longgang_2020") -> str:
    book = WorkbookPackage.open(path)
    fw = framework.load_framework(framework_name)
    lines = [f"{fw.title}", f"部门：{_shown(_value(book, 'dept_name'))}    年度：{_shown(_value(book, 'eval_year'))}", ""]
    lines.append(_pad("指标", 38) + _pad("分值", 6) + _pad("得分", 8) + "扣分情况及整改情况说明")
    for level1 in fw.level1:
        subtotal = _value(book, framework.subtotal_name(level1.key))
        lines.append(_pad(f"{level1.name}", 38) + _pad(_shown(level1.points), 6) + _shown(subtotal))
        for level2 in level1.children:
            lines.append(_pad(f"  {level2.name}", 38) + _pad(_shown(level2.points), 6) + _shown(_value(book, framework.subtotal_name(level2.key))))
            for indicator in level2.indicators:
                name = framework.score_name(indicator.key)
                note = framework.plain_note(str(_value(book, name, NOTE_OFFSET) or ""))  # without the print's joiners
                lines.append(
                    _pad(f"    {indicator.name}", 38) + _pad(_shown(indicator.points), 6) + _pad(_shown(_value(book, name)), 8) + note
                )
    lines.append("")
    lines.append(f"总得分：{_shown(_value(book, 'total_score'))}    评价等级：{_shown(_value(book, 'grade'))}")
    return "\n".join(lines)
