"""Guile's guardians and `gc`.

A guardian keeps the objects given to it; asked, it hands back one that nothing else
refers to any more (so that the program can finalize it) or #f.  vsys's objects are
freed by reference counting, so "nothing else refers to it" is read from the reference
count at that moment; an object kept only by a reference cycle through others is not
seen as unreferenced."""

from __future__ import annotations

import gc
import sys
from typing import Any

from .datatypes import UNSPECIFIED
from .errors import error
from .modules import primitive
from .procedures import make_primitive

# The references an object kept only by a guardian has while it is examined: the
# guardian's list, the variable it is examined in and getrefcount's own argument.
_ONLY_GUARDED = 3


def _free(objects: list) -> Any:
    for k in range(len(objects)):
        obj = objects[k]
        if sys.getrefcount(obj) <= _ONLY_GUARDED:
            del objects[k]
            return obj
    return False


@primitive("guile", "make-guardian")
def make_guardian():
    """(make-guardian): a guardian G; (G OBJ) guards OBJ, (G) gives back a guarded object
    nothing else refers to, or #f."""
    objects: list = []

    def guardian(*args):
        if not args:
            return _free(objects)
        if len(args) > 1:
            raise error("a guardian takes one object to guard, or none to get one back",
                        key="wrong-number-of-args", origin="guardian")
        objects.append(args[0])
        return UNSPECIFIED
    return make_primitive("guardian", guardian)


@primitive("guile", "gc")
def gc_():
    """(gc): collect garbage now (reference cycles; the rest is freed as it goes)."""
    gc.collect()
    return UNSPECIFIED
