"""A store item edited in place (as root, through a managed file) is found: `vsys
verify` names it and the generations using it, reconfigure puts the built content
back, and a roll-back to a generation using it is refused in words."""

from __future__ import annotations

import os

from support.world import World, read

CONFIG = """\
(use-modules (gnu))
(operating-system (host-name "{name}") (services '()))
"""


def edit(path: str) -> None:
    os.chmod(path, 0o644)
    with open(path, "a") as f:
        f.write("6.6.6.6 evil\n")


def test_an_edited_item_is_reported_and_repaired(tmp_path):
    w = World(tmp_path)
    c = w.config("c.scm", CONFIG.format(name="h"))
    w.reconfigure(c, "--no-supervisor")
    item = os.path.realpath(w.path("etc/hosts"))
    assert w.vsys("verify").stdout.endswith(" checked, 0 damaged\n")
    edit(w.path("etc/hosts"))
    done = w.vsys("verify", check=1)
    assert (f"{item}: its content no longer matches its hash (it was modified) (used by "
            f"{w.root} generation 1)\n") in done.stdout
    assert done.stdout.endswith(" checked, 1 damaged: `vsys reconfigure` with the config "
                                "that built them repairs them\n")
    done = w.reconfigure(c, "--no-supervisor")
    assert (f"vsys: store item {item}: its content no longer matches its hash (it was "
            f"modified); repaired from this build\n") in done.stderr
    assert "evil" not in read(w.path("etc/hosts"))
    assert os.stat(item).st_mode & 0o777 == 0o444
    assert w.vsys("verify").stdout.endswith(" checked, 0 damaged\n")


def test_a_roll_back_to_an_edited_generation_is_refused(tmp_path):
    w = World(tmp_path)
    w.reconfigure(w.config("one.scm", CONFIG.format(name="one")), "--no-supervisor")
    item = os.path.realpath(w.path("etc/hosts"))
    w.reconfigure(w.config("two.scm", CONFIG.format(name="two")), "--no-supervisor")
    edit(item)
    done = w.vsys("roll-back", "--root", w.root, "--no-supervisor", check=1)
    assert (f"vsys: generation 1 uses store items that were changed, so it is not what "
            f"was built: {item}: its content no longer matches its hash (it was "
            f"modified)\nhint: `vsys reconfigure` with its config rebuilds them") in done.stderr
    assert w.current() == 2


def test_a_writable_item_is_reported(tmp_path):
    w = World(tmp_path)
    w.reconfigure(w.config("c.scm", CONFIG.format(name="h")), "--no-supervisor")
    item = os.path.realpath(w.path("etc/hosts"))
    os.chmod(item, 0o644)
    done = w.vsys("verify", check=1)
    assert f"{item}: {item} is writable (mode 0644)" in done.stdout
