"""The headless formula engine (see `legacy` while the new core lands)."""
from .legacy import *  # noqa: F401,F403
from .legacy import _STANDIN_CATALOGUE  # noqa: F401
