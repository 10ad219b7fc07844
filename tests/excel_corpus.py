"""The Excel-corpus yardstick: our engine's results against the values Excel itself cached.

`/work/shared/corpus/excel-saved/` holds workbooks saved by Microsoft Excel; the ``<v>``
of every formula cell there is Excel's own answer.  This module strips those answers
(`strip_cached_values`), reads them back (`excel_values`), finds the cells whose result
depends on the clock, randomness or the machine (`volatile_cells`, excluded), compares
values (`compare`), classifies each cell by the functions it calls (`classify_formula`)
and turns it all into tables (`CorpusReport`).  Used by ``tests/test_excel_corpus.py``
(the acceptance test, through the real command line) and ``scripts/corpus_report.py``
(the same comparison for developers, also against formualizer).

No test lives here.
"""
from __future__ import annotations

import datetime as _dt
import json
import math
import os
import posixpath
import re
import subprocess
import sys
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

from openpyxl.formula.tokenizer import Token, Tokenizer

from xladdin.xlsx import ErrorValue, WorkbookPackage, column_letters, column_number, split_ref
from xladdin.xlsx.model import MAX_COL, MAX_ROW

REPO = Path(__file__).resolve().parents[1]
#: The corpora sit beside the project (like ../shared/spec): excel-saved (the first, with the
#: deliberately corrupt file) and excel-saved-2 (invoices, schedules, finance, tables,
#: lookups).  XLADDIN_EXCEL_CORPUS overrides: one folder, or several joined by os.pathsep.
_CORPORA = REPO.parent / "shared" / "corpus"
CORPUS_DIRS = tuple(Path(p) for p in os.environ["XLADDIN_EXCEL_CORPUS"].split(os.pathsep) if p) if os.environ.get(
    "XLADDIN_EXCEL_CORPUS") else (_CORPORA / "excel-saved", _CORPORA / "excel-saved-2")
CORPUS_DIR = CORPUS_DIRS[0]
KNOWN_DIFFERENCES = Path(__file__).with_name("excel_corpus_known_differences.tsv")
KNOWN_DIFFERENCES_HEADER = ("file", "sheet!cell", "excel value", "our value", "reason")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")

EQUAL, DIFFERENT, NOT_COMPUTED, VOLATILE = "equal", "different", "not computed", "volatile"


def is_deliberately_corrupt(path: Path | str) -> bool:
    """The fuzzer-made file of the corpus: a damaged zip every reader must refuse."""
    return "clusterfuzz" in Path(path).name


def corpus_workbooks(corpus_dir: Path = CORPUS_DIR) -> list[Path]:
    return sorted(p for p in Path(corpus_dir).iterdir() if p.suffix.lower() in WORKBOOK_SUFFIXES)


# --------------------------------------------------------------------------
# Stripping Excel's answers
# --------------------------------------------------------------------------

# A <c> element (optionally namespace-prefixed), self-closing or with a body.  Cells never
# nest and their attributes (r, s, t, cm, vm, ph) never contain ">", so this is exact.
_CELL = re.compile(
    rb"<(?P<p>(?:[A-Za-z_][\w.-]*:)?)c(?=[\s/>])(?P<attrs>[^>]*?)(?:/>|>(?P<body>.*?)</(?P=p)c>)", re.S
)
_ATTR = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_RESULT_TYPE = re.compile(rb"""\s+t\s*=\s*(?:"(?:str|e|b)"|'(?:str|e|b)')""")
_WORKSHEET_TYPE = re.compile(
    rb"""<Override\b[^>]*?PartName\s*=\s*["']/?([^"']+)["'][^>]*?ContentType\s*=\s*["'][^"']*\.worksheet\+xml["']""",
    re.I,
)


def _attributes(tag_attrs: bytes) -> dict[bytes, bytes]:
    return {m.group(1): m.group(2) if m.group(2) is not None else m.group(3) for m in _ATTR.finditer(tag_attrs)}


def _formula_tag(body: bytes, prefix: bytes) -> dict[bytes, bytes] | None:
    """The attributes of the cell's <f>, or None when the cell has no formula."""
    m = re.search(rb"<" + re.escape(prefix) + rb"f(?=[\s/>])([^>]*)", body)
    if m is None:
        return None
    return _attributes(m.group(1).rstrip(b"/"))


def _box(ref: str) -> tuple[int, int, int, int]:
    first, _, last = ref.partition(":")
    r1, c1 = split_ref(first.replace("$", ""))
    r2, c2 = split_ref(last.replace("$", "")) if last else (r1, c1)
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


