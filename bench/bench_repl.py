"""REPL responsiveness: `vsys repl` start to first prompt, and how long `,describe`
takes to answer, beside Guile's own REPL (`guile`) doing the same.

Run: .venv/bin/python bench/bench_repl.py [--rounds N]
Targets: first prompt under 300 ms, `,describe` under 50 ms.  Both REPLs run in a
pseudo-terminal, as a person uses them; times are medians over N rounds.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import tempfile
import time

import pexpect

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), ".."))
VSYS = [sys.executable, "-m", "vsys", "repl"]
VSYS_PROMPT = re.escape("vsys@(vsys-user)> ")
GUILE_PROMPT = re.escape("scheme@(guile-user)> ")
DESCRIBED = ["libvirt-configuration", "ganeti-service-type", "operating-system",
             "string-append", "tls-port", "(gnu services virtualization)"]
GUILE_DESCRIBED = ["string-append", "map", "car", "for-each"]


def spawn(argv: list[str], env: dict) -> pexpect.spawn:
    child = pexpect.spawn(argv[0], argv[1:], env=env, cwd=ROOT, encoding="utf-8",
                          timeout=30, dimensions=(50, 200))
    child.delaybeforesend = None     # pexpect's default 50 ms pause would be timed too
    return child


def time_start(argv: list[str], prompt: str, env: dict, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        child = spawn(argv, env)
        child.expect(prompt)
        times.append(time.perf_counter() - start)
        child.terminate(force=True)
    return statistics.median(times)


def time_describe(argv: list[str], prompt: str, env: dict, names: list[str],
                  rounds: int) -> tuple[float, float]:
    """(median, worst) seconds from Enter to the next prompt, over every name and round;
    the first answer of a session is timed too."""
    times = []
    for _ in range(rounds):
        child = spawn(argv, env)
        child.expect(prompt)
        for name in names:
            start = time.perf_counter()
            child.sendline(f",describe {name}")
            child.expect(prompt)
            times.append(time.perf_counter() - start)
        child.terminate(force=True)
    return statistics.median(times), max(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=10, help="rounds per figure (default 10)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as state:
        env = dict(os.environ, VSYS_STATE_DIR=state, TERM="dumb", HOME=state)
        v_start = time_start(VSYS, VSYS_PROMPT, env, args.rounds)
        v_desc, v_worst = time_describe(VSYS, VSYS_PROMPT, env, DESCRIBED, args.rounds)
        guile = shutil.which("guile")
        if guile:
            g_start = time_start([guile], GUILE_PROMPT, env, args.rounds)
            g_desc, g_worst = time_describe([guile], GUILE_PROMPT, env, GUILE_DESCRIBED,
                                            args.rounds)
    print(f"median of {args.rounds} rounds, in a pseudo-terminal")
    print(f"{'':<28} {'vsys':>9} {'guile':>9} {'target':>9}")
    peer = (lambda t: f"{t * 1000:7.1f}ms") if guile else (lambda t: "      n/a")
    print(f"{'start to first prompt':<28} {v_start * 1000:7.1f}ms "
          f"{peer(g_start) if guile else peer(0)} {'300ms':>9}")
    print(f"{',describe (median)':<28} {v_desc * 1000:7.1f}ms "
          f"{peer(g_desc) if guile else peer(0)} {'50ms':>9}")
    print(f"{',describe (slowest)':<28} {v_worst * 1000:7.1f}ms "
          f"{peer(g_worst) if guile else peer(0)}")
    if not guile:
        print("guile is not installed (Debian package guile-3.0): no peer figures")
    ok = v_start < 0.3 and v_desc < 0.05
    print("within targets" if ok else "OUTSIDE TARGETS")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
