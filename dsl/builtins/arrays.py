"""Guile's array procedures (`make-array`, `array-ref`, `make-shared-array`,
`array-map!`...), over every kind of array dsl.arrays knows: vectors, strings,
bytevectors, SRFI-4 vectors, bit vectors, and `Array` views over them."""

from __future__ import annotations

from typing import Any

from ..arrays import (
    MAX_RANK,
    TYPE_NAMES,
    Array,
    BadElement,
    Bitvector,
    ShapeError,
    Uniform,
    from_nested,
    is_array,
    items,
    make_root,
    make_view,
    nest,
    positions,
    print_prefix,
    root_from_items,
    root_ref,
    root_set,
    root_type,
    row_major_incs,
    same_shape_equal,
    size,
    view,
)
from ..datatypes import UNSPECIFIED, Pair, Symbol, from_list, to_list
from ..equality import equal
from ..errors import error, out_of_range, wrong_type
from ..procedures import call
from .calling import call1
from .checks import MAX_COUNT, need_list, need_proc
from .define import builtin
from .ports import need_output
from .vectors import CONSTANTS


def need_array(origin: str, pos: int, x: Any) -> Any:
    if is_array(x):
        return x
    raise wrong_type(origin, pos, "array", x)


def need_type(origin: str, pos: int, kind: Any) -> Any:
    if kind is True or (type(kind) is Symbol and kind.name in TYPE_NAMES):
        return kind
    raise wrong_type(origin, pos, "array type", kind)


def store(origin: str, pos: int, root: Any, i: int, value: Any) -> None:
    """Put `value` at root position `i`, as argument `pos` of `origin`."""
    if CONSTANTS and id(root) in CONSTANTS:
        raise wrong_type(origin, 1, "mutable array", root)
    try:
        root_set(root, i, value)
    except BadElement as bad:
        if bad.wrong:
            raise wrong_type(origin, pos, bad.expected, value) from None
        raise out_of_range(origin, pos, value) from None


def new_root(origin: str, kind: Any, n: int, fill: Any) -> Any:
    try:
        return make_root(kind, n, fill)
    except BadElement as bad:
        if bad.wrong:
            raise wrong_type(origin, 2, bad.expected, fill) from None
        raise out_of_range(origin, 2, fill) from None


def _bad_dimension(origin: str, b: Any):
    return error(f"{origin}: bad array dimension", b, origin=origin,
                 hints=["a dimension is a length N, or the bounds (LOW HIGH) with "
                        "HIGH >= LOW - 1"])


def parse_bounds(origin: str, bounds: tuple, first: int) -> tuple:
    """((lo, hi), ...) from arguments written N (0 to N-1) or (LO HI)."""
    if len(bounds) > MAX_RANK:
        raise error(f"{origin}: a rank above {MAX_RANK} is not supported", origin=origin)
    dims = []
    for k, b in enumerate(bounds, first):
        if type(b) is int:
            if b < 0:
                raise _bad_dimension(origin, b)
            dims.append((0, b - 1))
            continue
        pair = to_list(b) if type(b) is Pair else []
        if len(pair) != 2 or any(type(x) is not int for x in pair):
            raise wrong_type(origin, k, "dimension (N or (LOW HIGH))", b)
        lo, hi = pair
        if hi < lo - 1:
            raise _bad_dimension(origin, b)
        dims.append((lo, hi))
    return tuple(dims)


def fresh(origin: str, kind: Any, fill: Any, dims: tuple) -> Any:
    n = size(dims)
    if n > MAX_COUNT:
        raise error(f"{origin}: an array of {n} elements is too large", key="out-of-range",
                    origin=origin)
    root = new_root(origin, kind, n, fill)
    return make_view(root, 0, dims, row_major_incs(dims))


def position(origin: str, v: tuple, idx: tuple, first: int = 2) -> int:
    """The root position of the element at indices `idx` of the array viewed as `v`."""
    _, pos, dims, incs = v
    if len(idx) != len(dims):
        raise error(f"wrong number of indices, expecting {len(dims)}", origin=origin)
    for k, i in enumerate(idx):
        lo, hi = dims[k]
        if type(i) is not int:
            raise wrong_type(origin, first + k, "exact integer", i)
        if not lo <= i <= hi:
            raise out_of_range(origin, first + k, i)
        pos += (i - lo) * incs[k]
    return pos


