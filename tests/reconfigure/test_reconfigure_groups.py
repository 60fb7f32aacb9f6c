"""`vsys build` and `vsys reconfigure` stop at a user-account whose group nothing
declares, as `guix system build` does: a located error, exit status 1, no traceback,
and nothing written to the store or the root."""

from __future__ import annotations

import os

from support.world import World

CONFIG = """\
(use-modules (gnu))
(operating-system
  (host-name "h")
  (users (cons (user-account
                 (name "alice")
                 (supplementary-groups '("wheel" "dokcer")))
               %base-user-accounts))
  (groups (cons (user-group (name "docker")) %base-groups))
  (services '()))
"""


def test_an_undeclared_group_stops_build_and_reconfigure(tmp_path):
    w = World(tmp_path, in_process=True)
    config = w.config("alice.scm", CONFIG)
    expected = (f"{config}:4:16: error: supplementary group 'dokcer' of user 'alice' is "
                f"undeclared\n"
                f"hint: did you mean docker?\n"
                f"hint: declare it: (groups (cons (user-group (name \"dokcer\")) "
                f"%base-groups))\n")
    for command in (["build"], ["reconfigure", "--dry-run", "--root", w.root],
                    ["reconfigure", "--root", w.root]):
        r = w.vsys(*command, config, check=1)
        assert (r.stdout, r.stderr) == ("", expected), command
    store = os.path.join(w.state, "store")
    assert not os.path.exists(store) or os.listdir(store) == []
    assert os.listdir(w.root) == []


def test_once_declared_the_group_is_created_and_alice_joins_it(tmp_path):
    w = World(tmp_path, in_process=True)
    w.reconfigure(w.config("alice.scm", CONFIG.replace('"dokcer"', '"docker"')),
                  "--no-supervisor")
    assert w.account_line("docker", "group").endswith(":alice")
    assert w.account_line("wheel", "group").endswith(":alice")
