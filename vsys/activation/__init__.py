"""Activation: making a root match a generation, without losing anything.

`make_plan` compares the generation with the root as it is (its links, accounts,
directories, secrets, binfmt entries, and what its supervisor runs) and says what would
change; `apply` does it, in this order:

  repair             what a kill left: account files brought in line with the root's
                     record (see accounts.reconcile), temporaries removed
  before the switch (additive: the previous generation keeps working)
    directories      activation directories
    secrets          keys and ACL entries made when missing
    links            links for the new files whose names are free (dangling until...)
    generation-link  the profile's new system-N-link
    accounts         new users and groups appended to passwd/shadow/group, last, so that
                     an interruption before it leaves the account files as they were
  the switch
    switched         the profile's `system` link replaced with one rename: every managed
                     file shows the new generation from this instant
  after the switch (finishing touches; an interrupted run is completed by the next one)
    cleanup          links of dropped files removed, host files in the way moved aside
                     and linked, backups of names no longer managed put back
    accounts-removed accounts vsys added that the generation dropped, stashed
    binfmt           kernel entries (real root only)
    recorded         the root's record says the activation is complete
    supervisor       the supervisor loads the new services (or is started)

An interruption right after `accounts` leaves the new accounts in the files while the
previous generation is current.  The next run sees the record's `activating`: when it
activates the same generation it completes that one; when it activates another (a
reconfigure with another config, a roll-back), the interrupted one is abandoned and the
accounts it added are taken out again (the plan says so).

Setting VSYS_CRASH_AT=STEP kills the process right after STEP, and VSYS_CRASH_AT=@N at
the N-th write, rename or other change under the root (see vsys.crash): tests use it to
show that every interruption leaves a root that works and that the next run repairs.
Everything under the root is touched through vsys.rootfs, never by path.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field

from .. import crash, state
from .. import root_record as rec
from ..container import ContainerError
from ..container import pending as pending_changes
from ..container.launch import start
from ..container.mounts import link_var_run
from ..dsl.api import eval_string, with_big_stack
from ..dsl.errors import SchemeError
from ..generations import Profile
from ..rootfs import Root, UnsafeRoot
from ..runner_spec import RunnerSpecError, load_directory
from ..shepherd import binfmt as kernel
from ..shepherd import protocol
from ..shepherd.client import HerdError, call, stop_root
from ..shepherd.protocol import request
from ..shepherd.service import spec_digest
from ..stdlib.guix_modules import config_module
from . import accounts as accts
from . import links
from . import steps as act_steps

STEPS = ("directories", "secrets", "links", "generation-link", "accounts", "switched",
         "cleanup", "accounts-removed", "binfmt", "recorded", "supervisor")
BEFORE_SWITCH = STEPS[:STEPS.index("switched")]
CRASH_STATUS = crash.STATUS


def reached(step: str) -> None:
    """Die here when asked to (see the module docstring and vsys.crash)."""
    crash.point(step)


class ActivationError(Exception):
    pass


def _json(path: str) -> dict | list:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


@dataclass
class ServicePlan:
    supervisor: str = "absent"        # "running", "absent" (will be started), "skipped"
    start: list[str] = field(default_factory=list)
    restart: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)    # changed, not restarted
    stop: list[str] = field(default_factory=list)       # removed, running: stopped
    drop: list[str] = field(default_factory=list)       # removed, not running
    reload: bool = False

    @property
    def empty(self) -> bool:
        return not (self.start or self.restart or self.stop or self.drop or self.pending
                    or self.reload or self.supervisor == "absent")


@dataclass
class BinfmtPlan:
    where: str                                   # "kernel", "sandbox" or "skipped: why"
    add: list[str] = field(default_factory=list)
    remove: list[str] = field(default_factory=list)
    entries: dict[str, str] = field(default_factory=dict)


@dataclass
class Plan:
    root: str
    sandbox: bool
    profile: Profile
    old: object                        # Generation or None
    new_path: str
    number: int | None                 # an existing generation's number, or None: a new one
    manifest: dict
    links: links.LinkPlan
    accounts: accts.AccountPlan
    account_data: dict
    directories: list[str]
    secrets: list[str]
    scheme: list[dict]
    steps: list[dict]
    binfmt: BinfmtPlan
    services: ServicePlan
    record: dict
    abandoned: dict | None = None      # an interrupted activation of another generation
    repairs: list[str] = field(default_factory=list)   # what an interrupted run left
    share_net: bool = False            # the container shares the host's network

    @property
    def same_generation(self) -> bool:
        return self.old is not None and os.path.realpath(self.old.path) == \
            os.path.realpath(self.new_path)

    @property
    def noop(self) -> bool:
        lp, ap = self.links, self.accounts
        return (self.same_generation and not (lp.add or lp.change or lp.remove or
                                              lp.conflicts or lp.late or lp.restore)
                and not (ap.groups or ap.users or ap.members or ap.remove_users or
                         ap.remove_groups or ap.remove_members or ap.change_users or
                         ap.change_groups)
                and not self.directories and not self.secrets
                and not (self.binfmt.add or self.binfmt.remove)
                and self.services.empty and not self.record.get("activating")
                and not self.abandoned and not self.repairs)


def _binfmt_plan(root: str, sandbox: bool, generation: str, manifest: dict,
                 record: dict) -> BinfmtPlan:
    entries = {}
    for conf in manifest.get("binfmt", []):
        with open(os.path.join(generation, "binfmt.d", conf), encoding="utf-8") as f:
            entries[conf[:-len(".conf")]] = f.read().strip()
    if sandbox or root != "/":
        return BinfmtPlan("sandbox", entries=entries)
    if os.geteuid() != 0:
        return BinfmtPlan("skipped: registering with the kernel needs root", entries=entries)
    if not os.path.exists(os.path.join(kernel.KERNEL_DIR, "register")):
        return BinfmtPlan(f"skipped: binfmt_misc is not mounted on {kernel.KERNEL_DIR}",
                          entries=entries)
    present = {e.name for e in kernel.entries(kernel.KERNEL_DIR)}
    return BinfmtPlan("kernel", add=[n for n in entries if n not in present],
                      remove=[n for n in record["binfmt"] if n not in entries and n in present],
                      entries=entries)


def _service_plan(root: str, services_dir: str, restart: bool, supervise: bool) -> ServicePlan:
    if not supervise:
        return ServicePlan("skipped")
    new = load_directory(services_dir)
    auto = [n for n, s in new.items() if s.auto_start and not s.host_milestone]
    try:
        status = call(root, request("status"), timeout=30)
    except HerdError:
        return ServicePlan("absent", start=auto)
    old_dir = status.get("services-dir") or ""
    running = {s["name"]: s["status"] for s in status.get("services", [])}
    try:
        old = load_directory(old_dir) if old_dir else {}
    except RunnerSpecError:
        old = {}
    plan = ServicePlan("running")
    plan.reload = os.path.realpath(old_dir) != os.path.realpath(services_dir)
    up = ("running", "starting")
    changed = [n for n, s in new.items() if n in old and spec_digest(s) != spec_digest(old[n])
               and not s.host_milestone]
    # Behind an unchanged spec: a service that failed (its program may be installed now)
    # starts again, and one whose program, files or environment changed restarts.
    known = {s["name"]: s for s in status.get("services", [])}
    try:    # resolved by the supervisor, which sees the files as its services do
        now = call(root, request("resolutions", **{"services-dir": services_dir}), timeout=30)
    except HerdError:
        now = {}
    retry = [n for n in auto if n in old and n not in changed and
             known.get(n, {}).get("failed") and known[n].get("status") == "stopped"]
    changed += [n for n, s in new.items() if n in old and n not in changed and
                known.get(n, {}).get("status") == "running" and known[n].get("resolved")
                and n in now and now[n] != known[n]["resolved"]]
    plan.start = [n for n in auto if n not in old] + retry
    plan.reload = plan.reload or bool(retry) or bool(changed)
    busy = [n for n in changed if running.get(n) in up]
    if restart:
        plan.restart = busy
    else:
        plan.pending = busy
    removed = sorted(n for n in old if n not in new and not old[n].host_milestone)
    plan.stop = [n for n in removed if running.get(n) in up]
    plan.drop = [n for n in removed if running.get(n) not in up]
    return plan


def make_plan(root: str, generation: str, number: int | None = None, restart: bool = True,
              supervise: bool = True) -> Plan:
    """What activating GENERATION (a store path; NUMBER when it is an existing
    generation of the root's profile) into ROOT would change."""
    root = os.path.realpath(root)
    sandbox = root != "/"        # any other root gets the kernel's part as files
    profile = Profile(root)
    old = profile.current()
    manifest = _json(os.path.join(generation, "manifest.json"))
    record = rec.load(root)
    new_links = links.desired(manifest, profile.current_link, sandbox)
    step_list = act_steps.unique(_json(os.path.join(generation, "activation.json")))
    account_data = _json(os.path.join(generation, "accounts.json"))
    # Before anything is written: nothing may lead out of a sandbox root.
    for rel in [*new_links, "etc/passwd", rec.PATH,
                *(os.path.join(s[k].strip("/"), "x") for s in step_list for k in s
                  if k in act_steps.PATH_FIELDS),
                *(u["home-directory"].strip("/") for u in account_data["users"])]:
        links.check_inside(root, os.path.join(root, rel))
    previous = set(record["links"])
    if old is not None:
        previous |= set(links.desired(old.manifest(), profile.current_link, sandbox))
    link_plan = links.survey(root, new_links, old.path if old else None, generation,
                             previous, record, profile.current_link)
    abandoned = _abandoned(record, generation)
    if abandoned:
        record["activating"] = None       # this run does not complete it: it undoes it
    repairs = repair(root, record, dry=True)
    account_plan = accts.plan(accts.Database(root), account_data, record)
    if abandoned:
        account_plan.notes.insert(0, _abandoned_note(abandoned))
    directories, secrets, scheme = [], [], []
    for step in step_list:
        what = act_steps.needed(root, step, record)
        if step["kind"] == "scheme":
            scheme.append(step)
        elif what and step["kind"] == "directory":
            directories.append(step["path"])
        elif what:
            secrets.append(what)
    return Plan(root, sandbox, profile, old, generation, number, manifest, link_plan,
                account_plan, account_data, directories, secrets, scheme, step_list,
                _binfmt_plan(root, sandbox, generation, manifest, record),
                _service_plan(root, os.path.join(generation, "services"), restart, supervise),
                record, abandoned, repairs)


def repair(root: str, record: dict, dry: bool = False) -> list[str]:
    """Undo what a kill left half-done: the account files brought in line with the
    record, and temporaries left next to the files activation writes removed."""
    said = accts.reconcile(root, record, lambda data: rec.save(root, data), dry)
    with Root(root) as r:
        dirs = {os.path.dirname(rel) for rel in record["links"]} | {
            os.path.dirname(rec.PATH), "etc"}
        old = accts.OLD_TEMPORARIES + ("root.json.tmp",) + tuple(
            os.path.basename(x) + ".vsys-new" for x in record["links"])
        for d in sorted(dirs):
            for rel in r.sweep(d, old, dry):
                said.append(f"remove /{rel}, left by an interrupted run")
    return said


def _abandoned(record: dict, generation: str) -> dict | None:
    """The record's interrupted activation when it stopped before its switch and this
    run activates another generation: that one never became current."""
    was = record.get("activating")
    if not was or was.get("step") not in ("started", *BEFORE_SWITCH):
        return None
    if os.path.realpath(was.get("generation") or "") == os.path.realpath(generation):
        return None
    return was


def _abandoned_note(was: dict) -> str:
    return (f"the activation of {was.get('generation')} was interrupted before its "
            f"switch (after step `{was.get('step')}`) and is abandoned: accounts it "
            f"added are taken out again")


# --- doing it ------------------------------------------------------------------------------------

@dataclass
class Outcome:
    number: int = 0
    homes: list[str] = field(default_factory=list)
    binfmt: list[str] = field(default_factory=list)
    scheme: list[str] = field(default_factory=list)
    container: list[str] = field(default_factory=list)
    supervisor: dict = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)


