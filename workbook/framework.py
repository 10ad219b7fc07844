"""Framework definitions: load, validate and score in Python.

A framework (指标体系框架) is a TOML file in ``workbook/frameworks/`` describing the
first-, second- and third-level indicators of a 部门整体支出绩效评价 table, the texts of
its 指标说明 / 参考评分标准 columns, the inputs each third-level indicator needs and the
catalogue formula that scores it (see the header of ``frameworks/longgang_2020.toml``
for the format, and of ``frameworks/variant_linear_staff.toml`` for ``extends``).

``load_framework`` returns a validated :class:`Framework`; any problem raises
:class:`FrameworkError` whose message names the file, the indicator and the problem.
``score_in_python`` evaluates every indicator by calling the ``udfs`` functions directly
(the same functions Excel calls through xlwings), with the same guarded subtotals as the
generated workbook.
"""
from __future__ import annotations

import copy
import math
import re
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, Iterable, Optional, Union

#: The custom document property naming the framework a template was built from
#: (read back by ``xladdin audit`` to check a 定稿副本 against its own framework).
FRAMEWORK_PROPERTY = "评分框架"

__all__ = [
    "FrameworkError",
    "Framework",
    "Level1",
    "Level2",
    "Indicator",
    "Input",
    "Item",
    "Column",
    "Call",
    "Arg",
    "load_framework",
    "list_frameworks",
    "load_example",
    "list_examples",
    "check_values",
    "score_in_python",
    "sum_scores",
    "Guard",
    "NOT_APPLICABLE_WORD",
    "OUTSIDE_TABLE",
    "FRAMEWORKS_DIR",
    "EXAMPLES_DIR",
    "score_name",
    "subtotal_name",
    "remedy_name",
    "note_with_remedy",
    "printed_note",
    "printed_note_formula",
    "plain_note",
    "NOTE_PRINT_JOINS",
    "REMEDY_LABEL",
    "REMEDY_HELP",
]

PACKAGE_DIR = Path(__file__).resolve().parent
FRAMEWORKS_DIR = PACKAGE_DIR / "frameworks"
EXAMPLES_DIR = PACKAGE_DIR / "examples"

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

# Defined names the builder creates besides the inputs; an input may not take them.
RESERVED_NAMES = frozenset({"points", "dept_name", "eval_year", "preparer", "total_score", "grade"})
SCORE_NAME_SUFFIX = "_score"  # the builder names each indicator's score cell <indicator key>_score
SUBTOTAL_NAME_PREFIX = "subtotal_"  # … and each first/second-level subtotal subtotal_<level key>
REMEDY_NAME_SUFFIX = "_remedy"  # … and each indicator's 整改情况 input cell <indicator key>_remedy

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


def score_name(indicator_key: str) -> str:
    """Workbook defined name of an indicator's score cell (评分表 得分情况).

    Not ``score_<key>``: Excel names are case-insensitive, so ``score_procurement``
    would shadow the function SCORE_PROCUREMENT (LibreOffice shows Err:509 for it).
    """
    return indicator_key + SCORE_NAME_SUFFIX


def subtotal_name(level_key: str) -> str:
    """Workbook defined name of a first- or second-level subtotal (sheet 得分汇总)."""
    return SUBTOTAL_NAME_PREFIX + level_key


def remedy_name(indicator_key: str) -> str:
    """Workbook defined name of an indicator's 整改情况及措施 input cell (sheet 基础数据)."""
    return indicator_key + REMEDY_NAME_SUFFIX


_KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_CELL_LIKE_RE = re.compile(r"^[a-z]{1,3}[0-9]+$")  # would read as a cell reference (A1 style)
_R1C1_LIKE_RE = re.compile(r"^(r[0-9]*c?[0-9]*|c[0-9]*)$")  # R1C1-style (r, c, r1c1, rc2 …)
_FUNC_RE = re.compile(r"^\s*([A-Z][A-Z0-9_]*)\s*\((.*)\)\s*$", re.S)
_PLACEHOLDER_RE = re.compile(r"^\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?::\s*(points)\s*)?\}$")
_NUMBER_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


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
class Arg:
    """One argument of a score formula."""

    kind: str  # "ref" | "points_of" | "points" | "number" | "string" | "bool" | "array" | "omitted"
    text: str  # the argument as written in the definition
    name: str = ""  # ref / points_of: the referenced defined name or input key
    value: Any = None  # number / string / bool / array (list of rows)


@dataclass
class Call:
    function: str
    args: list[Arg]

    def excel(self, framework: "Framework", indicator: "Indicator", function: Optional[str] = None) -> str:
        """The formula text (without '=') with placeholders resolved to defined names."""
        parts = [framework.render_arg(a, indicator) for a in self.args]
        return f"{function or self.function}({','.join(parts)})"


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
        return _guards(self, indicator)

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
            text = f"IF({guard.excel()},{_excel_string(guard.note)},{text})"
        for inp in indicator.inputs:
            if inp.kind == "table" and references:
                text = f"{_row_below_note_formula(inp, references)}&{text}"
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


#: What the template offers where a department may declare 不涉及 (the contract's word;
#: udfs.coerce.NOT_APPLICABLE_WORDS are all the words it accepts).
NOT_APPLICABLE_WORD = "不涉及"
#: The catalogue arguments that accept 不涉及 (spec/functions.md "不涉及"): function →
#: parameter names. A framework may allow it only there (``not_applicable = true``).
NOT_APPLICABLE_PARAMS = {
    "SCORE_PROCUREMENT": ("actual", "planned"),
    "SCORE_RATIO": ("part", "whole"),
    "SCORE_ASSET_UTILIZATION": ("in_use", "total"),
    "SCORE_COST_CONTROL": ("actual", "budget"),
    "SCORE_PUBLIC_FUNDS": ("sangong_actual", "sangong_budget", "daily_actual", "daily_budget"),
}
#: What audit and the note say about a row filled in just below a table's range.
OUTSIDE_TABLE = "在填报区域之外，未计分"


