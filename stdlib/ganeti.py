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

import re
import shlex
from typing import Any

from vsys.dsl.datatypes import NIL, Pair, Symbol, from_list, is_list, is_string, pystr, to_list
from vsys.dsl.reader import read_all
from vsys.dsl.records import Field, FieldType, Record, RecordType

from . import ganeti_os
from .accounts import user_account, user_group
from .activation_steps import directory_step
from .configuration import configuration, field, install_configurations
from .field_types import (
    BOOLEAN,
    FALSE,
    FILE_LIKE,
    GEXP,
    ONE_LINE_LIST,
    PACKAGE,
    PORT,
    POSITIVE,
    STRING,
    STRING_OR_FALSE,
    either,
    record_of,
)
from .files import ComputedFile, FileUnion, file_append, file_union, is_file_like, plain_file
from .ganeti_os import DEBOOTSTRAP, GANETI_OS, OS_VARIANT, default_ganeti_os, variant_file
from .gexp import Output, gexp, is_gexp
from .mcron import mcron_job, mcron_service_type
from .network_ports import Claim, network_ports_service_type
from .packages import HOST_PATH, is_package, lookup_package
from .services import ServiceExtension, ServiceType
from .shepherd import (
    forkexec,
    kill_destructor,
    shepherd_action,
    shepherd_root_service_type,
    shepherd_service,
)
from .system_services import (
    account_service_type,
    activation_service_type,
    etc_service_type,
    profile_service_type,
)

MODULE_NAME = "(gnu services ganeti)"

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


def _ganeti_field(what: str = "this service") -> Field:
    return field("ganeti", PACKAGE, package="ganeti",
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
        field("ssl?", BOOLEAN, True,
              doc="Whether to use SSL/TLS to encrypt network communications.  The "
                  "certificate is automatically provisioned by the cluster and can be "
                  "rotated with gnt-cluster renew-crypto." if service == "noded" else
                  "Whether to use SSL/TLS encryption on the RAPI port."),
        field("ssl-key", STRING, DEFAULT_SSL_FILE,
              doc="This can be used to provide a specific encryption key for TLS "
                  "communications."),
        field("ssl-cert", STRING, DEFAULT_SSL_FILE,
              doc="This can be used to provide a specific certificate for TLS "
                  "communications."),
    ]


# --- what the daemons share ------------------------------------------------------------

DAEMONS = ("noded", "confd", "wconfd", "luxid", "rapi", "kvmd", "mond", "metad")
_NETWORK = ("noded", "confd", "rapi", "mond", "metad")
_DOCUMENTATION = {
    "noded": "Run the Ganeti node daemon.", "confd": "Run the Ganeti confd daemon.",
    "wconfd": "Run the Ganeti wconfd daemon.", "luxid": "Run the Ganeti LUXI daemon.",
    "rapi": "Run the Ganeti RAPI daemon.", "kvmd": "Run the Ganeti KVM daemon.",
    "mond": "Run the Ganeti monitoring daemon.", "metad": "Run the Ganeti metadata daemon.",
}


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
    return shepherd_action("force-start", gexp([Symbol("make-force-start-action"),
                                                WCONFD_FORCE_NODE_HINT]),
                           "Forcefully start wconfd even on non-master nodes (dangerous!).")


ENSURE_DIRS_LOCK = "/run/ganeti-ensure-dirs.lock"


def daemon_shepherd_service(daemon: str, config, requires: list[str] = ()) -> Record:
    """Ganeti's ensure-dirs first (the ownership of its directories, for the daemon's
    user), then the daemon as that user:
    `(lambda args (system* ENSURE-DIRS) (apply (make-forkexec-constructor ...) args))`."""
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
                    [Symbol("system*"), file_append(lookup_package("util-linux"), "/bin/flock"),
                     ENSURE_DIRS_LOCK, file_append(config["ganeti"],
                                                   "/lib/ganeti/ensure-dirs")],
                    [Symbol("apply"), start, args]]),
        stop=kill_destructor(),
        actions=[force_start_action()] if daemon == "wconfd" else [])