def apply(plan: Plan, restart: bool = True, progress=None) -> Outcome:
    """Carry PLAN out (see the module docstring).  The caller holds the state lock."""
    say = progress or (lambda text: None)
    root, record = plan.root, plan.record
    out = Outcome()
    repair(root, record)
    record["activating"] = {"generation": plan.new_path, "step": "started"}
    rec.save(root, record)
    created: list[str] = []
    try:
        say("directories")
        if os.path.realpath(root) != "/":
            link_var_run(root)
        for step in plan.steps:
            if step["kind"] == "directory":
                act_steps.run(root, step, record)
        _done(root, record, "directories")
        say("secrets")
        for step in plan.steps:
            if act_steps.is_secret(step):
                act_steps.run(root, step, record)
        _done(root, record, "secrets")
        say("links")
        with Root(root) as r:
            created = [rel for rel in plan.links.add if not r.lexists(rel)]
        links.before_switch(root, plan.links, record, plan.profile.current_link)
        _done(root, record, "links")
        number = plan.number
        if number is None:
            number = plan.profile.add(plan.new_path).number
        _done(root, record, "generation-link")
        say("accounts")
        db = accts.Database(root)
        with accts.locked(root):
            fresh = accts.plan(db, plan.account_data, record)   # under the lock, again
            out.homes = accts.add(db, fresh, record, plan.account_data,
                                  lambda data: rec.save(root, data))
        _done(root, record, "accounts")
    except BaseException:
        _undo_links(root, created, plan)
        raise
    say("switch")
    plan.profile.switch(number)
    out.number = number
    _done(root, record, "switched")
    say("cleanup")
    links.after_switch(root, plan.links, record, plan.profile.current_link)
    _done(root, record, "cleanup")
    db = accts.Database(root)
    with accts.locked(root):
        accts.remove(db, accts.plan(db, plan.account_data, record), record,
                     lambda data: rec.save(root, data))
    _done(root, record, "accounts-removed")
    out.binfmt = _binfmt(plan, record)
    _done(root, record, "binfmt")
    out.scheme = _scheme(plan, out)
    record["activating"] = None
    rec.save(root, record)
    reached("recorded")
    if plan.services.supervisor != "skipped":
        say("supervisor")
        out.supervisor = _supervise(plan, restart, out)
    reached("supervisor")
    return out


