"""Store items are immutable where the file system allows: root cannot write, chmod
or remove a managed file's item; gc, repairs and a killed run's unsealed item still
work; where the attribute cannot be set (simulated for real: vsys run without
CAP_LINUX_IMMUTABLE), `vsys verify` says so and an edit is still found and repaired."""

from __future__ import annotations

import errno
import os

import pytest
from hostprograms import need_program
from immutable_state import immutable_files
from support.files import read

from vsys import immutable

CONFIG = """\
(use-modules (gnu))
(operating-system (host-name "{name}") (services '()))
"""
IMMUTABLE = ("store items are immutable (the file system's `i` attribute): not even "
             "root changes them in place\n")
NO_CAPABILITY = ("store items are not made immutable here (setting it needs root with "
                 "CAP_LINUX_IMMUTABLE): changes are found by their hash only\n")


def without_capability() -> list[str]:
    """A command prefix that runs vsys as root without CAP_LINUX_IMMUTABLE (as in a
    container that lacks it)."""
    setpriv = need_program("setpriv", "util-linux")
    return [setpriv, "--inh-caps=-linux_immutable", "--bounding-set=-linux_immutable", "--"]


def test_root_cannot_change_a_managed_file(sealed_world):
    w = sealed_world
    w.reconfigure(w.config("c.scm", CONFIG.format(name="h")), "--no-supervisor")
    item = os.path.realpath(w.path("etc/hosts"))
    for attempt in (lambda: open(w.path("etc/hosts"), "a"), lambda: os.chmod(item, 0o644),
                    lambda: os.unlink(item), lambda: os.rename(item, item + ".x")):
        with pytest.raises(PermissionError) as e:
            attempt()
        assert e.value.errno == errno.EPERM
    assert "h" in read(w.path("etc/hosts"))
    store = os.path.dirname(item)
    items = [os.path.join(store, n) for n in os.listdir(store) if not n.startswith(".")]
    assert items and all(immutable.is_immutable(i) for i in items)
    done = w.vsys("verify")
    assert done.stdout.endswith(IMMUTABLE + f"{len(items)} store items checked, 0 damaged\n")


def test_gc_removes_immutable_items_of_deleted_generations(sealed_world):
    w = sealed_world
    w.reconfigure(w.config("one.scm", CONFIG.format(name="one")), "--no-supervisor")
    old = os.path.realpath(w.path("etc/hosts"))
    w.reconfigure(w.config("two.scm", CONFIG.format(name="two")), "--no-supervisor")
    new = os.path.realpath(w.path("etc/hosts"))
    assert immutable.is_immutable(old) and immutable.is_immutable(new)
    w.vsys("delete-generations", "--root", w.root, "1")
    done = w.vsys("gc")
    assert done.stdout.startswith("removed ") and not done.stdout.startswith("removed 0 ")
    assert not os.path.lexists(old) and immutable.is_immutable(new)
    assert "two" in read(w.path("etc/hosts"))


def test_an_item_left_unsealed_is_sealed_by_the_next_run(sealed_world):
    """A run killed between putting an item in place and sealing it leaves it plain:
    the next reconfigure seals it."""
    w = sealed_world
    c = w.config("c.scm", CONFIG.format(name="h"))
    w.reconfigure(c, "--no-supervisor")
    item = os.path.realpath(w.path("etc/hosts"))
    immutable.unseal(item)
    assert not immutable.is_immutable(item)
    w.reconfigure(c, "--no-supervisor")
    assert immutable.is_immutable(item)


def test_an_edit_after_chattr_is_repaired_and_sealed_again(sealed_world):
    w = sealed_world
    c = w.config("c.scm", CONFIG.format(name="h"))
    w.reconfigure(c, "--no-supervisor")
    item = os.path.realpath(w.path("etc/hosts"))
    immutable.unseal(item)              # what `chattr -i` does
    os.chmod(item, 0o644)
    with open(item, "a") as f:
        f.write("6.6.6.6 evil\n")
    done = w.vsys("verify", check=1)
    assert f"{item}: its content no longer matches its hash (it was modified)" in done.stdout
    assert done.stdout.endswith("store items checked, 1 damaged: `vsys reconfigure` with "
                                "the config that built them repairs them\n")
    done = w.reconfigure(c, "--no-supervisor")
    assert "repaired from this build" in done.stderr
    assert "evil" not in read(w.path("etc/hosts")) and immutable.is_immutable(item)


def test_without_the_capability_edits_are_detected_and_repaired(sealed_world):
    w = sealed_world
    plain = without_capability()
    c = w.config("c.scm", CONFIG.format(name="h"))
    w.vsys("reconfigure", "--root", w.root, "--no-supervisor", c, prefix=plain)
    item = os.path.realpath(w.path("etc/hosts"))
    assert immutable_files(w.state) == []
    assert w.vsys("verify", prefix=plain).stdout.endswith(
        NO_CAPABILITY + f"{len(os.listdir(os.path.dirname(item)))} store items checked, "
        f"0 damaged\n")
    os.chmod(item, 0o644)
    with open(item, "a") as f:
        f.write("6.6.6.6 evil\n")
    done = w.vsys("verify", prefix=plain, check=1)
    assert f"{item}: its content no longer matches its hash (it was modified)" in done.stdout
    assert NO_CAPABILITY in done.stdout
    done = w.vsys("reconfigure", "--root", w.root, "--no-supervisor", c, prefix=plain)
    assert (f"vsys: store item {item}: its content no longer matches its hash (it was "
            f"modified); repaired from this build\n") in done.stderr
    assert "evil" not in read(w.path("etc/hosts")) and not immutable.is_immutable(item)
    assert w.vsys("verify", prefix=plain).stdout.endswith(" checked, 0 damaged\n")
