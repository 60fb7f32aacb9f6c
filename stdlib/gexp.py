"""G-expressions: code to run later, with references to files and packages inside.

A gexp is a template datum (Scheme code) holding `Ungexp` markers where the config wrote
`#$X`, `#$@X`, `#+X` or `#+@X`.  It is kept as data until a builder *lowers* it: every
marker is replaced by what it stands for once the files exist (a file-like object's path
in the store, a package's file on the host), and the result is plain Scheme code for the
consumers that run it later (Shepherd start/stop/actions, mcron jobs, activation).

`#$output` (and `#$output:NAME`) stand for the output of a `computed-file`; `#$pkg:out`
names one output of a package, as in Guix.
"""

from __future__ import annotations

from typing import Any, Callable

from vsys.dsl.compiler import Global, base_symbol, compile_form, constant, is_ident, strip
from vsys.dsl.compiler import resolve as resolve_binding
from vsys.dsl.datatypes import NIL, Location, Pair, S, Symbol, Vector, from_list, to_list
from vsys.dsl.errors import Condition, SchemeError, syntax_error
from vsys.dsl.modules import UNBOUND
from vsys.dsl.printer import write_string


class Lowerable:
    """What a gexp refers to by its path in the built system: file-like objects,
    packages, `file-append` values and `#$output` derive from this, so this module needs
    none of theirs."""

    __slots__ = ()

    def with_output(self, output: str) -> "Lowerable":
        """The object standing for its output OUTPUT (`#$qemu:static`); most have one."""
        return self


class Ungexp:
    """`#$value` inside a gexp; `splicing` for `#$@`, `native` for `#+` (same thing on
    a host that builds for itself).  `output` selects a package output (`#$qemu:static`)."""

    __slots__ = ("value", "splicing", "native", "output")

    def __init__(self, value: Any, splicing: bool = False, native: bool = False,
                 output: str = "out"):
        self.value = value
        self.splicing = splicing
        self.native = native
        self.output = output

    def scheme_repr(self, write: bool) -> str:
        tag = ("#+" if self.native else "#$") + ("@" if self.splicing else "")
        out = "" if self.output == "out" else f":{self.output}"
        return f"{tag}{write_string(self.value)}{out}"

    def __repr__(self) -> str:
        return f"<ungexp {self.scheme_repr(True)}>"


class Output(Lowerable):
    """`#$output`: the directory or file a computed-file's code must create."""

    __slots__ = ("name",)

    def __init__(self, name: str = "out"):
        self.name = name

    def with_output(self, output: str) -> "Output":
        return Output(output)

    def scheme_repr(self, write: bool) -> str:
        return "#<gexp-output>" if self.name == "out" else f"#<gexp-output {self.name}>"


class Gexp:
    """A template datum with `Ungexp` markers; `modules` and `extensions` record what
    `with-imported-modules` / `with-extensions` asked for."""

    __slots__ = ("template", "loc", "modules", "extensions")

    def __init__(self, template: Any, loc: Location | None = None,
                 modules: tuple = (), extensions: tuple = ()):
        self.template = template
        self.loc = loc
        self.modules = modules
        self.extensions = extensions

    def scheme_repr(self, write: bool) -> str:
        where = f" {self.loc}" if self.loc is not None else ""
        return f"#<gexp {write_string(self.template)}{where}>"

    def __repr__(self) -> str:
        return self.scheme_repr(True)


def _referenceable(x: Any) -> bool:
    """Objects a Python-built template may hold directly, standing for their paths."""
    return isinstance(x, Lowerable)


def _mark(x: Any) -> Any:
    """Wrap referenceable objects found in a Python-made template into Ungexp markers."""
    if isinstance(x, (list, tuple)):
        x = from_list(list(x))
    if type(x) is Pair:
        items = []
        p = x
        while type(p) is Pair:
            items.append(_mark(p.car))
            p = p.cdr
        return from_list(items, _mark(p) if p is not NIL else NIL)
    if type(x) is Gexp or _referenceable(x):
        return Ungexp(x)
    return x


def gexp(template: Any, modules: tuple = (), loc: Location | None = None) -> Gexp:
    """Build a gexp from Python.  `template` is Scheme data (Python lists and tuples are
    turned into Scheme lists); file-like objects, packages, `FileAppend` values, nested
    gexps and `Output` appear directly and stand for themselves (as `#$x` would).
    Explicit `Ungexp` markers are kept, e.g. `Ungexp(args, splicing=True)`."""
    if type(template) is Gexp:
        return template
    return Gexp(_mark(template), loc, tuple(modules))


