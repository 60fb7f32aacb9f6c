"""The text engine of `format`: the directives of Guile's `(ice-9 format)` that
configurations use.

    ~a ~s        display / write        (~mincol,colinc,minpad,padcharA; ~@a pads left)
    ~d ~x ~o ~b  integers in a radix    (~mincol,padchar,commacharD; ~:d groups, ~@d signs)
    ~f ~e ~$     fixed, exponential, monetary floats (~w,dF)
    ~c ~p ~i     character, plural suffix, complex
    ~% ~& ~~ ~t  newline, fresh line, tilde, tabulate
    ~* ~:* ~?    skip or back up over arguments, indirect format
    ~{ ~} ~^     iteration over a list (~@{ over the remaining arguments), escape
    ~[ ~; ~]     selection by number (~:[ false ~; true ~], ~@[ when true ~])

Parameters are numbers, 'c (a character), v (taken from the arguments) or # (the
number of arguments left).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from ..datatypes import NIL, Char, Pair, is_string, pystr, to_list
from ..errors import error
from .numbers import number_to_string


def _fail(message: str):
    raise error(f"format: {message}", origin="format")


# --- parsing -------------------------------------------------------------------------

class Directive:
    __slots__ = ("char", "params", "colon", "at", "body", "clauses", "default")

    def __init__(self, char: str, params: list, colon: bool, at: bool):
        self.char = char
        self.params = params
        self.colon = colon
        self.at = at
        self.body: list | None = None        # ~{ ... ~}
        self.clauses: list | None = None     # ~[ ... ~; ... ~]
        self.default = False                 # ~:; marks the last clause as the default


def parse(fmt: str) -> list:
    return _parse(fmt, 0, None)[0]


def _parse(fmt: str, pos: int, closer: str | None) -> tuple[list, int, Directive | None]:
    """Items up to `closer` (or the end).  Returns the items, the position after the
    closing directive, and the directive that ended the run (~; ~] ~})."""
    items: list = []
    text: list[str] = []
    n = len(fmt)
    while pos < n:
        ch = fmt[pos]
        if ch != "~":
            text.append(ch)
            pos += 1
            continue
        if text:
            items.append("".join(text))
            text = []
        d, pos = _directive(fmt, pos + 1)
        if d.char == "\n":
            while pos < n and fmt[pos] in " \t":
                pos += 1
            continue
        if d.char in ";]}":
            if closer is None or (d.char == "}" and closer != "}") or \
                    (d.char in ";]" and closer != "]"):
                _fail(f"unexpected ~{d.char}")
            return items, pos, d
        if d.char == "{":
            d.body, pos, _ = _parse(fmt, pos, "}")
        elif d.char == "[":
            d.clauses = []
            while True:
                clause, pos, end = _parse(fmt, pos, "]")
                d.clauses.append(clause)
                if end.char == "]":
                    break
                if end.colon:
                    d.default = True
        items.append(d)
    if closer is not None:
        _fail(f"missing ~{closer}")
    if text:
        items.append("".join(text))
    return items, pos, None


def _directive(fmt: str, pos: int) -> tuple[Directive, int]:
    params: list = []
    current: Any = None
    n = len(fmt)
    while pos < n:
        ch = fmt[pos]
        if ch.isdigit() or (ch in "+-" and pos + 1 < n and fmt[pos + 1].isdigit()):
            start = pos
            pos += 1
            while pos < n and fmt[pos].isdigit():
                pos += 1
            current = int(fmt[start:pos])
        elif ch == "'" and pos + 1 < n:
            current = fmt[pos + 1]
            pos += 2
        elif ch in "vV":
            current = "v"
            pos += 1
        elif ch == "#":
            current = "#"
            pos += 1
        elif ch == ",":
            params.append(current)
            current = None
            pos += 1
        else:
            break
    if current is not None or params:
        params.append(current)
    colon = at = False
    while pos < n and fmt[pos] in ":@":
        if fmt[pos] == ":":
            colon = True
        else:
            at = True
        pos += 1
    if pos >= n:
        _fail("format string ends in the middle of a directive")
    return Directive(fmt[pos].lower() if fmt[pos] != "\n" else "\n", params, colon, at), pos + 1


# --- running -------------------------------------------------------------------------

class _Escape(Exception):
    """~^ with no arguments left: leave the enclosing iteration."""


class _Args:
    __slots__ = ("items", "pos")

    def __init__(self, items: list):
        self.items = items
        self.pos = 0

    def next(self) -> Any:
        if self.pos >= len(self.items):
            _fail("too few arguments")
        value = self.items[self.pos]
        self.pos += 1
        return value

    def left(self) -> int:
        return len(self.items) - self.pos


def format_text(fmt: str, args: list, display, write, column: int = 0) -> str:
    """Expand `fmt` with `args`; `display`/`write` give the printed forms of values.
    `column` is where the destination port's line is: ~& and ~t count from it."""
    out: list[str] = [" " * column] if column else []   # the line so far, dropped below
    state = _Args(list(args))
    _run(parse(fmt), state, out, display, write)     # surplus arguments are ignored
    return "".join(out)[column:]


