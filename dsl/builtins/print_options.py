"""Guile's print options: `print-options`, `print-enable`, `print-disable`.  Of them,
r7rs-symbols changes what vsys writes (symbols as |foo bar|); the others are kept so a
program reads back what it set."""

from __future__ import annotations

from ..datatypes import NIL, UNSPECIFIED, Pair, Symbol, from_list, to_list
from ..errors import error
from ..printer import PRINT_OPTIONS, display_string
from .define import builtin
from .ports import current_output

# name -> (default, help), in Guile's order; a boolean option is on or off, the others
# hold a value.
_OPTIONS = {
    "highlight-prefix": ("{", "The string to print before highlighted values."),
    "highlight-suffix": ("}", "The string to print after highlighted values."),
    "quote-keywordish-symbols": (Symbol("reader"), "How to print symbols that have a colon "
                                 "as their first or last character."),
    "escape-newlines": (True, "Render newlines as \\n when printing using `write'."),
    "r7rs-symbols": (False, "Escape symbols using R7RS |...| symbol notation."),
}
_values = {name: default for name, (default, _) in _OPTIONS.items()}


def _set(name: str, value) -> None:
    _values[name] = value
    if name in PRINT_OPTIONS:
        PRINT_OPTIONS[name] = value is not False


def _current():
    out: list = []
    for name in reversed(_OPTIONS):
        value = _values[name]
        if type(_OPTIONS[name][0]) is bool:
            if value:
                out.append(Symbol(name))
        else:
            out += [Symbol(name), value]
    return from_list(out)


def _option(origin: str, x) -> str:
    if type(x) is not Symbol or x.name not in _OPTIONS:
        raise error(f"{origin}: unknown print option", x, origin=origin,
                    hints=["print options: " + " ".join(_OPTIONS)])
    return x.name


@builtin("print-options")
def print_options(setting=None):
    """(print-options): the current options; (print-options LIST): set them (a boolean
    option is on when named, a valued one is followed by its value); 'help: list them."""
    if setting is None:
        return _current()
    if setting is Symbol("help") or setting is Symbol("full"):
        port = current_output()
        for name, (default, text) in _OPTIONS.items():
            shown = ("yes" if _values[name] else "no") if type(default) is bool \
                else _values[name]
            port.write(f"{name}\t\t{display_string(shown)}\t{text}\n")
        return UNSPECIFIED
    if setting is not NIL and type(setting) is not Pair:
        raise error("print-options: expected a list of options", setting,
                    key="wrong-type-arg", origin="print-options")
    items = to_list(setting)
    new = {name: (False if type(d) is bool else d) for name, (d, _) in _OPTIONS.items()}
    i = 0
    while i < len(items):
        name = _option("print-options", items[i])
        if type(_OPTIONS[name][0]) is bool:
            new[name] = True
            i += 1
        else:
            if i + 1 >= len(items):
                raise error(f"print-options: {name} needs a value", key="wrong-type-arg",
                            origin="print-options")
            new[name] = items[i + 1]
            i += 2
    for name, value in new.items():
        _set(name, value)
    return _current()


@builtin("print-enable")
def print_enable(name):
    _set(_option("print-enable", name), True)
    return _current()


@builtin("print-disable")
def print_disable(name):
    _set(_option("print-disable", name), False)
    return _current()
