"""Shepherd services: what the supervisor runs, as Guix describes it.

Services extend `shepherd-root` with `shepherd-service` records whose `start`, `stop`
and action procedures are gexps, written exactly as a Guix service writes them
(`make-forkexec-constructor`, `make-kill-destructor`, `(lambda _ ...)`); the builder
turns them into runner specs.

vsys runs on a host that already provides some of what Guix's base services start
(user processes, networking, udev, D-Bus...).  Those names are *host milestones*: shepherd
services marked `host-milestone?` that start nothing and exist so that requirements
resolve.  A real service providing the same name replaces the milestone.
"""

from __future__ import annotations

from typing import Any

from vsys.dsl import compiler
from vsys.dsl.datatypes import NIL, Keyword, Pair, Symbol, from_list, is_list, pystr, to_list
from vsys.dsl.errors import Condition, SchemeError, did_you_mean
from vsys.dsl.printer import write_string
from vsys.dsl.procedures import call, make_primitive
from vsys.dsl.records import Field, FieldType, Record, RecordType, install_record_type

from .field_types import (
    BOOLEAN,
    GEXP,
    GEXP_OR_FALSE,
    NONEMPTY_SYMBOL_LIST,
    STRING,
    SYMBOL,
    SYMBOL_LIST,
)
from .files import split_keywords
from .gexp import Gexp, gexp
from .services import (
    NO_DEFAULT,
    Folded,
    Service,
    ServiceExtension,
    ServiceType,
    append_values,
    concatenate,
)

# --- field types --------------------------------------------------------------------------------

def _actions(x: Any) -> bool:
    return is_list(x) and all(type(a) is Record and a.rtype is SHEPHERD_ACTION
                              for a in to_list(x))


def _default_stop(rec: Record) -> Gexp:
    return gexp(from_list([Symbol("const"), False]))


SHEPHERD_ACTION = RecordType("shepherd-action", [
    Field("name", SYMBOL,
          doc="The name of the action, a symbol: `herd NAME SERVICE` runs it."),
    Field("procedure", GEXP,
          doc="A gexp for a procedure of the running service's value and any extra "
              "arguments, returning the action's result."),
    Field("documentation", STRING, "",
          doc="What the action does, shown by `herd doc SERVICE action NAME`."),
], doc="An action a Shepherd service offers besides start and stop, such as "
       "`configuration` or `force-start`.")

SHEPHERD_SERVICE = RecordType("shepherd-service", [
    Field("provision", NONEMPTY_SYMBOL_LIST,
          doc="The names this service provides, symbols; the first is its canonical "
              "name, the others are aliases (other services may require any of them)."),
    Field("requirement", SYMBOL_LIST, NIL,
          doc="The names of the services that must be running before this one starts."),
    Field("one-shot?", BOOLEAN, False,
          doc="Whether the service is a one-shot: its start procedure runs to "
              "completion and the service is then stopped again."),
    Field("respawn?", BOOLEAN, True,
          doc="Whether to restart the service when its process terminates."),
    Field("respawn-limit", FieldType("pair of integers or #f", lambda x: x is False or (
        type(x) is Pair and type(x.car) is int and type(x.cdr) is int)), False,
          doc="How many restarts within how many seconds, as (COUNT . SECONDS), before "
              "the service is disabled; #f for Shepherd's default (5 in 7 seconds)."),
    Field("respawn-delay", FieldType("number or #f", lambda x: x is False or (
        type(x) in (int, float) and x >= 0)), False,
          doc="Seconds to wait before restarting a terminated process; #f for the "
              "default (0.1 second)."),
    Field("auto-start?", BOOLEAN, True,
          doc="Whether the service is started when the system starts; when #f it is "
              "started on demand, e.g. with `herd start`."),
    Field("start", GEXP,
          doc="A gexp for the procedure that starts the service, usually "
              "(make-forkexec-constructor (list PROGRAM ARG ...) ...)."),
    Field("stop", GEXP, thunk=_default_stop, default_text="#~(const #f)",
          doc="A gexp for the procedure that stops it, usually (make-kill-destructor)."),
    Field("actions", FieldType("list of shepherd-action", _actions), NIL,
          doc="Extra actions, each a shepherd-action record."),
    Field("documentation", STRING, "[No documentation.]",
          doc="What the service does, shown by `herd doc`."),
    Field("modules", FieldType("list of module names", is_list), NIL,
          doc="Guile modules the start and stop gexps use, besides the default ones."),
    Field("free-form", GEXP_OR_FALSE, False,
          doc="When not #f, a gexp evaluating to the whole service object, used instead "
              "of the fields above (rarely needed)."),
    Field("host-milestone?", BOOLEAN, False,
          doc="True when the host itself provides what this service stands for "
              "(networking, udev, D-Bus...): it starts nothing, and a real service "
              "providing the same name replaces it (a vsys addition)."),
], doc="A service the Shepherd supervises: what it provides and requires, and gexps "
       "saying how to start and stop it.")


