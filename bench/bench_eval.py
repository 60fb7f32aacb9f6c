"""Evaluator speed, beside Guile's interpreter on the same machine, in the same run.

    (fib 25)                          target: within 10x of guile --no-auto-compile
    named-let loop of 1,000,000       target: within 10x of guile --no-auto-compile
    `vsys run` of a one-line file     target: under 150 ms wall

Each figure is the best of N runs of a whole process (`vsys run FILE` vs
`guile --no-auto-compile FILE`), so both include start-up.  Run: python bench/bench_eval.py
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time

PROGRAMS = {
    "fib 25": "(define (fib n) (if (< n 2) n (+ (fib (- n 1)) (fib (- n 2)))))\n"
              "(display (fib 25))\n",
    "loop 1e6": "(display (let loop ((i 0)) (if (< i 1000000) (loop (+ i 1)) i)))\n",
    "one line": '(display "hello")\n',
}
LIMITS = {"fib 25": ("ratio", 10.0), "loop 1e6": ("ratio", 10.0), "one line": ("ms", 150.0)}


def best_wall(argv: list[str], runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - t)
    return best


def main() -> int:
    vsys = [os.path.join(os.path.dirname(sys.executable), "vsys")]
    guile = shutil.which("guile")
    runs = int(os.environ.get("BENCH_RUNS", "5"))
    ok = True
    print(f"{'program':<10} {'vsys':>10} {'guile':>10} {'ratio':>7}  target")
    with tempfile.TemporaryDirectory() as d:
        for name, src in PROGRAMS.items():
            path = os.path.join(d, name.replace(" ", "_") + ".scm")
            with open(path, "w") as f:
                f.write(src)
            ours = best_wall(vsys + ["run", path], runs)
            theirs = best_wall([guile, "--no-auto-compile", path], runs) if guile else None
            kind, limit = LIMITS[name]
            if kind == "ratio":
                ratio = ours / theirs if theirs else float("nan")
                target = f"<= {limit:.0f}x guile"
                passed = theirs is None or ratio <= limit
            else:
                ratio = ours / theirs if theirs else float("nan")
                target = f"< {limit:.0f} ms"
                passed = ours * 1000 < limit
            ok &= passed
            g = f"{theirs * 1000:8.0f}ms" if theirs else "   (no guile)"
            print(f"{name:<10} {ours * 1000:8.0f}ms {g:>10} {ratio:6.1f}x  {target}"
                  f"{'' if passed else '  MISSED'}")
    if not guile:
        print("guile is not installed (Debian package guile-3.0): no peer figures")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
