"""The OS providers of (gnu services ganeti): the `ganeti-os` records that declare, under
/etc/ganeti, how Ganeti installs instances, their variants, and the debootstrap
provider's variant files and hooks."""

from __future__ import annotations

import shlex
from typing import Any

from vsys.dsl.datatypes import NIL, Pair, Symbol, from_list, is_list, is_string, pystr, to_list
from vsys.dsl.errors import wrong_type
from vsys.dsl.procedures import make_primitive
from vsys.dsl.records import FieldType, Record

from .configuration import configuration, field
from .field_types import BOOLEAN, FALSE, FILE_NAME, INTEGER, STRING_LIST, STRING_OR_FALSE, either
from .files import (
    DirData,
    FileData,
    FileLike,
    file_append,
    is_file_like,
    mixed_text_file,
    plain_file,
)
from .packages import lookup_package

MODULE_NAME = "(gnu services ganeti)"


def _variant_configuration(x: Any) -> bool:
    return is_file_like(x) or (type(x) is Record and x.rtype is DEBOOTSTRAP)


OS_VARIANT = configuration("ganeti-os-variant", MODULE_NAME, [
    field("name", FILE_NAME, doc="The name of this variant."),
    field("configuration",
          FieldType("file-like object (or debootstrap-configuration)",
                    lambda x: _variant_configuration(x)),
          doc="A configuration file for this variant."),
], doc="A variant of a Ganeti OS provider: a name and its configuration file.")


def _is_variants(x: Any) -> bool:
    if is_file_like(x):
        return True
    return is_list(x) and all(type(v) is Record and v.rtype is OS_VARIANT for v in to_list(x))


GANETI_OS = configuration("ganeti-os", MODULE_NAME, [
    field("name", FILE_NAME,
          doc="The name of this OS provider.  It is only used to specify where the "
              "configuration ends up: \"debootstrap\" creates "
              "/etc/ganeti/instance-debootstrap."),
    field("extension", either("file name or #f", FILE_NAME, FALSE), False,
          doc="The file extension for variants of this OS type, for example .conf or "
              ".scm.  It is appended to the variant file name if set."),
    field("variants", FieldType("list of ganeti-os-variant, or a file-like directory",
                                _is_variants), NIL,
          doc="Either a list of ganeti-os-variant objects for this OS, or a file-like "
              "object representing the variants directory (then variants.list is "
              "maintained by hand)."),
], doc="An OS provider Ganeti installs instances with, and its variants.")


def _is_hooks(x: Any) -> bool:
    if x is False or is_file_like(x):
        return True
    return is_list(x) and all(type(h) is Pair and (type(h.car) is Symbol or is_string(h.car))
                              and is_file_like(h.cdr) for h in to_list(x))


HOOKS = FieldType("#f, a file-like directory, or a list of (NAME . FILE-LIKE) pairs",
                  _is_hooks)
PARTITION_STYLE = FieldType("'msdos, 'none, a string, or #f",
                            lambda x: x is False or type(x) is Symbol or is_string(x))

DEBOOTSTRAP = configuration("debootstrap-configuration", MODULE_NAME, [
    field("hooks", HOOKS, thunk=lambda rec: default_debootstrap_hooks(),
          default_text="%default-debootstrap-hooks",
          doc="When not #f, this must be a G-expression that specifies a directory with "
              "scripts that will run when the OS is installed.  It can also be a list of "
              "(NAME . FILE-LIKE) pairs, which makes a directory of executables named "
              "NAME run every time this variant is installed.  With #f, the scripts in "
              "/etc/ganeti/instance-debootstrap/hooks are used, if any."),
    field("proxy", STRING_OR_FALSE, False, doc="Optional HTTP proxy to use."),
    field("mirror", STRING_OR_FALSE, False,
          doc="The Debian mirror.  Typically something like "
              "http://ftp.no.debian.org/debian.  The default varies depending on the "
              "distribution."),
    field("arch", STRING_OR_FALSE, False,
          doc="The dpkg architecture.  Set to armhf to debootstrap an ARMv7 instance on an "
              "AArch64 host.  The default is to use the current system architecture."),
    field("suite", STRING_OR_FALSE, "stable",
          doc="When set, this must be a Debian distribution \"suite\" such as buster or "
              "focal.  If set to #f, the default for the OS provider is used."),
    field("extra-pkgs", STRING_LIST,
          thunk=lambda rec: from_list(list(DEFAULT_DEBOOTSTRAP_EXTRA_PKGS)),
          default_text="%default-debootstrap-extra-pkgs",
          doc="List of extra packages that get installed by dpkg in addition to the "
              "minimal system."),
    field("components", either("list of strings or #f", STRING_LIST, FALSE), NIL,
          doc="When set, must be a list of Debian repository \"components\".  For "
              "example '(\"main\" \"contrib\")."),
    field("generate-cache?", BOOLEAN, True,
          doc="Whether to automatically cache the generated debootstrap archive."),
    field("clean-cache", either("integer or #f", INTEGER, FALSE), 14,
          doc="Discard the cache after this amount of days.  Use #f to never clear the "
              "cache."),
    field("partition-style", PARTITION_STYLE, Symbol("msdos"),
          doc="The type of partition to create.  When set, it must be 'msdos, 'none or a "
              "string."),
    field("partition-alignment", either("integer or #f", INTEGER, FALSE), 2048,
          doc="Alignment of the partition in sectors."),
], doc="Configuration files for the debootstrap OS provider of Ganeti.")

