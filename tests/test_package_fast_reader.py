"""The worksheet reader's fast path reads exactly what the general pyexpat pass reads.

Every worksheet of both Excel-saved corpora, of the template and of a filled-down scale
workbook is read both ways: the cells (formula, cached value, array range, shared-formula
group) and the write-back records (byte offsets) must be identical, and so must a refusal.
"""
import sys
from pathlib import Path

import pytest

from xladdin import xlsx
from xladdin.xlsx import fastsheet

CORPORA = [Path(__file__).resolve().parents[2] / "shared" / "corpus" / name for name in ("excel-saved", "excel-saved-2")]
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
    return made + [path for corpus in CORPORA if corpus.is_dir() for path in sorted(corpus.glob("*.xls*"))]


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


# the cells the fast path reads without the general checks (plain numbers, shared strings,
# members of shared-formula groups), and the near misses that must still be refused or read
# as the general parser reads them
_NEAR_MISSES = [
    '<c r="B1"><v>1.5</v></c>', '<c r="B1"><v>-0</v></c>', '<c r="B1"><v>1E+300</v></c>',
    '<c r="B1"><v> 1</v></c>', '<c r="B1"><v>1_0</v></c>', '<c r="B1"><v>nan</v></c>',
    '<c r="B1"><v>inf</v></c>', '<c r="B1"><v>1e999</v></c>', '<c r="B1"><v></v></c>',
    '<c r="B1"><v>&#49;</v></c>', '<c r="B1" s="0"><v>2</v></c>', '<c r="B1" s="7"><v>2</v></c>',
    '<c r="B1" t="s"><v>0</v></c>', '<c r="B1" t="s"><v>9</v></c>', '<c r="B1" t="s"><v>x</v></c>',
    '<c r="B1" t="n"><v>3</v></c>', '<c r="A1"><v>4</v></c>',
    '<c r="B1"><f t="shared" ref="B1:B2" si="0">A1*2</f><v>2</v></c></row><row r="2"><c r="B2"><f t="shared" si="0"/></c>',
    '<c r="B1"><f t="shared" ref="B1:B2" si="0">A1*2</f></c></row><row r="2"><c r="B2"><f t="shared" si="0"/><v>7</v></c>',
    '<c r="B1"><f t="shared" ref="B1:B2" si="0">A1*2</f></c></row><row r="2"><c r="B2"><f t="shared" si="0"/><v>x1</v></c>',
    '<c r="B1"><f t="shared" ref="B1:B2" si="0">A1*2</f></c></row><row r="2"><c r="B2"><f t="shared" si="0"/><v/></c>',
    '<c r="B1"><f t="shared" ref="B1:B2" si="0">A1*2</f></c></row><row r="2"><c r="B2" s="3"><f t="shared" si="0"/></c>',
    '<c r="B1"><f t="shared" ref="B1:B2" si="0">A1*2</f></c></row><row r="2"><c r="B2" t="str"><f t="shared" si="0"/><v>a</v></c>',
    '<c r="B1"><f t="shared" si="5"/></c>', '<c r="B1"><f t="shared"/></c>',
    '<c r="B1"><f t="array" ref="B1:B2">A1</f></c></row><row r="2"><c r="B2"><v>1</v></c>',
    # empty formatted cells and inline strings, as openpyxl writes a template
    '<c r="B1" s="0" t="n"></c>', '<c r="B1" t="s"></c>', '<c r="B1" t="zz"></c>', '<c r="B1" s="7"></c>',
    '<c r="B1" t="inlineStr"><is><t>&#37096;&#38376;</t></is></c>', '<c r="B1" t="inlineStr"><is><t></t></is></c>',
    '<c r="B1" t="inlineStr"><is><t xml:space="preserve"> a_x000D_b </t></is></c>',
    '<c r="B1" t="str"><is><t>a</t></is></c>', '<c r="B1" t="inlineStr"><is><t>&lt;&amp;</t></is></c>',
    '<c r="B1" t="inlineStr"><is><t>a</t></is></c><c r="B1" t="inlineStr"><is><t>b</t></is></c>',
    '<c r="B1"/><c r="B1"/>', '<c r="B2"/>',
    '<c r="B1" t="inlineStr"><is><t>' + 'x' * 32_768 + '</t></is></c>',
]


@pytest.mark.parametrize("cells", _NEAR_MISSES)
def test_cells_read_on_the_fast_path_are_read_as_the_general_reader_reads_them(cells, tmp_path, monkeypatch):
    from package_builders import build_package, sheet_xml

    path = build_package(tmp_path / "x.xlsx", [("S", sheet_xml(f'<row r="1"><c r="A1"><v>1</v></c>{cells}</row>'))],
                         shared_strings=["<t>甲</t>"])
    assert _read(path, monkeypatch, fast=True) == _read(path, monkeypatch, fast=False)
