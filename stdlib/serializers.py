"""Field types of the virtualization and Ganeti records, and libvirt's file syntax.

libvirtd.conf and virtlogd.conf lines are written as reference.md says.

One line per field: `KEY = VALUE`, KEY being the field name without `?` and with `-` as
`_`.  Booleans are 1/0, integers decimal, strings quoted, lists `["a","b"]`; an empty
optional list or string is written as a comment, so libvirt keeps its built-in default.

libvirt's config parser (virconf.c) has no escape sequences: a `"..."` string ends at the
next `"` or line end and keeps backslashes as they are.  It also reads `'...'` (ends at
`'` or line end) and Python-style `\"\"\"...\"\"\"` (may span lines, ends at the first
`\"\"\"`).  So a string is written with the first of those three quotings that holds it
unchanged; a string none of them can hold (say, one with a line break that ends with `"`)
is refused with an error naming the field.
"""

from __future__ import annotations

from typing import Any

from vsys.dsl.datatypes import NIL, Pair, is_string, pystr, to_list
from vsys.dsl.records import FieldType

from .services import lowering_location


class UnquotableString(ValueError):
    """A string libvirt's config parser could not read back unchanged."""


def conf_key(field_name: str) -> str:
    return field_name.rstrip("?").replace("-", "_")


def quote(text: str) -> str | None:
    """TEXT quoted so that libvirt reads it back unchanged, or None when impossible."""
    if "\0" in text:
        return None
    one_line = "\n" not in text and "\r" not in text
    if one_line and '"' not in text:
        return f'"{text}"'
    if one_line and "'" not in text:
        return f"'{text}'"
    # Triple quotes end at the first `"""`, so the text may neither contain one nor end
    # with `"` (which would merge with the closing quotes).
    if '"""' not in text and not text.endswith('"'):
        return f'"""{text}"""'
    return None


def quotable(text: Any) -> bool:
    return is_string(text) and quote(pystr(text)) is not None


def quote_or_fail(text: str, key: str) -> str:
    q = quote(text)
    if q is None:
        raise UnquotableString(
            f"{key}: libvirt's configuration syntax cannot hold the string {text!r} "
            f"(no quoting keeps it intact: it has a NUL byte, or a line break together "
            f"with '\"\"\"' or a final '\"')")
    return q


def conf_value(value: Any, key: str) -> str:
    if value is True:
        return "1"
    if value is False:
        return "0"
    if isinstance(value, int):
        return str(value)
    if is_string(value):
        return quote_or_fail(pystr(value), key)
    if value is NIL or type(value) is Pair or isinstance(value, list):
        items = to_list(value) if not isinstance(value, list) else value
        return "[" + ",".join(quote_or_fail(pystr(x), key) for x in items) + "]"
    raise TypeError(f"{key}: cannot write {value!r} in a libvirt configuration file")


def conf_line(field_name: str, value: Any, optional: bool = False) -> str:
    """One `KEY = VALUE` line.  An `optional` field holding the empty list or the empty
    string is written commented out."""
    key = conf_key(field_name)
    if optional and (value is NIL or value == [] or (is_string(value) and pystr(value) == "")):
        empty = '""' if is_string(value) else "[]"
        return f"# {key} = {empty}\n"
    return f"{key} = {conf_value(value, key)}\n"


