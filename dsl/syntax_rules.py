"""`syntax-rules` macros, and the forms that define them.

Matching binds pattern variables to pieces of the input (to lists of pieces under an
ellipsis).  Instantiating a template copies it, substituting those pieces and renaming
every other symbol to an `Alias` made fresh for this expansion: an alias that the
expansion binds (a temporary in a `let`) cannot capture the user's variables, and a free
one means what its symbol meant where the macro was defined (see compiler.resolve).
"""

from __future__ import annotations

from typing import Any

from .compiler import (
    Alias,
    Macro,
    Scope,
    base_symbol,
    compile_body,
    constant,
    head_syntax,
    is_ident,
    name_of,
    resolve,
    strip,
    syntax_value,
)
from .datatypes import (
    NIL,
    UNSPECIFIED,
    Pair,
    S,
    Symbol,
    Vector,
    from_list,
    is_list,
    is_string,
    to_list,
)
from .equality import equal
from .errors import syntax_error
from .printer import write_string
from .special_forms import CORE, args_of, special
from .syntax_violations import NO_MATCH, malformed, violation


class Seq:
    """The matches of a pattern variable under an ellipsis, one per repetition."""

    __slots__ = ("items",)

    def __init__(self, items: list):
        self.items = items


class SyntaxRules:
    def __init__(self, name: str, ellipsis: Any, literals: list, rules: list,
                 scope: Scope | None, module, loc):
        self.name = name
        self.ellipsis = ellipsis
        self.custom_ellipsis = ellipsis is not S.ellipsis
        self.literals = {base_symbol(x) for x in literals}
        self.rules = rules     # [(pattern, template)]
        self.scope = scope
        self.module = module
        self.loc = loc

    # -- matching --
    def is_ellipsis(self, x: Any) -> bool:
        # A custom ellipsis is that very identifier: when a macro writes
        # (syntax-rules ::: ...), a ::: the user passed in is an ordinary symbol (SRFI-46).
        if self.custom_ellipsis:
            return x is self.ellipsis
        return is_ident(x) and base_symbol(x) is self.ellipsis

    def match(self, pat: Any, form: Any, b: dict) -> bool:
        if is_ident(pat):
            s = base_symbol(pat)
            if s in self.literals:
                return is_ident(form) and base_symbol(form) is s
            if s is S.underscore:
                return True
            b[pat] = form
            return True
        if type(pat) is Pair:
            if type(pat.cdr) is Pair and self.is_ellipsis(pat.cdr.car):
                after = pat.cdr.cdr
                min_after = 0
                p = after
                while type(p) is Pair:
                    min_after += 1
                    p = p.cdr
                items = []
                f = form
                while type(f) is Pair:
                    items.append(f)
                    f = f.cdr
                count = len(items) - min_after
                if count < 0:
                    return False
                reps = []
                f = form
                for _ in range(count):
                    sub: dict = {}
                    if not self.match(pat.car, f.car, sub):
                        return False
                    reps.append(sub)
                    f = f.cdr
                for var in self.pattern_vars(pat.car):
                    b[var] = Seq([r[var] for r in reps])
                return self.match(after, f, b)
            if type(form) is not Pair:
                return False
            return self.match(pat.car, form.car, b) and self.match(pat.cdr, form.cdr, b)
        if pat is NIL:
            return form is NIL
        if type(pat) is Vector:
            return type(form) is Vector and self.match(from_list(list(pat)),
                                                       from_list(list(form)), b)
        return equal(strip(pat), strip(form))

    def pattern_vars(self, pat: Any) -> list:
        out = []
        stack = [pat]
        while stack:
            x = stack.pop()
            if is_ident(x):
                s = base_symbol(x)
                if s not in self.literals and s is not S.underscore and not self.is_ellipsis(x):
                    out.append(x)
            elif type(x) is Pair:
                stack.append(x.car)
                stack.append(x.cdr)
            elif type(x) is Vector:
                stack.extend(x)
        return out

    # -- instantiating --
    def instantiate(self, t: Any, b: dict, renames: dict, loc) -> Any:
        if is_ident(t):
            if t in b:
                v = b[t]
                if type(v) is Seq:
                    raise syntax_error(f"in macro {self.name}: pattern variable "
                                       f"{name_of(t)} is used without its ellipsis",
                                       loc=self.loc)
                return v
            a = renames.get(t)
            if a is None:
                a = renames[t] = Alias(t, self.scope, self.module)
            return a
        if type(t) is Pair:
            # (... ...) escapes an ellipsis: the rest of the template is literal
            if self.is_ellipsis(t.car) and type(t.cdr) is Pair:
                return self.literal(t.cdr.car, b, renames, loc)
            out_items: list = []
            p = t
            while type(p) is Pair:
                sub = p.car
                nell = 0
                q = p.cdr
                while type(q) is Pair and self.is_ellipsis(q.car):
                    nell += 1
                    q = q.cdr
                if nell:
                    out_items.extend(self.repeat(sub, nell, b, renames, loc))
                    p = q
                else:
                    out_items.append(self.instantiate(sub, b, renames, loc))
                    p = p.cdr
            tail = self.instantiate(p, b, renames, loc) if p is not NIL else NIL
            result = tail
            for item in reversed(out_items):
                result = Pair(item, result, loc)
            return result
        if type(t) is Vector:
            return Vector(to_list(self.instantiate(from_list(list(t)), b, renames, loc)))
        return t

    def literal(self, t: Any, b: dict, renames: dict, loc) -> Any:
        saved = self.ellipsis
        self.ellipsis = Symbol(" no ellipsis ")
        try:
            return self.instantiate(t, b, renames, loc)
        finally:
            self.ellipsis = saved

    def repeat(self, sub: Any, depth: int, b: dict, renames: dict, loc) -> list:
        vars_ = [v for v in self.template_vars(sub) if v in b and type(b[v]) is Seq]
        if not vars_:
            raise syntax_error(f"in macro {self.name}: an ellipsis follows a template with "
                               f"no pattern variable repeated by an ellipsis", loc=self.loc)
        lengths = {len(b[v].items) for v in vars_}
        if len(lengths) > 1:
            raise syntax_error(f"in macro {self.name}: pattern variables under one "
                               f"ellipsis matched different numbers of items", loc=loc)
        n = lengths.pop()
        out = []
        for k in range(n):
            b2 = dict(b)
            for v in vars_:
                b2[v] = b[v].items[k]
            if depth > 1:
                out.extend(self.repeat(sub, depth - 1, b2, renames, loc))
            else:
                out.append(self.instantiate(sub, b2, renames, loc))
        return out

    def template_vars(self, t: Any) -> list:
        out = []
        stack = [t]
        while stack:
            x = stack.pop()
            if is_ident(x):
                out.append(x)
            elif type(x) is Pair:
                stack.append(x.car)
                stack.append(x.cdr)
            elif type(x) is Vector:
                stack.extend(x)
        return out

    def expand(self, form: Pair, use_scope, ctx) -> Any:
        for pattern, template in self.rules:
            b: dict = {}
            if type(pattern) is Pair and self.match(pattern.cdr, form.cdr, b):
                out = self.instantiate(template, b, {}, form.loc)
                if type(out) is Pair and is_ident(out.car) and syntax_value(
                        resolve(out.car, self.scope, self.module)) is CORE["syntax-error"]:
                    # the macro reports the error itself: Guile names the macro and its use
                    raise syntax_error_form(out, form, self.name)
                return out
        shapes = [write_string(strip(p)) for p, _ in self.rules[:4]]
        raise violation(NO_MATCH, form, hints=[f"no pattern of macro {self.name} matches: "
                                               f"{self.name} accepts "
                                               + "; ".join(shapes)])


