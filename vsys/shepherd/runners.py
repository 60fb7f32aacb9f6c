"""How each kind of runner starts and stops (process, vm, binfmt, mcron, none)."""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import signal
import stat
import subprocess
import tempfile
import time

from ..container.mounts import host_path
from ..guest_systems import guest_config
from . import binfmt, disk, kvm, qmp
from .logs import since
from .logs import size as log_size
from .process import (
    StartError,
    beneath,
    credentials,
    exit_description,
    find_program,
    missing_program,
    proc_start_time,
    proc_started_at,
    process_name,
    read_pid_file,
    same_process,
    signal_tree,
    spawn,
    wait_pid_file,
)
from .rootfiles import RootFile
from .secrets import SecretServiceError, send_secrets
from .service import Service

QMP_READY_TIMEOUT = 30.0
EXIT_WAIT = 5.0             # after SIGKILL, how long a process may take to vanish


def safe_name(name: str) -> str:
    return name.replace("/", "%")


# ---- starting ---------------------------------------------------------------------

# How long a plain fork (no pid file, not one-shot) must stay alive to count as started:
# one that exits before was never up, and `herd start` says so.
START_GRACE = 1.0

# The PATH a service gets unless its spec sets one: the host's standard directories,
# never the PATH of whoever started the supervisor.
HOST_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


class ProcessExited(StartError):
    """The process exited before its start was confirmed (a respawn may try again)."""
    exited = True


def start(sup, svc: Service) -> None:
    """Start SVC; return once its start condition holds (the caller marks it running)."""
    kind = svc.spec.start.kind
    svc.message = None
    svc.failed = False
    svc.resolved = resolution(svc.spec)
    if kind == "none":
        _spawned(svc, None)
    elif kind == "binfmt":
        _start_binfmt(sup, svc)
    elif kind == "vm":
        _start_vm(sup, svc)
    else:
        _start_process(sup, svc)


def _spawned(svc: Service, pid: int | None) -> None:
    svc.pid = pid
    svc.proc_start = proc_start_time(pid) if pid else None
    svc.since = time.time()


def environment(spec) -> dict[str, str]:
    """A service's whole environment: its own variables, plus the host's PATH when it
    sets none.  Nothing comes from the environment of the supervisor's caller."""
    env = dict(spec.start.environment or {})
    env.setdefault("PATH", HOST_PATH)
    return env


def _environment(svc: Service) -> dict[str, str]:
    return environment(svc.spec)


def resolve_program(program: str, env: dict[str, str]) -> str | None:
    """PROGRAM as it will be run: itself when it exists, else, for a missing program in
    one of the host's standard directories (where a build guessed it before its package
    was installed), the program of that name in another of them (/usr/sbin for
    /usr/bin, say)."""
    found = find_program(program, env)
    if found or os.path.dirname(program) not in HOST_PATH.split(":"):
        return found
    return find_program(os.path.basename(program), {"PATH": HOST_PATH})


def resolved_argv(spec) -> list[str]:
    argv = spec.start.command()
    if not argv:
        return argv
    found = resolve_program(argv[0], environment(spec))
    return [found or argv[0], *argv[1:]]


def resolution(spec) -> str | None:
    """A digest of what a start of SPEC hands its process beyond the spec's own text:
    the program found, the files its arguments name as they resolve now (a link in the
    root may point to a new generation), the environment and accounts.  A running
    service whose resolution changed is restarted by the next reload."""
    if spec.start.kind not in ("process", "vm", "mcron"):
        return None
    argv = resolved_argv(spec)
    # The program by identity (upgraded in place is a new inode), the other files it is
    # given by where they lead (their contents are data that changes as it runs).
    files = {argv[0]: [os.path.realpath(argv[0]), _identity(argv[0])]} if argv else {}
    for arg in argv[1:]:
        if arg.startswith("/") and os.path.exists(arg):
            files[arg] = os.path.realpath(arg)
    st = spec.start
    data = [argv, files, environment(spec), st.user, st.group, st.supplementary_groups]
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _identity(path: str) -> list[int]:
    try:
        s = os.stat(path)
    except OSError:
        return []
    return [s.st_dev, s.st_ino, s.st_size, s.st_mtime_ns]


