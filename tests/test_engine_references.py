"""How formulas read the sheet: implicit intersection, names, 3-D references, the reference
operators, references to other workbooks, tables, and the functions that give references.

Expected values are worked out by hand from Excel's documented behaviour (each test says
which rule); the Excel-saved corpus checks the same features against Excel's own results.
"""
import pytest

from xladdin.engine import calculate

S = "S"


def values(cells, formulas, names=None, sheets=(S,), **kw):
    result = calculate(cells, formulas, names or {}, list(sheets), **kw)
    return result.values, result.problems


COLUMN = {(S, "A1"): 10.0, (S, "A2"): 20.0, (S, "A3"): 30.0}


def test_a_range_in_an_ordinary_formula_is_intersected_with_the_formulas_row():
    # legacy formulas use implicit intersection: =A1:A3*2 in row 2 is A2*2; in row 5 there is
    # no cell of A1:A3 on the formula's row, so #VALUE!
    got, _ = values(COLUMN, {(S, "C2"): "A1:A3*2", (S, "C5"): "A1:A3*2", (S, "C3"): "@A1:A3"})
    assert got[(S, "C2")] == 40.0
    assert got[(S, "C5")] == "#VALUE!"
    assert got[(S, "C3")] == 30.0


def test_an_array_formula_computes_element_by_element_and_fills_its_range():
    # {=A1:A3*2} entered over C1:C3; a one-cell result over D1:D2 repeats; E1:E4 is past the end
    got, _ = values(COLUMN, {(S, "C1"): "A1:A3*2", (S, "D1"): "SUM(A1:A3*2)", (S, "E1"): "A1:A3"},
                    arrays={(S, "C1"): "C1:C3", (S, "D1"): "D1:D2", (S, "E1"): "E1:E4"})
    assert [got[(S, f"C{i}")] for i in (1, 2, 3)] == [20.0, 40.0, 60.0]
    assert got[(S, "D1")] == got[(S, "D2")] == 120.0
    assert got[(S, "E4")] == "#N/A"


def test_sumproduct_takes_arrays_without_being_an_array_formula():
    got, _ = values(COLUMN, {(S, "C1"): "SUMPRODUCT((A1:A3>15)*A1:A3)"})
    assert got[(S, "C1")] == 50.0


def test_a_defined_name_with_a_relative_reference_moves_with_the_formula():
    # a file stores a name's relative references as seen from A1: S!$A1 is "column A of the
    # formula's row"; "the cell to the left", defined from B1, is stored wrapped round as S!XFD1
    names = {"ROW_IN_A": "S!$A1", "LEFT_CELL": "S!XFD1"}
    got, _ = values({**COLUMN, (S, "B1"): 7.0}, {(S, "B2"): "ROW_IN_A*1", (S, "B3"): "ROW_IN_A+1",
                                                 (S, "C1"): "LEFT_CELL*2"}, names)
    assert got[(S, "B2")] == 20.0 and got[(S, "B3")] == 31.0
    assert got[(S, "C1")] == 14.0


def test_a_sheet_level_name_wins_over_the_workbook_level_one_on_its_sheet():
    names = {"RATE": "0.5", "T!RATE": "0.25"}
    got, _ = values({}, {(S, "A1"): "RATE*4", ("T", "A1"): "RATE*4"}, names, sheets=(S, "T"))
    assert got[(S, "A1")] == 2.0 and got[("T", "A1")] == 1.0


def test_a_3d_reference_spans_the_sheets_between():
    cells = {("一月", "B2"): 1.0, ("二月", "B2"): 2.0, ("三月", "B2"): 4.0}
    got, _ = values(cells, {("汇总", "B2"): "SUM(一月:三月!B2)"}, sheets=("汇总", "一月", "二月", "三月"))
    assert got[("汇总", "B2")] == 7.0


