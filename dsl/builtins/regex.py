"""(ice-9 regex): POSIX extended regular expressions, matched with Python's `re`.

A pattern is translated from POSIX ERE syntax (bracket expressions with [:alpha:] and
the other classes, intervals, GNU's \\w \\s \\< \\> \\b \\` \\') to a Python pattern.  What
has no faithful translation ([=e=] and [.x.] inside brackets) is refused with a
`regular-expression-syntax` error naming it, never matched differently.  One difference
remains: POSIX picks the longest of the alternatives that match at a position, Python the
first one written, so (foo|foobar) on "foobar" matches "foo" here.

A match is Guile's match structure: a vector of the searched string then one
(START . END) pair per group, (-1 . -1) for a group that took no part.
"""

from __future__ import annotations

import re
from typing import Any

from ..datatypes import UNSPECIFIED, Pair, Symbol, Vector, from_list, is_string, pystr
from ..errors import Condition, SchemeError, out_of_range, wrong_type
from ..procedures import call, is_procedure
from .checks import need_int, need_proc, need_string
from .define import builtin, constant
from .locales import check_no_nul
from .ports import _current, display_text, need_output

RX = "ice-9 regex"

EXTENDED, ICASE, NEWLINE, BASIC = 1, 2, 4, 0
NOTBOL, NOTEOL = 1, 2
for _name, _value in (("regexp/extended", EXTENDED), ("regexp/icase", ICASE),
                      ("regexp/newline", NEWLINE), ("regexp/basic", BASIC),
                      ("regexp/notbol", NOTBOL), ("regexp/noteol", NOTEOL)):
    constant(_name, _value, "guile", RX)


def syntax_error(message: str, pattern: str) -> SchemeError:
    return SchemeError(Condition(
        "regular-expression-syntax", f"In procedure make-regexp: {message}", (pattern,),
        "make-regexp", throw_args=("make-regexp", message, False, from_list([pattern]))))


# --- translation ----------------------------------------------------------------------------

_PUNCT = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
# class name -> (characters for inside a Python [...], an extra alternative or None)
_CLASSES = {
    "alpha": ("a-zA-Z", r"[^\W\d_]"),
    "alnum": ("a-zA-Z0-9", r"[^\W_]"),
    "digit": ("0-9", None),
    "xdigit": ("0-9A-Fa-f", None),
    "upper": ("A-Z", None),
    "lower": ("a-z", None),
    "space": (r" \t\n\r\f\v", r"\s"),
    "blank": (r" \t", None),
    "punct": (re.escape(_PUNCT).replace("-", r"\-"), None),
    "print": (r"\x20-\x7e", None),
    "graph": (r"\x21-\x7e", None),
    "cntrl": (r"\x00-\x1f\x7f", None),
}


def _class_chars(ch: str) -> str:
    return "\\" + ch if ch in "\\]^-[" else ch


def _bracket(p: str, i: int, newline: bool) -> tuple[str, int]:
    """The Python text for the bracket expression starting at p[i] == '['."""
    i += 1
    negate = i < len(p) and p[i] == "^"
    if negate:
        i += 1
    chars: list[str] = []
    extras: list[str] = []
    first = True
    while True:
        if i >= len(p):
            raise syntax_error("Unmatched [, [^, [:, [., or [=", p)
        c = p[i]
        if c == "]" and not first:
            i += 1
            break
        first = False
        if c == "[" and i + 1 < len(p) and p[i + 1] in ":=.":
            kind = p[i + 1]
            end = p.find(kind + "]", i + 2)
            if end < 0:
                raise syntax_error("Unmatched [, [^, [:, [., or [=", p)
            name = p[i + 2:end]
            i = end + 2
            if kind != ":":
                raise syntax_error(f"[{kind}{name}{kind}] in a bracket expression is not "
                                   f"supported by vsys", p)
            if name not in _CLASSES:
                raise syntax_error("Invalid character class name", p)
            inside, extra = _CLASSES[name]
            chars.append(inside)
            if extra:
                extras.append(extra)
            continue
        if i + 2 < len(p) and p[i + 1] == "-" and p[i + 2] != "]":
            lo, hi = c, p[i + 2]
            if ord(lo) > ord(hi):
                raise syntax_error("Invalid range end", p)
            chars.append(f"{_class_chars(lo)}-{_class_chars(hi)}")
            i += 3
            continue
        chars.append(_class_chars(c))
        i += 1
    body = "".join(chars)
    if negate:
        if newline:
            body += r"\n"
        guard = f"(?!{'|'.join(extras)})" if extras else ""
        return (f"{guard}[^{body}]" if body else f"{guard}(?s:.)"), i
    if not extras:
        return f"[{body}]", i
    return "(?:" + "|".join(([f"[{body}]"] if body else []) + extras) + ")", i


