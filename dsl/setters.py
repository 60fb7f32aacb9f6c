"""Procedures with setters (Guile core, SRFI-17): `(set! (PROC ARG ...) VALUE)` calls
`((setter PROC) ARG ... VALUE)`.  `make-procedure-with-setter` pairs two procedures;
(srfi srfi-17), in dsl/scm, gives car, cdr, vector-ref and string-ref their setters."""

from __future__ import annotations

from typing import Any

from .compiler import compile_form, is_ident, name_of, resolve, syntax_value
from .datatypes import UNSPECIFIED
from .errors import error, wrong_type
from .modules import UNBOUND, primitive
from .procedures import applicable, call, is_procedure
from .special_forms import SpecialForm
from .syntax_violation import syntax_violation


class ProcedureWithSetter:
    __slots__ = ("procedure", "setter", "name")

    def __init__(self, procedure: Any, setter: Any):
        self.procedure = procedure
        self.setter = setter
        self.name = getattr(procedure, "name", None)

    def scheme_repr(self, write: bool) -> str:
        return f"#<procedure-with-setter {self.name or ''}>".replace(" >", ">")


applicable[ProcedureWithSetter] = lambda p, args: call(p.procedure, args)


@primitive("guile", "make-procedure-with-setter")
def make_procedure_with_setter(procedure, setter):
    if not is_procedure(procedure):
        raise wrong_type("make-procedure-with-setter", 1, "procedure", procedure)
    if not is_procedure(setter):
        raise wrong_type("make-procedure-with-setter", 2, "procedure", setter)
    return ProcedureWithSetter(procedure, setter)


@primitive("guile", "procedure-with-setter?")
def procedure_with_setter_p(x):
    return type(x) is ProcedureWithSetter


@primitive("guile", "setter")
def setter(proc):
    """The procedure that sets what PROC reads: (set! (PROC ARG ...) V) calls it."""
    if type(proc) is ProcedureWithSetter:
        return proc.setter
    raise wrong_type("setter", 1, "procedure with setter", proc)


def compile_syntax_place(target: Any, value: Any, scope: Any, ctx: Any) -> Any:
    """(set! (HEAD ...) VALUE) when HEAD is syntax, not a procedure: (@ M NAME) and
    (@@ M NAME) name a module's variable, which is set; any other keyword has no setter
    (Guile: "HEAD: bad syntax").  None when HEAD is not syntax."""
    if not is_ident(target.car):
        return None
    syn = syntax_value(resolve(target.car, scope, ctx.module))
    if syn is None:
        return None
    name = name_of(target.car)
    if type(syn) is not SpecialForm or name not in ("@", "@@"):
        raise syntax_violation(name, "bad syntax", target.car, loc=target.loc, hints=[
            f"{name} is syntax, so (set! ({name} ...) VALUE) has no setter to call"])
    box = compile_form(target, scope, ctx, False, target.loc).box
    value_node = compile_form(value, scope, ctx, False, target.loc)
    loc = target.loc

    def set_module_variable(env):
        v = value_node(env)
        if box.value is UNBOUND:
            raise error(f"unbound variable: {name_of(target.cdr.cdr.car)}",
                        key="unbound-variable", loc=loc)
        box.value = v
        return UNSPECIFIED
    return set_module_variable
