"""`syntax-case`: vsys's macros are `syntax-rules` (and `define-macro`), it has no syntax
objects.  A `syntax-case` expression compiles to a located error raised when it runs, so
that the code around it, written for Guile, still compiles and runs up to that point."""

from __future__ import annotations

from .errors import syntax_error
from .special_forms import special


@special("syntax-case", usage="(syntax-case EXPRESSION (LITERAL ...) CLAUSE ...)")
def _syntax_case(form, scope, ctx, tail):
    """(syntax-case EXP (LITERAL ...) (PATTERN [FENDER] OUTPUT) ...): not supported."""
    loc = form.loc

    def refuse(env):
        raise syntax_error("syntax-case is not supported: vsys's macros are syntax-rules",
                           loc=loc, hints=["write the macro with syntax-rules or "
                                           "define-macro"])
    return refuse
