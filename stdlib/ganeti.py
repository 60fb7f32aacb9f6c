"""(gnu services ganeti): the Ganeti cluster manager's daemons, periodic jobs, and the
/etc/ganeti tree that declares the OS providers instances are installed with.

`ganeti-service-type` is the sum of the ten per-daemon service types below (each usable
on its own), plus /etc/ganeti, the directories the daemons expect, and the ganeti package
in the system profile.  Daemons are not respawned: Ganeti disables the ones a node
should not run, and ganeti-watcher restarts the ones it should.

Where Debian's build of Ganeti differs from Guix's, vsys follows the host's build:
- each daemon runs as the user and group Debian's daemon-util gives it (Guix's build
  runs them all as root; Debian's refuses that: "started using wrong user ID"), with the
  accounts Debian's package creates, and Ganeti's own `ensure-dirs` sets the ownership of
  its directories before each start, as daemon-util does;
- /etc/ganeti/lib and /etc/ganeti/share name the installed Ganeti version (Debian's
  programs are links through them);
- /etc/default/ganeti, which daemon-util reads before it acts, sends its start, stop and
  check requests (from ganeti-watcher and the gnt-* commands) to vsys's supervisor, so
  `herd status` stays true (Guix patches daemon-util to call herd instead).
A daemon of a node that is in no cluster yet stops at once, naming the next step.
"""

from __future__ import annotations

import shlex
from typing import Any

from vsys.dsl.datatypes import NIL, Pair, Symbol, from_list, is_list, is_string, pystr, to_list
from vsys.dsl.errors import wrong_type
from vsys.dsl.records import Field, FieldType, Record, RecordType

from .files import DirData, FileData, FileLike
from .packages import HOST_PATH, is_package
from .field_types import (BOOLEAN, FALSE, INTEGER, PACKAGE, PORT, POSITIVE, STRING,
                          STRING_LIST, STRING_OR_FALSE, either)

GUIX_MODULE = "gnu services ganeti"

# The daemons find `ip`, LVM, DRBD, Ceph... through PATH rather than absolute names:
# the host's, where its packages put them.
DAEMON_PATH = HOST_PATH
WCONFD_FORCE_NODE_HINT = "/var/lib/ganeti/guix_wconfd_force_node_hint"
DEFAULT_SSL_FILE = "/var/lib/ganeti/server.pem"
# The node's own certificate: gnt-cluster init or gnt-node add puts it there, and
# daemon-util (`check-config`) takes it as the sign that the node is in a cluster.
NODE_CERTIFICATE = "/var/lib/ganeti/server.pem"
# The cluster's enabled hypervisors, one a line (ganeti-kvmd exits when kvm is not one).
HYPERVISOR_LIST = "/var/lib/ganeti/ssconf_hypervisor_list"
# The program the supervisor gives its system to reach it (vsys/shepherd/herd_command.py).
HERD = "/run/vsys/herd"

# Debian's daemon-util: the user and group each daemon is started as (none: root).
DAEMON_USERS = {"noded": None, "mond": None, "kvmd": ("root", "gnt-daemons"),
                "confd": ("gnt-confd", "gnt-confd"), "wconfd": ("gnt-masterd", "gnt-confd"),
                "luxid": ("gnt-masterd", "gnt-luxid"), "rapi": ("gnt-rapi", "gnt-rapi"),
                "metad": ("gnt-metad", "gnt-metad")}
# Debian's postinst: its groups, and its users with their primary group (gnt-masterd's
# is gnt-confd: the postinst creates it with `--ingroup gnt-confd`) and other groups.
# One addition: gnt-rapi is in gnt-masterd too, to read the node's certificate, which
# Guix's RAPI uses by default (ssl-key, ssl-cert) and ensure-dirs gives that group.
GANETI_GROUPS = ("gnt-admin", "gnt-confd", "gnt-daemons", "gnt-luxid", "gnt-masterd",
                 "gnt-metad", "gnt-rapi")
GANETI_USERS = (("gnt-confd", "gnt-confd", ("gnt-daemons",)),
                ("gnt-masterd", "gnt-confd",
                 ("gnt-admin", "gnt-confd", "gnt-daemons", "gnt-masterd")),
                ("gnt-metad", "gnt-metad", ("gnt-daemons",)),
                ("gnt-rapi", "gnt-rapi", ("gnt-admin", "gnt-daemons", "gnt-masterd")))

ACTIVATION_DIRECTORIES = (
    "/var/log/ganeti", "/var/log/ganeti/kvm", "/var/log/ganeti/os",
    "/var/lib/ganeti/rapi", "/var/lib/ganeti/queue", "/var/lib/ganeti/queue/archive",
    "/var/run/ganeti/bdev-cache", "/var/run/ganeti/crypto", "/var/run/ganeti/socket",
    "/var/run/ganeti/instance-disks", "/var/run/ganeti/instance-reason",
    "/var/run/ganeti/livelocks")


def _package(name: str):
    from .packages import lookup_package
    return lookup_package(name)


def _ganeti_field(what: str = "this service") -> Field:
    return Field("ganeti", PACKAGE, thunk=lambda rec: _package("ganeti"), default_text="ganeti",
                 doc=f"The ganeti package to use for {what}.")


DEBUG_DOC = "When true, the daemon performs additional logging for debugging purposes."
DEBUG_SSL_DOC = (DEBUG_DOC + "  Note that this will leak encryption details to the log "
                 "files, use with caution.")
ADDRESS = FieldType("IP address (string)", is_string)
INTERFACE = either("network interface name (string) or #f", STRING, FALSE)
SCHEDULE = FieldType("mcron schedule (a Vixie cron string or an mcron time expression)",
                     lambda x: is_string(x) or type(x) is Pair)


def _ssl_fields(service: str) -> list[Field]:
    return [
        Field("ssl?", BOOLEAN, True,
              doc="Whether to use SSL/TLS to encrypt network communications.  The "
                  "certificate is automatically provisioned by the cluster and can be "
                  "rotated with gnt-cluster renew-crypto." if service == "noded" else
                  "Whether to use SSL/TLS encryption on the RAPI port."),
        Field("ssl-key", STRING, DEFAULT_SSL_FILE,
              doc="This can be used to provide a specific encryption key for TLS "
                  "communications."),
        Field("ssl-cert", STRING, DEFAULT_SSL_FILE,
              doc="This can be used to provide a specific certificate for TLS "
                  "communications."),
    ]


