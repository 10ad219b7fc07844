"""A finance user opens the generated workbook: is it the framework table, are the input
cells where the names say, and does every score formula read the right inputs?"""
import re

import openpyxl
import pytest
from openpyxl.utils import range_boundaries

from workbook import build_template, load_example, load_framework
from workbook.builder import CONF_SHEET, INPUT_SHEET, SCORE_SHEET, SUMMARY_SHEET

FIRST = 7  # first indicator row of 评分表 (3 header rows as in the seed, 4–6)


@pytest.fixture(scope="module")
def fw():
    return load_framework("longgang_2020")


@pytest.fixture(scope="module")
def seed():
    return load_example("longgang_2020_seed")


@pytest.fixture(scope="module")
def book(tmp_path_factory, fw, seed):
    path = tmp_path_factory.mktemp("tpl") / "seed.xlsx"
    build_template(fw, path, values=seed["values"], department=seed["department"])
    return openpyxl.load_workbook(path)


@pytest.fixture(scope="module")
def blank(tmp_path_factory, fw):
    path = tmp_path_factory.mktemp("tpl") / "blank.xlsx"
    build_template(fw, path)
    return openpyxl.load_workbook(path)


def merged(ws):
    return {str(r) for r in ws.merged_cells.ranges}


def name_cells(wb, name):
    """(sheet, [cells]) a workbook defined name points at."""
    dests = list(wb.defined_names[name].destinations)
    assert len(dests) == 1, name
    sheet, ref = dests[0]
    min_col, min_row, max_col, max_row = range_boundaries(ref.replace("$", ""))
    ws = wb[sheet]
    return sheet, [ws.cell(r, c) for r in range(min_row, max_row + 1) for c in range(min_col, max_col + 1)]


def formula_names(formula):
    return re.findall(r"\b([a-z][a-z0-9_]*)\b", formula)


def test_sheets_and_the_xlwings_config(book):
    assert book.sheetnames == [SCORE_SHEET, INPUT_SHEET, SUMMARY_SHEET, CONF_SHEET]
    conf = book[CONF_SHEET]
    assert (conf["A1"].value, conf["B1"].value) == ("UDF Modules", "udfs")
    assert conf["A2"].value is None  # xlwings reads A1 down to the first blank
    assert conf.sheet_state == "hidden"  # read by the add-in all the same (xlwings release hides it too)
    assert book[SCORE_SHEET].sheet_state == "visible"


def test_title_header_block_and_the_seed_header_rows(book, fw):
    ws = book[SCORE_SHEET]
    assert ws["A1"].value == fw.title and "A1:J1" in merged(ws)
    assert ws["A2"].value == "部门名称" and ws["F2"].value == "年度" and ws["H2"].value == "填报人"
    for name, value in (("dept_name", "深圳市龙岗区总工会"), ("eval_year", 2020), ("preparer", "郝红")):
        sheet, cells = name_cells(book, name)
        assert sheet == SCORE_SHEET and cells[0].value == value and cells[0].fill.fgColor.rgb.endswith("FFF9C4")
    m = merged(ws)
    assert {"A4:F4", "G4:G6", "H4:H6", "I4:I6", "J4:J6", "A5:B5", "C5:D5", "E5:F5"} <= m
    assert [ws.cell(4, c).value for c in (1, 7, 8, 9, 10)] == ["评价指标", "指标说明", "参考评分标准", "得分情况", "扣分情况及整改情况说明"]
    assert [ws.cell(5, c).value for c in (1, 3, 5)] == ["一级指标", "二级指标", "三级指标"]
    assert [ws.cell(6, c).value for c in range(1, 7)] == ["名称", "参考分值"] * 3


