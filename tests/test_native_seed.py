"""The seed's department with the native template (issue 15): `xladdin example --native`
stores the published table (98.97, 优), LibreOffice computes the same from a copy with no
cached value at all, and a blank native template never shows #NAME? in LibreOffice."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from batch_departments import SEED_SCORES, SEED_SUBTOTALS
from libreoffice import recalculated_xlsx, required_soffice
from workbook import load_framework
from workbook.names import TemplateCells
from workbook.native.program import HELPER_SHEET
from xladdin.cli import main
from xladdin.xlsx import ErrorValue, WorkbookPackage

FRAMEWORK = "longgang_2020"


@pytest.fixture(scope="module")
def native_example(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("seed") / "示例_原生.xlsx"
    assert main(["example", "--native", "-o", str(path)]) == 0
    return path


def _published(path: Path) -> list[str]:
    """Where the workbook's values differ from the seed's published table."""
    book = WorkbookPackage.open(path)
    cells = TemplateCells.read(dict(book.defined_names.items()))
    values = {key: cell.value for key, cell in book.cells.items()}
    fw = load_framework(FRAMEWORK)
    wrong = [f"{ind.name}: {values.get(cells.scores[ind.key])!r} ≠ {SEED_SCORES[ind.name]}"
             for ind in fw.indicators if values.get(cells.scores[ind.key]) != SEED_SCORES[ind.name]]
    for level in [*fw.level1, *fw.level2]:
        label = f"{level.name}（小计）"
        if label in SEED_SUBTOTALS and values.get(cells.subtotals[level.key]) != SEED_SUBTOTALS[label]:
            wrong.append(f"{label}: {values.get(cells.subtotals[level.key])!r} ≠ {SEED_SUBTOTALS[label]}")
    if (values.get(cells.total), values.get(cells.grade)) != (98.97, "优"):
        wrong.append(f"total {values.get(cells.total)!r}, grade {values.get(cells.grade)!r}")
    return wrong


def test_the_native_example_stores_the_published_table(native_example):
    assert _published(native_example) == []
    book = WorkbookPackage.open(native_example)
    assert HELPER_SHEET in book.sheet_names
    formulas = [cell.formula for cell in book.cells.values() if cell.formula]
    assert len(formulas) > 5000 and not [f for f in formulas if "SCORE_" in f]


def _without_cached_values(source: Path, target: Path) -> int:
    """A copy whose formula cells hold no value at all; returns how many were emptied."""
    emptied = 0
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                text, n = re.subn(r'(<c\b[^>]*?)(?: t="\w+")?(>\s*<f\b[^>]*(?:/>|>[^<]*</f>))\s*<v>[^<]*</v>', r"\1\2", data.decode("utf-8"))
                emptied += n
                data = text.encode("utf-8")
            dst.writestr(info, data)
    return emptied


def test_libreoffice_computes_the_published_table_from_a_copy_without_cached_values(native_example, tmp_path):
    soffice = required_soffice("the native example in LibreOffice")
    bare = tmp_path / "bare.xlsx"
    assert _without_cached_values(native_example, bare) > 5000
    assert _published(bare) != []  # nothing left to read: the values below are LibreOffice's
    out = recalculated_xlsx(soffice, bare, tmp_path)
    assert _published(out) == []


def _values(path: Path) -> list:
    return [cell.value for cell in WorkbookPackage.open(path).cells.values()]


def test_a_blank_native_template_shows_no_name_error_in_libreoffice(tmp_path):
    soffice = required_soffice("the native template in LibreOffice")
    native, addin = tmp_path / "原生.xlsx", tmp_path / "加载项.xlsx"
    assert main(["template", "--native", "-o", str(native)]) == 0
    assert main(["template", "-o", str(addin)]) == 0
    opened = recalculated_xlsx(soffice, native, tmp_path / "never", recalculate="never")
    recalculated = recalculated_xlsx(soffice, native, tmp_path / "always", recalculate="always")
    for path in (opened, recalculated):
        values = _values(path)
        assert ErrorValue("#NAME?") not in values
        assert any(isinstance(v, str) and "为空，请填写" in v for v in values)  # the notes ask for the inputs
    # the add-in kind, recalculated where there is no add-in, is what a user sees today
    assert ErrorValue("#NAME?") in _values(recalculated_xlsx(soffice, addin, tmp_path / "addin", recalculate="always"))
