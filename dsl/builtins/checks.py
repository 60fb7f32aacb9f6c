"""Argument checks shared by the builtins.

Each returns the Python value to work with, or raises the Scheme error Guile would
(`wrong-type-arg` / `out-of-range`) naming the procedure and the argument position, so
that bad input never surfaces as a Python exception.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable

from ..datatypes import NIL, Char, MString, Pair
from ..errors import error, out_of_range, wrong_type
from ..procedures import is_procedure


def checker(kinds: Iterable[type], expected: str,
            failure: Callable = wrong_type) -> Callable[[str, int, Any], Any]:
    """A check passing values whose type is one of `kinds` through unchanged;
    `failure(origin, pos, expected, value)` makes the error otherwise."""
    allowed = frozenset(kinds)

    def check(origin: str, pos: int, x: Any) -> Any:
        if type(x) in allowed:
            return x
        raise failure(origin, pos, expected, x)
    return check


need_int = checker((int,), "exact integer")
need_pair = checker((Pair,), "pair")


def need_string(origin: str, pos: int, x: Any) -> str:
    t = type(x)
    if t is str:
        return x
    if t is MString:
        return str(x)
    raise wrong_type(origin, pos, "string", x)


def need_mstring(origin: str, pos: int, x: Any) -> MString:
    """A string a mutator may change: Guile's "string is read-only" error for a literal,
    a symbol's name or a substring/read-only (vsys's constant strings).  Marks it (and
    the strings it shares characters with) changed."""
    if type(x) is MString and not x.read_only:
        s: Any = x
        while type(s) is MString and not s.written:
            s.written = True
            s = s.shared
        return x
    if type(x) is not str and type(x) is not MString:
        raise wrong_type(origin, pos, "string", x)
    raise error("string is read-only:", x, origin=origin,
                hints=["string literals are constant; make a mutable copy with "
                       "(string-copy ...)"])


def need_char(origin: str, pos: int, x: Any) -> str:
    if type(x) is Char:
        return x.ch
    raise wrong_type(origin, pos, "character", x)


# Guile's limit on the length of a string, vector or list it is asked to make.
MAX_COUNT = (1 << 32) - 1


def need_count(origin: str, pos: int, x: Any) -> int:
    """A non-negative exact integer (a length or a count)."""
    if type(x) is not int:
        raise wrong_type(origin, pos, "exact integer", x)
    if x < 0 or x > MAX_COUNT:
        raise out_of_range(origin, pos, x)
    return x


def need_index(origin: str, pos: int, x: Any, size: int) -> int:
    """An index into a sequence of `size` items: 0 <= x < size."""
    if type(x) is not int:
        raise wrong_type(origin, pos, "exact integer", x)
    if x < 0 or x >= size:
        raise out_of_range(origin, pos, x)
    return x


def need_range(origin: str, pos: int, size: int, start: Any, end: Any) -> tuple[int, int]:
    """Optional [start, end) arguments at positions `pos` and `pos + 1`."""
    if start is None:
        return 0, size
    if type(start) is not int:
        raise wrong_type(origin, pos, "exact integer", start)
    if end is None:
        e = size
    elif type(end) is not int:
        raise wrong_type(origin, pos + 1, "exact integer", end)
    else:
        e = end
        if e < 0 or e > size:
            raise out_of_range(origin, pos + 1, end)
    if start < 0 or start > e:
        raise out_of_range(origin, pos, start)
    return start, e


def need_proc(origin: str, pos: int, x: Any) -> Any:
    if is_procedure(x):
        return x
    raise wrong_type(origin, pos, "procedure", x)


def need_list(origin: str, pos: int, x: Any) -> list:
    """The items of a proper list; improper and circular lists are wrong types."""
    out = []
    p = x
    slow = x
    while type(p) is Pair:
        out.append(p.car)
        p = p.cdr
        if len(out) & 1 == 0:
            slow = slow.cdr
            if p is slow and type(p) is Pair:
                raise wrong_type(origin, pos, "proper list", x)
    if p is not NIL:
        raise wrong_type(origin, pos, "proper list", x)
    return out

