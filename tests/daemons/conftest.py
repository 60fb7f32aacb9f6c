from __future__ import annotations

import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "container"))

from containerbox import Box  # noqa: E402


@pytest.fixture
def box():
    b = Box()
    try:
        yield b
    finally:
        b.cleanup()
