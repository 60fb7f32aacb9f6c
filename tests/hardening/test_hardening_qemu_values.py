"""Image paths with commas reach QEMU as the very file the config names: `-drive
file=` doubles the comma (QEMU splits that option's value on single commas), `--hda`
passes the path verbatim (QEMU takes that option's value whole).  Checked with real
QEMU, started paused, asked which files its disks opened."""

from __future__ import annotations

import json
import re
import subprocess

import pytest
from build_helpers import build_text, spec
from hostprograms import need_program

BLOCK = re.compile(r"^\S+ \(#block\d+\): (.*) \((\w+)\)$")


def qemu_disk_files(args: list[str]) -> list[str]:
    """The files QEMU, started paused with ARGS, has opened for its disks (a disk in
    snapshot mode as `snapshot of FILE`: a temporary overlay backed by FILE)."""
    qemu = need_program("qemu-system-x86_64", "qemu-system-x86")
    done = subprocess.run([qemu, "-S", "-nodefaults", "-display", "none", "-machine",
                           "accel=tcg", "-monitor", "stdio", *args],
                          input="info block\nquit\n", capture_output=True, text=True,
                          timeout=60)
    files = [m.group(1) for ln in done.stdout.splitlines() if (m := BLOCK.match(ln.strip()))]
    return [f"snapshot of {json.loads(f[5:])['backing']['file']['filename']}"
            if f.startswith("json:") else f for f in files]


def image(tmp_path, name: str) -> str:
    need_program("qemu-img", "qemu-utils")
    path = str(tmp_path / name)
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", path, "8M"], check=True)
    return path


HURD_VM = """\
(use-modules (gnu))
(use-service-modules virtualization)
(operating-system
  (host-name "h")
  (services (list (service hurd-vm-service-type
                           (hurd-vm-configuration (image "{image}"))))))
"""
BUILD_VM = """\
(use-modules (gnu))
(use-service-modules virtualization)
(operating-system
  (host-name "h")
  (services (list (service virtual-build-machine-service-type
                           (virtual-build-machine (image "{image}"))))))
"""


@pytest.mark.parametrize("name", ["hurd,snapshot=off.img", "a,,b.img"])
def test_hurd_vm_hda_is_the_file_named(tmp_path, name):
    path = image(tmp_path, name)
    argv = spec(build_text(tmp_path, HURD_VM.format(image=path)), "hurd-vm")["start"]["argv"]
    at = argv.index("--hda")
    assert argv[at:at + 2] == ["--hda", path]
    assert qemu_disk_files(argv[at:at + 2]) == [path]


@pytest.mark.parametrize("name", ["a,snapshot=off.qcow2", "a,,b.qcow2"])
def test_build_vm_drive_is_the_file_named(tmp_path, name):
    path = image(tmp_path, name)
    argv = spec(build_text(tmp_path, BUILD_VM.format(image=path)), "build-vm")["start"]["argv"]
    drive = argv[argv.index("-drive") + 1]
    assert drive.startswith("file=" + path.replace(",", ",,") + ",format=qcow2,")
    assert qemu_disk_files(["-drive", drive]) == [path]
    # With the build VM's -snapshot, writes go to an overlay: the image is never written.
    assert qemu_disk_files(["-drive", drive, "-snapshot"]) == [f"snapshot of {path}"]
