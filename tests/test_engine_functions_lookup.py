"""Lookup & reference functions.  Sources: Microsoft's function pages (support.microsoft.com,
"Example" tables; the LOOKUP page describes the array form's shape rule) and workbooks saved by
Excel in the corpus (file named in the comment)."""

import pytest

from function_checks import NA, REF, VALUE, calc, cases, check

COLOURS = "{4.14,4.19,5.17,5.77,6.39},{\"red\",\"orange\",\"yellow\",\"green\",\"blue\"}"
PARTS = "{\"Axles\",\"Bearings\",\"Bolts\";4,4,9;5,7,10;6,8,11}"

CASES = {
    "LOOKUP": [
        ("LOOKUP(4.19,%s)" % COLOURS, "orange"), ("LOOKUP(5.75,%s)" % COLOURS, "yellow"),
        ("LOOKUP(7.66,%s)" % COLOURS, "blue"), ("LOOKUP(0,%s)" % COLOURS, NA),
        # array form: wider than tall -> first row searched, last row returned
        ("LOOKUP(\"C\",{\"a\",\"b\",\"c\",\"d\";1,2,3,4})", 3.0),
        # taller than wide (or square) -> first column searched, last column returned
        ("LOOKUP(\"bump\",{\"a\",1;\"b\",2;\"c\",3})", 2.0), ("LOOKUP(2,{1,2;3,4})", 2.0),
        ("LOOKUP(3,{1,2;3,4})", 4.0),
    ],
    "MATCH": [
        ("MATCH(39,{25,38,40,41},1)", 2.0), ("MATCH(41,{25,38,40,41},0)", 4.0),
        ("MATCH(39,{41,40,38,25},-1)", 2.0), ("MATCH(40,{41,40,38,25},-1)", 2.0),
        ("MATCH(42,{41,40,38,25},-1)", NA), ("MATCH(\"b*\",{\"apple\",\"banana\"},0)", 2.0),
        ("MATCH(1,{1,2;3,4},0)", NA), ("MATCH(NA(),{1},0)", NA),
    ],
    "VLOOKUP/HLOOKUP": [
        ("HLOOKUP(\"Axles\",%s,2,TRUE)" % PARTS, 4.0), ("HLOOKUP(\"Bearings\",%s,3,FALSE)" % PARTS, 7.0),
        ("HLOOKUP(\"B\",%s,3,TRUE)" % PARTS, 5.0), ("HLOOKUP(\"Bolts\",%s,4)" % PARTS, 11.0),
        ("HLOOKUP(3,{1,2,3;\"a\",\"b\",\"c\";\"d\",\"e\",\"f\"},2,TRUE)", "c"),
        ("VLOOKUP(2,{1,\"a\";2,\"b\"},2,FALSE)", "b"), ("VLOOKUP(2,{1,\"a\";2,\"b\"},3,FALSE)", REF),
        ("VLOOKUP(2,{1,\"a\";2,\"b\"},0,FALSE)", VALUE), ("VLOOKUP(2,{1,\"a\";2,\"b\"},2,)", "b"),
        # an empty range_lookup / match_type is FALSE / 0: an exact match (omitted: approximate)
        ("VLOOKUP(2.5,{1,\"a\";2,\"b\"},2,)", NA), ("VLOOKUP(2.5,{1,\"a\";2,\"b\"},2)", "b"),
        ("MATCH(2.5,{1,2},)", NA), ("MATCH(2.5,{1,2})", 2.0), ("VLOOKUP(2,{1,\"a\"},2,1/0)", "#DIV/0!"),
    ],
    "XLOOKUP/XMATCH": [
        ("XLOOKUP(3,{1,2,3},{\"a\",\"b\",\"c\"})", "c"), ("XLOOKUP(4,{1,2,3},{\"a\",\"b\",\"c\"})", NA),
        ("XLOOKUP(4,{1,2,3},{\"a\",\"b\",\"c\"},\"none\")", "none"),
        ("XLOOKUP(2.5,{1,2,3},{\"a\",\"b\",\"c\"},,-1)", "b"), ("XLOOKUP(2.5,{1,2,3},{\"a\",\"b\",\"c\"},,1)", "c"),
        ("XLOOKUP(\"b*\",{\"apple\",\"banana\"},{1,2},,2)", 2.0),
        ("XLOOKUP(\"b*\",{\"apple\",\"banana\"},{1,2})", NA),   # wildcards only with match_mode 2
        ("XLOOKUP(2,{1,2,2},{\"a\",\"b\",\"c\"},,0,-1)", "c"),
        ("INDEX(XLOOKUP(2,{1;2},{\"a\",\"b\";\"c\",\"d\"}),1,2)", "d"),
        ("XLOOKUP(1,{1,2},{1,2,3})", VALUE),
        ("XMATCH(\"Gra?\",{\"Apple\",\"Grape\",\"Pear\",\"Banana\",\"Cherry\"},2)", NA),
        ("XMATCH(\"Gra??\",{\"Apple\",\"Grape\",\"Pear\",\"Banana\",\"Cherry\"},2)", 2.0),
        ("XMATCH(4.5,{1,2,3,4,5},1)", 5.0), ("XMATCH(4.5,{1,2,3,4,5},-1)", 4.0),
        ("XMATCH(3,{1,2,3,4,5},0,2)", 3.0), ("XMATCH(3.5,{5,4,3,2,1},-1,-2)", 3.0),
    ],
    "INDEX/CHOOSE": [
        ("INDEX({\"Apples\",\"Lemons\";\"Bananas\",\"Pears\"},2,2)", "Pears"),
        ("INDEX({\"Apples\",\"Lemons\";\"Bananas\",\"Pears\"},2,1)", "Bananas"),
        ("INDEX({1,2;3,4},3,1)", REF), ("INDEX({1,2;3,4},1,3)", REF),   # out of range
        ("INDEX({1,2;3,4},\"x\",1)", VALUE), ("INDEX({1,2;3,4},-1,1)", VALUE),
        ("INDEX({10,20,30},2)", 20.0), ("SUM(INDEX({1,2;3,4},0,2))", 6.0),
        ("CHOOSE(2,\"1st\",\"2nd\",\"3rd\",\"Finished\")", "2nd"), ("CHOOSE(5,1,2)", VALUE),
        ("CHOOSE(0,1,2)", VALUE), ("CHOOSE(1.9,\"a\",\"b\")", "a"),
    ],
    "ADDRESS/TRANSPOSE/ROWS": [
        ("ADDRESS(2,3)", "$C$2"), ("ADDRESS(2,3,2)", "C$2"), ("ADDRESS(2,3,2,FALSE)", "R2C[3]"),
        ("ADDRESS(2,3,1,FALSE,\"[Book1]Sheet1\")", "[Book1]Sheet1!R2C3"),
        ("ADDRESS(2,3,1,FALSE,\"EXCEL SHEET\")", "'EXCEL SHEET'!R2C3"), ("ADDRESS(2,3,4)", "C2"),
        ("ADDRESS(2,3,3)", "$C2"), ("ADDRESS(1,16384)", "$XFD$1"), ("ADDRESS(0,1)", VALUE),
        ("ADDRESS(1,1,5)", VALUE),
        ("ROWS(TRANSPOSE({1,2,3}))", 3.0), ("COLUMNS(TRANSPOSE({1;2}))", 2.0), ("ROWS({1,2,3;4,5,6})", 2.0),
        ("INDEX(TRANSPOSE({1,2;3,4}),1,2)", 3.0),
    ],
    # results joined with TEXTJOIN so that a whole array is compared in one value
    "dynamic arrays": [
        ("TEXTJOIN(\",\",,SORT({3;1;2}))", "1,2,3"), ("TEXTJOIN(\",\",,SORT({3;1;2},1,-1))", "3,2,1"),
        ("TEXTJOIN(\",\",,SORT({\"b\";2;TRUE;\"A\";1}))", "1,2,A,b,TRUE"),
        ("TEXTJOIN(\",\",,SORT({3,1,2},,,TRUE))", "1,2,3"),
        ("TEXTJOIN(\",\",,SORTBY({\"a\";\"b\";\"c\"},{3;1;2}))", "b,c,a"),
        ("TEXTJOIN(\",\",,SORTBY({\"a\",\"b\",\"c\"},{3,1,2},-1))", "a,c,b"),
        ("TEXTJOIN(\",\",,UNIQUE({1;2;2;\"a\";\"A\"}))", "1,2,a"),
        ("TEXTJOIN(\",\",,UNIQUE({1;2;2;3},,TRUE))", "1,3"), ("UNIQUE({1;1},,TRUE)", "#CALC!"),
        ("TEXTJOIN(\",\",,FILTER({1;2;3;4},{1;2;3;4}>2))", "3,4"),
        ("FILTER({1;2},{FALSE;FALSE},\"none\")", "none"), ("FILTER({1;2},{FALSE;FALSE})", "#CALC!"),
        ("FILTER({1;2},{TRUE;FALSE;TRUE})", VALUE),
        ("TEXTJOIN(\",\",,TAKE({1,2,3;4,5,6},-1))", "4,5,6"), ("TEXTJOIN(\",\",,TAKE({1,2,3;4,5,6},,2))", "1,2,4,5"),
        ("TEXTJOIN(\",\",,DROP({1,2,3;4,5,6},1,1))", "5,6"), ("DROP({1,2},1)", "#CALC!"),
        ("TEXTJOIN(\",\",,CHOOSECOLS({1,2,3;4,5,6},3,1))", "3,1,6,4"),
        ("TEXTJOIN(\",\",,CHOOSEROWS({1,2,3;4,5,6},-1))", "4,5,6"), ("CHOOSEROWS({1,2},2)", VALUE),
        ("INDEX(VSTACK({1,2},{3}),2,2)", NA), ("INDEX(VSTACK({1,2},{3,4}),2,1)", 3.0),
        ("INDEX(HSTACK({1;2},{3}),2,2)", NA), ("INDEX(HSTACK({1;2},{3;4}),1,2)", 3.0),
        ("TEXTJOIN(\",\",,TOCOL({1,2;3,4},,TRUE))", "1,3,2,4"), ("TEXTJOIN(\",\",,TOROW({1,2;3,4}))", "1,2,3,4"),
        ("HYPERLINK(\"http://example.com\",\"点这里\")", "点这里"),
        ("HYPERLINK(\"http://example.com\")", "http://example.com"),
    ],
}


