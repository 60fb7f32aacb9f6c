"""Procedures that know where they were called.

Some procedures of the service library want their call's source location: `service`
(so a conflict between two services can name both places), `local-file` (a relative
file name is relative to the config file that says it).  A *located procedure* is a
special form in operator position, passing the location and file of the call to a
Python function, and an ordinary procedure when used as a value (then without location).
"""

from __future__ import annotations

import inspect
from typing import Any, Callable

from .compiler import SpecialForm, compile_form, elem_loc
from .datatypes import Location, Pair
from .errors import SchemeError
from .procedures import arity_error, make_primitive
from .records import misplaced_field_hints


class CallSite:
    """Where a located procedure was called: source location and the file's path."""

    __slots__ = ("loc", "file")

    def __init__(self, loc: Location | None, file: str | None):
        self.loc = loc
        self.file = file


NOWHERE = CallSite(None, None)


def located_procedure(name: str, fn: Callable[..., Any], doc: str | None = None) -> SpecialForm:
    """`fn(site, *args)` implements the procedure; its signature after `site` gives the
    arity, checked at compile time when the call is written out."""
    def value_fn(*args):
        return fn(NOWHERE, *args)
    # The arity of fn without its first parameter:
    sig = inspect.signature(fn)
    params = list(sig.parameters.values())[1:]
    value_fn.__signature__ = sig.replace(parameters=params)
    prim = make_primitive(name, value_fn, doc if doc is not None else fn.__doc__)

    def compile_call(form: Pair, scope, ctx, tail):
        argnodes = []
        p = form.cdr
        while type(p) is Pair:
            argnodes.append(compile_form(p.car, scope, ctx, False, elem_loc(p, form.loc)))
            p = p.cdr
        n = len(argnodes)
        if n < prim.min_args or (prim.max_args is not None and n > prim.max_args):
            err = arity_error(prim, n)
            err.loc = form.loc
            if prim.max_args is not None and n > prim.max_args:
                err.payload.hints[:0] = misplaced_field_hints(form, ctx.module)
            raise err
        site = CallSite(form.loc, ctx.file)
        loc = form.loc

        def node(env):
            args = [a(env) for a in argnodes]
            try:
                return fn(site, *args)
            except SchemeError as e:
                if e.loc is None:
                    e.loc = loc
                raise
        return node

    return SpecialForm(name, compile_call, prim.doc, as_value=prim)
