"""(guix records): `define-record-type*`, so a config can declare its own
configuration records the way Guix's services do:

    (define-record-type* <my-configuration> my-configuration make-my-configuration
      my-configuration?
      (port my-configuration-port (default 8080))
      (name my-configuration-name))

The result is a record built with `(my-configuration (port 80) (name "x"))`, with the same
checks as the library's own records (unknown field, missing field, `inherit`).  Default
expressions are evaluated each time a record is built.  `this-record` references in
defaults are not supported.
"""

from __future__ import annotations

from typing import Any

from vsys.dsl.compiler import SpecialForm, compile_form, is_ident, name_of
from vsys.dsl.datatypes import NIL, UNSPECIFIED, Pair, Symbol, to_list
from vsys.dsl.errors import error, syntax_error
from vsys.dsl.printer import write_string
from vsys.dsl.procedures import Primitive, call, is_procedure
from vsys.dsl.records import REQUIRED, Field, Record, RecordType, accessor, install_record_type


def _parse_field(spec: Any, loc) -> tuple[str, str | None, Any, bool, Any]:
    loc = getattr(spec, "loc", None) or loc
    items = to_list(spec) if type(spec) is Pair else [spec]
    if not items or not is_ident(items[0]):
        raise syntax_error("bad field in define-record-type*", loc=loc,
                           hints=["write (FIELD ACCESSOR [(default EXPR)] [(thunked)])"])
    fname = name_of(items[0])
    acc = name_of(items[1]) if len(items) > 1 and is_ident(items[1]) else None
    default = None
    thunked = False
    sanitize = None
    for opt in items[2 if acc else 1:]:
        if type(opt) is not Pair or not is_ident(opt.car):
            raise syntax_error(f"bad option of field {fname}", loc=loc)
        key = name_of(opt.car)
        if key in ("default", "sanitize") and (type(opt.cdr) is not Pair
                                               or opt.cdr.cdr is not NIL):
            raise syntax_error(f"({key} ...) of field {fname} takes one expression",
                               loc=opt.loc or loc,
                               hints=[f"write ({key} EXPR)"])
        if key == "default":
            default = opt.cdr.car
        elif key in ("thunked", "delayed", "innate"):
            thunked = thunked or key == "thunked"
        elif key == "sanitize":
            sanitize = opt.cdr.car
        else:
            raise syntax_error(f"unknown field option {key} in define-record-type*",
                               loc=loc, hints=["options are default, thunked, delayed, "
                                               "innate and sanitize"])
    return fname, acc, default, thunked, sanitize


def _calling(proc):
    """A Python callable applying the Scheme procedure PROC to one value."""
    return lambda v: call(proc, [v])


def compile_define_record_star(form: Pair, scope, ctx, tail):
    """(define-record-type* <T> NAME MAKE-NAME PREDICATE [THIS] (FIELD ACCESSOR OPT...) ...)"""
    if scope is not None:
        raise syntax_error("define-record-type* must be at the top level", loc=form.loc)
    items = to_list(form.cdr)
    if len(items) < 4 or not all(is_ident(x) for x in items[:4]):
        raise syntax_error("bad define-record-type* form", loc=form.loc,
                           hints=["write (define-record-type* <T> NAME MAKE-NAME NAME? "
                                  "(FIELD ACCESSOR (default VALUE)) ...)"])
    name, maker, pred = name_of(items[1]), name_of(items[2]), name_of(items[3])
    rest = items[4:]
    this_name = None
    if rest and is_ident(rest[0]):            # this-record identifier
        this_name = name_of(rest[0])
        rest = rest[1:]
    specs = [_parse_field(s, form.loc) for s in rest]
    default_nodes = {f: compile_form(d, scope, ctx, False, form.loc)
                     for f, _, d, _, _ in specs if d is not None}
    sanitize_nodes = {f: compile_form(s, scope, ctx, False, form.loc)
                      for f, _, _, _, s in specs if s is not None}
    spec_locs = {spec[0]: getattr(s, "loc", None) or form.loc for spec, s in zip(specs, rest)}
    module = ctx.module

    def define(env):
        fields = []
        for fname, _acc, _d, _thunked, _s in specs:
            node = default_nodes.get(fname)
            thunk = (lambda rec, n=node: n(env)) if node is not None else None
            san = sanitize_nodes.get(fname)
            sanitize = None
            if san is not None:
                proc = san(env)
                if not is_procedure(proc):
                    raise error(f"define-record-type*: the sanitizer of field {fname} must "
                                f"be a procedure, got {write_string(proc)}",
                                key="wrong-type-arg", loc=spec_locs[fname])
                sanitize = _calling(proc)
            fields.append(Field(fname, None, REQUIRED, thunk=thunk, sanitize=sanitize))
        rtype = RecordType(name, fields, doc=f"A {name} record (define-record-type*).")
        rtype.this_name = this_name     # a clause naming it sees the record being built
        install_record_type(module, rtype, export=False)
        module.define(Symbol(pred), Primitive(pred, lambda x: type(x) is Record and
                                              x.rtype is rtype, 1, 1, "obj"))
        for i, (fname, acc, _d, _t, _s) in enumerate(specs):
            if acc:
                module.define(Symbol(acc), accessor(rtype, i, acc))
        n = len(fields)

        def make(*args):
            return rtype.make({f.name: v for f, v in zip(fields, args)})
        module.define(Symbol(maker), Primitive(maker, make, n, n,
                                               " ".join(f.name for f in fields)))
        module.define(Symbol(name_of(items[0])), rtype)
        return UNSPECIFIED
    return define


def install(module) -> None:
    module.define(Symbol("define-record-type*"), SpecialForm(
        "define-record-type*", compile_define_record_star,
        compile_define_record_star.__doc__), True)


__all__ = ["install"]
