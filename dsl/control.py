"""Control: multiple values, continuations, dynamic-wind, exceptions, parameters, prompts
and promises, as Guile 3.0 has them.

`call/cc` continuations are escape-only: invoking one unwinds the Python stack (an
exception) to the `call/cc` that made it.  A prompt's body runs as a fiber on a thread
of its own, so an abort suspends it and its continuation resumes it, once, even after
the prompt returned.  Re-entering a continuation a second time, or one whose extent has
ended, is reported clearly instead of misbehaving.

Exceptions follow Guile 3.0's handler stack: a raise offers the object to the handlers
in force, innermost first, where it is raised; an unwinding one (`catch`, `guard`) then
takes it by unwinding.  Errors signalled by primitives are Python `SchemeError`s from
the start; the first handler frame they unwind to offers them to the handlers.
"""

from __future__ import annotations

import queue
import sys
import threading
import weakref
from typing import Any

from .conditions import NON_CONTINUABLE, components
from .datatypes import NIL, UNSPECIFIED, Keyword, Symbol, Values, from_list, is_string, pystr
from .errors import Condition, SchemeError, error, handler_stack, wrong_type
from .modules import define_value, primitive
from .printer import display_string, write_string
from .procedures import (
    Closure,
    Primitive,
    TailCall,
    applicable,
    call,
    is_procedure,
    make_primitive,
)

# --- multiple values -------------------------------------------------------------------

@primitive("guile")
def values(*items):
    return items[0] if len(items) == 1 else Values(items)


def value_list(v: Any) -> tuple:
    return v.items if type(v) is Values else (v,)


@primitive("guile", "call-with-values", tail=True)
def call_with_values(producer, consumer):
    return TailCall(consumer, list(value_list(call(producer, []))))


# --- escaping continuations --------------------------------------------------------------

class ContinuationInvoked(Exception):
    def __init__(self, k: "Continuation", value: Any):
        super().__init__()
        self.k = k
        self.value = value


class Continuation:
    __slots__ = ("active", "barrier")

    def __init__(self):
        self.active = True
        self.barrier = innermost_barrier()   # it cannot be invoked from inside another

    def scheme_repr(self, write: bool) -> str:
        return f"#<continuation {id(self) & 0xffffff:x}>"


def _invoke_continuation(k: Continuation, args: list) -> Any:
    if not k.active:
        raise error("this continuation can no longer be resumed: vsys supports escaping "
                    "continuations only (call/cc used to leave an extent, not to re-enter it)",
                    key="continuation-error")
    if k.barrier is not innermost_barrier():
        raise error("invoking this continuation would cross a continuation barrier",
                    key="misc-error", origin="with-continuation-barrier")
    raise ContinuationInvoked(k, args[0] if len(args) == 1 else Values(tuple(args)))


applicable[Continuation] = _invoke_continuation


def _call_cc(proc):
    k = Continuation()
    try:
        r = call(proc, [k])
    except ContinuationInvoked as ci:
        if ci.k is not k:
            raise
        r = ci.value
    finally:
        k.active = False
    return r


for _name in ("call/cc", "call-with-current-continuation", "call-with-escape-continuation",
              "call/ec"):
    primitive("guile", _name)(_call_cc)


# --- the dynamic context of each stack ---------------------------------------------------

class Fiber:
    """One stack of the program: the main one, or the body of a prompt, which runs on a
    thread of its own so that an abort can suspend it and its continuation resume it.
    `dyn` lists its dynamic-wind and rebinding (parameterize, with-fluids) frames in
    force, outermost first; `handlers` its exception handlers (see below).  The
    handlers and bindings in force are those of the fiber and of its `parent`s: the
    fiber that last started or resumed it, and is waiting for it."""

    __slots__ = ("handlers", "dyn", "parent", "tag", "barriers", "escapes", "inbox", "said",
                 "saying", "state", "ident", "__weakref__")

    def __init__(self, handlers: list, dyn: list, tag: Any = None):
        self.handlers = handlers
        self.dyn = dyn
        self.parent: Fiber | None = None
        self.tag = tag              # its prompt's tag while that prompt is in force
        self.barriers: list = []    # continuation barriers in force in it
        self.escapes: list = []     # its escape-only prompts: (tag, mark, barriers then)
        self.inbox: Any = None
        self.said: Any = None        # a lock released when `saying` holds what it tells
        self.saying: Any = None
        self.state = "running"
        self.ident = threading.get_ident()   # the thread it runs on


