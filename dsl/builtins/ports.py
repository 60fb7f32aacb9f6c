"""Ports: where `display`, `write` and `format` send text, and where `read-char`,
`read-line` and `read` take it from.

Python API for the front ends:

    set_current_output(target) -> previous port     target: a Port or a text stream
    with output_to(target) as port: ...             the same, restored afterwards
    with redirected("error" | "input", target): ... the other current ports
    current_output() / current_error() / current_input()
    set_current_error(target), set_current_input(target)
    flush_output()                                  before exiting or reporting an error
    StringOutputPort().getvalue()                   collect output in memory

`exit` raises `SchemeExit` (re-exported here with `set_command_line` from `misc`).

The current ports are parameter objects, so `(parameterize ((current-output-port p))
...)` works as in Guile.  The default output port writes to whatever `sys.stdout` is
at the time of writing, so redirections made by the host program (or a test harness)
are followed.
"""

from __future__ import annotations

import re
import sys
import weakref
from contextlib import contextmanager
from typing import Any, Iterator, TextIO

from .. import printer
from ..control import Parameter
from ..datatypes import EOF, NIL, UNSPECIFIED, Char, Pair, Symbol, from_list
from ..errors import error, out_of_range, wrong_type
from ..printer import display_string
from ..procedures import call, make_primitive
from ..reader import FOLD_DIRECTIVES, read_option_enabled, read_with_fold
from .checks import need_char, need_count, need_proc, need_range, need_string
from .define import builtin, constant, lookup
from .format import format_text
from .misc import SchemeExit, set_command_line  # noqa: F401  (front ends find them here)

RDELIM = "ice-9 rdelim"
R7 = "scheme base"


class Port:
    __slots__ = ("closed", "__weakref__")
    is_input = False
    is_output = False
    kind = "port"

    def __init__(self) -> None:
        self.closed = False

    def close(self) -> None:
        self.closed = True

    def scheme_repr(self, write: bool) -> str:
        direction = "input" if self.is_input else "output"
        if self.closed:
            return f"#<closed: {self.kind} {id(self):x}>"
        return f"#<{direction}: {self.kind} {self.label()}>"

    def label(self) -> str:
        return f"{id(self):x}"


class OutputPort(Port):
    __slots__ = ()
    is_output = True

    def write(self, text: str) -> None:
        raise NotImplementedError

    def flush(self) -> None:
        pass

    def column(self) -> int:
        """Where the next character goes on its line (0 where unknown)."""
        return 0


class StreamOutputPort(OutputPort):
    """Output to a Python text stream; with no stream, to whatever `sys.stdout` (or
    `sys.stderr`, when `default` says so) is at the time of writing."""

    __slots__ = ("stream", "name", "default", "col")
    kind = "file"

    def __init__(self, stream: TextIO | None = None, name: str | None = None,
                 default: str = "stdout"):
        super().__init__()
        self.stream = stream
        self.name = name
        self.default = default
        self.col = 0

    def write(self, text: str) -> None:
        if self.closed:
            raise error("port is closed", self, key="wrong-type-arg")
        (self.stream or getattr(sys, self.default)).write(text)
        nl = text.rfind("\n")
        self.col = self.col + len(text) if nl < 0 else len(text) - nl - 1

    def column(self) -> int:
        return self.col

    def flush(self) -> None:
        stream = self.stream or getattr(sys, self.default)
        try:
            stream.flush()
        except (OSError, ValueError):
            pass

    def label(self) -> str:
        return self.name or getattr(self.stream, "name", None) or f"{id(self):x}"


