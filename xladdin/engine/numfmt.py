"""Excel's TEXT(value, format) for number formats, with Excel's decimal rounding.

Supported: sections (pos;neg;zero;text), 0 # ? placeholders, decimal point,
thousands separator and scaling commas, %, scientific E+00/E-00, "quoted" and
\\escaped literals, any other literal character (元, 分, spaces ...), @ for text,
[Color]/[$-locale] brackets (ignored), "General".  Formats with date/time codes
are handed to the `formulas` package's TEXT (see engine_functions).
"""

from __future__ import annotations

import functools
import re
from decimal import ROUND_HALF_UP, Decimal

from .values import VALUE, dec15, num_to_text

__all__ = ["format_number", "format_text", "is_date_format", "split_sections"]


def split_sections(fmt: str) -> list[str]:
    sections, cur, i, n = [], [], 0, len(fmt)
    while i < n:
        ch = fmt[i]
        if ch == '"':
            j = fmt.find('"', i + 1)
            j = n - 1 if j < 0 else j
            cur.append(fmt[i: j + 1])
            i = j + 1
            continue
        if ch == "\\" and i + 1 < n:
            cur.append(fmt[i: i + 2])
            i += 2
            continue
        if ch == ";":
            sections.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
        i += 1
    sections.append("".join(cur))
    return sections


_BRACKET = re.compile(r"\[[^\]]*\]")
_QUOTED = re.compile(r'"[^"]*"|\\.')
_DATE_CODES = re.compile(r"[ymdhs]|AM/PM|A/P|\[h\]|\[m\]|\[s\]", re.IGNORECASE)


def is_date_format(fmt: str) -> bool:
    bare = _QUOTED.sub("", fmt)
    if re.search(r"\[(h+|m+|s+)\]", bare, re.IGNORECASE):
        return True
    bare = _BRACKET.sub("", bare)
    if bare.strip().lower() == "general":
        return False
    return bool(_DATE_CODES.search(bare))


def _tokenize(section: str):
    """-> list of (kind, text): lit, 0 # ? . , % E @"""
    toks, i, n = [], 0, len(section)
    while i < n:
        ch = section[i]
        if ch == '"':
            j = section.find('"', i + 1)
            j = n if j < 0 else j
            toks.append(("lit", section[i + 1: j]))
            i = j + 1
        elif ch == "\\" and i + 1 < n:
            toks.append(("lit", section[i + 1]))
            i += 2
        elif ch == "[":
            j = section.find("]", i)
            i = n if j < 0 else j + 1
        elif ch in "_" and i + 1 < n:   # _x : a space the width of x
            toks.append(("lit", " "))
            i += 2
        elif ch == "*" and i + 1 < n:   # *x : fill character, no width here
            i += 2
        elif ch in "0#?":
            toks.append((ch, ch))
            i += 1
        elif ch in ".,%@":
            toks.append((ch, ch))
            i += 1
        elif ch in "Ee" and i + 1 < n and section[i + 1] in "+-":
            toks.append(("E", section[i + 1]))
            i += 2
        else:
            toks.append(("lit", ch))
            i += 1
    return toks


def _group(digits: str) -> str:
    out = []
    while len(digits) > 3:
        out.append(digits[-3:])
        digits = digits[:-3]
    out.append(digits)
    return ",".join(reversed(out))


