"""Headless formula engine: recalculates a department workbook without Excel.

Design
------
* **Parse once per template.**  `compile_workbook` tokenises every formula with
  the maintained `formulas` package (its tokenizer/shunting-yard, via a builder
  of our own: `engine_parse`), resolves references, defined names and function
  names, builds the dependency graph, orders it topologically (a cycle is an
  `EngineError`), and generates **one plain Python function** for the whole
  workbook: one local variable per cell, one statement per formula cell, in
  dependency order.  That source is compiled with `compile()`/`exec`.
* **Evaluate per workbook.**  `CompiledModel.evaluate(cells)` calls that
  function with the constant cells; it reads the inputs it needs, runs the
  formulas and returns every formula cell's value.  No graph walking, no numpy.
* **Excel semantics** live in small exact helpers (`engine_values`,
  `engine_functions`, `engine_text`): errors are values that propagate (an
  error in SUM's range gives that error, IFERROR catches, ISERROR tests), IF /
  IFERROR / IFNA are lazy, ROUND / ROUNDDOWN / ROUNDUP / TEXT round the
  decimal Excel shows (15 significant digits, half-up: ROUND(2.675,2)=2.68),
  numbers become text as Excel's General format (=0.1+0.2&"" -> "0.3").
* **Catalogue functions** (``udfs.CATALOGUE``) are called with Python values:
  None for blank, float, str, bool, a range (or array constant) as a 2-D list of
  rows; an error value in an argument is passed through as an `ErrorValue` (a
  ``str`` subclass, so ``value in ERROR_LITERALS`` works).  They are found under
  ``SCORE_X``, ``_xldudf_SCORE_X``, ``udfs.SCORE_X`` (any namespace),
  ``'addin.xlam'!SCORE_X`` / ``[1]!SCORE_X`` and ``_xll.SCORE_X``.  A returned
  error literal ("#N/A" ...) becomes an `ErrorValue`; an exception becomes
  #VALUE!.
* Native functions that are not implemented here but exist in `formulas`
  (DATE, YEAR, STDEV ...) are called through a slower numpy adapter.  A
  function nobody knows makes its cell #NAME? and is listed in
  `CompiledModel.problems` / `CompiledModel.unknown_functions`.

Choices (documented for callers)
--------------------------------
* A formula that cannot be parsed, and a circular reference, raise
  `EngineError` from `compile_workbook` (``message_zh`` says which cell).
* Unknown functions, unknown defined names, references to missing sheets,
  LET/LAMBDA, INDIRECT/OFFSET with computed targets, union references: the
  cell gets #NAME?/#REF!/#VALUE! and a `Problem` is recorded; the rest of the
  workbook still calculates.
* Ranges and arrays follow Excel 365 (dynamic array) semantics inside a
  formula: B1:B3*2 is an array, scalar functions are mapped over arrays.  A
  formula whose whole result is a range uses implicit intersection (=B1:B3 in
  row 2 gives B2); any other array result gives its top-left value (no spill).
* Whole columns/rows and ranges over 20,000 cells are clipped to the cells
  present in ``cells`` and the formulas.
* A formula cell never evaluates to blank: =A1 with A1 empty gives 0.0, as in
  Excel.  Results are float | str | bool | ErrorValue.
* Cell keys are ``(sheet, "B3")``: the sheet exactly as in ``sheet_names``,
  the address upper-case without ``$``.

Entry points: `compile_workbook` + `CompiledModel.evaluate` (cache the model
per `template_signature`), `recalculate` (does the caching),
`recalculate_package` (for an opened `xladdin.package.WorkbookPackage`; used by
`xladdin.batch`).  A `CompiledModel` pickles (it is recompiled on unpickling).
"""

from __future__ import annotations

import functools
import hashlib
import heapq
import itertools
import re
import sys
import threading
from collections import OrderedDict
from dataclasses import dataclass

from . import functions as _fx
from .legacy_parse import ParseFailure, parse_formula, strip_addin_prefixes, unsupported_function
from .values import (
    ERRORS, Arr, ErrorValue, as_error, lift, to_bool, top_value,
)

__all__ = [
    "EngineError", "ErrorValue", "Problem", "CompiledModel", "compile_workbook",
    "recalculate", "template_signature", "clear_cache", "native_function_names",
    "recalculate_package", "PackageResults", "cached_model",
    "catalogue_calls", "catalogue_function", "split_function_name",
]


class EngineError(Exception):
    """The workbook cannot be calculated; ``message_zh`` says why, in Chinese."""

    def __init__(self, message_zh: str, cell: tuple[str, str] | None = None):
        super().__init__(message_zh)
        self.message_zh = message_zh
        self.cell = cell


@dataclass(frozen=True)
class Problem:
    """Something the engine could not do for one cell (the cell holds an error value)."""

    cell: tuple[str, str]
    kind: str          # unknown_function | unknown_name | bad_reference | unsupported | runtime
    message_zh: str
    detail: str = ""


# ---------------------------------------------------------------- addresses

_ADDR_RE = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]+)$")
_COLS: dict[int, str] = {}


