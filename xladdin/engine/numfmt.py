"""Excel's number format language, as the TEXT worksheet function applies it (stdlib only).

Public API
    excel_text(value, format_text, date1904=False)  the whole TEXT function on scalar values
    general_text(x)                                 a number as text, as ``=A1&""`` gives it
    general_format(x)                               a number in the General format (TEXT(x,"General"))
    is_date_format(fmt)                             does a number use date/time codes in this format
    format_number / format_text                     older entry points, kept for existing callers

A format has up to four sections ``positive;negative;zero;text``.  A section may carry
brackets: a colour ``[Red]`` (ignored: TEXT returns text only), a condition ``[>100]``, a locale
``[$¥-804]`` (the currency symbol is shown), ``[DBNum1..3]`` (Chinese numerals, see numfmt_cjk)
or an elapsed-time unit ``[h]`` ``[mm]`` ``[ss]``.  A section is either a number section
(0 # ? placeholders, decimal point, thousands/scaling commas, %, E+00 scientific, fractions,
General), a date/time section (y m d h s, AM/PM, 上午/下午, aaa/aaaa ...) or the text section (@).

Rounding: Excel first rounds the double to 15 significant digits and then rounds that decimal
half away from zero (TEXT(2.675,"0.00") = "2.68"), see ``values.dec15``.
"""

from __future__ import annotations

import functools
import re
from decimal import ROUND_HALF_UP, Context, Decimal
from fractions import Fraction

from ..xlsx.serials import calendar_day
from .numfmt_cjk import convert_digits, read_out_number
from .values import VALUE, ErrorValue, _plain, dec15, general_text, text_to_num

__all__ = [
    "excel_text", "general_text", "general_format", "is_date_format",
    "format_number", "format_text", "split_sections", "InvalidFormat",
]

#: TEXT returns #VALUE! rather than a longer string (Excel's cell text limit).
MAX_TEXT_LENGTH = 32767
#: 9999-12-31, the last day Excel can show as a date.
_LAST_DATE_SERIAL = 2958465

# Enough digits for any double written out in full (1E+308 with decimals).
_WIDE = Context(prec=800)


class InvalidFormat(ValueError):
    """A format text Excel would refuse: TEXT returns #VALUE!."""


class _Literal(str):
    """Output that comes from the format itself, not from the number ([DBNum] leaves it alone)."""


# ====================================================================== general format

def general_format(x: float) -> str:
    """A number in the General number format (TEXT(x,"General"), [DBNum2]G/通用格式).

    The General format shows at most 11 characters, the decimal point included and the minus
    sign not (Microsoft KB 65903 "Number of significant digits MS Excel retains": "The General
    number format displays up to 11 numeric characters, with the decimal point counting as a
    numeric character"; 123456789012 → 1.23457E+11).  Numbers from 1E-4 up to 11 integer
    digits are written in full, rounded to fit; others in scientific notation with a mantissa
    rounded to fit (two-digit exponent at least: 1E-05).
    """
    if x == 0 or x != x:
        return "0"
    sign = "-" if x < 0 else ""
    a = dec15(abs(x))
    exponent = a.adjusted()
    if -5 < exponent < 11:
        decimals = 9 if exponent < 0 else max(0, 9 - exponent)
        r = a.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP, context=_WIDE)
        if r.adjusted() < 11:
            return sign + _plain(r)
    mantissa = a.scaleb(-exponent)
    decimals = 11 - 2 - (2 + max(2, len(str(abs(exponent)))))
    r = mantissa.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP, context=_WIDE)
    if r >= 10:
        exponent += 1
        r = (r / 10).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP, context=_WIDE)
    return "%s%sE%s%02d" % (sign, _plain(r), "-" if exponent < 0 else "+", abs(exponent))


# ====================================================================== parsing

def split_sections(fmt: str) -> list[str]:
    """Split a format at the semicolons that are not quoted, escaped or bracketed."""
    sections, current, i, n = [], [], 0, len(fmt)
    while i < n:
        ch = fmt[i]
        if ch == '"':
            j = fmt.find('"', i + 1)
            j = n - 1 if j < 0 else j
            current.append(fmt[i:j + 1])
            i = j + 1
            continue
        if ch in "\\_*" and i + 1 < n:
            current.append(fmt[i:i + 2])
            i += 2
            continue
        if ch == "[":
            j = fmt.find("]", i)
            j = n - 1 if j < 0 else j
            current.append(fmt[i:j + 1])
            i = j + 1
            continue
        if ch == ";":
            sections.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    sections.append("".join(current))
    return sections


