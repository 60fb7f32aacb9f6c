"""The `world` fixture: a temporary state directory and root (see support.world.World)
with `vsys reconfigure` and the generation commands run in the test's process (what they
print and leave in the root is the same, without an interpreter's start-up each time), and
any supervisor a test started stopped afterwards. The tests of the command as a process
(exit codes, locks, interrupts, crash points) make their own World, run as a process."""

from __future__ import annotations

import pytest
from support.world import World


@pytest.fixture
def world(tmp_path):
    w = World(tmp_path, in_process=True)
    yield w
    w.stop_supervisor()