def strip_sheet_xml(xml: bytes) -> bytes:
    """One worksheet's XML with every formula result removed, the rest untouched.

    A formula cell (including a shared-formula child ``<f t="shared" si="0"/>``) and every
    cell inside an array formula's range lose their ``<v>`` and a ``t`` of str/e/b (the
    types a formula result gives; without its value the type would describe nothing)."""
    arrays: list[tuple[int, int, int, int]] = []
    for m in _CELL.finditer(xml):
        body = m.group("body")
        f_attrs = _formula_tag(body, m.group("p")) if body else None
        if f_attrs and f_attrs.get(b"t") == b"array":
            ref = f_attrs.get(b"ref") or _attributes(m.group("attrs")).get(b"r")
            if ref:
                arrays.append(_box(ref.decode()))

    def in_array(attrs: bytes) -> bool:
        ref = _attributes(attrs).get(b"r")
        if not arrays or not ref:  # Excel always writes r; without it no range can be told
            return False
        row, col = split_ref(ref.decode())
        return any(r1 <= row <= r2 and c1 <= col <= c2 for r1, c1, r2, c2 in arrays)

    def strip(m: re.Match) -> bytes:
        body, prefix, attrs = m.group("body"), m.group("p"), m.group("attrs")
        if body is None or not (_formula_tag(body, prefix) is not None or in_array(attrs)):
            return m.group(0)
        p = re.escape(prefix)
        value = re.compile(rb"<" + p + rb"v(?:\s[^>]*)?(?:/>|>.*?</" + p + rb"v>)", re.S)
        new_attrs = _RESULT_TYPE.sub(b"", attrs)
        return b"<" + prefix + b"c" + new_attrs + b">" + value.sub(b"", body) + b"</" + prefix + b"c>"

    return _CELL.sub(strip, xml)


def strip_cached_values(src: Path | str, dst: Path | str) -> None:
    """Copy a workbook without the cached results of its formula cells.

    Only worksheet parts change (see `strip_sheet_xml`, done on the raw XML text so that
    nothing else of the file is re-serialised); every other member is copied with the same
    name, date, compression and content."""
    with zipfile.ZipFile(src) as source, zipfile.ZipFile(dst, "w") as target:
        worksheets = {m.decode().lower() for m in _WORKSHEET_TYPE.findall(source.read("[Content_Types].xml"))}
        if not worksheets:  # content types by extension only: fall back on Excel's part names
            worksheets = {n.lower() for n in source.namelist() if re.fullmatch(r"xl/worksheets/[^/]+\.xml", n, re.I)}
        for info in source.infolist():
            data = source.read(info)
            if info.filename.lower() in worksheets:
                data = strip_sheet_xml(data)
            target.writestr(info, data, compress_type=info.compress_type)


# --------------------------------------------------------------------------
# Reading values and formulas
# --------------------------------------------------------------------------

CellKey = tuple[str, str]  # (sheet, "B3")


def formula_texts(book: WorkbookPackage) -> dict[CellKey, str]:
    """Every formula cell's formula text; a cell inside an array formula's range gets the
    master's formula (it shows one element of that formula's result)."""
    formulas = {key: cell.formula for key, cell in book.cells.items() if cell.formula is not None}
    for (sheet, ref), cell in list(book.cells.items()):
        if cell.array_ref and ":" in cell.array_ref:
            r1, c1, r2, c2 = _box(cell.array_ref)
            for row in range(r1, r2 + 1):
                for col in range(c1, c2 + 1):
                    formulas.setdefault((sheet, f"{column_letters(col)}{row}"), cell.formula)
    return formulas


def excel_values(path: Path | str, book: WorkbookPackage | None = None) -> dict[CellKey, object]:
    """{(sheet, "B3"): cached value} for every formula cell that has one, as stored: float,
    str, bool or an `ErrorValue` (e.g. "#N/A").  Cells of an array formula's range count."""
    book = book or WorkbookPackage.open(path)
    values = {}
    for key, cell in book.cells.items():
        if cell.value is None:
            continue
        if cell.formula is not None or book.writable(*key):  # writable without <f>: array range
            values[key] = cell.value
    return values


# --------------------------------------------------------------------------
# Formula anatomy: functions called and cells referred to
# --------------------------------------------------------------------------

_FUNCTION_PREFIXES = ("_xlfn._xlws.", "_xlfn.", "_xlws.", "_xll.", "_xldudf_")


def function_name(raw: str) -> str:
    """``_xlfn.STDEV.S(`` -> ``STDEV.S``: the name a user sees."""
    # "[1]!NAME(" (an add-in's function) and "D1:INDIRECT(" (a range ending in a call) keep the name
    name = re.split(r"[!:]", raw.rstrip("(").upper())[-1]
    for prefix in _FUNCTION_PREFIXES:
        if name.startswith(prefix.upper()):
            return name[len(prefix):]
    return name


def _tokens(formula: str) -> list[Token]:
    try:
        return Tokenizer("=" + formula).items
    except Exception:  # noqa: BLE001 - an untokenisable formula: fall back to a regex below
        return []


_CALL = re.compile(r"(?<![\w.])([A-Za-z_][\w.]*)\(")


@dataclass(frozen=True)
class FormulaAnatomy:
    functions: tuple[str, ...]  # every function called, each once, in order of appearance
    outermost: str | None  # the first function at the lowest nesting depth
    references: tuple[str, ...]  # reference operands as written (A1, Sheet!B2:C3, names, tables)
    has_operators: bool
    add_in_calls: tuple[str, ...] = ()  # functions called through a workbook: [1]!LUCANET(, 'x.xlam'!F(


