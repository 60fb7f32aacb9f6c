"""`vsys herd`: talk to the supervisor of a root and print its answers.

Imports only the standard library's basics, so that `vsys herd status` answers in a
few tens of milliseconds.

Exit codes (for scripts):
  0  done
  1  the supervisor tried and failed (a start that failed, an action that failed)
  2  usage error
  3  unknown service or action (the message names any close ones)
  4  no supervisor runs for this root
  5  the supervisor speaks another protocol version
"""

from __future__ import annotations

import os
import re
import shlex
import sys
import textwrap
import time

from .. import state
from ..container.mounts import host_path
from . import protocol

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_UNKNOWN, EXIT_NO_SUPERVISOR, EXIT_VERSION = range(6)
KIND_EXIT = {"failed": EXIT_FAILED, "usage": EXIT_USAGE, "unknown-service": EXIT_UNKNOWN,
             "unknown-action": EXIT_UNKNOWN, "version": EXIT_VERSION, "busy": EXIT_FAILED}

# The commands of `vsys herd` itself; any other word is a custom action of the service.
HERD_COMMANDS = protocol.BUILTIN + ("schedule",)

USAGE = """\
usage: vsys herd [--root DIR] COMMAND [SERVICE] [ARGS...]
  status [SERVICE] [-n N]   list services, or one service in detail with N log lines
  start|stop|restart SERVICE
  enable|disable SERVICE    allow or forbid starting (and respawning) it
  doc SERVICE               its documentation and actions
  doc SERVICE list-actions | action ACTION
  log SERVICE [-n N]        its recent log lines
  ACTION SERVICE [ARGS...]  a custom action of the service (e.g. configuration)
  schedule SERVICE [N]      the next N runs of an mcron service's jobs
  stop root                 stop every service, then the supervisor
exit codes: 0 done, 1 failed, 2 usage, 3 unknown service or action,
  4 no supervisor for the root, 5 protocol version mismatch"""


class HerdError(Exception):
    def __init__(self, message: str, code: int):
        super().__init__(message)
        self.code = code


def _how_to_start(root: str) -> str:
    """What to run to get a supervisor: the current generation's services if the root has
    one (only on this error path do we look, to keep the client's start-up lean)."""
    try:
        # ~10 ms (secrets, json), paid only when no supervisor answers.
        from ..generations import Profile  # noqa: PLC0415
        current = Profile(root).current()
    except Exception:       # no profile, unreadable state: fall back to the general advice
        current = None
    if current is None:
        return "`vsys reconfigure CONFIG.scm` activates a system and starts one"
    services = os.path.join(os.path.realpath(current.path), "services")
    return (f"start one for the current generation with `vsys shepherd --root {root} "
            f"--services {services} --daemonize"
            f"{' --container' if os.path.realpath(root) != '/' else ''}`")


def stop_root(root: str) -> bool:
    """Ask ROOT's supervisor to stop its services and exit, as `herd stop root` does;
    False when it cannot be asked."""
    try:
        call(root, protocol.request("stop", "root"), timeout=60)
    except HerdError:
        return False
    return True


def call(root: str, message: dict, timeout: float | None = None) -> dict:
    path = state.socket_path(root)
    try:
        sock = protocol.connect(path, 5.0)
    except (FileNotFoundError, ConnectionRefusedError):
        raise HerdError(f"no supervisor is running for the root {root}; "
                        f"{_how_to_start(root)}", EXIT_NO_SUPERVISOR) from None
    except PermissionError:
        raise HerdError(f"permission denied on {path}: the supervisor belongs to another user",
                        EXIT_NO_SUPERVISOR) from None
    except OSError as e:
        raise HerdError(f"cannot reach the supervisor at {path}: {e}", EXIT_NO_SUPERVISOR) from None
    with sock:
        sock.settimeout(timeout)
        try:
            protocol.send(sock, message)
            reply = protocol.receive(sock)
        except protocol.ProtocolError as e:
            raise HerdError(f"bad reply from the supervisor: {e}", EXIT_FAILED) from None
        except OSError as e:
            raise HerdError(f"lost the connection to the supervisor at {path}: "
                            f"{e.strerror or e}", EXIT_FAILED) from None
    if reply is None:
        raise HerdError("the supervisor closed the connection without answering", EXIT_FAILED)
    if reply.get("version") != protocol.VERSION:
        raise HerdError(f"the supervisor speaks protocol version {reply.get('version')}, "
                        f"this client {protocol.VERSION}", EXIT_VERSION)
    if not reply.get("ok"):
        err = reply.get("error") or {}
        raise HerdError(err.get("message", "request failed"), KIND_EXIT.get(err.get("kind"), 1))
    return reply.get("result")


