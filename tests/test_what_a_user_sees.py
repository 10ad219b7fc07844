"""What a reader sees: the seed example opened in a real spreadsheet application.

LibreOffice (headless) stands in for the colleague or bureau that opens the
workbook without the add-in.  Each file is converted to CSV, one file per sheet,
with the cells' text *as shown* (number formats applied), and the published
table is looked for: 98.97 in total, 1.98 for 政府采购执行情况, 5 for
公用经费控制率, 5.99 for 预算执行率 (each note followed by the report's 改进措施 as
整改情况), the other 18 indicators at full marks, and the subtotals 25 / 19.98 / 53.99.

What LibreOffice 7.4 does with our files (checked here, so a change shows up):

* By default it does not recalculate an .xlsx on load (OOXMLRecalcMode "never";
  it even ignores ``fullCalcOnLoad``, which ``write`` drops for Excel's sake): the
  recalculated example shows its stored scores, subtotals, total and grade, and
  the deduction notes that have text.  A formula cell whose stored value is an empty string, however, counts as
  "no stored value" and is calculated anyway: that is why the note cells wrap
  their ``_NOTE`` call in ``IFERROR(…,"")`` — the 18 empty notes of the full-mark
  indicators stay empty instead of showing ``#NAME?``.
  Shared formulas (what Excel saves for a filled-down column) are always
  calculated on load too, so scoring formulas stored that way show ``#NAME?``.
* Forced to recalculate everything (OOXMLRecalcMode "always"), the recalculated
  example shows ``#NAME?`` for every score and ``#N/A`` for the total, while the
  portable copy (``xladdin freeze``) still shows the published table, notes
  included: recalculation never yields #NAME? there.

Every soffice run has its own private profile and a time limit.  Skipped when
LibreOffice is not installed, except under CI (``CI=true``), which must run it.
"""
from __future__ import annotations

import csv
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from workbook.framework import printed_note
from xladdin import cli, engine
from xladdin.freeze import cells_to_freeze, freeze_file
from xladdin.xlsx import WorkbookPackage

from libreoffice import SOFFICE_TIMEOUT, required_soffice, run_soffice

# CSV export of every sheet (LibreOffice 7.2+: sheet -1), UTF-8, "as shown"
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"

SCORES, SUMMARY = "评分表", "得分汇总"
# The report's table: indicator -> published score (the three deducted ones, the rest at full marks)
PUBLISHED = {
    "预算编制合理性": 5, "预算编制规范性": 5, "绩效目标完整性": 8, "绩效指标明确性": 7,
    "政府采购执行情况": 1.98, "财务合规性": 3, "预决算信息公开": 3, "项目实施程序": 2,
    "项目监管": 2, "资产管理安全性": 2, "固定资产利用率": 1, "财政供养人员控制率": 1,
    "编外人员控制率": 1, "管理制度健全性": 3,
    "公用经费控制率": 5, "预算执行率": 5.99, "重点工作完成情况": 8, "项目完成及时性": 6,
    "社会、经济、生态效益及可持续影响等": 20, "群众信访办理情况": 3, "公众或服务对象满意度": 6,
}
DEDUCTED = {"政府采购执行情况", "公用经费控制率", "预算执行率"}
NOTES = {
    "政府采购执行情况": "政府采购执行率=（14,750/15,000）×100%=98.33%，得1.98分，扣0.02分",
    "公用经费控制率": "日常公用经费控制率=（40,551,421.71/40,588,517）×100%=99.91%，得5分，扣1分",
    "预算执行率": "四季度累计支出进度=（91,336,200/91,471,549.43）×100%=99.85%，低于序时进度100%，得5.99分，扣0.01分",
}
# The seed example's 整改情况及措施 (the report's 改进措施, typed on 基础数据): each note
# shows the deduction, then "；整改情况：" and the remedy.
REMEDIES = {
    "政府采购执行情况": "严格执行政府采购程序，依据管理办法和中标通知书严格支付相关采购合同款项。",
    "公用经费控制率": "强化管理，厉行节约，努力提高经费使用效率，加强财务核算，强化审计监督，有效控制日常经费支出的增长。",
    "预算执行率": "提高预算执行率、严把收入支出关，进一步加强预算执行力度。",
}
SUBTOTALS = {"部门决策": 25, "部门管理": 19.98, "部门绩效": 53.99}
TOTAL = 98.97


@pytest.fixture(scope="module")
def soffice():
    return required_soffice("what-a-user-sees")


def _run_soffice(soffice: str, args: list[str], workdir: Path, always_recalculate: bool) -> None:
    run_soffice(soffice, args, workdir, recalculate="always" if always_recalculate else None)


