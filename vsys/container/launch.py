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
import time

from .. import state
from . import ContainerError, _start_time, alive, forget, read, write
from . import mounts, network

READY_SECONDS = 60.0


def check_allowed() -> bool:
    """Whether the container needs a user namespace (False: vsys runs as root); raise
    when the host allows none, before anything is made."""
    if shutil.which("bwrap") is None:
        raise ContainerError("bubblewrap (`bwrap`) is not installed: install the Debian "
                             "package bubblewrap, or use --root / to manage this host "
                             "without a container")
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
    try:
        with open(os.path.join(os.path.dirname(services_dir), "manifest.json")) as f:
            return str(json.load(f).get("host-name") or "vsys")
    except (OSError, ValueError):
        return "vsys"


def _static_network(services_dir: str) -> dict | None:
    try:
        with open(os.path.join(os.path.dirname(services_dir), "network.json")) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


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
          say=print) -> int:
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
    log_dir = state.log_dir(root, create=True)
    state.run_dir(root, create=True)
    hostname = _hostname(services_dir)
    args, made = mounts.bwrap_args(root, hostname, share_net, userns)
    # Recorded first: whatever happens next, the mount points are known for `ended`.
    write(root, {"pid": None, "root": root, "made": made})
    inner = [sys.executable, "-m", "vsys", "shepherd", "--contained", "--root", root,
             "--services", services_dir]
    env = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
           "HOME": "/root", "LANG": "C.UTF-8", "VSYS_STATE_DIR": state.state_dir()}
    info_r, info_w = os.pipe()
    block_r, block_w = os.pipe()
    log = os.open(os.path.join(log_dir, "shepherd.log"),
                  os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC, 0o600)
    if not daemonize:               # the container goes with this command
        args.append("--die-with-parent")
    try:
        proc = subprocess.Popen(
            ["bwrap", *args, "--info-fd", str(info_w), "--block-fd", str(block_r),
             "--", *inner], pass_fds=(info_w, block_r), stdin=subprocess.DEVNULL,
            stdout=log, stderr=log, env=env, start_new_session=True)
    finally:
        os.close(info_w)
        os.close(block_r)
        os.close(log)
    try:
        try:
            pid = int(_read_info(info_r)["child-pid"])
        finally:
            os.close(info_r)
        info = {"pid": pid, "start-time": _start_time(pid), "root": root, "made": made,
                "host-name": hostname, "user-namespace": userns,
                "network": {"mode": "host"} if share_net else None}
        if not share_net:
            if userns:
                info["network"] = {"mode": "none"}
            else:
                info["network"] = network.setup(root, pid, _static_network(services_dir))
        write(root, info)
        os.write(block_w, b"go")
    except BaseException:
        proc.kill()
        proc.wait()
        ended(root)
        raise
    finally:
        os.close(block_w)
    _wait_ready(root, proc)
    for line in describe(root, info):
        say(line)
    if daemonize:
        return 0
    return _follow(root, proc)


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


def _wait_ready(root: str, proc: subprocess.Popen) -> None:
    from ..shepherd import protocol
    path = state.socket_path(root)
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            ended(root)
            raise ContainerError(f"the container's supervisor exited at once (status "
                                 f"{proc.returncode}); see {_log(root)}")
        try:
            protocol.connect(path, 1).close()
            return
        except OSError:
            time.sleep(0.01)
    raise ContainerError(f"the container's supervisor did not answer within "
                         f"{READY_SECONDS:.0f} s; see {_log(root)}")


def _log(root: str) -> str:
    return os.path.join(state.log_dir(root), "shepherd.log")


def _follow(root: str, proc: subprocess.Popen) -> int:
    """Wait for the container; Ctrl-C or SIGTERM stops it as `herd stop root` does."""
    from ..shepherd.client import HerdError, call
    from ..shepherd.protocol import request

    def stop(*_):
        try:
            call(root, request("stop", "root"), timeout=60)
        except HerdError:
            proc.terminate()
    old = signal.signal(signal.SIGTERM, stop)
    try:
        while True:
            try:
                code = proc.wait()
                break
            except KeyboardInterrupt:
                stop()
    finally:
        signal.signal(signal.SIGTERM, old)
        ended(root)
    return code


def ended(root: str) -> None:
    """Forget a container that is gone, and take its mount points out of the root."""
    info = read(root)
    if info is None or alive(info):
        return
    mounts.tidy(info.get("made") or [])
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
