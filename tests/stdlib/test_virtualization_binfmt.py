"""The QEMU platform table and binfmt_misc register strings, checked against Debian's
qemu-user-static files when they are installed."""

from __future__ import annotations

import glob
import os

import pytest

from vsys.stdlib import qemu_platforms as qp

DEBIAN_FILES = sorted(glob.glob("/usr/lib/binfmt.d/qemu-*.conf"))


def test_table_has_the_reference_platforms():
    assert len(qp.PLATFORMS) == 32
    assert "i486" not in qp.BY_NAME and "aarch64be" not in qp.BY_NAME
    assert qp.BY_NAME["ppc64le"].family == "ppcle"
    assert qp.BY_NAME["loongarch64"].family == "loongarch"
    assert len(qp.BY_NAME["mips"].magic) == 40 and len(qp.BY_NAME["mipsel"].magic) == 37


def test_register_string_format():
    arm = qp.BY_NAME["arm"]
    assert qp.register_string(arm) == (
        ":qemu-arm:M::"
        "\\x7f\\x45\\x4c\\x46\\x01\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00"
        "\\x02\\x00\\x28\\x00:"
        "\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff"
        "\\xfe\\xff\\xff\\xff:/usr/bin/qemu-arm-static:FP")


def test_register_string_round_trip():
    for p in qp.PLATFORMS:
        parsed = qp.parse_register_string(qp.register_string(p))
        assert (parsed["name"], parsed["type"], parsed["offset"]) == (f"qemu-{p.name}", "M", "")
        assert parsed["magic"] == p.magic and parsed["mask"] == p.mask
        assert parsed["interpreter"] == f"/usr/bin/qemu-{p.name}-static"
        assert parsed["flags"] == "FP"


def test_interpreter_with_a_colon_is_refused():
    with pytest.raises(ValueError):
        qp.register_string(qp.BY_NAME["arm"], "/opt/a:b/qemu-arm")


@pytest.mark.skipif(not DEBIAN_FILES, reason="qemu-user-static is not installed "
                                             "(Debian package qemu-user-static)")
@pytest.mark.parametrize("path", DEBIAN_FILES, ids=os.path.basename)
def test_magic_and_mask_match_debian(path):
    with open(path) as f:
        debian = qp.parse_register_string(f.read())
    name = debian["name"][len("qemu-"):]
    if name not in qp.BY_NAME:
        pytest.skip(f"{name} is not offered (not in Guix's table)")
    ours = qp.parse_register_string(qp.register_string(qp.BY_NAME[name]))
    assert ours["magic"] == debian["magic"]
    assert ours["mask"] == debian["mask"]
    assert ours["type"] == debian["type"] == "M"


@pytest.mark.parametrize("platform", qp.PLATFORMS, ids=lambda p: p.name)
def test_each_header_matches_only_its_own_entry(platform):
    header = platform.magic + bytes(64)
    assert [p.name for p in qp.platforms_matching(header)] == [platform.name]


@pytest.mark.skipif(os.uname().machine != "x86_64", reason="needs an x86-64 host")
def test_a_real_binary_matches_its_architecture():
    with open("/bin/sh", "rb") as f:
        header = f.read(64)
    assert [p.name for p in qp.platforms_matching(header)] == ["x86_64"]
