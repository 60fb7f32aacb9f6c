"""Bytevectors (Python `bytearray`), as `(rnrs bytevectors)` and `(scheme base)` have
them.  The two disagree on `bytevector-copy!`; each module gets its own."""

from __future__ import annotations

from ..datatypes import UNSPECIFIED, from_list
from ..errors import error, out_of_range, wrong_type
from .checks import need_count, need_index, need_list, need_range, need_string
from .define import builtin

RNRS = "rnrs bytevectors"
R7 = "scheme base"


def need_bytevector(origin: str, pos: int, x) -> bytearray:
    if type(x) is bytearray:
        return x
    raise wrong_type(origin, pos, "bytevector", x)


def _octet(origin: str, pos: int, x) -> int:
    if type(x) is not int:
        raise wrong_type(origin, pos, "exact integer", x)
    if not 0 <= x <= 255:
        raise out_of_range(origin, pos, x)
    return x


@builtin("bytevector?", RNRS, R7)
def is_bytevector(x):
    return type(x) is bytearray


@builtin("make-bytevector", RNRS, R7)
def make_bytevector(k, fill=0):
    n = need_count("make-bytevector", 1, k)
    if type(fill) is int and -128 <= fill < 0:
        fill += 256                      # R6RS allows a signed fill byte
    return bytearray([_octet("make-bytevector", 2, fill)]) * n


@builtin("bytevector", R7)
def bytevector(*octets):
    return bytearray(_octet("bytevector", i, x) for i, x in enumerate(octets, 1))


@builtin("bytevector-length", RNRS, R7)
def bytevector_length(bv):
    return len(need_bytevector("bytevector-length", 1, bv))


@builtin("bytevector-u8-ref", RNRS, R7)
def bytevector_u8_ref(bv, k):
    data = need_bytevector("bytevector-u8-ref", 1, bv)
    return data[need_index("bytevector-u8-ref", 2, k, len(data))]


@builtin("bytevector-u8-set!", RNRS, R7)
def bytevector_u8_set(bv, k, octet):
    data = need_bytevector("bytevector-u8-set!", 1, bv)
    data[need_index("bytevector-u8-set!", 2, k, len(data))] = \
        _octet("bytevector-u8-set!", 3, octet)
    return UNSPECIFIED


@builtin("bytevector-s8-ref", RNRS)
def bytevector_s8_ref(bv, k):
    octet = bytevector_u8_ref(bv, k)
    return octet - 256 if octet > 127 else octet


@builtin("bytevector-s8-set!", RNRS)
def bytevector_s8_set(bv, k, value):
    if type(value) is int and -128 <= value < 0:
        value += 256
    return bytevector_u8_set(bv, k, value)


@builtin("u8-list->bytevector", RNRS)
def u8_list_to_bytevector(lst):
    return bytearray(_octet("u8-list->bytevector", 1, x)
                     for x in need_list("u8-list->bytevector", 1, lst))


@builtin("bytevector->u8-list", RNRS)
def bytevector_to_u8_list(bv):
    return from_list(list(need_bytevector("bytevector->u8-list", 1, bv)))


@builtin("bytevector-copy", RNRS, R7)
def bytevector_copy(bv, start=None, end=None):
    data = need_bytevector("bytevector-copy", 1, bv)
    a, b = need_range("bytevector-copy", 2, len(data), start, end)
    return data[a:b]


@builtin("bytevector-fill!", RNRS)
def bytevector_fill(bv, fill, start=None, end=None):
    data = need_bytevector("bytevector-fill!", 1, bv)
    if type(fill) is int and -128 <= fill < 0:
        fill += 256
    octet = _octet("bytevector-fill!", 2, fill)
    a, b = need_range("bytevector-fill!", 3, len(data), start, end)
    data[a:b] = bytes([octet]) * (b - a)
    return UNSPECIFIED


@builtin("bytevector=?", RNRS)
def bytevector_eq(a, b):
    return need_bytevector("bytevector=?", 1, a) == need_bytevector("bytevector=?", 2, b)


def _copy_into(origin: str, dest: bytearray, at: int, chunk: bytes, pos: int) -> None:
    if at + len(chunk) > len(dest):
        raise out_of_range(origin, pos, at)
    dest[at:at + len(chunk)] = chunk


@builtin("bytevector-copy!", RNRS)
def bytevector_copy_r6rs(source, source_start, target, target_start, count):
    src = need_bytevector("bytevector-copy!", 1, source)
    a = need_index("bytevector-copy!", 2, source_start, len(src) + 1)
    dest = need_bytevector("bytevector-copy!", 3, target)
    k = need_index("bytevector-copy!", 4, target_start, len(dest) + 1)
    n = need_count("bytevector-copy!", 5, count)
    if a + n > len(src):
        raise out_of_range("bytevector-copy!", 5, count)
    _copy_into("bytevector-copy!", dest, k, bytes(src[a:a + n]), 4)
    return UNSPECIFIED


@builtin("bytevector-copy!", R7)
def bytevector_copy_r7rs(target, at, source, start=None, end=None):
    dest = need_bytevector("bytevector-copy!", 1, target)
    k = need_index("bytevector-copy!", 2, at, len(dest) + 1)
    src = need_bytevector("bytevector-copy!", 3, source)
    a, b = need_range("bytevector-copy!", 4, len(src), start, end)
    _copy_into("bytevector-copy!", dest, k, bytes(src[a:b]), 2)
    return UNSPECIFIED


@builtin("bytevector-append", R7)
def bytevector_append(*bvs):
    out = bytearray()
    for i, bv in enumerate(bvs, 1):
        out += need_bytevector("bytevector-append", i, bv)
    return out


@builtin("string->utf8", RNRS, R7)
def string_to_utf8(s, start=None, end=None):
    text = need_string("string->utf8", 1, s)
    a, b = need_range("string->utf8", 2, len(text), start, end)
    return bytearray(text[a:b].encode("utf-8"))


@builtin("utf8->string", RNRS, R7)
def utf8_to_string(bv, start=None, end=None):
    data = need_bytevector("utf8->string", 1, bv)
    a, b = need_range("utf8->string", 2, len(data), start, end)
    try:
        return bytes(data[a:b]).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(f"utf8->string: invalid UTF-8 at byte {a + exc.start}", bv,
                    key="decoding-error", origin="utf8->string") from None
