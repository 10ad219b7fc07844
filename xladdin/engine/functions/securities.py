"""Securities: coupon schedules (COUPPCD, COUPNCD, COUPNUM, COUPDAYBS, COUPDAYS, COUPDAYSNC),
coupon bonds (PRICE, YIELD, DURATION, MDURATION, ACCRINT, ACCRINTM), discounted and
at-maturity securities (DISC, INTRATE, RECEIVED, PRICEDISC, YIELDDISC, PRICEMAT, YIELDMAT),
odd first and last periods (ODDFPRICE, ODDFYIELD, ODDLPRICE, ODDLYIELD), Treasury bills
(TBILLPRICE, TBILLYIELD, TBILLEQ), the French depreciation AMORLINC and
AMORDEGRC, fractional prices (DOLLARDE, DOLLARFR) and ISPMT; formulas as Microsoft's pages give
them. Day counts follow the ``basis`` argument (0 US 30/360, 1 actual/actual, 2 actual/360,
3 actual/365, 4 European 30/360), as YEARFRAC reads it.

Coupon dates are counted back from maturity in steps of 12/frequency months; a maturity on a
month's last day keeps its coupons on last days.
"""

from __future__ import annotations

import math

from ..values import round_dec
from ._args import DIV0, NUM
from ._declare import declared
from .date import _days_30_360_us, days_in_month, f_yearfrac, serial_of, ymd


# ---------------------------------------------------------------- coupon schedule

def _valid(settlement, maturity, frequency, basis):
    return settlement < maturity and int(frequency) in (1, 2, 4) and 0 <= int(basis) <= 4


def _shift(serial, months, end_of_month):
    """The date ``months`` months from ``serial``, on the month's last day when
    ``end_of_month`` (else on the same day, or the month's last if it is shorter)."""
    y, m, d = ymd(serial)
    total = y * 12 + (m - 1) + months
    y, m = divmod(total, 12)
    m += 1
    last = days_in_month(y, m)
    return serial_of(y, m, last if end_of_month else min(d, last))


def _coupon_dates(settlement, maturity, frequency):
    """(previous coupon date, next coupon date, number of coupons left) at settlement."""
    step = 12 // int(frequency)
    y, m, d = ymd(maturity)
    eom = d == days_in_month(y, m)
    k = 0
    ncd = maturity
    while True:
        pcd = _shift(maturity, -step * (k + 1), eom)
        if pcd <= settlement:
            return pcd, ncd, k + 1
        ncd = pcd
        k += 1


def _days(a, b, basis):
    """Days from serial a to b as ``basis`` counts them."""
    if basis == 0:
        return float(_days_30_360_us(ymd(a), ymd(b)))
    if basis == 4:
        (y1, m1, d1), (y2, m2, d2) = ymd(a), ymd(b)
        return float((y2 - y1) * 360 + (m2 - m1) * 30 + (min(d2, 30) - min(d1, 30)))
    return b - a


def _coupdays(settlement, maturity, frequency, basis):
    f, b = int(frequency), int(basis)
    if b == 1:
        pcd, ncd, _ = _coupon_dates(settlement, maturity, f)
        return ncd - pcd
    return (365.0 if b == 3 else 360.0) / f


def _coupdaybs(settlement, maturity, frequency, basis):
    pcd, _, _ = _coupon_dates(settlement, maturity, frequency)
    return _days(pcd, settlement, int(basis))


def _coupdaysnc(settlement, maturity, frequency, basis):
    b = int(basis)
    if b in (0, 4):
        return _coupdays(settlement, maturity, frequency, b) - _coupdaybs(settlement, maturity, frequency, b)
    _, ncd, _ = _coupon_dates(settlement, maturity, frequency)
    return ncd - settlement


def _coupon_function(answer):
    def f(settlement, maturity, frequency, basis=0.0):
        if not _valid(settlement, maturity, frequency, basis):
            return NUM
        return answer(settlement, maturity, frequency, basis)
    return f


def _couppcd(s, m, f, b):
    return _coupon_dates(s, m, f)[0]


def _coupncd(s, m, f, b):
    return _coupon_dates(s, m, f)[1]


def _coupnum(s, m, f, b):
    return float(_coupon_dates(s, m, f)[2])


# ---------------------------------------------------------------- coupon bonds