def _when(t: float | None) -> str:
    if not t:
        return "an unknown time"
    ago = max(0, int(time.time() - t))
    if ago < 60:
        rel = f"{ago} second{'s' if ago != 1 else ''} ago"
    elif ago < 3600:
        rel = f"{ago // 60} minute{'s' if ago // 60 != 1 else ''} ago"
    elif ago < 86400:
        rel = f"{ago // 3600} hour{'s' if ago // 3600 != 1 else ''} ago"
    else:
        rel = f"{ago // 86400} day{'s' if ago // 86400 != 1 else ''} ago"
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(t)) + f" ({rel})"


def format_list(result: dict) -> list[str]:
    started, stopped, one_shot, failed, host = [], [], [], [], []
    busy: dict[str, list[str]] = {"starting": [], "stopping": []}
    for s in sorted(result["services"], key=lambda s: s["name"]):
        name = s["name"]
        if s.get("host-milestone"):
            host.append(name)
        elif s["status"] in busy:           # not started (or stopped) until confirmed
            busy[s["status"]].append(f" ~ {name}")
        elif s["status"] == "running":
            started.append(f" + {name}")
        elif s["status"] == "done":
            one_shot.append(f" * {name}")
        elif s["failed"] and s["enabled"]:
            failed.append(f" ! {name}")
        else:
            stopped.append(f" - {name}" + ("" if s["enabled"] else " (disabled)"))
    lines = [f"Root: {result['root']}", "Started:", *started]
    for condition, names in busy.items():
        if names:
            lines += [f"{condition.capitalize()}:", *names]
    lines += ["Stopped:", *stopped]
    if one_shot:
        lines += ["One-shot:", *one_shot]
    if failed:
        lines += ["Failed to start:", *failed]
    if host:
        # The base services a config lists are the host's own job on a vsys machine: they
        # are always up and start nothing, so they get one wrapped list, not a line each.
        lines.append(f"Provided by the host ({len(host)}):")
        lines.extend(textwrap.wrap(", ".join(host), width=88, initial_indent="  ",
                                   subsequent_indent="  ", break_on_hyphens=False))
    return lines


def _first_option_value(text: str) -> str:
    """The value at the start of a QEMU `value,key=value...` text (doubled commas are
    commas of the value)."""
    return re.match(r"(?:[^,]|,,)*", text).group(0).replace(",,", ",")


def format_service(s: dict) -> list[str]:
    lines = [f"Status of {s['name']}:"]
    st = s["status"]
    if s["host-milestone"]:
        lines.append("  It is provided by the host and always started.")
    elif st == "running":
        lines.append(f"  It is running since {_when(s['since'])}.")
    elif st in ("starting", "stopping"):
        lines.append(f"  It is {st}.")
    elif st == "done":
        lines.append(f"  It is a one-shot service that completed at {_when(s['since'])}.")
    elif s["failed"]:
        lines.append("  It failed to start.")
    else:
        lines.append("  It is stopped.")
    if s["pid"]:
        lines.append(f"  Main PID: {s['pid']}")
    if s["command"] and st in ("running", "starting", "stopping"):
        lines.append(f"  Command: {' '.join(shlex.quote(a) for a in s['command'])}")
    if s.get("qmp-status"):
        lines.append(f"  QEMU status: {s['qmp-status']}")
    agent = [_first_option_value(a[len("socket,id=vsys-qga,path="):])
             for a in s["command"] or [] if a.startswith("socket,id=vsys-qga,path=")]
    if agent and st in ("running", "starting"):
        lines += agent_lines(s.get("container-root"), agent[0])
    lines.append("  It is enabled." if s["enabled"] else "  It is disabled.")
    lines.append(f"  Provides: {' '.join(s['provision'])}")
    lines.append(f"  Requires: {' '.join(s['requirement']) or 'nothing'}")
    if not s["host-milestone"]:
        lines.append("  Will be respawned." if s["respawn"] else "  Will not be respawned.")
    if s["last-exit"]:
        at = s["last-exit"].get("at")
        lines.append(f"  Last exit: {s['last-exit']['text']}" + (f", {_when(at)}." if at else "."))
    if s["message"]:
        lines.append(f"  Note: {s['message']}")
    if s["pending-restart"]:
        lines.append("  Its definition changed: restart it to use the new one.")
    if s.get("log"):
        lines += ["", "  Recent messages:"] + [f"    {ln}" for ln in s["log"]]
    return lines


# The longest path a socket address holds (sun_path, with its terminating NUL).
SOCKET_PATH_MAX = 107


