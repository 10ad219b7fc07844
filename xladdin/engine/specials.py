"""Functions the compiler builds itself: lazy ones (IF, IFERROR, CHOOSE, LET), ones that
take or give references (ROW, OFFSET, INDIRECT, INDEX, CELL, SUBTOTAL ...), and the
clock and random ones, which read `values.context`.

Each entry is ``build(compiler, args, mode) -> closure(sheet, row, col)``.
"""

from __future__ import annotations

import math
import re

from . import functions as _fx
from .failures import CompileFailure, arity_failure as _arity
from .functions.lookup import f_index
from .functions.statistical import aggregate_by_code, f_averageif, f_sumif
from .parser import MAX_COL, MAX_ROW, ParseFailure, col_letters, parse
from .refs import Ref, RefList, intersect_value
from ..xlsx.serials import to_serial
from .values import (
    ERRORS, NA, NUM, REF, VALUE, Arr, ErrorValue, context, lift, to_bool, to_num, to_text,
)

__all__ = ["SPECIAL", "lambda_call"]

_E = ErrorValue


# ---------------------------------------------------------------- logical (lazy)

def _if(cp, args, mode):
    if not args or len(args) > 3:
        raise _arity("IF")
    cond = cp.value(args[0], mode)
    # each branch compiled once (nested IFs stay linear); it may give a reference
    yes = cp.node(args[1], mode) if len(args) > 1 else (lambda s, r, c: 0.0)
    no = cp.node(args[2], mode) if len(args) > 2 else (lambda s, r, c: False)

    def f(s, r, c):
        k = cond(s, r, c)
        if type(k) is Arr:  # array condition: choose element by element
            a = cp_value_now(yes(s, r, c))
            b = cp_value_now(no(s, r, c))
            return lift(_if_scalar, k, a, b)
        t = to_bool(k)
        if type(t) is _E:
            return t
        return yes(s, r, c) if t else no(s, r, c)
    return f


def _if_scalar(k, a, b):
    t = to_bool(k)
    if type(t) is _E:
        return t
    return a if t else b


def _iferror(cp, args, mode, only_na=False):
    name = "IFNA" if only_na else "IFERROR"
    if len(args) != 2:
        raise _arity(name)
    val = cp.value(args[0], mode)
    alt = cp.value(args[1], mode)

    def caught(v):
        return type(v) is _E and (not only_na or v == "#N/A")

    def f(s, r, c):
        v = val(s, r, c)
        if type(v) is Arr:
            a = alt(s, r, c)
            return lift(lambda x, y: y if caught(x) else x, v, a)
        if caught(v):
            a = alt(s, r, c)
            return 0.0 if a is None else a
        return v
    return f


def _ifna(cp, args, mode):
    return _iferror(cp, args, mode, only_na=True)


def _ifs(cp, args, mode):
    if len(args) < 2 or len(args) % 2:
        raise _arity("IFS")
    pairs = [(cp.value(args[i], mode), cp.node(args[i + 1], mode)) for i in range(0, len(args), 2)]

    def f(s, r, c):
        for cond, then in pairs:
            t = to_bool(cond(s, r, c))
            if type(t) is _E:
                return t
            if t:
                return then(s, r, c)
        return NA
    return f


def _choose(cp, args, mode):
    if len(args) < 2:
        raise _arity("CHOOSE")
    idx = cp.value(args[0], mode)
    options = [cp.node(a, mode) for a in args[1:]]

    def f(s, r, c):
        k = idx(s, r, c)
        if type(k) is Arr:
            vals = [cp_value_now(o(s, r, c)) for o in options]
            return lift(lambda i, *opts: _pick(i, opts), k, *vals)
        return _pick(k, options, s, r, c)
    return f


def cp_value_now(v):
    if type(v) is Ref:
        return v.single() if v.is_cell() else v.array()
    return v


def _pick(k, options, s=None, r=None, c=None):
    n = to_num(k)
    if type(n) is _E:
        return n
    i = int(n)
    if i < 1 or i > len(options):
        return VALUE
    o = options[i - 1]
    return o(s, r, c) if callable(o) else o


def _switch(cp, args, mode):
    if len(args) < 3:
        raise _arity("SWITCH")
    expr = cp.value(args[0], mode)
    rest = [cp.value(a, mode) for a in args[1:]]
    compare = _fx.OPERATORS["="]

    def f(s, r, c):
        v = expr(s, r, c)
        if type(v) is _E:
            return v
        n = len(rest)
        i = 0
        while i + 1 < n:
            cand = rest[i](s, r, c)
            if type(cand) is _E:
                return cand
            eq = compare(v, cand)
            if eq is True:
                return rest[i + 1](s, r, c)
            i += 2
        if n % 2 == 1:
            return rest[-1](s, r, c)
        return NA
    return f


