"""The connections of `vsys herd` clients to the supervisor's socket, within bounds.

One thread reads every connection (an idle client costs a descriptor, not a thread);
a request that has arrived is carried out on a thread of its own."""

from __future__ import annotations

import errno
import os
import selectors
import socket
import sys
import threading
import time

from . import protocol

# Bounds on clients: connections open at once (the idlest is closed to make room, so a
# flood of idle connections never locks `herd status` out), requests carried out at once
# (more are refused with kind `busy`), and how long a client may take to send its request.
MAX_CONNECTIONS = 256
MAX_REQUESTS = 64
QUERIES = ("status", "doc", "log", "ping", "resolutions")
IDLE_TIMEOUT = 10.0
MAX_REQUEST_BYTES = 1 << 20
SEND_TIMEOUT = 10.0
ACCEPT_BATCH = 32


class Clients:
    """The connections of `vsys herd` clients, read without a thread per connection."""

    def __init__(self, sup):
        self.sup = sup
        self.selector = selectors.DefaultSelector()
        sup.server.setblocking(False)
        self.selector.register(sup.server, selectors.EVENT_READ, None)
        self.waiting: dict[socket.socket, list] = {}     # conn -> [buffer, deadline]
        self.active = {"query": 0, "operation": 0}
        self.lock = threading.Lock()

    def poll(self, timeout: float) -> None:
        for key, _ in self.selector.select(timeout):
            if key.data is None:
                self._accept()
            else:
                self._read(key.fileobj)
        now = time.monotonic()
        for conn in [c for c, (_, deadline) in self.waiting.items() if deadline < now]:
            self._refuse(conn, "usage", f"no request within {IDLE_TIMEOUT:g} s: "
                         "connection closed")

    def _accept(self) -> None:
        for _ in range(ACCEPT_BATCH):       # then read what the others sent
            try:
                conn, _ = self.sup.server.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as e:
                # Out of file descriptors: make room rather than fail (or spin).
                if e.errno in (errno.EMFILE, errno.ENFILE) and self.waiting:
                    self._evict()
                    continue
                self.sup.say(f"cannot accept a client: {e.strerror}")
                return
            if not _allowed(conn):
                self._refuse(conn, "failed", "permission denied", forgotten=True)
                continue
            if len(self.waiting) >= MAX_CONNECTIONS:
                self._evict()
            conn.setblocking(False)
            self.waiting[conn] = [bytearray(), time.monotonic() + IDLE_TIMEOUT]
            self.selector.register(conn, selectors.EVENT_READ, True)

    def _evict(self) -> None:
        """Close the connection idle longest; one whose request has arrived is served
        instead, and the next idlest is looked at."""
        for conn in sorted(self.waiting, key=lambda c: self.waiting[c][1]):
            self._read(conn)
            if conn not in self.waiting:
                return                  # served, or gone: there is room now
            if not self.waiting[conn][0]:
                self._refuse(conn, "busy", f"too many clients are connected "
                             f"({MAX_CONNECTIONS}); the one idle longest was closed: "
                             "try again")
                return

    def _read(self, conn: socket.socket) -> None:
        entry = self.waiting.get(conn)
        if entry is None:           # evicted earlier in this round
            return
        buf = entry[0]
        try:
            chunk = conn.recv(65536)
        except BlockingIOError:
            return
        except OSError:
            chunk = b""
        if not chunk:
            self._drop(conn)
            return
        buf += chunk
        if b"\n" not in buf:
            if len(buf) > MAX_REQUEST_BYTES:
                self._refuse(conn, "usage", "message too large")
            return
        self._forget(conn)
        try:
            req = protocol.parse(bytes(buf[:buf.index(b"\n")]))
        except protocol.ProtocolError as e:
            self._refuse(conn, "usage", str(e), forgotten=True)
            return
        # Questions and operations have separate bounds: however many starts wait,
        # `herd status` is answered.
        kind = "query" if req.get("command") in QUERIES else "operation"
        with self.lock:
            busy = self.active[kind] >= MAX_REQUESTS
            if not busy:
                self.active[kind] += 1
        if busy:
            self._refuse(conn, "busy", f"the supervisor is carrying out {MAX_REQUESTS} "
                         f"{'queries' if kind == 'query' else 'operations'} already: "
                         "try again", forgotten=True)
            return
        threading.Thread(target=self._answer, args=(conn, req, kind), daemon=True).start()

    def _answer(self, conn: socket.socket, req: dict, kind: str) -> None:
        try:
            conn.setblocking(True)
            self.sup.answer(conn, req)
        finally:
            with self.lock:
                self.active[kind] -= 1

    def _forget(self, conn: socket.socket) -> None:
        self.waiting.pop(conn, None)
        try:
            self.selector.unregister(conn)
        except (KeyError, ValueError):
            pass

    def _drop(self, conn: socket.socket) -> None:
        self._forget(conn)
        conn.close()

    def _refuse(self, conn: socket.socket, kind: str, message: str,
                forgotten: bool = False) -> None:
        if not forgotten:
            self._forget(conn)
        try:
            conn.setblocking(False)       # a reply that does not fit is not waited for
            protocol.send(conn, protocol.error(kind, message))
        except OSError:
            pass
        conn.close()

    def close(self) -> None:
        for conn in list(self.waiting):
            self._drop(conn)
        self.selector.close()


def _allowed(conn: socket.socket) -> bool:
    """Only root and the supervisor's own user may use it."""
    try:
        creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12)
    except OSError:
        return False
    return int.from_bytes(creds[4:8], sys.byteorder) in (os.getuid(), 0)
