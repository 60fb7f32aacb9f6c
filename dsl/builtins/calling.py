"""Calling Scheme procedures from the builtins, fast.

`map`, `filter`, `fold`, `sort`... call one procedure many times with the same number
of arguments.  `caller(proc, n)` looks at the procedure once and returns a Python
function of n arguments that takes the shortest correct path: a primitive's function
directly (when its arity allows n), a simple closure's body on a fresh frame, anything
else through `procedures.call`.  Tail calls and errors behave exactly as with `call`.
"""

from __future__ import annotations

from typing import Any, Callable

from ..procedures import Closure, Primitive, TailCall, call


def caller(proc: Any, n: int) -> Callable[..., Any]:
    t = type(proc)
    if t is Primitive and proc.mask >> n & 1:
        return proc.fn              # its arity allows n and it never returns a tail call
    if t is Closure and proc.simple and proc.nreq == n and not proc.nlocals:
        body, parent = proc.body, proc.env
        if n == 1:
            def call1(x):
                r = body([parent, x])
                return call(r.proc, r.args) if type(r) is TailCall else r
            return call1
        if n == 2:
            def call2(x, y):
                r = body([parent, x, y])
                return call(r.proc, r.args) if type(r) is TailCall else r
            return call2
    return lambda *args: call(proc, list(args))
