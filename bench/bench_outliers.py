"""The language's former slow outliers, beside Guile's interpreter in the same run.

    char-set ops over all of Unicode   target: within 10x of guile --no-auto-compile
    unfold of 1,000,000 elements       target: within 10x of guile --no-auto-compile
    50,000 prompts, each aborted       reported (a prompt's body runs as a fiber on a
                                       thread of its own, so that its continuation can
                                       be resumed after the prompt returned)

Each figure is the best of N runs of a whole process (`vsys run FILE` vs
`guile --no-auto-compile FILE`), so both include start-up.  Char-sets are code-point
ranges and the standard ones load from tables, so no run scans Unicode.
Run: python bench/bench_outliers.py
"""

from __future__ import annotations

import os
import sys

from timing import beside_guile

PROGRAMS = {
    "char-sets": "(display (list (char-set-size (char-set-complement (char-set #\\a)))\n"
                 "  (char-set-size (char-set-union char-set:letter char-set:digit))\n"
                 "  (char-set-size (char-set-difference char-set:full char-set:symbol))))\n",
    "unfold 1e6": "(use-modules (srfi srfi-1))\n"
                  "(display (length (unfold (lambda (x) (>= x 1000000)) (lambda (x) x)\n"
                  "                         (lambda (x) (+ x 1)) 0)))\n",
    "prompts 5e4": "(define (f i) (call-with-prompt 'p\n"
                   "  (lambda () (if (odd? i) (abort-to-prompt 'p i) 0)) (lambda (k v) v)))\n"
                   "(let loop ((i 0) (acc 0))\n"
                   "  (if (< i 50000) (loop (+ i 1) (+ acc (f i))) (display acc)))\n",
}
LIMITS = {name: ("ratio", 10.0) for name in PROGRAMS}


def main() -> int:
    return beside_guile(PROGRAMS, LIMITS, int(os.environ.get("BENCH_RUNS", "3")), 11)


if __name__ == "__main__":
    sys.exit(main())
