"""Vectors: Guile's core procedures, the R7RS ones of `(scheme base)` / `(rnrs base)`,
and SRFI-43 (`(srfi srfi-43)`, whose mapping procedures pass the index first).

Optional `start`/`end` arguments are accepted everywhere R7RS has them.
"""

from __future__ import annotations

from ..arrays import Array
from ..arrays import items as array_items
from ..datatypes import UNSPECIFIED, Char, Pair, Values, Vector, from_list
from ..errors import error, out_of_range, wrong_type
from ..procedures import call
from .calling import call1, caller
from .checks import need_char, need_count, need_index, need_list, need_proc, need_range, need_string
from .define import builtin, reexport

SRFI43 = "srfi srfi-43"
R7 = ("rnrs base", "scheme base")


def need_vector(origin: str, pos: int, x) -> Vector:
    if type(x) is Vector:
        return x
    raise wrong_type(origin, pos, "vector", x)


# The vectors that are constants of compiled code (`compile`): as in Guile, they cannot
# be changed.  id -> the vector, kept alive by the entry so that the id stays its own.
CONSTANTS: dict[int, Vector] = {}


def need_mutable_vector(origin: str, pos: int, x) -> Vector:
    vec = need_vector(origin, pos, x)
    if CONSTANTS and id(vec) in CONSTANTS:
        raise wrong_type(origin, pos, "mutable vector", x)
    return vec


@builtin("%freeze-constants!")
def freeze_constants(code):
    """Make the vectors written in `code` constants, as compiling makes them in Guile."""
    todo = [code]
    seen = set()
    while todo:
        x = todo.pop()
        if id(x) in seen:
            continue
        seen.add(id(x))
        if type(x) is Pair:
            todo += (x.car, x.cdr)
        elif type(x) is Vector:
            CONSTANTS[id(x)] = x
            todo += x
    return code


def _slice(origin: str, v, start, end, pos: int = 2) -> list:
    vec = need_vector(origin, 1, v)
    if start is None:
        return vec
    a, b = need_range(origin, pos, len(vec), start, end)
    return vec[a:b]


@builtin("vector")
def vector(*items):
    return Vector(items)


@builtin("make-vector")
def make_vector(k, fill=UNSPECIFIED):
    return Vector([fill] * need_count("make-vector", 1, k))


@builtin("vector-length")
def vector_length(v):
    return len(need_vector("vector-length", 1, v))


@builtin("vector-ref")
def vector_ref(v, k):
    if type(v) is Vector and type(k) is int and 0 <= k < len(v):
        return v[k]
    vec = need_vector("vector-ref", 1, v)
    return vec[need_index("vector-ref", 2, k, len(vec))]


@builtin("vector-set!")
def vector_set(v, k, value):
    vec = need_vector("vector-set!", 1, v)
    if CONSTANTS and id(vec) in CONSTANTS:
        raise wrong_type("vector-set!", 1, "mutable vector", v)
    vec[need_index("vector-set!", 2, k, len(vec))] = value
    return UNSPECIFIED


@builtin("vector->list")
def vector_to_list(v, start=None, end=None):
    if type(v) is Array and type(v.root) is Vector and len(v.dims) == 1:
        v = Vector(array_items(v))      # as in Guile, a one-dimensional view of a vector
    return from_list(_slice("vector->list", v, start, end))


@builtin("list->vector")
def list_to_vector(lst):
    return Vector(need_list("list->vector", 1, lst))


@builtin("vector-fill!")
def vector_fill(v, value, start=None, end=None):
    vec = need_mutable_vector("vector-fill!", 1, v)
    a, b = need_range("vector-fill!", 3, len(vec), start, end)
    vec[a:b] = [value] * (b - a)
    return UNSPECIFIED


@builtin("vector-copy")
def vector_copy(v, start=None, end=None):
    return Vector(_slice("vector-copy", v, start, end))


@builtin("vector-copy!")
def vector_copy_(target, at, source, start=None, end=None):
    dest = need_mutable_vector("vector-copy!", 1, target)
    items = _slice("vector-copy!", need_vector("vector-copy!", 3, source), start, end, 4)
    k = need_index("vector-copy!", 2, at, len(dest) + 1)
    if k + len(items) > len(dest):
        raise wrong_type("vector-copy!", 3, "vector that fits", source)
    dest[k:k + len(items)] = list(items)
    return UNSPECIFIED


def _move(name: str):
    def move(v1, start1, end1, v2, start2):
        src = need_vector(name, 1, v1)
        a, b = need_range(name, 2, len(src), start1, end1)
        dest = need_vector(name, 4, v2)
        k = need_index(name, 5, start2, len(dest) + 1)
        if k + (b - a) > len(dest):
            raise out_of_range(name, 5, start2)
        # element by element, as Guile: left to right or right to left, which shows
        # when source and destination overlap in the same vector
        order = range(b - a) if name == "vector-move-left!" else range(b - a - 1, -1, -1)
        for i in order:
            dest[k + i] = src[a + i]
        return UNSPECIFIED
    move.__name__ = name
    builtin(name)(move)