_GNU_ESCAPES = {"w": r"\w", "W": r"\W", "s": r"\s", "S": r"\S", "b": r"\b", "B": r"\B",
                "<": r"\b(?=\w)", ">": r"\b(?<=\w)", "`": r"\A", "'": r"\Z"}
_INTERVAL = re.compile(r"\{(\d*)(,(\d*))?\}")


def translate(p: str, cflags: int = 0, noteol: bool = False) -> str:
    """The Python pattern for the POSIX extended regular expression P."""
    newline = bool(cflags & NEWLINE)
    out: list[str] = []
    i = 0
    can_repeat = False     # whether the previous item is something a * may follow
    depth = 0
    while i < len(p):
        c = p[i]
        if c == "[":
            text, i = _bracket(p, i, newline)
            out.append(text)
            can_repeat = True
            continue
        if c == "\\":
            if i + 1 >= len(p):
                raise syntax_error("Trailing backslash", p)
            n = p[i + 1]
            i += 2
            if n in _GNU_ESCAPES:
                out.append(_GNU_ESCAPES[n])
                can_repeat = n in "wWsS"
            elif n.isdigit() and n != "0":
                out.append(f"(?:\\{n})")
                can_repeat = True
            else:
                out.append(re.escape(n))
                can_repeat = True
            continue
        if c in "*+?":
            if not can_repeat:
                raise syntax_error("Invalid preceding regular expression", p)
            out.append(c)
            i += 1
            continue
        if c == "{":
            m = _INTERVAL.match(p, i)
            if m is None or not can_repeat:
                raise syntax_error("Invalid preceding regular expression" if m
                                   else "Invalid content of \\{\\}", p)
            lo, hi = m.group(1) or "0", m.group(3)
            if hi and int(hi) < int(lo):
                raise syntax_error("Invalid content of \\{\\}", p)
            out.append("{" + lo + ("," + hi if m.group(2) else "") + "}")
            i = m.end()
            continue
        if c == "(":
            depth += 1
            out.append("(")
            can_repeat = False
        elif c == ")":
            if depth:
                depth -= 1
                out.append(")")
            else:
                out.append(r"\)")      # an unmatched ) stands for itself
            can_repeat = True
        elif c == "|":
            out.append("|")
            can_repeat = False
        elif c == "^":
            out.append("^")
            can_repeat = False
        elif c == "$":
            out.append("(?!)" if noteol and not newline else ("$" if newline else r"\Z"))
            can_repeat = False
        elif c == ".":
            out.append("[^\\n]" if newline else "(?s:.)")
            can_repeat = True
        else:
            out.append(re.escape(c))
            can_repeat = True
        i += 1
    if depth:
        raise syntax_error("Unmatched ( or \\(", p)
    return "".join(out)


