"""Runner specs: each Shepherd service of a system as the plain data `vsys shepherd` runs
(the format is documented in vsys/runner_spec.py), plus a shell script doing the same
for a person to run by hand.

Guix services say how to start and stop with gexps for GNU Shepherd.  vsys does not run
Guile's Shepherd, so the builder reads the lowered code of the forms services write:

  start  (make-forkexec-constructor (list PROGRAM ARG ...) #:user U #:group G
             #:supplementary-groups (list G ...) #:pid-file F #:pid-file-timeout S
             #:log-file L #:directory D #:file-creation-mask M #:create-session? B
             #:resource-limits (list (list 'RESOURCE SOFT HARD) ...)
             #:environment-variables (list "NAME=VALUE" ...))     a supervised process
         (lambda ARGS (system* PROGRAM ARG ...) ... (apply CONSTRUCTOR ARGS))
                                     commands run to completion first, then CONSTRUCTOR
         (lambda ARGS (system* PROGRAM ARG ...)) or (invoke ...)   a command run once
         (make-qemu-vm-constructor (list QEMU ARG ...) #:image I #:secrets-port P
             #:secret-root R #:kvm-option O #:kvm-access A ...)    a virtual machine
         (make-binfmt-registration (list ENTRY ...))               binfmt_misc entries
         (const #t)                                                nothing to run
  stop   (make-kill-destructor [SIGNAL] [#:grace-period SECONDS]),
         (make-binfmt-unregistration ...), (const #f)
  action (make-print-action (list LINE ...)), (make-force-start-action HINT-FILE),
         (lambda ARGS (system* PROGRAM ARG ...))

Arguments are strings, numbers, booleans, `(list ...)`, `(string-append ...)`,
`(number->string N)` and quoted data; `#$` inserts a value computed by the config (a
package, a `file-append`, a file's store path) before the builder reads the code
(docs/shepherd-forms.md lists every form and what it becomes).  Anything else
needs Guile's Shepherd: the build stops with an error at the service's location that
names the form, rather than producing a runner that would do something else.
"""

from __future__ import annotations

import difflib
import re
import shlex
import signal
from typing import Any

from vsys.dsl.datatypes import NIL, Keyword, Pair, Symbol, is_string, pystr, to_list
from vsys.dsl.printer import write_string
from vsys.stdlib.files import FileData

from . import mcron
from .items import safe_name
from .lowering import Items, build_error

FORKEXEC_KEYWORDS = {"user", "group", "supplementary-groups", "pid-file",
                     "pid-file-timeout", "log-file", "directory", "environment-variables",
                     "file-creation-mask", "create-session?", "resource-limits"}
VM_KEYWORDS = {"kvm-option", "kvm-access", "image", "secrets-port", "secret-root", "user",
               "group", "environment-variables", "log-file", "directory"}
