"""`vsys shepherd`: the supervisor of one root.

It loads runner specs, starts services along their requirements, watches their
processes, answers `vsys herd` on a Unix socket, and saves what runs so that a later
supervisor adopts the processes instead of starting them twice.  Ending the
supervisor (SIGTERM, SIGINT) leaves the services running; `herd stop root` stops them
all and then the supervisor.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback

from .. import state
from ..rootfs import UnsafeRoot
from ..runner_spec import RunnerSpec, RunnerSpecError, load_directory
from . import herd_command, protocol, qmp, runners
from .clients import SEND_TIMEOUT, Clients
from .graph import GraphError, start_order, stop_order
from .logs import LogWriter, stamp, tail
from .monitor import Monitor
from .process import StartError, beneath, exit_description, same_process
from .rootfiles import RootFile
from .runners import last_words
from .service import DONE, RUNNING, STARTING, STOPPED, STOPPING, Job, Service, spec_digest

SAVE_INTERVAL = 0.01         # at most this often is the state file rewritten
POLL = 0.1                   # how often a waiting start looks whether it was cancelled
MAX_COUNT = 1_000_000        # log lines, mcron runs: more is no sensible request

# How long a reload waits for the starts it began before answering.
RELOAD_WAIT = 5.0

# The commands that take arguments after the service name; the others refuse any.
TAKE_ARGS = ("schedule", "action")


class Refused(Exception):
    """A request that cannot be carried out: KIND and message go back to the client."""

    def __init__(self, kind: str, message: str, candidates: list[str] | None = None):
        super().__init__(message)
        self.kind = kind
        self.candidates = candidates or []


class Supervisor:
    def __init__(self, root: str, services_dir: str | None, quiet: bool = False,
                 contained: bool = False):
        self.root = os.path.realpath(root)
        # In its container the root is the supervisor's `/` (vsys.container): a pid file
        # or socket is where the program puts it.  ROOT still names the state it keeps.
        self.top = "/" if contained else self.root
        self.run_dir = state.run_dir(self.root, create=True)
        self.log_dir = state.log_dir(self.root, create=True)
        self.state_file = os.path.join(self.run_dir, "state.json")
        self.services_dir = services_dir
        self.quiet = quiet
        self.services: dict[str, Service] = {}
        self.provider: dict[str, str] = {}
        # Guards every change of a service's status; starts and stops happen outside it,
        # each on its client's or its own thread, so that none waits for another.
        self.cond = threading.Condition(threading.RLock())
        self.reload_lock = threading.Lock()      # one reload at a time
        self.save_lock = threading.Lock()
        self.save_wanted = threading.Condition(self.save_lock)
        self.write_lock = threading.Lock()
        self.dirty = False
        self.saver: threading.Thread | None = None
        self.monitor = Monitor()
        self.stopping = threading.Event()
        self.server: socket.socket | None = None
        # Why a service the supervisor itself disabled was disabled (a user's disable
        # needs no reason; a failed start is no reason to name when it is disabled).
        self.disabled_why: dict[str, str] = {}
        # What adoption ended: processes of services no longer defined, and of services
        # whose start is redone (changed, or never confirmed).
        self.recovered: dict[str, list[str]] = {"adopted": [], "stopped": [],
                                                "restarted": []}

    # ---- helpers used by the runners ------------------------------------------------

    def root_path(self, path: str) -> str:
        """PATH (a spec's, in the root's terms) resolved beneath the root the supervisor
        sees (`/` inside a container): `..` and links leading out of it are refused
        (StartError)."""
        return beneath(self.top, path)

    def say(self, text: str) -> None:
        if not self.quiet:
            sys.stderr.write(f"{stamp()} shepherd: {text}\n")
            sys.stderr.flush()

    def _writer(self, svc: Service) -> LogWriter:
        writer = getattr(svc, "writer", None)
        if writer is None:
            st = svc.spec.start
            # A spec's log file is opened beneath the root at each write (see rootfiles).
            where = RootFile(self.top, st.log_file) if st.log_file else \
                os.path.join(self.log_dir, runners.safe_name(svc.name) + ".log")
            writer = svc.writer = LogWriter(where)
            svc.log_path = writer.path
        return writer

    def log_line(self, svc: Service, text: str) -> None:
        try:
            self._writer(svc).line(text)
        except (OSError, StartError) as e:
            self.say(f"cannot write the log of {svc.name}: {e}")

    def follow_output(self, svc: Service, fd: int) -> None:
        writer = self._writer(svc)
        self.monitor.watch_output(fd, writer.feed, writer.flush)

    def watch(self, svc: Service, pid: int) -> None:
        if not self.monitor.watch_process(pid, lambda p, status: self._exited(svc, p, status)):
            self._exited(svc, pid, None)

    # ---- loading and adopting ---------------------------------------------------------

    def load(self, services_dir: str) -> dict[str, RunnerSpec]:
        return load_directory(services_dir)

    def install(self, specs: dict[str, RunnerSpec]) -> None:
        self.services = {}
        for name, spec in specs.items():
            self.services[name] = Service(spec)
        self._index()

    def _index(self) -> None:
        self.provider = {}
        for name, svc in self.services.items():
            for p in svc.spec.provision:
                self.provider[p] = name

    def saved_state(self) -> dict:
        try:
            with open(self.state_file) as f:
                data = json.load(f)
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def adopt(self, saved: dict) -> list[str]:
        """Take over the processes a previous supervisor recorded as running, and end
        those it cannot vouch for: of a service no longer defined, of a start it never
        confirmed, or given a command that has changed since (those start again)."""
        adopted = []
        for name, rec in (saved.get("services") or {}).items():
            svc = self.services.get(name)
            pid = rec.get("pid")
            alive = pid is not None and same_process(pid, rec.get("proc-start"))
            if svc is None:
                if alive:
                    self._end_left(name, rec, "it is no longer defined")
                    self.recovered["stopped"].append(name)
                continue
            if svc.spec.host_milestone:
                continue
            svc.enabled = rec.get("enabled", True)
            svc.last_exit = rec.get("last-exit")
            if rec.get("starting") and alive:
                self._end_left(name, rec, "its start was never confirmed")
                self.recovered["restarted"].append(name)
                continue
            if rec.get("status") not in (RUNNING, DONE):
                continue
            if pid is None:                       # binfmt, none, one-shot done
                svc.status = rec["status"]
                svc.since = rec.get("since")
                svc.command = rec.get("command") or []
                adopted.append(name)
                continue
            if not alive:
                svc.last_exit = {"text": "exited while no supervisor was running",
                                 "status": None, "at": None}
                self.say(f"{name} (pid {pid}) ended while no supervisor was running")
                continue
            if rec.get("digest") != svc.digest or (
                    rec.get("resolved") is not None and
                    rec["resolved"] != runners.resolution(svc.spec)):
                self._end_left(name, rec, "its definition changed")
                self.recovered["restarted"].append(name)
                continue
            svc.pid, svc.proc_start = pid, rec.get("proc-start")
            svc.leads_group = rec.get("leads-group", False)
            svc.since, svc.command = rec.get("since"), rec.get("command") or []
            svc.qmp_socket, svc.fifo = rec.get("qmp-socket"), rec.get("fifo")
            svc.resolved = rec.get("resolved")
            svc.status = RUNNING
            svc.exited.clear()
            fd = runners.reopen_output(svc)
            if fd is not None:
                self.follow_output(svc, fd)
            self.watch(svc, pid)
            adopted.append(name)
        self.recovered["adopted"] = list(adopted)
        return adopted

    def _end_left(self, name: str, rec: dict, why: str) -> None:
        """End a process a previous supervisor left that this one will not adopt."""
        pid = rec["pid"]
        self.say(f"stopping {name} (pid {pid}), left by the previous supervisor: {why}")
        runners.end_process(pid, rec.get("proc-start"), rec.get("leads-group", False))

    def save(self) -> None:
        """Have the state written soon: at once when the writer is idle, else right after
        the write under way (a burst of starts makes a few writes, not one each)."""
        with self.save_lock:
            self.dirty = True
            if self.saver is None:
                self.saver = threading.Thread(target=self._saving, name="save", daemon=True)
                self.saver.start()
            self.save_wanted.notify()

    def _saving(self) -> None:
        while True:
            with self.save_lock:
                self.save_wanted.wait_for(lambda: self.dirty)
                self.dirty = False
            try:
                self.flush()
            except OSError as e:
                self.say(f"cannot save the state: {e}")
            time.sleep(SAVE_INTERVAL)

    def flush(self) -> None:
        """Write the state now."""
        with self.write_lock:
            data = {"version": 0, "root": self.root, "services-dir": self.services_dir,
                    "supervisor": os.getpid(),
                    "services": {n: s.saved() for n, s in self.services.items()
                                 if not s.spec.host_milestone}}
            tmp = self.state_file + ".tmp"
            with open(tmp, "w") as f:
                json.dump(data, f)
            os.replace(tmp, self.state_file)

    # ---- process exits ----------------------------------------------------------------

    def _exited(self, svc: Service, pid: int, status: int | None) -> None:
        if svc.pid != pid:
            return
        if svc.child is not None and svc.child.pid == pid:
            svc.child.returncode = status if status is not None else -1
            svc.child = None
        runners.sweep_group(svc, pid)
        text = exit_description(status)
        with self.cond:
            svc.last_exit = {"text": text, "status": status, "at": time.time()}
            was = svc.status
            if was in (RUNNING, STOPPING):
                svc.status = STOPPED
                svc.pid = None
            svc.exited.set()
            self.cond.notify_all()
        if svc.fifo:
            try:
                os.unlink(svc.fifo)
            except OSError:
                pass
        if was == STOPPING:
            self.log_line(svc, f"[shepherd] stopped: process {pid} {text}")
        if was == RUNNING and not svc.spec.one_shot:
            self.log_line(svc, f"[shepherd] process {pid} {text}")
            self.say(f"{svc.name}: process {pid} {text}")
            if svc.spec.respawn and svc.enabled and not self.stopping.is_set() \
                    and not self._too_fast(svc):
                self.log_line(svc, "[shepherd] respawning")
                self._begin(svc)
        self.save()

    def _too_fast(self, svc: Service) -> bool:
        """Count a respawn of SVC; past the limit, disable it and say so, with why it
        kept exiting (its last run's own words) first."""
        if not svc.too_fast(time.monotonic()):
            return False
        exit_text = (svc.last_exit or {}).get("text", "exited")
        # The message first: whoever sees the service disabled reads why.
        svc.message = (f"it {exit_text}{last_words(svc)}; respawning too fast (more than 5 "
                       f"times in 7 seconds): disabled; `vsys herd enable {svc.name}` then "
                       f"start it again")
        svc.enabled = False
        self.disabled_why[svc.name] = "it was respawning too fast"
        self.log_line(svc, f"[shepherd] {svc.message}")
        self.say(f"service {svc.name} has been disabled: respawning too fast")
        return True

    # ---- starting: one job per service, each on its own thread ----------------------

    def _begin(self, svc: Service) -> Job:
        """The start of SVC under way, or a new one."""
        with self.cond:
            job = svc.job
            if job is not None and not job.done.is_set():
                return job
            job = svc.job = Job()
            if svc.status != STOPPING:
                svc.status = STARTING
            svc.pending_restart = False
            self.cond.notify_all()
        threading.Thread(target=self._run_job, args=(svc, job), name=f"start {svc.name}",
                         daemon=True).start()
        return job

    def _blocker(self, svc: Service, job: Job) -> str | Job:
        """Why SVC cannot start (a requirement failed, the start was cancelled), "" when
        every requirement is up, or the start of a requirement still to wait for."""
        if job.cancel.is_set():
            return job.cancelled()
        for r in svc.spec.requirement:
            name = self.provider.get(r)
            if name is None:
                return f"it requires `{r}`, which no service provides"
            dep = self.services[name]
            if dep.up:
                continue
            dj = dep.job
            if dj is None:
                return f"requirement {name} is not running"
            if dj.done.is_set():
                return (f"requirement {name} failed to start: {dj.error}" if dj.error
                        else f"requirement {name} is not running")
            if not dj.ready.is_set():
                return dj
        return ""

    def _run_job(self, svc: Service, job: Job) -> None:
        with self.cond:
            # A start asked for while the service stops begins once it has stopped.
            self.cond.wait_for(lambda: svc.status != STOPPING or job.cancel.is_set())
            svc.status = STARTING
            self.cond.notify_all()
        # Each start waits for the starts of its own requirements only (a cancel is
        # seen within POLL).
        while isinstance(why := self._blocker(svc, job), Job):
            why.ready.wait(POLL)
        error = why or None
        while error is None:
            try:
                self._start_one(svc)
                break
            except StartError as e:
                error = str(e)
                # A respawned process that dies at once is respawned again, up to the limit.
                if getattr(e, "exited", False) and svc.spec.respawn and svc.enabled and \
                        not job.cancel.is_set() and not self.stopping.is_set():
                    if self._too_fast(svc):
                        error = svc.message
                    else:
                        error = None
                        self.log_line(svc, "[shepherd] respawning")
        with self.cond:
            job.error = error
            if error is None:
                svc.status = DONE if svc.spec.one_shot else RUNNING
                if svc.spec.one_shot:
                    svc.pid = None            # it has run to completion
                svc.since = time.time()
            else:
                svc.status = STOPPED
                svc.pid = None
                # Cancelled, or not started because a requirement is not running: not a
                # failure.  A requirement that failed fails it too, for that reason.
                svc.failed = not job.cancel.is_set() and (
                    not why or why.startswith("requirement ") and " failed to start: " in why)
                if not svc.message or "respawning too fast" not in svc.message:
                    svc.message = error if svc.failed else None
            job.ready.set()
            job.done.set()
            self.cond.notify_all()
        if error is None:
            self.say(f"{svc.name} started" + (f" (pid {svc.pid})" if svc.pid else ""))
        else:
            self.log_line(svc, f"[shepherd] failed to start: {error}")
            self.say(f"{svc.name} failed to start: {error}")
        self.save()

    def _start_one(self, svc: Service) -> None:
        try:
            runners.start(self, svc)
        except StartError:
            raise
        except Exception as e:      # a runner bug: report it, keep supervising the rest
            self.say(f"internal error starting {svc.name}:\n{traceback.format_exc()}")
            raise StartError(f"internal error: {e!r}") from e

    # ---- operations -------------------------------------------------------------------

    def resolve(self, name: str | None) -> Service:
        if not name:
            raise Refused("usage", "this command needs a service name")
        canonical = self.provider.get(name)
        if canonical is None:
            close = protocol.close_names(name, sorted(self.provider))
            hint = (f"did you mean {' or '.join(close)}?" if close
                    else "`vsys herd status` lists the services")
            raise Refused("unknown-service", f"service `{protocol.shown(name)}` does not "
                          f"exist; {hint}", close)
        return self.services[canonical]

    def _requires(self, name: str) -> list[str]:
        out = []
        for r in self.services[name].spec.requirement:
            if r not in self.provider:
                raise Refused("failed", f"{name} requires `{r}`, which no service provides")
            out.append(self.provider[r])
        return out

    def _dependents(self) -> dict[str, list[str]]:
        deps: dict[str, list[str]] = {n: [] for n in self.services}
        for name, svc in self.services.items():
            for r in svc.spec.requirement:
                if r in self.provider:
                    deps[self.provider[r]].append(name)
        return deps

    def start(self, svc: Service, wait: bool = True) -> list[str]:
        """Start SVC and what it requires, each as soon as its own requirements are up;
        with WAIT, until every one of those starts is over (the names started)."""
        try:
            order = start_order(svc.name, self._requires)
        except GraphError as e:
            raise Refused("failed", str(e)) from None
        with self.cond:
            for name in order:
                dep = self.services[name]
                if not dep.up and not dep.enabled:
                    raise self._disabled(dep, svc)
            jobs, begun = {}, []
            for name in order:
                dep = self.services[name]
                if dep.up:
                    continue
                if dep.job is None or dep.job.done.is_set():
                    begun.append(name)
                jobs[name] = self._begin(dep)
        if not wait:
            return begun
        for job in jobs.values():
            job.done.wait()
        mine = jobs.get(svc.name)
        failed = [(n, j) for n, j in jobs.items() if j.error]
        if mine is not None and mine.error:
            raise Refused("failed", f"cannot start {svc.name}: {mine.error}")
        if failed:
            n, j = failed[0]
            why = f"requirement {n} failed to start: {j.error}"
            svc.failed, svc.message = True, why     # it failed too, for its requirement's reason
            raise Refused("failed", f"cannot start {svc.name}: {why}")
        return [n for n in begun if self.services[n].up]

    def _disabled(self, svc: Service, wanted: Service) -> Refused:
        """The refusal to start WANTED because SVC (it or a requirement) is disabled."""
        why = self.disabled_why.get(svc.name)
        return Refused("failed", f"{svc.name} is disabled" + (f": {why}" if why else "") +
                       (f", so {wanted.name} cannot start" if svc is not wanted else "") +
                       f"; enable it with `vsys herd enable {svc.name}`")

    def stop(self, svc: Service) -> list[str]:
        deps = self._dependents()
        try:
            order = stop_order(svc.name, lambda n: deps[n])
        except GraphError as e:
            raise Refused("failed", str(e)) from None
        return [name for name in order if not self.services[name].spec.host_milestone
                and self._stop_one(self.services[name])]

    def _stop_one(self, svc: Service) -> bool:
        """Stop SVC, cancelling its start if one is under way; False if it was not up."""
        with self.cond:
            job = svc.job
            cancelled = job is not None and not job.done.is_set()
            if cancelled:
                job.cancel.set()
                self.cond.notify_all()
        if cancelled:
            job.done.wait()           # the runner ends what it had started
        with self.cond:
            if svc.status == DONE:
                svc.status = STOPPED
                return False
            if svc.status == STOPPING:       # another client is stopping it
                self.cond.wait_for(lambda: svc.status != STOPPING)
                return False
            if svc.status != RUNNING:
                if cancelled:
                    self.say(f"{svc.name}: start cancelled")
                return cancelled
            svc.status = STOPPING
            self.cond.notify_all()
        try:
            runners.stop(self, svc)
        finally:
            if svc.pid is not None and not svc.exited.is_set():
                if svc.spec.stop.method == "none":      # (stop #~(const #f)), as Shepherd
                    self.say(f"{svc.name}: its stop procedure does nothing; process "
                             f"{svc.pid} is left running")
                else:
                    self.say(f"{svc.name}: process {svc.pid} did not exit even after SIGKILL")
            with self.cond:
                svc.status = STOPPED
                svc.pid = None
                svc.since = time.time()
                self.cond.notify_all()
        self.say(f"{svc.name} stopped")
        return True

    def restart(self, svc: Service) -> dict:
        stopped = self.stop(svc) if svc.up or svc.status == STARTING else []
        started = self.start(svc)
        for name in stopped:              # dependents that were running come back too
            if name != svc.name and self.services[name].enabled:
                started += self.start(self.services[name])
        return {"stopped": stopped, "started": started}

    def stop_all(self) -> list[str]:
        stopped = []
        for svc in list(self.services.values()):
            if svc.status in (RUNNING, STARTING, DONE) and not svc.spec.host_milestone:
                stopped += self.stop(svc)
        return stopped

    def auto_start(self, names=None, wait: bool = True) -> tuple[list[str], dict[str, str]]:
        """Start the auto-start services (of NAMES), all at once along their requirements."""
        started, failed = [], {}
        for name, svc in list(self.services.items()):
            if names is not None and name not in names:
                continue
            if not svc.spec.auto_start or not svc.enabled or svc.up:
                continue
            if svc.spec.one_shot and svc.last_exit is not None:
                continue                  # it ran already
            try:
                started += [n for n in self.start(svc, wait=False) if n not in started]
            except Refused as e:
                failed[name] = str(e)
        if wait:
            for name in started:
                job = self.services[name].job
                if job is not None:
                    job.done.wait()
                    if job.error:
                        failed[name] = f"cannot start {name}: {job.error}"
            started = [n for n in started if n not in failed]
        return started, failed

    def reload(self, services_dir: str, restart: bool) -> dict:
        with self.reload_lock:
            return self._reload(services_dir, restart)

    def _reload(self, services_dir: str, restart: bool) -> dict:
        try:
            specs = self.load(services_dir)
        except RunnerSpecError as e:
            raise Refused("failed", f"cannot load the new services: {e}") from None
        old = self.services
        removed = [n for n in old if n not in specs]
        stopped = []
        for name in removed:
            if (old[name].up or old[name].status == STARTING) and \
                    not old[name].spec.host_milestone:
                stopped += [n for n in self.stop(old[name]) if n not in stopped]
        changed = [n for n in specs if n in old and spec_digest(specs[n]) != old[n].digest]
        # What the running process was given (its program, environment, files) may have
        # changed without its spec: a package installed, a link now pointing elsewhere.
        changed += [n for n in specs if n in old and n not in changed and
                    old[n].status == RUNNING and old[n].resolved is not None and
                    runners.resolution(specs[n]) != old[n].resolved]
        restarted, pending, collateral = [], [], []
        for name in changed:
            if old[name].status in (RUNNING, STARTING) and not old[name].spec.host_milestone:
                if restart:
                    collateral += self.stop(old[name])   # its dependents stop too
                    restarted.append(name)
                else:
                    pending.append(name)
        services = {}
        for name, spec in specs.items():
            svc = old.get(name)
            if svc is None or svc.spec.host_milestone != spec.host_milestone:
                svc = Service(spec)
            elif name in changed:
                svc.spec, svc.digest = spec, spec_digest(spec)
                svc.pending_restart = name in pending
            services[name] = svc
        with self.cond:
            self.services = services
            self.services_dir = services_dir
            self._index()
        new = [n for n in specs if n not in old]
        # A service that failed to start is tried again: what it lacked may be there now.
        retry = [n for n in specs if n in old and services[n].failed and
                 services[n].status == STOPPED and services[n].spec.auto_start]
        started, failed = self.auto_start(set(new) | set(restarted) | set(retry), wait=False)
        # Restarted services, and the dependents their restart stopped, run again
        # (even when not auto-start).
        for name in dict.fromkeys(restarted + [n for n in collateral if n not in removed]):
            if name in self.services and not self.services[name].up and name not in failed:
                try:
                    started += [n for n in self.start(self.services[name], wait=False)
                                if n not in started]
                except Refused as e:
                    failed[name] = str(e)
        # The reply waits a while for those starts (the caller reports them), never for a
        # VM's handshake: whatever is still starting then is said to be.
        deadline = time.monotonic() + RELOAD_WAIT
        for name in started:
            job = self.services[name].job
            if job is not None and not job.done.wait(max(0.0, deadline - time.monotonic())):
                continue
            if job is not None and job.error:
                failed[name] = f"cannot start {name}: {job.error}"
        reply = {"started": [n for n in started if n not in failed and self.services[n].up],
                 "stopped": [n for n in stopped if n not in self.services],
                 "restarted": [n for n in restarted if n not in failed], "pending-restart": pending,
                 "failed": failed,
                 "unchanged": len([n for n in specs if n in old and n not in changed])}
        starting = [n for n in started if self.services[n].status == STARTING]
        if starting:
            reply["still-starting"] = starting
        return reply

    def action(self, svc: Service, name: str, args: list[str]) -> dict:
        for act in svc.spec.actions:
            if act.name == name:
                break
        else:
            names = [a.name for a in svc.spec.actions]
            close = protocol.close_names(name, names + list(protocol.BUILTIN))
            hint = f"; its actions: {', '.join(names)}" if names else "; it has no custom actions"
            raise Refused("unknown-action", f"service {svc.name} has no action `{name}`{hint}",
                          close)
        if act.kind == "run":                 # the only kind that passes arguments on
            return self._run(act.argv + list(args), svc)
        if args:
            raise Refused("usage", f"the action `{name}` of {svc.name} takes no arguments, "
                          f"not `{' '.join(args)}`")
        if act.kind == "print":
            return {"lines": list(act.lines)}
        hint = RootFile(self.top, act.hint_file)     # never through a link out of it
        hint.touch()
        try:
            result = self.restart(svc)
        finally:
            hint.unlink()
        return {"lines": [f"{svc.name} restarted with {act.hint_file} present"], **result}

    def _run(self, argv: list[str], svc: Service, timeout: float = 60.0) -> dict:
        try:
            done = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True,
                                  timeout=timeout, env=runners.environment(svc.spec))
        except FileNotFoundError:
            raise Refused("failed", f"{argv[0]}: no such program") from None
        except subprocess.TimeoutExpired:
            raise Refused("failed", f"{argv[0]} took more than {timeout:g} s") from None
        return {"output": done.stdout.decode(errors="replace"),
                "errors": done.stderr.decode(errors="replace"), "status": done.returncode}

    def schedule(self, svc: Service, count: int) -> dict:
        st = svc.spec.start
        if st.kind != "mcron":
            raise Refused("failed", f"{svc.name} is not an mcron service")
        return self._run([st.mcron, f"--schedule={count}", *st.jobs], svc)

    # ---- the control socket -----------------------------------------------------------

    def handle(self, req: dict) -> dict:
        version = req.get("version")
        if version != protocol.VERSION:
            return protocol.error("version", f"this supervisor speaks protocol version "
                                  f"{protocol.VERSION}, not {version}")
        command = req.get("command")
        name = req.get("service")
        args = req.get("args") or []
        try:
            _check_request(command, name, args)
            if command == "status":
                if name:
                    svc = self.resolve(name)
                    snap = svc.snapshot()
                    count = _count(req.get("lines", 10), "the number of log lines", 0)
                    snap["log"] = tail(svc.writer.file, count) if svc.log_path else []
                    snap["qmp-status"] = self._qmp_status(svc)
                    # Paths the service's command names are in the container's terms;
                    # the client shows those under the root's own directories as the
                    # host sees them.
                    snap["container-root"] = self.root if self.top != self.root else None
                    return protocol.ok(snap)
                return protocol.ok({"root": self.root, "pid": os.getpid(),
                                    "services-dir": self.services_dir,
                                    "recovered": self.recovered,
                                    "services": [s.snapshot() for s in self.services.values()]})
            if command == "doc":
                return protocol.ok(self.resolve(name).snapshot())
            if command == "log":
                svc = self.resolve(name)
                count = _count(req.get("lines", 50), "the number of log lines", 0)
                return protocol.ok({"log-file": svc.log_path,
                                    "lines": tail(svc.writer.file, count) if svc.log_path else []})
            if command == "ping":
                return protocol.ok({"pid": os.getpid(), "root": self.root})
            if command == "resolutions":
                return protocol.ok(self._resolutions(req.get("services-dir")))
            try:
                return protocol.ok(self._operate(command, name, args, req))
            finally:
                self.save()
        except Refused as e:
            return protocol.error(e.kind, str(e), e.candidates)
        except Exception:       # a bug of the supervisor's, not the client's: keep serving
            self.say(f"internal error handling `{command}`:\n{traceback.format_exc()}")
            return protocol.error("failed", f"the supervisor failed to carry out `{command}` "
                                  "(an internal error; its log has the details)")

    def _resolutions(self, services_dir) -> dict:
        """What a start of each spec of SERVICES_DIR would hand its process, as this
        supervisor sees the files (inside a container: the root's /etc, not the host's),
        so that a reconfigure's plan compares like with like."""
        if not isinstance(services_dir, str) or not services_dir:
            raise Refused("usage", "bad request: resolutions needs a services directory")
        try:
            specs = self.load(services_dir)
        except RunnerSpecError as e:
            raise Refused("failed", str(e)) from None
        return {name: runners.resolution(spec) for name, spec in specs.items()}

    def _operate(self, command: str, name: str | None, args: list, req: dict):
        if command == "stop" and name == "root":
            stopped = self.stop_all()
            self.stopping.set()
            return {"stopped": stopped, "supervisor": "stopping"}
        if command == "reload":
            services_dir = req.get("services-dir")
            if not isinstance(services_dir, str) or not services_dir:
                raise Refused("usage", "bad request: `reload` needs the services directory "
                              "(`services-dir`)")
            return self.reload(services_dir, bool(req.get("restart", True)))
        svc = self.resolve(name)
        if command == "start":
            if not svc.enabled:
                raise self._disabled(svc, svc)
            return {"started": self.start(svc)}
        if command == "stop":
            if svc.spec.host_milestone:
                raise Refused("failed", f"{svc.name} is provided by the host; it cannot be stopped")
            return {"stopped": self.stop(svc)}
        if command == "restart":
            return self.restart(svc)
        if command in ("enable", "disable"):
            svc.enabled = command == "enable"
            self.disabled_why.pop(svc.name, None)
            if svc.enabled:
                svc.respawns.clear()
                svc.message = None
            return {"enabled": svc.enabled}
        if command == "schedule":
            if len(args) > 1:
                raise Refused("usage", f"`schedule` takes at most a number of runs, "
                              f"not `{' '.join(args)}`")
            return self.schedule(svc, _count(args[0], "the number of runs to show", 1)
                                 if args else 5)
        if command == "action":
            action = req.get("action")
            if not isinstance(action, str) or not action:
                raise Refused("usage", "bad request: the action needs a name")
            return self.action(svc, action, args)
        raise Refused("usage", f"unknown command `{command}`")

    def _qmp_status(self, svc: Service) -> str | None:
        if svc.spec.start.kind != "vm" or svc.status != RUNNING or not svc.qmp_socket:
            return None
        try:
            reply = qmp.query(svc.qmp_socket, "query-status", timeout=0.5)
            return reply.get("status") if isinstance(reply, dict) else None
        except (OSError, qmp.QMPError, ValueError):
            return None

    # ---- the control socket: one thread reads requests, each runs on its own thread --

    def serve(self, ready=None) -> None:
        self.server = protocol.listen(state.socket_path(self.root))
        if ready:
            ready()
        clients = Clients(self)
        try:
            # The short select timeout lets the loop notice `stopping` (set by `stop root`
            # or by a signal handler, which must not take locks or start threads).
            while not self.stopping.is_set():
                if getattr(self, "left", False):
                    self.stopping.set()
                    break
                try:
                    clients.poll(0.25)
                except Exception:       # a bug here must not end the supervision
                    self.say(f"internal error serving clients:\n{traceback.format_exc()}")
                    time.sleep(0.1)
        finally:
            clients.close()
            self.server.close()
            try:
                os.unlink(state.socket_path(self.root))
            except OSError:
                pass

    def answer(self, conn: socket.socket, req: dict) -> None:
        """Carry out REQ and send the reply (on a thread of its own)."""
        with conn:
            try:
                conn.settimeout(None)
                reply = self.handle(req)
                conn.settimeout(SEND_TIMEOUT)
                protocol.send(conn, reply)
            except OSError:
                pass            # the client went away; what it asked for is done


