"""(ice-9 pretty-print): `pretty-print` lays data out over lines as Guile does.

A list or vector is written on one line when it fits in what is left of the line and is
shorter than #:max-expr-width (50); otherwise it is broken: a call whose operator is a
name of at most five characters keeps its first operand beside the operator and aligns
the others under it, a longer operator goes alone on its line with the operands two
columns in, a list that is not a call puts one element a line, and the binding and body
forms (define, lambda, let, if, cond, case, do...) have their usual shapes.
"""

from __future__ import annotations

from typing import Any, Callable

from ..datatypes import NIL, UNSPECIFIED, Keyword, Pair, Symbol, Vector
from ..errors import wrong_type
from ..printer import display_string, write_string
from .checks import need_int, need_string
from .define import builtin
from .ports import need_output

MAX_CALL_HEAD = 5
INDENT = 2
_ABBREVIATIONS = {"quote": "'", "quasiquote": "`", "unquote": ",",
                  "unquote-splicing": ",@"}


class _Printer:
    def __init__(self, width: int, max_expr_width: int, display: bool):
        self.width = width
        self.max_expr_width = max_expr_width
        self.atom_text: Callable[[Any], str] = display_string if display else write_string
        self.out: list[str] = []
        self.col = 0

    def flat_text(self, x: Any) -> str:
        """X on one line, with 'x `x ,x ,@x for the quotation forms (write has none)."""
        if type(x) is Vector:
            return "#(" + " ".join(self.flat_text(e) for e in x) + ")"
        if type(x) is not Pair:
            return self.atom_text(x)
        abbrev = _abbreviation(x)
        if abbrev:
            return abbrev + self.flat_text(x.cdr.car)
        items, tail = _elements(x)
        inner = " ".join(self.flat_text(e) for e in items)
        if tail is not NIL:
            inner += " . " + self.flat_text(tail)
        return "(" + inner + ")"

    # -- output --
    def emit(self, text: str) -> None:
        self.out.append(text)
        nl = text.rfind("\n")
        self.col = self.col + len(text) if nl < 0 else len(text) - nl - 1

    def newline_to(self, col: int) -> None:
        self.emit("\n" + " " * col)

    # -- one object --
    def item(self, x: Any, extra: int, layout: Callable | None = None) -> None:
        """Write X at the current column, flat when it fits, else with LAYOUT; EXTRA
        counts the closing parentheses that will follow it on its last line."""
        if type(x) is Pair or type(x) is Vector:
            text = self.flat_text(x)
            room = min(self.width - self.col - extra + 1, self.max_expr_width)
            if len(text) < room:
                self.emit(text)
            else:
                (layout or self.expr)(x, extra)
        else:
            self.emit(self.flat_text(x))

    def expr(self, x: Any, extra: int) -> None:
        if type(x) is Vector:
            self.emit("#")
            self.list_items(list(x), NIL, self.col + 1, extra, self.expr, opened=False)
            return
        head = x.car
        abbrev = _abbreviation(x)
        if abbrev:
            self.emit(abbrev)
            self.item(x.cdr.car, extra)
            return
        if type(head) is Symbol:
            style = _STYLES.get(head.name)
            if style is not None:
                style(self, x, extra)
            elif len(self.flat_text(head)) > MAX_CALL_HEAD:
                self.general(x, extra, False, None, None, self.expr)
            else:
                self.call(x, extra, self.expr)
        else:
            self.list_items(*_elements(x), self.col + 1, extra, self.expr)

    def expr_list(self, x: Any, extra: int) -> None:
        """A list of expressions (bindings, clauses): one element a line when broken."""
        if type(x) is Pair:
            self.list_items(*_elements(x), self.col + 1, extra, self.expr)
        else:
            self.item(x, extra)

    # -- shapes --
    def list_items(self, items: list, tail: Any, col: int, extra: int, layout: Callable,
                   opened: bool = False) -> None:
        """'(' then ITEMS, the first right after it, the others at column COL."""
        if not opened:
            self.emit("(")
        for k, x in enumerate(items):
            if k:
                self.newline_to(col)
            last = k == len(items) - 1 and tail is NIL
            self.item(x, extra + 1 if last else 0, layout)
        if tail is not NIL:
            self.newline_to(col)
            self.emit(".")
            self.newline_to(col)
            self.item(tail, extra + 1)
        self.emit(")")

    def call(self, x: Pair, extra: int, layout: Callable) -> None:
        self.emit("(")
        self.item(x.car, 0)
        items, tail = _elements(x.cdr)
        if not items and tail is NIL:
            self.emit(")")
            return
        self.emit(" ")
        self.list_items(items, tail, self.col, extra, layout, opened=True)

    def general(self, x: Pair, extra: int, named: bool, first: Callable | None,
                second: Callable | None, rest_layout: Callable) -> None:
        start = self.col
        self.emit("(")
        self.item(x.car, 0)
        items, tail = _elements(x.cdr)
        if named and items and type(items[0]) is Symbol:
            self.emit(" ")
            self.item(items.pop(0), 0)
        beside = self.col + 1
        for layout, same_line in ((first, True), (second, False)):
            if layout is not None and items:
                if same_line:
                    self.emit(" ")
                else:
                    self.newline_to(beside)
                x1 = items.pop(0)
                self.item(x1, extra + 1 if not items and tail is NIL else 0, layout)
        for k, x1 in enumerate(items):
            self.newline_to(start + INDENT)
            last = k == len(items) - 1 and tail is NIL
            self.item(x1, extra + 1 if last else 0, rest_layout)
        if tail is not NIL:
            self.newline_to(start + INDENT)
            self.emit(".")
            self.newline_to(start + INDENT)
            self.item(tail, extra + 1)
        self.emit(")")


