"""Driving `vsys` as a person does: a private state directory and root per test, config
files written on the fly, and the supervisor a test starts always stopped at the end
(the reconfigure tests' `world` fixture)."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess

from support.cli import VSYS, run_vsys
from support.files import digest, read, write
from support.inprocess import run_vsys_in_process
from vsys import state

__all__ = ["IN_PROCESS", "VSYS", "World", "digest", "read", "record", "supervised"]


# The commands whose plans, summaries and listings the tests read; the supervisor's
# commands (herd, shepherd) talk to other processes, and stay processes themselves.
IN_PROCESS = {"reconfigure", "build", "switch-generation", "roll-back", "list-generations",
              "delete-generations"}


class World:
    """With IN_PROCESS, the commands of IN_PROCESS run inside the test's process
    (support.inprocess), but where a test asks for a command prefix or a crash point."""

    def __init__(self, base, in_process: bool = False):
        self.in_process = in_process
        self.base = str(base)
        self.state = os.path.join(self.base, "state")
        self.root = os.path.join(self.base, "root")
        os.makedirs(self.state)
        os.makedirs(self.root)
        self.env = dict(os.environ, VSYS_STATE_DIR=self.state, GUILE_AUTO_COMPILE="0")
        self.env.pop("XDG_STATE_HOME", None)
        self.env.pop("VSYS_CRASH_AT", None)

    def config(self, name: str, text: str) -> str:
        return write(os.path.join(self.base, name), text)

    def vsys(self, *args, env: dict | None = None, check: int | None = 0,
             prefix: list[str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
        full = dict(self.env, **(env or {}))
        if prefix:
            done = subprocess.run(prefix + VSYS + [str(a) for a in args],
                                  capture_output=True, text=True, env=full, timeout=timeout,
                                  cwd=self.base)
        elif self.in_process and str(args[0]) in IN_PROCESS and \
                not any(k.startswith("VSYS_CRASH_") for k in full):
            done = run_vsys_in_process(*args, env=full, cwd=self.base)
        else:
            done = run_vsys(*args, env=full, timeout=timeout, cwd=self.base)
        if check is not None:
            assert done.returncode == check, (f"vsys {' '.join(map(str, args))} exited "
                                              f"{done.returncode}\n{done.stdout}\n{done.stderr}")
        assert "Traceback" not in done.stderr, done.stderr
        return done

    def reconfigure(self, config: str, *options, **kw) -> subprocess.CompletedProcess:
        return self.vsys("reconfigure", "--root", self.root, *options, config, **kw)

    def reconfigure_while_locked(self, config: str, *options) -> tuple[int, subprocess.Popen]:
        """Take the state lock, then start a reconfigure that waits for it: (the lock's
        descriptor, to close; the process)."""
        lock = os.open(os.path.join(self.state, "lock"), os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(lock, fcntl.LOCK_EX)
        proc = subprocess.Popen(VSYS + ["reconfigure", "--root", self.root, *options, config],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=self.env)
        return lock, proc

    def stop_supervisor(self) -> None:
        if supervised(self.state, self.root):
            self.vsys("herd", "--root", self.root, "stop", "root", check=None)

    # -- looking at the root
    def path(self, rel: str) -> str:
        return os.path.join(self.root, rel)

    def etc(self) -> dict[str, str]:
        """Every file under the root's /etc that vsys manages (a link into its
        profile), with the content it shows."""
        out = {}
        profile = os.path.join(self.state, "profiles")
        for dirpath, dirnames, files in os.walk(self.path("etc")):
            for name in files + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
                full = os.path.join(dirpath, name)
                if os.path.islink(full) and os.readlink(full).startswith(profile):
                    rel = os.path.relpath(full, self.root)
                    out[rel] = read(full) if os.path.exists(full) else "<dangling>"
        return out

    def accounts(self) -> dict[str, list[str]]:
        return {name: [ln.split(":")[0] for ln in read(self.path(f"etc/{name}")).splitlines()]
                for name in ("passwd", "group")}

    def account_line(self, name: str, file: str = "passwd") -> str | None:
        for ln in read(self.path(f"etc/{file}")).splitlines():
            if ln.split(":")[0] == name:
                return ln
        return None

    def current(self) -> int | None:
        link = os.path.join(self.state, "profiles", "roots")
        for dirpath, _, _ in os.walk(link):
            system = os.path.join(dirpath, "system")
            if os.path.islink(system):
                return int(os.readlink(system).split("-")[1])
        return None

    def snapshot(self) -> dict[str, tuple]:
        """Every file under the root and the state directory (but the supervisor's
        socket and logs): its kind, mode, content digest, modification time and inode,
        to see that nothing was rewritten."""
        out = {}
        busy = (os.path.join(self.state, "run"), os.path.join(self.state, "log"))
        for top in (self.root, self.state):
            for dirpath, dirnames, files in os.walk(top):
                if dirpath.startswith(busy):
                    continue
                for name in files + dirnames:
                    full = os.path.join(dirpath, name)
                    st = os.lstat(full)
                    if os.path.islink(full):
                        key = ("link", os.readlink(full))
                    elif os.path.isdir(full):
                        key = ("dir", st.st_mode)
                    else:
                        key = ("file", st.st_mode, digest(full))
                    out[full] = key + (st.st_mtime_ns, st.st_ino)
        return out


def supervised(state_dir: str, root: str) -> bool:
    """Whether a supervisor of ROOT has its socket in STATE_DIR: without one, nothing
    would answer `herd stop` (it fails at once), so a test's cleanup spares a process."""
    return os.path.exists(os.path.join(state_dir, "run", state.root_key(root),
                                       os.path.basename(state.socket_path(root))))


def record(world: World) -> dict:
    with open(world.path("var/lib/vsys/root.json")) as f:
        return json.load(f)
