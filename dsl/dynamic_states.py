"""Dynamic states: the values of every fluid at one moment, as `current-dynamic-state`
captures them, and `with-dynamic-state`, which runs a thunk with those values bound and
then puts back the ones it found (the state itself does not change, as in Guile)."""

from __future__ import annotations

from .control import rebinding
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
    cells = list(ALL_FLUIDS)
    values = [state.values.get(f, f.value) for f in cells]
    # the state's values are bindings of this extent: an abort inside leaves them and
    # its continuation brings them back, as with-fluids' bindings
    return rebinding(cells, values, lambda: call(thunk, []))
