"""Modules: named sets of bindings, as in Guile.

A binding is a `Box` shared by everyone who imports it, so a later `set!` or definition is
seen by every user.  A module's own bindings live in `bindings`; names it imports are
found through `imports` (interfaces of other modules, possibly filtered by `#:select`,
renamed, or prefixed).

Modules written in Python are registered under their Guile name with a factory that runs
on first use, so a program pays only for the modules it imports.  Modules written in
Scheme are found on the load path (`(foo bar)` -> `foo/bar.scm`).
"""

from __future__ import annotations

from typing import Any, Callable, Iterable

from .datatypes import Symbol
from .printer import write_string
from .procedures import make_primitive


class _Unbound:
    __slots__ = ()

    def __repr__(self) -> str:
        return "UNBOUND"


UNBOUND = _Unbound()


class Box:
    __slots__ = ("value", "name", "module", "loc", "doc")

    def __init__(self, name: Symbol, module: "Module", value: Any = UNBOUND):
        self.value = value
        self.name = name
        self.module = module
        self.loc = None       # where it was defined, when it was defined in Scheme
        self.doc = None

    def scheme_repr(self, write: bool) -> str:
        if self.value is UNBOUND:
            return f"#<variable {id(self):x} unbound>"
        return f"#<variable {id(self):x} value: {write_string(self.value)}>"


ModuleName = tuple[str, ...]


def module_name_text(name: ModuleName) -> str:
    return "(" + " ".join(name) + ")"


class Interface:
    """What one `use-modules` clause makes visible: a module, optionally filtered."""

    __slots__ = ("module", "select", "prefix", "hide", "whole")

    def __init__(self, module: "Module", select: dict[Symbol, Symbol] | None = None,
                 prefix: str = "", hide: frozenset = frozenset(), whole: bool = False):
        self.module = module
        self.select = select      # local name -> name in module (None: all exports)
        self.prefix = prefix
        self.hide = hide
        # A module used as it is (Guile's `module-use!` of a module, not of its public
        # interface): every binding it sees, exported or not.
        self.whole = whole

    def scheme_repr(self, write: bool) -> str:
        return f"#<interface {module_name_text(self.module.name)} {id(self):x}>"

    def lookup(self, sym: Symbol, fallback: bool = True) -> Box | None:
        if self.whole:
            box = self.module.lookup(sym)
            return None if box is None or box.value is UNBOUND else box
        if self.select is not None:
            original = self.select.get(sym)
            return None if original is None else self.module.public_box(original, fallback)
        name = sym.name
        if self.prefix:
            if not name.startswith(self.prefix):
                return None
            sym = Symbol(name[len(self.prefix):])
        if sym in self.hide:
            return None
        return self.module.public_box(sym, fallback)

    def visible_names(self) -> Iterable[str]:
        if self.whole:
            return self.module.visible_names()
        if self.select is not None:
            return [s.name for s in self.select]
        return [self.prefix + s.name for s in self.module.exported_names() if s not in self.hide]


