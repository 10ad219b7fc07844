"""``xladdin install``: point the classic xlwings add-in at this Python and at ``udfs``.

xlwings reads ``~/.xlwings/xlwings.conf``: one setting a line, ``"KEY","value"``.
We set only what we own – ``UDF MODULES`` and the interpreter – and leave every
other line (a license key, a conda setting, comments) exactly as it was.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Optional

from . import files

UDF_MODULES_KEY = "UDF MODULES"
_LINE = re.compile(r'^\s*"([^"]*)"\s*,\s*"([^"]*)"\s*$')


def default_config_path() -> Path:
    if sys.platform.startswith("darwin"):
        return Path.home() / "Library/Containers/com.microsoft.Excel/Data/xlwings.conf"
    return Path.home() / ".xlwings" / "xlwings.conf"


def on_windows() -> bool:
    """Classic xlwings UDFs (Import Functions) run only in Windows Excel."""
    return sys.platform.startswith("win")


def interpreter_key() -> str:
    return "INTERPRETER_MAC" if sys.platform.startswith("darwin") else "INTERPRETER_WIN"


def _merged_modules(existing: Optional[str]) -> str:
    """Adds ``udfs`` to a ``;``-separated module list without dropping the user's own modules."""
    modules = [m.strip() for m in (existing or "").split(";") if m.strip()]
    return ";".join(modules if "udfs" in modules else modules + ["udfs"])


def updated_config(text: str, settings: dict[str, str]) -> str:
    """``text`` with ``settings`` replaced in place or appended; every other line untouched."""
    pending = dict(settings)
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        match = _LINE.match(line)
        if match and match.group(1).upper() in pending:
            key = match.group(1)
            ending = "\n" if line.endswith("\n") else ""
            lines[i] = f'"{key}","{pending.pop(key.upper())}"{ending}'
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    lines += [f'"{key}","{value}"\n' for key, value in pending.items()]
    return "".join(lines)


def current_settings(text: str) -> dict[str, str]:
    return {m.group(1).upper(): m.group(2) for m in map(_LINE.match, text.splitlines()) if m}


def install(config_path: Optional[Path] = None, interpreter: Optional[str] = None) -> tuple[Path, dict[str, str]]:
    """Writes the settings atomically; returns the path and what was set."""
    path = config_path or default_config_path()
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    settings = {
        UDF_MODULES_KEY: _merged_modules(current_settings(text).get(UDF_MODULES_KEY)),
        interpreter_key(): interpreter or sys.executable,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    files.atomic_write(path, [updated_config(text, settings).encode("utf-8")])
    return path, settings
