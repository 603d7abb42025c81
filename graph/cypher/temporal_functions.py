"""The temporal functions of Cypher, as Neo4j 5 has them: constructors, truncation, durations between.

`date(x)`, `localtime(x)`, `time(x)`, `localdatetime(x)`, `datetime(x)` and `duration(x)` take a
string (see `temporal_parse`), a map of fields (`{year: 1984, week: 10, dayOfWeek: 3}`,
`{date: d, time: t, timezone: 'Europe/Stockholm', day: 28}`, `{epochSeconds: n}`), another
temporal value to select from, or nothing (the current instant). The current instant is fixed
once per query, as Neo4j fixes it once per statement: `date()`, `date.statement()` and
`date.transaction()` agree within a query; `date.realtime()` reads the clock each time. The
default time zone is UTC, Neo4j's default (`db.temporal.timezone`).

`X.truncate(unit, value[, map])` cuts a value down to a unit (millennium ... microsecond) and
then applies the map's fields; `duration.between(a, b)` and `duration.inMonths/inDays/inSeconds`
follow java.time's `until` with Neo4j's rules for values of different types (a missing date is
taken from the other value, a missing time is midnight, a missing zone the other one's).
`FUNCTIONS` maps each name to (min args, max args, implementation(engine, args)).
"""

from __future__ import annotations

import time as _time
from collections.abc import Callable
from typing import Any

from ..errors import QueryError
from .temporal import (
    DAY_NS,
    DAY_S,
    HAS_DATE,
    HAS_TIME,
    HAS_ZONE,
    NS,
    Date,
    DateTime,
    Duration,
    LocalDateTime,
    LocalTime,
    Time,
    _java_rem,
    _trunc_div,
    add_duration,
    approximate,
    check_year,
    civil_from_days,
    days_from_civil,
    duration,
    offset_at_instant,
    plus_months,
    resolve_local,
    week_fields,
    week_one_monday,
)
from .temporal_parse import (
    date_from_fields,
    default_zone,
    parse_date,
    parse_datetime,
    parse_duration,
    parse_local_datetime,
    parse_local_time,
    parse_time,
    parse_zone,
    time_from_fields,
)

_DATE_KEYS = ("year", "month", "day", "week", "dayofweek", "quarter", "dayofquarter", "ordinalday")
_TIME_KEYS = ("hour", "minute", "second", "millisecond", "microsecond", "nanosecond")
_SUB = ("millisecond", "microsecond", "nanosecond")
_DURATION_KEYS = ("years", "quarters", "months", "weeks", "days", "hours", "minutes", "seconds", "milliseconds",
                  "microseconds", "nanoseconds")


def _type_name(v: Any) -> str:
    from .values import type_name

    return type_name(v)


# ---------------------------------------------------------------- the clock


def statement_now(eng: Any) -> int:
    """The statement's instant in epoch nanoseconds (fixed at the query's start)."""
    now = getattr(eng, "clock_ns", None)
    return now if now is not None else _time.time_ns()


def _zone_arg(v: Any) -> tuple[int | None, str | None]:
    if type(v) is not str:
        raise QueryError(f"Type mismatch: expected a time zone String but was {_type_name(v)}")
    return parse_zone(v)


