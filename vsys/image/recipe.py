"""What goes into a guest image besides the system: the Debian packages, the boot files
and the systemd unit that hands the machine to vsys's supervisor.

Bump RECIPE when anything here changes: it is part of every cache key.
"""

from __future__ import annotations

import glob
import os

RECIPE = 2
SUITE = "bookworm"

# A minimal Debian that boots by itself under QEMU and runs vsys: the kernel and its
# initramfs, systemd (init, udev, DHCP through systemd-networkd), Python for vsys, and
# EXTLINUX with syslinux's master boot record as the BIOS boot loader.
BASE_PACKAGES = ("linux-image-amd64", "systemd-sysv", "udev", "python3", "extlinux",
                 "syslinux-common", "e2fsprogs")

# Files the image never carries: documentation, manuals and translations.
EXCLUDED = ("/usr/share/doc/*", "/usr/share/man/*", "/usr/share/locale/*",
            "/usr/share/info/*")

# Debian's own units for programs that vsys's supervisor runs in the guest.
MASKED_UNITS = ("ssh.service", "ssh.socket", "qemu-guest-agent.service")

STATE_DIR = "/var/lib/vsys"
STORE_DIR = STATE_DIR + "/store"
# How the guest's generated scripts run vsys: Debian's Python, vsys installed for it.
COMMAND = ("/usr/bin/python3", "-m", "vsys")
CONFIG_PATH = "/etc/vsys/config.scm"
PARTITION_START = 2048          # sectors, as partitioning tools align
MBR = "usr/lib/syslinux/mbr/mbr.bin"


def apt_sources() -> list[str]:
    """The host's configured package sources, in apt's order: given to mmdebstrap as
    they are, so the guest comes from where the host's packages come from."""
    found = []
    if os.path.isfile("/etc/apt/sources.list") and os.path.getsize("/etc/apt/sources.list"):
        found.append("/etc/apt/sources.list")
    for pattern in ("*.list", "*.sources"):
        found += sorted(glob.glob(os.path.join("/etc/apt/sources.list.d", pattern)))
    return found


def shepherd_unit(services_dir: str) -> str:
    return f"""[Unit]
Description=vsys supervisor: the services of this system
Documentation=man:vsys
Wants=network.target
After=network.target systemd-networkd.service

[Service]
Type=simple
Environment=VSYS_STATE_DIR={STATE_DIR}
ExecStart=/usr/bin/python3 -m vsys shepherd --root / --services {services_dir}
KillMode=mixed
TimeoutStopSec=30

[Install]
WantedBy=multi-user.target
"""


NETWORK = """[Match]
Name=en* eth*

[Network]
DHCP=ipv4
"""

# sshd's privilege separation directory, made at every boot (/run is a tmpfs).
TMPFILES = "d /run/sshd 0755 root root -\n"

# The VMs start with a clock in the past (a build VM's date): the file system must not be
# refused for having been written "in the future".
E2FSCK_CONF = "[options]\n\tbroken_system_clock = 1\n"


def extlinux_conf(kernel: str, initrd: str, uuid: str) -> str:
    return f"""DEFAULT vsys
PROMPT 0
TIMEOUT 0
LABEL vsys
    LINUX /boot/{kernel}
    INITRD /boot/{initrd}
    APPEND root=UUID={uuid} ro console=tty0 console=ttyS0,115200
"""


def fstab(uuid: str) -> str:
    return f"UUID={uuid} / ext4 errors=remount-ro 0 0\n"
