"""hurd-vm-service-type: GNU/Hurd in a QEMU virtual machine, the *childhurd*.

Several childhurds can run side by side when each has its own `id`: the id shifts the
host ports QEMU forwards (secrets, SSH, VNC) by 1000 × id and suffixes the Shepherd
names (`childhurd1`).  Like the build VM, it runs as an unprivileged user and receives
the files under its secret root when it boots.
"""

from __future__ import annotations

from typing import Any

from vsys.dsl.datatypes import NIL, Symbol, from_list, is_string, pystr, to_list
from vsys.dsl.procedures import call, is_procedure, make_primitive
from vsys.dsl.records import FieldType

from .base import base_services
from .configuration import configuration, field, manual_differs
from .field_types import BOOLEAN, PACKAGE, POSITIVE, STRING, STRING_LIST, in_port_range
from .files import file_append, is_file_like
from .guest_vm import offload_machine, qemu_vm_start, vm_accounts, vm_secrets_steps
from .guix import guix_service_type
from .network_ports import Claim, network_ports_service_type
from .services import Service, ServiceExtension, ServiceType
from .shepherd import kill_destructor, shepherd_root_service_type, shepherd_service
from .ssh import OPENSSH_CONFIGURATION, openssh_service_type
from .system import OPERATING_SYSTEM
from .system_services import account_service_type, activation_service_type

MODULE_NAME = "(gnu services virtualization)"

# Host ports for a childhurd of id ID (0 when it has none): base + 1000 × ID.
SECRETS_PORT_BASE = 11004
SSH_PORT_BASE = 10022
VNC_PORT_BASE = 15900
PORT_STEP = 1000
# Inside the guest: the secret service, sshd of %hurd-vm-operating-system (which sets no
# port, so OpenSSH's own), VNC.
GUEST_SECRETS_PORT = 1004
GUEST_SSH_PORT = 22
GUEST_VNC_PORT = 5900


def vm_id(config_or_id: Any) -> int:
    i = config_or_id["id"] if hasattr(config_or_id, "rtype") else config_or_id
    return 0 if i is False else i


def ports(config_or_id: Any) -> dict[str, int]:
    """The host ports of a childhurd: {"secrets": ..., "ssh": ..., "vnc": ...}."""
    i = vm_id(config_or_id)
    return {"secrets": SECRETS_PORT_BASE + PORT_STEP * i,
            "ssh": SSH_PORT_BASE + PORT_STEP * i,
            "vnc": VNC_PORT_BASE + PORT_STEP * i}


def net_options(config_or_id: Any) -> list[str]:
    """QEMU's network options: an rtl8139 NIC whose user-mode network forwards the
    secrets, SSH and VNC ports of the host's loopback into the guest."""
    p = ports(config_or_id)
    return ["--device", "rtl8139,netdev=net0",
            "--netdev", "user,id=net0,"
            f"hostfwd=tcp:127.0.0.1:{p['secrets']}-:{GUEST_SECRETS_PORT},"
            f"hostfwd=tcp:127.0.0.1:{p['ssh']}-:{GUEST_SSH_PORT},"
            f"hostfwd=tcp:127.0.0.1:{p['vnc']}-:{GUEST_VNC_PORT}"]


class ChildhurdId(FieldType):
    """#f or a positive integer small enough that every port it derives is a port.  When
    the check fails, `name` says which port went out of range, for the error message."""

    BASE = "#f or a positive integer"

    def __init__(self):
        super().__init__(self.BASE, self._check)

    def _check(self, x: Any) -> bool:
        self.name = self.BASE
        if x is False:
            return True
        if not POSITIVE.check(x):
            return False
        for what, port in ports(x).items():
            if not in_port_range(port):
                self.name = (f"{self.BASE} whose ports stay within 1..65535 (id {x} puts "
                             f"the {what.upper() if what == 'vnc' else what} port at "
                             f"{port}; the largest usable id is "
                             f"{(65535 - VNC_PORT_BASE) // PORT_STEP})")
                return False
        return True


def _is_image(x: Any) -> bool:
    return is_string(x) or is_procedure(x) or is_file_like(x)


DISK_SIZE = FieldType("'guess or a size in bytes",
                      lambda x: x == Symbol("guess") or POSITIVE.check(x))


_HURD_OS: list = []


