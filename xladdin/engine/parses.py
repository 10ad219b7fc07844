"""Parsed formulas kept between runs, in the user's cache folder.

A template's formulas are the same, in the same cells, in every copy, and parsing them was
a third of the work of recalculating one workbook: the trees of the last runs are kept in
one file and used again. A tree is kept under its exact text and cell (a tree's references
are relative to its cell). The file belongs to one parser and one Python: the sizes and
times of the parser's source files head it, and a file for another is not read. Anything
unreadable is ignored and anything unwritable left unwritten: the cache is never an error,
and never a different result.

The file is trusted as Python trusts its own bytecode (also marshal): it sits in a folder only
the user writes to.

``XLADDIN_CACHE_DIR`` moves the folder (default: ``%LOCALAPPDATA%\\xladdin`` on Windows,
``$XDG_CACHE_HOME/xladdin`` or ``~/.cache/xladdin`` elsewhere); ``XLADDIN_CACHE=0`` turns
the cache off.
"""

from __future__ import annotations

import marshal
import os
import sys

from ..files import atomic_write
from . import parser as _parser
from . import values as _values
from ..xlsx import refs as _refs

__all__ = ["KeptParses", "KEPT_PARSES", "cache_folder"]

_FORMAT = b"xladdin kept parses 1\n"
#: trees kept in the file at most, the newest: a template has one to two hundred formulas and
#: names, and reading a kept tree costs a seventh of parsing it (600 are read in about 4 ms)
_MAX_KEPT = 600
#: saves per process at most (a batch of one template saves after its first workbook)
_MAX_SAVES = 3


def cache_folder() -> str | None:
    """Where the cache lives, or None when it is turned off."""
    if os.environ.get("XLADDIN_CACHE", "1").strip() in ("0", "false", "no", "off"):
        return None
    moved = os.environ.get("XLADDIN_CACHE_DIR")
    if moved:
        return moved
    if os.name == "nt":
        base = os.environ.get("LOCALAPPDATA") or os.path.join(os.path.expanduser("~"), "AppData", "Local")
    else:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "xladdin")


def _stamp() -> bytes:
    """This parser: its source files' sizes and times (the parser and the two modules it
    imports), and the Python that runs it."""
    parts = [sys.implementation.cache_tag]
    for module in (_parser, _values, _refs):
        st = os.stat(module.__file__)
        parts.append(f"{os.path.basename(module.__file__)}:{st.st_size}:{st.st_mtime_ns}")
    return "|".join(parts).encode() + b"\n"


def _marshalable(tree) -> bool:
    try:
        marshal.dumps(tree)  # an error literal (#N/A) is an ErrorValue, which marshal cannot hold
        return True
    except ValueError:
        return False


class KeptParses:
    """`parser.parse`, answered from the kept trees when it can; `save` keeps the new ones."""

    def __init__(self) -> None:
        self._kept: dict | None = None
        self._new: dict = {}
        self._saves = 0
        self._head = b""
        self._path: str | None = None

    def parse(self, text: str, row: int = 1, col: int = 1):
        if self._kept is None:
            self._load()
        key = (text, row, col)
        tree = self._kept.get(key)
        if tree is None:
            tree = _parser.parse(text, row, col)  # a ParseFailure is raised, and nothing kept
            self._new[key] = tree
        return tree

    def _load(self) -> None:
        self._kept = {}
        folder = cache_folder()
        if folder is None:
            return
        try:
            self._path = os.path.join(folder, f"formulas-{sys.implementation.cache_tag}.marshal")
            self._head = _FORMAT + _stamp()
            with open(self._path, "rb") as fh:
                data = fh.read()
        except (OSError, ValueError):
            return
        if data.startswith(self._head):
            try:
                kept = marshal.loads(data[len(self._head):])
            except (ValueError, EOFError, TypeError):
                return
            if type(kept) is dict:
                self._kept = kept

    def save(self) -> None:
        """Keep the trees parsed since the last save (silently not, where that fails)."""
        if not self._new or self._path is None or self._saves >= _MAX_SAVES:
            self._new.clear()
            return
        if len(self._new) > _MAX_KEPT:
            # a big workbook of formulas of its own: keeping its trees would push the
            # templates' out, and reading them would cost more than it saves
            self._new.clear()
            return
        self._saves += 1
        parsed = list(self._new.items())  # taken at once: a caller's thread may parse meanwhile
        self._new.clear()
        new = {key: tree for key, tree in parsed if _marshalable(tree)}
        kept = {key: tree for key, tree in (self._kept or {}).items() if key not in new}
        kept.update(new)
        if len(kept) > _MAX_KEPT:
            kept = dict(list(kept.items())[-_MAX_KEPT:])  # the newest
        self._kept = kept
        try:
            os.makedirs(os.path.dirname(self._path), exist_ok=True)
            atomic_write(self._path, (self._head, marshal.dumps(kept)))
        except (OSError, ValueError):  # FileWriteError is an OSError: the cache is never an error
            pass


#: the process's kept parses (`recalculate_package` parses through it)
KEPT_PARSES = KeptParses()
