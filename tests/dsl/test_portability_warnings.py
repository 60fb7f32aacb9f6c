"""vsys warns where it accepts what Guile needs an import for (format's (ice-9 format)
directives, guard and raise), naming the module, once per file and name."""

from __future__ import annotations

from pathlib import Path

from support.files import write
from support.scheme import run_file


def run(path: Path, text: str) -> tuple[int, str, str]:
    return run_file(write(path, text))


def test_warnings_name_the_module_guile_needs(tmp_path):
    f = tmp_path / "config.scm"
    status, out, err = run(f, """\
        (display (format #f "~a ~s ~~~%" 1 "x"))
        (display (format #f "~,2f" 1.5))
        (display (format #f "~:d" 1234))
        (display (guard (e (#t 'caught)) (raise 'x)))
        """)
    assert status == 0
    assert out == '1 "x" ~\n1.501,234caught'
    assert err.splitlines() == [
        f"{f}:2:10: warning: format directive ~,2f needs (use-modules (ice-9 format)) in "
        "Guile; vsys accepts it without, Guix would not",
        f"{f}:4:10: warning: guard needs (use-modules (srfi srfi-34)) in Guile; vsys "
        "accepts it without, Guix would not",
        f"{f}:4:34: warning: raise needs (use-modules (srfi srfi-34)) in Guile; vsys "
        "accepts it without, Guix would not",
    ]


def test_no_warning_once_the_modules_are_imported(tmp_path):
    status, out, err = run(tmp_path / "config.scm", """\
        (use-modules (ice-9 format) (srfi srfi-34))
        (display (format #f "~,2f" 1.5))
        (display (guard (e (#t 'caught)) (raise 'x)))
        """)
    assert (status, out, err) == (0, "1.50caught", "")


def test_a_programs_own_raise_is_not_warned_about(tmp_path):
    status, out, err = run(tmp_path / "config.scm", """\
        (define (raise x) (list 'raised x))
        (display (raise 1))
        """)
    assert (status, out, err) == (0, "(raised 1)", "")
