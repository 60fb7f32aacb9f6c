"""Scheme values as text, exactly as Guile 3.0's `write` and `display` print them.

`write` prints data so that the reader reads them back (strings quoted and escaped,
characters as #\\x, odd symbols as #{...}#); `display` prints strings and characters
raw.  Lists and vectors are printed with an explicit stack, so neither a 100,000-element
list nor a deeply nested one touches Python's recursion limit, and cycles print in
Guile's #N# notation instead of looping forever.

Objects that know how to print themselves (records, hash tables, ...) define
`scheme_repr(self, write: bool) -> str`.
"""

from __future__ import annotations

import math
import unicodedata
from fractions import Fraction
from typing import Any

from . import arrays, datatypes
from .arrays import Array
from .datatypes import (
    EOF,
    NIL,
    UNSPECIFIED,
    Char,
    Keyword,
    MString,
    Pair,
    Procedure,
    Symbol,
    Vector,
)
from .number_syntax import NumberOutOfRange, parse_number

__all__ = ["write_string", "display_string", "float_text", "symbol_text"]


def write_string(obj: Any) -> str:
    return _print(obj, True)


datatypes._written[0] = write_string


def display_string(obj: Any) -> str:
    return _print(obj, False)


# --- numbers -----------------------------------------------------------------------

def float_text(x: float) -> str:
    """Guile's spelling of a flonum: the shortest digits that read back the same,
    positional unless that would need many padding zeros (1.0e7, 1.0e-4)."""
    if x != x:
        return "+nan.0"
    if math.isinf(x):
        return "+inf.0" if x > 0 else "-inf.0"
    if x == 0:
        return "-0.0" if math.copysign(1.0, x) < 0 else "0.0"
    sign = "-" if x < 0 else ""
    mantissa, _, exponent = repr(abs(x)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = whole + fraction
    zeros = len(digits) - len(digits.lstrip("0"))
    # value = d.ddd x 10**e
    e = len(whole) - zeros - 1 + (int(exponent) if exponent else 0)
    digits = digits[zeros:].rstrip("0") or "0"
    n = len(digits)
    # Guile switches to exponent form below 1e-3, and above 1e7 once at least four
    # zeros would pad the digits out to the decimal point.
    if e < -3 or (e > 6 and e + 1 - n >= 4):
        return f"{sign}{digits[0]}.{digits[1:] or '0'}e{e}"
    if e < 0:
        return f"{sign}0.{'0' * (-e - 1)}{digits}"
    if n <= e + 1:
        return f"{sign}{digits}{'0' * (e + 1 - n)}.0"
    return f"{sign}{digits[:e + 1]}.{digits[e + 1:]}"


def _int_text(n: int) -> str:
    try:
        return str(n)
    except ValueError:   # Python refuses str() of huge ints; Scheme has no such limit
        if n < 0:
            return "-" + _int_text(-n)
        high, low = divmod(n, 10 ** 4000)
        return _int_text(high) + str(low).rjust(4000, "0")


def _complex_text(z: complex) -> str:
    imag = float_text(z.imag)
    if imag[0] not in "+-":
        imag = "+" + imag
    return f"{float_text(z.real)}{imag}i"


def _number_text(x: Any) -> str:
    t = type(x)
    if t is int:
        return _int_text(x)
    if t is float:
        return float_text(x)
    if t is Fraction:
        return f"{_int_text(x.numerator)}/{_int_text(x.denominator)}"
    return _complex_text(x)


# --- characters and strings ----------------------------------------------------------

_GRAPHIC = frozenset("LMNPS")   # Unicode major categories Guile prints as themselves


def _graphic(ch: str) -> bool:
    return unicodedata.category(ch)[0] in _GRAPHIC


_CHAR_NAMES = dict(enumerate(
    "nul soh stx etx eot enq ack alarm backspace tab newline vtab page return so si "
    "dle dc1 dc2 dc3 dc4 nak syn etb can em sub esc fs gs rs us space".split()))
_CHAR_NAMES[0x7F] = "delete"


def _char_text(ch: str) -> str:
    if unicodedata.combining(ch):
        # A combining mark is shown over a dotted circle so that it stays visible.
        return "#\\\u25cc" + ch
    if _graphic(ch):
        return "#\\" + ch
    code = ord(ch)
    name = _CHAR_NAMES.get(code)
    if name is not None:
        return "#\\" + name
    return "#\\" + format(code, "o")


_STRING_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\a": "\\a", "\b": "\\b",
                   "\t": "\\t", "\v": "\\v", "\f": "\\f", "\r": "\\r"}


