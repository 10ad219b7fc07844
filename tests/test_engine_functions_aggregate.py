"""AGGREGATE: Microsoft's "AGGREGATE function" page example (its data in A1:B11: errors in
A1 and A4), and the options that leave out errors, hidden rows and nested subtotals."""

import pytest

from function_checks import DIV0, VALUE, assert_value, check
from xladdin.engine import calculate
from xladdin.engine.values import ERRORS

A = [ERRORS["#DIV/0!"], 72, 30, ERRORS["#NUM!"], 31, 96, 32, 81, 33, 53, 34]
B = [82, 65, 95, 63, 53, 71, 55, 83, 100, 91, 89]
CELLS = {("S", "%s%d" % (col, i + 1)): v for col, vals in (("A", A), ("B", B)) for i, v in enumerate(vals)}


@pytest.mark.parametrize("expr, expected", [
    ("AGGREGATE(4,6,A1:A11)", 96.0),
    ("AGGREGATE(14,6,A1:A11,3)", 72.0),
    ("AGGREGATE(15,6,A1:A11)", VALUE),
    ("AGGREGATE(12,6,A1:A11,B1:B11)", 68.0),
    ("MAX(A1:A2)", DIV0),
    ("AGGREGATE(9,4,A1:A11)", DIV0),          # option 4 ignores nothing: the first error
    ("AGGREGATE(9,6,A1:A11)", 462.0),
    ("AGGREGATE(2,6,A1:A11)", 9.0),
    ("AGGREGATE(3,6,A1:A11)", 9.0),
    ("AGGREGATE(14,6,B1:B11/(B1:B11>80),2)", 95.0),   # an array argument, errors left out
    ("AGGREGATE(19,6,A1:A11,1)", 31.5),   # (9+1)/4-th of 30,31,32,...
    ("AGGREGATE(20,6,A1:A11)", VALUE),
    ("AGGREGATE(9,8,A1:A11)", VALUE),
])
def test_microsoft_example(expr, expected):
    check(expr, expected, CELLS)


def test_nested_aggregate_and_subtotal_cells_are_left_out_unless_option_4():
    cells = {("S", "A1"): 1.0, ("S", "A2"): 2.0}
    formulas = {("S", "A3"): "SUBTOTAL(9,A1:A2)", ("S", "A4"): "AGGREGATE(9,0,A1:A3)",
                ("S", "A5"): "AGGREGATE(9,4,A1:A3)"}
    values = calculate(cells, formulas).values
    assert_value("A4", values[("S", "A4")], 3.0)
    assert_value("A5", values[("S", "A5")], 6.0)
