"""Native translations of the people-and-openness indicators: SCORE_DISCLOSURE,
SCORE_STAFF_CONTROL, SCORE_CONTRACT_STAFF and SCORE_PETITIONS (``udfs.catalogue``).

Every rule is exact integer arithmetic on counts and scores in hundredths (分 of a point):

* DISCLOSURE: 150/100/0 per level 2/1/0; the note is one of the nine texts
  ``udfs.notes`` writes for the nine pairs of levels, computed here in Python.
* STAFF_CONTROL: in_post ≤ authorized → full (as given); over without per_point_over → 0;
  with per_point_over P (full F): truncate(max(0, F − (in_post/authorized − 1)·100·P)) =
  floor((F₄·a − 100·P₄·over) / (100·a)) hundredths, where F₄ = F·10⁴, P₄ = P·10⁴ (F and P
  with at most 4 decimals), over = in_post − authorized, and 0 when the numerator ≤ 0.
  A naive ROUNDDOWN(F − (i/a − 1)·100·P, 2) fails (tests show it).
* CONTRACT_STAFF: rate c/(c+e) < 5% ⇔ 20c < c+e; ≤ 10% ⇔ 10c ≤ c+e.
* PETITIONS: truncate(channel) + 100·(replied = received) + 100·(on_time = received).

Argument reading: ``workbook.native.coercion`` (H1) when present; until it lands, a local
reading of single cells that covers numbers, blanks, booleans, error cells, constants and
the yes/no and status words exactly as typed (no full-width forms, no text numbers such
as "12": those are coercion's part).
"""
from __future__ import annotations

from fractions import Fraction
from typing import Any, Sequence

from udfs import catalogue, coerce, notes, rules
from udfs.errors import DomainError

from ..program import ERROR_CODES, Coerced, NativeArg, Outcome, Program, literal, score_or_error, text_literal
from . import NativeUnsupported, translation

try:  # the shared reading (H1); the local one below covers the numeric-cell path until then
    from .. import coercion as _shared_coercion  # type: ignore
except ImportError:  # pragma: no cover - depends on what has landed
    _shared_coercion = None

#: Decimals of a full-marks or per-point value that the proportional deduction reads exactly.
SCALE_PLACES = 4
SCALE = 10**SCALE_PLACES

ERROR_LITERALS_BY_CODE = ",".join(text_literal(lit) for lit, _ in sorted(ERROR_CODES.items(), key=lambda kv: kv[1]))


# --------------------------------------------------------------------------- reading


def _python_value(arg: NativeArg) -> Any:
    """What Excel hands the function for a constant or an omitted argument."""
    if arg.omitted:
        return None
    value = arg.constant
    if isinstance(value, Fraction):
        return float(value)
    if isinstance(value, list):
        raise NativeUnsupported("人员类指标的参数不能是数组常量（array constant not supported here）")
    return value


def _at_build_time(read, arg: NativeArg, *args) -> Coerced:
    try:
        value = read(_python_value(arg), *args)
    except DomainError as error:
        return Coerced.failed(error.literal, error.reason)
    if isinstance(value, bool):
        return Coerced.constant(value)
    return Coerced.constant(Fraction(value))


