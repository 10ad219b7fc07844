"""Excel value semantics for the headless engine: errors, arrays, coercion, operators.

Values at run time are plain Python objects:

    float (int is accepted on input)  str  bool  None (blank cell / missing argument)
    ErrorValue (a str subclass: "#N/A", "#VALUE!", ...)
    Arr  (a range or an array: rows of values)

Errors are ordinary values that flow through operators and functions, as in
Excel; nothing here raises for an Excel-level error.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Context, Decimal

__all__ = [
    "ErrorValue", "Arr", "ERRORS", "NA", "VALUE", "DIV0", "REF", "NAME", "NUM", "NULL",
    "to_num", "to_text", "to_bool", "num_to_text", "text_to_num", "dec15", "round_dec",
    "compare", "lift", "top_value",
]


# One error type for the package layer and the engine: a str subclass holding the literal.
from udfs.errors import ERROR_LITERALS  # noqa: E402

from ..xlsx import ErrorValue  # noqa: E402
from ..xlsx.serials import to_serial  # noqa: E402


ERRORS = {s: ErrorValue(s) for s in ERROR_LITERALS}
NA = ERRORS["#N/A"]
VALUE = ERRORS["#VALUE!"]
DIV0 = ERRORS["#DIV/0!"]
REF = ERRORS["#REF!"]
NAME = ERRORS["#NAME?"]
NUM = ERRORS["#NUM!"]
NULL = ERRORS["#NULL!"]


def as_error(v):
    """ErrorValue for an error literal (str or ErrorValue), else None."""
    if type(v) is ErrorValue:
        return v
    if isinstance(v, str):
        return ERRORS.get(v.strip().upper())
    return None


class Arr:
    """A range (ref=True, with its top-left position) or an array value.

    A worksheet range is built from column slices of the sheet's storage
    (`Arr.from_columns`): no object per cell until a function asks for ``rows``.
    """

    __slots__ = ("_rows", "_cols", "ref", "origin", "cache")

    def __init__(self, rows, ref=False, origin=None):
        self._rows = rows         # sequence of row sequences, all the same length
        self._cols = None
        self.ref = ref
        self.origin = origin      # (sheet, row, col) of the top-left cell for ranges
        self.cache = None         # per-range memo for lookup functions (e.g. an exact-match index)

    @classmethod
    def from_columns(cls, cols, ref=True, origin=None):
        """An array from equally long column sequences (left to right)."""
        a = cls.__new__(cls)
        a._rows = None
        a._cols = cols
        a.ref = ref
        a.origin = origin
        a.cache = None
        return a

    @property
    def rows(self):
        rows = self._rows
        if rows is None:
            cols = self._cols
            rows = self._rows = tuple(zip(*cols)) if cols and len(cols[0]) else ()
        return rows

    @property
    def columns(self):
        """The values column by column (cheap for a worksheet range)."""
        cols = self._cols
        if cols is None:
            rows = self._rows
            cols = self._cols = tuple(zip(*rows)) if rows and len(rows[0]) else ()
        return cols

    @property
    def nrows(self):
        if self._rows is None:
            return len(self._cols[0]) if self._cols else 0
        return len(self._rows)

    @property
    def ncols(self):
        if self._rows is None:
            return len(self._cols)
        return len(self._rows[0]) if self._rows else 0

    def values(self):
        """Every value, row by row (Excel's order)."""
        if self._rows is None and self._cols is not None and len(self._cols) == 1:
            return iter(self._cols[0])
        return (v for row in self.rows for v in row)

    def first(self):
        return self.rows[0][0] if self.rows and self.rows[0] else None

    def __repr__(self):
        return "Arr(%r%s)" % (self.rows, ", ref" if self.ref else "")

    def __eq__(self, other):  # handy in tests
        if isinstance(other, Arr):
            return [list(r) for r in self.rows] == [list(r) for r in other.rows]
        if isinstance(other, (list, tuple)):
            return [list(r) for r in self.rows] == [list(r) for r in other]
        return NotImplemented

    __hash__ = None


# ---------------------------------------------------------------- numbers & text

_NUM_TEXT = re.compile(
    r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d*)?(?:[eE][+-]?\d+)?$")
_DATE_TEXT = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")


_CURRENCY_TEXT = re.compile(r"^([+-]?)\s*[$¥￥]\s*(.*)$")


def text_to_num(s: str):
    """Excel's text -> number conversion, the same in arithmetic (``"10:30"*1``, ``--"NOV 3,
    2016"``) as in VALUE: "3", " 1,234.5 ", "50%", "$1,000", "(100)" (a negative, as the
    accounting format shows it), dates and times; #VALUE! if it is none of these."""
    t = s.strip()
    if not t:
        return VALUE
    v = _plain_number(t)
    if type(v) is not ErrorValue:
        return v
    if t[0] == "(" and t[-1] == ")" and len(t) > 2:
        inner = _plain_number(t[1:-1].strip())
        if type(inner) is ErrorValue:
            m = _CURRENCY_TEXT.match(t[1:-1].strip())
            inner = _plain_number(m.group(1) + m.group(2)) if m else VALUE
        if type(inner) is ErrorValue or inner < 0:  # "(-5)" is no number
            return VALUE
        return -inner if inner else 0.0
    m = _CURRENCY_TEXT.match(t)
    if m:  # "$1,000" (Microsoft's VALUE example) and "¥1,000": a leading currency sign
        return _plain_number(m.group(1) + m.group(2))
    d = datetime_text_reader(t)  # dates and times are numbers too
    return VALUE if d is None else d


def _no_datetime_text(text: str):
    return None


#: Reads a date or time text as a serial, None when it is neither. `functions.date` sets it
#: when it loads: it needs this module, so this module cannot import it.
datetime_text_reader = _no_datetime_text


def _plain_number(t: str):
    """A stripped number text: digits with thousands commas, a decimal point, an exponent,
    trailing percent signs, or an ISO date; #VALUE! otherwise."""
    if not t:
        return VALUE
    pct = 0
    while t.endswith("%"):
        pct += 1
        t = t[:-1].rstrip()
    if t and _NUM_TEXT.match(t) and any(ch.isdigit() for ch in t):
        try:
            v = float(t.replace(",", ""))
        except ValueError:
            return VALUE
        return v / (100.0 ** pct) if pct else v
    if not pct:
        m = _DATE_TEXT.match(t)
        if m:
            try:
                d = _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                return VALUE
            return date_serial(d)
    return VALUE


def to_num(v):
    """Coerce a scalar to float the way arithmetic does; returns ErrorValue on failure."""
    t = type(v)
    if t is float:
        return v
    if t is int:
        return float(v)
    if v is None:
        return 0.0
    if t is bool:
        return 1.0 if v else 0.0
    if t is ErrorValue:
        return v
    if t is str:
        return text_to_num(v)
    if t is Arr:
        return to_num(v.first())
    if isinstance(v, _dt.date):
        return date_serial(v)
    try:
        return float(v)  # numpy scalars, Decimal, Fraction
    except (TypeError, ValueError):
        return VALUE


def date_serial(d) -> float:
    """date/datetime -> Excel serial number in the date system of the workbook being
    calculated (`context`)."""
    return to_serial(d, context.date1904)


def num_to_text(x: float) -> str:
    """Number -> text as Excel converts it (``=A1&""``): see `general_text`."""
    if x.is_integer() and -1e15 < x < 1e15:
        return str(int(x))
    return general_text(x)


def general_text(x: float) -> str:
    """A number as Excel converts it to text outside any format (``=A1&""``, CONCATENATE).

    Rule (Excel's own results, as tabulated in Apache POI's NumberToTextConverter Javadoc,
    "IEEE 64-bit Double Rendering Comparison", Excel column):
    * the double is rounded to 15 significant digits, trailing zeros are dropped;
    * numbers of magnitude 1E+20 or more use scientific notation: 1.23456789012346E+20;
      below that they are written in full: 1234567890123460, 12345678901234600000;
    * numbers below 1 are written in full ("0.000000056789012345") while the text,
      "0." + leading zeros + significant digits, is at most 20 characters long; longer
      ones use scientific notation ("5.67890123456E-08", "1E-19", "2E-50");
    * the exponent has a sign and at least two digits; subnormal numbers show as 0.
    So 1E+15 → "1000000000000000", 0.000001 → "0.000001", 1E-10 → "0.0000000001".
    """
    if x == 0 or x != x:
        return "0"
    sign = "-" if x < 0 else ""
    a = abs(x)
    if a < 2.2250738585072014e-308:
        return "0"
    if a == float("inf"):
        a = 1.7976931348623157e308
    d = dec15(a).normalize()
    digits = "".join(map(str, d.as_tuple().digits)).rstrip("0") or "0"
    exponent = d.adjusted()
    if exponent > 19 or (exponent < 0 and 2 + (-exponent - 1) + len(digits) > 20):
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return "%s%sE%s%02d" % (sign, mantissa, "-" if exponent < 0 else "+", abs(exponent))
    return sign + _plain(d)


def _plain(d: Decimal) -> str:
    """A decimal in positional notation without trailing zeros."""
    s = format(d, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s or "0"



def to_text(v):
    """Coerce a scalar to text the way & does; returns ErrorValue for errors."""
    t = type(v)
    if t is str:
        return v
    if t is float:
        return num_to_text(v)
    if v is None:
        return ""
    if t is bool:
        return "TRUE" if v else "FALSE"
    if t is ErrorValue:
        return v
    if t is int:
        return num_to_text(float(v))
    if t is Arr:
        return to_text(v.first())
    if isinstance(v, _dt.date):
        return num_to_text(date_serial(v))
    try:
        return num_to_text(float(v))
    except (TypeError, ValueError):
        return str(v)


def to_bool(v):
    """Truth value of a condition (IF, AND, NOT ...): True/False or ErrorValue."""
    t = type(v)
    if t is bool:
        return v
    if t is float or t is int:
        return v != 0
    if v is None:
        return False
    if t is ErrorValue:
        return v
    if t is str:
        u = v.strip().upper()
        if u == "TRUE":
            return True
        if u == "FALSE":
            return False
        return VALUE
    if t is Arr:
        return to_bool(v.first())
    try:
        return float(v) != 0
    except (TypeError, ValueError):
        return VALUE


_CTX = Context(prec=60)


def dec15(x: float) -> Decimal:
    """The decimal Excel "sees": the double rounded to 15 significant digits.

    This is why Excel gives ROUND(2.675,2) = 2.68 although the double is 2.67499999...
    """
    return Decimal("%.15g" % x)


_ROUNDING = {"half_up": ROUND_HALF_UP, "down": ROUND_DOWN, "up": ROUND_UP}


def round_dec(x: float, digits: int, mode: str = "half_up") -> float:
    if x == 0 or not math.isfinite(x):
        return x
    if digits >= 15 and abs(x) >= 1:
        return x
    d = dec15(x)
    q = Decimal(1).scaleb(-digits)
    r = d.quantize(q, rounding=_ROUNDING[mode], context=_CTX)
    return float(r)


# ---------------------------------------------------------------- comparison

def _num_eq(a: float, b: float) -> bool:
    if a == b:
        return True
    # Excel compares numbers to 15 significant digits: =0.1+0.2=0.3 is TRUE.
    m = max(abs(a), abs(b))
    if abs(a - b) > m * 1e-13:
        return False
    return "%.15g" % a == "%.15g" % b


def compare(a, b):
    """-1 / 0 / 1 ordering of two scalars, Excel style; ErrorValue if either is an error."""
    ta, tb = type(a), type(b)
    if ta is ErrorValue:
        return a
    if tb is ErrorValue:
        return b
    if ta is Arr:
        a = a.first()
        ta = type(a)
    if tb is Arr:
        b = b.first()
        tb = type(b)
    if a is None:
        if b is None:
            return 0
        a = "" if tb is str else (False if tb is bool else 0.0)
        ta = type(a)
    if b is None:
        b = "" if ta is str else (False if ta is bool else 0.0)
        tb = type(b)
    ra = 2 if ta is bool else (1 if ta is str else 0)
    rb = 2 if tb is bool else (1 if tb is str else 0)
    if ra != rb:
        return -1 if ra < rb else 1
    if ra == 1:
        la, lb = a.lower(), b.lower()
        return 0 if la == lb else (-1 if la < lb else 1)
    if ra == 2:
        return 0 if a == b else (-1 if a < b else 1)
    a = float(a)
    b = float(b)
    if _num_eq(a, b):
        return 0
    return -1 if a < b else 1


# ---------------------------------------------------------------- arrays

def element_at(v, i, j):
    """Element (i, j) of an array for broadcasting: one row or column repeats, outside is #N/A."""
    if type(v) is not Arr:
        return v
    rows = v.rows
    nr, nc = len(rows), len(rows[0]) if rows else 0
    if nr == 1:
        i = 0
    if nc == 1:
        j = 0
    if i >= nr or j >= nc:
        return NA
    val = rows[i][j]
    return val


def lift(fn, *args):
    """Apply a scalar function element-wise over array arguments (Excel 365 lifting)."""
    nr = nc = 1
    for a in args:
        if type(a) is Arr:
            r, c = a.nrows, a.ncols
            nr = max(nr, r)
            nc = max(nc, c)
    # each argument as nr rows of nc values, broadcast as `element_at` does, then one C-level
    # map per row: an element-wise operator over a template's arrays was a Python call per
    # element per argument
    spread = [_broadcast_rows(a, nr, nc) for a in args]
    return Arr(tuple(tuple(map(fn, *[rows[i] for rows in spread])) for i in range(nr)))


def _broadcast_rows(v, nr, nc):
    """``v`` as ``nr`` rows of ``nc`` values: `element_at` for every (i, j), row by row."""
    if type(v) is not Arr:
        return ((v,) * nc,) * nr
    rows = v.rows
    vr, vc = len(rows), len(rows[0]) if rows else 0
    if vr == 0 or vc == 0:
        return ((NA,) * nc,) * nr
    out = []
    for i in range(nr):
        if vr == 1:
            src = rows[0]
        elif i < vr:
            src = rows[i]
        else:
            out.append((NA,) * nc)
            continue
        if vc == 1:
            out.append((src[0],) * nc)
        elif vc < nc:
            out.append(tuple(src) + (NA,) * (nc - vc))
        else:
            out.append(src)  # as wide or wider: map stops at nc
    return out


def top_value(v, row=0, col=0):
    """What a formula cell shows: blank -> 0, arrays -> implicit intersection / top-left."""
    t = type(v)
    if t is float or t is str or t is bool or t is ErrorValue:
        if t is float and v - v != 0:
            return NUM
        return v
    if v is None:
        return 0.0
    if t is int:
        return float(v)
    if t is Arr:
        if v.ref and v.origin is not None and (v.nrows > 1 or v.ncols > 1):
            _s, r0, c0 = v.origin
            if v.nrows == 1 and c0 <= col < c0 + v.ncols:
                return top_value(v.rows[0][col - c0])
            if v.ncols == 1 and r0 <= row < r0 + v.nrows:
                return top_value(v.rows[row - r0][0])
            return VALUE
        return top_value(v.first()) if v.rows else VALUE
    err = as_error(v)
    if err is not None:
        return err
    if isinstance(v, str):
        return str(v)
    if isinstance(v, _dt.date):
        return date_serial(v)
    try:
        f = float(v)
    except (TypeError, ValueError):
        return VALUE
    if isinstance(v, bool):
        return bool(v)
    return f if math.isfinite(f) else NUM


class EvaluationContext:
    """What a workbook's calculation depends on beyond its cells: set by the engine for the
    workbook being calculated, read by date, volatile and random functions.

    ``date1904``: the workbook's date system (serial 0 is 1904-01-01 instead of 1899-12-30/31).
    ``now``: the run's clock (``datetime.datetime``), pinned with ``--date`` for reproducible batches.
    ``random``: a ``random.Random`` for RAND/RANDBETWEEN.
    ``locale``: the run's `locales.Locale` (CHAR/CODE's code page, DOLLAR's currency).
    """

    __slots__ = ("date1904", "now", "random", "locale")

    def __init__(self, date1904=False, now=None, rng=None):
        import random as _random
        from .locales import DEFAULT_LOCALE
        self.locale = DEFAULT_LOCALE
        self.date1904 = date1904
        self.now = now if now is not None else _dt.datetime.now()
        self.random = rng if rng is not None else _random.Random()


#: The context of the workbook being calculated (one workbook at a time per process).
context = EvaluationContext()
