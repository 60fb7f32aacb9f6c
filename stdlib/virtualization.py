"""(gnu services virtualization): libvirt, virtlog, qemu-binfmt, the QEMU guest agent and
the Xen guest utilities, one section each (configuration record, Shepherd service,
service type).  The build VM, the childhurd and the secret service, which the same Guix
module exports, have modules of their own (build_vm.py, hurd_vm.py, secret_service.py);
`install` puts them all in the Scheme module.

What each service type hands to the builders (the values its extensions compute):

- shepherd-root: `shepherd-service` records (see vsys.stdlib.shepherd); `start` is the
  `forkexec` gexp of the service's argv, `stop` a `kill_destructor` gexp.
- etc: a list of `(NAME FILE-LIKE)` lists, e.g. `("libvirt/libvirtd.conf" <plain-file>)`.
- account: `user-group` / `user-account` records.
- activation: activation steps (plain data, see vsys.stdlib.activation_steps: a builder
  writes them into the generation and the activator performs them, never redoing what
  exists).
- profile: packages.  polkit: packages.  udev: packages (their rules directories).
- network-ports (this library's own): the ports each service binds, so that two services
  binding one port are an error naming both (see vsys.stdlib.network_ports).
"""

from __future__ import annotations

from typing import Any

from vsys.dsl.datatypes import NIL, Keyword, Symbol, from_list, is_list, is_string, pystr, to_list
from vsys.dsl.errors import Condition, SchemeError, did_you_mean, wrong_type
from vsys.dsl.modules import Module, register_builtin
from vsys.dsl.procedures import make_primitive
from vsys.dsl.records import FieldType

from . import hurd_vm, qemu_platforms, system
from .accounts import user_account, user_group
from .activation_steps import directory_step
from .build_vm import virtual_build_machine_service_type
from .configuration import configuration, field, install_configurations, manual_differs
from .dbus import polkit_service_type
from .field_types import BOOLEAN, INTEGER, PACKAGE, STRING, STRING_LIST
from .files import file_append, plain_file
from .gexp import gexp
from .hurd_vm import hurd_vm_service_type
from .libvirt_syntax import conf_line, quotable
from .network_ports import Claim, network_ports_service_type
from .packages import HOST_PATH, lookup_package
from .secret_service import secret_service_type
from .services import ServiceExtension, ServiceType
from .shepherd import forkexec, kill_destructor, shepherd_root_service_type, shepherd_service
from .system_services import (
    account_service_type,
    activation_service_type,
    etc_service_type,
    profile_service_type,
    udev_service_type,
)

GUIX_MODULE = "gnu services virtualization"
MODULE_NAME = "(gnu services virtualization)"


# --- libvirt ------------------------------------------------------------------------------

LIBVIRT_STRING = FieldType("string (one libvirt's configuration syntax can quote)", quotable)


OPTIONAL_LIST = FieldType("list of strings (libvirt quotable)",
                          lambda x: STRING_LIST.check(x) and all(quotable(i) for i in to_list(x)))


# Written commented out when empty, so that libvirt keeps its own default.
_OPTIONAL = frozenset({"access-drivers", "tls-allowed-dn-list", "sasl-allowed-usernames",
                       "host-uuid"})


MDNS_DEFAULT_PREFIX = "Virtualization Host "


# The default as the manual writes it; libvirtd.conf gets the operating system's host
# name in its place (vsys: not the build machine's, so that builds are reproducible).
MDNS_DEFAULT = MDNS_DEFAULT_PREFIX + "<hostname>"


def current_host_name() -> str:
    """The host name of the operating system whose services are being folded (see
    system.operating_system_scope); "guix", operating-system's default, when none is."""
    return system.current_host_name() or "guix"


def mdns_name(config, host_name: str | None = None) -> str:
    if config.explicit[config.rtype.index["mdns-name"]]:
        return pystr(config["mdns-name"])
    return MDNS_DEFAULT_PREFIX + (host_name or current_host_name())


PACKAGE_FIELDS = ("libvirt", "qemu")     # packages to run, not lines of the files