def test_one_row_per_indicator_with_names_points_and_texts(book, fw):
    ws = book[SCORE_SHEET]
    for i, ind in enumerate(fw.indicators):
        r = FIRST + i
        assert ws.cell(r, 5).value == ind.name
        assert ws.cell(r, 6).value == float(ind.points)
        assert ws.cell(r, 7).value == ind.description
        assert ws.cell(r, 8).value == ind.criteria
        assert ws.cell(r, 7).alignment.wrap_text and ws.cell(r, 8).alignment.wrap_text
        assert ws.row_dimensions[r].height >= 20
    # the longest criteria gets a taller row than a one-line one
    rows = {ind.name: FIRST + i for i, ind in enumerate(fw.indicators)}
    assert ws.row_dimensions[rows["预算执行率"]].height > 2 * ws.row_dimensions[rows["项目完成及时性"]].height


def test_first_and_second_levels_are_merged_vertically_as_in_the_report(book, fw):
    """Each level's 名称/参考分值 cells are merged over its rows, one merged part per printed
    page (a manual page break splits a level that does not fit on one page), and every
    part carries the level's name and points."""
    ws = book[SCORE_SHEET]
    m = merged(ws)
    breaks = sorted(b.id for b in ws.row_breaks.brk)  # a page break after each of these rows

    def parts(first, last):
        cuts = [b for b in breaks if first <= b < last]
        starts = [first] + [b + 1 for b in cuts]
        ends = cuts + [last]
        return list(zip(starts, ends))

    r = FIRST
    for l1 in fw.level1:
        n1 = len(l1.indicators)
        for a, b in parts(r, r + n1 - 1):
            if b > a:
                assert f"A{a}:A{b}" in m and f"B{a}:B{b}" in m
            assert (ws.cell(a, 1).value, ws.cell(a, 2).value) == (l1.name, float(l1.points))
        r2 = r
        for l2 in l1.children:
            n2 = len(l2.indicators)
            for a, b in parts(r2, r2 + n2 - 1):
                if b > a:
                    assert f"C{a}:C{b}" in m and f"D{a}:D{b}" in m
                assert (ws.cell(a, 3).value, ws.cell(a, 4).value) == (l2.name, float(l2.points))
            r2 += n2
        r += n1
    assert (ws["A7"].value, ws["A11"].value, ws["A21"].value) == ("部门决策", "部门管理", "部门绩效")