DEFAULT_DEBOOTSTRAP_EXTRA_PKGS = ("acpi-support-base", "udev", "linux-image-amd64",
                                  "openssh-server", "locales-all", "grub-pc")

# Installs GRUB 2 in a freshly debootstrapped instance, with a serial console (the hook
# of ganeti-instance-debootstrap only knows GRUB legacy).
GRUB_HOOK = r"""#!/bin/sh
# Install GRUB 2 in the instance being created, with a serial console.
set -e
: "${TARGET:?}" "${BLOCKDEV:?}"

mounted=""
undo() {
  for m in $mounted; do umount "$m" || true; done
}
trap undo EXIT

for fs in proc sys dev; do
  case $fs in
    proc) mount -t proc proc "$TARGET/proc" ;;
    sys) mount -t sysfs sysfs "$TARGET/sys" ;;
    dev) mount -o bind /dev "$TARGET/dev" ;;
  esac
  mounted="$TARGET/$fs $mounted"
done

cat >> "$TARGET/etc/default/grub" <<'EOF'
GRUB_TIMEOUT_STYLE=menu
GRUB_CMDLINE_LINUX_DEFAULT="console=ttyS0,115200 net.ifnames=0"
GRUB_TERMINAL="serial"
GRUB_SERIAL_COMMAND="serial --unit=0 --speed=115200"
EOF

# The chroot needs the sbin directories to find grub-install and its helpers.
PATH="/usr/sbin:/usr/bin:/sbin:/bin:$PATH" chroot "$TARGET" grub-install "$BLOCKDEV"
PATH="/usr/sbin:/usr/bin:/sbin:/bin:$PATH" chroot "$TARGET" update-grub
"""


def debootstrap_interfaces_hook():
    return file_append(lookup_package("ganeti-instance-debootstrap"),
                       "/share/doc/ganeti-instance-debootstrap/examples/interfaces")


def debootstrap_grub_hook():
    return plain_file("grub", GRUB_HOOK)


def default_debootstrap_hooks() -> Any:
    return from_list([Pair(Symbol("10-interfaces"), debootstrap_interfaces_hook()),
                      Pair(Symbol("90-grub"), debootstrap_grub_hook())])


def hooks_directory(hooks: Any) -> Any:
    """The hooks as one directory: a file-like is used as is; an alist becomes a
    directory of executables named after its keys."""
    if hooks is False:
        return False
    if is_file_like(hooks):
        return hooks
    entries = [(h.car.name if type(h.car) is Symbol else pystr(h.car), h.cdr)
               for h in to_list(hooks)]
    return executable_directory("debootstrap-hooks", entries)


def executable_directory(name: str, entries: list[tuple[str, Any]]) -> "ExecutableDirectory":
    return ExecutableDirectory(name, entries)


def _shell_value(text: str) -> str:
    # The variant file is sourced by sh: quote whatever is not a plain word.
    return shlex.quote(text)


def debootstrap_variant_parts(config) -> list:
    """The parts (strings and the hooks directory) of a debootstrap variant file."""
    parts: list = []

    def line(key: str, value: str) -> None:
        parts.append(f"{key}={_shell_value(value)}\n")

    for key, name in (("PROXY", "proxy"), ("MIRROR", "mirror"), ("ARCH", "arch"),
                      ("SUITE", "suite")):
        if config[name] is not False:
            line(key, pystr(config[name]))
    for key, name in (("EXTRA_PKGS", "extra-pkgs"), ("COMPONENTS", "components")):
        value = config[name]
        if value is not False and value is not NIL:
            line(key, ",".join(pystr(p) for p in to_list(value)))
    hooks = hooks_directory(config["hooks"])
    if hooks is not False:
        parts += ["CUSTOMIZE_DIR=", hooks, "\n"]
    parts.append(f"GENERATE_CACHE={'yes' if config['generate-cache?'] else 'no'}\n")
    if config["clean-cache"] is not False:
        parts.append(f"CLEAN_CACHE={config['clean-cache']}\n")
    style = config["partition-style"]
    if style is not False:
        line("PARTITION_STYLE", style.name if type(style) is Symbol else pystr(style))
    if config["partition-alignment"] is not False:
        parts.append(f"PARTITION_ALIGNMENT={config['partition-alignment']}\n")
    return parts


