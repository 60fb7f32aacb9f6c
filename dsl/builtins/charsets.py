"""Character sets (SRFI-14, which Guile has in its core).

A `CharSet` is a sorted list of disjoint code-point ranges, as Guile keeps them, so that
algebra over all of Unicode (complement, union, difference...) costs the number of
ranges, not of characters.  The `!` procedures change their first argument in place;
the standard sets (`char-set:letter`...) cannot be changed, and load their members from
`charset_tables` (Guile's own tables) the first time one is used.  `char_matcher` turns
what a string procedure accepts (a character, a char-set or a predicate) into a Python
test.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any, Callable, Iterable

from ..datatypes import UNSPECIFIED, Char, MString, Values, from_list, is_true
from ..errors import Condition, SchemeError, out_of_range, wrong_type
from ..printer import write_string
from ..procedures import call, is_procedure
from .checks import need_char, need_int, need_list, need_string
from .define import builtin, constant

_MAX_CODE = 0x10FFFF
_END = _MAX_CODE + 1
_SURROGATES = (0xD800, 0xE000)
_VALID = [(0, 0xD800), (0xE000, _END)]     # every character (no surrogates)
_SHOWN_RANGES = 51              # Guile's printer shows this many ranges, then " ..."
_SMALL = 64                                  # sets this small test membership by hash


class CharSet:
    """Members as sorted, disjoint, non-adjacent [low, high) code-point ranges."""

    __slots__ = ("_ranges", "_load", "immutable", "_matcher")

    def __init__(self, chars: Iterable[str] = (), ranges: list | None = None,
                 load: Callable[[], list] | None = None, immutable: bool = False):
        self._ranges = ranges if ranges is not None else _from_codes(map(ord, chars))
        self._load = load
        self.immutable = immutable
        self._matcher: Callable[[str], bool] | None = None

    def ranges(self) -> list:
        if self._load is not None:
            self._ranges = self._load()
            self._load = None
        return self._ranges

    def set_ranges(self, ranges: list) -> None:
        self._ranges = ranges
        self._load = None
        self._matcher = None

    @property
    def test(self) -> Callable[[str], bool]:
        """A fast membership test of one-character strings."""
        if self._matcher is None:
            rs = self.ranges()
            if sum(hi - lo for lo, hi in rs) <= _SMALL:
                self._matcher = frozenset(chr(c) for lo, hi in rs
                                          for c in range(lo, hi)).__contains__
            else:
                starts = [lo for lo, _ in rs]
                ends = [hi for _, hi in rs]

                def member(ch: str) -> bool:
                    c = ord(ch)
                    k = bisect_right(starts, c) - 1
                    return k >= 0 and c < ends[k]
                self._matcher = member
        return self._matcher

    def __contains__(self, ch: str) -> bool:
        return self.test(ch)

    def size(self) -> int:
        return sum(hi - lo for lo, hi in self.ranges())

    def codes(self) -> Iterable[int]:
        for lo, hi in self.ranges():
            yield from range(lo, hi)

    def members(self) -> list[str]:
        return [chr(c) for c in self.codes()]

    def scheme_repr(self, write: bool) -> str:
        rs = self.ranges()
        items = []
        for lo, hi in rs[:_SHOWN_RANGES]:
            first = write_string(Char(chr(lo)))
            items.append(first if hi == lo + 1 else
                         f"{first}..{write_string(Char(chr(hi - 1)))}")
        more = " ..." if len(rs) >= _SHOWN_RANGES else ""
        return "#<charset {" + " ".join(items) + more + "}>"


class CharSetCursor:
    """A position in a char-set: the range and the code point it is at (Guile's
    cursors are changed in place by char-set-cursor-next)."""

    __slots__ = ("index", "code")

    def __init__(self, index: int, code: int):
        self.index = index
        self.code = code

    def scheme_repr(self, write: bool) -> str:
        if self.index < 0:
            return "#<charset-cursor (empty)>"
        return f"#<charset-cursor {self.index}:{self.code}>"


# --- range algebra ------------------------------------------------------------------------

def _from_codes(codes: Iterable[int]) -> list:
    out: list = []
    for c in sorted(set(codes)):
        if out and out[-1][1] == c:
            out[-1] = (out[-1][0], c + 1)
        else:
            out.append((c, c + 1))
    return out


def _union(a: list, b: list) -> list:
    if not a:
        return list(b)
    if not b:
        return list(a)
    out: list = []
    for lo, hi in sorted(a + b):
        if out and lo <= out[-1][1]:
            if hi > out[-1][1]:
                out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return out


def _intersection(a: list, b: list) -> list:
    out: list = []
    i = j = 0
    while i < len(a) and j < len(b):
        lo = max(a[i][0], b[j][0])
        hi = min(a[i][1], b[j][1])
        if lo < hi:
            out.append((lo, hi))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def _difference(a: list, b: list) -> list:
    out: list = []
    j = 0
    for lo, hi in a:
        while j < len(b) and b[j][1] <= lo:
            j += 1
        k = j
        while k < len(b) and b[k][0] < hi:
            if b[k][0] > lo:
                out.append((lo, b[k][0]))
            lo = max(lo, b[k][1])
            k += 1
        if lo < hi:
            out.append((lo, hi))
    return out


def _complement(a: list) -> list:
    return _difference(_VALID, a)


def _xor(a: list, b: list) -> list:
    return _union(_difference(a, b), _difference(b, a))


# --- the standard sets --------------------------------------------------------------------

_tables: dict[str, list] = {}


def standard_ranges(name: str) -> list:
    """The ranges of Guile's char-set:NAME (read from the tables once)."""
    ranges = _tables.get(name)
    if ranges is None:
        from .charset_tables import TABLES  # noqa: PLC0415 (25 KB, read on first use)
        values = [int(t, 36) for t in "".join(TABLES[name]).split()]
        ranges, end = [], 0
        for gap, length in zip(values[::2], values[1::2]):
            lo = end + gap
            end = lo + length
            ranges.append((lo, end))
        _tables[name] = ranges
    return ranges