# --- the daemons' records ------------------------------------------------------------------

NODED = RecordType("ganeti-noded-configuration", [
    _ganeti_field(),
    Field("port", PORT, 1811,
          doc="The TCP port on which the node daemon listens for network requests."),
    Field("address", ADDRESS, "0.0.0.0",
          doc="The network address that the daemon will bind to.  The default address "
              "means bind to all available addresses."),
    Field("interface", INTERFACE, False,
          doc="When this is set, it must specify a specific network interface (e.g. eth0) "
              "that the daemon will bind to."),
    Field("max-clients", POSITIVE, 20,
          doc="This sets a limit on the maximum number of simultaneous client connections "
              "that the daemon will handle.  Connections above this count are accepted, "
              "but no responses are sent until enough connections have closed."),
    *_ssl_fields("noded"),
    Field("debug?", BOOLEAN, False, doc=DEBUG_SSL_DOC),
], doc="Configuration of ganeti-noded, the daemon responsible for the node-specific "
       "functions of the Ganeti system.")

CONFD = RecordType("ganeti-confd-configuration", [
    _ganeti_field(),
    Field("port", PORT, 1814,
          doc="The UDP port on which to listen for network requests."),
    Field("address", ADDRESS, "0.0.0.0", doc="Network address that the daemon will bind to."),
    Field("debug?", BOOLEAN, False, doc=DEBUG_DOC),
], doc="Configuration of ganeti-confd, which answers queries about the configuration of "
       "a Ganeti cluster.")

_VOTING_DOC = {
    "wconfd": "The daemon will refuse to start if the majority of cluster nodes do not "
              "agree that it is running on the master node.  Set to #t to start even if a "
              "quorum cannot be reached (dangerous, use with caution).",
    "luxid": "The daemon will refuse to start if it cannot verify that the majority of "
             "cluster nodes believes that it is running on the master node.  Set to #t to "
             "ignore such checks and start anyway (this can be dangerous).",
}

WCONFD = RecordType("ganeti-wconfd-configuration", [
    _ganeti_field(),
    Field("no-voting?", BOOLEAN, False, doc=_VOTING_DOC["wconfd"]),
    Field("debug?", BOOLEAN, False, doc=DEBUG_DOC),
], doc="Configuration of ganeti-wconfd, the daemon with authoritative knowledge of the "
       "cluster configuration; it only runs on the master node.")

LUXID = RecordType("ganeti-luxid-configuration", [
    _ganeti_field(),
    Field("no-voting?", BOOLEAN, False, doc=_VOTING_DOC["luxid"]),
    Field("debug?", BOOLEAN, False, doc=DEBUG_DOC),
], doc="Configuration of ganeti-luxid, which answers queries about the configuration and "
       "live state of the cluster and controls the job queue.")

RAPI = RecordType("ganeti-rapi-configuration", [
    _ganeti_field(),
    Field("require-authentication?", BOOLEAN, False,
          doc="Whether to require authentication even for read-only operations."),
    Field("port", PORT, 5080, doc="The TCP port on which to listen to API requests."),
    Field("address", ADDRESS, "0.0.0.0",
          doc="The network address that the service will bind to.  By default it listens "
              "on all configured addresses."),
    Field("interface", INTERFACE, False,
          doc="When set, it must specify a specific network interface such as eth0 that "
              "the daemon will bind to."),
    Field("max-clients", POSITIVE, 20,
          doc="The maximum number of simultaneous client requests to handle.  Further "
              "connections are allowed, but no responses are sent until enough "
              "connections have closed."),
    *_ssl_fields("rapi"),
    Field("debug?", BOOLEAN, False, doc=DEBUG_SSL_DOC),
], doc="Configuration of ganeti-rapi, the remote API of a Ganeti cluster; write operations "
       "need the users listed in /var/lib/ganeti/rapi/users.")

KVMD = RecordType("ganeti-kvmd-configuration", [
    _ganeti_field(),
    Field("debug?", BOOLEAN, False, doc=DEBUG_DOC),
], doc="Configuration of ganeti-kvmd, which tells whether a KVM instance was shut down by "
       "a user or an administrator.")

MOND = RecordType("ganeti-mond-configuration", [
    _ganeti_field(),
    Field("port", PORT, 1815, doc="The port on which the daemon will listen."),
    Field("address", ADDRESS, "0.0.0.0",
          doc="The network address that the daemon will bind to.  By default it binds to "
              "all available interfaces."),
    Field("debug?", BOOLEAN, False, doc=DEBUG_DOC),
], doc="Configuration of ganeti-mond, the optional monitoring daemon that runs the data "
       "collectors and publishes their data over HTTP.")

METAD = RecordType("ganeti-metad-configuration", [
    _ganeti_field(),
    Field("port", PORT, 80, doc="The port on which the daemon will listen."),
    Field("address", either("IP address (string) or #f", STRING, FALSE), False,
          doc="If set, the daemon will bind to this address only.  If left unset, the "
              "behavior depends on the cluster configuration."),
    Field("debug?", BOOLEAN, False, doc=DEBUG_DOC),
], doc="Configuration of ganeti-metad, the optional daemon passing cluster information "
       "to instances and OS install scripts.")

WATCHER = RecordType("ganeti-watcher-configuration", [
    _ganeti_field(),
    Field("schedule", SCHEDULE,
          thunk=lambda rec: _default_watcher_schedule(),
          default_text="'(next-second-from (next-minute (range 0 60 5)))",
          doc="How often to run the script.  The default is every five minutes."),
    Field("rapi-ip", STRING_OR_FALSE, False,
          doc="This option needs to be specified only if the RAPI daemon is configured to "
              "use a particular interface or address.  By default the cluster address is "
              "used."),
    Field("job-age", POSITIVE, 6 * 3600,
          doc="Archive cluster jobs older than this age, specified in seconds.  The "
              "default is 6 hours.  This keeps gnt-job list manageable."),
    Field("verify-disks?", BOOLEAN, True,
          doc="If this is #f, the watcher will not try to repair broken DRBD links "
              "automatically.  Administrators will need to use gnt-cluster verify-disks "
              "manually instead."),
    Field("debug?", BOOLEAN, False,
          doc="When #t, the script performs additional logging for debugging purposes."),
], doc="Configuration of ganeti-watcher, the periodic health check of the cluster: it "
       "restarts instances stopped without Ganeti's consent, repairs DRBD links, archives "
       "old jobs and restarts the Ganeti daemons that should run.")

