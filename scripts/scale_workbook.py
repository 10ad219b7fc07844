#!/usr/bin/env python3
"""A department workbook of about N formula cells, for the engine's scale benchmark.

    python3 scripts/scale_workbook.py OUT.xlsx N [--full]

Sheet 「部门」 holds one row per item: input columns A–H and five formulas per row,
so N formulas take N / 5 rows (rounded up)::

    A 项目编码  B 数量  C 单价  D 预算数  E 执行数  F 本期支出  G 实际采购  H 采购计划
    I 金额        =ROUND(B2*C2,2)
    J 执行率      =IF(D2>0,ROUNDDOWN(E2/D2,4),0)         (预算数 is 0 on some rows)
    K 分类系数    =VLOOKUP(A2,参数!$A$2:$C$201,2,FALSE)   (exact match into 「参数」)
    L 滚动支出    =SUM(F2:F201)                           (a 200-row window moving down)
    M 采购得分    =SCORE_PROCUREMENT(G2,H2)               (the project's catalogue function)

Sheet 「参数」 holds the 200-row lookup table (项目编码, 分类系数, 类别).

The file is written as raw SpreadsheetML (openpyxl takes tens of seconds for 100,000
formulas). Each formula column is written the way Excel writes a filled-down column:
the first row as a shared-formula master (``<f t="shared" ref="I2:I20001" si="0">``),
the rest as children (``<f t="shared" si="0"/>``); ``shared=False`` writes every formula
in full, as openpyxl-made files do. Like a workbook that needs recalculation, no formula
cell carries a cached ``<v>`` and ``<calcPr fullCalcOnLoad="1"/>`` is set.
"""
from __future__ import annotations

import math
import random
import sys
import zipfile
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from pathlib import Path
from xml.sax.saxutils import escape

DEPT_SHEET, PARAM_SHEET = "部门", "参数"
PARAM_ROWS = 200
SUM_WINDOW = 200
FORMULAS_PER_ROW = 5

INPUT_HEADERS = ["项目编码", "数量", "单价", "预算数", "执行数", "本期支出", "实际采购", "采购计划"]
#: formula column → header; formula_at() gives each column's formula.
FORMULA_COLUMNS = {"I": "金额", "J": "执行率", "K": "分类系数", "L": "近200行支出合计", "M": "采购得分"}
assert len(FORMULA_COLUMNS) == FORMULAS_PER_ROW
CATEGORIES = ["货物", "工程", "服务"]

# Style indexes into cellXfs of _STYLES.
STYLE_HEADER, STYLE_AMOUNT, STYLE_RATE, STYLE_FACTOR = 1, 2, 3, 4


@dataclass(frozen=True)
class ScaleWorkbook:
    path: Path
    rows: int          # data rows on 「部门」 (rows 2 … rows + 1)
    n_formulas: int    # = FORMULAS_PER_ROW × rows
    shared: bool
    inputs: list = field(repr=False)   # per data row: (项目编码, B, C, D, E, F, G, H)
    factors: dict = field(repr=False)  # 「参数」: 项目编码 → 分类系数

    def expected(self, column: str, row: int):
        """What the formula in ``column``/``row`` evaluates to, worked out here from the inputs
        with Excel's documented rules (not by any engine), for checking an engine's output.

        ROUND rounds half away from zero; ROUNDDOWN truncates toward zero; VLOOKUP with FALSE
        is an exact match; SUM ignores the empty cells below the last row. SCORE_PROCUREMENT
        is the project's own rule (udfs)."""
        code, b, c, d, e, _f, g, h = self.inputs[row - 2]
        if column == "I":
            return float(Decimal(repr(b * c)).quantize(Decimal("0.01"), ROUND_HALF_UP))
        if column == "J":
            return float(Decimal(repr(e / d)).quantize(Decimal("0.0001"), ROUND_DOWN)) if d > 0 else 0
        if column == "K":
            return self.factors[code]
        if column == "L":
            window = self.inputs[row - 2: row - 2 + SUM_WINDOW]
            return sum(x[5] for x in window)
        if column == "M":
            from udfs import SCORE_PROCUREMENT

            return SCORE_PROCUREMENT(g, h)
        raise ValueError(f"no formula in column {column}")


def formula_at(column: str, row: int) -> str:
    """The formula Excel shows in ``column``/``row`` after filling row 2's formula down.

    Relative references move with the row; ``$A$2:$C$201`` stays (Excel's fill rule)."""
    shift = row - 2
    return {
        "I": f"ROUND(B{row}*C{row},2)",
        "J": f"IF(D{row}>0,ROUNDDOWN(E{row}/D{row},4),0)",
        "K": f"VLOOKUP(A{row},{PARAM_SHEET}!$A$2:$C${PARAM_ROWS + 1},2,FALSE)",
        "L": f"SUM(F{2 + shift}:F{SUM_WINDOW + 1 + shift})",
        "M": f"SCORE_PROCUREMENT(G{row},H{row})",
    }[column]