def ganeti_accounts(config) -> Any:
    groups = [user_group(name=g, system=True) for g in GANETI_GROUPS]
    users = [user_account(name=name, group=group, supplementary_groups=list(others),
                          system=True, comment="Ganeti daemon",
                          home_directory="/var/lib/ganeti", create_home_directory=False,
                          shell=file_append(lookup_package("shadow"), "/sbin/nologin"))
             for name, group, others in GANETI_USERS]
    return from_list(groups + users)


def daemon_claims(daemon: str, config) -> list:
    if daemon not in _NETWORK:
        return []
    address = "0.0.0.0" if config["address"] is False else pystr(config["address"])
    return [Claim("udp" if daemon == "confd" else "tcp", address, config["port"],
                  f"ganeti-{daemon}", config.loc)]


def version_links(ganeti) -> list[tuple[str, Any]]:
    """/etc/ganeti/lib and /etc/ganeti/share: Debian installs each Ganeti version under
    /usr/lib/ganeti/X.Y and /usr/share/ganeti/X.Y, and its programs are links through
    these two (its postinst makes them)."""
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


def daemon_etc(config) -> Any:
    """What a Ganeti daemon's service type needs in /etc on its own."""
    return from_list([from_list(["ganeti", file_union("etc-ganeti",
                                                      version_links(config["ganeti"]))]),
                      from_list(["default/ganeti", plain_file("ganeti-defaults",
                                                              _DAEMON_UTIL_HOOK)])])


def daemon_service_type(daemon: str, record: RecordType, description: str) -> ServiceType:
    """The service type running ganeti-DAEMON alone, configured by a RECORD."""
    return ServiceType(f"ganeti-{daemon}", [
        ServiceExtension(shepherd_root_service_type,
                         lambda c: from_list([daemon_shepherd_service(daemon, c)])),
        ServiceExtension(account_service_type, ganeti_accounts),
        ServiceExtension(etc_service_type, daemon_etc),
        ServiceExtension(network_ports_service_type,
                         lambda c: from_list(daemon_claims(daemon, c)))],
        default_value=record.make(), description=description, module=MODULE_NAME)


# --- ganeti-noded -------------------------------------------------------------------------

NODED = configuration("ganeti-noded-configuration", MODULE_NAME, [
    _ganeti_field(),
    field("port", PORT, 1811,
          doc="The TCP port on which the node daemon listens for network requests."),
    field("address", ADDRESS, "0.0.0.0",
          doc="The network address that the daemon will bind to.  The default address "
              "means bind to all available addresses."),
    field("interface", INTERFACE, False,
          doc="When this is set, it must specify a specific network interface (e.g. eth0) "
              "that the daemon will bind to."),
    field("max-clients", POSITIVE, 20,
          doc="This sets a limit on the maximum number of simultaneous client connections "
              "that the daemon will handle.  Connections above this count are accepted, "
              "but no responses are sent until enough connections have closed."),
    *_ssl_fields("noded"),
    field("debug?", BOOLEAN, False, doc=DEBUG_SSL_DOC),
], doc="Configuration of ganeti-noded, the daemon responsible for the node-specific "
       "functions of the Ganeti system.")


def _noded_arguments(c) -> list[str]:
    return [f"--port={c['port']}", f"--bind={pystr(c['address'])}", *_interface(c),
            f"--max-clients={c['max-clients']}", *_ssl_args(c), *_debug(c)]


ganeti_noded_service_type = daemon_service_type(
    "noded", NODED,
    "ganeti-noded is the daemon responsible for the node functions in the "
    "Ganeti system.")


# --- ganeti-confd -------------------------------------------------------------------------

CONFD = configuration("ganeti-confd-configuration", MODULE_NAME, [
    _ganeti_field(),
    field("port", PORT, 1814,
          doc="The UDP port on which to listen for network requests."),
    field("address", ADDRESS, "0.0.0.0", doc="Network address that the daemon will bind to."),
    field("debug?", BOOLEAN, False, doc=DEBUG_DOC),
], doc="Configuration of ganeti-confd, which answers queries about the configuration of "
       "a Ganeti cluster.")


