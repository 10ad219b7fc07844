"""Math & trig functions (Excel's category): sums and products, rounding, powers and
logarithms, trigonometry, integer functions."""

from __future__ import annotations

import math
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from ..values import ERRORS, dec15, round_dec, to_text
from ._args import (
    _E, DIV0, NUM, VALUE, Arr, cells, finite, first_error, integer, num, number_pairs, numbers,
    numeric_matrix, nums,
)
from .operators import op_pow

CALC = ERRORS["#CALC!"]

# Excel refuses trigonometry on arguments of 2^27 or more (#NUM!).
_TRIG_LIMIT = 134217728.0


def _unary(fn, domain=None):
    """A one-number function: coerce, check the domain (#NUM! outside), compute."""
    def f(x):
        x = num(x)
        if type(x) is _E:
            return x
        if domain is not None and not domain(x):
            return NUM
        try:
            return finite(fn(x))
        except (OverflowError, ValueError):
            return NUM
    return f


def _snap(q):
    """A quotient that is an integer to 15 digits is that integer (CEILING(4.42,0.01) is 4.42)."""
    r = round(q)
    if abs(q - r) <= 1e-12 * max(1.0, abs(q)):
        return float(r)
    return q


def _clean(x):
    """A multiple computed in binary (89*0.05) shown as Excel's 15-digit decimal (4.45)."""
    return float(dec15(x)) if x else 0.0


# ---------------------------------------------------------------- sums & products

def _all_numbers(values) -> bool:
    """True when every value is a float (the common worksheet column), checked at C speed."""
    kinds = set(map(type, values))
    return kinds == {float} or not kinds


def f_sum(*args):
    total = 0.0
    for a in args:
        t = type(a)
        if t is Arr:
            if a.ncols == 1 and a.ref:
                column = a.columns[0]
                if _all_numbers(column):
                    total = sum(column, total)  # left to right from total, as the loop below
                    continue
            for v in a.values():
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
            v = num(a)
            if type(v) is _E:
                return v
            total += v
    return finite(total)


def f_product(*args):
    vals = numbers(args)
    if type(vals) is _E:
        return vals
    if not vals:
        return 0.0
    r = 1.0
    for v in vals:
        r *= v
    return finite(r)


def f_sumsq(*args):
    vals = numbers(args)
    if type(vals) is _E:
        return vals
    return finite(sum(v * v for v in vals))


def f_sumproduct(*arrays):
    if not arrays:
        return VALUE
    grids = []
    shape = None
    for a in arrays:
        if type(a) is _E:
            return a
        rows = cells(a)
        sh = (len(rows), len(rows[0]) if rows else 0)
        if shape is None:
            shape = sh
        elif sh != shape:
            return VALUE
        grids.append(rows)
    total = 0.0
    for i in range(shape[0]):
        for j in range(shape[1]):
            p = 1.0
            for g in grids:
                v = g[i][j]
                tv = type(v)
                if tv is float or tv is int:
                    p *= v
                elif tv is _E:
                    return v
                else:
                    p = 0.0  # text, booleans and blanks count as 0
            total += p
    return finite(total)


def _sum_pairs(term):
    def f(xs, ys):
        pairs = number_pairs(xs, ys)
        if type(pairs) is _E:
            return pairs
        return finite(sum(term(x, y) for x, y in pairs))
    return f


f_sumx2my2 = _sum_pairs(lambda x, y: x * x - y * y)
f_sumx2py2 = _sum_pairs(lambda x, y: x * x + y * y)
f_sumxmy2 = _sum_pairs(lambda x, y: (x - y) ** 2)


# ---------------------------------------------------------------- rounding

def _rounding(mode):
    """ROUND, ROUNDDOWN and ROUNDUP differ only in the direction of the decimal rounding."""
    def rounded(x, digits=None):
        x, d = num(x), integer(digits)
        return first_error(x, d) or round_dec(x, d, mode)
    return rounded


f_round = _rounding("half_up")
f_rounddown = _rounding("down")
f_roundup = _rounding("up")


def f_trunc(x, digits=None):
    return f_rounddown(x, digits)


