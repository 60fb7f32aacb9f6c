"""The reader: config text -> Scheme data, with the source location of every pair.

Syntax is Guile 3.0's with its default read options (square brackets on, `#:` keywords,
two-digit `\\x` string escapes, no hungry end-of-line escapes) plus Guix's
G-expression abbreviations.  The grammar is `grammar.lark`; Lark's LALR parser runs it
with the `_Builder` below as an inline transformer, so no parse tree is ever built.

Every pair carries a `Location`: a list's first cell the position of its opening
parenthesis, each later cell the position of its car.  Lines and columns are 1-based and
a tab advances to the next multiple of 8 columns, as in Guile's own messages.

Lark is imported on the first read, not when this module is imported: `vsys run` must
start quickly and most commands never read a file.
"""

from __future__ import annotations

import gc
import hashlib
import os
import re
import threading
import unicodedata
from pathlib import Path
from typing import Any

from .arrays import Bitvector, ShapeError, read_array
from .datatypes import NIL, Char, Keyword, Location, Pair, Symbol, Vector
from .errors import Condition, SchemeError, read_error
from .number_syntax import NumberOutOfRange, parse_number
from .printer import quote_keywordish, write_string

__all__ = ["read_all", "read_file", "decode", "is_complete", "parse_number", "NumberOutOfRange"]


# --- read options -----------------------------------------------------------------
# Guile's global read options that change what is read (set by `read-enable`,
# `read-set!`, `install-r7rs!`, `(srfi srfi-88)`); square brackets and #:keywords are
# always read.  A file is read with the options of the moment its forms are reached: the
# loader reads the rest of a file again when a form changes them (`options_generation`).

READ_OPTION_NAMES = ("copy", "positions", "case-insensitive", "keywords", "r6rs-hex-escapes",
                     "square-brackets", "hungry-eol-escapes", "curly-infix", "r7rs-symbols")
_DEFAULT_ENABLED = frozenset({"positions", "square-brackets"})
_enabled: set[str] = set(_DEFAULT_ENABLED)
_keyword_style: list = [None]      # None (only #:k), "prefix" (:k) or "postfix" (k:)
_generation = [0]


def read_option_enabled(name: str) -> bool:
    return name in _enabled


def set_read_option(name: str, on: bool) -> None:
    if (name in _enabled) != on:
        (_enabled.add if on else _enabled.discard)(name)
        _generation[0] += 1


def keyword_style() -> str | None:
    return _keyword_style[0]


def set_keyword_style(style: str | None) -> None:
    if _keyword_style[0] != style:
        _keyword_style[0] = style
        _generation[0] += 1
        quote_keywordish(style is not None)


def options_generation() -> int:
    return _generation[0]


def reset_read_options() -> None:
    """Guile's defaults, as a new program starts with."""
    _enabled.clear()
    _enabled.update(_DEFAULT_ENABLED)
    _keyword_style[0] = None
    _generation[0] += 1
    quote_keywordish(False)


class _Syntax:
    """The read options one read works with (fixed for the read, but `#!fold-case`)."""

    __slots__ = ("r7rs_symbols", "hex_escapes", "hungry_eol", "keywords", "fold")

    def __init__(self, fold: bool | None = None):
        self.r7rs_symbols = "r7rs-symbols" in _enabled
        self.hex_escapes = "r6rs-hex-escapes" in _enabled
        self.hungry_eol = "hungry-eol-escapes" in _enabled
        self.keywords = _keyword_style[0]
        self.fold = "case-insensitive" in _enabled if fold is None else fold


_syntax = [_Syntax()]   # the options of the read under way (reads hold _lock)


# --- public API -------------------------------------------------------------------

def read_all(text: str, filename: str | None = None) -> list:
    """Every datum in `text`, in order.  Raises a read-error `SchemeError`."""
    return [item[0] for item in _read_items(text, filename)]


def read_located(text: str, filename: str | None = None) -> list[tuple[Any, Location]]:
    """Every datum with where it starts: the evaluator locates top-level atoms by it."""
    return [(v, Location(filename, line, column)) for v, line, column in
            _read_items(text, filename)]


def read_until_error(text: str, filename: str | None = None
                     ) -> tuple[list[tuple[Any, Location]], SchemeError | None]:
    """The data before the first read error, located, and that error (None when the
    whole text reads): a file runs form by form, as in Guile, so what precedes a bad
    datum still runs before the error is reported."""
    try:
        return read_located(text, filename), None
    except SchemeError as err:
        partial = _builder_top[0] or []
        return [(v, Location(filename, line, column)) for v, line, column in partial], err


