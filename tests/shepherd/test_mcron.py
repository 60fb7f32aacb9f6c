"""The mcron runner: GNU mcron supervised on a jobs file, and `herd schedule`."""

from __future__ import annotations

import os
import re

import pytest

from vsys.builders.mcron import log_emulation
from vsys.runner_spec import mcron_has_log_option

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
    assert open(f"/proc/{pid}/cmdline", "rb").read().split(b"\0")[:2] == \
        [mcron.encode(), jobs.encode()]
    r = sandbox.herd("schedule", "mcron", "3")
    assert r.returncode == 0, r.stderr
    out = r.stdout.splitlines()
    stamps = [ln for ln in out
              if re.fullmatch(r"\w{3} \w{3} +\d+ \d\d:\d\d:\d\d \d{4} [+-]\d{4}", ln)]
    assert len(stamps) == 3
    assert "tick" in out
    r = sandbox.herd("schedule", "user-processes")
    assert r.returncode == 1 and "is not an mcron service" in r.stderr
    assert sandbox.herd("stop", "mcron").returncode == 0
    assert not sandbox.marked(b"jobs.guile")


def test_mcron_logs_job_starts_and_ends(sandbox, need):
    """mcron runs with Guix's `--log`: each job run is logged when it starts and ends,
    its output lines between, as `PID NAME: LINE`.  Debian 12's mcron (1.0.8) lacks the
    option; the generation's emulation file does its work there."""
    mcron = need("mcron", "mcron")
    jobs = os.path.join(sandbox.base, "jobs.guile")
    with open(jobs, "w") as f:
        f.write("(job '(next-second) (lambda () (display \"hello\\n\")) \"greeter\")\n"
                "(job '(next-second) \"echo from shell; exit 3\" \"failing\")\n")
    options = ["--log", "--log-format", "~1@*~a ~a: ~a~%"]
    emulation = os.path.join(sandbox.base, "mcron-log.scm")
    with open(emulation, "w") as f:
        f.write(log_emulation(options))
    sandbox.spec("mcron", requirement=["user-processes"], documentation="Run jobs on schedule.",
                 start={"kind": "mcron", "mcron": mcron, "jobs": [jobs],
                        "log-options": options, "log-emulation": emulation,
                        "environment": {"GUILE_AUTO_COMPILE": "0", "PATH": "/usr/bin:/bin",
                                        "HOME": sandbox.base}})
    sandbox.start_supervisor()
    pid = sandbox.wait_for(lambda: sandbox.service_pid("mcron"), what="mcron")
    argv = open(f"/proc/{pid}/cmdline", "rb").read().decode().split("\0")[:-1]
    if mcron_has_log_option(mcron):
        assert argv == [mcron, *options, jobs]
    else:
        assert argv == [mcron, emulation, jobs]

    def logged():
        text = "\n".join(ln.split(" ", 2)[2] for ln in
                         sandbox.herd("log", "mcron").stdout.splitlines() if ln.count(" ") >= 2)
        return text if "completed in" in text and "failed after" in text else None
    text = sandbox.wait_for(logged, timeout=20, what="two logged job runs")
    runs: dict[str, list[str]] = {}
    for line in text.splitlines():
        m = re.fullmatch(r"(\d+) (greeter|failing): (.*)", line)
        assert m, line
        runs.setdefault(m.group(1), []).append(f"{m.group(2)}: {m.group(3)}")
    finished = [r for r in runs.values() if len(r) == 3]
    greeter = next(r for r in finished if r[0].startswith("greeter"))
    assert greeter[:2] == ["greeter: running...", "greeter: hello"]
    assert re.fullmatch(r"greeter: completed in \d+\.\d{3}s", greeter[2]), greeter
    failing = next(r for r in finished if r[0].startswith("failing"))
    assert failing[:2] == ["failing: running...", "failing: from shell"]
    assert re.fullmatch(r"failing: failed after \d+\.\d{3}s with: \(misc-error #f ~A ~S "
                        r"\(unclean exit status 3\) #f\)", failing[2]), failing
    assert sandbox.herd("stop", "mcron").returncode == 0
