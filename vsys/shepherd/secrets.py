"""The secret service: the host hands a VM its secret files over TCP.

The guest listens and greets with `(secret-service-server (version 0))`, nothing after
it (Guix's host closes its socket once the files are sent: a byte it never read would make
that close a reset, losing the end of the data); the host answers `(secrets (version 0)
(files ((PATH SIZE MODE) ...)))` and then the raw bytes of every file, in that order.
PATH is relative to the secret root, with a leading `/`; MODE is the file's st_mode.  As
Guix's sender does, every entry of the root that is not a directory is sent, a symbolic
link as the file it points to (its content, size and mode), in the lexical order of the
paths, and a missing root sends no files.  Everything goes over 127.0.0.1 only.
"""

from __future__ import annotations

import os
import socket
import stat
import time
from typing import Callable

from ..rootfs import Root, UnsafeRoot, relative
from .sexp import Incomplete, SexpError, Symbol, read, write

HELLO = [Symbol("secret-service-server"), [Symbol("version"), 0]]


class SecretServiceError(Exception):
    pass


def collect(secret_root: str, top: str = "/") -> list[tuple[str, str, int, int]]:
    """(protocol path, host path, size, mode) for each file under SECRET_ROOT, sorted by
    path; none when SECRET_ROOT does not exist.  Directories are descended, links to
    directories are not; a link to a file stands for that file, when it stays inside
    the root TOP (a sandbox root's supervisor sends nothing of the host's)."""
    found = []
    for dirpath, dirnames, filenames in os.walk(secret_root):
        links = [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]
        for name in filenames + links:
            full = os.path.join(dirpath, name)
            real = os.path.realpath(full)
            if top != "/" and not real.startswith(os.path.realpath(top) + "/"):
                raise SecretServiceError(f"cannot send {full}: it is a link out of the "
                                         f"root {top} (to {real})")
            try:
                st = os.stat(full)
            except OSError as e:
                raise SecretServiceError(f"cannot send {full}: {e.strerror} (a link to "
                                         f"nothing?)") from None
            if not stat.S_ISREG(st.st_mode):
                raise SecretServiceError(f"cannot send {full}: not a regular file nor a link "
                                         f"to one")
            rel = "/" + os.path.relpath(full, secret_root)
            found.append((rel, full, st.st_size, st.st_mode))
    found.sort()
    return found


# How often a wait for the guest looks whether it should stop (`herd stop`, QEMU gone).
POLL = 0.25


def _read_datum(sock: socket.socket, deadline: float, buf: bytearray,
                should_stop: Callable[[], str | None] = lambda: None):
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
        reason = should_stop()
        if reason:
            raise SecretServiceError(reason)
        sock.settimeout(min(remaining, POLL))
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            continue
        if not chunk:
            raise EOFError()
        buf += chunk


def _read(path: str, top: str) -> bytes:
    """PATH's content; under a root TOP but `/`, read beneath it (a link swapped in
    since `collect` cannot lead out)."""
    if top == "/":
        with open(path, "rb") as f:
            return f.read()
    try:
        with Root(top) as r:
            data = r.read_bytes(os.path.relpath(path, top))
    except UnsafeRoot as e:
        raise SecretServiceError(f"cannot send {path}: {e}") from None
    if data is None:
        raise SecretServiceError(f"cannot send {path}: it is gone")
    return data


def send_secrets(port: int, secret_root: str, handshake_timeout: float = 180.0,
                 tries: int = 60, retry_delay: float = 1.0,
                 should_stop: Callable[[], str | None] = lambda: None,
                 log: Callable[[str], None] = lambda s: None, top: str = "/") -> int:
    """Connect to the guest at 127.0.0.1:PORT and send SECRET_ROOT's files (read beneath
    the root TOP, never through a link out of it).

    Connection attempts are made once per RETRY_DELAY, TRIES times; once connected, the
    guest's hello must arrive within HANDSHAKE_TIMEOUT seconds of the first connection
    (a connection closed before the hello, as QEMU's port forwarding does while nothing
    listens in the guest yet, is retried within that time).  SHOULD_STOP() returning a
    reason aborts (the VM died).  Returns the number of files sent."""
    if os.path.exists(secret_root) and not os.path.isdir(secret_root):
        raise SecretServiceError(f"secret root {secret_root} is not a directory")
    files = collect(secret_root, top)
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
                hello = _read_datum(sock, handshake_deadline, buf, should_stop)
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
                data = _read(full, top)
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


def _checked(rel: str, mode: int, allow_setuid: bool) -> str:
    """REL as a path inside the root; refused (before anything is installed) when it
    leads out, or when MODE has setuid or setgid bits that were not allowed."""
    try:
        rel = relative(rel.lstrip("/"), "secret file")
    except UnsafeRoot:
        raise SecretServiceError(f"refusing the path {rel!r}") from None
    if not isinstance(mode, int):
        raise TypeError("mode")
    if mode & (stat.S_ISUID | stat.S_ISGID) and not allow_setuid:
        raise SecretServiceError(f"refusing /{rel}: mode {mode:o} has setuid or setgid "
                                 f"bits (--allow-setuid installs them)")
    return rel


def _install(root: str, rel: str, data: bytes, mode: int) -> str:
    """Write the file REL under ROOT through rootfs: never through a link out of it."""
    os.makedirs(root, exist_ok=True)
    with Root(root) as r:
        if os.path.dirname(rel):
            r.makedirs(os.path.dirname(rel), 0o755)
        r.write(rel, data, stat.S_IMODE(mode))
        return r.full(rel)


def receive_secrets(port: int, root: str, timeout: float = 600.0,
                    ready: Callable[[int], None] = lambda p: None,
                    address: str = "127.0.0.1", allow_setuid: bool = False) -> list[str]:
    """The guest side: listen on ADDRESS:PORT, greet, install the files under ROOT
    (through rootfs; setuid and setgid bits refused unless ALLOW_SETUID).  Meant for a
    freshly booted guest: the first local connection is taken for the host.

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
        conn.sendall(write(HELLO).encode())
        buf = bytearray()
        try:
            header = _read_datum(conn, deadline, buf)
        except (TimeoutError, EOFError):
            raise SecretServiceError("the host sent no secrets") from None
        try:
            tag, (vtag, version), (ftag, entries) = header
            assert tag == "secrets" and vtag == "version" and ftag == "files"
        except (ValueError, TypeError, AssertionError):
            raise SecretServiceError(
                f"unexpected message from the host: {write(header)[:200]}") from None
        if version != 0:
            raise SecretServiceError(f"unsupported secrets version {version}")
        try:
            checked = [_checked(rel, mode, allow_setuid) for rel, _, mode in entries]
        except (ValueError, TypeError):
            raise SecretServiceError(
                f"unexpected message from the host: {write(header)[:200]}") from None
        installed = []
        for entry, rel in zip(entries, checked):
            _, size, mode = entry
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
