"""(gnu services ssh): the OpenSSH daemon.

`openssh-configuration` has Guix's fields and defaults; the service runs
`sshd -D -f <sshd_config>` under Shepherd as `ssh-daemon`, installs authorized keys
under /etc/ssh/authorized_keys.d/USER, creates the privilege separation account, and
generates host keys when none exist (existing keys are never replaced).
"""

from __future__ import annotations

from typing import Any

from vsys.dsl.datatypes import NIL, Pair, Symbol, from_list, is_list, is_string, pystr, to_list
from vsys.dsl.printer import write_string
from vsys.dsl.records import FieldType, Record

from .accounts import user_account, user_group
from .activation_steps import directory_step
from .configuration import configuration, field, install_configurations
from .field_types import (
    BOOLEAN,
    FILE_NAME,
    PACKAGE,
    PORT,
    POSITIVE,
    SSHD_WORD,
    SSHD_WORD_LIST,
    STRING,
    file_name_refusal,
    sshd_refusal,
)
from .files import ConcatenatedFile, FileUnion, file_append, is_file_like, mixed_text_file
from .network_ports import Claim, network_ports_service_type
from .packages import lookup_package
from .services import ServiceExtension, ServiceType, concatenate
from .shepherd import forkexec, kill_destructor, shepherd_root_service_type, shepherd_service
from .system_services import (
    account_service_type,
    activation_service_type,
    etc_service_type,
    profile_service_type,
)

MODULE_NAME = "(gnu services ssh)"

PERMIT_ROOT = FieldType("#t, #f or 'prohibit-password", lambda x: type(x) is bool or
                        x is Symbol("prohibit-password"))
LOG_LEVELS = ("quiet", "fatal", "error", "info", "verbose", "debug", "debug1", "debug2",
              "debug3")
LOG_LEVEL = FieldType("log level symbol (" + ", ".join(f"'{n}" for n in LOG_LEVELS) + ")",
                      lambda x: type(x) is Symbol and x.name in LOG_LEVELS)


# A subsystem's name and command reach sshd_config as written (a file-like command is a
# store path); an authorized-keys user names a file of /etc/ssh/authorized_keys.d.

def _subsystem_refusals(x: Any) -> list[str]:
    out = []
    for entry in to_list(x) if is_list(x) else []:
        if not (is_list(entry) and len(to_list(entry)) == 2):
            continue
        for part, one, value in zip(("name", "command"), (True, False), to_list(entry)):
            reason = sshd_refusal(pystr(value), one) if is_string(value) else None
            if reason:
                out.append(f"subsystems {part} {write_string(value)} {reason}")
    return out


def _subsystems(x: Any) -> bool:
    return is_list(x) and all(is_list(e) and len(to_list(e)) == 2 and
                              all(is_string(s) or is_file_like(s) for s in to_list(e))
                              for e in to_list(x)) and not _subsystem_refusals(x)


def _authorized_key_refusals(x: Any) -> list[str]:
    out = []
    for e in to_list(x) if is_list(x) else []:
        reason = file_name_refusal(pystr(e.car)) if type(e) is Pair and is_string(e.car) \
            else None
        if reason:
            out.append(f"authorized-keys user {write_string(e.car)} {reason}")
    return out


def _authorized_keys(x: Any) -> bool:
    return is_list(x) and all(
        type(e) is Pair and FILE_NAME.check(e.car) and is_list(e.cdr) and e.cdr is not NIL
        and all(is_file_like(k) for k in to_list(e.cdr)) for e in to_list(x))


SUBSYSTEMS = FieldType("list of (NAME COMMAND), NAME a word and COMMAND words sshd_config "
                       "reads as written", _subsystems, _subsystem_refusals)
AUTHORIZED_KEYS = FieldType("list of (USER FILE-LIKE ...), USER a file name",
                            _authorized_keys, _authorized_key_refusals)


