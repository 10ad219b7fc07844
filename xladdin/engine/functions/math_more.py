"""Math and trigonometry beyond `math`: Roman numerals (ROMAN, ARABIC), ACOTH, SERIESSUM,
PERCENTOF, RANDARRAY (volatile: it reads the run's random numbers, `values.context`)."""

from __future__ import annotations

import math

from .. import values as _values
from ..values import to_num
from ._args import _E, DIV0, NUM, VALUE, Arr, flat, is_num, numbers
from ._declare import declared

_NUMERALS = [("M", 1000), ("D", 500), ("C", 100), ("L", 50), ("X", 10), ("V", 5), ("I", 1)]
# the subtractive pairs each ROMAN form allows, from the classic form 0 to the most concise 4
_PAIRS_BY_FORM = [
    ["CM", "CD", "XC", "XL", "IX", "IV"],
    ["LM", "LD", "VC", "VL"],
    ["XM", "XD", "IC", "IL"],
    ["VM", "VD"],
    ["IM", "ID"],
]
_VALUE_OF = dict(_NUMERALS)


def _tokens(form):
    pairs = [p for level in _PAIRS_BY_FORM[:form + 1] for p in level]
    tokens = _NUMERALS + [(p, _VALUE_OF[p[1]] - _VALUE_OF[p[0]]) for p in pairs]
    return sorted(tokens, key=lambda t: -t[1])


_FORM_TOKENS = [_tokens(form) for form in range(5)]


def _roman(number, form=0.0):
    """ROMAN(number, form): 0-3999; form 0 (or TRUE) classic … 4 (or FALSE) simplified, each
    form allowing more subtractive pairs (499: CDXCIX, LDVLIV, XDIX, VDIV, ID); greedy over
    the numerals and pairs the form allows."""
    if type(form) is bool:
        form = 0.0 if form else 4.0
    form = to_num(form)
    if type(form) is _E:
        return form
    n, k = int(number), int(form)
    if not 0 <= n <= 3999 or not 0 <= k <= 4:
        return VALUE
    out = []
    for token, value in _FORM_TOKENS[k]:
        while n >= value:
            out.append(token)
            n -= value
    return "".join(out)


def _arabic(text):
    s = text.strip()
    if len(s) > 255:
        return VALUE
    sign = 1.0
    if s.startswith("-"):
        sign, s = -1.0, s[1:]
    values = []
    for ch in s.upper():
        if ch not in _VALUE_OF:
            return VALUE
        values.append(_VALUE_OF[ch])
    total = 0
    for i, v in enumerate(values):
        total += -v if i + 1 < len(values) and v < values[i + 1] else v
    return sign * total


def _acoth(x):
    if abs(x) <= 1:
        return NUM
    return 0.5 * math.log((x + 1) / (x - 1))


def _seriessum(x, n, m, coefficients):
    coefs = list(flat(coefficients))
    for a in coefs:
        if type(a) is _E:
            return a
        if not is_num(a):
            return VALUE
    return math.fsum(a * x ** (n + i * m) for i, a in enumerate(coefs))


def _percentof(subset, everything):
    part, whole = numbers([subset]), numbers([everything])
    for v in (part, whole):
        if type(v) is _E:
            return v
    total = math.fsum(whole)
    if total == 0:
        return DIV0
    return math.fsum(part) / total


def _randarray(rows=1.0, columns=1.0, low=0.0, high=1.0, whole=False):
    n_rows, n_cols = int(rows), int(columns)
    if n_rows < 1 or n_cols < 1 or low > high:
        return VALUE
    rng = _values.context.random
    if whole:
        if low != int(low) or high != int(high):
            return VALUE
        draw = lambda: float(rng.randint(int(low), int(high)))  # noqa: E731
    else:
        draw = lambda: low + (high - low) * rng.random()  # noqa: E731
    return Arr(tuple(tuple(draw() for _ in range(n_cols)) for _ in range(n_rows)))


FUNCTIONS = {
    "RANDARRAY": declared("number=1, number=1, number=0, number=1, logical=FALSE", _randarray, lifts=False),
    "ROMAN": declared("number, any=0", _roman),
    "ARABIC": declared("text", _arabic),
    "ACOTH": declared("number", _acoth),
    "SERIESSUM": declared("number, number, number, range", _seriessum),
    "PERCENTOF": declared("range, range", _percentof),
}
