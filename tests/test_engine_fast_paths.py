"""A big sheet's fast paths give exactly what the exact path gives.

The engine answers some calls with a guarded float computation (``fastscores``) or a whole
filled-down column at once (``groups``); every such answer must equal the per-cell, exact
(`Fraction`) answer, on ordinary inputs and on the inputs built to sit on a boundary."""
from __future__ import annotations

import random

import pytest

import udfs
from xladdin.engine import calculate
from xladdin.engine.fastscores import procurement_score


def _exact(actual, planned, *rest):
    return udfs.SCORE_PROCUREMENT(actual, planned, *rest)


def _boundary_pairs(rnd: random.Random, n: int):
    """(actual, planned) in cents whose rate × 100 is an integer, or one cent beside one:
    where a float quotient lands a hair below or above the exact value."""
    for _ in range(n):
        planned_cents = rnd.randint(1, 10**9)
        k = rnd.randint(0, 100)
        exact_cents = planned_cents * k
        if exact_cents % 100 == 0:
            actual_cents = exact_cents // 100 + rnd.choice((-1, 0, 0, 1))
        else:
            actual_cents = exact_cents // 100
        if actual_cents < 0:
            continue
        yield actual_cents / 100, planned_cents / 100


def test_seed_procurement_row_is_the_contracts_value():
    # the seed report: 14,750 of 15,000 planned → 0.98 (truncated) + policy 1 = 1.98
    assert procurement_score(14750.0, 15000.0) == 1.98


def test_a_rate_that_floats_just_below_an_integer_is_left_to_the_exact_rule():
    # 0.57 / 1 × 100 is 56.99999999999999 in floats; the exact rate is 57 %
    assert procurement_score(0.57, 1.0) is None
    assert _exact(0.57, 1.0) == 1.57


def test_procurement_fast_path_equals_the_exact_rule():
    rnd = random.Random(17)
    cases = [(round(rnd.uniform(0, 5e6), 2), round(rnd.uniform(1e4, 5e6), 2)) for _ in range(6000)]
    cases += list(_boundary_pairs(rnd, 6000))
    cases += [(1.0, 3.0), (2.0, 3.0), (1e-300, 1.0), (5e-324, 1.0), (1.0, 1.0), (0.0, 5.0), (7.0, 0.0),
              (1e308, 1.7e308), (0.1, 0.3), (0.3, 0.1), (0.29, 1.0), (1.15, 1.0), (33.33, 100.0)]
    answered = 0
    for actual, planned in cases:
        fast = procurement_score(actual, planned)
        if fast is None:
            continue
        answered += 1
        assert fast == _exact(actual, planned), (actual, planned)
    assert answered > 6000  # the fast path answers the ordinary cases


@pytest.mark.parametrize("args", [
    (1000.0, 2000.0, 0.5), (1000.0, 2000.0, "否"), ("1000", 2000.0), (None, 2000.0), (1000.0, None),
    (-5.0, 100.0), (True, 100.0), ("不涉及", "不涉及"), (0.0, 0.0), (float("nan"), 1.0),
])
def test_procurement_fast_path_declines_what_only_the_exact_rule_decides(args):
    assert procurement_score(*args) is None


def test_procurement_in_a_sheet_goes_through_the_fast_path_with_the_same_values():
    rnd = random.Random(3)
    cells, formulas, want = {}, {}, {}
    pairs = list(_boundary_pairs(rnd, 300))
    for i, (actual, planned) in enumerate(pairs, start=1):
        cells[("S", f"A{i}")] = actual
        cells[("S", f"B{i}")] = planned
        formulas[("S", f"C{i}")] = f"SCORE_PROCUREMENT(A{i},B{i})"
        want[("S", f"C{i}")] = _exact(actual, planned)
    got = calculate(cells, formulas).values
    assert got == want


# ------------------------------------------------------------------ a filled-down SUMIF

def _table(categories, amounts):
    cells = {}
    for i, (c, a) in enumerate(zip(categories, amounts), start=1):
        if c is not None:
            cells[("参数", f"C{i}")] = c
        if a is not None:
            cells[("参数", f"B{i}")] = a
    return cells


def _sumif_by_definition(categories, amounts, criterion):
    """SUMIF(C, criterion, B) as Microsoft documents it for an equality criterion: the numbers
    of B beside a C equal to the criterion (text compared without case; text in B ignored);
    an error in a summed cell is the result."""
    total = 0.0
    for c, a in zip(categories, amounts):
        same = (isinstance(c, str) and isinstance(criterion, str) and c.lower() == criterion.lower()) or (
            isinstance(c, float) and isinstance(criterion, float) and c == criterion)
        if same and isinstance(a, float):
            total += a
        elif same and a == "#DIV/0!":
            return a
    return total


