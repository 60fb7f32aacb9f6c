"""(ice-9 regex)'s translation of POSIX patterns and (ice-9 pretty-print)'s options.
(Agreement with Guile is checked by the corpus programs 213 and 214.)"""

from __future__ import annotations

import pytest

from vsys.dsl import api
from vsys.dsl.datatypes import Symbol, from_list
from vsys.dsl.errors import SchemeError

api.boot()
from vsys.dsl.builtins.pretty import pretty_text  # noqa: E402
from vsys.dsl.builtins.regex import Regexp, translate  # noqa: E402


@pytest.mark.parametrize("posix, python", [
    ("[[:digit:]]+", "[0-9]+"),
    ("[^[:space:]]", r"(?!\s)[^ \t\n\r\f\v]"),
    ("a\\.b", r"a\.b"),
    ("[]a]", r"[\]a]"),
    ("x{2,}", "x{2,}"),
    ("a$", r"a\Z"),
    ("\\<w", r"\b(?=\w)w"),
])
def test_posix_syntax_is_translated(posix, python):
    assert translate(posix) == python


def test_a_bracket_class_python_cannot_express_is_refused_by_name():
    with pytest.raises(SchemeError) as info:
        Regexp("[[=e=]]", 0)
    cond = info.value.condition
    assert cond.key is Symbol("regular-expression-syntax")
    assert cond.message == ("In procedure make-regexp: [=e=] in a bracket expression is "
                            "not supported by vsys")


def test_newline_flag_keeps_dot_and_negated_brackets_off_newlines():
    rx = Regexp("a.b|c[^x]d", 4).compiled(False)
    assert rx.search("a\nb") is None and rx.search("c\nd") is None
    assert Regexp("a.b", 0).compiled(False).search("a\nb") is not None


def test_pretty_print_width_prefix_and_display():
    data = from_list([Symbol("a"), "b", from_list([Symbol("c"), Symbol("d")])])
    assert pretty_text(data) == '(a "b" (c d))\n'
    assert pretty_text(data, width=8) == '(a "b"\n   (c d))\n'
    assert pretty_text(data, width=8, display=True, prefix=";; ") == ";; (a b\n;;    (c d))\n"
