"""Char-set misuse is a located error naming the procedure and what it wanted, never
an internal error; the standard sets cannot be changed."""

from __future__ import annotations

import pytest

from vsys.dsl import api
from vsys.dsl.errors import SchemeError, format_error
from vsys.dsl.printer import write_string


def fail(src: str) -> list[str]:
    with pytest.raises(SchemeError) as info:
        api.with_big_stack(api.eval_string, src, None, "config.scm")
    return format_error(info.value).splitlines()


@pytest.mark.parametrize("src,first,hint", [
    ("(char-set-adjoin! char-set:letter #\\x)",
     "config.scm:1:1: error: char-set-adjoin!: wrong type argument in position 1 "
     "(expecting mutable charset): #<charset {#\\A..#\\Z #\\a..#\\z",
     "hint: the standard char-sets cannot change; change a copy made by (char-set-copy ...)"),
    ("(list->char-set! '(#\\a) char-set:empty)",
     "config.scm:1:1: error: list->char-set!: wrong type argument in position 2 "
     "(expecting mutable charset): #<charset {}>", "hint: the standard char-sets"),
    ("(char-set-ref (char-set #\\a) 1000)",
     "config.scm:1:1: error: char-set-ref: wrong type argument in position 2 "
     "(expecting char-set cursor): 1000", None),
    ("\n (char-set-ref (char-set) (char-set-cursor (char-set)))",
     "config.scm:2:2: error: char-set-ref: invalid character set cursor: "
     "#<charset-cursor (empty)>", None),
    ("(char-set-map (lambda (c) 1) (char-set #\\a))",
     "config.scm:1:1: error: char-set-map: procedure #<procedure anonymous (c)> "
     "returned non-char", None),
    ("(ucs-range->char-set #xd000 #xe100 #t)",
     "config.scm:1:1: error: ucs-range->char-set: invalid range - contains surrogate "
     "characters: 53248 to 57600", None),
    ("(ucs-range->char-set 10 5)",
     "config.scm:1:1: error: ucs-range->char-set: argument 2 out of range: 5", None),
    ("(->char-set 5)",
     "config.scm:1:1: error: ->char-set: wrong type argument in position 1 "
     "(expecting string, character or char-set): 5", None),
    ("(char-set-union (char-set) 'a)",
     "config.scm:1:1: error: char-set-union: wrong type argument in position 2 "
     "(expecting char-set): a", None),
])
def test_misuse_is_a_located_error(src, first, hint):
    lines = fail(src)
    assert lines[0].startswith(first)
    if hint:
        assert lines[1].startswith(hint)


def test_a_copy_of_a_standard_set_changes_alone():
    value = api.eval_string("(let ((copy (char-set-copy char-set:digit)))"
                            "  (char-set-adjoin! copy #\\x)"
                            "  (list (char-set-size copy) (char-set-size char-set:digit)"
                            "        (char-set-contains? char-set:digit #\\x)))")
    assert write_string(value) == "(661 660 #f)"
