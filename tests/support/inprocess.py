"""`vsys` run inside the test's own process: the same entry point the installed command
calls, with the environment, working directory, argv and standard streams it would have
had as a process, and its exit status, stdout and stderr returned as `subprocess.run`
returns them.

This saves the interpreter's start-up and the imports of every run (most of what a
short `vsys reconfigure` costs), so the tests of what a command prints run in process.
What only a process shows stays in subprocess tests: dying on a signal or at a crash
point (os._exit), an interrupt, a lock held by another process, the start-up cost."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys

from vsys.__main__ import main
from vsys.dsl.loader import set_load_path


@contextlib.contextmanager
def _as_a_process(env: dict, cwd: str | None, argv: list[str], out, err):
    saved_env, saved_cwd, saved_argv = dict(os.environ), os.getcwd(), sys.argv
    os.environ.clear()
    os.environ.update(env)
    try:
        if cwd:
            os.chdir(cwd)
        sys.argv = argv
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            yield
    finally:
        sys.argv = saved_argv
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
        set_load_path([])         # a config's directory is not the next run's load path


def run_vsys_in_process(*args, env: dict, cwd: str | None = None) -> subprocess.CompletedProcess:
    """`vsys ARGS...` as `support.cli.run_vsys` runs it, in this process."""
    argv = ["vsys", *(str(a) for a in args)]
    out, err = io.StringIO(), io.StringIO()
    status = 0
    with _as_a_process(env, cwd, argv, out, err):
        try:
            main()
        except SystemExit as e:
            status = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    return subprocess.CompletedProcess(argv, status, out.getvalue(), err.getvalue())