class _Section:
    __slots__ = ("tokens", "condition", "dbnum", "is_date", "has_text", "is_empty")

    def __init__(self, tokens, condition, dbnum):
        self.tokens = tokens
        self.condition = condition       # (operator, float) or None
        self.dbnum = dbnum               # 0 or 1..3
        self.has_text = any(kind == "at" for kind, _ in tokens)
        self.is_date = any(kind in _DATE_KINDS for kind, _ in tokens)
        self.is_empty = not tokens

    def matches(self, value: float) -> bool:
        op, limit = self.condition
        return {"<": value < limit, ">": value > limit, "=": value == limit,
                "<=": value <= limit, ">=": value >= limit, "<>": value != limit}[op]


_DATE_KINDS = {"year", "month", "day", "hour", "minute", "second", "elapsed", "ampm",
               "weekday_cn", "era"}
_COLOURS = {"black", "blue", "cyan", "green", "magenta", "red", "white", "yellow"}
_CONDITION = re.compile(r"^\s*(<=|>=|<>|<|>|=)\s*([+-]?\s*(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*$")
_ELAPSED = re.compile(r"^(h+|m+|s+)$", re.IGNORECASE)
_DATE_LETTERS = "ymdhsegb"


def _bracket(content: str, tokens: list, state: dict) -> None:
    """Interpret one [...] of a section."""
    lower = content.lower()
    if lower in _COLOURS or re.fullmatch(r"color\s*\d{1,2}", lower):
        return
    m = _CONDITION.match(content)
    if m:
        state["condition"] = (m.group(1), float(m.group(2).replace(" ", "")))
        return
    if content.startswith("$"):
        # [$symbol-locale]: the symbol is shown, the locale only changes Excel's language
        symbol = content[1:].split("-", 1)[0]
        if symbol:
            tokens.append(("lit", symbol))
        return
    m = re.fullmatch(r"dbnum([1-3])", lower)
    if m:
        state["dbnum"] = int(m.group(1))
        return
    if _ELAPSED.match(content):
        tokens.append(("elapsed", lower))
        return
    if re.fullmatch(r"natnum\d+", lower):
        return
    raise InvalidFormat(content)


def _lex(section: str):
    tokens: list = []
    state = {"condition": None, "dbnum": 0}
    i, n = 0, len(section)
    while i < n:
        ch = section[i]
        if ch == '"':
            j = section.find('"', i + 1)
            if j < 0:
                raise InvalidFormat(section)
            if j > i + 1:
                tokens.append(("lit", section[i + 1:j]))
            i = j + 1
        elif ch in "\\_*" and i + 1 >= n:
            raise InvalidFormat(section)     # \x, _x and *x need their character x (TEXT: #VALUE!)
        elif ch == "\\":
            tokens.append(("lit", section[i + 1]))
            i += 2
        elif ch == "_":
            tokens.append(("lit", " "))      # _x: a space as wide as x
            i += 2
        elif ch == "*":
            i += 2                           # *x: repeat x to fill the cell – no cell here
        elif ch == "[":
            j = section.find("]", i)
            if j < 0:
                raise InvalidFormat(section)
            _bracket(section[i + 1:j], tokens, state)
            i = j + 1
        elif section[i:i + 7].lower() == "general":
            tokens.append(("general", "General"))
            i += 7
        elif section.startswith("G/通用格式", i):
            tokens.append(("general", "General"))
            i += 6
        elif ch in "0#?":
            tokens.append(("ph", ch))
            i += 1
        elif ch in ".,%/@":
            tokens.append(({".": "point", ",": "comma", "%": "pct", "/": "slash", "@": "at"}[ch], ch))
            i += 1
        elif ch in "Ee" and i + 1 < n and section[i + 1] in "+-":
            tokens.append(("exp", section[i:i + 2]))
            i += 2
        elif section[i:i + 5].upper() == "AM/PM":
            tokens.append(("ampm", "AM/PM"))
            i += 5
        elif section[i:i + 3].upper() == "A/P":
            tokens.append(("ampm", section[i:i + 3]))
            i += 3
        elif section.startswith("上午/下午", i):
            tokens.append(("ampm", "上午/下午"))
            i += 5
        elif ch.lower() in _DATE_LETTERS or ch.lower() == "a":
            j = i
            while j < n and section[j].lower() == ch.lower():
                j += 1
            run = section[i:j].lower()
            kind = {"y": "year", "e": "year", "m": "month", "d": "day", "h": "hour",
                    "s": "second", "g": "era", "b": "year", "a": "weekday_cn"}[run[0]]
            if run[0] == "a" and len(run) < 3:
                tokens.append(("lit", section[i:j]))
            else:
                tokens.append((kind, run))
            i = j
        else:
            tokens.append(("lit", ch))
            i += 1
    return tokens, state


