"""Store items made immutable (the file system's `i` attribute, as `chattr +i` sets
it), so that not even root changes one in place through a managed file.

Read-only modes stop other users only; root writes through them.  Where the file system
has the attribute and vsys may set it (root, with CAP_LINUX_IMMUTABLE), every file and
directory of a new item gets it once the item is in place; where not, items are
written as before and `vsys verify` says that changes are found by hash only.  An
immutable file cannot be removed or renamed either, so everything that legitimately
removes or replaces an item (gc, a repair, a throwaway container's clean-up, the
tests' temporary state directories) clears the attribute first: `remove_tree`.

`VSYS_IMMUTABLE_STORE=no` turns it off (the test suite does, but for the tests of it,
so that no run can leave files in /tmp that only `chattr -i` removes).
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import stat
import struct

FS_IOC_GETFLAGS = 0x80086601
FS_IOC_SETFLAGS = 0x40086602
FS_IMMUTABLE_FL = 0x10

# The file system has no such attribute, or this process may not set it.
UNAVAILABLE = {errno.ENOTTY: "the file system has no immutable attribute",
               errno.EOPNOTSUPP: "the file system has no immutable attribute",
               errno.EINVAL: "the file system has no immutable attribute",
               errno.ENOSYS: "the file system has no immutable attribute",
               errno.EPERM: "setting it needs root with CAP_LINUX_IMMUTABLE",
               errno.EACCES: "setting it needs root with CAP_LINUX_IMMUTABLE"}

_why_not: dict[int, str] = {}      # st_dev -> why items on it are not made immutable


def wanted() -> bool:
    return os.environ.get("VSYS_IMMUTABLE_STORE", "yes").strip().lower() not in \
        ("no", "0", "false", "off")


def _flags(fd: int) -> int:
    return struct.unpack("i", fcntl.ioctl(fd, FS_IOC_GETFLAGS, struct.pack("i", 0)))[0]


def _open(path: str) -> int | None:
    """A descriptor of PATH for its attributes; None for a link (they have none)."""
    try:
        return os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK)
    except OSError as e:
        if e.errno == errno.ELOOP:
            return None
        raise


def _set(path: str, on: bool) -> bool:
    """Set or clear PATH's immutable attribute; True when it changed."""
    fd = _open(path)
    if fd is None:
        return False
    try:
        flags = _flags(fd)
        new = flags | FS_IMMUTABLE_FL if on else flags & ~FS_IMMUTABLE_FL
        if new == flags:
            return False
        fcntl.ioctl(fd, FS_IOC_SETFLAGS, struct.pack("i", new))
        return True
    finally:
        os.close(fd)


def is_immutable(path: str) -> bool:
    fd = _open(path)
    if fd is None:
        return False
    try:
        return bool(_flags(fd) & FS_IMMUTABLE_FL)
    except OSError:
        return False
    finally:
        os.close(fd)


def _tree(path: str) -> list[str]:
    """The files and directories of PATH's tree (links, sockets and such have no
    attribute to set: left out)."""
    out = []
    for name in [path] + ([os.path.join(d, n) for d, dirs, files in os.walk(path)
                           for n in dirs + files] if os.path.isdir(path) and
                          not os.path.islink(path) else []):
        try:
            mode = os.lstat(name).st_mode
        except FileNotFoundError:
            continue
        if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
            out.append(name)
    return out


def seal(path: str) -> bool:
    """Make the item PATH immutable, file by file, where possible; False when it is
    not (the reason is kept for `status`)."""
    if not wanted():
        return False
    device = os.lstat(path).st_dev
    if device in _why_not:
        return False
    for name in _tree(path):
        try:
            _set(name, True)
        except OSError as e:
            if e.errno not in UNAVAILABLE:
                raise
            _why_not[device] = UNAVAILABLE[e.errno]
            return False
    return True


def unseal(path: str) -> None:
    """Clear the immutable attribute on PATH and everything under it, so that it can be
    removed or replaced (PermissionError when this process may not)."""
    for name in _tree(path):
        try:
            _set(name, False)
        except OSError as e:
            if e.errno in (errno.ENOTTY, errno.EOPNOTSUPP, errno.EINVAL, errno.ENOSYS):
                return                  # no such attribute here: nothing is sealed
            raise


def remove_tree(path: str) -> None:
    """Remove PATH (a file, link or directory tree), immutable or read-only parts
    included."""
    if not os.path.lexists(path):
        return
    if not os.path.islink(path):
        unseal(path)
    if os.path.islink(path) or not os.path.isdir(path):
        os.unlink(path)
        return
    for dirpath, dirnames, _ in os.walk(path):
        os.chmod(dirpath, 0o755)
    shutil.rmtree(path)


def status(directory: str) -> str:
    """Whether items written in DIRECTORY are made immutable, in words."""
    if not wanted():
        return "store items are not made immutable (VSYS_IMMUTABLE_STORE=no): changes " \
               "are found by their hash only"
    probe = os.path.join(directory, f".tmp-immutable-{os.getpid()}")
    try:
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o444)
        os.close(fd)
    except OSError as e:
        return f"store items could not be checked for immutability ({e.strerror})"
    try:
        _set(probe, True)
        _set(probe, False)
        return "store items are immutable (the file system's `i` attribute): not even " \
               "root changes them in place"
    except OSError as e:
        why = UNAVAILABLE.get(e.errno, e.strerror)
        return f"store items are not made immutable here ({why}): changes are found " \
               f"by their hash only"
    finally:
        os.unlink(probe)
