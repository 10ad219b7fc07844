"""``xl/workbook.xml`` written back: only ``fullCalcOnLoad`` leaves ``<calcPr>``.

With it, Excel without the add-in recalculates on opening and shows ``#NAME?`` for every
scoring formula instead of the stored values; every other byte stays as it was.
"""

from __future__ import annotations

from .xmltext import _ATTR_RE, _CALCPR_RE, _TAG_RE


def without_full_calc(data: bytes) -> bytes | None:
    """workbook.xml without fullCalcOnLoad="1" on <calcPr>, or None if absent."""
    m = _CALCPR_RE.search(data)
    if m is None:
        return None
    tm = _TAG_RE.match(data, m.start())
    if tm is None:
        return None
    for am in _ATTR_RE.finditer(tm.group()):
        if am.group(2) == b"fullCalcOnLoad":
            if am.group(4)[1:-1].strip() not in (b"1", b"true"):
                return None
            s = tm.start() + am.start()
            e = tm.start() + am.end()
            return data[:s] + data[e:]
    return None
