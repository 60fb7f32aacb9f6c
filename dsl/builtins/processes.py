"""Child processes and the ports that talk to them: ports over file descriptors
(`pipe`, `fdes->inport`, `port->fdes`, `open-file` with "+"), `waitpid` and the
`status:` readers, and the primitives of `(ice-9 popen)` (dsl/scm/ice-9/popen.scm).

A child's standard input, output and error are the current ports when those are file
ports (/dev/null when they are not, a string port say), as in Guile; it gets no other
descriptor of vsys's, and SIGPIPE is back to its default.  A port's reads return what
the descriptor has (a read never waits for more than the first bytes), and writes go
straight to the descriptor, so a child waiting for a line gets it without a flush.

A pipe's child never becomes a lasting zombie: `close-pipe` closes the port and waits
for the child; a pipe port closed by `close-port`, or dropped, has its child collected
as soon as it has ended (checked then, at each new pipe, and at exit)."""

from __future__ import annotations

import atexit
import codecs
import fcntl
import os
import sys
import weakref
from typing import Any

from ..datatypes import UNSPECIFIED, Pair, Symbol, pystr, to_list
from ..errors import error, wrong_type
from .checks import need_count, need_string
from .define import builtin, constant
from .filesystem import C_INT_MAX, need_c_int, system_error
from .ports import (
    STDIN,
    InputPort,
    OutputPort,
    Port,
    StreamOutputPort,
    current_error,
    current_input,
    current_output,
    flush_output,
)

POPEN = "vsys popen"

constant("OPEN_READ", "r")
constant("OPEN_WRITE", "w")
constant("OPEN_BOTH", "r+")
constant("WNOHANG", os.WNOHANG)
constant("WUNTRACED", os.WUNTRACED)
constant("%host-type", f"{os.uname().machine}-pc-linux-gnu")


class _FdReader:
    """The `stream` of an input port over a descriptor: each call returns the text of
    the bytes available (waiting only for the first), "" at the end."""

    __slots__ = ("fd", "decoder")

    def __init__(self, fd: int):
        self.fd = fd
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")

    def readline(self) -> str:
        while True:
            try:
                data = os.read(self.fd, 65536)
            except OSError as e:
                raise system_error("fport_fill_input", e) from None
            text = self.decoder.decode(data, final=not data)
            if text or not data:
                return text


# Children of pipe ports that were closed or dropped before they ended: collected when
# they have (so none is left a zombie while this process runs).
_unreaped: set[int] = set()


def _collect(pid: int) -> None:
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        done = pid
    if done:
        _unreaped.discard(pid)
    else:
        _unreaped.add(pid)


def collect_ended_children() -> None:
    for pid in list(_unreaped):
        _collect(pid)


def _release(state: list) -> None:
    """Close a port's descriptors (unless a program took them with port->fdes) and
    collect its child; `state` is [read fd, write fd, child pid, taken?]."""
    rfd, wfd, pid, taken = state
    state[:] = [None, None, None, taken]
    if not taken:
        for fd in {rfd, wfd} - {None}:
            try:
                os.close(fd)
            except OSError:
                pass
    if pid is not None:
        _collect(pid)


class _FdPort:
    """What the ports over descriptors share; `state` is [read fd, write fd, child pid,
    descriptors taken by the program?]."""

    __slots__ = ()
    kind = "file"

    def _attach(self, rfd: int | None, wfd: int | None, label: str,
                pid: int | None = None) -> None:
        self.state = [rfd, wfd, pid, False]
        self.label_text = label
        self.finalizer = weakref.finalize(self, _release, self.state)

    def fileno(self) -> int:
        rfd, wfd = self.state[0], self.state[1]
        return rfd if rfd is not None else wfd

    def write(self, text: str) -> None:
        if self.closed:
            raise error("port is closed", self, key="wrong-type-arg")
        fd = self.state[1]
        if fd in (1, 2):     # what vsys's own standard ports hold goes first
            flush_output()
        data = text.encode("utf-8")
        while data:
            try:
                n = os.write(fd, data)
            except OSError as e:
                raise system_error("fport_write", e) from None
            data = data[n:]

    def flush(self) -> None:
        pass

    def ready(self) -> bool:
        """For char-ready?: text is waiting, or bytes are (not the end of a pipe whose
        writers are gone: Guile asks poll for input only)."""
        if self.pos < len(self.text) or self.stream is None:
            return True
        import select  # noqa: PLC0415 (only char-ready? on a descriptor needs it)
        poller = select.poll()
        poller.register(self.state[0], select.POLLIN)
        return any(events & select.POLLIN for _, events in poller.poll(0))

    def close(self) -> None:
        if not self.closed:
            self.state[3] = False        # close-port closes the descriptors in any case
            self.finalizer()
        Port.close(self)

    def label(self) -> str:
        return self.label_text

    def scheme_repr(self, write: bool) -> str:
        if self.closed:
            return f"#<closed: file {id(self):x}>"
        inp, out = isinstance(self, InputPort), isinstance(self, OutputPort)
        direction = "input-output" if inp and out else "input" if inp else "output"
        return f"#<{direction}: {self.label_text} {self.fileno()}>"


