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

from .datatypes import NIL, Pair, Procedure, Values
from .errors import Condition, SchemeError, brief, count_range
from .printer import write_string


class Primitive(Procedure):
    """A procedure written in Python.  `fn(*args)` computes the result.

    `min_args`/`max_args` (None: any number) are checked by the caller so that a wrong
    call is reported as a Scheme arity error, not a Python TypeError.
    """

    __slots__ = ("name", "fn", "min_args", "max_args", "params", "doc", "mask")

    def __init__(self, name: str, fn: Callable, min_args: int, max_args: int | None,
                 params: str = "", doc: str = "", tail: bool = False):
        self.name = name
        self.fn = fn
        self.min_args = min_args
        self.max_args = max_args
        self.params = params    # for messages and ,describe: "lst proc"
        self.doc = doc
        # Bit n set: a call with n arguments (n < 8) may go straight to `fn`.  Primitives
        # that can hand back a TailCall (apply, call-with-values...) set `tail` and keep
        # a zero mask, so they always go through `call`, which runs the tail call.
        hi = 7 if max_args is None else min(max_args, 7)
        self.mask = 0 if tail else sum(1 << n for n in range(min_args, hi + 1))

    def __call__(self, *args: Any) -> Any:   # convenience for Python callers
        return call(self, list(args))

    def __repr__(self) -> str:
        return f"<primitive {self.name}>"


class LambdaInfo:
    """What every closure made by one lambda expression shares: its name, parameter
    list, where it was written, and how to bind unusual argument lists."""

    __slots__ = ("name", "nreq", "nopt", "rest", "keys", "allow_other_keys", "params",
                 "loc", "doc", "binder", "ignores_first")

    def __init__(self, name=None, nreq=0, nopt=0, rest=False, keys=(),
                 allow_other_keys=False, params="", loc=None, doc="", binder=None):
        self.name = name
        self.nreq = nreq
        self.nopt = nopt
        self.rest = rest
        self.keys = keys
        self.allow_other_keys = allow_other_keys
        self.params = params      # for messages and ,describe: "a b #:optional c . rest"
        self.loc = loc
        self.doc = doc
        self.binder = binder      # (closure, args) -> frame, for non-simple lambdas
        self.ignores_first = False  # its body never refers to its first parameter


class Closure(Procedure):
    """A compiled lambda closed over its defining frame.

    Frames are Python lists: `[parent, arg0, arg1, ..., local0, ...]`.  `simple` closures
    (fixed arity) take the fast path in `call`; others go through `info.binder`.
    """

    __slots__ = ("body", "env", "nreq", "nlocals", "simple", "info")

    def __init__(self, body, env, info: LambdaInfo, nlocals: int, simple: bool):
        self.body = body
        self.env = env
        self.info = info
        self.nreq = info.nreq
        self.nlocals = nlocals
        self.simple = simple

    name = property(lambda self: self.info.name)
    params = property(lambda self: self.info.params)
    loc = property(lambda self: self.info.loc)
    doc = property(lambda self: self.info.doc)
    nopt = property(lambda self: self.info.nopt)
    rest = property(lambda self: self.info.rest)
    keys = property(lambda self: self.info.keys)

    def __call__(self, *args: Any) -> Any:
        return call(self, list(args))

    def __repr__(self) -> str:
        return f"<closure {self.name or 'anonymous'}>"


class TailCall:
    """A call left for the trampoline.  `loc` is where it was written, so that an error
    in making it (wrong number of arguments, not a procedure) can say so: by the time the
    trampoline runs it, the call site's own frame has returned."""

    __slots__ = ("proc", "args", "loc")

    def __init__(self, proc: Any, args: list, loc: Any = None):
        self.proc = proc
        self.args = args
        self.loc = loc


