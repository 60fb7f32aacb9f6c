"""VMs under the supervisor's lifecycle rules, with real QEMU on a blank qcow2 image
(qemu-img create): its start can be stopped while the guest never answers, other services
start and stop meanwhile, the blank disk is named as the cause, and QEMU is respawned
when it exits, within the respawn limit."""

from __future__ import annotations

import os
import re
import signal
import threading
import time

import pytest
from test_vm import qemu_pids, vm  # noqa: F401  (the fixture)

from vsys.shepherd import qmp

pytestmark = pytest.mark.slow


def childhurd(sandbox, argv, image, secrets, timeout: float) -> None:
    os.makedirs(sandbox.root + "/etc/childhurd/etc/ssh")
    with open(sandbox.root + "/etc/childhurd/etc/ssh/ssh_host_ed25519_key", "w") as f:
        f.write("not really a key\n")
    sandbox.spec("childhurd", provision=["hurd-vm", "childhurd"], **{"auto-start": False},
                 start={"kind": "vm", "argv": argv(), "image": image,
                        "secrets": {"port": secrets, "root": "/etc/childhurd",
                                    "handshake-timeout": timeout}},
                 stop={"grace": 1})


def blank(image: str) -> str:
    return (f"the disk image {image} is blank (its first sector is all zeros): the guest "
            f"has nothing to boot; install a system on it")


def test_a_vm_whose_guest_never_answers_is_stopped_during_its_start(vm):  # noqa: F811
    sandbox, argv, image, ssh, secrets = vm
    childhurd(sandbox, argv, image, secrets, timeout=180)
    sandbox.sleeper("web", **{"auto-start": False})
    sandbox.start_supervisor()
    result = {}
    t = threading.Thread(target=lambda: result.update(r=sandbox.herd("start", "childhurd")))
    t.start()
    sandbox.wait_for(lambda: qemu_pids(sandbox) and sandbox.call("status", "childhurd")[
        "result"]["status"] == "starting", timeout=30, what="QEMU starting")
    out = sandbox.herd("status", "childhurd").stdout.splitlines()
    assert out[1] == "  It is starting."
    assert f"  Note: {blank(image)}" in out
    assert "Starting:\n ~ hurd-vm\n" in sandbox.herd("status").stdout
    # The handshake blocks nothing else.
    for words, said in ((("start", "web"), "Service web has been started.\n"),
                        (("stop", "web"), "Service web has been stopped.\n")):
        t0 = time.monotonic()
        r = sandbox.herd(*words)
        assert (r.returncode, r.stdout) == (0, said)
        assert time.monotonic() - t0 < 5
    t0 = time.monotonic()
    r = sandbox.herd("stop", "childhurd")
    assert (r.returncode, r.stdout) == (0, "Service hurd-vm has been stopped.\n")
    assert time.monotonic() - t0 < 10
    t.join(20)
    assert (result["r"].returncode, result["r"].stderr) == (
        1, "herd: error: cannot start hurd-vm: its start was cancelled by `herd stop`\n")
    assert qemu_pids(sandbox) == []
    assert sandbox.call("status", "childhurd")["result"]["status"] == "stopped"


def test_a_blank_disk_is_named_as_the_reason(vm):  # noqa: F811
    sandbox, argv, image, ssh, secrets = vm
    childhurd(sandbox, argv, image, secrets, timeout=3)
    sandbox.start_supervisor()
    r = sandbox.herd("start", "childhurd")
    assert (r.returncode, r.stderr) == (1, (
        f"herd: error: cannot start hurd-vm: {blank(image)}; the guest's secret service on "
        f"127.0.0.1:{secrets} did not answer within the handshake timeout (3 s); the VM was "
        f"stopped\n"))
    # QEMU ending by itself (as after its BIOS gave up under -no-reboot, with exit code
    # 0) names the disk, not QEMU's last words.
    result = {}
    t = threading.Thread(target=lambda: result.update(r=sandbox.herd("start", "childhurd")))
    t.start()
    sock = sandbox.wait_for(lambda: sandbox.call("status", "childhurd")["result"]["pid"] and
                            sandbox.call("status", "childhurd")["result"]["status"] ==
                            "starting" and _qmp(sandbox), timeout=30, what="QMP")
    qmp.query(sock, "quit", timeout=5)
    t.join(30)
    assert (result["r"].returncode, result["r"].stderr) == (
        1, f"herd: error: cannot start hurd-vm: {blank(image)}; QEMU exited with code 0\n")


def _qmp(sandbox) -> str | None:
    """The QMP socket of the VM's QEMU, once it answers there."""
    command = sandbox.call("status", "childhurd")["result"]["command"]
    if "-qmp" not in command:
        return None
    path = command[command.index("-qmp") + 1].split(",")[0].removeprefix("unix:")
    try:
        qmp.query(path, "query-status", timeout=1)
        return path
    except (OSError, qmp.QMPError, ValueError):
        return None


def test_qemu_is_respawned_within_the_limit(vm):  # noqa: F811
    sandbox, argv, image, ssh, secrets = vm
    sandbox.spec("build-vm", respawn=True, **{"auto-start": False},
                 start={"kind": "vm", "argv": argv(), "image": image}, stop={"grace": 1})
    sandbox.start_supervisor()
    assert sandbox.herd("start", "build-vm").returncode == 0
    pid = sandbox.service_pid("build-vm")
    os.kill(pid, signal.SIGKILL)
    new = sandbox.wait_for(lambda: (sandbox.service_pid("build-vm") or pid) != pid and
                           sandbox.service_pid("build-vm"), timeout=30, what="respawn")
    assert qemu_pids(sandbox) == [new]
    out = sandbox.herd("status", "build-vm").stdout
    assert "  Last exit: terminated with signal SIGKILL" in out and "It is running" in out
    # More than 5 respawns within 7 s: disabled, and QEMU stays down.
    killed = new
    os.kill(killed, signal.SIGKILL)
    for _ in range(6):
        pid = sandbox.wait_for(lambda: sandbox.service_pid("build-vm") not in (None, killed)
                               and sandbox.service_pid("build-vm") or
                               not sandbox.call("status", "build-vm")["result"]["enabled"],
                               timeout=30, what="running again")
        if pid is True:
            break
        killed = pid
        os.kill(killed, signal.SIGKILL)
    sandbox.wait_for(lambda: not sandbox.call("status", "build-vm")["result"]["enabled"],
                     what="disabled")
    out = sandbox.herd("status", "build-vm").stdout
    # Why it kept exiting comes first, then the verdict.
    assert re.search(r"^  Note: it (exited|terminated)[^\n]*; respawning too fast \(more "
                     r"than 5 times in 7 seconds\): disabled;", out, re.M), out
    time.sleep(1)
    assert qemu_pids(sandbox) == []
