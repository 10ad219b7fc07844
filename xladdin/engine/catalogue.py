"""The add-in's own functions (``udfs.CATALOGUE``) as the engine calls them, and where
formulas call them, under every prefix Excel stores for an add-in function."""

from __future__ import annotations

import functools
import re

from .parser import split_function_name
from .values import ERRORS, Arr, ErrorValue, as_error

__all__ = ["engine_catalogue", "catalogue_names", "catalogue_function", "catalogue_calls",
           "split_function_name"]


def _udf_out(r):
    """A catalogue function's result -> engine value (error literals become errors)."""
    t = type(r)
    if t is float:
        return r if r - r == 0 else ERRORS["#NUM!"]
    if t is str:
        err = ERRORS.get(r.strip()) if r[:1] in ("#", " ") else None
        return err if err is not None else r
    if t is bool or t is ErrorValue or r is None:
        return r
    if isinstance(r, (list, tuple)):
        if not r:
            return None
        rows = [list(x) if isinstance(x, (list, tuple)) else [x] for x in r]
        if not isinstance(r[0], (list, tuple)):
            rows = [list(r)]
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


def _wrap(fn):
    """Ranges reach a catalogue function as lists of rows, blanks as None, as xlwings passes them."""
    def call(*args):
        conv = []
        for a in args:
            if type(a) is Arr:
                conv.append([[float(v) if type(v) is int else v for v in row] for row in a.rows])
            elif type(a) is int:
                conv.append(float(a))
            else:
                conv.append(a)
        try:
            r = fn(*conv)
        except Exception:  # noqa: BLE001 - a function that raises shows #VALUE! in Excel
            return ERRORS["#VALUE!"]
        return _udf_out(r)
    call.__name__ = getattr(fn, "__name__", "udf")
    return call


@functools.lru_cache(maxsize=1)
def engine_catalogue() -> dict:
    """{NAME: engine-callable function} for every function of ``udfs.CATALOGUE``."""
    import udfs
    from .fastscores import with_fast_path  # issue 17 (speed): float fast paths, exact fallback
    return {name.upper(): with_fast_path(name.upper(), _wrap(fn)) for name, fn in udfs.CATALOGUE.items()}


def catalogue_names() -> frozenset:
    return frozenset(engine_catalogue())


def catalogue_function(raw, catalogue=None):
    """The catalogue function (upper-case) that a function name as written calls, or None;
    a native Excel function of the same name wins unless the call is add-in prefixed."""
    from .registry import REGISTRY
    if catalogue is None:
        catalogue = catalogue_names()
    n, prefixed = split_function_name(raw, catalogue)
    if n not in catalogue:
        return None
    if not prefixed and n in REGISTRY:
        return None
    return n


# a function name right before "(": not preceded by a name character
_CALL_RE = re.compile(r"(?<![\w.\\])([A-Za-z_\\][\w.\\]*)\(")
# string literals and [...] groups (structured references, external-book indexes) are blanked
_OPAQUE_RE = re.compile(r'"(?:[^"]|"")*"?|\[[^\]]*\]?')
# 'addin.xlam'!NAME( and [1]!NAME(: the qualifier goes, the name stays
_ADDIN_QUALIFIER_RE = re.compile(r"(?:'[^']*'|\[\d+\]|[^\W\d][\w.]*\.xla[m]?)!(?=[A-Za-z_][\w.]*\s*\()", re.I)


def catalogue_calls(text, catalogue=None):
    """The catalogue functions (upper-case, in order, each once) that formula ``text``
    calls in any form Excel stores; text inside string literals does not count."""
    if "(" not in text:
        return []
    if catalogue is None:
        catalogue = catalogue_names()
    src = _OPAQUE_RE.sub(" ", text.lstrip("="))
    src = _ADDIN_QUALIFIER_RE.sub("", src)
    found = []
    for m in _CALL_RE.finditer(src):
        n = catalogue_function(m.group(1), catalogue)
        if n is not None and n not in found:
            found.append(n)
    return found
