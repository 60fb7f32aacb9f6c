"""Generations: the numbered system profiles of a managed root.

A profile is a directory of links: `system-N-link` points to the generation N built
(a store item), and `system` points to the current one's link.  Switching generations
replaces `system` with one rename, which is atomic: at every instant exactly one
generation is current.  Each root has its profile: the sandbox root's is
`<state>/profiles` (docs/design.md, "State on disk"); any other root's is
`<state>/profiles/roots/KEY`, KEY a hash of its real path, with a `root` file naming it.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import time
from dataclasses import dataclass

from . import state

LINK = re.compile(r"system-(\d+)-link")


@dataclass
class Generation:
    number: int
    link: str          # the system-N-link
    path: str          # the store item it points to
    time: float        # when the link was made

    def manifest(self) -> dict:
        try:
            with open(os.path.join(self.path, "manifest.json"), encoding="utf-8") as f:
                return json.load(f)
        except (OSError, ValueError):
            return {}


def profiles_dir() -> str:
    return os.path.join(state.state_dir(), "profiles")


def is_sandbox(root: str) -> bool:
    return os.path.realpath(root) == os.path.realpath(state.default_root())


class Profile:
    def __init__(self, root: str):
        self.root = os.path.realpath(root)
        if is_sandbox(root):
            self.dir = profiles_dir()
        else:
            self.dir = os.path.join(profiles_dir(), "roots", state.root_key(self.root))

    @property
    def current_link(self) -> str:
        """`<profile>/system`: what the root's managed files point through."""
        return os.path.join(self.dir, "system")

    def generations(self) -> list[Generation]:
        try:
            entries = os.listdir(self.dir)
        except FileNotFoundError:
            return []
        out = []
        for entry in entries:
            m = LINK.fullmatch(entry)
            if not m:
                continue
            link = os.path.join(self.dir, entry)
            try:
                out.append(Generation(int(m.group(1)), link, os.readlink(link),
                                      os.lstat(link).st_mtime))
            except OSError:
                continue
        return sorted(out, key=lambda g: g.number)

    def generation(self, number: int) -> Generation | None:
        for g in self.generations():
            if g.number == number:
                return g
        return None

    def current(self) -> Generation | None:
        try:
            target = os.readlink(self.current_link)
        except OSError:
            return None
        m = LINK.fullmatch(target)
        return self.generation(int(m.group(1))) if m else None

    def _replace_link(self, target: str, name: str) -> None:
        """Make `name` a link to TARGET with one rename (atomic)."""
        os.makedirs(self.dir, exist_ok=True)
        if not is_sandbox(self.root):
            with open(os.path.join(self.dir, "root.tmp"), "w") as f:
                f.write(self.root + "\n")
            os.replace(os.path.join(self.dir, "root.tmp"), os.path.join(self.dir, "root"))
        tmp = os.path.join(self.dir, f".{name}.{secrets.token_hex(4)}")
        os.symlink(target, tmp)
        try:
            os.replace(tmp, os.path.join(self.dir, name))
        except BaseException:
            os.unlink(tmp)
            raise

    def add(self, generation_path: str) -> Generation:
        """A new generation link for GENERATION_PATH, numbered after the last one (not
        current yet: see `switch`); the last one itself when it already holds that
        system (a reconfigure interrupted before its switch made it)."""
        gens = self.generations()
        if gens and os.path.realpath(gens[-1].path) == os.path.realpath(generation_path):
            return gens[-1]
        number = max([g.number for g in gens], default=0) + 1
        self._replace_link(generation_path, f"system-{number}-link")
        return self.generation(number)

    def switch(self, number: int) -> None:
        self._replace_link(f"system-{number}-link", "system")

    def delete(self, number: int) -> None:
        current = self.current()
        if current is not None and current.number == number:
            raise ValueError(f"generation {number} is current; it cannot be deleted")
        os.unlink(os.path.join(self.dir, f"system-{number}-link"))


def all_profiles() -> list[Profile]:
    """The profile of every root this state directory has managed."""
    out = [Profile(state.default_root())]
    roots = os.path.join(profiles_dir(), "roots")
    try:
        keys = sorted(os.listdir(roots))
    except FileNotFoundError:
        keys = []
    for key in keys:
        try:
            with open(os.path.join(roots, key, "root")) as f:
                out.append(Profile(f.read().strip()))
        except OSError:
            continue
    return out


def live_items() -> set[str]:
    """Every store item some generation of some profile uses."""
    live: set[str] = set()
    for profile in all_profiles():
        for g in profile.generations():
            live.add(g.path)
            live.update(g.manifest().get("store-items", []))
    return live


# --- choosing generations: `delete-generations PATTERN` ---------------------------------------

DURATION = re.compile(r"(\d+)([dwm])")


def select(generations: list[Generation], pattern: str | None,
           now: float | None = None) -> list[Generation]:
    """The generations PATTERN names, as Guix reads it: none (all), `N`, `N..M`, `N..`,
    `..M`, comma-separated lists of those, or a duration `Nd`/`Nw`/`Nm` (older than N
    days, weeks or months)."""
    if not pattern:
        return list(generations)
    pattern = pattern.strip()
    m = DURATION.fullmatch(pattern)
    if m:
        days = int(m.group(1)) * {"d": 1, "w": 7, "m": 30}[m.group(2)]
        limit = (now or time.time()) - days * 86400
        return [g for g in generations if g.time < limit]
    chosen: set[int] = set()
    for part in pattern.split(","):
        part = part.strip()
        if re.fullmatch(r"\d+", part):
            chosen.add(int(part))
            continue
        r = re.fullmatch(r"(\d*)\.\.(\d*)", part)
        if not r or (not r.group(1) and not r.group(2)):
            raise ValueError(f"{pattern!r} is not a generation pattern: write N, N..M, "
                             f"N.., ..M, a comma-separated list of those, or a duration "
                             f"such as 2w (older than two weeks)")
        lo = int(r.group(1)) if r.group(1) else 0
        hi = int(r.group(2)) if r.group(2) else 1 << 62
        chosen.update(g.number for g in generations if lo <= g.number <= hi)
    return [g for g in generations if g.number in chosen]