_builder_top: list = [None]   # the top-level data the last failed read had built


def read_with_fold(text: str, fold: bool | None, filename: str | None = None
                   ) -> tuple[list, bool]:
    """Every datum in `text` read with the current read options, case folded from the
    start when FOLD (None: as the case-insensitive option says), and whether folding is
    on at the end: a port remembers the #!fold-case directives it has read."""
    syntax = _Syntax(fold)
    return [item[0] for item in _read_items(text, filename, syntax)], syntax.fold


def read_rest(text: str, filename: str | None, line: int, column: int
              ) -> tuple[list[tuple[Any, Location]], SchemeError | None]:
    """As read_until_error, for the part of `text` from (line, column) on (read with
    the read options of now); the data keep their places in the whole text."""
    if text.startswith("\ufeff"):
        text = text[1:]
    start = _line_offset(text, line)
    pos = start
    while pos < len(text) and text[pos] != "\n" and _column(text, start, pos) < column:
        pos += 1
    # Blanks keep every later datum on its line and column.
    return read_until_error(re.sub(r"[^\n\t]", " ", text[:pos]) + text[pos:], filename)


def _line_offset(text: str, line: int) -> int:
    pos = 0
    for _ in range(line - 1):
        pos = text.index("\n", pos) + 1
    return pos


def _read_items(text: str, filename: str | None, syntax: _Syntax | None = None) -> list:
    if text.startswith("\ufeff"):
        text = text[1:]
    parser, builder = _parser()
    # Reading allocates a few objects per byte and none of them can form a cycle, so
    # the cyclic collector would only rescan a growing heap: pause it.
    with _lock:
        collecting = gc.isenabled()
        _syntax[0] = syntax or _Syntax()
        builder.begin(text, filename)
        gc.disable()
        try:
            items = parser.parse(text)
        except _Problem as p:
            _builder_top[0] = builder.top
            raise _failure(p.message, Location(filename, p.line, p.column), p.hints,
                           p.incomplete, p.key) from None
        except SchemeError:
            _builder_top[0] = builder.top
            raise
        except Exception as exc:  # Lark's own errors become located read errors
            _builder_top[0] = builder.top
            raise _translate(exc, text, filename) from None
        finally:
            if collecting:
                gc.enable()
            builder.end()
    return items


def read_file(path: str) -> list:
    return read_all(decode(Path(path).read_bytes(), str(path)), str(path))


def decode(data: bytes, filename: str) -> str:
    """The text of a source file; a read error located at its first byte that is not
    UTF-8 otherwise."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        # Like Guile, honour a "coding: NAME" declaration near the top of the file.
        declared = re.search(rb"coding[:=]\s*([-\w.]+)", data[:500])
        if declared:
            try:
                return data.decode(declared.group(1).decode("ascii"))
            except (LookupError, UnicodeDecodeError):
                pass
        good = data[:exc.start].decode("utf-8")
        raise read_error(f"invalid UTF-8 byte 0x{data[exc.start]:02x}",
                         Location(filename, *_position(good, len(good))),
                         ["config files must be UTF-8 text"]) from None


def is_complete(text: str) -> bool:
    """False when `text` stops inside an unfinished datum (an open list, vector,
    string, block comment, or a quote still waiting for its datum): a REPL then asks
    for another line.  True otherwise, including when the text has a syntax error."""
    try:
        read_all(text)
    except SchemeError as err:
        return not getattr(err, "incomplete", False)
    return True


# --- building the parser ------------------------------------------------------------

_lock = threading.Lock()
_state: tuple | None = None
GRAMMAR_PATH = Path(__file__).with_name("grammar.lark")


def _cache_file(grammar: str, lark_version: str) -> str | bool:
    """Where Lark keeps its grammar analysis, or False when no cache dir is writable."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    if not os.path.isabs(base):   # no home directory to speak of
        return False
    folder = os.path.join(base, "vsys")
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        return False
    if not os.access(folder, os.W_OK | os.X_OK):
        return False
    digest = hashlib.sha256((grammar + lark_version).encode()).hexdigest()[:16]
    path = os.path.join(folder, f"reader-{digest}.lark-cache")
    if os.path.exists(path):
        return path if os.access(path, os.R_OK | os.W_OK) else False
    # A new grammar or Lark: the caches of earlier ones will not be read again.
    for name in os.listdir(folder):
        if name.startswith("reader-") and name.endswith(".lark-cache"):
            try:
                os.remove(os.path.join(folder, name))
            except OSError:
                pass
    return path


