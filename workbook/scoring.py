"""Input values checked against a framework, and every indicator scored in Python by
calling the ``udfs`` functions, with the template's guards and guarded subtotals."""
from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, Union

from .formulas import Arg, import_udfs
from .loading import load_framework
from .model import Framework, FrameworkError, Indicator
from .names import remedy_name
from .printing import REMEDY_LABEL, note_with_remedy
from .values import plain_number

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
        return plain_number(ind.points)
    if arg.kind == "points_of":
        return [plain_number(p) for p in fw.input(arg.name).item_points()]
    if arg.kind == "omitted":
        return None
    if arg.kind == "number":
        return plain_number(arg.value)
    if arg.kind == "array":
        rows = [[plain_number(x) if isinstance(x, Fraction) else x for x in row] for row in arg.value]
        return rows[0] if len(rows) == 1 else rows
    return arg.value


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
    udfs = import_udfs()
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
            "points": plain_number(ind.points),
            "score": score,
            "note": note,
            "level2": ind.level2.key,
            "level1": ind.level1.key,
        }
    for l1 in fw.level1:
        for l2 in l1.children:
            result["level2"][l2.key] = {
                "name": l2.name,
                "points": plain_number(l2.points),
                "score": sum_scores([result["indicators"][i.key]["score"] for i in l2.indicators]),
            }
        result["level1"][l1.key] = {
            "name": l1.name,
            "points": plain_number(l1.points),
            "score": sum_scores([result["indicators"][i.key]["score"] for i in l1.indicators]),
        }
    total = sum_scores([r["score"] for r in result["indicators"].values()])
    result["total"] = total
    result["grade"] = udfs.SCORE_GRADE(total) if _is_number(total) else "#N/A"
    return result