def _confd_arguments(c) -> list[str]:
    return [f"--port={c['port']}", f"--bind={pystr(c['address'])}", *_debug(c)]


ganeti_confd_service_type = daemon_service_type(
    "confd", CONFD,
    "ganeti-confd answers queries related to the configuration of a Ganeti "
    "cluster.")


# --- ganeti-wconfd ------------------------------------------------------------------------

_VOTING_DOC = {
    "wconfd": "The daemon will refuse to start if the majority of cluster nodes do not "
              "agree that it is running on the master node.  Set to #t to start even if a "
              "quorum cannot be reached (dangerous, use with caution).",
    "luxid": "The daemon will refuse to start if it cannot verify that the majority of "
             "cluster nodes believes that it is running on the master node.  Set to #t to "
             "ignore such checks and start anyway (this can be dangerous).",
}

WCONFD = configuration("ganeti-wconfd-configuration", MODULE_NAME, [
    _ganeti_field(),
    field("no-voting?", BOOLEAN, False, doc=_VOTING_DOC["wconfd"]),
    field("debug?", BOOLEAN, False, doc=DEBUG_DOC),
], doc="Configuration of ganeti-wconfd, the daemon with authoritative knowledge of the "
       "cluster configuration; it only runs on the master node.")


def _wconfd_arguments(c) -> list[str]:
    return [*_voting(c), *_debug(c)]


ganeti_wconfd_service_type = daemon_service_type(
    "wconfd", WCONFD,
    "ganeti-wconfd is the daemon with authoritative knowledge about the cluster "
    "configuration and the only entity that can accept changes to it.")


# --- ganeti-luxid -------------------------------------------------------------------------

LUXID = configuration("ganeti-luxid-configuration", MODULE_NAME, [
    _ganeti_field(),
    field("no-voting?", BOOLEAN, False, doc=_VOTING_DOC["luxid"]),
    field("debug?", BOOLEAN, False, doc=DEBUG_DOC),
], doc="Configuration of ganeti-luxid, which answers queries about the configuration and "
       "live state of the cluster and controls the job queue.")


def _luxid_arguments(c) -> list[str]:
    return [*_voting(c), *_debug(c)]


ganeti_luxid_service_type = daemon_service_type(
    "luxid", LUXID,
    "ganeti-luxid answers queries related to the configuration and the live "
    "state of a Ganeti cluster, and controls the job queue.")


# --- ganeti-rapi --------------------------------------------------------------------------

RAPI = configuration("ganeti-rapi-configuration", MODULE_NAME, [
    _ganeti_field(),
    field("require-authentication?", BOOLEAN, False,
          doc="Whether to require authentication even for read-only operations."),
    field("port", PORT, 5080, doc="The TCP port on which to listen to API requests."),
    field("address", ADDRESS, "0.0.0.0",
          doc="The network address that the service will bind to.  By default it listens "
              "on all configured addresses."),
    field("interface", INTERFACE, False,
          doc="When set, it must specify a specific network interface such as eth0 that "
              "the daemon will bind to."),
    field("max-clients", POSITIVE, 20,
          doc="The maximum number of simultaneous client requests to handle.  Further "
              "connections are allowed, but no responses are sent until enough "
              "connections have closed."),
    *_ssl_fields("rapi"),
    field("debug?", BOOLEAN, False, doc=DEBUG_SSL_DOC),
], doc="Configuration of ganeti-rapi, the remote API of a Ganeti cluster; write operations "
       "need the users listed in /var/lib/ganeti/rapi/users.")


def _rapi_arguments(c) -> list[str]:
    return [*_flag(c["require-authentication?"], "--require-authentication"),
            f"--port={c['port']}", f"--bind={pystr(c['address'])}", *_interface(c),
            f"--max-clients={c['max-clients']}", *_ssl_args(c), *_debug(c)]


ganeti_rapi_service_type = daemon_service_type(
    "rapi", RAPI,
    "ganeti-rapi provides a remote API for Ganeti clusters.")


# --- ganeti-kvmd --------------------------------------------------------------------------