def test_a_filled_down_sumif_gives_each_row_its_own_criterions_sum():
    rnd = random.Random(5)
    n = 60
    categories = [rnd.choice(["货物", "工程", "服务", "SERVICE", "service", None, 3.0]) for _ in range(n)]
    amounts = [rnd.choice([round(rnd.uniform(0, 100), 2), None, "文字"]) for _ in range(n)]
    cells = _table(categories, amounts)
    criteria = [rnd.choice(["货物", "工程", "服务", "Service", 3.0, "无此类"]) for _ in range(200)]
    formulas = {}
    for r, crit in enumerate(criteria, start=1):
        cells[("S", f"E{r}")] = crit
        formulas[("S", f"G{r}")] = f"SUMIF(参数!$C$1:$C${n},E{r},参数!$B$1:$B${n})"
        formulas[("S", f"H{r}")] = f"COUNTIFS(参数!$C$1:$C${n},E{r})"
    got = calculate(cells, formulas).values
    for r, crit in enumerate(criteria, start=1):
        assert got[("S", f"G{r}")] == pytest.approx(_sumif_by_definition(categories, amounts, crit), abs=1e-9)
        assert got[("S", f"H{r}")] == sum(
            1 for c in categories if (isinstance(c, str) and isinstance(crit, str) and c.lower() == crit.lower())
            or (isinstance(c, float) and c == crit))


def test_an_error_in_the_summed_range_is_each_matching_rows_result():
    categories = ["a"] * 10 + ["b"] * 10
    cells = _table(categories, [1.0] * 20)
    formulas = {("参数", "B3"): "1/0"}  # inside the "a" rows only
    for r in range(1, 5):
        cells[("S", f"E{r}")] = "ab"[r % 2]
        formulas[("S", f"G{r}")] = f"SUMIF(参数!$C$1:$C$20,E{r},参数!$B$1:$B$20)"
    got = calculate(cells, formulas).values
    assert [str(got[("S", f"G{r}")]) for r in range(1, 5)] == ["10.0", "#DIV/0!", "10.0", "#DIV/0!"]


def test_the_same_sheet_with_other_values_gives_other_sums():
    # the remembered masks belong to arrays of one calculation: a second workbook of the
    # same template with other inputs must not see them
    formulas = {("S", f"G{r}"): f"SUMIF(参数!$C$1:$C$20,E{r},参数!$B$1:$B$20)" for r in range(1, 4)}
    first = _table(["a"] * 20, [1.0] * 20)
    second = _table(["a"] * 10 + ["b"] * 10, [2.0] * 20)
    for cells in (first, second):
        for r in range(1, 4):
            cells[("S", f"E{r}")] = "a"
    assert calculate(first, formulas).values[("S", "G1")] == 20.0
    assert calculate(second, formulas).values[("S", "G1")] == 20.0  # 10 rows of 2
    second[("参数", "B1")] = 5.0
    assert calculate(second, formulas).values[("S", "G2")] == 23.0


def test_a_criterion_that_reads_a_date_is_matched_again_in_the_other_date_system(monkeypatch):
    # ">2023-03-15" is a serial that depends on the workbook's date system: a mask made in
    # one system must not answer the other (compared with the engine matching every call)
    from xladdin.engine import groups

    cells = {("参数", f"C{i}"): 43530.0 + i for i in range(1, 20)}
    cells.update({("参数", f"C{i}"): 44990.0 + i for i in range(20, 40)})
    cells.update({("参数", f"B{i}"): 1.0 for i in range(1, 40)})
    formulas = {("S", "G1"): 'SUMIF(参数!$C$1:$C$39,">2023-03-15",参数!$B$1:$B$39)'}
    remembered = [calculate(cells, formulas, date1904=d).values for d in (False, True, False, True)]
    monkeypatch.setattr(groups, "_MIN_CELLS", 10**9)
    matched = [calculate(cells, formulas, date1904=d).values for d in (False, True, False, True)]
    assert remembered == matched


# ------------------------------------------------------------------ the collector while a file is processed

@pytest.mark.parametrize("enabled_before", [True, False])
def test_the_cyclic_collector_rests_while_a_workbook_is_processed_and_comes_back(tmp_path, monkeypatch,
                                                                                 enabled_before):
    import gc

    from batch_departments import GOOD, write_department
    from xladdin import batch, engine

    seen = []
    calculate_package = engine.recalculate_package

    def watched(*args, **kwargs):
        seen.append(gc.isenabled())
        return calculate_package(*args, **kwargs)

    monkeypatch.setattr(engine, "recalculate_package", watched)
    source = write_department(tmp_path / "in", GOOD)
    (tmp_path / "out").mkdir()
    (gc.enable if enabled_before else gc.disable)()
    try:
        outcome = batch.process(batch.Job(source, tmp_path / "out" / source.name))
        after = gc.isenabled()
    finally:
        gc.enable()
    assert outcome.ok, outcome.message
    assert seen == [False]
    assert after is enabled_before


