"""The score formulas of a framework file: ``SCORE_X({input}, {items:points}, 5)`` parsed
into a `Call` of `Arg`s, and the checks (`Guard`) the template makes before it calls the
catalogue function."""
from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Optional

if TYPE_CHECKING:
    from .model import Framework, Indicator, Input

_FUNC_RE = re.compile(r"^\s*([A-Z][A-Z0-9_]*)\s*\((.*)\)\s*$", re.S)
_PLACEHOLDER_RE = re.compile(r"^\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?::\s*(points)\s*)?\}$")
_NUMBER_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")

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
            words = sorted(import_udfs().coerce.NOT_APPLICABLE_WORDS, key=lambda w: (w != NOT_APPLICABLE_WORD, w))
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
        return any(import_udfs().coerce.is_not_applicable(v) for v in cells(self.names[0]))


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def guards_of(fw: "Framework", ind: Indicator) -> list[Guard]:
    udfs = import_udfs()
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


def row_below_note_formula(inp: Input, references: dict) -> str:
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


_udfs_module: Any = None


def import_udfs() -> Any:
    global _udfs_module
    if _udfs_module is None:
        import udfs  # noqa: PLC0415  (the catalogue; imported lazily so the loader stays light)

        _udfs_module = udfs
    return _udfs_module


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