@pytest.mark.parametrize("expr,expected", cases(CASES))
def test_lookup_function(expr, expected):
    check(expr, expected)


def test_choose_with_ranges():
    # corpus: bradbase_xlcalculator_tests_resources_choose.xlsx
    cells = {("S", "B1"): 1.0, ("S", "C1"): 2.0, ("S", "D1"): 3.0, ("S", "E1"): 4.0}
    assert calc("CHOOSE(3,B1:D1,E1,12)", cells) == 12.0
    assert calc("CHOOSE(2, B1:D1,E1,11)", cells) == 4.0


@pytest.mark.parametrize("expr,expected", [
    # MathNya/umya-spreadsheet issue_216.xlsx (Excel 16): a deleted range passed on
    ("COUNTIF(#REF!,1)", REF), ("INDEX(#REF!:#REF!,1,MATCH(1,#REF!,0))", REF), ("MATCH(1,#REF!,0)", REF),
    ("COUNTIFS(#REF!,1)", REF), ("SUMIF(#REF!,1)", REF), ("LOOKUP(1,#REF!)", REF),
    ("XLOOKUP(1,#REF!,{1})", REF), ("COUNTBLANK(#REF!)", REF),
    # MathNya pr_204.xlsx, tafia/calamine errors.xlsx: the search runs before the column number
    # is checked, so a value not found is #N/A even with column 0
    ("VLOOKUP(0,{1,0},0)", NA), ("VLOOKUP(1,{1,0},0)", VALUE),
    ("INDEX({1,2,3},1,0,2)", REF),  # IronCalc INDEX.xlsx: an array has one area
])
def test_errors_in_place_of_a_range_propagate(expr, expected):
    check(expr, expected)


