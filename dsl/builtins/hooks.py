"""Guile's hooks: a list of procedures, all called with the same arguments by `run-hook`.

A hook is made for a number of arguments; a procedure that cannot take that many is
refused when it is added, and `run-hook` with another count is an error, as in Guile."""

from __future__ import annotations

from ..datatypes import from_list
from ..errors import error, wrong_type
from ..procedures import Closure, Primitive, call, is_procedure
from .checks import need_count
from .define import builtin


class Hook:
    __slots__ = ("arity", "procs")

    def __init__(self, arity: int):
        self.arity = arity
        self.procs: list = []

    def scheme_repr(self, write: bool) -> str:
        names = " ".join(getattr(p, "name", None) or "#<procedure>" for p in self.procs)
        return f"#<hook {self.arity} {names}>".replace(" >", ">")


def _need_hook(origin: str, pos: int, x) -> Hook:
    if type(x) is not Hook:
        raise wrong_type(origin, pos, "hook", x)
    return x


def _takes(proc, n: int) -> bool:
    """Whether `proc` can be called with `n` arguments."""
    if type(proc) is Primitive:
        return proc.min_args <= n and (proc.max_args is None or n <= proc.max_args)
    if type(proc) is Closure:
        if n < proc.nreq:
            return False
        return bool(proc.rest or proc.keys) or n <= proc.nreq + proc.nopt
    return True


@builtin("make-hook")
def make_hook(n_args=0):
    """(make-hook [N-ARGS]): an empty hook whose procedures take N-ARGS arguments."""
    return Hook(need_count("make-hook", 1, n_args))


@builtin("hook?")
def is_hook(x):
    return type(x) is Hook


@builtin("hook-empty?")
def hook_empty(hook):
    return not _need_hook("hook-empty?", 1, hook).procs


@builtin("add-hook!")
def add_hook(hook, proc, append=False):
    """(add-hook! HOOK PROC [APPEND?]): PROC first in HOOK (last with APPEND? true);
    a procedure already there moves."""
    h = _need_hook("add-hook!", 1, hook)
    if not is_procedure(proc) or not _takes(proc, h.arity):
        raise wrong_type("add-hook!", 2, f"procedure of {h.arity} arguments", proc)
    h.procs = [p for p in h.procs if p is not proc]
    if append is False:
        h.procs.insert(0, proc)
    else:
        h.procs.append(proc)


@builtin("remove-hook!")
def remove_hook(hook, proc):
    h = _need_hook("remove-hook!", 1, hook)
    h.procs = [p for p in h.procs if p is not proc]


@builtin("reset-hook!")
def reset_hook(hook):
    _need_hook("reset-hook!", 1, hook).procs = []


@builtin("hook->list")
def hook_to_list(hook):
    return from_list(list(_need_hook("hook->list", 1, hook).procs))


@builtin("run-hook")
def run_hook(hook, *args):
    """(run-hook HOOK ARG ...): call each procedure of HOOK, in order, with the ARGs."""
    h = _need_hook("run-hook", 1, hook)
    if len(args) != h.arity:
        raise error(f"Hook {h.scheme_repr(True)} requires {h.arity} arguments",
                    origin="run-hook")
    for proc in list(h.procs):
        call(proc, list(args))