CLEANER = RecordType("ganeti-cleaner-configuration", [
    _ganeti_field("the gnt-cleaner command"),
    Field("master-schedule", SCHEDULE, "45 1 * * *",
          doc="How often to run the master cleaning job.  The default is once per day, "
              "at 01:45:00."),
    Field("node-schedule", SCHEDULE, "45 2 * * *",
          doc="How often to run the node cleaning job.  The default is once per day, at "
              "02:45:00."),
], doc="Configuration of ganeti-cleaner: a job on the master node removing old cluster "
       "jobs, and one on every node removing expired X509 certificates, keys and stale "
       "ganeti-watcher data.")


def _default_watcher_schedule() -> Any:
    from vsys.dsl.reader import read_all
    return read_all("(next-second-from (next-minute (range 0 60 5)))", "<ganeti>")[0]


# --- OS providers ----------------------------------------------------------------------------

def _is_file_like(x: Any) -> bool:
    from .files import is_file_like
    return is_file_like(x)


FILE_LIKE = FieldType("file-like object", _is_file_like)


def _is_gexp(x: Any) -> bool:
    from .gexp import is_gexp
    return is_gexp(x)


def _variant_configuration(x: Any) -> bool:
    return _is_file_like(x) or (type(x) is Record and x.rtype is DEBOOTSTRAP)


OS_VARIANT = RecordType("ganeti-os-variant", [
    Field("name", STRING, doc="The name of this variant."),
    Field("configuration",
          FieldType("file-like object (or debootstrap-configuration)",
                    lambda x: _variant_configuration(x)),
          doc="A configuration file for this variant."),
], doc="A variant of a Ganeti OS provider: a name and its configuration file.")


def _is_variants(x: Any) -> bool:
    if _is_file_like(x):
        return True
    return is_list(x) and all(type(v) is Record and v.rtype is OS_VARIANT for v in to_list(x))


GANETI_OS = RecordType("ganeti-os", [
    Field("name", STRING,
          doc="The name of this OS provider.  It is only used to specify where the "
              "configuration ends up: \"debootstrap\" creates "
              "/etc/ganeti/instance-debootstrap."),
    Field("extension", STRING_OR_FALSE, False,
          doc="The file extension for variants of this OS type, for example .conf or "
              ".scm.  It is appended to the variant file name if set."),
    Field("variants", FieldType("list of ganeti-os-variant, or a file-like directory",
                                _is_variants), NIL,
          doc="Either a list of ganeti-os-variant objects for this OS, or a file-like "
              "object representing the variants directory (then variants.list is "
              "maintained by hand)."),
], doc="An OS provider Ganeti installs instances with, and its variants.")


def _is_hooks(x: Any) -> bool:
    if x is False or _is_file_like(x):
        return True
    return is_list(x) and all(type(h) is Pair and (type(h.car) is Symbol or is_string(h.car))
                              and _is_file_like(h.cdr) for h in to_list(x))


HOOKS = FieldType("#f, a file-like directory, or a list of (NAME . FILE-LIKE) pairs",
                  _is_hooks)
PARTITION_STYLE = FieldType("'msdos, 'none, a string, or #f",
                            lambda x: x is False or type(x) is Symbol or is_string(x))

DEBOOTSTRAP = RecordType("debootstrap-configuration", [
    Field("hooks", HOOKS, thunk=lambda rec: default_debootstrap_hooks(),
          default_text="%default-debootstrap-hooks",
          doc="When not #f, this must be a G-expression that specifies a directory with "
              "scripts that will run when the OS is installed.  It can also be a list of "
              "(NAME . FILE-LIKE) pairs, which makes a directory of executables named "
              "NAME run every time this variant is installed.  With #f, the scripts in "
              "/etc/ganeti/instance-debootstrap/hooks are used, if any."),
    Field("proxy", STRING_OR_FALSE, False, doc="Optional HTTP proxy to use."),
    Field("mirror", STRING_OR_FALSE, False,
          doc="The Debian mirror.  Typically something like "
              "http://ftp.no.debian.org/debian.  The default varies depending on the "
              "distribution."),
    Field("arch", STRING_OR_FALSE, False,
          doc="The dpkg architecture.  Set to armhf to debootstrap an ARMv7 instance on an "
              "AArch64 host.  The default is to use the current system architecture."),
    Field("suite", STRING_OR_FALSE, "stable",
          doc="When set, this must be a Debian distribution \"suite\" such as buster or "
              "focal.  If set to #f, the default for the OS provider is used."),
    Field("extra-pkgs", STRING_LIST,
          thunk=lambda rec: from_list(list(DEFAULT_DEBOOTSTRAP_EXTRA_PKGS)),
          default_text="%default-debootstrap-extra-pkgs",
          doc="List of extra packages that get installed by dpkg in addition to the "
              "minimal system."),
    Field("components", either("list of strings or #f", STRING_LIST, FALSE), NIL,
          doc="When set, must be a list of Debian repository \"components\".  For "
              "example '(\"main\" \"contrib\")."),
    Field("generate-cache?", BOOLEAN, True,
          doc="Whether to automatically cache the generated debootstrap archive."),
    Field("clean-cache", either("integer or #f", INTEGER, FALSE), 14,
          doc="Discard the cache after this amount of days.  Use #f to never clear the "
              "cache."),
    Field("partition-style", PARTITION_STYLE, Symbol("msdos"),
          doc="The type of partition to create.  When set, it must be 'msdos, 'none or a "
              "string."),
    Field("partition-alignment", either("integer or #f", INTEGER, FALSE), 2048,
          doc="Alignment of the partition in sectors."),
], doc="Configuration files for the debootstrap OS provider of Ganeti.")

DEFAULT_DEBOOTSTRAP_EXTRA_PKGS = ("acpi-support-base", "udev", "linux-image-amd64",
                                  "openssh-server", "locales-all", "grub-pc")

