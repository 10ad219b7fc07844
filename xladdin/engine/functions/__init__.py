"""Native Excel functions, grouped by Excel's categories: each module's ``FUNCTIONS`` table
(``NAME: (python_function, arg_modes, lifts)``, see `xladdin.engine.registry.Native`) and, for
the criteria functions, ``ALTERNATING``. `xladdin.engine.registry.REGISTRY` merges them with
the special forms and refuses a name defined twice.

A module is imported when a formula first names one of its functions (`index` says which
module that is): a workbook that uses a dozen functions does not load all five hundred.

Functions take and return engine values (`xladdin.engine.values`); Excel errors are returned,
never raised.
"""

from __future__ import annotations

from importlib import import_module

from .. import values as _values
from .operators import OPERATORS, op_neg, op_pct  # noqa: F401 (op_* used by the core)
from .statistical import aggregate_by_code  # noqa: F401

#: the modules with a ``FUNCTIONS`` table, in the order the registry reads them
MODULES = ("math", "math_more", "logical", "information", "text", "text_cjk", "text_more", "regex",
           "lookup", "arrays", "date", "engineering", "bessel", "convert", "financial", "securities",
           "statistical", "growth", "distributions", "database")


def native_table(module: str) -> tuple[str, dict, dict]:
    """(origin, FUNCTIONS, ALTERNATING) of one of `MODULES`, importing it."""
    loaded = import_module(f"{__name__}.{module}")
    return module, loaded.FUNCTIONS, getattr(loaded, "ALTERNATING", {})


def native_tables() -> tuple:
    """`native_table` of every module, in `MODULES` order (all of them imported)."""
    return tuple(native_table(module) for module in MODULES)


def _datetime_text_when_first_met(text: str):
    # a date or time text in arithmetic ("2024-1-15"+1) is read by the date functions' reader
    from .date import parse_datetime_text

    _values.datetime_text_reader = parse_datetime_text
    return parse_datetime_text(text)


if _values.datetime_text_reader is _values._no_datetime_text:
    _values.datetime_text_reader = _datetime_text_when_first_met

__all__ = ["OPERATORS", "MODULES", "native_table", "native_tables", "aggregate_by_code"]
