"""(srfi srfi-9 gnu): Guile's extensions to SRFI-9 records.

`set-record-type-printer!` gives a record type a procedure (RECORD PORT) that `write`,
`display` and `format` use for its records; `define-immutable-record-type` is
`define-record-type` whose third field element names a functional setter, returning a
copy of the record with that field changed.
"""

from __future__ import annotations

from typing import Any

from .compiler import Global, Local, compile_form, constant, is_ident, name_of, resolve, strip
from .datatypes import UNSPECIFIED, Pair, from_list, to_list
from .errors import syntax_error, wrong_type
from .forms import define_global
from .modules import primitive
from .printer import write_string
from .procedures import Primitive, is_procedure
from .records import (
    BODY_DEFINITIONS,
    FIELD_OF,
    Record,
    RecordType,
    _srfi9_parts,
    define_in_body,
)
from .special_forms import args_of, special
from .syntax_violations import violation

GNU = "srfi srfi-9 gnu"

@primitive(GNU, "set-record-type-printer!")
def set_record_type_printer(rtype, proc):
    """(set-record-type-printer! TYPE PROC): print TYPE's records with (PROC RECORD PORT)."""
    if not isinstance(rtype, RecordType):
        raise wrong_type("set-record-type-printer!", 1, "record type", rtype)
    if not is_procedure(proc):
        raise wrong_type("set-record-type-printer!", 2, "procedure", proc)
    rtype.printer = proc
    return UNSPECIFIED


def _functional_setter(rtype: RecordType, i: int, pname: str) -> Primitive:
    def set_(rec, value):
        if type(rec) is not Record or rec.rtype is not rtype:
            raise wrong_type(pname, 1, rtype.printed_name, rec)
        values = list(rec.values)
        values[i] = value
        return Record(rtype, values, list(rec.explicit), rec.loc)
    return Primitive(pname, set_, 2, 2, "record value")


def _immutable_parts(form: Pair) -> list[tuple[Any, Any]]:
    defs = _srfi9_parts(form)
    rtype = defs[0][1]
    setters = {}
    for i, spec in enumerate(args_of(form, "define-immutable-record-type", 2)[3:]):
        items = to_list(spec) if type(spec) is Pair else []
        if len(items) > 2:
            setters[name_of(items[2])] = _functional_setter(rtype, i, name_of(items[2]))
    return [(ident, setters.get(name_of(ident), value)) for ident, value in defs]


def _body_define(form, scope, ctx, loc):
    return define_in_body(scope, _immutable_parts(form))


@special("define-immutable-record-type", module=GNU, defining=_body_define)
def _define_immutable_record_type(form, scope, ctx, tail):
    """(define-immutable-record-type <T> (make-t FIELD ...) t? (FIELD ACCESSOR [SETTER]) ...)"""
    if scope is not None:
        raise syntax_error("define-immutable-record-type in expression context", loc=form.loc)
    nodes = [define_global(ident, constant(value), ctx, form.loc)
             for ident, value in _immutable_parts(form)]

    def define_all(env):
        for n in nodes:
            n(env)
        return UNSPECIFIED
    return define_all


# --- functional setters: set-field, set-fields -------------------------------------------------
# The getters are known when the form is compiled, as Guile's macros know them: an
# identifier that is not a record getter, two paths to one field, a path that is a prefix
# of another, or paths needing one object to be of two record types are syntax errors.

def _getter_value(ident: Any, scope, ctx) -> Any:
    """What IDENT denotes when compiled here, if known then (None otherwise)."""
    binding = resolve(ident, scope, ctx.module)
    if type(binding) is Global:
        box = binding.box()
        return None if box is None else box.value
    if type(binding) is Local:
        entry = BODY_DEFINITIONS.get(id(binding.scope))
        if entry is not None and entry[0] is binding.scope:
            return entry[1].get(binding.index)
    return None


def _static_field(ident: Any, scope, ctx) -> tuple | None:
    value = _getter_value(ident, scope, ctx) if is_ident(ident) else None
    entry = FIELD_OF.get(id(value))
    return None if entry is None or entry[0] is not value else (entry[1], entry[2])