class StringOutputPort(OutputPort):
    __slots__ = ("chunks", "pos")
    kind = "string"

    def __init__(self) -> None:
        super().__init__()
        self.chunks: list[str] = []
        self.pos: int | None = None     # where writing goes after a seek; None: the end

    def write(self, text: str) -> None:
        if self.pos is None:
            self.chunks.append(text)
            return
        old = self.getvalue()       # after a seek back, writing overwrites
        self.chunks = [old[:self.pos] + text + old[self.pos + len(text):]]
        self.pos += len(text)
        if self.pos >= len(self.chunks[0]):
            self.pos = None

    def column(self) -> int:
        col = 0
        for chunk in reversed(self.chunks):
            nl = chunk.rfind("\n")
            if nl >= 0:
                return col + len(chunk) - nl - 1
            col += len(chunk)
        return col

    def getvalue(self) -> str:
        if len(self.chunks) > 1:
            self.chunks[:] = ["".join(self.chunks)]
        return self.chunks[0] if self.chunks else ""


class InputPort(Port):
    """Input from a string, or from a Python text stream read a line at a time."""

    # read_fold: the case folding a #!fold-case or #!no-fold-case read from the port set
    __slots__ = ("text", "pos", "stream", "name", "read_fold")
    is_input = True

    def __init__(self, text: str = "", stream: TextIO | None = None, name: str | None = None):
        super().__init__()
        self.text = text
        self.pos = 0
        self.stream = stream
        self.name = name

    @property
    def kind(self) -> str:  # type: ignore[override]
        return "string" if self.stream is None else "file"

    def label(self) -> str:
        return self.name or f"{id(self):x}"

    def _more(self) -> bool:
        """Read another line from the stream; False at its end."""
        if self.stream is None:
            return False
        line = self.stream.readline()
        if not line:
            self.stream = None
            return False
        self.text = self.text[self.pos:] + line
        self.pos = 0
        return True

    def read_char(self) -> Any:
        if self.pos >= len(self.text) and not self._more():
            return EOF
        ch = self.text[self.pos]
        self.pos += 1
        return Char(ch)

    def peek_char(self) -> Any:
        if self.pos >= len(self.text) and not self._more():
            return EOF
        return Char(self.text[self.pos])

    def read_until(self, stop: str) -> tuple[str, str | None]:
        """Text up to the first character in `stop` (consumed), and that character."""
        out = []
        while True:
            if self.pos >= len(self.text) and not self._more():
                return "".join(out), None
            text, start = self.text, self.pos
            end = min((i for i in (text.find(c, start) for c in stop) if i >= 0),
                      default=-1)
            if end >= 0:
                out.append(text[start:end])
                self.pos = end + 1
                return "".join(out), text[end]
            out.append(text[start:])
            self.pos = len(text)

    def rest(self) -> str:
        while self._more():
            pass
        text = self.text[self.pos:]
        self.pos = len(self.text)
        return text


STDOUT = StreamOutputPort(None, "1")
STDERR = StreamOutputPort(None, "2", default="stderr")
class _LiveStdin:
    """Reads from whatever `sys.stdin` is when input is needed."""

    def readline(self) -> str:
        return sys.stdin.readline()


STDIN = InputPort(stream=_LiveStdin(), name="0")

# The current ports are parameters, so that `parameterize` can rebind them as in Guile.
_current = {"output": Parameter(STDOUT, None), "error": Parameter(STDERR, None),
            "input": Parameter(STDIN, None)}
for _which, _param in _current.items():
    _param.name = f"current-{_which}-port"
    constant(_param.name, _param)
_OUTPUT = _current["output"]      # display's hot path reads it directly


def as_port(target: Any, direction: str = "output") -> Port:
    if isinstance(target, Port):
        return target
    if direction == "input":
        return InputPort(stream=target)
    return StreamOutputPort(target)


def current_output() -> OutputPort:
    return _current["output"].value


def current_error() -> OutputPort:
    return _current["error"].value


def current_input() -> InputPort:
    return _current["input"].value


def set_current_output(target: Any) -> Port:
    """Send Scheme output to `target` (a Port or a text stream); returns the previous."""
    previous = _current["output"].value
    _current["output"].value = as_port(target)
    return previous


def set_current_error(target: Any) -> Port:
    previous = _current["error"].value
    _current["error"].value = as_port(target)
    return previous


def set_current_input(target: Any) -> Port:
    previous = _current["input"].value
    _current["input"].value = as_port(target, "input")
    return previous


