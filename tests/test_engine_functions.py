"""The native Excel functions and operators a template uses, each with hand-derived cases.

Every case is `formula -> expected`, evaluated against the small data block
below (sheet 数据 and sheet S).  Error values compare equal to their literal.
"""
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from function_checks import assert_value
from xladdin.engine import ErrorValue, calculate, native_function_names

DATA = {
    # S!A1:A5 numbers with a text, a bool and a blank around them
    ("S", "A1"): 10.0, ("S", "A2"): 20.0, ("S", "A3"): "30", ("S", "A4"): True, ("S", "A5"): None,
    ("S", "B1"): 1.0, ("S", "B2"): 2.0, ("S", "B3"): 3.0,
    ("S", "C1"): ErrorValue("#N/A"), ("S", "C2"): 5.0,
    ("S", "D1"): "优", ("S", "D2"): "良", ("S", "D3"): "优", ("S", "D4"): "", ("S", "D5"): "合格品",
    ("S", "E1"): 2.675, ("S", "E2"): 0.1234, ("S", "E3"): 1234567.891,
    ("数据", "C5"): 100.0, ("数据", "C6"): 0.0,
    # a small lookup table S!G1:H3
    ("S", "G1"): 60.0, ("S", "H1"): "及格", ("S", "G2"): 80.0, ("S", "H2"): "良", ("S", "G3"): 90.0,
    ("S", "H3"): "优",
}

NA, VALUE, DIV0, NAME, NUM, REF = "#N/A", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#REF!"


def calc(expr, cells=None, names=None):
    result = calculate(DATA if cells is None else cells, {("S", "Z100"): expr}, names or {}, ["S", "数据"])
    return result.values.get(("S", "Z100"), result.problems)


def check(expr, expected):
    assert_value(expr, calc(expr), expected)