OPENSSH_CONFIGURATION = configuration("openssh-configuration", MODULE_NAME, [
    field("openssh", PACKAGE, package="openssh", doc="The OpenSSH package to use."),
    field("pid-file", SSHD_WORD, "/var/run/sshd.pid", doc="Name of the file where sshd "
                                                        "writes its PID."),
    field("port-number", PORT, 22, doc="TCP port on which sshd listens for incoming "
                                       "connections."),
    field("max-connections", POSITIVE, 200,
          doc="Hard limit on the number of simultaneous client connections."),
    field("permit-root-login", PERMIT_ROOT, False,
          doc="Whether root may log in: #t allows it, #f forbids it, and "
              "'prohibit-password allows it only with public-key authentication."),
    field("allow-empty-passwords?", BOOLEAN, False,
          doc="When true, users with empty passwords may log in; when false, they may "
              "not."),
    field("password-authentication?", BOOLEAN, True,
          doc="When true, users may log in with their password; when false, they need "
              "another authentication method."),
    field("public-key-authentication?", BOOLEAN, True,
          doc="When true, users may log in using public key authentication (their keys "
              "in ~/.ssh/authorized_keys or authorized-keys below)."),
    field("x11-forwarding?", BOOLEAN, False,
          doc="Whether to allow X11 forwarding (ssh -X), so graphical client "
              "applications run remotely."),
    field("allow-agent-forwarding?", BOOLEAN, True,
          doc="Whether to allow agent forwarding."),
    field("allow-tcp-forwarding?", BOOLEAN, True,
          doc="Whether to allow TCP forwarding."),
    field("gateway-ports?", BOOLEAN, False,
          doc="Whether remote hosts may connect to ports forwarded for the client."),
    field("challenge-response-authentication?", BOOLEAN, False,
          doc="Whether challenge-response authentication (keyboard-interactive) is "
              "allowed."),
    field("use-pam?", BOOLEAN, True,
          doc="Whether to use the Pluggable Authentication Module interface for "
              "authentication, account and session processing."),
    field("print-last-log?", BOOLEAN, True,
          doc="Whether sshd prints the date and time of the user's last login when "
              "they log in interactively."),
    field("subsystems", SUBSYSTEMS,
          from_list([from_list(["sftp", "internal-sftp"])]),
          doc="External subsystems, each (NAME COMMAND), e.g. (\"sftp\" "
              "\"internal-sftp\"); the command may be a file-like object."),
    field("accepted-environment", SSHD_WORD_LIST, NIL,
          doc="Names of environment variables a client may pass (AcceptEnv), such as "
              "\"COLORTERM\"."),
    field("authorized-keys", AUTHORIZED_KEYS, NIL,
          doc="Authorized public keys per user: a list of (USER KEY-FILE ...) where "
              "each key file is a file-like object holding public keys, e.g. "
              "`((\"root\" ,(local-file \"alice.pub\")))."),
    field("generate-host-keys?", BOOLEAN, True,
          doc="Whether to generate host keys (ssh-keygen -A) when none exist.  Existing "
              "keys are never replaced."),
    field("log-level", LOG_LEVEL, Symbol("info"),
          doc="The verbosity of sshd's log, a symbol such as 'info or 'debug."),
    field("extra-content", STRING, "",
          doc="Text appended verbatim to sshd_config, for options not covered by the "
              "fields above."),
], doc="The configuration of the OpenSSH daemon, sshd.")


def _yes(b: bool) -> str:
    return "yes" if b else "no"


def sshd_config_parts(c: Record) -> list:
    """The text of sshd_config, as strings and file-like objects (for subsystems)."""
    root = c["permit-root-login"]
    root_text = "prohibit-password" if type(root) is Symbol else _yes(root)
    lines: list = [
        f"Port {c['port-number']}\n",
        f"PermitRootLogin {root_text}\n",
        f"PermitEmptyPasswords {_yes(c['allow-empty-passwords?'])}\n",
        f"PasswordAuthentication {_yes(c['password-authentication?'])}\n",
        f"PubkeyAuthentication {_yes(c['public-key-authentication?'])}\n",
        f"X11Forwarding {_yes(c['x11-forwarding?'])}\n",
        f"AllowAgentForwarding {_yes(c['allow-agent-forwarding?'])}\n",
        f"AllowTcpForwarding {_yes(c['allow-tcp-forwarding?'])}\n",
        f"GatewayPorts {_yes(c['gateway-ports?'])}\n",
        f"PidFile {pystr(c['pid-file'])}\n",
        f"ChallengeResponseAuthentication "
        f"{_yes(c['challenge-response-authentication?'])}\n",
        f"UsePAM {_yes(c['use-pam?'])}\n",
        f"PrintLastLog {_yes(c['print-last-log?'])}\n",
        f"LogLevel {c['log-level'].name.upper()}\n",
        "AuthorizedKeysFile  .ssh/authorized_keys .ssh/authorized_keys2 "
        "/etc/ssh/authorized_keys.d/%u\n",
    ]
    for var in to_list(c["accepted-environment"]):
        lines.append(f"AcceptEnv {pystr(var)}\n")
    for entry in to_list(c["subsystems"]):
        name, command = to_list(entry)
        lines += [f"Subsystem\t{pystr(name)}\t", command if not is_string(command)
                  else pystr(command), "\n"]
    extra = pystr(c["extra-content"])
    if extra:
        lines.append(extra if extra.endswith("\n") else extra + "\n")
    return lines


