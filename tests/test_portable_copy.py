"""The portable copy (``xladdin freeze``): scoring formulas become their values.

What a department or bureau gets: a copy in which no cell calls a catalogue
function any more (so no application shows #NAME?, recalculating or not), every
native formula is still there with the same text, and every cell shows the value
the recalculated workbook shows.
"""
from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from package_builders import build_package, read_parts, rebuilt, sheet_xml
from workbook.framework import printed_note
from xladdin import cli, engine
from xladdin.engine import catalogue_calls
from xladdin.freeze import cells_to_freeze, freeze_file
from xladdin.xlsx import PackageError, WorkbookPackage

SCORES = "评分表"


def _formula_text(value) -> str | None:
    """An openpyxl cell value that is a formula, without its '='."""
    if isinstance(value, str) and value.startswith("="):
        return value[1:]
    if hasattr(value, "text"):  # ArrayFormula
        return value.text.lstrip("=")
    return None


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    """The recalculated seed example, its results, and its portable copy."""
    folder = tmp_path_factory.mktemp("seed")
    example = folder / "示例.xlsx"
    assert cli.main(["example", "-o", str(example)]) == 0
    book = WorkbookPackage.open(example)
    results = engine.recalculate_package(book).values
    out = folder / "副本"
    out.mkdir()
    frozen = freeze_file(example, out / example.name)
    return example, book, results, frozen


def test_the_seed_copy_calls_no_catalogue_function(seed):
    example, book, _results, frozen = seed
    assert len(frozen.cells) == 43  # 21 scores, 21 notes, the grade
    assert (SCORES, "I11") in frozen.cells and (SCORES, "J11") in frozen.cells and (SCORES, "I29") in frozen.cells
    copy = WorkbookPackage.open(frozen.target)
    left = [(c.sheet, c.ref, c.formula) for c in copy.formula_cells() if catalogue_calls(c.formula)]
    assert left == []
    assert not any("SCORE_" in c.formula.upper() for c in copy.formula_cells())
    # and as openpyxl sees the formulas
    wb = openpyxl.load_workbook(frozen.target)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                text = _formula_text(cell.value)
                assert text is None or not catalogue_calls(text), (ws.title, cell.coordinate, text)


def test_the_seed_copy_keeps_every_native_formula(seed):
    _example, book, _results, frozen = seed
    copy = WorkbookPackage.open(frozen.target)
    native = {k: c.formula for k, c in book.cells.items() if c.formula is not None and not catalogue_calls(c.formula)}
    assert len(native) == 31  # 评分表 F28, I28, J28 and 得分汇总's subtotals, differences and totals
    assert {k: c.formula for k, c in copy.cells.items() if c.formula is not None} == native
    before = openpyxl.load_workbook(book.path)
    after = openpyxl.load_workbook(frozen.target)
    for sheet, ref in native:
        assert after[sheet][ref].value == before[sheet][ref].value


def test_the_seed_copy_shows_the_recalculated_values(seed):
    _example, book, results, frozen = seed
    copy = WorkbookPackage.open(frozen.target)
    for key in results:
        assert copy.cells[key].value == results[key], key
    # every other cell is as it was
    for key, cell in book.cells.items():
        if key not in results:
            assert copy.cells[key].value == cell.value, key
    wb = openpyxl.load_workbook(frozen.target, data_only=True)
    for (sheet, ref), value in results.items():
        shown = wb[sheet][ref].value
        assert shown == value or (value == "" and shown is None), (sheet, ref, shown, value)
    ws = wb[SCORES]
    assert ws["I11"].value == 1.98 and ws["I21"].value == 5 and ws["I22"].value == 5.99
    assert ws["I28"].value == 98.97 and ws["I29"].value == "优"
    assert ws["J11"].value == printed_note(
        "政府采购执行率=（14,750/15,000）×100%=98.33%，得1.98分，扣0.02分"
        "；整改情况：严格执行政府采购程序，依据管理办法和中标通知书严格支付相关采购合同款项。"
    )
    rows = CalamineWorkbook.from_path(str(frozen.target)).get_sheet_by_name(SCORES).to_python()
    assert rows[27][8] == 98.97 and rows[10][8] == 1.98


