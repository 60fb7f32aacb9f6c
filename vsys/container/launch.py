"""Starting a root's supervisor in a new container.

    vsys shepherd --container --root DIR --services DIR [--daemonize] [--network=host]

runs bubblewrap, which makes the namespaces and the file system (vsys.container.mounts)
and then holds at `--block-fd` while vsys joins the network namespace to the host
(vsys.container.network) and records the container; then the supervisor starts inside
as `vsys shepherd --contained`, with the root as its `/`.  The host pid of the
namespace's init comes back on `--info-fd`.  With --daemonize this returns once the
supervisor listens on its socket; otherwise it waits for the container to end.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time

from .. import state
from . import (
    TOKEN,
    ContainerError,
    _start_time,
    alive,
    forget,
    generation_data,
    mounts,
    network,
    read,
    write,
)

READY_SECONDS = 60.0


def check_allowed() -> bool:
    """Whether the container needs a user namespace (False: vsys runs as root); raise
    when the host allows none, before anything is made."""
    for program, package in (("bwrap", "bubblewrap"), ("tini", "tini")):
        if shutil.which(program) is None:
            raise ContainerError(f"`{program}` is not installed (Debian package {package}), "
                                 f"and a sandbox root's system runs in a container: install "
                                 f"it, or use --root / to manage this host without one")
    if os.geteuid() == 0:
        return False
    # One probe answers for every reason a host may refuse (sysctls, seccomp, AppArmor).
    probe = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "--pid",
                            "--fork", "--uts", "--ipc", "--net", "true"],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        raise ContainerError(
            "this host allows no namespaces to this user, and a sandbox root's system runs "
            "in a container (its own mount, PID, network... namespaces): run vsys as root, "
            "or allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1 "
            "and user.max_user_namespaces above 0); nothing was started ("
            + (probe.stderr.strip().splitlines() or ["unshare failed"])[-1] + ")")
    return True


def _hostname(services_dir: str) -> str:
    """The operating-system's host-name, from the generation the services belong to."""
    manifest = generation_data(os.path.dirname(services_dir), "manifest.json") or {}
    return str(manifest.get("host-name") or "vsys")


def _static_network(services_dir: str) -> dict | None:
    return generation_data(os.path.dirname(services_dir), "network.json")


def _read_info(fd: int) -> dict:
    data = b""
    decoder = json.JSONDecoder()
    while True:
        chunk = os.read(fd, 4096)
        if not chunk:
            break
        data += chunk
        try:
            return decoder.raw_decode(data.decode().strip())[0]
        except ValueError:
            continue
    raise ContainerError("bubblewrap did not start the container (see the log)")


def start(root: str, services_dir: str, daemonize: bool, share_net: bool = False,
          say=print, *, connect, stop_root) -> int:
    """Start ROOT's supervisor in a new container.  CONNECT (path, timeout) reaches the
    supervisor's socket (ready once it answers); STOP_ROOT (root) asks it to stop, False
    when it cannot be asked: the supervisor's client, passed in by the caller."""
    root = os.path.realpath(root)
    userns = check_allowed()
    previous = read(root)
    if alive(previous):
        raise ContainerError(f"a container already runs for the root {root} (init pid "
                             f"{previous['pid']}): `vsys herd --root {root} stop root` ends it")
    if previous:
        say(f"container: the previous container of {root} ended without `herd stop root` "
            f"(its supervisor was killed, or the host restarted); starting a new one")
        ended(root)
    mounts.prepare(root)
    try:
        return _start(root, services_dir, daemonize, share_net, userns, say, connect,
                      stop_root)
    except _Flaky:
        # bubblewrap's set-up of the new namespace's loopback now and then fails when
        # many namespaces are made at once; once more is enough.
        return _start(root, services_dir, daemonize, share_net, userns, say, connect,
                      stop_root)


class _Flaky(ContainerError):
    """The container ended at once for a reason that another try does not share."""