def _col_letters(n: int) -> str:
    s = _COLS.get(n)
    if s is None:
        k, out = n, ""
        while k:
            k, r = divmod(k - 1, 26)
            out = chr(65 + r) + out
        _COLS[n] = s = out
    return s


def _parse_addr(addr: str) -> tuple[int, int]:
    m = _ADDR_RE.match(addr.strip())
    if not m:
        raise EngineError("无法识别的单元格地址：%s" % addr)
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


def _label(key) -> str:
    return "%s!%s" % key


def native_function_names() -> list[str]:
    """Excel functions implemented natively by the engine (fast path)."""
    return sorted(set(_fx.NATIVES) | {"ROW", "COLUMN"})


# ---------------------------------------------------------------- catalogue

def _default_catalogue():
    try:
        import udfs
        return dict(udfs.CATALOGUE)
    except Exception:  # noqa: BLE001 - the engine still works for native formulas
        return dict(_STANDIN_CATALOGUE)


def _standin_score_ratio(part, whole, full, zero_if_over=False):
    """Stand-in used only when `udfs` cannot be imported."""
    import math
    for v in (part, whole, full):
        if isinstance(v, str) and v in ERRORS:
            return v
    try:
        part, whole, full = float(part), float(whole), float(full)
    except (TypeError, ValueError):
        return "#VALUE!"
    if whole == 0:
        return "#DIV/0!"
    ratio = part / whole
    if ratio > 1 and zero_if_over:
        return 0.0
    return math.floor(min(ratio, 1.0) * full * 100 + 1e-9) / 100


_STANDIN_CATALOGUE = {"SCORE_RATIO": _standin_score_ratio}


def _udf_out(r):
    t = type(r)
    if t is float:
        return r if r - r == 0 else ERRORS["#NUM!"]
    if t is str:
        err = ERRORS.get(r.strip()) if r[:1] == "#" or r[:1] == " " else None
        return err if err is not None else r
    if t is bool or t is ErrorValue or r is None:
        return r
    if isinstance(r, (list, tuple)):
        rows = [list(x) if isinstance(x, (list, tuple)) else [x] for x in r]
        if rows and len(r) and not isinstance(r[0], (list, tuple)):
            rows = [list(r)]
        if not rows:
            return None
        return Arr(tuple(tuple(_udf_out(v) for v in row) for row in rows))
    err = as_error(r)
    if err is not None:
        return err
    if isinstance(r, str):
        return str(r)
    try:
        f = float(r)
    except (TypeError, ValueError):
        return ERRORS["#VALUE!"]
    return f if f - f == 0 else ERRORS["#NUM!"]


def _udf_in(v):
    return float(v) if type(v) is int else v


def _make_udf(fn):
    def call(*args):
        conv = []
        for a in args:
            t = type(a)
            if t is Arr:
                conv.append([[_udf_in(v) for v in row] for row in a.rows])
            elif t is int:
                conv.append(float(a))
            else:
                conv.append(a)
        try:
            r = fn(*conv)
        except Exception:  # noqa: BLE001 - a UDF that raises shows #VALUE! in Excel
            return ERRORS["#VALUE!"]
        return _udf_out(r)
    call.__name__ = getattr(fn, "__name__", "udf")
    return call


def split_function_name(raw, catalogue):
    """A function name as written in a formula -> (NAME upper-case, add-in prefixed?).

    ``_xlfn.``/``_xlws.`` are dropped; ``_xldudf_SCORE_X``, ``_xll.SCORE_X`` and
    ``ns.SCORE_X`` (any namespace, when SCORE_X is in ``catalogue``, a mapping or
    set of upper-case names) are add-in calls.  ``'addin.xlam'!`` and ``[1]!``
    qualifiers never reach here: `engine_parse.strip_addin_prefixes` removes them.
    """
    n = raw.upper()
    while n.startswith("_XLFN.") or n.startswith("_XLWS."):
        n = n[6:]
    if n.startswith("_XLDUDF_"):
        return n[8:], True
    if n.startswith("_XLL."):
        return n[5:], True
    if "." in n:
        last = n.rsplit(".", 1)[1]
        if last in catalogue:
            return last, True
    return n, False


def catalogue_function(raw, catalogue=None):
    """The catalogue function (upper-case name) that a function name as written
    in a formula calls, or None; the same resolution as the compiler's (a native
    Excel function of the same name wins unless the call is add-in prefixed)."""
    if catalogue is None:
        catalogue = _catalogue_names()
    n, prefixed = split_function_name(raw, catalogue)
    if n not in catalogue:
        return None
    if not prefixed and (n in _fx.NATIVES or n in ("ROW", "COLUMN")):
        return None
    return n


@functools.lru_cache(maxsize=1)
def _catalogue_names():
    return frozenset(k.upper() for k in _default_catalogue())


