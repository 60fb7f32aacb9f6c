"""Guix package names -> the Debian packages holding the same programs on the host.

module:      the Guix module that exports the package, (gnu packages MODULE)
debian:      Debian packages that make up the Guix package (all must be installed)
extra:       Debian packages searched too, needed only for some files (see files)
files:       Guix-relative file (regexp) -> the Debian package that ships it, for the
             "not installed" report
paths:       [regexp, replacement] rewrites of a Guix-relative file name into the host
             path, where Debian puts a file elsewhere or names it differently
outputs.X:   the same keys for the package output X (Guix's `qemu:static`)
note:        said in reports (e.g. when Debian does not package it)
base:        part of %base-packages
"""

PACKAGES: dict[str, dict] = {
    "libvirt": {
        "module": "virtualization",
        "description": "Simple API for virtualization",
        # The daemons and the QEMU driver; libvirt-daemon-system (init scripts, default
        # configuration, accounts) is not needed: vsys writes those itself.
        "debian": ["libvirt-daemon", "libvirt-daemon-driver-qemu"],
        "extra": ["libvirt-clients", "libvirt-daemon-system"],
        "files": {
            "bin/virsh": "libvirt-clients",
            "sbin/libvirtd": "libvirt-daemon",
            "sbin/virtlogd": "libvirt-daemon",
        },
    },
    "virt-manager": {
        "module": "virtualization",
        "description": "Manage virtual machines",
        "debian": ["virt-manager"],
    },
    "qemu": {
        "module": "virtualization",
        "description": "Machine emulator and virtualizer",
        "debian": ["qemu-system-x86", "qemu-utils"],
        "extra": ["qemu-guest-agent", "qemu-user-static", "qemu-system-arm", "qemu-system-misc"],
        "files": {
            "bin/qemu-ga": "qemu-guest-agent",
            "bin/qemu-img": "qemu-utils",
            "bin/qemu-nbd": "qemu-utils",
            "bin/qemu-system-(x86_64|i386)": "qemu-system-x86",
            "bin/qemu-system-(arm|aarch64)": "qemu-system-arm",
            "bin/qemu-system-.*": "qemu-system-misc",
        },
        "outputs": {
            "static": {
                "debian": ["qemu-user-static"],
                "paths": [["bin/qemu-(.+)", "/usr/bin/qemu-\\1-static"]],
                "files": {"bin/qemu-.*": "qemu-user-static"},
            },
        },
    },
    "qemu-minimal": {
        "module": "virtualization",
        "description": "Machine emulator and virtualizer (without GUI), same host files as qemu",
        "same-as": "qemu",
    },
    "xe-guest-utilities": {
        "module": "virtualization",
        "description": "Guest utilities for XenServer/XCP-ng virtual machines",
        "debian": ["xe-guest-utilities"],
        "note": "Debian 12 does not package xe-guest-utilities; install it from the XCP-ng or Citrix project",
        "paths": [["lib/udev/rules.d/(.+)", "/lib/udev/rules.d/\\1"]],
    },
    "ganeti": {
        "module": "virtualization",
        "description": "Virtual machine cluster management",
        "debian": ["ganeti", "ganeti-3.0"],
        "extra": ["ganeti-haskell-3.0", "ganeti-htools-3.0"],
        "files": {
            "sbin/ganeti-(confd|wconfd|luxid|kvmd|mond|metad)": "ganeti-haskell-3.0",
        },
        "paths": [
            ["sbin/ganeti-(noded|rapi|watcher|cleaner|confd|wconfd|luxid|kvmd|mond|metad)", "/usr/sbin/ganeti-\\1"],
        ],
    },
    "ganeti-instance-debootstrap": {
        "module": "virtualization",
        "description": "Debootstrap-based Ganeti instance OS provider",
        "debian": ["ganeti-instance-debootstrap"],
        "paths": [
            ["share/doc/ganeti-instance-debootstrap/examples/(.+)", "/usr/share/doc/ganeti-instance-debootstrap/examples/hooks/\\1"],
        ],
    },
    "ganeti-instance-guix": {
        "module": "virtualization",
        "description": "Guix OS provider for Ganeti",
        "debian": [],
        "missing": ["ganeti-instance-guix"],
        "note": "ganeti-instance-guix is not packaged in Debian; install it from https://github.com/mbakke/ganeti-instance-guix (under /usr/share/ganeti/os/guix)",
        "paths": [
            ["share/doc/ganeti-instance-guix/(.+)", "/usr/share/doc/ganeti-instance-guix/\\1"],
        ],
    },
    "lvm2": {
        "module": "linux",
        "description": "Logical volume management for Linux",
        "debian": ["lvm2"],
    },
    "drbd-utils": {
        "module": "linux",
        "description": "Distributed Replicated Block Device (DRBD) userland utilities",
        "debian": ["drbd-utils"],
    },
    "ceph": {
        "module": "storage",
        "description": "Distributed object store and file system",
        "debian": ["ceph-common"],
        "extra": ["ceph", "ceph-base", "ceph-osd", "ceph-mon", "ceph-mgr"],
    },
    "openssh": {
        "module": "ssh",
        "description": "Client and server for the secure shell (ssh) protocol",
        "debian": ["openssh-server", "openssh-client"],
        "extra": ["openssh-sftp-server"],
        "files": {
            "sbin/sshd": "openssh-server",
            "bin/ssh.*": "openssh-client",
            "libexec/sftp-server": "openssh-sftp-server",
        },
        "paths": [["libexec/sftp-server", "/usr/lib/openssh/sftp-server"]],
    },
    "openssh-sans-x": {
        "module": "ssh",
        "description": "OpenSSH without X11 support (the same host files as openssh)",
        "same-as": "openssh",
    },
    "dropbear": {
        "module": "ssh",
        "description": "Small SSH server and client",
        "debian": ["dropbear"],
    },
    "mcron": {
        "module": "guile-xyz",
        "description": "Run jobs at scheduled times",
        "debian": ["mcron"],
    },
    "guile": {
        "module": "guile",
        "description": "Scheme implementation intended especially for extensions",
        "debian": ["guile-3.0"],
        "paths": [["bin/guile", "/usr/bin/guile-3.0"]],
    },
    "guix": {
        "module": "package-management",
        "description": "Functional package manager",
        "debian": ["guix"],
        "note": "only needed for Guix's own offloading; vsys itself does not need it",
    },
    "shepherd": {
        "module": "admin",
        "description": "System service manager",
        "debian": [],
        "missing": ["shepherd"],
        "note": "vsys supervises services itself; the shepherd package is not needed",
    },
    "dbus": {
        "module": "glib",
        "description": "Message bus for inter-process communication",
        "debian": ["dbus-daemon", "dbus-bin"],
        "extra": ["dbus"],
    },
    "polkit": {
        "module": "polkit",
        "description": "Authorization API for privilege management",
        "debian": ["polkitd"],
        "extra": ["pkexec"],
    },
    "eudev": {
        "module": "linux",
        "description": "Userspace device management",
        "debian": ["udev"],
        "base": True,
    },
    "linux-libre": {
        "module": "linux",
        "description": "Linux kernel (the host's kernel on a vsys host)",
        "debian": ["linux-image-amd64"],
        "note": "the kernel is the host's; vsys does not install one",
    },
    "linux-firmware": {
        "module": "linux",
        "description": "Firmware blobs for the Linux kernel",
        "debian": ["firmware-linux"],
    },
    "grub": {
        "module": "bootloaders",
        "description": "GNU GRand Unified Boot loader",
        "debian": ["grub-pc"],
        "extra": ["grub-efi-amd64"],
    },
    "bash": {
        "module": "bash",
        "description": "The GNU Bourne-Again SHell",
        "debian": ["bash"],
        "base": True,
    },
    "coreutils": {
        "module": "base",
        "description": "Core GNU utilities (file, text, shell)",
        "debian": ["coreutils"],
        "base": True,
    },
    "findutils": {
        "module": "base",
        "description": "Operating on files matching given criteria",
        "debian": ["findutils"],
        "base": True,
    },
    "grep": {
        "module": "base",
        "description": "Print lines matching a pattern",
        "debian": ["grep"],
        "base": True,
    },
    "sed": {
        "module": "base",
        "description": "Stream editor",
        "debian": ["sed"],
        "base": True,
    },
    "tar": {
        "module": "base",
        "description": "Managing tar archives",
        "debian": ["tar"],
        "base": True,
    },
    "gzip": {
        "module": "compression",
        "description": "General file (de)compression (using lzw)",
        "debian": ["gzip"],
        "base": True,
    },
    "bzip2": {
        "module": "compression",
        "description": "High-quality data compression program",
        "debian": ["bzip2"],
        "base": True,
    },
    "xz": {
        "module": "compression",
        "description": "General-purpose data compression",
        "debian": ["xz-utils"],
        "base": True,
    },
    "diffutils": {
        "module": "base",
        "description": "Comparing and merging files",
        "debian": ["diffutils"],
        "base": True,
    },
    "patch": {
        "module": "base",
        "description": "Apply differences to originals, with optional backups",
        "debian": ["patch"],
        "base": True,
    },
    "gawk": {
        "module": "gawk",
        "description": "Text scanning and processing language",
        "debian": ["gawk"],
        "extra": ["mawk"],
        "base": True,
    },
    "less": {
        "module": "less",
        "description": "Paginator for terminals",
        "debian": ["less"],
        "base": True,
    },
    "nano": {
        "module": "nano",
        "description": "Small, user-friendly console text editor",
        "debian": ["nano"],
    },
    "mg": {
        "module": "text-editors",
        "description": "Microscopic GNU Emacs clone",
        "debian": ["mg"],
    },
    "procps": {
        "module": "linux",
        "description": "Utilities that give information about processes",
        "debian": ["procps"],
        "base": True,
    },
    "psmisc": {
        "module": "linux",
        "description": "Small utilities that use the proc file system",
        "debian": ["psmisc"],
        "base": True,
    },
    "which": {
        "module": "base",
        "description": "Find full path of shell commands",
        "debian": ["debianutils"],
        "base": True,
    },
    "util-linux": {
        "module": "linux",
        "description": "Collection of utilities for the Linux kernel",
        "debian": ["util-linux"],
        "extra": ["mount", "util-linux-extra"],
        "base": True,
    },
    "e2fsprogs": {
        "module": "linux",
        "description": "Creating and checking ext2/ext3/ext4 file systems",
        "debian": ["e2fsprogs"],
        "base": True,
    },
    "kmod": {
        "module": "linux",
        "description": "Kernel module tools",
        "debian": ["kmod"],
        "base": True,
    },
    "iproute": {
        "module": "linux",
        "description": "Utilities for controlling TCP/IP networking and traffic in Linux",
        "debian": ["iproute2"],
        "base": True,
    },
    "iputils": {
        "module": "networking",
        "description": "Collection of network utilities (ping...)",
        "debian": ["iputils-ping"],
    },
    "inetutils": {
        "module": "admin",
        "description": "Basic networking utilities",
        "debian": ["inetutils-tools"],
    },
    "net-tools": {
        "module": "linux",
        "description": "Tools for controlling the network subsystem in Linux",
        "debian": ["net-tools"],
    },
    "iw": {
        "module": "linux",
        "description": "Tool for configuring wireless devices",
        "debian": ["iw"],
    },
    "wireless-tools": {
        "module": "linux",
        "description": "Tools for manipulating Linux Wireless Extensions",
        "debian": ["wireless-tools"],
    },
    "isc-dhcp": {
        "module": "admin",
        "description": "Dynamic Host Configuration Protocol (DHCP) client",
        "debian": ["isc-dhcp-client"],
    },
    "dhcpcd": {
        "module": "networking",
        "description": "DHCP client daemon",
        "debian": ["dhcpcd-base"],
    },
    "shadow": {
        "module": "admin",
        "description": "Authentication-related tools such as passwd, su, login",
        "debian": ["passwd", "login"],
        "paths": [["sbin/nologin", "/usr/sbin/nologin"]],
        "base": True,
    },
    "sudo": {
        "module": "admin",
        "description": "Run commands as root",
        "debian": ["sudo"],
    },
    "man-db": {
        "module": "man",
        "description": "Standard Unix documentation system",
        "debian": ["man-db"],
    },
    "info-reader": {
        "module": "texinfo",
        "description": "Standalone Info documentation reader",
        "debian": ["info"],
    },
    "lsof": {
        "module": "lsof",
        "description": "Display information about open files",
        "debian": ["lsof"],
    },
    "pciutils": {
        "module": "pciutils",
        "description": "Programs to inspect and manipulate configuration of PCI devices",
        "debian": ["pciutils"],
    },
    "usbutils": {
        "module": "linux",
        "description": "Tools for working with USB devices, such as lsusb",
        "debian": ["usbutils"],
    },
    "kbd": {
        "module": "linux",
        "description": "Linux keyboard utilities and keyboard maps",
        "debian": ["kbd"],
    },
    "nss-certs": {
        "module": "certs",
        "description": "CA certificates from Mozilla",
        "debian": ["ca-certificates"],
    },
    "glibc-locales": {
        "module": "base",
        "description": "All the locales supported by the GNU C Library",
        "debian": ["locales"],
    },
    "tzdata": {
        "module": "base",
        "description": "Database of current and historical time zones",
        "debian": ["tzdata"],
    },
    "openssl": {
        "module": "tls",
        "description": "SSL/TLS implementation",
        "debian": ["openssl"],
    },
    "gnutls": {
        "module": "tls",
        "description": "Transport layer security library",
        "debian": ["gnutls-bin"],
    },
    "gnupg": {
        "module": "gnupg",
        "description": "GNU Privacy Guard",
        "debian": ["gnupg"],
    },
    "curl": {
        "module": "curl",
        "description": "Command line tool for transferring data with URL syntax",
        "debian": ["curl"],
    },
    "wget": {
        "module": "wget",
        "description": "Non-interactive command-line utility for downloading files",
        "debian": ["wget"],
    },
    "git": {
        "module": "version-control",
        "description": "Distributed version control system",
        "debian": ["git"],
    },
    "rsync": {
        "module": "rsync",
        "description": "Remote (and local) file copying tool",
        "debian": ["rsync"],
    },
    "vim": {
        "module": "vim",
        "description": "Text editor based on vi",
        "debian": ["vim"],
    },
    "emacs": {
        "module": "emacs",
        "description": "The extensible, customizable, self-documenting text editor",
        "debian": ["emacs"],
    },
    "htop": {
        "module": "admin",
        "description": "Interactive process viewer",
        "debian": ["htop"],
    },
    "tmux": {
        "module": "tmux",
        "description": "Terminal multiplexer",
        "debian": ["tmux"],
    },
    "screen": {
        "module": "screen",
        "description": "Full-screen window manager providing multiple terminals",
        "debian": ["screen"],
    },
    "python": {
        "module": "python",
        "description": "High-level, dynamically-typed programming language",
        "debian": ["python3"],
        "paths": [["bin/python", "/usr/bin/python3"]],
    },
    "debootstrap": {
        "module": "debian",
        "description": "Bootstrap a basic Debian system",
        "debian": ["debootstrap"],
    },
    "dosfstools": {
        "module": "disk",
        "description": "Utilities for making and checking MS-DOS FAT file systems",
        "debian": ["dosfstools"],
    },
    "parted": {
        "module": "disk",
        "description": "Create, destroy, resize, check, and copy partitions",
        "debian": ["parted"],
    },
    "cryptsetup": {
        "module": "cryptsetup",
        "description": "Set up transparent encryption of block devices",
        "debian": ["cryptsetup-bin"],
    },
    "socat": {
        "module": "networking",
        "description": "Relay for bidirectional data transfer",
        "debian": ["socat"],
    },
    "ovmf": {
        "module": "firmware",
        "description": "UEFI firmware for QEMU",
        "debian": ["ovmf"],
    },
    "dnsmasq": {
        "module": "dns",
        "description": "Small caching DNS proxy and DHCP/TFTP server",
        "debian": ["dnsmasq-base"],
    },
    "bridge-utils": {
        "module": "linux",
        "description": "Manipulate Ethernet bridges",
        "debian": ["bridge-utils"],
    },
    "iptables": {
        "module": "linux",
        "description": "Programs to configure Linux IP packet filtering rules",
        "debian": ["iptables"],
    },
    "nftables": {
        "module": "linux",
        "description": "Packet filtering framework",
        "debian": ["nftables"],
    },
    "ebtables": {
        "module": "linux",
        "description": "Ethernet bridge frame table administration",
        "debian": ["ebtables"],
    },
}
