"""Where the host allows an ordinary user no namespaces, `vsys reconfigure` and
`vsys container` say so and what to change, before anything is built or changed."""

from __future__ import annotations

import os
import site
import subprocess
import sys

import pytest
from support.containerbox import EXAMPLES, ROOT

HERE = os.path.dirname(os.path.abspath(__file__))
ERROR = ("vsys: this host allows no namespaces to this user, and a sandbox root's system "
         "runs in a container (its own mount, PID, network... namespaces): run vsys as "
         "root, or allow unprivileged user namespaces (sysctl "
         "kernel.unprivileged_userns_clone=1 and user.max_user_namespaces above 0); "
         "nothing was started (unshare: unshare failed: No space left on device)\n")


def as_nobody(box, *args) -> subprocess.CompletedProcess:
    # `nobody` may not enter root's home, where the test's Python may live: use the
    # host's Python 3 with vsys's checkout and libraries on its path.
    python = sys.executable if os.access(sys.executable, os.X_OK) and \
        not sys.executable.startswith("/root/") else "/usr/bin/python3"
    env = dict(box.env, PYTHONPATH=os.pathsep.join([ROOT, *site.getsitepackages()]),
               HOME=box.base)
    return subprocess.run([sys.executable, os.path.join(HERE, "no_namespaces.py"),
                           python, "-m", "vsys", *args], env=env, capture_output=True,
                          text=True, timeout=120, cwd=box.base)


def test_no_namespaces_for_this_user_is_a_clear_error_and_nothing_starts(box):
    if os.geteuid() != 0:
        pytest.skip("making a user namespace with a host-wide id map needs root")
    for path in (box.base, box.state, box.root):
        os.chown(path, 65534, 65534)
    done = as_nobody(box, "reconfigure", "--root", box.root,
                     os.path.join(EXAMPLES, "ssh-container.scm"))
    assert (done.returncode, done.stdout, done.stderr) == (1, "", ERROR)
    assert os.listdir(box.root) == [] and os.listdir(box.state) == []

    done = as_nobody(box, "container", os.path.join(EXAMPLES, "ssh-container.scm"))
    assert (done.returncode, done.stdout, done.stderr) == (1, "", ERROR)
    assert os.listdir(box.state) == []

    # --dry-run starts nothing, so it still works.
    done = as_nobody(box, "reconfigure", "--dry-run", "--root", box.root,
                     os.path.join(EXAMPLES, "ssh-container.scm"))
    assert done.returncode == 0, done.stderr
    assert "(dry run: nothing was changed)" in done.stdout