# --- activation steps --------------------------------------------------------------------------
#
# What these services ask of activation, as plain data (JSON-ready dicts) that a builder
# writes into the generation and the activator performs in order.  Every step is
# idempotent: it does nothing when its result already exists, so a secret is never
# regenerated and nothing the step did not create is touched.
#
#   {"kind": "directory", "path": P, "mode": 0o755}
#       mkdir -p P (mode for the directories it creates).
#   {"kind": "ssh-host-keys", "root": R}
#       when R/etc/ssh is missing: `ssh-keygen -A -f R` (host keys of every type under
#       R/etc/ssh; private keys mode 0600).
#   {"kind": "ssh-key", "path": K, "type": "ed25519", "comment": C}
#       when K is missing: `ssh-keygen -t ed25519 -N "" -C C -f K` (K mode 0600, K.pub).
#   {"kind": "authorize-ssh-key", "public-key": K.pub, "file": F, "directory-mode": 0o555}
#       append K.pub's line to F unless F already has it; F's directory is created with
#       directory-mode.
#   {"kind": "guix-signing-key", "directory": D, "acl-source": "/etc/guix/acl"}
#       when D is missing: create D/signing-key.pub and D/signing-key.sec (mode 0600) and
#       copy acl-source (when it exists) to D/acl.
#   {"kind": "authorize-guix-key", "public-key": D/signing-key.pub, "acl": "/etc/guix/acl"}
#       add that public key to the ACL unless it is already there.
#   {"kind": "authorize-host-guix-key", "public-key": "/etc/guix/signing-key.pub",
#    "acl": D/acl}
#       the same, doing nothing when the public key does not exist (a host without a
#       Guix signing key has nothing to authorize in the guest).

def directory_step(path: str, mode: int = 0o755) -> dict:
    return {"kind": "directory", "path": path, "mode": mode}


def vm_secrets_steps(secret: str, offload_key: str | None, comment: str) -> list[dict]:
    """Activation of a VM's secret root SECRET (sent into the guest when it boots): its
    SSH host keys, its Guix signing key, and, when OFFLOAD_KEY is given, the key the
    host offloads with, authorized for the guest's `offloading` user."""
    steps = [directory_step(secret, 0o700),
             {"kind": "ssh-host-keys", "root": secret}]
    if offload_key is not None:
        steps += [directory_step(offload_key.rsplit("/", 1)[0], 0o700),
                  {"kind": "ssh-key", "path": offload_key, "type": "ed25519",
                   "comment": comment},
                  {"kind": "authorize-ssh-key", "public-key": offload_key + ".pub",
                   "file": f"{secret}/etc/ssh/authorized_keys.d/offloading",
                   "directory-mode": 0o555}]
    steps.append({"kind": "guix-signing-key", "directory": f"{secret}/etc/guix",
                  "acl-source": "/etc/guix/acl"})
    # The guest accepts what the host signs (the inputs it sends when offloading), as
    # Guix's initialize-build-vm-substitutes does.
    steps.append({"kind": "authorize-host-guix-key", "public-key": "/etc/guix/signing-key.pub",
                  "acl": f"{secret}/etc/guix/acl"})
    if offload_key is not None:
        steps.append({"kind": "authorize-guix-key",
                      "public-key": f"{secret}/etc/guix/signing-key.pub",
                      "acl": "/etc/guix/acl"})
    return steps


# --- ports and other resources services claim ------------------------------------------------

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
    from vsys.dsl.errors import Condition, SchemeError
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
                    hints = ["give one of them another port or address"]
                raise SchemeError(Condition("service-error", message, (), None, hints,
                                            loc=c.loc or other.loc))
        seen.setdefault((c.proto, c.port), []).append(c)


def _claims_extend(initial: Any, claims: Any) -> Any:
    items = to_list(initial) + to_list(claims)
    check_claims(items)
    from vsys.dsl.datatypes import from_list
    return from_list(items)


def _make_claims_type():
    from .services import ServiceType, concatenate
    return ServiceType(
        "network-ports", [], concatenate, _claims_extend, NIL,
        "The TCP and UDP ports (and other exclusive names) that services take: two "
        "services binding the same port on overlapping addresses are an error naming "
        "both.  Services extend it with the ports they bind.",
        module="(gnu services virtualization)",
        element=FieldType("port claims (which services make)", lambda x: type(x) is Claim))


network_ports_service_type = _make_claims_type()


# --- a field written outside its record ---------------------------------------------------------

