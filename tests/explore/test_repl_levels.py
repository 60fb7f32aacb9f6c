"""Guile's REPL habits in `vsys repl`: Ctrl-D inside an unfinished entry drops it and
stays; an error opens a new level ([N] in the prompt) that ,q or Ctrl-D leaves; ,bt
shows the error of the current level, an interrupt included."""

from __future__ import annotations

import re

import pexpect
from repl_driver import enter, interrupt, leave, prompt_at, start_repl


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


def after(repl, line: str, prompt: str) -> str:
    """Type LINE; what is printed before PROMPT, which must be the exact next prompt."""
    repl.sendline(line)
    repl.expect_exact(prompt)
    text = repl.before.replace("\r\n", "\n")
    return text[len(line):].strip("\n") if text.startswith(line) else text.strip("\n")


ENTERING = "Entering a new prompt.  Type ,bt for a backtrace or ,q to continue."


def test_errors_open_levels_that_q_and_ctrl_d_leave(state_dir):
    repl = start_repl(state_dir)
    assert after(repl, "(define z 1)", prompt_at(0)) == ""
    assert after(repl, "(car 1)", prompt_at(1)) == (
        "<repl>:1:1: error: car: wrong type argument in position 1 (expecting pair): 1\n"
        + ENTERING)
    assert after(repl, "(vector-ref (vector) 5)", prompt_at(2)).endswith(ENTERING)
    assert "vector-ref" in after(repl, ",bt", prompt_at(2))     # the error of level 2
    assert after(repl, "(+ z 1)", prompt_at(2)) == "$1 = 2"       # state is kept
    assert after(repl, ",q", prompt_at(1)) == ""
    bt = after(repl, ",bt", prompt_at(1))
    assert bt.startswith("<repl>:1:1: error: car: wrong type") and "vector-ref" not in bt
    repl.sendeof()                                   # Ctrl-D also goes back one level
    repl.expect_exact(prompt_at(0))
    assert after(repl, ",bt", prompt_at(0)) == (
        "no error at this level: ,bt shows the error that opened the current level "
        "([N] in the prompt)")
    assert after(repl, "(car 2)", prompt_at(1)).endswith(ENTERING)
    assert after(repl, ",quit", prompt_at(0)) == ""
    assert after(repl, "$1", prompt_at(0)) == "$2 = 2"
    # A read error is not an evaluation error: no new level, as in Guile.
    assert after(repl, ")", prompt_at(0)).startswith("<repl>:1:1: error:")
    leave(repl)                                      # ,quit at the top level leaves


def test_bt_after_ctrl_c_shows_where_the_evaluation_was_stopped(state_dir, tmp_path):
    bad = tmp_path / "bad.scm"
    bad.write_text("(define (f x) (car x))\n(f 5)\n")
    repl = start_repl(state_dir)
    assert after(repl, f",load {bad}", prompt_at(1)).endswith(ENTERING)
    assert "bad.scm" in after(repl, ",bt", prompt_at(1))
    repl.sendline("(define (spin) (let loop () (loop)))")
    repl.expect_exact(prompt_at(1))
    assert interrupt(repl, "(spin)", prompt_at(2)).strip() == "interrupted\n" + ENTERING
    bt = after(repl, ",bt", prompt_at(2))
    assert "bad.scm" not in bt
    lines = bt.splitlines()
    assert lines[0].endswith("error: interrupted (Ctrl-C)")
    assert lines[1] == "Scheme backtrace (innermost last):"
    assert lines[2:] == ["  <repl>:1:1: in spin", "  <repl>:1:29: in loop"]
    assert after(repl, ",q", prompt_at(1)) == ""
    assert "bad.scm" in after(repl, ",bt", prompt_at(1))
    leave(repl)


def test_bt_after_ctrl_c_at_the_top_level(state_dir):
    repl = start_repl(state_dir)
    interrupt(repl, "(let loop () (loop))", prompt_at(1))
    assert after(repl, ",bt", prompt_at(1)).splitlines() == [
        "<repl>:1:14: error: interrupted (Ctrl-C)",
        "Scheme backtrace (innermost last):",
        "  <repl>:1:14: in loop"]
    leave(repl)


def test_use_pp_expand_and_in(state_dir):
    repl = start_repl(state_dir)
    imported = after(repl, ",use", prompt_at(0)).splitlines()
    assert imported[:3] == ["(guile)", "(srfi srfi-1)", "(srfi srfi-9)"]
    assert "(gnu services virtualization)" in imported
    after(repl, ",use (ice-9 rdelim)", prompt_at(0))
    assert after(repl, ",use", prompt_at(0)).splitlines()[-1] == "(ice-9 rdelim)"
    assert after(repl, ",pp '(define (f x) (let ((y 1)) (if (> x y) (list x y x y x y x y) "
                       "(vector 1 2 3 4 5 6 7 8 9 10))))", prompt_at(0)) == (
        "$1 = (define (f x)\n"
        "  (let ((y 1))\n"
        "    (if (> x y)\n"
        "      (list x y x y x y x y)\n"
        "      (vector 1 2 3 4 5 6 7 8 9 10))))")
    assert after(repl, ",pp (+ $2 0)", prompt_at(1)).startswith("<repl>:1:4: error:")
    assert after(repl, ",q", prompt_at(0)) == ""
    after(repl, "(define-syntax swap! (syntax-rules () "
                "((_ a b) (let ((tmp a)) (set! a b) (set! b tmp)))))", prompt_at(0))
    assert after(repl, ",expand (swap! x y)", prompt_at(0)) == \
        "$2 = (let ((tmp x)) (set! x y) (set! y tmp))"
    assert after(repl, ",expand (+ 1 2)", prompt_at(0)) == "$3 = (+ 1 2)"
    assert after(repl, ",expand (let* ((a 1)) a)", prompt_at(0)) == (
        "no expansion to show: let* is a core form of vsys, compiled directly rather "
        "than expanded")
    repl.sendline(",module (my scratch)")
    repl.expect_exact("vsys@(my scratch)> ")
    repl.sendline("(define secret 42)")
    repl.expect_exact("vsys@(my scratch)> ")
    repl.sendline(",module (vsys-user)")
    repl.expect_exact(prompt_at(0))
    assert after(repl, ",in (my scratch) (* secret 2)", prompt_at(0)) == "$4 = 84"
    assert re.fullmatch(r"\$5 = #<directory \(vsys-user\) [0-9a-f]+>",
                        after(repl, "(current-module)", prompt_at(0)))
    assert after(repl, ",in (no such) 1", prompt_at(0)) == "error: no module (no such)"
    leave(repl)