def _done(root: str, record: dict, step: str) -> None:
    record["activating"]["step"] = step
    rec.save(root, record)
    reached(step)


def _undo_links(root: str, created: list[str], plan: Plan) -> None:
    """A failure before the switch: take back the links made for the new generation."""
    r = Root(root)
    for rel in created:
        if links.is_ours(r, rel, plan.profile.current_link) and not r.exists(rel):
            try:
                r.unlink(rel)
            except (OSError, UnsafeRoot):
                pass


def _binfmt(plan: Plan, record: dict) -> list[str]:
    bp = plan.binfmt
    if bp.where != "kernel":
        return []
    done = []
    for name in bp.remove:
        kernel.unregister(kernel.KERNEL_DIR, name)
        done.append(f"-{name}")
    for name in bp.add:
        kernel.register(kernel.KERNEL_DIR, bp.entries[name])
        done.append(f"+{name}")
    record["binfmt"] = sorted(set(record["binfmt"]) - set(bp.remove) | set(bp.add))
    return done


def _scheme(plan: Plan, out: Outcome) -> list[str]:
    """Activation snippets written in Scheme run for the real root only: in a sandbox
    they would act on the host."""
    if not plan.scheme:
        return []
    if plan.root != "/":
        return [f"skipped {len(plan.scheme)} Scheme activation snippet(s): they run with "
                f"--root / only"]
    said = []
    for step in plan.scheme:
        try:
            with_big_stack(eval_string, step["code"], config_module(), "<activation>")
            said.append("ran a Scheme activation snippet")
        except SchemeError as e:
            out.failures.append(f"activation snippet failed: {e}")
    return said


