"""Evaluations that Ctrl-C can stop.

An evaluation runs on a thread with a big stack (as `vsys.dsl.api.with_big_stack` does)
while the main thread waits for it.  While it runs, Ctrl-C runs a SIGINT handler in the
main thread that raises `Interrupted` inside the evaluation thread with CPython's
PyThreadState_SetAsyncExc.  The exception arrives at the evaluator's next function call
or loop back-edge, so it stops `(let loop () (loop))` as well as any long computation,
and it unwinds through every `finally` on its way: dynamic-wind after-thunks run,
parameterize and with-fluids restore, handler frames pop.

Two things can go wrong, and are dealt with:

- The exception can arrive where Python ignores exceptions (a weakref callback or a
  finalizer run by the garbage collector).  So the request is repeated every quarter of
  a second until the thread stops.
- It can arrive in the middle of a clean-up.  So once the thread has stopped, the
  evaluator's state is put back: the depth of its dynamic stacks (exception handlers,
  dynamic-wind, gexp module scopes), the current module and the current ports as they
  were before, and the values saved by every parameterize or with-fluids frame the exceptions passed
  through (their tracebacks hold the frames), outermost last so its values win.

The evaluation can hand work to the waiting thread (`on_waiting_thread`): the REPL reads
the terminal for `(read-line)` that way, on the thread that owns the terminal, where
Ctrl-C stops the read and the evaluation with it.  A thread blocked outside the
evaluator otherwise (reading some other stream) cannot be stopped until the call
returns; a second Ctrl-C then leaves it behind (`Abandoned`).
"""

from __future__ import annotations

import queue
import signal
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from vsys.dsl import control
from vsys.dsl.api import RECURSION_LIMIT, THREAD_STACK
from vsys.dsl.builtins import ports
from vsys.dsl.datatypes import Location

# The evaluator's dynamic stacks (module, attribute): lists only ever pushed and popped.
STACKS = (("vsys.dsl.errors", "handler_stack"), ("vsys.dsl.control", "_winders"),
          ("vsys.stdlib.gexp", "_current_modules"))

RETRY = 0.25       # seconds between repeated stop requests
PATIENCE = 2.0     # seconds before saying that the evaluation does not stop
FRAMES = 200       # the innermost frames kept of an interrupted evaluation


class Interrupted(KeyboardInterrupt):
    """Raised inside an evaluation that Ctrl-C stopped.  As `run` raises it, `frames` says
    where the evaluation was, as a SchemeError's frames do."""

    frames: list = []


class Abandoned(Exception):
    """The evaluation could not be stopped and was left behind (a second Ctrl-C)."""


class _Snapshot:
    """The evaluator's dynamic state before an evaluation."""

    def __init__(self) -> None:
        self.depths = {}
        for modname, attr in STACKS:
            mod = sys.modules.get(modname)
            if mod is not None:
                self.depths[(modname, attr)] = len(getattr(mod, attr))
        self.module = control.current_module[0]
        self.ports = (ports.current_output(), ports.current_error(), ports.current_input())

    def restore(self, error: BaseException | None) -> None:
        _restore_parameters(error)
        for modname, attr in STACKS:
            mod = sys.modules.get(modname)
            if mod is not None:      # a module first imported by the evaluation: empty
                del getattr(mod, attr)[self.depths.get((modname, attr), 0):]
        control.current_module[0] = self.module
        out, err, inp = self.ports
        ports.set_current_output(out)
        ports.set_current_error(err)
        ports.set_current_input(inp)


def _restore_parameters(error: BaseException | None) -> None:
    """Re-apply the saved values of the rebinding frames (parameterize, with-fluids) that
    the Interrupted exceptions (the last and those it replaced) unwound, innermost first."""
    code = control.rebinding.__code__
    found: dict[int, tuple[int, dict]] = {}
    while isinstance(error, Interrupted):
        tb, depth = error.__traceback__, 0
        while tb is not None:             # from the thread's entry inwards
            frame = tb.tb_frame
            if frame.f_code is code and id(frame) not in found:
                found[id(frame)] = (depth, frame.f_locals)
            tb, depth = tb.tb_next, depth + 1
        error = error.__context__
    for _, local in sorted(found.values(), key=lambda item: -item[0]):
        if "saved" in local:              # it had bound the cells when stopped
            for c, v in zip(local["cells"], local["saved"]):
                c.value = v


