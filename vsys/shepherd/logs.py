"""Service logs: timestamped lines, rotated by size, and reading the recent ones."""

from __future__ import annotations

import os
import time

from .process import StartError
from .rootfiles import RootFile

MAX_BYTES = 1024 * 1024
BACKUPS = 3


def stamp(now: float | None = None) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(now))


def log_file(where):
    """WHERE as a RootFile: a plain path is a file of its own directory (the
    supervisor's logs in the state directory)."""
    if isinstance(where, RootFile):
        return where
    os.makedirs(os.path.dirname(where), exist_ok=True)
    return RootFile(os.path.dirname(where), os.path.basename(where))


class LogWriter:
    """Appends timestamped lines to a log (a path, or a RootFile: a spec's log file under
    the root, opened beneath it at each write); renames it to NAME.1 ... past MAX_BYTES."""

    def __init__(self, where, max_bytes: int = MAX_BYTES, backups: int = BACKUPS):
        self.file = log_file(where)
        self.path = self.file.path
        self.max_bytes = max_bytes
        self.backups = backups
        self.partial = b""

    def feed(self, data: bytes) -> None:
        """Raw output of the process; complete lines are written, the rest is kept."""
        data = self.partial + data
        *lines, self.partial = data.split(b"\n")
        if len(self.partial) > 65536:     # a line that never ends is still written
            lines.append(self.partial)
            self.partial = b""
        if lines:
            self._write(lines)

    def flush(self) -> None:
        if self.partial:
            self._write([self.partial])
            self.partial = b""

    def line(self, text: str) -> None:
        self._write([text.encode()])

    def _write(self, lines: list[bytes]) -> None:
        prefix = stamp().encode() + b" "
        blob = b"".join(prefix + ln.rstrip(b"\r") + b"\n" for ln in lines)
        size = self.file.size()
        if size and size + len(blob) > self.max_bytes:
            self._rotate()
        self.file.append(blob)

    def _rotate(self) -> None:
        for i in range(self.backups - 1, 0, -1):
            self.file.rename_to(f".{i + 1}", f".{i}")
        self.file.rename_to(".1")


def tail(where, count: int) -> list[str]:
    """The last COUNT lines of the log WHERE (a path or a RootFile; looking into NAME.1
    when short)."""
    if count <= 0:
        return []
    lines: list[str] = []
    try:
        log = log_file(where)
    except (OSError, StartError):       # a path that leads out of the root: nothing
        return []
    for suffix in ("", ".1"):
        part = log.sibling(suffix) if suffix else log
        want = count - len(lines)
        try:
            size = part.size()
            block = min(size, max(4096, want * 200))
            data, _ = part.read_from(size - block)
        except (OSError, StartError):
            continue
        got = data.decode("utf-8", "replace").splitlines()
        if block < size:
            got = got[1:]                  # the first line may be cut
        lines = got[-want:] + lines
        if len(lines) >= count:
            break
    return lines[-count:]


def size(where) -> int:
    try:
        return log_file(where).size() if where else 0
    except (OSError, StartError):
        return 0


def since(where, offset: int, count: int) -> list[str]:
    """The last COUNT lines written to the log WHERE after it was OFFSET bytes long
    (all of it when it has been rotated since)."""
    try:
        data, _ = log_file(where).read_from(offset)
    except (OSError, StartError):
        return []
    return data.decode("utf-8", "replace").splitlines()[-count:]
