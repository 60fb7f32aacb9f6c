"""Real guests end to end: `vsys image` builds a Debian guest of the shipped build-VM
system; a config whose virtual build machine's image is that operating-system has
reconfigure build (here: find cached) and place its image, and runs it; a Linux
childhurd boots the image by path.  From inside the container, which has its own
network, the user logs in with the keys vsys generated (`vsys exec -- ssh`), talks to
the guest agent with the command `herd status` gives, and sees a guest reboot and a
stop.  (A Hurd image cannot be built from Debian's archive: the childhurd's VM plumbing
is checked with the Linux guest.)

Slow: the first run builds the image (minutes; then cached in the test cache), and each
boot takes a minute or two where QEMU must emulate (TCG)."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import time

import pytest
from guestvm import guest_agent, guest_os, image_env, need_image_tools
from support.cli import VSYS, run_vsys
from support.turns import turn

from vsys.guest_systems import guest_config
from vsys.shepherd import protocol

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def _ports_turn():
    """VMs at their default forwarded ports (11022, 11044...): one test at a time."""
    with turn("default-vm-ports"):
        yield

BOOT = 420          # seconds for a boot to SSH, emulated, on a busy 2-core machine


class Host:
    """A vsys user: their state directory (whose sandbox is the root) and config."""

    def __init__(self, base: str, host_network: bool = False):
        self.base = base
        # With --network=host the container shares the host's network: the VMs' forwards
        # are on the host's loopback, where ssh runs as a person on the host runs it.
        self.host_network = host_network
        self.state = os.path.join(base, "state")
        self.root = os.path.join(self.state, "root")
        self.env = image_env(dict(os.environ, VSYS_STATE_DIR=self.state))
        self.env.pop("XDG_STATE_HOME", None)

    def vsys(self, *args, timeout: float = 600, check: int | None = 0):
        done = run_vsys(*args, env=self.env, timeout=timeout, cwd=self.base)
        assert "Traceback" not in done.stderr, done.stderr
        if check is not None:
            assert done.returncode == check, f"vsys {args}: {done.stdout}\n{done.stderr}"
        return done

    def reconfigure(self, config: str, timeout: float = 600):
        network = ["--network=host"] if self.host_network else []
        return self.vsys("reconfigure", *network, config, timeout=timeout)

    def herd(self, *args, timeout: float = BOOT, check: int | None = 0):
        return self.vsys("herd", *args, timeout=timeout, check=check)

    def under_root(self, path: str) -> str:
        return os.path.join(self.root, path.lstrip("/"))

    def status(self, service: str) -> list[str]:
        return self.herd("status", service, timeout=30).stdout.splitlines()


def field(lines: list[str], prefix: str) -> str | None:
    return next((ln[len(prefix):] for ln in lines if ln.startswith(prefix)), None)


def running(host: Host, service: str) -> bool:
    return (field(host.status(service), "  It is ") or "").startswith("running since")


def qemu_pid(host: Host, service: str) -> int | None:
    pid = field(host.status(service), "  Main PID: ")
    return int(pid) if pid else None


def gone(host: Host, pid: int) -> bool:
    """Whether PID (of the container's PID namespace, as herd shows it) has ended."""
    stat = host.vsys("exec", "--", "cat", f"/proc/{pid}/stat", check=None, timeout=30)
    return stat.returncode != 0 or stat.stdout.split(") ", 1)[1].startswith("Z")


def wait_gone(host: Host, pid: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not gone(host, pid) and time.monotonic() < deadline:
        time.sleep(1)
    assert gone(host, pid), f"QEMU ({pid}) still runs after {timeout} s"


@pytest.fixture(scope="module")
def image(tmp_path_factory):
    """The guest image, built (or taken from the test cache) with the command `herd
    start` names for a missing image."""
    need_image_tools()
    base = str(tmp_path_factory.mktemp("image"))
    host = Host(base)
    output = os.path.join(base, "images", "guest.qcow2")
    first = host.vsys("image", guest_config(), "--output", output, timeout=3000)
    assert first.stdout == output + "\n"
    again = host.vsys("image", guest_config(), "--output", output, timeout=120)
    assert re.search(r"^image of .*build-vm\.scm: cached \(", again.stderr, re.M), again.stderr
    info = subprocess.run(["qemu-img", "info", "--output=json", output], capture_output=True,
                          text=True, check=True).stdout
    assert '"format": "qcow2"' in info
    return output


CONFIG = """\
(use-modules (gnu))
(use-service-modules networking ssh virtualization)

;; The build VM's guest: the system vsys ships for VMs, written here.
(define guest-os
GUEST)

(operating-system
  (host-name "vmhost")
  (services (append (list (service virtual-build-machine-service-type
                                   (virtual-build-machine
                                    (image guest-os)
                                    (cpu-count 2)
                                    (memory-size 1024)))CHILDHURD)
                    %base-services)))
"""

CHILDHURD = """
                          (service hurd-vm-service-type
                                   (hurd-vm-configuration
                                    (image "{image}")
                                    (id {childhurd_id})))"""

# The build VM's SSH port and a childhurd of id 1's are both 11022 (10022 + 1000 × 1):
# `vsys build` refuses that (test_build_vm_and_childhurd.py), so a childhurd beside a
# build VM at their defaults takes id 2.
CHILDHURD_ID = 2


# Where the childhurd's image is in the sandbox: its container sees the root's /var, not
# the host's /tmp, so the image built in the test cache is linked in there.
IMAGE_IN_ROOT = "/var/lib/vsys/images/guest.qcow2"
BUILD_VM_IMAGE = "/var/lib/vsys/images/build-vm.qcow2"

# A base long enough that the host's path of a contained socket is too long to connect
# to (a socket address holds 107 bytes), as a user's may be.
LONG = "a-state-directory-whose-name-is-long-enough-to-matter"


@pytest.fixture
def host(tmp_path, image):
    """A user whose container has a network of its own: QEMU's forwards are on its
    loopback."""
    yield from reconfigured(Host(str(tmp_path / LONG)), image)


@pytest.fixture
def host_on_host_network(tmp_path, image):
    """A user who runs the system on the host's network (`--network=host`)."""
    yield from reconfigured(Host(str(tmp_path / "host-network"), host_network=True), image)


def reconfigured(host: Host, image: str):
    inside = host.under_root(IMAGE_IN_ROOT)
    os.makedirs(os.path.dirname(inside))
    os.link(image, inside)
    host.image = IMAGE_IN_ROOT
    try:
        r = host.reconfigure(write_config(host, ""))
        assert "switched to generation 1" in r.stdout
        # The build VM's image is the guest system above: the same system as the image
        # the fixture built, so reconfigure finds it cached, whichever file it is in.
        assert re.search(r"^vsys: image of virtual build machine build-vm: cached \(",
                         r.stderr, re.M), r.stderr
        assert f"vsys: image of virtual build machine build-vm: placed at {BUILD_VM_IMAGE}\n" \
            in r.stderr
        yield host
    finally:        # the supervisor stops even when reconfigure's output was not as expected
        host.vsys("herd", "stop", "root", timeout=120, check=None)


def write_config(host: Host, childhurd: str) -> str:
    config = os.path.join(host.base, "config.scm")
    hurd = childhurd.format(image=host.image, childhurd_id=CHILDHURD_ID)
    with open(config, "w") as f:
        f.write(CONFIG.replace("GUEST", guest_os()).replace("CHILDHURD", hurd))
    return config


def forwards(host: Host, service: str) -> dict[int, int]:
    """{guest port: host port} from the QEMU command the supervisor ran."""
    command = field(host.status(service), "  Command: ") or ""
    return {int(g): int(h) for h, g in re.findall(r"hostfwd=tcp:127\.0\.0\.1:(\d+)-:(\d+)",
                                                  command)}


def configuration(host: Host) -> dict[str, str]:
    lines = host.herd("configuration", "build-vm", timeout=30).stdout.splitlines()
    return dict(line.split(": ", 1) for line in lines)


def ssh(host: Host, port: int, key: str, known_hosts: str, command: str):
    """COMMAND in the guest as the offloading user, checking the guest's host key against
    KNOWN_HOSTS (KEY and KNOWN_HOSTS are paths in the container).  ssh runs where the VM's
    ports are: in the container, or on the host when it shares the host's network."""
    def argv(key: str, known: str) -> list[str]:
        return ["ssh", "-p", str(port), "-i", key, "-o", "StrictHostKeyChecking=yes",
                "-o", f"UserKnownHostsFile={known}", "-o", "BatchMode=yes",
                "-o", "ConnectTimeout=20", "-o", "IdentitiesOnly=yes",
                "offloading@127.0.0.1", command]
    if host.host_network:
        return subprocess.run(argv(host.under_root(key), host.under_root(known_hosts)),
                              capture_output=True, text=True, timeout=120)
    return host.vsys("exec", "--", *argv(key, known_hosts), check=None, timeout=120)


def known_hosts(host: Host, port: int, secret_root: str) -> str:
    """A known_hosts file in the container naming the VM's forwarded address with the
    host key vsys generated for it; its path in the container."""
    inside = f"/tmp/known_hosts-{port}"
    with open(host.under_root(secret_root + "/etc/ssh/ssh_host_ed25519_key.pub")) as f:
        key = " ".join(f.read().split()[:2])
    with open(host.under_root(inside), "w") as f:
        f.write(f"[127.0.0.1]:{port} {key}\n")
    return inside


def login(host: Host, port: int, secret_root: str, key: str, command: str,
          wait: float = 240):
    """COMMAND over SSH as the offloading user; sshd starts once the secrets are in, a
    little after `herd start` returns, so a connection cut before the greeting is
    retried for WAIT seconds."""
    known = known_hosts(host, port, secret_root)
    deadline = time.monotonic() + wait
    while True:
        r = ssh(host, port, key, known, command)
        if r.returncode != 255 or "kex_exchange_identification" not in r.stderr \
                or time.monotonic() > deadline:
            return r
        time.sleep(2)


def agent_command(host: Host, line: str) -> list[str]:
    """The command the status line after `Guest agent:` gives, as vsys runs here."""
    m = re.fullmatch(r"  \(too long a path to connect to; in the container: vsys (exec .*)\)",
                     line)
    assert m, line
    return [*VSYS, *shlex.split(m.group(1))]


def agent_ping(host: Host, command: list[str], wait: float = 120) -> str:
    """guest-ping through COMMAND (socat in the container): its output.  The agent starts
    with the guest's services, a little after the VM is up."""
    deadline = time.monotonic() + wait
    while True:
        r = subprocess.run(command, input='{"execute": "guest-ping"}\n', capture_output=True,
                           text=True, env=host.env, timeout=60)
        if '{"return": {}}' in r.stdout or time.monotonic() > deadline:
            return r.stdout
        time.sleep(2)


def test_build_vm_boots_receives_its_secrets_and_takes_ssh(host):
    r = host.herd("start", "build-vm")
    assert r.stdout == "Service build-vm has been started.\n", r.stderr
    ports = forwards(host, "build-vm")
    ssh_port = ports[22]
    conf = configuration(host)
    secret_root = "/etc/guix/virtual-build-machines/build-vm"
    key = "/etc/guix/offload/ssh/virtual-build-machine/build-vm"

    # The guest's sshd started with the host key vsys generated for this VM (received
    # through the secrets port), and takes the offloading key.
    r = login(host, ssh_port, secret_root, key,
              "nproc; lsmem -b --summary=only | sed -n 's/^Total online memory: *//p'; "
              "cat /sys/class/rtc/rtc0/date; id -un")
    assert r.returncode == 0, r.stderr
    nproc, memory, rtc_date, user = r.stdout.split()
    assert int(nproc) == int(conf["number of CPU cores"])
    assert int(memory) == int(conf["memory size"].removesuffix(" MiB")) * 1024 * 1024
    # The clock started at the configured date ("Wed Jan 01 00:00:00Z 2020").
    assert conf["initial date"] == "Wed Jan 01 00:00:00Z 2020" and rtc_date == "2020-01-01"
    assert user == "offloading"
    # Someone else's key is refused.
    other = "/tmp/other-key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f",
                    host.under_root(other)], check=True)
    r = ssh(host, ssh_port, other, f"/tmp/known_hosts-{ssh_port}", "true")
    assert r.returncode == 255 and "Permission denied" in r.stderr

    # The guest agent answers on the VM's agent channel.  Its socket's path on the host
    # is too long to connect to: the status says how to reach it, and that works.
    status = host.status("build-vm")
    at = next(i for i, ln in enumerate(status) if ln.startswith("  Guest agent: "))
    agent = status[at][len("  Guest agent: "):]
    assert os.path.exists(agent) and len(agent) > 107
    assert '{"return": {}}' in agent_ping(host, agent_command(host, status[at + 1]))
    info = guest_agent(agent, "guest-info")["return"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", info["version"])
    assert {"name": "guest-ping", "enabled": True, "success-response": True} in \
        info["supported_commands"]

    # A reboot in the guest ends QEMU (-no-reboot); the VM comes back (respawned, or
    # started again where the service does not respawn) with its secrets and SSH.
    pid = qemu_pid(host, "build-vm")
    guest_agent_reboot(agent)
    wait_gone(host, pid, 180)
    if "  Will be respawned." in host.status("build-vm"):
        deadline = time.monotonic() + BOOT
        while (qemu_pid(host, "build-vm") in (None, pid)
               or not running(host, "build-vm")):
            assert time.monotonic() < deadline, host.status("build-vm")
            time.sleep(3)
    else:
        r = host.herd("start", "build-vm")
        assert r.stdout == "Service build-vm has been started.\n", r.stderr
    assert qemu_pid(host, "build-vm") not in (None, pid)
    r = login(host, ssh_port, secret_root, key, "cat /proc/uptime")
    assert r.returncode == 0, r.stderr

    # herd stop: QEMU is gone, and the port with it.
    pid = qemu_pid(host, "build-vm")
    r = host.herd("stop", "build-vm", timeout=120)
    assert r.stdout == "Service build-vm has been stopped.\n"
    wait_gone(host, pid, 30)
    assert "  It is stopped." in host.status("build-vm")


def guest_agent_reboot(agent: str) -> None:
    """`reboot` in the guest, run by the guest agent (as root)."""
    with protocol.connect(agent, 30) as s:     # a long path goes through its directory
        f = s.makefile("rwb")
        f.write(json.dumps({"execute": "guest-exec", "arguments": {
            "path": "/usr/sbin/reboot", "capture-output": False}}).encode() + b"\n")
        f.flush()
        reply = json.loads(f.readline())
    assert "return" in reply, reply


def test_build_vm_and_childhurd_run_at_once(host_on_host_network):
    """Two Linux guests side by side: the build VM and a childhurd, each with its own
    ports and secrets; on the host's network, so ssh runs on the host itself."""
    host = host_on_host_network
    r = host.herd("start", "build-vm")
    assert r.stdout == "Service build-vm has been started.\n", r.stderr
    # A childhurd starts when the system is reconfigured with it.
    name = f"childhurd{CHILDHURD_ID}"
    r = host.reconfigure(write_config(host, CHILDHURD), timeout=BOOT)
    assert "switched to generation 2" in r.stdout
    assert f"vsys: image of virtual build machine build-vm: {BUILD_VM_IMAGE} is up to date\n" \
        in r.stderr
    deadline = time.monotonic() + BOOT
    while not running(host, name):
        assert time.monotonic() < deadline and "  It failed to start." not in \
            host.status(name), host.status(name)
        time.sleep(3)
    vm_ports, hurd_ports = forwards(host, "build-vm"), forwards(host, name)
    assert hurd_ports[1004] == 11004 + 1000 * CHILDHURD_ID
    assert set(vm_ports.values()).isdisjoint(hurd_ports.values())
    assert qemu_pid(host, "build-vm") and qemu_pid(host, name)
    # Both took their secrets; the build VM answers over SSH while the childhurd runs.
    r = login(host, vm_ports[22], "/etc/guix/virtual-build-machines/build-vm",
              "/etc/guix/offload/ssh/virtual-build-machine/build-vm", "hostname")
    assert r.returncode == 0, r.stderr
    if 22 in hurd_ports:        # the guest's sshd listens on 22
        r = login(host, hurd_ports[22], "/etc/childhurd",
                  f"/etc/guix/offload/ssh/childhurd{CHILDHURD_ID}", "true")
        assert r.returncode == 0, r.stderr
    assert "Service build-vm has been stopped." in host.herd("stop", "build-vm").stdout
    assert "has been stopped" in host.herd("stop", name).stdout
