"""Killing reconfigure between any two steps (VSYS_CRASH_AT=STEP makes the process die
right after STEP): before the switch, the previous generation stays current with every
file it manages intact; after it, the new one is current; either way the next
reconfigure completes normally."""

from __future__ import annotations

import os

import pytest
from support.world import World, record
from test_reconfigure_root import expect_one, expect_two, gen_one, gen_two

from vsys.activation import BEFORE_SWITCH, CRASH_STATUS, STEPS


@pytest.mark.parametrize("step", STEPS)
def test_an_interrupted_reconfigure_leaves_a_working_root(tmp_path, step):
    w = World(tmp_path, in_process=True)
    with open(os.path.join(w.root, "motd-in-the-way"), "w"):
        pass
    w.reconfigure(gen_one(w), "--no-supervisor")
    before = w.etc()
    crashed = w.reconfigure(gen_two(w), "--no-supervisor", env={"VSYS_CRASH_AT": step},
                            check=CRASH_STATUS)
    assert "switched to" not in crashed.stdout
    if step in BEFORE_SWITCH:
        assert w.current() == 1
        now = w.etc()
        for name, text in before.items():
            assert now[name] == text, f"{name} changed although generation 1 is current"
        # Files the new generation adds may already be linked: they show nothing yet.
        assert all(now[n] == "<dangling>" for n in set(now) - set(before))
        assert "alice" in w.accounts()["passwd"]
    else:
        assert w.current() == 2
        assert w.etc()["etc/hosts"].endswith("two\n")
    assert record(w)["activating"] is not None or step in ("recorded", "supervisor")
    out = w.reconfigure(gen_two(w), "--no-supervisor").stdout
    if step not in ("recorded", "supervisor"):
        assert "interrupted after step" in out
    expect_two(w)
    assert "<dangling>" not in w.etc().values()
    assert record(w)["activating"] is None
    assert w.current() == 2        # an interrupted attempt left no extra generation
    # And the root can still go back.
    w.vsys("roll-back", "--root", w.root, "--no-supervisor")
    expect_one(w)
