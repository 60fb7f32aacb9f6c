"""`vsys shepherd` and `vsys herd` driven as a person drives them: exact output lines
and exit codes, with real processes."""

from __future__ import annotations

import os
import pwd
import re
import signal
import threading
import time

import pytest

from vsys.shepherd import protocol

MILESTONES = ["Provided by the host (6):",
              "  dbus-system, file-system-/proc/sys/fs/binfmt_misc, loopback, networking, udev,",
              "  user-processes"]


def lines(proc) -> list[str]:
    return proc.stdout.splitlines()


def test_status_start_stop_along_requirements(sandbox):
    sandbox.sleeper("db", documentation="The database.")
    sandbox.sleeper("web", requirement=["db", "networking"], **{"auto-start": False})
    sandbox.sleeper("proxy", requirement=["web"], **{"auto-start": False})
    sandbox.start_supervisor()
    sandbox.wait_for(lambda: sandbox.service_pid("db"), what="db to start")

    r = sandbox.herd("status")
    assert r.returncode == 0, r.stderr
    assert lines(r) == [f"Root: {sandbox.root}", "Started:", " + db",
                        "Stopped:", " - proxy", " - web", *MILESTONES]

    r = sandbox.herd("start", "proxy")
    assert (r.returncode, lines(r)) == (0, ["Service web has been started.",
                                            "Service proxy has been started."])
    r = sandbox.herd("start", "proxy")
    assert (r.returncode, lines(r)) == (0, ["Service proxy is already running."])

    # Stopping a service stops its dependents first.
    r = sandbox.herd("stop", "db")
    assert (r.returncode, lines(r)) == (0, ["Service proxy has been stopped.",
                                            "Service web has been stopped.",
                                            "Service db has been stopped."])
    r = sandbox.herd("stop", "db")
    assert (r.returncode, lines(r)) == (0, ["Service db is not running."])
    assert sandbox.sleeping() == []

    r = sandbox.herd("restart", "web")
    assert lines(r) == ["Service db has been started.", "Service web has been started."]


def test_status_of_one_service(sandbox):
    sandbox.spec("greeter", requirement=["user-processes"], respawn=True,
                 start={"argv": ["/bin/bash", "-c", "echo hello; echo oops >&2; "
                                 f"exec -a 'sleep-{sandbox.base}' sleep 1000"]})
    sandbox.start_supervisor()
    pid = sandbox.wait_for(lambda: sandbox.service_pid("greeter"), what="greeter")
    sandbox.wait_for(lambda: len(sandbox.call("log", "greeter")["result"]["lines"]) >= 2,
                     what="log")
    r = sandbox.herd("status", "greeter")
    assert r.returncode == 0
    out = lines(r)
    assert out[0] == "Status of greeter:"
    assert re.fullmatch(r"  It is running since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d "
                        r"\(\d+ seconds? ago\)\.", out[1])
    assert out[2:9] == [f"  Main PID: {pid}",
                        "  Command: /bin/bash -c 'echo hello; echo oops >&2; "
                        f"exec -a '\"'\"'sleep-{sandbox.base}'\"'\"' sleep 1000'",
                        "  It is enabled.", "  Provides: greeter", "  Requires: user-processes",
                        "  Will be respawned.", ""]
    assert out[9] == "  Recent messages:"
    assert [ln.split(" ", 6)[-1] for ln in out[10:]] == ["hello", "oops"]
    assert all(re.match(r"    \d{4}-\d\d-\d\d \d\d:\d\d:\d\d ", ln) for ln in out[10:])

    r = sandbox.herd("log", "greeter")
    assert [ln.split(" ", 2)[2] for ln in lines(r)] == ["hello", "oops"]