def agent_lines(root: str | None, path: str) -> list[str]:
    """Where a VM's guest agent answers.  Seen from the host, a contained VM's socket is
    under the root, where the path may be too long to connect to: then the command that
    reaches it from inside the container, where the path is short."""
    shown = host_path(root, path)
    lines = [f"  Guest agent: {shown}"]
    if root and shown != path and len(os.fsencode(shown)) > SOCKET_PATH_MAX:
        lines.append(f"  (too long a path to connect to; in the container: vsys exec --root "
                     f"{shlex.quote(root)} -- socat - UNIX-CONNECT:{shlex.quote(path)})")
    return lines


def _lines_option(args: list[str], default: int) -> tuple[list[str], int]:
    rest, count, i = [], default, 0
    while i < len(args):
        a = args[i]
        if a in ("-n", "--lines"):
            if i + 1 == len(args):
                raise HerdError(f"{a} needs a number of lines", EXIT_USAGE)
            count = _int(args[i + 1], a, least=0)
            i += 2
            continue
        if a.startswith("--lines="):
            count = _int(a.split("=", 1)[1], "--lines", least=0)
        else:
            rest.append(a)
        i += 1
    return rest, count


# Counts beyond this are refused rather than sent on (a log has fewer lines, mcron
# computes no more runs).
MAX_COUNT = 1_000_000


def _int(text: str, what: str, least: int) -> int:
    if not re.fullmatch(r"[+-]?[0-9]{1,18}", text.strip()):
        raise HerdError(f"not a number: {protocol.shown(text)}", EXIT_USAGE)
    number = int(text)
    if number < least:
        raise HerdError(f"{what} must be {least} or more, not {number}", EXIT_USAGE)
    if number > MAX_COUNT:
        raise HerdError(f"{what} must be at most {MAX_COUNT}, not {number}", EXIT_USAGE)
    return number


def _check_word(word: str) -> None:
    """Refuse a word no service, action or option can be: empty, with control
    characters (a NUL, a newline), or absurdly long."""
    if not word:
        raise HerdError("an empty word is no command, service or argument", EXIT_USAGE)
    if not word.isprintable():
        raise HerdError(f"`{protocol.shown(word)}` contains control characters", EXIT_USAGE)
    if len(word) > 4096:
        raise HerdError(f"a word of {len(word)} characters is too long (at most 4096)",
                        EXIT_USAGE)


def _unexpected(words: list[str], extra: list[str], allowed: str = "nothing") -> HerdError:
    """The error for the EXTRA words that came after WORDS (`status sshd extra`): a
    command that ignored them would seem to have done what they asked."""
    return HerdError(f"after `{' '.join(words)}` comes {allowed}, not `{' '.join(extra)}`",
                     EXIT_USAGE)


