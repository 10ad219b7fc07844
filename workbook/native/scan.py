"""The last gate of the native template: every formula of a saved .xlsx checked against what
Excel 2010, WPS and LibreOffice all compute.

:func:`scan_package` opens the package itself (``zipfile``; the XML with the standard
library's expat parser, no DOCTYPE accepted) and reads every place a formula can live:

* cell formulas ``<c><f>`` of every worksheet and macro sheet: normal ones, the master of a
  shared formula (its text; the cells that share it hold none and are the master's formula
  moved), array formulas;
* data validations (``<formula1>``, ``<formula2>``) and conditional formatting (``<formula>``,
  ``<cfvo type="formula" val>``), also in the worksheet's ``extLst`` (x14 ``<xm:f>``, as
  Excel 2010 writes validations that refer to other sheets), and sparkline ranges;
* defined names (``xl/workbook.xml``), table formulas (``xl/tables``), chart references
  (``xl/charts``); a package with ``xl/externalLinks`` parts links to other workbooks.

Each formula is read by :func:`tokens`, a small tokenizer that knows string literals
(``"…"`` with doubled quotes), quoted sheet names (``'…'`` with doubled apostrophes),
bracketed parts (external workbook numbers, structured references), error literals and
numbers, so a text such as ``"INDIRECT("`` or a sheet named ``'SCORE_X('`` is never taken for
a call. The rules (:func:`formula_problems`):

* every function called is on :data:`ALLOWED_FUNCTIONS`;
* no ``_xlfn.`` / ``_xlws.`` (functions newer than Excel 2010), ``_xll.`` (XLL add-ins),
  ``_xlpm.`` (LET/LAMBDA parameters) or ``_xldudf_`` (Office.js add-ins) name anywhere;
  no ``SCORE_`` function (this project's add-in: ``#NAME?`` without it); no INDIRECT or OFFSET;
  no function called through a workbook or sheet (``'udfs.xlam'!F(…)``);
* no reference into another workbook (``[1]Sheet!A1``, ``'[1]Sheet'!A1``, ``[1]!Name``);
* at most 8,192 characters (UTF-16 units, as Excel counts) and at most 64 levels of nested
  function calls (grouping parentheses do not count), Excel's limits.

This module is the workbook layer's own: the standard library only, nothing from ``xladdin``.
"""
from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional, Union
from xml.etree import ElementTree

from .entries import NativeUnsupported

#: Excel's limits (Excel 2010 specifications and limits; WPS and LibreOffice take as much).
MAX_FORMULA_LENGTH = 8192
MAX_NESTING = 64

#: Functions the native template may call: each exists, with the same arguments and results
#: for what the generator passes, in Excel 2010 (and 2007: none needs an ``_xlfn.`` prefix),
#: WPS Spreadsheets and LibreOffice Calc. Every name the generator writes is here (the
#: builder's guards, notes and conditional formats, workbook.native's translations), plus the
#: classic functions of the same families a translation may reasonably need next. A name is
#: added only if Excel 2007 already stores it without a prefix and it is not volatile.
ALLOWED_FUNCTIONS = frozenset({
    # Logical: the control flow of every translation and guard. IFERROR is Excel 2007's
    # (no _xlfn. prefix), in WPS and LibreOffice (since 3.x); the note cells use it.
    "IF", "AND", "OR", "NOT", "TRUE", "FALSE", "IFERROR",
    # Information: how a cell's content is told apart (number, text, logical, blank,
    # error) and which error it holds; NA() gives #N/A. ERROR.TYPE's numbers 1-7 agree in all
    # three (workbook.native.program.ERROR_CODES).
    "ISERROR", "ISERR", "ISNA", "ISNUMBER", "ISLOGICAL", "ISTEXT", "ISNONTEXT", "ISBLANK",
    "ERROR.TYPE", "NA", "N",
    # Lookup and reference without volatility: choosing among values, positions in a range,
    # the size of a range (INDIRECT and OFFSET are refused on purpose, see below).
    "CHOOSE", "MATCH", "INDEX", "ROW", "ROWS", "COLUMN", "COLUMNS",
    # Math and aggregation: sums and counts of the input tables, exact integer arithmetic
    # in binary floating point (workbook.native.arith: INT, MOD, ROUND…), significant digits
    # (LOG10). ROUNDDOWN/ROUNDUP/TRUNC agree in all three; the rules never lean on float
    # rounding (the translations' tests prove the exact forms).
    "SUM", "SUMIF", "SUMPRODUCT", "COUNT", "COUNTA", "COUNTIF", "COUNTBLANK", "MIN", "MAX",
    "ABS", "INT", "MOD", "TRUNC", "ROUND", "ROUNDDOWN", "ROUNDUP", "LOG10",
    # Text: reading typed inputs (1.48万, １４，７５０, 95%: FIND/SUBSTITUTE/REPT checks of digit
    # patterns) and writing the notes exactly as udfs.notes does (TEXT with fixed formats).
    # CHAR only for control characters below 32 (workbook.native.coercion), which every code
    # page shares; UNICHAR is Excel 2013 (_xlfn.) and refused.
    "TEXT", "LEN", "LEFT", "RIGHT", "MID", "FIND", "SEARCH", "SUBSTITUTE", "TRIM", "UPPER",
    "LOWER", "EXACT", "CONCATENATE", "REPT", "VALUE", "CHAR",
})

