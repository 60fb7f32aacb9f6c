"""The service types every system has: the system itself, /etc, activation, accounts,
the profile, udev and the file systems (D-Bus and polkit are in dbus.py).

Most gather lists: each service extending them adds elements, and the folded value is
their concatenation, checked element by element.
"""

from __future__ import annotations

from typing import Any

from vsys.dsl.datatypes import NIL, Pair, Symbol, from_list, is_list, is_string, to_list
from vsys.dsl.records import FieldType, Record

from .accounts import is_user_account, is_user_group
from .configuration import configuration, field, install_configurations
from .files import is_file_like
from .gexp import Gexp
from .machine import file_system_mount_point
from .services import ServiceExtension, ServiceType, append_values, concatenate
from .shepherd import milestone, shepherd_root_service_type


def list_service_type(name: str, description: str, module: str, extensions=None,
                      element: FieldType | None = None) -> ServiceType:
    """A service type whose value, and each extension, is a list of ELEMENTs."""
    return ServiceType(name, extensions or [], concatenate, append_values, NIL,
                       description, module=module, element=element)


# What polkit, D-Bus and udev are extended with: packages holding their files, or files.
PACKAGE_OR_FILE = FieldType("packages or files", is_file_like)


# --- system ---------------------------------------------------------------------------------

system_service_type = list_service_type(
    "system", "The system itself: the root of everything a generation holds; extended "
    "with (NAME FILE-LIKE) entries of the system directory.", "(gnu services)")


# --- etc ------------------------------------------------------------------------------------

def _is_etc_entry(x: Any) -> bool:
    items = to_list(x) if is_list(x) else []
    return len(items) == 2 and is_string(items[0]) and is_file_like(items[1])


ETC_ENTRY = FieldType("(NAME FILE-LIKE) entries", _is_etc_entry)

etc_service_type = list_service_type(
    "etc", "Files under /etc: its value and extensions are lists of (NAME FILE-LIKE), "
    "NAME relative to /etc, such as (\"libvirt/libvirtd.conf\" FILE).", "(gnu services)",
    element=ETC_ENTRY)


# --- activation -----------------------------------------------------------------------------

# Gexps; the library's own steps are plain data (see activation_steps).
ACTIVATION_STEP = FieldType("gexps", lambda x: type(x) is Gexp or isinstance(x, dict))

activation_service_type = list_service_type(
    "activation", "Steps run when a generation is activated (at boot or reconfigure): "
    "a list of gexps, run in order.", "(gnu services)", element=ACTIVATION_STEP)


# --- account --------------------------------------------------------------------------------

ACCOUNT = FieldType("user-account and user-group records",
                    lambda x: is_user_account(x) or is_user_group(x))

account_service_type = list_service_type(
    "account", "User accounts and groups to create: a list of user-account and "
    "user-group records.  Existing accounts are merged, never replaced.",
    "(gnu system shadow)", element=ACCOUNT)


# --- profile --------------------------------------------------------------------------------

profile_service_type = list_service_type(
    "profile", "Packages in the system profile (/run/current-system/profile): a list of "
    "packages.", "(gnu services)", element=FieldType(
        "packages (or (PACKAGE OUTPUT) lists)", lambda x: is_file_like(x) or (
            type(x) is Pair and is_file_like(x.car))))


# --- udev -----------------------------------------------------------------------------------

UDEV_CONFIGURATION = configuration("udev-configuration", "(gnu services base)", [
    field("udev", None, package="eudev",
          doc="The udev package (on a vsys host, the host's udev)."),
    field("rules", FieldType("list of packages or files", lambda x: is_list(x) and all(
        is_file_like(r) for r in to_list(x))), NIL,
          doc="Packages whose lib/udev/rules.d rules udev uses, or rule files."),
], doc="The udev device manager's configuration.")


def udev_rules(value: Any) -> list:
    """The rule packages and files of udev's folded value (a udev-configuration, or a
    plain list when the service was written with one)."""
    if type(value) is Record and value.rtype is UDEV_CONFIGURATION:
        return to_list(value["rules"])
    return to_list(value)


def _udev_extend(value: Any, rules: Any) -> Any:
    if type(value) is Record and value.rtype is UDEV_CONFIGURATION:
        return UDEV_CONFIGURATION.make(
            {"rules": from_list(to_list(value["rules"]) + to_list(rules))}, inherit=value)
    return append_values(value, rules)


udev_service_type = ServiceType(
    "udev", [ServiceExtension(shepherd_root_service_type,
                              lambda v: from_list([milestone("udev", "The host's udev.")]))],
    concatenate, _udev_extend, UDEV_CONFIGURATION.make(),
    "The udev device manager, extended with packages (their lib/udev/rules.d) or rule "
    "files.  On a vsys host udev is the host's: this provides udev.",
    module="(gnu services base)", element=PACKAGE_OR_FILE)


# --- file systems ---------------------------------------------------------------------------

def _file_system_milestones(value: Any) -> Any:
    out = []
    for fs in to_list(value):
        mp = file_system_mount_point(fs)
        if mp is not None:
            m = milestone(f"file-system-{mp}", f"{mp}, mounted by the host.")
            m.loc = fs.loc          # what is wrong with it is in the file-system record
            out.append(m)
    return from_list(out)


file_system_service_type = list_service_type(
    "file-systems", "File systems to mount (file-system records), each provided to "
    "Shepherd as file-system-MOUNT-POINT.  On a vsys host the host mounts them.",
    "(gnu services base)",
    [ServiceExtension(shepherd_root_service_type, _file_system_milestones)])


def install(module) -> None:
    """The essential service types of (gnu services) and (gnu services base), with
    udev's configuration record."""
    install_configurations(module, "(gnu services base)")
    for name, t in (("system-service-type", system_service_type),
                    ("etc-service-type", etc_service_type),
                    ("activation-service-type", activation_service_type),
                    ("account-service-type", account_service_type),
                    ("profile-service-type", profile_service_type),
                    ("file-system-service-type", file_system_service_type),
                    ("udev-service-type", udev_service_type)):
        module.define(Symbol(name), t, True)


__all__ = ["system_service_type", "etc_service_type", "activation_service_type",
           "account_service_type", "profile_service_type", "udev_service_type",
           "file_system_service_type", "UDEV_CONFIGURATION", "udev_rules",
           "list_service_type", "PACKAGE_OR_FILE"]