# Installs GRUB 2 in a freshly debootstrapped instance, with a serial console (the hook
# of ganeti-instance-debootstrap only knows GRUB legacy).
GRUB_HOOK = r"""#!/bin/sh
# Install GRUB 2 in the instance being created, with a serial console.
set -e
: "${TARGET:?}" "${BLOCKDEV:?}"

mounted=""
undo() {
  for m in $mounted; do umount "$m" || true; done
}
trap undo EXIT

for fs in proc sys dev; do
  case $fs in
    proc) mount -t proc proc "$TARGET/proc" ;;
    sys) mount -t sysfs sysfs "$TARGET/sys" ;;
    dev) mount -o bind /dev "$TARGET/dev" ;;
  esac
  mounted="$TARGET/$fs $mounted"
done

cat >> "$TARGET/etc/default/grub" <<'EOF'
GRUB_TIMEOUT_STYLE=menu
GRUB_CMDLINE_LINUX_DEFAULT="console=ttyS0,115200 net.ifnames=0"
GRUB_TERMINAL="serial"
GRUB_SERIAL_COMMAND="serial --unit=0 --speed=115200"
EOF

# The chroot needs the sbin directories to find grub-install and its helpers.
PATH="/usr/sbin:/usr/bin:/sbin:/bin:$PATH" chroot "$TARGET" grub-install "$BLOCKDEV"
PATH="/usr/sbin:/usr/bin:/sbin:/bin:$PATH" chroot "$TARGET" update-grub
"""


def debootstrap_interfaces_hook():
    from .files import file_append
    return file_append(_package("ganeti-instance-debootstrap"),
                       "/share/doc/ganeti-instance-debootstrap/examples/interfaces")


def debootstrap_grub_hook():
    from .files import plain_file
    return plain_file("grub", GRUB_HOOK)


def default_debootstrap_hooks() -> Any:
    return from_list([Pair(Symbol("10-interfaces"), debootstrap_interfaces_hook()),
                      Pair(Symbol("90-grub"), debootstrap_grub_hook())])


def hooks_directory(hooks: Any) -> Any:
    """The hooks as one directory: a file-like is used as is; an alist becomes a
    directory of executables named after its keys."""
    if hooks is False:
        return False
    if _is_file_like(hooks):
        return hooks
    entries = [(h.car.name if type(h.car) is Symbol else pystr(h.car), h.cdr)
               for h in to_list(hooks)]
    return executable_directory("debootstrap-hooks", entries)


def executable_directory(name: str, entries: list[tuple[str, Any]]) -> "ExecutableDirectory":
    return ExecutableDirectory(name, entries)


def _shell_value(text: str) -> str:
    # The variant file is sourced by sh: quote whatever is not a plain word.
    return shlex.quote(text)


def debootstrap_variant_parts(config) -> list:
    """The parts (strings and the hooks directory) of a debootstrap variant file."""
    parts: list = []

    def line(key: str, value: str) -> None:
        parts.append(f"{key}={_shell_value(value)}\n")

    for key, field in (("PROXY", "proxy"), ("MIRROR", "mirror"), ("ARCH", "arch"),
                       ("SUITE", "suite")):
        if config[field] is not False:
            line(key, pystr(config[field]))
    for key, field in (("EXTRA_PKGS", "extra-pkgs"), ("COMPONENTS", "components")):
        value = config[field]
        if value is not False and value is not NIL:
            line(key, ",".join(pystr(p) for p in to_list(value)))
    hooks = hooks_directory(config["hooks"])
    if hooks is not False:
        parts += ["CUSTOMIZE_DIR=", hooks, "\n"]
    parts.append(f"GENERATE_CACHE={'yes' if config['generate-cache?'] else 'no'}\n")
    if config["clean-cache"] is not False:
        parts.append(f"CLEAN_CACHE={config['clean-cache']}\n")
    style = config["partition-style"]
    if style is not False:
        line("PARTITION_STYLE", style.name if type(style) is Symbol else pystr(style))
    if config["partition-alignment"] is not False:
        parts.append(f"PARTITION_ALIGNMENT={config['partition-alignment']}\n")
    return parts


def debootstrap_variant_file(config, name: str = "debootstrap-variant"):
    from .files import mixed_text_file
    return mixed_text_file(name, *debootstrap_variant_parts(config))


def variant_file(variant) -> Any:
    conf = variant["configuration"]
    if type(conf) is Record and conf.rtype is DEBOOTSTRAP:
        return debootstrap_variant_file(conf, f"debootstrap-{pystr(variant['name'])}")
    return conf


def make_variant(name, configuration) -> Record:
    return OS_VARIANT.make({"name": name, "configuration": configuration})


def make_os(name: str, extension: str, variants) -> Record:
    return GANETI_OS.make({"name": name, "extension": extension, "variants": variants})


def debootstrap_variant(name, configuration):
    """(debootstrap-variant NAME CONFIGURATION): a ganeti-os-variant from a name and a
    debootstrap-configuration, or any file-like object holding such a variant file (as
    Guix accepts)."""
    if not _variant_configuration(configuration):
        raise wrong_type("debootstrap-variant", 2,
                         "debootstrap-configuration or file-like object", configuration)
    return make_variant(name, configuration)


def debootstrap_os(variants):
    """(debootstrap-os VARIANTS): the debootstrap OS provider with VARIANTS, made with
    debootstrap-variant."""
    return make_os("debootstrap", ".conf", variants)


def guix_variant(name, configuration):
    """(guix-variant NAME CONFIGURATION): a ganeti-os-variant for the Guix OS provider;
    CONFIGURATION is a file-like object holding a Guix system configuration."""
    return make_variant(name, configuration)


def guix_os(variants):
    """(guix-os VARIANTS): the Guix OS provider with VARIANTS, made with guix-variant."""
    return make_os("guix", ".scm", variants)


def default_debootstrap_variants():
    return from_list([debootstrap_variant("default", DEBOOTSTRAP.make())])


def default_guix_variants():
    from .files import file_append
    return from_list([guix_variant("default", file_append(
        _package("ganeti-instance-guix"),
        "/share/doc/ganeti-instance-guix/examples/dynamic.scm"))])


def default_ganeti_os():
    return from_list([debootstrap_os(default_debootstrap_variants()),
                      guix_os(default_guix_variants())])


# --- the whole ---------------------------------------------------------------------------------