def sub_view(origin: str, a: Any, idx: tuple) -> tuple:
    """The view of the cell at the leading indices `idx`."""
    root, base, dims, incs = view(a)
    if len(idx) > len(dims):
        raise error(f"{origin}: too many indices, the rank is {len(dims)}",
                    key="misc-error", origin=origin)
    k = len(idx)
    pos = position(origin, (root, base, dims[:k], incs[:k]), idx)
    return root, pos, dims[k:], incs[k:]


# --- making arrays -----------------------------------------------------------------------

@builtin("make-array")
def make_array(fill, *bounds):
    return fresh("make-array", True, fill, parse_bounds("make-array", bounds, 2))


@builtin("make-typed-array")
def make_typed_array(kind, fill, *bounds):
    kind = need_type("make-typed-array", 1, kind)
    return fresh("make-typed-array", kind, fill, parse_bounds("make-typed-array", bounds, 3))


@builtin("list->typed-array")
def list_to_typed_array(kind, shape, lst):
    """SHAPE: the rank, or a list with, for each dimension, its lower bound or its
    (LOW HIGH) bounds."""
    return _from_lists("list->typed-array", need_type("list->typed-array", 1, kind), shape,
                       lst)


def _from_lists(origin: str, kind: Any, shape: Any, lst: Any) -> Any:
    if type(shape) is int:
        if not 0 <= shape <= MAX_RANK:
            raise out_of_range(origin, 2, shape)
        lows, lens = [0] * shape, [None] * shape
    else:
        lows, lens = [], []
        for spec in need_list(origin, 2, shape):
            lo, hi = (spec, None) if type(spec) is int else parse_bounds(origin, (spec,), 2)[0]
            lows.append(lo)
            lens.append(None if hi is None else hi - lo + 1)
    top = need_list(origin, 3, lst) if lows else [lst]
    try:
        return from_nested(kind, top, lows, lens)
    except ShapeError as err:
        raise error(f"{origin}: {err}", lst, origin=origin) from None


def array_type_text(kind: Any) -> str:
    return "any" if kind is True else kind.name


@builtin("list->array")
def list_to_array(shape, lst):
    return _from_lists("list->array", True, shape, lst)


@builtin("make-shared-array")
def make_shared_array(old, mapfunc, *bounds):
    origin = "make-shared-array"
    root, obase, odims, oincs = view(need_array(origin, 1, old))
    need_proc(origin, 2, mapfunc)
    dims = parse_bounds(origin, bounds, 3)
    if size(dims) == 0:
        return Array(root, obase, dims, (0,) * len(dims))

    def old_indices(idx: list) -> list:
        result = need_list(origin, 2, call1(mapfunc, idx))
        if len(result) != len(odims) or any(type(i) is not int for i in result):
            raise error(f"{origin}: the mapping must return {len(odims)} exact integers",
                        from_list(result), key="wrong-type-arg", origin=origin)
        return result

    def old_position(idx: list) -> int:
        pos = obase
        for i, (olo, ohi), inc in zip(old_indices(idx), odims, oincs):
            if not olo <= i <= ohi:
                raise out_of_range(origin, 3, i)
            pos += (i - olo) * inc
        return pos

    # As Guile does: the first element, then one step along each dimension from the
    # last, each step kept, gives where the elements lie; each point must be inside.
    idx = [lo for lo, _ in dims]
    base = at = old_position(idx)
    incs_: list = [0] * len(dims)
    for k in range(len(dims) - 1, -1, -1):
        lo, hi = dims[k]
        if hi > lo:
            idx[k] += 1
            step = old_position(idx)
            incs_[k] = step - at
            at = step
    incs = tuple(incs_)
    # and every element is among the old array's, as Guile checks it: by where the
    # elements lie in the storage, so a mapping may wrap from one row to the next.
    if _extent(base, dims, incs) > _extent(obase, odims, oincs) or \
            _extent(base, dims, incs, low=True) < _extent(obase, odims, oincs, low=True):
        raise error("mapping out of range", origin=origin,
                    hints=["the new bounds reach past the elements of the array shared"])
    return make_view(root, base, dims, incs)


