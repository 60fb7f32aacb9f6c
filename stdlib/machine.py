"""The machine-level parts of an operating-system that the host manages: bootloader,
file systems, swap, mapped devices, keyboard layout, name service switch.

A vsys host already boots, mounts and maps its disks; a config carrying these settings
(copied from a Guix system) must still evaluate, so the records exist with their Guix
fields and defaults, are kept in the operating-system, and are shown by `vsys describe`.
The one place they matter: each file system is provided to Shepherd as
`file-system-MOUNT-POINT` (a host milestone), so services may require it.
"""

from __future__ import annotations

from typing import Any

from vsys.dsl.datatypes import NIL, Symbol, from_list, is_string, pystr
from vsys.dsl.errors import wrong_type
from vsys.dsl.printer import write_string
from vsys.dsl.procedures import make_primitive
from vsys.dsl.records import Field, FieldType, Record, RecordType, install_record_type

from .field_types import BOOLEAN, LIST, STRING, STRING_OR_FALSE
from .files import split_keywords


class HostObject:
    """A value standing for a host-level thing (a bootloader, a UUID, a label...)."""

    __slots__ = ("kind", "args")

    def __init__(self, kind: str, *args: Any):
        self.kind = kind
        self.args = args

    def scheme_repr(self, write: bool) -> str:
        inner = " ".join(write_string(a) for a in self.args)
        return f"#<{self.kind}{' ' + inner if inner else ''}>"

    def scheme_equal(self, other: Any) -> bool:
        return isinstance(other, HostObject) and other.kind == self.kind and \
            other.args == self.args


def _device(x: Any) -> bool:
    return is_string(x) or isinstance(x, HostObject) or x is False


FILE_SYSTEM = RecordType("file-system", [
    Field("device", FieldType("string, uuid or file-system-label", _device),
          doc="The device: a file name (\"/dev/sda1\"), (uuid \"...\"), "
              "(file-system-label \"...\"), or a name such as \"none\" for pseudo file "
              "systems."),
    Field("mount-point", STRING, doc="Where the file system is mounted."),
    Field("type", STRING, doc="The file system type, such as \"ext4\" or \"tmpfs\"."),
    Field("flags", LIST, NIL, doc="Mount flags, symbols such as 'read-only or 'no-exec."),
    Field("options", STRING_OR_FALSE, False,
          doc="Mount options, as a string (\"size=1G\")."),
    Field("mount?", BOOLEAN, True, doc="Whether to mount it at boot."),
    Field("mount-may-fail?", BOOLEAN, False, doc="Whether a failure to mount is ignored."),
    Field("needed-for-boot?", BOOLEAN, False,
          doc="Whether the initial RAM disk mounts it."),
    Field("check?", BOOLEAN, True, doc="Whether to check it before mounting."),
    Field("skip-check-if-clean?", BOOLEAN, True,
          doc="Whether the check is skipped when the file system is clean."),
    Field("repair", None, Symbol("preen"),
          doc="What the check repairs: #f, #t or 'preen."),
    Field("create-mount-point?", BOOLEAN, False,
          doc="Whether to create the mount point if missing."),
    Field("dependencies", LIST, NIL,
          doc="File systems and mapped devices that must be available first."),
    Field("shepherd-requirements", LIST, NIL,
          doc="Shepherd services that must run before it is mounted."),
], doc="A file system to mount (host-managed on a vsys host).")

SWAP_SPACE = RecordType("swap-space", [
    Field("target", None, doc="The swap device or file."),
    Field("dependencies", LIST, NIL, doc="What must be available first."),
    Field("priority", None, False, doc="The swap priority, an integer or #f."),
    Field("discard?", BOOLEAN, False, doc="Whether to discard freed pages."),
], doc="A swap space (host-managed).")

MAPPED_DEVICE = RecordType("mapped-device", [
    Field("source", None, doc="The underlying device(s)."),
    Field("target", None, False, doc="The name of the mapped device."),
    Field("targets", None, False, doc="The names of the mapped devices."),
    Field("type", None, doc="The mapping: luks-device-mapping, raid-device-mapping..."),
], doc="A mapped device: encrypted partition, RAID or LVM volume (host-managed).")

