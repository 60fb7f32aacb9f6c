"""Guile's arrays: the values and the index arithmetic shared by the reader, the
printer, `equal?` and the array procedures (dsl.builtins.arrays).

An array lays its elements over a one-dimensional *root*, the storage:

    type #t   -> Vector        type a  -> string (str, or MString when mutable)
    type vu8  -> bytearray     type b  -> Bitvector
    type u8 s8 u16 s16 u32 s32 u64 s64 f32 f64 c32 c64 -> Uniform (SRFI-4)

A root is itself a rank-1 array with lower bound 0.  Any other shape (rank 0 or above 1,
a lower bound other than 0, a view made by `make-shared-array`) is an `Array`: its root,
the root position of its first element (`base`), each dimension's bounds and step.
Element (i1 ... in) sits at `base + sum((ik - lo_k) * inc_k)`.
"""

from __future__ import annotations

import re
import struct
from fractions import Fraction
from typing import Any, Callable

from .datatypes import NIL, UNSPECIFIED, Char, MString, Pair, Symbol, Vector


class Uniform(bytearray):
    """A SRFI-4 vector (`#u8(...)`, `#f64(...)`): a bytevector that remembers the type
    of its elements, which it holds in the host's byte order."""

    __slots__ = ("kind",)

    def scheme_repr(self, write: bool) -> str:
        return "#" + self.kind + "(" + " ".join(map(_element_text, uniform_items(self))) + ")"


class Bitvector:
    """A bit vector (`#*1010`): one byte (0 or 1) a bit."""

    __slots__ = ("bits",)

    def __init__(self, bits: bytearray):
        self.bits = bits

    def scheme_repr(self, write: bool) -> str:
        return "#*" + self.bits.translate(_BIT_DIGITS).decode("ascii")

    def scheme_equal(self, other: Any) -> bool:
        return self.bits == other.bits


_BIT_DIGITS = bytes.maketrans(b"\0\1", b"01")

# kind -> struct format of one element (complex: two parts)
_FORMATS = {"u8": "B", "s8": "b", "u16": "H", "s16": "h", "u32": "I", "s32": "i",
            "u64": "Q", "s64": "q", "f32": "f", "f64": "d", "c32": "ff", "c64": "dd"}
STRUCTS = {kind: struct.Struct("=" + f) for kind, f in _FORMATS.items()}
KINDS = tuple(_FORMATS)
INT_RANGES = {kind: (0, (1 << (8 * STRUCTS[kind].size)) - 1) if kind[0] == "u" else
              (-(1 << (8 * STRUCTS[kind].size - 1)), (1 << (8 * STRUCTS[kind].size - 1)) - 1)
              for kind in KINDS if kind[0] in "us"}


def make_uniform(kind: str, n: int) -> Uniform:
    u = Uniform(n * STRUCTS[kind].size)
    u.kind = kind
    return u


def uniform_len(u: Uniform) -> int:
    return len(u) // STRUCTS[u.kind].size


def uniform_ref(u: Uniform, i: int) -> Any:
    s = STRUCTS[u.kind]
    if u.kind[0] == "c":
        re, im = s.unpack_from(u, i * s.size)
        return complex(re, im)
    return s.unpack_from(u, i * s.size)[0]


def uniform_items(u: Uniform) -> list:
    s = STRUCTS[u.kind]
    if u.kind[0] == "c":
        return [complex(re, im) for re, im in s.iter_unpack(u)]
    return [item[0] for item in s.iter_unpack(u)]


class BadElement(Exception):
    """A value a typed root cannot hold: `wrong` (wrong type) or else out of range."""

    def __init__(self, wrong: bool, expected: str = ""):
        super().__init__(expected)
        self.wrong = wrong
        self.expected = expected


def element_for(kind: str, value: Any) -> Any:
    """`value` as a `kind` element (a float for f32/f64, complex for c32/c64)."""
    t = type(value)
    if kind[0] == "f":
        if t is float or t is int or t is Fraction:
            return float(value)
        raise BadElement(True, "real number")
    if kind[0] == "c":
        if t is float or t is int or t is Fraction or t is complex:
            return complex(value)
        raise BadElement(True, "number")
    if t is not int:
        raise BadElement(True, "exact integer")
    lo, hi = INT_RANGES[kind]
    if not lo <= value <= hi:
        raise BadElement(False)
    return value


