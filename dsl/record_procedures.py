"""Guile's procedural record interface: `make-record-type` and the constructor,
predicate, accessor and modifier procedures made from a record type, as programs that
build record types at run time (or predate SRFI-9) use them."""

from __future__ import annotations

from .conditions import ExnType
from .datatypes import UNSPECIFIED, Keyword, Pair, Symbol, from_list, is_string, pystr, to_list
from .errors import error, wrong_type
from .modules import primitive
from .procedures import Primitive
from .records import Field, Record, RecordType, accessor, modifier


def _need_type(who: str, rtd) -> RecordType:
    if not isinstance(rtd, RecordType):
        raise wrong_type(who, 1, "record type", rtd)
    return rtd


def _field_spec(spec) -> tuple[str, bool]:
    """(NAME, MUTABLE?) of a field: NAME, or (mutable NAME) / (immutable NAME)."""
    if type(spec) is Symbol:
        return spec.name, True
    parts = to_list(spec) if type(spec) is Pair else []
    if (len(parts) == 2 and type(parts[0]) is Symbol and type(parts[1]) is Symbol
            and parts[0].name in ("mutable", "immutable")):
        return parts[1].name, parts[0].name == "mutable"
    raise error("make-record-type: bad field specification", spec, key="misc-error",
                hints=["a field is NAME, (mutable NAME) or (immutable NAME)"])


def _field_name(spec) -> str:
    return _field_spec(spec)[0]


# Record types made with #:uid, by uid: making one again gives the same type.
_by_uid: dict = {}


def _options(rest: tuple) -> tuple:
    """(PRINTER, {keyword: value}) from make-record-type's optional arguments."""
    printer = None
    if rest and type(rest[0]) is not Keyword:
        printer, rest = rest[0], rest[1:]
    opts = {}
    for k in range(0, len(rest), 2):
        key = rest[k]
        if type(key) is not Keyword or key.name not in ("parent", "uid", "extensible?",
                                                         "opaque?") or k + 1 >= len(rest):
            raise error("make-record-type: bad keyword argument", key, key="misc-error",
                        hints=["its keywords are #:parent #:uid #:extensible? #:opaque?"])
        opts[key.name] = rest[k + 1]
    return (None if printer is False else printer), opts


@primitive("guile", "make-record-type")
def make_record_type(type_name, fields, *rest):
    """(make-record-type NAME (FIELD ...) [PRINTER] [#:parent P] [#:uid U]
    [#:extensible? B] [#:opaque? B]): a new record type; a FIELD is NAME or
    (mutable NAME) / (immutable NAME); a subtype of P has P's fields first."""
    if type(type_name) is Symbol:
        name = type_name.name
    elif is_string(type_name):
        name = pystr(type_name)
    else:
        raise wrong_type("make-record-type", 1, "symbol", type_name)
    printer, opts = _options(rest)
    parent = opts.get("parent", False)
    specs = [_field_spec(f) for f in to_list(fields)]
    opaque = opts.get("opaque?", False) is not False
    if parent is not False:
        parent = _need_type("make-record-type", parent)
        if not getattr(parent, "extensible", False):
            raise error(f"make-record-type: parent type {parent.name} is final",
                        key="misc-error")
        if getattr(parent, "opaque", False):
            if "opaque?" in opts and not opaque:
                raise error("make-record-type: a subtype of an opaque type must be opaque",
                            key="misc-error")
            opaque = True
        specs = [(f.name, bool(parent.mutable_bits >> i & 1))
                 for i, f in enumerate(parent.fields)] + specs
    mutable_bits = sum(1 << i for i, (_, mutable) in enumerate(specs) if mutable)
    extensible = opts.get("extensible?", False) is not False
    uid = opts.get("uid", False)
    if uid is not False and uid in _by_uid:
        old = _by_uid[uid]
        if (old.name != name or [f.name for f in old.fields] != [n for n, _ in specs]
                or old.mutable_bits != mutable_bits or old.parent is not (parent or None)
                or printer is not None or old.extensible != extensible):
            raise error(f"make-record-type: incompatible redefinition of {name} "
                        f"(uid {uid})", key="misc-error")
        return old
    rtype = RecordType(name, [Field(n) for n, _ in specs], config=False)
    rtype.parent = parent or None
    rtype.extensible = extensible
    rtype.opaque = opaque
    rtype.mutable_bits = mutable_bits
    rtype.uid = uid
    if printer is not None:
        rtype.printer = printer
    if uid is not False:
        _by_uid[uid] = rtype
    return rtype


