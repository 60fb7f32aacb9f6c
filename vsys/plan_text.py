"""The text of an activation: the plan printed before anything changes, and the summary
of what changed after."""

from __future__ import annotations

import os

from . import state
from .roots import root_label


def plan_lines(plan, generation_text: str) -> list[str]:
    lines = [f"root: {root_label(plan.root)}", f"generation: {generation_text}"]
    if plan.repairs:
        lines += ["left by an interrupted run (repaired first):",
                  *[f"  ! {what}" for what in plan.repairs]]
    lp = plan.links
    files = ([f"  + {r}" for r in sorted(lp.add + lp.late) if r != "run/current-system"]
             + [f"  ~ {r}" for r in lp.change if r != "run/current-system"]
             + [f"  - {r}" for r in lp.remove if r != "run/current-system"]
             + [f"  > {r}: not vsys's; moved aside to {b}" for r, b in lp.conflicts.items()]
             + [f"  < {b}: put back as {r}" for b, r in plan.links.restore.items()])
    if files:
        lines += ["files under the root:", *files]
    ap = plan.accounts
    if len(ap.groups) > 5:          # a new root gets the base groups: one wrapped entry
        groups = wrap_items(f"  + {len(ap.groups)} groups: ",
                            [f"{n} ({i})" for n, i in ap.groups], 92, "      ")
    else:
        groups = [f"  + group {n} (id {i})" for n, i in ap.groups]
    account_lines = (groups
                     + [f"  ~ group {n}: {', '.join(w)}" for n, w in ap.change_groups]
                     + [f"  + user {n} (id {i})" for n, i in ap.users]
                     + [f"  ~ user {n}: {', '.join(w)}" for n, w in ap.change_users]
                     + [f"  + {u} joins {', '.join(gs)}" for u, gs in _by_user(ap.members)]
                     + [f"  - user {n} (stashed: coming back restores it)" for n in ap.remove_users]
                     + [f"  - group {n} (stashed)" for n in ap.remove_groups]
                     + [f"  - {u} leaves group {g}" for g, u in ap.remove_members]
                     + [f"  ! {note}" for note in ap.notes])
    if account_lines:
        lines += ["accounts:", *account_lines]
    if plan.directories:
        lines += ["directories to create:", *[f"  + {d}" for d in plan.directories]]
    if plan.secrets:
        lines += ["secrets to create:", *[f"  + {s}" for s in plan.secrets]]
    bp = plan.binfmt
    if bp.entries or bp.remove:
        if bp.where == "sandbox":
            where = (f"written to {os.path.join(plan.root, 'etc/binfmt.d')} (a sandbox root: "
                     f"the kernel's binfmt_misc is not touched)")
            names = ", ".join(bp.entries)
        elif bp.where == "kernel":
            where = "registered with the kernel (/proc/sys/fs/binfmt_misc/register)"
            names = ", ".join([f"+{n}" for n in bp.add] + [f"-{n}" for n in bp.remove]) \
                or "already registered"
        else:
            where, names = bp.where, ", ".join(bp.entries)
        lines.append(f"binfmt entries: {names}: {where}")
    sp = plan.services
    if sp.supervisor == "skipped":
        lines.append("services: not loaded (--no-supervisor)")
    else:
        service_lines = []
        for label, names in (("start", sp.start), ("restart", sp.restart),
                             ("stop", sp.stop), ("remove (not running)", sp.drop),
                             ("changed, not restarted (--no-restart)", sp.pending)):
            if names:
                service_lines.append(f"  {label}: {', '.join(names)}")
        if sp.supervisor == "absent":
            service_lines.append("  no supervisor runs for this root: one will be started")
        if service_lines:
            lines += ["services:", *service_lines]
    if plan.root == "/" and not _reachable_by_all(state.state_dir()):
        lines.append(f"warning: {state.state_dir()} is not reachable by other users (a "
                     f"directory on its way is not searchable by all), so they cannot read "
                     f"the /etc files linked into it: set VSYS_STATE_DIR to a directory such "
                     f"as /var/lib/vsys")
    if plan.record.get("activating"):
        lines.append(f"note: the previous activation was interrupted after step "
                     f"`{plan.record['activating'].get('step')}`; this one completes it")
    return lines


def wrap_items(head: str, items: list[str], width: int, indent: str) -> list[str]:
    """HEAD then ITEMS separated by commas, in lines of at most WIDTH characters (unless
    one item is longer), each after the first starting with INDENT.  Lines break only
    between items: a name such as build-vm-build-vm or an id stays whole."""
    lines, line = [], head
    for k, item in enumerate(items):
        text = item + ("," if k < len(items) - 1 else "")
        if line != head and len(line) + 1 + len(text) > width:
            lines.append(line)
            line = indent + text
        else:
            line += ("" if line == head else " ") + text
    return lines + [line]