# ---------------------------------------------------------------- LET

def _let(cp, args, mode):
    if len(args) < 3 or len(args) % 2 == 0:
        raise _arity("LET")
    slots = []

    def compile_all():
        for i in range(0, len(args) - 1, 2):
            value_fn = cp.node(args[i + 1], mode)
            cell = [None, False]
            slots.append((cell, value_fn))
            cp.bind_local_name(_parameter_name(args[i], "LET"), _slot_reader(cell))
        return cp.node(args[-1], mode)

    body = cp.with_local_names({}, compile_all)
    return _with_slots(slots, body)


def _parameter_name(node, fn_name):
    """LET's and LAMBDA's names, as the file writes them (``_xlpm.x``) or as typed (``x``)."""
    if node[0] != "name" or node[2] is not None:
        raise CompileFailure("%s 的名称无效" % fn_name, "parse")
    name = node[1]
    return name[6:] if name.upper().startswith("_XLPM.") else name


def _slot_reader(cell):
    """A local name's closure: reads slot ``cell`` ([value, omitted]); ISOMITTED reads the flag."""
    def read(s, r, c):
        return cell[0]
    read.slot = cell
    return read


def _with_slots(slots, body):
    """Runs ``body`` with each slot holding its value's result for this cell; the slots are
    restored afterwards (a recursive or nested use reads its own values)."""
    def f(s, r, c):
        saved_values = [cell[0] for cell, _ in slots]
        try:
            for cell, value_fn in slots:
                cell[0] = value_fn(s, r, c)
            return body(s, r, c)
        finally:
            for (cell, _), old in zip(slots, saved_values):
                cell[0] = old
    return f


# ---------------------------------------------------------------- LAMBDA

def lambda_call(cp, lambda_args, call_args, mode):
    """A LAMBDA(params..., body) called with ``call_args`` (a defined name ``week`` =
    LAMBDA(d, ...) used as ``week(A1)``): each parameter is its argument's value, computed
    once per call; a parameter left out is blank and ISOMITTED of it is TRUE; more arguments
    than parameters is #VALUE!."""
    params, cells, body = _lambda_parts(cp, lambda_args, mode)
    if len(call_args) > len(params):
        return lambda s, r, c: VALUE
    slots = [(cells[k], cp.node(a, mode)) for k, a in enumerate(call_args)]
    for cell in cells[len(call_args):]:
        cell[1] = True
    return _with_slots(slots, body)


def _lambda_parts(cp, lambda_args, mode):
    """The parameter names, their slots and the compiled body of LAMBDA(params..., body)."""
    if not lambda_args:
        raise _arity("LAMBDA")
    params = [_parameter_name(p, "LAMBDA") for p in lambda_args[:-1]]
    cells = [[None, False] for _ in params]
    bindings = {p: _slot_reader(cell) for p, cell in zip(params, cells)}
    body = cp.with_local_names(bindings, lambda: cp.node(lambda_args[-1], mode))
    return params, cells, body


def _eta_function(cp, node):
    """An eta-reduced function argument (``_xleta.SUM``, how a file stores BYROW(A1:B3,SUM)) as
    ``invoke(s, r, c, *values)``, or None when ``node`` is not one."""
    if node[0] != "name" or node[2] is not None or not node[1].startswith("_XLETA."):
        return None
    entry = cp.native_entry(node[1][7:])
    if entry is None:
        raise CompileFailure("函数参数 %s 暂不支持，保留文件中的值" % node[1][7:], "unsupported")
    fn, lifts = entry.fn, entry.lifts

    def invoke(s, r, c, *values):
        if lifts and any(type(v) is Arr for v in values):
            return lift(fn, *values)
        return fn(*values)
    return invoke


