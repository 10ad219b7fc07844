"""Formula text -> a small tree of tuples, with references relative to the formula's cell.

Excel fills a formula down a column by shifting its relative references, so a sheet
of 50,000 formulas usually holds a few dozen *shapes*.  `shape_key` turns a formula
into its R1C1 shape with one regular-expression pass (no tokenising), and the
compiler parses and compiles each shape once; every cell of that shape runs the
same compiled code at its own position.

Nodes (tuples; the first item is the kind):

    ("num", float) ("str", str) ("bool", bool) ("err", ErrorValue) ("missing",)
    ("ref", sheet, r1, c1, r2, c2, absmask)   # one cell or an area; see `Coord`
    ("ref3d", first_sheet, last_sheet, r1, c1, r2, c2, absmask)
    ("name", NAME, sheet)                      # defined name, sheet-qualified or not
    ("table", TABLE, spec)                     # structured reference Table1[...]
    ("external", text, row, col)               # a reference into another workbook, written in (row, col)
    ("op", OP, left, right)                    # + - * / ^ & = <> < > <= >= : (range) " " (intersection)
    ("neg", x) ("pos", x) ("pct", x) ("at", x) ("spill", x)
    ("union", (x, y, ...))
    ("call", NAME, (args...), prefixed)        # NAME upper-case without _xlfn. etc.
    ("array", ((v, ...), ...))                 # array constant: rows of constant nodes

Rows and columns of a relative part are offsets from the formula's cell; of an
absolute part ($A$1), 1-based numbers.  ``absmask`` has bit 1 for r1, 2 for c1,
4 for r2, 8 for c2 being absolute.  Whole columns are rows 1..1048576 (absolute),
whole rows columns 1..16384 (absolute).
"""

from __future__ import annotations

import re

from ..xlsx.refs import bracket_group_end
from .values import ERRORS

__all__ = [
    "ParseFailure", "parse", "shape_key", "filled_key", "col_number", "col_letters", "split_function_name",
    "MAX_ROW", "MAX_COL", "MAX_FORMULA_CHARS", "MAX_NESTING",
]

MAX_ROW = 1048576
MAX_COL = 16384
#: Excel's own limits (specifications and limits page): longer or deeper formulas are refused per cell.
MAX_FORMULA_CHARS = 8192
MAX_NESTING = 64


class ParseFailure(Exception):
    """The formula cannot be read; ``reason_zh`` says why in Chinese."""

    def __init__(self, reason_zh: str):
        super().__init__(reason_zh)
        self.reason_zh = reason_zh


def col_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


_LETTERS: dict[int, str] = {}


def col_letters(n: int) -> str:
    s = _LETTERS.get(n)
    if s is None:
        k, out = n, ""
        while k:
            k, r = divmod(k - 1, 26)
            out = chr(65 + r) + out
        _LETTERS[n] = s = out
    return s


def split_function_name(raw: str, catalogue) -> tuple[str, bool]:
    """A function name as written -> (NAME upper-case, called through an add-in prefix?).

    ``_xlfn.``/``_xlws.`` are Excel's markers for newer functions and are dropped;
    ``_xldudf_X``, ``_xll.X`` and ``namespace.X`` (X in ``catalogue``) are add-in calls.
    An Office.js custom function typed ``=NAMESPACE.X(`` is saved as ``_xldudf_NAMESPACE_X(``:
    the namespace is the shortest ``…_`` prefix that leaves a catalogue name.
    """
    n = raw.upper()
    while n.startswith("_XLFN.") or n.startswith("_XLWS."):
        n = n[6:]
    if n.startswith("_XLDUDF_"):
        n = n[8:]
        if n not in catalogue:
            at = n.find("_")
            while at != -1 and n[at + 1:] not in catalogue:
                at = n.find("_", at + 1)
            if at != -1:
                n = n[at + 1:]
        return n, True
    if n.startswith("_XLL."):
        return n[5:], True
    if "." in n:
        last = n.rsplit(".", 1)[1]
        if last in catalogue:
            return last, True
    return n, False


