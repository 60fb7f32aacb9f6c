"""Procedures and how they are called.

Two kinds of procedure: `Primitive` (a Python function) and `Closure` (a compiled
lambda).  Calls in tail position return a `TailCall` instead of calling; `call` is the
trampoline that runs them in constant Python stack, which is what gives Scheme its proper
tail calls.  Python code that needs to call a Scheme procedure (map, sort, apply...) uses
`call(proc, args)`.
"""

from __future__ import annotations

import inspect
from typing import Any, Callable

from .datatypes import NIL, Pair, Values
from .errors import Condition, SchemeError


class Procedure:
    __slots__ = ()
    name: str | None


class Primitive(Procedure):
    """A procedure written in Python.  `fn(*args)` computes the result.

    `min_args`/`max_args` (None: any number) are checked by the caller so that a wrong
    call is reported as a Scheme arity error, not a Python TypeError.
    """

    __slots__ = ("name", "fn", "min_args", "max_args", "params", "doc")

    def __init__(self, name: str, fn: Callable, min_args: int, max_args: int | None,
                 params: str = "", doc: str = ""):
        self.name = name
        self.fn = fn
        self.min_args = min_args
        self.max_args = max_args
        self.params = params    # for messages and ,describe: "(lst proc)"
        self.doc = doc

    def __call__(self, *args: Any) -> Any:   # convenience for Python callers
        return call(self, list(args))

    def __repr__(self) -> str:
        return f"<primitive {self.name}>"


class Closure(Procedure):
    """A compiled lambda.  The evaluator fills `body` (a compiled node taking a frame).

    Frames are Python lists: `[parent, arg0, arg1, ..., local0, ...]`.
    `bind(args)` builds the frame; `simple` closures (fixed arity, no internal defines)
    take the fast path in `call`.
    """

    __slots__ = ("name", "nreq", "nopt", "rest", "keys", "allow_other_keys", "body", "env",
                 "nlocals", "simple", "params", "loc", "doc", "defaults", "binder")

    def __init__(self):
        self.name = None
        self.nreq = 0
        self.nopt = 0
        self.rest = False
        self.keys = ()
        self.allow_other_keys = False
        self.body = None
        self.env = None
        self.nlocals = 0
        self.simple = True
        self.params = ""
        self.loc = None
        self.doc = ""
        self.defaults = ()
        self.binder = None     # set by the evaluator for non-simple lambdas

    def bind(self, args: list) -> list:
        return self.binder(self, args)

    def __call__(self, *args: Any) -> Any:
        return call(self, list(args))

    def __repr__(self) -> str:
        return f"<closure {self.name or 'anonymous'}>"


class TailCall:
    __slots__ = ("proc", "args")

    def __init__(self, proc: Any, args: list):
        self.proc = proc
        self.args = args


def arity_text(proc: Any) -> str:
    """How a procedure is called, for error messages: `(name a b #:optional c . rest)`."""
    name = getattr(proc, "name", None) or "anonymous procedure"
    params = getattr(proc, "params", "")
    return f"({name}{' ' + params if params else ''})"


def arity_error(proc: Any, nargs: int) -> SchemeError:
    name = getattr(proc, "name", None) or "anonymous procedure"
    if isinstance(proc, Primitive):
        lo, hi = proc.min_args, proc.max_args
    else:
        lo = proc.nreq
        hi = None if (proc.rest or proc.keys) else proc.nreq + proc.nopt
    if hi is None:
        expected = f"at least {lo}"
    elif lo == hi:
        expected = str(lo)
    else:
        expected = f"{lo} to {hi}"
    plural = "" if expected == "1" else "s"
    msg = (f"wrong number of arguments to {name}: expected {expected} argument{plural}, "
           f"got {nargs}")
    hints = [f"{name} is called as {arity_text(proc)}"]
    loc = getattr(proc, "loc", None)
    if loc is not None:
        hints.append(f"{name} is defined at {loc}")
    return SchemeError(Condition("wrong-number-of-args", msg, (), name, hints,
                                 throw_args=(name, "Wrong number of arguments to ~A",
                                             Pair(name, NIL), False)))


def not_a_procedure(value: Any) -> SchemeError:
    from .printer import write_string
    text = write_string(value)
    hints = []
    if isinstance(value, (int, float, str)) or value is NIL or isinstance(value, bool):
        hints.append("an extra pair of parentheses around a value calls it; "
                     "check the parentheses here")
    return SchemeError(Condition("wrong-type-arg", f"wrong type to apply: {text}", (value,),
                                 None, hints,
                                 throw_args=(False, "Wrong type to apply: ~S",
                                             Pair(value, NIL), Pair(value, NIL))))


# `applicable` lets other kinds of object (parameters, continuations, record types used
# as procedures) be called: a dict from Python type to a function (obj, args) -> value.
applicable: dict[type, Callable[[Any, list], Any]] = {}


def call(proc: Any, args: list) -> Any:
    """Apply `proc` to `args` (a Python list) and return its value, running tail calls."""
    while True:
        t = type(proc)
        if t is Closure:
            if proc.simple:
                if len(args) != proc.nreq:
                    raise arity_error(proc, len(args))
                env = [proc.env, *args]
                if proc.nlocals:
                    env.extend([UNASSIGNED] * proc.nlocals)
            else:
                env = proc.binder(proc, args)
            result = proc.body(env)
            if type(result) is TailCall:
                proc = result.proc
                args = result.args
                continue
            return result
        if t is Primitive:
            n = len(args)
            if n < proc.min_args or (proc.max_args is not None and n > proc.max_args):
                raise arity_error(proc, n)
            result = proc.fn(*args)
            if type(result) is TailCall:     # primitives like `apply` hand back a tail call
                proc = result.proc
                args = result.args
                continue
            return result
        handler = applicable.get(t)
        if handler is None:
            raise not_a_procedure(proc)
        result = handler(proc, args)
        if type(result) is TailCall:
            proc = result.proc
            args = result.args
            continue
        return result


class _Unassigned:
    """The value of a letrec/internal-define variable before its initialiser ran."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "UNASSIGNED"


UNASSIGNED = _Unassigned()


def is_procedure(x: Any) -> bool:
    t = type(x)
    return t is Closure or t is Primitive or t in applicable


def single(value: Any) -> Any:
    """The one value of an expression; `(values)` or several values where one is needed
    is an error (Guile is lenient and takes the first; so are we)."""
    if type(value) is Values:
        return value.items[0] if value.items else False
    return value


# --- defining primitives in Python ---------------------------------------------------

def make_primitive(name: str, fn: Callable, doc: str | None = None) -> Primitive:
    """Wrap a Python function; its signature gives the arity and the parameter names."""
    sig = inspect.signature(fn)
    lo = 0
    hi: int | None = 0
    names = []
    for p in sig.parameters.values():
        if p.kind is p.VAR_POSITIONAL:
            hi = None
            names.append(f". {p.name}")
        elif p.default is p.empty:
            lo += 1
            if hi is not None:
                hi += 1
            names.append(p.name)
        else:
            if hi is not None:
                hi += 1
            names.append(f"[{p.name}]")
    params = " ".join(n.replace("_", "-") for n in names)
    return Primitive(name, fn, lo, hi, params, doc if doc is not None else (fn.__doc__ or ""))
