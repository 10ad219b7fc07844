"""The generic building blocks and the grade: SCORE_CHECKLIST, SCORE_DEDUCT, SCORE_RATIO, SCORE_GRADE.

Each mirrors its ``udfs.catalogue`` entry: the arguments read in the same order (the
first error wins), the same checks, the rule in exact integers (scores in hundredths,
one division at the end), the same note.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Sequence

from udfs import catalogue, notes, rules
from udfs.errors import DomainError

from .. import arith, coercion, text
from ..program import ERROR_CODES, Coerced, NativeArg, Outcome, Program, literal, score_or_error, text_literal
from . import NativeUnsupported, translation

ONE = Fraction(1)


def padded(args: Sequence[NativeArg], count: int) -> list[NativeArg]:
    """The call's arguments with omitted ones added up to ``count``."""
    if len(args) > count:
        raise NativeUnsupported(f"参数过多（too many arguments: {len(args)} > {count}）")
    return [*args, *[NativeArg(omitted=True)] * (count - len(args))]


def finish(p: Program, name: str, code: str, score: str, note: str, reason: str) -> Outcome:
    """The score cell (the number, or the error the code names) and the note (the reason on an error)."""
    score_cell = p.cell(score_or_error(code, score), f"{name} score")
    note_cell = p.cell(f"IF({code}=0,{note},{reason})", f"{name} note")
    return Outcome(score_cell, note_cell)


def hundredths_of(p: Program, value: str, label: str) -> str:
    """truncate(value) in hundredths, for a value >= 0 with at most 6 decimals."""
    return arith.floor_div(p, arith.scaled(value, 6), "10000", f"{label} truncated")


@translation("SCORE_DEDUCT")
def deduct(p: Program, args: Sequence[NativeArg]) -> Outcome:
    full_arg, count_arg, per_arg = padded(args, 3)
    full = coercion.non_negative(p, full_arg, "满分")
    found = coercion.count(p, count_arg, "扣分项数")
    per = coercion.optional_non_negative(p, per_arg, "每项扣分", ONE)
    code, reason = p.coerced_error([full, found, per], label="SCORE_DEDUCT")
    full_4, per_4 = arith.scaled(full.value, 4), arith.scaled(per.value, 4)
    rest = p.cell(f"MAX(0,{full_4}-{found.value}*{per_4})", "points left ×10^4")
    score = p.cell(f"{arith.floor_div(p, rest, '100', 'score in hundredths')}/100", "score")
    finding = p.cell(
        f'TEXT({found.value},"0")&"项不符合要求，每项扣"&{text.points(p, per.value)}&"分"'
        f'&IF({found.value}*{per_4}>{full_4},"，扣完为止","")',
        "finding",
    )
    note = text.compose(p, [("TRUE", finding, None)], score, full.value)
    return finish(p, "SCORE_DEDUCT", code, score, note, reason)


def _item_points(p: Program, points_arg: NativeArg, size: int) -> tuple[list[Fraction], Coerced]:
    """The checklist's points (constants only), or the error the catalogue gives for them."""
    if points_arg.is_reference:
        raise NativeUnsupported("SCORE_CHECKLIST 的分值须为常量（points must be constants in the native template）")
    value = None if points_arg.omitted else points_arg.constant
    if value is None or (not isinstance(value, list) and coercion.py.is_blank(value)):
        return [ONE] * size, Coerced("0")
    cells = coercion.py.cells([[float(v) if isinstance(v, Fraction) else v for v in row] for row in value]
                              if isinstance(value, list) else (float(value) if isinstance(value, Fraction) else value))
    try:
        catalogue._same_size("分值区域", size, len(cells))
        return [coercion.py.non_negative(v, f"第{i}项分值") for i, v in enumerate(cells, 1)], Coerced("0")
    except DomainError as error:
        return [ONE] * size, Coerced.failed(error.literal, error.reason)


