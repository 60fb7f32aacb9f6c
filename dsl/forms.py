"""The special forms of the language, each a small compiler to nodes.

Every form is declared with `special_forms.special`: bound in the `(guile)` module under
its name, so it is an ordinary binding that a local variable can shadow.  Forms that
define (define, define-values...) also say how they define inside a body, which
`compile_body` uses to gather a body's internal definitions before its expressions.
"""

from __future__ import annotations

from typing import Any, Callable

from .calls import may_give_values, one_value
from .compiler import (
    Alias,
    Ctx,
    Global,
    Local,
    Scope,
    SpecialForm,
    base_symbol,
    compile_body,
    compile_form,
    compile_lambda,
    constant,
    elem_loc,
    form_list,
    frame_setter,
    is_ident,
    loc_of,
    name_of,
    resolve,
    run_node,
    sequence,
    strip,
    syntax_value,
    unbound_variable,
)
from .control import Catcher, Promise, catching, parameterize, value_list
from .datatypes import (
    NIL,
    UNSPECIFIED,
    Location,
    MString,
    Pair,
    S,
    Symbol,
    Values,
    Vector,
    from_list,
    is_list,
    to_list,
)
from .equality import eqv
from .errors import Condition, SchemeError, syntax_error
from .modules import UNBOUND, Module, existing_module
from .portability import check
from .printer import write_string
from .procedures import UNASSIGNED, TailCall, applicable, arity_text, call, single
from .set_places import compile_syntax_place
from .special_forms import CORE, args_of, special, usage_of
from .syntax_violations import malformed, violation


def cell_locs(form: Pair) -> list:
    """The location of each operand (for errors pointing inside a form)."""
    out = []
    p = form.cdr
    while type(p) is Pair:
        out.append(elem_loc(p, form.loc))
        p = p.cdr
    return out


def operand_nodes(form: Pair, what: str, scope, ctx, tail: bool) -> list:
    """The operands of FORM compiled in order, the last one in tail position if `tail`."""
    items = args_of(form, what, 0)
    last = len(items) - 1
    return [compile_form(x, scope, ctx, tail and k == last, loc)
            for k, (x, loc) in enumerate(zip(items, cell_locs(form)))]


def truthy_constant(node) -> Any:
    return getattr(node, "constant", UNASSIGNED)


# --- quote and quasiquote -----------------------------------------------------------------

@special("quote", usage="(quote DATUM)")
def _quote(form, scope, ctx, tail):
    """(quote DATUM): DATUM itself, unevaluated."""
    datum, = args_of(form, "quote", 1, 1)
    return constant(strip(datum))


@special("quasiquote")
def _quasiquote(form, scope, ctx, tail):
    """`TEMPLATE: a list built from TEMPLATE, with ,EXPR and ,@EXPR filled in."""
    tmpl, = args_of(form, "quasiquote", 1, 1)
    return qq(tmpl, 1, scope, ctx, form.loc)


@special("unquote", "unquote-splicing")
def _unquote(form, scope, ctx, tail):
    raise violation("expression not valid outside of quasiquote", form, name_of(form.car),
                    hints=[f"{name_of(form.car)} (, or ,@) is used outside a quasiquote: "
                           "did you forget the backquote ` before the list?"])


def _qq_tag(x: Any) -> Symbol | None:
    if type(x) is Pair and is_ident(x.car) and type(x.cdr) is Pair and x.cdr.cdr is NIL:
        s = base_symbol(x.car)
        if s in (S.unquote, S.unquote_splicing, S.quasiquote):
            return s
    return None


def _multi_unquote(x: Any) -> Symbol | None:
    """The tag of (unquote E1 E2 ...) or (unquote-splicing E1 E2 ...) with several
    expressions, which in a list inserts (or splices) each of them, as in R6RS and Guile."""
    if type(x) is Pair and is_ident(x.car) and type(x.cdr) is Pair \
            and type(x.cdr.cdr) is Pair and is_list(x):
        s = base_symbol(x.car)
        if s is S.unquote or s is S.unquote_splicing:
            return s
    return None


def _has_unquote(x: Any, depth: int) -> bool:
    stack = [(x, depth)]
    while stack:
        x, d = stack.pop()
        if type(x) is Pair:
            if d == 1 and _multi_unquote(x) is not None:
                return True
            tag = _qq_tag(x)
            if tag is S.unquote or tag is S.unquote_splicing:
                if d == 1:
                    return True
                stack.append((x.cdr.car, d - 1))
                continue
            if tag is S.quasiquote:
                stack.append((x.cdr.car, d + 1))
                continue
            while type(x) is Pair:
                if _qq_tag(x) is not None:    # `(a . ,b)` is (a unquote b)
                    stack.append((x, d))
                    break
                stack.append((x.car, d))
                x = x.cdr
        elif type(x) is Vector:
            stack.extend((e, d) for e in x)
    return False


