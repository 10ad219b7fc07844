"""Exponential regression: LOGEST and GROWTH, the least-squares fit of ln(y) (LINEST and TREND
on the logarithms), reported as y = b·m1^x1·m2^x2…"""

from __future__ import annotations

import math

from ._args import _E, NUM, Arr, numeric_matrix
from .statistical import f_linest, f_trend


def _logs(known_y):
    grid = numeric_matrix(known_y)
    if type(grid) is _E:
        return grid
    if any(v <= 0 for row in grid for v in row):
        return NUM
    return Arr(tuple(tuple(math.log(v) for v in row) for row in grid))


def _exponential(linear, rows_to_raise):
    """The exponential form of a linear fit: ``linear`` on ln(y), then e^ of its first
    ``rows_to_raise`` result rows (None: all)."""
    def f(known_y, *rest):
        logs = _logs(known_y)
        if type(logs) is _E:
            return logs
        fit = linear(logs, *rest)
        if type(fit) is not Arr:
            return fit
        rows = fit.rows
        k = len(rows) if rows_to_raise is None else rows_to_raise
        return Arr(tuple(tuple(math.exp(v) for v in row) if i < k else tuple(row) for i, row in enumerate(rows)))
    return f


f_logest = _exponential(f_linest, 1)   # the statistics rows stay those of the logarithms
f_growth = _exponential(f_trend, None)


FUNCTIONS = {
    "LOGEST": (f_logest, "RRS", False),
    "GROWTH": (f_growth, "RRRS", False),
}