_TABLE = {("S", "A1"): 1.0, ("S", "B1"): "one", ("S", "A2"): 2.0, ("S", "B2"): "two"}


@pytest.mark.parametrize("expr,expected", [
    # Microsoft, "#REF! error": a formula that refers to a cell that is not valid (deleted, or on
    # a sheet that is not there) is #REF!, and an error value given to a function is its result
    # (Microsoft, "Detect errors in formulas": one error value ripples into every formula that
    # uses it).  The lookup value, the table and every other argument of a lookup pass it on.
    ("VLOOKUP(#REF!,A1:B2,2,FALSE)", REF), ("VLOOKUP(1,#REF!,2,FALSE)", REF),
    ("VLOOKUP(1,Gone!A1:B2,2,FALSE)", REF), ("VLOOKUP(1,A1:B2,#REF!,FALSE)", REF),
    ("VLOOKUP(1,A1:B2,2,NA())", NA), ("VLOOKUP(NA(),A1:B2,2,FALSE)", NA),
    ("HLOOKUP(#REF!,A1:B2,2,FALSE)", REF), ("HLOOKUP(1,#REF!,2,FALSE)", REF),
    ("HLOOKUP(1,Gone!A1:B2,2,FALSE)", REF), ("HLOOKUP(1/0,A1:B2,2,FALSE)", "#DIV/0!"),
    ("MATCH(#REF!,A1:A2,0)", REF), ("MATCH(1,Gone!A1:A2,0)", REF), ("MATCH(1,A1:A2,1/0)", "#DIV/0!"),
    ("INDEX(#REF!,1,1)", REF), ("INDEX(Gone!A1:B2,1,1)", REF), ("INDEX(A1:B2,#REF!,1)", REF),
    ("INDEX(A1:B2,1,NA())", NA),
    # the conditional counts and sums: an error range argument is the result, not a count of 0
    ("COUNTIF(Gone!A1:A2,1)", REF), ("COUNTIFS(A1:A2,1,#REF!,1)", REF), ("SUMIF(A1:A2,1,#REF!)", REF),
    ("SUMIFS(A1:A2,#REF!,1)", REF), ("SUMIFS(#REF!,A1:A2,1)", REF), ("AVERAGEIF(#REF!,1)", REF),
    ("AVERAGEIFS(A1:A2,#REF!,1)", REF), ("MAXIFS(#REF!,A1:A2,1)", REF), ("MINIFS(A1:A2,#REF!,1)", REF),
    ("COUNTIF(#N/A,1)", NA), ("COUNTIF(1/0,1)", "#DIV/0!"),
    # the database functions likewise: the database or the criteria range deleted
    ("DSUM(#REF!,1,A1:A2)", REF), ("DCOUNT(A1:B2,1,#REF!)", REF), ("DGET(Gone!A1:B2,1,A1:A2)", REF),
    # a reference whose sheet was deleted, as Excel writes it in a defined name (#REF!A1): the
    # reference is #REF! (ERROR.TYPE 4), whatever the function
    ("VLOOKUP(1,#REF!A1:B2,2,FALSE)", REF), ("COUNTIF(#REF!$A:$A,1)", REF), ("SUM(#REF!1:2)", REF),
    ("ERROR.TYPE(#REF!A1)", 4.0), ("ISREF(#REF!A1)", False),
])
def test_an_error_argument_of_a_lookup_or_a_conditional_count_is_the_result(expr, expected):
    check(expr, expected, _TABLE)


