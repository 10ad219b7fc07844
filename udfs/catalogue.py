"""The catalogue: for every Excel function, its arguments, how they are read, its rule and its note.

One entry per function of the public contract (../shared/spec/functions.md). An
entry binds the cell coercion of each argument (with the Chinese label used in
messages and in the Function Wizard), the checks that need several arguments at
once, the pure rule, and the Chinese explanation for the deduction column. The
Excel-facing functions in ``functions.py`` are one line each over ``excel_score``
and ``excel_note``. Stdlib only.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable, Optional

from . import coerce, notes, rules
from .errors import VALUE, DomainError, invalid, missing, zero_denominator
from .rules import ONE, Result

CATEGORY = "绩效评价"
REQUIRED = object()


@dataclass(frozen=True)
class Param:
    name: str
    doc: str
    default: Any = REQUIRED

    @property
    def optional(self) -> bool:
        return self.default is not REQUIRED


@dataclass(frozen=True)
class NotApplicable:
    """What ``prepare`` returns when the inputs declare 不涉及: the points the indicator is worth."""

    full: Fraction


def _no_warnings(values: dict, result: Result) -> list:
    return []


@dataclass(frozen=True)
class Entry:
    name: str
    doc: str
    params: tuple[Param, ...]
    prepare: Callable[..., dict]
    rule: Callable[..., Result]
    explain: Callable[[dict, Result], str]
    output: Callable[[Result], Any] = lambda result: float(result.score)
    #: Plausibility checks: texts added to the note that never change the score.
    warnings: Callable[[dict, Result], list] = _no_warnings

    @functools.cached_property
    def defaults(self) -> tuple:
        """Each parameter's value when omitted (None for a required one), in order."""
        return tuple(None if p.default is REQUIRED else p.default for p in self.params)


def evaluate(entry: Entry, args: tuple) -> tuple[dict, Result]:
    """Coerce the arguments and apply the rule; raises DomainError.

    A sheet calls ``SCORE_X`` and ``SCORE_X_NOTE`` with the same arguments: the last few
    evaluations are remembered (rules are pure; results are not modified by callers)."""
    key = _memo_key(entry, args)
    if key is not None:
        hit = _RECENT.get(key)
        if hit is not None:
            return hit
    defaults = entry.defaults
    if len(args) != len(defaults):
        args = tuple(args[:len(defaults)]) + defaults[len(args):]
    values = entry.prepare(*args)  # prepare takes the parameters in the order of ``params``
    if isinstance(values, NotApplicable):
        result = {}, rules.not_applicable(values.full)
    else:
        result = values, entry.rule(**values)
    if key is not None:
        if len(_RECENT) >= _RECENT_SIZE:
            _RECENT.pop(next(iter(_RECENT)))
        _RECENT[key] = result
    return result


_RECENT: dict = {}
_RECENT_SIZE = 64


def _memo_key(entry: Entry, args: tuple):
    """A hashable key that tells apart every argument the rules tell apart (1, 1.0 and TRUE
    differ), ranges as nested tuples; None when an argument is something else."""
    try:
        return (entry.name, tuple(_frozen(a) for a in args))
    except TypeError:
        return None


def _frozen(a):
    t = type(a)
    if t is float or t is str or t is int or t is bool or a is None:
        return (t, a)
    if isinstance(a, (list, tuple)):
        return (list, tuple(_frozen(x) for x in a))
    raise TypeError(type(a))


def excel_score(entry: Entry, *args) -> Any:
    """The cell value: a number (or text for the grade), or an Excel error literal. Never raises."""
    try:
        _, result = evaluate(entry, args)
        return entry.output(result)
    except DomainError as error:
        return error.literal
    except Exception:  # noqa: BLE001 - a function in a cell must never raise into Excel
        return VALUE


def excel_note(entry: Entry, *args) -> str:
    """The 「扣分情况及整改情况说明」 text; the plain-Chinese reason when the score is an error."""
    try:
        values, result = evaluate(entry, args)
        if result.facts.get("not_applicable"):
            return notes.NOT_APPLICABLE
        return notes.with_warnings(entry.explain(values, result), entry.warnings(values, result))
    except DomainError as error:
        return error.reason
    except Exception:  # noqa: BLE001
        return "无法计算：输入内容无法识别，请检查各参数"


# --- shared argument readers -------------------------------------------------------


def _optional_fraction(value: Any, label: str, default: Fraction) -> Fraction:
    return default if coerce.is_blank(value) else coerce.non_negative(value, label)


def _same_size(label: str, expected: int, actual: int) -> None:
    if expected != actual:
        raise invalid(label, f"应与前一区域大小一致（{expected}个），现为{actual}个")