def _record_of(rtype: RecordType) -> FieldType:
    return FieldType(rtype.name, lambda x: type(x) is Record and x.rtype is rtype)


_SUB_RECORDS = [("noded", NODED), ("confd", CONFD), ("wconfd", WCONFD), ("luxid", LUXID),
                ("rapi", RAPI), ("kvmd", KVMD), ("mond", MOND), ("metad", METAD),
                ("watcher", WATCHER), ("cleaner", CLEANER)]


def _is_os_list(x: Any) -> bool:
    return is_list(x) and all(type(o) is Record and o.rtype is GANETI_OS for o in to_list(x))


GANETI = RecordType("ganeti-configuration", [
    Field("ganeti", PACKAGE, thunk=lambda rec: _package("ganeti"), default_text="ganeti",
          doc="The ganeti package to use.  It will be installed to the system profile "
              "and make gnt-cluster, gnt-instance, etc. available.  Note that the value "
              "specified here does not affect the other services, as each refers to a "
              "specific ganeti package."),
    *[Field(f"{name}-configuration", _record_of(rtype),
            thunk=lambda rec, _t=rtype: _t.make(), default_text=f"({rtype.name})",
            doc=f"The configuration of ganeti-{name} (a {rtype.name}).")
      for name, rtype in _SUB_RECORDS],
    Field("file-storage-paths",
          either("list of strings, a file-like object or a gexp", STRING_LIST, FILE_LIKE,
                 FieldType("gexp", lambda x: _is_gexp(x))), NIL,
          doc="List of allowed directories for the file storage backend.  A file-like "
              "object (or a gexp naming a file) is installed as the file itself."),
    Field("hooks", either("file-like directory or #f", FILE_LIKE, FALSE), False,
          doc="When set, this should be a file-like object containing a directory with "
              "cluster execution hooks."),
    Field("os", FieldType("list of ganeti-os", _is_os_list),
          thunk=lambda rec: default_ganeti_os(), default_text="%default-ganeti-os",
          doc="List of ganeti-os records."),
], doc="Configuration of a Ganeti node: the package for the command line tools, the "
       "configuration of each daemon and periodic job, the allowed file storage paths "
       "and the OS providers for instances.")

RECORD_TYPES = [NODED, CONFD, WCONFD, LUXID, RAPI, KVMD, MOND, METAD, WATCHER, CLEANER,
                GANETI_OS, OS_VARIANT, DEBOOTSTRAP, GANETI]


# --- daemon command lines -------------------------------------------------------------------

def _flag(on: bool, *args: str) -> list[str]:
    return list(args) if on else []


def _ssl_args(c) -> list[str]:
    if c["ssl?"]:
        return [f"--ssl-key={pystr(c['ssl-key'])}", f"--ssl-cert={pystr(c['ssl-cert'])}"]
    return ["--no-ssl"]


def _interface(c) -> list[str]:
    return [] if c["interface"] is False else [f"--interface={pystr(c['interface'])}"]


def _voting(c) -> list[str]:
    return _flag(c["no-voting?"], "--no-voting", "--yes-do-it")


def _debug(c) -> list[str]:
    return _flag(c["debug?"], "--debug")


def daemon_arguments(daemon: str, c) -> list[str]:
    """The arguments after `ganeti/sbin/ganeti-DAEMON` (for wconfd, after its wrapper)."""
    if daemon == "noded":
        return ([f"--port={c['port']}", f"--bind={pystr(c['address'])}", *_interface(c),
                 f"--max-clients={c['max-clients']}", *_ssl_args(c), *_debug(c)])
    if daemon in ("confd", "mond"):
        return [f"--port={c['port']}", f"--bind={pystr(c['address'])}", *_debug(c)]
    if daemon in ("wconfd", "luxid"):
        return [*_voting(c), *_debug(c)]
    if daemon == "rapi":
        return ([*_flag(c["require-authentication?"], "--require-authentication"),
                 f"--port={c['port']}", f"--bind={pystr(c['address'])}", *_interface(c),
                 f"--max-clients={c['max-clients']}", *_ssl_args(c), *_debug(c)])
    if daemon == "kvmd":
        return _debug(c)
    if daemon == "metad":
        bind = [] if c["address"] is False else [f"--bind={pystr(c['address'])}"]
        return [f"--port={c['port']}", *bind, *_debug(c)]
    raise ValueError(f"unknown Ganeti daemon {daemon}")


def watcher_arguments(c) -> list[str]:
    rapi = [] if c["rapi-ip"] is False else [f"--rapi-ip={pystr(c['rapi-ip'])}"]
    return [*rapi, f"--job-age={c['job-age']}",
            *_flag(not c["verify-disks?"], "--no-verify-disks"), *_debug(c)]


def etc_ganeti_entries(config) -> list[tuple[str, Any]]:
    """/etc/ganeti as (relative path, file-like) entries."""
    from .files import plain_file
    entries: list[tuple[str, Any]] = []
    from .files import ComputedFile, FileUnion
    from .gexp import Output, gexp
    paths = config["file-storage-paths"]
    if _is_gexp(paths):
        # Guix links /etc/ganeti/file-storage-paths to the file the gexp names.
        paths = ComputedFile("file-storage-paths",
                             gexp([Symbol("symlink"), paths, Output()]))
    if _is_file_like(paths):
        entries.append(("file-storage-paths", paths))
    elif paths is not NIL:
        entries.append(("file-storage-paths", plain_file(
            "file-storage-paths", "\n".join(pystr(p) for p in to_list(paths)))))
    if config["hooks"] is not False:
        entries.append(("hooks", config["hooks"]))
    for os_ in to_list(config["os"]):
        name = pystr(os_["name"])
        ext = "" if os_["extension"] is False else pystr(os_["extension"])
        variants = os_["variants"]
        base = f"instance-{name}/variants"
        if _is_file_like(variants):
            entries.append((base, variants))
            continue
        variants = to_list(variants)
        if not variants:             # an empty variants/ directory, as Guix makes
            entries.append((base, FileUnion("variants", [])))
            continue
        names = [pystr(v["name"]) for v in variants]
        listing = plain_file("variants.list", "\n".join(names) + "\n")
        entries.append((f"{base}/variants.list", listing))
        # Debian's OS providers read the list one level up (their variants.list is a
        # link to /etc/ganeti/instance-NAME/variants.list).
        entries.append((f"instance-{name}/variants.list", listing))
        for v, vname in zip(variants, names):
            entries.append((f"{base}/{vname}{ext}", variant_file(v)))
    return entries