class FdInputPort(_FdPort, InputPort):
    __slots__ = ("state", "label_text", "finalizer")

    def __init__(self, fd: int, label: str, pid: int | None = None):
        InputPort.__init__(self, stream=_FdReader(fd))
        self._attach(fd, None, label, pid)


class FdOutputPort(_FdPort, OutputPort):
    __slots__ = ("state", "label_text", "finalizer")

    def __init__(self, fd: int, label: str, pid: int | None = None):
        OutputPort.__init__(self)
        self._attach(None, fd, label, pid)


class FdInputOutputPort(_FdPort, InputPort, OutputPort):
    __slots__ = ("state", "label_text", "finalizer")

    def __init__(self, rfd: int, wfd: int, label: str, pid: int | None = None):
        InputPort.__init__(self, stream=_FdReader(rfd))
        self._attach(rfd, wfd, label, pid)


def open_read_write(path: str, flags: int) -> FdInputOutputPort:
    """The port `open-file` gives for a mode with "+": reads and writes one file."""
    try:
        fd = os.open(path, flags, 0o666)
    except OSError as e:
        raise system_error("open-file", e, path) from None
    return FdInputOutputPort(fd, fd, path)


# --- descriptors ---------------------------------------------------------------------

def _need_fd_port(origin: str, port: Any) -> _FdPort:
    if isinstance(port, _FdPort):
        if port.closed:
            raise wrong_type(origin, 1, "open file port", port)
        return port
    raise wrong_type(origin, 1, "file port", port)


@builtin("pipe")
def pipe():
    """(pipe): a new pipe, as (READ-PORT . WRITE-PORT)."""
    try:
        rfd, wfd = os.pipe()
    except OSError as e:
        raise system_error("pipe", e) from None
    return Pair(FdInputPort(rfd, "#{read pipe}#"), FdOutputPort(wfd, "#{write pipe}#"))


def _port_fd(port: Any) -> int | None:
    """The descriptor under a port, or None for a port that has none."""
    if isinstance(port, _FdPort):
        return None if port.closed else port.fileno()
    if isinstance(port, StreamOutputPort):
        stream = port.stream or getattr(sys, port.default)
    elif port is STDIN:
        stream = sys.stdin
    else:
        return None
    try:
        stream.flush()
    except (AttributeError, OSError, ValueError):
        pass
    try:
        return stream.fileno()
    except (AttributeError, OSError, ValueError):
        return None



@builtin("port->fdes")
def port_to_fdes(port):
    """The descriptor of a file port; the port will not close it when dropped."""
    p = _need_fd_port("port->fdes", port)
    p.state[3] = True
    return p.fileno()


@builtin("fileno")
def fileno(port):
    return _need_fd_port("fileno", port).fileno()


@builtin("file-port?")
def is_file_port(x):
    return isinstance(x, _FdPort) or (isinstance(x, StreamOutputPort) and not x.closed)


@builtin("fdes->inport")
def fdes_to_inport(fd):
    return _standard_safe(FdInputPort(need_c_int("fdes->inport", 1, fd), "file"))


@builtin("fdes->outport")
def fdes_to_outport(fd):
    return _standard_safe(FdOutputPort(need_c_int("fdes->outport", 1, fd), "file"))


def _standard_safe(port: _FdPort) -> _FdPort:
    """A port made over 0, 1 or 2 leaves the descriptor open when it is dropped."""
    if port.fileno() <= 2:
        port.state[3] = True
    return port