def _start(root: str, services_dir: str, daemonize: bool, share_net: bool, userns: bool,
           say, connect, stop_root) -> int:
    log_dir = state.log_dir(root, create=True)
    state.run_dir(root, create=True)
    hostname = _hostname(services_dir)
    args, made = mounts.bwrap_args(root, hostname, share_net, userns)
    # Recorded first: whatever happens next, the mount points are known for `ended`.
    write(root, {"pid": None, "root": root, "made": made})
    # tini is the namespace's init: it reaps the daemons' orphans and, when the
    # supervisor exits (even killed), exits with it, which ends every process inside.
    inner = [shutil.which("tini"), "--", sys.executable, "-m", "vsys", "shepherd",
             "--contained", "--root", root, "--services", services_dir]
    env = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
           "HOME": "/root", "LANG": "C.UTF-8", "VSYS_STATE_DIR": state.state_dir()}
    if os.environ.get("PYTHONPATH"):        # how this vsys finds itself, if that is how
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    # bubblewrap goes on at --block-fd's end of file too: if this process dies before the
    # network is set up, the supervisor must not start.  It starts only if the record
    # written once all is set up holds this token.
    env[TOKEN] = os.urandom(8).hex()
    info_r, info_w = os.pipe()
    block_r, block_w = os.pipe()
    log = os.open(os.path.join(log_dir, "shepherd.log"),
                  os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC, 0o600)
    stop_wanted = threading.Event()
    if not daemonize:               # the container goes with this command
        args.append("--die-with-parent")
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop_wanted.set())
    try:
        proc = subprocess.Popen(
            ["bwrap", *args, "--as-pid-1", "--info-fd", str(info_w), "--block-fd", str(block_r),
             "--", *inner], pass_fds=(info_w, block_r), stdin=subprocess.DEVNULL,
            stdout=log, stderr=log, env=env, start_new_session=True)
    finally:
        os.close(info_w)
        os.close(block_r)
        os.close(log)
    pid, released = None, False
    try:
        try:
            pid = int(_read_info(info_r)["child-pid"])
        finally:
            os.close(info_r)
        info = {"pid": pid, "start-time": _start_time(pid), "root": root, "made": made,
                "token": env[TOKEN], "static": _static_network(services_dir),
                "host-name": hostname, "user-namespace": userns,
                "network": {"mode": "host"} if share_net else None}
        reached("container-network")
        if not share_net:
            if userns:
                info["network"] = {"mode": "none"}
            else:
                info["network"] = network.setup(root, pid, _static_network(services_dir))
        write(root, info)
        os.write(block_w, b"go")
        os.close(block_w)
        released = True
        _wait_ready(root, proc, connect)
    except BaseException:
        _end(proc, pid)
        ended(root)
        raise
    finally:
        if not released:            # after _end: an early EOF would let it start
            os.close(block_w)
    for line in describe(root, info):
        say(line)
    if daemonize:
        return 0
    return _follow(root, proc, stop_wanted, stop_root)


def _end(proc: subprocess.Popen, pid: int | None) -> None:
    """Undo a start that failed half-way: the namespace's first process (held before
    the supervisor by --block-fd, or tini) is killed, which ends the namespace."""
    if pid is not None:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    proc.kill()
    proc.wait()


def reached(step: str) -> None:
    """Die here when the tests ask (VSYS_CRASH_AT, as activation's steps do)."""
    if os.environ.get("VSYS_CRASH_AT") == step:
        sys.stdout.flush()
        os._exit(86)


def describe(root: str, info: dict) -> list[str]:
    net = info.get("network") or {}
    flag = "" if root == os.path.realpath(state.default_root()) else f" --root {root}"
    if net.get("mode") == "host":
        where = "shares the host's network"
    elif net.get("mode") == "none":
        where = ("has only its loopback: joining it to the host's network needs root "
                 "(or use --network=host)")
    else:
        where = f"address {net.get('address')} on {net.get('interface')}" + (
            f" (host side {net['host-address']} on {net['host-interface']})"
            if net.get("host-address") else f" (host side {net.get('host-interface')})")
    return [f"container: {info['host-name']} runs in its own namespaces, {where}",
            f"container: enter it with `vsys exec{flag} -- bash`; "
            f"stop it with `vsys herd{flag} stop root`"]


def _wait_ready(root: str, proc: subprocess.Popen, connect) -> None:
    path = state.socket_path(root)
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            why = _last_line(_log(root))
            raise (_Flaky if why.startswith("bwrap: loopback:") else ContainerError)(
                f"the container ended at once (status {proc.returncode}): {why} (log: "
                f"{_log(root)})")
        try:
            connect(path, 1).close()
            return
        except OSError:
            time.sleep(0.01)
    raise ContainerError(f"the container's supervisor did not answer within "
                         f"{READY_SECONDS:.0f} s; see {_log(root)}")


def _last_line(path: str) -> str:
    try:
        with open(path, "rb") as f:
            f.seek(max(0, os.path.getsize(path) - 2000))
            lines = f.read().decode(errors="replace").strip().splitlines()
    except OSError:
        lines = []
    return lines[-1] if lines else "it wrote nothing"


def _log(root: str) -> str:
    return os.path.join(state.log_dir(root), "shepherd.log")


def _follow(root: str, proc: subprocess.Popen, stop_wanted: threading.Event,
            stop_root) -> int:
    """Wait for the container; once Ctrl-C or SIGTERM came (even before it was ready),
    stop it as `herd stop root` does.  0 when it stopped as asked."""
    asked = False
    try:
        while proc.poll() is None:
            if stop_wanted.is_set() and not asked:
                asked = True
                if not stop_root(root):
                    proc.terminate()
            stop_wanted.wait(0.05)
    finally:
        ended(root)
    return 0 if asked else proc.returncode


def ended(root: str) -> None:
    """Forget a container that is gone, and take its mount points out of the root and its
    host end off the host."""
    info = read(root)
    if info is None or alive(info):
        return
    mounts.tidy(info.get("made") or [])
    network.release(info.get("network"))
    forget(root)


def wait_ended(root: str, timeout: float = 10.0) -> None:
    """After `herd stop root`: wait for the root's container (if any) to end, then tidy."""
    info = read(root)
    if info is None:
        return
    deadline = time.monotonic() + timeout
    while alive(info) and time.monotonic() < deadline:
        time.sleep(0.01)
    ended(root)
