"""The Typer application: every `vsys` command, with help text.

Typer parses the command lines of the commands vsys.commands gives no usage line, then
calls the function the table names with the values.  The others read their own command
line (vsys.commands says why); their entries here give them their `--help` and pass
their words on."""

from __future__ import annotations

from typing import List, Optional

import typer

from .commands import COMMANDS, command_function, function, run_own
from .failures import internal_error

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
    _own("run", _load_words(load_path, debug) + [file, *ctx.args])


@app.command("eval")
def eval_(expr: str = typer.Argument(..., help="Scheme expression(s) to evaluate."),
          load_path: Optional[List[str]] = LoadPath, debug: bool = Debug) -> None:
    """Evaluate EXPR and print its value in `write` form."""
    _own("eval", _load_words(load_path, debug) + [expr])


@app.command()
def version() -> None:
    """Print vsys's version (also `vsys --version`)."""
    raise typer.Exit(command_function("version")())


# Exploring: the REPL reads its own command line (vsys.commands); this entry gives it --help.
@app.command()
def repl(file: Optional[str] = typer.Argument(None, help="A config or program to load first."),
         load_path: Optional[List[str]] = LoadPath, debug: bool = Debug) -> None:
    """A Guile-style REPL over the service library; ,help inside lists its commands."""
    _own("repl", _load_words(load_path, debug) + ([file] if file else []))


@app.command()
def search(regex: str = typer.Argument(..., help="Matched against names and descriptions.")
           ) -> None:
    """Service types whose name or description matches REGEX (case-insensitive)."""
    raise typer.Exit(command_function("search")(regex))


@app.command()
def show(name: str = typer.Argument(..., help="A procedure, record type, service type, "
                                               "field or (MODULE)."),
         format: str = typer.Option("text", "--format", help="text or markdown.")) -> None:
    """Document NAME, as the REPL's ,describe does."""
    if format not in ("text", "markdown"):
        typer.echo(f"vsys show: --format is text or markdown, not {format}", err=True)
        raise typer.Exit(2)
    raise typer.Exit(command_function("show")(name, format == "markdown"))


GraphOutput = typer.Option(None, "--output", "-o", metavar="FILE.svg",
                           help="Render to FILE (.svg, .png, .pdf) with Graphviz's dot.")


@app.command("extension-graph")
def extension_graph(file: str = typer.Argument(..., help="The config file."),
                    output: Optional[str] = GraphOutput, load_path: Optional[List[str]] = LoadPath,
                    debug: bool = Debug) -> None:
    """The config's service extension graph, as Graphviz dot."""
    raise typer.Exit(command_function("extension-graph")("extension", file, output, debug,
                                                         load_path or []))


@app.command("shepherd-graph")
def shepherd_graph(file: str = typer.Argument(..., help="The config file."),
                   output: Optional[str] = GraphOutput, load_path: Optional[List[str]] = LoadPath,
                   debug: bool = Debug) -> None:
    """The config's Shepherd services and their requirements, as Graphviz dot."""
    raise typer.Exit(command_function("shepherd-graph")("shepherd", file, output, debug,
                                                        load_path or []))


# The supervisor's commands read their own command lines (vsys.commands); these entries
# give them --help.
_PASS = {"allow_extra_args": True, "ignore_unknown_options": True, "help_option_names": ["--help"]}


def _supervision(name: str, summary: str) -> None:
    def command(ctx: typer.Context) -> None:
        _own(name, list(ctx.args))
    command.__doc__ = summary
    app.command(name, context_settings=_PASS, add_help_option=True,
                epilog="Forms:\n" + "\n".join(form.strip() for form
                                               in COMMANDS[name].usage.splitlines())
                )(command)


_supervision("herd", "Drive the supervisor of a root: status, start, stop, restart, "
             "enable, disable, doc, log, custom actions, schedule, stop root. "
             "Exit codes: 0 done, 1 failed, 2 usage, 3 unknown service or action, "
             "4 no supervisor, 5 protocol mismatch.")
_supervision("shepherd", "Run the supervisor for a root (foreground unless --daemonize).")
_supervision("secret-service", "The secret service: `receive` (guest side) or `send` (host side).")
_supervision("binfmt", "Show which binfmt_misc entry and interpreter would run a file "
             "(`match`), or list the registered entries (`list`).")


