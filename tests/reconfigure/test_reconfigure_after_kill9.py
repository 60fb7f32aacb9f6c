"""The supervisor killed with SIGKILL, then reconfigure: the new supervisor adopts what
is unchanged, ends the processes of removed services, restarts changed ones on their new
command, and the summary says so; nothing stale is reported as started."""

from __future__ import annotations

import json
import os
import signal
import time

import pytest
from reconf_helpers import World
from test_reconfigure_services import pid, sleepers

from vsys import state

pytestmark = pytest.mark.slow


def supervisor_pid(w: World) -> int:
    old = os.environ.get("VSYS_STATE_DIR")
    os.environ["VSYS_STATE_DIR"] = w.state
    try:
        with open(os.path.join(state.run_dir(w.root), "state.json")) as f:
            return json.load(f)["supervisor"]
    finally:
        if old is None:
            del os.environ["VSYS_STATE_DIR"]
        else:
            os.environ["VSYS_STATE_DIR"] = old


def alive(p: int) -> bool:
    try:
        with open(f"/proc/{p}/stat") as f:
            return f.read().split(") ")[1][0] != "Z"
    except OSError:
        return False


def command(p: int) -> str:
    with open(f"/proc/{p}/cmdline", "rb") as f:
        return f.read().replace(b"\0", b" ").decode().strip()


def test_reconfigure_after_the_supervisor_was_killed(world):
    w = world
    w.reconfigure(sleepers(w, "a.scm", keep=1000, change=2000, drop=3000))
    keep, change, drop = (pid(w, n, wait=True) for n in ("keep", "change", "drop"))
    assert keep and change and drop
    sup = supervisor_pid(w)
    os.kill(sup, signal.SIGKILL)
    while alive(sup):
        time.sleep(0.02)

    out = w.reconfigure(sleepers(w, "b.scm", keep=1000, change=2500)).stdout
    assert ("supervisor: started for this root; adopted the running keep; restarted "
            "(changed while no supervisor ran) change; stopped (no longer defined) drop "
            "(log: ") in out, out
    # The removed service's process is gone, not left running unsupervised.
    assert not alive(drop)
    # The changed one runs its new command; the unchanged one was adopted as it was.
    assert not alive(change)
    new = pid(w, "change", wait=True)
    assert new and command(new) == "/bin/sleep 2500"
    assert pid(w, "keep") == keep
    assert pid(w, "drop") is None
    status = w.vsys("herd", "--root", w.root, "status").stdout
    assert " + change\n" in status and " + keep\n" in status and "drop" not in status