@contextmanager
def redirected(which: str, target: Any) -> Iterator[Port]:
    previous = _current[which].value
    port = as_port(target, "input" if which == "input" else "output")
    _current[which].value = port
    try:
        yield port
    finally:
        _current[which].value = previous


def output_to(target: Any):
    """Context manager: Scheme output goes to `target` inside the block."""
    return redirected("output", target)


def flush_output() -> None:
    """Flush the current output and error ports (before exiting or reporting)."""
    _current["output"].value.flush()
    _current["error"].value.flush()


# --- printing ------------------------------------------------------------------------

def display_text(x: Any) -> str:
    t = type(x)
    if t is str:
        return x
    if t is int:
        return str(x)
    return display_string(x)


def write_text(x: Any) -> str:
    return printer.write_string(x)    # not `write_string`: write-string, below, is Scheme's


@builtin("pk")
def pk(first, *rest):
    """Debugging aid: print the arguments as `;;; (...)` and return the last one."""
    values = (first, *rest)
    current_output().write(f"\n;;; {write_text(from_list(list(values)))}\n")
    return values[-1]


builtin("peek")(pk)


def _need_port(origin: str, pos: int, port: Any, which: str, kind: type) -> Any:
    if port is None:
        return _current[which].value
    direction = "input" if which == "input" else "output"
    if isinstance(port, kind):
        if port.closed:
            raise wrong_type(origin, pos, f"open {direction} port", port)
        return port
    raise wrong_type(origin, pos, f"{direction} port", port)


def need_output(origin: str, pos: int, port: Any) -> OutputPort:
    """An output port argument; when omitted (None), the current output port."""
    return _need_port(origin, pos, port, "output", OutputPort)


def need_input(origin: str, pos: int, port: Any) -> InputPort:
    return _need_port(origin, pos, port, "input", InputPort)


@builtin("display")
def display(x, port=None):
    out = _OUTPUT.value if port is None else need_output("display", 2, port)
    out.write(x if type(x) is str else display_text(x))
    return UNSPECIFIED


@builtin("write")
def write(x, port=None):
    need_output("write", 2, port).write(write_text(x))
    return UNSPECIFIED


@builtin("newline")
def newline(port=None):
    need_output("newline", 1, port).write("\n")
    return UNSPECIFIED


@builtin("write-char")
def write_char(ch, port=None):
    need_output("write-char", 2, port).write(need_char("write-char", 1, ch))
    return UNSPECIFIED


@builtin("write-string", R7)
def write_string(s, port=None, start=None, end=None):
    text = need_string("write-string", 1, s)
    a, b = need_range("write-string", 3, len(text), start, end)
    need_output("write-string", 2, port).write(text[a:b])
    return UNSPECIFIED


@builtin("write-line", RDELIM)
def write_line(x, port=None):
    out = need_output("write-line", 2, port)
    out.write(display_text(x))
    out.write("\n")
    return UNSPECIFIED


def format_to_text(fmt: Any, args: tuple, column: int = 0) -> str:
    return format_text(need_string("format", 2, fmt), list(args), display_text, write_text,
                       column)


@builtin("format", "guile", "ice-9 format")
def format_(destination, fmt, *args):
    """(format #f ...) returns the text; #t prints to the current output; a port
    receives it (~& and ~t know the port's column, as in Guile)."""
    if destination is False:
        return format_to_text(fmt, args)
    port = need_output("format", 1, _OUTPUT.value if destination is True else destination)
    port.write(format_to_text(fmt, args, port.column()))
    return UNSPECIFIED


@builtin("port-column")
def port_column(port):
    """The column the next character written to PORT goes to (0 for an input port)."""
    if not isinstance(port, Port):
        raise wrong_type("port-column", 1, "port", port)
    return port.column() if isinstance(port, OutputPort) else 0


builtin("simple-format")(format_)


@builtin("force-output")
def force_output(port=None):
    need_output("force-output", 1, port).flush()
    return UNSPECIFIED


builtin("flush-output-port", "rnrs io ports", R7)(force_output)


