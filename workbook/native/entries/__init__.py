"""One native translation per catalogue function, registered by name.

A translation takes the helper :class:`~workbook.native.program.Program` and the call's
arguments (:class:`~workbook.native.program.NativeArg`) and returns the score and note
expressions (:class:`~workbook.native.program.Outcome`). It mirrors the catalogue entry
(``udfs.catalogue``): the same argument reading in the same order (the first error wins),
the same checks, the rule in exact integer arithmetic, the same note.
"""
from __future__ import annotations

import importlib
from typing import Callable, Sequence

from ..program import NativeArg, Outcome, Program

Translation = Callable[[Program, Sequence[NativeArg]], Outcome]

#: Catalogue function name → its native translation.
TRANSLATIONS: dict[str, Translation] = {}

#: The modules that hold translations, by the kind of rule.
MODULES = ("general", "money", "funds", "schedule", "outcomes", "people")


class NativeUnsupported(ValueError):
    """A framework calls a function (or passes an argument) the native template cannot express."""


def translation(name: str) -> Callable[[Translation], Translation]:
    def register(function: Translation) -> Translation:
        if name in TRANSLATIONS:
            raise ValueError(f"two native translations of {name}")
        TRANSLATIONS[name] = function
        return function

    return register


_loaded = False


def _load() -> None:
    global _loaded
    if _loaded:
        return
    for module in MODULES:
        try:
            importlib.import_module(f"{__name__}.{module}")
        except ModuleNotFoundError as error:
            if error.name != f"{__name__}.{module}":
                raise
    _loaded = True


def translate(program: Program, function: str, args: Sequence[NativeArg]) -> Outcome:
    """The native score and note of ``function(args)``; NativeUnsupported if there is none."""
    _load()
    try:
        chosen = TRANSLATIONS[function]
    except KeyError:
        raise NativeUnsupported(f"函数 {function} 没有原生公式版本（no native translation of {function}）") from None
    return chosen(program, args)


def supported() -> frozenset[str]:
    _load()
    return frozenset(TRANSLATIONS)
