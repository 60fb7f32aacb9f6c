"""Guile's REPL habits in `vsys repl`: Ctrl-D inside an unfinished entry drops it and
stays; an error opens a new level ([N] in the prompt) that ,q or Ctrl-D leaves; ,bt
shows the error of the current level, an interrupt included."""

from __future__ import annotations

import time

import pexpect
from repl_driver import enter, leave, prompt_at, start_repl


def test_ctrl_d_inside_an_unfinished_entry_drops_it_and_stays(state_dir):
    repl = start_repl(state_dir)
    assert enter(repl, "(define z 1)") == ""
    repl.sendline("(+ 1")
    repl.expect_exact("... ")
    repl.sendeof()
    repl.expect_exact(prompt_at(0))
    assert repl.before.replace("\r\n", "\n").strip() == (
        "While reading the entry (Ctrl-D ended it; it is discarded):\n"
        "<repl>:1:1: error: missing ')' for the list opened here\n"
        "hint: the input ended at 1:5 with this one still open")
    assert enter(repl, "z").strip() == "$1 = 1"
    repl.sendeof()                          # on an empty prompt: leave
    repl.expect(pexpect.EOF)
    repl.close()
    assert repl.exitstatus == 0
