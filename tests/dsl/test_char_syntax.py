"""A character written by a code no character has is Guile's out-of-range error (its
reader makes the character with integer->char), located where it is written."""

from __future__ import annotations

import pytest

from vsys.dsl import api
from vsys.dsl.datatypes import Location, Symbol
from vsys.dsl.errors import SchemeError
from vsys.dsl.reader import read_all


@pytest.mark.parametrize("text,pos,code", [
    ("#\\x110000", (1, 1), 1114112),
    ("(a\n  #\\xd800)", (2, 3), 55296),
    ("#\\154000", (1, 1), 55296),
    ("#\\4200000", (1, 1), 1114112),
])
def test_character_code_out_of_range(text, pos, code):
    with pytest.raises(SchemeError) as info:
        read_all(text, "conf.scm")
    cond = info.value.condition
    assert cond.key is Symbol("out-of-range")
    assert info.value.loc == Location("conf.scm", *pos)
    assert cond.message.endswith(f"is out of range: no character has the code {code}")
    assert cond.hints == ["a character's code is below #xD800, or from #xE000 to #x10FFFF"]


def test_read_from_a_port_raises_what_catch_sees_in_guile():
    assert api.eval_string(
        '(catch (quote out-of-range) (lambda () (with-input-from-string "#\\\\154000" read))'
        " (lambda (key . args) key))") is Symbol("out-of-range")


@pytest.mark.parametrize("text,code", [("#\\153777", 0xD7FF), ("#\\160000", 0xE000),
                                       ("#\\x10ffff", 0x10FFFF), ("#\\0", ord("0")),
                                       ("#\\07", 7)])
def test_codes_next_to_the_gaps_read(text, code):
    [value] = read_all(text, "conf.scm")
    assert ord(value.ch) == code