def _declared_not_applicable(**values) -> bool:
    """Whether these inputs (keyword → cell) declare 不涉及; labels are the keywords' Chinese names."""
    return coerce.not_applicable(values, {name: _LABELS[name] for name in values})


_LABELS = {
    "part": "分子（实际完成数）",
    "whole": "分母（计划数）",
    "actual": "实际采购金额",
    "planned": "采购计划金额",
    "in_use": "实际在用固定资产总额",
    "total": "所有固定资产总额",
    "cost_actual": "实际支出数",
    "cost_budget": "预算安排数",
    "sangong_actual": "“三公”经费实际支出数",
    "sangong_budget": "“三公”经费预算安排数",
    "daily_actual": "日常公用经费决算数",
    "daily_budget": "日常公用经费调整预算数",
}


def _range_of(value: Any, label: str) -> list:
    values = coerce.cells(value)
    if not values or (len(values) == 1 and not isinstance(value, (list, tuple)) and coerce.is_blank(value)):
        raise missing(label)
    return values


# --- generic building blocks ---------------------------------------------------------


def _prepare_checklist(items, points):
    item_cells = _range_of(items, "检查项区域")
    if coerce.is_blank(points) and not isinstance(points, (list, tuple)):
        point_values = [ONE] * len(item_cells)
    else:
        point_cells = _range_of(points, "分值区域")
        _same_size("分值区域", len(item_cells), len(point_cells))
        point_values = [coerce.non_negative(p, f"第{i}项分值") for i, p in enumerate(point_cells, 1)]
    got = [coerce.flag(v, f"第{i}项", pts) for i, (v, pts) in enumerate(zip(item_cells, point_values), 1)]
    return {"items": got, "points": point_values}


def _explain_checklist(values, result):
    findings = []
    for i, part in enumerate(result.parts, 1):
        if part.lost > 0:
            how = "不符合" if part.score == 0 else "酌情"
            findings.append(f"第{i}项{how}扣{notes.points(part.lost)}分")
    return notes.compose(["、".join(findings)], result)


CHECKLIST = Entry(
    "SCORE_CHECKLIST",
    "逐项检查计分：各项“是/否”或酌情得分之和。用于预算编制合理性、绩效指标明确性、项目实施程序、项目监管、资产管理安全性、管理制度健全性等。",
    (
        Param("items", "各检查项：是/否、√/×、TRUE/FALSE，或酌情得分（区域，行或列均可）"),
        Param("points", "各项分值（与检查项大小相同的区域，或数组常量如 {2,2,1,1,1}）；省略时每项1分", None),
    ),
    _prepare_checklist,
    rules.checklist,
    _explain_checklist,
)


def _prepare_deduct(full, count, per_item):
    return {
        "full": coerce.non_negative(full, "满分"),
        "count": coerce.count(count, "扣分项数"),
        "per_item": _optional_fraction(per_item, "每项扣分", ONE),
    }


def _explain_deduct(values, result):
    finding = f"{values['count']}项不符合要求，每项扣{notes.points(values['per_item'])}分"
    if values["count"] * values["per_item"] > values["full"]:
        finding += "，扣完为止"
    return notes.compose([finding], result)


DEDUCT = Entry(
    "SCORE_DEDUCT",
    "扣分制计分：满分减去“扣分项数×每项扣分”，扣完为止。用于预算编制规范性、绩效目标完整性、重点工作完成情况等。",
    (
        Param("full", "本指标满分，如 5"),
        Param("count", "不符合（未完成）的项数，整数"),
        Param("per_item", "每项扣分，省略时为1分", 1),
    ),
    _prepare_deduct,
    rules.deduct,
    _explain_deduct,
)


def _prepare_ratio(part, whole, full, zero_if_over):
    if _declared_not_applicable(part=part, whole=whole):
        return NotApplicable(coerce.non_negative(full, "满分"))
    values = {
        "part": coerce.non_negative(part, _LABELS["part"]),
        "whole": coerce.non_negative(whole, _LABELS["whole"]),
        "full": coerce.non_negative(full, "满分"),
        "zero_if_over": coerce.option(zero_if_over, "超出即得0分选项", False),
    }
    if values["whole"] == 0 and not (values["zero_if_over"] and values["part"] > 0):
        raise zero_denominator("分母（计划数）")
    return values


def _explain_ratio(values, result):
    if result.facts["over"] and values["zero_if_over"]:
        finding = f"实际数{notes.amount(values['part'])}大于计划数{notes.amount(values['whole'])}，本项得0分"
    else:
        finding = notes.ratio_formula("完成比率", values["part"], values["whole"], (ONE,))
    return notes.compose([finding], result)