def _parser():
    global _state
    if _state is None:
        with _lock:
            if _state is None:
                import lark  # noqa: PLC0415 (Lark loads with the first read: most commands read nothing)
                grammar = GRAMMAR_PATH.read_text(encoding="utf-8")
                builder = _Builder()
                parser = lark.Lark(grammar, parser="lalr", lexer=_lexer_class(),
                                   transformer=builder, maybe_placeholders=False,
                                   cache=_cache_file(grammar, lark.__version__))
                _state = (parser, builder)
    return _state


def _byte_out_of_range(v: int, loc: Location) -> SchemeError:
    return SchemeError(Condition(
        "out-of-range", f"a bytevector holds exact integers from 0 to 255, not {v}", (v,),
        "bytevector-u8-set!", loc=loc, throw_args=(
            "bytevector-u8-set!", "Value out of range: ~S", Pair(v, NIL), Pair(v, NIL))))


class _Problem(Exception):
    """A syntax error found while lexing or building; read_all adds the file name."""

    def __init__(self, message: str, line: int, column: int, hints: list[str] | None = None,
                 incomplete: bool = False, key: str = "read-error"):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.hints = hints or []
        self.incomplete = incomplete
        self.key = key


def _lexer_class():
    """Lark's `Lexer` subclass for the grammar, made on first use (lark is imported
    lazily) and published as a module global: Lark's cache pickles it by name."""
    global _SchemeLexer
    if "_SchemeLexer" in globals():
        return _SchemeLexer
    from lark.lexer import Lexer, Token  # noqa: PLC0415 (with the first read, as in _parser)

    class _SchemeLexer(Lexer):
        """Scans with one regexp made of the grammar's terminals, tried in priority
        order.  It differs from Lark's basic lexer in what a regexp cannot do (nested
        #| |# comments) and in speed: no per-token line counter, no end positions."""

        __future_interface__ = 2

        def __init__(self, conf):
            terminals = sorted(conf.terminals, key=lambda t: -t.priority)

            def regexp(t, r7rs):
                text = t.pattern.to_regexp()
                return _BAR_SYMBOL + "|" + text if r7rs and t.name == "ATOM" else text

            self.pattern, self.r7rs_pattern = (
                re.compile("|".join(f"(?P<{t.name}>{regexp(t, r7rs)})" for t in terminals))
                for r7rs in (False, True))
            self.ignore = frozenset(conf.ignore)

        def lex(self, state, parser_state):
            text = state.text
            return self.tokens(text.text, text.start, text.end)

        def tokens(self, text: str, pos: int = 0, end: int | None = None):
            if end is None:
                end = len(text)
            syntax = _syntax[0]
            match = (self.r7rs_pattern if syntax.r7rs_symbols else self.pattern).match
            ignore = self.ignore
            line, line_start = 1, 0
            tabbed = False   # a tab precedes `pos` on this line: columns need expanding
            while pos < end:
                column = _column(text, line_start, pos) if tabbed else pos - line_start + 1
                m = match(text, pos, end)
                if m is None:
                    _unmatched(text, pos, line, column)
                kind = m.lastgroup
                value = m.group()
                if kind not in ignore:
                    if kind != "ATOM" or not (syntax.fold or value[1:2] == "!"):
                        yield Token(kind, value, pos, line, column)
                    elif value in FOLD_DIRECTIVES:
                        syntax.fold = FOLD_DIRECTIVES[value]
                    else:
                        yield Token(kind, _folded(value) if syntax.fold else value,
                                    pos, line, column)
                elif kind == "BLOCK_COMMENT":
                    value = text[pos:_block_comment_end(text, pos, line, column)]
                if "\n" in value:
                    line += value.count("\n")
                    last = value.rindex("\n")
                    line_start = pos + last + 1
                    tabbed = "\t" in value[last:]
                elif not tabbed and "\t" in value:
                    tabbed = True
                pos += len(value)

    _SchemeLexer.__qualname__ = "_SchemeLexer"
    globals()["_SchemeLexer"] = _SchemeLexer
    return _SchemeLexer


# An R7RS |symbol| (with the r7rs-symbols read option): its escapes are a string's.
_BAR_SYMBOL = r"\|[^|\\]*(?:\\[\s\S][^|\\]*)*\|"
FOLD_DIRECTIVES = {"#!fold-case": True, "#!no-fold-case": False}