def _param(d: Directive, i: int, args: _Args, default: Any = None) -> Any:
    if i >= len(d.params) or d.params[i] is None:
        return default
    p = d.params[i]
    if p == "v":
        return args.next()
    if p == "#":
        return args.left()
    return p


def _column(out: list[str]) -> int:
    text = "".join(out)
    return len(text) - (text.rfind("\n") + 1)


def _pad(text: str, d: Directive, args: _Args, left: bool) -> str:
    mincol = _param(d, 0, args, 0)
    padchar = _param(d, 3, args, " ")
    if isinstance(padchar, Char):
        padchar = padchar.ch
    if len(text) >= mincol:
        return text
    fill = padchar * (mincol - len(text))
    return fill + text if left else text + fill


def _run(items: list, args: _Args, out: list[str], display, write) -> None:
    for item in items:
        if type(item) is str:
            out.append(item)
            continue
        _one(item, args, out, display, write)


def _one(d: Directive, args: _Args, out: list[str], display, write) -> None:
    c = d.char
    if c == "a" or c == "s":
        printer = display if c == "a" else write
        out.append(_pad(printer(args.next()), d, args, d.at))
    elif c in "dxob":
        out.append(_integer(d, args, {"d": 10, "x": 16, "o": 8, "b": 2}[c], display))
    elif c == "f" or c == "$":
        out.append(_fixed(d, args, display))
    elif c == "e":
        out.append(_exponential(d, args, display))
    elif c == "h":
        out.append(_localized(d, args, display))
    elif c == "i":
        z = args.next()
        out.append(display(complex(z)) if type(z) in (int, float, Fraction) else display(z))
    elif c == "c":
        ch = args.next()
        out.append(ch.ch if isinstance(ch, Char) else display(ch))
    elif c == "p":
        if d.colon:
            args.pos = max(args.pos - 1, 0)
        plural = args.next() != 1
        out.append(("ies" if plural else "y") if d.at else ("s" if plural else ""))
    elif c == "%":
        out.append("\n" * _param(d, 0, args, 1))
    elif c == "&":
        n = _param(d, 0, args, 1)
        text = "".join(out)
        out.append("\n" * (n - 1 if not text or text.endswith("\n") else n))
    elif c == "~":
        out.append("~" * _param(d, 0, args, 1))
    elif c == "t":
        colnum, colinc = _param(d, 0, args, 1), _param(d, 1, args, 1)
        col = _column(out)
        if col < colnum:
            out.append(" " * (colnum - col))
        elif colinc > 0:
            out.append(" " * (colinc - (col - colnum) % colinc))
    elif c == "*":
        n = _param(d, 0, args, 1)
        args.pos = max(0, args.pos - n) if d.colon else min(len(args.items), args.pos + n)
    elif c == "?":
        fmt = args.next()
        sub = _Args(list(args.items[args.pos:])) if d.at else _Args(to_list(args.next()))
        _run(parse(str(fmt)), sub, out, display, write)
        if d.at:
            args.pos += sub.pos
    elif c == "y":                    # pretty-print: one line is pretty enough here
        out.append(write(args.next()) + "\n")
    elif c == "^":
        if args.left() == 0:
            raise _Escape()
    elif c == "{":
        _iterate(d, args, out, display, write)
    elif c == "[":
        _select(d, args, out, display, write)
    else:
        _fail(f"unsupported directive ~{d.char}")


def _iterate(d: Directive, args: _Args, out, display, write) -> None:
    limit = _param(d, 0, args, None)
    if d.at:
        sub = args
    else:
        lst = args.next()
        if lst is not NIL and type(lst) is not Pair:
            _fail(f"~{{ expects a list, got {display(lst)}")
        sub = _Args(to_list(lst))
    count = 0
    while sub.left() > 0 and (limit is None or count < limit):
        try:
            _run(d.body, sub, out, display, write)
        except _Escape:
            break
        count += 1


