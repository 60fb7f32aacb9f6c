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


SLOW = """\
(use-modules (gnu))
(use-service-modules shepherd)
(define (sleeper name)
  (simple-service name shepherd-root-service-type
    (list (shepherd-service
            (provision (list name))
            (start #~(make-forkexec-constructor (list "/bin/sleep" "1000")))
            (stop #~(make-kill-destructor))))))
(define slow
  (simple-service 'slow shepherd-root-service-type
    (list (shepherd-service
            (provision '(slow))
            (start #~(make-forkexec-constructor
                      (list "/bin/sh" "-c" "sleep 40; echo $$ > {pid}; exec sleep 1000")
                      #:pid-file "/run/slow.pid" #:pid-file-timeout 60))
            (stop #~(make-kill-destructor))))))
(operating-system
  (host-name "slowpoke")
  (packages '())
  (services (list {services})))
"""


def test_a_service_still_starting_is_listed_as_such(world):
    """A running supervisor loading a generation whose new service takes long to start:
    the summary names it as still starting, beside what it started."""
    w = world
    w.reconfigure(w.config("a.scm", SLOW.format(pid="", services="(sleeper 'nap)")))
    assert pid(w, "nap", wait=True)
    os.makedirs(w.path("run"), exist_ok=True)
    out = w.reconfigure(w.config("b.scm", SLOW.format(
        pid=w.path("run/slow.pid"), services="(sleeper 'nap) (sleeper 'doze) slow"))).stdout
    assert "supervisor: started doze; still starting: slow\n" in out, out
    status = w.vsys("herd", "--root", w.root, "status").stdout
    assert "Starting:\n ~ slow\n" in status
