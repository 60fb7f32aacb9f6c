"""(srfi srfi-19): times and dates, with Guile's semantics.

Configs use `make-date` (the build VM's initial date) and `date->string`, whose default
format is "~a ~b ~d ~H:~M:~S~z ~Y" with "Z" for a zero zone offset:
`Wed Jan 01 00:00:00Z 2020`.  The rest follows Guile's module so that a program gives
the same answers under both: TAI and monotonic times (the same clock, as in Guile) apart
from UTC by the leap-second table, julian days, time arithmetic, `string->date`, and
Guile's quirks where they show (`make-time` normalizes only partly, `~V` can print -1,
`~I` prints hour 0 as 00).  Field values are any real numbers, as in Guile: a julian day
of 1/10 gives fractional nanoseconds.
"""

from __future__ import annotations

import math
import os
import time as pytime
from fractions import Fraction
from typing import Any

from ..datatypes import EOF, UNSPECIFIED, Char, Pair, Symbol, from_list, is_string, pystr
from ..errors import Condition, SchemeError, error, out_of_range, wrong_type
from ..modules import register_builtin
from ..printer import write_string
from ..procedures import Primitive, make_primitive
from .numbers import fix

TIME_UTC = Symbol("time-utc")
TIME_TAI = Symbol("time-tai")
TIME_MONOTONIC = Symbol("time-monotonic")
TIME_DURATION = Symbol("time-duration")
TIME_PROCESS = Symbol("time-process")
TIME_THREAD = Symbol("time-thread")

NANO = 1_000_000_000
SECONDS_PER_DAY = 86400
UTC_EPOCH_IN_JD = Fraction(4881175, 2)     # the julian day of 1970-01-01T00:00:00Z
MJD_OFFSET = Fraction(4800001, 2)          # julian day minus modified julian day

_DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]

# Leap seconds since 1972, newest first: (UTC second since the epoch at which TAI - UTC
# becomes N, N).  The same table as Guile 3.0's.
LEAP_SECONDS = (
    (1483228800, 37), (1435708800, 36), (1341100800, 35), (1230768000, 34),
    (1136073600, 33), (915148800, 32), (867715200, 31), (820454400, 30),
    (773020800, 29), (741484800, 28), (709948800, 27), (662688000, 26),
    (631152000, 25), (567993600, 24), (489024000, 23), (425865600, 22),
    (394329600, 21), (362793600, 20), (315532800, 19), (283996800, 18),
    (252460800, 17), (220924800, 16), (189302400, 15), (157766400, 14),
    (126230400, 13), (94694400, 12), (78796800, 11), (63072000, 10))


def utc_to_tai(seconds: Any) -> Any:
    for start, shift in LEAP_SECONDS:
        if seconds >= start:
            return seconds + shift
    return seconds


def tai_to_utc(seconds: Any) -> Any:
    for start, shift in LEAP_SECONDS:
        if seconds >= start + shift:
            return seconds - shift
    return seconds


def _tai_before_leap_second(seconds: Any) -> bool:
    return any(seconds == start + shift - 1 for start, shift in LEAP_SECONDS)


def _prim(name: str, fn, params: str) -> Primitive:
    """A primitive that prints as Guile's procedure of that name does (test names and
    error messages show them)."""
    p = make_primitive(name, fn)
    p.params = params
    return p


# --- errors -------------------------------------------------------------------------------

_HINTS = {
    "incompatible-time-types": "times of different clocks: convert one first "
                               "(time-utc->time-tai, time-tai->time-utc...)",
    "not-duration": "the second argument is a time-duration, as time-difference returns",
    "invalid-clock-type": "the clocks are time-utc, time-tai, time-monotonic and "
                          "time-process",
}
_PRINT_HINT = ("date->string directives: ~~ ~a ~A ~b ~B ~c ~d ~D ~e ~f ~h ~H ~I ~j ~k ~l "
               "~m ~M ~n ~N ~p ~r ~s ~S ~t ~T ~U ~V ~w ~W ~x ~X ~y ~Y ~z ~Z ~1 to ~5, "
               "each may follow - (no padding) or _ (spaces)")
_READ_HINT = ("string->date reads ~~ ~a ~A ~b ~B ~d ~e ~h ~H ~k ~m ~M ~N ~S ~y ~Y ~z, "
              "needs a day, month and year, and the other characters of the template "
              "must be in the input")


def time_error(caller: str, kind: str, value: Any = None) -> SchemeError:
    """Guile's SRFI-19 error: a misc-error "TIME-ERROR type KIND: VALUE" from CALLER."""
    if value is None:
        args: tuple = (Symbol(caller), "TIME-ERROR type ~A", from_list([Symbol(kind)]), False)
        text = f"{caller}: TIME-ERROR type {kind}"
    else:
        args = (Symbol(caller), "TIME-ERROR type ~A: ~S",
                from_list([Symbol(kind), value]), False)
        text = f"{caller}: TIME-ERROR type {kind}: {write_string(value)}"
    hint = _HINTS.get(kind) or (_PRINT_HINT if caller == "date-printer" else
                                _READ_HINT if kind.startswith("bad-date") else None)
    return SchemeError(Condition("misc-error", text, (), caller, [hint] if hint else None,
                                 args))


def _real(x: Any, who: str, pos: int) -> Any:
    if type(x) not in (int, Fraction, float):
        raise wrong_type(who, pos, "real number", x)
    return x


# --- exact and inexact arithmetic as Guile's does it --------------------------------------

