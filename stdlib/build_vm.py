"""virtual-build-machine-service-type: a QEMU virtual machine that builds are offloaded to,
with its clock set in the past and a CPU model of that time.

The VM runs as the unprivileged user `build-vm-NAME`; activation prepares its secrets
(SSH host keys, the key the host offloads with, a Guix signing key) under
/etc/guix/virtual-build-machines/NAME, which are sent into the guest when it starts.
The childhurd (hurd_vm.py) shares that handling (guest_vm.py).
"""

from __future__ import annotations

import datetime as _dt
import functools
import shutil
import subprocess
from typing import Any

from vsys.dsl.builtins import srfi19
from vsys.dsl.datatypes import NIL, Pair, Symbol, from_list, is_list, is_string, pystr, to_list
from vsys.dsl.errors import did_you_mean
from vsys.dsl.procedures import call
from vsys.dsl.records import FieldType

from .configuration import configuration, field, manual_differs
from .field_types import BOOLEAN, PACKAGE, POSITIVE, STRING_LIST, SYMBOL, in_port_range
from .files import file_append, is_file_like
from .gexp import gexp
from .guest_vm import offload_machine, print_action, qemu_vm_start, vm_accounts, vm_secrets_steps
from .guix import WhileListening, guix_service_type
from .guix_modules import current_system_parameter
from .network_ports import Claim, network_ports_service_type
from .services import ServiceExtension, ServiceType
from .shepherd import kill_destructor, shepherd_root_service_type, shepherd_service
from .system import OPERATING_SYSTEM
from .system_services import account_service_type, activation_service_type

MODULE_NAME = "(gnu services virtualization)"

# --- dates ------------------------------------------------------------------------------------

# The CPU model of a date: the newest released before it.  Guix lists Westmere and Nehalem
# the wrong way round; these are in release order.
CPU_MODELS_BY_DATE: tuple[tuple[_dt.datetime, str], ...] = tuple(
    (_dt.datetime(year, 1, 1, tzinfo=_dt.timezone.utc), model) for year, model in (
        (2006, "core2duo"), (2008, "Nehalem"), (2010, "Westmere"), (2011, "SandyBridge"),
        (2012, "IvyBridge"), (2013, "Haswell"), (2014, "Broadwell"),
        (2015, "Skylake-Client")))

OLDEST_CPU_MODEL = "qemu64"        # vsys: for dates before the first model of the table


