"""(srfi srfi-19): dates and times, as Guile implements them.

Configs use `make-date` (the build VM's initial date) and `date->string`, whose default
format is Guile's "~a ~b ~d ~H:~M:~S~z ~Y" with "Z" for a zero zone offset:
`Wed Jan 01 00:00:00Z 2020`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import time as pytime
from typing import Any

from vsys.dsl.datatypes import Symbol, is_string, pystr
from vsys.dsl.errors import error, wrong_type
from vsys.dsl.procedures import make_primitive

TIME_UTC = Symbol("time-utc")
TIME_TAI = Symbol("time-tai")
TIME_MONOTONIC = Symbol("time-monotonic")
TIME_DURATION = Symbol("time-duration")
TIME_PROCESS = Symbol("time-process")
TIME_THREAD = Symbol("time-thread")

_DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]


class Date:
    __slots__ = ("nanosecond", "second", "minute", "hour", "day", "month", "year",
                 "zone_offset")

    def __init__(self, nanosecond: int, second: int, minute: int, hour: int, day: int,
                 month: int, year: int, zone_offset: int):
        self.nanosecond = nanosecond
        self.second = second
        self.minute = minute
        self.hour = hour
        self.day = day
        self.month = month
        self.year = year
        self.zone_offset = zone_offset

    def to_datetime(self) -> dt.datetime:
        tz = dt.timezone(dt.timedelta(seconds=self.zone_offset))
        return dt.datetime(self.year, self.month, self.day, self.hour, self.minute,
                           min(self.second, 59), self.nanosecond // 1000, tzinfo=tz)

    def scheme_repr(self, write: bool) -> str:
        return (f"#<date nanosecond: {self.nanosecond} second: {self.second} minute: "
                f"{self.minute} hour: {self.hour} day: {self.day} month: {self.month} "
                f"year: {self.year} zone-offset: {self.zone_offset}>")

    def scheme_equal(self, other: Any) -> bool:
        return isinstance(other, Date) and all(
            getattr(self, s) == getattr(other, s) for s in self.__slots__)

    def __repr__(self) -> str:
        return self.scheme_repr(True)


class Time:
    __slots__ = ("type", "nanosecond", "second")

    def __init__(self, type_: Symbol, nanosecond: int, second: int):
        self.type = type_
        self.nanosecond = nanosecond
        self.second = second

    def scheme_repr(self, write: bool) -> str:
        return (f"#<time type: {self.type.name} nanosecond: {self.nanosecond} "
                f"second: {self.second}>")

    def total_ns(self) -> int:
        return self.second * 1_000_000_000 + self.nanosecond

    def scheme_equal(self, other: Any) -> bool:
        return isinstance(other, Time) and other.type is self.type and \
            other.total_ns() == self.total_ns()


def _int(x: Any, who: str, pos: int, lo: int | None = None, hi: int | None = None) -> int:
    if type(x) is not int or (lo is not None and x < lo) or (hi is not None and x > hi):
        rng = f" between {lo} and {hi}" if lo is not None and hi is not None else ""
        raise wrong_type(who, pos, f"exact integer{rng}", x)
    return x


def make_date(nanosecond, second, minute, hour, day, month, year, zone_offset) -> Date:
    """(make-date NANOSECOND SECOND MINUTE HOUR DAY MONTH YEAR ZONE-OFFSET)"""
    who = "make-date"
    d = Date(_int(nanosecond, who, 1, 0, 999_999_999), _int(second, who, 2, 0, 60),
             _int(minute, who, 3, 0, 59), _int(hour, who, 4, 0, 23),
             _int(day, who, 5, 1, 31), _int(month, who, 6, 1, 12), _int(year, who, 7),
             _int(zone_offset, who, 8))
    if 1 <= d.year <= 9999 and d.day > calendar.monthrange(d.year, d.month)[1]:
        raise error(f"make-date: {d.year}-{d.month:02}-{d.day:02} is not a date",
                    key="out-of-range")
    return d


def from_datetime(when: dt.datetime, ns: int | None = None) -> Date:
    off = when.utcoffset()
    return Date(when.microsecond * 1000 if ns is None else ns, when.second, when.minute,
                when.hour, when.day, when.month, when.year,
                int(off.total_seconds()) if off is not None else 0)


def _local_offset(seconds: float) -> int:
    lt = pytime.localtime(seconds)
    return lt.tm_gmtoff


def current_date(tz_offset=None) -> Date:
    now = pytime.time_ns()
    secs, ns = divmod(now, 1_000_000_000)
    off = _local_offset(secs) if tz_offset is None else _int(tz_offset, "current-date", 1)
    when = dt.datetime.fromtimestamp(secs, dt.timezone(dt.timedelta(seconds=off)))
    return from_datetime(when, ns)


def current_time(type_=TIME_UTC) -> Time:
    if type_ is TIME_MONOTONIC:
        ns = pytime.monotonic_ns()
    elif type_ is TIME_PROCESS:
        ns = pytime.process_time_ns()
    else:
        ns = pytime.time_ns()
    secs, rest = divmod(ns, 1_000_000_000)
    return Time(type_, rest, secs)


def date_to_time_utc(d: Date) -> Time:
    epoch = calendar.timegm((d.year, d.month, d.day, d.hour, d.minute, d.second)) - \
        d.zone_offset
    return Time(TIME_UTC, d.nanosecond, epoch)


def time_utc_to_date(t: Time, tz_offset=None) -> Date:
    off = _local_offset(t.second) if tz_offset is None else tz_offset
    when = dt.datetime.fromtimestamp(t.second, dt.timezone(dt.timedelta(seconds=off)))
    return from_datetime(when, t.nanosecond)


def _week_day(d: Date) -> int:
    return (dt.date(d.year, d.month, d.day).weekday() + 1) % 7     # Sunday = 0


def _year_day(d: Date) -> int:
    return dt.date(d.year, d.month, d.day).timetuple().tm_yday


def _zone(d: Date) -> str:
    if d.zone_offset == 0:
        return "Z"
    sign = "-" if d.zone_offset < 0 else "+"
    h, m = divmod(abs(d.zone_offset) // 60, 60)
    return f"{sign}{h:02}{m:02}"


def _hour12(h: int) -> int:
    return 12 if h % 12 == 0 else h % 12


_COMPOSITE = {"c": "~a ~b ~d ~H:~M:~S~z ~Y", "D": "~m/~d/~y", "r": "~I:~M:~S ~p",
              "T": "~H:~M:~S", "x": "~m/~d/~y", "X": "~H:~M:~S", "1": "~Y-~m-~d",
              "2": "~H:~M:~S~z", "3": "~H:~M:~S", "4": "~Y-~m-~dT~H:~M:~S~z",
              "5": "~Y-~m-~dT~H:~M:~S"}


def date_to_string(d: Any, fmt: Any = "~c") -> str:
    """(date->string DATE [FORMAT]): Guile's SRFI-19 formatting (default "~c")."""
    if not isinstance(d, Date):
        raise wrong_type("date->string", 1, "date", d)
    if not is_string(fmt):
        raise wrong_type("date->string", 2, "string", fmt)
    return _format(d, pystr(fmt))


