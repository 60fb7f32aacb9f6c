"""The network ports (and other exclusive names) that services take.

Services extend network-ports-service-type with a `Claim` for each port they bind; two
claims on one port over overlapping addresses are an error naming both services, where
each was configured.
"""

from __future__ import annotations

from typing import Any

from vsys.dsl.datatypes import NIL, from_list, to_list
from vsys.dsl.errors import Condition, SchemeError
from vsys.dsl.records import FieldType

from .services import ServiceType, concatenate, lowering_location

WILDCARDS = frozenset({"0.0.0.0", "::", "", "*"})


class Claim:
    """Something a service takes for itself: a port on an address (`proto` "tcp" or
    "udp"), or a name (`proto` "name", e.g. a childhurd's id).  `owner` says who, in
    words; `loc` is where its configuration was written, when known."""

    __slots__ = ("proto", "address", "port", "owner", "loc", "clash_hint")

    def __init__(self, proto: str, address: str, port: Any, owner: str, loc=None,
                 clash_hint: str = ""):
        self.proto = proto
        self.address = address
        self.port = port
        self.owner = owner
        self.loc = loc if loc is not None else lowering_location()
        self.clash_hint = clash_hint

    def clashes(self, other: "Claim") -> bool:
        if self.proto != other.proto or self.port != other.port:
            return False
        return (self.address == other.address or self.address in WILDCARDS
                or other.address in WILDCARDS)

    def where(self) -> str:
        return f"{self.owner} at {self.loc}" if self.loc else f"{self.owner} (default " \
                                                            f"configuration)"

    def scheme_repr(self, write: bool) -> str:
        return f"#<claim {self.proto} {self.address}:{self.port} {self.owner}>"


def check_claims(claims: list[Claim]) -> None:
    """Two claims on one port (or name) are an error naming both."""
    seen: dict[tuple, list[Claim]] = {}
    for c in claims:
        for other in seen.get((c.proto, c.port), ()):
            if c.clashes(other):
                if c.proto == "name":
                    message = c.clash_hint or f"{other.where()} and {c.where()} both " \
                                              f"claim {c.port}"
                    message = message.format(first=other.where(), second=c.where())
                    hints = []
                else:
                    message = (f"two services bind {c.proto.upper()} port {c.port}: "
                               f"{other.where()} on {other.address or '*'} and "
                               f"{c.where()} on {c.address or '*'}")
                    hints = [c.clash_hint or other.clash_hint
                             or "give one of them another port or address"]
                raise SchemeError(Condition("service-error", message, (), None, hints,
                                            loc=c.loc or other.loc))
        seen.setdefault((c.proto, c.port), []).append(c)


def _claims_extend(initial: Any, claims: Any) -> Any:
    items = to_list(initial) + to_list(claims)
    check_claims(items)
    return from_list(items)


network_ports_service_type = ServiceType(
    "network-ports", [], concatenate, _claims_extend, NIL,
    "The TCP and UDP ports (and other exclusive names) that services take: two services "
    "binding the same port on overlapping addresses are an error naming both.  Services "
    "extend it with the ports they bind.",
    module="(gnu services virtualization)",
    element=FieldType("port claims (which services make)", lambda x: type(x) is Claim))
