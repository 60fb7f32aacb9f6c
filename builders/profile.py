"""The system profile: links to the programs of the system's packages, as the host
installed them (`profile/bin/virsh -> /usr/bin/virsh`), so that PATH can name one
directory, as /run/current-system/profile/bin does on Guix.

vsys builds no packages: a package whose host files are missing is reported with the
Debian package to install, and the build goes on without it.
"""

from __future__ import annotations

from typing import Any

from vsys.dsl.datatypes import Pair
from vsys.stdlib.files import DirData, LinkData
from vsys.stdlib.packages import Package, host, missing_report

PROGRAM_DIRS = ("bin", "sbin")


def _package(entry: Any) -> Package | None:
    """A profile entry is a package, or (package output) as Guix allows."""
    if type(entry) is Pair:
        entry = entry.car
    return entry if isinstance(entry, Package) else None


def profile(entries: list) -> tuple[DirData, list[str], list[str]]:
    """(the profile tree, the package names in it, lines saying what is missing)."""
    tree = DirData({d: DirData() for d in PROGRAM_DIRS})
    names: list[str] = []
    missing: list[str] = []
    seen: set[str] = set()
    for entry in entries:
        pkg = _package(entry)
        if pkg is None:
            continue
        if pkg.spec.get("unmanaged"):
            continue         # not installed by vsys: listed with what the host manages
        label = pkg.name + ("" if pkg.output == "out" else f":{pkg.output}")
        if label in seen:
            continue
        seen.add(label)
        names.append(label)
        missing += missing_report(pkg)
        for deb in pkg.debian + pkg.extra:
            for merged, listed in host.files(deb).items():
                top, _, rest = merged[len("/usr/"):].partition("/") if \
                    merged.startswith("/usr/") else ("", "", "")
                if top in PROGRAM_DIRS and rest and "/" not in rest:
                    tree.entries[top].entries.setdefault(rest, LinkData(listed))
    return tree, names, missing
