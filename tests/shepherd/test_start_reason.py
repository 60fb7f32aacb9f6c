"""A service that fails at start is reported in its own words from this run, never with
lines an earlier run (or an earlier supervisor) left in its log."""

from __future__ import annotations


def test_the_reason_is_this_run_s_own(sandbox):
    flag = f"{sandbox.base}/second"
    sandbox.spec("flaky", start={"argv": ["/bin/sh", "-c",
                                          f"if [ -e {flag} ]; then echo second run; else "
                                          f"echo first run; fi; exit 2"],
                                 "pid-file": "/p.pid"}, **{"auto-start": False})
    sandbox.start_supervisor()
    r = sandbox.herd("start", "flaky")
    assert r.returncode == 1 and r.stderr.endswith(
        "exited with code 2 before writing its pid file "
        f"{sandbox.root}/p.pid: first run\n"), r.stderr
    # a new supervisor: its first start of the service sees only what it wrote
    sandbox.herd("stop", "root")
    sandbox.supervisors[-1].wait(timeout=30)
    open(flag, "w").close()
    sandbox.start_supervisor()
    r = sandbox.herd("start", "flaky")
    assert r.stderr.endswith(f"{sandbox.root}/p.pid: second run\n"), r.stderr
