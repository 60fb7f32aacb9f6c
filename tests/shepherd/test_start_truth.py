"""A start is confirmed before it is reported, starts run concurrently along their
requirements, a start under way can be stopped, and a live daemon's pid file is never
taken away: what `vsys herd` says is what runs."""

from __future__ import annotations

import os
import re
import subprocess
import threading
import time

import pytest


def slow_daemon(sandbox, name: str, seconds: float, **data) -> dict:
    """A daemon that writes its pid file after SECONDS (its start condition)."""
    os.makedirs(os.path.join(sandbox.root, "run"), exist_ok=True)
    pid_file = os.path.join(sandbox.root, "run", f"{name}.pid")
    data.setdefault("auto-start", False)
    return sandbox.spec(name, **data, start={
        "argv": ["/bin/bash", "-c", f"sleep {seconds}; echo $$ > {pid_file}; "
                 f"exec -a 'sleep-{sandbox.base}' sleep 1000"],
        "pid-file": f"/run/{name}.pid", "pid-file-timeout": 60})


def timed(fn, *args):
    t0 = time.monotonic()
    result = fn(*args)
    return result, time.monotonic() - t0


def test_a_process_that_exits_after_half_a_second_is_not_started(sandbox):
    sandbox.spec("quitter", **{"auto-start": False}, start={
        "argv": ["/bin/sh", "-c", f"echo bye {sandbox.base}; sleep 0.5; exit 0"]})
    sandbox.start_supervisor()
    r = sandbox.herd("start", "quitter")
    assert (r.returncode, r.stdout) == (1, "")
    assert re.fullmatch(
        r"herd: error: cannot start quitter: /bin/sh exited with code 0 0\.[5-9] s after it "
        r"was started \(a service counts as started once its process has stayed up 1 s\): "
        rf"bye {sandbox.base}\n", r.stderr), r.stderr
    status = sandbox.herd("status").stdout
    assert "Failed to start:\n ! quitter\n" in status
    assert "It failed to start." in sandbox.herd("status", "quitter").stdout


def test_status_shows_starting_and_stopping(sandbox):
    slow_daemon(sandbox, "slow", 3)
    sandbox.spec("stubborn", **{"auto-start": False}, start={"argv": [
        "/bin/bash", "-c", f"trap '' TERM; exec -a 'sleep-{sandbox.base}' sleep 1000"]},
                 stop={"grace": 3})
    sandbox.start_supervisor()
    assert sandbox.herd("start", "stubborn").returncode == 0
    starting = threading.Thread(target=sandbox.herd, args=("start", "slow"))
    starting.start()
    sandbox.wait_for(lambda: sandbox.call("status", "slow")["result"]["status"] == "starting",
                     what="starting")
    stopping = threading.Thread(target=sandbox.herd, args=("stop", "stubborn"))
    stopping.start()
    sandbox.wait_for(lambda: sandbox.call("status", "stubborn")["result"]["status"] ==
                     "stopping", what="stopping")
    out = sandbox.herd("status").stdout.splitlines()
    assert out[1:6] == ["Started:", "Starting:", " ~ slow", "Stopping:", " ~ stubborn"]
    assert "  It is starting." in sandbox.herd("status", "slow").stdout
    assert "  It is stopping." in sandbox.herd("status", "stubborn").stdout
    starting.join(30)
    stopping.join(30)
    out = sandbox.herd("status").stdout.splitlines()
    assert out[1:5] == ["Started:", " + slow", "Stopped:", " - stubborn"]


def test_starts_run_concurrently_along_requirements(sandbox):
    # Three independent 2 s starts under one service, then one that needs them all.
    for name in ("a", "b", "c"):
        slow_daemon(sandbox, name, 2)
    slow_daemon(sandbox, "top", 2, requirement=["a", "b", "c"])
    sandbox.sleeper("quick", **{"auto-start": False})
    sandbox.start_supervisor()
    result = {}
    t = threading.Thread(target=lambda: result.update(r=timed(sandbox.herd, "start", "top")))
    t.start()
    sandbox.wait_for(lambda: sandbox.call("status", "a")["result"]["status"] == "starting",
                     what="a starting")
    # Meanwhile the supervisor carries out other requests at once.
    r, took = timed(sandbox.herd, "start", "quick")
    assert (r.returncode, r.stdout, took < 1.9) == (0, "Service quick has been started.\n", True)
    r, took = timed(sandbox.herd, "stop", "quick")
    assert (r.returncode, took < 1.5) == (0, True)
    t.join(30)
    r, took = result["r"]
    assert r.returncode == 0, r.stderr
    assert sorted(r.stdout.splitlines()[:3]) == ["Service a has been started.",
                                                 "Service b has been started.",
                                                 "Service c has been started."]
    assert r.stdout.splitlines()[3] == "Service top has been started."
    # Two 2 s starts one after the other (the longest chain), not four.
    assert 4 <= took < 6.5, took


