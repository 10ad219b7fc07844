"""Logical functions AND/OR/XOR/NOT, TRUE/FALSE; IF and its relatives (IFERROR, IFNA, IFS,
SWITCH) evaluate lazily and are built by `specials`."""

from __future__ import annotations

from ..values import to_bool
from ._args import _E, VALUE, Arr
from ._declare import declared


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


def _not(truth):
    return not truth


FUNCTIONS = {
    "AND": (f_and, "R", False),
    "OR": (f_or, "R", False),
    "XOR": (f_xor, "R", False),
    "NOT": declared("logical", _not),
    "TRUE": declared("", lambda: True, lifts=False),
    "FALSE": declared("", lambda: False, lifts=False),
}
