"""Call nodes: the node running `(f a b ...)` once its operator and operands are compiled.

Also the rule for where several values are cut to one.  The compiler makes a call with
`make_application`; dsl.fastpaths makes one when its inline code falls back.
"""

from __future__ import annotations

from typing import Any

from .datatypes import Location, Values
from .errors import SchemeError
from .procedures import Closure, Primitive, TailCall, annotate, call, single

Node = Any


def may_give_values(node: Node) -> bool:
    """Whether an argument node can hand back several values (a `Values`), which the call
    must cut to the first, as Guile does where one value is used.  Constants, lambdas and
    the inline arithmetic never do; calls and the forms around them may, and so may a
    variable (`define` and `let` store what their expression gave)."""
    return not (hasattr(node, "constant") or hasattr(node, "lambda_info")
                or getattr(node, "single", False))


def one_value(node, loc):
    """A node for an expression whose one value is used (a variable's value, a test, a
    case key): several values are cut to the first, as in Guile, and none is an error.
    Only a call can give several values, so any other node is returned as it is."""
    if not may_give_values(node):
        return node

    def first(env):
        v = node(env)
        return single(v, loc) if type(v) is Values else v
    first.single = True
    return first


# Call nodes for 0 to 3 arguments are generated from one template per (count, tail
# position, which arguments may give several values), so each is straight-line code:
# a check costs only where an argument can need it.
_ARG_NAMES = ("a", "b", "c")

# A stack overflow (RecursionError) passing a call site: the innermost one gives its
# location (dsl.api makes the error), and the number of sites passed is how deep the
# recursion was.  Inline, and attribute stores only: a handler this near the end of the
# stack cannot call a Python function.
_NOTE_OVERFLOW = ["            try:",
                  "                e.depth += 1",
                  "            except AttributeError:",
                  "                e.depth = 1",
                  "                e.loc = loc",
                  "            raise"]
_app_makers: dict = {}


def _app_source(n: int, tail: bool, checks: tuple) -> str:
    vs = _ARG_NAMES[:n]
    args = ", ".join(vs)
    bit = 1 << n
    out = ["def make(fnode, argnodes, arglocs, loc, fname):"]
    out += [f"    x{k} = argnodes[{k}]; l{k} = arglocs[{k}]" for k in range(n)]
    out.append("    def node(env):")
    out.append("        f = fnode(env)")
    for k, v in enumerate(vs):
        out.append(f"        {v} = x{k}(env)")
        if checks[k]:
            out.append(f"        if type({v}) is Values: {v} = single({v}, l{k})")
    if tail:
        out += [f"        if type(f) is Primitive and f.mask & {bit}:",
                "            try:",
                f"                return f.fn({args})",
                "            except SchemeError as e:",
                "                annotate(e, loc, fname)",
                "                raise",
                f"        return TailCall(f, [{args}], loc)"]
    else:
        out += ["        try:",
                "            if type(f) is Primitive:",
                f"                if f.mask & {bit}:",
                f"                    return f.fn({args})"]
        if n:
            out += [f"            elif type(f) is Closure and f.simple and f.nreq == {n} "
                    "and not f.nlocals:",
                    f"                r = f.body([f.env, {args}])",
                    "                return call(r.proc, r.args, r.loc) "
                    "if type(r) is TailCall else r"]
        out += [f"            return call(f, [{args}])",
                "        except SchemeError as e:",
                "            annotate(e, loc, fname)",
                "            raise",
                "        except RecursionError as e:"] + _NOTE_OVERFLOW
    out.append("    return node")
    return "\n".join(out) + "\n"


def _app_maker(n: int, tail: bool, checks: tuple):
    key = (n, tail, checks)
    make = _app_makers.get(key)
    if make is None:
        ns = {"Values": Values, "single": single, "Primitive": Primitive,
              "Closure": Closure, "TailCall": TailCall, "SchemeError": SchemeError,
              "annotate": annotate, "call": call}
        exec(_app_source(n, tail, checks), ns)
        make = _app_makers[key] = ns["make"]
    return make


def make_application(fnode: Node, argnodes: list, tail: bool, loc: Location | None,
                     fname: str | None, arglocs: list) -> Node:
    n = len(argnodes)
    checks = tuple(may_give_values(a) for a in argnodes)
    if n <= 3:
        return _app_maker(n, tail, checks)(fnode, argnodes, arglocs, loc, fname)
    bit = 1 << n if n < 8 else 0
    checked = [(k, arglocs[k]) for k in range(n) if checks[k]]

    def args_of(env):
        args = [a(env) for a in argnodes]
        for k, aloc in checked:
            if type(args[k]) is Values:
                args[k] = single(args[k], aloc)
        return args

    if tail:
        def tappn(env):
            f = fnode(env)
            args = args_of(env)
            if type(f) is Primitive and f.mask & bit:
                try:
                    return f.fn(*args)
                except SchemeError as e:
                    annotate(e, loc, fname)
                    raise
            return TailCall(f, args, loc)
        return tappn

    def appn(env):
        f = fnode(env)
        args = args_of(env)
        try:
            if type(f) is Primitive and f.mask & bit:
                return f.fn(*args)
            return call(f, args)
        except SchemeError as e:
            annotate(e, loc, fname)
            raise
        except RecursionError as e:      # see _NOTE_OVERFLOW
            try:
                e.depth += 1
            except AttributeError:
                e.depth = 1
                e.loc = loc
            raise
    return appn