def uniform_set(u: Uniform, i: int, value: Any) -> None:
    s = STRUCTS[u.kind]
    v = element_for(u.kind, value)
    if u.kind[0] == "c":
        s.pack_into(u, i * s.size, v.real, v.imag)
    else:
        s.pack_into(u, i * s.size, v)


# How a SRFI-4 vector's elements (numbers) are written: dsl.printer, which sits above
# this module, puts its function here when it loads.
ELEMENT_TEXT: list = [repr]


def _element_text(x: Any) -> str:
    return ELEMENT_TEXT[0](x)


# --- roots -------------------------------------------------------------------------------

ROOT_TYPES = (Vector, str, MString, bytearray, Uniform, Bitvector)


def root_len(r: Any) -> int:
    t = type(r)
    if t is Uniform:
        return uniform_len(r)
    if t is Bitvector:
        return len(r.bits)
    if t is MString:
        return len(r.chars)
    return len(r)


def root_ref(r: Any, i: int) -> Any:
    t = type(r)
    if t is Vector or t is bytearray:
        return r[i]
    if t is Uniform:
        return uniform_ref(r, i)
    if t is Bitvector:
        return r.bits[i] == 1
    if t is MString:
        return Char(r.chars[i])
    return Char(r[i])


def root_set(r: Any, i: int, value: Any) -> None:
    """Raises BadElement when the root cannot hold `value`."""
    t = type(r)
    if t is Vector:
        r[i] = value
    elif t is bytearray:
        r[i] = element_for("u8", value)
    elif t is Uniform:
        uniform_set(r, i, value)
    elif t is Bitvector:
        r.bits[i] = 0 if value is False else 1
    elif t is MString:
        if type(value) is not Char:
            raise BadElement(True, "character")
        r.chars[i] = value.ch
    else:
        raise BadElement(True, "mutable array")


def root_items(r: Any) -> list:
    t = type(r)
    if t is Vector:
        return list(r)
    if t is bytearray:
        return list(r)
    if t is Uniform:
        return uniform_items(r)
    if t is Bitvector:
        return [b == 1 for b in r.bits]
    return [Char(c) for c in (r.chars if t is MString else r)]


TYPE_NAMES = ("a", "b", "vu8") + KINDS


def root_type(r: Any) -> Any:
    t = type(r)
    if t is Vector:
        return True
    if t is Uniform:
        return Symbol(r.kind)
    if t is bytearray:
        return Symbol("vu8")
    if t is Bitvector:
        return Symbol("b")
    return Symbol("a")


def make_root(kind: Any, n: int, fill: Any) -> Any:
    """A new root of `kind` (#t or a type name) and `n` elements, each `fill` (the
    type's zero when `fill` is unspecified).  Raises BadElement for a bad fill."""
    if kind is True:
        return Vector([fill] * n)
    name = kind.name
    given = fill is not UNSPECIFIED
    if name == "a":
        if given and type(fill) is not Char:
            raise BadElement(True, "character")
        return MString((fill.ch if given else "\0") * n)
    if name == "b":
        return Bitvector(bytearray([0 if fill is False or not given else 1]) * n)
    if name == "vu8":
        return bytearray([element_for("u8", fill) if given else 0]) * n
    u = make_uniform(name, n)
    if given:
        v = element_for(name, fill)
        if v:
            s = STRUCTS[name]
            one = s.pack(v.real, v.imag) if name[0] == "c" else s.pack(v)
            u[:] = one * n
    return u


def root_from_items(kind: Any, items: list) -> Any:
    r = make_root(kind, len(items), UNSPECIFIED)
    if type(r) is Vector:
        r[:] = items
    else:
        for i, x in enumerate(items):
            root_set(r, i, x)
    return r


# --- arrays --------------------------------------------------------------------------