def is_gexp(x: Any) -> bool:
    return type(x) is Gexp


# --- lowering -------------------------------------------------------------------------------

Resolver = Callable[[Any], Any]


def _lower_value(v: Any, resolve: Resolver, output: str) -> Any:
    """What `#$v` becomes in the lowered code."""
    if type(v) is Gexp:
        return lower(v, resolve)
    if type(v) is Pair:                  # a list: each element lowered in place
        items = []
        p = v
        while type(p) is Pair:
            items.append(_lower_value(p.car, resolve, "out"))
            p = p.cdr
        return from_list(items, p)
    if type(v) is Ungexp:
        return _lower_value(v.value, resolve, v.output)
    if _referenceable(v):
        return resolve(v if output == "out" else v.with_output(output))
    return v


def lower(g: Gexp, resolve: Resolver) -> Any:
    """The plain datum of `g`: each `#$x` replaced by `resolve(x)` for file-likes,
    packages, `FileAppend`s and `Output`; nested gexps inlined; lists lowered element
    by element; other values (strings, numbers, symbols) inserted as they are."""
    return _lower_datum(g.template, resolve)


def _lower_datum(x: Any, resolve: Resolver) -> Any:
    t = type(x)
    if t is Ungexp:
        if x.splicing:
            raise SchemeError(Condition(
                "syntax-error", "#$@ (ungexp-splicing) must be inside a list", (), "gexp"))
        return _lower_value(x.value, resolve, x.output)
    if t is Vector:
        return Vector(to_list(_lower_datum(from_list(list(x)), resolve)))
    if t is not Pair:
        return x
    items: list = []
    p = x
    while type(p) is Pair:
        item = p.car
        if type(item) is Ungexp and item.splicing:
            value = item.value
            if value is not NIL and type(value) is not Pair:
                        raise SchemeError(Condition(
                    "wrong-type-arg", f"#$@ needs a list, got {write_string(value)}",
                    (value,), "gexp"))
            items.extend(_lower_value(e, resolve, item.output) for e in to_list(value))
        else:
            items.append(_lower_datum(item, resolve))
        p = p.cdr
    tail = _lower_datum(p, resolve) if p is not NIL else NIL
    return from_list(items, tail)


def gexp_inputs(g: Gexp) -> list:
    """The file-like objects, packages, `FileAppend`s and outputs `g` refers to (nested
    gexps included), each once, in order of appearance."""
    seen: set[int] = set()
    out: list = []

    def value(v: Any) -> None:
        if type(v) is Gexp:
            datum(v.template)
        elif type(v) is Pair:
            for e in to_list(v):
                value(e)
        elif type(v) is Ungexp:
            value(v.value)
        elif _referenceable(v) and id(v) not in seen:
            seen.add(id(v))
            out.append(v)

    def datum(x: Any) -> None:
        while type(x) is Pair:
            datum(x.car)
            x = x.cdr
        if type(x) is Ungexp:
            value(x.value)
        elif type(x) is Vector:
            for e in x:
                datum(e)
        elif type(x) is Gexp or _referenceable(x):
            value(x)

    datum(g.template)
    return out


# --- the #~ special form ----------------------------------------------------------------------

_UNGEXP_TAGS = {
    S.ungexp: (False, False), S.ungexp_splicing: (True, False),
    S.ungexp_native: (False, True), S.ungexp_native_splicing: (True, True),
}


def _tag(x: Any):
    if type(x) is Pair and is_ident(x.car) and type(x.cdr) is Pair:
        flags = _UNGEXP_TAGS.get(base_symbol(x.car))
        if flags is not None:
            return flags
    return None


def _has_ungexp(x: Any) -> bool:
    stack = [x]
    while stack:
        x = stack.pop()
        if type(x) is Pair:
            if _tag(x) is not None:
                return True
            while type(x) is Pair:
                if _tag(x) is not None:
                    return True
                stack.append(x.car)
                x = x.cdr
        elif type(x) is Vector:
            stack.extend(x)
    return False


def _split_output(ident: Any) -> tuple[Any, str]:
    """`qemu:static` -> (qemu, "static"), as Guix reads `#$qemu:static`."""
    if type(ident) is Symbol and ":" in ident.name and not ident.name.startswith(":") \
            and not ident.name.endswith(":"):
        base, _, out = ident.name.rpartition(":")
        return Symbol(base), out
    return ident, "out"


