"""One supervised service: its spec and what the supervisor knows of it now."""

from __future__ import annotations

import collections
import json
import threading
import time

from ..runner_spec import RunnerSpec

RESPAWN_LIMIT = 5          # more than this many respawns ...
RESPAWN_WINDOW = 7.0       # ... within this many seconds disables the service

# status values
STOPPED, STARTING, RUNNING, STOPPING, DONE = "stopped", "starting", "running", "stopping", "done"


def spec_digest(spec: RunnerSpec) -> str:
    import hashlib
    return hashlib.sha256(json.dumps(spec.to_json(), sort_keys=True).encode()).hexdigest()[:16]


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
            "actions": [{"name": a.name, "documentation": a.documentation} for a in s.actions],
        }

    def saved(self) -> dict:
        """What a later supervisor needs to adopt this service."""
        return {"status": self.status if self.status in (RUNNING, DONE) else STOPPED,
                "enabled": self.enabled, "pid": self.pid, "proc-start": self.proc_start,
                "leads-group": self.leads_group, "since": self.since, "command": self.command,
                "last-exit": self.last_exit, "qmp-socket": self.qmp_socket,
                "digest": self.digest, "fifo": self.fifo}