def test_the_union_and_intersection_operators():
    cells = {**COLUMN, (S, "B1"): 1.0, (S, "B2"): 2.0, (S, "B3"): 3.0}
    got, _ = values(cells, {(S, "D1"): "SUM((A1:A2,B3))", (S, "D2"): "A1:B3 A2:B2", (S, "D3"): "SUM(A1:B3 B2:B3)",
                            (S, "D4"): "A1:A3 B1:B3"})
    assert got[(S, "D1")] == 33.0
    assert got[(S, "D3")] == 5.0
    assert got[(S, "D4")] == "#NULL!"  # no cell in common


def test_a_reference_into_another_workbook_keeps_the_stored_value():
    got, problems = values({}, {(S, "A1"): "[1]Sheet1!A1+1"})
    assert (S, "A1") not in got
    assert problems[0].kind == "external" and "其他工作簿" in problems[0].message_zh


def test_offset_indirect_and_index_give_references():
    got, _ = values(COLUMN, {
        (S, "C1"): "SUM(OFFSET(A1,1,0,2,1))",      # A2:A3
        (S, "C2"): "INDIRECT(\"A\"&3)",              # A3
        (S, "C3"): "SUM(A1:INDEX(A1:A3,2))",         # A1:A2
        (S, "C4"): "INDIRECT(\"R1C1\",FALSE)",       # R1C1 style: A1
        (S, "C5"): "ROWS(OFFSET(A1,0,0,5,2))*10+COLUMNS(OFFSET(A1,0,0,5,2))",
        (S, "C6"): "OFFSET(A1,-1,0)",               # above row 1: #REF!
        (S, "C7"): "INDEX(A1:A3,4)",                # past the end: #REF!
    })
    assert [got[(S, f"C{i}")] for i in range(1, 6)] == [50.0, 30.0, 30.0, 10.0, 52.0]
    assert got[(S, "C6")] == "#REF!" and got[(S, "C7")] == "#REF!"


def test_subtotal_leaves_out_other_subtotals():
    cells = dict(COLUMN)
    formulas = {(S, "A4"): "SUBTOTAL(9,A1:A3)", (S, "A5"): "SUBTOTAL(9,A1:A4)", (S, "A6"): "SUM(A1:A4)"}
    got, _ = values(cells, formulas)
    assert got[(S, "A4")] == 60.0 and got[(S, "A5")] == 60.0 and got[(S, "A6")] == 120.0


def test_cell_isformula_and_formulatext():
    got, _ = values(COLUMN, {(S, "B1"): "A1*2", (S, "C1"): "ISFORMULA(B1)", (S, "C2"): "ISFORMULA(A1)",
                             (S, "C3"): "FORMULATEXT(B1)", (S, "C4"): "CELL(\"address\",A3)", (S, "C5"): "CELL(\"row\")"})
    assert got[(S, "C1")] is True and got[(S, "C2")] is False
    assert got[(S, "C3")] == "=A1*2" and got[(S, "C4")] == "$A$3" and got[(S, "C5")] == 5.0


def test_let_binds_names_for_its_last_argument():
    got, _ = values(COLUMN, {(S, "B1"): "LET(x,A1,y,A2,x*y+x)"})
    assert got[(S, "B1")] == 210.0


@pytest.mark.parametrize("formula, expected", [
    # Microsoft, "Floating-point arithmetic may give inaccurate results in Excel": a formula whose
    # last operation is + or - gives 0 for binary noise, =1*(...) keeps it
    ("0.5-0.4-0.1", 0.0),
    ("1*(0.5-0.4-0.1)", (0.5 - 0.4 - 0.1) * 1),
    ("-A9", 0.0),   # a blank negated is 0, never -0
])
def test_the_last_addition_or_subtraction(formula, expected):
    got, _ = values({}, {(S, "A1"): formula})
    assert got[(S, "A1")] == expected and str(got[(S, "A1")]) == str(expected)


