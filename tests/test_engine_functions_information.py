"""Information functions.  Sources: Microsoft's function pages (support.microsoft.com) and
workbooks saved by Excel in the corpus (apache_poi_test-data_spreadsheet_atp.xlsx)."""

import pytest

from function_checks import NA, VALUE, calc, cases, check

CASES = {
    "IS functions": [
        ("ISODD(2)", False), ("ISEVEN(2)", True),                 # corpus: ..._atp.xlsx
        ("ISEVEN(-1)", False), ("ISEVEN(2.5)", True), ("ISEVEN(5)", False), ("ISODD(-1)", True),
        ("ISODD(3.9)", True), ("ISEVEN(\"x\")", VALUE), ("ISEVEN(TRUE)", VALUE), ("ISEVEN(\"4\")", True),
        ("ISNUMBER(5)", True), ("ISNUMBER(\"5\")", False), ("ISTEXT(\"a\")", True), ("ISNONTEXT(1)", True),
        ("ISLOGICAL(TRUE)", True), ("ISERR(NA())", False), ("ISERR(1/0)", True), ("ISNA(NA())", True),
        ("ISERROR(NA())", True),
    ],
    "N/T/TYPE/ERROR.TYPE": [
        ("N(7)", 7.0), ("N(\"Even\")", 0.0), ("N(TRUE)", 1.0), ("N(NA())", NA), ("T(\"Rainfall\")", "Rainfall"),
        ("T(19)", ""), ("T(TRUE)", ""),
        ("TYPE(1)", 1.0), ("TYPE(\"Smith\")", 2.0), ("TYPE(TRUE)", 4.0), ("TYPE(1/0)", 16.0),
        ("TYPE({1,2;3,4})", 64.0), ("TYPE(2+\"x\")", 16.0),
        ("ERROR.TYPE(NA())", 7.0), ("ERROR.TYPE(1/0)", 2.0), ("ERROR.TYPE(\"x\"+1)", 3.0),
        ("ERROR.TYPE(SQRT(-1))", 6.0), ("ERROR.TYPE(1)", NA), ("NA()", NA),
    ],
}


@pytest.mark.parametrize("expr,expected", cases(CASES))
def test_information_function(expr, expected):
    check(expr, expected)


def test_type_of_cells():
    cells = {("S", "A1"): "Smith", ("S", "A2"): 5.0}
    assert calc("TYPE(A1)", cells) == 2.0
    assert calc("TYPE(A2)", cells) == 1.0
    assert calc("TYPE(A9)", cells) == 1.0    # a blank cell counts as a number
    assert calc("ISBLANK(A9)", cells) is True