def shepherd_service(**fields: Any) -> Record:
    """Build a shepherd-service record from Python: `shepherd_service(provision=[...],
    requirement=[...], start=forkexec([...]), ...)`.  Keyword names use `_` for `-`
    and drop `?` (`auto_start`, `one_shot`, `respawn`, `host_milestone`)."""
    values = {}
    for k, v in fields.items():
        name = k.replace("_", "-")
        if name not in SHEPHERD_SERVICE.index and name + "?" in SHEPHERD_SERVICE.index:
            name += "?"
        if name in ("provision", "requirement") and isinstance(v, (list, tuple)):
            v = from_list([Symbol(s) if isinstance(s, str) else s for s in v])
        elif name == "actions" and isinstance(v, (list, tuple)):
            v = from_list(list(v))
        elif name == "modules" and isinstance(v, (list, tuple)):
            v = from_list(list(v))
        values[name] = v
    return SHEPHERD_SERVICE.make(values)


def shepherd_action(name: str, procedure: Gexp, documentation: str = "") -> Record:
    return SHEPHERD_ACTION.make({"name": Symbol(name), "procedure": procedure,
                                 "documentation": documentation})


def canonical_name(svc: Record) -> Symbol:
    return to_list(svc["provision"])[0]


# --- the gexps Guix services write ----------------------------------------------------------

def _arg(x: Any) -> Any:
    """A value placed in generated code: strings and numbers as themselves, file-likes
    and packages as references, Python lists as (list ...)."""
    if isinstance(x, (list, tuple)):
        return Pair(Symbol("list"), from_list([_arg(e) for e in x]))
    return x


def forkexec(argv: list, environment: Any = None, user: str | None = None,
             group: str | None = None, pid_file: str | None = None,
             log_file: str | None = None, directory: str | None = None,
             supplementary_groups: list | None = None) -> Gexp:
    """`#~(make-forkexec-constructor (list ARG ...) #:user ... #:environment-variables
    (list "K=V" ...) ...)`.  ARGs are strings, file-likes, packages, `FileAppend`s or
    gexps.  `environment` is a list of "K=V" strings or a dict; a dict value that is
    not a string is joined with `string-append` (e.g. a FileAppend)."""
    code: list = [Symbol("make-forkexec-constructor"),
                  Pair(Symbol("list"), from_list([_arg(a) for a in argv]))]
    if user is not None:
        code += [Keyword("user"), user]
    if group is not None:
        code += [Keyword("group"), group]
    if supplementary_groups is not None:
        code += [Keyword("supplementary-groups"),
                 Pair(Symbol("list"), from_list(list(supplementary_groups)))]
    if pid_file is not None:
        code += [Keyword("pid-file"), pid_file]
    if log_file is not None:
        code += [Keyword("log-file"), log_file]
    if directory is not None:
        code += [Keyword("directory"), directory]
    if environment is not None:
        code += [Keyword("environment-variables"), _environment(environment)]
    return gexp(from_list(code))


def _environment(env: Any) -> Any:
    if isinstance(env, dict):
        items = []
        for k, v in env.items():
            if isinstance(v, str):
                items.append(f"{k}={v}")
            else:
                parts = list(v) if isinstance(v, (list, tuple)) else [v]
                items.append(Pair(Symbol("string-append"), from_list([f"{k}="] + parts)))
        return Pair(Symbol("list"), from_list(items))
    if isinstance(env, (list, tuple)):
        return Pair(Symbol("list"), from_list(list(env)))
    return env        # already Scheme code


def kill_destructor(signal: Any = None) -> Gexp:
    """`#~(make-kill-destructor)`, or with a signal: `#~(make-kill-destructor SIGINT)`
    (`signal` a name such as "SIGINT" or a number)."""
    code: list = [Symbol("make-kill-destructor")]
    if signal is not None:
        code.append(Symbol(signal) if isinstance(signal, str) else signal)
    return gexp(from_list(code))