# ------------------------------------------------------------------ shape keys

_SHAPE_RE = re.compile(
    r'"(?:[^"]|"")*"'                                   # string literal: kept
    r"|'(?:[^']|'')*'"                                  # quoted sheet name: kept
    r"|\[[^\]]*\]"                                      # [..]: table spec or external book: kept
    r"|(?<![\w.$\\])(\$?)([A-Za-z]{1,3})(\$?)([0-9]+)(?![\w.(!\[])"   # A1
    r"|(?<![\w.$\\])(\$?)([A-Za-z]{1,3}):(\$?)([A-Za-z]{1,3})(?![\w.(!\[])"  # A:C
    r"|(?<![\w.$\\])(\$?)([0-9]+):(\$?)([0-9]+)(?![\w.(!\[])"  # 1:3
)


_COLUMN_NUMBERS: dict[str, int] = {}


def _column(letters: str) -> int:
    n = _COLUMN_NUMBERS.get(letters)
    if n is None:
        n = _COLUMN_NUMBERS[letters] = col_number(letters)
    return n


def shape_key(text: str, row: int, col: int) -> str:
    """The formula's R1C1 shape: equal for two cells exactly when one formula is the
    other filled or copied (relative parts as offsets, absolute ones as numbers)."""

    def sub(m):
        cabs, letters, rabs, digits, ca1, cl1, ca2, cl2, ra1, rd1, ra2, rd2 = m.groups()
        if letters is not None:
            c = _column(letters)
            r = int(digits)
            return "\x01%s%d,%s%d\x01" % (
                "C" if cabs else "c", c if cabs else c - col,
                "R" if rabs else "r", r if rabs else r - row)
        if cl1 is not None:
            a, b = _column(cl1), _column(cl2)
            return "\x02%s%d:%s%d\x02" % (
                "C" if ca1 else "c", a if ca1 else a - col,
                "C" if ca2 else "c", b if ca2 else b - col)
        if rd1 is not None:
            a, b = int(rd1), int(rd2)
            return "\x03%s%d:%s%d\x03" % (
                "R" if ra1 else "r", a if ra1 else a - row,
                "R" if ra2 else "r", b if ra2 else b - row)
        return m.group(0)

    return _SHAPE_RE.sub(sub, text)


_DIGIT_RUN = re.compile(r"[0-9]+")
#: abstracted text (digit runs as NUL, which no formula holds) -> for each digit run, whether
#: it is the row of a relative reference (bounded: a workbook has few shapes)
_ROW_RUNS: dict[str, tuple] = {}
_ROW_RUNS_KEPT = 4096


def _relative_row_runs(text: str) -> tuple:
    """For each digit run of ``text``: True when `shape_key` reads it as the row of a
    relative reference (A1, 1:3 without $), else False (kept as it is)."""
    relative = set()
    for m in _SHAPE_RE.finditer(text):
        if m.group(2) is not None and not m.group(3):
            relative.add(m.start(4))
        elif m.group(10) is not None:
            if not m.group(9):
                relative.add(m.start(10))
            if not m.group(11):
                relative.add(m.start(12))
    return tuple(m.start() in relative for m in _DIGIT_RUN.finditer(text))


def filled_key(text: str, row: int, col: int) -> tuple:
    """A cheaper key than `shape_key` for a filled-down column: equal for two formulas of one
    column exactly when their texts differ only in the rows of relative references, by the
    rows' distance, so equal keys imply equal shapes.  (Copies across columns get keys of
    their own: `shape_key` then finds their common shape.)"""
    abstract = _DIGIT_RUN.sub("\x00", text)
    runs = _DIGIT_RUN.findall(text)
    roles = _ROW_RUNS.get(abstract)
    if roles is None:
        if len(_ROW_RUNS) >= _ROW_RUNS_KEPT:
            _ROW_RUNS.clear()
        roles = _ROW_RUNS[abstract] = _relative_row_runs(text)
    return (abstract, col, tuple([int(x) - row if relative else x for x, relative in zip(runs, roles)]))


