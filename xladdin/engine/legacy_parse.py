"""Formula text -> small AST, using the `formulas` package's tokenizer.

`formulas.Parser` tokenises a formula and feeds the tokens, in reverse-Polish
order, to an "AST builder".  Its own builder turns them into a schedula
dispatcher (slow, and it needs every function to exist at parse time); we plug
in a builder that only records a tree of plain tuples, which
`xladdin.engine` then compiles to Python code.

Node shapes (all tuples, first item is the kind):

    ("num", float) ("str", str) ("bool", bool) ("err", "#N/A") ("empty",)
    ("ref", sheet_or_None, r1, c1, r2, c2)   # 1-based; r1 == 0 -> whole columns,
                                              # c1 == 0 -> whole rows
    ("name", name, sheet_or_None)             # defined name (sheet if qualified)
    ("op", op, (args...))                     # + - * / ^ & = <> < > <= >= u- u+ % @ : " " ,
    ("call", NAME, (args...))                 # NAME as written (prefixes kept)
    ("array", ((v, v), (v, v)))               # array constant, rows of constant nodes
"""

from __future__ import annotations

import re

from formulas.parser import Parser
from formulas.tokens.function import Function
from formulas.tokens.operand import Empty, Error, Number, Range, String
from formulas.tokens.operator import Operator

__all__ = ["parse_formula", "ParseFailure", "ADDIN_PREFIX_RE"]


class ParseFailure(Exception):
    pass


_CELL_RE = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]+)$")


def _col_index(col: str) -> int:
    n = 0
    for ch in col.upper():
        n = n * 26 + ord(ch) - 64
    return n


def _unquote_sheet(s: str) -> str:
    s = s.strip()
    if len(s) >= 2 and s[0] == "'" and s[-1] == "'":
        s = s[1:-1]
    return s.replace("''", "'")


def _raw_sheet(token) -> str | None:
    """Sheet qualifier as written in the source (formulas drops it for names)."""
    raw = token.source[: token.end_match].strip()
    if "!" not in raw:
        return None
    return _unquote_sheet(raw.rsplit("!", 1)[0])


def _operand_node(tok):
    if isinstance(tok, Empty):
        return ("empty",)
    if isinstance(tok, String):
        return ("str", tok.name.replace('""', '"'))
    if isinstance(tok, Error):
        return ("err", tok.name.upper())
    if isinstance(tok, Number):
        up = tok.name.upper()
        if up == "TRUE":
            return ("bool", True)
        if up == "FALSE":
            return ("bool", False)
        return ("num", float(tok.name))
    if isinstance(tok, Range):
        a = tok.attr
        if a.get("anchor"):
            raise ParseFailure("spill reference")
        if "r1" not in a and "n1" not in a:
            # a defined name (or something formulas could not classify)
            ref = a.get("ref", a.get("name", ""))
            sheet = _raw_sheet(tok)
            m = _CELL_RE.match(ref)
            if m:  # e.g. the first half of Sheet1!A1:Sheet1!B2
                r = int(m.group(2))
                c = _col_index(m.group(1))
                return ("ref", sheet, r, c, r, c)
            return ("name", ref, sheet)
        sheet = a.get("sheet")
        sheet = sheet.replace("''", "'") if sheet else None
        if a.get("anchor"):
            raise ParseFailure("spill reference")
        r1 = int(a.get("r1") or 0)
        r2 = int(a.get("r2") or 0)
        c1 = int(a.get("n1") or 0)
        c2 = int(a.get("n2") or 0)
        if r1 == 0:  # whole columns
            r2 = 0
        if c1 == 0:  # whole rows
            c2 = 0
        if r1 and r2 and r2 < r1:
            r1, r2 = r2, r1
        if c1 and c2 and c2 < c1:
            c1, c2 = c2, c1
        return ("ref", sheet, r1, c1, r2, c2)
    raise ParseFailure("unknown operand %r" % (tok,))


def _const_value(node):
    """Array-constant elements must be constants (unary minus folded)."""
    k = node[0]
    if k in ("num", "str", "bool", "err"):
        return node
    if k == "op" and node[1] in ("u-", "u+") and node[2][0][0] == "num":
        v = node[2][0][1]
        return ("num", -v if node[1] == "u-" else v)
    if k == "empty":
        return ("empty",)
    raise ParseFailure("array constant element")


