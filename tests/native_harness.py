"""Native formulas beside the catalogue functions, case by case, in this engine and in LibreOffice.

A *case* is one set of raw cell contents for a call's reference arguments (one per
`Cell` or `Range` spec; constants are in the specs); each case gets its own
row of inputs on 基础数据, its own block of helper cells (a `Program` starting further
down 辅助计算) and its own row of results on 结果:

* column A: the add-in function ``SCORE_X(…)`` (this engine only: LibreOffice has no add-in),
* column B: ``SCORE_X_NOTE(…)``,
* column C: the native score, column D: the native note.

The expected values are the functions' own results through this engine's add-in bridge,
which is how the template computes them; LibreOffice's native results are compared with
those. Raw contents: None (blank), numbers, text, booleans, or "=formula" (e.g. "=1/0"
for a cell holding an error value).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional, Sequence

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from workbook.native.entries import translate
from workbook.native.program import HELPER_SHEET, NativeArg, Outcome, Program, literal, quoted_sheet
from workbook.native.selfcheck_cases import Cell, Const, Omitted, Range  # noqa: F401 (the argument kinds, defined once)
from libreoffice import STALE, plant_stale_values, soffice_path  # noqa: F401 (soffice_path: for the tests that use this harness)
from libreoffice import recalculated_xlsx as libreoffice_recalculate
from xladdin import engine
from xladdin.xlsx import ErrorValue, WorkbookPackage

DATA = "基础数据"
RESULTS = "结果"


Spec = Any  # Cell | Range | Const | Omitted


@dataclass
class Mismatch:
    case: int
    what: str  # "score" | "note"
    raw: tuple
    expected: Any
    got: Any

    def __str__(self) -> str:
        return f"case {self.case} {self.what}: inputs {self.raw!r}\n  expected {self.expected!r}\n  got      {self.got!r}"


def _const_text(value: Any) -> str:
    if isinstance(value, list):
        return "{" + ";".join(",".join(literal(v) for v in row) for row in value) + "}"
    return literal(value)


def _const_arg(value: Any) -> Any:
    """What Excel hands a function for a constant: numbers as floats-as-Fractions stay Fractions here."""
    return value


def lay_out(specs: Sequence[Spec], raw: tuple, row: int) -> tuple[dict, list[NativeArg], list[str]]:
    """Input cells of one case on row ``row`` of 基础数据, the native arguments and the add-in call's argument texts."""
    cells: dict = {}
    native: list[NativeArg] = []
    texts: list[str] = []
    column = 1
    values_left = iter(raw)  # one raw content per Cell or Range spec, in order
    for spec in specs:
        value = next(values_left) if isinstance(spec, (Cell, Range)) else None
        if isinstance(spec, Cell):
            ref = f"{get_column_letter(column)}{row}"
            cells[ref] = value
            native.append(NativeArg(cells=(f"{quoted_sheet(DATA)}!${get_column_letter(column)}${row}",)))
            texts.append(f"{quoted_sheet(DATA)}!${get_column_letter(column)}${row}")
            column += 1
        elif isinstance(spec, Range):
            values = list(value) if isinstance(value, (list, tuple)) else [value] * spec.size
            assert len(values) == spec.size, (spec, value)
            refs = []
            for v in values:
                cells[f"{get_column_letter(column)}{row}"] = v
                refs.append(f"{quoted_sheet(DATA)}!${get_column_letter(column)}${row}")
                column += 1
            native.append(NativeArg(cells=tuple(refs), is_range=True))
            first, last = refs[0].split("!")[1], refs[-1].split("!")[1]
            texts.append(f"{quoted_sheet(DATA)}!{first}:{last}")
        elif isinstance(spec, Const):
            native.append(NativeArg(constant=spec.value))
            texts.append(_const_text(spec.value))
        else:
            native.append(NativeArg(omitted=True))
            texts.append("")
    return cells, native, texts


@dataclass
class Built:
    inputs: dict  # (sheet, "A1") -> raw
    formulas: dict  # (sheet, "A1") -> formula text without '='
    helper_labels: dict  # (sheet, "A1") -> label
    rows: int
    first_row: int = 1
    next_helper_row: int = 1