def _apply(value: float, toks, auto_minus: bool) -> str:
    digit_kinds = ("0", "#", "?")
    # locate the number part: from the first to the last placeholder
    idx = [k for k, t in enumerate(toks) if t[0] in digit_kinds or t[0] == "."]
    exp_pos = next((k for k, t in enumerate(toks) if t[0] == "E"), None)
    pct = sum(1 for t in toks if t[0] == "%")
    if not idx:
        # no digits at all: only literals (e.g. "合格"); Excel still shows a sign
        text = "".join(t[1] if t[0] in ("lit", "%", ",", "@") else "" for t in toks)
        return ("-" if auto_minus and value < 0 else "") + text
    first, last = idx[0], idx[-1]
    num_end = exp_pos if exp_pos is not None else last + 1
    dot = next((k for k in range(first, num_end) if toks[k][0] == "."), None)
    int_end = dot if dot is not None else num_end
    int_ph = [k for k in range(first, int_end) if toks[k][0] in digit_kinds]
    dec_ph = [k for k in range(dot + 1, num_end) if toks[k][0] in digit_kinds] if dot is not None else []
    # commas: between integer placeholders -> grouping; right after them -> /1000 each
    grouping = False
    scale = 0
    if int_ph:
        for k in range(int_ph[0], int_ph[-1]):
            if toks[k][0] == ",":
                grouping = True
    if int_ph or dec_ph:
        k = max(int_ph + dec_ph) + 1
        while k < len(toks) and toks[k][0] == ",":
            scale += 1
            k += 1
    x = dec15(abs(value))
    if pct:
        x = x.scaleb(2 * pct)
    if scale:
        x = x.scaleb(-3 * scale)
    exp_text = None
    if exp_pos is not None:
        exp_ph = [k for k in range(exp_pos + 1, len(toks)) if toks[k][0] in digit_kinds]
        n_int = max(1, len(int_ph))
        e = 0
        if x != 0:
            e = x.adjusted() - (n_int - 1)
            x = x.scaleb(-e)
            r = x.quantize(Decimal(1).scaleb(-len(dec_ph)), rounding=ROUND_HALF_UP)
            if r.adjusted() >= n_int:  # 9.99 -> 10.0
                e += 1
                x = x.scaleb(-1)
        sign = "-" if e < 0 else ("+" if toks[exp_pos][1] == "+" else "")
        exp_text = "E" + sign + str(abs(e)).rjust(sum(1 for k in exp_ph if toks[k][0] == "0"), "0")
    r = x.quantize(Decimal(1).scaleb(-len(dec_ph)), rounding=ROUND_HALF_UP)
    s = format(r, "f")
    ip, _, fp = s.partition(".")
    fp = fp.ljust(len(dec_ph), "0")
    if ip == "0":
        ip = ""
    n_zero_int = sum(1 for k in int_ph if toks[k][0] == "0")
    n_q_int = sum(1 for k in int_ph if toks[k][0] == "?")
    if len(ip) < n_zero_int:
        ip = ip.rjust(n_zero_int, "0")
    if grouping and ip:
        ip = _group(ip)
    if len(ip) < n_zero_int + n_q_int:
        ip = ip.rjust(n_zero_int + n_q_int, " ")
    # decimals: trailing '#' drop zeros, trailing '?' become spaces
    fchars = list(fp)
    for pos in range(len(dec_ph) - 1, -1, -1):
        kind = toks[dec_ph[pos]][0]
        if fchars[pos] != "0" or kind == "0":
            break
        fchars[pos] = "" if kind == "#" else " "
    out = []
    int_done = False
    di = 0
    negative = auto_minus and value < 0
    for k, (kind, text) in enumerate(toks):
        if exp_pos is not None and k > exp_pos and kind in digit_kinds:
            if not int_done:
                continue
            continue
        if k == exp_pos:
            out.append(exp_text)
            continue
        if kind in digit_kinds:
            if k in int_ph:
                if not int_done:
                    out.append(ip)
                    int_done = True
                continue
            if di < len(fchars):
                out.append(fchars[di])
                di += 1
            continue
        if kind == ".":
            if not int_done:
                out.append(ip)
                int_done = True
            if dot is not None and k == dot:
                out.append(".")
            continue
        if kind == ",":
            continue
        if kind == "@":
            continue
        out.append(text)  # lit, %
    text = "".join(out)
    if negative:
        text = "-" + text
    return text


_SIMPLE = re.compile(r'^(?P<grp>#,##)?0(?:\.(?P<dec>0+))?(?P<pct>%?)(?:"(?P<sfx>[^"]*)")?$')


@functools.lru_cache(maxsize=256)
def _compiled(fmt: str):
    """Per-format formatter; common formats (0.00, #,##0.00, 0.00%, 0"分") take a fast path."""
    m = _SIMPLE.match(fmt)
    if m:
        q = Decimal(1).scaleb(-len(m.group("dec") or ""))
        spec = ",f" if m.group("grp") else "f"
        pct = bool(m.group("pct"))
        tail = ("%" if pct else "") + (m.group("sfx") or "")

        def fast(value):
            x = dec15(abs(value))
            if pct:
                x = x.scaleb(2)
            s = format(x.quantize(q, rounding=ROUND_HALF_UP), spec)
            return ("-" + s if value < 0 else s) + tail
        return fast
    return functools.partial(_format_general, fmt)


def format_number(value: float, fmt: str):
    """TEXT() for a numeric value and a non-date format."""
    return _compiled(fmt)(value)


def _format_general(fmt: str, value: float):
    sections = split_sections(fmt)
    if len(sections) > 4:
        return VALUE
    if len(sections) == 1 and _BRACKET.sub("", sections[0]).strip().lower() in ("general", ""):
        if sections[0] == "":
            return ""
        return num_to_text(value)
    if value > 0 or len(sections) == 1 or (value == 0 and len(sections) == 2):
        section, auto_minus = sections[0], len(sections) == 1
        if value < 0:
            auto_minus = True
    elif value < 0:
        section, auto_minus = sections[1], False
    else:
        section, auto_minus = sections[2], False
    if _BRACKET.sub("", section).strip().lower() == "general":
        t = num_to_text(abs(value) if not auto_minus else value)
        return t
    return _apply(value, _tokenize_cached(section), auto_minus)


@functools.lru_cache(maxsize=256)
def _tokenize_cached(section):
    return tuple(_tokenize(section))


def format_text(text: str, fmt: str):
    """TEXT() for a text value: the 4th section or an @ section, else unchanged."""
    sections = split_sections(fmt)
    sec = None
    if len(sections) >= 4:
        sec = sections[3]
    elif len(sections) == 1 and "@" in _QUOTED.sub("", sections[0]):
        sec = sections[0]
    if sec is None:
        return text
    out = []
    for kind, t in _tokenize(sec):
        out.append(text if kind == "@" else t)
    return "".join(out)
