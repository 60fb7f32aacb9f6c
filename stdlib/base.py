"""%base-services, as the host provides them.

Guix's base services (login, consoles, syslog, nscd, udev, the Guix daemon...) are real
service types here, with their configuration records, so a config can `modify-services`
or `delete` them as in Guix.  On a vsys host the host itself runs these things: each
contributes *host milestones* (shepherd services that start nothing, see shepherd.py)
for the names Guix services require (`syslogd`, `udev`, `term-tty1`...), and its
configuration is kept for `vsys describe`.

The essential `host-milestones` service provides the names every vsys host has:
user-processes, networking, loopback, udev, dbus-system, syslogd and the binfmt_misc file
system, so a config is complete without declaring them.
"""

from __future__ import annotations

from typing import Any

from vsys.dsl.datatypes import NIL, Pair, Symbol, from_list, is_string, pystr, to_list
from vsys.dsl.records import Field, FieldType, Record, RecordType, install_record_type

from .field_types import (
    BOOLEAN,
    FILE_LIKE,
    INTEGER,
    LIST,
    PACKAGE,
    STRING,
    STRING_LIST,
    STRING_OR_FALSE,
    SYMBOL_LIST,
)
from .files import file_append, plain_file
from .guix import guix_service_type
from .networking import loopback_static_networking, static_networking_service_type
from .packages import lookup_package
from .services import NO_DEFAULT, Service, ServiceExtension, ServiceType, append_values, concatenate
from .shepherd import HOST_MILESTONES, milestone, shepherd_root_service_type
from .system_services import UDEV_CONFIGURATION, udev_service_type


def _milestones(*names: str, doc: str = ""):
    return lambda value: from_list([milestone(n, doc) for n in names])


def host_type(name: str, description: str, default: Any = NO_DEFAULT,
              provides=None, extensible: bool = False, extend=None,
              module: str = "(gnu services base)", element: FieldType | None = None
              ) -> ServiceType:
    """A base service type the host provides: PROVIDES(value) lists the milestone names."""
    exts = []
    if provides is not None:
        exts.append(ServiceExtension(shepherd_root_service_type, lambda v: from_list(
            [milestone(n, f"Provided by the host ({name}).") for n in provides(v)])))
    return ServiceType(name, exts, concatenate if extensible else None,
                       (extend or append_values) if extensible else None, default,
                       description + "  On a vsys host this is provided by the host.",
                       module=module, element=element)


host_milestones_service_type = host_type(
    "host-milestones", "What every vsys host provides to the services it runs: a list "
    "of Shepherd names (user-processes, networking, loopback, udev, dbus-system, syslogd, "
    "the binfmt_misc file system).", from_list(list(HOST_MILESTONES)),
    provides=lambda v: [pystr(n) if is_string(n) else n.name for n in to_list(v)],
    extensible=True, module="(gnu services)",
    element=FieldType("Shepherd names (strings or symbols)",
                      lambda x: is_string(x) or type(x) is Symbol))

user_processes_service_type = host_type(
    "user-processes", "The milestone after which user processes may run; at shutdown "
    "it waits a grace delay (seconds) for them to terminate.", 4,
    provides=lambda v: ["user-processes"], module="(gnu services shepherd)")


# --- configuration records ------------------------------------------------------------------

LOGIN_CONFIGURATION = RecordType("login-configuration", [
    Field("motd", FILE_LIKE, thunk=lambda r: plain_file(
        "motd", "This is the GNU operating system, welcome!\n\n"),
          default_text='(plain-file "motd" "This is the GNU operating system, welcome!\\n\\n")',
          doc="A file-like object with the message of the day."),
    Field("allow-empty-passwords?", BOOLEAN, True,
          doc="Whether to allow logins with an empty password."),
], doc="Settings of the login program.")

MINGETTY_CONFIGURATION = RecordType("mingetty-configuration", [
    Field("tty", STRING, doc="The virtual console this mingetty runs on, e.g. \"tty1\"."),
    Field("auto-login", STRING_OR_FALSE, False,
          doc="The name of a user logged in automatically, or #f."),
    Field("login-program", None, False, doc="The login program, or #f for the default."),
    Field("login-pause?", BOOLEAN, False,
          doc="Whether to wait for a key press before starting login."),
    Field("clear-on-logout?", BOOLEAN, True, doc="Whether to clear the screen on logout."),
    Field("mingetty", PACKAGE, thunk=lambda r: lookup_package("util-linux"),
          default_text="mingetty", doc="The mingetty package."),
], doc="A text login prompt on a virtual console.")

