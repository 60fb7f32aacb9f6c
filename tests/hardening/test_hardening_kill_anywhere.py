"""Killing vsys before and after every write and rename of an activation (each point
listed by tracing a real run, one kill per point): after the next run the account
files are consistent and match the root's record, nothing is left over, and the
generation activated is current with its files."""

from __future__ import annotations

import os
import shutil
import stat

import pytest
from hostile import CONFIG, traced_run
from support.world import World, read, record

from vsys.crash import STATUS

SHARDS = 4
SECOND = CONFIG.replace('"alice"', '"bob"').replace("/home/alice", "/home/bob") \
    .replace('(host-name "h")', '(host-name "other")')
VERBS = ("write", "written", "renamed", "rename", "link")


def _writable(func, path, _):
    os.chmod(os.path.dirname(path), 0o755)
    func(path)


def restore(w: World, pristine: str) -> None:
    for top in (w.state, w.root):
        for dirpath, _, _ in os.walk(top):
            os.chmod(dirpath, stat.S_IMODE(os.lstat(dirpath).st_mode) | 0o700)
        shutil.rmtree(top)
        shutil.copytree(os.path.join(pristine, os.path.basename(top)), top, symlinks=True)


def lines(w: World, name: str) -> list[str]:
    path = w.path(f"etc/{name}")
    return read(path).splitlines() if os.path.exists(path) else []


def check(w: World) -> None:
    rec = record(w)
    assert rec["activating"] is None and not rec.get("intent")
    for a, b in (("passwd", "shadow"), ("group", "gshadow")):
        names = [ln.split(":")[0] for ln in lines(w, a)]
        assert len(names) == len(set(names)), f"two lines for a name in {a}"
        if os.path.exists(w.path(f"etc/{b}")):
            other = [ln.split(":")[0] for ln in lines(w, b)]
            assert sorted(names) == sorted(other), f"{a} and {b} disagree"
    for name, entry in rec["accounts"]["users"].items():
        for f in ("passwd", "shadow"):
            assert entry[f] in lines(w, f), f"{name}'s {f} line is not the record's"
    groups = {ln.split(":")[0]: ln.split(":") for ln in lines(w, "group")}
    for name, entry in rec["accounts"]["groups"].items():   # members aside
        assert groups[name][:3] == entry["group"].split(":")[:3], f"group {name} differs"
    for group, members in rec["accounts"]["members"].items():
        assert set(members) <= set(groups[group][3].split(","))
    people = [ln.split(":")[0] for ln in lines(w, "passwd")]
    assert "bob" in people and "alice" not in people
    assert "alice" in rec["stash"]["users"]
    for dirpath, dirnames, files in os.walk(w.root):
        for name in dirnames + files:
            assert ".vsys-tmp." not in name and not name.endswith(".vsys-new"), \
                f"left over: {os.path.join(dirpath, name)}"
    assert w.current() == 2
    assert "other" in read(w.path("etc/hosts"))


@pytest.mark.slow
@pytest.mark.parametrize("shard", range(SHARDS))
def test_a_kill_at_any_write_or_rename_is_repaired_by_the_next_run(tmp_path, shard):
    w = World(tmp_path / "w", in_process=True)   # the kills are processes still
    c1, c2 = w.config("c1.scm", CONFIG), w.config("c2.scm", SECOND)
    w.reconfigure(c1, "--no-supervisor")
    pristine = os.path.join(tmp_path, "pristine")
    os.makedirs(pristine)
    for top in (w.state, w.root):
        shutil.copytree(top, os.path.join(pristine, os.path.basename(top)), symlinks=True)
    labels = traced_run(w, c2)[1]
    points = [n for n, label in enumerate(labels, 1) if label.split(" ")[0] in VERBS]
    assert len(points) > 20
    assert any(labels[n - 1] == "written etc/shadow" for n in points)
    for n in points[shard::SHARDS]:
        restore(w, pristine)
        w.reconfigure(c2, "--no-supervisor", env={"VSYS_CRASH_AT": f"@{n}"}, check=STATUS)
        w.reconfigure(c2, "--no-supervisor")
        try:
            check(w)
        except AssertionError as e:
            raise AssertionError(f"killed at {labels[n - 1]!r} (point {n}): {e}") from None
