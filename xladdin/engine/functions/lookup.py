"""Lookup & reference functions on values: VLOOKUP, HLOOKUP, LOOKUP, MATCH, XLOOKUP, XMATCH,
INDEX, CHOOSE, ROWS, COLUMNS, TRANSPOSE, ADDRESS and the array shapers.

ROW, COLUMN, OFFSET, INDIRECT need the evaluation context and belong to the engine core."""

from __future__ import annotations

import re

from ..values import ERRORS, compare, to_bool, to_text
from ._args import (
    _E, NA, OMITTED, REF, VALUE, Arr, cells, first_error, integer, num, vector, wildcard_regex,
)


def _kind(v):
    """Excel compares only within a type in lookups: 0 number, 1 text, 2 logical, None other."""
    t = type(v)
    if t is float or t is int:
        return 0
    if t is str:
        return 1
    if t is bool:
        return 2
    return None


def _exact_hit(v, target, wildcards=True):
    if wildcards and type(target) is str and type(v) is str and any(c in target for c in "*?~"):
        return wildcard_regex(target).match(v) is not None
    if _kind(v) != _kind(target):
        return False
    c = compare(v, target)
    return type(c) is not _E and c == 0


def _exact_key(v):
    """What an exact match compares: numbers to 15 significant digits (as `compare`), text
    case-insensitively, logicals as themselves; None for what never matches (errors, blanks)."""
    t = type(v)
    if t is float or t is int:
        k = "%.15g" % v
        return (0, "0" if k == "-0" else k)
    if t is str:
        return (1, v.lower())
    if t is bool:
        return (2, v)
    return None


def _exact_position(values, target, memo=None, memo_key=None):
    """Index of the first value equal to ``target`` (an exact MATCH/VLOOKUP), or None.

    The {value: first position} index is kept in ``memo`` (the array's own cache): a range
    read again by a filled-down VLOOKUP is the same cached array, so each later lookup is
    one dictionary access instead of a scan.  Wildcard targets are matched by scanning."""
    if type(target) is str and any(ch in target for ch in "*?~"):
        for k, v in enumerate(values):
            if _exact_hit(v, target):
                return k
        return None
    index = memo.get(memo_key) if memo is not None else None
    if index is None:
        index = {}
        for k, v in enumerate(values):
            key = _exact_key(v)
            if key is not None and key not in index:
                index[key] = k
        if memo is not None:
            memo[memo_key] = index
    key = _exact_key(target)
    return None if key is None else index.get(key)


def _array_memo(a):
    """The per-array cache of an `Arr` argument, created on first use; None otherwise."""
    if type(a) is not Arr:
        return None
    if a.cache is None:
        a.cache = {}
    return a.cache


_NOT_A_VECTOR = ()


def _kept_vector(a):
    """`vector` of an argument, kept in the array's memo: a filled-down MATCH reads the same
    cached range in every row (callers only read it)."""
    memo = _array_memo(a)
    if memo is None:
        return vector(a)
    seq = memo.get("vector")
    if seq is None:
        seq = vector(a)
        memo["vector"] = _NOT_A_VECTOR if seq is None else seq
        return seq
    return None if seq is _NOT_A_VECTOR else seq


def _approx_index(seq, target, descending=False):
    """MATCH 1 / -1, VLOOKUP TRUE, LOOKUP: the position of the last value <= target (>= when
    descending), or None.  Ascending data is searched by bisection, as Excel does, so on
    unsorted data the answer is the one bisection finds (see `_bisect_last_at_most`)."""
    if not descending:
        return _bisect_last_at_most(seq, target)
    best = None
    kt = _kind(target)
    for k, v in enumerate(seq):
        if _kind(v) != kt:
            continue
        c = compare(v, target)
        if (c >= 0) if descending else (c <= 0):
            best = k
        else:
            break
    return best