def _finish_date_section(tokens):
    """Date sections: m next to h or s is minutes, '.00' after seconds is fractions of a second."""
    out = []
    for kind, text in tokens:
        if kind == "exp":            # 'e-' in a date: the year e, then a literal sign
            out.append(("year", "e"))
            out.append(("lit", text[1]))
        else:
            out.append((kind, text))
    tokens = out
    timeish = [k for k, (kind, _) in enumerate(tokens) if kind in _DATE_KINDS]
    for pos, k in enumerate(timeish):
        kind, text = tokens[k]
        if kind != "month" or len(text) > 2:
            continue
        before = tokens[timeish[pos - 1]] if pos > 0 else None
        after = tokens[timeish[pos + 1]] if pos + 1 < len(timeish) else None

        def unit(tok):
            if tok is None:
                return None
            return tok[1][0] if tok[0] == "elapsed" else tok[0]
        if unit(before) in ("hour", "h", "second", "s") or unit(after) in ("second", "s"):
            tokens[k] = ("minute", text)
    result = []
    k = 0
    while k < len(tokens):
        kind, text = tokens[k]
        previous = next((t for t in reversed(result) if t[0] != "lit"), None)
        after_seconds = previous is not None and (
            previous[0] == "second" or previous[0] == "elapsed" and previous[1][0] == "s")
        if kind == "point" and k + 1 < len(tokens) and tokens[k + 1] == ("ph", "0") and after_seconds:
            j = k + 1
            while j < len(tokens) and tokens[j] == ("ph", "0"):
                j += 1
            result.append(("subsec", str(j - k - 1)))
            k = j
            continue
        if kind in ("ph", "point", "comma", "pct", "slash", "exp"):
            result.append(("lit", text))
        elif kind == "general":
            result.append(("lit", text))
        else:
            result.append((kind, text))
        k += 1
    return result


def _lit_date_letters(tokens):
    """In a number section stray date letters are just text."""
    return [(("lit", text) if kind in ("year", "era", "weekday_cn") else (kind, text)) for kind, text in tokens]


@functools.lru_cache(maxsize=512)
def parse_format(fmt: str) -> tuple:
    """The sections of a format, parsed; raises InvalidFormat."""
    raw = split_sections(fmt)
    if len(raw) > 4:
        raise InvalidFormat(fmt)
    sections = []
    for text in raw:
        tokens, state = _lex(text)
        section = _Section(tokens, state["condition"], state["dbnum"])
        if section.is_date:
            section.tokens = _finish_date_section(tokens)
        else:
            section.tokens = _lit_date_letters(tokens)
        if not section.tokens and text.strip():
            # only brackets ("[Red]", "[DBNum2]"): the number in the General format
            section.tokens = [("general", "General")]
        section.is_empty = not section.tokens
        sections.append(section)
    return tuple(sections)


def is_date_format(fmt: str) -> bool:
    """True when a number shown with ``fmt`` would be shown as a date or time."""
    try:
        sections = parse_format(fmt)
    except InvalidFormat:
        return False
    return any(s.is_date for s in sections[:3])


# ====================================================================== section choice

def _number_sections(sections):
    """(sections used for numbers, text section or None) following Excel's section rules."""
    if len(sections) == 4:
        return sections[:3], sections[3]
    if sections[-1].has_text:
        return sections[:-1], sections[-1]
    return sections, None


