"""Operators and native Excel functions for the headless engine.

Every function takes and returns engine values (see engine_values); Excel errors
are returned, never raised.  `NATIVES` maps an Excel name to
``(python_function, arg_modes, lifts)``:

* arg_modes: one letter per argument, the last one repeating.  ``R``: a
  reference argument arrives as an `Arr` (even a single cell), so aggregate
  functions can ignore text in ranges as Excel does.  ``S``: a single-cell
  reference arrives as its value, a multi-cell one as an `Arr`.
* lifts: the function is scalar; the compiler maps it element-wise when an
  argument may be an array (Excel 365 lifting).

IF / IFERROR / IFNA / ROW / COLUMN are compiled specially (lazy branches,
static positions) by `xladdin.engine`; their eager forms here are used only when
an argument is an array.
"""

from __future__ import annotations

import functools
import math
import re

from ..numfmt import format_number, format_text, is_date_format
from ..values import (
    DIV0, NA, NUM, REF, VALUE, Arr, ErrorValue, as_error, compare, lift,
    num_to_text, round_dec, text_to_num, to_bool, to_num, to_text,
)

_E = ErrorValue


def _finite(r):
    return r if r - r == 0 else NUM


# ---------------------------------------------------------------- operators

def op_add(a, b):
    if type(a) is float and type(b) is float:
        r = a + b
    else:
        if type(a) is Arr or type(b) is Arr:
            return lift(op_add, a, b)
        a = to_num(a)
        if type(a) is _E:
            return a
        b = to_num(b)
        if type(b) is _E:
            return b
        r = a + b
    return r if r - r == 0 else NUM


def op_sub(a, b):
    if type(a) is float and type(b) is float:
        r = a - b
    else:
        if type(a) is Arr or type(b) is Arr:
            return lift(op_sub, a, b)
        a = to_num(a)
        if type(a) is _E:
            return a
        b = to_num(b)
        if type(b) is _E:
            return b
        r = a - b
    return r if r - r == 0 else NUM


def op_mul(a, b):
    if type(a) is float and type(b) is float:
        r = a * b
    else:
        if type(a) is Arr or type(b) is Arr:
            return lift(op_mul, a, b)
        a = to_num(a)
        if type(a) is _E:
            return a
        b = to_num(b)
        if type(b) is _E:
            return b
        r = a * b
    return r if r - r == 0 else NUM


def op_div(a, b):
    if type(a) is not float or type(b) is not float:
        if type(a) is Arr or type(b) is Arr:
            return lift(op_div, a, b)
        a = to_num(a)
        if type(a) is _E:
            return a
        b = to_num(b)
        if type(b) is _E:
            return b
    if b == 0:
        return DIV0
    r = a / b
    return r if r - r == 0 else NUM


def op_pow(a, b):
    if type(a) is Arr or type(b) is Arr:
        return lift(op_pow, a, b)
    a = to_num(a)
    if type(a) is _E:
        return a
    b = to_num(b)
    if type(b) is _E:
        return b
    if a == 0:
        if b == 0:
            return NUM
        if b < 0:
            return DIV0
        return 0.0
    if a < 0 and not float(b).is_integer():
        return NUM
    try:
        r = float(a) ** b
    except (OverflowError, ZeroDivisionError):
        return NUM
    return _finite(r)


def op_neg(a):
    if type(a) is float:
        return -a
    if type(a) is Arr:
        return lift(op_neg, a)
    a = to_num(a)
    return a if type(a) is _E else -a


def op_pos(a):
    return a


def op_pct(a):
    if type(a) is Arr:
        return lift(op_pct, a)
    a = to_num(a)
    return a if type(a) is _E else a / 100.0


def op_cat(a, b):
    if type(a) is str and type(b) is str:
        return a + b
    if type(a) is Arr or type(b) is Arr:
        return lift(op_cat, a, b)
    a = to_text(a)
    if type(a) is _E:
        return a
    b = to_text(b)
    if type(b) is _E:
        return b
    return a + b


def _cmp_op(test):
    def op(a, b):
        if type(a) is Arr or type(b) is Arr:
            return lift(op, a, b)
        c = compare(a, b)
        if type(c) is _E:
            return c
        return test(c)
    return op


op_eq = _cmp_op(lambda c: c == 0)
op_ne = _cmp_op(lambda c: c != 0)
op_lt = _cmp_op(lambda c: c < 0)
op_gt = _cmp_op(lambda c: c > 0)
op_le = _cmp_op(lambda c: c <= 0)
op_ge = _cmp_op(lambda c: c >= 0)