def _bisect_last_at_most(seq, target):
    """Excel's approximate search: bisection between ``low`` (a value known <= target, -1 at
    first) and ``high`` (one known > target, the end at first).  A middle value of another
    type (text among numbers, a blank, an error) is stepped over forward to the next value of
    the target's type; when none lies before ``high``, or only one that is greater, the upper
    half is dropped.  An equal value found ends the search at the last of its run."""
    kt = _kind(target)

    def order(k):  # -1/0/1: seq[k] below, equal to, above the target; None: another type
        v = seq[k]
        if _kind(v) != kt:
            return None
        c = compare(v, target)
        return None if type(c) is _E else c

    low, high = -1, len(seq)
    while high - low >= 2:
        mid = low + (high - low) // 2
        c = order(mid)
        if c is None:
            probe = mid + 1
            while probe < high and order(probe) is None:
                probe += 1
            if probe == high or (probe == high - 1 and order(probe) > 0):
                high = mid
                continue
            mid, c = probe, order(probe)
        if c == 0:
            while mid + 1 < high and order(mid + 1) == 0:
                mid += 1
            return mid
        if c > 0:
            high = mid
        else:
            low = mid
    return low if low >= 0 else None


def _lookup_target(target):
    if type(target) is Arr:
        target = target.rows[0][0] if target.rows and target.rows[0] else None
    if target is None:
        return 0.0
    return target


# ---------------------------------------------------------------- MATCH & co

def f_match(target, arr, mtype=OMITTED):
    target = _lookup_target(target)
    if type(target) is _E:
        return target
    if type(arr) is _E:  # MATCH(x,#REF!,0): the lookup range itself is an error
        return arr
    seq = _kept_vector(arr)
    if seq is None:
        return NA
    mt = 1.0 if mtype is OMITTED else num(mtype)  # MATCH(x,r,) is an exact match
    if type(mt) is _E:
        return mt
    if mt == 0:
        k = _exact_position(seq, target, _array_memo(arr), "exact vector")
        return NA if k is None else float(k + 1)
    k = _approx_index(seq, target, descending=mt < 0)
    return NA if k is None else float(k + 1)


def f_vlookup(target, table, col, approx=OMITTED):
    target = _lookup_target(target)
    if type(target) is _E:
        return target
    if type(table) is _E:
        return table
    rows = cells(table)
    c = num(col)
    if type(c) is _E:
        return c
    c = int(c)
    if not rows or c > len(rows[0]):
        return REF
    # VLOOKUP(x,t,2,) with an empty last argument is the well-known exact match
    exact = False
    if approx is not OMITTED:
        b = to_bool(approx)
        if type(b) is _E:
            return b
        exact = b is False
    if exact:
        first_column = table.columns[0] if type(table) is Arr else [r[0] for r in rows]
        k = _exact_position(first_column, target, _array_memo(table), "exact first column")
    else:
        k = _approx_index([r[0] for r in rows], target)
    if k is None:  # searched before the column number is checked: VLOOKUP(x,t,0) not found is #N/A
        return NA
    return VALUE if c < 1 else rows[k][c - 1]


def f_hlookup(target, table, row_idx, approx=OMITTED):
    if type(table) is _E:
        return f_vlookup(target, table, row_idx, approx)
    rows = cells(table)
    if not rows:
        return REF
    return f_vlookup(target, Arr(tuple(zip(*rows))), row_idx, approx)


def f_lookup(target, lookup, result=None):
    """Vector form with result; array form otherwise: a wide array is searched along its first
    row and answers from its last row, a square or tall one along its first column."""
    target = _lookup_target(target)
    if type(target) is _E:
        return target
    for vector_arg in (lookup, result):
        if type(vector_arg) is _E:
            return vector_arg
    rows = cells(lookup)
    if result is None:
        nr, nc = len(rows), len(rows[0]) if rows else 0
        if nc > nr:
            keys, answers = list(rows[0]), list(rows[-1])
        else:
            keys, answers = [r[0] for r in rows], [r[-1] for r in rows]
    else:
        keys = _kept_vector(lookup)
        answers = _kept_vector(result)
        if keys is None or answers is None:
            return NA
    k = _approx_index(keys, target)
    if k is None:
        return NA
    return answers[k] if k < len(answers) else NA


