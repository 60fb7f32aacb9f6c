"""Reconfigure with an unchanged config after the host changed under a service: a
program installed since the service failed starts it, a program upgraded in place
restarts it (its spec is the same, what it runs is not)."""

from __future__ import annotations

import os

import pytest
from test_reconfigure_services import pid

pytestmark = pytest.mark.slow

TOOL = """\
(use-modules (gnu))
(use-service-modules shepherd)
(operating-system
  (host-name "tooled")
  (packages '())
  (services (list (simple-service 'tool shepherd-root-service-type
    (list (shepherd-service
            (provision '(tool))
            (start #~(make-forkexec-constructor (list "{tool}")))
            (stop #~(make-kill-destructor))))))))
"""


def install(path: str, seconds: int) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path + ".new", "w") as f:
        f.write(f"#!/bin/sh\nexec sleep {seconds}\n")
    os.chmod(path + ".new", 0o755)
    os.replace(path + ".new", path)          # as a package upgrade replaces a file


def test_install_then_reconfigure_starts_and_upgrade_restarts(world):
    w = world
    # The program lives in the root (its /srv), where the container sees it, as a host
    # package's program would in /usr.
    tool, at = "/srv/bin/tool", os.path.join(w.root, "srv/bin/tool")
    config = w.config("tool.scm", TOOL.format(tool=tool))
    out = w.reconfigure(config).stdout
    assert f"  failed to start tool: {tool}: no such program" in out, out

    install(at, 1000)
    out = w.reconfigure(config).stdout
    assert "  start: tool\n" in out and "supervisor: started tool\n" in out, out
    first = pid(w, "tool", wait=True)
    assert first

    out = w.reconfigure(config).stdout
    assert "nothing to do" in out and pid(w, "tool") == first

    install(at, 1001)
    out = w.reconfigure(config).stdout
    assert "  restart: tool\n" in out and "supervisor: restarted tool\n" in out, out
    assert pid(w, "tool", wait=True) not in (None, first)
