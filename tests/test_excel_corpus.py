"""Acceptance: `xladdin recalc` against Microsoft Excel's own answers on the Excel-saved corpora.

Each workbook of each corpus (/work/shared/corpus/excel-saved and excel-saved-2, see their
MANIFEST.tsv) is copied without the cached results of its formula cells, the real command
line recalculates the folder once, and every formula cell's new value is compared with the
value Excel stored (tests/excel_corpus.py says how).  Cells whose result depends on the
clock, randomness or the machine are left out and counted apart.  Every remaining
difference must be explained in tests/excel_corpus_known_differences.tsv, one line each,
and no line there may be stale.

Run ``pytest tests/test_excel_corpus.py -s`` (or ``-rA``) to see the per-class and
per-function tables; they are also written to ``corpus_report.txt`` in the pytest tmp dir
(with every difference in ``corpus_differences.tsv`` beside it).
"""
from __future__ import annotations

import os
import re

import pytest

import excel_corpus as corpus
from xladdin.engine import native_function_names

#: Share of compared (computed, non-volatile) cells that must equal Excel, on each corpus.
MIN_EQUAL_SHARE = 0.995
#: Share of non-volatile formula cells that may be left without a value, on each corpus.
MAX_NOT_COMPUTED_SHARE = 0.01

#: Functions the second corpus calls in about 1,200 cells (the regular expressions of
#: ironcalc's wordle.xlsx, the distributions of ClosedXML's functions-excel-2010.xlsx, the
#: AGGREGATE there): their implementation is a parallel branch (issue 17, "missing
#: functions").  Until the registry has them that corpus leaves 2.2 % uncomputed; once it
#: has them the test below must pass as it stands.
_AWAITED_FUNCTIONS = {"REGEXTEST", "BETA.DIST", "AGGREGATE"}

_CJK = re.compile(r"[\u4e00-\u9fff]")

pytestmark = pytest.mark.skipif(
    not all(d.is_dir() for d in corpus.CORPUS_DIRS) and os.environ.get("CI") != "true",
    reason=f"the Excel-saved corpora are not at {', '.join(map(str, corpus.CORPUS_DIRS))} (set XLADDIN_EXCEL_CORPUS)",
)


@pytest.fixture(scope="module", params=corpus.CORPUS_DIRS, ids=lambda d: d.name)
def corpus_run(request, tmp_path_factory):
    """Strip, recalculate the whole folder once through the command line, compare."""
    corpus_dir = request.param
    assert corpus_dir.is_dir(), f"the Excel-saved corpus is missing: {corpus_dir} (set XLADDIN_EXCEL_CORPUS)"
    work = tmp_path_factory.mktemp("excel-corpus-" + corpus_dir.name)
    stripped_dir, out_dir = work / "stripped", work / "recalculated"
    originals, corrupt = corpus.prepare_stripped_corpus(corpus_dir, stripped_dir)
    assert originals, f"no workbooks in {corpus_dir}"
    run = corpus.run_xladdin_recalc(stripped_dir, out_dir, jobs=2)
    report = corpus.CorpusReport([], engine="xladdin recalc")
    for original in originals:
        result = out_dir / original.name
        if original.name in run.failures:
            report.failed_workbooks[original.name] = run.failures[original.name]
        report.outcomes += corpus.compare_workbook(original, corpus.excel_values(result) if result.exists() else None)
    (work / "corpus_report.txt").write_text(report.text() + "\n", encoding="utf-8")
    corpus.write_differences(report, work / "corpus_differences.tsv")
    files = {p.name for p in corpus.corpus_workbooks(corpus_dir)}
    return work, run, report, [c.name for c in corrupt], corpus_dir, files


def test_the_corrupt_workbook_is_refused_in_chinese(corpus_run):
    _work, run, _report, corrupt, corpus_dir, _files = corpus_run
    if corpus_dir == corpus.CORPUS_DIRS[0]:
        assert corrupt, "the corpus lost its deliberately corrupt workbook"
    assert "Traceback" not in run.stderr, run.stderr[-3000:]
    for name in corrupt:
        message = run.failures.get(name)
        assert message is not None, f"{name} was not refused:\n{run.stdout[-2000:]}\n{run.stderr[-2000:]}"
        assert _CJK.search(message), f"{name}: the refusal is not in Chinese: {message}"
        # 处理失败（SomeError: …） is the catch-all for an unexpected exception, i.e. a crash
        assert not message.startswith("处理失败"), f"{name}: crashed instead of being refused: {message}"