# a function name right before "(": not preceded by a name character
_CALL_RE = re.compile(r"(?<![\w.\\])([A-Za-z_\\][\w.\\]*)\(")
# string literals, quoted sheet names and [...] groups (structured references,
# external-book indexes), blanked out before looking for function names
_OPAQUE_RE = re.compile(r'"(?:[^"]|"")*"?|\'(?:[^\']|\'\')*\'?|\[[^\]]*\]?')


def catalogue_calls(text, catalogue=None):
    """The catalogue functions (upper-case names, in order, each once) that the
    formula ``text`` calls, in any of the forms Excel stores (``SCORE_X(``,
    ``_xldudf_SCORE_X(``, ``udfs.SCORE_X(``, ``'addin.xlam'!SCORE_X(``,
    ``[1]!SCORE_X(``, ``_xll.SCORE_X(``), case-insensitive; text inside string
    literals does not count.  ``catalogue``: upper-case names, default
    ``udfs.CATALOGUE``'s."""
    if "(" not in text:
        return []
    if catalogue is None:
        catalogue = _catalogue_names()
    src = strip_addin_prefixes(text.lstrip("="))
    src = _OPAQUE_RE.sub(" ", src)
    found = []
    for m in _CALL_RE.finditer(src):
        n = catalogue_function(m.group(1), catalogue)
        if n is not None and n not in found:
            found.append(n)
    return found


# ---------------------------------------------------------------- runtime helpers

def _fail(problems, key, exc):
    if problems is not None:
        problems.append(Problem(key, "runtime", "计算出错：%s（%s）" % (_label(key), exc), repr(exc)))
    return ERRORS["#VALUE!"]


def _grid(c, F, fset, grid, origin):
    get = c.get
    rows = tuple(tuple((F.get(k) if k in fset else get(k)) for k in row) for row in grid)
    return Arr(rows, True, origin)


def _open_range(c, F, sheet, r1, c1, r2, c2):
    """Whole columns (r1 == 0), whole rows (c1 == 0) or a huge range, clipped to the used cells."""
    max_r = max_c = 0
    for src in (c, F):
        for key in src:
            if key[0] != sheet:
                continue
            try:
                r, col = _parse_addr(key[1])
            except EngineError:
                continue
            if r > max_r:
                max_r = r
            if col > max_c:
                max_c = col
    rr1, rr2 = (1, max_r) if r1 == 0 else (r1, min(r2, max_r))
    cc1, cc2 = (1, max_c) if c1 == 0 else (c1, min(c2, max_c))
    if rr2 < rr1 or cc2 < cc1:
        return Arr(((None,),), True, (sheet, rr1, cc1))
    get = c.get
    rows = []
    for r in range(rr1, rr2 + 1):
        row = []
        for col in range(cc1, cc2 + 1):
            k = (sheet, _col_letters(col) + str(r))
            row.append(F[k] if k in F else get(k))
        rows.append(tuple(row))
    return Arr(tuple(rows), True, (sheet, rr1, cc1))


_ERR_NAMES = {
    "#N/A": "_eNA", "#VALUE!": "_eVALUE", "#DIV/0!": "_eDIV0", "#REF!": "_eREF",
    "#NAME?": "_eNAME", "#NUM!": "_eNUM", "#NULL!": "_eNULL", "#GETTING_DATA": "_eGETTING",
    "#SPILL!": "_eSPILL", "#CALC!": "_eCALC",
}

_OP_NAMES = {
    "+": "_op_add", "-": "_op_sub", "*": "_op_mul", "/": "_op_div", "^": "_op_pow",
    "&": "_op_cat", "=": "_op_eq", "<>": "_op_ne", "<": "_op_lt", ">": "_op_gt",
    "<=": "_op_le", ">=": "_op_ge", "u-": "_op_neg", "%": "_op_pct",
}


def _base_namespace():
    ns = {
        "Arr": Arr, "_A": Arr, "_EV": ErrorValue, "_tb": to_bool, "_top": top_value,
        "_lift": lift, "_fail": _fail, "_grid": _grid, "_open": _open_range,
    }
    for lit, nm in _ERR_NAMES.items():
        ns[nm] = ERRORS[lit]
    for op, nm in _OP_NAMES.items():
        ns[nm] = _fx.OPERATORS[op]
    for name, (fn, _modes, _lifts) in _fx.NATIVES.items():
        ns["_n_" + name] = fn
    return ns


# ---------------------------------------------------------------- compiler

# functions whose result is a reference computed at run time: the dependency graph
# is built before evaluation, so they are not supported (the cell gets #REF!)
_DYNAMIC_REFERENCES = frozenset({"INDIRECT", "OFFSET", "CELL", "INFO"})

SMALL_RANGE = 64      # ranges up to this many cells are built from locals
HUGE_RANGE = 20000    # larger ranges (and whole rows/columns) are clipped to the used cells
MAX_DEPTH = 40        # deeper expressions are split into temporaries