@dataclass(frozen=True)
class Guard:
    """A check the template makes before calling the catalogue function.

    ``kind``: "blank" (``names[0]`` is blank), "blank_in_filled_rows" (a row of the
    table where any of ``names[1:]`` is filled in has ``names[0]`` blank) or
    "not_applicable" (``names[0]`` holds a 不涉及 word the framework does not allow there).
    """

    kind: str
    names: tuple[str, ...]
    error: str  # the score's Excel error literal
    note: str  # the note instead of the function's
    input: str  # the input key it is about

    @property
    def error_formula(self) -> str:
        return "NA()" if self.error == "#N/A" else self.error

    def excel(self) -> str:
        """The condition as an Excel expression (FALSE where a cell holds an error value:
        the function then explains the error itself)."""
        first = self.names[0]
        if self.kind == "blank":
            test = f'TRIM({first}&"")=""'
        elif self.kind == "blank_in_filled_rows":
            filled = "&".join(f'TRIM({n}&"")' for n in self.names[1:])
            test = f'SUMPRODUCT(({filled}<>"")*(TRIM({first}&"")=""))>0'
        else:
            words = sorted(_import_udfs().coerce.NOT_APPLICABLE_WORDS, key=lambda w: (w != NOT_APPLICABLE_WORD, w))
            test = "OR(" + ",".join(f'TRIM({first}&"")="{w}"' for w in words) + ")"
        return f"IFERROR({test},FALSE)"

    def applies(self, values: dict, sizes: dict) -> bool:
        """The same condition on input values as ``score_in_python`` takes them."""
        def cells(name):
            v = values.get(name)
            seq = list(v) if isinstance(v, (list, tuple)) else [v]
            return seq + [None] * (sizes.get(name, 1) - len(seq))

        if self.kind == "blank":
            return any(_blank(v) for v in cells(self.names[0]))
        if self.kind == "blank_in_filled_rows":
            columns = [cells(n) for n in self.names]
            return any(_blank(row[0]) and not all(_blank(v) for v in row[1:]) for row in zip(*columns))
        return any(_import_udfs().coerce.is_not_applicable(v) for v in cells(self.names[0]))


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _guards(fw: "Framework", ind: Indicator) -> list[Guard]:
    udfs = _import_udfs()
    entry = udfs.catalogue.entry_named(ind.call.function)
    params = entry.params if entry is not None else ()
    accepting = NOT_APPLICABLE_PARAMS.get(ind.call.function, ())
    names = fw.names()
    guards: list[Guard] = []
    refs = [(i, a) for i, a in enumerate(ind.call.args) if a.kind == "ref"]
    for i, arg in refs:
        inp, col = names[arg.name]
        param = params[i] if i < len(params) else None
        optional = param is not None and param.optional
        if col is None and inp.required and optional:
            guards.append(Guard("blank", (arg.name,), "#N/A", f"{inp.label}为空，请填写", inp.key))
        elif col is not None and col.required and optional:
            filled = tuple(a.name for j, a in refs if j < len(params) and not params[j].optional and names[a.name][0] is inp)
            if filled:
                guards.append(Guard(
                    "blank_in_filled_rows", (arg.name, *filled), "#N/A",
                    f"{inp.label}：已填写的行中“{col.label}”为空，请填写", inp.key,
                ))
        if param is not None and param.name in accepting and not inp.not_applicable:
            guards.append(Guard(
                "not_applicable", (arg.name,), "#VALUE!",
                f"{inp.label}不能填写“不涉及”：本框架中这一项不可声明不涉及，请填写实际数", inp.key,
            ))
    return guards


def table_number_columns(inp: Input) -> list[str]:
    """Defined names of a table's number columns without a pre-filled value (target,
    actual): a number in one of them on the row just below the table is an indicator
    typed outside it."""
    return [c.name for c in inp.columns if c.kind in ("number", "amount", "rate", "count") and c.default is None]


_REFERENCE_COLUMN = re.compile(r"^(?P<sheet>'(?:[^']|'')+'|[^'!]+)!\$?(?P<column>[A-Z]{1,3})\$?\d+")


def _whole_column(reference: str) -> Optional[str]:
    """``'基础数据'!$C$90:$C$109`` → ``'基础数据'!$C:$C``."""
    match = _REFERENCE_COLUMN.match(reference.strip().lstrip("="))
    if not match:
        return None
    return f"{match['sheet']}!${match['column']}:${match['column']}"


def _row_below_note_formula(inp: Input, references: dict) -> str:
    """Text for a row filled in just below a table's range (its number, 未计分), else "".

    The row is found with INDEX over the column (not OFFSET: a volatile function would
    make every application recalculate the note, and one without the add-in would
    blank it); a row inserted just below the table is outside its defined names."""
    first = inp.columns[0].name
    match = _REFERENCE_COLUMN.match(references.get(first, "").strip().lstrip("="))
    sheet = match["sheet"].strip("'").replace("''", "'") if match else ""
    tests = []
    for name in table_number_columns(inp):
        column = _whole_column(references.get(name, ""))
        if column is not None:
            tests.append(f"ISNUMBER(INDEX({column},ROW({name})+ROWS({name})))")
    if not tests:
        return '""'
    return f'IFERROR(IF(OR({",".join(tests)}),"{sheet}第"&(ROW({first})+ROWS({first}))&"行{OUTSIDE_TABLE}；",""),"")'


def format_number(value: Union[Fraction, int, float, Decimal]) -> str:
    """Shortest decimal text of a points value: 5, 0.5, 1.5."""
    if isinstance(value, Fraction):
        d = Decimal(value.numerator) / Decimal(value.denominator)
    else:
        d = Decimal(str(value))
    text = format(d.normalize(), "f")
    return text


def _to_fraction(value: Any) -> Fraction:
    if isinstance(value, bool):
        raise TypeError("bool")
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        return Fraction(str(value))
    raise TypeError(type(value).__name__)


def _plain(value: Fraction) -> Union[int, float]:
    return int(value) if value.denominator == 1 else float(value)


# ----------------------------------------------------------------------------- loading


def list_frameworks() -> list[str]:
    """Names of the framework definitions shipped in workbook/frameworks/."""
    return sorted(p.stem for p in FRAMEWORKS_DIR.glob("*.toml"))


def list_examples() -> list[str]:
    return sorted(p.stem for p in EXAMPLES_DIR.glob("*.toml"))


def _resolve(name_or_path: Union[str, Path], directory: Path, what: str, base_dir: Optional[Path] = None) -> Path:
    if isinstance(name_or_path, Path) or str(name_or_path).endswith(".toml") or "/" in str(name_or_path) or "\\" in str(name_or_path):
        path = Path(name_or_path)
        if not path.is_absolute() and base_dir is not None and (base_dir / path).exists():
            path = base_dir / path
        return path
    if base_dir is not None and (base_dir / f"{name_or_path}.toml").exists():
        return base_dir / f"{name_or_path}.toml"
    return directory / f"{name_or_path}.toml"


