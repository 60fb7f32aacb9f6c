"""Finding and loading Scheme files and modules.

The load path is where `(use-modules (foo bar))` looks for `foo/bar.scm`: the directories
given with `-L` on the command line, then those in `VSYS_LOAD_PATH` (colon-separated),
then the directory of the program being run.
"""

from __future__ import annotations

import os
from typing import Any

from . import control
from .compiler import Ctx, compile_toplevel, run_node
from .datatypes import Location
from .errors import SchemeError, did_you_mean, error
from .modules import (
    Module,
    ModuleName,
    add_module,
    builtin_module_names,
    existing_module,
    module_name_text,
)
from .reader import decode, options_generation, read_all, read_located, read_rest, read_until_error

load_path: list[str] = []

# Guile modules vsys writes in Scheme itself, found after the load path.
LIBRARY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "scm")

# Modules a config sees without importing anything (the (vsys-user) module): Guile's core
# plus the SRFIs and (ice-9 ...) modules config authors reach for without thinking.
DEFAULT_IMPORTS: list[ModuleName] = [
    ("guile",), ("srfi", "srfi-1"), ("srfi", "srfi-9"), ("srfi", "srfi-11"),
    ("srfi", "srfi-26"), ("ice-9", "match"), ("ice-9", "receive"),
]

_loading: set[str] = set()

# Called, once each, before a module is reported missing: a layer above the language (the
# service library) registers its modules lazily this way, so `vsys run` pays for them
# only when a program imports one.
module_providers: list = []

# Tried, in order, for a module neither registered nor on the load path: each is
# `fn(name) -> Module | None` (the service library answers from its index of Guix's
# modules).  `module_name_sources` give further names a "did you mean" may offer.
module_fallbacks: list = []
module_name_sources: list = []


def set_load_path(dirs: list[str]) -> None:
    env = [d for d in os.environ.get("VSYS_LOAD_PATH", "").split(":") if d]
    load_path[:] = [os.path.abspath(d) for d in list(dirs) + env]


def new_user_module(name: ModuleName = ("vsys-user",), imports=None) -> Module:
    """A fresh module importing the default environment (replacing any of that name)."""
    mod = Module(name)
    for mname in (DEFAULT_IMPORTS if imports is None else imports):
        dep = existing_module(mname)
        if dep is not None:
            mod.use(dep.interface())
    add_module(mod)
    return mod


def new_module(name: ModuleName, pure: bool = False) -> Module:
    """A module created by define-module: it sees Guile's core unless #:pure."""
    mod = existing_module(name)
    if mod is None:
        mod = Module(name)
        add_module(mod)
    if not pure and not any(i.module.name == ("guile",) for i in mod.imports):
        core = existing_module(("guile",))
        if core is not None:
            mod.use(core.interface())
    return mod


def resolve_module(name: ModuleName, loc: Location | None = None) -> Module:
    mod = existing_module(name)
    if mod is not None:
        return mod
    while module_providers:
        module_providers.pop(0)()
        mod = existing_module(name)
        if mod is not None:
            return mod
    dirs = list(load_path)
    rel = os.path.join(*name) + ".scm"
    for d in dirs + [LIBRARY]:
        path = os.path.join(d, rel)
        if os.path.isfile(path):
            key = os.path.realpath(path)
            if key in _loading:
                break
            _loading.add(key)
            try:
                load_file(path, new_user_module(("vsys-load",) + name, [("guile",)]))
            finally:
                _loading.discard(key)
            mod = existing_module(name)
            if mod is None:
                raise error(f"{path} does not define the module {module_name_text(name)}",
                            key="module-error", loc=loc,
                            hints=["start the file with (define-module "
                                   f"{module_name_text(name)} ...)"])
            return mod
    for fallback in module_fallbacks:
        try:
            mod = fallback(name)
        except SchemeError as e:
            if e.loc is None:
                e.loc = loc          # at the clause naming the module
            raise
        if mod is not None:
            return mod
    known = [module_name_text(n) for n in builtin_module_names()]
    for source in module_name_sources:
        known += [module_name_text(n) for n in source()]
    hints = did_you_mean(module_name_text(name), known)
    if dirs:
        hints.append(f"looked for {rel} in: {', '.join(dirs)}")
    else:
        hints.append(f"no load path is set: add the directory holding {rel} with -L DIR "
                     f"or VSYS_LOAD_PATH")
    return _raise(error(f"no module named {module_name_text(name)}", key="module-error",
                        loc=loc, hints=hints))


def _raise(e: SchemeError):
    raise e


def source_text(path: str, data: bytes | None) -> str:
    """The text of a file already read once (DATA, when given, is its content)."""
    if data is None:
        with open(path, "rb") as f:
            data = f.read()
    return decode(data, path)


def read_source(path: str, loc: Location | None = None, located: bool = False,
                data: bytes | None = None, until_error: bool = False):
    """The forms of a file (with their locations when `located`); errors are located.
    DATA, when given, is the file's content, already read (it is not read again).
    UNTIL_ERROR: return (the located forms before the first read error, that error or
    None) instead of raising."""
    try:
        if data is None:
            with open(path, "rb") as f:
                data = f.read()
    except FileNotFoundError:
        raise error(f"no such file: {path}", key="system-error", loc=loc) from None
    except OSError as e:
        raise error(f"cannot read {path}: {e.strerror or e}", key="system-error",
                    loc=loc) from None
    text = decode(data, path)
    if until_error:
        return read_until_error(text, path)
    return read_located(text, path) if located else read_all(text, path)


def load_file(path: str, module: Module, where: list | None = None,
              data: bytes | None = None) -> Any:
    """Evaluate every form of a file, one after the other, starting in `module`.
    Returns the value of the last form (None for a file without forms); WHERE, when
    given, receives the location of that form, for messages about the value.  DATA,
    when given, is the file's content, already read: what is evaluated is then exactly
    that text, even if the file has been replaced since."""
    generation = options_generation()
    forms, read_err = read_source(path, located=True, data=data, until_error=True)
    if where is not None and forms:
        where.append(forms[-1][1])
    ctx = Ctx(module, path)
    result: Any = None
    saved = control.current_module[0]
    control.current_module[0] = module
    try:
        i = 0
        while i < len(forms):
            form, loc = forms[i]
            node = compile_toplevel(form, ctx, loc)
            before = control.current_module[0]
            result = run_node(node)
            now = control.current_module[0]
            if now is not before and isinstance(now, Module):
                ctx.module = now        # (set-current-module M): the next forms are M's
            control.current_module[0] = ctx.module
            i += 1
            if options_generation() != generation and (i < len(forms) or read_err):
                # The form changed the read options (install-r7rs!, read-set!, a module
                # such as (srfi srfi-88)): Guile reads each form when it gets there, so
                # the rest of the file is read again, with the options of now.
                generation = options_generation()
                text = source_text(path, data)
                if i < len(forms):
                    rest, read_err = read_rest(text, path, forms[i][1].line, forms[i][1].column)
                else:
                    rest, read_err = read_rest(text, path, loc.line, loc.column)
                    rest = rest[1:]
                forms[i:] = rest
                if where and forms:
                    where[-1] = forms[-1][1]
    finally:
        control.current_module[0] = saved
    if read_err is not None:
        raise read_err
    return result