def libreoffice_sheets(soffice: str, source: Path, workdir: Path, *, always_recalculate: bool = False) -> dict[str, list[list[str]]]:
    """Every sheet of ``source`` as LibreOffice shows it: rows of cell texts."""
    workdir.mkdir(parents=True)
    book = workdir / "book.xlsx"
    shutil.copyfile(source, book)
    out = workdir / "csv"
    _run_soffice(soffice, ["--convert-to", CSV_FILTER, "--outdir", str(out), str(book)], workdir, always_recalculate)
    sheets = {}
    for path in sorted(out.glob("book-*.csv")):
        with open(path, encoding="utf-8", newline="") as fh:
            sheets[path.stem[len("book-"):]] = list(csv.reader(fh))
    assert sheets, f"LibreOffice wrote no CSV:\n{sorted(os.listdir(workdir))}"
    return sheets


def libreoffice_pdf_text(soffice: str, source: Path, workdir: Path, *, always_recalculate: bool = False) -> str:
    """The printed workbook's text (soffice → PDF → pdftotext)."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pdftotext (poppler-utils) is not installed; scripts/ensure-libreoffice installs it", pytrace=False)
        pytest.skip("pdftotext (poppler-utils) is not installed")
    workdir.mkdir(parents=True)
    book = workdir / "book.xlsx"
    shutil.copyfile(source, book)
    _run_soffice(soffice, ["--convert-to", "pdf", "--outdir", str(workdir), str(book)], workdir, always_recalculate)
    proc = subprocess.run([pdftotext, "-layout", str(workdir / "book.pdf"), "-"], capture_output=True, text=True, timeout=SOFFICE_TIMEOUT)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def shown(value: float) -> str:
    """A score as the template's number format shows it."""
    return f"{value:.2f}"


def indicator_rows(sheet: list[list[str]]) -> dict[str, list[str]]:
    """评分表 rows by 三级指标 name (column E)."""
    rows = {row[4]: row for row in sheet if len(row) > 9 and row[4] in PUBLISHED}
    assert set(rows) == set(PUBLISHED)
    return rows


def labelled(sheet: list[list[str]], label: str, column: int) -> str:
    """The text in ``column`` of the row whose column A reads ``label``."""
    matches = [row[column] for row in sheet if row and row[0] == label]
    assert len(matches) == 1, (label, matches)
    return matches[0]


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    """The recalculated seed example (``xladdin example``) and its portable copy."""
    folder = tmp_path_factory.mktemp("books")
    example = folder / "示例.xlsx"
    assert cli.main(["example", "-o", str(example)]) == 0
    (folder / "副本").mkdir()
    frozen = freeze_file(example, folder / "副本" / "示例.xlsx").target
    return example, frozen


def assert_published_table(sheets: dict[str, list[list[str]]], *, notes_of_full_marks: str) -> None:
    assert SCORES in sheets and SUMMARY in sheets, f"LibreOffice wrote {sorted(sheets)}"
    rows = indicator_rows(sheets[SCORES])
    for name, score in PUBLISHED.items():
        assert rows[name][8] == shown(score), (name, rows[name][8])
        if name in DEDUCTED:
            # as printed: units joined to their numbers, a break allowed after "="
            assert rows[name][9] == printed_note(NOTES[name] + "；整改情况：" + REMEDIES[name])
        else:
            assert rows[name][9] == notes_of_full_marks, (name, rows[name][9])
    assert labelled(sheets[SCORES], "总得分", 8) == shown(TOTAL)
    assert labelled(sheets[SCORES], "评价等级", 8) == "优"
    for level1, subtotal in SUBTOTALS.items():
        assert labelled(sheets[SUMMARY], level1, 2) == shown(subtotal)
    assert labelled(sheets[SUMMARY], "总得分", 2) == shown(TOTAL)
    assert labelled(sheets[SUMMARY], "总得分", 4) == "优"


def test_the_published_table_adds_up():
    assert round(sum(PUBLISHED.values()), 2) == TOTAL == round(sum(SUBTOTALS.values()), 2)


def test_the_recalculated_example_shows_its_stored_scores_without_the_add_in(soffice, books, tmp_path):
    sheets = libreoffice_sheets(soffice, books[0], tmp_path / "default")
    # Scores, subtotals, total and grade are the stored values.  The empty notes are
    # calculated anyway (an empty stored string is "no value" to LibreOffice): IFERROR keeps them empty.
    assert_published_table(sheets, notes_of_full_marks="")


