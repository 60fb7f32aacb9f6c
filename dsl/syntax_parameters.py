"""Syntax parameters: `define-syntax-parameter` and `syntax-parameterize`, as Guile has.

A syntax parameter is a macro whose meaning `syntax-parameterize` changes for the code
it encloses, including code that other macros expand into there.  vsys compiles the
enclosed body at once, so the new meaning is put in place while that body compiles and
the old one restored after.  A transformer is a `syntax-rules` form or, as in Guile's
default transformers, a procedure of the whole form (called on it as plain data).
Also `syntax-violation`, which such transformers call."""

from __future__ import annotations

from .compiler import (
    Macro,
    base_symbol,
    compile_form,
    constant,
    is_ident,
    name_of,
    resolve,
    run_node,
    strip,
    syntax_value,
)
from .datatypes import NIL, UNSPECIFIED, Pair, from_list, to_list
from .errors import Condition, SchemeError, syntax_error
from .modules import primitive
from .printer import write_string
from .procedures import call
from .special_forms import CORE, args_of, special
from .syntax_rules import make_macro


class SyntaxParameter(Macro):
    """A macro expanding through its current transformer."""

    __slots__ = ("current",)

    def __init__(self, name: str, current: Macro):
        super().__init__(name, self._expand)
        self.current = current

    def _expand(self, form, scope, ctx):
        return self.current.expand(form, scope, ctx)


def _transformer(name: str, spec, scope, ctx, loc) -> Macro:
    if type(spec) is Pair and is_ident(spec.car) and base_symbol(spec.car).name == "syntax-rules":
        return make_macro(name, spec, scope, ctx, loc)
    proc = run_node(compile_form(spec, None, ctx, False, loc))

    def expand(form, use_scope, use_ctx):
        return call(proc, [strip(form)])
    return Macro(name, expand)


@special("define-syntax-parameter")
def _define_syntax_parameter(form, scope, ctx, tail):
    """(define-syntax-parameter NAME TRANSFORMER): a macro syntax-parameterize can rebind."""
    name, spec = args_of(form, "define-syntax-parameter", 2, 2)
    if scope is not None:
        raise syntax_error("define-syntax-parameter is only allowed at the top level",
                           loc=form.loc)
    if not is_ident(name):
        raise syntax_error("define-syntax-parameter needs a name", loc=form.loc)
    text = name_of(name)
    ctx.module.define(base_symbol(name),
                      SyntaxParameter(text, _transformer(text, spec, None, ctx, form.loc)))
    return constant(UNSPECIFIED)


@special("syntax-parameterize")
def _syntax_parameterize(form, scope, ctx, tail):
    """(syntax-parameterize ((NAME TRANSFORMER) ...) BODY ...): BODY with each syntax
    parameter NAME meaning TRANSFORMER."""
    ops = args_of(form, "syntax-parameterize", 2)
    changes = []
    for binding in to_list(ops[0]) if ops[0] is not NIL else []:
        parts = to_list(binding) if type(binding) is Pair else []
        if len(parts) != 2 or not is_ident(parts[0]):
            raise syntax_error("bad syntax-parameterize binding: write (NAME TRANSFORMER)",
                               loc=form.loc)
        param = syntax_value(resolve(parts[0], scope, ctx.module))
        if not isinstance(param, SyntaxParameter):
            raise syntax_error(f"syntax-parameterize: {name_of(parts[0])} is not a syntax "
                               "parameter", loc=form.loc,
                               hints=["define it with define-syntax-parameter"])
        changes.append((param, _transformer(param.name, parts[1], scope, ctx, form.loc)))
    saved = [(param, param.current) for param, _ in changes]
    try:
        for param, macro in changes:
            param.current = macro
        body = Pair(CORE["let"], Pair(NIL, form.cdr.cdr), form.loc)
        return compile_form(body, scope, ctx, tail, form.loc)
    finally:
        for param, macro in saved:
            param.current = macro


@primitive("guile", "syntax-violation")
def syntax_violation(who, message, form=False, subform=False):
    """(syntax-violation WHO MESSAGE FORM [SUBFORM]): raise a syntax error."""
    text = str(message)
    shown = write_string(strip(form)) if form is not False else ""
    raise SchemeError(Condition(
        "syntax-error", f"{text}{': ' + shown if shown else ''}", (), None, None,
        (who, text, False, strip(form), from_list([strip(subform)]) if subform is not False
         else NIL)))