_winders: list = []
ROOT = Fiber(handler_stack, _winders)


class _Here(threading.local):
    fiber = ROOT


_here = _Here()


def here() -> Fiber:
    return _here.fiber


@primitive("guile", "dynamic-wind")
def dynamic_wind(before, thunk, after):
    call(before, [])
    frame = ["wind", before, after]
    dyn = _here.fiber.dyn
    dyn.append(frame)
    try:
        return call(thunk, [])
    finally:
        dyn.pop()
        if frame[2] is not None:        # None: abandoned with its suspended fiber
            call(frame[2], [])


def stack_overflow_error(exc: BaseException | None = None) -> SchemeError:
    """The Scheme error for a RecursionError (by default the one being handled): located
    at the innermost call site it passed, saying how deep the recursion went."""
    if exc is None:
        exc = sys.exc_info()[1]
    depth = getattr(exc, "depth", 0)
    hints = []
    if depth:
        hints.append(f"the program was {depth:,} calls deep here when it ran out of stack")
    if getattr(exc, "expanding", False):
        hints.append("this macro use expands into another use without end: some rule of "
                     "the macro must expand into something that is not a use of it")
    else:
        hints.append("a recursive procedure probably lacks a base case, or a loop could "
                     "be written with a tail call (a named let) that carries its result "
                     "in an accumulator argument instead of building it on the way back")
    return error("stack overflow: the program recursed too deeply", key="stack-overflow",
                 hints=hints, loc=getattr(exc, "loc", None))


# --- exceptions ------------------------------------------------------------------------------

# The handler stack, innermost last, as Guile 3.0 keeps it.  An entry is one of:
# - a Scheme procedure (with-exception-handler): called where the object is raised,
#   with the handlers outside it in force;
# - a `Catcher` (catch, guard, with-exception-handler #:unwind? #t): the stack unwinds to
#   its frame, which then runs its handler;
# - a `ThrowHandler` (with-throw-handler, catch's pre-unwind handler): called where the
#   object is raised, with every handler in force but itself, then the search goes on.
# A raise walks the stack from the innermost entry.  An error signalled by a primitive is
# a Python exception from the start: the first handler frame it unwinds to walks the
# stack for it from there (`target` says where a walked error is going).


class Catcher:
    """An unwinding handler's entry: it takes the exceptions KEY selects (#t: all, a
    symbol: that throw key, an exception type: exceptions of that type)."""

    __slots__ = ("key",)

    def __init__(self, key: Any):
        self.key = key


class ThrowHandler:
    __slots__ = ("key", "proc", "running")

    def __init__(self, key: Any, proc: Any):
        self.key = key
        self.proc = proc
        self.running = False


UNCAUGHT = Catcher(False)       # the target of an error no handler takes


def condition_key(payload: Any) -> Symbol:
    if isinstance(payload, Condition):
        return payload.key
    return Symbol("%exception")


def exception_throw_args(payload: Any) -> tuple:
    """The arguments after the key that catch and throw handlers receive."""
    return payload.catch_args() if isinstance(payload, Condition) else (payload,)


def _takes(key: Any, obj: Any) -> bool:
    if key is True:
        return True
    if type(key) is Symbol:
        return condition_key(obj) is key
    is_a = getattr(key, "is_a", None)      # an exception type (dsl.conditions.ExnType)
    if is_a is not None and isinstance(obj, Condition):
        return any(t.is_a(key) for t, _ in components(obj))
    return False


_RETURNED = object()


