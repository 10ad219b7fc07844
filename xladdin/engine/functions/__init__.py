"""Native Excel functions, grouped by Excel's categories: each module's ``FUNCTIONS`` table
(``NAME: (python_function, arg_modes, lifts)``, see `xladdin.engine.registry.Native`) and, for
the criteria functions, ``ALTERNATING``. `xladdin.engine.registry.REGISTRY` merges them with
the special forms and refuses a name defined twice.

Functions take and return engine values (`xladdin.engine.values`); Excel errors are returned,
never raised.
"""

from __future__ import annotations

from . import (
    arrays, bessel, convert, database, date, distributions, engineering, financial, growth,
    information, logical, lookup, math_more, regex, securities, statistical, text, text_cjk,
    text_more,
)
from . import math as _math
from .operators import OPERATORS, op_neg, op_pct  # noqa: F401 (op_* used by the core)
from .statistical import aggregate_by_code  # noqa: F401

#: (origin, FUNCTIONS, ALTERNATING) of each module, in the order the registry reads them
NATIVE_TABLES = tuple(
    (module.__name__.rsplit(".", 1)[-1], module.FUNCTIONS, getattr(module, "ALTERNATING", {}))
    for module in (_math, math_more, logical, information, text, text_cjk, text_more, regex,
                   lookup, arrays, date, engineering, bessel, convert, financial, securities,
                   statistical, growth, distributions, database)
)

__all__ = ["OPERATORS", "NATIVE_TABLES", "aggregate_by_code"]