# --- systems: build, reconfigure, generations (vsys.reconfigure, vsys.generation_commands) -------

Root = typer.Option(None, "--root", metavar="DIR",
                    help="The root to manage (default: the sandbox <state>/root; `/` is "
                         "this host and needs root privileges).")


Network = typer.Option(None, "--network", metavar="host",
                       help="`host`: the container shares the host's network instead of "
                            "having its own, joined by a veth pair.")
Strict = typer.Option(False, "--strict",
                      help="Refuse what vsys does not implement (Guix modules, services and "
                           "packages it would otherwise leave to the host).")


def _strictness(strict: bool) -> None:
    if strict:      # through the table's lazy import: only a config's commands need it
        function("vsys.stdlib.guix_index:set_strict")(True)


@app.command()
def build(file: str = typer.Argument(..., help="The config file (an operating-system)."),
          load_path: Optional[List[str]] = LoadPath, strict: bool = Strict,
          debug: bool = Debug) -> None:
    """Build the system of FILE into the store and print the generation's path."""
    _own("build", (["--strict"] if strict else []) + _load_words(load_path, debug) + [file])


@app.command()
def reconfigure(file: str = typer.Argument(..., help="The config file (an operating-system)."),
                root: Optional[str] = Root,
                dry_run: bool = typer.Option(False, "--dry-run",
                                             help="Build and print the plan; change nothing."),
                no_restart: bool = typer.Option(False, "--no-restart",
                                                help="Do not restart running services whose "
                                                     "runner changed."),
                no_supervisor: bool = typer.Option(False, "--no-supervisor",
                                                   help="Activate files and accounts only: do "
                                                        "not start or reload the supervisor."),
                network: Optional[str] = Network,
                load_path: Optional[List[str]] = LoadPath, strict: bool = Strict,
                debug: bool = Debug) -> None:
    """Build FILE's system, print the plan, switch to it and activate it into the root."""
    _strictness(strict)
    if network not in (None, "host"):
        typer.echo(f"vsys reconfigure: --network takes `host`, not `{network}`", err=True)
        raise typer.Exit(2)
    raise typer.Exit(command_function("reconfigure")(
        file, root, dry_run, not no_restart, not no_supervisor, load_path or [], debug,
        share_net=network == "host"))


@app.command("container")
def container(file: str = typer.Argument(..., help="The config file (an operating-system)."),
              network: Optional[str] = Network,
              load_path: Optional[List[str]] = LoadPath, debug: bool = Debug) -> None:
    """Run FILE's system in a throwaway container until Ctrl-C or `herd stop root`."""
    if network not in (None, "host"):
        typer.echo(f"vsys container: --network takes `host`, not `{network}`", err=True)
        raise typer.Exit(2)
    raise typer.Exit(command_function("container")(file, network == "host", load_path or [], debug))


# `vsys exec` reads its own command line, --help included (its arguments are a command's);
# this entry lists it in `vsys --help`.
@app.command("exec", context_settings=_PASS, add_help_option=False)
def exec_(ctx: typer.Context) -> None:
    """Run a command in a root's running container, as its root: vsys exec [--root DIR]
    -- COMMAND ARGS... (exit status: the command's; 125 when no container runs)."""
    _own("exec", list(ctx.args))


@app.command()
def image(file: str = typer.Argument(..., help="The config file (an operating-system)."),
          output: Optional[str] = typer.Option(None, "--output", "-o", metavar="PATH",
                                               help="Copy the image to PATH (default: print "
                                                    "its path in the image cache)."),
          size: Optional[str] = typer.Option(None, "--size", metavar="SIZE",
                                             help="Disk size, e.g. 4G (default: the "
                                                  "system's size and room to spare)."),
          debug: bool = Debug) -> None:
    """Build a bootable x86_64 qcow2 disk image of FILE's system (as root): Debian from
    this host's package sources, Debian's kernel, vsys, and the system activated in it.
    FILE is copied into the image on its own: it must not load other files.  Cached by
    its inputs; prints the image's path."""
    raise typer.Exit(command_function("image")(file, output, size, [], debug))