def _choose(sections, value: float):
    """-> (section or None for General, show the minus sign of a negative value)."""
    numeric, _ = _number_sections(sections)
    negative = value < 0
    if not numeric:
        return None, negative
    conditional = any(s.condition for s in numeric[:2])
    if not conditional:
        if len(numeric) == 1:
            return numeric[0], negative
        if negative:
            return numeric[1], False
        if value == 0 and len(numeric) >= 3:
            return numeric[2], False
        return numeric[0], False
    # With conditions the minus sign is shown except in the second section, as without
    # conditions (the corpus: "[<-10]#" Wow"" shows -11 as "-11 Wow").
    first = numeric[0]
    second = numeric[1] if len(numeric) > 1 else None
    if first.condition is not None and first.matches(value):
        return first, negative
    if first.condition is None and (not negative or second is None or second.condition is not None):
        if second is None or second.condition is None or not second.matches(value):
            return first, negative
    if second is not None and (second.condition is None or second.matches(value)):
        return second, False
    if len(numeric) >= 3:
        return numeric[2], negative
    return None, negative       # no section applies: Excel falls back to General


# ====================================================================== numbers

def _quantize(x: Decimal, decimals: int) -> Decimal:
    return x.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP, context=_WIDE)


def _pad(kind: str) -> str:
    """What an unused placeholder shows: 0 a zero, ? a space, # nothing."""
    return "0" if kind == "0" else (" " if kind == "?" else "")


def _fill_integer(digits: str, kinds: list[str], grouping: bool) -> list[str]:
    """Spread integer digits over placeholders (right to left), one string per placeholder.

    Extra digits go to the leftmost placeholder.  With grouping a separator follows every third
    position from the right: "," next to a digit or a 0 placeholder, a space next to ? padding.
    """
    count = len(kinds)
    if count == 0:
        return []
    pieces = [""] * count
    for position in range(max(count, len(digits))):
        slot = max(count - 1 - position, 0)
        ch = digits[-1 - position] if position < len(digits) else _pad(kinds[slot])
        text = ch
        if grouping and position and position % 3 == 0:
            text += "," if ch not in (" ", "") else ch
        pieces[slot] = text + pieces[slot]
    return pieces


def _comma_roles(tokens, placeholders, integer_placeholders):
    """-> (grouping?, number of scaling commas, indexes of commas shown as text)."""
    grouping, scale, shown = False, 0, set()
    for i, (kind, _) in enumerate(tokens):
        if kind != "comma":
            continue
        if not any(p < i for p in placeholders):
            shown.add(i)                     # ",0": a comma before any digit is plain text
        elif any(p > i for p in integer_placeholders):
            grouping = True
        else:
            j = i - 1
            while j >= 0 and tokens[j][0] == "comma":
                j -= 1
            if j >= 0 and tokens[j][0] in ("ph", "point"):
                scale += 1                   # "0," divides by 1000
    return grouping, scale, shown


def _render_plain(tokens, x: Decimal) -> list:
    placeholders = [i for i, (kind, _) in enumerate(tokens) if kind == "ph"]
    point = next((i for i, (kind, _) in enumerate(tokens) if kind == "point"), None)
    integer_ph = [i for i in placeholders if point is None or i < point]
    decimal_ph = [i for i in placeholders if point is not None and i > point]
    grouping, scale, shown_commas = _comma_roles(tokens, placeholders, integer_ph)
    percents = sum(1 for kind, _ in tokens if kind == "pct")
    x = x.scaleb(2 * percents - 3 * scale)
    r = _quantize(x, len(decimal_ph))
    integer_digits, _, decimal_digits = format(r, "f").partition(".")
    if integer_digits == "0":
        integer_digits = ""
    decimal_digits = decimal_digits.ljust(len(decimal_ph), "0")
    integer_pieces = _fill_integer(integer_digits, [tokens[i][1] for i in integer_ph], grouping)
    decimal_chars = list(decimal_digits)
    for k in range(len(decimal_ph) - 1, -1, -1):
        kind = tokens[decimal_ph[k]][1]
        if decimal_chars[k] != "0" or kind == "0":
            break
        decimal_chars[k] = _pad(kind)
    by_index = dict(zip(integer_ph, integer_pieces))
    by_index.update(zip(decimal_ph, decimal_chars))
    out = []
    if not integer_ph and integer_digits and placeholders:
        # ".00" shows the integer digits in front of the point all the same
        first = point if point is not None else placeholders[0]
        by_index[first] = integer_digits + (by_index.get(first, "."))
    for i, (kind, text) in enumerate(tokens):
        if i in by_index:
            out.append(by_index[i])
        elif kind == "point":
            out.append("." if i == point else _Literal("."))
        elif kind == "comma":
            if i in shown_commas:
                out.append(_Literal(","))
        elif kind in ("lit", "pct", "slash", "exp"):
            out.append(_Literal(text))
    return out


