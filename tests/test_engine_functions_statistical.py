"""Statistical functions and conditional aggregates.  Sources: Microsoft's function pages
(support.microsoft.com, "Example" tables; rounded results are `shown`) and workbooks saved by
Excel in the corpus (file named in the comment)."""

import pytest

from function_checks import DIV0, NA, NUM, VALUE, calc, cases, check, shown

TENSILE = "{1345,1301,1368,1322,1310,1370,1318,1350,1303,1299}"
KNOWN_Y, KNOWN_X = "{2,3,9,1,8,7,5}", "{6,5,11,7,5,4,4}"
SALES = ("{133890,135000,135790,137300,138130,139100,139900,141120,141890,143230,144000,145290}",
         "{1,2,3,4,5,6,7,8,9,10,11,12}")

CASES = {
    "averages & counts": [
        ("AVERAGEA({10,7,9,2})", 7.0), ("AVERAGE(10,7,9,27,2)", 11.0), ("AVERAGE({\"a\"})", DIV0),
        ("AVERAGEA(1,TRUE)", 1.0), ("MAXA(-1,FALSE)", 0.0), ("MINA(2,TRUE)", 1.0),
        ("MEDIAN({1,2,3,4,5,6})", 3.5), ("MEDIAN(1,2,3,4,5)", 3.0),
        ("COUNT(1,\"2\",\"x\",TRUE)", 3.0), ("COUNTA(1,\"\",FALSE)", 3.0),
        ("GEOMEAN({4,5,8,7,11,4,3})", shown("5.476987")), ("GEOMEAN(1,-1)", NUM),
        ("HARMEAN({4,5,8,7,11,4,3})", shown("5.028376")),
        ("TRIMMEAN({4,5,6,7,2,3,4,5,1,2,3},0.2)", shown("3.777777778")),
        ("MODE({5.6,4,4,3,2,4})", 4.0), ("MODE({1,2,3})", NA), ("MODE.SNGL(1,2,2,1)", 1.0),
        ("ROWS(MODE.MULT({1,2,3,4,3,2,1,2,3}))", 2.0),
    ],
    "dispersion": [
        ("STDEV(%s)" % TENSILE, shown("27.46391572")), ("STDEV.S(%s)" % TENSILE, shown("27.46391572")),
        ("STDEVP(%s)" % TENSILE, shown("26.05455814")), ("STDEV.P(%s)" % TENSILE, shown("26.05455814")),
        ("VAR(%s)" % TENSILE, shown("754.2666667")), ("VAR.S(%s)" % TENSILE, shown("754.2666667")),
        ("VARP(%s)" % TENSILE, shown("678.84")), ("VAR.P(%s)" % TENSILE, shown("678.84")),
        ("STDEV(1)", DIV0), ("VARA(1,TRUE)", 0.0),
        ("AVEDEV({4,5,6,7,5,4,3})", shown("1.020408163")), ("DEVSQ({4,5,8,7,11,4,3})", 48.0),
        ("KURT({3,4,5,2,3,4,5,6,4,7})", shown("-0.151799637")),
        ("SKEW({3,4,5,2,3,4,5,6,4,7})", shown("0.359543071")),
        ("STANDARDIZE(42,40,1.5)", shown("1.33333333")), ("STANDARDIZE(42,40,0)", NUM),
    ],
    "order statistics": [
        ("LARGE({3,5,3,5,4;4,2,4,6,7},3)", 5.0), ("LARGE({3,5,3,5,4;4,2,4,6,7},7)", 4.0),
        ("SMALL({3,4,5,2,3,4,6,4,7},4)", 4.0), ("SMALL({1,2},3)", NUM),
        ("PERCENTILE({1,3,2,4},0.3)", 1.9), ("PERCENTILE.INC({1,3,2,4},0.3)", 1.9), ("PERCENTILE({1},2)", NUM),
        ("PERCENTILE.EXC({1,2,3,6,6,6,7,8,9},0.25)", 2.5), ("PERCENTILE.EXC({1,2,3,6,6,6,7,8,9},0)", NUM),
        ("PERCENTILE.EXC({1,2,3,6,6,6,7,8,9},0.01)", NUM),
        ("QUARTILE({1,2,4,7,8,9,10,12},1)", 3.5), ("QUARTILE.INC({1,2,4,7,8,9,10,12},1)", 3.5),
        ("QUARTILE.EXC({6,7,15,36,39,40,41,42,43,47,49},1)", 15.0),
        ("QUARTILE.EXC({6,7,15,36,39,40,41,42,43,47,49},3)", 43.0), ("QUARTILE({1,2},5)", NUM),
        ("PERCENTRANK({13,12,11,8,4,3,2,1,1,1},2)", 0.333), ("PERCENTRANK({13,12,11,8,4,3,2,1,1,1},4)", 0.555),
        ("PERCENTRANK({13,12,11,8,4,3,2,1,1,1},8)", 0.666), ("PERCENTRANK({13,12,11,8,4,3,2,1,1,1},5)", 0.583),
        ("PERCENTRANK.EXC({1,2,3,6,6,6,7,8,9},7)", 0.7), ("PERCENTRANK.EXC({1,2,3,6,6,6,7,8,9},5.43)", 0.381),
        ("PERCENTRANK.EXC({1,2,3,6,6,6,7,8,9},5.43,1)", 0.3), ("PERCENTRANK({1,2},3)", NA),
        ("RANK.AVG(94,{89,88,92,101,94,97,95})", 4.0), ("RANK(7,{7,3.5,3.5,1,2},1)", 5.0),
        ("RANK(2,{7,3.5,3.5,1,2})", 4.0), ("RANK.EQ(3.5,{7,3.5,3.5,1,2})", 2.0),
        ("RANK.AVG(3.5,{7,3.5,3.5,1,2})", 2.5), ("RANK(9,{7,3.5,3.5,1,2})", NA),
        ("INDEX(FREQUENCY({79,85,78,85,50,81,95,88,97},{70,79,89}),1)", 1.0),
        ("INDEX(FREQUENCY({79,85,78,85,50,81,95,88,97},{70,79,89}),2)", 2.0),
        ("INDEX(FREQUENCY({79,85,78,85,50,81,95,88,97},{70,79,89}),3)", 4.0),
        ("INDEX(FREQUENCY({79,85,78,85,50,81,95,88,97},{70,79,89}),4)", 2.0),
        ("PERMUT(100,3)", 970200.0), ("PERMUT(3,2)", 6.0),
    ],
    "two variables": [
        ("CORREL({3,2,4,5,6},{9,7,12,15,17})", shown("0.997054486")),
        ("PEARSON({9,7,5,3,1},{10,6,1,5,3})", shown("0.699379")), ("CORREL({1,1},{2,3})", DIV0),
        ("CORREL({1,2},{1,2,3})", NA),
        ("SLOPE(%s,%s)" % (KNOWN_Y, KNOWN_X), shown("0.305556")),
        ("INTERCEPT({2,3,9,1,8},{6,5,11,7,5})", shown("0.0483871")),
        ("RSQ(%s,%s)" % (KNOWN_Y, KNOWN_X), shown("0.05795")), ("STEYX(%s,%s)" % (KNOWN_Y, KNOWN_X), shown("3.305719")),
        ("FORECAST(30,{6,7,9,15,21},{20,28,31,38,40})", shown("10.607253")),
        ("FORECAST.LINEAR(30,{6,7,9,15,21},{20,28,31,38,40})", shown("10.607253")),
        ("FORECAST(30,{6,7,9},{20,28})", NA), ("SLOPE({1,2,3},{5,5,5})", DIV0),
        ("COVARIANCE.P({3,2,4,5,6},{9,7,12,15,17})", 5.2), ("COVAR({3,2,4,5,6},{9,7,12,15,17})", 5.2),
        ("COVARIANCE.S({2,4,8},{5,11,12})", shown("9.666666667")),
    ],
    "LINEST/TREND": [
        ("INDEX(LINEST({1,9,5,7},{0,4,2,3}),1)", 2.0), ("INDEX(LINEST({1,9,5,7},{0,4,2,3}),2)", 1.0),
        # a constant x: Excel drops the collinear column (coefficient 0), the intercept is the mean
        ("INDEX(LINEST({1,2,3},{5,5,5}),1)", 0.0), ("INDEX(LINEST({1,2,3},{5,5,5}),2)", 2.0),
        ("INDEX(TREND({1,2,3},{5,5,5},{7}),1)", 2.0),
        ("INDEX(LINEST({3100,4500,4400,5400,7500,8100},{1,2,3,4,5,6},TRUE,TRUE),3,1)", shown("0.93")),
        # Microsoft (LINEST): the statistics rows beyond their two values hold #N/A
        ("INDEX(LINEST({1;2;3;5},{1,0;2,1;3,0;4,1},TRUE,TRUE),3,3)", NA),
        ("INDEX(TREND(%s,%s,{13,14,15,16,17}),1)" % SALES, shown("146172")),
        ("INDEX(TREND(%s,%s,{13,14,15,16,17}),5)" % SALES, shown("150244")),
        ("INDEX(TREND(%s,%s),1)" % SALES, shown("133953")),
        ("INDEX(LINEST({1,2,3},{1,2}),1)", "#REF!"),
    ],
    "normal distribution": [
        ("NORM.DIST(42,40,1.5,TRUE)", shown("0.9087888")), ("NORM.DIST(42,40,1.5,FALSE)", shown("0.10934005")),
        ("NORMDIST(42,40,1.5,TRUE)", shown("0.9087888")), ("NORM.DIST(42,40,0,TRUE)", NUM),
        ("NORM.INV(0.908789,40,1.5)", shown("42.000002")), ("NORM.S.INV(0.908789)", shown("1.3333")),
        ("NORM.S.DIST(1.333333,TRUE)", shown("0.908788726")), ("NORMSDIST(1.333333)", shown("0.908788726")),
        ("NORM.INV(1,0,1)", NUM),
    ],
    "conditional aggregates": [
        ("COUNTIFS({1,2,3},\">1\",{\"a\",\"b\",\"b\"},\"b\")", 2.0), ("COUNTIFS({1,2},\">1\",{1,2,3},1)", VALUE),
        ("SUMIFS({5,4,15,3,22,12},{\"Apples\",\"Apples\",\"Artichokes\",\"Artichokes\",\"Bananas\",\"Bananas\"},"
         "\"=A*\",{\"Tom\",\"Sarah\",\"Tom\",\"Sarah\",\"Tom\",\"Sarah\"},\"Tom\")", 20.0),
        ("SUMIFS({5,4,15,3,22,12},{\"Apples\",\"Apples\",\"Artichokes\",\"Artichokes\",\"Bananas\",\"Bananas\"},"
         "\"<>Bananas\",{\"Tom\",\"Sarah\",\"Tom\",\"Sarah\",\"Tom\",\"Sarah\"},\"Tom\")", 20.0),
        ("MAXIFS({89,93,96,85,91,88},{1,2,2,3,1,1},1)", 91.0), ("MINIFS({89,93,96,85,91,88},{1,2,2,3,1,1},1)", 88.0),
        ("MAXIFS({1,2},{1,2},3)", 0.0), ("AVERAGEIFS({1,2},{1,2},3)", DIV0),
        # an array of criteria gives one result per criterion (Excel 365 lifting)
        ("SUM(COUNTIF({\"a\",\"b\",\"a\",\"c\"},{\"a\",\"b\"}))", 3.0),
        ("SUM(COUNTIFS({\"a\",\"b\",\"a\",\"c\"},{\"a\",\"b\"}))", 3.0),
        ("SUM(SUMIFS({1,2,3,4},{\"a\",\"b\",\"a\",\"c\"},{\"a\",\"b\"}))", 6.0),
    ],
}


