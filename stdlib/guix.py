"""The Guix daemon service and offload build machines (/etc/guix/machines.scm).

`guix-service-type` is one of the base services.  On a vsys host there may be no Guix
daemon; the service stands for the host's (a `guix-daemon` host milestone) and keeps its
configuration.  What vsys does produce is /etc/guix/machines.scm when services (such as
the build VM and the childhurd) extend it with `build-machine` records, the file Guix
reads to offload builds.
"""

from __future__ import annotations

from typing import Any

from vsys.dsl.datatypes import NIL, Symbol, from_list, is_list, to_list
from vsys.dsl.records import Field, FieldType, Record, RecordType, install_record_type

from .field_types import (
    BOOLEAN,
    LIST,
    NON_NEGATIVE,
    NUMBER,
    PACKAGE,
    PORT,
    STRING,
    STRING_LIST,
    STRING_OR_GEXP,
    SYMBOL,
)
from .files import scheme_file
from .gexp import Gexp, Ungexp, gexp
from .packages import lookup_package
from .services import ServiceExtension, ServiceType, concatenate
from .shepherd import milestone, shepherd_root_service_type
from .system_services import etc_service_type

BUILD_MACHINE = RecordType("build-machine", [
    Field("name", STRING, doc="The machine's host name (or address)."),
    Field("port", PORT, 22, doc="The port of its SSH server."),
    Field("systems", STRING_LIST,
          doc="The system types it builds for, such as (list \"x86_64-linux\")."),
    Field("user", STRING, doc="The user account used to log in with SSH."),
    Field("host-key", STRING_OR_GEXP,
          doc="The machine's SSH public host key, in OpenSSH format "
              "(\"ssh-ed25519 AAAA...\")."),
    Field("private-key", STRING_OR_GEXP, "/root/.ssh/id_rsa",
          doc="The SSH private key used to log in."),
    Field("compression", STRING, "zlib@openssh.com,zlib",
          doc="The SSH compression methods, in order of preference."),
    Field("compression-level", NON_NEGATIVE, 3, doc="The SSH compression level."),
    Field("daemon-socket", STRING, "/var/guix/daemon-socket/socket",
          doc="The Guix daemon's socket on the machine."),
    Field("overload-threshold", FieldType("number or #f", lambda x: x is False or
                                          type(x) in (int, float)), 0.8,
          doc="The load above which the machine is not offloaded to; #f for no limit."),
    Field("speed", NUMBER, 1.0, doc="Its relative speed, to choose among machines."),
    Field("parallel-builds", NON_NEGATIVE, 1,
          doc="The number of builds that may run on it at once."),
    Field("features", STRING_LIST, NIL,
          doc="Features it offers, which some derivations require."),
], doc="A machine builds can be offloaded to, as listed in /etc/guix/machines.scm.")

_DEFAULT_SUBSTITUTE_URLS = ["https://ci.guix.gnu.org", "https://bordeaux.guix.gnu.org"]


class WhileListening:
    """A build machine that is offered only while something listens on 127.0.0.1:PORT:
    a VM's forwarded SSH port, where QEMU listens exactly while the VM runs.  So, as in
    Guix (which asks Shepherd whether the VM's service runs when machines.scm is
    loaded), a stopped VM is not offloaded to."""

    __slots__ = ("machine", "port")

    def __init__(self, machine: Record, port: int):
        self.machine = machine
        self.port = port

    def scheme_repr(self, write: bool) -> str:
        return f"#<build-machine while 127.0.0.1:{self.port} listens>"


def _machines(x: Any) -> bool:
    return is_list(x) and all((type(m) is Record and m.rtype is BUILD_MACHINE) or
                              type(m) in (Gexp, WhileListening) for m in to_list(x))


