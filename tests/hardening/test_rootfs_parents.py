"""A private directory made in a fresh root keeps its parents ordinary: a 0700 key
directory under etc/ made etc itself 0700, and then no daemon user of the system (polkitd
reading its rules, sshd's privilege separation) could read /etc."""

from __future__ import annotations

import os
import stat

from vsys.rootfs import Root


def mode(path: str) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_the_parents_of_a_private_directory_are_0755(tmp_path):
    with Root(str(tmp_path)) as r:
        made = r.makedirs("etc/guix/keys", 0o700)
    assert made == ["etc", "etc/guix", "etc/guix/keys"]
    assert (mode(tmp_path / "etc"), mode(tmp_path / "etc/guix"),
            mode(tmp_path / "etc/guix/keys")) == (0o755, 0o755, 0o700)