def qq(x: Any, depth: int, scope, ctx, loc) -> Any:
    if not _has_unquote(x, depth):
        return constant(strip(x))
    if type(x) is Vector:
        inner = qq(from_list(list(x)), depth, scope, ctx, loc)

        def vec(env):
            return Vector(to_list(inner(env)))
        return vec
    tag = _qq_tag(x)
    if tag is S.unquote or tag is S.unquote_splicing:
        if depth == 1:
            if tag is S.unquote_splicing:
                raise syntax_error(",@ (unquote-splicing) must be inside a list",
                                   loc=loc_of(x, loc))
            return compile_form(x.cdr.car, scope, ctx, False, loc_of(x, loc))
        inner = qq(x.cdr.car, depth - 1, scope, ctx, loc)
        sym = tag

        def unq(env):
            return Pair(sym, Pair(inner(env), NIL))
        return unq
    if tag is S.quasiquote:
        inner = qq(x.cdr.car, depth + 1, scope, ctx, loc)

        def nested(env):
            return Pair(S.quasiquote, Pair(inner(env), NIL))
        return nested
    # A list: element nodes, some splicing, and a tail.
    parts: list = []       # (splice?, node)
    p = x
    while type(p) is Pair:
        if _qq_tag(p) is not None:   # dotted unquote: (a . ,b)
            break
        item = p.car
        itag = _qq_tag(item)
        mtag = _multi_unquote(item) if depth == 1 else None
        if mtag is not None:
            for e in to_list(item.cdr):
                parts.append((mtag is S.unquote_splicing,
                              compile_form(e, scope, ctx, False, loc_of(item, loc))))
        elif itag is S.unquote_splicing and depth == 1:
            parts.append((True, compile_form(item.cdr.car, scope, ctx, False, loc_of(item, loc))))
        else:
            parts.append((False, qq(item, depth, scope, ctx, loc_of(p, loc))))
        p = p.cdr
    tail_node = qq(p, depth, scope, ctx, loc) if p is not NIL else None

    def build(env):
        result = tail_node(env) if tail_node is not None else NIL
        values = [(splice, node(env)) for splice, node in parts]
        for splice, v in reversed(values):
            if splice:
                items = to_list(v)
                if v is not NIL and type(v) is not Pair:
                    raise SchemeError(Condition(
                        "wrong-type-arg", f",@ needs a list, got {_show(v)}", (v,), None,
                        loc=loc))
                for item in reversed(items):
                    result = Pair(item, result)
            else:
                result = Pair(v, result)
        return result
    return build


def _show(x: Any) -> str:
    return write_string(x)


# --- if, begin, lambda ------------------------------------------------------------------------

@special("if", usage="(if TEST THEN [ELSE])")
def _if(form, scope, ctx, tail):
    """(if TEST THEN [ELSE])"""
    ops = args_of(form, "if", 2, 3)
    locs = cell_locs(form)
    test = compile_form(ops[0], scope, ctx, False, locs[0])
    then = compile_form(ops[1], scope, ctx, tail, locs[1])
    if len(ops) == 3:
        els = compile_form(ops[2], scope, ctx, tail, locs[2])
    else:
        els = constant(UNSPECIFIED)

    if may_give_values(test):
        tloc = locs[0]

        def if_first(env):
            v = test(env)
            if v is not False and (type(v) is not Values or single(v, tloc) is not False):
                return then(env)
            return els(env)
        return if_first

    def if_node(env):
        if test(env) is not False:
            return then(env)
        return els(env)
    return if_node


@special("begin")
def _begin(form, scope, ctx, tail):
    """(begin EXPR ...): evaluate in order, value of the last."""
    items = args_of(form, "begin", 0)
    locs = cell_locs(form)
    if scope is None:
        # At top level `begin` splices: each form is compiled after the previous one ran,
        # so a macro defined early in a `begin` can be used later in it.  Names a macro
        # introduced get their fresh symbols first, so a procedure can call one defined
        # after it in the same expansion.
        _introduce_definitions(items, ctx)

        def top_begin(env):
            result = UNSPECIFIED
            for item, loc in zip(items, locs):
                result = run_node(compile_form(item, None, ctx, False, loc))
            return result
        return top_begin
    return sequence(operand_nodes(form, "begin", scope, ctx, tail))


def _introduce_definitions(items: list, ctx) -> None:
    for item in items:
        if type(item) is not Pair or not is_ident(item.car):
            continue
        head = syntax_value(resolve(item.car, None, ctx.module))
        if head is CORE["begin"] and is_list(item):
            _introduce_definitions(to_list(item.cdr), ctx)
        elif (head is CORE["define"] or head is CORE["define*"]) and type(item.cdr) is Pair:
            target = item.cdr.car
            while type(target) is Pair:
                target = target.car
            if type(target) is Alias:
                introduced_global(target, ctx.module)


@special("lambda", usage="(lambda (ARGS...) BODY...)")
def _lambda(form, scope, ctx, tail):
    """(lambda (ARG ...) BODY ...): a procedure."""
    ops = args_of(form, "lambda", 2)
    return compile_lambda(ops[0], form.cdr.cdr, scope, ctx, form.loc)


@special("lambda*")
def _lambda_star(form, scope, ctx, tail):
    """(lambda* (ARG ... #:optional OPT ... #:key KEY ... #:rest R) BODY ...)"""
    ops = args_of(form, "lambda*", 2)
    return compile_lambda(ops[0], form.cdr.cdr, scope, ctx, form.loc, star=True)


# --- definitions ---------------------------------------------------------------------------