def _walk(obj: Any, continuable: bool) -> Any:
    """Offer OBJ to the handlers in force, innermost first.  Returns a continuable
    handler's value as (_RETURNED, value); otherwise gives the SchemeError to raise, its
    target set."""
    f: Fiber | None = _here.fiber
    while f is not None:
        lst = f.handlers
        i = len(lst) - 1
        while i >= 0:
            h = lst[i]
            t = type(h)
            if t is Catcher:
                if _takes(h.key, obj):
                    return _aimed(SchemeError(obj, continuable), h)
            elif t is ThrowHandler:
                if not h.running and _takes(h.key, obj):
                    h.running = True
                    try:
                        _call_handler(h.proc, [condition_key(obj),
                                               *exception_throw_args(obj)], None, 0)
                    finally:
                        h.running = False
            else:
                result = _call_handler(h, [obj], f, i)
                if continuable:
                    return (_RETURNED, result)
                obj = returned_from_handler(obj).payload
            i -= 1
        f = f.parent
    return _aimed(SchemeError(obj, continuable), UNCAUGHT)


def _aimed(err: SchemeError, target: Catcher) -> SchemeError:
    err.target = target
    return err


def _call_handler(proc: Any, args: list, owner: Fiber | None, depth: int) -> Any:
    """Call a handler with the handlers outside entry DEPTH of fiber OWNER in force (all
    of them when OWNER is None); an error it signals is offered to those."""
    hidden = []
    if owner is not None:
        f = _here.fiber
        while f is not owner:
            hidden.append((f.handlers, 0, f.handlers[:]))
            f.handlers.clear()
            f = f.parent
        hidden.append((owner.handlers, depth, owner.handlers[depth:]))
        del owner.handlers[depth:]
    try:
        return call(proc, args)
    except SchemeError as e:
        if e.target is None:
            raise walked(e) from None
        raise
    finally:
        for lst, base, segment in hidden:
            del lst[base:]
            lst.extend(segment)


def walked(e: SchemeError) -> SchemeError:
    """E, an error not yet offered to the handlers (signalled by a primitive), offered to
    those in force; the error to go on with (a handler that returned from it makes a new
    one)."""
    out = _walk(e.payload, False)
    if out.payload is e.payload:
        e.target = out.target
        return e
    return out


def do_raise(obj: Any, continuable: bool) -> Any:
    out = _walk(obj, continuable)
    if type(out) is tuple:
        return out[1]
    raise out


def returned_from_handler(obj: Any) -> SchemeError:
    """What Guile raises when a handler returns from a non-continuable raise: a
    &non-continuable exception (which `catch` sees as %exception)."""
    text = "exception handler returned from a non-continuable raise"
    c = Condition("%exception", text, (obj,), "raise",
                  ["use raise-continuable if the handler's value should be returned, or leave "
                   "the handler another way (with-exception-handler's #:unwind? #t, or a "
                   "continuation)"])
    c.parts = [(NON_CONTINUABLE, ())]
    c.display_text = text
    return SchemeError(c)


def offering(entry: Any, body) -> Any:
    """Run `body()` with ENTRY on the stack; an error leaving it has been offered to the
    handlers (its `target` says which one it unwinds to)."""
    handlers = _here.fiber.handlers
    depth = len(handlers)
    handlers.append(entry)
    try:
        try:
            return body()
        except RecursionError as exc:
            # deep below the overflow: the stack is free again for the handlers
            raise stack_overflow_error(exc) from None
    except SchemeError as e:
        if e.target is None:
            raise walked(e) from None
        raise
    finally:
        del handlers[depth:]


def catching(entry: Catcher, body, handle) -> Any:
    """Run `body()` with ENTRY on the stack; an exception aimed at it unwinds to here and
    `handle(error)`, run once ENTRY is off the stack, gives the value."""
    try:
        return offering(entry, body)
    except SchemeError as e:
        if e.target is not entry:
            raise
        return handle(e)


@primitive("guile", "raise")
def raise_(obj):
    return do_raise(obj, False)


@primitive("guile", "raise-continuable")
def raise_continuable(obj):
    return do_raise(obj, True)


