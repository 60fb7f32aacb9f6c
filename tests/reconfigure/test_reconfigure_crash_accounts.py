"""An interrupted reconfigure and the accounts: before the switch the account files hold
the previous generation's users (but right after the `accounts` step, the last one before
the switch); the next run completes the interrupted generation when it activates the same
one, and takes its accounts out again, saying so, when it activates another."""

from __future__ import annotations

import pytest
from support.world import World, record
from test_reconfigure_stashed_ids import CONFIG, NAMES, people

from vsys.activation import BEFORE_SWITCH, CRASH_STATUS, STEPS


def setup(w: World) -> list[str]:
    c = [w.config(f"c{i}.scm", CONFIG.format(name=n)) for i, n in enumerate(NAMES, 1)]
    for path in c[:3]:
        w.reconfigure(path, "--no-supervisor")
    return c


def crash(w: World, config: str, step: str) -> None:
    w.reconfigure(config, "--no-supervisor", env={"VSYS_CRASH_AT": step},
                  check=CRASH_STATUS)


def users(w: World) -> list[str]:
    return sorted(people(w))


@pytest.mark.parametrize("step", STEPS)
def test_the_accounts_follow_the_current_generation(tmp_path, step):
    w = World(tmp_path, in_process=True)
    c = setup(w)
    crash(w, c[3], step)
    if step in BEFORE_SWITCH:
        assert w.current() == 3
        # Only the last step before the switch has written the new accounts.
        assert users(w) == (["carol", "dave"] if step == "accounts" else ["carol"])
    else:
        assert w.current() == 4
        assert "dave" in users(w)
    out = w.reconfigure(c[3], "--no-supervisor").stdout
    if record_says_interrupted := step not in ("recorded", "supervisor"):
        assert f"interrupted after step `{step}`; this one completes it" in out
    assert "abandoned" not in out
    assert record_says_interrupted or "interrupted" not in out
    assert w.current() == 4 and users(w) == ["dave"]
    assert record(w)["activating"] is None


@pytest.mark.parametrize("step", BEFORE_SWITCH)
def test_activating_another_generation_abandons_the_interrupted_one(tmp_path, step):
    w = World(tmp_path, in_process=True)
    c = setup(w)
    crash(w, c[3], step)
    out = w.reconfigure(c[2], "--no-supervisor").stdout
    assert "this one completes it" not in out
    assert ("  ! the activation of " in out and f"was interrupted before its switch "
            f"(after step `{step}`) and is abandoned: accounts it added are taken out "
            f"again" in out)
    assert ("  - user dave (stashed: coming back restores it)" in out) == (step == "accounts")
    assert w.current() == 3 and users(w) == ["carol"]
    assert record(w)["activating"] is None
    # Nothing is left to do, and dave's id stays his.
    again = w.reconfigure(c[2], "--no-supervisor").stdout
    assert "abandoned" not in again and "interrupted" not in again
    w.reconfigure(c[3], "--no-supervisor")
    assert users(w) == ["dave"]


@pytest.mark.parametrize("step", BEFORE_SWITCH)
def test_a_roll_back_after_an_interruption_abandons_it_too(tmp_path, step):
    w = World(tmp_path, in_process=True)
    c = setup(w)
    crash(w, c[3], step)
    out = w.vsys("roll-back", "--root", w.root, "--no-supervisor").stdout
    assert "this one completes it" not in out and "is abandoned" in out
    assert w.current() == 2 and users(w) == ["bob"]
