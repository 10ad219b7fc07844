"""Financial functions: time value of money (PMT, PV, FV, NPER, RATE, IPMT, PPMT, CUMIPMT,
CUMPRINC), cash flows (NPV, XNPV, IRR, XIRR, MIRR), depreciation (SLN, SYD, DB, DDB, VDB),
interest conversion (EFFECT, NOMINAL)."""

from __future__ import annotations

import math

from ..values import to_bool
from ._args import _E, DIV0, NUM, VALUE, Arr, finite, first_error, is_num, num, numbers, nums
from .date import day_arg


def _flag(v):
    """The type argument (payment at end 0 / beginning 1): any non-zero number is 1."""
    if v is None:
        return 0.0
    x = num(v)
    if type(x) is _E:
        return x
    return 1.0 if x else 0.0


def _tvm_args(*vals, when):
    """Numeric arguments where an omitted one (fv, pv) is 0, then the payment timing flag:
    a tuple of floats ending with the flag, or the first error."""
    numbers_ = nums(*[0.0 if v is None else v for v in vals])
    w = _flag(when)
    return first_error(numbers_, w) or numbers_ + (w,)


# ---------------------------------------------------------------- time value of money

def _growth(rate, nper):
    """(1 + rate) ** nper; a negative base to a fractional power has no real value (#NUM!)."""
    g = (1 + rate) ** nper
    if type(g) is complex:
        raise ValueError("no real power")
    return g


def _fv(rate, nper, pmt, pv, when):
    if rate == 0:
        return -(pv + pmt * nper)
    g = _growth(rate, nper)
    return -(pv * g + pmt * (1 + rate * when) * (g - 1) / rate)


def _pmt(rate, nper, pv, fv, when):
    if rate == 0:
        return -(pv + fv) / nper
    g = _growth(rate, nper)
    return -(rate * (fv + pv * g)) / ((1 + rate * when) * (g - 1))


def _time_value(solve):
    """PMT, FV, PV: three numbers and an optional fourth (0 when omitted), the payment
    timing flag, then ``solve``; an overflow or a division by zero is #NUM!."""
    def excel_function(a, b, c, d=None, when=None):
        vals = _tvm_args(a, b, c, d, when=when)
        if type(vals) is _E:
            return vals
        if vals[0] == -1 and vals[1] < 0:
            return DIV0  # FV(-1,-2,1): 0 to a negative power
        try:
            return finite(solve(*vals))
        except (ZeroDivisionError, OverflowError, ValueError):
            return NUM
    return excel_function


def _pmt_of(rate, nper, pv, fv, when):
    if nper == 0:
        raise ZeroDivisionError("no periods")
    return _pmt(rate, nper, pv, fv, when)


def _pv(rate, nper, pmt, fv, when):
    if rate == 0:
        return -(fv + pmt * nper)
    g = _growth(rate, nper)
    return -(fv + pmt * (1 + rate * when) * (g - 1) / rate) / g


f_pmt = _time_value(_pmt_of)   # PMT(rate, nper, pv, [fv], [type])
f_fv = _time_value(_fv)        # FV(rate, nper, pmt, [pv], [type])
f_pv = _time_value(_pv)        # PV(rate, nper, pmt, [fv], [type])


def f_nper(rate, pmt, pv, fv=None, when=None):
    vals = _tvm_args(rate, pmt, pv, fv, when=when)
    if type(vals) is _E:
        return vals
    r, p, v, f, w = vals
    try:
        if r == 0:
            if p == 0:
                return DIV0
            return finite(-(v + f) / p)
        a = p * (1 + r * w) / r
        x = (a - f) / (a + v)
        if x <= 0:
            return NUM
        return finite(math.log(x) / math.log(1 + r))
    except (ZeroDivisionError, OverflowError, ValueError):
        return NUM