def _render_scientific(tokens, x: Decimal) -> list:
    exp_at = next(i for i, (kind, _) in enumerate(tokens) if kind == "exp")
    mantissa = tokens[:exp_at]
    placeholders = [i for i, (kind, _) in enumerate(mantissa) if kind == "ph"]
    point = next((i for i, (kind, _) in enumerate(mantissa) if kind == "point"), None)
    integer_ph = [i for i in placeholders if point is None or i < point]
    decimal_ph = [i for i in placeholders if point is not None and i > point]
    exponent_ph = [i for i in range(exp_at + 1, len(tokens)) if tokens[i][0] == "ph"]
    grouping = any(kind == "comma" and integer_ph and integer_ph[0] < i < integer_ph[-1]
                   for i, (kind, _) in enumerate(mantissa))
    width = max(1, len(integer_ph))
    integer_kinds = [mantissa[i][1] for i in integer_ph]
    if x == 0:
        exponent, m = 0, Decimal(0)
        integer_kinds = ["0"] * len(integer_ph)    # Excel shows 0 as 0000.E+0 with ####.##
    else:
        exponent = (x.adjusted() // width) * width   # ##0.0E+0: exponent a multiple of 3
        m = _quantize(x.scaleb(-exponent), len(decimal_ph))
        if m.adjusted() >= width:
            exponent += width
            m = _quantize(x.scaleb(-exponent), len(decimal_ph))
    integer_digits, _, decimal_digits = format(m, "f").partition(".")
    if integer_digits == "0":
        integer_digits = ""
    decimal_digits = decimal_digits.ljust(len(decimal_ph), "0")
    by_index = dict(zip(integer_ph, _fill_integer(integer_digits, integer_kinds, grouping)))
    decimal_chars = list(decimal_digits)
    for k in range(len(decimal_ph) - 1, -1, -1):
        kind = tokens[decimal_ph[k]][1]
        if decimal_chars[k] != "0" or kind == "0":
            break
        decimal_chars[k] = _pad(kind)
    by_index.update(zip(decimal_ph, decimal_chars))
    exp_text = tokens[exp_at][1]
    sign = "-" if exponent < 0 else ("+" if exp_text[1] == "+" else "")
    exponent_pieces = _fill_integer(str(abs(exponent)), [tokens[i][1] for i in exponent_ph], False)
    if exponent_pieces:
        exponent_pieces[0] = sign + exponent_pieces[0]
        by_index.update(zip(exponent_ph, exponent_pieces))
    out = []
    for i, (kind, text) in enumerate(tokens):
        if i in by_index:
            out.append(by_index[i])
        elif i == exp_at:
            out.append(_Literal(exp_text[0]) if exponent_pieces else _Literal(exp_text[0]) + sign + "0")
        elif kind == "point":
            out.append("." if i == point else _Literal("."))
        elif kind in ("lit", "pct", "slash"):
            out.append(_Literal(text))
    return out


def _fraction_layout(tokens):
    """Locate the parts of a fraction section, or None if the section is no fraction."""
    slash = next((i for i, (kind, _) in enumerate(tokens) if kind == "slash"), None)
    if slash is None:
        return None
    j = slash + 1
    while j < len(tokens) and tokens[j][0] == "lit" and not tokens[j][1].isdigit():
        j += 1                           # "=/=": text between the slash and the denominator
    fixed = ""
    denominator = []
    if j < len(tokens) and tokens[j][0] == "lit" and tokens[j][1] in "123456789":
        while j < len(tokens) and (tokens[j][0] == "lit" and tokens[j][1].isdigit() or tokens[j] == ("ph", "0")):
            fixed += tokens[j][1]
            denominator.append(j)
            j += 1
    else:
        while j < len(tokens) and tokens[j][0] == "ph":
            denominator.append(j)
            j += 1
    if not denominator:
        return None
    k = slash - 1
    while k >= 0 and tokens[k][0] == "lit":
        k -= 1
    numerator_end = k
    while k >= 0 and tokens[k][0] == "ph":
        k -= 1
    numerator = list(range(k + 1, numerator_end + 1))
    if not numerator:
        return None
    integer = [i for i in range(k + 1) if tokens[i][0] == "ph"]
    return slash, fixed, denominator, numerator, integer


def _render_fraction(tokens, x: Decimal, layout) -> list:
    slash, fixed, denominator_ph, numerator_ph, integer_ph = layout
    whole = int(x) if integer_ph else 0
    part = x - whole
    if fixed:
        den = int(fixed)
        num = int(_quantize(part * den, 0))
    else:
        approx = Fraction(part).limit_denominator(10 ** len(denominator_ph) - 1)
        num, den = approx.numerator, approx.denominator
    if integer_ph and num and num == den:
        whole, num = whole + 1, 0
    if num == 0 and not fixed:
        den = 1
    kinds = {i: tokens[i][1] for i in numerator_ph + integer_ph + (denominator_ph if not fixed else [])}
    numerator_pieces = _fill_integer(str(num), [kinds[i] for i in numerator_ph], False)
    by_index = dict(zip(numerator_ph, numerator_pieces))
    if not fixed:
        digits = str(den)
        spare = [kinds[i] for i in denominator_ph[len(digits):]]
        text = "".join(_pad(k) for k in spare if k == "0") + digits + "".join(_pad(k) for k in spare if k == "?")
        by_index[denominator_ph[0]] = text
        for i in denominator_ph[1:]:
            by_index[i] = ""
    first_numerator = numerator_ph[0]
    last_denominator = denominator_ph[-1]
    separator = range(integer_ph[-1] + 1, first_numerator) if integer_ph else range(0)
    blank_fraction = False
    separator_mode = "keep"          # keep / drop / space
    if integer_ph:
        last_integer_kind = kinds[integer_ph[-1]]
        if num == 0 and "0" not in [kinds[i] for i in numerator_ph]:
            blank_fraction = True
            integer_digits = str(whole)
        elif whole == 0:
            if num == 0:
                integer_digits = "" if last_integer_kind == "#" else "0"
                separator_mode = "drop" if last_integer_kind == "#" else "keep"
            else:
                integer_digits = ""
                if last_integer_kind == "?":
                    separator_mode = "space"
                elif last_integer_kind == "#":
                    separator_mode = "space" if kinds[first_numerator] == "?" else "drop"
        else:
            integer_digits = str(whole)
        integer_kinds = [kinds[i] for i in integer_ph]
        if whole == 0 and integer_digits == "" and not blank_fraction:
            pieces = [_pad(k) for k in integer_kinds]
        else:
            pieces = _fill_integer(integer_digits, integer_kinds, False)
        by_index.update(zip(integer_ph, pieces))
    out = []
    if blank_fraction:
        hidden = 0
        for i in range(separator.start, last_denominator + 1):
            kind, text = tokens[i]
            hidden += len(text) if kind != "ph" or i in (numerator_ph + denominator_ph) else 1
        has_question = any(k == "?" for k in kinds.values())
        filler = _Literal(" " * hidden if has_question else "")
    for i, (kind, text) in enumerate(tokens):
        if blank_fraction and separator.start <= i <= last_denominator:
            if i == separator.start:
                out.append(filler)
            continue
        if i in separator and kind == "lit":
            if separator_mode == "drop":
                continue
            if separator_mode == "space":
                out.append(_Literal(" " * len(text)))
                continue
        if i in by_index:
            out.append(by_index[i])
        elif kind == "ph" or (fixed and i in denominator_ph):
            out.append(text if kind == "ph" else _Literal(text))
        elif kind in ("lit", "slash", "pct", "point", "comma"):
            out.append(_Literal(text))
    return out


def _join(pieces, dbnum: int) -> str:
    if not dbnum:
        return "".join(pieces)
    return "".join(p if isinstance(p, _Literal) else convert_digits(p, dbnum) for p in pieces)


def _render_number(section, value: float) -> str:
    tokens = section.tokens
    x = dec15(abs(value)) if value else Decimal(0)
    if any(kind == "general" for kind, _ in tokens):
        general = general_format(abs(value))
        if section.dbnum:
            general = read_out_number(general, section.dbnum)
        return "".join(general if kind == "general" else (text if kind in ("lit", "pct", "slash", "point", "comma")
                                                           else "") for kind, text in tokens)
    if any(kind == "exp" for kind, _ in tokens) and any(kind == "ph" for kind, _ in tokens):
        return _join(_render_scientific(tokens, x), section.dbnum)
    layout = _fraction_layout(tokens)
    if layout is not None:
        return _join(_render_fraction(tokens, x, layout), section.dbnum)
    return _join(_render_plain(tokens, x), section.dbnum)


# ====================================================================== dates and times

_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]
_DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
_DAYS_CN = "日一二三四五六"


