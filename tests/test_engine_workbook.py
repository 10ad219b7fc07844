"""A finance bureau recalculates a department's workbook without Excel.

The workbook below is written the way a department writes one: catalogue
functions inside IF/ROUND/SUM, cross-sheet references to a sheet with a Chinese
name (quoted and unquoted), defined names (cells and ranges, global and
sheet-local), ranges and array constants.  Expected values are derived by hand.
"""
import pickle

import pytest

from xladdin.engine import (
    CompiledModel, ErrorValue, clear_cache, compile_workbook, recalculate, template_signature,
)

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


@pytest.fixture(scope="module")
def model():
    return compile_workbook(FORMULAS, NAMES, SHEETS)


def test_department_workbook_recomputes_to_hand_derived_values(model):
    r = model.evaluate(CELLS)
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
    assert not model.problems


def test_other_departments_inputs_give_their_own_results(model):
    cells = dict(CELLS)
    cells[(BASE, "C6")] = 250000.0      # over plan -> capped at full marks
    cells[(BASE, "C8")] = None          # not filled in -> IF gives 0
    r = model.evaluate(cells)
    assert r[(SCORE, "D5")] == 5.0
    assert r[(SCORE, "D6")] == 0.0
    assert r[(SCORE, "D7")] == 7.0
    # the first department's results are not affected by the second evaluation
    assert model.evaluate(CELLS)[(SCORE, "D5")] == 3.75


def test_recalculate_compiles_once_per_template():
    clear_cache()
    r1 = recalculate(CELLS, FORMULAS, NAMES, SHEETS)
    r2 = recalculate({**CELLS, (BASE, "C6"): 100000.0}, dict(FORMULAS), dict(NAMES), list(SHEETS))
    assert r1[(SCORE, "D5")] == 3.75 and r2[(SCORE, "D5")] == 2.5
    from xladdin import engine
    assert len(engine._CACHE) == 1


def test_template_signature_is_stable_and_sensitive():
    s1 = template_signature(FORMULAS, NAMES, SHEETS)
    assert s1 == template_signature(dict(reversed(list(FORMULAS.items()))), NAMES, SHEETS)
    changed = {**FORMULAS, (SCORE, "D5"): "1"}
    assert template_signature(changed, NAMES, SHEETS) != s1


def test_compiled_model_survives_pickling_for_worker_processes(model):
    clone = pickle.loads(pickle.dumps(model))
    assert isinstance(clone, CompiledModel)
    assert clone.evaluate(CELLS) == model.evaluate(CELLS)


def test_input_cells_lists_what_the_model_reads(model):
    assert (BASE, "C5") in model.input_cells
    assert (SCORE, "D5") not in model.input_cells


# ---------------------------------------------------------------- catalogue calling convention

def _recording_catalogue(log):
    def SCORE_PROBE(*args):
        log.append(args)
        return 1.0

    def SCORE_ERR(x):
        return "#N/A"

    def SCORE_BOOM(x):
        raise RuntimeError("boom")

    return {"SCORE_PROBE": SCORE_PROBE, "SCORE_ERR": SCORE_ERR, "SCORE_BOOM": SCORE_BOOM}


def test_catalogue_functions_receive_python_values():
    log = []
    formulas = {("S", "A1"): "SCORE_PROBE(B1,B2,B3,B4,C1:D2,{0.5,1.5,1},\"x\",TRUE,B5)"}
    cells = {("S", "B1"): 3, ("S", "B2"): "是", ("S", "B3"): None, ("S", "B4"): False,
             ("S", "C1"): 1.0, ("S", "D1"): None, ("S", "C2"): "a", ("S", "D2"): 2,
             ("S", "B5"): ErrorValue("#N/A")}
    m = compile_workbook(formulas, {}, ["S"], catalogue=_recording_catalogue(log))
    assert m.evaluate(cells)[("S", "A1")] == 1.0
    (args,) = log
    assert args[:4] == (3.0, "是", None, False)
    assert type(args[0]) is float
    assert args[4] == [[1.0, None], ["a", 2.0]]          # a range: 2-D list of rows
    assert args[5] == [[0.5, 1.5, 1.0]]                   # an array constant too
    assert args[6:8] == ("x", True)
    assert args[8] == "#N/A" and isinstance(args[8], ErrorValue)   # errors are passed through


def test_catalogue_error_literals_become_real_errors():
    formulas = {("S", "A1"): "SCORE_ERR(1)", ("S", "A2"): "ISNA(A1)", ("S", "A3"): "A1+1",
                ("S", "A4"): "SCORE_BOOM(1)", ("S", "A5"): "IFERROR(SCORE_BOOM(1),-1)"}
    m = compile_workbook(formulas, {}, ["S"], catalogue=_recording_catalogue([]))
    r = m.evaluate({})
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
    m = compile_workbook({("S", "A1"): written + "+0"}, {}, ["S"])
    assert m.evaluate({})[("S", "A1")] == 2.5
    assert not m.problems


