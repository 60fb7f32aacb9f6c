"""Service logs: timestamped lines, rotated by size, and reading the recent ones."""

from __future__ import annotations

import os
import time

MAX_BYTES = 1024 * 1024
BACKUPS = 3


def stamp(now: float | None = None) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(now))


class LogWriter:
    """Appends timestamped lines to PATH; renames PATH to PATH.1 ... past MAX_BYTES."""

    def __init__(self, path: str, max_bytes: int = MAX_BYTES, backups: int = BACKUPS):
        self.path = path
        self.max_bytes = max_bytes
        self.backups = backups
        self.partial = b""
        os.makedirs(os.path.dirname(path), exist_ok=True)

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
        try:
            size = os.path.getsize(self.path)
        except OSError:
            size = 0
        if size and size + len(blob) > self.max_bytes:
            self._rotate()
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o640)
        try:
            os.write(fd, blob)
        finally:
            os.close(fd)

    def _rotate(self) -> None:
        for i in range(self.backups - 1, 0, -1):
            src = f"{self.path}.{i}"
            if os.path.exists(src):
                os.replace(src, f"{self.path}.{i + 1}")
        os.replace(self.path, f"{self.path}.1")


def tail(path: str, count: int) -> list[str]:
    """The last COUNT lines of the log at PATH (looking into PATH.1 when short)."""
    if count <= 0:
        return []
    lines: list[str] = []
    for candidate in (path, path + ".1"):
        try:
            with open(candidate, "rb") as f:
                f.seek(0, os.SEEK_END)
                size = f.tell()
                want = count - len(lines)
                block = min(size, max(4096, want * 200))
                f.seek(size - block)
                data = f.read(block)
        except OSError:
            continue
        got = data.decode("utf-8", "replace").splitlines()
        if block < size:
            got = got[1:]                  # the first line may be cut
        lines = got[-want:] + lines
        if len(lines) >= count:
            break
    return lines[-count:]


def size(path: str | None) -> int:
    try:
        return os.path.getsize(path) if path else 0
    except OSError:
        return 0


def since(path: str, offset: int, count: int) -> list[str]:
    """The last COUNT lines written to the log at PATH after it was OFFSET bytes long
    (all of it when it has been rotated since)."""
    try:
        with open(path, "rb") as f:
            end = f.seek(0, os.SEEK_END)
            f.seek(offset if offset <= end else 0)
            data = f.read()
    except OSError:
        return []
    return data.decode("utf-8", "replace").splitlines()[-count:]
