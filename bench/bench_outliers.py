"""The language's former slow outliers, beside Guile's interpreter in the same run.

    char-set ops over all of Unicode   target: within 10x of guile --no-auto-compile
    unfold of 1,000,000 elements       target: within 10x of guile --no-auto-compile

Each figure is the best of N runs of a whole process (`vsys run FILE` vs
`guile --no-auto-compile FILE`), so both include start-up.  The standard char-sets are
scanned once per machine (kept in ~/.cache/vsys); the first run after installing pays
for that scan.  Run: python bench/bench_outliers.py
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile

from bench_eval import best_wall

PROGRAMS = {
    "char-sets": "(display (list (char-set-size (char-set-complement (char-set #\\a)))\n"
                 "  (char-set-size (char-set-union char-set:letter char-set:digit))\n"
                 "  (char-set-size (char-set-difference char-set:full char-set:symbol))))\n",
    "unfold 1e6": "(use-modules (srfi srfi-1))\n"
                  "(display (length (unfold (lambda (x) (>= x 1000000)) (lambda (x) x)\n"
                  "                         (lambda (x) (+ x 1)) 0)))\n",
}
LIMIT = 10.0


def main() -> int:
    vsys = [os.path.join(os.path.dirname(sys.executable), "vsys")]
    guile = shutil.which("guile")
    runs = int(os.environ.get("BENCH_RUNS", "3"))
    ok = True
    print(f"{'program':<11} {'vsys':>10} {'guile':>10} {'ratio':>7}  target")
    with tempfile.TemporaryDirectory() as d:
        for name, src in PROGRAMS.items():
            path = os.path.join(d, name.replace(" ", "_") + ".scm")
            with open(path, "w") as f:
                f.write(src)
            ours = best_wall(vsys + ["run", path], runs)
            theirs = best_wall([guile, "--no-auto-compile", path], runs) if guile else None
            ratio = ours / theirs if theirs else float("nan")
            passed = theirs is None or ratio <= LIMIT
            ok &= passed
            g = f"{theirs * 1000:8.0f}ms" if theirs else "   (no guile)"
            print(f"{name:<11} {ours * 1000:8.0f}ms {g:>10} {ratio:6.1f}x  <= {LIMIT:.0f}x guile"
                  f"{'' if passed else '  MISSED'}")
    if not guile:
        print("guile is not installed (Debian package guile-3.0): no peer figures")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
