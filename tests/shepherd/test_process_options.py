"""The process options of a runner spec (Shepherd's make-forkexec-constructor keywords
and make-kill-destructor's grace period) carried out on real children: umask, resource
limits, session, supplementary groups, and the time a stop waits before SIGKILL."""

from __future__ import annotations

import os
import pwd
import resource
import time

import pytest

from vsys.shepherd.process import StartError, credentials, may_raise_hard_limits

ROOT_ONLY = pytest.mark.skipif(os.geteuid() != 0, reason="accounts change only as root")
RAISES = may_raise_hard_limits()


def status_fields(pid: int) -> dict[str, str]:
    with open(f"/proc/{pid}/status") as f:
        return dict(line.rstrip("\n").split(":\t", 1) for line in f if ":\t" in line)


def limits_of(pid: int) -> dict[str, tuple[str, str]]:
    """/proc/PID/limits: (soft, hard) by the kernel's name, e.g. "Max open files"."""
    out = {}
    with open(f"/proc/{pid}/limits") as f:
        for line in f.readlines()[1:]:
            name, soft, hard = line[:26].strip(), *line[26:].split()[:2]
            out[name] = (soft, hard)
    return out


def stat_ids(pid: int) -> tuple[int, int]:
    """(process group, session) of PID."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[2]), int(fields[3])


def test_umask_and_resource_limits(sandbox):
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    if RAISES:                       # it may raise its hard limit (up to fs.nr_open)
        with open("/proc/sys/fs/nr_open") as f:
            hard = min(hard + 1000, int(f.read()))
    sandbox.sleeper("limited", start={
        "argv": sandbox.sleep_argv(), "file-creation-mask": 0o027,
        "resource-limits": [["nofile", 512, hard], ["core", "unlimited", "unlimited"],
                            ["nproc", 300, 400]]})
    sandbox.start_supervisor()
    pid = sandbox.wait_for(lambda: sandbox.service_pid("limited"), what="the service")
    assert status_fields(pid)["Umask"] == "0027"
    limits = limits_of(pid)
    assert limits["Max open files"] == ("512", str(hard))
    assert limits["Max processes"] == ("300", "400")
    if RAISES or resource.getrlimit(resource.RLIMIT_CORE)[1] == resource.RLIM_INFINITY:
        assert limits["Max core file size"] == ("unlimited", "unlimited")
    # The supervisor itself keeps its own mask and limits.
    sup = sandbox.supervisors[0].pid
    assert limits_of(sup)["Max open files"] != ("512", str(hard))
    assert status_fields(sup)["Umask"] != "0027"


@ROOT_ONLY
def test_limits_and_a_user_change_together(sandbox):
    """The child sets its limits before it changes user: an unprivileged user could not
    raise a hard limit any more.  (Raising needs CAP_SYS_RESOURCE, which some containers
    drop even for root: there the limit is lowered instead, and only the combination is
    checked.)"""
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    with open("/proc/sys/fs/nr_open") as f:
        hard = min(hard + 1000, int(f.read())) if RAISES else hard - 1
    sandbox.sleeper("as-nobody", start={"argv": sandbox.sleep_argv(), "user": "nobody",
                                        "resource-limits": [["nofile", hard, hard]]})
    sandbox.start_supervisor()
    pid = sandbox.wait_for(lambda: sandbox.service_pid("as-nobody"), what="the service")
    assert status_fields(pid)["Uid"].split()[0] == str(pwd.getpwnam("nobody").pw_uid)
    assert limits_of(pid)["Max open files"] == (str(hard), str(hard))


@pytest.mark.skipif(RAISES, reason="this supervisor may raise its hard limits")
def test_a_limit_the_supervisor_cannot_raise_is_a_start_error(sandbox):
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    said = (f"herd: error: cannot start greedy: resource limit nofile: the hard limit "
            f"unlimited is above the supervisor's own ({hard}), and raising it needs root "
            f"(CAP_SYS_RESOURCE)\n")
    sandbox.sleeper("greedy", start={"argv": sandbox.sleep_argv(),
                                     "resource-limits": [["nofile", 10, "unlimited"]]},
                    **{"auto-start": False})
    sandbox.start_supervisor()
    r = sandbox.herd("start", "greedy")
    assert (r.returncode, r.stderr) == (1, said)
    assert sandbox.sleeping() == []


@ROOT_ONLY
def test_supplementary_groups(sandbox):
    sandbox.sleeper("grouped", start={
        "argv": sandbox.sleep_argv(), "user": "nobody",
        # A group only the sandbox's /etc/group has is left out, like its accounts.
        "supplementary-groups": ["daemon", "adm", "only-in-the-sandbox"]})
    sandbox.sleeper("user-groups", start={"argv": sandbox.sleep_argv(), "user": "nobody"})
    sandbox.start_supervisor()
    pid = sandbox.wait_for(lambda: sandbox.service_pid("grouped"), what="the service")
    fields = status_fields(pid)
    assert fields["Groups"].split() == ["1", "4"]
    nobody = pwd.getpwnam("nobody")
    assert fields["Uid"].split()[0] == str(nobody.pw_uid)
    assert fields["Gid"].split()[0] == str(nobody.pw_gid)
    # Without the option, the user's own groups, as before.
    other = sandbox.wait_for(lambda: sandbox.service_pid("user-groups"), what="the service")
    assert "1" not in status_fields(other)["Groups"].split()


def test_a_missing_group_on_the_real_root_is_a_start_error(sandbox):
    """With `--root /` the host's /etc/group is the root's: a missing group is an error,
    as a missing user is (checked without starting a supervisor for the real root)."""
    if os.geteuid() != 0:
        assert credentials(None, None, groups=["no-such-group-anywhere"]) == {}
        return
    assert credentials(None, None, groups=["daemon", 4]) == {"extra_groups": [1, 4]}
    with pytest.raises(StartError, match="no such user or group on this host: "
                                         "no-such-group-anywhere"):
        credentials(None, None, groups=["no-such-group-anywhere"])


def test_session_or_process_group(sandbox):
    """create-session (the default) makes the child a session leader; without it the
    child stays in the supervisor's session, in a process group of its own, and a stop
    still reaches what the child started."""
    sandbox.sleeper("leader")
    kid = f"(exec -a 'sleep-{sandbox.base}-kid' sleep 1000) & "
    sandbox.sleeper("member", start={
        "argv": ["/bin/bash", "-c", kid + f"exec -a 'sleep-{sandbox.base}' sleep 1000"],
        "create-session": False})
    sup = sandbox.start_supervisor()
    leader = sandbox.wait_for(lambda: sandbox.service_pid("leader"), what="leader")
    member = sandbox.wait_for(lambda: sandbox.service_pid("member"), what="member")
    assert stat_ids(leader) == (leader, leader)
    assert stat_ids(member) == (member, stat_ids(sup.pid)[1])
    sandbox.wait_for(lambda: sandbox.marked(b"-kid"), what="the member's child")
    assert sandbox.call("stop", "member")["ok"]
    sandbox.wait_for(lambda: not sandbox.marked(b"-kid"), timeout=5,
                     what="the member's child to be stopped with it")


def test_grace_period_before_sigkill(sandbox):
    """A process ignoring SIGTERM is killed once the spec's grace has passed, not after
    the default 5 seconds."""
    stubborn = ["/bin/bash", "-c", f"trap '' TERM; exec -a 'sleep-{sandbox.base}' sleep 1000"]
    sandbox.sleeper("stubborn", start={"argv": stubborn}, stop={"grace": 1})
    sandbox.start_supervisor()
    pid = sandbox.wait_for(lambda: sandbox.service_pid("stubborn"), what="the service")
    began = time.monotonic()
    assert sandbox.call("stop", "stubborn")["ok"]
    took = time.monotonic() - began
    assert 0.9 <= took < 3, took
    assert pid not in sandbox.sleeping()
    r = sandbox.herd("status", "stubborn")
    assert "terminated with signal SIGKILL" in r.stdout
