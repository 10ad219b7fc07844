"""Excel's date serial numbers, the one place that converts them.

A serial counts days: in the 1900 date system serial 1 is 1900-01-01 and Excel keeps the
1900-02-29 that never was (serial 60), so every later date is one more than its distance
from 1899-12-31 and the serials of January and February 1900 are that distance itself; in
the 1904 system (``date1904``, older Mac workbooks) serial 0 is 1904-01-01. The fraction is
the time of day.
"""

from __future__ import annotations

import datetime as _dt

__all__ = ["to_serial", "calendar_day"]

_EPOCH_1900 = _dt.datetime(1899, 12, 30)   # for dates from 1900-03-01 on
_EPOCH_1904 = _dt.datetime(1904, 1, 1)
_FIRST_REAL_1900 = _dt.datetime(1900, 3, 1)


def to_serial(value, date1904: bool = False) -> float:
    """The serial of a ``datetime.date``, ``datetime.datetime`` (its time zone ignored) or
    ``datetime.time`` (a fraction of a day)."""
    if isinstance(value, _dt.time):
        return (value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6) / 86400.0
    if not isinstance(value, _dt.datetime):
        value = _dt.datetime(value.year, value.month, value.day)
    value = value.replace(tzinfo=None)
    serial = (value - (_EPOCH_1904 if date1904 else _EPOCH_1900)) / _dt.timedelta(days=1)
    if not date1904 and value < _FIRST_REAL_1900:
        serial -= 1.0
    return serial


def calendar_day(day: int, date1904: bool = False):
    """(year, month, day, weekday 0=Sunday) that Excel shows for a whole serial, with the 1900
    system's 1900-01-00 (serial 0) and 1900-02-29 (serial 60)."""
    if date1904:
        d = _dt.date(1904, 1, 1) + _dt.timedelta(days=day)
        return d.year, d.month, d.day, (day + 5) % 7
    weekday = (day + 6) % 7       # Excel counts 1900-01-01 as a Sunday
    if day == 0:
        return 1900, 1, 0, weekday
    if day == 60:
        return 1900, 2, 29, weekday
    d = _dt.date(1899, 12, 31 if day < 60 else 30) + _dt.timedelta(days=day)
    return d.year, d.month, d.day, weekday
