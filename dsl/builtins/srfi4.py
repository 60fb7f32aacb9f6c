"""SRFI-4 homogeneous numeric vectors (`#u8(...)`, `#f64(...)`).  As in Guile, each is a
bytevector (every bytevector procedure takes it) that remembers its element type: it
prints as `#f64(1.0 2.0)`, and `f64vector?` is true of f64 vectors only.  The ten types
of SRFI-4 are in Guile's core and in `(srfi srfi-4)`; the complex c32 and c64 and the
`any->` conversions in `(srfi srfi-4 gnu)`."""

from __future__ import annotations

from ..arrays import STRUCTS, BadElement, Uniform, element_for, is_array, items, make_uniform
from ..datatypes import UNSPECIFIED, from_list
from ..errors import out_of_range, wrong_type
from .checks import need_count, need_index, need_list, need_range
from .define import builtin

SRFI4 = "srfi srfi-4"
GNU = "srfi srfi-4 gnu"


def _bytes_of(origin: str, x) -> bytearray:
    # Guile's accessors take any bytevector, reading it as elements of their type.
    if type(x) is Uniform or type(x) is bytearray:
        return x
    raise wrong_type(origin, 1, origin.split("-")[0], x)


def _family(kind: str, modules: tuple) -> None:
    s = STRUCTS[kind]
    width = s.size
    name = kind + "vector"
    complex_ = kind[0] == "c"

    def fill(origin: str, u, i: int, value, pos: int) -> None:
        try:
            v = element_for(kind, value)
        except BadElement as bad:
            if bad.wrong:
                raise wrong_type(origin, pos, bad.expected, value) from None
            raise out_of_range(origin, pos, value) from None
        if complex_:
            s.pack_into(u, i * width, v.real, v.imag)
        else:
            s.pack_into(u, i * width, v)

    def from_items(origin: str, values: list, pos_of) -> Uniform:
        u = make_uniform(kind, len(values))
        for i, x in enumerate(values):
            fill(origin, u, i, x, pos_of(i))
        return u

    def is_(x):
        return type(x) is Uniform and x.kind == kind

    def make(n, value=UNSPECIFIED):
        u = make_uniform(kind, need_count(f"make-{name}", 1, n))
        if value is not UNSPECIFIED and n:
            fill(f"make-{name}", u, 0, value, 2)
            u[:] = bytes(u[:width]) * n
        return u

    def ctor(*values):
        return from_items(name, list(values), lambda i: i + 1)

    def length(v):
        return len(_bytes_of(f"{name}-length", v)) // width

    def ref(v, i):
        data = _bytes_of(f"{name}-ref", v)
        k = need_index(f"{name}-ref", 2, i, len(data) // width)
        if complex_:
            re, im = s.unpack_from(data, k * width)
            return complex(re, im)
        return s.unpack_from(data, k * width)[0]

    def set_(v, i, value):
        data = _bytes_of(f"{name}-set!", v)
        fill(f"{name}-set!", data, need_index(f"{name}-set!", 2, i, len(data) // width),
             value, 3)
        return UNSPECIFIED

    def to_list(v):
        data = _bytes_of(f"{name}->list", v)
        data = data[:len(data) // width * width]     # a bytevector's whole elements
        if complex_:
            return from_list([complex(re, im) for re, im in s.iter_unpack(data)])
        return from_list([x[0] for x in s.iter_unpack(data)])

    def from_list_(lst):
        return from_items(f"list->{name}", need_list(f"list->{name}", 1, lst), lambda i: 1)

    def any_to(x):
        values = items(x) if is_array(x) else need_list(f"any->{name}", 1, x)
        return from_items(f"any->{name}", values, lambda i: 1)

    for proc_name, fn in ((f"{name}?", is_), (f"make-{name}", make), (name, ctor),
                          (f"{name}-length", length), (f"{name}-ref", ref),
                          (f"{name}-set!", set_), (f"{name}->list", to_list),
                          (f"list->{name}", from_list_)):
        builtin(proc_name, *modules)(fn)
    def copy(v, start=None, end=None):
        data = _bytes_of(f"{name}-copy", v)
        a, b = need_range(f"{name}-copy", 2, len(data) // width, start, end)
        u = make_uniform(kind, b - a)
        u[:] = data[a * width:b * width]
        return u

    def copy_into(dst, at, src, start=None, end=None):
        origin = f"{name}-copy!"
        target = _bytes_of(origin, dst)
        data = _bytes_of(origin, src)
        a, b = need_range(origin, 4, len(data) // width, start, end)
        k = need_index(origin, 2, at, len(target) // width + 1)
        if k + b - a > len(target) // width:
            raise out_of_range(origin, 3, src)
        target[k * width:(k + b - a) * width] = data[a * width:b * width]
        return UNSPECIFIED

    builtin(f"any->{name}", GNU)(any_to)
    builtin(f"{name}-copy", GNU)(copy)
    builtin(f"{name}-copy!", GNU)(copy_into)


@builtin("srfi-4-vector-type-size", GNU)
def srfi4_vector_type_size(v):
    """The size in bytes of one element of the SRFI-4 vector V."""
    if type(v) is Uniform:
        return STRUCTS[v.kind].size
    if type(v) is bytearray:
        return 1
    raise wrong_type("srfi-4-vector-type-size", 1, "SRFI-4 vector", v)


for _kind in ("u8", "s8", "u16", "s16", "u32", "s32", "u64", "s64", "f32", "f64"):
    _family(_kind, ("guile", SRFI4, GNU))
for _kind in ("c32", "c64"):
    _family(_kind, (GNU,))