def in_standard(name: str, ch: str) -> bool:
    """Whether CH is in Guile's char-set:NAME (char-alphabetic? and friends)."""
    return _STANDARD[name].test(ch)


_STANDARD: dict[str, CharSet] = {}
for _name in ("lower-case", "upper-case", "title-case", "letter", "digit", "letter+digit",
              "graphic", "printing", "whitespace", "blank", "iso-control", "punctuation",
              "symbol", "hex-digit", "ascii", "designated"):
    _STANDARD[_name] = CharSet(load=(lambda n: lambda: standard_ranges(n))(_name),
                               ranges=[], immutable=True)
    constant(f"char-set:{_name}", _STANDARD[_name])
constant("char-set:empty", CharSet(ranges=[], immutable=True))
constant("char-set:full", CharSet(ranges=list(_VALID), immutable=True))


def is_graphic(ch: str) -> bool:
    return in_standard("graphic", ch)


# --- argument checks ----------------------------------------------------------------------

def need_charset(origin: str, pos: int, x: Any) -> CharSet:
    if type(x) is CharSet:
        return x
    raise wrong_type(origin, pos, "char-set", x)


def _need_mutable(origin: str, pos: int, x: Any) -> CharSet:
    cs = need_charset(origin, pos, x)
    if cs.immutable:
        err = wrong_type(origin, pos, "mutable charset", x)
        err.payload.hints.append("the standard char-sets cannot change; change a copy "
                                 "made by (char-set-copy ...)")
        raise err
    return cs


def _need_proc(origin: str, pos: int, x: Any) -> Any:
    if not is_procedure(x):
        raise wrong_type(origin, pos, "procedure", x)
    return x


def char_matcher(origin: str, pos: int, x: Any) -> Callable[[str], bool]:
    """What SRFI-13 calls a char/char-set/predicate argument, as a Python test."""
    t = type(x)
    if t is Char:
        return x.ch.__eq__
    if t is CharSet:
        return x.test
    if is_procedure(x):
        return lambda ch: is_true(call(x, [Char(ch)]))
    raise wrong_type(origin, pos, "character, char-set or predicate", x)


