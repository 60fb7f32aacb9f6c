"""Which files carry the immutable attribute (the `sealed_world` fixture of
tests/hardening/conftest.py makes a World's store items immutable, the rest of the suite
keeps them plain, see tests/conftest.py)."""

from __future__ import annotations

import os

from vsys import immutable


def immutable_files(top: str) -> list[str]:
    """The names under TOP (itself included) that carry the immutable attribute."""
    names = [top] + [os.path.join(d, n) for d, dirs, files in os.walk(top)
                     for n in dirs + files]
    return [n for n in names if immutable.is_immutable(n)]
