"""Math & trig functions.  Sources: Microsoft's function pages (support.microsoft.com, the
"Example" tables) and workbooks saved by Excel in the corpus (file named in the comment)."""

import pytest

from function_checks import DIV0, NA, NUM, VALUE, calc, cases, check, shown

CASES = {
    "trigonometry": [
        # corpus: bradbase_xlcalculator_tests_resources_ASIN.xlsx / _COS.xlsx
        ("ASIN(-0.5)", -0.52359877559829893), ("ASIN(-0.5)*180/PI()", -30.000000000000004),
        ("DEGREES(ASIN(-0.5))", -30.000000000000004), ("ASIN(-2)", NUM),
        ("COS(1.047)", 0.50017107459707011), ("COS(60*PI()/180)", 0.50000000000000011),
        ("COS(RADIANS(60))", 0.50000000000000011),
        # corpus: apache_poi_test-data_spreadsheet_47813.xlsx (angles 1 and 65 degrees)
        ("SIN(RADIANS(1))", 1.7452406437283512E-2), ("COS(RADIANS(1))", 0.99984769515639127),
        ("SIN(RADIANS(65))", 0.90630778703664994), ("COS(RADIANS(65))", 0.42261826174069944),
        ("SIN(PI()/2)", 1.0), ("TAN(0.785)", shown("0.99920399")), ("ACOS(-0.5)", shown("2.094395102")),
        ("ATAN(1)", shown("0.785398163")), ("ATAN2(1,1)", shown("0.785398163")),
        ("ATAN2(-1,-1)", shown("-2.35619449")), ("ATAN2(0,0)", DIV0), ("ACOSH(1)", 0.0),
        ("ACOSH(0.5)", NUM), ("ATANH(1)", NUM), ("SINH(1)", shown("1.175201194")),
        ("SIN(2^27)", NUM),   # Excel refuses trigonometry from 2^27 up
        ("RADIANS(270)", shown("4.712389")), ("DEGREES(PI())", 180.0), ("SIN(\"x\")", VALUE),
    ],
    "rounding": [
        # corpus: bradbase_xlcalculator_tests_resources_CEILING.xlsx
        ("CEILING(2.5, 1)", 3.0), ("CEILING(-2.5, -2)", -4.0), ("CEILING(-2.5, 2)", -2.0),
        ("CEILING(1.5, 0.1)", 1.5), ("CEILING(0.234, 0.01)", 0.24), ("CEILING(0, -2)", 0.0),
        ("CEILING(2, 0)", 0.0), ("CEILING(2, -2)", NUM),
        # Microsoft: CEILING.MATH, FLOOR, FLOOR.MATH, MROUND, EVEN, ODD
        ("CEILING.MATH(24.3,5)", 25.0), ("CEILING.MATH(6.7)", 7.0), ("CEILING.MATH(-8.1,2)", -8.0),
        ("CEILING.MATH(-5.5,2,-1)", -6.0), ("CEILING.PRECISE(-4.6,-2)", -4.0),
        ("FLOOR(3.7,2)", 2.0), ("FLOOR(-2.5,-2)", -2.0), ("FLOOR(2.5,-2)", NUM), ("FLOOR(1.58,0.1)", 1.5),
        ("FLOOR(0.234,0.01)", 0.23), ("FLOOR(-2.5,2)", -4.0), ("FLOOR(1,0)", DIV0),
        ("FLOOR.MATH(24.3,5)", 20.0), ("FLOOR.MATH(6.7)", 6.0), ("FLOOR.MATH(-8.1,2)", -10.0),
        ("FLOOR.MATH(-5.5,2,-1)", -4.0), ("FLOOR.PRECISE(-3.2,-1)", -4.0),
        ("MROUND(10,3)", 9.0),  # also corpus: apache_poi_test-data_spreadsheet_atp.xlsx
        ("MROUND(-10,-3)", -9.0), ("MROUND(1.3,0.2)", 1.4), ("MROUND(5,-2)", NUM),
        ("EVEN(1.5)", 2.0), ("EVEN(3)", 4.0), ("EVEN(2)", 2.0), ("EVEN(-1)", -2.0),
        ("ODD(1.5)", 3.0), ("ODD(3)", 3.0), ("ODD(2)", 3.0), ("ODD(-1)", -1.0), ("ODD(-2)", -3.0),
        # corpus: bradbase_xlcalculator_tests_resources_ROUNDUP.xlsx
        ("ROUNDUP(3.2,0)", 4.0), ("ROUNDUP(76.9,0)", 77.0), ("ROUNDUP(3.14159, 3)", 3.1419999999999999),
        ("ROUNDUP(-3.14159, 1)", -3.2), ("ROUNDUP(31415.92654, -2)", 31500.0),
        ("ROUND(2.15,1)", 2.2), ("ROUND(-1.475,2)", -1.48), ("ROUND(21.5,-1)", 20.0),
        ("ROUND(626.3,-3)", 1000.0), ("ROUND(-50.55,-2)", -100.0), ("ROUNDDOWN(3.14159,3)", 3.141),
        ("TRUNC(8.9)", 8.0), ("TRUNC(-8.9)", -8.0), ("TRUNC(0.45)", 0.0), ("INT(8.9)", 8.0),
        ("INT(-8.9)", -9.0),
        ("19.5-INT(19.5)", 0.5),   # corpus: bradbase_xlcalculator_tests_resources_INT.xlsx
    ],
    "arithmetic": [
        ("MOD(3,2)", 1.0), ("MOD(-3,2)", 1.0), ("MOD(3,-2)", -1.0), ("MOD(-3,-2)", -1.0),
        ("MOD(3,0)", DIV0), ("QUOTIENT(5,2)", 2.0), ("QUOTIENT(4.5,3.1)", 1.0),
        ("QUOTIENT(-10,3)", -3.0), ("QUOTIENT(1,0)", DIV0), ("ABS(-4)", 4.0), ("SIGN(-0.00001)", -1.0),
        ("SQRT(16)", 4.0), ("SQRT(-16)", NUM), ("SQRTPI(2)", shown("2.5066283")),
        ("POWER(5,2)", 25.0), ("POWER(98.6,3.2)", shown("2401077.222")), ("POWER(4,5/4)", shown("5.656854249")),
        ("EXP(1)", shown("2.71828183")), ("LN(86)", shown("4.4543473")), ("LN(0)", NUM),
        ("LOG(8,2)", 3.0), ("LOG(10)", 1.0), ("LOG(86,2.7182818)", shown("4.4543473")),
        ("LOG(1,1)", DIV0), ("LOG10(86)", shown("1.934498451")), ("LOG10(1E5)", 5.0),
    ],
    "integers": [
        ("FACT(5)", 120.0), ("FACT(1.9)", 1.0), ("FACT(0)", 1.0), ("FACT(-1)", NUM), ("FACT(1)", 1.0),
        ("FACTDOUBLE(6)", 48.0), ("FACTDOUBLE(7)", 105.0), ("COMBIN(8,2)", 28.0), ("COMBIN(2,8)", NUM),
        ("COMBINA(4,3)", 20.0), ("COMBINA(10,3)", 220.0), ("MULTINOMIAL(2,3,4)", 1260.0),
        ("GCD(5,2)", 1.0), ("GCD(24,36)", 12.0), ("GCD(7,1)", 1.0), ("GCD(5,0)", 5.0), ("GCD(-1,2)", NUM),
        ("LCM(5,2)", 10.0), ("LCM(24,36)", 72.0),
        ("BASE(7,2)", "111"), ("BASE(100,16)", "64"), ("BASE(15,2,10)", "0000001111"),
        ("DECIMAL(\"FF\",16)", 255.0), ("DECIMAL(111,2)", 7.0), ("DECIMAL(\"zap\",36)", 45745.0),
    ],
    "sums": [
        ("SUMSQ(3,4)", 25.0), ("SUMPRODUCT({3,4;8,6;1,9},{2,7;6,7;5,3})", 156.0),
        ("SUMPRODUCT({1,2},{1,2,3})", VALUE), ("SUMPRODUCT({1,\"a\"},{2,3})", 2.0),
        ("SUMX2MY2({2,3,9,1,8,7,5},{6,5,11,7,5,4,4})", -55.0),
        ("SUMX2PY2({2,3,9,1,8,7,5},{6,5,11,7,5,4,4})", 521.0),
        ("SUMXMY2({2,3,9,1,8,7,5},{6,5,11,7,5,4,4})", 79.0),
        ("SUMXMY2({1,2},{1})", NA), ("PRODUCT(5,15,30)", 2250.0), ("PRODUCT({5,15,30},2)", 4500.0),
    ],
    "matrices": [
        ("MDETERM({1,3,8,5;1,3,6,1;1,1,1,0;7,3,10,2})", shown("88.000000000")),
        ("MDETERM({3,6,1;1,1,0;3,10,2})", shown("1.0000000")), ("MDETERM({1,2,3;4,5,6})", VALUE),
        ("INDEX(MMULT({1,3;7,2},{2,0;0,2}),2,1)", 14.0), ("INDEX(MINVERSE({4,-1;2,0}),1,2)", 0.5),
        ("INDEX(MINVERSE({4,-1;2,0}),2,1)", -1.0), ("MINVERSE({1,2;2,4})", NUM),
        ("INDEX(MUNIT(3),2,2)", 1.0), ("INDEX(MUNIT(3),1,2)", 0.0),
        ("INDEX(SEQUENCE(4,5),2,3)", 8.0), ("ROWS(SEQUENCE(4,5))", 4.0), ("COLUMNS(SEQUENCE(4,5))", 5.0),
        ("INDEX(SEQUENCE(4,5,10,-1),4,5)", -9.0), ("SEQUENCE(0)", "#CALC!"),
    ],
}


@pytest.mark.parametrize("expr,expected", cases(CASES))
def test_math_function(expr, expected):
    check(expr, expected)


def test_sum_skips_text_in_ranges_but_converts_typed_text():
    cells = {("S", "A1"): 10.0, ("S", "A2"): "5", ("S", "A3"): True, ("S", "A4"): None}
    assert calc("SUM(A1:A4)", cells) == 10.0
    assert calc("SUM(A1:A4,\"5\",TRUE)", cells) == 16.0
    assert calc("SUM(A2)", cells) == 0.0          # a one-cell range is still a range
    assert calc("SUM(\"x\",1/0)", cells) == VALUE  # the first erroneous argument wins
    assert calc("SUM(1/0,\"x\")", cells) == DIV0
