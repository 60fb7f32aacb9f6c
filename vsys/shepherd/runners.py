"""How each kind of runner starts and stops (process, vm, binfmt, mcron, none)."""

from __future__ import annotations

import os
import shlex
import signal
import stat
import subprocess
import tempfile
import time

from . import binfmt, qmp
from .logs import tail
from .process import (StartError, exit_description, find_program, missing_program,
                      proc_start_time, signal_tree, spawn, wait_pid_file)
from .secrets import SecretServiceError, send_secrets
from .service import DONE, RUNNING, Service

QMP_READY_TIMEOUT = 30.0
EXIT_WAIT = 5.0             # after SIGKILL, how long a process may take to vanish


def safe_name(name: str) -> str:
    return name.replace("/", "%")


# ---- starting ---------------------------------------------------------------------

def start(sup, svc: Service) -> None:
    kind = svc.spec.start.kind
    svc.message = None
    svc.failed = False
    if kind == "none":
        _mark_running(svc, None)
    elif kind == "binfmt":
        _start_binfmt(sup, svc)
    elif kind == "vm":
        _start_vm(sup, svc)
    else:
        _start_process(sup, svc)


def _mark_running(svc: Service, pid: int | None) -> None:
    svc.pid = pid
    svc.proc_start = proc_start_time(pid) if pid else None
    svc.since = time.time()
    svc.status = RUNNING


def _environment(svc: Service) -> dict[str, str] | None:
    return dict(svc.spec.start.environment) if svc.spec.start.environment is not None else None


def _check_program(svc: Service, argv0: str, default_package: str | None = None) -> None:
    st = svc.spec.start
    if not find_program(argv0, _environment(svc)):
        raise StartError(missing_program(argv0, st.package or default_package))


