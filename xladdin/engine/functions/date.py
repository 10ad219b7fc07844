"""Date & time functions, in the workbook's date system (`values.context.date1904`).

Serial numbers follow Excel: in the 1900 system serial 1 is 1900-01-01 and serial 60 is the
fictitious 1900-02-29 (Lotus compatibility), so serials before 61 are one day off the real
calendar; serial 0 shows as 1900-01-00.  In the 1904 system serial 0 is 1904-01-01.
TODAY and NOW read the run's clock and belong to the engine core."""

from __future__ import annotations

import datetime as _dt
import math
import re

from .. import values as _values


def _calendar():
    import calendar  # a few date functions need it: not loaded for every workbook
    return calendar
from ..values import text_to_num, to_text
from ._args import _E, NUM, VALUE, Arr, first_error, flat, integer, nums

_ORDINAL_1899_12_30 = _dt.date(1899, 12, 30).toordinal()
_ORDINAL_1904_01_01 = _dt.date(1904, 1, 1).toordinal()
_MAX_SERIAL_1900 = 2958465.0   # 9999-12-31
_MAX_SERIAL_1904 = 2957003.0


def _date1904():
    return _values.context.date1904


def max_serial():
    return _MAX_SERIAL_1904 if _date1904() else _MAX_SERIAL_1900


def serial_of(y, m, d):
    """Excel serial of a calendar date (month may overflow; day may be any integer)."""
    y += (m - 1) // 12
    m = (m - 1) % 12 + 1
    if not 1 <= y <= 9999:
        return None
    first = _dt.date(y, m, 1).toordinal()
    if _date1904():
        return float(first - _ORDINAL_1904_01_01 + d - 1)
    s = first - _ORDINAL_1899_12_30
    if s < 61:  # before 1900-03-01 Excel counts one day fewer (its calendar has 1900-02-29)
        s -= 1
    return float(s + d - 1)


def ymd(serial):
    """(year, month, day) Excel shows for a whole serial (0 <= serial <= max)."""
    s = int(serial)
    if _date1904():
        d = _dt.date.fromordinal(_ORDINAL_1904_01_01 + s)
        return d.year, d.month, d.day
    if s == 0:
        return 1900, 1, 0
    if s == 60:
        return 1900, 2, 29
    if s < 60:
        s += 1
    d = _dt.date.fromordinal(_ORDINAL_1899_12_30 + s)
    return d.year, d.month, d.day


def to_date(serial):
    """datetime.date of a serial, for day counting; Excel's 1900-02-29 becomes 1900-03-01."""
    y, m, d = ymd(serial)
    if (m, d) == (2, 29) and not _calendar().isleap(y):
        return _dt.date(y, 3, 1)
    if d == 0:
        return _dt.date(1899, 12, 31)
    return _dt.date(y, m, d)


def days_in_month(y, m):
    if y == 1900 and m == 2 and not _date1904():
        return 29
    return _calendar().monthrange(y, m)[1]


def _weekday_serial(serial):
    """Serial in the 1900 system, so that weekday arithmetic is one formula."""
    return int(serial) + (1462 if _date1904() else 0)


# ---------------------------------------------------------------- argument reading

_MONTHS = {name: i for i, name in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}
_MONTH_WORD = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|" \
              r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_TIME_RE = re.compile(
    r"^(\d{1,5})(?::(\d{1,5}))?(?::(\d{1,5}(?:\.\d*)?))?\s*(am|pm|a|p)?$|^(\d{1,2})\s*(am|pm|a|p)$", re.I)