def test_score_and_note_formulas_read_the_indicators_own_inputs(book, fw):
    ws = book[SCORE_SHEET]
    for i, ind in enumerate(fw.indicators):
        r = FIRST + i
        score, note = ws.cell(r, 9).value, ws.cell(r, 10).value
        assert score == "=" + fw.cell_score_formula(ind)
        references = {name: dn.attr_text for name, dn in book.defined_names.items()}
        assert note == "=" + fw.note_cell_formula(ind, references)
        fn = ind.call.function
        assert score.endswith(fw.score_formula(ind) + ")" * len(fw.guards(ind)))
        assert note.startswith("=SUBSTITUTE(") and f"{fn}_NOTE(" in note
        # the _NOTE call, then the indicator's 整改情况 input after "；" unless the note is empty
        # (a mark U+2063 starts the text and goes with a "；" right after it), shown as printed:
        # a word joiner (U+2060) before each unit, a zero width space (U+200B) after "="
        k = ind.key
        text = (
            f'SUBSTITUTE(SUBSTITUTE("\u2063"&IFERROR({fw.guarded_note_formula(ind, references)},"")'
            f'&IF({k}_remedy="","","；整改情况："&{k}_remedy),"\u2063；",""),"\u2063","")'
        )
        units = "分项个档元万人次天年"
        assert note == (
            "=" + "SUBSTITUTE(" * (len(units) + 3) + text
            + "".join(f',"{unit}","\u2060{unit}")' for unit in units)
            + "".join(f',"{mark}","{mark}\u200b")' for mark in "=）/")
        )
        own = {n for inp in ind.inputs for n in inp.names() if not n.endswith("_name")}
        assert set(formula_names(score)) == own, ind.name
        # a table's note also reads its name column (the row number just below the table)
        table = {inp.columns[0].name for inp in ind.inputs if inp.kind == "table"}
        assert set(formula_names(note)) == own | table | {f"{k}_remedy"}, ind.name
        sheet, cells = name_cells(book, f"{ind.key}_score")
        assert sheet == SCORE_SHEET and cells[0].row == r and cells[0].column == 9
    rows = {ind.key: FIRST + i for i, ind in enumerate(fw.indicators)}
    # 政策功能落实 is optional for the function (default 1) but the template asks for it: blank → #N/A
    assert ws.cell(rows["procurement"], 9).value == (
        '=IF(IFERROR(TRIM(procurement_policy&"")="",FALSE),NA(),'
        "SCORE_PROCUREMENT(procurement_actual,procurement_planned,procurement_policy))"
    )
    assert ws.cell(rows["mgmt_system"], 9).value == "=SCORE_CHECKLIST(mgmt_system_items,{0.5,1.5,1})"
    assert ws.cell(rows["budget_execution"], 9).value == (
        '=IF(IFERROR(TRIM(quarter_cumulative&"")="",FALSE),NA(),'
        "SCORE_QUARTERLY(quarter_spending,execution_budget,quarter_cumulative))"
    )
    assert ws.cell(rows["procurement"], 10).value == (
        "=SUBSTITUTE(SUBSTITUTE(SUBSTITUTE(SUBSTITUTE(SUBSTITUTE(SUBSTITUTE(SUBSTITUTE(SUBSTITUTE(SUBSTITUTE(SUBSTITUTE(SUBSTITUTE("
        "SUBSTITUTE(SUBSTITUTE(SUBSTITUTE(SUBSTITUTE("
        '"\u2063"&IFERROR(IF(IFERROR(TRIM(procurement_policy&"")="",FALSE),"政府采购政策功能执行和落实到位为空，请填写",'
        'SCORE_PROCUREMENT_NOTE(procurement_actual,procurement_planned,procurement_policy)),"")'
        '&IF(procurement_remedy="","","；整改情况："&procurement_remedy),"\u2063；",""),"\u2063","")'
        ',"分","\u2060分"),"项","\u2060项"),"个","\u2060个"),"档","\u2060档"),"元","\u2060元"),"万","\u2060万")'
        ',"人","\u2060人"),"次","\u2060次"),"天","\u2060天"),"年","\u2060年"),"=","=\u200b"),"）","）\u200b"),"/","/\u200b")'
    )


def test_every_input_name_points_at_its_labelled_yellow_cells(book, fw):
    ws = book[INPUT_SHEET]
    for inp in fw.inputs:
        if inp.kind == "table":
            for col in inp.columns:
                sheet, cells = name_cells(book, col.name)
                assert sheet == INPUT_SHEET and len(cells) == inp.rows
                assert len({c.column for c in cells}) == 1
                header = ws.cell(cells[0].row - 1, cells[0].column).value
                assert header.startswith(col.label), (col.name, header)
            continue
        sheet, cells = name_cells(book, inp.key)
        assert sheet == INPUT_SHEET and len(cells) == inp.size, inp.key
        for i, cell in enumerate(cells):
            assert cell.column == 3
            label = ws.cell(cell.row, 2).value
            assert label == (f"{i + 1}. {inp.items[i].label}" if inp.items else inp.label)
            assert ws.cell(cell.row, 1).value == fw.indicator(inp.indicator).name
            assert cell.fill.fgColor.rgb.endswith("FFF9C4")
            assert cell.comment is not None and inp.help[:20] in cell.comment.text and inp.key in cell.comment.text
        # the group heading row above the first input of an indicator names the indicator
        ind = fw.indicator(inp.indicator)
        if inp is ind.inputs[0]:
            assert ws.cell(cells[0].row - 1, 1).value.split(" ", 1)[1].startswith(f"{ind.name}（")


REMEDY_LABEL = "整改情况及措施（选填）"
REMEDY_HELP = "填写后自动附在评分表「扣分情况及整改情况说明」栏的扣分说明之后"


def _validated_cells(ws):
    cells = set()
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            min_col, min_row, max_col, max_row = rng.bounds
            cells |= {(r, c) for r in range(min_row, max_row + 1) for c in range(min_col, max_col + 1)}
    return cells