def _elements(x: Any) -> tuple[list, Any]:
    items = []
    while type(x) is Pair:
        items.append(x.car)
        x = x.cdr
    return items, x


def _abbreviation(x: Pair) -> str | None:
    if (type(x.car) is Symbol and x.car.name in _ABBREVIATIONS and type(x.cdr) is Pair
            and x.cdr.cdr is NIL):
        return _ABBREVIATIONS[x.car.name]
    return None


def _lambda(p: _Printer, x, extra):
    p.general(x, extra, False, p.expr, None, p.expr)


def _let(p: _Printer, x, extra):
    p.general(x, extra, True, p.expr_list, None, p.expr)


def _case(p: _Printer, x, extra):
    p.general(x, extra, False, p.expr, None, p.expr_list)


def _do(p: _Printer, x, extra):
    p.general(x, extra, False, p.expr_list, p.expr_list, p.expr)


def _begin(p: _Printer, x, extra):
    p.general(x, extra, False, None, None, p.expr)


_STYLES: dict[str, Callable] = {
    **dict.fromkeys("lambda let* letrec letrec* define define-public define-syntax "
                    "let-syntax letrec-syntax with-syntax if set!".split(), _lambda),
    "let": _let, "case": _case, "do": _do, "begin": _begin,
    "cond": lambda p, x, extra: p.call(x, extra, p.expr_list),
    "and": lambda p, x, extra: p.call(x, extra, p.expr),
    "or": lambda p, x, extra: p.call(x, extra, p.expr),
}


def pretty_text(obj: Any, width: int = 79, max_expr_width: int = 50,
                display: bool = False, prefix: str = "") -> str:
    p = _Printer(width, max_expr_width, display)
    p.item(obj, 0)
    lines = "".join(p.out).split("\n")
    return "".join(prefix + line + "\n" for line in lines)


@builtin("pretty-print", "ice-9 pretty-print")
def pretty_print(obj, *args):
    """(pretty-print OBJ [PORT] #:port #:width #:max-expr-width #:display?
    #:per-line-prefix): write OBJ laid out over lines at most WIDTH wide, then a newline."""
    port = None
    rest = list(args)
    if rest and type(rest[0]) is not Keyword:
        port = rest.pop(0)
    options = {"port": port, "width": 79, "max-expr-width": 50, "display?": False,
               "per-line-prefix": "", "max-expr-depth": None}
    for k in range(0, len(rest), 2):
        key = rest[k]
        if type(key) is not Keyword or key.name not in options or k + 1 >= len(rest):
            raise wrong_type("pretty-print", k + 2, "keyword argument", key)
        options[key.name] = rest[k + 1]
    out = need_output("pretty-print", 2, options["port"])
    out.write(pretty_text(
        obj, need_int("pretty-print", 2, options["width"]),
        need_int("pretty-print", 2, options["max-expr-width"]),
        options["display?"] is not False,
        need_string("pretty-print", 2, options["per-line-prefix"])))
    return UNSPECIFIED
