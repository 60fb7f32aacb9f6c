"""Guile forms that configs use beyond the core syntax: `false-if-exception`,
`defined?` and SRFI-2's `and-let*`."""

from __future__ import annotations

from .compiler import compile_form, is_ident, base_symbol, name_of
from .datatypes import NIL, Pair, Symbol, from_list, to_list
from .errors import syntax_error, wrong_type
from .forms import CORE, args_of, special
from .modules import UNBOUND, Module, primitive
from .procedures import make_primitive


@special("false-if-exception")
def _false_if_exception(form, scope, ctx, tail):
    """(false-if-exception EXPR): EXPR's value, or #f when evaluating it raises."""
    expr, = args_of(form, "false-if-exception", 1, 1)
    node = compile_form(expr, scope, ctx, False, form.loc)
    from .control import catch
    on_error = make_primitive("false-if-exception", lambda *args: False)

    def false_if_exception(env):
        return catch(True, make_primitive("false-if-exception", lambda: node(env)), on_error)
    return false_if_exception


@primitive("guile", "defined?")
def defined_p(sym, module=None):
    """(defined? 'NAME [MODULE]): whether NAME is bound in MODULE (default: the current
    module)."""
    from .control import current_module
    if not is_ident(sym):
        raise wrong_type("defined?", 1, "symbol", sym)
    if module is None:
        module = current_module[0]
    if not isinstance(module, Module):
        raise wrong_type("defined?", 2, "module", module)
    box = module.lookup(base_symbol(sym))
    return box is not None and box.value is not UNBOUND


# --- SRFI-2 ----------------------------------------------------------------------------------

@special("and-let*", module="srfi srfi-2")
def _and_let(form, scope, ctx, tail):
    """(and-let* (CLAUSE ...) BODY ...): each CLAUSE, (VAR EXPR), (EXPR) or VAR, must be
    true for the next to run; the value is BODY's, or the last clause's without BODY."""
    ops = args_of(form, "and-let*", 1)
    clauses = to_list(ops[0]) if ops[0] is not NIL else []
    body = ops[1:]
    return compile_form(_expand(clauses, body, form), scope, ctx, tail, form.loc)


def _expand(clauses: list, body: list, form: Pair):
    if not clauses:
        if body:
            return Pair(CORE["let"], Pair(NIL, from_list(body)), form.loc)
        return True
    clause, rest = clauses[0], clauses[1:]
    if is_ident(clause):
        test, bind = clause, None
    elif type(clause) is Pair and clause.cdr is NIL:
        test, bind = clause.car, None
    elif (type(clause) is Pair and is_ident(clause.car) and type(clause.cdr) is Pair
          and clause.cdr.cdr is NIL):
        test, bind = clause.car, clause
    else:
        raise syntax_error(f"bad and-let* clause {name_of(clause) if is_ident(clause) else ''}"
                           .rstrip(), loc=form.loc,
                           hints=["a clause is (VAR EXPR), (EXPR) or VAR"])
    if not rest and not body:
        inner = test
    else:
        inner = from_list([CORE["if"], test, _expand(rest, body, form), False])
    if bind is None:
        return inner
    return from_list([CORE["let"], from_list([bind]), inner])


# --- while ------------------------------------------------------------------------------------

@special("while")
def _while(form, scope, ctx, tail):
    """(while TEST BODY ...): run BODY while TEST is true.  Inside, (break VALUE ...)
    leaves the loop with those values and (continue) starts the next round.  Without a
    break the value is #f."""
    from .compiler import Scope
    from .forms import compile_body_expr, one_value
    ops = args_of(form, "while", 1)
    inner = Scope([Symbol("break"), Symbol("continue")], scope, ctx.module)
    test = one_value(compile_form(ops[0], inner, ctx, False, form.loc), form.loc)
    body = compile_body_expr(form.cdr.cdr, inner, ctx, False, form.loc)

    def while_node(env):
        from .control import Continuation, ContinuationInvoked, _winders
        out = Continuation(len(_winders))
        try:
            while True:
                again = Continuation(len(_winders))
                frame = [env, out, again]
                try:
                    if test(frame) is False:
                        return False
                    body(frame)
                except ContinuationInvoked as ci:
                    if ci.k is not again:
                        raise
                finally:
                    again.active = False
        except ContinuationInvoked as ci:
            if ci.k is not out:
                raise
            return ci.value
        finally:
            out.active = False
    return while_node
