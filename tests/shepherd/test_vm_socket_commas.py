"""A QMP socket path with a comma (a state directory or a spec's `qmp-socket` may
have one): the supervisor doubles it in QEMU's `-qmp unix:` and `-chardev path=`
values, so QEMU makes its sockets at exactly those paths, and `herd status` names the
guest agent's socket as it is."""

from __future__ import annotations

import os
import subprocess

import pytest

pytestmark = pytest.mark.slow


def test_sockets_in_a_directory_with_a_comma(sandbox, need):
    qemu = need("qemu-system-x86_64", "qemu-system-x86")
    qemu_img = need("qemu-img", "qemu-utils")
    image = os.path.join(sandbox.base, "blank.qcow2")
    subprocess.run([qemu_img, "create", "-q", "-f", "qcow2", image, "64M"], check=True)
    where = os.path.join(sandbox.base, "a,server=off")
    os.mkdir(where, 0o700)
    sock = os.path.join(where, "qmp.sock")
    sandbox.spec("vm", requirement=["user-processes"], **{"auto-start": False},
                 start={"kind": "vm", "image": image, "qmp-socket": sock,
                        "argv": [qemu, "-machine", "accel=tcg", "-nodefaults", "-m", "64",
                                 "-drive", f"file={image},format=qcow2,if=virtio",
                                 "-snapshot", "-no-reboot"]},
                 stop={"grace": 1})
    sandbox.start_supervisor()
    r = sandbox.herd("start", "vm")
    assert (r.returncode, r.stdout) == (0, "Service vm has been started.\n"), r.stderr
    out = sandbox.herd("status", "vm").stdout.splitlines()
    assert "  QEMU status: running" in out
    assert f"  Guest agent: {where}/qga.sock" in out
    assert sorted(os.listdir(where)) == ["qga.sock", "qmp.sock"]
    assert not os.path.exists(os.path.join(sandbox.base, "a"))     # the cut-off path
    r = sandbox.herd("stop", "vm")
    assert r.returncode == 0, r.stderr