# What every vsys host provides to the services it runs (the essential host-milestones
# service of base.py provides them), so requirements of these names always resolve.
HOST_MILESTONES = ("user-processes", "networking", "loopback", "udev", "dbus-system",
                   "syslogd", "file-system-/proc/sys/fs/binfmt_misc")


def milestone(name: str, documentation: str = "") -> Record:
    """A host milestone: the shepherd service for NAME, which the host provides."""
    return shepherd_service(
        provision=[name], start=gexp(from_list([Symbol("const"), True])),
        stop=gexp(from_list([Symbol("const"), False])),
        documentation=documentation or f"Provided by the host: {name}.",
        respawn=False, host_milestone=True)


# --- the root service ------------------------------------------------------------------------

def _check_services(value: Any) -> Any:
    return value


shepherd_root_service_type = ServiceType(
    "shepherd-root", [], concatenate, append_values, NIL,
    "The Shepherd, the service manager: it runs the services that extend it, each "
    "given as a list of shepherd-service records.", module="(gnu services shepherd)")


def shepherd_service_type(name: str, proc, default=None, description: str = "",
                          has_default: bool = False) -> ServiceType:
    """A service type whose value is turned into one shepherd service by PROC (Guix's
    `shepherd-service-type`)."""
    return ServiceType(name, [ServiceExtension(
        shepherd_root_service_type, lambda v: from_list([call(proc, [v])]))],
        default_value=default if has_default else NO_DEFAULT,
        description=description or f"The {name} Shepherd service.")


# --- after folding ----------------------------------------------------------------------------

class ShepherdEntry:
    """One shepherd service of the folded system and the service that contributed it."""

    __slots__ = ("record", "origin")

    def __init__(self, record: Record, origin: Service):
        self.record = record
        self.origin = origin

    @property
    def milestone(self) -> bool:
        return self.record["host-milestone?"] is True

    def __repr__(self) -> str:
        return f"<shepherd {canonical_name(self.record).name} from {self.origin.type.name}>"


def shepherd_entries(folded: Folded) -> list[ShepherdEntry]:
    """Every shepherd-service record contributed to shepherd-root, with its origin."""
    out: list[ShepherdEntry] = []
    for s in folded.services:
        for ext in s.type.extensions:
            if ext.target is not shepherd_root_service_type:
                continue
            contributed = ext.compute(folded.value(s))
            for rec in to_list(contributed) if is_list(contributed) else [contributed]:
                out.append(ShepherdEntry(_check_record(rec, s), s))
    for s in folded.of_type(shepherd_root_service_type):
        for rec in to_list(s.value):
            out.append(ShepherdEntry(_check_record(rec, s), s))
    return out


def _check_record(rec: Any, origin: Service) -> Record:
    if type(rec) is Record and rec.rtype is SHEPHERD_SERVICE:
        return rec
    raise SchemeError(Condition(
        "service-error", f"{origin.type.name} extends shepherd-root with "
        f"{write_string(rec)}, which is not a shepherd-service", (rec,), None,
        ["the extension of shepherd-root-service-type returns a list of "
         "(shepherd-service ...) records"], loc=origin.loc))


# Names `herd` gives a meaning of its own (as vsys.runner_spec, which refuses them too).
RESERVED_NAMES = ("root", "all")


def name_problem(name: str) -> str | None:
    """Why NAME cannot name a service of vsys's supervisor, or None."""
    if not name:
        return "it is empty"
    if any(c.isspace() for c in name):
        return "it holds a blank or a line break"
    if name in RESERVED_NAMES:
        return f"herd gives {name} a meaning of its own"
    return None


def _check_names(e: ShepherdEntry) -> None:
    for name in to_list(e.record["provision"]):
        problem = name_problem(name.name)
        if problem:
            raise SchemeError(Condition(
                "service-error", f"{e.origin.type.name} provides a Shepherd service named "
                f"{write_string(name.name)}, which cannot name a service: {problem}",
                (name,), None, ["a file system's Shepherd service is named after its mount "
                                "point, file-system-MOUNT-POINT"]
                if e.origin.type.name == "file-systems" else [],
                loc=e.record.loc or e.origin.loc))


