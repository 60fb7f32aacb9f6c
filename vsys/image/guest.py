"""The part of an image build that runs inside the guest's tree (chroot), with the
guest's own vsys and Python: build the config's system against the guest's packages,
activate it into `/` (accounts, /etc, keys), and have systemd start the supervisor.

Run as `python3 -m vsys.image.guest CONFIG`; prints the services directory last.
"""

from __future__ import annotations

import os
import sys

from . import recipe


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        sys.stderr.write("usage: python3 -m vsys.image.guest CONFIG\n")
        return 2
    os.environ["VSYS_STATE_DIR"] = recipe.STATE_DIR
    from ..generations import Profile
    from ..console import report_errors
    from ..reconfigure import build_and_write
    from ..roots import Lock
    from ..switching import activate

    def work() -> int:
        build = build_and_write(argv[0], [])
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