def define_parts(form: Pair, star: bool = False) -> tuple[Any, Callable]:
    """(define NAME EXPR) or (define (NAME . ARGS) BODY...), curried forms included.

    Returns the identifier and a function (scope, ctx) -> value node."""
    ops = args_of(form, "define", 1)
    target = ops[0]
    loc = form.loc
    if type(target) is Pair:
        formals = target.cdr
        name = target.car
        body = form.cdr.cdr
        if body is NIL:
            raise malformed(form, "define", [f"procedure {name_of(name) if is_ident(name) else ''}"
                                             " has no body: write (define (NAME ARGS...) "
                                             "BODY...)"])
        # (define ((adder n) x) ...) defines adder returning (lambda (x) ...)
        while type(name) is Pair:
            body = Pair(Pair(S.lambda_, Pair(formals, body), loc), NIL)
            formals = name.cdr
            name = name.car
        if not is_ident(name):
            raise malformed(form, "define", ["the name defined must be an identifier"])
        pname = name_of(name)

        def value(scope, ctx):
            return compile_lambda(formals, body, scope, ctx, loc, name=pname, star=star)
        return name, value
    if not is_ident(target):
        raise malformed(form, "define", [f"cannot define {_show(strip(target))}: the first "
                                         "operand of define is a name or (NAME ARGS...)"])
    if len(ops) > 2:
        raise malformed(form, "define", [f"too many expressions in the define of "
                                         f"{name_of(target)}: {usage_of('define')}"])
    expr = ops[1] if len(ops) == 2 else None
    vloc = cell_locs(form)[1] if len(ops) == 2 else loc

    def value(scope, ctx):
        if expr is None:
            return constant(UNSPECIFIED)
        return one_value(compile_named(expr, scope, ctx, vloc, name_of(target)), vloc)
    return target, value


def compile_named(expr: Any, scope, ctx, loc, name: str):
    """Compile EXPR; a lambda gets NAME as its procedure name (as Guile does)."""
    if type(expr) is Pair and is_ident(expr.car):
        b = resolve(expr.car, scope, ctx.module)
        if type(b) is Global:
            box = b.box()
            if box is not None and type(box.value) is SpecialForm and box.value.name in (
                    "lambda", "lambda*"):
                star = box.value.name == "lambda*"
                if type(expr.cdr) is Pair:
                    return compile_lambda(expr.cdr.car, expr.cdr.cdr, scope, ctx,
                                          expr.loc or loc, name=name, star=star)
    return compile_form(expr, scope, ctx, False, loc)


_introduced = [0]


def introduced_global(ident: Any, module: Module) -> Symbol:
    """The symbol a top-level definition of IDENT makes in MODULE.  A name a macro's
    template introduced gets a fresh symbol, as in Guile: two uses of one macro don't
    overwrite each other's `t`, and the user's own `t` is not touched; references from
    the same expansion find it (see resolve)."""
    if type(ident) is not Alias:
        return base_symbol(ident)
    if ident.toplevel is None:
        _introduced[0] += 1
        ident.toplevel = Global(module, Symbol(f"{base_symbol(ident).name}-"
                                               f"{_introduced[0]:x}"))
    return ident.toplevel.symbol


def define_global(ident: Any, value_node, ctx: Ctx, loc: Location | None, export=False):
    sym = base_symbol(ident) if export else introduced_global(ident, ctx.module)
    module = ctx.module
    box = module.local_box(sym)
    box.loc = loc
    if export:
        module.exports.add(sym)

    def define_node(env):
        box.value = value_node(env)
        module._import_cache.pop(sym, None)
        return UNSPECIFIED
    return define_node


def body_define(form, scope, ctx, loc, star=False):
    ident, value = define_parts(form, star)
    idx = scope.add(ident)
    return [("def", lambda sc, cx: frame_setter(sc, idx, value(sc, cx)))]


def _define_compiler(star: bool, export: bool = False):
    def compile_define(form, scope, ctx, tail):
        if scope is not None:
            raise violation("definition in expression context, where definitions are "
                            "not allowed", form,
                            hints=["definitions belong at the top level or in a body "
                                   "(lambda, let, define)"])
        ident, value = define_parts(form, star)
        return define_global(ident, value(None, ctx), ctx, form.loc, export)
    return compile_define


special("define", usage="(define NAME VALUE) or (define (NAME ARGS...) BODY...)",
        defining=body_define)(_define_compiler(False))
special("define*", defining=lambda f, s, c, loc: body_define(f, s, c, loc, True))(
    _define_compiler(True))
special("define-public", defining=body_define)(_define_compiler(False, export=True))
special("define-inlinable", defining=body_define)(_define_compiler(False))


def _append_one(items: Any, last: Any) -> Any:
    return Pair(last, NIL) if type(items) is not Pair else \
        Pair(items.car, _append_one(items.cdr, last), items.loc)


@special("set!", usage="(set! NAME VALUE)")
def _set(form, scope, ctx, tail):
    """(set! NAME EXPR): change a variable's value."""
    target, expr = args_of(form, "set!", 2, 2)
    if type(target) is Pair:
        place = compile_syntax_place(target, expr, scope, ctx)
        if place is not None:
            return place
        # (set! (PROC ARG ...) VALUE) is ((setter PROC) ARG ... VALUE), as in Guile
        setter_proc = existing_module(("guile",)).lookup(Symbol("setter")).value
        call_form = Pair(Pair(setter_proc, Pair(target.car, NIL), target.loc),
                         _append_one(target.cdr, expr), form.loc)
        return compile_form(call_form, scope, ctx, tail, form.loc)
    if not is_ident(target):
        raise malformed(form, "set!", [f"set! changes a variable, not "
                                       f"{_show(strip(target))}: write it as {usage_of('set!')}"])
    vloc = cell_locs(form)[1]
    value = one_value(compile_form(expr, scope, ctx, False, vloc), vloc)
    b = resolve(target, scope, ctx.module)
    if type(b) is Local:
        d, i = b.depth, b.index + 1

        def set_local(env):
            v = value(env)
            e = env
            for _ in range(d):
                e = e[0]
            e[i] = v
            return UNSPECIFIED
        return set_local
    if type(b) is not Global:
        raise malformed(form, "set!", [f"cannot set! the macro {name_of(target)}"])
    loc = form.loc

    def set_global(env):
        v = value(env)
        box = b.box()
        if box is None or box.value is UNBOUND:
            raise unbound_variable(b.symbol, scope, b.module, loc)
        box.value = v
        return UNSPECIFIED
    return set_global


