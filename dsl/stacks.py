"""Stacks and frames (`make-stack`, `stack-ref`, `frame-arguments`, `display-backtrace`),
and `call-with-stack-overflow-handler`.

vsys's evaluator keeps no frame records of its own, so that ordinary calls cost nothing
extra.  A stack is read when it is asked for, from the Python stack: a Scheme call in
progress is a Python frame of a call node (dsl.calls) whose operator and operands are all
evaluated, or of the trampoline (`dsl.procedures.call`), and those frames' local variables
hold the procedure and its arguments.  Tail calls have replaced their caller's frame there
as in Guile, so the stack shows what Guile's would.
"""

from __future__ import annotations

import sys
import threading
from typing import Any

from . import calls, procedures
from .builtins import calling
from .builtins.ports import need_output
from .compiler import compile_form
from .control import PromptTag
from .datatypes import NIL, UNSPECIFIED, Keyword, Pair, Symbol, from_list, is_exact
from .errors import error, out_of_range, wrong_type
from .modules import existing_module, primitive
from .printer import write_string
from .procedures import Closure, Primitive, call
from .special_forms import CORE, args_of, special


class Frame:
    """One Scheme call in progress: the procedure and the arguments it was given."""

    __slots__ = ("proc", "args", "stack", "index")

    def __init__(self, proc: Any, args: list):
        self.proc = proc
        self.args = args
        self.stack: Stack | None = None
        self.index = 0

    def name(self) -> Any:
        name = getattr(self.proc, "name", None)
        if isinstance(name, str):
            return Symbol(name)
        return name if type(name) is Symbol else False

    def scheme_repr(self, write: bool) -> str:
        return f"#<frame {id(self):x} {write_string(call_representation(self))}>"


class Stack:
    __slots__ = ("frames", "id")

    def __init__(self, frames: list[Frame], stack_id: Any):
        self.frames = frames
        self.id = stack_id
        for k, f in enumerate(frames):
            f.stack = self
            f.index = k

    def scheme_repr(self, write: bool) -> str:
        return f"#<stack {id(self):x} {len(self.frames)} frames>"


def call_representation(frame: Frame) -> Any:
    """(NAME ARG ...); an anonymous procedure is `_`, as Guile writes it."""
    return from_list([frame.name() or Symbol("_")] + list(frame.args))


# --- reading the Python stack -----------------------------------------------------------------

_ARG_NAMES = ("a", "b", "c")
_node_codes: dict = {}      # code object of a call node -> its operand variable names


def _call_node_codes() -> dict:
    """The code objects of the call nodes made so far (dsl.calls makes them from
    templates; each template's code object is shared by all the nodes it made)."""
    for make in list(calls._app_makers.values()):
        for const in make.__code__.co_consts:
            if hasattr(const, "co_name") and const.co_name == "node" and \
                    const not in _node_codes:
                _node_codes[const] = tuple(v for v in _ARG_NAMES if v in const.co_varnames)
                if "call" not in const.co_names:     # a tail node returns TailCall
                    _tail_codes.add(const)
    for const in calls.make_application.__code__.co_consts:
        if hasattr(const, "co_name") and const.co_name in ("appn", "tappn"):
            _node_codes.setdefault(const, None)
            if const.co_name == "tappn":
                _tail_codes.add(const)
    return _node_codes


# Call nodes in tail position: one that calls a primitive itself has replaced the frame
# of the procedure whose body it ends, as a tail call does in Guile.
_tail_codes: set = set()


# The direct callers builtins make for a closure they call often (map's procedure): a
# frame of one holds the closure's body and arguments; the closure itself is among the
# local variables of the builtin that made it, a frame or two out.
_DIRECT = {c: tuple(n for n in ("x", "y") if n in c.co_varnames)
           for c in calling.caller.__code__.co_consts
           if hasattr(c, "co_name") and c.co_name in ("call1_", "call2")}

_START = object()     # what the frame of `start-stack`'s primitive holds as its marker
_TRAMPOLINE = procedures.call.__code__


