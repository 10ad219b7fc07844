"""Formula trees -> Python closures ``fn(sheet, row, col)``.

One closure serves every cell of a formula shape: relative references are offsets
added to the cell's own row and column when the closure runs.

Evaluation contexts (how a reference argument becomes a value), as in Excel:

* ``"V"`` value context, for an ordinary (non-array) formula: a multi-cell
  reference where one value is expected is implicitly intersected with the
  formula's row or column (``#VALUE!`` if there is no single cell in common).
* ``"A"`` array context, inside an array formula and inside arguments that take
  arrays (SUMPRODUCT, the lookup array of MATCH ...): a reference becomes an
  array and scalar functions and operators are applied element-wise.
Closures of reference-valued nodes (cell and area references, names, the ``:``
operator, OFFSET, INDEX ...) return a `Ref`; `Compiler.value` turns it into a
value per the context.

Failures that mean "this cell cannot be recalculated, keep what the file holds"
are exceptions (`Uncomputable`, raised while compiling or running); Excel-level
errors are ordinary values.
"""

from __future__ import annotations

import contextlib
import operator as _operator

from . import functions as _fx
from .external import split_external
from .failures import CompileFailure
from .parser import MAX_COL, MAX_ROW, split_function_name
from .refs import Ref, RefList, intersect_value
from .registry import REGISTRY, Native, Special
from .specials import lambda_call
from .values import (
    NAME, NULL, NUM, REF, VALUE, Arr, ErrorValue, lift,
)

__all__ = ["Compiler", "CompileFailure", "VOLATILE_FUNCTIONS"]

VOLATILE_FUNCTIONS = frozenset({"RAND", "RANDBETWEEN", "NOW", "TODAY", "RANDARRAY"})
# functions whose result depends on the machine, the file's location or a network: never recomputed
ENVIRONMENT_FUNCTIONS = frozenset({"INFO", "WEBSERVICE", "FILTERXML", "RTD", "CALL", "REGISTER.ID",
                                   "EUROCONVERT", "IMAGE", "STOCKHISTORY", "TRANSLATE", "DETECTLANGUAGE",
                                   "CUBEVALUE", "CUBEMEMBER", "CUBESET", "CUBERANKEDMEMBER",
                                   "CUBEKPIMEMBER", "CUBEMEMBERPROPERTY", "CUBESETCOUNT", "GETPIVOTDATA",
                                   "COPILOT", "PY"})
#: functions whose range parameters evaluate an expression as an array even in an ordinary
#: (non-array) formula: Excel's array-class parameters, and the dynamic-array functions
ARRAY_PARAMETERS = frozenset({
    "SUMPRODUCT", "LOOKUP", "INDEX", "IRR", "MIRR", "XIRR", "XNPV", "LINEST", "TREND", "LOGEST",
    "GROWTH", "MDETERM", "MINVERSE", "MMULT", "TRANSPOSE", "FREQUENCY", "SUMXMY2", "SUMX2MY2",
    "SUMX2PY2", "CHITEST", "CHISQ.TEST", "CORREL", "COVAR", "COVARIANCE.P", "COVARIANCE.S",
    "FORECAST", "FORECAST.LINEAR", "FTEST", "F.TEST", "INTERCEPT", "PEARSON", "RSQ", "STEYX",
    "SLOPE", "TTEST", "T.TEST", "PROB", "MODE", "MODE.SNGL", "MODE.MULT", "AGGREGATE",
    "FILTER", "SORT", "SORTBY", "UNIQUE", "XLOOKUP", "XMATCH", "TOCOL", "TOROW", "VSTACK",
    "HSTACK", "TAKE", "DROP", "CHOOSEROWS", "CHOOSECOLS", "TEXTSPLIT", "EXPAND", "WRAPROWS",
    "WRAPCOLS",
})


_FLOAT_ARITHMETIC = {"+": _operator.add, "-": _operator.sub, "*": _operator.mul}

