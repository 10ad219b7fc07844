"""The scale benchmark's workbook generator (scripts/scale_workbook.py) writes a valid workbook.

Only validity is checked here; the benchmark itself (scripts/bench_recalc.py --scale) is
not a test, since timings on shared machines are never asserted.
"""
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from scale_workbook import make_mixed_workbook, make_scale_workbook  # noqa: E402

# Row 7 of each formula column after Excel fills row 2's formula down: relative references
# move 5 rows, the absolute lookup table stays (Excel's fill rule).
ROW_7 = {
    "I": "=ROUND(B7*C7,2)",
    "J": "=IF(D7>0,ROUNDDOWN(E7/D7,4),0)",
    "K": "=VLOOKUP(A7,参数!$A$2:$C$201,2,FALSE)",
    "L": "=SUM(F7:F206)",
    "M": "=SCORE_PROCUREMENT(G7,H7)",
}


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scale")
    shared = make_scale_workbook(folder / "shared.xlsx", 52, shared=True)
    full = make_scale_workbook(folder / "full.xlsx", 52, shared=False)
    return shared, full


def formulas_of(path):
    sheet = openpyxl.load_workbook(path)["部门"]
    return {cell.coordinate: cell.value for row in sheet.iter_rows() for cell in row
            if isinstance(cell.value, str) and cell.value.startswith("=")}


def test_n_formulas_in_whole_rows_of_five(books):
    for book in books:
        assert (book.rows, book.n_formulas) == (11, 55)  # 52 rounded up to whole rows
        formulas = formulas_of(book.path)
        assert len(formulas) == 55
        assert {ref[0] for ref in formulas} == set("IJKLM")


def test_shared_formulas_are_written_as_excel_fills_down(books):
    shared, _ = books
    with zipfile.ZipFile(shared.path) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml").decode()
    assert '<f t="shared" ref="L2:L12" si="3">SUM(F2:F201)</f>' in sheet
    assert sheet.count('<f t="shared" si="3"/>') == 10
    assert "<v>" not in sheet.split('<c r="I2"', 1)[1].split("</c>", 1)[0]


def test_shared_formulas_expand_to_the_filled_down_text(books):
    shared, full = books
    expanded, written = formulas_of(shared.path), formulas_of(full.path)
    for column, text in ROW_7.items():
        assert expanded[f"{column}7"] == text
    assert expanded["I2"] == "=ROUND(B2*C2,2)"
    assert expanded["L12"] == "=SUM(F12:F211)"
    assert expanded == written  # same formulas, shared or written in full


def test_needs_recalculation_and_lookups_resolve(books):
    shared, _ = books
    wb = openpyxl.load_workbook(shared.path, data_only=True)
    assert wb.calculation.fullCalcOnLoad
    dept, params = wb["部门"], wb["参数"]
    assert all(dept[f"{col}{r}"].value is None for col in "IJKLM" for r in range(2, 13))  # no cached values
    codes = [params.cell(r, 1).value for r in range(2, 202)]
    assert len(set(codes)) == 200 and params.max_row == 201
    assert {dept.cell(r, 1).value for r in range(2, 13)} <= set(codes)  # every VLOOKUP finds its row
    assert all(isinstance(params.cell(r, 2).value, float) for r in range(2, 202))


def test_same_inputs_shared_or_not(books):
    shared, full = books
    values = lambda path: [row for row in openpyxl.load_workbook(path)["部门"].iter_rows(max_col=8, values_only=True)]  # noqa: E731
    assert values(shared.path) == values(full.path)


def test_the_mixed_sheet_has_its_shapes_and_one_of_its_own_in_one_row_of_five(tmp_path):
    book = make_mixed_workbook(tmp_path / "mixed.xlsx", 50)
    formulas = formulas_of(book.path)
    assert (book.rows, len(formulas)) == (10, 50)
    assert formulas["F3"] == '=IF(C3>=1000000,"大额",IF(C3>=100000,"中额",IF(C3>0,"小额","无")))'
    assert formulas["G3"] == "=SUMIF(参数!$C$2:$C$201,E3,参数!$B$2:$B$201)"
    assert formulas["H3"] == "=INDEX(参数!$B$2:$B$201,MATCH(A3,参数!$A$2:$A$201,0))"
    assert formulas["I3"] == '=TEXT(B3,"yyyy-mm-dd")&" "&TEXT(C3,"#,##0.00")'
    assert formulas["J3"] == "=IF(WEEKDAY(B3,2)>5,B3+8-WEEKDAY(B3,2),B3)"
    own = {ref for ref, text in formulas.items() if text.startswith("=IFERROR(")}
    assert own == {"H6", "H11"}  # rows 6 and 11: one row in five
    wb = openpyxl.load_workbook(book.path, data_only=True)
    assert all(wb["部门"][ref].value is None for ref in formulas)  # no cached values