def test_the_seed_copy_recalculates_to_the_same_numbers(seed):
    """Native formulas now compute from the frozen scores: recalculating changes nothing."""
    _example, _book, results, frozen = seed
    copy = WorkbookPackage.open(frozen.target)
    again = engine.recalculate_package(copy)
    assert again.problems == []
    for key, value in again.values.items():
        assert value == results[key], key
    assert again.values[("得分汇总", "C3")] == 25 and again.values[("得分汇总", "C5")] == 19.98
    assert again.values[("得分汇总", "C10")] == 53.99 and again.values[(SCORES, "I28")] == 98.97


def test_only_the_sheet_with_scoring_formulas_changes(seed):
    _example, book, _results, frozen = seed
    before, after = read_parts(Path(book.path)), read_parts(frozen.target)
    assert list(before) == list(after)
    changed = [n for n in before if before[n] != after[n]]
    # 评分表, and the 定稿副本 marker among the custom properties; the example has no calcChain
    assert changed == ["docProps/custom.xml", "xl/worksheets/sheet1.xml"]
    custom = after["docProps/custom.xml"].decode()
    assert 'name="定稿副本"' in custom and 'name="评分框架"' in custom  # the template's property is kept


# --------------------------------------------------------------------------
# Hand-built packages: the forms Excel stores, shared and array formulas
# --------------------------------------------------------------------------

FORMS = (
    '<row r="1"><c r="A1"><v>3</v></c><c r="B1"><v>2</v></c><c r="C1"><v>4</v></c><c r="D1"><v>4</v></c></row>'
    '<row r="2">'
    '<c r="A2"><f>_xldudf_SCORE_RATIO(A1,D1,6)</f><v>0</v></c>'
    '<c r="B2"><f>udfs.score_ratio(B1,D1,6)</f><v>0</v></c>'
    "<c r=\"C2\"><f>'jixiao.xlam'!SCORE_RATIO(C1,D1,6)</f><v>0</v></c>"
    '<c r="D2"><f>[1]!SCORE_RATIO(A1,D1,6)</f><v>0</v></c>'
    '<c r="E2"><f>_xll.SCORE_RATIO(B1,D1,6)</f><v>0</v></c>'
    '<c r="F2" t="str"><f>IF(A1&gt;0,"SCORE_RATIO(A1)","")</f><v></v></c>'
    '<c r="G2"><f>SUM(A2:E2)</f><v>0</v></c>'
    '<c r="H2" t="str"><f>SCORE_RATIO_NOTE(A1,D1,6)</f><v></v></c>'
    "</row>"
)


def test_every_stored_form_of_a_catalogue_call_is_frozen(tmp_path):
    src = build_package(tmp_path / "写法.xlsx", [("S", sheet_xml(FORMS))])
    book = WorkbookPackage.open(src)
    assert set(cells_to_freeze(book)) == {("S", r) for r in ("A2", "B2", "C2", "D2", "E2", "H2")}
    out = tmp_path / "out" / "写法.xlsx"
    out.parent.mkdir()
    freeze_file(src, out)
    back = WorkbookPackage.open(out).cells
    assert {r: back[("S", r)].value for r in ("A2", "B2", "C2", "D2", "E2")} == {"A2": 4.5, "B2": 3.0, "C2": 6.0, "D2": 4.5, "E2": 3.0}
    assert all(back[("S", r)].formula is None for r in ("A2", "B2", "C2", "D2", "E2", "H2"))
    assert back[("S", "F2")].formula == 'IF(A1>0,"SCORE_RATIO(A1)","")'  # only in a string: native
    assert back[("S", "G2")].formula == "SUM(A2:E2)" and back[("S", "G2")].value == 21
    assert isinstance(back[("S", "H2")].value, str) and "4.5" in back[("S", "H2")].value
    xml = read_parts(out)["xl/worksheets/sheet1.xml"].decode()
    assert re.search(r'<c r="H2" t="inlineStr"><is><t>[^<]+</t></is></c>', xml)
    assert '<c r="A2"><v>4.5</v></c>' in xml


