"""The container a sandbox root's system runs in.

For every root but `/`, the supervisor and all it starts run in their own mount, UTS,
IPC, PID and network namespaces (plus a user namespace when vsys is not run as root),
made by bubblewrap: inside, /etc, /var, /run, /home, /root, /srv and /tmp are the root's,
the host's /usr, /bin, /sbin and /lib* are read-only, and the state directory is at its
own path so the store, profiles, sockets and logs mean the same inside and out.  The
namespace's init is tini, whose one child is the supervisor: tini reaps the orphans of
forking daemons and exits when the supervisor does, however it dies, and the kernel then
ends every process of the container.

What a running container is (the host pid of its init, its addresses) is kept in
`<state>/run/KEY/container.json`, which `vsys exec` and the next start read.
"""

from __future__ import annotations

import json
import os

from .. import state

TOKEN = "VSYS_CONTAINER_TOKEN"


class ContainerError(Exception):
    """A container cannot be made or entered; the message says why and what to do."""


def info_path(root: str) -> str:
    return os.path.join(state.run_dir(root), "container.json")


def _start_time(pid: int) -> int | None:
    """The kernel's start time of PID (so a reused pid is not taken for the container),
    or None when it is gone or a zombie (an init that has exited)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            data = f.read()
    except OSError:
        return None
    fields = data[data.rfind(b")") + 2:].split()
    return None if fields[0] in (b"Z", b"X") else int(fields[19])


def read(root: str) -> dict | None:
    """The record of the root's last container, or None."""
    try:
        with open(info_path(root)) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def alive(info: dict | None) -> bool:
    return bool(info) and isinstance(info.get("pid"), int) and \
        _start_time(info["pid"]) == info.get("start-time")


def running(root: str) -> dict | None:
    """The record of the root's container if it still runs."""
    info = read(root)
    return info if alive(info) else None


def write(root: str, info: dict) -> None:
    path = info_path(root)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(info, f, indent=1)
    os.replace(tmp, path)


def forget(root: str) -> None:
    try:
        os.unlink(info_path(root))
    except FileNotFoundError:
        pass


def set_up(root: str) -> bool:
    """Inside a new container: whether its launcher recorded it as set up to the end."""
    info = read(root)
    return bool(info) and bool(os.environ.get(TOKEN)) and info.get("token") == os.environ[TOKEN]


def generation_data(generation: str, name: str) -> dict | None:
    """The JSON file NAME of a generation (manifest.json, network.json), or None."""
    try:
        with open(os.path.join(generation, name)) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def pending(root: str, generation: str) -> list[str]:
    """What of GENERATION the root's running container does not have yet: its host name
    and network are set when it starts."""
    info = running(root)
    if info is None:
        return []
    name = (generation_data(generation, "manifest.json") or {}).get("host-name")
    static = generation_data(generation, "network.json")
    changed = []
    if name and name != info.get("host-name"):
        changed.append(f"host name {name}")
    if static != info.get("static"):
        changed.append("static-networking")
    if not changed:
        return []
    verb = "take" if len(changed) > 1 else "takes"
    flag = "" if root == os.path.realpath(state.default_root()) else " --root " + root
    return [f"container: its {' and '.join(changed)} {verb} effect when it starts again "
            f"(`vsys herd{flag} stop root`, then reconfigure)"]
