"""A finance bureau opens a department's .xlsx built from the framework, recalculates it
without Excel and writes the results back (package layer + engine together)."""
import datetime as dt

import pytest

from xladdin import engine
from xladdin.xlsx import ErrorValue, WorkbookPackage


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from workbook import build_template, load_example

    example = load_example("longgang_2020_seed")
    path = tmp_path_factory.mktemp("wb") / "部门.xlsx"
    return build_template(example["framework"], path, values=example["values"], department=example["department"])


def _named(book, results, name):
    ref = book.defined_names[name]
    sheet, addr = ref.rsplit("!", 1)
    key = (sheet.strip("'"), addr.replace("$", ""))
    return results.values[key]


def test_the_seed_department_scores_as_published(built, tmp_path):
    book = WorkbookPackage.open(built)
    results = engine.recalculate_package(book)
    assert results.problems == []
    assert _named(book, results, "total_score") == 98.97    # 25 + 19.98 + 53.99, as published
    assert _named(book, results, "grade") == "优"
    assert not [v for v in results.values.values() if isinstance(v, ErrorValue)]
    # results go back into the file and read back as the cached values
    out = tmp_path / "out.xlsx"
    book.write(results.values, out)
    again = WorkbookPackage.open(out)
    total_key = next(k for k, v in results.values.items() if v == 98.97)
    assert again.cells[total_key].value == 98.97


def test_a_blank_input_makes_the_total_na_with_a_reason(built):
    book = WorkbookPackage.open(built)
    name_ref = book.defined_names["procurement_actual"]
    sheet, addr = name_ref.rsplit("!", 1)
    key = (sheet.strip("'"), addr.replace("$", ""))
    book.cells[key].value = None
    results = engine.recalculate_package(book)
    assert _named(book, results, "total_score") == "#N/A"
    notes = [v for v in results.values.values() if isinstance(v, str) and "为空" in v]
    assert notes, "the _NOTE companion explains the missing input"


def test_dates_in_input_cells_are_serial_numbers():
    r = engine.calculate({("S", "B1"): dt.date(2024, 1, 15), ("S", "B2"): dt.datetime(2024, 1, 15, 12)},
                         {("S", "A1"): "B1+0", ("S", "A2"): "B2-B1"}, {}, ["S"])
    assert r.problems == []
    assert r.values == {("S", "A1"): 45306.0, ("S", "A2"): 0.5}


def test_a_formula_showing_a_date_input_gives_its_serial_number():
    r = engine.calculate({("S", "B1"): dt.date(2024, 1, 15)}, {("S", "A3"): "B1"}, {}, ["S"])
    assert r.values == {("S", "A3"): 45306.0}


def test_one_bad_formula_in_a_department_workbook_keeps_only_its_cells(built, tmp_path):
    """A department's hand-added formula that the engine cannot compute leaves the
    scores computed, and the bad cell (with whatever reads it) as the file has it."""
    book = WorkbookPackage.open(built)
    total = book.defined_names["total_score"]
    sheet, addr = total.rsplit("!", 1)
    sheet = sheet.strip("'")
    spare = next(f"Z{r}" for r in range(1, 200) if (sheet, f"Z{r}") not in book.cells)
    below = spare[0] + str(int(spare[1:]) + 1)
    from xladdin.package import Cell
    book.cells[(sheet, spare)] = Cell(sheet, spare, "FOO(1)", 12.5, None)
    book.cells[(sheet, below)] = Cell(sheet, below, f"{spare}+{addr.replace('$', '')}", 7.0, None)
    results = engine.recalculate_package(book)
    assert _named(book, results, "total_score") == 98.97
    assert {p.cell for p in results.problems} == {(sheet, spare), (sheet, below)}
    assert (sheet, spare) not in results.values and (sheet, below) not in results.values