def _read_toml(path: Path, what: str) -> dict:
    if not path.exists():
        known = list_frameworks() if what == "framework" else list_examples()
        raise FrameworkError(path, f"文件不存在（file not found）；已有的{'框架' if what == 'framework' else '示例'}：{', '.join(known) or '无'}")
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise FrameworkError(path, f"TOML 格式错误（TOML syntax error）：{exc}") from None


def _merge_keyed(
    base: list[dict], override: list[dict], section: str, path: Path, child_lists: dict[str, str] | None = None, mark_origin: bool = True
) -> list[dict]:
    """Merge ``override`` entries into ``base`` by ``key`` (see the variant file's header)."""
    out = [copy.deepcopy(e) for e in base]
    index = {e.get("key"): i for i, e in enumerate(out)}
    for entry in override:
        if not isinstance(entry, dict) or "key" not in entry:
            raise FrameworkError(path, f"[[{section}]] 的覆盖项缺少 key 字段（override entry without key）")
        key = entry["key"]
        if entry.get("remove") is True:
            if key not in index:
                raise FrameworkError(path, f"[[{section}]] key = \"{key}\" 要删除（remove = true），但被继承的框架中没有此项", None)
            out[index[key]] = None  # type: ignore[assignment]
            continue
        if key in index and out[index[key]] is not None:
            target = out[index[key]]
            for field_name, value in entry.items():
                if child_lists and field_name in child_lists:
                    target[field_name] = _merge_keyed(target.get(field_name, []), value, child_lists[field_name], path, mark_origin=False)
                else:
                    target[field_name] = copy.deepcopy(value)
            if "score" in entry and "note" not in entry:
                target.pop("note", None)  # a new score formula gets its matching _NOTE
            if mark_origin:
                target["__origin__"] = str(path)
        else:
            new = copy.deepcopy(entry)
            if mark_origin:
                new["__origin__"] = str(path)
            out.append(new)
            index[key] = len(out) - 1
    return [e for e in out if e is not None]


def _load_raw(path: Path, seen: tuple[Path, ...] = ()) -> tuple[dict, list[str]]:
    """The definition as a plain dict with ``extends`` resolved; also the chain of files."""
    path = path.resolve()
    if path in seen:
        chain = " → ".join(p.name for p in (*seen, path))
        raise FrameworkError(path, f"extends 形成循环（circular extends）：{chain}")
    data = _read_toml(path, "framework")
    for section in ("level1", "level2", "indicator"):
        for e in data.get(section, []) or []:
            if isinstance(e, dict):
                e.setdefault("__origin__", str(path))
    parent_name = data.pop("extends", None)
    if parent_name is None:
        return data, [str(path)]
    if not isinstance(parent_name, str) or not parent_name:
        raise FrameworkError(path, "extends 应为框架名称或文件路径（extends must be a name or a path）")
    parent_path = _resolve(parent_name, FRAMEWORKS_DIR, "framework", base_dir=path.parent)
    if not parent_path.exists():
        raise FrameworkError(path, f"extends = \"{parent_name}\"：找不到被继承的框架（{parent_path}）")
    base, chain = _load_raw(parent_path, (*seen, path))
    merged: dict = {}
    fw = dict(base.get("framework", {}))
    fw.update(data.get("framework", {}))
    merged["framework"] = fw
    merged["level1"] = _merge_keyed(base.get("level1", []), data.get("level1", []), "level1", path)
    merged["level2"] = _merge_keyed(base.get("level2", []), data.get("level2", []), "level2", path)
    merged["indicator"] = _merge_keyed(
        base.get("indicator", []), data.get("indicator", []), "indicator", path, child_lists={"input": "indicator.input"}
    )
    for k, v in data.items():
        if k not in ("framework", "level1", "level2", "indicator"):
            merged[k] = v
    merged["__extends__"] = parent_name
    return merged, [*chain, str(path)]


def load_framework(name_or_path: Union[str, Path, "Framework"]) -> Framework:
    """Load and validate a framework: a name from ``list_frameworks()`` or a .toml path."""
    if isinstance(name_or_path, Framework):
        return name_or_path
    path = _resolve(name_or_path, FRAMEWORKS_DIR, "framework")
    raw, chain = _load_raw(path)
    return _Validator(path, raw, chain).build()


# ----------------------------------------------------------------------------- validation


_TOP_FIELDS = {"framework", "level1", "level2", "indicator", "__extends__"}
_FRAMEWORK_FIELDS = {"id", "title", "region", "year", "description", "source"}
_LEVEL1_FIELDS = {"key", "name", "points", "__origin__"}
_LEVEL2_FIELDS = {"key", "name", "points", "parent", "__origin__"}
_INDICATOR_FIELDS = {"key", "name", "points", "parent", "description", "criteria", "score", "note", "input", "__origin__"}
_INPUT_FIELDS = {
    "key", "label", "kind", "unit", "help", "items", "points", "default", "min", "max", "rows", "column", "remove",
    "required", "not_applicable",
}
_ITEM_FIELDS = {"label", "points", "help"}
_COLUMN_FIELDS = {"key", "label", "kind", "unit", "help", "default", "min", "max", "required"}


