"""What Tab offers: names, record fields inside a record form, meta-commands."""

from __future__ import annotations

from vsys.repl_complete import candidates, open_lists

FIELDS = {"libvirt-configuration": ["tls-port", "tcp-port", "listen-tls?"]}


def complete(before: str, word: str) -> list[str]:
    return candidates(before, word, lambda: {"list", "listen", "libvirt-configuration"},
                      FIELDS.get, ["describe", "help"])


def test_open_lists_skip_strings_comments_and_characters():
    assert open_lists("(a (b") == ["a", "b"]
    assert open_lists('(a "(x" (b') == ["a", "b"]
    assert open_lists("(a ; (x\n (b") == ["a", "b"]
    assert open_lists("(a #\\( (b") == ["a", "b"]
    assert open_lists("(a #| ( |# ((b") == ["a", None, "b"]
    assert open_lists("(a (b) (c d) (") == ["a", None]


def test_fields_inside_a_record_form():
    assert complete("(libvirt-configuration (", "t") == ["tcp-port", "tls-port"]
    assert complete('(service x (libvirt-configuration (tls-port "1")\n  (', "") == \
        ["inherit", "listen-tls?", "tcp-port", "tls-port"]
    # not in a field clause: ordinary names
    assert complete("(libvirt-configuration (tls-port (", "li") == \
        ["libvirt-configuration", "list", "listen"]
    assert complete("(foo (", "lis") == ["list", "listen"]


def test_meta_commands_and_their_arguments():
    assert complete(",", "de") == ["describe"]
    assert complete(",describe ", "libv") == ["libvirt-configuration"]
