"""Temporal values from strings, as Neo4j 5 reads them: `date('2015-W30-2')`, `duration('P1.5D')`.

The forms are ISO 8601's, as Neo4j accepts them: calendar (2015-07-21, 20150721, 2015-07),
week (2015-W30-2, 2015W302), quarter (2015-Q2-60) and ordinal (2015-202) dates, years beyond
9999 with a sign (+12345-01-01); times with or without colons (21:40:32.142, 214032.142, 21),
UTC offsets (Z, +01:00, +0100, -02) and zone names in brackets ([Europe/Stockholm]); durations
in unit form (P1Y2M3W4DT5H6M7.8S, a fraction only in the smallest unit given, a sign before
P or any number) or date form (P2012-02-02T14:37:21.545). Text that is none of these fails
with "Text cannot be parsed to a Date" and the like, as on Neo4j.
"""

from __future__ import annotations

import re

from ..errors import QueryError
from .temporal import (
    NS,
    Date,
    DateTime,
    LocalDateTime,
    LocalTime,
    Time,
    approximate,
    check_year,
    days_from_civil,
    duration,
    month_length,
    resolve_local,
    week_one_monday,
    weeks_in_year,
)

_YEAR = r"(?:[0-9]{4}|[+-][0-9]{1,9})"
DATE_RE = (
    r"(?:(?P<sy>[0-9]{4})(?:(?P<smo>[0-9]{2})(?P<sd>[0-9]{2})?|W(?P<sw>[0-9]{2})(?P<swd>[0-9])?"
    r"|Q(?P<sq>[0-9])(?P<sqd>[0-9]{2})?|(?P<sod>[0-9]{3}))"
    rf"|(?P<ly>{_YEAR})(?:-(?P<lmo>[0-9]{{1,2}})(?:-(?P<ld>[0-9]{{1,2}}))?|-?W(?P<lw>[0-9]{{1,2}})(?:-(?P<lwd>[0-9]))?"
    r"|-?Q(?P<lq>[0-9])(?:-(?P<lqd>[0-9]{1,2}))?|-(?P<lod>[0-9]{3}))?)"
)
TIME_RE = (
    r"(?:(?P<sh>[0-9]{2})(?:(?P<smi>[0-9]{2})(?:(?P<ss>[0-9]{2})(?:[.,](?P<sf>[0-9]{1,9}))?)?)?"
    r"|(?P<lh>[0-9]{1,2}):(?P<lmi>[0-9]{1,2})(?::(?P<ls>[0-9]{1,2})(?:[.,](?P<lf>[0-9]{1,9}))?)?)"
)
OFFSET_RE = r"(?P<off>Z|[+-][0-9]{2}(?::?[0-9]{2})?)"
ZONE_RE = r"\[(?P<zone>[A-Za-z][A-Za-z0-9~._/+-]*)\]"

_DATE = re.compile(DATE_RE)
_TIME = re.compile(TIME_RE + OFFSET_RE + "?" + f"(?:{ZONE_RE})?")
_LOCAL_TIME = re.compile(TIME_RE)
_DATETIME = re.compile(DATE_RE + r"(?:[Tt]" + TIME_RE + OFFSET_RE + "?" + f"(?:{ZONE_RE})?)?")
_LOCAL_DATETIME = re.compile(DATE_RE + r"(?:[Tt]" + TIME_RE + ")?")

_NUM = r"[-+]?[0-9]+(?:[.,][0-9]+)?"
_DURATION = re.compile(
    rf"(?P<sign>[-+]?)P(?:(?P<years>{_NUM})Y)?(?:(?P<months>{_NUM})M)?(?:(?P<weeks>{_NUM})W)?(?:(?P<days>{_NUM})D)?"
    rf"(?P<T>T(?:(?P<hours>{_NUM})H)?(?:(?P<minutes>{_NUM})M)?(?:(?P<seconds>[-+]?[0-9]+)(?:[.,](?P<sub>[0-9]{{1,9}}))?S)?)?",
    re.IGNORECASE,
)
_DURATION_DATE_FORM = re.compile(
    r"(?P<sign>[-+]?)P(?P<y>[0-9]{4})(?:-(?P<lmo>[0-9]{2})-(?P<ld>[0-9]{2})|(?P<smo>[0-9]{2})(?P<sd>[0-9]{2}))"
    r"(?:T(?:(?P<sh>[0-9]{2})(?:(?P<smi>[0-9]{2})(?:(?P<ss>[0-9]{2})(?:[.,](?P<sf>[0-9]{1,9}))?)?)?"
    r"|(?P<lh>[0-9]{2}):(?P<lmi>[0-9]{2}):(?P<ls>[0-9]{2})(?:[.,](?P<lf>[0-9]{1,9}))?))?",
    re.IGNORECASE,
)


def cannot_parse(kind: str, text: str) -> QueryError:
    return QueryError(f"Text cannot be parsed to a {kind}: {text!r}")


