"""A supervisor started after the previous one was killed with SIGKILL: it adopts the
processes it can vouch for, ends the others (a removed service's, a start that was
never confirmed, a changed command) and never reports a stale process as running; for
a sandbox root and for `--root /` alike."""

from __future__ import annotations

import json
import os
import signal
import subprocess

import pytest
from support.cli import VSYS

from vsys import state
from vsys.shepherd import protocol


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[1][0] != "Z"
    except OSError:
        return False


def saved_as(state_file: str, running: dict, slow: int) -> bool:
    """Whether STATE_FILE records the RUNNING services with their pids, and slow's start
    as under way (launched as pid SLOW's parent or itself)."""
    try:
        with open(state_file) as f:
            services = json.load(f)["services"]
    except (OSError, ValueError, KeyError):
        return False
    return all(services.get(n, {}).get("status") == "running" and
               services[n].get("pid") == pid for n, pid in running.items()) and \
        bool(services.get("slow", {}).get("starting"))


@pytest.mark.parametrize("which", ["sandbox", "host"])
def test_kill9_then_a_new_supervisor(sandbox, which):
    root = sandbox.root if which == "sandbox" else "/"
    # The slow service's pid file, as a root path and as the file it is.
    pid_root_path = f"{sandbox.base}/slow.pid"
    pid_file = pid_root_path if root == "/" else sandbox.root + pid_root_path
    os.makedirs(os.path.dirname(pid_file), exist_ok=True)

    def specs(directory: str, change_seconds: int, drop: bool) -> None:
        os.makedirs(directory, exist_ok=True)
        sandbox.sleeper("keep", directory=directory)
        sandbox.spec("change", directory=directory,
                     start={"argv": sandbox.sleep_argv(change_seconds)})
        if drop:
            sandbox.sleeper("drop", directory=directory)
        sandbox.spec("slow", directory=directory, start={
            "argv": ["/bin/bash", "-c", f"sleep 600; echo $$ > {pid_file}; "
                     f"exec -a 'sleep-{sandbox.base}' sleep 1000"],
            "pid-file": pid_root_path, "pid-file-timeout": 900})

    def supervisor(services: str) -> subprocess.Popen:
        log = open(os.path.join(sandbox.base, f"shepherd-{len(sandbox.supervisors)}.log"), "w")
        proc = subprocess.Popen([*VSYS, "shepherd", "--root", root,
                                 "--services", services], env=sandbox.env, stdout=log,
                                stderr=subprocess.STDOUT)
        log.close()
        sandbox.supervisors.append(proc)
        return proc

    def status(name: str) -> dict:
        """NAME's status from the supervisor of ROOT (blank while none answers)."""
        try:
            sock = protocol.connect(sandbox_socket, 10)
        except OSError:
            return {"status": None, "pid": None}
        with sock:
            protocol.send(sock, protocol.request("status", name))
            return protocol.receive(sock)["result"]

    old_env = os.environ.get("VSYS_STATE_DIR")
    os.environ["VSYS_STATE_DIR"] = sandbox.state
    sandbox_socket = state.socket_path(root)
    state_file = os.path.join(os.path.dirname(sandbox_socket), "state.json")
    if old_env is None:
        del os.environ["VSYS_STATE_DIR"]
    else:
        os.environ["VSYS_STATE_DIR"] = old_env

    first = os.path.join(sandbox.base, "svc1")
    specs(first, 1000, drop=True)
    killed = supervisor(first)
    try:
        sandbox.wait_for(lambda: os.path.exists(sandbox_socket), what="the socket")
        running = sandbox.wait_for(lambda: all(status(n)["status"] == "running"
                                               for n in ("keep", "change", "drop")) and
                                   {n: status(n)["pid"] for n in ("keep", "change", "drop")},
                                   what="the services")
        slow = sandbox.wait_for(lambda: status("slow")["status"] == "starting" and
                                sandbox.marked(b"sleep 600"), what="slow starting")[0]
        # The state is written just after a change (a burst makes one write): kill only
        # once it records what the test expects the next supervisor to find.
        sandbox.wait_for(lambda: saved_as(state_file, running, slow), what="the saved state")
        killed.send_signal(signal.SIGKILL)
        killed.wait()
        assert all(alive(p) for p in running.values()) and alive(slow)

        second = os.path.join(sandbox.base, "svc2")
        specs(second, 999, drop=False)
        supervisor(second)
        sandbox.wait_for(lambda: status("change")["status"] == "running" and
                         status("slow")["status"] == "starting" and
                         sandbox.marked(b"sleep 600") not in ([], [slow]),
                         what="the new supervisor")
        assert not alive(running["drop"])             # removed: ended
        assert not alive(running["change"])           # changed: ended and started anew
        assert status("change")["command"][-1].endswith("sleep 999")
        assert alive(status("change")["pid"])
        assert status("keep")["pid"] == running["keep"] and alive(running["keep"])
        assert not alive(slow)                        # its start was never confirmed
        out = sandbox.vsys("herd", "--root", root, "status").stdout.splitlines()
        assert out[:6] == [f"Root: {root}", "Started:", " + change", " + keep", "Starting:",
                           " ~ slow"]
        assert "drop" not in "\n".join(out)
        log = sandbox.supervisor_log()
        assert (f"stopping drop (pid {running['drop']}), left by the previous supervisor: it "
                f"is no longer defined") in log
        assert (f"stopping slow (pid {slow}), left by the previous supervisor: its start was "
                f"never confirmed") in log
    finally:
        sandbox.vsys("herd", "--root", root, "stop", "root")
