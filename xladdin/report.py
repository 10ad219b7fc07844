"""The scored table as text, read back from a recalculated workbook (what the file really holds)."""
from __future__ import annotations

import unicodedata
from pathlib import Path

from workbook import framework
from workbook.names import DEPARTMENT_NAME, GRADE_NAME, TOTAL_NAME, YEAR_NAME

from .marks import cell_of_name, note_cell
from .xlsx import WorkbookPackage



def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _shown(value) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return "—" if value is None else str(value)


def _value(book: WorkbookPackage, name: str, note: bool = False):
    key = cell_of_name(book.defined_names.get(name, ""))
    if key is None:
        return None
    if note:
        key = note_cell(key)
    cell = book.cells.get(key)
    return None if cell is None else cell.value


def scored_table(path: Path, framework_name: str = "longgang_2020") -> str:
    book = WorkbookPackage.open(path)
    fw = framework.load_framework(framework_name)
    lines = [f"{fw.title}", f"部门：{_shown(_value(book, DEPARTMENT_NAME))}    年度：{_shown(_value(book, YEAR_NAME))}", ""]
    lines.append(_pad("指标", 38) + _pad("分值", 6) + _pad("得分", 8) + "扣分情况及整改情况说明")
    for level1 in fw.level1:
        subtotal = _value(book, framework.subtotal_name(level1.key))
        lines.append(_pad(f"{level1.name}", 38) + _pad(_shown(level1.points), 6) + _shown(subtotal))
        for level2 in level1.children:
            lines.append(_pad(f"  {level2.name}", 38) + _pad(_shown(level2.points), 6) + _shown(_value(book, framework.subtotal_name(level2.key))))
            for indicator in level2.indicators:
                name = framework.score_name(indicator.key)
                note = framework.plain_note(str(_value(book, name, note=True) or ""))  # without the print's joiners
                lines.append(
                    _pad(f"    {indicator.name}", 38) + _pad(_shown(indicator.points), 6) + _pad(_shown(_value(book, name)), 8) + note
                )
    lines.append("")
    lines.append(f"总得分：{_shown(_value(book, TOTAL_NAME))}    评价等级：{_shown(_value(book, GRADE_NAME))}")
    return "\n".join(lines)


def _department(outcome) -> str:
    return str(outcome.row.get("部门名称") or "").strip() or Path(outcome.source).name


def exception_list(outcomes, say) -> None:
    """What ``xladdin audit`` leads with: one line per department and problem (plain Chinese,
    from the notes, with the cells to fix), then the count in departments, indicators and
    cells, and — once — how many files were saved without the add-in and recalculated."""
    from .audit import to_check

    done = [o for o in outcomes if o.ok]
    if not done:
        return
    lines = [(o, p) for o in done for p in o.problems]
    fix = [(o, p) for o, p in lines if p.to_fix]
    verify = [(o, p) for o, p in lines if not p.to_fix]
    width = max([_width(_department(o)) for o, _ in lines] + [0])
    label = max([_width(p.indicator) for _, p in lines] + [0])
    for title, group in (("需要部门更正的问题（每行一个部门的一个问题）：", fix), ("需要核实的声明和数据：", verify)):
        if not group:
            continue
        say(title)
        for outcome, problem in group:
            cells = f" → {'、'.join(problem.cells)}" if problem.cells else ""
            say(f"  {_pad(_department(outcome), width)}  {_pad(problem.indicator, label)}  [{problem.kind}] {problem.text}{cells}")
    departments = {str(o.source) for o in done}
    fixing = {str(o.source) for o, _ in fix}
    verifying = {str(o.source) for o, _ in verify} - fixing
    checking = {str(o.source) for o in done if to_check(o.findings)} - fixing - verifying
    indicators = {(str(o.source), p.indicator) for o, p in fix if p.of_indicator}
    cells = {(str(o.source), c) for o, p in fix for c in p.cells}
    passed = len(departments) - len(fixing | verifying | checking)
    parts = [f"共 {len(departments)} 个部门"]
    if fixing:
        parts.append(f"{len(fixing)} 个部门需要更正（{len(indicators)} 个指标，{len(cells)} 个单元格）")
    if verifying:
        parts.append(f"{len(verifying)} 个部门有声明或数据待核实")
    if checking:
        parts.append(f"{len(checking)} 个部门的文件需要核对（见下）")
    if passed:
        parts.append(f"{passed} 个部门通过")
    say("；".join(parts) + "。")
    without = sum(1 for o in done if any(f.is_notice for f in o.findings))
    if without:
        say(f"说明：{without} 个文件由未装加载项的软件（WPS、LibreOffice 等）保存，评分格中没有得分；已按规则重算，不算问题。")
