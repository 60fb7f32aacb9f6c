"""The README's commands work as written: its `console` blocks are run in order and
their output checked (the format is described in console_tour.py).  The harness itself is
tested on plain shell commands and on a tour of its own, fixtures/tour.md."""

from __future__ import annotations

import os
import re
import subprocess

import console_tour
import pytest
from console_tour import (
    ROOT,
    Command,
    TourError,
    TourSkipped,
    first_missing,
    parse,
    run_tour,
)
from support.cli import VSYS
from support.turns import turn

README = os.path.join(ROOT, "README.md")
FIXTURE = os.path.join(os.path.dirname(__file__), "fixtures", "tour.md")
TOUR_HEADING = re.compile(r"^#{1,6}\s+(a\s+)?tour\b", re.IGNORECASE | re.MULTILINE)


def run_file(path: str, base) -> list[Command]:
    with open(path, encoding="utf-8") as f:
        commands = parse(f.read(), os.path.relpath(path, ROOT))
    try:
        return run_tour(commands, str(base))
    except TourSkipped as e:
        skipped, failed = str(e), None
    except TourError as e:
        skipped, failed = None, str(e)
    if skipped:
        pytest.skip(skipped)
    pytest.fail(failed, pytrace=False)


def run_text(text: str, base, name: str = "TOUR.md") -> list[Command]:
    return run_tour(parse(text, name), str(base))


# --- the README -----------------------------------------------------------------------------

@pytest.mark.slow
def test_the_readme_tour_works_as_written(tmp_path):
    with open(README, encoding="utf-8") as f:
        text = f.read()
    if not parse(text):
        if TOUR_HEADING.search(text):
            pytest.fail("README.md has no console tour: its Tour section needs ```console "
                        "blocks (see tests/docs/console_tour.py)", pytrace=False)
        pytest.skip("README.md has no console tour yet (no ```console blocks, no Tour "
                    "heading)")
    with turn("ganeti-node-address"):     # the tour starts the Ganeti node example
        run_file(README, tmp_path)


# --- the harness, on a tour of its own ------------------------------------------------------

@pytest.mark.slow
def test_a_tour_builds_reconfigures_looks_and_its_supervisor_is_stopped(tmp_path):
    commands = run_file(FIXTURE, tmp_path)
    assert [c.text.split()[:2] for c in commands] == [
        ["vsys", "eval"], ["vsys", "eval"], ["vsys", "build"], ["vsys", "reconfigure"],
        ["vsys", "herd"], ["vsys", "herd"], ["vsys", "list-generations"],
        ["vsys", "roll-back"]]
    env = dict(os.environ, VSYS_STATE_DIR=str(tmp_path / "state"))
    after = subprocess.run([*VSYS, "herd", "status"], env=env,
                           capture_output=True, text=True, timeout=60, check=False)
    assert after.returncode == 4, "the supervisor the tour started is still running"


# --- the harness, on plain shell commands ---------------------------------------------------

def test_only_console_blocks_are_read_with_their_exit_codes():
    text = """\
Some prose.
$ not a command: outside any block

```sh
$ echo not run
```

~~~~console
$ echo one
one
```
still inside: a shorter or different fence does not close it
~~~~

```console
$ false
[exit 1]
$ printf 'a\\n' \\
    'b\\n'
a
...
b
```
"""
    commands = parse(text, "T.md")
    assert [(c.line, c.text, c.expected, c.exit) for c in commands] == [
        (9, "echo one", ["one", "```", ("still inside: a shorter or different fence does "
                                        "not close it")], 0),
        (16, "false", [], 1),
        (18, "printf 'a\\n' \\\n    'b\\n'", ["a", "...", "b"], 0),
    ]


def test_output_before_a_command_is_a_mistake_in_the_tour():
    with pytest.raises(TourError, match=r"T.md:2: output before any `\$ ` command"):
        parse("```console\nhello\n$ echo hello\n```\n", "T.md")


@pytest.mark.parametrize("expected, found", [
    (["beta", "delta"], True),
    (["delta", "beta"], False),               # order matters
    (["gamma   "], True),                     # whitespace at both ends is ignored
    (["   gamma"], True),
    (["amm"], True),                          # within a line
    (["root: .../x (sandbox)"], True),        # `...` inside a line is any text
    (["root:\t/tmp/s/x   (sandbox)"], True),  # a run of blanks matches any other
    (["...", "epsilon"], True),               # a `...` line is skipped
    (["zeta"], False),
    (["beta", "beta"], False),                # each expected line uses up its output line
])
def test_expected_lines_appear_in_order(expected, found):
    output = "alpha\nbeta  \n  gamma\ndelta\nroot: /tmp/s/x (sandbox)\nepsilon\n"
    assert (first_missing(expected, output) is None) is found


def test_a_missing_line_names_the_command_its_output_and_the_line(tmp_path):
    with pytest.raises(TourError) as e:
        run_text("```console\n$ echo one\none\n$ printf 'hello\\nworld\\n'\nhello\n"
                 "planet\n```\n", tmp_path)
    message = str(e.value)
    assert message.startswith("TOUR.md:4: `$ printf 'hello\\nworld\\n'` did not print "
                              "'planet' (in order)")
    assert "--- its output ---\nhello\nworld\n" in message
    assert "--- expected, in order ---\n   hello\n>> planet" in message


def test_an_unexpected_exit_code_is_a_failure_and_an_expected_one_is_not(tmp_path):
    run_text("```console\n$ echo oops; exit 3\noops\n[exit 3]\n```\n", tmp_path / "a")
    with pytest.raises(TourError, match=r"TOUR.md:2: `\$ exit 2` exited 2, expected 0"):
        run_text("```console\n$ exit 2\n```\n", tmp_path / "b")
    with pytest.raises(TourError, match=r"exited 0, expected 1"):
        run_text("```console\n$ true\n[exit 1]\n```\n", tmp_path / "c")


def test_commands_share_one_environment_with_the_venv_first(tmp_path):
    run_text(f"""\
```console
$ echo "$VSYS_STATE_DIR" > "$HOME/state"; command -v vsys
{os.path.join(ROOT, ".venv", "bin", "vsys") if os.path.isdir(os.path.join(ROOT, ".venv"))
 else "vsys"}
$ pwd; cat "$HOME/state"
{ROOT}
{tmp_path / "state"}
```
""", tmp_path)


@pytest.mark.parametrize("command", ["sudo vsys reconfigure c.scm",
                                     "vsys reconfigure --root / c.scm",
                                     "vsys roll-back --root=/", "make test"])
def test_commands_that_reach_past_the_sandbox_are_refused(tmp_path, command):
    with pytest.raises(TourError, match="is not run in a test"):
        run_text(f"```console\n$ {command}\n```\n", tmp_path)


MISSING = ("```console\n$ printf 'vsys: warning: gawk: Debian package gawk not installed "
           "(apt install gawk)\\nfailed to start libvirtd: /usr/sbin/libvirtd: no such "
           "program; install the host package `libvirt-daemon`\\n'; exit 1\n```\n")


def test_a_missing_host_program_skips_outside_ci(tmp_path, monkeypatch):
    monkeypatch.setattr(console_tour, "IN_CI", False)
    with pytest.raises(TourSkipped, match=r"needs libvirt-daemon \(not installed"):
        run_text(MISSING, tmp_path)


def test_a_missing_host_program_fails_under_ci(tmp_path, monkeypatch):
    monkeypatch.setattr(console_tour, "IN_CI", True)
    with pytest.raises(TourError, match="exited 1, expected 0"):
        run_text(MISSING, tmp_path)