def _program(svc: Service, argv: list[str], default_package: str | None = None) -> list[str]:
    """ARGV with its program resolved again now, or the error naming what to install."""
    st = svc.spec.start
    found = resolve_program(argv[0], _environment(svc))
    if not found:
        if st.missing and argv[0] == st.argv[0]:        # as the build said it
            raise StartError(f"{argv[0]} is missing ({st.missing})")
        raise StartError(missing_program(argv[0], st.package or default_package))
    return [found, *argv[1:]]


def _cancelled(svc: Service) -> str | None:
    return svc.job.cancelled() if svc.job is not None else None


def _pre_start(sup, svc: Service) -> None:
    timeout = svc.spec.start.timeout
    for argv in svc.spec.start.pre_start:
        argv = _program(svc, argv)
        out = tempfile.TemporaryFile()
        with out:
            try:
                proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out,
                                        stderr=subprocess.STDOUT, env=_environment(svc),
                                        start_new_session=True)
            except OSError as e:
                raise StartError(f"{argv[0]}: {e.strerror}") from None
            deadline = time.monotonic() + timeout
            while proc.poll() is None:
                why = _cancelled(svc) or (f"{argv[0]} took more than {timeout:g} s"
                                          if time.monotonic() > deadline else None)
                if why:
                    signal_tree(proc.pid, signal.SIGKILL, True)
                    proc.wait()
                    raise StartError(why)
                time.sleep(0.02)
            out.seek(0)
            for line in out.read().decode(errors="replace").splitlines():
                sup.log_line(svc, line)
        if proc.returncode != 0:
            raise StartError(f"{' '.join(argv)} "
                             f"{exit_description(_wait_status(proc.returncode))}")


def _wait_status(returncode: int) -> int:
    """Popen's returncode as a waitpid status (negative: killed by that signal)."""
    return -returncode if returncode < 0 else returncode << 8


def _launch(sup, svc: Service, argv: list[str]) -> subprocess.Popen:
    """Spawn ARGV with its output going through a FIFO to the service log.

    The child also keeps the FIFO's read end open: then its writes never hit a closed
    pipe while no supervisor runs, and a restarted supervisor reopens the same FIFO."""
    st = svc.spec.start
    fifo = os.path.join(sup.run_dir, "out", safe_name(svc.name))
    os.makedirs(os.path.dirname(fifo), mode=0o700, exist_ok=True)
    try:
        os.unlink(fifo)
    except FileNotFoundError:
        pass
    os.mkfifo(fifo, 0o600)
    sup._writer(svc)                             # the log, and its path, exist
    svc.output_from = log_size(svc.writer.file)    # what this run writes comes after
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    writer = os.open(fifo, os.O_WRONLY | os.O_CLOEXEC)
    try:
        child = spawn(argv, env=_environment(svc), cwd=st.directory, user=st.user,
                      group=st.group, output_fd=writer, keep_fds=(reader,),
                      host_accounts_only=sup.top != "/", groups=st.supplementary_groups,
                      umask=st.file_creation_mask, new_session=st.create_session,
                      limits=st.resource_limits)
    except BaseException:
        os.close(reader)
        raise
    finally:
        os.close(writer)
    svc.fifo = fifo
    sup.follow_output(svc, reader)
    svc.command = list(argv)
    svc.child = child
    svc.launched = (child.pid, proc_start_time(child.pid))
    svc.exited.clear()
    sup.save()          # so that a supervisor after a crash finds what was launched
    return child


def _pid_file_holder(svc: Service, pid_file: RootFile) -> int | None:
    """The live process PID_FILE names, when it could have written it (a process born
    after the file was written is a reused pid: the file is stale)."""
    pid = read_pid_file(pid_file)
    if pid is None:
        return None
    try:
        info = pid_file.lstat()
    except (OSError, StartError):
        return None
    if info is None:
        return None
    written = info.st_mtime
    born = proc_started_at(pid)
    return pid if born is None or born <= written + 1.0 else None


