"""GROUPBY(row_fields, values, function, [field_headers], [total_depth], [sort_order],
[filter_array], [field_relationship]): the values aggregated per distinct row-field value.

What is reproduced: one or more row-field columns and value columns, ``function`` an
eta-reduced function (``_xleta.SUM``, as files store ``SUM``) or a LAMBDA, headers absent (0),
present and hidden (1) or present and shown (3), or guessed when omitted (a first row of text
over numbers is a header row, not shown, as a workbook saved by Excel shows), no totals (0) or a grand total below (1) or
above (-1) labelled as the run's locale labels it ("Total"), sorting by any output column up
or down, and a filter. What is not (a cell keeps the file's value): generated headers (2),
subtotals (2, -2), field_relationship 1, and arguments that are not constants.
"""

from __future__ import annotations

import functools

from .failures import CompileFailure, arity_failure
from .refs import Ref
from .values import ERRORS, VALUE, Arr, ErrorValue, compare, context, to_bool

__all__ = ["SPECIAL"]

_E = ErrorValue


def _literal(args, k, default, allowed, name):
    """A constant argument (a number, possibly negated) or ``default`` when missing."""
    if k >= len(args) or args[k][0] == "missing":
        return default
    node, sign = args[k], 1
    if node[0] == "neg":
        node, sign = node[1], -1
    if node[0] == "num" and sign * node[1] in allowed:
        return int(sign * node[1])
    raise CompileFailure("%s 的这个参数暂不支持，保留文件中的值" % name, "unsupported")


def _rows(v):
    if type(v) is Ref:
        v = v.array()
    if type(v) is Arr:
        return [list(r) for r in v.rows]
    return [[v]]


def _looks_like_headers(keys, values):
    """Excel guesses headers when the first row is text over data that is not."""
    if len(values) < 2:
        return False
    first = keys[0] + values[0]
    return all(type(v) is str for v in first) and any(type(v) in (float, int) for v in values[1])


def _groupby(cp, args, mode):
    # local import: specials' LAMBDA machinery (specials does not import this module)
    from .specials import _lambda_function
    if not 3 <= len(args) <= 8:
        raise arity_failure("GROUPBY")
    keys_fn = cp.node(args[0], "A")
    values_fn = cp.node(args[1], "A")
    aggregate = _lambda_function(cp, args[2], "V", 1)
    headers = _literal(args, 3, None, (0, 1, 3), "GROUPBY")
    total = _literal(args, 4, 1, (0, 1, -1), "GROUPBY")
    sort_order = _literal(args, 5, 1, tuple(range(-64, 65)), "GROUPBY")
    filter_fn = cp.node(args[6], "A") if len(args) > 6 and args[6][0] != "missing" else None
    _literal(args, 7, 0, (0,), "GROUPBY")

    def f(s, r, c):
        keys, values = _rows(keys_fn(s, r, c)), _rows(values_fn(s, r, c))
        for grid in (keys, values):
            if len(grid) == 1 and len(grid[0]) == 1 and type(grid[0][0]) is _E:
                return grid[0][0]
        if len(keys) != len(values):
            return VALUE
        # left to Excel, headers it finds are not shown (a file saved by Excel shows this)
        has_headers = headers in (1, 3) or (headers is None and _looks_like_headers(keys, values))
        head = (keys[0], values[0]) if has_headers else None
        if has_headers:
            keys, values = keys[1:], values[1:]
        if filter_fn is not None:
            wanted = _rows(filter_fn(s, r, c))
            if len(wanted) != len(keys):
                return VALUE
            keep = []
            for row in wanted:
                t = to_bool(row[0])
                if type(t) is _E:
                    return t
                keep.append(t)
            keys = [k for k, ok in zip(keys, keep) if ok]
            values = [v for v, ok in zip(values, keep) if ok]
        groups = {}
        order = []
        for k, v in zip(keys, values):
            key = tuple(k)
            folded = tuple(x.lower() if type(x) is str else x for x in key)
            if folded not in groups:
                groups[folded] = (key, [])
                order.append(folded)
            groups[folded][1].append(v)
        width = len(values[0]) if values else len(head[1]) if head else 1
        out = []
        for folded in order:
            key, rows = groups[folded]
            out.append(list(key) + [_aggregated(aggregate, s, r, c, [row[j] for row in rows]) for j in range(width)])
        column = abs(sort_order) - 1
        if out and column < len(out[0]):
            ordered = functools.cmp_to_key(lambda a, b: _order(a[column], b[column]))
            out.sort(key=ordered, reverse=sort_order < 0)
        if total:
            n_keys = len(keys[0]) if keys else 1
            label = [context.locale.total_label] + [""] * (n_keys - 1)
            row = label + [_aggregated(aggregate, s, r, c, [v[j] for v in values]) for j in range(width)]
            out = [row] + out if total < 0 else out + [row]
        if headers == 3 and head is not None:
            out = [list(head[0]) + list(head[1])] + out
        if not out:
            return ERRORS["#CALC!"]
        return Arr(tuple(tuple(row) for row in out))
    return f


def _aggregated(aggregate, s, r, c, column):
    v = aggregate(s, r, c, Arr(tuple((x,) for x in column)))
    if type(v) is Arr:
        return v.rows[0][0] if v.nrows == 1 and v.ncols == 1 else ERRORS["#CALC!"]
    return 0.0 if v is None else v


def _order(a, b):
    k = compare(a, b)
    return k if type(k) is int else 0


SPECIAL = {"GROUPBY": _groupby}
