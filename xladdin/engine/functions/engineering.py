"""Engineering functions: base conversion (BIN/OCT/DEC/HEX), DELTA, GESTEP, bit operations
and complex numbers, which Excel passes around as text ("3+4i")."""

from __future__ import annotations

import cmath
import math
import re

from ..values import num_to_text, to_text
from ._args import _E, DIV0, NUM, VALUE, Arr, integer, num, nums

# ---------------------------------------------------------------- bases

# (radix, bits of Excel's ten-digit two's complement)
_BASES = {"BIN": (2, 10), "OCT": (8, 30), "HEX": (16, 40)}
_VALID = {2: re.compile(r"^[01]{0,10}$"), 8: re.compile(r"^[0-7]{0,10}$"),
          16: re.compile(r"^[0-9A-Fa-f]{0,10}$")}


def _parse_based(v, radix):
    """A BIN/OCT/HEX argument (text or number, at most 10 digits) as an int, or an error."""
    if type(v) is _E:
        return v
    if type(v) is bool:
        return VALUE
    if type(v) is float:
        if v != int(v) or v < 0:
            return NUM
        s = "%d" % v
    else:
        s = to_text(v)
        if type(s) is _E:
            return s
    if not _VALID[radix].match(s):
        return NUM
    if not s:
        return 0
    bits = _BASES[{2: "BIN", 8: "OCT", 16: "HEX"}[radix]][1]
    n = int(s, radix)
    if len(s) == 10 and n >= 1 << (bits - 1):
        n -= 1 << bits  # a leading sign bit: two's complement
    return n


def _format_based(n, radix, places):
    """Text of n in radix: negatives as ten-digit two's complement, places pads (#NUM! if short)."""
    bits = {2: 10, 8: 30, 16: 40}[radix]
    if not -(1 << (bits - 1)) <= n < (1 << (bits - 1)):
        return NUM
    if n < 0:
        digits = _to_radix(n + (1 << bits), radix)
        return digits  # places is ignored for negatives
    digits = _to_radix(n, radix)
    if places is None:
        return digits
    k = integer(places)
    if type(k) is _E:
        return k
    if k < 0 or k > 10 or len(digits) > k:
        return NUM
    return digits.rjust(k, "0")


def _to_radix(n, radix):
    return {2: format(n, "b"), 8: format(n, "o"), 16: format(n, "X")}[radix]


def _from_decimal(radix):
    def f(v, places=None):
        if type(v) is bool:
            return VALUE
        x = num(v)
        if type(x) is _E:
            return x
        return _format_based(math.trunc(x), radix, places)
    return f


def _from_based(src_radix, dst_radix):
    def f(v, places=None):
        n = _parse_based(v, src_radix)
        if type(n) is _E:
            return n
        if dst_radix == 10:
            return float(n)
        return _format_based(n, dst_radix, places)
    return f


# ---------------------------------------------------------------- DELTA, GESTEP, bits

def f_delta(a, b=None):
    vals = nums(a, 0.0 if b is None else b)
    if type(vals) is _E:
        return vals
    return 1.0 if vals[0] == vals[1] else 0.0


def f_gestep(a, step=None):
    vals = nums(a, 0.0 if step is None else step)
    if type(vals) is _E:
        return vals
    return 1.0 if vals[0] >= vals[1] else 0.0


_BIT_LIMIT = 2 ** 48


def _bit_args(*vals):
    out = nums(*vals)
    if type(out) is _E:
        return out
    if any(v < 0 or v != int(v) or v >= _BIT_LIMIT for v in out):
        return NUM
    return [int(v) for v in out]


def _bitwise(op):
    def f(a, b):
        vals = _bit_args(a, b)
        if type(vals) is _E:
            return vals
        return float(op(*vals))
    return f


f_bitand = _bitwise(lambda a, b: a & b)
f_bitor = _bitwise(lambda a, b: a | b)
f_bitxor = _bitwise(lambda a, b: a ^ b)


def _shift(direction):
    def f(a, shift):
        n = _bit_args(a)
        if type(n) is _E:
            return n
        k = integer(shift)
        if type(k) is _E:
            return k
        if abs(k) > 53:
            return NUM
        k *= direction
        r = n[0] << k if k >= 0 else n[0] >> -k
        return NUM if r >= _BIT_LIMIT else float(r)
    return f


f_bitlshift = _shift(1)
f_bitrshift = _shift(-1)


