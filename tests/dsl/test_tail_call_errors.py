"""An error in making a tail call (wrong number of arguments, not a procedure) is
located at the call that made it, though its frame has returned when the call runs."""

from __future__ import annotations

import pytest

from vsys.dsl import api
from vsys.dsl.errors import SchemeError, format_error


def fail(src: str) -> str:
    with pytest.raises(SchemeError) as info:
        api.with_big_stack(api.eval_string, src, None, "config.scm")
    return format_error(info.value)


def test_arity_error_of_a_loop_at_top_level():
    assert fail("(let loop ((i 0)) (loop (+ i 1) 2))").splitlines() == [
        "config.scm:1:19: error: wrong number of arguments to loop: expected 1 argument, got 2",
        "hint: loop is called as (loop i)",
        "hint: loop is defined at config.scm:1:1"]


def test_arity_error_of_a_loop_inside_a_procedure():
    text = fail("(define (g)\n  (let loop ((i 0))\n    (loop 1 2)))\n(g)")
    assert text.splitlines()[0] == (
        "config.scm:3:5: error: wrong number of arguments to loop: expected 1 argument, got 2")


def test_arity_error_after_some_iterations():
    text = fail("(define (count-down n)\n  (if (> n 0)\n      (count-down (- n 1))\n"
                "      (count-down)))\n(count-down 5)")
    assert text.splitlines()[0] == ("config.scm:4:7: error: wrong number of arguments to "
                                    "count-down: expected 1 argument, got 0")


def test_wrong_type_to_apply_in_tail_position():
    assert fail("(define (g x)\n  (x 1))\n(g 5)").splitlines() == [
        "config.scm:2:3: error: wrong type to apply: 5",
        "hint: an extra pair of parentheses around a value calls it; "
        "check the parentheses here"]


def test_arity_error_of_a_primitive_in_tail_position():
    assert fail("(define (f x)\n  (car x x))\n(f '(1))").splitlines()[0] == (
        "config.scm:2:3: error: wrong number of arguments to car: expected 1 argument, got 2")


def test_error_in_a_procedure_apply_calls_in_tail_position():
    text = fail("(define (f g)\n  (apply g '(1 2)))\n(f (lambda (a) a))")
    assert text.splitlines()[0] == (
        "config.scm:2:3: error: wrong number of arguments to anonymous procedure: "
        "expected 1 argument, got 2")


def test_a_located_error_inside_the_tail_called_procedure_keeps_its_place():
    text = fail("(define (inner x)\n  (car x))\n(define (outer)\n  (inner 5))\n(outer)")
    assert text.splitlines()[0].startswith("config.scm:2:3: error: car:")