LIBVIRT_CONFIGURATION = configuration("libvirt-configuration", MODULE_NAME, [
    field("libvirt", PACKAGE, package="libvirt", doc="Libvirt package."),
    # In Guix's record since 2021, not in the manual: libvirtd finds QEMU in the profile.
    field("qemu", PACKAGE, package="qemu",
          doc="Qemu package, installed in the system profile with libvirt, where libvirtd "
              "finds the emulators it runs."
              + manual_differs("nothing of this field", "libvirt-configuration has had it "
                               "since 2021")),
    field("listen-tls?", BOOLEAN, True,
          "Flag listening for secure TLS connections on the public TCP/IP port.  listen must "
          "be set for this to have any effect.  It is necessary to set up a CA and issue "
          "server certificates before using this capability."),
    field("listen-tcp?", BOOLEAN, False,
          "Listen for unencrypted TCP connections on the public TCP/IP port.  listen must be "
          "set for this to have any effect.  Using the TCP socket requires SASL authentication "
          "by default.  Only SASL mechanisms which support data encryption are allowed: "
          "DIGEST_MD5 and GSSAPI (Kerberos5)."),
    field("tls-port", LIBVIRT_STRING, "16514",
          "Port for accepting secure TLS connections.  This can be a port number, or a service "
          "name."),
    field("tcp-port", LIBVIRT_STRING, "16509",
          "Port for accepting insecure TCP connections.  This can be a port number, or a "
          "service name."),
    field("listen-addr", LIBVIRT_STRING, "0.0.0.0",
          "IP address or host name used for client connections."),
    field("mdns-adv?", BOOLEAN, False,
          "Flag toggling mDNS advertisement of the libvirt service.  Alternatively it can be "
          "disabled for all services on a host by stopping the Avahi daemon."),
    field("mdns-name", LIBVIRT_STRING, MDNS_DEFAULT,
          "Default mDNS advertisement name.  This must be unique on the immediate broadcast "
          "network.  The default names the operating system's host name."),
    field("unix-sock-group", LIBVIRT_STRING, "libvirt",
          "UNIX domain socket group ownership.  This can be used to allow a 'trusted' set of "
          "users access to management capabilities without becoming root."),
    field("unix-sock-ro-perms", LIBVIRT_STRING, "0777",
          "UNIX socket permissions for the read-only socket.  This is used for monitoring VM "
          "status only."),
    field("unix-sock-rw-perms", LIBVIRT_STRING, "0770",
          "UNIX socket permissions for the read-write socket.  The default allows only root.  "
          "If PolicyKit is enabled on the socket, the default will change to allow everyone "
          "(i.e., 0777)."),
    field("unix-sock-admin-perms", LIBVIRT_STRING, "0777",
          "UNIX socket permissions for the admin socket.  The default allows only the owner "
          "(root); do not change it unless you are sure to whom you are exposing the access."),
    field("unix-sock-dir", LIBVIRT_STRING, "/var/run/libvirt",
          "The directory in which sockets will be found/created."),
    field("auth-unix-ro", LIBVIRT_STRING, "polkit",
          "Authentication scheme for UNIX read-only sockets.  By default socket permissions "
          "allow anyone to connect."),
    field("auth-unix-rw", LIBVIRT_STRING, "polkit",
          "Authentication scheme for UNIX read-write sockets.  By default socket permissions "
          "only allow root.  If PolicyKit support was compiled into libvirt, the default is "
          "to use 'polkit' authentication."),
    field("auth-tcp", LIBVIRT_STRING, "sasl",
          "Authentication scheme for TCP sockets.  If you don't enable SASL, then all TCP "
          "traffic is cleartext.  Don't do this outside of a development/test scenario."),
    field("auth-tls", LIBVIRT_STRING, "none",
          "Authentication scheme for TLS sockets.  TLS sockets already have encryption "
          "provided by the TLS layer, and limited authentication is done by certificates.  "
          "It is possible to use any SASL authentication mechanism as well, by using 'sasl' "
          "for this option."),
    field("access-drivers", OPTIONAL_LIST, NIL,
          "API access control scheme.  By default an authenticated user is allowed access to "
          "all APIs.  Access drivers can place restrictions on this."),
    field("key-file", LIBVIRT_STRING, "",
          "Server key file path.  If set to an empty string, then no private key is loaded."),
    field("cert-file", LIBVIRT_STRING, "",
          "Server certificate file path.  If set to an empty string, then no certificate is "
          "loaded."),
    field("ca-file", LIBVIRT_STRING, "",
          "Server CA certificate file path.  If set to an empty string, then no CA "
          "certificate is loaded."),
    field("crl-file", LIBVIRT_STRING, "",
          "Certificate revocation list path.  If set to an empty string, then no CRL is "
          "loaded."),
    field("tls-no-sanity-cert", BOOLEAN, False,
          "Disable verification of our own server certificates.  When libvirtd starts it "
          "performs some sanity checks against its own certificates."),
    field("tls-no-verify-cert", BOOLEAN, False,
          "Disable verification of client certificates.  Client certificate verification is "
          "the primary authentication mechanism.  Any client which does not present a "
          "certificate signed by the CA will be rejected."),
    field("tls-allowed-dn-list", OPTIONAL_LIST, NIL,
          "List of allowed x509 Distinguished Names."),
    field("sasl-allowed-usernames", OPTIONAL_LIST, NIL,
          "List of allowed SASL user names.  The format of a user name depends on the SASL "
          "authentication mechanism."),
    field("tls-priority", LIBVIRT_STRING, "NORMAL",
          "Override the compile-time default TLS priority string.  The default is usually "
          "\"NORMAL\" unless overridden at build time.  Only set this if it is desired for "
          "libvirt to deviate from the global default settings."),
    field("max-clients", INTEGER, 5000,
          "Maximum number of concurrent client connections to allow over all sockets "
          "combined."),
    field("max-queued-clients", INTEGER, 1000,
          "Maximum length of the queue of connections waiting to be accepted by the daemon.  "
          "Note that some protocols supporting retransmission may obey this so that a later "
          "reattempt at connection succeeds."),
    field("max-anonymous-clients", INTEGER, 20,
          "Maximum length of the queue of accepted but not yet authenticated clients.  Set "
          "this to zero to turn this feature off."),
    field("min-workers", INTEGER, 5, "Number of workers to start up initially."),
    field("max-workers", INTEGER, 20,
          "Maximum number of worker threads.  If the number of active clients exceeds "
          "min-workers, then more threads are spawned, up to the max-workers limit.  Typically "
          "you'd want max-workers to equal the maximum number of clients allowed."),
    field("prio-workers", INTEGER, 5,
          "Number of priority workers.  If all workers from the above pool are stuck, some "
          "calls marked as high priority (notably domainDestroy) can be executed in this pool."),
    field("max-requests", INTEGER, 20, "Total global limit on concurrent RPC calls."),
    field("max-client-requests", INTEGER, 5,
          "Limit on concurrent requests from a single client connection.  To avoid one client "
          "monopolizing the server this should be a small fraction of the global max-requests "
          "and max-workers parameters."),
    field("admin-min-workers", INTEGER, 1, "Same as min-workers but for the admin interface."),
    field("admin-max-workers", INTEGER, 5, "Same as max-workers but for the admin interface."),
    field("admin-max-clients", INTEGER, 5, "Same as max-clients but for the admin interface."),
    field("admin-max-queued-clients", INTEGER, 5,
          "Same as max-queued-clients but for the admin interface."),
    field("admin-max-client-requests", INTEGER, 5,
          "Same as max-client-requests but for the admin interface."),
    field("log-level", INTEGER, 3,
          "Logging level.  4 errors, 3 warnings, 2 information, 1 debug."),
    field("log-filters", LIBVIRT_STRING, "3:remote 4:event",
          "Logging filters.  A filter allows selecting a different logging level for a given "
          "category of logs.  The format for a filter is x:name or x:+name, where name is a "
          "string matched against the category given in the VIR_LOG_INIT() at the top of each "
          "libvirt source file, e.g., \"remote\", \"qemu\", or \"util.json\" (the name in the "
          "filter can be a substring of the full category name, in order to match multiple "
          "similar categories), the optional \"+\" prefix tells libvirt to log a stack trace "
          "for each message matching name, and x is the minimal level of the messages to log: "
          "1 debug, 2 info, 3 warning, 4 error.  Multiple filters can be given in a single "
          "statement, separated by spaces."),
    field("log-outputs", LIBVIRT_STRING, "3:stderr",
          "Logging outputs.  An output is one of the places to save logging information.  Its "
          "format can be x:stderr (output goes to stderr), x:syslog:name (use syslog for the "
          "output and use the given name as the ident), x:file:file_path (output to a file, "
          "with the given path), or x:journald (output to the journald logging system).  In "
          "all cases the x prefix is the minimal level, acting as a filter.  Multiple outputs "
          "can be given, separated by spaces."),
    field("audit-level", INTEGER, 1,
          "Allows usage of the auditing subsystem to be altered: 0 disables all auditing, 1 "
          "enables auditing only if enabled on the host, 2 enables auditing and exits if it is "
          "disabled on the host."),
    field("audit-logging", BOOLEAN, False,
          "Send audit messages via libvirt's logging infrastructure."),
    field("host-uuid", LIBVIRT_STRING, "",
          "Host UUID.  The UUID must not have all digits the same."),
    field("host-uuid-source", LIBVIRT_STRING, "smbios",
          "Source to read the host UUID from.  smbios: fetch the UUID from "
          "`dmidecode -s system-uuid`; machine-id: fetch the UUID from /etc/machine-id.  If "
          "dmidecode does not provide a valid UUID, a temporary UUID will be generated."),
    field("keepalive-interval", INTEGER, 5,
          "A keepalive message is sent to a client after keepalive-interval seconds of "
          "inactivity to check if the client is still responding.  If set to -1, libvirtd will "
          "never send keepalive requests; however clients can still send them and the daemon "
          "will send responses."),
    field("keepalive-count", INTEGER, 5,
          "Maximum number of keepalive messages that are allowed to be sent to the client "
          "without getting any response before the connection is considered broken.  In other "
          "words, the connection is automatically closed approximately after "
          "keepalive-interval * (keepalive-count + 1) seconds since the last message received "
          "from the client.  When keepalive-count is 0, connections are automatically closed "
          "after keepalive-interval seconds of inactivity without sending any keepalive "
          "messages."),
    field("admin-keepalive-interval", INTEGER, 5, "Same as above but for the admin interface."),
    field("admin-keepalive-count", INTEGER, 5, "Same as above but for the admin interface."),
    field("ovs-timeout", INTEGER, 5,
          "Timeout for Open vSwitch calls.  The ovs-vsctl utility is used for the "
          "configuration and its timeout option is set by default to 5 seconds to avoid "
          "potential infinite waits blocking libvirt."),
], doc="Configuration of libvirtd, the daemon of the libvirt virtualization management "
       "system.")


