"""A program evaluated at the REPL reads what is typed next, as in Guile: (read-line)
and (read) wait for lines at the terminal (no prompt is shown for them, and they are
not evaluated as entries); Ctrl-D gives one end of file, Ctrl-C stops the read."""

from __future__ import annotations

import time

from repl_driver import interrupt, leave, prompt_at, start_repl


def answer(repl, line: str, typed: list[str], prompt: str = prompt_at(0)) -> str:
    """Type LINE, then each of TYPED as the program's input; the output before PROMPT."""
    repl.sendline(line)
    for text in typed:
        time.sleep(0.2)
        repl.sendline(text)
    repl.expect_exact(prompt)
    return repl.before.replace("\r\n", "\n")


def test_read_line_and_read_wait_for_typed_input(state_dir):
    repl = start_repl(state_dir)
    assert answer(repl, "(use-modules (ice-9 rdelim))", []) == "(use-modules (ice-9 rdelim))\n"
    assert answer(repl, "(read-line)", ["hello world"]) == \
        '(read-line)\nhello world\n$1 = "hello world"\n'
    assert answer(repl, "(read)", ["(a b", " c)"]) == "(read)\n(a b\n c)\n$2 = (a b c)\n"
    assert answer(repl, '(begin (display "Name? ") (string-append "hi " (read-line)))',
                  ["Bob"]).endswith('\nName? Bob\n$3 = "hi Bob"\n')
    repl.sendline("(read-line)")
    time.sleep(0.2)
    repl.sendeof()
    repl.expect_exact(prompt_at(0))
    assert repl.before.replace("\r\n", "\n") == "(read-line)\n$4 = #<eof>\n"
    # after an end of file the terminal is still there to read
    assert answer(repl, "(read-line)", ["again"]).endswith('$5 = "again"\n')
    leave(repl)


def test_ctrl_c_stops_a_read(state_dir):
    repl = start_repl(state_dir)
    assert interrupt(repl, "(read)", prompt_at(1), wait=0.3) == (
        "interrupted\nEntering a new prompt.  Type ,bt for a backtrace or ,q to continue.\n")
    assert answer(repl, "(+ 1 2)", [], prompt_at(1)).endswith("$1 = 3\n")
    leave(repl)
