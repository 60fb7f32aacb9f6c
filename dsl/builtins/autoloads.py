"""Procedures Guile's core has by autoload from a module written in Scheme: the first
call loads the module and hands the call over to its procedure."""

from __future__ import annotations

from ..datatypes import Symbol, from_list
from ..modules import existing_module
from ..procedures import TailCall, call
from .define import builtin


def _autoloaded(module: str, name: str):
    guile = existing_module(("guile",))
    resolve = guile.lookup(Symbol("resolve-module")).value
    found = call(resolve, [from_list([Symbol(part) for part in module.split()])])
    return found.lookup(Symbol(name)).value


@builtin("compile", tail=True)
def compile_(x, *args):
    """(compile X #:to 'value #:env MODULE ...), from (system base compile)."""
    return TailCall(_autoloaded("system base compile", "compile"), [x, *args])
