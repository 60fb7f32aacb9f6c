"""Entry point of the `vsys` command (filled in by vsys.cli)."""

import sys


def main() -> None:
    from vsys.cli import main as cli_main
    sys.exit(cli_main(sys.argv[1:]))


if __name__ == "__main__":
    main()