def _python_frames(pyframe):
    """The Python frames of the computation from PYFRAME out, innermost first.

    Two places are not a plain walk out.  A handler that runs before the stack unwinds
    (with-throw-handler's) is called where the raise was caught: the frames between
    there and the raise are those of the exception being handled, and are walked first.
    A prompt's body may run on a thread of its own: where that thread's frames end, the
    walk goes on in the thread that waits for the body (the one holding the same thunk).
    """
    raised = _raise_frames()
    seen_threads = {threading.get_ident()}
    while pyframe is not None:
        thunk = None
        while pyframe is not None:
            if raised and pyframe is raised[0]:
                yield from reversed(raised[1:])
                raised = None
            yield pyframe
            thunk = pyframe.f_locals.get("thunk", thunk)    # the outermost one's wins
            pyframe = pyframe.f_back
        pyframe = _waiting_thread_frame(thunk, seen_threads)


def _raise_frames() -> list | None:
    """The frames from the catcher to the raise of the exception being handled, when its
    catcher runs handlers before unwinding (with-throw-handler)."""
    exc = sys.exc_info()[1]
    tb = exc.__traceback__ if exc is not None else None
    if tb is None:
        return None
    # caught by with-throw-handler's primitive, or by a helper it called
    codes = _pre_unwind_codes()
    catcher = tb.tb_frame
    if catcher.f_code not in codes and (catcher.f_back is None
                                        or catcher.f_back.f_code not in codes):
        return None
    frames = []
    while tb is not None:
        frames.append(tb.tb_frame)
        tb = tb.tb_next
    return frames


def _pre_unwind_codes() -> set:
    fn = getattr(_core_value("with-throw-handler"), "fn", None)
    return {fn.__code__} if fn is not None and hasattr(fn, "__code__") else set()


def _waiting_thread_frame(thunk: Any, seen: set):
    """Where a thread that runs a prompt's body came from: the frame of another thread
    that holds the thunk this thread runs (outermost), and waits for it."""
    if thunk is None:
        return None
    for ident, top in sys._current_frames().items():
        if ident in seen:
            continue
        f = top
        while f is not None:
            if f.f_locals.get("thunk") is thunk:
                seen.add(ident)
                return f
            f = f.f_back
    return None


def _frames(pyframe) -> tuple[list[Frame], Any]:
    """The calls in progress from PYFRAME out, and the id of the start-stack that ends
    them (#t: none does)."""
    codes = _call_node_codes()
    out: list[Frame] = []
    child = None
    replaced = False        # the next call out was replaced by a tail call
    for pyframe in _python_frames(pyframe):
        code = pyframe.f_code
        frame = None
        if code is _TRAMPOLINE:
            loc = pyframe.f_locals
            if "proc" in loc and "args" in loc:
                frame = Frame(loc["proc"], list(loc["args"]))
        elif code in codes:
            # The trampoline it called stands for this call (it may have moved on to a
            # tail call since): only a call the node runs itself is one of its own.
            if child is None or child.f_code is not _TRAMPOLINE:
                frame = _node_frame(pyframe.f_locals, codes[code])
        elif code in _DIRECT:
            frame = _direct_frame(pyframe, _DIRECT[code])
        if frame is not None:
            if replaced:
                replaced = False
            else:
                out.append(frame)
                replaced = code in _tail_codes
        elif code is _start_stack_code:
            loc = pyframe.f_locals
            if loc.get("marker") is _START:
                if out and out[-1].proc is loc.get("thunk"):
                    out.pop()          # the thunk start-stack made of its expression
                return out, loc.get("stack_id", True)
        child = pyframe
    return out, True


def _direct_frame(pyframe, names) -> Frame | None:
    loc = pyframe.f_locals
    body = loc.get("body")
    if not all(n in loc for n in names):
        return None
    outer = pyframe.f_back
    for _ in range(3):           # the builtin's frame, or a comprehension's inside it
        if outer is None:
            break
        for value in outer.f_locals.values():
            if type(value) is Closure and value.body is body:
                return Frame(value, [loc[n] for n in names])
        outer = outer.f_back
    return None


def _node_frame(loc: dict, names) -> Frame | None:
    if "f" not in loc:
        return None
    if names is None:                  # the node for four arguments or more
        if "args" not in loc:
            return None
        return Frame(loc["f"], list(loc["args"]))
    if not all(n in loc for n in names):
        return None                    # still evaluating its operands
    return Frame(loc["f"], [loc[n] for n in names])


# --- trimming -------------------------------------------------------------------------------

def _is_frame_of(frame: Frame, spec: Any) -> bool:
    if isinstance(spec, PromptTag):
        return frame.name() in (Symbol("call-with-prompt"),) and bool(frame.args) and \
            frame.args[0] is spec
    return frame.proc is spec