def build_cases(function: str, specs: Sequence[Spec], cases: Sequence[tuple], *, translation: Optional[Callable] = None,
                first_row: int = 1, first_helper_row: int = 1, into: Optional[Built] = None) -> Built:
    """Every case laid out with its add-in call and its native translation, from row
    ``first_row`` of 基础数据 and 结果 and row ``first_helper_row`` of 辅助计算 (added to
    ``into`` when given, so that several calls share one workbook)."""
    built = into or Built({}, {}, {}, 0)
    inputs, formulas, labels = built.inputs, built.formulas, built.helper_labels
    next_helper_row = first_helper_row
    for i, raw in enumerate(cases):
        row = first_row + i
        cells, native, texts = lay_out(specs, tuple(raw), row)
        for ref, value in cells.items():
            inputs[(DATA, ref)] = value
        program = Program(first_row=next_helper_row)
        outcome: Outcome = (translation or (lambda p, a: translate(p, function, a)))(program, native)
        for address, label, formula in program.addresses():
            formulas[(HELPER_SHEET, address)] = formula
            labels[(HELPER_SHEET, "A" + address[1:])] = label
        next_helper_row += len(program.cells)
        call = ",".join(texts)
        formulas[(RESULTS, f"A{row}")] = f"{function}({call})"
        formulas[(RESULTS, f"B{row}")] = f"{function}_NOTE({call})"
        formulas[(RESULTS, f"C{row}")] = outcome.score
        formulas[(RESULTS, f"D{row}")] = outcome.note
    return Built(inputs, formulas, labels, len(cases), first_row, next_helper_row)


def _engine_inputs(inputs: dict) -> tuple[dict, dict]:
    cells, formulas = {}, {}
    for key, value in inputs.items():
        if isinstance(value, str) and value.startswith("="):
            formulas[key] = value[1:]
        elif value is not None:
            cells[key] = value
    return cells, formulas


def engine_values(built: Built) -> dict:
    """Everything through this engine: the add-in calls and the native formulas."""
    cells, input_formulas = _engine_inputs(built.inputs)
    results = engine.calculate(cells, {**input_formulas, **built.formulas}, sheet_names=[DATA, HELPER_SHEET, RESULTS])
    assert not results.problems, results.messages(10)
    return results.values


def function_values(built: Built) -> dict:
    """The add-in calls only (columns A and B of 结果) through this engine: the expected
    results, without the cost of computing the native helper cells."""
    cells, input_formulas = _engine_inputs(built.inputs)
    calls = {key: formula for key, formula in built.formulas.items() if key[0] == RESULTS and key[1][0] in "AB"}
    results = engine.calculate(cells, {**input_formulas, **calls}, sheet_names=[DATA, HELPER_SHEET, RESULTS])
    assert not results.problems, results.messages(10)
    return results.values


def _same(expected: Any, got: Any) -> bool:
    if isinstance(expected, ErrorValue) or isinstance(got, ErrorValue):
        return isinstance(expected, ErrorValue) and isinstance(got, ErrorValue) and str(expected) == str(got)
    if expected is None:
        expected = ""
    if got is None:
        got = ""
    if isinstance(expected, bool) or isinstance(got, bool):
        return type(expected) is type(got) and expected == got
    if isinstance(expected, (int, float)) and isinstance(got, (int, float)):
        return float(expected) == float(got)
    return expected == got


def compare(built: Built, cases: Sequence[tuple], got_values: dict, expected_values: dict) -> list[Mismatch]:
    mismatches = []
    for i, raw in enumerate(cases):
        row = built.first_row + i
        for what, exp_col, got_col in (("score", "A", "C"), ("note", "B", "D")):
            expected = expected_values.get((RESULTS, f"{exp_col}{row}"))
            got = got_values.get((RESULTS, f"{got_col}{row}"))
            if not _same(expected, got):
                mismatches.append(Mismatch(i, what, tuple(raw), expected, got))
    return mismatches


def in_engine(function: str, specs: Sequence[Spec], cases: Sequence[tuple], **kw) -> list[Mismatch]:
    """Every case through this engine: the native results against the add-in functions'."""
    built = build_cases(function, specs, cases, **kw)
    values = engine_values(built)
    return compare(built, cases, values, values)


# --------------------------------------------------------------------------- LibreOffice