def f_int(x):
    x = num(x)
    if type(x) is _E:
        return x
    return float(math.floor(x))


def _multiple(x, step, up):
    """x rounded up (toward +inf) or down to a multiple of step (step != 0)."""
    q = x / step
    if q - q != 0:  # CEILING(1E+300,1E-300): no multiple a number can hold
        return NUM
    q = _snap(q)
    q = math.ceil(q) if up else math.floor(q)
    return _clean(q * step)


def f_ceiling(x, significance=None):
    if significance is None:
        return VALUE  # Excel requires both arguments
    vals = nums(x, significance)
    if type(vals) is _E:
        return vals
    x, s = vals
    if x == 0 or s == 0:
        return 0.0
    if x > 0 and s < 0:
        return NUM
    # ceil(x/s)*s: a negative x with a negative s goes away from zero, with a positive s toward it
    return _multiple(x, s, True)


def f_floor(x, significance=None):
    if significance is None:
        return VALUE
    vals = nums(x, significance)
    if type(vals) is _E:
        return vals
    x, s = vals
    if x == 0:
        return 0.0
    if s == 0:
        return DIV0
    if x > 0 and s < 0:
        return NUM
    return _multiple(x, s, False)


def _to_multiple_math(up):
    """CEILING.MATH (up) and FLOOR.MATH: significance 1 and mode 0 when omitted, the sign of the
    significance ignored; a non-zero mode rounds a negative number the other way (CEILING away
    from zero, FLOOR toward it)."""
    def excel_function(x, significance=None, mode=None):
        vals = nums(x, 1.0 if significance is None else significance, 0.0 if mode is None else mode)
        if type(vals) is _E:
            return vals
        x, s, m = vals
        s = abs(s)
        if x == 0 or s == 0:
            return 0.0
        if x < 0 and m != 0:
            return -_multiple(-x, s, up)
        return _multiple(x, s, up)
    return excel_function


f_ceiling_math = _to_multiple_math(True)
f_floor_math = _to_multiple_math(False)


def f_ceiling_precise(x, significance=None):
    return f_ceiling_math(x, significance)


def f_floor_precise(x, significance=None):
    return f_floor_math(x, significance)


def f_mround(x, multiple):
    vals = nums(x, multiple)
    if type(vals) is _E:
        return vals
    x, m = vals
    if m == 0 or x == 0:
        return 0.0
    if (x > 0) != (m > 0):
        return NUM
    q = dec15(x / m).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return _clean(float(q) * m)


def _even_odd(odd):
    def f(x):
        x = num(x)
        if type(x) is _E:
            return x
        sign = -1.0 if x < 0 else 1.0
        a = float(dec15(abs(x)).to_integral_value(rounding=ROUND_CEILING))
        if odd:
            if a % 2 == 0:
                a += 1
        elif a % 2:
            a += 1
        return sign * a
    return f


f_even = _even_odd(False)
f_odd = _even_odd(True)


# ---------------------------------------------------------------- arithmetic

def f_abs(x):
    x = num(x)
    return x if type(x) is _E else abs(x)


def f_sign(x):
    x = num(x)
    if type(x) is _E:
        return x
    return 1.0 if x > 0 else (-1.0 if x < 0 else 0.0)


def _division(result):
    """MOD and QUOTIENT: two numbers, #DIV/0! for a zero divisor, else result(a, b)."""
    def excel_function(a, b):
        vals = nums(a, b)
        if type(vals) is _E:
            return vals
        a, b = vals
        if b == 0:
            return DIV0
        return result(a, b)
    return excel_function


# MOD is Excel's a - b*INT(a/b), so the sign follows the divisor
f_mod = _division(lambda a, b: finite(a - b * math.floor(a / b)))
f_quotient = _division(lambda a, b: float(math.trunc(a / b)))


def f_power(a, b):
    return op_pow(a, b)


f_sqrt = _unary(math.sqrt, lambda x: x >= 0)
f_exp = _unary(math.exp)
f_ln = _unary(math.log, lambda x: x > 0)
f_log10 = _unary(math.log10, lambda x: x > 0)
f_sqrtpi = _unary(lambda x: math.sqrt(x * math.pi), lambda x: x >= 0)