#: Volatile or text-addressed references: recalculated on every change (slow, and in
#: protected templates unpredictable), and INDIRECT reads any cell named by text.
REFUSED_FUNCTIONS = {
    "INDIRECT": "易变函数，按文字取引用，不安全（volatile, a reference built from text）",
    "OFFSET": "易变函数，每次改动都重算（volatile）",
}

#: Prefixes Excel writes before names that Excel 2010, WPS or LibreOffice do not have.
REFUSED_PREFIXES = {
    "_XLFN.": "Excel 2010 之后才有的函数（a function newer than Excel 2010）",
    "_XLWS.": "Excel 2010 之后才有的工作表函数（a worksheet function newer than Excel 2010）",
    "_XLL.": "XLL 加载项中的函数（a function of an XLL add-in）",
    "_XLPM.": "LET/LAMBDA 的参数，Excel 2010 没有（a LET/LAMBDA parameter, not in Excel 2010）",
    "_XLDUDF_": "Office 加载项中的函数（a function of an Office add-in）",
}

ADDIN_MARK = "SCORE_"

#: Where a formula was found: (Chinese, English) labels of each kind.
KINDS = {
    "cell": ("单元格公式", "cell formula"),
    "shared": ("共享公式", "shared formula"),
    "array": ("数组公式", "array formula"),
    "validation": ("数据验证", "data validation"),
    "conditional": ("条件格式", "conditional format"),
    "sparkline": ("迷你图", "sparkline"),
    "extension": ("扩展部分", "extension"),
    "name": ("定义名称", "defined name"),
    "table": ("表格公式", "table formula"),
    "chart": ("图表引用", "chart reference"),
    "package": ("工作簿部件", "package part"),
}

ERROR_LITERALS = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!", "#CALC!")

# OOXML namespaces (transitional and strict spreadsheetml; Excel 2010's x14; the xm formula)
MAIN = frozenset({"http://schemas.openxmlformats.org/spreadsheetml/2006/main", "http://purl.oclc.org/ooxml/spreadsheetml/main"})
XM = "http://schemas.microsoft.com/office/excel/2006/main"
CHART = frozenset({"http://schemas.openxmlformats.org/drawingml/2006/chart", "http://purl.oclc.org/ooxml/drawingml/chart"})
OFFICE_DOCUMENT = "/officeDocument"
SHEET_TYPES = ("/worksheet", "/macrosheet", "/xlMacrosheet", "/xlIntlMacrosheet", "/dialogsheet")

#: A part larger than this (uncompressed) is not read (a template's largest is well under 1 MB).
MAX_PART_BYTES = 256 * 1024 * 1024


# --------------------------------------------------------------------------- problems