def test_errors_and_exit_codes(sandbox):
    sandbox.sleeper("build-vm", actions=[{"name": "configuration",
                                          "documentation": "Show the VM's setup.",
                                          "lines": ["CPU: Skylake-Client", "number of CPU cores: 4",
                                                    "memory size: 2048 MiB",
                                                    "initial date: Wed Jan 01 00:00:00Z 2020"]}],
                    documentation="A virtual build machine.", **{"auto-start": False})
    r = sandbox.herd("status")
    assert r.returncode == 4 and "no supervisor is running for the root" in r.stderr
    sandbox.start_supervisor()

    r = sandbox.herd("status", "build-wm")
    assert r.returncode == 3
    assert r.stderr == "herd: error: service `build-wm` does not exist; did you mean build-vm?\n"
    r = sandbox.herd("start")
    assert r.returncode == 2 and "needs a service name" in r.stderr
    r = sandbox.herd("frobnicate", "build-vm")
    assert r.returncode == 3
    assert "has no action `frobnicate`; its actions: configuration" in r.stderr
    # A misspelt herd command is named as one, with the command meant.
    r = sandbox.herd("stat")
    assert r.returncode == 2 and "unknown command `stat`; did you mean status?" in r.stderr
    r = sandbox.herd("strat", "build-vm")
    assert r.returncode == 3
    assert r.stderr.endswith("did you mean `vsys herd start build-vm`?\n"), r.stderr

    # A fixed-text action prints its lines, whether or not the service runs.
    r = sandbox.herd("configuration", "build-vm")
    assert (r.returncode, lines(r)) == (0, ["CPU: Skylake-Client", "number of CPU cores: 4",
                                            "memory size: 2048 MiB",
                                            "initial date: Wed Jan 01 00:00:00Z 2020"])
    r = sandbox.herd("doc", "build-vm")
    assert lines(r) == ["A virtual build machine.", "Actions:",
                        "  configuration: Show the VM's setup."]
    assert lines(sandbox.herd("doc", "build-vm", "list-actions")) == ["configuration"]
    r = sandbox.herd("doc", "build-vm", "action", "configuration")
    assert (r.returncode, lines(r)) == (0, ["Show the VM's setup."])
    r = sandbox.herd("doc", "build-vm", "action", "configure")
    assert (r.returncode, r.stderr) == (3, "herd: error: service build-vm has no action "
                                           "`configure`; its actions: configuration\n")
    r = sandbox.herd("doc", "build-vm", "actions")
    assert r.returncode == 2 and r.stderr.startswith(
        "herd: error: after `doc build-vm` comes nothing, `list-actions` or `action ACTION`, "
        "not `actions`\nusage: vsys herd")

    r = sandbox.herd("disable", "build-vm")
    assert (r.returncode, lines(r)) == (0, ["Disabled service build-vm."])
    r = sandbox.herd("start", "build-vm")
    assert r.returncode == 1 and r.stderr == ("herd: error: build-vm is disabled; "
                                              "enable it with `vsys herd enable build-vm`\n")
    assert " - build-vm (disabled)" in lines(sandbox.herd("status"))
    assert lines(sandbox.herd("enable", "build-vm")) == ["Enabled service build-vm."]
    assert sandbox.herd("start", "build-vm").returncode == 0

    r = sandbox.herd("stop", "user-processes")
    assert r.returncode == 1 and "provided by the host" in r.stderr


def test_start_failure_names_the_package(sandbox):
    sandbox.spec("ganeti-noded", start={"argv": ["/nonexistent/sbin/ganeti-noded", "--port=1811"],
                                        "package": "ganeti"}, **{"auto-start": False})
    sandbox.spec("needs-noded", requirement=["ganeti-noded"], start={"argv": ["/bin/true"]},
                 **{"auto-start": False})
    sandbox.start_supervisor()
    r = sandbox.herd("start", "needs-noded")
    assert r.returncode == 1
    assert r.stderr == ("herd: error: cannot start needs-noded: requirement ganeti-noded failed to "
                        "start: /nonexistent/sbin/ganeti-noded: no such program; install the host "
                        "package `ganeti`\n")
    out = lines(sandbox.herd("status"))
    failed = out.index("Failed to start:")
    # the dependent failed too, and says why: its requirement's reason
    assert out[failed:failed + 4] == ["Failed to start:", " ! ganeti-noded", " ! needs-noded",
                                      MILESTONES[0]]
    assert ("  Note: requirement ganeti-noded failed to start: /nonexistent/sbin/ganeti-noded: "
            "no such program; install the host package `ganeti`") in \
        lines(sandbox.herd("status", "needs-noded"))


def test_environment_user_directory_and_one_shot(sandbox):
    sandbox.spec("probe", **{"one-shot": True, "auto-start": False},
                 start={"argv": ["/bin/sh", "-c", "echo $FOO $(id -un) $(pwd)"],
                        "environment": {"FOO": "bar", "PATH": "/usr/bin:/bin"},
                        "user": "nobody", "directory": "/tmp"})
    sandbox.spec("fails", **{"one-shot": True, "auto-start": False},
                 start={"argv": ["/bin/sh", "-c", "exit 7"]})
    sandbox.start_supervisor()
    r = sandbox.herd("start", "probe")
    assert r.returncode == 0, r.stderr
    user = "nobody" if os.geteuid() == 0 else os.environ.get("USER", "")
    logged = sandbox.wait_for(lambda: sandbox.call("log", "probe")["result"]["lines"], what="log")
    assert logged[-1].endswith(f"bar {user} /tmp") or os.geteuid() != 0
    out = lines(sandbox.herd("status"))
    assert out[out.index("One-shot:") + 1] == " * probe"
    r = sandbox.herd("start", "fails")
    assert r.returncode == 1
    assert r.stderr == "herd: error: cannot start fails: the command exited with code 7\n"


