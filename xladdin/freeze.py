"""Portable copy: a workbook whose scoring formulas are replaced by their values.

A workbook that calls the catalogue functions (``SCORE_PROCUREMENT`` …) shows its
stored values in a spreadsheet application without the add-in only until that
application recalculates; then every such cell becomes ``#NAME?``.  The portable
copy is recomputed with the headless engine, and each formula that calls a
catalogue function (in any form Excel stores it: ``SCORE_X(``, ``_xldudf_SCORE_X(``,
``udfs.SCORE_X(``, ``'addin.xlam'!SCORE_X(``, ``[1]!SCORE_X(``, ``_xll.SCORE_X(``)
is replaced by its value; so is each score, note and grade cell the template names
(`workbook.names.TemplateCells`), which in the native kind (``template --native``) holds
native formulas over the helper sheet instead: both kinds freeze the same cells.
Everything else is left as it is, so subtotals and the total still recalculate from the
frozen scores, and any application shows the same numbers whether or not it recalculates.

The copy is written surgically by `WorkbookPackage.write` (``freeze=``): only the
frozen cells, members of shared-formula groups they belonged to, and
``xl/calcChain.xml`` change, and the custom document property 定稿副本
(`frozen_marker`, docProps/custom.xml) marks the copy for ``xladdin audit``.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from workbook.names import TemplateCells

from . import engine, xlsx
from .summary import summary_row

__all__ = ["Frozen", "Refused", "cells_to_freeze", "freeze_file", "refusal"]


class Refused(Exception):
    """A 定稿副本 that would show a score the rules do not give: nothing is written."""

    def __init__(self, message_zh: str):
        super().__init__(message_zh)
        self.message_zh = message_zh


def refusal(reading) -> str | None:
    """Why ``freeze`` must not make a 定稿副本 of a workbook (`department.Reading`), or None.

    A score typed where the template has a formula would be frozen as it is, and the
    subtotals and total would go on adding it up: the copy would show what the rules do
    not give for its inputs."""
    if reading is None or not reading.typed:
        return None
    typed = "；".join(t.text() for t in reading.typed)
    return f"未生成定稿副本：{typed}。请在原文件中恢复评分公式（不要手工填写得分）后再定稿"


@dataclass
class Frozen:
    """What freezing one workbook gave."""

    source: Path
    target: Path
    cells: list[tuple[str, str]] = field(default_factory=list)  # the formulas replaced by values
    problems: list[str] = field(default_factory=list)  # the engine's, in Chinese
    row: dict = field(default_factory=dict)  # the summary row (总得分 …)
    seconds: float = 0.0


def frozen_marker(cells: int) -> dict[str, str]:
    """The custom document property that marks a 定稿副本 (read by `audit.is_frozen_copy`)."""
    from .marks import FROZEN_PROPERTY

    when = time.strftime("%Y-%m-%d %H:%M")
    return {FROZEN_PROPERTY: f"由 xladdin freeze 于 {when} 生成：{cells} 个评分公式已替换为数值"}


def cells_to_freeze(book: xlsx.WorkbookPackage, results=None) -> list[tuple[str, str]]:
    """The formula cells whose formula calls a catalogue function or that the template names
    as a score, note or grade, in document order; with ``results``, not those the engine could
    not recalculate (a stale stored value must not become a final one: they keep their
    formulas and are listed as 未重算)."""
    kept = results.kept_cells() if results is not None else {}
    named = TemplateCells.read(dict(book.defined_names.items()))
    scoring = {*named.scores.values(), *(named.note_of(key) for key in named.scores), named.grade}
    return [(c.sheet, c.ref) for c in book.formula_cells()
            if (engine.catalogue_calls(c.formula) or (c.sheet, c.ref) in scoring) and (c.sheet, c.ref) not in kept]


def freeze_file(source: str | os.PathLike, target: str | os.PathLike, replace: bool = False) -> Frozen:
    """Recompute ``source`` and write its portable copy to ``target``.

    Raises `xlsx.PackageError` (with ``message_zh``) when the workbook cannot be read or
    written, `Refused` when it has typed scores (`refusal`); nothing is written then.  Cells that cannot be recalculated keep their
    formulas and stored values (``Frozen.problems`` lists them).  ``replace=True`` is
    needed to overwrite an existing ``target``.
    """
    started = time.perf_counter()
    from .department import read_department

    book = xlsx.WorkbookPackage.open(source)
    results = engine.recalculate_package(book)
    reading = read_department(book, results.values)
    why = refusal(reading)
    if why is not None:
        raise Refused(why)
    cells = cells_to_freeze(book, results)
    book.write(results.values, target, replace=replace, freeze=cells, custom_properties=frozen_marker(len(cells)))
    return Frozen(
        Path(source),
        Path(target),
        cells,
        results.messages(),
        summary_row(book, results.values, results.kept_cells(), reading),
        time.perf_counter() - started,
    )