def test_no_workbook_fails_as_a_whole(corpus_run):
    _work, _run, report, _corrupt, _dir, _files = corpus_run
    if report.failed_workbooks:
        shown = "\n".join(f"  {name}: {why}" for name, why in sorted(report.failed_workbooks.items()))
        pytest.fail(f"{len(report.failed_workbooks)} workbooks failed as a whole:\n{shown}", pytrace=False)


def test_nearly_every_compared_cell_equals_excel(corpus_run, capsys):
    work, _run, report, _corrupt, _dir, _files = corpus_run
    with capsys.disabled():  # the per-class and per-function tables, in every run's log
        print("\n" + report.text())
        print(f"(also in {work / 'corpus_report.txt'}; every unequal cell in {work / 'corpus_differences.tsv'})")
    totals = report.totals()
    assert report.equal_share >= MIN_EQUAL_SHARE, (
        f"only {100 * report.equal_share:.2f} % of compared cells equal Excel "
        f"({totals.equal} of {totals.equal + totals.different}); need {100 * MIN_EQUAL_SHARE:.1f} %\n"
        + corpus.format_table("class", report.by_class(), totals)
    )


def test_few_cells_are_left_uncomputed(corpus_run, request):
    _work, _run, report, _corrupt, corpus_dir, _files = corpus_run
    awaited = _AWAITED_FUNCTIONS - set(native_function_names())
    if corpus_dir.name == "excel-saved-2" and awaited:
        request.applymarker(pytest.mark.xfail(
            reason="needs %s from the missing-functions branch" % ", ".join(sorted(awaited)), strict=True))
    totals = report.totals()
    assert report.not_computed_share <= MAX_NOT_COMPUTED_SHARE, (
        f"{totals.not_computed} of {totals.cells} non-volatile formula cells ({100 * report.not_computed_share:.2f} %) "
        f"got no value; at most {100 * MAX_NOT_COMPUTED_SHARE:.0f} % may\n"
        + corpus.format_table("class", report.by_class(), totals)
    )


def test_every_difference_is_known(corpus_run):
    _work, _run, report, _corrupt, _dir, _files = corpus_run
    known = corpus.load_known_differences()
    unexplained = [o for o in report.differences() if (o.file, o.where) not in known]
    if unexplained:
        shown = "\n".join(f"{corpus.known_difference_line(o)}\t  ={o.formula}" for o in unexplained[:200])
        more = f"\n… and {len(unexplained) - 200} more (all in corpus_differences.tsv)" if len(unexplained) > 200 else ""
        pytest.fail(
            f"{len(unexplained)} cells differ from Excel without an entry in {corpus.KNOWN_DIFFERENCES.name} "
            f"(fix the engine, or add the line with a one-sentence reason):\n{shown}{more}",
            pytrace=False,
        )


def test_no_known_difference_is_stale(corpus_run):
    _work, _run, report, _corrupt, _dir, files = corpus_run
    known = {key: entry for key, entry in corpus.load_known_differences().items() if entry.file in files}
    still_unequal = {(o.file, o.where) for o in report.considered if o.status != corpus.EQUAL}
    stale = [entry for key, entry in known.items() if key not in still_unequal]
    if stale:
        shown = "\n".join(f"{e.file}\t{e.where}\t{e.excel}\t{e.ours}" for e in stale)
        pytest.fail(
            f"{len(stale)} entries of {corpus.KNOWN_DIFFERENCES.name} no longer differ (or no longer exist): "
            f"remove them\n{shown}",
            pytrace=False,
        )


# ---------------------------------------------------------------- the yardstick itself