def test_a_sandbox_account_the_host_lacks_runs_as_the_supervisors_user(sandbox):
    """vsys creates build-vm-NAME and childhurd in the sandbox's passwd only: their
    services must still start (as the supervisor's user), not fail on the host lookup."""
    sandbox.spec("vm-like", **{"one-shot": True, "auto-start": False},
                 start={"argv": ["/bin/sh", "-c", "id -un"],
                        "user": "build-vm-not-on-this-host", "group": "kvm-not-here"})
    sandbox.start_supervisor()
    r = sandbox.herd("start", "vm-like")
    assert r.returncode == 0, r.stderr
    me = pwd.getpwuid(os.geteuid()).pw_name
    assert sandbox.wait_for(lambda: sandbox.call("log", "vm-like")["result"]["lines"],
                            what="log")[-1].endswith(me)


def test_forking_daemon_with_pid_file(sandbox):
    pid_file = "/run/forker.pid"
    sandbox.spec("forker", start={
        "argv": ["/bin/sh", "-c", f"setsid /bin/sh -c 'sleep 1000; : {sandbox.base}' "
                                  ">/dev/null 2>&1 & echo $! > $0; echo forked",
                 sandbox.root + pid_file],
        "pid-file": pid_file, "pid-file-timeout": 5})
    sandbox.spec("bad-forker", **{"auto-start": False},
                 start={"argv": ["/bin/sh", "-c", "exit 0"], "pid-file": "/run/never.pid",
                        "pid-file-timeout": 0.5})
    os.makedirs(os.path.join(sandbox.root, "run"))
    sandbox.start_supervisor()
    pid = sandbox.wait_for(lambda: sandbox.service_pid("forker"), what="forker")
    with open(sandbox.root + pid_file) as f:
        assert int(f.read()) == pid
    assert b"sleep" in open(f"/proc/{pid}/cmdline", "rb").read()
    r = sandbox.herd("start", "bad-forker")
    assert r.returncode == 1
    assert "no live process named in the pid file" in r.stderr
    assert sandbox.herd("stop", "forker").returncode == 0
    assert sandbox.wait_for(lambda: not in_session(pid), timeout=5,
                            what="the daemon's session to end")


def in_session(sid: int) -> list[int]:
    """Live processes of session SID."""
    found = []
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            fields = open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[3]) == sid:
            found.append(int(entry))
    return found


@pytest.mark.slow
def test_respawn_and_respawn_limit(sandbox):
    sandbox.sleeper("phoenix", respawn=True)
    sandbox.spec("crasher", respawn=True, **{"auto-start": False},
                 start={"argv": ["/bin/sh", "-c", "exit 3"]})
    sandbox.start_supervisor()
    pid = sandbox.wait_for(lambda: sandbox.service_pid("phoenix"), what="phoenix")
    os.kill(pid, signal.SIGKILL)
    new = sandbox.wait_for(lambda: (sandbox.service_pid("phoenix") or pid) != pid
                           and sandbox.service_pid("phoenix"), what="respawn")
    assert new != pid
    r = sandbox.herd("status", "phoenix")
    assert "  Last exit: terminated with signal SIGKILL" in r.stdout

    sandbox.herd("start", "crasher")
    sandbox.wait_for(lambda: not sandbox.call("status", "crasher")["result"]["enabled"],
                     what="disable")
    out = lines(sandbox.herd("status", "crasher"))
    assert "  It is disabled." in out
    assert ("  Note: it exited with code 3; respawning too fast (more than 5 times in 7 "
            "seconds): disabled; `vsys herd enable crasher` then start it again") in out
    assert "  Last exit: exited with code 3" in "\n".join(out)
    assert " - crasher (disabled)" in lines(sandbox.herd("status"))
    assert "service crasher has been disabled: respawning too fast" in sandbox.supervisor_log()
    r = sandbox.herd("start", "crasher")
    assert (r.returncode, r.stderr) == (1, "herd: error: crasher is disabled: it was respawning "
                                           "too fast; enable it with `vsys herd enable crasher`\n")


