"""`cut` and `cute` from SRFI-26: procedures from a call with holes.

(cut f <> x <...>) is (lambda (a . rest) (apply f a x rest)); `cute` evaluates the
non-hole operands once, when the procedure is made."""

from __future__ import annotations

from .compiler import base_symbol, compile_form, is_ident
from .datatypes import Pair, Symbol, from_list, gensym, to_list
from .errors import syntax_error
from .modules import existing_module
from .special_forms import CORE, special


def _expand(form: Pair, evaluate_once: bool):
    items = to_list(form.cdr)
    if not items:
        raise syntax_error(f"{base_symbol(form.car).name} needs a procedure", loc=form.loc)
    params, call_items, lets = [], [], []
    rest = None
    for k, item in enumerate(items):
        name = base_symbol(item).name if is_ident(item) else None
        if name == "<>":
            p = gensym(" slot")
            params.append(p)
            call_items.append(p)
        elif name == "<...>":
            if k != len(items) - 1:
                raise syntax_error("<...> must be the last operand of cut", loc=form.loc)
            rest = gensym(" rest")
        elif evaluate_once:
            t = gensym(" val")
            lets.append(from_list([t, item]))
            call_items.append(t)
        else:
            call_items.append(item)
    formals = from_list(params, rest if rest is not None else from_list([]))
    if rest is not None:
        apply_prim = existing_module(("guile",)).lookup(Symbol("apply")).value
        body = from_list([apply_prim] + call_items + [rest])
    else:
        body = from_list(call_items)
    lam = from_list([CORE["lambda"], formals, body])
    if lets:
        return from_list([CORE["let"], from_list(lets), lam])
    return lam


@special("cut", module="srfi srfi-26")
def _cut(form, scope, ctx, tail):
    """(cut PROC ARG-OR-<> ...): a procedure filling the <> holes with its arguments."""
    return compile_form(_expand(form, False), scope, ctx, tail, form.loc)


@special("cute", module="srfi srfi-26")
def _cute(form, scope, ctx, tail):
    """(cute PROC ARG-OR-<> ...): like cut, the other operands evaluated once."""
    return compile_form(_expand(form, True), scope, ctx, tail, form.loc)
