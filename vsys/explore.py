"""What vsys knows, as text a person reads: describe a name, search the service types,
list names matching a pattern, and turn a config file into its operating-system and
folded services.

The REPL's meta-commands (,describe ,apropos ,services) and the `vsys show`, `vsys search`
and graph commands all go through here, so a name reads the same everywhere.
"""

from __future__ import annotations

import os
import re
import sys
import textwrap
from typing import Any

from vsys.dsl.api import boot, stack_overflow_error, with_big_stack
from vsys.dsl.compiler import Macro, SpecialForm
from vsys.dsl.datatypes import Location, Symbol
from vsys.dsl.errors import did_you_mean, error
from vsys.dsl.loader import load_file, load_path, set_load_path
from vsys.dsl.modules import (
    UNBOUND,
    Module,
    builtin_module_names,
    existing_module,
    module_name_text,
)
from vsys.dsl.printer import write_string
from vsys.dsl.procedures import Closure, Primitive
from vsys.dsl.records import Record, RecordType
from vsys.stdlib import config_module, register_all
from vsys.stdlib.services import ServiceType
from vsys.stdlib.shepherd import canonical_name, check_shepherd_conflicts
from vsys.stdlib.system import OPERATING_SYSTEM, fold_operating_system

WIDTH = 78


# --- the catalog: every name of every built-in module -------------------------------------

_catalog: dict[str, list[tuple[tuple, Any]]] | None = None


def library_modules() -> list[tuple]:
    """The Python-defined modules a config can import (not user or config modules)."""
    register_all()          # declares the Guix-named modules (built when first imported)
    boot()
    return [n for n in builtin_module_names() if not n[0].startswith("vsys-")]


def catalog() -> dict[str, list[tuple[tuple, Any]]]:
    """name -> [(home module name, value)], one entry per distinct value.  A value's home
    is the module that defines it, not the ones that re-export it, so `(gnu)` does not
    shadow `(gnu services virtualization)`."""
    global _catalog
    if _catalog is None:
        table: dict[str, list[tuple[tuple, Any]]] = {}
        for mname in library_modules():
            mod = existing_module(mname)
            if mod is None:
                continue
            for sym, box in mod.bindings.items():
                entries = table.setdefault(sym.name, [])
                home = box.module.name
                if not any(v is box.value for _, v in entries):
                    entries.append((home, box.value))
        _catalog = table
    return _catalog


def find(name: str, module: Module | None = None) -> list[tuple[tuple, Any]]:
    """Where `name` is bound: in `module` if visible there, else in the library."""
    if module is not None:
        box = module.lookup(Symbol(name))
        if box is not None and _bound(box.value):
            return [(box.module.name, box.value)]
    return catalog().get(name, [])


def _bound(value: Any) -> bool:
    return value is not UNBOUND


def known_names(module: Module | None = None) -> set[str]:
    names = set(catalog())
    if module is not None:
        names |= module.visible_names()
    return names


# --- describing one name ------------------------------------------------------------------

def describe(name: str, module: Module | None = None, markdown: bool = False) -> str | None:
    """The documentation of NAME (a procedure, record type, service type, syntax, module
    or other value), or None when nothing is called that."""
    if name.startswith("("):
        return _describe_module(name, markdown)
    found = find(name, module)
    if not found and not name.endswith("-service-type"):
        # `vsys search` shows service types by name (qemu-binfmt): accept that name too.
        found = [(home, value) for home, value in find(f"{name}-service-type", module)
                 if type(value).__name__ == "ServiceType"]
        if found:
            name = f"{name}-service-type"
    if not found:
        return _describe_field(name, markdown)
    parts, seen = [], set()
    for home, value in found:
        # A record type or primitive installed into several modules is bound to a new
        # constructor syntax or procedure object in each: describe it once.
        key = _described_object(name, home, value)
        if key not in seen:
            seen.add(key)
            parts.append(_describe_value(name, home, value, markdown))
    return "\n\n".join(parts)


def _described_object(name: str, home: tuple, value: Any) -> Any:
    if isinstance(value, SpecialForm):
        rtype = record_type_of(name, home)
        if rtype is not None:
            return id(rtype)
    if isinstance(value, Primitive):
        return id(value.fn)
    return id(value)


def not_found(name: str, module: Module | None = None, search: str | None = None) -> str:
    """NAME is unknown: the closest names, else (given the SEARCH command that reads
    descriptions) where to look for it."""
    lines = [f"nothing is called {name}"]
    hints = did_you_mean(name, known_names(module))
    lines += [f"hint: {h}" for h in hints]
    if not hints and search:
        lines.append(f"hint: `{search} {name}` looks for it in names and descriptions")
    return "\n".join(lines)


