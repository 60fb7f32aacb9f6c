"""Entry point of the `vsys` command (vsys.cli dispatches it)."""

import os
import sys

from vsys.cli import main as cli_main


def main() -> None:
    try:
        status = cli_main(sys.argv[1:])
        sys.stdout.flush()
    except BrokenPipeError:
        # Whoever read our output stopped (`vsys ... | head`): end quietly, as shell tools
        # do, and keep Python from complaining again when it flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        status = 141
    sys.exit(status)


if __name__ == "__main__":
    main()
