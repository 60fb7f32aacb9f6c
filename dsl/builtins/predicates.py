"""Equivalence (`eq?`, `eqv?`, `equal?`), type predicates, booleans, symbols and
keywords.  `eqv?` and `equal?` are the evaluator's own (`dsl.equality`), so that
`case`, `match` and these procedures agree.

`equal_key`/`eqv_key`/`eq_key` turn any Scheme value into a hashable Python key that is
equal exactly when the values are `equal?` (`eqv?`, `eq?`); hash tables and
`delete-duplicates` use them.  Python's own equality would merge 1, 1.0 and #t.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from ..arrays import Array, Uniform
from ..datatypes import NIL, UNSPECIFIED, Char, Keyword, MString, Pair, Symbol, Vector
from ..datatypes import gensym as _gensym
from ..equality import FIXNUM_MAX, FIXNUM_MIN, eq, equal, eqv
from ..errors import wrong_type
from ..printer import write_string
from ..procedures import is_procedure
from .checks import need_char, need_list, need_string
from .define import builtin

R7 = ("rnrs base", "scheme base")

# Guile's fixnums (immediate integers) are `eq?` when equal; bignums are boxed.
_FIXNUM_MIN, _FIXNUM_MAX = FIXNUM_MIN, FIXNUM_MAX


# --- hash keys matching the equivalences --------------------------------------------

class _Tag:
    """Distinct key objects for #t and #f (Python would equate them with 1 and 0)."""
    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name


_TRUE_KEY, _FALSE_KEY = _Tag("#t"), _Tag("#f")


def _atom_key(x: Any) -> Any:
    """Key for a value compared by eqv?.  Symbols, keywords, chars, '() and
    procedures hash by identity already; ints stand for themselves."""
    t = type(x)
    if t is int or t is Fraction:
        return x
    if t is float:
        return ("f", x.hex())
    if t is complex:
        return ("c", x.real.hex(), x.imag.hex())
    if t is bool:
        return _TRUE_KEY if x else _FALSE_KEY
    return x if _hashable_by_identity(t) else ("id", id(x))


def _hashable_by_identity(t: type) -> bool:
    return t is Symbol or t is Keyword or t is Char or t.__hash__ is object.__hash__


def eqv_key(x: Any) -> Any:
    return _atom_key(x)


def eq_key(x: Any) -> Any:
    t = type(x)
    if t is int:
        return x if _FIXNUM_MIN <= x <= _FIXNUM_MAX else ("id", id(x))
    if t is bool:
        return _TRUE_KEY if x else _FALSE_KEY
    if t is Symbol or t is Keyword or t is Char:
        return x
    return ("id", id(x))


class _TooDeep(Exception):
    """A structure with a cycle (or nested deeper than any key should be)."""


_KEY_DEPTH = 500


def equal_key(x: Any) -> Any:
    try:
        return _equal_key(x, 0)
    except _TooDeep:
        # keyed by its printed form, which labels the cycles: equal? itself has no
        # answer to give for cyclic structures, and this at least ends
        return ("cyclic", write_string(x))


def _equal_key(x: Any, depth: int) -> Any:
    t = type(x)
    if t is str or t is Symbol:
        return x
    if t is MString:
        return str(x)
    if t is Pair:
        if depth > _KEY_DEPTH:
            raise _TooDeep()
        items = []
        slow = x
        while type(x) is Pair:
            items.append(_equal_key(x.car, depth + 1))
            x = x.cdr
            if not len(items) & 1:
                slow = slow.cdr
                if slow is x and type(x) is Pair:
                    raise _TooDeep()
        return ("l", tuple(items), _equal_key(x, depth + 1))
    if t is Vector:
        if depth > _KEY_DEPTH:
            raise _TooDeep()
        return ("v", tuple(_equal_key(item, depth + 1) for item in x))
    if t is bytearray:
        return ("b", bytes(x))
    if t is Uniform:     # equal? to a bytevector of the same bytes when it holds u8s
        return ("b", bytes(x)) if x.kind == "u8" else ("u", x.kind, bytes(x))
    if t is Array:
        return _ByEquality(x)
    if getattr(x, "scheme_equal", None) is not None:   # records: equal? field by field
        return _ByEquality(x)
    return _atom_key(x)


class _ByEquality:
    """The key of a value that compares itself (`scheme_equal`), such as a record:
    equal keys are found by asking `equal?`, among values of the same type (and the
    same record type, when the value says which)."""

    __slots__ = ("value",)

    def __init__(self, value: Any):
        self.value = value

    def __hash__(self) -> int:
        return hash((type(self.value), id(getattr(self.value, "rtype", None))))

    def __eq__(self, other: object) -> bool:
        return type(other) is _ByEquality and equal(self.value, other.value)


