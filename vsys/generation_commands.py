"""The commands over a root's existing generations: roll-back and switch-generation
(which activate one), list-generations, delete-generations, and the store's gc and
verify."""

from __future__ import annotations

import os
import re
import time

from . import immutable, store
from .console import print_lines, report_errors
from .failures import EXIT_FAILED, EXIT_OK, Failure
from .generations import Profile, all_profiles, live_items, select
from .plan_text import count_of
from .roots import Lock, choose_root, container_allowed, root_label
from .switching import activate


def switch_main(root: str | None, number: str | None, dry_run: bool, restart: bool,
                supervise: bool, debug: bool) -> int:
    """`switch-generation N|+N|-N`, or `roll-back` when NUMBER is None."""
    def run():
        chosen = choose_root(root)
        if supervise and not dry_run:
            container_allowed(chosen)
        with Lock():
            profile = Profile(chosen)
            current = profile.current()
            gens = profile.generations()
            if number is None:
                older = [g for g in gens if current is None or g.number < current.number]
                if not older:
                    raise Failure(f"there is no generation before "
                                  f"{current.number if current else 'the first'} to roll "
                                  f"back to (root {root_label(chosen)})")
                target = older[-1]
            else:
                target = _chosen_generation(number, gens, current, root_label(chosen))
            if not os.path.isdir(target.path):
                raise Failure(f"generation {target.number}'s files ({target.path}) are gone")
            damaged = _damaged([target.path, *target.manifest().get("store-items", [])])
            if damaged:
                raise Failure(f"generation {target.number} uses store items that were "
                              f"changed, so it is not what was built: {'; '.join(damaged)}"
                              f"\nhint: `vsys reconfigure` with its config rebuilds them; "
                              f"`vsys verify` lists every damaged item")
            return activate(chosen, target.path, target.number, dry_run, restart, supervise)
    return report_errors(run, None, debug)


def _chosen_generation(spec: str, gens: list, current, label: str):
    """The generation SPEC names: its number N, or +N/-N generations after/before the
    current one among those that exist (as guix system switch-generation counts)."""
    if not re.fullmatch(r"[+-]?[0-9]+", spec):
        raise Failure(f"not a generation: {spec!r}; write its number, or +N/-N to move "
                      f"relative to the current one")
    known = ", ".join(str(g.number) for g in gens) or "none"
    if spec[0] not in "+-":
        for g in gens:
            if g.number == int(spec):
                return g
        raise Failure(f"there is no generation {int(spec)} for the root {label} "
                      f"(generations: {known})")
    if current is None:
        raise Failure(f"the root {label} has no current generation to count {spec} from")
    index = [g.number for g in gens].index(current.number) + int(spec)
    if not 0 <= index < len(gens):
        raise Failure(f"there is no generation {spec} from the current one "
                      f"({current.number}) for the root {label} (generations: {known})")
    return gens[index]


def list_main(root: str | None, pattern: str | None, debug: bool) -> int:
    def run():
        chosen = choose_root(root)
        profile = Profile(chosen)
        current = profile.current()
        every = profile.generations()
        gens = select(every, pattern)
        if not gens:
            if every:       # some exist, none is the one asked for
                known = ", ".join(str(g.number) for g in every)
                print_lines([f"no generation matches {pattern} for the root "
                        f"{root_label(chosen)} (generations: {known})"])
            else:
                print_lines([f"no generations for the root {root_label(chosen)}"])
            return EXIT_OK
        lines = []
        for g in gens:
            m = g.manifest()
            mark = "  (current)" if current and g.number == current.number else ""
            when = time.strftime('%b %d %Y %H:%M:%S', time.localtime(g.time))
            lines += [f"Generation {g.number}\t{when}{mark}",
                      f"  file name: {g.link}", f"  canonical file name: {g.path}",
                      f"  host name: {m.get('host-name', '?')}",
                      f"  configuration file: {m.get('configuration-file', '?')}",
                      f"  services: {len(m.get('services', {}))}"]
        print_lines(lines)
        return EXIT_OK
    return report_errors(run, None, debug)


def _damaged(paths: list[str]) -> list[str]:
    out = []
    for path in paths:
        problem = store.verify(path)
        if problem:
            out.append(f"{path}: {problem}")
    return out


def verify_main(debug: bool) -> int:
    """`vsys verify`: every store item checked against the hash its name holds (as
    `guix gc --verify=contents` does); exit status 1 when one is damaged."""
    def run():
        with Lock(), store.lock(shared=True):
            paths = store.items()
            damaged = _damaged(paths)
            users: dict[str, list[str]] = {}
            for profile in all_profiles():
                for g in profile.generations():
                    for item in {g.path, *g.manifest().get("store-items", [])}:
                        users.setdefault(item, []).append(
                            f"{root_label(profile.root)} generation {g.number}")
        lines = []
        for line in damaged:
            path = line.split(": ", 1)[0]
            lines.append(line + (f" (used by {', '.join(users[path])})" if path in users
                                 else ""))
        lines.append(immutable.status(store.store_dir()))
        lines.append(f"{count_of(len(paths), 'store item')} checked, "
                     f"{len(damaged)} damaged" + (": `vsys reconfigure` with the config "
                                                   "that built them repairs them"
                                                   if damaged else ""))
        print_lines(lines)
        return EXIT_FAILED if damaged else EXIT_OK
    return report_errors(run, None, debug)


def delete_main(root: str | None, pattern: str | None, debug: bool) -> int:
    def run():
        chosen = choose_root(root)
        with Lock():
            profile = Profile(chosen)
            current = profile.current()
            lines = []
            for g in select(profile.generations(), pattern):
                if current is not None and g.number == current.number:
                    lines.append(f"generation {g.number} is current: kept")
                    continue
                profile.delete(g.number)
                lines.append(f"deleted generation {g.number}")
            print_lines(lines or ["no generation matches"])
            if any(ln.startswith("deleted") for ln in lines):
                print_lines(["(`vsys gc` removes the store items no generation uses any more)"])
        return EXIT_OK
    return report_errors(run, None, debug)


def gc_main(debug: bool) -> int:
    def run():
        with Lock(), store.lock(shared=False):
            removed, freed = store.collect_garbage(live_items())
        print_lines([f"removed {count_of(len(removed), 'store item')}, freed {freed / 1e6:.1f} MB"])
        return EXIT_OK
    return report_errors(run, None, debug)