RATIO = Entry(
    "SCORE_RATIO",
    "比率计分：min(实际/计划, 1)×满分；可选“超出即得0分”。用于项目完成及时性等。",
    (
        Param("part", "分子，如已完成项目数；本年度无此项业务填“不涉及”"),
        Param("whole", "分母，如计划完成项目总数；本年度无此项业务填“不涉及”"),
        Param("full", "本指标满分，如 6"),
        Param("zero_if_over", "TRUE 表示分子大于分母时得0分；省略为 FALSE", False),
    ),
    _prepare_ratio,
    rules.ratio,
    _explain_ratio,
)


def _prepare_tiers(value, thresholds, points, else_points):
    level = coerce.number(value, "指标值")
    threshold_values = [coerce.number(t, f"第{i}档标准") for i, t in enumerate(_range_of(thresholds, "分档标准"), 1)]
    point_cells = _range_of(points, "各档得分")
    _same_size("各档得分", len(threshold_values), len(point_cells))
    point_values = [coerce.non_negative(p, f"第{i}档得分") for i, p in enumerate(point_cells, 1)]
    if any(later > earlier for earlier, later in zip(threshold_values, threshold_values[1:])):
        raise invalid("分档标准", "应从高到低排列")
    return {
        "value": level,
        "thresholds": threshold_values,
        "points": point_values,
        "else_points": _optional_fraction(else_points, "未达任何档时的得分", Fraction(0)),
    }


def _show_level(value: Fraction, thresholds: list, fixed: bool = True) -> str:
    return notes.percent(value, fixed=fixed) if max(thresholds) <= 1 else notes.amount(value)


def _explain_tiers(values, result):
    shown = _show_level(values["value"], values["thresholds"])
    reached = result.facts["threshold"]
    tier = f"达到“≥{_show_level(reached, values['thresholds'], fixed=False)}”档" if reached is not None else "未达到最低档"
    return notes.compose([f"指标值为{shown}，{tier}"], result)


TIERS = Entry(
    "SCORE_TIERS",
    "分档计分：指标值达到的第一档（分档标准从高到低）的得分，均未达到时得“其他得分”。",
    (
        Param("value", "指标值，如 92% 或 0.92"),
        Param("thresholds", "分档标准，从高到低，如 {0.9,0.75,0.6}"),
        Param("points", "各档得分，如 {1,0.7,0.4}"),
        Param("else_points", "均未达到时的得分，省略为0", 0),
    ),
    _prepare_tiers,
    rules.tiers,
    _explain_tiers,
)


def _explain_grade(values, result):
    grade = rules.grade(values["total"])
    return f"总得分{notes.points(values['total'])}分，评价等级为“{grade}”（优≥90，良≥80，中≥60，差<60）"


GRADE = Entry(
    "SCORE_GRADE",
    "评价等级：总得分≥90为“优”，≥80为“良”，≥60为“中”，<60为“差”。",
    (Param("total", "总得分"),),
    lambda total: {"total": coerce.non_negative(total, "总得分")},
    lambda total: Result(total, total, (), {"grade": rules.grade(total)}),
    _explain_grade,
    output=lambda result: result.facts["grade"],
)


# --- indicator functions (龙岗区 2020 revision) -------------------------------------------


PROCUREMENT_FULL = Fraction(2)


def _prepare_procurement(actual, planned, policy):
    if _declared_not_applicable(actual=actual, planned=planned):
        return NotApplicable(PROCUREMENT_FULL)
    values = {
        "actual": coerce.amount(actual, _LABELS["actual"]),
        "planned": coerce.amount(planned, _LABELS["planned"]),
        "policy": ONE if coerce.is_blank(policy) else coerce.flag(policy, "政府采购政策功能落实情况", ONE),
    }
    if values["planned"] == 0 and values["actual"] == 0:
        raise zero_denominator("采购计划金额", "和实际采购金额均为0，执行率无法计算；如本年度无政府采购预算，请在两个金额单元格填写“不涉及”")
    return values


def _explain_procurement(values, result):
    execution, policy = result.parts
    findings = []
    if execution.lost > 0:
        if result.facts["over"]:
            findings.append(
                (f"实际采购金额{notes.amount(values['actual'])}大于采购计划金额{notes.amount(values['planned'])}，执行率得0分", execution.lost)
            )
        else:
            findings.append((notes.ratio_formula("政府采购执行率", values["actual"], values["planned"], (ONE,)), execution.lost))
    if policy.lost > 0:
        findings.append(("政府采购政策功能落实不到位", policy.lost))
    return notes.compose(findings, result)