def _lambda_function(cp, node, mode, arity):
    """The LAMBDA argument of MAP, REDUCE, BYROW ... (or an eta-reduced function such as
    ``_xleta.SUM``) as ``invoke(s, r, c, *values)``; a LAMBDA's parameter count must be
    ``arity`` (a callable taking the count: True when it fits)."""
    eta = _eta_function(cp, node)
    if eta is not None:
        return eta
    found = cp.lambda_definition(node)
    if found is None:
        raise CompileFailure("函数的 LAMBDA 参数无效，保留文件中的值", "unsupported")
    key, lambda_args = found
    with cp.inside_name(key):
        params, cells, body = _lambda_parts(cp, lambda_args, mode)
    fits = len(params) == arity if isinstance(arity, int) else arity(len(params))

    def invoke(s, r, c, *values):
        if not fits:
            return VALUE
        saved = [cell[0] for cell in cells]
        try:
            for cell, v in zip(cells, values):
                cell[0] = v
            return cp_value_now(body(s, r, c))
        finally:
            for cell, old in zip(cells, saved):
                cell[0] = old
    return invoke


def _lambda(cp, args, mode):
    """A LAMBDA not called (stored in a cell) is #CALC! in Excel."""
    return lambda s, r, c: ERRORS["#CALC!"]


def _isomitted(cp, args, mode):
    if len(args) != 1:
        raise _arity("ISOMITTED")
    read = cp.node(args[0], mode)
    slot = getattr(read, "slot", None)
    if slot is None:
        return lambda s, r, c: False
    return lambda s, r, c: slot[1]


def _array_of(v):
    if type(v) is Ref:
        return v.array()
    if type(v) is Arr or type(v) is _E:
        return v
    return Arr(((v,),))


def _single_result(v):
    """A LAMBDA's result where one value is expected (BYROW, MAKEARRAY ...): a 1x1 array is its
    value, a larger one #CALC!."""
    if type(v) is Arr:
        return v.rows[0][0] if v.nrows == 1 and v.ncols == 1 else ERRORS["#CALC!"]
    return 0.0 if v is None else v


def _map(cp, args, mode):
    if len(args) < 2:
        raise _arity("MAP")
    arrays = [cp.node(a, "A") for a in args[:-1]]
    fn = _lambda_function(cp, args[-1], "V", len(arrays))

    def f(s, r, c):
        grids = [_array_of(g(s, r, c)) for g in arrays]
        for a in grids:
            if type(a) is _E:
                return a
        rows, cols = grids[0].nrows, grids[0].ncols
        if any(a.nrows != rows or a.ncols != cols for a in grids):
            return VALUE
        table = [a.rows for a in grids]
        return Arr(tuple(tuple(_single_result(fn(s, r, c, *(t[i][j] for t in table))) for j in range(cols))
                         for i in range(rows)))
    return f


def _accumulate(name, keep_steps):
    """REDUCE([initial], array, LAMBDA(acc, value)) and SCAN, which keeps every step."""
    def build(cp, args, mode):
        if len(args) not in (2, 3):
            raise _arity(name)
        if len(args) == 2:
            args = [("missing",)] + list(args)
        initial = cp.value(args[0], mode)
        array = cp.node(args[1], "A")
        fn = _lambda_function(cp, args[2], "V", 2)

        def f(s, r, c):
            acc = initial(s, r, c)
            grid = _array_of(array(s, r, c))
            if type(grid) is _E:
                return grid
            steps = []
            for row in grid.rows:
                out_row = []
                for v in row:
                    acc = fn(s, r, c, acc, v)
                    out_row.append(_single_result(acc))
                steps.append(tuple(out_row))
            if keep_steps:
                return Arr(tuple(steps))
            return 0.0 if acc is None else acc
        return f
    return build


def _by_line(name, by_row):
    def build(cp, args, mode):
        if len(args) != 2:
            raise _arity(name)
        array = cp.node(args[0], "A")
        fn = _lambda_function(cp, args[1], "V", 1)

        def f(s, r, c):
            grid = _array_of(array(s, r, c))
            if type(grid) is _E:
                return grid
            if by_row:
                return Arr(tuple((_single_result(fn(s, r, c, Arr((row,)))),) for row in grid.rows))
            return Arr((tuple(_single_result(fn(s, r, c, Arr(tuple((v,) for v in col)))) for col in grid.columns),))
        return f
    return build


def _makearray(cp, args, mode):
    if len(args) != 3:
        raise _arity("MAKEARRAY")
    rows_fn, cols_fn = cp.value(args[0], "V"), cp.value(args[1], "V")
    fn = _lambda_function(cp, args[2], "V", 2)

    def f(s, r, c):
        n_rows, n_cols = _whole(rows_fn(s, r, c)), _whole(cols_fn(s, r, c))
        for n in (n_rows, n_cols):
            if type(n) is _E:
                return n
        if n_rows < 1 or n_cols < 1:
            return VALUE
        return Arr(tuple(tuple(_single_result(fn(s, r, c, float(i), float(j))) for j in range(1, n_cols + 1))
                         for i in range(1, n_rows + 1)))
    return f


