"""R7RS-small procedures Guile's core lacks, exported by the `(scheme ...)` library that
names them: `symbol=?`, `features`, `digit-value`, `string-foldcase`, the `(scheme time)`
clock, `write-shared` (datum labels for shared structure), environments for `eval`, the
port predicates and `read-error?`/`file-error?`.  Also Guile's core `delete-file`."""

from __future__ import annotations

import math
import os
import time
import unicodedata
from fractions import Fraction

from ..datatypes import NIL, MString, Pair, Symbol, Vector, from_list, pystr
from ..errors import Condition, error, wrong_type
from ..features import FEATURES
from ..loader import new_user_module
from ..modules import Interface, existing_module
from ..printer import write_string
from ..procedures import call
from .checks import need_char, need_string
from .define import GUILE, builtin, lookup, reexport
from .ports import InputPort, OutputPort, Port, need_output

BASE = "scheme base"


@builtin("symbol=?", BASE)
def symbol_eq(a, b, *more):
    items = (a, b) + more
    for k, x in enumerate(items):
        if type(x) is not Symbol:
            raise wrong_type("symbol=?", k + 1, "symbol", x)
    return all(x is a for x in items)


@builtin("features", BASE)
def features():
    """The feature identifiers `cond-expand` recognises."""
    return from_list([Symbol(f) for f in sorted(FEATURES)])


@builtin("provided?")
def provided(feature):
    """(provided? FEATURE): whether FEATURE is one `cond-expand` knows."""
    return type(feature) is Symbol and feature.name in FEATURES


@builtin("digit-value", "scheme char")
def digit_value(ch):
    """The value of a decimal digit character (of any script), #f for others."""
    c = need_char("digit-value", 1, ch)
    return unicodedata.decimal(c, False)


@builtin("infinite?", "scheme inexact")
def infinite(z):
    """Whether a real, or either part of a complex, is +inf.0 or -inf.0."""
    if isinstance(z, complex):
        return math.isinf(z.real) or math.isinf(z.imag)
    if isinstance(z, float):
        return math.isinf(z)
    if isinstance(z, (int, Fraction)) and not isinstance(z, bool):
        return False
    raise wrong_type("infinite?", 1, "number", z)


@builtin("nan?", "scheme inexact")
def nan(z):
    """Whether a real, or either part of a complex, is a NaN."""
    if isinstance(z, complex):
        return math.isnan(z.real) or math.isnan(z.imag)
    return call(lookup(GUILE, "nan?"), [z])


@builtin("finite?", "scheme inexact")
def finite(z):
    """Whether a real, and both parts of a complex, are neither infinite nor NaN."""
    if isinstance(z, complex):
        return math.isfinite(z.real) and math.isfinite(z.imag)
    return call(lookup(GUILE, "finite?"), [z])


@builtin("expt", BASE)
def r7_expt(base, power):
    """Guile's, but 0.0 to an exact power is inexact, as R7RS has it."""
    result = call(lookup(GUILE, "expt"), [base, power])
    return float(result) if type(base) is float and base == 0 and type(result) is int else result


# (scheme base)'s list-copy keeps an improper tail, or a non-pair, as SRFI-1's does.
reexport(BASE, "srfi srfi-1", "list-copy")


# (scheme char)'s string-upcase and string-downcase are Guile's locale ones: the full
# Unicode mappings, where one character may become several ("ß" -> "SS").
@builtin("string-upcase", "scheme char")
def string_upcase_full(s, locale=None):
    return need_string("string-upcase", 1, s).upper()


@builtin("string-downcase", "scheme char")
def string_downcase_full(s, locale=None):
    return need_string("string-downcase", 1, s).lower()


@builtin("string-foldcase", "scheme char")
def string_foldcase(s):
    # Guile's definition: the full downcase of the full upcase (a final sigma stays ς)
    return MString(need_string("string-foldcase", 1, s).upper().lower())


# (scheme time): seconds since the epoch, and a jiffy clock counting nanoseconds.
_JIFFIES = 1_000_000_000


@builtin("current-second", "scheme time")
def current_second():
    return time.time()


@builtin("current-jiffy", "scheme time")
def current_jiffy():
    return time.monotonic_ns()


@builtin("jiffies-per-second", "scheme time")
def jiffies_per_second():
    return _JIFFIES


@builtin("write-simple", "scheme write")
def write_simple(x, port=None):
    need_output("write-simple", 2, port).write(write_string(x))


