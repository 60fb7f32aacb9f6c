"""REPL inputs the fuzzer found to break a session, kept as regression cases."""

from __future__ import annotations

import io

from vsys.repl import Session


def session_output(lines: list[str]) -> str:
    out = io.StringIO()
    session = Session(out=out)
    for line in lines:
        session.feed(line)
    return out.getvalue()


def test_module_command_refuses_what_is_not_a_module_name(state_dir):
    """`,module (` made a module named () that broke ,apropos (and every later
    session of the process) with an internal error."""
    out = session_output([",module (", ",module ()", ",module (a 1)", ",module", ",apropos ^car$",
                          ",module gnu services", ",module (gnu services ganeti)"])
    assert out.splitlines() == [
        "error: ( is not a module name; write one as (gnu services) or gnu services",
        "error: () is not a module name; write one as (gnu services) or gnu services",
        "error: (a 1) is not a module name; write one as (gnu services) or gnu services",
        "(vsys-user)",
        "(guile): car",
        "(gnu services)",
        "(gnu services ganeti)"]
    assert "internal error" not in session_output([",apropos ^car$"])