def _pre_start(sup, svc: Service) -> None:
    for argv in svc.spec.start.pre_start:
        _check_program(svc, argv[0])
        try:
            done = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True,
                                  env=_environment(svc), timeout=svc.spec.start.timeout)
        except subprocess.TimeoutExpired:
            raise StartError(f"{argv[0]} took more than {svc.spec.start.timeout:g} s") from None
        for line in (done.stdout + done.stderr).decode(errors="replace").splitlines():
            sup.log_line(svc, line)
        if done.returncode != 0:
            raise StartError(f"{' '.join(argv)} {exit_description(done.returncode << 8)}")


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
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    writer = os.open(fifo, os.O_WRONLY | os.O_CLOEXEC)
    try:
        child = spawn(argv, env=_environment(svc), cwd=st.directory, user=st.user,
                      group=st.group, output_fd=writer, keep_fds=(reader,),
                      host_accounts_only=sup.root != "/", groups=st.supplementary_groups,
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
    svc.exited.clear()
    return child


def _start_process(sup, svc: Service) -> None:
    st = svc.spec.start
    argv = st.command()
    _check_program(svc, argv[0], "mcron" if st.kind == "mcron" else None)
    _pre_start(sup, svc)
    if st.pid_file:
        pid_file = sup.root_path(st.pid_file)
        try:
            os.unlink(pid_file)        # a stale file would name a dead or reused pid
        except FileNotFoundError:
            pass
        child = _launch(sup, svc, argv)
        first: dict = {}
        sup.monitor.watch_process(child.pid, lambda pid, status: first.update(status=status))

        def gave_up():
            if "status" in first and first["status"] not in (0, None):
                return (f"{argv[0]} {exit_description(first['status'])} before writing "
                        f"its pid file {pid_file}{_last_words(svc)}")
            return None
        try:
            pid = wait_pid_file(pid_file, st.pid_file_timeout, gave_up)
        except StartError:
            signal_tree(child.pid, signal.SIGKILL, True)
            raise
        child.returncode = first.get("status", 0)   # not ours to wait for any more
        svc.child = None
        svc.leads_group = os.getpgid(pid) == pid if proc_start_time(pid) else False
        _mark_running(svc, pid)
        sup.watch(svc, pid)
        return
    child = _launch(sup, svc, argv)
    svc.leads_group = True
    _mark_running(svc, child.pid)
    sup.watch(svc, child.pid)
    if svc.spec.one_shot:
        if not svc.exited.wait(st.timeout):
            _terminate(svc, signal.SIGTERM, 1.0)
            raise StartError(f"the one-shot command ran longer than {st.timeout:g} s")
        status = (svc.last_exit or {}).get("status")
        if status != 0:
            raise StartError(f"the command {exit_description(status)}")
        svc.status = DONE


def _last_words(svc: Service, count: int = 3) -> str:
    """": LINE; LINE", the last things a process that just exited wrote (why it exited,
    usually), or ""."""
    time.sleep(0.1)                   # let its last output reach the log
    lines = [ln.split(" ", 2)[-1] for ln in (tail(svc.log_path, count + 2)
                                             if svc.log_path else [])]
    said = [ln for ln in lines if not ln.startswith("[shepherd]")][-count:]
    return f": {'; '.join(said)}" if said else ""


def missing_image(image: str) -> str:
    """What to say when a VM's disk image is missing: the command that builds one."""
    from ..image.commands import guest_config
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
    _check_program(svc, st.argv[0], "qemu-system-x86")
    if st.image and not os.path.exists(st.image):
        raise StartError(missing_image(st.image))
    secret_root = sup.root_path(st.secrets.root) if st.secrets else None
    if secret_root and not os.path.isdir(secret_root):
        raise StartError(f"secret root {secret_root} is not a directory (activation creates it)")
    sock = st.qmp_socket or _qmp_path(sup, svc)
    try:
        os.unlink(sock)
    except FileNotFoundError:
        pass
    svc.qmp_socket = sock
    _pre_start(sup, svc)
    argv = list(st.argv)
    if not DISPLAY_OPTIONS.intersection(argv):
        argv += ["-display", "none"]
    if st.kvm_option:
        from . import kvm
        if kvm.for_vm(st.kvm_access):
            argv.insert(1, st.kvm_option)
        elif kvm.pvm_only():
            sup.log_line(svc, "[shepherd] not using KVM: this host's KVM is PVM, which "
                              "runs only guests built for it; QEMU emulates (TCG)")
    argv += guest_agent_options(argv, sock)
    child = _launch(sup, svc, [*argv, "-qmp", f"unix:{sock},server=on,wait=off"])
    svc.leads_group = True
    _mark_running(svc, child.pid)
    svc.status = "starting"
    sup.watch(svc, child.pid)

    def gave_up():
        reason = svc.exit_reason()
        if reason:
            return f"QEMU {reason[len('the process '):]}{_last_words(svc)}"
        return None
    try:
        qmp.wait_ready(sock, QMP_READY_TIMEOUT, gave_up)
        if st.secrets:
            send_secrets(st.secrets.port, secret_root, st.secrets.handshake_timeout,
                         st.secrets.tries, should_stop=gave_up,
                         log=lambda text: sup.log_line(svc, f"[shepherd] {text}"))
    except (qmp.QMPError, SecretServiceError) as e:
        if not svc.exited.is_set():
            _terminate(svc, signal.SIGTERM, 3.0)
            raise StartError(f"{e}; the VM was stopped") from None
        raise StartError(str(e)) from None
    svc.status = RUNNING


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
    return ["-chardev", f"socket,id={AGENT_CHARDEV},path={path},server=on,wait=off",
            "-device", "virtio-serial",
            "-device", f"virtserialport,chardev={AGENT_CHARDEV},name={AGENT_CHANNEL}"]


def agent_socket(qmp_socket: str) -> str:
    head, tail = os.path.split(qmp_socket)
    return os.path.join(head, tail.replace("qmp", "qga", 1) if "qmp" in tail
                        else "qga-" + tail)


def _qmp_path(sup, svc: Service) -> str:
    path = os.path.join(sup.run_dir, f"qmp-{safe_name(svc.name)}.sock")
    if len(path) <= 100:
        return path
    # QEMU needs a path that fits in a Unix socket address.
    short = os.path.join(tempfile.gettempdir(), f"vsys-{os.getuid()}")
    os.makedirs(short, mode=0o700, exist_ok=True)
    return os.path.join(short, f"{os.path.basename(sup.run_dir)}-{safe_name(svc.name)}.qmp")[:100]


def binfmt_dir(sup, svc: Service) -> str:
    return sup.root_path(svc.spec.start.binfmt_directory)


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
            raise StartError(missing_program(entry.interpreter, svc.spec.start.package or "qemu-user-static"))
        parsed.append(entry)
    done = []
    try:
        for line, entry in zip(svc.spec.start.entries, parsed):
            binfmt.register(directory, line)
            done.append(entry.name)
    except OSError as e:
        for name in done:
            binfmt.unregister(directory, name)
        raise StartError(f"cannot register binfmt entries in {directory}: {e.strerror}") from None
    svc.command = [f"register {e.name} -> {e.interpreter}" for e in parsed]
    sup.log_line(svc, f"[shepherd] registered {', '.join(done)} in {directory}")
    _mark_running(svc, None)


# ---- stopping ---------------------------------------------------------------------

def stop(sup, svc: Service) -> None:
    spec = svc.spec
    method = spec.stop.method
    if spec.start.kind == "binfmt":
        directory = binfmt_dir(sup, svc)
        for line in spec.start.entries:
            try:
                binfmt.unregister(directory, binfmt.parse_register(line).name)
            except (binfmt.BinfmtError, OSError) as e:
                sup.log_line(svc, f"[shepherd] cannot unregister: {e}")
        sup.log_line(svc, f"[shepherd] unregistered the entries from {directory}")
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

