"""Financial functions.  Sources: Microsoft's function pages (support.microsoft.com, the
"Example" tables, which show rounded results: `shown`) and workbooks saved by Excel in the
corpus (bradbase_xlcalculator_tests_resources_NPV/XNPV/SLN.xlsx: exact cached values)."""

import datetime

import pytest

from function_checks import DIV0, NUM, VALUE, calc, cases, check, shown

CASES = {
    "annuities": [
        ("PMT(0.08/12,10,10000)", shown("-1037.03")), ("PMT(0.08/12,10,10000,0,1)", shown("-1030.16")),
        ("PMT(0.06/12,18*12,0,50000)", shown("-129.08")), ("PMT(0,10,1000)", -100.0), ("PMT(0.1,0,1)", NUM),
        ("PV(0.08/12,12*20,500,,0)", shown("-59777.15")),
        ("FV(0.06/12,10,-200,-500,1)", shown("2581.40")), ("FV(0.12/12,12,-1000)", shown("12682.50")),
        ("FV(0.11/12,35,-2000,,1)", shown("82846.25")),
        ("NPER(0.12/12,-100,-1000,10000,1)", shown("59.6738657")),
        ("NPER(0.12/12,-100,-1000,10000)", shown("60.0821229")), ("NPER(0.12/12,-100,-1000)", shown("-9.57859404")),
        ("RATE(4*12,-200,8000)*12", shown("0.0924")), ("RATE(4*12,-200,8000)", shown("0.0077")),
        ("IPMT(0.1/12,1,3*12,8000)", shown("-66.67")), ("IPMT(0.1,3,3,8000)", shown("-292.45")),
        ("PPMT(0.1/12,1,2*12,2000)", shown("-75.62")), ("PPMT(0.08,10,10,200000)", shown("-27598.05")),
        ("CUMIPMT(0.09/12,30*12,125000,13,24,0)", shown("-11135.23")),
        ("CUMIPMT(0.09/12,30*12,125000,1,1,0)", shown("-937.50")),
        ("CUMPRINC(0.09/12,30*12,125000,13,24,0)", shown("-934.1071234")),
        ("CUMPRINC(0.09/12,30*12,125000,1,1,0)", shown("-68.27827118")),
        ("CUMPRINC(0.09/12,30*12,125000,24,13,0)", NUM), ("PMT(\"x\",1,1)", VALUE),
    ],
    "cash flows": [
        ("NPV(0.1,-10000,3000,4200,6800)", 1188.4434123352207),   # corpus: ..._NPV.xlsx A1
        ("NPV(0.08,{8000,9200,10000,12000,14500})-40000", shown("1922.06")),
        ("NPV(-1,1)", DIV0),
        ("IRR({-70000,12000,15000,18000,21000})", shown("-0.021")),
        ("IRR({-70000,12000,15000,18000,21000,26000})", shown("0.087")),
        ("IRR({-70000,12000,15000},-0.1)", shown("-0.444")), ("IRR({1,2,3})", NUM),
        ("XNPV(0.09,{-10000,2750,4250,3250,2750},"
         "{\"2008/1/1\",\"2008/3/1\",\"2008/10/30\",\"2009/2/15\",\"2009/4/1\"})", shown("2086.65")),
        # Microsoft shows 0.373362535; XIRR iterates "until the result is accurate within
        # 0.000001 percent", so only eight decimals are Excel's answer rather than its iteration's
        ("XIRR({-10000,2750,4250,3250,2750},"
         "{\"2008/1/1\",\"2008/3/1\",\"2008/10/30\",\"2009/2/15\",\"2009/4/1\"})", shown("0.37336253")),
        ("XNPV(0.09,{-10000,2750},{\"2008/1/1\",\"2007/3/1\"})", NUM),
        ("MIRR({-120000,39000,30000,21000,37000,46000},0.1,0.12)", shown("0.126")),
        ("MIRR({-120000,39000,30000,21000},0.1,0.12)", shown("-0.048")),
        ("FVSCHEDULE(1,{0.09,0.11,0.1})", shown("1.3308900")),
        ("EFFECT(0.0525,4)", shown("0.05354267")), ("NOMINAL(0.053543,4)", shown("0.05250032")),
        ("PDURATION(0.025,2000,2200)", shown("3.86")), ("RRI(96,10000,11000)", shown("0.0009933")),
    ],
    "depreciation": [
        ("SLN(30000,7500,10)", 2250.0), ("SLN(1,0,0)", DIV0),  # corpus: ..._SLN.xlsx
        ("SYD(30000,7500,10,1)", shown("4090.91")), ("SYD(30000,7500,10,10)", shown("409.09")),
        ("DB(1000000,100000,6,1,7)", shown("186083.33")), ("DB(1000000,100000,6,2,7)", shown("259639.42")),
        ("DB(1000000,100000,6,3,7)", shown("176814.44")), ("DB(1000000,100000,6,6,7)", shown("55841.76")),
        ("DB(1000000,100000,6,7,7)", shown("15845.10")),
        ("DDB(2400,300,10*365,1)", shown("1.32")), ("DDB(2400,300,10*12,1,2)", shown("40.00")),
        ("DDB(2400,300,10,1,2)", shown("480.00")), ("DDB(2400,300,10,2,1.5)", shown("306.00")),
        ("DDB(2400,300,10,10)", shown("22.12")),
        ("VDB(2400,300,10*365,0,1)", shown("1.32")), ("VDB(2400,300,10*12,0,1)", shown("40.00")),
        ("VDB(2400,300,10,0,1)", shown("480.00")), ("VDB(2400,300,10*12,6,18)", shown("396.31")),
        ("VDB(2400,300,10*12,6,18,1.5)", shown("311.81")), ("VDB(2400,300,10,0,0.875,1.5)", shown("315.00")),
        ("VDB(2400,300,10,5,2)", NUM),
    ],
}