def check_shepherd_conflicts(folded: Folded) -> list[ShepherdEntry]:
    """The shepherd services of the system, host milestones replaced by real services
    providing the same name.  Two real services providing one name are an error naming
    both and their locations; so is a requirement nothing provides, and a name the
    supervisor cannot use."""
    entries = shepherd_entries(folded)
    providers: dict[Symbol, ShepherdEntry] = {}
    for e in entries:
        _check_names(e)
        if e.milestone:
            continue
        for name in to_list(e.record["provision"]):
            other = providers.get(name)
            if other is not None and other is not e:
                raise SchemeError(Condition(
                    "service-error",
                    f"two services provide the Shepherd service {name.name}: "
                    f"{other.origin.type.name} ({other.origin.where()}) and "
                    f"{e.origin.type.name} ({e.origin.where()})", (name,), None,
                    ["each Shepherd name may be provided once; give one of the services "
                     "a distinct name (for instance a distinct id)"], loc=e.origin.loc))
            providers[name] = e
    result: list[ShepherdEntry] = []
    seen_milestones: set[Symbol] = set()
    for e in entries:
        if e.milestone:
            names = [n for n in to_list(e.record["provision"])
                     if n not in providers and n not in seen_milestones]
            if not names:
                continue
            seen_milestones.update(names)
        result.append(e)
    # What every vsys host provides counts even when folding a bare list of services
    # (the operating-system's essential host-milestones service provides them too).
    provided = set(providers) | seen_milestones | {Symbol(n) for n in HOST_MILESTONES}
    for e in result:
        for req in to_list(e.record["requirement"]):
            if req not in provided:
                raise SchemeError(Condition(
                    "service-error",
                    f"Shepherd service {canonical_name(e.record).name} (from "
                    f"{e.origin.type.name}) requires {req.name}, which no service provides",
                    (req,), None, did_you_mean(req.name, [p.name for p in provided]),
                    loc=e.origin.loc))
    return result


# Procedures of GNU Shepherd (and those vsys's supervisor adds): they exist where the
# service runs, so a config names them only inside a G-expression.
SHEPHERD_SIDE = frozenset({
    "make-forkexec-constructor", "make-kill-destructor", "make-system-constructor",
    "make-system-destructor", "make-inetd-constructor", "make-inetd-destructor",
    "make-systemd-constructor", "make-systemd-destructor", "make-timer-constructor",
    "make-timer-destructor", "fork+exec-command", "make-qemu-vm-constructor",
    "make-binfmt-registration", "make-binfmt-unregistration", "make-print-action",
    "make-force-start-action", "default-environment-variables", "read-pid-file"})


def shepherd_side_hint(sym: Symbol) -> list[str]:
    """The hint for a Shepherd procedure called while the config is evaluated."""
    name = sym.name
    if name not in SHEPHERD_SIDE:
        return []
    field = ("stop" if "destructor" in name or "unregistration" in name else
             "procedure" if name.endswith("-action") else
             "start" if "constructor" in name or "registration" in name else None)
    code = f"#~({name} ...)"
    return [f"{name} is a Shepherd procedure: it exists when the service runs, not when "
            f"the config is read; write it inside a G-expression: "
            f"{f'({field} {code})' if field else code}"]


compiler.UNBOUND_HINTS.append(shepherd_side_hint)


def install(module) -> None:
    """The names of (gnu services shepherd)."""
    install_record_type(module, SHEPHERD_SERVICE)
    install_record_type(module, SHEPHERD_ACTION)
    d = module.define
    d(Symbol("shepherd-root-service-type"), shepherd_root_service_type, True)

    def shepherd_service_type_s(name, proc, *rest):
        """(shepherd-service-type NAME PROC [DEFAULT] [#:description TEXT])"""
        pos, kw = split_keywords("shepherd-service-type", rest, ("description",))
        label = name.name if type(name) is Symbol else pystr(name)
        return shepherd_service_type(label, proc, pos[0] if pos else None,
                                     pystr(kw.get("description", "")), bool(pos))

    prims = {
        "shepherd-service-type": shepherd_service_type_s,
        "shepherd-service-canonical-name": lambda s: canonical_name(s),
    }
    for pname, fn in prims.items():
        d(Symbol(pname), make_primitive(pname, fn), True)
    d(Symbol("%default-modules"), from_list([
        from_list([Symbol("shepherd"), Symbol("service")]),
        from_list([Symbol("oop"), Symbol("goops")])]), True)


__all__ = ["shepherd_root_service_type", "SHEPHERD_SERVICE", "SHEPHERD_ACTION",
           "shepherd_service", "shepherd_action", "forkexec", "kill_destructor",
           "milestone", "check_shepherd_conflicts", "shepherd_entries", "canonical_name"]
