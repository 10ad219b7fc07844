"""Microsoft's function list (tests/excel_functions.tsv) against the engine's registry: every
function is computed, or is a gap on purpose with its reason, and a formula calling a gap
keeps the file's value with a reason rather than being taken for an unknown add-in function."""

import csv
from pathlib import Path

from xladdin.engine import calculate
from xladdin.engine.registry import REGISTRY

LIST = Path(__file__).with_name("excel_functions.tsv")


def microsoft_functions():
    lines = [line for line in LIST.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return {row["function"]: row for row in csv.DictReader(lines, delimiter="\t")}


def test_every_function_is_computed_or_a_gap_with_its_reason():
    listed = microsoft_functions()
    missing = sorted(n for n, row in listed.items() if not row["not computed because"] and n not in REGISTRY)
    assert not missing, "neither computed nor a gap with a reason: %s" % missing


def test_no_gap_is_stale():
    listed = microsoft_functions()
    stale = sorted(n for n, row in listed.items() if row["not computed because"] and n in REGISTRY)
    assert not stale, "computed, yet listed as a gap: %s" % stale


def test_a_gap_keeps_the_file_value_with_a_reason():
    gaps = [n for n, row in microsoft_functions().items() if row["not computed because"]]
    formulas = {("S", "A%d" % (i + 1)): "_xlfn.%s(1)" % n for i, n in enumerate(gaps)}
    result = calculate({}, formulas)
    kinds = {p.cell: p.kind for p in result.problems}
    assert set(kinds) == set(formulas)
    unexplained = sorted(gaps[int(cell[1][1:]) - 1] for cell, kind in kinds.items()
                         if kind not in ("environment", "unsupported"))
    assert not unexplained, unexplained


def test_the_registry_counts():
    listed = microsoft_functions()
    computed = [n for n in listed if n in REGISTRY]
    gaps = [n for n, row in listed.items() if row["not computed because"]]
    assert len(computed) + len(gaps) == len(listed)
    assert len(computed) >= 470, len(computed)