class Array:
    """An array that is not its own root (see the module's docstring)."""

    __slots__ = ("root", "base", "dims", "incs")

    def __init__(self, root: Any, base: int, dims: tuple, incs: tuple):
        self.root = root
        self.base = base
        self.dims = dims      # ((lo, hi), ...), hi = lo - 1 for an empty dimension
        self.incs = incs

    def tokens(self, opener: Any, space: Any, closer: Any) -> list:
        """How the printer writes the array after its prefix: `opener`, `space` and
        `closer` between the elements, nested by rows, in order."""
        cells = [[root_ref(self.root, p)] for p in positions(self.base, self.dims, self.incs)]
        if not self.dims:
            return [opener, *cells[0], closer]

        def row(items: list) -> list:
            out = [opener]
            for k, item in enumerate(items):
                if k:
                    out.append(space)
                out += item
            out.append(closer)
            return out

        return nest(self.dims, cells, row)


def nest(dims: tuple, flat: list, make: Callable[[list], Any]) -> Any:
    """The row-major elements `flat` grouped by `make` into rows, innermost dimension
    first, up to the one item for the whole array; in a loop, not by recursion, since a
    rank may be in the hundreds."""
    rows = flat
    for k in range(len(dims) - 1, -1, -1):
        lo, hi = dims[k]
        n = hi - lo + 1
        rows = [make(rows[i * n:(i + 1) * n]) for i in range(size(dims[:k]))]
    return rows[0]


def print_prefix(a: Any, dims: bool = False) -> str:
    """`#`, the rank, the type unless #t, then the lower bounds when one is not 0 and
    the lengths when the contents cannot tell them (an empty dimension before a
    non-empty one), as Guile writes them."""
    v = view(a)
    kind = root_type(v[0])
    out = ["#", str(len(v[2])), "" if kind is True else kind.name]
    lows = any(lo != 0 for lo, _ in v[2])
    lens = dims
    empty = False
    for lo, hi in v[2]:
        n = hi - lo + 1
        if n == 0:
            empty = True
        elif empty:
            lens = True
    if lows or lens:
        for lo, hi in v[2]:
            if lows:
                out.append(f"@{lo}")
            if lens:
                out.append(f":{hi - lo + 1}")
    return "".join(out)


def is_array(x: Any) -> bool:
    t = type(x)
    return t is Array or t in ROOT_TYPES


def view(x: Any) -> tuple:
    """(root, base, dims, incs) of an array (the caller checks `is_array`)."""
    if type(x) is Array:
        return x.root, x.base, x.dims, x.incs
    return x, 0, ((0, root_len(x) - 1),), (1,)


def positions(base: int, dims: tuple, incs: tuple) -> list:
    """The root positions of the elements, in row-major order."""
    out = [base]
    for (lo, hi), inc in zip(dims, incs):
        n = hi - lo + 1
        if n <= 0:
            return []
        steps = [k * inc for k in range(n)]
        out = [p + s for p in out for s in steps]
    return out


def row_major_incs(dims: tuple) -> tuple:
    incs = []
    step = 1
    for lo, hi in reversed(dims):
        incs.append(step)
        step *= max(hi - lo + 1, 0)
    return tuple(reversed(incs))


def size(dims: tuple) -> int:
    n = 1
    for lo, hi in dims:
        n *= max(hi - lo + 1, 0)
    return n


def make_view(root: Any, base: int, dims: tuple, incs: tuple) -> Any:
    """The array over `root`: the root itself when the view is all of it, as Guile
    returns it."""
    if (len(dims) == 1 and dims[0][0] == 0 and base == 0
            and dims[0][1] + 1 == root_len(root) and (incs[0] == 1 or dims[0][1] < 1)):
        return root
    return Array(root, base, dims, incs)


def items(x: Any) -> list:
    """The elements of an array, in row-major order."""
    if type(x) is not Array:
        return root_items(x)
    root = x.root
    return [root_ref(root, p) for p in positions(x.base, x.dims, x.incs)]


def same_shape_equal(a: Any, b: Any, same) -> bool:
    """`equal?`/`array-equal?` of two arrays: same type, same bounds, and elements
    equal by `same`; a u8 vector and a bytevector count as one type."""
    va, vb = view(a), view(b)
    ta, tb = root_type(va[0]), root_type(vb[0])
    if ta is not tb and {getattr(ta, "name", ""), getattr(tb, "name", "")} != {"u8", "vu8"}:
        return False
    if va[2] != vb[2]:
        return False
    return all(same(x, y) for x, y in zip(items(a), items(b)))


# Far above any real use; it keeps a typo such as #99999999( from taking all memory.
MAX_RANK = 512