def _search_order(n, search_mode):
    return range(n - 1, -1, -1) if search_mode < 0 else range(n)


def _xmatch_index(target, seq, match_mode, search_mode):
    """Position (0-based) XMATCH/XLOOKUP find, or None."""
    if search_mode in (2, -2):
        # binary search over data sorted ascending (2) or descending (-2)
        lo, hi = 0, len(seq) - 1
        found = None
        below = above = None
        while lo <= hi:
            mid = (lo + hi) // 2
            v = seq[mid]
            c = compare(v, target) if _kind(v) == _kind(target) else (
                -1 if (_kind(v) or 0) < (_kind(target) or 0) else 1)
            if type(c) is _E:
                c = 1
            if search_mode == -2:
                c = -c
            if c == 0:
                found = mid
                break
            if c < 0:
                (below, lo) = (mid, mid + 1)
            else:
                (above, hi) = (mid, mid - 1)
        if found is not None:
            return found
        if match_mode == -1:
            return below if search_mode == 2 else above
        if match_mode == 1:
            return above if search_mode == 2 else below
        return None
    order = _search_order(len(seq), search_mode)
    wild = match_mode == 2
    for k in order:
        if _exact_hit(seq[k], target, wildcards=wild):
            return k
    if match_mode in (-1, 1):
        best = None
        kt = _kind(target)
        for k in order:
            v = seq[k]
            if _kind(v) != kt:
                continue
            c = compare(v, target)
            if (match_mode == -1 and c < 0) or (match_mode == 1 and c > 0):
                if best is None:
                    best = k
                else:
                    cb = compare(v, seq[best])
                    if (match_mode == -1 and cb > 0) or (match_mode == 1 and cb < 0):
                        best = k
        return best
    return None


def _modes(match_mode, search_mode):
    mm = 0 if match_mode is None else integer(match_mode)
    sm = 1 if search_mode is None else integer(search_mode)
    err = first_error(mm, sm)
    if err is not None:
        return err
    if mm not in (-1, 0, 1, 2) or sm not in (-2, -1, 1, 2):
        return VALUE
    return mm, sm


def _xmatch_args(target, lookup, match_mode, search_mode):
    """XMATCH and XLOOKUP read alike: (target, lookup values, (match mode, search mode)), or
    the first error in Excel's order (a two-dimensional lookup array is #VALUE!)."""
    target = _lookup_target(target)
    if type(target) is _E:
        return target
    if type(lookup) is _E:
        return lookup
    keys = _kept_vector(lookup)
    if keys is None:
        return VALUE
    modes = _modes(match_mode, search_mode)
    if type(modes) is _E:
        return modes
    return target, keys, modes


def f_xmatch(target, arr, match_mode=None, search_mode=None):
    args = _xmatch_args(target, arr, match_mode, search_mode)
    if type(args) is _E:
        return args
    target, seq, modes = args
    k = _xmatch_index(target, seq, *modes)
    return NA if k is None else float(k + 1)


def f_xlookup(target, lookup, result, if_not_found=None, match_mode=None, search_mode=None):
    args = _xmatch_args(target, lookup, match_mode, search_mode)
    if type(args) is _E:
        return args
    target, keys, modes = args
    if type(result) is _E:
        return result
    rows = cells(result)
    nr, nc = len(rows), len(rows[0]) if rows else 0
    by_rows = len(cells(lookup)) > 1 or (nr == len(keys) and nc != len(keys))
    if (by_rows and nr != len(keys)) or (not by_rows and nc != len(keys)):
        return VALUE
    k = _xmatch_index(target, keys, *modes)
    if k is None:
        return NA if if_not_found is None else if_not_found
    if by_rows:
        return rows[k][0] if nc == 1 else Arr((tuple(rows[k]),))
    return rows[0][k] if nr == 1 else Arr(tuple((r[k],) for r in rows))


