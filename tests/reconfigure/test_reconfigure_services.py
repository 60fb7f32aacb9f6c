"""Reconfigure and the supervisor: a root without one gets one, started on the new
services; a running one loads them (starting new services, restarting changed ones
unless --no-restart, stopping removed ones) and the output says which."""

from __future__ import annotations

import os
import re
import textwrap
import time

import pytest
from support.world import World

pytestmark = pytest.mark.slow

SLEEPY = """\
(use-modules (gnu))
(use-service-modules shepherd)
(define (sleeper name seconds)
  (simple-service name shepherd-root-service-type
    (list (shepherd-service
            (provision (list name))
            (requirement '(user-processes))
            (documentation "Sleep for a while.")
            (start #~(make-forkexec-constructor
                      (list "/bin/sleep" #$(number->string seconds))))
            (stop #~(make-kill-destructor))))))
(define (svc name command)
  (simple-service name shepherd-root-service-type
    (list (shepherd-service
            (provision (list name))
            (requirement '(user-processes))
            (start #~(make-forkexec-constructor (list "/bin/sh" "-c" #$command)))
            (stop #~(make-kill-destructor))))))
(operating-system
  (host-name "sleepy")
  (packages '())
  (services (list {services})))
"""


def sleepers(w: World, name: str, **seconds: int) -> str:
    return w.config(name, SLEEPY.format(services=" ".join(
        f"(sleeper '{n} {s})" for n, s in seconds.items())))


def pid(w: World, service: str, wait: bool = False) -> int | None:
    """The service's main PID (None: not running); WAIT for a freshly started
    supervisor, which starts its services in the background."""
    deadline = time.monotonic() + (10 if wait else 0)
    while True:
        out = w.vsys("herd", "--root", w.root, "status", service, check=None).stdout
        m = re.search(r"Main PID: (\d+)", out)
        if m or time.monotonic() >= deadline:
            return int(m.group(1)) if m else None
        time.sleep(0.05)


def test_the_supervisor_follows_the_generations(world):
    w = world
    out = w.reconfigure(sleepers(w, "a.scm", nap=1000, doze=2000)).stdout
    assert "  start: doze, nap" in out or "  start: nap, doze" in out
    assert "no supervisor runs for this root: one will be started" in out
    assert re.search(r"supervisor: started for this root; started (doze, nap|nap, doze) "
                     r"\(log: ", out)
    doze, nap = pid(w, "doze", wait=True), pid(w, "nap", wait=True)
    assert doze and nap

    out = w.reconfigure(sleepers(w, "b.scm", doze=2500, snooze=3000)).stdout
    assert "  start: snooze\n" in out and "  restart: doze\n" in out and "  stop: nap\n" in out
    assert "supervisor: started snooze; restarted doze; stopped nap" in out
    assert pid(w, "doze") not in (None, doze) and pid(w, "snooze")
    assert pid(w, "nap") is None

    doze = pid(w, "doze")
    out = w.reconfigure(w.base + "/b.scm").stdout
    assert "nothing to do" in out
    assert pid(w, "doze") == doze                      # a no-op restarts nothing

    out = w.reconfigure(sleepers(w, "c.scm", doze=2600, snooze=3000), "--no-restart").stdout
    assert "  changed, not restarted (--no-restart): doze" in out
    assert pid(w, "doze") == doze

    out = w.vsys("roll-back", "--root", w.root).stdout
    assert "switched to generation 2 (previously 3)" in out
    assert pid(w, "doze") != doze                      # generation 2's doze differs from 3's


def test_no_supervisor_leaves_services_alone(world):
    w = world
    out = w.reconfigure(sleepers(w, "a.scm", nap=1000), "--no-supervisor").stdout
    assert "services: not loaded (--no-supervisor)" in out
    r = w.vsys("herd", "--root", w.root, "status", check=4)
    assert "no supervisor is running" in r.stderr


def test_a_service_that_cannot_start_is_reported_with_its_reason(world):
    w = world
    path = os.path.join(w.base, "broken.scm")
    with open(path, "w") as f:
        f.write(textwrap.dedent("""\
            (use-modules (gnu) (gnu services shepherd))
            (operating-system
              (host-name "h")
              (services (list (simple-service 'broken shepherd-root-service-type
                (list (shepherd-service (provision '(broken))
                        (start #~(make-forkexec-constructor
                                  (list "/nonexistent/bin/broken-daemon")))
                        (stop #~(make-kill-destructor))))))))
            """))
    out = w.reconfigure(path).stdout
    assert "supervisor: started for this root; could not start broken (log: " in out
    assert ("  failed to start broken: /nonexistent/bin/broken-daemon: no such program"
            in out)


# A service that exits as soon as it starts is respawned until the supervisor disables
# it for respawning too fast: reconfigure watches new services that long, and reports it
# under "could not start" rather than as started.
TOO_FAST = ("it {why}; respawning too fast (more than 5 times in 7 seconds): disabled; "
            "`vsys herd enable {name}` then start it again")


def test_a_crash_loop_is_reported_as_not_started(world):
    w = world
    first = w.config("a.scm", SLEEPY.format(services="""
        (svc 'crasher "exit 3") (svc 'sleeper "exec sleep 600")"""))
    out = w.reconfigure(first).stdout
    assert "supervisor: started for this root; started sleeper; could not start crasher" in out
    too_fast = TOO_FAST.format(name='crasher', why='exited with code 3')
    assert f"  failed to start crasher: {too_fast}" in out
    # A running supervisor loading a new generation: the same watch.
    second = w.config("b.scm", SLEEPY.format(services="""
        (svc 'crasher "exit 3") (svc 'sleeper "exec sleep 600")
        (svc 'dying "echo bye; exit 4")"""))
    out = w.reconfigure(second).stdout
    assert "supervisor: could not start dying" in out, out
    assert "started dying" not in out
    # the reason in its own words, from its last run only
    too_fast = TOO_FAST.format(name='dying', why='exited with code 4: bye')
    assert f"  failed to start dying: {too_fast}" in out