# ---------------------------------------------------------------- references

def _ref_arg(cp, node, mode):
    return cp.node(node, mode)


def _row_or_column(which):
    def build(cp, args, mode):
        if not args or args[0][0] == "missing":
            if which == "row":
                return lambda s, r, c: float(r)
            return lambda s, r, c: float(c)
        target = _ref_arg(cp, args[0], mode)

        def f(s, r, c):
            v = target(s, r, c)
            if type(v) is _E:
                return v
            if type(v) is not Ref:
                return VALUE
            if which == "row":
                if mode == "A" and v.r2 > v.r1:
                    return Arr(tuple((float(i),) for i in range(v.r1, v.r2 + 1)))
                return float(v.r1)
            if mode == "A" and v.c2 > v.c1:
                return Arr((tuple(float(j) for j in range(v.c1, v.c2 + 1)),))
            return float(v.c1)
        return f
    return build


def _rows_or_columns(which):
    def build(cp, args, mode):
        if len(args) != 1:
            raise _arity(which.upper())
        target = _ref_arg(cp, args[0], "A")

        def f(s, r, c):
            v = target(s, r, c)
            if type(v) is Ref:
                return float(v.nrows if which == "rows" else v.ncols)
            if type(v) is Arr:
                return float(v.nrows if which == "rows" else v.ncols)
            if type(v) is _E:
                return v
            if type(v) is RefList:
                return REF
            return 1.0
        return f
    return build


def _whole(v):
    n = to_num(v)
    if type(n) is _E:
        return n
    return math.trunc(n)


def _offset(cp, args, mode):
    if not 3 <= len(args) <= 5:
        raise _arity("OFFSET")
    base = _ref_arg(cp, args[0], mode)
    rest = [cp.value(a, "V") for a in args[1:]]

    def f(s, r, c):
        ref = base(s, r, c)
        if type(ref) is _E:
            return ref
        if type(ref) is not Ref:
            return VALUE
        nums = []
        for i, g in enumerate(rest):
            v = g(s, r, c)
            if v is None and i >= 2:
                nums.append(None)
                continue
            n = _whole(v)
            if type(n) is _E:
                return n
            nums.append(n)
        dr, dc = nums[0], nums[1]
        h = nums[2] if len(nums) > 2 and nums[2] is not None else ref.nrows
        w = nums[3] if len(nums) > 3 and nums[3] is not None else ref.ncols
        if h == 0 or w == 0:
            return REF
        r1, c1 = ref.r1 + dr, ref.c1 + dc
        r2, c2 = r1 + h - 1, c1 + w - 1
        if h < 0:
            r1, r2 = r1 + h + 1, r1
        if w < 0:
            c1, c2 = c1 + w + 1, c1
        if r1 < 1 or c1 < 1 or r2 > MAX_ROW or c2 > MAX_COL:
            return REF
        return Ref(ref.sheet, r1, c1, r2, c2)
    return f


_R1C1 = re.compile(r"^(?:R(\[-?\d+\]|\d+)?)?(?:C(\[-?\d+\]|\d+)?)?$", re.IGNORECASE)


def _r1c1_to_a1(text, row, col):
    sheet = ""
    if "!" in text:
        sheet, text = text.rsplit("!", 1)
        sheet += "!"
    parts = text.split(":")
    out = []
    for p in parts:
        m = _R1C1.match(p.strip())
        if not m or not p.strip():
            return None
        rs, cs = m.group(1), m.group(2)

        def one(spec, here):
            if spec is None:
                return here, False
            if spec.startswith("["):
                return here + int(spec[1:-1]), False
            return int(spec), True
        rr, _ = one(rs, row) if rs is not None or p.upper().startswith("R") else (None, False)
        cc, _ = one(cs, col) if cs is not None or "C" in p.upper() else (None, False)
        if p.upper().startswith("R") and rs is None:
            rr = row
        if "C" in p.upper() and cs is None:
            cc = col
        if rr is None and cc is None:
            return None
        if cc is None:
            out.append("$%d" % rr)
        elif rr is None:
            out.append("$%s" % col_letters(cc))
        else:
            if rr < 1 or cc < 1:
                return None
            out.append("$%s$%d" % (col_letters(cc), rr))
    if len(out) == 1 and ":" not in text and (out[0].count("$") == 1):
        out = [out[0] + ":" + out[0]]
    return sheet + ":".join(out)