def anatomy(formula: str) -> FormulaAnatomy:
    tokens = _tokens(formula)
    if not tokens:
        names = tuple(dict.fromkeys(function_name(n) for n in _CALL.findall(formula)))
        return FormulaAnatomy(names, names[0] if names else None, (), True)
    functions: list[str] = []
    add_in_calls: list[str] = []
    references: list[str] = []
    outermost, outer_depth, depth, operators = None, math.inf, 0, False
    for token in tokens:
        if token.type == Token.FUNC and token.subtype == Token.OPEN:
            name = function_name(token.value)
            functions.append(name)
            if "!" in token.value:
                add_in_calls.append(name)
            if depth < outer_depth:
                outermost, outer_depth = name, depth
            depth += 1
        elif token.type in (Token.FUNC, Token.PAREN) and token.subtype == Token.CLOSE:
            depth -= 1
        elif token.type == Token.PAREN and token.subtype == Token.OPEN:
            depth += 1
        elif token.type == Token.OPERAND and token.subtype == Token.RANGE:
            references.append(token.value)
        elif token.type.startswith("OPERATOR"):
            operators = True
    return FormulaAnatomy(
        tuple(dict.fromkeys(functions)), outermost, tuple(references), operators, tuple(dict.fromkeys(add_in_calls))
    )


# Excel's function categories (Microsoft's "Excel functions (by category)"), folded into the
# classes of the report; compatibility functions sit with their modern class.
_CATEGORIES = {
    "math": """ABS ACOS ACOSH ACOT ACOTH AGGREGATE ARABIC ASIN ASINH ATAN ATAN2 ATANH BASE CEILING
        CEILING.MATH CEILING.PRECISE COMBIN COMBINA COS COSH COT COTH CSC CSCH DECIMAL DEGREES EVEN EXP
        FACT FACTDOUBLE FLOOR FLOOR.MATH FLOOR.PRECISE GCD INT ISO.CEILING LCM LN LOG LOG10 MDETERM
        MINVERSE MMULT MOD MROUND MULTINOMIAL MUNIT ODD PI POWER PRODUCT QUOTIENT RADIANS RAND RANDARRAY
        RANDBETWEEN ROMAN ROUND ROUNDDOWN ROUNDUP SEC SECH SEQUENCE SERIESSUM SIGN SIN SINH SQRT SQRTPI
        SUBTOTAL SUM SUMIF SUMIFS SUMPRODUCT SUMSQ SUMX2MY2 SUMX2PY2 SUMXMY2 TAN TANH TRUNC""",
    "text": """ARRAYTOTEXT ASC BAHTTEXT CHAR CLEAN CODE CONCAT CONCATENATE DBCS DOLLAR EXACT FIND FINDB
        FIXED LEFT LEFTB LEN LENB LOWER MID MIDB NUMBERVALUE PHONETIC PROPER REGEXEXTRACT REGEXREPLACE
        REGEXTEST REPLACE REPLACEB REPT RIGHT RIGHTB SEARCH SEARCHB SUBSTITUTE T TEXT TEXTAFTER TEXTBEFORE
        TEXTJOIN TEXTSPLIT TRIM UNICHAR UNICODE UPPER VALUE VALUETOTEXT""",
    "lookup": """ADDRESS AREAS CHOOSE CHOOSECOLS CHOOSEROWS COLUMN COLUMNS DROP EXPAND FILTER FORMULATEXT
        GETPIVOTDATA GROUPBY HLOOKUP HSTACK HYPERLINK IMAGE INDEX INDIRECT LOOKUP MATCH OFFSET PIVOTBY ROW
        ROWS RTD SORT SORTBY TAKE TOCOL TOROW TRANSPOSE TRIMRANGE UNIQUE VLOOKUP VSTACK WRAPCOLS WRAPROWS
        XLOOKUP XMATCH""",
    "date": """DATE DATEDIF DATEVALUE DAY DAYS DAYS360 EDATE EOMONTH HOUR ISOWEEKNUM MINUTE MONTH
        NETWORKDAYS NETWORKDAYS.INTL NOW SECOND TIME TIMEVALUE TODAY WEEKDAY WEEKNUM WORKDAY WORKDAY.INTL
        YEAR YEARFRAC""",
    "logical": """AND BYCOL BYROW FALSE IF IFERROR IFNA IFS LAMBDA LET MAKEARRAY MAP NOT OR REDUCE SCAN
        SWITCH TRUE XOR""",
    "information": """CELL ERROR.TYPE INFO ISBLANK ISERR ISERROR ISEVEN ISFORMULA ISLOGICAL ISNA
        ISNONTEXT ISNUMBER ISODD ISOMITTED ISREF ISTEXT N NA SHEET SHEETS TYPE""",
    "financial": """ACCRINT ACCRINTM AMORDEGRC AMORLINC COUPDAYBS COUPDAYS COUPDAYSNC COUPNCD COUPNUM
        COUPPCD CUMIPMT CUMPRINC DB DDB DISC DOLLARDE DOLLARFR DURATION EFFECT FV FVSCHEDULE INTRATE IPMT
        IRR ISPMT MDURATION MIRR NOMINAL NPER NPV ODDFPRICE ODDFYIELD ODDLPRICE ODDLYIELD PDURATION PMT
        PPMT PRICE PRICEDISC PRICEMAT PV RATE RECEIVED RRI SLN SYD TBILLEQ TBILLPRICE TBILLYIELD VDB XIRR
        XNPV YIELD YIELDDISC YIELDMAT""",
    "engineering": """BESSELI BESSELJ BESSELK BESSELY BIN2DEC BIN2HEX BIN2OCT BITAND BITLSHIFT BITOR
        BITRSHIFT BITXOR COMPLEX CONVERT DEC2BIN DEC2HEX DEC2OCT DELTA ERF ERF.PRECISE ERFC ERFC.PRECISE
        GESTEP HEX2BIN HEX2DEC HEX2OCT IMABS IMAGINARY IMARGUMENT IMCONJUGATE IMCOS IMCOSH IMCOT IMCSC
        IMCSCH IMDIV IMEXP IMLN IMLOG10 IMLOG2 IMPOWER IMPRODUCT IMREAL IMSEC IMSECH IMSIN IMSINH IMSQRT
        IMSUB IMSUM IMTAN OCT2BIN OCT2DEC OCT2HEX""",
    "statistical": """AVEDEV AVERAGE AVERAGEA AVERAGEIF AVERAGEIFS BETA.DIST BETA.INV BETADIST BETAINV
        BINOM.DIST BINOM.DIST.RANGE BINOM.INV BINOMDIST CHIDIST CHIINV CHISQ.DIST CHISQ.DIST.RT CHISQ.INV
        CHISQ.INV.RT CHISQ.TEST CHITEST CONFIDENCE CONFIDENCE.NORM CONFIDENCE.T CORREL COUNT COUNTA
        COUNTBLANK COUNTIF COUNTIFS COVAR COVARIANCE.P COVARIANCE.S CRITBINOM DEVSQ EXPON.DIST EXPONDIST
        F.DIST F.DIST.RT F.INV F.INV.RT F.TEST FDIST FINV FISHER FISHERINV FORECAST FORECAST.LINEAR FREQUENCY
        FTEST GAMMA GAMMA.DIST GAMMA.INV GAMMADIST GAMMAINV GAMMALN GAMMALN.PRECISE GAUSS GEOMEAN GROWTH
        HARMEAN HYPGEOM.DIST HYPGEOMDIST INTERCEPT KURT LARGE LINEST LOGEST LOGINV LOGNORM.DIST LOGNORM.INV
        LOGNORMDIST MAX MAXA MAXIFS MEDIAN MIN MINA MINIFS MODE MODE.MULT MODE.SNGL NEGBINOM.DIST
        NEGBINOMDIST NORM.DIST NORM.INV NORM.S.DIST NORM.S.INV NORMDIST NORMINV NORMSDIST NORMSINV PEARSON
        PERCENTILE PERCENTILE.EXC PERCENTILE.INC PERCENTRANK PERCENTRANK.EXC PERCENTRANK.INC PERMUT
        PERMUTATIONA PHI POISSON POISSON.DIST PROB QUARTILE QUARTILE.EXC QUARTILE.INC RANK RANK.AVG RANK.EQ
        RSQ SKEW SKEW.P SLOPE SMALL STANDARDIZE STDEV STDEV.P STDEV.S STDEVA STDEVP STDEVPA STEYX T.DIST
        T.DIST.2T T.DIST.RT T.INV T.INV.2T T.TEST TDIST TINV TREND TRIMMEAN TTEST VAR VAR.P VAR.S VARA VARP
        VARPA WEIBULL WEIBULL.DIST Z.TEST ZTEST""",
    "database": "DAVERAGE DCOUNT DCOUNTA DGET DMAX DMIN DPRODUCT DSTDEV DSTDEVP DSUM DVAR DVARP",
    "web": "ENCODEURL FILTERXML WEBSERVICE",
}
FUNCTION_CLASS = {name: cls for cls, names in _CATEGORIES.items() for name in names.split()}
CLASS_ORDER = (*_CATEGORIES, "other (add-in / unknown)", "reference-only", "operators-only")


