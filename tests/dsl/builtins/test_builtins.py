"""The builtins through the module registry and their Python API: exact error keys and
messages, long lists, hash-table keys, ports, exit.  (Answers Guile gives are checked
wholesale in test_guile_cases.py.)"""

from __future__ import annotations

import io
import re
from fractions import Fraction

import pytest

from vsys.dsl import api
from vsys.dsl.datatypes import (
    EOF,
    NIL,
    Char,
    MString,
    Pair,
    Symbol,
    Values,
    Vector,
    from_list,
    to_list,
)
from vsys.dsl.errors import SchemeError
from vsys.dsl.modules import existing_module
from vsys.dsl.printer import display_string, write_string
from vsys.dsl.procedures import TailCall, call

api.boot()
from vsys.dsl.builtins import ports  # noqa: E402
from vsys.dsl.builtins.hashtables import HashTable  # noqa: E402
from vsys.dsl.builtins.misc import SchemeExit  # noqa: E402
from vsys.dsl.builtins.numbers import number_to_string  # noqa: E402
from vsys.dsl.builtins.predicates import equal_key, eqv_key  # noqa: E402


def proc(name: str, module: tuple = ("guile",)):
    return existing_module(module).lookup(Symbol(name)).value


def run(name: str, *args, module: tuple = ("guile",)):
    return call(proc(name, module), list(args))


def failure(name: str, *args, module: tuple = ("guile",)) -> tuple[str, str]:
    with pytest.raises(SchemeError) as info:
        run(name, *args, module=module)
    cond = info.value.condition
    return cond.key.name, cond.message


def scheme(text: str):
    return api.eval_string(text)


# --- errors ---------------------------------------------------------------------------

@pytest.mark.parametrize("name,args,key,message", [
    ("car", [NIL], "wrong-type-arg", "car: wrong type argument in position 1 (expecting pair): ()"),
    ("+", [1, "a"], "wrong-type-arg",
     '+: wrong type argument in position 2 (expecting number): "a"'),
    ("+", [1, True], "wrong-type-arg",
     "+: wrong type argument in position 2 (expecting number): #t"),
    ("vector-ref", [Vector([1, 2]), 5], "out-of-range", "vector-ref: argument 2 out of range: 5"),
    ("vector-ref", [Vector([1, 2]), True], "wrong-type-arg",
     "vector-ref: wrong type argument in position 2 (expecting exact integer): #t"),
    ("string-ref", ["abc", 3], "out-of-range", "string-ref: argument 2 out of range: 3"),
    ("length", [Pair(1, 2)], "wrong-type-arg",
     "length: wrong type argument in position 1 (expecting list): (1 . 2)"),
    ("/", [1, 0], "numerical-overflow", "/: numerical overflow"),
    ("modulo", [1, 0], "numerical-overflow", "modulo: numerical overflow"),
    # a fraction's huge power, like an integer's, is refused rather than computed
    ("expt", [Fraction(1, 2), 2 ** 70], "numerical-overflow", "expt: numerical overflow"),
    ("expt", [Fraction(-3, 1), -(2 ** 70)], "numerical-overflow", "expt: numerical overflow"),
    ("symbol->string", ["a"], "wrong-type-arg",
     'symbol->string: wrong type argument in position 1 (expecting symbol): "a"'),
    ("integer->char", [0xD800], "out-of-range", "integer->char: argument 1 out of range: 55296"),
    ("list->string", [from_list([Char("a"), 1])], "wrong-type-arg",
     "list->string: wrong type argument in position 1 (expecting character): 1"),
    ("apply", [proc("+"), 1, 2], "wrong-type-arg",
     "apply: wrong type argument in position 3 (expecting list): 2"),
])
def test_errors_carry_guile_key_and_a_plain_message(name, args, key, message):
    assert failure(name, *args) == (key, message)


def test_division_by_zero_gives_guile_catch_arguments():
    with pytest.raises(SchemeError) as info:
        run("/", 1, 0)
    assert info.value.condition.catch_args() == ("/", "Numerical overflow", False, False)


def test_arithmetic_type_errors_give_guile_catch_arguments():
    with pytest.raises(SchemeError) as info:
        run("+", 1, "a")
    args = info.value.condition.catch_args()
    assert args[:2] == ("+", "Wrong type argument in position ~A: ~S")
    assert write_string(args[2]) == '(2 "a")'