# --- executables --------------------------------------------------------------------------------

class ExecutableDirectory(FileLike):
    """A directory holding a copy of each file-like object, executable (debootstrap runs
    every executable of its hooks directory)."""

    kind = "executable-directory"

    def __init__(self, name: str, entries: list[tuple[str, Any]]):
        self.name = name
        self.entries = entries

    @property
    def is_directory(self) -> bool:
        return True

    def inputs(self) -> list:
        return [fl for _, fl in self.entries if not isinstance(fl, FileLike)]

    def produce(self, resolve) -> DirData:
        d = DirData()
        for entry, fl in self.entries:
            if isinstance(fl, FileLike):
                content = fl.produce(resolve)
            else:                       # a package's file: copied from the host
                with open(resolve(fl), "rb") as f:
                    content = FileData(f.read())
            if not isinstance(content, FileData):
                raise ValueError(f"{self.name}: {entry} is not a regular file")
            d.entries[entry] = FileData(content.data, executable=True)
        return d


# --- service types ---------------------------------------------------------------------------

DAEMONS = ("noded", "confd", "wconfd", "luxid", "rapi", "kvmd", "mond", "metad")
_NETWORK = ("noded", "confd", "rapi", "mond", "metad")
_DOCUMENTATION = {
    "noded": "Run the Ganeti node daemon.", "confd": "Run the Ganeti confd daemon.",
    "wconfd": "Run the Ganeti wconfd daemon.", "luxid": "Run the Ganeti LUXI daemon.",
    "rapi": "Run the Ganeti RAPI daemon.", "kvmd": "Run the Ganeti KVM daemon.",
    "mond": "Run the Ganeti monitoring daemon.", "metad": "Run the Ganeti metadata daemon.",
}


def next_step(daemon: str) -> str:
    """The message, for a double-quoted shell word (it names this host)."""
    return (f"ganeti-{daemon}: this node is in no Ganeti cluster yet ({NODE_CERTIFICATE} "
            f"is missing): to make it the master of a new cluster, run "
            f"'gnt-cluster init CLUSTER-NAME' here; to add it to a cluster, run "
            f"'gnt-node add $(hostname)' on that cluster's master")


def wrapper_lines(ganeti, daemon: str, args: list[str]) -> list:
    """The shell script that runs ganeti-DAEMON with ARGS, once the node is in a cluster
    (before that every daemon fails, each in its own words; this says what to do); wconfd
    on a node becoming master (the force-node hint exists) is forced to start without a
    vote first.  Its parts are text and file-likes."""
    from .files import file_append
    program = file_append(ganeti, f"/sbin/ganeti-{daemon}")
    rest = "".join(" " + shlex.quote(a) for a in args)
    # The supervisor names a missing program's package only when it runs it directly:
    # the wrapper says it itself, and the supervisor shows what it printed.
    provider = (ganeti.locate(f"/sbin/ganeti-{daemon}").provider if is_package(ganeti)
                else None)
    install = f"; install the host package {provider}" if provider else ""
    lines = ["if [ ! -x ", program, " ]; then\n",
             "  echo '", program, f": no such program{install}' >&2\n",
             "  exit 127\n",
             "fi\n",
             f"if [ ! -e {NODE_CERTIFICATE} ]; then\n",
             f'  echo "{next_step(daemon)}" >&2\n',
             "  exit 1\n",
             "fi\n"]
    if daemon == "kvmd":            # it would start, find nothing to do and exit
        lines += [f"if ! grep -qx kvm {HYPERVISOR_LIST} 2>/dev/null; then\n",
                  "  echo 'ganeti-kvmd: KVM is not an enabled hypervisor of this cluster "
                  f"({HYPERVISOR_LIST}): it has nothing to do' >&2\n",
                  "  exit 1\n",
                  "fi\n"]
    if daemon == "wconfd":
        lines += [f"if [ -e {WCONFD_FORCE_NODE_HINT} ]; then\n",
                  "  exec ", program, f" --force-node --no-voting --yes-do-it{rest}\n",
                  "fi\n"]
    return lines + ["exec ", program, f"{rest}\n"]


def daemon_argv(ganeti, daemon: str, args: list[str]) -> list:
    """The wrapper as `/bin/sh -c SCRIPT ganeti-DAEMON`: the daemon's user runs it, and
    that user may not reach the store (the state directory may be private)."""
    return ["/bin/sh", "-c", Pair(Symbol("string-append"),
                                  from_list(wrapper_lines(ganeti, daemon, args))),
            f"ganeti-{daemon}"]


def force_start_action() -> Any:
    """`herd force-start ganeti-wconfd`: create the hint, restart wconfd, delete the hint:
    `(make-force-start-action HINT-FILE)`."""
    from .gexp import gexp
    from .shepherd import shepherd_action
    return shepherd_action("force-start", gexp([Symbol("make-force-start-action"),
                                                WCONFD_FORCE_NODE_HINT]),
                           "Forcefully start wconfd even on non-master nodes (dangerous!).")


ENSURE_DIRS_LOCK = "/run/ganeti-ensure-dirs.lock"


def daemon_shepherd_service(daemon: str, config, requires: list[str] = ()) -> Record:
    """Ganeti's ensure-dirs first (the ownership of its directories, for the daemon's
    user), then the daemon as that user:
    `(lambda args (system* ENSURE-DIRS) (apply (make-forkexec-constructor ...) args))`."""
    from .files import file_append
    from .gexp import gexp
    from .shepherd import forkexec, kill_destructor, shepherd_service
    argv = daemon_argv(config["ganeti"], daemon, daemon_arguments(daemon, config))
    env = None if daemon in ("mond", "metad") else [f"PATH={DAEMON_PATH}"]
    user, group = DAEMON_USERS[daemon] or (None, None)
    start = forkexec(argv, environment=env, user=user, group=group,
                     pid_file=f"/var/run/ganeti/ganeti-{daemon}.pid")
    args = Symbol("args")
    return shepherd_service(
        documentation=_DOCUMENTATION[daemon], provision=[f"ganeti-{daemon}"],
        requirement=(["user-processes", "networking"] if daemon in _NETWORK
                     else ["user-processes"]) + list(requires),
        respawn=False, auto_start=daemon != "metad",
        # ensure-dirs of daemons starting at once race on the same directories (one
        # fails on a directory another has just made): they take turns under flock.
        start=gexp([Symbol("lambda"), args,
                    [Symbol("system*"), file_append(_package("util-linux"), "/bin/flock"),
                     ENSURE_DIRS_LOCK, file_append(config["ganeti"],
                                                   "/lib/ganeti/ensure-dirs")],
                    [Symbol("apply"), start, args]]),
        stop=kill_destructor(),
        actions=[force_start_action()] if daemon == "wconfd" else [])


