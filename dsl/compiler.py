"""The evaluator: Scheme data compiled to Python closures, then run.

`compile_form(x, scope, ctx, tail)` turns an expression into a *node*, a Python function of one
argument, the runtime frame (see procedures.Closure).  Running a node is evaluation.
Compiling first means each variable is looked up once (lexical variables become frame
indexes, globals become shared boxes) and each special form is dispatched once.

Tail calls: an application in tail position returns `TailCall(proc, args)`; the
trampoline in `procedures.call` runs it, so loops written as recursion use constant
Python stack.

Hygiene: a macro's template symbols are renamed to `Alias` objects (see syntax_rules);
an alias binds only what the same expansion introduced and otherwise means what its name
meant where the macro was defined.  Special forms and macros are ordinary bindings, so a
local variable named `list` or `if` shadows them as Scheme requires.
"""

from __future__ import annotations

from typing import Any, Callable

from .calls import make_application
from .datatypes import NIL, UNSPECIFIED, Keyword, Location, Pair, Symbol, Vector, from_list
from .errors import Condition, SchemeError, did_you_mean, syntax_error
from .fastpaths import specialize
from .modules import UNBOUND, Box, Module, exporters, loaded_modules, module_name_text
from .printer import write_string
from .procedures import UNASSIGNED, Closure, LambdaInfo, TailCall, arity_error, call
from .special_forms import DEFINING_FORMS, SpecialForm
from .syntax_violations import ENCLOSING, NO_MATCH, enclose, set_stripper, violation

Node = Callable[[list], Any]


# --- identifiers -------------------------------------------------------------------------

class Alias:
    """A symbol a macro introduced.  It stands for `name` as seen from `scope` (the macro's
    definition scope, None at module level) in `module`."""

    __slots__ = ("name", "scope", "module", "toplevel")

    def __init__(self, name: "Symbol | Alias", scope: "Scope | None", module: Module):
        self.name = name
        self.scope = scope
        self.module = module
        self.toplevel: Global | None = None    # set when the expansion defines it at top level

    def __repr__(self) -> str:
        return f"<alias {base_symbol(self).name}>"


def is_ident(x: Any) -> bool:
    t = type(x)
    return t is Symbol or t is Alias


def base_symbol(x: Any) -> Symbol:
    while type(x) is Alias:
        x = x.name
    return x


def strip(x: Any) -> Any:
    """syntax->datum: the plain data of a form, aliases replaced by their symbols."""
    t = type(x)
    if t is Alias:
        return base_symbol(x)
    if t is Pair:
        # Iterative over the spine so long quoted lists don't recurse deeply.
        head = out = Pair(strip(x.car), NIL, x.loc)
        x = x.cdr
        while type(x) is Pair:
            cell = Pair(strip(x.car), NIL, x.loc)
            out.cdr = cell
            out = cell
            x = x.cdr
        out.cdr = strip(x) if type(x) is not type(NIL) else NIL
        return head
    if t is Vector:
        return Vector(strip(e) for e in x)
    return x


set_stripper(strip)


def name_of(x: Any) -> str:
    return base_symbol(x).name if is_ident(x) else str(x)


# --- compile-time scopes -----------------------------------------------------------------

class Scope:
    """The compile-time picture of one runtime frame: which identifier lives in which
    slot (slot i is frame[i + 1]; frame[0] is the parent frame)."""

    __slots__ = ("names", "slots", "parent", "module", "macros", "checked", "used", "captured")

    def __init__(self, names, parent: "Scope | None", module: Module):
        self.names: list = list(names)
        self.slots: dict = {n: i for i, n in enumerate(self.names)}
        self.parent = parent
        self.module = module
        self.macros: dict = {}
        self.checked: set[int] = set()   # slots that may be read before they are set
        # Slots some code refers to, and whether (the-environment) captured them all: a
        # prompt handler that never refers to its continuation lets the prompt be an
        # escape (control.call_with_prompt).
        self.used: set[int] = set()
        self.captured = False

    def add(self, ident: Any, checked: bool = True) -> int:
        idx = self.slots.get(ident)
        if idx is None:
            idx = len(self.names)
            self.names.append(ident)
            self.slots[ident] = idx
        if checked:
            self.checked.add(idx)
        return idx


