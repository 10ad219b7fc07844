"""GROUPBY.  Expected values: the workbook saved by Excel in the corpus
(PHPOffice_PhpSpreadsheet_tests_data_Reader_XLSX_excel-groupby-one.xlsx: revenue by project
type, headers in the ranges, =GROUPBY(B2:B32, C2:C32, SUM) gives Design 505000 … Total
1915000), and for the options Microsoft's page: headers 3 shown, total_depth 0 none and -1 on
top, a negative sort_order descending, a filter, a LAMBDA as the function."""

import pytest

from function_checks import VALUE, assert_value
from xladdin.engine import calculate

TYPES = ["Design", "Research", "Development", "Research", "Design", "Design", "Research", "Design",
         "Development", "Research", "Research", "Design", "Marketing", "Marketing", "Marketing",
         "Development", "Research", "Marketing", "Development", "Design", "Marketing", "Research",
         "Marketing", "Design", "Development", "Design", "Marketing", "Marketing", "Design", "Research"]
REVENUE = [60000, 86000, 73000, 63000, 88000, 32000, 92000, 46000, 103000, 32000, 98000, 105000, 58000,
           14000, 78000, 63000, 90000, 68000, 34000, 12000, 112000, 71000, 57000, 79000, 73000, 15000,
           60000, 44000, 68000, 41000]
CELLS = {("S", "B2"): "Project type", ("S", "C2"): "Revenue"}
CELLS.update({("S", "B%d" % (i + 3)): t for i, t in enumerate(TYPES)})
CELLS.update({("S", "C%d" % (i + 3)): float(v) for i, v in enumerate(REVENUE)})


def spill(formula, rows, cols=2):
    area = "E3:%s%d" % ("EFGH"[cols - 1], 3 + rows - 1)
    result = calculate(CELLS, {("S", "E3"): formula}, arrays={("S", "E3"): area})
    assert not result.problems, result.problems
    return [[result.values.get(("S", "EFGH"[j] + str(3 + i))) for j in range(cols)] for i in range(rows)]


def test_the_excel_saved_workbook():
    assert spill("_xlfn.GROUPBY(B2:B32,C2:C32,_xleta.SUM)", 5) == [
        ["Design", 505000.0], ["Development", 346000.0], ["Marketing", 491000.0], ["Research", 573000.0],
        ["Total", 1915000.0]]


@pytest.mark.parametrize("formula, rows, expected", [
    ("GROUPBY(B2:B32,C2:C32,_xleta.SUM,3)", 6, [["Project type", "Revenue"], ["Design", 505000.0]]),
    ("GROUPBY(B3:B32,C3:C32,_xleta.SUM,0,0)", 4, [["Design", 505000.0]]),
    ("GROUPBY(B3:B32,C3:C32,_xleta.SUM,0,-1)", 5, [["Total", 1915000.0], ["Design", 505000.0]]),
    ("GROUPBY(B3:B32,C3:C32,_xleta.SUM,0,0,-2)", 4, [["Research", 573000.0], ["Design", 505000.0]]),
    ("GROUPBY(B3:B32,C3:C32,_xleta.MAX,0,0)", 4, [["Design", 105000.0], ["Development", 103000.0]]),
    ("GROUPBY(B3:B32,C3:C32,_xleta.COUNT,0,1,1,C3:C32>90000)", 4,
     [["Design", 1.0], ["Development", 1.0], ["Marketing", 1.0], ["Research", 2.0]]),
    ("GROUPBY(B3:B32,C3:C32,LAMBDA(x,SUM(x)/1000),0,0)", 4, [["Design", 505.0], ["Development", 346.0]]),
])
def test_options(formula, rows, expected):
    got = spill(formula, rows)
    assert got[:len(expected)] == expected


def test_unequal_lengths_and_unsupported_options():
    result = calculate(CELLS, {("S", "E3"): "GROUPBY(B3:B32,C3:C31,_xleta.SUM)",
                               ("S", "H3"): "GROUPBY(B3:B32,C3:C32,_xleta.SUM,2)"})
    assert_value("E3", result.values[("S", "E3")], VALUE)
    assert [p.kind for p in result.problems] == ["unsupported"]   # generated headers: kept