class Module:
    def __init__(self, name: ModuleName, export_all: bool = False, filename: str | None = None):
        self.name = name
        self.bindings: dict[Symbol, Box] = {}
        self.exports: set[Symbol] = set()
        self.export_all = export_all      # Python-defined modules export everything
        self.imports: list[Interface] = []
        self.filename = filename
        self.doc = ""
        self._import_cache: dict[Symbol, Box] = {}
        # Names a layer above knows this module has but has not defined yet (an index of
        # a library's exports): `fallback.box(module, sym)` defines one on first use,
        # `fallback.names(module)` lists those it can give without loading anything.
        self.fallback: Any = None
        self._interfaces: list[Interface] = []    # the public one, the whole one
        # Set by the first-class module API (dsl.module_api) only: a procedure finding
        # names no binding has yet, observers of changes, duplicate handlers...
        self.extra: Any = None

    def interface(self, whole: bool = False) -> Interface:
        """The module's public interface (every `use-modules` of it without options shares
        it, as Guile's does), or with WHOLE the module itself as an import."""
        for iface in self._interfaces:
            if iface.whole is whole:
                return iface
        iface = Interface(self, whole=whole)
        self._interfaces.append(iface)
        return iface

    def __repr__(self) -> str:
        return f"<module {module_name_text(self.name)}>"

    def scheme_repr(self, write: bool) -> str:
        # As Guile: a module's kind, then its name (define-module's modules are
        # directories; make-module's have no kind and print as plain modules).
        kind = self.extra.kind if self.extra is not None else None
        kind = "directory" if kind is None else kind.name if type(kind) is Symbol else "module"
        return f"#<{kind} {module_name_text(self.name)} {id(self):x}>"

    # -- own bindings --
    def define(self, sym: Symbol, value: Any, export: bool = False) -> Box:
        box = self.bindings.get(sym)
        if box is None:
            box = Box(sym, self)
            self.bindings[sym] = box
        box.value = value
        if export:
            self.exports.add(sym)
        return box

    def local_box(self, sym: Symbol) -> Box:
        """This module's own box for `sym`, created unbound if needed (forward reference)."""
        box = self.bindings.get(sym)
        if box is None:
            box = Box(sym, self)
            self.bindings[sym] = box
        return box

    # -- visibility --
    def public_box(self, sym: Symbol, fallback: bool = True) -> Box | None:
        if self.export_all or sym in self.exports:
            box = self.bindings.get(sym)
            if box is not None and (box.value is not UNBOUND or sym not in self.exports):
                return box
            # exported before it is defined (or re-exported): an import that has it wins
            if box is not None:
                return self.imported_box(sym) or box
            # re-exported imports (`#:re-export`, or a Python module built from others)
            if sym in self.exports:
                return self.imported_box(sym)
        if fallback and self.fallback is not None:
            return self.fallback.box(self, sym)
        return None

    def exported_names(self) -> list[Symbol]:
        names = list(self.bindings) if self.export_all else list(self.exports)
        if self.fallback is not None:
            names += [s for s in self.fallback.names(self) if s not in self.bindings]
        return names

    def imported_box(self, sym: Symbol) -> Box | None:
        box = self._import_cache.get(sym)
        if box is not None:
            return box
        if self.extra is not None and self.extra.duplicates:
            box = self.extra.resolve_duplicates(self, sym)
            if box is not None:
                self._import_cache[sym] = box
                return box
        # Later imports shadow earlier ones; a module's fallback names are tried only
        # when no import defines the name (so core names never reach them).
        for fallback in (False, True):
            for iface in reversed(self.imports):
                box = iface.lookup(sym, fallback)
                if box is not None and box.value is not UNBOUND:
                    self._import_cache[sym] = box
                    return box
        return None

    def lookup(self, sym: Symbol) -> Box | None:
        """The box `sym` denotes in this module, or None when it is not visible."""
        box = self.bindings.get(sym)
        if box is not None and box.value is not UNBOUND:
            return box
        imported = self.imported_box(sym)
        if imported is not None:
            return imported
        return box

    def use(self, iface: Interface) -> None:
        self.imports.append(iface)
        self._import_cache.clear()

    def visible_names(self) -> set[str]:
        names = {s.name for s, b in self.bindings.items() if b.value is not UNBOUND}
        for iface in self.imports:
            names.update(iface.visible_names())
        return names


# --- the registry ---------------------------------------------------------------------

_modules: dict[ModuleName, Module] = {}
_factories: dict[ModuleName, Callable[[Module], None]] = {}


def parse_name(name: str | ModuleName) -> ModuleName:
    return tuple(name.split()) if isinstance(name, str) else tuple(name)


def register_builtin(name: str | ModuleName, factory: Callable[[Module], None]) -> None:
    """Declare a Python-defined module; `factory(module)` fills it on first use."""
    key = parse_name(name)
    _factories.setdefault(key, factory)


def builtin_module_names() -> list[ModuleName]:
    return sorted(set(_factories) | set(_modules))


def loaded_modules() -> list[Module]:
    return list(_modules.values())


def loaded_module_names() -> list[ModuleName]:
    return list(_modules)


def is_builtin(name: ModuleName) -> bool:
    """Whether the module is Python-defined (made again from its factory when needed)."""
    return name in _factories


