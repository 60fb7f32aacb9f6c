"""The container's life: entering it with `vsys exec`, the end of everything in it when
its supervisor is killed, recovery by the next reconfigure, and `vsys container`'s
throwaway systems."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time

import pytest
from hostprograms import need_program
from support.containerbox import EXAMPLES, VSYS, alive, descendants

pytestmark = pytest.mark.slow

SMALL = """\
(use-modules (gnu))
(operating-system
  (host-name "smallbox")
  (users (cons (user-account (name "bob") (group "users")) %base-user-accounts))
  (services %base-services))
"""


@pytest.fixture(autouse=True)
def programs():
    need_program("bwrap", "bubblewrap")
    need_program("tini", "tini")
    need_program("nsenter", "util-linux")


def small(box) -> str:
    path = os.path.join(box.base, "small.scm")
    with open(path, "w") as f:
        f.write(SMALL)
    return path


def test_exec_runs_as_root_of_the_system_and_gives_the_command_s_status(box):
    out = box.vsys("exec", "--root", box.root, "--", "true", check=125)
    assert out.stderr == (f"vsys exec: no container runs for the root {box.root}; start "
                          f"one with `vsys reconfigure FILE --root {box.root}`\n")
    box.reconfigure(small(box))
    assert box.exec("sh", "-c", "id -un; hostname; pwd; echo $HOME").stdout == \
        "root\nsmallbox\n/\n/root\n"
    assert box.exec("sh", "-c", "exit 7", check=7).returncode == 7
    missing = box.exec("/no/such/program", check=None)
    assert missing.returncode == 127 and "/no/such/program" in missing.stderr
    # Its own PID namespace: the init, the supervisor and the command, nothing of the host.
    ps = box.exec("ps", "-e", "-o", "pid=,comm=").stdout.split("\n")
    pids = {line.split()[0]: line.split()[1] for line in ps if line.strip()}
    assert pids["1"] == "tini" and set(pids.values()) == {"tini", "python", "ps"}, pids
    # The devices services use; /dev/kvm and /dev/net/tun when the host has them.
    devices = ["/dev/null", "/dev/zero", "/dev/urandom", "/dev/random", "/dev/tty",
               "/dev/ptmx"] + [d for d in ("/dev/kvm", "/dev/net/tun") if os.path.exists(d)]
    box.exec("sh", "-c", " && ".join(f"test -c {d}" for d in devices)
             + " && test -d /dev/pts && test -d /dev/shm && test -d /sys/class")
    # The accounts are the config's; the host's /etc/passwd knows nothing of bob.
    assert box.exec("id", "-un", "bob").stdout == "bob\n"
    with open("/etc/passwd") as f:
        assert not any(line.startswith("bob:") for line in f)
    # The root's files are the container's /etc, writable; the host's programs read-only.
    box.exec("sh", "-c", "echo made-inside > /etc/motd")
    with open(os.path.join(box.root, "etc", "motd")) as f:
        assert f.read() == "made-inside\n"
    ro = box.exec("touch", "/usr/bin/vsys-test", check=None)
    assert ro.returncode == 1 and "Read-only file system" in ro.stderr
    assert box.vsys("exec", "--root", box.root, "--bogus", "--", "true", check=2).stderr \
        .startswith("vsys exec: unknown option --bogus (the command goes after --)\n")


def test_kill_9_of_the_supervisor_ends_every_process_and_reconfigure_recovers(box):
    need_program("sshd", "openssh-server")
    config = box.ssh_config()[0]
    box.reconfigure(config)
    record = box.record()
    init = record["pid"]
    box.wait_running("ssh-daemon")
    everything = descendants(init)
    supervisor = [p for p in everything if b"shepherd" in _cmdline(p) and p != init]
    assert len(supervisor) == 1 and len(everything) >= 3, everything
    os.kill(supervisor[0], signal.SIGKILL)
    box.wait_for(lambda: not any(alive(p) for p in everything), timeout=10,
                 what="every process of the container to end")
    # The kernel takes the veth away with the container's network namespace, in its own
    # time (a work queue): soon, not at once.
    veth = f"/sys/class/net/{record['network']['host-interface']}"
    box.wait_for(lambda: not os.path.exists(veth), timeout=20,
                 what="the container's veth to go with its network namespace")
    assert box.vsys("herd", "--root", box.root, "status", check=4)
    assert box.exec("true", check=125).returncode == 125

    again = box.reconfigure(config).stdout
    assert (f"container: the previous container of {box.root} ended without `herd stop "
            f"root` (its supervisor was killed, or the host restarted); starting a new "
            f"one\n") in again
    assert re.search(r"^supervisor: started for this root; (started|still starting:) "
                     r"ssh-daemon", again, re.M), again
    box.wait_running("ssh-daemon")
    assert box.record()["pid"] != init and alive(box.record()["pid"])
    assert box.exec("hostname").stdout == "sshbox\n"


def _cmdline(pid: int) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read()
    except OSError:
        return b""


def test_herd_stop_root_ends_the_container_and_takes_its_mount_points_away(box):
    box.reconfigure(small(box))
    made = box.record()["made"]
    etc = os.path.join(box.root, "etc")
    # The host's linker cache and PAM stacks are bound over empty mount points.
    assert {os.path.join(etc, "ld.so.cache"), os.path.join(etc, "pam.d")} <= set(made)
    assert os.path.getsize(os.path.join(etc, "ld.so.cache")) == 0
    assert box.exec("sh", "-c", "test -s /etc/ld.so.cache && ls /etc/pam.d | grep -c .") \
        .stdout.strip() != "0"
    init, veth = box.record()["pid"], box.record()["network"]["host-interface"]
    out = box.vsys("herd", "--root", box.root, "stop", "root").stdout
    assert out.endswith(f"The supervisor of {box.root} has stopped.\n")
    assert not alive(init) and box.record() is None
    # Its host end (and the routes to its addresses) go at once, not when the kernel gets
    # to the namespace: a system started next may take the same static address.
    assert not os.path.exists(f"/sys/class/net/{veth}")
    assert [p for p in made if os.path.lexists(p)] == []
    assert sorted(os.listdir(etc)) == [".pwd.lock", "group", "hosts", "passwd",
                                       "shadow"]


def throwaway(box, *extra) -> tuple[subprocess.Popen, dict]:
    proc = subprocess.Popen(VSYS + ["container", *extra,
                                    os.path.join(EXAMPLES, "ssh-container.scm")],
                            env=box.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=box.base)
    box.background.append(proc)
    said: dict = {"lines": []}
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        assert line, f"vsys container ended early: {proc.stderr.read()}"
        said["lines"].append(line)
        if line.startswith("container: root "):
            said["root"] = line.split()[2]
        if line.startswith("container: enter it with"):
            return proc, said
    raise AssertionError("vsys container did not say how to enter it")


def test_container_runs_a_throwaway_system_until_herd_stop_root_and_leaves_nothing(box):
    need_program("sshd", "openssh-server")
    store_before = set(os.listdir(os.path.join(box.state, "store"))) \
        if os.path.isdir(os.path.join(box.state, "store")) else set()
    proc, said = throwaway(box)
    root = said["root"]
    assert root.startswith(os.path.join(box.state, "containers") + "/")
    address = box.address(root)
    assert said["lines"][-2] == (f"container: sshbox runs in its own namespaces, address "
                                 f"{address} on eth0 (host side "
                                 f"{box.record(root)['network']['host-address']} on "
                                 f"{box.record(root)['network']['host-interface']})\n")
    assert said["lines"][-1] == (f"container: enter it with `vsys exec --root {root} -- "
                                 f"bash`; stop it with `vsys herd --root {root} stop root`\n")
    assert box.exec("hostname", root=root).stdout == "sshbox\n"
    assert box.vsys("list-generations").stdout == \
        f"no generations for the root {os.path.join(box.state, 'root')} (sandbox)\n"
    veth = box.record(root)["network"]["host-interface"]
    box.vsys("herd", "--root", root, "stop", "root")
    assert proc.wait(timeout=30) == 0
    assert proc.stdout.read() == "container: stopped; its root and files are removed\n"
    assert not os.path.exists(root)
    assert os.listdir(os.path.join(box.state, "containers")) == []
    assert not os.path.exists(f"/sys/class/net/{veth}")
    assert set(os.listdir(os.path.join(box.state, "store"))) == store_before
    assert not os.listdir(os.path.join(box.state, "profiles", "roots"))


def test_ctrl_c_stops_the_throwaway_system(box):
    proc, said = throwaway(box, "--network=host")
    root = said["root"]
    assert "shares the host's network" in said["lines"][-2]
    init = box.record(root)["pid"]
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=30) == 0
    assert not alive(init) and not os.path.exists(root)


def test_a_launcher_killed_before_the_network_is_set_up_starts_nothing(box):
    """bubblewrap goes on when --block-fd reaches its end of file, so the launcher's death
    would start a supervisor in a container without its network; it must not."""
    box.reconfigure(small(box), "--no-supervisor")
    roots = os.path.join(box.state, "profiles", "roots")
    services = os.path.join(os.path.realpath(os.path.join(roots, os.listdir(roots)[0],
                                                          "system")), "services")
    env = dict(box.env, VSYS_CRASH_AT="container-network")
    done = subprocess.run(VSYS + ["shepherd", "--root", box.root, "--services", services,
                                  "--daemonize", "--container"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 86
    log = os.path.join(box.state, "log", os.listdir(os.path.join(box.state, "log"))[0],
                       "shepherd.log")

    def refused() -> bool:
        with open(log) as f:
            return (f"vsys shepherd: the container of {box.root} was not set up to the end "
                    f"(what started it stopped first): not starting\n") in f.read()
    box.wait_for(refused, what="the supervisor to refuse to start")
    box.wait_for(lambda: not any(box.root.encode() in _cmdline(int(p)) for p in
                                 os.listdir("/proc") if p.isdigit()),
                 what="every process of the half-made container to end")
    assert box.vsys("herd", "--root", box.root, "status", check=4)
    again = box.reconfigure(small(box)).stdout
    assert "ended without `herd stop root`" in again
    assert box.exec("hostname").stdout == "smallbox\n"


def test_a_link_for_one_of_the_root_s_directories_is_refused_not_followed(box):
    """Someone who can write the root makes its tmp a link to a directory of the host:
    the container must neither mount that directory nor open it to everyone."""
    elsewhere = os.path.join(box.base, "elsewhere")
    os.mkdir(elsewhere, 0o700)
    os.symlink(elsewhere, os.path.join(box.root, "tmp"))
    done = box.reconfigure(small(box), check=1)
    assert (f"error: could not start the supervisor: {box.root}/tmp is not a directory of "
            f"the root's own (a link or a file): the container mounts it as /tmp, so it "
            f"must be one\n") in done.stdout
    assert oct(os.stat(elsewhere).st_mode & 0o7777) == "0o700"
    assert box.record() is None
    assert box.vsys("herd", "--root", box.root, "status", check=4)


def test_a_new_host_name_waits_for_the_next_start_and_reconfigure_says_so(box):
    box.reconfigure(small(box))
    renamed = os.path.join(box.base, "renamed.scm")
    with open(renamed, "w") as f:
        f.write(SMALL.replace('"smallbox"', '"otherbox"'))
    out = box.reconfigure(renamed).stdout
    assert (f"container: its host name otherbox takes effect when it starts again (`vsys herd "
            f"--root {box.root} stop root`, then reconfigure)\n") in out
    assert box.exec("hostname").stdout == "smallbox\n"
    box.vsys("herd", "--root", box.root, "stop", "root")
    assert "container: its" not in box.reconfigure(renamed).stdout
    assert box.exec("hostname").stdout == "otherbox\n"
