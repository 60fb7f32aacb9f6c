"""Stacks and frames read from the calls in progress, and the first-class module API's
errors.  (Guile's interpreter names its own frames differently, so what a stack holds is
checked here rather than against a recording of Guile.)"""

from __future__ import annotations

import textwrap

import pytest
from support.files import write
from support.scheme import run_file

from vsys.dsl import api
from vsys.dsl.datatypes import Symbol
from vsys.dsl.modules import existing_module

FRAMES = """\
(use-modules (system vm frame))
(define (frames stack)
  (let lp ((i 0))
    (if (< i (stack-length stack)) (cons (stack-ref stack i) (lp (+ i 1))) '())))
"""


def run(tmp_path, text: str) -> tuple[int, str, str]:
    return run_file(write(tmp_path / "prog.scm", FRAMES + textwrap.dedent(text)))


def test_a_stack_holds_the_calls_in_progress_innermost_first(tmp_path):
    status, out, err = run(tmp_path, """\
        (define (inner a b) (list (make-stack #t)))
        (define (outer n) (car (inner n (* n 2))))
        (define s (outer 5))
        (write (map frame-call-representation (list-head (frames s) 2)))
        (newline)
        (write (frame-procedure-name (stack-ref s 1)))
        (write (frame-arguments (stack-ref s 1)))
        """)
    assert (status, err) == (0, "")
    # outer's frame is not there: its call of inner is not a tail call, but car's is,
    # and car's arguments were still being evaluated
    assert out == "((make-stack #t) (inner 5 10))\ninner(5 10)"


def test_a_tail_call_replaces_its_callers_frame(tmp_path):
    status, out, _ = run(tmp_path, """\
        (define (inner x) (make-stack #t))
        (define (caller x) (inner (+ x 1)))
        (define (outermost) (list (caller 1)))
        (write (map frame-procedure-name (list-head (frames (car (outermost))) 2)))
        (define (not-tail x) (list (make-stack #t)))
        (write (map frame-procedure-name (list-head (frames (car (not-tail 1))) 2)))
        """)
    # inner's call of make-stack and caller's of inner are tail calls: their frames
    # are gone, as in Guile
    assert (status, out) == (0, "(make-stack outermost)(make-stack not-tail)")


def test_frames_through_apply_and_primitives_calling_back(tmp_path):
    status, out, _ = run(tmp_path, """\
        (define (f x) (list (apply make-stack '(#t))))
        (define result (map f '(7)))
        (write (map frame-call-representation
                    (list-head (frames (car (car result))) 3)))
        """)
    assert status == 0
    assert out.startswith("((make-stack #t) (f 7) (map #<procedure f (x)> (7)))")


def test_trimming_by_count_and_by_procedure(tmp_path):
    status, out, _ = run(tmp_path, """\
        (define (inner-stack x) (list (make-stack #t 1)))
        (define (outer-stack) (list (inner-stack 1)))
        (write (frame-procedure-name (stack-ref (car (car (outer-stack))) 0)))
        (define (by-proc) (list (make-stack #t by-proc)))
        (define (calls-by-proc) (list (by-proc)))
        (write (frame-procedure-name (stack-ref (car (car (calls-by-proc))) 0)))
        """)
    assert (status, out) == (0, "inner-stackby-proc")


def test_start_stack_cuts_the_stack_there(tmp_path):
    status, out, _ = run(tmp_path, """\
        (define (deep n) (if (= n 0) (list (make-stack #t)) (list (car (deep (- n 1))))))
        (define (deeper) (list (start-stack 'here (car (deep 3)))))
        (define s (car (deeper)))
        (write (map frame-procedure-name (frames s)))
        (write (stack-id s))
        """)
    assert (status, out) == (0, "(make-stack deep deep deep deep)here")


def test_display_backtrace_writes_one_call_a_line(tmp_path):
    status, out, _ = run(tmp_path, """\
        (define (g x) (display-backtrace (make-stack #t) (current-output-port) 0 2))
        (define (h) (list (g 'arg)))
        (h)
        """)
    assert (status, out) == (0, "0 (make-stack #t)\n1 (g arg)\n")


