#!/usr/bin/env python3
"""Record Guile's output for the differential corpus.

For every NNN-topic.scm in this directory (or only the files named on the command
line), run `guile --no-auto-compile FILE` and store its exact stdout in NNN-topic.out.
When guile exits with a non-zero status, also store that status in NNN-topic.status;
otherwise remove a stale .status file.

    python tests/corpus/record.py             # re-record everything
    python tests/corpus/record.py 042-foo.scm # re-record one program
    python tests/corpus/record.py --check     # compare without writing; exit 1 on drift
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).resolve().parent
TIMEOUT = 10.0


@dataclass
class Recording:
    stdout: bytes
    status: int


def guile_binary() -> str | None:
    return shutil.which("guile")


def programs(names: list[str] | None = None) -> list[Path]:
    if names:
        return [CORPUS / Path(name).name for name in names]
    return sorted(CORPUS.glob("[0-9][0-9][0-9]-*.scm"))


def run_guile(program: Path, guile: str = "guile") -> Recording:
    env = dict(os.environ)
    # Keep the run independent of the caller's Guile setup.
    for var in ("GUILE_LOAD_PATH", "GUILE_LOAD_COMPILED_PATH", "GUILE_AUTO_COMPILE"):
        env.pop(var, None)
    env.setdefault("LANG", "C.UTF-8")
    proc = subprocess.run(
        [guile, "--no-auto-compile", program.name],
        cwd=CORPUS,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=TIMEOUT,
        env=env,
    )
    return Recording(proc.stdout, proc.returncode)


def expected(program: Path) -> Recording:
    out = program.with_suffix(".out").read_bytes()
    status_file = program.with_suffix(".status")
    status = int(status_file.read_text().strip()) if status_file.exists() else 0
    return Recording(out, status)


def store(program: Path, rec: Recording) -> None:
    program.with_suffix(".out").write_bytes(rec.stdout)
    status_file = program.with_suffix(".status")
    if rec.status != 0:
        status_file.write_text(f"{rec.status}\n")
    elif status_file.exists():
        status_file.unlink()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("programs", nargs="*", help="program files (default: all)")
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args(argv)

    guile = guile_binary()
    if guile is None:
        print("guile not found; install the guile-3.0 package", file=sys.stderr)
        return 2

    drift = 0
    for program in programs(args.programs):
        try:
            rec = run_guile(program, guile)
        except subprocess.TimeoutExpired:
            print(f"{program.name}: timed out after {TIMEOUT}s", file=sys.stderr)
            drift += 1
            continue
        if args.check:
            if not program.with_suffix(".out").exists() or expected(program) != rec:
                print(f"{program.name}: recording is stale", file=sys.stderr)
                drift += 1
        else:
            store(program, rec)
            mark = "" if rec.status == 0 else f"  (exit {rec.status})"
            print(f"{program.name}{mark}")
    return 1 if drift else 0


if __name__ == "__main__":
    sys.exit(main())
