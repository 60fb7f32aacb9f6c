"""The supervisor's bounds on clients: a flood of idle connections on its Unix socket
neither exhausts its file descriptors nor locks `herd status` out, too many operations
at once are refused with a clear message, and an idle client is timed out."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import threading
import time

import pytest

from vsys.shepherd import protocol

# Opens COUNT connections to the socket and keeps them open without a word, then says
# how many were accepted by the kernel and waits for its stdin to close.
FLOOD = r"""
import os, resource, socket, sys, time
path, count = sys.argv[1], int(sys.argv[2])
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
held, tries = [], 0
while len(held) < count and tries < count * 50:
    tries += 1
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.setblocking(False)
    try:
        s.connect(path)
    except BlockingIOError:        # the listen backlog is full: let it drain
        s.close()
        time.sleep(0.002)
        continue
    held.append(s)
print(len(held), flush=True)
sys.stdin.read()
"""


def fds(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


@pytest.mark.slow
def test_twenty_thousand_idle_connections_while_status_answers(sandbox):
    sandbox.sleeper("web")
    supervisor = sandbox.start_supervisor()
    sandbox.wait_for(lambda: sandbox.service_pid("web"), what="web")
    floods = [subprocess.Popen([sys.executable, "-c", FLOOD, sandbox.socket, "7000"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
              for _ in range(3)]
    try:
        answered, most, said = [], 0, []
        deadline = time.monotonic() + 120
        while len(said) < len(floods) and time.monotonic() < deadline:
            t0 = time.monotonic()
            r = sandbox.herd("status", timeout=30)
            answered.append((r.returncode, time.monotonic() - t0))
            most = max(most, fds(supervisor.pid))
            said = select.select([f.stdout for f in floods], [], [], 0)[0] if \
                len(said) < len(floods) else said
        counts = [int(f.stdout.readline()) for f in floods]
        # Every connection was accepted in turn, 21,000 in all ...
        assert sum(counts) == 21000, counts
        # ... while the supervisor held a bounded number of descriptors ...
        most = max(most, fds(supervisor.pid))
        assert most < 256 + 100, most
        # ... and `herd status` answered each time, promptly.
        r = sandbox.herd("status", timeout=30)
        assert r.returncode == 0 and " + web" in r.stdout
        assert all(code == 0 and took < 10 for code, took in answered), answered
    finally:
        for f in floods:
            f.stdin.close()
            f.wait(30)
    assert supervisor.poll() is None
    assert sandbox.herd("status").returncode == 0


def test_an_evicted_or_idle_client_is_told_why(sandbox):
    sandbox.sleeper("web", **{"auto-start": False})
    sandbox.start_supervisor()
    idle = protocol.connect(sandbox.socket, 20)
    others = [protocol.connect(sandbox.socket, 20) for _ in range(256)]
    try:
        # The 257th connection closed the one idle longest, saying so.
        assert protocol.receive(idle) == protocol.error(
            "busy", "too many clients are connected (256); the one idle longest was "
                    "closed: try again")
        assert sandbox.herd("status").returncode == 0
        # A client that says nothing is closed after 10 s.
        t0 = time.monotonic()
        assert protocol.receive(others[-1]) == protocol.error(
            "usage", "no request within 10 s: connection closed")
        assert time.monotonic() - t0 < 12
    finally:
        for s in [idle, *others]:
            s.close()


def test_too_many_operations_at_once_are_refused(sandbox):
    pid_file = os.path.join(sandbox.root, "run/slow.pid")
    sandbox.spec("slow", **{"auto-start": False}, start={
        "argv": ["/bin/sh", "-c",
                 f"sleep 4; echo $$ > {pid_file}; exec sleep 1000 # {sandbox.base}"],
        "pid-file": "/run/slow.pid"})
    os.makedirs(os.path.dirname(pid_file))
    sandbox.start_supervisor()
    replies = []
    threads = [threading.Thread(target=lambda: replies.append(sandbox.call("start", "slow")))
               for _ in range(70)]
    for t in threads:
        t.start()
    time.sleep(1)
    # Queries still answer while 64 operations wait.
    r = sandbox.herd("status")
    assert r.returncode == 0 and "Starting:\n ~ slow\n" in r.stdout
    for t in threads:
        t.join(30)
    busy = [r for r in replies if not r["ok"]]
    assert len(busy) == 6 and len(replies) == 70
    assert {r["error"]["message"] for r in busy} == {
        "the supervisor is carrying out 64 operations already: try again"}
    r = sandbox.herd("start", "slow")
    assert (r.returncode, r.stdout) == (0, "Service slow is already running.\n")
