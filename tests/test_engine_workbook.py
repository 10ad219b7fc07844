"""A finance bureau recalculates a department's workbook without Excel.

The workbook below is written the way a department writes one: catalogue
functions inside IF/ROUND/SUM, cross-sheet references to a sheet with a Chinese
name (quoted and unquoted), defined names (cells and ranges, global and
sheet-local), ranges and array constants.  Expected values are derived by hand.
"""
import pytest

from xladdin.engine import ErrorValue, calculate
from xladdin.engine.catalogue import engine_catalogue

BASE, SCORE = "基础数据", "评分表"
SHEETS = [SCORE, BASE]

NAMES = {
    "procurement_planned": "基础数据!$C$5",
    "procurement_actual": "'基础数据'!$C$6",
    "weights": "基础数据!$F$10:$F$12",
    "评分表!full_marks": "10",            # sheet-local constant
}

FORMULAS = {
    (SCORE, "D5"): "SCORE_RATIO(procurement_actual,procurement_planned,5)",
    (SCORE, "D6"): "IF(基础数据!C8=\"\",0,ROUND(SCORE_RATIO(基础数据!C8,'基础数据'!C7,full_marks),1))",
    (SCORE, "D7"): "SUM(D5:D6,SCORE_RATIO(1,2,4))",
    (SCORE, "D8"): "SUMPRODUCT(基础数据!E10:E12,{0.5;0.3;0.2})",
    (SCORE, "D9"): "SUM(weights)*100",
    (SCORE, "D10"): "IFERROR(SCORE_RATIO(基础数据!C9,基础数据!C7,5),\"待填写\")",
    (SCORE, "D11"): "TEXT(D7,\"0.00\")&\"分\"",
    (SCORE, "D12"): "ISERROR(SCORE_RATIO(1,0,5))",
    (SCORE, "D13"): "SCORE_RATIO(1,0,5)",
    (SCORE, "D14"): "SUM(D12:D13)",
    (SCORE, "D15"): "IF(D7>=15,\"良好\",\"一般\")&\"（\"&TEXT(D7/20,\"0.0%\")&\"）\"",
    (SCORE, "D16"): "COUNTIF(基础数据!E10:E12,\">=90\")+SUMIF(基础数据!E10:E12,\"<90\",基础数据!F10:F12)",
    (SCORE, "D17"): "ROUNDDOWN(AVERAGE(基础数据!E10:E12)*MAX(weights),2)",
    (SCORE, "E5"): "SUM(D5:D8)",   # D5..D8 are computed first, whatever the order given
}

CELLS = {
    (BASE, "C5"): 200000.0,
    (BASE, "C6"): 150000.0,
    (BASE, "C7"): 1000000.0,
    (BASE, "C8"): 950000.0,
    # C9 left blank on purpose
    (BASE, "E10"): 80.0, (BASE, "E11"): 90.0, (BASE, "E12"): 100.0,
    (BASE, "F10"): 0.5, (BASE, "F11"): 0.3, (BASE, "F12"): 0.2,
}


def _values(cells, formulas=FORMULAS, names=NAMES, sheets=SHEETS):
    r = calculate(cells, formulas, names, sheets)
    assert r.problems == [], r.messages()
    return r.values


def test_department_workbook_recomputes_to_hand_derived_values():
    r = _values(CELLS)
    assert r[(SCORE, "D5")] == 3.75                 # 150000/200000 * 5
    assert r[(SCORE, "D6")] == 9.5                  # 0.95 * 10, ROUND(...,1)
    assert r[(SCORE, "D7")] == 15.25                # 3.75 + 9.5 + 2
    assert r[(SCORE, "D8")] == pytest.approx(87.0)  # 80*.5 + 90*.3 + 100*.2
    assert r[(SCORE, "D9")] == pytest.approx(100.0)
    assert r[(SCORE, "D10")] == "待填写"             # blank input -> #N/A -> IFERROR
    assert r[(SCORE, "D11")] == "15.25分"
    assert r[(SCORE, "D12")] is True
    assert r[(SCORE, "D13")] == "#DIV/0!" and isinstance(r[(SCORE, "D13")], ErrorValue)
    assert r[(SCORE, "D14")] == "#DIV/0!"           # an error in SUM's range propagates
    assert r[(SCORE, "D15")] == "良好（76.3%）"       # 15.25/20 = 0.7625 -> 76.3% (half-up)
    assert r[(SCORE, "D16")] == 2 + 0.5
    assert r[(SCORE, "D17")] == 45.0                # 90 * 0.5
    assert r[(SCORE, "E5")] == pytest.approx(3.75 + 9.5 + 15.25 + 87.0)
    assert set(r) == set(FORMULAS)


