"""Temporal values of the embedded Cypher engine, with Neo4j 5's semantics.

Neo4j's six temporal types are small immutable classes with nanosecond precision and Neo4j's
year range (-999,999,999 to 999,999,999), so they are not Python's `datetime` (microseconds,
years 1 to 9999):

  Date           days since 1970-01-01 (proleptic Gregorian calendar)
  LocalTime      nanoseconds since midnight
  Time           a LocalTime and a UTC offset in seconds
  LocalDateTime  a Date and a LocalTime
  DateTime       a LocalDateTime, its UTC offset, and the IANA zone it was given in (or None when
                 only an offset was given)
  Duration       months, days, seconds and nanoseconds, kept apart as Neo4j keeps them (a month
                 has no fixed number of days, nor a day of seconds across a daylight-saving change)

This module holds the calendar arithmetic, the time zones (the IANA data of the `tzdata`
package, the data Java and so Neo4j ship; the system's copy may be built with other history),
equality and order, the string forms, component access (`d.year`, `d.week`, `dur.minutes`) and
arithmetic (temporal ± duration, duration ± duration, duration * or / number). Parsing and the
constructor functions live in `temporal_parse` and `temporal_functions`.

Two string forms: `to_string` is Neo4j 5's toString() (seconds always written, the fraction with
as many digits as it needs); `java_string` is Java's toString(), which the openCypher TCK uses in
its expected tables (seconds left out when zero, the fraction in groups of three digits).
"""

from __future__ import annotations

from datetime import UTC
from datetime import datetime as _pydt
from datetime import timedelta as _pytd
from typing import Any

from ..errors import QueryError

NS = 1_000_000_000
DAY_S = 86_400
DAY_NS = DAY_S * NS
AVG_MONTH_S = 2_629_746  # 30.436875 days: a Gregorian year / 12, as in java.time and Neo4j
MIN_YEAR, MAX_YEAR = -999_999_999, 999_999_999
LONG_MIN, LONG_MAX = -(2**63), 2**63 - 1


# ---------------------------------------------------------------- calendar


def days_from_civil(y: int, m: int, d: int) -> int:
    """Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm)."""
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def civil_from_days(z: int) -> tuple[int, int, int]:
    """(year, month, day) of a day count since 1970-01-01."""
    z += 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return yoe + era * 400 + (m <= 2), m, d


def is_leap(y: int) -> bool:
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


