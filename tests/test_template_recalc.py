"""The generated workbook, recalculated: the seed figures give the published table, and
editing one input cell changes exactly the indicator, subtotals and total that depend on it.

Excel itself is not available here; the workbook is recalculated by the project's engine
(`xladdin.engine`, judged against Excel on the Excel-saved corpus in test_excel_corpus.py),
through the same path as `xladdin recalc`: the file as saved, every formula evaluated.
"""
import copy

import openpyxl
import pytest
from openpyxl.utils import range_boundaries

from workbook import build_template, load_example, load_framework
from workbook.builder import SCORE_SHEET, SUMMARY_SHEET
from workbook.framework import printed_note
from xladdin import engine, xlsx

SEED_SCORES = [5, 5, 8, 7, 1.98, 3, 3, 2, 2, 2, 1, 1, 1, 3, 5, 5.99, 8, 6, 20, 3, 6]  # typed from the seed table
FIRST, LAST = 7, 27


def recalc(path):
    """Every formula cell's value, as the engine computes it from the saved file."""
    result = engine.recalculate_package(xlsx.WorkbookPackage.open(path))
    assert not result.problems, result.messages()
    return result.values


@pytest.fixture(scope="module")
def seed():
    return load_example("longgang_2020_seed")


@pytest.fixture(scope="module")
def seed_book(tmp_path_factory, seed):
    path = tmp_path_factory.mktemp("calc") / "seed.xlsx"
    build_template("longgang_2020", path, values=seed["values"], department=seed["department"])
    return path


def scores(values):
    return [values[(SCORE_SHEET, f"I{r}")] for r in range(FIRST, LAST + 1)]


def test_the_seed_workbook_recalculates_to_the_published_table(seed_book):
    v = recalc(seed_book)
    assert scores(v) == pytest.approx(SEED_SCORES, abs=1e-9)
    assert v[(SCORE_SHEET, "I28")] == pytest.approx(98.97, abs=1e-9)
    assert v[(SCORE_SHEET, "I29")] == "优"
    assert v[(SCORE_SHEET, "J28")] == ""  # no "n indicators missing" warning
    assert v[(SCORE_SHEET, "J7")] == ""  # full marks: an empty note
    # the deduction note, then the seed example's 整改情况 (the report's 改进措施 (1)), as printed
    assert v[(SCORE_SHEET, "J11")] == printed_note(
        "政府采购执行率=（14,750/15,000）×100%=98.33%，得1.98分，扣0.02分"
        "；整改情况：严格执行政府采购程序，依据管理办法和中标通知书严格支付相关采购合同款项。"
    )
    assert v[(SUMMARY_SHEET, "C5")] == pytest.approx(19.98) and v[(SUMMARY_SHEET, "C10")] == pytest.approx(53.99)
    assert v[(SUMMARY_SHEET, "F11")] == pytest.approx(19.99)  # 效率性


def _set_named(path, name, new_values, out):
    wb = openpyxl.load_workbook(path)
    (sheet, ref), = wb.defined_names[name].destinations
    min_col, min_row, max_col, max_row = range_boundaries(ref.replace("$", ""))
    cells = [wb[sheet].cell(r, c) for r in range(min_row, max_row + 1) for c in range(min_col, max_col + 1)]
    for cell, value in zip(cells, new_values):
        cell.value = value
    wb.save(out)


def test_editing_one_input_cell_changes_only_what_depends_on_it(seed_book, tmp_path):
    before = recalc(seed_book)
    edited = tmp_path / "edited.xlsx"
    _set_named(seed_book, "sangong_actual", [58000], edited)  # 95.1% of budget → 三公 2 instead of 3
    after = recalc(edited)
    changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k) and k[0] != "基础数据"}
    assert changed == {
        (SCORE_SHEET, "I21"),  # 公用经费控制率 5 → 4
        (SCORE_SHEET, "J21"),  # its note
        (SCORE_SHEET, "I28"),  # 总得分
        (SUMMARY_SHEET, "F10"),  # 经济性
        (SUMMARY_SHEET, "G10"),  # 经济性 扣分
        (SUMMARY_SHEET, "C10"),  # 部门绩效
        (SUMMARY_SHEET, "C14"),  # 总得分 in the summary
    }
    assert after[(SCORE_SHEET, "I21")] == 4
    assert after[(SCORE_SHEET, "I28")] == pytest.approx(97.97)
    assert after[(SCORE_SHEET, "I29")] == "优"


def test_a_blank_input_shows_na_in_its_indicator_subtotals_and_total(seed_book, tmp_path):
    edited = tmp_path / "blanked.xlsx"
    _set_named(seed_book, "daily_budget", [None], edited)
    v = recalc(edited)
    assert v[(SCORE_SHEET, "I21")] == "#N/A"
    assert "日常公用经费" in v[(SCORE_SHEET, "J21")] or "预算" in v[(SCORE_SHEET, "J21")]
    assert v[(SCORE_SHEET, "I28")] == "#N/A" and v[(SCORE_SHEET, "I29")] == "#N/A"
    assert v[(SCORE_SHEET, "J28")] == "有1项指标未得出分数，请查看该指标的扣分情况说明"
    assert v[(SUMMARY_SHEET, "C10")] == "#N/A"
    assert v[(SUMMARY_SHEET, "C3")] == 25 and v[(SUMMARY_SHEET, "C5")] == pytest.approx(19.98)


def test_a_typed_remedy_joins_the_note_and_an_empty_one_leaves_it_alone(seed_book, tmp_path):
    edited = tmp_path / "remedies.xlsx"
    _set_named(seed_book, "procurement_remedy", [None], edited)
    v = recalc(edited)
    assert v[(SCORE_SHEET, "J11")] == printed_note("政府采购执行率=（14,750/15,000）×100%=98.33%，得1.98分，扣0.02分")
    _set_named(edited, "budget_rationality_remedy", ["继续保持。"], edited)  # full marks
    v = recalc(edited)
    assert v[(SCORE_SHEET, "J7")] == "整改情况：继续保持。"
    assert v[(SCORE_SHEET, "I7")] == 5 and v[(SCORE_SHEET, "I28")] == pytest.approx(98.97, abs=1e-9)


def test_the_variant_workbook_recalculates(tmp_path, seed):
    path = tmp_path / "variant.xlsx"
    values = copy.deepcopy(seed["values"])
    values.update(staff_in_post=101, staff_authorized=100)
    build_template(load_framework("variant_linear_staff"), path, values=values)
    v = recalc(path)
    assert v[(SCORE_SHEET, "I18")] == pytest.approx(0.5)  # 财政供养人员控制率, linear deduction
    assert v[(SCORE_SHEET, "I28")] == pytest.approx(98.47)