# --- equivalence procedures ---------------------------------------------------------

def _chained(test):
    """Guile's equivalence predicates take any number of arguments: true when each one is
    equivalent to the next (and with fewer than two)."""
    def pred(*xs):
        if len(xs) == 2:
            return test(xs[0], xs[1])
        return all(test(a, b) for a, b in zip(xs, xs[1:]))
    pred.__doc__ = test.__doc__
    return pred


builtin("eq?")(_chained(eq))
builtin("eqv?")(_chained(eqv))
builtin("equal?")(_chained(equal))


@builtin("not")
def not_(x):
    return x is False


@builtin("boolean?")
def is_boolean(x):
    return x is True or x is False


@builtin("boolean=?", *R7)
def boolean_eq(a, b, *more):
    for i, x in enumerate((a, b, *more), 1):
        if x is not True and x is not False:
            raise wrong_type("boolean=?", i, "boolean", x)
    return all(x is a for x in (b, *more))


@builtin("procedure?")
def is_procedure_(x):
    return is_procedure(x)


@builtin("null?")
def is_null(x):
    return x is NIL


@builtin("unspecified?")
def is_unspecified(x):
    return x is UNSPECIFIED


def _type_predicate(name: str, *types: type):
    def test(x):
        return type(x) in types
    test.__name__ = name
    builtin(name)(test)


for _name, _types in (("pair?", (Pair,)), ("string?", (str, MString)), ("char?", (Char,)),
                      ("vector?", (Vector,)), ("symbol?", (Symbol,)),
                      ("keyword?", (Keyword,))):
    _type_predicate(_name, *_types)


# --- symbols and keywords -----------------------------------------------------------

@builtin("symbol->string")
def symbol_to_string(sym):
    if type(sym) is not Symbol:
        raise wrong_type("symbol->string", 1, "symbol", sym)
    return sym.name


@builtin("string->symbol")
def string_to_symbol(s):
    return Symbol(need_string("string->symbol", 1, s))


@builtin("string-ci->symbol")
def string_ci_to_symbol(s):
    return Symbol(need_string("string-ci->symbol", 1, s))   # Guile does not fold case


@builtin("symbol-append")
def symbol_append(*syms):
    parts = []
    for i, sym in enumerate(syms, 1):
        if type(sym) is not Symbol:
            raise wrong_type("symbol-append", i, "symbol", sym)
        parts.append(sym.name)
    return Symbol("".join(parts))


@builtin("gensym")
def gensym(prefix=None):
    if prefix is None:
        return _gensym()
    return _gensym(need_string("gensym", 1, prefix))


@builtin("symbol")
def symbol(*chars):
    """A symbol named by the characters (as `string` makes a string)."""
    return Symbol("".join(need_char("symbol", i, c) for i, c in enumerate(chars, 1)))


@builtin("list->symbol")
def list_to_symbol(chars):
    return Symbol("".join(need_char("list->symbol", 1, c)
                          for c in need_list("list->symbol", 1, chars)))


@builtin("make-symbol")
def make_symbol(name):
    """An uninterned symbol with exactly this name."""
    sym = object.__new__(Symbol)
    sym.name = need_string("make-symbol", 1, name)
    return sym


@builtin("symbol-hash")
def symbol_hash(sym):
    if type(sym) is not Symbol:
        raise wrong_type("symbol-hash", 1, "symbol", sym)
    return stable_hash(sym.name)


@builtin("symbol-interned?")
def symbol_interned(sym):
    """Whether SYM is the symbol its name reads as (not from make-symbol or gensym)."""
    if type(sym) is not Symbol:
        raise wrong_type("symbol-interned?", 1, "symbol", sym)
    return Symbol._table.get(sym.name) is sym


@builtin("nil?")
def is_nil(x):
    return x is False or x is NIL


@builtin("keyword->symbol")
def keyword_to_symbol(kw):
    if type(kw) is not Keyword:
        raise wrong_type("keyword->symbol", 1, "keyword", kw)
    return Symbol(kw.name)


@builtin("symbol->keyword")
def symbol_to_keyword(sym):
    if type(sym) is not Symbol:
        raise wrong_type("symbol->keyword", 1, "symbol", sym)
    return Keyword(sym.name)


def stable_hash(text: str) -> int:
    """A hash that does not change between runs (Python's str hash is salted)."""
    h = 0xcbf29ce484222325
    for byte in text.encode("utf-8", "surrogatepass"):
        h = ((h ^ byte) * 0x100000001b3) & 0x3FFFFFFFFFFFFFFF
    return h