def f_rate(nper, pmt, pv, fv=None, when=None, guess=None):
    vals = _tvm_args(nper, pmt, pv, fv, when=when)
    g = 0.1 if guess is None else num(guess)
    err = first_error(vals, g)
    if err is not None:
        return err
    n, p, v, f, w = vals
    if n <= 0:
        return NUM

    def balance(r):
        # (1 + r) ** n - 1 without the cancellation near r = 0, where RATE(10,-100,1000) is 0
        grown = math.expm1(n * math.log1p(r)) if r > -1 else (1 + r) ** n - 1
        return v * (1 + grown) + p * (1 + r * w) * (grown / r if r else n) + f

    return _solve(balance, g)


def _solve(fn, guess, lo=-0.999999999):
    """A rate above -1 where fn is 0, near guess (Newton, then bisection on a sign change),
    or #NUM!."""
    r = _root(fn, guess, lo)
    return r if type(r) is _E or r > -1 else NUM


def _root(fn, guess, lo):
    """A root of fn near guess (Newton, then bisection on a sign change), or #NUM!.

    Newton runs until its step is within rounding of the rate (1e-15 relative), or stops
    shrinking once it is below 1e-9 (rounding noise, as at a root of 0): the step measures how far the rate
    is from the root whatever the size of the flows, where a test on fn's value (|fn| <
    1e-10) stopped 1e-7 relative short of the root for flows of a few millionths."""
    r = guess
    step_before = math.inf
    try:
        for _ in range(200):
            y = fn(r)
            if type(y) is complex or y - y != 0:  # no real value here (a negative base's power)
                break
            if y == 0:
                return r
            h = 1e-7 * max(1.0, abs(r))
            if r > -1:
                h = min(h, (1 + r) / 4)
            d = (fn(r + h) - fn(r - h)) / (2 * h)
            if type(d) is complex or d == 0 or d - d != 0:
                break
            r_new = r - y / d
            clamped = r_new <= -1
            if clamped:  # Newton points at -1 or below: halve the way there instead
                r_new = (r + -1) / 2
            step = abs(r_new - r)
            if step <= 1e-15 * abs(r) or (step >= step_before and step < 1e-9 * max(1.0, abs(r))):
                if clamped:  # crept up to -1 without a root on the way
                    break
                return r_new if abs(fn(r_new)) <= abs(y) else r
            step_before, r = step, r_new
    except (OverflowError, ZeroDivisionError, ValueError, TypeError):
        pass
    # fall back to bisection over a bracket found by scanning
    try:
        points = [lo] + [x / 100.0 for x in range(-99, 100)] + [2.0, 5.0, 10.0, 100.0]
        prev_x, prev_y = None, None
        for x in points:
            y = fn(x)
            if y - y != 0:
                continue
            if prev_y is not None and (y == 0 or (prev_y < 0) != (y < 0)):
                a, b, fa = prev_x, x, prev_y
                for _ in range(200):
                    m = (a + b) / 2
                    fm = fn(m)
                    if (fa < 0) == (fm < 0):
                        a, fa = m, fm
                    else:
                        b = m
                return (a + b) / 2
            prev_x, prev_y = x, y
    except (OverflowError, ZeroDivisionError, ValueError, TypeError):
        pass
    return NUM


def _interest_parts(rate, per, nper, pv, fv, when):
    """(interest, principal) of payment number per."""
    vals = _tvm_args(rate, per, nper, pv, fv, when=when)
    if type(vals) is _E:
        return vals
    r, k, n, v, f, w = vals
    if k < 1 or k >= n + 1:  # a fractional period inside the last one counts (IPMT(0.1,3.9,3,…))
        return NUM
    try:
        pmt = _pmt(r, n, v, f, w)
        if w and k == 1:
            interest = 0.0  # paid at the start of the first period: no interest accrued yet
        else:
            # interest on the balance after k-1 payments (discounted a period when paid upfront)
            interest = _fv(r, k - 1, pmt, v, w) * r
            if w:
                interest /= 1 + r
        return interest, pmt - interest
    except (ZeroDivisionError, OverflowError, ValueError):
        return NUM


def f_ipmt(rate, per, nper, pv, fv=None, when=None):
    parts = _interest_parts(rate, per, nper, pv, fv, when)
    return parts if type(parts) is _E else finite(parts[0])


