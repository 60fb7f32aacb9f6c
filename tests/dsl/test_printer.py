"""The printer: `write` and `display` text exactly as Guile 3.0 prints it.

Every row of TABLE holds a Scheme expression, the same value built in Python, and the
text Guile 3.0.8 prints for it with `write` and with `display`.  The texts are
hard-coded so the tests run anywhere; when guile is installed, `test_table_is_guiles`
re-derives them from guile itself.
"""

from __future__ import annotations

import math
import shutil
import subprocess
from fractions import Fraction

import pytest

from vsys.dsl.datatypes import (
    DEFAULT,
    EOF,
    NIL,
    UNSPECIFIED,
    Char,
    Keyword,
    MString,
    Pair,
    Symbol,
    Vector,
    from_list,
)
from vsys.dsl.printer import display_string, float_text, write_string
from vsys.dsl.procedures import Primitive, Procedure

S = Symbol
L = from_list


def cyclic_cdr():
    cells = L([1, 2, 3])
    cells.cdr.cdr.cdr = cells
    return cells


def cyclic_middle():
    cells = L([1, 2, 3, 4, 5])
    last = cells
    while last.cdr is not NIL:
        last = last.cdr
    last.cdr = cells.cdr
    return cells


def cyclic_car():
    cells = L([1, 2])
    cells.car = cells
    return cells


def cyclic_inner_car():
    inner = L([1, 2])
    inner.cdr.car = inner
    return L([S("q"), inner])


def cyclic_vector():
    vec = Vector([1, 2])
    vec[0] = vec
    return vec


def shared_not_cyclic():
    inner = L([1, 2])
    return L([S("x"), L([S("y"), inner]), inner])


CONTROL = "".join(map(chr, range(32)))

