"""`case-lambda*`: a procedure of several `lambda*` clauses; a call runs the first clause
whose parameters accept its arguments (required count, optionals, then keyword/value
pairs unless the clause has a rest list), as in Guile."""

from __future__ import annotations

from typing import Any

from .datatypes import Keyword
from .forms import CaseLambda, compile_case_lambda, no_clause_error
from .procedures import Closure, TailCall, applicable
from .special_forms import special


class CaseLambdaStar(CaseLambda):
    __slots__ = ()

    def scheme_repr(self, write: bool) -> str:
        return f"#<procedure {self.name or 'anonymous'} (case-lambda*)>"


def accepts(c: Closure, args: list) -> bool:
    """Whether the lambda* clause `c` takes `args` (its binder then binds them)."""
    n = len(args)
    if n < c.nreq:
        return False
    if c.rest:
        return True
    pos = c.nreq
    keys = c.keys
    for _ in range(c.nopt):
        if pos < n and not (keys and type(args[pos]) is Keyword):
            pos += 1
    rest = args[pos:]
    if not keys:
        return not rest
    if len(rest) % 2:
        return False
    return all(type(k) is Keyword and (c.info.allow_other_keys or k in keys)
               for k in rest[::2])


def _apply(p: CaseLambdaStar, args: list) -> Any:
    for c in p.clauses:
        if accepts(c, args):
            return TailCall(c, args)
    raise no_clause_error(p, len(args), "case-lambda*")


applicable[CaseLambdaStar] = _apply


@special("case-lambda*")
def _case_lambda_star(form, scope, ctx, tail):
    """(case-lambda* ((ARGS ...) BODY ...) ...): clauses with #:optional, #:key and
    #:rest parameters, chosen by the arguments of each call."""
    return compile_case_lambda(form, scope, ctx, "case-lambda*", CaseLambdaStar,
                               "each clause is ((ARG ... #:optional ... #:key ...) BODY ...)",
                               star=True)
