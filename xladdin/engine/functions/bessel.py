"""Engineering special functions: the Bessel functions BESSELJ, BESSELY, BESSELI, BESSELK of
integer order, and the error functions ERF, ERF.PRECISE, ERFC, ERFC.PRECISE.

The Bessel functions come from their integral representations (Abramowitz & Stegun 9.1.21,
9.1.22, 9.6.19, 9.6.24) by composite Gauss-Legendre quadrature; the integrals of K and of
Y's second part decay double-exponentially and are cut where they no longer add anything.
"""

from __future__ import annotations

import math

from ._args import NUM
from ._declare import declared

def _legendre_nodes(n):
    """Gauss-Legendre nodes and weights on [-1, 1]: the roots of P_n by Newton's method from
    Chebyshev-like first guesses, weights 2 / ((1 - x²) P_n'(x)²)."""
    nodes, weights = [], []
    for i in range(1, n + 1):
        x = math.cos(math.pi * (i - 0.25) / (n + 0.5))
        for _ in range(100):
            p0, p1 = 1.0, x
            for k in range(2, n + 1):
                p0, p1 = p1, ((2 * k - 1) * x * p1 - (k - 1) * p0) / k
            dp = n * (x * p1 - p0) / (x * x - 1)
            dx = p1 / dp
            x -= dx
            if abs(dx) < 1e-16:
                break
        nodes.append(x)
        weights.append(2 / ((1 - x * x) * dp * dp))
    return nodes, weights


_NODES, _WEIGHTS = _legendre_nodes(24)
_PANELS = 24


def _integral(f, a, b):
    """Composite Gauss-Legendre quadrature of f over [a, b]."""
    width = (b - a) / _PANELS
    half = width / 2
    total = []
    for p in range(_PANELS):
        mid = a + (p + 0.5) * width
        total.extend(w * f(mid + half * x) for x, w in zip(_NODES, _WEIGHTS))
    return math.fsum(total) * half


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
    return _integral(lambda t: math.cos(k * t - x * math.sin(t)), 0.0, math.pi) / math.pi


def _besseli(x, n):
    k = _order(n)
    if k is None:
        return NUM
    return _integral(lambda t: math.exp(x * math.cos(t)) * math.cos(k * t), 0.0, math.pi) / math.pi


def _besselk(x, n):
    k = _order(n)
    if k is None or x <= 0:
        return NUM
    end = _decay_end(x, k)
    return _integral(lambda t: math.exp(-x * math.cosh(t)) * math.cosh(k * t), 0.0, end)


def _bessely(x, n):
    k = _order(n)
    if k is None or x <= 0:
        return NUM
    first = _integral(lambda t: math.sin(x * math.sin(t) - k * t), 0.0, math.pi) / math.pi
    end = _decay_end(x, k)
    sign = -1.0 if k % 2 else 1.0
    second = _integral(lambda t: (math.exp(k * t) + sign * math.exp(-k * t)) * math.exp(-x * math.sinh(t)),
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
