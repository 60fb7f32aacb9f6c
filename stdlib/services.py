"""Guix's service model: service types, extensions, services, and folding.

A *service type* says what a service of that type extends (its extensions: a target type
and a function from this service's value to a contribution), and, when it can itself be
extended, how contributions combine (`compose`) and merge into its own value (`extend`).
Folding a list of services computes each service's final value: its own value extended
by the composed contributions of every service that extends its type.  Builders then
read the final values of the types they care about (shepherd-root, etc, account...).

Everything here works the same for types written in Python (the library's) and in
Scheme (a config's own `service-type`); their functions are called alike.
"""

from __future__ import annotations

from typing import Any, Callable

from vsys.dsl.compiler import Ctx, SpecialForm, compile_form, compile_lambda, is_ident, name_of
from vsys.dsl.datatypes import NIL, Location, Pair, Symbol, from_list, is_list, to_list
from vsys.dsl.errors import Condition, SchemeError, article, syntax_error, wrong_type
from vsys.dsl.located import CallSite, located_procedure
from vsys.dsl.modules import Module
from vsys.dsl.printer import write_string
from vsys.dsl.procedures import is_procedure, make_primitive
from vsys.dsl.records import Field, FieldType, Record, RecordType, install_record_type

NO_DEFAULT = object()


class ServiceType:
    __slots__ = ("name", "extensions", "compose", "extend", "default_value", "description",
                 "module", "loc", "record", "element")

    def __init__(self, name: str, extensions: list["ServiceExtension"] | None = None,
                 compose: Callable | None = None, extend: Callable | None = None,
                 default_value: Any = NO_DEFAULT, description: str = "",
                 module: str = "", loc: Location | None = None,
                 element: FieldType | None = None):
        self.name = name
        self.extensions = list(extensions or [])
        self.compose = compose
        self.extend = extend
        self.default_value = default_value
        self.description = description
        self.module = module          # the Guix module that provides it, for search/show
        self.loc = loc
        self.record = None
        self.element = element        # for a list-valued type: what each element must be
                                      # (its name in the plural: "host records")

    @property
    def has_default(self) -> bool:
        return self.default_value is not NO_DEFAULT

    def scheme_repr(self, write: bool) -> str:
        return f"#<service-type {self.name}>"

    def __repr__(self) -> str:
        return f"<service-type {self.name}>"


class ServiceExtension:
    __slots__ = ("target", "compute")

    def __init__(self, target: ServiceType, compute: Callable):
        self.target = target
        self.compute = compute

    def scheme_repr(self, write: bool) -> str:
        target = self.target.name if isinstance(self.target, ServiceType) else \
            write_string(self.target)
        return f"#<service-extension {target}>"


class Service:
    __slots__ = ("type", "value", "loc", "reason")

    def __init__(self, type_: ServiceType, value: Any, loc: Location | None = None,
                 reason: str = ""):
        self.type = type_
        self.value = value
        self.loc = loc
        self.reason = reason          # why it exists when the user didn't write it

    def scheme_repr(self, write: bool) -> str:
        return f"#<service {self.type.name}>"

    def __repr__(self) -> str:
        return f"<service {self.type.name}>"

    def where(self) -> str:
        if self.loc is not None:
            return str(self.loc)
        return self.reason or "(added by vsys)"


def identity(x: Any) -> Any:
    return x


def concatenate(lists: list) -> Any:
    """The usual `compose` for list-valued types: join the contributions."""
    items: list = []
    for contribution in lists:
        items.extend(to_list(contribution) if is_list(contribution) else [contribution])
    return from_list(items)


def append_values(value: Any, extra: Any) -> Any:
    """The usual `extend` for list-valued types: the value followed by the extensions."""
    return from_list(to_list(value) + to_list(extra))


# --- making services --------------------------------------------------------------------------

