"""The `vsys` command: the first word names the command, vsys.commands the function that
carries it out.  A command that reads its own command line gets the words after its
name; Typer (vsys.app) gets the whole line for every other command, for `--help`, and
for a word that is no command."""

from __future__ import annotations

import sys

from . import __version__
from .commands import COMMANDS, TYPER, function, run_own


def main(argv: list[str]) -> int:
    if argv == ["--version"]:           # as most tools answer it; `vsys version` too
        return version()
    command = COMMANDS.get(argv[0]) if argv else None
    if command is None or command.usage is None or (
            command.typer_help and any(a in ("--help", "-h") for a in argv[1:3])):
        return function(TYPER)(argv)
    return run_own(argv[0], argv[1:])


def version() -> int:
    """`vsys version` and `vsys --version`."""
    sys.stdout.write(f"vsys {__version__}\n")
    return 0