def test_countif_counts_the_cells_holding_the_error_it_is_given():
    # the error propagation above is of the range argument only: an error given as COUNTIF's
    # criteria is a value to compare, the Excel idiom COUNTIF(range,#N/A) counting the #N/A cells
    from xladdin.engine import ErrorValue
    cells = {("S", "A1"): ErrorValue("#N/A"), ("S", "A2"): 2.0, ("S", "A3"): ErrorValue("#DIV/0!")}
    check("COUNTIF(A1:A3,NA())", 1.0, cells)
    check("COUNTIF(A1:A3,A3)", 1.0, cells)


@pytest.mark.parametrize("expr,expected", [
    # approximate search bisects (Microsoft, VLOOKUP: "the values in the first column of
    # table_array must be placed in ascending sort order; otherwise, VLOOKUP may not give the
    # correct value"): on {1,5,2,3,4} the middle value 2 sends the search right, to the 3
    ("MATCH(3,{1,5,2,3,4},1)", 4.0), ("LOOKUP(3,{1,5,2,3,4},{10,50,20,30,40})", 30.0),
    ("VLOOKUP(3,{1,\"a\";5,\"e\";2,\"b\";3,\"c\";4,\"d\"},2,TRUE)", "c"),
    # a text in the middle is stepped over to the next number
    ("MATCH(9.99E+307,{1,\"x\",3,\"y\"})", 3.0),
    # equal values: the last of the run
    ("MATCH(2,{1,2,2,2,3})", 4.0),
    # r/excel, "Learning MATCH function but confused with match_type =1": on 3000, 2000, 1000
    # Excel's MATCH(…,1) gives 3 for 2100 (the middle 2000 sends the search right, to 1000) and
    # #N/A for 1500 (left, to 3000); on 1000 … 11000 it finds 3500 after 3000
    ("MATCH(2100,{3000,2000,1000},1)", 3.0), ("MATCH(1500,{3000,2000,1000},1)", NA),
    ("MATCH(3500,{1000,2000,3000,4000,5000,6000,7000,8000,9000,10000,11000},1)", 3.0),
    # PHPOffice/PhpSpreadsheet issue 51: Excel gives 17 (the bisection ends on the last 1)
    ("MATCH(MAX({0,0,0,1,0,0,0,2,0,0,0,0,0,0,1,0,0}),{0,0,0,1,0,0,0,2,0,0,0,0,0,0,1,0,0})", 17.0),
    # MATCH -1 does not bisect: it reads forward and stops at the first value below the target
    # (ClosedXML pull request 2522, checked against Excel; PhpSpreadsheet issue 1116), the
    # smallest value >= 3.5 of 10 … 1 is the 7th (formualizer issue 320, Excel's answer)
    ("MATCH(3.5,{10,9,8,7,6,5,4,3,2,1},-1)", 7.0), ("MATCH(5,{9,1,8,7,6},-1)", 1.0),
])
def test_approximate_lookups_bisect_as_excel(expr, expected):
    check(expr, expected)


