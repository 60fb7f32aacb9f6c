"""Realistic mistakes made to a config file's text.

The text is scanned into a light syntax tree (lists with their spans, atoms, strings,
comments), enough to pick a form, a field name or a string and change it as a person
editing by hand would: a lost or doubled parenthesis, a misspelt name, a string where a
number belongs, a record in the wrong field, a file cut short...  Each mutation takes a
`random.Random` and the text (bytes) and returns the new text and a one-line description,
so that every case can be replayed from its seed.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

OPEN, CLOSE = b"([", b")]"


@dataclass
class Node:
    kind: str                 # "list", "atom", "string"
    start: int                # byte offsets in the text: text[start:end] is the form
    end: int
    children: list["Node"] = field(default_factory=list)
    parent: "Node | None" = None

    def head(self, text: bytes) -> bytes | None:
        if self.kind == "list" and self.children and self.children[0].kind == "atom":
            c = self.children[0]
            return text[c.start:c.end]
        return None


class Scan:
    """Tokens and forms of one text.  Never fails: an unbalanced text gives what it can."""

    def __init__(self, text: bytes):
        self.text = text
        self.parens: list[int] = []          # offsets of ( ) [ ]
        self.nodes: list[Node] = []          # every form, outermost first
        self.top: list[Node] = []
        stack: list[Node] = []
        i, n = 0, len(text)
        atom_re = re.compile(rb"[^\s()\[\]\";]+")
        while i < n:
            c = text[i:i + 1]
            if c.isspace():
                i += 1
            elif c == b";":
                j = text.find(b"\n", i)
                i = n if j < 0 else j + 1
            elif text.startswith(b"#|", i):
                j = text.find(b"|#", i + 2)
                i = n if j < 0 else j + 2
            elif c in (b"(", b"["):
                self.parens.append(i)
                node = Node("list", i, n, parent=stack[-1] if stack else None)
                self._add(node, stack)
                stack.append(node)
                i += 1
            elif c in (b")", b"]"):
                self.parens.append(i)
                if stack:
                    stack.pop().end = i + 1
                i += 1
            elif c == b'"':
                j = i + 1
                while j < n and text[j:j + 1] != b'"':
                    j += 2 if text[j:j + 1] == b"\\" else 1
                node = Node("string", i, min(j + 1, n), parent=stack[-1] if stack else None)
                self._add(node, stack)
                i = j + 1
            else:
                m = atom_re.match(text, i)
                j = m.end() if m else i + 1
                node = Node("atom", i, j, parent=stack[-1] if stack else None)
                self._add(node, stack)
                i = j

    def _add(self, node: Node, stack: list[Node]) -> None:
        self.nodes.append(node)
        (stack[-1].children if stack else self.top).append(node)

    def of(self, kind: str) -> list[Node]:
        return [x for x in self.nodes if x.kind == kind]

    def lists_with(self, minimum: int) -> list[Node]:
        return [x for x in self.nodes if x.kind == "list" and len(x.children) >= minimum]

    def records(self) -> list[Node]:
        """Forms that make a record or a service: (NAME-configuration ...), (service ...),
        (file-system ...), (user-account ...), ..."""
        out = []
        for x in self.nodes:
            h = x.head(self.text)
            if h and (h.endswith(b"-configuration") or h in RECORD_HEADS):
                out.append(x)
        return out


RECORD_HEADS = {b"service", b"file-system", b"user-account", b"user-group", b"operating-system",
                b"bootloader-configuration", b"ganeti-os", b"ganeti-os-variant",
                b"shepherd-service", b"mapped-device", b"static-networking",
                b"network-address", b"network-route", b"hurd-vm-configuration",
                b"virtual-build-machine", b"local-file", b"plain-file", b"mcron-job"}


def splice(text: bytes, start: int, end: int, new: bytes) -> bytes:
    return text[:start] + new + text[end:]


# --- values a person (or a bad copy-paste) puts where a string was ---------------------------

ODD_VALUES: list[bytes] = [
    b"42", b"0", b"-1", b"1.5", b"1/3", b"+inf.0", b"+nan.0", b"#e1e30",
    b"123456789012345678901234567890123456789012345678901234567890",
    b"-99999999999999999999999999999999", b"1e308", b"1e400",
    b"foo", b"'foo", b"#:foo", b"#\\a", b"#t", b"#f", b"#true", b"'()", b"()",
    b"(list)", b"(list 1 2)", b"'(\"a\" \"b\")", b"(list \"a\" 2 #t)", b"#(1 2)", b"#vu8(1 2)",
    b"(lambda () 1)", b"car", b"%base-services", b"(cons 1 2)", b"'(a . b)",
    b'""', b'" "', b'"\\""', b'"a\\"b"', b'"back\\\\slash\\\\"', b'"line\\nbreak"',
    b'"line\nbreak"', b'"tab\\there"', b'"nul\\x00;byte"', b'"nul\x00raw"', b'"\\x7f;\\x01;"',
    "\"h\u00e9llo \u2014 \u2713 \u65e5\u672c \U0001f600\"".encode(),
    b'"$(rm -rf /tmp/x); `id` | cat && echo > /dev/null"', b'"a b\'c\\"d"',
    b'"--option=1"', b'"-"', b'"../../../etc/passwd"', b'"/"', b'"%s %d {0} {{x}}"',
    b'"${HOME}"', b'"\\\\x41"', b'"with\\\\nliteral"', b'"x' + b"y" * 5000 + b'"',
    b'"=\\n[section]\\nkey=value"', b'"#"', b'"\\u00e9"',
    b"#~(string-append #$x)", b"#$foo", b"(string->symbol \"a b\")",
    b"(iota 3)", b"(make-string 3 #\\a)", b"(vector 1 2)", b"(current-output-port)",
    b"(string-copy \"vmhost\")", b"(list (string-copy \"a\"))", b"(string #\\a #\\b)",
    b"(string-append \"a\" \"b\")", b"(symbol->string 'abc)", b"(number->string 42)",
    b"(list \"a\" (string-copy \"b\"))", b"(delay 1)", b"(make-parameter 1)",
    b"(lambda args args)", b"(if #f #f)", b"*unspecified*", b"(values)", b"(values 1 2)",
    b"7" * 5000, b"#e1.5", b"1e-400", b"#x-ff", b"-0.0",
]

PREFIXES = [b"#$", b"#~", b",@", b",", b"'", b"`", b"#$@", b"#+", b"#:", b"#;", b"#", b"@"]


def misspell(rng: random.Random, word: bytes) -> bytes:
    w = bytearray(word)
    if not w:
        return b"x"
    op = rng.randrange(7)
    i = rng.randrange(len(w))
    if op == 0 and len(w) > 1:                      # a letter dropped
        del w[i]
    elif op == 1 and len(w) > 1:                    # two letters swapped
        j = min(i + 1, len(w) - 1)
        w[i], w[j] = w[j], w[i]
    elif op == 2:                                   # a letter doubled
        w.insert(i, w[i])
    elif op == 3:                                   # a wrong letter
        w[i] = ord(rng.choice("abcdefghijklmnopqrstuvwxyz-_"))
    elif op == 4:                                   # underscores for dashes, or the reverse
        w = bytearray(word.replace(b"-", b"_") if b"-" in word else word.replace(b"_", b"-"))
    elif op == 5:                                   # capitalised
        w = bytearray(word.upper() if rng.random() < 0.3 else word[:1].upper() + word[1:])
    else:                                           # a plural, or a suffix lost
        w = bytearray(word + b"s" if rng.random() < 0.5 else re.sub(rb"-[^-]*$", b"", word))
    return bytes(w) or b"x"


# --- the mutations --------------------------------------------------------------------------

def _paren(rng, text, scan, doubled: bool):
    """A parenthesis lost, or typed twice."""
    if not scan.parens:
        return None
    i = rng.choice(scan.parens)
    paren = text[i:i + 1]
    return splice(text, i, i + 1, paren * 2 if doubled else b""), \
        f"{'doubled' if doubled else 'deleted'} {paren.decode()} at byte {i}"


def m_delete_paren(rng, text, scan, corpus):
    return _paren(rng, text, scan, False)


def m_duplicate_paren(rng, text, scan, corpus):
    return _paren(rng, text, scan, True)


def m_move_close_paren(rng, text, scan, corpus):
    """A closing parenthesis moved to the end of another line (the manual's classic)."""
    closes = [i for i in scan.parens if text[i:i + 1] in (b")", b"]")]
    if not closes:
        return None
    i = rng.choice(closes)
    t = splice(text, i, i + 1, b"")
    ends = [m.start() for m in re.finditer(rb"\n", t)]
    if not ends:
        return None
    j = rng.choice(ends)
    return splice(t, j, j, b")"), f"moved ) from byte {i} to byte {j}"


def m_swap_adjacent(rng, text, scan, corpus):
    lists = scan.lists_with(2)
    if not lists:
        return None
    x = rng.choice(lists)
    k = rng.randrange(len(x.children) - 1)
    a, b = x.children[k], x.children[k + 1]
    new = text[:a.start] + text[b.start:b.end] + text[a.end:b.start] + text[a.start:a.end] \
        + text[b.end:]
    return new, f"swapped forms at bytes {a.start} and {b.start}"


def _odd_value(rng, text, nodes: list[Node]):
    """One of NODES replaced by one of ODD_VALUES."""
    if not nodes:
        return None
    x = rng.choice(nodes)
    v = rng.choice(ODD_VALUES)
    return splice(text, x.start, x.end, v), \
        f"{text[x.start:x.end][:30]!r} at byte {x.start} -> {v[:40]!r}"


def m_replace_string(rng, text, scan, corpus):
    return _odd_value(rng, text, scan.of("string"))


def m_replace_atom(rng, text, scan, corpus):
    return _odd_value(rng, text, [a for a in scan.of("atom")
                                  if a.parent is None or a.parent.children[0] is not a])


def m_misspell(rng, text, scan, corpus):
    atoms = [a for a in scan.of("atom") if re.match(rb"^[%A-Za-z<]", text[a.start:a.end])]
    if not atoms:
        return None
    # Field names, procedures and service types most of the time.
    heads = [a for a in atoms if a.parent is not None and a.parent.children[0] is a]
    types = [a for a in atoms if text[a.start:a.end].endswith(b"-service-type")]
    pool = rng.choice([p for p in (heads, types, atoms) if p])
    a = rng.choice(pool)
    word = text[a.start:a.end]
    new = misspell(rng, word)
    return splice(text, a.start, a.end, new), f"misspelt {word!r} as {new!r}"


def m_drop_argument(rng, text, scan, corpus):
    lists = scan.lists_with(2)
    if not lists:
        return None
    x = rng.choice(lists)
    c = rng.choice(x.children[1:])
    return splice(text, c.start, c.end, b""), f"dropped argument at byte {c.start}"


def m_add_argument(rng, text, scan, corpus):
    lists = scan.lists_with(1)
    if not lists:
        return None
    x = rng.choice(lists)
    r = rng.random()
    if r < 0.4 and len(x.children) > 1:            # a field given twice
        c = rng.choice(x.children[1:])
        extra = text[c.start:c.end]
    elif r < 0.7:
        extra = rng.choice(ODD_VALUES)
    else:
        extra = rng.choice(corpus.forms) if corpus.forms else b"1"
    at = x.children[-1].end
    return splice(text, at, at, b" " + extra), f"added argument {extra[:40]!r} at byte {at}"


def m_replace_record(rng, text, scan, corpus):
    recs = scan.records()
    if not recs or not corpus.records:
        return None
    x = rng.choice(recs)
    new = rng.choice(corpus.records)
    return splice(text, x.start, x.end, new), \
        f"record at byte {x.start} replaced by {new[:40]!r}"


def m_record_for_list(rng, text, scan, corpus):
    """A record, a single service or a bare value where a list (of services, users, file
    systems...) is expected."""
    fields = [x for x in scan.nodes if x.kind == "list" and len(x.children) == 2
              and x.head(text) in (b"services", b"users", b"file-systems", b"groups",
                                   b"platforms", b"os", b"variants", b"packages",
                                   b"targets", b"supplementary-groups", b"hooks")]
    if not fields:
        return None
    f = rng.choice(fields)
    value = f.children[1]
    choices = list(corpus.records) + [b"%base-services", b"'()", b"\"x\""]
    inner = [c for c in scan.nodes if c.kind == "list" and c.parent is value]
    if inner:
        choices += [text[c.start:c.end] for c in inner]     # one element, not in a list
    new = rng.choice(choices)
    return splice(text, value.start, value.end, new), \
        f"{f.head(text).decode()} given {new[:40]!r}"


def m_wrap(rng, text, scan, corpus):
    nodes = [x for x in scan.nodes if x.parent is not None]
    if not nodes:
        return None
    x = rng.choice(nodes)
    return text[:x.start] + b"(" + text[x.start:x.end] + b")" + text[x.end:], \
        f"wrapped form at byte {x.start} in parentheses"


def m_unwrap(rng, text, scan, corpus):
    lists = [x for x in scan.lists_with(1) if x.end <= len(text) and text[x.end - 1:x.end] in CLOSE]
    if not lists:
        return None
    x = rng.choice(lists)
    return text[:x.start] + text[x.start + 1:x.end - 1] + text[x.end:], \
        f"removed the parentheses of the form at byte {x.start}"


def m_prefix(rng, text, scan, corpus):
    if not scan.nodes:
        return None
    x = rng.choice(scan.nodes)
    p = rng.choice(PREFIXES)
    return splice(text, x.start, x.start, p), f"inserted {p.decode()} at byte {x.start}"


def m_truncate(rng, text, scan, corpus):
    i = rng.randrange(len(text) + 1)
    return text[:i], f"truncated at byte {i}"


def m_open_comment(rng, text, scan, corpus):
    i = rng.randrange(len(text) + 1)
    opener = rng.choice([b"#|", b"#|", b"#;", b"\"", b"|"])
    return splice(text, i, i, opener), f"inserted {opener.decode()} at byte {i}"


def m_random_bytes(rng, text, scan, corpus):
    i = rng.randrange(len(text) + 1)
    k = rng.randrange(1, 12)
    junk = bytes(rng.choice([rng.randrange(256), rng.choice(b"()[]\"#;'`,@|\\\x00\n")])
                 for _ in range(k))
    j = min(len(text), i + rng.choice([0, 0, 1, k]))
    return splice(text, i, j, junk), f"bytes {junk!r} at byte {i}"


def m_replace_form(rng, text, scan, corpus):
    nodes = [x for x in scan.nodes if x.parent is not None]
    if not nodes or not corpus.forms:
        return None
    x = rng.choice(nodes)
    new = rng.choice(corpus.forms)
    return splice(text, x.start, x.end, new), f"form at byte {x.start} -> {new[:40]!r}"


def m_duplicate_form(rng, text, scan, corpus):
    nodes = [x for x in scan.nodes if x.parent is not None]
    if not nodes:
        return None
    x = rng.choice(nodes)
    return splice(text, x.end, x.end, b" " + text[x.start:x.end]), \
        f"duplicated form at byte {x.start}"


MUTATIONS = {
    "delete-paren": m_delete_paren,
    "duplicate-paren": m_duplicate_paren,
    "move-close-paren": m_move_close_paren,
    "swap-adjacent": m_swap_adjacent,
    "replace-string": m_replace_string,
    "replace-atom": m_replace_atom,
    "misspell": m_misspell,
    "drop-argument": m_drop_argument,
    "add-argument": m_add_argument,
    "replace-record": m_replace_record,
    "record-for-list": m_record_for_list,
    "wrap": m_wrap,
    "unwrap": m_unwrap,
    "prefix": m_prefix,
    "truncate": m_truncate,
    "open-comment": m_open_comment,
    "random-bytes": m_random_bytes,
    "replace-form": m_replace_form,
    "duplicate-form": m_duplicate_form,
}


class Corpus:
    """Forms of every example, to borrow from: records, and any subform."""

    def __init__(self, texts: list[bytes]):
        self.records: list[bytes] = []
        self.forms: list[bytes] = []
        for t in texts:
            s = Scan(t)
            self.records += [t[x.start:x.end] for x in s.records() if x.end - x.start < 2000]
            self.forms += [t[x.start:x.end] for x in s.nodes
                           if x.parent is not None and x.end - x.start < 400]
        self.records = sorted(set(self.records))
        self.forms = sorted(set(self.forms))


def mutate(rng: random.Random, text: bytes, corpus: Corpus, count: int | None = None,
           names: list[str] | None = None) -> tuple[bytes, list[str]]:
    """TEXT with COUNT (default: 1 to 3) mutations applied, and their descriptions."""
    count = count if count is not None else rng.choice([1, 1, 1, 2, 2, 3])
    done: list[str] = []
    pool = names or sorted(MUTATIONS)
    tries = 0
    while len(done) < count and tries < 50:
        tries += 1
        name = rng.choice(pool)
        out = MUTATIONS[name](rng, text, Scan(text), corpus)
        if out is None or out[0] == text:
            continue
        text = out[0]
        done.append(f"{name}: {out[1]}")
    return text, done
