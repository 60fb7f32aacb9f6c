"""Scheme values as Python objects.

The mapping is chosen so that the common cases cost nothing:

    exact integer  -> int            inexact real -> float
    exact rational -> Fraction (never with denominator 1; see `normalize`)
    boolean        -> bool (beware: bool is an int subclass, use `is_number`)
    string         -> MString (mutable, like Guile's) or plain str for literals
    empty list     -> NIL            pair       -> Pair
    symbol         -> Symbol (interned)          keyword -> Keyword (interned)
    character      -> Char (interned)            vector  -> Vector (a list)
    bytevector     -> bytearray      unspecified -> UNSPECIFIED
    procedure      -> a Procedure (see dsl.procedures)

Pairs carry an optional source location so that errors can point into the config.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Iterable, Iterator


class Location:
    """A position in a source file: 1-based line, 1-based column (as editors show)."""

    __slots__ = ("file", "line", "column")

    def __init__(self, file: str | None, line: int, column: int):
        self.file = file
        self.line = line
        self.column = column

    def __str__(self) -> str:
        return f"{self.file or '<input>'}:{self.line}:{self.column}"

    def __repr__(self) -> str:
        return f"Location({self.file!r}, {self.line}, {self.column})"

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Location) and self.file == other.file
                and self.line == other.line and self.column == other.column)

    def __hash__(self) -> int:
        return hash((self.file, self.line, self.column))


class Symbol:
    __slots__ = ("name", "__weakref__")
    _table: dict[str, "Symbol"] = {}

    def __new__(cls, name: str) -> "Symbol":
        s = cls._table.get(name)
        if s is None:
            s = object.__new__(cls)
            s.name = name
            cls._table[name] = s
        return s

    def __repr__(self) -> str:
        return f"Symbol({self.name!r})"

    def __reduce__(self):
        return (Symbol, (self.name,))


_gensym_counter = 0


def gensym(prefix: str = " g") -> Symbol:
    """An uninterned symbol: never `eq?` to anything the reader produces."""
    global _gensym_counter
    _gensym_counter += 1
    s = object.__new__(Symbol)
    s.name = f"{prefix}{_gensym_counter}"
    return s


class Keyword:
    __slots__ = ("name",)
    _table: dict[str, "Keyword"] = {}

    def __new__(cls, name: str) -> "Keyword":
        k = cls._table.get(name)
        if k is None:
            k = object.__new__(cls)
            k.name = name
            cls._table[name] = k
        return k

    def __repr__(self) -> str:
        return f"Keyword({self.name!r})"

    def __reduce__(self):
        return (Keyword, (self.name,))


class Char:
    __slots__ = ("ch",)
    _table: dict[str, "Char"] = {}

    def __new__(cls, ch: str) -> "Char":
        c = cls._table.get(ch)
        if c is None:
            c = object.__new__(cls)
            c.ch = ch
            cls._table[ch] = c
        return c

    def __repr__(self) -> str:
        return f"Char({self.ch!r})"

    def __reduce__(self):
        return (Char, (self.ch,))


class MString:
    """A mutable Scheme string (what `make-string`, `string-copy` and friends return).

    Literals and most string results are plain Python `str`; both are strings to
    Scheme (`is_string`).  Only procedures that mutate need an MString.  A shared
    substring (`substring/shared`) is an MString whose `chars` is a `CharWindow` on its
    parent's characters, so a change through either shows in both; one of a constant
    string is read-only.
    """

    __slots__ = ("chars", "shared", "read_only", "written")

    def __init__(self, s: str = ""):
        self.chars: list[str] | CharWindow = list(s)
        self.shared: Any = None     # the string this one is a substring/shared of
        self.read_only = False
        self.written = False        # changed since made (Guile's "stringbuf-mutable")

    def __str__(self) -> str:
        return "".join(self.chars)

    def __repr__(self) -> str:
        return f"MString({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, MString):
            return list(self.chars) == list(other.chars)
        if isinstance(other, str):
            return str(self) == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(str(self))


class CharWindow:
    """Characters start..end of another string's list, read and written in place.  A
    Scheme string never changes length, so neither does a window."""

    __slots__ = ("base", "start", "end")

    def __init__(self, base: list[str], start: int, end: int):
        self.base = base
        self.start = start
        self.end = end

    def __len__(self) -> int:
        return self.end - self.start

    def __iter__(self) -> Iterator[str]:
        return iter(self.base[self.start:self.end])

    def __getitem__(self, i):
        if isinstance(i, slice):
            return self.base[self.start:self.end][i]
        return self.base[self.start + range(len(self))[i]]

    def __setitem__(self, i, value) -> None:
        if isinstance(i, slice):
            places = range(self.start, self.end)[i]
            value = list(value)
            if len(value) != len(places):
                raise ValueError("a string window keeps its length")
            for k, ch in zip(places, value):
                self.base[k] = ch
        else:
            self.base[self.start + range(len(self))[i]] = value

    def __eq__(self, other: object) -> bool:
        return list(self) == list(other) if isinstance(other, (list, CharWindow)) else False

    __hash__ = None  # type: ignore[assignment]


class _Nil:
    __slots__ = ()
    _instance: "_Nil | None" = None

    def __new__(cls) -> "_Nil":
        if cls._instance is None:
            cls._instance = object.__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NIL"

    def __iter__(self) -> Iterator[Any]:
        return iter(())

    def __bool__(self) -> bool:
        # Scheme's '() is true; Python code must compare with `is NIL`, not truthiness.
        return True

    def __reduce__(self):
        return (_Nil, ())


NIL = _Nil()


class Pair:
    __slots__ = ("car", "cdr", "loc")

    def __init__(self, car: Any, cdr: Any, loc: Location | None = None):
        self.car = car
        self.cdr = cdr
        self.loc = loc

    def __iter__(self) -> Iterator[Any]:
        """Iterate over the cars of a proper list; stops at the first non-pair tail."""
        p: Any = self
        while type(p) is Pair:
            yield p.car
            p = p.cdr

    def __repr__(self) -> str:
        return f"<Pair {_written[0](self)}>"


# How a Pair's repr shows the list: dsl.printer, which sits above this module, puts its
# `write_string` here when it loads; until then the list is shown as Python sees it.
_written: list = [lambda p: repr(list(p))]


class _Unspecified:
    __slots__ = ()

    def __repr__(self) -> str:
        return "UNSPECIFIED"


UNSPECIFIED = _Unspecified()


class _Eof:
    __slots__ = ()

    def __repr__(self) -> str:
        return "EOF"


EOF = _Eof()


class _Default:
    """Marks an optional argument that was not supplied (Guile's #<unspecified>-ish)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "DEFAULT"


DEFAULT = _Default()


class Vector(list):
    """A Scheme vector.  A distinct type so that Python lists used internally never
    masquerade as Scheme data."""

    __slots__ = ()


class Values:
    """Multiple return values (anything but exactly one)."""

    __slots__ = ("items",)

    def __init__(self, items: tuple):
        self.items = items

    def __repr__(self) -> str:
        return f"Values{self.items!r}"


class Procedure:
    """What every procedure is an instance of: the kinds are in dsl.procedures."""
    __slots__ = ()
    name: str | None


# --- predicates and conversions ---------------------------------------------------

def is_number(x: Any) -> bool:
    t = type(x)
    return t is int or t is float or t is Fraction or t is complex


def is_exact(x: Any) -> bool:
    t = type(x)
    return t is int or t is Fraction


def is_string(x: Any) -> bool:
    return type(x) is str or type(x) is MString


def pystr(x: Any) -> str:
    """The Python text of a Scheme string (str or MString)."""
    return x if type(x) is str else str(x)


def is_true(x: Any) -> bool:
    return x is not False


def normalize(q: Fraction) -> int | Fraction:
    """Exact rationals with denominator 1 are integers, as in Scheme."""
    return q.numerator if q.denominator == 1 else q


def cons(a: Any, b: Any) -> Pair:
    return Pair(a, b)


def from_list(items: Iterable[Any], tail: Any = NIL) -> Any:
    """Build a Scheme list from a Python iterable."""
    seq = items if isinstance(items, (list, tuple)) else list(items)
    result = tail
    for item in reversed(seq):
        result = Pair(item, result)
    return result


def to_list(x: Any) -> list:
    """The elements of a proper Scheme list as a Python list (improper tails dropped)."""
    out = []
    while type(x) is Pair:
        out.append(x.car)
        x = x.cdr
    return out


def is_list(x: Any) -> bool:
    """True for a proper (finite, NIL-terminated) list.  Detects cycles."""
    slow = x
    while True:
        if x is NIL:
            return True
        if type(x) is not Pair:
            return False
        x = x.cdr
        if x is NIL:
            return True
        if type(x) is not Pair:
            return False
        x = x.cdr
        slow = slow.cdr
        if x is slow:
            return False


def list_length(x: Any) -> int:
    n = 0
    while type(x) is Pair:
        n += 1
        x = x.cdr
    return n


# Frequently used symbols, interned once.
class S:
    quote = Symbol("quote")
    quasiquote = Symbol("quasiquote")
    unquote = Symbol("unquote")
    unquote_splicing = Symbol("unquote-splicing")
    syntax = Symbol("syntax")
    quasisyntax = Symbol("quasisyntax")
    unsyntax = Symbol("unsyntax")
    unsyntax_splicing = Symbol("unsyntax-splicing")
    gexp = Symbol("gexp")
    ungexp = Symbol("ungexp")
    ungexp_splicing = Symbol("ungexp-splicing")
    ungexp_native = Symbol("ungexp-native")
    ungexp_native_splicing = Symbol("ungexp-native-splicing")
    define = Symbol("define")
    begin = Symbol("begin")
    lambda_ = Symbol("lambda")
    else_ = Symbol("else")
    arrow = Symbol("=>")
    ellipsis = Symbol("...")
    underscore = Symbol("_")
    dot = Symbol(".")
