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

from .calls import make_application, may_give_values, one_value
from .datatypes import NIL, Pair, Values
from .equality import eq
from .errors import SchemeError
from .procedures import Primitive, annotate, call, single

# name -> Python expression over a, b (ints only)
_BINARY_INT = {
    "+": "a + b", "-": "a - b", "*": "a * b",
    "<": "a < b", ">": "a > b", "<=": "a <= b", ">=": "a >= b", "=": "a == b",
}

_COMPARISONS = {"a < b", "a > b", "a <= b", "a >= b", "a == b"}

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

# Unary operations whose inline form accepts any value (so a `Values` from an argument
# must be cut to its first value first); the others miss on it and take the slow path.
_ANY_OPERAND = {"null?", "pair?", "not"}


def _factory(kind: str, expr: str, shape: str, check: bool = False):
    """`check`: the operands may be several values, to cut to the first before `expr`
    sees them.  Operations that only accept ints or pairs need no check: anything else
    goes to `slow`, which cuts them."""
    key = (kind, expr, shape, check)
    f = _templates.get(key)
    if f is not None:
        return f
    cut_a = "            if type(a) is Values: a = single(a, la)\n" if check else ""
    cut_b = "            if type(b) is Values: b = single(b, lb)\n" if check else ""
    if kind == "int2":
        fa, fb = _OPERANDS[shape]
        # comparisons also inline for reals: Python compares an int and a float exactly,
        # and false with a NaN, as Scheme does
        real = (f"            ta = type(a)\n"
                f"            tb = type(b)\n"
                f"            if (ta is float or ta is int) and (tb is float or tb is int):\n"
                f"                return {expr}\n") if expr in _COMPARISONS else ""
        src = (f"def make(box, prim, generic, slow, x, y, i, j, c, la, lb):\n"
               f"    def node(env):\n"
               f"        if box.value is prim:\n"
               f"            a = {fa}\n"
               f"            b = {fb}\n"
               f"            if type(a) is int and type(b) is int:\n"
               f"                return {expr}\n"
               f"{real}"
               f"            return slow(a, b)\n"
               f"        return generic(env)\n"
               f"    return node\n")
    elif kind == "any2":
        src = (f"def make(box, prim, generic, slow, x, y, i, j, c, la, lb):\n"
               f"    def node(env):\n"
               f"        if box.value is prim:\n"
               f"            a = x(env)\n"
               f"{cut_a}"
               f"            b = y(env)\n"
               f"{cut_b}"
               f"            return {expr}\n"
               f"        return generic(env)\n"
               f"    return node\n")
    else:  # unary
        fetch = "env[i]" if shape == "l" else "x(env)"
        src = (f"def make(box, prim, generic, slow, x, y, i, j, c, la, lb):\n"
               f"    def node(env):\n"
               f"        if box.value is prim:\n"
               f"            a = {fetch}\n"
               f"{cut_a}"
               f"            r = {expr}\n"
               f"            if r is not MISS:\n"
               f"                return r\n"
               f"            return slow(a)\n"
               f"        return generic(env)\n"
               f"    return node\n")
    ns = {"Pair": Pair, "NIL": NIL, "MISS": MISS, "eq": eq, "Values": Values,
          "single": single}
    exec(src, ns)
    f = ns["make"]
    _templates[key] = f
    return f


def _local0(node) -> int | None:
    loc = getattr(node, "local", None)
    if loc is not None and loc[0] == 0 and node.__name__ == "ref0":
        return loc[1]
    return None


def _slow_path(prim: Primitive, arglocs: list, loc, fname):
    """The operation on operands already evaluated that the inline code does not handle
    (not fixnums, several values...): the primitive itself, so errors are its own."""

    def slow(*args):
        args = [single(a, aloc) for a, aloc in zip(args, arglocs)]
        try:
            return call(prim, args)
        except SchemeError as e:
            annotate(e, loc, fname)
            raise
    return slow


def _generic(fnode, argnodes, arglocs, tail, loc, fname):
    """The whole call, for when the name no longer holds the primitive.  Outside tail
    position its value is cut to one, so the fast node is single-valued either way."""
    node = make_application(fnode, argnodes, tail, loc, fname, arglocs)
    return node if tail else one_value(node, loc)


def specialize(fnode, argnodes: list, arglocs: list, tail: bool, loc, fname) -> Any:
    box = getattr(fnode, "box", None)
    if box is None:
        return None
    prim = box.value
    if type(prim) is not Primitive:
        return None
    name = prim.name
    n = len(argnodes)
    if n == 2 and (name in _BINARY_INT or name in _ANY_BINARY):
        generic = _generic(fnode, argnodes, arglocs, tail, loc, fname)
        slow = _slow_path(prim, arglocs, loc, fname)
        la, lb = arglocs
        x, y = argnodes
        if name in _ANY_BINARY:
            check = may_give_values(x) or may_give_values(y)
            node = _factory("any2", _ANY_BINARY[name], "xx", check)(
                box, prim, generic, slow, x, y, 0, 0, None, la, lb)
        else:
            c = getattr(y, "constant", None)
            i = _local0(x)
            j = _local0(y)
            if type(c) is not int and i is not None and j is not None:
                node = _factory("int2", _BINARY_INT[name], "ll")(
                    box, prim, generic, slow, x, y, i, j, None, la, lb)
            else:
                shape = ("lc" if i is not None else "xc") if type(c) is int else "xx"
                node = _factory("int2", _BINARY_INT[name], shape)(
                    box, prim, generic, slow, x, y, i or 0, 0, c, la, lb)
    elif n == 1 and name in _UNARY:
        generic = _generic(fnode, argnodes, arglocs, tail, loc, fname)
        slow = _slow_path(prim, arglocs, loc, fname)
        x = argnodes[0]
        i = _local0(x)
        shape = "l" if i is not None else "x"
        check = name in _ANY_OPERAND and may_give_values(x)
        node = _factory("un", _UNARY[name], shape, check)(
            box, prim, generic, slow, x, None, i or 0, 0, None, arglocs[0], None)
    else:
        return None
    node.single = True
    return node