def test_stopping_a_service_that_is_starting_cancels_its_start(sandbox):
    slow_daemon(sandbox, "slow", 600)
    slow_daemon(sandbox, "after", 1, requirement=["slow"])
    sandbox.start_supervisor()
    result = {}
    t = threading.Thread(target=lambda: result.update(r=sandbox.herd("start", "after")))
    t.start()
    sandbox.wait_for(lambda: sandbox.marked(b"sleep 600"), what="slow's process")
    r, took = timed(sandbox.herd, "stop", "slow")
    assert (r.returncode, took < 5) == (0, True), took
    assert r.stdout == "Service after has been stopped.\nService slow has been stopped.\n"
    t.join(10)
    assert (result["r"].returncode, result["r"].stderr) == (
        1, "herd: error: cannot start after: its start was cancelled by `herd stop`\n")
    assert sandbox.marked(b"sleep") == []
    out = sandbox.herd("status").stdout
    assert " - slow\n" in out and " - after\n" in out and "Failed" not in out


@pytest.fixture
def sshd_outside(sandbox, need, free_port):
    """A real sshd the supervisor did not start, holding a port and the pid file the
    service's spec names (in a mount namespace of its own: it needs /run/sshd)."""
    sshd, keygen = need("sshd", "openssh-server"), need("ssh-keygen", "openssh-client")
    need("unshare", "util-linux")
    base = sandbox.base
    subprocess.run([keygen, "-q", "-t", "ed25519", "-N", "", "-f", f"{base}/key"], check=True)
    os.makedirs(os.path.join(sandbox.root, "run"))
    pid_file = os.path.join(sandbox.root, "run", "sshd.pid")
    with open(f"{base}/sshd_config", "w") as f:
        f.write(f"Port {free_port()}\nListenAddress 127.0.0.1\nHostKey {base}/key\n"
                f"PidFile {pid_file}\nUsePAM no\n")
    wrapper = ["unshare", "-m", "--propagation", "private", "sh", "-c",
               f"mount -t tmpfs tmpfs /run && mkdir /run/sshd && exec {sshd} -f {base}/sshd_config"]
    subprocess.run(wrapper, check=True)
    pid = sandbox.wait_for(lambda: open(pid_file).read().strip() if os.path.exists(pid_file)
                           else None, what="sshd's pid file")
    yield int(pid), pid_file, wrapper
    try:
        os.kill(int(pid), 15)
    except ProcessLookupError:
        pass


def test_a_live_daemons_pid_file_is_left_alone(sandbox, sshd_outside):
    pid, pid_file, wrapper = sshd_outside
    sandbox.spec("ssh-daemon", **{"auto-start": False},
                 start={"argv": wrapper, "pid-file": "/run/sshd.pid"})
    sandbox.start_supervisor()
    r = sandbox.herd("start", "ssh-daemon")
    assert (r.returncode, r.stderr) == (1, (
        f"herd: error: cannot start ssh-daemon: another sshd (pid {pid}) holds the pid file "
        f"{pid_file}: stop that process first (it is not supervised by vsys)\n"))
    # The file still names the daemon, which still runs: its own tools can stop it.
    with open(pid_file) as f:
        assert f.read().strip() == str(pid)
    assert os.path.exists(f"/proc/{pid}")
    os.kill(pid, 15)
    sandbox.wait_for(lambda: not os.path.exists(f"/proc/{pid}") or
                     open(f"/proc/{pid}/stat").read().split(") ")[1][0] == "Z", what="exit")
    # A pid file naming a dead process is stale: the next start replaces it.
    r = sandbox.herd("start", "ssh-daemon")
    assert (r.returncode, r.stdout) == (0, "Service ssh-daemon has been started.\n"), r.stderr
    with open(pid_file) as f:
        assert int(f.read()) == sandbox.service_pid("ssh-daemon") != pid