class _LocalReading:
    """Single-cell reading as ``udfs.coerce`` does it, for what a cell holds as typed."""

    _YES = ("TRUE", "是", "符合", "有", "已完成", "完成", "Y", "YES", "√", "✓", "✔", "对")
    _NO = ("FALSE", "否", "不符合", "无", "未完成", "没有", "N", "NO", "×", "✗", "✘", "X", "错")
    _NOT_APPLICABLE = ("不涉及", "不适用", "无此项")

    @staticmethod
    def _array(words) -> str:
        return "{" + ",".join(text_literal(w) for w in words) + "}"

    def _kind(self, p: Program, x: str) -> str:
        """0 error, 1 blank, 2 boolean, 3 number, 4 text."""
        return p.cell(f'IF(ISERROR({x}),0,IF(ISBLANK({x}),1,IF(ISLOGICAL({x}),2,IF(ISNUMBER({x}),3,IF(TRIM({x})="",1,4)))))', "kind")

    def _error_reason(self, x: str, label: str) -> str:
        return f'{text_literal(label + "引用的单元格本身是错误值 ")}&CHOOSE(ERROR.TYPE({x}),{ERROR_LITERALS_BY_CODE})&"，请先更正该单元格"'

    def _in(self, p: Program, x: str, kind: str, words, label: str) -> str:
        return p.cell(f"IF({kind}=4,ISNUMBER(MATCH(UPPER(TRIM({x})),{self._array(words)},0)),FALSE)", label)

    def _not_applicable_reason(self, x: str, label: str) -> str:
        return f'{text_literal(label + "填写了“")}&TRIM({x})&"”，本指标不能按不涉及处理，请按实际情况填写"'

    def _finish(self, p: Program, checks, value: str, label: str) -> Coerced:
        code = reason = None
        code_text, reason_text = "0", '""'
        for condition, c, r in reversed(checks):
            code_text = f"IF({condition},{c},{code_text})"
            reason_text = f"IF({condition},{r},{reason_text})"
        code = p.cell(code_text, f"{label} code")
        reason = p.cell(reason_text, f"{label} reason")
        return Coerced(p.cell(f"IF({code}=0,{value},0)", f"{label} value"), code, reason)

    def _number_checks(self, x: str, kind: str, label: str, *, blank_reason=True):
        checks = [(f"{kind}=0", f"ERROR.TYPE({x})", self._error_reason(x, label))]
        if blank_reason:
            checks.append((f"{kind}=1", "7", text_literal(label + "为空，请填写")))
        checks += [
            (f"{kind}=2", "3", text_literal(label + "应填写数字，不能是 TRUE/FALSE")),
            (f"{kind}=4", "3", f'{text_literal(label + "“")}&TRIM({x})&"”不是数字，请只填写数字（可带千分位逗号）"'),
        ]
        return checks

    def count(self, p: Program, arg: NativeArg, label: str) -> Coerced:
        if not arg.is_reference:
            return _at_build_time(coerce.count, arg, label)
        x = arg.cells[0]
        kind = self._kind(p, x)
        checks = self._number_checks(x, kind, label) + [
            (f"{x}<0", "3", text_literal(label + "不能为负数")),
            (f"{x}<>INT({x})", "3", f'{text_literal(label + "应为整数（个数），现为 ")}&{_general(x)}'),
        ]
        return self._finish(p, checks, x, label)

    def non_negative(self, p: Program, arg: NativeArg, label: str) -> Coerced:
        if not arg.is_reference:
            return _at_build_time(coerce.non_negative, arg, label)
        x = arg.cells[0]
        kind = self._kind(p, x)
        checks = self._number_checks(x, kind, label) + [(f"{x}<0", "3", text_literal(label + "不能为负数"))]
        return self._finish(p, checks, x, label)

    def optional_non_negative(self, p: Program, arg: NativeArg, label: str, default: Fraction) -> Coerced:
        if not arg.is_reference:
            return _at_build_time(lambda v, lab: catalogue._optional_fraction(v, lab, default), arg, label)
        x = arg.cells[0]
        kind = self._kind(p, x)
        checks = self._number_checks(x, kind, label, blank_reason=False) + [(f"AND({kind}=3,{x}<0)", "3", text_literal(label + "不能为负数"))]
        return self._finish(p, checks, f"IF({kind}=1,{literal(default)},{x})", label)

    def is_blank(self, p: Program, arg: NativeArg) -> str:
        if not arg.is_reference:
            return literal(coerce.is_blank(_python_value(arg)))
        return f"{self._kind(p, arg.cells[0])}=1"

    def option(self, p: Program, arg: NativeArg, label: str, default: bool) -> Coerced:
        if not arg.is_reference:
            return _at_build_time(coerce.option, arg, label, default)
        x = arg.cells[0]
        kind = self._kind(p, x)
        yes, no = self._in(p, x, kind, self._YES, "yes"), self._in(p, x, kind, self._NO, "no")
        na = self._in(p, x, kind, self._NOT_APPLICABLE, "不涉及")
        checks = [
            (f"{kind}=0", f"ERROR.TYPE({x})", self._error_reason(x, label)),
            (na, "3", self._not_applicable_reason(x, label)),
            (f"AND({kind}=4,NOT({yes}),NOT({no}))", "3", text_literal(label + "请填写 TRUE/FALSE（或 是/否）")),
        ]
        value = f"IF({kind}=1,{literal(default)},IF({kind}=2,{x},IF({kind}=3,{x}<>0,{yes})))"
        return self._finish(p, checks, value, label)

    def status(self, p: Program, arg: NativeArg, label: str) -> Coerced:
        if not arg.is_reference:
            return _at_build_time(coerce.status, arg, label)
        x = arg.cells[0]
        kind = self._kind(p, x)
        na = self._in(p, x, kind, self._NOT_APPLICABLE, "不涉及")
        words = list(coerce.STATUS_LEVELS.items())
        level = p.cell(
            f"IF({kind}=4,IFERROR(INDEX({{{','.join(str(v) for _, v in words)}}},MATCH(TRIM({x}),{self._array(w for w, _ in words)},0)),-1),"
            f"IF({kind}=3,IF(OR({x}=0,{x}=1,{x}=2),{x},-1),-1))", "level")
        checks = [
            (f"{kind}=0", f"ERROR.TYPE({x})", self._error_reason(x, label)),
            (f"{kind}=1", "7", text_literal(label + "为空，请填写")),
            (na, "3", self._not_applicable_reason(x, label)),
            (f"{level}<0", "3", text_literal(label + "请选择“按规定公开”“公开但不符合要求”或“未公开”（或填 2/1/0）")),
        ]
        return self._finish(p, checks, level, label)

    def flag(self, p: Program, arg: NativeArg, label: str, points: Fraction) -> Coerced:
        if not arg.is_reference:
            return _at_build_time(coerce.flag, arg, label, points)
        x = arg.cells[0]
        kind = self._kind(p, x)
        yes, no = self._in(p, x, kind, self._YES, "yes"), self._in(p, x, kind, self._NO, "no")
        na = self._in(p, x, kind, self._NOT_APPLICABLE, "不涉及")
        full = literal(points)
        plain = f"{float(points):g}"
        one_is_yes = "TRUE" if points <= 1 else "FALSE"
        checks = [
            (f"{kind}=0", f"ERROR.TYPE({x})", self._error_reason(x, label)),
            (f"{kind}=1", "7", text_literal(label + "为空，请填写")),
            (na, "3", self._not_applicable_reason(x, label)),
            (f"AND({kind}=4,NOT({yes}),NOT({no}))", "3", text_literal(label + "请填写“是”或“否”（或填写酌情得分）")),
            (f"AND({kind}=3,NOT(AND({one_is_yes},{x}=1)),OR({x}<0,{x}>{full}))", "3",
             f'{text_literal(label + "为 ")}&{_general(x)}&{text_literal("，应为“是/否”或 0～" + plain + " 之间的得分")}'),
        ]
        value = f"IF({kind}=2,IF({x},{full},0),IF({kind}=3,IF(AND({one_is_yes},{x}=1),{full},{x}),IF({yes},{full},0)))"
        return self._finish(p, checks, value, label)


