"""The operating system: the `operating-system` record, the services every system has
(derived from its fields), and folding its services.

`operating-system` accepts every field a Guix configuration may carry.  vsys acts on the
host name, accounts, packages and services; the other fields (bootloader, kernel, file
systems, locale...) describe things the host manages, and are kept so that
`vsys describe` can show them (`host_managed_fields`).
"""

from __future__ import annotations

import contextlib
import contextvars
from typing import Any

from vsys.dsl.datatypes import NIL, Pair, Symbol, from_list, is_list, pystr, to_list
from vsys.dsl.errors import article, wrong_type
from vsys.dsl.modules import existing_module, exporters
from vsys.dsl.printer import write_string
from vsys.dsl.procedures import make_primitive
from vsys.dsl.records import FieldType, Record

from .accounts import (
    base_groups,
    base_user_accounts,
    check_account_groups,
    is_user_account,
    is_user_group,
)
from .base import base_services, host_milestones_service_type
from .configuration import configuration, field, install_configurations
from .field_types import HOST_NAME, LIST, STRING
from .files import PlainFile, is_file_like
from .networking import hosts_service_type, local_host_entries
from .packages import base_packages
from .services import Service, ServiceType, _services_list, fold_services
from .shepherd import shepherd_root_service_type
from .system_services import (
    account_service_type,
    activation_service_type,
    etc_service_type,
    file_system_service_type,
    profile_service_type,
    system_service_type,
)

# --- field types ------------------------------------------------------------------------


def _list_of(rtype_name: str, pred) -> FieldType:
    return FieldType(f"list of {rtype_name}", lambda x: is_list(x) and all(
        pred(i) for i in to_list(x)))


def _services_mistake(value: Any) -> list[str]:
    """What is wrong with the first element of a services list that is not a service."""
    if not is_list(value):
        return ["write (services (cons* (service TYPE) ... %base-services)), or "
                "(append (list (service TYPE) ...) %base-services)"]
    for i, item in enumerate(to_list(value), 1):
        if type(item) is Service:
            continue
        if is_list(item) and item is not NIL and all(type(s) is Service for s in to_list(item)):
            return [f"element {i} is itself a list of services (such as %base-services): "
                    f"join the lists with (cons* (service TYPE) ... %base-services) or "
                    f"(append (list (service TYPE) ...) %base-services)"]
        if type(item) is ServiceType:
            return [f"element {i} is the service type {item.name}, not a service: write "
                    f"(service {_type_variable(item)})"]
        if type(item) is Record:
            return [f"element {i} is {article(item.rtype.name)} {item.rtype.name} record, "
                    f"which goes inside its service: (service TYPE ({item.rtype.name} ...))"]
        shown = write_string(item)
        return [f"element {i} is {shown[:60]}{'...' if len(shown) > 60 else ''}, "
                f"not a service"]
    return []


def _type_variable(stype: ServiceType) -> str:
    """The name a library module exports STYPE under (libvirt-service-type), else TYPE."""
    sym = Symbol(f"{stype.name}-service-type")
    for owner in exporters(sym):
        box = existing_module(owner).public_box(sym)
        if box is not None and box.value is stype:
            return sym.name
    return "TYPE"


SERVICES = FieldType("list of services, each (service TYPE [VALUE])",
                     lambda x: is_list(x) and all(type(s) is Service for s in to_list(x)),
                     _services_mistake)


# --- operating-system --------------------------------------------------------------------------

class HostManaged:
    """A Guix default that stands for something the host manages (%default-nss...)."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def scheme_repr(self, write: bool) -> str:
        return f"#<host-managed {self.name}>"


SUDOERS_DEFAULT = "root ALL=(ALL) ALL\n%wheel ALL=(ALL) ALL\n"


def _essential_services(rec: Record) -> Any:
    return from_list(essential_services(rec))


def essential_services(os_: Record) -> list[Service]:
    """The services every system has, derived from the operating-system's fields."""
    where = f"(essential service of the operating-system at {os_.loc})" if os_.loc else \
        "(essential service of the operating-system)"

    def svc(t: ServiceType, value: Any) -> Service:
        return Service(t, value, None, where)

    users = to_list(os_["users"])
    groups = to_list(os_["groups"])
    services = [
        svc(system_service_type, NIL),
        svc(etc_service_type, NIL),
        svc(activation_service_type, NIL),
        svc(account_service_type, from_list(users + groups)),
        svc(profile_service_type, os_["packages"]),
        svc(shepherd_root_service_type, NIL),
        svc(host_milestones_service_type, host_milestones_service_type.default_value),
        svc(file_system_service_type, os_["file-systems"]),
    ]
    hosts_file = os_["hosts-file"]
    if hosts_file is False:
        services.append(svc(hosts_service_type, local_host_entries(pystr(os_["host-name"]))))
    else:
        services[1] = svc(etc_service_type, from_list([from_list(["hosts", hosts_file])]))
    return services