def f_log(x, base=None):
    vals = nums(x, 10.0 if base is None else base)
    if type(vals) is _E:
        return vals
    x, b = vals
    if x <= 0 or b <= 0:
        return NUM
    if b == 1:
        return DIV0
    return math.log(x) / math.log(b)


def f_pi():
    return math.pi


def _fact(n, step):
    r = 1.0
    while n > 1:
        r *= n
        n -= step
    return finite(r)


def f_fact(x):
    n = integer(x)
    if type(n) is _E:
        return n
    if n < 0 or n > 170:
        return NUM
    return _fact(n, 1)


def f_factdouble(x):
    n = integer(x)
    if type(n) is _E:
        return n
    if n < -1 or n > 300:
        return NUM
    return _fact(n, 2)


def _selections(count):
    """COMBIN and PERMUT: the whole parts of n >= k >= 0, then count(n, k)."""
    def excel_function(n, k):
        vals = nums(n, k)
        if type(vals) is _E:
            return vals
        n, k = int(vals[0]), int(vals[1])
        if n < 0 or k < 0 or n < k:
            return NUM
        return finite(float(count(n, k)))
    return excel_function


f_combin = _selections(math.comb)
f_permut = _selections(math.perm)


def f_combina(n, k):
    vals = nums(n, k)
    if type(vals) is _E:
        return vals
    n, k = int(vals[0]), int(vals[1])
    if n < 0 or k < 0 or (n == 0 and k > 0):
        return NUM
    if k == 0:
        return 1.0
    return finite(float(math.comb(n + k - 1, k)))


def _integers(args):
    """GCD/LCM arguments: non-negative whole parts below 2^53, or an error."""
    vals = numbers(args)
    if type(vals) is _E:
        return vals
    out = []
    for v in vals:
        if v < 0 or v >= 2.0 ** 53:
            return NUM
        out.append(int(v))
    return out


def f_gcd(*args):
    vals = _integers(args)
    if type(vals) is _E:
        return vals
    return float(math.gcd(*vals)) if vals else VALUE


def f_lcm(*args):
    vals = _integers(args)
    if type(vals) is _E:
        return vals
    if not vals:
        return VALUE
    r = 1
    for v in vals:
        if v == 0:
            return 0.0
        r = r * v // math.gcd(r, v)
    return finite(float(r))


def f_multinomial(*args):
    vals = numbers(args)
    if type(vals) is _E:
        return vals
    ns = [int(v) for v in vals]
    if any(n < 0 for n in ns):
        return NUM
    r = math.factorial(sum(ns))
    for n in ns:
        r //= math.factorial(n)
    return finite(float(r))


# ---------------------------------------------------------------- trigonometry

def _trig(fn):
    return _unary(fn, lambda x: abs(x) < _TRIG_LIMIT)


f_sin = _trig(math.sin)
f_cos = _trig(math.cos)
f_tan = _trig(math.tan)
f_asin = _unary(math.asin, lambda x: -1 <= x <= 1)
f_acos = _unary(math.acos, lambda x: -1 <= x <= 1)
f_atan = _unary(math.atan)
f_sinh = _unary(math.sinh)
f_cosh = _unary(math.cosh)
f_tanh = _unary(math.tanh)
f_asinh = _unary(math.asinh)
f_acosh = _unary(math.acosh, lambda x: x >= 1)
f_atanh = _unary(math.atanh, lambda x: -1 < x < 1)
f_radians = _unary(math.radians)
f_degrees = _unary(math.degrees)


def _reciprocal(fn, limit=True):
    def f(x):
        x = num(x)
        if type(x) is _E:
            return x
        if limit and abs(x) >= _TRIG_LIMIT:
            return NUM
        d = fn(x)
        return DIV0 if d == 0 else finite(1.0 / d)
    return f


f_cot = _reciprocal(math.tan)
f_csc = _reciprocal(math.sin)
f_sec = _reciprocal(math.cos)
f_coth = _reciprocal(math.tanh, limit=False)
f_csch = _reciprocal(math.sinh, limit=False)
f_sech = _reciprocal(math.cosh, limit=False)


