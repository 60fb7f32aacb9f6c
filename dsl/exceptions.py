"""Guile's exception objects: (ice-9 exceptions), SRFI-35 conditions, R7RS error objects.

An exception is a set of *components* (`&message`, `&irritants`, `&origin`, `&error`,
...).  Errors signalled by the system are `Condition`s carrying Guile's `(key . args)`;
their components are derived from those arguments the way Guile converts a `throw`:
`(subr message irritants rest)` becomes `&origin`, `&message`, `&irritants`, and every
such exception also records its kind and arguments.  Exceptions made by programs
(`make-exception-with-message`, SRFI-35 `condition`) list their components explicitly.
"""

from __future__ import annotations

from typing import Any

from .builtins.format import format_text
from .builtins.ports import current_error, need_output
from .compiler import compile_form, is_ident, name_of
from .conditions import (
    ERROR,
    EXCEPTION,
    IRRITANTS,
    KIND_ARGS,
    MESSAGE,
    ORIGIN,
    SERIOUS,
    TYPES,
    Component,
    ExnType,
    components,
)
from .control import Catcher, catching, do_raise, with_barrier
from .datatypes import NIL, UNSPECIFIED, Keyword, Pair, Symbol, from_list, is_string, pystr, to_list
from .errors import Condition, SchemeError, error, syntax_error, wrong_type
from .modules import define_value, existing_module, primitive
from .printer import display_string, write_string
from .procedures import call
from .special_forms import args_of, special


def find(c: Any, t: ExnType) -> Component | None:
    if not isinstance(c, Condition):
        return None
    for comp in components(c):
        if comp[0].is_a(t):
            return comp
    return None


def made(parts: list[Component], text: str | None = None) -> Condition:
    """An exception a program built (no Guile key: `catch` sees it as %exception)."""
    message = text
    if message is None:
        m = next((v for t, v in parts if t.is_a(MESSAGE)), None)
        message = pystr(m[0]) if m and is_string(m[0]) else None
    c = Condition("%exception", message or "", (), None)
    c.parts = parts
    c.display_text = message
    return c


# --- (ice-9 exceptions) -------------------------------------------------------------------

EXC = "ice-9 exceptions"


def _exc(name: str, *modules: str):
    def wrap(fn):
        for m in modules or ("guile", EXC):
            primitive(m, name)(fn)
        return fn
    return wrap


@_exc("exception?", "guile", EXC, "srfi srfi-35")
def exception_p(x):
    return isinstance(x, Condition)


@_exc("error?", "guile", EXC, "srfi srfi-35")
def error_p(x):
    return find(x, ERROR) is not None


def _component_procedures(t: ExnType, what: str):
    """exception-with-WHAT? and exception-WHAT for the component type T (one field)."""
    def has(x):
        return find(x, t) is not None

    def get(x):
        comp = find(x, t)
        if comp is None:
            raise wrong_type(f"exception-{what}", 1, f"exception with {what}", x)
        return comp[1][0]
    _exc(f"exception-with-{what}?", "guile", EXC)(has)
    _exc(f"exception-{what}", "guile", EXC)(get)
    return get


exception_message = _component_procedures(MESSAGE, "message")
exception_irritants = _component_procedures(IRRITANTS, "irritants")
exception_origin = _component_procedures(ORIGIN, "origin")


@_exc("exception-kind", "guile", EXC)
def exception_kind(x):
    comp = find(x, KIND_ARGS)
    if comp is not None:
        return comp[1][0]
    return Symbol("%exception")


@_exc("exception-args", "guile", EXC)
def exception_args(x):
    comp = find(x, KIND_ARGS)
    if comp is not None:
        return comp[1][1]
    return from_list([x])


@_exc("make-exception-with-message")
def make_with_message(message):
    return made([(MESSAGE, (message,))])


@_exc("make-exception-with-irritants")
def make_with_irritants(irritants):
    return made([(IRRITANTS, (irritants,))])


@_exc("make-exception-with-origin")
def make_with_origin(origin):
    return made([(ORIGIN, (origin,))])


@_exc("make-error")
def make_error():
    return made([(ERROR, ())])


@_exc("make-exception")
def make_exception(*parts):
    comps: list[Component] = []
    for k, p in enumerate(parts):
        if not isinstance(p, Condition):
            raise wrong_type("make-exception", k + 1, "exception", p)
        comps.extend(components(p))
    return made(comps)