def _render_date(section, value: float, date1904: bool):
    tokens = section.tokens
    elapsed = any(kind == "elapsed" for kind, _ in tokens)
    if value < 0 and not elapsed:
        return VALUE              # a negative date or time cannot be shown
    sign = "-" if value < 0 else ""
    subsec = max((int(text) for kind, text in tokens if kind == "subsec"), default=0)
    subsec = min(subsec, 3)
    seconds = _quantize(Decimal(repr(abs(value))) * 86400, subsec)
    whole_seconds = int(seconds)
    fraction = format(seconds - whole_seconds, "f").partition(".")[2].ljust(3, "0")
    day = whole_seconds // 86400
    if not elapsed and day > _LAST_DATE_SERIAL:
        return VALUE
    second_of_day = whole_seconds % 86400
    if day > _LAST_DATE_SERIAL:  # elapsed time past 9999-12-31: no calendar date to show
        if any(kind in ("year", "month", "day", "weekday_cn", "era") for kind, _ in tokens):
            return VALUE
        year = month = dom = weekday = None
    else:
        year, month, dom, weekday = calendar_day(day, date1904)
    twelve_hour = any(kind == "ampm" for kind, _ in tokens)
    units = {("h" if kind in ("hour",) else "m" if kind == "minute" else "s" if kind == "second"
              else text[0]) for kind, text in tokens if kind in ("hour", "minute", "second", "elapsed")}
    if elapsed:
        hours = whole_seconds // 3600
        minutes = whole_seconds // 60 % 60 if "h" in units else whole_seconds // 60
        secs = (whole_seconds % 60 if "m" in units else
                whole_seconds % 3600 if "h" in units else whole_seconds)
    else:
        hours, minutes, secs = second_of_day // 3600, second_of_day // 60 % 60, second_of_day % 60
    out = []
    dbnum = section.dbnum

    def number(n: int, width: int) -> str:
        text = str(n).rjust(width, "0")
        if not dbnum:
            return text
        if width > 1:
            return convert_digits(text, dbnum)
        spoken = read_out_number(str(n), dbnum)
        # dates read 10-19 as 十五, not 一十五 ([DBNum1]yyyy"年"m"月"d"日" → 二〇二四年一月十五日)
        return spoken[1:] if 10 <= n <= 19 else spoken

    for kind, text in tokens:
        if kind == "lit":
            out.append(text)
        elif kind == "year":
            y = str(year) if len(text) > 2 or text[0] in "e" else "%02d" % (year % 100)
            if text[0] == "b":
                y = str(year + 543) if len(text) > 2 else "%02d" % ((year + 543) % 100)
            out.append(convert_digits(y, dbnum) if dbnum else y)
        elif kind == "month":
            n = len(text)
            out.append(number(month, n) if n <= 2 else _MONTHS[month - 1][:3] if n == 3
                       else _MONTHS[month - 1] if n == 4 else _MONTHS[month - 1][0])
        elif kind == "day":
            n = len(text)
            out.append(number(dom, n) if n <= 2 else _DAYS[weekday][:3] if n == 3 else _DAYS[weekday])
        elif kind == "weekday_cn":
            out.append(_DAYS_CN[weekday] if len(text) == 3 else "星期" + _DAYS_CN[weekday])
        elif kind == "hour":
            h = hours
            if twelve_hour and not elapsed:
                h = h % 12 or 12
            out.append(number(h, min(len(text), 2)))
        elif kind == "minute":
            out.append(number(minutes, min(len(text), 2)))
        elif kind == "second":
            out.append(number(secs, min(len(text), 2)))
        elif kind == "elapsed":
            total = {"h": hours, "m": minutes, "s": secs}[text[0]]
            out.append(number(total, len(text)))
        elif kind == "subsec":
            out.append("." + fraction[:int(text)])
        elif kind == "ampm":
            pm = second_of_day >= 43200
            if text == "AM/PM":
                out.append("PM" if pm else "AM")
            elif text == "上午/下午":
                out.append("下午" if pm else "上午")
            else:
                out.append(text[2] if pm else text[0])
        elif kind == "at":
            out.append("")
        # era ("g") is only shown in Japanese locales: nothing here
    return sign + "".join(out)