def f_acot(x):
    x = num(x)
    if type(x) is _E:
        return x
    return math.pi / 2 - math.atan(x)


def f_atan2(x, y):
    """ATAN2(x_num, y_num): note Excel's order, x first."""
    vals = nums(x, y)
    if type(vals) is _E:
        return vals
    x, y = vals
    if x == 0 and y == 0:
        return DIV0
    return math.atan2(y, x)


# ---------------------------------------------------------------- bases

_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def f_base(number, radix, min_length=None):
    vals = nums(number, radix, 0.0 if min_length is None else min_length)
    if type(vals) is _E:
        return vals
    n, r, k = (int(v) for v in vals)
    if n < 0 or n >= 2 ** 53 or not 2 <= r <= 36 or k < 0 or k > 255:
        return NUM
    out = ""
    while n:
        n, d = divmod(n, r)
        out = _DIGITS[d] + out
    return (out or "0").rjust(k, "0")


def f_decimal(text_, radix):
    r = integer(radix)
    if type(r) is _E:
        return r
    if type(text_) is _E:
        return text_
    s = to_text(text_)
    if type(s) is _E:
        return s
    if not 2 <= r <= 36 or len(s) > 255:
        return NUM
    try:
        return float(int(s, r)) if s else 0.0
    except ValueError:
        return NUM


# ---------------------------------------------------------------- matrices

def f_mmult(a, b):
    x, y = numeric_matrix(a), numeric_matrix(b)
    err = first_error(x, y)
    if err is not None:
        return err
    if len(x[0]) != len(y):
        return VALUE
    return Arr(tuple(tuple(finite(sum(x[i][k] * y[k][j] for k in range(len(y))))
                           for j in range(len(y[0]))) for i in range(len(x))))


def _lu_det(m):
    n = len(m)
    a = [row[:] for row in m]
    det = 1.0
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(a[r][c]))
        if a[p][c] == 0:
            return 0.0
        if p != c:
            a[c], a[p] = a[p], a[c]
            det = -det
        det *= a[c][c]
        for r in range(c + 1, n):
            f = a[r][c] / a[c][c]
            for k in range(c, n):
                a[r][k] -= f * a[c][k]
    return det


def f_mdeterm(a):
    m = numeric_matrix(a)
    if type(m) is _E:
        return m
    if len(m) != len(m[0]):
        return VALUE
    return finite(_lu_det(m))


