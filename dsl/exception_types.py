"""Guile 3.0's standard exception types beyond the simple ones, with their constructors,
predicates and accessors, and the procedures over exception types themselves
(`make-exception-type`, `exception-predicate`...), as (ice-9 exceptions) exports them."""

from __future__ import annotations

from .compiler import compile_form, is_ident
from .conditions import (
    EXCEPTION,
    EXTERNAL,
    NON_CONTINUABLE,
    PROGRAMMING,
    WARNING,
    ExnType,
    components,
)
from .datatypes import Pair, Symbol, from_list, is_string, pystr, to_list
from .errors import Condition, syntax_error, wrong_type
from .exceptions import EXC, all_fields, find, made
from .modules import define_value, primitive
from .printer import write_string
from .procedures import call, is_procedure, make_primitive
from .special_forms import args_of, special

ASSERTION = ExnType("&assertion-failure", PROGRAMMING)
UNDEFINED_VARIABLE = ExnType("&undefined-variable", PROGRAMMING)
RESTRICTION = ExnType("&implementation-restriction", PROGRAMMING)
LEXICAL = ExnType("&lexical", PROGRAMMING)
SYNTAX = ExnType("&syntax", PROGRAMMING, ("form", "subform"))
QUIT = ExnType("&quit-exception", EXCEPTION, ("code",))
COMPOUND = ExnType("&compound-exception", EXCEPTION, ("components",))

for _t in (ASSERTION, UNDEFINED_VARIABLE, RESTRICTION, LEXICAL, SYNTAX, QUIT, COMPOUND):
    define_value("guile", _t.name, _t)
    define_value(EXC, _t.name, _t)


def _both(name: str):
    def wrap(fn):
        primitive("guile", name)(fn)
        primitive(EXC, name)(fn)
        return fn
    return wrap


def _kind(t: ExnType, make: str, test: str) -> None:
    """(MAKE) and (TEST X) for a type without fields."""
    _both(make)(lambda: made([(t, ())]))
    _both(test)(lambda x: find(x, t) is not None)


for _t, _make, _test in (
        (WARNING, "make-warning", "warning?"),
        (LEXICAL, "make-lexical-error", "lexical-error?"),
        (EXTERNAL, "make-external-error", "external-error?"),
        (PROGRAMMING, "make-programming-error", "programming-error?"),
        (ASSERTION, "make-assertion-failure", "assertion-failure?"),
        (UNDEFINED_VARIABLE, "make-undefined-variable-error", "undefined-variable-error?"),
        (NON_CONTINUABLE, "make-non-continuable-error", "non-continuable-error?"),
        (RESTRICTION, "make-implementation-restriction-error",
         "implementation-restriction-error?")):
    _kind(_t, _make, _test)


@_both("make-syntax-error")
def make_syntax_error(form, subform):
    return made([(SYNTAX, (form, subform))])


@_both("syntax-error?")
def syntax_error_p(x):
    return find(x, SYNTAX) is not None


def _field(t: ExnType, who: str, k: int):
    def get(x):
        comp = find(x, t)
        if comp is None:
            raise wrong_type(who, 1, t.name[1:], x)
        return comp[1][k]
    _both(who)(get)


_field(SYNTAX, "syntax-error-form", 0)
_field(SYNTAX, "syntax-error-subform", 1)


@_both("make-quit-exception")
def make_quit_exception(code):
    return made([(QUIT, (code,))])


@_both("quit-exception?")
def quit_exception_p(x):
    return find(x, QUIT) is not None


@_both("make-exception-from-throw")
def make_exception_from_throw(key, args):
    """The exception `throw` raises for KEY and the list ARGS."""
    items = tuple(to_list(args))
    if len(items) == 1 and isinstance(items[0], Condition) and key is Symbol("%exception"):
        return items[0]
    text = f"throw to key {write_string(key)} with arguments {write_string(args)}"
    return Condition(key.name if type(key) is Symbol else write_string(key), text, items,
                     None, throw_args=items)


