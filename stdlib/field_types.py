"""The types of configuration-record fields, each defined once.

A field type is a named predicate (`vsys.dsl.records.FieldType`): a record refuses a value
its predicate rejects, at the clause that gave it, with "field F of R must be TYPE".  The
name is what that message, the REPL's ,describe and docs/services show, so it says in
words what is accepted.

Besides the plain Scheme types, some types refuse what the file a field is written to
cannot hold.  sshd_config, /etc/hosts and Ganeti's line lists separate entries with line
breaks and have no escapes, and sshd_config also splits its values into words, reads
quotes and starts comments with `#`: a value holding any of these would be read back as
something else (an extra entry, a subsystem "a" with argument "b"), so it is refused where
it is written, with a hint naming what is wrong in it.
"""

from __future__ import annotations

import re
from typing import Any

from vsys.dsl.datatypes import NIL, Symbol, is_list, is_string, pystr, to_list
from vsys.dsl.errors import brief
from vsys.dsl.printer import write_string
from vsys.dsl.records import FieldType, Record, RecordType

from .files import is_file_like
from .gexp import Gexp
from .packages import is_package


def either(name: str, *types: FieldType) -> FieldType:
    """A value of any of TYPES, called NAME ("string or #f"); a refused value is explained
    by the first of TYPES that says why it refused it (a list's line break...)."""
    def explain(x: Any) -> list[str]:
        for t in types:
            said = t.explain(x) if t.explain is not None else []
            if said:
                return said
        return []
    return FieldType(name, lambda x: any(t.check(x) for t in types), explain)


def list_of(name: str, item: FieldType) -> FieldType:
    """A proper list whose every element is an ITEM; NAME is the type in words, and a
    refused list is explained by its first refused element."""
    def explain(x: Any) -> list[str]:
        if not is_list(x):
            return []
        for element in to_list(x):
            if not item.check(element):
                return _explain(item, element)
        return []
    return FieldType(name, lambda x: is_list(x) and all(item.check(e) for e in to_list(x)),
                     explain)


def record_of(rtype: RecordType, name: str | None = None) -> FieldType:
    """A record of type RTYPE (NAME: how messages call it, "RTYPE record" by default)."""
    return FieldType(name or f"{rtype.name} record",
                     lambda x: type(x) is Record and x.rtype is rtype)


def _explain(ftype: FieldType, value: Any) -> list[str]:
    if ftype.explain is not None:
        return ftype.explain(value)
    return [f"{write_string(value)} is not {ftype.name}"]


