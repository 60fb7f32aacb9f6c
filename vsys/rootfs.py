"""Touching a managed root: every read, write, rename, chmod, chown, unlink and mkdir
under a root goes through here.

A root may belong to someone else, or hold links planted to lead vsys astray.  So a
path is resolved beneath the root one component at a time from directory descriptors
(openat with O_NOFOLLOW): a link inside the root is followed only while it stays
inside (an absolute target counts from the root when it names a place in it, and is
refused otherwise), and the last component of anything written is never followed.  A
file is written to a temporary created with O_EXCL under a random name in its own
directory, given its mode and owner on the descriptor, synced, and renamed into place.

Paths read from files under the root (its record, specs) go through `relative`, which
refuses absolute paths, `..` and empty components.

Every change is announced to vsys.crash first (`write REL`, then `written REL` before
its rename and `renamed REL` after; `mkdir`, `link`, `rename`, `unlink`, `chmod`,
`chown`, `lock`): with VSYS_CRASH_TRACE set, a run lists every name it touches, so a
test plants a link at each of them, or kills the run at each point (a new name cannot
be forgotten).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import secrets
import stat
from typing import Iterator

from .crash import point

TEMP_MARK = ".vsys-tmp."        # temporaries are `.NAME.vsys-tmp.RANDOM`
MAX_LINKS = 40


class UnsafeRoot(Exception):
    """A path leads out of the root, or a field names a place outside it."""


def relative(path: str, what: str = "path") -> str:
    """PATH (read from a file under the root) as a normalised relative path; refuses
    absolute paths, `..`, NUL and empty ones."""
    if not isinstance(path, str) or not path or "\0" in path:
        raise UnsafeRoot(f"{what} {path!r} is not a path")
    if path.startswith("/"):
        raise UnsafeRoot(f"{what} {path!r} is absolute; vsys keeps only paths inside "
                         f"the root")
    parts = [p for p in path.split("/") if p not in ("", ".")]
    if not parts or ".." in parts:
        raise UnsafeRoot(f"{what} {path!r} leads out of the root")
    return "/".join(parts)


class _Missing(Exception):
    def __init__(self, parts: list[str]):
        super().__init__()
        self.parts = parts


def _parts(rel: str) -> list[str]:
    parts = [p for p in rel.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise UnsafeRoot(f"{rel} leads out of the root")
    return parts


class Root:
    """A root directory, opened once; its methods take root-relative paths (a leading
    `/` is allowed: `/etc/passwd` means the root's)."""

    def __init__(self, path: str):
        self.path = os.path.realpath(path)
        self.fd = os.open(self.path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def __enter__(self) -> "Root":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except OSError:
            pass

    def full(self, rel: str) -> str:
        return os.path.join(self.path, *_parts(rel)) if _parts(rel) else self.path

    # --- resolving -------------------------------------------------------------------------

    def _link_parts(self, target: str, where: list[str], rel: str) -> list[str]:
        """The components a link found at WHERE (inside the root) with TARGET stands for,
        from the root; refused when it leads out."""
        if target.startswith("/"):
            if self.path != "/" and target != self.path and \
                    not target.startswith(self.path + "/"):
                raise UnsafeRoot(f"{os.path.join(self.path, *where)} leads out of the root "
                                 f"{self.path} (to {target}); vsys will not go there "
                                 f"(for {rel})")
            base: list[str] = []
            target = target[len(self.path):] if self.path != "/" else target
        else:
            base = list(where)
        for part in target.split("/"):
            if part in ("", "."):
                continue
            if part == "..":
                if not base:
                    raise UnsafeRoot(f"{os.path.join(self.path, *where)} leads out of the "
                                     f"root {self.path}; vsys will not go there (for {rel})")
                base.pop()
            else:
                base.append(part)
        return base

    def _walk(self, parts: list[str], create: bool, rel: str,
              mode: int = 0o755, made: list[str] | None = None,
              missing_ok: bool = False) -> tuple[int, list[str]]:
        """A descriptor of the directory PARTS names (links inside followed), and its
        real components from the root.  MISSING_OK: a missing component ends the walk
        with _Missing, holding the real components of the whole path."""
        fd = os.dup(self.fd)
        done: list[str] = []
        todo = list(parts)
        hops = 0
        try:
            while todo:
                part = todo.pop(0)
                try:
                    nfd = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW |
                                  os.O_CLOEXEC, dir_fd=fd)
                except FileNotFoundError:
                    if missing_ok:
                        raise _Missing(done + [part] + todo)
                    if not create:
                        raise
                    try:
                        point("mkdir " + "/".join(done + [part]))
                        os.mkdir(part, mode, dir_fd=fd)
                        if made is not None:
                            made.append("/".join(done + [part]))
                    except FileExistsError:
                        pass
                    todo.insert(0, part)
                    continue
                except OSError as e:
                    if e.errno not in (errno.ELOOP, errno.ENOTDIR):
                        raise
                    try:
                        target = os.readlink(part, dir_fd=fd)
                    except OSError:
                        raise NotADirectoryError(
                            errno.ENOTDIR, "not a directory",
                            os.path.join(self.path, *done, part)) from None
                    hops += 1
                    if hops > MAX_LINKS:
                        raise UnsafeRoot(f"too many links under {self.path} (for {rel})")
                    todo = self._link_parts(target, done, rel) + todo
                    os.close(fd)
                    fd = os.dup(self.fd)
                    done = []
                    continue
                os.close(fd)
                fd = nfd
                done.append(part)
            return fd, done
        except BaseException:
            os.close(fd)
            raise

    @contextlib.contextmanager
    def parent(self, rel: str, create: bool = False,
               mode: int = 0o755) -> Iterator[tuple[int, str, str]]:
        """(descriptor of REL's directory, REL's last name, REL's real relative path)."""
        parts = _parts(rel)
        if not parts:
            raise UnsafeRoot("the root itself is not a file vsys writes")
        fd, done = self._walk(parts[:-1], create, rel, mode)
        try:
            yield fd, parts[-1], "/".join(done + [parts[-1]])
        finally:
            os.close(fd)

    def resolve(self, rel: str) -> str:
        """REL's real relative path, following links inside the root (all of them)."""
        parts = _parts(rel)
        for _ in range(MAX_LINKS):
            if not parts:
                return ""
            try:
                fd, done = self._walk(parts[:-1], False, rel, missing_ok=True)
            except _Missing as m:               # a parent is missing: no link below it
                return "/".join(m.parts + parts[-1:])
            try:
                target = os.readlink(parts[-1], dir_fd=fd)
            except OSError:
                return "/".join(done + [parts[-1]])
            finally:
                os.close(fd)
            parts = self._link_parts(target, done, rel)
        raise UnsafeRoot(f"too many links under {self.path} (for {rel})")

    # --- looking ---------------------------------------------------------------------------

    def lstat(self, rel: str) -> os.stat_result | None:
        if not _parts(rel):
            return os.fstat(self.fd)
        try:
            with self.parent(rel) as (fd, name, _):
                return os.stat(name, dir_fd=fd, follow_symlinks=False)
        except (FileNotFoundError, NotADirectoryError):
            return None

    def stat(self, rel: str) -> os.stat_result | None:
        """REL's status with links inside the root followed (None: absent)."""
        try:
            return self.lstat(self.resolve(rel))
        except (FileNotFoundError, NotADirectoryError):
            return None

    def exists(self, rel: str) -> bool:
        return self.stat(rel) is not None

    def lexists(self, rel: str) -> bool:
        return self.lstat(rel) is not None

    def isdir(self, rel: str) -> bool:
        st = self.stat(rel)
        return st is not None and stat.S_ISDIR(st.st_mode)

    def islink(self, rel: str) -> bool:
        st = self.lstat(rel)
        return st is not None and stat.S_ISLNK(st.st_mode)

    def readlink(self, rel: str) -> str | None:
        try:
            with self.parent(rel) as (fd, name, _):
                return os.readlink(name, dir_fd=fd)
        except OSError:
            return None

    def listdir(self, rel: str) -> list[str]:
        fd, _ = self._walk(_parts(rel), False, rel)
        try:
            return os.listdir(fd)
        finally:
            os.close(fd)

    def read_bytes(self, rel: str) -> bytes | None:
        """The content of the file REL (links inside the root followed), or None."""
        try:
            real = self.resolve(rel)
            with self.parent(real) as (fd, name, _):
                f = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC |
                            os.O_NONBLOCK, dir_fd=fd)
        except (FileNotFoundError, NotADirectoryError):
            return None
        try:
            if not stat.S_ISREG(os.fstat(f).st_mode):
                raise UnsafeRoot(f"{self.full(rel)} is not a regular file")
            chunks = []
            while chunk := os.read(f, 1 << 20):
                chunks.append(chunk)
            return b"".join(chunks)
        finally:
            os.close(f)

    def open(self, rel: str, flags: int, mode: int = 0o644,
             create_parents: bool = False, doing: str = "open") -> int:
        """A descriptor of the regular file REL opened with FLAGS (O_CREAT creates it
        with MODE): its directory reached from the root, links inside followed, the
        file itself never a link (UnsafeRoot)."""
        with self.parent(rel, create=create_parents) as (fd, name, real):
            if flags & os.O_CREAT:
                point(f"{doing} {real}")
            try:
                f = os.open(name, flags | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK,
                            mode, dir_fd=fd)
            except OSError as e:
                if e.errno == errno.ELOOP:
                    raise UnsafeRoot(f"{self.full(real)} is a link; vsys will not "
                                     f"{doing} through it") from None
                raise
        if not stat.S_ISREG(os.fstat(f).st_mode):
            os.close(f)
            raise UnsafeRoot(f"{self.full(rel)} is not a regular file")
        return f

    def read(self, rel: str) -> str | None:
        data = self.read_bytes(rel)
        return None if data is None else data.decode("utf-8")

    # --- changing --------------------------------------------------------------------------

    def makedirs(self, rel: str, mode: int = 0o755) -> list[str]:
        """Make REL (with MODE) and its missing parents (0755, as a directory that others'
        files go in: a private key's 0700 directory must not make /etc private); the
        ones made (relative paths)."""
        made: list[str] = []
        parts = _parts(rel)
        if len(parts) > 1:
            parent, _ = self._walk(parts[:-1], True, rel, 0o755, made)
            os.close(parent)
        fd, _ = self._walk(parts, True, rel, mode, made)
        try:
            if made and stat.S_IMODE(os.fstat(fd).st_mode) != mode:
                os.fchmod(fd, mode)
        finally:
            os.close(fd)
        return made

    def mkdir(self, rel: str, mode: int = 0o755) -> None:
        with self.parent(rel) as (fd, name, real):
            point(f"mkdir {real}")
            os.mkdir(name, mode, dir_fd=fd)
            sub = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC,
                          dir_fd=fd)
            try:
                os.fchmod(sub, mode)
            finally:
                os.close(sub)

    def _temporary(self, fd: int, name: str, mode: int) -> tuple[int, str]:
        for _ in range(100):
            tmp = f".{name}{TEMP_MARK}{secrets.token_hex(6)}"
            try:
                return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW |
                               os.O_CLOEXEC, mode & 0o777 & ~0o077, dir_fd=fd), tmp
            except FileExistsError:
                continue
        raise FileExistsError(errno.EEXIST, "no free temporary name", name)

    def write(self, rel: str, data: bytes | str, mode: int = 0o644,
              owner: tuple[int, int] | None = None, replace: bool = True,
              create_parents: bool = False) -> None:
        """Write DATA to REL, atomically: a temporary in REL's directory, its mode and
        owner set on the descriptor, synced, then renamed over REL (REPLACE) or linked
        to REL only when the name is free (never replacing: FileExistsError)."""
        if isinstance(data, str):
            data = data.encode("utf-8")
        with self.parent(rel, create=create_parents) as (fd, name, real):
            f, tmp = self._temporary(fd, name, mode)
            try:
                point(f"write {real}")
                view = memoryview(data)
                while view:
                    view = view[os.write(f, view):]
                if owner is not None and os.geteuid() == 0:
                    os.fchown(f, *owner)
                os.fchmod(f, mode)
                os.fsync(f)
                os.close(f)
                f = -1
                point(f"written {real}")
                if replace:
                    os.rename(tmp, name, src_dir_fd=fd, dst_dir_fd=fd)
                else:
                    os.link(tmp, name, src_dir_fd=fd, dst_dir_fd=fd, follow_symlinks=False)
                    os.unlink(tmp, dir_fd=fd)
                point(f"renamed {real}")
            except BaseException:
                if f >= 0:
                    os.close(f)
                with contextlib.suppress(OSError):
                    os.unlink(tmp, dir_fd=fd)
                raise

    def symlink(self, target: str, rel: str, create_parents: bool = False) -> None:
        """Make REL a link to TARGET, replacing what is there with one rename."""
        with self.parent(rel, create=create_parents) as (fd, name, real):
            point(f"link {real}")
            for _ in range(100):
                tmp = f".{name}{TEMP_MARK}{secrets.token_hex(6)}"
                try:
                    os.symlink(target, tmp, dir_fd=fd)
                    break
                except FileExistsError:
                    continue
            try:
                os.rename(tmp, name, src_dir_fd=fd, dst_dir_fd=fd)
                point(f"renamed {real}")
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp, dir_fd=fd)
                raise

    def rename(self, src: str, dst: str) -> None:
        with self.parent(src) as (sfd, sname, sreal), self.parent(dst) as (dfd, dname, dreal):
            point(f"rename {sreal} {dreal}")
            os.rename(sname, dname, src_dir_fd=sfd, dst_dir_fd=dfd)
            point(f"renamed {dreal}")

    def unlink(self, rel: str, missing_ok: bool = True) -> None:
        try:
            with self.parent(rel) as (fd, name, real):
                point(f"unlink {real}")
                os.unlink(name, dir_fd=fd)
        except (FileNotFoundError, NotADirectoryError):
            if not missing_ok:
                raise

    def rmdir(self, rel: str) -> None:
        with self.parent(rel) as (fd, name, real):
            point(f"rmdir {real}")
            os.rmdir(name, dir_fd=fd)

    def _open_nofollow(self, fd: int, name: str) -> int:
        try:
            return os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK,
                           dir_fd=fd)
        except OSError as e:
            if e.errno == errno.ELOOP:
                raise UnsafeRoot(f"{self.full(name)} is a link; vsys will not change "
                                 f"what it points to") from None
            raise

    def chmod(self, rel: str, mode: int) -> None:
        with self.parent(rel) as (fd, name, real):
            point(f"chmod {real}")
            f = self._open_nofollow(fd, name)
            try:
                os.fchmod(f, mode)
            finally:
                os.close(f)

    def chown(self, rel: str, uid: int, gid: int) -> None:
        with self.parent(rel) as (fd, name, real):
            point(f"chown {real}")
            f = self._open_nofollow(fd, name)
            try:
                os.fchown(f, uid, gid)
            finally:
                os.close(f)

    @contextlib.contextmanager
    def locked(self, rel: str, mode: int = 0o600, blocking: bool = True) -> Iterator[int]:
        """Hold an exclusive lock on the file REL (created when missing, never through
        a link); BlockingIOError when not BLOCKING and someone else holds it."""
        f = self.open(rel, os.O_RDWR | os.O_CREAT, mode, create_parents=True,
                      doing="lock")
        try:
            fcntl.lockf(f, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
            yield f
        finally:
            os.close(f)

    def sweep(self, rel_dir: str, names: tuple[str, ...] = (), dry: bool = False) -> list[str]:
        """Remove leftovers of interrupted writes in REL_DIR: temporaries, and the
        NAMES given (older temporary names); the ones removed (DRY: found)."""
        try:
            entries = self.listdir(rel_dir)
        except (FileNotFoundError, NotADirectoryError):
            return []
        gone = []
        for entry in sorted(entries):
            if TEMP_MARK in entry or entry in names:
                rel = f"{rel_dir}/{entry}" if rel_dir else entry
                st = self.lstat(rel)
                if st is None or stat.S_ISDIR(st.st_mode):
                    continue
                if not dry:
                    self.unlink(rel)
                gone.append(rel)
        return gone
