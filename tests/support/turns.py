"""Machine-wide turns for tests that hold something fixed while they run: the Ganeti node
example's static address (routed to one container at a time), the VMs' default forwarded
ports.  A test takes its turn with a file lock, so two such tests wait for each other
whichever worker (or whichever concurrent run of the suite) they are in."""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile


@contextlib.contextmanager
def turn(name: str):
    path = os.path.join(tempfile.gettempdir(), f"vsys-tests-{name}.lock")
    with open(path, "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)
