"""Prompts as in Guile: an abort's continuation resumes the prompt's body once, wherever
it is called; resuming it a second time is the documented exclusion (no re-entrant
continuations): a clear, located error, not a wrong value."""

from __future__ import annotations

import threading

import pytest

from vsys.dsl import api
from vsys.dsl.errors import SchemeError, format_error


def test_abort_returns_the_handlers_value():
    assert api.eval_string("(let ((t (make-prompt-tag)))"
                           "  (call-with-prompt t (lambda () (* 2 (abort-to-prompt t 5)))"
                           "                      (lambda (k v) (+ v 1))))") == 6


def test_the_continuation_resumes_the_body_after_the_prompt_returned():
    value = api.with_big_stack(
        api.eval_string,
        "(let* ((t (make-prompt-tag))\n"
        "       (k (call-with-prompt t (lambda () (* 2 (abort-to-prompt t 5)))\n"
        "                              (lambda (k v) k))))\n"
        "  (k 10))", None, "config.scm")
    assert value == 20


def test_resuming_the_continuation_twice_is_a_clear_error():
    with pytest.raises(SchemeError) as info:
        api.with_big_stack(api.eval_string,
                           "(let ((t (make-prompt-tag)))\n"
                           "  (call-with-prompt t (lambda () (abort-to-prompt t))\n"
                           "                      (lambda (k) (k 1) (k 2))))", None,
                           "config.scm")
    first = format_error(info.value).splitlines()[0]
    assert first.startswith("config.scm:3:")
    assert first.endswith(
        "error: this prompt's continuation was already resumed: vsys resumes a continuation "
        "once (re-entering it again would need a copy of its stack)")


def test_a_dropped_continuation_leaves_no_thread_behind():
    before = threading.active_count()
    api.with_big_stack(api.eval_string,
                       "(let loop ((i 0))\n"
                       "  (when (< i 50)\n"
                       "    (call-with-prompt 'p (lambda () (dynamic-wind (lambda () #f)\n"
                       "                                       (lambda () (abort-to-prompt 'p))\n"
                       "                                       (lambda () #f)))\n"
                       "                      (lambda (k) i))\n"
                       "    (loop (+ i 1))))", None, "config.scm")
    assert threading.active_count() <= before + 1
