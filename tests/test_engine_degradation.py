"""One bad formula never sinks a workbook.

Every cell that can be computed is computed.  A cell that cannot be (an unparsable
formula, an unknown or unsupported function, a circular reference without iterative
calculation, a formula over Excel's length or nesting limits) keeps the value the
file holds, and so does every formula that reads it; each such cell is listed with a
Chinese reason.  #NAME? is never written over a stored value.  Circular references
follow the workbook's ``<calcPr>`` (iterate, iterateCount, iterateDelta) as Excel does.

Expected values are derived by hand from Excel's rules.
"""
import datetime as dt
import re
import subprocess
import sys
import textwrap
import zipfile

import pytest

from xladdin.engine import CalcSettings, ErrorValue, Problem, calculate, recalculate_package
from xladdin.package import WorkbookPackage

from package_builders import build_package, read_parts, sheet_xml


def _kept(results):
    return {p.cell: p for p in results.problems}


def _no_name_errors(results):
    return [k for k, v in results.values.items() if isinstance(v, ErrorValue) and v == "#NAME?"]


# ---------------------------------------------------------------- one workbook, three faults

MIXED = {
    ("S", "B1"): "A1+A2",              # 30
    ("S", "B2"): "SUM(A1:",            # unparsable
    ("S", "B3"): "FOO(A1)",            # unknown function
    ("S", "B4"): "B3*2",               # reads a kept cell -> kept
    ("S", "B5"): "IFERROR(B3,0)",      # IFERROR does not turn a kept cell into a made-up 0
    ("S", "C1"): "C2+1",               # C1 <-> C2: a cycle, no iteration
    ("S", "C2"): "C1+1",
    ("S", "C3"): "C1*10",              # reads the cycle -> kept
    ("S", "D1"): "SUM(B1,A1)*2",       # 80, untouched by the faults around it
    ("T", "A1"): "S!B1+S!D1",          # 110, on another sheet
}


def test_every_computable_cell_is_computed_and_only_the_faulty_ones_are_kept():
    r = calculate({("S", "A1"): 10, ("S", "A2"): 20}, MIXED, {}, ["S", "T"])
    assert r.values == {("S", "B1"): 30.0, ("S", "D1"): 80.0, ("T", "A1"): 110.0}
    kept = _kept(r)
    assert set(kept) == {("S", "B2"), ("S", "B3"), ("S", "B4"), ("S", "B5"),
                         ("S", "C1"), ("S", "C2"), ("S", "C3")}
    assert r.kept == 7 and len(r.problems) == 7
    assert kept[("S", "B2")].kind == "parse"
    assert kept[("S", "B3")].kind == "unknown_function"
    assert kept[("S", "B4")].kind == kept[("S", "B5")].kind == "dependency"
    assert kept[("S", "C1")].kind == kept[("S", "C2")].kind == "cycle"
    assert kept[("S", "C3")].kind in ("dependency", "cycle")
    assert all(isinstance(p, Problem) for p in r.problems)


def test_the_reasons_are_in_chinese_and_name_what_went_wrong():
    r = calculate({("S", "A1"): 10, ("S", "A2"): 20}, MIXED, {}, ["S", "T"])
    kept = _kept(r)
    assert kept[("S", "B2")].message_zh.startswith("公式无法解析")
    assert "FOO" in kept[("S", "B3")].message_zh and "函数" in kept[("S", "B3")].message_zh
    assert "S!B3" in kept[("S", "B4")].message_zh            # names the cell it depends on
    assert "循环引用" in kept[("S", "C1")].message_zh
    for p in r.problems:
        assert "保留文件中的值" in p.message_zh, p
    lines = r.messages()
    assert len(lines) == 7 and "S!B2：公式无法解析" in "\n".join(lines)
    assert r.messages(limit=2) == lines[:2]


def test_unparsable_formula_names_the_cell():
    r = calculate({}, {("Sheet1", "B3"): "SUM(A1:", ("Sheet1", "B4"): "1", ("Sheet1", "B5"): "B3+1"},
                  {}, ["Sheet1"])
    assert r.values == {("Sheet1", "B4"): 1.0}
    (p,) = [p for p in r.problems if p.cell == ("Sheet1", "B3")]
    assert p.kind == "parse" and p.message_zh.startswith("公式无法解析")
    assert r.messages()[0].startswith("Sheet1!B3：公式无法解析")
    assert _kept(r)[("Sheet1", "B5")].kind == "dependency"


