"""`truncated-print` of (ice-9 pretty-print): write a datum in at most #:width
characters, cutting lists, vectors, arrays, bit vectors and long atoms short with an
ellipsis, as Guile does; and the port encodings it looks at to choose "…" or "...".

Depth first (the default), every element may use all the width left but an ellipsis'
worth; #:breadth-first? shares the width among the elements left instead."""

from __future__ import annotations

from typing import Any

from ..arrays import Array, Bitvector, Uniform, print_prefix, view
from ..arrays import items as _items
from ..datatypes import NIL, UNSPECIFIED, Keyword, Pair, Vector, is_list
from ..errors import error, wrong_type
from ..printer import display_string, write_string
from .binary_ports import encoding_of
from .checks import need_int
from .define import builtin
from .ports import Port, current_output, need_output

# --- the ellipsis ------------------------------------------------------------------------
# The port's encoding (binary_ports keeps it) tells which ellipsis the port can carry.

def _ellipsis(port: Port) -> str:
    try:
        "…".encode(encoding_of(port))
        return "…"
    except UnicodeEncodeError:
        return "..."


# --- the printer -----------------------------------------------------------------------

_FIXES = (("#<", ">"), ("#(", ")"), ("(", ")"), ('"', '"'))


class _Truncator:
    def __init__(self, ellipsis: str, display: bool, breadth_first: bool):
        self.ellipsis = ellipsis
        self.ew = len(ellipsis)
        self.display = display
        self.breadth_first = breadth_first

    def sequence(self, items: list, width: int, inner: bool = False) -> str:
        out = []
        n = len(items)
        for i, x in enumerate(items):
            if i:
                out.append(" ")
            if i == n - 1 and (i == 0 or width > 1):
                out.append(self.print(x, width if i == 0 else width - 1, inner))
                break
            if width <= 1 + self.ew:
                out.append(self.ellipsis)
                break
            share = (max(1, width // (n - i) - 1) if self.breadth_first
                     else width - (1 + self.ew))
            text = self.print(x, share, inner)
            out.append(text)
            width -= 1 + len(text)
        return "".join(out)

    def tree(self, x: Any, width: int) -> str:
        """An improper list's elements, then '. ' and its tail."""
        out = []
        while type(x) is Pair and width > 4:
            text = self.print(x.car, (width - 3) // 2 if self.breadth_first else width - 4)
            out += [text, " "]
            width -= 1 + len(text)
            x = x.cdr
        out += [". ", self.print(x, width - 2)]
        return "".join(out)

    def cut(self, text: str, width: int) -> str:
        for pre, suf in _FIXES:
            if (text.startswith(pre) and text.endswith(suf)
                    and len(text) >= width >= len(pre) + len(suf) + self.ew):
                return pre + text[len(pre):width - len(suf) - self.ew] + self.ellipsis + suf
        return "#"

    def print(self, x: Any, width: int, inner: bool = False) -> str:
        if width <= 0:
            raise error("expected a positive width", width, origin="truncated-print")
        ew = self.ew
        t = type(x)
        if x is NIL or (t is Pair and is_list(x)):
            if width < 2 + ew:
                return "#"
            return "(" + self.sequence(list(x), width - 2) + ")"
        if t is Vector:
            if width < 3 + ew:
                return "#"
            return "#(" + self.sequence(x, width - 3) + ")"
        if t is bytearray or t is Uniform:
            if width < 9:
                return "#"
            kind = "vu8" if t is bytearray else x.kind
            return f"#{kind}(" + self.sequence(_items(x), width - 6) + ")"
        if t is Bitvector:
            text = write_string(x)
            if width >= len(text):
                return text
            if width >= 2 + ew:
                return text[:width - ew] + self.ellipsis
            return "#"
        if t is Array:
            return self.array(x, width, inner)
        if t is Pair:
            if width < 4 + ew:
                return "#"
            return "(" + self.tree(x, width - 2) + ")"
        text = display_string(x) if self.display else write_string(x)
        return text if len(text) <= width else self.cut(text, width)

    def array(self, a: Array, width: int, inner: bool) -> str:
        prefix = "" if inner else print_prefix(a)
        if width < 2 + len(prefix) + self.ew:
            return "#"
        room = width - len(prefix) - 2
        root, base, dims, incs = view(a)
        if not dims:
            body = self.print(_items(a)[0], room)
        elif len(dims) == 1:
            body = self.sequence(_items(a), room)
        else:
            # The rows, as views even where one is a whole root, so that each prints
            # as (...) rather than #(...).
            (lo, hi), inc = dims[0], incs[0]
            rows = [Array(root, base + k * inc, dims[1:], incs[1:]) for k in range(hi - lo + 1)]
            body = self.sequence(rows, room, inner=True)
        return prefix + "(" + body + ")"


@builtin("truncated-print", "ice-9 pretty-print")
def truncated_print(x, *args):
    """(truncated-print X [PORT] #:port #:width (79) #:display? #:breadth-first?)."""
    rest = list(args)
    port = None
    if rest and type(rest[0]) is not Keyword:
        port = rest.pop(0)
    options = {"port": port, "width": 79, "display?": False, "breadth-first?": False}
    for k in range(0, len(rest), 2):
        key = rest[k]
        if type(key) is not Keyword or key.name not in options or k + 1 >= len(rest):
            raise wrong_type("truncated-print", k + 2, "keyword argument", key)
        options[key.name] = rest[k + 1]
    out = (need_output("truncated-print", 2, options["port"]) if options["port"] is not None
           else current_output())
    width = need_int("truncated-print", 2, options["width"])
    printer = _Truncator(_ellipsis(out), options["display?"] is not False,
                         options["breadth-first?"] is not False)
    out.write(printer.print(x, width))
    return UNSPECIFIED

