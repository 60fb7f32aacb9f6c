"""Control: multiple values, escaping continuations, dynamic-wind, exceptions, parameters
and promises, as Guile 3.0 has them.

Continuations are escape-only: invoking one unwinds the Python stack (an exception) to
the `call/cc` that made it.  Re-entering a continuation whose extent has ended is
reported clearly instead of misbehaving.

Exceptions: `raise` first offers the object to the innermost handler installed by
`with-exception-handler` (in the raise's dynamic context, as R7RS says); `guard` and
`catch` unwind.  Errors signalled by primitives are Python `SchemeError`s from the start;
`with-exception-handler` offers those to its handler as they pass.
"""

from __future__ import annotations

import sys
from typing import Any

from .conditions import components
from .datatypes import NIL, UNSPECIFIED, Keyword, Symbol, Values, from_list, is_string, pystr
from .errors import Condition, SchemeError, error, handler_stack, wrong_type
from .modules import define_value, primitive
from .printer import display_string, write_string
from .procedures import Primitive, TailCall, applicable, call, is_procedure, make_primitive

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
    __slots__ = ("active", "winders")

    def __init__(self, winders: int):
        self.active = True
        self.winders = winders   # depth of the dynamic-wind stack when captured

    def scheme_repr(self, write: bool) -> str:
        return "#<continuation>"


def _invoke_continuation(k: Continuation, args: list) -> Any:
    if not k.active:
        raise error("this continuation can no longer be resumed: vsys supports escaping "
                    "continuations only (call/cc used to leave an extent, not to re-enter it)",
                    key="continuation-error")
    raise ContinuationInvoked(k, args[0] if len(args) == 1 else Values(tuple(args)))


applicable[Continuation] = _invoke_continuation


def _call_cc(proc):
    k = Continuation(len(_winders))
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


# --- dynamic-wind --------------------------------------------------------------------------

_winders: list = []


@primitive("guile", "dynamic-wind")
def dynamic_wind(before, thunk, after):
    call(before, [])
    _winders.append(after)
    try:
        return call(thunk, [])
    finally:
        _winders.pop()
        call(after, [])


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
handlers = handler_stack


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


def _walk(obj: Any, continuable: bool, i: int) -> Any:
    """Offer OBJ to the handlers from stack index I outwards.  Returns a continuable
    handler's value; otherwise gives the SchemeError to raise, its target set."""
    while i >= 0:
        h = handlers[i]
        t = type(h)
        if t is Catcher:
            if _takes(h.key, obj):
                return _aimed(SchemeError(obj, continuable), h)
        elif t is ThrowHandler:
            if not h.running and _takes(h.key, obj):
                h.running = True
                try:
                    _call_handler(h.proc, [condition_key(obj), *exception_throw_args(obj)],
                                  len(handlers))
                finally:
                    h.running = False
        else:
            result = _call_handler(h, [obj], i)
            if continuable:
                return (_RETURNED, result)
            obj = returned_from_handler(obj).payload
        i -= 1
    return _aimed(SchemeError(obj, continuable), UNCAUGHT)


def _aimed(err: SchemeError, target: Catcher) -> SchemeError:
    err.target = target
    return err


def _call_handler(proc: Any, args: list, depth: int) -> Any:
    """Call a handler with the handlers below DEPTH in force; an error it signals is
    walked from there."""
    saved = handlers[depth:]
    del handlers[depth:]
    try:
        return call(proc, args)
    except SchemeError as e:
        if e.target is None:
            raise walked(e, depth - 1) from None
        raise
    finally:
        del handlers[depth:]
        handlers.extend(saved)


def walked(e: SchemeError, start: int) -> SchemeError:
    """E, an error not yet offered to the handlers (signalled by a primitive), offered to
    those from index START outwards; the error to go on with (a handler that returned
    from it makes a new one)."""
    out = _walk(e.payload, False, start)
    if out.payload is e.payload:
        e.target = out.target
        return e
    return out


