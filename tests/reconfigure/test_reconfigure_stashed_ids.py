"""An account vsys removed keeps a claim on its id: a new account of another name never
gets it (it would own the files the old one left), and the old one gets it back when it
returns, or is told why not."""

from __future__ import annotations

import os

import pytest
from support.world import World, read

CONFIG = """\
(use-modules (gnu))
(operating-system
  (host-name "h")
  (users (cons* (user-account (name "{name}") (group "users") (home-directory "/home/{name}"))
                %base-user-accounts))
  (services '()))
"""
NAMES = ("alice", "bob", "carol", "dave")


@pytest.fixture
def world(tmp_path):
    return World(tmp_path, in_process=True)


def configs(w: World) -> list[str]:
    return [w.config(f"c{i}.scm", CONFIG.format(name=n)) for i, n in enumerate(NAMES, 1)]


def added(out: str) -> list[str]:
    return [ln.strip() for ln in out.splitlines() if ln.startswith("  + user ")
            or ln.startswith("  ! ")]


def people(w: World) -> dict[str, str]:
    return {ln.split(":")[0]: ln for ln in read(w.path("etc/passwd")).splitlines()
            if ln.split(":")[0] in NAMES}


def owner(w: World, name: str) -> int:
    return os.stat(w.path(f"home/{name}")).st_uid


def test_a_returning_user_gets_her_own_id_and_a_new_one_never_takes_it(world):
    w = world
    c = configs(w)
    first = w.reconfigure(c[0], "--no-supervisor").stdout
    assert added(first) == ["+ user alice (id 1000)", "+ user nobody (id 65534)"]
    assert added(w.reconfigure(c[1], "--no-supervisor").stdout) == ["+ user bob (id 1001)"]
    assert added(w.reconfigure(c[2], "--no-supervisor").stdout) == ["+ user carol (id 1002)"]
    out = w.vsys("switch-generation", "--root", w.root, "--no-supervisor", "1").stdout
    assert added(out) == ["+ user alice (id 1000)"]
    assert people(w) == {"alice": "alice:x:1000:100::/home/alice:/bin/bash"}
    if os.geteuid() == 0:   # homes are their users' (the ids the root's container runs)
        assert [owner(w, n) for n in ("alice", "bob", "carol")] == [1000, 1001, 1002]
    # Everyone's id stays theirs from here on.
    assert added(w.reconfigure(c[3], "--no-supervisor").stdout) == ["+ user dave (id 1003)"]
    out = w.vsys("switch-generation", "--root", w.root, "--no-supervisor", "2").stdout
    assert added(out) == ["+ user bob (id 1001)"]


def test_a_returning_user_whose_id_was_taken_is_told(world):
    w = world
    c = configs(w)
    w.reconfigure(c[0], "--no-supervisor")
    w.reconfigure(c[1], "--no-supervisor")
    w.reconfigure(c[1], "--no-supervisor")     # alice is stashed now
    with open(w.path("etc/passwd"), "a") as f:
        f.write("zed:x:1000:100::/home/zed:/bin/sh\n")
    out = w.vsys("switch-generation", "--root", w.root, "--no-supervisor", "1").stdout
    assert added(out) == [
        "+ user alice (id 1002)",
        "! user alice had id 1000, which user zed has now; it gets a new id, and files "
        "it owned keep id 1000"]
    assert people(w)["alice"].startswith("alice:x:1002:")
