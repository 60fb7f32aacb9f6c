"""The manual's virtualization examples (examples/*.scm) evaluate to the expected
services: folded Shepherd services and their command lines, /etc files, accounts,
activation steps; and the childhurd example's typo gives a helpful error."""

from __future__ import annotations

import os

import pytest
from support.paths import EXAMPLES
from test_virtualization import LIBVIRTD_CONF_16555

from vsys.dsl.api import eval_string
from vsys.dsl.datatypes import Keyword, Symbol, to_list
from vsys.dsl.errors import SchemeError, format_error
from vsys.stdlib import dbus, files, system, system_services
from vsys.stdlib import virtualization as v
from vsys.stdlib.gexp import lower
from vsys.stdlib.guix_modules import config_module
from vsys.stdlib.shepherd import shepherd_entries

RESOLVE = files.resolver(lambda fl: f"/store/{fl.name}")


def build(name: str):
    """Evaluate examples/NAME and fold its services as a build does."""
    path = os.path.join(EXAMPLES, name)
    with open(path) as f:
        os_ = eval_string(f.read(), config_module(), path)
    return os_, system.fold_operating_system(os_)


def shepherd(folded) -> dict:
    return {to_list(e.record["provision"])[0].name: e.record for e in shepherd_entries(folded)}


def start_code(record) -> list:
    return to_list(lower(record["start"], RESOLVE))


def argv(record) -> list:
    code = start_code(record)
    return to_list(code[1])[1:]


def keywords(code: list) -> dict:
    return {k.name: v for k, v in zip(code[2::2], code[3::2]) if type(k) is Keyword}


def etc(folded) -> dict:
    return {to_list(e)[0]: to_list(e)[1]
            for e in to_list(folded.one(system_services.etc_service_type))}


def text(file_like) -> str:
    return file_like.produce(RESOLVE).data.decode()


def accounts(folded) -> dict:
    return {r["name"]: r for r in to_list(folded.one(system_services.account_service_type))}


def activation(folded) -> list:
    return [s for s in to_list(folded.one(system_services.activation_service_type))
            if isinstance(s, dict)]


def test_libvirt_example():
    os_, folded = build("libvirt.scm")
    libvirtd = shepherd(folded)["libvirtd"]
    args = argv(libvirtd)
    assert args[0].endswith("/libvirtd") and args[1:] == ["-f", "/store/libvirtd.conf"]
    assert to_list(libvirtd["requirement"]) == [Symbol("dbus-system")]
    env = to_list(keywords(start_code(libvirtd))["environment-variables"])[1:]
    # the host's PATH, where Debian's QEMU is (Guix's names its own profile)
    assert env == ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]
    conf = text(etc(folded)["libvirt/libvirtd.conf"])
    assert conf == LIBVIRTD_CONF_16555.replace("node1", "vmhost")
    users = accounts(folded)
    assert users["libvirt"]["system?"] is True
    # what Debian's libvirt build expects: QEMU runs as libvirt-qemu, of group kvm
    qemu = users["libvirt-qemu"]
    assert (qemu["group"], to_list(qemu["supplementary-groups"]), qemu["home-directory"]) == (
        "kvm", ["libvirt-qemu"], "/var/lib/libvirt")
    # polkit and the bus it talks over come with libvirt, as in Guix
    services = shepherd(folded)
    assert to_list(services["polkit"]["requirement"]) == [Symbol("dbus-system")]
    assert to_list(services["dbus-system"]["requirement"]) == [Symbol("user-processes")]
    assert {"messagebus", "polkitd"} <= set(users)
    assert text(etc(folded)["polkit-1/rules.d/50-libvirt.rules"]) == (
        "// Members of libvirt's unix-sock-group manage virtual machines.\n"
        "polkit.addRule(function(action, subject) {\n"
        '    if (action.id == "org.libvirt.unix.manage" &&\n'
        '        subject.isInGroup("libvirt")) {\n'
        "        return polkit.Result.YES;\n"
        "    }\n"
        "});\n")
    assert "libvirt" in to_list(users["user"]["supplementary-groups"])
    assert {"kind": "directory", "path": "/var/run/libvirt", "mode": 0o755} in activation(folded)
    libvirt_pkg = folded.values_of(v.libvirt_service_type)[0]["libvirt"]
    assert libvirt_pkg in to_list(folded.one(system_services.profile_service_type))
    assert libvirt_pkg in to_list(folded.one(dbus.polkit_service_type))