OPERATORS = {
    "+": op_add, "-": op_sub, "*": op_mul, "/": op_div, "^": op_pow, "&": op_cat,
    "=": op_eq, "<>": op_ne, "<": op_lt, ">": op_gt, "<=": op_le, ">=": op_ge,
    "u-": op_neg, "u+": op_pos, "%": op_pct,
}


# ---------------------------------------------------------------- helpers

def _numbers(args, direct_text=True):
    """Numbers Excel aggregates (SUM/AVERAGE/MIN/MAX...): list, or the first error.

    In ranges/arrays only numbers count; direct arguments are coerced."""
    out = []
    for a in args:
        t = type(a)
        if t is Arr:
            for row in a.rows:
                for v in row:
                    tv = type(v)
                    if tv is float or tv is int:
                        out.append(v)
                    elif tv is _E:
                        return v
        elif t is float or t is int:
            out.append(a)
        elif a is None:
            continue
        else:
            v = to_num(a)
            if type(v) is _E:
                return v
            out.append(v)
    return out


def _flat(a):
    if type(a) is Arr:
        for row in a.rows:
            yield from row
    else:
        yield a


def _int_arg(v):
    v = to_num(v)
    if type(v) is _E:
        return v
    return int(v)  # truncates toward zero, like Excel for digit counts


# ---------------------------------------------------------------- math

def f_sum(*args):
    total = 0.0
    for a in args:
        t = type(a)
        if t is Arr:
            for row in a.rows:
                for v in row:
                    tv = type(v)
                    if tv is float or tv is int:
                        total += v
                    elif tv is _E:
                        return v
        elif t is float:
            total += a
        elif a is None:
            continue
        else:
            v = to_num(a)
            if type(v) is _E:
                return v
            total += v
    return _finite(total)


def f_average(*args):
    nums = _numbers(args)
    if type(nums) is _E:
        return nums
    if not nums:
        return DIV0
    return _finite(sum(nums) / len(nums))


def f_min(*args):
    nums = _numbers(args)
    if type(nums) is _E:
        return nums
    return float(min(nums)) if nums else 0.0


def f_max(*args):
    nums = _numbers(args)
    if type(nums) is _E:
        return nums
    return float(max(nums)) if nums else 0.0


def f_product(*args):
    nums = _numbers(args)
    if type(nums) is _E:
        return nums
    if not nums:
        return 0.0
    r = 1.0
    for v in nums:
        r *= v
    return _finite(r)