# ------------------------------------------------------------------ lexer

_ERROR_ALT = "|".join(re.escape(e) for e in sorted(
    set(ERRORS) | {"#GETTING_DATA", "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#UNKNOWN!", "#BUSY!"},
    key=len, reverse=True))

_SHEET_UNQUOTED = r"(?:\[[^\]]+\])?[^\W\d][\w.]*(?::[^\W\d][\w.]*)?|\[[^\]]+\][\w.]*|[\w.]+"
_TOKEN_RE = re.compile(
    r"(?P<ws>[ \t\r\n]+)"
    r'|(?P<str>"(?:[^"]|"")*")'
    r"|(?P<err>" + _ERROR_ALT + r")"
    r"|(?P<sheet>(?:'(?:[^']|'')+'|" + _SHEET_UNQUOTED + r")!)"
    r"|(?P<cell>\$?[A-Za-z]{1,3}\$?[0-9]+)(?![\w.(\[])"
    r"|(?P<cols>\$?[A-Za-z]{1,3}:\$?[A-Za-z]{1,3})(?![\w.(\[])"
    r"|(?P<rows>\$?[0-9]+:\$?[0-9]+)(?![\w.(])"
    r"|(?P<num>(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)"
    r"|(?P<func>[A-Za-z_\\][\w.\\]*)(?=\()"
    r"|(?P<name>(?:[^\W\d]|\\)[\w.\\?]*)"  # letters of any script, _, \ (a wide [\u0080-\uffff] class costs 10 ms to compile)
    r"|(?P<op><=|>=|<>|[-+*/^&=<>%:,;(){}@#\[\]])",
)


def _lex(text: str) -> list:
    out = []
    pos, n = 0, len(text)
    match = _TOKEN_RE.match
    while pos < n:
        m = match(text, pos)
        if m is None:
            raise ParseFailure("公式中有无法识别的字符“%s”" % text[pos])
        kind = m.lastgroup
        tok = m.group(kind)
        if kind == "name" and pos + len(tok) < n and text[pos + len(tok)] == "[":
            # a structured reference: Table1[...] with nested brackets
            end = _bracket_end(text, pos + len(tok))
            out.append(("table", tok, text[pos + len(tok): end]))
            pos = end
            continue
        if kind == "op" and tok == "[":
            end = _bracket_end(text, pos)
            out.append(("table", "", text[pos:end]))
            pos = end
            continue
        out.append((kind, tok))
        pos = m.end()
    return out


def _bracket_end(text: str, i: int) -> int:
    end = bracket_group_end(text, i)
    if end is None:
        raise ParseFailure("结构化引用的方括号不配对")
    return end


# ------------------------------------------------------------------ parser

_BINARY = {
    "=": 1, "<>": 1, "<": 1, ">": 1, "<=": 1, ">=": 1,
    "&": 2,
    "+": 3, "-": 3,
    "*": 4, "/": 4,
    "^": 5,
}
# reference operators bind tighter than anything else (":" > " " > ","), and unary minus
# binds tighter than "^" in Excel: -2^2 is 4.


def _parse_cell(tok: str, row: int, col: int):
    m = _CELL_PARTS.match(tok)
    cabs, letters, rabs, digits = m.groups()
    c = col_number(letters)
    r = int(digits)
    if c > MAX_COL or r > MAX_ROW or r == 0:
        return None
    mask = (1 if rabs else 0) | (2 if cabs else 0)
    return (r if rabs else r - row), (c if cabs else c - col), mask


_CELL_PARTS = re.compile(r"(\$?)([A-Za-z]{1,3})(\$?)([0-9]+)$")


def _unquote(sheet: str) -> str:
    if sheet[:1] == "'" and sheet[-1:] == "'":
        sheet = sheet[1:-1].replace("''", "'")
    return sheet


