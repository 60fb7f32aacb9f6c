"""`the-environment` and `(ice-9 local-eval)`: evaluate an expression later, inside the
lexical environment where `(the-environment)` was written, as Guile does.

The captured environment is the compile-time scope with the runtime frame it describes.
`local-eval` compiles its expression in a new inner scope of that one (so definitions it
makes are its own and the captured frames keep their size) and runs it on a new frame
whose parent is the captured one."""

from __future__ import annotations

from .compiler import Ctx, Scope, compile_body, compile_form, constant, run_node
from .datatypes import NIL, Pair
from .errors import wrong_type
from .modules import Module, primitive
from .procedures import UNASSIGNED
from .special_forms import args_of, special


class LexicalEnvironment:
    __slots__ = ("scope", "frame", "module", "file")

    def __init__(self, scope: Scope | None, frame, module: Module, file: str | None):
        self.scope = scope
        self.frame = frame
        self.module = module
        self.file = file

    def scheme_repr(self, write: bool) -> str:
        return "#<lexical-environment>"


@special("the-environment")
def _the_environment(form, scope, ctx, tail):
    """(the-environment): the lexical environment here, for `local-eval`."""
    args_of(form, "the-environment", 0, 0)
    if scope is None:
        return constant(LexicalEnvironment(None, None, ctx.module, ctx.file))
    module, file = ctx.module, ctx.file

    def the_environment(env):
        return LexicalEnvironment(scope, env, module, file)
    return the_environment


def _local_eval(origin: str, expr, env):
    if isinstance(env, Module):
        env = LexicalEnvironment(None, None, env, None)
    if not isinstance(env, LexicalEnvironment):
        raise wrong_type(origin, 2, "lexical environment", env)
    ctx = Ctx(env.module, env.file)
    loc = getattr(expr, "loc", None)
    if env.scope is None:
        return run_node(compile_form(expr, None, ctx, False, loc))
    inner = Scope([], env.scope, env.module)
    node = compile_body(Pair(expr, NIL), inner, ctx, loc, "local-eval", tail=False)
    return run_node(node, [env.frame] + [UNASSIGNED] * len(inner.names))


@primitive("ice-9 local-eval", "local-eval")
def local_eval(expr, env):
    """(local-eval EXPR ENV): EXPR's value in ENV, an environment from (the-environment)."""
    return _local_eval("local-eval", expr, env)


@primitive("ice-9 local-eval", "local-compile")
def local_compile(expr, env, *options):
    """(local-compile EXPR ENV ...): as local-eval (vsys has one evaluator)."""
    return _local_eval("local-compile", expr, env)
