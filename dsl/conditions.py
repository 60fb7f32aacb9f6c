"""What an exception is made of: typed components (`&message`, `&irritants`, `&origin`,
`&error`...), and how an exception is written.

Errors signalled by the system carry Guile's `(key . args)`; their components are
derived from those arguments (see `components`).  The procedures and forms over
exceptions are in dsl.exceptions.
"""

from __future__ import annotations

from typing import Any

from .datatypes import from_list, is_string
from .equality import equal
from .printer import write_string


class ExnType:
    """A simple exception type, like &message, with its parent and field names."""

    __slots__ = ("name", "parent", "fields")

    def __init__(self, name: str, parent: "ExnType | None", fields: tuple = ()):
        self.name = name
        self.parent = parent
        self.fields = fields

    def is_a(self, other: "ExnType") -> bool:
        t: ExnType | None = self
        while t is not None:
            if t is other:
                return True
            t = t.parent
        return False

    def scheme_repr(self, write: bool) -> str:
        return f"#<exception-type {self.name}>"


EXCEPTION = ExnType("&exception", None)
SERIOUS = ExnType("&serious", EXCEPTION)
ERROR = ExnType("&error", SERIOUS)
MESSAGE = ExnType("&message", EXCEPTION, ("message",))
IRRITANTS = ExnType("&irritants", EXCEPTION, ("irritants",))
ORIGIN = ExnType("&origin", EXCEPTION, ("origin",))
KIND_ARGS = ExnType("&exception-with-kind-and-args", EXCEPTION, ("kind", "args"))
WARNING = ExnType("&warning", EXCEPTION)
EXTERNAL = ExnType("&external-error", ERROR)
PROGRAMMING = ExnType("&programming-error", ERROR)
NON_CONTINUABLE = ExnType("&non-continuable", PROGRAMMING)
TYPES = {t.name: t for t in (EXCEPTION, SERIOUS, ERROR, MESSAGE, IRRITANTS, ORIGIN, KIND_ARGS,
                             NON_CONTINUABLE, WARNING, EXTERNAL, PROGRAMMING)}

Component = tuple  # (ExnType, tuple of field values)


def components(c: Any) -> list[Component]:
    """The components of a Condition (see dsl.errors)."""
    if c.parts is not None:
        return c.parts
    args = c.catch_args()
    comps: list[Component] = []
    if len(args) == 4 and (args[0] is False or is_string(args[0])) and is_string(args[1]):
        comps = [(ERROR, ()), (ORIGIN, (args[0],)), (MESSAGE, (args[1],)),
                 (IRRITANTS, (args[2],))]
    comps.append((KIND_ARGS, (c.key, from_list(list(args)))))
    return comps


def conditions_equal(a: Any, b: Any) -> bool:
    """equal? of two conditions a program built: the same types, with equal values, in
    the same order (one made by the system is equal only to itself)."""
    if a is b:
        return True
    if a.parts is None or b.parts is None or len(a.parts) != len(b.parts):
        return False
    return all(ta is tb and len(va) == len(vb) and all(equal(x, y) for x, y in zip(va, vb))
               for (ta, va), (tb, vb) in zip(a.parts, b.parts))


def component_repr(comp: Component) -> str:
    t, values = comp
    fields = " ".join(f"{f}: {write_string(v)}" for f, v in zip(t.fields, values))
    return f"#<{t.name}{' ' + fields if fields else ''}>"


def condition_repr(c: Any) -> str:
    comps = components(c)
    if len(comps) == 1:
        return component_repr(comps[0])
    return ("#<&compound-exception components: ("
            + " ".join(component_repr(x) for x in comps) + ")>")
