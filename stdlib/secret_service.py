"""secret-service-type: the guest side of the secret service.

A VM booted by the build VM or childhurd services gets its secrets (SSH host keys, the
offloading key, a Guix signing key) from the host after QEMU starts: the host connects to
the guest's port 1004 through QEMU's port forwarding and sends the files.  This service
listens on that port when the guest boots, installs the files under / and exits; the
guest's other services wait for it, as in Guix, so sshd starts with the host keys the host
generated for this VM.  An image only needs it when a host service sends it secrets: the
build VM and childhurds do.
"""

from __future__ import annotations

import sys
from typing import Any

from vsys.dsl.datatypes import from_list
from vsys.dsl.errors import wrong_type

from .field_types import in_port_range
from .services import ServiceExtension, ServiceType
from .shepherd import forkexec, shepherd_root_service_type, shepherd_service

DEFAULT_PORT = 1004
# How long the guest waits for the host (a VM started by hand may never be sent
# anything): within the supervisor's limit for a one-shot command, 60 s.
RECEIVE_TIMEOUT = 55


def secret_service_shepherd_service(port: Any) -> Any:
    # The receiver is the vsys that built the system, as the host's sender is.
    argv = [sys.executable, "-m", "vsys", "secret-service", "receive", "--port", str(port),
            "--root", "/", "--address", "0.0.0.0", "--timeout", str(RECEIVE_TIMEOUT)]
    return from_list([shepherd_service(
        documentation="Receive the secrets the host sends over TCP.",
        provision=["secret-service"], requirement=["networking"],
        one_shot=True, start=forkexec(argv, log_file="/var/log/secret-service.log"))])


def _checked_port(value: Any) -> Any:
    if not in_port_range(value):
        raise wrong_type("secret-service-type", 1, "a port number (1 to 65535)", value)
    return value


secret_service_type = ServiceType("secret-service", [
    ServiceExtension(shepherd_root_service_type,
                     lambda v: secret_service_shepherd_service(_checked_port(v)))],
    default_value=DEFAULT_PORT,
    description="Receive secrets (SSH host keys, keys authorized for offloading, the Guix "
                "signing key) from the host over TCP port 1004 (the value) when the guest "
                "boots; every other service of the system waits for them.  Images booted by "
                "the build VM and childhurd services need it: those send the secrets.",
    module="(gnu services virtualization)")