SIGNALS = {"SIGTERM", "SIGINT", "SIGKILL", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2"}
# Shepherd's #:resource-limits names (Guile's setrlimit): each RLIMIT_ name of Linux,
# lowercased and without the prefix.  The spec reader keeps the same list.
RESOURCES = ("as", "core", "cpu", "data", "fsize", "memlock", "msgqueue", "nice", "nofile",
             "nproc", "rss", "rtprio", "rttime", "sigpending", "stack")


class Unsupported(Exception):
    """Code the builder cannot turn into a runner; the message names the form."""


# --- the small language of arguments ----------------------------------------------------------

def _head(x: Any) -> str | None:
    return x.car.name if type(x) is Pair and type(x.car) is Symbol else None


def value(x: Any) -> Any:
    """The value of an argument expression: strings, numbers, booleans, `(list ...)`,
    `(string-append ...)`, `(number->string N)` and quoted data."""
    if is_string(x):
        return pystr(x)
    if type(x) in (int, float, bool):
        return x
    head = _head(x)
    if head == "list":
        return [value(e) for e in to_list(x.cdr)]
    if head == "string-append":
        parts = [value(e) for e in to_list(x.cdr)]
        if not all(isinstance(p, str) for p in parts):
            raise Unsupported(f"string-append of something that is not a string in "
                              f"{write_string(x)}")
        return "".join(parts)
    if head == "number->string":
        n = value(x.cdr.car)
        if type(n) not in (int, float):
            raise Unsupported(f"number->string of a non-number in {write_string(x)}")
        return str(n)
    if head == "quote":
        return _datum(x.cdr.car)
    raise Unsupported(f"cannot compute {write_string(x)} without Guile")


def _datum(x: Any) -> Any:
    if x is NIL:
        return []
    if type(x) is Pair:
        return [_datum(e) for e in to_list(x)]
    if type(x) is Symbol:
        return x.name
    return value(x)


def strings(x: Any, what: str) -> list[str]:
    items = value(x)
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise Unsupported(f"{what} must be a list of strings, not {write_string(x)}")
    return items


def call(code: Any, allowed: set[str]) -> tuple[list, dict]:
    """The positional arguments and keywords of a call form (its head excluded)."""
    pos: list = []
    kw: dict = {}
    items = to_list(code.cdr)
    i = 0
    while i < len(items):
        item = items[i]
        if type(item) is Keyword:
            if item.name not in allowed:
                raise Unsupported(f"{_head(code)}: vsys does not support #:{item.name} "
                                  f"(it supports {', '.join('#:' + k for k in sorted(allowed))})")
            if i + 1 >= len(items):
                raise Unsupported(f"{_head(code)}: #:{item.name} has no value")
            kw[item.name] = items[i + 1]
            i += 2
        else:
            pos.append(item)
            i += 1
    return pos, kw


def environment(x: Any) -> dict[str, str]:
    env: dict[str, str] = {}
    for entry in strings(x, "#:environment-variables"):
        name, eq, val = entry.partition("=")
        if not eq or not ENV_NAME.fullmatch(name) or "\0" in val:
            raise Unsupported(f"environment entry {entry!r} is not NAME=VALUE with NAME a "
                              f"shell identifier (letters, digits, _; not first a digit)")
        env[name] = val
    return env


ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


# --- start ---------------------------------------------------------------------------------------

def _argv(x: Any, items: Items, what: str) -> tuple[list[str], str | None]:
    argv = strings(x, what)
    if not argv:
        raise Unsupported(f"{what}: the command is empty")
    return argv, items.providers.get(argv[0])


# Keywords naming a file the supervisor opens: it takes absolute file names only.
PATH_KEYWORDS = ("pid-file", "log-file", "binfmt-directory")


def _maybe_str(kw: dict, key: str) -> str | None:
    if key not in kw or kw[key] is False:
        return None
    v = value(kw[key])
    if not isinstance(v, str):
        raise Unsupported(f"#:{key} must be a string, not {write_string(kw[key])}")
    if key in PATH_KEYWORDS and not v.startswith("/"):
        raise Unsupported(f"#:{key} must be an absolute file name, not {write_string(v)}")
    return v


def _constructor(code: Any, items: Items, allowed: set[str], kind: str,
                 string_keys: tuple[str, ...]) -> tuple[dict, dict]:
    """The start object of a `(make-...-constructor (list PROGRAM ARG ...) #:key ...)`
    form, with its string keywords; and the keywords, for the caller to read others."""
    pos, kw = call(code, allowed)
    if len(pos) != 1:
        raise Unsupported(f"{_head(code)} takes one command list")
    argv, package = _argv(pos[0], items, _head(code))
    start: dict = {"kind": kind, "argv": argv}
    for key in string_keys:
        v = _maybe_str(kw, key)
        if v is not None:
            start[key] = v
    if "environment-variables" in kw:
        start["environment"] = environment(kw["environment-variables"])
    if package:
        start["package"] = package
    note = items.missing.get(argv[0], "")
    if note and not note.startswith("apt install"):   # not a Debian package: say why
        start["missing"] = note
    return start, kw


def forkexec_start(code: Any, items: Items) -> dict:
    start, kw = _constructor(code, items, FORKEXEC_KEYWORDS, "process",
                             ("user", "group", "directory", "pid-file", "log-file"))
    if "pid-file-timeout" in kw:
        start["pid-file-timeout"] = value(kw["pid-file-timeout"])
    groups = _groups(kw["supplementary-groups"]) if "supplementary-groups" in kw else []
    if groups:
        start["supplementary-groups"] = groups
    if kw.get("file-creation-mask", False) is not False:
        start["file-creation-mask"] = _mask(kw["file-creation-mask"])
    if "create-session?" in kw:
        session = value(kw["create-session?"])
        if type(session) is not bool:
            raise Unsupported(f"#:create-session? must be #t or #f, not "
                              f"{write_string(kw['create-session?'])}")
        if not session:
            start["create-session"] = False
    limits = resource_limits(kw["resource-limits"]) if "resource-limits" in kw else []
    if limits:
        start["resource-limits"] = limits
    return start


def _groups(x: Any) -> list:
    """#:supplementary-groups: group names (or numbers)."""
    groups = value(x)
    if not isinstance(groups, list) or not all(
            isinstance(g, str) or type(g) is int and g >= 0 for g in groups):
        raise Unsupported(f"#:supplementary-groups must be a list of group names, not "
                          f"{write_string(x)}")
    return groups


def _mask(x: Any) -> int:
    mask = value(x)
    if type(mask) is not int or not 0 <= mask <= 0o777:
        raise Unsupported(f"#:file-creation-mask must be a mode from #o000 to #o777 "
                          f"(or #f), not {write_string(x)}")
    return mask


def resource_limits(x: Any) -> list[list]:
    """#:resource-limits as the spec's [RESOURCE, SOFT, HARD] triples ("unlimited" for
    Guile's #f)."""
    limits = value(x)
    if not isinstance(limits, list):
        raise Unsupported(f"#:resource-limits must be a list of (RESOURCE SOFT HARD), not "
                          f"{write_string(x)}")
    out = []
    for limit in limits:
        if not isinstance(limit, list) or len(limit) != 3:
            raise Unsupported(f"#:resource-limits: each limit is (RESOURCE SOFT HARD), not "
                              f"{_shown(limit)}")
        name, soft, hard = limit
        if name not in RESOURCES:
            close = difflib.get_close_matches(str(name), RESOURCES, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise Unsupported(f"#:resource-limits: unknown resource {_shown(name)}{hint}; "
                              f"the resources are {', '.join(RESOURCES)}")
        soft, hard = (_limit(name, v) for v in (soft, hard))
        if hard != "unlimited" and (soft == "unlimited" or soft > hard):
            raise Unsupported(f"#:resource-limits: the soft limit of {name} ({soft}) "
                              f"is above its hard limit ({hard})")
        out.append([name, soft, hard])
    return out


def _limit(name: str, v: Any) -> int | str:
    if v is False:
        return "unlimited"
    if type(v) is not int or v < 0:
        raise Unsupported(f"#:resource-limits: a limit of {name} is a non-negative integer "
                          f"or #f (no limit), not {_shown(v)}")
    return v


def _shown(v: Any) -> str:
    """A value read from the code, written back as the config wrote it."""
    if isinstance(v, list):
        return "(" + " ".join(_shown(e) for e in v) + ")"
    return "#t" if v is True else "#f" if v is False else str(v)


def _commands(body: list, items: Items) -> list[list[str]]:
    out = []
    for form in body:
        if _head(form) not in ("system*", "invoke"):
            raise Unsupported(f"only (system* PROGRAM ARG ...) may run before the "
                              f"service starts, not {write_string(form)}")
        out.append(_argv(Pair(Symbol("list"), form.cdr), items, _head(form))[0])
    return out


def vm_start(code: Any, items: Items) -> dict:
    start, kw = _constructor(code, items, VM_KEYWORDS, "vm",
                             ("user", "group", "directory", "log-file"))
    image = _maybe_str(kw, "image")
    if image and image.startswith("/"):
        start["image"] = image
    option = _maybe_str(kw, "kvm-option")
    if option:
        start["kvm-option"] = option
        start["kvm-access"] = _maybe_str(kw, "kvm-access") or "rw"
    port = value(kw["secrets-port"]) if "secrets-port" in kw else None
    if port not in (None, False):
        start["secrets"] = {"port": port, "root": _maybe_str(kw, "secret-root") or "/"}
    return start


def binfmt_start(code: Any) -> dict:
    pos, kw = call(code, {"binfmt-directory"})
    entries = strings(pos[0], "make-binfmt-registration") if pos else []
    if not entries:
        raise Unsupported("make-binfmt-registration needs at least one entry")
    for entry in entries:
        fields = entry.split(entry[0]) if entry else []
        if len(fields) < 8 or not fields[1] or "/" in fields[1] or \
                fields[1] in (".", "..") or "\n" in entry or "\0" in entry:
            raise Unsupported(f"make-binfmt-registration: {entry!r} is not a binfmt_misc "
                              f"register string :NAME:TYPE:OFFSET:MAGIC:MASK:INTERPRETER:FLAGS")
    start = {"kind": "binfmt", "entries": entries}
    directory = _maybe_str(kw, "binfmt-directory")
    if directory:
        start["binfmt-directory"] = directory
    return start


def _lambda(code: Any) -> list | None:
    """The body of `(lambda ARGS BODY ...)`, or None."""
    if _head(code) == "lambda" and type(code.cdr) is Pair:
        return to_list(code.cdr.cdr)
    return None


def start_of(code: Any, items: Items) -> tuple[dict, bool]:
    """(start object, one-shot?) for the lowered start code."""
    head = _head(code)
    if head == "make-forkexec-constructor":
        return forkexec_start(code, items), False
    if head == "make-qemu-vm-constructor":
        return vm_start(code, items), False
    if head == "make-binfmt-registration":
        return binfmt_start(code), False
    if head == "const" and type(code.cdr) is Pair and code.cdr.car is True:
        return {"kind": "none"}, False
    body = _lambda(code)
    if body:
        last = body[-1]
        # (lambda args (system* ...) (apply (make-forkexec-constructor ...) args))
        if _head(last) == "apply" and _head(to_list(last.cdr)[0]) == "make-forkexec-constructor":
            start = forkexec_start(to_list(last.cdr)[0], items)
            pre = _commands(body[:-1], items)
            if pre:
                start["pre-start"] = pre
            return start, False
        if len(body) == 1 and _head(body[0]) in ("system*", "invoke"):
            argv = _commands(body, items)[0]
            start = {"kind": "process", "argv": argv}
            if items.providers.get(argv[0]):
                start["package"] = items.providers[argv[0]]
            return start, True
    raise Unsupported(f"vsys cannot run the start procedure {_short(code)}; it runs "
                      f"make-forkexec-constructor, make-qemu-vm-constructor, "
                      f"make-binfmt-registration and (lambda _ (system* ...))")


def _short(code: Any) -> str:
    text = write_string(code)
    return text if len(text) <= 160 else text[:157] + "..."


# --- stop and actions ----------------------------------------------------------------------------

def stop_of(code: Any, kind: str) -> dict | None:
    """The stop object (None: the kind's default)."""
    head = _head(code)
    if head == "make-kill-destructor":
        return kill_stop(code, kind)
    if head == "make-binfmt-unregistration":
        return {"method": "unregister"} if kind == "binfmt" else None
    if head == "const" and type(code.cdr) is Pair and code.cdr.car is False:
        return {"method": "none"} if kind not in ("none", "binfmt") else None
    raise Unsupported(f"vsys cannot run the stop procedure {_short(code)}; it runs "
                      f"make-kill-destructor and (const #f)")


def kill_stop(code: Any, kind: str) -> dict | None:
    """`(make-kill-destructor [SIGNAL] [#:grace-period SECONDS])`: SIGNAL to the process
    group, then SIGKILL after the grace period.  Without a signal, a VM keeps its
    default stop (a clean power-down, SIGTERM after the grace period)."""
    args, kw = call(code, {"grace-period"})
    if len(args) > 1:
        raise Unsupported(f"make-kill-destructor takes one signal, not {_short(code)}")
    stop: dict = {}
    if args:
        sig = args[0]
        name = sig.name if type(sig) is Symbol else None
        if type(sig) is int:
            try:
                name = signal.Signals(sig).name
            except ValueError:
                name = None
        if name not in SIGNALS:
            raise Unsupported(f"make-kill-destructor: unknown signal {write_string(sig)}")
        stop = {"method": "signal", "signal": name}
    if "grace-period" in kw:
        grace = value(kw["grace-period"])
        if type(grace) not in (int, float) or grace < 0:
            raise Unsupported(f"make-kill-destructor: #:grace-period must be a number of "
                              f"seconds, not {write_string(kw['grace-period'])}")
        if not stop and kind != "vm":
            stop["method"] = "signal"
        stop["grace"] = grace
    return stop or None


def action_of(record: Any, items: Items) -> dict:
    name = record["name"].name
    code = items.lower(record["procedure"])
    out = {"name": name, "documentation": pystr(record["documentation"])}
    head = _head(code)
    if head == "make-print-action":
        out.update(kind="print", lines=strings(code.cdr.car, "make-print-action"))
    elif head == "make-force-start-action":
        out.update(kind="force-start", **{"hint-file": value(code.cdr.car)})
    else:
        body = _lambda(code)
        try:
            commands = _commands(body, items) if body else []
        except Unsupported:
            commands = []           # not (system* ...): said below, in the action's terms
        if len(commands) != 1:
            raise Unsupported(f"vsys cannot run the action {name} {_short(code)}; it runs "
                              f"make-print-action, make-force-start-action and "
                              f"(lambda _ (system* ...))")
        out.update(kind="run", argv=commands[0])
    return out


# --- one service ---------------------------------------------------------------------------------

def runner_spec(entry, items: Items, mcron_jobs: str | None = None) -> dict:
    """The runner spec (a JSON-ready dict) of a ShepherdEntry."""
    rec = entry.record
    provision = [s.name for s in to_list(rec["provision"])]
    spec: dict = {"version": 0, "provision": provision}
    requirement = [s.name for s in to_list(rec["requirement"])]
    for name in provision + requirement:
        if not name or not name.isprintable() or any(c.isspace() for c in name):
            raise build_error(f"Shepherd service name {name!r} (from "
                              f"{entry.origin.type.name}) cannot name a service: write "
                              f"letters, digits and punctuation, without spaces or control "
                              f"characters", rec.loc or entry.origin.loc)
    if requirement:
        spec["requirement"] = requirement
    spec["documentation"] = pystr(rec["documentation"])
    if entry.milestone:
        spec["host-milestone"] = True
        return spec
    try:
        start, one_shot = start_of(items.lower(rec["start"]), items)
        one_shot = one_shot or rec["one-shot?"] is True
        if mcron_jobs is not None and start["kind"] == "process":
            start = _mcron(start, mcron_jobs, items)
        stop = stop_of(items.lower(rec["stop"]), start["kind"])
        actions = [action_of(a, items) for a in to_list(rec["actions"])]
    except Unsupported as e:
        raise build_error(f"Shepherd service {provision[0]} (from {entry.origin.type.name}): "
                          f"{e}", rec.loc or entry.origin.loc) from None
    if rec["respawn?"] is True and start["kind"] in ("process", "mcron", "vm") and not one_shot:
        spec["respawn"] = True
    if rec["auto-start?"] is False:
        spec["auto-start"] = False
    if one_shot:
        if start["kind"] not in ("process", "none"):
            raise build_error(f"Shepherd service {provision[0]}: only a command can be "
                              f"one-shot", rec.loc or entry.origin.loc)
        spec["one-shot"] = True
    spec["start"] = start
    if stop:
        spec["stop"] = stop
    if actions:
        spec["actions"] = actions
    return spec


def wait_for_secrets(specs: list[dict]) -> None:
    """In a guest that receives its secrets (secret-service-type), every other service
    waits for them, as in Guix: sshd must start with the host keys the host sent."""
    if not any("secret-service" in spec["provision"] for spec in specs):
        return
    for spec in specs:
        if "secret-service" not in spec["provision"] and not spec.get("host-milestone"):
            requirement = spec.setdefault("requirement", [])
            if "secret-service" not in requirement:
                requirement.append("secret-service")


def _mcron(start: dict, jobs: str, items) -> dict:
    """mcron's process, as the supervisor's mcron runner: GNU mcron on the jobs file,
    with its log options, and the file that does their work for an mcron without them."""
    out = {"kind": "mcron", "mcron": start["argv"][0], "jobs": [jobs]}
    log = mcron.log_options(start["argv"][1:])
    if "--log" in log:
        out["log-options"] = log
        out["log-emulation"] = items.add("mcron-log.scm",
                                         FileData(mcron.log_emulation(log).encode()))
    for key in ("environment", "user", "group", "supplementary-groups", "log-file",
                "directory", "file-creation-mask", "create-session", "resource-limits",
                "package"):
        if key in start:
            out[key] = start[key]
    return out


def spec_file_name(spec: dict) -> str:
    """`services/NAME.json`: the canonical name, made a safe file name."""
    name = spec["provision"][0]
    return safe_name(name.replace("/", "%")) + ".json"


# --- the run script ------------------------------------------------------------------------------

def run_script(spec: dict, vsys: list[str]) -> str:
    """A POSIX shell script doing what the supervisor does to start SPEC, in the
    foreground.  Every value is quoted: nothing in a spec can inject a command."""
    q = shlex.quote
    name = spec["provision"][0]
    doc = " ".join(spec.get("documentation", "").split())
    lines = ["#!/bin/sh", f"# {_comment(name)}: {_comment(doc)}",
             "# What `vsys shepherd` runs to start this service, for a person to run by "
             "hand."]
    if spec.get("requirement"):
        lines.append("# Start these first: " + _comment(" ".join(spec["requirement"])))
    start = spec["start"]
    kind = start["kind"]
    lines.append("set -e")
    if start.get("log-file"):
        lines.append(f"# The supervisor logs to {_comment(start['log-file'])}.")
    if start.get("pid-file"):
        lines.append(f"# The program writes its PID to {_comment(start['pid-file'])}.")
    if start.get("directory"):
        lines.append(f"cd {q(start['directory'])}")
    if kind == "none":
        lines += ["# Nothing runs: the service only groups others.", "exit 0"]
        return "\n".join(lines) + "\n"
    if kind == "binfmt":
        directory = start.get("binfmt-directory", "/proc/sys/fs/binfmt_misc")
        for entry in start["entries"]:
            entry_name = entry.split(entry[0])[1]
            lines.append(f"[ -e {q(directory + '/' + entry_name)} ] || "
                         f"printf '%s' {q(entry)} > {q(directory + '/register')}")
        return "\n".join(lines) + "\n"
    env = start.get("environment")
    # `--`: no entry can ever be read as an option of env.
    prefix = ["env", "-i", "--", *(f"{k}={v}" for k, v in env.items())] \
        if env is not None else []
    user, group = start.get("user"), start.get("group")
    run = "exec"
    if user is not None or group is not None or start.get("supplementary-groups"):
        lines += ["# As root, run as the service's user and group; otherwise as oneself.",
                  'as_user() { if [ "$(id -u)" = 0 ]; then ' + _setpriv(start) +
                  ' "$@"; else "$@"; fi; }']
        run = "as_user"
    for argv in start.get("pre-start", []):
        lines.append(_words([*prefix, *argv]))
    lines += _process_settings(start)
    command = [start["mcron"], *start["jobs"]] if kind == "mcron" else start["argv"]
    if kind == "mcron" and start.get("log-options"):
        # The log options where this mcron has them, else the file that does their work.
        lines += [f"if {q(start['mcron'])} --help 2>&1 | grep -q -e --log; then",
                  f"  {run} " + _words([*prefix, start["mcron"], *start["log-options"],
                                        *start["jobs"]]),
                  "fi",
                  f"{run} " + _words([*prefix, start["mcron"], start["log-emulation"],
                                      *start["jobs"]])]
        return "\n".join(lines) + "\n"
    if kind != "vm":
        if spec.get("one-shot") and run == "exec":
            run = ""                        # it runs to completion: the script goes on
        lines.append((run + " " if run else "") + _words([*prefix, *command]))
        return "\n".join(lines) + "\n"
    # QEMU: the KVM option goes right after the program, when /dev/kvm allows it.
    lines.append("set --")
    if start.get("kvm-option"):
        test = "[ -e /dev/kvm ]" if start.get("kvm-access") == "exists" else \
            "[ -r /dev/kvm ] && [ -w /dev/kvm ]"
        lines.append(f"if {test}; then set -- {q(start['kvm-option'])}; fi")
    qemu = _words([*prefix, command[0]]) + ' "$@" ' + _words(command[1:])
    secrets = start.get("secrets")
    if not secrets:
        lines.append(f"{run} {qemu}")
        return "\n".join(lines) + "\n"
    send = [*vsys, "secret-service", "send", "--port", str(secrets["port"]),
            "--root", secrets["root"]]
    lines += [("as_user " if run == "as_user" else "") + qemu + " &", "qemu=$!",
              "# Once QEMU runs, send the secrets; without them the guest is stopped.",
              _words(send) + ' || { kill "$qemu"; exit 1; }', 'wait "$qemu"']
    return "\n".join(lines) + "\n"


def _setpriv(start: dict) -> str:
    """The setpriv command giving the process the credentials the supervisor gives it:
    the user, its primary group unless `group` says otherwise, and the supplementary
    groups (the user's own unless `supplementary-groups` names them)."""
    user, group = start.get("user"), start.get("group")
    groups = start.get("supplementary-groups")
    words = ["setpriv"]
    if user is not None:
        words.append(shlex.quote(f"--reuid={user}"))
    if groups:
        words.append(shlex.quote("--groups=" + ",".join(map(str, groups))))
    elif user is not None:
        words.append("--init-groups")
    elif group is not None:
        words.append("--keep-groups")
    if group is not None:
        words.append(shlex.quote(f"--regid={group}"))
    elif user is not None:
        words.append(f'"--regid=$(id -g {shlex.quote(str(user))})"')
    return " ".join(words)


# sh's ulimit option for each resource it can set, and the bytes of its unit.
ULIMIT = {"cpu": ("-t", 1), "fsize": ("-f", 512), "data": ("-d", 1024),
          "stack": ("-s", 1024), "core": ("-c", 512), "rss": ("-m", 1024),
          "memlock": ("-l", 1024), "nofile": ("-n", 1), "as": ("-v", 1024),
          "rtprio": ("-r", 1)}


def _process_settings(start: dict) -> list[str]:
    """`umask` and `ulimit` lines for the file creation mask and the resource limits."""
    lines = []
    if "file-creation-mask" in start:
        lines.append(f"umask {start['file-creation-mask']:03o}")
    for name, soft, hard in start.get("resource-limits", []):
        option, unit = ULIMIT.get(name, (None, 1))
        if option is None or any(v != "unlimited" and v % unit for v in (soft, hard)):
            lines.append(f"# The supervisor also limits {_comment(name)} to {soft} (soft) and "
                         f"{hard} (hard), which sh's ulimit cannot express.")
            continue
        soft, hard = (v if v == "unlimited" else v // unit for v in (soft, hard))
        lines.append(f"ulimit {option} {hard}")
        if soft != hard:
            lines.append(f"ulimit -S {option} {soft}")
    return lines


def _words(argv: list[str]) -> str:
    return " ".join(shlex.quote(a) for a in argv)


def _comment(text: str) -> str:
    """TEXT on one comment line."""
    return " ".join(str(text).split())