@primitive("guile", "with-exception-handler")
def with_exception_handler(handler, thunk, *options):
    unwind = False
    key: Any = True
    for i in range(0, len(options) - 1, 2):
        if options[i] is Keyword("unwind?"):
            unwind = options[i + 1] is not False
        elif options[i] is Keyword("unwind-for-type"):
            key = options[i + 1]
    if not is_procedure(handler):
        raise wrong_type("with-exception-handler", 1, "procedure", handler)
    if unwind:
        return catching(Catcher(key), lambda: call(thunk, []),
                        lambda e: call(handler, [e.payload]))
    return offering(handler, lambda: call(thunk, []))


@primitive("guile", "with-throw-handler")
def with_throw_handler(key, thunk, handler):
    """(with-throw-handler KEY THUNK HANDLER): HANDLER is called where an exception KEY
    selects is raised, before any unwinding; when it returns, the search goes on."""
    if type(key) is not Symbol and key is not True:
        raise wrong_type("with-throw-handler", 1, "symbol or #t", key)
    return offering(ThrowHandler(key, handler), lambda: call(thunk, []))


# Guile's catch/throw --------------------------------------------------------------------

@primitive("guile")
def throw(key, *args):
    if type(key) is not Symbol:
        raise wrong_type("throw", 1, "symbol", key)
    text = f"throw to key {write_string(key)} with arguments {write_string(from_list(args))}"
    return do_raise(Condition(key.name, text, args, None, throw_args=tuple(args)), False)


@primitive("guile", "catch")
def catch(key, thunk, handler, pre_unwind=None):
    if type(key) is not Symbol and key is not True:
        raise wrong_type("catch", 1, "symbol or #t", key)
    if not is_procedure(handler):
        raise wrong_type("catch", 3, "procedure", handler)
    if pre_unwind is not None and pre_unwind is not False and not is_procedure(pre_unwind):
        raise wrong_type("catch", 4, "procedure", pre_unwind)
    body = (lambda: call(thunk, [])) if pre_unwind is None or pre_unwind is False else (
        lambda: offering(ThrowHandler(key, pre_unwind), lambda: call(thunk, [])))
    handlers = _here.fiber.handlers
    depth = len(handlers)
    try:
        return catching(Catcher(key), body, lambda e: call(
            handler, [condition_key(e.payload), *exception_throw_args(e.payload)]))
    except _PYTHON_FAULTS as exc:
        # A bug of vsys's own (a Python error escaping a primitive): a catch-all handler
        # still gets it, so one bad primitive does not end the program, but it is said.
        if key is not True:
            raise
        del handlers[depth:]
        text = f"internal error: {exc.__class__.__name__}: {exc}"
        sys.stderr.write(f"vsys: {text} (caught by catch; this is a bug in vsys)\n")
        return call(handler, [Symbol("vsys-internal-error"), False, text, NIL, False])


_PYTHON_FAULTS = (ArithmeticError, ValueError, IndexError, TypeError, KeyError,
                  AttributeError)


@primitive("guile", "error")
def error_(*args):
    """Signal an error: (error MESSAGE IRRITANT ...)."""
    if not args:
        raise error("error called without a message")
    msg, *irritants = args
    message = pystr(msg) if is_string(msg) else display_string(msg)
    # Guile's shape: (misc-error #f "~A ~S ..." (MESSAGE IRRITANT ...) #f)
    fmt = "~A" + " ~S" * len(irritants)
    cond = Condition("misc-error", message, tuple(irritants), None,
                     throw_args=(False, fmt, from_list(list(args)), False))
    return do_raise(cond, False)


# --- parameters ------------------------------------------------------------------------------

class Parameter:
    __slots__ = ("value", "converter", "name")

    def __init__(self, value: Any, converter: Any):
        self.converter = converter
        self.value = value if converter is None else call(converter, [value])
        self.name = None

    def scheme_repr(self, write: bool) -> str:
        return "#<parameter>"


def _apply_parameter(p: Parameter, args: list) -> Any:
    if not args:
        return p.value
    if len(args) > 1:
        raise error("a parameter takes no argument (read it) or one (set it)",
                    key="wrong-number-of-args")
    # Guile lets (p VALUE) set the current value, converted like parameterize's.
    p.value = args[0] if p.converter is None else call(p.converter, [args[0]])
    return UNSPECIFIED


applicable[Parameter] = _apply_parameter


