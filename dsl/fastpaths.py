"""Inline code for the hottest primitive calls.

`(< n 2)` compiled generically costs five Python calls (the call node, the global
reference, the argument nodes, the primitive).  When the operator is a global that holds
a known primitive at compile time, we emit one node doing the operation inline for
exact integers, *guarded* by `box.value is prim`: if the program redefines `<`, or the
operands are not fixnum-like, the node falls back to the generic call, so semantics and
error messages are unchanged.

The node factories are generated from small templates, one per (operation, operand
shape), because Python closures can't be specialised any other way without a call per
operand.
"""

from __future__ import annotations

from typing import Any

from .datatypes import NIL, Pair
from .equality import eq
from .procedures import Primitive

# name -> Python expression over a, b (ints only)
_BINARY_INT = {
    "+": "a + b", "-": "a - b", "*": "a * b",
    "<": "a < b", ">": "a > b", "<=": "a <= b", ">=": "a >= b", "=": "a == b",
}

# name -> Python expression over a (any value); None result means "use the generic call"
_UNARY = {
    "car": "a.car if type(a) is Pair else MISS",
    "cdr": "a.cdr if type(a) is Pair else MISS",
    "null?": "a is NIL",
    "pair?": "type(a) is Pair",
    "not": "a is False",
    "1+": "a + 1 if type(a) is int else MISS",
    "1-": "a - 1 if type(a) is int else MISS",
    "zero?": "a == 0 if type(a) is int else MISS",
    "cadr": "a.cdr.car if type(a) is Pair and type(a.cdr) is Pair else MISS",
}

_ANY_BINARY = {
    "eq?": "eq(a, b)",
    "cons": "Pair(a, b)",
}

MISS = object()

_OPERANDS = {
    # shape -> (how to fetch a, how to fetch b); l: local depth 0 index i, c: constant
    "lc": ("env[i]", "c"),
    "ll": ("env[i]", "env[j]"),
    "xc": ("x(env)", "c"),
    "xx": ("x(env)", "y(env)"),
}

_templates: dict = {}


def _factory(kind: str, expr: str, shape: str):
    key = (kind, expr, shape)
    f = _templates.get(key)
    if f is not None:
        return f
    if kind == "int2":
        fa, fb = _OPERANDS[shape]
        src = (f"def make(box, prim, generic, x, y, i, j, c):\n"
               f"    def node(env):\n"
               f"        if box.value is prim:\n"
               f"            a = {fa}\n"
               f"            b = {fb}\n"
               f"            if type(a) is int and type(b) is int:\n"
               f"                return {expr}\n"
               f"        return generic(env)\n"
               f"    return node\n")
    elif kind == "any2":
        src = (f"def make(box, prim, generic, x, y, i, j, c):\n"
               f"    def node(env):\n"
               f"        if box.value is prim:\n"
               f"            a = x(env)\n"
               f"            b = y(env)\n"
               f"            return {expr}\n"
               f"        return generic(env)\n"
               f"    return node\n")
    else:  # unary
        fetch = "env[i]" if shape == "l" else "x(env)"
        src = (f"def make(box, prim, generic, x, y, i, j, c):\n"
               f"    def node(env):\n"
               f"        if box.value is prim:\n"
               f"            a = {fetch}\n"
               f"            r = {expr}\n"
               f"            if r is not MISS:\n"
               f"                return r\n"
               f"        return generic(env)\n"
               f"    return node\n")
    ns = {"Pair": Pair, "NIL": NIL, "MISS": MISS, "eq": eq}
    exec(src, ns)
    f = ns["make"]
    _templates[key] = f
    return f


def _local0(node) -> int | None:
    loc = getattr(node, "local", None)
    if loc is not None and loc[0] == 0 and node.__name__ == "ref0":
        return loc[1]
    return None


def specialize(fnode, argnodes: list, tail: bool, loc, fname) -> Any:
    box = getattr(fnode, "box", None)
    if box is None:
        return None
    prim = box.value
    if type(prim) is not Primitive:
        return None
    name = prim.name
    n = len(argnodes)
    if n == 2 and (name in _BINARY_INT or name in _ANY_BINARY):
        from .compiler import make_application
        generic = make_application(fnode, argnodes, tail, loc, fname)
        x, y = argnodes
        if name in _ANY_BINARY:
            return _factory("any2", _ANY_BINARY[name], "xx")(box, prim, generic, x, y, 0, 0, None)
        c = getattr(y, "constant", None)
        i = _local0(x)
        if type(c) is int:
            shape = "lc" if i is not None else "xc"
        else:
            j = _local0(y)
            if i is not None and j is not None:
                return _factory("int2", _BINARY_INT[name], "ll")(box, prim, generic, x, y, i, j,
                                                                 None)
            shape = "xx"
        return _factory("int2", _BINARY_INT[name], shape)(box, prim, generic, x, y,
                                                          i or 0, 0, c)
    if n == 1 and name in _UNARY:
        from .compiler import make_application
        generic = make_application(fnode, argnodes, tail, loc, fname)
        x = argnodes[0]
        i = _local0(x)
        shape = "l" if i is not None else "x"
        return _factory("un", _UNARY[name], shape)(box, prim, generic, x, None, i or 0, 0, None)
    return None
