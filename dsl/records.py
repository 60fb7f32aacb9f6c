"""Records: SRFI-9 `define-record-type`, and Guix-style configuration records.

Both are a `RecordType` with fields and `Record` instances holding a list of values.

Configuration records (declared from Python by the service library) are built with the
Guix syntax `(TYPE (FIELD VALUE) ... [(inherit RECORD)])`, so their constructor is a
special form: field names are checked when the config is compiled, which is what lets an
unknown field be reported at its own location with the closest valid name.  Each field
has a type (checked when the value is known), a default or a default computed from the
record being built (Guix's thunked fields, recomputed when a record is inherited), its
documentation, and an optional serializer the builders use.
"""

from __future__ import annotations

from typing import Any, Callable

from .builtins.ports import StringOutputPort
from .compiler import (
    CALL_CHECKS,
    Scope,
    base_symbol,
    compile_form,
    constant,
    is_ident,
    name_of,
    strip,
)
from .datatypes import NIL, UNSPECIFIED, MString, Pair, Symbol
from .equality import equal
from .errors import Condition, SchemeError, article, brief, did_you_mean, syntax_error, wrong_type
from .forms import define_global
from .modules import Module, existing_module, exporters
from .printer import write_string
from .procedures import Primitive, applicable, call
from .special_forms import args_of, special
from .syntax_violations import violation

REQUIRED = object()


class FieldType:
    """A named predicate: `string`, `boolean`, `list of strings`, `package`..."""

    __slots__ = ("name", "check", "explain")

    def __init__(self, name: str, check: Callable[[Any], bool],
                 explain: Callable[[Any], list[str]] | None = None):
        self.name = name
        self.check = check
        self.explain = explain      # hints naming what is wrong in a value check refuses

    def __repr__(self) -> str:
        return f"<field-type {self.name}>"


class Field:
    __slots__ = ("name", "type", "default", "thunk", "doc", "serializer", "sanitize",
                 "default_text")

    def __init__(self, name: str, type: FieldType | None = None, default: Any = REQUIRED,
                 thunk: Callable[["Record"], Any] | None = None, doc: str = "",
                 serializer: Callable | None = None, sanitize: Callable | None = None,
                 default_text: str | None = None):
        self.name = name
        self.type = type
        self.default = default        # a value, or REQUIRED
        self.thunk = thunk            # computes the default from the record being built
        self.doc = doc
        self.serializer = serializer
        self.sanitize = sanitize      # converts an accepted value to its canonical form
        self.default_text = default_text   # how ,describe shows a computed default

    @property
    def required(self) -> bool:
        return self.default is REQUIRED and self.thunk is None


class RecordType:
    def __init__(self, name: str, fields: list[Field], doc: str = "", config: bool = True,
                 printed_name: str | None = None, wrap: Callable | None = None):
        self.name = name
        # `wrap(record)` turns a finished record into the object Scheme code gets: record
        # syntax for things that are Python classes (service-type, for instance).
        self.wrap = wrap
        self.fields = fields
        self.index = {f.name: i for i, f in enumerate(fields)}
        self.doc = doc
        self.config = config                  # built with (TYPE (FIELD VALUE) ...)
        self.printed_name = printed_name or name
        self.module: Module | None = None
        self.printer = None     # (RECORD PORT) procedure: set-record-type-printer!
        self.this_name: str | None = None   # Guix's this-record identifier (this-operating-system)
        self.constructor = None     # define-record-type's, which record-constructor returns

    def scheme_repr(self, write: bool) -> str:
        return f"#<record-type {self.printed_name}>"

    def field(self, name: str) -> Field:
        return self.fields[self.index[name]]

    def make(self, values: dict[str, Any] | None = None, inherit: "Record | None" = None,
             loc=None) -> "Record":
        """Build a record from Python (the service library uses this for defaults)."""
        values = values or {}
        for name in values:
            if name not in self.index:
                raise unknown_field(self, name, loc)
        slots = [None] * len(self.fields)
        explicit = [False] * len(self.fields)
        if inherit is not None:
            slots = list(inherit.values)
            explicit = list(inherit.explicit)
        for name, v in values.items():
            i = self.index[name]
            slots[i] = check_field(self, self.fields[i], v, loc)
            explicit[i] = True
        return finish(self, slots, explicit, loc)