KVMD = configuration("ganeti-kvmd-configuration", MODULE_NAME, [
    _ganeti_field(),
    field("debug?", BOOLEAN, False, doc=DEBUG_DOC),
], doc="Configuration of ganeti-kvmd, which tells whether a KVM instance was shut down by "
       "a user or an administrator.")


def _kvmd_arguments(c) -> list[str]:
    return _debug(c)


ganeti_kvmd_service_type = daemon_service_type(
    "kvmd", KVMD,
    "ganeti-kvmd determines whether a KVM instance was shut down by a user or "
    "an administrator.")


# --- ganeti-mond --------------------------------------------------------------------------

MOND = configuration("ganeti-mond-configuration", MODULE_NAME, [
    _ganeti_field(),
    field("port", PORT, 1815, doc="The port on which the daemon will listen."),
    field("address", ADDRESS, "0.0.0.0",
          doc="The network address that the daemon will bind to.  By default it binds to "
              "all available interfaces."),
    field("debug?", BOOLEAN, False, doc=DEBUG_DOC),
], doc="Configuration of ganeti-mond, the optional monitoring daemon that runs the data "
       "collectors and publishes their data over HTTP.")


def _mond_arguments(c) -> list[str]:
    return [f"--port={c['port']}", f"--bind={pystr(c['address'])}", *_debug(c)]


ganeti_mond_service_type = daemon_service_type(
    "mond", MOND,
    "ganeti-mond provides monitoring: it runs the data collectors and publishes "
    "their data over HTTP.")


# --- ganeti-metad -------------------------------------------------------------------------

METAD = configuration("ganeti-metad-configuration", MODULE_NAME, [
    _ganeti_field(),
    field("port", PORT, 80, doc="The port on which the daemon will listen."),
    field("address", either("IP address (string) or #f", STRING, FALSE), False,
          doc="If set, the daemon will bind to this address only.  If left unset, the "
              "behavior depends on the cluster configuration."),
    field("debug?", BOOLEAN, False, doc=DEBUG_DOC),
], doc="Configuration of ganeti-metad, the optional daemon passing cluster information "
       "to instances and OS install scripts.")


def _metad_arguments(c) -> list[str]:
    bind = [] if c["address"] is False else [f"--bind={pystr(c['address'])}"]
    return [f"--port={c['port']}", *bind, *_debug(c)]


ganeti_metad_service_type = daemon_service_type(
    "metad", METAD,
    "ganeti-metad passes cluster information to instances and OS install "
    "scripts.")


_ARGUMENTS = {"noded": _noded_arguments, "confd": _confd_arguments,
              "wconfd": _wconfd_arguments, "luxid": _luxid_arguments,
              "rapi": _rapi_arguments, "kvmd": _kvmd_arguments, "mond": _mond_arguments,
              "metad": _metad_arguments}


def daemon_arguments(daemon: str, c) -> list[str]:
    """The arguments after `ganeti/sbin/ganeti-DAEMON` (for wconfd, after its wrapper)."""
    if daemon not in _ARGUMENTS:
        raise ValueError(f"unknown Ganeti daemon {daemon}")
    return _ARGUMENTS[daemon](c)


# --- ganeti-watcher -----------------------------------------------------------------------

WATCHER = configuration("ganeti-watcher-configuration", MODULE_NAME, [
    _ganeti_field(),
    field("schedule", SCHEDULE,
          thunk=lambda rec: _default_watcher_schedule(),
          default_text="'(next-second-from (next-minute (range 0 60 5)))",
          doc="How often to run the script.  The default is every five minutes."),
    field("rapi-ip", STRING_OR_FALSE, False,
          doc="This option needs to be specified only if the RAPI daemon is configured to "
              "use a particular interface or address.  By default the cluster address is "
              "used."),
    field("job-age", POSITIVE, 6 * 3600,
          doc="Archive cluster jobs older than this age, specified in seconds.  The "
              "default is 6 hours.  This keeps gnt-job list manageable."),
    field("verify-disks?", BOOLEAN, True,
          doc="If this is #f, the watcher will not try to repair broken DRBD links "
              "automatically.  Administrators will need to use gnt-cluster verify-disks "
              "manually instead."),
    field("debug?", BOOLEAN, False,
          doc="When #t, the script performs additional logging for debugging purposes."),
], doc="Configuration of ganeti-watcher, the periodic health check of the cluster: it "
       "restarts instances stopped without Ganeti's consent, repairs DRBD links, archives "
       "old jobs and restarts the Ganeti daemons that should run.")


