"""Binary ports: input from a bytevector and output collected into one, with the byte
procedures of `(rnrs io ports)` / `(ice-9 binary-ports)` (get-u8, put-bytevector...) and
of R7RS `(scheme base)` (read-u8, write-bytevector...).

A binary port is also a text port whose characters are its bytes (ISO-8859-1, the
encoding Guile gives such a port), so `read-line` or `display` work on it too."""

from __future__ import annotations

import codecs
import errno
import re
import weakref
from typing import Any

from ..datatypes import EOF, UNSPECIFIED, Char, Values, pystr
from ..errors import Condition, SchemeError, error, out_of_range, wrong_type
from ..procedures import make_primitive
from .checks import need_count, need_string
from .define import builtin
from .fileports import conversion_strategy
from .ports import InputPort, Port, StringOutputPort, need_input, need_output

RNRS = ("rnrs io ports", "ice-9 binary-ports")
R7 = "scheme base"


# A byte the port's encoding could not decode, kept in the text as a lone surrogate
# (Python's "surrogateescape") until a read meets it.
_UNDECODED = re.compile("[\udc80-\udcff]")


class BytevectorInputPort(InputPort):
    """Its text is its bytes as ISO-8859-1 characters, until a program gives it another
    encoding: the bytes not yet read are then decoded, and a byte that does not decode
    is an error, or U+FFFD, as the port's conversion strategy says, when a read meets
    it (`get-u8` still reads it as a byte)."""

    __slots__ = ()

    @property
    def kind(self) -> str:  # type: ignore[override]
        return "bytevector"

    def decode_rest(self, encoding: str) -> None:
        raw = self.text[self.pos:].encode("latin-1", "surrogateescape")
        self.text = raw.decode(encoding, "surrogateescape")
        self.pos = 0

    def _check(self, end: int) -> None:
        """Meet the undecoded bytes in text[pos:end] as the strategy says: stop at the
        first with a decoding error, or read each as U+FFFD."""
        bad = _UNDECODED.search(self.text, self.pos, end)
        if bad is None:
            return
        if conversion_strategy(self) == "error":
            self.pos = bad.start()
            raise SchemeError(Condition(
                "decoding-error", "input decoding error: a byte that does not decode", (),
                "read-char", throw_args=("read-char", "input decoding error", errno.EILSEQ,
                                         self)))
        self.text = (self.text[:self.pos] + _UNDECODED.sub("\ufffd", self.text[self.pos:end])
                     + self.text[end:])

    def read_char(self) -> Any:
        self._check(self.pos + 1)
        return super().read_char()

    def peek_char(self) -> Any:
        self._check(self.pos + 1)
        return super().peek_char()

    def read_until(self, stop: str) -> tuple[str, str | None]:
        ends = [i for i in (self.text.find(c, self.pos) for c in stop) if i >= 0]
        self._check(min(ends) + 1 if ends else len(self.text))
        return super().read_until(stop)

    def rest(self) -> str:
        self._check(len(self.text))
        return super().rest()

    def read_byte(self, peek: bool) -> Any:
        if self.pos < len(self.text) and _UNDECODED.match(self.text, self.pos):
            byte = ord(self.text[self.pos]) - 0xDC00
            self.pos += 0 if peek else 1
            return byte
        ch = self.peek_char() if peek else self.read_char()
        return ch if ch is EOF else _octet_of(ch)


def _octet_of(ch: Char) -> int:
    code = ord(ch.ch)
    return code if code < 256 else 0x3F


class BytevectorOutputPort(StringOutputPort):
    __slots__ = ()
    kind = "bytevector"

    def take(self) -> bytearray:
        """The bytes written so far; the port starts again empty, as in Guile."""
        data = bytearray(self.getvalue().encode("latin-1", "replace"))
        self.chunks = []
        return data


def _need_bytevector(origin: str, pos: int, x) -> bytearray:
    if not isinstance(x, (bytearray, bytes)):      # SRFI-4 vectors too
        raise wrong_type(origin, pos, "bytevector", x)
    return x


def _span(origin: str, bv, start, count_or_end, is_end: bool) -> tuple[int, int]:
    n = len(bv)
    lo = 0 if start is None else need_count(origin, 3, start)
    if lo > n:
        raise out_of_range(origin, 3, start)
    if count_or_end is None:
        return lo, n
    k = need_count(origin, 4, count_or_end)
    hi = k if is_end else lo + k
    if hi > n or hi < lo:
        raise out_of_range(origin, 4, count_or_end)
    return lo, hi


def _open_input(origin: str, bv) -> BytevectorInputPort:
    return BytevectorInputPort(bytes(_need_bytevector(origin, 1, bv)).decode("latin-1"))


@builtin("open-bytevector-input-port", *RNRS)
def open_bytevector_input_port(bv, transcoder=False):
    return _open_input("open-bytevector-input-port", bv)


@builtin("open-input-bytevector", R7)
def open_input_bytevector(bv):
    return _open_input("open-input-bytevector", bv)


@builtin("open-output-bytevector", R7)
def open_output_bytevector():
    return BytevectorOutputPort()


