"""Strings: the R7RS procedures and Guile's SRFI-13 set (which Guile has in its core).

Strings arrive as `str` (literals and most results) or `MString` (from `make-string`,
`string-copy` and `string`); every procedure reads both.  Only the mutators need an
MString, and they say so when handed a literal.  Optional `start`/`end` arguments
select a substring as in SRFI-13.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from ..datatypes import UNSPECIFIED, Char, CharWindow, MString, Pair, Symbol, from_list
from ..errors import error, out_of_range, wrong_type
from ..procedures import call, is_procedure
from .chars import downcase, upcase
from .charsets import char_matcher, is_graphic
from .checks import (
    need_char,
    need_count,
    need_index,
    need_list,
    need_mstring,
    need_proc,
    need_range,
    need_string,
)
from .define import builtin, reexport
from .predicates import stable_hash

SRFI13 = "srfi srfi-13"


def _sub(origin: str, s: Any, start: Any, end: Any, pos: int = 2) -> str:
    """The text of string `s` between the optional `start` and `end` arguments."""
    text = need_string(origin, 1, s) if pos == 2 else s
    if start is None:
        return text
    a, b = need_range(origin, pos, len(text), start, end)
    return text[a:b]


def _two(origin: str, s1, s2, start1, end1, start2, end2) -> tuple[str, str, int]:
    """Both strings of a two-string SRFI-13 procedure, cut to their ranges, and where
    the first one starts (for results that are indices into it)."""
    t1 = need_string(origin, 1, s1)
    t2 = need_string(origin, 2, s2)
    a1, b1 = need_range(origin, 3, len(t1), start1, end1)
    a2, b2 = need_range(origin, 5, len(t2), start2, end2)
    return t1[a1:b1], t2[a2:b2], a1


# --- basics --------------------------------------------------------------------------

@builtin("string-length")
def string_length(s):
    if type(s) is str:
        return len(s)
    return len(need_string("string-length", 1, s))


@builtin("string-ref")
def string_ref(s, k):
    text = need_string("string-ref", 1, s)
    return Char(text[need_index("string-ref", 2, k, len(text))])


def _substring_text(origin: str, s, start, end) -> str:
    text = need_string(origin, 1, s)
    a, b = need_range(origin, 2, len(text), start, end)
    return text[a:b]


@builtin("substring")
def substring(s, start, end=None):
    """A new string, mutable as in Guile."""
    return MString(_substring_text("substring", s, start, end))


@builtin("substring/copy")
def substring_copy(s, start, end=None):
    return MString(_substring_text("substring/copy", s, start, end))


@builtin("substring/read-only")
def substring_read_only(s, start, end=None):
    return _substring_text("substring/read-only", s, start, end)


@builtin("substring/shared")
def substring_shared(s, start, end=None):
    """The characters start..end of S, shared with it: a change to either shows in
    both.  Of a constant string, a read-only one."""
    if type(s) is not MString:
        text = need_string("substring/shared", 1, s)
        a, b = need_range("substring/shared", 2, len(text), start, end)
        if a == 0 and b == len(text):
            return s
        ms = MString(text[a:b])
        ms.read_only = True
    else:
        chars = s.chars
        a, b = need_range("substring/shared", 2, len(chars), start, end)
        if a == 0 and b == len(chars):
            return s
        ms = MString()
        ms.read_only = s.read_only
        if type(chars) is CharWindow:   # a window on a window is one on the first string
            ms.chars = CharWindow(chars.base, chars.start + a, chars.start + b)
            s = s.shared
        else:
            ms.chars = CharWindow(chars, a, b)
    ms.shared = s
    return ms


@builtin("string-append")
def string_append(*strings):
    try:
        return "".join(strings)
    except TypeError:       # an MString or not a string at all
        return "".join(need_string("string-append", i, s) for i, s in enumerate(strings, 1))


builtin("string-append/shared")(string_append)


@builtin("xsubstring")
def xsubstring(s, start, end=None, from_=None, to=None):
    """The characters start..end of `s` repeated without end (SRFI-13)."""
    text = need_string("xsubstring", 1, s)
    if type(start) is not int:
        raise wrong_type("xsubstring", 2, "exact integer", start)
    stop = start + len(text) if end is None else need_count("xsubstring", 3, end)
    if from_ is not None:
        text = _sub("xsubstring", text, from_, to, pos=4)
    if not text and stop > start:
        raise out_of_range("xsubstring", 1, s)
    return "".join(text[i % len(text)] for i in range(start, stop))


def _unfold(name: str, from_right: bool):
    """SRFI-13 string-unfold: base, then a character per seed until `stop`, then the
    final string; string-unfold-right lays the same pieces out right to left."""
    def unfold(stop, mapper, successor, seed, base="", make_final=None):
        pieces = [need_string(name, 5, base)]
        while call(stop, [seed]) is False:
            pieces.append(need_char(name, 2, call(mapper, [seed])))
            seed = call(successor, [seed])
        if make_final is not None:
            pieces.append(need_string(name, 6, call(make_final, [seed])))
        return "".join(reversed(pieces) if from_right else pieces)
    builtin(name)(unfold)


_unfold("string-unfold", False)
_unfold("string-unfold-right", True)


@builtin("string-concatenate")
def string_concatenate(strings):
    items = need_list("string-concatenate", 1, strings)
    return "".join(need_string("string-concatenate", 1, s) for s in items)


@builtin("string-concatenate-reverse")
def string_concatenate_reverse(strings, final="", end=None):
    items = need_list("string-concatenate-reverse", 1, strings)
    tail = need_string("string-concatenate-reverse", 2, final)
    if end is not None:
        tail = tail[:need_range("string-concatenate-reverse", 3, len(tail), 0, end)[1]]
    return "".join(need_string("string-concatenate-reverse", 1, s)
                   for s in reversed(items)) + tail


builtin("string-concatenate/shared")(string_concatenate)
builtin("string-concatenate-reverse/shared")(string_concatenate_reverse)


@builtin("string-null?")
def string_null(s):
    return need_string("string-null?", 1, s) == ""


@builtin("make-string")
def make_string(k, fill=None):
    n = need_count("make-string", 1, k)
    ch = "\0" if fill is None else need_char("make-string", 2, fill)
    return MString(ch * n)


@builtin("string")
def string(*chars):
    return MString("".join(need_char("string", i, c) for i, c in enumerate(chars, 1)))


@builtin("string-copy")
def string_copy(s, start=None, end=None):
    return MString(_sub("string-copy", s, start, end))


@builtin("string->list")
def string_to_list(s, start=None, end=None):
    return from_list([Char(ch) for ch in _sub("string->list", s, start, end)])


@builtin("list->string")
def list_to_string(chars):
    out = []
    for c in need_list("list->string", 1, chars):
        if type(c) is not Char:
            raise wrong_type("list->string", 1, "character", c)
        out.append(c.ch)
    return "".join(out)


@builtin("reverse-list->string")
def reverse_list_to_string(chars):
    items = need_list("reverse-list->string", 1, chars)
    return "".join(need_char("reverse-list->string", 1, c) for c in reversed(items))


@builtin("string-tabulate")
def string_tabulate(proc, length):
    need_proc("string-tabulate", 1, proc)
    n = need_count("string-tabulate", 2, length)
    return "".join(need_char("string-tabulate", 1, call(proc, [i])) for i in range(n))


# --- mutation ------------------------------------------------------------------------

@builtin("string-set!")
def string_set(s, k, c):
    ms = need_mstring("string-set!", 1, s)
    ms.chars[need_index("string-set!", 2, k, len(ms.chars))] = need_char("string-set!", 3, c)
    return UNSPECIFIED


@builtin("string-fill!")
def string_fill(s, c, start=None, end=None):
    ms = need_mstring("string-fill!", 1, s)
    ch = need_char("string-fill!", 2, c)
    a, b = need_range("string-fill!", 3, len(ms.chars), start, end)
    ms.chars[a:b] = [ch] * (b - a)
    return UNSPECIFIED


@builtin("substring-fill!")
def substring_fill(s, start, end, c):
    return string_fill(s, c, start, end)


@builtin("string-copy!")
def string_copy_(target, at, source, start=None, end=None):
    ms = need_mstring("string-copy!", 1, target)
    text = _sub("string-copy!", need_string("string-copy!", 3, source), start, end, pos=4)
    k = need_index("string-copy!", 2, at, len(ms.chars) + 1)
    if k + len(text) > len(ms.chars):
        raise out_of_range("string-copy!", 3, source)
    ms.chars[k:k + len(text)] = list(text)
    return UNSPECIFIED


@builtin("substring-move!")
def substring_move(str1, start1, end1, str2, start2):
    """Copy characters start1..end1 of STR1 into STR2 from START2 (they may overlap)."""
    text = need_string("substring-move!", 1, str1)
    a, b = need_range("substring-move!", 2, len(text), start1, end1)
    return string_copy_(str2, start2, text, a, b)


# --- case ----------------------------------------------------------------------------

def string_upcase_text(text: str) -> str:
    return text.upper() if text.isascii() else "".join(map(upcase, text))


def string_downcase_text(text: str) -> str:
    return text.lower() if text.isascii() else "".join(map(downcase, text))


@builtin("string-upcase")
def string_upcase(s, start=None, end=None):
    return string_upcase_text(_sub("string-upcase", s, start, end))


@builtin("string-downcase")
def string_downcase(s, start=None, end=None):
    return string_downcase_text(_sub("string-downcase", s, start, end))


def titlecase_text(text: str) -> str:
    """Each word capitalized, the rest of it lower case (a word: a run of letters)."""
    out = []
    in_word = False
    for ch in text:
        out.append(downcase(ch) if in_word else upcase(ch))
        in_word = ch.isalpha()
    return "".join(out)


@builtin("string-titlecase")
def string_titlecase(s, start=None, end=None):
    return titlecase_text(_sub("string-titlecase", s, start, end))


builtin("string-capitalize")(string_titlecase)


def _normalizer(form: str):
    def normalize(s):
        return unicodedata.normalize(form, need_string(f"string-normalize-{form.lower()}",
                                                       1, s))
    builtin(f"string-normalize-{form.lower()}")(normalize)


for _form in ("NFC", "NFD", "NFKC", "NFKD"):
    _normalizer(_form)


@builtin("string-utf8-length")
def string_utf8_length(s):
    return len(need_string("string-utf8-length", 1, s).encode("utf-8", "surrogatepass"))


def _case_mutator(name: str, convert):
    def mutate(s, start=None, end=None):
        ms = need_mstring(name, 1, s)
        a, b = need_range(name, 2, len(ms.chars), start, end)
        ms.chars[a:b] = list(convert("".join(ms.chars[a:b])))
        return UNSPECIFIED
    mutate.__name__ = name
    builtin(name)(mutate)


_case_mutator("string-upcase!", string_upcase_text)
_case_mutator("string-downcase!", string_downcase_text)
_case_mutator("string-titlecase!", titlecase_text)
_case_mutator("string-capitalize!", titlecase_text)


# --- comparison ----------------------------------------------------------------------

_TESTS = {"=": lambda a, b: a == b, "<": lambda a, b: a < b, ">": lambda a, b: a > b,
          "<=": lambda a, b: a <= b, ">=": lambda a, b: a >= b}


def _nary_comparison(name: str, test, fold: bool):
    def compare(*strings):
        texts = [need_string(name, i, s) for i, s in enumerate(strings, 1)]
        if fold:
            texts = [string_downcase_text(t) for t in texts]
        return all(test(a, b) for a, b in zip(texts, texts[1:]))
    compare.__name__ = name
    builtin(name)(compare)


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def _two_string_procedure(name: str, fold: bool, op):
    """Define SRFI-13's `(name s1 s2 [start1 end1 start2 end2])`: `op(a, b, offset)`
    computes the result from the two selected substrings (case-folded when `fold`);
    `offset` is where the first one starts, for results that index into it."""
    def fn(s1, s2, start1=None, end1=None, start2=None, end2=None):
        a, b, offset = _two(name, s1, s2, start1, end1, start2, end2)
        if fold:
            a, b = string_downcase_text(a), string_downcase_text(b)
        return op(a, b, offset)
    fn.__name__ = name
    builtin(name)(fn)


def _ranged_comparison(test):
    """SRFI-13's string= & co. (Guile answers #t rather than SRFI-13's mismatch index)."""
    return lambda a, b, offset: test(a, b)


def _found(a: str, b: str, offset: int):
    i = a.find(b)
    return False if i < 0 else offset + i


for _op, _test in _TESTS.items():
    _nary_comparison(f"string{_op}?", _test, False)
    _nary_comparison(f"string-ci{_op}?", _test, True)
    _two_string_procedure(f"string{_op}", False, _ranged_comparison(_test))
    _two_string_procedure(f"string-ci{_op}", True, _ranged_comparison(_test))
for _fold, _ci in ((False, ""), (True, "-ci")):
    _two_string_procedure(f"string{_ci}<>", _fold, _ranged_comparison(lambda a, b: a != b))
    _two_string_procedure(f"string-contains{_ci}", _fold, _found)
    _two_string_procedure(f"string-prefix{_ci}?", _fold, lambda a, b, _: b.startswith(a))
    _two_string_procedure(f"string-suffix{_ci}?", _fold, lambda a, b, _: b.endswith(a))
    _two_string_procedure(f"string-prefix-length{_ci}", _fold,
                          lambda a, b, _: _common_prefix(a, b))
    _two_string_procedure(f"string-suffix-length{_ci}", _fold,
                          lambda a, b, _: _common_prefix(a[::-1], b[::-1]))


def _string_compare(name: str, fold: bool):
    def compare(s1, s2, proc_lt, proc_eq, proc_gt, start1=None, end1=None,
                start2=None, end2=None):
        a, b, offset = _two(name, s1, s2, start1, end1, start2, end2)
        if fold:
            a, b = string_downcase_text(a), string_downcase_text(b)
        proc = proc_lt if a < b else proc_gt if a > b else proc_eq
        return call(proc, [offset + _common_prefix(a, b)])
    builtin(name)(compare)


_string_compare("string-compare", False)
_string_compare("string-compare-ci", True)


# --- searching -----------------------------------------------------------------------

def _search(name: str, from_right: bool, negate: bool):
    def search(s, pred, start=None, end=None):
        text = need_string(name, 1, s)
        test = char_matcher(name, 2, pred)
        a, b = need_range(name, 3, len(text), start, end)
        indices = range(b - 1, a - 1, -1) if from_right else range(a, b)
        for i in indices:
            if test(text[i]) != negate:
                return i
        return False
    search.__name__ = name
    builtin(name)(search)


_search("string-index", False, False)
_search("string-rindex", True, False)
_search("string-index-right", True, False)
_search("string-skip", False, True)
_search("string-skip-right", True, True)


@builtin("string-count")
def string_count(s, pred, start=None, end=None):
    text = need_string("string-count", 1, s)
    test = char_matcher("string-count", 2, pred)
    a, b = need_range("string-count", 3, len(text), start, end)
    return sum(1 for ch in text[a:b] if test(ch))


# --- pieces --------------------------------------------------------------------------

def _take_drop(name: str, cut):
    def fn(s, n):
        text = need_string(name, 1, s)
        if type(n) is not int:
            raise wrong_type(name, 2, "exact integer", n)
        if not 0 <= n <= len(text):
            raise out_of_range(name, 2, n)
        return cut(text, n)
    fn.__name__ = name
    builtin(name)(fn)


_take_drop("string-take", lambda t, n: t[:n])
_take_drop("string-drop", lambda t, n: t[n:])
_take_drop("string-take-right", lambda t, n: t[len(t) - n:])
_take_drop("string-drop-right", lambda t, n: t[:len(t) - n])


def _pad(name: str, s, n, c, start, end, right: bool) -> str:
    """Pad with `c` or truncate to `n` characters, keeping the left end when `right`."""
    text = need_string(name, 1, s)
    if start is not None:
        text = _sub(name, text, start, end, pos=4)
    width = need_count(name, 2, n)
    fill = (" " if c is None else need_char(name, 3, c)) * max(width - len(text), 0)
    if right:
        return text[:width] + fill
    return fill + text[max(len(text) - width, 0):]


@builtin("string-pad")
def string_pad(s, n, c=None, start=None, end=None):
    return _pad("string-pad", s, n, c, start, end, right=False)


@builtin("string-pad-right")
def string_pad_right(s, n, c=None, start=None, end=None):
    return _pad("string-pad-right", s, n, c, start, end, right=True)


def _trim(name: str, left: bool, right: bool):
    def trim(s, pred=None, start=None, end=None):
        text = need_string(name, 1, s)
        if start is not None:
            text = _sub(name, text, start, end, pos=3)
        if pred is None:
            if left and right:
                return text.strip()
            return text.lstrip() if left else text.rstrip()
        test = char_matcher(name, 2, pred)
        a, b = 0, len(text)
        while left and a < b and test(text[a]):
            a += 1
        while right and b > a and test(text[b - 1]):
            b -= 1
        return text[a:b]
    trim.__name__ = name
    builtin(name)(trim)


_trim("string-trim", True, False)
_trim("string-trim-right", False, True)
_trim("string-trim-both", True, True)


@builtin("string-reverse")
def string_reverse(s, start=None, end=None):
    return _sub("string-reverse", s, start, end)[::-1]


@builtin("string-reverse!")
def string_reverse_(s, start=None, end=None):
    ms = need_mstring("string-reverse!", 1, s)
    a, b = need_range("string-reverse!", 2, len(ms.chars), start, end)
    ms.chars[a:b] = ms.chars[a:b][::-1]
    return UNSPECIFIED


@builtin("string-replace")
def string_replace(s1, s2, start1=None, end1=None, start2=None, end2=None):
    t1 = need_string("string-replace", 1, s1)
    t2 = need_string("string-replace", 2, s2)
    a1, b1 = need_range("string-replace", 3, len(t1), start1, end1)
    a2, b2 = need_range("string-replace", 5, len(t2), start2, end2)
    return t1[:a1] + t2[a2:b2] + t1[b1:]


@builtin("string-join")
def string_join(strings, delimiter=" ", grammar=None):
    items = [need_string("string-join", 1, s) for s in need_list("string-join", 1, strings)]
    delim = need_string("string-join", 2, delimiter)
    kind = "infix" if grammar is None else grammar.name if type(grammar) is Symbol else None
    if kind == "infix":
        return delim.join(items)
    if kind == "strict-infix":
        if not items:
            raise error("string-join: strict-infix grammar requires non-empty list",
                        key="misc-error", origin="string-join")
        return delim.join(items)
    if kind == "suffix":
        return "".join(item + delim for item in items)
    if kind == "prefix":
        return "".join(delim + item for item in items)
    raise wrong_type("string-join", 3, "infix, strict-infix, suffix or prefix", grammar)


@builtin("string-split")
def string_split(s, sep):
    text = need_string("string-split", 1, s)
    if type(sep) is Char:
        return from_list(text.split(sep.ch))
    test = char_matcher("string-split", 2, sep)
    parts, begin = [], 0
    for i, ch in enumerate(text):
        if test(ch):
            parts.append(text[begin:i])
            begin = i + 1
    parts.append(text[begin:])
    return from_list(parts)


@builtin("string-tokenize")
def string_tokenize(s, token_set=None, start=None, end=None):
    text = need_string("string-tokenize", 1, s)
    if start is not None:
        text = _sub("string-tokenize", text, start, end, pos=3)
    if token_set is None:
        if text.isascii():
            return from_list(text.split())
        test = is_graphic
    else:
        test = char_matcher("string-tokenize", 2, token_set)
    tokens, current = [], []
    for ch in text:
        if test(ch):
            current.append(ch)
        elif current:
            tokens.append("".join(current))
            current = []
    if current:
        tokens.append("".join(current))
    return from_list(tokens)


# --- higher order --------------------------------------------------------------------

def _strings_or_range(name: str, s, more) -> list[str] | str:
    """`(proc s start end)` in SRFI-13, `(proc s1 s2 ...)` in R7RS: accept both."""
    text = need_string(name, 2, s)
    if more and all(type(x) in (str, MString) for x in more):
        return [text] + [need_string(name, i, x) for i, x in enumerate(more, 3)]
    if len(more) > 2:
        raise wrong_type(name, 5, "string", more[2])
    start = more[0] if more else None
    end = more[1] if len(more) > 1 else None
    return _sub(name, text, start, end, pos=3)


@builtin("string-for-each")
def string_for_each(proc, s, *more):
    need_proc("string-for-each", 1, proc)
    texts = _strings_or_range("string-for-each", s, more)
    if type(texts) is str:
        for ch in texts:
            call(proc, [Char(ch)])
    else:
        for chars in zip(*texts):
            call(proc, [Char(ch) for ch in chars])
    return UNSPECIFIED


@builtin("string-map")
def string_map(proc, s, *more):
    need_proc("string-map", 1, proc)
    texts = _strings_or_range("string-map", s, more)
    rows = ([ch] for ch in texts) if type(texts) is str else zip(*texts)
    return "".join(need_char("string-map", 1, call(proc, [Char(ch) for ch in row]))
                   for row in rows)


@builtin("string-map!")
def string_map_(proc, s, start=None, end=None):
    ms = need_mstring("string-map!", 2, s)
    a, b = need_range("string-map!", 3, len(ms.chars), start, end)
    ms.chars[a:b] = [need_char("string-map!", 1, call(proc, [Char(ch)]))
                     for ch in ms.chars[a:b]]
    return UNSPECIFIED


@builtin("string-for-each-index")
def string_for_each_index(proc, s, start=None, end=None):
    text = need_string("string-for-each-index", 2, s)
    a, b = need_range("string-for-each-index", 3, len(text), start, end)
    for i in range(a, b):
        call(proc, [i])
    return UNSPECIFIED


def _pred_and_string(name: str, x, y) -> tuple[Any, str]:
    """SRFI-13 changed the argument order of string-filter/delete over time; Guile 3
    takes the predicate first, older code passes the string first.  Accept both."""
    if type(x) in (str, MString) and type(y) not in (str, MString):
        x, y = y, x
    return char_matcher(name, 1, x), need_string(name, 2, y)


@builtin("string-filter")
def string_filter(pred, s, start=None, end=None):
    test, text = _pred_and_string("string-filter", pred, s)
    return "".join(ch for ch in _sub("string-filter", text, start, end, pos=3) if test(ch))


@builtin("string-delete")
def string_delete(pred, s, start=None, end=None):
    test, text = _pred_and_string("string-delete", pred, s)
    return "".join(ch for ch in _sub("string-delete", text, start, end, pos=3)
                   if not test(ch))


@builtin("string-any")
def string_any(pred, s, start=None, end=None):
    text = _sub("string-any", need_string("string-any", 2, s), start, end, pos=3)
    if not is_procedure(pred):
        test = char_matcher("string-any", 1, pred)
        return any(test(ch) for ch in text)
    for ch in text:                 # the predicate's own true value is the result
        result = call(pred, [Char(ch)])
        if result is not False:
            return result
    return False


@builtin("string-every")
def string_every(pred, s, start=None, end=None):
    text = _sub("string-every", need_string("string-every", 2, s), start, end, pos=3)
    if not is_procedure(pred):
        test = char_matcher("string-every", 1, pred)
        return all(test(ch) for ch in text)
    result: Any = True
    for ch in text:
        result = call(pred, [Char(ch)])
        if result is False:
            return False
    return result


@builtin("string-fold")
def string_fold(kons, knil, s, start=None, end=None):
    acc = knil
    for ch in _sub("string-fold", need_string("string-fold", 3, s), start, end, pos=4):
        acc = call(kons, [Char(ch), acc])
    return acc


@builtin("string-fold-right")
def string_fold_right(kons, knil, s, start=None, end=None):
    acc = knil
    for ch in reversed(_sub("string-fold-right", need_string("string-fold-right", 3, s),
                            start, end, pos=4)):
        acc = call(kons, [Char(ch), acc])
    return acc


@builtin("string-hash")
def string_hash(s, bound=None, start=None, end=None):
    text = _sub("string-hash", need_string("string-hash", 1, s), start, end, pos=3)
    h = stable_hash(text)
    if bound is None:
        return h
    if need_count("string-hash", 2, bound) == 0:
        raise out_of_range("string-hash", 2, bound)
    return h % bound


@builtin("string-hash-ci")
def string_hash_ci(s, bound=None, start=None, end=None):
    return string_hash(string_downcase_text(need_string("string-hash-ci", 1, s)), bound,
                       start, end)


# Guile's (srfi srfi-13) module re-exports the core procedures of that SRFI.
reexport(SRFI13, "guile", " ".join("""
    list->string make-string reverse-list->string string string? string->list string-any
    string-append string-append/shared string-ci< string-ci<= string-ci<> string-ci=
    string-ci> string-ci>= string-compare string-concatenate string-concatenate-reverse
    string-contains string-contains-ci string-copy string-copy! string-count
    string-delete string-downcase string-downcase! string-drop string-drop-right
    string-every string-fill! string-filter string-fold string-fold-right string-for-each
    string-for-each-index string-hash string-hash-ci string-index string-index-right
    string-join string-length string-map string-null? string-pad string-pad-right
    string-prefix-ci? string-prefix-length string-prefix-length-ci string-prefix?
    string-ref string-replace string-reverse string-reverse! string-set! string-skip
    string-skip-right string-suffix-ci? string-suffix-length string-suffix-length-ci
    string-suffix? string-tabulate string-take string-take-right string-titlecase
    string-tokenize string-trim string-trim-both string-trim-right string-upcase
    string-upcase! string< string<= string<> string= string> string>= substring/shared
    string-compare-ci string-concatenate/shared string-concatenate-reverse/shared
    string-map! string-titlecase! string-unfold string-unfold-right xsubstring
    """.split()))


# --- (ice-9 string-fun) ------------------------------------------------------------------------

STRING_FUN = "ice-9 string-fun"


@builtin("string-replace-substring", STRING_FUN)
def string_replace_substring(string, substring, replacement):
    """Every occurrence of SUBSTRING in STRING, left to right, replaced by REPLACEMENT."""
    text = need_string("string-replace-substring", 1, string)
    old = need_string("string-replace-substring", 2, substring)
    new = need_string("string-replace-substring", 3, replacement)
    if not old:
        raise error("string-replace-substring: the substring to replace is empty",
                    key="out-of-range", origin="string-replace-substring")
    return text.replace(old, new)


@builtin("sans-surrounding-whitespace", STRING_FUN)
def sans_surrounding_whitespace(s):
    return need_string("sans-surrounding-whitespace", 1, s).strip()


@builtin("sans-leading-whitespace", STRING_FUN)
def sans_leading_whitespace(s):
    return need_string("sans-leading-whitespace", 1, s).lstrip()


@builtin("sans-trailing-whitespace", STRING_FUN)
def sans_trailing_whitespace(s):
    return need_string("sans-trailing-whitespace", 1, s).rstrip()


@builtin("has-trailing-newline?", STRING_FUN)
def has_trailing_newline(s):
    return need_string("has-trailing-newline?", 1, s).endswith("\n")


@builtin("sans-final-newline", STRING_FUN)
def sans_final_newline(s):
    text = need_string("sans-final-newline", 1, s)
    return text[:-1] if text.endswith("\n") else text


# --- internals ------------------------------------------------------------------------
# Guile's debugging views of a string's or symbol's storage, as far as vsys has the same
# ideas: where a string starts in the characters it holds or shares, whether it is
# read-only, whether its characters have changed, whether they need more than Latin-1.

def _alist(pairs: list[tuple[str, Any]]):
    return from_list([Pair(Symbol(k), v) for k, v in pairs])


@builtin("%string-dump")
def string_dump(s):
    """(%string-dump STR): an alist describing how STR is stored."""
    if type(s) is str:
        start, length, shared, read_only, buf, changed = 0, len(s), False, True, s, False
    elif type(s) is MString:
        chars = s.chars
        length = len(chars)
        shared = False if s.shared is None else s.shared
        read_only = s.read_only
        if type(chars) is CharWindow:
            start, buf = chars.start, "".join(chars.base)
        elif type(s.shared) is str:      # a read-only window on a constant string
            buf = s.shared
            start = 0
        else:
            start, buf = 0, "".join(chars)
        changed = False
        x: Any = s
        while type(x) is MString:
            changed = changed or x.written
            x = x.shared
    else:
        raise wrong_type("%string-dump", 1, "string", s)
    return _alist([("string", s), ("start", start), ("length", length), ("shared", shared),
                   ("read-only", read_only), ("stringbuf-chars", buf),
                   ("stringbuf-length", len(buf)), ("stringbuf-mutable", changed),
                   ("stringbuf-wide", any(ord(c) > 0xFF for c in buf))])


@builtin("%symbol-dump")
def symbol_dump(sym):
    """(%symbol-dump SYM): an alist describing how SYM is stored."""
    if type(sym) is not Symbol:
        raise wrong_type("%symbol-dump", 1, "symbol", sym)
    name = sym.name
    return _alist([("symbol", sym), ("hash", stable_hash(name)),
                   ("interned", Symbol._table.get(name) is sym), ("stringbuf-chars", name),
                   ("stringbuf-length", len(name)), ("stringbuf-mutable", False),
                   ("stringbuf-wide", any(ord(c) > 0xFF for c in name))])
