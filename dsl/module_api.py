"""Guile's first-class module API: modules and variables as values a program makes,
fills, imports and looks into (`make-module`, `module-define!`, `module-use!`,
`resolve-interface`, `make-variable`...).

The values are the language's own: a module is a `dsl.modules.Module` (what `define-module`
makes and `eval` runs in), a variable is the `Box` its definitions live in, and an interface
is the `Interface` a `use-modules` clause adds.  So a module built here can be evaluated in,
imported with `use-modules` once it has a name, and its variables are those its code sees.
"""

from __future__ import annotations

from typing import Any

from . import control, loader
from .datatypes import (
    NIL,
    UNSPECIFIED,
    Keyword,
    Pair,
    Symbol,
    from_list,
    gensym,
    is_list,
    pystr,
    to_list,
)
from .errors import Condition, SchemeError, error, wrong_type
from .module_forms import interface_spec, module_name
from .modules import (
    UNBOUND,
    Box,
    Interface,
    Module,
    add_module,
    after_install,
    existing_module,
    module_name_text,
    primitive,
)
from .printer import write_string
from .procedures import call


class ModuleExtras:
    """What only the first-class API gives a module (most modules never have one)."""

    __slots__ = ("binder", "observers", "duplicates", "submodule_binder", "kind",
                 "public", "anonymous")

    def __init__(self):
        self.binder: Any = None
        self.observers: list = []
        self.duplicates: list = []        # procedures deciding between two imports of a name
        self.submodule_binder: Any = None
        self.kind = Symbol("directory")
        self.public: Any = None           # set by set-module-public-interface!
        self.anonymous = False

    def resolve_duplicates(self, mod: Module, sym: Symbol) -> Box | None:
        """The import of SYM when two interfaces give different variables: the first
        handler that returns a variable decides, as Guile's duplicate handlers do."""
        found = []
        for iface in mod.imports:
            box = iface.lookup(sym)
            if box is not None and box.value is not UNBOUND:
                found.append((iface, box))
        if len(found) < 2 or all(b is found[0][1] for _, b in found):
            return found[0][1] if found else None
        (i1, b1), (i2, b2) = found[0], found[1]
        for handler in self.duplicates:
            var = call(handler, [mod, sym, _as_value(i1), b1.value, _as_value(i2), b2.value,
                                 False, False])
            if isinstance(var, Box):
                return var
        return None


def extras(mod: Module) -> ModuleExtras:
    if mod.extra is None:
        mod.extra = ModuleExtras()
    return mod.extra


# --- conversions --------------------------------------------------------------------------

def _module(origin: str, pos: int, x: Any) -> Module:
    if isinstance(x, Module):
        return x
    if isinstance(x, Interface):
        return x.module
    raise wrong_type(origin, pos, "module", x)


def _symbol(origin: str, pos: int, x: Any) -> Symbol:
    if type(x) is Symbol:
        return x
    raise wrong_type(origin, pos, "symbol", x)


def _variable(origin: str, pos: int, x: Any) -> Box:
    if isinstance(x, Box):
        return x
    raise wrong_type(origin, pos, "variable", x)


def _as_value(iface: Interface) -> Any:
    """How an import shows to a program: a module used whole is that module."""
    return iface.module if iface.whole else iface


def _as_interface(origin: str, x: Any) -> Interface:
    if isinstance(x, Interface):
        return x
    if isinstance(x, Module):
        return x.interface(whole=True)
    raise wrong_type(origin, 2, "module", x)


def _name_list(mod: Module) -> Any:
    return from_list([Symbol(n) for n in mod.name])


def _name_of(origin: str, x: Any) -> tuple:
    if not is_list(x):
        raise wrong_type(origin, 1, "list of symbols", x)
    items = to_list(x)
    if not all(type(i) is Symbol for i in items):
        raise wrong_type(origin, 1, "list of symbols", x)
    return tuple(i.name for i in items)


def _options(origin: str, args: tuple, positional: int) -> tuple[list, dict]:
    """Split optional positional arguments from trailing #:key value pairs."""
    pos = []
    k = 0
    while k < len(args) and type(args[k]) is not Keyword and len(pos) < positional:
        pos.append(args[k])
        k += 1
    keys = {}
    while k < len(args):
        key = args[k]
        if type(key) is not Keyword or k + 1 >= len(args):
            raise error(f"{origin}: bad keyword arguments", key="keyword-argument-error")
        keys[key.name] = args[k + 1]
        k += 2
    return pos, keys