def project_code(i: int) -> str:
    return f"XM{i:03d}"


# ----------------------------------------------------------------------------- package parts

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
<Default Extension="xml" ContentType="application/xml"/>\
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
<Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>\
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>\
<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>\
</Types>"""

_ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>\
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>\
</Relationships>"""

_CORE = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" \
xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\
<dc:title>部门支出明细（规模测试）</dc:title><dc:creator>scale_workbook.py</dc:creator>\
<dcterms:created xsi:type="dcterms:W3CDTF">2024-06-01T00:00:00Z</dcterms:created>\
</cp:coreProperties>"""

_APP = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">\
<Application>Microsoft Excel</Application></Properties>"""

_WORKBOOK = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
<bookViews><workbookView activeTab="0"/></bookViews>\
<sheets><sheet name="{DEPT_SHEET}" sheetId="1" r:id="rId1"/><sheet name="{PARAM_SHEET}" sheetId="2" r:id="rId2"/></sheets>\
<calcPr calcId="191029" fullCalcOnLoad="1"/>\
</workbook>"""

_WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>\
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/>\
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>\
</Relationships>"""

# cellXfs: 0 General, 1 bold header, 2 #,##0.00 (amounts), 3 0.00% (rates), 4 0.0000 (factors)
_STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
<numFmts count="1"><numFmt numFmtId="164" formatCode="0.0000"/></numFmts>\
<fonts count="2"><font><sz val="11"/><name val="等线"/><family val="2"/><charset val="134"/></font>\
<font><b/><sz val="11"/><name val="等线"/><family val="2"/><charset val="134"/></font></fonts>\
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
<xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
<xf numFmtId="10" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>\
<cellStyles count="1"><cellStyle name="常规" xfId="0" builtinId="0"/></cellStyles>\
</styleSheet>"""

_SHEET_HEAD = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
<dimension ref="{dimension}"/>\
<sheetViews><sheetView workbookViewId="0"{selected}><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>\
</sheetView></sheetViews>\
<sheetFormatPr defaultRowHeight="14.25"/>{cols}<sheetData>"""
_SHEET_TAIL = "</sheetData></worksheet>"


class _SharedStrings:
    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.uses = 0

    def cell(self, ref: str, text: str, style: int = 0) -> str:
        i = self.index.setdefault(text, len(self.index))
        self.uses += 1
        s = f' s="{style}"' if style else ""
        return f'<c r="{ref}"{s} t="s"><v>{i}</v></c>'

    def xml(self) -> str:
        items = "".join(f"<si><t>{escape(t)}</t></si>" for t in self.index)
        return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                f'count="{self.uses}" uniqueCount="{len(self.index)}">{items}</sst>')


def _number(ref: str, value: float | int, style: int = 0) -> str:
    s = f' s="{style}"' if style else ""
    return f'<c r="{ref}"{s}><v>{value!r}</v></c>'


def _cols(widths: list[float]) -> str:
    return "<cols>" + "".join(
        f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, w in enumerate(widths, 1)) + "</cols>"


def _random_factors(rnd: random.Random) -> dict[str, float]:
    return {project_code(i): round(rnd.uniform(0.8, 1.2), 4) for i in range(1, PARAM_ROWS + 1)}


def _random_inputs(rnd: random.Random, n_rows: int) -> list[tuple]:
    rows = []
    for _ in range(n_rows):
        budget = 0 if rnd.random() < 0.05 else round(rnd.uniform(1e4, 5e6), 2)  # 未安排预算 → 执行率 0
        planned = round(rnd.uniform(1e4, 5e6), 2)
        rows.append((
            project_code(rnd.randint(1, PARAM_ROWS)),
            rnd.randint(1, 500),                                 # 数量
            round(rnd.uniform(10, 5000), 2),                     # 单价
            budget,                                              # 预算数
            round((budget or 1e5) * rnd.uniform(0.5, 1.05), 2),  # 执行数
            round(rnd.uniform(1e3, 1e5), 2),                     # 本期支出
            round(planned * rnd.uniform(0.6, 1.08), 2),          # 实际采购: above 计划 on some rows
            planned,                                             # 采购计划
        ))
    return rows


