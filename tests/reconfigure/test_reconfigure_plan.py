"""The plan and the summary `vsys reconfigure` prints, line for line: a file is changed
only when what it shows changes, removed services are named whether or not they ran,
a step two services ask for is one step, and long lists wrap between their items."""

from __future__ import annotations

import os
import re

import pytest
from hostprograms import need_program
from support.paths import EXAMPLES
from support.world import World

from vsys.activation import links
from vsys.activation import steps as act_steps
from vsys.plan_text import wrap_items


def shown(w: World, out: str) -> str:
    """OUT with this test's directories and store hashes written as ROOT, STATE and
    HASH."""
    out = out.replace(w.root, "ROOT").replace(w.state, "STATE")
    out = re.sub(r"/store/[a-z0-9]{32}-", "/store/HASH-", out)
    return re.sub(r"\(log: [^)]*\)", "(log: LOG)", out)


SERVICE = """\
  (simple-service '{name} shepherd-root-service-type
    (list (shepherd-service (provision '({name}))
            {extra}
            (start #~(make-forkexec-constructor (list {argv})))
            (stop #~(make-kill-destructor)))))"""


def service(name: str, argv: str, extra: str = "") -> str:
    return SERVICE.format(name=name, argv=argv, extra=extra)


def config(w: World, file: str, *services: str) -> str:
    return w.config(file, "(use-modules (gnu))\n"
                          "(use-service-modules virtualization shepherd)\n"
                          "(operating-system\n  (host-name \"h\")\n  (services (list\n"
                          + "\n".join(services) + ")))\n")


BINFMT = """\
  (service qemu-binfmt-service-type
    (qemu-binfmt-configuration (platforms (lookup-qemu-platforms "arm" "aarch64"))))"""


def test_files_that_show_the_same_bytes_are_not_changed(world):
    w = world
    w.reconfigure(config(w, "r2.scm", BINFMT, service("nap", '"/bin/sleep" "1000"')),
                  "--no-supervisor")
    out = w.reconfigure(config(w, "r3.scm", BINFMT, service("nap", '"/bin/sleep" "2000"')),
                        "--no-supervisor").stdout
    assert shown(w, out) == """\
root: ROOT
generation: 1 -> a new generation (STATE/store/HASH-system)
binfmt entries: qemu-aarch64, qemu-arm: written to ROOT/etc/binfmt.d (a sandbox root: \
the kernel's binfmt_misc is not touched)
services: not loaded (--no-supervisor)
switched to generation 2 (previously 1)
files: unchanged
supervisor: not told (--no-supervisor)
"""
    # One binfmt entry fewer: the other stays as it was, and the count says so.
    out = w.reconfigure(config(w, "r4.scm", BINFMT.replace(' "aarch64"', ""),
                               service("nap", '"/bin/sleep" "2000"')),
                        "--no-supervisor").stdout
    assert "files under the root:\n  - etc/binfmt.d/qemu-aarch64.conf\nbinfmt" in out
    assert "\nfiles: 1 removed\n" in out


def test_same_content_follows_links_and_compares_bytes_and_mode(tmp_path):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    a.write_text("x\n")
    b.write_text("x\n")
    c.write_text("y\n")
    assert links.same_content(str(a), str(b))
    assert not links.same_content(str(a), str(c))
    os.symlink(b, tmp_path / "to-b")
    assert links.same_content(str(a), str(tmp_path / "to-b"))
    os.chmod(b, 0o755)
    assert not links.same_content(str(a), str(b))
    for d, text in (("d1", "x\n"), ("d2", "x\n"), ("d3", "z\n")):
        (tmp_path / d).mkdir()
        (tmp_path / d / "f").write_text(text)
    assert links.same_content(str(tmp_path / "d1"), str(tmp_path / "d2"))
    assert not links.same_content(str(tmp_path / "d1"), str(tmp_path / "d3"))
    assert not links.same_content(str(a), str(tmp_path / "missing"))


@pytest.mark.slow
def test_removed_services_are_named_running_or_not(world):
    w = world
    nap = service("nap", '"/bin/sleep" "1000"')
    later = service("later", '"/bin/sleep" "1000"', "(auto-start? #f)")
    broken = service("broken", '"/nonexistent/bin/broken-daemon"')
    doze = service("doze", '"/bin/sleep" "1000"')
    out = w.reconfigure(config(w, "a.scm", nap, later, broken, doze)).stdout
    assert "could not start broken" in out
    out = w.reconfigure(config(w, "b.scm", doze)).stdout
    assert shown(w, out) == """\
root: ROOT
generation: 1 -> a new generation (STATE/store/HASH-system)
services:
  stop: nap
  remove (not running): broken, later
switched to generation 2 (previously 1)
files: unchanged
supervisor: stopped nap; removed broken, later (not running)
"""
    status = w.vsys("herd", "--root", w.root, "status").stdout
    assert all(f" {n}\n" not in status for n in ("nap", "later", "broken"))
    assert " + doze\n" in status


