"""binfmt_misc entries: registering, unregistering, and which one would run a file.

Against the kernel (`--root /`, binfmt_misc mounted, privileges) this writes the
kernel's own files.  In a sandbox root it plays the kernel's part: writing a register
string creates `<dir>/NAME` with the status text the kernel would show, and
unregistering removes it, so the same reading code serves both.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

from .. import root_record as record

KERNEL_DIR = "/proc/sys/fs/binfmt_misc"


class BinfmtError(Exception):
    pass


@dataclass
class Entry:
    name: str
    kind: str            # M (magic) or E (extension)
    offset: int
    magic: bytes
    mask: bytes
    interpreter: str
    flags: str
    enabled: bool = True

    def matches(self, head: bytes) -> bool:
        if self.kind != "M":
            return False
        field = head[self.offset:self.offset + len(self.magic)]
        if len(field) < len(self.magic):
            return False
        mask = self.mask or b"\xff" * len(self.magic)
        return all((f & m) == (g & m) for f, g, m in zip(field, self.magic, mask))

    def status_text(self) -> str:
        """The text the kernel shows in binfmt_misc/NAME (fs/binfmt_misc.c's format)."""
        lines = ["enabled" if self.enabled else "disabled", f"interpreter {self.interpreter}"]
        shown = "".join(f for f in "POCF" if f in self.flags or (f == "O" and "C" in self.flags))
        lines.append(f"flags: {shown}")
        if self.kind == "E":
            lines.append(f"extension .{self.magic.decode('latin-1')}")
        else:
            lines.append(f"offset {self.offset}")
            lines.append(f"magic {self.magic.hex()}")
            if self.mask:
                lines.append(f"mask {self.mask.hex()}")
        return "\n".join(lines) + "\n"


def _unescape(text: str) -> bytes:
    out = bytearray()
    i = 0
    while i < len(text):
        if text.startswith("\\x", i) and i + 4 <= len(text):
            try:
                out.append(int(text[i + 2:i + 4], 16))
                i += 4
                continue
            except ValueError:
                pass
        if text.startswith("\\\\", i):
            out.append(0x5C)
            i += 2
            continue
        out += text[i].encode("latin-1")
        i += 1
    return bytes(out)


def parse_register(line: str) -> Entry:
    """`:NAME:TYPE:OFFSET:MAGIC:MASK:INTERPRETER:FLAGS` -> Entry."""
    line = line.strip()
    if len(line) < 2:
        raise BinfmtError(f"not a register string: {line!r}")
    sep = line[0]
    parts = line[1:].split(sep)
    if len(parts) < 6:
        raise BinfmtError(f"not a register string (want 7 fields): {line!r}")
    parts += [""] * (7 - len(parts))
    name, kind, offset, magic, mask, interpreter, flags = parts[:7]
    if not name or "/" in name or name in (".", "..", "register", "status"):
        raise BinfmtError(f"bad entry name {name!r} in {line!r}")
    if kind not in ("M", "E"):
        raise BinfmtError(f"entry {name}: type must be M or E, not {kind!r}")
    magic_b, mask_b = _unescape(magic), _unescape(mask)
    if mask_b and len(mask_b) != len(magic_b):
        raise BinfmtError(f"entry {name}: mask and magic differ in length")
    if not interpreter:
        raise BinfmtError(f"entry {name}: no interpreter")
    return Entry(name, kind, int(offset or 0), magic_b, mask_b, interpreter, flags)


def parse_status(name: str, text: str) -> Entry:
    """A binfmt_misc/NAME status file (kernel or sandbox) -> Entry."""
    fields: dict[str, str] = {}
    lines = text.splitlines()
    for ln in lines[1:]:
        key, _, value = ln.partition(" ")
        fields[key.rstrip(":")] = value.strip()
    if "extension" in fields:
        return Entry(name, "E", 0, fields["extension"].lstrip(".").encode(), b"",
                     fields.get("interpreter", ""), fields.get("flags", ""),
                     bool(lines) and lines[0] == "enabled")
    return Entry(name, "M", int(fields.get("offset", "0")), bytes.fromhex(fields.get("magic", "")),
                 bytes.fromhex(fields.get("mask", "")), fields.get("interpreter", ""),
                 fields.get("flags", ""), bool(lines) and lines[0] == "enabled")


def is_kernel(directory: str) -> bool:
    return os.path.realpath(directory) == KERNEL_DIR


def register(directory: str, line: str) -> Entry:
    entry = parse_register(line)
    if is_kernel(directory):
        if os.path.exists(os.path.join(directory, entry.name)):
            return entry          # already registered (by us or by the host): keep it
        with open(os.path.join(directory, "register"), "w") as f:
            f.write(line.strip())
        return entry
    os.makedirs(directory, exist_ok=True)
    status = os.path.join(directory, "status")
    if not os.path.exists(status):
        with open(status, "w") as f:
            f.write("enabled\n")
    with open(os.path.join(directory, "register"), "w") as f:
        f.write(line.strip() + "\n")
    path = os.path.join(directory, entry.name)
    with open(path + ".tmp", "w") as f:
        f.write(entry.status_text())
    os.replace(path + ".tmp", path)
    return entry


# Which entries vsys itself registered, per binfmt_misc directory: {directory: [name]},
# kept in the supervisor's run directory.  An entry that was there before vsys registered
# one of that name (the host's own, say from its binfmt-support) is not vsys's, and vsys
# never removes it.
OWNED_FILE = "binfmt-registered.json"


def owned(directory: str, run_dir: str, root: str) -> set[str]:
    """The entries of DIRECTORY that vsys registered: by the supervisor of ROOT, or, in
    the kernel, by activation (the root's record)."""
    names = set(load_owned(os.path.join(run_dir, OWNED_FILE)).get(directory, []))
    if is_kernel(directory):
        try:
            names |= set(record.load(root)["binfmt"])
        except ValueError:
            pass
    return names


def load_owned(path: str) -> dict[str, list[str]]:
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError):
        return {}
    return {d: [n for n in names if isinstance(n, str)] for d, names in data.items()
            if isinstance(names, list)} if isinstance(data, dict) else {}


