"""Work a filled-down column shares, done once for the column instead of once per row.

A filled-down ``SUMIF(参数!$C$2:$C$201,E2,参数!$B$2:$B$201)`` reads the same criteria range
in every row, with a criterion that takes a few distinct values.  The range is one cached
array (``Sheet.range_array``), so the cells meeting (range, criterion) are the same for
every row with the same criterion: `memoized_masks` remembers them by the array's identity
and the criterion's type and value, and `memoized_selection` the values they select from
the sum range's array.  An array is immutable and a new read of a changed
range is a new array, so a remembered mask is never stale; the entry keeps its arrays
alive, so an identity is never reused while it is remembered.
"""

from __future__ import annotations

from . import values as _values
from .values import Arr, ErrorValue

__all__ = ["memoized_masks", "memoized_selection"]

#: ranges smaller than this are matched again (cheaper than the bookkeeping)
_MIN_CELLS = 16
#: remembered masks, bounded in number and in cells so that memory stays flat
_MAX_ENTRIES = 256
_MAX_CELLS = 2_000_000
_CRITERION_TYPES = (float, str, bool, ErrorValue, type(None))


def memoized_masks(build):
    """``build(pairs)`` (a list of (range, criterion), giving rows of booleans or an error),
    answered from memory for ranges and criteria seen before.  Callers only read masks."""
    memo: dict = {}
    held = [0]  # cells of the remembered masks

    def masks(pairs):
        key = []
        size = 0
        for rng, crit in pairs:
            if type(rng) is not Arr or type(crit) not in _CRITERION_TYPES:
                return build(pairs)
            rows = rng.rows
            size += len(rows) * (len(rows[0]) if rows else 0)
            key.append((id(rng), type(crit), crit))
        if size < _MIN_CELLS:
            return build(pairs)
        # a criterion such as ">2024-1-1" reads dates in the workbook's date system
        key.append(_values.context.date1904)
        key = tuple(key)
        hit = memo.get(key)
        if hit is not None and all(a is rng for a, (rng, _) in zip(hit[0], pairs)):
            return hit[1]
        result = build(pairs)
        if len(memo) >= _MAX_ENTRIES or held[0] + size > _MAX_CELLS:
            memo.clear()
            held[0] = 0
        memo[key] = (tuple(rng for rng, _ in pairs), result)
        held[0] += size
        return result
    masks.__doc__ = build.__doc__
    return masks


def memoized_selection(select):
    """``select(masks, values)`` answered from memory for a mask of `memoized_masks` and a
    values array seen together before.  Callers only read the result."""
    memo: dict = {}

    def selection(masks, values):
        if type(values) is not Arr or type(masks) is not list:
            return select(masks, values)
        key = (id(masks), id(values))
        hit = memo.get(key)
        if hit is not None and hit[0] is masks and hit[1] is values:
            return hit[2]
        result = select(masks, values)
        if len(memo) >= _MAX_ENTRIES:
            memo.clear()
        memo[key] = (masks, values, result)
        return result
    selection.__doc__ = select.__doc__
    return selection
