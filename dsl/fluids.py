"""Guile's fluids: variables whose value is bound for the dynamic extent of a
`with-fluids`, as parameters are (vsys has one thread, so a fluid is a cell whose value
is saved and restored around the extent)."""

from __future__ import annotations

import weakref
from typing import Any

from .control import rebinding
from .datatypes import UNSPECIFIED, to_list
from .errors import error, wrong_type
from .forms import dynamic_binding
from .modules import define_value, primitive
from .procedures import call
from .special_forms import special

_UNBOUND = object()

# Every fluid alive, so that a dynamic state can record and restore all their values.
ALL_FLUIDS: "weakref.WeakSet[Fluid]" = weakref.WeakSet()


class Fluid:
    __slots__ = ("value", "__weakref__")

    def __init__(self, value: Any):
        self.value = value
        ALL_FLUIDS.add(self)

    def scheme_repr(self, write: bool) -> str:
        return f"#<fluid {id(self) & 0xffffff:x}>"


def _need(who: str, f: Any, pos: int = 1) -> Fluid:
    if type(f) is not Fluid:
        raise wrong_type(who, pos, "fluid", f)
    return f


@primitive("guile", "make-fluid")
def make_fluid(default=False):
    return Fluid(default)


@primitive("guile", "make-unbound-fluid")
def make_unbound_fluid():
    return Fluid(_UNBOUND)


primitive("guile", "make-thread-local-fluid")(make_fluid)


# Guile's default port encoding; vsys's ports are always UTF-8, which it stays.
define_value("guile", "%default-port-encoding", Fluid("UTF-8"))


@primitive("guile", "fluid?")
def fluid_p(x):
    return type(x) is Fluid


@primitive("guile", "fluid-ref")
def fluid_ref(f):
    v = _need("fluid-ref", f).value
    if v is _UNBOUND:
        raise error(f"Unbound variable: {f.scheme_repr(True)}", key="unbound-variable",
                    origin="fluid-ref")
    return v


@primitive("guile", "fluid-ref*")
def fluid_ref_star(f, depth):
    return fluid_ref(f)


@primitive("guile", "fluid-set!")
def fluid_set(f, v):
    _need("fluid-set!", f).value = v
    return UNSPECIFIED


@primitive("guile", "fluid-unset!")
def fluid_unset(f):
    _need("fluid-unset!", f).value = _UNBOUND
    return UNSPECIFIED


@primitive("guile", "fluid-bound?")
def fluid_bound_p(f):
    return _need("fluid-bound?", f).value is not _UNBOUND


def with_fluids(fluids: list, values: list, body) -> Any:
    """Run `body()` with each fluid bound to its value, restored when it is left."""
    for k, f in enumerate(fluids):
        _need("with-fluids", f, k + 1)
    return rebinding(fluids, values, body)


@primitive("guile", "with-fluid*")
def with_fluid_star(f, v, thunk):
    return with_fluids([f], [v], lambda: call(thunk, []))


@primitive("guile", "with-fluids*")
def with_fluids_star(fluids, values, thunk):
    return with_fluids(to_list(fluids), to_list(values), lambda: call(thunk, []))


@special("with-fluids")
def _with_fluids(form, scope, ctx, tail):
    """(with-fluids ((FLUID VALUE) ...) BODY ...)"""
    return dynamic_binding(form, "with-fluids", scope, ctx, with_fluids,
                           "(with-fluids ((FLUID VALUE) ...) BODY ...)")
