"""A file runs form by form, as in Guile: the forms before a read error run, the error
is located, and nothing after it runs.  Old-style module options, a declared source
coding and the Guile modules vsys writes in Scheme load as in Guile."""

from __future__ import annotations

import textwrap
from pathlib import Path

from support.scheme import run_file

from vsys.dsl.loader import set_load_path


def run(path: Path, text: str | bytes) -> tuple[int, str, str]:
    if isinstance(text, str):
        path.write_text(textwrap.dedent(text))
    else:
        path.write_bytes(text)
    return run_file(path)


def test_forms_before_a_read_error_run_and_the_error_stops_the_rest(tmp_path):
    status, out, err = run(tmp_path / "f.scm", """\
        (display "before")
        (newline)
        (display '(a #<bad))
        (display "after")
        """)
    assert status == 1
    assert out == "before\n"
    assert err.startswith(f"{tmp_path / 'f.scm'}:3:14: error: unknown # syntax: #<bad")
    assert "after" not in out


def test_an_unclosed_list_still_runs_what_precedes_it(tmp_path):
    status, out, err = run(tmp_path / "f.scm", '(display "ok")\n(display (+ 1 2)\n')
    assert status == 1
    assert out == "ok"
    assert ":2:1: error:" in err


def test_a_declared_latin1_coding_is_honoured(tmp_path):
    text = ';; -*- coding: iso-8859-1 -*-\n(display (string-length "\xe9t\xe9"))\n'
    status, out, err = run(tmp_path / "f.scm", text.encode("latin-1"))
    assert (status, out, err) == (0, "3", "")


def test_undeclared_bytes_that_are_not_utf8_are_a_located_error(tmp_path):
    status, out, err = run(tmp_path / "f.scm", b'(display "ok")\n(display "\xe9")\n')
    assert status == 1
    assert out == ""
    assert err.startswith(f"{tmp_path / 'f.scm'}:2:11: error: invalid UTF-8 byte 0xe9")


def test_old_style_module_options_are_accepted(tmp_path):
    status, out, err = run(tmp_path / "f.scm", """\
        (define-module (test old-style)
          :use-module ((srfi srfi-1) :select (fold))
          :export (total))
        (define (total l) (fold + 0 l))
        (display (total '(1 2 3)))
        """)
    assert (status, out, err) == (0, "6", "")


def test_guile_modules_written_in_scheme_import(tmp_path):
    status, out, err = run(tmp_path / "f.scm", """\
        (use-modules (srfi srfi-6) (srfi srfi-31) (ice-9 copy-tree)
                     (ice-9 documentation) (system base compile))
        (define (doc) "the doc" 1)
        (let ((p (open-output-string)))
          (write (list ((rec (f n) (if (= n 0) 1 (* n (f (- n 1))))) 5)
                       (copy-tree '(1 #(2 (3))))
                       (object-documentation doc)
                       (compile '(+ 1 2) #:to 'value))
                 p)
          (display (get-output-string p)))
        """)
    assert (status, out, err) == (0, '(120 (1 #(2 (3))) "the doc" 3)', "")


def test_include_from_path_finds_the_file_on_the_load_path(tmp_path):
    (tmp_path / "lib" / "parts").mkdir(parents=True)
    (tmp_path / "lib" / "parts" / "more.scm").write_text("(define more 42)\n")
    set_load_path([str(tmp_path / "lib")])
    try:
        status, out, err = run(tmp_path / "f.scm", """\
            (include-from-path "parts/more.scm")
            (display more)
            (include-from-path "parts/none.scm")
            """)
    finally:
        set_load_path([])
    assert (status, out) == (1, "42")
    assert err.splitlines()[0] == (f"{tmp_path / 'f.scm'}:3:1: error: no such file to "
                                   "include on the load path: parts/none.scm")