def _exact(x: Any) -> Any:
    """inexact->exact: an infinite or NaN time has no exact value, as in Guile."""
    if type(x) is float:
        if not math.isfinite(x):
            raise out_of_range("inexact->exact", 1, x)
        return fix(Fraction(x))
    return x


def _floor(x: Any) -> int:
    return math.floor(_exact(x))


def _div(a: Any, b: Any) -> Any:
    """Scheme's `/`: exact operands give an exact (possibly rational) result."""
    if type(a) is not float and type(b) is not float:
        return fix(Fraction(a) / b)
    return a / b


def _trunc_quotient(a: Any, b: int) -> Any:
    q = a // b
    if q < 0 and q * b != a:
        q += 1
    return q


def _quot(a: int, b: int) -> int:
    """R5RS `quotient` of exact integers: rounds toward zero."""
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def _rem(a: int, b: int) -> int:
    return a - b * _quot(a, b)


def _is_integer(x: Any) -> bool:
    return type(x) is int or (type(x) is float and x.is_integer())


# --- time ---------------------------------------------------------------------------------

class Time:
    """A time: a clock type and seconds plus nanoseconds since that clock's epoch."""

    __slots__ = ("type", "nanosecond", "second")

    def __init__(self, type_: Any, nanosecond: Any, second: Any):
        self.type = type_
        self.nanosecond = nanosecond
        self.second = second

    def scheme_repr(self, write: bool) -> str:
        return (f"#<time type: {write_string(self.type)} nanosecond: "
                f"{write_string(self.nanosecond)} second: {write_string(self.second)}>")

    def total_ns(self) -> Any:
        return self.second * NANO + self.nanosecond

    def scheme_equal(self, other: Any) -> bool:
        return isinstance(other, Time) and other.type is self.type and \
            other.second == self.second and other.nanosecond == self.nanosecond

    def __repr__(self) -> str:
        return self.scheme_repr(True)


def _normalize(t: Time) -> Time:
    """Guile's normalization: carry whole seconds out of the nanoseconds, then give both
    fields one sign.  The sign step reads the fields as they were before the carry, as
    Guile's does, so (make-time t -1500000000 5) stays at 4 s -500000000 ns."""
    s, ns = t.second, t.nanosecond
    if abs(ns) >= NANO:
        q = _trunc_quotient(ns, NANO)
        t.second = fix(s + _exact(q))
        t.nanosecond = fix(ns - q * NANO)
    if s > 0 and ns < 0:
        t.second, t.nanosecond = s - 1, fix(ns + NANO)
    elif s < 0 and ns > 0:
        t.second, t.nanosecond = s + 1, fix(ns - NANO)
    return t


def make_time(type_: Any, nanosecond: Any, second: Any) -> Time:
    return _normalize(Time(type_, _real(nanosecond, "make-time", 2),
                           _real(second, "make-time", 3)))


def _time(x: Any, who: str, pos: int = 1) -> Time:
    if not isinstance(x, Time):
        raise wrong_type(who, pos, "time", x)
    return x


def _typed(x: Any, kind: Symbol, who: str) -> Time:
    if _time(x, who).type is not kind:
        raise time_error(who, "incompatible-time-types", x)
    return x


def copy_time(t: Any) -> Time:
    t = _time(t, "copy-time")
    return _normalize(Time(t.type, t.nanosecond, t.second))


