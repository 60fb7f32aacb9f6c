"""How the builtins are registered.

`builtin` makes one `Primitive` from a Python function and binds it in every module
that exports it in Guile (`(guile)` by default), so that `(srfi srfi-1)` and `(guile)`
hand out the very same object and `eq?` holds between them.
"""

from __future__ import annotations

from typing import Any, Callable

from ..modules import define_value, share
from ..procedures import Primitive, make_primitive

# (module, name) -> primitive, so that other modules can re-export a procedure.
_defined: dict[tuple[str, str], Primitive] = {}

GUILE = "guile"


def builtin(name: str, *modules: str, doc: str | None = None, tail: bool = False) -> Callable:
    """Decorator: define `fn` as the procedure `name` in `modules` (default: (guile)).
    `tail`: the function may return a `TailCall` (call sites must then trampoline)."""
    def wrap(fn: Callable) -> Callable:
        proc = make_primitive(name, fn, doc, tail)
        for module in modules or (GUILE,):
            define_value(module, name, proc)
            _defined[(module, name)] = proc
        return fn
    return wrap


def reexport(target: str, source: str, names: str) -> None:
    """Make the procedures `names` (space separated) of `source` visible in `target`."""
    for name in names.split():
        value = _defined[(source, name)]
        define_value(target, name, value)
        _defined[(target, name)] = value
    share(target, source, names)


def constant(name: str, value: Any, *modules: str) -> None:
    for module in modules or (GUILE,):
        define_value(module, name, value)


def lookup(module: str, name: str) -> Primitive:
    """The primitive a builtins file defined (for Python callers and tests)."""
    return _defined[(module, name)]
