"""The reader: Guile 3.0's syntax, source locations, and located error messages.

Expected values were checked against `guile --no-auto-compile` (3.0.8) reading the same
text; they are hard-coded so the tests run without Guile.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vsys.dsl.api import eval_string
from vsys.dsl.datatypes import NIL, Char, Keyword, Location, Pair, Symbol, Vector
from vsys.dsl.errors import SchemeError, format_error
from vsys.dsl.printer import write_string
from vsys.dsl.reader import is_complete, parse_number, read_all, read_file


def read1(text: str):
    data = read_all(text)
    assert len(data) == 1, data
    return data[0]


def same_atom(a, b) -> bool:
    if isinstance(b, float) and math.isnan(b):
        return isinstance(a, float) and math.isnan(a)
    if isinstance(b, float):
        return type(a) is float and a == b and math.copysign(1, a) == math.copysign(1, b)
    return type(a) is type(b) and a == b


# --- atoms ---------------------------------------------------------------------------

NUMBERS = [
    ("42", 42), ("-17", -17), ("+5", 5), ("-0", 0), ("007", 7),
    ("123456789012345678901234567890", 123456789012345678901234567890),
    ("1.5", 1.5), ("1.", 1.0), (".5", 0.5), ("-.5", -0.5), ("+.5", 0.5), ("-0.0", -0.0),
    ("1e3", 1000.0), ("1E3", 1000.0), ("1e-3", 0.001), ("1.e2", 100.0), ("+1.5e+3", 1500.0),
    ("1d2", 100.0), ("1s2", 100.0), ("1f2", 100.0), ("1l2", 100.0),
    ("1/2", Fraction(1, 2)), ("4/6", Fraction(2, 3)), ("-6/3", -2), ("0/5", 0),
    ("#x1F", 31), ("#xff", 255), ("#X-FF", -255), ("#xAbC", 2748), ("#x+ff", 255),
    ("#b101", 5), ("#o17", 15), ("#d10", 10), ("#xff/2", Fraction(255, 2)),
    ("#x1e2", 482), ("#e1.5", Fraction(3, 2)), ("#e.5", Fraction(1, 2)), ("#E1.5", Fraction(3, 2)),
    ("#e-1.25", Fraction(-5, 4)), ("#e1e3", 1000), ("#e1.2e-3", Fraction(3, 2500)),
    ("#i1/3", 1 / 3), ("#i5", 5.0), ("#i-3/4", -0.75), ("#x#e10", 16), ("#e#x10", 16),
    ("+inf.0", math.inf), ("-inf.0", -math.inf), ("+nan.0", math.nan), ("-nan.0", math.nan),
    ("1e308", 1e308), ("2e308", math.inf), ("1e-324", 0.0), ("5e-324", 5e-324),
    ("1+2i", complex(1, 2)), ("+i", 1j), ("-i", -1j), ("1.5-2i", complex(1.5, -2)),
    ("1+0.0i", complex(1, 0)), ("1.5+0i", 1.5), ("1@0", 1),
]

SYMBOLS = [
    "x", "%base-services", "->", "=>", "...", "1+", "-", "+", "-a", "+a", ".a", "..", "a.b",
    "a'b", "a,b", "a`b", "a#b", "a|b", "|a", "a\\b", "a:", ":a", "λ", "ЖЖ", "1/0", "1/2/3",
    "+.", "-.", "1/2e2", "+inf.1", "a\x7fb", "a{b}", "set-car!", "string->symbol", "<foo>",
]

CHARS = [
    ("#\\a", "a"), ("#\\A", "A"), ("#\\x", "x"), ("#\\space", " "), ("#\\SPACE", " "),
    ("#\\Space", " "), ("#\\newline", "\n"), ("#\\Newline", "\n"), ("#\\tab", "\t"),
    ("#\\nul", "\0"), ("#\\NUL", "\0"), ("#\\null", "\0"), ("#\\alarm", "\a"),
    ("#\\backspace", "\b"), ("#\\delete", "\x7f"), ("#\\escape", "\x1b"), ("#\\esc", "\x1b"),
    ("#\\linefeed", "\n"), ("#\\page", "\f"), ("#\\return", "\r"), ("#\\vtab", "\v"),
    ("#\\sp", " "), ("#\\soh", "\x01"), ("#\\us", "\x1f"), ("#\\del", "\x7f"),
    ("#\\nl", "\n"), ("#\\np", "\f"),
    ("#\\x41", "A"), ("#\\x3bb", "λ"), ("#\\x0", "\0"), ("#\\x10ffff", "\U0010ffff"),
    ("#\\101", "A"), ("#\\0", "0"), ("#\\1", "1"), ("#\\01", "\x01"), ("#\\8", "8"),
    ("#\\(", "("), ("#\\)", ")"), ("#\\[", "["), ("#\\;", ";"), ('#\\"', '"'), ("#\\#", "#"),
    ("#\\\\", "\\"), ("#\\ ", " "), ("#\\λ", "λ"),
    # A combining mark beside a dotted circle: Guile reads mark-circle, writes circle-mark.
    ("#\\\u0300\u25cc", "\u0300"), ("#\\\u25cc\u0300", "\u0300"),
]

OTHER_ATOMS = [
    ("#t", True), ("#f", False), ("#true", True), ("#false", False), ("#T", True),
    ("#F", False), ("#TRUE", True), ("#False", False),
    ("#:key", Keyword("key")), ("#:a-b", Keyword("a-b")), ("#:1+", Keyword("1+")),
    ("#:#{a}#", Keyword("a")), ("#:#{a b}#", Keyword("a b")), ("#:#{}#", Keyword("")),
    ("#{two words}#", Symbol("two words")), ("#{}#", Symbol("")), ("#{.}#", Symbol(".")),
    ("#{a\\x41;b}#", Symbol("aAb")), ("#{a}b}#", Symbol("a}b")), ("#{a\\qb}#", Symbol("aqb")),
    ("#{1+}#", Symbol("1+")), ("()", NIL), ("[]", NIL), ("(#;a)", NIL),
]

STRINGS = [
    ('""', ""), ('"abc"', "abc"), ('"a\\nb"', "a\nb"), ('"\\t\\r\\\\\\""', '\t\r\\"'),
    ('"\\a\\b\\f\\v\\0"', "\a\b\f\v\0"), ('"\\(x\\|y"', "(x|y"),
    # Guile's default \x escape takes exactly two hex digits; the ';' stays.
    ('"a\\x41;b"', "aA;b"), ('"\\x7f"', "\x7f"), ('"\\u03bbx"', "λx"),
    ('"\\U01F600"', "\U0001F600"),
    # A backslash-newline joins lines and keeps the next line's indentation, as Guile's
    # default (hungry-eol-escapes off) does.
    ('"line1\\\n    line2"', "line1    line2"), ('"a\\\r\nb"', "ab"),
    ('"multi\nline"', "multi\nline"), ('"tab\tin"', "tab\tin"), ('"λ😀"', "λ😀"),
    ('"semi;colon (paren) #hash"', "semi;colon (paren) #hash"),
]


@pytest.mark.parametrize("text,expected", NUMBERS, ids=[t for t, _ in NUMBERS])
def test_numbers(text, expected):
    assert same_atom(read1(text), expected)


@pytest.mark.parametrize("name", SYMBOLS)
def test_symbols(name):
    assert read1(name) is Symbol(name)


@pytest.mark.parametrize("text,ch", CHARS, ids=[t for t, _ in CHARS])
def test_characters(text, ch):
    assert read1(text) is Char(ch)


@pytest.mark.parametrize("text,expected", OTHER_ATOMS, ids=[t for t, _ in OTHER_ATOMS])
def test_other_atoms(text, expected):
    assert read1(text) is expected


@pytest.mark.parametrize("text,expected", STRINGS, ids=[t for t, _ in STRINGS])
def test_strings(text, expected):
    value = read1(text)
    assert type(value) is str and value == expected


def test_bytevector_and_vector_values():
    bv = read1("#vu8(0 255 16)")
    assert type(bv) is bytearray and bv == bytearray([0, 255, 16])
    assert read1("#vu8()") == bytearray()
    vec = read1('#(1 "x" #\\a (b))')
    assert type(vec) is Vector and vec[:3] == [1, "x", Char("a")]
    assert write_string(vec[3]) == "(b)"
    assert read1("#()") == Vector()


def test_parse_number_is_string_to_number():
    assert parse_number("zz", 36) == 1295
    assert parse_number("ff", 16) == 255
    assert parse_number("abc") is None
    assert parse_number("1/0") is None
    assert parse_number("#e+inf.0") is None


# --- compound data (as Guile writes them back) ------------------------------------------

COMPOUND = [
    ("(define (f x) (+ x 1))", "(define (f x) (+ x 1))"),
    ("(a . b)", "(a . b)"), ("(a . (b . (c)))", "(a b c)"), ("(a . (b . c))", "(a b . c)"),
    ("(. a)", "a"), ("[a b (c)]", "(a b (c))"), ("(a [b] c)", "(a (b) c)"),
    ("[a . b]", "(a . b)"), ("(a 'b . c)", "(a (quote b) . c)"),
    ("'x", "(quote x)"), ("''a", "(quote (quote a))"), ("' x", "(quote x)"),
    ("`(a ,b ,@c)", "(quasiquote (a (unquote b) (unquote-splicing c)))"),
    ("#'a", "(syntax a)"),
    ("#`(a #,b #,@c)", "(quasisyntax (a (unsyntax b) (unsyntax-splicing c)))"),
    ("#~(a #$b #$@c #+d #+@e)",
     "(gexp (a (ungexp b) (ungexp-splicing c) (ungexp-native d) (ungexp-native-splicing e)))"),
    ("(a #;b c)", "(a c)"), ("(a #;(b c) d)", "(a d)"), ("(a . #;b c)", "(a . c)"),
    ("(a . b #;c)", "(a . b)"), ("'#;a b", "(quote b)"), ("(a #;#;b c d)", "(a d)"),
    ("(a ; comment\n b)", "(a b)"), ("(a #| block |# b)", "(a b)"),
    ("(a #| nested #| inner |# still |# b)", "(a b)"), ("(a #||# b)", "(a b)"),
    ("(a #|#| z |#|# b)", "(a b)"), ("(a #| x |##| y |# b)", "(a b)"), ("(a .b)", "(a .b)"),
    ("(a. b)", "(a. b)"), ("(quote)", "(quote)"), ("(quote a b)", "(quote a b)"),
    ("#(1 #(2) (3 . 4))", "#(1 #(2) (3 . 4))"), ("(#t #f)", "(#t #f)"),
    ("(a\u000bb)", "(#{a\\xb;b}#)"),
]


@pytest.mark.parametrize("text,written", COMPOUND, ids=[t for t, _ in COMPOUND])
def test_compound(text, written):
    assert write_string(read1(text)) == written


@pytest.mark.parametrize("text,written", [
    ("abc(def)", ["abc", "(def)"]), ('a"b"', ["a", '"b"']), ('"a"b', ['"a"', "b"]),
    ("1(2)", ["1", "(2)"]), ("#| c |# x", ["x"]), ("#; (ignored) z", ["z"]),
    ("#!/usr/bin/guile -s\n!#\n(display 1)", ["(display 1)"]),
    ("#!/usr/bin/env guile\n-e main -s\n!# x", ["x"]), ("", []), ("  ; only a comment", []),
    ("\ufeff(a)", ["(a)"]), ("a\r\nb", ["a", "b"]), ("!# after", ["#{!#}#", "after"]),
])
def test_several_data(text, written):
    assert [write_string(d) for d in read_all(text)] == written


def test_long_and_deep_input():
    items = read1("(" + " ".join(str(i) for i in range(100_000)) + ")")
    assert sum(1 for _ in items) == 100_000
    deep = read1("(" * 5000 + ")" * 5000)
    depth = 0
    while deep is not NIL:
        deep = deep.car
        depth += 1
    assert depth == 4999


# --- locations -------------------------------------------------------------------------

CONFIG = """\
(operating-system
  (host-name "x")
  (services (list 'a
                  `(b ,c)
                  [d . e])))
"""


def cells(lst):
    out = []
    while isinstance(lst, Pair):
        out.append(lst)
        lst = lst.cdr
    return out


def where(cell):
    return (cell.loc.line, cell.loc.column)


def test_locations_of_cells():
    os_form = read_all(CONFIG, "config.scm")[0]
    assert os_form.loc == Location("config.scm", 1, 1)
    top = cells(os_form)
    # Each later cell sits where its car starts.
    assert [where(c) for c in top] == [(1, 1), (2, 3), (3, 3)]
    host = cells(top[1].car)
    assert [where(c) for c in host] == [(2, 3), (2, 14)]
    services = cells(top[2].car)
    lst = cells(services[1].car)
    assert [where(c) for c in lst] == [(3, 13), (3, 19), (4, 19), (5, 19)]
    # 'a is (quote a): both cells at the quote mark.
    quoted = lst[1].car
    assert [where(c) for c in cells(quoted)] == [(3, 19), (3, 19)]
    quasi = lst[2].car
    assert [where(c) for c in cells(quasi)] == [(4, 19), (4, 19)]
    b_list = cells(quasi.cdr.car)
    assert [where(c) for c in b_list] == [(4, 20), (4, 23)]
    assert [where(c) for c in cells(b_list[1].car)] == [(4, 23), (4, 23)]
    dotted = lst[3].car
    assert where(dotted) == (5, 19) and dotted.cdr is Symbol("e")


def test_locations_count_unicode_as_one_column():
    form = read1("(λ \"é\" x)")
    assert [where(c) for c in cells(form)] == [(1, 1), (1, 4), (1, 8)]


def test_tabs_advance_to_the_next_multiple_of_8_as_in_guile():
    form = read1("(a\t(b) (c)\n  \t (d) x\t\t(e))")
    assert [where(c) for c in cells(form)] == [(1, 1), (1, 9), (1, 13), (2, 10), (2, 14),
                                               (2, 25)]
    with pytest.raises(SchemeError) as info:
        read_all('(a)\n\t"x\\q"')
    assert info.value.loc == Location(None, 2, 11)


def test_locations_after_multiline_tokens():
    text = '(a "two\nlines" b #| c\n d |# e)'
    assert [where(c) for c in cells(read1(text))] == [(1, 1), (1, 4), (2, 8), (3, 7)]


def test_location_without_a_filename():
    assert read1("(a)").loc == Location(None, 1, 1)


def test_atoms_and_vectors_have_no_location():
    vec = read1("#((a))")
    assert vec[0].loc == Location(None, 1, 3)
    assert not hasattr(Symbol("a"), "loc")


# --- errors ---------------------------------------------------------------------------

ERRORS = [
    # text, (line, column), message, hints (each must appear)
    ("(define x\n  (foo 1)\n", (1, 1), "missing ')' for the list opened here",
     ["the file ended at 3:1 with this one still open"]),
    ("(a (b (c", (1, 1), "missing ')' for the list opened here",
     ["the file ended at 1:9 with 3 lists still open, this is the outermost"]),
    ("[a", (1, 1), "missing ']' for the list opened here", []),
    ("#(1 2", (1, 1), "missing ')' for the vector opened here", []),
    ("(a))", (1, 4), "unexpected ')'",
     ["the form before it, started at 1:1, was already complete"]),
    ("(define (f x)\n  (+ x 1)))\n", (2, 11), "unexpected ')'",
     ["the form before it, started at 1:1, was already complete"]),
    (")", (1, 1), "unexpected ')'", ["there is no open list for it to close"]),
    ("]", (1, 1), "unexpected ']'", ["there is no open list for it to close"]),
    ("(a]", (1, 3), "']' does not match the '(' opened at 1:1", ["close it with ')'"]),
    ("(x\n [a)", (2, 4), "')' does not match the '[' opened at 2:2", ["close it with ']'"]),
    ("#(a]", (1, 4), "']' does not match the '#(' opened at 1:1", ["close it with ')'"]),
    ('"abc', (1, 1), "unterminated string: no closing '\"' for the string started here",
     ["the file ended at 1:5 still inside it"]),
    ('(a)\n  "abc\n def', (2, 3),
     "unterminated string: no closing '\"' for the string started here",
     ["the file ended at 3:5 still inside it"]),
    # Guile's texts (programs match them), located at the backslash.
    ('"a\\qb"', (1, 3), "invalid character in escape sequence: #\\q", []),
    ('(x "ab\ncd\\q")', (2, 3), "invalid character in escape sequence: #\\q", []),
    ('"a\\x4"', (1, 3), "invalid character in escape sequence: #\\\"",
     ["'\\x' in a string takes exactly 2 hex digits"]),
    ('"\\x4g"', (1, 2), "invalid character in escape sequence: #\\g",
     ["'\\x' in a string takes exactly 2 hex digits"]),
    ('"\\ud800"', (1, 2), "'\\ud800' is not a valid character", []),
    ("#\\xyz", (1, 1), "unknown character name #\\xyz", []),
    ("(a #\\spce)", (1, 4), "unknown character name #\\spce", ["did you mean #\\space?"]),
    ("#\\", (1, 1), "end of input after #\\", []),
    ("#q", (1, 1), "unknown # syntax: #q", []),
    ("#", (1, 1), "a lone '#' is not valid syntax", []),
    ("#tx", (1, 1), "unknown # syntax: #tx", []),
    ("#s7(1 2)", (1, 1), "unknown # syntax: #s7",
     ["arrays are written #2((1 2) (3 4)), #u8(1 2), #1@1(a b); bit vectors #*1010"]),
    ("#*102", (1, 1), "unknown # syntax: #*102",
     ["arrays are written #2((1 2) (3 4)), #u8(1 2), #1@1(a b); bit vectors #*1010"]),
    ("(a #2q((1)))", (1, 4), "bad array #2q(...): unknown array type q; the types are "
     "a b vu8 u8 s8 u16 s16 u32 s32 u64 s64 f32 f64 c32 c64", []),
    ("#2((1 2) (3))", (1, 1), "bad array #2(...): the rows of an array must all have "
     "the same length", []),
    ("#u8(1 256)", (1, 1), "bad array #u8(...): an array of type u8 holds values in its "
     "range", []),
    ("#f64(a)", (1, 1), "bad array #f64(...): an array of type f64 holds real numbers", []),
    ("#2@1((1))", (1, 1), "bad array #2@1(...): give every dimension its bounds, or none",
     []),
    ("#0(1 2)", (1, 1), "bad array #0(...): a rank-0 array holds exactly one element", []),
    ("#2((1 . 2))", (1, 1), "bad array #2(...): an array's rows are proper lists", []),
    ("#2((1 2)", (1, 1), "missing ')' for the vector opened here", []),
    ("#vu8", (1, 1), "a bytevector is written #vu8( followed by its bytes and ')'", []),
    ("#vu8(a)", (1, 6), "a bytevector holds exact integers from 0 to 255, not a", []),
    ("#e1.5x", (1, 1), "unknown # object: #e1.5x", []),
    ("#x1/0", (1, 1), "unknown # object: #x1/0", []),
    ("#b2", (1, 1), "unknown # object: #b2", []),
    ("1e400", (1, 1), "number out of range: 1e400", []),
    ("(1e-400)", (1, 2), "number out of range: 1e-400", []),
    ("#:1", (1, 1), "keyword prefix #: not followed by a symbol: 1", []),
    ("#:", (1, 1), "#: must be followed by the keyword's name, as in #:key", []),
    ("#{abc", (1, 1), "end of input inside a #{...}# symbol: no closing }#", []),
    ("x #|a #| b |# c", (1, 3), "unterminated block comment: no closing |# for the #| here",
     []),
    ("#!foo", (1, 1), "unterminated #! ... !# comment: no closing !#", []),
    ("#!r6rs a", (1, 1), "the reader directive #!r6rs is not supported", []),
    ("(a . )", (1, 4), "expected a datum after '.' before ')'", []),
    ("(a . b c)", (1, 8), "only one datum may follow '.' in a dotted list", []),
    ("(1 . 2 . 3)", (1, 8), "only one '.' may appear in a dotted list", []),
    ("#(a . b)", (1, 5), "a vector cannot have a '.' tail", []),
    (". a", (1, 1), "unexpected '.' outside a list", []),
    ("'", (1, 1), "end of input after ' (quote): a datum must follow it", []),
    ("(a ')", (1, 4), "' (quote) must be followed by a datum, not ')'", []),
    ("`(a ,@)", (1, 5), ",@ (unquote-splicing) must be followed by a datum, not ')'", []),
    ("#~", (1, 1), "end of input after #~ (gexp): a datum must follow it", []),
    ("'.", (1, 1), "' (quote) must be followed by a datum, not '.'", []),
    ("a #;", (1, 3), "end of input after #; (datum comment): a datum must follow it", []),
    ("(a #;)", (1, 4), "#; (datum comment) must be followed by a datum, not ')'", []),
    ("(#; #; a)", (1, 5), "#; (datum comment) must be followed by a datum, not ')'", []),
    ("(x) #;#;\\", (1, 7), "end of input after #; (datum comment): a datum must follow it",
     []),
    ("(a '(b) ')", (1, 9), "' (quote) must be followed by a datum, not ')'", []),
]


@pytest.mark.parametrize("text,pos,message,hints", ERRORS, ids=[e[0] for e in ERRORS])
def test_errors(text, pos, message, hints):
    with pytest.raises(SchemeError) as info:
        read_all(text, "conf.scm")
    err = info.value
    cond = err.condition
    assert cond.key is Symbol("read-error")
    assert err.loc == Location("conf.scm", *pos)
    assert cond.message == message
    for hint in hints:
        assert hint in cond.hints


def test_error_text_for_a_person():
    with pytest.raises(SchemeError) as info:
        read_all("(service foo\n  (bar))\n(baz))\n", "config.scm")
    assert format_error(info.value) == (
        "config.scm:3:6: error: unexpected ')'\n"
        "hint: the form before it, started at 3:1, was already complete")


def test_missing_paren_is_located_by_indentation():
    text = ("(operating-system\n"
            "  (services (list (service a)\n"
            "                  (service b))\n"
            "  (host-name \"x\"))\n")
    with pytest.raises(SchemeError) as info:
        read_all(text, "c.scm")
    err = info.value
    assert err.loc == Location("c.scm", 1, 1)
    assert ("line 4 is indented no deeper than the list opened at 2:3: perhaps that list "
            "lacks a ')' before 4:3") in err.condition.hints


def test_errors_are_never_python_or_lark_exceptions():
    for text in ["(", ")", '"', "#", "#\\", "#|", "#;", "'", ".", "(.", "(. .)", "#(.",
                 "(a . b . c", "[)", "#vu8(", "#{", "#!", "(#", "\x00", "(\\", "#2(",
                 "#2(1 . 2)", "#0()", "#*", "#1@1:2(a)", "#2:0:1()", "#2@9999999999999(1)"]:
        try:
            read_all(text)
        except SchemeError:
            pass


# --- files, REPL completeness, startup ------------------------------------------------------

def test_read_file(tmp_path):
    path = tmp_path / "c.scm"
    path.write_text("(a)\n(b c)\n", encoding="utf-8")
    data = read_file(str(path))
    assert [write_string(d) for d in data] == ["(a)", "(b c)"]
    assert data[1].loc == Location(str(path), 2, 1)


def test_read_file_with_bad_utf8(tmp_path):
    path = tmp_path / "bad.scm"
    path.write_bytes(b'(a)\n("x\xff")\n')
    with pytest.raises(SchemeError) as info:
        read_file(str(path))
    assert info.value.loc == Location(str(path), 2, 4)
    assert info.value.condition.message == "invalid UTF-8 byte 0xff"


@pytest.mark.parametrize("text,complete", [
    ("", True), ("(a b)", True), ("(a b", False), ("(a (b)\n", False), ("#(1 2", False),
    ("#vu8(1", False), ('"abc', False), ('(display "a\n', False), ("#| comment", False),
    ("#| a #| b |# c", False), ("'", False), ("(a '", False), ("#;", False),
    ("(a . ", False), (")", True), ("(a]", True), ("#q", True), ("(a))", True),
    ('"a\\q"', True), ("; just a comment", True), ("(a) (b", False), (") (a", True),
    ("#!/usr/bin/guile -s", False), ("#{two", False), ("#{two words}#", True),
])
def test_is_complete(text, complete):
    assert is_complete(text) is complete


def _python(code: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=60)


def test_import_does_not_import_lark():
    out = _python("import sys, vsys.dsl.reader as r; print('lark' in sys.modules);"
                  "r.read_all('(a)'); print('lark' in sys.modules)")
    assert out.stdout.split() == ["False", "True"], out.stderr


def test_unwritable_cache_dir_falls_back_quietly(tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    out = _python("import vsys.dsl.reader as r; print(r.read_all('(a b)')[0].cdr.car.name)",
                  XDG_CACHE_HOME=str(blocker / "cache"))
    assert out.returncode == 0 and out.stdout.strip() == "b" and out.stderr == ""


def test_grammar_analysis_is_cached(tmp_path):
    code = "import vsys.dsl.reader as r; r.read_all('(a)')"
    first = _python(code, XDG_CACHE_HOME=str(tmp_path))
    assert first.returncode == 0, first.stderr
    cached = list((tmp_path / "vsys").glob("reader-*.lark-cache"))
    assert len(cached) == 1 and cached[0].stat().st_size > 0
    again = _python(code, XDG_CACHE_HOME=str(tmp_path))
    assert again.returncode == 0 and again.stderr == ""
    assert list((tmp_path / "vsys").glob("reader-*.lark-cache")) == cached


def test_stale_caches_are_removed(tmp_path):
    folder = tmp_path / "vsys"
    folder.mkdir()
    (folder / "reader-0000000000000000.lark-cache").write_bytes(b"old")
    out = _python("import vsys.dsl.reader as r; r.read_all('(a)')", XDG_CACHE_HOME=str(tmp_path))
    assert out.returncode == 0, out.stderr
    names = [p.name for p in folder.iterdir()]
    assert len(names) == 1 and names[0] != "reader-0000000000000000.lark-cache"


def test_corrupt_cache_is_rebuilt(tmp_path):
    code = "import vsys.dsl.reader as r; print(len(r.read_all('(a) (b)')))"
    assert _python(code, XDG_CACHE_HOME=str(tmp_path)).returncode == 0
    (cached,) = (tmp_path / "vsys").glob("reader-*.lark-cache")
    cached.write_bytes(cached.read_bytes()[:100])
    out = _python(code, XDG_CACHE_HOME=str(tmp_path))
    assert out.returncode == 0 and out.stdout.strip() == "2" and out.stderr == ""


# --- robustness --------------------------------------------------------------------------

PIECES = st.sampled_from(list("()[]#\\\"';`,@.|!:{}~$+-0123456789aexbvu8tf \n\t;λ")
                         + ["#|", "|#", "#;", "#\\", "#(", "#vu8(", "#{", "}#", "\\x", "1e400"])


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=30).map("".join))
def test_any_text_reads_or_fails_with_a_located_read_error(text):
    try:
        read_all(text, "f.scm")
    except SchemeError as err:
        assert err.condition.key is Symbol("read-error")
        lines = text.split("\n")
        assert err.loc.file == "f.scm"
        assert 1 <= err.loc.line <= len(lines)
        assert 1 <= err.loc.column <= len(lines[err.loc.line - 1].expandtabs(8)) + 1
    assert is_complete(text) in (True, False)


def test_integers_longer_than_pythons_conversion_limit():
    """Python converts at most 4300 decimal digits at once; Scheme reads and prints any
    integer (a 5000-digit literal was a Python ValueError)."""
    digits = "7" * 5000
    assert read1(digits) == int("7" * 2500) * 10 ** 2500 + int("7" * 2500)
    assert read1(f"-{digits}/3") == Fraction(-read1(digits), 3)
    assert read1(f"#e{digits}.5") == Fraction(2 * read1(digits) + 1, 2)
    assert parse_number(digits) == read1(digits)
    assert eval_string(f'(with-output-to-string (lambda () (display {digits})))') == digits
    assert eval_string(f'(format #f "~a" {digits})') == digits
