"""Host programs the tests drive.

`need_program("qemu-img", "qemu-utils")` returns the program's path.  When it is missing,
the test skips with a reason naming the Debian package, except under CI=true, where a
missing host program fails the test: CI installs them all (scripts/host-deps).

This is a module of its own, not part of a conftest.py: several test folders have a
conftest, and `from conftest import ...` would find whichever was loaded first.
"""

from __future__ import annotations

import os
import shutil

import pytest

IN_CI = os.environ.get("CI") == "true"


def need_program(program: str, package: str) -> str:
    path = shutil.which(program) or (f"/usr/sbin/{program}"
                                     if os.access(f"/usr/sbin/{program}", os.X_OK) else None)
    if path:
        return path
    message = f"{program} is not installed (Debian package {package})"
    if IN_CI:
        pytest.fail(message + "; CI must install it (scripts/host-deps)")
    pytest.skip(message)