def ganeti_accounts(config) -> Any:
    from .files import file_append
    from .system import user_account, user_group
    groups = [user_group(name=g, system=True) for g in GANETI_GROUPS]
    users = [user_account(name=name, group=group, supplementary_groups=list(others),
                          system=True, comment="Ganeti daemon",
                          home_directory="/var/lib/ganeti", create_home_directory=False,
                          shell=file_append(_package("shadow"), "/sbin/nologin"))
             for name, group, others in GANETI_USERS]
    return from_list(groups + users)


def daemon_claims(daemon: str, config) -> list:
    from .network_ports import Claim
    if daemon not in _NETWORK:
        return []
    address = "0.0.0.0" if config["address"] is False else pystr(config["address"])
    return [Claim("udp" if daemon == "confd" else "tcp", address, config["port"],
                  f"ganeti-{daemon}", config.loc)]


def watcher_jobs(config) -> list:
    from .files import file_append
    from .mcron import mcron_job
    return [mcron_job(config["schedule"],
                      _run([file_append(config["ganeti"], "/sbin/ganeti-watcher"),
                            *watcher_arguments(config)]), name="ganeti-watcher")]


def _run(argv: list) -> Any:
    """`(lambda () (system* ARG ...))`: a job's command, run without a shell."""
    from .gexp import gexp
    return gexp([Symbol("lambda"), NIL, [Symbol("system*"), *argv]])


def cleaner_jobs(config) -> list:
    from .files import file_append
    from .mcron import mcron_job
    cleaner = file_append(config["ganeti"], "/sbin/ganeti-cleaner")
    return [mcron_job(config["master-schedule"], _run([cleaner, "master"]),
                      name="ganeti master cleaner"),
            mcron_job(config["node-schedule"], _run([cleaner, "node"]),
                      name="ganeti node cleaner")]


def _sub(config, daemon: str):
    return config[f"{daemon}-configuration"]


def ganeti_shepherd_services(config) -> Any:
    """The daemons of a node, in the order Ganeti's daemon-util starts them: wconfd
    asks the other nodes' noded whether it is master (its own noded included) and luxid
    reads the configuration from wconfd, each waiting past the supervisor's patience
    when started before."""
    return from_list([daemon_shepherd_service(d, _sub(config, d), _AFTER.get(d, []))
                      for d in DAEMONS])


_AFTER = {"wconfd": ["ganeti-noded"], "luxid": ["ganeti-wconfd"]}


def ganeti_jobs(config) -> Any:
    return from_list(watcher_jobs(_sub(config, "watcher")) + cleaner_jobs(_sub(config, "cleaner")))


def ganeti_claims(config) -> Any:
    return from_list([c for d in DAEMONS for c in daemon_claims(d, _sub(config, d))])


def version_links(ganeti) -> list[tuple[str, Any]]:
    """/etc/ganeti/lib and /etc/ganeti/share: Debian installs each Ganeti version under
    /usr/lib/ganeti/X.Y and /usr/share/ganeti/X.Y, and its programs are links through
    these two (its postinst makes them)."""
    import re
    from .files import file_append
    versions = [m.group(1) for d in getattr(ganeti, "debian", ())
                for m in [re.fullmatch(r"ganeti-(\d+\.\d+)", d)] if m]
    if not versions:
        return []
    return [(part, file_append(ganeti, f"/{part}/ganeti/{versions[0]}"))
            for part in ("lib", "share")]


# daemon-util's actions that start, stop or check daemons, and how each goes to herd.
_DAEMON_UTIL_HOOK = f"""\
# Read by Ganeti's daemon-util (bash) before it acts.  The Ganeti daemons of this system
# run under vsys's supervisor, so daemon-util's requests to start, stop or check them
# (from ganeti-watcher and the gnt-* commands) go to it: `herd status` stays true.
# The daemons' arguments come from the system's configuration, not from *_ARGS here.
vsys_herd={HERD}
vsys_idle() {{       # ganeti-kvmd without KVM exits at once, content: so do we
  [ "$1" = ganeti-kvmd ] && ! grep -qx kvm {HYPERVISOR_LIST} 2>/dev/null
}}
vsys_check() {{
  vsys_idle "$1" || "$vsys_herd" status "$1" 2>/dev/null | grep -q '^  It is running since'
}}
vsys_start() {{
  vsys_check "$1" || "$vsys_herd" start "$1" >/dev/null
}}
vsys_stop() {{
  "$vsys_herd" stop "$1" >/dev/null
}}
vsys_each() {{
  local action=$1 name; shift
  for name in "$@"; do "$action" "$name" || return 1; done
}}
vsys_daemon_util() {{
  if [ ! -x "$vsys_herd" ]; then
    echo "daemon-util: $vsys_herd is missing: the vsys supervisor of this system is" \
         "not running" >&2
    return 1
  fi
  case "$1" in
    start|check-and-start) vsys_start "$2" ;;
    stop) vsys_stop "$2" ;;
    check) vsys_check "$2" ;;
    start-all) vsys_each vsys_start "${{DAEMONS[@]}}" ;;
    stop-all) vsys_each vsys_stop $(printf '%s\n' "${{ALL_DAEMONS[@]}}" | tac) ;;
    start-master) vsys_each vsys_start ganeti-wconfd ganeti-rapi ganeti-luxid ;;
    stop-master) vsys_each vsys_stop ganeti-luxid ganeti-rapi ganeti-wconfd ;;
  esac
}}
case "${{1:-}}" in
  start|stop|check|check-and-start|start-all|stop-all|start-master|stop-master)
    vsys_daemon_util "$@"
    exit $?
    ;;
esac
"""