def write_workbook(built: Built, path: Path, *, with_functions: bool = False) -> None:
    """The cases as an .xlsx: inputs, helper cells, native results (and the add-in calls if asked)."""
    wb = Workbook()
    data = wb.active
    data.title = DATA
    helper = wb.create_sheet(HELPER_SHEET)
    results = wb.create_sheet(RESULTS)
    sheets = {DATA: data, HELPER_SHEET: helper, RESULTS: results}
    for (sheet, ref), value in built.inputs.items():
        cell = sheets[sheet][ref]
        cell.value = value
        if isinstance(value, str) and not value.startswith("="):
            cell.data_type = "s"
    for (sheet, ref), label in built.helper_labels.items():
        sheets[sheet][ref].value = label
    for (sheet, ref), formula in built.formulas.items():
        if sheet == RESULTS and ref[0] in "AB" and not with_functions:
            continue
        sheets[sheet][ref].value = "=" + formula
    wb.save(path)


def in_libreoffice(function: str, specs: Sequence[Spec], cases: Sequence[tuple], workdir: Path, soffice: str, **kw) -> list[Mismatch]:
    """Every case recalculated by LibreOffice: its native results against the add-in
    functions' (through this engine). Fails unless LibreOffice really recalculated."""
    built = build_cases(function, specs, cases, **kw)
    expected = function_values(built)
    source = workdir / "cases.xlsx"
    write_workbook(built, source)
    assert plant_stale_values(source) >= 2 * len(cases)
    out = libreoffice_recalculate(soffice, source, workdir)
    got = {key: cell.value for key, cell in WorkbookPackage.open(out).cells.items()}
    stale = [key for key, value in got.items() if isinstance(value, float) and value == STALE]
    assert not stale, f"LibreOffice left {len(stale)} cells unrecalculated, e.g. {stale[:3]}"
    return compare(built, cases, got, expected)


# --------------------------------------------------------------------------- several calls at once

#: A call to compare: (function, specs, cases).
Call = tuple


def _without_booleans(cases: Sequence[tuple]) -> list[tuple]:
    """LibreOffice has no logical cells (TRUE is 1 there): boolean cells are this engine's cases only."""
    return [c for c in cases if not any(isinstance(v, bool) for v in c)]


def _build_calls(calls: dict[str, Call], *, libreoffice: bool) -> tuple[Built, dict[str, tuple[Built, list[tuple]]]]:
    """Every call's cases one after another in one workbook: the whole, and each call's part."""
    row, helper_row, shared = 1, 1, Built({}, {}, {}, 0)
    laid_out = {}
    for name, (function, specs, cases) in calls.items():
        kept = _without_booleans(cases) if libreoffice else list(cases)
        built = build_cases(function, specs, kept, first_row=row, first_helper_row=helper_row, into=shared)
        laid_out[name] = (built, kept)
        row, helper_row = row + len(kept), built.next_helper_row
    return shared, laid_out


def _named(name: str, mismatches: list[Mismatch]) -> list[str]:
    return [f"{name}: {m}" for m in mismatches]


def mismatches_in_engine(calls: dict[str, Call]) -> list[str]:
    """Every case of every call through this engine, in one calculation."""
    shared, laid_out = _build_calls(calls, libreoffice=False)
    values = engine_values(shared)
    return [line for name, (built, cases) in laid_out.items() for line in _named(name, compare(built, cases, values, values))]


def mismatches_in_libreoffice(calls: dict[str, Call], workdir: Path, soffice: str) -> list[str]:
    """Every case of every call recalculated by LibreOffice in one run, against the add-in
    functions' results through this engine. Fails unless LibreOffice really recalculated."""
    shared, laid_out = _build_calls(calls, libreoffice=True)
    expected = function_values(shared)
    source = workdir / "cases.xlsx"
    write_workbook(shared, source)
    total = sum(len(cases) for _, cases in laid_out.values())
    assert plant_stale_values(source) >= 2 * total
    out = libreoffice_recalculate(soffice, source, workdir)
    got = {key: cell.value for key, cell in WorkbookPackage.open(out).cells.items()}
    stale = [key for key, value in got.items() if isinstance(value, float) and value == STALE]
    assert not stale, f"LibreOffice left {len(stale)} cells unrecalculated, e.g. {stale[:3]}"
    return [line for name, (built, cases) in laid_out.items() for line in _named(name, compare(built, cases, got, expected))]