def _shared_cells(x) -> set[int]:
    """The ids of pairs and vectors reached more than once from `x` (walked without
    recursion, so a long or circular list is fine)."""
    seen: set[int] = set()
    shared: set[int] = set()
    todo = [x]
    while todo:
        obj = todo.pop()
        if type(obj) is not Pair and not isinstance(obj, Vector):
            continue
        if id(obj) in seen:
            shared.add(id(obj))
            continue
        seen.add(id(obj))
        if type(obj) is Pair:
            todo.append(obj.cdr)
            todo.append(obj.car)
        else:
            todo.extend(reversed(obj))
    return shared


def shared_text(x) -> str:
    """`x` written with datum labels (#N= ... #N#) for every shared pair or vector."""
    shared = _shared_cells(x)
    labels: dict[int, int] = {}
    out: list[str] = []

    def emit(obj) -> None:
        if type(obj) is not Pair and not isinstance(obj, Vector):
            out.append(write_string(obj))
            return
        if id(obj) in labels:
            out.append(f"#{labels[id(obj)]}#")
            return
        if id(obj) in shared:
            labels[id(obj)] = len(labels) + 1
            out.append(f"#{labels[id(obj)]}=")
        if isinstance(obj, Vector):
            out.append("#(")
            for k, item in enumerate(obj):
                if k:
                    out.append(" ")
                emit(item)
            out.append(")")
            return
        out.append("(")
        emit(obj.car)
        rest = obj.cdr
        while type(rest) is Pair and id(rest) not in shared:
            out.append(" ")
            emit(rest.car)
            rest = rest.cdr
        if rest is not NIL:
            out.append(" . ")
            emit(rest)
        out.append(")")

    emit(x)
    return "".join(out)


@builtin("write-shared", "scheme write")
def write_shared(x, port=None):
    need_output("write-shared", 2, port).write(shared_text(x))


def _environment_of(origin: str, specs) -> object:
    mod = new_user_module((origin,), [])
    for k, spec in enumerate(specs):
        name = tuple(s.name for s in _spec_items(origin, k + 1, spec))
        lib = existing_module(name)
        if lib is None:
            raise error(f"{origin}: no library named ({' '.join(name)})", origin=origin)
        mod.use(Interface(lib))
    return mod


def _spec_items(origin: str, pos: int, spec) -> list:
    items = []
    while type(spec) is Pair and type(spec.car) is Symbol:
        items.append(spec.car)
        spec = spec.cdr
    if spec is not NIL or not items:
        raise wrong_type(origin, pos, "library name", spec)
    return items


@builtin("environment", "scheme eval")
def environment(*specs):
    """(environment '(scheme base) ...): a fresh environment importing the libraries."""
    return _environment_of("environment", specs)


def _report_environment(origin: str, version) -> object:
    if version != 5:
        raise error(f"{origin}: only version 5 is known", version, origin=origin)
    return _environment_of(origin, [from_list([Symbol("scheme"), Symbol("r5rs")])])


@builtin("scheme-report-environment", "scheme r5rs")
def scheme_report_environment(version):
    return _report_environment("scheme-report-environment", version)


@builtin("null-environment", "scheme r5rs")
def null_environment(version):
    return _report_environment("null-environment", version)


def _need_port(origin: str, port) -> Port:
    if not isinstance(port, Port):
        raise wrong_type(origin, 1, "port", port)
    return port


@builtin("textual-port?", BASE)
def textual_port(x):
    """Every port of vsys carries text."""
    return isinstance(x, Port)


@builtin("binary-port?", BASE)
def binary_port(x):
    """Guile answers #t for every port (its ports carry bytes as well as text)."""
    return isinstance(x, Port)


@builtin("input-port-open?", BASE)
def input_port_open(port):
    p = _need_port("input-port-open?", port)
    return isinstance(p, InputPort) and not p.closed


@builtin("output-port-open?", BASE)
def output_port_open(port):
    p = _need_port("output-port-open?", port)
    return isinstance(p, OutputPort) and not p.closed


@builtin("call-with-port")
def call_with_port(port, proc):
    """(call-with-port PORT PROC): PROC's values; PORT is closed once PROC returns."""
    p = _need_port("call-with-port", port)
    result = call(proc, [p])
    if isinstance(p, OutputPort):
        p.flush()
    p.close()
    return result


@builtin("read-error?", BASE)
def read_error_p(x):
    return isinstance(x, Condition) and x.key.name == "read-error"


@builtin("file-error?", BASE)
def file_error_p(x):
    """Guile 3.0 raises no R7RS file errors: a file that cannot be opened or deleted is a
    `system-error`, for which `file-error?` is false there as here."""
    return isinstance(x, Condition) and x.key.name.startswith("i/o-file")


@builtin("delete-file")
def delete_file(name):
    path = pystr(need_string("delete-file", 1, name))
    try:
        os.unlink(path)
    except OSError as e:
        raise error(f"{e.strerror or e}: {path}", key="system-error",
                    origin="delete-file") from None