def libvirtd_conf_text(config, host_name: str | None = None) -> str:
    """libvirtd.conf: one line per field but the packages, in field order."""
    return "".join(conf_line(f.name, mdns_name(config, host_name) if f.name == "mdns-name"
                             else config[f.name], f.name in _OPTIONAL)
                   for f in LIBVIRT_CONFIGURATION.fields if f.name not in PACKAGE_FIELDS)


def libvirtd_conf(config) -> Any:
    return plain_file("libvirtd.conf", libvirtd_conf_text(config))


def libvirt_polkit_rules(config) -> str:
    """Members of unix-sock-group may manage libvirt (the socket's permissions already
    let them connect; with auth-unix-rw "polkit", polkit decides), as libvirt's own
    rules grant its `libvirt` group."""
    group = pystr(config["unix-sock-group"])
    quoted = group.replace("\\", "\\\\").replace('"', '\\"')
    return ("// Members of libvirt's unix-sock-group manage virtual machines.\n"
            "polkit.addRule(function(action, subject) {\n"
            '    if (action.id == "org.libvirt.unix.manage" &&\n'
            f'        subject.isInGroup("{quoted}")) {{\n'
            "        return polkit.Result.YES;\n"
            "    }\n"
            "});\n")


def libvirt_etc(config) -> Any:
    return from_list([from_list(["libvirt/libvirtd.conf", libvirtd_conf(config)]),
                      from_list(["polkit-1/rules.d/50-libvirt.rules",
                                 plain_file("50-libvirt.rules", libvirt_polkit_rules(config))])])