# (scheme expression, python value, write text, display text); display None = same.
TABLE = [
    # exact numbers
    ("0", 0, "0", None),
    ("-17", -17, "-17", None),
    ("(expt 2 100)", 2 ** 100, "1267650600228229401496703205376", None),
    ("(- (expt 10 30))", -10 ** 30, "-1000000000000000000000000000000", None),
    ("1/3", Fraction(1, 3), "1/3", None),
    ("-7/2", Fraction(-7, 2), "-7/2", None),
    # floats: shortest digits; exponent form below 1e-3 and for large padded values
    ("1.0", 1.0, "1.0", None),
    ("0.1", 0.1, "0.1", None),
    ("100.0", 100.0, "100.0", None),
    ("123.456", 123.456, "123.456", None),
    ("-1.5", -1.5, "-1.5", None),
    ("0.0", 0.0, "0.0", None),
    ("-0.0", -0.0, "-0.0", None),
    ("(/ 1. 3)", 1 / 3, "0.3333333333333333", None),
    ("(/ 2. 3)", 2 / 3, "0.6666666666666666", None),
    ("0.001", 0.001, "0.001", None),
    ("0.0012", 0.0012, "0.0012", None),
    ("0.0001", 0.0001, "1.0e-4", None),
    ("0.00012", 0.00012, "1.2e-4", None),
    ("9.99e-4", 9.99e-4, "9.99e-4", None),
    ("1e-5", 1e-5, "1.0e-5", None),
    ("1.5e-5", 1.5e-5, "1.5e-5", None),
    ("1e-7", 1e-7, "1.0e-7", None),
    ("1e-10", 1e-10, "1.0e-10", None),
    ("1e-300", 1e-300, "1.0e-300", None),
    ("5e-324", 5e-324, "5.0e-324", None),
    ("1e6", 1e6, "1000000.0", None),
    ("1.5e6", 1.5e6, "1500000.0", None),
    ("1234567.0", 1234567.0, "1234567.0", None),
    ("1e7", 1e7, "1.0e7", None),
    ("1.5e7", 1.5e7, "1.5e7", None),
    ("12345600.0", 12345600.0, "12345600.0", None),
    ("123456789.0", 123456789.0, "123456789.0", None),
    ("1e10", 1e10, "1.0e10", None),
    ("1234567890000.0", 1234567890000.0, "1.23456789e12", None),
    ("1.2345678e17", 1.2345678e17, "1.2345678e17", None),
    ("12345678901234567890.0", 12345678901234567890.0, "12345678901234567000.0", None),
    ("123456789012345678901.0", 123456789012345678901.0, "1.2345678901234568e20", None),
    ("9007199254740993.0", 9007199254740993.0, "9007199254740992.0", None),
    ("1e20", 1e20, "1.0e20", None),
    ("1e21", 1e21, "1.0e21", None),
    ("1e22", 1e22, "1.0e22", None),
    ("1.5e300", 1.5e300, "1.5e300", None),
    ("1.7976931348623157e308", 1.7976931348623157e308, "1.7976931348623157e308", None),
    ("(/ 1. 0.)", math.inf, "+inf.0", None),
    ("(/ -1. 0.)", -math.inf, "-inf.0", None),
    ("(/ 0. 0.)", math.nan, "+nan.0", None),
    ("(make-rectangular 1.0 2.0)", complex(1, 2), "1.0+2.0i", None),
    ("(make-rectangular 1.5 -2.0)", complex(1.5, -2), "1.5-2.0i", None),
    ("(make-rectangular 0.0 1.0)", complex(0, 1), "0.0+1.0i", None),
    ("(make-rectangular 1.0 (/ 1. 0.))", complex(1, math.inf), "1.0+inf.0i", None),
    ("(make-rectangular -1.0 -1e21)", complex(-1, -1e21), "-1.0-1.0e21i", None),
    # strings: write escapes what is not graphic; display is raw
    ('"abc"', "abc", '"abc"', "abc"),
    ('""', "", '""', ""),
    ('"a\\"b\\\\c|d(e"', 'a"b\\c|d(e', '"a\\"b\\\\c|d(e"', 'a"b\\c|d(e'),
    ('"a\\nb\\tc"', "a\nb\tc", '"a\\nb\\tc"', "a\nb\tc"),
    ("(list->string (map integer->char (iota 32)))", CONTROL,
     '"\\x00\\x01\\x02\\x03\\x04\\x05\\x06\\a\\b\\t\\n\\v\\f\\r\\x0e\\x0f\\x10\\x11\\x12'
     '\\x13\\x14\\x15\\x16\\x17\\x18\\x19\\x1a\\x1b\\x1c\\x1d\\x1e\\x1f"', CONTROL),
    ("(list->string (map integer->char '(127 128 159 160 173 133)))",
     "\x7f\x80\x9f\xa0\xad\x85", '"\\x7f\\x80\\x9f\\xa0\\xad\\x85"', "\x7f\x80\x9f\xa0\xad\x85"),
    ("(list->string (map integer->char '(255 256 955 768 128512)))",
     "ÿĀλ\u0300😀", '"ÿĀλ\u0300😀"', "ÿĀλ\u0300😀"),
    ("(list->string (map integer->char '(#x2028 #x200b #xfeff #xe000 #xd7ff #x10ffff)))",
     "\u2028\u200b\ufeff\ue000\ud7ff\U0010ffff",
     '"\\u2028\\u200b\\ufeff\\ue000\\ud7ff\\U10ffff"',
     "\u2028\u200b\ufeff\ue000\ud7ff\U0010ffff"),
    ('(string-copy "mutable")', MString("mutable"), '"mutable"', "mutable"),
    # characters
    ("#\\a", Char("a"), "#\\a", "a"),
    ("#\\A", Char("A"), "#\\A", "A"),
    ("#\\space", Char(" "), "#\\space", " "),
    ("#\\newline", Char("\n"), "#\\newline", "\n"),
    ("#\\tab", Char("\t"), "#\\tab", "\t"),
    ("#\\nul", Char("\0"), "#\\nul", "\0"),
    ("(integer->char 1)", Char("\x01"), "#\\soh", "\x01"),
    ("#\\alarm", Char("\a"), "#\\alarm", "\a"),
    ("#\\backspace", Char("\b"), "#\\backspace", "\b"),
    ("#\\vtab", Char("\v"), "#\\vtab", "\v"),
    ("#\\page", Char("\f"), "#\\page", "\f"),
    ("#\\return", Char("\r"), "#\\return", "\r"),
    ("#\\escape", Char("\x1b"), "#\\esc", "\x1b"),
    ("(integer->char 31)", Char("\x1f"), "#\\us", "\x1f"),
    ("#\\delete", Char("\x7f"), "#\\delete", "\x7f"),
    ("(integer->char #x80)", Char("\x80"), "#\\200", "\x80"),
    ("(integer->char #xa0)", Char("\xa0"), "#\\240", "\xa0"),
    ("(integer->char #x2028)", Char("\u2028"), "#\\20050", "\u2028"),
    ("(integer->char #x10ffff)", Char("\U0010ffff"), "#\\4177777", "\U0010ffff"),
    ("(integer->char #x300)", Char("\u0300"), "#\\\u25cc\u0300", "\u0300"),
    ("#\\λ", Char("λ"), "#\\λ", "λ"),
    ("#\\(", Char("("), "#\\(", "("),
    ("#\\\\", Char("\\"), "#\\\\", "\\"),
    ('#\\"', Char('"'), '#\\"', '"'),
    ("#\\;", Char(";"), "#\\;", ";"),
    # symbols: #{...}# when bare text would not read back (display prints the same)
    ("'abc", S("abc"), "abc", None),
    ("'%base-services", S("%base-services"), "%base-services", None),
    ("(string->symbol \"\")", S(""), "#{}#", None),
    ("(string->symbol \"a b\")", S("a b"), "#{a b}#", None),
    ("(string->symbol \"1+\")", S("1+"), "#{1+}#", None),
    ("(string->symbol \"1\")", S("1"), "#{1}#", None),
    ("(string->symbol \"+1\")", S("+1"), "#{+1}#", None),
    ("(string->symbol \"1a\")", S("1a"), "#{1a}#", None),
    ("(string->symbol \"1/2\")", S("1/2"), "#{1/2}#", None),
    ("(string->symbol \"+inf.0\")", S("+inf.0"), "#{+inf.0}#", None),
    ("(string->symbol \"+i\")", S("+i"), "#{+i}#", None),
    ("(string->symbol \"1e2\")", S("1e2"), "#{1e2}#", None),
    ("(string->symbol \"1.\")", S("1."), "#{1.}#", None),
    ("(string->symbol \".\")", S("."), "#{.}#", None),
    ("'..", S(".."), "..", None),
    ("'...", S("..."), "...", None),
    ("'+", S("+"), "+", None),
    ("'-", S("-"), "-", None),
    ("'-a", S("-a"), "-a", None),
    ("'+a", S("+a"), "+a", None),
    ("'.a", S(".a"), ".a", None),
    ("'-.", S("-."), "-.", None),
    ("'->", S("->"), "->", None),
    ("(string->symbol \"#a\")", S("#a"), "#{#a}#", None),
    ("(string->symbol \"a#\")", S("a#"), "#{a#}#", None),
    ("(string->symbol \"#t\")", S("#t"), "#{#t}#", None),
    ("'a'b", S("a'b"), "a'b", None),
    ("'a,b", S("a,b"), "a,b", None),
    ("(string->symbol \"'a\")", S("'a"), "#{'a}#", None),
    ("(string->symbol \",a\")", S(",a"), "#{,a}#", None),
    ("(string->symbol \"`a\")", S("`a"), "#{`a}#", None),
    ("(string->symbol \"a;b\")", S("a;b"), "#{a;b}#", None),
    ("(string->symbol \"a\\\"b\")", S('a"b'), '#{a"b}#', None),
    ("(string->symbol \"a(b\")", S("a(b"), "#{a\\x28;b}#", None),
    ("(string->symbol \"a[b\")", S("a[b"), "#{a\\x5b;b}#", None),
    ("(string->symbol \"a}b\")", S("a}b"), "#{a\\x7d;b}#", None),
    ("(string->symbol \"a}#b\")", S("a}#b"), "#{a\\x7d;#b}#", None),
    ("'a|b", S("a|b"), "a|b", None),
    ("'|a", S("|a"), "|a", None),
    ("'a\\b", S("a\\b"), "a\\b", None),
    ("(string->symbol \"a b\\\\c\")", S("a b\\c"), "#{a b\\c}#", None),
    ("(string->symbol \"a\\nb\")", S("a\nb"), "#{a\\xa;b}#", None),
    ("(string->symbol \"a\\tb\")", S("a\tb"), "#{a\\x9;b}#", None),
    ("(string->symbol (string #\\a (integer->char 127)))", S("a\x7f"), "#{a\\x7f;}#", None),
    ("(string->symbol (string #\\a (integer->char 160) #\\b))", S("a\xa0b"), "#{a\xa0b}#", None),
    ("(string->symbol (string (integer->char 171) #\\a (integer->char 187)))", S("«a»"),
     "#{\\xab;a\\xbb;}#", None),
    ("(string->symbol (string (integer->char 768) #\\a))", S("\u0300a"), "\u0300a", None),
    ("'λ", S("λ"), "λ", None),
    ("'a:", S("a:"), "a:", None),
    ("':a", S(":a"), ":a", None),
    ("(string->symbol \":a b\")", S(":a b"), ":a b", None),
    ("(string->symbol \"a b:\")", S("a b:"), "a b:", None),
    # keywords
    ("#:foo", Keyword("foo"), "#:foo", None),
    ("(symbol->keyword (string->symbol \"a b\"))", Keyword("a b"), "#:#{a b}#", None),
    ("(symbol->keyword (string->symbol \"\"))", Keyword(""), "#:#{}#", None),
    # other constants
    ("#t", True, "#t", None),
    ("#f", False, "#f", None),
    ("'()", NIL, "()", None),
    ("(if #f #f)", UNSPECIFIED, "#<unspecified>", None),
    ("(call-with-input-string \"\" read)", EOF, "#<eof>", None),
    # lists, quote forms (Guile 3 prints them long), vectors, bytevectors
    ("'(1 2 3)", L([1, 2, 3]), "(1 2 3)", None),
    ("'(1 . 2)", Pair(1, 2), "(1 . 2)", None),
    ("'(1 2 . 3)", L([1, 2], 3), "(1 2 . 3)", None),
    ("'((a) (b (c)) ())", L([L([S("a")]), L([S("b"), L([S("c")])]), NIL]),
     "((a) (b (c)) ())", None),
    ("'''a", L([S("quote"), L([S("quote"), S("a")])]), "(quote (quote a))", None),
    ("'`(a ,b ,@c)", L([S("quasiquote"), L([S("a"), L([S("unquote"), S("b")]),
                                           L([S("unquote-splicing"), S("c")])])]),
     "(quasiquote (a (unquote b) (unquote-splicing c)))", None),
    ("'(quote)", L([S("quote")]), "(quote)", None),
    ("'(quote a b)", L([S("quote"), S("a"), S("b")]), "(quote a b)", None),
    ("'(quote . a)", Pair(S("quote"), S("a")), "(quote . a)", None),
    ("'#(quote a)", Vector([S("quote"), S("a")]), "#(quote a)", None),
    ("'#()", Vector(), "#()", None),
    ("'#(1 #(2) \"s\" #\\c)", Vector([1, Vector([2]), "s", Char("c")]),
     '#(1 #(2) "s" #\\c)', "#(1 #(2) s c)"),
    ("#vu8()", bytearray(), "#vu8()", None),
    ("#vu8(1 2 255)", bytearray([1, 2, 255]), "#vu8(1 2 255)", None),
    ("(list \"a\\nb\" #\\x 'sym #:k 1.5 (string->symbol \"a b\") #\\space)",
     L(["a\nb", Char("x"), S("sym"), Keyword("k"), 1.5, S("a b"), Char(" ")]),
     '("a\\nb" #\\x sym #:k 1.5 #{a b}# #\\space)', "(a\nb x sym #:k 1.5 #{a b}#  )"),
    ("(cons \"tail\" \"s\")", Pair("tail", "s"), '("tail" . "s")', "(tail . s)"),
    # cycles and sharing, in Guile's #N# notation
    ("(let ((l (list 1 2 3))) (set-cdr! (cddr l) l) l)", cyclic_cdr(), "(1 2 3 . #-2#)", None),
    ("(let ((l (list 1 2 3 4 5))) (set-cdr! (list-tail l 4) (cdr l)) l)", cyclic_middle(),
     "(1 2 3 4 5 . #-3#)", None),
    ("(let ((l (list 1 2))) (set-car! l l) l)", cyclic_car(), "(#0# 2)", None),
    ("(let ((l (list 1 2))) (set-car! (cdr l) l) (list 'q l))", cyclic_inner_car(),
     "(q (1 #-1#))", None),
    ("(let ((v (vector 1 2))) (vector-set! v 0 v) v)", cyclic_vector(), "#(#0# 2)", None),
    ("(let ((l (list 1 2))) (list 'x (list 'y l) l))", shared_not_cyclic(),
     "(x (y (1 2)) (1 2))", None),
]

