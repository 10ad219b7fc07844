"""The database functions, on the example of Microsoft's DAVERAGE/DCOUNT/DGET … pages: the
orchard table in A5:E11 and the criteria in A1:F3 (="=Apple" in A2 is stored as the text
"=Apple")."""

import pytest

from function_checks import NUM, VALUE, check, shown

ROWS = {
    1: ["Tree", "Height", "Age", "Yield", "Profit", "Height"],
    2: ["=Apple", ">10", None, None, None, "<16"],
    3: ["=Pear", None, None, None, None, None],
    5: ["Tree", "Height", "Age", "Yield", "Profit"],
    6: ["Apple", 18, 20, 14, 105],
    7: ["Pear", 12, 12, 10, 96],
    8: ["Cherry", 13, 14, 9, 105],
    9: ["Apple", 14, 15, 10, 75],
    10: ["Pear", 9, 8, 8, 76.8],
    11: ["Apple", 8, 9, 6, 45],
}
CELLS = {("S", "%s%d" % ("ABCDEF"[i], r)): v for r, vals in ROWS.items() for i, v in enumerate(vals) if v is not None}


@pytest.mark.parametrize("expr, expected", [
    ('DCOUNT(A5:E11,"Age",A1:F2)', 1.0),
    ('DCOUNTA(A5:E11,"Profit",A1:F2)', 1.0),
    ('DMAX(A5:E11,"Profit",A1:F3)', 96.0),
    ('DMIN(A5:E11,"Profit",A1:B2)', 75.0),
    ('DSUM(A5:E11,"Profit",A1:A2)', 225.0),
    ('DSUM(A5:E11,"Profit",A1:F2)', 75.0),
    ('DPRODUCT(A5:E11,"Yield",A1:F2)', 10.0),
    ('DAVERAGE(A5:E11,"Yield",A1:B2)', 12.0),
    ('DAVERAGE(A5:E11,3,A5:E11)', 13.0),
    ('DSTDEV(A5:E11,"Yield",A1:A3)', shown("2.97")),
    ('DSTDEVP(A5:E11,"Yield",A1:A3)', shown("2.65")),
    ('DVAR(A5:E11,"Yield",A1:A3)', shown("8.8")),
    ('DVARP(A5:E11,"Yield",A1:A3)', shown("7.04")),
    ('DGET(A5:E11,"Yield",A1:A3)', NUM),
    ('DGET(A5:E11,"Yield",A1:F2)', 10.0),
    ('DGET(A5:E11,"Yield",A3:A3)', VALUE),
    ('DSUM(A5:E11,"Weight",A1:A2)', VALUE),
    ('DSUM(A5:E11,9,A1:A2)', VALUE),
    ('DCOUNT(A5:E11,,A1:A3)', 5.0),
    ('DSUM(A5:E11,"profit",A5:A5)', VALUE),
])
def test_microsoft_orchard_example(expr, expected):
    check(expr, expected, CELLS)


def test_a_text_condition_without_operator_matches_the_beginning():
    cells = {("S", "A1"): "Name", ("S", "A2"): "App", ("S", "C1"): "Name", ("S", "D1"): "N",
             ("S", "C2"): "Apple", ("S", "D2"): 1.0, ("S", "C3"): "Applesauce", ("S", "D3"): 2.0,
             ("S", "C4"): "Pineapple", ("S", "D4"): 4.0}
    check('DSUM(C1:D4,"N",A1:A2)', 3.0, cells)
