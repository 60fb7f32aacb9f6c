"""The Guix module names a config imports, mapped to the Python code defining them.

Every module is registered with a factory that runs on first import, so evaluating a
config pays only for the modules it uses.  `(gnu)` re-exports what Guix's `(gnu)` does
(the system, its accounts and file systems, the service model, the base services,
packages and gexps) and defines `use-service-modules`, `use-package-modules` and
`use-system-modules`.

`config_module()` makes the module a config file is evaluated in: like `guix system`,
it already sees `(gnu)`, so a config may start with `use-service-modules` directly.
"""

from __future__ import annotations

import importlib
import platform
from typing import Any, Callable

from vsys.dsl.api import fresh_module
from vsys.dsl.compiler import SpecialForm, constant, elem_loc, is_ident, name_of
from vsys.dsl.control import Parameter
from vsys.dsl.datatypes import UNSPECIFIED, Pair, Symbol, from_list
from vsys.dsl.errors import syntax_error
from vsys.dsl.module_forms import interface_spec
from vsys.dsl.modules import Interface, Module, existing_module, register_builtin
from vsys.dsl.procedures import make_primitive
from vsys.dsl.records import install_record_type

from . import guix_index

# Guix's package modules that configs commonly import.  Packages vsys knows are defined
# in the module the table (package_map.py) names; the others are accepted and empty.
COMMON_PACKAGE_MODULES = (
    "admin", "audio", "backup", "base", "bash", "bootloaders", "certs", "compression",
    "containers", "cryptsetup", "curl", "databases", "debian", "disk", "dns", "docker",
    "emacs", "file-systems", "firmware", "fonts", "gawk", "glib", "gnome", "gnupg",
    "gnuzilla", "guile", "guile-xyz", "hurd", "kerberos", "less", "libusb", "linux",
    "lsof", "lxqt", "mail", "man", "monitoring", "nano", "networking", "nfs", "ntp",
    "package-management", "pciutils", "perl", "polkit", "python", "python-xyz", "rsync",
    "samba", "screen", "security-token", "shells", "ssh", "storage", "syncthing",
    "terminals", "texinfo", "text-editors", "tls", "tmux", "version-control", "vim",
    "virtualization", "vpn", "web", "wget", "xorg", "xdisorg")

# Modules other parts of the library define (each has an `install(module)`).
SERVICE_MODULES_ELSEWHERE = {
    ("gnu", "services", "virtualization"): "vsys.stdlib.virtualization",
    ("gnu", "services", "ganeti"): "vsys.stdlib.ganeti",
}


def current_system() -> str:
    """The Guix system type of this host: "x86_64-linux", "aarch64-linux"..."""
    machine = platform.machine().lower()
    arch = {"amd64": "x86_64", "arm64": "aarch64", "armv7l": "armhf", "armv8l": "armhf",
            "i386": "i686", "i586": "i686", "ppc64le": "powerpc64le",
            "riscv64": "riscv64"}.get(machine, machine)
    return f"{arch}-linux"


_system_parameter: Any = None


def current_system_parameter() -> Any:
    """%current-system: a parameter (call it: `(%current-system)`)."""
    global _system_parameter
    if _system_parameter is None:
        _system_parameter = Parameter(current_system(), None)
        _system_parameter.name = "%current-system"
    return _system_parameter


_target_parameter: Any = None


def _target_system_parameter() -> Any:
    global _target_parameter
    if _target_parameter is None:
        _target_parameter = Parameter(False, None)
        _target_parameter.name = "%current-target-system"
    return _target_parameter


def reexport(target: Module, *names: tuple) -> None:
    """Make the exports of the named modules exports of `target` (shared bindings)."""
    for name in names:
        source = existing_module(name)
        if source is None:
            raise LookupError(f"module {name} is not registered")
        for sym in list(source.bindings):     # what it defines, not what it may look up
            box = source.public_box(sym)
            if box is not None and sym not in target.bindings:
                target.bindings[sym] = box


# --- factories ---------------------------------------------------------------------------------
# Each imports the library modules it fills from when it runs: a config pays only for the
# Guix modules it uses (the library's one lazy boundary).

def _guix_utils(m: Module) -> None:
    m.define(Symbol("%current-system"), current_system_parameter(), True)
    m.define(Symbol("%current-target-system"), _target_system_parameter(), True)


