"""`match` from Guile's (ice-9 match): structural pattern matching.

Each pattern compiles to a matcher `m(value, out) -> bool` that appends the values of its
pattern variables to `out` in a fixed order; each clause body is compiled in a scope
holding those variables in that order.  Supported patterns: `_`, identifiers, literals,
'datum, lists and dotted lists, `p ...` / `p ___` / `p ..1` (anywhere in a list),
vectors, (? pred p ...), (= proc p), (and p ...), (or p ...), (not p ...),
($ record-type p ...), quasi-patterns with , and ,@, and the (=> fail) clause escape.
"""

from __future__ import annotations

from typing import Any, Callable

from .compiler import (
    Scope,
    base_symbol,
    compile_body,
    compile_form,
    is_ident,
    name_of,
    run_node,
    strip,
)
from .datatypes import NIL, Pair, S, Symbol, Vector, from_list, to_list
from .equality import equal
from .errors import Condition, SchemeError, syntax_error
from .printer import write_string
from .procedures import Closure, LambdaInfo, Primitive, call
from .records import Record
from .special_forms import args_of, special

_ELLIPSES = {"...", "___"}


class _Fail(Exception):
    """Raised by the (=> fail) procedure: try the next clause."""


class PatternCompiler:
    def __init__(self, scope, ctx, loc, envbox: list):
        self.scope = scope
        self.ctx = ctx
        self.loc = loc
        self.vars: list = []
        self.envbox = envbox     # [frame] of the match being run, for pattern expressions

    def expr(self, x: Any) -> "_Expr":
        return _Expr(compile_form(x, self.scope, self.ctx, False, self.loc), self.envbox)

    def bind(self, ident) -> Callable:
        if ident in self.vars:
            # The same variable twice must match equal values (Wright's rule).
            pos = self.vars.index(ident)

            def same(v, out):
                return equal(out[pos], v)
            return same
        self.vars.append(ident)

        def var(v, out):
            out.append(v)
            return True
        return var

    def compile(self, pat: Any) -> Callable:
        if is_ident(pat):
            s = base_symbol(pat).name
            if s == "_":
                return lambda v, out: True
            if s in _ELLIPSES:
                raise syntax_error("misplaced ellipsis in match pattern", loc=self.loc)
            return self.bind(pat)
        if type(pat) is Pair:
            head = base_symbol(pat.car).name if is_ident(pat.car) else None
            if head == "quote":
                datum = strip(pat.cdr.car)
                return lambda v, out: equal(v, datum)
            if head == "quasiquote":
                return self.quasi(pat.cdr.car)
            if head == "?":
                pred_value = self.expr(pat.cdr.car)
                subs = [self.compile(p) for p in to_list(pat.cdr.cdr)]

                def check(v, out):
                    if call(pred_value.get(), [v]) is False:
                        return False
                    return all(m(v, out) for m in subs)
                return check
            if head == "=":
                proc = self.expr(pat.cdr.car)
                sub = self.compile(pat.cdr.cdr.car)
                return lambda v, out: sub(call(proc.get(), [v]), out)
            if head == "and":
                subs = [self.compile(p) for p in to_list(pat.cdr)]
                return lambda v, out: all(m(v, out) for m in subs)
            if head == "or":
                return self.either(to_list(pat.cdr))
            if head == "not":
                saved = list(self.vars)
                subs = [self.compile(p) for p in to_list(pat.cdr)]
                self.vars = saved

                def negate(v, out):
                    scratch = list(out)
                    return not any(m(v, scratch) for m in subs)
                return negate
            if head == "$":
                rtype = self.expr(pat.cdr.car)
                subs = [self.compile(p) for p in to_list(pat.cdr.cdr)]

                def record(v, out):
                    if type(v) is not Record or v.rtype is not rtype.get():
                        return False
                    return all(m(x, out) for m, x in zip(subs, v.values))
                return record
            return self.list_pattern(pat)
        if type(pat) is Vector:
            inner = self.list_pattern(from_list(list(pat))) if len(pat) else None

            def vec(v, out):
                if type(v) is not Vector:
                    return False
                return inner(from_list(list(v)), out) if inner else len(v) == 0
            return vec
        if pat is NIL:
            return lambda v, out: v is NIL
        datum = pat
        return lambda v, out: equal(v, datum)

    def either(self, alternatives: list) -> Callable:
        base = list(self.vars)
        compiled = []
        names = None
        for alt in alternatives:
            self.vars = list(base)
            m = self.compile(alt)
            new = self.vars[len(base):]
            if names is None:
                names = new
            compiled.append((m, new))
        self.vars = base + (names or [])

        def alt_match(v, out):
            for m, new in compiled:
                scratch = list(out)
                if m(v, scratch):
                    got = dict(zip(new, scratch[len(out):]))
                    out.extend(got.get(n, False) for n in (names or []))
                    return True
            return False
        return alt_match

    def list_pattern(self, pat: Any) -> Callable:
        elems = []
        p = pat
        while type(p) is Pair:
            elems.append(p.car)
            p = p.cdr
        tail = p
        # Find an ellipsis: PAT ... (zero or more) or PAT ..1 (one or more)
        for k in range(1, len(elems)):
            if is_ident(elems[k]) and base_symbol(elems[k]).name in _ELLIPSES | {"..1"}:
                return self.ellipsis_pattern(elems[:k - 1], elems[k - 1],
                                             base_symbol(elems[k]).name == "..1",
                                             elems[k + 1:], tail)
        heads = [self.compile(e) for e in elems]
        tail_m = self.compile(tail) if tail is not NIL else None

        def lst(v, out):
            for m in heads:
                if type(v) is not Pair or not m(v.car, out):
                    return False
                v = v.cdr
            if tail_m is None:
                return v is NIL
            return tail_m(v, out)
        return lst

    def ellipsis_pattern(self, before: list, rep: Any, at_least_one: bool, after: list,
                         tail: Any) -> Callable:
        before_m = [self.compile(e) for e in before]
        # The repeated pattern binds into a scratch list per item: compile it with its
        # own variables.  One already bound outside must then equal the whole column
        # (Wright's rule, as in ((x ...) (x ...))).
        outer, self.vars = self.vars, []
        rep_m = self.compile(rep)
        rep_vars, self.vars = self.vars, outer
        earlier = [outer.index(v) if v in outer else None for v in rep_vars]
        self.vars.extend(v for v, pos in zip(rep_vars, earlier) if pos is None)
        after_m = [self.compile(e) for e in after]
        tail_m = self.compile(tail) if tail is not NIL else None
        nafter = len(after)

        def ell(v, out):
            for m in before_m:
                if type(v) is not Pair or not m(v.car, out):
                    return False
                v = v.cdr
            items = []
            p = v
            while type(p) is Pair:
                items.append(p.car)
                p = p.cdr
            if tail_m is None and p is not NIL:
                return False
            count = len(items) - nafter
            if count < (1 if at_least_one else 0):
                return False
            columns: list[list] = [[] for _ in rep_vars]
            for item in items[:count]:
                scratch: list = []
                if not rep_m(item, scratch):
                    return False
                for col, val in zip(columns, scratch):
                    col.append(val)
            for col, pos in zip(columns, earlier):
                if pos is None:
                    out.append(from_list(col))
                elif not equal(out[pos], from_list(col)):
                    return False
            for m, item in zip(after_m, items[count:]):
                if not m(item, out):
                    return False
            if tail_m is not None:
                return tail_m(p, out)
            return True
        return ell

    def quasi(self, q: Any) -> Callable:
        if type(q) is Pair:
            if is_ident(q.car) and base_symbol(q.car) is S.unquote:
                return self.compile(q.cdr.car)
            elems = []
            p = q
            while type(p) is Pair and not (is_ident(p.car) and base_symbol(p.car) is S.unquote):
                e = p.car
                if type(e) is Pair and is_ident(e.car) and base_symbol(e.car) is \
                        S.unquote_splicing:
                    # ,@pat: the rest of the list matches pat
                    elems.append(("splice", self.compile(e.cdr.car)))
                    p = NIL
                    break
                elems.append(("elem", self.quasi(e)))
                p = p.cdr
            tail_m = self.quasi(p) if p is not NIL else None

            def qlist(v, out):
                for kind, m in elems:
                    if kind == "splice":
                        return m(v, out)
                    if type(v) is not Pair or not m(v.car, out):
                        return False
                    v = v.cdr
                return tail_m(v, out) if tail_m is not None else v is NIL
            return qlist
        if type(q) is Vector:
            inner = self.quasi(from_list(list(q)))
            return lambda v, out: type(v) is Vector and inner(from_list(list(v)), out)
        datum = strip(q)
        return lambda v, out: equal(v, datum)


