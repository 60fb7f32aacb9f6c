"""The store: items appear whole or not at all, are read-only, are never written twice;
`vsys gc` removes what no generation uses; a full disk is reported plainly and leaves
nothing behind."""

from __future__ import annotations

import errno
import os
import stat

import pytest
from support.paths import EXAMPLES
from support.world import World

from vsys import store
from vsys.activation import accounts
from vsys.builders.items import item_path
from vsys.generations import Generation, select
from vsys.stdlib.files import DirData, FileData, LinkData

EXAMPLE = os.path.join(EXAMPLES, "ganeti-node.scm")


def test_an_item_is_written_whole_and_read_only(tmp_path):
    content = DirData({"bin": DirData({"run": FileData(b"#!/bin/sh\n", True)}),
                       "conf": FileData(b"x = 1\n"), "link": LinkData("/etc/hosts")})
    path = item_path(str(tmp_path), "thing", content)
    assert store.add(path, content) is True
    assert store.add(path, content) is False             # already there: not rewritten
    assert os.listdir(tmp_path) == [os.path.basename(path)]
    assert stat.S_IMODE(os.stat(f"{path}/conf").st_mode) == 0o444
    assert stat.S_IMODE(os.stat(f"{path}/bin/run").st_mode) == 0o555
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o555
    assert os.readlink(f"{path}/link") == "/etc/hosts"
    assert store.items(str(tmp_path)) == [path]


def test_a_full_disk_leaves_no_half_item(tmp_path, monkeypatch):
    content = DirData({"a": FileData(b"a" * 100), "b": FileData(b"b" * 100)})
    path = item_path(str(tmp_path), "big", content)
    real_write = os.write
    calls = []

    def write(fd, data):
        calls.append(fd)
        if len(calls) > 1:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)
    monkeypatch.setattr(os, "write", write)
    with pytest.raises(store.StoreError, match="the disk is full"):
        store.add(path, content)
    assert os.listdir(tmp_path) == []


def test_gc_keeps_what_generations_use(tmp_path, monkeypatch):
    w = World(tmp_path, in_process=True)
    one = w.config("one.scm", '(use-modules (gnu)) (operating-system (host-name "one"))')
    two = w.config("two.scm", '(use-modules (gnu)) (operating-system (host-name "two"))')
    w.reconfigure(one, "--no-supervisor")
    w.reconfigure(two, "--no-supervisor")
    stray = w.vsys("build", w.config("three.scm", '(use-modules (gnu)) '
                                     '(operating-system (host-name "three"))')).stdout.strip()
    items = set(os.listdir(os.path.join(w.state, "store")))
    out = w.vsys("gc").stdout
    assert out.startswith("removed ")
    assert not os.path.exists(stray)                    # no generation used it
    left = set(os.listdir(os.path.join(w.state, "store")))
    assert left < items
    # Both generations still activate: everything they use survived.
    w.vsys("roll-back", "--root", w.root, "--no-supervisor")
    assert "one" in w.etc()["etc/hosts"]
    out = w.vsys("delete-generations", "--root", w.root).stdout
    assert "deleted generation 2" in out and "generation 1 is current: kept" in out
    w.vsys("gc")
    assert len(os.listdir(os.path.join(w.state, "store"))) < len(left)
    assert "one" in w.etc()["etc/hosts"]


def test_a_second_build_writes_nothing(tmp_path):
    w = World(tmp_path, in_process=True)
    first = w.vsys("build", EXAMPLE).stdout.strip()
    before = w.snapshot()
    second = w.vsys("build", EXAMPLE).stdout.strip()
    assert first == second and first.startswith(os.path.join(w.state, "store") + "/")
    assert w.snapshot() == before


def test_generation_patterns():
    gens = [Generation(n, f"l{n}", f"p{n}", 1000.0 * n) for n in range(1, 8)]

    def numbers(pattern, **kw) -> list[int]:
        return [g.number for g in select(gens, pattern, **kw)]
    assert numbers(None) == [1, 2, 3, 4, 5, 6, 7]
    assert numbers("3") == [3]
    assert numbers("2..4") == [2, 3, 4]
    assert numbers("..2,6..") == [1, 2, 6, 7]
    assert numbers("1,3,5") == [1, 3, 5]
    assert numbers("1d", now=1000.0 * 5 + 86400) == [1, 2, 3, 4]
    with pytest.raises(ValueError, match="not a generation pattern"):
        select(gens, "latest")


def test_two_builds_writing_one_item_both_succeed(tmp_path, monkeypatch):
    """A directory item another build renamed into place first: ours is dropped."""
    content = DirData({"a": FileData(b"a")})
    path = item_path(str(tmp_path), "shared", content)
    real_rename = os.rename

    def rename(src, dst):
        if not os.path.exists(dst):
            store._write(dst, content)          # the other build wins the race
        return real_rename(src, dst)
    monkeypatch.setattr(os, "rename", rename)
    assert store.add(path, content) is False
    assert os.listdir(tmp_path) == [os.path.basename(path)]


def test_a_full_disk_leaves_the_account_files_as_they_were(tmp_path, monkeypatch):
    etc = tmp_path / "etc"
    etc.mkdir()
    (etc / "passwd").write_text("root:x:0:0:root:/root:/bin/bash\n")
    db = accounts.Database(str(tmp_path))
    db.append("passwd", "alice:x:1000:100::/home/alice:/bin/sh")

    def fsync(fd):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(OSError):
        db.write()
    assert sorted(os.listdir(etc)) == ["passwd"]
    assert (etc / "passwd").read_text() == "root:x:0:0:root:/root:/bin/bash\n"