AGETTY_CONFIGURATION = RecordType("agetty-configuration", [
    Field("agetty", PACKAGE, thunk=lambda r: lookup_package("util-linux"),
          default_text="util-linux", doc="The package providing agetty."),
    Field("tty", STRING_OR_FALSE, doc="The terminal, e.g. \"ttyS0\"; #f for the serial "
                                   "console the kernel was told about."),
    Field("term", STRING_OR_FALSE, False, doc="The TERM value, or #f."),
    Field("baud-rate", STRING_OR_FALSE, False, doc="Baud rates, such as \"115200\", or #f."),
    Field("auto-login", STRING_OR_FALSE, False, doc="A user to log in automatically, or #f."),
    Field("login-program", None, False, doc="The login program, or #f."),
    Field("login-pause?", BOOLEAN, False, doc="Whether to wait for a key press."),
    Field("eight-bits?", BOOLEAN, False, doc="Whether the tty is 8-bit clean."),
    Field("no-reset?", BOOLEAN, False, doc="Whether to keep the terminal's control modes."),
    Field("remote?", BOOLEAN, False, doc="Whether to pass -r host to login."),
    Field("flow-control?", BOOLEAN, False, doc="Whether to use hardware flow control."),
    Field("host", STRING_OR_FALSE, False, doc="The host name passed to login, or #f."),
    Field("no-issue?", BOOLEAN, False, doc="Whether not to show /etc/issue."),
    Field("extra-options", STRING_LIST, NIL, doc="Extra agetty options."),
    Field("shepherd-requirement", SYMBOL_LIST, NIL, doc="Extra Shepherd requirements."),
], doc="A login prompt on a serial line or terminal, run by agetty.")

SYSLOG_CONFIGURATION = RecordType("syslog-configuration", [
    Field("syslogd", None, thunk=lambda r: file_append(lookup_package("inetutils"),
                                                         "/libexec/syslogd"),
          default_text='(file-append inetutils "/libexec/syslogd")',
          doc="The syslog daemon to use."),
    Field("config-file", None, False,
          doc="The syslog configuration file (file-like), or #f for the default."),
    Field("extra-options", STRING_LIST, NIL, doc="Extra options of the daemon."),
], doc="The system log daemon.")

NSCD_CONFIGURATION = RecordType("nscd-configuration", [
    Field("log-file", STRING_OR_FALSE, "/var/log/nscd.log", doc="Where nscd logs."),
    Field("debug-level", INTEGER, 0,
          doc="The debugging level."),
    Field("caches", LIST, NIL, doc="The caches nscd keeps (host, passwd, group...)."),
    Field("name-services", LIST, NIL, doc="Name service packages nscd loads."),
    Field("glibc", None, False, doc="The C library providing nscd."),
], doc="The name service cache daemon.")

SYSCTL_CONFIGURATION = RecordType("sysctl-configuration", [
    Field("sysctl", None, thunk=lambda r: file_append(lookup_package("procps"),
                                                        "/sbin/sysctl"),
          default_text='(file-append procps "/sbin/sysctl")',
          doc="The sysctl program."),
    Field("settings", LIST, NIL,
          doc="Kernel parameters as an association list, e.g. "
              "'((\"net.ipv4.ip_forward\" . \"1\"))."),
], doc="Kernel parameters set at boot (host-managed on a vsys host).")


def _extend_settings(config: Record, extra: Any) -> Record:
    return SYSCTL_CONFIGURATION.make(
        {"settings": from_list(to_list(config["settings"]) + to_list(extra))},
        inherit=config)


# --- the base service types ------------------------------------------------------------------

def _tty_names(prefix: str):
    return lambda v: [f"{prefix}{pystr(v['tty'])}"]


login_service_type = host_type(
    "login", "The login program's settings (message of the day...).",
    LOGIN_CONFIGURATION.make())

virtual_terminal_service_type = host_type(
    "virtual-terminal", "Unicode support of the virtual consoles.", True,
    provides=lambda v: ["virtual-terminal"])

console_font_service_type = host_type(
    "console-font", "Fonts of the virtual consoles: a list of (TTY . FONT) pairs.", NIL,
    provides=lambda v: [f"console-font-{pystr(p.car)}" for p in to_list(v)
                        if type(p) is Pair and is_string(p.car)], extensible=True)

mingetty_service_type = host_type(
    "mingetty", "A login prompt on a virtual console.", NO_DEFAULT,
    provides=_tty_names("term-"))

agetty_service_type = host_type(
    "agetty", "A login prompt on a serial line or terminal.", NO_DEFAULT,
    provides=lambda v: [f"term-{pystr(v['tty']) if v['tty'] is not False else 'console'}"])