@translation("SCORE_CHECKLIST")
def checklist(p: Program, args: Sequence[NativeArg]) -> Outcome:
    items_arg, points_arg = padded(args, 2)
    items = coercion.range_cells(items_arg)
    checks = []
    if items_arg.is_reference and len(items) == 1 and not items_arg.is_range:
        checks.append((coercion.is_blank(p, items[0]), str(ERROR_CODES["#N/A"]), text_literal("检查项区域为空，请填写")))
    points, points_error = _item_points(p, points_arg, len(items))
    got = [coercion.flag(p, item, f"第{i}项", pts) for i, (item, pts) in enumerate(zip(items, points), 1)]
    code, reason = p.coerced_error([points_error, *got], label="SCORE_CHECKLIST") if not checks else p.first_error(
        [*checks, *[(f"{c.code}<>0", c.code, c.reason) for c in (points_error, *got) if c.code != "0"]], "SCORE_CHECKLIST")
    parts = [hundredths_of(p, g.value, f"第{i}项") for i, g in enumerate(got, 1)]
    score = p.cell("(" + "+".join(parts) + ")/100", "score")
    pieces = []
    for i, (part, pts) in enumerate(zip(parts, points), 1):
        lost = p.cell(f"({literal(pts * 10000)}-{part}*100)/10000", f"第{i}项 lost")
        pieces.append(p.cell(f'IF({lost}>0,"、第{i}项"&IF({part}=0,"不符合","酌情")&"扣"&{text.points(p, lost)}&"分","")', f"第{i}项 finding"))
    joined = p.cell("&".join(pieces), "findings")
    finding = p.cell(f"MID({joined},2,LEN({joined}))", "findings joined")
    note = text.compose(p, [("TRUE", finding, None)], score, literal(sum(points, Fraction(0))))
    return finish(p, "SCORE_CHECKLIST", code, score, note, reason)


@translation("SCORE_GRADE")
def grade(p: Program, args: Sequence[NativeArg]) -> Outcome:
    (total_arg,) = padded(args, 1)
    total = coercion.non_negative(p, total_arg, "总得分")
    t = total.value
    chain = "".join(f'IF({t}>={literal(floor)},"{name}",' for floor, name in rules.GRADES) + f'"{rules.LOWEST_GRADE}"' + ")" * len(rules.GRADES)
    name = p.cell(chain, "grade")
    note = p.cell(f'"总得分"&{text.points(p, t)}&"分，评价等级为“"&{name}&"”（优≥90，良≥80，中≥60，差<60）"', "grade note")
    return finish(p, "SCORE_GRADE", total.code, name, note, total.reason)


@translation("SCORE_RATIO")
def ratio(p: Program, args: Sequence[NativeArg]) -> Outcome:
    part_arg, whole_arg, full_arg, over_arg = padded(args, 4)
    labels = catalogue._LABELS
    declared = coercion.declared_not_applicable(p, {"part": part_arg, "whole": whole_arg}, {"part": labels["part"], "whole": labels["whole"]})
    part = coercion.non_negative(p, part_arg, labels["part"])
    whole = coercion.non_negative(p, whole_arg, labels["whole"])
    full = coercion.non_negative(p, full_arg, "满分")
    zero_if_over = coercion.option(p, over_arg, "超出即得0分选项", False)
    na = declared.value
    inputs = [(f"{c.code}<>0", c.code, c.reason) for c in (part, whole, full, zero_if_over) if c.code != "0"]
    code, reason = p.first_error([
        (f"{declared.code}<>0", declared.code, declared.reason),
        (f"AND({na},{full.code}<>0)", full.code, full.reason),
        (na, "0", '""'),
        *inputs,
        (f"AND({whole.value}=0,NOT(AND({zero_if_over.value},{part.value}>0)))", str(ERROR_CODES["#DIV/0!"]), text_literal("分母（计划数）为0，无法计算比率")),
    ], "SCORE_RATIO")
    p4, w4, f100 = arith.scaled(part.value, 4), arith.scaled(whole.value, 4), arith.scaled(full.value, 2)
    over = p.cell(f"{part.value}>{whole.value}", "part over whole")
    zeroed = p.cell(f"AND({over},{zero_if_over.value})", "scores 0")
    below = p.cell(f"IF(OR({zeroed},{whole.value}=0,{over}),0,{arith.floor_div(p, f'{p4}*{f100}', f'MAX(1,{w4})', 'rate × full')})", "below full")
    score_h = p.cell(f"IF({zeroed},0,IF({part.value}>={whole.value},{arith.floor_div(p, arith.scaled(full.value, 6), '10000', 'full truncated')},{below}))", "score in hundredths")
    score = p.cell(f"IF({na},{full.value},{score_h}/100)", "score")
    over_text = p.cell(f'"实际数"&{text.amount(p, part.value)}&"大于计划数"&{text.amount(p, whole.value)}&"，本项得0分"', "over")
    formula = text.ratio_formula(p, "完成比率", part.value, whole.value, p4, f"MAX(1,{w4})", (ONE,))
    finding = p.cell(f"IF({zeroed},{over_text},{formula})", "finding")
    composed = text.compose(p, [("TRUE", finding, None)], score, full.value)
    note = p.cell(f"IF({na},{text_literal(notes.NOT_APPLICABLE)},{composed})", "note")
    return finish(p, "SCORE_RATIO", code, score, note, reason)