def sshd_config_file(c: Record):
    return mixed_text_file("sshd_config", *sshd_config_parts(c))


def authorized_keys_directory(c: Record) -> FileUnion | None:
    """/etc/ssh/authorized_keys.d: one file per user, the user's keys concatenated."""
    per_user: dict[str, list] = {}
    for entry in to_list(c["authorized-keys"]):
        per_user.setdefault(pystr(entry.car), []).extend(to_list(entry.cdr))
    if not per_user:
        return None
    return FileUnion("authorized_keys.d", [
        (user, ConcatenatedFile(user, keys)) for user, keys in per_user.items()])


def openssh_shepherd_service(c: Record) -> Any:
    sshd = file_append(c["openssh"], "/sbin/sshd")
    return from_list([shepherd_service(
        provision=["ssh-daemon", "ssh", "sshd"], requirement=["syslogd", "loopback"],
        documentation="OpenSSH server.",
        start=forkexec([sshd, "-D", "-f", sshd_config_file(c)],
                       pid_file=pystr(c["pid-file"])),
        stop=kill_destructor())])


def _etc(c: Record) -> Any:
    keys = authorized_keys_directory(c)
    return from_list([from_list(["ssh/authorized_keys.d", keys])]) if keys else NIL


def _activation(c: Record) -> Any:
    # Debian's sshd refuses to start without its privilege separation directory, which
    # systemd would otherwise create (RuntimeDirectory=sshd).
    steps = [directory_step("/etc/ssh", 0o755), directory_step("/run/sshd", 0o755)]
    if c["generate-host-keys?"]:
        steps.append({"kind": "ssh-host-keys", "root": "/"})
    return from_list(steps)


def _accounts(c: Record) -> Any:
    return from_list([
        user_group("sshd", system=True),
        user_account("sshd", group="sshd", system=True,
                     comment="sshd privilege separation user",
                     home_directory="/var/run/sshd", create_home_directory=False,
                     shell=file_append(lookup_package("shadow"), "/sbin/nologin"))])


def _claims(c: Record) -> Any:
    return from_list([Claim("tcp", "0.0.0.0", c["port-number"], "openssh (port-number)",
                            c.loc)])


def _extend(config: Record, keys: Any) -> Record:
    """Other services add authorized keys: (USER FILE-LIKE ...) entries."""
    return OPENSSH_CONFIGURATION.make(
        {"authorized-keys": from_list(to_list(config["authorized-keys"]) + to_list(keys))},
        inherit=config)


def _make_type() -> ServiceType:
    return ServiceType("ssh", [
        ServiceExtension(shepherd_root_service_type, openssh_shepherd_service),
        ServiceExtension(etc_service_type, _etc),
        ServiceExtension(activation_service_type, _activation),
        ServiceExtension(account_service_type, _accounts),
        ServiceExtension(profile_service_type, lambda c: from_list([c["openssh"]])),
        ServiceExtension(network_ports_service_type, _claims),
    ], concatenate, _extend, OPENSSH_CONFIGURATION.make(),
        "Run the OpenSSH secure shell daemon, sshd.", module=MODULE_NAME)


openssh_service_type = _make_type()


def install(module) -> None:
    install_configurations(module, MODULE_NAME)
    module.define(Symbol("openssh-service-type"), openssh_service_type, True)


__all__ = ["openssh_service_type", "OPENSSH_CONFIGURATION", "sshd_config_parts",
           "authorized_keys_directory"]
