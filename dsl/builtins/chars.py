"""Characters: conversions, case, classification and the n-ary comparisons."""

from __future__ import annotations

import unicodedata

from ..datatypes import Char, Symbol
from ..errors import out_of_range, wrong_type
from .checks import need_char
from .define import builtin


@builtin("char->integer")
def char_to_integer(c):
    return ord(need_char("char->integer", 1, c))


@builtin("integer->char")
def integer_to_char(n):
    if type(n) is not int:
        raise wrong_type("integer->char", 1, "exact integer", n)
    if not (0 <= n <= 0x10FFFF) or 0xD800 <= n <= 0xDFFF:
        raise out_of_range("integer->char", 1, n)
    return Char(chr(n))


def single_case(ch: str, changed: str) -> str:
    """Case mapping of one character; Guile keeps characters whose mapping is not a
    single character (ß upcases to SS in Python)."""
    return changed if len(changed) == 1 else ch


def upcase(ch: str) -> str:
    return single_case(ch, ch.upper())


def downcase(ch: str) -> str:
    return single_case(ch, ch.lower())


@builtin("char-upcase")
def char_upcase(c):
    return Char(upcase(need_char("char-upcase", 1, c)))


@builtin("char-downcase")
def char_downcase(c):
    return Char(downcase(need_char("char-downcase", 1, c)))


@builtin("char-titlecase")
def char_titlecase(c):
    ch = need_char("char-titlecase", 1, c)
    return Char(single_case(ch, ch.title()))


@builtin("char-foldcase")
def char_foldcase(c):
    return Char(downcase(need_char("char-foldcase", 1, c)))


def _classifier(name: str, test):
    def classify(c):
        return test(need_char(name, 1, c))
    classify.__name__ = name
    builtin(name)(classify)
    return classify


def is_whitespace(ch: str) -> bool:
    return ch.isspace()


def is_numeric(ch: str) -> bool:
    return unicodedata.category(ch) == "Nd"


char_alphabetic = _classifier("char-alphabetic?", str.isalpha)
char_numeric = _classifier("char-numeric?", is_numeric)
char_whitespace = _classifier("char-whitespace?", is_whitespace)
char_upper_case = _classifier("char-upper-case?", str.isupper)
char_lower_case = _classifier("char-lower-case?", str.islower)
char_is_both_case = _classifier("char-is-both?", lambda ch: ch.isupper() or ch.islower())


@builtin("char-general-category")
def char_general_category(c):
    return Symbol(unicodedata.category(need_char("char-general-category", 1, c)))


def _comparison(name: str, test, fold: bool):
    def compare(*chars):
        codes = []
        for i, c in enumerate(chars, 1):
            ch = need_char(name, i, c)
            codes.append(ord(downcase(ch)) if fold else ord(ch))
        return all(test(a, b) for a, b in zip(codes, codes[1:]))
    compare.__name__ = name
    builtin(name)(compare)
    return compare


for _suffix, _test in (("=?", lambda a, b: a == b), ("<?", lambda a, b: a < b),
                       (">?", lambda a, b: a > b), ("<=?", lambda a, b: a <= b),
                       (">=?", lambda a, b: a >= b)):
    _comparison("char" + _suffix, _test, False)
    _comparison("char-ci" + _suffix, _test, True)
