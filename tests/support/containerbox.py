"""A sandbox root driven as a person drives it, for the container tests: a private
state directory and root, `vsys` commands, the container's record (its init's host pid,
its address), and a cleanup that ends the container even when the test fails."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time

import pytest

from support.cli import VSYS
from support.files import digest as file_hash
from support.paths import EXAMPLES
from support.paths import REPO as ROOT
from support.world import World
from vsys import state

__all__ = ["EXAMPLES", "ROOT", "VSYS", "Box", "alive", "box", "descendants", "file_hash",
           "keyscan", "public_key"]


class Box(World):
    def __init__(self):
        # Short (the supervisor's socket path must stay small), and on a path no
        # directory of which is writable by others: sshd refuses authorized keys read
        # through one (StrictModes), and /etc's keys are links into the store.
        base = tempfile.mkdtemp(prefix="vc", dir="/run" if os.access("/run", os.W_OK)
                                else None)
        os.chmod(base, 0o755)
        super().__init__(base)
        self.background: list[subprocess.Popen] = []

    def exec(self, *command, check: int | None = 0, root: str | None = None):
        return self.vsys("exec", "--root", root or self.root, "--", *command, check=check)

    def ssh_config(self) -> tuple[str, str]:
        """examples/ssh-container.scm with a key made for this test authorised for alice:
        (the config's path, the private key's path)."""
        key = os.path.join(self.base, "alice")
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "test",
                        "-f", key], check=True)
        with open(os.path.join(EXAMPLES, "ssh-container.scm")) as f:
            text = f.read()
        assert '(local-file "keys/alice.pub")' in text
        path = os.path.join(self.base, "ssh.scm")
        with open(path, "w") as f:
            f.write(text.replace('(local-file "keys/alice.pub")',
                                 f'(local-file "{key}.pub")'))
        return path, key

    # -- the container's record
    def record(self, root: str | None = None) -> dict | None:
        key = state.root_key(root or self.root)
        try:
            with open(os.path.join(self.state, "run", key, "container.json")) as f:
                return json.load(f)
        except FileNotFoundError:
            return None

    def address(self, root: str | None = None) -> str:
        return self.record(root)["network"]["address"]

    def init_pid(self, root: str | None = None) -> int:
        return self.record(root)["pid"]

    def wait_running(self, name: str, root: str | None = None) -> None:
        """Until the service NAME runs (a loaded machine may take longer than the 10 s
        reconfigure watches a new service for)."""
        self.wait_for(lambda: "It is running" in self.vsys(
            "herd", "--root", root or self.root, "status", name, check=None).stdout,
            timeout=60, what=f"{name} to run")

    def wait_for(self, predicate, timeout: float = 20, what: str = "condition"):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = predicate()
            if value:
                return value
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for {what}")

    def cleanup(self) -> None:
        for root in [self.root] + [os.path.join(self.state, "containers", n) for n in
                                   _listdir(os.path.join(self.state, "containers"))]:
            info = self.record(root)
            if info and info.get("pid"):
                self.vsys("herd", "--root", root, "stop", "root", check=None, timeout=60)
                pid = info["pid"]
                try:
                    os.kill(pid, signal.SIGKILL)    # only if it outlived `stop root`
                except ProcessLookupError:
                    pass
        for proc in self.background:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
        shutil.rmtree(self.base, ignore_errors=True)


@pytest.fixture
def box():
    """A Box for one test, its container ended and its files removed afterwards (the
    container and daemon tests import this fixture into their conftest)."""
    b = Box()
    try:
        yield b
    finally:
        b.cleanup()


def _listdir(path: str) -> list[str]:
    try:
        return os.listdir(path)
    except FileNotFoundError:
        return []


def descendants(pid: int) -> list[int]:
    """PID and every process under it (host pids), from /proc's children lists."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except OSError:
            pass
    return out


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def keyscan(address: str) -> str:
    """The ed25519 host key sshd at ADDRESS:22 offers (type and base64)."""
    for _ in range(50):
        done = subprocess.run(["ssh-keyscan", "-T", "5", "-t", "ed25519", "-p", "22", address],
                              capture_output=True, text=True, timeout=30)
        lines = [ln for ln in done.stdout.splitlines() if not ln.startswith("#")]
        if lines:
            host, kind, key = lines[0].split()
            assert host == address
            return f"{kind} {key}"
    raise AssertionError(f"no host key from {address}:22: {done.stderr}")


def public_key(path: str) -> str:
    with open(path) as f:
        return " ".join(f.read().split()[:2])
