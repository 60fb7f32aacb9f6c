"""Malformed dynamic-binding and handler forms fail with a located error and a hint, in
Guile's words where a program can see them (the text `catch` hands its handler)."""

from __future__ import annotations

import pytest

from vsys.dsl import api
from vsys.dsl.errors import SchemeError, format_error
from vsys.dsl.printer import write_string


def error_text(source: str) -> str:
    with pytest.raises(SchemeError) as info:
        api.with_big_stack(api.eval_string, source, None, "config.scm")
    return format_error(info.value)


@pytest.mark.parametrize("form, what", [
    ("(with-fluids ((f 1)))", "with-fluids takes bindings and a body"),
    ("(with-fluids (f) #f)", "bad with-fluids bindings"),
    ("(with-fluids ((f)) #f)", "bad with-fluids bindings"),
    ("(with-fluids ((f 1 2)) #f)", "bad with-fluids bindings"),
    ("(parameterize ((p)) 1)", "bad parameterize bindings"),
    ("(parameterize)", "parameterize takes bindings and a body"),
])
def test_malformed_binding_forms_are_located_with_a_hint(form, what):
    name = form[1:].split()[0].rstrip(")")
    text = error_text(f"(define f (make-fluid))\n(define p (make-parameter 1))\n  {form}")
    lines = text.splitlines()
    assert lines[0] == (f"config.scm:3:3: error: source expression failed to match any "
                        f"pattern in form {form}")
    assert lines[1].startswith(f"hint: {what}: write ({name} ((")


def test_a_program_sees_guiles_message_for_a_malformed_with_fluids():
    assert api.with_big_stack(
        api.eval_string,
        "(define a (make-fluid))\n"
        "(catch 'syntax-error\n"
        "  (lambda () (eval '(with-fluids ((a)) #f) (interaction-environment)))\n"
        "  (lambda (key who message . rest)\n"
        "    (and (string-contains message \"failed to match\") #t)))",
        None, "config.scm") is True


@pytest.mark.parametrize("call, who, position", [
    ("(with-throw-handler 5 (lambda () 1) (lambda args 2))", "with-throw-handler", 1),
    ("(catch \"a\" (lambda () 1) (lambda args 2))", "catch", 1),
    ("(catch 'a (lambda () 1) 2)", "catch", 3),
    ("(catch 'a (lambda () 1) (lambda args 2) 'pre)", "catch", 4),
    ("(throw #t)", "throw", 1),
    ("(with-exception-handler 5 (lambda () 1))", "with-exception-handler", 1),
])
def test_handler_procedures_check_their_arguments(call, who, position):
    first = error_text(call).splitlines()[0]
    assert first.startswith(
        f"config.scm:1:1: error: {who}: wrong type argument in position {position}")


def test_a_stack_overflow_is_caught_as_guile_throws_it():
    """Guile throws `stack-overflow` when the stack is exhausted; catch, guard and an
    unwinding handler take it once the stack unwound to them, and the program goes on."""
    assert write_string(api.with_big_stack(
        api.eval_string,
        "(define (deep n) (+ 1 (deep (+ n 1))))\n"
        "(define caught (catch #t (lambda () (deep 0)) (lambda (key . args) key)))\n"
        "(define handled (with-exception-handler\n"
        "                  (lambda (e) (exception-kind e))\n"
        "                  (lambda () (deep 0))\n"
        "                  #:unwind? #t))\n"
        "(list caught handled (+ 1 2))", None, "config.scm")) == (
        "(stack-overflow stack-overflow 3)")


def test_an_uncaught_stack_overflow_inside_a_catch_of_another_key_is_reported():
    text = error_text("(define (deep n) (+ 1 (deep (+ n 1))))\n"
                      "(catch 'other (lambda () (deep 0)) (lambda args 'no))")
    lines = text.splitlines()
    assert lines[0] == "config.scm:1:23: error: stack overflow: the program recursed too deeply"
    assert lines[1].startswith("hint: the program was ")


@pytest.mark.parametrize("form, message", [
    ("(define-exception-type &e &error make-e e? (field))",
     "bad define-exception-type field: write (FIELD ACCESSOR)"),
    ("(define-exception-type &e &error \"make-e\" e?)",
     "bad define-exception-type: TYPE, CONSTRUCTOR and PREDICATE are names"),
])
def test_malformed_define_exception_type_is_located(form, message):
    lines = error_text(f"(use-modules (ice-9 exceptions))\n{form}").splitlines()
    assert lines[0] == f"config.scm:2:1: error: {message}"


def test_an_exception_constructor_checks_its_field_count():
    first = error_text("(use-modules (ice-9 exceptions))\n"
                       "(define-exception-type &e &error make-e e? (a e-a))\n"
                       "(make-e 1 2)").splitlines()[0]
    assert first.startswith("config.scm:3:1: error: make-e: wrong type argument")
