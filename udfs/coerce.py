"""Cell coercion: what Excel hands over → exact values, or a DomainError with a Chinese reason.

People type amounts as ``14,750``, ``" 14,750 "`` or full-width ``１４，７５０``, rates as
``0.95`` or ``"95%"``, and yes/no items as 是/否, √/×, TRUE/FALSE … This module
accepts exactly those forms and rejects everything else with a message that tells
the user what to type. Stdlib only (runs under Pyodide).
"""
from __future__ import annotations

import datetime as _dt
import math
import numbers
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, Optional

from .errors import ERROR_LITERALS, DomainError, invalid, missing

#: A rate typed as a bare number above this is almost surely a percentage typed without "%".
RATE_CEILING = 10

_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][+-]?\d+)?|[+-]?\.\d+")

_YES_WORDS = {"TRUE", "是", "符合", "有", "已完成", "完成", "Y", "YES", "√", "✓", "✔", "对"}
_NO_WORDS = {"FALSE", "否", "不符合", "无", "未完成", "没有", "N", "NO", "×", "✗", "✘", "X", "错"}

STATUS_LEVELS = {
    "按规定公开": 2,
    "已按规定公开": 2,
    "公开但不符合要求": 1,
    "已公开但不符合要求": 1,
    "未公开": 0,
    "没有公开": 0,
}

#: Written after an amount, as the seed report writes them: "1.48万" is 14,800 元.
AMOUNT_UNITS = (("亿元", 100_000_000), ("亿", 100_000_000), ("万元", 10_000), ("万", 10_000), ("元", 1))

#: What a department types when it has no such business this year (contract: 不涉及).
NOT_APPLICABLE_WORDS = frozenset({"不涉及", "不适用", "无此项"})

_AT_LEAST_WORDS = {"≥", ">=", "1", "+1", "大于等于", "不低于", "越大越好"}
_AT_MOST_WORDS = {"≤", "<=", "-1", "小于等于", "不高于", "越小越好"}


def normalize_text(text: str) -> str:
    """Full-width → half-width (NFKC), trimmed, so ``１４，７５０`` reads as ``14,750``."""
    return unicodedata.normalize("NFKC", text).strip()


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def raise_if_error(value: Any, label: str) -> None:
    """An error value in an argument propagates, as in every Excel function."""
    if isinstance(value, str) and value.strip() in ERROR_LITERALS:
        literal = value.strip()
        raise DomainError(literal, f"{label}引用的单元格本身是错误值 {literal}，请先更正该单元格")


def _fraction_of_float(value: float, label: str) -> Fraction:
    if math.isnan(value) or math.isinf(value):
        raise invalid(label, "不是有效数字")
    # repr gives the shortest text that round-trips: the digits the user typed (0.57, not 0.5699…),
    # read here as integer digits and a power of ten (what Fraction(Decimal(text)) gives, faster)
    mantissa, _, exponent = repr(float(value)).partition("e")
    whole, _, decimals = mantissa.partition(".")
    power = (int(exponent) if exponent else 0) - len(decimals)
    digits = int(whole + decimals)
    return Fraction(digits * 10**power) if power >= 0 else Fraction(digits, 10**-power)


def is_not_applicable(value: Any) -> bool:
    """不涉及 / 不适用 / 无此项, in any width and with spaces around."""
    return isinstance(value, str) and re.sub(r"\s+", "", normalize_text(value)) in NOT_APPLICABLE_WORDS


def _refuse_not_applicable(value: Any, label: str) -> None:
    if is_not_applicable(value):
        raise invalid(label, f"填写了“{value.strip()}”，本指标不能按不涉及处理，请按实际情况填写")


