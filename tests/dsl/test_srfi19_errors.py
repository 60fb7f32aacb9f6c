"""SRFI-19 misuse is a located error that says what went wrong and how to mend it (never
an internal error), carrying the arguments Guile's `catch` handlers receive."""

from __future__ import annotations

import os
import time

import pytest

from vsys.dsl import api
from vsys.dsl.errors import SchemeError, format_error
from vsys.dsl.printer import write_string

PRELUDE = "(use-modules (srfi srfi-19))\n"


def fail(src: str) -> str:
    with pytest.raises(SchemeError) as info:
        api.with_big_stack(api.eval_string, PRELUDE + src, None, "config.scm")
    return format_error(info.value)


def ev(src: str) -> str:
    """The written form of the value of SRC."""
    return write_string(api.with_big_stack(api.eval_string, PRELUDE + src, None,
                                           "config.scm"))


@pytest.mark.parametrize("src,first,hint", [
    ('(date->string (make-date 0 0 0 0 1 1 2020 0) "~Q")',
     'config.scm:2:1: error: date-printer: TIME-ERROR type bad-date-format-string: "~Q"',
     "hint: date->string directives: ~~ ~a ~A"),
    ('(date->string (make-date 0 0 0 0 1 1 2020 0) "at ~")',
     'config.scm:2:1: error: date-printer: TIME-ERROR type bad-date-format-string: "at ~"',
     "hint: date->string directives:"),
    ('(string->date "2020-01" "~Y-~m-~d")',
     'config.scm:2:1: error: string->date: TIME-ERROR type bad-date-format-string: '
     '"~Y-~m-~d"',
     "hint: string->date reads ~~ ~a"),
    ('\n  (string->date "12:30" "~H:~M")',
     'config.scm:3:3: error: string->date: the input gave no month for the template '
     '"~H:~M"',
     "hint: string->date reads"),
    ('(string->date "2020 +1" "~Y ~z")',
     'config.scm:2:1: error: string->date: TIME-ERROR type bad-date-template-string: '
     '("Invalid time zone number" #<eof>)',
     "hint: string->date reads"),
    ("(time<? (make-time time-utc 0 1) (make-time time-tai 0 1))",
     "config.scm:2:1: error: time<?: TIME-ERROR type incompatible-time-types: "
     "(#<time type: time-utc nanosecond: 0 second: 1> . "
     "#<time type: time-tai nanosecond: 0 second: 1>)",
     "hint: times of different clocks: convert one first"),
    ("(add-duration (make-time time-utc 0 1) (make-time time-utc 0 1))",
     "config.scm:2:1: error: add-duration!: TIME-ERROR type not-duration: "
     "#<time type: time-utc nanosecond: 0 second: 1>",
     "hint: the second argument is a time-duration"),
    ("(current-time 'sundial)",
     "config.scm:2:1: error: current-time: TIME-ERROR type invalid-clock-type: sundial",
     "hint: the clocks are time-utc, time-tai, time-monotonic and time-process"),
    ('(string->date "2020 01 Z" "~Y ~m ~z")',
     'config.scm:2:1: error: string->date: TIME-ERROR type bad-date-format-string: '
     '("Incomplete date read (no day). " "~Y ~m ~z")', "hint: string->date reads"),
    ('(string->date "2020 01" "~Y ~d")',
     'config.scm:2:1: error: string->date: the input gave no month for the template '
     '"~Y ~d"', "hint: string->date reads"),
    ('(string->date "2020-01-02" "~Y-~m-~d~")',
     'config.scm:2:1: error: string->date: the template "~Y-~m-~d~" ends with a lone ~',
     "hint: string->date reads"),
    ('(string->date "2020 01 02 Z Monday" "~Y ~m ~d ~z ~A")',
     "config.scm:2:1: error: char-set-contains?: wrong type argument in position 2 "
     "(expecting character): #<eof>",
     "hint: Guile's string->date cannot read a day or month name at the very end"),
    ("(time-second (current-date))",
     "config.scm:2:1: error: time-second: wrong type argument in position 1 "
     "(expecting time): ", None),
    ("(make-date 0 0 0 0 30 2 2024 0)",
     "config.scm:2:1: error: make-date: 2024-02-30 is not a date", None),
])
def test_misuse_is_a_located_error_with_a_hint(src, first, hint):
    lines = fail(src).splitlines()
    assert lines[0].startswith(first)
    if hint:
        assert lines[1].startswith(hint)


def test_catch_receives_guile_arguments():
    assert ev("(catch 'misc-error (lambda () (current-time time-thread))"
              " (lambda (key who fmt args data) (list who fmt args data)))") == \
        '(current-time-thread "TIME-ERROR type ~A: ~S" (unsupported-clock-type time-thread) #f)'


def test_local_zone_follows_tz_set_by_the_program():
    saved = os.environ.get("TZ")
    try:
        assert ev('(putenv "TZ=EST5EDT")'
                  "(map (lambda (s) (date-zone-offset (time-utc->date (make-time time-utc 0 s))))"
                  " '(991396800 978307200))") == "(-14400 -18000)"
        assert ev('(setenv "TZ" "UTC0")'
                  "(date-zone-offset (time-utc->date (make-time time-utc 0 991396800)))") == "0"
    finally:
        if saved is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = saved
        time.tzset()