def _indirect(cp, args, mode):
    if not 1 <= len(args) <= 2:
        raise _arity("INDIRECT")
    text_fn = cp.value(args[0], "V")
    a1_fn = cp.value(args[1], "V") if len(args) > 1 else None
    cache = {}

    def f(s, r, c):
        t = text_fn(s, r, c)
        if type(t) is _E:
            return t
        t = to_text(t)
        if type(t) is _E:
            return t
        t = t.strip()
        a1 = True
        if a1_fn is not None:
            flag = a1_fn(s, r, c)
            if flag is not None:
                a1 = to_bool(flag)
                if type(a1) is _E:
                    return a1
        if not a1:
            conv = _r1c1_to_a1(t, r, c)
            if conv is None:
                return REF
            t = conv
        key = (t.upper(), s.index, r if not a1 else 0, c if not a1 else 0)
        fn = cache.get(key)
        if fn is None:
            if len(cache) > 4096:
                cache.clear()
            fn = _compile_reference_text(s.book.compiler, t, s, r, c)
            cache[key] = fn
        if type(fn) is _E:
            return fn
        v = fn(s, r, c)
        if type(v) in (Ref, RefList):
            return v
        return REF
    return f


def _compile_reference_text(cp, text, sheet, row, col):
    """INDIRECT's text compiled as a reference written in (row, col) of ``sheet``."""
    try:
        tree = parse(text, row, col)
    except ParseFailure:
        return REF
    if tree[0] not in ("ref", "ref3d", "name", "op", "union", "table"):
        return REF
    try:
        return cp.compile_on_sheet(tree, sheet, "V")
    except CompileFailure:
        return REF


def _index(cp, args, mode):
    if not 1 <= len(args) <= 4:
        raise _arity("INDEX")
    target = cp.node(args[0], "A")
    nums = [cp.value(a, "V") for a in args[1:]]

    def f(s, r, c):
        v = target(s, r, c)
        vals = []
        for g in nums:
            x = g(s, r, c)
            vals.append(x)
        for x in vals:
            if type(x) is _E:
                return x
        if type(v) is RefList:
            area = 1
            if len(vals) > 2 and vals[2] is not None:
                area = _whole(vals[2])
                if type(area) is _E:
                    return area
            if not 1 <= area <= len(v.refs):
                return REF
            v = v.refs[area - 1]
        elif len(vals) > 2 and vals[2] is not None:
            area = _whole(vals[2])
            if type(area) is _E:
                return area
            if area != 1:  # INDEX({1,2,3},1,0,2): one area only (IronCalc INDEX.xlsx, Excel 16)
                return REF
        if type(v) is not Ref:
            if type(v) is _E:
                return v
            return f_index(v, *vals[:2])
        row_n = vals[0] if len(vals) > 0 else None
        col_n = vals[1] if len(vals) > 1 else None
        rn = 0 if row_n is None else _whole(row_n)
        cn = 0 if col_n is None else _whole(col_n)
        if type(rn) is _E:
            return rn
        if type(cn) is _E:
            return cn
        nr, nc = v.nrows, v.ncols
        if col_n is None and len(vals) < 2 and nr == 1 and nc > 1:
            rn, cn = 1, rn   # INDEX(A1:E1, 3): a one-row area is indexed by column
        if rn < 0 or cn < 0:
            return VALUE
        if rn > nr or cn > nc:
            return REF
        if rn == 0 and cn == 0:
            return v
        if rn == 0:
            return Ref(v.sheet, v.r1, v.c1 + cn - 1, v.r2, v.c1 + cn - 1)
        if cn == 0:
            if nc > 1 and nr > 1 or nc > 1:
                return Ref(v.sheet, v.r1 + rn - 1, v.c1, v.r1 + rn - 1, v.c2)
            cn = 1
        return Ref(v.sheet, v.r1 + rn - 1, v.c1 + cn - 1, v.r1 + rn - 1, v.c1 + cn - 1)
    return f