@builtin("close")
def close(fd_or_port):
    """(close PORT-OR-FDES): close a port, or a descriptor given by number."""
    if isinstance(fd_or_port, Port):
        if isinstance(fd_or_port, OutputPort):
            fd_or_port.flush()
        fd_or_port.close()
        return True
    fd = need_c_int("close", 1, fd_or_port)
    try:
        os.close(fd)
    except OSError as e:
        raise system_error("close", e) from None
    return True


builtin("close-fdes")(close)

_BUFFERING = ("none", "line", "block")


@builtin("setvbuf")
def setvbuf(port, mode, size=None):
    """(setvbuf PORT MODE [SIZE]): MODE is none, line or block.  vsys's ports over
    descriptors write at once, which every mode allows; the mode is checked."""
    if not isinstance(port, Port):
        raise wrong_type("setvbuf", 1, "open port", port)
    if type(mode) is not Symbol or mode.name not in _BUFFERING:
        raise error("setvbuf: mode must be none, line or block", mode, key="out-of-range",
                    origin="setvbuf")
    if size is not None:
        need_count("setvbuf", 3, size)
    return UNSPECIFIED


# --- processes ---------------------------------------------------------------------

def _spawn(argv: list[str], stdin: int | None, stdout: int | None,
           stderr: int | None) -> int:
    """Start argv (found on PATH) with the given descriptors as 0, 1 and 2 (/dev/null
    for None) and SIGPIPE at its default; the other descriptors vsys holds are
    close-on-exec.  A program that cannot be started gives a child that ends with
    status 127, as a failed exec does in Guile."""
    import signal  # noqa: PLC0415 (only a program that starts a child needs it)
    flush_output()
    null = os.open(os.devnull, os.O_RDWR)
    high: list[int] = []
    try:
        # Copies above 2 first, so that putting one in place cannot clobber another.
        for fd in (null if fd is None else fd for fd in (stdin, stdout, stderr)):
            high.append(fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10))
        actions = [(os.POSIX_SPAWN_DUP2, fd, target) for target, fd in enumerate(high)]
        defaults = (signal.SIGPIPE, signal.SIGXFSZ)
        try:
            return os.posix_spawnp(argv[0], argv, os.environ, file_actions=actions,
                                   setsigdef=defaults)
        except (FileNotFoundError, PermissionError, NotADirectoryError, IsADirectoryError,
                ValueError):      # not found, not runnable, an empty name, a NUL in it
            return os.posix_spawn("/bin/sh", ["sh", "-c", "exit 127"], os.environ,
                                  file_actions=actions, setsigdef=defaults)
    except OSError as e:
        raise system_error("piped-process", e) from None
    finally:
        for fd in [null, *high]:
            os.close(fd)
        collect_ended_children()


def _strings(origin: str, pos: int, items: list) -> list[str]:
    return [pystr(need_string(origin, pos, x)) for x in items]


def _fd_pair(origin: str, pos: int, x: Any) -> tuple[int, int] | None:
    if x is False or x is None:
        return None
    if type(x) is not Pair or type(x.car) is not int or type(x.cdr) is not int:
        raise wrong_type(origin, pos, "pair of file descriptors", x)
    return x.car, x.cdr


def _current_fds() -> tuple[int | None, int | None, int | None]:
    return _port_fd(current_input()), _port_fd(current_output()), _port_fd(current_error())


@builtin("piped-process", POPEN)
def piped_process(prog, args, from_=False, to=False):
    """(piped-process PROG ARGS [FROM [TO]]): run PROG with ARGS; FROM, a pair of
    descriptors (READ . WRITE), takes the child's output (its WRITE end is closed here
    once the child has it), TO likewise gives the child its input from READ.  The
    child's pid."""
    argv = [pystr(need_string("piped-process", 1, prog))] + \
        _strings("piped-process", 2, to_list(args))
    out_pipe = _fd_pair("piped-process", 3, from_)
    in_pipe = _fd_pair("piped-process", 4, to)
    stdin, stdout, stderr = _current_fds()
    if out_pipe:
        stdout = out_pipe[1]
    if in_pipe:
        stdin = in_pipe[0]
    pid = _spawn(argv, stdin, stdout, stderr)
    for fd in (out_pipe and out_pipe[1], in_pipe and in_pipe[0]):
        if fd is not None:
            try:
                os.close(fd)
            except OSError:
                pass
    return pid


