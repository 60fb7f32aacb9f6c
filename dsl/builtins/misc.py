"""Small procedures about procedures and the process: `identity`, `const`,
`compose`, `negate`, `exit`, the environment, the command line and the clock.

`exit` raises `SchemeExit`; the front end catches it, flushes output and ends the
process with its `code`.  The front end sets what `(command-line)` returns with
`set_command_line`.
"""

from __future__ import annotations

import os
import time

from ..datatypes import UNSPECIFIED, Pair, Values, from_list
from ..errors import wrong_type
from ..procedures import Closure, Primitive, TailCall, call, is_procedure, make_primitive
from .checks import need_proc, need_string
from .define import builtin, constant


class SchemeExit(SystemExit):
    """`(exit)`: unwinds the program; `code` is the process exit status."""

    def __init__(self, code: int = 0):
        super().__init__(code)
        self.code = code


def exit_status(value) -> int:
    """Guile's reading of an exit argument: #t or none is success, #f failure."""
    if value is True:
        return 0
    if value is False:
        return 1
    if type(value) is int:
        return value & 0xFF
    raise wrong_type("exit", 1, "exact integer or boolean", value)


@builtin("exit")
def exit_(status=True):
    raise SchemeExit(exit_status(status))


builtin("primitive-exit")(exit_)
builtin("emergency-exit", "scheme process-context")(exit_)


@builtin("include-deprecated-features")
def include_deprecated_features():
    """Whether Guile was built with its deprecated features, as Debian's Guile 3.0 is:
    programs test it to choose between old and new behaviour, and vsys follows that build."""
    return True


@builtin("identity")
def identity(x):
    return x


@builtin("noop")
def noop(*args):
    return args[0] if args else False


@builtin("and=>", tail=True)
def and_then(value, proc):
    return False if value is False else TailCall(proc, [value])


@builtin("thunk?")
def is_thunk(x):
    """A procedure that can be called with no arguments."""
    t = type(x)
    if t is Primitive:
        return x.min_args == 0
    if t is Closure:
        return x.nreq == 0
    return is_procedure(x)


@builtin("const")
def const(value):
    return make_primitive("const", lambda *args: value)


@builtin("negate")
def negate(proc):
    need_proc("negate", 1, proc)
    return make_primitive("negate", lambda *args: call(proc, list(args)) is False)


@builtin("compose")
def compose(proc, *more):
    """((compose f g) x) is (f (g x)); the last procedure receives all the arguments."""
    procs = (proc, *more)
    for i, p in enumerate(procs, 1):
        need_proc("compose", i, p)
    if not more:
        return proc             # composing one procedure is that procedure, as in Guile
    first, *rest = reversed(procs)

    def composed(*args):
        value = call(first, list(args))
        for proc in rest[:-1]:
            value = call(proc, _spread(value))
        return TailCall(rest[-1], _spread(value)) if rest else value
    return make_primitive("composed", composed, tail=True)


def _spread(value) -> list:
    return list(value.items) if type(value) is Values else [value]


# --- the process ---------------------------------------------------------------------

_command_line: list[str] = ["vsys"]


def set_command_line(args: list[str]) -> None:
    """What `(command-line)` and `(program-arguments)` return: program name first."""
    _command_line[:] = list(args)


@builtin("command-line")
def command_line():
    return from_list(list(_command_line))


builtin("program-arguments")(command_line)


@builtin("getenv")
def getenv(name):
    value = os.environ.get(need_string("getenv", 1, name))
    return False if value is None else value


builtin("get-environment-variable", "scheme process-context")(getenv)


@builtin("get-environment-variables", "scheme process-context")
def get_environment_variables():
    return from_list([Pair(k, v) for k, v in os.environ.items()])


@builtin("setenv")
def setenv(name, value):
    """Set (or, with #f, remove) an environment variable of this process."""
    key = need_string("setenv", 1, name)
    if value is False:
        os.environ.pop(key, None)
    else:
        os.environ[key] = need_string("setenv", 2, value)
    _environment_changed(key)
    return UNSPECIFIED


@builtin("unsetenv")
def unsetenv(name):
    key = need_string("unsetenv", 1, name)
    os.environ.pop(key, None)
    _environment_changed(key)
    return UNSPECIFIED


@builtin("putenv")
def putenv(setting):
    """"NAME=VALUE" sets a variable of this process; a bare "NAME" removes it."""
    name, eq, value = need_string("putenv", 1, setting).partition("=")
    if eq:
        os.environ[name] = value
    else:
        os.environ.pop(name, None)
    _environment_changed(name)
    return UNSPECIFIED


def _environment_changed(name: str) -> None:
    # Local time follows TZ at once, as in Guile (whose localtime re-reads it).
    if name == "TZ":
        time.tzset()


@builtin("environ")
def environ():
    return from_list([f"{k}={v}" for k, v in os.environ.items()])


@builtin("getcwd")
def getcwd():
    return os.getcwd()


@builtin("getpid")
def getpid():
    return os.getpid()


@builtin("current-time")
def current_time():
    return int(time.time())


@builtin("gettimeofday")
def gettimeofday():
    now = time.time_ns() // 1000
    return Pair(now // 1_000_000, now % 1_000_000)


@builtin("get-internal-real-time")
def get_internal_real_time():
    return time.monotonic_ns()


@builtin("get-internal-run-time")
def get_internal_run_time():
    return time.process_time_ns()


constant("internal-time-units-per-second", 1_000_000_000)


# --- file names (Guile's core has these POSIX helpers) ------------------------------

@builtin("basename")
def basename(filename, suffix=None):
    """The last component of `filename`, without `suffix` when it ends so; a single
    trailing slash is skipped when finding the component but kept, as in Guile."""
    s = need_string("basename", 1, filename)
    n = len(s)
    end = n - 2 if n and s[-1] == "/" else n - 1
    i = end
    while i >= 0 and s[i] != "/":
        i -= 1
    j = n - 1
    if suffix is not None:
        tail = need_string("basename", 2, suffix)
        if tail and s.endswith(tail):
            j -= len(tail)
    if i == end:
        return "/" if s.startswith("/") else ""
    return s[i + 1:j + 1]


@builtin("dirname")
def dirname(filename):
    s = need_string("dirname", 1, filename)
    i = len(s) - 1
    while i >= 0 and s[i] == "/":
        i -= 1
    while i >= 0 and s[i] != "/":
        i -= 1
    while i >= 0 and s[i] == "/":
        i -= 1
    if i < 0:
        return "/" if s.startswith("/") else "."
    return s[:i + 1]


@builtin("file-is-directory?")
def file_is_directory(filename):
    return os.path.isdir(need_string("file-is-directory?", 1, filename))


@builtin("absolute-file-name?")
def is_absolute_file_name(filename):
    return need_string("absolute-file-name?", 1, filename).startswith("/")


@builtin("file-exists?")
def file_exists(filename):
    return os.path.exists(need_string("file-exists?", 1, filename))


constant("*unspecified*", UNSPECIFIED)


@builtin("->bool")
def to_bool(x):
    """#f for #f, #t for anything else."""
    return x is not False
