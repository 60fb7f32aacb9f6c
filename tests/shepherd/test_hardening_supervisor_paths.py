"""The supervisor of a root never acts outside it: a log file under a `var/log` that
is a link out of the root, or a binfmt directory under a `proc` linked to the host's
/proc, make the start fail in words, and nothing outside changes."""

from __future__ import annotations

import os

from test_binfmt import PLATFORMS, register_string


def _victim(sandbox) -> str:
    v = os.path.join(sandbox.base, "victim")
    os.makedirs(v)
    return v


def test_a_log_file_behind_a_link_out_of_the_root_is_refused(sandbox):
    v = _victim(sandbox)
    os.makedirs(os.path.join(sandbox.root, "var"))
    os.symlink(v, os.path.join(sandbox.root, "var/log"))
    sandbox.sleeper("x", start={"argv": sandbox.sleep_argv(), "log-file": "/var/log/x.log"},
                    **{"auto-start": False})
    sandbox.start_supervisor()
    done = sandbox.herd("start", "x")
    assert done.returncode != 0
    assert "leads out of the root" in done.stderr + done.stdout
    assert os.listdir(v) == []


def test_a_proc_linked_to_the_hosts_is_not_taken_for_the_kernels(sandbox):
    os.symlink("/proc", os.path.join(sandbox.root, "proc"))
    name = next(iter(PLATFORMS))
    sandbox.spec("qemu-binfmt", start={"kind": "binfmt", "entries": [register_string(name)]},
                 **{"auto-start": False})
    sandbox.start_supervisor()
    done = sandbox.herd("start", "qemu-binfmt")
    assert done.returncode != 0
    assert "/proc/sys/fs/binfmt_misc: " in done.stderr + done.stdout
    assert "leads out of the root" in done.stderr + done.stdout
