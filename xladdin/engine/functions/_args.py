"""Argument helpers shared by the function modules: coercion with Excel's error order,
the numbers an aggregate sees, criteria (COUNTIF ...) and wildcards."""

from __future__ import annotations

import functools
import re

from ..values import (
    DIV0, NA, NUM, REF, VALUE, Arr, ErrorValue, as_error, compare, text_to_num, to_bool,
    to_num, to_text,
)

__all__ = [
    "_E", "DIV0", "NA", "NUM", "REF", "VALUE", "Arr", "OMITTED", "TEXT_LIMIT", "finite", "first_error",
    "num", "integer",
    "text", "boolean", "nums", "text_result", "numbers", "numbers_a", "flat", "cells",
    "is_num", "number_pairs", "wildcard_regex", "make_matcher", "vector", "numeric_matrix",
]

_E = ErrorValue

#: Default of an optional argument whose omission differs from an empty argument: an omitted
#: trailing argument is not passed at all, an empty one (`VLOOKUP(a,b,2,)`) arrives as None,
#: which Excel reads as 0 / FALSE.
OMITTED = object()

#: Excel's longest text value; a longer result is #VALUE!.
TEXT_LIMIT = 32767


def finite(r):
    """A float result, or #NUM! for an overflow/NaN (Excel has neither inf nor NaN)."""
    return r if r - r == 0 else NUM


def first_error(*values):
    """The first Excel error among arguments already read, or None.

    Pass them in the function's argument order: Excel reports the leftmost error, so
    `first_error(s, k)` answers as reading s, returning its error, then reading k would.
    An error is a non-empty str, hence true: `first_error(a, b) or result` is the error, else
    the result."""
    for v in values:
        if type(v) is _E:
            return v
    return None


def num(v):
    """One numeric argument: float or the ErrorValue to return."""
    if type(v) is float:
        return v
    return to_num(v)


def integer(v):
    """An argument Excel truncates toward zero (digit counts, periods, places ...)."""
    v = to_num(v)
    if type(v) is _E:
        return v
    if v - v != 0:
        return NUM
    return int(v)


def text(v):
    return v if type(v) is str else to_text(v)


def boolean(v):
    return to_bool(v)


def nums(*vals):
    """Several numeric arguments, coerced in order: a tuple of floats or the first error."""
    out = []
    for v in vals:
        x = v if type(v) is float else to_num(v)
        if type(x) is _E:
            return x
        out.append(x)
    return tuple(out)


def text_result(s):
    return VALUE if len(s) > TEXT_LIMIT else s


def is_num(v):
    t = type(v)
    return t is float or t is int


def numbers(args):
    """The numbers SUM/AVERAGE/MIN... see, or the first error.

    In a range or array only numbers count (text, booleans and blanks are skipped);
    a value typed as an argument is converted ("2" and TRUE count, "x" is #VALUE!)."""
    out = []
    for a in args:
        t = type(a)
        if t is Arr:
            for v in a.values():
                tv = type(v)
                if tv is float or tv is int:
                    out.append(float(v))
                elif tv is _E:
                    return v
        elif t is float:
            out.append(a)
        elif a is None:
            continue
        else:
            v = to_num(a)
            if type(v) is _E:
                return v
            out.append(v)
    return out


def numbers_a(args):
    """The values the ...A functions (AVERAGEA, MAXA, STDEVA ...) see: in ranges text counts
    as 0 and TRUE/FALSE as 1/0, blanks are skipped; typed arguments are converted."""
    out = []
    for a in args:
        if type(a) is Arr:
            for v in a.values():
                tv = type(v)
                if tv is float or tv is int:
                    out.append(float(v))
                elif tv is bool:
                    out.append(1.0 if v else 0.0)
                elif tv is _E:
                    return v
                elif tv is str:
                    out.append(0.0)
        elif a is None:
            continue
        else:
            v = to_num(a)
            if type(v) is _E:
                return v
            out.append(v)
    return out


def flat(a):
    if type(a) is Arr:
        yield from a.values()
    else:
        yield a


def cells(a):
    """Rows of an argument that may be a range, an array or a single value."""
    if type(a) is Arr:
        return a.rows
    return ((a,),)