class Record:
    __slots__ = ("rtype", "values", "explicit", "loc", "extra")

    def __init__(self, rtype: RecordType, values: list, explicit: list, loc=None):
        self.rtype = rtype
        self.values = values
        self.explicit = explicit     # which fields were given (not defaulted)
        self.loc = loc               # where the record was written
        self.extra = None            # FOREIGN_FIELDS given: {name: value}

    def get(self, name: str) -> Any:
        return self.values[self.rtype.index[name]]

    def __getitem__(self, name: str) -> Any:
        return self.values[self.rtype.index[name]]

    def scheme_repr(self, write: bool) -> str:
        if self.rtype.printer is not None:
            port = StringOutputPort()
            call(self.rtype.printer, [self, port])
            return port.getvalue()
        parts = [f"{f.name}: {write_string(v)}" for f, v in zip(self.rtype.fields, self.values)]
        inner = " ".join(parts)
        name = self.rtype.printed_name
        if not self.rtype.config:
            return f"#<{name}{' ' + inner if inner else ''}>"
        return f"#<{name}{' ' + inner if inner else ''}>"

    def scheme_equal(self, other: Any) -> bool:
        if type(other) is not Record or other.rtype is not self.rtype:
            return False
        return all(equal(a, b) for a, b in zip(self.values, other.values))

    def __repr__(self) -> str:
        return f"<record {self.rtype.name}>"


def unknown_field(rtype: RecordType, name: str, loc) -> SchemeError:
    hints = did_you_mean(name, rtype.index)
    hints.append(f"the fields of {rtype.name} are: {', '.join(rtype.index)}")
    return SchemeError(Condition(
        "record-error", f"{rtype.name} has no field named {name}", (Symbol(name),),
        rtype.name, hints, loc=loc))


def _a(type_name: str) -> str:
    """TYPE-NAME with its article: "an integer", "a string", but "#f or a symbol"."""
    if type_name[:1] in ('#', '"', "'"):
        return type_name
    return f"{article(type_name)} {type_name}"


def check_field(rtype: RecordType, f: Field, value: Any, loc) -> Any:
    if f.sanitize is not None:
        try:
            value = f.sanitize(value)
        except SchemeError as e:
            if e.loc is None:
                e.loc = loc      # the sanitizer knows what is wrong; the clause knows where
            raise
    if type(value) is MString and f.type is not None:
        value = str(value)     # a library field keeps the text: its users take a str
    if f.type is not None and not f.type.check(value):
        hints = f.type.explain(value) if f.type.explain is not None else []
        if f.doc:
            hints.append(f"{f.name}: {f.doc.splitlines()[0]}")
        shown = brief(write_string(value), 200)
        raise SchemeError(Condition(
            "wrong-type-arg",
            f"field {f.name} of {rtype.name} must be {_a(f.type.name)}, "
            f"got {shown}", (value,), rtype.name, hints, loc=loc))
    return value


def finish(rtype: RecordType, slots: list, explicit: list, loc) -> Record:
    rec = Record(rtype, slots, explicit, loc)
    missing = []
    for i, f in enumerate(rtype.fields):
        if explicit[i]:
            continue
        if f.thunk is not None:
            continue          # computed below, once every plain value is in place
        if f.default is REQUIRED:
            missing.append(f.name)
        else:
            slots[i] = f.default
    if missing:
        raise SchemeError(Condition(
            "record-error",
            f"{rtype.name} is missing its required field{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)}", (), rtype.name,
            [f"add ({m} VALUE) inside ({rtype.name} ...)" for m in missing], loc=loc))
    for i, f in enumerate(rtype.fields):
        if not explicit[i] and f.thunk is not None:
            slots[i] = f.thunk(rec)
    return rtype.wrap(rec) if rtype.wrap is not None else rec