@pytest.mark.parametrize("bad", ["1+", "SUM((1,2)", "\"abc", "A1 B1 +", "=", ")", "SUM(1,,", "1**2"])
def test_more_unparsable_formulas_are_kept_one_cell_at_a_time(bad):
    r = calculate({}, {("S", "A1"): bad, ("S", "A2"): "2*3"}, {}, ["S"])
    assert r.values == {("S", "A2"): 6.0}
    assert [(p.cell, p.kind) for p in r.problems] == [(("S", "A1"), "parse")]
    assert "公式无法解析" in r.problems[0].message_zh


# ---------------------------------------------------------------- unknown functions and names

@pytest.mark.parametrize("written", [
    "FOO(1)+1",
    "_xldudf_SCORE_NOT_THERE(1)",
    "udfs.SCORE_NOT_THERE(1)",
    "'x.xlam'!SCORE_NOT_THERE(1)",
    "[1]!SCORE_NOT_THERE(1)",
    "_xll.SCORE_NOT_THERE(1)",
    "IFERROR(FOO(1),\"未知\")",        # in Excel without the add-in: "未知"; here: kept as stored
    "ISERROR(FOO(1))",
])
def test_an_unknown_function_is_kept_never_name_error(written):
    r = calculate({}, {("S", "A1"): written, ("S", "A2"): "A1", ("S", "A3"): "2*3"}, {}, ["S"])
    assert r.values == {("S", "A3"): 6.0}
    kept = _kept(r)
    assert kept[("S", "A1")].kind == "unknown_function"
    assert "函数" in kept[("S", "A1")].message_zh
    assert kept[("S", "A2")].kind == "dependency"
    assert not _no_name_errors(r)


def test_an_undefined_name_is_kept_never_name_error():
    r = calculate({}, {("S", "A1"): "no_such_name+1", ("S", "A2"): "'不存在'!A1", ("S", "A3"): "A1*2"},
                  {}, ["S"])
    kept = _kept(r)
    assert kept[("S", "A1")].kind == "unknown_name" and "NO_SUCH_NAME" in kept[("S", "A1")].message_zh.upper()
    assert kept[("S", "A3")].kind == "dependency"
    assert r.values[("S", "A2")] == "#REF!"        # a reference to a sheet that is not there
    assert not _no_name_errors(r)


def test_let_union_offset_and_indirect_are_computed_now():
    r = calculate({("S", "B1"): 1.0, ("S", "B2"): 2.0},
                  {("S", "A1"): "_xlfn.LET(_xlpm.x,1,_xlpm.x+1)", ("S", "A2"): "\"LET(\"&1",
                   ("S", "A3"): "SUM((B1,B2))", ("S", "A4"): "SUM(OFFSET(B1,0,0,2,1))",
                   ("S", "A5"): "INDIRECT(\"B\"&2)"}, {}, ["S"])
    assert r.problems == []
    assert r.values == {("S", "A1"): 2.0, ("S", "A2"): "LET(1", ("S", "A3"): 3.0,
                        ("S", "A4"): 3.0, ("S", "A5"): 2.0}


def test_a_value_the_engine_cannot_read_keeps_the_cell_instead_of_crashing():
    class Weird:
        def __float__(self):
            raise RuntimeError("no")

    r = calculate({("S", "B1"): Weird()}, {("S", "A1"): "B1+1", ("S", "A2"): "ROUND(B1,2)", ("S", "A3"): "1+1"},
                  {}, ["S"])
    assert r.values == {("S", "A3"): 2.0}          # no made-up #VALUE! either
    assert {p.cell for p in r.problems} == {("S", "A1"), ("S", "A2")}


def test_error_values_typed_in_input_cells_propagate():
    r = calculate({("S", "B1"): ErrorValue("#REF!")}, {("S", "A1"): "B1*2", ("S", "A2"): "ISERROR(B1)"}, {}, ["S"])
    assert r.values[("S", "A1")] == "#REF!" and r.values[("S", "A2")] is True
    assert r.problems == []


def test_error_literals_in_formulas():
    r = calculate({}, {("S", "A1"): "#N/A", ("S", "A2"): "IFERROR(#DIV/0!,1)", ("S", "A3"): "ISNA(#N/A)"}, {}, ["S"])
    assert r.values == {("S", "A1"): "#N/A", ("S", "A2"): 1.0, ("S", "A3"): True}
    assert isinstance(r.values[("S", "A1")], ErrorValue)


