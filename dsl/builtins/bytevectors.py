"""Bytevectors (Python `bytearray`), as `(rnrs bytevectors)` and `(scheme base)` have
them.  The two disagree on `bytevector-copy!`; each module gets its own.  R6RS's
multi-byte accessors take an endianness, written `(endianness big)` (a macro)."""

from __future__ import annotations

import errno
import struct
import sys
from fractions import Fraction

from ..arrays import Uniform
from ..compiler import Macro
from ..datatypes import UNSPECIFIED, Symbol, from_list, to_list
from ..errors import Condition, SchemeError, out_of_range, syntax_error, wrong_type
from .checks import need_count, need_index, need_list, need_range, need_string
from .define import builtin, constant

RNRS = "rnrs bytevectors"
R7 = "scheme base"


def need_bytevector(origin: str, pos: int, x) -> bytearray:
    if type(x) is bytearray or type(x) is Uniform:   # a SRFI-4 vector is a bytevector
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
    return type(x) is bytearray or type(x) is Uniform


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


def _utf_codec(bits: int, endianness) -> str:
    order = "be" if endianness is None else _order(f"string->utf{bits}", 2, endianness)[0] + "e"
    return f"utf-{bits}-{order}"


@builtin("string->utf16", RNRS)
def string_to_utf16(s, endianness=None):
    return bytearray(need_string("string->utf16", 1, s).encode(_utf_codec(16, endianness),
                                                                "surrogatepass"))


@builtin("string->utf32", RNRS)
def string_to_utf32(s, endianness=None):
    return bytearray(need_string("string->utf32", 1, s).encode(_utf_codec(32, endianness)))


@builtin("utf16->string", RNRS)
def utf16_to_string(bv, endianness=None):
    return bytes(need_bytevector("utf16->string", 1, bv)).decode(_utf_codec(16, endianness),
                                                                "replace")


@builtin("utf32->string", RNRS)
def utf32_to_string(bv, endianness=None):
    return bytes(need_bytevector("utf32->string", 1, bv)).decode(_utf_codec(32, endianness),
                                                                "replace")


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
        raise SchemeError(Condition(
            "decoding-error", f"utf8->string: invalid UTF-8 at byte {a + exc.start}", (bv,),
            "utf8->string", throw_args=("utf8->string", "input locale conversion error",
                                        errno.EINVAL, bv))) from None


# --- multi-byte integers and floats (R6RS) ------------------------------------------------

def _endianness_macro(form, scope, module):
    """(endianness big) is syntax in R6RS: it checks the name and means the symbol."""
    args = to_list(form.cdr)
    if len(args) != 1 or args[0] not in (_BIG, _LITTLE):
        raise syntax_error("endianness: expected (endianness big) or (endianness little)",
                           form)
    return from_list([Symbol("quote"), args[0]])


_BIG, _LITTLE = Symbol("big"), Symbol("little")
_NATIVE = _BIG if sys.byteorder == "big" else _LITTLE
constant("endianness", Macro("endianness", _endianness_macro), RNRS)


@builtin("native-endianness", RNRS)
def native_endianness():
    return _NATIVE


def _order(origin: str, pos: int, x) -> str:
    if x is _BIG or x is _LITTLE:
        return x.name
    raise wrong_type(origin, pos, "endianness (big or little)", x)


def _slot(origin: str, data: bytearray, k, size: int) -> int:
    """The index of a `size`-byte field at k, all of which must lie in `data`."""
    i = need_index(origin, 2, k, len(data))
    if i + size > len(data):
        raise out_of_range(origin, 2, k)
    return i


def _get_int(origin: str, bv, k, order: str, size: int, signed: bool) -> int:
    data = need_bytevector(origin, 1, bv)
    i = _slot(origin, data, k, size)
    return int.from_bytes(data[i:i + size], order, signed=signed)


def _put_int(origin: str, bv, k, n, order: str, size: int, signed: bool, pos: int = 3):
    data = need_bytevector(origin, 1, bv)
    i = _slot(origin, data, k, size)
    if type(n) is not int:
        raise wrong_type(origin, pos, "exact integer", n)
    try:
        data[i:i + size] = n.to_bytes(size, order, signed=signed)
    except OverflowError:
        raise out_of_range(origin, pos, n) from None
    return UNSPECIFIED