def _extent(base: int, dims: tuple, incs: tuple, low: bool = False) -> int:
    """The highest (or lowest) storage position an element of the view has."""
    pick = min if low else max
    return base + sum(pick(0, inc * (hi - lo)) for (lo, hi), inc in zip(dims, incs))


@builtin("transpose-array")
def transpose_array(a, *axes):
    origin = "transpose-array"
    root, base, dims, incs = view(need_array(origin, 1, a))
    if len(axes) != len(dims) or any(type(d) is not int or d < 0 for d in axes):
        raise error(f"{origin}: give each of the {len(dims)} dimensions its new place",
                    origin=origin)
    rank = max(axes, default=-1) + 1
    if rank > len(dims) or set(axes) != set(range(rank)):
        raise error(f"{origin}: the new dimensions must be 0 to {rank - 1}, each used",
                    origin=origin)
    new_dims = []
    new_incs = []
    for j in range(rank):
        olds = [k for k, d in enumerate(axes) if d == j]
        lo = max(dims[k][0] for k in olds)
        hi = min(dims[k][1] for k in olds)
        new_dims.append((lo, max(hi, lo - 1)))
        new_incs.append(sum(incs[k] for k in olds))
    for k, d in enumerate(axes):           # a diagonal starts at its largest lower bound
        base += (new_dims[d][0] - dims[k][0]) * incs[k]
    return make_view(root, base, tuple(new_dims), tuple(new_incs))


# --- asking --------------------------------------------------------------------------

@builtin("array?")
def is_array_(x):
    return is_array(x)


@builtin("typed-array?")
def is_typed_array(x, kind):
    return is_array(x) and root_type(view(x)[0]) is kind


@builtin("array-type")
def array_type(a):
    return root_type(view(need_array("array-type", 1, a))[0])


@builtin("array-rank")
def array_rank(a):
    return len(view(need_array("array-rank", 1, a))[2])


@builtin("array-dimensions")
def array_dimensions(a):
    dims = view(need_array("array-dimensions", 1, a))[2]
    return from_list([hi + 1 if lo == 0 else from_list([lo, hi]) for lo, hi in dims])


@builtin("array-shape")
def array_shape(a):
    dims = view(need_array("array-shape", 1, a))[2]
    return from_list([from_list([lo, hi]) for lo, hi in dims])


@builtin("array-length")
def array_length(a):
    dims = view(need_array("array-length", 1, a))[2]
    if not dims:
        raise wrong_type("array-length", 1, "array of nonzero rank", a)
    lo, hi = dims[0]
    return hi - lo + 1


@builtin("array-in-bounds?")
def array_in_bounds(a, *idx):
    dims = view(need_array("array-in-bounds?", 1, a))[2]
    return len(idx) == len(dims) and all(
        type(i) is int and lo <= i <= hi for i, (lo, hi) in zip(idx, dims))


@builtin("shared-array-root")
def shared_array_root(a):
    return view(need_array("shared-array-root", 1, a))[0]


@builtin("shared-array-offset")
def shared_array_offset(a):
    return view(need_array("shared-array-offset", 1, a))[1]


@builtin("shared-array-increments")
def shared_array_increments(a):
    return from_list(list(view(need_array("shared-array-increments", 1, a))[3]))


@builtin("array-contents")
def array_contents(a, strict=False):
    """A rank-1 array of the same elements in the same order, or #f when they are not
    evenly spaced in the root (STRICT: not next to each other)."""
    root, base, dims, incs = view(need_array("array-contents", 1, a))
    if type(a) is not Array:
        return a
    step = None
    expect = None
    for (lo, hi), inc in zip(reversed(dims), reversed(incs)):
        n = hi - lo + 1
        if n == 1:
            continue
        if step is None:
            step = inc
            expect = inc * n
        elif inc != expect:
            return False
        else:
            expect *= n
    step = 1 if step is None else step
    if strict is not False and step != 1:
        return False
    n = size(dims)
    return make_view(root, base, ((0, n - 1),), (step,))


