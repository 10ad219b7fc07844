"""Declared argument kinds: a function states once what each argument is, and the wrapper
coerces the arguments in order (the leftmost error wins, as in Excel) before the body runs,
as pycel's ``excel_helper`` and HyperFormula's ``parameters`` do.

``signature`` is a comma-separated list of kinds, ``kind=default`` for an optional argument
(an omitted one gets the default, or is not passed at all with ``kind=omitted`` so that the
body's own default applies; an empty one, ``F(1,)``, is coerced from blank, as Excel reads
it: 0, FALSE, ""), and ``*kind`` last for a repeating one:

* ``number``  a float (text that reads as a number converts; other text is #VALUE!)
* ``integer`` a number truncated toward zero
* ``logical`` TRUE/FALSE (numbers: non-zero is TRUE)
* ``text``    text (numbers as Excel writes them)
* ``date``    a date serial truncated to its day (a number, or a text DATEVALUE reads)
* ``any``     one value, untouched (an error in it is not returned early)
* ``range``   a range or array argument, as an `Arr` (a typed value stays a value)

A body's float result that overflows becomes #NUM!; a math domain error (ValueError,
OverflowError) too, and ZeroDivisionError is #DIV/0!.
"""

from __future__ import annotations

from ..values import DIV0, NUM, VALUE, ErrorValue, to_bool, to_num, to_text
from ._args import integer

__all__ = ["declared"]

_E = ErrorValue


def _as_integer(v):
    n = integer(v)
    return n if type(n) is _E else float(n)


def _as_any(v):
    return v


def _as_date(v):
    from .date import day_arg
    return day_arg(v)


_COERCE = {"number": to_num, "integer": _as_integer, "logical": to_bool, "text": to_text,
           "any": _as_any, "range": _as_any, "date": _as_date}
_PASSES_ERRORS = frozenset({"any", "range"})
_MISSING = object()
_OMITTED = object()


def _parse_default(text):
    t = text.strip()
    if t.upper() in ("TRUE", "FALSE"):
        return t.upper() == "TRUE"
    if t.startswith('"'):
        return t.strip('"')
    if t.upper() == "NONE":
        return None
    if t.lower() == "omitted":
        return _OMITTED
    return float(t)


def _parse(signature):
    params = []
    repeat = None
    for part in (p.strip() for p in signature.split(",") if p.strip()):
        if part.startswith("*"):
            repeat = part[1:]
            continue
        kind, _, default = part.partition("=")
        kind = kind.strip()
        if kind not in _COERCE:
            raise ValueError("unknown argument kind %r" % kind)
        params.append((kind, _parse_default(default) if default else _MISSING))
    return params, repeat


def declared(signature, fn, lifts=None):
    """The registry entry ``(call, modes, lifts)`` for ``fn`` with its declared arguments."""
    params, repeat = _parse(signature)
    kinds = [k for k, _ in params] + ([repeat] if repeat else [])
    modes = "".join("R" if k == "range" else "S" for k in kinds) or "S"
    if lifts is None:
        lifts = "range" not in kinds
    required = sum(1 for _, d in params if d is _MISSING)
    coercers = [(_COERCE[k], k in _PASSES_ERRORS) for k in kinds]
    n_fixed = len(params)

    def call(*args):
        if len(args) < required or (repeat is None and len(args) > n_fixed):
            return VALUE
        out = []
        for i, a in enumerate(args):
            coerce, passes = coercers[i] if i < n_fixed else coercers[-1]
            v = coerce(a)
            if type(v) is _E and not passes:
                return v
            out.append(v)
        for kind, default in params[len(args):]:
            if default is _OMITTED:
                break
            out.append(default)
        try:
            r = fn(*out)
        except ZeroDivisionError:
            return DIV0
        except (ValueError, OverflowError):
            return NUM
        if type(r) is float and r - r != 0:
            return NUM
        return r
    call.__name__ = fn.__name__
    call.__doc__ = fn.__doc__
    call.signature = signature
    return call, modes, lifts