class Local:
    __slots__ = ("depth", "index", "scope")

    def __init__(self, depth: int, index: int, scope: Scope):
        self.depth = depth
        self.index = index
        self.scope = scope


class Global:
    __slots__ = ("module", "symbol")

    def __init__(self, module: Module, symbol: Symbol):
        self.module = module
        self.symbol = symbol

    def box(self) -> Box | None:
        return self.module.lookup(self.symbol)


def resolve(ident: Any, scope: Scope | None, module: Module) -> Any:
    """What an identifier denotes here: a Local, a lexical macro, or a Global."""
    depth = 0
    s = scope
    while s is not None:
        m = s.macros.get(ident)
        if m is not None:
            return m
        idx = s.slots.get(ident)
        if idx is not None:
            s.used.add(idx)
            return Local(depth, idx, s)
        if type(ident) is Alias and ident.scope is s:
            ident = ident.name      # seen from here the alias means its original name
            continue
        depth += 1
        s = s.parent
    while type(ident) is Alias:
        if ident.toplevel is not None:
            return ident.toplevel
        module = ident.module
        ident = ident.name
    return Global(module, ident)


def syntax_value(binding: Any) -> Any:
    """The special form or macro an identifier denotes, or None for a variable."""
    if type(binding) is Local:
        return None
    if type(binding) is Global:
        box = binding.box()
        if box is None:
            return None
        v = box.value
        return v if isinstance(v, (SpecialForm, Macro)) else None
    return binding  # a lexical macro


class Macro:
    """A macro: `expand(form, use_scope, ctx)` returns the expansion."""

    __slots__ = ("name", "expand", "doc")

    def __init__(self, name: str, expand: Callable, doc: str = ""):
        self.name = name
        self.expand = expand
        self.doc = doc

    def scheme_repr(self, write: bool) -> str:
        return f"#<syntax-transformer {self.name}>"


# --- the compilation context ---------------------------------------------------------------

class Ctx:
    """Per-compilation facts: the module code is compiled in (changes with define-module)."""

    __slots__ = ("module", "file")

    def __init__(self, module: Module, file: str | None = None):
        self.module = module
        self.file = file


def loc_of(x: Any, default: Location | None) -> Location | None:
    return x.loc if type(x) is Pair and x.loc is not None else default


def elem_loc(cell: Pair, default: Location | None) -> Location | None:
    """Where the element held by a list cell starts.  A list element knows its own
    position; an atom's is kept on its cell (the first cell of a list holds the list's
    own position, so an atom in first place is located at its list)."""
    car = cell.car
    if type(car) is Pair and car.loc is not None:
        return car.loc
    return cell.loc or default


# --- compiling expressions -------------------------------------------------------------------

def compile_form(x: Any, scope: Scope | None, ctx: Ctx, tail: bool = False,
                 loc: Location | None = None) -> Node:
    t = type(x)
    if t is Symbol or t is Alias:
        return compile_ref(x, scope, ctx, loc)
    if t is Pair:
        loc = x.loc or loc
        head = x.car
        if type(head) is Symbol or type(head) is Alias:
            binding = resolve(head, scope, ctx.module)
            syn = syntax_value(binding)
            if syn is not None:
                if type(syn) is SpecialForm:
                    try:
                        return syn.compile(x, scope, ctx, tail)
                    except SchemeError as e:
                        enclose(e, x)
                        raise
                try:
                    return compile_form(expand_macro(syn, x, scope, ctx), scope, ctx, tail,
                                        loc)
                except RecursionError as e:     # a macro expanding into itself forever:
                    try:                        # located at the innermost use (see
                        e.loc                   # _NOTE_OVERFLOW: no calls this deep)
                    except AttributeError:
                        e.loc = loc
                        e.expanding = True
                    raise
        elif type(head) is SpecialForm:
            # Expansions written in Python name core forms by value, so that a user's local
            # variable called `begin` or `lambda` cannot capture them.
            return head.compile(x, scope, ctx, tail)
        elif type(head) is Pair:
            for rewrite in HEAD_REWRITES:     # ((@@ (module) macro) ...): see module_forms
                form = rewrite(x, scope, ctx)
                if form is not None:
                    return compile_form(form, scope, ctx, tail, loc)
        return compile_application(x, scope, ctx, tail, loc)
    if t is type(NIL):
        raise violation("unexpected syntax", x, loc=loc,
                        hints=["() has no procedure to call: to write the empty list as a "
                               "value, quote it: '()"])
    if t is Keyword or t is Vector:
        return constant(x)
    return constant(x)