class _Compiler:
    def __init__(self, formulas, defined_names, sheet_names, catalogue):
        self.sheet_names = list(sheet_names) if sheet_names else []
        self.sheet_map = {s.upper(): s for s in self.sheet_names}
        self.catalogue = {k.upper(): v for k, v in catalogue.items()}
        self.problems: list[Problem] = []
        self.unknown_functions: dict[str, list] = {}
        # formulas, normalised keys
        self.formulas: dict[tuple[str, str], str] = {}
        self.pos: dict[tuple[str, str], tuple[int, int]] = {}
        for (sheet, addr), text in formulas.items():
            r, c = _parse_addr(addr)
            key = (self._canon_sheet(sheet) or sheet, _col_letters(c) + str(r))
            self.formulas[key] = text
            self.pos[key] = (r, c)
            if sheet.upper() not in self.sheet_map:
                self.sheet_map[sheet.upper()] = sheet
        # formula cells per sheet, for range -> dependency expansion
        self.by_sheet: dict[str, list] = {}
        for key, (r, c) in self.pos.items():
            self.by_sheet.setdefault(key[0], []).append((r, c, key))
        # defined names
        self.global_names: dict[str, str] = {}
        self.local_names: dict[tuple[str, str], str] = {}
        for name, text in (defined_names or {}).items():
            if "!" in name:
                sh, nm = name.rsplit("!", 1)
                sh = sh.strip()
                if len(sh) >= 2 and sh[0] == "'" and sh[-1] == "'":
                    sh = sh[1:-1].replace("''", "'")
                self.local_names[(sh.upper(), nm.upper())] = text
            else:
                self.global_names[name.upper()] = text
        self._name_cache: dict = {}
        self._ns = _base_namespace()
        self._consts: dict = {}
        self._udf_names: dict = {}
        self._fallback_names: dict = {}
        self._formulas_functions = None

    # -- helpers
    def _canon_sheet(self, sheet):
        if sheet is None:
            return None
        return self.sheet_map.get(sheet.upper())

    def _problem(self, key, kind, msg, detail=""):
        self.problems.append(Problem(key, kind, msg, detail))

    def _formulas_fn(self, name):
        if self._formulas_functions is None:
            from formulas.functions import get_functions
            self._formulas_functions = get_functions()
        f = self._formulas_functions
        for cand in (name, "_XLFN." + name, "_XLFN._XLWS." + name):
            if cand in f:
                return f[cand]
        return None

    def classify(self, raw):
        """-> ("native", NAME) | ("udf", NAME, fn) | ("formulas", NAME, fn) | ("unsupported"|"unknown", raw)"""
        n, prefixed = split_function_name(raw, self.catalogue)
        if prefixed:
            fn = self.catalogue.get(n)
            return ("udf", n, fn) if fn is not None else ("unknown", raw)
        if n in _fx.NATIVES or n in ("ROW", "COLUMN"):
            return ("native", n)
        if n in self.catalogue:
            return ("udf", n, self.catalogue[n])
        if n in _DYNAMIC_REFERENCES:
            return ("unsupported", raw)
        fn = self._formulas_fn(n)
        if fn is not None:
            return ("formulas", n, fn)
        return ("unknown", raw)

    # -- names
    def _name_tree(self, name, sheet_hint, own_sheet):
        up = name.upper()
        text = None
        ctx_sheet = own_sheet
        # Sheet!name looks only at that sheet's local names, a bare name at the formula's sheet
        for sh in ([sheet_hint] if sheet_hint else [own_sheet]):
            if sh is not None and (sh.upper(), up) in self.local_names:
                text = self.local_names[(sh.upper(), up)]
                ctx_sheet = self._canon_sheet(sh) or sh
                break
        if text is None:
            text = self.global_names.get(up)
        if text is None:
            return None, ctx_sheet
        ck = (text, ctx_sheet)
        if ck not in self._name_cache:
            try:
                self._name_cache[ck] = parse_formula(text)
            except ParseFailure:
                self._name_cache[ck] = ("err", "#REF!")
        return self._name_cache[ck], ctx_sheet

    # -- resolution: parsed tree -> resolved tree + dependencies
    def resolve(self, node, key, sheet, deps, names_seen=()):
        k = node[0]
        if k in ("num", "str", "bool", "err", "empty", "array"):
            return node
        if k == "ref":
            _, sh, r1, c1, r2, c2 = node
            if sh is None:
                csh = sheet
            else:
                csh = self._canon_sheet(sh)
                if csh is None:
                    self._problem(key, "bad_reference", "引用了不存在的工作表：%s（%s）" % (sh, _label(key)))
                    return ("err", "#REF!")
            self._add_deps(csh, r1, c1, r2, c2, deps)
            return ("ref", csh, r1, c1, r2, c2)
        if k == "name":
            _, nm, sh = node
            if nm.upper() in names_seen:
                self._problem(key, "bad_reference", "名称循环定义：%s（%s）" % (nm, _label(key)))
                return ("err", "#NAME?")
            tree, ctx_sheet = self._name_tree(nm, sh, sheet)
            if tree is None:
                self._problem(key, "unknown_name", "未定义的名称：%s（%s）" % (nm, _label(key)), nm)
                return ("err", "#NAME?")
            return self.resolve(tree, key, ctx_sheet, deps, names_seen + (nm.upper(),))
        if k == "op":
            args = tuple(self.resolve(a, key, sheet, deps, names_seen) for a in node[2])
            return ("op", node[1], args)
        if k == "call":
            cls = self.classify(node[1])
            if cls[0] == "unsupported":
                self.unknown_functions.setdefault(node[1], []).append(key)
                self._problem(key, "unsupported", "不支持的函数：%s（%s）" % (node[1], _label(key)), node[1])
                return ("err", "#REF!")
            if cls[0] == "unknown":
                self.unknown_functions.setdefault(node[1], []).append(key)
                self._problem(key, "unknown_function", "未知函数：%s（%s）" % (node[1], _label(key)), node[1])
                return ("err", "#NAME?")
            args = tuple(self.resolve(a, key, sheet, deps, names_seen) for a in node[2])
            return ("call", cls, args)
        raise EngineError("内部错误：未知节点 %r" % (k,), key)

    def _add_deps(self, sheet, r1, c1, r2, c2, deps):
        if r1 == r2 and c1 == c2 and r1:
            k = (sheet, _col_letters(c1) + str(r1))
            if k in self.formulas:
                deps.add(k)
            return
        for (r, c, k) in self.by_sheet.get(sheet, ()):
            if (r1 == 0 or r1 <= r <= r2) and (c1 == 0 or c1 <= c <= c2):
                deps.add(k)

    # -- ordering
    def order(self, deps):
        indeg = {k: 0 for k in self.formulas}
        users: dict = {k: [] for k in self.formulas}
        for k, ds in deps.items():
            for d in ds:
                indeg[k] += 1
                users[d].append(k)
        # Kahn's algorithm; among ready cells the one first in the caller's order
        # goes first, so results come back in a readable order.
        rank = {k: i for i, k in enumerate(self.formulas)}
        ready = [(rank[k], k) for k in self.formulas if indeg[k] == 0]
        heapq.heapify(ready)
        out = []
        while ready:
            _r, k = heapq.heappop(ready)
            out.append(k)
            for u in users[k]:
                indeg[u] -= 1
                if indeg[u] == 0:
                    heapq.heappush(ready, (rank[u], u))
        if len(out) != len(self.formulas):
            left = {k for k in self.formulas if indeg[k] > 0}
            cycle = self._cycle(sorted(left, key=rank.__getitem__), deps)
            raise EngineError("存在循环引用：" + " → ".join(_label(k) for k in cycle), cycle[0])
        return out

    @staticmethod
    def _cycle(left_in_order, deps):
        """A loop among the cells Kahn's algorithm could not order (each has a predecessor there)."""
        left = set(left_in_order)
        rank = {k: i for i, k in enumerate(left_in_order)}
        start = left_in_order[0]
        path, seen = [start], {start: 0}
        cur = start
        while True:
            nxt = sorted((d for d in deps[cur] if d in left), key=rank.__getitem__)
            if not nxt:  # cannot happen for a node with indeg > 0 on a cycle, be safe
                return path
            cur = nxt[0]
            if cur in seen:
                cyc = path[seen[cur]:] + [cur]
                return cyc
            seen[cur] = len(path)
            path.append(cur)

    # -- code generation
    def compile(self):
        trees, deps = {}, {}
        for key, text in self.formulas.items():
            d: set = set()
            unsupported = unsupported_function(text)
            if unsupported:
                self._problem(key, "unsupported", "不支持的函数：%s（%s）" % (unsupported, _label(key)), unsupported)
                self.unknown_functions.setdefault(unsupported, []).append(key)
                trees[key] = ("err", "#NAME?")
                deps[key] = d
                continue
            try:
                tree = parse_formula(text)
            except ParseFailure as exc:
                raise EngineError("无法解析公式：%s =%s" % (_label(key), text.lstrip("=")), key) from exc
            trees[key] = self.resolve(tree, key, key[0], d)
            deps[key] = d
        order = self.order(deps)
        self.order_keys = order
        self.index = {k: i for i, k in enumerate(order)}
        return self._generate(order, trees)

    def _generate(self, order, trees):
        self.inputs: dict = {}       # input key -> local name
        self.stored: set = set()     # formula keys that big ranges read from _F
        self.big_ranges = False
        self._tmp = itertools.count()
        body = []
        for key in order:
            self.cur_key = key
            self.cur_pos = self.pos[key]
            self.stmts = []
            code, _arr, _d = self.gen(trees[key], "S")
            i = self.index[key]
            r, c = self.cur_pos
            lines = ["    # %s" % _label(key).replace("\n", " "), "    try:"]
            for s in self.stmts:
                lines.append("        " + s)
            lines.append("        f%d = _top(%s, %d, %d)" % (i, code, r, c))
            lines.append("    except Exception as _e:")
            lines.append("        f%d = _fail(_p, %r, _e)" % (i, key))
            body.append(lines)
        out = ["def _run(_c, _p):", "    _g = _c.get"]
        if self.big_ranges:
            out.append("    _F = {}")
        for key, nm in self.inputs.items():
            out.append("    %s = _g(%r)" % (nm, key))
        for key, lines in zip(order, body):
            out.extend(lines)
            if key in self.stored:
                out.append("    _F[%r] = f%d" % (key, self.index[key]))
        out.append("    return (%s)" % "".join("f%d, " % i for i in range(len(order))))
        return "\n".join(out) + "\n"

    def _const(self, value, prefix="_k"):
        nm = "%s%d" % (prefix, len(self._ns))
        self._ns[nm] = value
        return nm

    def _cell_local(self, key):
        i = self.index.get(key)
        if i is not None:
            return "f%d" % i
        nm = self.inputs.get(key)
        if nm is None:
            nm = self.inputs[key] = "i%d" % len(self.inputs)
        return nm

    def _hoist(self, code, arr, depth):
        if depth <= MAX_DEPTH:
            return code, arr, depth
        nm = "_h%d" % next(self._tmp)
        self.stmts.append("%s = %s" % (nm, code))
        return nm, arr, 1

    def gen(self, node, mode):
        return self._hoist(*self._gen(node, mode))

    def _gen(self, node, mode):
        k = node[0]
        if k == "num":
            v = float(node[1])
            return (repr(v) if v - v == 0 else "_eNUM"), False, 1
        if k == "str":
            return repr(node[1]), False, 1
        if k == "bool":
            return repr(bool(node[1])), False, 1
        if k == "err":
            return _ERR_NAMES.get(node[1], "_eVALUE"), False, 1
        if k == "empty":
            return "None", False, 1
        if k == "array":
            rows = tuple(tuple(self._const_value(v) for v in row) for row in node[1])
            return self._const(Arr(rows), "_arr"), True, 1
        if k == "ref":
            return self._gen_ref(node, mode)
        if k == "op":
            return self._gen_op(node)
        if k == "call":
            return self._gen_call(node)
        raise EngineError("内部错误：无法生成代码 %r" % (k,), self.cur_key)

    @staticmethod
    def _const_value(v):
        k = v[0]
        if k == "num":
            return float(v[1])
        if k in ("str", "bool"):
            return v[1]
        if k == "err":
            return ERRORS.get(v[1], ERRORS["#VALUE!"])
        return None

    def _gen_ref(self, node, mode):
        _, sheet, r1, c1, r2, c2 = node
        if r1 and c1 and r1 == r2 and c1 == c2:
            local = self._cell_local((sheet, _col_letters(c1) + str(r1)))
            if mode == "S":
                return local, False, 1
            return "_A(((%s,),), True, %r)" % (local, (sheet, r1, c1)), False, 1
        n = (r2 - r1 + 1) * (c2 - c1 + 1)
        if r1 == 0 or c1 == 0 or n > HUGE_RANGE:
            self.big_ranges = True
            for (r, c, key) in self.by_sheet.get(sheet, ()):
                if (r1 == 0 or r1 <= r <= r2) and (c1 == 0 or c1 <= c <= c2):
                    self.stored.add(key)
            return "_open(_c, _F, %r, %d, %d, %d, %d)" % (sheet, r1, c1, r2, c2), True, 1
        if n <= SMALL_RANGE:
            rows = []
            for r in range(r1, r2 + 1):
                cells = [self._cell_local((sheet, _col_letters(c) + str(r))) for c in range(c1, c2 + 1)]
                rows.append("(" + ", ".join(cells) + ",)")
            return "_A((%s,), True, %r)" % (", ".join(rows), (sheet, r1, c1)), True, 1
        self.big_ranges = True
        grid = tuple(tuple((sheet, _col_letters(c) + str(r)) for c in range(c1, c2 + 1))
                     for r in range(r1, r2 + 1))
        fset = frozenset(k for row in grid for k in row if k in self.index)
        self.stored |= fset
        g = self._const(grid, "_grid")
        fs = self._const(fset, "_fset")
        return "_grid(_c, _F, %s, %s, %r)" % (fs, g, (sheet, r1, c1)), True, 1

    def _unsupported(self, what):
        self._problem(self.cur_key, "unsupported", "不支持的写法：%s（%s）" % (what, _label(self.cur_key)), what)
        return "_eVALUE", False, 1

    def _gen_op(self, node):
        op, args = node[1], node[2]
        if op in (":", " "):
            a, b = args
            if a[0] == "ref" and b[0] == "ref" and a[1] == b[1] and 0 not in a[2:] and 0 not in b[2:]:
                if op == ":":
                    ref = ("ref", a[1], min(a[2], b[2]), min(a[3], b[3]), max(a[4], b[4]), max(a[5], b[5]))
                else:
                    r1, c1 = max(a[2], b[2]), max(a[3], b[3])
                    r2, c2 = min(a[4], b[4]), min(a[5], b[5])
                    if r1 > r2 or c1 > c2:
                        return "_eNULL", False, 1
                    ref = ("ref", a[1], r1, c1, r2, c2)
                return self._gen_ref(ref, "R")
            return self._unsupported("区域运算符 %r" % op)
        if op == ",":
            return self._unsupported("联合引用 (A1,B1)")
        if op == "u+":
            return self.gen(args[0], "S")
        if op == "@":
            code, _arr, d = self.gen(args[0], "S")
            r, c = self.cur_pos
            return "_top(%s, %d, %d)" % (code, r, c), False, d + 1
        fn = _OP_NAMES.get(op)
        if fn is None:
            return self._unsupported("运算符 %r" % op)
        parts = [self.gen(a, "S") for a in args]
        code = "%s(%s)" % (fn, ", ".join(p[0] for p in parts))
        return code, any(p[1] for p in parts), 1 + max(p[2] for p in parts)

    def _gen_call(self, node):
        cls, args = node[1], node[2]
        kind = cls[0]
        if kind == "native":
            return self._gen_native(cls[1], args)
        if kind == "udf":
            name, fn = cls[1], cls[2]
            nm = self._udf_names.get(name)
            if nm is None:
                nm = self._udf_names[name] = self._const(_make_udf(fn), "_u_" + re.sub(r"\W", "_", name) + "_")
            args = list(args)
            while args and args[-1][0] == "empty":
                args.pop()
            parts = [self.gen(a, "S") for a in args]
            code = "%s(%s)" % (nm, ", ".join(p[0] for p in parts))
            return code, False, 1 + max([p[2] for p in parts] or [0])
        if kind == "formulas":
            name, fn = cls[1], cls[2]
            nm = self._fallback_names.get(name)
            if nm is None:
                nm = self._fallback_names[name] = self._const(_fx.make_formulas_function(fn), "_x_")
            parts = [self.gen(a, "S") for a in args]
            code = "%s(%s)" % (nm, ", ".join(p[0] for p in parts))
            return code, True, 1 + max([p[2] for p in parts] or [0])
        raise EngineError("内部错误：函数分类 %r" % (kind,), self.cur_key)

    def _gen_native(self, name, args):
        r, c = self.cur_pos
        if name in ("ROW", "COLUMN"):
            if not args or args[0][0] == "empty":
                return repr(float(r if name == "ROW" else c)), False, 1
            a = args[0]
            if a[0] == "ref" and a[2] and a[3]:
                return repr(float(a[2] if name == "ROW" else a[3])), False, 1
            return self._unsupported("%s 的参数" % name)
        if name == "IF" and 1 <= len(args) <= 3:
            cond = self.gen(args[0], "S")
            branches = [self._branch(a) for a in args[1:]]
            while len(branches) < 2:
                branches.append(("False", False, 1))
            if cond[1] or branches[0][1] or branches[1][1]:
                code = "_lift(_n_IF, %s, %s, %s)" % (cond[0], branches[0][0], branches[1][0])
                return code, True, 1 + max(cond[2], branches[0][2], branches[1][2])
            t = "_t%d" % next(self._tmp)
            code = "(%s if (%s := _tb(%s)) is True else (%s if %s is False else %s))" % (
                branches[0][0], t, cond[0], branches[1][0], t, t)
            return code, False, 1 + max(cond[2], branches[0][2], branches[1][2])
        if name in ("IFERROR", "IFNA") and len(args) == 2:
            v = self.gen(args[0], "S")
            alt = self._branch(args[1])
            if v[1] or alt[1]:
                code = "_lift(_n_%s, %s, %s)" % (name, v[0], alt[0])
                return code, True, 1 + max(v[2], alt[2])
            t = "_t%d" % next(self._tmp)
            test = "type(%s := %s) is _EV" % (t, v[0])
            if name == "IFNA":
                test += " and %s == '#N/A'" % t
            return "(%s if %s else %s)" % (alt[0], test, t), False, 1 + max(v[2], alt[2])
        parts = [self.gen(a, _fx.mode_for(name, i)) for i, a in enumerate(args)]
        _fn, _modes, lifts = _fx.NATIVES[name]
        any_arr = any(p[1] for p in parts)
        depth = 1 + max([p[2] for p in parts] or [0])
        if lifts and any_arr:
            return "_lift(_n_%s, %s)" % (name, ", ".join(p[0] for p in parts)), True, depth
        code = "_n_%s(%s)" % (name, ", ".join(p[0] for p in parts))
        returns_arr = name in ("INDEX", "CHOOSE", "IFS", "SWITCH") and any_arr
        return code, returns_arr, depth

    def _branch(self, node):
        """An IF/IFERROR branch: an omitted value (IF(c,1,)) is 0."""
        if node[0] == "empty":
            return "0.0", False, 1
        return self.gen(node, "S")

    def namespace(self):
        return self._ns


