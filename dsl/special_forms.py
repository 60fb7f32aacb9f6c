"""The table of special forms: how a form is declared, and what the compiler asks of it.

A special form is declared once, with `@special`: its names, the module it is bound in,
its usage hint (shown when it is written with the wrong number of operands) and, for a
form that defines, how it defines inside a body.  The compiler finds forms through
their bindings and through DEFINING_FORMS here, so it never imports the modules that
declare them.
"""

from __future__ import annotations

from typing import Any, Callable

from .datatypes import NIL, Pair, Symbol
from .errors import count_range
from .modules import Module, define_value
from .syntax_violations import malformed

# The internal-definition gatherer of each defining form (define, define-values,
# define-syntax...), which `compile_body` calls before compiling a body's expressions.
DEFINING_FORMS: dict[str, Callable] = {}
# Forms by name, for expansions written in Python: CORE["begin"] is the core `begin`
# whatever a program binds that name to.
CORE: dict[str, "SpecialForm"] = {}


class SpecialForm:
    """A core form: `compile(form, scope, ctx, tail)` returns a node.

    `usage` is how the form is written, for error hints.  `as_value`, when set, is what
    the name means used as a value: a procedure that does the same job (see
    dsl.located), so `(map service ...)` still works."""

    __slots__ = ("name", "compile", "doc", "as_value", "usage")

    def __init__(self, name: str, compile_fn: Callable, doc: str = "", as_value: Any = None,
                 usage: str = ""):
        self.name = name
        self.compile = compile_fn
        self.doc = doc
        self.as_value = as_value
        self.usage = usage

    def scheme_repr(self, write: bool) -> str:
        return f"#<syntax {self.name}>"


def special(*names: str, module: str | Module = "guile", usage: str = "",
            defining: Callable | None = None, doc: str | None = None,
            export: bool = True) -> Callable[[Callable], Callable]:
    """Declare the decorated `compile(form, scope, ctx, tail)` as the special form(s)
    NAMES, bound in MODULE (a module name such as "ice-9 match", or a Module).  USAGE is
    the hint for a wrong operand count; DEFINING, `(form, scope, ctx, loc)` -> items,
    makes the form an internal definition in bodies; DOC defaults to the function's
    docstring; EXPORT is whether a Module given by value exports the name."""
    def wrap(fn: Callable) -> Callable:
        text = (fn.__doc__ or "").strip() if doc is None else doc
        for n in names:
            sf = SpecialForm(n, fn, text, usage=usage)
            if isinstance(module, Module):
                module.define(Symbol(n), sf, export)
            else:
                CORE.setdefault(n, sf)
                define_value(module, n, sf)
            if defining is not None:
                DEFINING_FORMS[n] = defining
        return fn
    return wrap


def usage_of(what: str) -> str:
    """How the core form WHAT is written, for a hint."""
    sf = CORE.get(what)
    return sf.usage if sf is not None and sf.usage else f"({what} ...)"


def args_of(form: Pair, what: str, lo: int, hi: int | None = None) -> list:
    """The operands of a form, checking their count."""
    items = []
    p = form.cdr
    while type(p) is Pair:
        items.append(p.car)
        p = p.cdr
    if p is not NIL:
        raise malformed(form, what, [f"a {what} form is a proper list: "
                                     f"write it as {usage_of(what)}"])
    if len(items) < lo or (hi is not None and len(items) > hi):
        want = count_range(lo, hi)
        raise malformed(form, what, [f"{what} takes {want} operand"
                                     f"{'' if want == '1' else 's'}, not {len(items)}: "
                                     f"write it as {usage_of(what)}"])
    return items
