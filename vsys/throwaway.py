"""`vsys container FILE`: a throwaway system, as `guix system container` makes one.

FILE is built into the store as for `vsys build`, activated into a fresh root under
`<state>/containers/`, and run in its container in the foreground: the command prints
the container's address and how to enter it, and returns when the system stops (Ctrl-C,
or `vsys herd --root ROOT stop root`).  Then the root, its profile, its supervisor's
state and logs, and the store items no generation uses are removed: nothing is left.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile

from . import state, store
from .activation import apply, make_plan
from .building import build_and_write
from .console import report_errors
from .container import ContainerError
from .container.launch import check_allowed, start, wait_ended
from .failures import Failure
from .generations import Profile, live_items
from .roots import Lock
from .shepherd import protocol
from .shepherd.client import stop_root


def container_main(path: str, share_net: bool, load_path: list[str], debug: bool) -> int:

    def run() -> int:
        try:
            check_allowed()             # before building: nothing half-starts
        except ContainerError as e:
            raise Failure(str(e)) from None
        root, build = None, None
        try:
            with contextlib.ExitStack() as keep:
                build = build_and_write(path, load_path, keep=keep)
                for line in build.missing:
                    sys.stderr.write(f"vsys: warning: {line}\n")
                parent = os.path.join(state.state_dir(), "containers")
                os.makedirs(parent, mode=0o700, exist_ok=True)
                root = tempfile.mkdtemp(prefix="", dir=parent)
                _activate(root, build.generation)
                sys.stdout.write(f"container: root {root} (removed when it stops)\n")
                sys.stdout.flush()
                try:
                    return start(root, os.path.join(build.generation, "services"),
                                 daemonize=False, share_net=share_net,
                                 say=lambda line: print(line, flush=True),
                                 connect=protocol.connect, stop_root=stop_root)
                except ContainerError as e:
                    raise Failure(str(e)) from None
        finally:
            if root is not None:        # once the build no longer keeps its items
                with Lock():
                    _remove(root, build)
                print("container: stopped; its root and files are removed", flush=True)

    return report_errors(run, path, debug)


def _activate(root: str, generation: str) -> None:
    with Lock():
        plan = make_plan(root, generation, None, True, supervise=False)
        outcome = apply(plan, True)
    if outcome.failures:
        raise Failure("activating the container's root failed: " + "; ".join(outcome.failures))


def _remove(root: str, build) -> None:
    """Everything the throwaway system made, and no more."""
    wait_ended(root)
    profile_dir = Profile(root).dir
    for path in (root, profile_dir, state.run_dir(root), state.log_dir(root)):
        shutil.rmtree(path, ignore_errors=True)
    with store.lock(shared=False):
        live = live_items() | store.protected_items()
        for item in build.items:
            if item not in live and os.path.lexists(item):
                store.remove_tree(item)