# ---------------------------------------------------------------- public API

class CompiledModel:
    """A workbook template compiled to Python; `evaluate` runs it on one department's inputs."""

    def __init__(self, formulas, defined_names, sheet_names, *, catalogue=None):
        self._args = (dict(formulas), dict(defined_names or {}), list(sheet_names or []))
        cat = _default_catalogue() if catalogue is None else catalogue
        comp = _Compiler(formulas, defined_names or {}, sheet_names or [], cat)
        # long operator chains (=B1+B2+...+B400) make deep trees; the compiler recurses
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, 20000))
        try:
            self.source = comp.compile()
        finally:
            sys.setrecursionlimit(limit)
        self.order: list[tuple[str, str]] = comp.order_keys
        self.problems: list[Problem] = comp.problems
        self.unknown_functions: dict[str, list] = comp.unknown_functions
        self.input_cells: list[tuple[str, str]] = list(comp.inputs)
        ns = comp.namespace()
        try:
            code = compile(self.source, "<workbook formulas>", "exec")
        except (SyntaxError, RecursionError, MemoryError) as exc:  # pragma: no cover - defensive
            raise EngineError("公式过于复杂，无法编译：%s" % exc) from exc
        exec(code, ns)  # noqa: S102 - our own generated source
        self._run = ns["_run"]
        self._keys = tuple(self.order)

    @property
    def formula_cells(self):
        return self._keys

    def evaluate(self, cells, problems: list | None = None) -> dict:
        """Values of every formula cell, given the constant cells ``{(sheet, "B3"): value}``.

        Pass a list as ``problems`` to collect `Problem`s raised while calculating
        (the affected cells hold #VALUE!)."""
        return dict(zip(self._keys, self._run(cells, problems)))

    def __reduce__(self):  # picklable for multiprocessing: recompiled on the other side
        return (_rebuild, self._args)

    def __repr__(self):
        return "<CompiledModel %d formulas, %d inputs>" % (len(self._keys), len(self.input_cells))