PROCUREMENT = Entry(
    "SCORE_PROCUREMENT",
    "政府采购执行情况（2分）：政府采购执行率×1分（实际采购金额大于计划金额得0分）+ 政府采购政策功能落实情况（1分）。",
    (
        Param("actual", "实际采购金额合计数（元，也可写 1.48万）；本年度无政府采购填“不涉及”"),
        Param("planned", "采购计划金额合计数（元）；本年度无政府采购填“不涉及”"),
        Param("policy", "政府采购政策功能落实情况：是/否，或酌情得分0～1；省略为落实到位（1分）", 1),
    ),
    _prepare_procurement,
    rules.procurement,
    _explain_procurement,
)


def _prepare_fin_compliance(payment_ok, adjusted, budget, accounting_ok, violation):
    values = {
        "payment": coerce.flag(payment_ok, "资金支出规范性", ONE),
        "adjusted": coerce.amount(adjusted, "调整、调剂资金累计数"),
        "budget": coerce.amount(budget, "部门预算总规模"),
        "accounting": coerce.flag(accounting_ok, "会计核算规范性", ONE),
        "violation": coerce.option(violation, "是否发生违规支出", False),
    }
    if values["budget"] == 0:
        raise zero_denominator("部门预算总规模")
    return values


def _explain_fin_compliance(values, result):
    if values["violation"]:
        return notes.compose(["发生超范围、超标准支出，虚列支出，截留、挤占、挪用资金或其他不符合制度规定的支出，本项指标得0分"], result)
    payment, adjustment, accounting = result.parts
    findings = []
    if payment.lost > 0:
        findings.append(("资金支出规范性不完全符合规定", payment.lost))
    if adjustment.lost > 0:
        formula = notes.ratio_formula("资金调整、调剂率", values["adjusted"], values["budget"], (rules.ADJUSTMENT_ALLOWANCE,))
        findings.append((f"{formula}，超出10%", adjustment.lost))
    if accounting.lost > 0:
        findings.append(("会计核算不完全规范", accounting.lost))
    return notes.compose(findings, result)


FIN_COMPLIANCE = Entry(
    "SCORE_FIN_COMPLIANCE",
    "财务合规性（3分）：资金支出规范性（1分）+ 资金调整、调剂规范性（1分，调整调剂在预算总规模10%以内得满分，每超1个百分点扣0.1分）+ 会计核算规范性（1分）；发生违规支出本项得0分。",
    (
        Param("payment_ok", "资金支出规范性：是/否，或酌情得分0～1"),
        Param("adjusted", "调整、调剂资金累计数（元）"),
        Param("budget", "本单位部门预算总规模（元）"),
        Param("accounting_ok", "会计核算规范性：是/否，或酌情得分0～1"),
        Param("violation", "是否发生超范围、超标准、虚列、截留、挤占、挪用等违规支出：是/否；省略为否", False),
    ),
    _prepare_fin_compliance,
    rules.fin_compliance,
    _explain_fin_compliance,
)


def _prepare_disclosure(budget_status, final_status, exempt):
    exempt_value = coerce.option(exempt, "是否为涉密部门", False)
    if exempt_value:
        return {"budget_level": 2, "final_level": 2, "exempt": True}
    return {
        "budget_level": coerce.status(budget_status, "部门预算公开情况"),
        "final_level": coerce.status(final_status, "部门决算公开情况"),
        "exempt": False,
    }


_DISCLOSURE_FINDINGS = {1: "进行了公开，但存在不符合时限、内容、范围等要求的情况", 0: "未公开"}


def _explain_disclosure(values, result):
    findings = [
        (f"部门{what}{_DISCLOSURE_FINDINGS[level]}", part.lost)
        for what, level, part in zip(("预算", "决算"), (values["budget_level"], values["final_level"]), result.parts)
        if part.lost > 0
    ]
    return notes.compose(findings, result)


DISCLOSURE = Entry(
    "SCORE_DISCLOSURE",
    "预决算信息公开（3分）：部门预算公开、部门决算公开各1.5分；按规定公开得1.5分，公开但不符合要求得1分，未公开得0分；涉密部门直接得分。",
    (
        Param("budget_status", "部门预算公开情况：按规定公开 / 公开但不符合要求 / 未公开（或 2/1/0）"),
        Param("final_status", "部门决算公开情况：按规定公开 / 公开但不符合要求 / 未公开（或 2/1/0）"),
        Param("exempt", "是否为按规定不需公开的涉密部门：是/否；省略为否", False),
    ),
    _prepare_disclosure,
    rules.disclosure,
    _explain_disclosure,
)


ASSET_UTILIZATION_FULL = Fraction(1)