def _describe_value(name: str, home: tuple, value: Any, md: bool) -> str:
    where = module_name_text(home)
    if isinstance(value, SpecialForm):
        rtype = record_type_of(name, home)
        if rtype is not None:
            return describe_record_type(rtype, where, md)
        return _doc_block(name, f"syntax in {where}", value.doc, md)
    if isinstance(value, RecordType):
        return describe_record_type(value, where, md)
    if isinstance(value, ServiceType):
        return describe_service_type(name, value, md)
    if isinstance(value, (Primitive, Closure)):
        return _describe_procedure(name, value, where, md)
    if isinstance(value, Macro):
        return _doc_block(name, f"macro in {where}", value.doc, md)
    kind = "parameter" if type(value).__name__ == "Parameter" else "variable"
    shown = write_string(value.value) if kind == "parameter" else write_string(value)
    return _doc_block(name, f"{kind} in {where}", f"Value: {_shorten(shown)}", md)


def record_type_of(name: str, home: tuple) -> Any:
    """The record type whose constructor syntax is NAME (see dsl.records: each record
    type is also bound as %NAME-type beside its constructor)."""
    mod = existing_module(home)
    box = mod.lookup(Symbol(f"%{name}-type")) if mod is not None else None
    if box is not None and isinstance(box.value, RecordType):
        return box.value
    return None


def _describe_procedure(name: str, proc: Any, where: str, md: bool) -> str:
    params = proc.params or ""
    call = f"({name}{' ' + params if params else ''})"
    doc = (proc.doc or "").strip() or "No documentation."
    loc = getattr(proc, "loc", None)
    if loc is not None:
        where = f"{where}, defined at {loc}"
    if md:
        return f"### `{call}`\n\nProcedure in `{where}`.\n\n{doc}"
    return f"{call}\n  procedure in {where}\n\n{_indent(doc)}"


def _doc_block(name: str, what: str, doc: str, md: bool) -> str:
    doc = (doc or "").strip() or "No documentation."
    if md:
        return f"### `{name}`\n\n{what[0].upper() + what[1:]}.\n\n{doc}"
    return f"{name}\n  {what}\n\n{_indent(doc)}"


def describe_record_type(rtype: Any, where: str, md: bool = False) -> str:
    """A record type's fields, each with its type, default and documentation."""
    lines: list[str] = []
    doc = (rtype.doc or "").strip()
    build = (f"({rtype.name} (FIELD VALUE) ...)" if rtype.config
             else f"the constructor of {rtype.name}")
    if md:
        lines += [f"### `{rtype.name}`", "", f"Record type in `{where}`, built with `{build}`.",
                  ""]
        if doc:
            lines += [doc, ""]
        for f in rtype.fields:
            head = f"- **`{f.name}`** (type: {_field_type(f)}"
            default = field_default(f)
            head += f"; default: `{default}`)" if default is not None else "; required)"
            text = (f.doc or "").strip()
            lines.append(head + (f": {text}" if text else ""))
        return "\n".join(lines).rstrip()
    lines += [rtype.name, f"  record type in {where}, built with {build}"]
    if doc:
        lines += ["", _indent(doc)]
    lines += ["", "Fields:"]
    for f in rtype.fields:
        default = field_default(f)
        extra = f"default {default}" if default is not None else "required"
        lines.append(f"  {f.name} ({_field_type(f)}, {extra})")
        if (f.doc or "").strip():
            lines.append(_indent(f.doc.strip(), 6))
    return "\n".join(lines)


def _describe_field(name: str, md: bool) -> str | None:
    """NAME as a field of the library's record types (`tls-port`), or None."""
    parts = []
    seen: set[int] = set()
    for entries in catalog().values():
        for _, rtype in entries:
            if not isinstance(rtype, RecordType) or id(rtype) in seen or \
                    name not in rtype.index:
                continue
            seen.add(id(rtype))
            f = rtype.field(name)
            default = field_default(f)
            extra = f"default {default}" if default is not None else "required"
            doc = (f.doc or "").strip() or "No documentation."
            if md:
                parts.append(f"### `{name}`\n\nField of `{rtype.name}` (type: "
                             f"{_field_type(f)}; {extra}).\n\n{doc}")
            else:
                parts.append(f"{name}\n  field of {rtype.name} ({_field_type(f)}, "
                             f"{extra})\n\n{_indent(doc)}")
    return "\n\n".join(sorted(parts)) or None


def _field_type(f: Any) -> str:
    return f.type.name if f.type is not None else "any value"


