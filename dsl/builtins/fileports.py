"""File ports: `open-input-file`, `call-with-output-file`, `with-output-to-file`... as
in Guile (text in UTF-8).  A file that cannot be opened is a `system-error` naming the
file, as Guile's.  Also the ports' conversion strategies."""

from __future__ import annotations

import os
import weakref
from typing import Any

from ..datatypes import NIL, UNSPECIFIED, Keyword, Pair, Symbol, pystr
from ..errors import Condition, SchemeError, error, wrong_type
from ..procedures import call
from .checks import need_string
from .define import builtin
from .ports import InputPort, OutputPort, Port, StreamOutputPort, _with
from .processes import open_read_write


class FileOutputPort(StreamOutputPort):
    __slots__ = ()

    def close(self) -> None:
        if not self.closed:
            self.stream.close()
        super().close()


def _open(origin: str, name: Any, mode: str):
    path = pystr(need_string(origin, 1, name))
    try:
        return open(path, mode, encoding="utf-8", newline="")
    except OSError as e:
        raise error(f"{e.strerror or e}: {path}", key="system-error", origin="open-file",
                    hints=[f"the current directory is {os.getcwd()}"]) from None


@builtin("open-input-file")
def open_input_file(name):
    with _open("open-input-file", name, "r") as f:
        return InputPort(f.read(), name=pystr(name))


@builtin("open-output-file")
def open_output_file(name):
    return FileOutputPort(_open("open-output-file", name, "w"), pystr(name))


def _closing(port, proc):
    try:
        return call(proc, [port])
    finally:
        if isinstance(port, FileOutputPort):
            port.flush()
        port.close()


@builtin("call-with-input-file")
def call_with_input_file(name, proc):
    return _closing(open_input_file(name), proc)


@builtin("call-with-output-file")
def call_with_output_file(name, proc):
    return _closing(open_output_file(name), proc)


@builtin("with-input-from-file")
def with_input_from_file(name, thunk):
    port = open_input_file(name)
    try:
        return _with("input", port, thunk)
    finally:
        port.close()


@builtin("with-output-to-file")
def with_output_to_file(name, thunk):
    port = open_output_file(name)
    try:
        return _with("output", port, thunk)
    finally:
        port.flush()
        port.close()


# --- conversion strategies ------------------------------------------------------------
# vsys ports write UTF-8, which can encode every character, so on output the strategy
# (error, substitute, escape) is never applied; it is kept per port, for programs that
# set it and read it back, as Guile's ports do.  On input it decides what an invalid
# byte of a bytevector port read as UTF-8 gives (binary_ports).

_STRATEGIES = ("error", "substitute", "escape")
_strategy: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_default_strategy = ["substitute"]


def _strategy_symbol(who: str, sym) -> str:
    if type(sym) is not Symbol or sym.name not in _STRATEGIES:
        raise wrong_type(who, 2, "error, substitute or escape", sym)
    return sym.name


@builtin("set-port-conversion-strategy!")
def set_port_conversion_strategy(port, sym):
    name = _strategy_symbol("set-port-conversion-strategy!", sym)
    if port is False:
        _default_strategy[0] = name
    elif isinstance(port, Port):
        _strategy[port] = name
    else:
        raise wrong_type("set-port-conversion-strategy!", 1, "port or #f", port)
    return UNSPECIFIED


def conversion_strategy(port: Port) -> str:
    """What PORT does with bytes its encoding cannot decode: error, substitute or escape."""
    return _strategy.get(port, _default_strategy[0])


@builtin("port-conversion-strategy")
def port_conversion_strategy(port):
    if port is False:
        return Symbol(_default_strategy[0])
    if not isinstance(port, Port):
        raise wrong_type("port-conversion-strategy", 1, "port or #f", port)
    return Symbol(_strategy.get(port, _default_strategy[0]))


def _open_file_keywords(args: tuple) -> dict:
    """The #:encoding and #:guess-encoding? arguments of open-file, refused as Guile
    refuses them (keyword-argument-error, with the offending datum)."""
    def refuse(fmt: str, datum) -> SchemeError:
        return SchemeError(Condition("keyword-argument-error", f"open-file: {fmt}: {datum}",
                                     (datum,), "open-file", None,
                                     ("open-file", fmt, NIL, Pair(datum, NIL))))
    given = {}
    k = 0
    while k < len(args):
        kw = args[k]
        if type(kw) is not Keyword:
            raise refuse("Invalid keyword", kw)
        if k + 1 >= len(args):
            raise refuse("Keyword argument has no value", kw)
        if kw.name not in ("encoding", "guess-encoding?"):
            raise refuse("Unrecognized keyword", kw)
        given[kw.name] = args[k + 1]
        k += 2
    return given


@builtin("open-file")
def open_file(name, mode, *keywords):
    """(open-file NAME MODE [#:encoding ENC] [#:guess-encoding? BOOL]): a port on NAME;
    MODE is "r", "w" or "a", and may add "b" (binary) or "0"/"l" (buffering); with "+"
    the port both reads and writes the file, at one position, as Guile's."""
    _open_file_keywords(keywords)
    text = pystr(need_string("open-file", 2, mode))
    base = "".join(c for c in text if c in "rwa+")
    if not base or base[0] not in "rwa":
        raise error(f"open-file: bad mode {text!r}", key="misc-error", origin="open-file",
                    hints=['modes are "r", "w", "a", "r+", "w+", "a+", optionally with "b"'])
    if base[0] == "r" and "+" not in base:
        with _open("open-file", name, "r") as f:
            return InputPort(f.read(), name=pystr(name))
    if "+" in base:
        return open_read_write(pystr(name), os.O_RDWR | _PLUS_FLAGS[base[0]])
    return FileOutputPort(_open("open-file", name, base), pystr(name))


# What "r+", "w+" and "a+" add to opening the file for reading and writing.
_PLUS_FLAGS = {"r": 0, "w": os.O_CREAT | os.O_TRUNC, "a": os.O_CREAT | os.O_APPEND}


class VoidInputPort(InputPort):
    __slots__ = ()
    kind = "void"


class VoidOutputPort(OutputPort):
    """Output that goes nowhere."""

    __slots__ = ()
    kind = "file"

    def write(self, text: str) -> None:
        if self.closed:
            raise error("port is closed", self, key="wrong-type-arg")


@builtin("%make-void-port")
def make_void_port(mode):
    """(%make-void-port MODE): with "r", a port at its end; else one that discards
    what is written to it."""
    text = pystr(need_string("%make-void-port", 1, mode))
    return VoidInputPort() if text.startswith("r") and "+" not in text else VoidOutputPort()
