"""`vsys run FILE [ARGS...]` and `vsys eval EXPR`: Scheme programs from the command line,
with the service library's Guix modules importable.  Started in a few tens of
milliseconds: no Typer, and the library's modules are built only when a program
imports them."""

from __future__ import annotations

import os
import sys

from .dsl import api
from .dsl.builtins import ports
from .dsl.datatypes import UNSPECIFIED, Values
from .dsl.errors import SchemeError, format_error
from .dsl.loader import module_providers, set_load_path
from .dsl.printer import write_string
from .failures import file_problem, internal_error
from .options import UsageError, parse

# -L DIR / --load-path DIR and --debug, before the file or expression.
LOAD_OPTIONS = {"load-path": "a directory", "debug": None}


def load_options(args: list[str]) -> tuple[list[str], bool, list[str]]:
    """The leading -L DIR... and --debug of ARGS (their directories, whether --debug is
    given), then the words that follow."""
    opts, rest = parse(args, LOAD_OPTIONS, leading=True, short={"-L": "load-path"},
                       repeated=("load-path",))
    return list(opts.get("load-path", [])), bool(opts.get("debug")), rest


def run_main(args: list[str]) -> int:
    """`vsys run [-L DIR]... [--debug] FILE [ARGS...]`."""
    dirs, debug, rest = load_options(args)
    if not rest:
        raise UsageError("missing FILE")
    return run_command(rest[0], rest[1:], dirs, debug)


def eval_main(args: list[str]) -> int:
    """`vsys eval [-L DIR]... [--debug] EXPR`."""
    dirs, debug, rest = load_options(args)
    if not rest:
        raise UsageError("missing EXPR")
    if len(rest) > 1:
        raise UsageError("give the expression as one argument (quote it for the shell)")
    return eval_command(rest[0], dirs, debug)


def library_modules() -> None:
    """Let programs run by vsys import the service library's Guix modules, on demand."""
    def register():
        # Lazy on purpose: the service library is loaded only when a program imports
        # one of its modules (`vsys run` of most programs never does).
        from .stdlib.guix_modules import register_all  # noqa: PLC0415
        register_all()
    module_providers.append(register)


def run_command(path: str, argv: list[str], dirs: list[str], debug: bool) -> int:
    problem = file_problem(path)
    if problem:
        sys.stderr.write(f"vsys run: {problem}\n")
        return 2
    set_load_path(dirs + [os.path.dirname(os.path.abspath(path))])
    library_modules()
    try:
        return api.run_file(path, sys.stdout, sys.stderr, argv, debug)
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130
    except Exception:       # a bug in vsys itself, not in the program
        return internal_error(debug)


def eval_command(text: str, dirs: list[str], debug: bool) -> int:
    set_load_path(dirs)
    library_modules()
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
