"""Errors a config author can cause, and how they travel.

Every Scheme-level error is a Python `SchemeError` carrying the raised Scheme object
(`payload`).  Errors raised by the system (wrong type, unbound variable, `error`, ...)
carry a `Condition`, which knows its Guile key (`wrong-type-arg`, `misc-error`, ...) so
that `catch` behaves as in Guile, a human message, irritants, and hints.

As the error unwinds through compiled call sites, the innermost one records its source
location (`loc`) and each one appends itself to `frames` (the Scheme backtrace).
"""

from __future__ import annotations

import traceback
from typing import Any

from .conditions import condition_repr, conditions_equal
from .datatypes import Location, Symbol, from_list
from .printer import write_string

# The stack of exception handlers in force (owned by control.py; here for whoever must
# reset it, as the REPL after an interrupt).
handler_stack: list = []


class Condition:
    """An error object.  Scheme sees it through `error-object-message`, `catch` keys..."""

    __slots__ = ("key", "message", "irritants", "origin", "hints", "throw_args", "loc",
                 "parts", "display_text")

    def __init__(self, key: str, message: str, irritants: tuple = (), origin: str | None = None,
                 hints: list[str] | None = None, throw_args: tuple | None = None,
                 loc: Location | None = None):
        self.key = Symbol(key)
        self.message = message          # human text, already formatted
        self.irritants = irritants      # Scheme values (error-object-irritants)
        self.origin = origin            # name of the procedure that complained
        self.hints = hints or []
        self.throw_args = throw_args    # the handler arguments `catch` passes after the key
        self.loc = loc                  # where the problem is, when known better than the call
        self.parts = None               # explicit components, for exceptions programs build
        self.display_text = None

    def text(self) -> str:
        """The whole human message: for `error`, the message then the irritants."""
        if self.display_text is not None:
            return self.display_text
        if self.key.name == "misc-error" and self.irritants:
            return " ".join([self.message] + [write_string(i) for i in self.irritants])
        return self.message

    def catch_args(self) -> tuple:
        """Arguments a Guile `catch` handler receives after the key."""
        if self.parts is not None:
            return (self,)          # an exception object a program made: (%exception obj)
        if self.throw_args is not None:
            return self.throw_args
        fmt = self.message + "".join(" ~S" for _ in self.irritants)
        return (self.origin if self.origin else False, fmt, from_list(list(self.irritants)), False)

    def scheme_repr(self, write: bool) -> str:
        return condition_repr(self)

    def scheme_equal(self, other: Any) -> bool:
        return conditions_equal(self, other)

    def __repr__(self) -> str:
        return f"<Condition {self.key.name}: {self.message}>"


class SchemeError(Exception):
    """A Scheme object raised and not (yet) handled."""

    def __init__(self, payload: Any, continuable: bool = False):
        super().__init__()
        self.payload = payload
        self.continuable = continuable
        self.loc: Location | None = payload.loc if isinstance(payload, Condition) else None
        self.frames: list[tuple[Location, str | None]] = []
        # The handler entry (see control.py) this error unwinds to, once the handlers
        # were offered it; None while not yet offered (signalled by a primitive).
        self.target: Any = None

    @property
    def condition(self) -> Condition | None:
        return self.payload if isinstance(self.payload, Condition) else None

    def __str__(self) -> str:
        return format_error(self)


# --- constructors for the common classes -------------------------------------------

def error(message: str, *irritants: Any, key: str = "misc-error", origin: str | None = None,
          hints: list[str] | None = None, loc: Location | None = None) -> SchemeError:
    """A ready-to-raise error: `raise error("no such thing:", name)`."""
    return SchemeError(Condition(key, message, irritants, origin, hints, None, loc))


def count_range(lo: int, hi: int | None) -> str:
    """How many a call or form takes, for messages: "at least 1", "2", "1 to 3"."""
    if hi is None:
        return f"at least {lo}"
    return str(lo) if lo == hi else f"{lo} to {hi}"


def brief(text: str, limit: int = 100) -> str:
    """A value's text cut to what a message line can hold (a whole record can be 2 KB)."""
    return text if len(text) <= limit else text[:limit - 3] + "..."


def article(word: str) -> str:
    """'a' or 'an' before WORD, by its first letter (enough for type names)."""
    return "an" if word[:1].lower() in "aeiou" else "a"


def wrong_type(origin: str, position: int, expected: str, value: Any) -> SchemeError:
    msg = (f"{origin}: wrong type argument in position {position} "
           f"(expecting {expected}): {brief(write_string(value))}")
    return SchemeError(Condition(
        "wrong-type-arg", msg, (value,), origin,
        throw_args=(origin, f"Wrong type argument in position {position} "
                            f"(expecting {expected}): ~S",
                    from_list([value]), from_list([value]))))


def out_of_range(origin: str, position: int, value: Any) -> SchemeError:
    msg = f"{origin}: argument {position} out of range: {write_string(value)}"
    return SchemeError(Condition(
        "out-of-range", msg, (value,), origin,
        throw_args=(origin, f"Argument {position} out of range: ~S",
                    from_list([value]), from_list([value]))))


def syntax_error(message: str, form: Any = None, loc: Location | None = None,
                 hints: list[str] | None = None) -> SchemeError:
    if loc is None and form is not None:
        loc = getattr(form, "loc", None)
    return SchemeError(Condition("syntax-error", message, (), None, hints, None, loc))


def read_error(message: str, loc: Location, hints: list[str] | None = None) -> SchemeError:
    return SchemeError(Condition("read-error", message, (), None, hints, None, loc))


# --- presentation -------------------------------------------------------------------

def payload_message(payload: Any) -> str:
    if isinstance(payload, Condition):
        return payload.text()
    return f"uncaught exception: {write_string(payload)}"


def format_error(err: SchemeError, debug: bool = False) -> str:
    """`FILE:LINE:COLUMN: error: MESSAGE` then `hint: ...` lines (and the backtrace)."""
    cond = err.condition
    where = f"{err.loc}: " if err.loc else ""
    lines = [f"{where}error: {payload_message(err.payload)}"]
    for hint in (cond.hints if cond else []):
        lines.append(f"hint: {hint}")
    if debug and err.frames:
        lines.append("Scheme backtrace (innermost last):")
        for loc, name in reversed(err.frames):
            lines.append(f"  {loc}: in {name or 'expression'}")
    cause = err.__cause__
    if debug and cause is not None and not isinstance(cause, SchemeError):
        # a Python error vsys turned into this one: its origin
        lines.append("Python backtrace of the cause:")
        lines.append("".join(traceback.format_exception(cause)).rstrip())
    return "\n".join(lines)


def closest_names(name: str, candidates, limit: int = 3) -> list[str]:
    """Names a person probably meant: edit-distance neighbours, best first."""
    import difflib  # noqa: PLC0415 (loaded for hints only, when a name is not found)
    pool = sorted(set(candidates))
    close = difflib.get_close_matches(name, pool, n=limit + 2, cutoff=0.7)
    # `foo` and its predicate `foo?` make one suggestion, not two: keep the closer one
    # (get_close_matches lists best first, so the first of a pair seen is kept).
    kept: list[str] = []
    stems: set[str] = set()
    for c in close:
        stem = c[:-1] if c.endswith("?") else c
        if stem not in stems:
            stems.add(stem)
            kept.append(c)
    return kept[:limit]


def did_you_mean(name: str, candidates) -> list[str]:
    close = closest_names(name, candidates)
    if not close:
        return []
    if len(close) == 1:
        return [f"did you mean {close[0]}?"]
    return ["did you mean " + ", ".join(close[:-1]) + f" or {close[-1]}?"]

