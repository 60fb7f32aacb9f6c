"""Driving `vsys repl` in a pseudo-terminal, as a person at a keyboard would."""

from __future__ import annotations

import os
import sys
import time

import pexpect
from support.paths import REPO as ROOT

PROMPT = r"vsys@\(vsys-user\)(?: \[\d+\])?> "     # at any error level


def prompt_at(level: int) -> str:
    """The exact prompt at error LEVEL (0: the top level)."""
    return "vsys@(vsys-user)" + (f" [{level}]" if level else "") + "> "


def start_repl(state_dir, *args: str, timeout: float = 20) -> pexpect.spawn:
    """`vsys repl ARGS` in a pty, waiting at its first prompt."""
    env = dict(os.environ, VSYS_STATE_DIR=str(state_dir), TERM="dumb", COLUMNS="200")
    child = pexpect.spawn(sys.executable, ["-m", "vsys", "repl", *args], env=env, cwd=ROOT,
                          encoding="utf-8", timeout=timeout, dimensions=(50, 200))
    child.expect(PROMPT)
    return child


def enter(child: pexpect.spawn, line: str) -> str:
    """Type LINE and Enter; return everything printed before the next prompt."""
    child.sendline(line)
    child.expect(PROMPT)
    return _without_echo(child.before, line)


def _without_echo(text: str, line: str) -> str:
    text = text.replace("\r\n", "\n")
    return text[len(line):].lstrip("\n") if text.startswith(line) else text


def leave(child: pexpect.spawn) -> None:
    """,quit at each error level, back to the top, and there out of the REPL."""
    child.sendline(",quit")
    while child.expect([PROMPT, pexpect.EOF]) == 0:
        child.sendline(",quit")
    child.close()
    assert child.exitstatus == 0


def interrupt(child: pexpect.spawn, line: str, prompt: str, wait: float = 0.5) -> str:
    """Type LINE, press Ctrl-C WAIT seconds later; what is printed before PROMPT, the
    exact prompt expected next."""
    child.sendline(line)
    time.sleep(wait)
    child.sendintr()
    child.expect_exact(prompt)
    return _without_echo(child.before, line).replace("^C", "", 1)   # the terminal's echo
