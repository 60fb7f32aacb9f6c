"""Managed files: the links that make a root's /etc show the current generation.

Each managed file is a symbolic link into the root's profile, through its `system` link:
`<root>/etc/libvirt/libvirtd.conf -> <state>/profiles/system/etc/libvirt/libvirtd.conf`.
Switching the profile's `system` link (one rename) therefore switches every managed
file at once; what remains to do around the switch is creating the links of files the
new generation adds (before: they dangle until the switch, harming nothing) and removing
those of files it drops (after).  A link is vsys's exactly when it points into the
profile; anything else found where a managed file goes is the host's and is moved aside
to NAME.vsys-backup (reported), and put back when no generation manages the name.
"""

from __future__ import annotations

import filecmp
import os
import stat
from dataclasses import dataclass, field

from ..root_record import save
from ..rootfs import Root, UnsafeRoot

BACKUP = ".vsys-backup"


def desired(manifest: dict, profile_link: str, sandbox: bool) -> dict[str, str]:
    """Root-relative path -> link target, for a generation's manifest."""
    out = {f"etc/{leaf}": f"{profile_link}/etc/{leaf}" for leaf in manifest.get("etc", [])}
    if sandbox:        # the kernel's binfmt_misc is never touched for a sandbox root
        for conf in manifest.get("binfmt", []):
            out[f"etc/binfmt.d/{conf}"] = f"{profile_link}/binfmt.d/{conf}"
    out["run/current-system"] = profile_link
    return out


def in_generation(rel: str, generation: str) -> str:
    """Where the file the link REL shows lives in GENERATION."""
    if rel == "run/current-system":
        return generation
    if rel.startswith("etc/binfmt.d/"):
        return os.path.join(generation, "binfmt.d", rel[len("etc/binfmt.d/"):])
    return os.path.join(generation, rel)


def is_ours(r: Root, rel: str, profile_link: str) -> bool:
    try:
        target = r.readlink(rel)
    except UnsafeRoot:
        return False
    return target is not None and (target == profile_link or
                                   target.startswith(profile_link + "/"))


def check_inside(root: str, path: str) -> None:
    """Refuse to write through a link that leads out of a sandbox root (a root whose
    etc is a link to the host's /etc would otherwise have vsys write there)."""
    if root == "/":
        return
    real_root = os.path.realpath(root)
    rel = os.path.relpath(os.path.join(real_root, path) if not os.path.isabs(path)
                          else path, real_root)
    if rel == ".." or rel.startswith("../"):
        raise UnsafeRoot(f"{path} leads out of the root {root}; vsys will not write there")
    with Root(real_root) as r:
        try:
            r.resolve(os.path.dirname(rel))
        except (FileNotFoundError, NotADirectoryError):
            pass                  # not there yet: made beneath the root when needed


@dataclass
class LinkPlan:
    add: list[str] = field(default_factory=list)        # free now: linked before the switch
    change: list[str] = field(default_factory=list)     # ours, new content after the switch
    same: list[str] = field(default_factory=list)
    remove: list[str] = field(default_factory=list)     # ours, dropped: removed after
    conflicts: dict[str, str] = field(default_factory=dict)   # host's -> its backup name
    late: list[str] = field(default_factory=list)       # linked after the switch
    restore: dict[str, str] = field(default_factory=dict)     # backup -> name, put back
    targets: dict[str, str] = field(default_factory=dict)


def _backup_name(r: Root, rel: str, taken: set[str]) -> str:
    name = rel + BACKUP
    n = 0
    while r.lexists(name) or name in taken:
        n += 1
        name = f"{rel}{BACKUP}.{n}"
    return name


def _blocked_parent(r: Root, rel: str, profile_link: str) -> bool:
    """Whether a parent of REL exists but is not a directory (so the link can only be
    made after the switch, once that is sorted out)."""
    path = ""
    for part in rel.split("/")[:-1]:
        path = f"{path}/{part}" if path else part
        if r.lexists(path) and not r.isdir(path):
            return True
        if r.islink(path) and is_ours(r, path, profile_link):
            return True
    return False


def same_content(a: str, b: str) -> bool:
    """Whether the files (or directories) A and B show the same thing once links are
    followed: the same bytes and mode, and for a directory the same names holding the
    same.  Files a generation holds itself (its binfmt entries) are copies, not store
    items shared between generations, so their paths alone say nothing."""
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        sa, sb = os.stat(a), os.stat(b)
    except OSError:
        return False
    if stat.S_IFMT(sa.st_mode) != stat.S_IFMT(sb.st_mode) or \
            stat.S_IMODE(sa.st_mode) != stat.S_IMODE(sb.st_mode):
        return False
    if stat.S_ISDIR(sa.st_mode):
        try:
            names = sorted(os.listdir(a))
            if names != sorted(os.listdir(b)):
                return False
        except OSError:
            return False
        return all(same_content(os.path.join(a, n), os.path.join(b, n)) for n in names)
    if not stat.S_ISREG(sa.st_mode) or sa.st_size != sb.st_size:
        return False
    try:
        return filecmp.cmp(a, b, shallow=False)
    except OSError:
        return False