def _libvirt_accounts(config) -> Any:
    """Guix's `libvirt` group, and what Debian's libvirt build expects beside it (its
    libvirt-daemon-system package makes them): QEMU runs as the user libvirt-qemu, of
    the groups kvm and libvirt-qemu."""
    return from_list([user_group(name="libvirt", system=True),
                      user_group(name="kvm", system=True),
                      user_group(name="libvirt-qemu", system=True),
                      user_account(name="libvirt-qemu", group="kvm", system=True,
                                   comment="Libvirt Qemu", supplementary_groups=["libvirt-qemu"],
                                   home_directory="/var/lib/libvirt",
                                   create_home_directory=False,
                                   shell=file_append(lookup_package("shadow"), "/sbin/nologin"))])


def _libvirt_activation(config) -> Any:
    return from_list([directory_step(pystr(config["unix-sock-dir"]))])


def _numeric_port(text: Any) -> int | None:
    t = pystr(text)
    return int(t) if t.isdigit() else None


def claim(proto: str, address: str, port: Any, owner: str, config) -> Any:
    return Claim(proto, address, port, owner, getattr(config, "loc", None))


def libvirt_claims(config) -> Any:
    # libvirtd only listens on TCP/TLS when started with --listen, i.e. with listen-tcp?.
    claims = []
    if config["listen-tcp?"]:
        addr = pystr(config["listen-addr"])
        for name, on in (("tcp-port", True), ("tls-port", config["listen-tls?"])):
            port = _numeric_port(config[name])
            if on and port is not None:
                claims.append(claim("tcp", addr, port, f"libvirt ({name})", config))
    return from_list(claims)