def test_stack_ref_out_of_range_is_a_located_error(tmp_path):
    status, _, err = run(tmp_path, """\
        (define s (make-stack #t))
        (stack-ref s 99)
        """)
    assert status != 0
    assert "prog.scm:6:1" in err and "stack-ref" in err and "out of range" in err.lower()


def test_module_ref_of_a_missing_name_says_which_module(tmp_path):
    status, _, err = run(tmp_path, """\
        (define m (make-module))
        (module-ref m 'nothing-here)
        """)
    assert status != 0
    assert "prog.scm:6:1" in err
    assert "no variable named nothing-here in #<module" in err
    assert "module-ref takes a default value" in err


def test_module_api_refuses_what_is_not_a_module(tmp_path):
    status, _, err = run(tmp_path, "(module-define! 'not-a-module 'x 1)\n")
    assert status != 0
    assert "prog.scm:5:1" in err and "module-define!" in err and "module" in err


def test_resolve_module_of_a_broken_file_reports_that_file(tmp_path):
    write(tmp_path / "lib" / "broken" / "mod.scm", "(define-module (broken mod))\n(car '())\n")
    status, _, err = run(tmp_path, f"""\
        (add-to-load-path "{tmp_path / 'lib'}")
        (resolve-module '(broken mod))
        """)
    assert status != 0
    assert "mod.scm:2:1" in err and "car" in err


def test_a_module_made_at_run_time_is_imported_by_use_modules(tmp_path):
    status, out, err = run(tmp_path, """\
        (define m (resolve-module '(made at runtime)))
        (beautify-user-module! m)
        (eval '(begin (define (twice x) (* 2 x)) (export twice)) m)
        (use-modules (made at runtime))
        (write (twice 21))
        """)
    assert (status, out, err) == (0, "42", "")


def test_catch_shows_as_guile_defines_it(tmp_path):
    """Guile's catch is a tail call of with-exception-handler: its frame is that call."""
    status, out, _ = run(tmp_path, """\
        (define s (car (catch 'k (lambda () (list (make-stack #t))) (lambda _ #f))))
        (write (map frame-procedure-name (list-head (frames s) 3)))
        (write (list-tail (frame-call-representation (stack-ref s 2)) 3))
        """)
    assert (status, out) == (0, "(make-stack #f with-exception-handler)"
                                "(#:unwind? #t #:unwind-for-type k)")


def test_a_stack_inside_a_prompt_goes_on_outside_it(tmp_path):
    status, out, _ = run(tmp_path, """\
        (define tag (make-prompt-tag))
        (define (body) (list (make-stack #t)))
        (define (outside) (list (call-with-prompt tag body (lambda (k) #f))))
        (define s (car (car (outside))))
        (write (map frame-procedure-name (list-head (frames s) 4)))
        (write (map frame-procedure-name (frames (make-stack (stack-ref s 0) 0 tag))))
        """)
    # the prompt's frame, then the call of outside around it; cut at the prompt, the
    # frames inside it
    assert (status, out) == (0, "(make-stack body call-with-prompt outside)"
                                "(make-stack body)")


def test_a_with_throw_handler_handler_sees_the_frames_of_the_raise(tmp_path):
    if "with-throw-handler" not in _core_names():
        pytest.skip("with-throw-handler comes with the exception handlers' own work")
    status, out, _ = run(tmp_path, """\
        (define (fails x) (list (vector-ref x 10)))
        (define s #f)
        (catch #t
          (lambda ()
            (with-throw-handler #t
              (lambda () (fails (vector 1 2)))
              (lambda args (set! s (make-stack #t)))))
          (lambda args #f))
        (write (map frame-call-representation (list-head (frames s) 1)))
        (write (and (member '(vector-ref #(1 2) 10) (map frame-call-representation (frames s)))
                    #t))
        """)
    assert (status, out) == (0, "((make-stack #t))#t")


def _core_names() -> set:
    api.boot()
    return {s.name for s in existing_module(("guile",)).bindings if isinstance(s, Symbol)}