def debootstrap_variant_file(config, name: str = "debootstrap-variant"):
    return mixed_text_file(name, *debootstrap_variant_parts(config))


def variant_file(variant) -> Any:
    conf = variant["configuration"]
    if type(conf) is Record and conf.rtype is DEBOOTSTRAP:
        return debootstrap_variant_file(conf, f"debootstrap-{pystr(variant['name'])}")
    return conf


def make_variant(name, configuration) -> Record:
    return OS_VARIANT.make({"name": name, "configuration": configuration})


def make_os(name: str, extension: str, variants) -> Record:
    return GANETI_OS.make({"name": name, "extension": extension, "variants": variants})


def debootstrap_variant(name, configuration):
    """(debootstrap-variant NAME CONFIGURATION): a ganeti-os-variant from a name and a
    debootstrap-configuration, or any file-like object holding such a variant file (as
    Guix accepts)."""
    if not _variant_configuration(configuration):
        raise wrong_type("debootstrap-variant", 2,
                         "debootstrap-configuration or file-like object", configuration)
    return make_variant(name, configuration)


def debootstrap_os(variants):
    """(debootstrap-os VARIANTS): the debootstrap OS provider with VARIANTS, made with
    debootstrap-variant."""
    return make_os("debootstrap", ".conf", variants)


def guix_variant(name, configuration):
    """(guix-variant NAME CONFIGURATION): a ganeti-os-variant for the Guix OS provider;
    CONFIGURATION is a file-like object holding a Guix system configuration."""
    return make_variant(name, configuration)


def guix_os(variants):
    """(guix-os VARIANTS): the Guix OS provider with VARIANTS, made with guix-variant."""
    return make_os("guix", ".scm", variants)


def default_debootstrap_variants():
    return from_list([debootstrap_variant("default", DEBOOTSTRAP.make())])


def default_guix_variants():
    return from_list([guix_variant("default", file_append(
        lookup_package("ganeti-instance-guix"),
        "/share/doc/ganeti-instance-guix/examples/dynamic.scm"))])


def default_ganeti_os():
    return from_list([debootstrap_os(default_debootstrap_variants()),
                      guix_os(default_guix_variants())])


# --- executables --------------------------------------------------------------------------------

class ExecutableDirectory(FileLike):
    """A directory holding a copy of each file-like object, executable (debootstrap runs
    every executable of its hooks directory)."""

    kind = "executable-directory"

    def __init__(self, name: str, entries: list[tuple[str, Any]]):
        self.name = name
        self.entries = entries

    @property
    def is_directory(self) -> bool:
        return True

    def inputs(self) -> list:
        return [fl for _, fl in self.entries if not isinstance(fl, FileLike)]

    def produce(self, resolve) -> DirData:
        d = DirData()
        for entry, fl in self.entries:
            if isinstance(fl, FileLike):
                content = fl.produce(resolve)
            else:                       # a package's file: copied from the host
                with open(resolve(fl), "rb") as f:
                    content = FileData(f.read())
            if not isinstance(content, FileData):
                raise ValueError(f"{self.name}: {entry} is not a regular file")
            d.entries[entry] = FileData(content.data, executable=True)
        return d


def install(module) -> None:
    """The OS provider procedures and defaults of (gnu services ganeti)."""
    d = module.define
    for fn in (debootstrap_variant, debootstrap_os, guix_variant, guix_os):
        name = fn.__name__.replace("_", "-")
        d(Symbol(name), make_primitive(name, fn), True)
    d(Symbol("%debootstrap-interfaces-hook"), debootstrap_interfaces_hook(), True)
    d(Symbol("%debootstrap-grub-hook"), debootstrap_grub_hook(), True)
    d(Symbol("%default-debootstrap-hooks"), default_debootstrap_hooks(), True)
    d(Symbol("%default-debootstrap-extra-pkgs"),
      from_list(list(DEFAULT_DEBOOTSTRAP_EXTRA_PKGS)), True)
    d(Symbol("%default-debootstrap-variants"), default_debootstrap_variants(), True)
    d(Symbol("%default-guix-variants"), default_guix_variants(), True)
    d(Symbol("%default-ganeti-os"), default_ganeti_os(), True)


__all__ = ["GANETI_OS", "OS_VARIANT", "DEBOOTSTRAP", "default_ganeti_os", "variant_file",
           "debootstrap_variant_file", "hooks_directory"]
