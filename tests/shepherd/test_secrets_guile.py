"""The secret service against a Guile peer (tests/shepherd/secret_service.scm, run with the
installed guile): vsys's sender to a Guile receiver, and a Guile sender to
`vsys secret-service receive`, over loopback, with links, an empty or missing root,
modes, binary, empty and large files, and odd names."""

from __future__ import annotations

import os
import socket
import stat
import subprocess

import pytest
from hostprograms import need_program
from support.cli import VSYS

from vsys.shepherd.secrets import SecretServiceError, collect, send_secrets

GUILE_PEER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "secret_service.scm")
BIG = bytes(range(256)) * (3 * 1024 * 4)              # 3 MiB, every byte value
ODD_NAMES = ["with space", 'quo"te', "back\\slash", "tab\there", "new\nline", "é-ünï",
             "-dash", "semi;colon", "paren(s)"]

# path -> (content, mode); the secret root also holds links (see make_tree).
FILES = {"/etc/ssh/ssh_host_ed25519_key": (b"private\n", 0o600),
         "/etc/ssh/authorized_keys.d/offloading": (b"ssh-ed25519 BBBB offload\n", 0o444),
         "/etc/guix/signing-key.sec": (b"\x00secret\xff\r\n\x1a", 0o600),
         "/usr/bin/setgid-tool": (b"#!/bin/sh\n", 0o2755),
         "/empty": (b"", 0o640),
         "/big.bin": (BIG, 0o644),
         **{f"/odd/{name}": (name.encode() + b"\n", 0o644) for name in ODD_NAMES}}


def make_tree(base: str) -> tuple[str, dict]:
    """A secret root with FILES, a 0555 directory, a link to a file inside the root and
    one to a file outside it.  Returns the root and what the guest must end up with."""
    root = os.path.join(base, "secrets")
    for rel, (data, mode) in FILES.items():
        path = root + rel
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        os.chmod(path, mode)
    outside = os.path.join(base, "outside.key")
    with open(outside, "wb") as f:
        f.write(b"linked from outside\n")
    os.chmod(outside, 0o400)
    os.symlink(outside, root + "/etc/ssh/from-outside")
    os.symlink("ssh_host_ed25519_key", root + "/etc/ssh/alias")
    os.chmod(root + "/etc/ssh/authorized_keys.d", 0o555)
    expected = dict(FILES)
    expected["/etc/ssh/from-outside"] = (b"linked from outside\n", 0o400)
    expected["/etc/ssh/alias"] = FILES["/etc/ssh/ssh_host_ed25519_key"]
    return root, expected


def check_installed(dest: str, expected: dict) -> None:
    got = {}
    for dirpath, _, names in os.walk(dest):
        for name in names:
            full = os.path.join(dirpath, name)
            st = os.lstat(full)
            assert stat.S_ISREG(st.st_mode), full
            with open(full, "rb") as f:
                got["/" + os.path.relpath(full, dest)] = (f.read(), stat.S_IMODE(st.st_mode))
    assert sorted(got) == sorted(expected)
    for rel, (data, mode) in expected.items():
        assert got[rel][0] == data, rel
        assert got[rel][1] == mode, f"{rel}: {oct(got[rel][1])}, not {oct(mode)}"


@pytest.fixture
def guile():
    return need_program("guile", "guile-3.0")