class _Evaluation:
    """One evaluation thread and the requests to stop it."""

    def __init__(self, fn: Callable[[], Any]):
        self.fn = fn
        self.value: Any = None
        self.error: BaseException | None = None
        # What the evaluation thread hands the waiting one: None when it is done, or a
        # request (fn, reply) to run fn() there, such as reading a line at the terminal.
        self.inbox: queue.SimpleQueue = queue.SimpleQueue()
        self.serving = False             # the waiting thread is running a request
        self.gate = threading.Lock()     # orders "started/finished" against "stop"
        self.ident: int | None = None    # set while fn runs
        self.requests = 0
        self.first_request = 0.0
        self.noticed = False

    def target(self) -> None:
        # Ctrl-C is the main thread's business: never wake this one with it.
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        old = sys.getrecursionlimit()
        try:
            with self.gate:
                if self.requests:
                    raise Interrupted()
                self.ident = threading.get_ident()
            sys.setrecursionlimit(RECURSION_LIMIT)
            try:
                self.value = self.fn()
            finally:
                sys.setrecursionlimit(old)
        except BaseException as e:  # noqa: BLE001 -- handed to the waiting thread
            self.error = e
        try:
            with self.gate:
                late = self.ident is not None and self.requests > 0
                self.ident = None
            if late:                # a request may still be pending: take it back
                _async_raise(threading.get_ident(), None)
        except Interrupted:
            pass
        self.inbox.put(None)

    def stop(self) -> None:
        with self.gate:
            if self.ident is not None:
                _async_raise(self.ident, Interrupted)

    def on_sigint(self, signum: int, frame: Any) -> None:
        """The main thread's SIGINT handler while the evaluation runs."""
        self.requests += 1
        if self.serving:                 # reading for it: stop reading, then stop it
            self.serving = False
            raise KeyboardInterrupt
        if self.requests > 1 and self.noticed:
            raise _GiveUp()
        if self.requests == 1:
            self.first_request = time.monotonic()
        self.stop()

    def wait(self) -> None:
        while True:
            try:
                item = self.inbox.get(timeout=RETRY)
            except queue.Empty:
                item = False
            if item is None:
                return
            if item:
                self.serve(*item)
                continue
            if not self.requests:
                continue
            self.stop()
            if not self.noticed and time.monotonic() - self.first_request > PATIENCE:
                self.noticed = True
                sys.stderr.write("the evaluation does not stop: it is blocked outside "
                                 "Scheme (waiting for input?); press Ctrl-C again to leave "
                                 "it behind\n")


    def serve(self, fn: Callable[[], Any], reply: queue.SimpleQueue) -> None:
        """Run fn() for the evaluation thread; Ctrl-C meanwhile stops the evaluation."""
        try:
            self.serving = True
            try:
                result: tuple = (fn(), None)
            finally:
                self.serving = False
        except KeyboardInterrupt:
            result = (None, Interrupted())
        except BaseException as e:  # noqa: BLE001 -- the evaluation's to handle
            result = (None, e)
        reply.put(result)


_current: list = []     # the evaluation running (a list: no global statement needed)


def on_waiting_thread(fn: Callable[[], Any]) -> Any:
    """fn() run by the thread waiting for the evaluation that calls this (the main
    thread, which owns the terminal and Ctrl-C); fn() here if there is none."""
    ev = _current[-1] if _current else None
    if ev is None or ev.ident != threading.get_ident():
        return fn()
    reply: queue.SimpleQueue = queue.SimpleQueue()
    ev.inbox.put((fn, reply))
    while True:
        try:                             # a timeout, so that a stop request can land
            value, error = reply.get(timeout=RETRY)
        except queue.Empty:
            continue
        if error is not None:
            raise error
        return value


class _GiveUp(Exception):
    pass


def run(fn: Callable[[], Any]) -> Any:
    """fn() on a big-stack thread; its value, or what it raised.  Ctrl-C stops it and
    raises `Interrupted` here (`Abandoned` if it could not be stopped); the person is
    told when a stop request is slow to take effect.

    SIGINT's handler is replaced for the duration rather than letting KeyboardInterrupt
    reach the waiting thread: a Ctrl-C arriving while the thread starts could otherwise
    leave it running unsupervised."""
    ev = _Evaluation(fn)
    snapshot = _Snapshot()
    previous = None
    unraisable = sys.unraisablehook
    sys.unraisablehook = lambda u: None if isinstance(u.exc_value, Interrupted) else \
        unraisable(u)             # a stop request that landed in a finalizer: repeated
    try:
        if threading.current_thread() is threading.main_thread():
            previous = signal.signal(signal.SIGINT, ev.on_sigint)
        _current.append(ev)
        thread = threading.Thread(target=ev.target, name="vsys-repl-eval", daemon=True)
        old_size = threading.stack_size(THREAD_STACK)
        try:
            thread.start()
        finally:
            threading.stack_size(old_size)
        ev.wait()
    except _GiveUp:
        snapshot.restore(None)
        raise Abandoned() from None
    finally:
        if ev in _current:
            _current.remove(ev)
        sys.unraisablehook = unraisable
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
    if isinstance(ev.error, Interrupted):
        snapshot.restore(ev.error)
        stopped = Interrupted()
        stopped.frames = scheme_frames(ev.error)
        raise stopped from None
    if ev.error is not None:
        raise ev.error
    return ev.value


def scheme_frames(error: BaseException) -> list:
    """The Scheme calls an interrupted evaluation was inside, innermost first, as
    (location, procedure name) like SchemeError.frames: read from the Python frames of
    the compiled call sites (closures over `loc` and `fname`) that the Interrupted
    exceptions passed through; the longest such path is taken."""
    best: list = []
    while isinstance(error, Interrupted):
        found: list = []
        tb = error.__traceback__
        while tb is not None:            # outermost first
            code = tb.tb_frame.f_code
            if "loc" in code.co_freevars and "fname" in code.co_freevars:
                local = tb.tb_frame.f_locals
                entry = (local.get("loc"), local.get("fname"))
                if isinstance(entry[0], Location) and (not found or found[-1] != entry):
                    found.append(entry)
            elif code.co_name == "call" and "proc" in code.co_varnames:
                # The trampoline running tail calls: the procedure it is in now, at the
                # tail call's site or else where the procedure was written.
                local = tb.tb_frame.f_locals
                info = getattr(local.get("proc"), "info", None)
                name = getattr(info, "name", None)
                where = local.get("loc")
                where = where if isinstance(where, Location) else getattr(info, "loc", None)
                if name and isinstance(where, Location) and \
                        (not found or found[-1][1] != str(name)):
                    found.append((where, str(name)))
            tb = tb.tb_next
        if len(found) > len(best):
            best = found
        error = error.__context__
    return best[::-1][:FRAMES]


def _async_raise(thread_id: int, exc: type | None) -> None:
    import ctypes  # noqa: PLC0415 -- only when an evaluation is interrupted
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(exc) if exc is not None else None)