def _price(settlement, maturity, rate, yld, redemption, frequency, basis):
    f = int(frequency)
    e = _coupdays(settlement, maturity, f, basis)
    dsc = _coupdaysnc(settlement, maturity, f, basis)
    a = _coupdaybs(settlement, maturity, f, basis)
    n = _coupon_dates(settlement, maturity, f)[2]
    coupon = 100 * rate / f
    if n == 1:
        return (redemption + coupon) / (1 + dsc / e * yld / f) - coupon * a / e
    base = 1 + yld / f
    frac = dsc / e
    total = redemption / base ** (n - 1 + frac)
    total += math.fsum(coupon / base ** (k - 1 + frac) for k in range(1, n + 1))
    return total - coupon * a / e


def _price_checked(settlement, maturity, rate, yld, redemption, frequency, basis=0.0):
    if not _valid(settlement, maturity, frequency, basis) or rate < 0 or yld < 0 or redemption <= 0:
        return NUM
    return _price(settlement, maturity, rate, yld, redemption, frequency, basis)


def _yield(settlement, maturity, rate, pr, redemption, frequency, basis=0.0):
    if not _valid(settlement, maturity, frequency, basis) or rate < 0 or pr <= 0 or redemption <= 0:
        return NUM
    f = int(frequency)
    n = _coupon_dates(settlement, maturity, f)[2]
    if n == 1:
        e = _coupdays(settlement, maturity, f, basis)
        a = _coupdaybs(settlement, maturity, f, basis)
        dsr = e - a
        paid = pr / 100 + a / e * rate / f
        return ((redemption / 100 + rate / f) - paid) / paid * f * e / dsr
    return _solve_yield(lambda yld: _price(settlement, maturity, rate, yld, redemption, f, basis), pr, f)


def _duration(settlement, maturity, coupon, yld, frequency, basis=0.0):
    if not _valid(settlement, maturity, frequency, basis) or coupon < 0 or yld < 0:
        return NUM
    f = int(frequency)
    e = _coupdays(settlement, maturity, f, basis)
    dsc = _coupdaysnc(settlement, maturity, f, basis)
    n = _coupon_dates(settlement, maturity, f)[2]
    base = 1 + yld / f
    weighted, present = [], []
    for k in range(1, n + 1):
        periods = k - 1 + dsc / e
        flow = 100 * coupon / f + (100 if k == n else 0)
        pv = flow / base ** periods
        weighted.append(periods / f * pv)
        present.append(pv)
    return math.fsum(weighted) / math.fsum(present)


def _mduration(settlement, maturity, coupon, yld, frequency, basis=0.0):
    d = _duration(settlement, maturity, coupon, yld, frequency, basis)
    return d if d is NUM else d / (1 + yld / int(frequency))


def _year_fraction(a, b, basis):
    return f_yearfrac(a, b, basis)


def _accrintm(issue, settlement, rate, par, basis=0.0):
    if issue >= settlement or rate <= 0 or par <= 0 or not 0 <= int(basis) <= 4:
        return NUM
    return par * rate * _year_fraction(issue, settlement, basis)


def _accrint(issue, first_interest, settlement, rate, par, frequency, basis=0.0, from_issue=True):
    """Interest accrued from the issue (or, with calc_method FALSE and a settlement after the
    first interest date, from the last coupon before settlement) to settlement, summed over
    the quasi-coupon periods of the schedule that ends at first_interest."""
    f, b = int(frequency), int(basis)
    if issue >= settlement or rate <= 0 or par <= 0 or f not in (1, 2, 4) or not 0 <= b <= 4:
        return NUM
    step = 12 // f
    y, m, d = ymd(first_interest)
    eom = d == days_in_month(y, m)
    start = issue
    if not from_issue and settlement > first_interest:
        k = 0
        while _shift(first_interest, step * (k + 1), eom) <= settlement:
            k += 1
        start = _shift(first_interest, step * k, eom)
    # quasi-coupon periods: back from first_interest to before the start, forward past settlement
    k = 0
    while _shift(first_interest, -step * k, eom) > start:
        k += 1
    total = 0.0
    period_start = _shift(first_interest, -step * k, eom)
    while period_start < settlement:
        period_end = _shift(period_start, step, eom)
        lo, hi = max(period_start, start), min(period_end, settlement)
        if hi > lo:
            length = (period_end - period_start) if b == 1 else (365.0 if b == 3 else 360.0) / f
            total += _days(lo, hi, b) / length
        period_start = period_end
    return par * rate / f * total


# ---------------------------------------------------------------- odd first and last periods

