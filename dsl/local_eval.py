"""`the-environment` and `(ice-9 local-eval)`: evaluate an expression later, inside the
lexical environment where `(the-environment)` was written, as Guile does.

The captured environment is the compile-time scope with the runtime frame it describes.
`local-eval` compiles its expression in a new inner scope of that one (so definitions it
makes are its own and the captured frames keep their size) and runs it on a new frame
whose parent is the captured one."""

from __future__ import annotations

from .compiler import Alias, Ctx, Scope, base_symbol, compile_body, compile_form, constant, run_node
from .datatypes import NIL, Pair, Symbol
from .errors import wrong_type
from .modules import Module, primitive
from .procedures import UNASSIGNED
from .special_forms import args_of, special


class LexicalEnvironment:
    __slots__ = ("scope", "frame", "module", "file", "renames")

    def __init__(self, scope: Scope | None, frame, module: Module, file: str | None,
                 renames: dict | None = None):
        self.scope = scope
        self.frame = frame
        self.module = module
        self.file = file
        # When a macro wrote (the-environment): the names its expansion bound, as the
        # expansion's own identifiers, so an expression evaluated there sees them.
        self.renames = renames

    def scheme_repr(self, write: bool) -> str:
        return "#<lexical-environment>"


@special("the-environment")
def _the_environment(form, scope, ctx, tail):
    """(the-environment): the lexical environment here, for `local-eval`."""
    args_of(form, "the-environment", 0, 0)
    module, file = ctx.module, ctx.file
    renames = None
    if type(form.car) is Alias:
        # Written by a macro: the environment is the macro's, as in Guile, so names
        # are those of the macro's module and the bindings its expansion made.
        module, renames = _macro_view(form.car, scope)
    if scope is None:
        return constant(LexicalEnvironment(None, None, module, file, renames))
    s = scope
    while s is not None:       # every variable in sight may be read through it
        s.captured = True
        s = s.parent

    def the_environment(env):
        return LexicalEnvironment(scope, env, module, file, renames)
    return the_environment


def _macro_view(head: Alias, scope: Scope | None) -> tuple[Module, dict]:
    alias = head
    while type(alias.name) is Alias:
        alias = alias.name
    module = alias.module
    renames: dict = {}
    s = scope
    while s is not None:
        for ident in list(s.slots) + list(s.macros):
            if type(ident) is Alias and ident.module is module:
                renames.setdefault(base_symbol(ident), ident)
        s = s.parent
    return module, renames


def _renamed(x, renames: dict):
    """EXPR with the names a macro's expansion bound replaced by its identifiers."""
    t = type(x)
    if t is Symbol:
        return renames.get(x, x)
    if t is Pair:
        return Pair(_renamed(x.car, renames), _renamed(x.cdr, renames), x.loc)
    return x


def _local_eval(origin: str, expr, env):
    if isinstance(env, Module):
        env = LexicalEnvironment(None, None, env, None)
    if not isinstance(env, LexicalEnvironment):
        raise wrong_type(origin, 2, "lexical environment", env)
    ctx = Ctx(env.module, env.file)
    loc = getattr(expr, "loc", None)
    if env.renames:
        expr = _renamed(expr, env.renames)
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
