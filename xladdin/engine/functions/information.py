"""Information functions: IS*, N, T, TYPE, NA, ERROR.TYPE.

ISREF, ISFORMULA, CELL, SHEET(S) need references and are the engine core's."""

from __future__ import annotations

from ..values import to_num
from ._args import _E, NA, VALUE, Arr


def f_isnumber(v):
    t = type(v)
    return t is float or t is int


def f_istext(v):
    return type(v) is str


def f_isnontext(v):
    return type(v) is not str


def f_isblank(v):
    return v is None


def f_iserror(v):
    return type(v) is _E


def f_iserr(v):
    return type(v) is _E and v != "#N/A"


def f_isna(v):
    return type(v) is _E and v == "#N/A"


def f_islogical(v):
    return type(v) is bool


def _parity(want_even):
    """ISEVEN/ISODD: the whole part's parity; text that is not a number and TRUE/FALSE are #VALUE!."""
    def f(v):
        if type(v) is bool:
            return VALUE
        x = to_num(v)
        if type(x) is _E:
            return x
        return (int(abs(x)) % 2 == 0) is want_even
    return f


f_iseven = _parity(True)
f_isodd = _parity(False)


def f_n(v):
    t = type(v)
    if t is float or t is int:
        return float(v)
    if t is bool:
        return 1.0 if v else 0.0
    if t is _E:
        return v
    return 0.0


def f_t(v):
    if type(v) is str or type(v) is _E:
        return v
    return ""


def f_na():
    return NA


def f_type(v):
    """1 number (and blank), 2 text, 4 logical, 16 error, 64 array or multi-cell range."""
    if type(v) is Arr:
        if v.nrows == 1 and v.ncols == 1 and v.ref:
            v = v.rows[0][0]
        else:
            return 64.0
    t = type(v)
    if t is str:
        return 2.0
    if t is bool:
        return 4.0
    if t is _E:
        return 16.0
    return 1.0


_ERROR_CODES = {"#NULL!": 1.0, "#DIV/0!": 2.0, "#VALUE!": 3.0, "#REF!": 4.0, "#NAME?": 5.0,
                "#NUM!": 6.0, "#N/A": 7.0, "#GETTING_DATA": 8.0, "#SPILL!": 9.0, "#CALC!": 14.0}


def f_error_type(v):
    if type(v) is _E:
        return _ERROR_CODES.get(str(v), NA)
    return NA


FUNCTIONS = {
    "ISNUMBER": (f_isnumber, "S", True),
    "ISTEXT": (f_istext, "S", True),
    "ISNONTEXT": (f_isnontext, "S", True),
    "ISBLANK": (f_isblank, "S", True),
    "ISERROR": (f_iserror, "S", True),
    "ISERR": (f_iserr, "S", True),
    "ISNA": (f_isna, "S", True),
    "ISLOGICAL": (f_islogical, "S", True),
    "ISEVEN": (f_iseven, "S", True),
    "ISODD": (f_isodd, "S", True),
    "N": (f_n, "S", True),
    "T": (f_t, "S", True),
    "NA": (f_na, "S", False),
    "TYPE": (f_type, "R", False),
    "ERROR.TYPE": (f_error_type, "S", True),
}