def test_string_set_on_a_literal_says_how_to_get_a_mutable_string():
    with pytest.raises(SchemeError) as info:
        run("string-set!", "abc", 0, Char("x"))
    cond = info.value.condition
    # Guile's error for a constant string (a literal, as compiled code has them)
    assert cond.key.name == "misc-error"
    assert cond.text() == 'string is read-only: "abc"'
    assert cond.origin == "string-set!"
    assert cond.hints == ["string literals are constant; make a mutable copy with "
                          "(string-copy ...)"]


def test_format_with_too_few_arguments():
    assert failure("format", False, "~a ~a", 1) == ("misc-error",
                                                    "format: too few arguments")


def test_format_with_an_unknown_directive():
    assert failure("format", False, "~q") == ("misc-error",
                                              "format: unsupported directive ~q")


# --- numbers ----------------------------------------------------------------------------

def test_exactness_and_rationals():
    assert run("/", 1, 3) == Fraction(1, 3)
    assert type(run("+", Fraction(1, 2), Fraction(1, 2))) is int
    assert run("expt", 2, 100) == 2 ** 100
    assert run("sqrt", 16) == 4 and type(run("sqrt", 16)) is int
    assert run("round", 2.5) == 2.0
    assert write_string(run("sqrt", -4)) == "0.0+2.0i"


def test_huge_integers_mix_with_floats():
    assert run("+", 10 ** 400, 1.0) == float("inf")
    assert run("exact->inexact", 10 ** 400) == float("inf")
    assert run("<", 10 ** 400, float("inf")) is True


def test_number_to_string_in_other_radixes_and_huge_ints():
    assert number_to_string(0.1, 16) == "0.1999999999999a"
    assert number_to_string(1e10, 2) == "1.00101010000001011111001e100001"
    assert number_to_string(-255, 16) == "-ff"
    assert number_to_string(10 ** 5000).startswith("1000")


def test_booleans_are_not_numbers():
    assert run("number?", True) is False
    assert run("integer?", False) is False
    assert failure("zero?", False)[0] == "wrong-type-arg"


# --- equivalence ------------------------------------------------------------------------

def test_eq_holds_for_small_integers_and_chars_not_bignums():
    assert run("eq?", 12345, 12345) is True
    assert run("eq?", Char("a"), Char("a")) is True
    assert run("eq?", 2 ** 100, int("1" + "0" * 31)) is False
    assert run("eq?", 1, True) is False


def test_hash_keys_keep_one_apart_from_one_point_zero_and_true():
    keys = {equal_key(1), equal_key(1.0), equal_key(True), equal_key(Fraction(1, 2)),
            equal_key(0.5)}
    assert len(keys) == 5
    assert equal_key("a") == equal_key(MString("a"))
    assert equal_key(from_list([1, "x"])) == equal_key(from_list([1, MString("x")]))
    assert eqv_key(0.0) != eqv_key(-0.0)
    assert eqv_key(float("nan")) == eqv_key(float("nan"))


def test_long_lists_never_recurse():
    n = 200_000
    lst = from_list(range(n))
    same = from_list(range(n))
    assert run("equal?", lst, same) is True
    assert run("length", lst) == n
    assert run("length", run("append", lst, same)) == 2 * n
    assert run("car", run("reverse", lst)) == n - 1
    assert run("car", run("sort", run("reverse", lst), proc("<"))) == 0
    assert len(equal_key(lst)[1]) == n
    assert write_string(run("list-tail", lst, n - 2)) == f"({n - 2} {n - 1})"


def test_srfi1_and_core_share_the_same_procedures():
    assert proc("length", ("srfi", "srfi-1")) is proc("length")
    assert proc("delete", ("srfi", "srfi-1")) is proc("delete")
    # as in Guile, SRFI-1 has its own map and for-each: they stop at the shortest list,
    # where the core's refuse lists of different lengths
    assert proc("map", ("srfi", "srfi-1")) is not proc("map")
    assert proc("for-each", ("srfi", "srfi-1")) is not proc("for-each")


# --- procedures and tail calls -------------------------------------------------------

def test_apply_hands_back_a_tail_call():
    plus = proc("+")
    result = proc("apply").fn(plus, 1, from_list([2, 3]))
    assert type(result) is TailCall and result.proc is plus and result.args == [1, 2, 3]
    assert run("apply", plus, 1, from_list([2, 3])) == 6


def test_loops_through_apply_in_tail_position_stay_proper():
    assert scheme("""
        (define (loop n acc) (if (= n 0) acc (apply loop (list (- n 1) (+ acc 1)))))
        (loop 100000 0)""") == 100000