# Functions (form, scope, ctx) -> form or None, tried on a form whose operator is itself
# a form: a layer above gives meaning to some (a macro named by module, with @@).
HEAD_REWRITES: list = []


def expand_macro(macro: Macro, form: Pair, scope: Scope | None, ctx: Ctx) -> Any:
    try:
        return macro.expand(form, scope, ctx)
    except SchemeError as e:
        if e.loc is None:
            e.loc = form.loc
        raise


def constant(value: Any) -> Node:
    def const(env):
        return value
    const.constant = value   # lets forms like `if` and the arithmetic fast paths look inside
    return const


def compile_ref(ident: Any, scope: Scope | None, ctx: Ctx, loc: Location | None) -> Node:
    binding = resolve(ident, scope, ctx.module)
    if type(binding) is Local:
        return local_ref(binding, ident, loc)
    if type(binding) is Global:
        return global_ref(binding, scope, loc)
    raise syntax_error(f"{name_of(ident)} is a macro, not a value", loc=loc,
                       hints=[f"use it in operator position: ({name_of(ident)} ...)"])


def local_ref(b: Local, ident: Any, loc: Location | None) -> Node:
    i = b.index + 1
    d = b.depth
    if b.index in b.scope.checked:
        def checked_ref(env):
            for _ in range(d):
                env = env[0]
            v = env[i]
            if v is UNASSIGNED:
                # Guile's key and arguments for a variable not yet given a value
                raise SchemeError(Condition(
                    "misc-error",
                    f"{name_of(ident)} is used before its definition has been evaluated",
                    (), None, ["move the definition before its first use"],
                    ("variable-ref", "Unbound variable: ~S", from_list([base_symbol(ident)]),
                     False), loc))
            return v
        checked_ref.local = (d, i)
        return checked_ref
    if d == 0:
        def ref0(env):
            return env[i]
        ref0.local = (0, i)
        return ref0
    if d == 1:
        def ref1(env):
            return env[0][i]
        ref1.local = (1, i)
        return ref1
    if d == 2:
        def ref2(env):
            return env[0][0][i]
        return ref2

    def refn(env):
        for _ in range(d):
            env = env[0]
        return env[i]
    return refn


def global_ref(b: Global, scope: Scope | None, loc: Location | None) -> Node:
    box = b.box()
    if box is None:
        box = b.module.local_box(b.symbol)   # a forward reference; defined later, we hope
    if type(box.value) is SpecialForm and box.value.as_value is not None:
        return constant(box.value.as_value)
    if isinstance(box.value, (SpecialForm, Macro)):
        name = b.symbol.name
        # Guile's words for a keyword alone ("failed to match any pattern"), then ours
        raise syntax_error(f"{name} is syntax, not a value: source expression failed to "
                           f"match any pattern", loc=loc,
                           hints=[f"{name} can only be used as ({name} ...)"])

    def gref(env):
        v = box.value
        if v is UNBOUND:
            return late_global(b, box, scope, loc)
        return v
    gref.box = box
    return gref


def late_global(b: Global, box: Box, scope: Scope | None, loc: Location | None) -> Any:
    """Slow path: the box was unbound when read.  An import may provide it by now."""
    other = b.module.lookup(b.symbol)
    if other is not None and other.value is not UNBOUND:
        return other.value
    raise unbound_variable(b.symbol, scope, b.module, loc)


