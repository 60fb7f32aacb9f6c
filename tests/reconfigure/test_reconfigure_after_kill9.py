"""The supervisor of a sandbox root killed with SIGKILL, then reconfigure with a changed
config: the container's PID namespace ended every process with it, and the next
reconfigure starts the new system's services (the changed one on its new command, the
removed one not at all) without reporting anything stale.  Adoption by an uncontained
supervisor (`--root /`) is tested in tests/shepherd/test_crash_recovery.py."""

from __future__ import annotations

import os
import re
import signal
import time

import pytest
from support.containerbox import alive, descendants
from support.world import World
from test_reconfigure_services import pid, sleepers

from vsys import container

pytestmark = pytest.mark.slow


def container_init(w: World) -> int:
    """The host pid of the root's container init (the supervisor is its one child)."""
    old = os.environ.get("VSYS_STATE_DIR")
    os.environ["VSYS_STATE_DIR"] = w.state
    try:
        info = container.running(w.root)
    finally:
        if old is None:
            del os.environ["VSYS_STATE_DIR"]
        else:
            os.environ["VSYS_STATE_DIR"] = old
    assert info, "no container runs for the root"
    return info["pid"]


def test_reconfigure_after_the_supervisor_was_killed(world):
    w = world
    w.reconfigure(sleepers(w, "a.scm", keep=1000, change=2000, drop=3000))
    assert all(pid(w, n, wait=True) for n in ("keep", "change", "drop"))
    init = container_init(w)
    everything = descendants(init)
    with open(f"/proc/{init}/task/{init}/children") as f:
        (supervisor,) = map(int, f.read().split())
    os.kill(supervisor, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while any(alive(p) for p in everything) and time.monotonic() < deadline:
        time.sleep(0.02)
    # The removed service's process is gone with the others, not left unsupervised.
    assert not any(alive(p) for p in everything)

    out = w.reconfigure(sleepers(w, "b.scm", keep=1000, change=2500)).stdout
    assert "ended without `herd stop root`" in out, out
    assert re.search(r"^supervisor: started for this root; started (change, keep|keep, "
                     r"change) \(log: ", out, re.M), out
    new = pid(w, "change", wait=True)
    assert new and w.vsys("exec", "--root", w.root, "--", "cat", f"/proc/{new}/cmdline") \
        .stdout.replace("\0", " ").strip() == "/bin/sleep 2500"
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
