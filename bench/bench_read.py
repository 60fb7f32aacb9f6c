"""Read throughput: vsys's reader against Guile's, on 1 MB of Guix `service` forms.

Run: .venv/bin/python bench/bench_read.py [--size MB]
Prints MB/s for both, side by side (Guile is skipped, with a note, when missing).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

from vsys.dsl.reader import read_file

SERVICE_TEMPLATES = [
    '''(service libvirt-service-type
         (libvirt-configuration
          (unix-sock-group "libvirt")
          (tls-port "{port}")
          (listen-tcp? #f)
          (max-clients {n})))
''',
    '''(service qemu-binfmt-service-type
         (qemu-binfmt-configuration
          (platforms (lookup-qemu-platforms "arm" "aarch64" "riscv64"))))
''',
    '''(service hurd-vm-service-type
         (hurd-vm-configuration
          (disk-size (* {n} (expt 2 20)))   ; {n} MiB
          (memory-size 1024)
          (secret-root "/etc/guix/hurd-secrets-{n}")
          (net-options '("--device" "rtl8139,netdev=net0"
                         "--netdev" "user,id=net0,hostfwd=tcp:127.0.0.1:{port}-:2222"))))
''',
    '''(service virtual-build-machine-service-type
         (virtual-build-machine
          (name 'build-vm-{n})
          (cpu-count 4)
          (memory-size (* 8 1024))
          (auto-start? #t)
          (port-forwardings `((,{port} . 22) (11022 . 2222)))))
''',
    '''(simple-service 'job-{n} mcron-service-type
                (list #~(job '(next-hour '(3))
                             (string-append #$coreutils "/bin/echo hello-{n}")
                             #:user "root")))
''',
]


def generate(size: int) -> str:
    parts = ["(use-modules (gnu) (gnu services virtualization))\n\n(operating-system\n"
             "  (host-name \"bench\")\n  (services\n   (list\n"]
    total = sum(len(p) for p in parts)
    n = 0
    while total < size:
        form = SERVICE_TEMPLATES[n % len(SERVICE_TEMPLATES)].format(n=n, port=10000 + n % 50000)
        form = "".join("    " + line + "\n" for line in form.splitlines())
        parts.append(form)
        total += len(form)
        n += 1
    parts.append("    %base-services)))\n")
    return "".join(parts)


def time_vsys(path: str, rounds: int) -> float:
    read_file(path)   # builds (or loads) the parser outside the timing
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        read_file(path)
        best = min(best, time.perf_counter() - start)
    return best


GUILE_LOOP = """
;; Plain Guile lacks Guix's G-expression syntax; register it as (guix gexp) does.
(define (gexp-reader plain splicing)
  (lambda (chr port)
    (if (eqv? (peek-char port) #\\@)
        (begin (read-char port) (list splicing (read port)))
        (list plain (read port)))))
(read-hash-extend #\\~ (lambda (chr port) (list 'gexp (read port))))
(read-hash-extend #\\$ (gexp-reader 'ungexp 'ungexp-splicing))
(read-hash-extend #\\+ (gexp-reader 'ungexp-native 'ungexp-native-splicing))
(define (read-all port) (let loop ((d (read port))) (unless (eof-object? d) (loop (read port)))))
(define path (cadr (command-line)))
(define best
  (let loop ((i 0) (best #f))
    (if (= i {rounds}) best
        (let ((start (get-internal-real-time)))
          (call-with-input-file path read-all)
          (let ((t (/ (- (get-internal-real-time) start) internal-time-units-per-second 1.0)))
            (loop (+ i 1) (if best (min best t) t)))))))
(display best)
"""


def time_guile(path: str, rounds: int) -> float | None:
    guile = shutil.which("guile")
    if guile is None:
        return None
    script = os.path.join(os.path.dirname(path), "read.scm")
    with open(script, "w") as f:
        f.write(GUILE_LOOP.replace("{rounds}", str(rounds)))
    out = subprocess.run([guile, "--no-auto-compile", script, path],
                         capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=float, default=1.0, help="file size in MB (default 1)")
    ap.add_argument("--rounds", type=int, default=3, help="best of N (default 3)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "services.scm")
        text = generate(int(args.size * 1_000_000))
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        mb = len(text.encode()) / 1_000_000
        t_vsys = time_vsys(path, args.rounds)
        t_guile = time_guile(path, args.rounds)
    print(f"file: {mb:.2f} MB of Guix service forms, best of {args.rounds}")
    print(f"{'reader':<8} {'seconds':>8} {'MB/s':>8}")
    print(f"{'vsys':<8} {t_vsys:8.3f} {mb / t_vsys:8.2f}")
    if t_guile is None:
        print("guile    (not installed: no peer figure)")
    else:
        print(f"{'guile':<8} {t_guile:8.3f} {mb / t_guile:8.2f}")
        print(f"vsys reads at {t_guile / t_vsys:.0%} of Guile's speed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
