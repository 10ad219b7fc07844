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

Arguments are read by ``workbook.native.coercion``, notes written by ``workbook.native.text``.
"""
from __future__ import annotations

from typing import Sequence

from udfs import catalogue, rules

from .. import arith, coercion, text
from ..program import Coerced, NativeArg, Outcome, Program, score_or_error, text_literal
from . import translation
from .general import finish, padded

#: Decimals of a full-marks or per-point value that the proportional deduction reads exactly.
SCALE_PLACES = 4
SCALE = 10**SCALE_PLACES


def _hundredths(p: Program, code: str, reason: str, score_hundredths: str, note: str, name: str) -> Outcome:
    return finish(p, name, code, f"{score_hundredths}/100", note, reason)


# --------------------------------------------------------------------------- the four indicators


@translation("SCORE_DISCLOSURE")
def disclosure(p: Program, args: Sequence[NativeArg]) -> Outcome:
    budget_arg, final_arg, exempt_arg = padded(args, 3)
    exempt = coercion.option(p, exempt_arg, "是否为涉密部门", False)
    budget = coercion.status(p, budget_arg, "部门预算公开情况")
    final = coercion.status(p, final_arg, "部门决算公开情况")
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
    return _hundredths(p, code, reason, score, note, "SCORE_DISCLOSURE")


def _scaled(p: Program, value: Coerced, label: str) -> str:
    """A full-marks or per-point value as an integer of 10⁻⁴ (exact up to SCALE_PLACES decimals)."""
    return p.cell(f"ROUND({value.value}*{SCALE},0)", f"{label} ×{SCALE}")


@translation("SCORE_STAFF_CONTROL")
def staff_control(p: Program, args: Sequence[NativeArg]) -> Outcome:
    in_post_arg, authorized_arg, full_arg, per_point_arg = padded(args, 4)
    in_post = coercion.count(p, in_post_arg, "本年度在编人数")
    authorized = coercion.count(p, authorized_arg, "核定编制数")
    full = coercion.optional_non_negative(p, full_arg, "满分", rules.ONE)
    per_point_blank = coercion.is_blank(p, per_point_arg)
    if per_point_blank == "TRUE":
        per_point = None
        inputs = [in_post, authorized, full]
    else:
        per_point = coercion.non_negative(p, per_point_arg, "每超1个百分点扣分")
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
        proportional = arith.floor_div(p, f"MAX(0,{numerator})", f"100*MAX(1,{a})", "proportional")
        over_score = p.cell(f"IF({numerator}<=0,0,{proportional})", "over score")
        if per_point_blank != "FALSE":
            over_score = p.cell(f"IF({per_point_blank},0,{over_score})", "over score or 0")
    # the score cell: full as given within 100%, else hundredths
    score_value = p.cell(f"IF({within},{full.value},{over_score}/100)", "人员控制 score")
    score = score_or_error(code, score_value)
    # the note
    finding = text.ratio_formula(p, "财政供养人员控制率", i, a, i, f"MAX(1,{a})", (rules.ONE,))
    if per_point is None:
        rule = text_literal("，超过100%")
    else:
        rule_per = f'"，超过100%，每超1个百分点扣"&{text.points(p, per_point.value)}&"分"'
        rule = rule_per if per_point_blank == "FALSE" else f'IF({per_point_blank},"，超过100%",{rule_per})'
    # within 100% the score is full: no note; over, full may carry up to 4 decimals
    lost_scaled = p.cell(f"{full_scaled}-{over_score}*100", "lost ×10⁴")
    note_over = p.cell(
        f'IF({lost_scaled}<=0,"",{finding}&{rule}&"，得"&{text.points(p, f"{over_score}/100")}&"分，扣"&{text.points(p, f"{lost_scaled}/{SCALE}")}&"分")',
        "人员控制 over note")
    note = p.cell(f'IF({within},"",{note_over})', "人员控制 note")
    del full_hundredths
    return Outcome(score, p.cell(f"IF({code}=0,{note},{reason})", "note"))


@translation("SCORE_CONTRACT_STAFF")
def contract_staff(p: Program, args: Sequence[NativeArg]) -> Outcome:
    contract_arg, established_arg = padded(args, 2)
    c = coercion.count(p, contract_arg, "编外人员数")
    e = coercion.count(p, established_arg, "在编人数")
    total = p.cell(f"{c.value}+{e.value}", "在职人员总数")
    zero = (f"{total}=0", "2", text_literal("在职人员总数（在编+编外）为0，无法计算比率"))
    code, reason = p.coerced_error([c, e], [zero], "编外")
    score = p.cell(f"IF(20*{c.value}<{total},100,IF(10*{c.value}<={total},50,0))", "编外 score")
    shown = text.percent(p, c.value, f"MAX(1,{total})", boundaries=rules.CONTRACT_STAFF_BOUNDS)
    finding = f'"编外人员控制率="&TEXT({c.value},"0")&"/（"&TEXT({e.value},"0")&"+"&TEXT({c.value},"0")&"）×100%="&{shown}'
    note = text.compose(p, [("TRUE", finding, None)], f"{score}/100", "1")
    return _hundredths(p, code, reason, score, note, "SCORE_CONTRACT_STAFF")


@translation("SCORE_PETITIONS")
def petitions(p: Program, args: Sequence[NativeArg]) -> Outcome:
    channel_arg, received_arg, replied_arg, on_time_arg = padded(args, 4)
    channel = coercion.flag(p, channel_arg, "群众意见反映渠道和办理回复机制", rules.ONE)
    received = coercion.count(p, received_arg, "信访受理件数")
    replied = coercion.count(p, replied_arg, "已办理回复件数")
    on_time = coercion.count(p, on_time_arg, "按期办理回复件数")
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
        (f"{channel_hundredths}<100", text_literal("群众意见反映渠道和办理回复机制不健全"), f"(100-{channel_hundredths})/100"),
        (f"NOT({replied_ok})", p.cell(text.ratio_formula(p, "信访办理回复率", replied.value, received.value, replied.value, d) + '&"，未达100%"', "回复率 finding"), "1"),
        (f"NOT({on_time_ok})", p.cell(text.ratio_formula(p, "信访及时办理回复率", on_time.value, received.value, on_time.value, d) + '&"，未达100%"', "及时率 finding"), "1"),
    ]
    note = text.compose(p, findings, f"{score}/100", "3")
    return _hundredths(p, code, reason, score, note, "SCORE_PETITIONS")
