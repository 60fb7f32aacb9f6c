"""Every error a config author can cause: exact location, message and hints."""

from __future__ import annotations

import pytest

from vsys.dsl import api
from vsys.dsl.datatypes import Symbol, is_string
from vsys.dsl.errors import SchemeError, format_error
from vsys.dsl.records import Field, FieldType, RecordType, install_record_type


def fail(src: str, filename: str = "config.scm") -> str:
    with pytest.raises(SchemeError) as info:
        api.with_big_stack(api.eval_string, src, None, filename)
    return format_error(info.value)


def test_unbound_variable_names_the_closest_visible_names():
    text = fail("(define childhurd-os 1)\n(list %childhurd-os)")
    assert text == ("config.scm:2:7: error: unbound variable: %childhurd-os\n"
                    "hint: did you mean childhurd-os?")


def test_unbound_variable_sees_local_names_too():
    text = fail("(define (f)\n  (let ((memory-size 5))\n    (+ memory-sise 1)))\n(f)")
    assert text.splitlines() == [
        "config.scm:3:8: error: unbound variable: memory-sise",
        "hint: did you mean memory-size?"]


def test_unbound_operator_is_located_at_the_call():
    assert fail("  (frobnicate 1 2)").startswith(
        "config.scm:1:3: error: unbound variable: frobnicate")


def test_wrong_number_of_arguments_names_procedure_parameters_and_call():
    text = fail("(define (plain name content) content)\n\n   (plain \"x\")")
    assert text.splitlines() == [
        "config.scm:3:4: error: wrong number of arguments to plain: expected 2 arguments, "
        "got 1",
        "hint: plain is called as (plain name content)",
        "hint: plain is defined at config.scm:1:1"]


def test_wrong_number_of_arguments_to_a_primitive():
    text = fail("(car 1 2)")
    assert text.splitlines()[0] == (
        "config.scm:1:1: error: wrong number of arguments to car: expected 1 argument, got 2")


def test_wrong_type_names_procedure_position_and_value():
    text = fail("(define x 5)\n(car x)")
    assert text == ("config.scm:2:1: error: car: wrong type argument in position 1 "
                    "(expecting pair): 5")


def test_error_message_with_irritants():
    text = fail('(error "memory size must be positive:" -5 "MiB")')
    assert text == 'config.scm:1:1: error: memory size must be positive: -5 "MiB"'


def test_raise_of_a_non_condition():
    assert fail("(raise 'boom)") == "config.scm:1:1: error: uncaught exception: boom"


def test_calling_a_non_procedure_hints_at_parentheses():
    text = fail('(define name "x")\n((name))')
    assert text.splitlines() == [
        'config.scm:2:2: error: wrong type to apply: "x"',
        "hint: an extra pair of parentheses around a value calls it; check the "
        "parentheses here"]


def test_unknown_record_field_with_closest_field():
    text = fail("(use-modules (srfi srfi-9))\n"
                "(define-record-type <vm> (make-vm cpu) vm? (cpu vm-cpu))\n"
                "(vm-cpu 5)")
    assert text == ("config.scm:3:1: error: vm-cpu: wrong type argument in position 1 "
                    "(expecting <vm>): 5")


def test_config_record_unknown_field_duplicate_and_missing():
    module = api.fresh_module()
    rtype = RecordType("demo-configuration", [
        Field("tls-port", FieldType("string", is_string), "16514", doc="Port for TLS."),
        Field("name", FieldType("string", is_string), doc="A required name."),
    ])
    install_record_type(module, rtype)
    assert module.lookup(Symbol("demo-configuration")) is not None

    def err(src):
        with pytest.raises(SchemeError) as info:
            api.eval_string(src, module, "c.scm")
        return format_error(info.value)

    assert err('(demo-configuration\n  (name "a")\n  (tls-prot "1"))').splitlines() == [
        "c.scm:3:3: error: demo-configuration has no field named tls-prot",
        "hint: did you mean tls-port?",
        "hint: the fields of demo-configuration are: tls-port, name"]
    assert err('(demo-configuration (name "a") (name "b"))').splitlines()[0] == (
        "c.scm:1:32: error: field name is given twice in demo-configuration")
    assert err('(demo-configuration (tls-port "1"))').splitlines() == [
        "c.scm:1:1: error: demo-configuration is missing its required field name",
        "hint: add (name VALUE) inside (demo-configuration ...)"]
    assert err('(demo-configuration (name "a") (tls-port 16555))').splitlines() == [
        "c.scm:1:42: error: field tls-port of demo-configuration must be a string, got 16555",
        "hint: tls-port: Port for TLS."]


def test_definition_in_expression_context():
    assert fail("(define (f) (if #t (define x 1) 2))").startswith(
        "config.scm:1:20: error: definition in expression context")


def test_bad_let_binding():
    text = fail("(let ((x 1 2)) x)")
    assert text.splitlines() == [
        "config.scm:1:7: error: let: bad let in form (let ((x 1 2)) x)",
        "hint: the binding (x 1 2) is not (NAME VALUE): write it as (let ((x 1) (y 2)) BODY...)"]


def test_syntax_rules_without_matching_pattern():
    text = fail("(define-syntax two (syntax-rules () ((_ a b) (list a b))))\n(two 1)")
    assert text.splitlines() == [
        "config.scm:2:1: error: source expression failed to match any pattern in form (two 1)",
        "hint: no pattern of macro two matches: two accepts (_ a b)"]


def test_stack_overflow_is_a_scheme_error():
    text = fail("(define (down n) (+ 1 (down n)))\n(down 1)")
    assert "error: stack overflow" in text.splitlines()[0]


def test_used_before_definition():
    text = fail("(define (f)\n  (define a b)\n  (define b 1)\n  a)\n(f)")
    assert text.splitlines()[0] == (
        "config.scm:2:13: error: b is used before its definition has been evaluated")


def test_unknown_module():
    text = fail("(use-modules (gnu servises virtualization))")
    assert text.splitlines()[0] == (
        "config.scm:1:14: error: no module named (gnu servises virtualization)")


def test_read_error_is_located():
    text = fail("(define x 1)\n(list 1 2")
    assert text.startswith("config.scm:2:1: error:")


def test_keyword_argument_errors():
    text = fail("(define* (f #:key memory) memory)\n(f #:memroy 5)")
    assert text.splitlines()[:2] == [
        "config.scm:2:1: error: f: unrecognized keyword #:memroy",
        "hint: did you mean memory?"]
