"""A minimal codec for the Scheme data the secret service exchanges.

Only what the protocol uses: proper lists, strings, exact integers, symbols and
booleans, written the way Scheme's `write` does.  The reader works on bytes so that a
datum's end is known exactly: what follows it on the wire is raw file content.
"""

from __future__ import annotations

from typing import Any


class Symbol(str):
    """A Scheme symbol (a str subclass, so it compares equal to its name)."""

    def __repr__(self) -> str:
        return f"Symbol({str(self)!r})"


class Incomplete(Exception):
    """More bytes are needed to finish the datum."""


class SexpError(ValueError):
    pass


_STRING_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}
_DELIMITERS = b" \t\r\n\f()\";"


def write(value: Any) -> str:
    if isinstance(value, bool):
        return "#t" if value else "#f"
    if isinstance(value, Symbol):
        return str(value)
    if isinstance(value, str):
        return '"' + "".join(_escape(c) for c in value) + '"'
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (list, tuple)):
        return "(" + " ".join(write(v) for v in value) + ")"
    raise SexpError(f"cannot write {type(value).__name__} {value!r}")


def _escape(c: str) -> str:
    if c in _STRING_ESCAPES:
        return _STRING_ESCAPES[c]
    return f"\\x{ord(c):x};" if ord(c) < 32 or ord(c) == 127 else c


def read(buf: bytes, start: int = 0) -> tuple[Any, int]:
    """Read one datum from BUF at START; return it and the index just after it.

    Raises Incomplete when BUF ends inside the datum, SexpError when it is malformed."""
    i = _skip(buf, start)
    if i >= len(buf):
        raise Incomplete()
    c = buf[i:i + 1]
    if c == b"(":
        items = []
        i += 1
        while True:
            i = _skip(buf, i)
            if i >= len(buf):
                raise Incomplete()
            if buf[i:i + 1] == b")":
                return items, i + 1
            item, i = read(buf, i)
            items.append(item)
    if c == b")":
        raise SexpError(f"unexpected `)` at byte {i}")
    if c == b'"':
        return _read_string(buf, i + 1)
    j = i
    while j < len(buf) and buf[j:j + 1] not in _DELIMITERS:
        j += 1
    if j >= len(buf):
        raise Incomplete()    # an atom at the very end may still be growing
    token = buf[i:j].decode("utf-8", "replace")
    return _atom(token, i), j


def _skip(buf: bytes, i: int) -> int:
    while i < len(buf):
        c = buf[i:i + 1]
        if c in b" \t\r\n\f":
            i += 1
        elif c == b";":
            nl = buf.find(b"\n", i)
            if nl < 0:
                return len(buf)
            i = nl + 1
        else:
            break
    return i


def _read_string(buf: bytes, i: int) -> tuple[str, int]:
    out = bytearray()
    simple = {b"n": b"\n", b"t": b"\t", b"r": b"\r", b'"': b'"', b"\\": b"\\", b"a": b"\a",
              b"0": b"\0"}
    while i < len(buf):
        c = buf[i:i + 1]
        if c == b'"':
            return out.decode("utf-8", "surrogateescape"), i + 1
        if c == b"\\":
            if i + 1 >= len(buf):
                raise Incomplete()
            e = buf[i + 1:i + 2]
            if e in simple:
                out += simple[e]
                i += 2
            elif e == b"x":   # `\xHEX;` as Guile and R7RS write it
                end = buf.find(b";", i + 2, i + 11)
                if end < 0:
                    if len(buf) < i + 11:
                        raise Incomplete()
                    raise SexpError(f"bad \\x escape at byte {i}")
                try:
                    out += chr(int(buf[i + 2:end], 16)).encode()
                except ValueError:
                    raise SexpError(f"bad \\x escape at byte {i}") from None
                i = end + 1
            else:
                raise SexpError(f"unknown string escape \\{e.decode('latin-1')} at byte {i}")
        else:
            out += c
            i += 1
    raise Incomplete()


def _atom(token: str, pos: int) -> Any:
    if token in ("#t", "#true"):
        return True
    if token in ("#f", "#false"):
        return False
    try:
        return int(token)
    except ValueError:
        pass
    if token.startswith("#"):
        raise SexpError(f"unsupported datum {token!r} at byte {pos}")
    return Symbol(token)


def read_one(data: bytes | str) -> Any:
    """The single datum in DATA (trailing whitespace allowed)."""
    if isinstance(data, str):
        data = data.encode()
    try:
        value, end = read(data + b"\n")
    except Incomplete:
        raise SexpError("unexpected end of data") from None
    if _skip(data, end) < len(data):
        raise SexpError(f"extra data after the datum at byte {end}")
    return value