def make_macro(name: str, spec: Any, scope: Scope | None, ctx, loc) -> Macro:
    """A Macro from a transformer expression, which must be (syntax-rules ...), possibly
    written by a macro use that expands to it."""
    spec = head_syntax(spec, scope, ctx)[0]
    if not (type(spec) is Pair and is_ident(spec.car)
            and base_symbol(spec.car).name in ("syntax-rules", "er-macro-transformer",
                                               "syntax-case", "lambda")):
        raise syntax_error(f"bad transformer for macro {name}", loc=loc,
                           hints=["write (define-syntax NAME (syntax-rules (LITERAL ...) "
                                  "(PATTERN TEMPLATE) ...))"])
    kind = base_symbol(spec.car).name
    if kind != "syntax-rules":
        raise syntax_error(f"macro {name}: only syntax-rules transformers are supported",
                           loc=loc, hints=["rewrite the macro with syntax-rules, or use a "
                                           "procedure"])
    p = spec.cdr
    ellipsis = S.ellipsis
    if type(p) is Pair and is_ident(p.car):       # R7RS custom ellipsis
        ellipsis = p.car
        p = p.cdr
    if type(p) is not Pair:
        raise syntax_error(f"macro {name}: syntax-rules needs a list of literals", loc=loc)
    literals = [x for x in p.car] if p.car is not NIL else []
    doc = ""
    rest = p.cdr
    if type(rest) is Pair and is_string(rest.car):    # Guile takes a docstring here
        doc = str(rest.car)
        rest = rest.cdr
    rules = []
    for rule in rest:
        if type(rule) is not Pair or type(rule.cdr) is not Pair or rule.cdr.cdr is not NIL:
            raise syntax_error(f"macro {name}: each rule is (PATTERN TEMPLATE)",
                               loc=getattr(rule, "loc", None) or loc)
        rules.append((rule.car, rule.cdr.car))
    sr = SyntaxRules(name, ellipsis, literals, rules, scope, ctx.module, loc)
    return Macro(name, sr.expand, doc)