def _now_usec() -> tuple[int, int]:
    """Seconds and microseconds of the wall clock (Guile's clocks read gettimeofday)."""
    return divmod(pytime.time_ns() // 1000, 1_000_000)


def current_time(*clock_type: Any) -> Time:
    kind = clock_type[0] if clock_type else TIME_UTC
    if kind is TIME_UTC:
        sec, usec = _now_usec()
        return make_time(TIME_UTC, usec * 1000, sec)
    if kind is TIME_TAI or kind is TIME_MONOTONIC:
        sec, usec = _now_usec()
        return make_time(kind, usec * 1000, utc_to_tai(sec))
    if kind is TIME_PROCESS:
        sec, ns = divmod(pytime.process_time_ns(), NANO)
        return make_time(TIME_PROCESS, ns, sec)
    if kind is TIME_THREAD:
        raise time_error("current-time-thread", "unsupported-clock-type", TIME_THREAD)
    raise time_error("current-time", "invalid-clock-type", kind)


def time_resolution(*clock_type: Any) -> int:
    kind = clock_type[0] if clock_type else TIME_UTC
    if kind in (TIME_UTC, TIME_TAI, TIME_MONOTONIC):
        return 1000
    if kind is TIME_PROCESS:
        return 1
    raise time_error("time-resolution", "invalid-clock-type", kind)


def _compare_check(a: Any, b: Any, who: str) -> None:
    if not (isinstance(a, Time) and isinstance(b, Time) and a.type is b.type):
        raise time_error(who, "incompatible-time-types", Pair(a, b))


def _comparison(name: str, test):
    def compare(t1, t2):
        _compare_check(t1, t2, name)
        return test((t1.second, t1.nanosecond), (t2.second, t2.nanosecond))
    return compare


def time_difference_bang(t1: Any, t2: Any) -> Time:
    _compare_check(t1, t2, "time-difference!")
    t1.second, t1.nanosecond = t1.second - t2.second, t1.nanosecond - t2.nanosecond
    t1.type = TIME_DURATION
    return _normalize(t1)


def _duration(t: Any, dur: Any, sign: int, who: str) -> Time:
    _time(t, who)
    if not isinstance(dur, Time) or dur.type is not TIME_DURATION:
        raise time_error(who, "not-duration", dur)
    t.second = t.second + sign * dur.second
    t.nanosecond = t.nanosecond + sign * dur.nanosecond
    return _normalize(t)


# Conversions between clocks.  TAI and monotonic times are the same clock, as in Guile.

def _convert(t: Any, source: Symbol, target: Symbol, who: str, in_place: bool) -> Time:
    _typed(t, source, who)
    out = t if in_place else Time(t.type, t.nanosecond, t.second)
    if source is TIME_UTC:
        out.second = utc_to_tai(out.second)
    elif target is TIME_UTC:
        out.second = tai_to_utc(out.second)
    out.type = target
    return out


# --- dates --------------------------------------------------------------------------------

class Date:
    __slots__ = ("nanosecond", "second", "minute", "hour", "day", "month", "year",
                 "zone_offset")

    def __init__(self, nanosecond: Any, second: Any, minute: Any, hour: Any, day: Any,
                 month: Any, year: Any, zone_offset: Any):
        self.nanosecond = nanosecond
        self.second = second
        self.minute = minute
        self.hour = hour
        self.day = day
        self.month = month
        self.year = year
        self.zone_offset = zone_offset

    def to_datetime(self):
        import datetime as dt  # noqa: PLC0415  (only the build VM's date needs it)
        tz = dt.timezone(dt.timedelta(seconds=self.zone_offset))
        return dt.datetime(self.year, self.month, self.day, self.hour, self.minute,
                           min(self.second, 59), int(self.nanosecond) // 1000, tzinfo=tz)

    def scheme_repr(self, write: bool) -> str:
        return "#<date " + " ".join(
            f"{s.replace('_', '-')}: {write_string(getattr(self, s))}"
            for s in self.__slots__) + ">"

    def scheme_equal(self, other: Any) -> bool:
        return isinstance(other, Date) and all(
            getattr(self, s) == getattr(other, s) for s in self.__slots__)

    def __repr__(self) -> str:
        return self.scheme_repr(True)


def _int(x: Any, who: str, pos: int, lo: int | None = None, hi: int | None = None) -> int:
    if type(x) is not int or (lo is not None and x < lo) or (hi is not None and x > hi):
        rng = f" between {lo} and {hi}" if lo is not None and hi is not None else ""
        raise wrong_type(who, pos, f"exact integer{rng}", x)
    return x


def make_date(nanosecond, second, minute, hour, day, month, year, zone_offset) -> Date:
    """(make-date NANOSECOND SECOND MINUTE HOUR DAY MONTH YEAR ZONE-OFFSET)

    vsys checks the fields (Guile takes anything): a config's date that names no day
    is refused where it is written rather than surfacing as a wrong clock in a VM."""
    who = "make-date"
    d = Date(_int(nanosecond, who, 1, 0, 999_999_999), _int(second, who, 2, 0, 60),
             _int(minute, who, 3, 0, 59), _int(hour, who, 4, 0, 23),
             _int(day, who, 5, 1, 31), _int(month, who, 6, 1, 12), _int(year, who, 7),
             _int(zone_offset, who, 8))
    if d.day > days_in_month(d.month, d.year):
        raise error(f"make-date: {d.year}-{d.month:02}-{d.day:02} is not a date",
                    key="out-of-range")
    return d


def from_datetime(when, ns: int | None = None) -> Date:
    """The date of a Python datetime (its zone offset, or 0 for a naive one)."""
    off = when.utcoffset()
    return Date(when.microsecond * 1000 if ns is None else ns, when.second, when.minute,
                when.hour, when.day, when.month, when.year,
                int(off.total_seconds()) if off is not None else 0)


def _date(x: Any, who: str, pos: int = 1) -> Date:
    if not isinstance(x, Date):
        raise wrong_type(who, pos, "date", x)
    return x


_tz_seen: list = [object()]


def local_tz_offset(seconds: Any) -> int:
    """Seconds east of UTC of the local zone at SECONDS since the epoch, under the TZ
    the program has now (it may have changed it with putenv or setenv)."""
    tz = os.environ.get("TZ")
    if tz != _tz_seen[0]:
        pytime.tzset()
        _tz_seen[0] = tz
    sec = _floor(seconds)
    try:
        return pytime.localtime(sec).tm_gmtoff
    except (OverflowError, OSError, ValueError):
        # Beyond what the C library converts: the offset of the nearest year it does.
        return pytime.localtime(0 if sec < 0 else 253402214400).tm_gmtoff


def encode_julian_day_number(day: int, month: int, year: int) -> int:
    """The julian day number (days starting at noon) of a proleptic Gregorian date whose
    years run ..., -2, -1, 1, 2, ... (no year 0 in Guile's conversion)."""
    a = _quot(14 - month, 12)
    y = year + 4800 - a - (-1 if year < 0 else 0)
    m = month + 12 * a - 3
    return (day + _quot(153 * m + 2, 5) + 365 * y + y // 4 - y // 100 + y // 400 - 32045)


def decode_julian_day_number(jdn: Any) -> tuple[Any, int, int, int]:
    """Seconds into the day, day, month and year of julian day JDN."""
    days = _floor(jdn)
    a = days + 32044
    b = (4 * a + 3) // 146097
    c = a - (146097 * b) // 4
    d = (4 * c + 3) // 1461
    e = c - (1461 * d) // 4
    m = (5 * e + 2) // 153
    y = 100 * b + d - 4800 + _quot(m, 10)
    return (fix((jdn - days) * SECONDS_PER_DAY), e - _quot(153 * m + 2, 5) + 1,
            m + 3 - 12 * _quot(m, 10), y - 1 if y <= 0 else y)


def time_utc_to_date(t: Any, tz_offset: Any = None, who: str = "time-utc->date") -> Date:
    _typed(t, TIME_UTC, who)
    if tz_offset is None:
        tz_offset = local_tz_offset(t.second)
    else:
        _real(tz_offset, who, 2)
    nanoseconds = t.nanosecond + NANO * t.second
    if type(nanoseconds) is float:
        # Guile's floor-quotient and floor-remainder of a flonum, rounding included.
        whole = float(_floor(nanoseconds / NANO))
        fraction = nanoseconds - NANO * whole
    else:
        whole, fraction = divmod(nanoseconds, NANO)
    jdn = _div(whole + tz_offset + SECONDS_PER_DAY // 2, SECONDS_PER_DAY) + UTC_EPOCH_IN_JD
    secs, day, month, year = decode_julian_day_number(fix(jdn))
    int_secs = round(secs) if type(secs) is not float else int(round(secs))
    hours, rest = _quot(int_secs, 3600), _rem(int_secs, 3600)
    return Date(fix(fraction), _rem(rest, 60), _quot(rest, 60), hours, day, month,
                year, tz_offset)


def _tz_arg(rest: tuple, who: str) -> Any:
    if len(rest) > 1:
        raise error(f"{who}: wrong number of arguments", key="wrong-number-of-args")
    return rest[0] if rest else None


def time_tai_to_date(t: Any, *tz_offset: Any, who: str = "time-tai->date") -> Date:
    _typed(t, TIME_TAI, who)
    tz = _tz_arg(tz_offset, who)
    utc = _convert(t, TIME_TAI, TIME_UTC, who, False)
    if _tai_before_leap_second(t.second):
        # The second before a leap second and the leap second map to one UTC second:
        # the date is that of the second before, with second 60.
        utc = _duration(utc, Time(TIME_DURATION, 0, 1), -1, who)
        d = time_utc_to_date(utc, tz, who)
        d.second = 60
        return d
    return time_utc_to_date(utc, tz, who)


def time_monotonic_to_date(t: Any, *tz_offset: Any) -> Date:
    who = "time-monotonic->date"
    tai = _convert(t, TIME_MONOTONIC, TIME_TAI, who, False)
    return time_tai_to_date(tai, *tz_offset, who=who)


def date_to_time_utc(d: Any) -> Time:
    d = _date(d, "date->time-utc")
    for field in ("day", "month", "year"):
        if type(getattr(d, field)) is not int:
            raise wrong_type("date->time-utc", 1, f"date with an exact {field}", d)
    days = encode_julian_day_number(d.day, d.month, d.year) - UTC_EPOCH_IN_JD - Fraction(1, 2)
    seconds = (int(days) * SECONDS_PER_DAY + d.hour * 3600 + d.minute * 60 + d.second
               - d.zone_offset)
    return make_time(TIME_UTC, d.nanosecond, fix(seconds))


def _date_to_tai_clock(d: Any, kind: Symbol, who: str) -> Time:
    t = _convert(date_to_time_utc(_date(d, who)), TIME_UTC, kind, who, True)
    if d.second == 60:
        t = _duration(t, Time(TIME_DURATION, 0, 1), -1, who)
    return t


def leap_year(year: int) -> bool:
    y = year + 1 if year < 0 else year
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


_DAYS_BEFORE_MONTH = (0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365)


def days_in_month(month: int, year: int) -> int:
    extra = 1 if month == 2 and leap_year(year) else 0
    return _DAYS_BEFORE_MONTH[month] - _DAYS_BEFORE_MONTH[month - 1] + extra


def year_day(day: Any, month: Any, year: Any) -> Any:
    if type(month) is not int or not 1 <= month <= 12:
        raise time_error("date-year-day", "invalid-month-specification", month)
    extra = 1 if leap_year(year) and month > 2 else 0
    return day + _DAYS_BEFORE_MONTH[month - 1] + extra


def week_day(day: int, month: int, year: int) -> int:
    """0 for Sunday."""
    yy = year + 1 if year < 0 else year
    a = _quot(14 - month, 12)
    y = yy - a
    m = month + 12 * a - 2
    return (day + y + y // 4 - y // 100 + y // 400 + (31 * m) // 12) % 7


def _days_before_first_week(d: Date, first_day: int) -> int:
    return (first_day - week_day(1, 1, d.year)) % 7


def date_week_number(d: Any, first_day: Any) -> int:
    d = _date(d, "date-week-number")
    _int(first_day, "date-week-number", 2)
    return (year_day(d.day, d.month, d.year) - 1 - _days_before_first_week(d, first_day)) // 7


def current_date(*tz_offset: Any) -> Date:
    now = current_time(TIME_UTC)
    tz = _tz_arg(tz_offset, "current-date")
    return time_utc_to_date(now, local_tz_offset(now.second) if tz is None else tz,
                            "current-date")


def natural_year(n: int) -> int:
    """A two-digit year read by ~y: the year within 50 years of now that ends so."""
    current = current_date().year
    century = _quot(current, 100) * 100
    if n >= 100 or n < 0:
        return n
    if century + n - current <= 50:
        return century + n
    return century - 100 + n


def date_to_julian_day(d: Any) -> Any:
    d = _date(d, "date->julian-day")
    within = _div(-d.zone_offset + d.hour * 3600 + d.minute * 60 + d.second
                  + _div(d.nanosecond, NANO), SECONDS_PER_DAY)
    return fix(encode_julian_day_number(d.day, d.month, d.year) - Fraction(1, 2) + within)


def _julian_day_of(seconds: Any, nanosecond: Any) -> Any:
    return fix(_div(seconds + _div(nanosecond, NANO), SECONDS_PER_DAY) + UTC_EPOCH_IN_JD)


def time_to_julian_day(t: Any, kind: Symbol, who: str) -> Any:
    _typed(t, kind, who)
    seconds = t.second if kind is TIME_UTC else tai_to_utc(t.second)
    return _julian_day_of(seconds, t.nanosecond)


def julian_day_to_time_utc(jdn: Any) -> Time:
    secs = fix(SECONDS_PER_DAY * (_real(jdn, "julian-day->time-utc", 1) - UTC_EPOCH_IN_JD))
    if _is_integer(secs):
        return make_time(TIME_UTC, 0, _exact(secs))
    whole = math.trunc(_exact(secs))
    return make_time(TIME_UTC, fix((secs - whole) * NANO), whole)


def julian_day_to_date(jdn: Any, *tz_offset: Any) -> Date:
    t = julian_day_to_time_utc(jdn)
    tz = _tz_arg(tz_offset, "julian-day->date")
    return time_utc_to_date(t, local_tz_offset(t.second) if tz is None else tz,
                            "julian-day->date")


# --- date->string -------------------------------------------------------------------------

def _number(n: Any) -> str:
    return write_string(n)


def _pad(n: Any, pad: str | None, width: int) -> str:
    text = _number(n)
    if pad is None or len(text) >= width:
        return text
    return pad * (width - len(text)) + text


def _zone(offset: Any) -> str:
    if offset == 0:
        return "Z"
    sign = "-" if offset < 0 else "+"
    hours = abs(_quot(offset, 3600))
    minutes = abs(_quot(_rem(offset, 3600), 60))
    return sign + _pad(hours, "0", 2) + _pad(minutes, "0", 2)


def _week_day_of(d: Date) -> int:
    return week_day(d.day, d.month, d.year)


def _name(table: list, index: Any, short: bool, who: str) -> str:
    if type(index) is not int or not 0 <= index < len(table):
        raise error(f"{who}: no name for {write_string(index)}", key="out-of-range")
    return table[index][:3] if short else table[index]


def _hour12(h: Any) -> Any:
    return h - 12 if h > 12 else h


def _fraction_digits(d: Date) -> str:
    s, ns = divmod(d.second * NANO + d.nanosecond, NANO)
    text = _pad(fix(ns), "0", 9)
    return _number(fix(s)) + "." + text[:1] + text[1:].rstrip("0")


def _week_number_text(d: Date, first_day: int, bump: bool) -> str:
    week = date_week_number(d, first_day)
    if bump and _days_before_first_week(d, first_day) > 0:
        week += 1
    return _pad(week, "0", 2)


def _year_text(d: Date, pad: str | None) -> str:
    y = d.year + 1 if d.year < 0 else d.year
    sign = "" if 0 <= y <= 9999 else ("-" if y < 0 else "+")
    return sign + _pad(abs(y), pad, 4)


_COMPOSITE = {"c": "~a ~b ~d ~H:~M:~S~z ~Y", "D": "~m/~d/~y", "h": "~b",
              "r": "~I:~M:~S ~p", "T": "~H:~M:~S", "x": "~m/~d/~y", "X": "~H:~M:~S",
              "1": "~Y-~m-~d", "2": "~H:~M:~S~z", "3": "~H:~M:~S",
              "4": "~Y-~m-~dT~H:~M:~S~z", "5": "~Y-~m-~dT~H:~M:~S"}

# Directive -> text of DATE with padding PAD (None: no padding).
_DIRECTIVES: dict[str, Any] = {
    "~": lambda d, pad: "~",
    "a": lambda d, pad: _name(_DAYS, _week_day_of(d), True, "date->string"),
    "A": lambda d, pad: _name(_DAYS, _week_day_of(d), False, "date->string"),
    "b": lambda d, pad: _name(_MONTHS, d.month - 1, True, "date->string"),
    "B": lambda d, pad: _name(_MONTHS, d.month - 1, False, "date->string"),
    "d": lambda d, pad: _pad(d.day, "0", 2),
    "e": lambda d, pad: _pad(d.day, " ", 2),
    "f": lambda d, pad: _fraction_digits(d),
    "H": lambda d, pad: _pad(d.hour, pad, 2),
    "I": lambda d, pad: _pad(_hour12(d.hour), pad, 2),
    "j": lambda d, pad: _pad(year_day(d.day, d.month, d.year), pad, 3),
    "k": lambda d, pad: _pad(d.hour, " ", 2),
    "l": lambda d, pad: _pad(_hour12(d.hour), " ", 2),
    "m": lambda d, pad: _pad(d.month, pad, 2),
    "M": lambda d, pad: _pad(d.minute, pad, 2),
    "n": lambda d, pad: "\n",
    "N": lambda d, pad: _pad(d.nanosecond, pad, 9),
    "p": lambda d, pad: "PM" if d.hour > 11 else "AM",
    "s": lambda d, pad: _number(date_to_time_utc(d).second),
    "S": lambda d, pad: _pad(d.second + 1 if d.nanosecond > NANO else d.second, pad, 2),
    "t": lambda d, pad: "\t",
    "U": lambda d, pad: _week_number_text(d, 0, True),
    "V": lambda d, pad: _week_number_text(d, 1, False),
    "w": lambda d, pad: str(_week_day_of(d)),
    "W": lambda d, pad: _week_number_text(d, 1, True),
    "y": lambda d, pad: _pad(abs(_rem(d.year, 100)), pad, 2),
    "Y": lambda d, pad: _year_text(d, pad),
    "z": lambda d, pad: _zone(d.zone_offset),
    "Z": lambda d, pad: _zone(d.zone_offset),
}


def date_to_string(d: Any, *fmt: Any) -> str:
    """(date->string DATE [FORMAT]): Guile's SRFI-19 formatting (default "~c")."""
    d = _date(d, "date->string")
    if len(fmt) > 1:
        raise error("date->string: wrong number of arguments", key="wrong-number-of-args")
    if fmt and not is_string(fmt[0]):
        raise wrong_type("date->string", 2, "string", fmt[0])
    return _format(d, pystr(fmt[0]) if fmt else "~c")


def _format(d: Date, fmt: str) -> str:
    out = []
    i, n = 0, len(fmt)
    while i < n:
        c = fmt[i]
        if c != "~":
            out.append(c)
            i += 1
            continue
        pad: str | None = "0"
        i += 1
        if i < n and fmt[i] in "-_":
            pad = None if fmt[i] == "-" else " "
            i += 1
        k = fmt[i] if i < n else ""
        i += 1
        if k and k in _COMPOSITE:
            out.append(_format(d, _COMPOSITE[k]))
        elif k and k in _DIRECTIVES:
            out.append(_DIRECTIVES[k](d, pad))
        else:
            raise time_error("date-printer", "bad-date-format-string", fmt)
    return "".join(out)


# --- string->date -------------------------------------------------------------------------

class _Input:
    """The string being read, as a port: peek and read one character."""

    __slots__ = ("text", "pos")

    def __init__(self, text: str):
        self.text = text
        self.pos = 0

    def peek(self) -> str | None:
        return self.text[self.pos] if self.pos < len(self.text) else None

    def read(self) -> str | None:
        c = self.peek()
        if c is not None:
            self.pos += 1
        return c


def _bad_template(detail: Any) -> SchemeError:
    return time_error("string->date", "bad-date-template-string", detail)


def _digit(c: str) -> int:
    if "0" <= c <= "9":
        return ord(c) - 48
    raise time_error("char->int", "bad-date-template-string",
                     from_list(["Non-integer character", Char(c)]))


def _read_integer(port: _Input, upto: int | None) -> int:
    value = count = 0
    while True:
        c = port.peek()
        if c is None or not c.isdecimal() or (upto is not None and count >= upto):
            return value
        value = value * 10 + _digit(port.read())
        count += 1


def _read_fraction(port: _Input, upto: int) -> int:
    """Up to UPTO digits read as that many decimal places: "189" gives 189000000."""
    value = count = 0
    while True:
        c = port.peek()
        if c is None or not c.isdecimal() or count >= upto:
            return value * 10 ** (upto - count)
        value = value * 10 + _digit(port.read())
        count += 1


def _read_exact_integer(port: _Input, n: int) -> int:
    """Exactly N characters: leading padding, then digits."""
    value = count = 0
    padding_ok = True
    while count < n:
        c = port.peek()
        if c is None:
            raise _bad_template("Premature ending to integer read.")
        if c.isdecimal():
            padding_ok = False
            value = value * 10 + _digit(port.read())
        elif padding_ok:
            port.read()
        else:
            raise _bad_template("Non-numeric characters in integer read.")
        count += 1
    return value


def _read_zone(port: _Input) -> int:
    c = port.read()
    if c is None or c not in "Zz+-":
        raise _bad_template(from_list(["Invalid time zone +/-", _eof_or(c)]))
    if c in "Zz":
        return 0
    offset = 0
    for scale in (36000, 3600, 600, 60):
        digit = port.read()
        if digit is None:
            raise _bad_template(from_list(["Invalid time zone number", _eof_or(digit)]))
        offset += _digit(digit) * scale
    return offset if c == "+" else -offset


def _eof_or(c: str | None) -> Any:
    return EOF if c is None else Char(c)


def _locale_reader(names: list, short: bool, indexer: str):
    # Guile's error names the procedure that looked the word up.
    lookup = _prim(indexer, lambda string: False, "string")

    def read(port: _Input) -> int:
        start = port.pos
        while (c := port.peek()) is not None and c.isalpha():
            port.read()
        if c is None:
            # Guile's reader asks char-alphabetic? of the end of input, and fails.
            err = wrong_type("char-set-contains?", 2, "character", EOF)
            err.payload.hints.append("Guile's string->date cannot read a day or month "
                                     "name at the very end of the input")
            raise err
        word = port.text[start:port.pos]
        for i, name in enumerate(names):
            if word == (name[:3] if short else name):
                return i + 1
        raise _bad_template(from_list(["Invalid string for ", lookup]))
    return read


def _always(c: str) -> bool:
    return True


def _read_tilde(port: _Input) -> str:
    if port.read() != "~":
        raise _bad_template("Invalid character match.")
    return "~"


# Directive -> (which character may start the field, reader, date field it sets).
_READERS: dict[str, tuple] = {
    "~": (_always, _read_tilde, None),
    "a": (str.isalpha, _locale_reader(_DAYS, True, "locale-abbr-weekday->index"), None),
    "A": (str.isalpha, _locale_reader(_DAYS, False, "locale-long-weekday->index"), None),
    "b": (str.isalpha, _locale_reader(_MONTHS, True, "locale-abbr-month->index"), "month"),
    "B": (str.isalpha, _locale_reader(_MONTHS, False, "locale-long-month->index"),
          "month"),
    "d": (str.isdecimal, lambda p: _read_integer(p, 2), "day"),
    "e": (_always, lambda p: _read_exact_integer(p, 2), "day"),
    "h": (str.isalpha, _locale_reader(_MONTHS, True, "locale-abbr-month->index"), "month"),
    "H": (str.isdecimal, lambda p: _read_integer(p, 2), "hour"),
    "k": (_always, lambda p: _read_exact_integer(p, 2), "hour"),
    "m": (str.isdecimal, lambda p: _read_integer(p, 2), "month"),
    "M": (str.isdecimal, lambda p: _read_integer(p, 2), "minute"),
    "N": (str.isdecimal, lambda p: _read_fraction(p, 9), "nanosecond"),
    "S": (str.isdecimal, lambda p: _read_integer(p, 2), "second"),
    "y": (_always, lambda p: natural_year(_read_exact_integer(p, 2)), "year"),
    "Y": (str.isdecimal, lambda p: _read_integer(p, 4), "year"),
    "z": (lambda c: c in "Zz+-", _read_zone, "zone_offset"),
}


def string_to_date(text: Any, template: Any) -> Date:
    who = "string->date"
    if not is_string(text):
        raise wrong_type(who, 1, "string", text)
    if not is_string(template):
        raise wrong_type(who, 2, "string", template)
    fmt = pystr(template)
    port = _Input(pystr(text))
    fields: dict[str, Any] = {"nanosecond": 0, "second": 0, "minute": 0, "hour": 0,
                              "day": None, "month": None, "year": None, "zone_offset": None}
    i = 0
    while i < len(fmt):
        c = fmt[i]
        if c != "~":
            if port.read() != c:
                raise time_error(who, "bad-date-format-string", template)
            i += 1
            continue
        if i + 1 == len(fmt):
            # Guile reads the character after the ~ without looking: string-ref fails.
            raise SchemeError(Condition(
                "out-of-range", f"string->date: the template {write_string(template)} "
                                "ends with a lone ~", (), "string-ref", [_READ_HINT],
                (Symbol("string-ref"), "Argument ~A out of range: ~S", from_list([2, i + 1]),
                 from_list([i + 1]))))
        entry = _READERS.get(fmt[i + 1])
        if entry is None:
            raise time_error(who, "bad-date-format-string", template)
        starts, reader, field = entry
        while True:                       # skip to where the field can start
            ch = port.peek()
            if ch is None:
                raise time_error(who, "bad-date-format-string", template)
            if starts(ch):
                break
            port.read()
        value = reader(port)
        if field is not None:
            fields[field] = value
        i += 2
    missing = [k for k in ("month", "year", "day") if fields[k] is None]
    if missing and fields["zone_offset"] is None:
        raise _incomplete_without_zone(missing[0], template)
    if missing:
        raise time_error(who, "bad-date-format-string",
                         from_list([f"Incomplete date read (no {missing[0]}). ", template]))
    date = Date(**fields)
    if date.zone_offset is None:
        # The local offset at the date read, found from the offset at the epoch; as
        # Guile, the double or missing hour at a DST change can come out either way.
        date.zone_offset = local_tz_offset(0)
        date.zone_offset = local_tz_offset(date_to_time_utc(date).second)
    return date


def _incomplete_without_zone(field: str, template: Any) -> SchemeError:
    """Guile looks up the local zone of a date read without one before it checks that
    the date is complete, and fails on the arithmetic: the error a catch sees is that
    of `-` (no month) or `+` (no year or day)."""
    origin, pos = ("-", 2) if field == "month" else ("+", 1)
    text = (f"string->date: the input gave no {field} for the template "
            f"{write_string(template)}")
    return SchemeError(Condition(
        "wrong-type-arg", text, (), origin, [_READ_HINT], (
            origin, "Wrong type argument in position ~A: ~S", from_list([pos, False]),
            from_list([False]))))


# --- the module ---------------------------------------------------------------------------

def _accessors(prims: dict, cls, prefix: str, check) -> None:
    for field in cls.__slots__:
        name = prefix + field.replace("_", "-")

        prims[name] = (_getter(field, name, check), "obj")


def _setters(prims: dict) -> None:
    for field in Time.__slots__:
        name = f"set-time-{field}!"

        prims[name] = (_setter(field, name), "obj val")


def _getter(field: str, name: str, check):
    def get(obj):
        return getattr(check(obj, name), field)
    return get


def _setter(field: str, name: str):
    def setter(obj, val):
        t = _time(obj, name)
        # vsys checks at once what Guile finds wrong only when the time is used.
        setattr(t, field, val if field == "type" else _real(val, name, 2))
        return UNSPECIFIED
    return setter


def _procedures() -> dict[str, tuple]:
    utc, tai, mono = TIME_UTC, TIME_TAI, TIME_MONOTONIC
    conv: dict[str, tuple] = {}
    for src, dst in ((utc, tai), (tai, utc), (mono, utc), (mono, tai), (utc, mono),
                     (tai, mono)):
        name = f"{src.name}->{dst.name}"
        conv[name] = ((lambda s, d, n: lambda t: _convert(t, s, d, n, False))(src, dst, name),
                      "time-in")
        conv[name + "!"] = ((lambda s, d, n: lambda t: _convert(t, s, d, n, True))(
            src, dst, name + "!"), "time-in")
    for kind in (utc, tai, mono):
        jd = f"{kind.name}->julian-day"
        conv[jd] = ((lambda k, n: lambda t: time_to_julian_day(t, k, n))(kind, jd), "time")
        conv[f"{kind.name}->modified-julian-day"] = (
            (lambda k, n: lambda t: fix(time_to_julian_day(t, k, n) - MJD_OFFSET))(kind, jd),
            "time")
    procs: dict[str, tuple] = {
        "current-time": (current_time, ". clock-type"),
        "time-resolution": (time_resolution, ". clock-type"),
        "current-date": (current_date, ". tz-offset"),
        "current-julian-day": (lambda: time_to_julian_day(current_time(utc), utc,
                                                          "current-julian-day"), ""),
        "current-modified-julian-day": (
            lambda: fix(time_to_julian_day(current_time(utc), utc, "") - MJD_OFFSET), ""),
        "make-time": (make_time, "type nanosecond second"),
        "time?": (lambda obj: isinstance(obj, Time), "obj"),
        "copy-time": (copy_time, "time"),
        "time=?": (_comparison("time=?", lambda a, b: a == b), "t1 t2"),
        "time<?": (_comparison("time<?", lambda a, b: a < b), "t1 t2"),
        "time>?": (_comparison("time>?", lambda a, b: a > b), "t1 t2"),
        "time<=?": (_comparison("time<=?", lambda a, b: a <= b), "t1 t2"),
        "time>=?": (_comparison("time>=?", lambda a, b: a >= b), "t1 t2"),
        "time-difference!": (time_difference_bang, "time1 time2"),
        "time-difference": (lambda t1, t2: time_difference_bang(
            copy_time(_time(t1, "time-difference")), t2), "time1 time2"),
        "add-duration!": (lambda t, dur: _duration(t, dur, 1, "add-duration!"), "t duration"),
        "add-duration": (lambda t, dur: _duration(copy_time(_time(t, "add-duration")), dur, 1,
                                                  "add-duration!"), "t duration"),
        "subtract-duration!": (lambda t, dur: _duration(t, dur, -1, "subtract-duration!"),
                               "t duration"),
        "subtract-duration": (lambda t, dur: _duration(
            copy_time(_time(t, "subtract-duration")), dur, -1, "subtract-duration!"),
            "time1 duration"),
        "make-date": (make_date, "nanosecond second minute hour day month year zone-offset"),
        "date?": (lambda obj: isinstance(obj, Date), "obj"),
        "date-year-day": (lambda d: year_day(_date(d, "date-year-day").day, d.month, d.year),
                          "date"),
        "date-week-day": (lambda d: _week_day_of(_date(d, "date-week-day")), "date"),
        "date-week-number": (date_week_number, "date day-of-week-starting-week"),
        "date->julian-day": (date_to_julian_day, "date"),
        "date->modified-julian-day": (lambda d: fix(date_to_julian_day(d) - MJD_OFFSET),
                                      "date"),
        "date->time-utc": (date_to_time_utc, "date"),
        "date->time-tai": (lambda d: _date_to_tai_clock(d, tai, "date->time-tai"), "d"),
        "date->time-monotonic": (
            lambda d: _date_to_tai_clock(d, mono, "date->time-monotonic"), "d"),
        "julian-day->time-utc": (julian_day_to_time_utc, "jdn"),
        "julian-day->time-tai": (
            lambda jdn: _convert(julian_day_to_time_utc(jdn), utc, tai, "", True), "jdn"),
        "julian-day->time-monotonic": (
            lambda jdn: _convert(julian_day_to_time_utc(jdn), utc, mono, "", True), "jdn"),
        "julian-day->date": (julian_day_to_date, "jdn . tz-offset"),
        "modified-julian-day->date": (
            lambda jdn, *tz: julian_day_to_date(
                fix(_real(jdn, "modified-julian-day->date", 1) + MJD_OFFSET), *tz),
            "jdn . tz-offset"),
        "modified-julian-day->time-utc": (
            lambda jdn: julian_day_to_time_utc(_mjd(jdn, "modified-julian-day->time-utc")),
            "jdn"),
        "modified-julian-day->time-tai": (
            lambda jdn: _convert(julian_day_to_time_utc(
                _mjd(jdn, "modified-julian-day->time-tai")), utc, tai, "", True), "jdn"),
        "modified-julian-day->time-monotonic": (
            lambda jdn: _convert(julian_day_to_time_utc(
                _mjd(jdn, "modified-julian-day->time-monotonic")), utc, mono, "", True),
            "jdn"),
        "time-utc->date": (lambda t, tz_offset=None: time_utc_to_date(t, tz_offset),
                           "time #:optional tz-offset"),
        "time-tai->date": (lambda t, *tz: time_tai_to_date(t, *tz), "time . tz-offset"),
        "time-monotonic->date": (time_monotonic_to_date, "time . tz-offset"),
        "date->string": (date_to_string, "date . format-string"),
        "string->date": (string_to_date, "input-string template-string"),
    }
    procs.update(conv)
    _accessors(procs, Time, "time-", _time)
    _accessors(procs, Date, "date-", _date)
    _setters(procs)
    return procs


def _mjd(jdn: Any, who: str) -> Any:
    return fix(_real(jdn, who, 1) + MJD_OFFSET)


def install(module) -> None:
    define = module.define
    for name, (fn, params) in _procedures().items():
        define(Symbol(name), _prim(name, fn, params), True)
    for sym in (TIME_UTC, TIME_TAI, TIME_MONOTONIC, TIME_DURATION, TIME_PROCESS,
                TIME_THREAD):
        define(sym, sym, True)


__all__ = ["Date", "Time", "make_date", "date_to_string", "current_date", "from_datetime"]


register_builtin("srfi srfi-19", install)