@primitive("guile", "make-parameter")
def make_parameter(value, converter=None):
    return Parameter(value, converter)


def parameterize(params: list, values: list, body) -> Any:
    """Run `body()` with each parameter bound to its (converted) value."""
    converted = []
    for p, v in zip(params, values):
        if type(p) is not Parameter:
            raise wrong_type("parameterize", 1, "parameter", p)
        converted.append(v if p.converter is None else call(p.converter, [v]))
    return rebinding(params, converted, body)


def rebinding(cells: list, values: list, body) -> Any:
    """Run `body()` with the `value` of each of CELLS (parameters, fluids) set to its
    value, the old values put back however the body is left."""
    saved = [c.value for c in cells]
    for c, v in zip(cells, values):
        c.value = v
    dyn = _here.fiber.dyn
    dyn.append(["bind", cells, saved, None])
    try:
        return body()
    finally:
        dyn.pop()
        for c, v in zip(cells, saved):
            c.value = v


# --- promises --------------------------------------------------------------------------------

class Promise:
    __slots__ = ("thunk", "done", "value", "is_delay_force")

    def __init__(self, thunk: Any, done: bool = False, value: Any = None,
                 is_delay_force: bool = False):
        self.thunk = thunk
        self.done = done
        self.value = value
        self.is_delay_force = is_delay_force

    def scheme_repr(self, write: bool) -> str:
        return "#<promise>"


@primitive("guile")
def force(p):
    if type(p) is not Promise:
        raise wrong_type("force", 1, "promise", p)
    while not p.done:
        v = p.thunk()
        if p.done:
            break
        if p.is_delay_force and type(v) is Promise:
            # delay-force: iterate instead of recursing (R7RS's space guarantee)
            p.thunk, p.is_delay_force = v.thunk, v.is_delay_force
            if v.done:
                p.done, p.value = True, v.value
            continue
        p.done, p.value, p.thunk = True, v, None
    return p.value


@primitive("guile", "make-promise")
def make_promise(thunk):
    """Guile's core make-promise: a promise to call THUNK when forced."""
    return Promise(lambda: call(thunk, []))


@primitive("scheme lazy", "make-promise")
def make_ready_promise(v):
    """R7RS make-promise: a promise already holding V."""
    return v if type(v) is Promise else Promise(None, True, v)


@primitive("scheme lazy", "force")
def force_r7rs(p):
    return force(p) if type(p) is Promise else p


@primitive("guile", "promise?")
def promise_p(x):
    return type(x) is Promise


# --- misc ------------------------------------------------------------------------------------

@primitive("guile", "procedure-name")
def procedure_name(p):
    if not is_procedure(p):
        raise wrong_type("procedure-name", 1, "procedure", p)
    name = getattr(p, "name", None)
    return Symbol(name) if name else False


@primitive("guile", "procedure-documentation")
def procedure_documentation(p):
    doc = getattr(p, "doc", "") or ""
    return doc if doc else False


@primitive("ice-9 documentation", "object-documentation")
def object_documentation(obj):
    """A procedure's documentation; a built-in procedure without a docstring is
    documented by its signature (Guile documents every one of its own)."""
    if not is_procedure(obj):
        return False
    doc = procedure_documentation(obj)
    if doc is False and isinstance(obj, Primitive):
        return f"- Scheme Procedure: {obj.name} {obj.params}".rstrip()
    return doc


define_value("guile", "%vsys-unspecified", UNSPECIFIED)

# The module `eval` and `current-module` use: set by whoever is loading or evaluating.
current_module: list = [None]


# --- prompts ---------------------------------------------------------------------------------
# call-with-prompt / abort-to-prompt as Guile has them.  The body of a prompt runs as a
# fiber, on a thread of its own that waits while any other runs (one runs at a time).
# An abort suspends the fibers from the abort up to the prompt's (leaving their
# dynamic-winds and bindings, innermost first) and the prompt's handler runs with a
# continuation that resumes them once, wherever it is called (putting those back,
# outermost first).  Calling it a second time would need a copy of the suspended stack:
# vsys says so.  A continuation dropped unresumed ends its fiber without running its
# dynamic-wind after thunks again.