GUIX_CONFIGURATION = RecordType("guix-configuration", [
    Field("guix", PACKAGE, thunk=lambda r: lookup_package("guix"), default_text="guix",
          doc="The Guix package."),
    Field("build-group", STRING, "guixbuild", doc="The group of the build user accounts."),
    Field("build-accounts", NON_NEGATIVE, 10, doc="The number of build user accounts."),
    Field("authorize-key?", BOOLEAN, True,
          doc="Whether to authorize the substitute keys of authorized-keys."),
    Field("authorized-keys", LIST, NIL,
          doc="File-like objects holding the public keys of trusted substitute servers."),
    Field("use-substitutes?", BOOLEAN, True, doc="Whether to use substitutes."),
    Field("substitute-urls", STRING_LIST, from_list(_DEFAULT_SUBSTITUTE_URLS),
          doc="The URLs substitutes are fetched from."),
    Field("generate-substitute-key?", BOOLEAN, True,
          doc="Whether to generate the daemon's signing key pair when missing."),
    Field("channels", None, False, doc="The default channels, or #f."),
    Field("max-silent-time", NON_NEGATIVE, 3600,
          doc="Seconds a build may go without output before it is stopped."),
    Field("timeout", NON_NEGATIVE, 86400, doc="Seconds a build may take at most."),
    Field("log-compression", SYMBOL,
          Symbol("gzip"), doc="How build logs are compressed: 'gzip, 'bzip2 or 'none."),
    Field("discover?", BOOLEAN, False,
          doc="Whether to discover substitute servers on the local network."),
    Field("extra-options", STRING_LIST, NIL, doc="Extra command-line options of guix-daemon."),
    Field("log-file", STRING, "/var/log/guix-daemon.log", doc="The daemon's log file."),
    Field("http-proxy", None, False, doc="The HTTP proxy for downloads, or #f."),
    Field("tmpdir", None, False, doc="The build directory, or #f for /tmp."),
    Field("build-machines", FieldType("list of build-machine records or gexps", _machines),
          NIL, doc="The machines builds may be offloaded to (written to "
                   "/etc/guix/machines.scm); services such as the build VM add theirs."),
    Field("environment", STRING_LIST, NIL, doc="Environment variables of the daemon."),
], doc="The configuration of the Guix build daemon.")


def machines_file(machines: list):
    """/etc/guix/machines.scm: `(list (build-machine ...) ...)`, Guix's format; machines
    offered only while their VM runs are appended as `(if RUNNING (list M) '())`."""
    forms = [Symbol("list")] + [_machine_code(m) for m in machines
                                if type(m) is not WhileListening]
    conditional = [_while_listening_code(m) for m in machines if type(m) is WhileListening]
    code = from_list(forms)
    if conditional:
        code = from_list([Symbol("append"), code, *conditional])
    return scheme_file("machines.scm", gexp(code))


def _scheme(x: Any) -> Any:
    return from_list([_scheme(i) for i in x]) if isinstance(x, list) else x


def _while_listening_code(m: WhileListening) -> Any:
    s = Symbol
    listening = [s("false-if-exception"),
                 [s("let"), [[s("sock"), [s("socket"), s("AF_INET"), s("SOCK_STREAM"), 0]]],
                  [s("dynamic-wind"),
                   [s("lambda"), [], False],
                   [s("lambda"), [], [s("connect"), s("sock"), s("AF_INET"),
                                      s("INADDR_LOOPBACK"), m.port], True],
                   [s("lambda"), [], [s("close-port"), s("sock")]]]]]
    return from_list([s("if"), _scheme(listening),
                      from_list([s("list"), _machine_code(m.machine)]),
                      from_list([s("quote"), NIL])])


def _machine_code(m: Any) -> Any:
    if type(m) is Gexp:
        return Ungexp(m)
    clauses = [Symbol("build-machine")]
    for i, f in enumerate(BUILD_MACHINE.fields):
        if not m.explicit[i] and f.name not in ("name", "systems", "user", "host-key"):
            continue
        v = m.values[i]
        if f.name in ("systems", "features"):
            v = from_list([Symbol("list")] + to_list(v))
        clauses.append(from_list([Symbol(f.name), Ungexp(v) if type(v) is Gexp else v]))
    return from_list(clauses)


def _etc(config: Record) -> Any:
    machines = to_list(config["build-machines"])
    if not machines:
        return NIL
    return from_list([from_list(["guix/machines.scm", machines_file(machines)])])


def _extend(config: Record, machines: Any) -> Record:
    return GUIX_CONFIGURATION.make(
        {"build-machines": from_list(to_list(config["build-machines"]) +
                                     to_list(machines))}, inherit=config)


guix_service_type = ServiceType("guix", [
    ServiceExtension(shepherd_root_service_type, lambda c: from_list([
        milestone("guix-daemon", "The host's Guix build daemon, when it has one.")])),
    ServiceExtension(etc_service_type, _etc),
], concatenate, _extend, GUIX_CONFIGURATION.make(),
    "The Guix build daemon.  Services extend it with build-machine records (offload "
    "targets), written to /etc/guix/machines.scm.  On a vsys host the daemon itself is "
    "the host's, if any.", module="(gnu services base)")


def install(module) -> None:
    install_record_type(module, GUIX_CONFIGURATION)
    install_record_type(module, BUILD_MACHINE)
    module.define(Symbol("guix-service-type"), guix_service_type, True)
    module.define(Symbol("%default-substitute-urls"), from_list(_DEFAULT_SUBSTITUTE_URLS),
                  True)
    module.define(Symbol("%default-authorized-guix-keys"), NIL, True)


__all__ = ["guix_service_type", "GUIX_CONFIGURATION", "BUILD_MACHINE", "machines_file",
           "WhileListening"]
