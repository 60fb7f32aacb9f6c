"""The manual's Ganeti node (examples/ganeti-node.scm) as a one-node cluster in its
container, with Debian's ganeti: the first reconfigure says what to run next; after
`gnt-cluster init` every daemon runs under the supervisor as the user Debian's build
wants, the cluster verifies, a diskless instance of the fake hypervisor runs, RAPI
answers, and ganeti-watcher, run by mcron, restarts through the supervisor a daemon
stopped by hand."""

from __future__ import annotations

import json
import os
import re

import pytest
from hostprograms import need_program
from support.paths import REPO as ROOT
from support.turns import turn

NODE = os.path.join(ROOT, "examples", "ganeti-node.scm")

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def _address_turn():
    """The node's static address is routed to one container at a time."""
    with turn("ganeti-node-address"):
        yield

NEXT_STEP = ("this node is in no Ganeti cluster yet (/var/lib/ganeti/server.pem is "
             "missing): to make it the master of a new cluster, run 'gnt-cluster init "
             "CLUSTER-NAME' here; to add it to a cluster, run 'gnt-node add node1' on "
             "that cluster's master")
INIT = ["gnt-cluster", "init", "--no-ssh-init", "--no-etc-hosts", "--enabled-hypervisors=fake",
        "--master-netdev=eth0", "--enabled-disk-templates=diskless",
        "--nic-parameters=mode=routed,link=100", "ganeti.example.com"]
# Debian's daemon-util: each daemon's user and group.
USERS = {"ganeti-noded": ("root", "root"), "ganeti-mond": ("root", "root"),
         "ganeti-confd": ("gnt-confd", "gnt-confd"),
         "ganeti-wconfd": ("gnt-masterd", "gnt-confd"),
         "ganeti-luxid": ("gnt-masterd", "gnt-luxid"),
         "ganeti-rapi": ("gnt-rapi", "gnt-rapi")}


def need_ganeti() -> None:
    need_program("gnt-cluster", "ganeti")
    need_program("bwrap", "bubblewrap")
    need_program("sshd", "openssh-server")
    need_program("mcron", "mcron")
    if not os.path.exists("/usr/share/ganeti/os/debootstrap"):
        need_program("/usr/share/ganeti/os/debootstrap", "ganeti-instance-debootstrap")


def ids(box, user: str, group: str) -> tuple[str, str]:
    """The uid and gid of USER and GROUP in the system's own account files."""
    def number(path: str, name: str) -> str:
        if name == "root":
            return "0"
        with open(os.path.join(box.root, "etc", path)) as f:
            return next(line.split(":")[2] for line in f if line.split(":")[0] == name)
    return number("passwd", user), number("group", group)


def running_as(box, name: str) -> tuple[str, str]:
    """(real uid, real gid) of the daemon's process, from /proc/PID/status inside."""
    out = box.vsys("herd", "--root", box.root, "status", name).stdout
    pid = re.search(r"Main PID: (\d+)", out).group(1)
    status = box.exec("cat", f"/proc/{pid}/status").stdout
    uid = re.search(r"^Uid:\s+(\d+)", status, re.M).group(1)
    gid = re.search(r"^Gid:\s+(\d+)", status, re.M).group(1)
    return uid, gid


def herd_lists(box) -> dict[str, list[str]]:
    out = box.vsys("herd", "--root", box.root, "status").stdout
    lists, current = {}, None
    for line in out.splitlines():
        if line.endswith(":") and not line.startswith(" "):
            current = lists.setdefault(line[:-1], [])
        elif current is not None and line[:3] in (" + ", " - ", " ! "):
            current.append(line[3:].split(" ")[0])
    return lists