def _general(x: str) -> str:
    """``f"{float(x):g}"`` for the numbers a count or a score is typed as (6 significant digits;
    exponent form from 1e6 up and below 1e-4)."""
    exponent = f"INT(LOG10(ABS({x})))"
    mantissa = f"ROUND({x}/10^{exponent},5)"
    plain = f"ROUND({x},5-{exponent})&\"\""
    scientific = f'{mantissa}&"e"&IF({exponent}<0,"-","+")&TEXT(ABS({exponent}),"00")'
    return f"IF({x}=0,\"0\",IF(OR(ABS({x})>=999999.5,ABS({x})<0.0001),{scientific},{plain}))"


class _Reading:
    """The shared reading where it has a function, the local one for the rest (status, until it lands)."""

    def __init__(self) -> None:
        self._local = _LocalReading()

    def __getattr__(self, name: str):
        shared = getattr(_shared_coercion, name, None) if _shared_coercion is not None else None
        if shared is not None:
            return shared
        return getattr(self._local, name)


def _reading():
    return _Reading()


# --------------------------------------------------------------------------- exact integers and texts


def _floor_div(p: Program, n: str, d: str, label: str) -> str:
    """floor(n/d) for integers 0 ≤ n, 0 < d below 1e14: the float quotient, corrected by one."""
    guess = p.cell(f"INT(({n})/({d}))", f"{label} ≈")
    return p.cell(f"{guess}-IF({guess}*({d})>{n},1,0)+IF(({guess}+1)*({d})<={n},1,0)", label)