def exporters(sym: Symbol) -> list[ModuleName]:
    """The Python-defined modules that export `sym`, loading every one of them: for
    error hints only (a name a config forgot to import), never on a normal path."""
    found = []
    for name in builtin_module_names():
        mod = existing_module(name)
        if mod is not None and name[0] != "vsys-user" and mod.public_box(sym) is not None:
            found.append(name)
    return found


def existing_module(name: ModuleName) -> Module | None:
    """The module if it is loaded or Python-defined (loading it now); None otherwise."""
    mod = _modules.get(name)
    if mod is not None:
        return mod
    factory = _factories.get(name)
    if factory is None:
        return None
    mod = Module(name, export_all=True)
    _modules[name] = mod
    factory(mod)
    return mod


def add_module(mod: Module) -> None:
    _modules[mod.name] = mod


def forget_module(name: ModuleName) -> None:
    _modules.pop(name, None)


def get_or_create(name: str | ModuleName) -> Module:
    key = parse_name(name)
    mod = existing_module(key)
    if mod is None:
        mod = Module(key)
        _modules[key] = mod
    return mod


# --- registering primitives from Python ----------------------------------------------

# Primitives are collected per module name by the decorator below when a builtins file
# is imported; a module's factory installs them.
_pending: dict[ModuleName, list[tuple[str, Any]]] = {}


def primitive(module: str, name: str | None = None, doc: str | None = None,
              tail: bool = False):
    """Decorator: `@primitive("guile", "string-append")` defines a procedure in a module.

    `tail=True` for a primitive that may return a `TailCall` (like `apply`)."""
    key = parse_name(module)

    def wrap(fn: Callable) -> Callable:
        pname = name or fn.__name__.replace("_", "-")
        _pending.setdefault(key, []).append((pname, make_primitive(pname, fn, doc, tail)))
        if key not in _factories:
            _factories[key] = install_pending
        return fn

    return wrap


def define_value(module: str, name: str, value: Any) -> None:
    """Define a non-procedure value (a constant, a special form...) in a module."""
    key = parse_name(module)
    _pending.setdefault(key, []).append((name, value))
    if key not in _factories:
        _factories[key] = install_pending


# target module -> (source module, name): variables the target re-exports.
_shared: dict[ModuleName, list[tuple[ModuleName, Symbol]]] = {}


# module name -> functions completing it once filled, with what only the module can give
# (a binding whose value is the module itself).
_after: dict[ModuleName, list[Callable[[Module], None]]] = {}


def after_install(name: str):
    def register(fn: Callable[[Module], None]) -> Callable[[Module], None]:
        _after.setdefault(parse_name(name), []).append(fn)
        return fn
    return register


def install_pending(mod: Module) -> None:
    for pname, value in _pending.get(mod.name, ()):
        mod.define(Symbol(pname), value, export=True)
    for fn in _after.get(mod.name, ()):
        fn(mod)
    for source, sym in _shared.get(mod.name, ()):
        src = existing_module(source)
        box = src.bindings.get(sym) if src is not None else None
        if box is not None:
            mod.bindings[sym] = box


def share(target: str, source: str, names: str) -> None:
    """Once the Python-defined module `target` is filled, its bindings of `names` are
    `source`'s own variables, as when a Guile module re-exports: the value stays where
    it was defined ((srfi srfi-1) re-exports car, which is core (guile)'s), and a `set!`
    through either module is seen through both."""
    key = parse_name(target)
    _shared.setdefault(key, []).extend((parse_name(source), Symbol(n)) for n in names.split())
    if key not in _factories:
        _factories[key] = install_pending


def alias(target: str, source: str, names: str) -> None:
    """Make the bindings `names` (space separated) of Python-defined module `source` also
    exported by `target`: the same variables, as when Guile modules re-export."""
    src = _pending.get(parse_name(source), [])
    table = dict(src)
    key = parse_name(target)
    for name in names.split():
        if name not in table:
            raise KeyError(f"{name} is not defined in ({source})")
        _pending.setdefault(key, []).append((name, table[name]))
    share(target, source, names)        # the variables themselves, not only their values
