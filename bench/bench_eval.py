"""Evaluator speed, beside Guile's interpreter on the same machine, in the same run.

    (fib 25)                          target: within 10x of guile --no-auto-compile
    named-let loop of 1,000,000       target: within 10x of guile --no-auto-compile
    `vsys run` of a one-line file     target: under 150 ms wall

Each figure is the best of N runs of a whole process (`vsys run FILE` vs
`guile --no-auto-compile FILE`), so both include start-up.  Run: python bench/bench_eval.py
"""

from __future__ import annotations

import os
import sys

from timing import beside_guile

PROGRAMS = {
    "fib 25": "(define (fib n) (if (< n 2) n (+ (fib (- n 1)) (fib (- n 2)))))\n"
              "(display (fib 25))\n",
    "loop 1e6": "(display (let loop ((i 0)) (if (< i 1000000) (loop (+ i 1)) i)))\n",
    "one line": '(display "hello")\n',
}
LIMITS = {"fib 25": ("ratio", 10.0), "loop 1e6": ("ratio", 10.0), "one line": ("ms", 150.0)}


def main() -> int:
    return beside_guile(PROGRAMS, LIMITS, int(os.environ.get("BENCH_RUNS", "5")), 10)


if __name__ == "__main__":
    sys.exit(main())