def _start_process(sup, svc: Service) -> None:
    st = svc.spec.start
    argv = _program(svc, st.command(), "mcron" if st.kind == "mcron" else None)
    _pre_start(sup, svc)
    if st.pid_file:
        # Read and removed beneath the root, never through a link out of it (rootfiles).
        pid_file = RootFile(sup.top, st.pid_file)
        holder = _pid_file_holder(svc, pid_file)
        if holder is not None:
            # Never take a live daemon's pid file away: its own tools find it by it.
            raise StartError(f"another {process_name(holder)} (pid {holder}) holds the pid "
                             f"file {pid_file.path}: stop that process first (it is not "
                             f"supervised by vsys)")
        pid_file.unlink()              # stale: names a dead or reused pid
        child = _launch(sup, svc, argv)
        born = proc_start_time(child.pid) or 0
        first: dict = {}
        sup.monitor.watch_process(child.pid, lambda pid, status: first.update(status=status))

        def gave_up():
            if _cancelled(svc):
                return _cancelled(svc)
            if "status" in first and first["status"] not in (0, None):
                return (f"{argv[0]} {exit_description(first['status'])} before writing "
                        f"its pid file {pid_file.path}{last_words(svc)}")
            return None

        def ours(pid: int) -> bool:     # started by this start, not an older daemon
            return (proc_start_time(pid) or 0) >= born
        try:
            pid = wait_pid_file(pid_file, st.pid_file_timeout, gave_up, ours)
        except StartError:
            signal_tree(child.pid, signal.SIGKILL, True)
            raise
        child.returncode = first.get("status", 0)   # not ours to wait for any more
        svc.child = None
        svc.leads_group = os.getpgid(pid) == pid if proc_start_time(pid) else False
        _spawned(svc, pid)
        sup.watch(svc, pid)
        return
    child = _launch(sup, svc, argv)
    svc.leads_group = True
    _spawned(svc, child.pid)
    sup.watch(svc, child.pid)
    if svc.spec.one_shot:
        deadline = time.monotonic() + st.timeout
        while not svc.exited.wait(0.05):
            why = _cancelled(svc) or (f"the one-shot command ran longer than {st.timeout:g} s"
                                      if time.monotonic() > deadline else None)
            if why:
                _terminate(svc, signal.SIGTERM, 1.0)
                raise StartError(why)
        status = (svc.last_exit or {}).get("status")
        if status != 0:
            raise StartError(f"the command {exit_description(status)}")
        return
    # A plain fork has no readiness signal: those that require it may start now, but it
    # is confirmed only once it has stayed up for START_GRACE.
    if svc.job is not None:
        svc.job.ready.set()
    began = time.monotonic()
    while not svc.exited.wait(0.05):
        if _cancelled(svc):
            _terminate(svc, signal.SIGTERM, 3.0)
            raise StartError(_cancelled(svc))
        if time.monotonic() - began >= START_GRACE:
            return
    text = (svc.last_exit or {}).get("text", "exited")
    raise ProcessExited(f"{argv[0]} {text} {time.monotonic() - began:.1f} s after it was "
                        f"started (a service counts as started once its process has stayed "
                        f"up {START_GRACE:g} s){last_words(svc)}")


def last_words(svc: Service, count: int = 3) -> str:
    """": LINE; LINE", the last things a process that just exited wrote (why it exited,
    usually), or ""."""
    time.sleep(0.1)                   # let its last output reach the log
    # Only this run's own lines: an earlier run's last words are not its reason.
    lines = [ln.split(" ", 2)[-1] for ln in (
        since(svc.writer.file, svc.output_from, count + 2)
        if svc.log_path else [])]
    said = [ln for ln in lines if not ln.startswith("[shepherd]")][-count:]
    return f": {'; '.join(said)}" if said else ""


def host_view(sup, path: str) -> str:
    """PATH as the host names it, for what a person types there: inside a container a
    path in one of the root's own directories (/var, /etc...) is beneath the root."""
    return host_path(sup.root if sup.top != sup.root else None, path)


def missing_image(image: str) -> str:
    """What to say when a VM's disk image is missing: the command that builds one."""
    return (f"disk image {image} does not exist: build one (as root) with "
            f"`vsys image {shlex.quote(guest_config())} --output {shlex.quote(image)}`, "
            f"or set the service's image to an existing file")


