"""The `vsys` command.

Commands that people run in loops (`vsys run`, `vsys eval`) are dispatched here without
importing Typer, so that they start in a few tens of milliseconds; every other command,
and `--help`, goes to the Typer application in `vsys.app`.
"""

from __future__ import annotations

import os
import sys

from .failures import file_problem, internal_error

FAST = {"run", "eval", "repl"}     # the REPL's first prompt must come within 0.3 s
# The supervisor's commands, lean too: `vsys herd status` must answer in well under 0.1 s.
SUPERVISION = {"herd", "shepherd", "secret-service", "binfmt"}
FAST |= SUPERVISION
# `vsys build` is held to 250 ms for a whole build, cold: no Typer.
FAST.add("build")


def main(argv: list[str]) -> int:
    if argv == ["--version"]:           # as most tools answer it; `vsys version` too
        from . import __version__
        sys.stdout.write(f"vsys {__version__}\n")
        return 0
    if argv and argv[0] == "exec":      # what follows is a command's, even its --help
        from .container.enter import main as exec_main
        return exec_main(argv[1:])
    if argv and argv[0] in FAST and not any(a in ("--help", "-h") for a in argv[:3]):
        try:
            return _fast(argv[0], argv[1:])
        except UsageError as e:
            sys.stderr.write(f"vsys {argv[0]}: {e}\n")
            sys.stderr.write(f"usage: {USAGE[argv[0]]}\n")
            return 2
    from .app import run_app
    return run_app(argv)


USAGE = {
    "run": "vsys run [-L DIR]... [--debug] FILE [ARGS...]",
    "eval": "vsys eval [-L DIR]... [--debug] EXPR",
    "repl": "vsys repl [-L DIR]... [--debug] [FILE]",
}


class UsageError(Exception):
    pass


def _options(args: list[str]) -> tuple[list[str], bool, list[str]]:
    """Leading -L DIR / --load-path DIR / --debug options, then the rest."""
    dirs: list[str] = []
    debug = False
    i = 0
    while i < len(args):
        a = args[i]
        if a in ("-L", "--load-path"):
            if i + 1 >= len(args):
                raise UsageError(f"{a} needs a directory")
            dirs.append(args[i + 1])
            i += 2
        elif a.startswith("-L") and len(a) > 2:
            dirs.append(a[2:])
            i += 1
        elif a.startswith("--load-path="):
            dirs.append(a.split("=", 1)[1])
            i += 1
        elif a == "--debug":
            debug = True
            i += 1
        elif a == "--":
            i += 1
            break
        else:
            break
    return dirs, debug, args[i:]


def _fast(cmd: str, args: list[str]) -> int:
    if cmd == "build":
        return _build(args)
    if cmd in SUPERVISION:
        from .shepherd.commands import main as supervision_main
        return supervision_main(cmd, args)
    dirs, debug, rest = _options(args)
    if cmd == "repl":
        from .repl import main as repl_main
        return repl_main(rest, dirs, debug)
    if not rest:
        raise UsageError("missing " + ("FILE" if cmd == "run" else "EXPR"))
    if cmd == "run":
        return run_command(rest[0], rest[1:], dirs, debug)
    if len(rest) > 1:
        raise UsageError("give the expression as one argument (quote it for the shell)")
    return eval_command(rest[0], dirs, debug)


USAGE["build"] = "vsys build [-L DIR]... [--strict] [--debug] FILE"


def _build(args: list[str]) -> int:
    if "--strict" in args:
        args = [a for a in args if a != "--strict"]
        from .stdlib.guix_index import set_strict
        set_strict(True)
    dirs, debug, rest = _options(args)
    if len(rest) != 1:
        raise UsageError("give one FILE" if not rest else f"unexpected argument {rest[1]}")
    from .reconfigure import build_main
    return build_main(rest[0], dirs, debug)


def library_modules() -> None:
    """Let programs run by vsys import the service library's Guix modules, on demand."""
    from .dsl.loader import module_providers

    def register():
        from .stdlib.guix_modules import register_all
        register_all()
    module_providers.append(register)


def run_command(path: str, argv: list[str], dirs: list[str], debug: bool) -> int:
    problem = file_problem(path)
    if problem:
        sys.stderr.write(f"vsys run: {problem}\n")
        return 2
    from .dsl.loader import set_load_path
    set_load_path(dirs + [os.path.dirname(os.path.abspath(path))])
    library_modules()
    from .dsl.api import run_file
    try:
        return run_file(path, sys.stdout, sys.stderr, argv, debug)
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130
    except Exception:       # a bug in vsys itself, not in the program
        return internal_error(debug)


def eval_command(text: str, dirs: list[str], debug: bool) -> int:
    from .dsl.loader import set_load_path
    set_load_path(dirs)
    library_modules()
    from .dsl import api
    from .dsl.builtins import ports
    from .dsl.errors import SchemeError, format_error
    from .dsl.printer import write_string
    from .dsl.datatypes import UNSPECIFIED, Values
    try:
        with ports.output_to(sys.stdout):
            value = api.with_big_stack(api.eval_string, text, None, "<eval>")
            ports.flush_output()
    except SchemeError as e:
        sys.stderr.write(format_error(e, debug) + "\n")
        return 1
    except ports.SchemeExit as e:
        return e.code
    except Exception:
        return internal_error(debug)
    items = value.items if type(value) is Values else (value,)
    for v in items:
        if v is not UNSPECIFIED:
            sys.stdout.write(write_string(v) + "\n")
    return 0