def _normal_length(start, end, frequency, basis):
    """NL: the normal length in days of the (quasi-)coupon period [start, end]."""
    if basis == 1:
        return end - start
    return (365.0 if basis == 3 else 360.0) / frequency


def _overlap(a, b, lo, hi, basis):
    """Days of [a, b] within [lo, hi] as ``basis`` counts them (0 when they do not meet)."""
    x, y = max(a, lo), min(b, hi)
    return _days(x, y, basis) if y > x else 0.0


def _odd_first(settlement, maturity, issue, first_coupon, rate, yld, redemption, frequency, basis):
    """ODDFPRICE at yield ``yld``: Microsoft's formula for a short or a long first coupon,
    with the odd first period split into quasi-coupon periods counted back from the first
    coupon."""
    f, b = int(frequency), int(basis)
    step = 12 // f
    y, m, d = ymd(maturity)
    eom = d == days_in_month(y, m)
    # quasi-coupon dates from the first coupon back to the first one on or before the issue
    quasi = [first_coupon]
    while quasi[-1] > issue:
        quasi.append(_shift(first_coupon, -step * len(quasi), eom))
    quasi.reverse()
    coupon = 100 * rate / f
    dc = a = 0.0
    dsc = e = None
    after = 0   # quasi-coupon dates after the one that ends settlement's quasi period
    for start, end in zip(quasi, quasi[1:]):
        nl = _normal_length(start, end, f, b)
        dc += _overlap(start, end, issue, end, b) / nl
        a += _overlap(start, end, issue, settlement, b) / nl
        if start <= settlement < end:
            dsc, e = _days(settlement, end, b), nl
        elif start > settlement:
            after += 1
    n = 0
    date = first_coupon
    while date <= maturity:
        n += 1
        date = _shift(first_coupon, step * n, eom)
    base = 1 + yld / f
    lead = after + dsc / e
    total = redemption / base ** (lead + n - 1) + coupon * dc / base ** lead
    total += math.fsum(coupon / base ** (lead + k - 1) for k in range(2, n + 1))
    return total - coupon * a


def _odd_first_checked(settlement, maturity, issue, first_coupon, rate, x, redemption, frequency,
                       basis, solve):
    if (not issue < settlement < first_coupon <= maturity or rate < 0 or x < 0 or redemption <= 0
            or int(frequency) not in (1, 2, 4) or not 0 <= int(basis) <= 4):
        return NUM
    args = (settlement, maturity, issue, first_coupon, rate)
    if not solve:
        return _odd_first(*args, x, redemption, frequency, basis)
    return _solve_yield(lambda yld: _odd_first(*args, yld, redemption, frequency, basis), x, frequency)


def _solve_yield(price_at, pr, frequency):
    """The yield at which ``price_at`` (falling in the yield) gives ``pr``, by bisection."""
    lo, hi = 0.0, 1.0
    while price_at(hi) > pr:
        hi *= 2
        if hi > 1e6:
            return NUM
    if price_at(lo) < pr:
        lo = -0.999 * int(frequency)
    for _ in range(200):
        mid = (lo + hi) / 2
        if mid in (lo, hi):
            break
        if price_at(mid) > pr:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def _oddfprice(settlement, maturity, issue, first_coupon, rate, yld, redemption, frequency, basis=0.0):
    return _odd_first_checked(settlement, maturity, issue, first_coupon, rate, yld, redemption,
                              frequency, basis, solve=False)


def _oddfyield(settlement, maturity, issue, first_coupon, rate, pr, redemption, frequency, basis=0.0):
    return _odd_first_checked(settlement, maturity, issue, first_coupon, rate, pr, redemption,
                              frequency, basis, solve=True)


def _odd_last_sums(settlement, maturity, last_interest, frequency, basis):
    """(ΣDC/NL, ΣA/NL, ΣDSC/NL) over the quasi-coupon periods from the last interest date."""
    f, b = int(frequency), int(basis)
    step = 12 // f
    y, m, d = ymd(last_interest)
    eom = d == days_in_month(y, m)
    dc = a = dsc = 0.0
    k = 0
    start = last_interest
    while start < maturity:
        k += 1
        end = _shift(last_interest, step * k, eom)
        nl = _normal_length(start, end, f, b)
        dc += _overlap(start, end, start, maturity, b) / nl
        a += _overlap(start, end, start, settlement, b) / nl
        dsc += _overlap(start, end, settlement, maturity, b) / nl
        start = end
    return dc, a, dsc


