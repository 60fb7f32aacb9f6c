"""A root prepared by someone who wants vsys to write elsewhere, and a victim tree
outside it whose every byte, mode and owner is checked afterwards."""

from __future__ import annotations

import hashlib
import os
import subprocess

from support.world import World

# A system with accounts, managed files and secrets (keys, an ACL, authorized keys).
CONFIG = """\
(use-modules (gnu))
(use-service-modules virtualization)
(operating-system
  (host-name "h")
  (users (cons* (user-account (name "alice") (group "users") (home-directory "/home/alice"))
                %base-user-accounts))
  (services (list (service hurd-vm-service-type (hurd-vm-configuration)))))
"""


def victim(base: str) -> str:
    """A tree outside the root: a file, a private file, a directory."""
    v = os.path.join(base, "victim")
    os.makedirs(os.path.join(v, "dir"))
    for name, mode in (("file", 0o640), ("secret", 0o600), ("dir/inner", 0o644)):
        with open(os.path.join(v, name), "w") as f:
            f.write(f"the victim's {name}\n")
        os.chmod(os.path.join(v, name), mode)
    return v


def fingerprint(top: str) -> dict[str, tuple]:
    """Every name under TOP with its kind, mode, owner and content digest."""
    out = {}
    for dirpath, dirnames, files in os.walk(top):
        for name in [*dirnames, *files]:
            full = os.path.join(dirpath, name)
            st = os.lstat(full)
            key: tuple = (st.st_mode, st.st_uid, st.st_gid)
            if os.path.islink(full):
                key += (os.readlink(full),)
            elif os.path.isfile(full):
                with open(full, "rb") as f:
                    key += (hashlib.sha256(f.read()).hexdigest(),)
            out[os.path.relpath(full, top)] = key
    return out


def traced_run(w: World, config: str, *options) -> tuple[subprocess.CompletedProcess, list[str]]:
    """A reconfigure with every point it reaches listed (see vsys.crash): the run and
    the labels, in order."""
    trace = os.path.join(w.base, "trace")
    if os.path.exists(trace):
        os.unlink(trace)
    done = w.reconfigure(config, "--no-supervisor", *options,
                         env={"VSYS_CRASH_TRACE": trace})
    with open(trace) as f:
        return done, [ln.rstrip("\n").split(" ", 1)[1] for ln in f]


def touched_names(labels: list[str]) -> list[str]:
    """The root-relative names a run wrote, renamed, linked, created, chmodded or
    locked, in the order first touched."""
    out: list[str] = []
    for label in labels:
        verb, _, rest = label.partition(" ")
        if not rest:
            continue                          # an activation step
        for name in rest.split(" "):
            if name not in out:
                out.append(name)
    return out