@builtin("object->string")
def object_to_string(obj, printer=None):
    if printer is None or printer is _WRITE:
        return write_text(obj)
    if printer is _DISPLAY:
        return display_text(obj)
    port = StringOutputPort()
    call(printer, [obj, port])
    return port.getvalue()


_WRITE = lookup("guile", "write")
_DISPLAY = lookup("guile", "display")


# --- (ice-9 textual-ports), also R6RS's (rnrs io ports) ---------------------------

TEXTUAL = ("ice-9 textual-ports", "rnrs io ports")


@builtin("put-string", *TEXTUAL)
def put_string(port, s, start=None, count=None):
    text = need_string("put-string", 2, s)
    if start is not None:
        a = need_range("put-string", 3, len(text), start, None)[0]
        b = len(text) if count is None else a + need_count("put-string", 4, count)
        text = text[a:b]
    need_output("put-string", 1, port).write(text)
    return UNSPECIFIED


@builtin("put-char", *TEXTUAL)
def put_char(port, ch):
    need_output("put-char", 1, port).write(need_char("put-char", 2, ch))
    return UNSPECIFIED


@builtin("get-char", *TEXTUAL)
def get_char(port):
    return need_input("get-char", 1, port).read_char()


@builtin("lookahead-char", *TEXTUAL)
def lookahead_char(port):
    return need_input("lookahead-char", 1, port).peek_char()


@builtin("get-line", *TEXTUAL)
def get_line(port):
    return _delimited(need_input("get-line", 1, port), "\n", "trim")


@builtin("unget-char", "ice-9 textual-ports")
def unget_char(port, ch):
    _unread(need_input("unget-char", 1, port), need_char("unget-char", 2, ch))
    return UNSPECIFIED


@builtin("unget-string", "ice-9 textual-ports")
def unget_string(port, s):
    _unread(need_input("unget-string", 1, port), need_string("unget-string", 2, s))
    return UNSPECIFIED


@builtin("unread-char")
def unread_char(ch, port=None):
    """(unread-char CHAR [PORT]): the next read from PORT returns CHAR first."""
    _unread(need_input("unread-char", 2, port), need_char("unread-char", 1, ch))
    return ch


@builtin("unread-string")
def unread_string(s, port=None):
    _unread(need_input("unread-string", 2, port), need_string("unread-string", 1, s))
    return UNSPECIFIED


def _unread(p: InputPort, text: str) -> None:
    p.text = text + p.text[p.pos:]
    p.pos = 0


@builtin("get-string-all", *TEXTUAL)
def get_string_all(port):
    text = need_input("get-string-all", 1, port).rest()
    return text if text else EOF


@builtin("get-string-n", *TEXTUAL)
def get_string_n(port, count):
    return read_string(need_input("get-string-n", 1, port), count)


# --- current ports -------------------------------------------------------------------

def _current_port_procedures(which: str) -> None:
    """set-current-output-port! (and error/input), and the check `parameterize` makes
    of a new current port."""
    need = need_input if which == "input" else need_output
    name = f"current-{which}-port"

    def set_current(port):
        _current[which].value = need(f"set-current-{which}-port!", 1, port)
        return UNSPECIFIED

    def converter(port):
        if not isinstance(port, InputPort if which == "input" else OutputPort):
            direction = "an input" if which == "input" else "an output"
            raise error(f"{name}: expected {direction} port, got {write_text(port)}", port,
                        origin=name)
        return port

    builtin(f"set-current-{which}-port!")(set_current)
    builtin(f"set-current-{which}-port")(set_current)      # Guile's older name
    _current[which].converter = make_primitive(name, converter)


for _which in ("output", "error", "input"):
    _current_port_procedures(_which)


# --- string ports --------------------------------------------------------------------

@builtin("open-output-string")
def open_output_string():
    return StringOutputPort()


@builtin("open-input-string")
def open_input_string(s):
    return InputPort(need_string("open-input-string", 1, s))


@builtin("get-output-string")
def get_output_string(port):
    if type(port) is not StringOutputPort:
        raise wrong_type("get-output-string", 1, "string output port", port)
    return port.getvalue()