def field_default(f: Any) -> str | None:
    """How a field's default reads in Scheme, or None when the field must be given."""
    if f.default_text is not None:
        return f.default_text
    if f.thunk is not None:
        return "computed from the other fields"
    if f.required:
        return None
    return _shorten(scheme_text(f.default))


def describe_service_type(name: str, t: Any, md: bool = False) -> str:
    """A service type's description, what it extends and its default value."""
    extends = " ".join(e.target.name for e in t.extensions) or "nothing"
    extensible = t.compose is not None and t.extend is not None
    default = _shorten(scheme_text(t.default_value)) if t.has_default else None
    desc = (t.description or "").strip() or "No description."
    module = t.module or (str(t.loc) if t.loc is not None else "this session")
    if md:
        lines = [f"### `{name}`", "", f"Service type `{t.name}` in `{module}`.", "", desc,
                 "", f"- extends: {_md_names(t.extensions)}",
                 f"- can be extended: {'yes' if extensible else 'no'}",
                 f"- default value: `{default}`" if default is not None else
                 "- default value: none (a value must be given)"]
        return "\n".join(lines)
    lines = [name, f"  service type {t.name} in {module}", "", _indent(desc), "",
             f"  extends: {extends}",
             f"  can be extended: {'yes' if extensible else 'no'}",
             f"  default value: {default}" if default is not None else
             "  default value: none (write (service TYPE VALUE))"]
    return "\n".join(lines)


def _md_names(extensions: list) -> str:
    return ", ".join(f"`{e.target.name}`" for e in extensions) or "nothing"


def scheme_text(value: Any) -> str:
    """A value as a person would write it: records in the Guix syntax with only the
    fields that differ from the defaults, everything else as `write` prints it."""
    if type(value) is Record and value.rtype.config:
        given = [f"({f.name} {scheme_text(v)})" for f, v, e in
                 zip(value.rtype.fields, value.values, value.explicit) if e]
        return f"({' '.join([value.rtype.name] + given)})"
    return write_string(value)


def _describe_module(text: str, md: bool) -> str | None:
    mname = tuple(text.strip("() ").split())
    library_modules()
    mod = existing_module(mname)
    if mod is None:
        return None
    services, records, others = [], [], []
    values = {}
    for sym in sorted(mod.exported_names(), key=lambda s: s.name):
        box = mod.public_box(sym)
        values[sym.name] = box.value if box is not None else None
    for name, value in values.items():
        if isinstance(value, ServiceType):
            services.append(name)
        elif isinstance(value, RecordType) and name == f"%{value.name}-type":
            records.append(value.name)
    # A record type's constructor, predicate and accessors go without saying.
    implied = tuple(f"{r}-" for r in records)
    others = [n for n in values if n not in services and n.rstrip("?") not in records
              and not n.startswith(implied) and not (n.startswith("%") and
                                                     n.endswith("-type"))]
    title = module_name_text(mname)
    groups = [("Service types", services), ("Record types", records), ("Other names", others)]
    if md:
        out = [f"## `{title}`"]
        for label, names in groups:
            if names:
                out += ["", f"{label}: " + ", ".join(f"`{n}`" for n in names)]
        return "\n".join(out)
    out = [title, "  module"]
    for label, names in groups:
        if names:
            out += ["", f"{label}:", _fill(" ".join(names), "  ")]
    return "\n".join(out)


def _indent(text: str, by: int = 2) -> str:
    pad = " " * by
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text)]
    return "\n\n".join(_fill(" ".join(p.split()), pad) for p in paragraphs if p)


def _fill(text: str, pad: str) -> str:
    # Scheme names are full of hyphens: never break a line inside one.
    return textwrap.fill(text, WIDTH, initial_indent=pad, subsequent_indent=pad,
                         break_on_hyphens=False, break_long_words=False)