def _default_watcher_schedule() -> Any:
    return read_all("(next-second-from (next-minute (range 0 60 5)))", "<ganeti>")[0]


def watcher_arguments(c) -> list[str]:
    rapi = [] if c["rapi-ip"] is False else [f"--rapi-ip={pystr(c['rapi-ip'])}"]
    return [*rapi, f"--job-age={c['job-age']}",
            *_flag(not c["verify-disks?"], "--no-verify-disks"), *_debug(c)]


def _run(argv: list) -> Any:
    """`(lambda () (system* ARG ...))`: a job's command, run without a shell."""
    return gexp([Symbol("lambda"), NIL, [Symbol("system*"), *argv]])


def watcher_jobs(config) -> list:
    return [mcron_job(config["schedule"],
                      _run([file_append(config["ganeti"], "/sbin/ganeti-watcher"),
                            *watcher_arguments(config)]), name="ganeti-watcher")]


ganeti_watcher_service_type = ServiceType("ganeti-watcher", [
    ServiceExtension(mcron_service_type, lambda c: from_list(watcher_jobs(c)))],
    default_value=WATCHER.make(),
    description="ganeti-watcher periodically checks the health of the cluster "
                "and repairs what it can.", module=MODULE_NAME)


# --- ganeti-cleaner -----------------------------------------------------------------------

CLEANER = configuration("ganeti-cleaner-configuration", MODULE_NAME, [
    _ganeti_field("the gnt-cleaner command"),
    field("master-schedule", SCHEDULE, "45 1 * * *",
          doc="How often to run the master cleaning job.  The default is once per day, "
              "at 01:45:00."),
    field("node-schedule", SCHEDULE, "45 2 * * *",
          doc="How often to run the node cleaning job.  The default is once per day, at "
              "02:45:00."),
], doc="Configuration of ganeti-cleaner: a job on the master node removing old cluster "
       "jobs, and one on every node removing expired X509 certificates, keys and stale "
       "ganeti-watcher data.")


def cleaner_jobs(config) -> list:
    cleaner = file_append(config["ganeti"], "/sbin/ganeti-cleaner")
    return [mcron_job(config["master-schedule"], _run([cleaner, "master"]),
                      name="ganeti master cleaner"),
            mcron_job(config["node-schedule"], _run([cleaner, "node"]),
                      name="ganeti node cleaner")]


ganeti_cleaner_service_type = ServiceType("ganeti-cleaner", [
    ServiceExtension(mcron_service_type, lambda c: from_list(cleaner_jobs(c)))],
    default_value=CLEANER.make(),
    description="ganeti-cleaner periodically removes old files from the "
                "cluster.", module=MODULE_NAME)


# --- ganeti: the node as a whole ----------------------------------------------------------

_SUB_RECORDS = [("noded", NODED), ("confd", CONFD), ("wconfd", WCONFD), ("luxid", LUXID),
                ("rapi", RAPI), ("kvmd", KVMD), ("mond", MOND), ("metad", METAD),
                ("watcher", WATCHER), ("cleaner", CLEANER)]


def _is_os_list(x: Any) -> bool:
    return is_list(x) and all(type(o) is Record and o.rtype is GANETI_OS for o in to_list(x))