def _prepare_asset_utilization(in_use, total):
    if _declared_not_applicable(in_use=in_use, total=total):
        return NotApplicable(ASSET_UTILIZATION_FULL)
    values = {"in_use": coerce.amount(in_use, _LABELS["in_use"]), "total": coerce.amount(total, _LABELS["total"])}
    if values["total"] == 0:
        raise zero_denominator("所有固定资产总额", "为0，无法计算利用率；如本单位没有固定资产，请在两个金额单元格填写“不涉及”")
    if values["in_use"] > values["total"]:
        raise invalid("实际在用固定资产总额", "不能大于所有固定资产总额")
    return values


ASSET_UTILIZATION = Entry(
    "SCORE_ASSET_UTILIZATION",
    "固定资产利用率（1分）：利用率≥90%得1分，75%～90%得0.7分，60%～75%得0.4分，<60%得0分。",
    (Param("in_use", "实际在用固定资产总额（元）；没有固定资产填“不涉及”"), Param("total", "所有固定资产总额（元）；没有固定资产填“不涉及”")),
    _prepare_asset_utilization,
    rules.asset_utilization,
    lambda values, result: notes.compose(
        [notes.ratio_formula("固定资产利用率", values["in_use"], values["total"], [t for t, _ in rules.ASSET_TIERS])], result
    ),
)


def _prepare_staff_control(in_post, authorized, full, per_point_over):
    values = {
        "in_post": coerce.count(in_post, "本年度在编人数"),
        "authorized": coerce.count(authorized, "核定编制数"),
        "full": _optional_fraction(full, "满分", ONE),
        "per_point_over": None if coerce.is_blank(per_point_over) else coerce.non_negative(per_point_over, "每超1个百分点扣分"),
    }
    if values["authorized"] == 0:
        raise zero_denominator("核定编制数")
    return values


def _explain_staff_control(values, result):
    finding = notes.ratio_formula("财政供养人员控制率", Fraction(values["in_post"]), Fraction(values["authorized"]), (ONE,))
    rule = "超过100%" if values["per_point_over"] is None else f"超过100%，每超1个百分点扣{notes.points(values['per_point_over'])}分"
    return notes.compose([f"{finding}，{rule}"], result)


STAFF_CONTROL = Entry(
    "SCORE_STAFF_CONTROL",
    "财政供养人员控制率（1分）：本年度在编人数/核定编制数（均含工勤人员）≤100%得1分，>100%得0分；可选按每超1个百分点扣分（部分地区口径）。",
    (
        Param("in_post", "本年度在编人数（含工勤人员）"),
        Param("authorized", "核定编制数（含工勤人员）"),
        Param("full", "满分，省略为1分", 1),
        Param("per_point_over", "可选：超过100%时每超1个百分点扣的分数；省略为超过即得0分", None),
    ),
    _prepare_staff_control,
    rules.staff_control,
    _explain_staff_control,
)


def _prepare_contract_staff(contract, established):
    values = {"contract": coerce.count(contract, "编外人员数"), "established": coerce.count(established, "在编人数")}
    if values["contract"] + values["established"] == 0:
        raise zero_denominator("在职人员总数（在编+编外）")
    return values


def _explain_contract_staff(values, result):
    c, e = values["contract"], values["established"]
    rate = Fraction(c, c + e)
    shown = notes.percent(rate, boundaries=rules.CONTRACT_STAFF_BOUNDS)
    return notes.compose([f"编外人员控制率={c}/（{e}+{c}）×100%={shown}"], result)


CONTRACT_STAFF = Entry(
    "SCORE_CONTRACT_STAFF",
    "编外人员控制率（1分）：编外人员/（在编+编外）<5%得1分，5%～10%（含）得0.5分，>10%得0分。",
    (Param("contract", "本年度使用劳务派遣人员数量（含直接聘用的编外人员）"), Param("established", "在编人数")),
    _prepare_contract_staff,
    rules.contract_staff,
    _explain_contract_staff,
)


def _cost_control_finding(name: str, actual: Fraction, budget: Fraction) -> str:
    if budget == 0:
        return f"{name}：预算安排数为0，实际支出{notes.amount(actual)}"
    return notes.ratio_formula(name, actual, budget, rules.COST_CONTROL_BOUNDS)


def _prepare_cost_control(actual, budget, full):
    full_points = _optional_fraction(full, "满分", rules.COST_CONTROL_FULL)
    if _declared_not_applicable(cost_actual=actual, cost_budget=budget):
        return NotApplicable(full_points)
    return {
        "actual": coerce.amount(actual, _LABELS["cost_actual"]),
        "budget": coerce.amount(budget, _LABELS["cost_budget"]),
        "full": full_points,
    }


