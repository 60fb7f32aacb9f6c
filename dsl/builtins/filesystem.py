"""Guile's procedures on the file system: `stat`/`lstat` and their accessors, directory
streams (`opendir`, `readdir`...), `mkdir`, `rmdir`, `chmod`, `symlink`, `chdir`,
`canonicalize-path`, the user ids, and the errno constants with `system-error-errno`.

They act on exactly the files a program names.  A failure is a `system-error` whose
arguments are Guile's (procedure, format, (message file), (errno)), so a handler reads
the errno with `system-error-errno`, as `(ice-9 ftw)` does."""

from __future__ import annotations

import errno as _errno
import os
import stat as _st

from ..datatypes import EOF, UNSPECIFIED, Symbol, Vector, from_list, pystr, to_list
from ..errors import Condition, SchemeError, out_of_range, wrong_type
from .checks import need_string
from .define import builtin, constant

for _code, _name in _errno.errorcode.items():
    constant(_name, _code)

C_INT_MAX = 2**31 - 1


def need_c_int(origin: str, pos: int, x, low: int = 0) -> int:
    """An exact integer the system takes as a C int (a descriptor, mode, pid...)."""
    if type(x) is not int:
        raise wrong_type(origin, pos, "exact integer", x)
    if not low <= x <= C_INT_MAX:
        raise out_of_range(origin, pos, x)
    return x


def system_error(origin: str, e: OSError, *names: str) -> SchemeError:
    """Guile's system-error for `e`: the message, then the file names it concerns."""
    code = e.errno or 0
    text = os.strerror(code) if code else str(e)
    fmt = "~A" + "".join(": ~S" for _ in names)
    shown = text + "".join(f": {n}" for n in names)
    return SchemeError(Condition("system-error", f"{origin}: {shown}", (), origin,
                                 throw_args=(origin, fmt, from_list([text, *names]),
                                             from_list([code]))))


@builtin("system-error-errno")
def system_error_errno(args):
    """The errno of a system-error's (KEY ARGS...), as a `catch` handler receives
    them; #f for another key."""
    items = to_list(args)
    if items and items[0] is Symbol("system-error") and len(items) > 4:
        codes = to_list(items[4])
        return codes[0] if codes else False
    return False


@builtin("strerror")
def strerror(code):
    return os.strerror(need_c_int("strerror", 1, code))


# --- stat -------------------------------------------------------------------------------

_TYPES = ((_st.S_ISREG, "regular"), (_st.S_ISDIR, "directory"), (_st.S_ISLNK, "symlink"),
          (_st.S_ISBLK, "block-special"), (_st.S_ISCHR, "char-special"),
          (_st.S_ISFIFO, "fifo"), (_st.S_ISSOCK, "socket"))
# The fields of Guile's stat vector, in order.
_FIELDS = ("dev", "ino", "mode", "nlink", "uid", "gid", "rdev", "size", "atime", "mtime",
           "ctime", "blksize", "blocks", "type", "perms", "atimensec", "mtimensec",
           "ctimensec")


def _stat_vector(s: os.stat_result) -> Vector:
    kind = next((name for test, name in _TYPES if test(s.st_mode)), "unknown")
    return Vector([s.st_dev, s.st_ino, s.st_mode, s.st_nlink, s.st_uid, s.st_gid, s.st_rdev,
                   s.st_size, int(s.st_atime), int(s.st_mtime), int(s.st_ctime),
                   s.st_blksize, s.st_blocks, Symbol(kind), _st.S_IMODE(s.st_mode),
                   s.st_atime_ns % 10**9, s.st_mtime_ns % 10**9, s.st_ctime_ns % 10**9])


def _target(origin: str, obj) -> str | int:
    """A file name, or the descriptor of a port or an integer."""
    if type(obj) is int:
        return need_c_int(origin, 1, obj)
    fileno = getattr(obj, "fileno", None)
    if callable(fileno) and not isinstance(obj, str):
        return fileno()
    return pystr(need_string(origin, 1, obj))


@builtin("stat")
def stat(obj, exception_on_error=True):
    """(stat FILE [EXCEPTION-ON-ERROR?]): FILE's status as Guile's 18-field vector
    (read with stat:dev, stat:type...); with #f as second argument, #f on failure."""
    target = _target("stat", obj)
    try:
        return _stat_vector(os.stat(target))
    except OSError as e:
        if exception_on_error is False:
            return False
        raise system_error("stat", e, *([target] if isinstance(target, str) else [])) \
            from None


@builtin("lstat")
def lstat(name):
    """(lstat FILE): as `stat`, but a symbolic link is described, not followed."""
    path = pystr(need_string("lstat", 1, name))
    try:
        return _stat_vector(os.lstat(path))
    except OSError as e:
        raise system_error("lstat", e, path) from None


def _accessor(index: int, field: str) -> None:
    name = f"stat:{field}"

    def get(st):
        if type(st) is not Vector or len(st) != len(_FIELDS):
            raise wrong_type(name, 1, "stat vector", st)
        return st[index]
    get.__name__ = name
    builtin(name)(get)


