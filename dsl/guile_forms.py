"""Guile forms that configs use beyond the core syntax: `false-if-exception`,
`defined?` and SRFI-2's `and-let*`."""

from __future__ import annotations

from .calls import one_value
from .compiler import (
    Macro,
    Scope,
    base_symbol,
    compile_form,
    constant,
    is_ident,
    name_of,
    run_node,
    strip,
)
from .control import (
    Continuation,
    ContinuationInvoked,
    _default_prompt_handler,
    call_with_prompt,
    catch,
    current_module,
    default_prompt_tag,
    reset_star,
    shift_star,
)
from .datatypes import NIL, UNSPECIFIED, Pair, Symbol, Values, from_list, to_list
from .errors import syntax_error, wrong_type
from .forms import compile_body_expr
from .modules import UNBOUND, Module, existing_module, primitive
from .printer import write_string
from .procedures import call, make_primitive
from .special_forms import CORE, args_of, special
from .syntax_violations import malformed, violation


@special("false-if-exception")
def _false_if_exception(form, scope, ctx, tail):
    """(false-if-exception EXPR): EXPR's value, or #f when evaluating it raises."""
    expr, = args_of(form, "false-if-exception", 1, 1)
    node = compile_form(expr, scope, ctx, False, form.loc)
    on_error = make_primitive("false-if-exception", lambda *args: False)

    def false_if_exception(env):
        return catch(True, make_primitive("false-if-exception", lambda: node(env)), on_error)
    return false_if_exception


@primitive("guile", "defined?")
def defined_p(sym, module=None):
    """(defined? 'NAME [MODULE]): whether NAME is bound in MODULE (default: the current
    module)."""
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
        raise violation("Bad clause", form, "and-let*", clause, hints=[
            f"a clause is (VAR EXPR), (EXPR) or VAR, not {write_string(strip(clause))}"])
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
    ops = args_of(form, "while", 1)
    inner = Scope([Symbol("break"), Symbol("continue")], scope, ctx.module)
    test = one_value(compile_form(ops[0], inner, ctx, False, form.loc), form.loc)
    body = compile_body_expr(form.cdr.cdr, inner, ctx, False, form.loc)

    def while_node(env):
        out = Continuation()
        # (continue) takes no argument, as in Guile: (continue 1) is an error, not a
        # jump that would start the same round again forever.
        current = [None]
        again_proc = make_primitive("continue", lambda *extra: _continue(current[0], extra))
        try:
            while True:
                again = current[0] = Continuation()
                frame = [env, out, again_proc]
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
            # (break) without values makes the loop's value #t, as in Guile
            v = ci.value
            return True if type(v) is Values and not v.items else v
        finally:
            out.active = False
    return while_node


def _continue(again, extra: tuple):
    if extra:
        raise violation("too many arguments", from_list([Symbol("continue"), *extra]),
                        "continue", hints=["(continue) takes no argument: it starts the "
                                           "next round of the loop"])
    return call(again, [])


# --- define-macro, defmacro ------------------------------------------------------------

def _procedure_macro(name: str, proc_form, ctx, loc):
    """A Macro whose transformer is an ordinary procedure, called on the operands of the
    use as plain data (Guile's non-hygienic macros): evaluated now, in the module."""
    proc = run_node(compile_form(proc_form, None, ctx, False, loc))

    def expand(form, scope, ctx):
        return call(proc, to_list(strip(form.cdr)))
    return Macro(name, expand)


def _define_procedure_macro(what: str, name, proc_form, form, scope, ctx):
    if scope is not None:
        raise syntax_error(f"{what} is only allowed at the top level", loc=form.loc)
    if not is_ident(name):
        raise malformed(form, what, ["the name of the macro must be an identifier"])
    ctx.module.define(base_symbol(name),
                      _procedure_macro(name_of(name), proc_form, ctx, form.loc))
    return constant(UNSPECIFIED)


