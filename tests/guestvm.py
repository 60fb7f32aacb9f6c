"""Real guests for the tests: the image `vsys image` builds (kept in the test cache between
runs), and the ways the host reaches a running VM (its forwarded ports, SSH, the guest
agent's socket).

A module of its own, not a conftest: several test folders have one.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time

import pytest
from hostprograms import IN_CI, need_program

from vsys.shepherd import protocol


def test_cache() -> str:
    return os.environ.get("VSYS_TEST_CACHE") or os.path.expanduser("~/.cache/vsys-tests")


def image_env(env: dict) -> dict:
    """ENV with the image cache in the test cache, kept between runs."""
    return dict(env, VSYS_IMAGE_CACHE=os.path.join(test_cache(), "images"))


def need_image_tools() -> None:
    if os.geteuid() != 0:
        message = "building a guest image needs root (mmdebstrap, chroot, loop mounts)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    for prog, pkg in (("mmdebstrap", "mmdebstrap"), ("mke2fs", "e2fsprogs"),
                      ("sfdisk", "fdisk"), ("qemu-img", "qemu-utils"),
                      ("qemu-system-x86_64", "qemu-system-x86"), ("ssh", "openssh-client")):
        need_program(prog, pkg)


def forwarded(port: int) -> tuple[str, int]:
    """Where the host reaches a VM's port forwarded to host PORT.  QEMU binds its
    forwards to 127.0.0.1 of the network the supervisor runs in; the one place to adapt
    when that is not the test's own."""
    return "127.0.0.1", port


def wait_port(port: int, timeout: float) -> None:
    host, port = forwarded(port)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection((host, port), timeout=2).close()
            return
        except OSError:
            time.sleep(1)
    raise AssertionError(f"nothing listens on {host}:{port} after {timeout:g} s")


def ssh(port: int, key: str, known_hosts: str, user: str, command: str,
        timeout: float = 120) -> subprocess.CompletedProcess:
    """COMMAND in the guest, as USER, checking the guest's host key against
    KNOWN_HOSTS (StrictHostKeyChecking)."""
    host, port = forwarded(port)
    return subprocess.run(
        ["ssh", "-p", str(port), "-i", key, "-o", "StrictHostKeyChecking=yes",
         "-o", f"UserKnownHostsFile={known_hosts}", "-o", "BatchMode=yes",
         "-o", "ConnectTimeout=20", "-o", "IdentitiesOnly=yes", f"{user}@{host}", command],
        capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)


def known_hosts(path: str, port: int, host_key_pub: str) -> str:
    """A known_hosts file naming the VM's forwarded address with HOST_KEY_PUB."""
    host, port = forwarded(port)
    with open(host_key_pub) as f:
        key = " ".join(f.read().split()[:2])
    with open(path, "w") as f:
        f.write(f"[{host}]:{port} {key}\n")
    return path


def guest_agent(socket_path: str, command: str, timeout: float = 60) -> dict:
    """One QEMU guest agent command over the VM's agent channel: its "return" value.
    guest-sync first, as the protocol asks, so stale bytes are skipped."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            # Through the socket's directory when its path is too long for an address
            # (a container root's /tmp seen from the host).
            with protocol.connect(socket_path, 10) as s:
                f = s.makefile("rwb")
                token = int(time.time()) % 100000
                f.write(json.dumps({"execute": "guest-sync",
                                    "arguments": {"id": token}}).encode() + b"\n")
                f.flush()
                while True:
                    reply = json.loads(f.readline())
                    if reply.get("return") == token:
                        break
                f.write(json.dumps({"execute": command}).encode() + b"\n")
                f.flush()
                return json.loads(f.readline())
        except (OSError, ValueError):
            if time.monotonic() > deadline:
                raise
            time.sleep(2)
