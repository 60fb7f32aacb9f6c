"""The container's network: a config's static-networking is applied for real inside
(its interface, addresses, routes, name servers) and the host reaches it there; a start
that cannot set the network up fails whole, leaving nothing running."""

from __future__ import annotations

import hashlib
import os

import pytest
from hostprograms import need_program
from support.containerbox import Box, alive, keyscan

from vsys.container.network import host_end

pytestmark = pytest.mark.slow

# TEST-NET-1 (RFC 5737): never a real network, so the host's routes to it are the test's.
STATIC = """\
(use-modules (gnu))
(use-service-modules networking ssh)
(operating-system
  (host-name "staticbox")
  (services (cons* (service static-networking-service-type
                            (list (static-networking
                                   (addresses (list (network-address
                                                     (device "net0")
                                                     (value "192.0.2.{n}/24"))))
                                   (routes (list (network-route
                                                  (destination "default")
                                                  (gateway "192.0.2.1"))))
                                   (name-servers '("192.0.2.53")))))
                   (service openssh-service-type)
                   %base-services)))
"""


@pytest.fixture(autouse=True)
def programs():
    need_program("bwrap", "bubblewrap")
    need_program("tini", "tini")
    need_program("ip", "iproute2")
    need_program("sshd", "openssh-server")


def address_number(box) -> int:
    """192.0.2.N for this test's container: parallel runs pick different ones."""
    return 10 + int(hashlib.sha256(box.base.encode()).hexdigest(), 16) % 200


def write(box, n: int) -> str:
    path = os.path.join(box.base, "static.scm")
    with open(path, "w") as f:
        f.write(STATIC.replace("{n}", str(n)))
    return path


def test_static_networking_is_applied_inside_and_the_host_reaches_it(box):
    n = address_number(box)
    out = box.reconfigure(write(box, n)).stdout
    record = box.record()
    assert record["network"]["mode"] == "static"
    assert f"container: staticbox runs in its own namespaces, address 192.0.2.{n} on net0 " \
           f"(host side {record['network']['host-interface']})\n" in out
    addresses = box.exec("ip", "-4", "-br", "addr").stdout.split("\n")
    assert [a.split() for a in addresses if a] == [
        ["lo", "UNKNOWN", "127.0.0.1/8"],
        [f"net0@if{_peer_index(record)}", "UP", f"192.0.2.{n}/24"]]
    assert box.exec("ip", "-4", "route").stdout.splitlines()[0] == \
        "default via 192.0.2.1 dev net0 "
    assert box.exec("cat", "/etc/resolv.conf").stdout.endswith("nameserver 192.0.2.53\n")
    box.wait_running("ssh-daemon")
    with open(os.path.join(box.root, "etc/ssh/ssh_host_ed25519_key.pub")) as f:
        assert keyscan(f"192.0.2.{n}") == " ".join(f.read().split()[:2])


def _peer_index(record: dict) -> str:
    with open(f"/sys/class/net/{record['network']['host-interface']}/ifindex") as f:
        return f.read().strip()


def test_a_network_that_cannot_be_set_up_fails_the_start_and_leaves_nothing(box):
    n = address_number(box)
    box.reconfigure(write(box, n))
    other = Box()
    try:
        done = other.reconfigure(write(other, n), check=1)
        veth = box.record()["network"]["host-interface"]
        assert (f"error: could not start the supervisor: the config's static-networking "
                f"address 192.0.2.{n} is already in use on this host (routed to {veth}): "
                f"two systems cannot share it; change the address, or run with "
                f"--network=host\n") in done.stdout
        assert other.record() is None
        assert other.vsys("herd", "--root", other.root, "status", check=4)
        assert not os.path.exists(f"/sys/class/net/{host_end(other.root)}")
        assert [p for p in _shepherds() if other.root in p[1]] == []
        assert alive(box.record()["pid"])      # the first one is untouched
    finally:
        other.cleanup()


def _shepherds() -> list[tuple[int, str]]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if "shepherd" in cmd:
                found.append((int(entry), cmd))
    return found
