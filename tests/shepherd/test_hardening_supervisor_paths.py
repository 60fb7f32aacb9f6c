"""The supervisor of a root never acts outside it: a log file under a `var/log` that
is a link out of the root, or a binfmt directory under a `proc` linked to the host's
/proc, make the start fail in words, and nothing outside changes.  Links planted at a
log or pid file (or a directory on its way) after the start resolved it are not
followed either: each use walks from the root again."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from test_binfmt import PLATFORMS, register_string

from vsys.shepherd import secrets
from vsys.shepherd.process import StartError
from vsys.shepherd.rootfiles import RootFile


def _victim(sandbox) -> str:
    v = os.path.join(sandbox.base, "victim")
    os.makedirs(v)
    return v


def test_a_log_file_behind_a_link_out_of_the_root_is_refused(sandbox):
    v = _victim(sandbox)
    os.makedirs(os.path.join(sandbox.root, "var"))
    os.symlink(v, os.path.join(sandbox.root, "var/log"))
    sandbox.sleeper("x", start={"argv": sandbox.sleep_argv(), "log-file": "/var/log/x.log"},
                    **{"auto-start": False})
    sandbox.start_supervisor()
    done = sandbox.herd("start", "x")
    assert done.returncode != 0
    assert "leads out of the root" in done.stderr + done.stdout
    assert os.listdir(v) == []


def test_a_proc_linked_to_the_hosts_is_not_taken_for_the_kernels(sandbox):
    os.symlink("/proc", os.path.join(sandbox.root, "proc"))
    name = next(iter(PLATFORMS))
    sandbox.spec("qemu-binfmt", start={"kind": "binfmt", "entries": [register_string(name)]},
                 **{"auto-start": False})
    sandbox.start_supervisor()
    done = sandbox.herd("start", "qemu-binfmt")
    assert done.returncode != 0
    assert "/proc/sys/fs/binfmt_misc: " in done.stderr + done.stdout
    assert "leads out of the root" in done.stderr + done.stdout


def _wait_for(check, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def _content(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def test_a_link_planted_at_the_log_after_the_start_is_not_followed(sandbox):
    """The log was resolved at the start; links planted at it, then at its directory,
    while the service writes, take no byte outside the root."""
    v = _victim(sandbox)
    with open(os.path.join(v, "file"), "wb") as f:
        f.write(b"the victim's\n")
    logs = os.path.join(sandbox.root, "var/log")
    os.makedirs(logs)
    log = os.path.join(logs, "x.log")
    sandbox.sleeper("x", start={"argv": ["/bin/sh", "-c", f": sleep-{sandbox.base}; while :; "
                                         "do echo tick; sleep 0.05; done"],
                                "log-file": "/var/log/x.log"}, **{"auto-start": False})
    sandbox.start_supervisor()
    assert sandbox.herd("start", "x").returncode == 0
    _wait_for(lambda: b"tick" in _content(log))
    os.unlink(log)
    os.symlink(os.path.join(v, "file"), log)
    time.sleep(0.5)
    assert _content(os.path.join(v, "file")) == b"the victim's\n"
    os.unlink(log)
    os.rename(logs, logs + ".moved")
    os.symlink(v, logs)
    time.sleep(0.5)
    assert sorted(os.listdir(v)) == ["file"]
    assert _content(os.path.join(v, "file")) == b"the victim's\n"
    os.unlink(logs)
    os.rename(logs + ".moved", logs)
    _wait_for(lambda: os.path.exists(log) and b"tick" in _content(log))    # writes again
    assert sandbox.herd("stop", "x").returncode == 0


def test_a_pid_file_directory_linked_out_while_waiting_is_not_read(sandbox):
    """While the supervisor waits for a pid file, its directory is made a link to a
    place outside holding a pid file of another process: that process is not taken
    for the service (the start times out), and nothing outside is removed."""
    v = _victim(sandbox)
    run = os.path.join(sandbox.root, "run")
    os.makedirs(run)
    sandbox.sleeper("x", start={"argv": sandbox.sleep_argv(), "pid-file": "/run/x.pid",
                                "pid-file-timeout": 3}, **{"auto-start": False})
    sandbox.start_supervisor()
    start = subprocess.Popen([sys.executable, "-m", "vsys", "herd", "--root", sandbox.root,
                              "start", "x"], env=sandbox.env, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(0.5)
    other = subprocess.Popen(["/bin/bash", "-c", f"exec -a 'sleep-{sandbox.base}' sleep 60"])
    with open(os.path.join(v, "x.pid"), "w") as f:
        f.write(f"{other.pid}\n")
    os.rename(run, run + ".moved")
    os.symlink(v, run)
    out, err = start.communicate(timeout=60)
    assert start.returncode != 0
    assert "no live process named in the pid file" in err, err
    assert other.poll() is None                         # neither adopted nor stopped
    assert sorted(os.listdir(v)) == ["x.pid"]
    status = sandbox.herd("status", "x").stdout
    assert f"Main PID: {other.pid}" not in status
    other.kill()
    other.wait()


def test_a_root_file_refuses_links_planted_after_it_was_resolved(tmp_path):
    """The race itself, made certain: the pid or log file is resolved, then its
    directory becomes a link out of the root; reading, appending and removing it then
    fail in words or touch only the root, and nothing outside changes."""
    root, v = tmp_path / "root", tmp_path / "victim"
    (root / "run").mkdir(parents=True)
    v.mkdir()
    (v / "x.pid").write_text("1\n")
    f = RootFile(str(root), "/run/x.pid")
    assert f.path == f"{root}/run/x.pid"
    (root / "run").rename(root / "run.moved")
    (root / "run").symlink_to(v)
    for use in (f.read, f.unlink, lambda: f.append(b"x"), f.touch):
        with pytest.raises(StartError, match="leads out of the root"):
            use()
    (root / "run").unlink()
    (root / "run").mkdir()
    (root / "run" / "x.pid").symlink_to(v / "x.pid")    # now at the name itself
    with pytest.raises(StartError, match="is a link"):
        f.append(b"x")
    with pytest.raises(StartError, match="leads out of the root"):
        f.read()
    f.unlink()                                          # the link goes, not its target
    assert not os.path.lexists(root / "run" / "x.pid")
    assert (v / "x.pid").read_text() == "1\n" and sorted(os.listdir(v)) == ["x.pid"]


def test_a_secret_linked_out_of_the_root_is_not_sent(tmp_path):
    """A VM's secret root may hold links to files of the root, not to the host's: a
    link out is refused when the files are listed, and one swapped in after that is
    refused when the file is read."""
    root = tmp_path / "root"
    where = root / "etc/childhurd"
    where.mkdir(parents=True)
    (where / "key").write_text("the root's key\n")
    (root / "etc/elsewhere").write_text("a file of the root\n")
    (where / "linked").symlink_to(root / "etc/elsewhere")
    listed = secrets.collect(str(where), str(root))
    assert [rel for rel, *_ in listed] == ["/key", "/linked"]
    (where / "linked").unlink()
    (where / "linked").symlink_to("/etc/passwd")
    with pytest.raises(secrets.SecretServiceError, match=f"cannot send {where}/linked: it "
                       f"is a link out of the root {root} \\(to /etc/passwd\\)"):
        secrets.collect(str(where), str(root))
    with pytest.raises(secrets.SecretServiceError, match="leads out of the root"):
        secrets._read(str(where / "linked"), str(root))
    assert secrets._read(str(where / "key"), str(root)) == b"the root's key\n"
