"""Records of the system core: defaults, documentation and located errors."""

from __future__ import annotations

import importlib

from core_helpers import error_of, ev

from vsys.dsl.datatypes import NIL, Symbol, to_list
from vsys.dsl.records import RecordType
from vsys.stdlib.files import FileAppend
from vsys.stdlib.packages import Package
from vsys.stdlib.system import host_managed_fields


def test_user_account_defaults():
    u = ev('(user-account (name "alice"))')
    assert u["group"] == "users"
    assert u["home-directory"] == "/home/alice"
    assert u["supplementary-groups"] is NIL
    assert u["create-home-directory?"] is True and u["system?"] is False
    assert u["uid"] is False and u["password"] is False and u["comment"] == ""
    shell = u["shell"]
    assert isinstance(shell, FileAppend) and shell.base.name == "bash"
    assert shell.suffix == "/bin/bash"


def test_seed_user_account_example():
    users = ev('''(cons (user-account (name "user") (group "users")
                          (supplementary-groups '("libvirt" "audio" "video" "wheel")))
                        %base-user-accounts)''')
    first, *rest = to_list(users)
    assert to_list(first["supplementary-groups"]) == ["libvirt", "audio", "video", "wheel"]
    assert [u["name"] for u in rest] == ["nobody"]


def test_base_groups_include_the_usual_ones():
    names = [g["name"] for g in to_list(ev("%base-groups"))]
    for name in ("root", "wheel", "users", "kvm", "audio", "video", "tty"):
        assert name in names


def test_operating_system_defaults_and_inherit():
    os_ = ev('''(define base (operating-system (host-name "node1")))
                (operating-system (inherit base) (timezone "Europe/Paris"))''')
    assert os_["host-name"] == "node1"
    assert os_["timezone"] == "Europe/Paris"
    assert os_["locale"] == "en_US.utf8"
    assert [u["name"] for u in to_list(os_["users"])] == ["nobody"]
    packages = to_list(os_["packages"])
    assert all(isinstance(p, Package) for p in packages)
    assert "coreutils" in [p.name for p in packages]
    assert len(to_list(os_["services"])) > 10            # %base-services


def test_operating_system_accepts_guix_machine_fields():
    os_ = ev('''(operating-system
                  (host-name "box")
                  (timezone "Europe/Madrid")
                  (locale "es_ES.utf8")
                  (keyboard-layout (keyboard-layout "es" "nodeadkeys"))
                  (bootloader (bootloader-configuration
                                (bootloader grub-efi-bootloader)
                                (targets '("/boot/efi"))))
                  (kernel-arguments '("quiet" "console=ttyS0"))
                  (file-systems (cons (file-system
                                        (device (file-system-label "root"))
                                        (mount-point "/")
                                        (type "ext4"))
                                      %base-file-systems))
                  (swap-devices (list (swap-space (target "/swapfile"))))
                  (name-service-switch %mdns-host-lookup-nss))''')
    managed = {name: (value, explicit) for name, value, explicit in host_managed_fields(os_)}
    assert "host-name" not in managed and "services" not in managed
    assert managed["timezone"] == ("Europe/Madrid", True)
    assert managed["bootloader"][1] is True
    assert managed["initrd"] == (False, False)
    mounts = [fs["mount-point"] for fs in to_list(managed["file-systems"][0])]
    assert mounts == ["/", "/dev/pts", "/dev/shm"]


def test_every_field_is_documented():
    for name in ("system", "accounts", "system_services", "shepherd", "networking", "ssh",
                 "mcron", "guix", "base", "machine", "ganeti", "ganeti_os"):
        module = importlib.import_module(f"vsys.stdlib.{name}")
        rtypes = [v for v in vars(module).values() if isinstance(v, RecordType)]
        assert rtypes, name
        for rtype in rtypes:
            assert rtype.doc, rtype.name
            for f in rtype.fields:
                assert f.doc and f.doc[0].isupper() and f.doc.endswith("."), \
                    (rtype.name, f.name)


def test_unknown_field_is_located_with_did_you_mean():
    text = '(user-account\n  (name "bob")\n  (grup "users"))'
    msg = error_of(text)
    assert msg.startswith("config.scm:3:3: error: user-account has no field named grup")
    assert "hint: did you mean group?" in msg


def test_missing_required_field():
    msg = error_of('(user-account (group "users"))')
    assert "config.scm:1:1: error: user-account is missing its required field name" in msg


def test_wrong_field_type_names_field_and_type():
    msg = error_of('(use-service-modules ssh)\n(openssh-configuration\n (port-number "22"))')
    assert msg.startswith('config.scm:3:15: error: field port-number of '
                          'openssh-configuration must be a port number (1 to 65535), '
                          'got "22"')


def test_openssh_defaults():
    c = ev("(use-service-modules ssh) (openssh-configuration)")
    assert c["port-number"] == 22
    assert c["permit-root-login"] is False
    assert c["password-authentication?"] is True
    assert c["public-key-authentication?"] is True
    assert c["allow-empty-passwords?"] is False
    assert c["x11-forwarding?"] is False
    assert c["use-pam?"] is True
    assert c["generate-host-keys?"] is True
    assert c["log-level"] is Symbol("info")
    assert c["pid-file"] == "/var/run/sshd.pid"
    assert [to_list(s) for s in to_list(c["subsystems"])] == [["sftp", "internal-sftp"]]
    assert c["openssh"].name == "openssh"


def test_openssh_permit_root_login_values():
    c = ev("(use-service-modules ssh) "
           "(openssh-configuration (permit-root-login 'prohibit-password))")
    assert c["permit-root-login"] is Symbol("prohibit-password")
    msg = error_of("(use-service-modules ssh) "
                   "(openssh-configuration (permit-root-login 'maybe))")
    assert "must be #t, #f or 'prohibit-password, got maybe" in msg


def test_static_networking_records():
    sn = ev('''(static-networking
                 (addresses (list (network-address (device "eth0")
                                                   (value "192.168.1.201/24"))))
                 (routes (list (network-route (destination "default")
                                              (gateway "192.168.1.254"))))
                 (name-servers '("192.168.1.252" "192.168.1.253")))''')
    addr, = to_list(sn["addresses"])
    assert addr["ipv6?"] is False and addr["device"] == "eth0"
    route, = to_list(sn["routes"])
    assert route["gateway"] == "192.168.1.254" and route["ipv6?"] is False
    assert sn["provision"].car is Symbol("networking")
    assert ev('(network-address-ipv6? (network-address (device "eth0") '
              '(value "2001:db8::2/64")))') is True


def test_network_address_needs_a_prefix_length():
    msg = error_of('(network-address (device "eth0")\n (value "192.168.1.201"))')
    assert msg.startswith("config.scm:2:9: error: field value of network-address must be "
                          'an IP address with a prefix length, like "192.168.1.201/24"')


def test_host_entries():
    h = ev('(host "192.168.1.201" "node1.example.com" \'("node1"))')
    assert (h["address"], h["canonical-name"], to_list(h["aliases"])) == \
        ("192.168.1.201", "node1.example.com", ["node1"])
    assert ev('(host-aliases (host "10.0.0.1" "a.example"))') is NIL
    msg = error_of('(host "192.168.1.300" "x.example")')
    assert "host: wrong type argument in position 1 (expecting IP address string)" in msg
