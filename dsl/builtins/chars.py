"""Characters: conversions, case, classification and the n-ary comparisons."""

from __future__ import annotations

import unicodedata

from ..datatypes import Char, Symbol
from ..errors import out_of_range, wrong_type
from .charsets import in_standard
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


# Guile's classifiers are membership in its standard char-sets, whose upper- and
# lower-case sets are narrower than Unicode's properties (no Glagolitic, no Roman
# numerals) and whose whitespace leaves out the information separators U+001C..U+001F.
def is_whitespace(ch: str) -> bool:
    return in_standard("whitespace", ch)


def is_numeric(ch: str) -> bool:
    return in_standard("digit", ch)


def is_upper_case(ch: str) -> bool:
    return in_standard("upper-case", ch)


def is_lower_case(ch: str) -> bool:
    return in_standard("lower-case", ch)


char_alphabetic = _classifier("char-alphabetic?", lambda ch: in_standard("letter", ch))
char_numeric = _classifier("char-numeric?", is_numeric)
char_whitespace = _classifier("char-whitespace?", is_whitespace)
char_upper_case = _classifier("char-upper-case?", is_upper_case)
char_lower_case = _classifier("char-lower-case?", is_lower_case)
char_is_both_case = _classifier("char-is-both?",
                                lambda ch: is_upper_case(ch) or is_lower_case(ch))


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
