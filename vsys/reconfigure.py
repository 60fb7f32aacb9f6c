"""`vsys build` and `vsys reconfigure`: the path from a config file to a root that
matches it.

  build        evaluate the file, fold its services, build the generation (builders),
               write the store items; print the generation's path
  reconfigure  build, then plan against the root, print the plan, and (unless
               --dry-run) activate under the state lock, then print what changed

Building the generation is vsys.building; the root and its locks are vsys.roots; the
plan's text vsys.plan_text; switching a root to a generation vsys.switching; the commands
over existing generations (roll-back, switch-generation, list-generations,
delete-generations, gc, verify) vsys.generation_commands.

Mistakes in the config are reported as `FILE:LINE:COLUMN: error: ...` (exit 1); trouble
writing (permissions, a full disk) as one plain line (exit 1), never a traceback
(`--debug` adds it).  `vsys build` is imported without Typer or Rich: it is held to a
start-up budget.
"""
from __future__ import annotations

import contextlib
import sys
import time

from . import store
from .building import build_and_write
from .console import report_errors
from .failures import EXIT_OK
from .options import UsageError
from .roots import Lock, choose_root, container_allowed
from .scheme_commands import load_options
from .stdlib.guix_index import set_strict
from .switching import activate


def _report_host_job(build) -> None:
    """What the host lacks (warnings), store items the build put back, then what the
    config leaves to the host."""
    for line in build.missing:
        sys.stderr.write(f"vsys: warning: {line}\n")
    for line in build.repaired:
        sys.stderr.write(f"vsys: store item {line}\n")
    for k, line in enumerate(build.not_managed):
        sys.stderr.write(f"vsys: {line}\n" if k == 0 else line + "\n")


def build_command(args: list[str]) -> int:
    """`vsys build [-L DIR]... [--strict] [--debug] FILE`: --strict may come anywhere."""
    if "--strict" in args:
        args = [a for a in args if a != "--strict"]
        set_strict(True)
    dirs, debug, rest = load_options(args)
    if len(rest) != 1:
        raise UsageError("give one FILE" if not rest else f"unexpected argument {rest[1]}")
    return build_main(rest[0], dirs, debug)


def build_main(path: str, load_path: list[str], debug: bool) -> int:
    """`vsys build FILE`: print the generation's store path."""
    def run():
        build = build_and_write(path, load_path)
        _report_host_job(build)
        sys.stdout.write(build.generation + "\n")
        return EXIT_OK
    return report_errors(run, path, debug)


# --- reconfigure ----------------------------------------------------------------------------


def reconfigure_main(path: str, root: str | None, dry_run: bool, restart: bool,
                     supervise: bool, load_path: list[str], debug: bool,
                     share_net: bool = False) -> int:
    def run():
        chosen = choose_root(root)
        if supervise and not dry_run:
            container_allowed(chosen)
        started = time.monotonic()
        with contextlib.ExitStack() as keep:
            build = build_and_write(path, load_path, show_progress=True, keep=keep)
            _report_host_job(build)
            sys.stderr.write(f"vsys: built {build.generation} in "
                             f"{time.monotonic() - started:.2f} s\n")
            # Images of VMs given an operating-system.  The image builder (~15 ms:
            # importlib.metadata, zipfile, email) is imported here so that `vsys build`,
            # held to a start-up budget, does not pay for it.
            from .image import vm_images  # noqa: PLC0415
            vm_images.provide(build, chosen, path, load_path, dry_run)
            with Lock(), store.lock(shared=True):
                return activate(chosen, build.generation, None, dry_run, restart, supervise,
                                share_net)
    return report_errors(run, path, debug)
