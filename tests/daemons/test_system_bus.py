"""The system bus counts as started only once it answers: dbus-daemon names itself in
vsys's pid file after it listens on the socket, and the supervisor waits for that file.
A service started after dbus-system (libvirtd) caches a failed first connection for its
whole life, so "running" must mean "answering", after a respawn too."""

from __future__ import annotations

import os
import re

import pytest
from hostprograms import need_program
from support.paths import REPO as ROOT

pytestmark = pytest.mark.slow

GET_ID = ("dbus-send", "--system", "--print-reply", "--dest=org.freedesktop.DBus",
          "/org/freedesktop/DBus", "org.freedesktop.DBus.GetId")


def main_pid(box) -> int | None:
    """The pid `herd status dbus-system` gives while it says the bus runs, else None."""
    out = box.vsys("herd", "--root", box.root, "status", "dbus-system", check=None).stdout
    found = re.search(r"Main PID: (\d+)", out)
    return int(found.group(1)) if "It is running" in out and found else None


def test_the_bus_runs_once_it_answers_and_again_after_a_kill(box):
    need_program("dbus-daemon", "dbus")
    need_program("bwrap", "bubblewrap")
    box.reconfigure(os.path.join(ROOT, "examples", "default.scm"))
    first = main_pid(box)
    assert first is not None
    # the supervised process is the bus itself, and it wrote vsys's pid file, not the
    # daemon's own /run/dbus/pid
    assert box.exec("cat", "/run/vsys/dbus-system.pid").stdout.strip() == str(first)
    assert box.exec("cat", f"/proc/{first}/comm").stdout.strip() == "dbus-daemon"
    assert box.exec("test", "-e", "/run/dbus/pid", check=None).returncode != 0

    box.exec("kill", "-9", str(first))
    # the respawned bus is reported running only once it answers: the first status that
    # names a new pid must find the socket answering
    second = box.wait_for(lambda: (pid := main_pid(box)) not in (None, first) and pid,
                          what="dbus-system to be respawned")
    answer = box.exec(*GET_ID, check=None)
    assert answer.returncode == 0 and "string " in answer.stdout, answer.stderr
    assert box.exec("cat", "/run/vsys/dbus-system.pid").stdout.strip() == str(second)