@pytest.mark.parametrize("expr,expected", cases(CASES))
def test_financial_function(expr, expected):
    check(expr, expected)


def test_npv_and_xnpv_over_ranges():
    # corpus: bradbase_xlcalculator_tests_resources_NPV.xlsx B1 and _XNPV.xlsx A1 (Excel's cached values)
    cells = {("S", "B2"): 0.08, ("S", "B3"): -40000.0, ("S", "B4"): 8000.0, ("S", "B5"): 9200.0,
             ("S", "B6"): 10000.0, ("S", "B7"): 12000.0, ("S", "B8"): 14500.0}
    assert calc("NPV(B2, B4:B8, -9000)+B3", cells) == pytest.approx(-3749.4650870155747, rel=1e-13)
    cells = {("S", "A2"): -10000.0, ("S", "B2"): 39448.0, ("S", "A3"): 2750.0, ("S", "B3"): 39450.0,
             ("S", "A4"): 4250.0, ("S", "B4"): 39751.0, ("S", "A5"): 3250.0, ("S", "B5"): 39859.0,
             ("S", "A6"): 2750.0, ("S", "B6"): 39817.0}
    assert calc("XNPV(0.09, A2:A6,B2:B6)", cells) == pytest.approx(2175.27828067982, rel=1e-13)


@pytest.mark.parametrize("expr,expected", [
    # IronCalc FV.xlsx (Excel 16): 0 to a negative power, a negative base to a fractional one
    ("FV(-1,-2,1)", DIV0), ("FV(-3,-3.5,1)", NUM),
    # IronCalc IPMT_PPMT.xlsx (Excel 16): a fractional period inside the last one has a value
    ("IPMT(0.1,3.9,3,8000,10,1)", -26.866364667656377), ("IPMT(0.1,3.9,3,8000)", -30.51485756246893),
    ("PPMT(0.1,3.9,3,8000,10,1)", -2900.351432640776), ("PPMT(0.1,3.9,3,8000)", -3186.4035714405527),
    ("IPMT(0.1,4,3,8000)", NUM),
    # IronCalc IRR.xlsx: a guess of -1 or below is #VALUE!
    ("IRR({-1000,230,200,125,200,10},-10)", VALUE),
])
def test_finance_edge_cases_as_excel(expr, expected):
    check(expr, expected)


