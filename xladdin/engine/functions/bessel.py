"""Engineering special functions: the Bessel functions BESSELJ, BESSELY, BESSELI, BESSELK of
integer order, and the error functions ERF, ERF.PRECISE, ERFC, ERFC.PRECISE.

The Bessel functions come from their integral representations (Abramowitz & Stegun 9.1.21,
9.1.22, 9.6.19, 9.6.24), by composite Simpson quadrature; J and I are integrals of smooth
periodic functions over a period's half and converge fast, K's and Y's second integral decays
double-exponentially and is cut where it no longer adds anything.
"""

from __future__ import annotations

import math

from ._args import NUM
from ._declare import declared

_STEPS = 4000


def _simpson(f, a, b, steps=_STEPS):
    h = (b - a) / steps
    total = f(a) + f(b)
    total += 4 * math.fsum(f(a + (2 * i - 1) * h) for i in range(1, steps // 2 + 1))
    total += 2 * math.fsum(f(a + 2 * i * h) for i in range(1, steps // 2))
    return total * h / 3


def _decay_end(x, n):
    """Where e^(nt - x·sinh t) (and e^(nt - x·cosh t)) has fallen below 1e-300."""
    t = 1.0
    while n * t - x * math.sinh(t) > -700 and t < 50:
        t += 0.5
    return t


def _order(n):
    k = int(n)
    return None if k < 0 else k


def _besselj(x, n):
    k = _order(n)
    if k is None:
        return NUM
    return _simpson(lambda t: math.cos(k * t - x * math.sin(t)), 0.0, math.pi) / math.pi


def _besseli(x, n):
    k = _order(n)
    if k is None:
        return NUM
    return _simpson(lambda t: math.exp(x * math.cos(t)) * math.cos(k * t), 0.0, math.pi) / math.pi


def _besselk(x, n):
    k = _order(n)
    if k is None or x <= 0:
        return NUM
    end = _decay_end(x, k)
    return _simpson(lambda t: math.exp(-x * math.cosh(t)) * math.cosh(k * t), 0.0, end)


def _bessely(x, n):
    k = _order(n)
    if k is None or x <= 0:
        return NUM
    first = _simpson(lambda t: math.sin(x * math.sin(t) - k * t), 0.0, math.pi) / math.pi
    end = _decay_end(x, k)
    sign = -1.0 if k % 2 else 1.0
    second = _simpson(lambda t: (math.exp(k * t) + sign * math.exp(-k * t)) * math.exp(-x * math.sinh(t)),
                      0.0, end) / math.pi
    return first - second


def _erf(lower, upper=None):
    if upper is None:
        return math.erf(lower)
    return math.erf(upper) - math.erf(lower)


FUNCTIONS = {
    "BESSELJ": declared("number, number", _besselj),
    "BESSELY": declared("number, number", _bessely),
    "BESSELI": declared("number, number", _besseli),
    "BESSELK": declared("number, number", _besselk),
    "ERF": declared("number, number=None", _erf),
    "ERF.PRECISE": declared("number", math.erf),
    "ERFC": declared("number", math.erfc),
    "ERFC.PRECISE": declared("number", math.erfc),
}
