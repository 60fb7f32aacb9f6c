"""Ctrl-C after the switch says that the new generation is current and what is left to
finish, not just `interrupted` (exit 130); before the switch it is a plain interrupt."""

from __future__ import annotations

import pytest
from support.world import World

from vsys import reconfigure, switching

CONFIG = '(use-modules (gnu)) (operating-system (host-name "{}"))'


def interrupt_at(monkeypatch, label):
    real = switching.apply

    def apply(plan, restart, say):
        def step(text):
            say(text)
            if text == label:
                raise KeyboardInterrupt
        return real(plan, restart, step)
    monkeypatch.setattr(switching, "apply", apply)


@pytest.mark.parametrize("label, switched", [("links", False), ("cleanup", True)])
def test_an_interrupt_says_whether_the_switch_happened(tmp_path, monkeypatch, capsys,
                                                       label, switched):
    w = World(tmp_path)
    w.reconfigure(w.config("a.scm", CONFIG.format("a")), "--no-supervisor")
    monkeypatch.setenv("VSYS_STATE_DIR", w.state)
    interrupt_at(monkeypatch, label)
    status = reconfigure.reconfigure_main(w.config("b.scm", CONFIG.format("b")), w.root,
                                          False, True, False, [], False)
    err = capsys.readouterr().err
    assert status == 130
    if switched:
        assert w.current() == 2
        assert ("vsys: switched to generation 2 (previously 1); interrupted while removing "
                "what the previous generation had") in err
        assert "supervisor" not in err      # --no-supervisor: none to mention
    else:
        assert w.current() == 1
        assert err.endswith("vsys: interrupted\n")
