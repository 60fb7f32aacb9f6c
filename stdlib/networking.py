"""Networking: static network configuration, DHCP, and /etc/hosts entries.

On a vsys host the network is the host's own: `static-networking` and
`dhcp-client-service-type` keep their configuration (validated, shown by
`vsys describe`) and provide their Shepherd names (`networking`, `loopback`) as host
milestones, so the services requiring them resolve; vsys does not reconfigure the host's
interfaces.  `hosts-service-type` does produce a file: /etc/hosts.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from vsys.dsl.datatypes import NIL, Symbol, from_list, is_list, is_string, pystr, to_list
from vsys.dsl.errors import error, wrong_type
from vsys.dsl.printer import write_string
from vsys.dsl.procedures import make_primitive
from vsys.dsl.records import Field, FieldType, Record, RecordType, accessor, install_record_type

from .field_types import (
    BOOLEAN,
    LIST,
    PACKAGE,
    STRING,
    STRING_LIST,
    STRING_OR_FALSE,
    SYMBOL_LIST,
    host_name_refusal,
    record_of,
)
from .files import plain_file
from .packages import lookup_package
from .services import ServiceExtension, ServiceType, append_values, concatenate
from .shepherd import milestone, shepherd_root_service_type
from .system_services import etc_service_type


def _ip(text: Any) -> bool:
    try:
        ipaddress.ip_address(pystr(text))
        return True
    except ValueError:
        return False


def _ip_with_prefix(text: Any) -> bool:
    if not is_string(text) or "/" not in pystr(text):
        return False
    try:
        ipaddress.ip_interface(pystr(text))
        return True
    except ValueError:
        return False


def _destination(x: Any) -> bool:
    if not is_string(x):
        return False
    t = pystr(x)
    if t == "default":
        return True
    try:
        ipaddress.ip_network(t, strict=False)
        return True
    except ValueError:
        return False


def _is(rtype_name: str):
    return lambda x: type(x) is Record and x.rtype.name == rtype_name


def _list_of(name: str) -> FieldType:
    pred = _is(name)
    return FieldType(f"list of {name}", lambda x: is_list(x) and all(pred(i) for i in
                                                                     to_list(x)))


NETWORK_ADDRESS = RecordType("network-address", [
    Field("device", STRING, doc="The network interface the address is on, e.g. \"eth0\"."),
    Field("value", FieldType('IP address with a prefix length, like "192.168.1.201/24"',
                             _ip_with_prefix),
          doc="The address with its network prefix length, in CIDR notation: "
              "\"192.168.1.201/24\" or \"2001:db8::2/64\"."),
    Field("ipv6?", BOOLEAN, thunk=lambda r: ":" in pystr(r["value"]),
          default_text="#t when the value contains a colon",
          doc="Whether this is an IPv6 address."),
], doc="A static IP address on a network interface.")

NETWORK_ROUTE = RecordType("network-route", [
    Field("destination", FieldType('"default" or a network such as "10.0.0.0/8"',
                                   _destination),
          doc="The route's destination: \"default\", or a network in CIDR notation."),
    Field("source", FieldType("IP address or #f", lambda x: x is False or (
        is_string(x) and _ip(x))), False, doc="The source address to prefer, or #f."),
    Field("device", STRING_OR_FALSE, False,
          doc="The interface the route goes through, or #f."),
    Field("ipv6?", BOOLEAN, thunk=lambda r: ":" in pystr(r["destination"]) or (
        r["gateway"] is not False and ":" in pystr(r["gateway"])),
          default_text="#t when the destination or gateway contains a colon",
          doc="Whether this is an IPv6 route."),
    Field("gateway", FieldType("IP address or #f", lambda x: x is False or (
        is_string(x) and _ip(x))), False,
          doc="The gateway address through which traffic is routed, or #f."),
], doc="A static network route.")

NETWORK_LINK = RecordType("network-link", [
    Field("name", STRING_OR_FALSE, False,
          doc="The name of the link (interface) to create or configure."),
    Field("type", FieldType("symbol or #f", lambda x: x is False or type(x) is Symbol),
          False, doc="The link type, such as 'bond or 'vlan, for links to create."),
    Field("arguments", LIST, NIL,
          doc="Arguments of the link, as an association list."),
    Field("mac-address", STRING_OR_FALSE,
          False, doc="The MAC address identifying an existing link."),
], doc="A network link (interface) to create or configure.")

STATIC_NETWORKING = RecordType("static-networking", [
    Field("addresses", _list_of("network-address"), NIL,
          doc="The IP addresses to assign, network-address records."),
    Field("links", _list_of("network-link"), NIL,
          doc="Network links (interfaces) to create or configure."),
    Field("routes", _list_of("network-route"), NIL,
          doc="The routes to add, network-route records."),
    Field("provision", SYMBOL_LIST, from_list([Symbol("networking")]),
          doc="The Shepherd names this configuration provides."),
    Field("requirement", SYMBOL_LIST, from_list([Symbol("udev")]),
          doc="The Shepherd services it needs first."),
    Field("name-servers", STRING_LIST, NIL,
          doc="The IP addresses of the name servers (for /etc/resolv.conf)."),
], doc="A static network configuration: addresses, routes and name servers.  On a vsys "
       "host the network is the host's: this is kept and shown, not applied.")

DHCP_CLIENT_CONFIGURATION = RecordType("dhcp-client-configuration", [
    Field("package", PACKAGE, thunk=lambda r: lookup_package("isc-dhcp"),
          default_text="isc-dhcp", doc="The DHCP client package."),
    Field("interfaces", None, Symbol("all"),
          doc="The interfaces to configure: 'all, or a list of interface names."),
    Field("config-file", None, False, doc="A configuration file for the client, or #f."),
    Field("shepherd-requirement", SYMBOL_LIST, NIL,
          doc="Extra Shepherd services required."),
    Field("shepherd-provision", SYMBOL_LIST, from_list([Symbol("networking")]),
          doc="The Shepherd names it provides."),
], doc="A DHCP client configuration.  On a vsys host the network is the host's.")


def _static_networking_milestones(value: Any) -> Any:
    out = []
    for sn in to_list(value):
        for name in to_list(sn["provision"]):
            out.append(milestone(name.name, "Network configured by the host."))
    return from_list(out)


static_networking_service_type = ServiceType(
    "static-networking", [ServiceExtension(shepherd_root_service_type,
                                           _static_networking_milestones)],
    concatenate, append_values, NIL,
    "Static network configuration: a list of static-networking records.  On a vsys host "
    "the interfaces are the host's; the configuration is kept, validated and shown, and "
    "its provision names (networking) are provided.",
    module="(gnu services base)", element=record_of(STATIC_NETWORKING, "static-networking records"))


def _dhcp_milestones(value: Any) -> Any:
    provision = value["shepherd-provision"] if type(value) is Record else \
        from_list([Symbol("networking")])
    return from_list([milestone(n.name, "Network configured by the host (DHCP).")
                      for n in to_list(provision)])


dhcp_client_service_type = ServiceType(
    "dhcp-client", [ServiceExtension(shepherd_root_service_type, _dhcp_milestones)],
    default_value=DHCP_CLIENT_CONFIGURATION.make(),
    description="A DHCP client for the network interfaces.  On a vsys host the network "
                "is the host's: this provides networking.",
    module="(gnu services networking)")


def loopback_static_networking() -> Record:
    return STATIC_NETWORKING.make({
        "addresses": from_list([NETWORK_ADDRESS.make({"device": "lo",
                                                      "value": "127.0.0.1/8"})]),
        "requirement": NIL, "provision": from_list([Symbol("loopback")])})


# --- /etc/hosts -------------------------------------------------------------------------------

HOST = RecordType("host", [
    Field("address", STRING, doc="The IP address."),
    Field("canonical-name", STRING, doc="The host's canonical name."),
    Field("aliases", STRING_LIST, NIL, doc="Other names of the host."),
], doc="An /etc/hosts entry: (host ADDRESS CANONICAL-NAME [ALIASES]).", config=False)


def host(address: Any, canonical_name: Any, aliases: Any = NIL) -> Record:
    """(host ADDRESS CANONICAL-NAME [ALIASES]): an /etc/hosts entry."""
    if not is_string(address) or not _ip(address):
        raise wrong_type("host", 1, "IP address string", address)
    if not is_string(canonical_name) or not pystr(canonical_name):
        raise wrong_type("host", 2, "host name string", canonical_name)
    if not STRING_LIST.check(aliases):
        raise wrong_type("host", 3, "list of strings", aliases)
    # /etc/hosts separates names with blanks, starts a comment at '#' and has no escape:
    # a name it cannot hold is refused where the entry is made.
    for name in [canonical_name, *to_list(aliases)]:
        reason = host_name_refusal(pystr(name))
        if reason is not None:
            raise error(f"host {pystr(address)}: {write_string(name)} {reason}",
                        key="wrong-type-arg")
    return Record(HOST, [pystr(address), pystr(canonical_name), aliases], [True] * 3)


def local_host_entries(host_name: str) -> Any:
    """127.0.0.1 and ::1 for localhost and the machine's host name."""
    aliases = from_list([host_name]) if host_name and host_name != "localhost" else NIL
    return from_list([host("127.0.0.1", "localhost", aliases),
                      host("::1", "localhost", aliases)])


