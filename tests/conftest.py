"""Fixtures shared by every test folder (host programs: see hostprograms.py)."""

from __future__ import annotations

import pytest

from hostprograms import IN_CI, need_program  # noqa: F401  (re-exported for older imports)


@pytest.fixture
def state_dir(tmp_path, monkeypatch):
    """A private vsys state directory for one test."""
    d = tmp_path / "state"
    d.mkdir()
    monkeypatch.setenv("VSYS_STATE_DIR", str(d))
    return d
