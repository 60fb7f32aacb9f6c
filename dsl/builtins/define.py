"""How the builtins are registered.

`builtin` makes one `Primitive` from a Python function and binds it in every module
that exports it in Guile (`(guile)` by default), so that `(srfi srfi-1)` and `(guile)`
hand out the very same object and `eq?` holds between them.
"""

from __future__ import annotations

from typing import Any, Callable

from .. import modules
from ..datatypes import Symbol
from ..modules import ModuleName, define_value, parse_name
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


# target module -> (source module, name): bindings the target re-exports
_shared: dict[ModuleName, list[tuple[ModuleName, Symbol]]] = {}


def share(target: str, source: str, names: str) -> None:
    """Once the Python-defined module `target` is filled, its bindings of `names` are
    `source`'s own variables, as when a Guile module re-exports: the value stays where
    it was defined ((srfi srfi-1) re-exports car, which is core (guile)'s), and a `set!`
    through either module is seen through both."""
    key = parse_name(target)
    _shared.setdefault(key, []).extend((parse_name(source), Symbol(n)) for n in names.split())
    modules._factories[key] = _install_sharing


def _install_sharing(mod: modules.Module) -> None:
    modules.install_pending(mod)
    for source, sym in _shared.get(mod.name, ()):
        src = modules.existing_module(source)
        box = src.bindings.get(sym) if src is not None else None
        if box is not None:
            mod.bindings[sym] = box


def constant(name: str, value: Any, *modules: str) -> None:
    for module in modules or (GUILE,):
        define_value(module, name, value)


def lookup(module: str, name: str) -> Primitive:
    """The primitive a builtins file defined (for Python callers and tests)."""
    return _defined[(module, name)]
