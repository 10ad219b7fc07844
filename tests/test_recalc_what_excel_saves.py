"""A finance office recalculates workbooks as Excel saves them: the forms Excel writes that a
reader must take as they are, and the references that make Excel read other cells than the
whole range.

Each workbook is built here by hand, as small as the case needs; expected values follow
Microsoft's documentation of the behaviour (quoted per test) or the Excel-saved corpus.
"""
from __future__ import annotations

import zipfile

import pytest

from package_builders import NS_MAIN, NS_R, REL, build_package, read_parts, sheet_xml
from xladdin.cli import main
from xladdin.engine import calculate
from xladdin.xlsx import WorkbookPackage


def _recalculated(src, tmp_path):
    out = tmp_path / "out"
    assert main(["recalc", str(src), "-o", str(out)]) == 0
    return WorkbookPackage.open(out / src.name)


def test_a_workbook_with_a_placeholder_sheet_is_recalculated(tmp_path):
    """Excel writes ``<sheet r:id="">`` for a hidden legacy macro sheet and opens the file; the
    other sheets are calculated and the placeholder stays in the workbook as it was."""
    workbook_xml = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{NS_MAIN}" xmlns:r="{NS_R}">'
        '<sheets><sheet name="数据" sheetId="1" r:id="rId1"/>'
        '<sheet name="Macro1" sheetId="2" state="veryHidden" r:id=""/></sheets>'
        '<calcPr calcId="191029"/></workbook>'
    )
    data = '<row r="1"><c r="A1"><v>2</v></c><c r="B1"><f>A1*21</f><v>0</v></c></row>'
    src = build_package(tmp_path / "placeholder.xlsx", [("数据", sheet_xml(data))], workbook_xml=workbook_xml)
    book = _recalculated(src, tmp_path)
    assert book.cells[("数据", "B1")].value == 42.0
    with zipfile.ZipFile(tmp_path / "out" / src.name) as z:
        assert b'r:id=""' in z.read("xl/workbook.xml")


def _loan_schedule(periods=3):
    """Microsoft's loan-amortisation template in miniature: each column of the schedule is a
    range name (Beg_Bal = $D$13:$D$15 ...) that the formulas of every row use row by row."""
    cells = {("S", "B1"): 1000.0, ("S", "B2"): 0.12, ("S", "B3"): float(periods)}
    last = 12 + periods
    names = {name: "S!$%s$13:$%s$%d" % (col, col, last) for name, col in
             (("Pay_Num", "A"), ("Sched_Pay", "C"), ("Beg_Bal", "D"), ("Princ", "E"), ("Int", "F"), ("End_Bal", "G"))}
    names.update({"Loan_Amount": "S!$B$1", "Rate": "S!$B$2", "Number_of_Payments": "S!$B$3"})
    formulas = {}
    for row in range(13, last + 1):
        formulas[("S", "A%d" % row)] = "1" if row == 13 else "A%d+1" % (row - 1)
        formulas[("S", "C%d" % row)] = "IF(Pay_Num<=Number_of_Payments,PMT(Rate/12,Number_of_Payments,-Loan_Amount),\"\")"
        formulas[("S", "D%d" % row)] = "Loan_Amount" if row == 13 else "G%d" % (row - 1)
        formulas[("S", "F%d" % row)] = "IF(Pay_Num<>\"\",Beg_Bal*Rate/12,\"\")"
        formulas[("S", "E%d" % row)] = "IF(Pay_Num<>\"\",Sched_Pay-Int,\"\")"
        formulas[("S", "G%d" % row)] = "IF(AND(Pay_Num<>\"\",Sched_Pay<Beg_Bal),Beg_Bal-Princ,0)"
    formulas[("S", "H1")] = "SUM(Int)"
    return calculate(cells, formulas, names, ["S"])


def test_range_names_used_row_by_row_compute_without_a_cycle():
    """A range name where one value is expected is implicitly intersected with the formula's
    row (Microsoft: "Implicit intersection operator: @"): G14 depends on D14, E14, C14 only,
    so the schedule is no circular reference."""
    result = _loan_schedule()
    assert result.problems == []
    payment = 1000 * 0.01 / (1 - 1.01 ** -3)  # PMT's annuity formula, Microsoft's PMT page
    assert result.values[("S", "C15")] == pytest.approx(payment, rel=1e-12)
    assert result.values[("S", "G15")] == pytest.approx(0.0, abs=1e-9)  # paid off after 3 payments
    assert result.values[("S", "H1")] == pytest.approx(3 * payment - 1000, rel=1e-12)  # total interest


