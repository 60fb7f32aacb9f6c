"""Deep non-tail recursion: 100,000 levels work, as in Guile; past the limit the error is
located at the recursive call and says how deep the program was."""

from __future__ import annotations

import re

import pytest

from vsys.dsl import api
from vsys.dsl.datatypes import Symbol
from vsys.dsl.errors import SchemeError, format_error


def run(src: str):
    return api.with_big_stack(api.eval_string, src, None, "config.scm")


def fail(src: str) -> str:
    with pytest.raises(SchemeError) as info:
        run(src)
    return format_error(info.value)


def test_hundred_thousand_levels_deep():
    assert run("(define (deep n) (if (= n 0) 0 (+ 1 (deep (- n 1)))))\n(deep 100000)") == 100000


def test_hundred_thousand_levels_deep_with_a_let_in_each():
    assert run("(define (sum n) (if (= n 0) 0 (let ((rest (sum (- n 1)))) (+ n rest))))\n"
               "(sum 100000)") == 5000050000


def test_overflow_is_located_at_the_recursive_call():
    lines = fail("(define (down n)\n  (+ 1 (down n)))\n(down 1)").splitlines()
    assert lines[0] == "config.scm:2:8: error: stack overflow: the program recursed too deeply"
    assert re.fullmatch(r"hint: the program was \d{3},\d{3} calls deep here when it ran out "
                        r"of stack", lines[1]), lines[1]
    assert lines[2] == ("hint: a recursive procedure probably lacks a base case, or a loop "
                        "could be written with a tail call (a named let) that carries its "
                        "result in an accumulator argument instead of building it on the way "
                        "back")
    assert len(lines) == 3


def test_overflow_through_a_primitive_calling_back():
    # the innermost call site under way when the stack ran out: one of line 2's
    line = fail("(define (f n)\n  (+ 1 (car (map f (list n)))))\n(f 1)").splitlines()[0]
    assert re.fullmatch(r"config\.scm:2:\d+: error: stack overflow: the program recursed "
                        r"too deeply", line), line


def test_overflow_is_caught_with_guiles_key_once_the_stack_unwound():
    # Guile throws `stack-overflow` when its stack limit is reached; a catch-all takes it
    assert run("(catch #t (lambda () (let f ((n 0)) (+ 1 (f n))))\n"
               "  (lambda (key . args) key))") is Symbol("stack-overflow")