# --- let family --------------------------------------------------------------------------------

def parse_bindings(x: Any, form: Pair, what: str) -> list[tuple[Any, Any, Location | None]]:
    """The (NAME VALUE) bindings X of FORM, a use of WHAT; names must not repeat in
    the forms that bind them all at once."""
    out = []
    p = x
    loc = form.loc
    while type(p) is Pair:
        b = p.car
        bloc = elem_loc(p, loc)
        if type(b) is Pair and is_ident(b.car) and type(b.cdr) is Pair \
                and b.cdr.cdr is NIL:
            out.append((b.car, b.cdr.car, bloc))
        else:
            raise malformed(form, what, [f"the binding {_show(strip(b))} is not (NAME VALUE): "
                                         f"write it as ({what} ((x 1) (y 2)) BODY...)"],
                            loc=bloc)
        p = p.cdr
    if p is not NIL:
        raise malformed(form, what, [f"the bindings of {what} are a list of (NAME VALUE): "
                                     f"write it as {usage_of(what)}"])
    if what != "let*":
        seen: set = set()
        for n, _, bloc in out:      # identifiers: a macro's `tmp` is not the user's
            if n in seen:
                raise violation("duplicate bound variable", form, what, loc=bloc,
                                hints=[f"{name_of(n)} is bound twice by one {what}: "
                                       "rename one of them"])
            seen.add(n)
    return out


def _init_node(expr, scope, ctx, loc, name):
    if expr is None:
        return constant(UNSPECIFIED)
    return one_value(compile_named(expr, scope, ctx, loc, name_of(name)), loc)


@special("let", usage="(let ((NAME VALUE) ...) BODY...)")
def _let(form, scope, ctx, tail):
    """(let ((NAME VALUE) ...) BODY ...) or the named-let loop (let NAME (...) BODY ...)"""
    ops = args_of(form, "let", 2)
    if is_ident(ops[0]):
        return _named_let(form, ops, scope, ctx, tail)
    binds = parse_bindings(ops[0], form, "let")
    names = [n for n, _, _ in binds]
    inits = [_init_node(e, scope, ctx, loc, n) for n, e, loc in binds]
    inner = Scope(names, scope, ctx.module)
    body = compile_body(form.cdr.cdr, inner, ctx, form.loc, "let body", tail)
    extra = len(inner.names) - len(names)
    pad = [UNASSIGNED] * extra
    if len(inits) == 1 and not extra:
        i0, = inits

        def let1(env):
            return body([env, i0(env)])
        return let1

    def let_node(env):
        frame = [env]
        for init in inits:
            frame.append(init(env))
        if pad:
            frame.extend(pad)
        return body(frame)
    return let_node


def _named_let(form, ops, scope, ctx, tail):
    name = ops[0]
    if len(ops) < 3:
        raise malformed(form, "let", ["a named let is (let NAME ((VAR INIT) ...) BODY...)"])
    binds = parse_bindings(ops[1], form, "let")
    inits = [_init_node(e, scope, ctx, loc, n) for n, e, loc in binds]
    loop_scope = Scope([name], scope, ctx.module)
    formals = from_list([n for n, _, _ in binds])
    make = compile_lambda(formals, form.cdr.cdr.cdr, loop_scope, ctx, form.loc,
                          name=name_of(name))

    def named_let(env):
        args = [init(env) for init in inits]
        frame = [env, None]
        proc = make(frame)
        frame[1] = proc
        if tail:
            return TailCall(proc, args)
        return call(proc, args)
    return named_let


@special("let*")
def _let_star(form, scope, ctx, tail):
    """(let* ((NAME VALUE) ...) BODY ...): each value sees the names before it."""
    ops = args_of(form, "let*", 2)
    binds = parse_bindings(ops[0], form, "let*")
    inner = Scope([], scope, ctx.module)
    steps = []
    for n, e, loc in binds:
        init = _init_node(e, inner, ctx, loc, n)
        # A repeated name gets a fresh slot: earlier inits were compiled against the old one.
        idx = len(inner.names)
        inner.names.append(n)
        inner.slots[n] = idx
        steps.append(init)
    body = compile_body(form.cdr.cdr, inner, ctx, form.loc, "let* body", tail)
    extra = len(inner.names) - len(binds)
    pad = [UNASSIGNED] * extra

    def let_star(env):
        frame = [env]
        for init in steps:
            frame.append(init(frame))
        if pad:
            frame.extend(pad)
        return body(frame)
    return let_star