@special("define-macro")
def _define_macro(form, scope, ctx, tail):
    """(define-macro (NAME . ARGS) BODY ...) or (define-macro NAME TRANSFORMER): a macro
    whose transformer receives the operands unevaluated and returns the expansion."""
    ops = args_of(form, "define-macro", 2)
    head = ops[0]
    if type(head) is Pair:
        lam = Pair(Symbol("lambda"), Pair(head.cdr, form.cdr.cdr), form.loc)
        return _define_procedure_macro("define-macro", head.car, lam, form, scope, ctx)
    if len(ops) != 2:
        raise malformed(form, "define-macro", ["write (define-macro (NAME . ARGS) BODY ...)"])
    return _define_procedure_macro("define-macro", head, ops[1], form, scope, ctx)


@special("defmacro")
def _defmacro(form, scope, ctx, tail):
    """(defmacro NAME ARGS BODY ...): define-macro's older spelling."""
    ops = args_of(form, "defmacro", 3)
    lam = Pair(Symbol("lambda"), Pair(ops[1], form.cdr.cdr.cdr), form.loc)
    return _define_procedure_macro("defmacro", ops[0], lam, form, scope, ctx)


# --- let/ec ----------------------------------------------------------------------------

@special("let/ec", module="ice-9 control")
def _let_ec(form, scope, ctx, tail):
    """(let/ec K BODY ...): BODY with K bound to an escape continuation."""
    ops = args_of(form, "let/ec", 2)
    if not is_ident(ops[0]):
        raise syntax_error("bad let/ec: the first operand is the continuation's name",
                           loc=form.loc)
    lam = from_list([Symbol("lambda"), from_list([ops[0]])] + to_list(form.cdr.cdr))
    call_ec = existing_module_value("guile", "call/ec")
    return compile_form(from_list([call_ec, lam]), scope, ctx, tail, form.loc)


def existing_module_value(module: str, name: str):
    return existing_module((module,)).lookup(Symbol(name)).value


@special("%", module="ice-9 control")
def _percent(form, scope, ctx, tail):
    """(% EXPR [HANDLER]) or (% TAG EXPR HANDLER): EXPR under a prompt (the default
    prompt tag unless TAG), aborts to it going to HANDLER."""
    ops = args_of(form, "%", 1, 3)
    cwp = make_primitive("call-with-prompt", call_with_prompt)
    tag = ops[0] if len(ops) == 3 else from_list([make_primitive(
        "default-prompt-tag", default_prompt_tag)])
    expr = ops[1] if len(ops) == 3 else ops[0]
    handler = ops[-1] if len(ops) >= 2 else make_primitive(
        "default-prompt-handler", _default_prompt_handler)
    thunk = from_list([Symbol("lambda"), NIL, expr])
    return compile_form(from_list([cwp, tag, thunk, handler]), scope, ctx, tail, form.loc)


@special("reset", module="ice-9 control")
def _reset(form, scope, ctx, tail):
    """(reset BODY ...): BODY under the default prompt, for `shift`."""
    args_of(form, "reset", 1)
    thunk = Pair(Symbol("lambda"), Pair(NIL, form.cdr), form.loc)
    return compile_form(from_list([make_primitive("reset*", reset_star), thunk]), scope, ctx,
                        tail, form.loc)


@special("shift", module="ice-9 control")
def _shift(form, scope, ctx, tail):
    """(shift K BODY ...): BODY with K bound to the continuation up to the enclosing
    `reset`, whose value BODY's becomes."""
    ops = args_of(form, "shift", 2)
    if not is_ident(ops[0]):
        raise syntax_error("bad shift: the first operand is the continuation's name",
                           loc=form.loc)
    proc = Pair(Symbol("lambda"), Pair(from_list([ops[0]]), form.cdr.cdr), form.loc)
    return compile_form(from_list([make_primitive("shift*", shift_star), proc]), scope, ctx,
                        tail, form.loc)
