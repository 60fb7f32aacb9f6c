"""The generation's `etc/`: what the system puts under /etc, as a tree of directories
whose files are links to store items.

A `file-union` entry (/etc/ganeti, /etc/ssh/authorized_keys.d) is spread into real
directories so that activation manages each file on its own and merges with what the
host already keeps there; any other directory (a `local-file` tree of hooks) stays one
link.  /etc/resolv.conf is written from the static-networking name servers, and
/etc/ssh/sshd_config is the file the ssh-daemon runner gives sshd.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from vsys.dsl.datatypes import is_string, pystr, to_list
from vsys.dsl.printer import write_string
from vsys.stdlib.files import DirData, FileData, FileUnion, LinkData

from .lowering import Items, build_error


def check_name(name: str, fl: Any = None) -> list[str]:
    parts = name.split("/")
    if name.startswith("/") or any(p in ("", ".", "..") for p in parts) or \
            any(c in name for c in "\n\r\0"):
        raise build_error(f"/etc entry {write_string(name)}: the name must be a relative path "
                          f"without '.', '..' or empty components", getattr(fl, "loc", None))
    if any(len(p.encode()) > 255 for p in parts):
        raise build_error(f"/etc entry {write_string(name[:60])}...: a component of the name "
                          f"is longer than a file name can be (255 bytes)",
                          getattr(fl, "loc", None))
    return parts


def _place(tree: DirData, parts: list[str], content: Any, name: str) -> None:
    d = tree
    for i, part in enumerate(parts[:-1]):
        sub = d.entries.get(part)
        if sub is None:
            sub = d.entries[part] = DirData()
        elif not isinstance(sub, DirData):
            raise build_error(f"/etc/{'/'.join(parts[:i + 1])} is both a file and the "
                              f"directory of /etc/{name}")
        d = sub
    last = parts[-1]
    old = d.entries.get(last)
    if old is None:
        d.entries[last] = content
    elif isinstance(old, DirData) and isinstance(content, DirData):
        for entry, sub in content.entries.items():
            _place(old, [entry], sub, f"{name}/{entry}")
    elif not (isinstance(old, LinkData) and isinstance(content, LinkData)
              and old.target == content.target):
        raise build_error(f"two services provide /etc/{name} with different content")


def etc_tree(entries: list, items: Items) -> DirData:
    tree = DirData()
    for entry in entries:
        parts = to_list(entry)
        if len(parts) != 2 or not is_string(parts[0]):
            raise build_error(f"an /etc entry must be (NAME FILE-LIKE), not "
                              f"{write_string(entry)}")
        name, fl = pystr(parts[0]), parts[1]
        path = check_name(name, fl)
        if isinstance(fl, FileUnion):
            content = items.content(fl)       # real directories, links to the items
        else:
            content = LinkData(items.path(fl))
        _place(tree, path, content, name)
    return tree


def resolv_conf(static_networking: list) -> str | None:
    """/etc/resolv.conf for the name servers of the static-networking values."""
    servers: list[str] = []
    for value in static_networking:
        for sn in to_list(value) if not hasattr(value, "rtype") else [value]:
            for server in to_list(sn["name-servers"]):
                text = pystr(server)
                try:
                    ipaddress.ip_address(text)
                except ValueError:
                    raise build_error(f"static-networking: name server {text!r} is not an "
                                      f"IP address", sn.loc) from None
                if text not in servers:
                    servers.append(text)
    if not servers:
        return None
    return ("# Name servers of the static-networking service.\n"
            + "".join(f"nameserver {s}\n" for s in servers))


def add_link(tree: DirData, name: str, target: str) -> None:
    """Add /etc/NAME, a link to TARGET, unless a service already provides it."""
    parts = check_name(name)
    d = tree
    for part in parts[:-1]:
        d = d.entries.setdefault(part, DirData())
    d.entries.setdefault(parts[-1], LinkData(target))


def add_file(tree: DirData, name: str, text: str, items: Items) -> None:
    """Add /etc/NAME holding TEXT, unless a service already provides it."""
    add_link(tree, name, items.add(name.rsplit("/", 1)[-1], FileData(text.encode())))