def _escape(ch: str) -> str:
    special = _STRING_ESCAPES.get(ch)
    if special is not None:
        return special
    if ch == " " or _graphic(ch):
        return ch
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:06x}"


def _string_text(s: str) -> str:
    # Fast path: printable ASCII with nothing to escape is by far the common case.
    if s.isascii() and s.isprintable() and '"' not in s and "\\" not in s:
        return f'"{s}"'
    return '"' + "".join(_escape(ch) for ch in s) + '"'


# --- symbols -----------------------------------------------------------------------

# Unicode categories Guile lets a bare symbol start with, and continue with.
_INITIAL = frozenset("Lu Ll Lt Lm Lo Mn Nl No Pd Pc Po Sc Sm Sk So Co".split())
_SUBSEQUENT = _INITIAL | {"Nd", "Mc", "Me"}
_BARE_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ!$%&*/:<=>?^_~")
_symbol_cache: dict[str, str] = {}
keywordish_quoted = [False]     # set by the reader's keyword style


def quote_keywordish(on: bool) -> None:
    if keywordish_quoted[0] != on:
        keywordish_quoted[0] = on
        _symbol_cache.clear()


def _needs_braces(name: str) -> bool:
    """Whether Guile 3.0 prints the symbol as #{...}# (its rules, in its order)."""
    if not name or name == ".":
        return True
    first = name[0]
    if first in "'`,\";#":
        return True
    if first == ":" or name[-1] == ":":
        # Keyword-like symbols print bare under the default read options, braced when
        # :k or k: keywords are read (`read-set! keywords`).
        return keywordish_quoted[0]
    if first in ".+-0123456789" and _looks_numeric(name):
        return True
    if unicodedata.category(first) not in _INITIAL:
        return True
    for ch in name[1:]:
        if ch in '";#' or unicodedata.category(ch) not in _SUBSEQUENT:
            return True
    return False


def _looks_numeric(name: str) -> bool:
    try:
        return parse_number(name) is not None
    except NumberOutOfRange:
        return True


def _braced_char(ch: str) -> str:
    category = unicodedata.category(ch)
    return ch if category in _SUBSEQUENT or category == "Zs" else f"\\x{ord(ch):x};"


# The print options `print-options` sets that change what the printer writes.
PRINT_OPTIONS = {"r7rs-symbols": False}

_R7RS_ESCAPES = {"|": "\\|", "\\": "\\x5c;", "\a": "\\a", "\b": "\\b", "\t": "\\t",
                 "\n": "\\n", "\r": "\\r"}


def _r7rs_symbol_text(name: str) -> str:
    """A symbol as the r7rs-symbols print option writes it: |...| where it needs quoting."""
    if not (_needs_braces(name) or "|" in name or "\\" in name or name[0].isdigit()):
        return name
    out = []
    for ch in name:
        text = _R7RS_ESCAPES.get(ch)
        if text is None:
            category = unicodedata.category(ch)
            text = f"\\x{ord(ch):x};" if category[0] == "C" or category in ("Zl", "Zp") else ch
        out.append(text)
    return "|" + "".join(out) + "|"


def symbol_text(name: str) -> str:
    """A symbol's printed form (the same for write and display, as in Guile)."""
    if PRINT_OPTIONS["r7rs-symbols"]:
        return _r7rs_symbol_text(name)
    text = _symbol_cache.get(name)
    if text is None:
        if name and name[0] in _BARE_SAFE and all(c in _BARE_SAFE or c in "0123456789+-.@"
                                                  for c in name) and not (
                keywordish_quoted[0] and ":" in (name[0], name[-1])):
            text = name
        elif not _needs_braces(name):
            text = name
        else:
            text = "#{" + "".join(map(_braced_char, name)) + "}#"
        if len(_symbol_cache) < 10000:
            _symbol_cache[name] = text
    return text


# --- the printer ---------------------------------------------------------------------

class _Text(str):
    """Literal output pushed on the work stack (a plain str there is a Scheme string)."""

    __slots__ = ()


_SPACE = _Text(" ")
_CLOSE = _Text(")")
_OPEN = _Text("(")


class _ListRest:
    """Work item: print the rest of a list after `cell`'s car; its cells from index
    `base` of the reference stack belong to this list."""

    __slots__ = ("cell", "base")

    def __init__(self, cell: Pair, base: int):
        self.cell = cell
        self.base = base