def make_service(site: CallSite, type, value=NO_DEFAULT) -> Service:  # noqa: A002
    """(service TYPE [VALUE]): a service of TYPE; without VALUE, TYPE's default."""
    type_ = type   # the parameter keeps the manual's name: messages show (service type [value])
    if not isinstance(type_, ServiceType):
        hint = []
        if isinstance(type_, Record):
            hint = [f"the first argument is the service *type*, e.g. "
                    f"(service {type_.rtype.name.replace('-configuration', '')}-service-type "
                    f"({type_.rtype.name} ...))"]
        err = wrong_type("service", 1, "service type", type_)
        err.payload.hints.extend(hint)
        raise err
    if value is NO_DEFAULT:
        if not type_.has_default:
            raise SchemeError(Condition(
                "service-error", f"{type_.name} has no default value; give it one",
                (), "service", [f"write (service {type_.name}-service-type VALUE)"]
                if not type_.name.endswith("-service-type") else
                [f"write (service {type_.name} VALUE)"], loc=site.loc))
        value = type_.default_value
    else:
        check_value(type_, value, "service", site.loc)
    return Service(type_, value, site.loc)


def check_value(type_: ServiceType, value: Any, who: str, loc: Location | None) -> None:
    """A service type of the library whose default value is a configuration record takes
    a record of that type, and one whose default is a list takes a list: anything else
    would fail deep inside the code that uses the value.  (A config's own service types
    take whatever their procedures accept.)"""
    if type_.record is not None or not type_.has_default or hasattr(type_, "reason"):
        return    # (an unimplemented module's type: the host takes what Guix takes)
    default = type_.default_value
    if type(default) is Record:
        if type(value) is Record and value.rtype is default.rtype:
            return
        rname = default.rtype.name
        expected = f"{article(rname)} {rname} record"
        hint = f"write ({rname} (FIELD VALUE) ...) there"
        if type(value) is Record:       # perhaps the value of one of its fields
            fits = [f.name for f in default.rtype.fields
                    if f.type is not None and f.type.check(value)]
            if fits:
                hint = (f"a {value.rtype.name} goes in the {' or '.join(fits)} field: write "
                        f"({rname} ({fits[0]} ...))")
    elif default is NIL or type(default) is Pair:
        if is_list(value):
            check_elements(type_, value, who, loc)
            return
        expected, hint = "a list", "write (list ...) there, even for a single element"
    else:
        return
    shown = write_string(value)
    raise SchemeError(Condition(
        "wrong-type-arg", f"{who}: the value of service type {type_.name} must be {expected}, "
        f"got {shown[:80]}{'...' if len(shown) > 80 else ''}", (value,), who, [hint], loc=loc))


def service_type_label(t: ServiceType) -> str:
    return t.name


# --- folding ----------------------------------------------------------------------------------

class Folded:
    """The result of folding: every service (including those added because something
    extends them) and its final value."""

    def __init__(self, services: list[Service], values: dict[int, Any]):
        self.services = services
        self._values = values

    def value(self, service: Service) -> Any:
        return self._values[id(service)]

    def of_type(self, t: ServiceType) -> list[Service]:
        return [s for s in self.services if s.type is t]

    def values_of(self, t: ServiceType) -> list[Any]:
        return [self._values[id(s)] for s in self.services if s.type is t]

    def one(self, t: ServiceType) -> Any:
        vals = self.values_of(t)
        return vals[0] if vals else None


# The services whose contributions are being computed, innermost last: what they make
# without a location of its own (a port claim of a default configuration, an error) is
# located at the (service ...) form that asked for it.
_lowering: list[Service] = []


def lowering_location() -> Location | None:
    """Where the service whose extension is being computed was written, if known."""
    for s in reversed(_lowering):
        if s.loc is not None:
            return s.loc
    return None


def _contribution(service: Service, ext: ServiceExtension, value: Any) -> Any:
    """What SERVICE (whose folded value is VALUE) contributes to EXT's target."""
    _lowering.append(service)
    try:
        out = ext.compute(value)
    except SchemeError as e:
        if e.loc is None:
            e.loc = lowering_location()
        raise
    except (RecursionError, MemoryError):
        raise
    except Exception as e:  # noqa: BLE001 -- a value the type's code did not expect
        raise unusable(f"vsys could not compute what {service.type.name} contributes to "
                       f"{ext.target.name} from its value", value, lowering_location(),
                       e) from e
    finally:
        _lowering.pop()
    if ext.target.element is not None:
        check_elements(ext.target, out, f"{service.type.name} extends {ext.target.name}",
                       service.loc)
    return out