def _now_in(epoch_ns: int, off: int | None, name: str | None) -> DateTime:
    if name is not None:
        off = offset_at_instant(name, epoch_ns // NS)
    d, n = divmod(epoch_ns + off * NS, DAY_NS)
    return DateTime(d, n, off, name)


def _current(kind: str, epoch_ns: int, tz: Any = None) -> Any:
    off, name = default_zone() if tz is None else _zone_arg(tz)
    dt = _now_in(epoch_ns, off, name)
    return _project(kind, dt)


def _project(kind: str, dt: DateTime) -> Any:
    if kind == "date":
        return Date(dt.days)
    if kind == "localtime":
        return LocalTime(dt.nanos)
    if kind == "time":
        return Time(dt.nanos, dt.offset)
    if kind == "localdatetime":
        return LocalDateTime(dt.days, dt.nanos)
    return dt


# ---------------------------------------------------------------- building from maps


def _int_field(name: str, v: Any) -> int:
    if type(v) is not int:
        raise QueryError(f"{name} must be an integer value, but was a {_type_name(v)}")
    return v


def _fields(kind: str, m: dict) -> dict:
    """The map's entries keyed in lower case, each checked to belong to the type."""
    allowed = {
        "date": {*_DATE_KEYS, "date", "timezone"},
        "localtime": {*_TIME_KEYS, "time", "timezone"},
        "time": {*_TIME_KEYS, "time", "timezone"},
        "localdatetime": {*_DATE_KEYS, *_TIME_KEYS, "date", "time", "datetime", "timezone"},
        "datetime": {*_DATE_KEYS, *_TIME_KEYS, "date", "time", "datetime", "timezone", "epochseconds", "epochmillis"},
    }[kind]
    out = {}
    for k, v in m.items():
        lk = k.lower()
        if lk not in allowed:
            known = {*_DATE_KEYS, *_TIME_KEYS, "date", "time", "datetime", "timezone", "epochseconds", "epochmillis"}
            raise QueryError(f"No such field: {k}" if lk not in known else f"Not supported: {k}")
        out[lk] = v
    return out


def _date_days(f: dict, base: int | None) -> int | None:
    """The date the fields give, on top of a base date (days) when selecting from one."""
    given = {k: _int_field(k, f[k]) for k in _DATE_KEYS if k in f and f[k] is not None}
    if base is None and not given:
        return None
    week_style = "week" in given or "dayofweek" in given
    quarter_style = "quarter" in given or "dayofquarter" in given
    if week_style:
        for k in ("month", "day", "quarter", "dayofquarter", "ordinalday"):
            if k in given:
                raise QueryError(f"Cannot assign {k} to week date.")
    if quarter_style:
        for k in ("month", "day", "ordinalday"):
            if k in given:
                raise QueryError(f"Cannot assign {k} to quarter date.")
    if "ordinalday" in given and ("month" in given or "day" in given):
        raise QueryError("Cannot assign month or day to ordinal date.")
    if base is None:
        if "year" not in given:
            raise QueryError("year must be specified")
        if "day" in given and "month" not in given:
            raise QueryError("day cannot be specified without month")
        if "dayofweek" in given and "week" not in given:
            raise QueryError("dayOfWeek cannot be specified without week")
        if "dayofquarter" in given and "quarter" not in given:
            raise QueryError("dayOfQuarter cannot be specified without quarter")
        y = given["year"]
        if week_style:
            return date_from_fields(y, week=given["week"], dow=given.get("dayofweek", 1))
        if quarter_style:
            return date_from_fields(y, quarter=given["quarter"], doq=given.get("dayofquarter", 1))
        if "ordinalday" in given:
            return date_from_fields(y, ordinal=given["ordinalday"])
        return date_from_fields(y, given.get("month", 1), given.get("day", 1))
    y, mo, d = civil_from_days(base)
    if week_style:
        wy, w, dow = week_fields(base)
        return date_from_fields(given.get("year", wy), week=given.get("week", w), dow=given.get("dayofweek", dow))
    if quarter_style:
        q = (mo - 1) // 3 + 1
        doq = base - days_from_civil(y, (q - 1) * 3 + 1, 1) + 1
        return date_from_fields(given.get("year", y), quarter=given.get("quarter", q),
                                doq=given.get("dayofquarter", doq))
    if "ordinalday" in given:
        return date_from_fields(given.get("year", y), ordinal=given["ordinalday"])
    return date_from_fields(given.get("year", y), given.get("month", mo), given.get("day", d))


def _time_nanos(f: dict, base: int | None) -> int | None:
    """The time of day the fields give (nanoseconds), on top of a base time when selecting."""
    given = {k: _int_field(k, f[k]) for k in _TIME_KEYS if k in f and f[k] is not None}
    if base is None and not given:
        return None
    if base is None:
        if "hour" not in given:
            raise QueryError("hour must be specified")
        if "minute" not in given and ("second" in given or any(k in given for k in _SUB)):
            raise QueryError(f"{'second' if 'second' in given else 'subsecond'} cannot be specified without minute")
        if "second" not in given and any(k in given for k in _SUB):
            raise QueryError("subsecond cannot be specified without second")
        h, mi, s, frac = given["hour"], given.get("minute", 0), given.get("second", 0), 0
    else:
        h, mi, s, frac = base // (3600 * NS), base // (60 * NS) % 60, base // NS % 60, base % NS
        h, mi, s = given.get("hour", h), given.get("minute", mi), given.get("second", s)
    if any(k in given for k in _SUB):
        frac = _subsecond(given)
    return time_from_fields(h, mi, s, frac)


def _subsecond(given: dict) -> int:
    ms, us, ns = given.get("millisecond"), given.get("microsecond"), given.get("nanosecond")
    if ms is not None and not 0 <= ms <= 999:
        raise QueryError(f"Invalid value for MilliOfSecond (valid values 0 - 999): {ms}")
    us_max = 999 if ms is not None else 999_999
    if us is not None and not 0 <= us <= us_max:
        raise QueryError(f"Invalid value for MicroOfSecond (valid values 0 - {us_max}): {us}")
    ns_max = 999 if us is not None else 999_999 if ms is not None else NS - 1
    if ns is not None and not 0 <= ns <= ns_max:
        raise QueryError(f"Invalid value for NanoOfSecond (valid values 0 - {ns_max}): {ns}")
    return (ms or 0) * 1_000_000 + (us or 0) * 1000 + (ns or 0)


def _zone_of(v: Any) -> tuple[int, str | None] | None:
    """(offset, zone name) of a value that has a zone."""
    if type(v) is Time:
        return v.offset, None
    if type(v) is DateTime:
        return v.offset, v.zone
    return None


def _at_zone(days: int, nanos: int, off: int | None, name: str | None, prefer: int | None = None) -> DateTime:
    if name is not None:
        d, n, o = resolve_local(name, days, nanos, prefer=prefer)
        return DateTime(d, n, o, name)
    return DateTime(days, nanos, off, None)


def _convert(dt: DateTime, off: int | None, name: str | None) -> DateTime:
    """The same instant in another zone."""
    epoch = dt.epoch_ns()
    if name is not None:
        off = offset_at_instant(name, epoch // NS)
    d, n = divmod(epoch + off * NS, DAY_NS)
    return DateTime(d, n, off, name)


def from_map(kind: str, m: dict, eng: Any) -> Any:
    """date({...}), time({...}) and the others from a map: built from fields, selected from other
    values (`date`, `time`, `datetime` keys) with fields overriding, or the current instant in
    the map's `timezone`."""
    f = _fields(kind, m)
    if not f:
        raise QueryError("At least one temporal unit must be specified.")
    tz = f.get("timezone")
    zone_given = _zone_arg(tz) if tz is not None else None
    if set(f) == {"timezone"}:
        return _current(kind, statement_now(eng), tz)
    if kind == "datetime" and ("epochseconds" in f or "epochmillis" in f):
        return _from_epoch_map(f, zone_given)
    src_dt, src_date, src_time = f.get("datetime"), f.get("date"), f.get("time")
    for name, v, ok in (("datetime", src_dt, HAS_DATE), ("date", src_date, HAS_DATE), ("time", src_time, HAS_TIME)):
        if v is not None and type(v) not in ok:
            raise QueryError(f"Cannot select {name} from: {v}")
    date_src = src_dt if src_dt is not None else src_date
    time_src = src_time if src_time is not None else (src_dt if src_dt is not None
                                                      and kind in ("localdatetime", "datetime") else None)
    if kind == "date":
        return Date(_date_days(f, date_src.days if date_src is not None else None))
    if kind in ("localtime", "time"):
        if src_time is not None and type(src_time) not in HAS_TIME:
            raise QueryError(f"Cannot get the time of: {src_time}")
        nanos = _time_nanos(f, src_time.nanos if src_time is not None else None)
        if kind == "localtime":
            return LocalTime(nanos)
        src_zone = _zone_of(src_time) if src_time is not None else None
        if zone_given is None:
            off = src_zone[0] if src_zone else default_zone()[0]
            return Time(nanos, off)
        new_off = (zone_given[0] if zone_given[0] is not None
                   else offset_at_instant(zone_given[1], statement_now(eng) // NS))
        if src_zone is None:
            return Time(nanos, new_off)
        return Time((nanos - src_zone[0] * NS + new_off * NS) % DAY_NS, new_off)
    days = _date_days(f, date_src.days if date_src is not None else None)
    if days is None:
        raise QueryError("year must be specified")
    nanos = _time_nanos(f, time_src.nanos if time_src is not None and type(time_src) in HAS_TIME else None)
    nanos = 0 if nanos is None else nanos
    if kind == "localdatetime":
        return LocalDateTime(days, nanos)
    check_year(civil_from_days(days)[0])
    src_zone = _zone_of(time_src) if time_src is not None else None
    if src_zone is None and src_dt is not None:
        src_zone = _zone_of(src_dt)
    if src_zone is None:
        off, name = zone_given if zone_given is not None else default_zone()
        return _at_zone(days, nanos, off, name)
    local = _at_zone(days, nanos, src_zone[0], src_zone[1], prefer=src_zone[0])
    return local if zone_given is None else _convert(local, *zone_given)


def _from_epoch_map(f: dict, zone_given) -> DateTime:
    if "epochseconds" in f:
        s = f["epochseconds"]
        if type(s) is not int:
            raise QueryError(f"Cannot construct date time from: {s}")
        epoch = s * NS
    else:
        ms = f["epochmillis"]
        if type(ms) is not int:
            raise QueryError(f"Cannot construct date time from: {ms}")
        epoch = ms * 1_000_000
    off, name = zone_given if zone_given is not None else default_zone()
    dt = _now_in(epoch, off, name)
    rest = {k: v for k, v in f.items() if k not in ("epochseconds", "epochmillis", "timezone")}
    if not rest:
        return dt
    days = _date_days(rest, dt.days)
    nanos = _time_nanos(rest, dt.nanos)
    return _at_zone(days, nanos, dt.offset, dt.zone, prefer=dt.offset)


def duration_from_map(m: dict) -> Duration:
    f = {}
    for k, v in m.items():
        lk = k.lower()
        if lk not in _DURATION_KEYS:
            raise QueryError(f"No such field: {k}")
        if v is None:
            continue
        if type(v) not in (int, float):
            raise QueryError(f"{k} must be a number value, but was a {_type_name(v)}")
        f[lk] = v
    if not m:
        raise QueryError("At least one temporal unit must be specified.")

    def g(k):
        return f.get(k, 0)

    months = g("years") * 12 + g("quarters") * 3 + g("months")
    days = g("weeks") * 7 + g("days")
    seconds = g("hours") * 3600 + g("minutes") * 60 + g("seconds")
    nanos = g("milliseconds") * 1_000_000 + g("microseconds") * 1000 + g("nanoseconds")
    if all(type(x) is int for x in f.values()):
        return duration(months, days, seconds, nanos)
    return approximate(float(months), float(days), float(seconds), float(nanos))


# ---------------------------------------------------------------- constructor functions


def _select(kind: str, v: Any) -> Any:
    """date(other) and the like: the part of another temporal value the type holds."""
    t = type(v)
    if kind == "date":
        if t not in HAS_DATE:
            raise QueryError(f"Cannot get the date of: {v}")
        return Date(v.days)
    if kind == "localtime":
        if t not in HAS_TIME:
            raise QueryError(f"Cannot get the time of: {v}")
        return LocalTime(v.nanos)
    if kind == "time":
        if t not in HAS_TIME:
            raise QueryError(f"Cannot get the time of: {v}")
        return Time(v.nanos, v.offset if t in HAS_ZONE else default_zone()[0])
    if kind == "localdatetime":
        if t not in (LocalDateTime, DateTime):
            raise QueryError(f"Cannot get the {'time' if t is Date else 'date'} of: {v}")
        return LocalDateTime(v.days, v.nanos)
    if t is DateTime:
        return v
    if t is LocalDateTime:
        off, name = default_zone()
        return _at_zone(v.days, v.nanos, off, name)
    raise QueryError(f"Cannot select datetime from: {v}")


_PARSERS = {"date": parse_date, "localtime": parse_local_time, "time": parse_time,
            "localdatetime": parse_local_datetime, "datetime": parse_datetime}
_KINDS = {"date": Date, "localtime": LocalTime, "time": Time, "localdatetime": LocalDateTime, "datetime": DateTime}


def _constructor(kind: str) -> Callable:
    def build(eng, a):
        if not a:
            return _current(kind, statement_now(eng))
        v = a[0]
        if v is None:
            return None
        t = type(v)
        if t is str:
            return _PARSERS[kind](v)
        if t is dict:
            return from_map(kind, v, eng)
        if t in _KINDS.values() and t is not Duration:
            return _select(kind, v)
        raise QueryError(f"Type mismatch: {kind}() expects a String, a Map or a temporal value, but was "
                         f"{_type_name(v)}")

    return build


def _clock(kind: str, real: bool) -> Callable:
    def current(eng, a):
        tz = a[0] if a else None
        if a and tz is None:
            return None
        return _current(kind, _time.time_ns() if real else statement_now(eng), tz)

    return current


def _duration_fn(eng, a):
    v = a[0]
    if v is None:
        return None
    if type(v) is str:
        return parse_duration(v)
    if type(v) is dict:
        return duration_from_map(v)
    if type(v) is Duration:
        return v
    raise QueryError(f"Type mismatch: duration() expects a String or a Map, but was {_type_name(v)}")


def _from_epoch(eng, a):
    s, n = a
    if s is None or n is None:
        return None
    if type(s) is not int or type(n) is not int:
        raise QueryError("datetime.fromepoch() takes Integers")
    return _now_in(s * NS + n, *default_zone())


def _from_epoch_millis(eng, a):
    ms = a[0]
    if ms is None:
        return None
    if type(ms) is not int:
        raise QueryError("datetime.fromepochmillis() takes an Integer")
    return _now_in(ms * 1_000_000, *default_zone())


# ---------------------------------------------------------------- truncate

_DATE_UNITS = ("millennium", "century", "decade", "year", "weekyear", "quarter", "month", "week", "day")
_TIME_UNITS = ("day", "hour", "minute", "second", "millisecond", "microsecond")
_UNIT_NS = {"day": DAY_NS, "hour": 3600 * NS, "minute": 60 * NS, "second": NS, "millisecond": 1_000_000,
            "microsecond": 1000}


def _truncate_days(days: int, unit: str) -> int:
    y, m, _ = civil_from_days(days)
    if unit in ("millennium", "century", "decade"):
        step = {"millennium": 1000, "century": 100, "decade": 10}[unit]
        return days_from_civil(_trunc_div(y, step) * step, 1, 1)  # toward year 0, as Neo4j does
    if unit == "year":
        return days_from_civil(y, 1, 1)
    if unit == "weekyear":
        return week_one_monday(week_fields(days)[0])
    if unit == "quarter":
        return days_from_civil(y, (m - 1) // 3 * 3 + 1, 1)
    if unit == "month":
        return days_from_civil(y, m, 1)
    if unit == "week":
        return days - (days + 3) % 7
    return days


def _truncate(kind: str) -> Callable:
    def truncate(eng, a):
        unit, v = a[0], a[1]
        extra = a[2] if len(a) > 2 else None
        if unit is None or v is None:
            return None
        if type(unit) is not str:
            raise QueryError(f"Type mismatch: the unit of {kind}.truncate() must be a String, but was "
                             f"{_type_name(unit)}")
        u = unit.lower()
        if u not in _DATE_UNITS + _TIME_UNITS:
            raise QueryError(f"Unsupported unit: {unit}")
        if extra is not None and type(extra) is not dict:
            raise QueryError(f"Type mismatch: the fields of {kind}.truncate() must be a Map, but was "
                             f"{_type_name(extra)}")
        t = type(v)
        if kind in ("date", "localdatetime", "datetime") and t not in HAS_DATE:
            raise QueryError(f"Cannot truncate {_type_name(v)} to {kind}")
        if kind in ("localtime", "time") and t not in HAS_TIME:
            raise QueryError(f"Cannot truncate {_type_name(v)} to {kind}")
        if kind == "date" and u not in _DATE_UNITS:
            raise QueryError(f"Unit too small for truncating a date: {unit}")
        if kind in ("localtime", "time") and u not in _TIME_UNITS:
            raise QueryError(f"Unit too large for truncating a time: {unit}")
        fields = {k.lower(): x for k, x in (extra or {}).items()}
        if "timezone" in fields and kind in ("date", "localtime", "localdatetime"):
            raise QueryError("Cannot assign time zone if also assigning other fields.")
        if kind in ("datetime", "localdatetime") and t not in HAS_TIME and u in _TIME_UNITS and u != "day":
            raise QueryError(f"Cannot truncate {v} to {'local ' if kind == 'localdatetime' else ''}date time with a "
                             "time based unit.")
        days = _truncate_days(v.days, u) if kind not in ("localtime", "time") else None
        nanos = 0
        if t in HAS_TIME and u in _UNIT_NS:
            nanos = v.nanos - v.nanos % _UNIT_NS[u]
            if u == "millisecond" and ("microsecond" in fields or "nanosecond" in fields):
                fields.setdefault("millisecond", nanos % NS // 1_000_000)
            elif u == "microsecond" and "nanosecond" in fields:
                fields.setdefault("microsecond", nanos % NS // 1000)
        tz = fields.pop("timezone", None)
        if kind != "date":
            for k in _TIME_KEYS:
                if k in fields and fields[k] is not None:
                    nanos = _time_nanos(fields, nanos)
                    break
        for k in _TIME_KEYS:
            fields.pop(k, None)
        if days is not None and fields:
            days = _date_days(fields, days)
        elif fields:
            raise QueryError(f"No such field: {next(iter(fields))}")
        if kind == "date":
            return Date(days)
        if kind == "localdatetime":
            return LocalDateTime(days, nanos)
        if kind == "localtime":
            return LocalTime(nanos)
        if kind == "time":
            off = v.offset if t in HAS_ZONE else default_zone()[0]
            if tz is not None:
                zoff, zname = _zone_arg(tz)
                off = zoff if zoff is not None else offset_at_instant(zname, statement_now(eng) // NS)
            return Time(nanos, off)
        if tz is not None:
            off, name = _zone_arg(tz)
        elif t is DateTime:
            off, name = v.offset, v.zone
        else:
            off, name = default_zone()
        return _at_zone(days, nanos, off, name, prefer=off if name is not None else None)

    return truncate


# ---------------------------------------------------------------- durations between


def _has_date(v) -> bool:
    return type(v) in HAS_DATE


def _has_time(v) -> bool:
    return type(v) in HAS_TIME


def _has_zone(v) -> bool:
    return type(v) in HAS_ZONE


def _attach_time(v):
    return v if _has_time(v) else LocalDateTime(v.days, 0)


def _attach_date(v, days: int):
    if type(v) is Time:
        return DateTime(days, v.nanos, v.offset, None)
    return LocalDateTime(days, v.nanos)


def _attach_zone(v, src):
    if type(src) is DateTime and src.zone:
        if type(v) is LocalDateTime:
            d, n, o = resolve_local(src.zone, v.days, v.nanos)
            return DateTime(d, n, o, src.zone)
        return Time(v.nanos, offset_at_instant(src.zone, _time.time() // 1))
    if type(v) is LocalDateTime:
        return DateTime(v.days, v.nanos, src.offset, None)
    return Time(v.nanos, src.offset)


def _until(a, b, unit: str) -> int:
    """java.time's a.until(b, unit) after Neo4j fills in what one side lacks."""
    if unit in ("nanos", "seconds"):
        a, b = _attach_time(a), _attach_time(b)
    elif _has_time(a) and not _has_time(b):
        b = _attach_time(b)
    elif _has_time(b) and not _has_time(a):
        a = _attach_time(a)
    if _has_date(a) and not _has_date(b):
        b = _attach_date(b, a.days)
    elif _has_date(b) and not _has_date(a):
        a = _attach_date(a, b.days)
    if _has_zone(a) and not _has_zone(b):
        b = _attach_zone(b, a)
    elif _has_zone(b) and not _has_zone(a):
        a = _attach_zone(a, b)
    return _java_until(a, b, unit)


def _months_between(d1: int, d2: int) -> int:
    y1, m1, x1 = civil_from_days(d1)
    y2, m2, x2 = civil_from_days(d2)
    return _trunc_div((y2 * 12 + m2 - 1) * 32 + x2 - ((y1 * 12 + m1 - 1) * 32 + x1), 32)


def _java_until(a, b, unit: str) -> int:
    t = type(a)
    if t is DateTime:
        b = _same_instant(b, a)
        if unit in ("nanos", "seconds"):
            diff = b.epoch_ns() - a.epoch_ns()
            return diff if unit == "nanos" else _trunc_div(diff, NS)
        a, b = LocalDateTime(a.days, a.nanos), LocalDateTime(b.days, b.nanos)
        t = LocalDateTime
    if t is LocalDateTime:
        if unit in ("nanos", "seconds"):
            diff = (b.days - a.days) * DAY_NS + b.nanos - a.nanos
            return diff if unit == "nanos" else _trunc_div(diff, NS)
        end = b.days
        if end > a.days and b.nanos < a.nanos:
            end -= 1
        elif end < a.days and b.nanos > a.nanos:
            end += 1
        return end - a.days if unit == "days" else _months_between(a.days, end)
    if t is Date:
        if unit in ("nanos", "seconds"):
            raise QueryError(f"Unsupported unit: {unit}")  # pragma: no cover - dates get a time first
        return b.days - a.days if unit == "days" else _months_between(a.days, b.days)
    if unit not in ("nanos", "seconds"):
        raise QueryError(f"Unsupported unit: {unit.capitalize()}")
    if t is Time:
        diff = (b.nanos - b.offset * NS) - (a.nanos - a.offset * NS)
    else:
        diff = b.nanos - a.nanos
    return diff if unit == "nanos" else _trunc_div(diff, NS)


def _same_instant(b: DateTime, a: DateTime) -> DateTime:
    epoch = b.epoch_ns()
    off = offset_at_instant(a.zone, epoch // NS) if a.zone else a.offset
    d, n = divmod(epoch + off * NS, DAY_NS)
    return DateTime(d, n, off, a.zone)


def _plus(v, months: int = 0, days: int = 0):
    return add_duration(v, Duration(months, days, 0, 0))


def duration_between(a, b) -> Duration:
    months = days = 0
    if _has_date(a) and _has_date(b):
        months = _until(a, b, "months")
        a = _plus(a, months=months)
        days = _until(a, b, "days")
        a = _plus(a, days=days)
    nanos = _until(a, b, "nanos")
    return duration(months, days, _trunc_div(nanos, NS), _java_rem(nanos, NS))


def _in_seconds(a, b) -> Duration:
    negate = False
    if _has_zone(a) and not _has_zone(b):
        a, b, negate = b, a, True
    seconds = _until(a, b, "seconds")
    na, nb = a.nanos % NS if _has_time(a) else 0, b.nanos % NS if _has_time(b) else 0
    nanos = nb - na
    second_of_minute = lambda v: v.nanos // NS % 60  # noqa: E731
    less_than_one = seconds == 0 and _has_time(a) and _has_time(b) and second_of_minute(a) != second_of_minute(b)
    if nanos < 0 and (seconds > 0 or less_than_one):
        nanos += NS
    elif nanos > 0 and (seconds < 0 or less_than_one):
        nanos -= NS
    if negate:
        seconds, nanos = -seconds, -nanos
    return duration(0, 0, seconds, nanos)


def _between(which: str) -> Callable:
    def between(eng, a):
        x, y = a
        if x is None or y is None:
            return None
        for v in (x, y):
            if type(v) not in _KINDS.values():
                raise QueryError(f"Type mismatch: duration.{which}() expects temporal values, but was {_type_name(v)}")
        if which == "between":
            return duration_between(x, y)
        if which == "inMonths":
            return duration(_until(x, y, "months"), 0, 0, 0)
        if which == "inDays":
            return duration(0, _until(x, y, "days"), 0, 0)
        return _in_seconds(x, y)

    return between


FUNCTIONS: dict[str, tuple[int, int, Callable]] = {"duration": (1, 1, _duration_fn)}
for _kind in ("date", "localtime", "time", "localdatetime", "datetime"):
    FUNCTIONS[_kind] = (0, 1, _constructor(_kind))
    FUNCTIONS[f"{_kind}.statement"] = (0, 1, _clock(_kind, False))
    FUNCTIONS[f"{_kind}.transaction"] = (0, 1, _clock(_kind, False))
    FUNCTIONS[f"{_kind}.realtime"] = (0, 1, _clock(_kind, True))
    FUNCTIONS[f"{_kind}.truncate"] = (2, 3, _truncate(_kind))
FUNCTIONS["datetime.fromepoch"] = (2, 2, _from_epoch)
FUNCTIONS["datetime.fromepochmillis"] = (1, 1, _from_epoch_millis)
for _which in ("between", "inMonths", "inDays", "inSeconds"):
    FUNCTIONS[f"duration.{_which.lower()}"] = (2, 2, _between(_which))

__all__ = ["FUNCTIONS", "from_map", "duration_between", "DAY_S", "plus_months"]
