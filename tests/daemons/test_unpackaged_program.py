"""A program Debian does not package (xe-guest-utilities) is said the same way when the
system is built and when its service fails to start."""

from __future__ import annotations

import os
import shutil

import pytest
from support.paths import REPO as ROOT

NOTE = ("/usr/sbin/xe-daemon is missing (Debian 12 does not package xe-guest-utilities; "
        "install it from the XCP-ng or Citrix project)")


def test_build_and_start_say_the_same(box):
    if os.path.exists("/usr/sbin/xe-daemon"):
        pytest.skip("this host has xe-daemon (installed by hand)")
    if shutil.which("bwrap") is None:
        pytest.skip("bubblewrap is not installed (Debian package bubblewrap)")
    config = os.path.join(ROOT, "examples", "xe-guest-utilities.scm")
    built = box.vsys("build", config)
    assert f"vsys: warning: {NOTE}\n" in built.stderr
    out = box.reconfigure(config).stdout
    assert f"  failed to start xen-guest-agent: {NOTE}\n" in out, out
    status = box.vsys("herd", "--root", box.root, "status", "xen-guest-agent").stdout
    assert f"  Note: {NOTE}\n" in status
