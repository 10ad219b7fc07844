"""The Excel functions, under the names finance staff type (the public contract).

Each function is one line over the catalogue so that its signature is real Python
(xlwings reads argument names and defaults from it) and readable in the Function
Wizard. They never raise and never return NaN: a score that cannot be computed
comes back as "#N/A", "#VALUE!" or "#DIV/0!", and the ``_NOTE`` companion says why.

xlwings metadata (``@xw.func(category="绩效评价")`` and ``@xw.arg(doc=…)``) is applied
when xlwings is already loaded – as it is in the classic COM server, in xlwings
Server and in xlwings Lite – so that importing ``udfs`` elsewhere (the headless
engine, Pyodide) does not pull in xlwings and, through it, pandas and numpy.
No parameter is named ``caller`` and no parameter has a type hint: xlwings gives
both a meaning of their own.
"""
import inspect
import sys

from . import catalogue as c
from .catalogue import CATEGORY, REQUIRED, Entry

#: Excel name → function, for the headless engine and the docs (notes included).
CATALOGUE = {}


def _check_signature(function, entry):
    expected = [(p.name, p.default) for p in entry.params]
    actual = [
        (p.name, REQUIRED if p.default is inspect.Parameter.empty else p.default)
        for p in inspect.signature(function).parameters.values()
    ]
    if actual != expected:
        raise TypeError(f"{function.__name__}: signature {actual} does not match the catalogue {expected}")


def _register(function, entry, doc):
    _check_signature(function, entry)
    function.__doc__ = doc
    function.__catalogue__ = entry
    xlwings = sys.modules.get("xlwings")
    if xlwings is not None and hasattr(xlwings, "func") and hasattr(xlwings, "arg"):
        function = xlwings.func(category=CATEGORY)(function)
        for param in entry.params:
            function = xlwings.arg(param.name, doc=param.doc)(function)
    CATALOGUE[function.__name__] = function
    return function


def excel_function(entry: Entry):
    """Marks the Excel function that returns ``entry``'s score."""

    def decorate(function):
        if function.__name__ != entry.name:
            raise TypeError(f"{function.__name__} is registered as {entry.name}")
        return _register(function, entry, entry.doc)

    return decorate


def excel_note(entry: Entry):
    """Marks the ``_NOTE`` companion that explains ``entry``'s score in Chinese."""

    def decorate(function):
        if function.__name__ != entry.name + "_NOTE":
            raise TypeError(f"{function.__name__} is not the note of {entry.name}")
        doc = f"{entry.name} 的扣分情况说明（用于「扣分情况及整改情况说明」栏）：满分时为空；无法计算时说明原因。"
        return _register(function, entry, doc)

    return decorate


# --- generic building blocks ---------------------------------------------------------


@excel_function(c.CHECKLIST)
def SCORE_CHECKLIST(items, points=None):
    return c.excel_score(c.CHECKLIST, items, points)


@excel_note(c.CHECKLIST)
def SCORE_CHECKLIST_NOTE(items, points=None):
    return c.excel_note(c.CHECKLIST, items, points)


@excel_function(c.DEDUCT)
def SCORE_DEDUCT(full, count, per_item=1):
    return c.excel_score(c.DEDUCT, full, count, per_item)


@excel_note(c.DEDUCT)
def SCORE_DEDUCT_NOTE(full, count, per_item=1):
    return c.excel_note(c.DEDUCT, full, count, per_item)


@excel_function(c.RATIO)
def SCORE_RATIO(part, whole, full, zero_if_over=False):
    return c.excel_score(c.RATIO, part, whole, full, zero_if_over)


@excel_note(c.RATIO)
def SCORE_RATIO_NOTE(part, whole, full, zero_if_over=False):
    return c.excel_note(c.RATIO, part, whole, full, zero_if_over)


@excel_function(c.TIERS)
def SCORE_TIERS(value, thresholds, points, else_points=0):
    return c.excel_score(c.TIERS, value, thresholds, points, else_points)


@excel_note(c.TIERS)
def SCORE_TIERS_NOTE(value, thresholds, points, else_points=0):
    return c.excel_note(c.TIERS, value, thresholds, points, else_points)


@excel_function(c.GRADE)
def SCORE_GRADE(total):
    return c.excel_score(c.GRADE, total)


@excel_note(c.GRADE)
def SCORE_GRADE_NOTE(total):
    return c.excel_note(c.GRADE, total)


# --- indicator functions (龙岗区 2020 revision) -------------------------------------------


@excel_function(c.PROCUREMENT)
def SCORE_PROCUREMENT(actual, planned, policy=1):
    return c.excel_score(c.PROCUREMENT, actual, planned, policy)


@excel_note(c.PROCUREMENT)
def SCORE_PROCUREMENT_NOTE(actual, planned, policy=1):
    return c.excel_note(c.PROCUREMENT, actual, planned, policy)