CASES = {
    "operators": [
        ("1+2*3", 7.0), ("(1+2)*3", 9.0), ("2^3^2", 64.0), ("-2^2", 4.0), ("10/4", 2.5),
        ("1/0", DIV0), ("50%", 0.5), ("200%*3", 6.0), ("1-+-2", 3.0), ("\"3\"+1", 4.0),
        ("\"abc\"+1", VALUE), ("TRUE+1", 2.0), ("A5+1", 1.0), ("C1+1", NA), ("1+C1", NA),
        ("(-8)^(1/3)", NUM), ("0^0", NUM),
        ("1=1", True), ("\"a\"=\"A\"", True), ("\"a\"<\"B\"", True), ("1<\"a\"", True),
        ("\"a\"<TRUE", True), ("A5=0", True), ("A5=\"\"", True), ("0.1+0.2=0.3", True),
        ("2<>2", False), ("3>=3", True), ("C1=1", NA),
    ],
    "concatenation": [
        ("1.5&\"分\"", "1.5分"), ("0.1+0.2&\"\"", "0.3"), ("1/3&\"\"", "0.333333333333333"),
        ("TRUE&\"\"", "TRUE"), ("A5&\"x\"", "x"), ("3&\"\"", "3"), ("1E+20&\"\"", "1E+20"),
        ("C1&\"x\"", NA), ("CONCAT(\"a\",B1:B3,1.5)", "a1231.5"),
        ("CONCATENATE(\"得分\",B2,\"分\")", "得分2分"), ("CONCAT(C1:C2)", NA),
    ],
    "SUM": [
        ("SUM(A1:A5)", 30.0),          # text "30", TRUE and blank in a range are ignored
        ("SUM(1,\"2\",TRUE)", 4.0),    # ...but direct arguments are converted
        ("SUM(A3)", 0.0), ("SUM(C1:C2)", NA), ("SUM(\"x\")", VALUE), ("SUM(B1:B3,{1,2})", 9.0),
        ("SUM(数据!C5:C6)", 100.0),
    ],
    "IF": [
        ("IF(B1>0,\"有\",\"无\")", "有"), ("IF(0,1,2)", 2.0), ("IF(FALSE,1)", False),
        ("IF(TRUE,,1)", 0.0), ("IF(C1,1,2)", NA), ("IF(\"x\",1,2)", VALUE),
        ("IF(TRUE,1,1/0)", 1.0), ("IF(\"TRUE\",1,2)", 1.0), ("IF(A5,1,2)", 2.0),
    ],
    "IFERROR": [
        ("IFERROR(1/0,\"除零\")", "除零"), ("IFERROR(C1,0)", 0.0), ("IFERROR(5,0)", 5.0),
        ("IFERROR(\"\",1)", ""), ("IFNA(C1,7)", 7.0), ("IFNA(1/0,7)", DIV0),
    ],
    "ROUND": [
        ("ROUND(2.675,2)", 2.68), ("ROUND(-2.675,2)", -2.68), ("ROUND(E1,2)", 2.68),
        ("ROUND(1234.5,-2)", 1200.0), ("ROUND(2.5,0)", 3.0), ("ROUND(1.005,2)", 1.01),
        ("ROUND(\"x\",1)", VALUE), ("ROUND(C1,1)", NA), ("ROUND(4.35*100,0)", 435.0),
        ("ROUNDDOWN(2.679,2)", 2.67), ("ROUNDDOWN(-2.679,2)", -2.67), ("ROUNDDOWN(0.1*3,1)", 0.3),
        ("ROUNDDOWN(1/0,2)", DIV0), ("ROUNDUP(2.611,2)", 2.62), ("ROUNDUP(-2.611,1)", -2.7),
        ("INT(-2.5)", -3.0), ("TRUNC(-2.59,1)", -2.5), ("ABS(-3)", 3.0), ("MOD(-7,3)", 2.0),
        ("MOD(1,0)", DIV0), ("SQRT(-1)", NUM), ("POWER(2,10)", 1024.0), ("SIGN(-4)", -1.0),
    ],
    "MIN/MAX/AVERAGE": [
        ("MIN(A1:A5)", 10.0), ("MAX(A1:A5)", 20.0), ("MAX(D1:D3)", 0.0), ("MIN(B1:B3,-1)", -1.0),
        ("MAX(C1:C2)", NA), ("AVERAGE(A1:A5)", 15.0), ("AVERAGE(D1:D3)", DIV0),
        ("AVERAGE(B1:B3,{4,5})", 3.0), ("MEDIAN(B1:B3,10)", 2.5), ("LARGE(B1:B3,1)", 3.0),
        ("SMALL(B1:B3,4)", NUM), ("PRODUCT(B1:B3)", 6.0),
    ],
    "AND/OR/NOT": [
        ("AND(TRUE,1)", True),
        # an ordinary formula in row 100: the comparison intersects B1:B3 with row 100 (none)
        ("AND(B1:B3>2)", VALUE), ("AND(A1:A5)", True), ("OR(0,FALSE)", False),
        ("OR(B1>2,B3>2)", True), ("AND(C1:C2)", NA), ("OR(\"x\")", VALUE), ("AND(D1:D2)", VALUE),
        ("NOT(0)", True), ("NOT(C1)", NA), ("XOR(TRUE,TRUE)", False),
    ],
    "COUNT": [
        ("COUNT(A1:A5)", 2.0), ("COUNT(A1:C5)", 6.0), ("COUNT(1,\"2\",\"x\",TRUE)", 3.0),
        ("COUNTA(A1:A5)", 4.0), ("COUNTA(D1:D5)", 5.0),   # "" counts in COUNTA
        ("COUNTBLANK(D1:D5)", 1.0), ("COUNTBLANK(A1:A5)", 1.0),
    ],
    "COUNTIF/SUMIF": [
        ("COUNTIF(D1:D5,\"优\")", 2.0), ("COUNTIF(B1:B3,\">=2\")", 2.0), ("COUNTIF(B1:B3,2)", 1.0),
        ("COUNTIF(D1:D5,\"合格*\")", 1.0), ("COUNTIF(D1:D5,\"<>优\")", 3.0),
        ("COUNTIF(D1:D5,\"\")", 1.0), ("COUNTIF(C1:C2,\"#N/A\")", 1.0), ("COUNTIF(A1:A5,\">15\")", 1.0),
        ("SUMIF(D1:D3,\"优\",B1:B3)", 4.0), ("SUMIF(B1:B3,\"<3\")", 3.0),
        ("SUMIF(B1:B2,\">0\",C1:C2)", NA), ("SUMIF(B1:B2,\">1\",C1:C2)", 5.0),
        ("COUNTIFS(D1:D3,\"优\",B1:B3,\">1\")", 1.0), ("SUMIFS(B1:B3,D1:D3,\"优\",B1:B3,\"<3\")", 1.0),
        ("AVERAGEIF(D1:D3,\"优\",B1:B3)", 2.0),
    ],
    "TEXT": [
        ("TEXT(2.675,\"0.00\")", "2.68"), ("TEXT(E2,\"0.00%\")", "12.34%"),
        ("TEXT(E3,\"#,##0.00\")", "1,234,567.89"), ("TEXT(-1234.5,\"#,##0\")", "-1,235"),
        ("TEXT(85,\"0\"\"分\"\"\")", "85分"), ("TEXT(0.5,\"0%\")", "50%"),
        ("TEXT(\"2.675\",\"0.00\")", "2.68"), ("TEXT(\"优\",\"0.00\")", "优"), ("TEXT(C1,\"0\")", NA),
        ("TEXT(3,\"0.0;(0.0);零\")", "3.0"), ("TEXT(0,\"0.0;(0.0);零\")", "零"),
        ("TEXT(45306,\"yyyy-mm-dd\")", "2024-01-15"), ("TEXT(1.5,\"General\")", "1.5"),
    ],
    "information": [
        ("ISNUMBER(B1)", True), ("ISNUMBER(A3)", False), ("ISNUMBER(A5)", False),
        ("ISNUMBER(C1)", False), ("ISERROR(C1)", True), ("ISERROR(1/0)", True),
        ("ISERROR(B1)", False), ("ISERR(C1)", False), ("ISNA(C1)", True), ("ISTEXT(D1)", True),
        ("ISBLANK(A5)", True), ("ISBLANK(D4)", False), ("ISLOGICAL(A4)", True),
        ("NA()", NA), ("ISNA(NA())", True), ("ROWS(A1:C5)", 5.0), ("ROWS({1,2;3,4;5,6})", 3.0),
        ("COLUMNS(A1:C5)", 3.0), ("ROWS(B1)", 1.0), ("ROW(B7)", 7.0), ("COLUMN()", 26.0),
        ("N(TRUE)", 1.0), ("T(5)", ""),
    ],
    "text functions": [
        ("LEN(\"绩效评价\")", 4.0), ("LEFT(\"绩效评价\",2)", "绩效"), ("RIGHT(\"abc\")", "c"),
        ("MID(\"abcdef\",2,3)", "bcd"), ("TRIM(\"  a   b \")", "a b"), ("UPPER(\"ab\")", "AB"),
        ("SUBSTITUTE(\"a-b-c\",\"-\",\"+\")", "a+b+c"), ("SUBSTITUTE(\"a-b-c\",\"-\",\"+\",2)", "a-b+c"),
        ("FIND(\"b\",\"abc\")", 2.0), ("FIND(\"x\",\"abc\")", VALUE), ("SEARCH(\"B*\",\"aBc\")", 2.0),
        ("VALUE(\"1,234.5\")", 1234.5), ("VALUE(\"50%\")", 0.5), ("VALUE(\"abc\")", VALUE),
        ("REPT(\"★\",3)", "★★★"), ("EXACT(\"a\",\"A\")", False), ("TEXTJOIN(\"、\",TRUE,D1:D5)", "优、良、优、合格品"),
    ],
    "lookup": [
        ("VLOOKUP(85,G1:H3,2)", "良"), ("VLOOKUP(80,G1:H3,2,FALSE)", "良"),
        ("VLOOKUP(81,G1:H3,2,FALSE)", NA), ("VLOOKUP(50,G1:H3,2)", NA), ("VLOOKUP(80,G1:H3,3,0)", REF),
        ("MATCH(80,G1:G3,0)", 2.0), ("MATCH(95,G1:G3)", 3.0), ("MATCH(\"良\",H1:H3,0)", 2.0),
        ("INDEX(H1:H3,3)", "优"), ("INDEX(G1:H3,2,2)", "良"), ("INDEX(G1:H3,4,1)", REF),
        ("INDEX(H1:H3,MATCH(90,G1:G3,0))", "优"), ("HLOOKUP(2,B1:B3,2,FALSE)", NA),
        ("CHOOSE(2,\"a\",\"b\")", "b"), ("CHOOSE(3,\"a\",\"b\")", VALUE),
        ("IFS(B1>5,\"x\",B1>0,\"y\")", "y"), ("SWITCH(B2,1,\"one\",2,\"two\",\"other\")", "two"),
    ],
    "arrays": [
        ("SUMPRODUCT(B1:B3,{0.5;0.3;0.2})", 1.7), ("SUMPRODUCT({1,2},{3,4})", 11.0),
        ("SUMPRODUCT(B1:B3,{1,2})", VALUE), ("MAX({0.5,1.5,1})", 1.5), ("INDEX({10,20,30},2)", 20.0),
        ("SUM(-{1,2})", -3.0),
        # outside an array formula SUM intersects an expression's ranges with the formula's
        # row (row 100: none); as array formulas see test_array_formulas_evaluate_arrays
        ("SUM(B1:B3*2)", VALUE), ("SUM(IF(B1:B3>1,B1:B3,0))", VALUE),
    ],
    "cross-sheet": [
        ("数据!C5/4", 25.0), ("'数据'!C5+数据!$C$6", 100.0), ("数据!C5/数据!C6", DIV0),
        ("IFERROR(数据!C5/数据!C6,0)", 0.0),
    ],
}