@pytest.mark.parametrize("which", ["longgang_2020", "variant_linear_staff"])
def test_every_indicator_ends_with_its_remedy_input(tmp_path, which):
    """Not declared in the definition files: the builder adds it for every framework."""
    framework = load_framework(which)
    path = build_template(framework, tmp_path / f"{which}.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb[INPUT_SHEET]
    validated = _validated_cells(ws)
    headings = [r for r in range(4, ws.max_row + 1) if ws.cell(r, 1).value and ws.cell(r, 2).value is None and f"A{r}:F{r}" in merged(ws)]
    assert len(headings) == len(framework.indicators)
    for i, ind in enumerate(framework.indicators):
        assert all(inp.key != f"{ind.key}_remedy" for inp in ind.inputs)  # generated, not declared
        sheet, cells = name_cells(wb, f"{ind.key}_remedy")
        assert sheet == INPUT_SHEET and len(cells) == 1
        cell = cells[0]
        r = cell.row
        # the last row of the indicator's group: the next row is the next group's heading
        assert r == (headings[i + 1] - 1 if i + 1 < len(headings) else ws.max_row), ind.key
        assert headings[i] < r
        assert (ws.cell(r, 1).value, ws.cell(r, 2).value) == (ind.name, REMEDY_LABEL)
        assert cell.column == 3 and cell.value is None
        assert cell.fill.fgColor.rgb.endswith("FFF9C4") and cell.alignment.wrap_text
        assert cell.number_format == "@"  # text kind
        assert f"C{r}:D{r}" in merged(ws)  # wide enough for a sentence or two
        assert ws.row_dimensions[r].height >= 40
        assert (r, 3) not in validated  # free text, no validation
        assert ws.cell(r, 5).value == REMEDY_HELP and ws.cell(r, 6).value == f"{ind.key}_remedy"
        assert REMEDY_HELP in cell.comment.text and f"{ind.key}_remedy" in cell.comment.text
        # the 评分表 note cell of the indicator reads it
        note = wb[SCORE_SHEET].cell(FIRST + i, 10).value
        references = {name: dn.attr_text for name, dn in wb.defined_names.items()}
        assert note == "=" + framework.note_cell_formula(ind, references) and f'"；整改情况："&{ind.key}_remedy)' in note


def test_the_seed_remedies_are_in_their_cells(book, fw):
    ws = book[INPUT_SHEET]
    given = {
        "procurement": "严格执行政府采购程序，依据管理办法和中标通知书严格支付相关采购合同款项。",
        "public_funds": "强化管理，厉行节约，努力提高经费使用效率，加强财务核算，强化审计监督，有效控制日常经费支出的增长。",
        "budget_execution": "提高预算执行率、严把收入支出关，进一步加强预算执行力度。",
    }
    for ind in fw.indicators:
        _, (cell,) = name_cells(book, f"{ind.key}_remedy")
        assert cell.value == given.get(ind.key), ind.key
    _, (cell,) = name_cells(book, "public_funds_remedy")
    assert ws.row_dimensions[cell.row].height >= 40


def test_number_formats_and_data_validation_by_kind(book, fw):
    ws = book[INPUT_SHEET]
    by_cell = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            min_col, min_row, max_col, max_row = rng.bounds
            for r in range(min_row, max_row + 1):
                for c in range(min_col, max_col + 1):
                    assert (r, c) not in by_cell
                    by_cell[(r, c)] = dv
    for inp in fw.inputs:
        if inp.kind == "table":
            continue
        _, cells = name_cells(book, inp.key)
        for cell in cells:
            dv = by_cell[(cell.row, cell.column)]
            if inp.kind == "flag":
                assert dv.type == "list" and dv.formula1 == '"是,否"'
                assert dv.errorStyle == ("warning" if inp.scored_flag else "stop")  # partial credit may be typed
            elif inp.kind == "status":
                assert dv.type == "list" and dv.formula1 == '"按规定公开,公开但不符合要求,未公开"'
            elif inp.not_applicable:  # a dropdown offering 不涉及 that lets numbers through
                assert (dv.type, dv.formula1, dv.showErrorMessage) == ("list", '"不涉及"', False)
                assert "不涉及" in dv.prompt
            elif inp.kind == "amount":  # a warning lets an amount with its unit through (1.48万)
                assert (dv.type, dv.operator, dv.formula1, dv.errorStyle) == ("decimal", "greaterThanOrEqual", "0", "warning")
                assert cell.number_format == "#,##0.00"
            elif inp.kind == "count":
                assert (dv.type, dv.operator, dv.formula1) == ("whole", "greaterThanOrEqual", "0")
            elif inp.kind == "rate":
                assert (dv.type, dv.operator, dv.formula1, dv.formula2) == ("decimal", "between", "0", "10")
                assert cell.number_format == "0.00%"
    _, directions = name_cells(book, "targets_direction")
    assert by_cell[(directions[0].row, directions[0].column)].formula1 == '"≥,≤"'
    _, names = name_cells(book, "targets_name")
    assert (names[0].row, names[0].column) not in by_cell  # free text


def test_seed_values_are_in_the_named_cells(book, seed):
    def values_of(name):
        return [c.value for c in name_cells(book, name)[1]]

    assert values_of("procurement_actual") == [14750]
    assert values_of("quarter_spending") == [46666000, 17441700, 25599600, 1628900]
    assert values_of("execution_budget") == [91471549.43]
    assert values_of("budget_disclosure") == ["按规定公开"]
    assert values_of("mgmt_system_items") == ["是", "是", "是"]
    assert values_of("targets_actual") == [0.997, 1374, 343, 8000, 4.8] + [None] * 15  # 20 rows
    assert values_of("targets_direction") == ["≥", "≥", "≥", "≥", "≤"] + ["≥"] * 15
    assert values_of("satisfaction_rate") == [0.96]


def test_blank_template_has_empty_inputs_except_defaults(blank, fw):
    assert name_cells(blank, "procurement_actual")[1][0].value is None
    assert name_cells(blank, "fin_violation")[1][0].value == "否"
    assert [c.value for c in name_cells(blank, "targets_direction")[1]] == ["≥"] * 20
    assert name_cells(blank, "dept_name")[1][0].value is None
    assert name_cells(blank, "eval_year")[1][0].value is None  # a 2024 file must not come back as 2020


def test_total_and_grade_are_guarded(book, fw):
    ws = book[SCORE_SHEET]
    last = FIRST + len(fw.indicators) - 1
    total_row, grade_row = last + 1, last + 2
    rng = f"I{FIRST}:I{last}"
    assert ws.cell(total_row, 1).value == "总得分"
    assert ws.cell(total_row, 9).value == f"=IF(COUNT({rng})=ROWS({rng}),ROUND(SUM({rng}),2),NA())"
    assert ws.cell(total_row, 6).value == f"=SUM(F{FIRST}:F{last})"
    assert ws.cell(grade_row, 1).value == "评价等级"
    assert ws.cell(grade_row, 9).value == f"=IF(ISNUMBER(I{total_row}),SCORE_GRADE(I{total_row}),NA())"
    sheet, cells = name_cells(book, "total_score")
    assert sheet == SCORE_SHEET and cells[0].row == total_row


def test_summary_sheet_subtotals_each_level_over_its_own_rows(book, fw):
    ws = book[SUMMARY_SHEET]
    rows = {ind.key: FIRST + i for i, ind in enumerate(fw.indicators)}
    found_l2 = {}
    for r in range(3, ws.max_row + 1):
        name, formula = ws.cell(r, 4).value, ws.cell(r, 6).value
        if isinstance(formula, str) and formula.startswith("=IF(COUNT("):
            found_l2[name] = formula
    assert len(found_l2) == len(fw.level2)
    for l2 in fw.level2:
        a, b = rows[l2.indicators[0].key], rows[l2.indicators[-1].key]
        rng = f"'评分表'!I{a}:I{b}"
        assert found_l2[l2.name] == f"=IF(COUNT({rng})=ROWS({rng}),ROUND(SUM({rng}),2),NA())"
    for l1 in fw.level1:
        a, b = rows[l1.indicators[0].key], rows[l1.indicators[-1].key]
        cells = [ws.cell(r, 3).value for r in range(3, ws.max_row + 1) if ws.cell(r, 1).value == l1.name]
        assert cells == [f"=IF(COUNT('评分表'!I{a}:I{b})=ROWS('评分表'!I{a}:I{b}),ROUND(SUM('评分表'!I{a}:I{b}),2),NA())"]


def test_print_and_view_settings(book):
    ws = book[SCORE_SHEET]
    assert ws.freeze_panes == "A7"
    assert ws.print_title_rows == "$4:$6"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert book[INPUT_SHEET].freeze_panes == "A4"


def test_variant_builds_with_its_own_points_and_formulas(tmp_path, seed):
    var = load_framework("variant_linear_staff")
    path = build_template(var, tmp_path / "variant.xlsx", values=seed["values"], department="示例单位")
    wb = openpyxl.load_workbook(path)
    ws = wb[SCORE_SHEET]
    assert ws["A1"].value == var.title and ws["B2"].value == "示例单位"
    rows = {ws.cell(r, 5).value: r for r in range(FIRST, FIRST + 21)}
    assert ws.cell(rows["财政供养人员控制率"], 9).value == "=SCORE_STAFF_CONTROL(staff_in_post,staff_authorized,1,0.5)"
    assert ws.cell(rows["公众或服务对象满意度"], 9).value == "=SCORE_TIERS(satisfaction_rate,{0.9,0.8,0.7},{6,4,2},0)"
    assert ws.cell(rows["重点工作完成情况"], 6).value == 10 and ws.cell(rows["项目完成及时性"], 6).value == 4
    assert ws.cell(rows["重点工作完成情况"], 8).value.endswith("一项重点工作没有完成扣5分，扣完为止。")


def test_score_and_subtotal_names_and_no_name_shadows_a_function(book, fw):
    import udfs

    functions = {n.upper() for n in dir(udfs) if n.startswith("SCORE_")}
    assert not [n for n in book.defined_names if n.upper() in functions]  # Excel names ignore case
    ws = book[SUMMARY_SHEET]
    for level in [*fw.level1, *fw.level2]:
        sheet, cells = name_cells(book, f"subtotal_{level.key}")
        assert sheet == SUMMARY_SHEET
        label_col = 1 if level in fw.level1 else 4
        assert ws.cell(cells[0].row, label_col).value == level.name
        assert cells[0].value.startswith("=IF(COUNT('评分表'!I")
    for name in ("total_score", "grade"):
        sheet, cells = name_cells(book, name)
        assert sheet == SCORE_SHEET and cells[0].column == 9


def test_the_layout_reads_back_from_the_workbooks_own_names(book, fw):
    """Audit, summary, report and freeze find every score, note, subtotal, the total and
    the grade from the defined names alone (workbook.names.TemplateCells), where the
    builder put them: the note right of its score, on the 评分表 row of its indicator."""
    from workbook.names import TemplateCells

    names = {name: dn.attr_text for name, dn in book.defined_names.items()}
    cells = TemplateCells.read(names)
    ws = book[SCORE_SHEET]
    assert set(cells.scores) == {ind.key for ind in fw.indicators}
    for ind in fw.indicators:
        sheet, score = cells.scores[ind.key]
        note_sheet, note = cells.note_of(ind.key)
        assert (sheet, note_sheet) == (SCORE_SHEET, SCORE_SHEET)
        row = int(re.sub(r"\D", "", score))
        assert ws.cell(row, 5).value == ind.name  # 三级指标 column of the same row
        assert str(ws[score].value).startswith("=") and "_NOTE(" in str(ws[note].value)
    levels = {lv.key for lv in [*fw.level1, *fw.level2]}
    assert set(cells.subtotals) == levels
    assert cells.total == (SCORE_SHEET, cells.total[1]) and cells.grade[0] == SCORE_SHEET
    assert "SCORE_GRADE" in str(ws[cells.grade[1]].value)
