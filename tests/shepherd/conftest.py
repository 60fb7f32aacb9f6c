"""Fixtures for the supervisor's tests: a private state dir and root per test, a
supervisor run as a real process, `vsys herd` run as a user runs it, and a cleanup that
ends every process the test started, even when the test fails."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import pytest
from hostprograms import IN_CI, need_program
from support.cli import VSYS, run_vsys

from vsys import state
from vsys.shepherd import protocol

ON_CI = IN_CI
need = need_program


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def marked_pids(marker: str) -> list[int]:
    """Processes whose command line mentions MARKER (every test puts its temp dir in
    the commands it runs, so this finds exactly what the test started)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                cmd = f.read()
            with open(f"/proc/{entry}/stat", "rb") as f:
                st = f.read()
        except OSError:
            continue
        if marker.encode() in cmd and st[st.rfind(b")") + 2:][:1] != b"Z":
            found.append(int(entry))
    return found


class Sandbox:
    """One test's world: state dir, root, services dir, and the supervisor."""

    def __init__(self, base: str):
        self.base = base
        self.state = os.path.join(base, "s")
        self.root = os.path.join(base, "r")
        self.services = os.path.join(base, "svc")
        for d in (self.state, self.root, self.services):
            os.makedirs(d)
        self.env = dict(os.environ, VSYS_STATE_DIR=self.state)
        self.env.pop("XDG_STATE_HOME", None)
        self.supervisors: list[subprocess.Popen] = []

    # -- specs
    def spec(self, name: str, directory: str | None = None, **data) -> dict:
        data.setdefault("provision", [name])
        with open(os.path.join(directory or self.services, f"{name}.json"), "w") as f:
            json.dump(data, f)
        return data

    def sleeper(self, name: str, **data) -> dict:
        """A trivial long-running service whose command line carries the marker."""
        data.setdefault("start", {"argv": self.sleep_argv()})
        return self.spec(name, **data)

    def sleep_argv(self, seconds: int = 1000) -> list[str]:
        # argv[0] carries the marker, so the process is found by its command line.
        return ["/bin/bash", "-c", f"exec -a 'sleep-{self.base}' sleep {seconds}"]

    # -- processes
    def vsys(self, *args: str, timeout: float = 120,
             input: str | None = None) -> subprocess.CompletedProcess:
        return run_vsys(*args, env=self.env, timeout=timeout, input=input)

    def herd(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        return self.vsys("herd", "--root", self.root, *args, timeout=timeout)

    def start_supervisor(self, services: str | None = None, wait: bool = True) -> subprocess.Popen:
        log = open(os.path.join(self.base, f"shepherd-{len(self.supervisors)}.log"), "w")
        args = VSYS + ["shepherd", "--root", self.root]
        if services is not False:
            args += ["--services", services or self.services]
        proc = subprocess.Popen(args, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        self.supervisors.append(proc)
        if wait:
            self.wait_ready(proc)
        return proc

    def wait_ready(self, proc: subprocess.Popen, timeout: float = 20) -> None:
        path = self.socket
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise AssertionError(f"the supervisor exited ({proc.returncode}): "
                                     f"{self.supervisor_log()}")
            if os.path.exists(path):
                return
            time.sleep(0.02)
        raise AssertionError("the supervisor did not open its socket")

    @property
    def socket(self) -> str:
        old = os.environ.get("VSYS_STATE_DIR")
        os.environ["VSYS_STATE_DIR"] = self.state
        try:
            return state.socket_path(self.root)
        finally:
            if old is None:
                del os.environ["VSYS_STATE_DIR"]
            else:
                os.environ["VSYS_STATE_DIR"] = old

    def call(self, command: str, service: str | None = None, **extra) -> dict:
        """A protocol request made in-process (for loops where spawning herd is too slow)."""
        sock = protocol.connect(self.socket, 60)
        with sock:
            protocol.send(sock, protocol.request(command, service, **extra))
            return protocol.receive(sock)

    def supervisor_log(self) -> str:
        out = []
        for i in range(len(self.supervisors)):
            try:
                with open(os.path.join(self.base, f"shepherd-{i}.log")) as f:
                    out.append(f.read())
            except OSError:
                pass
        return "\n".join(out)

    def wait_for(self, predicate, timeout: float = 15, step: float = 0.05, what: str = "condition"):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = predicate()
            if value:
                return value
            time.sleep(step)
        raise AssertionError(f"timed out waiting for {what}")

    def service_pid(self, name: str) -> int | None:
        """The main PID of NAME once it runs (not while its start is being confirmed)."""
        result = self.call("status", name)["result"]
        return result["pid"] if result["status"] == "running" else None

    def marked(self, word: bytes = b"") -> list[int]:
        """The test's live processes whose command line also contains WORD."""
        out = []
        for pid in marked_pids(self.base):
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    if word in f.read():
                        out.append(pid)
            except OSError:
                pass
        return out

    def sleeping(self) -> list[int]:
        """The test's live `sleep` processes (what trivial services run)."""
        return self.marked(b"sleep")

    def cleanup(self) -> None:
        for proc in self.supervisors:
            if proc.poll() is None:
                try:
                    self.herd("stop", "root", timeout=60)
                except subprocess.TimeoutExpired:
                    pass
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        for _ in range(50):
            pids = marked_pids(self.base)
            if not pids:
                break
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            time.sleep(0.05)


@pytest.fixture
def sandbox():
    base = tempfile.mkdtemp(prefix="vs", dir="/tmp")   # short: socket paths stay small
    box = Sandbox(base)
    try:
        yield box
    finally:
        box.cleanup()
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(name="need")
def need_fixture():
    return need


@pytest.fixture(name="free_port")
def free_port_fixture():
    return free_port
