"""The framework as a model: first-, second- and third-level indicators, their inputs
and score formulas, and the formulas each template cell gets from them."""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Optional, Union

from .formulas import Arg, Call, Guard, guards_of, row_below_note_formula
from .names import remedy_name
from .printing import NOTE_MARK, REMEDY_PREFIX, REMEDY_SEPARATOR, excel_string, printed_note_formula
from .values import format_number

INPUT_KINDS = ("amount", "rate", "count", "number", "flag", "status", "table")
COLUMN_KINDS = ("text", "number", "amount", "rate", "count", "direction")
DEFAULT_UNITS = {
    "amount": "元",
    "rate": "%",
    "count": "",
    "number": "",
    "flag": "是/否",
    "status": "",
    "table": "",
}
FLAG_WORDS = ("是", "否")
STATUS_WORDS = ("按规定公开", "公开但不符合要求", "未公开")
DIRECTION_WORDS = ("≥", "≤")


class FrameworkError(ValueError):
    """A framework definition (or a set of input values) is not valid.

    The message names the file, the indicator (Chinese name and key) and the problem.
    ``file``, ``indicator`` and ``problem`` are also available as attributes.
    """

    def __init__(self, file: Union[str, Path, None], problem: str, indicator: Optional[str] = None):
        self.file = str(file) if file is not None else None
        self.indicator = indicator
        self.problem = problem
        where = f"{self.file}: " if self.file else ""
        what = f"{indicator}: " if indicator else ""
        super().__init__(f"{where}{what}{problem}")

# ----------------------------------------------------------------------------- model


@dataclass
class Item:
    label: str
    points: Optional[Fraction] = None
    help: str = ""


@dataclass
class Column:
    key: str
    label: str
    kind: str
    name: str  # workbook defined name: <table key>_<column key>
    unit: str = ""
    help: str = ""
    default: Any = None
    min: Optional[float] = None
    max: Optional[float] = None
    #: a row that is filled in (any scored cell) must have this column too
    required: bool = True


@dataclass
class Input:
    key: str
    label: str
    kind: str
    help: str
    unit: str = ""
    items: list[Item] = field(default_factory=list)
    points: Optional[Fraction] = None
    default: Any = None
    min: Optional[float] = None
    max: Optional[float] = None
    rows: int = 0  # table only
    columns: list[Column] = field(default_factory=list)  # table only
    indicator: str = ""  # key of the owning indicator
    #: the template asks for it: a blank cell gives #N/A and a note asking for it, also
    #: where the function's parameter is optional (its default is for people who type
    #: the function into their own sheets)
    required: bool = True
    #: the department may type 不涉及 here (no such business this year: full points)
    not_applicable: bool = False

    @property
    def size(self) -> int:
        """Number of cells (rows) this input occupies: 1, len(items) or table rows."""
        if self.kind == "table":
            return self.rows
        return len(self.items) if self.items else 1

    @property
    def is_range(self) -> bool:
        return bool(self.items) or self.kind == "table"

    @property
    def scored_flag(self) -> bool:
        """A flag that carries points (partial credit allowed) rather than a 是/否 switch."""
        return self.kind == "flag" and (self.points is not None or bool(self.items))

    def item_points(self) -> list[Fraction]:
        return [it.points if it.points is not None else Fraction(1) for it in self.items]

    def names(self) -> list[str]:
        """Defined names this input creates (table: one per column)."""
        if self.kind == "table":
            return [c.name for c in self.columns]
        return [self.key]


@dataclass
class Indicator:
    key: str
    name: str
    points: Fraction
    parent: str
    description: str
    criteria: str
    score: str
    note: str
    inputs: list[Input]
    origin: str = ""  # file that (last) defined this indicator
    call: Optional[Call] = None
    note_call: Optional[Call] = None
    level2: Optional["Level2"] = None
    level1: Optional["Level1"] = None

    def label(self) -> str:
        return f"指标「{self.name}」({self.key})"

    def referenced_names(self) -> list[str]:
        """Defined names (input cells/ranges) the score formula reads, in argument order."""
        assert self.call is not None
        return [a.name for a in self.call.args if a.kind == "ref"]


@dataclass
class Level2:
    key: str
    name: str
    points: Fraction
    parent: str
    indicators: list[Indicator] = field(default_factory=list)
    level1: Optional["Level1"] = None


@dataclass
class Level1:
    key: str
    name: str
    points: Fraction
    children: list[Level2] = field(default_factory=list)

    @property
    def indicators(self) -> list[Indicator]:
        return [ind for l2 in self.children for ind in l2.indicators]