def herd(argv: list[str], out=sys.stdout) -> int:
    root = None
    args = list(argv)
    while args and args[0].startswith("--root"):
        if args[0] == "--root":
            if len(args) < 2:
                raise HerdError("--root needs a directory", EXIT_USAGE)
            root, args = args[1], args[2:]
        else:
            root, args = args[0].split("=", 1)[1], args[1:]
        if not root:
            raise HerdError("--root needs a directory, not an empty word", EXIT_USAGE)
    if not args or args[0] in ("-h", "--help", "help"):
        out.write(USAGE + "\n")
        return EXIT_OK if args else EXIT_USAGE
    root = os.path.abspath(root or state.default_root())
    for word in args:
        _check_word(word)
    command, rest = args[0], args[1:]
    for word in rest[:1]:
        if not word or not word.isprintable():
            raise HerdError(f"{word!r} is not a service name; `vsys herd status` lists "
                            f"the services", EXIT_USAGE)

    def write(lines: list[str]) -> None:
        if lines:
            out.write("\n".join(lines) + "\n")

    if command == "status":
        rest, count = _lines_option(rest, 10)
        if rest[1:]:
            raise _unexpected([command, rest[0]], rest[1:])
        if rest:
            write(format_service(call(root, protocol.request("status", rest[0], lines=count))))
        else:
            write(format_list(call(root, protocol.request("status"))))
        return EXIT_OK
    if not rest:
        close = _closest_command(command)
        if close:                                       # `herd stat`, `herd strat`
            raise HerdError(f"unknown command `{command}`; did you mean {close}?",
                            EXIT_USAGE)
        raise HerdError(f"`{command}` needs a service name", EXIT_USAGE)
    name, extra = rest[0], rest[1:]
    if command == "log":                  # -n N may come before the service too
        rest, count = _lines_option(rest, 50)
        if not rest:
            raise HerdError("`log` needs a service name", EXIT_USAGE)
        name, extra = rest[0], rest[1:]
        if extra:
            raise _unexpected([command, name], extra)
        write(call(root, protocol.request("log", name, lines=count))["lines"])
        return EXIT_OK
    if command == "doc":
        write(_doc(call(root, protocol.request("doc", name)), extra))
        return EXIT_OK
    if command == "schedule":
        if extra[1:]:
            raise _unexpected([command, name, extra[0]], extra[1:])
        runs = [str(_int(extra[0], "the number of runs", least=1))] if extra else []
        return _show_run(call(root, protocol.request("schedule", name, runs)), out)
    if command in HERD_COMMANDS and extra:     # the others take nothing after the service
        raise _unexpected([command, name], extra)
    if command == "stop" and name == "root":
        result = call(root, protocol.request("stop", "root"))
        write([f"Service {n} has been stopped." for n in result["stopped"]])
        _wait_gone(root)
        # Only `stop root` waits for a container: the other commands do not pay its
        # ~9 ms import (subprocess, threading, the network set-up).
        from ..container.launch import wait_ended  # noqa: PLC0415
        wait_ended(root)        # its container, if it ran in one, is gone too
        write([f"The supervisor of {root} has stopped."])
        return EXIT_OK
    if command in ("start", "stop"):
        result = call(root, protocol.request(command, name))
        done = result["started" if command == "start" else "stopped"]
        verb = "started" if command == "start" else "stopped"
        if not done:
            write([f"Service {name} is already running." if command == "start"
                   else f"Service {name} is not running."])
        write([f"Service {n} has been {verb}." for n in done])
        return EXIT_OK
    if command == "restart":
        result = call(root, protocol.request("restart", name))
        write([f"Service {n} has been stopped." for n in result["stopped"]] +
              [f"Service {n} has been started." for n in result["started"]])
        return EXIT_OK
    if command in ("enable", "disable"):
        call(root, protocol.request(command, name))
        write([f"{'Enabled' if command == 'enable' else 'Disabled'} service {name}."])
        return EXIT_OK
    try:
        result = call(root, protocol.request("action", name, extra, action=command))
    except HerdError as e:
        close = _closest_command(command)
        if close and e.code == EXIT_UNKNOWN and f"no action `{command}`" in str(e):
            raise HerdError(f"{e}; did you mean `vsys herd {close} {name}`?",
                            e.code) from None
        raise
    if "lines" in result:
        write(result["lines"])
        return EXIT_OK
    return _show_run(result, out)


def _doc(s: dict, extra: list[str]) -> list[str]:
    """`doc S`: its documentation and actions; `doc S list-actions`: the action names;
    `doc S action A`: that action's documentation (as Shepherd's herd has them)."""
    actions = {a["name"]: a["documentation"] for a in s["actions"]}
    if not extra:
        lines = [s["documentation"] or f"{s['name']}: no documentation."]
        if actions:
            lines += ["Actions:"] + [f"  {n}: {d}".rstrip(": ") for n, d in actions.items()]
        return lines
    if extra == ["list-actions"]:
        return list(actions)
    if len(extra) == 2 and extra[0] == "action":
        if extra[1] in actions:
            return [actions[extra[1]] or f"{extra[1]}: no documentation."]
        known = f"its actions: {', '.join(actions)}" if actions else "it has no custom actions"
        raise HerdError(f"service {s['name']} has no action `{extra[1]}`; {known}",
                        EXIT_UNKNOWN)
    raise _unexpected(["doc", s["name"]], extra, "nothing, `list-actions` or `action ACTION`")


def _closest_command(word: str) -> str | None:
    """The herd command WORD was probably meant to be (None if it is one, or none is
    close): the one it begins (`stat`), else the most similar (`strat`)."""
    if word in HERD_COMMANDS:
        return None
    close = protocol.close_names(word, HERD_COMMANDS, n=1)
    return close[0] if close else None


def _show_run(result: dict, out) -> int:
    out.write(result["output"])
    if result["errors"]:
        sys.stderr.write(result["errors"])
    return EXIT_OK if result["status"] == 0 else EXIT_FAILED


def _wait_gone(root: str, timeout: float = 15.0) -> None:
    path = state.socket_path(root)
    deadline = time.monotonic() + timeout
    while os.path.exists(path) and time.monotonic() < deadline:
        time.sleep(0.02)


def main(argv: list[str]) -> int:
    try:
        return herd(argv)
    except HerdError as e:
        sys.stderr.write(f"herd: error: {e}\n")
        if e.code == EXIT_USAGE:
            sys.stderr.write(USAGE.splitlines()[0] + "\n")
        return e.code
    except KeyboardInterrupt:
        return 130

