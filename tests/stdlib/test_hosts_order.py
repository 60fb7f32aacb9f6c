"""/etc/hosts: a host name the config gives a real address resolves to it, not to
loopback (Guix aliases it to 127.0.0.1 and ::1 first; vsys deviates, see
networking.py), checked with glibc's own resolver too."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from core_helpers import ev

from vsys.dsl.datatypes import from_list
from vsys.stdlib.networking import hosts_file_text, real_addresses_first


def hosts_of(config: str) -> str:
    return hosts_file_text(from_list(real_addresses_first(ev(
        "(use-modules (gnu services base) (gnu system)) " + config))))


def test_a_real_address_of_the_host_name_goes_first():
    text = hosts_of('''(append (local-host-entries "node1")
                               (list (host "10.0.0.9" "other")
                                     (host "10.0.0.1" "node1.example.com" '("node1"))))''')
    assert text == ("10.0.0.1\tnode1.example.com\tnode1\n"
                    "127.0.0.1\tlocalhost\n"
                    "::1\tlocalhost\n"
                    "10.0.0.9\tother\n")


def test_without_a_real_address_the_order_is_guix_s():
    text = hosts_of('''(append (local-host-entries "node1")
                               (list (host "10.0.0.9" "node2.example.com" '("node2"))))''')
    assert text == ("127.0.0.1\tlocalhost\tnode1\n"
                    "::1\tlocalhost\tnode1\n"
                    "10.0.0.9\tnode2.example.com\tnode2\n")


def test_an_ipv6_loopback_with_a_zone_is_loopback_too():
    text = hosts_of('''(list (host "::1" "localhost" '("h")) (host "fe80::1%eth0" "h"))''')
    assert text == "fe80::1%eth0\th\n::1\tlocalhost\n"


def test_glibc_resolves_the_host_name_to_its_real_address(tmp_path):
    """What gnt-cluster init does: getaddrinfo of the host name, through /etc/hosts."""
    if shutil.which("bwrap") is None:
        pytest.skip("bubblewrap is not installed (Debian package bubblewrap)")
    hosts = tmp_path / "hosts"
    hosts.write_text(hosts_of('''(append (local-host-entries "node1")
        (list (host "10.0.0.1" "node1.example.com" '("node1"))))'''))
    out = subprocess.run(
        ["bwrap", "--dev-bind", "/", "/", "--ro-bind", str(hosts), "/etc/hosts",
         "python3", "-c", "import socket; print(sorted({a[4][0] for a in "
         "socket.getaddrinfo('node1', None)}), socket.gethostbyname('node1'))"],
        capture_output=True, text=True)
    assert out.stdout == "['10.0.0.1'] 10.0.0.1\n", out.stderr