def _supervise(plan: Plan, restart: bool, out: Outcome) -> dict:
    services_dir = os.path.join(plan.new_path, "services")
    sp = plan.services
    if sp.supervisor == "running":
        if plan.root != "/":
            out.container = pending_changes(plan.root, plan.new_path)
        if not sp.reload:
            return {"no-reload": True}
        try:
            result = call(plan.root, request("reload", **{"services-dir": services_dir,
                                                          "restart": restart}))
        except HerdError as e:
            out.failures.append(f"the supervisor did not load the new services: {e}")
            return {}
        fresh = list(dict.fromkeys(list(result.get("started", [])) +
                                   list(result.get("restarted", [])) +
                                   list(result.get("still-starting", []))))
        if fresh:
            _, failed, pending = _settle(plan.root, fresh)
            result["failed"] = {**result.get("failed", {}), **failed}
            for key in ("started", "restarted"):
                if key in result:
                    result[key] = [n for n in result[key] if n not in failed and
                                   n not in pending]
            result["still-starting"] = pending
        return result
    if plan.root != "/":        # a sandbox root's system runs in its container
        try:
            start(plan.root, services_dir, daemonize=True, share_net=plan.share_net,
                  say=out.container.append,     # what the container is, how to enter it
                  connect=protocol.connect, stop_root=stop_root)
        except ContainerError as e:
            out.failures.append(f"could not start the supervisor: {e}")
            return {}
    else:
        command = [sys.executable, "-m", "vsys", "shepherd", "--root", plan.root,
                   "--services", services_dir, "--daemonize"]
        done = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True,
                              text=True, timeout=120)
        if done.returncode != 0:
            out.failures.append("could not start the supervisor: " +
                                (done.stderr.strip() or f"exit status {done.returncode}"))
            return {}
    # A supervisor that went without a word (kill -9) left its processes: the new one
    # adopted those still as defined and ended the others; their restarts are waited for.
    # (A container's processes end with its supervisor, so there it finds none.)
    try:
        recovered = call(plan.root, request("status"), timeout=30).get("recovered") or {}
    except HerdError:
        recovered = {}
    adopted = [n for n in recovered.get("adopted", []) if n in sp.start]
    again = list(recovered.get("restarted", []))
    started, failed, pending = _settle(plan.root, list(dict.fromkeys(
        [n for n in sp.start if n not in adopted] + again)))
    return {"supervisor-started": True,
            "started": [n for n in started if n not in again],
            "adopted": adopted, "restarted": [n for n in started if n in again],
            "stopped": list(recovered.get("stopped", [])),
            "failed": failed, "still-starting": pending,
            "log": os.path.join(state.log_dir(plan.root), "shepherd.log")}


