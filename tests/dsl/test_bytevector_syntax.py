"""A #vu8 literal with a byte out of range is Guile's out-of-range error, located at
the byte, and the forms before it have run (a file runs form by form)."""

from __future__ import annotations

import os
from pathlib import Path

from support.cli import run_vsys


def test_a_byte_out_of_range_is_located_after_the_forms_before_it(tmp_path: Path):
    prog = tmp_path / "bytes.scm"
    prog.write_text('(display "before")\n(newline)\n(define x #vu8(1 300))\n(display "after")\n')
    env = dict(os.environ, VSYS_STATE_DIR=str(tmp_path / "state"))
    r = run_vsys("run", str(prog), cwd=tmp_path, env=env, timeout=60)
    assert (r.returncode, r.stdout) == (1, "before\n")
    assert r.stderr == (f"{prog}:3:18: error: a bytevector holds exact integers from 0 to "
                        "255, not 300\n")


def test_a_byte_out_of_range_is_caught_as_out_of_range(tmp_path: Path):
    prog = tmp_path / "catch.scm"
    prog.write_text('(write (catch (quote out-of-range)\n'
                    '  (lambda () (with-input-from-string "#vu8(7 -1)" read))\n'
                    '  (lambda (key . args) args)))\n')
    env = dict(os.environ, VSYS_STATE_DIR=str(tmp_path / "state"))
    r = run_vsys("run", str(prog), cwd=tmp_path, env=env, timeout=60)
    assert (r.returncode, r.stdout, r.stderr) == (
        0, '("bytevector-u8-set!" "Value out of range: ~S" (-1) (-1))', "")
