"""A World whose store items are made immutable (the rest of the suite keeps them
plain, see tests/conftest.py), cleared again after the test so pytest can remove its
temporary directory."""

from __future__ import annotations

import os

import pytest
from support.world import World

from vsys import immutable


def immutable_files(top: str) -> list[str]:
    """The names under TOP (itself included) that carry the immutable attribute."""
    names = [top] + [os.path.join(d, n) for d, dirs, files in os.walk(top)
                     for n in dirs + files]
    return [n for n in names if immutable.is_immutable(n)]


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