def _odd_last(answer):
    def f(settlement, maturity, last_interest, rate, x, redemption, frequency, basis=0.0):
        if (not last_interest < settlement < maturity or rate < 0 or x < 0 or redemption <= 0
                or int(frequency) not in (1, 2, 4) or not 0 <= int(basis) <= 4):
            return NUM
        dc, a, dsc = _odd_last_sums(settlement, maturity, last_interest, frequency, basis)
        coupon = 100 * rate / int(frequency)
        return answer(dc * coupon, a * coupon, dsc, x, redemption, int(frequency))
    return f


_oddlprice = _odd_last(lambda paid, accrued, dsc, yld, redemption, f:
                       (redemption + paid) / (1 + dsc * yld / f) - accrued)
_oddlyield = _odd_last(lambda paid, accrued, dsc, pr, redemption, f:
                       ((redemption + paid) - (pr + accrued)) / (pr + accrued) * f / dsc)


# ---------------------------------------------------------------- discounted and at maturity

def _dated(answer, check):
    def f(settlement, maturity, a, b, basis=0.0):
        if settlement >= maturity or not 0 <= int(basis) <= 4 or not check(a, b):
            return NUM
        return answer(_year_fraction(settlement, maturity, basis), a, b)
    return f


_both_positive = (lambda a, b: a > 0 and b > 0)
_disc = _dated(lambda t, pr, redemption: (redemption - pr) / redemption / t, _both_positive)
_intrate = _dated(lambda t, investment, redemption: (redemption - investment) / investment / t, _both_positive)
_received = _dated(lambda t, investment, discount: investment / (1 - discount * t)
                   if discount * t != 1 else DIV0, _both_positive)
_pricedisc = _dated(lambda t, discount, redemption: redemption - discount * redemption * t, _both_positive)
_yielddisc = _dated(lambda t, pr, redemption: (redemption - pr) / pr / t, _both_positive)


def _at_maturity(answer):
    def f(settlement, maturity, issue, rate, x, basis=0.0):
        if settlement >= maturity or rate < 0 or x < 0 or not 0 <= int(basis) <= 4:
            return NUM
        dim = _year_fraction(issue, maturity, basis)
        a = _year_fraction(issue, settlement, basis)
        dsm = _year_fraction(settlement, maturity, basis)
        return answer(dim, a, dsm, rate, x)
    return f


_pricemat = _at_maturity(lambda dim, a, dsm, rate, yld:
                         (100 + dim * rate * 100) / (1 + dsm * yld) - a * rate * 100)
_yieldmat = _at_maturity(lambda dim, a, dsm, rate, pr:
                         ((1 + dim * rate) - (pr / 100 + a * rate)) / (pr / 100 + a * rate) / dsm)


def _tbill(answer):
    def f(settlement, maturity, x):
        dsm = maturity - settlement
        if dsm <= 0 or dsm > 365 + (1 if _spans_feb29(settlement, maturity) else 0) or x <= 0:
            return NUM
        return answer(dsm, x)
    return f


def _spans_feb29(a, b):
    y1, _, _ = ymd(a)
    y2, _, _ = ymd(b)
    return any(y % 4 == 0 and (y % 100 != 0 or y % 400 == 0) for y in range(y1, y2 + 1))


def _tbilleq_value(dsm, discount):
    if dsm <= 182:
        return 365 * discount / (360 - discount * dsm)
    price = 100 * (1 - discount * dsm / 360)
    t = dsm / 365
    return (-t + math.sqrt(t * t - (2 * t - 1) * (1 - 100 / price))) / (t - 0.5)


_tbillprice = _tbill(lambda dsm, discount: 100 * (1 - discount * dsm / 360))
_tbillyield = _tbill(lambda dsm, pr: (100 - pr) / pr * 360 / dsm)
_tbilleq = _tbill(_tbilleq_value)


# ---------------------------------------------------------------- French depreciation

def _amor_check(cost, purchased, first_period, salvage, period, rate, basis):
    return (cost < 0 or salvage < 0 or salvage > cost or period < 0 or rate <= 0
            or purchased > first_period or int(basis) == 2 or not 0 <= int(basis) <= 4)