class PromptTag:
    __slots__ = ("name",)

    def __init__(self, name: Any):
        self.name = name

    def scheme_repr(self, write: bool) -> str:
        return "#<prompt-tag>"


_DEFAULT_TAG = PromptTag("default")

# A fiber's C stack: as deep as the main evaluation's (dsl.api), which it continues.
FIBER_STACK = 512 * 1024 * 1024


class FiberCancelled(BaseException):
    """Unwinds a fiber whose continuation was dropped (nothing observable runs)."""


@primitive("guile", "make-prompt-tag")
def make_prompt_tag(stem="prompt"):
    return PromptTag(stem)


@primitive("guile", "default-prompt-tag")
def default_prompt_tag():
    return _DEFAULT_TAG


# Threads that ran a prompt's body and wait for another (making a thread costs more than
# the rest of a prompt): a few are kept.
_idle: list = []
_IDLE_KEPT = 8


def _worker(jobs: queue.SimpleQueue) -> None:
    # A stop passed on to a body just as it ended can land in this loop, between any two
    # steps: each step that must happen once is retried until done (the nested loops).
    me = threading.get_ident()
    while True:
        job = None
        while job is None:
            try:
                while job is None:
                    job = jobs.get()
            except BaseException:  # noqa: BLE001 -- a stop for the body before
                pass
        f, thunk = job
        _here.fiber = f
        f.ident = me
        try:
            out: tuple = ("return", call(thunk, []))
        except FiberCancelled:
            out = ("cancelled",)
        except BaseException as e:  # noqa: BLE001 -- handed to the fiber that waits for it
            out = ("raise", e)
        del thunk, job          # nothing of the finished body stays referenced from here
        keep = None
        while out is not None:
            try:
                while out is not None:
                    f.state = "done"
                    _here.fiber = ROOT
                    if keep is None:
                        keep = len(_idle) < _IDLE_KEPT
                        if keep:
                            _idle.append(jobs)  # a job given before it waits is queued
                    _say(f, out)
                    out = None      # said twice is harmless: an ended fiber is not heard
            except BaseException:  # noqa: BLE001 -- as above
                pass
        del f
        if not keep:
            return


def _new_worker() -> queue.SimpleQueue:
    jobs: queue.SimpleQueue = queue.SimpleQueue()
    old = threading.stack_size()
    threading.stack_size(FIBER_STACK)
    try:
        threading.Thread(target=_worker, args=(jobs,), name="vsys-prompt",
                         daemon=True).start()
    finally:
        threading.stack_size(old)
    return jobs


def _switch(f: Fiber, message: tuple) -> tuple:
    """Run fiber F (from the fiber that calls this, which waits) until it suspends or
    ends; what it says then."""
    f.parent = _here.fiber
    f.state = "running"
    _running[0] = f
    f.inbox.put(message)
    return _wait_for(f)


_running: list = [ROOT]     # the fiber running now (the others wait)
_stops_passed = [False]     # whether a stop was ever passed on to a fiber


def _wait_for(f: Fiber) -> tuple:
    """What fiber F, just started or resumed (`_running` set before, as it may start
    others at once), says when it suspends or ends.  A stop
    requested meanwhile (an exception raised asynchronously in this thread: Ctrl-C at the
    REPL) is passed on to the fiber running, whose frames it unwinds first."""
    # The event stays in `saying` until taken: a stop landing anywhere loses nothing.
    said = f.said
    while f.saying is None:
        try:                # such an exception lands between any two steps of the loop
            while f.saying is None:
                said.acquire(timeout=0.25)
        except BaseException as exc:  # noqa: BLE001 -- raised in the running fiber instead
            running = _running[0]
            if running.state == "running":  # (else asked again soon, by the REPL)
                _stops_passed[0] = True
                _raise_in(running.ident, type(exc))
    event, f.saying = f.saying, None
    _running[0] = _here.fiber
    return event


def _say(f: Fiber, event: tuple) -> None:
    """What fiber F tells the fiber waiting for it (which _wait_for takes)."""
    f.saying = event
    try:
        f.said.release()    # wakes the waiter (the event itself is in `saying`)
    except RuntimeError:    # already released: the waiter has not slept since
        pass