def hosts_file_text(entries: Any) -> str:
    lines = []
    for h in to_list(entries):
        names = [h["canonical-name"]] + [pystr(a) for a in to_list(h["aliases"])]
        lines.append("\t".join([h["address"]] + names))
    return "\n".join(lines) + "\n"


def _names(h: Record) -> set[str]:
    return {pystr(h["canonical-name"]), *(pystr(a) for a in to_list(h["aliases"]))}


def _loopback(h: Record) -> bool:
    return ipaddress.ip_address(pystr(h["address"]).split("%")[0]).is_loopback


def real_addresses_first(entries: Any) -> list[Record]:
    """ENTRIES where a name that has both a real address and a loopback one (the host
    name, which Guix's local-host-entries alias to 127.0.0.1 and ::1) keeps only the real
    one, written first.  Software that asks "who am I" by resolving the host name needs
    the configured address: gnt-cluster init refuses a node whose name resolves to
    loopback, and glibc's resolver returns every matching line, loopback first, so
    moving the line up alone would not do."""
    entries = to_list(entries)
    looped = set().union(*(_names(h) for h in entries if _loopback(h)))
    real = set().union(*(_names(h) for h in entries if not _loopback(h)))
    both = looped & real
    if not both:
        return entries
    first = [h for h in entries if not _loopback(h) and _names(h) & both]
    rest = []
    for h in entries:
        if any(h is f for f in first):
            continue
        if _loopback(h) and _names(h) & both:
            aliases = [a for a in to_list(h["aliases"]) if pystr(a) not in both]
            h = host(h["address"], h["canonical-name"], from_list(aliases))
        rest.append(h)
    return first + rest


