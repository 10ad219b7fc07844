"""The native kind of the template (issue 15): the builder mechanics.

Functions without a translation yet are given fakes registered only inside these tests
(workbook.native.entries.TRANSLATIONS patched), so the mechanics are tested on their own."""
from __future__ import annotations

import pytest
from openpyxl import load_workbook

from workbook.builder import CONF_SHEET, build_template
from workbook.native import entries
from workbook.native.entries import NativeUnsupported
from workbook.native.program import HELPER_SHEET, Outcome, Program
from xladdin.cli import main


def _fake(p: Program, args) -> Outcome:
    first = next((a.cells[0] for a in args if a.cells), "0")
    score = p.cell(f"IF(ISNUMBER({first}),0,0)", "fake score")
    return Outcome(score, '""')


@pytest.fixture
def with_fakes(monkeypatch):
    entries._load()
    missing = {"SCORE_" + n for n in (
        "PROCUREMENT FIN_COMPLIANCE ASSET_UTILIZATION COST_CONTROL PUBLIC_FUNDS QUARTERLY TARGETS "
        "DISCLOSURE STAFF_CONTROL CONTRACT_STAFF PETITIONS TIERS SATISFACTION").split()} - entries.supported()
    patched = dict(entries.TRANSLATIONS, **{name: _fake for name in missing})
    monkeypatch.setattr(entries, "TRANSLATIONS", patched)


def test_native_build_replaces_every_call(with_fakes, tmp_path):
    path = build_template("longgang_2020", tmp_path / "n.xlsx", native=True)
    wb = load_workbook(path)
    assert CONF_SHEET not in wb.sheetnames
    assert wb[HELPER_SHEET].sheet_state == "hidden" and wb[HELPER_SHEET].protection.sheet
    formulas = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row
                if isinstance(c.value, str) and c.value.startswith("=")]
    assert formulas and not [f for f in formulas if "SCORE_" in f]


def test_default_template_keeps_its_add_in_calls(tmp_path):
    wb = load_workbook(build_template("longgang_2020", tmp_path / "a.xlsx"))
    assert CONF_SHEET in wb.sheetnames and HELPER_SHEET not in wb.sheetnames


def test_missing_translation_is_a_clear_error(monkeypatch, tmp_path, capsys):
    entries._load()
    monkeypatch.setattr(entries, "TRANSLATIONS", {k: v for k, v in entries.TRANSLATIONS.items() if k != "SCORE_DEDUCT"})
    with pytest.raises(NativeUnsupported, match="SCORE_DEDUCT"):
        build_template("longgang_2020", tmp_path / "x.xlsx", native=True)
    assert main(["template", "--native", "-o", str(tmp_path / "y.xlsx")]) != 0
    err = capsys.readouterr().err
    assert "原生公式" in err and "native" in err
    assert not (tmp_path / "y.xlsx").exists()


def _parts(path) -> dict:
    import zipfile

    with zipfile.ZipFile(path) as package:
        # core.xml holds the creation time; everything else is the template itself
        return {name: package.read(name) for name in package.namelist() if name != "docProps/core.xml"}


def test_building_the_native_kind_leaves_the_add_in_template_byte_for_byte_as_it_was(with_fakes, tmp_path):
    before = _parts(build_template("longgang_2020", tmp_path / "before.xlsx"))
    build_template("longgang_2020", tmp_path / "native.xlsx", native=True)
    after = _parts(build_template("longgang_2020", tmp_path / "after.xlsx"))
    assert before == after
    native = _parts(tmp_path / "native.xlsx")
    # the native kind shares the add-in template's styles; its helper sheet takes the place of xlwings.conf
    assert native["xl/styles.xml"] == before["xl/styles.xml"]
    assert len([n for n in native if n.startswith("xl/worksheets/sheet")]) == len([n for n in before if n.startswith("xl/worksheets/sheet")])