def import_hint(sym: Symbol) -> list[str]:
    """'X is exported by (M): add (use-modules (M))', when a library module has it; or
    'X is defined in (M) but not exported' for a config's own module."""
    names = [n for n in exporters(sym) if n != ("guile",)]
    if not names:
        for mod in loaded_modules():
            box = mod.bindings.get(sym)
            if (mod.filename and box is not None and box.value is not UNBOUND
                    and mod.public_box(sym) is None):
                return [f"{sym.name} is defined in {module_name_text(mod.name)} "
                        f"({mod.filename}) but not exported: add it to that module's "
                        f"#:export list"]
        return []
    where = " and ".join(module_name_text(n) for n in names[:3])
    first = names[0]
    if first[:2] == ("gnu", "services") and len(first) == 3:
        how = f"(use-service-modules {first[2]})"
    elif first[:2] == ("gnu", "packages") and len(first) == 3:
        how = f"(use-package-modules {first[2]})"
    else:
        how = f"(use-modules {module_name_text(first)})"
    return [f"{sym.name} is exported by {where}: add {how} at the top of the file"]


# Hints from the layers above for names they know but do not bind: the service library
# adds one for the procedures that exist only inside G-expressions, on the Shepherd side.
UNBOUND_HINTS: list[Callable[[Symbol], list[str]]] = []


def _layer_hint(sym: Symbol) -> list[str]:
    for hint in UNBOUND_HINTS:
        lines = hint(sym)
        if lines:
            return lines
    return []


def unbound_variable(sym: Symbol, scope: Scope | None, module: Module,
                     loc: Location | None) -> SchemeError:
    # Record types are also bound as %NAME-type, for the library's own use: not a
    # name to suggest.
    names = {n for n in module.visible_names()
             if not (n.startswith("%") and n.endswith("-type"))}
    s = scope
    while s is not None:
        names.update(name_of(n) for n in s.names)
        names.update(name_of(n) for n in s.macros)
        s = s.parent
    return SchemeError(Condition(
        "unbound-variable", f"unbound variable: {sym.name}", (sym,), None,
        import_hint(sym) or _layer_hint(sym) or did_you_mean(sym.name, names),
        throw_args=(False, "Unbound variable: ~S", Pair(sym, NIL), False), loc=loc))


# Checks of calls to a global by name, `check(name, form, box, ctx, loc)`, from the layers
# that know what to check: dsl.portability warns of what Guile needs an import for.
CALL_CHECKS: dict[str, Callable] = {}


# --- application ---------------------------------------------------------------------------

def compile_application(x: Pair, scope: Scope | None, ctx: Ctx, tail: bool,
                        loc: Location | None) -> Node:
    fnode = compile_form(x.car, scope, ctx, False, loc)
    argnodes = []
    arglocs = []
    p = x.cdr
    while type(p) is Pair:
        aloc = elem_loc(p, loc)
        argnodes.append(compile_form(p.car, scope, ctx, False, aloc))
        arglocs.append(aloc)
        p = p.cdr
    if p is not NIL:
        raise violation(NO_MATCH, x, loc=loc,
                        hints=["a procedure call cannot end with ' . expr'"])
    fname = name_of(x.car) if is_ident(x.car) else None
    check = CALL_CHECKS.get(fname)
    if check is not None:
        binding = resolve(x.car, scope, ctx.module)
        if type(binding) is Global:
            check(fname, x, binding.box(), ctx, loc)
    node = specialize(fnode, argnodes, arglocs, tail, loc, fname)
    if node is not None:
        return node
    return make_application(fnode, argnodes, tail, loc, fname, arglocs)


# --- sequences and bodies -----------------------------------------------------------------

def sequence(nodes: list[Node]) -> Node:
    if not nodes:
        return constant(UNSPECIFIED)
    if len(nodes) == 1:
        return nodes[0]
    if len(nodes) == 2:
        n0, n1 = nodes

        def seq2(env):
            n0(env)
            return n1(env)
        return seq2
    init, last = nodes[:-1], nodes[-1]

    def seqn(env):
        for n in init:
            n(env)
        return last(env)
    return seqn