@pytest.mark.parametrize("cell,formula,expected", [
    # Microsoft ("Guidelines and examples of array formulas"): =SUM(A1:A5*B1:B5) needs
    # Ctrl+Shift+Enter; entered in a cell of another row it is #VALUE!
    ("D7", "SUM(A1:A5*B1:B5)", "#VALUE!"),
    # on a row of the ranges, each range gives that row's cell: 3*30
    ("D3", "SUM(A1:A5*B1:B5)", 90.0),
    ("D7", "SUMPRODUCT(A1:A5*B1:B5)", 550.0),  # SUMPRODUCT's arguments are arrays in any formula
    ("D7", "LOOKUP(2,1/(A1:A5<>\"\"),A1:A5)", 5.0),  # the last non-blank value, no Ctrl+Shift+Enter
])
def test_ranges_in_an_ordinary_formula_are_intersected(cell, formula, expected):
    cells = {("S", "A%d" % r): float(r) for r in range(1, 6)}
    cells.update({("S", "B%d" % r): 10.0 * r for r in range(1, 6)})
    got = calculate(cells, {("S", cell): formula}, {}, ["S"]).values[("S", cell)]
    assert got == expected


def _with_external_link(path, link_xml: str):
    """The package at ``path`` with one external-link part: formulas' ``[1]``."""
    parts = read_parts(path)
    parts["xl/externalLinks/externalLink1.xml"] = link_xml.encode()
    parts["xl/externalLinks/_rels/externalLink1.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{REL}/externalLinkPath" Target="预算.xlsx" TargetMode="External"/></Relationships>'
    ).encode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    parts["xl/_rels/workbook.xml.rels"] = rels.replace(
        "</Relationships>",
        f'<Relationship Id="rId99" Type="{REL}/externalLink" Target="externalLinks/externalLink1.xml"/></Relationships>',
    ).encode()
    types = parts["[Content_Types].xml"].decode()
    parts["[Content_Types].xml"] = types.replace("</Types>", (
        '<Override PartName="/xl/externalLinks/externalLink1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"/></Types>')).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def test_references_to_another_workbook_take_the_values_excel_cached(tmp_path):
    """Excel shows a link's values as last updated, kept in xl/externalLinks (Microsoft:
    "Control when external references (links) are updated": without updating, Excel shows
    the values stored); a cell the cache lacks is #REF! (corpus: tidyxl enron-constants.xlsx)."""
    workbook_xml = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{NS_MAIN}" xmlns:r="{NS_R}">'
        '<sheets><sheet name="汇总" sheetId="1" r:id="rId1"/></sheets>'
        '<externalReferences><externalReference r:id="rId99"/></externalReferences></workbook>'
    )
    data = (
        '<row r="2"><c r="A2"><f>[1]预算!$B$2*2</f><v>0</v></c>'
        "<c r=\"B2\"><f>'[1]预算'!B2+'[1]预算'!B3</f><v>0</v></c>"  # relative: B2 and B3 of 预算
        '<c r="C2"><f>SUM([1]预算!B2:B3)</f><v>0</v></c><c r="D2" t="str"><f>[1]预算!A2</f><v></v></c>'
        '<c r="E2"><f>[1]预算!Z9</f><v>0</v></c></row>'
        '<row r="3"><c r="B3"><f>\'[1]预算\'!B3+\'[1]预算\'!B4</f><v>0</v></c></row>'
    )
    link = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<externalLink xmlns="{NS_MAIN}">'
        f'<externalBook xmlns:r="{NS_R}" r:id="rId1"><sheetNames><sheetName val="预算"/></sheetNames>'
        '<sheetDataSet><sheetData sheetId="0" refreshError="1">'
        '<row r="2"><cell r="A2" t="str"><v>办公费</v></cell><cell r="B2"><v>1500</v></cell></row>'
        '<row r="3"><cell r="B3"><v>250.5</v></cell></row><row r="4"><cell r="B4"><v>4</v></cell></row>'
        "</sheetData></sheetDataSet></externalBook></externalLink>"
    )
    src = _with_external_link(build_package(tmp_path / "links.xlsx", [("汇总", sheet_xml(data))],
                                            workbook_xml=workbook_xml), link)
    cells = _recalculated(src, tmp_path).cells
    assert cells[("汇总", "A2")].value == 3000.0
    assert cells[("汇总", "B2")].value == 1750.5
    assert cells[("汇总", "B3")].value == 254.5
    assert cells[("汇总", "C2")].value == 1750.5
    assert cells[("汇总", "D2")].value == "办公费"
    assert cells[("汇总", "E2")].value == "#REF!"


