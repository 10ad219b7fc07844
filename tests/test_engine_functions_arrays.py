"""EXPAND, WRAPROWS, WRAPCOLS, ARRAYTOTEXT, VALUETOTEXT and the LAMBDA helpers MAP, REDUCE,
SCAN, BYROW, BYCOL, MAKEARRAY, ISOMITTED.  Expected values: Microsoft's function pages."""

import pytest

from function_checks import NA, VALUE, assert_value, cases, check
from xladdin.engine import calculate

CASES = {
    "shaping": [
        ("ROWS(EXPAND({1,2;3,4},3,3))", 3.0), ("COLUMNS(EXPAND({1,2;3,4},3,3))", 3.0),
        ("INDEX(EXPAND({1,2;3,4},3,3),3,3)", NA), ('INDEX(EXPAND({1,2;3,4},3,3,"-"),3,1)', "-"),
        ("INDEX(EXPAND({1,2;3,4},3),2,2)", 4.0), ("EXPAND({1,2},1,1)", VALUE),
        ('INDEX(WRAPROWS({"A","B","C","D","E","F","G"},3),3,1)', "G"),
        ('INDEX(WRAPROWS({"A","B","C","D","E","F","G"},3),3,2)', NA),
        ('INDEX(WRAPROWS({"A","B","C","D","E","F","G"},3,"x"),3,3)', "x"),
        ('INDEX(WRAPCOLS({"A","B","C","D","E","F","G"},3),1,3)', "G"),
        ('ROWS(WRAPCOLS({"A","B","C","D","E","F","G"},3))', 3.0), ("WRAPROWS({1,2;3,4},2)", VALUE),
    ],
    "as text": [
        ('ARRAYTOTEXT({"TRUE","#VALUE!";1234.01234,"Seattle"})', "TRUE, #VALUE!, 1234.01234, Seattle"),
        ('ARRAYTOTEXT({"TRUE","#VALUE!";1234.01234,"Seattle"},1)', '{"TRUE","#VALUE!";1234.01234,"Seattle"}'),
        ("ARRAYTOTEXT({TRUE,1},2)", VALUE), ('VALUETOTEXT("Hello",1)', '"Hello"'),
        ("VALUETOTEXT(1234.01234)", "1234.01234"), ("VALUETOTEXT(TRUE,1)", "TRUE"),
    ],
}


@pytest.mark.parametrize("expr, expected", cases(CASES))
def test_array_functions(expr, expected):
    check(expr, expected)


CELLS = {("S", "A%d" % (i + 1)): v for i, v in enumerate([1.0, 2.0, 3.0])}
CELLS.update({("S", "B%d" % (i + 1)): v for i, v in enumerate([4.0, 5.0, 6.0])})


@pytest.mark.parametrize("expr, expected", [
    ("SUM(MAP(A1:A3,B1:B3,LAMBDA(a,b,a*b)))", 32.0),
    ("INDEX(MAP(A1:A3,LAMBDA(a,IF(a>1,a*a,+a))),3)", 9.0),
    ("REDUCE(0,A1:B3,LAMBDA(a,b,IF(b>4,a+b^2,a)))", 61.0),   # Microsoft's sum of squares over 4
    ("REDUCE(,A1:A3,LAMBDA(a,b,a+b))", 6.0),
    ('INDEX(SCAN("",{"a","b","c"},LAMBDA(a,b,a&b)),1,3)', "abc"),
    ("INDEX(SCAN(1,{1,2,3;4,5,6},LAMBDA(a,b,a*b)),2,3)", 720.0),   # Microsoft's factorials
    ("SUM(BYROW(A1:B3,LAMBDA(r,MAX(r))))", 15.0), ("ROWS(BYROW(A1:B3,LAMBDA(r,MAX(r))))", 3.0),
    ("INDEX(BYCOL(A1:B3,LAMBDA(c,SUM(c))),1,2)", 15.0), ("COLUMNS(BYCOL(A1:B3,LAMBDA(c,SUM(c))))", 2.0),
    ("BYROW(A1:B3,LAMBDA(r,r))", "#CALC!"),
    ("SUM(MAKEARRAY(3,3,LAMBDA(r,c,r*c)))", 36.0), ("INDEX(MAKEARRAY(3,3,LAMBDA(r,c,r*c)),2,3)", 6.0),
    ("MAKEARRAY(0,3,LAMBDA(r,c,r))", VALUE), ("MAP(A1:A3,LAMBDA(a,b,a))", VALUE),
])
def test_lambda_helpers(expr, expected):
    check(expr, expected, CELLS)


def test_isomitted_and_a_lambda_name_as_an_argument():
    names = {"F": "LAMBDA(a,b,IF(ISOMITTED(b),\"no b\",a+b))", "DOUBLE": "_xlfn.LAMBDA(_xlpm.x,2*_xlpm.x)"}
    formulas = {("S", "C1"): "F(1)", ("S", "C2"): "F(1,2)", ("S", "C3"): "SUM(_xlfn.MAP(A1:A3,DOUBLE))"}
    result = calculate(CELLS, formulas, names)
    assert not result.problems
    for cell, want in (("C1", "no b"), ("C2", 3.0), ("C3", 12.0)):
        assert_value(cell, result.values[("S", cell)], want)


@pytest.mark.parametrize("expr, expected", [
    ("ROWS(TRIMRANGE(A1:D10))", 3.0), ("COLUMNS(TRIMRANGE(A1:D10))", 2.0), ("SUM(TRIMRANGE(A:D))", 3.0),
    ("ROWS(TRIMRANGE(A1:D10,2))", 5.0), ("ROWS(TRIMRANGE(A1:D10,1))", 8.0), ("ROWS(TRIMRANGE(A1:D10,0,0))", 10.0),
    ("COLUMNS(TRIMRANGE(A1:D10,0,1))", 3.0), ("TRIMRANGE(A1:D10,4)", VALUE), ("TRIMRANGE(F1:F3)", "#REF!"),
])
def test_trimrange(expr, expected):
    # used cells B3 and C5: rows 3-5, columns B-C
    check(expr, expected, {("S", "B3"): 1.0, ("S", "C5"): 2.0})


def test_randarray_is_volatile_and_has_its_shape():
    formulas = {("S", "A1"): "ROWS(RANDARRAY(3,2))", ("S", "A2"): "COLUMNS(RANDARRAY(3,2))",
                ("S", "A3"): "RANDARRAY(1,1,5,5,TRUE)", ("S", "A4"): "AND(RANDARRAY(4,4)>=0,RANDARRAY(4,4)<1)",
                ("S", "A5"): "RANDARRAY(2,2,3,1)"}
    result = calculate({}, formulas, seed=7)
    values = result.values
    assert [values[("S", "A%d" % i)] for i in (1, 2, 3, 4)] == [3.0, 2.0, 5.0, True]
    assert_value("A5", values[("S", "A5")], VALUE)
    assert result.volatile == 5