# A supervised VM is headless: Debian's QEMU shows a GTK window by default, and fails at
# once without a desktop session (Guix's qemu-minimal has no display at all).  A command
# that chooses its display keeps it.
DISPLAY_OPTIONS = {"-display", "--display", "-nographic", "--nographic", "-vnc", "--vnc",
                   "-sdl", "-curses", "-spice"}


def _start_vm(sup, svc: Service) -> None:
    st = svc.spec.start
    argv = _program(svc, list(st.argv), "qemu-system-x86")
    if st.image and not os.path.exists(st.image):
        raise StartError(missing_image(host_view(sup, st.image)))
    secret_root = sup.root_path(st.secrets.root) if st.secrets else None
    if secret_root and not os.path.isdir(secret_root):
        raise StartError(f"secret root {secret_root} is not a directory (activation creates it)")
    blank = disk.unbootable(st.image, argv) if st.image else None
    if blank:
        # Said while it starts, and as the reason when it gives up: QEMU's own last words
        # (CPU feature warnings, an exit code 0 after the BIOS gave up) hide it.
        svc.message = blank
        sup.log_line(svc, f"[shepherd] {blank}")
    sock = st.qmp_socket or _qmp_path(sup, svc)
    try:
        os.unlink(sock)
    except FileNotFoundError:
        pass
    svc.qmp_socket = sock
    _pre_start(sup, svc)
    if not DISPLAY_OPTIONS.intersection(argv):
        argv += ["-display", "none"]
    if st.kvm_option:
        if kvm.for_vm(st.kvm_access):
            argv.insert(1, st.kvm_option)
        elif kvm.pvm_only():
            sup.log_line(svc, "[shepherd] not using KVM: this host's KVM is PVM, which "
                              "runs only guests built for it; QEMU emulates (TCG)")
    argv += guest_agent_options(argv, sock)
    child = _launch(sup, svc, [*argv, "-qmp",
                               f"unix:{qemu_option_value(sock)},server=on,wait=off"])
    svc.leads_group = True
    _spawned(svc, child.pid)
    sup.watch(svc, child.pid)

    def gave_up():
        reason = _cancelled(svc)
        if reason:
            return reason
        reason = svc.exit_reason()
        if reason:
            said = f"QEMU {reason[len('the process '):]}"
            return f"{blank}; {said}" if blank else f"{said}{last_words(svc)}"
        return None
    try:
        qmp.wait_ready(sock, QMP_READY_TIMEOUT, gave_up)
        if st.secrets:
            send_secrets(st.secrets.port, secret_root, st.secrets.handshake_timeout,
                         st.secrets.tries, should_stop=gave_up,
                         log=lambda text: sup.log_line(svc, f"[shepherd] {text}"),
                         top=sup.top)
    except (qmp.QMPError, SecretServiceError) as e:
        cancelled = _cancelled(svc)
        if not svc.exited.is_set():
            _terminate(svc, signal.SIGTERM, 3.0)
            if cancelled:
                raise StartError(cancelled) from None
            raise StartError(f"{blank + '; ' if blank else ''}{e}; the VM was stopped") from None
        if cancelled:
            raise StartError(cancelled) from None
        raise ProcessExited(str(e)) from None


def private_dir(path: str) -> str:
    """PATH, a directory of a shared place such as /tmp that only this user may use:
    made 0700, and refused when someone else made it first (they could read or replace
    the sockets in it)."""
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass
    st = os.lstat(path)
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid():
        raise StartError(f"{path} is not a directory of this user (it belongs to uid "
                         f"{st.st_uid}); vsys will not put a control socket there: "
                         f"remove it, or use a shorter state directory")
    if st.st_mode & 0o077:
        os.chmod(path, 0o700)
    return path


AGENT_CHANNEL = "org.qemu.guest_agent.0"
AGENT_CHARDEV = "vsys-qga"


def guest_agent_options(argv: list[str], qmp_socket: str) -> list[str]:
    """The QEMU guest agent's channel: a virtio serial port the guest's qemu-ga opens,
    and on the host a socket beside the QMP one (`herd status` names it), unless the
    command already has one."""
    if any(AGENT_CHANNEL in a for a in argv):
        return []
    path = agent_socket(qmp_socket)
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    return ["-chardev", f"socket,id={AGENT_CHARDEV},path={qemu_option_value(path)},"
                        f"server=on,wait=off",
            "-device", "virtio-serial",
            "-device", f"virtserialport,chardev={AGENT_CHARDEV},name={AGENT_CHANNEL}"]


