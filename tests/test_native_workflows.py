"""A bureau's commands work on the native kind as on the add-in kind (issue 15): recalc with
a summary, audit (a typed score is flagged), freeze (the same cells become values; a typed
score is refused) on workbooks made by `xladdin example --native`."""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from workbook.names import TemplateCells
from xladdin.cli import main
from xladdin.xlsx import WorkbookPackage


@pytest.fixture(scope="module")
def both(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("kinds")
    made = {"native": root / "原生.xlsx", "addin": root / "加载项.xlsx"}
    assert main(["example", "--native", "-o", str(made["native"])]) == 0
    assert main(["example", "-o", str(made["addin"])]) == 0
    return made


def test_recalc_and_its_summary_give_the_seed_total_for_both_kinds(both, tmp_path, capsys):
    summary = tmp_path / "汇总.csv"
    assert main(["recalc", str(both["native"]), str(both["addin"]), "-o", str(tmp_path / "out"), "--summary", str(summary)]) == 0
    rows = list(csv.DictReader(summary.open(encoding="utf-8-sig")))
    assert [row["总得分"] for row in rows] == ["98.97", "98.97"]
    assert "98.97" in capsys.readouterr().out


def _with_typed_score(source: Path, target: Path) -> None:
    """The workbook with 政府采购执行情况's score formula overwritten by a typed 2."""
    wb = load_workbook(source)
    sheet, ref = TemplateCells.read(dict(WorkbookPackage.open(source).defined_names.items())).scores["procurement"]
    wb[sheet][ref].value = 2
    wb.save(target)


def test_audit_passes_the_native_example_and_flags_a_typed_score(both, tmp_path, capsys):
    assert main(["audit", str(both["native"])]) == 0
    typed = tmp_path / "手填.xlsx"
    _with_typed_score(both["native"], typed)
    assert main(["audit", str(typed)]) != 0
    assert "得分手工填写为 2，按规则应为 1.98" in capsys.readouterr().out


def _frozen_cells(path: Path) -> set:
    return {(c.sheet, c.ref) for c in WorkbookPackage.open(path).cells.values() if not c.formula}


def test_freeze_makes_the_same_cells_values_in_both_kinds(both, tmp_path):
    frozen = {}
    for kind, source in both.items():
        target = tmp_path / f"{kind}_定稿.xlsx"
        assert main(["freeze", str(source), "-o", str(target)]) == 0
        before, after = _frozen_cells(source), _frozen_cells(target)
        frozen[kind] = after - before
        book = WorkbookPackage.open(target)
        named = TemplateCells.read(dict(book.defined_names.items()))
        assert book.cells[named.total].value == 98.97
    assert len(frozen["native"]) == 2 * 21 + 1  # each score and note, and the grade
    assert frozen["native"] == frozen["addin"]


def test_freeze_refuses_a_native_workbook_with_a_typed_score(both, tmp_path, capsys):
    typed = tmp_path / "手填.xlsx"
    _with_typed_score(both["native"], typed)
    target = tmp_path / "定稿.xlsx"
    assert main(["freeze", str(typed), "-o", str(target)]) != 0
    assert not target.exists()
    said = capsys.readouterr()
    assert "未生成定稿副本" in said.err + said.out


def test_a_native_workbook_copied_elsewhere_still_recalculates(both, tmp_path):
    copy = tmp_path / "副本.xlsx"
    shutil.copy(both["native"], copy)
    assert main(["recalc", str(copy), "--in-place"]) == 0
    book = WorkbookPackage.open(copy)
    assert book.cells[TemplateCells.read(dict(book.defined_names.items())).total].value == 98.97
