"""The framework workbook: framework definitions (TOML) → validated model → .xlsx template.

* ``load_framework(name_or_path)`` / ``list_frameworks()`` — definitions in
  ``workbook/frameworks/*.toml`` (format: see the header of ``longgang_2020.toml``);
* ``build_template(framework, path, values=None, department=None)`` — the Excel workbook
  (评分表 / 基础数据 / 得分汇总 / xlwings.conf) whose cells call the ``udfs`` functions;
* ``score_in_python(framework, inputs)`` — the same scores computed by calling ``udfs``
  directly (no Excel);
* ``load_example(name)`` — example input values (``workbook/examples/*.toml``).
"""
from .framework import (
    Framework,
    FrameworkError,
    check_values,
    list_examples,
    list_frameworks,
    load_example,
    load_framework,
    score_in_python,
)



def __getattr__(name):
    # the builder (openpyxl) is loaded only when a workbook is built: recalc and audit
    # read frameworks without it
    if name in ("build_template", "build_workbook"):
        from . import builder

        return getattr(builder, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "load_framework",
    "list_frameworks",
    "build_template",
    "build_workbook",
    "score_in_python",
    "FrameworkError",
    "Framework",
    "load_example",
    "list_examples",
    "check_values",
]