def _hundredths_text(c: str) -> str:
    """A non-negative number of hundredths as notes.points writes it: 1.98, 5, 0.5, 1,234."""
    return (f'TEXT(INT({c}/100),"#,##0")&IF(MOD({c},100)=0,"","."&IF(MOD({c},10)=0,MOD({c},100)/10,TEXT(MOD({c},100),"00")))')


def _scaled_text(p: Program, v: str, label: str) -> str:
    """notes.points of a value with at most SCALE_PLACES decimals (given as its scaled integer)."""
    frac = p.cell(f"MOD({v},{SCALE})", f"{label} decimals")
    digits_text = '""'
    for places in range(SCALE_PLACES, 0, -1):  # the fewest digits that hold the decimals: trailing zeros dropped
        step = 10 ** (SCALE_PLACES - places)
        digits_text = f'IF(MOD({frac},{step})=0,TEXT({frac}/{step},"{"0" * places}"),{digits_text})'
    digits = p.cell(f'IF({frac}=0,"",{digits_text})', f"{label} digits")
    return p.cell(f'TEXT(INT({v}/{SCALE}),"#,##0")&IF({digits}="","","."&{digits})', f"{label} text")


def _percent_text(p: Program, n: str, d: str, label: str, boundaries: Sequence[Fraction] = ()) -> str:
    """notes.percent(n/d, boundaries=…) for integers n ≥ 0, d > 0 (n·10⁴ below 1e14)."""
    q = _floor_div(p, f"{n}*10000", d, f"{label} ‱")
    remainder = f"({n}*10000-{q}*{d})"
    shown = p.cell(f"{q}+IF(2*{remainder}>={d},1,0)", f"{label} rounded")
    for b in boundaries:
        bound = b * 10000
        assert bound.denominator == 1
        below = f"{n}*{b.denominator}<{b.numerator}*{d}"
        above = f"{n}*{b.denominator}>{b.numerator}*{d}"
        shown = p.cell(f"IF(AND({below},{shown}>={bound.numerator}),{q},IF(AND({above},{shown}<={bound.numerator}),{q}+IF({remainder}>0,1,0),{shown}))", f"{label} beside {b}")
    return p.cell(f'INT({shown}/100)&"."&TEXT(MOD({shown},100),"00")&"%"', f"{label} text")


def _ratio_formula(p: Program, name: str, n: str, d: str, label: str, boundaries: Sequence[Fraction] = ()) -> str:
    shown = _percent_text(p, n, d, label, boundaries)
    return f'{text_literal(name + "=（")}&TEXT({n},"#,##0")&"/"&TEXT({d},"#,##0")&"）×100%="&{shown}'


def _outcome(score: str, full: str) -> str:
    """notes.outcome from hundredths."""
    return f'"得"&{_hundredths_text(score)}&"分，扣"&{_hundredths_text(f"({full}-{score})")}&"分"'


def _compose(p: Program, findings: Sequence[tuple[str, str, str]], score: str, full: str, label: str) -> str:
    """notes.compose: findings = (condition, text, lost hundredths); "" at full marks."""
    count = p.cell("+".join(f"IF({c},1,0)" for c, _, _ in findings) or "0", f"{label} findings")
    several = "".join(f'&IF({c},{text}&"，扣"&{_hundredths_text(lost)}&"分；","")' for c, text, lost in findings)
    lone = "".join(f"&IF({c},{text},\"\")" for c, text, _ in findings)
    several_cell = p.cell('""' + several, f"{label} several")
    lone_cell = p.cell('""' + lone, f"{label} lone")
    return p.cell(
        f'IF({score}>={full},"",IF({count}>1,{several_cell}&"合计"&{_outcome(score, full)},{lone_cell}&IF({count}=1,"，","")&{_outcome(score, full)}))',
        f"{label} note")


def _result(p: Program, code: str, reason: str, score_hundredths: str, note: str) -> Outcome:
    score = score_or_error(code, f"{score_hundredths}/100")
    return Outcome(score, p.cell(f"IF({code}=0,{note},{reason})", "note"))


def _args(args: Sequence[NativeArg], count: int) -> list[NativeArg]:
    args = list(args)
    if len(args) > count:
        raise NativeUnsupported(f"参数过多（{len(args)} > {count}）")
    return args + [NativeArg(omitted=True)] * (count - len(args))


