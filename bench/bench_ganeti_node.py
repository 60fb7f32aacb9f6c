"""Ganeti node figures: `vsys reconfigure examples/ganeti-node.scm` of an initialised
one-node cluster, from a stopped system (no container) to every daemon of the node up
(noded, confd, wconfd, rapi, luxid, mond, each as its Debian user, container set-up
included), beside the same daemons started by hand in the running container by a shell
script (bench/ganeti_start_by_hand.sh, through `vsys exec`): Debian's own daemon-util
start-all, not going through the supervisor.

Run as root: .venv/bin/python bench/bench_ganeti_node.py [--runs N]
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

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NODE = os.path.join(ROOT, "examples", "ganeti-node.scm")
BY_HAND = os.path.join(ROOT, "bench", "ganeti_start_by_hand.sh")
VSYS = [sys.executable, "-m", "vsys"]
DAEMONS = ("noded", "confd", "wconfd", "rapi", "luxid", "mond")


def vsys(env: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run(VSYS + list(args), env=env, capture_output=True, text=True,
                          timeout=600)
    if check and done.returncode != 0:
        raise SystemExit(f"vsys {' '.join(args)} failed ({done.returncode}):\n"
                         f"{done.stdout}{done.stderr}")
    return done


def all_up(env: dict, root: str) -> bool:
    out = vsys(env, "herd", "--root", root, "status").stdout
    started = out.split("Started:", 1)[-1].split("\n" + "Stopped", 1)[0]
    return all(f" + ganeti-{d}\n" in started for d in DAEMONS)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    base = tempfile.mkdtemp(prefix="vb", dir="/run")
    os.chmod(base, 0o755)
    env = dict(os.environ, VSYS_STATE_DIR=os.path.join(base, "state"))
    root = os.path.join(base, "root")
    os.makedirs(root)
    try:
        vsys(env, "reconfigure", "--root", root, NODE)
        vsys(env, "exec", "--root", root, "--", "sh", "-c",
             "mkdir -p /root/.ssh && ssh-keygen -q -t rsa -N '' -f /root/.ssh/id_rsa")
        vsys(env, "exec", "--root", root, "--", "gnt-cluster", "init", "--no-ssh-init",
             "--no-etc-hosts", "--enabled-hypervisors=fake", "--master-netdev=eth0",
             "--enabled-disk-templates=diskless", "ganeti.example.com")
        ours, theirs = [], []
        for _ in range(runs):
            vsys(env, "herd", "--root", root, "stop", "root")
            t = time.monotonic()
            vsys(env, "reconfigure", "--root", root, NODE)
            while not all_up(env, root):
                time.sleep(0.05)
            ours.append(time.monotonic() - t)
            for d in DAEMONS:
                vsys(env, "herd", "--root", root, "stop", f"ganeti-{d}")
            t = time.monotonic()
            with open(BY_HAND) as script:
                done = subprocess.run(VSYS + ["exec", "--root", root, "--", "sh"],
                                      stdin=script, env=env, capture_output=True, text=True)
            theirs.append(time.monotonic() - t)
            if done.returncode != 0:
                raise SystemExit(f"the script failed: {done.stderr}")
            vsys(env, "exec", "--root", root, "--", "sh", "-c",
                 "for f in /run/ganeti/*.pid; do kill $(cat $f); done")
        a, b = statistics.median(ours), statistics.median(theirs)
        print("| what | vsys | peer | ratio |")
        print("|---|---|---|---|")
        print(f"| reconfigure of the Ganeti node example to its 6 daemons up (median of "
              f"{runs}) | {a:.2f} s | by hand in the container: {b:.2f} s | {a / b:.1f}x |")
    finally:
        vsys(env, "herd", "--root", root, "stop", "root", check=False)
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
