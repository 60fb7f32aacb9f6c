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
        return f"{device} does not exist (no KVM support: enable virtualization or load kvm-intel/kvm-amd)"
    if not os.access(device, os.R_OK | os.W_OK):
        return f"{device} is not readable and writable by this user (add it to the kvm group)"
    return None