COST_CONTROL = Entry(
    "SCORE_COST_CONTROL",
    "经费控制率（默认3分）：实际支出/预算<90%得满分，90%～100%（含）得满分的2/3（即2分），>100%得0分；预算为0时未支出得满分、有支出得0分。",
    (
        Param("actual", "实际支出数（元）；本年度无此项经费填“不涉及”"),
        Param("budget", "预算安排数（元）"),
        Param("full", "满分，省略为3分", 3),
    ),
    _prepare_cost_control,
    rules.cost_control,
    lambda values, result: notes.compose(
        [_cost_control_finding("控制率", values["actual"], values["budget"])], result
    ),
)


def _prepare_public_funds(sangong_actual, sangong_budget, daily_actual, daily_budget):
    cells = {"sangong_actual": sangong_actual, "sangong_budget": sangong_budget, "daily_actual": daily_actual, "daily_budget": daily_budget}
    sangong_na = _declared_not_applicable(sangong_actual=sangong_actual, sangong_budget=sangong_budget)
    daily_na = _declared_not_applicable(daily_actual=daily_actual, daily_budget=daily_budget)
    if sangong_na and daily_na:
        return NotApplicable(rules.COST_CONTROL_FULL * 2)
    skipped = {"sangong_actual", "sangong_budget"} if sangong_na else {"daily_actual", "daily_budget"} if daily_na else set()
    return {name: None if name in skipped else coerce.amount(value, _LABELS[name]) for name, value in cells.items()}


_PUBLIC_FUNDS_PARTS = {"sangong": "“三公”经费", "daily": "日常公用经费"}


def _explain_public_funds(values, result):
    sangong, daily = result.parts
    findings = [
        (f"{_PUBLIC_FUNDS_PARTS[key]}{notes.NOT_APPLICABLE}", None)
        for key in _PUBLIC_FUNDS_PARTS
        if values[f"{key}_budget"] is None
    ]
    if result.score >= result.full:
        return "；".join(text for text, _ in findings)
    if sangong.lost > 0:
        findings.append((_cost_control_finding("“三公”经费控制率", values["sangong_actual"], values["sangong_budget"]), sangong.lost))
    if daily.lost > 0:
        findings.append((_cost_control_finding("日常公用经费控制率", values["daily_actual"], values["daily_budget"]), daily.lost))
    return notes.compose(findings, result)


PUBLIC_FUNDS = Entry(
    "SCORE_PUBLIC_FUNDS",
    "公用经费控制率（6分）：“三公”经费控制率（3分）+ 日常公用经费控制率（3分），各自<90%得3分，90%～100%（含）得2分，>100%得0分。",
    (
        Param("sangong_actual", "“三公”经费实际支出数（元）；无“三公”经费填“不涉及”"),
        Param("sangong_budget", "“三公”经费预算安排数（元）"),
        Param("daily_actual", "日常公用经费决算数（元）；无日常公用经费填“不涉及”"),
        Param("daily_budget", "日常公用经费调整预算数（元）"),
    ),
    _prepare_public_funds,
    rules.public_funds,
    _explain_public_funds,
)


_QUARTER_NAMES = ("一", "二", "三", "四")


def _prepare_quarterly(quarter_spending, budget, cumulative):
    spending = _range_of(quarter_spending, "季度支出")
    if len(spending) != rules.QUARTERS:
        raise invalid("季度支出区域", f"应为4个季度的金额（4个单元格），现为{len(spending)}个")
    values = {
        "spending": [coerce.amount(v, f"{_QUARTER_NAMES[i]}季度支出") for i, v in enumerate(spending)],
        "budget": coerce.amount(budget, "全年预算数"),
        "cumulative": coerce.option(cumulative, "累计数选项", False),
    }
    if values["budget"] == 0:
        raise zero_denominator("全年预算数")
    return values


def _explain_quarterly(values, result):
    findings = []
    cumulative_amounts = result.facts["cumulative_amounts"]
    for i, part in enumerate(result.parts[: rules.QUARTERS]):
        if part.lost > 0:
            pace = Fraction(i + 1, rules.QUARTERS)
            formula = notes.ratio_formula(f"{_QUARTER_NAMES[i]}季度累计支出进度", cumulative_amounts[i], values["budget"], (pace,))
            findings.append((f"{formula}，低于序时进度{25 * (i + 1)}%", part.lost))
    year = result.parts[-1]
    if year.lost > 0:
        findings.append((f"全年平均执行率={notes.percent(year.rate, boundaries=(ONE,))}，全年平均支出进度得{notes.points(year.score)}分", year.lost))
    return notes.compose(findings, result)