def classify_formula(formula: str) -> tuple[FormulaAnatomy, str]:
    """The formula's anatomy and its class: the class of its outermost function; without any
    function, "operators-only" when it computes (=A1*2, =1+2) and "reference-only" when it
    only points somewhere (=A1, =Sheet2!B3, =Total)."""
    parts = anatomy(formula)
    if parts.outermost:
        return parts, FUNCTION_CLASS.get(parts.outermost, "other (add-in / unknown)")
    return parts, "operators-only" if parts.has_operators else "reference-only"


# --------------------------------------------------------------------------
# Volatile cells
# --------------------------------------------------------------------------

#: Results that depend on the clock, randomness or the machine/network, not on the workbook.
ENVIRONMENT_FUNCTIONS = frozenset(
    {"RAND", "RANDBETWEEN", "RANDARRAY", "NOW", "TODAY", "INFO", "WEBSERVICE", "RTD", "STOCKHISTORY",
     "CUBEVALUE", "CUBEMEMBER", "CUBESET", "CUBERANKEDMEMBER", "CUBEMEMBERPROPERTY", "CUBEKPIMEMBER",
     "CUBESETCOUNT", "IMAGE"}
)


def _depends_on_environment(formula: str, parts: FormulaAnatomy) -> bool:
    """Calls a clock/random/machine function, CELL("filename"), or another add-in's function
    (Hyperion's HsGetValue, LucaNet …: their values come from that add-in, not the workbook;
    this project's own scoring functions are computed, so they do not count)."""
    from udfs import CATALOGUE

    return (
        any(f in ENVIRONMENT_FUNCTIONS for f in parts.functions)
        or any(f not in CATALOGUE for f in parts.add_in_calls)
        or bool(_CELL_ENVIRONMENT_INFO.search(formula))
    )