# --- (TYPE (FIELD VALUE) ...) ---------------------------------------------------------------

# Fields a layer above knows the record type has where it comes from (Guix's newer
# fields of a record the library implements with fewer): `fn(rtype, name) -> bool`.
# Such a clause is evaluated and its value kept in the record's `extra`, not refused.
FOREIGN_FIELDS: list[Callable[[RecordType, str], bool]] = []

# The record types whose (TYPE (FIELD VALUE) ...) forms enclose the one being compiled:
# a field unknown to a record but known to an enclosing one was closed too late.
_ENCLOSING: list[RecordType] = []


def compile_construction(rtype: RecordType, form: Pair, scope, ctx) -> Any:
    _ENCLOSING.append(rtype)
    try:
        return _compile_construction(rtype, form, scope, ctx)
    finally:
        _ENCLOSING.pop()


def _closed_too_late(rtype: RecordType, fname: str) -> list[str]:
    for outer in reversed(_ENCLOSING[:-1]):
        if fname in outer.index:
            return [f"{fname} is a field of {outer.name}, which encloses this "
                    f"({rtype.name} ...): a closing parenthesis is missing before "
                    f"({fname} ...), so it landed inside {rtype.name}"]
    return []


def _compile_construction(rtype: RecordType, form: Pair, scope, ctx) -> Any:
    # As Guix's define-record-type* does, each field given is bound to its value for the
    # clauses after it: (file-systems ... (dependencies mapped-devices)) sees the
    # mapped-devices given above.  A clause naming the record's this-identifier
    # (this-operating-system) is evaluated last, with the record built from the others.
    inner = Scope([], scope, ctx.module)
    this = rtype.this_name
    this_sym = Symbol(this) if this else None
    if this_sym is not None:
        inner.names.append(this_sym)
        inner.slots[this_sym] = 0
    inherit = None
    clauses: list[tuple[int, Any, Any, bool]] = []
    seen: dict[str, Any] = {}
    p = form.cdr
    while type(p) is Pair:
        c = p.car
        cloc = c.loc if type(c) is Pair and c.loc else (p.loc or form.loc)
        if type(c) is not Pair or not is_ident(c.car):
            raise syntax_error(
                f"bad clause {write_string(strip(c))} in {rtype.name}", loc=cloc,
                hints=[f"each clause of {rtype.name} is (FIELD VALUE)"] +
                _misplaced_hint(c, rtype))
        fname = base_symbol(c.car).name
        if fname == "inherit":
            if inherit is not None or clauses:
                raise syntax_error(f"(inherit ...) must come first in {rtype.name}", loc=cloc)
            if type(c.cdr) is not Pair or c.cdr.cdr is not NIL:
                raise syntax_error(f"(inherit ...) in {rtype.name} takes one record", loc=cloc,
                                   hints=[f"write (inherit RECORD), RECORD being the "
                                          f"{rtype.name} to start from"])
            inherit = compile_form(c.cdr.car, inner, ctx, False, cloc)
            p = p.cdr
            continue
        if fname not in rtype.index and any(h(rtype, fname) for h in FOREIGN_FIELDS):
            if type(c.cdr) is not Pair or c.cdr.cdr is not NIL:
                raise syntax_error(f"field {fname} of {rtype.name} takes one value", loc=cloc)
            vnode = compile_form(c.cdr.car, inner, ctx, False, c.cdr.loc or cloc)
            inner.slots[c.car] = len(inner.names)
            inner.names.append(c.car)
            clauses.append((fname, vnode, cloc, False))
            p = p.cdr
            continue
        if fname not in rtype.index:
            err = unknown_field(rtype, fname, cloc)
            err.payload.hints[:0] = _closed_too_late(rtype, fname)
            raise err
        if fname in seen:
            raise syntax_error(f"field {fname} is given twice in {rtype.name}", loc=cloc,
                               hints=[f"the first {fname} is at {seen[fname]}"])
        seen[fname] = cloc
        if c.cdr is NIL:            # (field) means (field field), as in Guix
            vform = c.car
            vnode = compile_form(c.car, inner, ctx, False, cloc)
        elif type(c.cdr) is Pair and c.cdr.cdr is NIL:
            vform = c.cdr.car
            vnode = compile_form(vform, inner, ctx, False, c.cdr.loc or cloc)
        else:
            raise syntax_error(f"field {fname} of {rtype.name} takes one value", loc=cloc,
                               hints=[f"write ({fname} VALUE); to give a list, quote it: "
                                      f"({fname} '(a b))"])
        inner.slots[c.car] = len(inner.names)      # seen by the clauses after this one
        inner.names.append(c.car)
        clauses.append((rtype.index[fname], vnode, c.cdr.loc if type(c.cdr) is Pair else cloc,
                        this_sym is not None and _mentions(vform, this_sym)))
        p = p.cdr
    fields = rtype.fields
    loc = form.loc
    first = 1 if this_sym is not None else 0
    deferred = any(d for *_, d in clauses)

    def construct(env):
        frame = [env, None] if first else [env]
        if inherit is not None:
            base = inherit(frame)
            base = getattr(base, "record", base)     # a wrapped record keeps its source
            if type(base) is not Record and hasattr(base, "as_record"):
                base = base.as_record(rtype)         # a library object standing for one
            if type(base) is not Record or base.rtype is not rtype:
                raise SchemeError(Condition(
                    "wrong-type-arg",
                    f"(inherit ...) in {rtype.name} needs a {rtype.name}, got "
                    f"{write_string(base)}", (base,), rtype.name, loc=loc))
            slots = list(base.values)
            explicit = list(base.explicit)
        else:
            slots = [None] * len(fields)
            explicit = [False] * len(fields)
        extra = None
        for i, vnode, vloc, later in clauses:
            if later:
                frame.append(None)
                continue
            if type(i) is str:              # a foreign field: kept aside
                v = vnode(frame)
                frame.append(v)
                extra = extra or {}
                extra[i] = v
                continue
            v = check_field(rtype, fields[i], vnode(frame), vloc)
            frame.append(v)
            slots[i] = v
            explicit[i] = True
        if not deferred:
            made = finish(rtype, slots, explicit, loc)
            if extra is not None:
                getattr(made, "record", made).extra = extra
            return made
        frame[1] = finish(rtype, list(slots), list(explicit), loc)
        for k, (i, vnode, vloc, later) in enumerate(clauses):
            if later and type(i) is int:
                slots[i] = frame[first + 1 + k] = check_field(rtype, fields[i], vnode(frame),
                                                              vloc)
                explicit[i] = True
        return finish(rtype, slots, explicit, loc)
    return construct


