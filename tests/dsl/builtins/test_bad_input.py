"""No input makes a builtin leak a Python exception: every procedure, called with a
deterministic sample of odd arguments, either answers or raises a Scheme error."""

from __future__ import annotations

import io
import random
from fractions import Fraction

from vsys.dsl import api
from vsys.dsl.datatypes import (
    EOF,
    NIL,
    UNSPECIFIED,
    Char,
    Keyword,
    MString,
    Pair,
    Symbol,
    Vector,
    from_list,
)
from vsys.dsl.errors import SchemeError
from vsys.dsl.procedures import Primitive, call

api.boot()
from vsys.dsl.builtins import ports  # noqa: E402
from vsys.dsl.builtins.charsets import CharSet  # noqa: E402
from vsys.dsl.builtins.define import _defined  # noqa: E402
from vsys.dsl.builtins.hashtables import HashTable  # noqa: E402

# Procedures that end the program, wait on the terminal, enumerate all of Unicode or
# create files (a string argument is a file name to them), change the file system or
# the process (the directory, the umask, the locale, the printer's options, descriptors
# such as 1 given as a number), or start programs.
SKIP = {"exit", "primitive-exit", "emergency-exit", "setenv", "unsetenv", "circular-list",
        "open-output-file", "call-with-output-file", "with-output-to-file",
        "char-set->list", "char-set-size", "char-set->string", "char-set-for-each",
        "char-set-fold", "char-set-map", "char-set-count", "char-set-any", "char-set-every",
        "char-set-filter", "char-set=", "char-set<=",
        "mkdir", "rmdir", "chmod", "symlink", "link", "rename-file", "chdir", "umask",
        "close", "close-fdes", "fdes->inport", "fdes->outport", "waitpid",
        "system", "system*", "piped-process", "%open-pipe", "setlocale",
        "print-options", "print-enable", "print-disable"}


def pool() -> list:
    """Fresh values each time: some procedures mutate their arguments."""
    return [0, 1, -1, 3, 1.5, float("nan"), Fraction(1, 2), 2 ** 70, 1j, "s", "",
            MString("mm"), Char("a"), Symbol("x"), Keyword("k"), NIL, from_list([1, 2, 3]),
            Pair(1, 2), from_list([Pair(1, 2)]), Vector([1, 2]), bytearray(b"\x01\x02"),
            True, False, _defined[("guile", "car")], _defined[("guile", "+")], HashTable(),
            UNSPECIFIED, EOF, CharSet("ab")]


def procedures() -> list[Primitive]:
    seen, out = set(), []
    for (_, name), proc in sorted(_defined.items()):
        if isinstance(proc, Primitive) and name not in SKIP and id(proc) not in seen:
            seen.add(id(proc))
            out.append(proc)
    return out


def test_no_python_exception_escapes_a_builtin():
    rng = random.Random(7)
    leaks = {}
    sink = io.StringIO()
    for proc in procedures():
        top = proc.max_args if proc.max_args is not None else proc.min_args + 2
        for n in range(proc.min_args, min(top, proc.min_args + 2) + 1):
            for _ in range(12 if n else 1):
                values = pool()
                args = [rng.choice(values) for _ in range(n)]
                try:
                    with ports.output_to(sink), ports.redirected("input", io.StringIO("")):
                        call(proc, args)
                except SchemeError:
                    pass
                except Exception as e:  # noqa: BLE001 -- what the test looks for
                    leaks.setdefault(proc.name, f"{type(e).__name__}: {e} for {args!r}")
    assert leaks == {}