def _parse_number_text(text: str, label: str, *, units: bool = False) -> tuple[Fraction, bool]:
    """Returns the number and whether it was written as a percentage.

    With ``units`` (amounts of money) a trailing 元/万元/万/亿元/亿 scales the number to 元."""
    _refuse_not_applicable(text, label)
    cleaned = re.sub(r"\s+", "", normalize_text(text))
    scale = 1
    if units:
        for unit, factor in AMOUNT_UNITS:
            if cleaned.endswith(unit) and len(cleaned) > len(unit):
                cleaned, scale = cleaned[: -len(unit)], factor
                break
    percent = cleaned.endswith("%")
    if percent:
        cleaned = cleaned[:-1]
    if not _NUMBER.fullmatch(cleaned):
        allowed = "可带千分位逗号，或以“元”“万元”“亿元”为单位" if units else "可带千分位逗号"
        raise invalid(label, f"“{text.strip()}”不是数字，请只填写数字（{allowed}）")
    try:
        value = Fraction(Decimal(cleaned.replace(",", "")))
    except (InvalidOperation, ValueError):
        raise invalid(label, f"“{text.strip()}”不是数字") from None
    if percent and scale != 1:
        raise invalid(label, f"“{text.strip()}”不能同时带百分号和金额单位")
    return (value * Fraction(1, 100) if percent else value * scale), percent