def _label(rec: Record) -> str:
    return f"GNU system with the host's kernel ({pystr(rec['host-name'])})"


OPERATING_SYSTEM = configuration("operating-system", "(gnu system)", [
    field("kernel", None, package="linux-libre",
          doc="The kernel package.  On a vsys host the running kernel is the host's."),
    field("kernel-loadable-modules", LIST, NIL,
          doc="Packages of extra kernel modules to load (host-managed)."),
    field("kernel-arguments", LIST, from_list(["quiet"]),
          doc="Arguments passed on the kernel command line (host-managed)."),
    field("hurd", None, False, doc="The Hurd package for GNU/Hurd systems, or #f."),
    field("bootloader", None, False,
          doc="The bootloader configuration (host-managed: vsys never installs a "
              "bootloader on the host)."),
    field("label", None, thunk=_label,
          doc="The label of the system's boot menu entry."),
    field("keyboard-layout", None, False,
          doc="The console keyboard layout, a keyboard-layout object or #f."),
    field("initrd", None, False,
          doc="A procedure building the initial RAM disk, or #f for the default."),
    field("initrd-modules", LIST, NIL,
          doc="Kernel modules the initial RAM disk loads."),
    field("firmware", LIST, NIL, doc="Firmware packages the kernel may load."),
    field("host-name", HOST_NAME, "guix",
          doc="The host name.  vsys uses it in the files it writes (libvirt's mDNS name, "
              "/etc/hosts entries); it does not rename the host."),
    field("hosts-file", None, False,
          doc="A file-like object for /etc/hosts, or #f to build it from hosts-service-type."),
    field("mapped-devices", LIST, NIL,
          doc="Mapped devices (LUKS, RAID, LVM) to set up (host-managed)."),
    field("file-systems", LIST, NIL,
          doc="The file systems to mount (host-managed: the host mounts them; each is "
              "provided to Shepherd as file-system-MOUNT-POINT)."),
    field("swap-devices", LIST, NIL, doc="Swap spaces (host-managed)."),
    field("users", _list_of("user-account", is_user_account), thunk=lambda r:
          base_user_accounts(), default_text="%base-user-accounts",
          doc="User accounts; vsys creates those missing on the host and merges the "
              "groups of existing ones."),
    field("groups", _list_of("user-group", is_user_group), thunk=lambda r: base_groups(),
          default_text="%base-groups", doc="User groups."),
    field("skeletons", LIST, NIL,
          doc="Files copied into new home directories, as (NAME FILE-LIKE)."),
    field("issue", STRING, "This is the GNU system.  Welcome.\n",
          doc="The text of /etc/issue (host-managed)."),
    field("packages", _list_of("package", lambda x: is_file_like(x) or (
        type(x) is Pair and is_file_like(x.car))), thunk=lambda r: base_packages_list(),
          default_text="%base-packages",
          doc="Packages in the system profile."),
    field("timezone", STRING, "Etc/UTC", doc="The time zone (host-managed)."),
    field("locale", STRING, "en_US.utf8", doc="The default locale (host-managed)."),
    field("locale-definitions", LIST, NIL, doc="Locales to build (host-managed)."),
    field("locale-libcs", LIST, NIL, doc="C libraries the locales are built for."),
    field("name-service-switch", None, HostManaged("%default-nss"),
          doc="The name service switch configuration (host-managed)."),
    field("essential-services", LIST, thunk=_essential_services,
          default_text="(the services every system has)",
          doc="The services every system has (system, etc, accounts, profile, Shepherd, "
              "hosts, file systems); rarely changed."),
    field("services", SERVICES,
          thunk=lambda r: base_services_list(),
          default_text="%base-services",
          doc="The system services: a list of (service TYPE VALUE); a configuration "
              "record goes inside its service, as in (service openssh-service-type "
              "(openssh-configuration ...))."),
    field("pam-services", LIST, NIL, doc="PAM configuration (host-managed)."),
    field("privileged-programs", LIST, NIL,
          doc="Programs made setuid or setgid (host-managed)."),
    field("setuid-programs", LIST, NIL,
          doc="Programs made setuid root (older name of privileged-programs)."),
    field("sudoers-file", None, HostManaged("%sudoers-specification"),
          doc="The sudoers file (host-managed)."),
    field("location", None, False, doc="Where the operating-system was written."),
], doc="The whole system: host name, accounts, packages and services, and the machine "
       "settings the host manages.",
    # As in Guix, a clause of (operating-system ...) may refer to the system being built.
    this="this-operating-system")


