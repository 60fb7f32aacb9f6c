"""The control protocol between `vsys herd` and `vsys shepherd`.

One request per connection over the supervisor's Unix socket: the client writes one
JSON object on one line, the supervisor answers with one JSON object on one line.

  request  {"version": 0, "command": NAME, "service": NAME-or-null, "args": [...],
            ...command-specific keys}
  reply    {"version": 0, "ok": true, "result": ...}
           {"version": 0, "ok": false, "error": {"kind": KIND, "message": TEXT,
            "candidates": [...]}}

KIND is one of `unknown-service`, `unknown-action`, `failed`, `usage`, `version`,
`busy` (too many clients or requests at once: try again).  A request whose major
version differs is refused with kind `version`.
"""

from __future__ import annotations

import json
import os
import socket
import time

VERSION = 0
MAX_MESSAGE = 16 * 1024 * 1024
# What every service answers to, besides its own actions.
BUILTIN = ("status", "start", "stop", "restart", "enable", "disable", "doc", "log")

# Unix socket paths are limited to 108 bytes; longer ones go through the directory's fd.
_SUN_PATH_MAX = 107


class ProtocolError(Exception):
    pass


def _addressable(path: str) -> tuple[str, int | None]:
    if len(path.encode()) <= _SUN_PATH_MAX:
        return path, None
    fd = os.open(os.path.dirname(path), os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    return f"/proc/self/fd/{fd}/{os.path.basename(path)}", fd


def connect(path: str, timeout: float | None) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM | socket.SOCK_CLOEXEC)
    sock.settimeout(timeout)
    address, fd = _addressable(path)
    deadline = time.monotonic() + (timeout or 0)
    try:
        while True:
            try:
                sock.connect(address)
                break
            except BlockingIOError:
                # The listen backlog is full (a flood of clients): wait for room.
                if time.monotonic() >= deadline:
                    raise
                time.sleep(0.01)
    except BaseException:
        sock.close()
        raise
    finally:
        if fd is not None:
            os.close(fd)
    return sock


def listen(path: str) -> socket.socket:
    """A listening socket at PATH that only its owner may use (mode 0600).

    Bound under a temporary name and renamed once listening, so that a client that
    sees PATH can connect to it."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM | socket.SOCK_CLOEXEC)
    tmp = f"{path}.{os.getpid()}"
    try:
        os.unlink(tmp)
    except FileNotFoundError:
        pass
    address, fd = _addressable(tmp)
    old = os.umask(0o177)          # no window in which others could connect
    try:
        sock.bind(address)
    finally:
        os.umask(old)
        if fd is not None:
            os.close(fd)
    os.chmod(tmp, 0o600)
    sock.listen(512)
    os.replace(tmp, path)
    return sock


def send(sock: socket.socket, message: dict) -> None:
    sock.sendall(json.dumps(message, separators=(",", ":")).encode() + b"\n")


def receive(sock: socket.socket) -> dict | None:
    """One message, or None when the peer closed without sending one."""
    chunks = []
    size = 0
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            if chunks:
                raise ProtocolError("connection closed in the middle of a message")
            return None
        nl = chunk.find(b"\n")
        if nl >= 0:
            chunks.append(chunk[:nl])
            break
        chunks.append(chunk)
        size += len(chunk)
        if size > MAX_MESSAGE:
            raise ProtocolError("message too large")
    return parse(b"".join(chunks))


def parse(line: bytes) -> dict:
    """One message from its line."""
    try:
        message = json.loads(line)
    except (ValueError, RecursionError):
        raise ProtocolError("malformed message: not one line of JSON") from None
    if not isinstance(message, dict):
        raise ProtocolError("a message must be a JSON object")
    return message


def shown(word: str, limit: int = 60) -> str:
    """WORD as an error message can show it on one line: control characters escaped,
    a long word cut."""
    text = word if word.isprintable() else word.encode("unicode_escape").decode("ascii")
    return text if len(text) <= limit else text[:limit] + "..."


def close_names(word: str, names, n: int = 3) -> list[str]:
    """The NAMES that WORD was probably meant to be: those it begins (`ssh` for
    `ssh-daemon`), else those that differ from it by a slip or two (`build-wm`); none
    when nothing is that close, rather than a far-fetched guess (`udev` for `build-vm`).
    The client and the supervisor both use it, so that their hints agree."""
    # Only for a name that is not known: `herd status` does not load difflib (~1 ms).
    import difflib  # noqa: PLC0415
    names = list(dict.fromkeys(names))
    begun = [m for m in names if len(word) >= 3 and m.startswith(word) and m != word]
    return (begun or difflib.get_close_matches(word, names, n=n, cutoff=0.75))[:n]


def request(command: str, service: str | None = None, args: list | None = None, **extra) -> dict:
    return {"version": VERSION, "command": command, "service": service,
            "args": list(args or []), **extra}


def ok(result=None) -> dict:
    return {"version": VERSION, "ok": True, "result": result}


def error(kind: str, message: str, candidates: list[str] | None = None) -> dict:
    return {"version": VERSION, "ok": False,
            "error": {"kind": kind, "message": message, "candidates": candidates or []}}
