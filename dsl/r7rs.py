"""R7RS-small: the standard libraries `(scheme ...)` and the `import` form.

Each library exports the names R7RS gives it; the variables are the very ones of Guile's
core (or of the module that defines them here), so `(import (scheme base))` and Guile's
default environment hand out the same objects, as in Guile.  `import` takes R7RS import
sets: a library name, `(only SET ID ...)`, `(except SET ID ...)`, `(prefix SET P)` and
`(rename SET (FROM TO) ...)`; `(srfi N)` names Guile's `(srfi srfi-N)`."""

from __future__ import annotations

from . import loader
from .compiler import base_symbol, constant, elem_loc, is_ident, name_of
from .datatypes import UNSPECIFIED, Pair, Symbol, to_list
from .errors import error, syntax_error
from .module_forms import module_name
from .modules import Interface, _factories, existing_module, parse_name
from .special_forms import special

# What each library exports, as R7RS lists it (Guile 3.0 exports the same names).
LIBRARIES = {
    "scheme base": """
        * + - ... / < <= = => > >= _ abs and append apply assoc assq assv begin binary-port?
        boolean=? boolean? bytevector bytevector-append bytevector-copy bytevector-copy!
        bytevector-length bytevector-u8-ref bytevector-u8-set! bytevector? caar cadr
        call-with-current-continuation call-with-port call-with-values call/cc car case cdar
        cddr cdr ceiling char->integer char-ready? char<=? char<? char=? char>=? char>? char?
        close-input-port close-output-port close-port complex? cond cond-expand cons
        current-error-port current-input-port current-output-port define define-record-type
        define-syntax define-values denominator do dynamic-wind else eof-object eof-object?
        eq? equal? eqv? error error-object-irritants error-object-message error-object?
        even? exact exact-integer-sqrt exact-integer? exact? expt features file-error? floor
        floor-quotient floor-remainder floor/ flush-output-port for-each gcd
        get-output-bytevector get-output-string guard if include include-ci inexact inexact?
        input-port-open? input-port? integer->char integer? lambda lcm length let let*
        let*-values let-syntax let-values letrec letrec* letrec-syntax list list->string
        list->vector list-copy list-ref list-set! list-tail list? make-bytevector make-list
        make-parameter make-string make-vector map max member memq memv min modulo negative?
        newline not null? number->string number? numerator odd? open-input-bytevector
        open-input-string open-output-bytevector open-output-string or output-port-open?
        output-port? pair? parameterize port? peek-char peek-u8 positive? procedure? quasiquote
        quote quotient raise raise-continuable rational? rationalize read-bytevector
        read-bytevector! read-char read-error? read-line read-string read-u8 real? remainder
        reverse round set! set-car! set-cdr! square string string->list string->number
        string->symbol string->utf8 string->vector string-append string-copy string-copy!
        string-fill! string-for-each string-length string-map string-ref string-set!
        string<=? string<? string=? string>=? string>? string? substring symbol->string
        symbol=? symbol? syntax-error syntax-rules textual-port? truncate truncate-quotient
        truncate-remainder truncate/ u8-ready? unless unquote unquote-splicing utf8->string
        values vector vector->list vector->string vector-append vector-copy vector-copy!
        vector-fill! vector-for-each vector-length vector-map vector-ref vector-set! vector?
        when with-exception-handler write-bytevector write-char write-string write-u8 zero?""",
    "scheme case-lambda": "case-lambda",
    "scheme char": """
        char-alphabetic? char-ci<=? char-ci<? char-ci=? char-ci>=? char-ci>? char-downcase
        char-foldcase char-lower-case? char-numeric? char-upcase char-upper-case?
        char-whitespace? digit-value string-ci<=? string-ci<? string-ci=? string-ci>=?
        string-ci>? string-downcase string-foldcase string-upcase""",
    "scheme complex": "angle imag-part magnitude make-polar make-rectangular real-part",
    "scheme cxr": """
        caaaar caaadr caaar caadar caaddr caadr cadaar cadadr cadar caddar cadddr caddr
        cdaaar cdaadr cdaar cdadar cdaddr cdadr cddaar cddadr cddar cdddar cddddr cdddr""",
    "scheme eval": "environment eval",
    "scheme file": """
        call-with-input-file call-with-output-file delete-file file-exists?
        open-binary-input-file open-binary-output-file open-input-file open-output-file
        with-input-from-file with-output-to-file""",
    "scheme inexact": """
        acos asin atan cos exact exp finite? inexact infinite? log nan? sin sqrt tan""",
    "scheme lazy": "delay delay-force force make-promise promise?",
    "scheme load": "load",
    "scheme process-context": """
        command-line emergency-exit exit get-environment-variable get-environment-variables""",
    "scheme read": "read",
    "scheme repl": "interaction-environment",
    "scheme time": "current-jiffy current-second jiffies-per-second",
    "scheme write": "display write write-shared write-simple",
    "scheme r5rs": """
        * + - ... / < <= = => > >= _ abs acos and angle append apply asin assoc assq
        assv atan begin boolean? caaaar caaadr caaar caadar caaddr caadr caar cadaar
        cadadr cadar caddar cadddr caddr cadr call-with-current-continuation
        call-with-values car cdaaar cdaadr cdaar cdadar cdaddr cdadr cdar cddaar
        cddadr cddar cdddar cddddr cdddr cddr cdr ceiling char->integer
        char-alphabetic? char-ci<=? char-ci<? char-ci=? char-ci>=? char-ci>?
        char-downcase char-lower-case? char-numeric? char-ready? char-upcase
        char-upper-case? char-whitespace? char<=? char<? char=? char>=? char>? char?
        complex? cons cos current-input-port current-output-port define define-syntax
        delay denominator display do dynamic-wind else eof-object? eq? equal? eqv?
        eval even? exact->inexact exact? exp expt floor for-each force gcd if
        imag-part inexact->exact inexact? input-port? integer->char integer?
        interaction-environment lambda lcm length let let* let-syntax letrec
        letrec-syntax list list->string list->vector list-ref list-tail list? log
        magnitude make-polar make-rectangular make-string make-vector map max member
        memq memv min modulo negative? newline not null-environment null?
        number->string number? numerator odd? or output-port? pair? peek-char
        positive? procedure? quasiquote quote quotient rational? rationalize read
        read-char real-part real? remainder reverse round scheme-report-environment
        set! set-car! set-cdr! sin sqrt string string->list string->number
        string->symbol string-append string-ci<=? string-ci<? string-ci=? string-ci>=?
        string-ci>? string-copy string-fill! string-length string-ref string-set!
        string<=? string<? string=? string>=? string>? string? substring
        symbol->string symbol? syntax-rules tan truncate unquote unquote-splicing
        values vector vector->list vector-fill! vector-length vector-ref vector-set!
        vector? write write-char zero?""",
}