def save_owned(run_dir: str, directory: str, add: list[str] = (),
               remove: list[str] = ()) -> None:
    path = os.path.join(run_dir, OWNED_FILE)
    data = load_owned(path)
    names = (set(data.get(directory, [])) | set(add)) - set(remove)
    if names:
        data[directory] = sorted(names)
    else:
        data.pop(directory, None)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f)
    os.replace(tmp, path)


def unregister(directory: str, name: str) -> None:
    path = os.path.join(directory, name)
    if not os.path.exists(path):
        return
    if is_kernel(directory):
        with open(path, "w") as f:
            f.write("-1")
    else:
        os.unlink(path)


def entries(directory: str) -> list[Entry]:
    """Registered entries, most recent first (the kernel tries them in that order)."""
    found = []
    try:
        names = os.listdir(directory)
    except OSError:
        return []
    for name in names:
        if name in ("register", "status") or name.endswith(".tmp"):
            continue
        path = os.path.join(directory, name)
        try:
            with open(path) as f:
                text = f.read()
            mtime = os.stat(path).st_mtime_ns
        except OSError:
            continue
        try:
            found.append((mtime, name, parse_status(name, text)))
        except ValueError:
            continue
    found.sort(key=lambda t: (-t[0], t[1]))
    return [e for _, _, e in found]


def match(directory: str, path: str) -> list[Entry]:
    """Enabled entries that would run PATH, the one the kernel picks first."""
    with open(path, "rb") as f:
        head = f.read(256)
    enabled = os.path.exists(os.path.join(directory, "status")) and \
        open(os.path.join(directory, "status")).read().strip() != "disabled"
    if not enabled:
        return []
    return [e for e in entries(directory) if e.enabled and e.matches(head)]