# ---------------------------------------------------------------- INDEX, CHOOSE, shapes

def f_index(arr, row=None, col=None, area=None):
    if type(arr) is _E:
        return arr
    rows = cells(arr)
    nr, nc = len(rows), len(rows[0]) if rows else 0
    r = 0.0 if row is None else num(row)
    c = 0.0 if col is None else num(col)
    a = 1 if area is None else integer(area)
    err = first_error(r, c, a)
    if err is not None:
        return err
    if a != 1:
        return REF  # one area only
    r, c = int(r), int(c)
    if r < 0 or c < 0:
        return VALUE
    if col is None and nr == 1 and nc > 1:
        r, c = 1, r  # INDEX(A1:E1, 3): a single row is indexed by its columns
    if r > nr or c > nc:
        return REF
    if r and c:
        return rows[r - 1][c - 1]
    if r and nc == 1:
        return rows[r - 1][0]
    if c and nr == 1:
        return rows[0][c - 1]
    if r:
        return Arr((tuple(rows[r - 1]),))
    if c:
        return Arr(tuple((row_[c - 1],) for row_ in rows))
    return arr


def f_transpose(v):
    if type(v) is not Arr:
        return v
    return Arr(tuple(zip(*v.rows)))


_PLAIN_SHEET = re.compile(r"^[^\W\d][\w.]*$")


def _column_letters(c):
    out = ""
    while c:
        c, d = divmod(c - 1, 26)
        out = chr(65 + d) + out
    return out


def f_address(row, col, abs_num=None, a1=None, sheet=None):
    r, c = integer(row), integer(col)
    mode = 1 if abs_num is None else integer(abs_num)
    style_a1 = True if a1 is None else to_bool(a1)
    err = first_error(r, c, mode, style_a1)
    if err is not None:
        return err
    if mode not in (1, 2, 3, 4) or not 1 <= r <= 1048576 or not 1 <= c <= 16384:
        return VALUE
    abs_row = mode in (1, 2)
    abs_col = mode in (1, 3)
    if style_a1:
        ref = "%s%s%s%d" % ("$" if abs_col else "", _column_letters(c), "$" if abs_row else "", r)
    else:
        ref = "R%sC%s" % (r if abs_row else "[%d]" % r, c if abs_col else "[%d]" % c)
    if sheet is None:
        return ref
    name = to_text(sheet)
    if type(name) is _E:
        return name
    if name == "":
        return "!" + ref
    if not _PLAIN_SHEET.match(name) and not name.startswith("["):
        name = "'%s'" % name.replace("'", "''")
    return "%s!%s" % (name, ref)


# ---------------------------------------------------------------- dynamic arrays

CALC = ERRORS["#CALC!"]


def _grid(a):
    """Rows of an argument as lists (a single value is a 1x1 array)."""
    return [list(r) for r in cells(a)]


def _as_arr(rows):
    if not rows or not rows[0]:
        return CALC
    return Arr(tuple(tuple(r) for r in rows))


def _flag_arg(v, default=False):
    if v is None or v is OMITTED:
        return default
    return to_bool(v)


def _sort_key(v):
    """Excel's sort order: numbers, text (case-insensitive), logicals, errors, blanks."""
    t = type(v)
    if t is float or t is int:
        return (0, float(v))
    if t is str:
        return (1, v.lower())
    if t is bool:
        return (2, v)
    if t is _E:
        return (3, 0)
    return (4, 0)


def _transposed(rows):
    return [list(r) for r in zip(*rows)]