@special("letrec", "letrec*")
def _letrec(form, scope, ctx, tail):
    """(letrec ((NAME VALUE) ...) BODY ...): the values may refer to each other."""
    what = name_of(form.car)
    ops = args_of(form, what, 2)
    binds = parse_bindings(ops[0], form, what)
    inner = Scope([], scope, ctx.module)
    for n, _, _ in binds:
        inner.add(n)
    inits = [_init_node(e, inner, ctx, loc, n) for n, e, loc in binds]
    body = compile_body(form.cdr.cdr, inner, ctx, form.loc, f"{what} body", tail)
    size = len(inner.names)

    def letrec_star(env):
        frame = [env] + [UNASSIGNED] * size
        for k, init in enumerate(inits):
            frame[k + 1] = init(frame)
        return body(frame)

    def letrec(env):
        # every init runs before any variable is given its value: (letrec ((x 1) (y x)) y)
        # is an error, as in Guile
        frame = [env] + [UNASSIGNED] * size
        frame[1:len(inits) + 1] = [init(frame) for init in inits]
        return body(frame)
    return letrec_star if what == "letrec*" or len(inits) < 2 else letrec


# --- conditionals ---------------------------------------------------------------------------------

def is_keyword_ident(x: Any, name: str, scope: Any = None) -> bool:
    """Whether `x` is the auxiliary keyword `name` (else, =>): not when a local variable
    of that name is in scope, which then means the variable, as hygiene wants."""
    if not (is_ident(x) and base_symbol(x).name == name):
        return False
    return scope is None or type(resolve(x, scope, scope.module)) is not Local


@special("cond")
def _cond(form, scope, ctx, tail):
    """(cond (TEST EXPR ...) ... (else EXPR ...)); (TEST => PROC) passes TEST's value."""
    if form.cdr is NIL:
        raise malformed(form, "cond", ["cond needs at least one clause: "
                                       "(cond (TEST EXPR ...) ... (else EXPR ...))"])
    return compile_cond(form.cdr, scope, ctx, tail, form.loc, UNSPECIFIED, form)


NO_MATCH = object()


def _clause_error(form, who: str, message: str, clause, cloc, hint: str):
    return violation(message, form, who, clause, loc=cloc, hints=[hint])


def _receiver(form, who: str, c: Pair, after_arrow: Any, scope, ctx, cloc):
    """The one expression after => in the clause C."""
    if type(after_arrow) is not Pair or after_arrow.cdr is not NIL:
        raise _clause_error(form, who, "wrong number of receiver expressions", c, cloc,
                            "=> is followed by one expression, the procedure that "
                            "receives the value")
    return compile_form(after_arrow.car, scope, ctx, False, cloc)


def compile_cond(clause_list: Any, scope, ctx, tail, loc, fallthrough: Any, form=None):
    """Clauses of cond (and guard, whose FORM is the clause list); `fallthrough` is the
    value when none applies.  (TEST GUARD => RECEIVER) is SRFI-61's: RECEIVER gets all of
    TEST's values when GUARD, given them, is true."""
    form = clause_list if form is None else form
    clauses = []
    p = clause_list
    while type(p) is Pair:
        c = p.car
        cloc = elem_loc(p, loc)
        if type(c) is not Pair or not is_list(c) \
                or (is_keyword_ident(c.car, "else", scope) and c.cdr is NIL):
            raise _clause_error(form, "cond", "invalid clause", c, cloc,
                                "each clause is (TEST EXPR ...) or (else EXPR ...)")
        if is_keyword_ident(c.car, "else", scope):
            if p.cdr is not NIL:
                raise _clause_error(form, "cond", "else must be the last clause", c, cloc,
                                    "move the else clause to the end")
            clauses.append((None, "body", compile_body_expr(c.cdr, scope, ctx, tail, cloc)))
        elif c.cdr is NIL:
            test = one_value(compile_form(c.car, scope, ctx, False, cloc), cloc)
            clauses.append((test, "value", None))
        elif is_keyword_ident(c.cdr.car, "=>", scope):
            test = one_value(compile_form(c.car, scope, ctx, False, cloc), cloc)
            proc = _receiver(form, "cond", c, c.cdr.cdr, scope, ctx, cloc)
            clauses.append((test, "arrow", proc))
        elif type(c.cdr.cdr) is Pair and is_keyword_ident(c.cdr.cdr.car, "=>", scope):
            test = compile_form(c.car, scope, ctx, False, cloc)
            guard = compile_form(c.cdr.car, scope, ctx, False, cloc)
            proc = _receiver(form, "cond", c, c.cdr.cdr.cdr, scope, ctx, cloc)
            clauses.append((test, "guarded", (guard, proc)))
        else:
            test = one_value(compile_form(c.car, scope, ctx, False, cloc), cloc)
            clauses.append((test, "body", compile_body_expr(c.cdr, scope, ctx, tail, cloc)))
        p = p.cdr
    if p is not NIL:
        raise malformed(form, "cond", ["the clauses of cond are a proper list"])
    clauses_t = tuple(clauses)

    def cond_node(env):
        for test, kind, body in clauses_t:
            if test is None:
                return body(env)
            v = test(env)
            if kind == "guarded":
                vals = list(value_list(v))
                if call(body[0](env), vals) is not False:
                    f = body[1](env)
                    return TailCall(f, vals) if tail else call(f, vals)
                continue
            if v is not False:
                if kind == "body":
                    return body(env)
                if kind == "value":
                    return v
                f = body(env)
                return TailCall(f, [v]) if tail else call(f, [v])
        return fallthrough
    return cond_node


def compile_body_expr(items: Any, scope, ctx, tail, loc):
    """A sequence of expressions (no definitions), the last in tail position if `tail`."""
    forms = [(c.car, elem_loc(c, loc)) for c in form_list(items, "clause", loc)]
    return sequence([compile_form(f, scope, ctx, tail and k == len(forms) - 1, floc)
                     for k, (f, floc) in enumerate(forms)])