@pytest.mark.parametrize(
    "expr,expected",
    [pytest.param(e, x, id="%s: %s" % (group, e)) for group, cases in CASES.items() for e, x in cases],
)
def test_native_function(expr, expected):
    check(expr, expected)


@pytest.mark.parametrize("expr,expected", [
    ("SUM(B1:B3*2)", 12.0), ("SUM((B1:B3>1)*B1:B3)", 5.0), ("SUM(ROUND(B1:B3/3,1))", 2.0),
    ("SUM(IF(B1:B3>1,B1:B3,0))", 5.0), ("AND(B1:B3>2)", False),
])
def test_array_formulas_evaluate_arrays(expr, expected):
    result = calculate(DATA, {("S", "Z100"): expr}, {}, ["S", "数据"], arrays={("S", "Z100"): "Z100"})
    assert_value(expr, result.values.get(("S", "Z100")), expected)


def test_every_required_function_is_native():
    required = {"SUM", "IF", "IFERROR", "ROUND", "ROUNDDOWN", "MIN", "MAX", "AND", "OR", "NOT",
                "AVERAGE", "COUNT", "COUNTA", "COUNTIF", "SUMIF", "TEXT", "CONCAT", "CONCATENATE",
                "NA", "ISNUMBER", "ISERROR", "ROWS"}
    assert required <= set(native_function_names())