def number(value: Any, label: str, *, allow_percent: bool = True, units: bool = False) -> Fraction:
    """Any real number as typed; blank → #N/A; error values propagate; other text → #VALUE!."""
    if type(value) is float:  # what a numeric cell holds: the common case, checked first
        if value.is_integer():
            return Fraction(int(value))
        return _fraction_of_float(value, label)
    raise_if_error(value, label)
    if is_blank(value):
        raise missing(label)
    if isinstance(value, bool):
        raise invalid(label, "应填写数字，不能是 TRUE/FALSE")
    if isinstance(value, (_dt.date, _dt.datetime, _dt.time, _dt.timedelta)):
        raise invalid(label, "应填写数字，不能是日期或时间")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, numbers.Integral):
        return Fraction(int(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise invalid(label, "不是有效数字")
        return Fraction(value)
    if isinstance(value, numbers.Real):
        return _fraction_of_float(float(value), label)
    if isinstance(value, str):
        parsed, percent = _parse_number_text(value, label, units=units)
        if percent and not allow_percent:
            raise invalid(label, "是金额，不能填写百分比")
        return parsed
    if isinstance(value, (list, tuple)):
        raise invalid(label, "应为单个单元格，不能是区域")
    raise invalid(label, "应填写数字")


def non_negative(value: Any, label: str, *, allow_percent: bool = True, units: bool = False) -> Fraction:
    result = number(value, label, allow_percent=allow_percent, units=units)
    if result.numerator < 0:
        raise invalid(label, "不能为负数")
    return result


def amount(value: Any, label: str) -> Fraction:
    """An amount of money in 元: a non-negative number, never a percentage; "1.48万" is 14,800."""
    return non_negative(value, label, allow_percent=False, units=True)


def count(value: Any, label: str) -> int:
    """A headcount or a number of items: a whole number ≥ 0."""
    result = non_negative(value, label, allow_percent=False)
    if result.denominator != 1:
        raise invalid(label, f"应为整数（个数），现为 {float(result):g}")
    return int(result)


def rate(value: Any, label: str) -> Fraction:
    """A rate: an Excel fraction (0.95, a cell formatted 95%) or text "95%"."""
    raise_if_error(value, label)
    if isinstance(value, str) and not is_blank(value):
        parsed, percent = _parse_number_text(value, label)
        if parsed < 0:
            raise invalid(label, "不能为负数")
        if not percent and parsed > RATE_CEILING:
            raise invalid(label, f"为 {value.strip()}，比率请输入如 95% 的百分数（或 0.95）")
        return parsed
    result = non_negative(value, label)
    if result > RATE_CEILING:
        raise invalid(label, f"为 {float(result):g}，比率请输入如 95% 的百分数（或 0.95），不要输入 95")
    return result


def _yes_no_word(value: Any) -> Optional[bool]:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = normalize_text(value).upper()
        if word in _YES_WORDS:
            return True
        if word in _NO_WORDS:
            return False
    return None


def flag(value: Any, label: str, points: Fraction = Fraction(1)) -> Fraction:
    """A yes/no item worth ``points``, returned in points.

    是/TRUE/√… → full points, 否/FALSE/×… → 0. A number is partial credit (酌情扣分):
    for an item worth more than 1 point it is always points; for an item of at most
    1 point, 1 means "yes" and any other number between 0 and the item's points is points.
    """
    raise_if_error(value, label)
    if is_blank(value):
        raise missing(label)
    _refuse_not_applicable(value, label)
    word = _yes_no_word(value)
    if word is not None:
        return points if word else Fraction(0)
    try:
        given = number(value, label)
    except DomainError:
        raise invalid(label, "请填写“是”或“否”（或填写酌情得分）") from None
    if points <= 1 and given == 1:
        return points
    if 0 <= given <= points:
        return given
    raise invalid(label, f"为 {_plain(given)}，应为“是/否”或 0～{_plain(points)} 之间的得分")


def _plain(value: Fraction) -> str:
    return f"{float(value):g}"


def option(value: Any, label: str, default: bool) -> bool:
    """An on/off option (zero_if_over, cumulative, exempt, violation); blank → default."""
    raise_if_error(value, label)
    if is_blank(value):
        return default
    _refuse_not_applicable(value, label)
    word = _yes_no_word(value)
    if word is not None:
        return word
    try:
        return number(value, label) != 0
    except DomainError:
        raise invalid(label, "请填写 TRUE/FALSE（或 是/否）") from None


def status(value: Any, label: str) -> int:
    """A disclosure status: 按规定公开 (2), 公开但不符合要求 (1), 未公开 (0)."""
    raise_if_error(value, label)
    if is_blank(value):
        raise missing(label)
    _refuse_not_applicable(value, label)
    if isinstance(value, str) and normalize_text(value) in STATUS_LEVELS:
        return STATUS_LEVELS[normalize_text(value)]
    try:
        level = number(value, label)
    except DomainError:
        level = None
    if level in (0, 1, 2):
        return int(level)
    raise invalid(label, "请选择“按规定公开”“公开但不符合要求”或“未公开”（或填 2/1/0）")


def direction(value: Any, label: str) -> int:
    """A target's direction: ≥ (higher is better, the default) or ≤ (lower is better)."""
    raise_if_error(value, label)
    if is_blank(value):
        return 1
    if isinstance(value, numbers.Real) and not isinstance(value, bool) and value in (1, -1):
        return int(value)
    text = normalize_text(value) if isinstance(value, str) else ""
    if text in _AT_LEAST_WORDS:
        return 1
    if text in _AT_MOST_WORDS:
        return -1
    _refuse_not_applicable(value, label)
    raise invalid(label, "请填写“≥”（越大越好）或“≤”（越小越好）")


def not_applicable(values: dict, labels: dict) -> bool:
    """Whether a group of inputs declares 不涉及: all of them 不涉及, or 不涉及 and blank.

    False when none is 不涉及; 不涉及 beside a figure is a contradiction, refused."""
    claimed = [name for name, value in values.items() if is_not_applicable(value)]
    if not claimed:
        return False
    for name, value in values.items():
        if name not in claimed and not is_blank(value):
            raise_if_error(value, labels[name])
            raise invalid(labels[claimed[0]], f"填写了“不涉及”，但{labels[name]}填写了数字，请二者统一：确不涉及的都填“不涉及”，否则都填写金额")
    return True


def cells(value: Any) -> list:
    """A range as a flat list, row by row: a 2-D list of rows, a 1-D list, or one cell."""
    if isinstance(value, (list, tuple)):
        flat: list = []
        for item in value:
            flat.extend(cells(item) if isinstance(item, (list, tuple)) else [item])
        return flat
    return [value]