def test_stripping_removes_every_formula_result_and_nothing_else():
    sheet = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" s="2"><v>5</v></c><c r="B1" t="str"><f>A1&amp;"x"</f><v>5x</v></c>'
        b'<c r="C1" t="s"><v>0</v></c></row>'
        b'<row r="2"><c r="A2"><f t="shared" ref="A2:A3" si="0">A1*2</f><v>10</v></c>'
        b'<c r="B2" t="e"><f>NA()</f><v>#N/A</v></c><c r="C2" t="b"><f>TRUE</f><v>1</v></c></row>'
        b'<row r="3"><c r="A3"><f t="shared" si="0"/><v>20</v></c>'
        b'<c r="B3"><f t="array" ref="B3:C4">A1:B2</f><v>5</v></c><c r="C3" t="str"><v>5x</v></c></row>'
        b'<row r="4"><c r="B4"><v>10</v></c><c r="C4" t="e"><v>#N/A</v></c><c r="D4"><v>7</v></c></row>'
        b"</sheetData></worksheet>"
    )
    assert corpus.strip_sheet_xml(sheet) == (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" s="2"><v>5</v></c><c r="B1"><f>A1&amp;"x"</f></c>'
        b'<c r="C1" t="s"><v>0</v></c></row>'
        b'<row r="2"><c r="A2"><f t="shared" ref="A2:A3" si="0">A1*2</f></c>'
        b'<c r="B2"><f>NA()</f></c><c r="C2"><f>TRUE</f></c></row>'
        b'<row r="3"><c r="A3"><f t="shared" si="0"/></c>'
        b'<c r="B3"><f t="array" ref="B3:C4">A1:B2</f></c><c r="C3"></c></row>'
        b'<row r="4"><c r="B4"></c><c r="C4"></c><c r="D4"><v>7</v></c></row>'
        b"</sheetData></worksheet>"
    )


def test_values_compare_as_excel_stores_them():
    from xladdin.package import ErrorValue

    assert corpus.compare(0.1 + 0.2, 0.3) == corpus.EQUAL  # last-digit noise
    assert corpus.compare(1e-13, 0.0) == corpus.EQUAL
    assert corpus.compare(100.0000000001, 100.0) == corpus.EQUAL  # 1e-12 relative
    assert corpus.compare(100.000001, 100.0) == corpus.DIFFERENT  # 1e-8 relative: beyond 1e-9
    assert corpus.compare("1", 1.0) == corpus.DIFFERENT
    assert corpus.compare(True, 1.0) == corpus.DIFFERENT
    assert corpus.compare("abc", "ABC") == corpus.DIFFERENT
    assert corpus.compare(ErrorValue("#N/A"), "#N/A") == corpus.DIFFERENT
    assert corpus.compare(ErrorValue("#N/A"), ErrorValue("#N/A")) == corpus.EQUAL
    assert corpus.compare(None, 3.0) == corpus.NOT_COMPUTED


def test_volatility_follows_references_names_and_ranges():
    formulas = {
        ("S", "A1"): "RAND()",
        ("S", "A2"): "A1*2",  # refers to a random cell
        ("S", "A3"): "SUM(S!A1:A2)+1",  # through a range
        ("T", "B1"): "Stamp+1",  # through a defined name holding NOW()
        ("T", "B2"): "'S'!A:A",  # a whole column
        ("T", "B3"): "S!B1*2",  # not volatile: S!B1 is a constant
        ("T", "B4"): 'LEN(CELL("filename"))',
        ("T", "B5"): "[1]!HsGetValue(1)",  # another add-in's function
        ("T", "B6"): 'TEXT(1,"0")',
        ("U", "C1"): "SUM(R:S!A1)",  # a 3-D reference over R and S
        ("U", "C2"): "SUM([1]S!A1)",  # another workbook's S: Excel's cached copy
    }
    volatile = corpus.volatile_cells(formulas, {"Stamp": "NOW()"}, ["R", "S", "T", "U"])
    assert volatile == {
        ("S", "A1"), ("S", "A2"), ("S", "A3"), ("T", "B1"), ("T", "B2"), ("T", "B4"), ("T", "B5"), ("U", "C1")
    }


def test_cells_are_classified_by_their_outermost_function():
    assert corpus.classify_formula("IF(A1>0,TEXT(A1,\"0\"),\"\")")[1] == "logical"
    assert corpus.classify_formula("_xlfn.STDEV.S(A1:A3)")[0].functions == ("STDEV.S",)
    assert corpus.classify_formula("A1*2")[1] == "operators-only"
    assert corpus.classify_formula("Sheet2!B3")[1] == "reference-only"
