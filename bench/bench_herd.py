"""Supervisor figures: start then stop 200 trivial services with requirements, the wall
time of one `vsys herd status` round trip, and 200 services that take 2 s each to start
under a dependency tree (concurrent starts: the wall time beside the longest chain and
the sum).

Run: .venv/bin/python bench/bench_herd.py [--services N] [--status-runs N]
         [--tree-services N] [--tree-fanout K]
Targets: under 2 s each way for 200 services; under 100 ms for `herd status`; the tree
within 3 s of its longest chain.
GNU Shepherd's figures are printed beside them when its `herd` and `shepherd` are
installed (Debian does not package them).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def vsys(env: dict, *args: str) -> tuple[float, subprocess.CompletedProcess]:
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "vsys", *args], env=env, capture_output=True,
                          text=True, timeout=300)
    elapsed = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"vsys {' '.join(args)} failed ({done.returncode}): {done.stderr}")
    return elapsed, done


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=200)
    parser.add_argument("--status-runs", type=int, default=20)
    parser.add_argument("--tree-services", type=int, default=200)
    parser.add_argument("--tree-fanout", type=int, default=3)
    opts = parser.parse_args()
    n = opts.services

    base = tempfile.mkdtemp(prefix="vb", dir="/tmp")
    services, root = os.path.join(base, "svc"), os.path.join(base, "root")
    os.makedirs(services)
    env = dict(os.environ, VSYS_STATE_DIR=os.path.join(base, "state"))
    # A chain: s{i} requires s{i-1}, and every third also requires user-processes, so
    # starting the last starts all of them and stopping the first stops all of them.
    for i in range(n):
        req = ([f"s{i - 1}"] if i else []) + (["user-processes"] if i % 3 == 0 else [])
        with open(os.path.join(services, f"s{i}.json"), "w") as f:
            json.dump({"provision": [f"s{i}"], "requirement": req, "auto-start": False,
                       "start": {"argv": ["/bin/sleep", "1000"]}, "stop": {"grace": 2}}, f)
    supervisor = subprocess.Popen([sys.executable, "-m", "vsys", "shepherd", "--root", root,
                                   "--services", services], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            done = subprocess.run([sys.executable, "-m", "vsys", "herd", "--root", root, "status"],
                                  env=env, capture_output=True)
            if done.returncode == 0:
                break
            time.sleep(0.05)
        start_s, out = vsys(env, "herd", "--root", root, "start", f"s{n - 1}")
        assert len(out.stdout.splitlines()) == n, out.stdout
        runs = []
        for _ in range(opts.status_runs):
            t, _ = vsys(env, "herd", "--root", root, "status")
            runs.append(t)
        one, _ = vsys(env, "herd", "--root", root, "status", f"s{n // 2}")
        stop_s, out = vsys(env, "herd", "--root", root, "stop", "s0")
        assert len(out.stdout.splitlines()) == n, out.stdout
    finally:
        subprocess.run([sys.executable, "-m", "vsys", "herd", "--root", root, "stop", "root"],
                       env=env, capture_output=True, timeout=120)
        try:
            supervisor.wait(timeout=20)
        except subprocess.TimeoutExpired:
            supervisor.kill()
        shutil.rmtree(base, ignore_errors=True)

    tree_s, depth, tree_n = slow_tree(opts.tree_services, opts.tree_fanout)

    def ok(v: float, limit: float) -> str:
        return "ok" if v < limit else "OVER TARGET"
    median = statistics.median(runs)
    print(f"vsys: start {n} services with requirements: {start_s:.3f} s "
          f"(target < 2 s: {ok(start_s, 2)})")
    print(f"vsys: stop {n} services, dependents first:  {stop_s:.3f} s "
          f"(target < 2 s: {ok(stop_s, 2)})")
    print(f"vsys: `herd status` ({n} services) round trip: median {median * 1000:.1f} ms, "
          f"max {max(runs) * 1000:.1f} ms over {len(runs)} runs "
          f"(target < 100 ms: {ok(median, 0.1)})")
    print(f"vsys: `herd status SERVICE` round trip: {one * 1000:.1f} ms")
    chain, total = depth * SLOW_START, tree_n * SLOW_START
    print(f"vsys: start {tree_n} services of {SLOW_START:g} s each in a dependency tree "
          f"(fan-out {opts.tree_fanout}, depth {depth}): {tree_s:.3f} s; longest chain "
          f"{chain:g} s, sum {total:g} s (goal: close to the longest chain: "
          f"{'ok' if tree_s < chain + 3 else 'OVER TARGET'})")
    if shutil.which("herd") and shutil.which("shepherd"):
        try:
            gnu_shepherd(n, opts.status_runs)
        except (OSError, subprocess.SubprocessError, AssertionError) as e:
            print(f"GNU Shepherd: installed, but the comparison could not run: {e}")
    else:
        print("GNU Shepherd: not installed (no `herd`/`shepherd` on PATH; Debian does not "
              "package it), so no peer figures")
    return 0


SLOW_START = 2.0      # seconds each tree service takes to write its pid file


def slow_tree(n: int, fanout: int) -> tuple[float, int, int]:
    """Start N services that each take SLOW_START seconds (a pid file written after
    that long), service i requiring service (i-1)//FANOUT, all through one grouping
    service (`tree`) that requires every leaf: (wall time, depth of the tree, N)."""
    base = tempfile.mkdtemp(prefix="vt", dir="/tmp")
    services, root = os.path.join(base, "svc"), os.path.join(base, "root")
    os.makedirs(services)
    os.makedirs(os.path.join(root, "run"))
    env = dict(os.environ, VSYS_STATE_DIR=os.path.join(base, "state"))
    depth = {0: 1}
    for i in range(n):
        parent = (i - 1) // fanout if i else None
        if i:
            depth[i] = depth[parent] + 1
        pid_file = os.path.join(root, "run", f"t{i}.pid")
        with open(os.path.join(services, f"t{i}.json"), "w") as f:
            json.dump({"provision": [f"t{i}"], "auto-start": False,
                       "requirement": [f"t{parent}"] if i else [],
                       "start": {"argv": ["/bin/sh", "-c", f"sleep {SLOW_START:g}; "
                                          f"echo $$ > {pid_file}; exec sleep 1000"],
                                 "pid-file": f"/run/t{i}.pid"},
                       "stop": {"grace": 2}}, f)
    leaves = [i for i in range(n) if i * fanout + 1 >= n]
    with open(os.path.join(services, "tree.json"), "w") as f:
        json.dump({"provision": ["tree"], "auto-start": False, "start": {"kind": "none"},
                   "requirement": [f"t{i}" for i in leaves]}, f)
    supervisor = subprocess.Popen([sys.executable, "-m", "vsys", "shepherd", "--root", root,
                                   "--services", services], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if subprocess.run([sys.executable, "-m", "vsys", "herd", "--root", root, "status"],
                              env=env, capture_output=True).returncode == 0:
                break
            time.sleep(0.05)
        took, out = vsys(env, "herd", "--root", root, "start", "tree")
        assert len(out.stdout.splitlines()) == n + 1, out.stdout
    finally:
        subprocess.run([sys.executable, "-m", "vsys", "herd", "--root", root, "stop", "root"],
                       env=env, capture_output=True, timeout=300)
        try:
            supervisor.wait(timeout=60)
        except subprocess.TimeoutExpired:
            supervisor.kill()
        shutil.rmtree(base, ignore_errors=True)
    return took, max(depth.values()), n


def gnu_shepherd(n: int, status_runs: int) -> None:
    """The same chain under GNU Shepherd (its 0.10 `service` API)."""
    base = tempfile.mkdtemp(prefix="gs", dir="/tmp")
    sock, conf = os.path.join(base, "sock"), os.path.join(base, "config.scm")
    with open(conf, "w") as f:
        f.write("(register-services (list\n")
        for i in range(n):
            req = f"'(s{i - 1})" if i else "'()"
            f.write(f"  (service '(s{i}) #:requirement {req} #:auto-start? #f\n"
                    f"    #:start (make-forkexec-constructor '(\"/bin/sleep\" \"1000\"))\n"
                    f"    #:stop (make-kill-destructor))\n")
        f.write("))\n")
    daemon = subprocess.Popen(["shepherd", "-I", "-s", sock, "-c", conf,
                               "-l", os.path.join(base, "log")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def herd(*a: str) -> subprocess.CompletedProcess:
        return subprocess.run(["herd", "-s", sock, *a], capture_output=True, timeout=300)
    try:
        deadline = time.monotonic() + 20
        while not os.path.exists(sock) and time.monotonic() < deadline:
            time.sleep(0.05)
        t0 = time.perf_counter()
        assert herd("start", f"s{n - 1}").returncode == 0
        start_s = time.perf_counter() - t0
        runs = []
        for _ in range(status_runs):
            t0 = time.perf_counter()
            herd("status")
            runs.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        assert herd("stop", "s0").returncode == 0
        stop_s = time.perf_counter() - t0
    finally:
        herd("stop", "root")
        try:
            daemon.wait(timeout=20)
        except subprocess.TimeoutExpired:
            daemon.kill()
        shutil.rmtree(base, ignore_errors=True)
    print(f"GNU Shepherd: start {n}: {start_s:.3f} s, stop {n}: {stop_s:.3f} s, "
          f"`herd status` median {statistics.median(runs) * 1000:.1f} ms")


if __name__ == "__main__":
    sys.exit(main())
