"""Securities, Treasury bills, French depreciation, fractional prices.  Expected values: the
"Example" tables of Microsoft's function pages (support.microsoft.com), results as shown."""

import pytest

from function_checks import DIV0, NUM, cases, check, shown

S, M = "DATE(2011,1,25)", "DATE(2011,11,15)"
CASES = {
    "coupon schedule": [
        ("COUPDAYBS(%s,%s,2,1)" % (S, M), 71.0), ("COUPDAYS(%s,%s,2,1)" % (S, M), 181.0),
        ("COUPDAYSNC(%s,%s,2,1)" % (S, M), 110.0), ("COUPNCD(%s,%s,2,1)" % (S, M), 40678.0),
        ("COUPPCD(%s,%s,2,1)" % (S, M), 40497.0), ("COUPNUM(DATE(2007,1,25),DATE(2008,11,15),2,1)", 4.0),
        ("COUPNUM(%s,%s,3,1)" % (S, M), NUM), ("COUPNUM(%s,%s,2,1)" % (M, S), NUM),
        ("COUPDAYS(%s,%s,2,0)" % (S, M), 180.0), ("COUPDAYS(%s,%s,2,3)" % (S, M), 182.5),
    ],
    "coupon bonds": [
        ("PRICE(DATE(2008,2,15),DATE(2017,11,15),0.0575,0.065,100,2,0)", shown("94.63436")),
        ("YIELD(DATE(2008,2,15),DATE(2016,11,15),0.0575,95.04287,100,2,0)", shown("0.065")),
        ("DURATION(DATE(2018,7,1),DATE(2048,1,1),0.08,0.09,2,1)", shown("10.9191453")),
        ("MDURATION(DATE(2008,1,1),DATE(2016,1,1),0.08,0.09,2,1)", shown("5.73567")),
        ("ACCRINTM(DATE(2008,4,1),DATE(2008,6,15),0.1,1000,3)", shown("20.54795")),
        ("ACCRINT(DATE(2008,3,1),DATE(2008,8,31),DATE(2008,5,1),0.1,1000,2,0)", shown("16.666667")),
        ("ACCRINT(DATE(2008,3,5),DATE(2008,8,31),DATE(2008,5,1),0.1,1000,2,0,FALSE)", shown("15.555556")),
        ("ACCRINT(DATE(2008,4,5),DATE(2008,8,31),DATE(2008,5,1),0.1,1000,2,0,TRUE)", shown("7.2222222")),
        ("PRICE(DATE(2008,2,15),DATE(2017,11,15),-0.0575,0.065,100,2,0)", NUM),
    ],
    "odd periods": [
        ("ODDFPRICE(DATE(2008,11,11),DATE(2021,3,1),DATE(2008,10,15),DATE(2009,3,1),0.0785,0.0625,100,2,1)",
         shown("113.597717")),
        ("ODDFYIELD(DATE(2008,11,11),DATE(2021,3,1),DATE(2008,10,15),DATE(2009,3,1),0.0575,84.5,100,2,0)",
         shown("0.0772")),
        ("ODDLPRICE(DATE(2008,2,7),DATE(2008,6,15),DATE(2007,10,15),0.0375,0.0405,100,2,0)", shown("99.87829")),
        ("ODDLYIELD(DATE(2008,4,20),DATE(2008,6,15),DATE(2007,12,24),0.0375,99.875,100,2,0)", shown("0.045192")),
        ("ODDLPRICE(DATE(2008,2,7),DATE(2008,6,15),DATE(2008,3,15),0.0375,0.0405,100,2,0)", NUM),
    ],
    "discounted & at maturity": [
        ("DISC(DATE(2018,7,1),DATE(2048,1,1),97.975,100,1)", shown("0.000686")),
        ("INTRATE(DATE(2008,2,15),DATE(2008,5,15),1000000,1014420,2)", shown("0.05768")),
        ("RECEIVED(DATE(2008,2,15),DATE(2008,5,15),1000000,0.0575,2)", shown("1014584.654")),
        ("PRICEDISC(DATE(2008,2,16),DATE(2008,3,1),0.0525,100,2)", shown("99.79583")),
        ("YIELDDISC(DATE(2008,2,16),DATE(2008,3,1),99.795,100,2)", shown("0.052823")),
        ("PRICEMAT(DATE(2008,2,15),DATE(2008,4,13),DATE(2007,11,11),0.061,0.061,0)", shown("99.98449888")),
        ("YIELDMAT(DATE(2008,3,15),DATE(2008,11,3),DATE(2007,11,8),0.0625,100.0123,0)", shown("0.060954")),
        ("DISC(DATE(2048,1,1),DATE(2018,7,1),97.975,100,1)", NUM),
    ],
    "Treasury bills": [
        ("TBILLPRICE(DATE(2008,3,31),DATE(2008,6,1),0.09)", shown("98.45")),
        ("TBILLYIELD(DATE(2008,3,31),DATE(2008,6,1),98.45)", shown("0.091417")),
        ("TBILLEQ(DATE(2008,3,31),DATE(2008,6,1),0.0914)", shown("0.094151")),
        ("TBILLPRICE(DATE(2008,3,31),DATE(2009,6,1),0.09)", NUM),
    ],
    "depreciation, fractions, ISPMT": [
        ("AMORDEGRC(2400,DATE(2008,8,19),DATE(2008,12,31),300,1,0.15,1)", 776.0),
        ("AMORLINC(2400,DATE(2008,8,19),DATE(2008,12,31),300,1,0.15,1)", 360.0),
        ("DOLLARDE(1.02,16)", 1.125), ("DOLLARDE(1.1,32)", shown("1.3125")), ("DOLLARFR(1.125,16)", 1.02),
        ("DOLLARFR(1.125,32)", 1.04), ("DOLLARDE(1.02,0)", DIV0), ("DOLLARDE(1.02,-1)", NUM),
        ("ISPMT(0.1/12,1,3*12,8000000)", shown("-64814.8148")), ("ISPMT(0.1,1,3,8000000)", shown("-533333.3333")),
    ],
}


@pytest.mark.parametrize("expr, expected", cases(CASES))
def test_microsoft_examples(expr, expected):
    check(expr, expected)
