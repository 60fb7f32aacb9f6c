"""libvirt's configuration file syntax (libvirtd.conf, virtlogd.conf).

One line per field: `KEY = VALUE`, KEY being the field name without `?` and with `-` as
`_`.  Booleans are 1/0, integers decimal, strings quoted, lists `["a","b"]`; an empty
optional list or string is written as a comment, so libvirt keeps its built-in default.

libvirt's config parser (virconf.c) has no escape sequences: a `"..."` string ends at the
next `"` or line end and keeps backslashes as they are.  It also reads `'...'` (ends at
`'` or line end) and Python-style `\"\"\"...\"\"\"` (may span lines, ends at the first
`\"\"\"`).  So a string is written with the first of those three quotings that holds it
unchanged; a string none of them can hold (say, one with a line break that ends with `"`)
is refused with an error naming the field.
"""

from __future__ import annotations

from typing import Any

from vsys.dsl.datatypes import NIL, Pair, is_string, pystr, to_list


class UnquotableString(ValueError):
    """A string libvirt's config parser could not read back unchanged."""


def conf_key(field_name: str) -> str:
    return field_name.rstrip("?").replace("-", "_")


def quote(text: str) -> str | None:
    """TEXT quoted so that libvirt reads it back unchanged, or None when impossible."""
    if "\0" in text:
        return None
    one_line = "\n" not in text and "\r" not in text
    if one_line and '"' not in text:
        return f'"{text}"'
    if one_line and "'" not in text:
        return f"'{text}'"
    # Triple quotes end at the first `"""`, so the text may neither contain one nor end
    # with `"` (which would merge with the closing quotes).
    if '"""' not in text and not text.endswith('"'):
        return f'"""{text}"""'
    return None


def quotable(text: Any) -> bool:
    return is_string(text) and quote(pystr(text)) is not None


def quote_or_fail(text: str, key: str) -> str:
    q = quote(text)
    if q is None:
        raise UnquotableString(
            f"{key}: libvirt's configuration syntax cannot hold the string {text!r} "
            f"(no quoting keeps it intact: it has a NUL byte, or a line break together "
            f"with '\"\"\"' or a final '\"')")
    return q


def conf_value(value: Any, key: str) -> str:
    if value is True:
        return "1"
    if value is False:
        return "0"
    if isinstance(value, int):
        return str(value)
    if is_string(value):
        return quote_or_fail(pystr(value), key)
    if value is NIL or type(value) is Pair or isinstance(value, list):
        items = to_list(value) if not isinstance(value, list) else value
        return "[" + ",".join(quote_or_fail(pystr(x), key) for x in items) + "]"
    raise TypeError(f"{key}: cannot write {value!r} in a libvirt configuration file")


def conf_line(field_name: str, value: Any, optional: bool = False) -> str:
    """One `KEY = VALUE` line.  An `optional` field holding the empty list or the empty
    string is written commented out."""
    key = conf_key(field_name)
    if optional and (value is NIL or value == [] or (is_string(value) and pystr(value) == "")):
        empty = '""' if is_string(value) else "[]"
        return f"# {key} = {empty}\n"
    return f"{key} = {conf_value(value, key)}\n"