def survey(root: str, new: dict[str, str], old_generation: str | None,
           new_generation: str, previous: set[str], record: dict,
           profile_link: str) -> LinkPlan:
    """What must change for the links of NEW; PREVIOUS holds the paths that may be
    ours (the old generation's and the record's)."""
    plan = LinkPlan(targets=dict(new))
    taken: set[str] = set()
    r = Root(root)
    for rel in sorted(new):
        if is_ours(r, rel, profile_link):
            if old_generation is None or rel == "run/current-system":
                (plan.same if old_generation == new_generation else plan.change).append(rel)
            elif not os.path.lexists(in_generation(rel, old_generation)):
                plan.change.append(rel)    # dangling before: a leftover of an interruption
            elif same_content(in_generation(rel, old_generation),
                              in_generation(rel, new_generation)):
                plan.same.append(rel)
            else:
                plan.change.append(rel)
        elif r.lexists(rel):
            backup = _backup_name(r, rel, taken)
            taken.add(backup)
            plan.conflicts[rel] = backup
        elif _blocked_parent(r, rel, profile_link):
            plan.late.append(rel)
        else:
            plan.add.append(rel)
    for rel in sorted(previous - set(new)):
        if is_ours(r, rel, profile_link):
            plan.remove.append(rel)
            backup = record["backups"].get(rel)
            if backup and r.lexists(backup):
                plan.restore[backup] = rel
    return plan


def _make_parents(r: Root, rel: str, record: dict, profile_link: str) -> None:
    done = ""
    for part in rel.split("/")[:-1]:
        done = f"{done}/{part}" if done else part
        if r.islink(done) and is_ours(r, done, profile_link):
            r.unlink(done)          # a directory the old generation had as one link
        if r.lexists(done) and not r.isdir(done):
            backup = _backup_name(r, done, set())
            r.rename(done, backup)
            record["backups"][done] = backup
        if not r.isdir(done):
            r.mkdir(done, 0o755)
            if done not in record["created-directories"]:
                record["created-directories"].append(done)


def _link(r: Root, rel: str, target: str) -> None:
    r.symlink(target, rel)


def before_switch(root: str, plan: LinkPlan, record: dict, profile_link: str) -> None:
    """Link the names that are free: they dangle until the switch."""
    for rel in plan.add:
        if rel not in record["links"]:
            record["links"].append(rel)
    save(root, record)                  # first say they may be ours, then make them
    with Root(root) as r:
        for rel in plan.add:
            _make_parents(r, rel, record, profile_link)
            _link(r, rel, plan.targets[rel])
    save(root, record)


def after_switch(root: str, plan: LinkPlan, record: dict, profile_link: str) -> None:
    """Drop the links the new generation does not have, move the host's files out of
    the way of the ones it does have, and put back what is no longer managed."""
    r = Root(root)
    for rel in plan.remove:
        if is_ours(r, rel, profile_link):
            r.unlink(rel)
        _prune(r, os.path.dirname(rel), record)
    for backup, rel in plan.restore.items():
        if not r.lexists(rel) and r.lexists(backup):
            _make_parents(r, rel, record, profile_link)
            r.rename(backup, rel)
        record["backups"].pop(rel, None)
    for rel, backup in plan.conflicts.items():
        if r.lexists(rel) and not is_ours(r, rel, profile_link):
            r.rename(rel, backup)
            record["backups"][rel] = backup
    for rel in [*plan.conflicts, *plan.late, *plan.add, *plan.change]:
        if rel not in record["links"]:
            record["links"].append(rel)
        if not is_ours(r, rel, profile_link):
            _make_parents(r, rel, record, profile_link)
            _link(r, rel, plan.targets[rel])
    record["links"] = sorted(x for x in record["links"] if is_ours(r, x, profile_link))


def _prune(r: Root, rel_dir: str, record: dict) -> None:
    """Remove the directories vsys created for links, once they are empty."""
    while rel_dir and rel_dir in record["created-directories"]:
        try:
            r.rmdir(rel_dir)
        except OSError:
            return                      # not empty: something else lives there too
        record["created-directories"].remove(rel_dir)
        rel_dir = os.path.dirname(rel_dir)