def _packages_of(*fields: str):
    return lambda config: from_list([config[f] for f in fields])


def libvirt_shepherd_service(config) -> Any:
    conf = libvirtd_conf(config)
    argv = [file_append(config["libvirt"], "/sbin/libvirtd"), "-f", conf]
    if config["listen-tcp?"]:
        argv.append("--listen")
    return from_list([shepherd_service(
        documentation="Run the libvirt daemon.",
        provision=["libvirtd"], requirement=["dbus-system"],
        # The host's PATH, where its QEMU is (Guix names its profile and its kernel's
        # modules; libvirt finds a Debian kernel's modules without being told).
        start=forkexec(argv, environment=[f"PATH={HOST_PATH}"]),
        stop=kill_destructor())])


libvirt_service_type = ServiceType("libvirt", [
    ServiceExtension(shepherd_root_service_type, libvirt_shepherd_service),
    ServiceExtension(etc_service_type, libvirt_etc),
    ServiceExtension(account_service_type, _libvirt_accounts),
    ServiceExtension(activation_service_type, _libvirt_activation),
    ServiceExtension(profile_service_type, _packages_of("libvirt", "qemu")),
    ServiceExtension(polkit_service_type, _packages_of("libvirt")),
    ServiceExtension(network_ports_service_type, libvirt_claims)],
    default_value=LIBVIRT_CONFIGURATION.make(),
    description="Run libvirtd, a server side daemon that can manage unprivileged users' "
                "virtual machines.", module=MODULE_NAME)


# --- virtlog ------------------------------------------------------------------------------