@pytest.mark.parametrize("expr,expected", cases(CASES))
def test_statistical_function(expr, expected):
    check(expr, expected)


def test_averagea_counts_text_and_booleans_in_ranges():
    # Microsoft (AVERAGEA): text in a range counts as 0, TRUE as 1, blanks are skipped
    cells = {("S", "A1"): 10.0, ("S", "A2"): 7.0, ("S", "A3"): 9.0, ("S", "A4"): 2.0,
             ("S", "A5"): "Not available"}
    assert calc("AVERAGEA(A1:A5)", cells) == 5.6
    assert calc("AVERAGEA(A1:A4,A6)", cells) == 7.0
    assert calc("AVERAGE(A1:A5)", cells) == 7.0


@pytest.mark.parametrize("expr,expected", [
    # Microsoft (AVERAGEA): "Array or reference arguments that contain text evaluate as 0
    # (zero). Empty text ("") evaluates as 0"; "Arguments that contain TRUE evaluate as 1;
    # arguments that contain FALSE evaluate as 0"; typed in the list, a logical value counts
    # and text that is not a number is an error
    ('AVERAGEA({1,"a",TRUE})', 2 / 3), ('AVERAGEA({10,"x",TRUE})', 11 / 3), ('AVERAGEA({TRUE,FALSE})', 0.5), ('AVERAGEA({""})', 0.0),
    ('AVERAGEA(1,TRUE,FALSE)', 2 / 3), ('AVERAGEA(1,"2",TRUE)', 4 / 3), ('AVERAGEA(1,"a")', VALUE),
])
def test_averagea_of_arrays_with_text_and_logical_values(expr, expected):
    check(expr, expected)


