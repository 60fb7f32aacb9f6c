"""Guile's read options: `read-enable`, `read-disable`, `read-set!`, `read-options`
and `install-r7rs!`.  They change what the reader reads from then on: R7RS |symbols|,
`\\x41;` escapes, hungry backslash-newlines, case folding and `foo:`/`:foo` keywords."""

from __future__ import annotations

from ..compiler import compile_form
from ..datatypes import UNSPECIFIED, Location, Pair, Symbol, from_list
from ..errors import error, syntax_error
from ..reader import (
    READ_OPTION_NAMES,
    keyword_style,
    read_option_enabled,
    set_keyword_style,
    set_read_option,
)
from ..special_forms import args_of, special
from .define import builtin

_KEYWORD_STYLES = (None, "prefix", "postfix")


def _option(origin: str, opt, loc: Location | None = None) -> str:
    if type(opt) is not Symbol or opt.name not in READ_OPTION_NAMES:
        raise error("Unknown option name:", opt, origin=origin, key="misc-error", loc=loc,
                    hints=["read options: " + " ".join(READ_OPTION_NAMES)])
    return opt.name


def _set(origin: str, name: str, value, loc: Location | None = None) -> None:
    if name == "keywords":
        style = None if value is False else getattr(value, "name", value)
        if style not in _KEYWORD_STYLES:
            raise error("Unknown keyword style:", value, origin=origin, key="misc-error",
                        loc=loc, hints=["keyword styles: #f (only #:key), prefix (:key), "
                                        "postfix (key:)"])
        set_keyword_style(style)
    else:
        set_read_option(name, value is not False)


def _options_list():
    """The options as Guile lists them: on ones by name, `keywords` with its style."""
    out = []
    for name in reversed(READ_OPTION_NAMES):
        if name == "keywords":
            style = keyword_style()
            out += [Symbol("keywords"), False if style is None else Symbol(style)]
        elif read_option_enabled(name):
            out.append(Symbol(name))
    return from_list(out)


@builtin("read-enable")
def read_enable(opt):
    _set("read-enable", _option("read-enable", opt), True)
    return _options_list()


@builtin("read-disable")
def read_disable(opt):
    _set("read-disable", _option("read-disable", opt), False)
    return _options_list()


@builtin("read-options")
def read_options(setting=None):
    """(read-options): the options in force; given a list as (read-options-interface
    takes), sets them."""
    if type(setting) is Pair:
        items = list(setting)
        i = 0
        while i < len(items):
            name = _option("read-options", items[i])
            if name == "keywords" and i + 1 < len(items):
                _set("read-options", name, items[i + 1])
                i += 2
            else:
                _set("read-options", name, True)
                i += 1
    return _options_list()


@special("read-set!")
def _read_set_form(form, scope, ctx, tail):
    """(read-set! OPTION VALUE): OPTION is named as written, VALUE is evaluated."""
    name, value = args_of(form, "read-set!", 2, 2)
    if type(name) is not Symbol:
        raise syntax_error("bad read-set!: name the option, as in (read-set! keywords "
                           "'postfix)", loc=form.loc)
    option = _option("read-set!", name, form.loc)
    node = compile_form(value, scope, ctx, False, form.loc)

    def read_set(env):
        _set("read-set!", option, node(env), form.loc)
        return UNSPECIFIED
    return read_set


@builtin("install-r7rs!")
def install_r7rs():
    """(install-r7rs!): R7RS read syntax from now on (vsys's `cond-expand` always has
    the `r7rs` feature)."""
    for name in ("r6rs-hex-escapes", "hungry-eol-escapes", "r7rs-symbols"):
        set_read_option(name, True)
    return UNSPECIFIED