@_both("simple-exceptions")
def simple_exceptions(x):
    """The simple exceptions X is made of, each an exception of its own."""
    if not isinstance(x, Condition):
        raise wrong_type("simple-exceptions", 1, "exception", x)
    return from_list([made([comp]) for comp in components(x)])


@_both("make-exception-type")
def make_exception_type(name, parent, fields):
    if not isinstance(parent, ExnType):
        raise wrong_type("make-exception-type", 2, "exception type", parent)
    text = pystr(name) if is_string(name) else write_string(name)
    return ExnType(text, parent, tuple(write_string(f) for f in to_list(fields)))


@_both("exception-type?")
def exception_type_p(x):
    return isinstance(x, ExnType)


@_both("exception-predicate")
def exception_predicate(t):
    if not isinstance(t, ExnType):
        raise wrong_type("exception-predicate", 1, "exception type", t)
    return make_primitive(f"{t.name}?", lambda x: find(x, t) is not None)


@_both("exception-accessor")
def exception_accessor(t, proc):
    """(exception-accessor TYPE PROC): a procedure applying PROC to the component of type
    TYPE of an exception (that component alone, as an exception)."""
    if not isinstance(t, ExnType):
        raise wrong_type("exception-accessor", 1, "exception type", t)
    if not is_procedure(proc):
        raise wrong_type("exception-accessor", 2, "procedure", proc)

    def access(x):
        comp = find(x, t)
        if comp is None:
            raise wrong_type("exception-accessor", 1, f"exception of type {t.name}", x)
        return call(proc, [made([comp])])
    return make_primitive("exception-accessor", access)



@special("define-exception-type", module=EXC)
def _define_exception_type(form, scope, ctx, tail):
    """(define-exception-type TYPE PARENT CONSTRUCTOR PREDICATE (FIELD ACCESSOR) ...)"""
    ops = args_of(form, "define-exception-type", 4)
    name, parent, maker, pred = ops[:4]
    fields = []
    for spec in ops[4:]:
        if type(spec) is not Pair or type(spec.cdr) is not Pair or not is_ident(spec.car) \
                or not is_ident(spec.cdr.car):
            raise syntax_error("bad define-exception-type field: write (FIELD ACCESSOR)",
                               loc=form.loc)
        fields.append((spec.car, spec.cdr.car))
    for x in (name, maker, pred):
        if not is_ident(x):
            raise syntax_error("bad define-exception-type: TYPE, CONSTRUCTOR and PREDICATE "
                               "are names", loc=form.loc,
                               hints=["write (define-exception-type &my-error &error "
                                      "make-my-error my-error? (FIELD ACCESSOR) ...)"])
    define, quote = Symbol("define"), Symbol("quote")
    out = [from_list([define, name, from_list([
        make_primitive("make-exception-type", make_exception_type),
        from_list([quote, name]), parent, from_list([quote, from_list([f for f, _ in fields])])])]),
        from_list([define, maker, from_list([make_primitive("exception-constructor",
                                                            exception_constructor), name])]),
        from_list([define, pred, from_list([make_primitive("exception-predicate",
                                                           exception_predicate), name])])]
    for field, acc in fields:
        out.append(from_list([define, acc, from_list([
            make_primitive("exception-field-accessor", field_accessor), name,
            from_list([quote, field])])]))
    return compile_form(Pair(Symbol("begin"), from_list(out), form.loc), scope, ctx, tail,
                        form.loc)


def exception_constructor(t):
    """The constructor of exception type T: one argument per field, its ancestors' first."""
    names = all_fields(t)

    def construct(*values):
        if len(values) != len(names):
            raise wrong_type(f"make-{t.name[1:]}", len(values),
                             f"{len(names)} field values", from_list(list(values)))
        return made([(t, tuple(values))])
    return make_primitive(f"make-{t.name[1:]}", construct)


def field_accessor(t, field):
    name = write_string(field)
    names = all_fields(t)
    k = names.index(name)

    def get(x):
        comp = find(x, t)
        if comp is None:
            raise wrong_type(name, 1, f"exception of type {t.name}", x)
        return comp[1][k] if len(comp[1]) == len(names) else comp[1][-len(names) + k]
    return make_primitive(name, get)