def test_an_addin_prefix_inside_a_string_is_left_alone():
    m = compile_workbook({("S", "A1"): "\"'a.xlam'!SCORE_RATIO(1)\"&SCORE_RATIO(1,4,10)"}, {}, ["S"])
    assert m.evaluate({})[("S", "A1")] == "'a.xlam'!SCORE_RATIO(1)2.5"


def test_stand_in_when_catalogue_is_injected():
    from xladdin.engine import _STANDIN_CATALOGUE
    m = compile_workbook({("S", "A1"): "SCORE_RATIO(2,3,10)", ("S", "A2"): "SCORE_RATIO(1,0,10)"},
                         {}, ["S"], catalogue=_STANDIN_CATALOGUE)
    r = m.evaluate({})
    assert r[("S", "A1")] == 6.66 and r[("S", "A2")] == "#DIV/0!"


# ---------------------------------------------------------------- references

def test_sheet_names_are_case_insensitive_and_quotes_optional():
    formulas = {("Data Sheet", "A1"): "1", ("S", "A1"): "'data sheet'!A1+'Data Sheet'!$A$1",
                ("S", "A2"): "'It''s'!B2*2"}
    m = compile_workbook(formulas, {}, ["S", "Data Sheet", "It's"])
    r = m.evaluate({("It's", "B2"): 4.0})
    assert r[("S", "A1")] == 2.0 and r[("S", "A2")] == 8.0


def test_sheet_local_name_wins_over_global_and_qualified_names_work():
    names = {"rate": "S!$B$1", "S!rate": "S!$B$2", "T!rate": "S!$B$3"}
    formulas = {("S", "A1"): "rate", ("T", "A1"): "rate", ("U", "A1"): "rate",
                ("U", "A2"): "T!rate"}
    m = compile_workbook(formulas, names, ["S", "T", "U"])
    r = m.evaluate({("S", "B1"): 1.0, ("S", "B2"): 2.0, ("S", "B3"): 3.0})
    assert r[("S", "A1")] == 2.0 and r[("T", "A1")] == 3.0
    assert r[("U", "A1")] == 1.0 and r[("U", "A2")] == 3.0


def test_a_name_can_be_a_formula_or_refer_to_another_name():
    names = {"base": "S!$B$1", "double": "base*2", "pct": "=50%"}
    m = compile_workbook({("S", "A1"): "double+pct"}, names, ["S"])
    assert m.evaluate({("S", "B1"): 4.0})[("S", "A1")] == 8.5


def test_whole_column_and_large_ranges():
    formulas = {("S", "A1"): "SUM(B:B)", ("S", "A2"): "SUM(C1:C500)", ("S", "C7"): "B2*10",
                ("S", "A3"): "COUNTA(2:2)"}
    cells = {("S", "B1"): 1.0, ("S", "B2"): 2.0, ("S", "B400"): 3.0, ("S", "C1"): 5.0}
    r = compile_workbook(formulas, {}, ["S"]).evaluate(cells)
    assert r[("S", "A1")] == 6.0
    assert r[("S", "A2")] == 25.0          # C1 + the formula C7
    assert r[("S", "A3")] == 2.0          # B2 and the formula A2


def test_blank_reference_is_zero_and_results_are_floats():
    m = compile_workbook({("S", "A1"): "B1", ("S", "A2"): "B2", ("S", "A3"): "ISBLANK(A1)"}, {}, ["S"])
    r = m.evaluate({("S", "B2"): 7})
    assert r[("S", "A1")] == 0.0 and type(r[("S", "A1")]) is float
    assert r[("S", "A2")] == 7.0 and type(r[("S", "A2")]) is float
    assert r[("S", "A3")] is False          # A1 is a formula showing 0, not blank


def test_long_formulas_do_not_hit_python_nesting_limits():
    expr = "+".join("B%d" % i for i in range(1, 400))
    nested = "B1"
    for _ in range(120):
        nested = "IF(TRUE,%s,0)" % nested
    m = compile_workbook({("S", "A1"): expr, ("S", "A2"): nested}, {}, ["S"])
    r = m.evaluate({("S", "B%d" % i): 1.0 for i in range(1, 400)})
    assert r[("S", "A1")] == 399.0 and r[("S", "A2")] == 1.0


def test_a_huge_range_is_clipped_to_the_used_cells():
    import time
    t = time.perf_counter()
    m = compile_workbook({("S", "A1"): "SUM(B1:XFD1048576)", ("S", "A2"): "COUNTA(C2:C1000000)"}, {}, ["S"])
    r = m.evaluate({("S", "B1"): 1.0, ("S", "C50"): 2.0, ("S", "D3"): "x"})
    assert r[("S", "A1")] == 3.0 and r[("S", "A2")] == 1.0
    assert time.perf_counter() - t < 2