@_exc("raise-exception")
def raise_exception(obj, *options):
    continuable = any(options[i] is Keyword("continuable?") and options[i + 1] is not False
                      for i in range(0, len(options) - 1, 2))
    return do_raise(obj, continuable)


@_exc("condition/report-string")
def report_string(x):
    if not isinstance(x, Condition):
        raise wrong_type("condition/report-string", 1, "exception", x)
    return x.text()


for _t in TYPES.values():
    define_value("guile", _t.name, _t)
    define_value(EXC, _t.name, _t)


# --- R7RS error objects ((scheme base)); core `error` keeps Guile's own shape --------------

R7 = "scheme base"


@_exc("error-object?", "guile", R7)
def error_object_p(x):
    return isinstance(x, Condition)


def _core_error_parts(x) -> tuple | None:
    """(MESSAGE, IRRITANTS) of a condition made by core `error`, whose Guile shape
    (#f "~A ~S ..." (MESSAGE IRRITANT ...) #f) hides them behind a format string."""
    if not isinstance(x, Condition) or x.parts is not None or x.key.name != "misc-error":
        return None
    args = x.throw_args
    if not args or len(args) != 4 or args[0] is not False or type(args[2]) is not Pair:
        return None
    items = to_list(args[2])
    if not is_string(args[1]) or pystr(args[1]) != "~A" + " ~S" * (len(items) - 1):
        return None
    return items[0], (from_list(items[1:]) if len(items) > 1 else False)


def _error_object_message(x):
    comp = find(x, MESSAGE)
    return comp[1][0] if comp is not None else ""


def _error_object_irritants(x):
    comp = find(x, IRRITANTS)
    return comp[1][0] if comp is not None else False


# (scheme base)'s accessors read the components as Guile's do: for a condition made by
# core `error` they give its format string and the list of all its arguments.  vsys also
# offers them in (guile), where Guile has none; there they answer as R7RS means them:
# the message and the irritants given to `error`.
primitive(R7, "error-object-message")(_error_object_message)
primitive(R7, "error-object-irritants")(_error_object_irritants)


@primitive("guile", "error-object-message")
def error_object_message(x):
    parts = _core_error_parts(x)
    return parts[0] if parts is not None else _error_object_message(x)


@primitive("guile", "error-object-irritants")
def error_object_irritants(x):
    parts = _core_error_parts(x)
    return parts[1] if parts is not None else _error_object_irritants(x)


@primitive(R7, "error")
def r7rs_error(message, *irritants):
    """(error MESSAGE IRRITANT ...), R7RS style: message and irritants kept apart."""
    parts: list[Component] = [(ERROR, ()), (MESSAGE, (message,))]
    if irritants:
        parts.append((IRRITANTS, (from_list(list(irritants)),)))
    c = made(parts)
    c.irritants = irritants
    c.key = Symbol("misc-error")
    c.message = pystr(message) if is_string(message) else str(message)
    return do_raise(c, False)


# --- SRFI-35 ---------------------------------------------------------------------------------

S35 = "srfi srfi-35"
for _name, _t in (("&condition", EXCEPTION), ("&message", MESSAGE), ("&serious", SERIOUS),
                  ("&error", ERROR)):
    define_value(S35, _name, _t)


@primitive(S35, "message-condition?")
def message_condition_p(x):
    return find(x, MESSAGE) is not None


@primitive(S35, "condition-message")
def condition_message(x):
    return exception_message(x)


@primitive(S35, "serious-condition?")
def serious_p(x):
    return find(x, SERIOUS) is not None


@primitive(S35, "condition?")
def condition_p(x):
    return isinstance(x, Condition)


@primitive(S35, "condition-has-type?")
def has_type(c, t):
    return find(c, t) is not None


def all_fields(t: ExnType) -> tuple:
    """A condition type's fields, its ancestors' first (SRFI-35 inherits them)."""
    return (all_fields(t.parent) if t.parent is not None else ()) + t.fields


@primitive(S35, "condition-ref")
def condition_ref(c, field):
    for t, values in components(c) if isinstance(c, Condition) else ():
        names = all_fields(t) if len(values) != len(t.fields) else t.fields
        for f, v in zip(names, values):
            if f == name_of(field):
                return v
    raise wrong_type("condition-ref", 2, "field of the condition", field)