def _unbound(origin: str, what: Any) -> SchemeError:
    """variable-ref of an unbound variable, in Guile's words."""
    return SchemeError(Condition(
        "misc-error", f"unbound variable: {write_string(what)}", (what,), origin,
        throw_args=(origin, "Unbound variable: ~S", Pair(what, NIL), False)))


def _no_variable(mod: Any, sym: Symbol) -> SchemeError:
    """module-ref of a name the module does not have, in Guile's words."""
    where = write_string(mod)
    return SchemeError(Condition(
        "misc-error", f"no variable named {sym.name} in {where}", (), None,
        hints=["module-ref takes a default value for a name that may be missing"],
        throw_args=(False, "No variable named ~S ~S ~S",
                    from_list([sym, Symbol("in"), mod]), False)))


# --- variables ----------------------------------------------------------------------------

@primitive("guile", "make-variable")
def make_variable(value):
    """(make-variable VALUE): a new variable holding VALUE, in no module."""
    return Box(None, None, value)


@primitive("guile", "make-undefined-variable")
def make_undefined_variable():
    return Box(None, None)


@primitive("guile", "variable?")
def is_variable(x):
    return isinstance(x, Box)


@primitive("guile", "variable-ref")
def variable_ref(var):
    box = _variable("variable-ref", 1, var)
    if box.value is UNBOUND:
        raise _unbound("variable-ref", box)
    return box.value


@primitive("guile", "variable-set!")
def variable_set(var, value):
    _variable("variable-set!", 1, var).value = value
    return UNSPECIFIED


@primitive("guile", "variable-bound?")
def variable_bound(var):
    return _variable("variable-bound?", 1, var).value is not UNBOUND


@primitive("guile", "variable-unset!")
def variable_unset(var):
    _variable("variable-unset!", 1, var).value = UNBOUND
    return UNSPECIFIED


# --- making and naming modules -----------------------------------------------------------

@primitive("guile", "make-module")
def make_module(size=None, uses=NIL, binder=False):
    """(make-module [SIZE USES BINDER]): a new empty module, importing nothing but USES."""
    mod = Module(())
    extras(mod).anonymous = True
    mod.extra.kind = False
    for iface in to_list(uses):
        mod.use(_as_interface("make-module", iface))
    if binder is not False:
        extras(mod).binder = binder
    return mod


@primitive("guile", "module?")
def is_module(x):
    return isinstance(x, (Module, Interface))


@primitive("guile", "module-name")
def module_name_(mod):
    """(module-name MODULE): its name; an anonymous module gets one now, under which
    `resolve-module` finds it."""
    m = _module("module-name", 1, mod)
    if m.extra is not None and m.extra.anonymous:
        m.extra.anonymous = False
        m.name = ("%anonymous", gensym(" module-").name.strip())
        add_module(m)
    return _name_list(m)


@primitive("guile", "set-module-name!")
def set_module_name(mod, name):
    m = _module("set-module-name!", 1, mod)
    if type(name) is Symbol:           # Guile accepts a bare symbol as a name
        m.name = (name.name,)
    else:
        m.name = _name_of("set-module-name!", name)
    if m.extra is not None:
        m.extra.anonymous = False
    return UNSPECIFIED


@primitive("guile", "module-kind")
def module_kind(mod):
    m = _module("module-kind", 1, mod)
    if isinstance(mod, Interface):
        return Symbol("interface")
    return m.extra.kind if m.extra is not None else Symbol("directory")


@primitive("guile", "set-module-kind!")
def set_module_kind(mod, kind):
    extras(_module("set-module-kind!", 1, mod)).kind = kind
    return UNSPECIFIED


@primitive("guile", "module-filename")
def module_filename(mod):
    m = _module("module-filename", 1, mod)
    return m.filename or False


@primitive("guile", "module-public-interface")
def module_public_interface(mod):
    """(module-public-interface MODULE): the interface `use-modules` of it imports; an
    interface is its own."""
    if isinstance(mod, Interface):
        return mod
    m = _module("module-public-interface", 1, mod)
    if m.extra is not None and m.extra.public is not None:
        return m.extra.public
    return m.interface()


@primitive("guile", "set-module-public-interface!")
def set_module_public_interface(mod, iface):
    extras(_module("set-module-public-interface!", 1, mod)).public = iface
    return UNSPECIFIED