class _Expr:
    """An expression inside a pattern, evaluated in the frame of the running match."""

    __slots__ = ("node", "envbox")

    def __init__(self, node, envbox: list):
        self.node = node
        self.envbox = envbox

    def get(self):
        return run_node(self.node, self.envbox[0])


def compile_clauses(clauses: list, scope, ctx, loc, tail: bool):
    envbox: list = [None]
    compiled = []
    for c in clauses:
        if type(c) is not Pair:
            raise syntax_error("bad match clause", loc=loc,
                               hints=["each clause is (PATTERN BODY ...)"])
        pc = PatternCompiler(scope, ctx, getattr(c, "loc", None) or loc, envbox)
        m = pc.compile(c.car)
        body = c.cdr
        fail_ident = None
        if type(body) is Pair and type(body.car) is Pair and is_ident(body.car.car) and \
                base_symbol(body.car.car).name == "=>":
            fail_ident = body.car.cdr.car
            body = body.cdr
        names = list(pc.vars) + ([fail_ident] if fail_ident is not None else [])
        inner = Scope(names, scope, ctx.module)
        node = compile_body(body, inner, ctx, loc, "match clause", tail and fail_ident is None)
        compiled.append((m, node, len(inner.names) - len(names), fail_ident is not None))
    return compiled, envbox


