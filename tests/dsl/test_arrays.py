"""Arrays, bit vectors and SRFI-4 vectors: what a config author sees when one is wrong
(a located error with a hint, never a Python exception or a half-made array), and the
sharing of storage between an array and its views.  The values themselves are checked
against Guile by the corpus (tests/corpus/440-449)."""

from __future__ import annotations

import pytest

from vsys.dsl import api
from vsys.dsl.errors import SchemeError, format_error
from vsys.dsl.printer import write_string


def fail(src: str, filename: str = "config.scm") -> str:
    with pytest.raises(SchemeError) as info:
        api.with_big_stack(api.eval_string, src, None, filename)
    return format_error(info.value)


def ev(src: str) -> str:
    return write_string(api.with_big_stack(api.eval_string, src, None, "config.scm"))


def test_a_bad_dimension_is_located_with_how_to_write_one():
    assert fail("(define a 1)\n  (make-array 0 '(3 1))").splitlines() == [
        "config.scm:2:3: error: make-array: bad array dimension (3 1)",
        "hint: a dimension is a length N, or the bounds (LOW HIGH) with HIGH >= LOW - 1"]


def test_an_index_out_of_bounds_names_the_position():
    assert fail("(array-ref (make-array 0 '(1 2) 3) 0 1)") == (
        "config.scm:1:1: error: array-ref: argument 2 out of range: 0")


def test_a_typed_array_refuses_what_its_type_cannot_hold():
    assert fail("(array-set! (make-typed-array 'u8 0 2) 256 0)") == (
        "config.scm:1:1: error: array-set!: argument 2 out of range: 256")
    assert fail("(array-set! (make-typed-array 'f64 0 2) 'x 0)") == (
        "config.scm:1:1: error: array-set!: wrong type argument in position 2 "
        "(expecting real number): x")


def test_a_huge_array_is_refused_before_any_memory_is_taken():
    assert fail("(make-array 0 100000 100000 100000)") == (
        "config.scm:1:1: error: make-array: an array of 1000000000000000 elements is "
        "too large")


def test_copying_between_shapes_that_differ_says_so():
    assert fail("(array-copy! #(1 2 3) (make-array 0 '(1 3)))").splitlines() == [
        "config.scm:1:1: error: array shape mismatch #(1 2 3)",
        "hint: the arrays must have the same lower bounds, and each must reach as far "
        "as the one the operation walks"]


def test_a_shared_array_past_the_elements_it_shares_is_refused():
    assert fail("(make-shared-array (make-array #f '(0 7)) list '(0 8))").splitlines() == [
        "config.scm:1:1: error: mapping out of range",
        "hint: the new bounds reach past the elements of the array shared"]


def test_a_malformed_array_literal_is_a_located_read_error():
    assert fail("(define m\n  '#2((1 2) (3)))") == (
        "config.scm:2:4: error: bad array #2(...): the rows of an array must all have "
        "the same length")
    assert fail("(list #f64(1 x))") == (
        "config.scm:1:7: error: bad array #f64(...): an array of type f64 holds real "
        "numbers")


def test_a_compiled_vector_constant_cannot_be_changed():
    assert fail("(use-modules (system base compile))\n"
                "(compile '(vector-set! #(1 2) 0 9) #:to 'value)") == (
        "config.scm:2:11: error: vector-set!: wrong type argument in position 1 "
        "(expecting mutable vector): #(1 2)")


def test_a_view_writes_through_to_its_root_and_back():
    assert ev("(let* ((m (make-array 0 2 3))"
              "       (col (make-shared-array m (lambda (i) (list i 1)) 2))"
              "       (t (transpose-array m 1 0)))"
              "  (array-set! col 'a 1)"
              "  (array-set! t 'b 2 0)"
              "  (list m col t (array-ref t 1 1)))") == (
        "(#2((0 0 b) (0 a 0)) #1(0 a) #2((0 0) (0 a) (b 0)) a)")


def test_bit_vector_literals_are_each_their_own_object():
    # A bit vector can be changed: two literals written alike must not be one object.
    assert ev("(let ((a #*10) (b #*10)) (bitvector-set-bit! a 1) (list a b (eq? a b)))") \
        == "(#*11 #*10 #f)"


def test_a_huge_rank_is_refused_and_a_deep_one_prints():
    # A typo like #99999999( must not take all memory; a rank in the hundreds still
    # reads, prints and converts without running out of stack.
    assert fail("'#99999999()") == (
        "config.scm:1:2: error: bad array #99999999(...): a rank above 512 is not supported")
    assert fail("(list->array 100000000 '())") == (
        "config.scm:1:1: error: list->array: argument 2 out of range: 100000000")
    assert ev("(let ((a (apply make-array 'x (make-list 512 1))))"
              "  (list (array-rank a) (string-length (object->string a))"
              "        (array->list (array-cell-ref a 0))))").startswith(
        "(512 1029 " + "(" * 511 + "x")