#: Spending above this share of the budget is worth a second look (it never changes the score).
WELL_ABOVE_BUDGET = Fraction(110, 100)


def _warn_quarterly(values, result):
    spending, budget = values["spending"], values["budget"]
    warnings = []
    if values["cumulative"]:
        for i in range(1, rules.QUARTERS):
            if spending[i] < spending[i - 1]:
                warnings.append(
                    f"{_QUARTER_NAMES[i]}季度末累计数小于{_QUARTER_NAMES[i - 1]}季度末累计数，累计数应逐季不减少，请核对是否填写了当季支出（如是，请将“累计数”选为“否”）"
                )
                break
    elif rules.exact_sum(spending) > budget:
        warnings.append(
            f"四个季度支出合计{notes.amount(rules.exact_sum(spending))}元，超过全年预算数{notes.amount(budget)}元，"
            "请核对是否填写了季度末累计数（如是，请将“累计数”选为“是”）"
        )
        return warnings
    year = result.facts["cumulative_amounts"][-1]
    if year > budget * WELL_ABOVE_BUDGET:
        warnings.append(f"全年支出{notes.amount(year)}元，为全年预算数的{notes.percent(year / budget)}，明显超过预算，请核对")
    return warnings


QUARTERLY = Entry(
    "SCORE_QUARTERLY",
    "预算执行率（6分）：每季度（累计支出/全年预算）÷序时进度（25%、50%、75%、100%）×1分，最高1分；全年平均执行率×2分，最高2分。",
    (
        Param("quarter_spending", "一至四季度支出额（4个单元格，行或列）；如为季度末累计数，请将第三个参数设为 TRUE"),
        Param("budget", "全年预算数（元）"),
        Param("cumulative", "TRUE 表示填写的是季度末累计支出数；省略为 FALSE（各季度当季支出）", False),
    ),
    _prepare_quarterly,
    rules.quarterly,
    _explain_quarterly,
    warnings=_warn_quarterly,
)


def _prepare_targets(actuals, targets, weights, full, directions):
    actual_cells = _range_of(actuals, "实际值区域")
    target_cells = _range_of(targets, "目标值区域")
    _same_size("目标值区域", len(actual_cells), len(target_cells))
    weight_cells = [None] * len(actual_cells) if coerce.is_blank(weights) and not isinstance(weights, (list, tuple)) else _range_of(weights, "权重区域")
    _same_size("权重区域", len(actual_cells), len(weight_cells))
    direction_cells = [None] * len(actual_cells) if coerce.is_blank(directions) and not isinstance(directions, (list, tuple)) else _range_of(directions, "方向区域")
    _same_size("方向区域", len(actual_cells), len(direction_cells))
    rows = {"actuals": [], "goals": [], "weights": [], "directions": []}
    for i, (a, t, w, d) in enumerate(zip(actual_cells, target_cells, weight_cells, direction_cells), 1):
        if coerce.is_blank(a) and coerce.is_blank(t):
            continue  # an unused row of the targets table
        goal = coerce.non_negative(t, f"第{i}项目标值")
        way = coerce.direction(d, f"第{i}项方向")
        if goal == 0 and way == rules.AT_LEAST:
            raise zero_denominator(f"第{i}项目标值", "为0，无法计算完成率")
        rows["actuals"].append(coerce.non_negative(a, f"第{i}项实际值"))
        rows["goals"].append(goal)
        rows["weights"].append(_optional_fraction(w, f"第{i}项权重", ONE))
        rows["directions"].append(way)
    if not rows["actuals"]:
        raise missing("绩效目标（实际值和目标值）")
    if sum(rows["weights"]) == 0:
        raise invalid("权重", "合计不能为0")
    return {**rows, "full": _optional_fraction(full, "满分", Fraction(20))}


def _explain_targets(values, result):
    findings = [f"第{i}项目标完成率={notes.percent(part.rate)}" for i, part in enumerate(result.parts, 1) if part.rate < 1]
    return notes.compose(["、".join(findings)], result)


#: An actual and a target this many times apart, one of them at most 1: a percentage and a fraction mixed.
MIXED_SCALE_FACTOR = 50


def _warn_targets(values, result):
    rows = zip(values["actuals"], values["goals"])
    mixed = [
        str(i)
        for i, (actual, goal) in enumerate(rows, 1)
        if actual > 0 and goal > 0 and min(actual, goal) <= 1 < max(actual, goal)
        and max(actual, goal) >= MIXED_SCALE_FACTOR * min(actual, goal)
    ]
    if not mixed:
        return []
    return [f"第{'、'.join(mixed)}项的实际值与目标值相差{MIXED_SCALE_FACTOR}倍以上，请核对是否一项填了百分数（如95），另一项填了小数（如0.95）"]