def qemu_option_value(text: str) -> str:
    """TEXT (a socket path) as the value of a QEMU `key=value,...` option: a doubled
    comma is one comma of the value (the build VM's `-drive file=` does the same at build
    time; the supervisor does not load the config library)."""
    return text.replace(",", ",,")


def agent_socket(qmp_socket: str) -> str:
    head, tail = os.path.split(qmp_socket)
    return os.path.join(head, tail.replace("qmp", "qga", 1) if "qmp" in tail
                        else "qga-" + tail)


def _qmp_path(sup, svc: Service) -> str:
    owner = _vm_owner(sup, svc)
    path = os.path.join(sup.run_dir, f"qmp-{safe_name(svc.name)}.sock")
    if len(path) <= 100 and owner is None:
        return path
    # QEMU needs a path that fits in a Unix socket address, and, when it runs as the VM's
    # user, a directory of that user's for its sockets: one per VM, in a directory others
    # may cross but not read (the supervisor's own run directory stays private).
    short = private_dir(os.path.join(tempfile.gettempdir(), f"vsys-{os.getuid()}"))
    if owner is None:
        return os.path.join(short, f"{os.path.basename(sup.run_dir)}-"
                                   f"{safe_name(svc.name)}.qmp")[:100]
    os.chmod(short, 0o711)
    mine = os.path.join(short, f"{os.path.basename(sup.run_dir)}-{safe_name(svc.name)}"[:60])
    try:
        os.mkdir(mine, 0o700)
    except FileExistsError:
        pass
    info = os.lstat(mine)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid not in (os.getuid(), owner[0]):
        raise StartError(f"{mine} is not a directory of this VM's (uid {info.st_uid}); vsys "
                         f"will not put its control socket there: remove it")
    os.chown(mine, *owner, follow_symlinks=False)
    os.chmod(mine, 0o700)
    return os.path.join(mine, "qmp.sock")


def _vm_owner(sup, svc: Service) -> tuple[int, int] | None:
    """(uid, gid) QEMU runs as, when the supervisor (root) runs it as another user."""
    st = svc.spec.start
    if os.geteuid() != 0 or st.user is None:
        return None
    kw = credentials(st.user, st.group, sandbox=sup.top != "/")
    if "user" not in kw or kw["user"] == os.geteuid():
        return None
    return kw["user"], kw.get("group", 0)


def binfmt_dir(sup, svc: Service) -> str:
    # A sandbox root's entries stay in its own directory, in a container too (where the
    # root is at its host path as well): only `--root /` touches the kernel's.  A link
    # there (root/proc -> /proc) must not make the kernel's table the sandbox's.
    return beneath(sup.root, svc.spec.start.binfmt_directory)


def _start_binfmt(sup, svc: Service) -> None:
    directory = binfmt_dir(sup, svc)
    if binfmt.is_kernel(directory):
        if os.geteuid() != 0:
            raise StartError("registering binfmt entries in the kernel needs root privileges")
        if not os.path.exists(os.path.join(directory, "register")):
            raise StartError(f"binfmt_misc is not mounted on {directory} "
                             f"(mount -t binfmt_misc binfmt_misc {directory})")
    parsed = []
    for line in svc.spec.start.entries:
        try:
            entry = binfmt.parse_register(line)
        except binfmt.BinfmtError as e:
            raise StartError(str(e)) from None
        if not os.path.exists(entry.interpreter):
            raise StartError(missing_program(entry.interpreter,
                                             svc.spec.start.package or "qemu-user-static"))
        parsed.append(entry)
    done, kept = [], []
    owned = binfmt.owned(directory, sup.run_dir, sup.root)
    try:
        for line, entry in zip(svc.spec.start.entries, parsed):
            if entry.name not in owned and os.path.exists(os.path.join(directory, entry.name)):
                kept.append(entry.name)      # registered before vsys: not vsys's to touch
                continue
            binfmt.register(directory, line)
            done.append(entry.name)
            binfmt.save_owned(sup.run_dir, directory, add=[entry.name])
    except OSError as e:
        for name in done:
            binfmt.unregister(directory, name)
        binfmt.save_owned(sup.run_dir, directory, remove=done)
        raise StartError(f"cannot register binfmt entries in {directory}: {e.strerror}") from None
    if kept:
        sup.log_line(svc, f"[shepherd] kept {', '.join(kept)}: registered in {directory} "
                          f"before vsys, so vsys uses it and never removes it")
    svc.command = [f"register {e.name} -> {e.interpreter}" for e in parsed]
    sup.log_line(svc, f"[shepherd] registered {', '.join(done)} in {directory}")
    _spawned(svc, None)