class _Parser:
    __slots__ = ("toks", "i", "row", "col", "depth")

    def __init__(self, toks, row, col):
        self.toks = toks
        self.i = 0
        self.row = row
        self.col = col
        self.depth = 0

    def peek(self, skip_ws=True):
        toks, i = self.toks, self.i
        if skip_ws:
            while i < len(toks) and toks[i][0] == "ws":
                i += 1
            self.i = i
        return toks[i] if i < len(toks) else None

    def take(self):
        t = self.peek()
        if t is None:
            raise ParseFailure("公式不完整")
        self.i += 1
        return t

    def expect(self, op):
        t = self.take()
        if t[1] != op:
            raise ParseFailure("公式在“%s”处有语法错误（应为“%s”）" % (t[1], op))

    def nest(self):
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise ParseFailure("公式嵌套超过 Excel 的 %d 层上限" % MAX_NESTING)

    # expression := binary expression over unary operands
    def expr(self, min_prec=1):
        left = self.unary()
        while True:
            t = self.peek()
            if t is None or t[0] != "op":
                return left
            prec = _BINARY.get(t[1])
            if prec is None or prec < min_prec:
                return left
            self.i += 1
            # "^" is left-associative in Excel (2^3^2 = 64)
            right = self.expr(prec + 1)
            left = ("op", t[1], left, right)

    def unary(self):
        t = self.peek()
        if t is not None and t[0] == "op" and t[1] in "+-@":
            self.i += 1
            operand = self.unary()
            if t[1] == "-":
                return ("neg", operand)
            if t[1] == "@":
                return ("at", operand)
            return ("pos", operand)
        node = self.postfix()
        return node

    def postfix(self):
        node = self.refexpr()
        while True:
            t = self.peek()
            if t is not None and t == ("op", "%"):
                self.i += 1
                node = ("pct", node)
            else:
                return node

    # reference expressions: primary (":" primary)*, then intersection by whitespace
    def refexpr(self):
        node = self.range_expr()
        while True:
            i = self.i
            if i < len(self.toks) and self.toks[i][0] == "ws" and _is_reference(node):
                j = i
                while j < len(self.toks) and self.toks[j][0] == "ws":
                    j += 1
                if j < len(self.toks) and _starts_reference(self.toks[j]):
                    self.i = j
                    right = self.range_expr()
                    node = ("op", " ", node, right)
                    continue
            return node

    def range_expr(self):
        node = self.primary()
        while True:
            i = self.i
            if i < len(self.toks) and self.toks[i] == ("op", ":"):
                self.i += 1
                right = self.primary()
                node = ("op", ":", node, right)
            elif i < len(self.toks) and self.toks[i] == ("op", "#"):
                self.i += 1
                node = ("spill", node)
            else:
                return node

    def primary(self):
        t = self.take()
        kind, tok = t[0], t[1]
        if kind == "num":
            return ("num", float(tok))
        if kind == "str":
            return ("str", tok[1:-1].replace('""', '"'))
        if kind == "err":
            if tok == "#REF!":
                # #REF!A1, #REF!$A$1:$B$2, #REF!A:A: a reference whose sheet was deleted (Excel
                # writes it so in defined names); the reference part is read and dropped
                nxt = self.peek(skip_ws=False)
                if nxt is not None and nxt[0] in ("cell", "cols", "rows"):
                    self.i += 1
                    {"cell": self.cell_ref, "cols": self.cols_ref, "rows": self.rows_ref}[nxt[0]](None, nxt[1])
            return ("err", ERRORS.get(tok, tok))
        if kind == "cell":
            return self.cell_ref(None, tok)
        if kind == "cols":
            return self.cols_ref(None, tok)
        if kind == "rows":
            return self.rows_ref(None, tok)
        if kind == "sheet":
            return self.qualified(tok[:-1])
        if kind == "func":
            return self.call(tok)
        if kind == "name":
            up = tok.upper()
            if up in ("TRUE", "FALSE"):
                return ("bool", up == "TRUE")
            return ("name", up, None)
        if kind == "table":
            return ("table", tok.upper(), t[2])
        if kind == "op":
            if tok == "(":
                self.nest()
                inner = self.expr()
                t2 = self.peek()
                if t2 == ("op", ","):  # a union of references: (A1:A3,C1:C3)
                    items = [inner]
                    while self.peek() == ("op", ","):
                        self.i += 1
                        items.append(self.expr())
                    inner = ("union", tuple(items))
                self.expect(")")
                self.depth -= 1
                return inner
            if tok == "{":
                return self.array()
        raise ParseFailure("公式在“%s”处有语法错误" % tok)

    def qualified(self, sheet_text):
        sheet = _unquote(sheet_text)
        nxt = self.peek(skip_ws=False)
        if nxt is not None and nxt[0] == "func":
            # 'addin.xlam'!SCORE_X(...) or [1]!SCORE_X(...): a function of an add-in
            self.i += 1
            return self.call(nxt[1], prefixed=True)
        if sheet_text == "[0]":
            # [0]!Name: a name of this very workbook, as Excel writes a global name
            t = self.take()
            if t[0] != "name":
                raise ParseFailure("“[0]!”后应为名称")
            return ("name", t[1].upper(), None)
        if "[" in sheet or sheet_text[:1] == "[":
            # [1]Sheet1!A1 or 'C:\dir\[book.xlsx]Sheet'!A1: another workbook
            nxt = self.take()
            return ("external", sheet_text + "!" + nxt[1], self.row, self.col)
        first, last = sheet, None
        if ":" in sheet:
            first, last = sheet.split(":", 1)
        t = self.take()
        kind, tok = t[0], t[1]
        if kind == "cell":
            node = self.cell_ref(first, tok)
        elif kind == "cols":
            node = self.cols_ref(first, tok)
        elif kind == "rows":
            node = self.rows_ref(first, tok)
        elif kind == "err":
            return ("err", ERRORS.get(tok, tok))
        elif kind == "name":
            return ("name", tok.upper(), first)
        else:
            raise ParseFailure("工作表“%s”后的引用无法识别" % sheet)
        # Sheet1!A1:B2 — the second part carries no sheet of its own
        if self.i < len(self.toks) and self.toks[self.i] == ("op", ":"):
            nxt = self.toks[self.i + 1] if self.i + 1 < len(self.toks) else None
            if nxt is not None and nxt[0] == "cell" and node[0] == "ref" and node[2] == node[4]:
                self.i += 2
                end = self.cell_ref(first, nxt[1])
                node = _area(node, end)
        if last is not None:
            _, _, r1, c1, r2, c2, mask = node
            return ("ref3d", first, last, r1, c1, r2, c2, mask)
        return node

    def cell_ref(self, sheet, tok):
        parsed = _parse_cell(tok, self.row, self.col)
        if parsed is None:
            return ("name", tok.upper(), sheet)
        r, c, mask = parsed
        # A1:B2 written plainly is read here as one area when both ends are cells
        if self.i < len(self.toks) and self.toks[self.i] == ("op", ":"):
            nxt = self.toks[self.i + 1] if self.i + 1 < len(self.toks) else None
            if nxt is not None and nxt[0] == "cell":
                end = _parse_cell(nxt[1], self.row, self.col)
                if end is not None:
                    self.i += 2
                    r2, c2, m2 = end
                    return ("ref", sheet, r, c, r2, c2, mask | (m2 << 2))
        return ("ref", sheet, r, c, r, c, mask | (mask << 2))

    def cols_ref(self, sheet, tok):
        a, b = tok.split(":")
        ca, cb = col_number(a.lstrip("$")), col_number(b.lstrip("$"))
        mask = 1 | 4 | (2 if a[0] == "$" else 0) | (8 if b[0] == "$" else 0)
        return ("ref", sheet, 1, ca if a[0] == "$" else ca - self.col,
                MAX_ROW, cb if b[0] == "$" else cb - self.col, mask)

    def rows_ref(self, sheet, tok):
        a, b = tok.split(":")
        ra, rb = int(a.lstrip("$")), int(b.lstrip("$"))
        mask = 2 | 8 | (1 if a[0] == "$" else 0) | (4 if b[0] == "$" else 0)
        return ("ref", sheet, ra if a[0] == "$" else ra - self.row, 1,
                rb if b[0] == "$" else rb - self.row, MAX_COL, mask)

    def call(self, raw, prefixed=False):
        self.nest()
        self.expect("(")
        args = []
        if self.peek() == ("op", ")"):
            self.i += 1
        else:
            while True:
                t = self.peek()
                if t is not None and t[0] == "op" and t[1] in ",)":
                    args.append(("missing",))
                else:
                    args.append(self.expr())
                t = self.take()
                if t == ("op", ")"):
                    break
                if t != ("op", ","):
                    raise ParseFailure("函数 %s 的参数在“%s”处有语法错误" % (raw, t[1]))
        self.depth -= 1
        return ("call", raw, tuple(args), prefixed)

    def array(self):
        rows, row = [], []
        while True:
            t = self.take()
            kind, tok = t[0], t[1]
            if kind == "op" and tok == "-":
                t = self.take()
                if t[0] != "num":
                    raise ParseFailure("数组常量中只能有数字、文本、逻辑值和错误值")
                row.append(("num", -float(t[1])))
            elif kind == "op" and tok == "+":
                continue
            elif kind == "num":
                row.append(("num", float(tok)))
            elif kind == "str":
                row.append(("str", tok[1:-1].replace('""', '"')))
            elif kind == "err":
                row.append(("err", ERRORS.get(tok, tok)))
            elif kind == "name" and tok.upper() in ("TRUE", "FALSE"):
                row.append(("bool", tok.upper() == "TRUE"))
            else:
                raise ParseFailure("数组常量中只能有数字、文本、逻辑值和错误值")
            sep = self.take()
            if sep == ("op", ","):
                continue
            if sep == ("op", ";"):
                rows.append(tuple(row))
                row = []
                continue
            if sep == ("op", "}"):
                rows.append(tuple(row))
                break
            raise ParseFailure("数组常量的分隔符有误")
        width = len(rows[0])
        if any(len(r) != width for r in rows):
            raise ParseFailure("数组常量各行的长度不一致")
        return ("array", tuple(rows))


