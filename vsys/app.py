"""The Typer application: every `vsys` command, with help text.

`vsys run` and `vsys eval` are also reachable without Typer (see vsys.cli) for speed;
the definitions here give them their `--help` and share the implementation."""

from __future__ import annotations

from typing import List, Optional

import typer

from . import __version__
from . import cli

app = typer.Typer(
    name="vsys",
    help="Declare virtualization services the Guix way, run them on an ordinary Linux host.",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

LoadPath = typer.Option(None, "-L", "--load-path", metavar="DIR",
                        help="Add DIR to the front of the module load path (repeatable).")
Debug = typer.Option(False, "--debug", help="On error, show the Scheme and Python backtraces.")


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def run(ctx: typer.Context,
        file: str = typer.Argument(..., help="The Scheme program to run."),
        load_path: Optional[List[str]] = LoadPath, debug: bool = Debug) -> None:
    """Run a Scheme program, like `guile FILE`; extra ARGS go to (command-line)."""
    raise typer.Exit(cli.run_command(file, list(ctx.args), load_path or [], debug))


@app.command("eval")
def eval_(expr: str = typer.Argument(..., help="Scheme expression(s) to evaluate."),
          load_path: Optional[List[str]] = LoadPath, debug: bool = Debug) -> None:
    """Evaluate EXPR and print its value in `write` form."""
    raise typer.Exit(cli.eval_command(expr, load_path or [], debug))


@app.command()
def version() -> None:
    """Print vsys's version."""
    typer.echo(f"vsys {__version__}")


# The supervisor's commands run without Typer (vsys.cli); these entries give them --help.
_PASS = {"allow_extra_args": True, "ignore_unknown_options": True, "help_option_names": ["--help"]}


def _supervision(name: str, summary: str) -> None:
    from .shepherd.commands import USAGE

    def command(ctx: typer.Context) -> None:
        from .shepherd.commands import main
        raise typer.Exit(main(name, list(ctx.args)))
    command.__doc__ = summary
    app.command(name, context_settings=_PASS, add_help_option=True,
                epilog="Usage: " + USAGE[name].replace("\n", "  "))(command)


_supervision("herd", "Drive the supervisor of a root: status, start, stop, restart, "
             "enable, disable, doc, log, custom actions, schedule, stop root. "
             "Exit codes: 0 done, 1 failed, 2 usage, 3 unknown service or action, "
             "4 no supervisor, 5 protocol mismatch.")
_supervision("shepherd", "Run the supervisor for a root (foreground unless --daemonize).")
_supervision("secret-service", "The secret service: `receive` (guest side) or `send` (host side).")
_supervision("binfmt", "Show which binfmt_misc entry and interpreter would run a file.")


def run_app(argv: list[str]) -> int:
    try:
        app(args=argv, prog_name="vsys", standalone_mode=False)
    except typer.Exit as e:
        return e.exit_code
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else 1
    except Exception as e:  # click's usage errors arrive here in non-standalone mode
        import click
        if isinstance(e, click.exceptions.ClickException):
            e.show()
            return e.exit_code
        if isinstance(e, click.exceptions.Abort):
            return 130
        raise
    return 0