def _with(which: str, port: Port, thunk) -> Any:
    with redirected(which, port):
        return call(thunk, [])


def _captured(which: str, thunk) -> str:
    """What `thunk` writes to the current output (or error) port, as a string."""
    port = StringOutputPort()
    _with(which, port, thunk)
    return port.getvalue()


@builtin("with-output-to-string")
def with_output_to_string(thunk):
    return _captured("output", need_proc("with-output-to-string", 1, thunk))


@builtin("with-error-to-string")
def with_error_to_string(thunk):
    return _captured("error", need_proc("with-error-to-string", 1, thunk))


@builtin("call-with-output-string")
def call_with_output_string(proc):
    need_proc("call-with-output-string", 1, proc)
    port = StringOutputPort()
    call(proc, [port])
    return port.getvalue()


@builtin("with-output-to-port")
def with_output_to_port(port, thunk):
    return _with("output", need_output("with-output-to-port", 1, port), thunk)


@builtin("with-error-to-port")
def with_error_to_port(port, thunk):
    return _with("error", need_output("with-error-to-port", 1, port), thunk)


@builtin("with-input-from-string")
def with_input_from_string(s, thunk):
    return _with("input", InputPort(need_string("with-input-from-string", 1, s)), thunk)


@builtin("with-input-from-port")
def with_input_from_port(port, thunk):
    return _with("input", need_input("with-input-from-port", 1, port), thunk)


@builtin("call-with-input-string")
def call_with_input_string(s, proc):
    return call(proc, [InputPort(need_string("call-with-input-string", 1, s))])


# --- input ---------------------------------------------------------------------------

@builtin("read-char")
def read_char(port=None):
    return need_input("read-char", 1, port).read_char()


@builtin("peek-char")
def peek_char(port=None):
    return need_input("peek-char", 1, port).peek_char()


@builtin("char-ready?")
def char_ready(port=None):
    """Whether a read would not wait: always, but for a port over a pipe or terminal
    with nothing buffered and nothing arrived."""
    p = need_input("char-ready?", 1, port)
    ready = getattr(p, "ready", None)
    return True if ready is None else ready()


_DELIM_MODES = ("trim", "concat", "peek", "split")


@builtin("read-line", RDELIM, R7)
def read_line(port=None, handle_delim=None):
    p = need_input("read-line", 1, port)
    mode = "trim" if handle_delim is None else \
        handle_delim.name if type(handle_delim) is Symbol else None
    if mode not in _DELIM_MODES:
        raise wrong_type("read-line", 2, "trim, concat, peek or split", handle_delim)
    return _delimited(p, "\n", mode)


def _delimited(p: InputPort, delims: str, mode: str) -> Any:
    text, delim = p.read_until(delims)
    if delim is None and not text:
        return EOF if mode != "split" else Pair(EOF, EOF)
    end = EOF if delim is None else Char(delim)
    if mode == "concat":
        return text + (delim or "")
    if mode == "peek":
        if delim is not None:
            p.pos -= 1
        return text
    if mode == "split":
        return Pair(text, end)
    return text


@builtin("read-delimited", RDELIM)
def read_delimited(delims, port=None, handle_delim=None):
    stops = need_string("read-delimited", 1, delims)
    p = need_input("read-delimited", 2, port)
    mode = "trim" if handle_delim is None else getattr(handle_delim, "name", None)
    if mode not in _DELIM_MODES:
        raise wrong_type("read-delimited", 3, "trim, concat, peek or split", handle_delim)
    return _delimited(p, stops, mode)


@builtin("read-string", RDELIM, R7)
def read_string(a=None, b=None):
    """R7RS says (read-string k [port]); Guile's rdelim (read-string [port] [k])."""
    port, count = (b, a) if type(a) is int else (a, b)
    p = need_input("read-string", 1, port)
    if count is None:
        return p.rest()
    n = need_count("read-string", 2, count)
    chars = []
    while len(chars) < n:
        ch = p.read_char()
        if ch is EOF:
            break
        chars.append(ch.ch)
    if n and not chars:
        return EOF
    return "".join(chars)


