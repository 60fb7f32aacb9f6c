"""The hardening tests drive `vsys` as the reconfigure tests do (support.world, and the
reconfigure tests' configs) and build configs as the builder tests do (their helpers)."""

from __future__ import annotations

import os
import sys

import pytest
from immutable_state import immutable_files
from support.world import World

from vsys import immutable

HERE = os.path.dirname(__file__)
for folder in ("reconfigure", "builders"):
    sys.path.insert(0, os.path.join(HERE, "..", folder))


# A World whose store items are made immutable, cleared again after the test so pytest can
# remove its temporary directory.
@pytest.fixture
def sealed_world(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("the immutable attribute is root's (CAP_LINUX_IMMUTABLE)")
    w = World(tmp_path)
    w.env["VSYS_IMMUTABLE_STORE"] = "yes"
    try:
        yield w
    finally:
        immutable.unseal(str(tmp_path))
        assert immutable_files(str(tmp_path)) == []
