"""Real guests for the tests: the image `vsys image` builds (kept in the test cache between
runs), and the guest agent's socket, as the host reaches it.

A module of its own, not a conftest: several test folders have one.
"""

from __future__ import annotations

import json
import os
import time

import pytest
from hostprograms import IN_CI, need_program

from vsys.guest_systems import guest_config
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


def guest_os() -> str:
    """The operating-system form of the guest config vsys ships (secret service, sshd,
    the offloading account, the guest agent), to write into a host's config."""
    with open(guest_config()) as f:
        text = f.read()
    return text[text.index("(operating-system"):]