def _folded(text: str) -> str:
    """An atom as read under #!fold-case: symbols, keywords and the like downcased;
    strings, characters and #{...}# / |...| symbols as written."""
    if text[0] in "\"|" or text.startswith(("#\\", "#{", "#:#{")):
        return text
    return text.lower()


def _block_comment_end(text: str, start: int, line: int, column: int) -> int:
    """The position just past the |# that closes the #| at `start`."""
    depth = 1
    pos = start + 2
    while True:
        close = text.find("|#", pos)
        if close < 0:
            raise _Problem("unterminated block comment: no closing |# for the #| here",
                           line, column, ["#| ... |# comments nest; each #| needs its own |#"],
                           incomplete=True)
        # Scanning left to right, an opener that overlaps this closer ("#|#") comes first.
        opened = text.find("#|", pos, close + 1)
        if opened >= 0:
            depth += 1
            pos = opened + 2
            continue
        depth -= 1
        pos = close + 2
        if depth == 0:
            return pos


def _unmatched(text: str, pos: int, line: int, column: int):
    """No terminal matches at `pos`: only an unterminated string gets here."""
    if text[pos] == '"':
        end_line, end_col = _end_position(text)
        raise _Problem("unterminated string: no closing '\"' for the string started here",
                       line, column, [f"the file ended at {end_line}:{end_col} still inside it"],
                       incomplete=True)
    raise _Problem(f"unexpected character {text[pos]!r}", line, column)


# --- atoms --------------------------------------------------------------------------

class _AtomError(Exception):
    """An atom is malformed; `offset` is where in its text the problem is."""

    def __init__(self, message: str, offset: int = 0, hints: list[str] | None = None,
                 incomplete: bool = False, key: str = "read-error"):
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.hints = hints or []
        self.incomplete = incomplete   # the text ends before the atom does
        self.key = key                 # Guile's error key, when not a read-error


_STRING_ESCAPES = {
    "\\": "\\", '"': '"', "|": "|", "(": "(", "0": "\0", "a": "\a", "b": "\b",
    "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\n": "",
}
_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")
_HEX_ESCAPE_WIDTHS = {"x": 2, "u": 4, "U": 6}   # fixed widths (r6rs-hex-escapes off)