# ---------------------------------------------------------------- complex numbers

_NUMBER = r"(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"
_COMPLEX = re.compile(
    r"^(?:(?P<re>[+-]?%s)(?:(?P<im>[+-](?:%s)?)(?P<s1>[ij]))?|(?P<im_only>[+-]?(?:%s)?)(?P<s2>[ij]))$"
    % (_NUMBER, _NUMBER, _NUMBER))


def _parse_complex(v):
    """(complex, suffix or None) of an Excel complex argument, or an error (#NUM! if malformed)."""
    if type(v) is _E:
        return v
    if type(v) is bool:
        return VALUE
    if v is None:
        return complex(0, 0), None
    if type(v) is float or type(v) is int:
        return complex(float(v), 0), None
    s = to_text(v)
    if type(s) is _E:
        return s
    if s == "":
        return complex(0, 0), None
    m = _COMPLEX.match(s)
    if not m:
        return NUM
    if m.group("im_only") is not None:
        im = m.group("im_only")
        return complex(0, float(im + "1" if im in ("", "+", "-") else im)), m.group("s2")
    re_part = float(m.group("re"))
    im = m.group("im")
    if im is None:
        return complex(re_part, 0), None
    return complex(re_part, float(im + "1" if im in ("+", "-") else im)), m.group("s1")


def _format_complex(z, suffix="i"):
    if not (math.isfinite(z.real) and math.isfinite(z.imag)):
        return NUM
    re_, im = _tidy(z.real), _tidy(z.imag)
    if im == 0:
        return num_to_text(re_)
    if im == 1:
        im_text = suffix
    elif im == -1:
        im_text = "-" + suffix
    else:
        im_text = num_to_text(im) + suffix
    if re_ == 0:
        return im_text
    return num_to_text(re_) + ("" if im_text.startswith("-") else "+") + im_text


def _tidy(x):
    """15 significant digits, as Excel keeps them; -0 is 0."""
    x = float("%.15g" % x)
    return 0.0 if x == 0 else x


def _complex_args(values):
    """Complex arguments with one suffix between them (#VALUE! when i and j are mixed)."""
    out, suffix = [], None
    for v in values:
        p = _parse_complex(v)
        if type(p) is _E:
            return p
        z, s = p
        if s is not None:
            if suffix is not None and s != suffix:
                return VALUE
            suffix = s
        out.append(z)
    return out, suffix or "i"


def f_complex(real, imaginary, suffix=None):
    vals = nums(real, imaginary)
    if type(vals) is _E:
        return vals
    s = "i" if suffix is None else to_text(suffix)
    if type(s) is _E:
        return s
    if s == "":
        s = "i"
    if s not in ("i", "j"):
        return VALUE
    return _format_complex(complex(*vals), s)


def _complex_fn(fn, to_text_result=True, domain=None):
    """A function of one complex number: parse, compute, format."""
    def f(v):
        p = _complex_args([v])
        if type(p) is _E:
            return p
        (z,), suffix = p
        if domain is not None and not domain(z):
            return NUM
        try:
            r = fn(z)
        except (ValueError, ZeroDivisionError, OverflowError):
            return NUM
        if not to_text_result:
            return r if type(r) is _E else float(r)
        return _format_complex(r, suffix)
    return f


f_imreal = _complex_fn(lambda z: z.real, False)
f_imaginary = _complex_fn(lambda z: z.imag, False)
f_imabs = _complex_fn(abs, False)
f_imargument = _complex_fn(lambda z: DIV0 if z == 0 else cmath.phase(z), False)
f_imconjugate = _complex_fn(lambda z: z.conjugate())
f_imexp = _complex_fn(cmath.exp)
f_imln = _complex_fn(cmath.log, domain=lambda z: z != 0)
f_imlog10 = _complex_fn(cmath.log10, domain=lambda z: z != 0)
f_imlog2 = _complex_fn(lambda z: cmath.log(z) / math.log(2), domain=lambda z: z != 0)
f_imsqrt = _complex_fn(cmath.sqrt)
f_imsin = _complex_fn(cmath.sin)
f_imcos = _complex_fn(cmath.cos)
f_imtan = _complex_fn(cmath.tan)
f_imsinh = _complex_fn(cmath.sinh)
f_imcosh = _complex_fn(cmath.cosh)
f_imsec = _complex_fn(lambda z: 1 / cmath.cos(z))
f_imcsc = _complex_fn(lambda z: 1 / cmath.sin(z))
f_imcot = _complex_fn(lambda z: 1 / cmath.tan(z))
f_imsech = _complex_fn(lambda z: 1 / cmath.cosh(z))
f_imcsch = _complex_fn(lambda z: 1 / cmath.sinh(z))