def _area(start, end):
    _, sheet, r1, c1, _, _, m1 = start
    _, _, r2, c2, _, _, m2 = end
    return ("ref", sheet, r1, c1, r2, c2, (m1 & 3) | ((m2 & 3) << 2))


def _is_reference(node) -> bool:
    k = node[0]
    return k in ("ref", "ref3d", "name", "table") or (k == "op" and node[1] in (":", " ")) or (
        k == "call" and node[1].upper().replace("_XLFN.", "") in ("OFFSET", "INDIRECT", "INDEX", "CHOOSE", "IF"))


def _starts_reference(tok) -> bool:
    return tok[0] in ("cell", "cols", "rows", "sheet", "name", "table", "func") or tok == ("op", "(")


def parse(text: str, row: int = 1, col: int = 1):
    """Parse formula text (with or without the leading '=') written in cell (row, col)."""
    if len(text) > MAX_FORMULA_CHARS:
        raise ParseFailure("公式长度超过 Excel 的 %d 字符上限" % MAX_FORMULA_CHARS)
    if text.startswith("="):
        text = text[1:]
    toks = _lex(text)
    p = _Parser(toks, row, col)
    if p.peek() is None:
        raise ParseFailure("公式为空")
    try:
        node = p.expr()
    except RecursionError:
        raise ParseFailure("公式嵌套过深") from None
    if p.peek() is not None:
        raise ParseFailure("公式在“%s”处有多余的内容" % p.peek()[1])
    return node