# ---------------------------------------------------------------- circular references

def test_a_cycle_without_iteration_keeps_its_cells_and_their_dependents():
    formulas = {("评分表", "H8"): "H9+1", ("评分表", "H9"): "SUM(H10:H11)", ("评分表", "H10"): "H8*2",
                ("评分表", "H12"): "1", ("评分表", "H13"): "H8+H12", ("评分表", "H14"): "H12+1"}
    r = calculate({}, formulas, {}, ["评分表"])
    assert r.values == {("评分表", "H12"): 1.0, ("评分表", "H14"): 2.0}
    kept = _kept(r)
    for ref in ("H8", "H9", "H10"):
        assert kept[("评分表", ref)].kind == "cycle"
        assert "循环引用" in kept[("评分表", ref)].message_zh
        assert "评分表!H" in kept[("评分表", ref)].message_zh       # names a cell of the loop
    assert kept[("评分表", "H13")].kind == "dependency"


def test_a_cell_referring_to_itself_is_circular():
    r = calculate({}, {("S", "A1"): "A1+1", ("S", "A2"): "5"}, {}, ["S"])
    assert r.values == {("S", "A2"): 5.0}
    assert [(p.cell, p.kind) for p in r.problems] == [(("S", "A1"), "cycle")]
    assert "S!A1" in r.problems[0].message_zh


def test_circular_reference_through_a_defined_name_and_another_sheet():
    r = calculate({}, {("S", "A1"): "total*2", ("T", "B2"): "S!A1", ("T", "B3"): "7"},
                  {"total": "T!$B$2"}, ["S", "T"])
    assert r.values == {("T", "B3"): 7.0}
    assert {p.cell: p.kind for p in r.problems} == {("S", "A1"): "cycle", ("T", "B2"): "cycle"}


def test_circular_reference_through_a_whole_column():
    r = calculate({("S", "B1"): 3}, {("S", "A1"): "SUM(A:A)", ("S", "C1"): "B1*2"}, {}, ["S"])
    assert r.values == {("S", "C1"): 6.0}
    assert [(p.cell, p.kind) for p in r.problems] == [(("S", "A1"), "cycle")]


ITERATE = CalcSettings(iterate=True, iterate_count=100, iterate_delta=0.001)


def test_with_iteration_a_counter_runs_iterate_count_times():
    # =A1+1 changes by 1 each round (> 0.001): all 10 rounds run, from blank: 1, 2, ..., 10
    r = calculate({}, {("S", "A1"): "A1+1", ("S", "B1"): "A1*2"}, {}, ["S"],
                  settings=CalcSettings(iterate=True, iterate_count=10, iterate_delta=0.001))
    assert r.problems == []
    assert r.values == {("S", "A1"): 10.0, ("S", "B1"): 20.0}


def test_with_iteration_a_converging_cycle_stops_within_the_maximum_change():
    # x <- x/2 + 1 from 0: 1, 1.5, 1.75, ... -> 2; stops once a round changes it by < 0.001
    r = calculate({}, {("S", "A1"): "A1/2+1", ("S", "B1"): "A1*10"}, {}, ["S"], settings=ITERATE)
    assert r.problems == []
    assert r.values[("S", "A1")] == pytest.approx(2.0, abs=0.002)
    assert r.values[("S", "B1")] == pytest.approx(20.0, abs=0.02)


def test_with_iteration_the_count_limits_the_rounds():
    r = calculate({}, {("S", "A1"): "A1/2+1"}, {}, ["S"],
                  settings=CalcSettings(iterate=True, iterate_count=3, iterate_delta=0.001))
    assert r.values == {("S", "A1"): 1.75}      # 1, 1.5, 1.75


def test_with_iteration_a_large_delta_stops_early():
    # rounds: 1, 1.5, 1.75, 1.875, 1.9375 (change 0.0625 < 0.1: stop)
    r = calculate({}, {("S", "A1"): "A1/2+1"}, {}, ["S"],
                  settings=CalcSettings(iterate=True, iterate_count=100, iterate_delta=0.1))
    assert r.values[("S", "A1")] == pytest.approx(1.9375, abs=0.07)
    assert r.values[("S", "A1")] < 2.0 - 0.001