@app.command("list-generations")
def list_generations(pattern: Optional[str] = typer.Argument(
        None, help="Which generations: N, N..M, a comma-separated list, or 2w (older than)."),
        root: Optional[str] = Root, debug: bool = Debug) -> None:
    """List the generations of the root's system profile."""
    raise typer.Exit(command_function("list-generations")(root, pattern, debug))


@app.command("roll-back")
def roll_back(root: Optional[str] = Root,
              dry_run: bool = typer.Option(False, "--dry-run", help="Print the plan only."),
              no_restart: bool = typer.Option(False, "--no-restart",
                                              help="Do not restart changed services."),
              no_supervisor: bool = typer.Option(False, "--no-supervisor",
                                                 help="Do not start or reload the supervisor."),
              debug: bool = Debug) -> None:
    """Activate the generation before the current one."""
    raise typer.Exit(command_function("roll-back")(root, None, dry_run, not no_restart,
                                                   not no_supervisor, debug))


# `switch-generation -1` is a relative generation, not an unknown option.
@app.command("switch-generation", context_settings={"ignore_unknown_options": True})
def switch_generation(number: str = typer.Argument(
                          ..., help="The generation: N, or +N/-N relative to the current "
                                    "one (-1 is the one before)."),
                      root: Optional[str] = Root,
                      dry_run: bool = typer.Option(False, "--dry-run", help="Print the plan only."),
                      no_restart: bool = typer.Option(False, "--no-restart",
                                                      help="Do not restart changed services."),
                      no_supervisor: bool = typer.Option(False, "--no-supervisor",
                                                         help="Do not start or reload the "
                                                              "supervisor."),
                      debug: bool = Debug) -> None:
    """Activate generation NUMBER of the root's system profile (N, +N or -N)."""
    raise typer.Exit(command_function("switch-generation")(root, number, dry_run, not no_restart,
                                                           not no_supervisor, debug))


@app.command("delete-generations")
def delete_generations(pattern: Optional[str] = typer.Argument(
        None, help="Which generations (default: all but the current one)."),
        root: Optional[str] = Root, debug: bool = Debug) -> None:
    """Delete generations (never the current one); `vsys gc` then frees their files."""
    raise typer.Exit(command_function("delete-generations")(root, pattern, debug))


@app.command()
def gc(debug: bool = Debug) -> None:
    """Remove the store items that no generation of any root uses."""
    raise typer.Exit(command_function("gc")(debug))


@app.command()
def verify(debug: bool = Debug) -> None:
    """Check every store item against the hash its name holds; name the damaged ones."""
    raise typer.Exit(command_function("verify")(debug))


@app.command()
def describe(root: Optional[str] = Root,
             all_fields: bool = typer.Option(False, "--all",
                                             help="Show every host-managed field, not only "
                                                  "those the config gives."),
             debug: bool = Debug) -> None:
    """Show the root's current generation, its config and its host-managed fields."""
    raise typer.Exit(command_function("describe")(root, all_fields, debug))


def run_app(argv: list[str]) -> int:
    try:
        # Outside standalone mode, click returns the code of a typer.Exit.
        code = app(args=argv, prog_name="vsys", standalone_mode=False)
        if isinstance(code, int):
            return code
    except typer.Exit as e:
        return e.exit_code
    except typer.Abort:
        return 130
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else 1
    except KeyboardInterrupt:
        return 130
    except Exception as e:
        # Usage errors arrive here outside standalone mode.  Typer may vendor click or
        # depend on it, so they are recognised by what they can do, not by their class.
        if callable(getattr(e, "show", None)) and isinstance(getattr(e, "exit_code", None), int):
            e.show()
            return e.exit_code
        return internal_error("--debug" in argv)
    return 0


def _own(name: str, words: list[str]) -> None:
    """Pass WORDS to the command NAME that reads its own command line (when Typer got them:
    an option's value looked like --help)."""
    raise typer.Exit(run_own(name, words))


def _load_words(load_path: Optional[List[str]], debug: bool) -> list[str]:
    """-L and --debug as words again, then `--`: what follows is the file or expression."""
    return [w for d in load_path or [] for w in ("-L", d)] + (["--debug"] if debug else []) + ["--"]
