"""Where vsys keeps its state, and the per-root names inside it.

The state directory is `$VSYS_STATE_DIR`, else `$XDG_STATE_HOME/vsys`, else
`~/.local/state/vsys`.  One supervisor runs per managed root; its control socket,
lock, saved state and logs are named after a short hash of the root's real path so
that several roots (the sandbox, `/`, a test's temporary root) never collide.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
from typing import Iterator


def state_dir() -> str:
    explicit = os.environ.get("VSYS_STATE_DIR")
    if explicit:
        return os.path.abspath(explicit)
    xdg = os.environ.get("XDG_STATE_HOME")
    if xdg:
        return os.path.join(os.path.abspath(xdg), "vsys")
    return os.path.join(os.path.expanduser("~"), ".local", "state", "vsys")


def default_root() -> str:
    """The sandbox root used when no --root is given."""
    return os.path.join(state_dir(), "root")


def root_key(root: str) -> str:
    real = os.path.realpath(root)
    return hashlib.sha256(real.encode()).hexdigest()[:12]


def run_dir(root: str, create: bool = False) -> str:
    """`<state>/run/<key>`: socket, lock, saved supervisor state (owner-only)."""
    path = os.path.join(state_dir(), "run", root_key(root))
    if create:
        os.makedirs(path, mode=0o700, exist_ok=True)
        os.chmod(path, 0o700)
    return path


def socket_path(root: str) -> str:
    return os.path.join(run_dir(root), "shepherd.sock")


def log_dir(root: str, create: bool = False) -> str:
    path = os.path.join(state_dir(), "log", root_key(root))
    if create:
        os.makedirs(path, mode=0o700, exist_ok=True)
    return path


@contextlib.contextmanager
def locked(path: str, blocking: bool = True) -> Iterator[int]:
    """Hold an exclusive flock on PATH (created if missing) for the block.

    Raises BlockingIOError when `blocking` is false and another process holds it."""
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        yield fd
    finally:
        os.close(fd)