def _compile_ungexp(x: Pair, flags, scope, ctx, loc):
    splicing, native = flags
    operands = to_list(x.cdr)
    if len(operands) not in (1, 2):
        raise syntax_error("#$ takes one expression (and optionally an output name)",
                           loc=x.loc or loc)
    expr = operands[0]
    output = "out"
    if len(operands) == 2:
        out_form = strip(operands[1])
        if not isinstance(out_form, str):
            raise syntax_error("the output of (ungexp X OUTPUT) must be a string",
                               loc=x.loc or loc)
        output = out_form
    elif type(expr) is Symbol and ":" in expr.name and not _bound(expr, scope, ctx):
        expr, output = _split_output(expr)
    if is_ident(expr) and base_symbol(expr).name == "output" and \
            not _bound(expr, scope, ctx):
        return constant(Ungexp(Output(output), splicing, native))
    node = compile_form(expr, scope, ctx, False, x.loc or loc)

    def make(env):
        return Ungexp(node(env), splicing, native, output)
    return make


def _bound(ident: Any, scope, ctx) -> bool:
    b = resolve_binding(ident, scope, ctx.module)
    if type(b) is not Global:
        return True
    box = b.box()
    return box is not None and box.value is not UNBOUND


def _compile_template(x: Any, scope, ctx, loc):
    """A node building the template with Ungexp markers for the escapes."""
    if not _has_ungexp(x):
        return constant(strip(x))
    flags = _tag(x)
    if flags is not None:
        return _compile_ungexp(x, flags, scope, ctx, loc)
    if type(x) is Vector:
        inner = _compile_template(from_list(list(x)), scope, ctx, loc)
        return lambda env: Vector(to_list(inner(env)))
    parts = []
    p = x
    while type(p) is Pair:
        if _tag(p) is not None:          # (a . #$b)
            break
        parts.append(_compile_template(p.car, scope, ctx, p.loc or loc))
        p = p.cdr
    tail = _compile_template(p, scope, ctx, loc) if p is not NIL else None
    locs = []
    q = x
    while type(q) is Pair and len(locs) < len(parts):
        locs.append(q.loc)
        q = q.cdr

    def build(env):
        result = tail(env) if tail is not None else NIL
        values = [n(env) for n in parts]
        for v, cell_loc in zip(reversed(values), reversed(locs)):
            result = Pair(v, result, cell_loc)
        return result
    return build


def compile_gexp(form: Pair, scope, ctx, tail):
    """#~EXPR: a gexp, code kept as data with #$ escapes evaluated now."""
    if type(form.cdr) is not Pair or form.cdr.cdr is not NIL:
        raise syntax_error("#~ (gexp) takes one expression", loc=form.loc)
    node = _compile_template(form.cdr.car, scope, ctx, form.loc)
    loc = form.loc

    def make(env):
        return Gexp(node(env), loc, _current_modules[-1] if _current_modules else ())
    return make


def compile_misplaced_ungexp(form: Pair, scope, ctx, tail):
    name = base_symbol(form.car).name
    short = {"ungexp": "#$", "ungexp-splicing": "#$@", "ungexp-native": "#+",
             "ungexp-native-splicing": "#+@"}.get(name, name)
    raise syntax_error(f"{short} ({name}) used outside a gexp", loc=form.loc,
                       hints=["#$ only means something inside #~(...); outside, write the "
                              "expression itself"])


# `with-imported-modules` is dynamic in Guix (a parameter read when #~ is evaluated).
_current_modules: list[tuple] = []


def compile_with_modules(kind: str):
    def compile_it(form: Pair, scope, ctx, tail):
        items = to_list(form.cdr)
        if len(items) < 2:
            raise syntax_error(f"{kind} needs a list and a body", loc=form.loc)
        mods_node = compile_form(items[0], scope, ctx, False, form.loc)
        body_nodes = [compile_form(b, scope, ctx, False, form.loc) for b in items[1:]]

        def run(env):
            mods = tuple(to_list(mods_node(env)))
            outer = _current_modules[-1] if _current_modules else ()
            _current_modules.append(outer + mods if kind == "with-imported-modules"
                                    else outer)
            try:
                result = None
                for n in body_nodes:
                    result = n(env)
            finally:
                _current_modules.pop()
            if type(result) is Gexp and kind == "with-extensions":
                result = Gexp(result.template, result.loc, result.modules,
                              result.extensions + mods)
            return result
        return run
    return compile_it


__all__ = ["Gexp", "Ungexp", "Output", "Lowerable", "gexp", "lower", "gexp_inputs", "is_gexp",
           "compile_gexp"]