def _shorten(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[:limit - 3] + "..."


# --- searching ----------------------------------------------------------------------------

def service_types() -> list[tuple[str, Any]]:
    """(variable name, service type) for every service type of the library."""
    seen: set[int] = set()
    out = []
    for name, entries in catalog().items():
        for _, value in entries:
            if isinstance(value, ServiceType) and id(value) not in seen:
                seen.add(id(value))
                out.append((name, value))
    return out


def search(pattern: str) -> list[tuple[str, Any]]:
    """Service types whose name or description matches PATTERN (a regular expression,
    case-insensitive, as `guix system search`): name matches first."""
    rx = re.compile(pattern, re.IGNORECASE)
    hits = []
    for var, t in service_types():
        in_name = bool(rx.search(t.name) or rx.search(var))
        if in_name or rx.search(t.description or ""):
            hits.append((0 if in_name else 1, t.name, var, t))
    hits.sort(key=lambda h: (h[0], h[1]))
    return [(var, t) for _, _, var, t in hits]


def search_record(var: str, t: Any) -> str:
    """One search result in recutils form, as `guix system search` prints them."""
    first = ((t.description or "").strip().splitlines() or [""])[0]
    extends = " ".join(e.target.name for e in t.extensions)
    return "\n".join([f"name: {t.name}", f"variable: {var}", f"module: {t.module}",
                      f"extends: {extends}", f"description: {first}", ""])


def apropos(pattern: str, module: Module | None = None) -> list[tuple[str, str]]:
    """(module text, name) of every binding whose name matches PATTERN."""
    rx = re.compile(pattern)
    rows: set[tuple[str, str]] = set()
    for name, entries in catalog().items():
        if rx.search(name):
            for home, _ in entries:
                rows.add((module_name_text(home), name))
    if module is not None:
        for sym, box in module.bindings.items():
            if rx.search(sym.name) and _bound(box.value):
                rows.add((module_name_text(module.name), sym.name))
    return sorted(rows)


# --- a config file and what it turns into -------------------------------------------------

def is_operating_system(value: Any) -> bool:
    return type(value) is Record and value.rtype is OPERATING_SYSTEM


def find_operating_system(last_value: Any, module: Module) -> tuple[Any, str | None]:
    """The config's operating-system: its last expression's value, else the last
    variable of the module holding one.  Returns (record, variable name or None)."""
    if is_operating_system(last_value):
        return last_value, next((sym.name for sym, box in module.bindings.items()
                                 if box.value is last_value), None)
    candidates = [(sym.name, box.value) for sym, box in module.bindings.items()
                  if is_operating_system(box.value)]
    if candidates:
        name, value = candidates[-1]
        return value, name
    return None, None


def load_config(path: str) -> Any:
    """Evaluate the config file PATH (on a big stack) and return its operating-system.
    Raises SchemeError for a mistake in the file, and when it holds no system (located
    at its last form)."""
    if not load_path:
        set_load_path([os.path.dirname(os.path.abspath(path))])
    module = config_module()
    where: list = []

    def run() -> Any:
        try:
            return load_file(path, module, where)
        except RecursionError:
            raise stack_overflow_error() from None
    value = with_big_stack(run)
    os_, _ = find_operating_system(value, module)
    if os_ is None:
        raise error(f"{path} does not evaluate to an operating-system: its last expression "
                    f"should be (operating-system ...), or a variable should hold one",
                    loc=where[-1] if where else Location(path, 1, 1))
    return os_


def fold_system(os_: Any) -> Any:
    """The operating-system's services folded along their extensions, as a build does."""
    return fold_operating_system(os_)


def shepherd_names(folded: Any) -> dict[int, list[str]]:
    """id(service) -> the Shepherd names (canonical first) of the shepherd services it
    contributes, host milestones replaced as the supervisor sees them."""
    names: dict[int, list[str]] = {}
    for entry in check_shepherd_conflicts(folded):
        names.setdefault(id(entry.origin), []).append(canonical_name(entry.record).name)
    return names


def services_table(folded: Any) -> str:
    """The folded services, one a line: type, Shepherd names, where it comes from."""
    shepherd = shepherd_names(folded)
    w1 = max(len(s.type.name) for s in folded.services)
    w2 = 30
    out = [f"{'service':<{w1}}  {'shepherd':<{w2}}  from"]
    for s in folded.services:
        # Long lists of Shepherd names continue on the next lines, in their column.
        names = textwrap.wrap(" ".join(shepherd.get(id(s), [])) or "-", w2,
                              break_on_hyphens=False, break_long_words=False)
        out.append(f"{s.type.name:<{w1}}  {names[0]:<{w2}}  {s.where()}")
        out += [f"{'':<{w1}}  {more}" for more in names[1:]]
    return "\n".join(out)



# --- the commands -------------------------------------------------------------------------

def search_command(pattern: str) -> int:
    """`vsys search REGEX`: the exit status (1 when nothing matches)."""
    try:
        hits = search(pattern)
    except re.error as e:
        sys.stderr.write(f"vsys search: bad regular expression {pattern!r}: {e}\n")
        return 2
    if not hits:
        sys.stderr.write(f"vsys search: no service type matches {pattern!r}\n")
        return 1
    sys.stdout.write("\n".join(search_record(var, t) for var, t in hits) + "\n")
    return 0


def show_command(name: str, markdown: bool = False) -> int:
    """`vsys show NAME`: the text of `,describe NAME`."""
    text = describe(name, markdown=markdown)
    if text is None:
        sys.stderr.write("vsys show: " + not_found(name, search="vsys search") + "\n")
        return 1
    sys.stdout.write(text + "\n")
    return 0