@dataclass
class Framework:
    id: str
    title: str
    region: str
    year: Optional[int]
    path: Path
    level1: list[Level1]
    extends: Optional[str] = None
    sources: list[str] = field(default_factory=list)

    # --- navigation

    @property
    def indicators(self) -> list[Indicator]:
        """Third-level indicators in table order."""
        return [ind for l1 in self.level1 for ind in l1.indicators]

    @property
    def level2(self) -> list[Level2]:
        return [l2 for l1 in self.level1 for l2 in l1.children]

    @property
    def inputs(self) -> list[Input]:
        return [inp for ind in self.indicators for inp in ind.inputs]

    @property
    def total_points(self) -> Fraction:
        return sum((l1.points for l1 in self.level1), Fraction(0))

    def indicator(self, key: str) -> Indicator:
        for ind in self.indicators:
            if ind.key == key or ind.name == key:
                return ind
        raise KeyError(key)

    def input(self, key: str) -> Input:
        for inp in self.inputs:
            if inp.key == key:
                return inp
        raise KeyError(key)

    def names(self) -> dict[str, tuple[Input, Optional[Column]]]:
        """Every input defined name → (input, column or None)."""
        out: dict[str, tuple[Input, Optional[Column]]] = {}
        for inp in self.inputs:
            if inp.kind == "table":
                for col in inp.columns:
                    out[col.name] = (inp, col)
            else:
                out[inp.key] = (inp, None)
        return out

    # --- formulas
    def render_arg(self, arg: Arg, indicator: Indicator) -> str:
        if arg.kind == "ref":
            return arg.name
        if arg.kind == "points":
            return format_number(indicator.points)
        if arg.kind == "points_of":
            pts = self.input(arg.name).item_points()
            return "{" + ",".join(format_number(p) for p in pts) + "}"
        if arg.kind == "omitted":
            return ""
        return arg.text.strip()

    def score_formula(self, indicator: Indicator) -> str:
        """Excel formula text (without '=') of the indicator's catalogue call."""
        assert indicator.call is not None
        return indicator.call.excel(self, indicator)

    def guards(self, indicator: Indicator) -> list["Guard"]:
        """What the template checks before it calls the catalogue function, in order:
        a required input left blank where the function's parameter is optional (#N/A),
        and 不涉及 typed where the function accepts it but this framework does not (#VALUE!)."""
        assert indicator.call is not None
        return guards_of(self, indicator)

    def cell_score_formula(self, indicator: Indicator) -> str:
        """Excel formula text (without '=') of the 得分情况 cell: the catalogue call
        behind the indicator's :meth:`guards`."""
        text = self.score_formula(indicator)
        for guard in reversed(self.guards(indicator)):
            text = f"IF({guard.excel()},{guard.error_formula},{text})"
        return text

    def note_formula(self, indicator: Indicator) -> str:
        """Excel formula text (without '=') of the indicator's ``_NOTE`` call alone."""
        assert indicator.note_call is not None
        return indicator.note_call.excel(self, indicator)

    def guarded_note_formula(self, indicator: Indicator, references: Optional[dict] = None) -> str:
        """The ``_NOTE`` call behind the indicator's :meth:`guards` (each guard's note
        instead of the call when it applies), after what a table input's row just below
        its range says (filled in outside the table: not scored) when ``references``
        (defined name → the workbook's reference, e.g. ``'基础数据'!$C$90:$C$109``) say
        where the table's columns are."""
        text = self.note_formula(indicator)
        for guard in reversed(self.guards(indicator)):
            text = f"IF({guard.excel()},{excel_string(guard.note)},{text})"
        for inp in indicator.inputs:
            if inp.kind == "table" and references:
                text = f"{row_below_note_formula(inp, references)}&{text}"
        return text

    def note_cell_formula(self, indicator: Indicator, references: Optional[dict] = None) -> str:
        """Excel formula text (without '=') of the 「扣分情况及整改情况说明」 cell.

        The ``_NOTE`` text, then — when the user filled in the indicator's
        ``<key>_remedy`` cell — "整改情况：" and that text, after "；" unless the
        ``_NOTE`` text is empty (full marks; a 不涉及 or a warning has a text at full
        marks too). The text is computed once: it starts with :data:`NOTE_MARK`, which
        is dropped together with a "；" right after it, then alone. The whole text is
        shown as it prints (:data:`NOTE_PRINT_JOINS`, see :func:`printed_note_formula`).
        The same rule in Python: :func:`note_with_remedy`.

        The ``_NOTE`` call sits in ``IFERROR(…,"")``: a spreadsheet application without
        the add-in (LibreOffice, WPS, Excel before Import Functions) recalculates a
        formula whose stored result is an empty string even when it keeps every other
        stored result, and would otherwise show ``#NAME?`` in the note of every
        full-mark indicator. With the add-in ``_NOTE`` never returns an error (it
        explains problems in words), so the guard changes nothing there.
        """
        remedy = remedy_name(indicator.key)
        text = (
            f'"{NOTE_MARK}"&IFERROR({self.guarded_note_formula(indicator, references)},"")'
            f'&IF({remedy}="","","{REMEDY_SEPARATOR}{REMEDY_PREFIX}"&{remedy})'
        )
        text = f'SUBSTITUTE(SUBSTITUTE({text},"{NOTE_MARK}{REMEDY_SEPARATOR}",""),"{NOTE_MARK}","")'
        return printed_note_formula(text)

    def remedy_names(self) -> dict[str, Indicator]:
        """Every generated 整改情况 defined name (``<key>_remedy``) → its indicator."""
        return {remedy_name(ind.key): ind for ind in self.indicators}