# ------------------------------------------------------------ filled-down columns written in full

_FILLED_PAIRS = [  # (text at row 1, text at row 2, same shape?) in one column
    ("A1+1", "A2+1", True), ("A1+1", "A2+2", False), ("$A$1+B1", "$A$1+B2", True),
    ("$A$1+B1", "$A$2+B2", False), ("A$1*B1", "A$1*B2", True), ("SUM(1:3)", "SUM(2:4)", True),
    ("SUM($1:3)", "SUM($1:4)", True), ("SUM($1:3)", "SUM($2:4)", False),
    ('"x1"&A1', '"x1"&A2', True), ('"x1"&A1', '"x2"&A2', False), ("LOG10(A1)", "LOG10(A2)", True),
    ("Sheet2!A1", "Sheet2!A2", True), ("Sheet2!A1", "Sheet3!A2", False), ("'S 1'!A1", "'S 1'!A2", True),
    ("'S 1'!A1", "'S 2'!A2", False), ("A01+1", "A2+1", True), ("A1+1.5E+3", "A2+1.5E+3", True),
    ("A1+1.5E+3", "A2+1.5E+4", False), ("T[[#This Row],[c1]]*A1", "T[[#This Row],[c1]]*A2", True),
    ("T[c1]+A1", "T[c2]+A2", False), ("A1:B10", "A2:B11", True), ("A1:B10", "A2:B10", False),
]


@pytest.mark.parametrize("first, second, same", _FILLED_PAIRS)
def test_a_column_written_in_full_is_one_shape_exactly_when_it_was_filled_down(first, second, same):
    from xladdin.engine.parser import filled_key, shape_key

    assert (shape_key(first, 1, 3) == shape_key(second, 2, 3)) is same  # the pairs say what they are
    assert (filled_key(first, 1, 3) == filled_key(second, 2, 3)) is same


def test_the_cheap_key_never_joins_formulas_of_other_shapes_in_the_corpora():
    """Over every formula of both Excel-saved corpora, cells with one cheap key have one shape."""
    from pathlib import Path

    from xladdin import xlsx
    from xladdin.engine.parser import filled_key, shape_key

    root = Path(__file__).resolve().parents[2] / "shared" / "corpus"
    paths = sorted(root.glob("excel-saved*/*.xls*"))
    if not paths:
        pytest.skip("no corpus beside the project")
    shapes: dict = {}
    checked = 0
    for path in paths:
        try:
            book = xlsx.WorkbookPackage.open(path)
        except xlsx.PackageError:
            continue
        for (sheet, _ref), cell in book.cells.items():
            if cell.formula is None or not cell.row:
                continue
            key = (str(path), sheet, filled_key(cell.formula, cell.row, cell.col))
            shape = shape_key(cell.formula, cell.row, cell.col)
            assert shapes.setdefault(key, shape) == shape, (path.name, sheet, cell.ref, cell.formula)
            checked += 1
    assert checked > 10_000
    assert len(shapes) < checked  # filled-down columns really share keys


def _lift_by_element(fn, *args):
    """Excel 365 lifting written out cell by cell: the reference `values.lift` must equal."""
    from xladdin.engine.values import Arr, element_at

    nr = max([a.nrows for a in args if type(a) is Arr] + [1])
    nc = max([a.ncols for a in args if type(a) is Arr] + [1])
    return [[fn(*[element_at(a, i, j) for a in args]) for j in range(nc)] for i in range(nr)]


def test_element_wise_operators_broadcast_as_cell_by_cell_lifting():
    # one row or one column repeats, a scalar fills everything, past a smaller array's edge is #N/A
    from xladdin.engine.values import Arr, lift

    rnd = random.Random(17)
    shapes = [(r, c) for r in (1, 2, 3, 4) for c in (1, 2, 3)]
    for _ in range(400):
        args = []
        for _ in range(rnd.choice((1, 2, 3))):
            if rnd.random() < 0.25:
                args.append(rnd.choice((1.5, "x", True, None)))
            else:
                r, c = rnd.choice(shapes)
                rows = tuple(tuple(rnd.randint(0, 9) for _ in range(c)) for _ in range(r))
                args.append(Arr(rows) if rnd.random() < 0.5 else Arr.from_columns(tuple(zip(*rows))))
        if not any(type(a) is Arr for a in args):
            continue
        got = lift(lambda *xs: xs, *args)
        assert got == _lift_by_element(lambda *xs: xs, *args), args
