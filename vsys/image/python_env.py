"""vsys and the Python libraries it needs, as files to copy into a guest.

The guest's Debian has the same Python (3.11 on Debian 12), so the files this process
runs from work there: vsys's own packages, and the installed distributions it requires
(lark, typer, rich...), found through their metadata.  Nothing is downloaded.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import re
from importlib import metadata

# The import packages of vsys, which may come from different source folders.
PACKAGES = ("vsys", "vsys.dsl", "vsys.stdlib", "vsys.builders")


def _skip(parts: tuple[str, ...]) -> bool:
    return "__pycache__" in parts or parts[-1].endswith((".pyc", ".pyo"))


def vsys_files() -> dict[str, str]:
    """{path under site-packages: source file} for vsys itself."""
    files: dict[str, str] = {}
    for name in PACKAGES:
        src = importlib.import_module(name).__path__[0]
        dest = name.replace(".", "/")
        for dirpath, dirnames, filenames in os.walk(src):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            rel = os.path.relpath(dirpath, src)
            for f in sorted(filenames):
                parts = tuple(p for p in (dest, rel, f) if p != ".")
                if not _skip(parts):
                    files.setdefault("/".join(parts), os.path.join(dirpath, f))
    return files


def _required(dist: metadata.Distribution) -> list[str]:
    """The names DIST requires outside of extras."""
    names = []
    for req in dist.requires or []:
        if "extra ==" in req.replace("extra==", "extra =="):
            continue
        m = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", req)
        if m:
            names.append(m.group(0))
    return names


def dependencies() -> list[metadata.Distribution]:
    """The installed distributions vsys needs, transitively."""
    todo = _required(metadata.distribution("vsys"))
    seen: dict[str, metadata.Distribution] = {}
    while todo:
        name = todo.pop()
        key = re.sub(r"[-_.]+", "-", name).lower()
        if key in seen:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue              # a requirement for another platform or Python
        seen[key] = dist
        todo += _required(dist)
    return [seen[k] for k in sorted(seen)]


def dependency_files() -> dict[str, str]:
    """{path under site-packages: source file} for the libraries vsys needs."""
    files: dict[str, str] = {}
    for dist in dependencies():
        for f in dist.files or []:
            parts = tuple(f.parts)
            if parts and parts[0] == ".." or _skip(parts):
                continue          # scripts outside site-packages, bytecode
            files["/".join(parts)] = str(dist.locate_file(f))
    return files


def all_files() -> dict[str, str]:
    return {**dependency_files(), **vsys_files()}


def fingerprint(files: dict[str, str]) -> str:
    """A hash of the files' names and contents: what the image's vsys is."""
    h = hashlib.sha256()
    for rel in sorted(files):
        h.update(rel.encode() + b"\0")
        with open(files[rel], "rb") as f:
            h.update(hashlib.sha256(f.read()).digest())
    return h.hexdigest()
