"""The worksheet reader's fast path reads exactly what the general pyexpat pass reads.

Every worksheet of the Excel-saved corpus, of the template and of a filled-down scale
workbook is read both ways: the cells (formula, cached value, array range, shared-formula
group) and the write-back records (byte offsets) must be identical, and so must a refusal.
"""
import sys
from pathlib import Path

import pytest

from xladdin import xlsx
from xladdin.xlsx import fastsheet

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "excel-saved"
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))


def _read(path, monkeypatch, fast: bool):
    if not fast:
        def general_only(*_args, **_kw):
            raise fastsheet.NotSimple
        monkeypatch.setattr(fastsheet, "scan_sheet", general_only)
    try:
        book = xlsx.WorkbookPackage.open(path)
    except xlsx.PackageError as error:
        return ("refused", error.message_zh)
    finally:
        monkeypatch.undo()
    cells = {k: (c.formula, c.value, c.array_ref, c.shared) for k, c in book.cells.items()}
    return cells, {name: book.write_records(name) for name in book.sheet_names}


def _workbooks(tmp_path):
    from scale_workbook import make_scale_workbook

    from xladdin.cli import main

    made = [tmp_path / "模板.xlsx", tmp_path / "scale.xlsx"]
    assert main(["example", "-o", str(made[0])]) == 0
    make_scale_workbook(made[1], 2000)
    corpus = sorted(CORPUS.glob("*.xls*")) if CORPUS.is_dir() else []
    return made + corpus


def test_the_fast_reader_reads_what_the_general_reader_reads(tmp_path, monkeypatch, capsys):
    fast_used = []
    real_scan = fastsheet.scan_sheet

    def counting(*args, **kw):
        records = real_scan(*args, **kw)
        fast_used.append(args[1])
        return records

    for path in _workbooks(tmp_path):
        monkeypatch.setattr(fastsheet, "scan_sheet", counting)
        fast = _read(path, monkeypatch, fast=True)
        general = _read(path, monkeypatch, fast=False)
        assert fast == general, path.name
    capsys.readouterr()
    assert len(fast_used) > 100  # the fast path really ran, on most worksheets


@pytest.mark.parametrize("cell", [
    b'<c r="B1" s="0" cm="1"><v>0</v></c>',                     # an attribute it does not know
    b'<c r="B1"><f>1+1</f><v>2</v><extLst/></c>',             # an element it does not know
    b'<c r="B1" t="inlineStr"><is><r><t>a</t></r></is></c>',  # rich text
])
def test_anything_unusual_goes_to_the_general_reader(cell, tmp_path):
    from package_builders import build_package, sheet_xml

    path = build_package(tmp_path / "x.xlsx", [("S", sheet_xml(b'<row r="1"><c r="A1"><v>1</v></c>'.decode() + cell.decode() + "</row>"))])
    with pytest.raises(fastsheet.NotSimple):
        data = xlsx.reader.WorkbookPackage.open(path).sheet_xml("S")
        fastsheet.scan_sheet(data, "S", [""], False, {}, path, "sheet", xlsx.Limits(), None)
    book = xlsx.WorkbookPackage.open(path)  # and the general reader reads it
    assert book.cells[("S", "A1")].value == 1.0