def do_raise(obj: Any, continuable: bool) -> Any:
    out = _walk(obj, continuable, len(handlers) - 1)
    if type(out) is tuple:
        return out[1]
    raise out


def returned_from_handler(obj: Any) -> SchemeError:
    return SchemeError(Condition(
        "non-continuable", "exception handler returned from a non-continuable raise",
        (obj,), "raise",
        ["use raise-continuable if the handler's value should be returned, or leave the "
         "handler another way (with-exception-handler's #:unwind? #t, or a continuation)"]))


def catching(entry: Catcher, body, handle) -> Any:
    """Run `body()` with ENTRY on the stack; an exception aimed at it unwinds to here and
    `handle(error)` gives the value."""
    depth = len(handlers)
    handlers.append(entry)
    try:
        return body()
    except SchemeError as e:
        if e.target is None:
            e = walked(e, depth)
        if e.target is not entry:
            raise e from None
        del handlers[depth:]
        return handle(e)
    finally:
        del handlers[depth:]


def offering(entry: Any, body) -> Any:
    """Run `body()` with ENTRY, a non-unwinding handler, on the stack."""
    depth = len(handlers)
    handlers.append(entry)
    try:
        return body()
    except SchemeError as e:
        if e.target is None:
            raise walked(e, depth) from None
        raise
    finally:
        del handlers[depth:]


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
    body = (lambda: call(thunk, [])) if pre_unwind is None or pre_unwind is False else (
        lambda: offering(ThrowHandler(key, pre_unwind), lambda: call(thunk, [])))
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
    try:
        return body()
    finally:
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
# call-with-prompt / abort-to-prompt as Guile has them, for the escaping use: the handler
# runs after the prompt's extent is left.  The continuation it receives cannot be
# resumed (vsys has no re-entrant continuations); calling it is an error saying so.

class PromptTag:
    __slots__ = ("name",)

    def __init__(self, name: Any):
        self.name = name

    def scheme_repr(self, write: bool) -> str:
        return "#<prompt-tag>"


class PromptAborted(Exception):
    def __init__(self, tag: Any, args: list):
        super().__init__()
        self.tag = tag
        self.args = args


_DEFAULT_TAG = PromptTag("default")
_prompts: list = []        # the tags of the prompts in force, innermost last


@primitive("guile", "make-prompt-tag")
def make_prompt_tag(stem="prompt"):
    return PromptTag(stem)


@primitive("guile", "default-prompt-tag")
def default_prompt_tag():
    return _DEFAULT_TAG


def _resume_not_supported(*args):
    raise error("resuming a prompt's continuation is not supported: vsys has escaping "
                "continuations only", key="continuation-error",
                hints=["use the handler's other arguments, not the continuation"])


@primitive("guile", "call-with-prompt")
def call_with_prompt(tag, thunk, handler):
    """Call THUNK; an (abort-to-prompt TAG ARG ...) inside it returns
    (HANDLER K ARG ...) from here."""
    _prompts.append(tag)
    depth = len(handlers)
    try:
        return call(thunk, [])
    except PromptAborted as ab:
        if ab.tag is not tag:
            raise
        del handlers[depth:]
        k = make_primitive("continuation", _resume_not_supported)
        return call(handler, [k, *ab.args])
    finally:
        _prompts.pop()


@primitive("guile", "abort-to-prompt")
def abort_to_prompt(tag, *args):
    if not any(t is tag for t in _prompts):
        raise error(f"Abort to unknown prompt: {write_string(tag)}", key="misc-error",
                    origin="abort-to-prompt")
    raise PromptAborted(tag, list(args))


@primitive("ice-9 control", "abort")
def abort(*args):
    """(abort ARG ...): abort to the default prompt."""
    return abort_to_prompt(_DEFAULT_TAG, *args)


def _default_prompt_handler(k, proc):
    return call(proc, [k])
