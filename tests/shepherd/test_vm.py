"""VM runners with real QEMU on a blank qcow2 image (no guest OS: nothing answers the
secret service, and ACPI power-down goes unheard, so the stop falls back to killing)."""

from __future__ import annotations

import os
import socket
import subprocess

import pytest

from vsys.guest_systems import guest_config

pytestmark = pytest.mark.slow


@pytest.fixture
def vm(sandbox, need, free_port):
    qemu = need("qemu-system-x86_64", "qemu-system-x86")
    qemu_img = need("qemu-img", "qemu-utils")
    image = os.path.join(sandbox.base, "blank.qcow2")
    subprocess.run([qemu_img, "create", "-q", "-f", "qcow2", image, "64M"], check=True)
    ssh, secrets = free_port(), free_port()

    def argv(memory: int = 64) -> list[str]:
        # build-vm's command line (docs/services/virtual-build-machine-service-type.md),
        # made small and software-emulated.
        # No display option: the supervisor runs VMs headless (-display none).
        return [qemu, "-machine", "accel=tcg", "-nodefaults",
                "-cpu", "qemu64", "-m", str(memory),
                "-nic", f"user,model=virtio-net-pci,hostfwd=tcp:127.0.0.1:{ssh}-:22,"
                        f"hostfwd=tcp:127.0.0.1:{secrets}-:1004",
                "-serial", "stdio", "-rtc", "base=2020-01-01T00:00:00",
                "-drive", f"file={image},format=qcow2,if=virtio,cache=writeback,werror=report,"
                          "readonly=off",
                "-snapshot", "-no-reboot"]
    return sandbox, argv, image, ssh, secrets


def qemu_pids(sandbox) -> list[int]:
    return sandbox.marked(b"qemu-system")


def accepts(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
        return True
    except OSError:
        return False


CONFIGURATION = ["CPU: Skylake-Client", "number of CPU cores: 4", "memory size: 2048 MiB",
                 "initial date: Wed Jan 01 00:00:00Z 2020"]


def test_build_vm_runs_and_stops(vm):
    sandbox, argv, image, ssh, secrets = vm
    sandbox.spec("build-vm", requirement=["user-processes"], **{"auto-start": False},
                 start={"kind": "vm", "argv": argv(), "image": image,
                        "environment": {"TMPDIR": "/tmp"}},
                 stop={"grace": 1},
                 actions=[{"name": "configuration", "lines": CONFIGURATION,
                           "documentation":
                               "Display the configuration of this virtual build machine."}])
    sandbox.start_supervisor()
    r = sandbox.herd("start", "build-vm")
    assert (r.returncode, r.stdout) == (0, "Service build-vm has been started.\n"), r.stderr
    pids = qemu_pids(sandbox)
    assert len(pids) == 1
    assert accepts(ssh) and accepts(secrets)

    out = sandbox.herd("status", "build-vm").stdout.splitlines()
    assert f"  Main PID: {pids[0]}" in out
    command = next(ln for ln in out if ln.startswith("  Command: "))
    assert command.startswith(f"  Command: {argv()[0]} -machine accel=tcg")
    assert command.endswith(",server=on,wait=off")
    # Headless, with the guest agent's channel beside QMP.
    assert " -snapshot -no-reboot -display none -chardev socket,id=vsys-qga,path=" in command
    assert (",server=on,wait=off -device virtio-serial -device virtserialport,chardev=vsys-qga,"
            "name=org.qemu.guest_agent.0 -qmp unix:") in command
    agent = next(ln for ln in out if ln.startswith("  Guest agent: "))[len("  Guest agent: "):]
    assert f"path={agent}," in command and os.path.exists(agent)
    assert "  QEMU status: running" in out

    r = sandbox.herd("configuration", "build-vm")
    assert (r.returncode, r.stdout.splitlines()) == (0, CONFIGURATION)

    r = sandbox.herd("stop", "build-vm")
    assert (r.returncode, r.stdout) == (0, "Service build-vm has been stopped.\n")
    assert qemu_pids(sandbox) == []
    assert not accepts(ssh)
    log = sandbox.herd("log", "build-vm").stdout
    assert "asked the guest to power down (QMP system_powerdown)" in log


def test_unanswered_secret_service_stops_the_vm(vm):
    sandbox, argv, image, ssh, secrets = vm
    secret_root = "/etc/childhurd"
    os.makedirs(sandbox.root + secret_root + "/etc/ssh")
    with open(sandbox.root + secret_root + "/etc/ssh/ssh_host_ed25519_key", "w") as f:
        f.write("not really a key\n")
    sandbox.spec("childhurd", provision=["hurd-vm", "childhurd"],
                 requirement=["loopback", "networking", "user-processes"], **{"auto-start": False},
                 start={"kind": "vm", "argv": argv(),
                        "secrets": {"port": secrets, "root": secret_root, "handshake-timeout": 3}},
                 stop={"grace": 1})
    sandbox.start_supervisor()
    r = sandbox.herd("start", "childhurd")
    assert r.returncode == 1
    assert r.stderr == (f"herd: error: cannot start hurd-vm: the guest's secret service on "
                        f"127.0.0.1:{secrets} did not answer within the handshake timeout (3 s); "
                        f"the VM was stopped\n")
    assert qemu_pids(sandbox) == []
    out = sandbox.herd("status", "childhurd").stdout.splitlines()
    assert out[:2] == ["Status of hurd-vm:", "  It failed to start."]


def test_missing_image_or_qemu_is_a_clear_error(vm):
    sandbox, argv, image, ssh, secrets = vm
    missing = os.path.join(sandbox.base, "nowhere.qcow2")
    sandbox.spec("vm-no-image", **{"auto-start": False},
                 start={"kind": "vm", "argv": argv(), "image": missing})
    sandbox.spec("vm-no-qemu", **{"auto-start": False},
                 start={"kind": "vm", "argv": ["/opt/none/bin/qemu-system-x86_64", "-m", "64"]})
    sandbox.start_supervisor()
    r = sandbox.herd("start", "vm-no-image")
    assert r.returncode == 1
    # The exact command that builds the image (tests/e2e/test_guest_image.py runs it).
    assert r.stderr == (f"herd: error: cannot start vm-no-image: disk image {missing} does not "
                        f"exist: build one (as root) with `vsys image {guest_config()} --output "
                        f"{missing}`, or set the service's image to an existing file\n")
    r = sandbox.herd("start", "vm-no-qemu")
    assert r.stderr == ("herd: error: cannot start vm-no-qemu: /opt/none/bin/qemu-system-x86_64: "
                        "no such program; install the host package `qemu-system-x86`\n")


def test_qemu_that_exits_at_once_reports_why(vm):
    sandbox, argv, image, ssh, secrets = vm
    sandbox.spec("broken-vm", **{"auto-start": False},
                 start={"kind": "vm", "argv": argv() + ["-no-such-option"]})
    sandbox.start_supervisor()
    r = sandbox.herd("start", "broken-vm")
    assert r.returncode == 1
    assert "QEMU exited with code 1" in r.stderr and "-no-such-option" in r.stderr
    assert qemu_pids(sandbox) == []