def _mentions(x: Any, sym: Symbol) -> bool:
    """Whether the form X contains the symbol SYM (iteratively: forms can be long)."""
    todo = [x]
    while todo:
        y = todo.pop()
        if type(y) is Pair:
            todo.append(y.car)
            todo.append(y.cdr)
        elif is_ident(y) and base_symbol(y) is sym:
            return True
    return False


def _misplaced_hint(c: Any, rtype: RecordType) -> list[str]:
    return []


def install_record_type(module: Module, rtype: RecordType, export: bool = True) -> None:
    """Define TYPE (the constructor syntax), TYPE? and TYPE-FIELD accessors in `module`."""
    rtype.module = module
    name = rtype.name

    def compile_it(form, scope, ctx, tail):
        return compile_construction(rtype, form, scope, ctx)

    special(name, module=module, doc=rtype.doc, export=export)(compile_it)
    module.define(Symbol(name + "?"), Primitive(
        name + "?", lambda x: type(x) is Record and x.rtype is rtype, 1, 1, "obj",
        f"Return true if OBJ is a {name}."), export)
    module.define(Symbol(f"%{name}-type"), rtype, export)
    for i, f in enumerate(rtype.fields):
        module.define(Symbol(f"{name}-{f.name}"), accessor(rtype, i, f"{name}-{f.name}"),
                      export)


# id(accessor) -> (accessor, record type, field index): what set-field needs to know
FIELD_OF: dict[int, tuple] = {}


