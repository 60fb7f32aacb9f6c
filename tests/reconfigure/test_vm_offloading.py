"""Offloading to the build VM as Guix sets it up: the guest trusts the host's signing key
(Guix's initialize-build-vm-substitutes), and /etc/guix/machines.scm offers the VM only
while it runs, which Guile itself decides when it loads the file."""

from __future__ import annotations

import os
import re
import socket
import subprocess

from hostprograms import need_program
from support.world import World, read

HOST_KEY = ("(public-key \n (ecc \n  (curve Ed25519)\n  (q #"
            "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF#)\n  )\n )\n")
SECRET = "etc/guix/virtual-build-machines/build-vm"


def build_vm_config(w: World, ssh_port: int = 11022) -> str:
    return w.config("vm.scm", f"""\
        (use-modules (gnu))
        (use-service-modules virtualization)
        (operating-system
          (host-name "host")
          (services (list (service virtual-build-machine-service-type
                            (virtual-build-machine
                              (port-forwardings '(({ssh_port} . 22) (11044 . 1004))))))))
        """)


def test_the_guest_trusts_the_hosts_signing_key(tmp_path):
    need_program("ssh-keygen", "openssh-client")
    w = World(tmp_path, in_process=True)
    os.makedirs(w.path("etc/guix"))
    with open(w.path("etc/guix/signing-key.pub"), "w") as f:
        f.write(HOST_KEY)
    w.reconfigure(build_vm_config(w), "--no-supervisor")
    guest_acl = read(w.path(f"{SECRET}/etc/guix/acl"))
    assert guest_acl.startswith("(acl\n") and HOST_KEY.strip() in guest_acl
    guest_key = read(w.path(f"{SECRET}/etc/guix/signing-key.pub"))
    assert guest_key.strip() in read(w.path("etc/guix/acl"))
    # Reconfiguring again adds nothing twice.
    w.reconfigure(w.config("again.scm", read(build_vm_config(w)).replace('"host"', '"h2"')),
                  "--no-supervisor")
    assert read(w.path(f"{SECRET}/etc/guix/acl")) == guest_acl


def test_a_host_without_a_signing_key_has_nothing_to_authorize(tmp_path):
    need_program("ssh-keygen", "openssh-client")
    w = World(tmp_path, in_process=True)
    w.reconfigure(build_vm_config(w), "--no-supervisor")
    assert not os.path.exists(w.path("etc/guix/signing-key.pub"))
    guest_key = read(w.path(f"{SECRET}/etc/guix/signing-key.pub"))
    assert guest_key.strip() in read(w.path("etc/guix/acl"))
    # The host had no ACL to copy when the guest's keys were made, and has no key of
    # its own to add: the guest gets no ACL.
    assert not os.path.exists(w.path(f"{SECRET}/etc/guix/acl"))


# Loading machines.scm as `guix offload` does, with build-machine standing for Guix's
# record (quoted: the host key file exists only on a real host).
LOAD = """(define-syntax build-machine
  (syntax-rules () ((_ (field value) ...) '((field value) ...))))
(write (primitive-eval (call-with-input-file (cadr (command-line)) read)))"""


def machines(guile: str, path: str) -> str:
    done = subprocess.run([guile, "--no-auto-compile", "-c",
                           f"(define (command-line) (list \"x\" {path!r}))".replace("'", '"')
                           + LOAD], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_machines_scm_lists_the_build_vm_only_while_it_runs(tmp_path):
    guile = need_program("guile", "guile-3.0")
    w = World(tmp_path, in_process=True)
    port = free_port()
    generation = w.vsys("build", build_vm_config(w, port)).stdout.strip().splitlines()[-1]
    path = os.path.join(generation, "etc/guix/machines.scm")
    assert machines(guile, path) == "()"           # nothing listens: the VM is stopped
    with socket.socket() as vm:                     # QEMU listening on the forwarded port
        vm.bind(("127.0.0.1", port))
        vm.listen(4)
        listed = machines(guile, path)
    assert re.fullmatch(r'\(\(\(name "localhost"\) \(port %d\) \(systems \(list "[^"]+"\)\) '
                        r'\(user "offloading"\) \(host-key \(call-with-input-file '
                        r'"/etc/guix/virtual-build-machines/build-vm/etc/ssh/'
                        r'ssh_host_ed25519_key.pub" read-line\)\) \(private-key '
                        r'"/etc/guix/offload/ssh/virtual-build-machine/build-vm"\)\)\)' % port,
                        listed), listed