def vector(a):
    """A one-row or one-column argument as a list, or None when it is two-dimensional."""
    rows = cells(a)
    if len(rows) == 1:
        return list(rows[0])
    if rows and len(rows[0]) == 1:
        return [r[0] for r in rows]
    return None


def number_pairs(a, b):
    """The cells of two equal-sized arguments paired in order, keeping the pairs where both are
    numbers: a list of (a value, b value) floats; #N/A when the sizes differ, else the first
    error in a, then in b (SUMX2MY2, CORREL, SLOPE ...)."""
    xs, ys = list(flat(a)), list(flat(b))
    if len(xs) != len(ys):
        return NA
    err = first_error(*xs, *ys)
    if err is not None:
        return err
    return [(float(x), float(y)) for x, y in zip(xs, ys) if is_num(x) and is_num(y)]


# ---------------------------------------------------------------- wildcards & criteria

@functools.lru_cache(maxsize=256)
def wildcard_regex(pattern, anchored=True):
    """Excel's wildcards: * any run, ? one character, ~ escapes the next * ? or ~."""
    out = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "~" and i + 1 < len(pattern) and pattern[i + 1] in "*?~":
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        out.append(".*" if ch == "*" else "." if ch == "?" else re.escape(ch))
        i += 1
    body = "".join(out)
    return re.compile(("^%s$" % body) if anchored else body, re.IGNORECASE | re.DOTALL)


_CRIT_OP = re.compile(r"^(>=|<=|<>|=|>|<)?(.*)$", re.DOTALL)
_ORDER_TESTS = {"=": lambda c: c == 0, "<>": lambda c: c != 0, "<": lambda c: c < 0,
                ">": lambda c: c > 0, "<=": lambda c: c <= 0, ">=": lambda c: c >= 0}


@functools.lru_cache(maxsize=1024)
def _text_matcher(crit: str):
    op, rest = _CRIT_OP.match(crit).groups()
    op = op or "="
    n = text_to_num(rest) if rest.strip() else VALUE
    if type(n) is not _E:
        test = _ORDER_TESTS[op]
        if op == "<>":
            return lambda v: not (is_num(v) and compare(v, n) == 0)
        return lambda v: is_num(v) and test(compare(v, n))
    up = rest.upper()
    if up in ("TRUE", "FALSE"):
        b = up == "TRUE"
        if op == "<>":
            return lambda v: not (type(v) is bool and v == b)
        test = _ORDER_TESTS[op]
        return lambda v: type(v) is bool and test(compare(v, b))
    err = as_error(rest)
    if err is not None:
        if op == "<>":
            return lambda v: not (type(v) is _E and v == err)
        return lambda v: type(v) is _E and v == err
    if op in ("=", "<>"):
        if rest == "":
            if op == "=":
                return lambda v: v is None or v == ""
            return lambda v: not (v is None or v == "")
        if any(c in rest for c in "*?~"):
            rx = wildcard_regex(rest)
            hit = lambda v: type(v) is str and rx.match(v) is not None  # noqa: E731
        else:
            low = rest.lower()
            hit = lambda v: type(v) is str and v.lower() == low  # noqa: E731
        if op == "=":
            return hit
        return lambda v: not hit(v)
    test = _ORDER_TESTS[op]
    return lambda v: type(v) is str and test(compare(v, rest))


def make_matcher(crit):
    """A predicate on cell values for a COUNTIF-style criterion (number, text, "op value")."""
    if type(crit) is Arr:
        crit = crit.rows[0][0] if crit.rows and crit.rows[0] else None
    t = type(crit)
    if crit is None:
        crit, t = 0.0, float
    if t is _E:
        return lambda v: type(v) is _E and v == crit
    if t is bool:
        return lambda v: type(v) is bool and v == crit
    if t is float or t is int:
        c = float(crit)
        return lambda v: is_num(v) and compare(v, c) == 0
    return _text_matcher(str(crit))


def numeric_matrix(a):
    """A numeric matrix (list of rows of float), or the error Excel gives: the first error
    value in it, or #VALUE! for text, a logical or a blank (MMULT, LINEST ...)."""
    out = []
    for row in cells(a):
        r = []
        for v in row:
            if type(v) is _E:
                return v
            if not is_num(v):
                return VALUE
            r.append(float(v))
        out.append(r)
    return out
