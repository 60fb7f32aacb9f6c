"""binfmt_misc entries through the supervisor in a sandbox root (never the host
kernel's), and `vsys binfmt match` on a real aarch64 binary."""

from __future__ import annotations

import os
import subprocess

import pytest

from vsys import state
from vsys.shepherd import binfmt

ON_CI = os.environ.get("CI") == "true"

# QEMU's binfmt table, as qemu-user-static registers it: (name, magic, mask)
PLATFORMS = {
    "aarch64": ("7f454c460201010000000000000000000200b700",
                "ffffffffffffff00fffffffffffffffffeffffff"),
    "x86_64": ("7f454c4602010100000000000000000002003e00",
               "fffffffffffefe00fffffffffffffffffeffffff"),
    "riscv64": ("7f454c460201010000000000000000000200f300",
                "ffffffffffffff00fffffffffffffffffeffffff"),
}


def register_string(name: str) -> str:
    magic, mask = PLATFORMS[name]

    def esc(h: str) -> str:
        return "".join(f"\\x{h[i:i + 2]}" for i in range(0, len(h), 2))
    return f":qemu-{name}:M::{esc(magic)}:{esc(mask)}:/usr/bin/qemu-{name}-static:FP"


def binfmt_dir(sandbox) -> str:
    return os.path.join(sandbox.root, "proc/sys/fs/binfmt_misc")


@pytest.fixture
def qemu_binfmt(sandbox, need):
    for name in PLATFORMS:
        need(f"qemu-{name}-static", "qemu-user-static")
    sandbox.spec("qemu-binfmt", requirement=["file-system-/proc/sys/fs/binfmt_misc"],
                 documentation="Register QEMU's user-mode emulators with binfmt_misc.",
                 start={"kind": "binfmt", "entries": [register_string(n) for n in PLATFORMS]})
    sandbox.start_supervisor()
    sandbox.wait_for(lambda: sandbox.call("status", "qemu-binfmt")["result"]["status"] == "running",
                     what="qemu-binfmt")
    return sandbox


def test_start_registers_and_stop_unregisters(qemu_binfmt):
    sandbox = qemu_binfmt
    directory = binfmt_dir(sandbox)
    with open(os.path.join(directory, "qemu-aarch64")) as f:
        assert f.read() == ("enabled\ninterpreter /usr/bin/qemu-aarch64-static\n"
                            "flags: PF\noffset 0\n"
                            "magic 7f454c460201010000000000000000000200b700\n"
                            "mask ffffffffffffff00fffffffffffffffffeffffff\n")
    r = sandbox.herd("stop", "qemu-binfmt")
    assert (r.returncode, r.stdout) == (0, "Service qemu-binfmt has been stopped.\n")
    assert sorted(os.listdir(directory)) == ["register", "status"]
    r = sandbox.vsys("binfmt", "match", "/bin/true", "--root", sandbox.root)
    assert r.returncode == 1 and "no registered entry" in r.stderr
    assert sandbox.herd("start", "qemu-binfmt").returncode == 0
    assert sorted(os.listdir(directory)) == ["qemu-aarch64", "qemu-riscv64", "qemu-x86_64",
                                             "register", "status"]
    r = sandbox.vsys("binfmt", "match", "/bin/true", "--root", sandbox.root)
    assert (r.returncode, r.stdout) == (0, "entry: qemu-x86_64\n"
                                           "interpreter: /usr/bin/qemu-x86_64-static\n"
                                           "flags: PF\n")


def test_status_text_matches_the_host_kernel_format():
    """When the host has Debian's qemu-user-static entries registered, our status text
    is what its kernel shows for the same register string."""
    host = "/proc/sys/fs/binfmt_misc/qemu-aarch64"
    conf = "/usr/lib/binfmt.d/qemu-aarch64.conf"
    if not (os.path.exists(host) and os.path.exists(conf)):
        pytest.skip("the host kernel has no qemu-aarch64 binfmt entry to compare with")
    with open(conf) as f, open(host) as g:
        assert binfmt.parse_register(f.read()).status_text() == g.read()


def cache_dir() -> str:
    return os.environ.get("VSYS_TEST_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "vsys-tests")


@pytest.fixture(scope="session")
def aarch64_sysroot():
    """An aarch64 glibc from Debian's libc6-arm64-cross (Architecture: all, so it
    downloads without adding arm64 to dpkg), extracted once into the test cache.
    scripts/host-deps fetches the same file ahead of time."""
    cache = cache_dir()
    sysroot = os.path.join(cache, "libc6-arm64-cross", "usr", "aarch64-linux-gnu")
    libc = os.path.join(sysroot, "lib", "libc.so.6")
    os.makedirs(cache, exist_ok=True)
    with state.locked(os.path.join(cache, ".lock")):
        if not os.path.exists(libc):
            why = _fetch_libc6_arm64_cross(cache)
            if why:
                if ON_CI:
                    pytest.fail(why)
                pytest.skip(why)
    return sysroot


def _fetch_libc6_arm64_cross(cache: str) -> str | None:
    try:
        subprocess.run(["apt-get", "download", "-q", "libc6-arm64-cross"], cwd=cache, check=True,
                       capture_output=True, timeout=300)
        deb = sorted(f for f in os.listdir(cache)
                     if f.startswith("libc6-arm64-cross_") and f.endswith(".deb"))[-1]
        subprocess.run(["dpkg-deb", "-x", deb, "libc6-arm64-cross"], cwd=cache, check=True,
                       capture_output=True, timeout=120)
    except (OSError, IndexError, subprocess.SubprocessError) as e:
        return f"cannot fetch an aarch64 binary (Debian package libc6-arm64-cross): {e}"
    return None


def test_real_aarch64_binary_matches_and_runs(qemu_binfmt, aarch64_sysroot):
    sandbox = qemu_binfmt
    program = os.path.join(aarch64_sysroot, "lib", "libc.so.6")   # glibc runs as a program
    r = sandbox.vsys("binfmt", "match", program, "--root", sandbox.root)
    assert (r.returncode, r.stdout) == (0, "entry: qemu-aarch64\n"
                                           "interpreter: /usr/bin/qemu-aarch64-static\n"
                                           "flags: PF\n"), r.stderr
    # It matches its own entry and no other.
    assert [e.name for e in binfmt.match(binfmt_dir(sandbox), program)] == ["qemu-aarch64"]
    assert [e.name for e in binfmt.match(binfmt_dir(sandbox), "/bin/true")] == ["qemu-x86_64"]
    interpreter = r.stdout.splitlines()[1].split(": ", 1)[1]
    run = subprocess.run([interpreter, "-L", aarch64_sysroot, program], capture_output=True,
                         text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("GNU C Library")


def test_register_string_errors():
    with pytest.raises(binfmt.BinfmtError, match="want 7 fields"):
        binfmt.parse_register(":qemu-x:M::\\x7f")
    with pytest.raises(binfmt.BinfmtError, match="mask and magic differ"):
        binfmt.parse_register(":qemu-x:M::\\x7f\\x45:\\xff:/bin/x:F")