def _by_user(pairs: list[tuple[str, str]]) -> list[tuple[str, list[str]]]:
    users: dict[str, list[str]] = {}
    for group, user in pairs:
        users.setdefault(user, []).append(group)
    return list(users.items())


def _reachable_by_all(path: str) -> bool:
    path = os.path.realpath(path)
    while True:
        try:
            if not os.stat(path).st_mode & 0o001:
                return False
        except FileNotFoundError:
            pass
        parent = os.path.dirname(path)
        if parent == path:
            return True
        path = parent


def summary_lines(plan, outcome, before) -> list[str]:
    lp, ap = plan.links, plan.accounts
    was = f" (previously {before.number})" if before is not None else ""
    lines = [f"switched to generation {outcome.number}{was}"]

    def count(rels: list[str]) -> int:
        return len([r for r in rels if r != "run/current-system"])
    parts = [f"{n} {what}" for n, what in ((count(lp.add + lp.late), "added"),
                                            (count(lp.change), "changed"),
                                            (count(lp.remove), "removed")) if n]
    if lp.conflicts:
        parts.append(f"{len(lp.conflicts)} moved aside (" + ", ".join(
            f"{r} -> {b}" for r, b in lp.conflicts.items()) + ")")
    if lp.restore:
        parts.append(f"{len(lp.restore)} put back")
    lines.append("files: " + (", ".join(parts) if parts else "unchanged"))
    counts = [count_of(n, noun) + f" {verb}" for n, noun, verb in (
        (len(ap.groups), "group", "added"), (len(ap.users), "user", "added"),
        (len(ap.members), "membership", "added"), (len(ap.change_groups), "group", "changed"),
        (len(ap.change_users), "user", "changed"), (len(ap.remove_groups), "group", "removed"),
        (len(ap.remove_users), "user", "removed"),
        (len(ap.remove_members), "membership", "removed")) if n]
    if counts:
        lines.append("accounts: " + ", ".join(counts))
    if plan.directories or plan.secrets:
        made = [count_of(n, noun) for n, noun in ((len(plan.directories), "directory"),
                                                   (len(plan.secrets), "secret")) if n]
        lines.append("created: " + ", ".join(made))
    if outcome.homes:
        lines.append("home directories: " + ", ".join(outcome.homes))
    if outcome.binfmt:
        lines.append("binfmt: " + ", ".join(outcome.binfmt))
    lines += outcome.scheme
    sup = outcome.supervisor
    if sup.get("supervisor-started"):
        said = [f"{what} {', '.join(sup[key])}" for key, what in (
            ("started", "started"), ("still-starting", "still starting:"),
            ("adopted", "adopted the running"),
            ("restarted", "restarted (changed while no supervisor ran)"),
            ("stopped", "stopped (no longer defined)")) if sup.get(key)]
        failed = sup.get("failed") or {}
        if failed:
            said.append("could not start " + ", ".join(failed))
        lines.append("supervisor: started for this root; " +
                     ("; ".join(said) if said else "no service to start")
                     + f" (log: {sup['log']})")
        lines.extend(_failure_lines(failed))
    elif sup.get("no-reload"):
        lines.append("supervisor: services unchanged")
    elif sup:
        restarted = sup.get("restarted") or []
        stopped = sup.get("stopped") or []
        sup = dict(sup, started=[n for n in sup.get("started") or [] if n not in restarted])
        said = [f"{what} {', '.join(sup[key])}" for key, what in (
            ("started", "started"), ("restarted", "restarted"), ("stopped", "stopped"),
            ("still-starting", "still starting:"),
            ("pending-restart", "changed but not restarted (--no-restart):"))
            if sup.get(key)]
        # The supervisor reports the removed services it stopped; the others it just
        # forgot, and the user is told they are gone all the same.
        dropped = [n for n in plan.services.stop + plan.services.drop if n not in stopped]
        if dropped:
            said.append(f"removed {', '.join(sorted(dropped))} (not running)")
        failed = sup.get("failed") or {}
        if failed:
            said.append("could not start " + ", ".join(failed))
        lines.append("supervisor: " + ("; ".join(said) if said else "nothing to start, "
                                       "restart or stop"))
        lines.extend(_failure_lines(failed))
    elif plan.services.supervisor == "skipped":
        lines.append("supervisor: not told (--no-supervisor)")
    lines += outcome.container
    for failure in outcome.failures:
        lines.append(f"error: {failure}")
    return lines


def count_of(n: int, noun: str) -> str:
    """'1 group', '3 groups', '2 directories'."""
    if n == 1:
        return f"1 {noun}"
    return f"{n} {noun[:-1] + 'ies' if noun.endswith('y') else noun + 's'}"


def _failure_lines(failed: dict) -> list[str]:
    lines = []
    for name, why in failed.items():
        why = why.removeprefix(f"cannot start {name}: ")
        lines.append(f"  failed to start {name}: {why}")
    return lines