def _trimrange(cp, args, mode):
    """TRIMRANGE(range, [rows], [columns]): the range without its blank outer rows and columns
    (0 keeps them, 1 trims leading, 2 trailing, 3 both: the default)."""
    if not 1 <= len(args) <= 3:
        raise _arity("TRIMRANGE")
    target = cp.node(args[0], mode)
    how = [cp.value(a, "V") for a in args[1:]]

    def f(s, r, c):
        ref = target(s, r, c)
        if type(ref) is _E:
            return ref
        if type(ref) is not Ref:
            return VALUE
        modes = []
        for g in how:
            v = g(s, r, c)
            k = 3 if v is None else _whole(v)
            if type(k) is _E:
                return k
            if not 0 <= k <= 3:
                return VALUE
            modes.append(k)
        modes += [3] * (2 - len(modes))
        arr = ref.array()   # may stop at the sheet's last used row
        rows = arr.rows
        filled_rows = [i for i, row in enumerate(rows) if any(v is not None for v in row)]
        filled_cols = [j for j in range(arr.ncols) if any(row[j] is not None for row in rows)]
        if not filled_rows:
            return ERRORS["#REF!"]
        top, bottom = ref.r1, ref.r2
        left, right = ref.c1, ref.c2
        if modes[0] & 1:
            top = ref.r1 + filled_rows[0]
        if modes[0] & 2:
            bottom = ref.r1 + filled_rows[-1]
        if modes[1] & 1:
            left = ref.c1 + filled_cols[0]
        if modes[1] & 2:
            right = ref.c1 + filled_cols[-1]
        return Ref(ref.sheet, top, left, bottom, right)
    return f


def _isref(cp, args, mode):
    target = cp.node(args[0], mode)

    def f(s, r, c):
        return type(target(s, r, c)) in (Ref, RefList)
    return f


def _of_reference(answer, of_several=None):
    """A function of a reference (``of_several``: also of a union or 3-D reference): errors
    pass through, anything else is #VALUE!."""
    def build(cp, args, mode):
        target = cp.node(args[0], mode)

        def f(s, r, c):
            v = target(s, r, c)
            if type(v) is Ref:
                return answer(v)
            if type(v) is RefList and of_several is not None:
                return of_several(v)
            return v if type(v) is _E else VALUE
        return f
    return build


def _formula_text(ref):
    text = ref.sheet.book.formula_text(ref.sheet, ref.r1, ref.c1)
    return NA if text is None else "=" + text


_isformula = _of_reference(lambda ref: ref.sheet.has_formula(ref.r1, ref.c1))
_formulatext = _of_reference(_formula_text)
_areas = _of_reference(lambda ref: 1.0, lambda refs: float(len(refs.refs)))


def _cell(cp, args, mode):
    if not args or args[0][0] != "str":
        raise CompileFailure("CELL 的信息类型不是常量，保留文件中的值", "unsupported")
    info = args[0][1].lower()
    if info not in ("row", "col", "address", "contents", "type", "sheet"):
        raise CompileFailure("CELL(\"%s\") 取决于运行环境，保留文件中的值" % info, "environment")
    target = cp.node(args[1], mode) if len(args) > 1 else None

    def f(s, r, c):
        ref = target(s, r, c) if target is not None else Ref(s, r, c, r, c)
        if type(ref) is _E:
            return ref
        if type(ref) is not Ref:
            return VALUE
        if info == "row":
            return float(ref.r1)
        if info == "col":
            return float(ref.c1)
        if info == "address":
            a = "$%s$%d" % (col_letters(ref.c1), ref.r1)
            if ref.sheet is not s:
                name = ref.sheet.name
                if not re.fullmatch(r"[^\W\d]\w*", name):
                    name = "'" + name.replace("'", "''") + "'"
                a = name + "!" + a
            return a
        if info == "sheet":
            return float(ref.sheet.index + 1)
        v = ref.sheet.cell_value(ref.r1, ref.c1)
        if info == "contents":
            return 0.0 if v is None else v
        # CELL("type"): b blank, l label (text), v value
        if v is None:
            return "b"
        return "l" if type(v) is str else "v"
    return f


def _sheet_fn(cp, args, mode):
    if not args:
        return lambda s, r, c: float(s.index + 1)
    target = cp.node(args[0], mode)

    def f(s, r, c):
        v = target(s, r, c)
        if type(v) is Ref:
            return float(v.sheet.index + 1)
        if type(v) is str:
            sh = s.book.sheet_by_name(v)
            return NA if sh is None else float(sh.index + 1)
        return v if type(v) is _E else VALUE
    return f


_sheets_of = _of_reference(lambda ref: 1.0, lambda refs: float(len({id(x.sheet) for x in refs.refs})))


def _sheets_fn(cp, args, mode):
    if not args:
        n = float(len(cp.book.sheets))
        return lambda s, r, c: n
    return _sheets_of(cp, args, mode)


