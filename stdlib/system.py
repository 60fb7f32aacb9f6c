"""The operating system: accounts, the `operating-system` record, and the service types
every system has (system, etc, activation, account, profile, file systems, D-Bus,
polkit, udev).

`operating-system` accepts every field a Guix configuration may carry.  vsys acts on the
host name, accounts, packages and services; the other fields (bootloader, kernel, file
systems, locale...) describe things the host manages, and are kept so that
`vsys describe` can show them (`host_managed_fields`).
"""

from __future__ import annotations

import contextlib
import contextvars
import re

from typing import Any

from vsys.dsl.datatypes import (NIL, Location, Pair, Symbol, from_list, is_list, is_string,
                                pystr, to_list)
from vsys.dsl.errors import Condition, SchemeError, article, did_you_mean
from vsys.dsl.printer import write_string
from vsys.dsl.records import Field, FieldType, Record, RecordType

from .files import FileAppend, is_file_like
from .gexp import Gexp
from .packages import lookup_package
from .services import (Service, ServiceExtension, ServiceType, append_values,
                       concatenate)
from .shepherd import milestone, shepherd_root_service_type

# --- field types ------------------------------------------------------------------------

STRING = FieldType("string", is_string)
MAYBE_STRING = FieldType("string or #f", lambda x: x is False or is_string(x))
BOOLEAN = FieldType("boolean", lambda x: type(x) is bool)
MAYBE_ID = FieldType("non-negative integer or #f",
                     lambda x: x is False or (type(x) is int and x >= 0))
STRINGS = FieldType("list of strings", lambda x: is_list(x) and
                    all(is_string(i) for i in to_list(x)))
LIST = FieldType("list", is_list)
# What /etc/hosts can hold as a name (it separates names with blanks, '#' starts a
# comment, an entry is a line), which vsys writes the host name into.
HOST_NAME = FieldType("host name (a string without blanks, '#' or line breaks)",
                      lambda x: is_string(x) and re.fullmatch(r"[^\s#]+", pystr(x)) is not None)
SHELL = FieldType("file-like object, gexp or string (a shell)",
                  lambda x: is_string(x) or type(x) is Gexp or is_file_like(x))


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
        from vsys.dsl.printer import write_string
        shown = write_string(item)
        return [f"element {i} is {shown[:60]}{'...' if len(shown) > 60 else ''}, "
                f"not a service"]
    return []


def _type_variable(stype: ServiceType) -> str:
    """The name a library module exports STYPE under (libvirt-service-type), else TYPE."""
    from vsys.dsl.modules import existing_module, exporters
    sym = Symbol(f"{stype.name}-service-type")
    for owner in exporters(sym):
        box = existing_module(owner).public_box(sym)
        if box is not None and box.value is stype:
            return sym.name
    return "TYPE"


SERVICES = FieldType("list of services, each (service TYPE [VALUE])",
                     lambda x: is_list(x) and all(type(s) is Service for s in to_list(x)),
                     _services_mistake)


def _is_record(rtype: RecordType):
    return lambda x: type(x) is Record and x.rtype is rtype


# --- accounts -------------------------------------------------------------------------------

def _home(rec: Record) -> str:
    return f"/home/{pystr(rec['name'])}"


def _default_shell(rec: Record) -> FileAppend:
    return FileAppend(lookup_package("bash"), "/bin/bash")


USER_ACCOUNT = RecordType("user-account", [
    Field("name", STRING, doc="The user's login name."),
    Field("password", MAYBE_STRING, False,
          doc="The password, already hashed (as crypt(3) writes it), or #f for none; "
              "an account that exists keeps its password."),
    Field("uid", MAYBE_ID, False,
          doc="The user ID; #f lets the system choose a free one."),
    Field("group", STRING, "users",
          doc="The name or ID of the user's primary group.  A name must be declared: by a "
              "user-group of the operating-system's groups, or by a service (as "
              "libvirt-service-type declares \"libvirt\"); building the system stops "
              "otherwise, as in Guix."),
    Field("supplementary-groups", STRINGS, NIL,
          doc="The names of other groups the user belongs to, such as \"wheel\", "
              "\"libvirt\" or \"kvm\".  Each must be declared, as the primary group "
              "must: a group the host has but the system does not declare is refused."),
    Field("comment", STRING, "", doc="A comment, usually the user's full name."),
    Field("home-directory", STRING, thunk=_home, default_text='"/home/NAME"',
          doc="The user's home directory."),
    Field("home-directory-permissions", FieldType("integer (file mode)",
                                                  lambda x: type(x) is int), 0o700,
          doc="The permission bits of the home directory when it is created."),
    Field("create-home-directory?", BOOLEAN, True,
          doc="Whether to create the home directory when the account is created."),
    Field("shell", SHELL, thunk=_default_shell, default_text='(file-append bash "/bin/bash")',
          doc="The user's login shell."),
    Field("system?", BOOLEAN, False,
          doc="Whether this is a system account (lower ID range, no login by default)."),
], doc="A user account: its name, groups, home directory and shell.")