def _misc(origin: str, fmt: str, *irritants: Any) -> SchemeError:
    """A misc-error whose message FMT has a ~S or ~A for each irritant, as Guile's."""
    text = fmt
    for x in irritants:
        text = text.replace("~S", write_string(x), 1).replace("~A", write_string(x), 1)
    return SchemeError(Condition("misc-error", f"{origin}: {text}", (), origin, None,
                                 (origin, fmt, from_list(list(irritants)), False)))


def _non_char(origin: str, proc: Any, value: Any) -> str:
    if type(value) is not Char:
        raise _misc(origin, "procedure ~S returned non-char", proc)
    return value.ch


# --- making char-sets ---------------------------------------------------------------------

def _chars_of_list(origin: str, items: Any) -> list[int]:
    codes = []
    for x in need_list(origin, 1, items):
        if type(x) is not Char:
            raise wrong_type(origin, 1, "list of characters", x)
        codes.append(ord(x.ch))
    return codes


def _base_ranges(origin: str, pos: int, base: Any) -> list:
    return [] if base is None else need_charset(origin, pos, base).ranges()


def _into(target: CharSet, ranges: list) -> CharSet:
    target.set_ranges(ranges)
    return target


@builtin("char-set")
def char_set(*chars):
    return CharSet(need_char("char-set", i, c) for i, c in enumerate(chars, 1))


@builtin("list->char-set")
def list_to_char_set(lst, base_cs=None):
    codes = _chars_of_list("list->char-set", lst)
    return CharSet(ranges=_union(_base_ranges("list->char-set", 2, base_cs),
                                 _from_codes(codes)))


@builtin("list->char-set!")
def list_to_char_set_bang(lst, base_cs):
    codes = _chars_of_list("list->char-set!", lst)
    cs = _need_mutable("list->char-set!", 2, base_cs)
    return _into(cs, _union(cs.ranges(), _from_codes(codes)))


@builtin("string->char-set")
def string_to_char_set(str_, base_cs=None):
    s = need_string("string->char-set", 1, str_)
    return CharSet(ranges=_union(_base_ranges("string->char-set", 2, base_cs),
                                 _from_codes(map(ord, s))))


@builtin("string->char-set!")
def string_to_char_set_bang(str_, base_cs):
    s = need_string("string->char-set!", 1, str_)
    cs = _need_mutable("string->char-set!", 2, base_cs)
    return _into(cs, _union(cs.ranges(), _from_codes(map(ord, s))))


def _range(origin: str, lower, upper, error) -> list:
    """The ranges of [LOWER, UPPER) as Guile's ucs-range->char-set clamps them: codes
    past U+10FFFF become U+10FFFF, surrogates are left out, and an UPPER of 0 wraps
    around to the top (Guile computes UPPER - 1 unsigned)."""
    lo, hi = need_int(origin, 1, lower), need_int(origin, 2, upper)
    if lo < 0:
        raise out_of_range(origin, 1, lower)
    if hi < 0:
        raise out_of_range(origin, 2, upper)
    last = hi - 1 if hi > 0 else 1 << 64
    if last < lo:
        raise out_of_range(origin, 2, upper)
    if is_true(error):
        if not _is_unicode(lo):
            raise out_of_range(origin, 1, lower)
        if not _is_unicode(last):
            raise out_of_range(origin, 2, upper)
        if lo < _SURROGATES[0] and last >= _SURROGATES[1]:
            raise SchemeError(Condition(
                "out-of-range", f"{origin}: invalid range - contains surrogate characters: "
                                f"{lo} to {hi}", (), origin, None,
                (origin, "invalid range - contains surrogate characters: ~S to ~S",
                 from_list([lower, upper]), from_list([upper]))))
    if _in_surrogates(lo) and _in_surrogates(last):
        return []
    lo = min(lo, _MAX_CODE)
    lo = _SURROGATES[1] if _in_surrogates(lo) else lo
    last = min(last, _MAX_CODE)
    last = _SURROGATES[0] - 1 if _in_surrogates(last) else last
    return _intersection([(lo, last + 1)], _VALID)


def _in_surrogates(code: int) -> bool:
    return _SURROGATES[0] <= code < _SURROGATES[1]


def _is_unicode(code: int) -> bool:
    return 0 <= code <= _MAX_CODE and not _in_surrogates(code)