@builtin("%open-pipe", POPEN)
def open_pipe(mode, argv):
    """The port of open-pipe*: MODE is OPEN_READ, OPEN_WRITE or OPEN_BOTH, ARGV the
    program and its arguments; the port remembers the child for close-pipe."""
    m = pystr(need_string("open-pipe*", 1, mode))
    if m not in ("r", "w", "r+"):
        raise error(f"open-pipe*: the mode is OPEN_READ, OPEN_WRITE or OPEN_BOTH, not {m!r}",
                    mode, key="misc-error", origin="open-pipe*")
    words = _strings("open-pipe*", 2, to_list(argv))
    stdin, stdout, stderr = _current_fds()
    reading = writing = None
    try:
        if "r" in m:
            reading = os.pipe()
            stdout = reading[1]
        if m != "r":
            writing = os.pipe()
            stdin = writing[0]
        pid = _spawn(words, stdin, stdout, stderr)
    except BaseException:
        for pair in (reading, writing):
            for fd in pair or ():
                os.close(fd)
        raise
    if reading:
        os.close(reading[1])
    if writing:
        os.close(writing[0])
    if reading and writing:
        return FdInputOutputPort(reading[0], writing[1], "#{read-write pipe}#", pid)
    if reading:
        return FdInputPort(reading[0], "#{read pipe}#", pid)
    return FdOutputPort(writing[1], "#{write pipe}#", pid)


@builtin("system*")
def system_star(*args):
    """(system* PROG ARG...): run PROG with the current ports as its standard ones,
    wait for it, and return its status."""
    if not args:
        raise error("system*: no program to run", origin="system*",
                    hints=["(system* \"ls\" \"-l\")"])
    pid = _spawn(_strings("system*", 1, list(args)), *_current_fds())
    return _wait("system*", pid, 0).cdr


@builtin("system")
def system(command=None):
    """(system COMMAND): run COMMAND with /bin/sh and return its status; without it,
    whether a shell is there."""
    if command is None:
        return os.access("/bin/sh", os.X_OK)
    words = ["/bin/sh", "-c", pystr(need_string("system", 1, command))]
    return _wait("system", _spawn(words, *_current_fds()), 0).cdr


@builtin("close-pipe", POPEN)
def close_pipe(port):
    """(close-pipe PORT): close a port open-pipe made, wait for its process to end,
    and return its status (read it with status:exit-val)."""
    if not isinstance(port, _FdPort) or port.closed:
        raise wrong_type("close-pipe", 1, "open port", port)
    pid = port.state[2]
    if pid is None:
        raise error("close-pipe: port not created by (ice-9 popen)", port,
                    origin="close-pipe")
    port.state[2] = None
    port.close()
    return _wait("close-pipe", pid, 0).cdr


def _wait(origin: str, pid: int, options: int) -> Pair:
    while True:
        try:
            got, status = os.waitpid(pid, options)
            return Pair(got, status)
        except InterruptedError:
            continue
        except OSError as e:
            raise system_error(origin, e) from None


@builtin("waitpid")
def waitpid(pid, options=0):
    """(waitpid PID [OPTIONS]): (PID . STATUS) of a child that ended; with WNOHANG,
    (0 . 0) when none has yet."""
    return _wait("waitpid", need_c_int("waitpid", 1, pid, -C_INT_MAX),
                 need_c_int("waitpid", 2, options))


def _status(origin: str, status: Any) -> int:
    return need_c_int(origin, 1, status)


@builtin("status:exit-val")
def status_exit_val(status):
    s = _status("status:exit-val", status)
    return os.WEXITSTATUS(s) if os.WIFEXITED(s) else False


@builtin("status:term-sig")
def status_term_sig(status):
    s = _status("status:term-sig", status)
    return os.WTERMSIG(s) if os.WIFSIGNALED(s) else False


@builtin("status:stop-sig")
def status_stop_sig(status):
    s = _status("status:stop-sig", status)
    return os.WSTOPSIG(s) if os.WIFSTOPPED(s) else False


atexit.register(collect_ended_children)
