"""The secret service over loopback: `vsys secret-service send` to `... receive`."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import threading

import pytest
from support.cli import VSYS

from vsys.shepherd.secrets import SecretServiceError, send_secrets
from vsys.shepherd.sexp import Symbol, read_one, write

TREE = {"/etc/guix/acl": (b"(acl (entry))\n", 0o644),
        "/etc/guix/signing-key.sec": (b"\x00secret\xffbytes", 0o600),
        "/etc/ssh/ssh_host_ed25519_key": (b"private\n", 0o600),
        "/etc/ssh/ssh_host_ed25519_key.pub": (b"ssh-ed25519 AAAA host\n", 0o644),
        "/etc/ssh/authorized_keys.d/offloading": (b"ssh-ed25519 BBBB offload\n", 0o444),
        "/usr/local/bin/hook": (b"#!/bin/sh\n", 0o755),
        "/empty": (b"", 0o640)}


def make_tree(root: str) -> None:
    for rel, (data, mode) in TREE.items():
        path = root + rel
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        os.chmod(path, mode)


def test_sender_delivers_a_tree_to_the_receiver(sandbox, free_port):
    src, dest = os.path.join(sandbox.base, "secrets"), os.path.join(sandbox.base, "guest")
    make_tree(src)
    port = free_port()
    receiver = subprocess.Popen([*VSYS, "secret-service", "receive",
                                 "--port", str(port), "--root", dest, "--timeout", "60"],
                                env=sandbox.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
    try:
        assert receiver.stderr.readline() == f"secret-service: listening on 127.0.0.1:{port}\n"
        sent = sandbox.vsys("secret-service", "send", "--port", str(port), "--root", src,
                            "--handshake-timeout", "10", "--tries", "5")
        assert (sent.returncode, sent.stdout) == (0, f"sent {len(TREE)} file(s)\n"), sent.stderr
        out, _ = receiver.communicate(timeout=30)
    finally:
        receiver.kill()
        receiver.wait()
    assert receiver.returncode == 0
    assert sorted(out.splitlines()) == sorted(f"installed {dest}{rel}" for rel in TREE)
    for rel, (data, mode) in TREE.items():
        with open(dest + rel, "rb") as f:
            assert f.read() == data
        assert stat.S_IMODE(os.stat(dest + rel).st_mode) == mode, rel


def test_nobody_listening_fails_after_the_tries(sandbox, free_port):
    src = os.path.join(sandbox.base, "secrets")
    make_tree(src)
    port = free_port()
    with pytest.raises(SecretServiceError,
                       match=rf"could not connect to the guest's secret service "
                             rf"on 127.0.0.1:{port} after 2 tries"):
        send_secrets(port, src, handshake_timeout=1, tries=2, retry_delay=0.1)


def test_silent_guest_fails_at_the_handshake_timeout(sandbox):
    src = os.path.join(sandbox.base, "secrets")
    make_tree(src)
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(4)
        port = server.getsockname()[1]
        with pytest.raises(SecretServiceError,
                           match=r"did not answer within the handshake timeout \(0.5 s\)"):
            send_secrets(port, src, handshake_timeout=0.5, tries=60, retry_delay=0.1)


def test_wire_format_is_scheme_write_syntax(sandbox):
    """What the host writes, byte for byte, for a one-file tree."""
    src = os.path.join(sandbox.base, "secrets")
    os.makedirs(src)
    with open(os.path.join(src, "key"), "wb") as f:
        f.write(b"abc")
    os.chmod(os.path.join(src, "key"), 0o600)
    got = []
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)

        def guest():
            conn, _ = server.accept()
            with conn:
                conn.sendall(b"(secret-service-server (version 0))\n")
                data = b""
                while chunk := conn.recv(4096):
                    data += chunk
                got.append(data)
        t = threading.Thread(target=guest)
        t.start()
        send_secrets(server.getsockname()[1], src, handshake_timeout=5, tries=3, retry_delay=0.1)
        t.join(10)
    assert got == [b'(secrets (version 0) (files (("/key" 3 33152))))abc']
    assert read_one(write([Symbol("secrets"), [Symbol("version"), 0]])) == \
        ["secrets", ["version", 0]]