def _check_request(command, name, args) -> None:
    """Refuse a request whose parts are of the wrong type, saying which part."""
    if not isinstance(command, str) or not command:
        raise Refused("usage", "bad request: the command must be a name")
    if name is not None and (not isinstance(name, str) or not name):
        raise Refused("usage", "bad request: the service must be a name")
    if not isinstance(args, list) or not all(isinstance(a, str) for a in args):
        raise Refused("usage", "bad request: the arguments must be a list of words")
    if args and command not in TAKE_ARGS:
        raise Refused("usage", f"`{command}` takes nothing after the service name, "
                      f"not `{' '.join(args)}`")


def _count(value, what: str, least: int) -> int:
    """VALUE (a number, or a word of digits) as a count of at least LEAST."""
    if isinstance(value, str) and re.fullmatch(r"-?[0-9]{1,18}", value):
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        shown = value if isinstance(value, str) else json.dumps(value)
        raise Refused("usage", f"bad request: {what} must be a whole number, not `{shown}`")
    if value < least:
        raise Refused("usage", f"bad request: {what} must be {least} or more, not {value}")
    if value > MAX_COUNT:
        raise Refused("usage", f"bad request: {what} must be at most {MAX_COUNT}, not {value}")
    return value


def run(root: str, services_dir: str | None, daemonize: bool = False,
        contained: bool = False) -> int:
    root = os.path.abspath(root)
    if not contained:
        os.makedirs(root, exist_ok=True)
    run_dir = state.run_dir(root, create=True)
    lock_path = os.path.join(run_dir, "lock")
    notify = None
    if daemonize:
        notify = _daemonize(state.log_dir(root, create=True))
        if notify is None:
            return _wait_for_child_ready()
    try:
        lock = state.locked(lock_path, blocking=False)
        lock.__enter__()
    except BlockingIOError:
        sys.stderr.write(f"vsys shepherd: a supervisor already runs for the root {root}\n")
        _notify(notify, 1)
        return 1
    try:
        sup = Supervisor(root, services_dir, contained=contained)
        saved = sup.saved_state()
        sup.services_dir = services_dir = services_dir or saved.get("services-dir")
        if not services_dir:
            raise RunnerSpecError("no services directory: give --services DIR")
        sup.install(sup.load(os.path.abspath(services_dir)))
        sup.services_dir = os.path.abspath(services_dir)
        adopted = sup.adopt(saved)
        sup.flush()
        _write_herd_command(sup)
    except RunnerSpecError as e:
        sys.stderr.write(f"vsys shepherd: {e}\n")
        _notify(notify, 1)
        return 1
    sup.say(f"supervising root {sup.root} with the services of {sup.services_dir}"
            + (f"; adopted {len(adopted)} running service(s)" if adopted else ""))
    signal.signal(signal.SIGTERM, lambda *a: _leave(sup))
    signal.signal(signal.SIGINT, lambda *a: _leave(sup))
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)

    def boot():
        # What was ended at adoption because it changed starts again, auto-start or not.
        again = [n for n in sup.recovered["restarted"] if n in sup.services]
        for name in again:
            try:
                sup.start(sup.services[name], wait=False)
            except Refused as e:
                sup.say(str(e))
        started, failed = sup.auto_start()
        sup.save()
        for name, why in failed.items():
            sup.say(why)
    threading.Thread(target=boot, daemon=True).start()
    try:
        sup.serve(ready=lambda: _notify(notify, 0))
    finally:
        sup.flush()
        sup.monitor.stop()
        sup.say("supervisor stopped" if sup.stopping.is_set() and not getattr(sup, "left", False)
                else "supervisor exiting; services keep running")
    return 0