def _anchorarray(cp, args, mode):
    """ANCHORARRAY(A1) is how a file stores A1# (the spilled range)."""
    return cp.n_spill(("spill", args[0]), mode)


def _single(cp, args, mode):
    """SINGLE(x) is how a file stores @x (implicit intersection)."""
    return cp.n_at(("at", args[0]), mode)


# ---------------------------------------------------------------- SUBTOTAL / AGGREGATE

def _subtotal(cp, args, mode):
    if len(args) < 2:
        raise _arity("SUBTOTAL")
    code_fn = cp.value(args[0], "V")
    refs = [cp.node(a, "A") for a in args[1:]]

    def f(s, r, c):
        book = s.book
        code = _whole(code_fn(s, r, c))
        if type(code) is _E:
            return code
        if not (1 <= code <= 11 or 101 <= code <= 111):
            return VALUE
        values = []
        for g in refs:
            v = g(s, r, c)
            items = v.refs if type(v) is RefList else [v]
            for x in items:
                if type(x) is Ref:
                    values.append(_subtotal_values(book, x, all_hidden=code > 100))
                elif type(x) is _E:
                    return x
                else:
                    return VALUE
        return aggregate_by_code(code, values)
    return f


def _subtotal_values(book, ref, all_hidden, skip_nested=True):
    """The area's values as SUBTOTAL sees them: cells holding SUBTOTAL/AGGREGATE formulas
    are left out (nested subtotals are not counted twice), and so are rows hidden by a
    filter (codes 1-11) or hidden in any way (codes 101-111); ``all_hidden`` None keeps
    hidden rows (AGGREGATE's options 0, 2, 4 and 6)."""
    arr = ref.array()
    skip_cells = [(row, col) for (idx, row, col) in book.subtotal_cells
                  if idx == ref.sheet.index and ref.r1 <= row <= ref.r2 and ref.c1 <= col <= ref.c2
                  ] if skip_nested else []
    hidden = [] if all_hidden is None else book.hidden_rows(ref.sheet, filtered_only=not all_hidden)
    skip_rows = [row for row in hidden if ref.r1 <= row <= min(ref.r2, ref.r1 + arr.nrows - 1)]
    if not skip_cells and not skip_rows:
        return arr
    cols = [list(col) for col in arr.columns]
    for row, col in skip_cells:
        if row - ref.r1 < len(cols[0]):
            cols[col - ref.c1][row - ref.r1] = None
    for row in skip_rows:
        for col in cols:
            col[row - ref.r1] = None
    return Arr.from_columns(cols, ref=True, origin=arr.origin)


def _aggregate(cp, args, mode):
    """AGGREGATE(function, options, ref1, ...): SUBTOTAL's functions and MEDIAN, MODE.SNGL,
    LARGE, SMALL, PERCENTILE and QUARTILE (14-19 take ``k`` as the fourth argument), with
    options 0-7 for what to leave out: nested SUBTOTAL/AGGREGATE cells (0-3), hidden rows
    (1, 3, 5, 7) and error values (2, 3, 6, 7)."""
    if len(args) < 3:
        raise _arity("AGGREGATE")
    code_fn = cp.value(args[0], "V")
    option_fn = cp.value(args[1], "V") if args[1][0] != "missing" else (lambda s, r, c: 0.0)
    data = [cp.node(a, "A") for a in args[2:]]

    def f(s, r, c):
        code = _whole(code_fn(s, r, c))
        if type(code) is _E:
            return code
        option = _whole(option_fn(s, r, c))
        if type(option) is _E:
            return option
        if not 1 <= code <= 19 or not 0 <= option <= 7:
            return VALUE
        with_k = code >= 14
        if with_k and len(data) != 2:
            return VALUE
        hidden = True if option in (1, 3, 5, 7) else None
        drop_errors = option in (2, 3, 6, 7)
        sources = data[:1] if with_k else data
        values = []
        for g in sources:
            v = g(s, r, c)
            items = v.refs if type(v) is RefList else [v]
            for x in items:
                if type(x) is Ref:
                    x = _subtotal_values(s.book, x, hidden, skip_nested=option <= 3)
                elif type(x) is _E:
                    return x
                elif type(x) is not Arr:
                    x = Arr(((x,),))
                values.append(_without_errors(x) if drop_errors else x)
        if with_k:
            k = data[1](s, r, c)
            if type(k) is Ref:
                k = k.single() if k.is_cell() else intersect_value(k, r, c)
            return aggregate_by_code(code, values + [k], aggregate=True)
        return aggregate_by_code(code, values, aggregate=True)
    return f


