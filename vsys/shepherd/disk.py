"""Whether a VM's disk image can boot at all, so that a blank one is named as the cause
instead of what QEMU prints when its BIOS finds nothing to boot (CPU feature warnings,
then an exit with code 0 under -no-reboot)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile

SECTOR = 512
BOOT_SIGNATURE = b"\x55\xaa"      # the last two bytes of an MBR (a GPT disk has one too)
# With these QEMU boots from something other than the disk image.
OTHER_BOOT = {"-kernel", "-cdrom", "-pflash", "-bios"}


def first_sector(image: str) -> bytes | None:
    """The first 512 bytes of the guest's view of IMAGE (any format qemu-img reads), or
    None when they cannot be read."""
    with open(image, "rb") as f:
        head = f.read(SECTOR)
    if not head.startswith(b"QFI\xfb"):        # not qcow2: take the file as raw
        return head.ljust(SECTOR, b"\0")
    qemu_img = shutil.which("qemu-img")
    if qemu_img is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "sector")
        done = subprocess.run([qemu_img, "dd", "-O", "raw", f"bs={SECTOR}", "count=1",
                               f"if={image}", f"of={out}"], stdin=subprocess.DEVNULL,
                              capture_output=True, timeout=30)
        if done.returncode != 0:
            return None
        with open(out, "rb") as f:
            return f.read(SECTOR).ljust(SECTOR, b"\0")


def unbootable(image: str, argv: list[str]) -> str | None:
    """Why the guest cannot boot from IMAGE (blank, or no boot sector), or None."""
    if OTHER_BOOT.intersection(argv):
        return None
    try:
        sector = first_sector(image)
    except (OSError, subprocess.SubprocessError):
        return None
    if sector is None:
        return None
    if not sector.strip(b"\0"):
        return (f"the disk image {image} is blank (its first sector is all zeros): the "
                f"guest has nothing to boot; install a system on it")
    if sector[510:512] != BOOT_SIGNATURE:
        return (f"the disk image {image} has no boot sector (no 55 AA signature): the "
                f"guest cannot boot from it")
    return None