def f_ppmt(rate, per, nper, pv, fv=None, when=None):
    parts = _interest_parts(rate, per, nper, pv, fv, when)
    return parts if type(parts) is _E else finite(parts[1])


def _cumulative(index):
    def f(rate, nper, pv, start, end, when):
        vals = nums(rate, nper, pv, start, end, when)
        if type(vals) is _E:
            return vals
        r, n, v, s, e, w = vals
        s, e = math.ceil(s), math.floor(e)
        if r <= 0 or n <= 0 or v <= 0 or s < 1 or e < s or e > n or w not in (0, 1):
            return NUM
        total = 0.0
        for k in range(int(s), int(e) + 1):
            parts = _interest_parts(r, float(k), n, v, 0.0, w)
            if type(parts) is _E:
                return parts
            total += parts[index]
        return finite(total)
    return f


f_cumipmt = _cumulative(0)
f_cumprinc = _cumulative(1)


# ---------------------------------------------------------------- cash flows

def f_npv(rate, *values):
    r, flows = num(rate), numbers(values)
    err = first_error(r, flows)
    if err is not None:
        return err
    if r == -1:
        return DIV0
    return finite(sum(v / (1 + r) ** (k + 1) for k, v in enumerate(flows)))


def _cells_list(a):
    if type(a) is Arr:
        return list(a.values())
    return [a]


def _dated_flows(values, dates, not_a_number, earlier_dates=False):
    """(flows, day serials) of XNPV/XIRR, or an error: a value's own error, then
    ``not_a_number`` for a text, a logical or a blank value (XIRR skips a blank with its date),
    then #NUM! for sizes that differ or (unless ``earlier_dates``) a date before the first."""
    vals, days = _cells_list(values), _cells_list(dates)
    if len(vals) != len(days):
        return NUM
    flows, kept_days = [], []
    for v, d in zip(vals, days):
        if type(v) is _E:
            return v
        if v is None and not_a_number is None:
            continue
        if not is_num(v):
            return not_a_number or VALUE
        flows.append(float(v))
        kept_days.append(d)
    serials = []
    for d in kept_days:
        s = day_arg(d)
        if type(s) is _E:
            return s if s != "#NUM!" else NUM
        serials.append(s)
    if not earlier_dates and any(s < serials[0] for s in serials):
        return NUM
    return flows, serials


def _xnpv(r, flows, serials):
    d0 = serials[0]
    return sum(v / (1 + r) ** ((d - d0) / 365.0) for v, d in zip(flows, serials))


def f_xnpv(rate, values, dates):
    # corpus (IronCalc XIRR.xlsx, Excel 16): a blank, text or logical value and a negative
    # rate are #NUM! in XNPV
    r, data = num(rate), _dated_flows(values, dates, NUM)
    err = first_error(r, data)
    if err is not None:
        return err
    if r < 0:
        return NUM
    try:
        return finite(_xnpv(r, *data))
    except (ZeroDivisionError, OverflowError):
        return NUM


def _has_both_signs(flows):
    return any(v > 0 for v in flows) and any(v < 0 for v in flows)


def f_xirr(values, dates, guess=None):
    # The first date is the start; the others may precede it (MS-OI29500 2.1.1070: Excel
    # allows dates earlier than the first in XIRR; Excel computes such a schedule, as in
    # PhpSpreadsheet issue #1120), their flows discounted by a negative number of years.
    # XNPV keeps #NUM! for them, as Microsoft's XNPV page says.
    data = _dated_flows(values, dates, None, earlier_dates=True)
    g = 0.1 if guess is None else num(guess)
    err = first_error(data, g)
    if err is not None:
        return err
    flows, serials = data
    if not _has_both_signs(flows):
        return NUM
    return _solve(lambda r: _xnpv(r, flows, serials), g)


def f_irr(values, guess=None):
    cells_ = _cells_list(values)
    g = 0.1 if guess is None else num(guess)
    err = first_error(*cells_, g)
    if err is not None:
        return err
    if g <= -1:  # corpus (IronCalc IRR.xlsx, Excel 16): IRR(values,-1) is #VALUE!
        return VALUE
    flows = [float(v) for v in cells_ if is_num(v)]
    if not _has_both_signs(flows):
        return NUM
    return _solve(lambda r: sum(v / (1 + r) ** k for k, v in enumerate(flows)), g)


