"""Running the console tour of a Markdown file as a reader would type it.

The tour is made of the fenced blocks whose info string is `console`:

    ```console
    $ vsys eval '(+ 1 2)'
    3
    $ vsys herd status no-such-service
    ...
    [exit 3]
    ```

A line starting with `$ ` is a command (a trailing backslash continues it on the next
line), run by bash from the repository root.  The lines after it, up to the next `$ `,
are its expected output: each non-empty line must appear, in that order, in what the
command printed (stdout and stderr together, as a terminal shows them).  A line appears
when it is found within one output line, whitespace at both ends ignored and any run
of spaces or tabs matching any other; `...` inside a line stands for any text, and a
line that is exactly `...` only marks output left out.
The command must exit 0, unless the last expected line is `[exit N]`.

Every block of a file runs in order in one environment: a private state directory
(VSYS_STATE_DIR) and home, the repository's .venv/bin first on PATH, a fixed 80-column
width and no colours, so a tour can reconfigure, look at `herd status`, then roll back.
At the end, every supervisor the tour may have started is stopped (`vsys herd stop root`,
for the sandbox root and for each `--root DIR` the tour named).

A command that fails because the host lacks a program (vsys names its Debian package)
makes the tour skip, naming the package, except under CI=true, where it is a failure:
CI installs the host programs.  Commands that would manage the real host (`sudo`,
`--root /`) or run the test suite itself are refused.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass, field

from support.cli import VSYS
from support.paths import REPO as ROOT

IN_CI = os.environ.get("CI") == "true"
TIMEOUT = 120
SHOWN_LINES = 60

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)")
EXIT = re.compile(r"^\[exit (\d+)\]$")
MISSING = (re.compile(r"install the host package `([^`]+)`"),
           re.compile(r"is not installed \(Debian package ([^)]+)\)"))
REFUSED = ((re.compile(r"(^|[\s;&|(])sudo\s"), "it would need root privileges"),
           (re.compile(r"--root(=|\s+)/(\s|$|[;&|])"), "it would manage the real host"),
           (re.compile(r"(^|[\s;&|])make(\s+-\S+)*\s+test\b|\bpytest\b"),
            "it would run the test suite from inside it"))


class TourError(Exception):
    """A tour that does not work as written; the message says where and why."""


class TourSkipped(Exception):
    """A tour that cannot run on this host (a host program is missing)."""


@dataclass
class Command:
    file: str
    line: int                    # of the `$ `, 1-based
    text: str
    expected: list[str] = field(default_factory=list)
    exit: int = 0

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


# --- reading --------------------------------------------------------------------------------

def console_blocks(text: str) -> list[tuple[int, list[str]]]:
    """(line number of the first line inside, lines) of every `console` block."""
    blocks = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        fence, info = m.group(1), m.group(2)
        body_start = i + 1
        j = body_start
        closing = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}\s*$")
        while j < len(lines) and not closing.match(lines[j]):
            j += 1
        if info == "console":
            blocks.append((body_start + 1, lines[body_start:j]))
        i = j + 1
    return blocks


def parse(text: str, file: str = "README.md") -> list[Command]:
    """The commands of every console block, in order, with their expected output."""
    commands: list[Command] = []
    for first, lines in console_blocks(text):
        current: Command | None = None
        k = 0
        while k < len(lines):
            line, number = lines[k], first + k
            if line.startswith("$ ") or line == "$":
                command = line[2:]
                while command.endswith("\\") and k + 1 < len(lines):
                    k += 1
                    command += "\n" + lines[k]       # bash joins the lines
                current = Command(file, number, command.strip())
                if not current.text:
                    raise TourError(f"{file}:{number}: an empty command")
                commands.append(current)
            elif line.strip():
                if current is None:
                    raise TourError(f"{file}:{number}: output before any `$ ` command: "
                                    f"{line.strip()!r}")
                current.expected.append(line.strip())
            k += 1
    for command in commands:
        last = EXIT.match(command.expected[-1]) if command.expected else None
        if last:
            command.expected.pop()
            command.exit = int(last.group(1))
    return commands


# --- matching -------------------------------------------------------------------------------

def _pattern(expected: str) -> re.Pattern:
    def words(part: str) -> str:
        return r"\s+".join(re.escape(w) for w in re.split(r"\s+", part))
    return re.compile(".*".join(words(part) for part in expected.split("...")))


def first_missing(expected: list[str], output: str) -> int | None:
    """The index of the first expected line not found in order in OUTPUT, or None."""
    lines = [ln.strip() for ln in output.splitlines()]
    at = 0
    for index, want in enumerate(expected):
        want = want.strip()
        if want == "...":
            continue
        pattern = _pattern(want)
        while at < len(lines) and not pattern.search(lines[at]):
            at += 1
        if at == len(lines):
            return index
        at += 1
    return None


# --- running --------------------------------------------------------------------------------

class Tour:
    def __init__(self, base: str, root: str = ROOT):
        self.root = root
        self.state = os.path.join(base, "state")
        self.home = os.path.join(base, "home")
        os.makedirs(self.state, exist_ok=True)
        os.makedirs(self.home, exist_ok=True)
        self.roots: list[str] = []         # --root DIRs the tour named
        bins = [os.path.join(root, ".venv", "bin"), os.path.dirname(sys.executable)]
        self.env = dict(os.environ)
        for name in ("XDG_STATE_HOME", "VSYS_CRASH_AT", "VSYS_LOAD_PATH", "FORCE_COLOR"):
            self.env.pop(name, None)
        self.env.update(VSYS_STATE_DIR=self.state, HOME=self.home, COLUMNS="80",
                        NO_COLOR="1", TERM="dumb", GUILE_AUTO_COMPILE="0",
                        PATH=os.pathsep.join(list(dict.fromkeys(bins))
                                             + [os.environ.get("PATH", "")]))

    def run(self, command: Command) -> tuple[int, str]:
        for pattern, why in REFUSED:
            if pattern.search(command.text):
                raise TourError(f"{command.where}: `$ {command.text}` is not run in a "
                                f"test: {why}")
        self._note_roots(command.text)
        try:
            done = subprocess.run(["bash", "-c", command.text], cwd=self.root, env=self.env,
                                  stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, timeout=TIMEOUT, check=False)
        except subprocess.TimeoutExpired as e:
            output = (e.output or b"").decode("utf-8", "replace")
            raise TourError(f"{command.where}: `$ {command.text}` still ran after "
                            f"{TIMEOUT} s\n{_shown(output)}") from None
        return done.returncode, done.stdout.decode("utf-8", "replace")

    def check(self, command: Command, code: int, output: str) -> None:
        missing = first_missing(command.expected, output)
        if code == command.exit and missing is None:
            return
        packages = missing_packages(output)
        if packages and not IN_CI:
            raise TourSkipped(f"{command.where}: `$ {command.text}` needs "
                              f"{', '.join(packages)} (not installed on this host)")
        if code != command.exit:
            problem = f"exited {code}, expected {command.exit}"
        else:
            problem = f"did not print {command.expected[missing]!r} (in order)"
        expected = [(">> " if i == missing else "   ") + line
                    for i, line in enumerate(command.expected)]
        raise TourError(f"{command.where}: `$ {command.text}` {problem}\n"
                        f"--- its output ---\n{_shown(output)}\n"
                        f"--- expected, in order ---\n"
                        + ("\n".join(expected) or "   (nothing)")
                        + (f"\n[exit {command.exit}]" if command.exit else ""))

    def stop_supervisors(self) -> None:
        """`vsys herd stop root` for the sandbox root and every root the tour named,
        errors ignored."""
        vsys = [*VSYS, "herd"]
        for root in [None] + self.roots:
            args = vsys + (["--root", root] if root else []) + ["stop", "root"]
            try:
                subprocess.run(args, cwd=self.root, env=self.env, stdin=subprocess.DEVNULL,
                               capture_output=True, timeout=60, check=False)
            except (OSError, subprocess.TimeoutExpired):
                pass

    def _note_roots(self, text: str) -> None:
        try:
            words = shlex.split(text, comments=True)
        except ValueError:
            return
        for i, word in enumerate(words):
            root = None
            if word == "--root" and i + 1 < len(words):
                root = words[i + 1]
            elif word.startswith("--root="):
                root = word.split("=", 1)[1]
            if root:
                if root == "~" or root.startswith("~/"):
                    root = self.home + root[1:]
                path = os.path.join(self.root, root)
                if path not in self.roots:
                    self.roots.append(path)


def missing_packages(output: str) -> list[str]:
    """The Debian packages vsys said are missing where it failed (warnings of a build
    that went on are not failures)."""
    found: list[str] = []
    for line in output.splitlines():
        if "warning:" in line:
            continue
        for pattern in MISSING:
            for m in pattern.finditer(line):
                if m.group(1) not in found:
                    found.append(m.group(1))
    return found


def _shown(output: str) -> str:
    lines = output.rstrip("\n").splitlines()
    if len(lines) > SHOWN_LINES:
        lines = [f"[{len(lines) - SHOWN_LINES} earlier lines left out]"] + lines[-SHOWN_LINES:]
    return "\n".join(lines) or "(no output)"


def run_tour(commands: list[Command], base: str, root: str = ROOT) -> list[Command]:
    """Run COMMANDS in order in a fresh environment under BASE; raise TourError at the
    first that does not work as written.  Returns the commands run."""
    tour = Tour(base, root)
    try:
        for command in commands:
            code, output = tour.run(command)
            tour.check(command, code, output)
    finally:
        tour.stop_supervisors()
    return commands
