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

from typing import Any

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


def violation(message: str, form: Any, who: str | None = None, subform: Any = None,
              loc: Location | None = None, hints: list[str] | None = None) -> SchemeError:
    """A syntax error as Guile raises it: MESSAGE about FORM (and its part SUBFORM),
    reported by the form WHO (None for a macro's pattern failure)."""
    from .compiler import strip  # noqa: PLC0415 (compiler imports the forms that raise these)
    if loc is None:
        loc = getattr(subform, "loc", None) or getattr(form, "loc", None)
    datum = strip(form)
    cond = Condition("syntax-error", message, (), None, hints, None, loc)
    cond.throw_args = (Symbol(who) if who else False, message, source_properties(loc),
                       datum, False if subform is None else strip(subform))
    head = f"{who}: {message}" if who else message
    shown = brief(write_string(datum), 200)
    if subform is None:
        cond.display_text = f"{head} in form {shown}"
    else:
        cond.display_text = f"{head} in subform {brief(write_string(strip(subform)))} of {shown}"
    return SchemeError(cond)


def malformed(form: Any, what: str, hints: list[str] | None = None,
              loc: Location | None = None) -> SchemeError:
    """FORM, a use of WHAT, does not have WHAT's shape: what Guile says of it."""
    words = SELF_NAMING.get(what)
    if words is not None:
        return violation(words, form, what, loc=loc, hints=hints)
    return violation(NO_MATCH, form, loc=loc, hints=hints)
