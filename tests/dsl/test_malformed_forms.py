"""Malformed core forms are located syntax errors, as they are errors in Guile; never
an internal error, never a value."""

from __future__ import annotations

import pytest

from vsys.dsl import api
from vsys.dsl.errors import SchemeError, format_error


def fail(src: str) -> str:
    with pytest.raises(SchemeError) as info:
        api.with_big_stack(api.eval_string, src, None, "config.scm")
    return format_error(info.value)


@pytest.mark.parametrize("src,lines", [
    ("(let ((x)) 3)", [
        "config.scm:1:7: error: let: bad let in form (let ((x)) 3)",
        "hint: the binding (x) is not (NAME VALUE): write it as (let ((x 1) (y 2)) BODY...)"]),
    ("(let* ((x 1) (y)) 3)", [
        "config.scm:1:14: error: source expression failed to match any pattern in form "
        "(let* ((x 1) (y)) 3)",
        "hint: the binding (y) is not (NAME VALUE): write it as (let* ((x 1) (y 2)) BODY...)"]),
    ("(letrec ((x 1) (x 2)) x)", [
        "config.scm:1:16: error: letrec: duplicate bound variable in form "
        "(letrec ((x 1) (x 2)) x)",
        "hint: x is bound twice by one letrec: rename one of them"]),
    ("(letrec* ((f 1) (f 2)) f)", [
        "config.scm:1:17: error: letrec*: duplicate bound variable in form "
        "(letrec* ((f 1) (f 2)) f)",
        "hint: f is bound twice by one letrec*: rename one of them"]),
    ("(case 1\n  ((1) =>))", [
        "config.scm:2:3: error: case: wrong number of receiver expressions in subform "
        "((1) =>) of (case 1 ((1) =>))",
        "hint: => is followed by one expression, the procedure that receives the value"]),
    ("(case 1 ((1) => car cdr))", [
        "config.scm:1:9: error: case: wrong number of receiver expressions in subform "
        "((1) => car cdr) of (case 1 ((1) => car cdr))",
        "hint: => is followed by one expression, the procedure that receives the value"]),
    ("(case-lambda \"doc\" 5)", [
        "config.scm:1:1: error: case-lambda: bad case-lambda in form (case-lambda \"doc\" 5)",
        "hint: 5 is not a clause: each clause is ((ARG ...) BODY ...)"]),
])
def test_malformed_form_is_a_located_syntax_error(src, lines):
    assert fail(src).splitlines() == lines


def test_case_lambda_takes_a_docstring_as_guile_does():
    assert api.eval_string('((case-lambda "doc" ((x) (* x 2)) ((x y) y)) 4)') == 8
