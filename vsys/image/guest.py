"""The part of an image build that runs inside the guest's tree (chroot), with the
guest's own vsys and Python: build the config's system against the guest's packages,
activate it into `/` (accounts, /etc, keys), and have systemd start the supervisor.

Run as `python3 -m vsys.image.guest CONFIG [--build-vm NAME]`; prints the services
directory last.
"""

from __future__ import annotations

import os
import sys

from ..building import check_specs, evaluate_and_build, write_build
from ..console import report_errors
from ..generations import Profile
from ..roots import Lock
from ..switching import activate
from . import recipe
from .vm_images import guest_of


def main(argv: list[str]) -> int:
    if len(argv) not in (1, 3) or len(argv) == 3 and argv[1] != "--build-vm":
        sys.stderr.write("usage: python3 -m vsys.image.guest CONFIG [--build-vm NAME]\n")
        return 2
    os.environ["VSYS_STATE_DIR"] = recipe.STATE_DIR

    def work() -> int:
        # With --build-vm NAME, CONFIG is a host's and the system that of its build VM.
        select = None
        if len(argv) == 3:
            select = guest_of(argv[2])
        build = evaluate_and_build(argv[0], [], select=select)
        check_specs(build)
        write_build(build)
        with Lock():
            code = activate("/", build.generation, None, dry_run=False, restart=False,
                            supervise=False)
        if code:
            return code
        services = os.path.join(Profile("/").current_link, "services")
        unit = "/etc/systemd/system/vsys-shepherd.service"
        with open(unit, "w") as f:
            f.write(recipe.shepherd_unit(services))
        sys.stdout.write(f"services: {services}\n")
        return 0
    return report_errors(work, argv[0], False)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