class _Validator:
    def __init__(self, path: Path, raw: dict, chain: list[str]):
        self.path = path
        self.raw = raw
        self.chain = chain

    # errors --------------------------------------------------------------

    def fail(self, problem: str, where: Optional[str] = None, origin: Optional[str] = None):
        file = str(self.path)
        if origin and Path(origin).resolve() != self.path.resolve():
            file = f"{self.path}（该项定义于 {origin}）"
        raise FrameworkError(file, problem, where)

    def require(self, entry: dict, fields: Iterable[str], where: str, origin: Optional[str] = None):
        for f in fields:
            if f not in entry or entry[f] is None or (isinstance(entry[f], str) and not entry[f].strip()):
                self.fail(f"缺少必填字段 {f}（missing field '{f}'）", where, origin)

    def unknown(self, entry: dict, allowed: set[str], where: str, origin: Optional[str] = None):
        extra = sorted(set(entry) - allowed)
        if extra:
            self.fail(f"未知字段 {', '.join(extra)}（unknown field; 可用字段：{', '.join(sorted(a for a in allowed if not a.startswith('__')))}）", where, origin)

    def points(self, value: Any, where: str, origin: Optional[str], field_name: str = "points", allow_zero: bool = False) -> Fraction:
        try:
            p = _to_fraction(value)
        except TypeError:
            self.fail(f"{field_name} 应为数字（'{field_name}' must be a number），实际为 {value!r}", where, origin)
        if p < 0 or (p == 0 and not allow_zero):
            self.fail(f"{field_name} 应大于0（'{field_name}' must be > 0），实际为 {value!r}", where, origin)
        return p

    def switch(self, entry: dict, name: str, default: bool, where: str, origin: Optional[str]) -> bool:
        value = entry.get(name, default)
        if not isinstance(value, bool):
            self.fail(f"{name} 应为 true 或 false，实际为 {value!r}", where, origin)
        return value

    def key(self, value: Any, where: str, origin: Optional[str], what: str = "key"):
        if not isinstance(value, str) or not _KEY_RE.match(value):
            self.fail(f"{what} = {value!r} 不合规：只能用小写英文字母、数字和下划线，且以字母开头（used as an Excel defined name）", where, origin)
        if _CELL_LIKE_RE.match(value) or _R1C1_LIKE_RE.match(value):
            self.fail(f"{what} = {value!r} 会被 Excel 当作单元格引用，不能用作名称（looks like a cell reference）", where, origin)
        if len(value) > 200:
            self.fail(f"{what} = {value!r} 太长", where, origin)

    # build ---------------------------------------------------------------

    def build(self) -> Framework:
        raw = self.raw
        self.unknown(raw, _TOP_FIELDS, "文件顶层")
        fw = raw.get("framework")
        if not isinstance(fw, dict):
            self.fail("缺少 [framework] 表（missing [framework] table with id, title）")
        self.unknown(fw, _FRAMEWORK_FIELDS, "[framework]")
        self.require(fw, ("title",), "[framework]")
        fw_id = fw.get("id") or self.path.stem
        year = fw.get("year")
        if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
            self.fail(f"year 应为整数年份，实际为 {year!r}", "[framework]")

        # level 1
        level1s: list[Level1] = []
        l1_by_key: dict[str, Level1] = {}
        for i, e in enumerate(raw.get("level1") or []):
            origin = e.get("__origin__")
            where = f"一级指标「{e.get('name', '?')}」({e.get('key', f'第{i + 1}个 [[level1]]')})"
            self.unknown(e, _LEVEL1_FIELDS, where, origin)
            self.require(e, ("key", "name", "points"), where, origin)
            self.key(e["key"], where, origin)
            if e["key"] in l1_by_key:
                self.fail(f"一级指标 key 重复（duplicate key '{e['key']}'）", where, origin)
            l1 = Level1(e["key"], e["name"], self.points(e["points"], where, origin))
            l1_by_key[l1.key] = l1
            level1s.append(l1)
        if not level1s:
            self.fail("没有一级指标（no [[level1]] entries）")

        # level 2
        l2_by_key: dict[str, Level2] = {}
        for i, e in enumerate(raw.get("level2") or []):
            origin = e.get("__origin__")
            where = f"二级指标「{e.get('name', '?')}」({e.get('key', f'第{i + 1}个 [[level2]]')})"
            self.unknown(e, _LEVEL2_FIELDS, where, origin)
            self.require(e, ("key", "name", "points", "parent"), where, origin)
            self.key(e["key"], where, origin)
            if e["key"] in l2_by_key or e["key"] in l1_by_key:
                self.fail(f"二级指标 key 重复（duplicate key '{e['key']}'）", where, origin)
            parent = l1_by_key.get(e["parent"])
            if parent is None:
                self.fail(f"parent = \"{e['parent']}\" 不是已定义的一级指标 key（unknown parent；可用：{', '.join(l1_by_key)}）", where, origin)
            l2 = Level2(e["key"], e["name"], self.points(e["points"], where, origin), e["parent"], level1=parent)
            parent.children.append(l2)
            l2_by_key[l2.key] = l2

        # indicators
        ind_keys: set[str] = set(l1_by_key) | set(l2_by_key)
        input_names: dict[str, str] = {}  # defined name -> indicator label
        indicators: list[Indicator] = []
        for i, e in enumerate(raw.get("indicator") or []):
            origin = e.get("__origin__")
            where = f"指标「{e.get('name', '?')}」({e.get('key', f'第{i + 1}个 [[indicator]]')})"
            self.unknown(e, _INDICATOR_FIELDS, where, origin)
            self.require(e, ("key", "name", "points", "parent", "description", "criteria", "score"), where, origin)
            self.key(e["key"], where, origin)
            if e["key"] in ind_keys:
                self.fail(f"指标 key 重复（duplicate key '{e['key']}'）", where, origin)
            ind_keys.add(e["key"])
            parent = l2_by_key.get(e["parent"])
            if parent is None:
                self.fail(f"parent = \"{e['parent']}\" 不是已定义的二级指标 key（unknown parent；可用：{', '.join(l2_by_key)}）", where, origin)
            for text_field in ("name", "description", "criteria", "score"):
                if not isinstance(e[text_field], str):
                    self.fail(f"{text_field} 应为文本（'{text_field}' must be a string）", where, origin)
            inputs = [self.build_input(inp, e["key"], where, origin, input_names) for inp in (e.get("input") or [])]
            if not inputs:
                self.fail("没有定义输入项（no [[indicator.input]]）", where, origin)
            ind = Indicator(
                key=e["key"],
                name=e["name"].strip(),
                points=self.points(e["points"], where, origin),
                parent=e["parent"],
                description=_clean_text(e["description"]),
                criteria=_clean_text(e["criteria"]),
                score=e["score"].strip(),
                note=(e.get("note") or "").strip(),
                inputs=inputs,
                origin=origin or str(self.path),
                level2=parent,
                level1=parent.level1,
            )
            parent.indicators.append(ind)
            indicators.append(ind)

        framework = Framework(
            id=str(fw_id),
            title=str(fw["title"]).strip(),
            region=str(fw.get("region", "")),
            year=year,
            path=self.path,
            level1=level1s,
            extends=raw.get("__extends__"),
            sources=self.chain,
        )

        # structure and sums
        for l1 in level1s:
            where = f"一级指标「{l1.name}」({l1.key})"
            if not l1.children:
                self.fail("没有二级指标（no level2 with this parent）", where)
            s = sum((c.points for c in l1.children), Fraction(0))
            if s != l1.points:
                detail = " + ".join(f"{c.name} {format_number(c.points)}" for c in l1.children)
                self.fail(f"二级指标分值合计 {format_number(s)} 不等于一级指标分值 {format_number(l1.points)}（children's points {detail} ≠ {format_number(l1.points)}）", where)
            for l2 in l1.children:
                where2 = f"二级指标「{l2.name}」({l2.key})"
                if not l2.indicators:
                    self.fail("没有三级指标（no indicator with this parent）", where2)
                s2 = sum((c.points for c in l2.indicators), Fraction(0))
                if s2 != l2.points:
                    detail = " + ".join(f"{c.name} {format_number(c.points)}" for c in l2.indicators)
                    self.fail(f"三级指标分值合计 {format_number(s2)} 不等于二级指标分值 {format_number(l2.points)}（children's points {detail} ≠ {format_number(l2.points)}）", where2)
        total = framework.total_points
        if total != 100:
            detail = " + ".join(f"{l1.name} {format_number(l1.points)}" for l1 in level1s)
            self.fail(f"一级指标分值合计为 {format_number(total)}，应为100（first-level points {detail} ≠ 100）", "[[level1]]")

        # workbook defined names: unique, and never a function name (Excel names are
        # case-insensitive: a name "score_x" would shadow the function SCORE_X)
        names = framework.names()
        udfs = _import_udfs()
        functions = {n.upper() for n in dir(udfs) if n.isupper() and callable(getattr(udfs, n))}
        all_names: dict[str, str] = {subtotal_name(lv.key): f"{lv.name}（{lv.key}）的小计" for lv in [*level1s, *l2_by_key.values()]}
        # names the builder generates for every indicator: an input may not take one
        generated: dict[str, str] = {}
        for ind in framework.indicators:
            generated[score_name(ind.key)] = f"{ind.label()}的得分单元格（{SCORE_NAME_SUFFIX}）"
            generated[remedy_name(ind.key)] = f"{ind.label()}的“{REMEDY_LABEL}”输入格（{REMEDY_NAME_SUFFIX}）"
        for ind in framework.indicators:
            for inp in ind.inputs:
                for name in inp.names():
                    if name in generated:
                        self.fail(
                            f"输入项名称 {name} 与模板自动生成的名称冲突：{name} 是{generated[name]}，请换一个 key"
                            f"（input name '{name}' collides with a name the template generates）",
                            f"{ind.label()} 输入项 {inp.key}",
                            ind.origin,
                        )
        for ind in framework.indicators:
            for name in [*(n for inp in ind.inputs for n in inp.names()), score_name(ind.key), remedy_name(ind.key)]:
                if name.upper() in functions:
                    self.fail(f"名称 {name} 与函数 {name.upper()} 同名，Excel 名称不区分大小写，请换一个 key（name clashes with a function）", ind.label(), ind.origin)
                if name in all_names and all_names[name] != ind.key:
                    self.fail(f"名称 {name} 重复（duplicate name; 也用于指标 {all_names[name]}）", ind.label(), ind.origin)
                all_names[name] = ind.key

        # formulas
        for ind in framework.indicators:
            self.check_formulas(framework, ind, names, udfs)
        return framework

    def build_input(self, e: Any, ind_key: str, ind_where: str, origin: Optional[str], seen: dict[str, str]) -> Input:
        if not isinstance(e, dict):
            self.fail("[[indicator.input]] 应为表（table）", ind_where, origin)
        where = f"{ind_where} 输入项 {e.get('key', '?')}"
        self.unknown(e, _INPUT_FIELDS - {"remove"}, where, origin)
        self.require(e, ("key", "label", "kind", "help"), where, origin)
        self.key(e["key"], where, origin, "输入项 key")
        kind = e["kind"]
        if kind not in INPUT_KINDS:
            self.fail(f"kind = \"{kind}\" 无效（invalid input kind；可用：{' | '.join(INPUT_KINDS)}）", where, origin)
        inp = Input(
            key=e["key"],
            label=str(e["label"]).strip(),
            kind=kind,
            help=_clean_text(str(e["help"])),
            unit=str(e.get("unit", DEFAULT_UNITS[kind])),
            default=e.get("default"),
            indicator=ind_key,
            required=self.switch(e, "required", True, where, origin),
            not_applicable=self.switch(e, "not_applicable", False, where, origin),
        )
        if inp.not_applicable and kind not in ("amount", "count"):
            self.fail("not_applicable（可填“不涉及”）只用于金额或数量输入（amount/count）", where, origin)
        for bound in ("min", "max"):
            if bound in e:
                if kind not in ("amount", "count", "number", "rate"):
                    self.fail(f"{bound} 只适用于数值类输入（amount/count/number/rate）", where, origin)
                try:
                    setattr(inp, bound, float(_to_fraction(e[bound])))
                except TypeError:
                    self.fail(f"{bound} 应为数字", where, origin)
        if "points" in e:
            if kind != "flag" or "items" in e:
                self.fail("points 只用于单个是/否评分项（kind = \"flag\" 且无 items）；多项请在 items 中逐项给出", where, origin)
            inp.points = self.points(e["points"], where, origin)
        if "items" in e:
            if kind in ("table", "status"):
                self.fail(f"kind = \"{kind}\" 不能带 items", where, origin)
            items = e["items"]
            if not isinstance(items, list) or not items:
                self.fail("items 应为非空列表（list of {label, points}）", where, origin)
            for j, it in enumerate(items):
                iw = f"{where} 第{j + 1}项"
                if not isinstance(it, dict):
                    self.fail("items 的每一项应为 {label = \"…\", points = …}", iw, origin)
                self.unknown(it, _ITEM_FIELDS, iw, origin)
                self.require(it, ("label",), iw, origin)
                pts = None
                if "points" in it:
                    if kind != "flag":
                        self.fail("只有是/否评分项（flag）的 items 可以有 points", iw, origin)
                    pts = self.points(it["points"], iw, origin)
                inp.items.append(Item(str(it["label"]).strip(), pts, _clean_text(str(it.get("help", "")))))
        if kind == "table":
            rows = e.get("rows")
            if not isinstance(rows, int) or isinstance(rows, bool) or rows < 1:
                self.fail("table 输入需要 rows（正整数，行数）", where, origin)
            inp.rows = rows
            cols = e.get("column") or []
            if not cols:
                self.fail("table 输入需要 [[indicator.input.column]] 列定义", where, origin)
            col_keys: set[str] = set()
            for c in cols:
                cw = f"{where} 列 {c.get('key', '?')}"
                self.unknown(c, _COLUMN_FIELDS, cw, origin)
                self.require(c, ("key", "label", "kind"), cw, origin)
                self.key(c["key"], cw, origin, "列 key")
                if c["key"] in col_keys:
                    self.fail(f"列 key 重复（duplicate column key '{c['key']}'）", cw, origin)
                col_keys.add(c["key"])
                if c["kind"] not in COLUMN_KINDS:
                    self.fail(f"列 kind = \"{c['kind']}\" 无效（可用：{' | '.join(COLUMN_KINDS)}）", cw, origin)
                col = Column(
                    key=c["key"],
                    label=str(c["label"]),
                    kind=c["kind"],
                    name=f"{inp.key}_{c['key']}",
                    unit=str(c.get("unit", "")),
                    help=_clean_text(str(c.get("help", ""))),
                    default=c.get("default"),
                    required=self.switch(c, "required", True, cw, origin),
                )
                for bound in ("min", "max"):
                    if bound in c:
                        try:
                            setattr(col, bound, float(_to_fraction(c[bound])))
                        except TypeError:
                            self.fail(f"{bound} 应为数字", cw, origin)
                if col.kind == "direction" and col.default is not None and col.default not in DIRECTION_WORDS:
                    self.fail(f"default = {col.default!r} 应为 ≥ 或 ≤", cw, origin)
                inp.columns.append(col)
        elif "rows" in e or "column" in e:
            self.fail("rows / column 只用于 kind = \"table\"", where, origin)
        if kind == "flag" and inp.default is not None and inp.default not in FLAG_WORDS:
            self.fail(f"default = {inp.default!r} 应为“是”或“否”", where, origin)
        if kind == "status" and inp.default is not None and inp.default not in STATUS_WORDS:
            self.fail(f"default = {inp.default!r} 应为 {'/'.join(STATUS_WORDS)} 之一", where, origin)
        for name in inp.names():
            if name in RESERVED_NAMES:
                self.fail(f"名称 {name} 是保留名称（reserved name），请换一个 key", where, origin)
            if name in seen:
                self.fail(f"输入项名称 {name} 重复（duplicate input key; 已用于 {seen[name]}）", where, origin)
            seen[name] = ind_where
        return inp

    def check_formulas(self, fw: Framework, ind: Indicator, names: dict, udfs: Any):
        where, origin = ind.label(), ind.origin
        try:
            ind.call = parse_call(ind.score)
        except ValueError as exc:
            self.fail(f"score 公式无法解析（cannot parse score formula）：{exc}：{ind.score}", where, origin)
        if ind.note:
            try:
                ind.note_call = parse_call(ind.note)
            except ValueError as exc:
                self.fail(f"note 公式无法解析：{exc}：{ind.note}", where, origin)
            if ind.note_call.function != ind.call.function + "_NOTE" or [a.text.strip() for a in ind.note_call.args] != [
                a.text.strip() for a in ind.call.args
            ]:
                self.fail(
                    f"note 应为 {ind.call.function}_NOTE 且参数与 score 相同（note must be the score call with _NOTE）：{ind.note}",
                    where,
                    origin,
                )
        else:
            ind.note_call = Call(ind.call.function + "_NOTE", ind.call.args)
        for fn in (ind.call.function, ind.note_call.function):
            if udfs is not None and not callable(getattr(udfs, fn, None)):
                self.fail(f"函数 {fn} 不在函数目录（udfs）中（unknown function '{fn}'）", where, origin)
        own = {inp.key: inp for inp in ind.inputs}
        used: set[str] = set()
        for arg in ind.call.args:
            if arg.kind == "ref":
                if arg.name not in names:
                    self.fail(f"公式引用的 {{{arg.name}}} 不是已声明的输入项（unknown input key '{arg.name}'）", where, origin)
                inp, _col = names[arg.name]
                if inp.key not in own:
                    self.fail(f"公式引用的 {{{arg.name}}} 属于其他指标的输入（input of indicator '{inp.indicator}'）", where, origin)
                used.add(arg.name)
            elif arg.kind == "points_of":
                inp = own.get(arg.name)
                if inp is None:
                    self.fail(f"{{{arg.name}:points}} 不是本指标已声明的输入项（unknown input key '{arg.name}'）", where, origin)
                if not (inp.kind == "flag" and inp.items):
                    self.fail(f"{{{arg.name}:points}} 只能用于带 items 的是/否评分项（flag with items）", where, origin)
        for inp in ind.inputs:
            if inp.kind == "table":
                scored = [c for c in inp.columns if c.kind != "text"]
                missing = [c.name for c in scored if c.name not in used]
                if missing:
                    self.fail(f"表格输入 {inp.key} 的列 {', '.join(missing)} 未被 score 公式使用（declared but not used）", where, origin)
            elif inp.key not in used:
                self.fail(f"输入项 {inp.key} 未被 score 公式使用（declared but not used）", where, origin)
        accepting = NOT_APPLICABLE_PARAMS.get(ind.call.function, ())
        entry = udfs.catalogue.entry_named(ind.call.function) if udfs is not None else None
        for i, arg in enumerate(ind.call.args):
            if arg.kind == "ref" and names[arg.name][0].not_applicable:
                param = entry.params[i].name if entry is not None and i < len(entry.params) else None
                if param not in accepting:
                    self.fail(
                        f"输入项 {arg.name} 标为可填“不涉及”（not_applicable），但 {ind.call.function} 的这个参数不接受“不涉及”"
                        f"（accepted only by: {', '.join(f'{f}({chr(44).join(p)})' for f, p in NOT_APPLICABLE_PARAMS.items())}）",
                        where, origin,
                    )
        if ind.call.function == "SCORE_CHECKLIST":
            lists = [own[a.name] for a in ind.call.args if a.kind == "points_of"]
            for inp in lists:
                s = sum(inp.item_points(), Fraction(0))
                if s != ind.points:
                    self.fail(f"评分项分值合计 {format_number(s)} 不等于指标分值 {format_number(ind.points)}（items' points of {inp.key}）", where, origin)


