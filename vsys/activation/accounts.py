"""Accounts: a generation's users and groups merged into a root's /etc/passwd,
/etc/shadow, /etc/group (and /etc/gshadow when the root has one).

An entry vsys did not create is left as it is (the plan notes where the config's account
differs from it); one vsys created is rewritten when the config's account changed (comment,
home, shell, primary group, or an explicit id that is free), its password kept.  New ones
are appended, with the id the config gives, else the id vsys gave the same account before
(see `stash` in record.py), else a free one: system ids from 999 down, others from 1000
up, never one the files already use.  A user's supplementary groups get it as a member.
Accounts vsys added and a later generation no longer declares are taken out again and
stashed, so that coming back to a generation restores their ids and passwords: a stashed
id stays reserved for its account (a new account of another name never gets it, so the
files the old one left are not handed over), and when something else has taken it
meanwhile the plan says so.
The files are rewritten whole through a rename, under the lock the shadow tools take
(/etc/.pwd.lock), as one transaction: the lines to add and remove are saved in the
root's record (`intent`) before any account file is rewritten, and every run first
brings the files in line with the record (`reconcile`), so a kill at any point leaves
files the next run repairs.
"""

from __future__ import annotations

import contextlib
import os
import time
from dataclasses import dataclass, field

from ..failures import Failure
from ..rootfs import Root, relative

FILES = ("passwd", "shadow", "group", "gshadow")
SYSTEM_MAX, SYSTEM_MIN, USER_MIN, USER_MAX = 999, 100, 1000, 59999


class AccountError(Failure):
    pass


# Temporary names older versions wrote; removed as leftovers of an interrupted run.
OLD_TEMPORARIES = tuple(f"{n}.vsys-new" for n in FILES)


def _read(r: Root, name: str) -> list[str] | None:
    text = r.read(f"etc/{name}")
    return None if text is None else text.splitlines()


class Database:
    """The account files of a root, as lines."""

    def __init__(self, root: str):
        self.root = root
        with Root(root) as r:
            self.lines = {n: _read(r, n) for n in FILES}
        self.changed: set[str] = set()

    def entries(self, name: str) -> dict[str, list[str]]:
        return {ln.split(":", 1)[0]: ln.split(":") for ln in self.lines[name] or []
                if ln and not ln.startswith("#")}

    def users(self) -> dict[str, list[str]]:
        return self.entries("passwd")

    def groups(self) -> dict[str, list[str]]:
        return self.entries("group")

    def used_ids(self, name: str) -> set[int]:
        ids = set()
        for fields in self.entries(name).values():
            if len(fields) > 2 and fields[2].isdigit():
                ids.add(int(fields[2]))
        return ids

    def append(self, name: str, line: str) -> None:
        if self.lines[name] is None:
            if name == "gshadow":
                return                 # a root without gshadow keeps none
            self.lines[name] = []
        self.lines[name].append(line)
        self.changed.add(name)

    def replace(self, name: str, key: str, line: str | None) -> None:
        if self.lines[name] is None:
            return
        out = []
        for ln in self.lines[name] or []:
            if ln.split(":", 1)[0] == key:
                if line is not None:
                    out.append(line)
            else:
                out.append(ln)
        self.lines[name] = out
        self.changed.add(name)

    def line(self, name: str, key: str) -> str | None:
        for ln in self.lines[name] or []:
            if ln.split(":", 1)[0] == key:
                return ln
        return None

    def write(self) -> None:
        with Root(self.root) as r:
            for name in sorted(self.changed):
                rel = f"etc/{name}"
                mode, owner = (0o600 if "shadow" in name else 0o644), None
                st = r.lstat(rel)
                if st is not None:
                    mode, owner = st.st_mode & 0o7777, (st.st_uid, st.st_gid)
                    if "shadow" in name:
                        mode &= ~0o007        # never readable by everyone
                r.write(rel, "".join(ln + "\n" for ln in self.lines[name]), mode, owner,
                        create_parents=True)
        self.changed.clear()


@contextlib.contextmanager
def locked(root: str):
    """The lock passwd, useradd and friends take, so vsys never races them."""
    with Root(root) as r:
        r.makedirs("etc")
        with r.locked("etc/.pwd.lock"):
            yield


# --- the transaction ------------------------------------------------------------------------------

