"""Property: what `write` prints, the reader reads back as an equal datum."""

from __future__ import annotations

import math
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from vsys.dsl.datatypes import NIL, Char, Keyword, Pair, Symbol, Vector, from_list, normalize
from vsys.dsl.printer import write_string
from vsys.dsl.reader import read_all


def equal(a, b) -> bool:
    """Structural equality that, unlike ==, tells 1 from 1.0 from #t and -0.0 from 0.0."""
    todo = [(a, b)]
    while todo:
        x, y = todo.pop()
        if type(x) is not type(y):
            return False
        if type(x) is Pair:
            todo.append((x.car, y.car))
            todo.append((x.cdr, y.cdr))
        elif type(x) is Vector:
            if len(x) != len(y):
                return False
            todo.extend(zip(x, y))
        elif type(x) is float:
            if not (x == y and math.copysign(1, x) == math.copysign(1, y)
                    or math.isnan(x) and math.isnan(y)):
                return False
        elif type(x) in (Symbol, Keyword, Char) or x is NIL:
            if x is not y:
                return False
        elif x != y:
            return False
    return True


def test_equal_is_strict():
    assert equal(from_list([1, "a", Vector([2.0])]), from_list([1, "a", Vector([2.0])]))
    assert not equal(1, 1.0) and not equal(1, True) and not equal(0.0, -0.0)
    assert not equal(from_list([1, 2]), from_list([1, 2, 3]))
    assert not equal(Pair(1, 2), from_list([1, 2]))


# Symbol names: the kind configs use, and arbitrary text.  Two kinds are left out
# because Guile 3.0's own printer does not read them back: a backslash inside #{...}#
# (printed raw, then read as an escape) and a leading or trailing ':' (printed bare
# whatever follows, as keyword-like symbols).
PLAIN = st.text("abcdefghijklmnopqrstuvwxyzABCXYZ0123456789!$%&*/<=>?^_~+-.@",
                min_size=1, max_size=12)


def _printable_by_guile(name: str) -> bool:
    if name.startswith(":") or name.endswith(":"):
        return False
    return "\\" not in name or write_string(Symbol(name)) == name


NAMES = st.one_of(PLAIN, st.text(max_size=8)).filter(_printable_by_guile)

ATOMS = st.one_of(
    st.integers(min_value=-(10 ** 40), max_value=10 ** 40),
    st.fractions().map(normalize),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.text(max_size=20),
    NAMES.map(Symbol),
    NAMES.map(Keyword),
    st.characters(exclude_categories=("Cs",)).map(Char),
    st.binary(max_size=8).map(bytearray),
    st.just(NIL),
)


def _dotted(items_and_tail):
    items, tail = items_and_tail
    return from_list(items, tail)


DATA = st.recursive(
    ATOMS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=6).map(from_list),
        st.tuples(st.lists(inner, min_size=1, max_size=4), inner).map(_dotted),
        st.lists(inner, max_size=4).map(Vector),
    ),
    max_leaves=25,
)


@settings(max_examples=200, deadline=None)
@given(DATA)
def test_write_then_read_gives_the_datum_back(datum):
    text = write_string(datum)
    back = read_all(text)
    assert len(back) == 1, text
    assert equal(back[0], datum), text


@settings(max_examples=60, deadline=None)
@given(st.lists(DATA, max_size=5))
def test_several_data_in_one_text(data):
    text = "\n".join(write_string(d) for d in data)
    back = read_all(text)
    assert len(back) == len(data)
    assert all(equal(x, y) for x, y in zip(back, data)), text


def test_fraction_and_integer_types_survive():
    for value in [Fraction(1, 3), -7, 10 ** 30, 0.1, -0.0, 5e-324, 1.7976931348623157e308]:
        assert equal(read_all(write_string(value))[0], value)
