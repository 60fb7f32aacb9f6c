"""Character sets (SRFI-14, which Guile has in its core), enough for the string
procedures that take a char-set (`string-tokenize`, `string-index`, `string-trim`...).

A `CharSet` is a membership test: a finite set of characters, or a predicate for the
Unicode classes, possibly complemented.  `char_matcher` turns what a string procedure
accepts (a character, a char-set or a predicate) into a Python test.
"""

from __future__ import annotations

import bisect
import os
import unicodedata
from typing import Any, Callable, Iterable

from ..datatypes import UNSPECIFIED, Char, from_list, is_true
from ..errors import wrong_type
from ..printer import write_string
from ..procedures import call, is_procedure
from .checks import need_char, need_int, need_list, need_string
from .define import builtin, constant

_MAX_CODE = 0x10FFFF


class CharSet:
    """`chars` (a finite set) or `test`; its members as sorted code-point ranges are
    worked out once, when first needed: from the operands' ranges for sets built by
    complement, union... (`derive`), by a scan of Unicode for the others - the standard
    sets' scans are kept on disk, so that sizing or listing a set over all of Unicode
    costs a scan once per machine, not per call."""

    __slots__ = ("chars", "test", "derive", "_ranges", "cache_key")

    def __init__(self, chars: Iterable[str] | None = None,
                 test: Callable[[str], bool] | None = None,
                 derive: Callable[[], list] | None = None, cache_key: str | None = None):
        self.chars = frozenset(chars) if test is None else None
        self.test = test if test is not None else self.chars.__contains__
        self.derive = derive
        self._ranges: list | None = None
        self.cache_key = cache_key

    def __contains__(self, ch: str) -> bool:
        return self.test(ch)

    def ranges(self) -> list:
        """The members as sorted, disjoint [low, high) code-point ranges."""
        if self._ranges is None:
            if self.chars is not None:
                self._ranges = _to_ranges(sorted(map(ord, self.chars)))
            elif self.derive is not None:
                self._ranges = self.derive()
            else:
                self._ranges = _scan(self.test, self.cache_key)
        return self._ranges

    def size(self) -> int:
        if self.chars is not None:
            return len(self.chars)
        return sum(hi - lo for lo, hi in self.ranges())

    def members(self) -> list[str]:
        if self.chars is not None:
            return sorted(self.chars)
        return [chr(i) for lo, hi in self.ranges() for i in range(lo, hi)]

    def scheme_repr(self, write: bool) -> str:
        items = []
        for lo, hi in self.ranges():
            items.extend(chr(i) for i in range(lo, min(hi, lo + 32 - len(items))))
            if len(items) >= 32:
                break
        shown = " ".join(write_string(Char(ch)) for ch in items)
        more = " ..." if self.size() > len(items) else ""
        return f"#<charset {{{shown}{more}}}>"


_VALID = [(0, 0xD800), (0xE000, _MAX_CODE + 1)]     # every character (no surrogates)


def _to_ranges(codes: list[int]) -> list:
    out: list = []
    for c in codes:
        if out and out[-1][1] == c:
            out[-1][1] = c + 1
        else:
            out.append([c, c + 1])
    return [tuple(r) for r in out]


def _scan(test: Callable[[str], bool], key: str | None) -> list:
    cached = _disk_cache(key) if key else None
    if cached is not None:
        return cached
    codes = [i for lo, hi in _VALID for i in range(lo, hi) if test(chr(i))]
    ranges = _to_ranges(codes)
    if key:
        _disk_store(key, ranges)
    return ranges


def _cache_path(key: str) -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "vsys", f"charset-{key}-{unicodedata.unidata_version}.json")


def _disk_cache(key: str) -> list | None:
    import json  # noqa: PLC0415 (only to read a set cached on disk)
    try:
        with open(_cache_path(key)) as f:
            return [tuple(r) for r in json.load(f)]
    except (OSError, ValueError):
        return None


def _disk_store(key: str, ranges: list) -> None:
    import json  # noqa: PLC0415 (only to cache a computed set on disk)
    path = _cache_path(key)
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = f"{path}.{os.getpid()}"
        with open(tmp, "w") as f:
            json.dump(ranges, f)
        os.replace(tmp, path)
    except OSError:
        pass            # no writable cache: scan again next time


