"""`setlocale` and the LC_ categories, as Guile: a program sets the process's locale,
and at the first call vsys takes the environment's (LC_ALL, LC_CTYPE, LANG), which is
what Guile installs when it starts.

What depends on it here is Guile's conversion of strings for the C library: in the C
(or POSIX) locale a string with a NUL character cannot be passed, so `regexp-exec` and
`make-regexp` refuse one, as Guile does."""

from __future__ import annotations

import _locale as locale  # the C module: the locale package costs start-up time
import os

from ..datatypes import from_list, pystr
from ..errors import Condition, SchemeError, error
from .checks import need_string
from .define import builtin, constant
from .filesystem import need_c_int

_CATEGORIES = ("LC_CTYPE", "LC_NUMERIC", "LC_TIME", "LC_COLLATE", "LC_MONETARY",
               "LC_MESSAGES", "LC_ALL")
for _name in _CATEGORIES:
    constant(_name, getattr(locale, _name))

_installed = [False]


def _environment_ctype() -> str:
    for var in ("LC_ALL", "LC_CTYPE", "LANG"):
        value = os.environ.get(var)
        if value:
            return value
    return "C"


def refuses_nul() -> bool:
    """Whether the current locale is one in which strings cannot hold a NUL."""
    name = locale.setlocale(locale.LC_CTYPE) if _installed[0] else _environment_ctype()
    return name in ("C", "POSIX")


def check_no_nul(origin: str, text: str) -> None:
    if "\0" in text and refuses_nul():
        raise SchemeError(Condition(
            "misc-error", f"{origin}: string contains #\\nul character", (text,), origin,
            hints=["in the C locale a string given to the system cannot hold a NUL"],
            throw_args=(False, "string contains #\\nul character: ~S", from_list([text]),
                        False)))


@builtin("setlocale")
def setlocale(category, name=None):
    """(setlocale CATEGORY [LOCALE]): the locale of CATEGORY (LC_ALL, LC_CTYPE...); with
    LOCALE, set it first ("" for the environment's)."""
    cat = need_c_int("setlocale", 1, category)
    if cat not in {getattr(locale, n) for n in _CATEGORIES}:
        raise error(f"setlocale: unknown category {cat}", key="out-of-range",
                    origin="setlocale")
    if not _installed[0]:
        try:
            locale.setlocale(locale.LC_ALL, "")
        except locale.Error:
            pass
        _installed[0] = True
    value = None if name is None else pystr(need_string("setlocale", 2, name))
    try:
        return locale.setlocale(cat, value)
    except locale.Error:
        raise SchemeError(Condition(
            "system-error", f"setlocale: no locale {value!r} on this system", (), "setlocale",
            throw_args=("setlocale", "~A", from_list(["Invalid argument"]), from_list([22]))))\
            from None
