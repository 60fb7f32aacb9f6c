"""The text of numbers: `parse_number` is the reader's and string->number's, and tells
the printer which symbols must be written |quoted| because they read as numbers."""

from __future__ import annotations

import cmath
import re
from fractions import Fraction
from typing import Any

from .datatypes import normalize

_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_rational_patterns: dict[int, re.Pattern] = {}
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eEsSfFdDlL]([+-]?[0-9]+))?\Z")
_SPECIAL_REALS = {"+inf.0": float("inf"), "-inf.0": float("-inf"),
                  "+nan.0": float("nan"), "-nan.0": float("nan")}
_COMPLEX = re.compile(r"(.*?)([+-][^+-]*)i\Z")


def _rational_pattern(radix: int) -> re.Pattern:
    pattern = _rational_patterns.get(radix)
    if pattern is None:
        digits = _DIGITS[:radix]
        d = f"[{digits}{digits[10:].upper()}]+"
        pattern = re.compile(rf"([+-]?)({d})(?:/({d}))?\Z")
        _rational_patterns[radix] = pattern
    return pattern


class NumberOutOfRange(ValueError):
    """A decimal exponent Guile refuses to read (beyond 1e308 or 1e-324)."""


def _real(text: str, radix: int, exactness: str | None):
    """A real number from `text` (no prefixes), or None."""
    special = _SPECIAL_REALS.get(text.lower())
    if special is not None:
        return None if exactness == "e" else special
    m = _rational_pattern(radix).match(text)
    if m:
        sign, num, den = m.groups()
        n = int(num, radix)
        if sign == "-":
            n = -n
        if den is None:
            value: Any = n
        else:
            d = int(den, radix)
            if d == 0:
                return None
            value = normalize(Fraction(n, d))
        return float(value) if exactness == "i" else value
    if radix != 10:
        return None
    m = _DECIMAL.match(text)
    if not m:
        return None
    exponent = m.group(1)
    if exponent is not None:
        e = int(exponent)
        if e > 308 or e < -324:   # Guile refuses these rather than rounding
            raise NumberOutOfRange(text)
        text = re.sub("[sSfFdDlL]", "e", text)
    if exactness == "e":
        return normalize(Fraction(text))
    return float(text)


def parse_number(text: str, radix: int = 10):
    """Scheme's `string->number` (radix 2 to 36; a #x #b #o #d prefix overrides it, #e
    #i set exactness): a number, or None when `text` is not one.  Raises
    `NumberOutOfRange` for decimal exponents Guile rejects."""
    exactness = None
    radix_set = False
    while text[:1] == "#" and len(text) >= 2:
        p = text[1].lower()
        if p in "xbod" and not radix_set:
            radix = {"x": 16, "b": 2, "o": 8, "d": 10}[p]
            radix_set = True
        elif p in "ei" and exactness is None:
            exactness = p
        else:
            return None
        text = text[2:]
    if not text:
        return None
    value = _real(text, radix, exactness)
    if value is not None or exactness == "e":
        return value
    return _complex(text, radix)


def _complex(text: str, radix: int):
    """Rectangular (1+2i, -i) and polar (1@2) notations; Guile's complexes are inexact."""
    if "@" in text:
        mag, _, ang = text.partition("@")
        m, a = _real(mag, radix, None), _real(ang, radix, None)
        if m is None or a is None:
            return None
        if a == 0 and type(a) is not float:
            return m
        return cmath.rect(m, a)
    m = _COMPLEX.match(text)
    if not m:
        return None
    re_text, im_text = m.groups()
    real = _real(re_text, radix, None) if re_text else 0
    imag = {"+": 1, "-": -1}.get(im_text)
    if imag is None:
        imag = _real(im_text, radix, None)
    if real is None or imag is None:
        return None
    if imag == 0 and type(imag) is not float:
        return real
    return complex(real, imag)
