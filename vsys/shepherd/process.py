"""Starting and ending processes, and recognising them again from /proc."""

from __future__ import annotations

import grp
import os
import pwd
import resource
import shutil
import signal
import subprocess
import time

from ..rootfs import Root, UnsafeRoot, relative


class StartError(Exception):
    """A service could not be started; the message says why, in the user's terms."""


def proc_start_time(pid: int) -> int | None:
    """The process's start time (clock ticks since boot), or None if it is gone.

    A pid alone can be reused; pid plus start time names one process for good."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            data = f.read()
    except OSError:
        return None
    rest = data[data.rfind(b")") + 2:].split()
    if rest[0] in (b"Z", b"X"):     # exited, waiting to be reaped
        return None
    return int(rest[19])


def proc_started_at(pid: int) -> float | None:
    """When PID started, in seconds since the epoch, or None if it is gone."""
    ticks = proc_start_time(pid)
    if ticks is None:
        return None
    try:
        with open("/proc/stat") as f:
            boot = next(int(ln.split()[1]) for ln in f if ln.startswith("btime "))
    except (OSError, StopIteration, ValueError):
        return None
    return boot + ticks / os.sysconf("SC_CLK_TCK")


def process_name(pid: int) -> str:
    """PID's program name, as ps shows it."""
    try:
        with open(f"/proc/{pid}/comm") as f:
            return f.read().strip() or "process"
    except OSError:
        return "process"


def beneath(top: str, path: str) -> str:
    """PATH resolved beneath the directory TOP (no change for `/`); StartError when `..`
    or a link leads out of it."""
    if top == "/":
        return os.path.normpath(path)
    try:
        with Root(top) as r:
            return r.full(r.resolve(relative(path.lstrip("/") or ".", "path")))
    except UnsafeRoot as e:
        raise StartError(f"{path}: {e}") from None


def same_process(pid: int, start_time: int | None) -> bool:
    return pid > 0 and start_time is not None and proc_start_time(pid) == start_time


def find_program(program: str, env: dict[str, str] | None) -> str | None:
    if "/" in program:
        return program if os.access(program, os.X_OK) and os.path.isfile(program) else None
    path = (env or os.environ).get("PATH", os.defpath)
    return shutil.which(program, path=path)


def missing_program(program: str, package: str | None) -> str:
    hint = f"; install the host package `{package}`" if package else ""
    return f"{program}: no such program{hint}"


def credentials(user, group, sandbox: bool = False, groups=()) -> dict:
    """Popen keyword arguments to run as USER/GROUP with the supplementary GROUPS (by
    default the user's), applied only when we are root.

    For a SANDBOX root the accounts vsys creates live in the sandbox's own passwd and group
    files, which the host does not know: an account missing on the host then means the
    service runs as the supervisor's user, instead of not running at all, and a
    supplementary group missing on the host is left out."""
    if os.geteuid() != 0:
        return {}
    try:
        kw = _accounts(user, group)
    except StartError:
        if not sandbox:
            raise
        kw = {}
    if groups:
        ids = []
        for name in groups:
            try:
                ids.append(name if isinstance(name, int) else grp.getgrnam(name).gr_gid)
            except KeyError:
                if not sandbox:
                    raise _no_account(name) from None
        kw["extra_groups"] = ids
    return kw


def _accounts(user, group) -> dict:
    kw: dict = {}
    try:
        if user is not None:
            pw = pwd.getpwnam(user) if isinstance(user, str) else pwd.getpwuid(user)
            kw["user"] = pw.pw_uid
            kw["group"] = pw.pw_gid
            kw["extra_groups"] = [g.gr_gid for g in grp.getgrall() if pw.pw_name in g.gr_mem]
        if group is not None:
            kw["group"] = (grp.getgrnam(group) if isinstance(group, str)
                           else grp.getgrgid(group)).gr_gid
    except KeyError as e:
        raise _no_account(e.args[0]) from None
    return kw


def _no_account(name) -> StartError:
    return StartError(f"no such user or group on this host: {name} (declare it in the "
                      f"operating-system's users or groups and reconfigure)")


CAP_SYS_RESOURCE = 24