def unusable(message: str, value: Any, loc: Location | None, cause: Exception) -> SchemeError:
    """The error for a Python exception raised by the library's code on a value it did
    not expect: a type check is missing somewhere, so say where the value came from."""
    shown = write_string(value)
    hints = []
    if type(value) is Record:
        hints.append(f"its fields are described by: vsys show {value.rtype.name}")
    hints.append(f"if the value is right, this is a bug in vsys ({cause.__class__.__name__}; "
                 f"--debug shows the Python backtrace)")
    return SchemeError(Condition(
        "service-error", f"{message} {shown[:80]}{'...' if len(shown) > 80 else ''}", (value,),
        None, hints, loc=loc))


def _extended(target: Service, deps: list, contributions: list) -> Any:
    """TARGET's value extended with the CONTRIBUTIONS of the services DEPS.  What goes
    wrong is located at the first of them written in the config (the contributions are
    what is new), else at TARGET."""
    loc = next((d.loc for d, _ in deps if d.loc is not None), target.loc)
    try:
        return target.type.extend(target.value, target.type.compose(from_list(contributions)))
    except SchemeError as e:
        if e.loc is None:
            e.loc = loc
        raise
    except (RecursionError, MemoryError):
        raise
    except Exception as e:  # noqa: BLE001 -- a contribution the type's code did not expect
        names = sorted({d.type.name for d, _ in deps})
        raise unusable(f"vsys could not extend {target.type.name} with what "
                       f"{', '.join(names)} contribute{'s' if len(names) == 1 else ''}:",
                       from_list(contributions), loc, e) from e


def service_error(message: str, service: Service | None, hints: list[str] | None = None):
    return SchemeError(Condition("service-error", message, (), None, hints or [],
                                 loc=service.loc if service is not None else None))


def instantiate_missing(services: list[Service]) -> list[Service]:
    """Add a default-valued service for every extended type nobody instantiated."""
    result = list(services)
    present = {s.type for s in result}
    queue = list(result)
    while queue:
        s = queue.pop(0)
        for ext in s.type.extensions:
            target = ext.target
            if not isinstance(target, ServiceType):
                raise service_error(
                    f"service {s.type.name} extends {write_string(target)}, which is not "
                    f"a service type", s, ["the first argument of service-extension is "
                                           "the service type extended"])
            if target in present:
                continue
            if not target.has_default:
                raise service_error(
                    f"service {s.type.name} extends {target.name}, but there is no "
                    f"{target.name} service and it has no default value", s,
                    [f"add (service {target.name} VALUE) to the services"])
            new = Service(target, target.default_value, None,
                          f"(added because {s.type.name} extends it)")
            result.append(new)
            present.add(target)
            queue.append(new)
    return result


def fold_services(services: list[Service]) -> Folded:
    services = instantiate_missing(services)
    by_type: dict[ServiceType, list[Service]] = {}
    for s in services:
        by_type.setdefault(s.type, []).append(s)
    # Who extends whom: target service -> [(extending service, extension)]
    extenders: dict[int, list[tuple[Service, ServiceExtension]]] = {}
    for s in services:
        for ext in s.type.extensions:
            targets = by_type[ext.target]
            if len(targets) > 1:
                places = "; ".join(t.where() for t in targets)
                err = service_error(
                    f"{s.type.name} extends {ext.target.name}, but there are "
                    f"{len(targets)} {ext.target.name} services, so it cannot choose one",
                    targets[1], [f"they are at: {places}",
                                 f"keep a single (service {ext.target.name} ...)"])
                err.loc = next((t.loc for t in [*targets[1:], targets[0], s] if t.loc),
                               None)
                raise err
            target = targets[0]
            if target.type.compose is None or target.type.extend is None:
                raise service_error(f"{ext.target.name} cannot be extended, but "
                                    f"{s.type.name} extends it", s)
            extenders.setdefault(id(target), []).append((s, ext))

    values: dict[int, Any] = {}
    state: dict[int, str] = {}

    def final(s: Service) -> Any:
        # Iterative depth-first evaluation: chains of extensions can be long.
        stack = [s]
        while stack:
            top = stack[-1]
            key = id(top)
            if key in values:
                stack.pop()
                continue
            deps = extenders.get(key, [])
            if state.get(key) != "visiting":
                state[key] = "visiting"
                pending = [d for d, _ in deps if id(d) not in values]
                for d in pending:
                    if state.get(id(d)) == "visiting":
                        raise service_error(f"services {d.type.name} and {top.type.name} "
                                            f"extend each other", d)
                stack.extend(pending)
                if pending:
                    continue
            contributions = [_contribution(d, ext, values[id(d)]) for d, ext in deps]
            if deps:
                values[key] = _extended(top, deps, contributions)
            else:
                values[key] = top.value
            state[key] = "done"
            stack.pop()
        return values[id(s)]

    for s in services:
        final(s)
    return Folded(services, values)


