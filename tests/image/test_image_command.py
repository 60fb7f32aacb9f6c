"""`vsys image` before it builds anything: its checks and messages."""

from __future__ import annotations

import os

import pytest
from support.cli import run_vsys

from vsys.image import build as b
from vsys.shepherd import kvm


@pytest.mark.parametrize("text, size", [("4G", 4 << 30), ("2048M", 2048 << 20),
                                        ("1.5GiB", 3 << 29), ("536870912", 1 << 29)])
def test_sizes(text, size):
    assert b.parse_size(text) == size


@pytest.mark.parametrize("text, why", [("big", "give a size such as 4G"),
                                       ("100M", "an image needs at least 256M")])
def test_bad_sizes_say_what_to_give(text, why):
    with pytest.raises(b.ImageError, match=why):
        b.parse_size(text)


def run(tmp_path, *args):
    env = dict(os.environ, VSYS_STATE_DIR=str(tmp_path / "state"),
               VSYS_IMAGE_CACHE=str(tmp_path / "cache"))
    return run_vsys("image", *args, env=env, timeout=120, cwd=tmp_path)


@pytest.mark.skipif(os.geteuid() != 0, reason="checks what root sees")
def test_a_mistake_in_the_config_is_located_before_anything_is_built(tmp_path):
    (tmp_path / "bad.scm").write_text("(use-modules (gnu))\n(operating-system\n  (host-name 42))\n")
    r = run(tmp_path, "bad.scm", "--output", "out.qcow2")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert r.stderr.startswith("bad.scm:")
    assert not (tmp_path / "out.qcow2").exists() and not (tmp_path / "cache").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="checks what another user sees")
def test_without_root_it_says_so(tmp_path):
    (tmp_path / "os.scm").write_text("(operating-system)\n")
    r = run(tmp_path, "os.scm")
    assert (r.returncode, r.stdout) == (1, "")
    assert r.stderr.startswith("vsys image: building an image needs root privileges")


def test_a_bad_size_is_refused_at_once(tmp_path):
    (tmp_path / "os.scm").write_text("(operating-system)\n")
    if os.geteuid() != 0:
        pytest.skip("root is checked first")
    r = run(tmp_path, "os.scm", "--size", "10M")
    assert r.returncode == 1
    assert "vsys image: --size 10M: an image needs at least 256M" in r.stderr


def test_pvm_only_kvm_is_not_used_for_vms(tmp_path):
    modules = tmp_path / "module"
    (modules / "kvm").mkdir(parents=True)
    (modules / "kvm_pvm").mkdir()
    assert kvm.pvm_only(str(modules)) is True
    (modules / "kvm_intel").mkdir()
    assert kvm.pvm_only(str(modules)) is False
    assert kvm.pvm_only(str(tmp_path / "none")) is False
