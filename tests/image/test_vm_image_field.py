"""A build VM whose `image` is an operating-system, before any image is built: `vsys
build` builds none, reconfigure checks the guest first and reports every failure at the
config's place, and a dry run says what it would do.  (The image built and booted:
tests/e2e/test_guest_vm.py.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from guestvm import guest_os

VSYS = [sys.executable, "-m", "vsys"]

CONFIG = """\
(use-modules (gnu))
(use-service-modules networking ssh virtualization)
(define guest-os
GUEST)
(operating-system
  (host-name "vmhost")
  (services (append (list (service virtual-build-machine-service-type
                                   (virtual-build-machine (image guest-os))))
                    %base-services)))
"""

WITHOUT_SECRETS = """\
  (operating-system
    (host-name "guest")
    (services (list (service openssh-service-type))))"""


def run(tmp_path, *args, cache=None):
    env = dict(os.environ, VSYS_STATE_DIR=str(tmp_path / "state"),
               VSYS_IMAGE_CACHE=str(cache or tmp_path / "cache"))
    done = subprocess.run([*VSYS, *args], capture_output=True, text=True, env=env,
                          timeout=300, cwd=tmp_path)
    assert "Traceback" not in done.stderr
    return done


def write(tmp_path, guest: str) -> str:
    (tmp_path / "host.scm").write_text(CONFIG.replace("GUEST", guest))
    return "host.scm"


def test_vsys_build_builds_no_image_and_the_vm_boots_the_placed_one(tmp_path):
    r = run(tmp_path, "build", write(tmp_path, guest_os()))
    assert r.returncode == 0, r.stderr
    assert "image" not in r.stderr and not (tmp_path / "cache").exists()
    with open(os.path.join(r.stdout.strip(), "services", "build-vm.json")) as f:
        spec = json.load(f)
    assert spec["start"]["image"] == "/var/lib/vsys/images/build-vm.qcow2"
    assert ("file=/var/lib/vsys/images/build-vm.qcow2,format=qcow2,if=virtio,cache=writeback,"
            "werror=report,readonly=off") in spec["start"]["argv"]


def test_a_dry_run_says_the_image_is_not_built_and_builds_nothing(tmp_path):
    r = run(tmp_path, "reconfigure", "--dry-run", write(tmp_path, guest_os()))
    assert r.returncode == 0, r.stderr
    assert ("vsys: image of virtual build machine build-vm: not built yet (a reconfigure "
            "builds it, as root)\n") in r.stderr
    assert not (tmp_path / "cache").exists()
    assert not (tmp_path / "state" / "root" / "var" / "lib" / "vsys").exists()


def test_a_guest_without_the_secret_service_is_refused_where_it_is_written(tmp_path):
    r = run(tmp_path, "reconfigure", "--no-supervisor", write(tmp_path, WITHOUT_SECRETS))
    assert (r.returncode, r.stdout) == (1, "")
    assert r.stderr.endswith(
        "host.scm:4:3: error: the operating-system of virtual build machine build-vm's image "
        "does not run secret-service-type: the host sends the VM its SSH host keys and the "
        "offloading key on port 1004 when it starts\n"
        "hint: add (service secret-service-type) to its services\n")
    assert not (tmp_path / "state" / "profiles").exists()     # nothing switched
    assert not (tmp_path / "cache").exists()


def test_an_image_that_cannot_be_made_is_an_error_at_the_vm(tmp_path):
    """Whatever stops the build (here the image cache cannot be made: a file is where
    its directory goes) is one located line, and the root is not switched."""
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    r = run(tmp_path, "reconfigure", "--no-supervisor", write(tmp_path, guest_os()),
            cache=blocker / "images")
    assert (r.returncode, r.stdout) == (1, "")
    line = 1 + (tmp_path / "host.scm").read_text().splitlines().index(
        "  (services (append (list (service virtual-build-machine-service-type")
    assert r.stderr.endswith(
        f"host.scm:{line + 1}:36: error: cannot make the image of virtual build machine build-vm: "
        f"{blocker}/images: Not a directory\n")
    assert not (tmp_path / "state" / "profiles").exists()


def test_the_image_field_says_what_it_takes(tmp_path):
    r = run(tmp_path, "build", write(tmp_path, "42"))
    assert r.returncode == 1
    assert r.stderr.startswith(
        "host.scm:8:66: error: field image of virtual-build-machine must be a disk image "
        "(a file name or file-like object) or an operating system to build one from, got "
        "42\n")


@pytest.mark.skipif(os.geteuid() == 0, reason="checks what another user sees")
def test_without_root_the_image_is_not_built(tmp_path):
    r = run(tmp_path, "reconfigure", "--no-supervisor", write(tmp_path, guest_os()))
    assert r.returncode == 1
    assert "cannot make the image of virtual build machine build-vm: building an image " \
           "needs root privileges" in r.stderr