def f_sort(arr, sort_index=None, sort_order=None, by_col=None):
    rows = _grid(arr)
    idx = 1 if sort_index is None else integer(sort_index)
    order = 1 if sort_order is None else integer(sort_order)
    by_c = _flag_arg(by_col)
    err = first_error(idx, order, by_c)
    if err is not None:
        return err
    if by_c:
        rows = _transposed(rows)
    if order not in (1, -1) or not 1 <= idx <= len(rows[0]):
        return VALUE
    rows = sorted(rows, key=lambda r: _sort_key(r[idx - 1]), reverse=order == -1)
    return _as_arr(_transposed(rows) if by_c else rows)


def f_sortby(arr, *by_and_orders):
    """SORTBY(array, by_array1, [order1], by_array2, [order2] ...)."""
    rows = _grid(arr)
    if not by_and_orders:
        return VALUE
    keys = []
    for k in range(0, len(by_and_orders), 2):
        by = by_and_orders[k]
        order = by_and_orders[k + 1] if k + 1 < len(by_and_orders) else None
        o = 1 if order is None else integer(order)
        if type(o) is _E:
            return o
        if o not in (1, -1):
            return VALUE
        vec = vector(by)
        if vec is None:
            return VALUE
        keys.append((vec, o))
    by_rows = len(cells(by_and_orders[0])) > 1 or len(rows) == len(keys[0][0]) != len(rows[0])
    units = rows if by_rows else _transposed(rows)
    if any(len(vec) != len(units) for vec, _o in keys):
        return VALUE
    order_idx = list(range(len(units)))
    for vec, o in reversed(keys):  # stable sorts, last key first
        order_idx.sort(key=lambda k: _sort_key(vec[k]), reverse=o == -1)
    units = [units[k] for k in order_idx]
    return _as_arr(units if by_rows else _transposed(units))


def _same(a, b):
    """UNIQUE's equality: same type and equal (text ignoring case); errors by literal."""
    if a is None or b is None:
        return a is None and b is None
    if type(a) is _E or type(b) is _E:
        return a == b
    return _kind(a) == _kind(b) and compare(a, b) == 0


def f_unique(arr, by_col=None, exactly_once=None):
    by_c, once = _flag_arg(by_col), _flag_arg(exactly_once)
    err = first_error(by_c, once)
    if err is not None:
        return err
    rows = _grid(arr)
    units = _transposed(rows) if by_c else rows
    groups = []  # [unit, count]
    for u in units:
        for g in groups:
            if len(g[0]) == len(u) and all(_same(x, y) for x, y in zip(g[0], u)):
                g[1] += 1
                break
        else:
            groups.append([u, 1])
    kept = [g[0] for g in groups if not once or g[1] == 1]
    if not kept:
        return CALC
    return _as_arr(_transposed(kept) if by_c else kept)


def f_filter(arr, include, if_empty=OMITTED):
    rows = _grid(arr)
    mask_rows = _grid(include)
    nr, nc = len(rows), len(rows[0])
    if len(mask_rows) == nr and len(mask_rows[0]) == 1:
        flags, by_rows = [r[0] for r in mask_rows], True
    elif len(mask_rows) == 1 and len(mask_rows[0]) == nc:
        flags, by_rows = mask_rows[0], False
    else:
        return VALUE
    keep = []
    for f in flags:
        b = to_bool(f)
        if type(b) is _E:
            return b
        keep.append(b)
    if by_rows:
        out = [r for r, k in zip(rows, keep) if k]
    else:
        out = [[v for v, k in zip(r, keep) if k] for r in rows]
    if not out or not out[0]:
        return CALC if if_empty is OMITTED else if_empty
    return _as_arr(out)