# --- Scheme bindings --------------------------------------------------------------------------

def _proc_or_false(x: Any) -> Any:
    return x if x is not False else None


def _service_type_from_record(rec: Record) -> ServiceType:
    name = rec["name"]
    if type(name) is not Symbol:
        raise wrong_type("service-type", 1, "symbol (the name, as 'my-service)", name)
    exts = to_list(rec["extensions"])
    for e in exts:
        if not isinstance(e, ServiceExtension):
            raise wrong_type("service-type", 1, "list of service-extension", e)
    default = rec["default-value"]
    t = ServiceType(name.name, exts, _proc_or_false(rec["compose"]),
                    _proc_or_false(rec["extend"]),
                    NO_DEFAULT if default is _NOVALUE else default,
                    rec["description"] if rec["description"] is not False else "",
                    loc=rec.loc)
    t.record = rec
    return t


_NOVALUE = Symbol(" no default value")

SERVICE_TYPE_RECORD = RecordType("service-type", [
    Field("name", FieldType("symbol", lambda x: type(x) is Symbol),
          doc="The name of the type, a symbol."),
    Field("extensions", FieldType("list of service extensions", lambda x: is_list(x) and all(
        isinstance(e, ServiceExtension) for e in to_list(x))), NIL,
          doc="The service types this one extends, each with a procedure computing the "
              "contribution from the service's value."),
    Field("compose", None, False,
          doc="Combines the contributions of extending services (#f: cannot be extended)."),
    Field("extend", None, False,
          doc="Merges the composed contributions into the service's own value."),
    Field("default-value", None, _NOVALUE,
          doc="The value used by (service TYPE) with no value."),
    Field("description", None, False, doc="A description of what the service does."),
    Field("location", None, False, doc="Where the type was defined."),
], doc="A service type, as in Guix: (service-type (name 'x) (extensions ...) ...).",
    wrap=_service_type_from_record)


def _service_extension(target, compute):
    """(service-extension TARGET-TYPE COMPUTE): COMPUTE maps a service's value to its
    contribution to TARGET-TYPE.  As in Guix, TARGET-TYPE is checked when a service of
    the extending type is used: a module may define types for another kind of system
    (a home service extending home-profile-service-type) that a config never uses."""
    if not is_procedure(compute):
        raise wrong_type("service-extension", 2, "procedure", compute)
    return ServiceExtension(target, compute)


def _simple_service(site: CallSite, name, target, value):
    """(simple-service NAME TARGET VALUE): a service that only extends TARGET with VALUE."""
    if not isinstance(target, ServiceType):
        raise wrong_type("simple-service", 2, "service type", target)
    label = name.name if type(name) is Symbol else str(name)
    t = ServiceType(label, [ServiceExtension(target, identity)], description=(
        f"Extend {target.name} with a fixed value."), loc=site.loc)
    return Service(t, value, site.loc)


def _check_service(x: Any, who: str) -> Service:
    if type(x) is not Service:
        raise wrong_type(who, 1, "service", x)
    return x


def _services_list(x: Any, who: str) -> list[Service]:
    items = to_list(x)
    for s in items:
        if type(s) is not Service:
            raise SchemeError(Condition(
                "wrong-type-arg", f"{who}: not a service: {write_string(s)}", (s,), who,
                ["a services list holds (service TYPE VALUE) forms; a plain configuration "
                 "record must be wrapped in (service TYPE ...)"]))
    return items


