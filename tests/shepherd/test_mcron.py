"""The mcron runner: GNU mcron supervised on a jobs file, and `herd schedule`."""

from __future__ import annotations

import os
import re

import pytest

pytestmark = pytest.mark.slow


def test_mcron_runs_and_lists_its_schedule(sandbox, need):
    mcron = need("mcron", "mcron")
    jobs = os.path.join(sandbox.base, "jobs.guile")
    with open(jobs, "w") as f:
        f.write('(job \'(next-minute) "true" "tick")\n'
                '(job "45 1 * * *" "true" "ganeti master cleaner")\n')
    sandbox.spec("mcron", requirement=["user-processes"], documentation="Run jobs on schedule.",
                 start={"kind": "mcron", "mcron": mcron, "jobs": [jobs],
                        "environment": {"GUILE_AUTO_COMPILE": "0", "PATH": "/usr/bin:/bin",
                                        "HOME": sandbox.base}})
    sandbox.start_supervisor()
    pid = sandbox.wait_for(lambda: sandbox.service_pid("mcron"), what="mcron")
    assert open(f"/proc/{pid}/cmdline", "rb").read().split(b"\0")[:2] == [mcron.encode(), jobs.encode()]
    r = sandbox.herd("schedule", "mcron", "3")
    assert r.returncode == 0, r.stderr
    out = r.stdout.splitlines()
    stamps = [ln for ln in out if re.fullmatch(r"\w{3} \w{3} +\d+ \d\d:\d\d:\d\d \d{4} [+-]\d{4}", ln)]
    assert len(stamps) == 3
    assert "tick" in out
    r = sandbox.herd("schedule", "user-processes")
    assert r.returncode == 1 and "is not an mcron service" in r.stderr
    assert sandbox.herd("stop", "mcron").returncode == 0
    assert not sandbox.marked(b"jobs.guile")
