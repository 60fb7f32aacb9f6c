"""Malformed `vsys herd` words and protocol requests: one error line (plus the usage
line for usage errors) and exit 2, never a traceback, never a wrong answer."""

from __future__ import annotations

import pytest

from vsys.shepherd.client import USAGE

FIRST_USAGE = USAGE.splitlines()[0] + "\n"


@pytest.mark.parametrize("words, message", [
    (["status", ""], "an empty word is no command, service or argument"),
    (["start", ""], "an empty word is no command, service or argument"),
    ([""], "an empty word is no command, service or argument"),
    (["status", "a\x01b"], "`a\\x01b` contains control characters"),
    (["stop", "web\nroot"], "`web\\nroot` contains control characters"),
    (["status", "x" * 5000], "a word of 5000 characters is too long (at most 4096)"),
    (["log", "web", "-n", "99999999999999999999999999"],
     "not a number: 99999999999999999999999999"),
    (["log", "web", "-n", "1e5"], "not a number: 1e5"),
    (["log", "web", "-n", "2000000"], "-n must be at most 1000000, not 2000000"),
    (["status", "web", "--lines=-3"], "--lines must be 0 or more, not -3"),
    (["schedule", "web", "99999999999"],
     "the number of runs must be at most 1000000, not 99999999999"),
    (["--root=", "status"], "--root needs a directory, not an empty word"),
])
def test_malformed_words_get_one_error_and_exit_2(sandbox, words, message):
    sandbox.sleeper("web", **{"auto-start": False})
    sandbox.start_supervisor()
    r = sandbox.vsys("herd", *(["--root", sandbox.root] if words[0] != "--root=" else []), *words)
    assert (r.returncode, r.stdout, r.stderr) == (2, "", f"herd: error: {message}\n{FIRST_USAGE}")
    # The supervisor still answers and did nothing.
    assert sandbox.herd("status").returncode == 0
    assert sandbox.sleeping() == []


def test_malformed_requests_are_refused_by_the_supervisor(sandbox):
    """What a client other than herd may send: the supervisor refuses it, naming it
    printably, and keeps serving."""
    sandbox.sleeper("web", **{"auto-start": False})
    sandbox.start_supervisor()
    for service, text in [("", "bad request: the service must be a name"),
                          ("a\x00b", "service `a\\x00b` does not exist; `vsys herd status` "
                                     "lists the services"),
                          ("w" * 100_000, "service `" + "w" * 60 + "...` does not exist; "
                                          "`vsys herd status` lists the services")]:
        reply = sandbox.call("status", service)
        assert reply["ok"] is False and reply["error"]["message"] == text
    reply = sandbox.call("log", "web", lines=10 ** 30)
    assert reply["error"] == {"kind": "usage", "candidates": [], "message":
                              "bad request: the number of log lines must be at most 1000000, "
                              f"not {10 ** 30}"}
    assert sandbox.call("status")["ok"]