def is_integer(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def in_port_range(n: Any) -> bool:
    return is_integer(n) and 1 <= n <= 65535


# --- Scheme values ------------------------------------------------------------------------------

BOOLEAN = FieldType("boolean", lambda x: x is True or x is False)
STRING = FieldType("string", is_string)
SYMBOL = FieldType("symbol", lambda x: type(x) is Symbol)
INTEGER = FieldType("integer", is_integer)
NUMBER = FieldType("number", lambda x: type(x) in (int, float))
POSITIVE = FieldType("positive integer", lambda x: is_integer(x) and x > 0)
NON_NEGATIVE = FieldType("non-negative integer", lambda x: is_integer(x) and x >= 0)
PORT = FieldType("port number (1 to 65535)", in_port_range)
FALSE = FieldType("#f", lambda x: x is False)
LIST = FieldType("list", is_list)
STRING_LIST = FieldType("list of strings",
                        lambda x: is_list(x) and all(is_string(s) for s in to_list(x)))
SYMBOL_LIST = FieldType("list of symbols",
                        lambda x: is_list(x) and all(type(s) is Symbol for s in to_list(x)))
NONEMPTY_SYMBOL_LIST = FieldType("non-empty list of symbols",
                                 lambda x: x is not NIL and SYMBOL_LIST.check(x))
STRING_OR_FALSE = either("string or #f", STRING, FALSE)

# --- what the service library builds from ---------------------------------------------------------

PACKAGE = FieldType("package", is_package)
FILE_LIKE = FieldType("file-like object", is_file_like)
FILE_LIKE_OR_FALSE = FieldType("file-like object or #f",
                               lambda x: x is False or is_file_like(x))
GEXP = FieldType("gexp", lambda x: type(x) is Gexp)
GEXP_OR_FALSE = either("gexp or #f", GEXP, FALSE)
GEXP_LIST = FieldType("list of gexps",
                      lambda x: is_list(x) and all(type(g) is Gexp for g in to_list(x)))
STRING_OR_GEXP = either("string or gexp", STRING, GEXP)


# --- strings a line-oriented file can hold ------------------------------------------------------

LINE_BREAK = re.compile(r"[\n\r\0]")
# The longest name a config may give a file vsys writes (file systems take 255 bytes; the
# files named after it add a prefix or a suffix, such as instance-NAME).
NAME_BYTES = 200
# No blanks, comments, separators other files use (`;`, `/`), quotes or control characters.
HOST_NAME_RE = re.compile(r"[^\s#;/\\\"'\x00-\x1f\x7f]+")
# One word of sshd_config, read back as written.
SSHD_WORD_RE = re.compile(r"[^\s#\"'\\\x00-\x1f\x7f]+")


def line_refusal(text: str) -> str | None:
    """Why TEXT cannot be one line of a file, or None."""
    if LINE_BREAK.search(text):
        return "holds a line break, which the file it is written to cannot hold"
    return None


def file_name_refusal(text: str) -> str | None:
    """Why TEXT cannot name a file of its own (in a directory vsys writes), or None."""
    if LINE_BREAK.search(text):
        return "holds a line break, which the file it is written to cannot hold"
    if "/" in text or text in ("", ".", ".."):
        return "cannot name a file"
    size = len(text.encode())
    if size > NAME_BYTES:
        return f"is too long to name a file ({size} bytes; at most {NAME_BYTES})"
    return None


def host_name_refusal(text: str) -> str | None:
    if HOST_NAME_RE.fullmatch(text):
        return None
    return ("is not a host name /etc/hosts can hold (no blanks, '#', ';', '/', quotes, "
            "line breaks or other control characters)")


def sshd_refusal(text: str, one: bool) -> str | None:
    """Why sshd would not read TEXT back as the word (ONE) or the single-space separated
    words it is, or None."""
    if LINE_BREAK.search(text):
        return "holds a line break, which the file it is written to cannot hold"
    words = [text] if one else text.split(" ")
    if all(SSHD_WORD_RE.fullmatch(w) for w in words if w or one) and text.strip():
        return None
    return (f"is not {'one word' if one else 'words'} sshd_config can hold (no blanks"
            f"{'' if one else ' but single spaces'}, '#', quotes, backslashes or control "
            f"characters): sshd would read it otherwise")


def text_type(name: str, refusal) -> FieldType:
    """A string REFUSAL(text) finds nothing wrong with; a refused string is explained by
    what REFUSAL says about it."""
    def check(x: Any) -> bool:
        return is_string(x) and refusal(pystr(x)) is None

    def explain(x: Any) -> list[str]:
        reason = refusal(pystr(x)) if is_string(x) else None
        return [f"{brief(write_string(x), 80)} {reason}"] if reason else []
    return FieldType(name, check, explain)


ONE_LINE = text_type("string on one line (no line break or NUL)", line_refusal)
ONE_LINE_LIST = list_of("list of strings on one line (no line break or NUL)", ONE_LINE)
FILE_NAME = text_type(f"file name (one line, no '/', not \".\" or \"..\", at most "
                      f"{NAME_BYTES} bytes)", file_name_refusal)
HOST_NAME = text_type("host name (no blanks, '#', ';', '/', quotes or control characters)",
                      host_name_refusal)
SSHD_WORD = text_type("word sshd_config reads as written (no blanks, '#', quotes, "
                      "backslashes or control characters)", lambda t: sshd_refusal(t, True))
SSHD_WORD_LIST = list_of("list of words sshd_config reads as written (no blanks, '#', "
                         "quotes, backslashes or control characters)", SSHD_WORD)