def _format(d: Date, fmt: str) -> str:
    out = []
    i = 0
    while i < len(fmt):
        c = fmt[i]
        if c != "~" or i + 1 >= len(fmt):
            out.append(c)
            i += 1
            continue
        k = fmt[i + 1]
        i += 2
        if k in _COMPOSITE:
            out.append(_format(d, _COMPOSITE[k]))
            continue
        out.append(_directive(d, k))
    return "".join(out)


def _directive(d: Date, k: str) -> str:
    wd = _week_day(d)
    if k == "~":
        return "~"
    if k == "a":
        return _DAYS[wd][:3]
    if k == "A":
        return _DAYS[wd]
    if k in "bh":
        return _MONTHS[d.month - 1][:3]
    if k == "B":
        return _MONTHS[d.month - 1]
    if k == "d":
        return f"{d.day:02}"
    if k == "e":
        return f"{d.day:2}"
    if k == "f":
        frac = f"{d.nanosecond:09}".rstrip("0")
        return f"{d.second:02}" + (f".{frac}" if frac else "")
    if k == "H":
        return f"{d.hour:02}"
    if k == "I":
        return f"{_hour12(d.hour):02}"
    if k == "j":
        return f"{_year_day(d):03}"
    if k == "k":
        return f"{d.hour:2}"
    if k == "l":
        return f"{_hour12(d.hour):2}"
    if k == "m":
        return f"{d.month:02}"
    if k == "M":
        return f"{d.minute:02}"
    if k == "n":
        return "\n"
    if k == "N":
        return f"{d.nanosecond:09}"
    if k == "p":
        return "AM" if d.hour < 12 else "PM"
    if k == "s":
        return str(date_to_time_utc(d).second)
    if k == "S":
        return f"{d.second:02}"
    if k == "t":
        return "\t"
    if k == "U":
        return dt.date(d.year, d.month, d.day).strftime("%U")
    if k == "V":
        return f"{dt.date(d.year, d.month, d.day).isocalendar()[1]:02}"
    if k == "w":
        return str(wd)
    if k == "W":
        return dt.date(d.year, d.month, d.day).strftime("%W")
    if k == "y":
        return f"{d.year % 100:02}"
    if k == "Y":
        return str(d.year)
    if k == "z":
        return _zone(d)
    raise error(f"date->string: bad format directive ~{k}", key="misc-error")