def _guix_gexp(m: Module) -> None:
    from . import files, gexp  # noqa: PLC0415
    d = m.define
    d(Symbol("gexp"), SpecialForm("gexp", gexp.compile_gexp, gexp.compile_gexp.__doc__), True)
    for name in ("ungexp", "ungexp-splicing", "ungexp-native", "ungexp-native-splicing"):
        d(Symbol(name), SpecialForm(name, gexp.compile_misplaced_ungexp), True)
    for name in ("with-imported-modules", "with-extensions"):
        d(Symbol(name), SpecialForm(name, gexp.compile_with_modules(name),
                                    f"({name} MODULES BODY ...)"), True)
    d(Symbol("gexp?"), make_primitive("gexp?", gexp.is_gexp), True)
    files.install(m)
    _guix_utils(m)


def _guix_records(m: Module) -> None:
    from . import record_forms  # noqa: PLC0415
    record_forms.install(m)


def _gnu_services(m: Module) -> None:
    from . import base, services, system_services  # noqa: PLC0415
    services.install(m)
    system_services.install(m)
    _define_dbus_types(m)
    m.define(Symbol("host-milestones-service-type"), base.host_milestones_service_type,
             True)


def _shepherd(m: Module) -> None:
    from . import base, shepherd  # noqa: PLC0415
    shepherd.install(m)
    m.define(Symbol("user-processes-service-type"), base.user_processes_service_type, True)


def _services_base(m: Module) -> None:
    from . import base, guix, networking, system_services  # noqa: PLC0415
    base.install(m)
    networking.install(m)
    guix.install(m)
    system_services.install(m)
    _define_dbus_types(m)


def _services_networking(m: Module) -> None:
    from . import networking  # noqa: PLC0415
    networking.install(m)


def _define_dbus_types(m: Module) -> None:
    """(gnu services) and (gnu services base) offer D-Bus and polkit too, as vsys always
    has (Guix has them in (gnu services dbus) only)."""
    from . import dbus  # noqa: PLC0415
    m.define(Symbol("polkit-service-type"), dbus.polkit_service_type, True)
    m.define(Symbol("dbus-root-service-type"), dbus.dbus_root_service_type, True)


def _services_dbus(m: Module) -> None:
    from . import dbus  # noqa: PLC0415
    dbus.install(m)


def _services_admin(m: Module) -> None:
    from . import base  # noqa: PLC0415
    m.define(Symbol("rottlog-service-type"), base.rottlog_service_type, True)
    m.define(Symbol("log-cleanup-service-type"), base.log_cleanup_service_type, True)


def _services_sysctl(m: Module) -> None:
    from . import base  # noqa: PLC0415
    install_record_type(m, base.SYSCTL_CONFIGURATION)
    m.define(Symbol("sysctl-service-type"), base.sysctl_service_type, True)


def _module_installer(pymodule: str, *args: Any) -> Callable[[Module], None]:
    def factory(m: Module) -> None:
        importlib.import_module(pymodule).install(m, *args)
    return factory


def _gnu_system_shadow(m: Module) -> None:
    from . import accounts, system_services  # noqa: PLC0415
    accounts.install(m)
    m.define(Symbol("account-service-type"), system_services.account_service_type, True)


def _gnu_system(m: Module) -> None:
    from . import system  # noqa: PLC0415
    system.install(m)
    reexport(m, ("gnu", "system", "shadow"))


def _gnu_packages(m: Module) -> None:
    from . import packages  # noqa: PLC0415
    packages.install_package_procedures(m)


def _package_module(short: str) -> Callable[[Module], None]:
    def factory(m: Module) -> None:
        from . import packages  # noqa: PLC0415
        packages.install_package_module(m, short)
    return factory


_GNU_PUBLIC = (("gnu", "system"), ("gnu", "system", "mapped-devices"),
               ("gnu", "system", "file-systems"), ("gnu", "bootloader"),
               ("gnu", "bootloader", "grub"), ("gnu", "system", "keyboard"),
               ("gnu", "system", "shadow"), ("gnu", "system", "nss"), ("gnu", "services"),
               ("gnu", "services", "base"), ("gnu", "packages"), ("gnu", "packages", "base"),
               ("guix", "gexp"), ("guix", "utils"))


