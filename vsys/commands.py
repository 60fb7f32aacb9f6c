"""Every `vsys` command and the function that carries it out, as `module:function`.

A command's module is imported only when the command runs: this table is the command
line's one lazy boundary, so that `vsys herd status` loads neither Typer nor the
language, and `vsys --help` nothing but Typer.

A command with a usage line here reads its own command line (with vsys.options, or with
a grammar of its own for `herd` and `exec`): its function takes the words after the
command's name and returns the exit status.  Those are the commands people run in loops
or wait on, which cannot afford Typer's start-up: `run` and `eval`, `build` (held to
250 ms for a whole build), `repl` (its first prompt within 0.3 s), the supervisor's
`herd`, `shepherd`, `secret-service` and `binfmt` (`herd status` within 0.1 s), and
`exec` (whose words after it are a command's, `--help` included).  Typer (vsys.app)
parses every other command and calls its function with the values, and gives every
command but `exec` its `--help`.
"""

from __future__ import annotations

import importlib
import sys
from typing import Callable, NamedTuple

from .options import UsageError


class Command(NamedTuple):
    target: str                 # "module:function"
    usage: str | None = None    # set for a command that reads its own command line
    typer_help: bool = True     # `--help` among its first two words goes to Typer


COMMANDS: dict[str, Command] = {
    "run": Command("vsys.scheme_commands:run_main",
                   "vsys run [-L DIR]... [--debug] FILE [ARGS...]"),
    "eval": Command("vsys.scheme_commands:eval_main",
                    "vsys eval [-L DIR]... [--debug] EXPR"),
    "version": Command("vsys.cli:version"),
    "repl": Command("vsys.repl:repl_main", "vsys repl [-L DIR]... [--debug] [FILE]"),
    "search": Command("vsys.explore:search_command"),
    "show": Command("vsys.explore:show_command"),
    "extension-graph": Command("vsys.graphs:graph_command"),
    "shepherd-graph": Command("vsys.graphs:graph_command"),
    # herd's own help (`vsys herd help`) is vsys.shepherd.client's; this line is the
    # summary under `vsys herd --help`.
    "herd": Command("vsys.shepherd.client:main",
                    "vsys herd [--root DIR] status [SERVICE] | start|stop|restart|enable|disable|"
                    "doc|log SERVICE | ACTION SERVICE [ARGS] | schedule SERVICE [N] | stop root"),
    "shepherd": Command("vsys.shepherd.commands:shepherd",
                        "vsys shepherd [--root DIR] [--services DIR] [--daemonize] "
                        "[--container [--network=host]]"),
    "secret-service": Command(
        "vsys.shepherd.commands:secret_service",
        "vsys secret-service receive --port P --root DIR [--address A] "
        "[--timeout S] [--allow-setuid]\n"
        "       vsys secret-service send --port P --root DIR "
        "[--handshake-timeout S] [--tries N]\n"
        "`receive` is meant for a freshly booted guest: it accepts the first "
        "connection to A:P (127.0.0.1 unless told; any local user can "
        "connect) and installs the files it is sent under DIR; files with "
        "setuid or setgid bits are refused unless --allow-setuid is given."),
    "binfmt": Command("vsys.shepherd.commands:binfmt",
                      "vsys binfmt match FILE [--root DIR]\n       vsys binfmt list [--root DIR]"),
    "build": Command("vsys.reconfigure:build_command",
                     "vsys build [-L DIR]... [--strict] [--debug] FILE"),
    "reconfigure": Command("vsys.reconfigure:reconfigure_main"),
    "container": Command("vsys.throwaway:container_main"),
    "exec": Command("vsys.container.enter:main", "vsys exec [--root DIR] -- COMMAND [ARGS...]",
                    typer_help=False),
    "image": Command("vsys.image.build:main"),
    "list-generations": Command("vsys.generation_commands:list_main"),
    "roll-back": Command("vsys.generation_commands:switch_main"),
    "switch-generation": Command("vsys.generation_commands:switch_main"),
    "delete-generations": Command("vsys.generation_commands:delete_main"),
    "gc": Command("vsys.generation_commands:gc_main"),
    "verify": Command("vsys.generation_commands:verify_main"),
    "describe": Command("vsys.describe:describe_main"),
}

TYPER = "vsys.app:run_app"      # the Typer application: every command's --help


def function(target: str) -> Callable[..., int]:
    """The function TARGET (`module:function`) names, its module imported now."""
    module, _, name = target.partition(":")
    # The command line's one lazy boundary (see above): the module is loaded here, when
    # its command runs, and never at start-up.
    return getattr(importlib.import_module(module), name)


def command_function(name: str) -> Callable[..., int]:
    """The function that carries out the command NAME."""
    return function(COMMANDS[name].target)


def run_own(name: str, words: list[str]) -> int:
    """Run the command NAME, which reads its own command line, on WORDS (those after its
    name); a usage error is printed with the command's usage: exit status 2."""
    try:
        return command_function(name)(words)
    except UsageError as e:
        sys.stderr.write(f"vsys {name}: {e}\n")
        sys.stderr.write(f"usage: {COMMANDS[name].usage}\n")
        return 2