USER_GROUP = RecordType("user-group", [
    Field("name", STRING, doc="The group's name."),
    Field("password", MAYBE_STRING, False, doc="The group password, hashed, or #f."),
    Field("id", MAYBE_ID, False, doc="The group ID; #f lets the system choose."),
    Field("system?", BOOLEAN, False, doc="Whether this is a system group."),
], doc="A user group.")

is_user_account = _is_record(USER_ACCOUNT)
is_user_group = _is_record(USER_GROUP)


def user_account(name: str, **fields: Any) -> Record:
    """Python helper: `user_account("build-vm", group="kvm", system=True, ...)`; keyword
    names use `_` for `-` and may drop the `?`."""
    return USER_ACCOUNT.make(_fields(USER_ACCOUNT, {"name": name, **fields}))


def user_group(name: str, **fields: Any) -> Record:
    return USER_GROUP.make(_fields(USER_GROUP, {"name": name, **fields}))


def _fields(rtype: RecordType, fields: dict) -> dict:
    out = {}
    for k, v in fields.items():
        name = k.replace("_", "-")
        if name not in rtype.index and name + "?" in rtype.index:
            name += "?"
        if isinstance(v, (list, tuple)):
            v = from_list(list(v))
        out[name] = v
    return out


def _nologin() -> FileAppend:
    return FileAppend(lookup_package("shadow"), "/sbin/nologin")


def base_user_accounts() -> Any:
    return from_list([USER_ACCOUNT.make({
        "name": "nobody", "uid": 65534, "group": "nogroup", "shell": _nologin(),
        "home-directory": "/nonexistent", "create-home-directory?": False,
        "system?": True})])


def base_groups() -> Any:
    groups = [USER_GROUP.make({"name": "root", "id": 0}),
              USER_GROUP.make({"name": "wheel", "system?": True}),
              USER_GROUP.make({"name": "users", "id": 100}),
              USER_GROUP.make({"name": "nogroup", "id": 65534, "system?": True})]
    for name in ("tty", "dialout", "kmem", "input", "video", "audio", "netdev", "lp",
                 "disk", "floppy", "cdrom", "tape", "kvm"):
        groups.append(USER_GROUP.make({"name": name, "system?": True}))
    return from_list(groups)


# --- the essential service types -------------------------------------------------------------

def _list_type(name: str, description: str, module: str, extensions=None,
               element: FieldType | None = None) -> ServiceType:
    return ServiceType(name, extensions or [], concatenate, append_values, NIL,
                       description, module=module, element=element)


def _is_etc_entry(x: Any) -> bool:
    items = to_list(x) if is_list(x) else []
    return len(items) == 2 and is_string(items[0]) and is_file_like(items[1])


ETC_ENTRY = FieldType("(NAME FILE-LIKE) entries", _is_etc_entry)
# Gexps; the library's own steps are plain data (see activation_steps).
ACTIVATION_STEP = FieldType("gexps", lambda x: type(x) is Gexp or isinstance(x, dict))
ACCOUNT = FieldType("user-account and user-group records",
                    lambda x: is_user_account(x) or is_user_group(x))
# What polkit, D-Bus and udev are extended with: packages holding their files, or files.
PACKAGE_OR_FILE = FieldType("packages or files", is_file_like)


system_service_type = _list_type(
    "system", "The system itself: the root of everything a generation holds; extended "
    "with (NAME FILE-LIKE) entries of the system directory.", "(gnu services)")