@builtin("ucs-range->char-set")
def ucs_range_to_char_set(lower, upper, error=False, base_cs=None):
    name = "ucs-range->char-set"
    ranges = _range(name, lower, upper, error)
    if base_cs is not None and type(base_cs) is not CharSet:
        raise wrong_type(name, 4, "char-set", base_cs)
    return CharSet(ranges=_union(_base_ranges(name, 4, base_cs), ranges))


@builtin("ucs-range->char-set!")
def ucs_range_to_char_set_bang(lower, upper, error, base_cs):
    name = "ucs-range->char-set!"
    ranges = _range(name, lower, upper, error)
    cs = _need_mutable(name, 4, base_cs)
    return _into(cs, _union(cs.ranges(), ranges))


@builtin("->char-set")
def to_char_set(x):
    t = type(x)
    if t is CharSet:
        return x
    if t is Char:
        return CharSet(x.ch)
    if t is str or t is MString:
        return CharSet(str(x))
    raise wrong_type("->char-set", 1, "string, character or char-set", x)


@builtin("char-set-copy")
def char_set_copy(cs):
    return CharSet(ranges=list(need_charset("char-set-copy", 1, cs).ranges()))


@builtin("char-set-filter")
def char_set_filter(pred, cs, base_cs=None):
    name = "char-set-filter"
    _need_proc(name, 1, pred)
    members = need_charset(name, 2, cs).codes()
    base = _base_ranges(name, 3, base_cs)
    kept = [c for c in members if is_true(call(pred, [Char(chr(c))]))]
    return CharSet(ranges=_union(base, _from_codes(kept)))


@builtin("char-set-filter!")
def char_set_filter_bang(pred, cs, base_cs):
    name = "char-set-filter!"
    _need_proc(name, 1, pred)
    members = list(need_charset(name, 2, cs).codes())
    base = _need_mutable(name, 3, base_cs)
    kept = [c for c in members if is_true(call(pred, [Char(chr(c))]))]
    return _into(base, _union(base.ranges(), _from_codes(kept)))


def _unfold(name: str, p, f, g, seed) -> list[int]:
    for pos, proc in ((1, p), (2, f), (3, g)):
        _need_proc(name, pos, proc)
    codes = []
    while not is_true(call(p, [seed])):
        codes.append(ord(_non_char(name, f, call(f, [seed]))))
        seed = call(g, [seed])
    return codes


@builtin("char-set-unfold")
def char_set_unfold(p, f, g, seed, base_cs=None):
    base = _base_ranges("char-set-unfold", 5, base_cs)
    return CharSet(ranges=_union(base, _from_codes(_unfold("char-set-unfold", p, f, g,
                                                           seed))))


@builtin("char-set-unfold!")
def char_set_unfold_bang(p, f, g, seed, base_cs):
    base = _need_mutable("char-set-unfold!", 5, base_cs)
    codes = _unfold("char-set-unfold!", p, f, g, seed)
    return _into(base, _union(base.ranges(), _from_codes(codes)))


# --- questions ----------------------------------------------------------------------------

@builtin("char-set?")
def is_char_set(obj):
    return type(obj) is CharSet


@builtin("char-set=")
def char_set_eq(*char_sets):
    ranges = [need_charset("char-set=", i, cs).ranges() for i, cs in enumerate(char_sets, 1)]
    return all(a == b for a, b in zip(ranges, ranges[1:]))


@builtin("char-set<=")
def char_set_le(*char_sets):
    ranges = [need_charset("char-set<=", i, cs).ranges()
              for i, cs in enumerate(char_sets, 1)]
    return all(not _difference(a, b) for a, b in zip(ranges, ranges[1:]))


_HASH_BOUND = 871        # Guile's bound when none (or 0) is given


