"""(ice-9 rdelim)'s procedures that read into a string the caller made:
`read-delimited!` and `read-string!`, filling a mutable string from an input port."""

from __future__ import annotations

from ..datatypes import EOF, Pair, Symbol
from ..errors import wrong_type
from .checks import need_mstring, need_range, need_string
from .define import builtin
from .ports import need_input

RDELIM = "ice-9 rdelim"


@builtin("read-delimited!", RDELIM)
def read_delimited_into(delims, buf, port=None, handle_delim=None, start=None, end=None):
    """(read-delimited! DELIMS BUF [PORT [HANDLE-DELIM [START [END]]]]): read characters
    into BUF from START until one of DELIMS (handled as `read-delimited` does: trim,
    peek, concat or split) or until BUF is full; the count read, or EOF at once."""
    stops = need_string("read-delimited!", 1, delims)
    ms = need_mstring("read-delimited!", 2, buf)
    p = need_input("read-delimited!", 3, port)
    mode = "trim" if handle_delim in (None, False) else handle_delim
    if type(mode) is Symbol:
        mode = mode.name
    if mode not in ("trim", "peek", "concat", "split"):
        raise wrong_type("read-delimited!", 4, "trim, peek, concat or split", handle_delim)
    lo, hi = need_range("read-delimited!", 5, len(ms.chars), start, end)
    pos = lo
    delim = False
    while pos < hi:
        ch = p.peek_char()
        if ch is EOF:
            if pos == lo:
                return EOF
            break
        if ch.ch in stops:
            delim = ch
            if mode != "peek":
                p.read_char()
            if mode == "concat":
                ms.chars[pos] = ch.ch
                pos += 1
            break
        ms.chars[pos] = p.read_char().ch
        pos += 1
    count = pos - lo
    if mode == "split":
        return Pair(count, delim)
    return count


@builtin("read-string!", RDELIM)
def read_string_into(buf, port=None, start=None, end=None):
    """(read-string! BUF [PORT [START [END]]]): fill BUF from PORT; the count read."""
    ms = need_mstring("read-string!", 1, buf)
    p = need_input("read-string!", 2, port)
    lo, hi = need_range("read-string!", 3, len(ms.chars), start, end)
    pos = lo
    while pos < hi:
        ch = p.read_char()
        if ch is EOF:
            break
        ms.chars[pos] = ch.ch
        pos += 1
    return pos - lo
