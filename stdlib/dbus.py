"""(gnu services dbus): the system bus and polkit, run for real.

As in Guix, `dbus-root-service-type` runs the system bus (`dbus-system`) and
`polkit-service-type` the authorization daemon; a service that extends polkit (libvirt
does) brings both into the system.  Both run the host's programs with the host's
configuration (Debian's dbus-daemon reads /usr/share/dbus-1/system.conf, polkitd its
actions under /usr/share/polkit-1); what the system adds goes under /etc
(polkit-1/rules.d, dbus-1/system.d).

In a sandbox's container nothing else runs them.  With `--root /`, the host's init may
already run them: then the bus (or polkit) that answers is the host's, and the service
stands for it — its process watches the host's and exits when that one goes away —
rather than starting a second one on the same socket.
"""

from __future__ import annotations

from typing import Any

from vsys.dsl.datatypes import Symbol, from_list

from .accounts import user_account, user_group
from .files import ShellScript, file_append
from .packages import is_package, lookup_package
from .services import ServiceExtension
from .shepherd import forkexec, kill_destructor, shepherd_root_service_type, shepherd_service
from .system_services import PACKAGE_OR_FILE, account_service_type, list_service_type

SOCKET = "/run/dbus/system_bus_socket"
# vsys's own pid file for the bus, never the daemon's /run/dbus/pid (with the root /, the
# host's bus holds that one).  Written once the bus listens, it tells the supervisor the
# bus is up: a client started after dbus-system (libvirtd) finds the socket, where a bus
# merely alive for a second might still be setting it up under load.
PID_FILE = "/run/vsys/dbus-system.pid"
POLKIT_NAME = "org.freedesktop.PolicyKit1"


def _dbus_call(dbus_send, method: str, *args: str) -> list:
    """A shell command asking the system bus's own object METHOD."""
    return [dbus_send, " --system --print-reply --dest=org.freedesktop.DBus "
            f"/org/freedesktop/DBus org.freedesktop.DBus.{method}",
            "".join(" " + a for a in args)]


def _system_account(name: str) -> list:
    return [user_group(name=name, system=True),
            user_account(name=name, group=name, system=True, comment=f"{name} daemon",
                         home_directory="/nonexistent", create_home_directory=False,
                         shell=file_append(lookup_package("shadow"), "/sbin/nologin"))]


# --- the system bus -------------------------------------------------------------------------

def dbus_start_script():
    dbus = lookup_package("dbus")
    daemon = file_append(dbus, "/bin/dbus-daemon")
    send = file_append(dbus, "/bin/dbus-send")
    return ShellScript("dbus-system-start", [
        "#!/bin/sh\n",
        "mkdir -p /run/dbus /var/lib/dbus /run/vsys\n",
        "# A bus already answering on the socket is the host's (only with the root /).\n",
        "if ", *_dbus_call(send, "GetId"), " >/dev/null 2>&1; then\n",
        f"  echo 'dbus-system: the host runs the system bus ({SOCKET}); this service "
        "stands for it'\n",
        f"  echo $$ >{PID_FILE}\n",
        "  while ", *_dbus_call(send, "GetId"), " >/dev/null 2>&1; do sleep 5; done\n",
        "  echo 'dbus-system: the host system bus has gone away' >&2\n",
        "  exit 1\n",
        "fi\n",
        "rm -f ", SOCKET, "\n",
        # The bus needs a machine id; the container's /etc has none at first.
        file_append(dbus, "/bin/dbus-uuidgen"), " --ensure\n",
        # dbus-daemon prints its pid once it listens on the socket.
        "exec ", daemon, f" --system --nofork --nopidfile --print-pid=3 3>{PID_FILE}\n"])


def dbus_shepherd_service(value: Any) -> Any:
    return from_list([shepherd_service(
        documentation="Run the D-Bus system daemon.", provision=["dbus-system"],
        requirement=["user-processes"],
        start=forkexec([dbus_start_script()], pid_file=PID_FILE),
        stop=kill_destructor())])


dbus_root_service_type = list_service_type(
    "dbus-system", "The system D-Bus (`dbus-system`), extended with packages whose "
    "D-Bus service files it uses (Debian's packages install theirs where the host's "
    "dbus-daemon reads them).", "(gnu services dbus)",
    [ServiceExtension(shepherd_root_service_type, dbus_shepherd_service),
     ServiceExtension(account_service_type,
                      lambda v: from_list(_system_account("messagebus")))],
    element=PACKAGE_OR_FILE)


# --- polkit ---------------------------------------------------------------------------------

def polkit_start_script():
    send = file_append(lookup_package("dbus"), "/bin/dbus-send")
    polkitd = file_append(lookup_package("polkit"), "/lib/polkit-1/polkitd")
    owned = [*_dbus_call(send, "NameHasOwner", f"string:{POLKIT_NAME}"),
             " 2>/dev/null | grep -q 'boolean true'"]
    return ShellScript("polkit-start", [
        "#!/bin/sh\n",
        "# A polkit already on the bus is the host's (only with the root /).\n",
        "if ", *owned, "; then\n",
        "  echo 'polkit: the host runs polkit on its system bus; this service stands "
        "for it'\n",
        "  while ", *owned, "; do sleep 5; done\n",
        "  echo 'polkit: the host polkit has gone away' >&2\n",
        "  exit 1\n",
        "fi\n",
        "exec ", polkitd, " --no-debug\n"])


def polkit_shepherd_service(value: Any) -> Any:
    return from_list([shepherd_service(
        documentation="Run the polkit authorization daemon.", provision=["polkit"],
        requirement=["dbus-system"], start=forkexec([polkit_start_script()]),
        stop=kill_destructor())])


polkit_service_type = list_service_type(
    "polkit", "The polkit authorization service, extended with packages whose "
    "share/polkit-1 actions and rules it uses (the host's polkitd reads the actions "
    "Debian's packages install; rules a service adds go to "
    "/etc/polkit-1/rules.d).", "(gnu services dbus)",
    [ServiceExtension(shepherd_root_service_type, polkit_shepherd_service),
     ServiceExtension(account_service_type, lambda v: from_list(_system_account("polkitd"))),
     ServiceExtension(dbus_root_service_type, lambda v: from_list(
         [p for p in [lookup_package("polkit")] if is_package(p)]))],
    element=PACKAGE_OR_FILE)


def install(module) -> None:
    """The service types of (gnu services dbus)."""
    module.define(Symbol("dbus-root-service-type"), dbus_root_service_type, True)
    module.define(Symbol("polkit-service-type"), polkit_service_type, True)


__all__ = ["dbus_root_service_type", "polkit_service_type"]