def _range(name: str, v: int, lo: int, hi: int) -> int:
    if not lo <= v <= hi:
        raise QueryError(f"Invalid value for {name} (valid values {lo} - {hi}): {v}")
    return v


def _g(m: re.Match, *names: str) -> str | None:
    for n in names:
        v = m.group(n)
        if v is not None:
            return v
    return None


def date_from_fields(year: int, month: int | None = None, day: int | None = None, week: int | None = None,
                     dow: int | None = None, quarter: int | None = None, doq: int | None = None,
                     ordinal: int | None = None) -> int:
    """Days since 1970-01-01 of a date given in one of ISO's ways, each field range-checked."""
    check_year(year)
    if week is not None:
        _range("WeekOfWeekBasedYear", week, 1, weeks_in_year(year) if week > 52 else 53)
        if week > weeks_in_year(year):
            raise QueryError(f"Invalid week-based-year {year}: it has no week {week}")
        return week_one_monday(year) + (week - 1) * 7 + (_range("DayOfWeek", dow, 1, 7) if dow is not None else 1) - 1
    if quarter is not None:
        _range("QuarterOfYear", quarter, 1, 4)
        first = days_from_civil(year, (quarter - 1) * 3 + 1, 1)
        length = days_from_civil(year + (quarter == 4), 1 if quarter == 4 else quarter * 3 + 1, 1) - first
        d = 1 if doq is None else doq
        _range("DayOfQuarter", d, 1, 92)
        if d > length:
            raise QueryError(f"Invalid date 'DayOfQuarter {d}' as quarter {quarter} of {year} has {length} days")
        return first + d - 1
    if ordinal is not None:
        _range("DayOfYear", ordinal, 1, 366)
        if ordinal == 366 and month_length(year, 2) == 28:
            raise QueryError(f"Invalid date 'DayOfYear 366' as '{year}' is not a leap year")
        return days_from_civil(year, 1, 1) + ordinal - 1
    m = 1 if month is None else _range("MonthOfYear", month, 1, 12)
    d = 1 if day is None else _range("DayOfMonth", day, 1, 31)
    if d > month_length(year, m):
        names = ("JANUARY", "FEBRUARY", "MARCH", "APRIL", "MAY", "JUNE", "JULY", "AUGUST", "SEPTEMBER", "OCTOBER",
                 "NOVEMBER", "DECEMBER")
        raise QueryError(f"Invalid date '{names[m - 1]} {d}'")
    return days_from_civil(year, m, d)


def time_from_fields(hour: int, minute: int = 0, second: int = 0, nano: int = 0) -> int:
    """Nanoseconds since midnight, each field range-checked."""
    _range("HourOfDay", hour, 0, 23)
    _range("MinuteOfHour", minute, 0, 59)
    _range("SecondOfMinute", second, 0, 59)
    _range("NanoOfSecond", nano, 0, NS - 1)
    return ((hour * 60 + minute) * 60 + second) * NS + nano


def _date_days(m: re.Match) -> int:
    y = _g(m, "sy", "ly")
    year = int(y)

    def num(*names):
        v = _g(m, *names)
        return None if v is None else int(v)

    return date_from_fields(
        year, num("smo", "lmo"), num("sd", "ld"), num("sw", "lw"), num("swd", "lwd"), num("sq", "lq"),
        num("sqd", "lqd"), num("sod", "lod"),
    )


def _time_nanos(m: re.Match) -> int:
    h = _g(m, "sh", "lh")
    mi = _g(m, "smi", "lmi")
    s = _g(m, "ss", "ls")
    f = _g(m, "sf", "lf")
    return time_from_fields(int(h), int(mi or 0), int(s or 0), int((f or "").ljust(9, "0")) if f else 0)


def parse_offset(text: str) -> int:
    """A UTC offset in seconds: Z, +01, +0100, +01:00, +01:00:30 (Java's range, ±18 hours)."""
    if text in ("Z", "z"):
        return 0
    m = re.fullmatch(r"([+-])([0-9]{1,2})(?::?([0-9]{2}))?(?::?([0-9]{2}))?", text)
    if m is None:
        raise QueryError(f"Invalid value for TimeZone: Text '{text}'")
    h, mi, s = int(m.group(2)), int(m.group(3) or 0), int(m.group(4) or 0)
    if mi > 59 or s > 59:
        raise QueryError(f"Invalid ID for ZoneOffset, invalid format: {text}")
    off = h * 3600 + mi * 60 + s
    if off > 18 * 3600:
        raise QueryError(f"Zone offset not in valid range: -18:00 to +18:00: {text}")
    return off if m.group(1) == "+" else -off


def parse_zone(text: str) -> tuple[int | None, str | None]:
    """(offset, None) for an offset, (None, name) for a named zone (checked to exist)."""
    from .temporal import zone

    if text and text[0] in "+-Zz" and (len(text) == 1 or text[0] in "+-"):
        return parse_offset(text), None
    for prefix in ("UTC", "GMT", "UT"):
        if text.startswith(prefix) and len(text) > len(prefix) and text[len(prefix)] in "+-":
            return parse_offset(text[len(prefix):]), None
    zone(text)
    return None, text


