"""The `vsys` command as a person runs it: this Python, `-m vsys`, output captured."""

from __future__ import annotations

import subprocess
import sys

VSYS = [sys.executable, "-m", "vsys"]


def run_vsys(*args, env: dict | None = None, cwd: str | None = None, timeout: float = 120,
             input: str | None = None) -> subprocess.CompletedProcess:
    """`vsys ARGS...` to its end: its exit status, stdout and stderr as text."""
    return subprocess.run(VSYS + [str(a) for a in args], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=timeout, input=input)