@pytest.mark.slow
def test_restarted_supervisor_adopts_twenty_services(sandbox):
    for i in range(20):
        sandbox.sleeper(f"s{i:02}", requirement=[f"s{i - 1:02}"] if i else [])
    sup = sandbox.start_supervisor()
    sandbox.wait_for(lambda: all(s["status"] == "running" for s in
                                 sandbox.call("status")["result"]["services"]), what="all started")
    before = {s["name"]: s["pid"] for s in sandbox.call("status")["result"]["services"] if s["pid"]}
    assert len(before) == 20
    sup.send_signal(signal.SIGTERM)         # the supervisor goes; the services stay
    assert sup.wait(timeout=10) == 0
    assert all(os.path.exists(f"/proc/{p}") for p in before.values())
    sandbox.start_supervisor(services=False)        # remembers its services directory
    after = {s["name"]: s["pid"] for s in sandbox.call("status")["result"]["services"] if s["pid"]}
    assert after == before
    sleeping = sandbox.sleeping()
    assert sorted(sleeping) == sorted(before.values())
    # Adopted processes are still supervised: a stop ends them.
    r = sandbox.herd("stop", "s00")
    assert len(lines(r)) == 20
    assert not [p for p in before.values() if os.path.exists(f"/proc/{p}")
                and open(f"/proc/{p}/stat").read().split(") ")[1][0] != "Z"]


@pytest.mark.slow
def test_two_hundred_start_stop_cycles_leave_nothing(sandbox):
    sandbox.sleeper("cycler", **{"auto-start": False})
    sandbox.start_supervisor()
    for i in range(200):
        if i % 10 == 0:        # a confirmed start (it takes the start grace of 1 s) ...
            assert sandbox.call("start", "cycler")["ok"]
            assert sandbox.call("stop", "cycler")["ok"]
            continue
        # ... or a stop that cancels the start while it is being confirmed.
        starting = threading.Thread(target=sandbox.call, args=("start", "cycler"))
        starting.start()
        sandbox.wait_for(lambda: sandbox.call("status", "cycler")["result"]["pid"],
                         step=0.01, what="the process")
        assert sandbox.call("stop", "cycler")["ok"]
        starting.join(10)
    sleeping = sandbox.sleeping()
    assert sleeping == []
    assert not os.listdir(os.path.join(os.path.dirname(sandbox.socket), "out"))


