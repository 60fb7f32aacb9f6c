"""Malformed record, set-field, match, condition and and-let* forms: a located error
with a hint, as a syntax error a program can also catch with Guile's arguments."""

from __future__ import annotations

import pytest

from vsys.dsl import api
from vsys.dsl.errors import SchemeError, format_error
from vsys.dsl.printer import write_string

SRFI9 = "(use-modules (srfi srfi-9) (srfi srfi-9 gnu))\n"
POINT = SRFI9 + "(define-record-type point (make-point x) point? (x point-x))\n"


def fail(src: str) -> str:
    with pytest.raises(SchemeError) as info:
        api.with_big_stack(api.eval_string, src, None, "config.scm")
    return format_error(info.value)


def value(src: str):
    return api.with_big_stack(api.eval_string, src, None, "config.scm")


def test_a_field_spec_without_accessor_is_located_at_the_spec():
    assert fail(SRFI9 + "(define-record-type point\n  (make-point x y)\n  point?\n  (x))"
                ).splitlines() == [
        ("config.scm:5:3: error: define-record-type: invalid field spec in subform (x) of "
         "(define-record-type point (make-point x y) point? (x))"),
        "hint: each field is (NAME ACCESSOR [MODIFIER])"]


def test_a_constructor_field_that_is_not_a_field_names_the_fields():
    assert fail(SRFI9 + "(define-record-type point (make-point x z) point?\n"
                "  (x point-x) (y point-y))").splitlines() == [
        ("config.scm:2:1: error: define-record-type: unknown field in constructor spec in "
         "subform z of (define-record-type point (make-point x z) point? (x point-x) "
         "(y point-y))"),
        "hint: the fields of point are x y"]


def test_a_constructor_called_with_the_wrong_count_fails_when_compiled():
    # the body of f never runs: the call is refused when f is compiled, as in Guile
    assert fail(POINT + "(define (f) (make-point))").splitlines() == [
        "config.scm:3:13: error: make-point: Wrong number of arguments in form (make-point)",
        "hint: make-point takes 1 argument, this call gives 0"]


def test_set_field_with_a_name_that_is_no_getter():
    assert fail(POINT + "(define p (make-point 1))\n(set-field p (point-y) 2)"
                ).splitlines() == [
        ("config.scm:4:1: error: set-fields: unknown getter in subform point-y of "
         "(set-field p (point-y) 2)"),
        "hint: each getter is a record field accessor, as in "
        "(set-field r (person-address address-city) v)"]


def test_set_fields_of_one_field_twice():
    assert fail(POINT + "(define p (make-point 1))\n(set-fields p ((point-x) 2)\n"
                "  ((point-x) 3))").splitlines() == [
        ("config.scm:4:1: error: set-fields: duplicate field path in subform (point-x) of "
         "(set-fields p ((point-x) 2) ((point-x) 3))"),
        "hint: each field is set once, by one path of getters"]


def test_syntax_violations_reach_catch_with_guiles_arguments():
    assert write_string(value(POINT + "(catch 'syntax-error\n"
                     "  (lambda () (eval '(make-point 1 2) (current-module)))\n"
                     "  (lambda args args))")) == \
        ('(syntax-error make-point "Wrong number of arguments" ((filename . "config.scm") '
         '(line . 3) (column . 20)) (make-point 1 2) #f)')


def test_and_let_star_clause_that_is_not_a_clause():
    assert fail("(use-modules (srfi srfi-2))\n(and-let* ((x 1) 2) x)").splitlines() == [
        "config.scm:2:1: error: and-let*: Bad clause in subform 2 of (and-let* ((x 1) 2) x)",
        "hint: a clause is (VAR EXPR), (EXPR) or VAR, not 2"]


def test_set_through_a_keyword():
    assert fail("(set! (quote x) 1)").splitlines() == [
        "config.scm:1:7: error: quote: bad syntax in form quote",
        "hint: quote is syntax, so (set! (quote ...) VALUE) has no setter to call"]


def test_get_pattern_without_identifier():
    assert fail("(use-modules (ice-9 match))\n(match '(1 . 2) (((get! 3) . b) b))") == \
        "config.scm:2:17: error: bad match pattern (get! IDENTIFIER)"


def test_condition_missing_a_field():
    assert fail("(use-modules (srfi srfi-35))\n"
                "(define t (make-condition-type 'x &condition '(a b)))\n"
                "(condition (t (a 1)))").splitlines() == [
        "config.scm:3:1: error: field not specified b",
        "hint: give every field of x: a b"]


def test_an_improper_constructor_spec_is_refused_not_cut_short():
    assert fail(SRFI9 + "(define-record-type t (make-t . x) t? (x t-x))").splitlines() == [
        ("config.scm:2:23: error: define-record-type: invalid constructor spec in subform "
         "(make-t . x) of (define-record-type t (make-t . x) t? (x t-x))"),
        "hint: write the constructor as (MAKE-NAME FIELD ...)"]


def test_a_cyclic_hash_key_is_hashed_in_bounded_time():
    assert write_string(value("(define v (make-vector 2)) (vector-fill! v v)\n"
                              "(define t (make-hash-table)) (hash-set! t v 'found)\n"
                              "(list (hash-ref t v) (hash v 1))")) == "(found 0)"
    assert write_string(value("(define l (list 1 2)) (set-cdr! (cdr l) l)\n"
                              "(define t (make-hash-table)) (hash-set! t l 'found)\n"
                              "(hash-ref t l)")) == "found"