@excel_function(c.FIN_COMPLIANCE)
def SCORE_FIN_COMPLIANCE(payment_ok, adjusted, budget, accounting_ok, violation=False):
    return c.excel_score(c.FIN_COMPLIANCE, payment_ok, adjusted, budget, accounting_ok, violation)


@excel_note(c.FIN_COMPLIANCE)
def SCORE_FIN_COMPLIANCE_NOTE(payment_ok, adjusted, budget, accounting_ok, violation=False):
    return c.excel_note(c.FIN_COMPLIANCE, payment_ok, adjusted, budget, accounting_ok, violation)


@excel_function(c.DISCLOSURE)
def SCORE_DISCLOSURE(budget_status, final_status, exempt=False):
    return c.excel_score(c.DISCLOSURE, budget_status, final_status, exempt)


@excel_note(c.DISCLOSURE)
def SCORE_DISCLOSURE_NOTE(budget_status, final_status, exempt=False):
    return c.excel_note(c.DISCLOSURE, budget_status, final_status, exempt)


@excel_function(c.ASSET_UTILIZATION)
def SCORE_ASSET_UTILIZATION(in_use, total):
    return c.excel_score(c.ASSET_UTILIZATION, in_use, total)


@excel_note(c.ASSET_UTILIZATION)
def SCORE_ASSET_UTILIZATION_NOTE(in_use, total):
    return c.excel_note(c.ASSET_UTILIZATION, in_use, total)


@excel_function(c.STAFF_CONTROL)
def SCORE_STAFF_CONTROL(in_post, authorized, full=1, per_point_over=None):
    return c.excel_score(c.STAFF_CONTROL, in_post, authorized, full, per_point_over)


@excel_note(c.STAFF_CONTROL)
def SCORE_STAFF_CONTROL_NOTE(in_post, authorized, full=1, per_point_over=None):
    return c.excel_note(c.STAFF_CONTROL, in_post, authorized, full, per_point_over)


@excel_function(c.CONTRACT_STAFF)
def SCORE_CONTRACT_STAFF(contract, established):
    return c.excel_score(c.CONTRACT_STAFF, contract, established)


@excel_note(c.CONTRACT_STAFF)
def SCORE_CONTRACT_STAFF_NOTE(contract, established):
    return c.excel_note(c.CONTRACT_STAFF, contract, established)


@excel_function(c.PUBLIC_FUNDS)
def SCORE_PUBLIC_FUNDS(sangong_actual, sangong_budget, daily_actual, daily_budget):
    return c.excel_score(c.PUBLIC_FUNDS, sangong_actual, sangong_budget, daily_actual, daily_budget)


@excel_note(c.PUBLIC_FUNDS)
def SCORE_PUBLIC_FUNDS_NOTE(sangong_actual, sangong_budget, daily_actual, daily_budget):
    return c.excel_note(c.PUBLIC_FUNDS, sangong_actual, sangong_budget, daily_actual, daily_budget)


@excel_function(c.COST_CONTROL)
def SCORE_COST_CONTROL(actual, budget, full=3):
    return c.excel_score(c.COST_CONTROL, actual, budget, full)


@excel_note(c.COST_CONTROL)
def SCORE_COST_CONTROL_NOTE(actual, budget, full=3):
    return c.excel_note(c.COST_CONTROL, actual, budget, full)


@excel_function(c.QUARTERLY)
def SCORE_QUARTERLY(quarter_spending, budget, cumulative=False):
    return c.excel_score(c.QUARTERLY, quarter_spending, budget, cumulative)


@excel_note(c.QUARTERLY)
def SCORE_QUARTERLY_NOTE(quarter_spending, budget, cumulative=False):
    return c.excel_note(c.QUARTERLY, quarter_spending, budget, cumulative)


@excel_function(c.TARGETS)
def SCORE_TARGETS(actuals, targets, weights=None, full=20, directions=None):
    return c.excel_score(c.TARGETS, actuals, targets, weights, full, directions)


@excel_note(c.TARGETS)
def SCORE_TARGETS_NOTE(actuals, targets, weights=None, full=20, directions=None):
    return c.excel_note(c.TARGETS, actuals, targets, weights, full, directions)


@excel_function(c.PETITIONS)
def SCORE_PETITIONS(has_channel, received, replied, replied_on_time):
    return c.excel_score(c.PETITIONS, has_channel, received, replied, replied_on_time)


@excel_note(c.PETITIONS)
def SCORE_PETITIONS_NOTE(has_channel, received, replied, replied_on_time):
    return c.excel_note(c.PETITIONS, has_channel, received, replied, replied_on_time)


@excel_function(c.SATISFACTION)
def SCORE_SATISFACTION(rate):
    return c.excel_score(c.SATISFACTION, rate)


@excel_note(c.SATISFACTION)
def SCORE_SATISFACTION_NOTE(rate):
    return c.excel_note(c.SATISFACTION, rate)