def test_second_client_while_one_is_connected(sandbox):
    sandbox.sleeper("a")
    sandbox.start_supervisor()
    idle = protocol.connect(sandbox.socket, 5)     # connected, says nothing
    try:
        results = []

        def status() -> None:
            results.append(sandbox.herd("status", "a").returncode)
        threads = [threading.Thread(target=status) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert results == [0, 0, 0, 0]
    finally:
        idle.close()


def test_socket_is_private(sandbox):
    sandbox.start_supervisor()
    assert os.stat(sandbox.socket).st_mode & 0o777 == 0o600
    r = sandbox.call("status", version=99)
    assert r["ok"] is False and r["error"]["kind"] == "version"


def test_reload_points_at_new_services(sandbox):
    sandbox.sleeper("keep")
    sandbox.sleeper("change")
    sandbox.sleeper("drop")
    sandbox.sleeper("child", requirement=["change"])
    sandbox.start_supervisor()
    sandbox.wait_for(lambda: all(s["status"] == "running"
                                 for s in sandbox.call("status")["result"]["services"]),
                     what="start")
    keep_pid = sandbox.service_pid("keep")
    new = os.path.join(sandbox.base, "svc2")
    os.makedirs(new)
    sandbox.sleeper("keep", directory=new)
    sandbox.spec("change", directory=new, start={"argv": sandbox.sleep_argv(999)})
    sandbox.sleeper("fresh", directory=new)
    sandbox.sleeper("child", directory=new, requirement=["change"])
    reply = sandbox.call("reload", **{"services-dir": new})
    assert reply["ok"], reply
    assert reply["result"] == {"started": ["change", "fresh", "child"], "stopped": ["drop"],
                               "restarted": ["change"], "pending-restart": [], "failed": {},
                               "unchanged": 8}
    assert sandbox.call("status", "child")["result"]["status"] == "running"
    assert sandbox.service_pid("keep") == keep_pid
    assert "sleep 999" in " ".join(sandbox.call("status", "change")["result"]["command"])
    r = sandbox.herd("status", "drop")
    assert r.returncode == 3


def test_stop_root_stops_everything_then_the_supervisor(sandbox):
    sandbox.sleeper("a")
    sandbox.sleeper("b", requirement=["a"])
    sup = sandbox.start_supervisor()
    sandbox.wait_for(lambda: sandbox.service_pid("b"), what="b")
    r = sandbox.herd("stop", "root")
    assert r.returncode == 0
    assert lines(r) == ["Service b has been stopped.", "Service a has been stopped.",
                        f"The supervisor of {sandbox.root} has stopped."]
    assert sup.wait(timeout=10) == 0
    assert sandbox.herd("status").returncode == 4


def test_force_start_and_run_actions(sandbox):
    hint = "/var/lib/ganeti/guix_wconfd_force_node_hint"
    # Like ganeti's daemons, it writes its pid file once started, so the start
    # waits until the wrapper has looked for the hint.
    pid_file = "/var/run/ganeti/ganeti-wconfd.pid"
    os.makedirs(sandbox.root + "/var/run/ganeti")
    wrapper = (f"if [ -e {sandbox.root}{hint} ]; then echo --force-node --no-voting --yes-do-it; "
               f"else echo plain; fi; echo $$ > {sandbox.root}{pid_file}; "
               f"exec -a 'sleep-{sandbox.base}' sleep 1000")
    sandbox.spec("ganeti-wconfd", requirement=["user-processes"],
                 start={"argv": ["/bin/bash", "-c", wrapper], "pid-file": pid_file,
                        "pre-start": [["/bin/sh", "-c", "echo preparing"]]},
                 actions=[{"name": "force-start", "kind": "force-start", "hint-file": hint,
                           "documentation": "Start wconfd without a quorum."},
                          {"name": "uptime", "kind": "run",
                           "argv": ["/bin/sh", "-c", "echo up; exit ${0#x}", "x0"]}])
    sandbox.start_supervisor()
    first = sandbox.wait_for(lambda: sandbox.service_pid("ganeti-wconfd"), what="wconfd")
    r = sandbox.herd("force-start", "ganeti-wconfd")
    assert (r.returncode, r.stdout) == (0, f"ganeti-wconfd restarted with {hint} present\n"), \
        r.stderr
    assert not os.path.exists(sandbox.root + hint)
    assert sandbox.service_pid("ganeti-wconfd") != first
    logged = [ln.split(" ", 2)[2] for ln in sandbox.wait_for(
        lambda: len(sandbox.call("log", "ganeti-wconfd")["result"]["lines"]) >= 5 and
        sandbox.call("log", "ganeti-wconfd")["result"]["lines"], what="log")]
    assert logged[0] == "preparing" and logged[1] == "plain"
    assert "--force-node --no-voting --yes-do-it" in logged
    r = sandbox.herd("uptime", "ganeti-wconfd")
    assert (r.returncode, r.stdout) == (0, "up\n")


@pytest.mark.slow
def test_chatty_service_survives_a_supervisor_restart(sandbox):
    sandbox.spec("chatty", start={"argv": ["/bin/bash", "-c", "while :; do echo tick; "
                                           f"sleep 0.05; done # {sandbox.base}"]})
    sup = sandbox.start_supervisor()
    pid = sandbox.wait_for(lambda: sandbox.service_pid("chatty"), what="chatty")
    sup.send_signal(signal.SIGTERM)
    assert sup.wait(timeout=10) == 0
    time.sleep(0.5)                       # it writes while nobody reads: it must not die
    sandbox.start_supervisor(services=False)
    assert sandbox.service_pid("chatty") == pid

    def size() -> int:
        return len(sandbox.call("log", "chatty", lines=10000)["result"]["lines"])
    before = size()
    sandbox.wait_for(lambda: size() > before + 5, what="the log to grow after adoption")
    assert os.path.exists(f"/proc/{pid}")


def test_daemonize_returns_once_listening(sandbox):
    sandbox.sleeper("a")
    r = sandbox.vsys("shepherd", "--root", sandbox.root, "--services", sandbox.services,
                     "--daemonize", timeout=30)
    assert r.returncode == 0, r.stderr
    assert sandbox.herd("status").returncode == 0
    again = sandbox.vsys("shepherd", "--root", sandbox.root, "--daemonize", timeout=30)
    assert again.returncode == 1
    r = sandbox.herd("stop", "root")
    assert r.returncode == 0 and r.stdout.endswith("has stopped.\n")