class _Pop:
    """Work item: the container whose references start at `base` has been printed."""

    __slots__ = ("base",)

    def __init__(self, base: int):
        self.base = base


def _atom_text(x: Any, write: bool) -> str:
    """Everything but pairs and vectors."""
    if x is True:
        return "#t"
    if x is False:
        return "#f"
    t = type(x)
    if t is int or t is float or t is Fraction or t is complex:
        return _number_text(x)
    if t is str:
        return _string_text(x) if write else x
    if t is Symbol:
        return symbol_text(x.name)
    if x is NIL:
        return "()"
    if t is Keyword:
        return "#:" + symbol_text(x.name)
    if t is Char:
        return _char_text(x.ch) if write else x.ch
    if t is MString:
        s = str(x)
        return _string_text(s) if write else s
    if t is bytearray or t is bytes:
        return "#vu8(" + " ".join(map(str, x)) + ")"
    if x is UNSPECIFIED:
        return "#<unspecified>"
    if x is EOF:
        return "#<eof>"
    custom = getattr(x, "scheme_repr", None)
    if custom is not None:
        return custom(write)
    return _other_text(x, write)


def _other_text(x: Any, write: bool) -> str:
    if isinstance(x, Procedure):
        name = getattr(x, "name", None) or "anonymous"
        params = getattr(x, "params", "") or ""
        if params.startswith(". "):    # only a rest argument: Guile prints it bare
            return f"#<procedure {name} {params[2:]}>"
        return f"#<procedure {name} ({params})>"
    if isinstance(x, bool):
        return "#t" if x else "#f"
    if isinstance(x, (int, float, Fraction, complex)):
        return _number_text(x)
    if isinstance(x, str):
        return _string_text(x) if write else str(x)
    # Not a Scheme value (DEFAULT, Values...): name it rather than fail.
    return f"#<{type(x).__name__.strip('_').lower()}>"


def _print(obj: Any, write: bool) -> str:
    t = type(obj)
    if t is not Pair and t is not Vector and t is not Array:
        return _atom_text(obj, write)
    out: list[str] = []
    emit = out.append
    todo: list[Any] = [obj]
    push = todo.append
    # Guile's reference stack: the pairs and vectors being printed, outermost first,
    # so that a cycle prints as #N# (N relative to the innermost) instead of looping.
    refs: list[Any] = []
    where: dict[int, int] = {}

    def enter(x: Any) -> int:
        where[id(x)] = len(refs)
        refs.append(x)
        return len(refs) - 1

    while todo:
        x = todo.pop()
        t = type(x)
        if t is _Text:
            emit(x)
        elif t is Pair or t is Vector:
            seen = where.get(id(x))
            if seen is not None:
                emit(f"#{seen - (len(refs) - 1)}#")
            elif t is Pair:
                emit("(")
                push(_ListRest(x, enter(x)))
                push(x.car)
            else:
                base = len(refs)
                enter(x)
                emit("#(")
                push(_Pop(base))
                push(_CLOSE)
                for i in range(len(x) - 1, -1, -1):
                    push(x[i])
                    if i:
                        push(_SPACE)
        elif t is _ListRest:
            nxt = x.cell.cdr
            if type(nxt) is Pair:
                seen = where.get(id(nxt))
                if seen is not None:
                    emit(f" . #{seen - (len(refs) - 1)}#)")
                    _unwind(refs, where, x.base)
                else:
                    emit(" ")
                    enter(nxt)
                    x.cell = nxt
                    push(x)
                    push(nxt.car)
            elif nxt is NIL:
                emit(")")
                _unwind(refs, where, x.base)
            else:
                push(_Pop(x.base))
                push(_CLOSE)
                push(nxt)
                emit(" . ")
        elif t is _Pop:
            _unwind(refs, where, x.base)
        elif t is Array:        # a container too: its elements can refer back to it
            seen = where.get(id(x))
            if seen is not None:
                emit(f"#{seen - (len(refs) - 1)}#")
            else:
                base = len(refs)
                enter(x)
                emit(arrays.print_prefix(x))
                push(_Pop(base))
                todo += reversed(x.tokens(_OPEN, _SPACE, _CLOSE))
        else:
            emit(_atom_text(x, write))
    return "".join(out)


def _unwind(refs: list, where: dict, base: int) -> None:
    for x in refs[base:]:
        del where[id(x)]
    del refs[base:]


arrays.ELEMENT_TEXT[0] = write_string   # how SRFI-4 vectors write their numbers