def inverse_matrix(a, min_pivot=0.0):
    """The inverse of square matrix a (lists of floats) by Gauss-Jordan elimination with partial
    pivoting, or None when it is singular: a pivot of 0, or of magnitude below min_pivot."""
    n = len(a)
    m = [row[:] + [1.0 if i == j else 0.0 for j in range(n)] for i, row in enumerate(a)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        if m[p][c] == 0 or abs(m[p][c]) < min_pivot:
            return None
        m[c], m[p] = m[p], m[c]
        pv = m[c][c]
        m[c] = [x / pv for x in m[c]]
        for r in range(n):
            if r != c and m[r][c]:
                f = m[r][c]
                m[r] = [x - f * y for x, y in zip(m[r], m[c])]
    return [row[n:] for row in m]


def f_minverse(a):
    m = numeric_matrix(a)
    if type(m) is _E:
        return m
    if len(m) != len(m[0]):
        return VALUE
    inv = inverse_matrix(m, min_pivot=1e-300)  # MINVERSE: #NUM! for a (nearly) singular matrix
    return NUM if inv is None else Arr(tuple(tuple(row) for row in inv))


def f_munit(n):
    k = integer(n)
    if type(k) is _E:
        return k
    if k < 1:
        return VALUE
    return Arr(tuple(tuple(1.0 if i == j else 0.0 for j in range(k)) for i in range(k)))


def f_sequence(rows, columns=None, start=None, step=None):
    vals = nums(rows, 1.0 if columns is None else columns, 1.0 if start is None else start,
                1.0 if step is None else step)
    if type(vals) is _E:
        return vals
    nr, nc, first, inc = int(vals[0]), int(vals[1]), vals[2], vals[3]
    if nr < 0 or nc < 0:
        return VALUE
    if nr == 0 or nc == 0:
        return CALC
    if nr * nc > 1048576 * 16384:
        return NUM
    return Arr(tuple(tuple(first + (i * nc + j) * inc for j in range(nc)) for i in range(nr)))


FUNCTIONS = {
    "SUM": (f_sum, "R", False),
    "PRODUCT": (f_product, "R", False),
    "SUMSQ": (f_sumsq, "R", False),
    "SUMPRODUCT": (f_sumproduct, "R", False),
    "SUMX2MY2": (f_sumx2my2, "R", False),
    "SUMX2PY2": (f_sumx2py2, "R", False),
    "SUMXMY2": (f_sumxmy2, "R", False),
    "ROUND": (f_round, "S", True),
    "ROUNDDOWN": (f_rounddown, "S", True),
    "ROUNDUP": (f_roundup, "S", True),
    "TRUNC": (f_trunc, "S", True),
    "INT": (f_int, "S", True),
    "CEILING": (f_ceiling, "S", True),
    "CEILING.MATH": (f_ceiling_math, "S", True),
    "CEILING.PRECISE": (f_ceiling_precise, "S", True),
    "ISO.CEILING": (f_ceiling_precise, "S", True),
    "FLOOR": (f_floor, "S", True),
    "FLOOR.MATH": (f_floor_math, "S", True),
    "FLOOR.PRECISE": (f_floor_precise, "S", True),
    "MROUND": (f_mround, "S", True),
    "EVEN": (f_even, "S", True),
    "ODD": (f_odd, "S", True),
    "ABS": (f_abs, "S", True),
    "SIGN": (f_sign, "S", True),
    "MOD": (f_mod, "S", True),
    "QUOTIENT": (f_quotient, "S", True),
    "SQRT": (f_sqrt, "S", True),
    "SQRTPI": (f_sqrtpi, "S", True),
    "POWER": (f_power, "S", True),
    "EXP": (f_exp, "S", True),
    "LN": (f_ln, "S", True),
    "LOG": (f_log, "S", True),
    "LOG10": (f_log10, "S", True),
    "PI": (f_pi, "S", False),
    "FACT": (f_fact, "S", True),
    "FACTDOUBLE": (f_factdouble, "S", True),
    "COMBIN": (f_combin, "S", True),
    "COMBINA": (f_combina, "S", True),
    "GCD": (f_gcd, "R", False),
    "LCM": (f_lcm, "R", False),
    "MULTINOMIAL": (f_multinomial, "R", False),
    "SIN": (f_sin, "S", True),
    "COS": (f_cos, "S", True),
    "TAN": (f_tan, "S", True),
    "ASIN": (f_asin, "S", True),
    "ACOS": (f_acos, "S", True),
    "ATAN": (f_atan, "S", True),
    "ATAN2": (f_atan2, "S", True),
    "ACOT": (f_acot, "S", True),
    "COT": (f_cot, "S", True),
    "CSC": (f_csc, "S", True),
    "SEC": (f_sec, "S", True),
    "SINH": (f_sinh, "S", True),
    "COSH": (f_cosh, "S", True),
    "TANH": (f_tanh, "S", True),
    "ASINH": (f_asinh, "S", True),
    "ACOSH": (f_acosh, "S", True),
    "ATANH": (f_atanh, "S", True),
    "COTH": (f_coth, "S", True),
    "CSCH": (f_csch, "S", True),
    "SECH": (f_sech, "S", True),
    "RADIANS": (f_radians, "S", True),
    "DEGREES": (f_degrees, "S", True),
    "BASE": (f_base, "S", True),
    "DECIMAL": (f_decimal, "S", True),
    "MMULT": (f_mmult, "R", False),
    "MDETERM": (f_mdeterm, "R", False),
    "MINVERSE": (f_minverse, "R", False),
    "MUNIT": (f_munit, "S", False),
    "SEQUENCE": (f_sequence, "S", False),
}