def _dated(values):
    """IronCalc XIRR.xlsx (Excel 16), its rows' values in A1:F1 and dates 2024-01-01 ... in H1:M1."""
    cells = {("S", "HIJKLM"[k] + "1"): d for k, d in enumerate((45292.0, 45323.0, 45353.0, 45386.0, 45782.0, 46179.0))}
    cells.update({("S", "ABCDEF"[k] + "1"): v for k, v in enumerate(values) if v is not None})
    return cells


@pytest.mark.parametrize("values,xnpv,xirr", [
    # a blank: XNPV #NUM!, XIRR leaves the flow out (the same as a 0)
    ((-20.0, 5.0, 5.0, None, None, 5.0), NUM, shown("-0.23713151")),
    ((-20.0, 5.0, 5.0, 0.0, 0.0, 5.0), -6.153072401966322, shown("-0.23713151")),
    # text or a logical value: XNPV #NUM!, XIRR #VALUE!
    ((-70.0, 12.0, 15.0, "hello", 5.0, 5.0), NUM, VALUE),
    ((-20.0, 8.0, 5.0, True, 6.0, 5.0), NUM, VALUE),
])
def test_xnpv_and_xirr_read_their_values_as_excel(values, xnpv, xirr):
    check("XNPV(0.1,A1:F1,H1:M1)", xnpv, _dated(values))
    check("XIRR(A1:F1,H1:M1)", xirr, _dated(values))


def test_xnpv_of_a_negative_rate_is_num_and_xirr_of_dates_a_day_apart_too():
    # IronCalc XIRR.xlsx rows 3 and 13 (Excel 16)
    cells = {("S", "ABCDEF"[k] + "1"): v for k, v in enumerate((-1000.0, 230.0, 200.0, 125.0, 200.0, 10.0))}
    cells.update({("S", "HIJKLM"[k] + "1"): float(k + 1) for k in range(6)})
    check("XIRR(A1:F1,H1:M1)", NUM, cells)
    check("XNPV(-0.4,A1:F1,H1:M1)", NUM, _dated((-400.0, 100.0, 10.0, 5.0, 6.0, 5.0)))


@pytest.mark.parametrize("expr,expected", [
    # Microsoft, DDB: "All five arguments must be positive numbers" (salvage "can be 0"); the
    # DAX DDB page, the same function: an error when cost < 0, salvage < 0, period < 1 or
    # period > life, factor <= 0; its example DDB(1000000,0,10,5,1.5) is 78300.9375
    ("DDB(2400,300,10,11)", NUM), ("DDB(2400,300,0,1)", NUM), ("DDB(2400,300,-10,1)", NUM),
    ("DDB(2400,300,10,0)", NUM), ("DDB(2400,300,10,1,0)", NUM), ("DDB(2400,300,10,1,-1)", NUM),
    ("DDB(2400,-1,10,1)", NUM), ("DDB(-2400,300,10,1)", NUM), ("DDB(1000000,0,10,5,1.5)", 78300.9375),
    # the DAX DB page: an error when cost < 0, salvage < 0, life < 1, period < 1, month < 1 or
    # month > 12, and period > life (Excel: life + 1 when the first year has fewer than 12
    # months, Microsoft's example DB(1000000,100000,6,7,7)); its example DB(1000000,0,6,1,2)
    ("DB(1000000,100000,6,7)", NUM), ("DB(1000000,100000,6,8,7)", NUM), ("DB(1000000,100000,6,1,13)", NUM),
    ("DB(1000000,100000,6,1,0)", NUM), ("DB(-1000000,100000,6,1)", NUM), ("DB(1000000,-100000,6,1)", NUM),
    ("DB(1000000,100000,0,1)", NUM), ("DB(1000000,100000,6,0)", NUM), ("DB(1000000,0,6,1,2)", shown("166666.666666667")),
    # Microsoft, XNPV/XIRR: counts that differ are #NUM!, a date that is not a date #VALUE!;
    # XIRR needs a positive and a negative flow, else #NUM!; a date before the first is #NUM!
    # in XNPV (XIRR computes: see test_xirr_accepts_dates_before_the_first)
    ("XIRR({-10000,2750,3},{39448,39500})", NUM),
    ("XIRR({10000,2750},{39448,39500})", NUM), ("XIRR({-10000,2750},{39448,\"x\"})", VALUE),
    ("XNPV(0.09,{-10000,2750,1},{39448,39500})", NUM), ("XNPV(0.09,{-10000,2750},{39448,39000})", NUM), ("XNPV(0.09,{-10000,2750},{39448,\"x\"})", VALUE),
    # "If XIRR can't find a result that works after 100 tries, the #NUM! error value is returned":
    # 2750 a day after -10000 needs a rate of -1 + 1e-205, which a double cannot hold
    ("XIRR({-10000,2750},{39448,39449})", NUM),
    # Microsoft, RATE: "If the successive results of RATE do not converge ... #NUM!": a loan
    # that is paid to its lender as well has no rate
    ("RATE(10,100,1000)", NUM),
])
def test_finance_arguments_out_of_range(expr, expected):
    check(expr, expected)


