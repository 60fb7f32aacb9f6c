"""libvirtd and virtlogd of examples/default.scm run for real in the sandbox's
container: virsh, from the host through the root's socket and inside with `vsys exec`,
defines and starts a KVM domain, which runs, logs through virtlogd, and is destroyed.
Debian's libvirt, QEMU and polkit; the D-Bus system bus and polkit are the system's own
services."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from hostprograms import IN_CI, need_program
from support.paths import REPO as ROOT

DOMAIN = os.path.join(ROOT, "examples", "tiny-vm.xml")
POLICY = "/usr/share/polkit-1/actions/org.libvirt.unix.policy"

pytestmark = pytest.mark.slow


def need_libvirt() -> None:
    need_program("libvirtd", "libvirt-daemon")
    need_program("virsh", "libvirt-clients")
    need_program("qemu-system-x86_64", "qemu-system-x86")
    need_program("dbus-daemon", "dbus")
    need_program("bwrap", "bubblewrap")
    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        if IN_CI:
            pytest.fail("/dev/kvm is not usable: CI must provide KVM")
        pytest.skip("/dev/kvm is not usable here")


def virsh_on_host(box, *args: str):
    """virsh from the host, through the socket the sandbox's libvirtd listens on."""
    socket = os.path.join(box.root, "run/libvirt/libvirt-sock")
    return subprocess.run(["virsh", "-c", f"qemu+unix:///system?socket={socket}", *args],
                          capture_output=True, text=True, timeout=120)


def test_root_defines_starts_and_destroys_a_kvm_domain(box):
    need_libvirt()
    out = box.reconfigure(os.path.join(ROOT, "examples", "default.scm")).stdout
    assert "started dbus-system, libvirtd, polkit, qemu-binfmt, virtlogd" in out, out
    # the host's PATH (Debian's QEMU) and Debian's accounts: the domain starts
    done = virsh_on_host(box, "define", DOMAIN)
    assert done.returncode == 0 and f"Domain 'tiny' defined from {DOMAIN}" in done.stdout, \
        done.stderr
    done = box.exec("virsh", "-c", "qemu:///system", "start", "tiny", check=None)
    assert done.returncode == 0, done.stdout + done.stderr
    listed = virsh_on_host(box, "list").stdout.split("\n")
    assert any(line.split()[1:] == ["tiny", "running"] for line in listed if line.split()), \
        listed
    # QEMU runs as libvirt-qemu, and its log goes through virtlogd, which holds it open
    ps = box.exec("sh", "-c", "ps -o user:20=,comm= -C qemu-system-x86_64").stdout.split()
    assert ps[:2] == ["libvirt-qemu", "qemu-system-x86"], ps
    log = box.exec("sh", "-c", "ls -l /proc/$(cat /run/libvirt/virtlogd.pid 2>/dev/null || "
                   "pgrep -x virtlogd)/fd").stdout
    assert "/var/log/libvirt/qemu/tiny.log" in log, log
    with open(os.path.join(box.root, "var/log/libvirt/qemu/tiny.log")) as f:
        assert "-name guest=tiny" in f.read()
    done = virsh_on_host(box, "destroy", "tiny")
    assert done.returncode == 0 and "Domain 'tiny' destroyed" in done.stdout
    assert "tiny" not in virsh_on_host(box, "list").stdout
    assert virsh_on_host(box, "undefine", "tiny").returncode == 0


def policy_fixture() -> str | None:
    """libvirt's polkit actions as scripts/host-deps fixtures fetches them from Debian
    (the package libvirt-daemon-system, not installed), or None."""
    cache = os.environ.get("VSYS_TEST_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "vsys-tests")
    actions = os.path.join(cache, "libvirt-daemon-system/usr/share/polkit-1/actions")
    return actions if os.path.exists(os.path.join(actions, os.path.basename(POLICY))) \
        else None


def test_a_member_of_the_libvirt_group_manages_domains(box):
    """alice, in the config's `libvirt` group (unix-sock-group), is allowed by the polkit
    rule vsys writes; her virsh runs inside the container as her."""
    need_libvirt()
    need_program("/usr/lib/polkit-1/polkitd", "polkitd")
    # polkit reads a program's actions from /usr, where Debian's libvirt-daemon-system
    # installs libvirt's; without them it refuses every libvirt client
    lent = None
    if not os.path.exists(POLICY):
        lent = policy_fixture()
        if lent is None:
            message = (f"{POLICY} is not installed (Debian package libvirt-daemon-system; "
                       f"or fetch it with scripts/host-deps fixtures)")
            if IN_CI:
                pytest.fail(message)
            pytest.skip(message)
    box.reconfigure(os.path.join(ROOT, "examples", "default.scm"))
    if lent:
        # The package's own files, fetched from Debian, lent to the container's polkit
        # over the host's actions (in the container's mount namespace only).
        actions = os.path.join(box.root, "tmp/actions")
        shutil.copytree(os.path.dirname(POLICY), actions)
        for name in os.listdir(lent):
            shutil.copy(os.path.join(lent, name), actions)
        box.exec("mount", "--bind", "/tmp/actions", os.path.dirname(POLICY))
        box.vsys("herd", "--root", box.root, "restart", "polkit")
    with open(DOMAIN) as f:
        xml = f.read()
    with open(os.path.join(box.root, "tmp/tiny.xml"), "w") as f:
        f.write(xml)

    def as_alice(*args: str):
        return box.exec("setpriv", "--reuid=alice", "--regid=users", "--init-groups",
                        "env", "HOME=/home/alice", "virsh", "-c", "qemu:///system", *args,
                        check=None)
    for args in (("define", "/tmp/tiny.xml"), ("start", "tiny")):
        done = as_alice(*args)
        assert done.returncode == 0, done.stdout + done.stderr
    assert "running" in as_alice("domstate", "tiny").stdout
    assert as_alice("destroy", "tiny").returncode == 0
    # someone outside the group is refused by polkit
    done = box.exec("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                    "virsh", "-c", "qemu:///system", "list", check=None)
    assert done.returncode != 0
