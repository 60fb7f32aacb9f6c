"""`match` from Guile's (ice-9 match): structural pattern matching.

Each pattern compiles to a matcher `m(value, out) -> bool` that appends the values of its
pattern variables to `out` in a fixed order; each clause body is compiled in a scope
holding those variables in that order.  Supported patterns: `_`, identifiers, literals,
'datum, lists and dotted lists, `p ...` / `p ___` / `p ..1` (anywhere in a list),
vectors, (? pred p ...), (= proc p), (and p ...), (or p ...), (not p ...),
($ record-type p ...), (get! getter) and (set! setter), tree search (p *** q),
quasi-patterns with , and ,@, and the (=> fail) clause escape.

As in Guile's matcher, the rest of a list pattern that is itself one of the special
patterns is that pattern: (a . (get! b)), read as (a get! b), matches b against the cdr.
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
from .errors import Condition, SchemeError, out_of_range, syntax_error
from .printer import write_string
from .procedures import Closure, LambdaInfo, Primitive, call
from .records import Record
from .special_forms import args_of, special

_ELLIPSES = {"...", "___"}

# Heads of the patterns that are not plain lists.
_SPECIAL_HEADS = {"quote", "quasiquote", "?", "=", "and", "or", "not", "$", "get!", "set!"}


def _place_get(place) -> Any:
    holder, slot = place
    if slot == "car":
        return holder.car
    if slot == "cdr":
        return holder.cdr
    return holder.values[slot] if type(holder) is Record else holder[slot]


def _place_set(place, value) -> None:
    holder, slot = place
    if slot == "car":
        holder.car = value
    elif slot == "cdr":
        holder.cdr = value
    elif type(holder) is Record:
        holder.values[slot] = value
    else:
        holder[slot] = value


def _spine(v: Any) -> tuple[list, Any] | None:
    """The pairs of the list V and what ends it; None for a circular list (which, as
    for Guile's list?, is no list: a pattern over its elements does not match)."""
    cells = []
    p = slow = v
    while type(p) is Pair:
        cells.append(p)
        p = p.cdr
        if not len(cells) & 1:
            slow = slow.cdr
            if slow is p and type(p) is Pair:
                return None
    return cells, p


class _Fail(Exception):
    """Raised by the (=> fail) procedure: try the next clause."""


class PatternCompiler:
    def __init__(self, scope, ctx, loc, envbox: list):
        self.scope = scope
        self.ctx = ctx
        self.loc = loc
        self.vars: list = []
        self.envbox = envbox     # [frame] of the match being run, for pattern expressions
        # Where the value being matched lives, (holder, slot), set by the pattern around
        # it for (get! g) and (set! s); kept only once such a pattern is seen.
        self.place: list = [None]
        self.places = False

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
            if head in ("get!", "set!"):
                return self.accessor(head, pat)
            if head == "?":
                pred_value = self.expr(pat.cdr.car)
                subs = self.same_place([self.compile(p) for p in to_list(pat.cdr.cdr)])

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
                subs = self.same_place([self.compile(p) for p in to_list(pat.cdr)])
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
                place = self.place

                def record(v, out):
                    if type(v) is not Record or v.rtype is not rtype.get():
                        return False
                    if len(subs) > len(v.values):     # Guile's struct-ref says so
                        raise out_of_range("struct-ref", 2, len(v.values))
                    for i, m in enumerate(subs):
                        place[0] = (v, i)
                        if not m(v.values[i], out):
                            return False
                    return True
                return record
            if self.is_search(pat):
                return self.search(pat.car, pat.cdr.cdr.car)
            return self.list_pattern(pat)
        if type(pat) is Vector:
            if not any(is_ident(e) and base_symbol(e).name in _ELLIPSES | {"..1"}
                       for e in pat):
                return self.fixed_vector(list(pat))
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

    def accessor(self, head: str, pat: Pair) -> Callable:
        """(get! g) binds g to a thunk reading the matched place; (set! s) binds s to a
        procedure of one argument writing it."""
        if type(pat.cdr) is not Pair or not is_ident(pat.cdr.car) or pat.cdr.cdr is not NIL:
            raise syntax_error(f"bad match pattern ({head} IDENTIFIER)", loc=self.loc)
        self.places = True
        place = self.place
        bind = self.bind(pat.cdr.car)

        def access(v, out):
            # the whole value matched has no place of its own: reading it gives it back,
            # setting it changes nothing the program sees (as in Guile)
            where = place[0] if place[0] is not None else (Vector([v]), 0)
            if head == "get!":
                proc = Primitive("getter", lambda: _place_get(where), 0, 0)
            else:
                proc = Primitive("setter", lambda x: _place_set(where, x), 1, 1)
            return bind(proc, out)
        return access

    def same_place(self, subs: list) -> list:
        """Matchers of one value in turn (and, ?): each sees the value's own place, which
        a list pattern among them would otherwise leave pointing inside itself."""
        if not self.places:
            return subs
        place = self.place

        def at(m):
            def keep(v, out):
                where = place[0]
                result = m(v, out)
                place[0] = where
                return result
            return keep
        return [at(m) for m in subs]

    def fixed_vector(self, elems: list) -> Callable:
        subs = [self.compile(e) for e in elems]
        place = self.place
        n = len(subs)

        def vec(v, out):
            if type(v) is not Vector or len(v) != n:
                return False
            for i, m in enumerate(subs):
                place[0] = (v, i)
                if not m(v[i], out):
                    return False
            return True
        return vec

    @staticmethod
    def is_search(pat: Pair) -> bool:
        rest = pat.cdr
        return (type(rest) is Pair and is_ident(rest.car) and base_symbol(rest.car).name == "***"
                and type(rest.cdr) is Pair and rest.cdr.cdr is NIL)

    def search(self, step: Any, goal: Any) -> Callable:
        """(STEP *** GOAL): GOAL is searched for depth first through the tree, each list
        on the way there having its head match STEP; STEP's variables are bound to the
        lists of what they matched along that path, outermost first."""
        outer, self.vars = self.vars, []
        step_m = self.compile(step)
        step_vars, self.vars = self.vars, outer
        self.vars.extend(step_vars)
        goal_m = self.compile(goal)
        nstep = len(step_vars)

        def find(w, path: list, out: list) -> list | None:
            trial = out + [from_list([row[k] for row in path]) for k in range(nstep)]
            if goal_m(w, trial):
                return trial
            if type(w) is not Pair:
                return None
            row: list = []
            if not step_m(w.car, row):
                return None
            path = path + [row]
            spine = _spine(w.cdr)
            for cell in spine[0] if spine is not None else ():
                found = find(cell.car, path, out)
                if found is not None:
                    return found
            return None

        def tree(v, out):
            found = find(v, [], out)
            if found is None:
                return False
            out[:] = found
            return True
        return tree

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
            if (type(p) is Pair and is_ident(p.car)
                    and base_symbol(p.car).name in _SPECIAL_HEADS):
                break           # (a . (? pred)): the rest is that pattern
        tail = p
        # Find an ellipsis: PAT ... (zero or more) or PAT ..1 (one or more)
        for k in range(1, len(elems)):
            if is_ident(elems[k]) and base_symbol(elems[k]).name in _ELLIPSES | {"..1"}:
                return self.ellipsis_pattern(elems[:k - 1], elems[k - 1],
                                             base_symbol(elems[k]).name == "..1",
                                             elems[k + 1:], tail)
        heads = [self.compile(e) for e in elems]
        tail_m = self.compile(tail) if tail is not NIL else None
        if self.places:
            return self.list_with_places(heads, tail_m)

        def lst(v, out):
            for m in heads:
                if type(v) is not Pair or not m(v.car, out):
                    return False
                v = v.cdr
            if tail_m is None:
                return v is NIL
            return tail_m(v, out)
        return lst

    def list_with_places(self, heads: list, tail_m: Callable | None) -> Callable:
        place = self.place

        def lst(v, out):
            prev = None
            for m in heads:
                if type(v) is not Pair:
                    return False
                place[0] = (v, "car")
                if not m(v.car, out):
                    return False
                prev = v
                v = v.cdr
            if tail_m is None:
                return v is NIL
            place[0] = (prev, "cdr") if prev is not None else None
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
        place = self.place

        def ell(v, out):
            for m in before_m:
                if type(v) is not Pair or not m(v.car, out):
                    return False
                v = v.cdr
            spine = _spine(v)
            if spine is None:
                return False
            cells, p = spine
            items = [c.car for c in cells]
            if tail_m is None and p is not NIL:
                return False
            count = len(items) - nafter
            if count < (1 if at_least_one else 0):
                return False
            columns: list[list] = [[] for _ in rep_vars]
            for cell in cells[:count]:
                scratch: list = []
                place[0] = (cell, "car")
                if not rep_m(cell.car, scratch):
                    return False
                for col, val in zip(columns, scratch):
                    col.append(val)
            for col, pos in zip(columns, earlier):
                if pos is None:
                    out.append(from_list(col))
                elif not equal(out[pos], from_list(col)):
                    return False
            for m, cell in zip(after_m, cells[count:]):
                place[0] = (cell, "car")
                if not m(cell.car, out):
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


def _from_the_top(m: Callable, place: list) -> Callable:
    """A clause's matcher that forgets the place the previous match left."""
    def top(v, out):
        place[0] = None
        return m(v, out)
    return top


def compile_clauses(clauses: list, scope, ctx, loc, tail: bool):
    envbox: list = [None]
    compiled = []
    for c in clauses:
        if type(c) is not Pair:
            raise syntax_error("bad match clause", loc=loc,
                               hints=["each clause is (PATTERN BODY ...)"])
        pc = PatternCompiler(scope, ctx, getattr(c, "loc", None) or loc, envbox)
        m = pc.compile(c.car)
        if pc.places:
            m = _from_the_top(m, pc.place)
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