def _clean_text(text: str) -> str:
    """Trim each line and drop blank leading/trailing lines (keeps the line structure)."""
    lines = [ln.strip() for ln in text.strip("\n").split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


_udfs_module: Any = None


def _import_udfs() -> Any:
    global _udfs_module
    if _udfs_module is None:
        import udfs  # noqa: PLC0415  (the catalogue; imported lazily so the loader stays light)

        _udfs_module = udfs
    return _udfs_module


# ----------------------------------------------------------------------------- formula parsing


def _split_args(text: str) -> list[str]:
    args, depth, quote, cur = [], 0, False, []
    for ch in text:
        if quote:
            cur.append(ch)
            if ch == '"':
                quote = False
            continue
        if ch == '"':
            quote = True
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth < 0:
                raise ValueError("花括号不匹配（unbalanced braces）")
        elif ch in "()" and depth == 0:
            raise ValueError("只支持单个函数调用，参数中不能再有括号（a single function call, no nested calls）")
        elif ch == "," and depth == 0:
            args.append("".join(cur))
            cur = []
            continue
        cur.append(ch)
    if quote:
        raise ValueError("引号不匹配（unbalanced quotes）")
    if depth:
        raise ValueError("花括号不匹配（unbalanced braces）")
    args.append("".join(cur))
    return args


def _parse_scalar(text: str) -> Any:
    t = text.strip()
    if _NUMBER_RE.match(t):
        return Fraction(t)
    if t.upper() in ("TRUE", "FALSE"):
        return t.upper() == "TRUE"
    if len(t) >= 2 and t[0] == '"' and t[-1] == '"':
        return t[1:-1].replace('""', '"')
    raise ValueError(f"无法识别的常量 {t!r}")


def parse_call(formula: str) -> Call:
    """Parse ``NAME(arg, …)``; args are placeholders, constants, array constants or empty."""
    text = formula.strip()
    if text.startswith("="):
        text = text[1:]
    m = _FUNC_RE.match(text)
    if not m:
        raise ValueError("应为“函数名(参数, …)”的形式，函数名用大写（expected NAME(args)）")
    function, inner = m.group(1), m.group(2)
    args: list[Arg] = []
    raw_args = _split_args(inner) if inner.strip() else []
    for raw in raw_args:
        t = raw.strip()
        if not t:
            args.append(Arg("omitted", raw))
            continue
        pm = _PLACEHOLDER_RE.match(t)
        if pm:
            name, points = pm.group(1), pm.group(2)
            if name == "points" and not points:
                args.append(Arg("points", raw))
            elif points:
                args.append(Arg("points_of", raw, name=name))
            else:
                args.append(Arg("ref", raw, name=name))
            continue
        if t.startswith("{"):
            if not t.endswith("}"):
                raise ValueError(f"数组常量不完整 {t!r}")
            body = t[1:-1]
            rows = []
            for row in body.split(";"):
                cells = [c for c in row.split(",")]
                if any(not c.strip() for c in cells):
                    raise ValueError(f"数组常量中有空元素 {t!r}（placeholders look like {{input_key}}）")
                rows.append([_parse_scalar(c) for c in cells])
            args.append(Arg("array", raw, value=rows))
            continue
        value = _parse_scalar(t)
        kind = "bool" if isinstance(value, bool) else "string" if isinstance(value, str) else "number"
        args.append(Arg(kind, raw, value=value))
    return Call(function, args)


# ----------------------------------------------------------------------------- examples and values


def load_example(name_or_path: Union[str, Path]) -> dict:
    """An example data file: {"framework": name, "department": {...}, "values": {...}}."""
    path = _resolve(name_or_path, EXAMPLES_DIR, "example")
    data = _read_toml(path, "example")
    meta = data.get("meta", {})
    values = data.get("values", {})
    if not isinstance(values, dict):
        raise FrameworkError(path, "[values] 应为表（table）")
    return {
        "path": path,
        "framework": meta.get("framework"),
        "department": {
            "name": meta.get("department"),
            "year": meta.get("year"),
            "preparer": meta.get("preparer"),
        },
        "values": values,
    }


def _as_column_lists(fw: Framework, values: dict) -> dict:
    """Accept a table given as a list of rows (``targets = [[名称, 目标值, …], …]``)."""
    out = dict(values)
    for inp in fw.inputs:
        if inp.kind == "table" and inp.key in out:
            rows = out.pop(inp.key)
            if not isinstance(rows, list):
                raise FrameworkError(None, f"{inp.key} 应为行的列表（list of rows）", inp.indicator)
            for j, col in enumerate(inp.columns):
                out[col.name] = [row[j] if isinstance(row, (list, tuple)) and j < len(row) else None for row in rows]
    return out


def check_values(framework: Union[str, Path, Framework], values: dict, source: Union[str, Path, None] = None) -> dict:
    """Validate input values against a framework; returns them with tables as column lists."""
    fw = load_framework(framework)
    vals = _as_column_lists(fw, values)
    names = fw.names()
    header = {"dept_name", "eval_year", "preparer"}
    remedies = fw.remedy_names()
    for key, value in vals.items():
        if key in header:
            continue
        if key in remedies:
            if value is not None and not isinstance(value, str):
                raise FrameworkError(
                    source, f"{key}（{REMEDY_LABEL}）应为文本（text），实际为 {value!r}", remedies[key].label()
                )
            continue
        if key not in names:
            raise FrameworkError(source, f"{key} 不是框架 {fw.id} 的输入项（unknown input key）")
        inp, col = names[key]
        if inp.is_range:
            if not isinstance(value, list):
                raise FrameworkError(source, f"{key} 应为 {inp.size} 个值的列表（a list of {inp.size} values）", f"指标 {inp.indicator}")
            if len(value) > inp.size:
                raise FrameworkError(source, f"{key} 有 {len(value)} 个值，模板只有 {inp.size} 格", f"指标 {inp.indicator}")
        elif isinstance(value, list):
            raise FrameworkError(source, f"{key} 是单个单元格，不能给列表", f"指标 {inp.indicator}")
    return vals


# ----------------------------------------------------------------------------- scoring in Python


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float, Decimal, Fraction)) and not isinstance(x, bool) and not (isinstance(x, float) and math.isnan(x))