class ShapeError(Exception):
    """Nested lists that do not have an array's shape, or an element its type refuses."""


def _proper(x: Any) -> list:
    out = []
    while type(x) is Pair:
        out.append(x.car)
        x = x.cdr
    if x is not NIL:
        raise ShapeError("an array's rows are proper lists")
    return out


def from_nested(kind: Any, top: list, lows: list, lens: list) -> Any:
    """The array of `kind` (#t or a type name) whose rows are the nested lists `top`
    (a Python list of the first dimension's elements); `lows` and `lens` give each
    dimension's lower bound and, where known, its length (None: as the lists say)."""
    rank = len(lows)
    if rank == 0:
        if len(top) != 1:
            raise ShapeError("a rank-0 array holds exactly one element")
        flat = top
        dims: tuple = ()
    else:
        lengths = []
        row: Any = top
        for k in range(rank):
            if k:
                row = [] if row is None else _proper(row)
            n = len(row) if lens[k] is None else lens[k]
            lengths.append(n)
            row = row[0] if row else None
        dims = tuple((lo, lo + n - 1) for lo, n in zip(lows, lengths))
        flat = []

        def walk(x: list, k: int) -> None:
            if len(x) != lengths[k]:
                raise ShapeError("the rows of an array must all have the same length")
            if k == rank - 1:
                flat.extend(x)
            else:
                for sub in x:
                    walk(_proper(sub), k + 1)

        walk(top, 0)
    try:
        root = root_from_items(kind, flat)
    except BadElement as bad:
        name = "any" if kind is True else kind.name
        raise ShapeError(f"an array of type {name} holds "
                         + (f"{bad.expected}s" if bad.wrong else "values in its range")
                         ) from None
    return make_view(root, 0, dims, row_major_incs(dims)) if dims else \
        Array(root, 0, dims, ())


# How an array literal opens (the reader's grammar has the same pattern).
# The patterns are compiled on first use: most programs write no array, and compiling
# them would slow every start.
_PATTERNS = {
    "opener": r"#(?:[0-9]+(?:[a-z][a-z0-9]*)?(?:[@:]-?[0-9]+)*"
              r"|(?:[us](?:8|16|32|64)|f32|f64|c32|c64)(?:[@:]-?[0-9]+)*)\(",
    "prefix": r"#([0-9]*)([a-z][a-z0-9]*)?((?:[@:]-?[0-9]+)*)\($",
    "bound": r"(@-?[0-9]+)?(:-?[0-9]+)?",
}


def _pattern(name: str) -> re.Pattern:
    return re.compile(_PATTERNS[name])     # re caches what it compiled


def opens_array(text: str, i: int) -> bool:
    """Whether an array literal (#2(, #u8(, #1@1( ...) opens at `text[i]`, a '#'."""
    return text[i + 1:i + 2] in _ARRAY_SECOND and _pattern("opener").match(text, i) is not None


_ARRAY_SECOND = frozenset("0123456789usfc")


def read_array(prefix: str, top: list) -> Any:
    """The array the reader's `#RANK TYPE @LOW :LEN (...)` with contents `top` stands
    for.  Raises ShapeError."""
    m = _pattern("prefix").match(prefix)
    if m is None:
        raise ShapeError("unknown array syntax")
    rank_text, type_text, bounds = m.groups()
    rank = int(rank_text) if rank_text else 1
    if rank > MAX_RANK:
        raise ShapeError(f"a rank above {MAX_RANK} is not supported")
    if type_text is None:
        kind: Any = True
    elif type_text in TYPE_NAMES:
        kind = Symbol(type_text)
    else:
        raise ShapeError(f"unknown array type {type_text}; the types are "
                         + " ".join(TYPE_NAMES))
    lows = [0] * rank
    lens: list = [None] * rank
    if bounds:
        specs = [s for s in _pattern("bound").findall(bounds) if s != ("", "")]
        if len(specs) != rank:
            raise ShapeError("give every dimension its bounds, or none")
        for k, (low, length) in enumerate(specs):
            lows[k] = int(low[1:]) if low else 0
            lens[k] = int(length[1:]) if length else None
            if length and lens[k] < 0:
                raise ShapeError("array length must be non-negative")
    return from_nested(kind, top, lows, lens)