# --- elements ------------------------------------------------------------------------

@builtin("array-ref")
def array_ref(a, *idx):
    v = view(need_array("array-ref", 1, a))
    return root_ref(v[0], position("array-ref", v, idx))


@builtin("array-set!")
def array_set(a, value, *idx):
    v = view(need_array("array-set!", 1, a))
    store("array-set!", 2, v[0], position("array-set!", v, idx, 3), value)
    return UNSPECIFIED


def _cell(root: Any, base: int, dims: tuple, incs: tuple) -> Any:
    return root_ref(root, base) if not dims else make_view(root, base, dims, incs)


@builtin("array-cell-ref")
def array_cell_ref(a, *idx):
    return _cell(*sub_view("array-cell-ref", need_array("array-cell-ref", 1, a), idx))


@builtin("array-slice")
def array_slice(a, *idx):
    root, base, dims, incs = sub_view("array-slice", need_array("array-slice", 1, a), idx)
    return make_view(root, base, dims, incs) if dims else Array(root, base, dims, incs)


@builtin("array-cell-set!")
def array_cell_set(a, value, *idx):
    root, base, dims, incs = sub_view("array-cell-set!", need_array("array-cell-set!", 1, a),
                                      idx)
    if not dims:
        store("array-cell-set!", 2, root, base, value)
    else:
        _copy_into("array-cell-set!", value, (root, base, dims, incs))
    return a


@builtin("array->list")
def array_to_list(a):
    root, base, dims, incs = view(need_array("array->list", 1, a))
    if not dims:
        return root_ref(root, base)
    return nest(dims, items(a), from_list)