VIRTLOG_CONFIGURATION = configuration("virtlog-configuration", MODULE_NAME, [
    field("libvirt", PACKAGE, package="libvirt",
          doc="Libvirt package."),
    field("log-level", INTEGER, 3,
          doc="Logging level.  4 errors, 3 warnings, 2 information, 1 debug."),
    field("log-filters", LIBVIRT_STRING, "3:remote 4:event",
          doc=LIBVIRT_CONFIGURATION.field("log-filters").doc),
    field("log-outputs", LIBVIRT_STRING, "3:stderr",
          doc=LIBVIRT_CONFIGURATION.field("log-outputs").doc),
    field("max-clients", INTEGER, 1024,
          doc="Maximum number of concurrent client connections to allow over all sockets "
              "combined."),
    field("max-size", INTEGER, 2 * 1024 * 1024,
          doc="Maximum file size before rolling over (2 MiB by default)."),
    field("max-backups", INTEGER, 3, doc="Maximum number of backup files to keep."),
], doc="Configuration of virtlogd, the libvirt daemon that manages the logs of virtual "
       "machine consoles.")


def virtlogd_conf_text(config) -> str:
    return "".join(conf_line(f.name, config[f.name]) for f in VIRTLOG_CONFIGURATION.fields[1:])


def virtlogd_conf(config) -> Any:
    return plain_file("virtlogd.conf", virtlogd_conf_text(config))


def virtlog_etc(config) -> Any:
    return from_list([from_list(["libvirt/virtlogd.conf", virtlogd_conf(config)])])


def virtlog_shepherd_service(config) -> Any:
    conf = virtlogd_conf(config)
    return from_list([shepherd_service(
        documentation="Run the virtlog daemon.",
        provision=["virtlogd"], requirement=["user-processes"],
        start=forkexec([file_append(config["libvirt"], "/sbin/virtlogd"), "-f", conf]),
        stop=kill_destructor())])


virtlog_service_type = ServiceType("virtlogd", [
    ServiceExtension(shepherd_root_service_type, virtlog_shepherd_service),
    ServiceExtension(etc_service_type, virtlog_etc)],
    default_value=VIRTLOG_CONFIGURATION.make(),
    description="Run virtlogd, a daemon libvirtd uses to manage the logs of virtual machine "
                "consoles.", module=MODULE_NAME)


# --- qemu-binfmt --------------------------------------------------------------------------

def _is_platform_list(x: Any) -> bool:
    return is_list(x) and all(isinstance(p, qemu_platforms.QemuPlatform) for p in to_list(x))


QEMU_BINFMT_CONFIGURATION = configuration("qemu-binfmt-configuration", MODULE_NAME, [
    field("qemu", PACKAGE, package="qemu",
          doc="The QEMU package to use."),
    field("platforms", FieldType("list of QEMU platforms (from lookup-qemu-platforms)",
                                 _is_platform_list), NIL,
          doc="The list of emulated QEMU platforms.  Each item must be a platform object "
              "as returned by lookup-qemu-platforms."),
], doc="Configuration of the qemu-binfmt service: the QEMU package and the platforms "
       "to emulate transparently through the kernel's binfmt_misc.")


def lookup_qemu_platforms(*names) -> Any:
    """(lookup-qemu-platforms NAME ...): the platform objects for the given names, such as
    "arm", "sparc", "mips64el", in the platform table's order and each once, as Guix
    returns them.  vsys: an unknown name is an error (Guix drops it)."""
    wanted = set()
    for i, n in enumerate(names, 1):
        if not is_string(n):
            raise wrong_type("lookup-qemu-platforms", i, "string", n)
        if pystr(n) not in qemu_platforms.BY_NAME:
            raise SchemeError(Condition(
                "misc-error", f"lookup-qemu-platforms: unknown QEMU platform {pystr(n)!r}",
                (), "lookup-qemu-platforms",
                did_you_mean(pystr(n), qemu_platforms.BY_NAME) +
                ["the known platforms are: " + ", ".join(qemu_platforms.BY_NAME)]))
        wanted.add(pystr(n))
    return from_list([p for p in qemu_platforms.PLATFORMS if p.name in wanted])


def _check_platform(x: Any, who: str) -> qemu_platforms.QemuPlatform:
    if not isinstance(x, qemu_platforms.QemuPlatform):
        raise wrong_type(who, 1, "qemu-platform", x)
    return x