def test_libvirt_listen_tcp_adds_listen():
    c = v.LIBVIRT_CONFIGURATION.make({"listen-tcp?": True})
    (svc,) = to_list(v.libvirt_shepherd_service(c))
    assert argv(svc)[-1] == "--listen"


def test_virtlog_example():
    _, folded = build("virtlog.scm")
    virtlogd = shepherd(folded)["virtlogd"]
    assert argv(virtlogd)[1:] == ["-f", "/store/virtlogd.conf"]
    assert argv(virtlogd)[0].endswith("/virtlogd")
    assert to_list(virtlogd["requirement"]) == [Symbol("user-processes")]
    assert text(etc(folded)["libvirt/virtlogd.conf"]) == (
        'log_level = 3\nlog_filters = "3:remote 4:event"\nlog_outputs = "3:stderr"\n'
        'max_clients = 1000\nmax_size = 2097152\nmax_backups = 3\n')


@pytest.mark.parametrize("name,platforms", [("qemu-binfmt.scm", ["arm", "aarch64"]),
                                            ("qemu-binfmt-arm.scm", ["arm"])])
def test_qemu_binfmt_examples(name, platforms):
    _, folded = build(name)
    svc = shepherd(folded)["qemu-binfmt"]
    assert to_list(svc["requirement"]) == [Symbol("file-system-/proc/sys/fs/binfmt_misc")]
    code = start_code(svc)
    assert code[0] == Symbol("make-binfmt-registration")
    entries = to_list(code[1])[1:]
    assert [e.split(":")[1] for e in entries] == [f"qemu-{p}" for p in platforms]
    assert all(e.endswith(f"qemu-{p}-static:FP") for e, p in zip(entries, platforms))
    stop = to_list(lower(svc["stop"], RESOLVE))
    assert stop[0] == Symbol("make-binfmt-unregistration")
    assert to_list(stop[1])[1:] == [f"qemu-{p}" for p in platforms]


def test_qemu_guest_agent_example():
    _, folded = build("qemu-guest-agent.scm")
    svc = shepherd(folded)["qemu-guest-agent"]
    assert argv(svc)[0].endswith("/qemu-ga")
    assert argv(svc)[1:] == ["--statedir", "/var/run"]
    assert keywords(start_code(svc))["log-file"] == "/var/log/qemu-ga.log"
    assert to_list(svc["requirement"]) == [Symbol("user-processes"), Symbol("udev")]
    c = v.QEMU_GUEST_AGENT_CONFIGURATION.make({"device": "/dev/vport0p1"})
    assert argv(to_list(v.guest_agent_shepherd_service(c))[0])[-2:] == ["--path",
                                                                        "/dev/vport0p1"]


def test_xe_guest_utilities_example():
    _, folded = build("xe-guest-utilities.scm")
    svc = shepherd(folded)["xen-guest-agent"]
    code = start_code(svc)            # (lambda args (system* ...) (apply FORKEXEC args))
    assert code[0] == Symbol("lambda")
    pre = to_list(code[2])
    assert pre[0] == Symbol("system*") and pre[1].endswith("/xe-linux-distribution")
    assert pre[2] == "/var/cache/xe-linux-distribution"
    daemon = to_list(to_list(code[3])[1])
    assert to_list(daemon[1])[2:] == ["-p", "/var/run/xe-daemon.pid"]
    kw = keywords(daemon)
    assert kw["pid-file"] == "/var/run/xe-daemon.pid"
    assert kw["log-file"] == "/var/log/xe-guest-utilities.log"
    assert to_list(svc["requirement"]) == [Symbol("networking"), Symbol("user-processes"),
                                           Symbol("udev")]
    udev = system_services.udev_rules(folded.one(system_services.udev_service_type))
    assert any(getattr(p, "name", None) == "xe-guest-utilities" for p in udev)


