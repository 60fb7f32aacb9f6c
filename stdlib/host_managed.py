"""What a config asks for that vsys leaves to the host, said once in build and reconfigure.

Three things are the host's job on a vsys machine:

- services of Guix modules vsys does not implement (docker, the desktop, CUPS...): their
  type folds to nothing but the groups and accounts Guix's declares, so users may name
  those groups;
- fields vsys keeps but does not act on (the time zone, the locale, sudoers, PAM, the
  bootloader, a childhurd's disk size...), when the config sets them;
- packages no host package is mapped to.

A procedure or variable of such a module gives a `HostValue`, which host-managed fields
accept.  `report(os_, folded, profile_entries)` lists them, one line each, for the manifest and the
commands' output.
"""

from __future__ import annotations

from typing import Any

from vsys.dsl.datatypes import NIL, Pair, from_list, to_list
from vsys.dsl.procedures import applicable
from vsys.dsl.records import FieldType, Record

from .accounts import base_groups, user_account, user_group
from .services import ServiceExtension, ServiceType
from .system import OPERATING_SYSTEM, host_managed_fields
from .system_services import account_service_type

# Fields of service configurations vsys keeps but does not act on: record -> field -> why.
SERVICE_FIELDS: dict[str, dict[str, str]] = {
    "hurd-vm-configuration": {
        "disk-size": "the image is the host's: vsys does not grow or shrink it"},
}

# Why an operating-system field set by the config is the host's.
OS_FIELD_REASONS: dict[str, str] = {
    "timezone": "the host's time zone is kept",
    "locale": "the host's locale is kept",
    "locale-definitions": "the host builds its locales",
    "sudoers-file": "the host's sudoers file is kept",
    "pam-services": "the host's PAM configuration is kept",
    "bootloader": "vsys installs no bootloader",
    "kernel": "the running kernel is the host's",
    "kernel-arguments": "the kernel command line is the host's",
    "kernel-loadable-modules": "the host loads its kernel modules",
    "initrd": "the host builds its initial RAM disk",
    "initrd-modules": "the host builds its initial RAM disk",
    "firmware": "the host provides firmware",
    "file-systems": "the host mounts its file systems",
    "mapped-devices": "the host sets up its mapped devices",
    "swap-devices": "the host manages swap",
    "keyboard-layout": "the host's keyboard layout is kept",
    "name-service-switch": "the host's name service switch is kept",
    "issue": "the host's /etc/issue is kept",
    "privileged-programs": "the host's setuid programs are kept",
    "setuid-programs": "the host's setuid programs are kept",
}


class HostValue:
    """What a procedure or variable of an unimplemented module gives: the host's affair.
    It prints as the expression that made it."""

    __slots__ = ("name", "module")

    def __init__(self, name: str, module: str):
        self.name = name
        self.module = module

    def scheme_repr(self, write: bool) -> str:
        return f"#<host-managed {self.name}>"


def _apply_host_value(value: HostValue, args: list) -> HostValue:
    # What Guix's procedure returned may itself be a procedure (a predicate, a package
    # transformation): applying it gives another host-managed value.
    return value


applicable[HostValue] = _apply_host_value


def _accept_host_values() -> None:
    """A host-managed field of operating-system also takes what an unimplemented
    procedure gives, (pam-services (base-pam-services)): vsys does not use it."""
    for f in OPERATING_SYSTEM.fields:
        if f.name in OS_FIELD_REASONS and f.type is not None:
            f.type = FieldType(f.type.name, lambda x, check=f.type.check: check(x) or
                               isinstance(x, HostValue), f.type.explain)


_accept_host_values()


class UnmanagedServiceType(ServiceType):
    """A service type of a Guix module vsys does not implement."""

    __slots__ = ("reason",)


def unmanaged_type(name: str, module: str, accounts: dict | None,
                   default: Any) -> UnmanagedServiceType:
    exts = []
    if accounts:
        exts.append(ServiceExtension(account_service_type, _accounts_of(accounts)))
    t = UnmanagedServiceType(
        name, exts, None, None, default,
        f"A service of {module}, which vsys does not implement: the host runs it.",
        module=module)
    t.reason = f"not implemented by vsys ({module[1:-1]}): the host runs it"
    # Accept extensions too (the host ignores them): other unimplemented services
    # extend their peers, as Guix's desktop services extend each other.
    t.compose = lambda contributions: NIL
    t.extend = lambda value, extra: value
    return t


def _accounts_of(accounts: dict):
    def compute(value: Any) -> Any:
        groups = list(accounts.get("groups", []))
        known = set(groups) | {str(g["name"]) for g in to_list(base_groups())}
        records = [user_group(g, system=True) for g in groups]
        for name, group, supplementary in accounts.get("users", []):
            if group in known and all(g in known for g in supplementary):
                records.append(user_account(name, group=group, system=True,
                                            supplementary_groups=from_list(supplementary),
                                            home_directory="/var/empty",
                                            create_home_directory=False))
        return from_list(records)
    return compute


def is_unmanaged(t: Any) -> bool:
    return isinstance(t, UnmanagedServiceType)


def report(os_: Record, folded: Any, profile_entries: list) -> list[dict]:
    """What the host is left to do: [{"what", "name", "reason"}...], each once."""
    out: list[dict] = []
    seen: set[tuple[str, str]] = set()

    def add(what: str, name: str, reason: str) -> None:
        if (what, name) not in seen:
            seen.add((what, name))
            out.append({"what": what, "name": name, "reason": reason})

    for s in folded.services:
        if is_unmanaged(s.type):
            add("service", s.type.name, s.type.reason)
    for name, _value, given in host_managed_fields(os_):
        if given and name in OS_FIELD_REASONS:
            add("field", f"operating-system {name}", OS_FIELD_REASONS[name])
    for name in (os_.extra or {}):
        add("field", f"operating-system {name}", "not implemented by vsys: the host's")
    for s in folded.services:
        # the value written (extensions may rebuild the record) and the folded one
        for rec in _records(s.value) + _records(folded.value(s)):
            for name in (rec.extra or {}):
                add("field", f"{rec.rtype.name} {name}",
                    "not implemented by vsys: the host's")
            for field, why in SERVICE_FIELDS.get(rec.rtype.name, {}).items():
                i = rec.rtype.index.get(field)
                if i is not None and rec.explicit[i]:
                    add("field", f"{rec.rtype.name} {field}", why)
    for entry in profile_entries:
        pkg = entry.car if type(entry) is Pair else entry
        spec = getattr(pkg, "spec", None)
        if isinstance(spec, dict) and spec.get("unmanaged"):
            add("package", pkg.name, pkg.note if not spec.get("module") else
                f"not installed by vsys: no host package is mapped to it "
                f"({spec.get('module')})")
    return out


def _records(value: Any) -> list[Record]:
    if type(value) is Record:
        return [value]
    if type(value) is Pair:
        return [v for v in to_list(value) if type(v) is Record]
    return []


def lines(items: list[dict]) -> list[str]:
    """The report as the commands print it."""
    if not items:
        return []
    out = [f"not managed by vsys ({len(items)}; the host's job):"]
    for item in items:
        out.append(f"  {item['what']} {item['name']}: {item['reason']}")
    return out