#: a result smaller than this fraction of its operands is rounding noise (about 15.6 digits)
_NOISE = 2.0 ** -50


def _const(v):
    def f(s, r, c):
        return v
    return f


def _finite(x):
    return x if x - x == 0 else NUM


class Compiler:
    """Compiles formula trees for one workbook (its sheets, defined names, tables, catalogue)."""

    def __init__(self, book, catalogue):
        self.book = book
        self.catalogue = catalogue          # {NAME: python function} of the add-in (udfs)
        self.flags = set()                  # per formula: "volatile", "catalogue"
        self._name_stack = []
        self._locals = {}                   # LET / LAMBDA names in scope

    # ------------------------------------------------------------ entry point
    def compile_formula(self, tree, sheet, array_formula):
        self.flags = set()
        self._sheet = sheet
        mode = "A" if array_formula else "V"
        if tree[0] == "op" and tree[1] in ("+", "-"):
            fn = self._final_sum(tree, mode)
        else:
            fn = self.node(tree, mode)
        return fn, mode, frozenset(self.flags)

    def _final_sum(self, tree, mode):
        """A formula whose last operation is + or -: Excel gives 0 when the result is only
        binary noise next to the operands (=0.5-0.4-0.1 is 0; =1*(0.5-0.4-0.1) is not),
        per Microsoft's "Floating-point arithmetic may give inaccurate results in Excel"."""
        _, op, a, b = tree
        fa = self.value(a, mode)
        fb = self.value(b, mode)
        generic = _fx.OPERATORS[op]
        minus = op == "-"

        def f(s, r, c):
            x = fa(s, r, c)
            y = fb(s, r, c)
            if type(x) is float and type(y) is float:
                z = x - y if minus else x + y
                if z - z != 0:
                    return NUM
                if z != 0 and abs(z) < _NOISE * max(abs(x), abs(y)):
                    return 0.0
                return z
            return generic(x, y)
        return f

    # ------------------------------------------------------------ nodes
    def node(self, n, mode):
        kind = n[0]
        m = getattr(self, "n_" + kind)
        return m(n, mode)

    def value(self, n, mode):
        """A closure giving a value (not a Ref): references resolved per ``mode``."""
        if n[0] == "ref":
            direct = self._cell_value(n)
            if direct is not None:
                return direct
        fn = self.node(n, mode)
        if not _may_be_ref(n):
            return fn
        if mode == "A":
            def f(s, r, c):
                v = fn(s, r, c)
                t = type(v)
                if t is Ref:
                    return v.single() if v.is_cell() else v.array()
                if t is RefList:
                    return VALUE
                return v
        else:
            def f(s, r, c):
                v = fn(s, r, c)
                t = type(v)
                if t is Ref:
                    return v.single() if v.is_cell() else intersect_value(v, r, c)
                if t is RefList:
                    return VALUE
                return v
        return f

    def n_num(self, n, mode):
        return _const(n[1])

    def n_str(self, n, mode):
        return _const(n[1])

    def n_bool(self, n, mode):
        return _const(n[1])

    def n_err(self, n, mode):
        return _const(n[1])

    def n_missing(self, n, mode):
        return _const(None)

    def n_array(self, n, mode):
        rows = []
        for row in n[1]:
            rows.append(tuple(self._const_of(v) for v in row))
        arr = Arr(tuple(rows))
        return _const(arr)

    @staticmethod
    def _const_of(node):
        if node[0] in ("num", "str", "bool", "err"):
            return node[1]
        raise CompileFailure("数组常量中有不支持的内容")

    def n_external(self, n, mode):
        return self._external(n)

    def _external(self, n, corner=None):
        """Another workbook's cell or area: the values Excel cached in the external-link part,
        read when the closure runs (compiled shapes are shared by workbooks of one template).
        ``corner``: the reference node of an area's second corner, written without the book."""
        _, text, at_row, at_col = n
        where = split_external(text)
        if where is None or where[0] not in self.book.external_books:
            raise CompileFailure("引用了其他工作簿（%s），保留文件中的值" % text, "external")
        index, sheet, corners = where
        # relative rows and columns as offsets from the formula's cell, as `n_ref` has them
        parts = [(row if row_abs else row - at_row, row_abs, col if col_abs else col - at_col, col_abs)
                 for row, col, row_abs, col_abs in corners]
        if corner is not None:
            _, _, dr, dc, _, _, mask = corner
            parts.append((dr, bool(mask & 1), dc, bool(mask & 2)))

        def f(s, r, c):
            rows = [dr if row_abs else r + dr for dr, row_abs, _, _ in parts]
            cols = [dc if col_abs else c + dc for _, _, dc, col_abs in parts]
            return s.book.external_books[index].values(sheet, min(rows), min(cols), max(rows), max(cols))
        return f

    def _sheet_of(self, name):
        if name is None:
            return None
        sh = self.book.sheet_by_name(name)
        if sh is None:
            return False
        return sh

    def _cell_value(self, n):
        """The value of a one-cell reference (A1, $A$1, S!B2) read from its cell, as
        `n_ref`'s reference and `Ref.single` give it, without making the reference; None
        for any other reference."""
        _, sheet_name, r1, c1, r2, c2, mask = n
        if r1 != r2 or c1 != c2 or mask not in (0, 15) or self._name_stack:
            return None
        target = self._sheet_of(sheet_name)
        if target is False:
            return None
        ti = None if target is None else target.index
        if mask == 15:
            if ti is None:
                def f(s, r, c):
                    return s.cell_value(r1, c1)
            else:
                def f(s, r, c):
                    return s.book.sheets[ti].cell_value(r1, c1)
        elif ti is None:
            def f(s, r, c):
                rr, cc = r + r1, c + c1
                if rr < 1 or cc < 1 or rr > MAX_ROW or cc > MAX_COL:
                    return REF
                return s.cell_value(rr, cc)
        else:
            def f(s, r, c):
                rr, cc = r + r1, c + c1
                if rr < 1 or cc < 1 or rr > MAX_ROW or cc > MAX_COL:
                    return REF
                return s.book.sheets[ti].cell_value(rr, cc)
        return f

    def n_ref(self, n, mode):
        _, sheet_name, r1, c1, r2, c2, mask = n
        target = self._sheet_of(sheet_name)
        if target is False:
            return _const(REF)
        if self._name_stack and mask != 15:
            return self._name_ref(target, r1, c1, r2, c2, mask)
        # the sheet by position, looked up when the closure runs: compiled shapes are
        # shared by every workbook of the same template (see `model.shape_cache`)
        ti = None if target is None else target.index
        ra1, ca1, ra2, ca2 = mask & 1, mask & 2, mask & 4, mask & 8
        if r1 == r2 and c1 == c2 and mask in (0, 15):
            if mask == 15:
                if ti is None:
                    def f(s, r, c):
                        return Ref(s, r1, c1, r1, c1)
                else:
                    def f(s, r, c):
                        return Ref(s.book.sheets[ti], r1, c1, r1, c1)
            elif ti is None:
                def f(s, r, c):
                    rr, cc = r + r1, c + c1
                    if rr < 1 or cc < 1 or rr > MAX_ROW or cc > MAX_COL:
                        return REF
                    return Ref(s, rr, cc, rr, cc)
            else:
                def f(s, r, c):
                    rr, cc = r + r1, c + c1
                    if rr < 1 or cc < 1 or rr > MAX_ROW or cc > MAX_COL:
                        return REF
                    return Ref(s.book.sheets[ti], rr, cc, rr, cc)
            return f

        def f(s, r, c):
            a = r1 if ra1 else r + r1
            b = c1 if ca1 else c + c1
            x = r2 if ra2 else r + r2
            y = c2 if ca2 else c + c2
            if a > x:
                a, x = x, a
            if b > y:
                b, y = y, b
            if a < 1 or b < 1 or x > MAX_ROW or y > MAX_COL:
                return REF
            return Ref(s if ti is None else s.book.sheets[ti], a, b, x, y)
        return f

    def _name_ref(self, target, r1, c1, r2, c2, mask):
        """A relative reference inside a defined name. The file stores it relative to A1 and
        Excel wraps it around the sheet's edges: one column left of the formula is XFD."""
        ti = None if target is None else target.index

        def f(s, r, c):
            a = r1 if mask & 1 else (r + r1 - 1) % MAX_ROW + 1
            b = c1 if mask & 2 else (c + c1 - 1) % MAX_COL + 1
            x = r2 if mask & 4 else (r + r2 - 1) % MAX_ROW + 1
            y = c2 if mask & 8 else (c + c2 - 1) % MAX_COL + 1
            if a > x:
                a, x = x, a
            if b > y:
                b, y = y, b
            return Ref(s if ti is None else s.book.sheets[ti], a, b, x, y)
        return f

    def n_ref3d(self, n, mode):
        _, first, last, r1, c1, r2, c2, mask = n
        sheets = self.book.sheet_span(first, last)
        if sheets is None:
            return _const(REF)
        indexes = [sh.index for sh in sheets]
        inner = self.n_ref(("ref", None, r1, c1, r2, c2, mask), mode)

        def f(s, r, c):
            refs = []
            for i in indexes:
                sh = s.book.sheets[i]
                ref = inner(sh, r, c)
                if type(ref) is not Ref:
                    return ref
                refs.append(ref)
            return RefList(refs)
        return f

    def n_name(self, n, mode):
        _, name, sheet_name = n
        host = self._sheet.name if sheet_name is None else sheet_name
        if sheet_name is None and self._locals:
            local = self._locals.get(name[6:] if name.startswith("_XLPM.") else name)
            if local is not None:
                return local
        definition = self.book.defined_name(name, host, qualified=sheet_name is not None)
        if definition is None:
            raise CompileFailure("公式中的名称 %s 未定义" % name, "unknown_name")
        key = (host, name)
        if key in self._name_stack:
            raise CompileFailure("名称 %s 引用了自身" % name, "cycle")
        self._name_stack.append(key)
        try:
            tree = self.book.parse_name(definition)
            return self.node(tree, mode)
        finally:
            self._name_stack.pop()

    def n_table(self, n, mode):
        _, table, spec = n
        resolver = self.book.table_reference(table, spec, self._sheet)
        if resolver is None:
            raise CompileFailure("无法解析结构化引用 %s%s" % (table, spec), "unsupported")
        return resolver

    def n_spill(self, n, mode):
        inner = self.node(n[1], mode)

        def f(s, r, c):
            ref = inner(s, r, c)
            if type(ref) is not Ref:
                return REF
            extent = ref.sheet.book.spill_extent(ref.sheet, ref.r1, ref.c1)
            if extent is None:
                return REF
            return extent
        return f

    def n_at(self, n, mode):
        inner = self.node(n[1], "V")

        def f(s, r, c):
            v = inner(s, r, c)
            if type(v) is Ref:
                return v.single() if v.is_cell() else intersect_value(v, r, c)
            if type(v) is Arr:
                return v.rows[0][0] if v.nrows else VALUE
            return v
        return f

    def n_union(self, n, mode):
        parts = [self.node(x, mode) for x in n[1]]

        def f(s, r, c):
            refs = []
            for p in parts:
                v = p(s, r, c)
                if type(v) is Ref:
                    refs.append(v)
                elif type(v) is RefList:
                    refs.extend(v.refs)
                else:
                    return VALUE
            return RefList(refs)
        return f

    def n_neg(self, n, mode):
        x = self.value(n[1], mode)
        neg = _fx.OPERATORS["u-"] if "u-" in _fx.OPERATORS else None

        def f(s, r, c):
            v = x(s, r, c)
            if type(v) is float:
                return -v if v else 0.0
            if neg is not None:
                return neg(v)
            return _fx.op_neg(v)
        return f

    def n_pos(self, n, mode):
        return self.value(n[1], mode)

    def n_pct(self, n, mode):
        x = self.value(n[1], mode)
        pct = _fx.OPERATORS.get("%") or _fx.op_pct

        def f(s, r, c):
            v = x(s, r, c)
            if type(v) is float:
                return v / 100.0
            return pct(v)
        return f

    def n_op(self, n, mode):
        _, op, a, b = n
        if op == ":":
            return self._range_op(a, b, mode)
        if op == " ":
            return self._intersect_op(a, b, mode)
        fa = self.value(a, mode)
        fb = self.value(b, mode)
        fn = _fx.OPERATORS[op]
        arithmetic = _FLOAT_ARITHMETIC.get(op)
        if arithmetic is not None:
            # two numbers, the common case, without the general operator's checks
            def f(s, r, c):
                x = fa(s, r, c)
                y = fb(s, r, c)
                if type(x) is float and type(y) is float:
                    z = arithmetic(x, y)
                    return z if z - z == 0 else NUM
                return fn(x, y)
        else:
            def f(s, r, c):
                return fn(fa(s, r, c), fb(s, r, c))
        return f

    def _range_op(self, a, b, mode):
        """A1:INDEX(...): the smallest area holding both references."""
        if a[0] == "external" and b[0] == "ref" and b[1] is None:
            # [1]Sheet!A1:B3 parses as the external A1, then :B3 on this sheet
            return self._external(a, b)
        return self._reference_op(a, b, mode, lambda x, y: Ref(
            x.sheet, min(x.r1, y.r1), min(x.c1, y.c1), max(x.r2, y.r2), max(x.c2, y.c2)))

    def _intersect_op(self, a, b, mode):
        """A1:C3 B2:D4: the cells both references hold, #NULL! when none."""
        def common(x, y):
            r1, c1 = max(x.r1, y.r1), max(x.c1, y.c1)
            r2, c2 = min(x.r2, y.r2), min(x.c2, y.c2)
            return NULL if r1 > r2 or c1 > c2 else Ref(x.sheet, r1, c1, r2, c2)
        return self._reference_op(a, b, mode, common)

    def _reference_op(self, a, b, mode, combine):
        fa = self.node(a, mode)
        fb = self.node(b, mode)

        def f(s, r, c):
            x = fa(s, r, c)
            y = fb(s, r, c)
            if type(x) is ErrorValue:
                return x
            if type(y) is ErrorValue:
                return y
            if type(x) is not Ref or type(y) is not Ref or x.sheet is not y.sheet:
                return VALUE
            return combine(x, y)
        return f

    # ------------------------------------------------------------ calls
    def n_call(self, n, mode):
        _, raw, args, prefixed = n
        name, addin = split_function_name(raw, self.catalogue)
        addin = addin or prefixed
        entry = REGISTRY.get(name)
        if type(entry) is not Special and (addin or entry is None) and name in self.catalogue:
            self.flags.add("catalogue")
            return self._catalogue_call(name, args, mode)
        if name in ("SUBTOTAL", "AGGREGATE"):
            self.flags.add("subtotal")
        if name in VOLATILE_FUNCTIONS:
            self.flags.add("volatile")
        if type(entry) is Special:
            return entry.build(self, args, mode)
        if entry is None:
            if name in ENVIRONMENT_FUNCTIONS:
                raise CompileFailure("函数 %s 的结果取决于运行环境，保留文件中的值" % name, "environment")
            lam = self._lambda_name(raw, name)
            if lam is not None:
                return lam(self, args, mode)
            if self.book.as_without_addin:
                return _const(NAME)   # what an application without the add-in shows
            if raw.upper().startswith(("_XLFN.", "_XLWS.")):
                # Excel marks its own newer functions so: not a misspelling, one we lack
                raise CompileFailure("暂不支持 Excel 函数 %s，保留文件中的值" % name, "unsupported")
            raise CompileFailure("无法识别的函数 %s（可能需要其他加载项），保留文件中的值" % raw, "unknown_function")
        return self._native_call(name, entry, args, mode)

    def _lambda_name(self, raw, name):
        """A defined name whose formula is a LAMBDA, called like a function (``week(A1)``):
        the builder of the call, or None."""
        if raw.upper().startswith(("_XLFN.", "_XLWS.")):
            return None
        found = self.lambda_definition(("name", name, None))
        if found is None:
            return None
        key, lambda_args = found

        def build(cp, args, mode):
            with self.inside_name(key):
                return lambda_call(cp, lambda_args, args, mode)
        return build

    @contextlib.contextmanager
    def inside_name(self, key):
        """While the formula of defined name ``key`` is compiled (None: no name): a use of the
        name inside it is a cycle."""
        if key is None:
            yield
            return
        self._name_stack.append(key)
        try:
            yield
        finally:
            self._name_stack.pop()

    def lambda_definition(self, node):
        """(key, LAMBDA's argument trees) when ``node`` is a LAMBDA written in place or a
        defined name whose formula is one (MAP(A1:A3, week)); None otherwise. ``key`` guards
        a name against calling itself while it is compiled (None for one written in place)."""
        key = None
        if node[0] == "name" and node[2] is None:
            definition = self.book.defined_name(node[1], self._sheet.name, qualified=False)
            if definition is None:
                return None
            key = (self._sheet.name, node[1])
            if key in self._name_stack:
                raise CompileFailure("名称 %s 引用了自身" % node[1], "cycle")
            node = self.book.parse_name(definition)
        if node[0] != "call" or split_function_name(node[1], self.catalogue)[0] != "LAMBDA":
            return None
        return key, node[2]

    # ------------------------------------------------------------ services for `specials`
    @staticmethod
    def native_entry(name):
        """The registry's `Native` entry of ``name`` (an eta-reduced ``_xleta.SUM``), or None."""
        entry = REGISTRY.get(name)
        return entry if type(entry) is Native else None

    def compile_on_sheet(self, tree, sheet, mode):
        """``tree`` compiled as if written on ``sheet`` (INDIRECT's text), leaving the flags and
        the host sheet of the formula being compiled as they were."""
        saved = (self.flags, self._sheet)
        self._sheet = sheet
        try:
            return self.node(tree, mode)
        finally:
            self.flags, self._sheet = saved

    def with_local_names(self, bindings, compile_body):
        """``compile_body()`` with the names in ``bindings`` ({NAME: closure}, LET's and
        LAMBDA's parameters) in scope; they shadow defined names of the same spelling."""
        names = self._locals
        saved = dict(names)
        names.update(bindings)
        try:
            return compile_body()
        finally:
            names.clear()
            names.update(saved)

    def bind_local_name(self, name, closure):
        """Brings one more local name into the scope opened by `with_local_names` (LET's later
        values may read its earlier names)."""
        self._locals[name] = closure

    def _arg(self, entry, k, node, mode, name=""):
        """Closure for argument k of a native function per its declared kind."""
        if entry.mode(k) == "R":
            # a reference passes as a range; an expression is an array only in an array
            # formula or where the parameter takes arrays (SUMPRODUCT, LOOKUP ...): in an
            # ordinary formula =SUM(A1:A5*B1:B5) intersects each range with the formula's
            # row, as Excel's reference-class parameters do
            inner = self.node(node, "A" if mode == "A" or name in ARRAY_PARAMETERS else "V")

            def f(s, r, c):
                v = inner(s, r, c)
                t = type(v)
                if t is Ref:
                    return v.array()
                if t is RefList:
                    return _union_values(v)
                return v
            return f
        return self.value(node, mode)

    @staticmethod
    def _literal_texts(args):
        """SUBSTITUTE's arguments (x, "old", "new") with literal texts: (x, old, new), else None."""
        if len(args) != 3 or args[1][0] != "str" or args[2][0] != "str":
            return None
        return args[0], args[1][1], args[2][1]

    def _substitute_chain(self, fn, step, mode):
        """Nested ``SUBSTITUTE(SUBSTITUTE(x,"a","b"),"c","d")`` with literal texts (how the
        template's note cell keeps units with their numbers): ``x`` once, then each
        replacement in turn, as the nested calls would do it."""
        pairs = []
        while step is not None:
            node, old, new = step
            pairs.append((old, new))
            step = None
            if node[0] == "call" and not node[3]:
                name, addin = split_function_name(node[1], self.catalogue)
                if name == "SUBSTITUTE" and not addin:
                    step = self._literal_texts(node[2])
        pairs.reverse()  # the innermost call replaces first
        base = self._arg(REGISTRY["SUBSTITUTE"], 0, node, mode)

        def f(s, r, c):
            v = base(s, r, c)
            for old, new in pairs:
                v = lift(fn, v, old, new) if type(v) is Arr else fn(v, old, new)
            return v
        return f

    def _native_call(self, name, entry, args, mode):
        fn, lifts = entry.fn, entry.lifts
        if name == "SUBSTITUTE" and (step := self._literal_texts(args)) is not None:
            return self._substitute_chain(fn, step, mode)
        arg_fns = [self._arg(entry, k, a, mode, name) for k, a in enumerate(args)]
        n = len(arg_fns)
        if n == 1:
            g0 = arg_fns[0]
            if lifts:
                def f(s, r, c):
                    v = g0(s, r, c)
                    if type(v) is Arr:
                        return lift(fn, v)
                    return fn(v)
            else:
                def f(s, r, c):
                    return fn(g0(s, r, c))
            return f
        # two and three arguments (ROUND, SUBSTITUTE ...) without a list per call
        if n == 2:
            g0, g1 = arg_fns
            if lifts:
                def f(s, r, c):
                    a, b = g0(s, r, c), g1(s, r, c)
                    if type(a) is Arr or type(b) is Arr:
                        return lift(fn, a, b)
                    return fn(a, b)
            else:
                def f(s, r, c):
                    return fn(g0(s, r, c), g1(s, r, c))
            return f
        if n == 3:
            g0, g1, g2 = arg_fns
            if lifts:
                def f(s, r, c):
                    a, b, d = g0(s, r, c), g1(s, r, c), g2(s, r, c)
                    if type(a) is Arr or type(b) is Arr or type(d) is Arr:
                        return lift(fn, a, b, d)
                    return fn(a, b, d)
            else:
                def f(s, r, c):
                    return fn(g0(s, r, c), g1(s, r, c), g2(s, r, c))
            return f

        def f(s, r, c):
            return _call(fn, [g(s, r, c) for g in arg_fns], lifts)
        return f

    def _catalogue_call(self, name, args, mode):
        udf = self.catalogue[name]
        arg_fns = []
        for a in args:
            inner = self.node(a, mode)

            def g(s, r, c, inner=inner):
                v = inner(s, r, c)
                if type(v) is Ref:
                    return v.single() if v.is_cell() else v.array()
                return v
            arg_fns.append(g)

        def f(s, r, c):
            return udf(*[g(s, r, c) for g in arg_fns])
        return f


def _union_values(refs):
    """A union or 3D reference passed where a range is expected: its cells as one column,
    area after area (RANK(A1,(B1,B2,B3)), SUM(Sheet1:Sheet3!A1))."""
    column = []
    for ref in refs.refs:
        column.extend(ref.array().values())
    return Arr.from_columns([column], ref=True)


def _call(fn, vals, lifts):
    if lifts:
        for v in vals:
            if type(v) is Arr:
                return lift(fn, *vals)
    return fn(*vals)


def _may_be_ref(node) -> bool:
    k = node[0]
    if k in ("ref", "ref3d", "name", "table", "union", "spill"):
        return True
    if k == "op" and node[1] in (":", " "):
        return True
    if k == "call":
        return True  # OFFSET, INDEX, CHOOSE, IF ... may give references
    return False