def test_a_one_node_cluster(box):
    need_ganeti()
    # 1. Reconfigured as the manual writes it: every daemon says the next step.
    out = box.reconfigure(NODE).stdout
    noded = ("/bin/sh exited with code 1 before writing its pid file "
             f"/var/run/ganeti/ganeti-noded.pid: ganeti-noded: {NEXT_STEP}")
    assert f"  failed to start ganeti-noded: {noded}\n" in out, out
    # wconfd, which asks noded whether it is master, fails for noded's reason
    assert f"  failed to start ganeti-wconfd: requirement ganeti-noded failed to start: " \
           f"{noded}\n" in out, out
    assert "started mcron, ssh-daemon" in out
    assert box.exec("hostname", "-f").stdout == "node1.example.com\n"

    # 2. gnt-cluster init, as on a Debian node; daemon-util starts the daemons through
    # the supervisor.
    box.exec("sh", "-c", "mkdir -p /root/.ssh && ssh-keygen -q -t rsa -N '' -f "
             "/root/.ssh/id_rsa && cat /root/.ssh/id_rsa.pub >> /root/.ssh/authorized_keys")
    done = box.exec(*INIT, check=None)
    assert done.returncode == 0, done.stdout + done.stderr
    lists = herd_lists(box)
    assert set(USERS) <= set(lists["Started"]), lists
    for name, (user, group) in USERS.items():
        assert running_as(box, name) == ids(box, user, group), name
    # fake hypervisor: daemon-util leaves kvmd (it would exit), and started by hand it
    # says why it does not run
    done = box.vsys("herd", "--root", box.root, "start", "ganeti-kvmd", check=1)
    assert "ganeti-kvmd: KVM is not an enabled hypervisor of this cluster " \
           "(/var/lib/ganeti/ssconf_hypervisor_list): it has nothing to do" in done.stderr

    # 3. The cluster verifies: no error but the one a kernel without SysRq causes.
    done = box.exec("gnt-cluster", "verify", check=None)
    errors = [line.split("ERROR: ", 1)[1] for line in done.stdout.splitlines()
              if "ERROR:" in line]
    allowed = [] if os.path.exists("/proc/sysrq-trigger") else [
        "node node1.example.com: node setup error: The procfs filesystem doesn't seem to "
        "be mounted under /proc, missing required directory /proc/sys and the file "
        "/proc/sysrq-trigger"]
    assert errors == allowed, done.stdout

    # 4. A diskless instance of the fake hypervisor runs (metad is started on demand).
    done = box.exec("gnt-instance", "add", "-n", "node1.example.com", "-t", "diskless",
                    "-o", "debootstrap+default", "--no-install", "--no-name-check",
                    "--no-ip-check", "--net", "0:ip=192.168.1.210", "-B", "memory=128M",
                    "inst1.example.com", check=None)
    assert done.returncode == 0, done.stdout + done.stderr
    box.exec("gnt-instance", "startup", "inst1.example.com")
    listed = box.exec("gnt-instance", "list", "--no-headers", "-o", "name,status").stdout
    assert listed.split() == ["inst1.example.com", "running"]
    assert "ganeti-metad" in herd_lists(box)["Started"]
    assert running_as(box, "ganeti-metad") == ids(box, "gnt-metad", "gnt-metad")

    # 5. RAPI answers on its configured port (5080).
    info = box.exec("python3", "-c", "import ssl, urllib.request; print(urllib.request."
                    "urlopen('https://127.0.0.1:5080/2/info', context=ssl._create_"
                    "unverified_context(), timeout=30).read().decode())").stdout
    assert json.loads(info)["name"] == "ganeti.example.com"

    # 6. A daemon stopped by hand is stopped for herd; the watcher, run by mcron every
    # five minutes, brings it back through the supervisor.
    box.vsys("herd", "--root", box.root, "stop", "ganeti-confd")
    assert "ganeti-confd" in herd_lists(box)["Stopped"]
    schedule = box.vsys("herd", "--root", box.root, "schedule", "mcron").stdout
    assert "ganeti-watcher" in schedule
    box.wait_for(lambda: "ganeti-confd" in herd_lists(box)["Started"], timeout=330,
                 what="ganeti-watcher to restart ganeti-confd")
    with open(os.path.join(box.root, "var/log/ganeti/watcher.log")) as f:
        assert "daemon-util check-and-start ganeti-confd" in f.read()
