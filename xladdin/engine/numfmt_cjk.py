"""Chinese numerals for Excel's [DBNum1] / [DBNum2] / [DBNum3] number format modifiers.

[DBNum1]  一二三 with 十百千万亿 (〇 for zero)
[DBNum2]  壹贰叁 with 拾佰仟万亿 (零 for zero) – the "大写" used on financial documents
[DBNum3]  full-width digits １２３ with 十百千万亿

Excel applies them in two ways:
* to a number shown in the General format (``[DBNum2]G/通用格式`` or a bare ``[DBNum2]``):
  the integer part is *read out* with place units (1234 → 壹仟贰佰叁拾肆), the decimals are
  converted digit by digit after the point;
* to digits produced by placeholders (``[DBNum2]0.00``): every digit is converted on its own.
"""

from __future__ import annotations

__all__ = ["convert_digits", "read_out_number", "DBNUM_STYLES"]

_DIGITS = {
    1: "〇一二三四五六七八九",
    2: "零壹贰叁肆伍陆柒捌玖",
    3: "０１２３４５６７８９",
}
# place units inside a group of four digits (ones, tens, hundreds, thousands)
_UNITS = {
    1: ("", "十", "百", "千"),
    2: ("", "拾", "佰", "仟"),
    3: ("", "十", "百", "千"),
}
# units of the groups of four digits: 万 = 10^4, 亿 = 10^8, 万亿 = 10^12
_GROUP_UNITS = ("", "万", "亿", "万亿")
_ZERO_IN_READING = {1: "〇", 2: "零", 3: "０"}

DBNUM_STYLES = (1, 2, 3)


def convert_digits(text: str, style: int) -> str:
    """Replace every ASCII digit by its Chinese counterpart (digit-by-digit conversion)."""
    table = _DIGITS[style]
    return "".join(table[ord(ch) - 48] if "0" <= ch <= "9" else ch for ch in text)


def _read_group(digits: str, style: int) -> str:
    """Read one group of up to four digits; leading zeros are the caller's business (one 零)."""
    out = []
    pending_zero = False
    width = len(digits)
    for pos, ch in enumerate(digits):
        place = width - 1 - pos
        if ch == "0":
            pending_zero = bool(out)
            continue
        if pending_zero:
            out.append(_ZERO_IN_READING[style])
            pending_zero = False
        out.append(_DIGITS[style][int(ch)] + _UNITS[style][place])
    return "".join(out)


def _read_integer(digits: str, style: int) -> str:
    digits = digits.lstrip("0")
    if not digits:
        return _DIGITS[style][0]
    groups = []
    while digits:
        groups.append(digits[-4:])
        digits = digits[:-4]
    groups.reverse()
    out = []
    zero_gap = False   # a whole group of zeros after something was read: one 零 before the next
    for index, group in enumerate(groups):
        unit = _GROUP_UNITS[len(groups) - 1 - index]
        if int(group) == 0:
            zero_gap = bool(out)
            continue
        if out and (zero_gap or group[0] == "0"):
            out.append(_ZERO_IN_READING[style])
        zero_gap = False
        out.append(_read_group(group, style) + unit)
    return "".join(out)


def read_out_number(text: str, style: int) -> str:
    """Read out a number already rendered as plain text ("-1234.5", "1.2E+20") in Chinese.

    The integer part gets place units, the decimals are converted digit by digit; anything
    that is not a plain decimal number (scientific notation) is converted digit by digit.
    """
    sign = ""
    if text.startswith("-"):
        sign, text = "-", text[1:]
    if not text.replace(".", "", 1).isdigit() or len(text.partition(".")[0]) > 16:
        return sign + convert_digits(text, style)
    integer, dot, decimals = text.partition(".")
    return sign + _read_integer(integer or "0", style) + dot + convert_digits(decimals, style)
