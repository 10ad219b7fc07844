"""Native translations of SCORE_PROCUREMENT, SCORE_FIN_COMPLIANCE and SCORE_ASSET_UTILIZATION
(``udfs.catalogue``).

Amounts are integers of 分 (a, b below 100亿元 = 1e12 分), so every step is exact in a double:
* procurement's execution rate truncate(a/b) = floor(100·a / b) hundredths (100·a < 1e14),
  0 when a > b; the policy item truncate(policy) in hundredths (``general.hundredths_of``);
* the adjustment item (full within 10% of the budget, −0.1 per percentage point over, in
  proportion) is truncate(max(0, 1 − 10·(a/b − 0.1))) = truncate(max(0, 2 − 10·a/b)), i.e.
  min(100, max(0, 200 − ⌈1000·a/b⌉)) hundredths; ⌈1000·a/b⌉ from ``arith.long_division`` of
  100·a by b to one more digit (no product reaches 1e14);
* the asset tiers compare a/b ≥ t as a·t.denominator ≥ b·t.numerator (t = 90%, 75%, 60%).
"""
from __future__ import annotations

from typing import Sequence

from udfs import catalogue, notes, rules

from .. import arith, coercion, text
from ..program import ERROR_CODES, Coerced, NativeArg, Outcome, Program, literal, text_literal
from . import translation
from .general import finish, hundredths_of, padded

ONE = rules.ONE


def _policy(p: Program, arg: NativeArg) -> Coerced:
    """_prepare_procurement's policy: 1 point when blank, else a yes/no item worth 1."""
    blank = coercion.is_blank(p, arg)
    if blank == "TRUE":
        return Coerced.constant(ONE)
    given = coercion.flag(p, arg, "政府采购政策功能落实情况", ONE)
    if blank == "FALSE":
        return given
    return Coerced(p.cell(f"IF({blank},1,{given.value})", "policy points"), p.cell(f"IF({blank},0,{given.code})", "policy error code"),
                   p.cell(f'IF({blank},"",{given.reason})', "policy reason"))


@translation("SCORE_PROCUREMENT")
def procurement(p: Program, args: Sequence[NativeArg]) -> Outcome:
    actual_arg, planned_arg, policy_arg = padded(args, 3)
    labels = catalogue._LABELS
    declared = coercion.declared_not_applicable(p, {"actual": actual_arg, "planned": planned_arg},
                                                {"actual": labels["actual"], "planned": labels["planned"]})
    actual = coercion.amount(p, actual_arg, labels["actual"])
    planned = coercion.amount(p, planned_arg, labels["planned"])
    policy = _policy(p, policy_arg)
    na = declared.value
    a = p.cell(arith.cents(actual.value), "actual in 分")
    b = p.cell(arith.cents(planned.value), "planned in 分")
    code, reason = p.first_error([
        (f"{declared.code}<>0", declared.code, declared.reason),
        (na, "0", '""'),
        *[(f"{c.code}<>0", c.code, c.reason) for c in (actual, planned, policy) if c.code != "0"],
        (f"AND({a}=0,{b}=0)", str(ERROR_CODES["#DIV/0!"]),
         text_literal("采购计划金额和实际采购金额均为0，执行率无法计算；如本年度无政府采购预算，请在两个金额单元格填写“不涉及”")),
    ], "SCORE_PROCUREMENT")
    over = p.cell(f"{a}>{b}", "over plan")
    execution = p.cell(f"IF({over},0,{arith.floor_div(p, f'100*{a}', f'MAX(1,{b})', 'execution in hundredths')})", "execution")
    policy_h = hundredths_of(p, policy.value, "policy")
    score = p.cell(f"IF({na},{literal(catalogue.PROCUREMENT_FULL)},({execution}+{policy_h})/100)", "score")
    over_text = f'"实际采购金额"&{text.amount(p, actual.value)}&"大于采购计划金额"&{text.amount(p, planned.value)}&"，执行率得0分"'
    rate_text = text.ratio_formula(p, "政府采购执行率", actual.value, planned.value, a, f"MAX(1,{b})", (ONE,))
    findings = [
        (f"{execution}<100", p.cell(f"IF({over},{over_text},{rate_text})", "execution finding"), p.cell(f"(100-{execution})/100", "execution lost")),
        (f"{policy_h}<100", text_literal("政府采购政策功能落实不到位"), p.cell(f"(100-{policy_h})/100", "policy lost")),
    ]
    composed = text.compose(p, findings, score, literal(catalogue.PROCUREMENT_FULL))
    note = p.cell(f"IF({na},{text_literal(notes.NOT_APPLICABLE)},{composed})", "note")
    return finish(p, "SCORE_PROCUREMENT", code, score, note, reason)