def _is_a(x, rtype: RecordType) -> bool:
    """Whether `x` is a record of `rtype` or of one of its subtypes."""
    if type(x) is not Record:
        return False
    t = x.rtype
    while t is not None:
        if t is rtype:
            return True
        t = getattr(t, "parent", None)
    return False


@primitive("guile", "record-constructor")
def record_constructor(rtd, field_names=None):
    """The procedure making a record of RTD from its fields (or only FIELD-NAMES, the
    others being #f)."""
    rtype = _need_type("record-constructor", rtd)
    if field_names is None and getattr(rtype, "constructor", None) is not None:
        return rtype.constructor        # define-record-type's own, as in Guile
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


@primitive("guile", "struct-vtable-name")
def struct_vtable_name(vtable):
    """The name of a record type or condition type (the vtables vsys has)."""
    if isinstance(vtable, (RecordType, ExnType)):
        return Symbol(vtable.name)
    raise wrong_type("struct-vtable-name", 1, "vtable", vtable)


@primitive("guile", "record-predicate")
def record_predicate(rtd):
    rtype = _need_type("record-predicate", rtd)
    return Primitive(f"{rtype.name}?", lambda x: _is_a(x, rtype), 1, 1, "obj")


def _index(who: str, rtype: RecordType, field) -> int:
    name = field.name if type(field) is Symbol else None
    if name not in rtype.index:
        raise error(f"{who}: {field} is not a field of {rtype.name}", key="misc-error")
    return rtype.index[name]


@primitive("guile", "record-accessor")
def record_accessor(rtd, field):
    rtype = _need_type("record-accessor", rtd)
    i = _index("record-accessor", rtype, field)
    if getattr(rtype, "parent", None) is None and not getattr(rtype, "extensible", False):
        return accessor(rtype, i, field.name)

    def get(rec):
        if not _is_a(rec, rtype):
            raise wrong_type(field.name, 1, rtype.name, rec)
        return rec.values[i]
    return Primitive(field.name, get, 1, 1, "record")


@primitive("guile", "record-modifier")
def record_modifier(rtd, field):
    rtype = _need_type("record-modifier", rtd)
    i = _index("record-modifier", rtype, field)
    if not getattr(rtype, "mutable_bits", -1) >> i & 1:
        raise error(f"record-modifier: field {field.name} of {rtype.name} is immutable",
                    key="misc-error")
    if getattr(rtype, "parent", None) is None and not getattr(rtype, "extensible", False):
        return modifier(rtype, i, field.name)

    def set_(rec, value):
        if not _is_a(rec, rtype):
            raise wrong_type(field.name, 1, rtype.name, rec)
        rec.values[i] = value
        return UNSPECIFIED
    return Primitive(field.name, set_, 2, 2, "record value")


@primitive("guile", "record-type-parent")
def record_type_parent(rtd):
    return getattr(_need_type("record-type-parent", rtd), "parent", None) or False


@primitive("guile", "record-type-uid")
def record_type_uid(rtd):
    return getattr(_need_type("record-type-uid", rtd), "uid", False)


@primitive("guile", "record-type-extensible?")
def record_type_extensible(rtd):
    return getattr(_need_type("record-type-extensible?", rtd), "extensible", False)


@primitive("guile", "record-type-opaque?")
def record_type_opaque(rtd):
    return getattr(_need_type("record-type-opaque?", rtd), "opaque", False)


@primitive("guile", "record-type-mutable-fields")
def record_type_mutable_fields(rtd):
    """A bit mask: bit N set when field N may be modified."""
    rtype = _need_type("record-type-mutable-fields", rtd)
    return getattr(rtype, "mutable_bits", (1 << len(rtype.fields)) - 1)


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


