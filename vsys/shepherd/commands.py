"""Command lines of `vsys herd`, `vsys shepherd`, `vsys secret-service` and `vsys binfmt`.

Parsed by hand so that none of them imports Typer; `vsys.cli` dispatches here."""

from __future__ import annotations

import os
import sys

USAGE = {
    "herd": "vsys herd [--root DIR] status [SERVICE] | start|stop|restart|enable|disable|doc|log "
            "SERVICE | ACTION SERVICE [ARGS] | schedule SERVICE [N] | stop root",
    "shepherd": "vsys shepherd [--root DIR] [--services DIR] [--daemonize]",
    "secret-service": "vsys secret-service receive --port P --root DIR [--timeout S] "
                      "[--address A]\n"
                      "       vsys secret-service send --port P --root DIR "
                      "[--handshake-timeout S] [--tries N]",
    "binfmt": "vsys binfmt match FILE [--root DIR]\n       vsys binfmt list [--root DIR]",
}


class UsageError(Exception):
    pass


def _options(args: list[str], known: dict[str, bool]) -> tuple[dict[str, str | bool], list[str]]:
    """--NAME VALUE / --NAME=VALUE / --FLAG options (KNOWN: name -> takes a value)."""
    opts: dict[str, str | bool] = {}
    rest = []
    i = 0
    while i < len(args):
        a = args[i]
        if a.startswith("--") and len(a) > 2:
            name, eq, value = a[2:].partition("=")
            if name not in known:
                raise UsageError(f"unknown option --{name}")
            if known[name]:
                if not eq:
                    if i + 1 >= len(args):
                        raise UsageError(f"--{name} needs a value")
                    value = args[i + 1]
                    i += 1
                opts[name] = value
            else:
                opts[name] = True
        else:
            rest.append(a)
        i += 1
    return opts, rest


def _number(opts, name: str, default, kind=float):
    try:
        return kind(opts.get(name, default))
    except ValueError:
        raise UsageError(f"--{name}: not a number: {opts[name]}") from None


def shepherd(args: list[str]) -> int:
    from .. import state
    opts, rest = _options(args, {"root": True, "services": True, "daemonize": False})
    if rest:
        raise UsageError(f"unexpected argument {rest[0]}")
    from .daemon import run
    root = str(opts.get("root") or state.default_root())
    services = opts.get("services")
    return run(root, os.path.abspath(str(services)) if services else None,
               bool(opts.get("daemonize")))


def secret_service(args: list[str]) -> int:
    if not args or args[0] not in ("receive", "send"):
        raise UsageError("give `receive` or `send`")
    opts, rest = _options(args[1:], {"port": True, "root": True, "timeout": True,
                                     "handshake-timeout": True, "tries": True,
                                     "address": True})
    if rest or "port" not in opts or "root" not in opts:
        raise UsageError("--port and --root are required")
    port = _number(opts, "port", 0, int)
    root = str(opts["root"])
    from .secrets import SecretServiceError, receive_secrets, send_secrets
    try:
        if args[0] == "receive":
            def ready(p):
                sys.stderr.write(f"secret-service: listening on {address}:{p}\n")
                sys.stderr.flush()
            address = str(opts.get("address") or "127.0.0.1")
            files = receive_secrets(port, root, _number(opts, "timeout", 600.0), ready,
                                    address)
            for f in files:
                sys.stdout.write(f"installed {f}\n")
        else:
            count = send_secrets(port, root, _number(opts, "handshake-timeout", 180.0),
                                 _number(opts, "tries", 60, int))
            sys.stdout.write(f"sent {count} file(s)\n")
    except (SecretServiceError, OSError) as e:
        sys.stderr.write(f"vsys secret-service: {e}\n")
        return 1
    return 0


def binfmt(args: list[str]) -> int:
    from .. import state
    from . import binfmt as bf
    if not args or args[0] not in ("match", "list"):
        raise UsageError("give `match FILE` or `list`")
    opts, rest = _options(args[1:], {"root": True})
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


def main(command: str, args: list[str]) -> int:
    if command == "herd":
        from .client import main as herd_main
        return herd_main(args)
    handler = {"shepherd": shepherd, "secret-service": secret_service, "binfmt": binfmt}[command]
    if any(a in ("-h", "--help") for a in args):
        sys.stdout.write(f"usage: {USAGE[command]}\n")
        return 0
    try:
        return handler(args)
    except UsageError as e:
        sys.stderr.write(f"vsys {command}: {e}\nusage: {USAGE[command]}\n")
        return 2
