"""Values that would break the line-oriented files the service library writes.

/etc/hosts, sshd_config, /etc/ganeti/file-storage-paths and the variants lists separate
entries with line breaks (and hosts its fields with blanks) and have no escapes: a host
name or a path holding a line break would add an entry of its own.  sshd_config also
splits its values into words, reads quotes and starts comments with `#`: a value it
would read as something else (a subsystem named "a b") is refused too.  These checks read
the folded values of those services and refuse such a value, naming the record and the
field, before any file is written.
"""

from __future__ import annotations

import re
from typing import Any

from vsys.dsl.datatypes import is_list, is_string, pystr, to_list
from vsys.dsl.printer import write_string
from vsys.dsl.records import Record

from .lowering import build_error

LINE_BREAK = re.compile(r"[\n\r\0]")
# The longest name a config may give a file vsys writes (file systems take 255 bytes; the
# files named after it add a prefix or a suffix, such as instance-NAME).
NAME_BYTES = 200
# No blanks, comments, separators other files use (`;`, `/`), quotes or control characters.
HOST_NAME = re.compile(r"[^\s#;/\\\"'\x00-\x1f\x7f]+")
# One word of sshd_config, read back as written.
SSHD_WORD = re.compile(r"[^\s#\"'\\\x00-\x1f\x7f]+")


def _one_line(value: Any, rec: Any, field: str) -> None:
    if is_string(value) and LINE_BREAK.search(pystr(value)):
        raise build_error(f"{rec.rtype.name}: {field} {write_string(value)} holds a line "
                          f"break, which the file it is written to cannot hold",
                          getattr(rec, "loc", None))


def _file_name(value: Any, rec: Any, field: str) -> None:
    _one_line(value, rec, field)
    if "/" in pystr(value) or pystr(value) in ("", ".", ".."):
        raise build_error(f"{rec.rtype.name}: {field} {write_string(value)} cannot name a "
                          f"file", getattr(rec, "loc", None))
    if len(pystr(value).encode()) > NAME_BYTES:
        raise build_error(f"{rec.rtype.name}: {field} is too long to name a file "
                          f"({len(pystr(value).encode())} bytes; at most {NAME_BYTES})",
                          getattr(rec, "loc", None))


def hosts(value: Any) -> None:
    for h in to_list(value):
        for name in [h["canonical-name"], *to_list(h["aliases"])]:
            if not HOST_NAME.fullmatch(pystr(name)):
                raise build_error(f"host {pystr(h['address'])}: {write_string(name)} is not a "
                                  f"host name /etc/hosts can hold (no blanks, '#', ';', '/', "
                                  f"quotes, line breaks or other control characters)",
                                  getattr(h, "loc", None))


def _sshd_words(value: Any, rec: Any, field: str, one: bool) -> None:
    """VALUE must reach sshd as the word (ONE) or the words it is."""
    _one_line(value, rec, field)
    if not is_string(value):
        return                          # a file-like: a store path
    words = [pystr(value)] if one else pystr(value).split(" ")
    if not all(SSHD_WORD.fullmatch(w) for w in words if w or one) or not pystr(value).strip():
        what = "one word" if one else "words"
        raise build_error(f"{rec.rtype.name}: {field} {write_string(value)} is not {what} "
                          f"sshd_config can hold (no blanks{'' if one else ' but single spaces'}"
                          f", '#', quotes, backslashes or control characters): sshd would "
                          f"read it otherwise", getattr(rec, "loc", None))


def openssh(c: Any) -> None:
    _sshd_words(c["pid-file"], c, "pid-file", True)
    for var in to_list(c["accepted-environment"]):
        _sshd_words(var, c, "accepted-environment", True)
    for entry in to_list(c["subsystems"]):
        name, command = to_list(entry)
        _sshd_words(name, c, "subsystems name", True)
        _sshd_words(command, c, "subsystems command", False)
    for entry in to_list(c["authorized-keys"]):
        _file_name(entry.car, c, "authorized-keys user")


def ganeti(c: Any) -> None:
    for path in to_list(c["file-storage-paths"]):
        _one_line(path, c, "file-storage-paths")
    for os_ in to_list(c["os"]):
        _file_name(os_["name"], os_, "name")
        if os_["extension"] is not False:
            _file_name(os_["extension"], os_, "extension")
        variants = os_["variants"]
        for v in to_list(variants) if is_list(variants) else []:
            if type(v) is Record:
                _file_name(v["name"], v, "name")


CHECKS = {"hosts": hosts, "ssh": openssh, "ganeti": ganeti}


def check_values(folded) -> None:
    for service in folded.services:
        check = CHECKS.get(service.type.name)
        if check is not None:
            check(folded.value(service))
