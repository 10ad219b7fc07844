"""Cell references and shared-formula shifting (pure string work, no XML)."""

from __future__ import annotations

import re
from functools import lru_cache

from udfs.errors import ERROR_LITERALS

#: Excel's sheet size
MAX_ROW = 1_048_576
MAX_COL = 16_384

# --------------------------------------------------------------------------
# Cell references and shared-formula shifting
# --------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def column_letters(n: int) -> str:
    """1 -> "A", 28 -> "AB"."""
    s = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def column_number(letters: str) -> int:
    """"A" -> 1, "ab" -> 28."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


_REF_RE = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})\Z")


def split_ref(ref: str) -> tuple[int, int]:
    """"B3" -> (row 3, column 2).  Raises ValueError for anything else."""
    m = _REF_RE.match(ref)
    if not m:
        raise ValueError(f"not a cell reference: {ref!r}")
    return int(m.group(2)), column_number(m.group(1))


_CELL_WORD = re.compile(r"(\$?)([A-Za-z]{1,3})(\$?)([1-9][0-9]{0,6})\Z")
_COL_WORD = re.compile(r"(\$?)([A-Za-z]{1,3})\Z")
_NOT_NAME_AFTER = r"(?![\w.$(\[!?\\])"
_COL_AFTER = re.compile(r":(\$?)([A-Za-z]{1,3})" + _NOT_NAME_AFTER)
_ROW_RANGE = re.compile(r"(\$?)([0-9]{1,7}):(\$?)([0-9]{1,7})" + _NOT_NAME_AFTER)
_NUMBER = re.compile(r"[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?|[0-9]+\.?")
_NAME_CHARS = frozenset("_.\\?$")


def _is_name_char(ch: str) -> bool:
    return ch.isalnum() or ch in _NAME_CHARS


def _skip_quoted(s: str, i: int, q: str) -> int:
    """Index just past the quoted run starting at s[i] == q ("" / '' escapes)."""
    n = len(s)
    j = i + 1
    while j < n:
        if s[j] == q:
            if j + 1 < n and s[j + 1] == q:
                j += 2
                continue
            return j + 1
        j += 1
    return n


def bracket_group_end(s: str, i: int) -> int | None:
    """Index just past the [...] group starting at s[i] (nested; ' escapes), None if unclosed."""
    depth = 0
    n = len(s)
    j = i
    while j < n:
        ch = s[j]
        if ch == "'":
            j += 2
            continue
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return None


def _compile_formula(f: str) -> tuple:
    """Split a formula into literal text and relocatable references.

    Returns a tuple of pieces: ``str`` (copied as is), ``("C", col_abs, col,
    row_abs, row)`` for a cell, ``("K", abs, col)`` for one end of a column
    range and ``("R", abs, row)`` for one end of a row range.
    """
    pieces: list = []
    lit: list[str] = []
    i = 0
    n = len(f)

    def flush() -> None:
        if lit:
            pieces.append("".join(lit))
            lit.clear()

    while i < n:
        ch = f[i]
        if ch == '"' or ch == "'":
            j = _skip_quoted(f, i, ch)
            lit.append(f[i:j])
            i = j
        elif ch == "[":
            j = bracket_group_end(f, i) or n
            lit.append(f[i:j])
            i = j
        elif ch == "#":
            for e in ERROR_LITERALS:
                if f.startswith(e, i):
                    lit.append(e)
                    i += len(e)
                    break
            else:
                lit.append(ch)
                i += 1
        elif ch.isdigit() or ch == "." or (ch == "$" and i + 1 < n and f[i + 1].isdigit()):
            m = _ROW_RANGE.match(f, i)
            if m:
                flush()
                pieces.append(("R", m.group(1) == "$", int(m.group(2))))
                pieces.append(":")
                pieces.append(("R", m.group(3) == "$", int(m.group(4))))
                i = m.end()
                continue
            m = _NUMBER.match(f, i)
            if m and m.end() > i:
                lit.append(m.group())
                i = m.end()
            else:
                lit.append(ch)
                i += 1
        elif ch.isalpha() or ch in "_\\$":
            j = i + 1
            while j < n and _is_name_char(f[j]):
                j += 1
            word = f[i:j]
            nxt = f[j] if j < n else ""
            if nxt in ("(", "!", "["):  # function, sheet name, table name
                lit.append(word)
                i = j
                continue
            m = _CELL_WORD.match(word)
            if m:
                col = column_number(m.group(2))
                row = int(m.group(4))
                if col <= MAX_COL and row <= MAX_ROW:
                    flush()
                    pieces.append(("C", m.group(1) == "$", col, m.group(3) == "$", row))
                    i = j
                    continue
            if nxt == ":":
                m = _COL_WORD.match(word)
                m2 = _COL_AFTER.match(f, j) if m else None
                if m2:
                    c1 = column_number(m.group(2))
                    c2 = column_number(m2.group(2))
                    if c1 <= MAX_COL and c2 <= MAX_COL:
                        flush()
                        pieces.append(("K", m.group(1) == "$", c1))
                        pieces.append(":")
                        pieces.append(("K", m2.group(1) == "$", c2))
                        i = m2.end()
                        continue
            lit.append(word)
            i = j
        else:
            lit.append(ch)
            i += 1
    flush()
    return tuple(pieces)


def _shift_limits(pieces: tuple) -> tuple[int, int, int, int]:
    """The moves (lowest and highest row shift, lowest and highest column shift) that keep
    every relative reference of ``pieces`` on the sheet: a move outside them makes #REF!."""
    low_r, high_r, low_c, high_c = -MAX_ROW, MAX_ROW, -MAX_COL, MAX_COL
    for p in pieces:
        if type(p) is str:
            continue
        kind = p[0]
        if kind == "C":
            _, cabs, col, rabs, row = p
        elif kind == "K":
            _, cabs, col = p
            rabs, row = True, 1
        else:
            _, rabs, row = p
            cabs, col = True, 1
        if not cabs:
            low_c, high_c = max(low_c, 1 - col), min(high_c, MAX_COL - col)
        if not rabs:
            low_r, high_r = max(low_r, 1 - row), min(high_r, MAX_ROW - row)
    return low_r, high_r, low_c, high_c


def _render_formula(pieces: tuple, drow: int, dcol: int) -> str:
    out = []
    for p in pieces:
        if type(p) is str:
            out.append(p)
            continue
        kind = p[0]
        if kind == "C":
            _, cabs, col, rabs, row = p
            if not cabs:
                col += dcol
            if not rabs:
                row += drow
            if 1 <= col <= MAX_COL and 1 <= row <= MAX_ROW:
                out.append(("$" if cabs else "") + column_letters(col) + ("$" if rabs else "") + str(row))
            else:
                out.append("#REF!")
        elif kind == "K":
            _, cabs, col = p
            if not cabs:
                col += dcol
            out.append(("$" if cabs else "") + column_letters(col) if 1 <= col <= MAX_COL else "#REF!")
        else:
            _, rabs, row = p
            if not rabs:
                row += drow
            out.append(("$" if rabs else "") + str(row) if 1 <= row <= MAX_ROW else "#REF!")
    return "".join(out)


def shift_formula(formula: str, rows: int, cols: int) -> str:
    """Move a formula's relative references by ``rows`` and ``cols``.

    This is how a shared formula reaches its other cells: ``$`` parts stay,
    sheet-qualified references move too, text in string literals, function
    names, defined names and table references are left alone.  A reference
    pushed off the sheet becomes ``#REF!``.
    """
    return _render_formula(_compile_formula(formula), rows, cols)

