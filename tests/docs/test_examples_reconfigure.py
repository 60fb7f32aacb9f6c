"""Every example of examples/ reconfigures, through the command line, into a temporary
root, and its generation holds the artifacts the example is about.

`--no-supervisor` activates files and accounts without starting any service, so nothing
runs and neither the host's /etc nor its binfmt_misc is touched; the supervisor of the
root is stopped at the end all the same.  An example added to examples/ needs an entry in
CHECKS below.
"""

from __future__ import annotations

import glob
import json
import os
import re
import subprocess

import pytest
from hostprograms import need_program
from support.cli import run_vsys
from support.inprocess import run_vsys_in_process
from support.paths import EXAMPLES
from support.paths import REPO as ROOT
from support.world import IN_PROCESS, supervised

EXAMPLE_FILES = sorted(glob.glob(os.path.join(EXAMPLES, "*.scm")))


class Reconfigured:
    """A private state directory and root, and what a reconfigure left in them."""

    def __init__(self, base):
        self.state = os.path.join(str(base), "state")
        self.root = os.path.join(str(base), "root")
        os.makedirs(self.state)
        os.makedirs(self.root)
        self.env = dict(os.environ, VSYS_STATE_DIR=self.state, GUILE_AUTO_COMPILE="0")
        for name in ("XDG_STATE_HOME", "VSYS_CRASH_AT", "VSYS_LOAD_PATH"):
            self.env.pop(name, None)

    def vsys(self, *args: str) -> subprocess.CompletedProcess:
        if args[0] in IN_PROCESS:       # saves an interpreter's start-up per example
            return run_vsys_in_process(*args, env=self.env, cwd=ROOT)
        return run_vsys(*args, env=self.env, cwd=ROOT, timeout=120)

    def stop_supervisor(self) -> None:
        if supervised(self.state, self.root):
            self.vsys("herd", "--root", self.root, "stop", "root")

    # -- what the root holds
    def path(self, rel: str) -> str:
        return os.path.join(self.root, rel)

    def read(self, rel: str) -> str:
        with open(self.path(rel), encoding="utf-8") as f:
            return f.read()

    @property
    def generation(self) -> str:
        return os.path.realpath(self.path("run/current-system"))

    def spec(self, service: str) -> dict:
        with open(os.path.join(self.generation, "services", f"{service}.json")) as f:
            return json.load(f)

    def argv(self, service: str) -> list[str]:
        return self.spec(service)["start"]["argv"]

    def services(self) -> set[str]:
        return {f[:-5] for f in os.listdir(os.path.join(self.generation, "services"))
                if f.endswith(".json")}

    def members(self, group: str) -> list[str]:
        for line in self.read("etc/group").splitlines():
            fields = line.split(":")
            if fields[0] == group:
                return [m for m in fields[3].split(",") if m]
        raise AssertionError(f"no group {group} in {self.path('etc/group')}")

    def users(self) -> list[str]:
        return [line.split(":")[0] for line in self.read("etc/passwd").splitlines()]

    def managed(self, rel: str) -> str:
        """The content of /etc file REL, checked to be vsys's: a link into the root's
        profile, which leads into the generation."""
        path = self.path(rel)
        assert os.path.islink(path), f"{rel} is not a link into the generation"
        assert os.readlink(path).startswith(os.path.join(self.state, "profiles")), rel
        assert os.path.realpath(path).startswith(os.path.join(self.state, "store")), rel
        return self.read(rel)


CHECKS = {}


def checks(*names: str):
    def register(fn):
        for name in names:
            CHECKS[name] = fn
        return fn
    return register


def option(argv: list[str], name: str) -> str:
    """The value that follows NAME in ARGV."""
    assert name in argv, f"{name} not in {argv}"
    return argv[argv.index(name) + 1]


# --- virtualization -------------------------------------------------------------------------

@checks("libvirt")
def _libvirt(r: Reconfigured):
    conf = r.managed("etc/libvirt/libvirtd.conf")
    assert 'tls_port = "16555"' in conf.splitlines()
    assert 'unix_sock_group = "libvirt"' in conf.splitlines()
    argv = r.argv("libvirtd")
    assert argv[0].endswith("/libvirtd")
    with open(option(argv, "-f")) as f:
        assert f.read() == conf, "libvirtd is not given the file under /etc"
    assert sorted(r.members("libvirt")) == ["user"]
    assert all("user" in r.members(g) for g in ("audio", "video", "wheel"))
    assert os.path.isdir(r.path("var/run/libvirt"))


