"""Syntax errors shaped as Guile's `syntax-violation` raises them, for the forms whose
errors programs catch and look into (Guile's own test suite does): a `catch` handler for
`syntax-error` gets (WHOM WHAT SOURCE FORM SUBFORM)."""

from __future__ import annotations

from typing import Any

from .compiler import strip
from .datatypes import Symbol
from .errors import Condition, SchemeError, brief
from .printer import write_string


def syntax_violation(whom: str, what: str, form: Any, subform: Any = None,
                     hints: list[str] | None = None, loc: Any = None) -> SchemeError:
    """WHOM complains WHAT of FORM (of SUBFORM in it, when given: #f otherwise); the
    error is located at SUBFORM, FORM or LOC, the first that has a place."""
    where = f" in {brief(write_string(strip(subform)))}" if subform is not None else ""
    loc = getattr(subform, "loc", None) or getattr(form, "loc", None) or loc
    return SchemeError(Condition(
        "syntax-error", f"{whom}: {what}{where}", (), whom, hints,
        throw_args=(Symbol(whom), what, False, strip(form),
                    False if subform is None else strip(subform)), loc=loc))