def _param_sheet(sst: _SharedStrings, factors: dict[str, float]) -> str:
    rows = ['<row r="1">' + sst.cell("A1", "项目编码", STYLE_HEADER) + sst.cell("B1", "分类系数", STYLE_HEADER)
            + sst.cell("C1", "类别", STYLE_HEADER) + "</row>"]
    for i, (code, factor) in enumerate(factors.items()):
        r = i + 2
        rows.append(f'<row r="{r}">' + sst.cell(f"A{r}", code) + _number(f"B{r}", factor, STYLE_FACTOR)
                    + sst.cell(f"C{r}", CATEGORIES[i % len(CATEGORIES)]) + "</row>")
    head = _SHEET_HEAD.format(dimension=f"A1:C{PARAM_ROWS + 1}", selected="", cols=_cols([12, 12, 10]))
    return head + "".join(rows) + _SHEET_TAIL


_INPUT_STYLES = (0, 0, STYLE_AMOUNT, STYLE_AMOUNT, STYLE_AMOUNT, STYLE_AMOUNT, STYLE_AMOUNT, STYLE_AMOUNT)
_FORMULA_STYLES = {"I": STYLE_AMOUNT, "J": STYLE_RATE, "K": STYLE_FACTOR, "L": STYLE_AMOUNT, "M": 0}


def _dept_sheet(sst: _SharedStrings, inputs: list[tuple], shared: bool) -> str:
    last = len(inputs) + 1
    header = [sst.cell(f"{chr(65 + i)}1", text, STYLE_HEADER) for i, text in enumerate(INPUT_HEADERS)]
    header += [sst.cell(f"{col}1", title, STYLE_HEADER) for col, title in FORMULA_COLUMNS.items()]
    out = ['<row r="1">' + "".join(header) + "</row>"]
    for r, values in enumerate(inputs, 2):
        cells = [sst.cell(f"A{r}", values[0])]
        cells += [_number(f"{chr(65 + i)}{r}", x, _INPUT_STYLES[i]) for i, x in enumerate(values) if i]
        for si, col in enumerate(FORMULA_COLUMNS):
            s = f' s="{_FORMULA_STYLES[col]}"' if _FORMULA_STYLES[col] else ""
            if not shared:
                f = f"<f>{escape(formula_at(col, r))}</f>"
            elif r == 2:
                f = f'<f t="shared" ref="{col}2:{col}{last}" si="{si}">{escape(formula_at(col, 2))}</f>'
            else:
                f = f'<f t="shared" si="{si}"/>'
            cells.append(f'<c r="{col}{r}"{s}>{f}</c>')  # no <v>: the file needs recalculation
        out.append(f'<row r="{r}">' + "".join(cells) + "</row>")
    head = _SHEET_HEAD.format(dimension=f"A1:M{last}", selected=' tabSelected="1"',
                              cols=_cols([10, 8, 12, 16, 16, 14, 16, 16, 16, 10, 10, 18, 10]))
    return head + "".join(out) + _SHEET_TAIL


def make_scale_workbook(path, n_formulas: int, shared: bool = True, seed: int = 20240601) -> ScaleWorkbook:
    """Writes the workbook with ⌈n_formulas / 5⌉ rows of five formulas each.

    The same seed gives the same inputs whether ``shared`` or not."""
    if n_formulas < 1:
        raise ValueError("n_formulas must be at least 1")
    n_rows = math.ceil(n_formulas / FORMULAS_PER_ROW)
    rnd = random.Random(seed)
    factors = _random_factors(rnd)
    inputs = _random_inputs(rnd, n_rows)
    sst = _SharedStrings()
    dept = _dept_sheet(sst, inputs, shared)
    params = _param_sheet(sst, factors)
    path = Path(path)
    _write_package(path, dept, params, sst)
    return ScaleWorkbook(path, n_rows, n_rows * FORMULAS_PER_ROW, shared, inputs, factors)


# ----------------------------------------------------------------------------- mixed shapes

#: the mixed sheet's formula columns: IF chains, SUMIF, INDEX/MATCH, TEXT, dates
MIXED_COLUMNS = {"F": "规模", "G": "类别系数合计", "H": "系数", "I": "摘要", "J": "付款日"}
MIXED_HEADERS = ["项目编码", "日期", "金额", "数量", "类别"]
#: one row in five has a shape of its own in column H
MIXED_ODD_EVERY = 5
DATE_BASE = 43831  # 2020-01-01