etc_service_type = _list_type(
    "etc", "Files under /etc: its value and extensions are lists of (NAME FILE-LIKE), "
    "NAME relative to /etc, such as (\"libvirt/libvirtd.conf\" FILE).", "(gnu services)",
    element=ETC_ENTRY)

activation_service_type = _list_type(
    "activation", "Steps run when a generation is activated (at boot or reconfigure): "
    "a list of gexps, run in order.", "(gnu services)", element=ACTIVATION_STEP)

account_service_type = _list_type(
    "account", "User accounts and groups to create: a list of user-account and "
    "user-group records.  Existing accounts are merged, never replaced.",
    "(gnu system shadow)", element=ACCOUNT)

profile_service_type = _list_type(
    "profile", "Packages in the system profile (/run/current-system/profile): a list of "
    "packages.", "(gnu services)", element=FieldType(
        "packages (or (PACKAGE OUTPUT) lists)", lambda x: is_file_like(x) or (
            type(x) is Pair and is_file_like(x.car))))

from .dbus import make_service_types as _dbus_types  # noqa: E402  (needs _list_type)

dbus_root_service_type, polkit_service_type = _dbus_types()

UDEV_CONFIGURATION = RecordType("udev-configuration", [
    Field("udev", None, thunk=lambda r: lookup_package("eudev"), default_text="eudev",
          doc="The udev package (on a vsys host, the host's udev)."),
    Field("rules", FieldType("list of packages or files", lambda x: is_list(x) and all(
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


def _file_system_milestones(value: Any) -> Any:
    from .machine import file_system_mount_point
    out = []
    for fs in to_list(value):
        mp = file_system_mount_point(fs)
        if mp is not None:
            m = milestone(f"file-system-{mp}", f"{mp}, mounted by the host.")
            m.loc = fs.loc          # what is wrong with it is in the file-system record
            out.append(m)
    return from_list(out)


file_system_service_type = _list_type(
    "file-systems", "File systems to mount (file-system records), each provided to "
    "Shepherd as file-system-MOUNT-POINT.  On a vsys host the host mounts them.",
    "(gnu services base)",
    [ServiceExtension(shepherd_root_service_type, _file_system_milestones)])


# --- operating-system --------------------------------------------------------------------------

class HostManaged:
    """A Guix default that stands for something the host manages (%default-nss...)."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def scheme_repr(self, write: bool) -> str:
        return f"#<host-managed {self.name}>"


_ANY = None

SUDOERS_DEFAULT = "root ALL=(ALL) ALL\n%wheel ALL=(ALL) ALL\n"


def _essential_services(rec: Record) -> Any:
    return from_list(essential_services(rec))


def essential_services(os_: Record) -> list[Service]:
    """The services every system has, derived from the operating-system's fields."""
    from .base import host_milestones_service_type
    from .networking import hosts_service_type, local_host_entries
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


OPERATING_SYSTEM = RecordType("operating-system", [
    Field("kernel", None, thunk=lambda r: lookup_package("linux-libre"),
          default_text="linux-libre",
          doc="The kernel package.  On a vsys host the running kernel is the host's."),
    Field("kernel-loadable-modules", LIST, NIL,
          doc="Packages of extra kernel modules to load (host-managed)."),
    Field("kernel-arguments", LIST, from_list(["quiet"]),
          doc="Arguments passed on the kernel command line (host-managed)."),
    Field("hurd", None, False, doc="The Hurd package for GNU/Hurd systems, or #f."),
    Field("bootloader", None, False,
          doc="The bootloader configuration (host-managed: vsys never installs a "
              "bootloader on the host)."),
    Field("label", None, thunk=_label,
          doc="The label of the system's boot menu entry."),
    Field("keyboard-layout", None, False,
          doc="The console keyboard layout, a keyboard-layout object or #f."),
    Field("initrd", None, False,
          doc="A procedure building the initial RAM disk, or #f for the default."),
    Field("initrd-modules", LIST, NIL,
          doc="Kernel modules the initial RAM disk loads."),
    Field("firmware", LIST, NIL, doc="Firmware packages the kernel may load."),
    Field("host-name", HOST_NAME, "guix",
          doc="The host name.  vsys uses it in the files it writes (libvirt's mDNS name, "
              "/etc/hosts entries); it does not rename the host."),
    Field("hosts-file", None, False,
          doc="A file-like object for /etc/hosts, or #f to build it from hosts-service-type."),
    Field("mapped-devices", LIST, NIL,
          doc="Mapped devices (LUKS, RAID, LVM) to set up (host-managed)."),
    Field("file-systems", LIST, NIL,
          doc="The file systems to mount (host-managed: the host mounts them; each is "
              "provided to Shepherd as file-system-MOUNT-POINT)."),
    Field("swap-devices", LIST, NIL, doc="Swap spaces (host-managed)."),
    Field("users", _list_of("user-account", is_user_account), thunk=lambda r:
          base_user_accounts(), default_text="%base-user-accounts",
          doc="User accounts; vsys creates those missing on the host and merges the "
              "groups of existing ones."),
    Field("groups", _list_of("user-group", is_user_group), thunk=lambda r: base_groups(),
          default_text="%base-groups", doc="User groups."),
    Field("skeletons", LIST, NIL,
          doc="Files copied into new home directories, as (NAME FILE-LIKE)."),
    Field("issue", STRING, "This is the GNU system.  Welcome.\n",
          doc="The text of /etc/issue (host-managed)."),
    Field("packages", _list_of("package", lambda x: is_file_like(x) or (
        type(x) is Pair and is_file_like(x.car))), thunk=lambda r: base_packages_list(),
          default_text="%base-packages",
          doc="Packages in the system profile."),
    Field("timezone", STRING, "Etc/UTC", doc="The time zone (host-managed)."),
    Field("locale", STRING, "en_US.utf8", doc="The default locale (host-managed)."),
    Field("locale-definitions", LIST, NIL, doc="Locales to build (host-managed)."),
    Field("locale-libcs", LIST, NIL, doc="C libraries the locales are built for."),
    Field("name-service-switch", None, HostManaged("%default-nss"),
          doc="The name service switch configuration (host-managed)."),
    Field("essential-services", LIST, thunk=_essential_services,
          default_text="(the services every system has)",
          doc="The services every system has (system, etc, accounts, profile, Shepherd, "
              "hosts, file systems); rarely changed."),
    Field("services", SERVICES,
          thunk=lambda r: base_services_list(),
          default_text="%base-services",
          doc="The system services: a list of (service TYPE VALUE); a configuration "
              "record goes inside its service, as in (service openssh-service-type "
              "(openssh-configuration ...))."),
    Field("pam-services", LIST, NIL, doc="PAM configuration (host-managed)."),
    Field("privileged-programs", LIST, NIL,
          doc="Programs made setuid or setgid (host-managed)."),
    Field("setuid-programs", LIST, NIL,
          doc="Programs made setuid root (older name of privileged-programs)."),
    Field("sudoers-file", None, HostManaged("%sudoers-specification"),
          doc="The sudoers file (host-managed)."),
    Field("location", None, False, doc="Where the operating-system was written."),
], doc="The whole system: host name, accounts, packages and services, and the machine "
       "settings the host manages.")

# As in Guix, a clause of (operating-system ...) may refer to the system being built.
OPERATING_SYSTEM.this_name = "this-operating-system"

# Fields vsys uses; the rest are host-managed.
ACTED_ON = ("host-name", "users", "groups", "packages", "services", "essential-services",
            "hosts-file", "location", "label")


def base_packages_list() -> Any:
    from .packages import base_packages
    return from_list(base_packages())


def base_services_list() -> Any:
    from .base import base_services
    return base_services()


def operating_system_user_services(os_: Record) -> list[Service]:
    return _services(os_["services"], "operating-system")


def _services(value: Any, who: str) -> list[Service]:
    from .services import _services_list
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
    from .services import fold_services
    with operating_system_scope(os_):
        folded = fold_services(operating_system_services(os_))
    accounts = folded.one(account_service_type)
    if is_list(accounts):
        check_account_groups(accounts, os_.loc)
    return folded


def check_account_groups(accounts: Any, where: Location | None) -> None:
    """Every group a user-account names (primary or supplementary) must be declared by a
    user-group the account service receives (the operating-system's groups and those
    services add), as Guix's assert-valid-users/groups requires, or be a numeric ID.
    The error is located at the user-account, else at WHERE (the operating-system)."""
    records = to_list(accounts)
    declared = {pystr(r["name"]) for r in records if is_user_group(r)}
    for rec in records:
        if not is_user_account(rec):
            continue
        groups = [("primary", rec["group"])] + [
            ("supplementary", g) for g in to_list(rec["supplementary-groups"])]
        for kind, group in groups:
            name = pystr(group)
            # An empty name is no group at all: the accounts builder says why.
            if name.isdigit() or name in declared or not name:
                continue
            raise SchemeError(Condition(
                "service-error", f"{kind} group '{name}' of user '{pystr(rec['name'])}' "
                f"is undeclared", (), None,
                did_you_mean(name, declared) + [_declare_hint(group)], loc=rec.loc or where))


def _declare_hint(group: Any) -> str:
    if any(pystr(g["name"]) == pystr(group) for g in to_list(base_groups())):
        return "%base-groups declares it: (groups (append YOUR-GROUPS %base-groups))"
    return f"declare it: (groups (cons (user-group (name {write_string(group)})) %base-groups))"


def host_managed_fields(os_: Record) -> list[tuple[str, Any, bool]]:
    """(field, value, explicitly given?) for every field vsys keeps but does not act on."""
    return [(f.name, os_.values[i], bool(os_.explicit[i]))
            for i, f in enumerate(OPERATING_SYSTEM.fields) if f.name not in ACTED_ON]


def install(module, what: str) -> None:
    """Define the names of (gnu system) (`what` = "system") or (gnu system shadow)
    ("shadow") or the essential service types of (gnu services) ("services")."""
    from vsys.dsl.procedures import make_primitive
    from vsys.dsl.records import install_record_type
    d = module.define
    if what == "shadow":
        install_record_type(module, USER_ACCOUNT)
        install_record_type(module, USER_GROUP)
        d(Symbol("%base-user-accounts"), base_user_accounts(), True)
        d(Symbol("%base-groups"), base_groups(), True)
        d(Symbol("account-service-type"), account_service_type, True)
        return
    if what == "services":
        from vsys.dsl.records import install_record_type as install_rt
        install_rt(module, UDEV_CONFIGURATION)
        for name, t in (("system-service-type", system_service_type),
                        ("etc-service-type", etc_service_type),
                        ("activation-service-type", activation_service_type),
                        ("account-service-type", account_service_type),
                        ("profile-service-type", profile_service_type),
                        ("file-system-service-type", file_system_service_type),
                        ("udev-service-type", udev_service_type),
                        ("polkit-service-type", polkit_service_type),
                        ("dbus-root-service-type", dbus_root_service_type)):
            d(Symbol(name), t, True)
        return
    install_record_type(module, OPERATING_SYSTEM)
    d(Symbol("%base-packages"), base_packages_list(), True)
    d(Symbol("%base-firmware"), NIL, True)
    d(Symbol("%default-kernel-arguments"), from_list(["quiet"]), True)
    d(Symbol("%default-nss"), HostManaged("%default-nss"), True)
    # Guix's default sudoers, a file configs extend with (plain-file-content ...); the
    # host keeps its own unless a config sets sudoers-file.
    from .files import PlainFile
    d(Symbol("%sudoers-specification"), PlainFile("sudoers", SUDOERS_DEFAULT), True)
    prims = {
        "operating-system-user-services":
            lambda o: from_list(operating_system_user_services(_os(o, "operating-system-user-services"))),
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
        from vsys.dsl.errors import wrong_type
        raise wrong_type(who, 1, "operating-system", x)
    return x


__all__ = ["system_service_type", "etc_service_type", "activation_service_type",
           "account_service_type", "profile_service_type", "polkit_service_type",
           "dbus_root_service_type", "udev_service_type", "file_system_service_type",
           "USER_ACCOUNT", "USER_GROUP", "OPERATING_SYSTEM", "user_account", "user_group",
           "operating_system_services", "operating_system_user_services",
           "host_managed_fields", "essential_services", "base_user_accounts", "base_groups"]
