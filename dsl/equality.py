"""Scheme's equivalence predicates, shared by the core forms (case, match, syntax-rules
literals) and the `eqv?`/`equal?` procedures."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from .arrays import Array, Uniform, is_array, same_shape_equal
from .datatypes import MString, Pair, Vector

_NUMBER_TYPES = (int, float, Fraction, complex)

# Guile's fixnums: small exact integers are immediate values, so eq? holds between equal
# ones; bignums are boxed and eq? only to themselves.
FIXNUM_MIN, FIXNUM_MAX = -(1 << 61), (1 << 61) - 1


def eq(a: Any, b: Any) -> bool:
    if a is b:
        return True
    return type(a) is int and type(b) is int and a == b and FIXNUM_MIN <= a <= FIXNUM_MAX


def eqv(a: Any, b: Any) -> bool:
    if a is b:
        return True
    ta = type(a)
    if ta is not type(b) or ta is bool:
        return False
    if ta in _NUMBER_TYPES:
        # eqv? keeps exactness apart ((eqv? 1 1.0) is #f) and tells -0.0 from 0.0
        if ta is float:
            return a == b and (a != 0.0 or str(a) == str(b)) or (a != a and b != b)
        if ta is complex:       # part by part, so that 0.0-0.0i is not 0.0+0.0i
            return eqv(a.real, b.real) and eqv(a.imag, b.imag)
        return a == b
    return False


def equal(a: Any, b: Any) -> bool:
    """Structural equality; iterative along list spines so long lists don't recurse."""
    stack = [(a, b)]
    while stack:
        a, b = stack.pop()
        while True:
            if eqv(a, b):
                break
            ta, tb = type(a), type(b)
            if ta is Pair and tb is Pair:
                stack.append((a.car, b.car))
                a, b = a.cdr, b.cdr
                continue
            if (ta is str or ta is MString) and (tb is str or tb is MString):
                if str(a) != str(b):
                    return False
                break
            if ta is Vector and tb is Vector:
                if len(a) != len(b):
                    return False
                stack.extend(zip(a, b))
                break
            if ta is bytearray and tb is bytearray:
                if a != b:
                    return False
                break
            if ta is Array or tb is Array or ta is Uniform or tb is Uniform:
                if is_array(a) and is_array(b) and same_shape_equal(a, b, equal):
                    break
                return False
            eq = getattr(a, "scheme_equal", None)
            if eq is not None and ta is tb and eq(b):
                break
            return False
    return True