def _modify_services(form: Pair, scope, ctx: Ctx, tail: bool):
    """(modify-services SERVICES (TYPE VAR => EXPR) ... (delete TYPE) ...)"""
    if type(form.cdr) is not Pair:
        raise syntax_error("modify-services needs a list of services", loc=form.loc)
    services_node = compile_form(form.cdr.car, scope, ctx, False, form.loc)
    clauses = []
    p = form.cdr.cdr
    while type(p) is Pair:
        c = p.car
        cloc = p.loc or form.loc
        items = to_list(c) if type(c) is Pair else []
        if len(items) == 2 and is_ident(items[0]) and name_of(items[0]) == "delete":
            clauses.append(("delete", compile_form(items[1], scope, ctx, False, cloc), None,
                            cloc))
        elif len(items) >= 4 and is_ident(items[1]) and is_ident(items[2]) and \
                name_of(items[2]) == "=>":
            type_node = compile_form(items[0], scope, ctx, False, cloc)
            body = c.cdr.cdr.cdr
            maker = compile_lambda(Pair(items[1], NIL), body, scope, ctx, cloc)
            clauses.append(("modify", type_node, maker, cloc))
        else:
            raise syntax_error("bad modify-services clause", loc=cloc,
                               hints=["write (TYPE VAR => NEW-VALUE) or (delete TYPE)"])
        p = p.cdr

    def modify(env):
        services = _services_list(services_node(env), "modify-services")
        for kind, type_node, maker, cloc in clauses:
            t = type_node(env)
            if not isinstance(t, ServiceType):
                raise SchemeError(Condition(
                    "wrong-type-arg", f"modify-services: expected a service type, got "
                    f"{getattr(t, 'name', t)}", (t,), "modify-services", loc=cloc))
            if not any(s.type is t for s in services):
                # As Guix does: a clause that matches nothing is a mistake (a misspelt or
                # wrong type, or the wrong list), not something to ignore.
                raise SchemeError(Condition(
                    "service-error", f"modify-services: no {t.name} service in the list",
                    (), "modify-services",
                    [f"the list has: {', '.join(sorted({s.type.name for s in services}))}",
                     "remove this clause, or add the service to the list first"],
                    loc=cloc))
            if kind == "delete":
                services = [s for s in services if s.type is not t]
            else:
                proc = maker(env)
                services = [_modified(s, proc, cloc) if s.type is t else s for s in services]
        return from_list(services)
    return modify


def check_elements(type_: ServiceType, items: Any, who: str, loc: Location | None) -> None:
    """Each element of a list-valued type's value (or of a contribution to it) must be
    what the type holds (host records for hosts-service-type, ...)."""
    element = type_.element
    if element is None:
        return
    for i, item in enumerate(to_list(items) if is_list(items) else [items], 1):
        if not element.check(item):
            shown = write_string(item)
            raise SchemeError(Condition(
                "wrong-type-arg", f"{who}: service type {type_.name} takes a list of "
                f"{element.name}; element {i} is {shown[:80]}{'...' if len(shown) > 80 else ''}",
                (item,), who, [], loc=loc))


def _modified(s: Service, proc: Any, loc: Location | None) -> Service:
    try:
        value = proc(s.value)
    except SchemeError as e:
        if e.loc is None:       # raised by the clause's body in tail position
            e.loc = loc
        raise
    check_value(s.type, value, "modify-services", loc)
    return Service(s.type, value, s.loc)


def _fold_services(services, *options):
    """(fold-services SERVICES): the services with their final, folded values."""
    folded = fold_services(_services_list(services, "fold-services"))
    return from_list([Service(s.type, folded.value(s), s.loc, s.reason)
                      for s in folded.services])


def install(module: Module) -> None:
    """Define the service model's names in `module` (used for (gnu services))."""
    install_record_type(module, SERVICE_TYPE_RECORD)
    d = module.define
    d(Symbol("service"), located_procedure("service", make_service), True)
    d(Symbol("simple-service"), located_procedure("simple-service", _simple_service), True)
    d(Symbol("modify-services"), SpecialForm("modify-services", _modify_services,
                                             _modify_services.__doc__), True)
    prims = {
        "service-extension": _service_extension,
        "service-value": lambda s: _check_service(s, "service-value").value,
        "service-kind": lambda s: _check_service(s, "service-kind").type,
        "service-type-name": lambda t: Symbol(t.name),
        "service-type-extensions": lambda t: from_list(t.extensions),
        "service-type-description": lambda t: t.description or False,
        "service-type-default-value": lambda t: (t.default_value if t.has_default
                                                 else False),
        "service-extension-target": lambda e: e.target,
        "service-extension-compute": lambda e: e.compute,
        "service?": lambda x: type(x) is Service,
        "service-type?": lambda x: isinstance(x, ServiceType),
        "fold-services": _fold_services,
    }
    for name, fn in prims.items():
        d(Symbol(name), make_primitive(name, fn), True)