def default_zone() -> tuple[int, str | None]:
    """The default time zone of a statement (Neo4j's db.temporal.timezone default: UTC)."""
    return 0, None


def parse_date(text: str) -> Date:
    m = _DATE.fullmatch(text)
    if m is None:
        raise cannot_parse("Date", text)
    return Date(_date_days(m))


def parse_local_time(text: str) -> LocalTime:
    m = _LOCAL_TIME.fullmatch(text)
    if m is None:
        raise cannot_parse("LocalTime", text)
    return LocalTime(_time_nanos(m))


def parse_time(text: str) -> Time:
    m = _TIME.fullmatch(text)
    if m is None:
        raise cannot_parse("Time", text)
    if m.group("zone"):
        raise QueryError("Using a named time zone e.g. [UTC] is not supported for Time")
    off = parse_offset(m.group("off")) if m.group("off") else default_zone()[0]
    return Time(_time_nanos(m), off)


def parse_local_datetime(text: str) -> LocalDateTime:
    m = _LOCAL_DATETIME.fullmatch(text)
    if m is None:
        raise cannot_parse("LocalDateTime", text)
    return LocalDateTime(_date_days(m), _time_nanos(m) if _g(m, "sh", "lh") else 0)


def parse_datetime(text: str) -> DateTime:
    m = _DATETIME.fullmatch(text)
    if m is None:
        raise cannot_parse("DateTime", text)
    days = _date_days(m)
    nanos = _time_nanos(m) if _g(m, "sh", "lh") else 0
    off_text, name = m.group("off"), m.group("zone")
    if name:
        off_given = parse_offset(off_text) if off_text else None
        off, zname = parse_zone(name)
        if zname is None:
            raise cannot_parse("DateTime", text)
        d, n, real = resolve_local(zname, days, nanos, prefer=off_given)
        if off_given is not None and off_given != real:
            raise QueryError(f"Timezone and offset do not match: {text}")
        return DateTime(d, n, real, zname)
    off = parse_offset(off_text) if off_text else default_zone()[0]
    return DateTime(days, nanos, off, None)


def parse_duration(text: str):
    m = _DURATION.fullmatch(text)
    if (m is not None and (m.group("T") != "T")
        and any(m.group(k) for k in ("years", "months", "weeks", "days", "hours", "minutes", "seconds"))):
        return _duration_units(m, text)
    m = _DURATION_DATE_FORM.fullmatch(text)
    if m is not None:
        return _duration_date_form(m)
    raise cannot_parse("Duration", text)


def _duration_units(m: re.Match, text: str):
    names = ("years", "months", "weeks", "days", "hours", "minutes")
    raw = {k: m.group(k) for k in names}
    given = [k for k in (*names, "seconds") if m.group(k) is not None]
    fractional = [k for k in names if raw[k] is not None and re.search("[.,]", raw[k])]
    if fractional and (len(fractional) > 1 or given[-1] != fractional[0]):
        raise cannot_parse("Duration", text)
    sign = -1 if m.group("sign") == "-" else 1
    sec = int(m.group("seconds") or 0)
    sub = m.group("sub")
    nanos = int(sub.ljust(9, "0")) if sub else 0
    if sec < 0 or (m.group("seconds") or "").startswith("-"):
        nanos = -nanos
    if not fractional:
        v = {k: int(raw[k]) if raw[k] is not None else 0 for k in names}
        return duration(sign * (v["years"] * 12 + v["months"]), sign * (v["weeks"] * 7 + v["days"]),
                        sign * (v["hours"] * 3600 + v["minutes"] * 60 + sec), sign * nanos)
    f = {k: float(raw[k].replace(",", ".")) if raw[k] is not None else 0.0 for k in names}
    return approximate(sign * (f["years"] * 12 + f["months"]), sign * (f["weeks"] * 7 + f["days"]),
                       sign * (f["hours"] * 3600 + f["minutes"] * 60 + sec), float(sign * nanos))


def _duration_date_form(m: re.Match):
    sign = -1 if m.group("sign") == "-" else 1
    y = int(m.group("y"))
    mo = int(_g(m, "lmo", "smo"))
    d = int(_g(m, "ld", "sd"))
    h, mi, s, f = _g(m, "sh", "lh"), _g(m, "smi", "lmi"), _g(m, "ss", "ls"), _g(m, "sf", "lf")
    for name, v, hi in (("months", mo, 12), ("days", d, 31), ("hours", int(h or 0), 23), ("minutes", int(mi or 0), 59),
                        ("seconds", int(s or 0), 59)):
        if v > hi:
            raise QueryError(f"{name} is out of range: {v}")
    nanos = int(f.ljust(9, "0")) if f else 0
    return duration(sign * (y * 12 + mo), sign * d, sign * (int(h or 0) * 3600 + int(mi or 0) * 60 + int(s or 0)),
                    sign * nanos)