# ====================================================================== text

def _render_text(section, text: str) -> str:
    out = []
    for kind, token in section.tokens:
        if kind == "at":
            out.append(text)
        elif kind == "lit":
            out.append(token)
        elif kind in ("ph", "point", "comma", "pct", "slash", "exp"):
            out.append(token)
    return "".join(out)


# ====================================================================== TEXT

def _format_value(sections, value: float, date1904: bool):
    section, minus = _choose(sections, value)
    if section is None:
        return general_format(value)
    if section.is_empty:
        return ""
    if section.is_date:
        shown = value if minus else abs(value)
        return _render_date(section, shown, date1904)
    body = _render_number(section, value)
    return ("-" + body) if minus else body


#: The plain formats of amounts and counts: (thousands separators, decimals). A number whose
#: shortest decimal form has no more decimals and at most 15 significant digits is shown
#: by Python's own formatting with the same digits: nothing is rounded, and the double is
#: within half a unit in its last place of that decimal (so ``format`` rounds to it too).
_PLAIN_FORMATS = {f"{grouping}0{'.' + '0' * d if d else ''}": (bool(grouping), d)
                  for grouping in ("", "#,##") for d in range(5)}
#: TEXT of a float, by (format, value, date system): a column's dates repeat (bounded)
_SHOWN: dict = {}
_SHOWN_MAX = 8192


