"""Guile's procedural record interface: `make-record-type` and the constructor,
predicate, accessor and modifier procedures made from a record type, as programs that
build record types at run time (or predate SRFI-9) use them."""

from __future__ import annotations

from .datatypes import Pair, Symbol, from_list, is_string, pystr, to_list
from .errors import error, wrong_type
from .modules import primitive
from .procedures import Primitive
from .records import Field, Record, RecordType, accessor, modifier


def _need_type(who: str, rtd) -> RecordType:
    if not isinstance(rtd, RecordType):
        raise wrong_type(who, 1, "record type", rtd)
    return rtd


def _field_name(spec) -> str:
    # a field is NAME, or (mutable NAME) / (immutable NAME) as in R6RS-style lists
    if type(spec) is Pair and type(spec.cdr) is Pair and type(spec.cdr.car) is Symbol:
        return spec.cdr.car.name
    if type(spec) is Symbol:
        return spec.name
    raise wrong_type("make-record-type", 2, "list of field names", spec)


@primitive("guile", "make-record-type")
def make_record_type(type_name, fields, printer=None):
    """(make-record-type NAME (FIELD ...) [PRINTER]): a new record type."""
    if type(type_name) is Symbol:
        name = type_name.name
    elif is_string(type_name):
        name = pystr(type_name)
    else:
        raise wrong_type("make-record-type", 1, "symbol", type_name)
    rtype = RecordType(name, [Field(_field_name(f)) for f in to_list(fields)], config=False)
    if printer is not None and printer is not False:
        rtype.printer = printer
    return rtype


@primitive("guile", "record-constructor")
def record_constructor(rtd, field_names=None):
    """The procedure making a record of RTD from its fields (or only FIELD-NAMES, the
    others being #f)."""
    rtype = _need_type("record-constructor", rtd)
    names = [f.name for f in rtype.fields] if field_names is None else \
        [_field_name(n) for n in to_list(field_names)]
    for n in names:
        if n not in rtype.index:
            raise error(f"record-constructor: {n} is not a field of {rtype.name}",
                        key="misc-error")
    idxs = [rtype.index[n] for n in names]
    size = len(rtype.fields)

    def make(*args):
        values = [False] * size
        for i, v in zip(idxs, args):
            values[i] = v
        return Record(rtype, values, [True] * size)
    return Primitive(rtype.name, make, len(idxs), len(idxs), " ".join(names))


@primitive("guile", "record-predicate")
def record_predicate(rtd):
    rtype = _need_type("record-predicate", rtd)
    return Primitive(f"{rtype.name}?", lambda x: type(x) is Record and x.rtype is rtype,
                     1, 1, "obj")


def _index(who: str, rtype: RecordType, field) -> int:
    name = field.name if type(field) is Symbol else None
    if name not in rtype.index:
        raise error(f"{who}: {field} is not a field of {rtype.name}", key="misc-error")
    return rtype.index[name]


@primitive("guile", "record-accessor")
def record_accessor(rtd, field):
    rtype = _need_type("record-accessor", rtd)
    return accessor(rtype, _index("record-accessor", rtype, field), field.name)


@primitive("guile", "record-modifier")
def record_modifier(rtd, field):
    rtype = _need_type("record-modifier", rtd)
    return modifier(rtype, _index("record-modifier", rtype, field), field.name)


@primitive("guile", "record?")
def record_p(x):
    return type(x) is Record


@primitive("guile", "record-type-descriptor")
def record_type_descriptor(rec):
    if type(rec) is not Record:
        raise wrong_type("record-type-descriptor", 1, "record", rec)
    return rec.rtype


@primitive("guile", "record-type-name")
def record_type_name(rtd):
    return Symbol(_need_type("record-type-name", rtd).name)


@primitive("guile", "record-type-fields")
def record_type_fields(rtd):
    return from_list([Symbol(f.name) for f in _need_type("record-type-fields", rtd).fields])


@primitive("guile", "record-type?")
def record_type_p(x):
    return isinstance(x, RecordType)


