"""A small synchronous QMP (QEMU Machine Protocol) client over a Unix socket."""

from __future__ import annotations

import json
import time

from .protocol import connect


class QMPError(Exception):
    pass


class QMP:
    def __init__(self, path: str, timeout: float = 2.0):
        self.deadline_step = timeout
        self.sock = connect(path, timeout)
        self.buf = b""
        greeting = self._message()
        if "QMP" not in greeting:
            raise QMPError(f"not a QMP greeting: {greeting}")
        self.execute("qmp_capabilities")

    def _message(self) -> dict:
        while b"\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise QMPError("QEMU closed the QMP connection")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)

    def execute(self, command: str, **arguments) -> object:
        msg = {"execute": command}
        if arguments:
            msg["arguments"] = arguments
        self.sock.sendall(json.dumps(msg).encode() + b"\n")
        deadline = time.monotonic() + self.deadline_step
        while time.monotonic() < deadline:
            reply = self._message()
            if "event" in reply:
                continue
            if "error" in reply:
                raise QMPError(f"{command}: {reply['error'].get('desc', reply['error'])}")
            return reply.get("return")
        raise QMPError(f"{command}: no answer")

    def close(self) -> None:
        self.sock.close()

    def __enter__(self) -> "QMP":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def query(path: str, command: str, timeout: float = 1.0, **arguments) -> object:
    """Connect, run one command, disconnect.  Raises OSError or QMPError."""
    with QMP(path, timeout) as q:
        return q.execute(command, **arguments)


def wait_ready(path: str, timeout: float, gave_up) -> None:
    """Wait until QEMU answers on its QMP socket; GAVE_UP() returns a reason to stop."""
    deadline = time.monotonic() + timeout
    delay = 0.02
    last = "no QMP socket"
    while time.monotonic() < deadline:
        reason = gave_up()
        if reason:
            raise QMPError(reason)
        try:
            query(path, "query-status", timeout=1.0)
            return
        except (OSError, QMPError, ValueError) as e:
            last = str(e)
        time.sleep(delay)
        delay = min(delay * 2, 0.25)
    raise QMPError(f"QEMU did not answer on its QMP socket {path} within {timeout:g} s ({last})")

