"""Random states: `seed->random-state`, `copy-random-state`, `*random-state*`.
`random` draws from the state it is given, or else from the process's generator."""

from __future__ import annotations

import random as _random

from ..errors import wrong_type
from ..printer import write_string
from .define import builtin, constant


class RandomState:
    __slots__ = ("rng",)

    def __init__(self, rng: _random.Random):
        self.rng = rng

    def scheme_repr(self, write: bool) -> str:
        return f"#<random-state {id(self):x}>"


@builtin("seed->random-state")
def seed_to_random_state(seed):
    if type(seed) not in (int, float, str) and type(seed).__name__ != "MString":
        raise wrong_type("seed->random-state", 1, "number or string", seed)
    return RandomState(_random.Random(write_string(seed)))


@builtin("copy-random-state")
def copy_random_state(state=None):
    source = state.rng if type(state) is RandomState else _random
    rng = _random.Random()
    rng.setstate(source.getstate())
    return RandomState(rng)


@builtin("random-state-from-platform")
def random_state_from_platform():
    return RandomState(_random.Random())


constant("*random-state*", RandomState(_random.Random()))