# --- the defining forms ------------------------------------------------------------------------

def _parts(form):
    name, spec = args_of(form, "define-syntax", 2, 2)
    if not is_ident(name):
        raise malformed(form, "define-syntax", ["define-syntax needs a name: write "
                                                "(define-syntax NAME (syntax-rules ...))"])
    return name, spec


def macro_definer(what: str, parts):
    """The body and top-level compilers of a macro-defining form, given `parts(form)`
    which returns the macro's name and its (syntax-rules ...) transformer."""
    def in_body(form, scope, ctx, loc):
        name, spec = parts(form)
        scope.macros[name] = make_macro(name_of(name), spec, scope, ctx, form.loc)
        return []

    def at_top(form, scope, ctx, tail):
        if scope is not None:
            raise violation("definition in expression context, where definitions are "
                            "not allowed", form)
        name, spec = parts(form)
        ctx.module.define(base_symbol(name),
                          make_macro(name_of(name), spec, None, ctx, form.loc))
        return constant(UNSPECIFIED)
    return in_body, at_top


_body_define_syntax, _define_syntax = macro_definer("define-syntax", _parts)
_define_syntax.__doc__ = "(define-syntax NAME (syntax-rules (LITERAL ...) (PATTERN TEMPLATE) ...))"
special("define-syntax", defining=_body_define_syntax)(_define_syntax)


@special("let-syntax", "letrec-syntax")
def _let_syntax(form, scope, ctx, tail):
    """(let-syntax ((NAME TRANSFORMER) ...) BODY ...)"""
    what = name_of(form.car)
    bindings = form.cdr.car if type(form.cdr) is Pair else None
    inner = Scope([], scope, ctx.module)
    if type(form.cdr) is not Pair or type(form.cdr.cdr) is not Pair or not is_list(form) \
            or not is_list(bindings) or not all(
            type(b) is Pair and is_ident(b.car) and type(b.cdr) is Pair and b.cdr.cdr is NIL
            for b in bindings):
        raise violation("bad local syntax definition", form,
                        hints=[f"write ({what} ((NAME (syntax-rules ...)) ...) BODY...)"])
    for b in bindings:
        name, spec = b.car, b.cdr.car
        def_scope = inner if what == "letrec-syntax" else scope
        inner.macros[name] = make_macro(name_of(name), spec, def_scope, ctx, form.loc)
    body = compile_body(form.cdr.cdr, inner, ctx, form.loc, f"{what} body", tail)
    extra = len(inner.names)

    def let_syntax(env):
        return body([env] + [None] * extra)
    return let_syntax


@special("syntax-rules")
def _syntax_rules(form, scope, ctx, tail):
    if type(form.cdr) is not Pair or not is_list(form.cdr):
        raise malformed(form, "syntax-rules", ["write (syntax-rules (LITERAL ...) "
                                               "(PATTERN TEMPLATE) ...)"])
    raise syntax_error("syntax-rules can only be used in define-syntax, let-syntax or "
                       "letrec-syntax", loc=form.loc)


def _rule_parts(form):
    """(define-syntax-rule (NAME . PATTERN) [DOCSTRING] TEMPLATE) as define-syntax parts."""
    ops = args_of(form, "define-syntax-rule", 2, 3)
    head = ops[0]
    if type(head) is not Pair or not is_ident(head.car):
        raise malformed(form, "define-syntax-rule",
                        ["write (define-syntax-rule (NAME . PATTERN) TEMPLATE)"])
    template = ops[-1]
    rule = from_list([Pair(Symbol("_"), head.cdr), template])
    spec = from_list([Symbol("syntax-rules"), NIL, rule])
    return head.car, spec


_body_define_syntax_rule, _define_syntax_rule = macro_definer("define-syntax-rule",
                                                              _rule_parts)
_define_syntax_rule.__doc__ = "(define-syntax-rule (NAME . PATTERN) TEMPLATE): a one-rule macro."
special("define-syntax-rule", defining=_body_define_syntax_rule)(_define_syntax_rule)


def syntax_error_form(form: Pair, use: Any = None, who: str | None = None):
    """(syntax-error MESSAGE ARG ...) as Guile raises it: MESSAGE then each ARG written;
    from a macro's expansion, WHO is the macro and USE the form that used it."""
    items = to_list(form.cdr) if type(form.cdr) is Pair else []
    if not items or not is_string(items[0]):
        return violation(NO_MATCH, form, hints=["write (syntax-error \"MESSAGE\" ARG ...)"])
    text = " ".join([str(items[0])] + [write_string(strip(a)) for a in items[1:]])
    err = violation(text, use if use is not None else False, who, loc=form.loc)
    if use is None:
        err.payload.display_text = text
    return err


@special("syntax-error")
def _syntax_error(form, scope, ctx, tail):
    """(syntax-error MESSAGE ARG ...): a syntax error, from a macro's expansion (R7RS)."""
    raise syntax_error_form(form)
