"""Module forms: define-module, use-modules, export, @ and @@, plus load, include,
cond-expand and eval-when.  They act when compiled, because what they import decides
how the forms after them compile."""

from __future__ import annotations

import os
from typing import Any

from . import control, loader
from .compiler import (
    HEAD_REWRITES,
    Alias,
    Ctx,
    Macro,
    SpecialForm,
    base_symbol,
    compile_form,
    constant,
    elem_loc,
    is_ident,
    name_of,
    resolve,
    run_node,
    strip,
    syntax_value,
)
from .control import current_module
from .datatypes import NIL, UNSPECIFIED, Keyword, Pair, from_list, is_string, pystr, to_list
from .errors import error, syntax_error, wrong_type
from .features import FEATURES
from .modules import UNBOUND, Interface, Module, ModuleName, module_name_text, primitive
from .printer import write_string
from .special_forms import CORE, args_of, special


def module_name(x: Any, loc) -> ModuleName:
    items = to_list(x) if type(x) is Pair else None
    if not items or not all(is_ident(i) or type(i) is int for i in items):
        raise syntax_error(f"bad module name {write_string(strip(x))}", loc=loc,
                           hints=["a module name is a list of symbols, like (gnu services)"])
    return tuple(name_of(i) if is_ident(i) else str(i) for i in items)


def _keyword(x: Any) -> Any:
    """Module options may still be written in the old :use-module style."""
    if is_ident(x) and name_of(x).startswith(":"):
        return Keyword(name_of(x)[1:])
    return x


def interface_spec(spec: Any, ctx: Ctx, loc) -> Interface:
    """`(a b)` or `((a b) #:select (x (y . z)) #:prefix p: #:hide (w))`."""
    if type(spec) is Pair and type(spec.car) is Pair:
        mod = loader.resolve_module(module_name(spec.car, loc), loc)
        opts = to_list(spec.cdr)
        select = None
        prefix = ""
        hide: frozenset = frozenset()
        k = 0
        while k < len(opts):
            key = _keyword(opts[k])
            val = opts[k + 1] if k + 1 < len(opts) else NIL
            if key is Keyword("select"):
                select = {}
                for item in to_list(val):
                    if type(item) is Pair:
                        original, local = base_symbol(item.car), base_symbol(item.cdr)
                    else:
                        original = local = base_symbol(item)
                    if mod.public_box(original) is None:
                        raise error(f"module {module_name_text(mod.name)} does not export "
                                    f"{original.name}", key="module-error", loc=loc)
                    select[local] = original
            elif key is Keyword("prefix"):
                prefix = name_of(val)
            elif key is Keyword("hide"):
                hide = frozenset(base_symbol(x) for x in to_list(val))
            elif key is Keyword("renamer"):
                pass   # (symbol-prefix-proc 'p:) and friends: rare in configs
            else:
                raise syntax_error(f"unknown use-modules option {name_of(key)}", loc=loc)
            k += 2
        return Interface(mod, select, prefix, hide)
    return loader.resolve_module(module_name(spec, loc), loc).interface()


@special("use-modules")
def _use_modules(form, scope, ctx, tail):
    """(use-modules (MODULE NAME) ...): make the modules' exports visible here."""
    for cell_spec, loc in _specs(form):
        ctx.module.use(interface_spec(cell_spec, ctx, loc))
    return constant(UNSPECIFIED)


def _specs(form):
    out = []
    p = form.cdr
    while type(p) is Pair:
        out.append((p.car, elem_loc(p, form.loc)))
        p = p.cdr
    return out


