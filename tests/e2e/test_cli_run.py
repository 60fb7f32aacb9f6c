"""`vsys run` and `vsys eval` as a person types them."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from support.cli import run_vsys
from support.paths import REPO


def vsys(*args, cwd=None, env=None):
    full_env = dict(os.environ)
    full_env.pop("VSYS_LOAD_PATH", None)
    full_env.update(env or {})
    return run_vsys(*args, cwd=cwd, env=full_env, timeout=60)


def test_run_prints_output_and_exits_zero(tmp_path: Path):
    prog = tmp_path / "hello.scm"
    prog.write_text('(display "hello, ") (write "world") (newline)\n')
    r = vsys("run", str(prog))
    assert (r.returncode, r.stdout, r.stderr) == (0, 'hello, "world"\n', "")


def test_run_uncaught_error_is_located_and_exits_one(tmp_path: Path):
    prog = tmp_path / "bad.scm"
    prog.write_text('(display "before")\n(newline)\n  (car (list))\n')
    r = vsys("run", str(prog))
    assert r.returncode == 1
    assert r.stdout == "before\n"
    assert r.stderr == (f"{prog}:3:3: error: car: wrong type argument in position 1 "
                        f"(expecting pair): ()\n")


def test_run_passes_arguments_to_command_line(tmp_path: Path):
    prog = tmp_path / "args.scm"
    prog.write_text("(write (cdr (command-line)))")
    r = vsys("run", str(prog), "a", "--b")
    assert r.stdout == '("a" "--b")'


def test_run_debug_adds_scheme_and_python_backtraces(tmp_path: Path):
    prog = tmp_path / "bad.scm"
    prog.write_text("(define (f x) (car x))\n(define (g) (f 5) 1)\n(g)\n")
    r = vsys("run", "--debug", str(prog))
    assert r.returncode == 1
    assert "Traceback (most recent call last)" in r.stderr
    assert "Scheme backtrace (innermost last):" in r.stderr
    assert f"{prog}:2:13: in f" in r.stderr
    assert r.stderr.rstrip().endswith(f"{prog}:3:1: in g") or f"{prog}:3:1: in g" in r.stderr


def test_run_with_load_path_option(tmp_path: Path):
    (tmp_path / "lib" / "my").mkdir(parents=True)
    (tmp_path / "lib" / "my" / "util.scm").write_text(
        "(define-module (my util) #:export (twice))\n(define (twice x) (* 2 x))\n")
    prog = tmp_path / "main.scm"
    prog.write_text("(use-modules (my util))\n(display (twice 21))\n")
    r = vsys("run", "-L", str(tmp_path / "lib"), str(prog))
    assert (r.returncode, r.stdout) == (0, "42")


def test_run_missing_file():
    r = vsys("run", "/nonexistent/x.scm")
    assert (r.returncode, r.stderr) == (2, "vsys run: no such file: /nonexistent/x.scm\n")


def test_a_directory_is_not_a_program(tmp_path: Path):
    for command in ("run", "repl", "extension-graph", "shepherd-graph"):
        r = vsys(command, str(tmp_path))
        assert (r.returncode, r.stderr) == (
            2, f"vsys {command}: {tmp_path} is a directory, not a Scheme file\n"), command


def test_eval_prints_written_value():
    r = vsys("eval", "(list 1 \"two\" 'three #\\4 (/ 1 3))")
    assert (r.returncode, r.stdout) == (0, '(1 "two" three #\\4 1/3)\n')


def test_eval_error_is_located():
    r = vsys("eval", "(+ 1 undefined-thing)")
    assert r.returncode == 1
    assert r.stderr == "<eval>:1:6: error: unbound variable: undefined-thing\n"


def test_eval_of_a_definition_prints_nothing():
    r = vsys("eval", "(define x 1)")
    assert (r.returncode, r.stdout) == (0, "")


def test_help_lists_commands():
    r = vsys("--help")
    assert r.returncode == 0
    assert "run" in r.stdout and "eval" in r.stdout


def test_version():
    assert vsys("--version").stdout == vsys("version").stdout
    assert vsys("--version").stdout.startswith("vsys ")


@pytest.mark.slow
def test_readme_says_which_commands_take_load_path_and_debug():
    """The README's sentence about -L and --debug is true of every command."""
    readme = (Path(REPO) / "README.md").read_text()
    sentence = readme[readme.index("The commands that evaluate Scheme"):]
    sentence = sentence[:sentence.index("says more")]
    evaluating = {"build", "reconfigure", "container", "run", "eval", "repl",
                  "extension-graph", "shepherd-graph"}
    generations = {"list-generations", "roll-back", "switch-generation",
                   "delete-generations", "gc", "describe"}
    assert all(f"`{c}`" in sentence for c in evaluating - {"extension-graph",
                                                          "shepherd-graph"})
    generations.add("image")          # evaluates a config but loads nothing else
    assert "`image`" in sentence
    for command in sorted(set(re.findall(r"^\| `vsys ([a-z-]+)", readme, re.M))
                          | evaluating | generations):
        out = vsys(command, "--help").stdout
        assert ("-L" in out) == (command in evaluating), command
        assert ("--debug" in out) == (command in evaluating | generations), command


def test_usage_errors_print_a_message_and_exit_two():
    r = vsys("no-such-command")
    assert r.returncode == 2
    assert "No such command 'no-such-command'" in r.stderr
    assert "Traceback" not in r.stderr
    r = vsys("reconfigure")
    assert r.returncode == 2
    assert "Missing argument" in r.stderr


def test_programs_can_import_the_service_library():
    r = vsys("eval", "(begin (use-modules (gnu services virtualization)) "
                     "(libvirt-configuration-tls-port (libvirt-configuration)))")
    assert (r.returncode, r.stdout) == (0, '"16514"\n')
