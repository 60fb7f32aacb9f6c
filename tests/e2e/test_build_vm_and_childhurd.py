"""A build VM and a childhurd, both at their defaults, on one host: the configuration
builds (Guix's build VM uses secrets port 11044, the childhurd 11004), and QEMU runs both
VMs at once from the generated command lines, every forwarded port listening.

The VMs boot blank disks (no guest OS here), and they run in a network namespace of the
test's own, so the fixed default ports never meet another program's."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
from hostprograms import need_program
from support.cli import VSYS
from support.turns import turn

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def _ports_turn():
    """VMs at their default forwarded ports (11022, 11044...): one test at a time."""
    with turn("default-vm-ports"):
        yield

CONFIG = """\
(use-modules (gnu))
(use-service-modules virtualization)
(operating-system
  (host-name "vmhost")
  (services (append (list (service virtual-build-machine-service-type)
                          (service hurd-vm-service-type))
                    %base-services)))
"""

# Run in the namespace: bring loopback up, start both QEMU command lines as the
# supervisor would (KVM option when usable, headless), wait until every forwarded port
# accepts, report which did and whether both QEMUs still run, then stop them.
RUN_BOTH = r"""
import json, os, socket, subprocess, sys, time
specs, images, ports = json.loads(sys.argv[1])
subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
procs = []
for spec, (default_image, image) in zip(specs, images):
    argv = [a.replace(default_image, image) for a in spec["start"]["argv"]]
    option, access = spec["start"].get("kvm-option"), spec["start"].get("kvm-access", "rw")
    usable = (os.access("/dev/kvm", os.R_OK | os.W_OK) if access == "rw"
              else os.path.exists("/dev/kvm"))
    if option and usable:
        argv.insert(1, option)
    procs.append(subprocess.Popen(argv + ["-display", "none"], stdin=subprocess.DEVNULL,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
listening = set()
deadline = time.monotonic() + 30
while time.monotonic() < deadline and len(listening) < len(ports):
    for port in set(ports) - listening:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            listening.add(port)
        except OSError:
            pass
    time.sleep(0.2)
time.sleep(1)
alive = [p.poll() is None for p in procs]
for p in procs:
    p.kill()
errors = [p.communicate()[1].decode(errors="replace")[-500:] for p in procs]
print(json.dumps({"listening": sorted(listening), "alive": alive, "errors": errors}))
"""


def test_build_vm_and_childhurd_at_their_defaults_run_together(tmp_path):
    need_program("qemu-system-x86_64", "qemu-system-x86")
    qemu_img = need_program("qemu-img", "qemu-utils")
    unshare = need_program("unshare", "util-linux")
    need_program("ip", "iproute2")
    config = tmp_path / "seed.scm"
    config.write_text(textwrap.dedent(CONFIG))
    env = dict(os.environ, VSYS_STATE_DIR=str(tmp_path / "state"))
    built = subprocess.run([*VSYS, "reconfigure", "--no-supervisor",
                            str(config)],
                           capture_output=True, text=True, env=env, timeout=300)
    assert built.returncode == 0, built.stdout + built.stderr
    assert "two services bind" not in built.stdout + built.stderr
    generation = os.path.realpath(tmp_path / "state" / "profiles" / "system")
    specs = []
    for name in ("build-vm", "hurd-vm"):
        with open(os.path.join(generation, "services", f"{name}.json")) as f:
            specs.append(json.load(f))
    assert specs[0]["start"]["secrets"]["port"] == 11044
    assert specs[1]["start"]["secrets"]["port"] == 11004
    assert all(s["respawn"] is True for s in specs)

    images = []
    for spec in specs:
        image = str(tmp_path / f"{spec['provision'][0]}.qcow2")
        subprocess.run([qemu_img, "create", "-q", "-f", "qcow2", image, "64M"], check=True)
        images.append((spec["start"]["image"], image))
    ports = [11022, 11044, 10022, 11004, 15900]
    namespace = [unshare, "--net"] if os.geteuid() == 0 else [unshare, "-rn"]
    ran = subprocess.run([*namespace, sys.executable, "-c", RUN_BOTH,
                          json.dumps([specs, images, ports])],
                         capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stderr
    result = json.loads(ran.stdout)
    assert result["alive"] == [True, True], result["errors"]
    assert result["listening"] == sorted(ports), result


CHILDHURD_ONE = """\
(use-modules (gnu))
(use-service-modules virtualization)
(operating-system
  (host-name "vmhost")
  (services (append (list (service virtual-build-machine-service-type)
                          (service hurd-vm-service-type
                                   (hurd-vm-configuration (id 1))))
                    %base-services)))
"""


def test_childhurd_one_beside_a_build_vm_is_refused_when_building(tmp_path):
    """Guix's ports put a childhurd of id 1's SSH port on the build VM's default
    (10022 + 1000 × 1 = 11022): `vsys build` says so, naming both services, where each
    was written, and the ways out; nothing is built."""
    config = tmp_path / "seed.scm"
    config.write_text(CHILDHURD_ONE)
    env = dict(os.environ, VSYS_STATE_DIR=str(tmp_path / "state"))
    built = subprocess.run([sys.executable, "-m", "vsys", "build", "seed.scm"], cwd=tmp_path,
                           capture_output=True, text=True, env=env, timeout=120)
    assert built.returncode == 1 and built.stdout == ""
    assert built.stderr == (
        "seed.scm:7:36: error: two services bind TCP port 11022: virtual build machine "
        "build-vm (port forwarding) at seed.scm:5:27 on 127.0.0.1 and childhurd1 (ssh port) "
        "at seed.scm:7:36 on 127.0.0.1\n"
        "hint: a childhurd forwards ports 10022 (SSH), 11004 (secrets) and 15900 (VNC) + "
        "1000 × its id (as in Guix: id 1's SSH port is the build VM's default, 11022): give "
        "the childhurd another id, e.g. (id 2), or set explicit ports (the childhurd's "
        "net-options, or the other service's port-forwardings)\n")
    assert not os.path.exists(tmp_path / "state" / "store")