def guile_receiver(guile: str, dest: str) -> tuple[subprocess.Popen, int]:
    proc = subprocess.Popen([guile, "--no-auto-compile", GUILE_PEER, "receive", "0", dest],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    line = proc.stdout.readline().decode()
    assert line.startswith("port "), (line, proc.stderr.read() if proc.poll() is not None else "")
    return proc, int(line.split()[1])


def vsys_to_guile(guile: str, root: str, dest: str) -> tuple[int, bytes]:
    proc, port = guile_receiver(guile, dest)
    try:
        count = send_secrets(port, root, handshake_timeout=30, tries=10, retry_delay=0.2)
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == 0, err.decode()
    return count, out


def test_vsys_sender_to_guile_receiver(sandbox, guile):
    root, expected = make_tree(sandbox.base)
    dest = os.path.join(sandbox.base, "guest")
    count, out = vsys_to_guile(guile, root, dest)
    assert count == len(expected)
    assert out.decode().count("installed ") == len(expected)
    check_installed(dest, expected)


def test_sender_sends_paths_in_order_and_links_as_their_files(sandbox):
    root, expected = make_tree(sandbox.base)
    sent = collect(root)
    assert [rel for rel, *_ in sent] == sorted(expected)
    alias = next(e for e in sent if e[0] == "/etc/ssh/alias")
    assert alias[2:] == (len(b"private\n"), stat.S_IFREG | 0o600)


@pytest.mark.parametrize("kind", ["empty", "missing"])
def test_empty_or_missing_root_sends_an_empty_list(sandbox, guile, kind):
    root = os.path.join(sandbox.base, "secrets")
    if kind == "empty":
        os.makedirs(root)
    dest = os.path.join(sandbox.base, "guest")
    count, out = vsys_to_guile(guile, root, dest)
    assert (count, out) == (0, b"")
    assert not os.path.exists(dest)


def test_guile_sender_to_vsys_receiver(sandbox, guile, free_port):
    root, expected = make_tree(sandbox.base)
    dest = os.path.join(sandbox.base, "guest")
    os.makedirs(dest + "/etc/ssh")
    with open(dest + "/etc/ssh/ssh_host_ed25519_key", "wb") as f:
        f.write(b"made by the guest's activation, replaced by the host's\n")
    port = free_port()
    receiver = subprocess.Popen([*VSYS, "secret-service", "receive",
                                 "--port", str(port), "--root", dest, "--timeout", "60",
                                 "--allow-setuid"],    # the tree has a setgid file
                                env=sandbox.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert receiver.stderr.readline() == \
            f"secret-service: listening on 127.0.0.1:{port}\n".encode()
        sender = subprocess.run([guile, "--no-auto-compile", GUILE_PEER, "send", str(port), root],
                                capture_output=True, timeout=60)
        assert (sender.returncode, sender.stdout) == (0, f"sent {len(expected)}\n".encode()), \
            sender.stderr.decode()
        out, err = receiver.communicate(timeout=60)
    finally:
        receiver.kill()
        receiver.wait()
    assert receiver.returncode == 0, err.decode()
    assert len(out.decode("utf-8", "surrogateescape").split("installed ")) - 1 == len(expected)
    check_installed(dest, expected)


def test_vsys_receiver_sends_nothing_after_its_hello(sandbox, free_port):
    """The hello is the datum alone: a byte more, never read by a sender that then
    closes, would turn that close into a reset and lose the files' end."""
    port = free_port()
    receiver = subprocess.Popen([*VSYS, "secret-service", "receive",
                                 "--port", str(port), "--root", os.path.join(sandbox.base, "g"),
                                 "--timeout", "20"],
                                env=sandbox.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        receiver.stderr.readline()
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            hello = b""
            sock.settimeout(2)
            try:
                while chunk := sock.recv(4096):
                    hello += chunk
            except TimeoutError:
                pass
            assert hello == b"(secret-service-server (version 0))"
            sock.sendall(b'(secrets (version 0) (files ()))')
        receiver.communicate(timeout=30)
    finally:
        receiver.kill()
        receiver.wait()
    assert receiver.returncode == 0


@pytest.mark.parametrize("target", ["missing", "directory"])
def test_a_link_to_no_file_is_a_clear_error(sandbox, target):
    """Guix's sender fails on these too (it cannot read them as files); vsys says which."""
    root = os.path.join(sandbox.base, "secrets")
    os.makedirs(os.path.join(root, "etc"))
    os.symlink("/nonexistent/key" if target == "missing" else "/etc",
               os.path.join(root, "etc", "bad"))
    with pytest.raises(SecretServiceError, match=rf"cannot send {root}/etc/bad: "):
        collect(root)
