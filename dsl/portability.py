"""Warnings for what vsys accepts but Guile needs an import for.

vsys's core has `guard`, `raise` and `raise-continuable` (SRFI-34 / R7RS) and a `format`
with every directive of (ice-9 format).  Guile's core has none of them: `guard` is
unbound, `raise` is the POSIX signal procedure, and the core `format` only knows ~a ~s
~% ~~.  A config relying on them runs under vsys and fails under Guix, so vsys warns,
naming the module to import, once per file and name."""

from __future__ import annotations

import os
import re
from typing import Any

from .builtins.ports import current_error
from .compiler import CALL_CHECKS
from .datatypes import Pair

# name -> (modules that provide it in Guile, the one to suggest)
_NEEDS = {
    "guard": ({("srfi", "srfi-34"), ("rnrs", "exceptions"), ("scheme", "base"),
               ("ice-9", "exceptions")}, "(srfi srfi-34)"),
    "raise": ({("srfi", "srfi-34"), ("rnrs", "exceptions"), ("scheme", "base")},
              "(srfi srfi-34)"),
    "raise-continuable": ({("rnrs", "exceptions"), ("scheme", "base"),
                           ("ice-9", "exceptions")}, "(rnrs exceptions)"),
    "format": ({("ice-9", "format")}, "(ice-9 format)"),
}
CHECKED = frozenset(_NEEDS)

# A directive of (ice-9 format): parameters and modifiers, then one character.
_DIRECTIVE = re.compile(r"~[-+0-9,'@:#vV]*(.)", re.S)
_SIMPLE = frozenset("aAsS%~")

_OWN_FILES = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_warned: set = set()


def check(name: str, form: Any, box: Any, ctx: Any, loc: Any) -> None:
    """Warn if NAME (a use of vsys's own binding, in FORM) needs an import in Guile that
    the module being compiled lacks."""
    if box is None or box.module is None or box.module.name[0] != "guile":
        return                       # the program's own definition, or an imported one
    if ctx.file and os.path.abspath(ctx.file).startswith(_OWN_FILES + os.sep):
        return                       # vsys's own Scheme libraries
    modules, suggest = _NEEDS[name]
    if any(i.module.name in modules for i in ctx.module.imports):
        return
    if name == "format":
        text = form.cdr.cdr.car if type(form.cdr) is Pair and \
            type(form.cdr.cdr) is Pair else None
        if type(text) is not str:
            return
        extra = [m.group(0) for m in _DIRECTIVE.finditer(text)
                 if m.group(0) != "~" + m.group(1) or m.group(1) not in _SIMPLE]
        if not extra:
            return
        what = f"format directive {extra[0]}"
    else:
        what = name
    key = (ctx.file, what if name != "format" else name)
    if key in _warned:
        return
    _warned.add(key)
    where = f"{loc.file}:{loc.line}:{loc.column}: " if loc is not None and loc.file else ""
    current_error().write(
        f"{where}warning: {what} needs (use-modules {suggest}) in Guile; vsys accepts it "
        f"without, Guix would not\n")


CALL_CHECKS.update(dict.fromkeys(CHECKED, check))