SHARED = (
    '<row r="1"><c r="A1"><v>3</v></c><c r="B1"><v>2</v></c><c r="C1"><v>4</v></c><c r="D1"><v>4</v></c></row>'
    '<row r="2"><c r="A2" s="1"><f t="shared" ref="A2:C2" si="0">SCORE_RATIO(A1,$D$1,6)</f><v>0</v></c>'
    '<c r="B2" s="1"><f t="shared" si="0"/><v>0</v></c><c r="C2" s="1"><f t="shared" si="0"/><v>0</v></c></row>'
    '<row r="3"><c r="A3"><f t="shared" ref="A3:C3" si="1">A2*2</f><v>0</v></c>'
    '<c r="B3"><f t="shared" si="1"/><v>0</v></c><c r="C3"><f t="shared" si="1"/><v>0</v></c></row>'
    '<row r="4"><c r="A4"><f>SUM(A2:C2)</f><v>0</v></c></row>'
)
SHARED_VALUES = {"A2": 4.5, "B2": 3.0, "C2": 6.0, "A3": 9.0, "B3": 6.0, "C3": 12.0, "A4": 13.5}


def _shared_book(tmp_path, **kw):
    return build_package(tmp_path / "共享.xlsx", [("S", sheet_xml(SHARED))], **kw)


def _cell_xml(xml: str, ref: str) -> str:
    return re.search(rf'<c r="{ref}"[^>]*?(?:/>|>.*?</c>)', xml).group(0)


def test_a_shared_group_calling_score_ratio_is_frozen_and_its_native_neighbours_keep_their_meaning(tmp_path):
    src = _shared_book(tmp_path)
    out = tmp_path / "out.xlsx"
    frozen = freeze_file(src, out)
    assert sorted(frozen.cells) == [("S", "A2"), ("S", "B2"), ("S", "C2")]
    back = WorkbookPackage.open(out)
    assert {ref: back.cells[("S", ref)].value for (_, ref) in back.cells if ref[1] in "234"} == SHARED_VALUES
    # the native shared group (si 1) is untouched and still reads A2..C2
    assert [back.cells[("S", r)].formula for r in ("A3", "B3", "C3", "A4")] == ["A2*2", "B2*2", "C2*2", "SUM(A2:C2)"]
    xml = read_parts(out)["xl/worksheets/sheet1.xml"].decode()
    assert _cell_xml(xml, "A3") == '<c r="A3"><f t="shared" ref="A3:C3" si="1">A2*2</f><v>9</v></c>'
    assert _cell_xml(xml, "B3") == '<c r="B3"><f t="shared" si="1"/><v>6</v></c>'
    assert _cell_xml(xml, "A2") == '<c r="A2" s="1"><v>4.5</v></c>'
    assert 'si="0"' not in xml
    # recalculating the copy (as any application may) gives the same numbers
    again = engine.recalculate_package(back).values
    assert {ref: v for (_, ref), v in again.items()} == {k: v for k, v in SHARED_VALUES.items() if k[1] != "2"}
    ws = openpyxl.load_workbook(out)["S"]
    assert ws["B3"].value == "=B2*2" and ws["A2"].value == 4.5


