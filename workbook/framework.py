"""Framework definitions: load, validate and score in Python — the one import for them.

A framework (指标体系框架) is a TOML file in ``workbook/frameworks/`` describing the
first-, second- and third-level indicators of a 部门整体支出绩效评价 table, the texts of
its 指标说明 / 参考评分标准 columns, the inputs each third-level indicator needs and the
catalogue formula that scores it (see the header of ``frameworks/longgang_2020.toml``
for the format, and of ``frameworks/variant_linear_staff.toml`` for ``extends``).

``load_framework`` returns a validated :class:`Framework`; any problem raises
:class:`FrameworkError` whose message names the file, the indicator and the problem.
``score_in_python`` evaluates every indicator by calling the ``udfs`` functions directly
(the same functions Excel calls through xlwings), with the same guarded subtotals as the
generated workbook.

Each concern has its module; this one gathers them:

* `model` — the indicators, inputs and the formula each template cell gets;
* `names` — the template's layout as defined names (also read back from a workbook);
* `loading` — files by name or path, ``extends``; `validation` — every field checked;
* `formulas` — score formulas parsed into calls, and the template's guards;
* `printing` — 整改情况 and the invisible characters of the printed note;
* `values` — points and numbers as text; `scoring` — values checked, scores in Python.
"""
from __future__ import annotations

from .formulas import (
    NOT_APPLICABLE_PARAMS,
    NOT_APPLICABLE_WORD,
    OUTSIDE_TABLE,
    Arg,
    Call,
    Guard,
    import_udfs,
    parse_call,
    table_number_columns,
)
from .loading import EXAMPLES_DIR, FRAMEWORKS_DIR, PACKAGE_DIR, list_examples, list_frameworks, load_example, load_framework
from .model import (
    COLUMN_KINDS,
    DEFAULT_UNITS,
    DIRECTION_WORDS,
    FLAG_WORDS,
    INPUT_KINDS,
    STATUS_WORDS,
    Column,
    Framework,
    FrameworkError,
    Indicator,
    Input,
    Item,
    Level1,
    Level2,
)
from .names import (
    FRAMEWORK_PROPERTY,
    REMEDY_NAME_SUFFIX,
    RESERVED_NAMES,
    SCORE_NAME_SUFFIX,
    SUBTOTAL_NAME_PREFIX,
    remedy_name,
    score_name,
    subtotal_name,
)
from .printing import (
    NOTE_BREAKS_AFTER,
    NOTE_MARK,
    NOTE_PRINT_JOINS,
    NOTE_UNITS,
    REMEDY_HELP,
    REMEDY_LABEL,
    REMEDY_PREFIX,
    REMEDY_SEPARATOR,
    WORD_JOINER,
    ZERO_WIDTH_SPACE,
    note_with_remedy,
    plain_note,
    printed_note,
    printed_note_formula,
)
from .scoring import check_values, score_in_python, sum_scores
from .values import format_number

__all__ = [
    "FrameworkError",
    "Framework",
    "Level1",
    "Level2",
    "Indicator",
    "Input",
    "Item",
    "Column",
    "Call",
    "Arg",
    "load_framework",
    "list_frameworks",
    "load_example",
    "list_examples",
    "check_values",
    "score_in_python",
    "sum_scores",
    "Guard",
    "NOT_APPLICABLE_WORD",
    "NOT_APPLICABLE_PARAMS",
    "OUTSIDE_TABLE",
    "FRAMEWORKS_DIR",
    "EXAMPLES_DIR",
    "PACKAGE_DIR",
    "FRAMEWORK_PROPERTY",
    "score_name",
    "subtotal_name",
    "remedy_name",
    "SCORE_NAME_SUFFIX",
    "SUBTOTAL_NAME_PREFIX",
    "REMEDY_NAME_SUFFIX",
    "RESERVED_NAMES",
    "note_with_remedy",
    "printed_note",
    "printed_note_formula",
    "plain_note",
    "NOTE_PRINT_JOINS",
    "NOTE_MARK",
    "NOTE_UNITS",
    "NOTE_BREAKS_AFTER",
    "WORD_JOINER",
    "ZERO_WIDTH_SPACE",
    "REMEDY_LABEL",
    "REMEDY_HELP",
    "REMEDY_PREFIX",
    "REMEDY_SEPARATOR",
    "INPUT_KINDS",
    "COLUMN_KINDS",
    "DEFAULT_UNITS",
    "FLAG_WORDS",
    "STATUS_WORDS",
    "DIRECTION_WORDS",
    "format_number",
    "import_udfs",
    "parse_call",
    "table_number_columns",
]