@builtin("uniform-array->bytevector", "rnrs bytevectors")
def uniform_array_to_bytevector(a):
    root = view(need_array("uniform-array->bytevector", 1, a))[0]
    if type(root) is Bitvector:
        bits = items(a)
        out = bytearray(-(-len(bits) // 32) * 4)
        for i, bit in enumerate(bits):
            if bit:
                out[(i // 32) * 4 + (i % 32) // 8] |= 1 << (i % 8)
        return out
    if type(root) is not bytearray and type(root) is not Uniform:
        raise wrong_type("uniform-array->bytevector", 1, "uniform array", a)
    copy = root_from_items(root_type(root), items(a))
    return bytearray(copy)


# --- whole arrays ----------------------------------------------------------------------

def _covers(origin: str, dims: tuple, inner: tuple, x: Any) -> None:
    """As in Guile, an array taking part must start where the one that sets the shape
    (`inner`) starts, in every dimension, and reach at least as far."""
    if len(dims) != len(inner) or any(
            lo != ilo or hi < ihi for (lo, hi), (ilo, ihi) in zip(dims, inner)):
        raise error("array shape mismatch", x, origin=origin,
                    hints=["the arrays must have the same lower bounds, and each must "
                           "reach as far as the one the operation walks"])


def _copy_into(origin: str, src: Any, dst_view: tuple) -> None:
    """Copy the elements of `src` into the same places of the destination, which must
    cover them."""
    root, base, dims, incs = dst_view
    src_dims = view(need_array(origin, 1, src))[2]
    _covers(origin, dims, src_dims, src)
    for p, x in zip(positions(base, src_dims, incs), items(src)):
        store(origin, 1, root, p, x)


@builtin("array-copy!")
def array_copy(src, dst):
    _copy_into("array-copy!", src, view(need_array("array-copy!", 2, dst)))
    return UNSPECIFIED


builtin("array-copy-in-order!")(array_copy)


@builtin("array-copy", "ice-9 arrays")
def array_copy_new(a):
    root, base, dims, incs = view(need_array("array-copy", 1, a))
    fresh_root = root_from_items(root_type(root), items(a))
    return make_view(fresh_root, 0, dims, row_major_incs(dims))


@builtin("array-fill!")
def array_fill(a, fill):
    root, base, dims, incs = view(need_array("array-fill!", 1, a))
    for p in positions(base, dims, incs):
        store("array-fill!", 2, root, p, fill)
    return UNSPECIFIED


def _sources(origin: str, first: int, dims: tuple, arrays: tuple) -> list:
    """The elements of each of `arrays` within the bounds `dims`, in row-major order."""
    out = []
    for k, x in enumerate(arrays, first):
        root, base, xdims, incs = view(need_array(origin, k, x))
        _covers(origin, xdims, dims, x)
        out.append([root_ref(root, p) for p in positions(base, dims, incs)])
    return out


@builtin("array-map!")
def array_map(dst, proc, *srcs):
    origin = "array-map!"
    root, base, dims, incs = view(need_array(origin, 1, dst))
    need_proc(origin, 2, proc)
    columns = _sources(origin, 3, dims, srcs)
    cells = positions(base, dims, incs)
    for p, args in zip(cells, zip(*columns) if columns else [()] * len(cells)):
        store(origin, 1, root, p, call1(proc, list(args)))
    return UNSPECIFIED


builtin("array-map-in-order!")(array_map)


@builtin("array-for-each")
def array_for_each(proc, a, *more):
    origin = "array-for-each"
    need_proc(origin, 1, proc)
    dims = view(need_array(origin, 2, a))[2]
    for args in zip(*_sources(origin, 2, dims, (a, *more))):
        call(proc, list(args))
    return UNSPECIFIED


@builtin("array-index-map!")
def array_index_map(a, proc):
    origin = "array-index-map!"
    root, base, dims, incs = view(need_array(origin, 1, a))
    need_proc(origin, 2, proc)
    indices = [[]]
    for lo, hi in dims:
        indices = [i + [k] for i in indices for k in range(lo, hi + 1)]
    for p, idx in zip(positions(base, dims, incs), indices):
        store(origin, 1, root, p, call1(proc, idx))
    return UNSPECIFIED


@builtin("array-equal?")
def array_equal(*arrays):
    for k, x in enumerate(arrays, 1):
        need_array("array-equal?", k, x)
    return all(same_shape_equal(a, b, equal) for a, b in zip(arrays, arrays[1:]))


@builtin("array-slice-for-each")
def array_slice_for_each(frame_rank, proc, *arrays):
    origin = "array-slice-for-each"
    if type(frame_rank) is not int or frame_rank < 0:
        raise wrong_type(origin, 1, "frame rank", frame_rank)
    need_proc(origin, 2, proc)
    views = [view(need_array(origin, k, x)) for k, x in enumerate(arrays, 3)]
    if not views:
        return UNSPECIFIED
    frame = views[0][2][:frame_rank]
    if any(len(v[2]) < frame_rank for v in views):
        raise error(f"{origin}: frame rank {frame_rank} is above an array's rank",
                    key="wrong-type-arg", origin=origin)
    indices = [[]]
    for lo, hi in frame:
        indices = [i + [k] for i in indices for k in range(lo, hi + 1)]
    for idx in indices:
        cells = []
        for root, base, dims, incs in views:
            pos = base + sum((i - lo) * inc for i, (lo, _), inc in zip(idx, frame, incs))
            rest = dims[frame_rank:]
            cells.append(make_view(root, pos, rest, incs[frame_rank:]) if rest
                         else Array(root, pos, rest, ()))
        call(proc, cells)
    return UNSPECIFIED


builtin("array-slice-for-each-in-order")(array_slice_for_each)


@builtin("array-print-prefix", "ice-9 arrays")
def array_print_prefix(a, port, *options):
    dims = len(options) == 2 and options[1] is not False
    need_output("array-print-prefix", 2, port).write(
        print_prefix(need_array("array-print-prefix", 1, a), dims))
    return UNSPECIFIED


def rank1_items(origin: str, x: Any) -> list | None:
    """The elements of a rank-1 array, or None when `x` is not one."""
    if not is_array(x) or len(view(x)[2]) != 1:
        return None
    return items(x)


def rank1_write(origin: str, x: Any, values: list) -> None:
    root, base, dims, incs = view(x)
    for p, value in zip(positions(base, dims, incs), values):
        store(origin, 1, root, p, value)


def rank1_like(x: Any, values: list) -> Any:
    """A new array of `x`'s type and bounds holding `values`."""
    root, base, dims, incs = view(x)
    return make_view(root_from_items(root_type(root), values), 0, dims, (1,))


