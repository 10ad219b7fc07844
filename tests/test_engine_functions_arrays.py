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