@primitive("guile", "beautify-user-module!")
def beautify_user_module(mod):
    """Give a bare module what `define-module` gives one: Guile's core imported."""
    m = _module("beautify-user-module!", 1, mod)
    core = existing_module(("guile",))
    if core is not None and not any(i.module is core for i in m.imports):
        m.use(core.interface())
    return UNSPECIFIED


# --- bindings -----------------------------------------------------------------------------

def local_variable(m: Module, sym: Symbol) -> Box | None:
    """M's own variable for SYM, asking M's binder (if it has one) when there is none."""
    box = m.bindings.get(sym)
    if box is not None:
        return box
    if m.extra is not None and m.extra.binder is not None:
        var = call(m.extra.binder, [m, sym, False])
        if isinstance(var, Box):
            m.bindings[sym] = var
            return var
    return None


def variable(mod: Any, sym: Symbol) -> Box | None:
    """The variable SYM names in MOD (an interface: among what it gives), or None."""
    if isinstance(mod, Interface):
        return mod.lookup(sym)      # an exported variable may be unbound yet
    box = local_variable(mod, sym)
    if box is not None and box.value is not UNBOUND:
        return box
    imported = mod.imported_box(sym)
    return imported if imported is not None else box


def _changed(m: Module) -> None:
    if m.extra is not None:
        for proc in list(m.extra.observers):
            call(proc, [m])


@primitive("guile", "module-local-variable")
def module_local_variable(mod, sym):
    _symbol("module-local-variable", 2, sym)
    if isinstance(mod, Interface):
        return variable(mod, sym) or False
    return local_variable(_module("module-local-variable", 1, mod), sym) or False


@primitive("guile", "module-variable")
def module_variable(mod, sym):
    _module("module-variable", 1, mod)
    return variable(mod, _symbol("module-variable", 2, sym)) or False


@primitive("guile", "module-ref")
def module_ref(mod, sym, default=UNBOUND):
    """(module-ref MODULE NAME [DEFAULT]): NAME's value in MODULE, or DEFAULT."""
    _module("module-ref", 1, mod)
    box = variable(mod, _symbol("module-ref", 2, sym))
    if box is None or box.value is UNBOUND:
        if default is not UNBOUND:
            return default
        raise _no_variable(mod, sym)
    return box.value


@primitive("guile", "module-bound?")
def module_bound(mod, sym):
    _module("module-bound?", 1, mod)
    box = variable(mod, _symbol("module-bound?", 2, sym))
    return box is not None and box.value is not UNBOUND


@primitive("guile", "module-locally-bound?")
def module_locally_bound(mod, sym):
    box = local_variable(_module("module-locally-bound?", 1, mod),
                         _symbol("module-locally-bound?", 2, sym))
    return box is not None and box.value is not UNBOUND


@primitive("guile", "module-defined?")
def module_defined(mod, sym):
    return module_bound(mod, sym)


@primitive("guile", "module-add!")
def module_add(mod, sym, var):
    """(module-add! MODULE NAME VARIABLE): NAME in MODULE is now VARIABLE itself."""
    m = _module("module-add!", 1, mod)
    m.bindings[_symbol("module-add!", 2, sym)] = _variable("module-add!", 3, var)
    m._import_cache.pop(sym, None)
    _changed(m)
    return UNSPECIFIED


@primitive("guile", "module-define!")
def module_define(mod, sym, value):
    """(module-define! MODULE NAME VALUE): define NAME in MODULE (its own variable)."""
    m = _module("module-define!", 1, mod)
    _symbol("module-define!", 2, sym)
    box = local_variable(m, sym)
    if box is None:
        box = m.local_box(sym)
    box.value = value
    _changed(m)
    return UNSPECIFIED


@primitive("guile", "module-set!")
def module_set(mod, sym, value):
    box = variable(_module("module-set!", 1, mod), _symbol("module-set!", 2, sym))
    if box is None or box.value is UNBOUND:
        raise _no_variable(mod, sym)
    box.value = value
    return UNSPECIFIED


@primitive("guile", "module-remove!")
def module_remove(mod, sym):
    m = _module("module-remove!", 1, mod)
    m.bindings.pop(_symbol("module-remove!", 2, sym), None)
    m._import_cache.pop(sym, None)
    _changed(m)
    return UNSPECIFIED