def hurd_vm_operating_system() -> Any:
    """%hurd-vm-operating-system: a minimal GNU/Hurd system whose OpenSSH daemon listens
    on its default port, 22, and is permissive (root login with a key, empty passwords,
    password logins), so that a fresh childhurd can be reached at once.  Made once."""
    if _HURD_OS:
        return _HURD_OS[0]
    sshd = OPENSSH_CONFIGURATION.make({
        "permit-root-login": Symbol("prohibit-password"),
        "allow-empty-passwords?": True, "password-authentication?": True})
    services = [Service(openssh_service_type, sshd, None,
                        "(part of %hurd-vm-operating-system)")]
    services += to_list(base_services())
    os_ = OPERATING_SYSTEM.make({"host-name": "childhurd", "timezone": "Europe/Amsterdam",
                                 "services": from_list(services)})
    _HURD_OS.append(os_)
    return os_


def _default_os(rec) -> Any:
    return hurd_vm_operating_system()


def hurd_vm_disk_image(config) -> str:
    """The childhurd's disk image.  vsys does not cross-build GNU/Hurd images: this is
    where the image is expected (e.g. one made with `guix system image -t hurd-qcow2`).
    Each id has its own file: two childhurds without --snapshot must not write one disk."""
    vm_id = config["id"]
    suffix = str(vm_id) if vm_id is not False else ""
    return f"/var/lib/vsys/images/hurd-vm{suffix}.qcow2"


HURD_VM_CONFIGURATION = configuration("hurd-vm-configuration", MODULE_NAME, [
    field("os", None, thunk=_default_os, default_text="%hurd-vm-operating-system",
          doc="The operating system to instantiate.  The default is a minimal system with "
              "a permissively configured OpenSSH secure shell daemon listening on port 22."
              + manual_differs("its daemon listens on port 2222",
                               "%hurd-vm-operating-system sets no port, so sshd listens on "
                               "22, where the SSH port forward leads")),
    field("qemu", PACKAGE, package="qemu-minimal", doc="The QEMU package to use."),
    field("image", FieldType("disk image (a file name, a file-like object, or a procedure "
                             "of the configuration returning one)", _is_image),
          thunk=lambda rec: _hurd_vm_disk_image_procedure(), default_text="hurd-vm-disk-image",
          doc="The image object representing the disk image of this virtual machine; a "
              "procedure is called with the configuration, as (const FILE) does.  "
              "hurd-vm-disk-image names /var/lib/vsys/images/hurd-vmID.qcow2 "
              "(hurd-vm.qcow2 without an id), which you provide: a GNU/Hurd image cannot "
              "be built from Debian's archive (Debian GNU/Hurd is a separate port), so "
              "make one with `guix system image -t hurd-qcow2` (Guix adds its "
              "secret-service client to the images it builds) or take Debian GNU/Hurd's "
              "prebuilt qcow2 and add the secret service's receiver to it.  Any guest "
              "that receives its secrets on port 1004 works: `vsys image` builds a Linux "
              "one."),
    field("disk-size", DISK_SIZE, Symbol("guess"), doc="The size of the disk image."),
    field("memory-size", POSITIVE, 2048,
          doc="The memory size of the virtual machine, in mebibytes."
              + manual_differs("512", "the default is 2048 (later manuals say so too)")),
    field("options", STRING_LIST, thunk=lambda rec: from_list(["--snapshot"]),
          default_text="'(\"--snapshot\")", doc="The extra options for running QEMU."),
    field("id", ChildhurdId(), False,
          doc="If set, a non-zero positive integer used to parameterize Childhurd "
              "instances.  It is appended to the service's name, e.g. childhurd1."),
    field("net-options", STRING_LIST, thunk=lambda rec: from_list(net_options(rec)),
          default_text="hurd-vm-net-options",
          doc="The network options for QEMU.  By default an rtl8139 NIC forwarding to the "
              "guest the host ports secrets (11004 + 1000 × id), SSH (10022 + 1000 × id) "
              "and VNC (15900 + 1000 × id) on 127.0.0.1, to the guest's ports 1004, 22 "
              "and 5900."),
    field("offloading?", BOOLEAN, True,
          doc="Whether to automatically set up offloading of builds to the childhurd: "
              "generate an SSH key pair for offloading, authorize it for the offloading "
              "account of the childhurd, authorize the childhurd's signing key on the "
              "host, and list the childhurd as a build machine for i586-gnu."),
    field("secret-root", STRING, "/etc/childhurd",
          doc="The root directory with out-of-band secrets to be installed in the "
              "childhurd once it runs.  Childhurds are volatile, which means that on "
              "every startup, secrets such as the SSH host keys and Guix signing key are "
              "recreated; the files here (created when missing) keep them stable."),
], doc="Configuration of a childhurd: GNU/Hurd running in a QEMU virtual machine.")

_DISK_IMAGE_PROCEDURE: list = []


def _hurd_vm_disk_image_procedure():
    """The Scheme procedure `hurd-vm-disk-image`, made once."""
    if not _DISK_IMAGE_PROCEDURE:
        _DISK_IMAGE_PROCEDURE.append(make_primitive("hurd-vm-disk-image", hurd_vm_disk_image))
    return _DISK_IMAGE_PROCEDURE[0]