# --------------------------------------------------------------------------- the four indicators


@translation("SCORE_DISCLOSURE")
def disclosure(p: Program, args: Sequence[NativeArg]) -> Outcome:
    budget_arg, final_arg, exempt_arg = _args(args, 3)
    read = _reading()
    exempt = read.option(p, exempt_arg, "是否为涉密部门", False)
    budget = read.status(p, budget_arg, "部门预算公开情况")
    final = read.status(p, final_arg, "部门决算公开情况")
    checks = [(f"{exempt.code}<>0", exempt.code, exempt.reason)]
    for part in (budget, final):
        checks.append((f"AND(NOT({exempt.value}),{part.code}<>0)", part.code, part.reason))
    code, reason = p.first_error(checks, "公开")
    points = "CHOOSE({}+1,0,100,150)"
    score = p.cell(f"IF({exempt.value},300,{points.format(budget.value)}+{points.format(final.value)})", "公开 score")
    texts = []
    for b in (0, 1, 2):
        for f in (0, 1, 2):
            values = {"budget_level": b, "final_level": f, "exempt": False}
            texts.append(text_literal(catalogue._explain_disclosure(values, rules.disclosure(b, f, False))))
    note = p.cell(f'IF({exempt.value},"",CHOOSE({budget.value}*3+{final.value}+1,{",".join(texts)}))', "公开 note")
    return _result(p, code, reason, score, note)


def _scaled(p: Program, value: Coerced, label: str) -> str:
    """A full-marks or per-point value as an integer of 10⁻⁴ (exact up to SCALE_PLACES decimals)."""
    return p.cell(f"ROUND({value.value}*{SCALE},0)", f"{label} ×{SCALE}")


@translation("SCORE_STAFF_CONTROL")
def staff_control(p: Program, args: Sequence[NativeArg]) -> Outcome:
    in_post_arg, authorized_arg, full_arg, per_point_arg = _args(args, 4)
    read = _reading()
    in_post = read.count(p, in_post_arg, "本年度在编人数")
    authorized = read.count(p, authorized_arg, "核定编制数")
    full = read.optional_non_negative(p, full_arg, "满分", rules.ONE)
    per_point_blank = read.is_blank(p, per_point_arg)
    if per_point_blank == "TRUE":
        per_point = None
        inputs = [in_post, authorized, full]
    else:
        per_point = read.non_negative(p, per_point_arg, "每超1个百分点扣分")
        if per_point_blank != "FALSE":  # a cell: blank means "over → 0"
            per_point = Coerced(per_point.value, p.cell(f"IF({per_point_blank},0,{per_point.code})", "per point code"),
                                p.cell(f'IF({per_point_blank},"",{per_point.reason})', "per point reason"))
        inputs = [in_post, authorized, full, per_point]
    zero = (f"{authorized.value}=0", "2", text_literal("核定编制数为0，无法计算比率"))
    code, reason = p.coerced_error(inputs, [zero], "人员控制")
    i, a = in_post.value, authorized.value
    full_scaled = _scaled(p, full, "满分")
    full_hundredths = p.cell(f"{full_scaled}/100", "满分 ×100")  # may carry more than 2 decimals: compared, never shown then
    within = p.cell(f"AND({a}>0,{i}<={a})", "within")
    if per_point is None:
        over_score = "0"
    else:
        per_scaled = _scaled(p, per_point, "每超1个百分点扣分")
        over = p.cell(f"MAX(0,{i}-{a})", "over")
        numerator = p.cell(f"{full_scaled}*{a}-100*{per_scaled}*{over}", "F·a−100·P·over")
        proportional = _floor_div(p, f"MAX(0,{numerator})", f"100*MAX(1,{a})", "proportional")
        over_score = p.cell(f"IF({numerator}<=0,0,{proportional})", "over score")
        if per_point_blank != "FALSE":
            over_score = p.cell(f"IF({per_point_blank},0,{over_score})", "over score or 0")
    # the score cell: full as given within 100%, else hundredths
    score_value = p.cell(f"IF({within},{full.value},{over_score}/100)", "人员控制 score")
    score = score_or_error(code, score_value)
    # the note
    finding = _ratio_formula(p, "财政供养人员控制率", i, f"MAX(1,{a})", "控制率", (rules.ONE,))
    if per_point is None:
        rule = text_literal("，超过100%")
    else:
        rule_per = f'"，超过100%，每超1个百分点扣"&{_scaled_text(p, per_scaled, "每超扣分")}&"分"'
        rule = rule_per if per_point_blank == "FALSE" else f'IF({per_point_blank},"，超过100%",{rule_per})'
    # within 100% the score is full: no note; over, full may carry up to 4 decimals
    lost_scaled = p.cell(f"{full_scaled}-{over_score}*100", "lost ×10⁴")
    note_over = p.cell(
        f'IF({lost_scaled}<=0,"",{finding}&{rule}&"，得"&{_hundredths_text(over_score)}&"分，扣"&{_scaled_text(p, lost_scaled, "扣分")}&"分")',
        "人员控制 over note")
    note = p.cell(f'IF({within},"",{note_over})', "人员控制 note")
    del full_hundredths
    return Outcome(score, p.cell(f"IF({code}=0,{note},{reason})", "note"))


