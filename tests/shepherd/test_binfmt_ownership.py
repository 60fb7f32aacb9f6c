"""vsys never removes a binfmt entry it did not register.  The host's kernel is never
touched: the supervisor plays the kernel's part in a binfmt_misc directory under the
sandbox root, where an entry the "host" registered before vsys is a file put there first."""

from __future__ import annotations

import os
import signal

import pytest
from test_binfmt import PLATFORMS, binfmt_dir, register_string

from vsys import root_record as record
from vsys.shepherd import binfmt

HOST_ENTRY = ("enabled\ninterpreter /usr/libexec/host-riscv64-emulator\nflags: OC\noffset 0\n"
              "magic 7f454c460201010000000000000000000200f300\n"
              "mask ffffffffffffff00fffffffffffffffffeffffff\n")


@pytest.fixture
def host_registered(sandbox, need):
    for name in PLATFORMS:
        need(f"qemu-{name}-static", "qemu-user-static")
    directory = binfmt_dir(sandbox)
    os.makedirs(directory)
    with open(os.path.join(directory, "status"), "w") as f:
        f.write("enabled\n")
    with open(os.path.join(directory, "qemu-riscv64"), "w") as f:
        f.write(HOST_ENTRY)
    sandbox.spec("qemu-binfmt", requirement=["file-system-/proc/sys/fs/binfmt_misc"],
                 documentation="Register QEMU's user-mode emulators with binfmt_misc.",
                 start={"kind": "binfmt", "entries": [register_string(n) for n in PLATFORMS]})
    return sandbox, directory


def running(sandbox) -> bool:
    try:
        return sandbox.call("status", "qemu-binfmt")["result"]["status"] == "running"
    except ConnectionRefusedError:          # the killed supervisor's socket, not yet replaced
        return False


def test_an_entry_registered_before_vsys_stays(host_registered):
    sandbox, directory = host_registered
    sandbox.start_supervisor()
    sandbox.wait_for(lambda: running(sandbox), what="qemu-binfmt")
    assert sorted(os.listdir(directory)) == ["qemu-aarch64", "qemu-riscv64", "qemu-x86_64",
                                             "register", "status"]
    with open(os.path.join(directory, "qemu-riscv64")) as f:
        assert f.read() == HOST_ENTRY                  # used as it is, not replaced
    r = sandbox.herd("stop", "qemu-binfmt")
    assert r.returncode == 0, r.stderr
    assert sorted(os.listdir(directory)) == ["qemu-riscv64", "register", "status"]
    with open(os.path.join(directory, "qemu-riscv64")) as f:
        assert f.read() == HOST_ENTRY
    log = sandbox.herd("log", "qemu-binfmt").stdout
    assert "kept qemu-riscv64: registered in" in log and "never removes it" in log
    assert "unregistered qemu-aarch64, qemu-x86_64 from" in log
    assert "left qemu-riscv64, which vsys did not register" in log
    # Started again: still the host's entry, and still left alone.
    assert sandbox.herd("start", "qemu-binfmt").returncode == 0
    assert sandbox.herd("stop", "qemu-binfmt").returncode == 0
    assert sorted(os.listdir(directory)) == ["qemu-riscv64", "register", "status"]


def test_a_killed_supervisor_still_knows_its_own_entries(host_registered):
    sandbox, directory = host_registered
    first = sandbox.start_supervisor()
    sandbox.wait_for(lambda: running(sandbox), what="qemu-binfmt")
    os.kill(first.pid, signal.SIGKILL)
    first.wait()
    # Its entries outlive it, as a kernel's would.
    assert sorted(os.listdir(directory)) == ["qemu-aarch64", "qemu-riscv64", "qemu-x86_64",
                                             "register", "status"]
    sandbox.start_supervisor()
    sandbox.wait_for(lambda: running(sandbox), what="qemu-binfmt")
    assert sandbox.herd("stop", "qemu-binfmt").returncode == 0
    assert sorted(os.listdir(directory)) == ["qemu-riscv64", "register", "status"]


def test_in_the_kernel_the_entries_activation_registered_are_vsys_s(tmp_path, monkeypatch):
    """Under --root /, activation registers the entries first (and records them in the
    root's record); the supervisor then counts them as its own, so `herd stop`
    disables emulation, while an entry in neither record stays.  The directory only
    pretends to be the kernel's here."""
    root, run = tmp_path / "root", tmp_path / "run"
    run.mkdir()
    root.mkdir()
    data = record.empty()
    data["binfmt"] = ["qemu-arm"]
    record.save(str(root), data)
    binfmt.save_owned(str(run), "/fake", add=["qemu-aarch64"])
    monkeypatch.setattr(binfmt, "is_kernel", lambda d: True)
    assert binfmt.owned("/fake", str(run), str(root)) == {"qemu-arm", "qemu-aarch64"}
    monkeypatch.setattr(binfmt, "is_kernel", lambda d: False)
    assert binfmt.owned("/fake", str(run), str(root)) == {"qemu-aarch64"}
    binfmt.save_owned(str(run), "/fake", remove=["qemu-aarch64"])
    assert binfmt.owned("/fake", str(run), str(root)) == set()
