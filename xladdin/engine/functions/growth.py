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


def f_logest(known_y, known_x=None, const=None, stats=None):
    logs = _logs(known_y)
    if type(logs) is _E:
        return logs
    fit = f_linest(logs, known_x, const, stats)
    if type(fit) is not Arr:
        return fit
    rows = [list(r) for r in fit.rows]
    rows[0] = [math.exp(v) for v in rows[0]]
    return Arr(tuple(tuple(r) for r in rows))


def f_growth(known_y, known_x=None, new_x=None, const=None):
    logs = _logs(known_y)
    if type(logs) is _E:
        return logs
    fit = f_trend(logs, known_x, new_x, const)
    if type(fit) is not Arr:
        return fit
    return Arr(tuple(tuple(math.exp(v) for v in row) for row in fit.rows))


FUNCTIONS = {
    "LOGEST": (f_logest, "RRS", False),
    "GROWTH": (f_growth, "RRRS", False),
}