def f_mirr(values, finance_rate, reinvest_rate):
    cells_ = _cells_list(values)
    rates = nums(finance_rate, reinvest_rate)
    err = first_error(*cells_, rates)
    if err is not None:
        return err
    flows = [float(v) for v in cells_ if is_num(v)]
    fr, rr = rates
    n = len(flows)
    if not _has_both_signs(flows):
        return DIV0
    pv_neg = sum(v / (1 + fr) ** k for k, v in enumerate(flows) if v < 0)
    fv_pos = sum(v * (1 + rr) ** (n - 1 - k) for k, v in enumerate(flows) if v > 0)
    return finite((fv_pos / -pv_neg) ** (1.0 / (n - 1)) - 1)


def f_fvschedule(principal, schedule):
    p = num(principal)
    if type(p) is _E:
        return p
    for v in _cells_list(schedule):
        if type(v) is _E:
            return v
        if v is None:
            continue
        r = num(v)
        if type(r) is _E:
            return VALUE
        p *= 1 + r
    return finite(p)


def _rate_conversion(convert):
    """EFFECT and NOMINAL: a positive annual rate and the compounding periods a year (truncated,
    at least 1); convert(rate, periods) gives the other rate."""
    def excel_function(rate, npery):
        vals = nums(rate, npery)
        if type(vals) is _E:
            return vals
        r, n = vals[0], int(vals[1])
        if r <= 0 or n < 1:
            return NUM
        return finite(convert(r, n))
    return excel_function


f_effect = _rate_conversion(lambda nominal, n: (1 + nominal / n) ** n - 1)
f_nominal = _rate_conversion(lambda effect, n: n * ((1 + effect) ** (1.0 / n) - 1))


def f_pduration(rate, pv, fv):
    vals = nums(rate, pv, fv)
    if type(vals) is _E:
        return vals
    r, p, f = vals
    if r <= 0 or p <= 0 or f <= 0:
        return NUM
    return (math.log(f) - math.log(p)) / math.log(1 + r)


def f_rri(nper, pv, fv):
    vals = nums(nper, pv, fv)
    if type(vals) is _E:
        return vals
    n, p, f = vals
    if n <= 0 or p == 0:
        return NUM
    try:
        return finite((f / p) ** (1.0 / n) - 1)
    except (ValueError, ZeroDivisionError, OverflowError):
        return NUM


# ---------------------------------------------------------------- depreciation

def f_sln(cost, salvage, life):
    vals = nums(cost, salvage, life)
    if type(vals) is _E:
        return vals
    c, s, n = vals
    if n == 0:
        return DIV0
    return (c - s) / n


def f_syd(cost, salvage, life, per):
    vals = nums(cost, salvage, life, per)
    if type(vals) is _E:
        return vals
    c, s, n, p = vals
    if n <= 0 or p <= 0 or p > n or s < 0:
        return NUM
    return (c - s) * (n - p + 1) * 2 / (n * (n + 1))


def f_db(cost, salvage, life, period, month=None):
    vals = nums(cost, salvage, life, period, 12.0 if month is None else month)
    if type(vals) is _E:
        return vals
    c, s, n, p, m = vals
    m = int(m)
    if c < 0 or s < 0 or n <= 0 or p <= 0 or m < 1 or m > 12 or p > n + (1 if m < 12 else 0):
        return NUM
    if c == 0:
        return 0.0
    # Excel rounds the fixed rate to three decimals
    rate = round(1 - (s / c) ** (1.0 / n), 3)
    total = 0.0
    dep = c * rate * m / 12.0
    if int(p) == 1:
        return dep
    total = dep
    for k in range(2, int(p) + 1):
        if k == n + 1:
            dep = (c - total) * rate * (12 - m) / 12.0
        else:
            dep = (c - total) * rate
        total += dep
    return finite(dep)