def binfmt_interpreter(qemu, platform) -> str:
    """The static user-mode emulator for PLATFORM, from the qemu package: Guix's
    `qemu:static/bin/qemu-NAME` is Debian's `/usr/bin/qemu-NAME-static`."""
    host_path = getattr(qemu, "static_emulator", None)
    if callable(host_path):
        return host_path(platform.name)
    return qemu_platforms.debian_interpreter(platform.name)


def binfmt_register_strings(config) -> list[str]:
    return [qemu_platforms.register_string(p, binfmt_interpreter(config["qemu"], p))
            for p in to_list(config["platforms"])]


BINFMT_DIRECTORY = "/proc/sys/fs/binfmt_misc"


def binfmt_shepherd_service(config) -> Any:
    """Start registers every platform's entry with binfmt_misc, stop disables them:
    `(make-binfmt-registration (list ENTRY ...))` and
    `(make-binfmt-unregistration (list "qemu-NAME" ...))` (vsys forms; see the module
    docstring)."""
    entries = binfmt_register_strings(config)
    names = [f"qemu-{p.name}" for p in to_list(config["platforms"])]
    return from_list([shepherd_service(
        documentation="Enable the transparent emulation of foreign binaries with QEMU.",
        provision=["qemu-binfmt"],
        requirement=["file-system-/proc/sys/fs/binfmt_misc"],
        respawn=False,
        start=gexp([Symbol("make-binfmt-registration"), [Symbol("list"), *entries],
                    Keyword("binfmt-directory"), BINFMT_DIRECTORY]),
        stop=gexp([Symbol("make-binfmt-unregistration"), [Symbol("list"), *names],
                   Keyword("binfmt-directory"), BINFMT_DIRECTORY]))])


qemu_binfmt_service_type = ServiceType("qemu-binfmt", [
    ServiceExtension(shepherd_root_service_type, binfmt_shepherd_service)],
    default_value=QEMU_BINFMT_CONFIGURATION.make(),
    description="Register QEMU as the interpreter of binaries built for other "
                "architectures, through the kernel's binfmt_misc, so they run "
                "transparently.", module=MODULE_NAME)


# --- QEMU guest agent ---------------------------------------------------------------------

QEMU_GUEST_AGENT_CONFIGURATION = configuration("qemu-guest-agent-configuration", MODULE_NAME, [
    field("qemu", PACKAGE, package="qemu-minimal", doc="The QEMU package to use."),
    field("device", STRING, "",
          doc="File name of the device or socket the agent uses to communicate with the "
              "host.  If empty, QEMU uses a default file name."),
], doc="Configuration of the QEMU guest agent, which gives the host control over the "
       "emulated system.")


def guest_agent_shepherd_service(config) -> Any:
    argv = [file_append(config["qemu"], "/bin/qemu-ga"), "--statedir", "/var/run"]
    if pystr(config["device"]):
        argv += ["--path", pystr(config["device"])]
    return from_list([shepherd_service(
        documentation="Run the QEMU guest agent.",
        provision=["qemu-guest-agent"], requirement=["user-processes", "udev"],
        start=forkexec(argv, log_file="/var/log/qemu-ga.log"),
        stop=kill_destructor())])


qemu_guest_agent_service_type = ServiceType("qemu-guest-agent", [
    ServiceExtension(shepherd_root_service_type, guest_agent_shepherd_service)],
    default_value=QEMU_GUEST_AGENT_CONFIGURATION.make(),
    description="Run the QEMU guest agent, giving the host control over this emulated "
                "system.", module=MODULE_NAME)


# --- Xen guest utilities ------------------------------------------------------------------

XE_GUEST_UTILITIES_CONFIGURATION = configuration("xe-guest-utilities-configuration",
                                                 MODULE_NAME, [
    field("package", PACKAGE, package="xe-guest-utilities",
          doc="The Xen guest utilities package to use."),
    field("pid-file", STRING, "/var/run/xe-daemon.pid",
          doc="Name of the file holding the PID of xe-daemon."),
    field("log-file", STRING, "/var/log/xe-guest-utilities.log",
          doc="Name of the xe-guest-utilities log file."),
], doc="Configuration of the Xen guest utilities, which report information about the "
       "guest to the Xen host and support tasks needing host/guest cooperation, like CPU "
       "hotplugging.")


