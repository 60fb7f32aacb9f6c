"""Bit vectors (`#*1010`), as Guile's core has them: the current names
(`bitvector-bit-set?`, `bitvector-set-bit!`...) and the older ones programs still use
(`bitvector-ref`, `bitvector-set!`, `bit-count`...)."""

from __future__ import annotations

from ..arrays import Bitvector, is_array, items
from ..datatypes import UNSPECIFIED, from_list
from ..errors import wrong_type
from .checks import need_count, need_index, need_list, need_range
from .define import builtin


def need_bitvector(origin: str, pos: int, x) -> bytearray:
    if type(x) is Bitvector:
        return x.bits
    raise wrong_type(origin, pos, "bitvector", x)


def _bit(x) -> int:
    return 0 if x is False else 1


@builtin("bitvector?")
def is_bitvector(x):
    return type(x) is Bitvector


@builtin("make-bitvector")
def make_bitvector(n, fill=False):
    return Bitvector(bytearray([_bit(fill)]) * need_count("make-bitvector", 1, n))


@builtin("bitvector")
def bitvector(*bits):
    return Bitvector(bytearray(_bit(b) for b in bits))


@builtin("list->bitvector")
def list_to_bitvector(lst):
    return bitvector(*need_list("list->bitvector", 1, lst))


@builtin("bitvector->list")
def bitvector_to_list(bv):
    return from_list([b == 1 for b in need_bitvector("bitvector->list", 1, bv)])


@builtin("bitvector-length")
def bitvector_length(bv):
    return len(need_bitvector("bitvector-length", 1, bv))


@builtin("bitvector-copy")
def bitvector_copy(bv, start=None, end=None):
    bits = need_bitvector("bitvector-copy", 1, bv)
    a, b = need_range("bitvector-copy", 2, len(bits), start, end)
    return Bitvector(bits[a:b])


def _ref(origin: str, bv, i) -> bool:
    bits = need_bitvector(origin, 1, bv)
    return bits[need_index(origin, 2, i, len(bits))] == 1


@builtin("bitvector-ref")
def bitvector_ref(bv, i):
    return _ref("bitvector-ref", bv, i)


@builtin("bitvector-bit-set?")
def bitvector_bit_set(bv, i):
    return _ref("bitvector-bit-set?", bv, i)


@builtin("bitvector-bit-clear?")
def bitvector_bit_clear(bv, i):
    return not _ref("bitvector-bit-clear?", bv, i)


def _set(origin: str, bv, i, bit: int):
    bits = need_bitvector(origin, 1, bv)
    bits[need_index(origin, 2, i, len(bits))] = bit
    return UNSPECIFIED


@builtin("bitvector-set!")
def bitvector_set(bv, i, value):
    return _set("bitvector-set!", bv, i, _bit(value))


@builtin("bitvector-set-bit!")
def bitvector_set_bit(bv, i):
    return _set("bitvector-set-bit!", bv, i, 1)


@builtin("bitvector-clear-bit!")
def bitvector_clear_bit(bv, i):
    return _set("bitvector-clear-bit!", bv, i, 0)


def _fill(origin: str, bv, bit: int):
    bits = need_bitvector(origin, 1, bv)
    bits[:] = bytes([bit]) * len(bits)
    return UNSPECIFIED


@builtin("bitvector-fill!")
def bitvector_fill(bv, value):
    return _fill("bitvector-fill!", bv, _bit(value))


@builtin("bitvector-set-all-bits!")
def bitvector_set_all_bits(bv):
    return _fill("bitvector-set-all-bits!", bv, 1)


@builtin("bitvector-clear-all-bits!")
def bitvector_clear_all_bits(bv):
    return _fill("bitvector-clear-all-bits!", bv, 0)


@builtin("bitvector-flip-all-bits!")
def bitvector_flip_all_bits(bv):
    bits = need_bitvector("bitvector-flip-all-bits!", 1, bv)
    bits[:] = bits.translate(_FLIP)
    return UNSPECIFIED


_FLIP = bytes.maketrans(b"\0\1", b"\1\0")
builtin("bit-invert!")(bitvector_flip_all_bits)


@builtin("bitvector-count")
def bitvector_count(bv):
    return need_bitvector("bitvector-count", 1, bv).count(1)


@builtin("bit-count")
def bit_count(value, bv):
    bits = need_bitvector("bit-count", 2, bv)
    return bits.count(_bit(value))


@builtin("bitvector-position")
def bitvector_position(bv, value, start=0):
    bits = need_bitvector("bitvector-position", 1, bv)
    at = bits.find(_bit(value), need_index("bitvector-position", 3, start, len(bits) + 1))
    return False if at < 0 else at


@builtin("bit-position")
def bit_position(value, bv, start):
    return bitvector_position(bv, value, start)


def _selected(origin: str, bits: bytearray, selector) -> list:
    """The positions a selector names: the set bits of a bit vector no longer than
    `bits`, or a vector of indices (u32vectors in Guile; any integers here)."""
    if type(selector) is Bitvector:
        if len(selector.bits) > len(bits):
            raise wrong_type(origin, 2, "bitvector no longer than the first", selector)
        return [i for i, b in enumerate(selector.bits) if b]
    if not is_array(selector):
        raise wrong_type(origin, 2, "bitvector or vector of indices", selector)
    return [need_index(origin, 2, i, len(bits)) for i in items(selector)]


@builtin("bitvector-set-bits!")
def bitvector_set_bits(bv, selector):
    bits = need_bitvector("bitvector-set-bits!", 1, bv)
    for i in _selected("bitvector-set-bits!", bits, selector):
        bits[i] = 1
    return UNSPECIFIED


@builtin("bitvector-clear-bits!")
def bitvector_clear_bits(bv, selector):
    bits = need_bitvector("bitvector-clear-bits!", 1, bv)
    for i in _selected("bitvector-clear-bits!", bits, selector):
        bits[i] = 0
    return UNSPECIFIED


@builtin("bit-set*!")
def bit_set_star(bv, selector, value):
    bits = need_bitvector("bit-set*!", 1, bv)
    for i in _selected("bit-set*!", bits, selector):
        bits[i] = _bit(value)
    return UNSPECIFIED


@builtin("bitvector-count-bits")
def bitvector_count_bits(bv, selector):
    bits = need_bitvector("bitvector-count-bits", 1, bv)
    return sum(bits[i] for i in _selected("bitvector-count-bits", bits, selector))


@builtin("bit-count*")
def bit_count_star(bv, selector, value):
    bits = need_bitvector("bit-count*", 1, bv)
    return sum(1 for i in _selected("bit-count*", bits, selector) if bits[i] == _bit(value))