def test_sort_is_stable():
    pairs = scheme("(sort '((b . 1) (a . 0) (c . 1) (d . 0)) (lambda (x y) (< (cdr x) (cdr y))))")
    assert [p.car.name for p in pairs] == ["a", "d", "b", "c"]
    assert to_list(run("sort", from_list([1, 1.0, 0]), proc("<"))) == [0, 1, 1.0]
    assert type(to_list(run("sort", from_list([1.0, 1]), proc("<")))[0]) is float


# --- strings ------------------------------------------------------------------------------

def test_only_constructors_make_mutable_strings():
    assert type(run("make-string", 2, Char("a"))) is MString
    assert type(run("string-copy", "ab")) is MString
    assert type(run("string", Char("a"))) is MString
    assert type(run("string-append", MString("a"), "b")) is str
    s = run("string-copy", "abc")
    run("string-set!", s, 0, Char("x"))
    assert str(s) == "xbc"
    assert run("string=?", s, "xbc") is True


# --- hash tables --------------------------------------------------------------------------

def test_hash_table_prints_like_guile_and_grows():
    table = run("make-hash-table")
    assert re.fullmatch(r"#<hash-table [0-9a-f]+ 0/31>", write_string(table))
    for i in range(40):
        run("hash-set!", table, i, i)
    assert write_string(table).endswith(" 40/61>")


def test_hash_table_handles_are_live_pairs():
    table = HashTable()
    run("hash-set!", table, "k", 1)
    handle = run("hash-get-handle", table, MString("k"))
    run("set-cdr!", handle, 2)
    assert run("hash-ref", table, "k") == 2


def test_char_set_prints_its_members_as_ranges():
    assert write_string(scheme("(char-set #\\b #\\a #\\d)")) == "#<charset {#\\a..#\\b #\\d}>"


# --- ports ----------------------------------------------------------------------------------

def test_set_current_output_returns_the_previous_port():
    buffer = io.StringIO()
    previous = ports.set_current_output(buffer)
    try:
        scheme('(display "hi") (write "x") (newline) (format #t "~a!" 42)')
    finally:
        ports.set_current_output(previous)
    assert buffer.getvalue() == 'hi"x"\n42!'


def test_output_to_context_manager_and_string_port():
    port = ports.StringOutputPort()
    with ports.output_to(port) as current:
        assert current is port
        scheme("(display '(1 \"two\" #\\3))")
    assert port.getvalue() == "(1 two 3)"
    assert ports.current_output() is not port


def test_default_output_follows_sys_stdout(capsys):
    scheme('(display "to stdout")')
    assert capsys.readouterr().out == "to stdout"


def test_port_printed_forms():
    assert write_string(ports.STDOUT) == "#<output: file 1>"
    assert re.fullmatch(r"#<output: string [0-9a-f]+>",
                        write_string(run("open-output-string")))
    assert re.fullmatch(r"#<input: string [0-9a-f]+>",
                        write_string(run("open-input-string", "x")))


def test_reading_from_an_input_stream():
    with ports.redirected("input", io.StringIO("(a b)\nsecond line\n")):
        datum = run("read")
        rest_of_line = run("read-line", module=("ice-9", "rdelim"))
        line = run("read-line", module=("ice-9", "rdelim"))
        end = run("read-char")
    assert write_string(datum) == "(a b)"
    assert rest_of_line == ""
    assert line == "second line"
    assert end is EOF


def test_read_takes_one_datum_at_a_time():
    port = run("open-input-string", '#;(skipped) foo "a;b" #\\( (x [y]) rest')
    data = [run("read", port) for _ in range(5)]
    assert [write_string(d) for d in data] == ["foo", '"a;b"', "#\\(", "(x (y))", "rest"]
    assert run("read", port) is EOF


def test_display_forms():
    assert display_string(scheme("(list 1.5 \"s\" #\\c 'sym)")) == "(1.5 s c sym)"


# --- exit and the command line -------------------------------------------------------------

@pytest.mark.parametrize("args,code", [([], 0), ([True], 0), ([False], 1), ([3], 3)])
def test_exit_raises_scheme_exit_with_the_status(args, code):
    with pytest.raises(SchemeExit) as info:
        run("exit", *args)
    assert info.value.code == code
    assert isinstance(info.value, SystemExit)


def test_command_line_is_set_by_the_front_end():
    ports.set_command_line(["config.scm", "--flag"])
    try:
        assert to_list(run("command-line")) == ["config.scm", "--flag"]
    finally:
        ports.set_command_line(["vsys"])


def test_multiple_values_from_list_procedures():
    result = run("partition", proc("even?"), from_list([1, 2, 3, 4]),
                 module=("srfi", "srfi-1"))
    assert type(result) is Values
    assert [write_string(v) for v in result.items] == ["(2 4)", "(1 3)"]