_NOT_EQV_COMPARABLE = (str, MString, Pair, Vector, bytes, bytearray)


@special("case")
def _case(form, scope, ctx, tail):
    """(case KEY ((DATUM ...) EXPR ...) ... (else EXPR ...))"""
    ops = args_of(form, "case", 2)
    key = one_value(compile_form(ops[0], scope, ctx, False, form.loc), form.loc)
    clauses = []
    p = form.cdr.cdr
    while type(p) is Pair:
        c = p.car
        cloc = elem_loc(p, form.loc)
        is_else = type(c) is Pair and is_keyword_ident(c.car, "else", scope)
        if type(c) is not Pair or type(c.cdr) is not Pair \
                or not (is_else or c.car is NIL or type(c.car) is Pair):
            raise _clause_error(form, "case", "invalid clause", c, cloc,
                                "each clause is ((DATUM ...) EXPR ...) or (else EXPR ...)")
        if is_else:
            if p.cdr is not NIL:
                raise _clause_error(form, "case", "else must be the last clause", c, cloc,
                                    "move the else clause to the end")
            data = None
        else:
            # case compares with eqv?: a string, list or vector datum is a new object
            # that no key can be, as in Guile (which warns about such a clause).
            data = tuple(d for d in (strip(d) for d in to_list(c.car))
                         if not isinstance(d, _NOT_EQV_COMPARABLE))
        if is_keyword_ident(c.cdr.car, "=>", scope):
            clauses.append((data, True, _receiver(form, "case", c, c.cdr.cdr, scope, ctx,
                                                  cloc)))
        else:
            clauses.append((data, False, compile_body_expr(c.cdr, scope, ctx, tail, cloc)))
        p = p.cdr
    if p is not NIL:
        raise malformed(form, "case", ["the clauses of case are a proper list"])

    def case_node(env):
        k = key(env)
        for data, arrow, body in clauses:
            if data is None or any(eqv(k, d) for d in data):
                if arrow:
                    f = body(env)
                    return TailCall(f, [k]) if tail else call(f, [k])
                return body(env)
        return UNSPECIFIED
    return case_node


def first_values(form: Pair, nodes: list) -> list:
    """The operands of and/or before the last, whose one value is tested."""
    return [one_value(n, loc) for n, loc in zip(nodes, cell_locs(form))]


@special("and")
def _and(form, scope, ctx, tail):
    """(and EXPR ...): #f at the first false value, else the last value."""
    nodes = operand_nodes(form, "and", scope, ctx, tail)
    if not nodes:
        return constant(True)
    init, last = first_values(form, nodes[:-1]), nodes[-1]

    def and_node(env):
        for n in init:
            if n(env) is False:
                return False
        return last(env)
    return and_node


@special("or")
def _or(form, scope, ctx, tail):
    """(or EXPR ...): the first true value, else #f."""
    nodes = operand_nodes(form, "or", scope, ctx, tail)
    if not nodes:
        return constant(False)
    init, last = first_values(form, nodes[:-1]), nodes[-1]

    def or_node(env):
        for n in init:
            v = n(env)
            if v is not False:
                return v
        return last(env)
    return or_node


@special("when", "unless")
def _when(form, scope, ctx, tail):
    """(when TEST EXPR ...) / (unless TEST EXPR ...)"""
    what = name_of(form.car)
    ops = args_of(form, what, 1)
    test = one_value(compile_form(ops[0], scope, ctx, False, form.loc), form.loc)
    body = compile_body_expr(form.cdr.cdr, scope, ctx, tail, form.loc)
    want = what == "when"

    def when_node(env):
        if (test(env) is not False) is want:
            return body(env)
        return UNSPECIFIED
    return when_node


@special("do")
def _do(form, scope, ctx, tail):
    """(do ((VAR INIT STEP) ...) (TEST RESULT ...) BODY ...)"""
    ops = args_of(form, "do", 2)
    specs = []
    for b in to_list(ops[0]):
        items = to_list(b)
        if not items or not is_ident(items[0]) or len(items) > 3:
            raise malformed(form, "do", ["each binding of do is (VAR INIT [STEP])"])
        specs.append((items[0], items[1] if len(items) > 1 else None,
                      items[2] if len(items) > 2 else None))
    inner = Scope([v for v, _, _ in specs], scope, ctx.module)
    inits = [one_value(compile_form(i, scope, ctx, False, form.loc), form.loc)
             if i is not None else constant(UNSPECIFIED) for _, i, _ in specs]
    steps = [(k + 1, one_value(compile_form(s, inner, ctx, False, form.loc), form.loc))
             for k, (_, _, s) in enumerate(specs) if s is not None]
    exit_clause = ops[1]
    if type(exit_clause) is not Pair:
        raise malformed(form, "do", ["do needs its exit clause (TEST RESULT ...)"])
    test = one_value(compile_form(exit_clause.car, inner, ctx, False, form.loc), form.loc)
    result = compile_body_expr(exit_clause.cdr, inner, ctx, False, form.loc)
    body = compile_body_expr(form.cdr.cdr.cdr, inner, ctx, False, form.loc)

    def do_node(env):
        frame = [env] + [i(env) for i in inits]
        while test(frame) is False:
            body(frame)
            new = list(frame)   # a fresh frame per iteration, as the named-let expansion has
            for k, step in steps:
                new[k] = step(frame)
            frame = new
        return result(frame)
    return do_node


