"""The `world` fixture: a temporary state directory and root (see support.world.World),
with any supervisor a test started stopped afterwards."""

from __future__ import annotations

import pytest
from support.world import World


@pytest.fixture
def world(tmp_path):
    w = World(tmp_path)
    yield w
    w.stop_supervisor()
