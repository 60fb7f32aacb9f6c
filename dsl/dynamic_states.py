"""Dynamic states: the values of every fluid at one moment, as `current-dynamic-state`
captures them, and `with-dynamic-state`, which runs a thunk with those values in force
and then puts back the ones it found (the state itself does not change, as in Guile)."""

from __future__ import annotations

from .errors import wrong_type
from .fluids import ALL_FLUIDS
from .modules import primitive
from .procedures import call


class DynamicState:
    __slots__ = ("values",)

    def __init__(self, values: dict):
        self.values = values      # fluid -> value

    def scheme_repr(self, write: bool) -> str:
        return f"#<dynamic-state {id(self) & 0xffffff:x}>"


def _snapshot() -> dict:
    return {f: f.value for f in list(ALL_FLUIDS)}


@primitive("guile", "current-dynamic-state")
def current_dynamic_state():
    return DynamicState(_snapshot())


@primitive("guile", "dynamic-state?")
def dynamic_state_p(x):
    return type(x) is DynamicState


@primitive("guile", "with-dynamic-state")
def with_dynamic_state(state, thunk):
    """(with-dynamic-state STATE THUNK): THUNK's values, run with STATE's fluid values;
    a fluid made after STATE keeps its value."""
    if type(state) is not DynamicState:
        raise wrong_type("with-dynamic-state", 1, "dynamic state", state)
    outside = _snapshot()
    for f, v in state.values.items():
        f.value = v
    try:
        return call(thunk, [])
    finally:
        for f, v in outside.items():
            f.value = v
