"""`/run/vsys/herd` in the managed system: the command its own programs run to reach
this supervisor, as a Guix system has `herd`.  Ganeti's daemon-util goes through it
(see stdlib/ganeti.py), so the daemons Ganeti starts and stops are the supervisor's.

The supervisor writes it when it starts, because only then are the vsys that runs it,
its state directory and its root known (a generation names none of them).  Inside a
container the state directory is at the same path as outside, so the command works
from both sides.
"""

from __future__ import annotations

import shlex
import sys

from .. import state
from ..rootfs import Root

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
    top = getattr(sup, "top", sup.root)       # the root as the supervisor sees it
    with Root(top) as r:
        r.write(PATH, text(sup.root), mode=0o755, create_parents=True)