for _i, _field in enumerate(_FIELDS):
    _accessor(_i, _field)


# --- directories ----------------------------------------------------------------------

class DirectoryStream:
    """What `opendir` returns: the entries of a directory, "." and ".." first, in the
    order the system lists them."""

    __slots__ = ("path", "entries", "pos", "closed")

    def __init__(self, path: str, entries: list[str]):
        self.path = path
        self.entries = entries
        self.pos = 0
        self.closed = False

    def scheme_repr(self, write: bool) -> str:
        return f"#<{'closed: ' if self.closed else ''}directory stream {id(self):x}>"


def _need_stream(origin: str, x) -> DirectoryStream:
    if type(x) is not DirectoryStream:
        raise wrong_type(origin, 1, "directory stream", x)
    if x.closed:
        raise SchemeError(Condition("misc-error", f"{origin}: the directory stream is closed",
                                    (), origin, throw_args=(
                                        origin, "Directory ~S is not open.", from_list([x]),
                                        False)))
    return x


@builtin("opendir")
def opendir(name):
    path = pystr(need_string("opendir", 1, name))
    try:
        entries = os.listdir(path)
    except OSError as e:
        raise system_error("opendir", e) from None
    return DirectoryStream(path, [".", ".."] + entries)


@builtin("readdir")
def readdir(stream):
    d = _need_stream("readdir", stream)
    if d.pos >= len(d.entries):
        return EOF
    d.pos += 1
    return d.entries[d.pos - 1]


@builtin("rewinddir")
def rewinddir(stream):
    _need_stream("rewinddir", stream).pos = 0
    return UNSPECIFIED


@builtin("closedir")
def closedir(stream):
    if type(stream) is not DirectoryStream:
        raise wrong_type("closedir", 1, "directory stream", stream)
    stream.closed = True
    return UNSPECIFIED


@builtin("directory-stream?")
def is_directory_stream(x):
    return type(x) is DirectoryStream


# --- changing the file system ------------------------------------------------------------

def _path(origin: str, pos: int, x) -> str:
    return pystr(need_string(origin, pos, x))


def _doing(origin: str, action, *paths: str) -> object:
    try:
        action()
    except OSError as e:
        raise system_error(origin, e, *paths) from None
    return UNSPECIFIED


@builtin("mkdir")
def mkdir(name, mode=None):
    """(mkdir PATH [MODE]): a new directory, MODE (default #o777) less the umask."""
    path = _path("mkdir", 1, name)
    bits = 0o777 if mode is None else need_c_int("mkdir", 2, mode)
    return _doing("mkdir", lambda: os.mkdir(path, bits), path)


@builtin("rmdir")
def rmdir(name):
    path = _path("rmdir", 1, name)
    return _doing("rmdir", lambda: os.rmdir(path), path)


@builtin("chmod")
def chmod(obj, mode):
    target = _target("chmod", obj)
    bits = need_c_int("chmod", 2, mode)
    return _doing("chmod", lambda: os.chmod(target, bits),
                  *([target] if isinstance(target, str) else []))


@builtin("symlink")
def symlink(old, new):
    a, b = _path("symlink", 1, old), _path("symlink", 2, new)
    return _doing("symlink", lambda: os.symlink(a, b), a, b)


@builtin("link")
def link(old, new):
    a, b = _path("link", 1, old), _path("link", 2, new)
    return _doing("link", lambda: os.link(a, b), a, b)


@builtin("readlink")
def readlink(name):
    path = _path("readlink", 1, name)
    try:
        return os.readlink(path)
    except OSError as e:
        raise system_error("readlink", e, path) from None


@builtin("rename-file")
def rename_file(old, new):
    a, b = _path("rename-file", 1, old), _path("rename-file", 2, new)
    return _doing("rename-file", lambda: os.rename(a, b), a, b)


@builtin("chdir")
def chdir(name):
    path = _path("chdir", 1, name)
    return _doing("chdir", lambda: os.chdir(path), path)


@builtin("canonicalize-path")
def canonicalize_path(name):
    """The absolute name of an existing file, without symbolic links, "." or ".."."""
    path = _path("canonicalize-path", 1, name)
    try:
        os.stat(path)
    except OSError as e:
        raise system_error("canonicalize-path", e, path) from None
    return os.path.realpath(path)


@builtin("umask")
def umask(mode=None):
    """(umask [MODE]): the file creation mask; with MODE, set it and return the old."""
    if mode is None:
        old = os.umask(0)
        os.umask(old)
        return old
    return os.umask(need_c_int("umask", 1, mode))


for _name, _value in (("R_OK", os.R_OK), ("W_OK", os.W_OK), ("X_OK", os.X_OK),
                      ("F_OK", os.F_OK)):
    constant(_name, _value)


@builtin("access?")
def access(name, how):
    return os.access(_path("access?", 1, name), need_c_int("access?", 2, how))


@builtin("getuid")
def getuid():
    return os.getuid()


@builtin("getgid")
def getgid():
    return os.getgid()


@builtin("geteuid")
def geteuid():
    return os.geteuid()


@builtin("getegid")
def getegid():
    return os.getegid()
