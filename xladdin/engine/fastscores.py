"""Float fast paths for catalogue functions on a big sheet, each provably equal to the exact
rule (``udfs.rules`` on ``Fraction``) wherever it answers, and silent (None) elsewhere, so the
exact path decides every case it does not.

``SCORE_PROCUREMENT(actual, planned)``: with both amounts plain numbers (cells holding
floats), ``0 < actual ≤ planned`` and the policy argument omitted or blank, the exact score is
``floor(A/P·100)/100 + 1`` where A and P are the decimals the cells show (``repr``, as
``udfs.coerce`` reads them).  The float quotient ``a/p·100`` differs from ``A/P·100`` by less
than 1e-13 (two conversions and two roundings, each ≤ 2⁻⁵³ relative, on a value ≤ 100), so
its floor is the exact floor whenever its fractional part lies in (1e-11, 1 − 1e-11); at the
boundary the exact path decides.  ``actual > planned`` scores 0 + 1 exactly: float and
shortest-decimal order agree (rounding is monotonic).  ``(k + 100) / 100`` is the correctly
rounded float of the exact score, as ``float(Fraction)`` is.
"""

from __future__ import annotations

import math

__all__ = ["with_fast_path", "procurement_score"]

#: the fractional part of a float quotient must be this far from an integer to be trusted
_MARGIN = 1e-11
#: below this an amount may be subnormal, where the error bound above does not hold
_SMALLEST = 1e-290


def procurement_score(*args):
    """SCORE_PROCUREMENT's value, or None where only the exact rule may answer."""
    n = len(args)
    if n == 3:
        if args[2] is not None:
            return None
    elif n != 2:
        return None
    actual, planned = args[0], args[1]
    if type(actual) is not float or type(planned) is not float:
        return None
    if not (_SMALLEST < planned < math.inf and _SMALLEST < actual < math.inf):
        return None
    if actual > planned:
        return 1.0
    q = actual / planned * 100.0
    k = math.floor(q)
    if not _MARGIN < q - k < 1.0 - _MARGIN:
        return None
    return (k + 100) / 100


_FAST_PATHS = {"SCORE_PROCUREMENT": procurement_score}


def with_fast_path(name: str, exact):
    """``exact`` (an engine-callable catalogue function), tried after the fast path of
    ``name`` if it has one."""
    fast = _FAST_PATHS.get(name)
    if fast is None:
        return exact

    def call(*args):
        r = fast(*args)
        return exact(*args) if r is None else r
    call.__name__ = getattr(exact, "__name__", name)
    call.exact = exact
    return call