def test_other_departments_inputs_give_their_own_results():
    cells = dict(CELLS)
    cells[(BASE, "C6")] = 250000.0      # over plan -> capped at full marks
    cells[(BASE, "C8")] = None          # not filled in -> IF gives 0
    r = _values(cells)
    assert r[(SCORE, "D5")] == 5.0
    assert r[(SCORE, "D6")] == 0.0
    assert r[(SCORE, "D7")] == 7.0
    # the first department's results are not affected by the second calculation
    assert _values(CELLS)[(SCORE, "D5")] == 3.75


def test_the_order_formulas_are_given_in_does_not_matter():
    reordered = dict(reversed(list(FORMULAS.items())))
    assert _values(CELLS, reordered, dict(NAMES), list(SHEETS)) == _values(CELLS)


# ---------------------------------------------------------------- catalogue calling convention

@pytest.fixture
def recording_catalogue(monkeypatch):
    """Extra functions in the add-in's catalogue (``udfs.CATALOGUE``), as the engine
    calls them; the log records the arguments each call received."""
    import udfs

    log = []

    def SCORE_PROBE(*args):
        log.append(args)
        return 1.0

    def SCORE_ERR(x):
        return "#N/A"

    def SCORE_BOOM(x):
        raise RuntimeError("boom")

    for fn in (SCORE_PROBE, SCORE_ERR, SCORE_BOOM):
        monkeypatch.setitem(udfs.CATALOGUE, fn.__name__, fn)
    engine_catalogue.cache_clear()
    yield log
    monkeypatch.undo()
    engine_catalogue.cache_clear()


def test_catalogue_functions_receive_python_values(recording_catalogue):
    formulas = {("S", "A1"): "SCORE_PROBE(B1,B2,B3,B4,C1:D2,{0.5,1.5,1},\"x\",TRUE,B5)"}
    cells = {("S", "B1"): 3, ("S", "B2"): "是", ("S", "B3"): None, ("S", "B4"): False,
             ("S", "C1"): 1.0, ("S", "D1"): None, ("S", "C2"): "a", ("S", "D2"): 2,
             ("S", "B5"): ErrorValue("#N/A")}
    assert _values(cells, formulas, {}, ["S"])[("S", "A1")] == 1.0
    (args,) = recording_catalogue
    assert args[:4] == (3.0, "是", None, False)
    assert type(args[0]) is float
    assert args[4] == [[1.0, None], ["a", 2.0]]          # a range: 2-D list of rows
    assert args[5] == [[0.5, 1.5, 1.0]]                   # an array constant too
    assert args[6:8] == ("x", True)
    assert args[8] == "#N/A" and isinstance(args[8], ErrorValue)   # errors are passed through


def test_catalogue_error_literals_become_real_errors(recording_catalogue):
    formulas = {("S", "A1"): "SCORE_ERR(1)", ("S", "A2"): "ISNA(A1)", ("S", "A3"): "A1+1",
                ("S", "A4"): "SCORE_BOOM(1)", ("S", "A5"): "IFERROR(SCORE_BOOM(1),-1)"}
    r = _values({}, formulas, {}, ["S"])
    assert isinstance(r[("S", "A1")], ErrorValue) and r[("S", "A1")] == "#N/A"
    assert r[("S", "A2")] is True
    assert r[("S", "A3")] == "#N/A"
    assert r[("S", "A4")] == "#VALUE!"          # a UDF that raises shows #VALUE!, as in Excel
    assert r[("S", "A5")] == -1.0


@pytest.mark.parametrize("written", [
    "SCORE_RATIO(1,4,10)",
    "_xldudf_SCORE_RATIO(1,4,10)",
    "udfs.SCORE_RATIO(1,4,10)",
    "'addin.xlam'!SCORE_RATIO(1,4,10)",
    "'C:\\Users\\财政局\\绩效评价.xlam'!SCORE_RATIO(1,4,10)",
    "[1]!SCORE_RATIO(1,4,10)",
    "_xll.SCORE_RATIO(1,4,10)",
    "score_ratio(1,4,10)",
])
def test_catalogue_names_in_every_form_excel_stores(written):
    assert _values({}, {("S", "A1"): written + "+0"}, {}, ["S"]) == {("S", "A1"): 2.5}


