"""Whether QEMU may use hardware virtualization here (`-enable-kvm`)."""

from __future__ import annotations

import os

DEVICE = "/dev/kvm"


def usable(device: str = DEVICE) -> bool:
    """True when DEVICE exists and this user may read and write it."""
    return os.path.exists(device) and os.access(device, os.R_OK | os.W_OK)


def why_not(device: str = DEVICE) -> str | None:
    """None when KVM is usable, else the reason in the user's terms."""
    if not os.path.exists(device):
        return (f"{device} does not exist (no KVM support: enable virtualization or load "
                "kvm-intel/kvm-amd)")
    if not os.access(device, os.R_OK | os.W_OK):
        return f"{device} is not readable and writable by this user (add it to the kvm group)"
    return None


# Hosts that are themselves VMs may offer /dev/kvm through PVM (kvm_pvm), which runs
# only guest kernels built for it: BIOS boot loaders and Debian's kernel fail there
# ("KVM internal error ... emulation failure"), while QEMU's TCG runs them.
MODULES = "/sys/module"


def pvm_only(modules: str = MODULES) -> bool:
    """True when the host's KVM is PVM alone (no kvm_intel or kvm_amd)."""
    return os.path.isdir(os.path.join(modules, "kvm_pvm")) and not any(
        os.path.isdir(os.path.join(modules, m)) for m in ("kvm_intel", "kvm_amd"))


def for_vm(access: str, device: str = DEVICE) -> bool:
    """Whether a VM gets its KVM option: ACCESS "rw" wants DEVICE readable and writable,
    "exists" only present (as Guix's childhurd checks); never on a PVM-only host."""
    present = usable(device) if access == "rw" else os.path.exists(device)
    return present and not pvm_only()