@builtin("get-output-bytevector", R7)
def get_output_bytevector(port):
    if not isinstance(port, BytevectorOutputPort):
        raise wrong_type("get-output-bytevector", 1, "bytevector output port", port)
    return bytearray(port.getvalue().encode("latin-1", "replace"))


@builtin("open-bytevector-output-port", *RNRS)
def open_bytevector_output_port(transcoder=False):
    """Two values: the port, and a procedure returning the bytes written since its
    last call."""
    port = BytevectorOutputPort()
    return Values([port, make_primitive("get-bytevector", lambda: port.take())])


def _byte(origin: str, port, peek: bool):
    p = need_input(origin, 1, port)
    if type(p) is BytevectorInputPort:
        return p.read_byte(peek)
    ch = p.peek_char() if peek else p.read_char()
    return ch if ch is EOF else _octet_of(ch)


@builtin("get-u8", *RNRS)
def get_u8(port):
    return _byte("get-u8", port, False)


@builtin("lookahead-u8", *RNRS)
def lookahead_u8(port):
    return _byte("lookahead-u8", port, True)


@builtin("read-u8", R7)
def read_u8(port=None):
    return _byte("read-u8", port, False)


@builtin("peek-u8", R7)
def peek_u8(port=None):
    return _byte("peek-u8", port, True)


@builtin("u8-ready?", R7)
def u8_ready(port=None):
    need_input("u8-ready?", 1, port)
    return True


def _read_bytes(origin: str, port, count: int):
    p = need_input(origin, 2, port)
    out = bytearray()
    while len(out) < count:
        ch = p.read_char()
        if ch is EOF:
            break
        out.append(ord(ch.ch) & 0xFF)
    return out if out or count == 0 else EOF


@builtin("get-bytevector-n", *RNRS)
def get_bytevector_n(port, count):
    return _read_bytes("get-bytevector-n", port, need_count("get-bytevector-n", 2, count))


@builtin("get-bytevector-all", *RNRS)
def get_bytevector_all(port):
    p = need_input("get-bytevector-all", 1, port)
    data = p.rest()
    return bytearray(data.encode("latin-1", "replace")) if data else EOF


@builtin("read-bytevector", R7)
def read_bytevector(count, port=None):
    return _read_bytes("read-bytevector", port, need_count("read-bytevector", 1, count))


@builtin("read-bytevector!", R7)
def read_bytevector_into(bv, port=None, start=None, end=None):
    target = _need_bytevector("read-bytevector!", 1, bv)
    lo, hi = _span("read-bytevector!", target, start, end, True)
    got = _read_bytes("read-bytevector!", port, hi - lo)
    if got is EOF:
        return EOF
    target[lo:lo + len(got)] = got
    return len(got)


@builtin("put-u8", *RNRS)
def put_u8(port, octet):
    if type(octet) is not int or not 0 <= octet <= 255:
        raise wrong_type("put-u8", 2, "octet", octet)
    need_output("put-u8", 1, port).write(chr(octet))


@builtin("write-u8", R7)
def write_u8(octet, port=None):
    if type(octet) is not int or not 0 <= octet <= 255:
        raise wrong_type("write-u8", 1, "octet", octet)
    need_output("write-u8", 2, port).write(chr(octet))


@builtin("put-bytevector", *RNRS)
def put_bytevector(port, bv, start=None, count=None):
    data = _need_bytevector("put-bytevector", 2, bv)
    lo, hi = _span("put-bytevector", data, start, count, False)
    need_output("put-bytevector", 1, port).write(bytes(data[lo:hi]).decode("latin-1"))


@builtin("write-bytevector", R7)
def write_bytevector(bv, port=None, start=None, end=None):
    data = _need_bytevector("write-bytevector", 1, bv)
    lo, hi = _span("write-bytevector", data, start, end, True)
    need_output("write-bytevector", 2, port).write(bytes(data[lo:hi]).decode("latin-1"))



# --- port encodings ---------------------------------------------------------------------
# Text ports are UTF-8 and bytevector ports ISO-8859-1, as in Guile.  Giving a bytevector
# input port another encoding makes its text reads decode the bytes; for other ports the
# name is kept for the program to read back.

_encodings: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _need_port(origin: str, port: Any) -> Port:
    if isinstance(port, Port):
        return port
    raise wrong_type(origin, 1, "port", port)


def encoding_of(port: Port) -> str:
    """The name of PORT's encoding."""
    default = "ISO-8859-1" if isinstance(port, (BytevectorInputPort, BytevectorOutputPort)) \
        else "UTF-8"
    return _encodings.get(port, default)


@builtin("port-encoding")
def port_encoding(port):
    return encoding_of(_need_port("port-encoding", port))


@builtin("set-port-encoding!")
def set_port_encoding(port, encoding):
    p = _need_port("set-port-encoding!", port)
    name = pystr(need_string("set-port-encoding!", 2, encoding))
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        raise error(f"set-port-encoding!: unknown encoding {name}", key="misc-error",
                    origin="set-port-encoding!",
                    hints=['Guile knows "UTF-8", "ISO-8859-1", "UTF-16"...']) from None
    if type(p) is BytevectorInputPort and codec != codecs.lookup(encoding_of(p)).name:
        p.decode_rest(codec)
    _encodings[p] = name
    return UNSPECIFIED