@checks("virtlog")
def _virtlog(r: Reconfigured):
    conf = r.managed("etc/libvirt/virtlogd.conf")
    assert "max_clients = 1000" in conf.splitlines()
    argv = r.argv("virtlogd")
    assert argv[0].endswith("/virtlogd")
    with open(option(argv, "-f")) as f:
        assert f.read() == conf


# The register strings of the kernel's binfmt_misc: name, magic (ELF class, then e_machine
# 0x28 for ARM and 0xb7 for AArch64), mask, interpreter, flags.
ARM = re.compile(r"^:qemu-arm:M::\\x7f\\x45\\x4c\\x46\\x01\\x01\\x01(\\x00){9}\\x02\\x00"
                 r"\\x28\\x00:(\\x[0-9a-f]{2}){20}:/\S+/qemu-arm(-static)?:F?P?$")
AARCH64 = re.compile(r"^:qemu-aarch64:M::\\x7f\\x45\\x4c\\x46\\x02\\x01\\x01(\\x00){9}"
                     r"\\x02\\x00\\xb7\\x00:(\\x[0-9a-f]{2}){20}:/\S+/qemu-aarch64(-static)?"
                     r":F?P?$")


def _binfmt(r: Reconfigured, expected: dict[str, re.Pattern]):
    directory = r.path("etc/binfmt.d")
    assert sorted(os.listdir(directory)) == sorted(f"{n}.conf" for n in expected)
    entries = []
    for name, pattern in expected.items():
        text = r.managed(f"etc/binfmt.d/{name}.conf")
        assert pattern.match(text.rstrip("\n")), text
        entries.append(text.rstrip("\n"))
    start = r.spec("qemu-binfmt")["start"]
    assert start["kind"] == "binfmt"
    assert sorted(start["entries"]) == sorted(entries)


@checks("qemu-binfmt")
def _qemu_binfmt(r: Reconfigured):
    _binfmt(r, {"qemu-arm": ARM, "qemu-aarch64": AARCH64})


@checks("qemu-binfmt-arm")
def _qemu_binfmt_arm(r: Reconfigured):
    _binfmt(r, {"qemu-arm": ARM})


@checks("qemu-guest-agent")
def _qemu_guest_agent(r: Reconfigured):
    assert r.argv("qemu-guest-agent")[0].endswith("/qemu-ga")


@checks("xe-guest-utilities")
def _xe_guest_utilities(r: Reconfigured):
    assert r.argv("xen-guest-agent")[0].endswith("/xe-daemon")


def _build_vm(r: Reconfigured, cpu: str, cpus: int, memory: int, auto_start: bool):
    spec = r.spec("build-vm")
    argv = spec["start"]["argv"]
    assert spec["start"]["kind"] == "vm"
    assert option(argv, "-cpu") == cpu
    assert option(argv, "-smp") == f"cpus={cpus}"
    assert option(argv, "-m") == str(memory)
    assert "hostfwd=tcp:127.0.0.1:11022-:22" in option(argv, "-nic")
    assert "hostfwd=tcp:127.0.0.1:11044-:1004" in option(argv, "-nic")
    assert spec["start"]["secrets"]["port"] == 11044
    assert spec.get("auto-start", True) is auto_start
    assert spec["respawn"] is True
    machines = r.managed("etc/guix/machines.scm")
    assert "(port 11022)" in machines
    key = "etc/guix/offload/ssh/virtual-build-machine/build-vm"
    assert os.path.isfile(r.path(key)) and os.path.isfile(r.path(key + ".pub"))
    assert "build-vm-build-vm" in r.users()


@checks("build-vm")
def _build_vm_default(r: Reconfigured):
    _build_vm(r, "Skylake-Client", 4, 2048, False)


@checks("build-vm-westmere")
def _build_vm_westmere(r: Reconfigured):
    _build_vm(r, "Westmere", 8, 1024, True)


def _childhurd(r: Reconfigured, memory: int, snapshot: bool, image: str):
    spec = r.spec("hurd-vm")
    argv = spec["start"]["argv"]
    assert spec["provision"] == ["hurd-vm", "childhurd"]
    assert option(argv, "-m") == str(memory)
    assert ("--snapshot" in argv) is snapshot
    assert option(argv, "--hda") == image
    assert "hostfwd=tcp:127.0.0.1:10022-:22," in option(argv, "--netdev")
    assert spec["respawn"] is True
    assert "(port 10022)" in r.managed("etc/guix/machines.scm")
    for key in ("etc/childhurd/etc/ssh/ssh_host_ed25519_key",
                "etc/childhurd/etc/guix/signing-key.pub", "etc/guix/offload/ssh/childhurd"):
        assert os.path.isfile(r.path(key)), key
    assert "childhurd" in r.users()