# ---- stopping ---------------------------------------------------------------------

def stop(sup, svc: Service) -> None:
    spec = svc.spec
    method = spec.stop.method
    if spec.start.kind == "binfmt":
        directory = binfmt_dir(sup, svc)
        owned = binfmt.owned(directory, sup.run_dir, sup.root)
        removed, left = [], []
        for line in spec.start.entries:
            try:
                name = binfmt.parse_register(line).name
                if name not in owned:
                    left.append(name)
                    continue
                binfmt.unregister(directory, name)
                removed.append(name)
            except (binfmt.BinfmtError, OSError) as e:
                sup.log_line(svc, f"[shepherd] cannot unregister: {e}")
        binfmt.save_owned(sup.run_dir, directory, remove=removed)
        sup.log_line(svc, f"[shepherd] unregistered {', '.join(removed) or 'nothing'} from "
                          f"{directory}" + (f"; left {', '.join(left)}, which vsys did not "
                                            f"register" if left else ""))
        return
    if svc.pid is None or method == "none" and spec.start.kind == "none":
        return
    if method == "powerdown" and svc.qmp_socket:
        try:
            qmp.query(svc.qmp_socket, "system_powerdown", timeout=1.0)
            sup.log_line(svc, "[shepherd] asked the guest to power down (QMP system_powerdown)")
        except (OSError, qmp.QMPError, ValueError) as e:
            sup.log_line(svc, f"[shepherd] QMP system_powerdown failed: {e}")
        if svc.exited.wait(spec.stop.grace):
            return
        _terminate(svc, signal.SIGTERM, 3.0)
        return
    if method == "none":
        return
    _terminate(svc, getattr(signal, spec.stop.signal), spec.stop.grace)


def _terminate(svc: Service, sig: int, grace: float) -> None:
    """SIG to the process (group), GRACE seconds, then SIGKILL; wait for the exit."""
    pid = svc.pid
    if pid is None or svc.exited.is_set():
        return
    try:      # a daemon may have made its own group after writing its pid file
        svc.leads_group = svc.leads_group or os.getpgid(pid) == pid
    except ProcessLookupError:
        return
    signal_tree(pid, sig, svc.leads_group)
    if not svc.exited.wait(grace):
        signal_tree(pid, signal.SIGKILL, svc.leads_group)
        svc.exited.wait(EXIT_WAIT)


def end_process(pid: int, proc_start: int | None, group: bool, grace: float = 5.0) -> None:
    """SIGTERM to PID (its group when it leads one), SIGKILL after GRACE seconds; for a
    process that is not this supervisor's child (one a previous supervisor started)."""
    signal_tree(pid, signal.SIGTERM, group)
    if not _gone(pid, proc_start, grace):
        signal_tree(pid, signal.SIGKILL, group)
        _gone(pid, proc_start, EXIT_WAIT)
    if group:
        signal_tree(pid, signal.SIGKILL, True)      # what is left of its group


def _gone(pid: int, proc_start: int | None, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while same_process(pid, proc_start):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def sweep_group(svc: Service, pid: int) -> None:
    """After the main process exited, end what is left of its process group."""
    if svc.leads_group:
        signal_tree(pid, signal.SIGKILL, True)


def is_fifo(path: str | None) -> bool:
    try:
        return path is not None and stat.S_ISFIFO(os.stat(path).st_mode)
    except OSError:
        return False


def reopen_output(svc: Service) -> int | None:
    """The log FIFO of an adopted process, opened again for reading."""
    if not is_fifo(svc.fifo):
        return None
    try:
        return os.open(svc.fifo, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None

