"""What the user sees when a workbook cannot be (fully) calculated."""
import time

import pytest

from xladdin.engine import EngineError, ErrorValue, Problem, compile_workbook, recalculate


def test_circular_reference_is_reported_with_the_cells_on_the_loop():
    formulas = {("评分表", "H8"): "H9+1", ("评分表", "H9"): "SUM(H10:H11)", ("评分表", "H10"): "H8*2",
                ("评分表", "H12"): "1"}
    t = time.perf_counter()
    with pytest.raises(EngineError) as info:
        compile_workbook(formulas, {}, ["评分表"])
    assert time.perf_counter() - t < 2
    msg = info.value.message_zh
    assert msg.startswith("存在循环引用：")
    assert "评分表!H8 → " in msg and "评分表!H9" in msg and "评分表!H10" in msg
    assert msg.endswith("评分表!H8")
    assert str(info.value) == msg


def test_a_cell_referring_to_itself_is_circular():
    with pytest.raises(EngineError, match="存在循环引用：S!A1 → S!A1"):
        compile_workbook({("S", "A1"): "A1+1"}, {}, ["S"])


def test_circular_reference_through_a_defined_name_and_another_sheet():
    formulas = {("S", "A1"): "total*2", ("T", "B2"): "S!A1"}
    with pytest.raises(EngineError, match="存在循环引用"):
        compile_workbook(formulas, {"total": "T!$B$2"}, ["S", "T"])


def test_circular_reference_through_a_whole_column():
    with pytest.raises(EngineError, match="存在循环引用"):
        compile_workbook({("S", "A1"): "SUM(A:A)"}, {}, ["S"])


def test_unparsable_formula_names_the_cell_and_the_text():
    with pytest.raises(EngineError) as info:
        compile_workbook({("Sheet1", "B3"): "SUM(A1:", ("Sheet1", "B4"): "1"}, {}, ["Sheet1"])
    assert info.value.message_zh == "无法解析公式：Sheet1!B3 =SUM(A1:"
    assert info.value.cell == ("Sheet1", "B3")


@pytest.mark.parametrize("bad", ["1+", "SUM((1,2)", "\"abc", "A1 B1 +", "=", ")"])
def test_more_unparsable_formulas(bad):
    with pytest.raises(EngineError, match="无法解析公式"):
        compile_workbook({("S", "A1"): bad}, {}, ["S"])


def test_unknown_function_gives_name_error_in_that_cell_only():
    formulas = {("S", "A1"): "FOO(1)+1", ("S", "A2"): "IFERROR(A1,\"未知\")", ("S", "A3"): "2*3",
                ("S", "A4"): "_xldudf_SCORE_NOT_THERE(1)"}
    model = compile_workbook(formulas, {}, ["S"])
    r = model.evaluate({})
    assert r[("S", "A1")] == "#NAME?" and isinstance(r[("S", "A1")], ErrorValue)
    assert r[("S", "A2")] == "未知"
    assert r[("S", "A3")] == 6.0
    assert r[("S", "A4")] == "#NAME?"
    assert set(model.unknown_functions) == {"FOO", "_xldudf_SCORE_NOT_THERE"}
    assert model.unknown_functions["FOO"] == [("S", "A1")]
    kinds = {(p.cell, p.kind) for p in model.problems}
    assert (("S", "A1"), "unknown_function") in kinds
    assert any("未知函数：FOO" in p.message_zh for p in model.problems)


def test_unknown_name_and_missing_sheet():
    model = compile_workbook({("S", "A1"): "no_such_name+1", ("S", "A2"): "'不存在'!A1"}, {}, ["S"])
    r = model.evaluate({})
    assert r[("S", "A1")] == "#NAME?" and r[("S", "A2")] == "#REF!"
    assert [p.kind for p in model.problems] == ["unknown_name", "bad_reference"]


def test_let_and_lambda_are_reported_as_unsupported():
    model = compile_workbook({("S", "A1"): "_xlfn.LET(_xlpm.x,1,_xlpm.x+1)", ("S", "A2"): "\"LET(\"&1"},
                             {}, ["S"])
    r = model.evaluate({})
    assert r[("S", "A1")] == "#NAME?" and r[("S", "A2")] == "LET(1"
    assert model.problems[0].kind == "unsupported"


def test_union_reference_is_a_value_error_not_a_crash():
    model = compile_workbook({("S", "A1"): "SUM((B1,B2))"}, {}, ["S"])
    assert model.evaluate({("S", "B1"): 1.0})[("S", "A1")] == "#VALUE!"
    assert model.problems and model.problems[0].kind == "unsupported"


def test_bad_input_values_do_not_crash_and_runtime_problems_can_be_collected():
    class Weird:
        def __float__(self):
            raise RuntimeError("no")

    model = compile_workbook({("S", "A1"): "B1+1", ("S", "A2"): "ROUND(B1,2)"}, {}, ["S"])
    problems: list = []
    r = model.evaluate({("S", "B1"): Weird()}, problems)
    assert r[("S", "A1")] == "#VALUE!" and r[("S", "A2")] == "#VALUE!"
    assert all(isinstance(p, Problem) for p in problems)


def test_error_values_typed_in_input_cells_propagate():
    r = recalculate({("S", "B1"): ErrorValue("#REF!")}, {("S", "A1"): "B1*2", ("S", "A2"): "ISERROR(B1)"},
                    {}, ["S"])
    assert r[("S", "A1")] == "#REF!" and r[("S", "A2")] is True


def test_error_literals_in_formulas():
    r = recalculate({}, {("S", "A1"): "#N/A", ("S", "A2"): "IFERROR(#DIV/0!,1)", ("S", "A3"): "ISNA(#N/A)"},
                    {}, ["S"])
    assert r[("S", "A1")] == "#N/A" and r[("S", "A2")] == 1.0 and r[("S", "A3")] is True


def test_run_time_references_are_reported_as_unsupported():
    model = compile_workbook({("S", "A1"): "SUM(OFFSET(B1,0,0,2,1))", ("S", "A2"): "INDIRECT(\"B\"&1)"}, {}, ["S"])
    r = model.evaluate({("S", "B1"): 1.0})
    assert r[("S", "A1")] == "#REF!" and r[("S", "A2")] == "#REF!"
    assert {p.kind for p in model.problems} == {"unsupported"}
    assert "不支持的函数：OFFSET" in model.problems[0].message_zh
