"""The functions xlwings Server registers with Excel: the catalogue, unchanged.

xlwings Server imports this package as ``custom_functions`` and registers every member
that carries xlwings metadata (``__xlfunc__``). ``udfs.functions`` attaches that metadata
only when xlwings is already loaded, hence the order of the imports.
"""
import xlwings  # noqa: F401 - must come before udfs

import udfs.functions

_undecorated = sorted(name for name, function in udfs.functions.CATALOGUE.items() if not hasattr(function, "__xlfunc__"))
if _undecorated:
    raise ImportError(
        "udfs was imported before xlwings, so its functions carry no xlwings metadata: "
        + ", ".join(_undecorated[:3])
    )

globals().update(udfs.functions.CATALOGUE)
__all__ = sorted(udfs.functions.CATALOGUE)