_move("vector-move-left!")
_move("vector-move-right!")


@builtin("vector-append", SRFI43, "scheme base")
def vector_append(*vectors):
    out = Vector()
    for i, v in enumerate(vectors, 1):
        out.extend(need_vector("vector-append", i, v))
    return out


@builtin("vector->string", "scheme base")
def vector_to_string(v, start=None, end=None):
    return "".join(need_char("vector->string", 1, c)
                   for c in _slice("vector->string", v, start, end))


@builtin("string->vector", "scheme base")
def string_to_vector(s, start=None, end=None):
    text = need_string("string->vector", 1, s)
    a, b = need_range("string->vector", 2, len(text), start, end)
    return Vector(Char(ch) for ch in text[a:b])


def _columns(name: str, vectors: tuple, first_pos: int):
    checked = [need_vector(name, i, v) for i, v in enumerate(vectors, first_pos)]
    return zip(*checked)


# R7RS / R6RS: (vector-map proc v ...) calls (proc x ...).
@builtin("vector-map", *R7)
def vector_map(proc, v, *more):
    need_proc("vector-map", 1, proc)
    return Vector([call1(proc, list(xs)) for xs in _columns("vector-map", (v, *more), 2)])


@builtin("vector-for-each", *R7)
def vector_for_each(proc, v, *more):
    need_proc("vector-for-each", 1, proc)
    for xs in _columns("vector-for-each", (v, *more), 2):
        call(proc, list(xs))
    return UNSPECIFIED


# SRFI-43: the procedure receives the index before the elements.
@builtin("vector-map", SRFI43)
def vector_map_indexed(proc, v, *more):
    need_proc("vector-map", 1, proc)
    return Vector([call1(proc, [i, *xs])
                   for i, xs in enumerate(_columns("vector-map", (v, *more), 2))])


@builtin("vector-for-each", SRFI43)
def vector_for_each_indexed(proc, v, *more):
    need_proc("vector-for-each", 1, proc)
    for i, xs in enumerate(_columns("vector-for-each", (v, *more), 2)):
        call(proc, [i, *xs])
    return UNSPECIFIED


@builtin("vector-map!", SRFI43)
def vector_map_(proc, v, *more):
    """Over the shortest vector: the rest of V (when longer) keeps its elements."""
    vec = need_vector("vector-map!", 2, v)
    mapped = vector_map_indexed(proc, v, *more)
    vec[:len(mapped)] = mapped
    return UNSPECIFIED


@builtin("vector-fold", SRFI43)
def vector_fold(kons, knil, v, *more):
    acc = knil
    for i, xs in enumerate(_columns("vector-fold", (v, *more), 3)):
        acc = call1(kons, [i, acc, *xs])
    return acc


@builtin("vector-fold-right", SRFI43)
def vector_fold_right(kons, knil, v, *more):
    acc = knil
    rows = list(enumerate(_columns("vector-fold-right", (v, *more), 3)))
    for i, xs in reversed(rows):
        acc = call1(kons, [i, acc, *xs])
    return acc


@builtin("vector-count", SRFI43)
def vector_count(pred, v, *more):
    return sum(1 for i, xs in enumerate(_columns("vector-count", (v, *more), 2))
               if call1(pred, [i, *xs]) is not False)


def _vector_search(name: str, from_right: bool, negate: bool):
    def search(pred, v, *more):
        cols = list(_columns(name, (v, *more), 2))
        indices = range(len(cols) - 1, -1, -1) if from_right else range(len(cols))
        for i in indices:
            if (call1(pred, list(cols[i])) is not False) != negate:
                return i
        return False
    search.__name__ = name
    builtin(name, SRFI43)(search)


_vector_search("vector-index", False, False)
_vector_search("vector-index-right", True, False)
_vector_search("vector-skip", False, True)
_vector_search("vector-skip-right", True, True)


@builtin("vector-any", SRFI43)
def vector_any(pred, v, *more):
    for xs in _columns("vector-any", (v, *more), 2):
        value = call1(pred, list(xs))
        if value is not False:
            return value
    return False


@builtin("vector-every", SRFI43)
def vector_every(pred, v, *more):
    value = True
    for xs in _columns("vector-every", (v, *more), 2):
        value = call1(pred, list(xs))
        if value is False:
            return False
    return value


@builtin("vector-empty?", SRFI43)
def vector_empty(v):
    return len(need_vector("vector-empty?", 1, v)) == 0


@builtin("vector-swap!", SRFI43)
def vector_swap(v, i, j):
    vec = need_vector("vector-swap!", 1, v)
    a = need_index("vector-swap!", 2, i, len(vec))
    b = need_index("vector-swap!", 3, j, len(vec))
    vec[a], vec[b] = vec[b], vec[a]
    return UNSPECIFIED