class _Builder:
    """Collects (token, node) pairs in RPN order (formulas' AstBuilder API)."""

    def __init__(self, match=None, **_kw):
        self._d: list = []

    def __len__(self):
        return len(self._d)

    def __getitem__(self, i):
        return self._d[i][0]

    def pop(self):
        return self._d.pop()[0]

    def finish(self):
        pass

    def append(self, tok):
        if isinstance(tok, (Operator, Function)):
            n = tok.get_n_args
            if n > len(self._d):
                raise ParseFailure("missing operand")
            items = self._d[len(self._d) - n:] if n else []
            if n:
                del self._d[len(self._d) - n:]
            toks = [t for t, _ in items]
            nodes = tuple(nd for _, nd in items)
            tok.update_input_tokens(*toks)
            if isinstance(tok, Operator):
                node = ("op", tok.name, nodes)
            elif tok.name.upper() == "ARRAY":
                node = ("array_part", nodes)
            else:
                node = ("call", tok.name, nodes)
            self._d.append((tok, node))
        else:
            self._d.append((tok, _operand_node(tok)))

    def result(self):
        if len(self._d) != 1:
            raise ParseFailure("not a single expression")
        return _fix_arrays(self._d[0][1])


def _fix_arrays(node):
    k = node[0]
    if k == "array_part":
        # formulas encodes {a,b;c,d} as ARRAY(ARRAY(a,b),ARRAY(c,d))
        rows = []
        for row in node[1]:
            if row[0] != "array_part":
                raise ParseFailure("array constant")
            rows.append(tuple(_const_value(_fix_arrays(v)) for v in row[1]))
        if not rows or len({len(r) for r in rows}) != 1:
            raise ParseFailure("ragged array constant")
        return ("array", tuple(rows))
    if k in ("op", "call"):
        return (k, node[1], tuple(_fix_arrays(a) for a in node[2]))
    return node


class _Parser(Parser):
    ast_builder = _Builder


_PARSER = _Parser()

# An add-in qualifier in front of a function name: 'addin.xlam'!SCORE_X( ,
# [1]!SCORE_X( , addin.xlam!SCORE_X( .  The formulas tokenizer does not know
# them; they carry no meaning for us, so they are removed before parsing.
ADDIN_PREFIX_RE = re.compile(
    r"""(?:'[^']*'|\[\d+\][^\W\d][\w.]*|\[\d+\]|[^\W\d][\w.]*\.xla[m]?)!(?=[A-Za-z_][\w.]*\s*\()""",
    re.IGNORECASE,
)
_STRING_RE = re.compile(r'"(?:[^"]|"")*"')


def strip_addin_prefixes(text: str) -> str:
    if "!" not in text:
        return text
    out, pos = [], 0
    for m in _STRING_RE.finditer(text):
        out.append(ADDIN_PREFIX_RE.sub("", text[pos: m.start()]))
        out.append(m.group(0))
        pos = m.end()
    out.append(ADDIN_PREFIX_RE.sub("", text[pos:]))
    return "".join(out)


_UNSUPPORTED_RE = re.compile(r"(?<![\w.])(?:_xlfn\.)?(LET|LAMBDA)\s*\(", re.IGNORECASE)


def unsupported_function(text: str) -> str | None:
    """LET/LAMBDA cannot go through our builder: report them as unsupported."""
    bare = _STRING_RE.sub('""', text)
    m = _UNSUPPORTED_RE.search(bare)
    return m.group(1).upper() if m else None


def parse_formula(text: str):
    """Parse formula text (without the leading '=') into a node tuple.

    Raises ParseFailure when the text is not a formula we can read.
    """
    src = text.strip()
    if src.startswith("="):
        src = src[1:]
    src = strip_addin_prefixes(src)
    if not src.strip():
        raise ParseFailure("empty formula")
    try:
        _toks, builder = _PARSER.ast("=" + src)
    except ParseFailure:
        raise
    except Exception as exc:  # formulas raises several kinds of errors
        raise ParseFailure(str(exc)) from None
    return builder.result()
