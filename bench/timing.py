"""Timing whole processes: the best wall time of N runs, and a table of Scheme programs
run by `vsys run` beside `guile --no-auto-compile` in the same run (start-up included on
both sides), each row held to its target."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time


def best_wall(argv: list[str], runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - t)
    return best


def beside_guile(programs: dict[str, str], limits: dict[str, tuple[str, float]],
                 runs: int, width: int) -> int:
    """Print one row per program: vsys's and Guile's best times, their ratio and the
    target, a ("ratio", N) limit as at most N times Guile, ("ms", N) as under N ms of
    vsys alone. The exit status: 0 when every target holds."""
    vsys = [os.path.join(os.path.dirname(sys.executable), "vsys")]
    guile = shutil.which("guile")
    ok = True
    print(f"{'program':<{width}} {'vsys':>10} {'guile':>10} {'ratio':>7}  target")
    with tempfile.TemporaryDirectory() as d:
        for name, src in programs.items():
            path = os.path.join(d, name.replace(" ", "_") + ".scm")
            with open(path, "w") as f:
                f.write(src)
            ours = best_wall(vsys + ["run", path], runs)
            theirs = best_wall([guile, "--no-auto-compile", path], runs) if guile else None
            kind, limit = limits[name]
            ratio = ours / theirs if theirs else float("nan")
            if kind == "ratio":
                target = f"<= {limit:.0f}x guile"
                passed = theirs is None or ratio <= limit
            else:
                target = f"< {limit:.0f} ms"
                passed = ours * 1000 < limit
            ok &= passed
            g = f"{theirs * 1000:8.0f}ms" if theirs else "   (no guile)"
            print(f"{name:<{width}} {ours * 1000:8.0f}ms {g:>10} {ratio:6.1f}x  {target}"
                  f"{'' if passed else '  MISSED'}")
    if not guile:
        print("guile is not installed (Debian package guile-3.0): no peer figures")
    return 0 if ok else 1
