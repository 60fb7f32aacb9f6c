"""Procedures with setters (Guile core, SRFI-17): `(set! (PROC ARG ...) VALUE)` calls
`((setter PROC) ARG ... VALUE)`.  `make-procedure-with-setter` pairs two procedures;
(srfi srfi-17), in dsl/scm, gives car, cdr, vector-ref and string-ref their setters."""

from __future__ import annotations

from typing import Any

from .errors import wrong_type
from .modules import primitive
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
