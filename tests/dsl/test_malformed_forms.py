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


@pytest.mark.parametrize("src,first_line", [
    ("(let ((x)) 3)", "config.scm:1:7: error: bad let binding (x)"),
    ("(let* ((x 1) (y)) 3)", "config.scm:1:14: error: bad let* binding (y)"),
    ("(letrec ((x 1) (x 2)) x)", "config.scm:1:1: error: duplicate name in letrec bindings"),
    ("(letrec* ((f 1) (f 2)) f)",
     "config.scm:1:1: error: duplicate name in letrec* bindings"),
    ("(case 1\n  ((1) =>))",
     "config.scm:2:3: error: bad case clause: => takes one receiver expression"),
    ("(case 1 ((1) => car cdr))",
     "config.scm:1:9: error: bad case clause: => takes one receiver expression"),
    ("(case-lambda \"doc\" 5)", "config.scm:1:1: error: bad case-lambda clause"),
])
def test_malformed_form_is_a_located_syntax_error(src, first_line):
    assert fail(src).splitlines()[0] == first_line


def test_case_lambda_takes_a_docstring_as_guile_does():
    assert api.eval_string('((case-lambda "doc" ((x) (* x 2)) ((x y) y)) 4)') == 8
