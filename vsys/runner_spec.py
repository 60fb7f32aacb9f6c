"""Runner specs: the plain-file description of one supervised service.

The generation builder writes one JSON file per service into a generation's
`services/` directory (any file name ending in `.json`); `vsys shepherd` reads them.
A spec says what to start, how to stop it, and what the service offers to the others.

Top-level keys (only `provision` is required):

  version          0 (the format version; a newer number is refused)
  provision        list of names this service provides; the first is its canonical name
  requirement      list of names that must be started first (a host milestone counts)
  documentation    one line shown by `herd doc`
  respawn          bool, default false: restart the process when it exits by itself
                   (more than 5 respawns within 7 seconds disables the service)
  auto-start       bool, default true: start when the supervisor starts or reloads
  one-shot         bool, default false: the start command runs to completion; exit 0
                   means success and the service then counts as done, not running
  host-milestone   bool, default false: provided by the host (user-processes,
                   networking, ...): always started, starts nothing; `start` is ignored
  start            object, below
  stop             object, below
  actions          list of objects, below

`start.kind` chooses the runner; its other keys:

  process (default) a program run under supervision; without a pid file it counts
         as started once it has stayed up 1 s (the services that require it may
         start as soon as it is spawned)
      argv              list of strings, required: the command; argv[0] is a path
                        (missing from a standard directory such as /usr/bin, the
                        program of that name in another one is run)
      environment       object of strings: the process's environment, plus
                        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
                        when it sets no PATH; absent: that PATH alone (nothing comes
                        from the environment of whoever started the supervisor)
      user, group       names (or numbers) to run as; applied only when the supervisor
                        runs as root; with a sandbox root, an account the host lacks
                        (vsys created it in the sandbox) leaves the service running as the
                        supervisor's user
      supplementary-groups
                        list of group names (or numbers): the process's supplementary
                        groups, instead of those of `user` (default: the user's groups;
                        without a user, the supervisor's).  Like `user` and `group`,
                        applied only when the supervisor runs as root; with a sandbox
                        root, a group the host lacks is left out
      file-creation-mask  the process's umask, an integer from 0 to 0o777 (default: the
                        supervisor's)
      create-session    bool, default true: the process calls setsid and leads a session
                        of its own; false: it stays in the supervisor's session, still in
                        a process group of its own (a stop signals that group)
      resource-limits   list of [RESOURCE, SOFT, HARD] set with setrlimit in the process
                        before it changes user: RESOURCE is the RLIMIT_ name lowercased
                        without its prefix (as, core, cpu, data, fsize, memlock, msgqueue,
                        nice, nofile, nproc, rss, rtprio, rttime, sigpending, stack), SOFT
                        and HARD non-negative integers (in setrlimit's units: bytes,
                        seconds, a count) or "unlimited"; SOFT may not exceed HARD, and a
                        HARD above the supervisor's own needs root (CAP_SYS_RESOURCE)
      directory         working directory (default `/`)
      pid-file          root path: for daemons that fork; the start waits until this
                        file names a live process started by this start, which becomes
                        the main PID; a file naming a live process from before is left
                        alone and the start refused (another copy of the daemon runs)
      pid-file-timeout  seconds to wait for it (default 30)
      log-file          root path of the log (timestamped stdout and stderr, rotated by
                        size); default: `<state>/log/<root-key>/<name>.log`
      pre-start         list of argv run to completion, in order, before the command
      missing           what to say of argv[0] when it is missing, instead of naming
                        a package (a program Debian does not package): the error is
                        `PROGRAM is missing (MISSING)`, as the build warned
      package           the host package that provides argv[0], named in the error
                        when it is missing
      timeout           seconds a one-shot command, or each pre-start command, may
                        run (default 60)
  vm     QEMU: the keys of `process` (the supervisor adds `-display none` when argv
         chooses no display), plus
      qmp-socket        path of the QMP socket; the supervisor appends
                        `-qmp unix:PATH,server=on,wait=off` (default: one in the state dir)
      image             path of the disk image (as it appears in argv); a missing file
                        is a start error saying how to create it
      secrets           {port, root, handshake-timeout (default 180), tries (default 60)}:
                        after QEMU starts, send the files under `root` (a root path) to
                        127.0.0.1:port with the secret-service protocol; failure stops
                        the VM and fails the start
      kvm-option        inserted after argv[0] when /dev/kvm allows `kvm-access`
                        (`rw`, the default: readable and writable; `exists`)
      package defaults to `qemu-system-x86`
  binfmt  register binfmt_misc entries
      entries           list of register strings `:NAME:M:OFFSET:MAGIC:MASK:INTERP:FLAGS`
      binfmt-directory  root path of binfmt_misc (default `/proc/sys/fs/binfmt_misc`)
  mcron   GNU mcron on jobs files (the keys of `process` except argv, plus)
      jobs              list of jobs files
      mcron             the mcron program (default `/usr/bin/mcron`)
  none    starts nothing (a grouping service); it is simply marked started

`stop` keys: `method` one of `signal` (default for process and mcron: send `signal`
to the process group, wait `grace` seconds, then SIGKILL), `powerdown` (default for
vm: QMP `system_powerdown`, wait `grace`, then SIGTERM and SIGKILL), `unregister`
(default for binfmt: write `-1` to each entry), `none`; `signal` (default "SIGTERM"),
`grace` (seconds, default 5).

Each action: `name`, `documentation`, `kind` and its data:
  print        `lines`: list of strings printed, one per line
  run          `argv`: a command whose output is shown; its exit status is the action's
  force-start  `hint-file` (root path): create it, restart the service, delete it

A *root path* is an absolute path inside the managed root: with `--root /` it is used
as is, with a sandbox root `R` it becomes `R/path`.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import signal as _signal
import subprocess
from dataclasses import dataclass, field, fields
from typing import Any

SPEC_VERSION = 0

# Names the host provides: a config that requires them is complete without defining them.
HOST_MILESTONES = ("user-processes", "networking", "loopback", "udev", "dbus-system",
                   "file-system-/proc/sys/fs/binfmt_misc")

START_KINDS = ("process", "vm", "binfmt", "mcron", "none")
# The names `resource-limits` takes: Linux's RLIMIT_ names, lowercased, without the prefix
# (GNU Shepherd's #:resource-limits names, which the builder checks too).
RESOURCES = ("as", "core", "cpu", "data", "fsize", "memlock", "msgqueue", "nice", "nofile",
             "nproc", "rss", "rtprio", "rttime", "sigpending", "stack")
STOP_METHODS = ("signal", "powerdown", "unregister", "none")
ACTION_KINDS = ("print", "run", "force-start")
DEFAULT_STOP = {"process": "signal", "mcron": "signal", "vm": "powerdown",
                "binfmt": "unregister", "none": "none"}


class RunnerSpecError(ValueError):
    """A spec file that cannot be used; the message names the file and the key."""


ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def root_path(path: str, where: str) -> str:
    """PATH, a path in the root's terms: absolute, without `..`, NUL or line breaks
    (the supervisor joins it to the root; `..` would lead out of it)."""
    if not path.startswith("/") or "\0" in path or "\n" in path or \
            ".." in path.split("/"):
        raise RunnerSpecError(f"{where}: {json.dumps(path)} must be an absolute path "
                              f"without `..` (a path in the root)")
    return path


def _check(value: Any, kind: str, where: str) -> Any:
    """Return VALUE if it has KIND, else raise an error naming WHERE."""
    ok = {
        "str": lambda v: isinstance(v, str),
        "bool": lambda v: isinstance(v, bool),
        "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 0,
        "strs": lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
        "argv": lambda v: isinstance(v, list) and len(v) > 0 and all(isinstance(x, str) for x in v),
        "argvs": lambda v: isinstance(v, list) and all(
            isinstance(a, list) and a and all(isinstance(x, str) for x in a) for a in v),
        "env": lambda v: isinstance(v, dict) and all(
            isinstance(k, str) and ENV_NAME.fullmatch(k) and isinstance(x, str)
            and "\0" not in x for k, x in v.items()),
        "id": lambda v: isinstance(v, (str, int)) and not isinstance(v, bool),
        "ids": lambda v: isinstance(v, list) and all(
            isinstance(x, (str, int)) and not isinstance(x, bool) for x in v),
        "limits": lambda v: isinstance(v, list) and all(
            isinstance(x, list) and len(x) == 3 and isinstance(x[0], str)
            and all(_is_limit(n) for n in x[1:]) for x in v),
    }[kind](value)
    if not ok:
        names = {"str": "a string", "bool": "true or false", "int": "an integer",
                 "number": "a non-negative number", "strs": "a list of strings",
                 "argv": "a non-empty list of strings", "argvs": "a list of argv lists",
                 "env": "an object of strings whose names are shell identifiers",
                 "id": "a name or a number",
                 "ids": "a list of names or numbers",
                 "limits": 'a list of [RESOURCE, SOFT, HARD], each limit a non-negative '
                           'integer or "unlimited"'}
        raise RunnerSpecError(f"{where}: expected {names[kind]}, got {json.dumps(value)}")
    return value


_MCRON_LOGS: dict[tuple, bool] = {}


def mcron_has_log_option(mcron: str) -> bool:
    """Whether this mcron takes `--log` (mcron 1.2 and later; Debian 12's 1.0.8 does not),
    as its --help says.  Asked once per program version (its path and modification
    time)."""
    try:
        st = os.stat(mcron)
    except OSError:
        return False
    key = (mcron, st.st_mtime_ns, st.st_size)
    if key not in _MCRON_LOGS:
        try:
            done = subprocess.run([mcron, "--help"], capture_output=True, text=True,
                                  timeout=60, stdin=subprocess.DEVNULL,
                                  env={**os.environ, "GUILE_AUTO_COMPILE": "0"})
            _MCRON_LOGS[key] = "--log" in done.stdout
        except (OSError, subprocess.SubprocessError):
            return False
    return _MCRON_LOGS[key]


def _is_limit(v: Any) -> bool:
    return v == "unlimited" or isinstance(v, int) and not isinstance(v, bool) and v >= 0


def _fields_from(cls, data: Any, where: str, types: dict[str, str]) -> dict[str, Any]:
    """Read DATA (a JSON object) into keyword arguments for CLS, checking every key."""
    if not isinstance(data, dict):
        raise RunnerSpecError(f"{where}: expected an object, got {json.dumps(data)}")
    known = {f.name.replace("_", "-"): f.name for f in fields(cls)}
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key not in known:
            close = difflib.get_close_matches(key, list(known), n=1)
            hint = f" (did you mean `{close[0]}`?)" if close else ""
            raise RunnerSpecError(f"{where}: unknown key `{key}`{hint}")
        if value is None:
            continue
        kind = types.get(key)
        out[known[key]] = _check(value, kind, f"{where}.{key}") if kind else value
    return out


def _to_json(obj: Any) -> Any:
    """Dataclass -> JSON object with hyphenated keys, leaving out None and empty values."""
    if hasattr(obj, "__dataclass_fields__"):
        out = {}
        for f in fields(obj):
            v = getattr(obj, f.name)
            if v is None or v == [] or v == {}:
                continue
            out[f.name.replace("_", "-")] = _to_json(v)
        return out
    if isinstance(obj, list):
        return [_to_json(x) for x in obj]
    return obj


@dataclass
class SecretDelivery:
    port: int
    root: str
    handshake_timeout: float = 180.0
    tries: int = 60

    TYPES = {"port": "int", "root": "str", "handshake-timeout": "number", "tries": "int"}

    @classmethod
    def from_json(cls, data: Any, where: str) -> "SecretDelivery":
        kw = _fields_from(cls, data, where, cls.TYPES)
        for key in ("port", "root"):
            if key not in kw:
                raise RunnerSpecError(f"{where}: missing `{key}`")
        if not 0 < kw["port"] < 65536:
            raise RunnerSpecError(f"{where}.port: {kw['port']} is not a TCP port")
        return cls(**kw)


@dataclass
class Start:
    kind: str = "process"
    argv: list[str] = field(default_factory=list)
    environment: dict[str, str] | None = None
    user: str | int | None = None
    group: str | int | None = None
    supplementary_groups: list[str | int] = field(default_factory=list)
    file_creation_mask: int | None = None
    create_session: bool = True
    resource_limits: list[list] = field(default_factory=list)
    directory: str | None = None
    pid_file: str | None = None
    pid_file_timeout: float = 30.0
    log_file: str | None = None
    pre_start: list[list[str]] = field(default_factory=list)
    package: str | None = None
    missing: str | None = None
    timeout: float = 60.0
    qmp_socket: str | None = None
    image: str | None = None
    secrets: SecretDelivery | None = None
    kvm_option: str | None = None
    kvm_access: str = "rw"
    entries: list[str] = field(default_factory=list)
    binfmt_directory: str = "/proc/sys/fs/binfmt_misc"
    jobs: list[str] = field(default_factory=list)
    mcron: str = "/usr/bin/mcron"
    log_options: list[str] = field(default_factory=list)     # mcron's, as Guix runs it
    log_emulation: str | None = None        # loaded first by an mcron without --log

    TYPES = {"kind": "str", "argv": "argv", "environment": "env", "user": "id", "group": "id",
             "supplementary-groups": "ids", "file-creation-mask": "int",
             "create-session": "bool", "resource-limits": "limits", "directory": "str",
             "pid-file": "str", "pid-file-timeout": "number", "log-file": "str",
             "pre-start": "argvs", "package": "str", "missing": "str", "timeout": "number",
             "qmp-socket": "str", "image": "str", "entries": "strs", "jobs": "strs",
             "mcron": "str", "binfmt-directory": "str", "kvm-option": "str",
             "kvm-access": "str", "log-options": "strs", "log-emulation": "str"}

    @classmethod
    def from_json(cls, data: Any, where: str) -> "Start":
        data = dict(data) if isinstance(data, dict) else data
        secrets = data.pop("secrets", None) if isinstance(data, dict) else None
        kw = _fields_from(cls, data, where, cls.TYPES)
        kind = kw.get("kind", "process")
        if kind not in START_KINDS:
            raise RunnerSpecError(f"{where}.kind: `{kind}` is not one of {', '.join(START_KINDS)}")
        if kind in ("process", "vm") and not kw.get("argv"):
            raise RunnerSpecError(f"{where}: a `{kind}` start needs `argv`")
        if kind == "binfmt":
            if not kw.get("entries"):
                raise RunnerSpecError(f"{where}: a `binfmt` start needs `entries`")
            for i, e in enumerate(kw["entries"]):
                name = e.split(":")[1] if e.startswith(":") else ""
                if not (e.startswith(":") and e.count(":") >= 7) or not name or \
                        "/" in name or name in (".", ".."):
                    raise RunnerSpecError(
                        f"{where}.entries[{i}]: not a binfmt_misc register string "
                        f"`:NAME:TYPE:OFFSET:MAGIC:MASK:INTERPRETER:FLAGS`: {e!r}")
        if kind == "mcron" and not kw.get("jobs"):
            raise RunnerSpecError(f"{where}: an `mcron` start needs `jobs`")
        if kw.get("log_emulation") and not kw["log_emulation"].startswith("/"):
            raise RunnerSpecError(f"{where}.log-emulation: must be an absolute path")
        if kw.get("kvm_access", "rw") not in ("rw", "exists"):
            raise RunnerSpecError(f"{where}.kvm-access: `{kw['kvm_access']}` is not rw or exists")
        if secrets is not None:
            if kind != "vm":
                raise RunnerSpecError(f"{where}.secrets: only a `vm` start sends secrets")
            kw["secrets"] = SecretDelivery.from_json(secrets, f"{where}.secrets")
        for key in ("pid_file", "log_file", "image", "binfmt_directory"):
            if kw.get(key) is not None:
                root_path(kw[key], f"{where}.{key.replace('_', '-')}")
        if kw.get("secrets") is not None:
            root_path(kw["secrets"].root, f"{where}.secrets.root")
        if not 0 <= kw.get("file_creation_mask", 0) <= 0o777:
            raise RunnerSpecError(f"{where}.file-creation-mask: {kw['file_creation_mask']} is "
                                  f"not a mode from 0 to 0o777 (511)")
        for i, (name, soft, hard) in enumerate(kw.get("resource_limits", [])):
            if name not in RESOURCES:
                raise RunnerSpecError(f"{where}.resource-limits[{i}]: unknown resource "
                                      f"`{name}`; the resources are {', '.join(RESOURCES)}")
            if hard != "unlimited" and (soft == "unlimited" or soft > hard):
                raise RunnerSpecError(f"{where}.resource-limits[{i}]: the soft limit of "
                                      f"{name} ({soft}) is above its hard limit ({hard})")
        return cls(**kw)

    def to_json(self) -> dict[str, Any]:
        out = _to_json(self)
        if self.kind != "mcron":
            out.pop("mcron", None)
        if self.kind != "binfmt":
            out.pop("binfmt-directory", None)
        for key, default in (("pid-file-timeout", 30.0), ("timeout", 60.0), ("kvm-access", "rw"),
                             ("create-session", True),
                             ("mcron", "/usr/bin/mcron"),
                             ("binfmt-directory", "/proc/sys/fs/binfmt_misc")):
            if out.get(key) == default:
                out.pop(key)
        out["kind"] = self.kind
        return out

    def command(self) -> list[str]:
        """The argv that will run (mcron's is derived from its jobs files)."""
        if self.kind == "mcron":
            if not self.log_options:
                return [self.mcron, *self.jobs]
            if mcron_has_log_option(self.mcron) or not self.log_emulation:
                return [self.mcron, *self.log_options, *self.jobs]
            return [self.mcron, self.log_emulation, *self.jobs]
        return list(self.argv)


@dataclass
class Stop:
    method: str | None = None
    signal: str = "SIGTERM"
    grace: float = 5.0

    TYPES = {"method": "str", "signal": "str", "grace": "number"}

    @classmethod
    def from_json(cls, data: Any, where: str, start_kind: str) -> "Stop":
        kw = _fields_from(cls, data, where, cls.TYPES)
        method = kw.setdefault("method", DEFAULT_STOP[start_kind])
        if method not in STOP_METHODS:
            raise RunnerSpecError(
                f"{where}.method: `{method}` is not one of {', '.join(STOP_METHODS)}")
        name = kw.get("signal", "SIGTERM")
        if not name.startswith("SIG"):
            name = kw["signal"] = "SIG" + name
        if not isinstance(getattr(_signal, name, None), _signal.Signals):
            raise RunnerSpecError(f"{where}.signal: unknown signal `{name}`")
        return cls(**kw)


@dataclass
class Action:
    name: str
    documentation: str = ""
    kind: str = "print"
    lines: list[str] = field(default_factory=list)
    argv: list[str] = field(default_factory=list)
    hint_file: str | None = None

    TYPES = {"name": "str", "documentation": "str", "kind": "str", "lines": "strs",
             "argv": "argv", "hint-file": "str"}

    @classmethod
    def from_json(cls, data: Any, where: str) -> "Action":
        kw = _fields_from(cls, data, where, cls.TYPES)
        if "name" not in kw:
            raise RunnerSpecError(f"{where}: missing `name`")
        kind = kw.get("kind", "print")
        if kind not in ACTION_KINDS:
            raise RunnerSpecError(f"{where}.kind: `{kind}` is not one of {', '.join(ACTION_KINDS)}")
        if kind == "run" and not kw.get("argv"):
            raise RunnerSpecError(f"{where}: a `run` action needs `argv`")
        if kind == "force-start" and not kw.get("hint_file"):
            raise RunnerSpecError(f"{where}: a `force-start` action needs `hint-file`")
        if kw.get("hint_file") is not None:
            root_path(kw["hint_file"], f"{where}.hint-file")
        return cls(**kw)


@dataclass
class RunnerSpec:
    provision: list[str]
    requirement: list[str] = field(default_factory=list)
    documentation: str = ""
    start: Start = field(default_factory=Start)
    stop: Stop = field(default_factory=Stop)
    respawn: bool = False
    auto_start: bool = True
    one_shot: bool = False
    host_milestone: bool = False
    actions: list[Action] = field(default_factory=list)
    version: int = SPEC_VERSION

    TYPES = {"provision": "strs", "requirement": "strs", "documentation": "str",
             "respawn": "bool", "auto-start": "bool", "one-shot": "bool",
             "host-milestone": "bool", "version": "int"}
    RESERVED = ("root", "all")   # names `herd` gives a meaning of its own (the build
                                 # refuses them first: stdlib/shepherd.py, name_problem)

    def __post_init__(self) -> None:
        # A spec built in Python gets the same stop default as one read from JSON.
        if self.stop.method is None:
            self.stop.method = DEFAULT_STOP[self.start.kind]

    @property
    def name(self) -> str:
        return self.provision[0]

    @classmethod
    def from_json(cls, data: Any, where: str = "<spec>") -> "RunnerSpec":
        if not isinstance(data, dict):
            raise RunnerSpecError(f"{where}: expected a JSON object")
        data = dict(data)
        start_data = data.pop("start", {})
        stop_data = data.pop("stop", {})
        actions_data = data.pop("actions", [])
        kw = _fields_from(cls, data, where, cls.TYPES)
        if kw.get("version", SPEC_VERSION) > SPEC_VERSION:
            raise RunnerSpecError(f"{where}: spec version {kw['version']} is newer than this "
                                  f"vsys understands ({SPEC_VERSION})")
        if not kw.get("provision"):
            raise RunnerSpecError(f"{where}: missing `provision` (the service's names)")
        for name in kw["provision"]:
            if not name or any(c.isspace() for c in name) or not name.isprintable() or \
                    name in cls.RESERVED:
                raise RunnerSpecError(f"{where}.provision: `{name}` cannot name a service")
        if kw.get("host_milestone"):
            start_data = {"kind": "none"}
            stop_data = {}
        kw["start"] = Start.from_json(start_data, f"{where}.start")
        kw["stop"] = Stop.from_json(stop_data, f"{where}.stop", kw["start"].kind)
        if not isinstance(actions_data, list):
            raise RunnerSpecError(f"{where}.actions: expected a list")
        kw["actions"] = [Action.from_json(a, f"{where}.actions[{i}]")
                         for i, a in enumerate(actions_data)]
        names = [a.name for a in kw["actions"]]
        if len(set(names)) != len(names):
            raise RunnerSpecError(f"{where}.actions: an action name appears twice")
        if kw.get("one_shot") and kw["start"].kind not in ("process", "none"):
            raise RunnerSpecError(f"{where}: only a `process` start can be one-shot")
        return cls(**kw)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"version": self.version, "provision": list(self.provision)}
        if self.requirement:
            out["requirement"] = list(self.requirement)
        if self.documentation:
            out["documentation"] = self.documentation
        for key in ("respawn", "one_shot", "host_milestone"):
            if getattr(self, key):
                out[key.replace("_", "-")] = True
        if not self.auto_start:
            out["auto-start"] = False
        if not self.host_milestone:
            out["start"] = self.start.to_json()
            stop = _to_json(self.stop)
            if stop != {"method": DEFAULT_STOP[self.start.kind], "signal": "SIGTERM", "grace": 5.0}:
                out["stop"] = stop
        if self.actions:
            out["actions"] = [_to_json(a) for a in self.actions]
        return out

    @classmethod
    def load(cls, path: str) -> "RunnerSpec":
        try:
            with open(path, encoding="utf-8") as f:
                data = json.load(f)
        except json.JSONDecodeError as e:
            raise RunnerSpecError(f"{path}:{e.lineno}:{e.colno}: invalid JSON: {e.msg}") from None
        except OSError as e:
            raise RunnerSpecError(f"{path}: cannot read: {e.strerror}") from None
        return cls.from_json(data, os.path.basename(path))

    def dump(self, path: str) -> None:
        tmp = path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(self.to_json(), f, indent=2, sort_keys=False)
            f.write("\n")
        os.replace(tmp, path)


def milestone(name: str) -> RunnerSpec:
    return RunnerSpec(provision=[name], host_milestone=True, start=Start(kind="none"),
                      stop=Stop(method="none"),
                      documentation=f"The host's {name}; always started.")


def load_directory(path: str) -> dict[str, RunnerSpec]:
    """Every `*.json` spec in PATH, by canonical name, plus the host milestones nobody
    defined.  Two specs providing one name is an error naming both files."""
    specs: dict[str, RunnerSpec] = {}
    owner: dict[str, str] = {}
    try:
        entries = sorted(os.listdir(path))
    except OSError as e:
        raise RunnerSpecError(f"{path}: cannot read the services directory: {e.strerror}") from None
    for entry in entries:
        if not entry.endswith(".json"):
            continue
        spec = RunnerSpec.load(os.path.join(path, entry))
        for name in spec.provision:
            if name in owner:
                raise RunnerSpecError(f"{entry}: `{name}` is also provided by {owner[name]}")
            owner[name] = entry
        specs[spec.name] = spec
    for name in HOST_MILESTONES:
        if name not in owner:
            specs[name] = milestone(name)
    return specs