# --- promises, parameters ---------------------------------------------------------------------

@special("delay", "make-promise-lazy", "delay-force")
def _delay(form, scope, ctx, tail):
    """(delay EXPR): a promise to compute EXPR once, when forced."""
    what = name_of(form.car)
    expr, = args_of(form, what, 1, 1)
    node = compile_form(expr, scope, ctx, False, form.loc)
    lazy = what != "delay"

    def delay_node(env):
        return Promise(lambda: run_node(node, env), is_delay_force=lazy)
    return delay_node


def dynamic_binding(form, what: str, scope, ctx, bind: Callable, usage: str) -> Callable:
    """(WHAT ((KEY VALUE) ...) BODY ...) for parameterize and with-fluids: a node calling
    `bind(keys, values, thunk)`, which gives the keys those values while the body runs."""
    if type(form.cdr) is not Pair or type(form.cdr.cdr) is not Pair:
        raise malformed(form, what, [f"{what} takes bindings and a body: write {usage}"])
    ops = args_of(form, what, 2)
    bindings = to_list(ops[0]) if type(ops[0]) is Pair or ops[0] is NIL else None
    if bindings is None or any(type(p) is not Pair or type(p.cdr) is not Pair
                               or p.cdr.cdr is not NIL for p in bindings):
        raise malformed(form, what, [f"bad {what} bindings: write {usage}"])
    pairs = [(compile_form(p.car, scope, ctx, False, form.loc),
              compile_form(p.cdr.car, scope, ctx, False, form.loc))
             for p in bindings]
    body = compile_body(form.cdr.cdr, Scope([], scope, ctx.module), ctx, form.loc,
                        f"{what} body", False)

    def binding_node(env):
        keys = [k(env) for k, _ in pairs]
        values = [v(env) for _, v in pairs]
        return bind(keys, values, lambda: run_node(body, [env]))
    return binding_node


@special("parameterize")
def _parameterize(form, scope, ctx, tail):
    """(parameterize ((PARAM VALUE) ...) BODY ...)"""
    return dynamic_binding(form, "parameterize", scope, ctx, parameterize,
                           "(parameterize ((PARAM VALUE) ...) BODY ...)")


# --- exceptions -----------------------------------------------------------------------------

@special("guard")
def _guard(form, scope, ctx, tail):
    """(guard (VAR CLAUSE ...) BODY ...): handle a raised object with cond-like clauses;
    with no clause applying, the object is raised again."""
    binding = resolve(form.car, scope, ctx.module) if is_ident(form.car) else None
    if type(binding) is Global:
        check("guard", form, binding.box(), ctx, form.loc)
    ops = args_of(form, "guard", 2)
    spec = ops[0]
    if type(spec) is not Pair or not is_ident(spec.car):
        raise malformed(form, "guard", ["write (guard (VAR CLAUSE ...) BODY ...)"])
    hscope = Scope([spec.car], scope, ctx.module)
    clauses = compile_cond(spec.cdr, hscope, ctx, False, form.loc, NO_MATCH)
    body = compile_body(form.cdr.cdr, Scope([], scope, ctx.module), ctx, form.loc,
                        "guard body", False)

    def guard_node(env):
        def handle(e):
            r = run_node(clauses, [env, e.payload])
            if r is NO_MATCH:       # raised again, from here
                e.target = None
                raise e
            return r
        return catching(Catcher(True), lambda: run_node(body, [env]), handle)
    return guard_node


# --- multiple values ---------------------------------------------------------------------------

def _formals(x: Any, form: Pair) -> tuple[list, Any]:
    """The names (A B . REST) that FORM binds to values."""
    req = []
    formals = x
    while type(x) is Pair and is_ident(x.car):
        req.append(x.car)
        x = x.cdr
    rest = x if is_ident(x) else None
    if rest is None and x is not NIL:
        raise malformed(form, name_of(form.car), [f"{_show(strip(formals))} is not a list "
                                                  "of names (A B ...) or (A B . REST)"])
    return req, rest


def destructure(vals: tuple, req: list, rest: Any, loc, what: str) -> list:
    n = len(req)
    if len(vals) < n or (rest is None and len(vals) != n):
        raise SchemeError(Condition(
            "wrong-number-of-args",
            f"{what}: wrong number of values: expected {n}"
            f"{' or more' if rest is not None else ''}, got {len(vals)}", (), what, loc=loc))
    out = list(vals[:n])
    if rest is not None:
        out.append(from_list(list(vals[n:])))
    return out


@special("let-values", "let*-values")
def _let_values(form, scope, ctx, tail):
    """(let-values (((A B . REST) EXPR) ...) BODY ...)"""
    what = name_of(form.car)
    ops = args_of(form, what, 2)
    sequential = what == "let*-values"
    inner = Scope([], scope, ctx.module)
    specs = []
    if not is_list(ops[0]) or not all(type(b) is Pair and type(b.cdr) is Pair
                                      and b.cdr.cdr is NIL for b in ops[0]):
        raise malformed(form, what, [f"write ({what} (((A B . REST) EXPR) ...) BODY...)"])
    for b in to_list(ops[0]):
        req, rest = _formals(b.car, form)
        expr = compile_form(b.cdr.car, inner if sequential else scope, ctx, False, form.loc)
        specs.append((req, rest, expr))
        for ident in req + ([rest] if rest is not None else []):
            idx = len(inner.names)
            inner.names.append(ident)
            inner.slots[ident] = idx
    nvars = len(inner.names)
    body = compile_body(form.cdr.cdr, inner, ctx, form.loc, f"{what} body", tail)
    extra = len(inner.names) - nvars
    loc = form.loc

    def let_values(env):
        frame = [env]
        for req, rest, expr in specs:
            frame.extend(destructure(value_list(run_node(expr, frame if sequential else env)),
                                     req, rest, loc, what))
        frame.extend([UNASSIGNED] * extra)
        return body(frame)
    return let_values


