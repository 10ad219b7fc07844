"""Native-function results checked against LibreOffice headless as an independent reference.

One workbook (built with openpyxl) holds 154 formula cells (146 compared) that exercise the
native functions a department template uses, cross-sheet references to a sheet
with a Chinese name, defined names, array constants, error propagation,
operators and rounding edge cases.  Our engine evaluates it (package reader +
`recalculate_package`); LibreOffice recalculates it (``soffice --headless
--convert-to xlsx``) and the two are compared cell by cell.

LibreOffice keeps the cached values of an .xlsx by default, so the private
profile of each soffice run sets ``OOXMLRecalcMode`` = 0 (always recalculate)
and the en-US locale (for TEXT's separators), and every formula cell is given a wrong cached value (``STALE``) before the run:
a cell LibreOffice did not recalculate shows up as a disagreement, and the test
first checks that a known cell came back right.

Where LibreOffice differs from Excel on a documented point, the cell is left out
of the comparison (``LIBREOFFICE_DIFFERS``, with the reason and what Excel
gives); the engine follows Excel.  One cell whose Excel result is not documented
is left out too and marked as unverified.

The test is skipped when ``soffice`` is not installed, but fails in CI
(``CI=true``), which must run it.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from libreoffice import STALE, plant_stale_values, recalculated_xlsx, required_soffice
from xladdin import engine
from xladdin.xlsx import ErrorValue, WorkbookPackage

DATA = "基础数据"
CALC = "计算"

# --------------------------------------------------------------------------
# The workbook
# --------------------------------------------------------------------------

# '基础数据': a data sheet like a department template's input sheet.
DATA_CELLS = {
    "A1": "项目", "B1": "数值", "C1": "类别", "D1": "参数",
    "B2": 80, "C2": "甲", "D2": 0.15,
    "B3": 95.5, "C3": "乙", "D3": 2.675,
    "B4": 60, "C4": "甲", "D4": 1.005,
    "B5": "暂无", "C5": "丙", "D5": 1234567.891,
    # B6 blank
    "C6": "甲", "D6": 0.125,
    "B7": 45, "C7": "乙", "D7": 0.1,
    "B8": "12", "C8": "apple", "D8": 0.2,
    "B9": -2.5, "C9": "Apple pie",
    "B10": "=1/0",
    "B11": "=NA()",
    "B12": '=""',
    "B13": True,   # outside the named ranges: LibreOffice has no logical cells (see LIBREOFFICE_DIFFERS)
}

DEFINED_NAMES = {
    "base_score": f"'{DATA}'!$B$2",          # a single cell
    "权重": f"'{DATA}'!$D$2",                # a single cell, Chinese name
    "scores": f"'{DATA}'!$B$2:$B$9",         # numbers, text, blank, text number
    "categories": f"'{DATA}'!$C$2:$C$9",
    "all_scores": f"'{DATA}'!$B$2:$B$12",    # ... plus #DIV/0!, #N/A and ""
}

D = f"'{DATA}'"

# '计算': constants in E1:E5, one formula per row in column A.
CALC_CONSTANTS = {"E1": 10, "E2": 20, "E3": 30, "E5": "x"}  # E4 blank

FORMULAS = [
    # SUM
    "SUM(1,2,3)",
    f"SUM({D}!B2:B4)",
    "SUM(scores)",
    "SUM(all_scores)",
    "SUM({1,2,3;4,5,6})",
    'SUM("2",3)',
    "SUM(TRUE,1)",
    "SUM(E1:E5)",
    "SUM(1,NA())",
    f"SUM({D}!B2,base_score,权重)",
    f"SUM({D}!B2:B9,E1:E3)",
    # IF
    'IF(base_score>=80,"达标","未达标")',
    'IF(E4="","空","非空")',
    "IF(1/0>1,1,2)",
    "IF(TRUE,NA(),1)",
    "IF(FALSE,1)",
    'IF(0,"a","b")',
    "IF(E1,E2,E3)",
    'IF(E1>5,IF(E2>25,"A","B"),"C")',
    'IF(E1>5,"ok",1/0)',
    # IFERROR
    "IFERROR(1/0,0)",
    'IFERROR(NA(),"缺失")',
    "IFERROR(SUM(all_scores),-1)",
    'IFERROR(E1*2,"x")',
    'IFERROR("a"+1,"bad")',
    f'IFERROR({D}!B11,"无")',
    # ROUND
    "ROUND(2.675,2)",
    "ROUND(1.005,2)",
    "ROUND(-2.5,0)",
    "ROUND(2.5,0)",
    "ROUND(0.1+0.2,1)",
    "ROUND(1234.5678,-2)",
    f"ROUND({D}!D3,2)",
    "ROUND(-1.005,2)",
    "ROUND(0.285,2)",
    "ROUND(1/3,4)",
    "ROUND(base_score*权重,1)",
    "ROUND(1/0,2)",
    # ROUNDDOWN
    "ROUNDDOWN(2.675,2)",
    "ROUNDDOWN(-2.5,0)",
    "ROUNDDOWN(1.005*1000,0)",
    "ROUNDDOWN(1234.5678,-2)",
    "ROUNDDOWN(4.35*100,0)",
    "ROUNDDOWN(-3.14159,3)",
    # MIN / MAX
    "MIN(scores)",
    "MAX(scores)",
    "MIN(E1:E5,5)",
    "MAX({1,7,3},-1)",
    "MAX(all_scores)",
    f"MIN({D}!C2:C4)",
    'MAX("5",2)',
    # AND / OR / NOT
    "AND(TRUE,1)",
    "AND(E1>5,E2<10)",
    "OR(FALSE,0,E3=30)",
    "NOT(E1>5)",
    "NOT(0)",
    "AND(scores)",
    "OR(1/0,TRUE)",
    "AND({1,0})",
    # AVERAGE
    "AVERAGE(scores)",
    'AVERAGE(1,2,"3")',
    "AVERAGE(E4)",
    "AVERAGE({1,2,3,4})",
    "AVERAGE(E1:E3,100)",
    "AVERAGE(all_scores)",
    # COUNT / COUNTA
    "COUNT(scores)",
    'COUNT(1,"2",TRUE,"x")',
    "COUNT(all_scores)",
    "COUNTA(scores)",
    "COUNTA(all_scores)",
    "COUNTA(E1:E5)",
    'COUNTA(1,"",FALSE)',
    # COUNTIF
    'COUNTIF(scores,">60")',
    'COUNTIF(categories,"甲")',
    'COUNTIF(categories,"apple*")',
    'COUNTIF(scores,"<>80")',
    "COUNTIF(scores,60)",
    'COUNTIF(categories,"?")',
    'COUNTIF(E1:E5,">="&E2)',
    'COUNTIF(all_scores,"#N/A")',
    # SUMIF
    'SUMIF(categories,"甲",scores)',
    'SUMIF(scores,">70")',
    'SUMIF(categories,"乙",scores)',
    'SUMIF(categories,"<>甲",scores)',
    'SUMIF(E1:E5,">10")',
    f'SUMIF({D}!C2:C9,"apple*",{D}!D2:D9)',
    # TEXT
    'TEXT(2.675,"0.00")',
    'TEXT(1.005,"0.00")',
    'TEXT(0.125,"0.00%")',
    'TEXT(1234567.891,"#,##0.00")',
    'TEXT(2.5,"0")',
    'TEXT(-2.5,"0")',
    'TEXT(权重,"0.00%")',
    'TEXT(0.1+0.2,"0.00")',
    'TEXT(-1234.5,"#,##0.00")',
    'TEXT(0,"0.00%")',
    'TEXT(base_score/3,"0.00")',
    'TEXT("abc","0.00")',
    'TEXT(1/0,"0.00")',
    'TEXT(SUM(scores)/COUNT(scores),"0.00")',
    # CONCAT / CONCATENATE / &
    '_xlfn.CONCAT("总分:",E1)',
    "_xlfn.CONCAT(categories)",
    'CONCATENATE("得分",base_score,"分")',
    '"合计"&SUM(E1:E3)',
    '1.5&"元"',
    '(0.1+0.2)&""',
    '1/3&""',
    'TRUE&""',
    'E4&"x"',
    '-E1&""',
    'ROUND(2.675,2)&""',
    '"共"&COUNT(scores)&"项"',
    "E1&E2",
    '0.000001&""',
    '1234567890123456789&""',
    '"a"&NA()',
    # NA / ISNUMBER / ISERROR
    "NA()",
    "ISNUMBER(E1)",
    'ISNUMBER("1")',
    "ISNUMBER(E4)",
    "ISERROR(NA())",
    f"ISERROR({D}!B10)",
    "ISERROR(E5)",
    "ISNUMBER(1/0)",
    f'IF(ISERROR({D}!B11),"错误","正常")',
    # ROWS
    "ROWS(scores)",
    "ROWS({1;2;3})",
    "ROWS(E1:E5)",
    # operators, references
    "50%*E1",
    "E1%",
    "-E1*-2",
    "-2^2",
    "E1>E2",
    '"abc"="ABC"',
    '"a"<"b"',
    '1<"a"',
    'E1="10"',
    '"1"+1',
    '"abc"*1',
    "1/0",
    "0.1+0.2=0.3",
    "0.1+0.2",
    "E5+1",
    "base_score*权重",
    "TRUE+TRUE",
    "E4+1",
    f"{D}!B11",
    f"{D}!B2/{D}!B6",
    f"{D}!B12",
    # a logical value in a cell
    f"{D}!B13",
    f'IF({D}!B13,"真","假")',
    f"AND({D}!B13,E1)",
    f"SUM({D}!B13,1)",
    f"COUNT({D}!B13)",
]

# Cells left out of the comparison: LibreOffice differs from Excel here (the
# engine follows Excel).  formula -> reason, with what Excel gives.
LIBREOFFICE_DIFFERS: dict[str, str] = {
    # Text that looks like a number, typed directly as an argument, is counted by
    # Excel ("Logical values and text representations of numbers that you type
    # directly into the list of arguments are counted" -- SUM/MAX/AVERAGE help);
    # LibreOffice gives #VALUE! for a string argument of these functions.
    'SUM("2",3)': 'Excel 5; LibreOffice #VALUE!',
    'MAX("5",2)': 'Excel 5; LibreOffice #VALUE!',
    'AVERAGE(1,2,"3")': 'Excel 2; LibreOffice #VALUE!',
    # LibreOffice has no logical type: TRUE is the number 1 with a boolean format,
    # so a TRUE cell is a number to SUM/COUNT and TRUE becomes "1" as text.  Excel
    # ignores logical values in references ("Empty cells, logical values, or text
    # in the array or reference are ignored" -- SUM/COUNT help) and TRUE&"" is "TRUE".
    f"SUM({D}!B13,1)": "Excel 1; LibreOffice 2",
    f"COUNT({D}!B13)": "Excel 0; LibreOffice 1",
    'TRUE&""': 'Excel "TRUE"; LibreOffice "1"',
    # LibreOffice writes a three-digit exponent when it turns a large number into
    # text; Excel's General format uses at least two ("1.23456789012346E+18").
    '1234567890123456789&""': 'Excel "1.23456789012346E+18"; LibreOffice "1.23456789012346E+018"',
    # Unverified, left for review: where Excel switches to scientific notation for
    # small numbers turned into text is not documented.  The engine gives "1E-06"
    # (scientific below 1E-4, like %G), LibreOffice "0.000001".
    '0.000001&""': 'engine "1E-06"; LibreOffice "0.000001"; Excel not documented',
}


def build_workbook(path: Path) -> dict[tuple[str, str], str]:
    """Write the workbook; returns {(sheet, address): formula} for the compared cells."""
    import openpyxl
    from openpyxl.workbook.defined_name import DefinedName

    wb = openpyxl.Workbook()
    calc = wb.active
    calc.title = CALC
    data = wb.create_sheet(DATA)
    for addr, value in DATA_CELLS.items():
        data[addr] = value
    for addr, value in CALC_CONSTANTS.items():
        calc[addr] = value
    compared = {}
    for row, formula in enumerate(FORMULAS, start=1):
        calc[f"A{row}"] = "=" + formula
        if formula not in LIBREOFFICE_DIFFERS:
            compared[(CALC, f"A{row}")] = formula
    for name, target in DEFINED_NAMES.items():
        wb.defined_names[name] = DefinedName(name, attr_text=target)
    wb.save(path)
    assert plant_stale_values(path) > 0
    return compared


# --------------------------------------------------------------------------
# Comparison
# --------------------------------------------------------------------------


def _same(ours, theirs) -> bool:
    if isinstance(ours, ErrorValue) or isinstance(theirs, ErrorValue):
        return (isinstance(ours, ErrorValue) and isinstance(theirs, ErrorValue)
                and str(ours) == str(theirs))
    if isinstance(ours, bool) or isinstance(theirs, bool):
        return type(ours) is type(theirs) and ours == theirs
    if isinstance(ours, (int, float)) and isinstance(theirs, (int, float)):
        return math.isclose(ours, theirs, rel_tol=1e-9, abs_tol=0.0) or ours == theirs
    return type(ours) is type(theirs) and ours == theirs


@pytest.fixture(scope="module")
def soffice():
    return required_soffice()


def test_native_functions_agree_with_libreoffice(soffice, tmp_path):
    source = tmp_path / "native.xlsx"
    compared = build_workbook(source)
    assert len(compared) >= 100

    # our engine
    book = WorkbookPackage.open(source)
    assert set(book.sheet_names) == {CALC, DATA}
    results = engine.recalculate_package(book)
    assert results.problems == []

    # LibreOffice, always recalculating
    lo_file = recalculated_xlsx(soffice, source, tmp_path / "lo", locale="en-US")
    lo = WorkbookPackage.open(lo_file)

    # the recalc setting is effective: a cell planted with a stale value comes back right
    first = (CALC, "A1")
    assert FORMULAS[0] == "SUM(1,2,3)" and lo.cells[first].value == 6.0, (
        f"LibreOffice kept the stale cached value ({lo.cells[first].value!r}): OOXMLRecalcMode not applied")
    stale = [k for k, c in lo.cells.items() if c.formula is not None and c.value == STALE]
    assert not stale, f"LibreOffice did not recalculate {stale}"

    disagreements = []
    for key, formula in compared.items():
        ours = results.values[key]
        theirs = lo.cells[key].value if key in lo.cells else None
        if not _same(ours, theirs):
            disagreements.append(f"{key[1]} ={formula}: engine {ours!r}, LibreOffice {theirs!r}")
    assert not disagreements, (
        f"{len(disagreements)} of {len(compared)} cells disagree:\n" + "\n".join(disagreements))
