"""Text functions.  Results longer than Excel's 32,767 characters are #VALUE!, checked before
a long string is built."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, localcontext

from .. import values as _values
from ..values import ERRORS, dec15, text_to_num, to_bool, to_text
from ._args import (
    _E, NA, OMITTED, TEXT_LIMIT, Arr, VALUE, first_error, flat, integer, num, nums, text_result,
    wildcard_regex,
)


CALC_ERROR = ERRORS["#CALC!"]


def _texts(*vals):
    """Several text arguments, converted in order: a tuple of str or the first error."""
    out = []
    for v in vals:
        s = v if type(v) is str else to_text(v)
        if type(s) is _E:
            return s
        out.append(s)
    return tuple(out)


# ---------------------------------------------------------------- joining

def f_concat(*args):
    out = []
    length = 0
    for a in args:
        for v in flat(a):
            s = to_text(v)
            if type(s) is _E:
                return s
            length += len(s)
            if length > TEXT_LIMIT:
                return VALUE
            out.append(s)
    return "".join(out)


def f_concatenate(*args):
    out = []
    length = 0
    for a in args:
        s = to_text(a)
        if type(s) is _E:
            return s
        length += len(s)
        if length > TEXT_LIMIT:
            return VALUE
        out.append(s)
    return "".join(out)


def f_textjoin(delim, ignore_empty, *args):
    ig = to_bool(ignore_empty)
    if type(ig) is _E:
        return ig
    delims = []
    for v in flat(delim):  # the delimiter may be an array, used in turn
        s = to_text(v)
        if type(s) is _E:
            return s
        delims.append(s)
    if not delims:
        delims = [""]
    parts = []
    for a in args:
        for v in flat(a):
            s = to_text(v)
            if type(s) is _E:
                return s
            if ig and s == "":
                continue
            parts.append(s)
    length = sum(map(len, parts))
    out = []
    for k, p in enumerate(parts):
        if k:
            d = delims[(k - 1) % len(delims)]
            length += len(d)
            out.append(d)
        out.append(p)
    if length > TEXT_LIMIT:
        return VALUE
    return "".join(out)


def f_rept(v, n):
    s, k = to_text(v), num(n)
    err = first_error(s, k)
    if err is not None:
        return err
    if k < 0:
        return VALUE
    k = int(k)
    if len(s) * k > TEXT_LIMIT:  # checked before the string is built
        return VALUE
    return s * k


# ---------------------------------------------------------------- pieces

def f_len(v):
    s = to_text(v)
    return s if type(s) is _E else float(len(s))


def _from_one_end(cut):
    """LEFT, RIGHT, LEFTB, RIGHTB: a text and a count, 1 when omitted (LEFT(s,) takes none);
    cut(text, count) takes count characters or bytes from one end."""
    def excel_function(v, n=OMITTED):
        s, k = to_text(v), 1.0 if n is OMITTED else num(n)
        err = first_error(s, k)
        if err is not None:
            return err
        if k < 0:
            return VALUE
        return cut(s, int(k))
    return excel_function


def _from_the_middle(cut):
    """MID, MIDB: a text, a 1-based start and a count; cut(text, start0, count) takes count
    characters or bytes from the 0-based position start0."""
    def excel_function(v, start, n):
        s, vals = to_text(v), nums(start, n)
        err = first_error(s, vals)
        if err is not None:
            return err
        a, k = vals
        if a < 1 or k < 0:
            return VALUE
        return cut(s, int(a) - 1, int(k))
    return excel_function


f_left = _from_one_end(lambda s, k: s[:k])
f_right = _from_one_end(lambda s, k: s[len(s) - k:] if k < len(s) else s)
f_mid = _from_the_middle(lambda s, a, k: s[a: a + k])


def f_replace(old, start, n, new):
    s, vals, r = to_text(old), nums(start, n), to_text(new)
    err = first_error(s, vals, r)
    if err is not None:
        return err
    a, k = vals
    if a < 1 or k < 0:
        return VALUE
    a, k = int(a), int(k)
    return text_result(s[: a - 1] + r + s[a - 1 + k:])


def f_substitute(v, old, new, instance=None):
    if type(v) is str and type(old) is str and type(new) is str:
        s, o, n = v, old, new   # text already (the common case): nothing to convert
    else:
        args = _texts(v, old, new)
        if type(args) is _E:
            return args
        s, o, n = args
    if o == "":
        return s
    if instance is None:
        count = s.count(o)
        if len(s) + count * (len(n) - len(o)) > TEXT_LIMIT:
            return VALUE
        return s.replace(o, n)
    k = integer(instance)
    if type(k) is _E:
        return k
    if k < 1:
        return VALUE
    pos = -1
    for _ in range(k):
        pos = s.find(o, pos + 1)
        if pos < 0:
            return s
    return text_result(s[:pos] + n + s[pos + len(o):])


def f_trim(v):
    s = to_text(v)
    if type(s) is _E:
        return s
    return re.sub(" +", " ", s).strip(" ")  # only the space character (32), as Excel


_CONTROL = re.compile(r"[\x00-\x1f]")


def f_clean(v):
    s = to_text(v)
    return s if type(s) is _E else _CONTROL.sub("", s)


def f_upper(v):
    s = to_text(v)
    return s if type(s) is _E else s.upper()


def f_lower(v):
    s = to_text(v)
    return s if type(s) is _E else s.lower()


def f_proper(v):
    s = to_text(v)
    if type(s) is _E:
        return s
    out = []
    after_letter = False
    for ch in s:
        if ch.isalpha():
            out.append(ch.lower() if after_letter else ch.upper())
            after_letter = True
        else:
            out.append(ch)
            after_letter = False
    return "".join(out)


def f_exact(a, b):
    args = _texts(a, b)
    if type(args) is _E:
        return args
    return args[0] == args[1]


def _search_args(needle, hay, start):
    """FIND and SEARCH read their arguments alike: texts and a 1-based start within the text."""
    args = _texts(needle, hay)
    if type(args) is _E:
        return args
    n, h = args
    s = 1.0 if start is None else num(start)
    if type(s) is _E:
        return s
    s = int(s)
    if s < 1 or s > len(h) + 1:
        return VALUE
    return n, h, s


def f_find(needle, hay, start=None):
    args = _search_args(needle, hay, start)
    if type(args) is _E:
        return args
    n, h, s = args
    p = h.find(n, s - 1)
    return VALUE if p < 0 else float(p + 1)


def f_search(needle, hay, start=None):
    args = _search_args(needle, hay, start)
    if type(args) is _E:
        return args
    n, h, s = args
    m = wildcard_regex(n, anchored=False).search(h, s - 1)
    return VALUE if m is None else float(m.start() + 1)


# ---------------------------------------------------------------- bytes (double-byte languages)

# With Chinese as the editing language (the users of this add-in), Excel counts every character
# outside ASCII as two bytes: LENB("绩效")=4, and LENB(s)-LEN(s) counts the Chinese characters.
def _byte_width(ch):
    return 1 if ord(ch) < 128 else 2


def f_lenb(v):
    s = to_text(v)
    return s if type(s) is _E else float(sum(map(_byte_width, s)))


def _byte_slice(s, start_byte, n_bytes):
    """Characters that lie wholly within bytes [start_byte, start_byte + n_bytes) (0-based)."""
    out = []
    pos = 0
    for ch in s:
        w = _byte_width(ch)
        if pos >= start_byte and pos + w <= start_byte + n_bytes:
            out.append(ch)
        pos += w
    return "".join(out)


def _last_bytes(s, n_bytes):
    total = sum(map(_byte_width, s))
    n_bytes = min(n_bytes, total)
    return _byte_slice(s, total - n_bytes, n_bytes)


f_leftb = _from_one_end(lambda s, k: _byte_slice(s, 0, k))
f_rightb = _from_one_end(_last_bytes)
f_midb = _from_the_middle(_byte_slice)


# ---------------------------------------------------------------- TEXTBEFORE, TEXTAFTER, TEXTSPLIT

def _delimiters(d):
    out = []
    for v in flat(d):
        s = to_text(v)
        if type(s) is _E:
            return s
        out.append(s)
    return out


def _occurrences(s, delims, ignore_case):
    """(start, end) of each delimiter occurrence, left to right, not overlapping."""
    hay = s.lower() if ignore_case else s
    needles = [d.lower() if ignore_case else d for d in delims]
    found = []
    i = 0
    while i <= len(hay):
        hits = [(hay.find(nd, i), -len(nd)) for nd in needles if nd]
        hits = [h for h in hits if h[0] >= 0]
        if not hits:
            break
        start, neg_len = min(hits)
        found.append((start, start - neg_len))
        i = start - neg_len if neg_len else start + 1
    return found


def _text_around(before):
    def f(v, delimiter, instance=None, match_mode=None, match_end=None, if_not_found=OMITTED):
        s, delims = to_text(v), _delimiters(delimiter)
        vals = nums(1.0 if instance is None else instance, 0.0 if match_mode is None else match_mode,
                    0.0 if match_end is None else match_end)
        err = first_error(s, delims, vals)
        if err is not None:
            return err
        k, mode, end = int(vals[0]), vals[1], vals[2]
        if k == 0 or abs(k) > len(s) + 1 or mode not in (0, 1):
            return VALUE
        if all(d == "" for d in delims):
            cut = (0, 0) if k > 0 else (len(s), len(s))
        else:
            occ = _occurrences(s, delims, mode == 1)
            if end:
                occ = ([(0, 0)] if k < 0 else []) + occ + ([(len(s), len(s))] if k > 0 else [])
            if abs(k) > len(occ):
                return NA if if_not_found is OMITTED else if_not_found
            cut = occ[k - 1] if k > 0 else occ[k]
        return s[:cut[0]] if before else s[cut[1]:]
    return f


f_textbefore = _text_around(True)
f_textafter = _text_around(False)


def f_textsplit(v, col_delimiter, row_delimiter=None, ignore_empty=None, match_mode=None,
                pad_with=OMITTED):
    s = to_text(v)
    cols = _delimiters(col_delimiter) if col_delimiter is not None else []
    rows_d = _delimiters(row_delimiter) if row_delimiter is not None else []
    ig = False if ignore_empty is None else to_bool(ignore_empty)
    mode = 0.0 if match_mode is None else num(match_mode)
    err = first_error(s, cols, rows_d, ig, mode)
    if err is not None:
        return err
    if not any(cols) and not any(rows_d):
        return VALUE

    def split(text, delims):
        if not any(delims):
            return [text]
        parts, i = [], 0
        for a, b in _occurrences(text, delims, mode == 1):
            parts.append(text[i:a])
            i = b
        parts.append(text[i:])
        return [p for p in parts if p != ""] if ig else parts

    grid = [split(line, cols) for line in split(s, rows_d)]
    if not grid:
        return CALC_ERROR
    width = max(len(r) for r in grid)
    pad = NA if pad_with is OMITTED else pad_with
    return Arr(tuple(tuple(r) + (pad,) * (width - len(r)) for r in grid))


# ---------------------------------------------------------------- characters

def f_unichar(v):
    k = integer(v)
    if type(k) is _E:
        return k
    if not 1 <= k <= 0x10FFFF:
        return VALUE
    if 0xD800 <= k <= 0xDFFF:
        return NA  # a lone surrogate is no character
    return chr(k)


def f_unicode(v):
    s = to_text(v)
    if type(s) is _E:
        return s
    if not s:
        return VALUE
    return float(ord(s[0]))


# ---------------------------------------------------------------- numbers as text

def _grouped(digits):
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)]
    return ",".join(parts)


def f_fixed(v, decimals=None, no_commas=None):
    x = num(v)
    d = 2 if decimals is None else integer(decimals)
    nc = False if no_commas is None else to_bool(no_commas)
    err = first_error(x, d, nc)
    if err is not None:
        return err
    if d > 127:
        return VALUE
    d = max(d, -400)  # rounding left of every digit a number has: 0
    with localcontext() as exact:  # room for every digit of 1E+307 with 127 decimals
        exact.prec = 500
        q = dec15(x).quantize(Decimal(1).scaleb(-d), rounding=ROUND_HALF_UP) if x else Decimal(0)
        if d < 0:
            q = q.quantize(Decimal(1))
    shown = max(d, 0)
    body = "%.*f" % (shown, abs(q)) if abs(q) < 1e15 else format(abs(q), ".%df" % shown)
    whole, _, frac = body.partition(".")
    if not nc:
        whole = _grouped(whole)
    out = whole + ("." + frac if frac else "")
    return ("-" + out) if q < 0 else out


def f_numbervalue(v, decimal_sep=None, group_sep=None):
    args = _texts(v, "." if decimal_sep is None else decimal_sep, "," if group_sep is None else group_sep)
    if type(args) is _E:
        return args
    s, dsep, gsep = args
    if not dsep or not gsep:
        return VALUE
    dsep, gsep = dsep[0], gsep[0]
    if dsep == gsep:
        return VALUE
    s = re.sub(r"\s+", "", s)
    if not s:
        return 0.0
    pct = len(s) - len(s.rstrip("%"))
    s = s.rstrip("%")
    head, sep, tail = s.partition(dsep)
    if gsep in tail:
        return VALUE
    s = head.replace(gsep, "") + ("." if sep else "") + tail
    if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", s):
        return VALUE
    return float(s) / (100.0 ** pct)


def f_value(v):
    t = type(v)
    if t is float or t is int:
        return float(v)
    if t is _E:
        return v
    if v is None:
        return 0.0
    if t is bool:
        return VALUE
    return text_to_num(v)  # the conversion arithmetic does: numbers, currency, dates, times


def f_text(v, fmt):
    """TEXT(value, format_text): numfmt implements the whole function on scalars."""
    from .. import numfmt  # only workbooks that use TEXT pay for loading it
    return numfmt.excel_text(v, fmt, date1904=_values.context.date1904)


FUNCTIONS = {
    "TEXT": (f_text, "S", True),
    "CONCAT": (f_concat, "R", False),
    "CONCATENATE": (f_concatenate, "S", True),
    "TEXTJOIN": (f_textjoin, "RSR", False),
    "REPT": (f_rept, "S", True),
    "LEN": (f_len, "S", True),
    "LEFT": (f_left, "S", True),
    "RIGHT": (f_right, "S", True),
    "MID": (f_mid, "S", True),
    "REPLACE": (f_replace, "S", True),
    "SUBSTITUTE": (f_substitute, "S", True),
    "TRIM": (f_trim, "S", True),
    "CLEAN": (f_clean, "S", True),
    "UPPER": (f_upper, "S", True),
    "LOWER": (f_lower, "S", True),
    "PROPER": (f_proper, "S", True),
    "EXACT": (f_exact, "S", True),
    "FIND": (f_find, "S", True),
    "SEARCH": (f_search, "S", True),
    "UNICHAR": (f_unichar, "S", True),
    "UNICODE": (f_unicode, "S", True),
    "FIXED": (f_fixed, "S", True),
    "NUMBERVALUE": (f_numbervalue, "S", True),
    "VALUE": (f_value, "S", True),
    "LENB": (f_lenb, "S", True),
    "LEFTB": (f_leftb, "S", True),
    "RIGHTB": (f_rightb, "S", True),
    "MIDB": (f_midb, "S", True),
    "TEXTBEFORE": (f_textbefore, "SRS", False),
    "TEXTAFTER": (f_textafter, "SRS", False),
    "TEXTSPLIT": (f_textsplit, "SRRS", False),
}