def f_median(*args):
    nums = _numbers(args)
    if type(nums) is _E:
        return nums
    if not nums:
        return NUM
    s = sorted(nums)
    n = len(s)
    return float(s[n // 2]) if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2.0


def _kth(arr, k, largest):
    nums = _numbers([arr if type(arr) is Arr else arr])
    if type(nums) is _E:
        return nums
    k = to_num(k)
    if type(k) is _E:
        return k
    k = math.ceil(k)
    if k < 1 or k > len(nums):
        return NUM
    return float(sorted(nums, reverse=largest)[k - 1])


def f_large(arr, k):
    return _kth(arr, k, True)


def f_small(arr, k):
    return _kth(arr, k, False)


def f_count(*args):
    n = 0
    for a in args:
        if type(a) is Arr:
            for v in a.values():
                tv = type(v)
                if tv is float or tv is int:
                    n += 1
        elif a is None or type(a) is _E:
            continue
        elif type(a) in (float, int, bool):
            n += 1
        elif type(a) is str and type(text_to_num(a)) is not _E:
            n += 1
    return float(n)


def f_counta(*args):
    n = 0
    for a in args:
        if type(a) is Arr:
            for v in a.values():
                if v is not None:
                    n += 1
        elif a is not None:
            n += 1
    return float(n)


def f_countblank(*args):
    n = 0
    for a in args:
        for v in _flat(a):
            if v is None or v == "":
                n += 1
    return float(n)


def _rounding(mode):
    """ROUND, ROUNDDOWN and ROUNDUP differ only in the direction of the decimal rounding."""

    def rounded(x, digits=None):
        x = to_num(x)
        if type(x) is _E:
            return x
        d = _int_arg(digits)
        if type(d) is _E:
            return d
        return round_dec(x, d, mode)

    return rounded


f_round = _rounding("half_up")
f_rounddown = _rounding("down")
f_roundup = _rounding("up")


def f_trunc(x, digits=None):
    return f_rounddown(x, digits)


def f_int(x):
    x = to_num(x)
    if type(x) is _E:
        return x
    return float(math.floor(x))


def f_abs(x):
    x = to_num(x)
    return x if type(x) is _E else abs(x)


def f_sign(x):
    x = to_num(x)
    if type(x) is _E:
        return x
    return 1.0 if x > 0 else (-1.0 if x < 0 else 0.0)


def f_mod(a, b):
    a = to_num(a)
    if type(a) is _E:
        return a
    b = to_num(b)
    if type(b) is _E:
        return b
    if b == 0:
        return DIV0
    return _finite(a - b * math.floor(a / b))


def f_sqrt(x):
    x = to_num(x)
    if type(x) is _E:
        return x
    return NUM if x < 0 else math.sqrt(x)


def f_power(a, b):
    return op_pow(a, b)


def f_exp(x):
    x = to_num(x)
    if type(x) is _E:
        return x
    try:
        return _finite(math.exp(x))
    except OverflowError:
        return NUM


def f_ln(x):
    x = to_num(x)
    if type(x) is _E:
        return x
    return NUM if x <= 0 else math.log(x)


def f_log(x, base=None):
    x = to_num(x)
    if type(x) is _E:
        return x
    b = 10.0 if base is None else to_num(base)
    if type(b) is _E:
        return b
    if x <= 0 or b <= 0:
        return NUM
    if b == 1:
        return DIV0
    return math.log(x) / math.log(b)


def f_log10(x):
    return f_log(x, 10.0)


def f_pi():
    return math.pi


def f_sumproduct(*arrays):
    if not arrays:
        return VALUE
    shapes = set()
    grids = []
    for a in arrays:
        if type(a) is Arr:
            shapes.add((a.nrows, a.ncols))
            grids.append(a.rows)
        else:
            if type(a) is _E:
                return a
            shapes.add((1, 1))
            grids.append(((a,),))
    if len(shapes) != 1:
        return VALUE
    nr, nc = shapes.pop()
    total = 0.0
    for i in range(nr):
        for j in range(nc):
            p = 1.0
            for g in grids:
                v = g[i][j]
                tv = type(v)
                if tv is float or tv is int:
                    p *= v
                elif tv is _E:
                    return v
                else:
                    p = 0.0
            total += p
    return _finite(total)


# ---------------------------------------------------------------- logic & info

def f_if(cond, a=False, b=False):
    c = to_bool(cond)
    if type(c) is _E:
        return c
    return a if c else b


def f_iferror(v, alt=None):
    return alt if type(v) is _E else v


def f_ifna(v, alt=None):
    return alt if type(v) is _E and v == "#N/A" else v


def _logical_values(args):
    out = []
    for a in args:
        if type(a) is Arr:
            for v in a.values():
                tv = type(v)
                if tv is bool:
                    out.append(v)
                elif tv is float or tv is int:
                    out.append(v != 0)
                elif tv is _E:
                    return v
        elif a is None:
            continue
        else:
            v = to_bool(a)
            if type(v) is _E:
                return v
            out.append(v)
    return out


def _logical(combine):
    """AND, OR and XOR share Excel's argument rules and differ only in how they combine."""

    def logical(*args):
        vals = _logical_values(args)
        if type(vals) is _E:
            return vals
        if not vals:
            return VALUE
        return combine(vals)

    return logical


f_and = _logical(all)
f_or = _logical(any)
f_xor = _logical(lambda vals: sum(vals) % 2 == 1)


def f_not(x):
    v = to_bool(x)
    return v if type(v) is _E else (not v)


def f_true():
    return True


def f_false():
    return False


def f_na():
    return NA


def f_ifs(*args):
    if len(args) < 2 or len(args) % 2:
        return VALUE
    for k in range(0, len(args), 2):
        c = to_bool(args[k])
        if type(c) is _E:
            return c
        if c:
            return args[k + 1]
    return NA


def f_switch(expr, *args):
    if type(expr) is _E:
        return expr
    default = NA
    if len(args) % 2:
        default = args[-1]
        args = args[:-1]
    for k in range(0, len(args), 2):
        c = compare(expr, args[k])
        if type(c) is _E:
            return c
        if c == 0:
            return args[k + 1]
    return default


def f_choose(index, *options):
    i = to_num(index)
    if type(i) is _E:
        return i
    i = int(i)
    if i < 1 or i > len(options):
        return VALUE
    return options[i - 1]


def f_isnumber(v):
    t = type(v)
    return t is float or t is int


def f_istext(v):
    return type(v) is str


def f_isnontext(v):
    return type(v) is not str


def f_isblank(v):
    return v is None


def f_iserror(v):
    return type(v) is _E


def f_iserr(v):
    return type(v) is _E and v != "#N/A"


def f_isna(v):
    return type(v) is _E and v == "#N/A"


def f_islogical(v):
    return type(v) is bool


def f_n(v):
    t = type(v)
    if t is float or t is int:
        return float(v)
    if t is bool:
        return 1.0 if v else 0.0
    if t is _E:
        return v
    return 0.0


def f_t(v):
    if type(v) is str or type(v) is _E:
        return v
    return ""


def f_rows(v):
    return float(v.nrows) if type(v) is Arr else 1.0


def f_columns(v):
    return float(v.ncols) if type(v) is Arr else 1.0


# ---------------------------------------------------------------- text

@functools.lru_cache(maxsize=512)
def _is_date_format(fmt):
    return is_date_format(fmt)


def _formulas_text(value, fmt):
    from formulas.functions import get_functions
    r = get_functions()["TEXT"](value, fmt)
    return from_formulas(r)


def f_text(v, fmt):
    if type(v) is _E:
        return v
    fmt = to_text(fmt)
    if type(fmt) is _E:
        return fmt
    t = type(v)
    if t is str:
        n = text_to_num(v)
        if type(n) is _E:
            return format_text(v, fmt)
        v = n
    elif t is bool:
        return format_text("TRUE" if v else "FALSE", fmt)
    elif v is None:
        v = 0.0
    else:
        v = to_num(v)
        if type(v) is _E:
            return v
    if _is_date_format(fmt):
        return _formulas_text(v, fmt)
    return format_number(v, fmt)


def f_concat(*args):
    out = []
    for a in args:
        for v in _flat(a):
            s = to_text(v)
            if type(s) is _E:
                return s
            out.append(s)
    return "".join(out)


def f_concatenate(*args):
    out = []
    for a in args:
        s = to_text(a)
        if type(s) is _E:
            return s
        out.append(s)
    return "".join(out)


def f_textjoin(delim, ignore_empty, *args):
    d = to_text(delim)
    if type(d) is _E:
        return d
    ig = to_bool(ignore_empty)
    if type(ig) is _E:
        return ig
    out = []
    for a in args:
        for v in _flat(a):
            s = to_text(v)
            if type(s) is _E:
                return s
            if ig and s == "":
                continue
            out.append(s)
    return d.join(out)


def f_len(v):
    s = to_text(v)
    return s if type(s) is _E else float(len(s))


def f_left(v, n=None):
    s = to_text(v)
    if type(s) is _E:
        return s
    k = 1 if n is None else to_num(n)
    if type(k) is _E:
        return k
    if k < 0:
        return VALUE
    return s[: int(k)]


def f_right(v, n=None):
    s = to_text(v)
    if type(s) is _E:
        return s
    k = 1 if n is None else to_num(n)
    if type(k) is _E:
        return k
    if k < 0:
        return VALUE
    k = int(k)
    return s[len(s) - k:] if k else ""


def f_mid(v, start, n):
    s = to_text(v)
    if type(s) is _E:
        return s
    a = to_num(start)
    if type(a) is _E:
        return a
    k = to_num(n)
    if type(k) is _E:
        return k
    if a < 1 or k < 0:
        return VALUE
    a = int(a)
    return s[a - 1: a - 1 + int(k)]


def f_trim(v):
    s = to_text(v)
    if type(s) is _E:
        return s
    return re.sub(" +", " ", s).strip(" ")


def f_upper(v):
    s = to_text(v)
    return s if type(s) is _E else s.upper()


def f_lower(v):
    s = to_text(v)
    return s if type(s) is _E else s.lower()


def f_substitute(v, old, new, instance=None):
    s, o, n = to_text(v), to_text(old), to_text(new)
    for x in (s, o, n):
        if type(x) is _E:
            return x
    if o == "":
        return s
    if instance is None:
        return s.replace(o, n)
    k = to_num(instance)
    if type(k) is _E:
        return k
    k = int(k)
    if k < 1:
        return VALUE
    pos = -1
    for _ in range(k):
        pos = s.find(o, pos + 1)
        if pos < 0:
            return s
    return s[:pos] + n + s[pos + len(o):]


def f_rept(v, n):
    s = to_text(v)
    if type(s) is _E:
        return s
    k = to_num(n)
    if type(k) is _E:
        return k
    if k < 0:
        return VALUE
    return s * int(k)


def f_exact(a, b):
    a, b = to_text(a), to_text(b)
    if type(a) is _E:
        return a
    if type(b) is _E:
        return b
    return a == b


def _search_args(needle, hay, start):
    """FIND and SEARCH read their arguments alike: texts and a 1-based start within the text."""
    n, h = to_text(needle), to_text(hay)
    if type(n) is _E:
        return n
    if type(h) is _E:
        return h
    s = 1 if start is None else to_num(start)
    if type(s) is _E:
        return s
    s = int(s)
    if s < 1 or s > len(h) + 1:
        return VALUE
    return n, h, s


def f_find(needle, hay, start=None):
    args = _search_args(needle, hay, start)
    if type(args) is _E:
        return args
    n, h, s = args
    p = h.find(n, s - 1)
    return VALUE if p < 0 else float(p + 1)


def f_search(needle, hay, start=None):
    args = _search_args(needle, hay, start)
    if type(args) is _E:
        return args
    n, h, s = args
    m = _wildcard_regex(n.lower(), anchored=False).search(h.lower(), s - 1)
    return VALUE if m is None else float(m.start() + 1)


def f_value(v):
    t = type(v)
    if t is float or t is int:
        return float(v)
    if t is _E:
        return v
    if v is None:
        return 0.0
    if t is bool:
        return VALUE
    return text_to_num(to_text(v))


# ---------------------------------------------------------------- criteria (COUNTIF ...)

@functools.lru_cache(maxsize=256)
def _wildcard_regex(pattern, anchored=True):
    out = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "~" and i + 1 < len(pattern) and pattern[i + 1] in "*?~":
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        out.append(".*" if ch == "*" else "." if ch == "?" else re.escape(ch))
        i += 1
    body = "".join(out)
    return re.compile(("^%s$" % body) if anchored else body, re.IGNORECASE | re.DOTALL)


_CRIT_OP = re.compile(r"^(>=|<=|<>|=|>|<)?(.*)$", re.DOTALL)


def _is_num(v):
    t = type(v)
    return t is float or t is int


@functools.lru_cache(maxsize=1024)
def _text_matcher(crit: str):
    op, rest = _CRIT_OP.match(crit).groups()
    op = op or "="
    n = text_to_num(rest) if rest.strip() else VALUE
    if type(n) is not _E:
        tests = {"=": lambda c: c == 0, "<>": lambda c: c != 0, "<": lambda c: c < 0,
                 ">": lambda c: c > 0, "<=": lambda c: c <= 0, ">=": lambda c: c >= 0}
        test = tests[op]
        if op == "<>":
            return lambda v: not (_is_num(v) and compare(v, n) == 0)
        return lambda v: _is_num(v) and test(compare(v, n))
    up = rest.upper()
    if up in ("TRUE", "FALSE"):
        b = up == "TRUE"
        if op == "=":
            return lambda v: type(v) is bool and v == b
        if op == "<>":
            return lambda v: not (type(v) is bool and v == b)
        test = {"<": lambda c: c < 0, ">": lambda c: c > 0,
                "<=": lambda c: c <= 0, ">=": lambda c: c >= 0}[op]
        return lambda v: type(v) is bool and test(compare(v, b))
    err = as_error(rest)
    if err is not None:
        if op == "<>":
            return lambda v: not (type(v) is _E and v == err)
        return lambda v: type(v) is _E and v == err
    if op in ("=", "<>"):
        if rest == "":
            if op == "=":
                return lambda v: v is None or v == ""
            return lambda v: not (v is None or v == "")
        rx = _wildcard_regex(rest) if any(c in rest for c in "*?~") else None
        low = rest.lower()
        if rx is not None:
            hit = lambda v: type(v) is str and rx.match(v) is not None  # noqa: E731
        else:
            hit = lambda v: type(v) is str and v.lower() == low  # noqa: E731
        if op == "=":
            return hit
        return lambda v: not hit(v)
    test = {"<": lambda c: c < 0, ">": lambda c: c > 0,
            "<=": lambda c: c <= 0, ">=": lambda c: c >= 0}[op]
    return lambda v: type(v) is str and test(compare(v, rest))


def make_matcher(crit):
    if type(crit) is Arr:
        crit = crit.first()
    t = type(crit)
    if crit is None:
        crit, t = 0.0, float
    if t is _E:
        return lambda v: type(v) is _E and v == crit
    if t is bool:
        return lambda v: type(v) is bool and v == crit
    if t is float or t is int:
        c = float(crit)
        return lambda v: _is_num(v) and compare(v, c) == 0
    return _text_matcher(str(crit))


def _cells(a):
    if type(a) is Arr:
        return a.rows
    return ((a,),)


def _pairs_mask(pairs):
    """pairs: [(range, criteria), ...] -> (shape, mask rows) or error."""
    if not pairs:
        return VALUE
    shape = None
    masks = None
    for rng, crit in pairs:
        rows = _cells(rng)
        sh = (len(rows), len(rows[0]) if rows else 0)
        if shape is None:
            shape = sh
            masks = [[True] * sh[1] for _ in range(sh[0])]
        elif sh != shape:
            return VALUE
        m = make_matcher(crit)
        for i, row in enumerate(rows):
            mrow = masks[i]
            for j, v in enumerate(row):
                if mrow[j] and not m(v):
                    mrow[j] = False
    return masks


def _value_at(rows, i, j):
    if i < len(rows) and j < len(rows[i]):
        return rows[i][j]
    return None


def f_countif(rng, crit):
    m = make_matcher(crit)
    return float(sum(1 for row in _cells(rng) for v in row if m(v)))


def f_countifs(*args):
    if len(args) % 2:
        return VALUE
    masks = _pairs_mask(list(zip(args[::2], args[1::2])))
    if type(masks) is _E:
        return masks
    return float(sum(sum(r) for r in masks))


def _selected(masks, values_arr):
    vals = _cells(values_arr)
    out = []
    for i, mrow in enumerate(masks):
        for j, ok in enumerate(mrow):
            if ok:
                v = _value_at(vals, i, j)
                if type(v) is _E:
                    return v
                if _is_num(v):
                    out.append(v)
    return out


def f_sumif(rng, crit, sum_range=None):
    masks = _pairs_mask([(rng, crit)])
    sel = _selected(masks, rng if sum_range is None else sum_range)
    if type(sel) is _E:
        return sel
    return _finite(float(sum(sel)))


def f_sumifs(sum_range, *args):
    if len(args) % 2 or not args:
        return VALUE
    masks = _pairs_mask(list(zip(args[::2], args[1::2])))
    if type(masks) is _E:
        return masks
    sel = _selected(masks, sum_range)
    if type(sel) is _E:
        return sel
    return _finite(float(sum(sel)))


def f_averageif(rng, crit, avg_range=None):
    masks = _pairs_mask([(rng, crit)])
    sel = _selected(masks, rng if avg_range is None else avg_range)
    if type(sel) is _E:
        return sel
    return DIV0 if not sel else sum(sel) / len(sel)


def f_averageifs(avg_range, *args):
    if len(args) % 2 or not args:
        return VALUE
    masks = _pairs_mask(list(zip(args[::2], args[1::2])))
    if type(masks) is _E:
        return masks
    sel = _selected(masks, avg_range)
    if type(sel) is _E:
        return sel
    return DIV0 if not sel else sum(sel) / len(sel)


def f_maxifs(rng, *args):
    masks = _pairs_mask(list(zip(args[::2], args[1::2])))
    if type(masks) is _E:
        return masks
    sel = _selected(masks, rng)
    if type(sel) is _E:
        return sel
    return float(max(sel)) if sel else 0.0


def f_minifs(rng, *args):
    masks = _pairs_mask(list(zip(args[::2], args[1::2])))
    if type(masks) is _E:
        return masks
    sel = _selected(masks, rng)
    if type(sel) is _E:
        return sel
    return float(min(sel)) if sel else 0.0


# ---------------------------------------------------------------- lookup

def _exact_hit(v, target):
    if type(target) is str and type(v) is str and any(c in target for c in "*?~"):
        return _wildcard_regex(target).match(v) is not None
    c = compare(v, target)
    return type(c) is not _E and c == 0 and (type(v) is str) == (type(target) is str)


def _approx_index(seq, target, descending=False):
    """Last position whose value <= target (ascending data), same type only."""
    best = None
    tt = str if type(target) is str else (bool if type(target) is bool else float)
    for k, v in enumerate(seq):
        tv = str if type(v) is str else (bool if type(v) is bool else float)
        if v is None or type(v) is _E or tv is not tt:
            continue
        c = compare(v, target)
        if descending:
            if c >= 0:
                best = k
            else:
                break
        else:
            if c <= 0:
                best = k
            else:
                break
    return best


def f_match(target, arr, mtype=None):
    if type(target) is _E:
        return target
    if target is None:
        target = 0.0
    rows = _cells(arr)
    if len(rows) == 1:
        seq = list(rows[0])
    elif rows and len(rows[0]) == 1:
        seq = [r[0] for r in rows]
    else:
        return NA
    mt = 1.0 if mtype is None else to_num(mtype)
    if type(mt) is _E:
        return mt
    if mt == 0:
        for k, v in enumerate(seq):
            if _exact_hit(v, target):
                return float(k + 1)
        return NA
    k = _approx_index(seq, target, descending=mt < 0)
    return NA if k is None else float(k + 1)


def f_vlookup(target, table, col, approx=None):
    if type(target) is _E:
        return target
    rows = _cells(table)
    c = to_num(col)
    if type(c) is _E:
        return c
    c = int(c)
    if c < 1:
        return VALUE
    if not rows or c > len(rows[0]):
        return REF
    exact = approx is not None and to_bool(approx) is False
    if exact:
        for row in rows:
            if _exact_hit(row[0], target):
                return row[c - 1]
        return NA
    k = _approx_index([r[0] for r in rows], target)
    return NA if k is None else rows[k][c - 1]


def f_hlookup(target, table, row_idx, approx=None):
    rows = _cells(table)
    if not rows:
        return REF
    t = Arr(tuple(zip(*rows)))
    return f_vlookup(target, t, row_idx, approx)


def f_index(arr, row=None, col=None):
    rows = _cells(arr)
    nr, nc = len(rows), len(rows[0]) if rows else 0
    r = 0 if row is None else to_num(row)
    if type(r) is _E:
        return r
    c = 0 if col is None else to_num(col)
    if type(c) is _E:
        return c
    r, c = int(r), int(c)
    if col is None and nr == 1 and nc > 1:
        r, c = 1, r  # INDEX(A1:E1, 3)
    if r < 0 or c < 0 or r > nr or c > nc:
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


# ---------------------------------------------------------------- formulas' own functions

def to_formulas(v):
    """Engine value -> what `formulas`' function implementations expect."""
    import numpy as np
    import schedula as sh
    from formulas.tokens.operand import Error as _Err
    if type(v) is Arr:
        a = np.empty((v.nrows, v.ncols), dtype=object)
        for i, row in enumerate(v.rows):
            for j, x in enumerate(row):
                a[i, j] = to_formulas(x)
        return a
    if type(v) is _E:
        return _Err.errors.get(str(v), _Err.errors["#VALUE!"])
    if v is None:
        return sh.EMPTY
    return v


def from_formulas(r):
    """`formulas` result -> engine value."""
    import numpy as np
    import schedula as sh
    if isinstance(r, np.ndarray):
        if r.ndim == 0:
            return from_formulas(r.item())
        if r.size == 1:
            return from_formulas(r.ravel()[0])
        if r.ndim == 1:
            r = r.reshape(1, -1)
        return Arr(tuple(tuple(from_formulas(x) for x in row) for row in r.tolist()))
    if r is sh.EMPTY or r is None:
        return None
    if isinstance(r, str):
        err = as_error(r) if r.startswith("#") else None
        return err if err is not None else str(r)
    if isinstance(r, (bool, np.bool_)):
        return bool(r)
    try:
        f = float(r)
    except (TypeError, ValueError):
        return VALUE
    return f if math.isfinite(f) else NUM


def make_formulas_function(fn):
    """Wrap one of `formulas.get_functions()` (numpy based, slower) for the engine."""
    def call(*args):
        try:
            return from_formulas(fn(*[to_formulas(a) for a in args]))
        except Exception:  # noqa: BLE001 - an Excel function never crashes the workbook
            return VALUE
    return call


# ---------------------------------------------------------------- registry

NATIVES = {
    # math & aggregation
    "SUM": (f_sum, "R", False),
    "AVERAGE": (f_average, "R", False),
    "MIN": (f_min, "R", False),
    "MAX": (f_max, "R", False),
    "PRODUCT": (f_product, "R", False),
    "MEDIAN": (f_median, "R", False),
    "LARGE": (f_large, "RS", False),
    "SMALL": (f_small, "RS", False),
    "COUNT": (f_count, "R", False),
    "COUNTA": (f_counta, "R", False),
    "COUNTBLANK": (f_countblank, "R", False),
    "SUMPRODUCT": (f_sumproduct, "R", False),
    "ROUND": (f_round, "S", True),
    "ROUNDDOWN": (f_rounddown, "S", True),
    "ROUNDUP": (f_roundup, "S", True),
    "TRUNC": (f_trunc, "S", True),
    "INT": (f_int, "S", True),
    "ABS": (f_abs, "S", True),
    "SIGN": (f_sign, "S", True),
    "MOD": (f_mod, "S", True),
    "SQRT": (f_sqrt, "S", True),
    "POWER": (f_power, "S", True),
    "EXP": (f_exp, "S", True),
    "LN": (f_ln, "S", True),
    "LOG": (f_log, "S", True),
    "LOG10": (f_log10, "S", True),
    "PI": (f_pi, "S", False),
    # logic & information
    "IF": (f_if, "S", True),
    "IFERROR": (f_iferror, "S", True),
    "IFNA": (f_ifna, "S", True),
    "IFS": (f_ifs, "S", True),
    "SWITCH": (f_switch, "S", True),
    "CHOOSE": (f_choose, "S", False),
    "AND": (f_and, "R", False),
    "OR": (f_or, "R", False),
    "XOR": (f_xor, "R", False),
    "NOT": (f_not, "S", True),
    "TRUE": (f_true, "S", False),
    "FALSE": (f_false, "S", False),
    "NA": (f_na, "S", False),
    "ISNUMBER": (f_isnumber, "S", True),
    "ISTEXT": (f_istext, "S", True),
    "ISNONTEXT": (f_isnontext, "S", True),
    "ISBLANK": (f_isblank, "S", True),
    "ISERROR": (f_iserror, "S", True),
    "ISERR": (f_iserr, "S", True),
    "ISNA": (f_isna, "S", True),
    "ISLOGICAL": (f_islogical, "S", True),
    "N": (f_n, "S", True),
    "T": (f_t, "S", True),
    "ROWS": (f_rows, "R", False),
    "COLUMNS": (f_columns, "R", False),
    # text
    "TEXT": (f_text, "S", True),
    "CONCAT": (f_concat, "R", False),
    "CONCATENATE": (f_concatenate, "S", True),
    "TEXTJOIN": (f_textjoin, "SSR", False),
    "LEN": (f_len, "S", True),
    "LEFT": (f_left, "S", True),
    "RIGHT": (f_right, "S", True),
    "MID": (f_mid, "S", True),
    "TRIM": (f_trim, "S", True),
    "UPPER": (f_upper, "S", True),
    "LOWER": (f_lower, "S", True),
    "SUBSTITUTE": (f_substitute, "S", True),
    "REPT": (f_rept, "S", True),
    "EXACT": (f_exact, "S", True),
    "FIND": (f_find, "S", True),
    "SEARCH": (f_search, "S", True),
    "VALUE": (f_value, "S", True),
    # conditional aggregation
    "COUNTIF": (f_countif, "RS", False),
    "COUNTIFS": (f_countifs, "RS", False),
    "SUMIF": (f_sumif, "RSR", False),
    "SUMIFS": (f_sumifs, "RRS", False),
    "AVERAGEIF": (f_averageif, "RSR", False),
    "AVERAGEIFS": (f_averageifs, "RRS", False),
    "MAXIFS": (f_maxifs, "RRS", False),
    "MINIFS": (f_minifs, "RRS", False),
    # lookup
    "MATCH": (f_match, "SRS", False),
    "VLOOKUP": (f_vlookup, "SRS", False),
    "HLOOKUP": (f_hlookup, "SRS", False),
    "INDEX": (f_index, "RS", False),
}


def arg_mode(modes: str, k: int) -> str:
    return modes[k] if k < len(modes) else modes[-1]


# a few arguments of the RRS-style functions alternate R,S after the first:
_ALTERNATING = {"COUNTIFS": 0, "SUMIFS": 1, "AVERAGEIFS": 1, "MAXIFS": 1, "MINIFS": 1}


def mode_for(name: str, k: int) -> str:
    if name in _ALTERNATING:
        off = _ALTERNATING[name]
        if k < off:
            return "R"
        return "R" if (k - off) % 2 == 0 else "S"
    spec = NATIVES[name][1]
    return arg_mode(spec, k)


__all__ = ["OPERATORS", "NATIVES", "mode_for", "make_formulas_function", "num_to_text"]
