"""REGEXTEST, REGEXEXTRACT, REGEXREPLACE.

Excel's patterns are PCRE2; Python's `re` reads the common core the same way. The PCRE2
spellings `re` lacks are translated: a named group ``(?<name>...)`` and ``\\k<name>``, and a
replacement's ``$1``, ``${1}``, ``${name}`` and ``$$``. A pattern `re` cannot read is
#VALUE!, as Excel gives for an invalid pattern. ``case_sensitivity`` 0 (the default) is
case-sensitive, 1 is not.
"""

from __future__ import annotations

import functools
import re

from ._args import NA, VALUE, Arr, text_result
from ._declare import declared

_NAMED_GROUP = re.compile(r"(?<!\\)\(\?<(?![=!])")
_BACKREF = re.compile(r"\\k<(\w+)>")


@functools.lru_cache(maxsize=256)
def _compiled(pattern, insensitive):
    translated = _BACKREF.sub(r"(?P=\1)", _NAMED_GROUP.sub("(?P<", pattern))
    try:
        return re.compile(translated, re.IGNORECASE if insensitive else 0)
    except (re.error, OverflowError):
        return None


def _pattern(pattern, case_sensitivity):
    mode = int(case_sensitivity)
    if mode not in (0, 1):
        return VALUE
    rx = _compiled(pattern, mode == 1)
    return VALUE if rx is None else rx


def _regextest(text, pattern, case_sensitivity=0.0):
    rx = _pattern(pattern, case_sensitivity)
    if rx is VALUE:
        return rx
    return rx.search(text) is not None


def _regexextract(text, pattern, return_mode=0.0, case_sensitivity=0.0):
    rx = _pattern(pattern, case_sensitivity)
    if rx is VALUE:
        return rx
    mode = int(return_mode)
    if mode == 0:
        m = rx.search(text)
        return NA if m is None else m.group(0)
    if mode == 1:
        found = [m.group(0) for m in rx.finditer(text)]
        if not found:
            return NA
        return Arr(tuple((s,) for s in found))
    if mode == 2:
        m = rx.search(text)
        if m is None:
            return NA
        groups = m.groups() or (m.group(0),)
        return Arr((tuple("" if g is None else g for g in groups),))
    return VALUE


_DOLLAR = re.compile(r"\$(?:\$|(\d+)|\{(\w+)\})")


def _expand(replacement, m):
    """A PCRE2 replacement (``$1``, ``${name}``, ``$$``) for one match; None: no such group."""
    out = []
    pos = 0
    for d in _DOLLAR.finditer(replacement):
        out.append(replacement[pos:d.start()])
        pos = d.end()
        if d.group(0) == "$$":
            out.append("$")
            continue
        key = d.group(1) or d.group(2)
        try:
            g = m.group(int(key) if key.isdigit() else key)
        except IndexError:
            return None
        out.append(g or "")
    out.append(replacement[pos:])
    return "".join(out)


def _regexreplace(text, pattern, replacement, occurrence=0.0, case_sensitivity=0.0):
    rx = _pattern(pattern, case_sensitivity)
    if rx is VALUE:
        return rx
    matches = list(rx.finditer(text))
    n = int(occurrence)
    if n == 0:
        chosen = matches
    else:
        k = n - 1 if n > 0 else len(matches) + n
        chosen = [matches[k]] if 0 <= k < len(matches) else []
    out = []
    pos = 0
    for m in chosen:
        rep = _expand(replacement, m)
        if rep is None:
            return VALUE
        out.append(text[pos:m.start()])
        out.append(rep)
        pos = m.end()
    out.append(text[pos:])
    return text_result("".join(out))


FUNCTIONS = {
    "REGEXTEST": declared("text, text, number=0", _regextest),
    "REGEXEXTRACT": declared("text, text, number=0, number=0", _regexextract),
    "REGEXREPLACE": declared("text, text, text, number=0, number=0", _regexreplace),
}