def _rebuild(formulas, defined_names, sheet_names):
    return CompiledModel(formulas, defined_names, sheet_names)


def compile_workbook(formulas, defined_names, sheet_names, *, catalogue=None) -> CompiledModel:
    """Compile a template's formulas (expensive; cache on `template_signature`).

    Raises EngineError for a formula that cannot be parsed or a circular reference."""
    return CompiledModel(formulas, defined_names, sheet_names, catalogue=catalogue)


def template_signature(formulas, defined_names, sheet_names) -> str:
    """A stable hex digest of everything compilation depends on."""
    h = hashlib.sha256()
    for (s, a), f in sorted(formulas.items()):
        h.update(("F\x1f%s\x1f%s\x1f%s\x1e" % (s, a, f)).encode("utf-8"))
    for n, t in sorted((defined_names or {}).items()):
        h.update(("N\x1f%s\x1f%s\x1e" % (n, t)).encode("utf-8"))
    for s in sheet_names or ():
        h.update(("S\x1f%s\x1e" % s).encode("utf-8"))
    return h.hexdigest()


_CACHE: "OrderedDict[tuple, CompiledModel]" = OrderedDict()
_CACHE_LOCK = threading.Lock()
CACHE_SIZE = 32


def clear_cache():
    with _CACHE_LOCK:
        _CACHE.clear()


