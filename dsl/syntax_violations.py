"""Malformed forms, reported in Guile's words.

Guile's expander reports a malformed form as a `syntax-error` with a fixed message: its
core forms name themselves ("bad let", "bad lambda", "bad set!"), forms it defines as
macros say "source expression failed to match any pattern", and a few say what is wrong
("invalid clause", "duplicate bound variable").  vsys raises the same key and message,
and `catch` hands a handler Guile's arguments (WHO MESSAGE SOURCE-PROPERTIES FORM
SUBFORM), so a config that inspects the error behaves as on Guix; the person reading it
sees the location, Guile's text and vsys's hint on how to write the form.
"""

from __future__ import annotations

from typing import Any, Callable

from .datatypes import Location, Pair, Symbol, from_list
from .errors import Condition, SchemeError, brief
from .printer import write_string

NO_MATCH = "source expression failed to match any pattern"

# The forms Guile's expander implements itself, and what it says when one is malformed.
SELF_NAMING = {
    "lambda": "bad lambda", "lambda*": "bad lambda*", "let": "bad let",
    "letrec": "bad letrec", "letrec*": "bad letrec*", "set!": "bad set!",
    "quote": "bad syntax", "case-lambda": "bad case-lambda",
    "case-lambda*": "bad case-lambda*",
}


def source_properties(loc: Location | None) -> Any:
    """Guile's source properties of a form at LOC: 0-based line and column."""
    if loc is None:
        return from_list([])
    props = [Pair(Symbol("line"), loc.line - 1), Pair(Symbol("column"), loc.column - 1)]
    if loc.file:
        props.insert(0, Pair(Symbol("filename"), loc.file))
    return from_list(props)


def strip(form: Any) -> Any:
    """FORM as plain data; the compiler, which defines the identifiers a macro renames,
    puts its syntax->datum here as it loads (it sits above this module)."""
    return form


def set_stripper(fn: Callable[[Any], Any]) -> None:
    global strip
    strip = fn


# The form argument of a violation found inside a form that the compiler fills in as
# the error leaves that form (a body knows not which lambda or let it belongs to).
ENCLOSING = Symbol(" enclosing form ")


def violation(message: str, form: Any, who: str | None = None, subform: Any = None,
              loc: Location | None = None, hints: list[str] | None = None) -> SchemeError:
    """A syntax error as Guile raises it: MESSAGE about FORM (and its part SUBFORM),
    reported by the form WHO (None for a macro's pattern failure)."""
    if loc is None:
        loc = getattr(subform, "loc", None) or getattr(form, "loc", None)
    cond = Condition("syntax-error", message, (), None, hints, None, loc)
    cond.throw_args = (Symbol(who) if who else False, message, source_properties(loc),
                       strip(form), False if subform is None else strip(subform))
    _describe(cond)
    return SchemeError(cond)


def _describe(cond: Condition) -> None:
    """Guile's text for a violation: WHO: MESSAGE in [subform S of] form F."""
    who, message, _, datum, subform = cond.throw_args
    head = f"{who.name}: {message}" if who else message
    shown = brief(write_string(datum), 200)
    if subform is False:
        cond.display_text = f"{head} in form {shown}"
    else:
        cond.display_text = f"{head} in subform {brief(write_string(subform))} of {shown}"


def enclose(err: SchemeError, form: Any) -> None:
    """Name FORM as the form of ERR if it is a violation waiting for its enclosing form."""
    cond = err.payload
    if type(cond) is Condition and type(cond.throw_args) is tuple \
            and len(cond.throw_args) == 5 and cond.throw_args[3] is ENCLOSING:
        args = cond.throw_args
        cond.throw_args = (*args[:3], strip(form), args[4])
        _describe(cond)


def malformed(form: Any, what: str, hints: list[str] | None = None,
              loc: Location | None = None) -> SchemeError:
    """FORM, a use of WHAT, does not have WHAT's shape: what Guile says of it."""
    words = SELF_NAMING.get(what)
    if words is not None:
        return violation(words, form, what, loc=loc, hints=hints)
    return violation(NO_MATCH, form, loc=loc, hints=hints)