def _without_errors(arr):
    if not any(type(v) is _E for v in arr.values()):
        return arr
    return Arr(tuple(tuple(None if type(v) is _E else v for v in row) for row in arr.rows),
               ref=arr.ref, origin=arr.origin)


# ---------------------------------------------------------------- clock and random

def _serial(moment, with_time):
    serial = to_serial(moment, context.date1904)
    return serial if with_time else float(math.floor(serial))


def _today(cp, args, mode):
    if args:
        raise _arity("TODAY")
    return lambda s, r, c: _serial(context.now.replace(tzinfo=None), False)


def _now(cp, args, mode):
    if args:
        raise _arity("NOW")
    return lambda s, r, c: _serial(context.now.replace(tzinfo=None), True)


def _rand(cp, args, mode):
    if args:
        raise _arity("RAND")
    return lambda s, r, c: context.random.random()


def _randbetween(cp, args, mode):
    if len(args) != 2:
        raise _arity("RANDBETWEEN")
    lo_fn, hi_fn = cp.value(args[0], mode), cp.value(args[1], mode)

    def f(s, r, c):
        lo, hi = to_num(lo_fn(s, r, c)), to_num(hi_fn(s, r, c))
        if type(lo) is _E:
            return lo
        if type(hi) is _E:
            return hi
        bottom, top = math.ceil(lo), math.floor(hi)
        if bottom > top:
            return NUM
        return float(context.random.randint(bottom, top))
    return f


# ---------------------------------------------------------------- conditional sums

def _resized_sum(name, fn):
    """SUMIF/AVERAGEIF: the sum range takes the size of the criteria range from its
    top-left cell, as Excel does (SUMIF(A1:A10,">0",B1) sums B1:B10)."""
    def build(cp, args, mode):
        if len(args) not in (2, 3):
            raise _arity(name)
        crit_range = cp.node(args[0], "A")
        crit = cp.value(args[1], mode)
        total = cp.node(args[2], "A") if len(args) == 3 else None

        def f(s, r, c):
            rng = crit_range(s, r, c)
            if type(rng) is _E:
                return rng
            if type(rng) is not Ref:
                return VALUE
            k = crit(s, r, c)
            if total is None:
                return _lift_criteria(fn, rng.array(), k)
            t = total(s, r, c)
            if type(t) is _E:
                return t
            if type(t) is not Ref:
                return VALUE
            t = Ref(t.sheet, t.r1, t.c1, t.r1 + rng.nrows - 1, t.c1 + rng.ncols - 1)
            return _lift_criteria(fn, rng.array(), k, t.array())
        return f
    return build


def _lift_criteria(fn, rng, k, *rest):
    if type(k) is Arr:
        return lift(lambda kk: fn(rng, kk, *rest), k)
    return fn(rng, k, *rest)


SPECIAL = {
    "IF": _if,
    "IFERROR": _iferror,
    "IFNA": _ifna,
    "IFS": _ifs,
    "CHOOSE": _choose,
    "SWITCH": _switch,
    "LET": _let,
    "ROW": _row_or_column("row"),
    "COLUMN": _row_or_column("column"),
    "ROWS": _rows_or_columns("rows"),
    "COLUMNS": _rows_or_columns("columns"),
    "OFFSET": _offset,
    "INDIRECT": _indirect,
    "INDEX": _index,
    "AREAS": _areas,
    "ISREF": _isref,
    "TRIMRANGE": _trimrange,
    "ISFORMULA": _isformula,
    "FORMULATEXT": _formulatext,
    "CELL": _cell,
    "SHEET": _sheet_fn,
    "SHEETS": _sheets_fn,
    "ANCHORARRAY": _anchorarray,
    "SINGLE": _single,
    "SUBTOTAL": _subtotal,
    "AGGREGATE": _aggregate,
    "TODAY": _today,
    "NOW": _now,
    "RAND": _rand,
    "RANDBETWEEN": _randbetween,
    "SUMIF": _resized_sum("SUMIF", f_sumif),
    "AVERAGEIF": _resized_sum("AVERAGEIF", f_averageif),
    "LAMBDA": _lambda,
    "ISOMITTED": _isomitted,
    "MAP": _map,
    "REDUCE": _accumulate("REDUCE", False),
    "SCAN": _accumulate("SCAN", True),
    "BYROW": _by_line("BYROW", True),
    "BYCOL": _by_line("BYCOL", False),
    "MAKEARRAY": _makearray,
}