def test_removed_services_of_the_readme_tour(world):
    """examples/default.scm then examples/qemu-binfmt.scm: libvirtd, virtlogd, the bus and
    polkit libvirt brought (running or not, as the host has them) and build-vm (never
    started) leave the plan's services."""
    w = world
    w.reconfigure(os.path.join(EXAMPLES, "default.scm"))
    out = w.reconfigure(os.path.join(EXAMPLES, "qemu-binfmt.scm")).stdout
    services = out.split("services:\n", 1)[1].split("switched to")[0]
    named = re.findall(r"^  (?:stop|remove \(not running\)): (.*)$", services, re.M)
    assert sorted(", ".join(named).split(", ")) == ["build-vm", "libvirtd", "polkit",
                                                    "virtlogd"]
    assert "  remove (not running): build-vm" in services
    assert "files under the root:\n  - etc/guix/machines.scm\n  - etc/libvirt/libvirtd.conf\n" \
           "  - etc/libvirt/virtlogd.conf\n  - etc/polkit-1/rules.d/50-libvirt.rules\n" \
           "accounts:" in out
    summary = out.split("switched to generation 2 (previously 1)\n", 1)[1]
    assert summary.startswith("files: 4 removed\n"
                              "accounts: 5 groups removed, 5 users removed, "
                              "4 memberships removed\n")
    # the system bus libvirt brought gives way to the name the host provides
    assert re.search(r"^supervisor: restarted dbus-system; ", summary, re.M)
    assert "nothing to start, restart or stop" not in summary
    assert re.search(r"^supervisor: .*removed .*build-vm.* \(not running\)$", summary, re.M)


CHILDHURDS = """\
(use-modules (gnu))
(use-service-modules virtualization)
(operating-system
  (host-name "h")
  (services (list (service hurd-vm-service-type (hurd-vm-configuration))
                  (service hurd-vm-service-type (hurd-vm-configuration (id 1))))))
"""


def test_two_childhurds_sharing_a_secret_root_make_it_once(world):
    w = world
    path = w.config("hurds.scm", CHILDHURDS)
    out = w.reconfigure(path, "--dry-run").stdout
    assert """\
directories to create:
  + /etc/childhurd
  + /etc/guix/offload/ssh
secrets to create:
  + SSH host keys (rsa, ecdsa, ed25519) in /etc/childhurd/etc/ssh (ssh-keygen)
  + ed25519 key /etc/guix/offload/ssh/childhurd (ssh-keygen)
  + authorize /etc/guix/offload/ssh/childhurd.pub in \
/etc/childhurd/etc/ssh/authorized_keys.d/offloading
  + Guix signing key pair in /etc/childhurd/etc/guix
  + authorize the key /etc/childhurd/etc/guix/signing-key.pub in /etc/guix/acl
  + ed25519 key /etc/guix/offload/ssh/childhurd1 (ssh-keygen)
  + authorize /etc/guix/offload/ssh/childhurd1.pub in \
/etc/childhurd/etc/ssh/authorized_keys.d/offloading
services:
""" in out
    need_program("ssh-keygen", "openssh-client")
    out = w.reconfigure(path, "--no-supervisor").stdout
    assert "\ncreated: 2 directories, 7 secrets\n" in out
    with open(w.path("etc/guix/acl")) as f:
        assert f.read().count("(entry") == 1
    with open(w.path("etc/childhurd/etc/ssh/authorized_keys.d/offloading")) as f:
        assert len(f.read().splitlines()) == 2


def test_identical_steps_are_one_step_kept_in_order():
    d = {"kind": "directory", "path": "/etc/a", "mode": 0o700}
    key = {"kind": "ssh-key", "path": "/etc/a/k", "type": "ed25519", "comment": "k"}
    auth = {"kind": "authorize-ssh-key", "public-key": "/k1.pub", "file": "/etc/a/auth"}
    other = dict(auth, **{"public-key": "/k2.pub"})     # same file, another key: kept
    code = [{"kind": "scheme", "code": "(display 1)"}, {"kind": "scheme", "code": "(f)"}]
    steps = [d, key, auth, dict(d, mode=0o755), dict(key), other, *code, code[0]]
    assert act_steps.unique(steps) == [d, key, auth, other, *code]


def test_the_groups_of_a_new_root_wrap_between_items(world):
    w = world
    out = w.reconfigure(os.path.join(EXAMPLES, "default.scm"), "--dry-run").stdout
    # kvm takes the group id of the host's /dev/kvm, which the container binds
    try:
        kvm = os.stat("/dev/kvm").st_gid or None
    except OSError:
        kvm = None
    ids = iter(range(999, 0, -1))
    items = []
    for name in ("root", "wheel", "users", "nogroup", "tty", "dialout", "kmem", "input",
                 "video", "audio", "netdev", "lp", "disk", "floppy", "cdrom", "tape", "kvm",
                 "libvirt", "libvirt-qemu", "build-vm-build-vm", "polkitd", "messagebus"):
        fixed = {"root": 0, "users": 100, "nogroup": 65534, "kvm": kvm}.get(name)
        items.append(f"{name} ({fixed if fixed is not None else next(ids)})")
    lines = wrap_items("  + 22 groups: ", items, 92, "      ")
    assert "accounts:\n" + "\n".join(lines) + "\n  + user alice (id 1000)\n" in out


def test_wrap_items_never_breaks_an_item():
    items = [f"group-{n}-with-hyphens ({n})" for n in range(12)]
    lines = wrap_items("  + 12 groups: ", items, 60, "      ")
    assert all(len(line) <= 60 for line in lines)
    assert " ".join(line.strip() for line in lines) == \
        "+ 12 groups: " + ", ".join(items)
    assert all(line.endswith(",") for line in lines[:-1])
    assert wrap_items("  + 1 group: ", ["x" * 80], 60, "      ") == ["  + 1 group: " + "x" * 80]