def form_list(x: Any, what: str, loc: Location | None) -> list:
    """The elements of a proper list of forms, with a clear error otherwise."""
    out = []
    while type(x) is Pair:
        out.append(x)
        x = x.cdr
    if x is not NIL:
        raise syntax_error(f"bad {what}: improper list", loc=loc)
    return out


# Expansions of one form in a row before `head_syntax` calls it endless; the same kind
# of error as an endless expansion in an expression, which runs out of stack.
HEAD_EXPANSIONS = 10_000


def head_syntax(form: Any, scope: Scope | None, ctx: Ctx) -> tuple[Any, Any]:
    """Macro-expand `form` until its head is not a macro; return (form, special-form|None)."""
    expansions = 0
    while type(form) is Pair and is_ident(form.car):
        expansions += 1
        if expansions > HEAD_EXPANSIONS:    # a macro expanding into itself forever
            e = RecursionError()
            e.loc, e.expanding = form.loc, True
            raise e
        syn = syntax_value(resolve(form.car, scope, ctx.module))
        if syn is None:
            return form, None
        if type(syn) is SpecialForm:
            return form, syn
        form = expand_macro(syn, form, scope, ctx)
    return form, None


def compile_body(body: Any, scope: Scope, ctx: Ctx, loc: Location | None,
                 what: str = "body", tail: bool = True) -> Node:
    """A lambda or let body: internal definitions (letrec* semantics) then expressions.

    Definitions become slots of `scope`'s frame.  Heads are macro-expanded first, so a
    macro that expands into definitions (define-record-type, user macros) works."""
    items: list[tuple] = []
    pending = [(cell.car, elem_loc(cell, loc)) for cell in form_list(body, what, loc)]
    pending.reverse()
    while pending:
        form, floc = pending.pop()
        form, syn = head_syntax(form, scope, ctx)
        if syn is not None and syn.name == "begin":
            subs = [(c.car, elem_loc(c, floc)) for c in form_list(form.cdr, "begin", floc)]
            pending.extend(reversed(subs))
            continue
        if syn is not None and syn.name in DEFINING_FORMS:
            items.extend(DEFINING_FORMS[syn.name](form, scope, ctx, floc))
            continue
        items.append(("expr", form, floc))
    if not any(kind == "expr" for kind, *_ in items):
        raise violation("body should end with an expression" if items else "empty body",
                        ENCLOSING, loc=loc, hints=[f"{what} has no expression after its "
                                              "definitions: a body must end with an "
                                              "expression that gives its value"])
    nodes = []
    last = len(items) - 1
    for k, item in enumerate(items):
        if item[0] == "expr":
            nodes.append(compile_form(item[1], scope, ctx, tail=tail and k == last,
                                      loc=item[2]))
        else:
            nodes.append(item[1](scope, ctx))    # a definition's deferred compiler
    return sequence(nodes)


def frame_setter(scope: Scope, idx: int, value: Node) -> Node:
    i = idx + 1

    def set_slot(env):
        env[i] = value(env)
        return UNSPECIFIED
    return set_slot


# --- lambda ---------------------------------------------------------------------------------

_optional = Keyword("optional")
_key = Keyword("key")
_rest = Keyword("rest")
_allow_other_keys = Keyword("allow-other-keys")