def test_an_addin_prefix_inside_a_string_is_left_alone():
    r = _values({}, {("S", "A1"): "\"'a.xlam'!SCORE_RATIO(1)\"&SCORE_RATIO(1,4,10)"}, {}, ["S"])
    assert r[("S", "A1")] == "'a.xlam'!SCORE_RATIO(1)2.5"


def test_the_real_catalogue_truncates_and_reports_errors():
    r = _values({}, {("S", "A1"): "SCORE_RATIO(2,3,10)", ("S", "A2"): "SCORE_RATIO(1,0,10)"}, {}, ["S"])
    assert r[("S", "A1")] == 6.66 and r[("S", "A2")] == "#DIV/0!"     # 2/3*10 truncated to 2 places


# ---------------------------------------------------------------- references

def test_sheet_names_are_case_insensitive_and_quotes_optional():
    formulas = {("Data Sheet", "A1"): "1", ("S", "A1"): "'data sheet'!A1+'Data Sheet'!$A$1",
                ("S", "A2"): "'It''s'!B2*2"}
    r = _values({("It's", "B2"): 4.0}, formulas, {}, ["S", "Data Sheet", "It's"])
    assert r[("S", "A1")] == 2.0 and r[("S", "A2")] == 8.0


def test_sheet_local_name_wins_over_global_and_qualified_names_work():
    names = {"rate": "S!$B$1", "S!rate": "S!$B$2", "T!rate": "S!$B$3"}
    formulas = {("S", "A1"): "rate", ("T", "A1"): "rate", ("U", "A1"): "rate",
                ("U", "A2"): "T!rate"}
    r = _values({("S", "B1"): 1.0, ("S", "B2"): 2.0, ("S", "B3"): 3.0}, formulas, names, ["S", "T", "U"])
    assert r[("S", "A1")] == 2.0 and r[("T", "A1")] == 3.0
    assert r[("U", "A1")] == 1.0 and r[("U", "A2")] == 3.0


def test_a_name_can_be_a_formula_or_refer_to_another_name():
    names = {"base": "S!$B$1", "double": "base*2", "pct": "=50%"}
    assert _values({("S", "B1"): 4.0}, {("S", "A1"): "double+pct"}, names, ["S"]) == {("S", "A1"): 8.5}


def test_an_undefined_name_keeps_only_its_own_cell():
    r = calculate({("S", "B1"): 4.0}, {("S", "A1"): "missing_rate*B1", ("S", "A2"): "B1*2"}, {}, ["S"])
    assert r.values == {("S", "A2"): 8.0}
    assert [(p.cell, p.kind) for p in r.problems] == [(("S", "A1"), "unknown_name")]


def test_whole_column_and_large_ranges():
    formulas = {("S", "A1"): "SUM(B:B)", ("S", "A2"): "SUM(C1:C500)", ("S", "C7"): "B2*10",
                ("S", "A3"): "COUNTA(2:2)"}
    cells = {("S", "B1"): 1.0, ("S", "B2"): 2.0, ("S", "B400"): 3.0, ("S", "C1"): 5.0}
    r = _values(cells, formulas, {}, ["S"])
    assert r[("S", "A1")] == 6.0
    assert r[("S", "A2")] == 25.0          # C1 + the formula C7
    assert r[("S", "A3")] == 2.0          # B2 and the formula A2


def test_blank_reference_is_zero_and_results_are_floats():
    r = _values({("S", "B2"): 7}, {("S", "A1"): "B1", ("S", "A2"): "B2", ("S", "A3"): "ISBLANK(A1)"}, {}, ["S"])
    assert r[("S", "A1")] == 0.0 and type(r[("S", "A1")]) is float
    assert r[("S", "A2")] == 7.0 and type(r[("S", "A2")]) is float
    assert r[("S", "A3")] is False          # A1 is a formula showing 0, not blank


def test_a_huge_range_is_clipped_to_the_used_cells():
    """Unclipped, SUM(B1:XFD1048576) would pass the engine's range limit and be kept."""
    r = _values({("S", "B1"): 1.0, ("S", "C50"): 2.0, ("S", "D3"): "x"},
                {("S", "A1"): "SUM(B1:XFD1048576)", ("S", "A2"): "COUNTA(C2:C1000000)"}, {}, ["S"])
    assert r[("S", "A1")] == 3.0 and r[("S", "A2")] == 1.0