def _bisect(f, lo, hi):
    """A root of f between lo and hi (f changes sign there), by plain bisection."""
    f_lo = f(lo)
    for _ in range(200):
        mid = (lo + hi) / 2
        if mid in (lo, hi):
            break
        if (f(mid) < 0) == (f_lo < 0):
            lo, f_lo = mid, f(mid)
        else:
            hi = mid
    return (lo + hi) / 2


def _serial(y, m, d):
    return float((datetime.date(y, m, d) - datetime.date(1899, 12, 30)).days)


def test_xirr_accepts_dates_before_the_first():
    # MS-OI29500 2.1.1070: Excel lets the other dates precede the first, which is the start
    # (PhpSpreadsheet issue #1120: Excel gives such a schedule a rate).  The rate solves
    # sum v_i / (1 + r) ** ((d_i - d_0) / 365) = 0, a date before d_0 a negative exponent.
    values = (-100.0, 50.0, 60.0)
    days = (_serial(2020, 1, 1), _serial(2019, 12, 1), _serial(2020, 6, 1))
    expected = _bisect(lambda r: sum(v / (1 + r) ** ((d - days[0]) / 365.0) for v, d in zip(values, days)),
                       -0.99, 10.0)
    got = calc('XIRR({-100,50,60},{"2020-01-01","2019-12-01","2020-06-01"})')
    assert type(got) is float and got == pytest.approx(expected, abs=1e-9)
    cells = {("S", "A%d" % (k + 1)): v for k, v in enumerate(values)}
    cells.update({("S", "B%d" % (k + 1)): d for k, d in enumerate(days)})
    assert calc("XIRR(A1:A3,B1:B3)", cells) == pytest.approx(expected, abs=1e-9)
    # XNPV of the same schedule stays #NUM! (Microsoft's XNPV page)
    check("XNPV(0.1,A1:A3,B1:B3)", NUM, cells)
    # 2750, 448 days before -10000: (10000 / 2750) ** (365 / 448) - 1
    check("XIRR({-10000,2750},{39448,39000})", (10000 / 2750) ** (365 / 448) - 1)
    # PhpSpreadsheet issue #1120: Excel's XIRR of this schedule is 0.13796
    check("XIRR({1893.67,139947.43,52573.25,48849.74,26369.16,-273029.18},"
          "{43643,43636,43637,43640,43643,43673})", shown("0.13796"))


def _fv(rate, nper, pmt, pv=0.0, type_=0):
    """Microsoft's FV formula (the PV page): pv*(1+rate)^nper + pmt*(1+rate*type)*
    ((1+rate)^nper-1)/rate + fv = 0, solved for fv."""
    g = (1 + rate) ** nper
    return -(pv * g + pmt * (1 + rate * type_) * (g - 1) / rate)


def test_fv_at_a_rate_of_minus_one():
    # (1 + rate) ** nper is 0: FV is -pmt * (0 - 1) / -1, and 0 when paid at the start
    assert _fv(-1.0, 2, 100.0) == -100.0 and _fv(-1.0, 2, 100.0, 0.0, 1) == 0.0
    check("FV(-1,2,100)", _fv(-1.0, 2, 100.0))
    check("FV(-1,2,100,0,1)", _fv(-1.0, 2, 100.0, 0.0, 1))


