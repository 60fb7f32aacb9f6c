"""The store: `<state>/store/HASH-NAME`, content-addressed items that never change.

An item is written under a temporary name in the store directory, made read-only, and
renamed into place, so an item is either absent or complete; an item already present is
not written again (its name says its content).  `gc` removes the items no generation of
any profile uses.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import secrets
import stat
import time

from vsys.builders.items import Content, digest, is_item_name
from vsys.stdlib.files import DirData, FileData, LinkData

from . import immutable, state

TEMP_PREFIX = ".tmp-"


def store_dir() -> str:
    return os.path.join(state.state_dir(), "store")


class StoreError(Exception):
    """Writing or removing failed; the message says what and why in plain words."""


def os_error(e: OSError, doing: str) -> StoreError:
    where = e.filename or ""
    why = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is exceeded",
           errno.EACCES: "permission denied", errno.EPERM: "operation not permitted",
           errno.EROFS: "the file system is read-only"}.get(e.errno, e.strerror or str(e))
    return StoreError(f"cannot {doing}{' ' + where if where else ''}: {why}")


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


UMASK = _umask()


def _write(path: str, content: Content) -> None:
    if isinstance(content, FileData):
        # Created with its final, read-only mode (the open descriptor may still write):
        # one metadata update less per file, which counts on slow disks.
        mode = 0o555 if content.executable else 0o444
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, mode)
        try:
            view = memoryview(content.data)
            while view:
                view = view[os.write(fd, view):]
            if mode & UMASK:
                os.fchmod(fd, mode)
        finally:
            os.close(fd)
    elif isinstance(content, LinkData):
        os.symlink(content.target, path)
    elif isinstance(content, DirData):
        os.mkdir(path, 0o755)
        for name in sorted(content.entries):
            _write(os.path.join(path, name), content.entries[name])
        os.chmod(path, 0o555)
    else:
        raise TypeError(f"not store content: {content!r}")


def remove_tree(path: str) -> None:
    """Remove an item (or a temporary): immutable and read-only parts included."""
    immutable.remove_tree(path)


def seal(path: str) -> None:
    """Make the item PATH immutable where the file system allows (see vsys.immutable):
    new and repaired items, and items a killed run wrote but did not seal."""
    try:
        immutable.seal(path)
    except OSError as e:
        raise os_error(e, "make immutable the store item") from None


def add(path: str, content: Content) -> bool:
    """Write the item PATH holding CONTENT unless it exists; True when written."""
    if os.path.lexists(path):
        return False
    directory = os.path.dirname(path)
    os.makedirs(directory, exist_ok=True)
    tmp = os.path.join(directory, f"{TEMP_PREFIX}{os.getpid()}-{secrets.token_hex(6)}")
    try:
        _write(tmp, content)
        os.rename(tmp, path)
    except OSError as e:
        _discard(tmp)
        if os.path.lexists(path):       # another build wrote the same item meanwhile
            return False
        raise os_error(e, "write the store item") from None
    except BaseException:
        _discard(tmp)
        raise
    seal(path)                          # once in place: an immutable name cannot move
    return True


def _discard(tmp: str) -> None:
    try:
        if os.path.lexists(tmp):
            remove_tree(tmp)
    except OSError:
        pass


def add_all(items: dict[str, Content], progress=None) -> list[str]:
    """Write the ITEMS not yet in the store, in order; the paths written."""
    written = []
    for path, content in items.items():
        if add(path, content):
            written.append(path)
        if progress:
            progress(path)
    return written


# --- verifying: an item's name is the hash of its content ------------------------------

def read_back(path: str) -> Content:
    """The item at PATH as content (what `_write` wrote), to hash it again."""
    st = os.lstat(path)
    if stat.S_ISLNK(st.st_mode):
        return LinkData(os.readlink(path))
    if stat.S_ISDIR(st.st_mode):
        return DirData({e: read_back(os.path.join(path, e)) for e in os.listdir(path)})
    if not stat.S_ISREG(st.st_mode):
        raise ValueError("not a file, link or directory")
    with open(path, "rb") as f:
        return FileData(f.read(), executable=bool(st.st_mode & 0o100))


def _writable_inside(path: str) -> str | None:
    """The first name in the item PATH that someone could write to, or None."""
    st = os.lstat(path)
    if not stat.S_ISDIR(st.st_mode):
        return f"{path} is writable (mode {st.st_mode & 0o777:04o})" \
            if not stat.S_ISLNK(st.st_mode) and st.st_mode & 0o222 else None
    for dirpath, dirnames, files in os.walk(path):
        for name in [""] + files + dirnames:
            full = os.path.join(dirpath, name) if name else dirpath
            st = os.lstat(full)
            if not stat.S_ISLNK(st.st_mode) and st.st_mode & 0o222:
                return f"{full} is writable (mode {st.st_mode & 0o777:04o})"
    return None


def verify(path: str) -> str | None:
    """What is wrong with the store item PATH (None: it is sound): its content no
    longer matches the hash its name holds, it is missing, or it is writable."""
    entry = os.path.basename(path)
    try:
        content = read_back(path)
    except FileNotFoundError:
        return "missing"
    except (OSError, ValueError) as e:
        return f"unreadable ({e})"
    if digest(entry[33:], content) != entry[:32]:
        return "its content no longer matches its hash (it was modified)"
    return _writable_inside(path)


def repair(path: str, content: Content) -> None:
    """Put the good CONTENT back at PATH, in place of a damaged item."""
    directory = os.path.dirname(path)
    tmp = os.path.join(directory, f"{TEMP_PREFIX}{os.getpid()}-{secrets.token_hex(6)}")
    try:
        _write(tmp, content)
        if os.path.lexists(path):
            old = tmp + "-damaged"
            immutable.unseal(path)
            os.rename(path, old)
            os.rename(tmp, path)
            remove_tree(old)
        else:
            os.rename(tmp, path)
    except OSError as e:
        _discard(tmp)
        raise os_error(e, "repair the store item") from None
    seal(path)


def items(directory: str | None = None) -> list[str]:
    directory = directory or store_dir()
    try:
        return sorted(os.path.join(directory, e) for e in os.listdir(directory)
                      if is_item_name(e))
    except FileNotFoundError:
        return []


def size(path: str) -> int:
    total = 0
    try:
        st = os.lstat(path)
    except OSError:
        return 0
    total += st.st_size
    if stat.S_ISDIR(st.st_mode):
        for entry in os.listdir(path):
            total += size(os.path.join(path, entry))
    return total


STALE_TEMP = 3600.0      # a temporary this old belongs to no running build


def _older_than(path: str, seconds: float) -> bool:
    try:
        return time.time() - os.lstat(path).st_mtime > seconds
    except OSError:
        return False


def collect_garbage(live: set[str], directory: str | None = None) -> tuple[list[str], int]:
    """Remove the items not in LIVE (nor kept by a running build, see `protect`) and the
    temporaries of builds that died; (removed, bytes freed).  The caller holds the store
    lock exclusively (see `lock`)."""
    directory = directory or store_dir()
    live = set(live) | protected_items()
    removed, freed = [], 0
    try:
        entries = os.listdir(directory)
    except FileNotFoundError:
        return removed, freed
    for entry in sorted(entries):
        path = os.path.join(directory, entry)
        if (is_item_name(entry) and path not in live) or (
                entry.startswith(TEMP_PREFIX) and _older_than(path, STALE_TEMP)):
            freed += size(path)
            try:
                remove_tree(path)
            except OSError as e:
                raise os_error(e, "remove") from None
            removed.append(path)
    return removed, freed


def lock(shared: bool):
    """The store lock: builds hold it shared while they write, so that `gc` (which
    holds it exclusively) never removes an item a build has just written and is about
    to refer to."""
    @contextlib.contextmanager
    def held():
        path = os.path.join(state.state_dir(), "store.lock")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)
    return held()


PROTECT_DIR = os.path.join("run", "building")    # run-time state, as the sockets


def protect(paths):
    """Keep the items PATHS from `gc` for the block, though no generation uses them yet:
    a reconfigure writes its items, then waits for the state lock (which gc may hold)
    before the generation link refers to them.  Call it holding the store lock (shared),
    before writing, so that no gc runs between the two.

    The root is `<state>/run/building/PID-RANDOM`, locked for as long as it is meant:
    a file gc can lock belongs to a build that died, and is removed."""
    @contextlib.contextmanager
    def held():
        directory = os.path.join(state.state_dir(), PROTECT_DIR)
        os.makedirs(directory, exist_ok=True)
        name = f"{os.getpid()}-{secrets.token_hex(6)}"
        tmp = os.path.join(directory, TEMP_PREFIX + name)
        fd = os.open(tmp, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
        path = os.path.join(directory, name)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            os.write(fd, json.dumps(sorted(paths)).encode())
            os.rename(tmp, path)        # seen by gc only once it is locked and complete
            yield
        finally:
            for name in (tmp, path):
                try:
                    os.unlink(name)
                except OSError:
                    pass
            os.close(fd)
    return held()


def protected_items() -> set[str]:
    """The items running builds keep (see `protect`); the roots of dead builds are
    removed.  The caller holds the store lock exclusively."""
    directory = os.path.join(state.state_dir(), PROTECT_DIR)
    try:
        names = os.listdir(directory)
    except FileNotFoundError:
        return set()
    kept: set[str] = set()
    for name in names:
        path = os.path.join(directory, name)
        if name.startswith(TEMP_PREFIX):
            if _older_than(path, STALE_TEMP):
                _discard(path)
            continue
        try:
            fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
        except OSError:
            continue
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:     # its build runs: keep what it lists
                with os.fdopen(os.dup(fd), encoding="utf-8") as f:
                    try:
                        kept.update(json.load(f))
                    except ValueError:
                        pass
                continue
            os.unlink(path)             # its build died
        except OSError:
            pass
        finally:
            os.close(fd)
    return kept