@primitive("guile", "module-for-each")
def module_for_each(proc, mod):
    """(module-for-each PROC MODULE): (PROC NAME VARIABLE) for each of MODULE's own."""
    for sym, box in list(_bindings_of(mod)):
        call(proc, [sym, box])
    return UNSPECIFIED


@primitive("guile", "module-map")
def module_map(proc, mod):
    return from_list([call(proc, [sym, box]) for sym, box in list(_bindings_of(mod))])


def _bindings_of(mod: Any):
    if isinstance(mod, Interface):
        for name in mod.visible_names():
            box = mod.lookup(Symbol(name))
            if box is not None:
                yield Symbol(name), box
        return
    yield from _module("module-map", 2, mod).bindings.items()


@primitive("guile", "module-export!")
def module_export(mod, names):
    """(module-export! MODULE NAMES): make NAMES public; undefined ones are created
    unbound, so a user may import them before they are defined."""
    m = _module("module-export!", 1, mod)
    for item in to_list(names):
        sym = item.car if type(item) is Pair else item
        m.local_box(_symbol("module-export!", 2, sym))
        m.exports.add(sym)
    return UNSPECIFIED


@primitive("guile", "module-re-export!")
def module_re_export(mod, names):
    m = _module("module-re-export!", 1, mod)
    for item in to_list(names):
        m.exports.add(_symbol("module-re-export!", 2, item.car if type(item) is Pair else item))
    return UNSPECIFIED


@primitive("guile", "module-export-all!")
def module_export_all(mod):
    m = _module("module-export-all!", 1, mod)
    m.exports.update(m.bindings)
    return UNSPECIFIED


# --- imports ------------------------------------------------------------------------------

@primitive("guile", "module-uses")
def module_uses(mod):
    return from_list([_as_value(i) for i in _module("module-uses", 1, mod).imports])


@primitive("guile", "module-use!")
def module_use(mod, iface):
    """(module-use! MODULE INTERFACE): MODULE sees what INTERFACE gives (a module given
    itself: all it sees); using one twice changes nothing."""
    m = _module("module-use!", 1, mod)
    i = _as_interface("module-use!", iface)
    if i not in m.imports:
        m.use(i)
    return UNSPECIFIED


@primitive("guile", "module-use-interfaces!")
def module_use_interfaces(mod, ifaces):
    for iface in to_list(ifaces):
        module_use(mod, iface)
    return UNSPECIFIED


@primitive("guile", "module-import-interface")
def module_import_interface(mod, sym):
    """The interface through which MODULE sees SYM, #f when it is its own or unknown."""
    m = _module("module-import-interface", 1, mod)
    _symbol("module-import-interface", 2, sym)
    box = m.bindings.get(sym)
    if box is not None and box.value is not UNBOUND:
        return False
    for iface in reversed(m.imports):
        box = iface.lookup(sym)
        if box is not None and box.value is not UNBOUND:
            return _as_value(iface)
    return False


@primitive("guile", "module-reverse-lookup")
def module_reverse_lookup(mod, var):
    """(module-reverse-lookup MODULE VARIABLE): the name VARIABLE has in MODULE (#f: in
    Guile's core), or #f."""
    box = _variable("module-reverse-lookup", 2, var)
    m = existing_module(("guile",)) if mod is False else _module("module-reverse-lookup",
                                                                  1, mod)
    for sym, b in m.bindings.items():
        if b is box:
            return sym
    for iface in reversed(m.imports):
        for name in iface.visible_names():
            if iface.lookup(Symbol(name)) is box:
                return Symbol(name)
    return False


@primitive("guile", "module-autoload!")
def module_autoload(mod, *pairs):
    """(module-autoload! MODULE NAME BINDINGS ...): import BINDINGS of each module NAME
    (vsys loads a module when it is imported)."""
    m = _module("module-autoload!", 1, mod)
    for k in range(0, len(pairs) - 1, 2):
        target = loader.resolve_module(module_name(pairs[k], None))
        select = {s: s for s in to_list(pairs[k + 1])}
        m.use(Interface(target, select))
    return UNSPECIFIED


@primitive("guile", "set-module-duplicates-handlers!")
def set_module_duplicates_handlers(mod, handlers):
    m = _module("set-module-duplicates-handlers!", 1, mod)
    extras(m).duplicates = to_list(handlers)
    m._import_cache.clear()
    return UNSPECIFIED


@primitive("guile", "module-duplicates-handlers")
def module_duplicates_handlers(mod):
    m = _module("module-duplicates-handlers", 1, mod)
    return from_list(m.extra.duplicates) if m.extra is not None else NIL