def test_cells_reaching_today_through_a_defined_name_are_volatile():
    """A name defined as =TODAY() is TODAY() in every formula that uses it (Microsoft, TODAY:
    "the current date ... each time the worksheet is recalculated"): such cells are counted
    volatile, and take the run's pinned date as TODAY() itself does."""
    import datetime as dt

    names = {"今天": "TODAY()", "S!截止": "=TODAY()+30", "起点": "S!$B$1"}
    formulas = {("S", "A1"): "今天-B1", ("S", "A2"): "截止", ("S", "A3"): "起点+1"}
    result = calculate({("S", "B1"): 45292.0}, formulas, names, ["S"], now=dt.datetime(2024, 1, 15, 9, 30))
    assert result.values == {("S", "A1"): 14.0, ("S", "A2"): 45336.0, ("S", "A3"): 45293.0}
    assert result.volatile == 2


def test_structured_references_with_line_breaks_headers_and_this_row(tmp_path):
    """Microsoft, "Using structured references with Excel tables": [#This Row] / @, [#Headers],
    [#Data], column ranges, and special characters escaped with ' ([Amount '[USD']]).  A line
    break in a column name is stored in the table part as _x000a_ (ECMA-376 ST_Xstring)."""
    import openpyxl
    from openpyxl.worksheet.table import Table

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    for row in (["Item", "Unit\nprice", "Qty", "Amount [USD]"], ["a", 2, 3, None], ["b", 5, 4, None]):
        ws.append(row)
    ws.add_table(Table(displayName="T1", ref="A1:D3"))
    formulas = {
        "D2": "=T1[[#This Row],[Unit\nprice]]*T1[[#This Row],[Qty]]", "D3": "=T1[@[Unit\nprice]]*T1[@Qty]",
        "F1": "=T1[[#Headers],[Qty]]", "F2": "=SUM(T1[[#Data],[Unit\nprice]:[Qty]])",
        "F3": "=SUM(T1[Amount '[USD']])", "F4": "=T1[[#Headers],[Amount '[USD']]]",
        "F5": "=COUNTA(T1[[#Headers],[Item]:[Qty]])", "F6": "=SUM(T1[[Unit\nprice]])",
    }
    for ref, formula in formulas.items():
        ws[ref] = formula
    src = tmp_path / "table.xlsx"
    wb.save(src)
    cells = _recalculated(src, tmp_path).cells
    got = {ref: cells[("S", ref)].value for ref in formulas}
    assert got == {"D2": 6.0, "D3": 20.0, "F1": "Qty", "F2": 14.0, "F3": 26.0, "F4": "Amount [USD]",
                   "F5": 3.0, "F6": 7.0}


def test_optional_relationships_with_odd_ids_or_no_target_are_kept(tmp_path):
    """A relationship Excel does not need (here a theme with an empty target, under an id of
    no rIdN form) does not stop the recalculation, and every part stays as it was."""
    data = '<row r="1"><c r="A1"><v>4</v></c><c r="B1"><f>A1/8</f><v>0</v></c></row>'
    src = build_package(tmp_path / "odd.xlsx", [("S", sheet_xml(data))])
    parts = read_parts(src)
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", f'<Relationship Id="theme_1" Type="{REL}/theme" Target=""/></Relationships>'.encode())
    parts["xl/unknown/part.bin"] = b"\x00kept as it is\xff"
    with zipfile.ZipFile(src, "w", zipfile.ZIP_DEFLATED) as z:
        for name, payload in parts.items():
            z.writestr(name, payload)
    assert _recalculated(src, tmp_path).cells[("S", "B1")].value == 0.5
    with zipfile.ZipFile(tmp_path / "out" / src.name) as z:
        assert z.read("xl/unknown/part.bin") == b"\x00kept as it is\xff"
        assert z.read("xl/_rels/workbook.xml.rels") == parts["xl/_rels/workbook.xml.rels"]