@primitive(S35, "make-condition")
def make_condition(ctype, *field_values):
    """(make-condition TYPE FIELD VALUE ...): every field of TYPE must be given."""
    if not isinstance(ctype, ExnType):
        raise wrong_type("make-condition", 1, "condition type", ctype)
    if len(field_values) % 2:
        raise error("make-condition: a field name without its value", key="misc-error")
    given = {name_of(field_values[k]): field_values[k + 1]
             for k in range(0, len(field_values), 2)}
    names = all_fields(ctype)
    unknown = [f for f in given if f not in names]
    if unknown:
        raise error(f"make-condition: wrong fields for {ctype.name}: expected "
                    f"{' '.join(names) or 'none'}", key="misc-error")
    need_all_fields(ctype, given)
    return made([(ctype, tuple(given[f] for f in names))])


def need_all_fields(ctype: ExnType, given: dict, loc=None) -> None:
    """Every field of a condition type is given a value (Guile's error otherwise)."""
    for f in all_fields(ctype):
        if f not in given:
            raise error("field not specified", Symbol(f), key="misc-error", loc=loc,
                        hints=[f"give every field of {ctype.name}: "
                               f"{' '.join(all_fields(ctype))}"])


@primitive(S35, "extract-condition")
def extract_condition(c, ctype):
    """The part of condition C of type CTYPE, as a condition of its own."""
    comp = find(c, ctype)
    if comp is None:
        raise wrong_type("extract-condition", 1, f"condition of type {ctype.name}", c)
    t, values = comp
    names = all_fields(t) if len(values) != len(t.fields) else t.fields
    kept = dict(zip(names, values))
    return made([(ctype, tuple(kept.get(f, False) for f in all_fields(ctype)))])


@primitive(S35, "condition-type?")
def condition_type_p(x):
    return isinstance(x, ExnType)


@special("define-condition-type", module=S35)
def _define_condition_type(form, scope, ctx, tail):
    """(define-condition-type TYPE PARENT PREDICATE (FIELD ACCESSOR) ...)"""
    ops = args_of(form, "define-condition-type", 3)
    name, parent, pred = ops[0], ops[1], ops[2]
    fields = []
    for spec in ops[3:]:
        if type(spec) is not Pair or type(spec.cdr) is not Pair or not is_ident(spec.car):
            raise syntax_error("bad define-condition-type field: write (FIELD ACCESSOR)",
                               loc=form.loc)
        fields.append((spec.car, spec.cdr.car))
    s35 = existing_module(("srfi", "srfi-35"))
    # the expansion names (srfi srfi-35)'s procedures by value: they need no import
    make_condition_type_prim, condition_p_prim, has_type_prim, condition_ref_prim, \
        extract_prim = (s35.lookup(Symbol(n)).value for n in (
            "make-condition-type", "condition?", "condition-has-type?", "condition-ref",
            "extract-condition"))
    quote, define = Symbol("quote"), Symbol("define")
    x = Symbol(" condition")
    lam = Symbol("lambda")
    out = [from_list([define, name, from_list([
        make_condition_type_prim, from_list([quote, name]), parent,
        from_list([quote, from_list([f for f, _ in fields])])])])]
    out.append(from_list([define, pred, from_list([lam, from_list([x]), from_list([
        Symbol("and"), from_list([condition_p_prim, x]),
        from_list([has_type_prim, x, name])])])]))
    for field, acc in fields:
        out.append(from_list([define, acc, from_list([lam, from_list([x]), from_list([
            condition_ref_prim, from_list([extract_prim, x, name]),
            from_list([quote, field])])])]))
    return compile_form(Pair(Symbol("begin"), from_list(out), form.loc), scope, ctx, tail,
                        form.loc)


@primitive(S35, "make-condition-type")
def make_condition_type(name, parent, fields):
    if not isinstance(parent, ExnType):
        raise wrong_type("make-condition-type", 2, "condition type", parent)
    return ExnType(name_of(name), parent, tuple(name_of(f) for f in to_list(fields)))


@primitive(S35, "make-compound-condition")
def make_compound_condition(*conds):
    return make_exception(*conds)