def _arg_value(fw: Framework, ind: Indicator, arg: Arg, vals: dict, names: dict) -> Any:
    if arg.kind == "ref":
        inp, col = names[arg.name]
        v = vals.get(arg.name)
        if inp.is_range:
            seq = list(v) if isinstance(v, (list, tuple)) else []
            seq = seq + [None] * (inp.size - len(seq))
            return seq[: inp.size]
        return v
    if arg.kind == "points":
        return _plain(ind.points)
    if arg.kind == "points_of":
        return [_plain(p) for p in fw.input(arg.name).item_points()]
    if arg.kind == "omitted":
        return None
    if arg.kind == "number":
        return _plain(arg.value)
    if arg.kind == "array":
        rows = [[_plain(x) if isinstance(x, Fraction) else x for x in row] for row in arg.value]
        return rows[0] if len(rows) == 1 else rows
    return arg.value


def _excel_text(value: Any) -> str:
    """A cell value as Excel's ``&`` turns it into text (numbers in General format)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, Fraction, Decimal)) or (isinstance(value, float) and value.is_integer()):
        return format_number(value if not isinstance(value, float) else int(value))
    if isinstance(value, float):
        return f"{value:.15g}"  # Excel shows 15 significant digits
    return str(value)


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


def _excel_string(text: str) -> str:
    """``text`` as a formula's string literal. The invisible characters stay literal
    characters: UNICHAR would be #NAME? in Excel 2010 and older (the note then shows an
    error there), a literal works in every application."""
    return '"' + text.replace('"', '""') + '"'


def printed_note_formula(expression: str) -> str:
    """``expression`` (a text formula) as the note cell shows it: one SUBSTITUTE per
    entry of :data:`NOTE_PRINT_JOINS`, in the order :func:`printed_note` applies them."""
    for old, new in NOTE_PRINT_JOINS:
        expression = f"SUBSTITUTE({expression},{_excel_string(old)},{_excel_string(new)})"
    return expression


def note_with_remedy(note: str, score: Any, points: Union[Fraction, int, float], remedy: Any = None) -> str:
    """The 「扣分情况及整改情况说明」 text: the ``_NOTE`` text, then "整改情况：" + the
    remedy, as the cell shows it (:func:`printed_note`).

    Python's version of :meth:`Framework.note_cell_formula` (same rule, same text): no
    remedy (blank or "") leaves the note as it is; the separator "；" comes before
    "整改情况：" unless the ``_NOTE`` text is empty. (``score`` and ``points`` are not
    needed for that; they stay for the callers.)
    """
    text = _excel_text(remedy)
    if text == "":
        return printed_note(note)
    return printed_note(f"{note}{REMEDY_SEPARATOR if note else ''}{REMEDY_PREFIX}{text}")


def sum_scores(scores: list[Any]) -> Any:
    """Guarded sum, like the workbook's subtotals and total: #N/A while any score is not
    a number, else the sum rounded to 2 places (every score has at most 2)."""
    if not scores or not all(_is_number(s) for s in scores):
        return "#N/A"
    total = sum((Decimal(str(s)) for s in scores), Decimal(0))
    return float(total)


def score_in_python(framework: Union[str, Path, Framework], inputs: dict) -> dict:
    """Score every indicator by calling the ``udfs`` functions with the input values.

    ``inputs`` maps input keys (the workbook's defined names) to values as a person
    would type them: numbers, "是"/"否", "按规定公开", "95%" …; a multi-cell input
    (checklist items, quarterly amounts, a table column) is a list; a table may also be
    given as a list of rows under the table's key. Missing keys are blank cells.
    ``<indicator key>_remedy`` (optional) is the 整改情况及措施 text of that indicator:
    its note is then the ``_NOTE`` text + "；整改情况：" + the text (without "；" at full
    marks), as in the workbook's 扣分情况及整改情况说明 column.

    Returns a dict::

        {"framework": id,
         "indicators": {key: {"name", "points", "score", "note", "level1", "level2"}},
         "level2": {key: {"name", "points", "score"}},
         "level1": {key: {"name", "points", "score"}},
         "total": float or "#N/A",
         "grade": "优"/"良"/"中"/"差" or "#N/A"}

    A score is a float or an Excel error literal ("#N/A", "#VALUE!", "#DIV/0!"); a
    subtotal or the total is "#N/A" while any indicator under it is not a number.
    """
    fw = load_framework(framework)
    udfs = _import_udfs()
    vals = _as_column_lists(fw, inputs or {})
    names = fw.names()
    sizes = {name: inp.size for name, (inp, _col) in names.items()}
    result: dict = {"framework": fw.id, "indicators": {}, "level2": {}, "level1": {}}
    for ind in fw.indicators:
        args = [_arg_value(fw, ind, a, vals, names) for a in ind.call.args]
        while args and ind.call.args[len(args) - 1].kind == "omitted" and args[-1] is None:
            args.pop()  # trailing omitted optional arguments: let the defaults apply
        guard = next((g for g in fw.guards(ind) if g.applies(vals, sizes)), None)
        if guard is not None:
            score, note = guard.error, guard.note
        else:
            score = getattr(udfs, ind.call.function)(*args)
            note = getattr(udfs, ind.note_call.function)(*args)
        if _is_number(score):
            score = float(score)
        note = note_with_remedy(note, score, ind.points, vals.get(remedy_name(ind.key)))
        result["indicators"][ind.key] = {
            "name": ind.name,
            "points": _plain(ind.points),
            "score": score,
            "note": note,
            "level2": ind.level2.key,
            "level1": ind.level1.key,
        }
    for l1 in fw.level1:
        for l2 in l1.children:
            result["level2"][l2.key] = {
                "name": l2.name,
                "points": _plain(l2.points),
                "score": sum_scores([result["indicators"][i.key]["score"] for i in l2.indicators]),
            }
        result["level1"][l1.key] = {
            "name": l1.name,
            "points": _plain(l1.points),
            "score": sum_scores([result["indicators"][i.key]["score"] for i in l1.indicators]),
        }
    total = sum_scores([r["score"] for r in result["indicators"].values()])
    result["total"] = total
    result["grade"] = udfs.SCORE_GRADE(total) if _is_number(total) else "#N/A"
    return result