@primitive("guile", "set-module-binder!")
def set_module_binder(mod, binder):
    """(set-module-binder! MODULE PROC): (PROC MODULE NAME DEFINE?) is asked for a
    variable whenever MODULE has none of its own for NAME."""
    extras(_module("set-module-binder!", 1, mod)).binder = binder if binder is not False else None
    return UNSPECIFIED


@primitive("guile", "module-binder")
def module_binder(mod):
    m = _module("module-binder", 1, mod)
    return m.extra.binder if m.extra is not None and m.extra.binder is not None else False


# --- observers ----------------------------------------------------------------------------

@primitive("guile", "module-observe")
def module_observe(mod, proc):
    extras(_module("module-observe", 1, mod)).observers.append(proc)
    return Pair(mod, proc)


@primitive("guile", "module-observe-weak")
def module_observe_weak(mod, key, proc=None):
    """(module-observe-weak MODULE [KEY] PROC): call (PROC MODULE) on each change.  The
    observer lives as long as the module (vsys keeps it; there is no collection to see)."""
    return module_observe(mod, key if proc is None else proc)


@primitive("guile", "module-unobserve")
def module_unobserve(token):
    if type(token) is Pair and isinstance(token.car, Module) and token.car.extra is not None:
        obs = token.car.extra.observers
        if token.cdr in obs:
            obs.remove(token.cdr)
    return UNSPECIFIED


@primitive("guile", "module-call-observers")
def module_call_observers(mod):
    _changed(_module("module-call-observers", 1, mod))
    return UNSPECIFIED


primitive("guile", "module-modified")(module_call_observers)


# --- finding modules ----------------------------------------------------------------------

@primitive("guile", "resolve-module")
def resolve_module(name, *options):
    """(resolve-module NAME [AUTOLOAD VERSION] #:ensure ENSURE): the module NAME, loaded
    if it is on the load path; a new empty one when there is none (#f when ENSURE is #f)."""
    pos, keys = _options("resolve-module", options, 2)
    key = _name_of("resolve-module", name)
    mod = existing_module(key)
    if mod is not None:
        return mod
    try:
        return loader.resolve_module(key)
    except SchemeError as e:
        missing = f"no module named {module_name_text(key)}"
        if e.condition is None or e.condition.message != missing:
            raise
    if keys.get("ensure", True) is False:
        return False
    mod = Module(key)
    add_module(mod)
    return mod


@primitive("guile", "resolve-interface")
def resolve_interface(name, *options):
    """(resolve-interface NAME #:select #:hide #:prefix #:renamer): the public interface of
    the module NAME, or one showing only some of its names, or under other names."""
    _, keys = _options("resolve-interface", options, 0)
    key = _name_of("resolve-interface", name)
    mod = loader.resolve_module(key)
    select = keys.get("select", False)
    hide = keys.get("hide", NIL)
    prefix = keys.get("prefix", False)
    renamer = keys.get("renamer", False)
    if select is False and hide is NIL and prefix is False and renamer is False:
        return module_public_interface(mod)
    table = None
    if select is not False or renamer is not False:
        names = to_list(select) if select is not False else list(mod.exported_names())
        table = {}
        for item in names:
            orig, local = (item.car, item.cdr) if type(item) is Pair else (item, item)
            if renamer is not False:
                local = call(renamer, [local])
            table[local] = orig
    pfx = prefix.name if type(prefix) is Symbol else ""
    return Interface(mod, table, pfx if table is None else "",
                     frozenset(to_list(hide)))


@primitive("guile", "define-module*")
def define_module_star(name, *options):
    """(define-module* NAME #:imports #:exports #:re-exports #:replacements #:pure
    #:filename ...): the procedure under define-module: the module NAME, made or found,
    with those imports and exports.  The current module stays as it is."""
    _, keys = _options("define-module*", options, 0)
    mod = loader.new_module(_name_of("define-module*", name),
                            keys.get("pure", False) is not False)
    if keys.get("filename", False) is not False:
        mod.filename = pystr(keys["filename"])
    for item in to_list(keys.get("exports", NIL)):
        sym = item.car if type(item) is Pair else item
        mod.local_box(_symbol("define-module*", 2, sym))
        mod.exports.add(sym)
    for what in ("re-exports", "replacements"):
        for item in to_list(keys.get(what, NIL)):
            mod.exports.add(_symbol("define-module*", 2, item.car if type(item) is Pair
                                    else item))
    for spec in to_list(keys.get("imports", NIL)):
        iface = interface_spec(spec.car if type(spec) is Pair and type(spec.car) is Pair
                               and spec.cdr is NIL else spec, None, None)
        if iface not in mod.imports:
            mod.use(iface)
    return mod