def _ddb_period(cost, salvage, life, period, factor):
    """Double-declining depreciation of one (possibly fractional) period."""
    rate = factor / life
    if rate >= 1:
        rate = 1.0
        old = cost if period == 1 else 0.0
    else:
        old = cost * (1 - rate) ** (period - 1)
    new = cost * (1 - rate) ** period
    dep = old - salvage if new < salvage else old - new
    return max(dep, 0.0)


def f_ddb(cost, salvage, life, period, factor=None):
    vals = nums(cost, salvage, life, period, 2.0 if factor is None else factor)
    if type(vals) is _E:
        return vals
    c, s, n, p, f = vals
    if c < 0 or s < 0 or n <= 0 or p <= 0 or p > n or f <= 0:
        return NUM
    return finite(_ddb_period(c, s, n, p, f))


def _vdb_whole(cost, salvage, life, life_left, period, factor, no_switch):
    """Depreciation over `period` periods from the start, switching to straight line over the
    remaining life when that is larger (unless no_switch)."""
    total = 0.0
    end = math.ceil(period)
    remaining = cost - salvage
    straight = False
    sln = 0.0
    for k in range(1, end + 1):
        if not straight:
            ddb = _ddb_period(cost, salvage, life, k, factor)
            sln = remaining / (life_left - (k - 1)) if life_left - (k - 1) > 0 else 0.0
            if not no_switch and sln > ddb:
                term = sln
                straight = True
            else:
                term = ddb
                remaining -= ddb
        else:
            term = sln
        if k == end:
            term *= period + 1 - end
        total += term
    return total


def f_vdb(cost, salvage, life, start, end, factor=None, no_switch=None):
    vals = nums(cost, salvage, life, start, end, 2.0 if factor is None else factor)
    ns = False if no_switch is None else to_bool(no_switch)
    err = first_error(vals, ns)
    if err is not None:
        return err
    c, s, n, a, b, f = vals
    if a < 0 or b < a or b > n or c < 0 or s < 0 or f <= 0 or n <= 0:
        return NUM
    if ns:
        total = 0.0
        first, last = math.floor(a), math.ceil(b)
        for k in range(first + 1, last + 1):
            term = _ddb_period(c, s, n, k, f)
            if k == first + 1:
                term *= min(b, first + 1) - a
            elif k == last:
                term *= b + 1 - last
            total += term
        return finite(total)
    first, last = math.floor(a), math.ceil(b)
    partial = 0.0
    if a > first:
        base = c - _vdb_whole(c, s, n, n, first, f, False)
        partial += (a - first) * _vdb_whole(base, s, n, n - first, 1, f, False)
    if b < last:
        base = c - _vdb_whole(c, s, n, n, last - 1, f, False)
        partial += (last - b) * _vdb_whole(base, s, n, n - (last - 1), 1, f, False)
    base = c - _vdb_whole(c, s, n, n, first, f, False)
    return finite(_vdb_whole(base, s, n, n - first, last - first, f, False) - partial)


FUNCTIONS = {
    "PMT": (f_pmt, "S", True),
    "PV": (f_pv, "S", True),
    "FV": (f_fv, "S", True),
    "NPER": (f_nper, "S", True),
    "RATE": (f_rate, "S", True),
    "IPMT": (f_ipmt, "S", True),
    "PPMT": (f_ppmt, "S", True),
    "CUMIPMT": (f_cumipmt, "S", True),
    "CUMPRINC": (f_cumprinc, "S", True),
    "NPV": (f_npv, "SR", False),
    "XNPV": (f_xnpv, "SRR", False),
    "IRR": (f_irr, "RS", False),
    "XIRR": (f_xirr, "RRS", False),
    "MIRR": (f_mirr, "RS", False),
    "FVSCHEDULE": (f_fvschedule, "SR", False),
    "EFFECT": (f_effect, "S", True),
    "NOMINAL": (f_nominal, "S", True),
    "PDURATION": (f_pduration, "S", True),
    "RRI": (f_rri, "S", True),
    "SLN": (f_sln, "S", True),
    "SYD": (f_syd, "S", True),
    "DB": (f_db, "S", True),
    "DDB": (f_ddb, "S", True),
    "VDB": (f_vdb, "S", True),
}