def _string(text: str, delimiter: str = '"') -> str:
    """The value of a string token (with its quotes), or of an R7RS |symbol|'s."""
    body = text[1:-1]
    if "\\" not in body:
        return body
    syntax = _syntax[0]
    out = []
    i = 0
    while True:
        j = body.find("\\", i)
        if j < 0:
            out.append(body[i:])
            return "".join(out)
        out.append(body[i:j])
        c = body[j + 1]   # the token regexp guarantees a character after a backslash
        plain = _STRING_ESCAPES.get(c)
        if plain is not None:
            out.append(plain)
            i = j + 2
            if c == "\n" and syntax.hungry_eol:
                i = _skip_intraline_space(body, i)
            continue
        if c == "\r" and body.startswith("\r\n", j + 1):   # a CRLF file's continuation
            i = j + 3
            if syntax.hungry_eol:
                i = _skip_intraline_space(body, i)
            continue
        if c == delimiter:
            out.append(c)
            i = j + 2
            continue
        if c == "x" and (syntax.hex_escapes or delimiter == "|"):
            end = j + 2
            while end < len(body) and body[end] in _HEX_DIGITS:
                end += 1
            if end == j + 2 or end == len(body) or body[end] != ";":
                raise _escape_error(body, end, j, ["with r6rs-hex-escapes, \\x takes hex "
                                                   "digits ended by ';', as in \\x41;"])
            digits = body[j + 2:end]
            width = len(digits) + 1
        else:
            width = _HEX_ESCAPE_WIDTHS.get(c)
            if width is None:
                raise _escape_error(body, j + 1, j, [
                    "valid escapes: \\n \\t \\r \\\\ \\\" \\a \\b \\f \\v \\0 "
                    "\\xHH \\uHHHH \\UHHHHHH, and backslash-newline"])
            digits = body[j + 2:j + 2 + width]
            for k, d in enumerate(digits):
                if d not in _HEX_DIGITS:
                    raise _escape_error(body, j + 2 + k, j, [
                        f"'\\{c}' in a string takes exactly {width} hex digits"])
            if len(digits) < width:
                raise _escape_error(body, j + 2 + len(digits), j, [
                    f"'\\{c}' in a string takes exactly {width} hex digits"])
        code = int(digits, 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise _AtomError(f"'\\{c}{digits}' is not a valid character", 1 + j)
        out.append(chr(code))
        i = j + 2 + width


def _escape_error(body: str, at: int, escape: int, hints: list[str]) -> _AtomError:
    """Guile's message for a bad escape: the character where it went wrong (the closing
    quote when the string ends inside the escape); located at the backslash."""
    bad = body[at] if at < len(body) else '"'
    return _AtomError(f"invalid character in escape sequence: {write_string(Char(bad))}",
                      1 + escape, hints)


def _skip_intraline_space(body: str, i: int) -> int:
    """Past the tabs and space separators that start a continued line (the
    hungry-eol-escapes read option)."""
    while i < len(body) and (body[i] == "\t" or unicodedata.category(body[i]) == "Zs"):
        i += 1
    return i


_CHAR_NAMES = {
    "space": " ", "newline": "\n", "nul": "\0", "null": "\0", "alarm": "\a",
    "backspace": "\b", "tab": "\t", "linefeed": "\n", "vtab": "\v", "page": "\f",
    "return": "\r", "esc": "\x1b", "escape": "\x1b", "delete": "\x7f", "nl": "\n",
    "np": "\f",
}
# The ASCII control names Guile knows too.
for _code, _name in enumerate(
        "nul soh stx etx eot enq ack bel bs ht lf vt ff cr so si dle dc1 dc2 dc3 dc4 "
        "nak syn etb can em sub esc fs gs rs us sp".split()):
    _CHAR_NAMES.setdefault(_name, chr(_code))
_CHAR_NAMES.setdefault("del", "\x7f")
del _code, _name


def _char(text: str) -> Char:
    name = text[2:]
    if len(name) == 1:
        return Char(name)
    if not name:
        raise _AtomError("end of input after #\\", 0)
    if len(name) == 2 and "\u25cc" in name:
        # A combining mark shown over a dotted circle: Guile reads mark-then-circle but
        # writes circle-then-mark, so both orders are accepted.
        mark = name[1] if name[0] == "\u25cc" else name[0]
        if name[0] != name[1] and (mark == name[0] or unicodedata.combining(mark)):
            return Char(mark)
    code = None
    if "0" <= name[0] <= "7" and all("0" <= d <= "7" for d in name):
        code = int(name, 8)
    elif name[0] == "x" and all(d in _HEX_DIGITS for d in name[1:]):
        code = int(name[1:], 16)
    if code is not None:
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            # Guile's reader makes the character with integer->char, whose error this is.
            raise _AtomError(f"#\\{name} is out of range: no character has the code {code}",
                             0, ["a character's code is below #xD800, or from #xE000 to "
                                 "#x10FFFF"], key="out-of-range")
        return Char(chr(code))
    ch = _CHAR_NAMES.get(name.lower())
    if ch is None:
        import difflib  # noqa: PLC0415 (loaded for this hint only: a bad character name is rare)
        close = difflib.get_close_matches(name.lower(), _CHAR_NAMES, n=1, cutoff=0.6)
        hints = [f"did you mean #\\{close[0]}?"] if close else []
        hints.append("characters are written #\\a, #\\space, #\\newline, #\\x41 ...")
        raise _AtomError(f"unknown character name #\\{name}", 0, hints)
    return Char(ch)


def _extended_symbol(text: str) -> Symbol:
    """#{...}#: any characters; `\\xHH;` is a hex escape and `\\c` stands for c."""
    body = text[2:-2]
    if "\\" not in body:
        return Symbol(body)
    out = []
    i = 0
    while i < len(body):
        c = body[i]
        if c != "\\":
            out.append(c)
            i += 1
            continue
        c = body[i + 1] if i + 1 < len(body) else ""
        if c == "x":
            end = body.find(";", i + 2)
            digits = body[i + 2:end] if end >= 0 else ""
            if not digits or not all(d in _HEX_DIGITS for d in digits):
                raise _AtomError("'\\x' in #{...}# must be followed by hex digits and ';'",
                                 2 + i)
            out.append(chr(int(digits, 16)))
            i = end + 1
        else:
            out.append(c)
            i += 2
    return Symbol("".join(out))


_BITS = bytes.maketrans(b"01", b"\0\1")
_DIRECTIVES = ("r6rs", "fold-case", "no-fold-case", "curly-infix",
               "curly-infix-and-bracket-lists")


def _hash_atom(text: str):
    """Everything written with a leading '#' that the grammar leaves to ATOM."""
    second = text[1:2]
    low = text.lower()
    if second == "\\":
        return _char(text)
    if low in ("#t", "#true"):
        return True
    if low in ("#f", "#false"):
        return False
    if text == "#nil":
        # Emacs Lisp's nil, which Guile reads as a false value that is also the empty
        # list; vsys has no such object and reads it as #f.
        return False
    if second == ":":
        name = text[2:]
        if not name:
            raise _AtomError("#: must be followed by the keyword's name, as in #:key")
        symbol = _atom(name)   # the name is read as a datum, as Guile does
        if type(symbol) is not Symbol:
            raise _AtomError(f"keyword prefix #: not followed by a symbol: {name}")
        return Keyword(symbol.name)
    if second == "{":
        if len(text) >= 4 and text.endswith("}#"):
            return _extended_symbol(text)
        raise _AtomError("end of input inside a #{...}# symbol: no closing }#",
                         incomplete=True)
    if second and second in "xXbBoOdDeEiI":
        value = _number_or_none(text)
        if value is None:
            raise _AtomError(f"unknown # object: {text}",
                             hints=["#x #b #o #d #e #i prefix a number, as in #x1F"])
        return value
    if second == "!":
        name = text[2:]
        if name in _DIRECTIVES:
            raise _AtomError(f"the reader directive #!{name} is not supported")
        raise _AtomError("unterminated #! ... !# comment: no closing !#", incomplete=True)
    if second == "*" and all(c in "01" for c in text[2:]):
        return Bitvector(bytearray(text[2:].encode("ascii")).translate(_BITS))
    if low.startswith("#vu8"):
        raise _AtomError("a bytevector is written #vu8( followed by its bytes and ')'")
    if not second:
        raise _AtomError("a lone '#' is not valid syntax",
                         hints=["# starts #t, #f, #\\char, #:keyword, #(vector) ..."])
    hints = []
    if second in "uscf" or second.isdigit() or second == "*":
        hints.append("arrays are written #2((1 2) (3 4)), #u8(1 2), #1@1(a b); "
                     "bit vectors #*1010")
    else:
        hints.append("# starts #t, #f, #\\char, #:keyword, #(vector), #vu8(bytes), "
                     "#x1F, #~ gexp ...")
    raise _AtomError(f"unknown # syntax: {text}", 0, hints)


def _number_or_none(text: str):
    try:
        return parse_number(text)
    except NumberOutOfRange:
        raise _AtomError(f"number out of range: {text}") from None


def _atom(text: str):
    """The value of an ATOM token."""
    first = text[0]
    if first == '"':
        return _string(text)
    if first == "#":
        return _hash_atom(text)
    if first in "0123456789+-.":
        value = _number_or_none(text)
        if value is not None:
            return value
    if first == "|" and _syntax[0].r7rs_symbols:
        if len(text) > 1 and text[-1] == "|":
            return Symbol(_string(text, "|"))
        # the token regexp takes a |symbol| up to its closing bar, wherever that is
        raise _AtomError("unterminated |symbol|: no closing '|' for the one here",
                         hints=["with the r7rs-symbols read option, |...| writes a "
                                "symbol; a bare | needs \\| or #{|}#"], incomplete=True)
    style = _syntax[0].keywords
    if style is not None and len(text) > 1:
        if style == "postfix" and text[-1] == ":":
            return Keyword(text[:-1])
        if style == "prefix" and first == ":":
            return Keyword(text[1:])
    return Symbol(text)


# --- the inline transformer -----------------------------------------------------------

_OPENERS = {"LPAR": "(", "LBRACK": "[", "VECTOR": "#(", "BYTEVECTOR": "#vu8(",
            "ARRAY": "#...("}
_CLOSER_FOR = {"LPAR": ")", "LBRACK": "]", "VECTOR": ")", "BYTEVECTOR": ")", "ARRAY": ")"}
_ABBREVIATIONS = {
    "'": Symbol("quote"), "`": Symbol("quasiquote"), ",": Symbol("unquote"),
    ",@": Symbol("unquote-splicing"), "#'": Symbol("syntax"),
    "#`": Symbol("quasisyntax"), "#,": Symbol("unsyntax"),
    "#,@": Symbol("unsyntax-splicing"), "#~": Symbol("gexp"), "#$": Symbol("ungexp"),
    "#$@": Symbol("ungexp-splicing"), "#+": Symbol("ungexp-native"),
    "#+@": Symbol("ungexp-native-splicing"),
}
_MISSING = object()


class _Builder:
    """Lark calls one method per reduction (by rule alias).  A datum travels as
    `(value, line, column)` so that the list holding it can locate its cell."""

    def __init__(self):
        self.filename: str | None = None
        self.text = ""
        self.cache: dict[str, Any] = {}
        self.top: list | None = None

    def begin(self, text: str, filename: str | None):
        self.filename = filename
        self.text = text
        self.cache = {}
        self.top = None     # the first list of items made is the top level's

    def end(self):
        self.text = ""
        self.cache = {}

    def atom_problem(self, tok, err: _AtomError) -> _Problem:
        """Locate `err` inside the token (a string may span lines)."""
        line, column = _position(self.text, tok.start_pos + err.offset)
        return _Problem(err.message, line, column, err.hints, err.incomplete, err.key)

    def value(self, tok):
        text = tok.value
        v = self.cache.get(text, _MISSING)
        if v is _MISSING:
            try:
                v = _atom(text)
            except _AtomError as err:
                raise self.atom_problem(tok, err) from None
            # Each string or bit vector literal is its own object, as in Guile:
            # (eq? "ab" "ab") is #f
            if text[0] != '"' and text[:2] != "#*":
                self.cache[text] = v
        return v

    def build(self, items: list, tail: Any, line: int, column: int) -> Any:
        """The list of `items` ending in `tail`; its first cell sits at (line, column)."""
        if not items:
            return tail
        fn = self.filename
        result = tail
        for i in range(len(items) - 1, 0, -1):
            v, vl, vc = items[i]
            result = Pair(v, result, Location(fn, vl, vc))
        return Pair(items[0][0], result, Location(fn, line, column))

    # -- rules
    def start(self, c):
        return c[0]

    def items_empty(self, c):
        if self.top is None:
            self.top = []
            return self.top
        return []

    def items_atom(self, c):
        items = c[0]
        tok = c[1]
        text = tok.value
        v = self.cache.get(text, _MISSING)
        if v is _MISSING:
            v = self.value(tok)
        items.append((v, tok.line, tok.column))
        return items

    def items_compound(self, c):
        items = c[0]
        items.append(c[1])
        return items

    def items_skip(self, c):
        return c[0]

    def list_paren(self, c):
        lp = c[0]
        return (self.build(c[1], NIL, lp.line, lp.column), lp.line, lp.column)

    list_bracket = list_paren

    def dotted_paren(self, c):
        lp, head, dot, tail, close = c
        if len(tail) != 1:
            if not tail:
                raise _Problem(f"expected a datum after '.' before '{close.value}'",
                                dot.line, dot.column,
                                ["a dotted list is written (a b . c)"])
            _, line, column = tail[1]
            raise _Problem("only one datum may follow '.' in a dotted list", line, column,
                            ["a dotted list is written (a b . c)"])
        return (self.build(head, tail[0][0], lp.line, lp.column), lp.line, lp.column)

    dotted_bracket = dotted_paren

    def vector(self, c):
        lp = c[0]
        return (Vector([item[0] for item in c[1]]), lp.line, lp.column)

    def bytevector(self, c):
        lp = c[0]
        out = bytearray()
        for v, line, column in c[1]:
            if type(v) is int and not 0 <= v <= 255:   # Guile: out-of-range, not a read error
                raise _byte_out_of_range(v, Location(self.filename, line, column))
            if type(v) is not int:
                raise _Problem(f"a bytevector holds exact integers from 0 to 255, not "
                               f"{write_string(v)}", line, column)
            out.append(v)
        return (out, lp.line, lp.column)

    def array(self, c):
        lp = c[0]
        try:
            value = read_array(lp.value, [item[0] for item in c[1]])
        except ShapeError as err:
            raise _Problem(f"bad array {lp.value}...): {err}", lp.line, lp.column) from None
        return (value, lp.line, lp.column)

    def abbreviation(self, c):
        tok = c[0]
        loc = Location(self.filename, tok.line, tok.column)
        value = Pair(_ABBREVIATIONS[tok.value], Pair(c[1][0], NIL, loc), loc)
        return (value, tok.line, tok.column)

    def datum_atom(self, c):
        tok = c[0]
        return (self.value(tok), tok.line, tok.column)

    def datum_compound(self, c):
        return c[0]

    def datum_skip(self, c):
        return c[2]


# --- errors -----------------------------------------------------------------------------

def _failure(message: str, loc: Location, hints=None, incomplete: bool = False,
             key: str = "read-error") -> SchemeError:
    err = read_error(message, loc, hints)
    if key != "read-error":
        err.payload.key = Symbol(key)
    # Lets is_complete tell "needs more input" from "is wrong".
    err.incomplete = incomplete
    return err


def _column(text: str, line_start: int, pos: int) -> int:
    """The 1-based column of `pos`, with tab stops every 8 columns as Guile (and the
    GNU convention for FILE:LINE:COLUMN) count them."""
    return len(text[line_start:pos].expandtabs(8)) + 1


def _position(text: str, pos: int) -> tuple[int, int]:
    """(line, column) of `pos` in `text`."""
    line_start = text.rfind("\n", 0, pos) + 1
    return text.count("\n", 0, pos) + 1, _column(text, line_start, pos)


def _end_position(text: str) -> tuple[int, int]:
    return _position(text, len(text))


def _translate(exc: Exception, text: str, filename: str | None) -> SchemeError:
    from lark.exceptions import UnexpectedToken  # noqa: PLC0415 (loaded already: the parse raised it)

    def at(line, column):
        return Location(filename, line, column)

    if not isinstance(exc, UnexpectedToken):
        raise exc
    tok = exc.token
    stack = exc.state.value_stack if exc.state is not None else []
    opens = []
    pending = []   # quote marks and #; in the innermost open list, waiting for a datum
    for v in stack:
        kind = getattr(v, "type", None)
        if kind in _OPENERS:
            opens.append(v)
            pending = []
        elif kind in ("ABBREV", "DATUM_COMMENT"):
            pending.append(v)

    if pending:
        prefix = pending[-1]
        what = (f"{prefix.value} ({_ABBREVIATIONS[prefix.value].name})"
                if prefix.type == "ABBREV" else "#; (datum comment)")
        if tok.type == "$END":
            return _failure(f"end of input after {what}: a datum must follow it",
                            at(prefix.line, prefix.column), incomplete=True)
        return _failure(f"{what} must be followed by a datum, not '{tok.value}'",
                        at(prefix.line, prefix.column))

    if tok.type == "$END":
        first = opens[0]
        kind = "vector" if first.type in ("VECTOR", "BYTEVECTOR", "ARRAY") else "list"
        end_line, end_col = _end_position(text)
        hints = [f"the file ended at {end_line}:{end_col} with "
                 + ("this one still open" if len(opens) == 1
                    else f"{len(opens)} lists still open, this is the outermost")]
        hints += _indentation_hints(text)
        return _failure(f"missing '{_CLOSER_FOR[first.type]}' for the {kind} opened here",
                        at(first.line, first.column), hints, incomplete=True)

    if tok.type in ("RPAR", "RBRACK"):
        if not opens:
            hints = []
            items = stack[0] if stack and isinstance(stack[0], list) else []
            if items:
                _, line, column = items[-1]
                hints.append(f"the form before it, started at {line}:{column}, "
                             "was already complete")
            else:
                hints.append("there is no open list for it to close")
            return _failure(f"unexpected '{tok.value}'", at(tok.line, tok.column), hints)
        inner = opens[-1]
        want = _CLOSER_FOR[inner.type]
        return _failure(f"'{tok.value}' does not match the '{_OPENERS[inner.type]}' "
                        f"opened at {inner.line}:{inner.column}",
                        at(tok.line, tok.column), [f"close it with '{want}'"])

    if tok.type == "DOT":
        if not opens:
            message = "unexpected '.' outside a list"
        elif opens[-1].type in ("VECTOR", "BYTEVECTOR", "ARRAY"):
            message = "a vector cannot have a '.' tail"
        else:
            message = "only one '.' may appear in a dotted list"
        return _failure(message, at(tok.line, tok.column),
                        ["a dotted list is written (a b . c)"])

    return _failure(f"unexpected '{tok.value}'", at(tok.line, tok.column))


def _indentation_hints(text: str) -> list[str]:
    """Guess where a ')' is missing from the layout: a line that starts no deeper than
    a list still open from an earlier line is probably meant to be outside it."""
    parser, _ = _parser()
    stack: list = []
    last_line = 0
    try:
        for tok in _lexer_class()(parser.lexer_conf).tokens(text):
            kind = tok.type
            if tok.line != last_line and kind not in ("RPAR", "RBRACK"):
                for open_tok in reversed(stack):
                    if open_tok.line < tok.line and tok.column <= open_tok.column:
                        return [f"line {tok.line} is indented no deeper than the list opened "
                                f"at {open_tok.line}:{open_tok.column}: perhaps that list "
                                f"lacks a ')' before {tok.line}:{tok.column}"]
            last_line = tok.line + tok.value.count("\n")
            if kind in _OPENERS:
                stack.append(tok)
            elif kind in ("RPAR", "RBRACK") and stack:
                stack.pop()
    except _Problem:   # the hint is best effort; the error itself is already known
        return []
    return []