@builtin("vector-reverse!", SRFI43)
def vector_reverse(v, start=None, end=None):
    vec = need_vector("vector-reverse!", 1, v)
    a, b = need_range("vector-reverse!", 2, len(vec), start, end)
    vec[a:b] = vec[a:b][::-1]
    return UNSPECIFIED


@builtin("vector-concatenate", SRFI43)
def vector_concatenate(vectors):
    return vector_append(*need_list("vector-concatenate", 1, vectors))


@builtin("reverse-vector->list", SRFI43)
def reverse_vector_to_list(v, start=None, end=None):
    return from_list(list(reversed(_slice("reverse-vector->list", v, start, end))))


def _list_slice(origin: str, lst, start, end) -> list:
    items = need_list(origin, 1, lst)
    a, b = need_range(origin, 2, len(items), start, end)
    return items[a:b]


# SRFI-43's list->vector takes START and END, which Guile's core one does not.
@builtin("list->vector", SRFI43)
def list_to_vector_43(lst, start=None, end=None):
    return Vector(_list_slice("list->vector", lst, start, end))


@builtin("reverse-list->vector", SRFI43)
def reverse_list_to_vector(lst, start=None, end=None):
    return Vector(reversed(_list_slice("reverse-list->vector", lst, start, end)))


# SRFI-43's vector-copy may run past the end of the source, filling with FILL.
@builtin("vector-copy", SRFI43)
def vector_copy_43(v, start=None, end=None, fill=False):
    vec = need_vector("vector-copy", 1, v)
    if end is None or type(end) is not int or end <= len(vec):
        return vector_copy(v, start, end)
    a, _ = need_range("vector-copy", 2, len(vec), start, None)
    if a > end:
        raise out_of_range("vector-copy", 2, start)
    return Vector(vec[a:] + [fill] * (end - len(vec)))


@builtin("vector-reverse-copy!", SRFI43)
def vector_reverse_copy_(target, at, source, start=None, end=None):
    name = "vector-reverse-copy!"
    dest = need_vector(name, 1, target)
    src = need_vector(name, 3, source)
    a = 0 if start is None else start
    b = len(src) if end is None else end
    if type(at) is not int or not 0 <= at <= len(dest):
        raise error(f"{name}: invalid start index", at)
    if type(a) is not int or type(b) is not int or not 0 <= a <= b <= len(src):
        raise error(f"{name}: invalid index range", a, b)
    if at + (b - a) > len(dest):
        raise error(f"{name}: would write past end of target")
    dest[at:at + (b - a)] = src[a:b][::-1]
    return UNSPECIFIED


@builtin("vector=", SRFI43)
def vector_eq(same, *vectors):
    test = caller(same, 2, first=True)
    vecs = [need_vector("vector=", i, v) for i, v in enumerate(vectors, 2)]
    return all(len(a) == len(b) and all(test(x, y) is not False for x, y in zip(a, b))
               for a, b in zip(vecs, vecs[1:]))


@builtin("vector-binary-search", SRFI43)
def vector_binary_search(v, value, compare, start=None, end=None):
    """The index of `value` in the sorted `v`; (compare elt value) is negative, zero or
    positive as in SRFI-43."""
    vec = need_vector("vector-binary-search", 1, v)
    lo, hi = need_range("vector-binary-search", 4, len(vec), start, end)
    while lo < hi:
        mid = (lo + hi) // 2
        order = call(compare, [vec[mid], value])
        if type(order) is not int:
            raise wrong_type("vector-binary-search", 3, "procedure returning an integer",
                             compare)
        if order == 0:
            return mid
        if order < 0:
            lo = mid + 1
        else:
            hi = mid
    return False


@builtin("vector-reverse-copy", SRFI43)
def vector_reverse_copy(v, start=None, end=None):
    return Vector(reversed(_slice("vector-reverse-copy", v, start, end)))


def _unfold(name: str, proc, length, seeds: tuple, indices) -> Vector:
    if type(length) is not int or length < 0:
        raise error(f"{name}: expected non-negative exact integer, got", length)
    n = need_count(name, 2, length)
    out = Vector([UNSPECIFIED] * n)
    state = list(seeds)
    for i in indices(n):
        result = call(proc, [i, *state])
        values = list(result.items) if type(result) is Values else [result]
        out[i] = values[0] if values else UNSPECIFIED
        state = values[1:]
    return out


@builtin("vector-unfold", SRFI43)
def vector_unfold(proc, length, *seeds):
    return _unfold("vector-unfold", proc, length, seeds, range)


@builtin("vector-unfold-right", SRFI43)
def vector_unfold_right(proc, length, *seeds):
    """As vector-unfold, filling from the last index down to 0."""
    return _unfold("vector-unfold-right", proc, length, seeds,
                   lambda n: range(n - 1, -1, -1))


reexport(SRFI43, "guile", "vector make-vector vector-ref vector-set! vector-length "
                          "vector->list vector-fill! vector-copy! "
                          "vector?")
