"""Files a service's spec names under the root (its pid file, its log file, an action's
hint file), used through descriptors.

The path is resolved once, to say where the file is; every later use walks from the
root's directory again (see vsys.rootfs) and never follows a link at the file itself,
so a link planted at the name, or at a directory on the way, after the spec was
resolved fails that use in words instead of leading the supervisor out of the root.
"""

from __future__ import annotations

import os
import stat

from ..rootfs import Root, UnsafeRoot, relative
from .process import StartError


class RootFile:
    """The file PATH (in the root's terms) beneath the directory TOP (the root as the
    supervisor sees it; a state directory for the supervisor's own logs)."""

    def __init__(self, top: str, path: str):
        try:
            self.root = Root(top)
            self.rel = self.root.resolve(relative(path.lstrip("/"), "path"))
            if not self.rel:
                raise UnsafeRoot("the root itself is not a file")
        except UnsafeRoot as e:
            raise StartError(f"{path}: {e}") from None
        # What messages and `herd` show: the spec's own path where the root is `/` (in
        # a container), the real one beneath a root seen from outside.
        self.path = os.path.normpath(path) if self.root.path == "/" else \
            self.root.full(self.rel)

    def sibling(self, suffix: str) -> "RootFile":
        """The file NAME+SUFFIX beside this one (a rotated log), in the same root."""
        other = object.__new__(RootFile)
        other.root, other.rel, other.path = self.root, self.rel + suffix, self.path + suffix
        return other

    def _do(self, fn, *args):
        try:
            return fn(*args)
        except UnsafeRoot as e:
            raise StartError(str(e)) from None

    def read(self) -> bytes | None:
        """The content (None: absent); never through a link out of the root."""
        try:
            return self._do(self.root.read_bytes, self.rel)
        except (FileNotFoundError, NotADirectoryError):
            return None

    def lstat(self) -> os.stat_result | None:
        return self._do(self.root.lstat, self.rel)

    def size(self) -> int:
        st = self.lstat()
        return st.st_size if st is not None and stat.S_ISREG(st.st_mode) else 0

    def unlink(self) -> None:
        """Remove the name (a link there is removed, never what it points to)."""
        self._do(self.root.unlink, self.rel)

    def open(self, flags: int, mode: int = 0o640) -> int:
        """A descriptor of the file opened with FLAGS, its missing directories made."""
        return self._do(self.root.open, self.rel, flags, mode, bool(flags & os.O_CREAT))

    def append(self, data: bytes, mode: int = 0o640) -> None:
        fd = self.open(os.O_WRONLY | os.O_APPEND | os.O_CREAT, mode)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)

    def touch(self) -> None:
        os.close(self.open(os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644))

    def rename_to(self, suffix: str, source_suffix: str = "") -> None:
        """Rename the file NAME+SOURCE_SUFFIX to NAME+SUFFIX, when it exists."""
        src = self.rel + source_suffix
        if self._do(self.root.lexists, src):
            self._do(self.root.rename, src, self.rel + suffix)

    def read_from(self, offset: int) -> tuple[bytes, int]:
        """(the bytes from OFFSET on, or from the start when the file is shorter;
        the file's size)."""
        try:
            fd = self.open(os.O_RDONLY)
        except (FileNotFoundError, NotADirectoryError):
            return b"", 0
        try:
            end = os.lseek(fd, 0, os.SEEK_END)
            os.lseek(fd, offset if 0 <= offset <= end else 0, os.SEEK_SET)
            chunks = []
            while chunk := os.read(fd, 1 << 20):
                chunks.append(chunk)
            return b"".join(chunks), end
        finally:
            os.close(fd)