def _excel_constant(value):
    """A constant as Excel hands it to a function: numbers as floats."""
    return float(value) if isinstance(value, Fraction) else value


def _constant_cells(arg: NativeArg, what: str) -> list:
    """The cells of a constant range argument (an array constant or one value), as Excel hands them."""
    if arg.is_reference:
        raise NativeUnsupported(f"SCORE_TIERS 的{what}须为常量（{what} must be constants in the native template）")
    value = None if arg.omitted else arg.constant
    if isinstance(value, list):
        return coercion.py.cells([[_excel_constant(v) for v in row] if isinstance(row, list) else _excel_constant(row) for row in value])
    return [_excel_constant(value)]


def _tier_constants(thresholds_arg: NativeArg, points_arg: NativeArg):
    """The thresholds and points read in Python (catalogue._prepare_tiers after the value), or the error."""
    try:
        thresholds = [coercion.py.number(t, f"第{i}档标准") for i, t in
                      enumerate(catalogue._range_of(_constant_cells(thresholds_arg, "分档标准"), "分档标准") if not thresholds_arg.omitted else catalogue._range_of(None, "分档标准"), 1)]
        point_cells = catalogue._range_of(_constant_cells(points_arg, "各档得分"), "各档得分") if not points_arg.omitted else catalogue._range_of(None, "各档得分")
        catalogue._same_size("各档得分", len(thresholds), len(point_cells))
        points = [coercion.py.non_negative(v, f"第{i}档得分") for i, v in enumerate(point_cells, 1)]
        if any(later > earlier for earlier, later in zip(thresholds, thresholds[1:])):
            raise catalogue.invalid("分档标准", "应从高到低排列")
    except DomainError as error:
        return [], [], Coerced.failed(error.literal, error.reason)
    return thresholds, points, Coerced("0")


def _signed(p: Program, value: str, shown_of_magnitude) -> str:
    """A number's text with a leading "-" for a negative value (Python's Decimal formatting)."""
    magnitude = p.cell(f"ABS({value})", "magnitude")
    return p.cell(f'IF({value}<0,"-","")&{shown_of_magnitude(magnitude)}', "signed")


#: Decimals of the value a tiers note shows as a percentage (its ten-thousandths exactly).
TIER_VALUE_PLACES = 6


@translation("SCORE_TIERS")
def tiers(p: Program, args: Sequence[NativeArg]) -> Outcome:
    value_arg, thresholds_arg, points_arg, else_arg = padded(args, 4)
    level = coercion.number(p, value_arg, "指标值")
    thresholds, points, constants_error = _tier_constants(thresholds_arg, points_arg)
    else_points = coercion.optional_non_negative(p, else_arg, "未达任何档时的得分", Fraction(0))
    code, reason = p.coerced_error([level, constants_error, else_points], label="SCORE_TIERS")
    if constants_error.code != "0":
        return finish(p, "SCORE_TIERS", code, "0", '""', reason)
    v = level.value
    else_h = hundredths_of(p, else_points.value, "未达任何档")
    chain_h, chain_shown = else_h, '""'
    as_percent = max(thresholds) <= 1
    for threshold, pts in reversed(list(zip(thresholds, points))):
        reached = f"{v}>={literal(threshold)}"
        chain_h = p.cell(f"IF({reached},{literal(rules.truncate(pts) * 100)},{chain_h})", "tier score in hundredths")
        shown = notes.percent(threshold, fixed=False) if as_percent else notes.amount(threshold)
        chain_shown = p.cell(f"IF({reached},{text_literal('达到“≥' + shown + '”档')},{chain_shown})", "tier reached")
    tier_text = p.cell(f'IF({chain_shown}="","未达到最低档",{chain_shown})', "tier")
    score = p.cell(f"{chain_h}/100", "score")
    full = p.cell(f"MAX({literal(max(points))},{else_points.value})", "full")
    if as_percent:
        scale = 10 ** TIER_VALUE_PLACES
        level_text = _signed(p, v, lambda m: text.percent(p, p.cell(f"ROUND({m}*{scale},0)", "value scaled"), str(scale)))
    else:
        level_text = _signed(p, v, lambda m: text.amount(p, m))
    finding = p.cell(f'"指标值为"&{level_text}&"，"&{tier_text}', "finding")
    note = text.compose(p, [("TRUE", finding, None)], score, full)
    return finish(p, "SCORE_TIERS", code, score, note, reason)