GANETI = configuration("ganeti-configuration", MODULE_NAME, [
    field("ganeti", PACKAGE, package="ganeti",
          doc="The ganeti package to use.  It will be installed to the system profile "
              "and make gnt-cluster, gnt-instance, etc. available.  Note that the value "
              "specified here does not affect the other services, as each refers to a "
              "specific ganeti package."),
    *[field(f"{name}-configuration", record_of(rtype, rtype.name),
            thunk=lambda rec, _t=rtype: _t.make(), default_text=f"({rtype.name})",
            doc=f"The configuration of ganeti-{name} (a {rtype.name}).")
      for name, rtype in _SUB_RECORDS],
    field("file-storage-paths",
          either("list of strings on one line, a file-like object or a gexp",
                 ONE_LINE_LIST, FILE_LIKE, GEXP), NIL,
          doc="List of allowed directories for the file storage backend.  A file-like "
              "object (or a gexp naming a file) is installed as the file itself."),
    field("hooks", either("file-like directory or #f", FILE_LIKE, FALSE), False,
          doc="When set, this should be a file-like object containing a directory with "
              "cluster execution hooks."),
    field("os", FieldType("list of ganeti-os", _is_os_list),
          thunk=lambda rec: default_ganeti_os(), default_text="%default-ganeti-os",
          doc="List of ganeti-os records."),
], doc="Configuration of a Ganeti node: the package for the command line tools, the "
       "configuration of each daemon and periodic job, the allowed file storage paths "
       "and the OS providers for instances.")

RECORD_TYPES = [NODED, CONFD, WCONFD, LUXID, RAPI, KVMD, MOND, METAD, WATCHER, CLEANER,
                GANETI_OS, OS_VARIANT, DEBOOTSTRAP, GANETI]


def etc_ganeti_entries(config) -> list[tuple[str, Any]]:
    """/etc/ganeti as (relative path, file-like) entries."""
    entries: list[tuple[str, Any]] = []
    paths = config["file-storage-paths"]
    if is_gexp(paths):
        # Guix links /etc/ganeti/file-storage-paths to the file the gexp names.
        paths = ComputedFile("file-storage-paths",
                             gexp([Symbol("symlink"), paths, Output()]))
    if is_file_like(paths):
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
        if is_file_like(variants):
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


def ganeti_etc(config) -> Any:
    entries = etc_ganeti_entries(config) + version_links(config["ganeti"])
    return from_list([from_list(["ganeti", file_union("etc-ganeti", entries)]),
                      from_list(["default/ganeti", plain_file("ganeti-defaults",
                                                              _DAEMON_UTIL_HOOK)])])


def ganeti_activation(config) -> Any:
    return from_list([directory_step(d) for d in ACTIVATION_DIRECTORIES])


ganeti_service_type = ServiceType("ganeti", [
    ServiceExtension(activation_service_type, ganeti_activation),
    ServiceExtension(account_service_type, ganeti_accounts),
    ServiceExtension(shepherd_root_service_type, ganeti_shepherd_services),
    ServiceExtension(etc_service_type, ganeti_etc),
    ServiceExtension(profile_service_type, lambda c: from_list([c["ganeti"]])),
    ServiceExtension(mcron_service_type, ganeti_jobs),
    ServiceExtension(network_ports_service_type, ganeti_claims)],
    default_value=GANETI.make(),
    description="Ganeti is a family of services that run on a fleet of machines and "
                "make deploying and maintaining virtual servers (instances) easy: it "
                "can migrate instances between nodes, restart failed instances, "
                "evacuate nodes, and much more.", module=MODULE_NAME)


def install(module) -> None:
    """Fill (gnu services ganeti)."""
    install_configurations(module, MODULE_NAME)
    d = module.define
    for name, t in (("ganeti-noded-service-type", ganeti_noded_service_type),
                    ("ganeti-confd-service-type", ganeti_confd_service_type),
                    ("ganeti-wconfd-service-type", ganeti_wconfd_service_type),
                    ("ganeti-luxid-service-type", ganeti_luxid_service_type),
                    ("ganeti-rapi-service-type", ganeti_rapi_service_type),
                    ("ganeti-kvmd-service-type", ganeti_kvmd_service_type),
                    ("ganeti-mond-service-type", ganeti_mond_service_type),
                    ("ganeti-metad-service-type", ganeti_metad_service_type),
                    ("ganeti-watcher-service-type", ganeti_watcher_service_type),
                    ("ganeti-cleaner-service-type", ganeti_cleaner_service_type),
                    ("ganeti-service-type", ganeti_service_type)):
        d(Symbol(name), t, True)
    ganeti_os.install(module)
