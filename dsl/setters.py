"""Procedures with setters (Guile core, SRFI-17): `(set! (PROC ARG ...) VALUE)` calls
`((setter PROC) ARG ... VALUE)`.  Guile's own accessors (car, vector-ref, hash-ref...)
come with their setters; `make-procedure-with-setter` pairs any two procedures."""

from __future__ import annotations

from typing import Any

from .datatypes import Symbol
from .errors import wrong_type
from .modules import Module, existing_module, primitive, register_builtin
from .procedures import applicable, call, is_procedure


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


# (srfi srfi-17) gives Guile's accessors their setters: (getter, setter) in (guile)
_SRFI17 = [("car", "set-car!"), ("cdr", "set-cdr!"), ("vector-ref", "vector-set!"),
           ("string-ref", "string-set!")]


def _fill_srfi17(module: Module) -> None:
    core = existing_module(("guile",))
    for getter, set_name in _SRFI17:
        g, s = core.lookup(Symbol(getter)), core.lookup(Symbol(set_name))
        if g is not None and s is not None:
            module.define(Symbol(getter), ProcedureWithSetter(g.value, s.value), export=True)
    for name in ("setter", "make-procedure-with-setter", "procedure-with-setter?"):
        module.define(Symbol(name), core.lookup(Symbol(name)).value, export=True)
    module.define(Symbol("getter-with-setter"), core.lookup(
        Symbol("make-procedure-with-setter")).value, export=True)


register_builtin("srfi srfi-17", _fill_srfi17)
