"""The build VM and the childhurd: defaults, CPU model for a date, ports by id, QEMU
command lines, accounts, activation steps, offloading, validation."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from vsys.dsl.api import eval_string
from vsys.dsl.datatypes import NIL, Keyword, Pair, Symbol, from_list, to_list
from vsys.dsl.errors import SchemeError
from vsys.stdlib import build_vm as b
from vsys.stdlib import hurd_vm as h
from vsys.stdlib import virtualization as v
from vsys.stdlib.network_ports import Claim, check_claims
from vsys.stdlib.services import Service, fold_services


def utc(y, m=1, d=1):
    return dt.datetime(y, m, d, tzinfo=dt.timezone.utc)


# --- build VM -----------------------------------------------------------------------------------

def test_build_vm_defaults():
    c = b.VIRTUAL_BUILD_MACHINE.make()
    assert c["name"] == Symbol("build-vm")
    assert c["qemu"].name == "qemu-minimal"
    assert c["cpu"] == "Skylake-Client"
    assert (c["cpu-count"], c["memory-size"], c["auto-start?"]) == (4, 2048, False)
    assert b.date_to_datetime(c["date"]) == utc(2020)
    # Guix's %build-vm-secrets-port is 11044 (the manual's 11004 is the childhurd's).
    assert [(p.car, p.cdr) for p in to_list(c["port-forwardings"])] == [(11022, 22),
                                                                        (11044, 1004)]
    assert len(to_list(c["systems"])) == 1


@pytest.mark.parametrize("date,model", [
    (utc(2005, 6), "qemu64"), (utc(2006, 1, 2), "core2duo"), (utc(2008, 1, 1), "core2duo"),
    (utc(2009), "Nehalem"), (utc(2010, 6), "Westmere"), (utc(2011, 3), "SandyBridge"),
    (utc(2012, 3), "IvyBridge"), (utc(2013, 3), "Haswell"), (utc(2014, 3), "Broadwell"),
    (utc(2015, 3), "Skylake-Client"), (utc(2020), "Skylake-Client"),
])
def test_cpu_model_for_date(date, model):
    assert b.cpu_model_for_date(date, from_list(["x86_64-linux"])) == model


def test_cpu_model_for_other_systems_is_host():
    assert b.cpu_model_for_date(utc(2020), from_list(["aarch64-linux"])) == "host"
    assert b.cpu_model_for_date(utc(2020), from_list(["i686-linux", "x86_64-linux"])) == \
        "Skylake-Client"


def test_cpu_follows_the_date_of_the_record():
    c = b.VIRTUAL_BUILD_MACHINE.make({"date": utc(2010, 6)})
    assert c["cpu"] == "Westmere"


def test_configuration_action_lines():
    assert b.configuration_lines(b.VIRTUAL_BUILD_MACHINE.make()) == [
        "CPU: Skylake-Client", "number of CPU cores: 4", "memory size: 2048 MiB",
        "initial date: Wed Jan 01 00:00:00Z 2020"]


def test_date_string_with_an_offset():
    d = dt.datetime(2021, 3, 4, 5, 6, 7, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    assert b.srfi19_date_string(d) == "Thu Mar 04 05:06:07-0500 2021"


def test_qemu_arguments_in_order():
    c = b.VIRTUAL_BUILD_MACHINE.make({"cpu": "Westmere", "cpu-count": 8,
                                      "memory-size": 1024, "auto-start?": True})
    assert b.qemu_arguments(c, "/img/vm.qcow2") == [
        "-cpu", "Westmere", "-smp", "cpus=8", "-m", "1024",
        "-nic", "user,model=virtio-net-pci,hostfwd=tcp:127.0.0.1:11022-:22,"
                "hostfwd=tcp:127.0.0.1:11044-:1004",
        "-serial", "stdio", "-rtc", "base=2020-01-01T00:00:00",
        "-object", "rng-random,filename=/dev/urandom,id=guix-vm-rng",
        "-device", "virtio-rng-pci,rng=guix-vm-rng",
        "-drive", "file=/img/vm.qcow2,format=qcow2,if=virtio,cache=writeback,"
                  "werror=report,readonly=off",
        "-snapshot", "-no-reboot"]


def test_one_cpu_has_no_smp_option():
    c = b.VIRTUAL_BUILD_MACHINE.make({"cpu-count": 1})
    assert "-smp" not in b.qemu_arguments(c, "/i")


@pytest.mark.parametrize("field,value", [("cpu-count", 0), ("memory-size", -5),
                                         ("memory-size", 0), ("cpu-count", 2.5)])
def test_sizes_must_be_positive(field, value):
    with pytest.raises(SchemeError) as e:
        b.VIRTUAL_BUILD_MACHINE.make({field: value})
    assert field in str(e.value) and "positive integer" in str(e.value)


@pytest.mark.skipif(shutil.which("qemu-system-x86_64") is None,
                    reason="qemu-system-x86_64 is not installed (Debian package "
                           "qemu-system-x86)")
def test_unknown_cpu_model_is_refused():
    with pytest.raises(SchemeError) as e:
        b.VIRTUAL_BUILD_MACHINE.make({"cpu": "Westmre"})
    assert "Westmre" in str(e.value) and "CPU model" in str(e.value)
    assert b.VIRTUAL_BUILD_MACHINE.make({"cpu": "Westmere,+aes"})["cpu"] == "Westmere,+aes"
    assert b.qemu_cpu_models.cache_info().misses <= 1


def test_forwarded_ports_must_be_ports():
    with pytest.raises(SchemeError):
        b.VIRTUAL_BUILD_MACHINE.make({"port-forwardings": from_list([Pair(70000, 22)])})


def test_build_vm_shepherd_service():
    c = b.VIRTUAL_BUILD_MACHINE.make()
    (svc,) = to_list(b.build_vm_shepherd_service(c))
    assert to_list(svc["provision"]) == [Symbol("build-vm")]
    assert to_list(svc["requirement"]) == [Symbol("user-processes")]
    assert svc["auto-start?"] is False
    # Shepherd's default: QEMU runs with -no-reboot, so a guest reboot or crash ends the
    # process and the service brings the VM back.
    assert svc["respawn?"] is True
    start = to_list(svc["start"].template)
    assert start[0] == Symbol("make-qemu-vm-constructor")
    kw = dict(zip(start[2::2], start[3::2]))
    assert kw[Keyword("user")] == "build-vm-build-vm" and kw[Keyword("group")] == "kvm"
    assert kw[Keyword("kvm-option")] == "-enable-kvm"
    assert kw[Keyword("secrets-port")] == 11044
    assert kw[Keyword("secret-root")] == "/etc/guix/virtual-build-machines/build-vm"
    (action,) = to_list(svc["actions"])
    assert action["name"] == Symbol("configuration")


def test_build_vm_accounts_and_activation():
    c = b.VIRTUAL_BUILD_MACHINE.make()
    group, user = to_list(b.build_vm_accounts(c))
    assert group["name"] == "build-vm-build-vm" and group["system?"] is True
    assert user["name"] == "build-vm-build-vm" and user["group"] == "build-vm-build-vm"
    assert to_list(user["supplementary-groups"]) == ["kvm"]
    assert user["comment"] == "Privilege separation user for the virtual build machine"
    assert user["home-directory"] == "/var/empty"
    steps = to_list(b.build_vm_activation(c))
    kinds = [s["kind"] for s in steps]
    assert kinds.index("ssh-host-keys") < kinds.index("guix-signing-key")
    key = next(s for s in steps if s["kind"] == "ssh-key")
    assert key["path"] == "/etc/guix/offload/ssh/virtual-build-machine/build-vm"
    auth = next(s for s in steps if s["kind"] == "authorize-ssh-key")
    assert auth["file"].endswith("/build-vm/etc/ssh/authorized_keys.d/offloading")
    assert auth["directory-mode"] == 0o555
    assert any(s["kind"] == "authorize-guix-key" for s in steps)
    # The guest trusts the host's signing key (Guix's initialize-build-vm-substitutes).
    assert {"kind": "authorize-host-guix-key", "public-key": "/etc/guix/signing-key.pub",
            "acl": "/etc/guix/virtual-build-machines/build-vm/etc/guix/acl"} in steps


def test_build_vm_offloading_machine():
    (listed,) = to_list(b.build_vm_build_machines(b.VIRTUAL_BUILD_MACHINE.make()))
    m = listed.machine
    assert listed.port == 11022                    # listed while QEMU listens there
    assert (m["name"], m["port"], m["user"]) == ("localhost", 11022, "offloading")
    assert m["private-key"] == "/etc/guix/offload/ssh/virtual-build-machine/build-vm"


# --- childhurd -----------------------------------------------------------------------------------

def test_hurd_vm_defaults():
    c = h.HURD_VM_CONFIGURATION.make()
    assert c["qemu"].name == "qemu-minimal"
    # Guix's code says 2048 MiB; the manual of its era said 512.
    assert c["disk-size"] == Symbol("guess") and c["memory-size"] == 2048
    assert to_list(c["options"]) == ["--snapshot"]
    assert c["id"] is False and c["offloading?"] is True
    assert c["secret-root"] == "/etc/childhurd"
    assert c["os"]["host-name"] == "childhurd"
    assert to_list(c["net-options"]) == [
        "--device", "rtl8139,netdev=net0", "--netdev",
        "user,id=net0,hostfwd=tcp:127.0.0.1:11004-:1004,hostfwd=tcp:127.0.0.1:10022-:22,"
        "hostfwd=tcp:127.0.0.1:15900-:5900"]


@pytest.mark.parametrize("vid,secrets,ssh,vnc", [(False, 11004, 10022, 15900),
                                                  (1, 12004, 11022, 16900),
                                                  (7, 18004, 17022, 22900),
                                                  (49, 60004, 59022, 64900)])
def test_ports_by_id(vid, secrets, ssh, vnc):
    assert h.ports(vid) == {"secrets": secrets, "ssh": ssh, "vnc": vnc}
    c = h.HURD_VM_CONFIGURATION.make({"id": vid})
    assert f"hostfwd=tcp:127.0.0.1:{ssh}-:22," in to_list(c["net-options"])[3]


def test_id_50_puts_vnc_out_of_range():
    with pytest.raises(SchemeError) as e:
        h.HURD_VM_CONFIGURATION.make({"id": 50})
    message = str(e.value)
    assert "65900" in message and "VNC" in message and "49" in message


@pytest.mark.parametrize("bad", [0, -1, "1"])
def test_id_must_be_positive(bad):
    with pytest.raises(SchemeError):
        h.HURD_VM_CONFIGURATION.make({"id": bad})


def test_net_options_follow_an_inherited_id():
    base = h.HURD_VM_CONFIGURATION.make({"id": 1})
    other = h.HURD_VM_CONFIGURATION.make({"id": 2}, inherit=base)
    assert "12004" not in to_list(other["net-options"])[3]
    assert "13004" in to_list(other["net-options"])[3]


def test_hurd_vm_shepherd_service():
    c = h.HURD_VM_CONFIGURATION.make({"id": 1, "memory-size": 1024})
    (svc,) = to_list(h.hurd_vm_shepherd_service(c))
    assert to_list(svc["provision"]) == [Symbol("hurd-vm1"), Symbol("childhurd1")]
    assert to_list(svc["requirement"]) == [Symbol("loopback"), Symbol("networking"),
                                           Symbol("user-processes")]
    start = to_list(svc["start"].template)
    argv = to_list(start[1])[2:]
    assert argv[:2] == ["-m", "1024"]
    assert argv[-3:] == ["--hda", "/var/lib/vsys/images/hurd-vm1.qcow2", "--no-reboot"]
    assert argv[2:6] == to_list(c["net-options"]) and argv[6] == "--snapshot"
    kw = dict(zip(start[2::2], start[3::2]))
    assert kw[Keyword("user")] == "childhurd" and kw[Keyword("secrets-port")] == 12004
    assert kw[Keyword("kvm-option")] == "--enable-kvm"


def test_hurd_vm_image_procedure():
    const = eval_string("(lambda (config) \"/srv/hurd.img\")")
    c = h.HURD_VM_CONFIGURATION.make({"image": const, "options": NIL})
    assert h.qemu_arguments(c)[-3:] == ["--hda", "/srv/hurd.img", "--no-reboot"]


def test_hurd_vm_activation_without_offloading():
    c = h.HURD_VM_CONFIGURATION.make({"offloading?": False})
    kinds = [s["kind"] for s in to_list(h.hurd_vm_activation(c))]
    assert "ssh-key" not in kinds and "authorize-guix-key" not in kinds
    assert "ssh-host-keys" in kinds and "guix-signing-key" in kinds
    assert to_list(h.hurd_vm_build_machines(c)) == []


def test_hurd_vm_offloading():
    (m,) = to_list(h.hurd_vm_build_machines(h.HURD_VM_CONFIGURATION.make({"id": 2})))
    assert (m["port"], to_list(m["systems"]), m["overload-threshold"]) == (12022, ["i586-gnu"],
                                                                          1.8)
    assert m["private-key"] == "/etc/guix/offload/ssh/childhurd2"


# --- conflicts across services --------------------------------------------------------------------

def _fold(*services):
    return fold_services([Service(t, value) for t, value in services])


def test_two_childhurds_without_id_are_an_error_naming_both():
    t = v.hurd_vm_service_type
    with pytest.raises(SchemeError) as e:
        _fold((t, h.HURD_VM_CONFIGURATION.make()), (t, h.HURD_VM_CONFIGURATION.make()))
    assert "two childhurds both lack an id" in str(e.value)


def test_two_childhurds_with_the_same_id():
    t = v.hurd_vm_service_type
    with pytest.raises(SchemeError) as e:
        _fold((t, h.HURD_VM_CONFIGURATION.make({"id": 3})),
              (t, h.HURD_VM_CONFIGURATION.make({"id": 3})))
    assert "same id 3" in str(e.value)


def test_childhurds_with_distinct_ids_fold():
    t = v.hurd_vm_service_type
    _fold((t, h.HURD_VM_CONFIGURATION.make({"id": 1})),
          (t, h.HURD_VM_CONFIGURATION.make({"id": 2})))


def test_build_vm_and_childhurd_at_their_defaults_fit_together():
    # As on Guix: the build VM's secrets port is 11044, the childhurd's 11004.
    _fold((v.virtual_build_machine_service_type, b.VIRTUAL_BUILD_MACHINE.make()),
          (v.hurd_vm_service_type, h.HURD_VM_CONFIGURATION.make()))


def test_build_vm_and_childhurd_on_one_secrets_port_clash():
    with pytest.raises(SchemeError) as e:
        _fold((v.virtual_build_machine_service_type, b.VIRTUAL_BUILD_MACHINE.make(
                  {"port-forwardings": from_list([Pair(11022, 22), Pair(11004, 1004)])})),
              (v.hurd_vm_service_type, h.HURD_VM_CONFIGURATION.make()))
    assert "TCP port 11004" in str(e.value)


def test_childhurd_is_respawned():
    (svc,) = to_list(h.hurd_vm_shepherd_service(h.HURD_VM_CONFIGURATION.make({"id": 2})))
    assert svc["respawn?"] is True
    assert to_list(svc["provision"]) == [Symbol("hurd-vm2"), Symbol("childhurd2")]


def test_claims_on_distinct_addresses_do_not_clash():
    check_claims([Claim("tcp", "127.0.0.1", 80, "a"), Claim("tcp", "10.0.0.1", 80, "b"),
                  Claim("udp", "0.0.0.0", 80, "c")])
    with pytest.raises(SchemeError):
        check_claims([Claim("tcp", "127.0.0.1", 80, "a"), Claim("tcp", "0.0.0.0", 80, "b")])


def test_each_childhurd_id_has_its_own_default_image():
    images = [h.hurd_vm_disk_image(h.HURD_VM_CONFIGURATION.make(values))
              for values in ({}, {"id": 1}, {"id": 2})]
    assert images == ["/var/lib/vsys/images/hurd-vm.qcow2",
                      "/var/lib/vsys/images/hurd-vm1.qcow2",
                      "/var/lib/vsys/images/hurd-vm2.qcow2"]