def accessor(rtype: RecordType, i: int, pname: str) -> Primitive:
    def get(rec):
        if type(rec) is not Record or rec.rtype is not rtype:
            raise wrong_type(pname, 1, rtype.name, rec)
        return rec.values[i]
    prim = Primitive(pname, get, 1, 1, "record", f"The {rtype.fields[i].name} of a "
                     f"{rtype.name}.")
    FIELD_OF[id(prim)] = (prim, rtype, i)
    return prim


def modifier(rtype: RecordType, i: int, pname: str) -> Primitive:
    def set_(rec, value):
        if type(rec) is not Record or rec.rtype is not rtype:
            raise wrong_type(pname, 1, rtype.name, rec)
        rec.values[i] = value
        return UNSPECIFIED
    return Primitive(pname, set_, 2, 2, "record value")


# --- SRFI-9 define-record-type --------------------------------------------------------------

# id(constructor) -> (constructor, its parameter count): calls written out in full are
# checked when compiled, as Guile's inlined SRFI-9 constructors are.
CONSTRUCTORS: dict[int, tuple[Primitive, int]] = {}


def check_constructor_call(fname: str, form: Pair, box: Any, ctx: Any, loc: Any) -> None:
    entry = CONSTRUCTORS.get(id(box.value)) if box is not None else None
    if entry is None or entry[0] is not box.value:
        return
    n = 0
    p = form.cdr
    while type(p) is Pair:
        n += 1
        p = p.cdr
    if n != entry[1]:
        raise violation("Wrong number of arguments", form, who=fname, hints=[
            f"{fname} takes {entry[1]} argument{'' if entry[1] == 1 else 's'}, "
            f"this call gives {n}"])


def _proper_list(x: Any) -> list | None:
    """The elements of a proper list written in a form; None for anything else."""
    items = []
    while type(x) is Pair:
        items.append(x.car)
        x = x.cdr
    return items if x is NIL else None


def _srfi9_parts(form: Pair):
    """What define-record-type defines, checked as Guile's SRFI-9 checks it."""
    whom = name_of(form.car)
    ops = args_of(form, whom, 3)
    type_name, ctor_spec, pred_name, *field_specs = ops
    if not is_ident(type_name):
        raise violation("expected type name", form, whom, type_name)
    ctor_items = _proper_list(ctor_spec) or []
    if not ctor_items or not all(is_ident(x) for x in ctor_items):
        raise violation("invalid constructor spec", form, whom, ctor_spec,
                        hints=["write the constructor as (MAKE-NAME FIELD ...)"])
    if not is_ident(pred_name):
        raise violation("expected predicate name", form, whom, pred_name)
    fields = []
    for spec in field_specs:
        items = _proper_list(spec) or []
        if len(items) not in (2, 3) or not all(is_ident(x) for x in items):
            raise violation("invalid field spec", form, whom, spec,
                            hints=["each field is (NAME ACCESSOR [MODIFIER])"])
        fields.append(items)
    tname = name_of(type_name)
    rtype = RecordType(tname, [Field(name_of(f[0])) for f in fields], config=False)
    defs: list[tuple[Any, Any]] = [(type_name, rtype)]
    cname = ctor_items[0]
    for cf in ctor_items[1:]:
        if name_of(cf) not in rtype.index:
            raise violation("unknown field in constructor spec", form, whom, cf,
                            hints=[f"the fields of {tname} are "
                                   f"{' '.join(rtype.index) or 'none'}"])
    cfields = [name_of(x) for x in ctor_items[1:]]
    idxs = [rtype.index[cf] for cf in cfields]
    n = len(rtype.fields)

    def make(*args, _idxs=idxs, _n=n):
        vals = [False] * _n
        for i, v in zip(_idxs, args):
            vals[i] = v
        return Record(rtype, vals, [True] * _n)
    ctor = Primitive(name_of(cname), make, len(idxs), len(idxs), " ".join(cfields))
    rtype.constructor = ctor
    CONSTRUCTORS[id(ctor)] = (ctor, len(idxs))
    if CALL_CHECKS.get(name_of(cname)) is None:
        CALL_CHECKS[name_of(cname)] = check_constructor_call
    defs.append((cname, ctor))
    defs.append((pred_name, Primitive(name_of(pred_name),
                                      lambda x: type(x) is Record and x.rtype is rtype,
                                      1, 1, "obj")))
    for i, f in enumerate(fields):
        defs.append((f[1], accessor(rtype, i, name_of(f[1]))))
        if len(f) > 2:
            defs.append((f[2], modifier(rtype, i, name_of(f[2]))))
    return defs