def month_length(y: int, m: int) -> int:
    return 29 if m == 2 and is_leap(y) else (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[m - 1]


def day_of_week(days: int) -> int:
    """ISO day of week: Monday 1 ... Sunday 7."""
    return (days + 3) % 7 + 1


def week_fields(days: int) -> tuple[int, int, int]:
    """(week-based year, ISO week, day of week) of a day count."""
    dow = day_of_week(days)
    thursday = days - dow + 4
    wy = civil_from_days(thursday)[0]
    return wy, (thursday - days_from_civil(wy, 1, 1)) // 7 + 1, dow


def week_one_monday(week_year: int) -> int:
    jan4 = days_from_civil(week_year, 1, 4)
    return jan4 - day_of_week(jan4) + 1


def weeks_in_year(week_year: int) -> int:
    return (week_one_monday(week_year + 1) - week_one_monday(week_year)) // 7


def check_year(y: int) -> int:
    if not MIN_YEAR <= y <= MAX_YEAR:
        raise QueryError(f"Invalid value for Year (valid values {MIN_YEAR} - {MAX_YEAR}): {y}")
    return y


def plus_months(days: int, months: int) -> int:
    """The date `months` later (earlier when negative), the day clamped to the month's end."""
    y, m, d = civil_from_days(days)
    total = y * 12 + (m - 1) + months
    ny, nm = check_year(total // 12), total % 12 + 1
    return days_from_civil(ny, nm, min(d, month_length(ny, nm)))


# ---------------------------------------------------------------- time zones

_ZONES: dict[str, Any] = {}


def zone(name: str) -> Any:
    """The rules of an IANA zone, from the `tzdata` package when installed (the data Java uses),
    else the system's; a QueryError for an unknown name."""
    z = _ZONES.get(name)
    if z is not None:
        return z
    from zoneinfo import ZoneInfo

    if not name or name.startswith(("/", ".")) or ".." in name or "\\" in name:
        raise QueryError(f"Invalid value for TimeZone: Text '{name}'")
    try:
        import importlib.resources

        res = importlib.resources.files("tzdata.zoneinfo").joinpath(*name.split("/"))
        with res.open("rb") as fh:
            z = ZoneInfo.from_file(fh, key=name)
    except Exception:  # noqa: BLE001 - not in tzdata (or tzdata absent): the system's data
        try:
            z = ZoneInfo(name)
        except Exception:  # noqa: BLE001
            raise QueryError(f"Invalid value for TimeZone: Text '{name}'") from None
    if len(_ZONES) > 512:
        _ZONES.clear()
    _ZONES[name] = z
    return z


_CYCLE_DAYS = 146_097  # 400 Gregorian years: dates and weekdays repeat, and so do rule-based offsets
_FIRST_DAY, _LAST_DAY = days_from_civil(1, 1, 2), days_from_civil(9999, 12, 30)  # inside Python's datetime


def _in_python_range(days: int) -> int:
    """A day Python's datetime can hold with the same zone offset: years after 9999 move back by
    whole 400-year cycles (the zones' yearly rules then give the same offsets, as in Java);
    years before 1 take year 1's offset (local mean time)."""
    if days > _LAST_DAY:
        return days - ((days - _LAST_DAY) // _CYCLE_DAYS + 1) * _CYCLE_DAYS
    return max(days, _FIRST_DAY)


def _py_local(days: int, nanos: int) -> _pydt:
    """A naive Python datetime for looking up a zone's offset."""
    y, m, d = civil_from_days(_in_python_range(days))
    s = nanos // NS
    return _pydt(y, m, d, s // 3600, s // 60 % 60, s % 60)


def offset_at_instant(zone_name: str, epoch_s: int) -> int:
    """The zone's UTC offset in seconds at an instant."""
    z = zone(zone_name)
    days, secs = divmod(epoch_s, DAY_S)
    days = _in_python_range(days)
    dt = _pydt(1970, 1, 1, tzinfo=UTC) + _pytd(days=days, seconds=secs)
    return int(dt.astimezone(z).utcoffset().total_seconds())


def offset_for_local(zone_name: str, days: int, nanos: int, prefer: int | None = None) -> int:
    """The offset of a local date-time in a zone as java.time resolves it: in an overlap the
    earlier offset (or `prefer` when it is one of the two), in a gap the offset before it (the
    local time is then moved forward by the gap; see `resolve_local`)."""
    z = zone(zone_name)
    local = _py_local(days, nanos)
    early = int(local.replace(tzinfo=z, fold=0).utcoffset().total_seconds())
    late = int(local.replace(tzinfo=z, fold=1).utcoffset().total_seconds())
    if prefer is not None and prefer in (early, late) and early != late:
        # valid for both only in an overlap (in a gap fold=0 gives the earlier offset, fold=1 the later)
        if _valid(zone_name, days, nanos, prefer):
            return prefer
    return early


def _valid(zone_name: str, days: int, nanos: int, offset: int) -> bool:
    epoch = days * DAY_S + nanos // NS - offset
    return offset_at_instant(zone_name, epoch) == offset


def resolve_local(zone_name: str, days: int, nanos: int, prefer: int | None = None) -> tuple[int, int, int]:
    """(days, nanos, offset) of a local date-time in a zone; a time in a gap moves forward."""
    off = offset_for_local(zone_name, days, nanos, prefer)
    epoch_ns = (days * DAY_S - off) * NS + nanos
    real = offset_at_instant(zone_name, epoch_ns // NS)
    if real != off:
        d, n = divmod(epoch_ns + real * NS, DAY_NS)
        return d, n, real
    return days, nanos, off


def offset_string(off: int) -> str:
    """A UTC offset as Java writes it: Z, +01:00, -02:05:07."""
    if off == 0:
        return "Z"
    sign = "+" if off > 0 else "-"
    a = abs(off)
    h, m, s = a // 3600, a // 60 % 60, a % 60
    return f"{sign}{h:02d}:{m:02d}" + (f":{s:02d}" if s else "")


# ---------------------------------------------------------------- values


class Temporal:
    """Base of the temporal value classes; equal when of the same class with the same fields."""

    __slots__ = ()
    KIND = ""

    def fields(self) -> tuple:
        return tuple(getattr(self, s) for s in self.__slots__)

    def __eq__(self, o):
        return type(o) is type(self) and o.fields() == self.fields()

    def __hash__(self):
        return hash((self.KIND, self.fields()))

    def __str__(self):
        return to_string(self)

    def __repr__(self):
        return f"{self.KIND}({to_string(self)!r})"


class Date(Temporal):
    __slots__ = ("days",)
    KIND = "Date"

    def __init__(self, days: int):
        self.days = days


class LocalTime(Temporal):
    __slots__ = ("nanos",)
    KIND = "LocalTime"

    def __init__(self, nanos: int):
        self.nanos = nanos


class Time(Temporal):
    __slots__ = ("nanos", "offset")
    KIND = "Time"

    def __init__(self, nanos: int, offset: int):
        self.nanos, self.offset = nanos, offset


class LocalDateTime(Temporal):
    __slots__ = ("days", "nanos")
    KIND = "LocalDateTime"

    def __init__(self, days: int, nanos: int):
        self.days, self.nanos = days, nanos


class DateTime(Temporal):
    __slots__ = ("days", "nanos", "offset", "zone")
    KIND = "DateTime"

    def __init__(self, days: int, nanos: int, offset: int, zone: str | None = None):
        self.days, self.nanos, self.offset, self.zone = days, nanos, offset, zone

    def epoch_ns(self) -> int:
        return (self.days * DAY_S - self.offset) * NS + self.nanos


class Duration(Temporal):
    """months, days, seconds, nanos; seconds rounded down, 0 <= nanos < 10^9 (see `duration`)."""

    __slots__ = ("months", "days", "seconds", "nanos")
    KIND = "Duration"

    def __init__(self, months: int, days: int, seconds: int, nanos: int):
        self.months, self.days, self.seconds, self.nanos = months, days, seconds, nanos


TEMPORAL_TYPES = (Date, LocalTime, Time, LocalDateTime, DateTime, Duration)
HAS_DATE = (Date, LocalDateTime, DateTime)
HAS_TIME = (LocalTime, Time, LocalDateTime, DateTime)
HAS_ZONE = (Time, DateTime)


def is_temporal(v: Any) -> bool:
    return type(v) in TEMPORAL_TYPES


def _trunc_div(a: int, b: int) -> int:
    """Java's integer division (toward zero)."""
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


def _java_rem(a: int, b: int) -> int:
    """Java's remainder (the sign of the dividend)."""
    return a - b * _trunc_div(a, b)


def _check_long(*xs: int) -> None:
    for x in xs:
        if not LONG_MIN <= x <= LONG_MAX:
            raise QueryError("long overflow in a duration")


def duration(months: int, days: int, seconds: int, nanos: int) -> Duration:
    """A Duration normalised as Neo4j's DurationValue: whole seconds rounded down and the
    nanoseconds between 0 and 10^9 (PT-0.5S is -1 s + 500,000,000 ns), checked to fit 64 bits."""
    seconds, nanos = divmod(seconds * NS + nanos, NS)
    _check_long(months, days, seconds)
    return Duration(months, days, seconds, nanos)


def _java_long(x: float) -> int:
    """A double to a long as Neo4j's safeDoubleToLong: toward zero, NaN to 0, an error beyond 64 bits."""
    if x != x:
        return 0
    if not -9.223372036854776e18 <= x < 9.223372036854776e18:
        raise QueryError("long overflow")
    return int(x)


def approximate(months: float, days: float, seconds: float, nanos: float) -> Duration:
    """A Duration from fractional parts: a fraction of a month becomes days (30.436875 each),
    of a day seconds, of a second nanoseconds, in doubles and truncated, as Neo4j's
    DurationValue.approximate computes them (so 0.1 month is P3DT1H2M54.599999999S there too)."""
    avg_month_ns = float(AVG_MONTH_S * NS)
    m = _java_long(months)
    days += avg_month_ns * (months - m) / float(DAY_NS)
    d = _java_long(days)
    seconds += float(DAY_NS) * (days - d) / float(NS)
    s = _java_long(seconds)
    nanos += float(NS) * (seconds - s)
    return duration(m, d, s, _java_long(nanos))


# ---------------------------------------------------------------- string forms


def _year_string(y: int) -> str:
    if abs(y) < 1000:
        return f"{'-' if y < 0 else ''}{abs(y):04d}"
    return f"+{y}" if y > 9999 else str(y)


def date_string(days: int) -> str:
    y, m, d = civil_from_days(days)
    return f"{_year_string(y)}-{m:02d}-{d:02d}"


def time_string(nanos: int, java: bool) -> str:
    s, n = divmod(nanos, NS)
    h, mi, sec = s // 3600, s // 60 % 60, s % 60
    out = f"{h:02d}:{mi:02d}"
    if not java:
        out += f":{sec:02d}"
        if n:
            out += "." + f"{n:09d}".rstrip("0")
        return out
    if sec or n:
        out += f":{sec:02d}"
        if n:
            frac = f"{n:09d}"
            out += "." + (frac[:3] if n % 1_000_000 == 0 else frac[:6] if n % 1000 == 0 else frac)
    return out


def duration_string(d: Duration) -> str:
    """Neo4j's form of a duration: P1Y2M3DT4H5M6.5S, PT-0.5S, PT0S (the time part written with
    one sign: seconds and their fraction both negative when the time part is)."""
    out = ["P"]

    def part(n, unit):
        if n:
            out.append(f"{n}{unit}")

    part(_trunc_div(d.months, 12), "Y")
    part(_java_rem(d.months, 12), "M")
    part(d.days, "D")
    if d.seconds or d.nanos:
        s, n = d.seconds, d.nanos
        if s < 0 and n:
            s, n = s + 1, n - NS
        out.append("T")
        part(_trunc_div(s, 3600), "H")
        s = _java_rem(s, 3600)
        part(_trunc_div(s, 60), "M")
        s = _java_rem(s, 60)
        frac = ("." + f"{abs(n):09d}".rstrip("0")) if n else ""
        if s:
            out.append(f"{s}{frac}S")
        elif n:
            out.append(f"{'-' if n < 0 else ''}0{frac}S")
    if len(out) == 1:
        out.append("T0S")
    return "".join(out)


def _format(v: Temporal, java: bool) -> str:
    t = type(v)
    if t is Date:
        return date_string(v.days)
    if t is LocalTime:
        return time_string(v.nanos, java)
    if t is Time:
        return time_string(v.nanos, java) + offset_string(v.offset)
    if t is LocalDateTime:
        return date_string(v.days) + "T" + time_string(v.nanos, java)
    if t is DateTime:
        out = date_string(v.days) + "T" + time_string(v.nanos, java) + offset_string(v.offset)
        return out + (f"[{v.zone}]" if v.zone else "")
    return duration_string(v)


def to_string(v: Temporal) -> str:
    """Neo4j 5's toString() of a temporal value."""
    return _format(v, False)


def java_string(v: Temporal) -> str:
    """Java's toString() of the value (the form the openCypher TCK writes expected values in)."""
    return _format(v, True)


def temporal_string(v: Temporal) -> str:
    """The form the openCypher TCK compares temporal results in (Java's toString)."""
    return java_string(v)


def zone_name(v: Temporal) -> str:
    """The `timezone` component: the zone's name, or the offset."""
    return v.zone if type(v) is DateTime and v.zone else offset_string(v.offset)


# ---------------------------------------------------------------- components


_DATE_FIELDS = {"year", "quarter", "month", "week", "weekyear", "dayofquarter", "quarterday", "day", "ordinalday",
                "dayofweek", "weekday"}
_TIME_FIELDS = {"hour", "minute", "second", "millisecond", "microsecond", "nanosecond"}
_ZONE_FIELDS = {"timezone", "offset", "offsetminutes", "offsetseconds"}
_DURATION_FIELDS = {
    "years", "quarters", "months", "weeks", "days", "hours", "minutes", "seconds", "milliseconds", "microseconds",
    "nanoseconds", "quartersofyear", "monthsofquarter", "monthsofyear", "daysofweek", "minutesofhour",
    "secondsofminute", "millisecondsofsecond", "microsecondsofsecond", "nanosecondsofsecond",
}


def component(v: Temporal, key: str) -> Any:
    """`v.key`: a component of a temporal value (`d.year`, `t.timezone`, `dur.minutesOfHour`)."""
    k = key.lower()
    t = type(v)
    if t is Duration:
        if k not in _DURATION_FIELDS:
            raise QueryError(f"No such field: {key}")
        return _duration_component(v, k)
    if k in _DATE_FIELDS and t in HAS_DATE:
        return _date_component(v.days, k)
    if k in _TIME_FIELDS and t in HAS_TIME:
        n = v.nanos
        return {"hour": n // (3600 * NS), "minute": n // (60 * NS) % 60, "second": n // NS % 60,
                "millisecond": n % NS // 1_000_000, "microsecond": n % NS // 1000, "nanosecond": n % NS}[k]
    if k in _ZONE_FIELDS and t in HAS_ZONE:
        if k == "timezone":
            return zone_name(v)
        if k == "offset":
            return offset_string(v.offset)
        return v.offset // 60 if k == "offsetminutes" else v.offset
    if k in ("epochseconds", "epochmillis") and t is DateTime:
        # as Neo4j answers: seconds rounded toward zero, milliseconds down
        return _trunc_div(v.epoch_ns(), NS) if k == "epochseconds" else v.epoch_ns() // 1_000_000
    if k in _DATE_FIELDS | _TIME_FIELDS | _ZONE_FIELDS | {"epochseconds", "epochmillis"}:
        raise QueryError(f"Unsupported field: {key} of a {t.KIND}")
    raise QueryError(f"No such field: {key}")


def _date_component(days: int, k: str) -> int:
    y, m, d = civil_from_days(days)
    if k == "year":
        return y
    if k == "month":
        return m
    if k == "day":
        return d
    if k == "quarter":
        return (m - 1) // 3 + 1
    if k in ("dayofquarter", "quarterday"):
        return days - days_from_civil(y, (m - 1) // 3 * 3 + 1, 1) + 1
    if k == "ordinalday":
        return days - days_from_civil(y, 1, 1) + 1
    wy, w, dow = week_fields(days)
    return {"week": w, "weekyear": wy, "dayofweek": dow, "weekday": dow}[k]


def _duration_component(v: Duration, k: str) -> int:
    """As Neo4j reads them: from whole seconds rounded down and a positive fraction (PT-1.5S:
    seconds -2, nanosecondsOfSecond 500000000), with Java's integer division."""
    mo, d, s, n = v.months, v.days, v.seconds, v.nanos
    td, tr = _trunc_div, _java_rem
    return {
        "years": td(mo, 12), "quarters": td(mo, 3), "months": mo, "weeks": td(d, 7), "days": d,
        "hours": td(s, 3600), "minutes": td(s, 60), "seconds": s,
        "milliseconds": s * 1000 + td(n, 1_000_000), "microseconds": s * 1_000_000 + td(n, 1000),
        "nanoseconds": s * NS + n, "quartersofyear": tr(td(mo, 3), 4), "monthsofquarter": tr(mo, 3),
        "monthsofyear": tr(mo, 12), "daysofweek": tr(d, 7), "minutesofhour": tr(td(s, 60), 60),
        "secondsofminute": tr(s, 60), "millisecondsofsecond": td(n, 1_000_000),
        "microsecondsofsecond": td(n, 1000), "nanosecondsofsecond": n,
    }[k]


# ---------------------------------------------------------------- order


_ORDER_RANK = {DateTime: 0, LocalDateTime: 1, Date: 2, Time: 3, LocalTime: 4, Duration: 5}


def order_key(v: Temporal) -> tuple:
    """Position among temporal values in ORDER BY: datetimes, local datetimes, dates, times,
    local times, durations (Neo4j's order), each by its instant or value."""
    t = type(v)
    if t is DateTime:
        return (0, v.epoch_ns(), v.days, v.nanos, v.zone or "")
    if t is LocalDateTime:
        return (1, v.days, v.nanos)
    if t is Date:
        return (2, v.days)
    if t is Time:
        return (3, v.nanos - v.offset * NS, v.nanos)
    if t is LocalTime:
        return (4, v.nanos)
    return (5, v.months * AVG_MONTH_S + v.days * DAY_S + v.seconds, v.nanos, v.months, v.days)


def compare(a: Temporal, b: Temporal) -> int | None:
    """-1/0/1 for two values of the same comparable type (durations are not), else None."""
    if type(a) is not type(b) or type(a) is Duration:
        return None
    ka, kb = order_key(a), order_key(b)
    return (ka > kb) - (ka < kb)


# ---------------------------------------------------------------- arithmetic


def _plus_nanos_dt(v: DateTime, delta_ns: int) -> DateTime:
    """A DateTime moved by an exact amount of time (its instant), the offset re-read from the zone."""
    epoch = v.epoch_ns() + delta_ns
    off = offset_at_instant(v.zone, epoch // NS) if v.zone else v.offset
    d, n = divmod(epoch + off * NS, DAY_NS)
    check_year(civil_from_days(d)[0])
    return DateTime(d, n, off, v.zone)


def _with_local(v: DateTime, days: int, nanos: int) -> DateTime:
    """v at another local date-time, keeping its offset if still valid (java.time's resolveLocal)."""
    check_year(civil_from_days(days)[0])
    if v.zone is None:
        return DateTime(days, nanos, v.offset, None)
    d, n, off = resolve_local(v.zone, days, nanos, prefer=v.offset)
    return DateTime(d, n, off, v.zone)


def add_duration(v: Temporal, dur: Duration, sign: int = 1) -> Temporal:
    """v + dur (or v - dur with sign -1), as Neo4j adds each part the type supports: months and
    days to the date, seconds and nanoseconds to the time (a date alone takes whole days of the
    seconds)."""
    months, days, seconds, nanos = (sign * x for x in (dur.months, dur.days, dur.seconds, dur.nanos))
    t = type(v)
    if t is Date:
        d = v.days
        if months:
            d = plus_months(d, months)
        d += days + _trunc_div(seconds, DAY_S)
        check_year(civil_from_days(d)[0])
        return Date(d)
    if t in (LocalTime, Time):
        n = (v.nanos + seconds * NS + nanos) % DAY_NS
        return LocalTime(n) if t is LocalTime else Time(n, v.offset)
    if t is LocalDateTime:
        d = plus_months(v.days, months) if months else v.days
        d, n = divmod((d + days) * DAY_NS + v.nanos + seconds * NS + nanos, DAY_NS)
        check_year(civil_from_days(d)[0])
        return LocalDateTime(d, n)
    if t is DateTime:
        out = v
        if months or days:
            d = plus_months(v.days, months) if months else v.days
            out = _with_local(v, d + days, v.nanos)
        if seconds or nanos:
            out = _plus_nanos_dt(out, seconds * NS + nanos)
        return out
    raise QueryError(f"Type mismatch: cannot add a Duration to a {t.KIND}")  # pragma: no cover


def duration_plus(a: Duration, b: Duration, sign: int = 1) -> Duration:
    return duration(a.months + sign * b.months, a.days + sign * b.days, a.seconds + sign * b.seconds,
                    a.nanos + sign * b.nanos)


def duration_times(d: Duration, f: Any) -> Duration:
    """A duration times a number: exact for an Integer, approximate for a Float."""
    if type(f) is int:
        return duration(d.months * f, d.days * f, d.seconds * f, d.nanos * f)
    return approximate(d.months * f, d.days * f, d.seconds * f, d.nanos * f)


def duration_divided(d: Duration, f: Any) -> Duration:
    if f == 0:
        raise QueryError("/ by zero")
    f = float(f)
    return approximate(d.months / f, d.days / f, d.seconds / f, d.nanos / f)


def arith(op: str, a: Any, b: Any) -> Any:
    """Arithmetic where one side is temporal; a QueryError for combinations Neo4j refuses."""
    ta, tb = type(a), type(b)
    if op == "+":
        if tb is Duration and ta in TEMPORAL_TYPES:
            return duration_plus(a, b) if ta is Duration else add_duration(a, b)
        if ta is Duration and tb in TEMPORAL_TYPES:
            return add_duration(b, a)
    elif op == "-":
        if tb is Duration and ta is Duration:
            return duration_plus(a, b, -1)
        if tb is Duration and ta in TEMPORAL_TYPES:
            return add_duration(a, b, -1)
    elif op == "*":
        if ta is Duration and tb in (int, float):
            return duration_times(a, b)
        if tb is Duration and ta in (int, float):
            return duration_times(b, a)
    elif op == "/":
        if ta is Duration and tb in (int, float):
            return duration_divided(a, b)
    raise QueryError(f"Type mismatch: cannot use {op} on {_name(a)} and {_name(b)}")


def _name(v: Any) -> str:
    if v is None:
        return "Null"
    return getattr(v, "KIND", None) or {bool: "Boolean", int: "Integer", float: "Float", str: "String", list: "List",
                                         dict: "Map"}.get(type(v), type(v).__name__)


def negate(d: Duration) -> Duration:
    return duration(-d.months, -d.days, -d.seconds, -d.nanos)


# ---------------------------------------------------------------- other libraries' values


def from_python(v: Any) -> Any:
    """Python's datetime values, and the Neo4j driver's neo4j.time values, as engine values
    (anything else unchanged)."""
    import datetime as pd

    t = type(v)
    mod = t.__module__
    if mod.startswith("neo4j.time"):
        return _from_driver(v)
    if t is pd.date:
        return Date(days_from_civil(v.year, v.month, v.day))
    if t is pd.time:
        n = ((v.hour * 60 + v.minute) * 60 + v.second) * NS + v.microsecond * 1000
        if v.tzinfo is None:
            return LocalTime(n)
        return Time(n, int(v.utcoffset().total_seconds()))
    if t is pd.datetime:
        d = days_from_civil(v.year, v.month, v.day)
        n = ((v.hour * 60 + v.minute) * 60 + v.second) * NS + v.microsecond * 1000
        if v.tzinfo is None:
            return LocalDateTime(d, n)
        key = getattr(v.tzinfo, "key", None) or getattr(v.tzinfo, "zone", None)
        return DateTime(d, n, int(v.utcoffset().total_seconds()), key if isinstance(key, str) else None)
    if t is pd.timedelta:
        return duration(0, v.days, v.seconds, v.microseconds * 1000)
    return v


def _from_driver(v: Any) -> Any:
    import neo4j.time as nt

    if isinstance(v, nt.Duration):
        return duration(v.months, v.days, v.seconds, v.nanoseconds)
    if isinstance(v, nt.DateTime):
        d = days_from_civil(v.year, v.month, v.day)
        n = ((v.hour * 60 + v.minute) * 60 + v.second) * NS + v.nanosecond
        if v.tzinfo is None:
            return LocalDateTime(d, n)
        key = getattr(v.tzinfo, "key", None) or getattr(v.tzinfo, "zone", None)
        # the driver gives an offset of 0 the zone "UTC" too: read it as the offset Z, the usual case
        return DateTime(d, n, int(v.utcoffset().total_seconds()),
                        key if isinstance(key, str) and key != "UTC" else None)
    if isinstance(v, nt.Date):
        return Date(days_from_civil(v.year, v.month, v.day))
    if isinstance(v, nt.Time):
        n = ((v.hour * 60 + v.minute) * 60 + v.second) * NS + v.nanosecond
        if v.tzinfo is None:
            return LocalTime(n)
        return Time(n, int(v.utcoffset().total_seconds()))
    return v


def from_driver(v: Any) -> Any:
    """A Neo4j driver value (neo4j.time types, lists and maps of them) as engine values."""
    if isinstance(v, list):
        return [from_driver(x) for x in v]
    if isinstance(v, dict):
        return {k: from_driver(x) for k, x in v.items()}
    return from_python(v)


def to_driver(v: Any) -> Any:
    """A parameter for the Neo4j driver: a datetime in a named zoneinfo zone is sent in the same
    pytz zone. The driver asks the zone for the offset of its own DateTime type and relies on a
    TypeError for zones that cannot read it, but CPython 3.11's C zoneinfo reads it without a
    check (garbage offsets, or a segmentation fault); pytz, pure Python, refuses it as expected."""
    import datetime as pydt

    if isinstance(v, list):
        return [to_driver(x) for x in v]
    if isinstance(v, dict):
        return {k: to_driver(x) for k, x in v.items()}
    if isinstance(v, pydt.datetime) and v.tzinfo is not None and type(v.tzinfo).__module__ == "zoneinfo":
        import pytz

        zone = pytz.timezone(v.tzinfo.key)
        return zone.normalize(v.astimezone(zone))
    return v
