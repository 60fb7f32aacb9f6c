"""What the system commands (build, reconfigure, the generation commands, describe)
write: lines of text, coloured on a terminal; a progress bar on a terminal's stderr; and
every failure as its one-line (or located) report instead of a traceback."""

from __future__ import annotations

import sys
import traceback

from .dsl.errors import SchemeError, format_error
from .failures import EXIT_FAILED, EXIT_USAGE, Failure, UsageFailure, internal_error
from .rootfs import UnsafeRoot
from .store import StoreError, os_error


def print_lines(lines: list[str]) -> None:
    if sys.stdout.isatty():
        # Rich only for a terminal: piped output (tests, scripts) never pays its import.
        from rich.console import Console  # noqa: PLC0415
        console = Console(highlight=False)
        for line in lines:
            style = {"+": "green", "-": "red", "~": "yellow", ">": "magenta"}.get(
                line.strip()[:1]) if line.startswith("  ") else "bold"
            console.print(line, style=style, markup=False)
    else:
        sys.stdout.write("".join(line + "\n" for line in lines))
    sys.stdout.flush()


class Progress:
    """Rich's progress display on stderr, or nothing when stderr is not a terminal."""

    def __init__(self, total: int):
        self.bar = None
        if sys.stderr.isatty():
            # Rich only for a terminal, as in print_lines.
            from rich.console import Console  # noqa: PLC0415
            from rich.progress import BarColumn, TextColumn  # noqa: PLC0415
            from rich.progress import Progress as Bar  # noqa: PLC0415
            self.bar = Bar(TextColumn("{task.description:<12}"), BarColumn(),
                           TextColumn("{task.completed}/{task.total}"),
                           console=Console(stderr=True), transient=True)
            self.task = self.bar.add_task("", total=total)

    def __enter__(self):
        if self.bar:
            self.bar.__enter__()
        return self

    def __exit__(self, *exc):
        if self.bar:
            self.bar.__exit__(*exc)

    def step(self, text: str) -> None:
        if self.bar:
            self.bar.update(self.task, description=text, advance=1)


def report_errors(fn, path: str | None, debug: bool) -> int:
    """Run FN, turning every failure into its one-line (or located) report."""
    try:
        return fn()
    except SchemeError as e:
        text = format_error(e, debug)
        if e.loc is None and path:
            text = f"{path}: {text}"
        sys.stderr.write(text + "\n")
        return EXIT_FAILED
    except (Failure, StoreError) as e:
        _traceback(debug)
        sys.stderr.write(f"vsys: {e}\n")
        return EXIT_USAGE if isinstance(e, UsageFailure) else EXIT_FAILED
    except BrokenPipeError:
        raise           # the reader of our output went away (`| head`): see __main__
    except OSError as e:
        _traceback(debug)
        sys.stderr.write(f"vsys: {os_error(e, 'write')}\n")
        return EXIT_FAILED
    except KeyboardInterrupt:
        sys.stderr.write("vsys: interrupted\n")
        return 130
    except Exception as e:
        if isinstance(e, (UnsafeRoot, ValueError)):
            _traceback(debug)
            sys.stderr.write(f"vsys: {e}\n")
            return EXIT_FAILED
        return internal_error(debug)


def _traceback(debug: bool) -> None:
    if debug:
        traceback.print_exc()