def _trim_inner(frames: list[Frame], spec: Any) -> list[Frame]:
    """Cut innermost frames: a number of them, or those inside the call of a procedure
    or inside a prompt (that call or prompt stays)."""
    if spec is True:
        return frames
    if type(spec) is int:
        return frames[spec:] if spec >= 0 else frames
    for k, f in enumerate(frames):
        if _is_frame_of(f, spec):
            return frames[k:]
    return frames


def _trim_outer(frames: list[Frame], spec: Any) -> list[Frame]:
    """Cut outermost frames: a number of them, those outside the call of a procedure
    (which stays), or those outside a prompt (with the prompt)."""
    if spec is True:
        return frames
    if type(spec) is int:
        return frames[:len(frames) - spec] if 0 <= spec <= len(frames) else frames
    for k in range(len(frames) - 1, -1, -1):
        if _is_frame_of(frames[k], spec):
            return frames[:k] if isinstance(spec, PromptTag) else frames[:k + 1]
    return frames


@primitive("guile", "make-stack")
def make_stack(obj, *specs):
    """(make-stack #t [INNER OUTER] ...): the calls in progress here, innermost first,
    the innermost being this make-stack call (given a frame instead of #t: that frame
    and those outside it).  Each pair of trim specifications cuts
    frames from the inner end then the outer end: a number cuts that many, a procedure
    the frames up to its call, a prompt tag those beyond its prompt."""
    frames, stack_id = _frames(sys._getframe(1))
    if obj is not True:
        if not isinstance(obj, Frame) or obj.stack is None:
            raise wrong_type("make-stack", 1, "#t or a frame", obj)
        frames = obj.stack.frames[obj.index:]        # that frame and those outside it
    for k in range(0, len(specs), 2):
        frames = _trim_inner(frames, specs[k])
        if k + 1 < len(specs):
            frames = _trim_outer(frames, specs[k + 1])
    if not frames:
        return False
    return Stack([_as_guile_shows(f) for f in frames], stack_id)


# Guile defines catch and with-throw-handler as procedures whose body is a tail call of
# with-exception-handler, so on Guile's stack their frames are that call: shown so here.
_VIA_HANDLER = {
    "catch": lambda key, thunk, handler, *pre: [
        handler, thunk, Keyword("unwind?"), True, Keyword("unwind-for-type"), key],
    "with-throw-handler": lambda key, thunk, handler: [handler, thunk],
}


def _as_guile_shows(frame: Frame) -> Frame:
    proc = frame.proc
    rewrite = _VIA_HANDLER.get(proc.name) if type(proc) is Primitive else None
    if rewrite is not None and _core_value(proc.name) is proc:
        handler = _core_value("with-exception-handler")
        if handler is not None:
            try:
                return Frame(handler, rewrite(*frame.args))
            except TypeError:           # a call with the wrong arguments: as it was
                pass
    return Frame(proc, frame.args)


def _core_value(name: str) -> Any:
    core = existing_module(("guile",))
    box = core.bindings.get(Symbol(name)) if core is not None else None
    return box.value if box is not None else None


def _stack(origin: str, x: Any) -> Stack:
    if isinstance(x, Stack):
        return x
    raise wrong_type(origin, 1, "stack", x)


def _frame(origin: str, x: Any) -> Frame:
    if isinstance(x, Frame):
        return x
    raise wrong_type(origin, 1, "frame", x)


@primitive("guile", "stack?")
def is_stack(x):
    return isinstance(x, Stack)


@primitive("guile", "stack-length")
def stack_length(stack):
    return len(_stack("stack-length", stack).frames)


@primitive("guile", "stack-ref")
def stack_ref(stack, index):
    s = _stack("stack-ref", stack)
    if type(index) is not int:
        raise wrong_type("stack-ref", 2, "exact integer", index)
    if not 0 <= index < len(s.frames):
        raise out_of_range("stack-ref", 2, index)
    return s.frames[index]


@primitive("guile", "stack-id")
def stack_id(stack):
    return _stack("stack-id", stack).id


@primitive("guile", "frame?")
def is_frame(x):
    return isinstance(x, Frame)


@primitive("guile", "frame-arguments")
def frame_arguments(frame):
    return from_list(_frame("frame-arguments", frame).args)


@primitive("guile", "frame-previous")
def frame_previous(frame):
    """The frame of the call this one's procedure was called from, #f at the bottom."""
    f = _frame("frame-previous", frame)
    if f.stack is None or f.index + 1 >= len(f.stack.frames):
        return False
    return f.stack.frames[f.index + 1]