def annotate(e: SchemeError, loc: Any, name: Any) -> None:
    """An error passing a call site: the innermost one gives its location, and each one
    is a frame of the Scheme backtrace."""
    if e.loc is None:
        e.loc = loc
    if len(e.frames) < 200:
        e.frames.append((loc, name))


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
    expected = count_range(lo, hi)
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
    text = brief(write_string(value), 120)      # a whole record: its start says which
    hints = ["an extra pair of parentheses around a value calls it; "
             "check the parentheses here"]
    return SchemeError(Condition("wrong-type-arg", f"wrong type to apply: {text}", (value,),
                                 None, hints,
                                 throw_args=(False, "Wrong type to apply: ~S",
                                             Pair(value, NIL), Pair(value, NIL))))


# `applicable` lets other kinds of object (parameters, continuations, record types used
# as procedures) be called: a dict from Python type to a function (obj, args) -> value.
applicable: dict[type, Callable[[Any, list], Any]] = {}


def call(proc: Any, args: list, loc: Any = None) -> Any:
    """Apply `proc` to `args` (a Python list) and return its value, running tail calls.

    `loc` is where the call was written when the caller does not locate errors itself
    (a tail call's site); each tail call the trampoline runs brings its own."""
    while True:
        t = type(proc)
        try:
            if t is Closure:
                if proc.simple:
                    if len(args) != proc.nreq:
                        raise arity_error(proc, len(args))
                    env = [proc.env, *args]
                    if proc.nlocals:
                        env.extend([UNASSIGNED] * proc.nlocals)
                else:
                    env = proc.info.binder(proc, args)
                result = proc.body(env)
                if type(result) is TailCall:
                    proc = result.proc
                    args = result.args
                    loc = result.loc
                    continue
                return result
            if t is Primitive:
                n = len(args)
                if n < proc.min_args or (proc.max_args is not None and n > proc.max_args):
                    raise arity_error(proc, n)
                result = proc.fn(*args)
            else:
                handler = applicable.get(t)
                if handler is None:
                    raise not_a_procedure(proc)
                result = handler(proc, args)
        except SchemeError as e:
            if loc is not None:
                annotate(e, loc, getattr(proc, "name", None))
            raise
        if type(result) is TailCall:     # primitives like `apply` hand back a tail call
            proc = result.proc
            args = result.args
            if result.loc is not None:   # else it is part of the call at `loc`
                loc = result.loc
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


def single(value: Any, loc: Any = None) -> Any:
    """The one value of an expression whose value is used (an argument): the first of
    several values, as in Guile; no value at all is an error there, as in Guile."""
    if type(value) is not Values:
        return value
    if value.items:
        return value.items[0]
    raise SchemeError(Condition(
        "misc-error", "zero values returned to single-valued continuation", (), None,
        ["(values) gives no value at all, and this expression's value is used: "
         "return a value, or call it where its value is not used"],
        throw_args=(False, "Zero values returned to single-valued continuation", NIL,
                    False), loc=loc))


# --- defining primitives in Python ---------------------------------------------------

def make_primitive(name: str, fn: Callable, doc: str | None = None,
                   tail: bool = False) -> Primitive:
    """Wrap a Python function; its signature gives the arity and the parameter names.

    Read from the code object rather than `inspect.signature`: start-up registers
    hundreds of primitives and the latter is two orders of magnitude slower."""
    sig = getattr(fn, "__signature__", None)
    if sig is not None:          # set by wrappers that hide a leading parameter
        names, lo, hi = _from_signature(sig)
    else:
        code = fn.__code__
        nargs = code.co_argcount
        ndefaults = len(fn.__defaults__ or ())
        argnames = code.co_varnames[:nargs]
        lo = nargs - ndefaults
        hi = None if code.co_flags & inspect.CO_VARARGS else nargs
        names = list(argnames[:lo]) + [f"[{n}]" for n in argnames[lo:]]
        if hi is None:
            names.append(f". {code.co_varnames[nargs]}")
    params = " ".join(n.replace("_", "-") for n in names)
    return Primitive(name, fn, lo, hi, params, doc if doc is not None else (fn.__doc__ or ""),
                     tail)


def _from_signature(sig) -> tuple[list, int, int | None]:
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
    return names, lo, hi
