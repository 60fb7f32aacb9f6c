"""The command lines of `vsys shepherd`, `vsys secret-service` and `vsys binfmt`, read
with vsys.options so that none of them imports Typer (vsys.commands names these
functions; `vsys herd` is vsys.shepherd.client's).  Each takes the words after the
command's name and returns the exit status; a usage error is raised as UsageError."""

from __future__ import annotations

import os
import sys

from .. import state
from ..commands import COMMANDS
from ..container import TOKEN, ContainerError, set_up
from ..container.launch import start
from ..options import UsageError, parse
from ..rootfs import UnsafeRoot
from . import binfmt as bf
from . import protocol
from .client import stop_root
from .daemon import run
from .secrets import SecretServiceError, receive_secrets, send_secrets


def _number(opts, name: str, default, kind=float):
    try:
        return kind(opts.get(name, default))
    except ValueError:
        raise UsageError(f"--{name}: not a number: {opts[name]}") from None


def shepherd(args: list[str]) -> int:
    if _asks_help("shepherd", args):
        return 0
    opts, rest = parse(args, {"root": "a value", "services": "a value", "daemonize": None,
                              "container": None, "contained": None, "network": "a value"})
    if rest:
        raise UsageError(f"unexpected argument {rest[0]}")
    root = str(opts.get("root") or state.default_root())
    services = opts.get("services")
    services = os.path.abspath(str(services)) if services else None
    if opts.get("network") not in (None, "host"):
        raise UsageError(f"--network takes `host`, not `{opts['network']}`")
    if opts.get("container") and os.path.realpath(root) != "/":
        # The supervisor itself runs inside, started again with --contained.
        if not services:
            raise UsageError("--container needs --services DIR")
        try:
            return start(root, services, bool(opts.get("daemonize")),
                         share_net=opts.get("network") == "host",
                         connect=protocol.connect, stop_root=stop_root)
        except ContainerError as e:
            sys.stderr.write(f"vsys shepherd: {e}\n")
            return 1
    if opts.get("contained"):
        if not set_up(root):
            sys.stderr.write(f"vsys shepherd: the container of {root} was not set up to the "
                             f"end (what started it stopped first): not starting\n")
            return 1
        del os.environ[TOKEN]          # the services have no use for it
    return run(root, services, bool(opts.get("daemonize")), bool(opts.get("contained")))


def secret_service(args: list[str]) -> int:
    if _asks_help("secret-service", args):
        return 0
    if not args or args[0] not in ("receive", "send"):
        raise UsageError("give `receive` or `send`")
    opts, rest = parse(args[1:], {"port": "a value", "root": "a value", "timeout": "a value",
                                  "handshake-timeout": "a value", "tries": "a value",
                                  "address": "a value", "allow-setuid": None})
    if rest or "port" not in opts or "root" not in opts:
        raise UsageError("--port and --root are required")
    port = _number(opts, "port", 0, int)
    root = str(opts["root"])
    try:
        if args[0] == "receive":
            address = str(opts.get("address", "127.0.0.1"))

            def ready(p):
                sys.stderr.write(f"secret-service: listening on {address}:{p}\n")
                sys.stderr.flush()
            files = receive_secrets(port, root, _number(opts, "timeout", 600.0), ready,
                                    address=address,
                                    allow_setuid=bool(opts.get("allow-setuid")))
            for f in files:
                sys.stdout.write(f"installed {f}\n")
        else:
            count = send_secrets(port, root, _number(opts, "handshake-timeout", 180.0),
                                 _number(opts, "tries", 60, int))
            sys.stdout.write(f"sent {count} file(s)\n")
    except (SecretServiceError, OSError, UnsafeRoot) as e:
        sys.stderr.write(f"vsys secret-service: {e}\n")
        return 1
    return 0


def binfmt(args: list[str]) -> int:
    if _asks_help("binfmt", args):
        return 0
    if not args or args[0] not in ("match", "list"):
        raise UsageError("give `match FILE` or `list`")
    opts, rest = parse(args[1:], {"root": "a value"})
    root = os.path.realpath(str(opts.get("root") or state.default_root()))
    directory = bf.KERNEL_DIR if root == "/" else os.path.join(root, bf.KERNEL_DIR.lstrip("/"))
    if args[0] == "list":
        if rest:
            raise UsageError(f"unexpected argument {rest[0]}")
        for e in bf.entries(directory):
            sys.stdout.write(f"{e.name} {'enabled' if e.enabled else 'disabled'} {e.interpreter}\n")
        return 0
    if len(rest) != 1:
        raise UsageError("give one FILE")
    try:
        found = bf.match(directory, rest[0])
    except OSError as e:
        sys.stderr.write(f"vsys binfmt: {rest[0]}: {e.strerror}\n")
        return 2
    if not found:
        sys.stderr.write(f"vsys binfmt: no registered entry in {directory} matches {rest[0]}\n")
        return 1
    sys.stdout.write(f"entry: {found[0].name}\ninterpreter: {found[0].interpreter}\n"
                     f"flags: {found[0].flags}\n")
    return 0


def _asks_help(command: str, args: list[str]) -> bool:
    """`--help` anywhere among ARGS: print the usage (no word of these commands is ever
    a program's)."""
    if any(a in ("-h", "--help") for a in args):
        sys.stdout.write(f"usage: {COMMANDS[command].usage}\n")
        return True
    return False
