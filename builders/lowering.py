"""Lowering: each file-like object a system refers to becomes a store item, and each
reference to it (in a gexp, an /etc entry, another file) becomes that item's path.

Packages lower to the host's files (vsys builds no packages); which host package owns
each such file is remembered, so that a runner can name what to install when a program
is missing.
"""

from __future__ import annotations

import shlex
from typing import Any

from vsys.dsl.errors import Condition, SchemeError
from vsys.stdlib.files import DirData, FileAppend, FileData, FileLike, resolver
from vsys.stdlib.gexp import Gexp, lower
from vsys.stdlib.packages import Package

from .items import Content, item_path


def build_error(message: str, loc=None, hints: list[str] | None = None) -> SchemeError:
    return SchemeError(Condition("build-error", message, (), None, hints or [], loc=loc))


class Items:
    """The store items of one build, in the order they can be written (an item after
    the items its content names)."""

    def __init__(self, store: str):
        self.store = store
        self.items: dict[str, Content] = {}
        self.providers: dict[str, str] = {}       # host file -> Debian package
        self._lowered: dict[int, str] = {}
        self._keep: list = []                     # keeps ids in _lowered unique
        self.missing: dict[str, str] = {}         # missing host file -> what to install
        self._resolve = resolver(self._file_like)

    def add(self, name: str, content: Content) -> str:
        path = item_path(self.store, name, content)
        self.items.setdefault(path, content)
        return path

    def _file_like(self, fl: FileLike) -> str:
        key = id(fl)
        path = self._lowered.get(key)
        if path is None:
            path = self.add(fl.name, self.content(fl))
            self._lowered[key] = path
            self._keep.append(fl)
        return path

    def resolve(self, obj: Any) -> Any:
        if isinstance(obj, (FileAppend, Package)):
            return self.path(obj)
        return self._resolve(obj)

    def content(self, fl: FileLike) -> Content:
        if fl.kind == "executable-directory":
            return self._executables(fl)
        try:
            return fl.produce(self.resolve)
        except OSError as e:
            raise build_error(f"{fl.kind} {fl.name}: {e.strerror}: {e.filename}",
                              fl.loc) from None

    def _executables(self, fl: Any) -> Content:
        """A directory of executable copies (debootstrap hooks).  A package file the
        host lacks is replaced by a script saying what to install: the build goes on,
        and the manifest reports it."""
        out = DirData()
        for entry, x in fl.entries:
            if isinstance(x, FileLike):
                content = self.content(x)
            else:
                path = self.path(x)
                try:
                    with open(path, "rb") as f:
                        content = FileData(f.read())
                except FileNotFoundError:
                    why = self.missing.get(path, "it is missing")
                    content = FileData(
                        f"#!/bin/sh\n# Stands for {path}, missing on the host that built "
                        f"this system.\necho {shlex.quote(f'{path} is missing: {why}')} >&2\n"
                        f"exit 1\n".encode())
                except OSError as e:
                    raise build_error(f"{fl.name}: cannot read {path}: {e.strerror}",
                                      getattr(fl, "loc", None)) from None
            if not isinstance(content, FileData):
                raise build_error(f"{fl.name}: {entry} is not a regular file",
                                  getattr(fl, "loc", None))
            out.entries[entry] = FileData(content.data, executable=True)
        return out

    def path(self, obj: Any) -> str:
        """The path OBJ stands for: a store item, or a package's host file (named as it
        is even when missing: the runner reports that when it starts, naming the
        package, and the manifest lists it)."""
        if isinstance(obj, FileAppend):
            if not isinstance(obj.base, Package):
                return self.path(obj.base) + obj.suffix
            pkg, suffix = obj.base, obj.suffix
        elif isinstance(obj, Package):
            pkg, suffix = obj, ""
        else:
            return str(self._resolve(obj))
        hf = pkg.locate(suffix)
        if hf.provider:
            self.providers.setdefault(hf.path, hf.provider)
        if not hf.found:
            # A package's note (Debian does not package it...) beats a useless apt line.
            self.missing.setdefault(hf.path, pkg.note or (
                f"apt install {hf.provider}" if hf.provider else f"the host has no {pkg.name}"))
        return hf.path

    def lower(self, g: Gexp) -> Any:
        """G's code with every reference replaced by its path."""
        return lower(g, self.resolve)
