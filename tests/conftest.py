"""Fixtures shared by every test folder (host programs: see hostprograms.py)."""

from __future__ import annotations

import os

import pytest
from hostprograms import IN_CI, need_program  # noqa: F401  (re-exported for older imports)

# Store items stay plain in the suite's temporary state directories: an immutable file
# would outlive every clean-up of /tmp.  The tests of immutability turn it on for their
# own state directory and clear it after (tests/hardening/conftest.py).
os.environ["VSYS_IMMUTABLE_STORE"] = "no"


@pytest.fixture
def state_dir(tmp_path, monkeypatch):
    """A private vsys state directory for one test."""
    d = tmp_path / "state"
    d.mkdir()
    monkeypatch.setenv("VSYS_STATE_DIR", str(d))
    return d