def parse_formals(formals: Any, loc: Location | None, star: bool) -> dict:
    """(a b . c) or, for lambda*, (a #:optional (b 1) #:key c (d 2) #:rest r)."""
    req: list = []
    opt: list = []         # (ident, default form or None)
    keys: list = []        # (ident, keyword, default form or None)
    rest = None
    allow_other = False
    mode = "req"
    p = formals
    seen: set = set()
    who = "lambda*" if star else "lambda"

    def note(ident):
        if not is_ident(ident):
            raise violation("invalid argument list", formals, who, p, loc=loc,
                            hints=[f"a parameter is a name, not {write_string(strip(ident))}"])
        if ident in seen:
            raise violation("duplicate identifier in argument list", formals, who, loc=loc,
                            hints=[f"the parameter {name_of(ident)} is named twice"])
        seen.add(ident)
        return ident

    while type(p) is Pair:
        item = p.car
        if type(item) is Keyword and star:
            if item is _optional:
                mode = "opt"
            elif item is _key:
                mode = "key"
            elif item is _rest:
                mode = "rest"
            elif item is _allow_other_keys:
                allow_other = True
            else:
                raise violation("invalid argument list", formals, who, p, loc=loc,
                                hints=[f"#:{item.name} is not one of #:optional, #:key, "
                                       "#:rest, #:allow-other-keys"])
        elif mode == "req":
            req.append(note(item))
        elif mode == "rest":
            rest = note(item)
        else:
            if type(item) is Pair:
                ident, default = item.car, (item.cdr.car if type(item.cdr) is Pair else None)
            else:
                ident, default = item, None
            if mode == "opt":
                opt.append((note(ident), default))
            else:   # (VAR DEFAULT #:KEYWORD) names the keyword apart from the variable
                third = item.cdr.cdr if type(item) is Pair and type(item.cdr) is Pair else NIL
                kw = third.car if type(third) is Pair and type(third.car) is Keyword \
                    else Keyword(name_of(ident))
                keys.append((note(ident), kw, default))
        p = p.cdr
    if p is not NIL:
        rest = note(p)
    return {"req": req, "opt": opt, "keys": keys, "rest": rest, "allow_other": allow_other}


def params_text(f: dict) -> str:
    parts = [name_of(i) for i in f["req"]]
    if f["opt"]:
        parts.append("#:optional")
        parts.extend(name_of(i) for i, _ in f["opt"])
    if f["keys"]:
        parts.append("#:key")
        parts.extend(name_of(i) for i, _, _ in f["keys"])
    text = " ".join(parts)
    if f["rest"] is not None:
        text = f"{text} . {name_of(f['rest'])}" if text else f". {name_of(f['rest'])}"
    return text


def compile_lambda(formals: Any, body: Any, scope: Scope | None, ctx: Ctx,
                   loc: Location | None, name: str | None = None, star: bool = False) -> Node:
    f = parse_formals(formals, loc, star)
    # The rest list comes before the keywords, whose defaults may use it (as in Guile).
    names = list(f["req"]) + [i for i, _ in f["opt"]]
    if f["rest"] is not None:
        names.append(f["rest"])
    names += [i for i, _, _ in f["keys"]]
    inner = Scope(names, scope, ctx.module)
    nparams = len(names)
    doc = ""
    if type(body) is Pair and type(body.car) is str and body.cdr is not NIL:
        doc = body.car           # a docstring, as Guile allows
        body = body.cdr
    body_node = compile_body(body, inner, ctx, loc, "lambda body")
    nlocals = len(inner.names) - nparams
    simple = not f["opt"] and not f["keys"] and f["rest"] is None
    info = LambdaInfo(name=name, nreq=len(f["req"]), nopt=len(f["opt"]),
                      rest=f["rest"] is not None, keys=tuple(k for _, k, _ in f["keys"]),
                      allow_other_keys=f["allow_other"], params=params_text(f), loc=loc,
                      doc=doc)
    # Defaults compile in scopes of their own, so only a lambda without them can tell.
    info.ignores_first = (bool(f["req"]) and not f["opt"] and not f["keys"]
                          and 0 not in inner.used and not inner.captured)
    if not simple:
        info.binder = make_binder(f, inner, ctx, nlocals, info)

    def make_closure(env):
        return Closure(body_node, env, info, nlocals, simple)
    make_closure.lambda_info = info
    return make_closure


