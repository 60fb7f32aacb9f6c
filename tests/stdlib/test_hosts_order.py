"""/etc/hosts: a host name the config gives a real address resolves to it, not to
loopback (Guix writes its local entries first; vsys deviates, see networking.py)."""

from __future__ import annotations

from core_helpers import ev

from vsys.stdlib.networking import hosts_file_text, real_addresses_first
from vsys.dsl.datatypes import from_list


def hosts_of(config: str) -> str:
    return hosts_file_text(from_list(real_addresses_first(ev(
        "(use-modules (gnu services base) (gnu system)) " + config))))


def test_a_real_address_of_the_host_name_goes_first():
    text = hosts_of('''(append (local-host-entries "node1")
                               (list (host "10.0.0.9" "other")
                                     (host "10.0.0.1" "node1.example.com" '("node1"))))''')
    assert text == ("10.0.0.1\tnode1.example.com\tnode1\n"
                    "127.0.0.1\tlocalhost\tnode1\n"
                    "::1\tlocalhost\tnode1\n"
                    "10.0.0.9\tother\n")


def test_without_a_real_address_the_order_is_guix_s():
    text = hosts_of('''(append (local-host-entries "node1")
                               (list (host "10.0.0.9" "node2.example.com" '("node2"))))''')
    assert text == ("127.0.0.1\tlocalhost\tnode1\n"
                    "::1\tlocalhost\tnode1\n"
                    "10.0.0.9\tnode2.example.com\tnode2\n")


def test_an_ipv6_loopback_with_a_zone_is_loopback_too():
    text = hosts_of('''(list (host "::1" "localhost" '("h")) (host "fe80::1%eth0" "h"))''')
    assert text.splitlines()[0] == "fe80::1%eth0\th"
