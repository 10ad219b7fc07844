"""Measure a formula engine against Excel's own answers on the Excel-saved corpus.

    .venv/bin/python scripts/corpus_report.py                        # our engine, via `xladdin recalc`
    .venv/bin/python scripts/corpus_report.py --engine formualizer   # formualizer (if installed)
    .venv/bin/python scripts/corpus_report.py --differences diff.tsv --keep work/

The same comparison as tests/test_excel_corpus.py (see tests/excel_corpus.py): each workbook
of /work/shared/corpus/excel-saved is copied without its cached formula results, recalculated,
and every formula cell compared with the value Excel stored.  Prints totals, the per-class
and per-function tables, and writes every cell that is not equal (different or not
computed) to a TSV.  Not a test: it never fails on the numbers.

formualizer is not a project dependency; measure it with `pip install formualizer==0.13.0`.
"""
from __future__ import annotations

import argparse
import multiprocessing
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

import excel_corpus as corpus  # noqa: E402
from xladdin.xlsx import ErrorValue, WorkbookPackage, split_ref  # noqa: E402

#: formualizer's error kinds -> Excel's literals
_FORMUALIZER_ERRORS = {
    "null": "#NULL!", "div": "#DIV/0!", "value": "#VALUE!", "ref": "#REF!", "name": "#NAME?",
    "num": "#NUM!", "na": "#N/A", "spill": "#SPILL!", "calc": "#CALC!", "gettingdata": "#GETTING_DATA",
}


def _formualizer_value(value, date1904: bool):
    import datetime as dt

    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, (dt.date, dt.time, dt.timedelta)):
        return corpus.serial_from_datetime(value, date1904)
    if isinstance(value, dict) and value.get("type") == "Error":
        kind = str(value.get("kind", ""))
        return ErrorValue(_FORMUALIZER_ERRORS.get(kind.lower(), f"#{kind.upper()}"))
    if isinstance(value, list):  # an array result: Excel shows its top-left element
        while isinstance(value, list) and value:
            value = value[0]
        return _formualizer_value(value, date1904)
    return repr(value)  # something unforeseen: counts as different, visible in the TSV


def _formualizer_workbook(stripped: str, keys: list, date1904: bool, queue) -> None:
    """In a child process (a native panic or a hang must not end the whole run)."""
    try:
        import formualizer

        book = formualizer.load_workbook(stripped)
        book.evaluate_all()
        values = {}
        for sheet, ref in keys:
            row, col = split_ref(ref)
            values[(sheet, ref)] = _formualizer_value(book.get_value(sheet, row, col), date1904)
        queue.put((values, None))
    except BaseException as error:  # noqa: BLE001 - pyo3 panics are BaseException
        queue.put((None, f"{type(error).__name__}: {str(error)[:300]}"))


def run_formualizer(originals: list[Path], work_dir: Path, timeout: float) -> corpus.CorpusReport:
    report = corpus.CorpusReport([], engine="formualizer 0.13")
    context = multiprocessing.get_context("spawn")
    for original in originals:
        book = WorkbookPackage.open(original)
        keys = list(corpus.excel_values(original, book))
        queue = context.Queue()
        child = context.Process(target=_formualizer_workbook, args=(str(work_dir / original.name), keys, book.date1904, queue))
        child.start()
        try:
            values, failure = queue.get(timeout=timeout)
        except Exception:  # noqa: BLE001 - queue.Empty: the child hung or died
            values, failure = None, f"no answer within {timeout:.0f} s (exit code {child.exitcode})"
        child.join(5)
        if child.is_alive():
            child.kill()
        if failure:
            report.failed_workbooks[original.name] = failure
        report.outcomes += corpus.compare_workbook(original, values)
    return report


def run_xladdin(originals: list[Path], work_dir: Path, out_dir: Path, jobs: int) -> corpus.CorpusReport:
    run = corpus.run_xladdin_recalc(work_dir, out_dir, jobs=jobs)
    report = corpus.CorpusReport([], engine="xladdin (xladdin recalc)")
    for original in originals:
        result = out_dir / original.name
        ours = corpus.excel_values(result) if result.exists() else None
        if original.name in run.failures:
            report.failed_workbooks[original.name] = run.failures[original.name]
        report.outcomes += corpus.compare_workbook(original, ours)
    return report


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=("xladdin", "formualizer"), default="xladdin")
    parser.add_argument("--corpus", type=Path, default=corpus.CORPUS_DIR, help="folder of Excel-saved workbooks")
    parser.add_argument("--differences", type=Path, help="TSV of every cell not equal to Excel (default: corpus_differences_<engine>.tsv in the work folder)")
    parser.add_argument("--keep", type=Path, help="work folder to keep (stripped copies, results); default a temporary one")
    parser.add_argument("-j", "--jobs", type=int, default=2, help="processes for xladdin recalc")
    parser.add_argument("--timeout", type=float, default=120, help="seconds per workbook for formualizer")
    parser.add_argument("--only", help="only workbooks whose name contains this text")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="corpus-") as scratch:
        work = args.keep or Path(scratch)
        stripped_dir, out_dir = work / "stripped", work / "recalculated"
        for previous in (stripped_dir, out_dir):  # a kept work folder from an earlier run
            shutil.rmtree(previous, ignore_errors=True)
        originals, _corrupt = corpus.prepare_stripped_corpus(args.corpus, stripped_dir)
        if args.only:
            originals = [p for p in originals if args.only in p.name]
            for extra in stripped_dir.iterdir():
                if args.only not in extra.name:
                    extra.unlink()
        if args.engine == "formualizer":
            try:
                import formualizer  # noqa: F401
            except ImportError:
                print("formualizer is not installed: pip install formualizer==0.13.0", file=sys.stderr)
                return 2
            report = run_formualizer(originals, stripped_dir, args.timeout)
        else:
            report = run_xladdin(originals, stripped_dir, out_dir, args.jobs)
        differences = args.differences or work / f"corpus_differences_{args.engine}.tsv"
        corpus.write_differences(report, differences)
        print(report.text())
        print(f"\n{len(report.differences())} different and {report.totals().not_computed} not computed cells listed in {differences}")
        print(f"({time.perf_counter() - started:.1f} s)")
        if not args.keep and not args.differences:
            print("(the TSV was in a temporary folder; use --differences or --keep to keep it)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
