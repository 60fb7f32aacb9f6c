"""Several values where one value is used are cut to the first, as in Guile; no value at
all there is a located error.  Who asks for several values still gets them all."""

from __future__ import annotations

import pytest

from vsys.dsl import api
from vsys.dsl.errors import SchemeError, format_error
from vsys.dsl.printer import write_string


def run(src: str) -> str:
    return write_string(api.with_big_stack(api.eval_string, src, None, "config.scm"))


def fail(src: str) -> str:
    with pytest.raises(SchemeError) as info:
        api.with_big_stack(api.eval_string, src, None, "config.scm")
    return format_error(info.value)


@pytest.mark.parametrize("src, want", [
    ("(list (truncate/ -7 2))", "(-3)"),
    ("(list (values 1 2))", "(1)"),
    ("(+ 1 (values 2 3))", "3"),
    ("(define v (values 4 5)) (list v)", "(4)"),
    ("(let ((x (values 1 2))) (list x))", "(1)"),
    ("(define (two) (values 1 2)) (list (two) (two) (two))", "(1 1 1)"),
    ("(define (two) (values 1 2)) (list 1 2 3 4 (two))", "(1 2 3 4 1)"),
    ("(cons (values 1 2) (values 3 4))", "(1 . 3)"),
    ("(eq? (values 'a 'b) 'a)", "#t"),
    ("(null? (values '() 1))", "#t"),
    ("(not (values #f 1))", "#t"),
    ("(car (values '(a) 2))", "a"),
    ("(+ (values 1.5 0) 1)", "2.5"),
    ("(vector (values 1 2) (values 3 4))", "#(1 3)"),
    ("(apply + (values 1 2) '(10))", "11"),
    # bindings, tests and what builtins collect from a procedure
    ("(if (values #f 1) 'yes 'no)", "no"),
    ("(define (two) (values #f 1)) (if (two) 'yes 'no)", "no"),
    ("(cond ((values #f 1) 'a) (else 'b))", "b"),
    ("(when (values #f 1) 'w)", "#<unspecified>"),
    ("(unless (values #f 1) 'u)", "u"),
    ("(and (values #f 1) 'x)", "#f"),
    ("(or (values #f 1) 'y)", "y"),
    ("(case (values 1 2) ((1) 'one) (else 'other))", "one"),
    ("(define v (values 4 5)) v", "4"),
    ("(let ((v (values 4 5))) v)", "4"),
    ("(define v 0) (set! v (values 6 7)) v", "6"),
    ("(let () (define v 0) (set! v (values 6 7)) v)", "6"),
    ("(map (lambda (x) (values x (* x x))) '(1 2))", "(1 2)"),
    ("(use-modules (srfi srfi-1)) (map car+cdr '((1 . 2)))", "(1)"),
    ("(use-modules (rnrs base)) (vector-map (lambda (x) (values x 0)) #(1 2))", "#(1 2)"),
    ("(fold (lambda (x acc) (values (+ x acc) 0)) 0 '(1 2 3))", "6"),
    ("(sort '(3 1 2) (lambda (a b) (values (< a b) #t)))", "(2 1 3)"),
])
def test_the_first_value_is_used(src, want):
    assert run(src) == want


@pytest.mark.parametrize("src, want", [
    ("(call-with-values (lambda () (values 1 2)) list)", "(1 2)"),
    ("(define (two) (values 1 2)) (call-with-values two list)", "(1 2)"),
    ("(define (two) (values 1 2)) (define (pass) (two)) (call-with-values pass list)",
     "(1 2)"),
    ("(call-with-values (lambda () (if #t (values 1 2) 0)) list)", "(1 2)"),
    ("(call-with-values (lambda () (let ((x 1)) (values x 2))) list)", "(1 2)"),
    ("(call-with-values (lambda () (values)) list)", "()"),
    ("(receive (q r) (floor/ 7 2) (list q r))", "(3 1)"),
    ("(let-values (((a b) (values 1 2)) ((c) (values 3))) (list a b c))", "(1 2 3)"),
    ("(define-values (p q) (values 1 2)) (list p q)", "(1 2)"),
    ("(begin (values) 'fine)", "fine"),
])
def test_several_values_reach_who_asks_for_them(src, want):
    assert run(src) == want


def test_an_inline_operation_evaluates_its_operands_once():
    # the generic path used to run the operands again when they were not fixnums
    assert run("(define n 0) (define (f) (set! n (+ n 1)) 1.5) (list (+ (f) 1) (1+ (f)) n)") \
        == "(2.5 2.5 2)"


def test_no_value_where_one_is_used_is_a_located_error():
    assert fail("(define (nothing) (values))\n(nothing)\n(display (nothing))").splitlines() == [
        "config.scm:3:10: error: zero values returned to single-valued continuation",
        "hint: (values) gives no value at all, and this expression's value is used: "
        "return a value, or call it where its value is not used"]


def test_no_value_in_an_inline_operation():
    assert fail("(list 1\n  (+ 1 (values)))").splitlines()[0] == (
        "config.scm:2:8: error: zero values returned to single-valued continuation")


def test_no_value_is_caught_as_guile_throws_it():
    assert run("(catch #t (lambda () (list (values))) (lambda (key . args) (cons key args)))") \
        == '(misc-error #f "Zero values returned to single-valued continuation" () #f)'


def test_defining_no_value_fails_at_the_define():
    assert fail("(define z\n  (values))").splitlines()[0] == (
        "config.scm:2:3: error: zero values returned to single-valued continuation")