@pytest.mark.parametrize("expr,expected", [
    # Microsoft, WorksheetFunction.VLookup / .HLookup: "If col_index_num [row_index_num] is less
    # than 1, ... returns the #VALUE! error value; if ... greater than the number of columns
    # [rows] in table_array, ... the #REF! error value"; [MS-OI29500] 2.1.961: Office truncates
    # the index to an integer.  (Issue 17 asked #N/A of VLOOKUP(…,0): that is Excel's answer only
    # when the value is not found, see test_errors_in_place_of_a_range_propagate.)
    ("VLOOKUP(1,A1:B2,0,FALSE)", VALUE), ("VLOOKUP(1,A1:B2,-1,FALSE)", VALUE),
    ("VLOOKUP(1,A1:B2,0.5,FALSE)", VALUE), ("VLOOKUP(1,A1:B2,3,FALSE)", REF),
    ("VLOOKUP(1,A1:B2,2.9,FALSE)", "one"),
    ("HLOOKUP(1,{1,2;3,4},0,FALSE)", VALUE), ("HLOOKUP(1,{1,2;3,4},-1,FALSE)", VALUE),
    ("HLOOKUP(1,{1,2;3,4},3,FALSE)", REF), ("HLOOKUP(1,{1,2;3,4},2.9,FALSE)", 3.0),
])
def test_lookup_index_numbers_out_of_the_table(expr, expected):
    check(expr, expected, _TABLE)


def test_a_filled_down_match_reads_its_range_once_and_finds_every_row():
    # MATCH(A2,P!$A$1:$A$6,0) filled down: the same cached range in every row (its values as
    # a list are kept with it); a two-dimensional range is #N/A in every row, not only the first
    from xladdin import engine

    params = {("P", f"A{r}"): code for r, code in enumerate(["甲", "乙", "丙", "丁", "甲", "戊"], 1)}
    params.update({("P", f"B{r}"): float(r) for r in range(1, 7)})
    lookups = ["丁", "甲", "戊", "己", "乙", "丙"]
    cells = {**params, **{("S", f"A{r}"): code for r, code in enumerate(lookups, 2)}}
    formulas = {("S", f"B{r}"): f"MATCH(A{r},P!$A$1:$A$6,0)" for r in range(2, 8)}
    formulas.update({("S", f"C{r}"): f"MATCH(A{r},P!$A$1:$B$6,0)" for r in range(2, 8)})
    formulas.update({("S", f"D{r}"): f"LOOKUP(B{r},P!$B$1:$B$6,P!$A$1:$A$6)" for r in range(2, 8)})
    got = engine.calculate(cells, formulas).values
    assert [got[("S", f"B{r}")] for r in range(2, 8)] == [4.0, 1.0, 6.0, NA, 2.0, 3.0]
    assert all(got[("S", f"C{r}")] == NA for r in range(2, 8))
    assert [got[("S", f"D{r}")] for r in range(2, 8)] == ["丁", "甲", "戊", NA, "乙", "丙"]
