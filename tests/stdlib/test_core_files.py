"""File-like objects: their names, their content, and errors at the call's location."""

from __future__ import annotations

import os

import pytest
from core_helpers import error_of, ev

from vsys.dsl.datatypes import to_list
from vsys.dsl.errors import SchemeError, format_error
from vsys.stdlib.files import (
    DirData,
    FileAppend,
    FileData,
    LinkData,
    LocalFile,
    local_file,
    resolver,
)

RESOLVE = resolver(lambda fl: f"/store/{fl.name}")


def test_plain_file_content():
    f = ev('(plain-file "archivo" "Esto va bien")')
    assert f.name == "archivo"
    content = f.produce(RESOLVE)
    assert isinstance(content, FileData)
    assert content.data == "Esto va bien".encode() and not content.executable


def test_plain_file_with_one_argument_names_its_parameters():
    msg = error_of('(define x\n  (plain-file "only-a-name"))')
    assert msg.startswith("config.scm:2:3: error: wrong number of arguments to plain-file: "
                          "expected 2 arguments, got 1")
    assert "hint: plain-file is called as (plain-file name content)" in msg


def test_local_file_is_relative_to_the_config(tmp_path):
    (tmp_path / "keys").mkdir()
    (tmp_path / "keys" / "id.pub").write_text("ssh-ed25519 AAAA me\n")
    config = tmp_path / "config.scm"
    f = ev('(local-file "keys/id.pub")', str(config))
    assert isinstance(f, LocalFile) and f.name == "id.pub"
    assert f.path == str(tmp_path / "keys" / "id.pub")
    assert f.produce(RESOLVE).data == b"ssh-ed25519 AAAA me\n"
    named = ev('(local-file "keys/id.pub" "alice.pub")', str(config))
    assert named.name == "alice.pub"


def test_missing_local_file_is_an_error_at_its_location(tmp_path):
    config = tmp_path / "config.scm"
    msg = error_of('(list 1\n      (local-file "nope.pub"))', str(config))
    assert msg.startswith(f"{config}:2:7: error: local-file: file not found: "
                          f"{tmp_path}/nope.pub")
    assert f"relative to the directory of the config file: {tmp_path}" in msg


def test_seed_local_file_of_a_missing_home_key():
    msg = error_of('(local-file "/home/charlie/.ssh/id_rsa.pub")')
    assert "local-file: file not found: /home/charlie/.ssh/id_rsa.pub" in msg


def test_local_file_directory_needs_recursive(tmp_path):
    variants = tmp_path / "ganeti-guix-variants"
    variants.mkdir()
    (variants / "default.scm").write_text("(operating-system)\n")
    (variants / "run").write_text("#!/bin/sh\n")
    os.chmod(variants / "run", 0o755)
    config = str(tmp_path / "c.scm")
    msg = error_of('(local-file "ganeti-guix-variants")', config)
    assert "is a directory" in msg and "#:recursive? #t" in msg
    d = ev('(local-file "ganeti-guix-variants" "guix-variants" #:recursive? #t)', config)
    assert d.name == "guix-variants" and d.is_directory
    tree = d.produce(RESOLVE)
    assert isinstance(tree, DirData) and sorted(tree.entries) == ["default.scm", "run"]
    assert tree.entries["run"].executable and not tree.entries["default.scm"].executable
    msg = error_of('(local-file "x" #:recursiv? #t)', config)
    assert "unknown keyword #:recursiv?" in msg and "did you mean recursive?" in msg


def test_local_file_of_a_device_or_pipe_is_an_error_not_a_hang(tmp_path):
    """Reading /dev/zero or a named pipe would never end: refused where it is named, and
    inside a directory copied with #:recursive? #t."""
    config = str(tmp_path / "c.scm")
    msg = error_of('(local-file "/dev/zero")', config)
    assert msg.startswith(f"{config}:1:1: error: local-file: /dev/zero is a character device")
    tree = tmp_path / "hooks"
    tree.mkdir()
    os.mkfifo(tree / "pipe")
    d = ev('(local-file "hooks" #:recursive? #t)', config)
    with pytest.raises(SchemeError) as info:
        d.produce(RESOLVE)
    assert format_error(info.value).startswith(
        f"{config}:1:1: error: local-file: {tree / 'pipe'} is a named pipe")


def test_local_file_from_python(tmp_path):
    (tmp_path / "a").write_text("A")
    assert local_file(str(tmp_path), "a").produce(RESOLVE).data == b"A"


def test_mixed_text_file_inserts_paths():
    f = ev('''(use-package-modules virtualization)
              (mixed-text-file "conf" "qemu=" (file-append qemu "/bin/qemu-img") "\\n"
                               "file=" (plain-file "x" "") "\\n")''')
    assert f.produce(RESOLVE).data == b"qemu=/usr/bin/qemu-img\nfile=/store/x\n"


def test_scheme_and_program_files():
    s = ev('(scheme-file "data.scm" \'(a "b" (c . 1)))')
    assert s.produce(RESOLVE).data == b'(a "b" (c . 1))\n'
    p = ev('(program-file "hello" #~(begin (display #$(plain-file "t" "")) (newline)))')
    content = p.produce(RESOLVE)
    assert content.executable
    text = content.data.decode()
    first, second, code = text.split("\n", 2)
    assert first.startswith("#!/usr/bin/guile") and first.endswith(" --no-auto-compile")
    assert second == "!#"
    assert code == '(begin (display "/store/t") (newline))\n'


def test_file_union_links_each_entry():
    u = ev('''(file-union "etc-x" `(("a.conf" ,(plain-file "a" "1"))
                                     ("sub/b.conf" ,(plain-file "b" "2"))))''')
    tree = u.produce(RESOLVE)
    assert isinstance(tree.entries["a.conf"], LinkData)
    assert tree.entries["a.conf"].target == "/store/a"
    assert tree.entries["sub"].entries["b.conf"].target == "/store/b"


def test_file_append_of_a_package_and_nested():
    fa = ev('(use-package-modules ssh) (file-append (file-append openssh "/bin") "/ssh-keygen")')
    assert isinstance(fa, FileAppend) and fa.suffix == "/bin/ssh-keygen"
    assert RESOLVE(fa) == "/usr/bin/ssh-keygen"
    msg = error_of('(file-append "not-a-file" "/x")')
    assert "file-append: wrong type argument in position 1" in msg


def test_computed_file_runs_its_code():
    f = ev('''(computed-file "made" #~(begin (mkdir-p #$output)
                       (call-with-output-file (string-append #$output "/a.txt")
                         (lambda (port) (display "made" port)))
                       (symlink #$(plain-file "b" "") (string-append #$output "/b"))))''')
    tree = f.produce(RESOLVE)
    assert tree.entries["a.txt"].data == b"made"
    assert tree.entries["b"].target == "/store/b"
    broken = ev('(computed-file "x" #~(display "nothing"))')
    try:
        broken.produce(RESOLVE)
    except Exception as e:       # noqa: BLE001
        assert "computed-file x: its code did not create #$output" in str(e)
    else:
        raise AssertionError("expected an error")


def test_file_like_predicates():
    assert ev('(file-like? (plain-file "a" ""))') is True
    assert ev("(use-package-modules ssh) (file-like? openssh)") is True
    assert ev('(file-like? "a string")') is False
    assert to_list(ev("(list (plain-file? (plain-file \"a\" \"\")))")) == [True]