def test_averagea_of_a_range_with_text_true_false_and_empty_text():
    cells = {("S", "C1"): True, ("S", "C2"): "x", ("S", "C3"): "", ("S", "C4"): 3.0, ("S", "C5"): "5",
             ("S", "C6"): False}
    assert calc("AVERAGEA(C1:C7)", cells) == pytest.approx(4 / 6, rel=1e-15)  # C7 blank: skipped


def test_rank_over_a_range():
    cells = {("S", "A%d" % k): v for k, v in enumerate([7.0, 3.5, 3.5, 1.0, 2.0], 1)}
    assert calc("RANK(A3,A1:A5,1)", cells) == 3.0    # Microsoft: RANK
    assert calc("RANK(A2,A1:A5,1)", cells) == 3.0


def test_aggregate_by_code_for_subtotal():
    # SUBTOTAL's function numbers (Microsoft: SUBTOTAL) over ranges the core has filtered
    from xladdin.engine.functions import aggregate_by_code
    from xladdin.engine.values import Arr
    data = [Arr(((120.0,), (10.0,), (150.0,), (23.0,), ("x",)), ref=True)]
    assert aggregate_by_code(9, data) == 303.0
    assert aggregate_by_code(109, data) == 303.0
    assert aggregate_by_code(1, data) == 75.75
    assert aggregate_by_code(2, data) == 4.0
    assert aggregate_by_code(3, data) == 5.0
    assert aggregate_by_code(4, data) == 150.0
    assert aggregate_by_code(5, data) == 10.0
    assert aggregate_by_code(6, data) == 120.0 * 10 * 150 * 23
    assert aggregate_by_code(7, data) == pytest.approx(69.70592992)   # STDEV
    assert aggregate_by_code(8, data) == pytest.approx(60.36710611)   # STDEVP
    assert aggregate_by_code(10, data) == pytest.approx(4858.916667, rel=1e-9)
    assert aggregate_by_code(11, data) == pytest.approx(3644.1875)
    assert aggregate_by_code(12, data) == VALUE
