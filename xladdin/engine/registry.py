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

from collections.abc import Mapping
from typing import Callable, NamedTuple

from . import functions as _fx
from . import grouping, specials
from .functions.index import INDEX

__all__ = ["Native", "Special", "REGISTRY", "Registry", "build_registry"]


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


class Registry(Mapping):
    """{NAME: Native | Special}, as `build_registry` makes it, with each module of native
    functions imported when a name it defines is first asked for: ``index`` (NAME -> module)
    says which one, ``table(module)`` gives its (origin, FUNCTIONS, ALTERNATING).

    Names are refused twice as `build_registry` refuses them: ``index`` gives each native
    name one module, a special form may not be one of them, and a module that defines a
    name ``index`` gives to another module (or to none) is refused when it loads."""

    def __init__(self, index: dict, table: Callable, special_tables) -> None:
        self._index = index
        self._table = table
        self._entries = build_registry((), special_tables)
        for name in self._entries:
            if name in index:
                raise ValueError("function %s registered twice (%s, special form)" % (name, index[name]))
        self._loaded: set = set()

    def __getitem__(self, name: str):
        entry = self._entries.get(name)
        if entry is None:
            self._load(self._index[name])
            entry = self._entries[name]
        return entry

    def _load(self, module: str) -> None:
        if module in self._loaded:
            return
        origin, table, alternating = self._table(module)
        for name, (fn, modes, lifts) in table.items():
            if self._index.get(name) != origin:
                raise ValueError("function %s of %s is listed under %s in functions.index: rewrite it with "
                                 "scripts/function_index" % (name, origin, self._index.get(name)))
            self._entries[name] = Native(fn, modes, lifts, alternating.get(name))
        self._loaded.add(module)

    def __contains__(self, name) -> bool:
        return name in self._index or name in self._entries

    def __iter__(self):
        yield from self._index
        yield from (name for name in list(self._entries) if name not in self._index)

    def __len__(self) -> int:
        return len(self._index) + sum(1 for name in self._entries if name not in self._index)


REGISTRY = Registry(INDEX, _fx.native_table, (("specials", specials.SPECIAL), ("grouping", grouping.SPECIAL)))