@dataclass(frozen=True)
class Problem:
    """One formula that must not reach a user.

    ``part``: the package part; ``kind``: a key of :data:`KINDS`; ``where``: the cell
    (``评分表!I11``), range (``基础数据!C5:C9``) or name (``total_score``); ``rule``: which
    rule (function, prefix, addin, refused, qualified, external, length, nesting, syntax);
    ``subject``: the function or text concerned; ``message``: Chinese, English in parentheses."""

    part: str
    kind: str
    where: str
    rule: str
    subject: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}（{KINDS[self.kind][0]}，{self.part}）：{self.message}"


class FormulaSyntaxError(ValueError):
    """A formula the tokenizer cannot read (an unterminated string, quote or bracket)."""


# --------------------------------------------------------------------------- tokenizer

@dataclass(frozen=True)
class Token:
    """``kind``: string, quoted (a quoted sheet name, ``text`` unquoted), bracket (``[…]``,
    ``text`` its content), error, number, word (a name or reference), call (``text`` the
    function name; the ``(`` is part of the token), open, close, separator (``,`` ``;``),
    brace (``{`` ``}``), operator (``!`` among them)."""

    kind: str
    text: str
    position: int
    #: for a bracket: the character after ``]`` ("" at the end)
    following: str = ""


_DELIMITERS = frozenset("\"'()[]{},;+-*/^&=<>%:!@# \t\r\n\u00a0\u3000")
_NUMBER = re.compile(r"(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_CELL_REFERENCE = re.compile(r"^\$?[A-Za-z]{1,3}\$?\d+$")


def _closing(text: str, start: int, quote: str) -> int:
    """The index just past the quote that closes the one at ``start`` (doubled quotes escape)."""
    i = start + 1
    while True:
        j = text.find(quote, i)
        if j < 0:
            raise FormulaSyntaxError(f"缺少结束的 {quote}（unterminated {quote}…{quote} at character {start + 1}）")
        if text.startswith(quote * 2, j):
            i = j + 2
            continue
        return j + 1


def _bracket_end(text: str, start: int) -> int:
    """The index just past the ``]`` matching the ``[`` at ``start`` (structured references
    nest brackets and escape ``[ ] # '`` with an apostrophe)."""
    depth, i = 0, start
    while i < len(text):
        c = text[i]
        if c == "'":
            i += 2
            continue
        if c == "[":
            depth += 1
        elif c == "]":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise FormulaSyntaxError(f"缺少结束的 ]（unterminated [ at character {start + 1}）")


def _after_colon(text: str, i: int) -> bool:
    """Whether the word at ``i`` is the second end of a range (``A:A (1:1)``)."""
    p = i - 1
    while p >= 0 and text[p] in " \t\r\n":
        p -= 1
    return p >= 0 and text[p] == ":"


def tokens(formula: str) -> Iterator[Token]:
    """The tokens of ``formula`` (stored text, with or without the leading '=')."""
    text = formula
    i, n = 0, len(text)
    if text.startswith("="):
        i = 1
    while i < n:
        c = text[i]
        if c in " \t\r\n\u00a0\u3000":
            i += 1
        elif c == '"':
            end = _closing(text, i, '"')
            yield Token("string", text[i + 1:end - 1].replace('""', '"'), i)
            i = end
        elif c == "'":
            end = _closing(text, i, "'")
            yield Token("quoted", text[i + 1:end - 1].replace("''", "'"), i)
            i = end
        elif c == "[":
            end = _bracket_end(text, i)
            yield Token("bracket", text[i + 1:end - 1], i, text[end:end + 1])
            i = end
        elif c == "]":
            raise FormulaSyntaxError(f"多余的 ]（unmatched ] at character {i + 1}）")
        elif c == "#":
            error = next((e for e in ERROR_LITERALS if text[i:i + len(e)].upper() == e), None)
            if error:
                yield Token("error", error, i)
                i += len(error)
            else:  # a spill reference A1#
                yield Token("operator", c, i)
                i += 1
        elif c == "(":
            yield Token("open", c, i)
            i += 1
        elif c == ")":
            yield Token("close", c, i)
            i += 1
        elif c in ",;":
            yield Token("separator", c, i)
            i += 1
        elif c in "{}":
            yield Token("brace", c, i)
            i += 1
        elif c in _DELIMITERS:
            yield Token("operator", c, i)
            i += 1
        elif c.isdigit() or (c == "." and i + 1 < n and text[i + 1].isdigit()):
            match = _NUMBER.match(text, i)
            j = match.end()
            if j < n and text[j] not in _DELIMITERS:  # 1A, 2B3…: not a number but a name/reference
                while j < n and text[j] not in _DELIMITERS:
                    j += 1
                yield Token("word", text[i:j], i)
            else:
                yield Token("number", text[i:j], i)
            i = j
        else:
            j = i
            while j < n and text[j] not in _DELIMITERS:
                j += 1
            word = text[i:j]
            k = j
            while k < n and text[k] in " \t\r\n":
                k += 1
            # a call: the name and its '(' (Excel stores nothing between; after a space the
            # '(' may follow a reference, the intersection operator: A1:B2 (B1:C3))
            if k < n and text[k] == "(" and (k == j or not (_CELL_REFERENCE.match(word) or _after_colon(text, i))):
                yield Token("call", word, i)
                i = k + 1
            else:
                yield Token("word", word, i)
                i = j


# --------------------------------------------------------------------------- one formula

@dataclass(frozen=True)
class Finding:
    """A rule one formula breaks (before it is placed)."""

    rule: str
    subject: str
    message: str


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _prefix_of(name: str) -> Optional[str]:
    upper = name.upper()
    return next((p for p in REFUSED_PREFIXES if upper.startswith(p)), None)


def formula_problems(formula: str) -> list[Finding]:
    """Every rule ``formula`` breaks (each function, name or reference once)."""
    findings: list[Finding] = []
    seen: set = set()

    def add(rule: str, subject: str, message: str) -> None:
        if (rule, subject.upper()) not in seen:
            seen.add((rule, subject.upper()))
            findings.append(Finding(rule, subject, message))

    body = formula[1:] if formula.startswith("=") else formula
    length = _utf16_length(body)
    if length > MAX_FORMULA_LENGTH:
        add("length", str(length), f"公式长 {length:,} 个字符，超过 Excel 的上限 {MAX_FORMULA_LENGTH:,}"
                                   f"（formula of {length:,} characters, over Excel's limit of {MAX_FORMULA_LENGTH:,}）")
    stack: list[bool] = []  # True: a function call's parenthesis
    depth = deepest = 0
    previous: Optional[Token] = None
    try:
        for token in tokens(formula):
            if token.kind == "call":
                _check_call(token.text, previous, add)
                stack.append(True)
                depth += 1
                deepest = max(deepest, depth)
            elif token.kind == "open":
                stack.append(False)
            elif token.kind == "close":
                if not stack:
                    raise FormulaSyntaxError(f"多余的右括号（unmatched ')' at character {token.position + 1}）")
                if stack.pop():
                    depth -= 1
            elif token.kind == "word":
                prefix = _prefix_of(token.text)
                if prefix:
                    add("prefix", token.text, f"使用了 {token.text}：{REFUSED_PREFIXES[prefix]}")
            elif token.kind == "quoted" and "[" in token.text:
                add("external", token.text, f"引用了其他工作簿（'{token.text}'!…）（refers to another workbook）")
            elif token.kind == "bracket" and _is_external(token, previous):
                add("external", f"[{token.text}]", f"引用了其他工作簿（[{token.text}]…）（refers to another workbook）")
            previous = token
        if stack:
            raise FormulaSyntaxError("括号不配对，缺少右括号（unbalanced parentheses: a ')' is missing）")
    except FormulaSyntaxError as error:
        add("syntax", body[:40], f"公式无法解析：{error}（cannot read the formula）")
    if deepest > MAX_NESTING:
        add("nesting", str(deepest), f"函数嵌套 {deepest} 层，超过 Excel 的上限 {MAX_NESTING} 层"
                                     f"（functions nested {deepest} levels deep, over Excel's limit of {MAX_NESTING}）")
    return findings


def _is_external(token: Token, previous: Optional[Token]) -> bool:
    """``[1]Sheet1!A1``, ``[1]!Name``, ``[Book.xlsx]Sheet1!A1``: a bracket followed by a sheet
    name or '!'. ``Table1[Column]`` (a structured reference) is followed by an operator or the
    end; a bracket where an operand starts holding a number is a workbook number too."""
    if token.following and (token.following == "!" or token.following == "'" or token.following not in _DELIMITERS):
        return True
    operand_start = previous is None or previous.kind in ("open", "call", "separator", "operator", "brace")
    return operand_start and token.text.strip().isdigit()


def _check_call(name: str, previous: Optional[Token], add) -> None:
    upper = name.upper()
    prefix = _prefix_of(name)
    if prefix:
        add("prefix", name, f"使用了 {name}：{REFUSED_PREFIXES[prefix]}")
    elif ADDIN_MARK in upper:
        add("addin", name, f"调用了加载项函数 {name}，没有加载项时显示 #NAME?（calls the add-in function {name}: #NAME? without the add-in）")
    elif previous is not None and previous.kind == "operator" and previous.text == "!":
        add("qualified", name, f"调用了其他工作簿或加载项中的函数 {name}（calls {name} from another workbook or add-in）")
    elif upper in REFUSED_FUNCTIONS:
        add("refused", name, f"使用了 {upper}：{REFUSED_FUNCTIONS[upper]}")
    elif upper not in ALLOWED_FUNCTIONS:
        add("function", name, f"函数 {name} 不在 Excel 2010、WPS 和 LibreOffice 都有的函数清单中"
                              f"（{name} is not on the list of functions Excel 2010, WPS and LibreOffice all have）")


# --------------------------------------------------------------------------- the package

def _local(tag: str) -> tuple[str, str]:
    """``{namespace}name`` → (namespace, name)."""
    if tag.startswith("{"):
        namespace, _, name = tag[1:].partition("}")
        return namespace, name
    return "", tag


class _Package:
    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive
        self.names = {info.filename: info for info in archive.infolist()}

    def read(self, name: str) -> Optional[bytes]:
        info = self.names.get(name)
        if info is None:
            return None
        if info.file_size > MAX_PART_BYTES:
            raise NativeUnsupported(f"部件 {name} 过大，未检查（part {name} is too large to check）")
        data = self.archive.read(info)
        if b"<!DOCTYPE" in data[:4096].upper():
            raise NativeUnsupported(f"部件 {name} 含有 DOCTYPE，Excel 不接受（part {name} has a DOCTYPE）")
        return data

    def root(self, name: str) -> Optional[ElementTree.Element]:
        data = self.read(name)
        if data is None:
            return None
        try:
            return ElementTree.fromstring(data)
        except ElementTree.ParseError as error:
            raise _unreadable(name, error) from error

    def relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """Id → (type, target part) of ``part``'s internal relationships ("" for the package's)."""
        folder, base = posixpath.split(part)
        root = self.root(posixpath.join(folder, "_rels", base + ".rels"))
        found = {}
        for rel in [] if root is None else root:
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            found[rel.get("Id", "")] = (rel.get("Type", ""), target)
        return found


def _unreadable(name: str, error: Exception) -> NativeUnsupported:
    return NativeUnsupported(f"部件 {name} 不是有效的 XML，无法检查（part {name} is not well-formed XML: {error}）")


def _workbook_part(package: _Package) -> str:
    for rel_type, target in package.relationships("").values():
        if rel_type.endswith(OFFICE_DOCUMENT):
            return target
    return "xl/workbook.xml"


def scan_package(path: Union[str, Path]) -> list[Problem]:
    """Every problem of every formula in the .xlsx at ``path``, in package order.

    A package that cannot be read at all raises NativeUnsupported (Chinese first)."""
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as error:
        raise NativeUnsupported(f"{path} 不是有效的 .xlsx 文件（not an .xlsx package: {error}）") from error
    with archive:
        package = _Package(archive)
        workbook_part = _workbook_part(package)
        workbook = package.root(workbook_part)
        if workbook is None:
            raise NativeUnsupported(f"工作簿缺少 {workbook_part}（the package has no {workbook_part}）")
        rel_targets = package.relationships(workbook_part)
        sheets: list[tuple[str, str]] = []  # (sheet name, part)
        sheet_names: list[str] = []
        for element in workbook.iter():
            namespace, name = _local(element.tag)
            if name == "sheet" and namespace in MAIN:
                sheet_names.append(element.get("name", ""))
                rel_id = next((v for k, v in element.attrib.items() if _local(k)[1] == "id"), "")
                rel_type, target = rel_targets.get(rel_id, ("", ""))
                if rel_type.endswith(SHEET_TYPES) and target in package.names:
                    sheets.append((element.get("name", ""), target))
        problems: list[Problem] = []
        problems += _defined_names(workbook, workbook_part, sheet_names)
        listed = {part for _, part in sheets}
        unlisted = sorted(n for n in package.names if re.match(r"xl/(worksheets|macrosheets|dialogsheets)/[^/]+\.xml$", n) and n not in listed)
        for sheet, part in [*sheets, *((None, part) for part in unlisted)]:
            problems += _sheet(package, part, sheet)
        for name in sorted(package.names):
            if re.match(r"xl/tables/[^/]+\.xml$", name):
                problems += _table(package, name)
            elif re.match(r"xl/charts/[^/]+\.xml$", name):
                problems += _chart(package, name)
            elif re.match(r"xl/externalLinks/[^/]+\.xml$", name):
                problems.append(Problem(name, "package", name, "external", name,
                                        "工作簿含有指向其他工作簿的外部链接（the package links to another workbook）"))
        return problems


def _placed(part: str, kind: str, where: str, formula: Optional[str]) -> list[Problem]:
    if not formula:
        return []
    return [Problem(part, kind, where, f.rule, f.subject, f.message) for f in formula_problems(formula)]


def _prefixed(sheet: Optional[str], where: str) -> str:
    return f"{sheet}!{where}" if sheet else where


def _defined_names(workbook: ElementTree.Element, part: str, sheet_names: list[str]) -> list[Problem]:
    problems = []
    for element in workbook.iter():
        namespace, name = _local(element.tag)
        if name == "definedName" and namespace in MAIN:
            label = element.get("name", "")
            local = element.get("localSheetId")
            if local is not None and local.isdigit() and int(local) < len(sheet_names):
                label = f"{sheet_names[int(local)]}!{label}"
            problems += _placed(part, "name", f"定义名称 {label}", element.text)
    return problems


class _Frame:
    __slots__ = ("namespace", "name", "attrib", "found", "sqref")

    def __init__(self, namespace: str, name: str, attrib: dict):
        self.namespace, self.name, self.attrib = namespace, name, dict(attrib)
        self.found: list[tuple[str, str]] = []  # (kind, formula) waiting for this x14 element's xm:sqref
        self.sqref = ""


#: x14 elements that hold xm:f formulas and the xm:sqref they apply to.
_X14_CONTAINERS = {"dataValidation": "validation", "conditionalFormatting": "conditional", "sparkline": "sparkline"}


def _sheet(package: _Package, part: str, sheet: Optional[str]) -> list[Problem]:
    data = package.read(part)
    if data is None:
        return []
    try:
        return _sheet_formulas(data, part, sheet)
    except ElementTree.ParseError as error:
        raise _unreadable(part, error) from error


def _sheet_formulas(data: bytes, part: str, sheet: Optional[str]) -> list[Problem]:
    problems: list[Problem] = []
    stack: list[_Frame] = []
    for event, element in ElementTree.iterparse(io.BytesIO(data), events=("start", "end")):
        namespace, name = _local(element.tag)
        if event == "start":
            stack.append(_Frame(namespace, name, element.attrib))
            continue
        frame = stack.pop()
        parent = stack[-1] if stack else None
        if namespace in MAIN:
            if name == "f" and parent is not None and parent.name == "c":
                kind = {"shared": "shared", "array": "array"}.get(element.get("t", ""), "cell")
                where = parent.attrib.get("r", "?")
                if kind != "cell" and element.get("ref"):
                    where = f"{where}（{element.get('ref')}）"
                problems += _placed(part, kind, _prefixed(sheet, where), element.text)
            elif name in ("formula1", "formula2") and parent is not None and parent.name == "dataValidation" and parent.namespace in MAIN:
                problems += _placed(part, "validation", _prefixed(sheet, parent.attrib.get("sqref", "?")), element.text)
            elif name == "formula" and parent is not None and parent.name == "cfRule":
                area = next((f.attrib.get("sqref", "?") for f in reversed(stack) if f.name == "conditionalFormatting"), "?")
                problems += _placed(part, "conditional", _prefixed(sheet, area), element.text)
            elif name == "cfvo" and element.get("type") == "formula":
                area = next((f.attrib.get("sqref", "?") for f in reversed(stack) if f.name == "conditionalFormatting"), "?")
                problems += _placed(part, "conditional", _prefixed(sheet, area), element.get("val"))
            elif name == "row":
                element.clear()
        elif namespace == XM:
            container = next((f for f in reversed(stack) if f.name in _X14_CONTAINERS and f.namespace not in MAIN), None)
            if name == "sqref":
                if container is not None:
                    container.sqref = (element.text or "").strip()
            elif name == "f":
                kind = _X14_CONTAINERS[container.name] if container is not None else "extension"
                if container is not None:
                    container.found.append((kind, element.text or ""))
                else:
                    problems += _placed(part, kind, _prefixed(sheet, "extLst"), element.text)
        elif name in _X14_CONTAINERS and frame.found:
            for kind, formula in frame.found:
                problems += _placed(part, kind, _prefixed(sheet, frame.sqref or "?"), formula)
        elif name == "cfvo" and element.get("type") == "formula" and element.get("val"):
            container = next((f for f in reversed(stack) if f.name == "conditionalFormatting"), None)
            if container is not None:
                container.found.append(("conditional", element.get("val")))
    return problems


def _table(package: _Package, part: str) -> list[Problem]:
    root = package.root(part)
    problems: list[Problem] = []
    if root is None:
        return problems
    table = root.get("displayName") or root.get("name") or part
    for column in root.iter():
        namespace, name = _local(column.tag)
        if name != "tableColumn" or namespace not in MAIN:
            continue
        for child in column:
            child_namespace, child_name = _local(child.tag)
            if child_name in ("calculatedColumnFormula", "totalsRowFormula"):
                problems += _placed(part, "table", f"{table}[{column.get('name', '')}]", child.text)
    return problems


def _chart(package: _Package, part: str) -> list[Problem]:
    root = package.root(part)
    problems: list[Problem] = []
    for element in [] if root is None else root.iter():
        namespace, name = _local(element.tag)
        if name == "f" and namespace in CHART:
            problems += _placed(part, "chart", part, element.text)
    return problems


# --------------------------------------------------------------------------- the gate

#: How many problems the refusal names.
SHOWN = 5


def refuse_problems(path: Union[str, Path]) -> None:
    """Raise NativeUnsupported (Chinese first) when the workbook at ``path`` has a formula
    Excel 2010, WPS or LibreOffice might not compute; the first :data:`SHOWN` are listed."""
    problems = scan_package(path)
    if not problems:
        return
    shown = "；".join(str(p) for p in problems[:SHOWN])
    more = f"；另有 {len(problems) - SHOWN} 处（and {len(problems) - SHOWN} more）" if len(problems) > SHOWN else ""
    raise NativeUnsupported(
        f"生成的工作簿有 {len(problems)} 处公式不能保证在 Excel 2010、WPS 和 LibreOffice 中都能计算"
        f"（{len(problems)} formula problem(s) in the built workbook）：{shown}{more}"
    )
