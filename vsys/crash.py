"""Chosen interruptions, for the tests that kill vsys at every point that matters.

Activation calls `point(LABEL)` right after each of its steps and before and after
every write and rename under a root.  With VSYS_CRASH_AT set to a label (the steps'
names) or to `@N` (the N-th point this process reaches, counting from 1) the process
dies there at once, as with kill -9; with VSYS_CRASH_TRACE naming a file, every point
reached is appended to it as `N LABEL`, so a test lists the points of a run and then
kills one run at each.
"""

from __future__ import annotations

import os
import sys

STATUS = 86
_count = 0


def point(label: str) -> None:
    global _count
    at = os.environ.get("VSYS_CRASH_AT")
    trace = os.environ.get("VSYS_CRASH_TRACE")
    if not at and not trace:
        return
    _count += 1
    if trace:
        with open(trace, "a", encoding="utf-8") as f:
            f.write(f"{_count} {label}\n")
    if at == label or at == f"@{_count}":
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(STATUS)