def mixed_formula_at(column: str, row: int) -> str:
    """Row ``row``'s formula in ``column`` of the mixed sheet."""
    if column == "H" and row % MIXED_ODD_EVERY == 1:
        return f"IFERROR(VLOOKUP(A{row},{PARAM_SHEET}!$A$2:$B${PARAM_ROWS + 1},2,FALSE),0)*D{row}"
    table = f"{PARAM_SHEET}!$%s$2:$%s${PARAM_ROWS + 1}"
    return {
        "F": f'IF(C{row}>=1000000,"大额",IF(C{row}>=100000,"中额",IF(C{row}>0,"小额","无")))',
        "G": f"SUMIF({table % ('C', 'C')},E{row},{table % ('B', 'B')})",
        "H": f"INDEX({table % ('B', 'B')},MATCH(A{row},{table % ('A', 'A')},0))",
        "I": f'TEXT(B{row},"yyyy-mm-dd")&" "&TEXT(C{row},"#,##0.00")',
        "J": f"IF(WEEKDAY(B{row},2)>5,B{row}+8-WEEKDAY(B{row},2),B{row})",
    }[column]


def make_mixed_workbook(path, n_formulas: int, seed: int = 20240602) -> ScaleWorkbook:
    """A sheet of mixed shapes: ⌈n_formulas / 5⌉ rows of five formulas (`MIXED_COLUMNS`),
    every formula written in full; some project codes are missing from 「参数」 (MATCH gives
    #N/A), some amounts are 0 or blank, and column H has a shape of its own in one row of
    five. No cached values; the benchmark checks sampled cells against LibreOffice's."""
    if n_formulas < 1:
        raise ValueError("n_formulas must be at least 1")
    n_rows = math.ceil(n_formulas / FORMULAS_PER_ROW)
    rnd = random.Random(seed)
    factors = _random_factors(rnd)
    sst = _SharedStrings()
    last = n_rows + 1
    header = [sst.cell(f"{chr(65 + i)}1", t, STYLE_HEADER) for i, t in enumerate(MIXED_HEADERS)]
    header += [sst.cell(f"{col}1", t, STYLE_HEADER) for col, t in MIXED_COLUMNS.items()]
    out = ['<row r="1">' + "".join(header) + "</row>"]
    inputs = []
    for r in range(2, last + 1):
        code = project_code(rnd.randint(1, PARAM_ROWS + 10))  # 1 in 21 is not in 「参数」
        day = DATE_BASE + rnd.randint(0, 1500)
        x = rnd.random()
        amount = None if x < 0.02 else 0 if x < 0.04 else round(10 ** rnd.uniform(2, 7), 2)
        qty = rnd.randint(1, 50)
        category = rnd.choice(CATEGORIES)
        inputs.append((code, day, amount, qty, category))
        cells = [sst.cell(f"A{r}", code), _number(f"B{r}", day), ]
        if amount is not None:
            cells.append(_number(f"C{r}", amount, STYLE_AMOUNT))
        cells += [_number(f"D{r}", qty), sst.cell(f"E{r}", category)]
        for col in MIXED_COLUMNS:
            cells.append(f'<c r="{col}{r}"><f>{escape(mixed_formula_at(col, r))}</f></c>')
        out.append(f'<row r="{r}">' + "".join(cells) + "</row>")
    head = _SHEET_HEAD.format(dimension=f"A1:J{last}", selected=' tabSelected="1"',
                              cols=_cols([10, 12, 14, 8, 8, 8, 12, 10, 28, 12]))
    dept = head + "".join(out) + _SHEET_TAIL
    params = _param_sheet(sst, factors)
    _write_package(Path(path), dept, params, sst)
    return ScaleWorkbook(Path(path), n_rows, n_rows * FORMULAS_PER_ROW, False, inputs, factors)


def _write_package(path: Path, dept: str, params: str, sst: _SharedStrings) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name, text in (("[Content_Types].xml", _CONTENT_TYPES), ("_rels/.rels", _ROOT_RELS),
                           ("docProps/core.xml", _CORE), ("docProps/app.xml", _APP),
                           ("xl/workbook.xml", _WORKBOOK), ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS),
                           ("xl/styles.xml", _STYLES), ("xl/worksheets/sheet1.xml", dept),
                           ("xl/worksheets/sheet2.xml", params), ("xl/sharedStrings.xml", sst.xml())):
            zf.writestr(name, text.encode("utf-8"))


def main(argv=None) -> int:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("output")
    ap.add_argument("n_formulas", type=int)
    ap.add_argument("--full", action="store_true", help="write every formula in full (no shared formulas)")
    ap.add_argument("--mixed", action="store_true", help="the sheet of mixed shapes (make_mixed_workbook)")
    args = ap.parse_args(argv)
    made = (make_mixed_workbook(args.output, args.n_formulas) if args.mixed
            else make_scale_workbook(args.output, args.n_formulas, shared=not args.full))
    print(f"{made.path}: {made.rows} rows, {made.n_formulas} formulas, shared={made.shared}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
