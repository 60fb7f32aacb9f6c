"""What the build VM and the childhurd share: a QEMU guest the host runs as a Shepherd
service, as an unprivileged user, sending it its secrets when it boots and offloading
builds to it over SSH.
"""

from __future__ import annotations

from typing import Any

from vsys.dsl.datatypes import Keyword, Symbol, from_list

from .accounts import user_account, user_group
from .activation_steps import directory_step
from .files import file_append
from .gexp import gexp
from .guix import BUILD_MACHINE
from .packages import lookup_package
from .shepherd import shepherd_action


def qemu_vm_start(argv: list, kvm_option: str, kvm_access: str, image: Any,
                  secrets_port: int | None, secret_root: str, user: str,
                  group: str = "kvm") -> Any:
    """The start gexp of a VM:
    `(make-qemu-vm-constructor (list QEMU ARG ...) #:kvm-option "-enable-kvm"
    #:kvm-access "rw" #:image IMAGE #:secrets-port P #:secret-root DIR #:user U
    #:group G #:environment-variables (list "TMPDIR=/tmp"))`.
    The runner inserts KVM-OPTION after the program when /dev/kvm allows KVM-ACCESS
    ("rw": readable and writable, "exists": present), then, once QEMU runs, sends the
    files under SECRET-ROOT to 127.0.0.1:P, killing the VM if that fails."""
    code: list = [Symbol("make-qemu-vm-constructor"), [Symbol("list"), *argv],
                  Keyword("kvm-option"), kvm_option, Keyword("kvm-access"), kvm_access,
                  Keyword("image"), image]
    if secrets_port is not None:
        code += [Keyword("secrets-port"), secrets_port, Keyword("secret-root"), secret_root]
    code += [Keyword("user"), user, Keyword("group"), group,
             Keyword("environment-variables"), [Symbol("list"), "TMPDIR=/tmp"]]
    return gexp(code)


def print_action(name: str, lines: list[str], documentation: str) -> Any:
    """A Shepherd action printing LINES: `(make-print-action (list LINE ...))`."""
    return shepherd_action(name, gexp([Symbol("make-print-action"),
                                       [Symbol("list"), *lines]]), documentation)


def vm_accounts(name: str, comment: str) -> Any:
    """The group NAME and the system user NAME the VM runs as (also of the group kvm,
    for /dev/kvm), without a home or a login shell."""
    return from_list([
        user_group(name=name, system=True),
        user_account(name=name, group=name, system=True, comment=comment,
                     supplementary_groups=["kvm"], home_directory="/var/empty",
                     create_home_directory=False,
                     shell=file_append(lookup_package("shadow"), "/sbin/nologin"))])


def offload_machine(service: str, port: int, systems: list[str], host_key_file: str,
                    private_key: str, overload_threshold: float | None = None) -> Any:
    """The build-machine record for /etc/guix/machines.scm by which the host offloads to
    a VM on the forwarded PORT.  The guest's host key is generated at activation, so
    machines.scm reads it from HOST-KEY-FILE when guix offload loads it."""
    values = {"name": "localhost", "port": port, "systems": from_list(systems),
              "user": "offloading",
              "host-key": gexp([Symbol("call-with-input-file"), host_key_file,
                                Symbol("read-line")]),
              "private-key": private_key}
    if overload_threshold is not None:
        values["overload-threshold"] = overload_threshold
    return BUILD_MACHINE.make(values)


def vm_secrets_steps(secret: str, offload_key: str | None, comment: str) -> list[dict]:
    """Activation of a VM's secret root SECRET (sent into the guest when it boots): its
    SSH host keys, its Guix signing key, and, when OFFLOAD_KEY is given, the key the
    host offloads with, authorized for the guest's `offloading` user."""
    steps = [directory_step(secret, 0o700),
             {"kind": "ssh-host-keys", "root": secret}]
    if offload_key is not None:
        steps += [directory_step(offload_key.rsplit("/", 1)[0], 0o700),
                  {"kind": "ssh-key", "path": offload_key, "type": "ed25519",
                   "comment": comment},
                  {"kind": "authorize-ssh-key", "public-key": offload_key + ".pub",
                   "file": f"{secret}/etc/ssh/authorized_keys.d/offloading",
                   "directory-mode": 0o555}]
    steps.append({"kind": "guix-signing-key", "directory": f"{secret}/etc/guix",
                  "acl-source": "/etc/guix/acl"})
    # The guest accepts what the host signs (the inputs it sends when offloading), as
    # Guix's initialize-build-vm-substitutes does.
    steps.append({"kind": "authorize-host-guix-key", "public-key": "/etc/guix/signing-key.pub",
                  "acl": f"{secret}/etc/guix/acl"})
    if offload_key is not None:
        steps.append({"kind": "authorize-guix-key",
                      "public-key": f"{secret}/etc/guix/signing-key.pub",
                      "acl": "/etc/guix/acl"})
    return steps
