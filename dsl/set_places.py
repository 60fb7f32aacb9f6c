"""`(set! (HEAD ...) VALUE)` when HEAD is syntax rather than a procedure with a setter
(dsl.setters): Guile sets a module's variable through `@` and `@@`, and finds any other
keyword used as a value ("HEAD: bad syntax")."""

from __future__ import annotations

from typing import Any

from .compiler import compile_form, is_ident, name_of, resolve, syntax_value
from .datatypes import UNSPECIFIED
from .errors import error
from .modules import UNBOUND
from .special_forms import SpecialForm
from .syntax_violations import violation


def compile_syntax_place(target: Any, value: Any, scope: Any, ctx: Any) -> Any:
    """(set! (HEAD ...) VALUE) when HEAD is syntax, not a procedure: (@ M NAME) and
    (@@ M NAME) name a module's variable, which is set; any other keyword has no setter
    (Guile: "HEAD: bad syntax").  None when HEAD is not syntax."""
    if not is_ident(target.car):
        return None
    syn = syntax_value(resolve(target.car, scope, ctx.module))
    if syn is None:
        return None
    name = name_of(target.car)
    if type(syn) is not SpecialForm or name not in ("@", "@@"):
        raise violation("bad syntax", target.car, name, loc=target.loc, hints=[
            f"{name} is syntax, so (set! ({name} ...) VALUE) has no setter to call"])
    box = compile_form(target, scope, ctx, False, target.loc).box
    value_node = compile_form(value, scope, ctx, False, target.loc)
    loc = target.loc

    def set_module_variable(env):
        v = value_node(env)
        if box.value is UNBOUND:
            raise error(f"unbound variable: {name_of(target.cdr.cdr.car)}",
                        key="unbound-variable", loc=loc)
        box.value = v
        return UNSPECIFIED
    return set_module_variable