@primitive("guile", "module-define-submodule!")
def module_define_submodule(mod, name, sub):
    """(module-define-submodule! MODULE NAME SUB): SUB is the module MODULE's name + NAME."""
    parent = _module("module-define-submodule!", 1, mod)
    child = _module("module-define-submodule!", 3, sub)
    child.name = parent.name + (_symbol("module-define-submodule!", 2, name).name,)
    if child.extra is not None:
        child.extra.anonymous = False
    add_module(child)
    return UNSPECIFIED


@primitive("guile", "set-module-submodule-binder!")
def set_module_submodule_binder(mod, binder):
    """(set-module-submodule-binder! MODULE PROC): a module named below MODULE's name
    that no file defines is asked of (PROC MODULE NAME)."""
    extras(_module("set-module-submodule-binder!", 1, mod)).submodule_binder = binder
    return UNSPECIFIED


@primitive("guile", "module-submodule-binder")
def module_submodule_binder(mod):
    m = _module("module-submodule-binder", 1, mod)
    return m.extra.submodule_binder if m.extra is not None and \
        m.extra.submodule_binder is not None else False


def _from_submodule_binder(name: tuple) -> Module | None:
    for k in range(len(name) - 1, 0, -1):
        parent = existing_module(name[:k])
        if parent is None:
            continue
        binder = parent.extra.submodule_binder if parent.extra is not None else None
        if binder is None:
            return None
        made = call(binder, [parent, Symbol(name[k])])
        if not isinstance(made, Module):
            return None
        if k + 1 == len(name):
            return existing_module(name) or made
    return None


loader.module_fallbacks.append(_from_submodule_binder)


# --- the core module and the current one --------------------------------------------------

def _root() -> Module:
    return existing_module(("guile",))


@primitive("guile", "set-current-module")
def set_current_module(mod):
    """(set-current-module MODULE): later top-level forms are evaluated in MODULE.
    Returns the module that was current."""
    m = _module("set-current-module", 1, mod)
    old = control.current_module[0]
    control.current_module[0] = m
    return old if old is not None else False


@primitive("guile", "save-module-excursion")
def save_module_excursion(thunk):
    """(save-module-excursion THUNK): run THUNK, then make current again the module that
    was current before."""
    saved = control.current_module[0]
    try:
        return call(thunk, [])
    finally:
        control.current_module[0] = saved


def _version_matches(version_ref: Any, target: Any) -> bool:
    """R6RS version references, as Guile's `version-matches?` takes them."""
    def sub_matches(ref, n):
        if type(ref) is int:
            return n == ref
        if type(ref) is Pair and type(ref.car) is Symbol:
            op, args = ref.car.name, to_list(ref.cdr)
            if op == ">=":
                return n >= args[0]
            if op == "<=":
                return n <= args[0]
            if op == "and":
                return all(sub_matches(a, n) for a in args)
            if op == "or":
                return any(sub_matches(a, n) for a in args)
            if op == "not":
                return not sub_matches(args[0], n)
        raise error("Invalid sub-version reference", ref)

    ref = version_ref
    if type(ref) is Pair and type(ref.car) is Symbol:
        op, args = ref.car.name, to_list(ref.cdr)
        if op == "and":
            return all(_version_matches(a, target) for a in args)
        if op == "or":
            return any(_version_matches(a, target) for a in args)
        if op == "not":
            return not _version_matches(args[0], target)
    refs = to_list(ref)
    nums = to_list(target)
    if len(refs) > len(nums):
        return False
    return all(sub_matches(r, n) for r, n in zip(refs, nums))


@primitive("guile", "version-matches?")
def version_matches(version_ref, target):
    """(version-matches? REF VERSION): whether VERSION (a list of numbers) satisfies the
    R6RS version reference REF."""
    return _version_matches(version_ref, target)


@after_install("guile")
def _roots(root: Module) -> None:
    """`the-root-module` is Guile's core module, `the-scm-module` its public interface."""
    root.define(Symbol("the-root-module"), root, export=True)
    root.define(Symbol("the-scm-module"), root.interface(), export=True)