class Regexp:
    """A compiled regular expression (make-regexp)."""

    __slots__ = ("pattern", "cflags", "_compiled")

    def __init__(self, pattern: str, cflags: int):
        self.pattern = pattern
        self.cflags = cflags
        self._compiled: dict[bool, re.Pattern] = {}
        self.compiled(False)          # report syntax errors when made

    def compiled(self, noteol: bool) -> re.Pattern:
        rx = self._compiled.get(noteol)
        if rx is None:
            flags = re.IGNORECASE if self.cflags & ICASE else 0
            if self.cflags & NEWLINE:
                flags |= re.MULTILINE
            try:
                rx = re.compile(translate(self.pattern, self.cflags, noteol), flags)
            except re.error as e:
                raise syntax_error(str(e), self.pattern) from None
            self._compiled[noteol] = rx
        return rx

    def scheme_repr(self, write: bool) -> str:
        return f"#<regexp {id(self):x}>"


@builtin("make-regexp", "guile", RX)
def make_regexp(pattern, *flags):
    cflags = 0
    for k, f in enumerate(flags, 2):
        cflags |= need_int("make-regexp", k, f)
    text = need_string("make-regexp", 1, pattern)
    check_no_nul("make-regexp", text)
    return Regexp(text, cflags)


@builtin("regexp?", "guile", RX)
def regexp_p(x):
    return type(x) is Regexp


def _exec(rx: Regexp, s: Any, text: str, start: int, eflags: int):
    pattern = rx.compiled(bool(eflags & NOTEOL))
    if eflags & NOTBOL:
        # Searching after a sentinel keeps ^ from matching at START.
        m = pattern.search("\0" + text[start:], 1)
        shift = start - 1
    else:
        m = pattern.search(text[start:])
        shift = start
    if m is None:
        return False
    spans = [Pair(a + shift, b + shift) if a >= 0 else Pair(-1, -1)
             for a, b in (m.span(g) for g in range(pattern.groups + 1))]
    return Vector([s, *spans])


@builtin("regexp-exec", "guile", RX)
def regexp_exec(rx, string, start=0, flags=0):
    if type(rx) is not Regexp:
        raise wrong_type("regexp-exec", 1, "regexp", rx)
    text = need_string("regexp-exec", 2, string)
    start = need_int("regexp-exec", 3, start)
    if not 0 <= start <= len(text):
        raise out_of_range("regexp-exec", 3, start)
    check_no_nul("regexp-exec", text)
    return _exec(rx, string, text, start, need_int("regexp-exec", 4, flags))


def _regexp(origin: str, x: Any, flags: int = 0) -> Regexp:
    if type(x) is Regexp:
        return x
    if is_string(x):
        return Regexp(pystr(x), flags)
    raise wrong_type(origin, 1, "regexp or string", x)


@builtin("string-match", RX)
def string_match(pattern, string, start=0):
    rx = _regexp("string-match", pattern)
    return regexp_exec(rx, string, start)


# --- match structures -----------------------------------------------------------------------

@builtin("regexp-match?", RX)
def regexp_match_p(x):
    return (type(x) is Vector and len(x) >= 2 and is_string(x[0])
            and all(type(p) is Pair for p in x[1:]))


def _need_match(origin: str, m: Any) -> Vector:
    if not regexp_match_p(m):
        raise wrong_type(origin, 1, "regexp match", m)
    return m


def _span(origin: str, m: Any, n: Any) -> tuple[int, int]:
    m = _need_match(origin, m)
    n = need_int(origin, 2, n)
    if not 0 <= n < len(m) - 1:
        raise out_of_range(origin, 2, n)
    return m[n + 1].car, m[n + 1].cdr


@builtin("match:substring", RX)
def match_substring(m, n=0):
    a, b = _span("match:substring", m, n)
    return False if a < 0 else pystr(m[0])[a:b]


@builtin("match:start", RX)
def match_start(m, n=0):
    a = _span("match:start", m, n)[0]
    return False if a < 0 else a


@builtin("match:end", RX)
def match_end(m, n=0):
    b = _span("match:end", m, n)[1]
    return False if b < 0 else b


@builtin("match:prefix", RX)
def match_prefix(m):
    return pystr(_need_match("match:prefix", m)[0])[:m[1].car]


@builtin("match:suffix", RX)
def match_suffix(m):
    return pystr(_need_match("match:suffix", m)[0])[m[1].cdr:]