@builtin("read")
def read(port=None):
    p = need_input("read", 1, port)
    while True:       # a datum, after any #!fold-case directives
        while True:
            span = datum_span(p.text, p.pos)
            if span is not None and span[1] is not None:
                break
            if not p._more():
                if span is None:
                    p.pos = len(p.text)
                    return EOF
                break        # an incomplete datum: let the reader report it
        start, end = span
        end = len(p.text) if end is None else end
        p.pos = end
        text = p.text[start:end]
        if text not in FOLD_DIRECTIVES:
            break
        p.read_fold = FOLD_DIRECTIVES[text]
    fold = getattr(p, "read_fold", None)
    data, folded = read_with_fold(_placed(p, start, end), fold, p.name)
    if fold is not None or folded != read_option_enabled("case-insensitive"):
        p.read_fold = folded     # a directive inside the datum; else the option rules
    return data[0] if data else EOF


# A string port's line count at a position `read` reached, so that reading datum after
# datum from a long string counts each newline once.
_lines_seen: "weakref.WeakKeyDictionary[InputPort, tuple[int, int]]" = weakref.WeakKeyDictionary()


def _placed(p: InputPort, start: int, end: int) -> str:
    """The datum at START..END of P's text, behind as many lines and columns as precede
    it, so that what `read` returns is located where it is in the port's text."""
    text = p.text
    line_start = text.rfind("\n", 0, start) + 1
    seen_at, lines = _lines_seen.get(p, (0, 0)) if p.stream is None else (0, 0)
    if seen_at > line_start:
        seen_at, lines = 0, 0
    lines += text.count("\n", seen_at, line_start)
    if p.stream is None:
        _lines_seen[p] = (line_start, lines)
    return "\n" * lines + " " * (start - line_start) + text[start:end]


@builtin("port-filename")
def port_filename(port):
    p = need_input("port-filename", 1, port)
    return p.name if p.name is not None else False


@builtin("set-port-filename!")
def set_port_filename(port, name):
    """Name PORT's source, for the locations of what `read` returns from it."""
    p = need_input("set-port-filename!", 1, port)
    p.name = str(need_string("set-port-filename!", 2, name)) if name is not False else None
    return UNSPECIFIED


@builtin("eof-object", "rnrs io ports", R7, "ice-9 binary-ports")
def eof_object():
    return EOF


@builtin("eof-object?")
def is_eof_object(x):
    return x is EOF


# --- port objects --------------------------------------------------------------------

@builtin("port?")
def is_port(x):
    return isinstance(x, Port)


@builtin("self-evaluating?")
def is_self_evaluating(x):
    """Whether X, as an expression, evaluates to itself: not a symbol, pair, () or
    port (Guile's answers; here because ports are)."""
    return not (type(x) in (Symbol, Pair) or x is NIL or isinstance(x, Port))


@builtin("input-port?")
def is_input_port(x):
    return isinstance(x, InputPort)


@builtin("output-port?")
def is_output_port(x):
    return isinstance(x, OutputPort)


@builtin("port-closed?")
def is_port_closed(port):
    if not isinstance(port, Port):
        raise wrong_type("port-closed?", 1, "port", port)
    return port.closed


def _closer(name: str, kind: type):
    def close(port):
        if not isinstance(port, kind):
            raise wrong_type(name, 1, "port", port)
        if isinstance(port, OutputPort):
            port.flush()
        port.close()
        return UNSPECIFIED
    close.__name__ = name
    builtin(name)(close)


_closer("close-port", Port)
_closer("close-input-port", InputPort)
_closer("close-output-port", OutputPort)


# --- finding the extent of one datum in text (for `read`) ---------------------------

_DELIMITERS = frozenset(" \t\n\r\f()[]\";")