def image_of(config) -> Any:
    """The configuration's image: a procedure is called with the configuration."""
    image = config["image"]
    if is_procedure(image):
        image = call(image, [config])
    return image


def shepherd_names(config) -> list[str]:
    suffix = "" if config["id"] is False else str(config["id"])
    return [f"hurd-vm{suffix}", f"childhurd{suffix}"]


def offloading_key(config) -> str:
    suffix = "" if config["id"] is False else str(config["id"])
    return f"/etc/guix/offload/ssh/childhurd{suffix}"


def qemu_arguments(config) -> list:
    """The QEMU arguments after the program and the optional --enable-kvm."""
    image = image_of(config)
    # `--hda FILE` takes FILE verbatim (QEMU does not split it on commas, unlike
    # `-drive file=...`), so the image path is not escaped.
    return (["-m", str(config["memory-size"])]
            + [pystr(o) for o in to_list(config["net-options"])]
            + [pystr(o) for o in to_list(config["options"])]
            + ["--hda", pystr(image) if is_string(image) else image, "--no-reboot"])


# --- the service -------------------------------------------------------------------------------

def hurd_vm_shepherd_service(config) -> Any:
    image = image_of(config)
    argv = [file_append(config["qemu"], "/bin/qemu-system-x86_64"), *qemu_arguments(config)]
    start = qemu_vm_start(argv, "--enable-kvm", "exists",
                          pystr(image) if is_string(image) else image,
                          ports(config)["secrets"], pystr(config["secret-root"]),
                          "childhurd")
    return from_list([shepherd_service(
        documentation="Run the Hurd in a Virtual Machine: a Childhurd.",
        provision=shepherd_names(config),
        requirement=["loopback", "networking", "user-processes"],
        respawn=True, start=start, stop=kill_destructor())])


def hurd_vm_accounts(config) -> Any:
    return vm_accounts("childhurd", "Privilege separation user for the childhurd")


def hurd_vm_activation(config) -> Any:
    key = offloading_key(config) if config["offloading?"] else None
    return from_list(vm_secrets_steps(pystr(config["secret-root"]), key,
                                      f"offloading key of {shepherd_names(config)[1]}"))


def hurd_vm_claims(config) -> Any:
    name = shepherd_names(config)[1]
    claims = [Claim("name", "", vm_id(config), name, config.loc, clash_hint=(
        "two childhurds " + ("both lack an id" if config["id"] is False
                             else f"have the same id {config['id']}")
        + ": {first} and {second} would provide the same Shepherd services "
        + f"({' and '.join(shepherd_names(config))}) and forward the same ports; give "
          "each hurd-vm-configuration a distinct (id N)"))]
    if _default_net_options(config):
        claims += [Claim("tcp", "127.0.0.1", port, f"{name} ({what} port)", config.loc,
                         clash_hint=PORT_CLASH_HINT) for what, port in ports(config).items()]
    return from_list(claims)


# Guix's numbering puts a childhurd of id 1's SSH port on the build VM's default, 11022.
PORT_CLASH_HINT = ("a childhurd forwards ports 10022 (SSH), 11004 (secrets) and 15900 (VNC) "
                   "+ 1000 × its id (as in Guix: id 1's SSH port is the build VM's default, "
                   "11022): give the childhurd another id, e.g. (id 2), or set explicit "
                   "ports (the childhurd's net-options, or the other service's "
                   "port-forwardings)")


def _default_net_options(config) -> bool:
    return [pystr(o) for o in to_list(config["net-options"])] == net_options(config)


def hurd_vm_build_machines(config) -> Any:
    if not config["offloading?"]:
        return NIL
    return from_list([offload_machine(
        service=shepherd_names(config)[0], port=ports(config)["ssh"], systems=["i586-gnu"],
        host_key_file=f"{pystr(config['secret-root'])}/etc/ssh/ssh_host_ed25519_key.pub",
        private_key=offloading_key(config), overload_threshold=1.8)])


hurd_vm_service_type = ServiceType("hurd-vm", [
    ServiceExtension(shepherd_root_service_type, hurd_vm_shepherd_service),
    ServiceExtension(account_service_type, hurd_vm_accounts),
    ServiceExtension(activation_service_type, hurd_vm_activation),
    ServiceExtension(guix_service_type, hurd_vm_build_machines),
    ServiceExtension(network_ports_service_type, hurd_vm_claims)],
    default_value=HURD_VM_CONFIGURATION.make(),
    description="Provide a virtual machine (VM) running GNU/Hurd, also known as a "
                "childhurd.", module=MODULE_NAME)