BOOTLOADER_CONFIGURATION = RecordType("bootloader-configuration", [
    Field("bootloader", None, doc="The bootloader, e.g. grub-efi-bootloader."),
    Field("targets", LIST, NIL, doc="Where to install it: devices or mount points."),
    Field("target", None, False, doc="Older single-target form of targets."),
    Field("menu-entries", LIST, NIL, doc="Extra boot menu entries."),
    Field("default-entry", None, 0, doc="The index of the default menu entry."),
    Field("timeout", None, 5, doc="Seconds before booting the default entry."),
    Field("theme", None, False, doc="The boot menu theme."),
    Field("terminal-outputs", LIST, from_list([Symbol("gfxterm")]),
          doc="Terminals the menu is drawn on."),
    Field("terminal-inputs", LIST, NIL, doc="Terminals read for input."),
    Field("serial-unit", None, False, doc="The serial unit, an integer or #f."),
    Field("serial-speed", None, False, doc="The serial speed, an integer or #f."),
    Field("keyboard-layout", None, False, doc="The keyboard layout of the menu."),
    Field("extra-initrd", None, False, doc="An extra initrd file name, or #f."),
    Field("device-tree-support?", BOOLEAN, True, doc="Whether to load device trees."),
], doc="How the system boots (host-managed: vsys never installs a bootloader).")


def file_system_mount_point(fs: Any) -> str | None:
    if type(fs) is Record and fs.rtype is FILE_SYSTEM:
        return pystr(fs["mount-point"])
    return None


def file_system(mount_point: str, device: str, type_: str, **fields: Any) -> Record:
    """Python helper: `file_system("/proc/sys/fs/binfmt_misc", "binfmt_misc",
    "binfmt_misc", check=False)`."""
    values = {"mount-point": mount_point, "device": device, "type": type_}
    for k, v in fields.items():
        name = k.replace("_", "-")
        if name not in FILE_SYSTEM.index and name + "?" in FILE_SYSTEM.index:
            name += "?"
        values[name] = from_list(list(v)) if isinstance(v, (list, tuple)) else v
    return FILE_SYSTEM.make(values)


def binary_format_file_system() -> Record:
    """binfmt_misc, which qemu-binfmt needs (Guix's %binary-format-file-system)."""
    return file_system("/proc/sys/fs/binfmt_misc", "binfmt_misc", "binfmt_misc",
                       check=False)


def _pseudo_terminals() -> Record:
    return file_system("/dev/pts", "none", "devpts", check=False, options="gid=5,mode=620")


def _shared_memory() -> Record:
    return file_system("/dev/shm", "none", "tmpfs", check=False,
                       flags=[Symbol("no-suid"), Symbol("no-dev")], options="size=50%")


def base_file_systems() -> Any:
    return from_list([_pseudo_terminals(), _shared_memory()])


def _label(name):
    """(file-system-label STR): the file system with that label."""
    if not is_string(name):
        raise wrong_type("file-system-label", 1, "string", name)
    return HostObject("file-system-label", pystr(name))


def _uuid(text, kind=Symbol("dce")):
    """(uuid STR [TYPE]): a file system UUID."""
    if not is_string(text):
        raise wrong_type("uuid", 1, "string", text)
    return HostObject("uuid", pystr(text), kind)


def _keyboard_layout(name, *rest):
    """(keyboard-layout NAME [VARIANT] [#:model M] [#:options '(...)])"""
    pos, kw = split_keywords("keyboard-layout", rest, ("model", "options"))
    return HostObject("keyboard-layout", name, *pos, *kw.values())


def install(module) -> None:
    """(gnu system file-systems), (gnu bootloader) and friends: all in one module."""
    for rtype in (FILE_SYSTEM, SWAP_SPACE, MAPPED_DEVICE, BOOTLOADER_CONFIGURATION):
        install_record_type(module, rtype)
    d = module.define
    d(Symbol("%base-file-systems"), base_file_systems(), True)
    d(Symbol("%pseudo-terminal-file-system"), _pseudo_terminals(), True)
    d(Symbol("%shared-memory-file-system"), _shared_memory(), True)
    d(Symbol("%binary-format-file-system"), binary_format_file_system(), True)
    for name in ("%immutable-store", "%control-groups", "%elogind-file-systems",
                 "%debug-file-system", "%fuse-control-file-system"):
        d(Symbol(name), HostObject(name), True)
    for name in ("grub-bootloader", "grub-efi-bootloader", "grub-efi-removable-bootloader",
                 "grub-efi-netboot-bootloader", "grub-minimal-bootloader",
                 "extlinux-bootloader", "syslinux-bootloader", "u-boot-bootloader",
                 "luks-device-mapping", "raid-device-mapping", "lvm-device-mapping",
                 "%mdns-host-lookup-nss", "%default-nss"):
        d(Symbol(name), HostObject(name), True)
    for pname, fn in (("file-system-label", _label), ("uuid", _uuid),
                      ("keyboard-layout", _keyboard_layout)):
        d(Symbol(pname), make_primitive(pname, fn), True)


__all__ = ["FILE_SYSTEM", "file_system", "file_system_mount_point", "base_file_systems",
           "HostObject"]