def begin(db: Database, record: dict, save) -> None:
    """Save, in the record, what the account files are about to become (for each
    changed file, the line of each changed key: None when it goes), then rewrite them,
    then clear the intent.  SAVE writes the record."""
    intent = {}
    for name in sorted(db.changed):
        now, want = _by_key(_read_now(db.root, name)), _by_key(db.lines[name])
        intent[name] = {k: (want[k][0] if k in want else None)
                        for k in sorted(set(now) | set(want)) if now.get(k) != want.get(k)}
    record["intent"] = intent
    save(record)
    db.write()
    record["intent"] = None
    save(record)


def _read_now(root: str, name: str) -> list[str] | None:
    with Root(root) as r:
        return _read(r, name)


def _by_key(lines: list[str] | None) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for ln in lines or []:
        out.setdefault(ln.split(":", 1)[0], []).append(ln)
    return out


def reconcile(root: str, record: dict, save, dry: bool = False) -> list[str]:
    """Bring the account files in line with the record: finish an interrupted
    transaction (its intent), give every account vsys added its lines in each file
    (a passwd line without its shadow line is completed), and keep one line per
    name.  What was (DRY: would be) repaired, in words."""
    said: list[str] = []
    db = Database(root)
    for name, lines in (record.get("intent") or {}).items():
        if name not in FILES or db.lines[name] is None and name == "gshadow":
            continue
        for key, line in lines.items():
            if db.line(name, key) != line or _count(db, name, key) > 1:
                db.replace(name, key, None)
                if line is not None:
                    db.append(name, line)
                said.append(f"/etc/{name}: {key} as the interrupted run meant")
    want = {"passwd": ("users", "passwd"), "shadow": ("users", "shadow"),
            "group": ("groups", "group"), "gshadow": ("groups", "gshadow")}
    for name, (kind, field_) in want.items():
        if db.lines[name] is None:
            continue
        for key, entry in record["accounts"][kind].items():
            line = entry.get(field_)
            if line and db.line(name, key) is None and \
                    db.line("passwd" if kind == "users" else "group", key) is not None:
                db.append(name, line)
                said.append(f"/etc/{name}: {key}'s missing line restored")
        seen: set[str] = set()
        out = []
        for ln in db.lines[name]:
            key = ln.split(":", 1)[0]
            if ln and not ln.startswith("#") and key in seen:
                said.append(f"/etc/{name}: a second line for {key} removed")
                db.changed.add(name)
                continue
            seen.add(key)
            out.append(ln)
        db.lines[name] = out
    if dry:
        return said
    if db.changed:
        with locked(root):
            db.write()
    if record.get("intent"):
        record["intent"] = None
        save(record)
    return said


def _count(db: Database, name: str, key: str) -> int:
    return sum(1 for ln in db.lines[name] or [] if ln.split(":", 1)[0] == key)


@dataclass
class AccountPlan:
    groups: list[tuple[str, int]] = field(default_factory=list)   # to add, with their id
    users: list[tuple[str, int]] = field(default_factory=list)
    members: list[tuple[str, str]] = field(default_factory=list)  # (group, user) to add
    remove_users: list[str] = field(default_factory=list)
    remove_groups: list[str] = field(default_factory=list)
    remove_members: list[tuple[str, str]] = field(default_factory=list)
    lines: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    change_users: list[tuple[str, list[str]]] = field(default_factory=list)  # (name, what)
    change_groups: list[tuple[str, list[str]]] = field(default_factory=list)
    changed_lines: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)   # host entries left as they are


def _free(used: set[int], system: bool) -> int:
    if system:
        for n in range(SYSTEM_MAX, SYSTEM_MIN - 1, -1):
            if n not in used:
                return n
    else:
        for n in range(USER_MIN, USER_MAX + 1):
            if n not in used:
                return n
    raise AccountError("no free " + ("system " if system else "") + "id is left")


def _id_of(line: str | None) -> int | None:
    fields = (line or "").split(":")
    return int(fields[2]) if len(fields) > 2 and fields[2].isdigit() else None


def _stashed_id(record: dict, kind: str, name: str) -> int | None:
    entry = record["stash"][kind].get(name) or record["accounts"][kind].get(name)
    return _id_of(entry.get("passwd" if kind == "users" else "group")) if entry else None


def _reserved(record: dict, kind: str) -> dict[int, str]:
    """The ids of the accounts vsys stashed: id -> the account's name."""
    out = {}
    for name in record["stash"][kind]:
        i = _stashed_id(record, kind, name)
        if i is not None:
            out[i] = name
    return out


