"""Two state directories managing the same root take turns: each activation holds a
lock inside the root, so a second one waits, saying why, and finishes after."""

from __future__ import annotations

import fcntl
import os
import subprocess
import time

from support.world import VSYS, World
from test_reconfigure_stashed_ids import CONFIG


def test_a_second_state_directory_waits_for_the_roots_lock(tmp_path):
    one = World(tmp_path / "one")
    two = World(tmp_path / "two")
    two.root = one.root
    config = one.config("c.scm", CONFIG.format(name="alice"))
    one.reconfigure(config, "--no-supervisor")
    lock = os.open(one.path("var/lib/vsys/lock"), os.O_RDWR)
    fcntl.lockf(lock, fcntl.LOCK_EX)        # as a run of `one` would hold it
    proc = subprocess.Popen(VSYS + ["reconfigure", "--root", one.root, "--no-supervisor",
                                    config], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=two.env)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None and \
                not os.path.exists(os.path.join(two.state, "store")):
            time.sleep(0.1)
        time.sleep(2)
        assert proc.poll() is None, proc.communicate()
    finally:
        os.close(lock)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert f"vsys: waiting for another vsys (another state directory) activating into " \
           f"{one.root}\n" in err
    assert "alice" in one.accounts()["passwd"]
