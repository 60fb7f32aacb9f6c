"""(srfi srfi-9 gnu): Guile's extensions to SRFI-9 records.

`set-record-type-printer!` gives a record type a procedure (RECORD PORT) that `write`,
`display` and `format` use for its records; `define-immutable-record-type` is
`define-record-type` whose third field element names a functional setter, returning a
copy of the record with that field changed.
"""

from __future__ import annotations

from typing import Any

from .compiler import compile_form, constant, name_of
from .datatypes import UNSPECIFIED, Pair, to_list
from .errors import syntax_error, wrong_type
from .forms import define_global
from .modules import primitive
from .procedures import Primitive, is_procedure
from .records import FIELD_OF, Record, RecordType, _slot_setter, _srfi9_parts
from .special_forms import args_of, special

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
    return [("def", _slot_setter(scope.add(ident), value))
            for ident, value in _immutable_parts(form)]


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

def _field_of(getter: Any, form) -> tuple:
    entry = FIELD_OF.get(id(getter))
    if entry is None or entry[0] is not getter:
        raise syntax_error("set-fields: unknown getter", loc=form.loc,
                           hints=["each getter is a record field accessor, as in "
                                  "(set-field r (person-address address-city) v)"])
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
        [(spec.car, spec.cdr.car) for spec in ops[1:]]
    record_node = compile_form(ops[0], scope, ctx, False, form.loc)
    compiled = []
    for getters, value in specs:
        if type(getters) is not Pair:
            raise syntax_error(f"bad {what}: write ({what} RECORD (GETTER ...) VALUE)",
                               loc=form.loc)
        nodes = [compile_form(g, scope, ctx, False, form.loc) for g in to_list(getters)]
        compiled.append((nodes, compile_form(value, scope, ctx, False, form.loc)))

    def set_fields_node(env):
        record = record_node(env)
        for nodes, value in compiled:
            path = [_field_of(n(env), form) for n in nodes]
            record = _with_field(record, path, value(env))
        return record
    return set_fields_node
