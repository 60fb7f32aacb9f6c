"""The root a command manages (the sandbox root unless --root names one) and the locks
held while changing it: the state directory's, then the root's own."""

from __future__ import annotations

import contextlib
import os
import sys

from . import state
from .container import ContainerError
from .container.launch import check_allowed
from .failures import Failure
from .generations import is_sandbox
from .rootfs import Root


def choose_root(root: str | None) -> str:
    if root is None:
        path = state.default_root()
        os.makedirs(path, mode=0o700, exist_ok=True)     # see vsys.root_access
        return os.path.realpath(path)
    path = os.path.realpath(root)
    if path == "/" and os.geteuid() != 0:
        raise Failure("--root / manages this host's /etc, accounts and binfmt_misc, which "
                      "needs root privileges: run it as root (for example with sudo), or "
                      "leave out --root to use the sandbox root")
    if not os.path.isdir(path):
        raise Failure(f"the root {path} is not a directory (create it first)")
    return path


def container_allowed(root: str) -> None:
    """A sandbox root's services run in a container: where the host allows none, say so
    before anything is built or changed."""
    if root != "/":
        try:
            check_allowed()
        except ContainerError as e:
            raise Failure(str(e)) from None


def root_label(root: str) -> str:
    if root == "/":
        return "/ (this host)"
    return f"{root} (sandbox)" if is_sandbox(root) else root


class Lock:
    """The state lock: one reconfigure (or roll-back, gc...) at a time."""

    def __init__(self, console=None):
        self.console = console
        self.ctx = None

    def __enter__(self):
        path = os.path.join(state.state_dir(), "lock")
        self.ctx = state.locked(path, blocking=False)
        try:
            self.ctx.__enter__()
        except BlockingIOError:
            sys.stderr.write("vsys: waiting for another vsys command (reconfigure, "
                             "roll-back, gc...) to finish\n")
            self.ctx = state.locked(path)
            self.ctx.__enter__()
        return self

    def __exit__(self, *exc):
        return self.ctx.__exit__(*exc)


ROOT_LOCK = "var/lib/vsys/lock"


@contextlib.contextmanager
def root_lock(root: str):
    """The root's own lock (inside it): two state directories managing the same root
    never activate into it at once."""
    with Root(root) as r:
        r.makedirs(os.path.dirname(ROOT_LOCK))
        try:
            with r.locked(ROOT_LOCK, blocking=False):
                yield
                return
        except BlockingIOError:
            pass
        sys.stderr.write(f"vsys: waiting for another vsys (another state directory) "
                         f"activating into {root}\n")
        with r.locked(ROOT_LOCK):
            yield