syslog_service_type = host_type(
    "syslog", "The system log daemon.", SYSLOG_CONFIGURATION.make(),
    provides=lambda v: ["syslogd"])

rottlog_service_type = host_type(
    "rottlog", "Log rotation: a list of log-rotation specifications.", NIL,
    extensible=True, module="(gnu services admin)")

log_cleanup_service_type = host_type(
    "log-cleanup", "Removal of old log files.", False, module="(gnu services admin)")

urandom_seed_service_type = host_type(
    "urandom-seed", "Saving and restoring the random seed across reboots.", False,
    provides=lambda v: ["urandom-seed"])

nscd_service_type = host_type(
    "nscd", "The name service cache daemon.", NSCD_CONFIGURATION.make(),
    provides=lambda v: ["nscd"])

sysctl_service_type = host_type(
    "sysctl", "Kernel parameters set at boot.", SYSCTL_CONFIGURATION.make(),
    provides=lambda v: ["sysctl"], extensible=True, extend=_extend_settings,
    module="(gnu services sysctl)")

special_files_service_type = host_type(
    "special-files", "Files such as /bin/sh and /usr/bin/env: a list of (FILE TARGET).",
    NIL, extensible=True)


def default_special_files() -> Any:
    return from_list([
        from_list(["/bin/sh", file_append(lookup_package("bash"), "/bin/sh")]),
        from_list(["/usr/bin/env", file_append(lookup_package("coreutils"), "/bin/env")])])


_DEFAULT_CONSOLE_FONT = "LatGrkCyr-8x16"

_base: Any = None


def base_services() -> Any:
    """%base-services: the same list (of the same services) every time."""
    global _base
    if _base is not None:
        return _base
    def svc(t: ServiceType, value: Any = NO_DEFAULT) -> Service:
        return Service(t, t.default_value if value is NO_DEFAULT else value, None,
                       "(in %base-services)")

    ttys = [f"tty{i}" for i in range(1, 7)]
    services = [
        svc(login_service_type),
        svc(virtual_terminal_service_type),
        svc(console_font_service_type, from_list([Pair(t, _DEFAULT_CONSOLE_FONT)
                                                  for t in ttys])),
        svc(agetty_service_type, AGETTY_CONFIGURATION.make({
            "extra-options": from_list(["-L"]), "term": "vt100", "tty": False,
            "shepherd-requirement": from_list([Symbol("syslogd")])})),
    ]
    services += [svc(mingetty_service_type, MINGETTY_CONFIGURATION.make({"tty": t}))
                 for t in ttys]
    services += [
        svc(static_networking_service_type, from_list([loopback_static_networking()])),
        svc(syslog_service_type),
        svc(rottlog_service_type),
        svc(urandom_seed_service_type),
        svc(guix_service_type),
        svc(nscd_service_type),
        svc(log_cleanup_service_type),
        svc(udev_service_type, UDEV_CONFIGURATION.make({
            "rules": from_list([lookup_package("lvm2")])})),
        svc(sysctl_service_type),
        svc(special_files_service_type, default_special_files()),
    ]
    _base = from_list(services)
    return _base


def install(module) -> None:
    """The base service names of (gnu services base) (networking, hosts and guix are
    installed beside these by the module's factory)."""
    for rtype in (LOGIN_CONFIGURATION, MINGETTY_CONFIGURATION, AGETTY_CONFIGURATION,
                  SYSLOG_CONFIGURATION, NSCD_CONFIGURATION, SYSCTL_CONFIGURATION):
        install_record_type(module, rtype)
    d = module.define
    for name, t in (("login-service-type", login_service_type),
                    ("virtual-terminal-service-type", virtual_terminal_service_type),
                    ("console-font-service-type", console_font_service_type),
                    ("mingetty-service-type", mingetty_service_type),
                    ("agetty-service-type", agetty_service_type),
                    ("syslog-service-type", syslog_service_type),
                    ("rottlog-service-type", rottlog_service_type),
                    ("log-cleanup-service-type", log_cleanup_service_type),
                    ("urandom-seed-service-type", urandom_seed_service_type),
                    ("nscd-service-type", nscd_service_type),
                    ("sysctl-service-type", sysctl_service_type),
                    ("special-files-service-type", special_files_service_type),
                    ("user-processes-service-type", user_processes_service_type),
                    ("host-milestones-service-type", host_milestones_service_type)):
        d(Symbol(name), t, True)
    d(Symbol("%base-services"), base_services(), True)
    d(Symbol("%default-console-font"), _DEFAULT_CONSOLE_FONT, True)


__all__ = ["base_services", "host_milestones_service_type", "user_processes_service_type",
           "HOST_MILESTONES", "host_type"]