# id(scope) -> (scope, {slot: value}): what record definitions in a body bind, known when
# the body is compiled (set-field needs its getters then, as Guile's macros do).
BODY_DEFINITIONS: dict[int, tuple[Scope, dict[int, Any]]] = {}


def define_in_body(scope: Scope, defs: list[tuple[Any, Any]]) -> list:
    known = BODY_DEFINITIONS.setdefault(id(scope), (scope, {}))[1]
    items = []
    for ident, value in defs:
        idx = scope.add(ident)
        known[idx] = value
        items.append(("def", _slot_setter(idx, value)))
    return items


def body_define_record(form, scope, ctx, loc):
    return define_in_body(scope, _srfi9_parts(form))


def _slot_setter(idx: int, value: Any):
    def compile_it(sc, cx):
        i = idx + 1

        def set_slot(env):
            env[i] = value
            return UNSPECIFIED
        return set_slot
    return compile_it


def _define_record_type(form, scope, ctx, tail):
    """(define-record-type <T> (make-t FIELD ...) t? (FIELD ACCESSOR [MODIFIER]) ...)"""
    if scope is not None:
        raise syntax_error("define-record-type in expression context", loc=form.loc)
    nodes = [define_global(ident, constant(value), ctx, form.loc) for ident, value in
             _srfi9_parts(form)]

    def define_all(env):
        for n in nodes:
            n(env)
        return UNSPECIFIED
    return define_all


for _mod in ("srfi srfi-9", "guile"):
    special("define-record-type", module=_mod, defining=body_define_record)(_define_record_type)


def _record_type_applicable(rtype: RecordType, args: list) -> Any:
    raise SchemeError(Condition(
        "wrong-type-arg", f"{rtype.name} is a record type, not a procedure", (), None,
        [f"build one with ({rtype.name} (FIELD VALUE) ...)"]))


applicable[RecordType] = _record_type_applicable


def misplaced_field_hints(form: Any, module: Module) -> list[str]:
    """Hints for a call that got too many arguments because a parenthesis closed a
    configuration record too early: in `(service T (R (a 1))) (b 2))`, the `(b 2)` meant
    for record R became an argument of `service`.  FORM is the call, MODULE where it is
    compiled."""
    seen: list[tuple[str, RecordType]] = []
    p = form.cdr if type(form) is Pair else NIL
    while type(p) is Pair:
        arg = p.car
        if type(arg) is Pair and is_ident(arg.car):
            name = name_of(arg.car)
            for rname, rtype in seen:
                if name in rtype.index:
                    where = f" (at {arg.loc})" if arg.loc is not None else ""
                    return [f"({name} ...){where} is a field of {rname}, placed outside "
                            f"({rname} ...): a closing parenthesis ends {rname} too early; "
                            f"move ({name} ...) inside it"]
            rtype = _record_type_named(name, module)
            if rtype is not None:
                seen.append((name, rtype))
        p = p.cdr
    return []


def _record_type_named(name: str, module: Module) -> RecordType | None:
    """The configuration record type NAME, visible in MODULE or, failing that, exported by
    a library module the config forgot to import (this runs only for an error message)."""
    sym = Symbol(f"%{name}-type")
    box = module.lookup(sym)
    if box is None:
        owners = exporters(sym)
        box = existing_module(owners[0]).public_box(sym) if owners else None
    if box is not None and isinstance(box.value, RecordType) and box.value.config:
        return box.value
    return None
