"""Build and reconfigure figures, each the wall time of a whole `vsys` process:

- `vsys build` of the manual's Ganeti node example (examples/ganeti-node.scm), cold (a
  fresh state directory, so every store item is written) and again (nothing to write);
  target: under 250 ms cold;
- a no-op `vsys reconfigure` of the same example into a temporary root (it must rewrite
  no file; the figure is reported);
- `vsys build` of configs with 100, 1,000 and 5,000 services; target: 1,000 under 3 s,
  growing linearly.

Run: .venv/bin/python bench/bench_build.py [--runs N]   (`make bench` compiles the
bytecode first: without it, every start recompiles and the figures mean nothing.)
`guix system build` is printed beside when Guix is installed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLE = os.path.join(HERE, "..", "examples", "ganeti-node.scm")

SERVICES = """\
(use-modules (gnu))
(use-service-modules shepherd)
(define (service-number i)
  (let ((name (string->symbol (string-append "s" (number->string i)))))
    (simple-service name shepherd-root-service-type
      (list (shepherd-service
              (provision (list name))
              (requirement (if (zero? i) '(user-processes)
                               (list (string->symbol
                                      (string-append "s" (number->string (- i 1)))))))
              (documentation "A numbered service.")
              (start #~(make-forkexec-constructor
                        (list "/bin/sleep" #$(number->string (+ 1000 i)))))
              (stop #~(make-kill-destructor)))))))
(operating-system
  (host-name "many")
  (packages '())
  (services (map service-number (iota {n}))))
"""


def run(env: dict, *args: str) -> float:
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "vsys", *args], env=env,
                          capture_output=True, text=True, timeout=600)
    elapsed = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"vsys {' '.join(args)} failed ({done.returncode}): {done.stderr}")
    return elapsed


def fresh_env(base: str, name: str) -> dict:
    env = dict(os.environ, VSYS_STATE_DIR=os.path.join(base, name))
    env.pop("VSYS_CRASH_AT", None)
    return env


def snapshot(*tops: str) -> dict:
    out = {}
    for top in tops:
        for dirpath, dirnames, files in os.walk(top):
            for name in files + dirnames:
                path = os.path.join(dirpath, name)
                st = os.lstat(path)
                out[path] = (st.st_mtime_ns, st.st_ino, st.st_size)
    return out


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.0f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    opts = parser.parse_args()
    base = tempfile.mkdtemp(prefix="vsys-bench-build-")
    try:
        # Cold builds create files (a Ganeti node: about 400, mostly the profile's
        # links), so the disk's speed shows in the figures: say what it is.
        calibration = os.path.join(base, "calibration")
        os.makedirs(calibration)
        t0 = time.perf_counter()
        for i in range(1000):
            os.symlink("/usr/bin/true", os.path.join(calibration, str(i)))
        print(f"this disk creates a file in {(time.perf_counter() - t0):.3f} ms "
              f"(1,000 symbolic links)")
        cold = [run(fresh_env(base, f"cold{i}"), "build", EXAMPLE) for i in range(opts.runs)]
        warm_env = fresh_env(base, "cold0")
        warm = [run(warm_env, "build", EXAMPLE) for _ in range(opts.runs)]
        print(f"vsys build ganeti-node.scm, cold   {ms(statistics.median(cold))}   "
              f"(target: under 250 ms; median of {opts.runs}, min {ms(min(cold)).strip()})")
        print(f"vsys build ganeti-node.scm, again  {ms(statistics.median(warm))}   "
              f"(every store item already there)")

        env = fresh_env(base, "reconf")
        root = os.path.join(base, "root")
        os.makedirs(root)
        args = ("reconfigure", "--root", root, "--no-supervisor", EXAMPLE)
        first = run(env, *args)
        before = snapshot(root, os.path.join(env["VSYS_STATE_DIR"], "store"),
                          os.path.join(env["VSYS_STATE_DIR"], "profiles"))
        noop = [run(env, *args) for _ in range(opts.runs)]
        after = snapshot(root, os.path.join(env["VSYS_STATE_DIR"], "store"),
                         os.path.join(env["VSYS_STATE_DIR"], "profiles"))
        print(f"vsys reconfigure, first            {ms(first)}   (keys made with ssh-keygen)")
        print(f"vsys reconfigure, no-op            {ms(statistics.median(noop))}   "
              f"(reported; files rewritten: {sum(before[p] != after.get(p) for p in before)})")

        sizes = (100, 1000, 5000)
        times = {}
        for n in sizes:
            path = os.path.join(base, f"services-{n}.scm")
            with open(path, "w") as f:
                f.write(SERVICES.format(n=n))
            times[n] = min(run(fresh_env(base, f"n{n}-{i}"), "build", path)
                           for i in range(max(1, opts.runs // 2 + 1)))
        previous = None
        for n in sizes:
            # The cost of each service added since the previous size (start-up excluded).
            per = "" if previous is None else (
                f"   (+{(times[n] - times[previous]) / (n - previous) * 1000:.2f} ms"
                " per added service)")
            target = "   (target: under 3 s)" if n == 1000 else ""
            print(f"vsys build, {n:5d} services      {ms(times[n])}{per}{target}")
            previous = n
        growth = (times[5000] - times[1000]) / (times[1000] - times[100]) * (900 / 4000)
        print(f"growth from 1,000 to 5,000 against 100 to 1,000: {growth:.2f}x per service "
              f"(1.00 is linear)")

        guix = shutil.which("guix")
        if guix:
            t0 = time.perf_counter()
            subprocess.run([guix, "system", "build", "--dry-run", EXAMPLE],
                           capture_output=True, timeout=3600)
            print(f"guix system build --dry-run        {ms(time.perf_counter() - t0)}")
        else:
            print("guix system build: Guix is not installed on this host, no figure")
    finally:
        subprocess.run(["chmod", "-R", "u+w", base], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