def test_with_iteration_a_two_cell_cycle_converges():
    # A1 = B1+1, B1 = A1/2: fixed point A1 = 2, B1 = 1
    r = calculate({}, {("S", "A1"): "B1+1", ("S", "B1"): "A1/2"}, {}, ["S"], settings=ITERATE)
    assert r.problems == []
    assert r.values[("S", "A1")] == pytest.approx(2.0, abs=0.01)
    assert r.values[("S", "B1")] == pytest.approx(1.0, abs=0.01)


def _iter_book(tmp_path, calc_pr, stored="5"):
    return build_package(tmp_path / "迭代.xlsx", [("S", sheet_xml(
        f'<row r="1"><c r="A1"><f>A1+1</f><v>{stored}</v></c><c r="B1"><f>A1*2</f><v>0</v></c></row>'))],
        calc_pr=calc_pr)


def test_the_workbooks_calcpr_turns_iteration_on(tmp_path):
    # Excel iterates from the value the cell holds: 5 + 10 rounds of +1
    path = _iter_book(tmp_path, '<calcPr calcId="191029" iterate="1" iterateCount="10" iterateDelta="0.001"/>')
    r = recalculate_package(WorkbookPackage.open(path))
    assert r.problems == []
    assert r.values == {("S", "A1"): 15.0, ("S", "B1"): 30.0}


def test_iteration_defaults_to_100_rounds(tmp_path):
    path = _iter_book(tmp_path, '<calcPr calcId="191029" iterate="true"/>', stored="0")
    r = recalculate_package(WorkbookPackage.open(path))
    assert r.values[("S", "A1")] == 100.0


def test_without_iteration_in_calcpr_the_cycle_keeps_its_stored_values(tmp_path):
    path = _iter_book(tmp_path, '<calcPr calcId="191029" iterate="0" iterateCount="10"/>')
    book = WorkbookPackage.open(path)
    r = recalculate_package(book)
    assert r.values == {}
    assert {p.cell: p.kind for p in r.problems}[("S", "A1")] == "cycle"
    out = tmp_path / "out.xlsx"
    book.write(r.values, out)
    back = WorkbookPackage.open(out).cells
    assert back[("S", "A1")].value == 5.0 and back[("S", "B1")].value == 0.0


# ---------------------------------------------------------------- Excel's limits

def test_a_formula_over_8192_characters_is_kept_with_a_reason():
    terms = "+".join(["1"] * 4200)                 # 8,399 characters
    assert len(terms) > 8192
    r = calculate({}, {("S", "A1"): terms, ("S", "A2"): "SUM(1,2)", ("S", "A3"): "A1+1", ("S", "A4"): "A2+1"},
                  {}, ["S"])
    assert r.values == {("S", "A2"): 3.0, ("S", "A4"): 4.0}
    kept = _kept(r)
    assert set(kept) == {("S", "A1"), ("S", "A3")}
    assert kept[("S", "A1")].kind in ("parse", "limit") and "8192" in kept[("S", "A1")].message_zh
    assert kept[("S", "A3")].kind == "dependency"


@pytest.mark.parametrize("terms", [400, 4000])     # 1,999 and 7,999 characters: within Excel's limits
def test_a_long_chain_of_operators_is_computed(terms):
    expr = "+".join(["1"] * terms)
    assert len(expr) <= 8192
    r = calculate({}, {("S", "A1"): expr}, {}, ["S"])
    assert r.problems == []
    assert r.values == {("S", "A1"): float(terms)}


def _nested(depth, pattern):
    text = "B1"
    for _ in range(depth):
        text = pattern % text
    return text


def test_functions_nested_deeper_than_64_levels_are_kept_with_a_reason():
    r = calculate({("S", "B1"): -1.0}, {("S", "A1"): _nested(64, "ABS(%s)"), ("S", "A2"): _nested(65, "ABS(%s)"),
                                        ("S", "A3"): _nested(120, "ABS(%s)")}, {}, ["S"])
    assert r.values == {("S", "A1"): 1.0}
    kept = _kept(r)
    assert set(kept) == {("S", "A2"), ("S", "A3")}
    for p in kept.values():
        assert p.kind in ("parse", "limit") and "64" in p.message_zh and "嵌套" in p.message_zh


