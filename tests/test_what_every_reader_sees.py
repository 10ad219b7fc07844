"""What every reader sees: LibreOffice (standing in for WPS and for Excel without the
add-in) opening, re-saving and printing the recalculated example, and what ``audit``
says about the files such applications save.

The expected values are the seed report's table (see test_what_a_user_sees); the print
checks read the PDF LibreOffice renders with its default settings.
"""
from __future__ import annotations

import html
import json
import re
import shutil
import subprocess

import openpyxl
import pytest

from test_what_a_user_sees import (
    PUBLISHED, SCORES, TOTAL, _run_soffice, indicator_rows, labelled, libreoffice_sheets, shown, soffice,  # noqa: F401
)
from batch_departments import set_cached_value
from workbook import load_example
from workbook.builder import COL_NOTE, FIRST_DATA_ROW, LINE_HEIGHT, SCORE_WIDTHS, line_count
from workbook.framework import plain_note
from xladdin import cli
from xladdin.audit import cell_of_name
from xladdin.freeze import freeze_file
from xladdin.package import WorkbookPackage

LEVEL1 = ("部门决策", "部门管理", "部门绩效")


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    folder = tmp_path_factory.mktemp("example")
    path = folder / "示例.xlsx"
    assert cli.main(["example", "-o", str(path)]) == 0
    return path