# Where a name the library does not define itself is found, first match wins.
_SOURCES = (("guile",), ("scheme", "base"), ("rnrs", "base"), ("srfi", "srfi-9"),
            ("ice-9", "receive"), ("scheme", "process-context"), ("scheme", "inexact"),
            ("scheme", "lazy"), ("srfi", "srfi-34"))


def _library_factory(names: list[str], own_factory):
    """A factory filling the library with its own definitions (if Python defines some),
    then sharing the variables of the rest with the modules that define them."""
    def fill(mod) -> None:
        if own_factory is not None:
            own_factory(mod)
        for name in names:
            sym = Symbol(name)
            if sym in mod.bindings:
                continue
            for source in _SOURCES:
                if source == mod.name:
                    continue
                src = existing_module(source)
                box = src.bindings.get(sym) if src is not None else None
                if box is not None:
                    mod.bindings[sym] = box
                    break
    return fill


def install() -> None:
    for lib, names in LIBRARIES.items():
        key = parse_name(lib)
        _factories[key] = _library_factory(names.split(), _factories.get(key))


def _srfi_name(name: tuple) -> tuple:
    """R7RS writes SRFI libraries `(srfi 1)`; Guile's module is `(srfi srfi-1)`."""
    if len(name) == 2 and name[0] == "srfi" and name[1].isdigit():
        return ("srfi", "srfi-" + name[1])
    return name


def _import_set(spec, loc) -> dict:
    """local name -> (module, name in module) for one R7RS import set."""
    head = name_of(spec.car) if type(spec) is Pair and is_ident(spec.car) else None
    args = to_list(spec.cdr) if type(spec) is Pair else []
    if head in ("only", "except", "prefix", "rename") and args and type(args[0]) is Pair:
        inner = _import_set(args[0], loc)
        rest = args[1:]
        if head == "only":
            wanted = [base_symbol(x) for x in rest]
            for sym in wanted:
                if sym not in inner:
                    raise error(f"import: (only ...) names {sym.name}, which the import set "
                                "does not export", key="syntax-error", loc=loc)
            return {sym: inner[sym] for sym in wanted}
        if head == "except":
            dropped = {base_symbol(x) for x in rest}
            return {s: v for s, v in inner.items() if s not in dropped}
        if head == "prefix":
            if len(rest) != 1 or not is_ident(rest[0]):
                raise syntax_error("import: (prefix SET PREFIX) takes one identifier", loc=loc)
            p = name_of(rest[0])
            return {Symbol(p + s.name): v for s, v in inner.items()}
        renamed = dict(inner)
        for pair in rest:
            parts = to_list(pair) if type(pair) is Pair else []
            if len(parts) != 2 or not all(is_ident(x) for x in parts):
                raise syntax_error("import: (rename SET (FROM TO) ...) takes pairs of "
                                   "identifiers", loc=loc)
            old, new = base_symbol(parts[0]), base_symbol(parts[1])
            if old not in renamed:
                raise error(f"import: (rename ...) names {old.name}, which the import set "
                            "does not export", key="syntax-error", loc=loc)
            renamed[new] = renamed.pop(old)
        return renamed
    name = _srfi_name(module_name(spec, loc))
    mod = loader.resolve_module(name, loc)
    return {sym: (mod, sym) for sym in mod.exported_names()}


@special("import")
def _import(form, scope, ctx, tail):
    """(import SET ...): R7RS import sets, made visible here as use-modules would."""
    p = form.cdr
    while type(p) is Pair:
        loc = elem_loc(p, form.loc)
        by_module: dict = {}
        for local, (mod, original) in _import_set(p.car, loc).items():
            by_module.setdefault(mod, {})[local] = original
        for mod, select in by_module.items():
            ctx.module.use(Interface(mod, select))
        p = p.cdr
    return constant(UNSPECIFIED)


install()