@builtin("char-set-hash")
def char_set_hash(cs, bound=0):
    """Guile's hash: h = code + 2h over the members in order, in 64 bits, so only the
    last 64 members count."""
    ranges = need_charset("char-set-hash", 1, cs).ranges()
    limit = need_int("char-set-hash", 2, bound)
    if not 0 <= limit < 1 << 64:
        raise out_of_range("char-set-hash", 2, bound)
    tail: list[int] = []
    for lo, hi in reversed(ranges):
        tail[:0] = range(max(lo, hi - (64 - len(tail))), hi)
        if len(tail) >= 64:
            break
    value = 0
    for c in tail:
        value = (c + (value << 1)) & 0xFFFFFFFFFFFFFFFF
    return value % (limit or _HASH_BOUND)


@builtin("char-set-contains?")
def char_set_contains(cs, ch):
    return need_char("char-set-contains?", 2, ch) in need_charset("char-set-contains?", 1, cs)


@builtin("char-set-size")
def char_set_size(cs):
    return need_charset("char-set-size", 1, cs).size()


@builtin("char-set-count")
def char_set_count(pred, cs):
    _need_proc("char-set-count", 1, pred)
    return sum(1 for c in need_charset("char-set-count", 2, cs).codes()
               if is_true(call(pred, [Char(chr(c))])))


@builtin("char-set->list")
def char_set_to_list(cs):
    return from_list([Char(ch) for ch in need_charset("char-set->list", 1, cs).members()])


@builtin("char-set->string")
def char_set_to_string(cs):
    return "".join(need_charset("char-set->string", 1, cs).members())


@builtin("char-set-every")
def char_set_every(pred, cs):
    _need_proc("char-set-every", 1, pred)
    for c in need_charset("char-set-every", 2, cs).codes():
        if call(pred, [Char(chr(c))]) is False:
            return False
    return True


@builtin("char-set-any")
def char_set_any(pred, cs):
    """As Guile's: the first true value PRED gives, and #t for the empty set."""
    _need_proc("char-set-any", 1, pred)
    ranges = need_charset("char-set-any", 2, cs).ranges()
    if not ranges:
        return True
    for lo, hi in ranges:
        for c in range(lo, hi):
            value = call(pred, [Char(chr(c))])
            if value is not False:
                return value
    return False


# --- walking ------------------------------------------------------------------------------

@builtin("char-set-cursor")
def char_set_cursor(cs):
    ranges = need_charset("char-set-cursor", 1, cs).ranges()
    return CharSetCursor(0, ranges[0][0]) if ranges else CharSetCursor(-1, 0)


def _need_cursor(origin: str, pos: int, x: Any) -> CharSetCursor:
    if type(x) is not CharSetCursor:
        raise wrong_type(origin, pos, "char-set cursor", x)
    return x


def _valid_cursor(origin: str, ranges: list, cur: CharSetCursor) -> None:
    if not (0 <= cur.index < len(ranges)
            and ranges[cur.index][0] <= cur.code < ranges[cur.index][1]):
        raise _misc(origin, "invalid character set cursor: ~A", cur)


@builtin("char-set-ref")
def char_set_ref(cs, cursor):
    ranges = need_charset("char-set-ref", 1, cs).ranges()
    cur = _need_cursor("char-set-ref", 2, cursor)
    _valid_cursor("char-set-ref", ranges, cur)
    return Char(chr(cur.code))


@builtin("char-set-cursor-next")
def char_set_cursor_next(cs, cursor):
    ranges = need_charset("char-set-cursor-next", 1, cs).ranges()
    cur = _need_cursor("char-set-cursor-next", 2, cursor)
    _valid_cursor("char-set-cursor-next", ranges, cur)
    if cur.code + 1 < ranges[cur.index][1]:
        cur.code += 1
    elif cur.index + 1 < len(ranges):
        cur.index += 1
        cur.code = ranges[cur.index][0]
    else:
        cur.index, cur.code = -1, 0
    return cur


@builtin("end-of-char-set?")
def end_of_char_set(cursor):
    return _need_cursor("end-of-char-set?", 1, cursor).index < 0


@builtin("char-set-for-each")
def char_set_for_each(proc, cs):
    _need_proc("char-set-for-each", 1, proc)
    for ch in need_charset("char-set-for-each", 2, cs).members():
        call(proc, [Char(ch)])
    return UNSPECIFIED


@builtin("char-set-fold")
def char_set_fold(kons, knil, cs):
    _need_proc("char-set-fold", 1, kons)
    acc = knil
    for ch in need_charset("char-set-fold", 3, cs).members():
        acc = call(kons, [Char(ch), acc])
    return acc