@special("receive", module="ice-9 receive")
def _receive(form, scope, ctx, tail):
    """(receive FORMALS EXPR BODY ...): bind the values of EXPR."""
    ops = args_of(form, "receive", 3)
    req, rest = _formals(ops[0], form)
    expr = compile_form(ops[1], scope, ctx, False, form.loc)
    names = req + ([rest] if rest is not None else [])
    inner = Scope(names, scope, ctx.module)
    body = compile_body(form.cdr.cdr.cdr, inner, ctx, form.loc, "receive body", tail)
    extra = len(inner.names) - len(names)
    loc = form.loc

    def receive_node(env):
        frame = [env] + destructure(value_list(run_node(expr, env)), req, rest, loc, "receive")
        frame.extend([UNASSIGNED] * extra)
        return body(frame)
    return receive_node


def _define_values_parts(form):
    ops = args_of(form, "define-values", 2, 2)
    req, rest = _formals(ops[0], form)
    return req, rest, ops[1]


def body_define_values(form, scope, ctx, loc):
    req, rest, expr = _define_values_parts(form)
    idents = req + ([rest] if rest is not None else [])
    idxs = [scope.add(i) for i in idents]

    def compile_it(sc, cx):
        node = compile_form(expr, sc, cx, False, loc)

        def set_values(env):
            vals = destructure(value_list(run_node(node, env)), req, rest, loc, "define-values")
            for i, v in zip(idxs, vals):
                env[i + 1] = v
            return UNSPECIFIED
        return set_values
    return [("def", compile_it)]


@special("define-values", defining=body_define_values)
def _define_values(form, scope, ctx, tail):
    """(define-values (A B . REST) EXPR): define several names from EXPR's values."""
    if scope is not None:
        raise violation("definition in expression context, where definitions are "
                        "not allowed", form)
    req, rest, expr = _define_values_parts(form)
    node = compile_form(expr, None, ctx, False, form.loc)
    idents = req + ([rest] if rest is not None else [])
    boxes = [ctx.module.local_box(base_symbol(i)) for i in idents]
    loc = form.loc

    def define_values(env):
        vals = destructure(value_list(run_node(node, env)), req, rest, loc, "define-values")
        for box, v in zip(boxes, vals):
            box.value = v
        return UNSPECIFIED
    return define_values


# --- case-lambda ------------------------------------------------------------------------------

class CaseLambda:
    __slots__ = ("clauses", "name", "doc")

    def __init__(self, clauses: list, name: str | None, doc: str = ""):
        self.clauses = clauses
        self.name = name
        self.doc = doc

    @property
    def params(self) -> str:
        return " | ".join(c.params for c in self.clauses)

    def scheme_repr(self, write: bool) -> str:
        return f"#<procedure {self.name or 'anonymous'} (case-lambda)>"


def _apply_case_lambda(p: CaseLambda, args: list) -> Any:
    n = len(args)
    for c in p.clauses:
        if n == c.nreq or (n > c.nreq and c.info.rest):
            return TailCall(c, args)
    raise no_clause_error(p, n, "case-lambda")


def no_clause_error(p: CaseLambda, n: int, what: str) -> SchemeError:
    """No clause of a case-lambda (or case-lambda*) procedure takes `n` arguments."""
    return SchemeError(Condition(
        "wrong-number-of-args",
        f"wrong number of arguments to {p.name or what + ' procedure'}: no clause "
        f"accepts {n} argument{'s' if n != 1 else ''}", (), p.name,
        [f"clauses: {' '.join(arity_text(c) for c in p.clauses)}"],
        (p.name or False, "Wrong number of arguments to ~A", Pair(p, NIL), False)))


applicable[CaseLambda] = _apply_case_lambda


@special("case-lambda")
def _case_lambda(form, scope, ctx, tail):
    """(case-lambda ((ARGS ...) BODY ...) ...): a procedure choosing a clause by arity."""
    return compile_case_lambda(form, scope, ctx, "case-lambda", CaseLambda,
                               "each clause is ((ARG ...) BODY ...)")


def compile_case_lambda(form, scope, ctx, what: str, make, clause_hint: str,
                        star: bool = False):
    """(WHAT [DOC] ((ARGS ...) BODY ...) ...): a node making MAKE(procedures, name, doc)
    of one procedure per clause (lambda* clauses when STAR)."""
    clauses = to_list(form.cdr)
    doc = ""
    if clauses and type(clauses[0]) in (str, MString):
        doc, clauses = str(clauses[0]), clauses[1:]        # a docstring, as Guile allows
    for c in clauses:
        if type(c) is not Pair or c.cdr is NIL:
            raise malformed(form, what, [f"{_show(strip(c))} is not a clause: {clause_hint}"])
    makers = [compile_lambda(c.car, c.cdr, scope, ctx, form.loc, star=star) for c in clauses]

    def case_lambda(env):
        return make([m(env) for m in makers], None, doc)
    return case_lambda