def test_ifs_nested_64_levels_deep_compute_promptly():
    code = textwrap.dedent("""
        from xladdin.engine import calculate
        text = "B1"
        for _ in range(64):
            text = "IF(FALSE,0,%s)" % text
        r = calculate({("S", "B1"): 7.0}, {("S", "A1"): text}, {}, ["S"])
        assert r.values == {("S", "A1"): 7.0}, r
    """)
    try:
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=20)
    except subprocess.TimeoutExpired:
        pytest.fail("64 nested IFs did not compute within 20 s")
    assert done.returncode == 0, done.stderr


def test_a_long_sum_of_many_cells_is_computed():
    expr = "+".join("B%d" % i for i in range(1, 300))
    r = calculate({("S", "B%d" % i): 1.0 for i in range(1, 300)}, {("S", "A1"): expr}, {}, ["S"])
    assert r.values == {("S", "A1"): 299.0}


# ---------------------------------------------------------------- clock and random

def test_today_and_now_use_the_runs_clock():
    r = calculate({}, {("S", "A1"): "TODAY()", ("S", "A2"): "NOW()", ("S", "A3"): "A1+1"}, {}, ["S"],
                  now=dt.datetime(2024, 5, 1, 12, 0))
    assert r.values == {("S", "A1"): 45413.0, ("S", "A2"): 45413.5, ("S", "A3"): 45414.0}
    assert r.volatile == 2


def test_today_in_a_1904_workbook():
    # 2024-05-01 is 45413 - 1462 = 43951 in the 1904 date system
    r = calculate({}, {("S", "A1"): "TODAY()"}, {}, ["S"], date1904=True, now=dt.datetime(2024, 5, 1))
    assert r.values == {("S", "A1"): 43951.0}


def test_randbetween_gives_whole_numbers_between_ceiling_and_floor():
    formulas = {("S", "A%d" % i): "RANDBETWEEN(1.5,3.5)" for i in range(1, 41)}
    formulas.update({("S", "B%d" % i): "RANDBETWEEN(-2.5,-0.5)" for i in range(1, 41)})
    formulas.update({("S", "C1"): "RANDBETWEEN(3,3)", ("S", "C2"): "RANDBETWEEN(1.5,1.9)",
                     ("S", "C3"): "RANDBETWEEN(4,3)", ("S", "C4"): "RAND()"})
    r = calculate({}, formulas, {}, ["S"])
    assert r.problems == []
    a = {r.values[("S", "A%d" % i)] for i in range(1, 41)}
    b = {r.values[("S", "B%d" % i)] for i in range(1, 41)}
    assert a <= {2.0, 3.0} and b <= {-2.0, -1.0}
    assert r.values[("S", "C1")] == 3.0
    assert r.values[("S", "C2")] == "#NUM!" and r.values[("S", "C3")] == "#NUM!"   # ceil 2 > floor 1
    assert 0.0 <= r.values[("S", "C4")] < 1.0
    assert r.volatile == 84


def test_a_seed_makes_rand_repeatable():
    formulas = {("S", "A%d" % i): "RAND()" for i in range(1, 6)}
    one = calculate({}, formulas, {}, ["S"], seed=7).values
    two = calculate({}, formulas, {}, ["S"], seed=7).values
    assert one == two


# ---------------------------------------------------------------- the file keeps its stored values

STORED = (
    '<row r="1"><c r="A1"><v>10</v></c><c r="B1"><f>A1*3</f><v>1</v></c></row>'
    '<row r="2"><c r="A2"><f>SUM(A1:</f><v>111</v></c></row>'
    '<row r="3"><c r="A3" t="str"><f>FOO(A1)</f><v>旧文本</v></c></row>'
    '<row r="4"><c r="A4" t="e"><f>_xldudf_SCORE_GONE(A1)</f><v>#NAME?</v></c></row>'
    '<row r="5"><c r="A5" t="b"><f>A3="x"</f><v>1</v></c></row>'
    '<row r="6"><c r="A6" s="1"><f>B6+1</f><v>3.25</v></c><c r="B6"><f>A6+1</f><v>4.25</v></c></row>'
    '<row r="7"><c r="B7"><f>A6*2</f><v>6.5</v></c><c r="C7"><f>IFERROR(A2,0)</f><v>222</v></c></row>'
)
KEPT_REFS = ("A2", "A3", "A4", "A5", "A6", "B6", "B7", "C7")