def _returning_id(p: "AccountPlan", record: dict, kind: str, name: str, used: set[int],
                  taken_by: dict[str, list[str]]) -> int | None:
    """The id a returning account had, when it is still free; else None (the caller
    picks a free one), with a note naming who has it now."""
    old = _stashed_id(record, kind, name)
    if old is None or old not in used:
        return old
    noun = "user" if kind == "users" else "group"
    owner = next((n for n, f in taken_by.items() if len(f) > 2 and f[2] == str(old)), None)
    p.notes.append(f"{noun} {name} had id {old}, which "
                   f"{f'{noun} {owner}' if owner else 'another ' + noun} has now; it gets "
                   f"a new id, and files it owned keep id {old}")
    return None


# Device nodes a sandbox's container binds from the host keep the host's group: a new
# group of the same name takes that id when it is free, so that its members (libvirt's
# QEMU in `kvm`) can open the node.
DEVICE_GROUPS = {"kvm": "/dev/kvm"}


def device_gid(root: str, name: str, used: set[int]) -> int | None:
    node = DEVICE_GROUPS.get(name)
    if node is None or os.path.realpath(root) == "/":
        return None
    try:
        gid = os.stat(node).st_gid
    except OSError:
        return None
    return gid if gid and gid not in used else None


def _free_id(used: set[int], reserved: dict[int, str], name: str, system: bool) -> int:
    """A free id that is not another account's stashed id."""
    return _free(used | {i for i, n in reserved.items() if n != name}, system)