def _plain_shown(value: float, grouping: bool, decimals: int):
    """TEXT(value, "#,##0.00") and the like, when `_PLAIN_FORMATS`' condition holds; else None."""
    magnitude = -value if value < 0 else value
    if not magnitude < 10.0 ** (15 - decimals):
        return None
    shortest = repr(magnitude)
    whole, point, fraction = shortest.partition(".")
    if "e" in shortest or len(fraction.rstrip("0")) > decimals:
        return None
    body = format(magnitude, f"{',' if grouping else ''}.{decimals}f")
    return "-" + body if value < 0 else body


def excel_text(value, format_text, date1904: bool = False):
    """TEXT(value, format_text) on already evaluated scalar arguments.

    Errors propagate (the value's first); a blank value is 0; text that reads as a number
    ("1234", "50%", "2024-01-15") is formatted as that number; other text and TRUE/FALSE go
    through the text section (or come back unchanged); an invalid format or a result longer
    than 32,767 characters gives #VALUE!.
    """
    if type(value) is float and type(format_text) is str and value:
        key = (format_text, value, date1904)
        shown = _SHOWN.get(key)
        if shown is None:
            plain = _PLAIN_FORMATS.get(format_text)
            shown = _plain_shown(value, *plain) if plain is not None else None
            if shown is None:
                shown = _excel_text(value, format_text, date1904)
            if len(_SHOWN) >= _SHOWN_MAX:
                _SHOWN.clear()
            _SHOWN[key] = shown
        return shown
    return _excel_text(value, format_text, date1904)


def _excel_text(value, format_text, date1904: bool):
    if type(value) is ErrorValue:
        return value
    if type(format_text) is ErrorValue:
        return format_text
    if format_text is None:
        fmt = ""
    elif isinstance(format_text, bool):
        fmt = "TRUE" if format_text else "FALSE"
    elif isinstance(format_text, (int, float)):
        fmt = general_text(float(format_text))
    else:
        fmt = str(format_text)
    try:
        sections = parse_format(fmt)
    except InvalidFormat:
        return VALUE
    if value is None:
        value = 0.0
    if isinstance(value, bool):
        result = _format_string(sections, "TRUE" if value else "FALSE")
    elif isinstance(value, str):
        number = text_to_num(value)
        if type(number) is ErrorValue:
            result = _format_string(sections, value)
        else:
            result = _format_value(sections, number, date1904)
    else:
        result = _format_value(sections, float(value), date1904)
    if type(result) is not ErrorValue and len(result) > MAX_TEXT_LENGTH:
        return VALUE
    return result


def _format_string(sections, text: str) -> str:
    _, text_section = _number_sections(sections)
    if text_section is None:
        return text
    return _render_text(text_section, text)


# ---------------------------------------------------------------- older entry points

def format_number(value: float, fmt: str, date1904: bool = False):
    """TEXT() for a numeric value (any format, dates included)."""
    return excel_text(float(value), fmt, date1904)


def format_text(text: str, fmt: str):
    """TEXT() for a text value that is not a number: the text section, else unchanged."""
    try:
        sections = parse_format(fmt)
    except InvalidFormat:
        return VALUE
    return _format_string(sections, text)