@builtin("match:count", RX)
def match_count(m):
    return len(_need_match("match:count", m)) - 1


@builtin("match:string", RX)
def match_string(m):
    return _need_match("match:string", m)[0]


# --- iterating and substituting -------------------------------------------------------------

def _matches(origin: str, pattern: Any, string: Any, flags: int = 0):
    """Every match of PATTERN in STRING, left to right.  ^ only matches at the very
    start, and an empty match right where the previous match ended is passed over."""
    rx = _regexp(origin, pattern)
    text = need_string(origin, 2, string)
    check_no_nul(origin, text)
    start, previous_end = 0, -1
    while start <= len(text):
        m = _exec(rx, string, text, start, flags | (NOTBOL if start else 0))
        if m is False:
            return
        a, b = m[1].car, m[1].cdr
        if a == b == previous_end:
            start = a + 1
            continue
        yield m
        previous_end = b
        start = b if b > a else b + 1


@builtin("fold-matches", RX)
def fold_matches(pattern, string, init, proc, flags=0):
    need_proc("fold-matches", 4, proc)
    acc = init
    for m in _matches("fold-matches", pattern, string, need_int("fold-matches", 5, flags)):
        acc = call(proc, [m, acc])
    return acc


@builtin("list-matches", RX)
def list_matches(pattern, string, flags=0):
    return from_list(list(_matches("list-matches", pattern, string,
                                   need_int("list-matches", 3, flags))))


def _emit(port: Any, text: str) -> Any:
    if port is False:
        return text
    out = _current["output"].value if port is True else need_output("regexp-substitute", 1,
                                                                        port)
    out.write(text)
    return UNSPECIFIED


def _item_text(origin: str, m: Vector, item: Any, before: int) -> str:
    s = pystr(m[0])
    if is_string(item):
        return pystr(item)
    if type(item) is int:
        a, b = _span(origin, m, item)
        return "" if a < 0 else s[a:b]
    if item is Symbol("pre"):
        return s[before:m[1].car]
    if item is Symbol("post"):
        return s[m[1].cdr:]
    if is_procedure(item):
        return display_text(call(item, [m]))
    raise wrong_type(origin, 2, "string, integer, 'pre, 'post or procedure", item)


@builtin("regexp-substitute", RX)
def regexp_substitute(port, match, *items):
    m = _need_match("regexp-substitute", match)
    return _emit(port, "".join(_item_text("regexp-substitute", m, i, 0) for i in items))


@builtin("regexp-substitute/global", RX)
def regexp_substitute_global(port, pattern, string, *items):
    """Substitute each match of PATTERN in STRING: the items say what to write for a
    match; 'pre is the text since the previous match, and 'post stands for the rest of
    the string with its own matches substituted (so items after a 'post come after
    all of it, as in Guile); without a 'post, the first match ends the work."""
    origin = "regexp-substitute/global"
    text = need_string(origin, 3, string)
    matches = [m for m in _matches(origin, pattern, string)]
    out: list[str] = []
    post = Symbol("post")

    def from_match(i: int, start: int) -> None:
        while i < len(matches):
            m = matches[i]
            for k, item in enumerate(items):
                if item is not post:
                    out.append(_item_text(origin, m, item, start))
                elif k == len(items) - 1:
                    break                         # the rest, without growing the stack
                else:
                    from_match(i + 1, m[1].cdr)
            else:
                return
            i, start = i + 1, m[1].cdr
        out.append(text[start:])

    from_match(0, 0)
    return _emit(port, "".join(out))


@builtin("regexp-quote", RX)
def regexp_quote(string):
    """STRING as a pattern that matches it literally, written as Guile writes it:
    a backslash before * . \\ ^ $ [, and brackets around ( ) + ? { } |, which
    are plain characters in a basic expression but special in an extended one."""
    text = need_string("regexp-quote", 1, string)
    return "".join("\\" + c if c in "*.\\^$[" else f"[{c}]" if c in "()+?{}|" else c
                   for c in text)

