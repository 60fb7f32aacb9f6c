"""One supervised service: its spec and what the supervisor knows of it now."""

from __future__ import annotations

import collections
import hashlib
import json
import threading
import time

from ..runner_spec import RunnerSpec

RESPAWN_LIMIT = 5          # more than this many respawns ...
RESPAWN_WINDOW = 7.0       # ... within this many seconds disables the service

# status values
STOPPED, STARTING, RUNNING, STOPPING, DONE = "stopped", "starting", "running", "stopping", "done"


def spec_digest(spec: RunnerSpec) -> str:
    return hashlib.sha256(json.dumps(spec.to_json(), sort_keys=True).encode()).hexdigest()[:16]


class Job:
    """One start of one service, carried out on a thread of its own.

    READY lets the services that require it start (a plain fork is ready once spawned,
    the others once confirmed); DONE is set when the start is over, confirmed or not;
    CANCEL is how `herd stop` abandons it."""

    def __init__(self) -> None:
        self.ready = threading.Event()
        self.done = threading.Event()
        self.cancel = threading.Event()
        self.error: str | None = None

    def cancelled(self) -> str | None:
        return "its start was cancelled by `herd stop`" if self.cancel.is_set() else None


class Service:
    def __init__(self, spec: RunnerSpec):
        self.spec = spec
        self.digest = spec_digest(spec)
        self.status = RUNNING if spec.host_milestone else STOPPED
        self.enabled = True
        self.pid: int | None = None
        self.proc_start: int | None = None   # /proc start time of pid, to recognise it
        self.leads_group = False             # pid leads its own process group
        self.child = None                    # our Popen for pid, when we started it
        self.launched: tuple[int, int | None] | None = None   # (pid, start) last launched
        self.since: float | None = time.time() if spec.host_milestone else None
        self.command: list[str] = []
        self.last_exit: dict | None = None
        self.message: str | None = None      # why the last start failed / why disabled
        self.output_from = 0                 # the log's size when the last run began
        self.failed = False
        self.respawns: collections.deque = collections.deque()
        self.exited = threading.Event()
        self.qmp_socket: str | None = None
        self.pending_restart = False
        self.log_path: str | None = None
        self.fifo: str | None = None
        self.job: Job | None = None          # the start in progress, or the last one
        self.resolved: str | None = None     # digest of what the running process was given

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def up(self) -> bool:
        """Satisfies the services that require it."""
        return self.status in (RUNNING, DONE)

    def exit_reason(self) -> str | None:
        """Why the process is gone, while starting (for `gave up` checks)."""
        if self.exited.is_set():
            text = (self.last_exit or {}).get("text", "exited")
            return f"the process {text}"
        return None

    def too_fast(self, now: float) -> bool:
        """Record a respawn at NOW; True when that exceeds the respawn limit."""
        while self.respawns and now - self.respawns[0] > RESPAWN_WINDOW:
            self.respawns.popleft()
        self.respawns.append(now)
        return len(self.respawns) > RESPAWN_LIMIT

    def snapshot(self) -> dict:
        s = self.spec
        return {
            "name": self.name, "provision": s.provision, "requirement": s.requirement,
            "documentation": s.documentation, "status": self.status, "enabled": self.enabled,
            "pid": self.pid, "since": self.since, "command": self.command,
            "respawn": s.respawn, "one-shot": s.one_shot, "host-milestone": s.host_milestone,
            "auto-start": s.auto_start, "kind": s.start.kind, "last-exit": self.last_exit,
            "message": self.message, "failed": self.failed,
            "pending-restart": self.pending_restart, "log-file": self.log_path,
            "resolved": self.resolved,
            "actions": [{"name": a.name, "documentation": a.documentation} for a in s.actions],
        }

    def saved(self) -> dict:
        """What a later supervisor needs to adopt this service (or, for a start under
        way, to end what it launched)."""
        pid, proc_start, group = self.pid, self.proc_start, self.leads_group
        if self.status == STARTING and self.launched is not None:
            (pid, proc_start), group = self.launched, True
        return {"status": self.status if self.status in (RUNNING, DONE) else STOPPED,
                "enabled": self.enabled, "pid": pid, "proc-start": proc_start,
                "leads-group": group, "since": self.since, "command": self.command,
                "last-exit": self.last_exit, "qmp-socket": self.qmp_socket,
                "digest": self.digest, "fifo": self.fifo, "resolved": self.resolved,
                "starting": self.status == STARTING}
