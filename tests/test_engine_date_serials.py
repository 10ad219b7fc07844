"""Excel's date serials, converted in one place (xladdin/xlsx/serials.py) for cell values,
TODAY/NOW, text dates in arithmetic and write-back.  Expected values: Microsoft's "DATE
function" and "Date systems in Excel" pages (1900-01-01 is 1, 2024-01-15 is 45306, the 1904
system is 1,462 days behind)."""

import datetime as dt

from function_checks import assert_value, calc
from xladdin.engine import calculate
from xladdin.xlsx.serials import calendar_day, to_serial


def test_serials_of_dates_datetimes_and_times():
    assert to_serial(dt.date(1900, 1, 1)) == 1.0
    assert to_serial(dt.date(1900, 2, 28)) == 59.0
    assert to_serial(dt.date(1900, 3, 1)) == 61.0       # after Excel's 1900-02-29 (serial 60)
    assert to_serial(dt.date(2024, 1, 15)) == 45306.0
    assert to_serial(dt.date(2024, 1, 15), date1904=True) == 45306.0 - 1462
    assert to_serial(dt.datetime(2024, 1, 15, 18, 0)) == 45306.75
    assert to_serial(dt.time(6, 0)) == 0.25
    assert calendar_day(60) == (1900, 2, 29, 3)      # a Wednesday (WEEKDAY(60) is 4), 0 = Sunday
    assert calendar_day(45306)[:3] == (2024, 1, 15)
    assert calendar_day(0, date1904=True)[:3] == (1904, 1, 1)


def test_cell_dates_and_text_dates_follow_the_workbook_date_system():
    for date1904, serial in ((False, 45306.0), (True, 45306.0 - 1462)):
        result = calculate({("S", "A1"): dt.date(2024, 1, 15)},
                           {("S", "B1"): "A1+0", ("S", "B2"): '"2024-01-15"+0', ("S", "B3"): "DATE(2024,1,15)"},
                           date1904=date1904)
        for cell in ("B1", "B2", "B3"):
            assert_value(cell, result.values[("S", cell)], serial)


def test_today_in_either_date_system():
    now = dt.datetime(2024, 1, 15, 18, 0)
    assert calculate({}, {("S", "A1"): "TODAY()"}, now=now).values[("S", "A1")] == 45306.0
    assert calculate({}, {("S", "A1"): "NOW()"}, now=now, date1904=True).values[("S", "A1")] == 43844.75
    assert calc("DATE(1900,1,1)") == 1.0