@translation("SCORE_CONTRACT_STAFF")
def contract_staff(p: Program, args: Sequence[NativeArg]) -> Outcome:
    contract_arg, established_arg = _args(args, 2)
    read = _reading()
    c = read.count(p, contract_arg, "编外人员数")
    e = read.count(p, established_arg, "在编人数")
    total = p.cell(f"{c.value}+{e.value}", "在职人员总数")
    zero = (f"{total}=0", "2", text_literal("在职人员总数（在编+编外）为0，无法计算比率"))
    code, reason = p.coerced_error([c, e], [zero], "编外")
    score = p.cell(f"IF(20*{c.value}<{total},100,IF(10*{c.value}<={total},50,0))", "编外 score")
    shown = _percent_text(p, c.value, f"MAX(1,{total})", "编外率", rules.CONTRACT_STAFF_BOUNDS)
    finding = f'"编外人员控制率="&TEXT({c.value},"0")&"/（"&TEXT({e.value},"0")&"+"&TEXT({c.value},"0")&"）×100%="&{shown}'
    note = _compose(p, [("TRUE", finding, "0")], score, "100", "编外")
    return _result(p, code, reason, score, note)


@translation("SCORE_PETITIONS")
def petitions(p: Program, args: Sequence[NativeArg]) -> Outcome:
    channel_arg, received_arg, replied_arg, on_time_arg = _args(args, 4)
    read = _reading()
    channel = read.flag(p, channel_arg, "群众意见反映渠道和办理回复机制", rules.ONE)
    received = read.count(p, received_arg, "信访受理件数")
    replied = read.count(p, replied_arg, "已办理回复件数")
    on_time = read.count(p, on_time_arg, "按期办理回复件数")
    extra = [
        (f"{replied.value}>{received.value}", "3", text_literal("已办理回复件数不能大于信访受理件数")),
        (f"{on_time.value}>{replied.value}", "3", text_literal("按期办理回复件数不能大于已办理回复件数")),
    ]
    code, reason = p.coerced_error([channel, received, replied, on_time], extra, "信访")
    rounded = p.cell(f"ROUND({channel.value}*100,0)", "渠道 ≈×100")
    channel_hundredths = p.cell(f"{rounded}-IF({rounded}/100>{channel.value},1,0)", "渠道 truncated ×100")
    replied_ok = p.cell(f"{replied.value}={received.value}", "all replied")
    on_time_ok = p.cell(f"{on_time.value}={received.value}", "all on time")
    score = p.cell(f"{channel_hundredths}+IF({replied_ok},100,0)+IF({on_time_ok},100,0)", "信访 score")
    d = f"MAX(1,{received.value})"
    findings = [
        (f"{channel_hundredths}<100", text_literal("群众意见反映渠道和办理回复机制不健全"), f"(100-{channel_hundredths})"),
        (f"NOT({replied_ok})", p.cell(_ratio_formula(p, "信访办理回复率", replied.value, d, "回复率") + '&"，未达100%"', "回复率 finding"), "100"),
        (f"NOT({on_time_ok})", p.cell(_ratio_formula(p, "信访及时办理回复率", on_time.value, d, "及时率") + '&"，未达100%"', "及时率 finding"), "100"),
    ]
    note = _compose(p, findings, score, "300", "信访")
    return _result(p, code, reason, score, note)