@pytest.mark.parametrize("frozen_ref", ["A2", "B2"])
def test_freezing_part_of_a_shared_group_rewrites_the_rest_as_plain_formulas(tmp_path, frozen_ref):
    """Through the package API a group can lose one member only: the others keep their meaning."""
    src = _shared_book(tmp_path)
    book = WorkbookPackage.open(src)
    results = engine.recalculate_package(book).values
    out = tmp_path / "out.xlsx"
    book.write(results, out, freeze={("S", frozen_ref)})
    xml = read_parts(out)["xl/worksheets/sheet1.xml"].decode()
    expected = {"A2": "SCORE_RATIO(A1,$D$1,6)", "B2": "SCORE_RATIO(B1,$D$1,6)", "C2": "SCORE_RATIO(C1,$D$1,6)"}
    for ref, formula in expected.items():
        cell = _cell_xml(xml, ref)
        if ref == frozen_ref:
            assert "<f" not in cell and f"<v>{SHARED_VALUES[ref]:g}</v>" in cell
        else:
            assert f"<f>{formula}</f>" in cell, cell
    assert 'si="0"' not in xml and 'ref="A2:C2"' not in xml
    assert 'ref="A3:C3" si="1"' in xml  # the other group is not touched
    back = WorkbookPackage.open(out)
    for ref, formula in expected.items():
        assert back.cells[("S", ref)].formula == (None if ref == frozen_ref else formula)
    again = engine.recalculate_package(back).values
    assert {ref: again[("S", ref)] for (_, ref) in again} == {k: v for k, v in SHARED_VALUES.items() if k != frozen_ref}
    ws = openpyxl.load_workbook(out)["S"]
    assert ws["C2"].value == "=SCORE_RATIO(C1,$D$1,6)"


ARRAY = (
    '<row r="1"><c r="A1"><v>3</v></c><c r="B1"><v>4</v></c></row>'
    '<row r="2"><c r="A2" cm="1"><f t="array" ref="A2:A3">SCORE_RATIO(A1,B1,6)</f><v>0</v></c></row>'
    '<row r="3"><c r="A3" t="str"><v>旧</v></c></row>'
    '<row r="4"><c r="A4"><f t="array" ref="A4">SUM(A1:B1)</f><v>0</v></c></row>'
)


def test_a_frozen_array_formula_goes_whole_and_fills_its_range(tmp_path):
    """{=SCORE_RATIO(A1,B1,6)} entered over A2:A3 gives one number, which Excel shows in
    every cell of the range (3/4 x 6 = 4.5); the frozen copy keeps exactly that."""
    src = build_package(tmp_path / "数组.xlsx", [("S", sheet_xml(ARRAY))])
    out = tmp_path / "out.xlsx"
    freeze_file(src, out)
    xml = read_parts(out)["xl/worksheets/sheet1.xml"].decode()
    assert _cell_xml(xml, "A2") == '<c r="A2"><v>4.5</v></c>'
    assert _cell_xml(xml, "A3") == '<c r="A3"><v>4.5</v></c>'
    assert '<f t="array" ref="A4">SUM(A1:B1)</f><v>7</v>' in xml
    back = WorkbookPackage.open(out).cells
    assert back[("S", "A2")].formula is None and back[("S", "A3")].value == 4.5


def _entries(data: bytes) -> list[dict]:
    """The attributes of a relationships or content-types part's elements, in order."""
    return [dict(el.attrib) for el in ElementTree.fromstring(data)]


def test_freezing_drops_the_calculation_chain_and_nothing_else(tmp_path):
    src = _shared_book(tmp_path, calc_chain=True)
    out = tmp_path / "out.xlsx"
    freeze_file(src, out)
    before, after = read_parts(src), read_parts(out)
    assert "xl/calcChain.xml" in before and "xl/calcChain.xml" not in after
    assert b"calcChain" not in after["xl/_rels/workbook.xml.rels"]
    assert b"calcChain" not in after["[Content_Types].xml"]
    rels_before, rels_after = _entries(before["xl/_rels/workbook.xml.rels"]), _entries(after["xl/_rels/workbook.xml.rels"])
    assert rels_after == [r for r in rels_before if not r["Type"].endswith("/calcChain")]
    # the 定稿副本 marker: docProps/custom.xml is added with its content type and package relationship
    custom_type = {"PartName": "/docProps/custom.xml", "ContentType": "application/vnd.openxmlformats-officedocument.custom-properties+xml"}
    without_chain = [e for e in _entries(before["[Content_Types].xml"]) if e.get("PartName") != "/xl/calcChain.xml"]
    assert _entries(after["[Content_Types].xml"]) == without_chain + [custom_type]
    package_rels = _entries(after["_rels/.rels"])
    assert _entries(before["_rels/.rels"]) == package_rels[:-1] and package_rels[-1]["Target"] == "docProps/custom.xml"
    assert "docProps/custom.xml" in after
    assert WorkbookPackage.open(out).custom_properties["定稿副本"].startswith("由 xladdin freeze 于 ")
    unchanged = set(before) - {"xl/calcChain.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml", "xl/worksheets/sheet1.xml", "xl/workbook.xml", "_rels/.rels"}
    assert unchanged and all(before[n] == after[n] for n in unchanged)
    with zipfile.ZipFile(out) as zf:
        assert zf.testzip() is None
    openpyxl.load_workbook(out)  # still a valid package
    # a plain write-back keeps the chain
    plain = tmp_path / "plain.xlsx"
    WorkbookPackage.open(src).write({}, plain)
    assert read_parts(plain)["xl/calcChain.xml"] == before["xl/calcChain.xml"]