def _raise_in(thread_id: int, exc: type | None) -> None:
    """Raise EXC in the thread, as soon as it runs Python code (None: take back one
    raised so that has not landed yet)."""
    import ctypes  # noqa: PLC0415 -- only when an evaluation is stopped inside a prompt
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(exc) if exc is not None else None)


def _serve(f: Fiber, event: tuple, handler: Any) -> Any:
    """Wait on fiber F for its prompt (HANDLER) or for a continuation of it (HANDLER None)
    until it returns, raises, or aborts to this prompt."""
    while True:
        kind = event[0]
        if kind == "return":
            return event[1]
        if kind == "raise":
            raise event[1]
        tag, args = event[1], event[2]
        if handler is not None and f.tag is tag:
            f.tag = None        # the prompt is left: its continuation does not include it
            return call(handler, [PromptContinuation(f), *args])
        # an outer prompt's: suspend this fiber too, and F again once resumed (or end it,
        # when that prompt is an escape, which never resumes anything)
        try:
            value = abort_to_prompt(tag, *args)
        except _Escape:
            _drop(f)
            raise
        event = _switch(f, ("resume", value))


def _leave(f: Fiber) -> None:
    for frame in reversed(f.dyn):
        if frame[0] == "wind":
            call(frame[2], [])
        else:
            _, cells, saved, _ = frame
            frame[3] = [c.value for c in cells]
            for c, v in zip(cells, saved):
                c.value = v


def _rejoin(f: Fiber) -> None:
    for frame in f.dyn:
        if frame[0] == "wind":
            call(frame[1], [])
        else:
            _, cells, saved, inner = frame
            saved[:] = [c.value for c in cells]
            for c, v in zip(cells, inner):
                c.value = v


def _abandon(f: Fiber) -> None:
    for frame in f.dyn:
        if frame[0] == "wind":
            frame[2] = None
        else:
            frame[2].clear()


class PromptContinuation:
    """The continuation of an abort, up to its prompt: resumes the suspended fiber."""

    __slots__ = ("fiber", "__weakref__")

    def __init__(self, f: Fiber):
        self.fiber = f
        weakref.finalize(self, _drop, f).atexit = False

    def scheme_repr(self, write: bool) -> str:
        return f"#<partial-continuation {id(self) & 0xffffff:x}>"


def _resume(k: PromptContinuation, args: list) -> Any:
    f = k.fiber
    if f.state != "suspended":
        raise error("this prompt's continuation was already resumed: vsys resumes a "
                    "continuation once (re-entering it again would need a copy of its "
                    "stack)", key="continuation-error")
    value = args[0] if len(args) == 1 else Values(tuple(args))
    return _serve(f, _switch(f, ("resume", value)), None)


applicable[PromptContinuation] = _resume


def _drop(f: Fiber) -> None:
    if f.state == "suspended":
        _switch(f, ("cancel",))


class _Escape(Exception):
    """Unwinds to the escape-only prompt marked MARK, with the values of the abort."""

    def __init__(self, mark: object, args: list):
        super().__init__()
        self.mark = mark
        self.args = args


def _escape_prompt(tag, thunk, handler):
    """A prompt whose handler never refers to its continuation (most: `(lambda (k v) v)`)
    cannot be resumed, so its body runs here, not as a fiber, and an abort to it unwinds
    as an escaping continuation does: a few microseconds instead of a thread's handoff."""
    f = _here.fiber
    mark = object()
    f.escapes.append((tag, mark, len(f.barriers)))
    try:
        return call(thunk, [])
    except _Escape as e:
        if e.mark is not mark:
            raise
        args = e.args
    finally:
        f.escapes.pop()
    spent = Continuation()
    spent.active = False
    return call(handler, [spent, *args])


