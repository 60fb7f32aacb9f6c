"""`vsys gc` run while a reconfigure waits for the state lock keeps the items the
reconfigure has written and is about to link as its new generation."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from support.world import World

# What `vsys gc` does once it holds the state lock (which the test holds for it).
GC = ("from vsys import store; from vsys.generations import live_items\n"
      "with store.lock(shared=False):\n"
      "    removed, _ = store.collect_garbage(live_items())\n"
      "print(len(removed))\n")


def test_gc_while_a_reconfigure_waits_keeps_its_generation(tmp_path):
    w = World(tmp_path)
    w.reconfigure(w.config("a.scm", '(use-modules (gnu)) (operating-system (host-name "a"))'),
                  "--no-supervisor")
    config = w.config("b.scm", '(use-modules (gnu)) (operating-system (host-name "b"))')
    building = os.path.join(w.state, "run", "building")
    lock, proc = w.reconfigure_while_locked(config, "--no-supervisor")
    try:
        deadline = time.monotonic() + 60
        while not (os.path.isdir(building) and [n for n in os.listdir(building)
                                                if not n.startswith(".")]):
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        gc = subprocess.run([sys.executable, "-c", GC], capture_output=True, text=True,
                            env=w.env, timeout=60, check=False)
        assert gc.returncode == 0, gc.stderr
        assert gc.stdout.strip() == "0"         # nothing of the waiting build removed
    finally:
        os.close(lock)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "switched to generation 2" in out
    assert os.listdir(building) == []           # the build's root goes with it
    w.vsys("delete-generations", "--root", w.root, "1")
    assert "removed" in w.vsys("gc").stdout


def test_the_root_of_a_build_that_died_keeps_nothing(tmp_path):
    w = World(tmp_path)
    config = w.config("a.scm", '(use-modules (gnu)) (operating-system (host-name "a"))')
    generation = w.vsys("build", config).stdout.strip()
    building = os.path.join(w.state, "run", "building")
    os.makedirs(building, exist_ok=True)
    with open(os.path.join(building, "999999-dead"), "w") as f:
        f.write(f'["{generation}"]')            # no process holds its lock
    assert "removed 0 store items" not in w.vsys("gc").stdout
    assert not os.path.exists(generation)
    assert os.listdir(building) == []
