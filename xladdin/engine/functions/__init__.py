"""Native Excel functions, grouped by Excel's categories; `NATIVES` is the one registry."""
from ._legacy import *  # noqa: F401,F403
from ._legacy import NATIVES, OPERATORS, arg_mode, mode_for, make_formulas_function, from_formulas, to_formulas  # noqa: F401