def xe_shepherd_service(config) -> Any:
    """xe-linux-distribution records the distribution for xe-daemon before it starts:
    `(lambda args (system* XE-LINUX-DISTRIBUTION FILE) (apply FORKEXEC args))`."""
    pkg = config["package"]
    pid_file = pystr(config["pid-file"])
    daemon = forkexec([file_append(pkg, "/sbin/xe-daemon"), "-p", pid_file],
                      pid_file=pid_file, log_file=pystr(config["log-file"]),
                      environment={"PATH": [file_append(pkg, "/bin")]})
    args = Symbol("args")
    start = gexp([Symbol("lambda"), args,
                  [Symbol("system*"), file_append(pkg, "/sbin/xe-linux-distribution"),
                   "/var/cache/xe-linux-distribution"],
                  [Symbol("apply"), daemon, args]])
    return from_list([shepherd_service(
        documentation="Run the Xen guest utilities daemon.",
        provision=["xen-guest-agent"], requirement=["networking", "user-processes", "udev"],
        start=start, stop=kill_destructor())])


def xe_udev_rules(config) -> Any:
    """The package's z10_xen-vcpu-hotplug.rules, for udev."""
    return from_list([config["package"]])


xe_guest_utilities_service_type = ServiceType("xe-guest-utilities", [
    ServiceExtension(shepherd_root_service_type, xe_shepherd_service),
    ServiceExtension(udev_service_type, xe_udev_rules)],
    default_value=XE_GUEST_UTILITIES_CONFIGURATION.make(),
    description="Run the Xen guest utilities, which report information about this guest to "
                "the Xen host.", module=MODULE_NAME)


# --- the Guix module ----------------------------------------------------------------------

# The module's service types, by their Scheme names.
SERVICE_TYPES = {
    "libvirt-service-type": libvirt_service_type,
    "virtlog-service-type": virtlog_service_type,
    "qemu-binfmt-service-type": qemu_binfmt_service_type,
    "qemu-guest-agent-service-type": qemu_guest_agent_service_type,
    "xe-guest-utilities-service-type": xe_guest_utilities_service_type,
    "secret-service-type": secret_service_type,
    "virtual-build-machine-service-type": virtual_build_machine_service_type,
    "hurd-vm-service-type": hurd_vm_service_type,
    "network-ports-service-type": network_ports_service_type,
}


def install(module: Module) -> None:
    """Fill (gnu services virtualization)."""
    install_configurations(module, MODULE_NAME)
    d = module.define
    for name, t in SERVICE_TYPES.items():
        d(Symbol(name), t, True)
    prims = {
        "lookup-qemu-platforms": lookup_qemu_platforms,
        "qemu-platform?": lambda obj: isinstance(obj, qemu_platforms.QemuPlatform),
        "qemu-platform-name": lambda p: _check_platform(p, "qemu-platform-name").name,
        "qemu-platform-family": lambda p: _check_platform(p, "qemu-platform-family").family,
        "hurd-vm-net-options": lambda config: from_list(hurd_vm.net_options(config)),
    }
    docs = {"qemu-platform?": "Return true if OBJ is a platform object.",
            "qemu-platform-name": "Return the name of PLATFORM, a string such as \"arm\".",
            "qemu-platform-family": "Return the family of PLATFORM, such as \"arm\".",
            "hurd-vm-net-options": "The QEMU network options of a hurd-vm-configuration, "
                                   "forwarding its secrets, SSH and VNC ports."}
    for name, fn in prims.items():
        d(Symbol(name), make_primitive(name, fn, docs.get(name)), True)
    d(Symbol("%qemu-platforms"), from_list(list(qemu_platforms.PLATFORMS)), True)
    d(Symbol("hurd-vm-disk-image"), hurd_vm._hurd_vm_disk_image_procedure(), True)
    d(Symbol("%hurd-vm-operating-system"), hurd_vm.hurd_vm_operating_system(), True)


register_builtin(GUIX_MODULE, install)
