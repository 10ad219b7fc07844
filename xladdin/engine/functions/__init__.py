"""Native Excel functions, grouped by Excel's categories; `NATIVES` is the one registry.

``NATIVES[NAME] = (python_function, arg_modes, lifts)``:

* arg_modes: one letter per argument, the last one repeating.  ``R``: a reference or array
  argument arrives as an `Arr` (even a single cell), so aggregates can skip text in ranges as
  Excel does.  ``S``: a single value (the core intersects or lifts).
* lifts: the function is scalar; the core maps it element-wise over array arguments.

Functions take and return engine values (`xladdin.engine.values`); Excel errors are returned,
never raised.
"""

from __future__ import annotations

from . import date, engineering, financial, information, logical, lookup, statistical, text
from . import math as _math
from .operators import OPERATORS, op_neg, op_pct  # noqa: F401 (op_* used by the core)
from .statistical import aggregate_by_code  # noqa: F401

NATIVES = {}
_ALTERNATING = {}   # name -> leading R arguments, then R/S alternate (SUMIFS, SORTBY ...)
for _module in (_math, logical, information, text, lookup, date, engineering, financial,
                statistical):
    _clash = set(NATIVES) & set(_module.FUNCTIONS)
    assert not _clash, "registered twice: %s" % sorted(_clash)
    NATIVES.update(_module.FUNCTIONS)
    _ALTERNATING.update(getattr(_module, "ALTERNATING", {}))


def arg_mode(modes: str, k: int) -> str:
    return modes[k] if k < len(modes) else modes[-1]


def mode_for(name: str, k: int) -> str:
    """Mode of argument k of function `name` (criteria functions alternate range, criterion)."""
    lead = _ALTERNATING.get(name)
    if lead is not None:
        if k < lead:
            return "R"
        return "R" if (k - lead) % 2 == 0 else "S"
    return arg_mode(NATIVES[name][1], k)


__all__ = ["OPERATORS", "NATIVES", "arg_mode", "mode_for", "aggregate_by_code"]