def make_binder(f: dict, scope: Scope, ctx: Ctx, nlocals: int, info: LambdaInfo):
    """Frame construction for lambdas with optional, keyword or rest parameters.

    A default sees the parameters before its own, which are already in the frame when
    it runs, and beyond them the enclosing scope: in (lambda* (#:key (x x)) ...) the
    default is the outer x, as in Guile."""
    nreq = len(f["req"])

    def default(d, position: int):
        if d is None:
            return None
        return compile_form(d, Scope(scope.names[:position], scope.parent, ctx.module), ctx)
    opt_defaults = [default(d, nreq + k) for k, (_, d) in enumerate(f["opt"])]
    first_key = nreq + len(f["opt"]) + (f["rest"] is not None)
    key_specs = [(k, default(d, first_key + j)) for j, (_, k, d) in enumerate(f["keys"])]
    has_rest = f["rest"] is not None
    has_keys = bool(key_specs)
    allow_other = f["allow_other"]
    nopt = len(opt_defaults)

    def bind(proc: Closure, args: list) -> list:
        n = len(args)
        if n < nreq or (not has_rest and not has_keys and n > nreq + nopt):
            raise arity_error(proc, n)
        frame = [proc.env]
        frame.extend(args[:nreq])
        pos = nreq
        for d in opt_defaults:
            if pos < n and not (has_keys and type(args[pos]) is Keyword):
                frame.append(args[pos])
                pos += 1
            else:
                frame.append(False if d is None else d(frame))
        remaining = args[pos:]
        if has_rest:
            frame.append(from_list(remaining))
        if has_keys:
            given: dict = {}
            k = 0
            while k < len(remaining):
                kw = remaining[k]
                if type(kw) is not Keyword:
                    if has_rest:
                        k += 1
                        continue
                    raise SchemeError(Condition(
                        "keyword-argument-error",
                        f"{proc.name or 'procedure'}: expected a keyword argument, got "
                        f"{_show(kw)}", (kw,), proc.name,
                        [f"{proc.name} is called as ({proc.name} {proc.params})"],
                        _keyword_throw_args(proc, "Invalid keyword", kw)))
                if k + 1 >= len(remaining):
                    raise SchemeError(Condition(
                        "keyword-argument-error",
                        f"{proc.name or 'procedure'}: keyword #:{kw.name} has no value",
                        (kw,), proc.name, None,
                        _keyword_throw_args(proc, "Keyword argument has no value", kw)))
                given[kw] = remaining[k + 1]
                k += 2
            known = {kw for kw, _ in key_specs}
            unknown = [kw for kw in given if kw not in known]
            if unknown and not allow_other:
                raise SchemeError(Condition(
                    "keyword-argument-error",
                    f"{proc.name or 'procedure'}: unrecognized keyword #:{unknown[0].name}",
                    (unknown[0],), proc.name,
                    did_you_mean(unknown[0].name, [kw.name for kw in known]) +
                    [f"{proc.name} accepts {' '.join('#:' + kw.name for kw in known)}"],
                    _keyword_throw_args(proc, "Unrecognized keyword", unknown[0])))
            for kw, d in key_specs:
                if kw in given:
                    frame.append(given[kw])
                else:
                    frame.append(False if d is None else d(frame))
        elif not has_rest and remaining:
            raise arity_error(proc, n)
        if nlocals:
            frame.extend([UNASSIGNED] * nlocals)
        return frame
    return bind


def _keyword_throw_args(proc: Any, fmt: str, datum: Any) -> tuple:
    """What a `catch` handler of keyword-argument-error gets, as from Guile:
    (PROCEDURE FORMAT () (DATUM))."""
    return (proc, fmt, NIL, Pair(datum, NIL))


def _show(x: Any) -> str:
    return write_string(x)


# --- running ------------------------------------------------------------------------------

def run_node(node: Node, env: Any = None) -> Any:
    """Run a compiled top-level node, finishing any tail call it hands back."""
    r = node(env)
    if type(r) is TailCall:
        r = call(r.proc, r.args)
    return r


def eval_form(x: Any, ctx: Ctx) -> Any:
    """Compile and run one top-level form in ctx.module."""
    return run_node(compile_toplevel(x, ctx))


def compile_toplevel(x: Any, ctx: Ctx, loc: Location | None = None) -> Node:
    return compile_form(x, None, ctx, tail=False, loc=loc_of(x, loc))