@translation("SCORE_ASSET_UTILIZATION")
def asset_utilization(p: Program, args: Sequence[NativeArg]) -> Outcome:
    in_use_arg, total_arg = padded(args, 2)
    labels = catalogue._LABELS
    declared = coercion.declared_not_applicable(p, {"in_use": in_use_arg, "total": total_arg},
                                                {"in_use": labels["in_use"], "total": labels["total"]})
    in_use = coercion.amount(p, in_use_arg, labels["in_use"])
    total = coercion.amount(p, total_arg, labels["total"])
    na = declared.value
    a = p.cell(arith.cents(in_use.value), "in use in 分")
    b = p.cell(arith.cents(total.value), "total in 分")
    code, reason = p.first_error([
        (f"{declared.code}<>0", declared.code, declared.reason),
        (na, "0", '""'),
        *[(f"{c.code}<>0", c.code, c.reason) for c in (in_use, total) if c.code != "0"],
        (f"{b}=0", str(ERROR_CODES["#DIV/0!"]), text_literal("所有固定资产总额为0，无法计算利用率；如本单位没有固定资产，请在两个金额单元格填写“不涉及”")),
        (f"{a}>{b}", str(ERROR_CODES["#VALUE!"]), text_literal("实际在用固定资产总额不能大于所有固定资产总额")),
    ], "SCORE_ASSET_UTILIZATION")
    chain = "".join(f"IF({a}*{t.denominator}>={b}*{t.numerator},{literal(rules.truncate(pts))}," for t, pts in rules.ASSET_TIERS)
    tier = p.cell(chain + "0" + ")" * len(rules.ASSET_TIERS), "tier points")
    full = literal(max(pts for _, pts in rules.ASSET_TIERS))
    score = p.cell(f"IF({na},{literal(catalogue.ASSET_UTILIZATION_FULL)},{tier})", "score")
    formula = text.ratio_formula(p, "固定资产利用率", in_use.value, total.value, a, f"MAX(1,{b})", [t for t, _ in rules.ASSET_TIERS])
    composed = text.compose(p, [("TRUE", formula, None)], score, full)
    note = p.cell(f"IF({na},{text_literal(notes.NOT_APPLICABLE)},{composed})", "note")
    return finish(p, "SCORE_ASSET_UTILIZATION", code, score, note, reason)


@translation("SCORE_FIN_COMPLIANCE")
def fin_compliance(p: Program, args: Sequence[NativeArg]) -> Outcome:
    payment_arg, adjusted_arg, budget_arg, accounting_arg, violation_arg = padded(args, 5)
    payment = coercion.flag(p, payment_arg, "资金支出规范性", ONE)
    adjusted = coercion.amount(p, adjusted_arg, "调整、调剂资金累计数")
    budget = coercion.amount(p, budget_arg, "部门预算总规模")
    accounting = coercion.flag(p, accounting_arg, "会计核算规范性", ONE)
    violation = coercion.option(p, violation_arg, "是否发生违规支出", False)
    a = p.cell(arith.cents(adjusted.value), "adjusted in 分")
    b = p.cell(arith.cents(budget.value), "budget in 分")
    code, reason = p.coerced_error([payment, adjusted, budget, accounting, violation], [
        (f"{b}=0", str(ERROR_CODES["#DIV/0!"]), text_literal("部门预算总规模为0，无法计算比率")),
    ], "SCORE_FIN_COMPLIANCE")
    thousandths, remainder = arith.long_division(p, f"100*{a}", f"MAX(1,{b})", 1, "1000·a/b")
    adjustment = p.cell(f"MIN(100,MAX(0,200-({thousandths}+({remainder}>0))))", "adjustment in hundredths")
    payment_h = hundredths_of(p, payment.value, "payment")
    accounting_h = hundredths_of(p, accounting.value, "accounting")
    score = p.cell(f"IF({violation.value},0,({payment_h}+{adjustment}+{accounting_h})/100)", "score")
    full = "3"
    rate_text = text.ratio_formula(p, "资金调整、调剂率", adjusted.value, budget.value, a, f"MAX(1,{b})", (rules.ADJUSTMENT_ALLOWANCE,))
    findings = [
        (f"{payment_h}<100", text_literal("资金支出规范性不完全符合规定"), p.cell(f"(100-{payment_h})/100", "payment lost")),
        (f"{adjustment}<100", p.cell(f'{rate_text}&"，超出10%"', "adjustment finding"), p.cell(f"(100-{adjustment})/100", "adjustment lost")),
        (f"{accounting_h}<100", text_literal("会计核算不完全规范"), p.cell(f"(100-{accounting_h})/100", "accounting lost")),
    ]
    violated = text.compose(p, [("TRUE", text_literal(
        "发生超范围、超标准支出，虚列支出，截留、挤占、挪用资金或其他不符合制度规定的支出，本项指标得0分"), None)], score, full)
    note = p.cell(f"IF({violation.value},{violated},{text.compose(p, findings, score, full)})", "note")
    return finish(p, "SCORE_FIN_COMPLIANCE", code, score, note, reason)