@primitive("system vm frame", "frame-call-representation")
def frame_call_representation(frame, *options):
    """(frame-call-representation FRAME): the call as a list, (NAME ARG ...)."""
    return call_representation(_frame("frame-call-representation", frame))


def frame_procedure_name(frame):
    return _frame("frame-procedure-name", frame).name()


for _module in ("guile", "system vm frame"):
    primitive(_module, "frame-procedure-name")(frame_procedure_name)
    primitive(_module, "frame-arguments")(frame_arguments)
primitive("system vm frame", "frame-previous")(frame_previous)


@primitive("guile", "display-backtrace")
def display_backtrace(stack, port, first=False, depth=False, *highlights):
    """(display-backtrace STACK PORT [FIRST DEPTH]): the frames of STACK, innermost
    first, one call a line, as Guile's backtraces show them."""
    s = _stack("display-backtrace", stack)
    out = need_output("display-backtrace", 2, port)
    start = first if type(first) is int else 0
    count = depth if type(depth) is int else len(s.frames)
    frames = s.frames[start:start + count]
    width = len(str(len(s.frames)))
    lines = [f"{k + start:>{width}} {write_string(call_representation(f))}\n"
             for k, f in enumerate(frames)]
    out.write("".join(lines))
    return UNSPECIFIED


def _start_stack(marker, stack_id, thunk):
    return call(thunk, [])


_start_stack_code = _start_stack.__code__


@primitive("guile", "%start-stack")
def start_stack_primitive(stack_id, thunk):
    return _start_stack(_START, stack_id, thunk)


@special("start-stack", usage="(start-stack ID EXPRESSION)")
def _start_stack_form(form, scope, ctx, tail):
    """(start-stack ID EXP): evaluate EXP; a stack made inside it ends at this form."""
    stack_id, expr = args_of(form, "start-stack", 2, 2)
    thunk = Pair(CORE["lambda"], Pair(NIL, Pair(expr, NIL)))
    return compile_form(Pair(Symbol("%start-stack"), Pair(stack_id, Pair(thunk, NIL)),
                             form.loc), scope, ctx, tail, form.loc)


# --- stack overflow handlers ----------------------------------------------------------------

# Guile's limit counts words of its VM stack; a Scheme call takes a few Python frames
# here, and each frame many words.  A limit is given at least this many frames, so that
# a handful of nested calls never trips a small limit Guile would not trip either.
_MIN_FRAMES = 200
_WORDS_PER_FRAME = 8


def _python_depth() -> int:
    depth = 0
    f = sys._getframe(1)
    while f is not None:
        depth += 1
        f = f.f_back
    return depth


def _room(origin: str, pos: int, n: Any) -> int:
    if not is_exact(n) or type(n) is not int:
        raise wrong_type(origin, pos, "exact integer", n)
    if not 0 < n < 1 << 62:
        raise out_of_range(origin, pos, n)
    return n


@primitive("system vm vm", "call-with-stack-overflow-handler")
def call_with_stack_overflow_handler(limit, thunk, handler):
    """(call-with-stack-overflow-handler LIMIT THUNK HANDLER): run THUNK with at most
    LIMIT more words of stack; past that, (HANDLER) is called and may throw.  vsys calls
    it once the overflowing computation has unwound to here, so a handler that returns
    more room (instead of throwing) ends THUNK with a stack overflow error."""
    words = _room("call-with-stack-overflow-handler", 1, limit)
    old = sys.getrecursionlimit()
    depth = _python_depth()
    new = min(old, depth + max(_MIN_FRAMES, words // _WORDS_PER_FRAME) + 50)
    sys.setrecursionlimit(new)
    try:
        return call(thunk, [])
    except RecursionError:
        pass
    finally:
        sys.setrecursionlimit(old)
    more = call(handler, [])
    _room("call-with-stack-overflow-handler", 3, more)
    raise error("stack overflow: the limit given to call-with-stack-overflow-handler was "
                "reached", key="stack-overflow",
                hints=["vsys calls the handler once the overflowing computation has "
                       "unwound, so it cannot continue it: throw from the handler"])


@primitive("system vm vm", "call-with-vm")
def call_with_vm(proc, *args):
    """(call-with-vm PROC ARG ...): vsys has one evaluator; this is (PROC ARG ...)."""
    return call(proc, list(args))