def _cell_xml(xml: str, ref: str) -> str:
    m = re.search(r'<c r="%s"[^>]*?(?:/>|>.*?</c>)' % ref, xml)
    return m.group(0) if m else ""


def test_kept_cells_keep_their_stored_values_byte_for_byte(tmp_path):
    src = build_package(tmp_path / "部门.xlsx", [("S", sheet_xml(STORED))])
    book = WorkbookPackage.open(src)
    r = recalculate_package(book)
    assert r.values == {("S", "B1"): 30.0}
    assert {p.cell[1] for p in r.problems} == set(KEPT_REFS)
    out = tmp_path / "out.xlsx"
    book.write(r.values, out)
    before = read_parts(src)["xl/worksheets/sheet1.xml"].decode()
    after = read_parts(out)["xl/worksheets/sheet1.xml"].decode()
    for ref in KEPT_REFS:
        assert _cell_xml(after, ref) == _cell_xml(before, ref) != ""
    assert _cell_xml(after, "B1") == '<c r="B1"><f>A1*3</f><v>30</v></c>'
    back = WorkbookPackage.open(out).cells
    assert back[("S", "A2")].value == 111.0 and back[("S", "A3")].value == "旧文本"
    assert back[("S", "A5")].value is True and back[("S", "C7")].value == 222.0
    # Excel's own #NAME? stays (it was the stored value), and no new one appears
    assert after.count("#NAME?") == 1


def test_the_output_of_a_workbook_with_unknown_functions_holds_no_new_name_errors(tmp_path):
    rows = "".join(
        f'<row r="{i}"><c r="A{i}"><f>{text}</f><v>{i}</v></c><c r="B{i}"><f>A{i}+1</f><v>{i + 1}</v></c></row>'
        for i, text in enumerate(["FOO(1)", "_xll.NOT_THERE(1)", "[1]!NOT_THERE(1)",
                                  "&apos;x.xlam&apos;!NOT_THERE(1)", "udfs.NOT_THERE(1)", "IFERROR(BAR(1),0)"], 1))
    src = build_package(tmp_path / "u.xlsx", [("S", sheet_xml(rows))])
    book = WorkbookPackage.open(src)
    r = recalculate_package(book)
    assert r.values == {} and r.kept == 12
    out = tmp_path / "out.xlsx"
    book.write(r.values, out)
    assert b"#NAME?" not in read_parts(out)["xl/worksheets/sheet1.xml"]
    back = WorkbookPackage.open(out).cells
    assert [back[("S", "A%d" % i)].value for i in range(1, 7)] == [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]


# ---------------------------------------------------------------- the command line, end to end

def _xladdin():
    from pathlib import Path
    script = Path(sys.executable).with_name("xladdin")
    return [str(script)] if script.exists() else [sys.executable, "-m", "xladdin.cli"]


def _with_cached_values(path, cached: dict):
    """Give the formula cells openpyxl wrote (``<f>..</f><v />``) the cached values Excel
    would have stored: numbers, text (t="str"), booleans (t="b"), errors (t="e")."""
    with zipfile.ZipFile(path) as zf:
        parts = [(i, zf.read(i)) for i in zf.infolist()]
    out = []
    for info, data in parts:
        if info.filename.startswith("xl/worksheets/sheet1"):
            xml = data.decode()
            for ref, value in cached.items():
                if isinstance(value, bool):
                    t, v = ' t="b"', "1" if value else "0"
                elif isinstance(value, ErrorValue):
                    t, v = ' t="e"', str(value)
                elif isinstance(value, str):
                    t, v = ' t="str"', value
                else:
                    t, v = "", repr(value)
                xml, n = re.subn(r'<c r="%s"([^>]*)>(<f>.*?</f>)<v ?/>' % ref,
                                 lambda m: f'<c r="{ref}"{m.group(1)}{t}>{m.group(2)}<v>{v}</v>', xml)
                assert n == 1, ref
            data = xml.encode()
        out.append((info, data))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in out:
            zf.writestr(info, data)
    return path