@primitive("guile", "call-with-prompt")
def call_with_prompt(tag, thunk, handler):
    """Call THUNK; an (abort-to-prompt TAG ARG ...) inside it returns
    (HANDLER K ARG ...) from here, K resuming THUNK where it aborted."""
    if type(handler) is Closure and handler.info.ignores_first:
        return _escape_prompt(tag, thunk, handler)
    f = Fiber([], [], tag)
    f.inbox, f.said = queue.SimpleQueue(), threading.Lock()
    f.said.acquire()
    jobs = _idle.pop() if _idle else _new_worker()
    f.parent = _here.fiber
    f.state = "running"
    _running[0] = f
    jobs.put((f, thunk))
    return _serve(f, _wait_for(f), handler)


def _innermost_prompt(tag) -> tuple[Fiber | None, Any, bool]:
    """The innermost prompt of TAG in force: (the fiber it is in or whose prompt it is,
    its escape entry or None for a fiber's own prompt, whether a continuation barrier
    stands between here and it)."""
    g: Fiber | None = _here.fiber
    crossed = False
    while g is not None:
        for entry in reversed(g.escapes):
            if entry[0] is tag:
                return g, entry, crossed or len(g.barriers) > entry[2]
        crossed = crossed or bool(g.barriers)
        if g.tag is tag:
            return g, None, crossed
        g = g.parent
    return None, None, False


@primitive("guile", "abort-to-prompt")
def abort_to_prompt(tag, *args):
    f = _here.fiber
    g, entry, crosses = _innermost_prompt(tag)
    if g is None:
        raise error(f"Abort to unknown prompt: {write_string(tag)}", key="misc-error",
                    origin="abort-to-prompt")
    # An escape never resumes anything, so a barrier does not stand in its way, as in
    # Guile.
    if crosses and entry is None:
        raise error("abort-to-prompt: the abort would cross a continuation barrier",
                    key="misc-error", origin="abort-to-prompt")
    if entry is not None and g is f:
        raise _Escape(entry[1], list(args))
    _leave(f)
    f.state = "suspended"
    _say(f, ("abort", tag, list(args)))
    message = f.inbox.get()
    if message[0] == "cancel":
        _abandon(f)
        raise FiberCancelled()
    _rejoin(f)
    return message[1]


@primitive("ice-9 control", "suspendable-continuation?")
def suspendable_continuation_p(tag):
    """Whether an abort to TAG could be resumed: a prompt of TAG is in force with no
    continuation barrier since."""
    g, _, crosses = _innermost_prompt(tag)
    return g is not None and not crosses


def innermost_barrier() -> Any:
    g: Fiber | None = _here.fiber
    while g is not None:
        if g.barriers:
            return g.barriers[-1]
        g = g.parent
    return None


def with_barrier(body) -> Any:
    """Run `body()` behind a continuation barrier: no continuation made outside it can be
    invoked inside, and no abort goes through it."""
    barriers = _here.fiber.barriers
    barriers.append(object())
    try:
        return body()
    finally:
        barriers.pop()


@primitive("ice-9 control", "abort")
def abort(*args):
    """(abort ARG ...): abort to the default prompt."""
    return abort_to_prompt(_DEFAULT_TAG, *args)


@primitive("ice-9 control", "default-prompt-handler")
def _default_prompt_handler(k, proc):
    """The default prompt's handler: PROC called on the continuation, under a new
    default prompt."""
    return call_with_prompt(_DEFAULT_TAG, make_primitive("thunk", lambda: call(proc, [k])),
                            _DEFAULT_HANDLER)


_DEFAULT_HANDLER = make_primitive("default-prompt-handler", _default_prompt_handler)


@primitive("ice-9 control", "reset*")
def reset_star(thunk):
    return call_with_prompt(_DEFAULT_TAG, thunk, _RESET_HANDLER)


_RESET_HANDLER = make_primitive("reset-handler", lambda k, f: call(f, [k]))


@primitive("ice-9 control", "shift*")
def shift_star(fc):
    """Abort to the enclosing reset; FC gets the continuation (which, called, runs under
    a new reset) and its value, computed under a reset too, is the reset's."""
    def receive(k):
        def resume(*vals):
            return reset_star(make_primitive("thunk", lambda: call(k, list(vals))))
        return reset_star(make_primitive("thunk", lambda: call(
            fc, [make_primitive("continuation", resume)])))
    return abort_to_prompt(_DEFAULT_TAG, make_primitive("shift", receive))
