"""`vsys exec [--root DIR] -- COMMAND ARGS...`: run a command in a root's running
container, as its root user, with util-linux's nsenter (the process becomes nsenter,
then the command: its exit status is the command's).  vsys's own failures exit 125,
as `env` and container runners do, so they are not taken for the command's."""

from __future__ import annotations

import os
import sys

from .. import state
from ..commands import COMMANDS
from . import running

EXIT_VSYS = 125
USAGE = COMMANDS["exec"].usage
PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def main(args: list[str]) -> int:
    root = None
    while args and args[0] != "--":
        if args[0] == "--root" and len(args) > 1 and args[1] != "--":
            root, args = args[1], args[2:]
        elif args[0].startswith("--root="):
            root, args = args[0].split("=", 1)[1], args[1:]
        elif args[0] in ("-h", "--help"):
            sys.stdout.write(f"usage: {USAGE}\n")
            return 0
        elif args[0].startswith("-"):
            sys.stderr.write(f"vsys exec: unknown option {args[0]} (the command goes "
                             f"after --)\nusage: {USAGE}\n")
            return 2
        else:
            break
    if args[:1] == ["--"]:
        args = args[1:]
    if not args:
        sys.stderr.write(f"vsys exec: no command given\nusage: {USAGE}\n")
        return 2
    root = os.path.realpath(root or state.default_root())
    if root == "/":
        sys.stderr.write("vsys exec: the root / is this host, which runs no container: "
                         "run the command directly\n")
        return EXIT_VSYS
    info = running(root)
    if info is None:
        flag = "" if root == os.path.realpath(state.default_root()) else " --root " + root
        sys.stderr.write(f"vsys exec: no container runs for the root {root}; start one with "
                         f"`vsys reconfigure FILE{flag}`\n")
        return EXIT_VSYS
    pid = str(info["pid"])
    command = ["nsenter", "--target", pid, "--mount", "--uts", "--ipc", "--net", "--pid",
               "--root", "--wd"]     # the working directory of its init: /
    if info.get("user-namespace"):
        command += ["--user", "--preserve-credentials"]
    env = {"PATH": PATH, "HOME": "/root", "LANG": "C.UTF-8", "USER": "root",
           "LOGNAME": "root", "TERM": os.environ.get("TERM", "dumb")}
    try:
        os.execvpe("nsenter", command + ["--", *args], env)
    except OSError as e:
        sys.stderr.write(f"vsys exec: cannot run nsenter (util-linux): {e.strerror}\n")
        return EXIT_VSYS