def _flatten(args):
    for a in args:
        if type(a) is Arr:
            yield from (v for v in a.values() if v is not None)
        else:
            yield a


def f_imsum(*args):
    p = _complex_args(list(_flatten(args)))
    if type(p) is _E:
        return p
    zs, suffix = p
    return _format_complex(sum(zs, complex(0, 0)), suffix)


def f_improduct(*args):
    p = _complex_args(list(_flatten(args)))
    if type(p) is _E:
        return p
    zs, suffix = p
    r = complex(1, 0)
    for z in zs:
        r *= z
    return _format_complex(r, suffix)


def f_imsub(a, b):
    p = _complex_args([a, b])
    if type(p) is _E:
        return p
    (x, y), suffix = p
    return _format_complex(x - y, suffix)


def f_imdiv(a, b):
    p = _complex_args([a, b])
    if type(p) is _E:
        return p
    (x, y), suffix = p
    if y == 0:
        return NUM
    return _format_complex(x / y, suffix)


def f_impower(a, n):
    p = _complex_args([a])
    if type(p) is _E:
        return p
    (z,), suffix = p
    k = num(n)
    if type(k) is _E:
        return k
    if z == 0:
        return NUM if k <= 0 else "0"
    # Excel computes the power in polar form
    r, theta = abs(z) ** k, cmath.phase(z) * k
    return _format_complex(cmath.rect(r, theta), suffix)


FUNCTIONS = {
    "DEC2BIN": (_from_decimal(2), "S", True),
    "DEC2OCT": (_from_decimal(8), "S", True),
    "DEC2HEX": (_from_decimal(16), "S", True),
    "BIN2DEC": (_from_based(2, 10), "S", True),
    "BIN2OCT": (_from_based(2, 8), "S", True),
    "BIN2HEX": (_from_based(2, 16), "S", True),
    "OCT2DEC": (_from_based(8, 10), "S", True),
    "OCT2BIN": (_from_based(8, 2), "S", True),
    "OCT2HEX": (_from_based(8, 16), "S", True),
    "HEX2DEC": (_from_based(16, 10), "S", True),
    "HEX2BIN": (_from_based(16, 2), "S", True),
    "HEX2OCT": (_from_based(16, 8), "S", True),
    "DELTA": (f_delta, "S", True),
    "GESTEP": (f_gestep, "S", True),
    "BITAND": (f_bitand, "S", True),
    "BITOR": (f_bitor, "S", True),
    "BITXOR": (f_bitxor, "S", True),
    "BITLSHIFT": (f_bitlshift, "S", True),
    "BITRSHIFT": (f_bitrshift, "S", True),
    "COMPLEX": (f_complex, "S", True),
    "IMREAL": (f_imreal, "S", True),
    "IMAGINARY": (f_imaginary, "S", True),
    "IMABS": (f_imabs, "S", True),
    "IMARGUMENT": (f_imargument, "S", True),
    "IMCONJUGATE": (f_imconjugate, "S", True),
    "IMEXP": (f_imexp, "S", True),
    "IMLN": (f_imln, "S", True),
    "IMLOG10": (f_imlog10, "S", True),
    "IMLOG2": (f_imlog2, "S", True),
    "IMSQRT": (f_imsqrt, "S", True),
    "IMSIN": (f_imsin, "S", True),
    "IMCOS": (f_imcos, "S", True),
    "IMTAN": (f_imtan, "S", True),
    "IMSINH": (f_imsinh, "S", True),
    "IMCOSH": (f_imcosh, "S", True),
    "IMSEC": (f_imsec, "S", True),
    "IMCSC": (f_imcsc, "S", True),
    "IMCOT": (f_imcot, "S", True),
    "IMSECH": (f_imsech, "S", True),
    "IMCSCH": (f_imcsch, "S", True),
    "IMSUM": (f_imsum, "R", False),
    "IMPRODUCT": (f_improduct, "R", False),
    "IMSUB": (f_imsub, "S", True),
    "IMDIV": (f_imdiv, "S", True),
    "IMPOWER": (f_impower, "S", True),
}