def cached_model(formulas, defined_names, sheet_names) -> CompiledModel:
    """The compiled model for this template, from an LRU cache keyed on its formulas and names."""
    key = (frozenset(formulas.items()), frozenset((defined_names or {}).items()),
           tuple(sheet_names or ()))
    with _CACHE_LOCK:
        model = _CACHE.get(key)
        if model is not None:
            _CACHE.move_to_end(key)
    if model is None:
        model = compile_workbook(formulas, defined_names, sheet_names)
        with _CACHE_LOCK:
            _CACHE[key] = model
            while len(_CACHE) > CACHE_SIZE:
                _CACHE.popitem(last=False)
    return model


def recalculate(cells, formulas, defined_names, sheet_names) -> dict:
    """Compile (LRU-cached on the template signature) and evaluate."""
    return cached_model(formulas, defined_names, sheet_names).evaluate(cells)


# ---------------------------------------------------------------- package adapter

@dataclass
class PackageResults:
    """Results of `recalculate_package`: ``values`` for `WorkbookPackage.write`,
    ``problems`` as Chinese sentences; also usable as a read-only mapping of values."""

    values: dict
    problems: list
    model: CompiledModel | None = None

    def __getitem__(self, key):
        return self.values[key]

    def __contains__(self, key):
        return key in self.values

    def __iter__(self):
        return iter(self.values)

    def __len__(self):
        return len(self.values)

    def get(self, key, default=None):
        return self.values.get(key, default)

    def items(self):
        return self.values.items()


def recalculate_package(book) -> PackageResults:
    """Recalculate an opened `xladdin.package.WorkbookPackage` (cells, defined names, sheets).

    Cells of an array formula's range other than its master keep their stored
    values; the master gets the formula's (top-left) value."""
    formulas, cells = {}, {}
    for key, cell in book.cells.items():
        if cell.formula is not None:
            formulas[key] = cell.formula
        else:
            cells[key] = cell.value
    if not formulas:
        return PackageResults({}, [], None)
    model = cached_model(formulas, book.defined_names, book.sheet_names)
    runtime: list = []
    values = model.evaluate(cells, runtime)
    problems = [p.message_zh for p in model.problems] + [p.message_zh for p in runtime]
    return PackageResults(values, problems, model)
