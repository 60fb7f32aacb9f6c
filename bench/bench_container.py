"""Container figures: what running a sandbox root's system in its container costs.

1. `vsys reconfigure examples/default.scm` into a fresh root, whole command, until it
   returns with its services up (it watches them 1.5 s: see the reconfigure docs);
2. the supervisor of that generation started as reconfigure starts it, on the host (as
   for `--root /`: `vsys shepherd --daemonize`, paths translated) and in its container
   (in process: bubblewrap, the veth pair and addresses, tini, then the same supervisor),
   until every service that can run here runs (virtlogd, qemu-binfmt): the difference is
   what the container adds to a reconfigure;
3. `vsys exec -- true` beside `nsenter` alone into the same container.

Run as root: .venv/bin/python bench/bench_container.py [--runs N]
Goals: the container adds under 100 ms to a reconfigure; `vsys exec` under 150 ms.
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

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLE = os.path.join(ROOT, "examples", "default.scm")
VSYS = [sys.executable, "-m", "vsys"]
UP = ("virtlogd", "qemu-binfmt")      # default.scm's services that run on any host

sys.path.insert(0, ROOT)
from vsys.container.launch import start  # noqa: E402
from vsys.shepherd.client import HerdError, call  # noqa: E402
from vsys.shepherd.protocol import request  # noqa: E402
from vsys.state import root_key  # noqa: E402


def run(env: dict, *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run(VSYS + list(args), env=env, capture_output=True, text=True,
                          timeout=300)
    if done.returncode not in (0, 1):
        raise SystemExit(f"vsys {' '.join(args)} failed ({done.returncode}): {done.stderr}")
    return done


def status(env: dict, root: str) -> dict:
    done = subprocess.run(VSYS + ["herd", "--root", root, "status"], env=env,
                          capture_output=True, text=True)
    return done.stdout


def wait_up(env: dict, root: str) -> None:
    """Until the services of UP are running (polled in process: no command start-up)."""
    os.environ["VSYS_STATE_DIR"] = env["VSYS_STATE_DIR"]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            services = {s["name"]: s for s in call(root, request("status"))["services"]}
            if all(services.get(n, {}).get("status") == "running" for n in UP):
                return
        except HerdError:
            pass
        time.sleep(0.005)
    raise SystemExit(f"{UP} did not come up: {status(env, root)}")


def fresh(base: str, k: int) -> tuple[dict, str]:
    state, root = os.path.join(base, f"s{k}"), os.path.join(base, f"r{k}")
    os.makedirs(root)
    return dict(os.environ, VSYS_STATE_DIR=state), root


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    opts = parser.parse_args()
    if os.geteuid() != 0:
        print("skipped: run it as root (the container's veth pair needs root)")
        return 0
    base = tempfile.mkdtemp(prefix="vcb", dir="/run")
    os.chmod(base, 0o755)
    reconf, host, contained, execs, nsenters = [], [], [], [], []
    try:
        for k in range(opts.runs):
            env, root = fresh(base, k)
            t0 = time.perf_counter()
            done = run(env, "reconfigure", "--root", root, EXAMPLE)
            reconf.append(time.perf_counter() - t0)
            assert "container: vmhost runs in its own namespaces" in done.stdout, done.stdout
            run_dir = os.path.join(env["VSYS_STATE_DIR"], "run", root_key(root))
            with open(os.path.join(run_dir, "state.json")) as f:
                services = json.load(f)["services-dir"]
            for mode, into in (("host", host), ("container", contained)):
                run(env, "herd", "--root", root, "stop", "root")
                t0 = time.perf_counter()
                if mode == "host":      # as reconfigure starts a supervisor for `--root /`
                    run(env, "shepherd", "--root", root, "--services", services,
                        "--daemonize")
                else:                   # as it starts one for a sandbox root
                    os.environ["VSYS_STATE_DIR"] = env["VSYS_STATE_DIR"]
                    start(root, services, daemonize=True, say=lambda line: None)
                wait_up(env, root)
                into.append(time.perf_counter() - t0)
            with open(os.path.join(run_dir, "container.json")) as f:
                pid = str(json.load(f)["pid"])
            for _ in range(10):
                t0 = time.perf_counter()
                subprocess.run(VSYS + ["exec", "--root", root, "--", "true"], env=env,
                               check=True)
                execs.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                subprocess.run(["nsenter", "-t", pid, "-m", "-u", "-i", "-n", "-p", "-r", "-w",
                                "true"], check=True)
                nsenters.append(time.perf_counter() - t0)
            run(env, "herd", "--root", root, "stop", "root")
    finally:
        for k in range(opts.runs):
            env = dict(os.environ, VSYS_STATE_DIR=os.path.join(base, f"s{k}"))
            subprocess.run(VSYS + ["herd", "--root", os.path.join(base, f"r{k}"), "stop",
                                   "root"], env=env, capture_output=True)
        shutil.rmtree(base, ignore_errors=True)

    def ms(values: list[float]) -> str:
        return f"{statistics.median(values) * 1000:.0f} ms"
    added = statistics.median(contained) - statistics.median(host)
    print(f"reconfigure of examples/default.scm, whole command, services up: {ms(reconf)}")
    print(f"supervisor start to {', '.join(UP)} running: container {ms(contained)}, "
          f"host {ms(host)}: the container adds {added * 1000:.0f} ms (goal: under 100 ms)")
    print(f"`vsys exec -- true`: {ms(execs)}; `nsenter ... true` alone: {ms(nsenters)} "
          f"(goal: under 150 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