def _merge(a: list, b: list, keep: Callable[[bool, bool], bool]) -> list:
    """Ranges of the code points where keep(in a, in b) holds (a sweep over both)."""
    points = sorted({p for lo, hi in a + b for p in (lo, hi)})
    out: list = []

    def inside(rs: list, x: int) -> bool:
        k = bisect.bisect_right(rs, (x, _MAX_CODE + 2)) - 1
        return k >= 0 and rs[k][0] <= x < rs[k][1]
    for lo, hi in zip(points, points[1:]):
        if keep(inside(a, lo), inside(b, lo)):
            if out and out[-1][1] == lo:
                out[-1] = (out[-1][0], hi)
            else:
                out.append((lo, hi))
    return out


def _category(*prefixes: str) -> Callable[[str], bool]:
    return lambda ch: unicodedata.category(ch).startswith(prefixes)


def is_graphic(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LMNPS"


_STANDARD = {
    "whitespace": str.isspace,
    "letter": str.isalpha,
    "digit": lambda ch: unicodedata.category(ch) == "Nd",
    "letter+digit": lambda ch: ch.isalpha() or unicodedata.category(ch) == "Nd",
    "upper-case": str.isupper,
    "lower-case": str.islower,
    "title-case": lambda ch: unicodedata.category(ch) == "Lt",
    "punctuation": _category("P"),
    "symbol": _category("S"),
    "graphic": is_graphic,
    "printing": lambda ch: ch.isspace() or is_graphic(ch),
    "blank": lambda ch: ch == "\t" or unicodedata.category(ch) == "Zs",
    "iso-control": lambda ch: unicodedata.category(ch) == "Cc",
    "hex-digit": lambda ch: ch in "0123456789abcdefABCDEF",
    "ascii": lambda ch: ord(ch) < 128,
    "full": lambda ch: True,
}

for _name, _test in _STANDARD.items():
    constant(f"char-set:{_name}", CharSet(test=_test, cache_key=_name))
constant("char-set:empty", CharSet(()))


def need_charset(origin: str, pos: int, x: Any) -> CharSet:
    if type(x) is CharSet:
        return x
    raise wrong_type(origin, pos, "char-set", x)


def char_matcher(origin: str, pos: int, x: Any) -> Callable[[str], bool]:
    """What SRFI-13 calls a char/char-set/predicate argument, as a Python test."""
    t = type(x)
    if t is Char:
        target = x.ch
        return target.__eq__
    if t is CharSet:
        return x.test
    if is_procedure(x):
        return lambda ch: is_true(call(x, [Char(ch)]))
    raise wrong_type(origin, pos, "character, char-set or predicate", x)


def _with_base(origin: str, chars: Iterable[str], base: Any, pos: int) -> CharSet:
    if base is None:
        return CharSet(chars)
    base = need_charset(origin, pos, base)
    extra = frozenset(chars)
    if base.chars is not None:
        return CharSet(base.chars | extra)
    return CharSet(test=lambda ch: ch in extra or base.test(ch))


@builtin("char-set")
def char_set(*chars):
    return CharSet(need_char("char-set", i, c) for i, c in enumerate(chars, 1))


@builtin("list->char-set")
def list_to_char_set(chars, base=None):
    items = need_list("list->char-set", 1, chars)
    return _with_base("list->char-set",
                      (need_char("list->char-set", 1, c) for c in items), base, 2)


@builtin("string->char-set")
def string_to_char_set(s, base=None):
    return _with_base("string->char-set", need_string("string->char-set", 1, s), base, 2)


@builtin("ucs-range->char-set")
def ucs_range_to_char_set(lo, hi, error=False, base=None):
    low, high = need_int("ucs-range->char-set", 1, lo), need_int("ucs-range->char-set", 2, hi)
    chars = (chr(i) for i in range(max(low, 0), min(high, _MAX_CODE + 1))
             if not 0xD800 <= i <= 0xDFFF)
    return _with_base("ucs-range->char-set", chars, base, 4)


@builtin("char-set?")
def is_char_set(x):
    return type(x) is CharSet


@builtin("char-set-contains?")
def char_set_contains(cs, c):
    return need_char("char-set-contains?", 2, c) in need_charset("char-set-contains?", 1, cs)


@builtin("char-set-complement")
def char_set_complement(cs):
    base = need_charset("char-set-complement", 1, cs)
    test = base.test
    return CharSet(test=lambda ch: not test(ch),
                   derive=lambda: _merge(_VALID, base.ranges(), lambda a, b: a and not b))


def _combine(name: str, combine_sets, combine_tests, keep):
    def fn(*sets):
        checked = [need_charset(name, i, s) for i, s in enumerate(sets, 1)]
        if all(s.chars is not None for s in checked) and checked:
            return CharSet(combine_sets([s.chars for s in checked]))
        tests = [s.test for s in checked]

        def derive():
            ranges = checked[0].ranges()
            for other in checked[1:]:
                ranges = _merge(ranges, other.ranges(), keep)
            return ranges
        return CharSet(test=lambda ch: combine_tests(ch, tests), derive=derive)
    fn.__name__ = name
    builtin(name)(fn)


_combine("char-set-union", lambda sets: frozenset().union(*sets),
         lambda ch, tests: any(t(ch) for t in tests), lambda a, b: a or b)
_combine("char-set-intersection", lambda sets: frozenset.intersection(*sets),
         lambda ch, tests: all(t(ch) for t in tests), lambda a, b: a and b)
_combine("char-set-difference", lambda sets: sets[0].difference(*sets[1:]),
         lambda ch, tests: tests[0](ch) and not any(t(ch) for t in tests[1:]),
         lambda a, b: a and not b)


@builtin("char-set-adjoin")
def char_set_adjoin(cs, *chars):
    need_charset("char-set-adjoin", 1, cs)
    return _with_base("char-set-adjoin",
                      [need_char("char-set-adjoin", i, c) for i, c in enumerate(chars, 2)],
                      cs, 1)


@builtin("char-set-delete")
def char_set_delete(cs, *chars):
    base = need_charset("char-set-delete", 1, cs)
    gone = frozenset(need_char("char-set-delete", i, c) for i, c in enumerate(chars, 2))
    if base.chars is not None:
        return CharSet(base.chars - gone)
    return CharSet(test=lambda ch: ch not in gone and base.test(ch))


@builtin("char-set->list")
def char_set_to_list(cs):
    return from_list([Char(ch) for ch in need_charset("char-set->list", 1, cs).members()])


@builtin("char-set->string")
def char_set_to_string(cs):
    return "".join(need_charset("char-set->string", 1, cs).members())


@builtin("char-set-size")
def char_set_size(cs):
    return need_charset("char-set-size", 1, cs).size()


# --- walking a char-set ------------------------------------------------------------------

def _members(name: str, pos: int, cs) -> list[str]:
    return need_charset(name, pos, cs).members()


@builtin("char-set-count")
def char_set_count(pred, cs):
    test = char_matcher("char-set-count", 1, pred)
    return sum(1 for ch in _members("char-set-count", 2, cs) if test(ch))


@builtin("char-set-any")
def char_set_any(pred, cs):
    for ch in _members("char-set-any", 2, cs):
        value = call(pred, [Char(ch)])
        if value is not False:
            return value
    return False


@builtin("char-set-every")
def char_set_every(pred, cs):
    value: Any = True
    for ch in _members("char-set-every", 2, cs):
        value = call(pred, [Char(ch)])
        if value is False:
            return False
    return value


@builtin("char-set-for-each")
def char_set_for_each(proc, cs):
    for ch in _members("char-set-for-each", 2, cs):
        call(proc, [Char(ch)])
    return UNSPECIFIED


@builtin("char-set-fold")
def char_set_fold(kons, knil, cs):
    acc = knil
    for ch in _members("char-set-fold", 3, cs):
        acc = call(kons, [Char(ch), acc])
    return acc


@builtin("char-set-map")
def char_set_map(proc, cs):
    return CharSet(need_char("char-set-map", 1, call(proc, [Char(ch)]))
                   for ch in _members("char-set-map", 2, cs))


@builtin("char-set-filter")
def char_set_filter(pred, cs, base=None):
    test = char_matcher("char-set-filter", 1, pred)
    return _with_base("char-set-filter",
                      [ch for ch in _members("char-set-filter", 2, cs) if test(ch)], base, 3)


@builtin("char-set-copy")
def char_set_copy(cs):
    base = need_charset("char-set-copy", 1, cs)
    return CharSet(base.chars) if base.chars is not None else CharSet(test=base.test)


@builtin("char-set=")
def char_set_eq(*sets):
    members = [set(_members("char-set=", i, cs)) for i, cs in enumerate(sets, 1)]
    return all(a == b for a, b in zip(members, members[1:]))


@builtin("char-set<=")
def char_set_le(*sets):
    members = [set(_members("char-set<=", i, cs)) for i, cs in enumerate(sets, 1)]
    return all(a <= b for a, b in zip(members, members[1:]))
