"""Why a formula cannot be compiled: raised while compiling, it keeps the file's value."""

from __future__ import annotations

__all__ = ["CompileFailure", "NotComputedHere", "arity_failure"]


class CompileFailure(Exception):
    """The formula cannot be compiled; ``reason_zh`` says why, ``kind`` classifies it."""

    def __init__(self, reason_zh: str, kind: str = "unsupported"):
        super().__init__(reason_zh)
        self.reason_zh = reason_zh
        self.kind = kind


def arity_failure(name: str) -> CompileFailure:
    return CompileFailure("函数 %s 的参数个数不对，保留文件中的值" % name, "parse")


class NotComputedHere(Exception):
    """Raised while a formula runs: this cell's value depends on something the engine does not
    reproduce (GROUPBY headers it would have to guess ...); the cell keeps the file's value."""

    def __init__(self, reason_zh: str):
        super().__init__(reason_zh)
        self.reason_zh = reason_zh
