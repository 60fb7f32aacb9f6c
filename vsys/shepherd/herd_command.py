"""`/run/vsys/herd` in the managed system: the command its own programs run to reach
this supervisor, as a Guix system has `herd`.  Ganeti's daemon-util goes through it
(see stdlib/ganeti.py), so the daemons Ganeti starts and stops are the supervisor's.

The supervisor writes it when it starts, because only then are the vsys that runs it,
its state directory and its root known (a generation names none of them).  Inside a
container the state directory is at the same path as outside, so the command works
from both sides.
"""

from __future__ import annotations

import os
import shlex
import sys

from .. import state

PATH = "/run/vsys/herd"


def text(root: str) -> str:
    return ("#!/bin/sh\n"
            f"# `herd` for the system of the root {root}: its supervisor wrote this.\n"
            f"VSYS_STATE_DIR={shlex.quote(state.state_dir())} exec "
            f"{shlex.quote(sys.executable)} -m vsys herd --root {shlex.quote(root)} "
            '"$@"\n')


def write(sup) -> None:
    """Write the command under SUP's root, replacing an older one in one rename; never
    through a link that leads out of the root."""
    from ..activation.links import check_inside
    path = sup.root_path(PATH)
    top = getattr(sup, "top", sup.root)       # the root as the supervisor sees it
    check_inside(top, path)
    os.makedirs(os.path.dirname(path), mode=0o755, exist_ok=True)
    check_inside(top, path)
    tmp = f"{path}.{os.getpid()}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
                 0o755)
    try:
        os.write(fd, text(sup.root).encode())
        os.fchmod(fd, 0o755)
    finally:
        os.close(fd)
    os.replace(tmp, path)