def date_to_datetime(date: Any) -> _dt.datetime:
    """An SRFI-19 date (or a Python datetime) as an aware Python datetime."""
    if isinstance(date, _dt.datetime):
        return date if date.tzinfo else date.replace(tzinfo=_dt.timezone.utc)
    to_py = getattr(date, "to_datetime", None)
    if callable(to_py):
        return to_py()
    get = date.__getitem__ if hasattr(date, "rtype") else functools.partial(getattr, date)
    names = ("year", "month", "day", "hour", "minute", "second", "nanosecond", "zone-offset")
    try:
        y, mo, d, h, mi, s, ns, off = (get(n if hasattr(date, "rtype") else n.replace("-", "_"))
                                       for n in names)
    except (AttributeError, KeyError) as e:
        raise TypeError(f"not an SRFI-19 date: {date!r}") from e
    tz = _dt.timezone(_dt.timedelta(seconds=off))
    return _dt.datetime(y, mo, d, h, mi, s, ns // 1000, tzinfo=tz)


def is_date(x: Any) -> bool:
    try:
        date_to_datetime(x)
    except (TypeError, ValueError):
        return False
    return True


def cpu_model_for_date(date: Any, systems: Any = None) -> str:
    """The CPU QEMU emulates for a build VM whose clock starts at DATE: for x86_64 systems
    the newest model released before DATE, otherwise "host"."""
    names = [pystr(s) for s in to_list(systems)] if systems is not None else ["x86_64-linux"]
    if not any(s.startswith("x86_64-") for s in names):
        return "host"
    when = date_to_datetime(date)
    model = OLDEST_CPU_MODEL
    for released, name in CPU_MODELS_BY_DATE:
        if released < when:
            model = name
    return model


def srfi19_date_string(date: Any) -> str:
    """SRFI-19 `date->string` with its default format, as Guile prints it:
    "Wed Jan 01 00:00:00Z 2020"."""
    if not isinstance(date, srfi19.Date):
        date = srfi19.from_datetime(date_to_datetime(date))
    return srfi19.date_to_string(date)


def rtc_base(date: Any) -> str:
    """QEMU's `-rtc base=` value: the date's own wall-clock time."""
    return date_to_datetime(date).strftime("%Y-%m-%dT%H:%M:%S")


def default_date() -> Any:
    """"A few years ago": 2020-01-01 00:00:00 UTC, an SRFI-19 date."""
    return srfi19.make_date(0, 0, 0, 0, 1, 1, 2020, 0)


# --- CPU models QEMU knows ----------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def qemu_cpu_models(program: str = "qemu-system-x86_64") -> frozenset[str] | None:
    """The models `qemu-system-x86_64 -cpu help` lists, or None when QEMU is absent
    (then any model is accepted).  Asked once per process."""
    path = shutil.which(program)
    if path is None:
        return None
    try:
        out = subprocess.run([path, "-cpu", "help"], capture_output=True, text=True,
                             timeout=30, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    models = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0] == "x86":
            models.add(parts[1])
    return frozenset(models) or None


def cpu_model_error(model: str) -> str | None:
    """Why QEMU would refuse MODEL (its part before any `,feature` list), or None."""
    known = qemu_cpu_models()
    if known is None:
        return None
    base = model.split(",", 1)[0]
    if base in known:
        return None
    close = did_you_mean(base, known)
    return (f"QEMU does not know the CPU model {base!r}"
            + (f"; {close[0]}" if close else "")
            + " (`qemu-system-x86_64 -cpu help` lists the models)")


def _known_cpu(x: Any) -> bool:
    return is_string(x) and cpu_model_error(pystr(x)) is None


CPU_MODEL = FieldType("CPU model known to QEMU (see `qemu-system-x86_64 -cpu help`)",
                      _known_cpu)


# --- the record ---------------------------------------------------------------------------------

# Host ports forwarded to the guest's sshd and secret service (Guix's %build-vm-ssh-port
# and %build-vm-secrets-port).
BUILD_VM_SSH_PORT = 11022
BUILD_VM_SECRETS_PORT = 11044
GUEST_SSH_PORT = 22
GUEST_SECRETS_PORT = 1004


def _is_forwardings(x: Any) -> bool:
    return is_list(x) and all(type(p) is Pair and in_port_range(p.car) and in_port_range(p.cdr)
                              for p in to_list(x))


def is_operating_system(x: Any) -> bool:
    return getattr(x, "rtype", None) is OPERATING_SYSTEM


def _is_vm_image(x: Any) -> bool:
    return is_string(x) or is_file_like(x) or is_operating_system(x)


# Said without the record's name: the service's page documents the build VM's records.
VM_IMAGE = FieldType("disk image (a file name or file-like object) or an operating system "
                     "to build one from", _is_vm_image)
PORT_FORWARDINGS = FieldType("list of (HOST-PORT . GUEST-PORT) pairs of ports (1 to 65535)",
                             _is_forwardings)
DATE = FieldType("SRFI-19 date (see make-date)", is_date)


def _current_system() -> str:
    return call(current_system_parameter(), [])


VIRTUAL_BUILD_MACHINE = configuration("virtual-build-machine", MODULE_NAME, [
    field("name", SYMBOL, Symbol("build-vm"),
          doc="The name of this build VM.  It is used to construct the name of its "
              "Shepherd service."),
    field("image", VM_IMAGE, thunk=lambda rec: default_image_path(rec),
          default_text="/var/lib/vsys/images/NAME.qcow2",
          doc="The image of the virtual machine.  This notably specifies the virtual disk "
              "size and the operating system running in it.  An operating-system is "
              "built into an image by `vsys reconfigure` (as `vsys image` does, as root, "
              "cached) and placed at /var/lib/vsys/images/NAME.qcow2 of the root, which "
              "the machine boots; a file name is booted as it is.  By default the machine "
              "boots /var/lib/vsys/images/NAME.qcow2 (NAME being its name), and `herd "
              "start` names the command that builds one when it is missing.  The guest "
              "must run secret-service-type: the host sends it its SSH host keys and the "
              "offloading key when it boots."),
    field("qemu", PACKAGE, package="qemu-minimal", doc="The QEMU package to run the image."),
    field("cpu", CPU_MODEL, thunk=lambda rec: cpu_model_for_date(_given(rec, "date"),
                                                                 _given(rec, "systems")),
          default_text="the model that matches date",
          doc="The CPU model being emulated, as a string denoting a model known to QEMU.  "
              "The default value is a model that matches date.  To see what CPU models "
              "are available, run, for example: qemu-system-x86_64 -cpu help"),
    field("cpu-count", POSITIVE, 4,
          doc="The number of CPUs emulated by the virtual machine."),
    field("memory-size", POSITIVE, 2048,
          doc="Size in mebibytes (MiB) of the virtual machine's main memory (RAM)."),
    field("date", DATE, thunk=lambda rec: default_date(),
          default_text="a few years ago (2020-01-01 00:00:00 UTC)",
          doc="Date inside the virtual machine when it starts; this must be an SRFI-19 "
              "date object."),
    field("port-forwardings", PORT_FORWARDINGS,
          thunk=lambda rec: from_list([Pair(BUILD_VM_SSH_PORT, GUEST_SSH_PORT),
                                       Pair(BUILD_VM_SECRETS_PORT, GUEST_SECRETS_PORT)]),
          default_text="'((11022 . 22) (11044 . 1004))",
          doc="TCP ports of the virtual machine forwarded to the host.  By default, the "
              "SSH and secrets ports are forwarded into the host."
              + manual_differs("the defaults are 11022 and 11004",
                               "the secrets port is 11044 (11004 is the default "
                               "childhurd's secrets port)")),
    field("systems", STRING_LIST, thunk=lambda rec: from_list([_current_system()]),
          default_text="(list (%current-system))",
          doc="List of system types supported by the build VM, e.g. \"x86_64-linux\"."),
    field("auto-start?", BOOLEAN, False,
          doc="Whether to start the virtual machine when the system boots."),
], doc="A virtual build machine: a VM with a controlled kernel, CPU model and date that "
       "builds are offloaded to while it runs.")


def _given(rec, name: str) -> Any:
    """A field the default of another depends on: its value, or its own default when the
    record computes its defaults in field order and has not reached it yet."""
    value = rec[name]
    if value is None:
        value = rec.rtype.field(name).thunk(rec)
    return value


def default_image_path(rec) -> str:
    """Where the image is expected by default (`vsys image --output` writes it)."""
    return f"/var/lib/vsys/images/{vm_name(rec)}.qcow2"


def vm_name(config) -> str:
    name = config["name"]
    return name.name if type(name) is Symbol else pystr(name)


def vm_user(config) -> str:
    return f"build-vm-{vm_name(config)}"


def secret_root(config) -> str:
    return f"/etc/guix/virtual-build-machines/{vm_name(config)}"


def offloading_key(config) -> str:
    return f"/etc/guix/offload/ssh/virtual-build-machine/{vm_name(config)}"


def forwarded_port(config, guest_port: int) -> int | None:
    for p in to_list(config["port-forwardings"]):
        if p.cdr == guest_port:
            return p.car
    return None


def system_emulator(systems: Any) -> str:
    """`bin/qemu-system-ARCH` for the first system ("x86_64-linux" -> x86_64)."""
    first = pystr(to_list(systems)[0]) if to_list(systems) else "x86_64-linux"
    arch = first.split("-", 1)[0]
    return {"i686": "i386", "i586": "i386", "armhf": "arm", "powerpc64le": "ppc64",
            "powerpc": "ppc"}.get(arch, arch)


def qemu_arguments(config, image: Any) -> list:
    """The QEMU arguments that follow the program and the optional -enable-kvm.  IMAGE
    is the disk image's path (or a file-like for it)."""
    args: list = ["-cpu", pystr(config["cpu"])]
    if config["cpu-count"] > 1:
        args += ["-smp", f"cpus={config['cpu-count']}"]
    fwd = ",".join(f"hostfwd=tcp:127.0.0.1:{p.car}-:{p.cdr}"
                   for p in to_list(config["port-forwardings"]))
    args += ["-m", str(config["memory-size"]),
             "-nic", "user,model=virtio-net-pci" + ("," + fwd if fwd else ""),
             "-serial", "stdio",
             "-rtc", f"base={rtc_base(config['date'])}",
             "-object", "rng-random,filename=/dev/urandom,id=guix-vm-rng",
             "-device", "virtio-rng-pci,rng=guix-vm-rng",
             "-drive", _drive(image),
             "-snapshot", "-no-reboot"]
    return args


def qemu_option_value(text: str) -> str:
    """TEXT as the value of a QEMU `key=value,...` option: QEMU reads a doubled comma
    as one comma of the value.  (Options that take a bare file name, such as `-hda`, do
    not split on commas: their value goes verbatim.)"""
    return text.replace(",", ",,")


def _drive(image: Any) -> Any:
    spec = "format=qcow2,if=virtio,cache=writeback,werror=report,readonly=off"
    if is_string(image):
        # QEMU reads a doubled comma as one comma of the value: a comma in the path
        # must never start another drive option (snapshot=off...).
        return f"file={qemu_option_value(pystr(image))},{spec}"
    # A file-like image: its path is known once built, so the argument is a gexp piece
    # (a store path, whose names have no comma).
    return gexp([Symbol("string-append"), "file=", image, "," + spec])


def configuration_lines(config) -> list[str]:
    """What `herd configuration build-vm` prints."""
    return [f"CPU: {pystr(config['cpu'])}",
            f"number of CPU cores: {config['cpu-count']}",
            f"memory size: {config['memory-size']} MiB",
            f"initial date: {srfi19_date_string(config['date'])}"]


# --- the service -----------------------------------------------------------------------------

def build_vm_shepherd_service(config) -> Any:
    image = config["image"]
    if is_operating_system(image):      # built there by reconfigure
        image = default_image_path(config)
    emulator = file_append(config["qemu"], f"/bin/qemu-system-{system_emulator(config['systems'])}")
    start = qemu_vm_start([emulator, *qemu_arguments(config, image)], "-enable-kvm", "rw",
                          image, forwarded_port(config, GUEST_SECRETS_PORT),
                          secret_root(config), vm_user(config))
    return from_list([shepherd_service(
        documentation="Run the build virtual machine service.",
        provision=[vm_name(config)], requirement=["user-processes"],
        auto_start=config["auto-start?"], respawn=True,
        start=start, stop=kill_destructor(),
        actions=[print_action("configuration", configuration_lines(config),
                              "Display the configuration of this virtual build "
                              "machine.")])])


def build_vm_accounts(config) -> Any:
    return vm_accounts(vm_user(config), "Privilege separation user for the virtual build "
                                        "machine")


def build_vm_activation(config) -> Any:
    return from_list(vm_secrets_steps(secret_root(config), offloading_key(config),
                                      f"offloading key of virtual build machine "
                                      f"{vm_name(config)}"))


def build_vm_claims(config) -> Any:
    return from_list([Claim("tcp", "127.0.0.1", p.car,
                            f"virtual build machine {vm_name(config)} (port forwarding)",
                            config.loc)
                      for p in to_list(config["port-forwardings"])])


def build_vm_build_machines(config) -> Any:
    """While the VM runs, and only then, the host offloads builds to it over its forwarded
    SSH port."""
    port = forwarded_port(config, GUEST_SSH_PORT)
    if port is None:
        return NIL
    return from_list([WhileListening(offload_machine(
        service=vm_name(config), port=port, systems=[pystr(s) for s in to_list(config["systems"])],
        host_key_file=f"{secret_root(config)}/etc/ssh/ssh_host_ed25519_key.pub",
        private_key=offloading_key(config)), port)])


virtual_build_machine_service_type = ServiceType("build-vm", [
    ServiceExtension(shepherd_root_service_type, build_vm_shepherd_service),
    ServiceExtension(account_service_type, build_vm_accounts),
    ServiceExtension(activation_service_type, build_vm_activation),
    ServiceExtension(guix_service_type, build_vm_build_machines),
    ServiceExtension(network_ports_service_type, build_vm_claims)],
    default_value=VIRTUAL_BUILD_MACHINE.make(),
    description="Run a virtual build machine: builds are offloaded to it while it runs, in "
                "an environment whose kernel, CPU model and date are controlled.",
    module=MODULE_NAME)