@special("define-module")
def _define_module(form, scope, ctx, tail):
    """(define-module (NAME ...) #:use-module (M) #:export (NAME ...) ...)"""
    ops = args_of(form, "define-module", 1)
    name = module_name(ops[0], form.loc)
    opts = ops[1:]
    # Where each option's value is written: an import that fails is reported at the
    # clause naming the module, not at the define-module line.
    locs = [loc for _, loc in _specs(form.cdr)]
    pure = Keyword("pure") in opts or any(
        is_ident(o) and name_of(o) == ":pure" for o in opts)
    mod = loader.new_module(name, pure)
    mod.filename = ctx.file
    ctx.module = mod
    # Exports first, as Guile does: a module that imports this one while its own imports
    # are being loaded (a cycle) can already select a name it has not defined yet.
    for k in range(0, len(opts) - 1):
        if _keyword(opts[k]) is Keyword("export"):
            for item in to_list(opts[k + 1]):
                sym = base_symbol(item.car if type(item) is Pair else item)
                mod.local_box(sym)
                mod.exports.add(sym)
    k = 0
    while k < len(opts):
        key = _keyword(opts[k])
        if key is Keyword("pure"):
            k += 1
            continue
        val = opts[k + 1] if k + 1 < len(opts) else NIL
        if key is Keyword("use-module") or key is Keyword("autoload"):
            spec = val
            where = locs[k + 1] if k + 1 < len(locs) else form.loc
            if key is Keyword("autoload"):
                k += 1     # the autoload list of names follows the module name
            mod.use(interface_spec(spec, ctx, where))
        elif key in (Keyword("export"), Keyword("re-export"), Keyword("export-syntax"),
                     Keyword("replace"), Keyword("re-export-syntax")):
            for item in to_list(val):
                mod.exports.add(base_symbol(item.car if type(item) is Pair else item))
        elif key in (Keyword("declarative?"), Keyword("duplicates"), Keyword("version")):
            pass
        else:
            what = name_of(key) if is_ident(key) else key
            raise syntax_error(f"unknown define-module option {what}",
                               loc=form.loc)
        k += 2
    control.current_module[0] = mod
    return constant(UNSPECIFIED)


@special("export", "re-export", "export-syntax")
def _export(form, scope, ctx, tail):
    """(export NAME ...): make NAMEs visible to modules that use this one."""
    for item in to_list(form.cdr):
        ctx.module.exports.add(base_symbol(item))
    return constant(UNSPECIFIED)


@special("@", "@@")
def _at(form, scope, ctx, tail):
    """(@ (MODULE) NAME): NAME from MODULE's exports; @@ reaches private names too."""
    mspec, name = args_of(form, name_of(form.car), 2, 2)
    mod = loader.resolve_module(module_name(mspec, form.loc), form.loc)
    sym = base_symbol(name)
    private = name_of(form.car) == "@@"
    box = mod.lookup(sym) if private else mod.public_box(sym)
    if box is None:
        raise error(f"module {module_name_text(mod.name)} has no "
                    f"{'binding' if private else 'exported binding'} {sym.name}",
                    key="unbound-variable", loc=form.loc)
    if isinstance(box.value, SpecialForm):
        raise syntax_error(f"{sym.name} is syntax; (@ ...) reaches only variables",
                           loc=form.loc)
    loc = form.loc

    def at_ref(env):
        v = box.value
        if v is UNBOUND:
            raise error(f"unbound variable: {sym.name}", key="unbound-variable", loc=loc)
        return v
    at_ref.box = box
    return at_ref


def _macro_by_module(form, scope, ctx):
    """((@ (MODULE) NAME) ARG ...) where NAME is a macro or special form of MODULE: the
    use of that macro, its name seen from MODULE (so its expansion means what it means
    there)."""
    head = form.car
    if not (is_ident(head.car) and name_of(head.car) in ("@", "@@")):
        return None
    if syntax_value(resolve(head.car, scope, ctx.module)) is not CORE[name_of(head.car)]:
        return None
    mspec, name = args_of(head, name_of(head.car), 2, 2)
    mod = loader.resolve_module(module_name(mspec, head.loc), head.loc)
    sym = base_symbol(name)
    box = mod.lookup(sym) if name_of(head.car) == "@@" else mod.public_box(sym)
    if box is None or not isinstance(box.value, (SpecialForm, Macro)):
        return None
    return Pair(Alias(sym, None, mod), form.cdr, form.loc)


HEAD_REWRITES.append(_macro_by_module)


def _relative(path: str, ctx: Ctx) -> str:
    if os.path.isabs(path) or not ctx.file:
        return path
    return os.path.join(os.path.dirname(os.path.abspath(ctx.file)), path)


@special("load")
def _load(form, scope, ctx, tail):
    """(load FILE): evaluate FILE's forms here; a relative FILE is found next to this file."""
    expr, = args_of(form, "load", 1, 1)
    node = compile_form(expr, scope, ctx, False, form.loc)
    module = ctx.module
    loc = form.loc

    def load_node(env):
        name = node(env)
        if not is_string(name):
            raise wrong_type("load", 1, "string", name)
        path = _relative(pystr(name), ctx)
        if not os.path.isfile(path):
            raise error(f"no such file to load: {pystr(name)}", key="system-error", loc=loc,
                        hints=[f"looked for {path}"])
        return loader.load_file(path, module)
    return load_node


