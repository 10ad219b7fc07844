"""Excel's operators: + - * / ^ & = <> < > <= >=, unary minus/plus and percent (`OPERATORS`)."""

from __future__ import annotations

from ..values import DIV0, NUM, VALUE, Arr, compare, lift, to_num, to_text
from ._args import _E, TEXT_LIMIT, finite

def _arithmetic(combine):
    """A binary arithmetic operator: numbers as Excel reads them (text "1" is 1, TRUE is 1,
    blank is 0), the first error wins, arrays element by element."""
    def apply(a, b):
        if type(a) is not float or type(b) is not float:
            if type(a) is Arr or type(b) is Arr:
                return lift(apply, a, b)
            a = to_num(a)
            if type(a) is _E:
                return a
            b = to_num(b)
            if type(b) is _E:
                return b
        return combine(a, b)
    return apply


def _finite(r):
    return r if r - r == 0 else NUM


def _divide(a, b):
    return DIV0 if b == 0 else _finite(a / b)


def _power(a, b):
    if a == 0:
        if b == 0:
            return NUM
        if b < 0:
            return DIV0
        return 0.0
    if a < 0 and not float(b).is_integer():
        return NUM
    try:
        r = float(a) ** b
    except (OverflowError, ZeroDivisionError):
        return NUM
    return finite(r)


op_add = _arithmetic(lambda a, b: _finite(a + b))
op_sub = _arithmetic(lambda a, b: _finite(a - b))
op_mul = _arithmetic(lambda a, b: _finite(a * b))
op_div = _arithmetic(_divide)
op_pow = _arithmetic(_power)


def op_neg(a):
    if type(a) is float:
        return -a
    if type(a) is Arr:
        return lift(op_neg, a)
    a = to_num(a)
    return a if type(a) is _E else -a


def op_pos(a):
    return a


def op_pct(a):
    if type(a) is Arr:
        return lift(op_pct, a)
    a = to_num(a)
    return a if type(a) is _E else a / 100.0


def op_cat(a, b):
    if type(a) is str and type(b) is str and len(a) + len(b) <= TEXT_LIMIT:
        return a + b
    if type(a) is Arr or type(b) is Arr:
        return lift(op_cat, a, b)
    a = to_text(a)
    if type(a) is _E:
        return a
    b = to_text(b)
    if type(b) is _E:
        return b
    if len(a) + len(b) > TEXT_LIMIT:
        return VALUE
    return a + b


def _cmp_op(test):
    def op(a, b):
        if type(a) is Arr or type(b) is Arr:
            return lift(op, a, b)
        c = compare(a, b)
        if type(c) is _E:
            return c
        return test(c)
    return op


op_eq = _cmp_op(lambda c: c == 0)
op_ne = _cmp_op(lambda c: c != 0)
op_lt = _cmp_op(lambda c: c < 0)
op_gt = _cmp_op(lambda c: c > 0)
op_le = _cmp_op(lambda c: c <= 0)
op_ge = _cmp_op(lambda c: c >= 0)

OPERATORS = {
    "+": op_add, "-": op_sub, "*": op_mul, "/": op_div, "^": op_pow, "&": op_cat,
    "=": op_eq, "<>": op_ne, "<": op_lt, ">": op_gt, "<=": op_le, ">=": op_ge,
    "u-": op_neg, "u+": op_pos, "%": op_pct,
}