def _check_paths(orig: Pair, path: list, specs: list, scope, ctx) -> None:
    """Guile's checks of set-fields, in its order: SPECS are (getters-left, value) under
    the getters PATH already followed."""
    if len(specs) == 1 and not specs[0][0]:
        return
    if any(not getters for getters, _ in specs):
        what = ("duplicate field path" if all(not getters for getters, _ in specs)
                else "one field path is a prefix of another")
        raise violation(what, orig, "set-fields", from_list(path), loc=orig.loc,
                        hints=["each field is set once, by one path of getters"])
    groups: list[tuple[Any, list]] = []       # most recently extended head first
    for getters, value in specs:
        head = next((g for g in groups if strip(g[0]) is strip(getters[0])), None)
        if head is None:
            groups.insert(0, (getters[0], [(getters[1:], value)]))
        else:
            groups.remove(head)
            head[1].insert(0, (getters[1:], value))
            groups.insert(0, head)
    fields = [_static_field(g, scope, ctx) for g, _ in groups]
    if any(f is None for f in fields):
        raise violation("unknown getter", orig, "set-fields", groups[0][0],
                        hints=["each getter is a record field accessor, as in "
                               "(set-field r (person-address address-city) v)"])
    type0 = fields[0][0]
    for (g, _), (rtype, _) in zip(groups[1:], fields[1:]):
        if rtype is not type0:
            raise violation((
                f"field paths {write_string(from_list(path + [strip(g)]))} and "
                f"{write_string(from_list(path + [strip(groups[0][0])]))} require one object "
                f"to belong to two different record types ({rtype.name} and {type0.name})"),
                orig, "set-fields")
    for g, sub in groups:
        _check_paths(orig, path + [strip(g)], sub, scope, ctx)


def _field_of(getter: Any, form) -> tuple:
    entry = FIELD_OF.get(id(getter))
    if entry is None or entry[0] is not getter:
        raise violation("unknown getter", form, "set-fields")
    return entry[1], entry[2]


def _with_field(record: Any, path: list, value: Any) -> Any:
    """A copy of RECORD with the field reached through PATH ((type, index) ...) set."""
    rtype, i = path[0]
    if type(record) is not Record or record.rtype is not rtype:
        raise wrong_type("set-fields", 1, rtype.name, record)
    values = list(record.values)
    values[i] = value if len(path) == 1 else _with_field(values[i], path[1:], value)
    return Record(rtype, values, list(record.explicit))


@special("set-field", "set-fields", module=GNU)
def _set_fields(form, scope, ctx, tail):
    """(set-field RECORD (GETTER ...) VALUE) / (set-fields RECORD ((GETTER ...) VALUE)
    ...): a copy of RECORD with the field each chain of getters reaches replaced."""
    what = name_of(form.car)
    ops = args_of(form, what, 2 if what == "set-fields" else 3,
                  None if what == "set-fields" else 3)
    specs = [(ops[1], ops[2])] if what == "set-field" else \
        [(spec.car, spec.cdr.car) if type(spec) is Pair and type(spec.cdr) is Pair
         else (None, None) for spec in ops[1:]]
    for getters, _ in specs:
        if type(getters) is not Pair:
            raise syntax_error(f"bad {what}: write ({what} RECORD (GETTER ...) VALUE)",
                               loc=form.loc)
    _check_paths(form, [], [(to_list(g), v) for g, v in specs], scope, ctx)
    record_node = compile_form(ops[0], scope, ctx, False, form.loc)
    compiled = []
    for getters, value in specs:
        nodes = [compile_form(g, scope, ctx, False, form.loc) for g in to_list(getters)]
        compiled.append((nodes, compile_form(value, scope, ctx, False, form.loc)))

    def set_fields_node(env):
        record = record_node(env)
        for nodes, value in compiled:
            path = [_field_of(n(env), form) for n in nodes]
            record = _with_field(record, path, value(env))
        return record
    return set_fields_node
