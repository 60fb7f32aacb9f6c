"""Tab completion at the REPL: names visible in the current module, field names inside a
record form, meta-command names after a comma.

Inside `(libvirt-configuration (tls` the word being completed opens a field clause of
a `libvirt-configuration` record, so the candidates are that record's fields (and
`inherit`).  Which record it is comes from a small scan of the text typed so far
(including earlier lines of a multi-line entry): strings, comments and character
literals are skipped, and each open list remembers its first word.
"""

from __future__ import annotations

from collections.abc import Callable

# Characters that end a Scheme word, for readline.
DELIMITERS = " \t\n()[]'\"`,;"


def open_lists(text: str) -> list[str | None]:
    """The first word of every list still open at the end of TEXT, outermost first
    (None for a list with no word yet, or one that starts with a list)."""
    stack: list[list] = []           # [head or None, has_items]
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == ";":
            j = text.find("\n", i)
            i = n if j < 0 else j + 1
        elif c == '"':
            i += 1
            while i < n and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
            i += 1
            _item(stack)
        elif c == "#" and text.startswith("#\\", i):
            i += 3
            while i < n and text[i] not in DELIMITERS:
                i += 1
            _item(stack)
        elif c == "#" and text.startswith("#|", i):
            j = text.find("|#", i + 2)
            i = n if j < 0 else j + 2
        elif c in "([":
            _item(stack)
            stack.append([None, False])
            i += 1
        elif c in ")]":
            if stack:
                stack.pop()
            i += 1
        elif c in " \t\n'`,@":
            i += 1
        else:
            j = i
            while j < n and text[j] not in DELIMITERS:
                j += 1
            if stack and not stack[-1][1]:
                stack[-1][0] = text[i:j]
            _item(stack)
            i = j
    return [frame[0] for frame in stack]


def _item(stack: list) -> None:
    if stack:
        stack[-1][1] = True


def candidates(before: str, word: str, names: Callable[[], set[str]],
               fields_of: Callable[[str], list[str] | None],
               meta: list[str]) -> list[str]:
    """Completions of WORD, the text before it being BEFORE (the whole entry so far).

    `names()` gives the visible names; `fields_of(name)` a record type's field names,
    or None when NAME is not a record type; `meta` the meta-command names."""
    stripped = before.lstrip()
    if stripped == ",":
        return sorted(m for m in meta if m.startswith(word))
    if before.endswith(("(", "[")):
        heads = open_lists(before)
        if len(heads) >= 2 and heads[-2] is not None:
            fields = fields_of(heads[-2])
            if fields is not None:
                return sorted(f for f in fields + ["inherit"] if f.startswith(word))
    return sorted(n for n in names() if n.startswith(word))
