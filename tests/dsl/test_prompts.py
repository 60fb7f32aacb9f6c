"""Prompts escape as in Guile; resuming the continuation a handler receives is the
documented exclusion (no re-entrant continuations): a clear error, not a wrong value."""

from __future__ import annotations

import pytest

from vsys.dsl import api
from vsys.dsl.errors import SchemeError, format_error


def test_abort_returns_the_handlers_value():
    assert api.eval_string("(let ((t (make-prompt-tag)))"
                           "  (call-with-prompt t (lambda () (* 2 (abort-to-prompt t 5)))"
                           "                      (lambda (k v) (+ v 1))))") == 6


def test_resuming_the_continuation_is_a_clear_error():
    with pytest.raises(SchemeError) as info:
        api.with_big_stack(api.eval_string,
                           "(let ((t (make-prompt-tag)))\n"
                           "  (call-with-prompt t (lambda () (abort-to-prompt t))\n"
                           "                      (lambda (k) (k 1))))", None, "config.scm")
    text = format_error(info.value)
    assert text.splitlines()[0].endswith(
        "error: resuming a prompt's continuation is not supported: vsys has escaping "
        "continuations only")
    assert "hint: use the handler's other arguments, not the continuation" in text