def _take_drop(take):
    def f(arr, n_rows=None, n_cols=None):
        rows = _grid(arr)
        for n, axis in ((n_rows, 0), (n_cols, 1)):
            if n is None:
                continue
            k = integer(n)
            if type(k) is _E:
                return k
            units = rows if axis == 0 else _transposed(rows)
            if take:
                units = units[:k] if k >= 0 else units[len(units) + k:]
                if k == 0:
                    return CALC
            else:
                units = units[k:] if k >= 0 else units[:len(units) + k]
            if not units:
                return CALC
            rows = units if axis == 0 else _transposed(units)
        return _as_arr(rows)
    return f


f_take = _take_drop(True)
f_drop = _take_drop(False)


def _choose_lines(by_col):
    def f(arr, *numbers):
        rows = _grid(arr)
        units = _transposed(rows) if by_col else rows
        out = []
        for n in numbers:
            for v in ([n] if type(n) is not Arr else list(n.values())):
                k = integer(v)
                if type(k) is _E:
                    return k
                if k == 0 or abs(k) > len(units):
                    return VALUE
                out.append(units[k - 1] if k > 0 else units[len(units) + k])
        if not out:
            return VALUE
        return _as_arr(_transposed(out) if by_col else out)
    return f


f_choosecols = _choose_lines(True)
f_chooserows = _choose_lines(False)


def _stack(vertical):
    def f(*arrays):
        grids = [_grid(a) for a in arrays]
        if vertical:
            width = max(len(g[0]) for g in grids)
            out = [r + [NA] * (width - len(r)) for g in grids for r in g]
        else:
            height = max(len(g) for g in grids)
            out = [[] for _ in range(height)]
            for g in grids:
                w = len(g[0])
                for i in range(height):
                    out[i].extend(g[i] if i < len(g) else [NA] * w)
        return _as_arr(out)
    return f


f_vstack = _stack(True)
f_hstack = _stack(False)


def _to_line(as_column):
    def f(arr, ignore=None, scan_by_column=None):
        mode = 0 if ignore is None else integer(ignore)
        by_c = _flag_arg(scan_by_column)
        err = first_error(mode, by_c)
        if err is not None:
            return err
        if mode not in (0, 1, 2, 3):
            return VALUE
        rows = _grid(arr)
        seq = [v for r in (_transposed(rows) if by_c else rows) for v in r]
        seq = [v for v in seq if not ((mode in (1, 3) and v is None) or (mode in (2, 3) and type(v) is _E))]
        if not seq:
            return CALC
        return _as_arr([[v] for v in seq] if as_column else [seq])
    return f


f_tocol = _to_line(True)
f_torow = _to_line(False)


def f_hyperlink(link, friendly_name=OMITTED):
    """The cell shows the friendly name, or the link itself."""
    return link if friendly_name is OMITTED else friendly_name


#: SORTBY's arguments after the first alternate range (R) and sort order (S).
ALTERNATING = {"SORTBY": 1}

FUNCTIONS = {
    "VLOOKUP": (f_vlookup, "SRS", False),
    "HLOOKUP": (f_hlookup, "SRS", False),
    "LOOKUP": (f_lookup, "SR", False),
    "MATCH": (f_match, "SRS", False),
    "XMATCH": (f_xmatch, "SRS", False),
    "XLOOKUP": (f_xlookup, "SRRS", False),
    "TRANSPOSE": (f_transpose, "R", False),
    "ADDRESS": (f_address, "S", True),
    "SORT": (f_sort, "RS", False),
    "SORTBY": (f_sortby, "RRS", False),
    "UNIQUE": (f_unique, "RS", False),
    "FILTER": (f_filter, "RRS", False),
    "TAKE": (f_take, "RS", False),
    "DROP": (f_drop, "RS", False),
    "CHOOSECOLS": (f_choosecols, "RS", False),
    "CHOOSEROWS": (f_chooserows, "RS", False),
    "VSTACK": (f_vstack, "R", False),
    "HSTACK": (f_hstack, "R", False),
    "TOCOL": (f_tocol, "RS", False),
    "TOROW": (f_torow, "RS", False),
    "HYPERLINK": (f_hyperlink, "S", True),
}