def _write_herd_command(sup: Supervisor) -> None:
    try:
        herd_command.write(sup)
    except (OSError, UnsafeRoot) as e:
        sup.say(f"cannot write {herd_command.PATH} (the system's own way to reach this "
                f"supervisor): {getattr(e, 'strerror', None) or e}")


def _leave(sup: Supervisor) -> None:
    """End the supervisor, not the services (a later one adopts them)."""
    sup.left = True          # a plain flag: the handler may interrupt a lock holder


_ready_pipe: list[int] = []


def _daemonize(log_dir: str):
    """Fork into the background; the parent waits until the child listens."""
    r, w = os.pipe()
    first = os.fork()
    if first > 0:
        os.close(w)
        os.waitpid(first, 0)
        _ready_pipe.append(r)
        return None
    os.close(r)
    os.setsid()
    if os.fork() > 0:
        os._exit(0)
    log = os.open(os.path.join(log_dir, "shepherd.log"),
                  os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.close(null)
    os.close(log)
    return w


def _notify(fd, code: int) -> None:
    if fd is not None:
        try:
            os.write(fd, bytes([code]))
            os.close(fd)
        except OSError:
            pass


def _wait_for_child_ready() -> int:
    r = _ready_pipe.pop()
    data = os.read(r, 1)
    os.close(r)
    return data[0] if data else 1
