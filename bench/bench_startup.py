"""Start-up figures of the `vsys` command: `vsys --version` (the dispatcher alone) and
`vsys run` of a one-line file (the dispatcher, then the language), each the median and
the fastest wall time of N whole-process runs and their median CPU time (user + system,
steadier than wall time on a busy machine), beside `python -c pass` (the interpreter's
own start-up, the floor under both).

Run: .venv/bin/python bench/bench_startup.py [--runs N]
Target: `vsys run` of a one-line file under 150 ms.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def timed(argv: list[str], runs: int) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of each of RUNS runs of ARGV."""
    times, cpu = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), _cpu()
        done = subprocess.run(argv, capture_output=True, timeout=60)
        times.append(time.perf_counter() - t0)
        cpu.append(_cpu() - c0)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}): "
                             f"{done.stderr.decode(errors='replace')}")
    return times, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        program = os.path.join(tmp, "one.scm")
        with open(program, "w") as f:
            f.write('(display "hello")\n')
        vsys = [sys.executable, "-m", "vsys"]
        rows = [("python -c pass", [sys.executable, "-c", "pass"]),
                ("vsys --version", vsys + ["--version"]),
                ("vsys run of a one-line file", vsys + ["run", program])]
        print(f"{'what':<30} {'median':>9} {'fastest':>9} {'CPU':>9}   ({runs} runs each; "
              f"load average {os.getloadavg()[0]:.1f})")
        for label, argv in rows:
            times, cpu = timed(argv, runs)
            print(f"{label:<30} {statistics.median(times) * 1000:6.1f} ms "
                  f"{min(times) * 1000:6.1f} ms {statistics.median(cpu) * 1000:6.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