@checks("childhurd")
def _childhurd_5g(r: Reconfigured):
    _childhurd(r, 1024, True, "/var/lib/vsys/images/hurd-vm.qcow2")


@checks("childhurd-persistent")
def _childhurd_persistent(r: Reconfigured):
    _childhurd(r, 2048, False, "/no/almacen/y/perm/escritura/hurd.img")


@checks("childhurd-os")
def _childhurd_os(r: Reconfigured):
    _childhurd(r, 2048, True, "/var/lib/vsys/images/hurd-vm.qcow2")
    with open(os.path.join(r.generation, "configuration.scm")) as f:
        assert '(name "charlie")' in f.read()


@checks("default")
def _default(r: Reconfigured):
    assert 'unix_sock_group = "libvirt"' in r.managed("etc/libvirt/libvirtd.conf")
    r.managed("etc/libvirt/virtlogd.conf")
    _binfmt(r, {"qemu-arm": ARM, "qemu-aarch64": AARCH64})
    _build_vm(r, "Skylake-Client", 4, 2048, False)
    assert "alice" in r.members("libvirt") and "alice" in r.members("kvm")
    assert {"libvirtd", "virtlogd", "qemu-binfmt", "build-vm"} <= r.services()


# --- Ganeti ---------------------------------------------------------------------------------

GANETI_DAEMONS = {"ganeti-noded", "ganeti-confd", "ganeti-wconfd", "ganeti-luxid",
                  "ganeti-kvmd", "ganeti-mond", "ganeti-metad"}


def _ganeti(r: Reconfigured, rapi: bool = True) -> str:
    """The daemons and jobs every Ganeti example has; returns the mcron jobs file."""
    daemons = GANETI_DAEMONS | ({"ganeti-rapi"} if rapi else set())
    assert daemons <= r.services()
    assert ("ganeti-rapi" in r.services()) is rapi
    assert "mcron" in r.services()
    with open(os.path.join(r.generation, "mcron", "jobs.scm")) as f:
        jobs = f.read()
    assert '"ganeti-watcher")' in jobs
    assert '"ganeti master cleaner"' in jobs and '"ganeti node cleaner"' in jobs
    # Debian's Ganeti: its daemon users, its version links, daemon-util's hook
    assert "gnt-masterd" in r.members("gnt-daemons") and "gnt-rapi" in r.members("gnt-admin")
    assert os.path.realpath(r.path("etc/ganeti/share")) == "/usr/share/ganeti/3.0"
    assert "vsys_herd=/run/vsys/herd" in r.managed("etc/default/ganeti")
    return jobs


def _daemon_command(r: Reconfigured, name: str) -> str:
    """The command line a Ganeti daemon's wrapper (`/bin/sh -c SCRIPT NAME`) ends with."""
    sh, dash_c, script, _ = r.argv(name)
    assert (sh, dash_c) == ("/bin/sh", "-c")
    return script.splitlines()[-1]


def _variants(r: Reconfigured, provider: str) -> list[str]:
    """The variants OS provider PROVIDER lists, each checked to have its file."""
    rel = f"etc/ganeti/instance-{provider}/variants"
    listed = r.managed(f"{rel}/variants.list").split()
    files = os.listdir(r.path(rel))
    for variant in listed:
        assert [f for f in files if f.split(".")[0] == variant], (variant, files)
    return listed


@checks("ganeti-node")
def _ganeti_node(r: Reconfigured):
    _ganeti(r)
    assert r.managed("etc/ganeti/file-storage-paths").split() == ["/srv/ganeti/file-storage"]
    assert _variants(r, "debootstrap") == ["default"]
    assert _variants(r, "guix") == ["default"]
    # The host's ganeti-instance-guix provides it (a dangling link until it is installed).
    assert os.path.islink(r.path("etc/ganeti/instance-guix/variants/default.scm"))
    hosts = [line.split() for line in r.managed("etc/hosts").splitlines()]
    for entry in (["192.168.1.200", "ganeti.example.com"],
                  ["192.168.1.201", "node1.example.com", "node1"],
                  ["192.168.1.202", "node2.example.com", "node2"]):
        assert entry in hosts
    resolv = r.managed("etc/resolv.conf").splitlines()
    assert "nameserver 192.168.1.252" in resolv and "nameserver 192.168.1.253" in resolv
    assert "PermitRootLogin prohibit-password" in r.managed("etc/ssh/sshd_config")
    assert os.path.isfile(r.path("etc/ssh/ssh_host_ed25519_key"))
    assert "ssh-daemon" in r.services()
    for directory in ("var/lib/ganeti", "var/log/ganeti", "var/run/ganeti"):
        assert os.path.isdir(r.path(directory)), directory


