"""Evaluating and folding configs, inside one process (the service library's speed).

    the manual's Ganeti node example          target: under 50 ms
    generated configs of 100 / 1,000 / 5,000  target: 1,000 under 1 s, growing linearly
    services (user-defined Shepherd services, each with Ganeti OS variants besides)

Figures are the best of N warm runs (modules already loaded, as in the REPL or a second
build in one process); the first, cold run is printed too.  The peer would be
`guix system build --dry-run`, which is not installed here: the script says so.
Run: python bench/bench_fold.py
"""

from __future__ import annotations

import os
import shutil
import sys
import time

from vsys.dsl.api import boot, with_big_stack

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLE = os.path.join(HERE, "..", "examples", "ganeti-node.scm")


def generated(n: int) -> str:
    """A config with n user-defined Shepherd services and a Ganeti OS of n/10 variants."""
    lines = ["(use-modules (gnu) (gnu services shepherd))",
             "(use-service-modules ganeti)",
             "(operating-system (host-name \"gen\")",
             " (services (append (list"]
    for i in range(n):
        lines.append(
            f"  (simple-service 'job-{i} shepherd-root-service-type"
            f" (list (shepherd-service (provision '(job-{i}))"
            f" (requirement '(user-processes))"
            f" (documentation \"Generated service {i}.\")"
            f" (start #~(make-forkexec-constructor (list \"/bin/sleep\" \"{1000 + i}\")))"
            f" (stop #~(make-kill-destructor)))))")
    variants = " ".join(
        f"(ganeti-os-variant (name \"v{i}\") (configuration (plain-file \"v{i}\" \"SUITE=v{i}\")))"
        for i in range(max(1, n // 10)))
    lines.append("  (service ganeti-service-type (ganeti-configuration (os (list (ganeti-os"
                 f" (name \"gen\") (extension \".conf\") (variants (list {variants}))))))))")
    lines.append(" %base-services)))")
    return "\n".join(lines)


def evaluate_and_fold(text: str, filename: str):
    """What `vsys build` does before writing files."""
    # Imported here so that the cold run's figure includes loading the service library.
    from vsys.dsl.api import cyclic_gc_paused, eval_string  # noqa: PLC0415
    from vsys.stdlib.guix_modules import config_module  # noqa: PLC0415
    from vsys.stdlib.system import fold_operating_system  # noqa: PLC0415
    with cyclic_gc_paused():
        os_record = eval_string(text, config_module(), filename)
        return fold_operating_system(os_record)


def timed(text: str, filename: str, runs: int) -> tuple[float, float, int]:
    t = time.perf_counter()
    folded = evaluate_and_fold(text, filename)
    cold = time.perf_counter() - t
    best = float("inf")
    for _ in range(runs):
        t = time.perf_counter()
        evaluate_and_fold(text, filename)
        best = min(best, time.perf_counter() - t)
    return cold, best, len(folded.services)


def main() -> int:
    boot()
    ok = True
    with open(EXAMPLE) as f:
        example = f.read()
    cold, warm, count = with_big_stack(timed, example, EXAMPLE, 5)
    passed = warm < 0.050
    ok &= passed
    print(f"{'config':<28} {'services':>8} {'cold':>9} {'warm':>9}  target")
    print(f"{'ganeti-node.scm':<28} {count:>8} {cold * 1000:7.1f}ms {warm * 1000:7.1f}ms"
          f"  < 50 ms{'' if passed else '  MISSED'}")
    per_service = {}
    for n in (100, 1000, 5000):
        text = generated(n)
        cold, warm, count = with_big_stack(timed, text, f"generated-{n}.scm",
                                           3 if n < 5000 else 1)
        per_service[n] = warm / n
        target = "< 1 s" if n == 1000 else ""
        passed = n != 1000 or warm < 1.0
        ok &= passed
        print(f"{'generated, ' + str(n) + ' services':<28} {count:>8} {cold * 1000:7.0f}ms "
              f"{warm * 1000:7.0f}ms  {target}{'' if passed else '  MISSED'}")
    growth = per_service[5000] / per_service[100]
    print(f"cost per service at 5,000 vs 100: {growth:.2f}x (1.0 is linear)")
    if not shutil.which("guix"):
        print("guix is not installed: no `guix system build` peer figures")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
