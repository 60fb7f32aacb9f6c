"""binfmt_misc register strings, one file per entry as systemd's binfmt.d reads them.

The kernel's format `:NAME:TYPE:OFFSET:MAGIC:MASK:INTERPRETER:FLAGS` has no escapes for
its separator nor for line breaks, so an entry whose interpreter or name holds one is
refused rather than written.
"""

from __future__ import annotations

import re

from .lowering import build_error

FLAGS = re.compile(r"[POCF]*")
NAME = re.compile(r"[A-Za-z0-9_.+-]+")
BYTES = re.compile(r"(\\x[0-9a-fA-F]{2}|[^:\\\n])*")


def check(entry: str, service: str) -> str:
    """ENTRY if it is a well-formed register string, else a build error."""
    problem = None
    if any(c in entry for c in "\n\r\0"):
        problem = "it holds a line break"
    elif len(entry) < 2 or entry[0] != ":":
        problem = "it does not start with ':'"
    else:
        parts = entry[1:].split(":")
        if len(parts) != 7:
            problem = ("it has more than 7 fields (a ':' inside a value?)" if len(parts) > 7
                       else "it has fewer than 7 fields")
        else:
            name, kind, offset, magic, mask, interpreter, flags = parts
            if not NAME.fullmatch(name) or name in ("register", "status"):
                problem = f"bad entry name {name!r}"
            elif kind not in ("M", "E"):
                problem = f"type {kind!r} is neither M nor E"
            elif offset and not offset.isdigit():
                problem = f"offset {offset!r} is not a number"
            elif not BYTES.fullmatch(magic) or not BYTES.fullmatch(mask) or not magic:
                problem = "magic and mask must be bytes written as \\xNN"
            elif not interpreter.startswith("/") or " " in interpreter:
                problem = f"interpreter {interpreter!r} is not an absolute path"
            elif not FLAGS.fullmatch(flags):
                problem = f"flags {flags!r} are not among P, O, C and F"
    if problem:
        raise build_error(f"{service}: cannot register the binfmt_misc entry {entry!r}: "
                          f"{problem}")
    return entry


def entry_name(entry: str) -> str:
    return entry.split(":")[1]


def binfmt_files(specs: list[dict]) -> dict[str, str]:
    """`binfmt.d/NAME.conf` file name -> content, for every binfmt runner's entries."""
    out: dict[str, str] = {}
    for spec in specs:
        start = spec.get("start", {})
        if start.get("kind") != "binfmt":
            continue
        for entry in start["entries"]:
            check(entry, spec["provision"][0])
            out[f"{entry_name(entry)}.conf"] = entry + "\n"
    return out
