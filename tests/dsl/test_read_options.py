"""Read options change what the rest of a file reads as, as in Guile, where each form is
read when it is reached; bad uses of them are located errors."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from support.scheme import run_file


def run(path: Path, text: str) -> tuple[int, str, str]:
    path.write_text(textwrap.dedent(text))
    return run_file(path)


def test_install_r7rs_changes_how_the_rest_of_the_file_reads(tmp_path):
    status, out, err = run(tmp_path / "f.scm", """\
        (write (list "\\x41;" '(|a b|)))
        (install-r7rs!)
        (write (list "\\x41;" '|a b|))
        """)
    assert (status, err) == (0, "")
    assert out == '("A;" (|a b|))("A" #{a b}#)'


def test_an_error_after_a_reread_is_located_in_the_whole_file(tmp_path):
    f = tmp_path / "f.scm"
    status, out, err = run(f, """\
        (display "one")
        (install-r7rs!)
        \t(display "two")
          (display "\\x41")
        """)
    assert status == 1
    assert out == "onetwo"
    # the \x escape now wants hex digits and ';', and the string ends first
    assert err.startswith(f"{f}:4:13: error: invalid character in escape sequence: #\\\"\n")
    assert "hint: with r6rs-hex-escapes, \\x takes hex digits ended by ';'" in err


def test_read_set_keywords_applies_from_the_next_form(tmp_path):
    status, out, err = run(tmp_path / "f.scm", """\
        (write (keyword? 'foo:))
        (read-set! keywords 'postfix)
        (write (list (keyword? foo:) 'bar:))
        """)
    assert (status, out, err) == (0, "#f(#t #:bar)", "")


def test_fold_case_directive_in_a_file(tmp_path):
    status, out, err = run(tmp_path / "f.scm", """\
        (define abc 1)
        #!fold-case
        (write (list ABC 'XyZ #\\A "Str"))
        #!no-fold-case
        (write 'XyZ)
        """)
    assert (status, err) == (0, "")
    assert out == '(1 xyz #\\A "Str")XyZ'


def test_each_program_starts_with_the_default_options(tmp_path):
    run(tmp_path / "a.scm", "(install-r7rs!) (read-set! keywords 'prefix)\n")
    status, out, err = run(tmp_path / "b.scm", "(write (list '(|a :k) (read-options)))\n")
    assert (status, err) == (0, "")
    assert out == "((|a :k) (square-brackets keywords #f positions))"


ERRORS = [
    # text, output before the error, the error's first line (after FILE:), a hint
    ('(display "a")\n(read-set! bogus 1)\n', "a", "2:1: error: Unknown option name: bogus",
     "hint: read options: copy positions case-insensitive keywords"),
    ("\n(read-set! keywords 'sideways)\n", "",
     "2:1: error: Unknown keyword style: sideways",
     "hint: keyword styles: #f (only #:key), prefix (:key), postfix (key:)"),
    ("(read-set! \"keywords\" 'postfix)\n", "",
     "1:1: error: bad read-set!: name the option, as in (read-set! keywords 'postfix)", ""),
    ("(install-r7rs!)\n(display 'ok)\n(display '|abc)\n", "ok",
     "3:11: error: unterminated |symbol|: no closing '|' for the one here",
     "hint: with the r7rs-symbols read option, |...| writes a symbol"),
]


@pytest.mark.parametrize("text,before,first_line,hint", ERRORS, ids=range(len(ERRORS)))
def test_bad_read_options_and_syntax_are_located_errors(tmp_path, text, before,
                                                        first_line, hint):
    f = tmp_path / "f.scm"
    f.write_text(text)
    status, out, err = run_file(f)
    assert (status, out) == (1, before)
    assert err.startswith(f"{f}:{first_line}\n")
    assert hint in err