def _fixed_size_accessors(bits: int, signed: bool) -> None:
    size = bits // 8
    stem = f"bytevector-{'s' if signed else 'u'}{bits}"

    @builtin(f"{stem}-ref", RNRS)
    def ref(bv, k, endianness):
        return _get_int(f"{stem}-ref", bv, k, _order(f"{stem}-ref", 3, endianness), size,
                        signed)

    @builtin(f"{stem}-set!", RNRS)
    def set_(bv, k, n, endianness):
        return _put_int(f"{stem}-set!", bv, k, n, _order(f"{stem}-set!", 4, endianness),
                        size, signed)

    @builtin(f"{stem}-native-ref", RNRS)
    def native_ref(bv, k):
        return _get_int(f"{stem}-native-ref", bv, k, sys.byteorder, size, signed)

    @builtin(f"{stem}-native-set!", RNRS)
    def native_set(bv, k, n):
        return _put_int(f"{stem}-native-set!", bv, k, n, sys.byteorder, size, signed)


for _bits in (16, 32, 64):
    _fixed_size_accessors(_bits, False)
    _fixed_size_accessors(_bits, True)


def _variable_size_accessors(signed: bool) -> None:
    """bytevector-uint-ref & co.: integers of any byte size, and lists of them."""
    kind = "sint" if signed else "uint"

    @builtin(f"bytevector-{kind}-ref", RNRS)
    def ref(bv, k, endianness, size):
        origin = f"bytevector-{kind}-ref"
        return _get_int(origin, bv, k, _order(origin, 3, endianness),
                        need_count(origin, 4, size), signed)

    @builtin(f"bytevector-{kind}-set!", RNRS)
    def set_(bv, k, n, endianness, size):
        origin = f"bytevector-{kind}-set!"
        return _put_int(origin, bv, k, n, _order(origin, 4, endianness),
                        need_count(origin, 5, size), signed)

    @builtin(f"bytevector->{kind}-list", RNRS)
    def to_list_(bv, endianness, size):
        origin = f"bytevector->{kind}-list"
        data = need_bytevector(origin, 1, bv)
        order = _order(origin, 2, endianness)
        n = need_count(origin, 3, size)
        if n == 0:
            raise SchemeError(Condition(
                "out-of-range", f"{origin}: the size must be positive, not 0", (size,),
                origin, throw_args=(False, "Value out of range ~S to< ~S: ~S",
                                    from_list([1, 2**64 - 1, 0]), from_list([0]))))
        if len(data) % n:
            expected = "an exact positive integer that divides the bytevector length"
            raise SchemeError(Condition(
                "wrong-type-arg", f"{origin}: the size must be {expected}, not {n}",
                (size,), origin, throw_args=(origin, "Wrong type (expecting ~A): ~S",
                                             from_list([expected, n]), from_list([n]))))
        return from_list([int.from_bytes(data[i:i + n], order, signed=signed)
                          for i in range(0, len(data), n)])

    @builtin(f"{kind}-list->bytevector", RNRS)
    def from_list_(lst, endianness, size):
        origin = f"{kind}-list->bytevector"
        items = need_list(origin, 1, lst)
        order = _order(origin, 2, endianness)
        n = need_count(origin, 3, size)
        out = bytearray(len(items) * n)
        for j, value in enumerate(items):
            _put_int(origin, out, j * n, value, order, n, signed, pos=1)
        return out


_variable_size_accessors(False)
_variable_size_accessors(True)


def _float_accessors(kind: str, code: str, size: int) -> None:
    stem = f"bytevector-ieee-{kind}"

    def get(origin, bv, k, order):
        data = need_bytevector(origin, 1, bv)
        i = _slot(origin, data, k, size)
        return struct.unpack((">" if order == "big" else "<") + code, data[i:i + size])[0]

    def put(origin, bv, k, x, order):
        data = need_bytevector(origin, 1, bv)
        i = _slot(origin, data, k, size)
        if type(x) not in (int, float, Fraction):
            raise wrong_type(origin, 3, "real number", x)
        try:
            data[i:i + size] = struct.pack((">" if order == "big" else "<") + code, float(x))
        except OverflowError:
            raise out_of_range(origin, 3, x) from None
        return UNSPECIFIED

    @builtin(f"{stem}-ref", RNRS)
    def ref(bv, k, endianness):
        return get(f"{stem}-ref", bv, k, _order(f"{stem}-ref", 3, endianness))

    @builtin(f"{stem}-set!", RNRS)
    def set_(bv, k, x, endianness):
        return put(f"{stem}-set!", bv, k, x, _order(f"{stem}-set!", 4, endianness))

    @builtin(f"{stem}-native-ref", RNRS)
    def native_ref(bv, k):
        return get(f"{stem}-native-ref", bv, k, sys.byteorder)

    @builtin(f"{stem}-native-set!", RNRS)
    def native_set(bv, k, x):
        return put(f"{stem}-native-set!", bv, k, x, sys.byteorder)


_float_accessors("double", "d", 8)
_float_accessors("single", "f", 4)