@special("condition", module=S35)
def _condition(form, scope, ctx, tail):
    """(condition (TYPE (FIELD EXPR) ...) ...): a condition with those components."""
    specs = []
    for clause in args_of(form, "condition", 1):
        if type(clause) is not Pair:
            raise syntax_error("bad condition clause", loc=form.loc,
                               hints=["write (condition (&message (message \"...\")))"])
        tnode = compile_form(clause.car, scope, ctx, False, form.loc)
        fields = []
        for f in to_list(clause.cdr):
            if type(f) is not Pair or not is_ident(f.car):
                raise syntax_error("bad condition field", loc=form.loc)
            fields.append((name_of(f.car), compile_form(f.cdr.car, scope, ctx, False,
                                                        form.loc)))
        specs.append((tnode, fields))

    def condition_node(env):
        parts: list[Component] = []
        for tnode, fields in specs:
            t = tnode(env)
            if not isinstance(t, ExnType):
                err = wrong_type("condition", 1, "condition type", t)
                err.loc = loc
                raise err
            given = {name: node(env) for name, node in fields}
            need_all_fields(t, given, loc)
            parts.append((t, tuple(given.get(f, False) for f in all_fields(t))))
        return made(parts)
    loc = form.loc
    return condition_node


# --- scm-error and print-exception ------------------------------------------------------------

# Keys whose throw arguments Guile prints as (SUBR MESSAGE ARGS REST): "In procedure SUBR:
# MESSAGE" with ARGS formatted into MESSAGE.  Other keys print as "Throw to key ...".
SCM_ERROR_KEYS = frozenset(
    "system-error out-of-range wrong-type-arg unbound-variable wrong-number-of-args "
    "misc-error read-error signal program-error goops-error null-pointer-error "
    "stack-overflow regular-expression-syntax try-again no-data no-recovery "
    "host-not-found out-of-memory".split())


def scm_error_text(subr, message, args) -> str:
    """Guile's text for an error thrown with (SUBR MESSAGE ARGS REST)."""
    text = pystr(message)
    if args is not False and (args is NIL or type(args) is Pair):
        text = format_text(text, to_list(args), display_string, write_string)
    if subr is False:
        return text
    return f"In procedure {display_string(subr)}: {text}"


def exception_text(key, args) -> str:
    """What `print-exception` writes (without the newline) for KEY and its ARGS."""
    items = to_list(args) if args is NIL or type(args) is Pair else None
    if (type(key) is Symbol and key.name in SCM_ERROR_KEYS and items is not None
            and len(items) == 4 and is_string(items[1])):
        try:
            return scm_error_text(items[0], items[1], items[2])
        except Exception:
            pass
    if items is not None and len(items) == 1 and isinstance(items[0], Condition):
        return items[0].text()
    return f"Throw to key `{write_string(key)}' with args `{write_string(args)}'."


@primitive("guile", "scm-error")
def scm_error(key, subr, message, args, rest):
    """(scm-error KEY SUBR MESSAGE ARGS REST): throw KEY with Guile's error arguments;
    MESSAGE is a format string for the list ARGS, SUBR names the procedure or is #f."""
    if type(key) is not Symbol:
        raise wrong_type("scm-error", 1, "symbol", key)
    if not is_string(message):
        raise wrong_type("scm-error", 3, "string", message)
    text = scm_error_text(subr, message, args)
    irritants = tuple(to_list(args)) if type(args) is Pair else ()
    origin = None if subr is False else (pystr(subr) if is_string(subr) else name_of(subr))
    raise SchemeError(Condition(key.name, text, irritants, origin,
                                throw_args=(subr, message, args, rest)))


@primitive("guile", "print-exception")
def print_exception(port, frame, key, args):
    """(print-exception PORT FRAME KEY ARGS): write the message Guile shows for an
    exception thrown to KEY with ARGS (FRAME, a stack frame, is not used by vsys)."""
    need_output("print-exception", 1, port).write(exception_text(key, args) + "\n")
    return UNSPECIFIED


@primitive("guile", "with-continuation-barrier")
def with_continuation_barrier(thunk):
    """(with-continuation-barrier THUNK): THUNK's value, called behind a barrier that no
    continuation or abort crosses; an exception THUNK leaves uncaught is printed to the
    current error port and gives #f."""
    def report(e):
        obj = e.payload
        key = obj.key if isinstance(obj, Condition) else Symbol("%exception")
        args = from_list(list(obj.catch_args() if isinstance(obj, Condition) else (obj,)))
        need_output("with-continuation-barrier", 1, current_error()).write(
            exception_text(key, args) + "\n")
        return False
    return catching(Catcher(True), lambda: with_barrier(lambda: call(thunk, [])), report)
