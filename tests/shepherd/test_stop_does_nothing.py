"""`(stop #~(const #f))`: as in Shepherd, stopping such a service forgets its process
and leaves it running; the supervisor says so rather than claiming a failed kill."""

from __future__ import annotations

import os
import signal


def test_a_stop_that_does_nothing_leaves_the_process_running(sandbox):
    sandbox.sleeper("lingering", stop={"method": "none"})
    sandbox.start_supervisor()
    pid = sandbox.wait_for(lambda: sandbox.service_pid("lingering"), what="lingering")
    try:
        r = sandbox.herd("stop", "lingering")
        assert (r.returncode, r.stdout) == (0, "Service lingering has been stopped.\n")
        assert sandbox.marked(b"sleep-") == [pid]
        log = sandbox.supervisor_log()
        assert (f"lingering: its stop procedure does nothing; process {pid} is left running"
                in log)
        assert "did not exit even after SIGKILL" not in log
    finally:
        os.kill(pid, signal.SIGKILL)