#: CELL info types that describe where the file lives (the rest describe the workbook itself).
_CELL_ENVIRONMENT_INFO = re.compile(r"""CELL\(\s*"(filename)"\s*""", re.I)

def _unquote_sheet(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] == "'":
        return text[1:-1].replace("''", "'")
    return text


_CELL_PART = re.compile(r"^\$?([A-Za-z]{1,3})?\$?([0-9]+)?$")
Box = tuple[str, int, int, int, int]  # sheet, first row, first col, last row, last col


def _area(text: str) -> tuple[int, int, int, int] | None:
    """A1, A1:B3, A:C, 2:5 -> (r1, c1, r2, c2); None when the text is not an address (a name)."""
    corners = []
    for part in text.split(":"):
        m = _CELL_PART.match(part)
        if not m or not (m.group(1) or m.group(2)):
            return None
        corners.append((int(m.group(2)) if m.group(2) else None, column_number(m.group(1).upper()) if m.group(1) else None))
    if len(corners) > 2:
        return None
    (ra, ca), (rb, cb) = corners[0], corners[-1]
    if len(corners) == 1 and (ra is None or ca is None):  # "A" or "3" alone is a name
        return None
    if (ra is None) != (rb is None) or (ca is None) != (cb is None):  # "A1:B" is not an address
        return None
    r1, r2 = (1, MAX_ROW) if ra is None else sorted((ra, rb))
    c1, c2 = (1, MAX_COL) if ca is None else sorted((ca, cb))
    return r1, c1, r2, c2


_TABLE_PART = re.compile(r"^([A-Za-z_\\][\w.\\]*)\[")


@dataclass
class _Workbook:
    """What the volatility analysis needs of a workbook."""

    sheets: list[str]
    formulas: Mapping[CellKey, str]
    defined_names: Mapping[str, str]
    tables: Mapping[str, Box]  # upper-case table name -> its range