def _hosts_etc(value: Any) -> Any:
    text = hosts_file_text(from_list(real_addresses_first(value)))
    return from_list([from_list(["hosts", plain_file("hosts", text)])])


hosts_service_type = ServiceType(
    "hosts", [ServiceExtension(etc_service_type, _hosts_etc)], concatenate, append_values, NIL,
    "Entries of /etc/hosts: a list of host records, (host ADDRESS CANONICAL-NAME "
    "[ALIASES]).  The operating-system adds localhost and its host name; when an entry "
    "gives the host name a real address, that line comes first and the loopback lines "
    "leave the host name out.",
    module="(gnu services base)", element=record_of(HOST, "host records"))


def install(module) -> None:
    for rtype in (NETWORK_ADDRESS, NETWORK_ROUTE, NETWORK_LINK, STATIC_NETWORKING,
                  DHCP_CLIENT_CONFIGURATION):
        install_record_type(module, rtype)
    d = module.define
    d(Symbol("static-networking-service-type"), static_networking_service_type, True)
    d(Symbol("dhcp-client-service-type"), dhcp_client_service_type, True)
    d(Symbol("hosts-service-type"), hosts_service_type, True)
    d(Symbol("%loopback-static-networking"), loopback_static_networking(), True)
    d(Symbol("host"), make_primitive("host", host), True)
    d(Symbol("host?"), make_primitive("host?", lambda x: type(x) is Record and
                                      x.rtype is HOST), True)
    for i, f in enumerate(HOST.fields):
        d(Symbol(f"host-{f.name}"), accessor(HOST, i, f"host-{f.name}"), True)
    d(Symbol("local-host-entries"), make_primitive(
        "local-host-entries", lambda name: local_host_entries(pystr(name))), True)


__all__ = ["static_networking_service_type", "hosts_service_type", "host",
           "STATIC_NETWORKING", "NETWORK_ADDRESS", "NETWORK_ROUTE", "local_host_entries",
           "hosts_file_text", "loopback_static_networking", "dhcp_client_service_type"]