IDS = [row[0] for row in TABLE]


@pytest.mark.parametrize("expr,value,written,displayed", TABLE, ids=IDS)
def test_write(expr, value, written, displayed):
    assert write_string(value) == written


@pytest.mark.parametrize("expr,value,written,displayed", TABLE, ids=IDS)
def test_display(expr, value, written, displayed):
    assert display_string(value) == (written if displayed is None else displayed)


@pytest.mark.skipif(shutil.which("guile") is None, reason="guile is not installed")
def test_table_is_guiles(tmp_path):
    """The hard-coded texts are what guile itself prints."""
    # Each text goes out as a list of code points: any character may occur in them.
    codes = "(lambda (show) (write (map char->integer (string->list " \
            "(with-output-to-string (lambda () (show x)))))) (newline))"
    script = "".join(f"(let ((x {expr})) (for-each {codes} (list write display)))\n"
                     for expr, _, _, _ in TABLE)
    path = tmp_path / "table.scm"
    path.write_text(script, encoding="utf-8")
    out = subprocess.run(["guile", "--no-auto-compile", str(path)], capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert len(lines) == 2 * len(TABLE)
    for i, (expr, _, written, displayed) in enumerate(TABLE):
        guile_write, guile_display = ("".join(map(chr, map(int, line.strip("()").split())))
                                      for line in lines[2 * i:2 * i + 2])
        assert (guile_write, guile_display) == (
            written, written if displayed is None else displayed), expr


def test_huge_integer():
    assert write_string(10 ** 5000) == "1" + "0" * 5000
    assert write_string(-(10 ** 5000) - 7) == "-1" + "0" * 4999 + "7"


def test_float_text_is_the_float_spelling():
    assert float_text(2.5) == "2.5" and float_text(1e100) == "1.0e100"


def test_long_list_prints_without_recursion():
    n = 100_000
    text = write_string(L(list(range(n))))
    assert text == "(" + " ".join(map(str, range(n))) + ")"


def test_deep_nesting_prints_without_recursion():
    deep: object = NIL
    for _ in range(50_000):
        deep = Pair(deep, NIL)
    assert write_string(deep) == "(" * 50_000 + "()" + ")" * 50_000
    vec: object = Vector()
    for _ in range(50_000):
        vec = Vector([vec])
    assert write_string(vec) == "#(" * 50_001 + ")" * 50_001


class Record:
    def __init__(self, name):
        self.name = name

    def scheme_repr(self, write: bool) -> str:
        return f"#<thing {write_string(self.name) if write else display_string(self.name)}>"


def test_objects_print_themselves():
    rec = Record("x")
    assert write_string(rec) == '#<thing "x">'
    assert display_string(rec) == "#<thing x>"
    assert write_string(L([1, rec])) == '(1 #<thing "x">)'
    assert display_string(Vector([rec])) == "#(#<thing x>)"


class Lambda(Procedure):
    __slots__ = ("name", "params")

    def __init__(self, name, params):
        self.name = name
        self.params = params


@pytest.mark.parametrize("proc,text", [
    (Primitive("car", lambda p: p.car, 1, 1, "pair"), "#<procedure car (pair)>"),
    (Primitive("newline", lambda: None, 0, 0, ""), "#<procedure newline ()>"),
    (Lambda("f", "a b"), "#<procedure f (a b)>"),
    (Lambda("g", "a . rest"), "#<procedure g (a . rest)>"),
    (Lambda("h", "a #:optional b #:key c"), "#<procedure h (a #:optional b #:key c)>"),
    (Lambda("k", ". args"), "#<procedure k args>"),
    (Lambda(None, "x"), "#<procedure anonymous (x)>"),
])
def test_procedures(proc, text):
    assert write_string(proc) == text
    assert display_string(proc) == text
    assert write_string(L([proc])) == f"({text})"


def test_pair_repr_uses_the_printer():
    assert repr(L([S("a"), "b"])) == '<Pair (a "b")>'


def test_values_that_are_not_scheme_data_still_print():
    assert write_string(DEFAULT) == "#<default>"
    assert write_string(L([DEFAULT])) == "(#<default>)"
