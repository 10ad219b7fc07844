"""Work a filled-down column shares, done once for the column instead of once per row.

A filled-down ``SUMIF(参数!$C$2:$C$201,E2,参数!$B$2:$B$201)`` reads the same criteria range
in every row, with a criterion that takes a few distinct values.  The range is one cached
array (``Sheet.range_array``), so the cells meeting (range, criterion) are the same for
every row with the same criterion: `memoized_masks` keeps them in the array's own memo
(``Arr.cache``, where the lookups keep their indexes), keyed by the criterion's type and
value, and `memoized_selection` keeps the values a mask selects in the sum range's memo.
An array is immutable and a new read of a changed range is a new array, so a kept mask is
never stale, and it goes when its array goes (with the calculation's range cache).
"""

from __future__ import annotations

from . import values as _values
from .values import Arr, ErrorValue

__all__ = ["memoized_masks", "memoized_selection"]

#: ranges smaller than this are matched again (cheaper than the bookkeeping)
_MIN_CELLS = 16
#: masks kept per array (criteria of one column are few; a bound keeps memory flat)
_MAX_PER_ARRAY = 64
_CRITERION_TYPES = (float, str, bool, ErrorValue, type(None))


def _memo(arr: Arr) -> dict:
    if arr.cache is None:
        arr.cache = {}
    return arr.cache


def _remember(memo: dict, tag: str, key, value) -> None:
    kept = memo.get(tag)
    if kept is None:
        kept = memo[tag] = {}
    elif len(kept) >= _MAX_PER_ARRAY:
        kept.clear()
    kept[key] = value


def memoized_masks(build):
    """``build(pairs)`` (a list of (range, criterion), giving rows of booleans or an error),
    answered from the first range's memo for criteria seen before.  Callers only read masks."""
    def masks(pairs):
        size = 0
        for rng, crit in pairs:
            if type(rng) is not Arr or type(crit) not in _CRITERION_TYPES:
                return build(pairs)
            rows = rng.rows
            size += len(rows) * (len(rows[0]) if rows else 0)
        if size < _MIN_CELLS:
            return build(pairs)
        first = pairs[0][0]
        others = tuple(rng for rng, _ in pairs[1:])
        # the other ranges by identity (held by the entry, so an identity is not reused);
        # a criterion such as ">2024-1-1" reads dates in the workbook's date system
        key = (tuple((type(c), c) for _, c in pairs), tuple(map(id, others)), _values.context.date1904)
        memo = _memo(first)
        hit = memo.get("groups.masks", {}).get(key)
        if hit is not None and all(a is b for a, b in zip(hit[0], others)):
            return hit[1]
        result = build(pairs)
        _remember(memo, "groups.masks", key, (others, result))
        return result
    masks.__doc__ = build.__doc__
    return masks


def memoized_selection(select):
    """``select(masks, values)`` answered from the values array's memo for a mask of
    `memoized_masks` seen with it before.  Callers only read the result."""
    def selection(masks, values):
        if type(values) is not Arr or type(masks) is not list:
            return select(masks, values)
        memo = _memo(values)
        hit = memo.get("groups.selection", {}).get(id(masks))
        if hit is not None and hit[0] is masks:
            return hit[1]
        result = select(masks, values)
        _remember(memo, "groups.selection", id(masks), (masks, result))
        return result
    selection.__doc__ = select.__doc__
    return selection
