"""Why a start failed, said where the person starting it looks: the herd error."""

from __future__ import annotations

import os


def test_a_daemon_that_exits_at_once_says_why_in_the_start_error(sandbox):
    """sshd without /run/sshd, a wrapper missing its program: what the process last
    wrote is the reason, so it is in the error, not only in the log."""
    sandbox.spec("early-exit", **{"auto-start": False}, start={
        "argv": ["/bin/sh", "-c", f"echo starting {sandbox.base}; "
                 "echo 'Missing privilege separation directory: /run/sshd' >&2; exit 255"],
        "pid-file": "/run/early.pid", "pid-file-timeout": 5})
    os.makedirs(os.path.join(sandbox.root, "run"))
    sandbox.start_supervisor()
    r = sandbox.herd("start", "early-exit")
    assert (r.returncode, r.stderr) == (1, (
        f"herd: error: cannot start early-exit: /bin/sh exited with code 255 before writing "
        f"its pid file {sandbox.root}/run/early.pid: starting {sandbox.base}; Missing "
        f"privilege separation directory: /run/sshd\n"))
