"""Guest image figures, each the wall time of a whole `vsys` process or boot:

- `vsys image` of the shipped build-VM guest system, cold (empty image cache: mmdebstrap
  downloads and installs the Debian base), with the base cached (another system on the
  same packages: only the system and the disk are made), and cached (the same image
  again: a copy);
- boot to SSH: QEMU started as the build VM's runner starts it, until `ssh` as the
  offloading user answers, the secrets sent on the way.

Run as root: .venv/bin/python bench/bench_image.py [--keep-cache DIR]
(`--cached DIR`: only the cached and boot figures, with the image cache DIR, which gets
the image first, untimed, when it lacks it).
`guix system image` is printed beside when Guix is installed.  Where KVM cannot run the
guest (no /dev/kvm, or a PVM-only host), QEMU emulates and the boot figure says so.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
from vsys.guest_systems import guest_config  # noqa: E402
from vsys.shepherd import kvm  # noqa: E402
from vsys.shepherd.secrets import send_secrets  # noqa: E402


def timed(argv: list[str], env: dict) -> float:
    start = time.monotonic()
    done = subprocess.run(argv, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed:\n{done.stderr[-2000:]}")
    return time.monotonic() - start


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def boot_to_ssh(image: str, work: str) -> tuple[float, str]:
    secrets = os.path.join(work, "secrets")
    os.makedirs(os.path.join(secrets, "etc/ssh/authorized_keys.d"))
    key = os.path.join(work, "key")
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f",
                    os.path.join(secrets, "etc/ssh/ssh_host_ed25519_key")], check=True)
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key], check=True)
    shutil.copy(key + ".pub", os.path.join(secrets, "etc/ssh/authorized_keys.d/offloading"))
    ssh_port, secrets_port = free_port(), free_port()
    accel = ["-enable-kvm"] if kvm.for_vm("rw") else []
    qemu = ["qemu-system-x86_64", *accel, "-smp", "2", "-m", "1024",
            "-nic", f"user,model=virtio-net-pci,hostfwd=tcp:127.0.0.1:{ssh_port}-:22,"
                    f"hostfwd=tcp:127.0.0.1:{secrets_port}-:1004",
            "-serial", "null", "-display", "none",
            "-drive", f"file={image},format=qcow2,if=virtio", "-snapshot", "-no-reboot"]
    known = os.path.join(work, "known_hosts")
    with open(os.path.join(secrets, "etc/ssh/ssh_host_ed25519_key.pub")) as f:
        with open(known, "w") as out:
            out.write(f"[127.0.0.1]:{ssh_port} {' '.join(f.read().split()[:2])}\n")
    start = time.monotonic()
    proc = subprocess.Popen(qemu, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        send_secrets(secrets_port, secrets, handshake_timeout=900, tries=900)
        while time.monotonic() - start < 900:
            r = subprocess.run(["ssh", "-p", str(ssh_port), "-i", key, "-o", "BatchMode=yes",
                                "-o", "StrictHostKeyChecking=yes", "-o",
                                f"UserKnownHostsFile={known}", "-o", "ConnectTimeout=10",
                                "offloading@127.0.0.1", "true"], capture_output=True)
            if r.returncode == 0:
                return time.monotonic() - start, "KVM" if accel else "TCG (emulated)"
            time.sleep(1)
        sys.exit("no SSH after 900 s")
    finally:
        proc.kill()
        proc.wait()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keep-cache", help="use (and keep) this image cache")
    parser.add_argument("--boot-only", metavar="IMAGE", help="only the boot figure, of IMAGE")
    parser.add_argument("--cached", metavar="DIR",
                        help="only the cached and boot figures, with the image cache DIR")
    args = parser.parse_args()
    if args.cached:
        cached_and_boot(args.cached)
        return
    if args.boot_only:
        work = tempfile.mkdtemp(prefix="vsys-bench-image-")
        try:
            boot, how = boot_to_ssh(args.boot_only, work)
            print(f"| boot to SSH (secrets sent), {how} | {boot:.0f} s | — |")
        finally:
            shutil.rmtree(work, ignore_errors=True)
        return
    if os.geteuid() != 0:
        sys.exit("run as root: vsys image needs it")
    work = tempfile.mkdtemp(prefix="vsys-bench-image-")
    cache = args.keep_cache or os.path.join(work, "cache")
    env = dict(os.environ, VSYS_IMAGE_CACHE=cache,
               VSYS_STATE_DIR=os.path.join(work, "state"))
    vsys = [sys.executable, "-m", "vsys", "image"]
    try:
        image = os.path.join(work, "guest.qcow2")
        cold = timed([*vsys, guest_config(), "--output", image], env)
        other = os.path.join(work, "other.scm")
        with open(guest_config()) as f:
            text = f.read().replace('(host-name "build-vm")', '(host-name "other-vm")')
        with open(other, "w") as f:
            f.write(text)
        base_cached = timed([*vsys, other, "--output", os.path.join(work, "other.qcow2")], env)
        cached = timed([*vsys, guest_config(), "--output", image], env)
        boot, how = boot_to_ssh(image, work)
        guix = ("`guix`: not installed" if shutil.which("guix") is None
                else "see `guix system image`")
        print("| what | vsys | peer |")
        print("|---|---|---|")
        print(f"| `vsys image` of the build-VM guest, cold (empty cache) | {cold:.0f} s | {guix} |")
        print(f"| `vsys image` of another system, Debian base cached | {base_cached:.0f} s | — |")
        print(f"| `vsys image` again, cached | {cached:.1f} s | — |")
        print(f"| boot to SSH (secrets sent), {how} | {boot:.0f} s | — |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def cached_and_boot(cache: str) -> None:
    work = tempfile.mkdtemp(prefix="vsys-bench-image-")
    env = dict(os.environ, VSYS_IMAGE_CACHE=os.path.abspath(cache),
               VSYS_STATE_DIR=os.path.join(work, "state"))
    image = os.path.join(work, "guest.qcow2")
    argv = [sys.executable, "-m", "vsys", "image", guest_config(), "--output", image]
    try:
        timed(argv, env)                # builds the image when the cache lacks it
        cached = timed(argv, env)
        boot, how = boot_to_ssh(image, work)
        print("| what | vsys | peer |")
        print("|---|---|---|")
        print(f"| `vsys image` again, cached | {cached:.1f} s | — |")
        print(f"| boot to SSH (secrets sent), {how} | {boot:.0f} s | — |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
