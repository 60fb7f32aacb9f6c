"""Guile module names that re-export bindings defined elsewhere in the core.

Guile programs import some core forms and procedures under the name of the SRFI or
library that standardised them; these must import fine and give the same objects."""

from .modules import alias

ALIASES = {
    "srfi srfi-34": "guard raise with-exception-handler raise-continuable",
    "ice-9 exceptions": "guard with-exception-handler raise-continuable",
    "srfi srfi-11": "let-values let*-values",
    "srfi srfi-8": "receive",
    "srfi srfi-39": "make-parameter parameterize",
    "srfi srfi-16": "case-lambda",
    "srfi srfi-45": "delay force make-promise promise? delay-force",
    "ice-9 control": "call/ec call-with-escape-continuation",
    "ice-9 curried-definitions": "define define-public",
    "scheme lazy": "delay delay-force promise?",
    "scheme base": ("guard raise raise-continuable with-exception-handler let-values "
                    "let*-values define-values parameterize make-parameter case-lambda "
                    "define-record-type values call-with-values dynamic-wind call/cc "
                    "call-with-current-continuation define-syntax let-syntax letrec-syntax "
                    "syntax-rules quote quasiquote lambda define if set! let let* letrec "
                    "letrec* begin cond case and or when unless do"),
}

_SOURCES = {"receive": "ice-9 receive", "define-record-type": "srfi srfi-9"}


def install() -> None:
    for target, names in ALIASES.items():
        for name in names.split():
            alias(target, _SOURCES.get(name, "guile"), name)
