"""Ganeti's own daemon-util (the real script of Debian's ganeti package), with the
/etc/default/ganeti a Ganeti system gets, starts, checks and stops daemons through the
supervisor: what ganeti-watcher and the gnt-* commands ask for is what `herd status`
shows.  Stand-in daemons (sleep) play the Ganeti daemons; the supervisor, its herd
command and daemon-util are the real ones."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from hostprograms import need_program

from vsys.shepherd import herd_command
from vsys.stdlib import ganeti

DAEMON_UTIL = "/usr/lib/ganeti/daemon-util"


@pytest.fixture
def ganeti_world(sandbox):
    if not os.access(DAEMON_UTIL, os.X_OK):
        need_program("ganeti-daemon-util", "ganeti")
    for name in ("ganeti-noded", "ganeti-wconfd", "ganeti-rapi", "ganeti-luxid"):
        sandbox.sleeper(name, **{"auto-start": False})
    sandbox.start_supervisor()
    herd = os.path.join(sandbox.root, "run/vsys/herd")
    etc = os.path.join(sandbox.base, "etc")
    os.makedirs(os.path.join(etc, "default"))
    hook = ganeti._DAEMON_UTIL_HOOK.replace(herd_command.PATH, herd)
    with open(os.path.join(etc, "default/ganeti"), "w") as f:
        f.write(hook)

    def daemon_util(*args: str) -> subprocess.CompletedProcess:
        env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "SYSCONFDIR": etc,
               "LOCALSTATEDIR": os.path.join(sandbox.base, "var")}
        return subprocess.run([DAEMON_UTIL, *args], env=env, capture_output=True, text=True,
                              timeout=120)

    def status(name: str) -> str:
        return sandbox.call("status", name)["result"]["status"]
    return sandbox, herd, daemon_util, status


def test_the_supervisor_writes_its_herd_command(ganeti_world):
    sandbox, herd, _, _ = ganeti_world
    root = os.path.realpath(sandbox.root)
    with open(herd) as f:
        assert f.read() == (
            "#!/bin/sh\n"
            f"# `herd` for the system of the root {root}: its supervisor wrote this.\n"
            f"VSYS_STATE_DIR={sandbox.state} exec {sys.executable} -m vsys herd --root "
            f'{root} "$@"\n')
    assert os.stat(herd).st_mode & 0o777 == 0o755
    out = subprocess.run([herd, "status", "ganeti-noded"], capture_output=True, text=True,
                         env={"PATH": "/usr/bin:/bin"})
    assert out.returncode == 0 and "  It is stopped.\n" in out.stdout


def test_daemon_util_starts_checks_and_stops_through_herd(ganeti_world):
    sandbox, _, daemon_util, status = ganeti_world
    assert daemon_util("check", "ganeti-noded").returncode == 1
    out = daemon_util("check-and-start", "ganeti-noded")
    assert (out.returncode, out.stderr) == (0, "")
    assert status("ganeti-noded") == "running"
    assert daemon_util("check", "ganeti-noded").returncode == 0
    pid = sandbox.service_pid("ganeti-noded")
    # check-and-start of a running daemon leaves it alone
    assert daemon_util("check-and-start", "ganeti-noded").returncode == 0
    assert sandbox.service_pid("ganeti-noded") == pid
    assert daemon_util("stop", "ganeti-noded").returncode == 0
    assert status("ganeti-noded") == "stopped"
    assert daemon_util("check", "ganeti-noded").returncode == 1


def test_master_role_and_unknown_daemons(ganeti_world):
    sandbox, _, daemon_util, status = ganeti_world
    assert daemon_util("start-master").returncode == 0
    assert [status(n) for n in ("ganeti-wconfd", "ganeti-rapi", "ganeti-luxid")] == \
        ["running"] * 3
    assert daemon_util("stop-master").returncode == 0
    assert [status(n) for n in ("ganeti-wconfd", "ganeti-rapi", "ganeti-luxid")] == \
        ["stopped"] * 3
    # a daemon this system does not run cannot be started, and daemon-util says so
    out = daemon_util("start", "ganeti-confd")
    assert out.returncode != 0 and "ganeti-confd" in out.stderr


def test_without_a_supervisor_daemon_util_says_why(ganeti_world, tmp_path):
    _, herd, daemon_util, _ = ganeti_world
    os.unlink(herd)
    out = daemon_util("check-and-start", "ganeti-noded")
    assert out.returncode == 1
    assert out.stderr == (f"daemon-util: {herd} is missing: the vsys supervisor of this "
                          f"system is not running\n")


def test_other_actions_are_daemon_util_s_own(ganeti_world):
    _, _, daemon_util, _ = ganeti_world
    out = daemon_util("list-start-daemons")
    assert out.returncode == 0 and out.stdout.split()[:3] == [
        "ganeti-noded", "ganeti-confd", "ganeti-wconfd"]
