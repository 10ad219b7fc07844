"""Dynamic-array shaping and arrays as text: EXPAND, WRAPROWS, WRAPCOLS, ARRAYTOTEXT,
VALUETOTEXT."""

from __future__ import annotations

from ..values import num_to_text
from ._args import _E, NA, NUM, VALUE, Arr, cells, vector
from ._declare import declared

_MISSING = object()


def _expand(array, rows=None, columns=None, pad_with=_MISSING):
    grid = [list(r) for r in cells(array)]
    height, width = len(grid), len(grid[0])
    r = height if rows is None else int(rows)
    c = width if columns is None else int(columns)
    if r < height or c < width:
        return VALUE
    pad = NA if pad_with is _MISSING else pad_with
    out = [row + [pad] * (c - width) for row in grid] + [[pad] * c for _ in range(r - height)]
    return Arr(tuple(tuple(row) for row in out))


def _wrap(by_rows):
    def f(values, count, pad_with=_MISSING):
        items = vector(values)
        if items is None:
            return VALUE
        k = int(count)
        if k < 1:
            return NUM
        pad = NA if pad_with is _MISSING else pad_with
        lines = [items[i:i + k] for i in range(0, len(items), k)]
        lines[-1] = lines[-1] + [pad] * (k - len(lines[-1]))
        if not by_rows:
            lines = [list(col) for col in zip(*lines)]
        return Arr(tuple(tuple(line) for line in lines))
    return f


def _as_text(v, strict):
    t = type(v)
    if t is str and not isinstance(v, _E):
        return '"%s"' % v.replace('"', '""') if strict else v
    if t is bool:
        return "TRUE" if v else "FALSE"
    if t is float or t is int:
        return num_to_text(float(v))
    if v is None:
        return ""
    return str(v)


def _format(fmt):
    k = int(fmt)
    return None if k not in (0, 1) else k == 1


def _arraytotext(array, fmt=0.0):
    strict = _format(fmt)
    if strict is None:
        return VALUE
    rows = cells(array)
    if strict:
        return "{" + ";".join(",".join(_as_text(v, True) for v in row) for row in rows) + "}"
    return ", ".join(_as_text(v, False) for row in rows for v in row)


def _valuetotext(value, fmt=0.0):
    strict = _format(fmt)
    if strict is None:
        return VALUE
    return _as_text(value, strict)


FUNCTIONS = {
    "EXPAND": declared("range, number=None, number=None, any=omitted", _expand),
    "WRAPROWS": declared("range, number, any=omitted", _wrap(True)),
    "WRAPCOLS": declared("range, number, any=omitted", _wrap(False)),
    "ARRAYTOTEXT": declared("range, number=0", _arraytotext),
    "VALUETOTEXT": declared("any, number=0", _valuetotext),
}