def test_build_vm_example():
    _, folded = build("build-vm.scm")
    svc = shepherd(folded)["build-vm"]
    assert svc["auto-start?"] is False
    code = start_code(svc)
    assert code[0] == Symbol("make-qemu-vm-constructor")
    args = to_list(code[1])[1:]
    assert args[0].endswith("/qemu-system-x86_64")
    assert args[1:5] == ["-cpu", "Skylake-Client", "-smp", "cpus=4"]
    (action,) = to_list(svc["actions"])
    printed = to_list(lower(action["procedure"], RESOLVE))
    assert to_list(printed[1])[1:] == ["CPU: Skylake-Client", "number of CPU cores: 4",
                                       "memory size: 2048 MiB",
                                       "initial date: Wed Jan 01 00:00:00Z 2020"]
    users = accounts(folded)
    assert to_list(users["build-vm-build-vm"]["supplementary-groups"]) == ["kvm"]
    steps = activation(folded)
    assert {"kind": "ssh-host-keys",
            "root": "/etc/guix/virtual-build-machines/build-vm"} in steps
    machines = to_list(folded.one(v.virtual_build_machine_service_type.extensions[3]
                                  .target)["build-machines"])
    # Offered only while the VM listens on its forwarded SSH port, i.e. while it runs.
    assert [(m.port, m.machine["name"], m.machine["port"]) for m in machines] == [
        (11022, "localhost", 11022)]


def test_build_vm_westmere_example():
    _, folded = build("build-vm-westmere.scm")
    svc = shepherd(folded)["build-vm"]
    assert svc["auto-start?"] is True
    args = to_list(start_code(svc)[1])[1:]
    assert args[1:7] == ["-cpu", "Westmere", "-smp", "cpus=8", "-m", "1024"]


def test_childhurd_example():
    _, folded = build("childhurd.scm")
    svc = shepherd(folded)["hurd-vm"]
    assert to_list(svc["provision"]) == [Symbol("hurd-vm"), Symbol("childhurd")]
    (config,) = folded.values_of(v.hurd_vm_service_type)
    assert config["disk-size"] == 5000 * 2 ** 20 and config["memory-size"] == 1024
    args = to_list(start_code(svc)[1])[1:]
    assert args[1:3] == ["-m", "1024"] and args[-1] == "--no-reboot"
    assert accounts(folded)["childhurd"]["comment"] == \
        "Privilege separation user for the childhurd"


def test_childhurd_persistent_example():
    _, folded = build("childhurd-persistent.scm")
    args = to_list(start_code(shepherd(folded)["hurd-vm"])[1])[1:]
    assert "--snapshot" not in args
    assert args[-3:] == ["--hda", "/no/almacen/y/perm/escritura/hurd.img", "--no-reboot"]


def test_childhurd_os_example():
    _, folded = build("childhurd-os.scm")
    (config,) = folded.values_of(v.hurd_vm_service_type)
    guest = config["os"]
    names = [u["name"] for u in to_list(guest["users"])]
    assert "charlie" in names
    (ssh,) = [s for s in to_list(guest["services"]) if s.type.name == "ssh"]
    assert ssh.value["port-number"] == 22
    assert [to_list(e)[0] for e in to_list(ssh.value["authorized-keys"])] == ["root",
                                                                              "charlie"]


def test_mistake_childhurd_os_typo(monkeypatch):
    """The manual's childhurd example uses %childhurd-os for childhurd-os.  Its key file,
    /home/charlie/.ssh/id_rsa.pub, is stood in for so evaluation reaches the typo."""
    real = files.local_file

    def stand_in(site, path, *rest, **kw):
        if path == "/home/charlie/.ssh/id_rsa.pub":
            return files.plain_file("id_rsa.pub", "ssh-ed25519 AAAA charlie\n")
        return real(site, path, *rest, **kw)
    monkeypatch.setattr(files, "local_file", stand_in)
    path = os.path.join(EXAMPLES, "mistakes", "childhurd-os-typo.scm")
    m = config_module()
    eval_string("(use-service-modules ssh virtualization)", m)
    with pytest.raises(SchemeError) as e:
        with open(path) as f:
            eval_string(f.read(), m, path)
    message = format_error(e.value)
    assert "unbound variable: %childhurd-os" in message
    assert "did you mean childhurd-os" in message
    assert "childhurd-os-typo.scm:37:" in message