def _skip_atmosphere(text: str, i: int) -> int | None:
    """Skip whitespace and comments; None when a block comment is unterminated."""
    n = len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch == ";":
            j = text.find("\n", i)
            i = n if j < 0 else j + 1
        elif text.startswith("#|", i):
            depth, i = 1, i + 2
            while depth:
                if i >= n:
                    return None
                if text.startswith("|#", i):
                    depth, i = depth - 1, i + 2
                elif text.startswith("#|", i):
                    depth, i = depth + 1, i + 2
                else:
                    i += 1
        elif text.startswith("#;", i):
            span = datum_span(text, i + 2)
            if span is None or span[1] is None:
                return None
            i = span[1]
        else:
            break
    return i


# What may stand between '#' and the '(' of one datum: a vector's nothing, a bytevector's
# vu8, a G-expression's mark, an array's rank, type and bounds (#u8, #2f64:0:2, #1@1).
_compound_prefix = re.compile(r"#(?:vu8|[~$+]@?|[0-9]+(?:[a-z][a-z0-9]*)?(?:@-?[0-9]+|:[0-9]+)*"
                              r"|(?:[us](?:8|16|32|64)|f32|f64|c32|c64)(?:@-?[0-9]+|:[0-9]+)*)?"
                              r"(?=\()")


def datum_span(text: str, pos: int) -> tuple[int, int | None] | None:
    """(start, end) of the next datum in `text` from `pos`: None when only whitespace
    and comments remain, end None when the datum is incomplete."""
    start = _skip_atmosphere(text, pos)
    if start is None or start >= len(text):
        return None
    return start, _datum_end(text, start)


def _datum_end(text: str, i: int) -> int | None:
    n = len(text)
    depth = 0
    while True:
        i = _skip_atmosphere(text, i)
        if i is None or i >= n:
            return None
        ch = text[i]
        if ch in "([":
            depth += 1
            i += 1
            continue
        if ch in ")]":
            if depth == 0:
                return i + 1          # a stray closer: the reader will complain
            depth -= 1
            i += 1
        elif ch in "'`":
            i += 1
            continue
        elif ch == ",":
            i += 2 if text.startswith(",@", i) else 1
            continue
        elif ch == '"' or ch == "|" and read_option_enabled("r7rs-symbols"):
            i += 1
            while i < n and text[i] != ch:
                i += 2 if text[i] == "\\" else 1
            if i >= n:
                return None
            i += 1
        elif ch == "#" and i + 1 < n and text[i + 1] in "'`,":
            i += 3 if text.startswith("#,@", i) else 2
            continue
        elif ch == "#" and i + 1 < n and text[i + 1] == "\\":
            i += 3
            while i < n and text[i] not in _DELIMITERS:
                i += 1
        elif ch == "#" and _compound_prefix.match(text, i):
            # #( #vu8( #u8( #2f64( #1@1( #~( ...: a prefix, then a parenthesized datum
            i = _compound_prefix.match(text, i).end()
            continue
        else:
            while i < n and text[i] not in _DELIMITERS:
                i += 1
        if depth == 0:
            return i



# --- seek on string ports ---------------------------------------------------------------------

for _name, _value in (("SEEK_SET", 0), ("SEEK_CUR", 1), ("SEEK_END", 2)):
    constant(_name, _value)


@builtin("seek")
def seek(port, offset, whence):
    """(seek PORT OFFSET WHENCE): move a string port's position, WHENCE being SEEK_SET,
    SEEK_CUR or SEEK_END; the new position."""
    if type(offset) is not int:
        raise wrong_type("seek", 2, "exact integer", offset)
    if whence not in (0, 1, 2):
        raise wrong_type("seek", 3, "SEEK_SET, SEEK_CUR or SEEK_END", whence)
    if isinstance(port, StringOutputPort):
        size = len(port.getvalue())
        here = size if port.pos is None else port.pos
    elif isinstance(port, InputPort) and port.stream is None:
        size = len(port.text)
        here = port.pos
    else:
        raise wrong_type("seek", 1, "string port", port)
    target = (0, here, size)[whence] + offset
    if not 0 <= target <= size:
        raise out_of_range("seek", 2, offset)
    if isinstance(port, StringOutputPort):
        port.pos = None if target == size else target
    else:
        port.pos = target
    return target