def _select(d: Directive, args: _Args, out, display, write) -> None:
    clauses = d.clauses
    if d.colon:                       # ~:[ false ~; true ~]
        chosen = clauses[1] if args.next() is not False and len(clauses) > 1 else clauses[0]
    elif d.at:                        # ~@[ ... ~] runs with the argument when it is true
        value = args.next()
        if value is False:
            return
        args.pos -= 1
        chosen = clauses[0]
    else:
        n = _param(d, 0, args, None)
        if n is None:
            n = args.next()
        if type(n) is not int:
            _fail("~[ expects an integer argument")
        if 0 <= n < len(clauses) and not (d.default and n == len(clauses) - 1):
            chosen = clauses[n]
        elif d.default:
            chosen = clauses[-1]
        else:
            return
    _run(chosen, args, out, display, write)


def _group(digits: str, sep: str, size: int = 3) -> str:
    head = len(digits) % size or size
    parts = [digits[:head]] + [digits[i:i + size] for i in range(head, len(digits), size)]
    return sep.join(parts)


def _integer(d: Directive, args: _Args, radix: int, display) -> str:
    n = args.next()
    if type(n) is not int:
        if type(n) in (float, Fraction) and radix == 10:
            text = display(n)
        else:
            _fail(f"~{d.char} expects an integer, got {display(n)}")
        return _pad(text, d, args, True)
    digits = number_to_string(abs(n), radix)
    if d.colon:
        comma = _param(d, 2, args, ",")
        digits = _group(digits, comma.ch if isinstance(comma, Char) else comma)
    sign = "-" if n < 0 else "+" if d.at else ""
    mincol = _param(d, 0, args, 0)
    padchar = _param(d, 1, args, " ")
    padchar = padchar.ch if isinstance(padchar, Char) else padchar
    text = sign + digits
    return padchar * (mincol - len(text)) + text if len(text) < mincol else text


def _decimal(x: Any) -> Decimal | None:
    """x as a decimal with the digits Guile prints (the shortest that read back)."""
    if type(x) is int:
        return Decimal(x)
    if type(x) is Fraction:
        x = float(x)
    if type(x) is float:
        text = number_to_string(x)
        if "inf" in text or "nan" in text:
            return None
        return Decimal(text.replace("e", "E"))
    return None


def _decimal_text(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip())
    except ArithmeticError:
        return None
    return value if value.is_finite() else None


def _localized(d: Directive, args: _Args, display) -> str:
    """~h: a number as the C locale writes it (no digit grouping), ~W,D,,PADh; with
    ~:h the locale is the next argument."""
    width = _param(d, 0, args, 0)
    digits = _param(d, 1, args, None)
    padchar = _param(d, 3 if len(d.params) > 3 else 2, args, " ")
    if isinstance(padchar, Char):
        padchar = padchar.ch
    x = args.next()
    if d.colon:
        args.next()
    value = _decimal(x)
    if value is None:
        text = display(x)
    elif digits is None:
        text = display(x)
    else:
        text = f"{value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP):f}"
    return text.rjust(width, padchar) if width else text


def _fixed(d: Directive, args: _Args, display) -> str:
    if d.char == "$":
        digits = _param(d, 0, args, 2)
        width = _param(d, 2, args, 0)
    else:
        width = _param(d, 0, args, 0)
        digits = _param(d, 1, args, None)
    x = args.next()
    value = _decimal(x)
    scale = _param(d, 2, args, 0) if d.char == "f" else 0
    if value is None and is_string(x):
        value = _decimal_text(pystr(x))     # Guile formats a numeric string as its number
        if value is not None:
            x = float(value)
    if value is not None and scale:
        value = value.scaleb(scale)
        x = float(value)
    if value is not None and digits is None and width:
        # no digit count: as many as fit the width, at least none (then "10.")
        whole = len(str(abs(int(value)))) + (value < 0)
        if len(display(float(x))) > width:
            digits = max(0, width - whole - 1)
    if value is None:
        text = display(x)
    elif digits is None:
        text = display(float(x)) if type(x) is not float else display(x)
    else:
        rounded = value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
        text = f"{rounded:f}"
        if digits == 0:
            text += "."
    if d.at and value is not None and value >= 0:
        text = "+" + text
    return text.rjust(width) if width else text


def _exponential(d: Directive, args: _Args, display) -> str:
    width = _param(d, 0, args, 0)
    digits = _param(d, 1, args, None)
    x = args.next()
    value = _decimal(x)
    if value is None:
        return display(x)
    if value == 0:
        mantissa, exponent = Decimal(0), 0
    else:
        exponent = value.adjusted()
        mantissa = value.scaleb(-exponent)
    if digits is not None:
        mantissa = mantissa.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
        if abs(mantissa) >= 10:
            mantissa, exponent = mantissa / 10, exponent + 1
        text = f"{mantissa:f}"
    else:
        text = f"{mantissa.normalize():f}"
        if "." not in text:
            text += ".0"
    text = f"{text}E{'+' if exponent >= 0 else '-'}{abs(exponent)}"
    return text.rjust(width) if width else text