def test_functions_known_only_to_formulas_still_work():
    assert calc("DATE(2024,1,15)") == 45306.0
    assert calc("YEAR(45306)") == 2024.0
    assert calc("STDEV.S(B1:B3)") == pytest.approx(1.0)


def test_new_function_prefix_xlfn():
    assert calc("_xlfn.CONCAT(\"a\",\"b\")") == "ab"
    assert calc("_xlfn.IFS(FALSE,1,TRUE,2)") == 2.0


def test_names_pointing_at_ranges_are_ranges():
    names = {"scores": "S!$B$1:$B$3", "one": "S!$B$1"}
    assert calc("SUM(scores)+one", names=names) == 7.0
    assert calc("ROWS(scores)", names=names) == 3.0


# ---------------------------------------------------------------- properties

@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=-10**6, max_value=10**6, places=4, allow_nan=False), st.integers(0, 3))
def test_round_matches_decimal_half_up_on_typed_numbers(d, digits):
    """ROUND of a number as typed (<= 15 digits) equals decimal half-up rounding, like Excel."""
    from decimal import ROUND_HALF_UP, Decimal
    x = float(d)
    expected = float(Decimal(str(d)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))
    r = calculate({("S", "B1"): x},
                  {("S", "A1"): "ROUND(B1,%d)" % digits,
                   ("S", "A2"): "TEXT(B1,\"0.%s\")" % ("0" * digits) if digits else "TEXT(B1,\"0\")"},
                  {}, ["S"]).values
    assert r[("S", "A1")] == expected
    text = r[("S", "A2")]
    assert float(text) == expected and (text.count(".") == (1 if digits else 0))


@settings(max_examples=100, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12))
def test_number_to_text_round_trips_to_15_digits(x):
    s = calc("B1&\"\"", cells={("S", "B1"): x})
    assert math.isclose(float(s), x, rel_tol=1e-14, abs_tol=1e-300)