_fail_proc = None


def _fail_procedure():

    def fail():
        raise _Fail()
    return Primitive("match-fail", fail, 0, 0)


def run_clauses(clauses, value, env, loc):
    global _fail_proc
    compiled, envbox = clauses
    for m, node, extra, has_fail in compiled:
        out: list = []
        saved = envbox[0]
        envbox[0] = env
        try:
            matched = m(value, out)
        finally:
            envbox[0] = saved
        if matched:
            frame = [env] + out
            if has_fail:
                if _fail_proc is None:
                    _fail_proc = _fail_procedure()
                frame.append(_fail_proc)
                frame.extend([None] * extra)
                try:
                    return run_node(node, frame)
                except _Fail:
                    continue
            frame.extend([None] * extra)
            return node(frame)
    raise SchemeError(Condition(
        "match-error", f"no matching pattern for {write_string(value)}", (value,), "match",
        throw_args=("match", "no matching pattern", Pair(value, NIL), False), loc=loc))


@special("match", module="ice-9 match")
def _match(form, scope, ctx, tail):
    """(match EXPR (PATTERN BODY ...) ...)"""
    ops = args_of(form, "match", 1)
    subject = compile_form(ops[0], scope, ctx, False, form.loc)
    compiled = compile_clauses(ops[1:], scope, ctx, form.loc, tail)
    loc = form.loc

    def match_node(env):
        return run_clauses(compiled, subject(env), env, loc)
    return match_node


def _match_lambda(star: bool):
    def compile_it(form, scope, ctx, tail):
        inner = Scope([Symbol(" match-arg")], scope, ctx.module)
        compiled = compile_clauses(to_list(form.cdr), inner, ctx, form.loc, True)
        loc = form.loc
        info = LambdaInfo(name=None, nreq=0 if star else 1, rest=star,
                          params=". args" if star else "arg", loc=loc)

        def body(frame):
            return run_clauses(compiled, frame[1], frame, loc)

        def binder(proc, args):
            return [proc.env, from_list(args)]
        if star:
            info.binder = binder

        def make(env):
            return Closure(body, env, info, 0, not star)
        return make
    return compile_it


special("match-lambda", module="ice-9 match")(_match_lambda(False))
special("match-lambda*", module="ice-9 match")(_match_lambda(True))


@special("match-let", "match-let*", module="ice-9 match")
def _match_let(form, scope, ctx, tail):
    """(match-let ((PATTERN EXPR) ...) BODY ...); (match-let NAME ((PATTERN EXPR) ...)
    BODY ...) is a loop, as a named let whose arguments are matched."""
    what = name_of(form.car)
    ops = args_of(form, what, 2)
    if what == "match-let" and is_ident(ops[0]):
        bindings = to_list(ops[1]) if len(ops) > 2 else []
        temps = [Symbol(f" match-loop-{k}") for k in range(len(bindings))]
        matched = Pair(Symbol("match-let"),
                       Pair(from_list([from_list([b.car, t])
                                       for t, b in zip(temps, bindings)]),
                            form.cdr.cdr.cdr), form.loc)
        loop = from_list([Symbol("let"), ops[0],
                          from_list([from_list([t, b.cdr.car])
                                     for t, b in zip(temps, bindings)]), matched])
        return compile_form(loop, scope, ctx, tail, form.loc)
    bindings = to_list(ops[0])
    # Nest one match per binding: later patterns may use earlier variables (match-let*);
    # for match-let the expressions are evaluated before any binding, as let does.
    body: Any = form.cdr.cdr
    if what == "match-let":
        temps = [Symbol(f" match-let-{k}") for k in range(len(bindings))]
        inner: Any = Pair(Symbol("begin"), body)
        for t, b in reversed(list(zip(temps, bindings))):
            inner = from_list([Symbol("match"), t, from_list([b.car, inner])])
        letform = from_list([Symbol("let"), from_list([from_list([t, b.cdr.car])
                                                       for t, b in zip(temps, bindings)]),
                             inner])
        return compile_form(letform, scope, ctx, tail, form.loc)
    inner = Pair(Symbol("begin"), body)
    for b in reversed(bindings):
        inner = from_list([Symbol("match"), b.cdr.car, from_list([b.car, inner])])
    return compile_form(inner, scope, ctx, tail, form.loc)