# Fields vsys uses; the rest are host-managed.
ACTED_ON = ("host-name", "users", "groups", "packages", "services", "essential-services",
            "hosts-file", "location", "label")


def base_packages_list() -> Any:
    return from_list(base_packages())


def base_services_list() -> Any:
    return base_services()


def operating_system_user_services(os_: Record) -> list[Service]:
    return _services(os_["services"], "operating-system")


def _services(value: Any, who: str) -> list[Service]:
    return _services_list(value, who)


def operating_system_services(os_: Record) -> list[Service]:
    """The system's services: those the config lists, then the essential ones."""
    return operating_system_user_services(os_) + _services(os_["essential-services"],
                                                           "essential-services")


# The operating system whose services are being folded: some defaults depend on it (libvirt's
# mdns-name is "Virtualization Host " + the OS's host-name, not the build machine's).
_FOLDING: contextvars.ContextVar = contextvars.ContextVar("vsys-folding-os", default=None)


def current_host_name() -> str | None:
    os_ = _FOLDING.get()
    return os_["host-name"] if os_ is not None else None


@contextlib.contextmanager
def operating_system_scope(os_: Record):
    """Make `os_` the system whose services are being folded and built: defaults that
    depend on it (libvirt's mdns-name) read it from here, whenever they are computed."""
    token = _FOLDING.set(os_)
    try:
        yield
    finally:
        _FOLDING.reset(token)


def fold_operating_system(os_: Record):
    """Fold the system's services with `os_` in scope for the defaults that depend on it."""
    with operating_system_scope(os_):
        folded = fold_services(operating_system_services(os_))
    accounts = folded.one(account_service_type)
    if is_list(accounts):
        check_account_groups(accounts, os_.loc)
    return folded


def host_managed_fields(os_: Record) -> list[tuple[str, Any, bool]]:
    """(field, value, explicitly given?) for every field vsys keeps but does not act on."""
    return [(f.name, os_.values[i], bool(os_.explicit[i]))
            for i, f in enumerate(OPERATING_SYSTEM.fields) if f.name not in ACTED_ON]


def install(module) -> None:
    """Define the names of (gnu system)."""
    d = module.define
    install_configurations(module, "(gnu system)")
    d(Symbol("%base-packages"), base_packages_list(), True)
    d(Symbol("%base-firmware"), NIL, True)
    d(Symbol("%default-kernel-arguments"), from_list(["quiet"]), True)
    d(Symbol("%default-nss"), HostManaged("%default-nss"), True)
    # Guix's default sudoers, a file configs extend with (plain-file-content ...); the
    # host keeps its own unless a config sets sudoers-file.
    d(Symbol("%sudoers-specification"), PlainFile("sudoers", SUDOERS_DEFAULT), True)
    prims = {
        "operating-system-user-services":
            lambda o: from_list(operating_system_user_services(
                _os(o, "operating-system-user-services"))),
        "operating-system-services":
            lambda o: from_list(operating_system_services(_os(o, "operating-system-services"))),
        "operating-system-default-essential-services":
            lambda o: _os(o, "operating-system-default-essential-services")["essential-services"],
        "local-host-aliases": lambda name: from_list(["localhost", name]),
    }
    for pname, fn in prims.items():
        d(Symbol(pname), make_primitive(pname, fn), True)


def _os(x: Any, who: str) -> Record:
    if type(x) is not Record or x.rtype is not OPERATING_SYSTEM:
        raise wrong_type(who, 1, "operating-system", x)
    return x


__all__ = ["OPERATING_SYSTEM", "operating_system_services", "operating_system_user_services",
           "host_managed_fields", "essential_services", "fold_operating_system",
           "operating_system_scope", "current_host_name"]
