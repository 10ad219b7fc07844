"""Logical functions: IF and its relatives, AND/OR/XOR/NOT, TRUE/FALSE.

IF / IFERROR / IFNA are compiled lazily by the engine core; these eager forms are used
when an argument is an array."""

from __future__ import annotations

from ..values import compare, to_bool
from ._args import _E, NA, VALUE, Arr


def f_if(cond, a=False, b=False):
    c = to_bool(cond)
    if type(c) is _E:
        return c
    return a if c else b


def f_iferror(v, alt=None):
    return alt if type(v) is _E else v


def f_ifna(v, alt=None):
    return alt if type(v) is _E and v == "#N/A" else v


def _logical_values(args):
    """AND/OR/XOR's inputs: in ranges only booleans and numbers count; typed values convert."""
    out = []
    for a in args:
        if type(a) is Arr:
            for v in a.values():
                tv = type(v)
                if tv is bool:
                    out.append(v)
                elif tv is float or tv is int:
                    out.append(v != 0)
                elif tv is _E:
                    return v
        elif a is None:
            continue
        else:
            v = to_bool(a)
            if type(v) is _E:
                return v
            out.append(v)
    return out


def _logical(combine):
    """AND, OR and XOR share Excel's argument rules and differ only in how they combine."""
    def logical(*args):
        vals = _logical_values(args)
        if type(vals) is _E:
            return vals
        if not vals:
            return VALUE
        return combine(vals)
    return logical


f_and = _logical(all)
f_or = _logical(any)
f_xor = _logical(lambda vals: sum(vals) % 2 == 1)


def f_not(x):
    v = to_bool(x)
    return v if type(v) is _E else (not v)


def f_true():
    return True


def f_false():
    return False


def f_ifs(*args):
    if len(args) < 2 or len(args) % 2:
        return VALUE
    for k in range(0, len(args), 2):
        c = to_bool(args[k])
        if type(c) is _E:
            return c
        if c:
            return args[k + 1]
    return NA


def f_switch(expr, *args):
    if type(expr) is _E:
        return expr
    default = NA
    if len(args) % 2:
        default = args[-1]
        args = args[:-1]
    for k in range(0, len(args), 2):
        c = compare(expr, args[k])
        if type(c) is _E:
            return c
        if c == 0:
            return args[k + 1]
    return default


FUNCTIONS = {
    "IF": (f_if, "S", True),
    "IFERROR": (f_iferror, "S", True),
    "IFNA": (f_ifna, "S", True),
    "IFS": (f_ifs, "S", True),
    "SWITCH": (f_switch, "S", True),
    "AND": (f_and, "R", False),
    "OR": (f_or, "R", False),
    "XOR": (f_xor, "R", False),
    "NOT": (f_not, "S", True),
    "TRUE": (f_true, "S", False),
    "FALSE": (f_false, "S", False),
}