def table_ranges(path: Path | str) -> dict[str, Box]:
    """Every table (ListObject) of the workbook: upper-case name -> (sheet, r1, c1, r2, c2)."""
    tables: dict[str, Box] = {}
    with zipfile.ZipFile(path) as z:
        names = {n.lower(): n for n in z.namelist()}

        def read(part: str) -> str | None:
            real = names.get(part.lower())
            return z.read(real).decode("utf-8", "replace") if real else None

        workbook = read("xl/workbook.xml") or ""
        rels = read("xl/_rels/workbook.xml.rels") or ""
        targets = {m.group(1): m.group(2) for m in re.finditer(r'<Relationship\b[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels)}
        targets.update({m.group(2): m.group(1) for m in re.finditer(r'<Relationship\b[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)})
        for m in re.finditer(r"<(?:\w+:)?sheet\b([^>]*)/?>", workbook):
            attrs = dict(re.findall(r'([\w:]+)="([^"]*)"', m.group(1)))
            target = targets.get(attrs.get("r:id", ""))
            if not target:
                continue
            part = posixpath.normpath(target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target))
            sheet_rels = read(posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")) or ""
            for rel in re.finditer(r'<Relationship\b[^>]*/table"[^>]*>|<Relationship\b[^>]*Target="[^"]*tables/[^"]*"[^>]*>', sheet_rels):
                table_target = re.search(r'Target="([^"]+)"', rel.group(0)).group(1)
                table_part = posixpath.normpath(posixpath.join(posixpath.dirname(part), table_target))
                xml = read(table_part) or ""
                head = re.search(r"<(?:\w+:)?table\b([^>]*)>", xml)
                if not head:
                    continue
                table_attrs = dict(re.findall(r'(\w+)="([^"]*)"', head.group(1)))
                area = _area(table_attrs.get("ref", ""))
                if area:
                    for key in ("name", "displayName"):
                        if table_attrs.get(key):
                            tables[_xml_unescape(table_attrs[key]).upper()] = (_xml_unescape(attrs.get("name", "")), *area)
    return tables


def _xml_unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'").replace("&amp;", "&")


class _References:
    """Resolves a formula's reference operands to boxes, through defined names and tables."""

    def __init__(self, book: _Workbook) -> None:
        self.book = book
        self.sheets = {s.upper(): s for s in book.sheets}
        self.names = {k.upper(): v for k, v in book.defined_names.items()}

    def name_definition(self, name: str, sheet: str) -> str | None:
        return self.names.get(f"{sheet}!{name}".upper(), self.names.get(name.upper()))

    def boxes(self, operand: str, sheet: str, seen: frozenset = frozenset()) -> tuple[list[Box], bool]:
        """The boxes an operand covers, and whether it names an environment-dependent formula."""
        text = operand.strip()
        where, bang, address = text.rpartition("!")
        sheets = [sheet]
        if bang:
            if _unquote_sheet(where).startswith("["):  # another workbook: Excel's cached copy, not a clock
                return [], False
            first, _, last = _unquote_sheet(where).partition(":")  # Sheet1:Sheet3!A1 spans the sheets between
            sheets = [self.sheets.get(first.upper(), first)]
            if last and first.upper() in self.sheets and last.upper() in self.sheets:
                order = [s.upper() for s in self.book.sheets]
                i, j = sorted((order.index(first.upper()), order.index(last.upper())))
                sheets = self.book.sheets[i : j + 1]
        target = sheets[0]
        area = _area(address)
        if area is not None:
            return [(s, *area) for s in sheets], False
        table = _TABLE_PART.match(address)
        if table and table.group(1).upper() in self.book.tables:
            return [self.book.tables[table.group(1).upper()]], False
        if address.startswith("[") and address.endswith("]"):  # [@Col] inside its own table
            return [box for box in self.book.tables.values() if box[0] == sheet], False
        definition = self.name_definition(address, target)
        if definition is None or address.upper() in seen:
            return [], False
        parts = anatomy(definition)
        environment = _depends_on_environment(definition, parts)
        boxes: list[Box] = []
        for inner in parts.references:
            inner_boxes, inner_env = self.boxes(inner, target, seen | {address.upper()})
            boxes += inner_boxes
            environment = environment or inner_env
        return boxes, environment


def volatile_cells(
    formulas: Mapping[CellKey, str],
    defined_names: Mapping[str, str] = {},
    sheet_names: Iterable[str] = (),
    tables: Mapping[str, Box] = {},
) -> set[CellKey]:
    """Formula cells whose result depends on the clock, randomness or the environment
    (`ENVIRONMENT_FUNCTIONS`, CELL("filename"), other add-ins' functions), directly, through a defined name, or
    because they refer to such a cell (a fixpoint over the workbook).

    Not followed: references computed at run time (INDIRECT/OFFSET targets) – none of the
    corpus's volatile cells is reached that way."""
    book = _Workbook(list(sheet_names) or sorted({s for s, _ in formulas}), formulas, defined_names, tables)
    resolver = _References(book)
    volatile: set[CellKey] = set()
    reads: dict[CellKey, list[Box]] = {}
    for key, formula in formulas.items():
        parts = anatomy(formula)
        environment = _depends_on_environment(formula, parts)
        boxes: list[Box] = []
        for operand in parts.references:
            operand_boxes, operand_env = resolver.boxes(operand, key[0])
            boxes += operand_boxes
            environment = environment or operand_env
        if environment:
            volatile.add(key)
        else:
            reads[key] = boxes
    positions: dict[CellKey, tuple[str, int, int]] = {}
    changed = bool(volatile)
    while changed:
        changed = False
        spots = []
        for key in volatile:
            if key not in positions:
                row, col = split_ref(key[1])
                positions[key] = (key[0].upper(), row, col)
            spots.append(positions[key])
        for key, boxes in list(reads.items()):
            if any(
                s == b_sheet.upper() and r1 <= row <= r2 and c1 <= col <= c2
                for b_sheet, r1, c1, r2, c2 in boxes
                for s, row, col in spots
            ):
                volatile.add(key)
                del reads[key]
                changed = True
    return volatile


# --------------------------------------------------------------------------
# Comparing values
# --------------------------------------------------------------------------

RELATIVE_TOLERANCE = 1e-9
ABSOLUTE_TOLERANCE = 1e-12


def value_kind(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, ErrorValue):
        return "error"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return "text"


def compare(ours, excel) -> str:
    """EQUAL, DIFFERENT or NOT_COMPUTED (``ours`` is None: the cell got no value).

    Numbers are equal within 1e-9 relative, or 1e-12 absolute near zero.  Excel stores 17
    significant digits of an IEEE double; a recalculation in double precision that performs
    Excel's operations agrees to about 15, and a few ulps of drift through a chain of
    operations (or a library's exp/log/pow) stays many orders of magnitude below 1e-9,
    while any real mistake (a wrong rounding, day count or argument) is far above it.
    Text must match exactly (case, spaces), booleans and errors by value; a kind mismatch
    (the number 1 against the text "1", TRUE against 1, #N/A against "#N/A") differs."""
    if ours is None:
        return NOT_COMPUTED
    kind = value_kind(excel)
    if kind != value_kind(ours):
        return DIFFERENT
    if kind == "number":
        a, b = float(ours), float(excel)
        if a == b or abs(a - b) <= ABSOLUTE_TOLERANCE or abs(a - b) <= RELATIVE_TOLERANCE * max(abs(a), abs(b)):
            return EQUAL
        return DIFFERENT
    if kind == "error":
        return EQUAL if str(ours).upper() == str(excel).upper() else DIFFERENT
    return EQUAL if ours == excel else DIFFERENT


def render(value) -> str:
    """A value as one TSV field: numbers by repr, text JSON-quoted, TRUE/FALSE, #ERR."""
    kind = value_kind(value)
    if kind is None:
        return "(no value)"
    if kind == "bool":
        return "TRUE" if value else "FALSE"
    if kind == "number":
        return repr(float(value))
    if kind == "error":
        return str(value)
    return json.dumps(value, ensure_ascii=False)


# --------------------------------------------------------------------------
# Running the comparison over the corpus
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class CellOutcome:
    file: str
    sheet: str
    ref: str
    formula: str
    excel: object
    ours: object
    status: str  # EQUAL | DIFFERENT | NOT_COMPUTED | VOLATILE
    functions: tuple[str, ...]
    outermost: str | None
    category: str
    in_array_range: bool = False  # a cell of an array formula's range other than its master

    @property
    def where(self) -> str:
        return f"{self.sheet}!{self.ref}"


def compare_workbook(original: Path, ours: Mapping[CellKey, object] | None, label: str | None = None) -> list[CellOutcome]:
    """Every formula cell of the original (Excel-saved) workbook that has a cached value,
    against ``ours`` (the engine's values for it; None when the workbook failed as a whole)."""
    book = WorkbookPackage.open(original)
    expected = excel_values(original, book)
    formulas = formula_texts(book)
    volatile = volatile_cells(formulas, book.defined_names, book.sheet_names, table_ranges(original))
    ours = ours or {}
    outcomes = []
    for key, excel in expected.items():
        formula = formulas.get(key, "")
        parts, category = classify_formula(formula)
        status = VOLATILE if key in volatile else compare(ours.get(key), excel)
        outcomes.append(
            CellOutcome(label or original.name, key[0], key[1], formula, excel, ours.get(key), status,
                        parts.functions, parts.outermost, category, book.cells[key].formula is None)
        )
    return outcomes


def prepare_stripped_corpus(corpus_dir: Path, work_dir: Path) -> tuple[list[Path], list[Path]]:
    """Stripped copies of the corpus in ``work_dir`` (the originals stay where they are);
    the deliberately corrupt file is copied as it is (it cannot be stripped, and must be
    refused).  Returns (originals that were stripped, corrupt copies)."""
    work_dir.mkdir(parents=True, exist_ok=True)
    stripped, corrupt = [], []
    for original in corpus_workbooks(corpus_dir):
        if is_deliberately_corrupt(original):
            (work_dir / original.name).write_bytes(original.read_bytes())
            corrupt.append(work_dir / original.name)
        else:
            strip_cached_values(original, work_dir / original.name)
            stripped.append(original)
    return stripped, corrupt


def xladdin_command() -> list[str]:
    """The venv's ``xladdin`` (beside the running interpreter), else ``python -m xladdin.cli``."""
    script = Path(sys.executable).with_name("xladdin.exe" if os.name == "nt" else "xladdin")
    return [str(script)] if script.exists() else [sys.executable, "-m", "xladdin.cli"]


@dataclass
class CliRun:
    returncode: int
    stdout: str
    stderr: str
    failures: dict[str, str]  # file name -> the Chinese message of a workbook that failed as a whole


_FAILURE_LINE = re.compile(r"^失败\s+(.+?)：(.*)$")


def _env_of_this_checkout() -> dict[str, str]:
    """The environment for the command line, with this checkout first on the module path: the
    venv's ``xladdin`` imports the package it was installed from (an editable install of
    another worktree, when several share one venv), so without it the corpus would measure
    that code rather than the code under test."""
    path = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONPATH": path}


def run_xladdin_recalc(input_dir: Path, output_dir: Path, jobs: int = 2, timeout: float = 600) -> CliRun:
    done = subprocess.run(
        [*xladdin_command(), "recalc", str(input_dir), "-o", str(output_dir), "-j", str(jobs)],
        capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=timeout,
        env=_env_of_this_checkout(),
    )
    failures = {}
    for line in done.stderr.splitlines():
        m = _FAILURE_LINE.match(line.strip())
        if m:
            failures[Path(m.group(1)).name] = m.group(2)
    return CliRun(done.returncode, done.stdout, done.stderr, failures)


# --------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------


@dataclass
class Tally:
    cells: int = 0
    equal: int = 0
    different: int = 0
    not_computed: int = 0

    def add(self, status: str) -> None:
        self.cells += 1
        if status == EQUAL:
            self.equal += 1
        elif status == DIFFERENT:
            self.different += 1
        elif status == NOT_COMPUTED:
            self.not_computed += 1


@dataclass
class CorpusReport:
    outcomes: list[CellOutcome]
    failed_workbooks: dict[str, str] = field(default_factory=dict)  # name -> why
    engine: str = "xladdin"

    @property
    def considered(self) -> list[CellOutcome]:
        return [o for o in self.outcomes if o.status != VOLATILE]

    @property
    def volatile(self) -> int:
        return sum(o.status == VOLATILE for o in self.outcomes)

    def totals(self, array_ranges: bool = True) -> Tally:
        tally = Tally()
        for outcome in self.considered:
            if array_ranges or not outcome.in_array_range:
                tally.add(outcome.status)
        return tally

    @property
    def equal_share(self) -> float:
        t = self.totals()
        compared = t.equal + t.different
        return t.equal / compared if compared else 1.0

    @property
    def not_computed_share(self) -> float:
        t = self.totals()
        return t.not_computed / t.cells if t.cells else 0.0

    def differences(self) -> list[CellOutcome]:
        return [o for o in self.outcomes if o.status == DIFFERENT]

    def by_function(self) -> dict[str, Tally]:
        """Each cell counts under every function it calls (so rows add up to more than the total)."""
        table: dict[str, Tally] = defaultdict(Tally)
        for outcome in self.considered:
            for name in outcome.functions or ("(no function)",):
                table[name].add(outcome.status)
        return dict(sorted(table.items(), key=lambda item: (-item[1].cells, item[0])))

    def by_class(self) -> dict[str, Tally]:
        """Each cell counts once, under the class of its outermost function."""
        table: dict[str, Tally] = {name: Tally() for name in CLASS_ORDER}
        for outcome in self.considered:
            table.setdefault(outcome.category, Tally()).add(outcome.status)
        return {name: tally for name, tally in table.items() if tally.cells}

    def text(self) -> str:
        t = self.totals()
        lines = [
            f"Excel corpus vs {self.engine}: {len({o.file for o in self.outcomes})} workbooks, "
            f"{len(self.outcomes)} formula cells with an Excel value",
            f"  volatile (clock, random, environment; excluded): {self.volatile}",
            f"  considered {t.cells}: equal {t.equal}, different {t.different}, not computed {t.not_computed}",
            f"  equal / compared: {100 * self.equal_share:.2f} %   not computed / considered: {100 * self.not_computed_share:.2f} %",
            f"  workbooks failed as a whole: {len(self.failed_workbooks)}",
        ]
        in_ranges = self.totals().cells - self.totals(array_ranges=False).cells
        if in_ranges:
            # one array formula can fill thousands of cells (=First!1:1 over A1:XFD1): show the rest too
            w = self.totals(array_ranges=False)
            lines.insert(4, f"  without the {in_ranges} non-master cells of array formula ranges: considered {w.cells}: "
                            f"equal {w.equal}, different {w.different}, not computed {w.not_computed}")
        for name, why in sorted(self.failed_workbooks.items()):
            lines.append(f"    {name}: {why}")
        lines += ["", format_table("class", self.by_class(), t), "", format_table("function", self.by_function(), t)]
        return "\n".join(lines)


def format_table(title: str, rows: Mapping[str, Tally], total: Tally | None = None) -> str:
    width = max([len(title), len("TOTAL"), *map(len, rows)]) + 2
    head = f"{title:<{width}}{'cells':>7}{'equal':>7}{'differ':>8}{'not computed':>14}{'% equal':>9}"
    lines = [head, "-" * len(head)]
    for name, t in list(rows.items()) + ([("TOTAL", total)] if total else []):
        compared = t.equal + t.different
        share = f"{100 * t.equal / compared:.1f}" if compared else "-"
        lines.append(f"{name:<{width}}{t.cells:>7}{t.equal:>7}{t.different:>8}{t.not_computed:>14}{share:>9}")
    return "\n".join(lines)


def write_differences(report: CorpusReport, path: Path, include_not_computed: bool = True) -> None:
    """Every cell that is not equal to Excel, one TSV row each, for developers."""
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("file\tsheet!cell\tstatus\tformula\texcel value\tour value\tfunctions\tclass\n")
        for o in report.outcomes:
            if o.status == DIFFERENT or (include_not_computed and o.status == NOT_COMPUTED):
                fields = [o.file, o.where, o.status, "=" + o.formula, render(o.excel), render(o.ours), " ".join(o.functions), o.category]
                out.write("\t".join(f.replace("\t", " ").replace("\n", " ") for f in fields) + "\n")


# --------------------------------------------------------------------------
# Known differences
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class KnownDifference:
    file: str
    where: str
    excel: str
    ours: str
    reason: str


def load_known_differences(path: Path = KNOWN_DIFFERENCES) -> dict[tuple[str, str], KnownDifference]:
    """(file, "Sheet!B3") -> entry.  Blank lines and lines starting with # are ignored."""
    entries: dict[tuple[str, str], KnownDifference] = {}
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or tuple(lines[0].split("\t")) != KNOWN_DIFFERENCES_HEADER:
        raise ValueError(f"{path}: the first line must be the header {KNOWN_DIFFERENCES_HEADER}")
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 5 or not fields[4].strip():
            raise ValueError(f"{path}:{number}: expected 5 tab-separated fields with a reason, got {line!r}")
        entry = KnownDifference(*fields)
        entries[(entry.file, entry.where)] = entry
    return entries


def known_difference_line(o: CellOutcome, reason: str = "REASON?") -> str:
    return "\t".join((o.file, o.where, render(o.excel), render(o.ours), reason))


# --------------------------------------------------------------------------
# Dates from another engine
# --------------------------------------------------------------------------


def serial_from_datetime(value, date1904: bool = False) -> float:
    """A date/datetime/time/timedelta as Excel's serial number (1900 system with its
    fictitious 29 Feb 1900, or the 1904 system)."""
    if isinstance(value, _dt.timedelta):
        return value.total_seconds() / 86400
    if isinstance(value, _dt.time):
        return (value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6) / 86400
    if not isinstance(value, _dt.datetime):
        value = _dt.datetime(value.year, value.month, value.day)
    if date1904:
        base = _dt.datetime(1904, 1, 1)
    elif value >= _dt.datetime(1900, 3, 1):
        base = _dt.datetime(1899, 12, 30)
    else:
        base = _dt.datetime(1899, 12, 31)
    delta = value - base
    return delta.days + delta.seconds / 86400 + delta.microseconds / 86400e6