@checks("ssh-container")
def _ssh_container(r: Reconfigured):
    with open(os.path.join(EXAMPLES, "keys", "alice.pub")) as f:
        assert r.managed("etc/ssh/authorized_keys.d/alice") == f.read()
    config = r.managed("etc/ssh/sshd_config")
    assert "Port 22\n" in config and "PasswordAuthentication no\n" in config
    assert os.path.isfile(r.path("etc/ssh/ssh_host_ed25519_key"))
    assert "alice:x:1000:100:Alice:/home/alice:" in r.read("etc/passwd")
    assert "ssh-daemon" in r.services()


@checks("ganeti-rapi-watcher")
def _ganeti_rapi_watcher(r: Reconfigured):
    jobs = _ganeti(r)
    assert "--interface=eth1" in _daemon_command(r, "ganeti-rapi").split()
    assert '"--rapi-ip=10.0.0.1"' in jobs


@checks("ganeti-services")
def _ganeti_services(r: Reconfigured):
    _ganeti(r, rapi=False)
    # no OS providers: only Debian's version links
    assert sorted(os.listdir(r.path("etc/ganeti"))) == ["lib", "share"]


@checks("ganeti-custom-os")
def _ganeti_custom_os(r: Reconfigured):
    _ganeti(r)
    assert _variants(r, "personalizado") == ["cosa"]
    assert r.managed("etc/ganeti/instance-personalizado/variants/cosa.conf") == "Esto va bien"


@checks("ganeti-debootstrap-hooks")
def _ganeti_debootstrap_hooks(r: Reconfigured):
    _ganeti(r)
    assert _variants(r, "debootstrap") == ["hola"]
    conf = dict(line.split("=", 1) for line in
                r.managed("etc/ganeti/instance-debootstrap/variants/hola.conf").splitlines())
    hook = os.path.join(conf["CUSTOMIZE_DIR"], "99-hola-mundo")
    assert os.access(hook, os.X_OK)
    with open(hook, encoding="utf-8") as f:
        assert f.read() == "#!/bin/sh\necho '¡Hola mundo!'"


@checks("ganeti-guix-variants")
def _ganeti_guix_variants(r: Reconfigured):
    _ganeti(r)
    source = os.path.join(EXAMPLES, "ganeti-guix-variants")
    installed = r.path("etc/ganeti/instance-guix/variants")
    assert sorted(os.listdir(installed)) == sorted(os.listdir(source))
    for name in os.listdir(source):
        with open(os.path.join(source, name)) as a, open(os.path.join(installed, name)) as b:
            assert a.read() == b.read(), name


# --- the test -------------------------------------------------------------------------------

@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: os.path.basename(p)[:-4])
def test_the_example_reconfigures_into_a_temporary_root(example, tmp_path):
    name = os.path.basename(example)[:-4]
    check = CHECKS.get(name)
    if check is None:
        pytest.fail(f"examples/{name}.scm has no key artifacts to check: add them to CHECKS "
                    f"in {os.path.relpath(__file__, ROOT)}", pytrace=False)
    r = Reconfigured(tmp_path)
    try:
        done = r.vsys("reconfigure", "--root", r.root, "--no-supervisor", example)
        output = done.stdout + done.stderr
        if done.returncode != 0:
            missing = re.search(r"(\S+) is not installed \(Debian package ([^)]+)\)", output)
            if missing:
                need_program(missing.group(1), missing.group(2))
        assert done.returncode == 0, output
        assert "Traceback" not in output
        assert f"root: {r.root}\n" in done.stdout
        assert "switched to generation 1" in done.stdout
        assert "supervisor: not told (--no-supervisor)" in done.stdout
        assert r.generation.startswith(os.path.join(r.state, "store") + os.sep)
        assert r.generation.endswith("-system")
        assert os.listdir(os.path.join(r.generation, "services"))
        r.managed("etc/hosts")
        check(r)
    finally:
        r.stop_supervisor()


def test_every_example_has_its_checks():
    names = {os.path.basename(p)[:-4] for p in EXAMPLE_FILES}
    assert sorted(set(CHECKS) - names) == [], "checks for examples that no longer exist"