def plan(db: Database, accounts: dict, record: dict) -> AccountPlan:
    """What to add and remove; the new lines are computed here, ids included."""
    p = AccountPlan(lines={n: [] for n in FILES}, changed_lines={"passwd": [], "group": []})
    groups, users = db.groups(), db.users()
    gids, uids = db.used_ids("group"), db.used_ids("passwd")
    kept_gids, kept_uids = _reserved(record, "groups"), _reserved(record, "users")
    new_gid: dict[str, int] = {}
    for g in accounts["groups"]:
        name = g["name"]
        if name in groups:
            _group_change(p, g, groups[name], name in record["accounts"]["groups"], gids,
                          groups, new_gid)
            continue
        stash = record["stash"]["groups"].get(name)
        gid = g.get("id")
        if gid is None:
            gid = _returning_id(p, record, "groups", name, gids, groups)
            if gid is None:
                gid = device_gid(db.root, name, gids | set(kept_gids))
            if gid is None:
                gid = _free_id(gids, kept_gids, name, g["system"])
        elif gid in gids:
            owner = next(n for n, f in groups.items() if len(f) > 2 and f[2] == str(gid))
            raise AccountError(f"group {name} asks for id {gid}, which group {owner} "
                               f"already has in {db.root}/etc/group")
        gids.add(gid)
        new_gid[name] = gid
        p.groups.append((name, gid))
        line = stash["group"] if stash and _id_of(stash.get("group")) == gid else \
            f"{name}:x:{gid}:"
        p.lines["group"].append((name, line))
        p.lines["gshadow"].append((name, stash.get("gshadow") if stash and stash.get("gshadow")
                                   else f"{name}:!::"))
    declared_groups = {g["name"] for g in accounts["groups"]}

    def gid_of(group: str) -> int:
        if group.isdigit():
            return int(group)
        if group in new_gid:
            return new_gid[group]
        if group in groups and len(groups[group]) > 2 and groups[group][2].isdigit():
            return int(groups[group][2])
        raise AccountError(f"group {group} does not exist: declare it in the "
                           f"operating-system's groups (user-group (name \"{group}\"))")

    members = {n: (f[3].split(",") if len(f) > 3 and f[3] else []) for n, f in groups.items()}
    gid_names = {f[2]: n for n, f in groups.items() if len(f) > 2}
    for u in accounts["users"]:
        name = u["name"]
        for group in u["supplementary-groups"]:
            gid_of(group)             # must exist
            if name not in members.get(group, []):
                p.members.append((group, name))
                members.setdefault(group, []).append(name)
        if name in users:
            _user_change(p, u, users[name], name in record["accounts"]["users"], uids,
                         users, gid_of, gid_names)
            continue
        primary = gid_of(u["group"])
        stash = record["stash"]["users"].get(name)
        uid = u.get("uid")
        if uid is None:
            uid = _returning_id(p, record, "users", name, uids, users)
            if uid is None:
                same = new_gid.get(name)
                free = same is not None and same not in uids and \
                    kept_uids.get(same, name) == name
                uid = same if free and u["system"] else \
                    _free_id(uids, kept_uids, name, u["system"])
        elif uid in uids:
            owner = next(n for n, f in users.items() if len(f) > 2 and f[2] == str(uid))
            raise AccountError(f"user {name} asks for id {uid}, which user {owner} "
                               f"already has in {db.root}/etc/passwd")
        uids.add(uid)
        p.users.append((name, uid))
        # A stashed account comes back with its id and password, and the config's fields.
        p.lines["passwd"].append((name, ":".join([
            name, "x", str(uid), str(primary), u["comment"], u["home-directory"],
            u["shell"]])))
        if stash and _id_of(stash.get("passwd")) == uid:
            p.lines["shadow"].append((name, stash["shadow"]))
        else:
            # The date of the last change is today: 0 would mean "change it at next login".
            today = int(time.time() // 86400)
            p.lines["shadow"].append(
                (name, f"{name}:{u.get('password', '!')}:{today}:0:99999:7:::"))
    declared_users = {u["name"] for u in accounts["users"]}
    for name in record["accounts"]["users"]:
        if name not in declared_users and name in users:
            p.remove_users.append(name)
    for name in record["accounts"]["groups"]:
        if name not in declared_groups and name in groups:
            p.remove_groups.append(name)
    wanted = {(g, u["name"]) for u in accounts["users"] for g in u["supplementary-groups"]}
    for group, names in record["accounts"]["members"].items():
        for user in names:
            if (group, user) not in wanted and user in members.get(group, []):
                p.remove_members.append((group, user))
    return p


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _group_change(p: AccountPlan, g: dict, fields: list[str], ours: bool, gids: set[int],
                  groups: dict, new_gid: dict) -> None:
    """An existing group whose config gives another id: rewritten if vsys made it."""
    name, gid = g["name"], g.get("id")
    if gid is None or len(fields) < 3 or fields[2] == str(gid):
        return
    if not ours:
        p.notes.append(f"group {name} exists on the host with a different id; left as is")
        return
    if gid in gids:
        owner = next((n for n, f in groups.items() if len(f) > 2 and f[2] == str(gid)),
                     None) or next((n for n, i in new_gid.items() if i == gid), "another")
        p.notes.append(f"group {name} asks for id {gid}, which group {owner} already has; "
                       f"it keeps id {fields[2]}")
        return
    gids.add(gid)
    new_gid[name] = gid
    p.change_groups.append((name, [f"id {fields[2]} -> {gid}"]))
    p.changed_lines["group"].append((name, ":".join([*fields[:2], str(gid), *fields[3:]])))


def _user_change(p: AccountPlan, u: dict, fields: list[str], ours: bool, uids: set[int],
                 users: dict, gid_of, gid_names: dict) -> None:
    """An existing user the config describes otherwise: rewritten if vsys made it,
    noted if not.  The password (in shadow) is never changed."""
    name = u["name"]
    fields = fields + [""] * (7 - len(fields))
    try:
        primary = str(gid_of(u["group"]))
    except AccountError:
        if ours:
            raise
        primary = fields[3]           # the host's user; its group is not ours to check
    new = list(fields)
    changes, differ = [], []
    for i, what, label, value, quote in (
            (4, "comment", "comment", u["comment"], True),
            (5, "home", "home directory", u["home-directory"], False),
            (6, "shell", "shell", u["shell"], False),
            (3, "group", "primary group", primary, False)):
        if fields[i] == value:
            continue
        differ.append(label)
        new[i] = value
        if i == 3:
            old_text, new_text = gid_names.get(fields[3], fields[3]), u["group"]
            if old_text == new_text:  # the group itself took a new id
                old_text, new_text = f"{old_text} ({fields[3]})", f"{new_text} ({value})"
        elif quote:
            old_text, new_text = f'"{fields[i]}"', f'"{value}"'
        else:
            old_text, new_text = fields[i], value
        changes.append(f"{what} {old_text} -> {new_text}")
    uid = u.get("uid")
    if uid is not None and fields[2] != str(uid):
        if not ours:
            differ.append("id")
        elif uid in uids:
            owner = next((n for n, f in users.items() if len(f) > 2 and f[2] == str(uid)),
                         "another")
            p.notes.append(f"user {name} asks for id {uid}, which user {owner} already has; "
                           f"it keeps id {fields[2]}")
        else:
            uids.add(uid)
            changes.append(f"id {fields[2]} -> {uid}")
            new[2] = str(uid)
    if not ours:
        if differ:
            p.notes.append(f"user {name} exists on the host with a different "
                           f"{_and(differ)}; left as is")
    elif changes:
        p.change_users.append((name, changes))
        p.changed_lines["passwd"].append((name, ":".join(new)))


def _set_members(db: Database, group: str, change) -> None:
    for name in ("group", "gshadow"):
        line = db.line(name, group)
        if line is None:
            continue
        fields = line.split(":")
        while len(fields) < 4:
            fields.append("")
        members = [m for m in fields[3].split(",") if m]
        new = change(members)
        if new != members:
            fields[3] = ",".join(new)
            db.replace(name, group, ":".join(fields))


def add(db: Database, p: AccountPlan, record: dict, accounts: dict, save) -> list[str]:
    """Append the new accounts and memberships; the home directories created."""
    for name in FILES:
        for key, line in p.lines[name]:
            db.append(name, line)
    for name, changed in p.changed_lines.items():
        for key, line in changed:
            db.replace(name, key, line)
    for key, _ in p.changed_lines.get("group", []):
        if key in record["accounts"]["groups"]:
            record["accounts"]["groups"][key]["group"] = db.line("group", key)
    for key, _ in p.changed_lines.get("passwd", []):
        if key in record["accounts"]["users"]:
            record["accounts"]["users"][key]["passwd"] = db.line("passwd", key)
    for key, _ in p.lines["group"]:
        record["accounts"]["groups"][key] = {
            "group": db.line("group", key), "gshadow": db.line("gshadow", key)}
        record["stash"]["groups"].pop(key, None)
    for key, _ in p.lines["passwd"]:
        record["accounts"]["users"][key] = {
            "passwd": db.line("passwd", key), "shadow": db.line("shadow", key)}
        record["stash"]["users"].pop(key, None)
    for group, user in p.members:
        _set_members(db, group, lambda m, u=user: m if u in m else m + [u])
        added = record["accounts"]["members"].setdefault(group, [])
        if user not in added:
            added.append(user)
    begin(db, record, save)
    return _homes(db, p, accounts)


def _homes(db: Database, p: AccountPlan, accounts: dict) -> list[str]:
    """Make the new users' home directories, given to their users when we are root: a
    sandbox root's system runs in its container with these very ids (its sshd refuses a
    home its user does not own), so the ids are the root's users, not the host's."""
    made = []
    new = {name for name, _ in p.users} | {name for name, what in p.change_users
                                           if any(w.startswith("home ") for w in what)}
    with Root(db.root) as r:
        for u in accounts["users"]:
            if u["name"] not in new or not u["create-home-directory"]:
                continue
            home = relative(u["home-directory"].lstrip("/"), "home directory")
            if r.lexists(home):
                continue
            r.makedirs(os.path.dirname(home) or ".")
            r.mkdir(home, u["home-directory-permissions"])
            fields = db.users()[u["name"]]
            if os.geteuid() == 0:
                r.chown(home, int(fields[2]), int(fields[3]))
            made.append(u["home-directory"])
    return made


def remove(db: Database, p: AccountPlan, record: dict, save) -> None:
    """Take out what vsys added and the generation no longer declares, stashing it."""
    for group, user in p.remove_members:
        _set_members(db, group, lambda m, u=user: [x for x in m if x != u])
        left = [x for x in record["accounts"]["members"].get(group, []) if x != user]
        if left:
            record["accounts"]["members"][group] = left
        else:
            record["accounts"]["members"].pop(group, None)
    for name in p.remove_users:
        record["stash"]["users"][name] = {"passwd": db.line("passwd", name),
                                          "shadow": db.line("shadow", name) or
                                          f"{name}:!:0:0:99999:7:::"}
        db.replace("passwd", name, None)
        db.replace("shadow", name, None)
        record["accounts"]["users"].pop(name, None)
    for name in p.remove_groups:
        record["stash"]["groups"][name] = {"group": db.line("group", name),
                                           "gshadow": db.line("gshadow", name)}
        db.replace("group", name, None)
        db.replace("gshadow", name, None)
        record["accounts"]["groups"].pop(name, None)
    begin(db, record, save)