def may_raise_hard_limits() -> bool:
    """Whether this process may raise a hard limit: the kernel asks for CAP_SYS_RESOURCE
    (root has it, except in a container that drops it)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("CapEff:"):
                    return bool(int(line.split()[1], 16) >> CAP_SYS_RESOURCE & 1)
    except (OSError, ValueError):
        pass
    return os.geteuid() == 0


def resource_limits(limits: list) -> list[tuple[int, int, int]]:
    """The spec's [RESOURCE, SOFT, HARD] limits as setrlimit arguments, checked against what
    the kernel will let the child set, so that a refusal is said before the start."""
    out = []
    for name, soft, hard in limits:
        which = getattr(resource, "RLIMIT_" + name.upper(), None)
        if which is None:
            raise StartError(f"resource limit {name}: this host has no RLIMIT_{name.upper()}")
        values = [resource.RLIM_INFINITY if v == "unlimited" else v for v in (soft, hard)]
        own = resource.getrlimit(which)[1]
        if own != resource.RLIM_INFINITY and (values[1] == resource.RLIM_INFINITY
                                              or values[1] > own) \
                and not may_raise_hard_limits():
            raise StartError(f"resource limit {name}: the hard limit {hard} is above the "
                             f"supervisor's own ({own}), and raising it needs root "
                             f"(CAP_SYS_RESOURCE)")
        if name == "nofile":
            ceiling = _nr_open()
            if ceiling and (values[1] == resource.RLIM_INFINITY or values[1] > ceiling):
                raise StartError(f"resource limit nofile: the hard limit {hard} is above the "
                                 f"kernel's ceiling fs.nr_open ({ceiling})")
        out.append((which, *values))
    return out


def _nr_open() -> int | None:
    try:
        with open("/proc/sys/fs/nr_open") as f:
            return int(f.read())
    except (OSError, ValueError):
        return None


def _child_setup(limits: list[tuple[int, int, int]], creds: dict):
    """What the child does between fork and exec when it has resource limits: set them,
    then change groups and user (after, a hard limit could no longer be raised)."""
    def setup() -> None:
        for which, soft, hard in limits:
            resource.setrlimit(which, (soft, hard))
        if "extra_groups" in creds:
            os.setgroups(creds["extra_groups"])
        if "group" in creds:
            os.setregid(creds["group"], creds["group"])
        if "user" in creds:
            os.setreuid(creds["user"], creds["user"])
    return setup


def spawn(argv: list[str], *, env: dict[str, str] | None, cwd: str | None, user, group,
          output_fd: int, keep_fds: tuple[int, ...] = (),
          host_accounts_only: bool = False, groups=(), umask: int | None = None,
          new_session: bool = True, limits: list = ()) -> subprocess.Popen:
    """Start ARGV in a session of its own (NEW_SESSION), else in a process group of its
    own in ours, output to OUTPUT_FD; with the file creation mask UMASK and the resource
    LIMITS (the spec's triples) when given."""
    creds = credentials(user, group, host_accounts_only, groups)
    rlimits = resource_limits(limits)
    session = {"start_new_session": True} if new_session else {"process_group": 0}
    if rlimits:
        # Popen changes the user before a preexec_fn runs; the limits must come first.
        creds = {"preexec_fn": _child_setup(rlimits, creds)}
    try:
        return subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=output_fd, stderr=output_fd,
            env=env, cwd=cwd or "/", close_fds=True, pass_fds=keep_fds,
            umask=-1 if umask is None else umask, **session, **creds)
    except FileNotFoundError as e:
        raise StartError(f"{e.filename or argv[0]}: no such file or directory") from None
    except PermissionError as e:
        raise StartError(f"{argv[0]}: permission denied ({e.strerror})") from None
    except OSError as e:
        raise StartError(f"{argv[0]}: {e.strerror}") from None
    except subprocess.SubprocessError:      # the limits, or the account change after them
        shown = ", ".join(f"{n} {s}/{h}" for n, s, h in limits)
        raise StartError(f"{argv[0]}: the kernel refused the resource limits ({shown}) or "
                         f"the change of user after them") from None


def signal_tree(pid: int, sig: int, group: bool) -> None:
    """Send SIG to PID's process group when it leads one (GROUP), else to PID alone."""
    try:
        if group:
            os.killpg(pid, sig)
        else:
            os.kill(pid, sig)
    except ProcessLookupError:
        pass
    except PermissionError:
        os.kill(pid, sig)


def read_pid_file(source) -> int | None:
    """The live pid SOURCE names: a path, or a file beneath a root (rootfiles.RootFile,
    whose read() never follows a link out of it)."""
    try:
        if isinstance(source, str):
            with open(source, "rb") as f:
                data: bytes | None = f.read()
        else:
            data = source.read()
        pid = int((data or b"").decode("ascii").split()[0])
    except (OSError, StartError, ValueError, IndexError):
        return None
    return pid if pid > 0 and proc_start_time(pid) is not None else None


def wait_pid_file(source, timeout: float, gave_up, accept=lambda pid: True) -> int:
    """Wait until PATH names a live process that ACCEPT(pid) takes as the service's;
    GAVE_UP() returns why to stop waiting early (the start error's whole text) or None."""
    deadline = time.monotonic() + timeout
    delay = 0.01
    while time.monotonic() < deadline:
        pid = read_pid_file(source)
        if pid and accept(pid):
            return pid
        reason = gave_up()
        if reason:
            raise StartError(reason)
        time.sleep(delay)
        delay = min(delay * 2, 0.2)
    raise StartError(f"no live process named in the pid file "
                     f"{getattr(source, 'path', source)} after {timeout:g} s")


def exit_description(status: int | None) -> str:
    """`waitpid` status -> words, as `herd status` prints them."""
    if status is None:
        return "exited (status unknown: it was not a child of this supervisor)"
    if os.WIFSIGNALED(status):
        try:
            name = signal.Signals(os.WTERMSIG(status)).name
        except ValueError:
            name = str(os.WTERMSIG(status))
        return f"terminated with signal {name}"
    return f"exited with code {os.WEXITSTATUS(status)}"