def _date(x: Any, who: str) -> Date:
    if not isinstance(x, Date):
        raise wrong_type(who, 1, "date", x)
    return x


def _time(x: Any, who: str) -> Time:
    if not isinstance(x, Time):
        raise wrong_type(who, 1, "time", x)
    return x


def install(module) -> None:
    d = module.define
    prims: dict[str, Any] = {
        "make-date": make_date,
        "date?": lambda x: isinstance(x, Date),
        "current-date": current_date,
        "current-time": current_time,
        "date->string": date_to_string,
        "date->time-utc": lambda x: date_to_time_utc(_date(x, "date->time-utc")),
        "time-utc->date": lambda t, off=None: time_utc_to_date(_time(t, "time-utc->date"),
                                                               off),
        "date-year-day": lambda x: _year_day(_date(x, "date-year-day")),
        "date-week-day": lambda x: _week_day(_date(x, "date-week-day")),
        "make-time": lambda type_, ns, s: Time(type_, _int(ns, "make-time", 2),
                                               _int(s, "make-time", 3)),
        "time?": lambda x: isinstance(x, Time),
        "time-type": lambda t: _time(t, "time-type").type,
        "time-second": lambda t: _time(t, "time-second").second,
        "time-nanosecond": lambda t: _time(t, "time-nanosecond").nanosecond,
        "time-difference": _time_difference,
        "add-duration": lambda t, dur: _shift(t, dur, 1),
        "subtract-duration": lambda t, dur: _shift(t, dur, -1),
        "time<?": lambda a, b: _time(a, "time<?").total_ns() < _time(b, "time<?").total_ns(),
        "time<=?": lambda a, b: a.total_ns() <= b.total_ns(),
        "time>?": lambda a, b: a.total_ns() > b.total_ns(),
        "time>=?": lambda a, b: a.total_ns() >= b.total_ns(),
        "time=?": lambda a, b: a.total_ns() == b.total_ns(),
    }
    for field in Date.__slots__:
        name = "date-" + field.replace("_", "-")
        prims[name] = (lambda f, n: lambda x: getattr(_date(x, n), f))(field, name)
    for pname, fn in prims.items():
        d(Symbol(pname), make_primitive(pname, fn), True)
    for sym in (TIME_UTC, TIME_TAI, TIME_MONOTONIC, TIME_DURATION, TIME_PROCESS,
                TIME_THREAD):
        d(sym, sym, True)


def _time_difference(a: Any, b: Any) -> Time:
    ns = _time(a, "time-difference").total_ns() - _time(b, "time-difference").total_ns()
    s, rest = divmod(ns, 1_000_000_000)
    return Time(TIME_DURATION, rest, s)


def _shift(t: Any, dur: Any, sign: int) -> Time:
    ns = _time(t, "add-duration").total_ns() + sign * _time(dur, "add-duration").total_ns()
    s, rest = divmod(ns, 1_000_000_000)
    return Time(t.type, rest, s)


__all__ = ["Date", "Time", "make_date", "date_to_string", "current_date"]