TARGETS = Entry(
    "SCORE_TARGETS",
    "社会、经济、生态效益（20分）：各绩效目标完成率 min(实际/目标, 1)（“≤”类目标为 min(目标/实际, 1)）的加权平均×满分；空行不计。",
    (
        Param("actuals", "各目标实际值（区域）"),
        Param("targets", "各目标目标值（与实际值同样大小的区域）"),
        Param("weights", "各目标权重（区域）；省略为等权", None),
        Param("full", "满分，省略为20分", 20),
        Param("directions", "各目标方向：≥（越大越好，默认）或 ≤（越小越好）（区域）", None),
    ),
    _prepare_targets,
    rules.targets,
    _explain_targets,
    warnings=_warn_targets,
)


def _prepare_petitions(has_channel, received, replied, replied_on_time):
    values = {
        "channel": coerce.flag(has_channel, "群众意见反映渠道和办理回复机制", ONE),
        "received": coerce.count(received, "信访受理件数"),
        "replied": coerce.count(replied, "已办理回复件数"),
        "on_time": coerce.count(replied_on_time, "按期办理回复件数"),
    }
    if values["replied"] > values["received"]:
        raise invalid("已办理回复件数", "不能大于信访受理件数")
    if values["on_time"] > values["replied"]:
        raise invalid("按期办理回复件数", "不能大于已办理回复件数")
    return values


def _explain_petitions(values, result):
    channel, replied, on_time = result.parts
    findings = []
    if channel.lost > 0:
        findings.append(("群众意见反映渠道和办理回复机制不健全", channel.lost))
    received = Fraction(values["received"])
    if replied.lost > 0:
        findings.append((f"{notes.ratio_formula('信访办理回复率', Fraction(values['replied']), received)}，未达100%", replied.lost))
    if on_time.lost > 0:
        findings.append((f"{notes.ratio_formula('信访及时办理回复率', Fraction(values['on_time']), received)}，未达100%", on_time.lost))
    return notes.compose(findings, result)


PETITIONS = Entry(
    "SCORE_PETITIONS",
    "群众信访办理情况（3分）：建立群众意见反映渠道和办理回复机制（1分）+ 办理回复率达100%（1分）+ 及时办理回复率达100%（1分）；当年无信访的两项比率视为达标。",
    (
        Param("has_channel", "是否建立便利的群众意见反映渠道和办理回复机制：是/否，或酌情得分0～1"),
        Param("received", "当年度受理的群众信访件数"),
        Param("replied", "已办理回复件数"),
        Param("replied_on_time", "按期（未超期）办理回复件数"),
    ),
    _prepare_petitions,
    rules.petitions,
    _explain_petitions,
)


def _percent_typed_small(label: str, rate: Fraction) -> str:
    """A rate under 1% is most likely a fraction typed with a percent sign ("0.95%" for 95%)."""
    if 0 < rate < PERCENT_TYPO_BELOW:
        return f"{label}为{notes.percent(rate)}，如实际为{notes.percent(rate * 100, fixed=False)}，请填写“{notes.percent(rate * 100, fixed=False)}”或{notes.points(rate * 100)}"
    return ""


PERCENT_TYPO_BELOW = Fraction(1, 100)


def _prepare_satisfaction(rate):
    value = coerce.rate(rate, "满意度")
    if value > 1:
        raise invalid("满意度", "不能超过100%")
    return {"rate": value}


SATISFACTION = Entry(
    "SCORE_SATISFACTION",
    "公众或服务对象满意度（6分）：≥95%得6分，90%～95%得4分，80%～90%得2分，<80%得1分。",
    (Param("rate", "满意度，如 96% 或 0.96"),),
    _prepare_satisfaction,
    rules.satisfaction,
    lambda values, result: notes.compose(
        [f"满意度为{notes.percent(values['rate'], boundaries=[t for t, _ in rules.SATISFACTION_TIERS])}"], result
    ),
    warnings=lambda values, result: [_percent_typed_small("满意度", values["rate"])],
)


ENTRIES: tuple[Entry, ...] = (
    CHECKLIST,
    DEDUCT,
    RATIO,
    TIERS,
    GRADE,
    PROCUREMENT,
    FIN_COMPLIANCE,
    DISCLOSURE,
    ASSET_UTILIZATION,
    STAFF_CONTROL,
    CONTRACT_STAFF,
    PUBLIC_FUNDS,
    COST_CONTROL,
    QUARTERLY,
    TARGETS,
    PETITIONS,
    SATISFACTION,
)


def entry_named(name: str) -> Optional[Entry]:
    return next((e for e in ENTRIES if e.name == name), None)
