"""The secret service: the host hands a VM its secret files over TCP.

The guest listens and greets with `(secret-service-server (version 0))`; the host
answers `(secrets (version 0) (files ((PATH SIZE MODE) ...)))` and then the raw bytes
of every file, in that order.  PATH is relative to the secret root, with a leading
`/`; MODE is the file's st_mode.  Everything goes over 127.0.0.1 only.
"""

from __future__ import annotations

import os
import socket
import stat
import time
from typing import Callable

from .sexp import Incomplete, SexpError, Symbol, read, write

HELLO = [Symbol("secret-service-server"), [Symbol("version"), 0]]


class SecretServiceError(Exception):
    pass


def collect(secret_root: str) -> list[tuple[str, str, int, int]]:
    """(protocol path, host path, size, mode) for each regular file under SECRET_ROOT."""
    found = []
    for dirpath, dirnames, filenames in os.walk(secret_root):
        dirnames.sort()
        for name in sorted(filenames):
            full = os.path.join(dirpath, name)
            st = os.lstat(full)
            if stat.S_ISREG(st.st_mode):
                rel = "/" + os.path.relpath(full, secret_root)
                found.append((rel, full, st.st_size, st.st_mode))
    return found


def _read_datum(sock: socket.socket, deadline: float, buf: bytearray):
    """Read one datum from SOCK before DEADLINE; leftover bytes stay in BUF."""
    while True:
        try:
            value, end = read(bytes(buf))
            del buf[:end]
            return value
        except Incomplete:
            pass
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError()
        sock.settimeout(remaining)
        chunk = sock.recv(65536)
        if not chunk:
            raise EOFError()
        buf += chunk


def send_secrets(port: int, secret_root: str, handshake_timeout: float = 180.0,
                 tries: int = 60, retry_delay: float = 1.0,
                 should_stop: Callable[[], str | None] = lambda: None,
                 log: Callable[[str], None] = lambda s: None) -> int:
    """Connect to the guest at 127.0.0.1:PORT and send SECRET_ROOT's files.

    Connection attempts are made once per RETRY_DELAY, TRIES times; once connected, the
    guest's hello must arrive within HANDSHAKE_TIMEOUT seconds of the first connection
    (a connection closed before the hello, as QEMU's port forwarding does while nothing
    listens in the guest yet, is retried within that time).  SHOULD_STOP() returning a
    reason aborts (the VM died).  Returns the number of files sent."""
    files = collect(secret_root) if os.path.isdir(secret_root) else None
    if files is None:
        raise SecretServiceError(f"secret root {secret_root} is not a directory")
    handshake_deadline = None
    for attempt in range(1, tries + 1):
        reason = should_stop()
        if reason:
            raise SecretServiceError(reason)
        if handshake_deadline is not None and time.monotonic() >= handshake_deadline:
            break
        try:
            sock = socket.create_connection(("127.0.0.1", port), timeout=retry_delay)
        except OSError:
            time.sleep(retry_delay)
            continue
        if handshake_deadline is None:
            handshake_deadline = time.monotonic() + handshake_timeout
            log(f"connected to the secret service on 127.0.0.1:{port}")
        with sock:
            buf = bytearray()
            try:
                hello = _read_datum(sock, handshake_deadline, buf)
            except TimeoutError:
                break
            except (EOFError, ConnectionError):
                time.sleep(min(retry_delay, max(0.0, handshake_deadline - time.monotonic())))
                continue
            except SexpError as e:
                raise SecretServiceError(f"invalid handshake from the guest: {e}") from None
            if hello != HELLO:
                raise SecretServiceError(f"unexpected handshake from the guest: {write(hello)}")
            header = [Symbol("secrets"), [Symbol("version"), 0],
                      [Symbol("files"), [[rel, size, mode] for rel, _, size, mode in files]]]
            sock.settimeout(max(handshake_timeout, 30.0))
            sock.sendall(write(header).encode())
            for rel, full, size, _ in files:
                with open(full, "rb") as f:
                    data = f.read()
                if len(data) != size:
                    raise SecretServiceError(f"{full} changed while being sent")
                sock.sendall(data)
            sock.shutdown(socket.SHUT_WR)
            log(f"sent {len(files)} secret file(s) to 127.0.0.1:{port}")
            return len(files)
    if handshake_deadline is None:
        raise SecretServiceError(f"could not connect to the guest's secret service on "
                                 f"127.0.0.1:{port} after {tries} tries")
    raise SecretServiceError(f"the guest's secret service on 127.0.0.1:{port} did not answer "
                             f"within the handshake timeout ({handshake_timeout:g} s)")


def _install(root: str, rel: str, data: bytes, mode: int) -> str:
    parts = [p for p in rel.split("/") if p]
    if not parts or any(p in (".", "..") for p in parts):
        raise SecretServiceError(f"refusing the path {rel!r}")
    target = os.path.join(root, *parts)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    tmp = target + ".vsys-new"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
    try:
        os.write(fd, data)
        os.fchmod(fd, stat.S_IMODE(mode))
    finally:
        os.close(fd)
    os.replace(tmp, target)
    return target


def receive_secrets(port: int, root: str, timeout: float = 600.0,
                    ready: Callable[[int], None] = lambda p: None,
                    address: str = "127.0.0.1") -> list[str]:
    """The guest side: listen on ADDRESS:PORT, greet, install the files under ROOT.

    Waits at most TIMEOUT seconds for the host and for the data.  READY(port) is
    called once listening (the port, useful when PORT is 0).  Inside a VM, ADDRESS is
    0.0.0.0: QEMU's port forwarding reaches the guest's network address, not its
    loopback."""
    deadline = time.monotonic() + timeout
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind((address, port))
        server.listen(1)
        ready(server.getsockname()[1])
        server.settimeout(timeout)
        try:
            conn, _ = server.accept()
        except TimeoutError:
            raise SecretServiceError(f"no host connected within {timeout:g} s") from None
    with conn:
        conn.sendall(write(HELLO).encode() + b"\n")
        buf = bytearray()
        try:
            header = _read_datum(conn, deadline, buf)
        except (TimeoutError, EOFError):
            raise SecretServiceError("the host sent no secrets") from None
        try:
            tag, (vtag, version), (ftag, entries) = header
            assert tag == "secrets" and vtag == "version" and ftag == "files"
        except (ValueError, TypeError, AssertionError):
            raise SecretServiceError(f"unexpected message from the host: {write(header)[:200]}") from None
        if version != 0:
            raise SecretServiceError(f"unsupported secrets version {version}")
        installed = []
        for entry in entries:
            rel, size, mode = entry
            while len(buf) < size:
                conn.settimeout(max(0.1, deadline - time.monotonic()))
                chunk = conn.recv(max(65536, size - len(buf)))
                if not chunk:
                    raise SecretServiceError(f"connection closed in the middle of {rel}")
                buf += chunk
            data = bytes(buf[:size])
            del buf[:size]
            installed.append(_install(root, rel, data, mode))
        return installed