_DATE_PATTERNS = [
    # (regex, group order) — Excel (en-US / zh-CN locales) reads these as dates
    (re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"), "ymd"),
    (re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"), "ymd"),
    (re.compile(r"^(\d{1,2})月(\d{1,2})日$"), "md"),
    (re.compile(r"^(\d{4})年(\d{1,2})月$"), "ym"),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{1,4})$"), "mdy"),
    (re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{1,4})$"), "mdy"),
    (re.compile(r"^(\d{1,2})[/-](\d{1,2})$"), "md"),
    (re.compile(r"^(\d{1,2})[-/ ]" + _MONTH_WORD + r"\.?[-/ ,]*(\d{1,4})$", re.I), "dMy"),
    (re.compile(r"^(\d{1,2})[-/ ]" + _MONTH_WORD + r"\.?$", re.I), "dM"),
    (re.compile(r"^" + _MONTH_WORD + r"\.?[-/ ](\d{1,2})(?:st|nd|rd|th)?[, ]+(\d{1,4})$", re.I), "Mdy"),
    (re.compile(r"^" + _MONTH_WORD + r"\.?[-/ ](\d{4})$", re.I), "My"),
    (re.compile(r"^" + _MONTH_WORD + r"\.?[-/ ](\d{1,2})$", re.I), "Md"),
]


def _two_digit_year(y, text_len):
    if text_len <= 2:
        return y + (2000 if y < 30 else 1900)   # Excel's 1930 cut-over
    return y


def _parse_date_part(s):
    s = s.strip()
    today_year = _values.context.now.year
    for rx, order in _DATE_PATTERNS:
        m = rx.match(s)
        if not m:
            continue
        g = m.groups()
        if order == "ymd":
            y, mo, d = int(g[0]), int(g[1]), int(g[2])
        elif order == "ym":
            y, mo, d = int(g[0]), int(g[1]), 1
        elif order == "md":
            y, mo, d = today_year, int(g[0]), int(g[1])
        elif order == "mdy":
            y, mo, d = _two_digit_year(int(g[2]), len(g[2])), int(g[0]), int(g[1])
        elif order == "dMy":
            y, mo, d = _two_digit_year(int(g[2]), len(g[2])), _MONTHS[g[1][:3].lower()], int(g[0])
        elif order == "dM":
            y, mo, d = today_year, _MONTHS[g[1][:3].lower()], int(g[0])
        elif order == "Mdy":
            y, mo, d = _two_digit_year(int(g[2]), len(g[2])), _MONTHS[g[0][:3].lower()], int(g[1])
        elif order == "My":
            y, mo, d = int(g[1]), _MONTHS[g[0][:3].lower()], 1
        else:  # "Md"
            y, mo, d = today_year, _MONTHS[g[0][:3].lower()], int(g[1])
        if not 1 <= mo <= 12 or not 1900 <= y <= 9999 or (_date1904() and y < 1904):
            return None
        if not 1 <= d <= days_in_month(y, mo):  # "1900-02-29" is a date to Excel
            return None
        return serial_of(y, mo, d)
    return None


def _parse_time_part(s):
    m = _TIME_RE.match(s.strip())
    if not m:
        return None
    if m.group(5):
        h, mi, sec, ampm = int(m.group(5)), 0, 0.0, m.group(6)
    else:
        if m.group(2) is None and m.group(4) is None:
            return None  # a bare number is not a time
        h, mi = int(m.group(1)), int(m.group(2) or 0)
        sec, ampm = float(m.group(3) or 0), m.group(4)
    if ampm:
        if not 0 <= h <= 12:
            return None
        h = h % 12 + (12 if ampm.lower().startswith("p") else 0)
    if (mi >= 60 and m.group(3) is not None) or sec >= 60:
        return None
    return (h * 3600 + mi * 60 + sec) / 86400.0


def _datetime_parts(s):
    """(day serial or None, time fraction) of a date and/or time text, or None if neither."""
    s = s.strip()
    if not s:
        return None
    d = _parse_date_part(s)
    if d is not None:
        return d, 0.0
    t = _parse_time_part(s)
    if t is not None:
        return None, t
    # "date time": split at a space that leaves a time behind
    for m in re.finditer(r"\s+", s):
        d = _parse_date_part(s[:m.start()])
        if d is None:
            continue
        t = _parse_time_part(s[m.end():])
        if t is not None:
            return d, t
    return None


def parse_datetime_text(s):
    """Serial (with a time fraction) of a date and/or time text, or None if it is neither."""
    parts = _datetime_parts(s)
    if parts is None:
        return None
    d, t = parts
    return (d or 0.0) + t


_values.datetime_text_reader = parse_datetime_text


def date_arg(v):
    """A date argument as a serial (float, fraction kept), or an error.

    Numbers are serials; text is read as a number or a date (DATEVALUE's rules)."""
    if type(v) is Arr:
        v = v.rows[0][0] if v.rows and v.rows[0] else None
    t = type(v)
    if t is float or t is int:
        x = float(v)
    elif v is None:
        x = 0.0
    elif t is bool:
        x = 1.0 if v else 0.0
    elif t is _E:
        return v
    else:
        x = text_to_num(v)
        if type(x) is _E:
            x = parse_datetime_text(v)
            if x is None:
                return VALUE
    if x < 0 or x >= max_serial() + 1:
        return NUM
    return x


def day_arg(v):
    """A date argument truncated to its whole day."""
    x = date_arg(v)
    return x if type(x) is _E else float(math.floor(x))


# ---------------------------------------------------------------- construction & parts

def f_date(year, month, day):
    vals = nums(year, month, day)
    if type(vals) is _E:
        return vals
    y, m, d = (int(v) for v in vals)
    if y < 0 or y >= 10000:
        return NUM
    if y < 1900:
        y += 1900
    s = serial_of(y, m, d)
    if s is None or s < 0 or s > max_serial():
        return NUM
    return s


def f_datevalue(v):
    if type(v) is _E:
        return v
    if type(v) is not str:
        return VALUE  # DATEVALUE takes text only
    x = parse_datetime_text(v)
    if x is None:
        return VALUE
    x = math.floor(x)
    if x < 0 or x > max_serial():
        return VALUE
    return float(x)


def _part(index):
    def f(v):
        s = day_arg(v)
        if type(s) is _E:
            return s
        return float(ymd(s)[index])
    return f


f_year = _part(0)
f_month = _part(1)
f_day = _part(2)


def f_time(hour, minute, second):
    vals = nums(hour, minute, second)
    if type(vals) is _E:
        return vals
    h, m, s = (int(v) for v in vals)
    if max(h, m, s) > 32767:
        return NUM
    total = h * 3600 + m * 60 + s
    if total < 0:
        return NUM
    return (total % 86400) / 86400.0


def f_timevalue(v):
    if type(v) is _E:
        return v
    if type(v) is not str:
        return VALUE
    parts = _datetime_parts(v)
    if parts is None:
        return VALUE
    t = parts[1]
    return t - math.floor(t)  # "25:00" is 1:00 the next day


def _seconds_of_day(v):
    x = date_arg(v)
    if type(x) is _E:
        return x
    # Excel rounds the fraction to the nearest second before splitting it
    secs = int(math.floor((x - math.floor(x)) * 86400 + 0.5))
    return secs % 86400


def f_hour(v):
    s = _seconds_of_day(v)
    return s if type(s) is _E else float(s // 3600)


def f_minute(v):
    s = _seconds_of_day(v)
    return s if type(s) is _E else float(s // 60 % 60)


def f_second(v):
    s = _seconds_of_day(v)
    return s if type(s) is _E else float(s % 60)


# WEEKDAY return types: the day number (0 = Sunday) that counts as 1, and whether it counts from 0
_WEEKDAY_START = {1: (0, 1), 2: (1, 1), 3: (1, 0), 11: (1, 1), 12: (2, 1), 13: (3, 1), 14: (4, 1),
                  15: (5, 1), 16: (6, 1), 17: (0, 1)}


def _sunday_based(serial):
    """0 for Sunday ... 6 for Saturday (Excel: serial 1 is a Sunday)."""
    return (_weekday_serial(serial) - 1) % 7


def _day_and_return_type(v, return_type):
    """WEEKDAY and WEEKNUM: a serial and the return type (1 when omitted), or the first error."""
    s, rt = day_arg(v), 1 if return_type is None else integer(return_type)
    return first_error(s, rt) or (s, rt)


def f_weekday(v, return_type=None):
    args = _day_and_return_type(v, return_type)
    if type(args) is _E:
        return args
    s, rt = args
    if rt not in _WEEKDAY_START:
        return NUM
    start, base = _WEEKDAY_START[rt]
    return float((_sunday_based(s) - start) % 7 + base)


def f_weeknum(v, return_type=None):
    args = _day_and_return_type(v, return_type)
    if type(args) is _E:
        return args
    s, rt = args
    if rt == 21:
        return f_isoweeknum(s)
    if rt not in _WEEKDAY_START or rt == 3:
        return NUM
    start = _WEEKDAY_START[rt][0]
    jan1 = serial_of(ymd(s)[0], 1, 1)
    offset = (_sunday_based(jan1) - start) % 7
    return float((int(s) - int(jan1) + offset) // 7 + 1)


def f_isoweeknum(v):
    s = day_arg(v)
    if type(s) is _E:
        return s
    return float(to_date(s).isocalendar()[1])


# ---------------------------------------------------------------- date arithmetic

def _add_months(serial, months):
    y, m, d = ymd(serial)  # serial 0 is 1900-01-00: EDATE(0,0) is 0 in Excel
    total = y * 12 + (m - 1) + months
    y, m = divmod(total, 12)
    m += 1
    if not 1900 <= y <= 9999:
        return None
    return y, m, d


def _months_on(day_of_month):
    """EDATE and EOMONTH: the date `months` months from start, on the day that
    day_of_month(year, month, start's day) picks in the target month."""
    def excel_function(start, months):
        s, k = day_arg(start), integer(months)
        err = first_error(s, k)
        if err is not None:
            return err
        ym = _add_months(s, k)
        if ym is None:
            return NUM
        y, m, d = ym
        r = serial_of(y, m, day_of_month(y, m, d))
        return NUM if r is None or r < 0 or r > max_serial() else r
    return excel_function


f_edate = _months_on(lambda y, m, d: min(d, days_in_month(y, m)))  # same day, clipped to the month
f_eomonth = _months_on(lambda y, m, _d: days_in_month(y, m))         # last day of the month


def f_days(end, start):
    e, s = day_arg(end), day_arg(start)
    return first_error(e, s) or e - s


def _is_last_of_february(y, m, d):
    return m == 2 and d == days_in_month(y, 2)


def f_days360(start, end, european=None):
    s, e = day_arg(start), day_arg(end)
    eu = False if european is None else _values.to_bool(european)
    err = first_error(s, e, eu)
    if err is not None:
        return err
    (y1, m1, d1), (y2, m2, d2) = ymd(s), ymd(e)
    if eu:
        d1, d2 = min(d1, 30), min(d2, 30)
    else:
        # US (NASD) method as Excel applies it in DAYS360
        if _is_last_of_february(y1, m1, d1):
            d1 = 30
        if d1 == 31:
            d1 = 30
        if d2 == 31 and d1 >= 30:
            d2 = 30
    return float((y2 - y1) * 360 + (m2 - m1) * 30 + (d2 - d1))


def f_datedif(start, end, unit):
    s, e, u = day_arg(start), day_arg(end), to_text(unit)
    err = first_error(s, e, u)
    if err is not None:
        return err
    u = u.upper()
    if s > e:
        return NUM
    (y1, m1, d1), (y2, m2, d2) = ymd(s), ymd(e)
    if u == "D":
        return e - s
    months = (y2 - y1) * 12 + (m2 - m1) - (1 if d2 < d1 else 0)
    if u == "M":
        return float(months)
    if u == "Y":
        return float(months // 12)
    if u == "YM":
        return float(months % 12)
    if u == "MD":
        if d2 >= d1:
            return float(d2 - d1)
        # days since the start's day in the end's previous month (Excel's DATE overflow; may be
        # negative, as Microsoft documents for "MD")
        prev = serial_of(y2, m2 - 1, d1)
        return e - prev
    if u == "YD":
        anniversary = serial_of(y2, m1, d1)
        if anniversary > e:
            anniversary = serial_of(y2 - 1, m1, d1)
        return e - anniversary
    return NUM


# ---------------------------------------------------------------- working days

_WEEKEND_CODES = {1: (5, 6), 2: (6, 0), 3: (0, 1), 4: (1, 2), 5: (2, 3), 6: (3, 4), 7: (4, 5),
                  11: (6,), 12: (0,), 13: (1,), 14: (2,), 15: (3,), 16: (4,), 17: (5,)}


def _weekend_mask(weekend):
    """Seven booleans, Monday first: which days are weekend days; or an error."""
    if weekend is None:
        code = 1
    elif type(weekend) is str:
        if len(weekend) != 7 or set(weekend) - {"0", "1"} or weekend == "1111111":
            return VALUE
        return [c == "1" for c in weekend]
    else:
        code = integer(weekend)
        if type(code) is _E:
            return code
    if code not in _WEEKEND_CODES:
        return NUM
    days = _WEEKEND_CODES[code]
    return [k in days for k in range(7)]


def _monday_based(serial):
    return (_weekday_serial(serial) - 2) % 7


def _holidays(holidays):
    out = set()
    if holidays is None:
        return out
    for v in flat(holidays):
        if v is None:
            continue
        d = day_arg(v)
        if type(d) is _E:
            return d
        out.add(d)
    return out


def f_networkdays_intl(start, end, weekend=None, holidays=None):
    s, e, mask, hol = day_arg(start), day_arg(end), _weekend_mask(weekend), _holidays(holidays)
    err = first_error(s, e, mask, hol)
    if err is not None:
        return err
    sign = 1.0
    if s > e:
        s, e, sign = e, s, -1.0
    n_days = int(e - s) + 1
    weeks, rest = divmod(n_days, 7)
    count = weeks * mask.count(False)
    first = _monday_based(s)
    count += sum(1 for k in range(rest) if not mask[(first + k) % 7])
    count -= sum(1 for h in hol if s <= h <= e and not mask[_monday_based(h)])
    return sign * count


def f_networkdays(start, end, holidays=None):
    return f_networkdays_intl(start, end, None, holidays)


def f_workday_intl(start, days, weekend=None, holidays=None):
    s, n, mask, hol = day_arg(start), integer(days), _weekend_mask(weekend), _holidays(holidays)
    err = first_error(s, n, mask, hol)
    if err is not None:
        return err
    step = 1 if n > 0 else -1
    d = s
    remaining = abs(n)
    if remaining > 3_000_000:
        return NUM
    while remaining:
        d += step
        if d < 0 or d > max_serial():
            return NUM
        if not mask[_monday_based(d)] and d not in hol:
            remaining -= 1
    return d


def f_workday(start, days, holidays=None):
    return f_workday_intl(start, days, None, holidays)


# ---------------------------------------------------------------- YEARFRAC

def _basis_arg(basis):
    b = 0 if basis is None else integer(basis)
    if type(b) is _E:
        return b
    if not 0 <= b <= 4:
        return NUM
    return b


def _days_30_360_us(d1, d2):
    """YEARFRAC basis 0 (and the bond functions): NASD 30/360 as Excel applies it."""
    (y1, m1, a), (y2, m2, b) = d1, d2
    if a == 31 and b == 31:
        a = b = 30
    elif a == 31:
        a = 30
    elif a == 30 and b == 31:
        b = 30
    elif m1 == 2 and m2 == 2 and a == days_in_month(y1, 2) and b == days_in_month(y2, 2):
        a = b = 30
    elif m1 == 2 and a == days_in_month(y1, 2):
        a = 30
    return (y2 - y1) * 360 + (m2 - m1) * 30 + (b - a)


def _feb29_between(d1, d2):
    """Is a 29 February on or after d1 and on or before d2 (dates at most a year apart)?"""
    for y in {d1.year, d2.year}:
        if _calendar().isleap(y):
            feb29 = _dt.date(y, 2, 29)
            if d1 <= feb29 <= d2:
                return True
    return False


def _actual_actual(d1, d2):
    """Microsoft's basis 1: within a year, the year length is 366 if a 29 February is covered;
    otherwise the average length of the calendar years spanned."""
    days = (d2 - d1).days
    within_a_year = d1.year == d2.year or (
        d2.year == d1.year + 1 and (d1.month, d1.day) >= (d2.month, d2.day))
    if within_a_year:
        if d1.year == d2.year and _calendar().isleap(d1.year):
            year_length = 366.0
        elif _feb29_between(d1, d2) or (d2.month == 2 and d2.day == 29):
            year_length = 366.0
        else:
            year_length = 365.0
        return days / year_length
    years = d2.year - d1.year + 1
    span = sum(366 if _calendar().isleap(y) else 365 for y in range(d1.year, d2.year + 1))
    return days / (span / years)


def f_yearfrac(start, end, basis=None):
    s, e, b = day_arg(start), day_arg(end), _basis_arg(basis)
    err = first_error(s, e, b)
    if err is not None:
        return err
    if s > e:
        s, e = e, s
    if s == e:
        return 0.0
    if b == 0:
        return _days_30_360_us(ymd(s), ymd(e)) / 360.0
    if b == 1:
        return _actual_actual(to_date(s), to_date(e))
    if b == 2:
        return (e - s) / 360.0
    if b == 3:
        return (e - s) / 365.0
    (y1, m1, d1), (y2, m2, d2) = ymd(s), ymd(e)
    return ((y2 - y1) * 360 + (m2 - m1) * 30 + (min(d2, 30) - min(d1, 30))) / 360.0


FUNCTIONS = {
    "DATE": (f_date, "S", True),
    "DATEVALUE": (f_datevalue, "S", True),
    "YEAR": (f_year, "S", True),
    "MONTH": (f_month, "S", True),
    "DAY": (f_day, "S", True),
    "TIME": (f_time, "S", True),
    "TIMEVALUE": (f_timevalue, "S", True),
    "HOUR": (f_hour, "S", True),
    "MINUTE": (f_minute, "S", True),
    "SECOND": (f_second, "S", True),
    "WEEKDAY": (f_weekday, "S", True),
    "WEEKNUM": (f_weeknum, "S", True),
    "ISOWEEKNUM": (f_isoweeknum, "S", True),
    "EDATE": (f_edate, "S", True),
    "EOMONTH": (f_eomonth, "S", True),
    "DAYS": (f_days, "S", True),
    "DAYS360": (f_days360, "S", True),
    "DATEDIF": (f_datedif, "S", True),
    "NETWORKDAYS": (f_networkdays, "SSR", False),
    "NETWORKDAYS.INTL": (f_networkdays_intl, "SSSR", False),
    "WORKDAY": (f_workday, "SSR", False),
    "WORKDAY.INTL": (f_workday_intl, "SSSR", False),
    "YEARFRAC": (f_yearfrac, "S", True),
}
