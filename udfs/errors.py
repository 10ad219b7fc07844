"""Excel error values and the domain error that carries a Chinese reason.

Stdlib only: this module is part of the pure core (it also runs under Pyodide).
"""
from __future__ import annotations

NA = "#N/A"
VALUE = "#VALUE!"
DIV0 = "#DIV/0!"

#: Every error literal Excel writes (classic and Excel 365); an argument holding one propagates it.
ERROR_LITERALS = frozenset({
    "#NULL!", DIV0, VALUE, "#REF!", "#NAME?", "#NUM!", NA,
    "#GETTING_DATA", "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!",
    "#CONNECT!", "#BUSY!", "#UNKNOWN!", "#PYTHON!",
})


class DomainError(Exception):
    """A score that cannot be computed: ``literal`` is the Excel error, ``reason`` says why in Chinese."""

    def __init__(self, literal: str, reason: str) -> None:
        super().__init__(reason)
        self.literal = literal
        self.reason = reason


def missing(label: str) -> DomainError:
    return DomainError(NA, f"{label}为空，请填写")


def invalid(label: str, why: str) -> DomainError:
    return DomainError(VALUE, f"{label}{why}")


def zero_denominator(label: str, why: str = "为0，无法计算比率") -> DomainError:
    return DomainError(DIV0, f"{label}{why}")