def test_a_filled_down_exact_lookup_matches_as_excel_compares():
    """Exact VLOOKUP/MATCH down a column use one index per range; it must compare as Excel
    does: numbers to 15 significant digits (=0.1+0.2=0.3 is TRUE), text without case, and
    wildcards in the looked-up text."""
    table = {(S, "A1"): 0.3, (S, "B1"): "三", (S, "A2"): "Abc", (S, "B2"): "甲", (S, "A3"): True, (S, "B3"): "真"}
    keys = {(S, "D1"): "=0.1+0.2", (S, "D2"): "abc", (S, "D3"): True, (S, "D4"): "a*", (S, "D5"): 1.0}
    formulas = {(S, f"E{r}"): f"VLOOKUP(D{r},$A$1:$B$3,2,FALSE)" for r in range(1, 6)}
    formulas.update({(S, f"F{r}"): f"MATCH(D{r},$A$1:$A$3,0)" for r in range(1, 6)})
    formulas[(S, "D1")] = "0.1+0.2"
    got, _ = values({**table, **{k: v for k, v in keys.items() if k != (S, "D1")}}, formulas)
    assert [got[(S, f"E{r}")] for r in range(1, 6)] == ["三", "甲", "真", "甲", "#N/A"]
    assert [got[(S, f"F{r}")] for r in range(1, 6)] == [1.0, 2.0, 3.0, 2.0, "#N/A"]  # 1 is not TRUE


# Sheet S uses A1:A3 only (its used area ends at row 3, column A); the formulas, on sheet T,
# read past it.
PAST_THE_END = {(S, "A1"): 10.0, (S, "A2"): "", (S, "A3"): "x"}


def past_the_end(formulas):
    got, problems = values(PAST_THE_END, {("T", k): v for k, v in formulas.items()}, sheets=(S, "T"))
    assert not problems
    return {k: got[("T", k)] for k in formulas}


@pytest.mark.parametrize("formula, expected", [
    # Microsoft, COUNTBLANK: "Counts empty cells in a specified range of cells.  Cells with
    # formulas that return "" (empty text) are also counted": A2 and A4:A10
    ("COUNTBLANK(S!A1:A10)", 8.0),
    # Microsoft, COUNTIF: "" as the criterion counts the empty cells and the "" ones
    ("COUNTIF(S!A1:A10,\"\")", 8.0),
    ("COUNTIFS(S!A1:A10,\"\")", 8.0),
    # a range entirely below the used area: five empty cells
    ("COUNTBLANK(S!B5:B9)", 5.0),
    # to the right of the used area as well: 8 columns x 10 rows, A1 and A3 not empty
    ("COUNTBLANK(S!A1:H10)", 78.0),
    # 10,000 blank cells past the used area are still read (more may end at the used area)
    ("COUNTBLANK(S!A1:A10003)", 10001.0),
    # a range keeps its size as an array: 10 rows, and the third cell of A6:A10 is a blank
    # (0 when multiplied), not past the end
    ("ROWS(S!A1:A10*1)", 10.0),
    ("COLUMNS(S!A1:H10*1)", 8.0),
    ("INDEX(S!A6:A10*1,3)", 0.0),
    ("SUMPRODUCT((S!A1:A10=\"\")*1)", 8.0),
    ("SUMPRODUCT((S!A1:A10=\"\")*(S!B1:B10=\"\"))", 8.0),
    ("COUNTA(S!A1:A10)", 3.0),   # "" is a value to COUNTA
    ("SUM(S!A1:A10)", 10.0),
])
def test_a_range_past_the_used_area_keeps_its_blank_cells(formula, expected):
    assert past_the_end({"A1": formula}) == {"A1": expected}


def test_whole_columns_and_rows_and_very_long_ranges_still_read_the_used_cells():
    # A:A (rows 1..1048576), 1:1 (columns 1..16384) and A1:A500000 (most of it blank) end at
    # the used area for speed; what the used cells give is the same
    assert past_the_end({
        "A1": "SUM(S!A:A)", "A2": "COUNTA(S!A:A)", "A3": "COUNTIF(S!A:A,\"x\")", "A4": "SUM(S!1:1)",
        "A5": "SUM(S!A1:A500000)", "A6": "COUNTA(S!A1:XFD3)", "A7": "ROWS(S!A:A)",
    }) == {"A1": 10.0, "A2": 3.0, "A3": 1.0, "A4": 10.0, "A5": 10.0, "A6": 3.0, "A7": 1048576.0}