SETTLE_SECONDS = 10.0
# How long a just-started service is watched: one that exits at once is respawned and
# disabled ("respawning too fast") within that time, and must not be reported started.
YOUNG_SECONDS = 1.5


def _settle(root: str, names: list[str]) -> tuple[list[str], dict, list[str]]:
    """Wait a little for the services NAMES a supervisor has just started, so the summary
    can say which came up and why others did not, instead of promising they will.  A VM
    waiting for its guest's handshake may take minutes: it is reported as starting."""

    def gave_up(s: dict) -> bool:         # failed to start, or disabled for respawning
        return bool(s.get("failed")) or (not s.get("enabled", True) and
                                         s.get("status") != "running")

    def settled(s: dict) -> bool:         # up for a while, done, or given up
        return (gave_up(s) or s.get("status") == "done" or
                (s.get("status") == "running" and
                 time.time() - (s.get("since") or 0) >= YOUNG_SECONDS))

    now = time.monotonic()
    deadline, young_until = now + SETTLE_SECONDS, now + YOUNG_SECONDS
    services: dict = {}
    while True:
        try:
            result = call(root, request("status"), timeout=5)
        except HerdError:
            return [], {}, list(names)
        services = {s["name"]: s for s in result["services"]}
        pending = [n for n in names if services.get(n, {}).get("status") == "starting"]
        unsettled = [n for n in names if n in services and not settled(services[n])]
        if time.monotonic() > deadline or not (
                pending or (unsettled and time.monotonic() < young_until)):
            break
        time.sleep(0.1)
    failed = {n: services[n].get("message") or "see herd status " + n for n in names
              if n in services and gave_up(services[n])}
    started = [n for n in names if n not in failed
               and services.get(n, {}).get("status") in ("running", "done")]
    return started, failed, pending