@special("current-filename")
def _current_filename(form, scope, ctx, tail):
    """(current-filename): the absolute name of the file being compiled, #f when the
    code does not come from a file (the REPL, eval)."""
    args_of(form, "current-filename", 0, 0)
    if not ctx.file:
        return constant(False)
    return constant(os.path.abspath(ctx.file))


@primitive("guile", "add-to-load-path")
def _add_to_load_path(directory):
    """(add-to-load-path DIR): look for modules in DIR first.  Each top-level form is
    compiled after the previous one ran, so a `use-modules` below it sees DIR."""
    if not is_string(directory):
        raise wrong_type("add-to-load-path", 1, "string", directory)
    d = pystr(directory)
    loader.load_path[:] = [d] + [x for x in loader.load_path if x != d]
    return UNSPECIFIED


@special("include", "include-from-path")
def _include(form, scope, ctx, tail):
    """(include FILE): splice FILE's forms here, as if written in place.
    (include-from-path FILE) finds a relative FILE on the load path instead."""
    what = name_of(form.car)
    name, = args_of(form, what, 1, 1)
    if not is_string(name):
        raise syntax_error(f"{what} needs a file name string", loc=form.loc)
    if what == "include-from-path" and not os.path.isabs(pystr(name)):
        tried = [os.path.join(d, pystr(name)) for d in loader.load_path]
        path = next((p for p in tried if os.path.isfile(p)), None)
        if path is None:
            raise error(f"no such file to include on the load path: {pystr(name)}",
                        key="system-error", loc=form.loc,
                        hints=[f"looked in: {', '.join(loader.load_path) or 'nothing'}"])
    else:
        path = _relative(pystr(name), ctx)
    if not os.path.isfile(path):
        raise error(f"no such file to include: {pystr(name)}", key="system-error",
                    loc=form.loc, hints=[f"looked for {path}"])
    forms = loader.read_source(path, form.loc)
    begin = Pair(CORE["begin"], from_list(forms), form.loc)
    inner = Ctx(ctx.module, path)
    node = compile_form(begin, scope, inner, tail, form.loc)
    ctx.module = inner.module
    return node


def _feature(req: Any, loc) -> bool:
    if is_ident(req):
        return name_of(req) in FEATURES or name_of(req) == "else"
    if type(req) is Pair and is_ident(req.car):
        op = name_of(req.car)
        args = to_list(req.cdr)
        if op == "and":
            return all(_feature(a, loc) for a in args)
        if op == "or":
            return any(_feature(a, loc) for a in args)
        if op == "not":
            return not _feature(args[0], loc)
        if op == "library":
            try:
                loader.resolve_module(module_name(args[0], loc), loc)
                return True
            except Exception:
                return False
    raise syntax_error("bad cond-expand requirement", loc=loc)


@special("cond-expand")
def _cond_expand(form, scope, ctx, tail):
    """(cond-expand (FEATURE BODY ...) ... (else BODY ...))"""
    for clause in to_list(form.cdr):
        if type(clause) is Pair and _feature(clause.car, form.loc):
            return compile_form(Pair(CORE["begin"], clause.cdr, form.loc), scope, ctx, tail,
                                form.loc)
    return constant(UNSPECIFIED)


@special("eval-when")
def _eval_when(form, scope, ctx, tail):
    """(eval-when (SITUATION ...) BODY ...): vsys evaluates BODY (it has one phase)."""
    args_of(form, "eval-when", 1)
    return compile_form(Pair(CORE["begin"], form.cdr.cdr, form.loc), scope, ctx, tail,
                        form.loc)


# --- eval and the current module ------------------------------------------------------------

@primitive("guile", "current-module")
def _current_module():
    return current_module[0]


primitive("guile", "interaction-environment")(_current_module)


@primitive("guile", "eval")
def _eval(expr, module=None):
    """Evaluate the datum EXPR in MODULE (default: the current module)."""
    if module is None:
        module = current_module[0]
    if not isinstance(module, Module):
        raise wrong_type("eval", 2, "module", module)
    # MODULE is the current module while EXPR runs (a define-module in it changes it
    # only until eval returns), as in Guile.
    saved = current_module[0]
    current_module[0] = module
    try:
        return run_node(compile_form(expr, None, Ctx(module), False,
                                     getattr(expr, "loc", None)))
    finally:
        current_module[0] = saved


primitive("guile", "primitive-eval")(lambda expr: _eval(expr))