def test_ipmt_and_ppmt_of_microsofts_examples_from_the_annuity_formula():
    # Microsoft, IPMT: IPMT(0.1/12,1,3*12,8000) is -$66.67, the first month's interest on 8000;
    # PPMT: PPMT(0.1/12,1,2*12,2000) is -$75.62, the payment less that interest
    rate = 0.1 / 12
    check("IPMT(0.1/12,1,3*12,8000)", shown("-66.67"))
    assert calc("IPMT(0.1/12,1,3*12,8000)") == pytest.approx(-8000 * rate, rel=1e-12)
    g = (1 + rate) ** 24
    pmt = -2000 * g * rate / (g - 1)          # _fv(rate, 24, pmt, 2000) == 0
    assert _fv(rate, 24, pmt, 2000.0) == pytest.approx(0.0, abs=1e-9)
    check("PPMT(0.1/12,1,24,2000)", shown("-75.62"))
    assert calc("PPMT(0.1/12,1,24,2000)") == pytest.approx(pmt + 2000 * rate, rel=1e-12)


def test_irr_of_microsofts_example_against_a_bisection():
    # Microsoft, IRR: the investment's internal rate of return after five years is 8.66%
    flows = (-70000.0, 12000.0, 15000.0, 18000.0, 21000.0, 26000.0)
    expected = _bisect(lambda r: sum(v / (1 + r) ** k for k, v in enumerate(flows)), 0.0, 1.0)
    got = calc("IRR({-70000,12000,15000,18000,21000,26000})")
    check("IRR({-70000,12000,15000,18000,21000,26000})", shown("0.0866"))
    assert got == pytest.approx(expected, rel=1e-12)


def test_xirr_over_two_dates_a_day_apart_gives_a_value_or_num():
    # a day is 1/365 of a year: 101 a day after -100 is (101/100) ** 365 - 1 a year; 2750 a day
    # after -10000 needs a rate a double cannot hold (#NUM!, above): neither fails inside
    check("XIRR({-100,101},{39448,39449})", (101 / 100) ** 365 - 1)
    check("XIRR({-10000,2750},{39448,39449})", NUM)


def _flows(values, scale):
    return "{" + ",".join(repr(v * scale) for v in values) + "}"


@pytest.mark.parametrize("scale", [1e-9, 1e-6, 1e-3, 1e3, 1e6])
def test_rates_are_found_to_rounding_whatever_the_size_of_the_flows(scale):
    # A rate does not depend on the unit the flows are counted in.  Stopping where |NPV| <
    # 1e-10 left the rate of flows of a few millionths 1e-7 relative from the root; the rate is
    # now iterated until Newton's step is within rounding of it.  Microsoft's examples (IRR,
    # XIRR, RATE pages) give the digits shown (XIRR's to eight decimals: see above).
    irr, xirr = [-70000, 12000, 15000, 18000, 21000, 26000], [-10000, 2750, 4250, 3250, 2750]
    dates = '{"2008/1/1","2008/3/1","2008/10/30","2009/2/15","2009/4/1"}'
    for expr, units, expected in [
        ("IRR(%s)" % _flows(irr, scale), "IRR(%s)" % _flows(irr, 1), shown("0.087")),
        ("IRR(%s,-0.1)" % _flows(irr[:3], scale), "IRR(%s,-0.1)" % _flows(irr[:3], 1), shown("-0.444")),
        ("XIRR(%s,%s)" % (_flows(xirr, scale), dates), "XIRR(%s,%s)" % (_flows(xirr, 1), dates), shown("0.37336253")),
        ("RATE(48,%r,%r)" % (-200 * scale, 8000 * scale), "RATE(48,-200,8000)", shown("0.0077")),
    ]:
        check(expr, expected)
        assert calc(expr) == pytest.approx(calc(units), rel=1e-14), expr


def test_a_rate_of_zero_is_found_to_rounding():
    # ten payments of 100 repay 1000 at no interest: (1 + r) ** n - 1 is taken without the
    # cancellation near 0 that left RATE 2e-9 from it
    assert abs(calc("RATE(10,-100,1000)")) < 1e-15
    assert abs(calc("RATE(10,-100,1000,0,1)")) < 1e-15
    assert abs(calc("IRR({-1000,100,100,100,100,100,100,100,100,100,100})")) < 1e-15
