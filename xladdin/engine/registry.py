"""The one table of every function the engine computes, which refuses a name twice.

Two kinds of entry:

* `Native` – a function of values (`functions/`): ``fn`` with one argument kind per
  argument (``modes``: ``R`` a range or array arrives as an `Arr`, ``S`` a single value; the
  last letter repeats), ``lifts`` when the core maps it element-wise over arrays, ``lead``
  for the criteria functions whose arguments alternate range and criterion after ``lead``
  leading ranges (SUMIFS ...).
* `Special` – built by the compiler from the argument trees (`specials`): ``build(compiler,
  args, mode) -> closure`` for the functions that are lazy (IF, IFERROR, CHOOSE, LET) or
  take or give references (ROW, OFFSET, INDEX, SUBTOTAL ...).
"""

from __future__ import annotations

from typing import Callable, NamedTuple

from . import functions as _fx
from . import grouping, specials

__all__ = ["Native", "Special", "REGISTRY", "build_registry"]


class Native(NamedTuple):
    fn: Callable
    modes: str
    lifts: bool
    lead: int | None = None

    def mode(self, k: int) -> str:
        """Argument k's kind, ``R`` or ``S``."""
        if self.lead is not None:
            return "R" if k < self.lead or (k - self.lead) % 2 == 0 else "S"
        return self.modes[k] if k < len(self.modes) else self.modes[-1]


class Special(NamedTuple):
    build: Callable


def build_registry(native_tables, special_tables) -> dict:
    """{NAME: Native | Special} from the function modules' tables (native: (origin, table,
    alternating); special: (origin, table)); a name defined twice, in one table and another,
    is refused (the registry must never silently pick one)."""
    registry = {}

    def add(name, entry, origin):
        if name in registry:
            raise ValueError("function %s registered twice (%s, %s)" % (name, registry[name][1], origin))
        registry[name] = (entry, origin)

    for origin, table, alternating in native_tables:
        for name, (fn, modes, lifts) in table.items():
            add(name, Native(fn, modes, lifts, alternating.get(name)), origin)
    for origin, table in special_tables:
        for name, build in table.items():
            add(name, Special(build), origin)
    return {name: entry for name, (entry, _) in registry.items()}


REGISTRY = build_registry(_fx.NATIVE_TABLES, (("specials", specials.SPECIAL), ("grouping", grouping.SPECIAL)))
