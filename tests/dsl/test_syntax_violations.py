"""A malformed form is Guile's syntax error (the same key, words and handler arguments, so
a config that catches it behaves as on Guix) and vsys's located error with a hint; no
malformed use of a core form is an internal error."""

from __future__ import annotations

import pytest
from support.cli import run_vsys

from vsys.dsl import api
from vsys.dsl.errors import SchemeError, format_error
from vsys.dsl.modules import existing_module
from vsys.dsl.printer import write_string
from vsys.dsl.special_forms import SpecialForm


def fail(src: str) -> str:
    with pytest.raises(SchemeError) as info:
        api.with_big_stack(api.eval_string, src, None, "config.scm")
    return format_error(info.value)


def test_a_config_with_a_malformed_let_stops_with_guiles_words_located(tmp_path):
    config = tmp_path / "config.scm"
    config.write_text('(display "before")\n(newline)\n(define (f x)\n  (let (x) 1))\n')
    done = run_vsys("run", config)
    assert done.returncode != 0
    assert done.stdout == "before\n"   # the forms before it ran, as in Guile
    assert done.stderr.splitlines() == [
        f"{config}:4:8: error: let: bad let in form (let (x) 1)",
        "hint: the binding x is not (NAME VALUE): write it as (let ((x 1) (y 2)) BODY...)"]


@pytest.mark.parametrize("src,lines", [
    ("(lambda (x x) x)", [
        "config.scm:1:1: error: lambda: duplicate identifier in argument list in form (x x)",
        "hint: the parameter x is named twice"]),
    ("(define (f a 1) a)", [
        "config.scm:1:1: error: lambda: invalid argument list in subform (1) of (a 1)",
        "hint: a parameter is a name, not 1"]),
    ("(if)", [
        "config.scm:1:1: error: source expression failed to match any pattern in form (if)",
        "hint: if takes 2 to 3 operands, not 0: write it as (if TEST THEN [ELSE])"]),
    ("(set! 1 2)", [
        "config.scm:1:1: error: set!: bad set! in form (set! 1 2)",
        "hint: set! changes a variable, not 1: write it as (set! NAME VALUE)"]),
    ("(quote a b)", [
        "config.scm:1:1: error: quote: bad syntax in form (quote a b)",
        "hint: quote takes 1 operand, not 2: write it as (quote DATUM)"]),
    ("(cond (else 1)\n      (#t 2))", [
        "config.scm:1:7: error: cond: else must be the last clause in subform (else 1) of "
        "(cond (else 1) (#t 2))",
        "hint: move the else clause to the end"]),
    ("(let ()\n  (define x 1))", [
        "config.scm:1:1: error: body should end with an expression in form "
        "(let () (define x 1))",
        "hint: let body has no expression after its definitions: a body must end with an "
        "expression that gives its value"]),
    ("(list 1\n  ())", [
        "config.scm:2:3: error: unexpected syntax in form ()",
        "hint: () has no procedure to call: to write the empty list as a value, quote it: '()"]),
    ("(define-syntax two (syntax-rules () ((_ a b) (list a b))))\n(two 1)", [
        "config.scm:2:1: error: source expression failed to match any pattern in form (two 1)",
        "hint: no pattern of macro two matches: two accepts (_ a b)"]),
])
def test_malformed_forms_say_what_guile_says_where_vsys_finds_them(src, lines):
    assert fail(src).splitlines() == lines


def test_a_handler_gets_guiles_arguments_for_a_syntax_error():
    got = api.eval_string("""
      (catch 'syntax-error
        (lambda () (eval '(let ((x 1) (x 2)) x) (interaction-environment)))
        (lambda (key who message props form subform)
          (list key who message form subform)))""")
    assert write_string(got) == \
        '(syntax-error let "duplicate bound variable" (let ((x 1) (x 2)) x) #f)'


def test_a_syntax_error_in_read_data_carries_the_ports_name_and_position():
    got = api.eval_string("""
      (catch 'syntax-error
        (lambda ()
          (eval (call-with-input-string "\\n\\n    (if)"
                  (lambda (port) (set-port-filename! port "data.scm") (read port)))
                (interaction-environment)))
        (lambda (key who message props . rest) props))""")
    assert write_string(got) == '((filename . "data.scm") (line . 2) (column . 4))'


# Operands that break each part of a form: counts, improper lists, bindings without values,
# atoms where lists go, repeated names, clauses of the wrong shape.
MALFORMED_OPERANDS = [
    "", "1", "x", "(x)", "((x))", "((x 1) . 2)", ". 1", "x . 1", '"a" "b"', "(x 1) 2",
    "((x 1)) . 3", "() ()", "((1 2)) 3", "x ()", "x (y)", "(x) 1", "((x)) 3", "(x 1 2)",
    "((x 1 2)) 3", "#:foo", "(else)", "1 (else)", "1 ((1) =>)", "(1 =>)", "((x . 1)) 1",
    "(x . y) 1", "((x 1) (x 2)) x", "1 2 3 4 5", "(#:key) 1", "(#:optional (x 1 2)) x",
    '"doc"', "(())", "(() 1)", "((x y) 1)", "x y z", "(((a)) 1) 1", "1 . 2", "((1) 2)",
]


def _guile_special_forms() -> list[str]:
    guile = existing_module(("guile",))
    names = []
    for sym in list(guile.bindings):
        box = guile.lookup(sym)
        if box is not None and type(box.value) is SpecialForm:
            names.append(sym.name)
    return sorted(names)


def test_no_malformed_use_of_a_core_form_is_an_internal_error():
    api.eval_string("1")          # the language is loaded
    names = _guile_special_forms()
    assert {"let", "lambda", "cond", "case", "let-values", "let-syntax"} <= set(names)
    internal = []
    for name in names:
        for ops in MALFORMED_OPERANDS:
            src = f"(lambda () ({name} {ops}))"
            try:
                api.with_big_stack(api.eval_string, src, None, "config.scm")
            except SchemeError:
                pass
            except Exception as e:          # noqa: BLE001 (any other is the bug sought)
                internal.append(f"{src}: {type(e).__name__}: {e}")
    assert internal == []

