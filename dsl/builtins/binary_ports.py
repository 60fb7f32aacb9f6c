"""Binary ports: input from a bytevector and output collected into one, with the byte
procedures of `(rnrs io ports)` / `(ice-9 binary-ports)` (get-u8, put-bytevector...) and
of R7RS `(scheme base)` (read-u8, write-bytevector...).

A binary port is also a text port whose characters are its bytes (ISO-8859-1, the
encoding Guile gives such a port), so `read-line` or `display` work on it too."""

from __future__ import annotations

from ..datatypes import EOF, Values
from ..errors import out_of_range, wrong_type
from ..procedures import make_primitive
from .checks import need_count
from .define import builtin
from .ports import InputPort, StringOutputPort, need_input, need_output

RNRS = ("rnrs io ports", "ice-9 binary-ports")
R7 = "scheme base"


class BytevectorInputPort(InputPort):
    __slots__ = ()

    @property
    def kind(self) -> str:  # type: ignore[override]
        return "bytevector"


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
    ch = p.peek_char() if peek else p.read_char()
    if ch is EOF:
        return EOF
    code = ord(ch.ch)
    return code if code < 256 else 0x3F


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

