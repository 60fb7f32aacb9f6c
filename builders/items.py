"""Store items: what a build makes, named after its content.

An item is a regular file, a symbolic link or a directory of them, held in memory as
the service library's `FileData`, `LinkData` and `DirData`.  Its store path is
`STORE/HASH-NAME`, HASH covering the name and every byte, mode bit and link target
inside, so equal content gets the same path and a second build of the same system
finds every item already there.  Paths to other items appear in an item's content,
which makes them part of its hash too.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re

from vsys.stdlib.files import DirData, FileData, LinkData

Content = FileData | DirData | LinkData

_UNSAFE = re.compile(r"[^A-Za-z0-9+._=-]")


def safe_name(name: str) -> str:
    """NAME as one harmless path component: other characters become `_`."""
    name = _UNSAFE.sub("_", name)[:100].lstrip(".")
    return name or "item"


def _feed(h, content: Content) -> None:
    if isinstance(content, FileData):
        h.update(b"f" + (b"x" if content.executable else b"-"))
        h.update(len(content.data).to_bytes(8, "big"))
        h.update(content.data)
    elif isinstance(content, LinkData):
        target = content.target.encode()
        h.update(b"l" + len(target).to_bytes(8, "big") + target)
    elif isinstance(content, DirData):
        h.update(b"d" + len(content.entries).to_bytes(8, "big"))
        for entry in sorted(content.entries):
            check_entry_name(entry)
            raw = entry.encode()
            h.update(len(raw).to_bytes(8, "big") + raw)
            _feed(h, content.entries[entry])
    else:
        raise TypeError(f"not store content: {content!r}")


def check_entry_name(entry: str) -> None:
    if not entry or entry in (".", "..") or "/" in entry or "\0" in entry:
        raise ValueError(f"invalid file name in a directory: {entry!r}")


def digest(name: str, content: Content) -> str:
    """32 characters of base32 (160 bits of SHA-256) over NAME and CONTENT."""
    h = hashlib.sha256(b"vsys-item-0\0" + name.encode() + b"\0")
    _feed(h, content)
    return base64.b32encode(h.digest()[:20]).decode().lower()


def item_path(store: str, name: str, content: Content) -> str:
    name = safe_name(name)
    return os.path.join(store, f"{digest(name, content)}-{name}")


def is_item_name(entry: str) -> bool:
    """Whether ENTRY (a name in the store directory) is an item, not a temporary."""
    return (len(entry) > 33 and entry[32] == "-"
            and re.fullmatch(r"[a-z2-7]{32}", entry[:32]) is not None)