def _amorlinc(cost, purchased, first_period, salvage, period, rate, basis=0.0):
    if _amor_check(cost, purchased, first_period, salvage, period, rate, basis):
        return NUM
    per = int(period)
    one = cost * rate
    first = _year_fraction(purchased, first_period, basis) * rate * cost
    full = int((cost - salvage - first) / one)
    if per == 0:
        return first
    if per <= full:
        return one
    if per == full + 1:
        return cost - salvage - one * full - first
    return 0.0


def _amordegrc(cost, purchased, first_period, salvage, period, rate, basis=0.0):
    if _amor_check(cost, purchased, first_period, salvage, period, rate, basis):
        return NUM
    life = 1 / rate
    if 0 < life < 3 and life not in (1.0, 2.0) or 4 < life < 5:
        return NUM
    coefficient = 1.0 if life < 3 else 1.5 if life < 5 else 2.0 if life <= 6 else 2.5
    r = rate * coefficient
    per = int(period)
    depreciation = round_dec(_year_fraction(purchased, first_period, basis) * r * cost, 0)
    cost -= depreciation
    rest = cost - salvage
    for n in range(per):
        depreciation = round_dec(r * cost, 0)
        rest -= depreciation
        if rest < 0:
            return round_dec(cost * 0.5, 0) if per - n <= 1 else 0.0
        cost -= depreciation
    return depreciation


# ---------------------------------------------------------------- fractions and ISPMT

def _dollar_fraction(to_decimal):
    def f(value, fraction):
        k = int(fraction)
        if k < 0:
            return NUM
        if k == 0:
            return DIV0
        whole = math.trunc(value)
        part = value - whole
        scale = 10.0 ** math.ceil(math.log10(k))
        return whole + (part * scale / k if to_decimal else part * k / scale)
    return f


def _ispmt(rate, period, periods, pv):
    if periods == 0:
        return DIV0
    return pv * rate * (period / periods - 1)


_COUPON = "date, date, number, number=0"

FUNCTIONS = {
    "COUPPCD": declared(_COUPON, _coupon_function(_couppcd)),
    "COUPNCD": declared(_COUPON, _coupon_function(_coupncd)),
    "COUPNUM": declared(_COUPON, _coupon_function(_coupnum)),
    "COUPDAYBS": declared(_COUPON, _coupon_function(_coupdaybs)),
    "COUPDAYS": declared(_COUPON, _coupon_function(_coupdays)),
    "COUPDAYSNC": declared(_COUPON, _coupon_function(_coupdaysnc)),
    "PRICE": declared("date, date, number, number, number, number, number=0", _price_checked),
    "YIELD": declared("date, date, number, number, number, number, number=0", _yield),
    "DURATION": declared("date, date, number, number, number, number=0", _duration),
    "MDURATION": declared("date, date, number, number, number, number=0", _mduration),
    "ACCRINTM": declared("date, date, number, number, number=0", _accrintm),
    "ACCRINT": declared("date, date, date, number, number, number, number=0, logical=TRUE", _accrint),
    "DISC": declared("date, date, number, number, number=0", _disc),
    "INTRATE": declared("date, date, number, number, number=0", _intrate),
    "RECEIVED": declared("date, date, number, number, number=0", _received),
    "PRICEDISC": declared("date, date, number, number, number=0", _pricedisc),
    "YIELDDISC": declared("date, date, number, number, number=0", _yielddisc),
    "PRICEMAT": declared("date, date, date, number, number, number=0", _pricemat),
    "YIELDMAT": declared("date, date, date, number, number, number=0", _yieldmat),
    "TBILLPRICE": declared("date, date, number", _tbillprice),
    "TBILLYIELD": declared("date, date, number", _tbillyield),
    "TBILLEQ": declared("date, date, number", _tbilleq),
    "AMORLINC": declared("number, date, date, number, number, number, number=0", _amorlinc),
    "AMORDEGRC": declared("number, date, date, number, number, number, number=0", _amordegrc),
    "DOLLARDE": declared("number, number", _dollar_fraction(True)),
    "DOLLARFR": declared("number, number", _dollar_fraction(False)),
    "ISPMT": declared("number, number, number, number", _ispmt),
    "ODDFPRICE": declared("date, date, date, date, number, number, number, number, number=0", _oddfprice),
    "ODDFYIELD": declared("date, date, date, date, number, number, number, number, number=0", _oddfyield),
    "ODDLPRICE": declared("date, date, date, number, number, number, number, number=0", _oddlprice),
    "ODDLYIELD": declared("date, date, date, number, number, number, number, number=0", _oddlyield),
}
