"""Where Guix's manual and Guix's code disagree, vsys does what the code does, and
`vsys show` says what the manual claims beside it."""

from __future__ import annotations

import os

import pytest
from support.cli import run_vsys

CASES = [
    ("virtual-build-machine", "port-forwardings",
     ["default '((11022 . 22) (11044 . 1004))", "Guix's manual says the defaults are 11022 and",
      "11004"]),
    ("hurd-vm-configuration", "memory-size", ["default 2048", "Guix's manual says 512"]),
    ("hurd-vm-configuration", "os", ["listening on port 22", "Guix's manual says its daemon",
                                     "listens on port 2222"]),
    ("libvirt-configuration", "qemu", ["default qemu", "Guix's manual says nothing of this"]),
]


@pytest.mark.parametrize("record,field,claims", CASES, ids=[f"{r}-{f}" for r, f, _ in CASES])
def test_show_says_what_the_manual_claims(tmp_path, record, field, claims):
    env = dict(os.environ, VSYS_STATE_DIR=str(tmp_path))
    done = run_vsys("show", record, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith(f"  {field} ("))
    end = next((i for i in range(start + 1, len(lines))
                if lines[i].startswith("  ") and not lines[i].startswith("      ")), len(lines))
    text = " ".join(ln.strip() for ln in lines[start:end])
    for claim in claims:
        assert claim in text, text
    assert "vsys follows Guix's code" in text


def test_show_of_a_field_name_says_it_too(tmp_path):
    env = dict(os.environ, VSYS_STATE_DIR=str(tmp_path))
    done = run_vsys("show", "memory-size", env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    hurd = done.stdout.split("\n\n\n")[0] if "\n\n\n" in done.stdout else done.stdout
    assert "field of hurd-vm-configuration (positive integer, default 2048)" in hurd
    assert "Guix's manual says 512; vsys follows Guix's code" in " ".join(hurd.split())
