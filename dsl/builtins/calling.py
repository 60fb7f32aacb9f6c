"""Calling Scheme procedures from the builtins, fast.

`map`, `filter`, `fold`, `sort`... call one procedure many times with the same number
of arguments.  `caller(proc, n)` looks at the procedure once and returns a Python
function of n arguments that takes the shortest correct path: a primitive's function
directly (when its arity allows n), a simple closure's body on a fresh frame, anything
else through `procedures.call`.  Tail calls and errors behave exactly as with `call`.
"""

from __future__ import annotations

from typing import Any, Callable

from ..datatypes import Values
from ..procedures import Closure, Primitive, TailCall, call, single


def call1(proc: Any, args: list) -> Any:
    """`call`, for a result kept or tested as one value: several values are cut to the
    first and none is an error, as where Guile's procedures written in Scheme (map, fold,
    find, assoc...) use it.  Guile's C ones (filter, sort, hash-map->list...) keep or test
    the multiple-values object itself, as plain `call` does."""
    r = call(proc, args)
    return single(r) if type(r) is Values else r


def caller(proc: Any, n: int, first: bool = False) -> Callable[..., Any]:
    """`first`: cut the result to one value, as `call1` does."""
    t = type(proc)
    if t is Primitive and proc.mask >> n & 1:
        if not first:
            return proc.fn          # its arity allows n and it never returns a tail call
        fn = proc.fn

        def prim1(*args):
            r = fn(*args)
            return single(r) if type(r) is Values else r
        return prim1
    if t is Closure and proc.simple and proc.nreq == n and not proc.nlocals:
        body, parent = proc.body, proc.env
        if n == 1:
            def call1_(x):
                r = body([parent, x])
                if type(r) is TailCall:
                    r = call(r.proc, r.args)
                return single(r) if first and type(r) is Values else r
            return call1_
        if n == 2:
            def call2(x, y):
                r = body([parent, x, y])
                if type(r) is TailCall:
                    r = call(r.proc, r.args)
                return single(r) if first and type(r) is Values else r
            return call2
    if first:
        return lambda *args: call1(proc, list(args))
    return lambda *args: call(proc, list(args))