def _department_book(path, iterate=False):
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "评分表"
    ws["A1"], ws["A2"] = 10, 20
    ws["B1"] = "=A1+A2"            # 30
    ws["B2"] = "=SUM(A1:"          # unparsable
    ws["B3"] = "=FOO(A1)"          # unknown function
    ws["C1"] = "=C1+1"             # a cycle
    ws["D1"] = "=TODAY()"
    ws["D2"] = "=D1-DATE(2024,1,1)"
    ws["E1"] = "=B1*2"             # 60
    if iterate:
        wb.calculation.iterate = True
        wb.calculation.iterateCount = 10
    wb.save(path)
    return _with_cached_values(path, {"B1": 1, "B2": 111, "B3": "旧文本", "C1": 5, "D1": 1, "D2": 2, "E1": 3})


def _sheet_xml(path):
    return read_parts(path)["xl/worksheets/sheet1.xml"].decode()


def _recalc(*args):
    return subprocess.run(_xladdin() + ["recalc", *map(str, args)], capture_output=True, text=True,
                          encoding="utf-8", timeout=180)


@pytest.fixture(scope="module")
def department(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    inbox = folder / "收文"
    inbox.mkdir()
    src = _department_book(inbox / "甲部门.xlsx")
    out = folder / "结果"
    summary = folder / "汇总.csv"
    done = _recalc(src, "-o", out, "--date", "2024-05-01", "--summary", summary)
    return src, out / "甲部门.xlsx", summary, done


def test_recalc_finishes_and_says_how_many_cells_kept_their_values(department):
    src, out, summary, done = department
    assert done.returncode == 0, done.stderr
    assert "完成（3 处未重算，保留原值）" in done.stdout
    assert "甲部门.xlsx" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "共 1 个文件：完成 1 个，失败 0 个。"
    listed = [line.strip() for line in done.stdout.splitlines() if "[未重算]" in line]
    assert len(listed) == 3
    text = "\n".join(listed)
    assert "评分表!B2：公式无法解析" in text
    assert "评分表!B3：" in text and "FOO" in text
    assert "评分表!C1：" in text and "循环引用" in text


def test_recalc_keeps_the_stored_values_byte_for_byte(department):
    src, out, summary, done = department
    before, after = _sheet_xml(src), _sheet_xml(out)
    for ref in ("B2", "B3", "C1"):
        assert _cell_xml(after, ref) == _cell_xml(before, ref) != ""
    back = WorkbookPackage.open(out).cells
    assert back[("评分表", "B2")].value == 111.0
    assert back[("评分表", "B3")].value == "旧文本"
    assert back[("评分表", "C1")].value == 5.0
    assert "#NAME?" not in after


def test_recalc_computes_everything_else(department):
    src, out, summary, done = department
    back = WorkbookPackage.open(out).cells
    assert back[("评分表", "B1")].value == 30.0
    assert back[("评分表", "E1")].value == 60.0
    assert back[("评分表", "A1")].value == 10.0 and back[("评分表", "B1")].formula == "A1+A2"


def test_recalc_date_pins_today(department):
    src, out, summary, done = department
    back = WorkbookPackage.open(out).cells
    assert back[("评分表", "D1")].value == 45413.0        # 2024-05-01
    assert back[("评分表", "D2")].value == 121.0          # 31 + 29 + 31 + 30 days since 2024-01-01


def test_recalc_mentions_the_volatile_formulas(department):
    assert "易变公式" in department[3].stdout


def test_the_summary_counts_the_kept_cells(department):
    import csv
    src, out, summary, done = department
    rows = list(csv.reader(summary.read_text(encoding="utf-8-sig").splitlines()))
    header, (row,) = rows[0], rows[1:]
    assert "未重算" in header
    assert row[header.index("未重算")] == "3"


def test_recalc_in_a_workbook_with_iteration_on_computes_the_cycle(tmp_path):
    src = _department_book(tmp_path / "迭代.xlsx", iterate=True)
    out = tmp_path / "out"
    done = _recalc(src, "-o", out, "--date", "2024-05-01")
    assert done.returncode == 0, done.stderr
    assert "完成（2 处未重算，保留原值）" in done.stdout
    back = WorkbookPackage.open(out / "迭代.xlsx").cells
    assert back[("评分表", "C1")].value == 15.0       # 5 + 10 rounds
    assert back[("评分表", "B2")].value == 111.0 and back[("评分表", "B3")].value == "旧文本"


def test_recalc_rejects_a_malformed_date(tmp_path):
    src = _department_book(tmp_path / "d.xlsx")
    done = _recalc(src, "-o", tmp_path / "out", "--date", "2024-13-45")
    assert done.returncode == 2
    assert "YYYY-MM-DD" in done.stderr
    assert not (tmp_path / "out" / "d.xlsx").exists()


def test_a_workbook_that_would_calculate_too_long_keeps_the_rest_with_a_reason(monkeypatch):
    """Bounded work (issue 10): past the time limit the calculation stops; what is not yet
    computed keeps its stored value and says why, what was computed is kept."""
    from xladdin.engine import model

    monkeypatch.setattr(model, "TIME_LIMIT_SECONDS", 0)
    result = calculate({("S", "A1"): 1.0}, {("S", "B1"): "A1+1", ("S", "B2"): "B1+1"}, {}, ["S"])
    assert result.values == {}
    assert {p.cell for p in result.problems} == {("S", "B1"), ("S", "B2")}
    assert all(p.kind == "limit" and "计算超过 0 秒" in p.message_zh for p in result.problems)


def test_a_range_too_large_to_read_keeps_its_cell(monkeypatch):
    from xladdin.engine import model

    monkeypatch.setattr(model, "MAX_RANGE_CELLS", 100)
    cells = {("S", "A%d" % i): float(i) for i in range(1, 201)}
    result = calculate(cells, {("S", "B1"): "SUM(A1:A200)", ("S", "B2"): "SUM(A1:A100)"}, {}, ["S"])
    assert result.values == {("S", "B2"): 5050.0}
    [problem] = result.problems
    assert problem.cell == ("S", "B1") and "区域 S!A1:A200 超过 100 个单元格" in problem.message_zh


def test_a_newer_excel_function_we_lack_is_named_as_such_not_as_a_misspelling():
    """Excel writes its own newer functions with _xlfn.: such a cell keeps its value and the
    reason says the function is not supported (not "unknown, maybe an add-in")."""
    result = calculate({}, {("S", "A1"): "_xlfn.GROUPBY(B1:B3,C1:C3,_xleta.SUM)", ("S", "A2"): "FOO(1)"}, {}, ["S"])
    reasons = {p.cell: (p.kind, p.message_zh) for p in result.problems}
    assert reasons[("S", "A1")] == ("unsupported", "暂不支持 Excel 函数 GROUPBY，保留文件中的值")
    assert reasons[("S", "A2")][0] == "unknown_function" and "FOO" in reasons[("S", "A2")][1]


def test_an_array_formula_over_the_whole_sheet_keeps_its_stored_values(tmp_path):
    """{=1} entered over A1:XFD1048576 would be 17 billion cells (the README promises 30 s per
    workbook): the range is kept with its stored values and a reason, the rest is computed."""
    row = ('<row r="1"><c r="A1"><f t="array" ref="A1:XFD1048576">1+1</f><v>7</v></c><c r="B1"><v>7</v></c></row>'
           '<row r="2"><c r="A2"><v>3</v></c></row>')
    src = build_package(tmp_path / "整表数组.xlsx", [("S", sheet_xml(row)), ("T", sheet_xml('<row r="1"><c r="A1"><f>S!A2*2</f><v>0</v></c></row>'))])
    results = recalculate_package(WorkbookPackage.open(src))
    assert results.values == {("T", "A1"): 6.0}
    assert [(p.cell, p.kind) for p in results.problems] == [(("S", "A1"), "limit")]
    assert "A1:XFD1048576" in results.problems[0].message_zh and "过大" in results.problems[0].message_zh


def test_many_array_formulas_each_find_their_cells(tmp_path):
    """Each cell is looked up among the array ranges by bisection (a scan of every range per
    cell made 5,000 array formulas take seconds): each B cell belongs to its row's array,
    no C cell to any."""
    rows = "".join(f'<row r="{i}"><c r="A{i}"><f t="array" ref="A{i}:B{i}">{i}</f><v>0</v></c><c r="B{i}"><v>0</v></c>'
                   f'<c r="C{i}"><v>2</v></c></row>' for i in range(1, 5_001))
    book = WorkbookPackage.open(build_package(tmp_path / "数组.xlsx", [("S", sheet_xml(rows))]))
    records = book.write_records("S")
    assert len(records) == 10_000 and "B5000" in records and "C1" not in records
    values = recalculate_package(book).values
    assert values[("S", "B5000")] == 5000.0 and len(values) == 10_000