def ganeti_etc(config) -> Any:
    from .files import file_union, plain_file
    entries = etc_ganeti_entries(config) + version_links(config["ganeti"])
    return from_list([from_list(["ganeti", file_union("etc-ganeti", entries)]),
                      from_list(["default/ganeti", plain_file("ganeti-defaults",
                                                              _DAEMON_UTIL_HOOK)])])


def daemon_etc(config) -> Any:
    """What a Ganeti daemon's service type needs in /etc on its own."""
    from .files import file_union, plain_file
    return from_list([from_list(["ganeti", file_union("etc-ganeti",
                                                      version_links(config["ganeti"]))]),
                      from_list(["default/ganeti", plain_file("ganeti-defaults",
                                                              _DAEMON_UTIL_HOOK)])])


def ganeti_activation(config) -> Any:
    from .activation_steps import directory_step
    return from_list([directory_step(d) for d in ACTIVATION_DIRECTORIES])


MODULE_NAME = "(gnu services ganeti)"

_DESCRIPTIONS = {
    "noded": "ganeti-noded is the daemon responsible for the node functions in the Ganeti "
             "system.",
    "confd": "ganeti-confd answers queries related to the configuration of a Ganeti "
             "cluster.",
    "wconfd": "ganeti-wconfd is the daemon with authoritative knowledge about the cluster "
              "configuration and the only entity that can accept changes to it.",
    "luxid": "ganeti-luxid answers queries related to the configuration and the live "
             "state of a Ganeti cluster, and controls the job queue.",
    "rapi": "ganeti-rapi provides a remote API for Ganeti clusters.",
    "kvmd": "ganeti-kvmd determines whether a KVM instance was shut down by a user or an "
            "administrator.",
    "mond": "ganeti-mond provides monitoring: it runs the data collectors and publishes "
            "their data over HTTP.",
    "metad": "ganeti-metad passes cluster information to instances and OS install "
             "scripts.",
    "watcher": "ganeti-watcher periodically checks the health of the cluster and repairs "
               "what it can.",
    "cleaner": "ganeti-cleaner periodically removes old files from the cluster.",
}


def make_service_types() -> dict[str, Any]:
    from .mcron import mcron_service_type
    from .network_ports import network_ports_service_type as ports
    from .services import ServiceExtension as Ext, ServiceType
    from .shepherd import shepherd_root_service_type as shepherd
    from .system import (account_service_type, activation_service_type, etc_service_type,
                         profile_service_type)
    t: dict[str, Any] = {}
    records = dict(_SUB_RECORDS)
    for d in DAEMONS:
        t[d] = ServiceType(f"ganeti-{d}", [
            Ext(shepherd, lambda c, _d=d: from_list([daemon_shepherd_service(_d, c)])),
            Ext(account_service_type, ganeti_accounts),
            Ext(etc_service_type, daemon_etc),
            Ext(ports, lambda c, _d=d: from_list(daemon_claims(_d, c)))],
            default_value=records[d].make(), description=_DESCRIPTIONS[d],
            module=MODULE_NAME)
    t["watcher"] = ServiceType("ganeti-watcher", [
        Ext(mcron_service_type, lambda c: from_list(watcher_jobs(c)))],
        default_value=WATCHER.make(), description=_DESCRIPTIONS["watcher"],
        module=MODULE_NAME)
    t["cleaner"] = ServiceType("ganeti-cleaner", [
        Ext(mcron_service_type, lambda c: from_list(cleaner_jobs(c)))],
        default_value=CLEANER.make(), description=_DESCRIPTIONS["cleaner"],
        module=MODULE_NAME)
    t["ganeti"] = ServiceType("ganeti", [
        Ext(activation_service_type, ganeti_activation),
        Ext(account_service_type, ganeti_accounts),
        Ext(shepherd, ganeti_shepherd_services),
        Ext(etc_service_type, ganeti_etc),
        Ext(profile_service_type, lambda c: from_list([c["ganeti"]])),
        Ext(mcron_service_type, ganeti_jobs),
        Ext(ports, ganeti_claims)],
        default_value=GANETI.make(),
        description="Ganeti is a family of services that run on a fleet of machines and "
                    "make deploying and maintaining virtual servers (instances) easy: it "
                    "can migrate instances between nodes, restart failed instances, "
                    "evacuate nodes, and much more.", module=MODULE_NAME)
    return t


# --- the Guix module ----------------------------------------------------------------------

_TYPES: dict[str, Any] = {}


def service_types() -> dict[str, Any]:
    if not _TYPES:
        _TYPES.update(make_service_types())
    return _TYPES


def __getattr__(name: str) -> Any:
    if name.endswith("_service_type"):
        key = name[:-len("_service_type")].replace("_", "-")
        key = key[len("ganeti-"):] if key.startswith("ganeti-") else key
        if key in service_types():
            return service_types()[key]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def install(module) -> None:
    """Fill (gnu services ganeti)."""
    from vsys.dsl.procedures import make_primitive
    from vsys.dsl.records import install_record_type
    for rtype in RECORD_TYPES:
        install_record_type(module, rtype)
    d = module.define
    for key, t in service_types().items():
        d(Symbol("ganeti-service-type" if key == "ganeti" else f"ganeti-{key}-service-type"),
          t, True)
    for fn in (debootstrap_variant, debootstrap_os, guix_variant, guix_os):
        name = fn.__name__.replace("_", "-")
        d(Symbol(name), make_primitive(name, fn), True)
    d(Symbol("%debootstrap-interfaces-hook"), debootstrap_interfaces_hook(), True)
    d(Symbol("%debootstrap-grub-hook"), debootstrap_grub_hook(), True)
    d(Symbol("%default-debootstrap-hooks"), default_debootstrap_hooks(), True)
    d(Symbol("%default-debootstrap-extra-pkgs"),
      from_list(list(DEFAULT_DEBOOTSTRAP_EXTRA_PKGS)), True)
    d(Symbol("%default-debootstrap-variants"), default_debootstrap_variants(), True)
    d(Symbol("%default-guix-variants"), default_guix_variants(), True)
    d(Symbol("%default-ganeti-os"), default_ganeti_os(), True)


from vsys.dsl.modules import register_builtin  # noqa: E402  (after install is defined)

register_builtin(GUIX_MODULE, install)