def test_a_full_recalculation_without_the_add_in_breaks_the_recalculated_example(soffice, books, tmp_path):
    """The control for the next test: the forced recalculation really happens."""
    sheets = libreoffice_sheets(soffice, books[0], tmp_path / "always", always_recalculate=True)
    assert SCORES in sheets and SUMMARY in sheets, f"LibreOffice wrote {sorted(sheets)}"
    rows = indicator_rows(sheets[SCORES])
    assert {rows[name][8] for name in PUBLISHED} == {"#NAME?"}
    assert labelled(sheets[SCORES], "总得分", 8) == "#N/A"
    assert labelled(sheets[SUMMARY], "总得分", 2) == "#N/A"


@pytest.mark.parametrize("always_recalculate", [False, True], ids=["default", "always-recalculate"])
def test_the_portable_copy_shows_the_published_table_even_when_recalculated(soffice, books, tmp_path, always_recalculate):
    sheets = libreoffice_sheets(soffice, books[1], tmp_path / "copy", always_recalculate=always_recalculate)
    assert_published_table(sheets, notes_of_full_marks="")
    for name, rows in sheets.items():
        for row in rows:
            assert not any(text.startswith("#") for text in row), (name, row)


def test_the_printed_portable_copy_shows_the_total(soffice, books, tmp_path):
    text = libreoffice_pdf_text(soffice, books[1], tmp_path / "pdf", always_recalculate=True)
    assert "#NAME?" not in text
    # "#N/A" is printed only where the sheets' explanations mention it
    explained = sum(str(c.value).count("#N/A") for c in WorkbookPackage.open(books[1]).cells.values() if c.formula is None)
    assert explained and text.count("#N/A") == explained
    for value in (TOTAL, 1.98, 5.99, 19.98, 53.99):
        assert shown(value) in text


def test_native_formulas_next_to_frozen_ones_keep_their_meaning_in_libreoffice(soffice, tmp_path):
    """A shared group calling SCORE_RATIO is frozen; the native shared group reading it,
    recalculated by LibreOffice, still gives the same numbers."""
    from package_builders import build_package, sheet_xml

    xml = (
        '<row r="1"><c r="A1"><v>3</v></c><c r="B1"><v>2</v></c><c r="C1"><v>4</v></c><c r="D1"><v>4</v></c></row>'
        '<row r="2"><c r="A2"><f t="shared" ref="A2:C2" si="0">SCORE_RATIO(A1,$D$1,6)</f><v>0</v></c>'
        '<c r="B2"><f t="shared" si="0"/><v>0</v></c><c r="C2"><f t="shared" si="0"/><v>0</v></c></row>'
        '<row r="3"><c r="A3"><f t="shared" ref="A3:C3" si="1">A2*2</f><v>0</v></c>'
        '<c r="B3"><f t="shared" si="1"/><v>0</v></c><c r="C3"><f t="shared" si="1"/><v>0</v></c></row>'
        '<row r="4"><c r="A4"><f>SUM(A2:C2)</f><v>0</v></c></row>'
    )
    src = build_package(tmp_path / "shared.xlsx", [("S", sheet_xml(xml))])
    book = WorkbookPackage.open(src)
    results = engine.recalculate_package(book).values
    freeze = cells_to_freeze(book)
    assert sorted(freeze) == [("S", "A2"), ("S", "B2"), ("S", "C2")]
    # the native cells are stored wrong: only a real recalculation shows 9, 6, 12, 13.5
    stale = {key: (value if key in freeze else -1.0) for key, value in results.items()}
    frozen = tmp_path / "frozen.xlsx"
    book.write(stale, frozen, freeze=freeze)
    sheets = libreoffice_sheets(soffice, frozen, tmp_path / "lo", always_recalculate=True)
    assert [row[:3] for row in sheets["S"][1:4]] == [["4.5", "3", "6"], ["9", "6", "12"], ["13.5", "", ""]]
    # Even by default LibreOffice recalculates shared formulas (it keeps stored values of
    # plain formulas only): the native group computes from the frozen scores, A4 shows its stored -1.
    default = libreoffice_sheets(soffice, frozen, tmp_path / "lo-default")
    assert [row[:3] for row in default["S"][1:4]] == [["4.5", "3", "6"], ["9", "6", "12"], ["-1", "", ""]]
    # ... which is why a recalculated (not frozen) copy shows #NAME? for shared scoring formulas
    plain = tmp_path / "recalculated.xlsx"
    book.write(results, plain)
    default = libreoffice_sheets(soffice, plain, tmp_path / "lo-plain")
    assert [row[:3] for row in default["S"][1:4]] == [["#NAME?"] * 3, ["#NAME?"] * 3, ["13.5", "", ""]]
