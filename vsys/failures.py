"""How a vsys command fails: its exit statuses, the failures it reports as one line, why
a file named on the command line cannot be read, and the report of a bug in vsys itself.
Imports nothing of vsys: `vsys run` uses it and is held to a start-up budget."""

from __future__ import annotations

import os
import stat
import sys
import traceback

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class Failure(Exception):
    """A failure to report as one line (the message is complete)."""


class UsageFailure(Failure):
    """The command line asks for something impossible (a config file that is not one):
    exit status 2, as for other usage errors."""


def file_problem(path: str) -> str | None:
    """Why PATH, given on the command line, cannot be read as a Scheme file, or None."""
    if os.path.isfile(path) or _is_stream(path):     # a pipe: `<(cat c.scm)`, /dev/stdin
        return None if os.access(path, os.R_OK) else f"cannot read {path}: permission denied"
    if os.path.isdir(path):
        return f"{path} is a directory, not a Scheme file"
    if os.path.lexists(path):
        return (f"no such file: {path} (a dangling link)" if os.path.islink(path)
                else f"{path} is not a regular file")
    return f"no such file: {path}"


def _is_stream(path: str) -> bool:
    """PATH is (or links to) a pipe or a character device, readable once from start to end."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)


def internal_error(debug: bool) -> int:
    if debug:
        traceback.print_exc()
    else:
        exc = sys.exc_info()[1]
        sys.stderr.write(f"vsys: internal error: {exc.__class__.__name__}: {exc}\n"
                         "hint: this is a bug in vsys; rerun with --debug for the Python "
                         "traceback and report it\n")
    return 70
