"""部门整体支出绩效评价 scoring functions for Excel.

``UDF Modules = udfs`` in xlwings finds every function here under its Excel name
(``=SCORE_PROCUREMENT(C5,D5)``). The contract: ../shared/spec/functions.md.

Layers, each importing only the ones before it (stdlib only, no Excel, no I/O):
``errors`` → ``rules`` (exact rationals, truncation) → ``coerce`` (cells → values) →
``notes`` (Chinese text) → ``catalogue`` (one entry per function) → ``functions``.
"""
from .errors import DIV0, ERROR_LITERALS, NA, VALUE
from .functions import *  # noqa: F401,F403 - every Excel function under its Excel name
from .functions import CATALOGUE

__all__ = sorted(CATALOGUE) + ["CATALOGUE", "ERROR_LITERALS", "NA", "VALUE", "DIV0"]