@builtin("char-set-map")
def char_set_map(proc, cs):
    _need_proc("char-set-map", 1, proc)
    return CharSet(_non_char("char-set-map", proc, call(proc, [Char(ch)]))
                   for ch in need_charset("char-set-map", 2, cs).members())


# --- algebra ------------------------------------------------------------------------------

def _chars(origin: str, chars: tuple) -> list:
    return _from_codes(ord(need_char(origin, i, c)) for i, c in enumerate(chars, 2))


def _member_edit(name: str, op) -> None:
    """NAME (a new set: CS with OP applied to the characters) and NAME! (CS changed)."""
    def pure(cs, *chars):
        base = need_charset(name, 1, cs)
        return CharSet(ranges=op(base.ranges(), _chars(name, chars)))

    def bang(cs, *chars):
        base = _need_mutable(name + "!", 1, cs)
        return _into(base, op(base.ranges(), _chars(name + "!", chars)))
    builtin(name)(pure)
    builtin(name + "!")(bang)


_member_edit("char-set-adjoin", _union)
_member_edit("char-set-delete", _difference)


@builtin("char-set-complement")
def char_set_complement(cs):
    return CharSet(ranges=_complement(need_charset("char-set-complement", 1, cs).ranges()))


def _all_ranges(origin: str, sets: tuple, first: int) -> list[list]:
    return [need_charset(origin, i, cs).ranges() for i, cs in enumerate(sets, first)]


def _fold(op, ranges: list[list], start: list) -> list:
    for r in ranges:
        start = op(start, r)
    return start


def _algebra(name: str, op) -> None:
    """The procedure NAME over any number of sets, and its `!` form, which in Guile
    only insists that its first argument may change, and then makes a new set too."""
    def pure(*char_sets):
        ranges = _all_ranges(name, char_sets, 1)
        if not ranges:
            return CharSet(ranges=[])
        return CharSet(ranges=_fold(op, ranges[1:], list(ranges[0])))
    pure.__name__ = name.replace("-", "_")

    def bang(cs1, *char_sets):
        _need_mutable(name + "!", 1, cs1)
        return pure(cs1, *char_sets)
    bang.__name__ = pure.__name__ + "_bang"
    builtin(name)(pure)
    builtin(name + "!")(bang)


_algebra("char-set-union", _union)
_algebra("char-set-intersection", _intersection)
_algebra("char-set-xor", _xor)


@builtin("char-set-difference")
def char_set_difference(cs1, *char_sets):
    first = need_charset("char-set-difference", 1, cs1).ranges()
    return CharSet(ranges=_fold(_difference, _all_ranges("char-set-difference", char_sets, 2),
                                first))


@builtin("char-set-difference!")
def char_set_difference_bang(cs1, *char_sets):
    _need_mutable("char-set-difference!", 1, cs1)
    return char_set_difference(cs1, *char_sets)


@builtin("char-set-complement!")
def char_set_complement_bang(cs):
    _need_mutable("char-set-complement!", 1, cs)
    return char_set_complement(cs)


@builtin("char-set-diff+intersection")
def char_set_diff_intersection(cs1, *char_sets):
    """What Guile 3.0 returns: CS1 intersected with every other set, and the union of
    the others (not the difference SRFI-14 describes)."""
    first = need_charset("char-set-diff+intersection", 1, cs1).ranges()
    others = _all_ranges("char-set-diff+intersection", char_sets, 2)
    return Values((CharSet(ranges=_fold(_intersection, others, first)),
                   CharSet(ranges=_fold(_union, others, []))))


@builtin("char-set-diff+intersection!")
def char_set_diff_intersection_bang(cs1, cs2, *char_sets):
    """CS1 less the others, and the intersection of all; new sets, as Guile's."""
    name = "char-set-diff+intersection!"
    first = need_charset(name, 1, cs1).ranges()
    others = _all_ranges(name, (cs2,) + char_sets, 2)
    return Values((CharSet(ranges=_fold(_difference, others, first)),
                   CharSet(ranges=_fold(_intersection, others, first))))