# --------------------------------------------------------------------------
# Bad input and the command line
# --------------------------------------------------------------------------


def _listing(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


def test_bad_input_leaves_nothing_written(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    broken = tmp_path / "坏.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(PackageError):
        freeze_file(broken, out / "坏.xlsx")
    assert _listing(out) == []


def test_a_score_that_cannot_be_recalculated_is_not_frozen(tmp_path):
    """A circular reference: the cells keep their formulas and stored values (a stale value
    must not become final), and the copy lists them."""
    circular = build_package(tmp_path / "循环.xlsx", [("S", sheet_xml(
        '<row r="1"><c r="A1"><f>SCORE_RATIO(B1,1,6)</f><v>6</v></c><c r="B1"><f>A1</f><v>1</v></c>'
        '<c r="C1"><f>SCORE_RATIO(1,2,6)</f><v>0</v></c></row>'))])
    out = tmp_path / "循环_定稿.xlsx"
    frozen = freeze_file(circular, out)
    assert frozen.cells == [("S", "C1")]
    assert any("S!A1" in p and "循环引用" in p for p in frozen.problems)
    back = WorkbookPackage.open(out).cells
    assert back[("S", "A1")].formula == "SCORE_RATIO(B1,1,6)" and back[("S", "A1")].value == 6
    assert back[("S", "C1")].formula is None and back[("S", "C1")].value == 3


def test_the_command_line_freezes_a_batch_and_goes_on_past_a_bad_file(seed, tmp_path, capsys):
    example = seed[0]
    inbox = tmp_path / "收文"
    inbox.mkdir()
    good = inbox / "甲.xlsx"
    good.write_bytes(example.read_bytes())
    bad = inbox / "乙.xlsx"
    bad.write_bytes(b"not a workbook")
    originals = {p: p.read_bytes() for p in (good, bad)}
    out = tmp_path / "便携"
    assert cli.main(["freeze", str(inbox), "-o", str(out)]) == 1
    text = capsys.readouterr()
    assert "完成" in text.out and "43 个评分公式已替换为数值，总得分 98.97" in text.out
    assert "失败" in text.err and "乙.xlsx" in text.err
    assert text.out.strip().splitlines()[-1] == "共 2 个文件：完成 1 个，失败 1 个。"
    assert _listing(out) == ["甲.xlsx"]
    assert all(p.read_bytes() == b for p, b in originals.items())

    # never over a source, never over an existing copy
    assert cli.main(["freeze", str(good), "-o", str(inbox)]) == 1
    first = (out / "甲.xlsx").read_bytes()
    assert cli.main(["freeze", str(good), "-o", str(out)]) == 1
    text = capsys.readouterr()
    assert "原文件所在目录" in text.err and "已存在" in text.err
    assert (out / "甲.xlsx").read_bytes() == first and good.read_bytes() == originals[good]
    assert _listing(inbox) == ["乙.xlsx", "甲.xlsx"]


def test_freeze_requires_an_output_folder(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["freeze", "任意.xlsx"])
    assert exc.value.code == 2


def _strict(data: bytes):
    """lxml's strict, namespace-aware parse (what the Open XML SDK and openpyxl do)."""
    from lxml import etree

    return etree.fromstring(data)


def test_an_openpyxl_custom_part_frozen_twice_stays_valid(tmp_path):
    """openpyxl writing through lxml declares vt: on each property, not on <Properties>: the
    定稿副本 property added beside its 评分框架 must declare what it uses (lxml, openpyxl and
    the Open XML SDK refuse "'vt' is an undeclared prefix"; Excel offers to repair)."""
    wb = openpyxl.Workbook()
    wb.active.title = "S"
    wb.active["A1"] = 1
    wb.active["B1"] = "=SCORE_RATIO(A1,2,6)"
    wb.custom_doc_props.append(openpyxl.packaging.custom.StringProperty(name="评分框架", value="longgang_2020"))
    saved = tmp_path / "openpyxl_et.xlsx"
    wb.save(saved)
    # the part as openpyxl writes it when lxml is installed (the suite runs it without)
    lxml_style = ('<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties">'
                  '<property name="评分框架" fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2">'
                  '<vt:lpwstr xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">longgang_2020</vt:lpwstr>'
                  '</property></Properties>')
    src = rebuilt(saved, tmp_path / "openpyxl.xlsx", {"docProps/custom.xml": lxml_style.encode()})
    once, twice = tmp_path / "一次.xlsx", tmp_path / "两次.xlsx"
    freeze_file(src, once)
    freeze_file(once, twice)
    for out in (once, twice):
        root = _strict(read_parts(out)["docProps/custom.xml"])
        props = {p.get("name"): (p.get("pid"), p[0].tag, p[0].text) for p in root}
        vt = "{http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes}lpwstr"
        assert props["评分框架"] == ("2", vt, "longgang_2020")
        assert props["定稿副本"][:2] == ("3", vt) and props["定稿副本"][2].startswith("由 xladdin freeze 于 ")
        assert len(root) == 2  # freezing again replaces the marker, keeping its pid
        props = {p.name: p.value for p in openpyxl.load_workbook(out).custom_doc_props.props}
        assert props["评分框架"] == "longgang_2020" and props["定稿副本"].startswith("由 xladdin freeze 于 ")

def test_a_marker_with_control_characters_and_markup_is_escaped(tmp_path):
    src = build_package(tmp_path / "a.xlsx", [("S", sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>'))])
    out = tmp_path / "b.xlsx"
    WorkbookPackage.open(src).write({}, out, custom_properties={"名称 <&\">": "甲\x0b乙 _x0041_ </vt:lpwstr>"})
    root = _strict(read_parts(out)["docProps/custom.xml"])
    assert root[0].get("name") == "名称 <&\">" and root[0][0].text == "甲_x000B_乙 _x005F_x0041_ </vt:lpwstr>"
    assert WorkbookPackage.open(out).custom_properties == {"名称 <&\">": "甲\x0b乙 _x0041_ </vt:lpwstr>"}


CUSTOM_RELATIONSHIP = ('<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"'
                       ' Target="docProps/custom.xml"/>')


def test_a_malformed_custom_part_is_refused_with_its_name(tmp_path):
    """What earlier versions wrote: the vt: prefix used without a declaration.  Read as if
    it were absent, audit reported 21 false 应为公式 findings for a 定稿副本."""
    bad = ('<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties">'
           '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="定稿副本"><vt:lpwstr>x</vt:lpwstr></property></Properties>')
    src = build_package(tmp_path / "坏.xlsx", [("S", sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>'))],
                        extra_parts={"docProps/custom.xml": bad.encode()}, package_relationships=CUSTOM_RELATIONSHIP)
    with pytest.raises(PackageError) as error:
        WorkbookPackage.open(src)
    assert "docProps/custom.xml" in error.value.message_zh and "坏.xlsx" in error.value.message_zh