def resave(soffice, source, workdir, *, always_recalculate=False):
    """``source`` opened and saved again as .xlsx by LibreOffice (a plain re-save)."""
    workdir.mkdir(parents=True)
    book = workdir / "book.xlsx"
    shutil.copyfile(source, book)
    out = workdir / "saved"
    _run_soffice(soffice, ["--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(book)], workdir, always_recalculate)
    return out / "book.xlsx"


def no_error_anywhere(sheet):
    return not any(text.startswith("#NAME") for row in sheet for text in row)


def test_libreoffice_shows_no_name_error_in_the_example_or_its_resaved_copy(soffice, example, tmp_path):
    for name, path in (("opened", example), ("re-saved", resave(soffice, example, tmp_path / "resave"))):
        sheets = libreoffice_sheets(soffice, path, tmp_path / f"csv-{name}")
        assert no_error_anywhere(sheets[SCORES]), name
        assert labelled(sheets[SCORES], "总得分", 8) == shown(TOTAL), name
        rows = indicator_rows(sheets[SCORES])
        assert all(rows[n][8] == shown(v) for n, v in PUBLISHED.items()), name
    # the re-saved file stores what LibreOffice showed: no #NAME? was written into it
    saved = WorkbookPackage.open(tmp_path / "resave" / "saved" / "book.xlsx")
    assert not [k for k, c in saved.cells.items() if c.value == "#NAME?"]


def audit_lines(capsys, *paths):
    status = cli.main(["audit", "-j", "1", *map(str, paths)])
    return status, capsys.readouterr().out.splitlines()


def test_audit_of_a_file_saved_without_the_add_in_passes_and_puts_the_hand_typed_score_first(soffice, example, tmp_path, capsys):
    # saved by an application that recalculated without the add-in: every score holds #NAME?;
    # nothing else is wrong, so the file passes: recalculated, told once, no finding
    saved = resave(soffice, example, tmp_path / "app", always_recalculate=True)
    book = WorkbookPackage.open(saved)
    assert book.cells[(SCORES, "I11")].value == "#NAME?"
    status, lines = audit_lines(capsys, saved)
    assert status == 0
    assert lines[0] == "共 1 个部门；1 个部门通过。"
    assert lines[1] == "说明：1 个文件由未装加载项的软件（WPS、LibreOffice 等）保存，评分格中没有得分；已按规则重算，不算问题。"
    assert lines[2] == f"通过  {saved}：所有公式保存的值与按规则重算的一致"
    assert "\n".join(lines).count("未装加载项") == 1
    # a department typed 2 over the 政府采购 formula, then saved with such an application
    typed = tmp_path / "typed.xlsx"
    WorkbookPackage.open(example).write({(SCORES, "I11"): 2.0}, typed, freeze=[(SCORES, "I11")])
    saved = resave(soffice, typed, tmp_path / "app-typed", always_recalculate=True)
    status, lines = audit_lines(capsys, saved)
    assert status == 1
    # 政府采购 by the rule: 14,750/15,000 → 0.98 + 1 = 1.98 (the seed's published score)
    assert lines[1].endswith(f"政府采购执行情况  [手工填写] 得分手工填写为 2，按规则应为 1.98，请恢复评分公式 → {SCORES}!I11")
    assert f"核查  {saved}：1 处需要核对" in lines
    at = lines.index(f"核查  {saved}：1 处需要核对")
    assert lines[at + 1] == f"      [应为公式] {SCORES}!I11 的得分 2 是手工填写的数字，模板此处应为评分公式"


def test_audit_of_a_never_calculated_template(tmp_path, capsys):
    template = tmp_path / "模板.xlsx"
    assert cli.main(["template", "-o", str(template)]) == 0
    capsys.readouterr()
    status, lines = audit_lines(capsys, template)
    assert status == 1
    assert any(line.startswith("      [未重算] 此文件从未计算过：") for line in lines)


def test_audit_of_a_frozen_copy(example, tmp_path, capsys):
    (tmp_path / "定稿").mkdir()
    frozen = freeze_file(example, tmp_path / "定稿" / "示例.xlsx").target
    assert "定稿副本" in WorkbookPackage.open(frozen).custom_properties
    status, lines = audit_lines(capsys, frozen)
    assert status == 0
    assert f"通过  {frozen}：定稿副本，保存的得分与按本文件基础数据重算的一致" in lines
    # an input changed after freezing: 政府采购 实际采购金额 15,000 of 15,000 → 2 points, not the frozen 1.98
    book = WorkbookPackage.open(frozen)
    sheet, ref = book.defined_names["procurement_actual"].replace("$", "").split("!")
    assert sheet == "'基础数据'" and book.cells[("基础数据", ref)].value == 14750
    changed = tmp_path / "改过.xlsx"
    shutil.copyfile(frozen, changed)
    set_cached_value(changed, ref, "14750", "15000", part="xl/worksheets/sheet2.xml")  # 基础数据
    status, lines = audit_lines(capsys, changed)
    assert status == 1 and "应为公式" not in "\n".join(lines)
    at = lines.index(f"核查  {changed}（定稿副本）：2 处需要核对")  # the score and its note
    assert lines[at + 1] == f"      [不一致] {SCORES}!I11 定稿副本中保存的值为 1.98，按本文件基础数据重算为 2（定稿后改过基础数据或得分？）"


def _printed(soffice, source, workdir, *pdftotext_options):
    """What pdftotext reads from LibreOffice's print of ``source`` (default settings)."""
    pdftotext = shutil.which("pdftotext") or pytest.skip("pdftotext is not installed")
    workdir.mkdir(parents=True)
    book = workdir / "book.xlsx"
    shutil.copyfile(source, book)
    _run_soffice(soffice, ["--convert-to", "pdf", "--outdir", str(workdir), str(book)], workdir, False)
    return subprocess.run([pdftotext, *pdftotext_options, str(workdir / "book.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout


def pdf_pages(soffice, source, workdir):
    """The text of each printed page (LibreOffice, default settings)."""
    return _printed(soffice, source, workdir, "-layout").split("\f")


def test_the_printed_scoring_sheet_reads_like_the_report(soffice, example, tmp_path):
    pages = pdf_pages(soffice, example, tmp_path / "pdf")
    score_pages = [p for p in pages if "扣分情况及整改情况说明" in p and "得分情况" in p]
    with_rows = [p for p in score_pages if any(name in p for name in ("预算编制合理性", "财务合规性", "项目监管", "预算执行率", "满意度", "固定资产利用率"))]
    assert len(with_rows) >= 3
    for page in score_pages:
        # every page with indicator rows names the first-level indicator they belong to
        assert any(level in page for level in LEVEL1), page[:400]
    total_page = next(p for p in score_pages if "总得分" in p)
    # 总得分 shares its page with indicator rows of the last group (公众或服务对象满意度 6.00)
    assert "部门绩效" in total_page and shown(TOTAL) in total_page and "6.00" in total_page


def test_no_note_is_cut(example):
    """Every note row is at least as tall as its wrapped lines (CJK glyphs count double)."""
    book = WorkbookPackage.open(example)
    ws = openpyxl.load_workbook(example)[SCORES]
    for row in range(7, 28):
        note = book.cells.get((SCORES, f"J{row}"))
        text = note.value if note is not None else ""
        assert ws.row_dimensions[row].height >= line_count(text, SCORE_WIDTHS[COL_NOTE]) * LINE_HEIGHT, (row, text)


def test_only_the_yellow_input_cells_can_be_typed_in(tmp_path):
    template = tmp_path / "模板.xlsx"
    assert cli.main(["template", "-o", str(template)]) == 0
    wb = openpyxl.load_workbook(template)
    for name in ("评分表", "基础数据", "得分汇总"):
        ws = wb[name]
        assert ws.protection.sheet and not ws.protection.password, name
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    assert cell.protection.locked, (name, cell.coordinate)
                if cell.fill.fgColor.rgb == "00FFF9C4":
                    assert not cell.protection.locked, (name, cell.coordinate)
    # the input cells by their defined names
    for name in ("procurement_actual", "satisfaction_rate", "procurement_remedy", "dept_name"):
        for sheet, ref in wb.defined_names[name].destinations:
            first = ref.split(":")[0].replace("$", "")
            assert not wb[sheet][first].protection.locked, name


def _word_heights(soffice, book, workdir):
    """Per printed page, the median height (pt) of the words LibreOffice lays out."""
    boxes = _printed(soffice, book, workdir, "-bbox")
    pages = []
    for page in boxes.split("<page ")[1:]:
        words = re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<', page)
        heights = sorted(float(b) - float(a) for a, b, _ in words)
        pages.append((heights[len(heights) // 2] if heights else 0.0, "".join(w for *_, w in words)))
    return pages


def test_the_input_sheet_prints_at_9_pt_or_more(soffice, example, tmp_path):
    """基础数据's 10 pt text must reach the paper at ≥ 9 pt (fit to the page width shrinks it).
    The word height of 10 pt 宋体 printed at 100 % is the yardstick, measured the same way."""
    import openpyxl as _openpyxl
    from openpyxl.styles import Font

    ruler = tmp_path / "ruler.xlsx"
    wb = _openpyxl.Workbook()
    for row in range(1, 6):
        wb.active.cell(row, 1, "指标项目数值单位").font = Font(name="宋体", size=10)
    wb.save(ruler)
    [(full_size, _)] = _word_heights(soffice, ruler, tmp_path / "ruler")
    pages = _word_heights(soffice, example, tmp_path / "book")
    input_pages = [height for height, text in pages if "基础数据" in text or "项目" in text and "数值" in text and "单位" in text]
    assert input_pages
    for height in input_pages:
        assert 10 * height / full_size >= 9.0, (height, full_size)


# ----------------------------------------------------------------------------- printed notes

#: What the notes column writes right after a number: the ``_NOTE`` texts' 分, %, 项, 个, 档
#: and the units of the typed 整改情况 below (年, 次, 元, 万元, 人, 天).
UNITS = "分%项个档年次元万人天"


def printed_notes(soffice, source, workdir):
    """The 「扣分情况及整改情况说明」 column as LibreOffice prints ``source`` (default
    settings): each non-empty note of 评分表, top to bottom, with its printed lines."""
    boxes = _printed(soffice, source, workdir, "-bbox-layout")
    printed = []
    for page in boxes.split("<page ")[1:]:
        lines = []
        for x_min, y_min, x_max, body in re.findall(
            r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</line>', page, re.S
        ):
            text = plain_note(html.unescape("".join(re.findall(r">([^<]*)</word>", body))))
            lines.append((float(y_min), float(x_min), float(x_max), text))
        scores_header = [x_max for _, _, x_max, text in lines if text == "得分情况"]
        if not scores_header:
            continue  # not a page of 评分表
        # the notes column is the last one: its text starts right of the 得分情况 header
        printed += [text for y, x_min, _, text in sorted(lines) if x_min > scores_header[0] and text != "扣分情况及整改情况说明"]
    book = WorkbookPackage.open(source)
    _sheet, total = cell_of_name(book.defined_names["total_score"])
    cells = [book.cells.get((SCORES, f"J{row}")) for row in range(FIRST_DATA_ROW, int(total[1:]))]
    texts = [plain_note(c.value).replace(" ", "") for c in cells if c is not None and c.value]
    notes, lines = [], iter(printed)
    for text in texts:  # the printed lines, note by note: together they read as the cell
        shown: list[str] = []
        while "".join(shown) != text:
            line = next(lines, None)
            assert line is not None and text.startswith("".join(shown) + line), (text, shown, line)
            shown.append(line)
        notes.append((text, shown))
    assert next(lines, None) is None
    return notes


def broken_numbers(lines):
    """Where a printed note splits a number, or a number and its unit, across two lines."""
    found = []
    for before, after in zip(lines, lines[1:]):
        end, start = before[-1], after[0]
        in_number = end.isdigit() or end in ".," and before[-2:-1].isdigit()
        if in_number and (start.isdigit() or start in ".%") or end.isdigit() and start in UNITS:
            found.append(f"{before} / {after}")
    return found


def test_the_printed_notes_keep_numbers_with_their_units(soffice, example, tmp_path):
    """Seen before: ``…=99.9`` / ``1%，得5分…`` and ``…得1.98`` / ``分，扣0.02分…``."""
    notes = printed_notes(soffice, example, tmp_path / "pdf")
    assert [text[:4] for text, _ in notes] == ["政府采购", "日常公用", "四季度累"]
    assert all(len(lines) >= 3 for _, lines in notes)  # each wraps
    assert [split for _, lines in notes for split in broken_numbers(lines)] == []


# Low scores: most indicators explain their deductions, several with long ratio formulas,
# and long 整改情况 texts full of numbers and units.
LOW_SCORES = {
    "budget_rationality_items": ["否", "是", "否", 0.5, "否"],
    "budget_standard_issues": 3,
    "target_issues": 2,
    "indicator_clarity_items": ["否", "是", "否", "是", "否"],
    "procurement_actual": 14321987.65, "procurement_planned": 15000000.01, "procurement_policy": 0.5,
    "funds_adjusted": 11234567.89, "accounting_ok": 0.5,
    "budget_disclosure": "公开但不符合要求", "final_disclosure": "未公开",
    "project_procedure_items": ["否", "是"],
    "asset_safety_items": [0.5, "否"],
    "assets_in_use": 812345.67,
    "staff_in_post": 14, "staff_authorized": 13, "contract_staff_count": 2,
    "sangong_actual": 59870.5, "daily_actual": 40698517.33,
    "quarter_spending": [16666000, 17441700, 15599600, 31628900],
    "key_tasks_unfinished": 1, "projects_completed": 7,
    "targets": [
        ["百人以上企业动态建会率", 0.95, 0.897, "≥", 1],
        ["职工培训场次（场）", 1000, 874, "≥", 1],
        ["建档帮扶困难职工（户）", 300, 243, "≥", 1],
        ["职工互助保障覆盖一线职工（人）", 8000, 7321, "≥", 1],
        ["“三公”经费支出（万元）", 6.10, 7.80, "≤", 1],
    ],
    "petitions_replied": 287, "petitions_on_time": 251, "satisfaction_rate": 0.8845,
    "budget_rationality_remedy": "2021年起每季度开展1次预算编制专项检查，对3个二级单位、12项专项资金逐项核对，发现问题30天内完成整改。",
    "fin_compliance_remedy": "对2020年调整调剂的资金1,123.46万元逐笔复核，2021年调剂资金控制在预算总规模10%以内，会计人员每年培训不少于2次。",
    "staff_control_remedy": "2021年内通过退休和转岗减少在编人员1人，严格按核定编制13人控制在编人数。",
    "benefits_remedy": "针对5项未完成的绩效目标逐项分析原因，2021年计划开展职工培训不少于1,200次，帮扶困难职工320人，帮扶资金不低于150万元。",
    "petitions_remedy": "建立信访台账，安排6人轮班，确保信访件在15天内办结，2021年办理回复率和及时办理回复率均达到100%。",
    "satisfaction_remedy": "委托第三方机构于2021年上半年开展满意度调查，覆盖职工8,000人以上，对满意度低于90%的3个项目逐项整改。",
}


def test_long_printed_notes_keep_numbers_with_their_units(soffice, tmp_path):
    seed = load_example("longgang_2020_seed")
    data = tmp_path / "低分.toml"  # an example data file as a user writes one (JSON values are TOML values)
    values = dict(seed["values"], **LOW_SCORES)
    data.write_text(
        '[meta]\nframework = "longgang_2020"\ndepartment = "某部门"\nyear = 2020\n\n[values]\n'
        + "".join(f"{key} = {json.dumps(value, ensure_ascii=False)}\n" for key, value in values.items()),
        encoding="utf-8",
    )
    book = tmp_path / "低分.xlsx"
    assert cli.main(["example", "--example", str(data), "-o", str(book)]) == 0
    notes = printed_notes(soffice, book, tmp_path / "pdf")
    assert len(notes) == 19 and sum(len(lines) for _, lines in notes) >= 60  # long: most wrap
    assert [split for _, lines in notes for split in broken_numbers(lines)] == []