def _gnu(m: Module) -> None:
    reexport(m, *_GNU_PUBLIC)
    for kind in ("service", "package", "system"):
        name = f"use-{kind}-modules"
        m.define(Symbol(name), SpecialForm(name, _use_modules_of(kind),
                                           f"({name} NAME ...): import (gnu {kind}s NAME) "
                                           f"for each NAME."), True)


def _use_modules_of(kind: str):
    def compile_it(form, scope, ctx, tail):
        p = form.cdr
        while type(p) is Pair:
            loc = elem_loc(p, form.loc)
            item = p.car
            if is_ident(item):
                spec = from_list([Symbol("gnu"), Symbol(f"{kind}s"), Symbol(name_of(item))])
            elif type(item) is Pair:          # (use-service-modules (foo bar)) -> nested
                spec = Pair(Symbol("gnu"), Pair(Symbol(f"{kind}s"), item))
            else:
                raise syntax_error(f"use-{kind}-modules takes module names, such as "
                                   f"{'ssh' if kind != 'system' else 'nss'}", loc=loc)
            ctx.module.use(interface_spec(spec, ctx, loc))
            p = p.cdr
        return constant(UNSPECIFIED)
    return compile_it


def _guix(m: Module) -> None:
    reexport(m, ("guix", "gexp"), ("guix", "utils"), ("guix", "packages"))


_registered = False


def register_all() -> None:
    """Declare every module (cheap: nothing is built until a config imports it)."""
    global _registered
    if _registered:
        return
    _registered = True
    machine = _module_installer("vsys.stdlib.machine")
    table: dict[tuple, Callable[[Module], None]] = {
        ("gnu",): _gnu,
        ("guix",): _guix,
        ("guix", "gexp"): _guix_gexp,
        ("guix", "utils"): _guix_utils,
        ("guix", "records"): _guix_records,
        ("guix", "build", "utils"): _module_installer("vsys.stdlib.build_utils"),
        ("guix", "packages"): _gnu_packages,
        ("gnu", "packages"): _gnu_packages,
        ("gnu", "services"): _gnu_services,
        ("gnu", "services", "shepherd"): _shepherd,
        ("gnu", "services", "base"): _services_base,
        ("gnu", "services", "networking"): _services_networking,
        ("gnu", "services", "ssh"): _module_installer("vsys.stdlib.ssh"),
        ("gnu", "services", "mcron"): _module_installer("vsys.stdlib.mcron"),
        ("gnu", "services", "dbus"): _services_dbus,
        ("gnu", "services", "admin"): _services_admin,
        ("gnu", "services", "sysctl"): _services_sysctl,
        ("gnu", "system"): _gnu_system,
        ("gnu", "system", "shadow"): _gnu_system_shadow,
        ("gnu", "system", "file-systems"): machine,
        ("gnu", "system", "mapped-devices"): machine,
        ("gnu", "system", "uuid"): machine,
        ("gnu", "system", "keyboard"): machine,
        ("gnu", "system", "nss"): machine,
        ("gnu", "bootloader"): machine,
        ("gnu", "bootloader", "grub"): machine,
    }
    for name, pymodule in SERVICE_MODULES_ELSEWHERE.items():
        table[name] = _module_installer(pymodule)
    for short in COMMON_PACKAGE_MODULES:
        table[("gnu", "packages", short)] = _package_module(short)
    for name, factory in table.items():
        register_builtin(name, _with_index(name, factory))
    guix_index.install()


def _with_index(name: tuple, factory: Callable[[Module], None]) -> Callable[[Module], None]:
    """A Guix module vsys implements also has, from the index, the names it does not
    implement itself (the host's job); (gnu) has those of the modules it re-exports."""
    if name[0] not in ("gnu", "guix"):
        return factory
    fallback = guix_index.GNU_FALLBACK if name == ("gnu",) else guix_index.FALLBACK

    def build(m: Module) -> None:
        factory(m)
        m.fallback = fallback
    return build


def config_module(name: tuple = ("vsys-config",)) -> Module:
    """A fresh module for evaluating a config file: Guile's defaults plus (gnu)."""
    register_all()
    m = fresh_module(name)
    m.use(Interface(existing_module(("gnu",))))
    return m


__all__ = ["register_all", "config_module", "current_system", "reexport"]
