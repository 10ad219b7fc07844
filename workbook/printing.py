"""How the 「扣分情况及整改情况说明」 cell reads and prints: the 整改情况 the department
adds after the note, and the invisible characters that keep a number with its unit."""
from __future__ import annotations

from fractions import Fraction
from typing import Any, Union

from .values import excel_text

# The 整改情况 input the builder adds at the end of every indicator's group on 基础数据
# (generated for every framework, never declared in a definition file).
REMEDY_LABEL = "整改情况及措施（选填）"
REMEDY_HELP = "填写后自动附在评分表「扣分情况及整改情况说明」栏的扣分说明之后"
REMEDY_PREFIX = "整改情况："  # how the remedy text is introduced in the note
REMEDY_SEPARATOR = "；"  # between a (non-empty) deduction note and the remedy

# How the 「扣分情况及整改情况说明」 cell prints: a number keeps its unit on its line.
# LibreOffice's line breaking (Unicode UAX #14, tailored) may break between a number and
# an ideograph (``得1.98`` / ``分``), and finds no break at all in a run such as
# ``=（40,551,421.71/40,588,517）×100%=99.91%，``; a run wider than the column is then cut
# wherever the column ends (``…=99.9`` / ``1%…``). The cell therefore shows the text with
# U+2060 WORD JOINER before each unit (no break on either side of it) and U+200B ZERO
# WIDTH SPACE after each "=", "）" and "/" (a line may break there, so no run is wider
# than the column: with Calibri's metrics, as on Windows, ``（40,551,421.71/40,588,517）×100%=``
# alone is wider than the column). Both are invisible; the ``_NOTE`` functions' own text is
# unchanged (their contract, spec/functions.md).
WORD_JOINER = "\u2060"
#: Starts the note cell's text while it is put together (never in a note it shows):
#: U+2063 INVISIBLE SEPARATOR, see :meth:`Framework.note_cell_formula`.
NOTE_MARK = "\u2063"
ZERO_WIDTH_SPACE = "\u200b"
#: Units kept with the number before them: those the ``_NOTE`` texts write after a number
#: (分, 项, 个, 档), and common ones of a typed 整改情况 (元 and 万元, 人, 次, 天, 年).
#: "%" needs none: line breaking never parts a number from "%" except where it cuts a
#: run wider than the column, and a word joiner does not stop that cut.
NOTE_UNITS = "分项个档元万人次天年"
#: Where a line may break although line breaking finds no opportunity: after "=" (the
#: ratio formula ``率=（a/b）×100%=r%``), after "）" and inside the fraction after "/".
NOTE_BREAKS_AFTER = "=）/"
#: (text, what the printed cell shows instead), applied in this order: by
#: :func:`printed_note` in Python and by nested SUBSTITUTE calls in the cell's formula.
NOTE_PRINT_JOINS: tuple[tuple[str, str], ...] = (
    *((unit, WORD_JOINER + unit) for unit in NOTE_UNITS),
    *((mark, mark + ZERO_WIDTH_SPACE) for mark in NOTE_BREAKS_AFTER),
)


def printed_note(text: str) -> str:
    """``text`` as the note cell shows it: :data:`NOTE_PRINT_JOINS` applied in order
    (``得1.98分`` → ``得1.98`` U+2060 ``分``; ``率=（`` → ``率=`` U+200B ``（``)."""
    for old, new in NOTE_PRINT_JOINS:
        text = text.replace(old, new)
    return text


def plain_note(text: str) -> str:
    """A note cell's text without the invisible characters :func:`printed_note` adds,
    for text that leaves the workbook (the scored table ``xladdin demo`` prints)."""
    return text.replace(WORD_JOINER, "").replace(ZERO_WIDTH_SPACE, "")


def excel_string(text: str) -> str:
    """``text`` as a formula's string literal. The invisible characters stay literal
    characters: UNICHAR would be #NAME? in Excel 2010 and older (the note then shows an
    error there), a literal works in every application."""
    return '"' + text.replace('"', '""') + '"'


def printed_note_formula(expression: str) -> str:
    """``expression`` (a text formula) as the note cell shows it: one SUBSTITUTE per
    entry of :data:`NOTE_PRINT_JOINS`, in the order :func:`printed_note` applies them."""
    for old, new in NOTE_PRINT_JOINS:
        expression = f"SUBSTITUTE({expression},{excel_string(old)},{excel_string(new)})"
    return expression


def note_with_remedy(note: str, score: Any, points: Union[Fraction, int, float], remedy: Any = None) -> str:
    """The 「扣分情况及整改情况说明」 text: the ``_NOTE`` text, then "整改情况：" + the
    remedy, as the cell shows it (:func:`printed_note`).

    Python's version of :meth:`Framework.note_cell_formula` (same rule, same text): no
    remedy (blank or "") leaves the note as it is; the separator "；" comes before
    "整改情况：" unless the ``_NOTE`` text is empty. (``score`` and ``points`` are not
    needed for that; they stay for the callers.)
    """
    text = excel_text(remedy)
    if text == "":
        return printed_note(note)
    return printed_note(f"{note}{REMEDY_SEPARATOR if note else ''}{REMEDY_PREFIX}{text}")
