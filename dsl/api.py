"""The language's front door: run a program, evaluate a string, report errors.

Everything above the dsl layer (stdlib, the CLI, the REPL) goes through here.
"""

from __future__ import annotations

import contextlib
import gc
import sys
import threading
import traceback
from typing import Any, TextIO

from . import control, language
from .builtins import ports
from .compiler import Ctx, compile_toplevel, run_node
from .control import stack_overflow_error
from .errors import SchemeError, format_error
from .loader import load_file, load_path, new_user_module, set_load_path
from .reader import read_located, reset_read_options

# Deep non-tail recursion needs many Python frames (three or four per Scheme call).  The
# limit below allows about 150,000-deep recursion of a simple procedure (110,000 when
# each level also binds a `let`), as deep as common Guile programs go (Guile's stack
# grows); past it the program gets a located Scheme "stack overflow" error.  The frames
# live on the heap: about 170 MB at the limit.  Evaluation runs on a thread with a large C
# stack so that hitting the limit is always a clean error, never a crash, even when every
# level recurses through C (a `sort` predicate: 410 MB at the limit).
RECURSION_LIMIT = 450_000
THREAD_STACK = 512 * 1024 * 1024


def boot() -> None:
    """Complete the core language, once: the library modules that re-export it."""
    language.install()


def fresh_module(name: tuple = ("vsys-user",)):
    boot()
    return new_user_module(name)


class StackOverflow(Exception):
    pass


def with_big_stack(fn, *args):
    """Run fn(*args) on a thread with a deep stack; re-raise whatever it raised."""
    result: list = [None, None]

    def target():
        old = sys.getrecursionlimit()
        sys.setrecursionlimit(RECURSION_LIMIT)
        try:
            result[0] = fn(*args)
        except BaseException as e:  # noqa: BLE001 -- handed to the caller's thread
            result[1] = e
        finally:
            sys.setrecursionlimit(old)

    old_size = threading.stack_size()
    threading.stack_size(THREAD_STACK)
    try:
        t = threading.Thread(target=target, name="vsys-eval", daemon=True)
        t.start()
    finally:
        threading.stack_size(old_size)
    t.join()
    if result[1] is not None:
        raise result[1]
    return result[0]


@contextlib.contextmanager
def cyclic_gc_paused():
    """Pause Python's cycle collector while a config is evaluated and folded.

    A config builds many objects and drops few, and almost none form cycles; the
    collector would only rescan a growing heap, which made evaluation time grow faster
    than the config (1.4x per service from 100 to 5,000 services).  Not for `vsys run`:
    a general program can create cycles (a named let makes one per call)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def eval_string(text: str, module=None, filename: str = "<string>") -> Any:
    """Read and evaluate every form of `text`; return the last value."""
    boot()
    module = module or fresh_module()
    ctx = Ctx(module, filename)
    result: Any = None
    saved = control.current_module[0]
    control.current_module[0] = module
    try:
        for form, loc in read_located(text, filename):
            result = run_node(compile_toplevel(form, ctx, loc))
    except RecursionError:
        raise stack_overflow_error() from None
    finally:
        control.current_module[0] = saved
    return result


def run_file(path: str, stdout: TextIO | None = None, stderr: TextIO | None = None,
             argv: list[str] | None = None, debug: bool = False) -> int:
    """Run a Scheme program like `guile FILE`: output to `stdout`, a located error message
    to `stderr`.  Returns the exit status."""
    boot()
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    if not load_path:
        set_load_path([])
    module = fresh_module()
    ports.set_command_line([path] + list(argv or []))

    def run() -> int:
        # A program starts with Guile's default read syntax, and what it turns on
        # ends with it (the reader is shared by everything in this process).
        reset_read_options()
        try:
            load_file(path, module)
        except RecursionError:
            raise stack_overflow_error() from None
        finally:
            reset_read_options()
        return 0

    with ports.output_to(stdout), ports.redirected("error", stderr):
        try:
            return with_big_stack(run)
        except SchemeError as e:
            ports.flush_output()
            if debug:
                stderr.write("".join(traceback.format_exception(e)))
            stderr.write(format_error(e, debug) + "\n")
            return 1
        except ports.SchemeExit as e:
            ports.flush_output()
            return e.code
        finally:
            ports.flush_output()
