"""Starting and ending processes, and recognising them again from /proc."""

from __future__ import annotations

import os
import pwd
import grp
import shutil
import signal
import subprocess
import time


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


def credentials(user, group, sandbox: bool = False) -> dict:
    """Popen keyword arguments to run as USER/GROUP, applied only when we are root.

    For a SANDBOX root the accounts vsys creates live in the sandbox's own passwd and group
    files, which the host does not know: an account missing on the host then means the
    service runs as the supervisor's user, instead of not running at all."""
    if os.geteuid() != 0 or (user is None and group is None):
        return {}
    if sandbox:
        try:
            return credentials(user, group)
        except StartError:
            return {}
    kw: dict = {}
    try:
        if user is not None:
            pw = pwd.getpwnam(user) if isinstance(user, str) else pwd.getpwuid(user)
            kw["user"] = pw.pw_uid
            kw["group"] = pw.pw_gid
            kw["extra_groups"] = [g.gr_gid for g in grp.getgrall() if pw.pw_name in g.gr_mem]
        if group is not None:
            kw["group"] = (grp.getgrnam(group) if isinstance(group, str) else grp.getgrgid(group)).gr_gid
    except KeyError as e:
        raise StartError(f"no such user or group on this host: {e.args[0]} (declare it in "
                         f"the operating-system's users or groups and reconfigure)") from None
    return kw


def spawn(argv: list[str], *, env: dict[str, str] | None, cwd: str | None, user, group,
          output_fd: int, keep_fds: tuple[int, ...] = (),
          host_accounts_only: bool = False) -> subprocess.Popen:
    """Start ARGV in a session (and so a process group) of its own, output to OUTPUT_FD."""
    try:
        return subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=output_fd, stderr=output_fd,
            env=env, cwd=cwd or "/", start_new_session=True, close_fds=True,
            pass_fds=keep_fds, **credentials(user, group, host_accounts_only))
    except FileNotFoundError as e:
        raise StartError(f"{e.filename or argv[0]}: no such file or directory") from None
    except PermissionError as e:
        raise StartError(f"{argv[0]}: permission denied ({e.strerror})") from None
    except OSError as e:
        raise StartError(f"{argv[0]}: {e.strerror}") from None


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


def read_pid_file(path: str) -> int | None:
    try:
        with open(path) as f:
            text = f.read().strip()
        pid = int(text.split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pid if pid > 0 and proc_start_time(pid) is not None else None


def wait_pid_file(path: str, timeout: float, gave_up) -> int:
    """Wait until PATH names a live process; GAVE_UP() says to stop waiting early."""
    deadline = time.monotonic() + timeout
    delay = 0.01
    while time.monotonic() < deadline:
        pid = read_pid_file(path)
        if pid:
            return pid
        reason = gave_up()
        if reason:
            raise StartError(f"{reason} before writing its pid file {path}")
        time.sleep(delay)
        delay = min(delay * 2, 0.2)
    raise StartError(f"no live process named in the pid file {path} after {timeout:g} s")


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
