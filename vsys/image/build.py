"""Building a guest image, step by step, with a cache at each costly step.

  base      mmdebstrap: minimal Debian + kernel + EXTLINUX + the packages the
            system's services run, from the host's package sources (a tarball, cached
            by the package list and the sources)
  tree      the base unpacked, with vsys and its Python libraries copied in
  system    inside the tree (chroot): the config's system built and activated into `/`,
            systemd told to start vsys's supervisor
  disk      a partitioned raw disk: ext4 made from the tree, EXTLINUX installed through
            a loop mount, syslinux's boot sector; converted to qcow2

The finished image is cached by the hash of all its inputs, so building the same system
again is a copy.  Everything runs as root: mmdebstrap, chroot and the files' owners need
it.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid as _uuid
from typing import Callable

from ..builders.items import digest
from ..building import evaluate_and_build
from ..console import report_errors
from ..immutable import remove_tree
from ..stdlib.files import DirData, FileData
from . import python_env, recipe

MiB = 1024 * 1024


class ImageError(Exception):
    """A failure to report as one line."""


def cache_dir() -> str:
    explicit = os.environ.get("VSYS_IMAGE_CACHE")
    if explicit:
        return os.path.abspath(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(xdg, "vsys", "images")


# Programs the build runs on the host, and the Debian package of each.
HOST_PROGRAMS = {"mmdebstrap": "mmdebstrap", "mke2fs": "e2fsprogs", "sfdisk": "fdisk",
                 "qemu-img": "qemu-utils", "unshare": "util-linux", "chroot": "coreutils",
                 "tar": "tar"}


def check_host() -> None:
    if os.geteuid() != 0:
        raise ImageError("building an image needs root privileges (mmdebstrap, chroot and "
                         "the owners of the image's files): run `vsys image` as root, "
                         "for example with sudo")
    missing = [f"{prog} (apt install {pkg})" for prog, pkg in HOST_PROGRAMS.items()
               if shutil.which(prog) is None]
    if missing:
        raise ImageError("missing programs: " + ", ".join(missing))


def parse_size(text: str) -> int:
    """"4G", "512M", "2048MiB" or bytes."""
    t = text.strip().upper().removesuffix("IB").removesuffix("B")
    factor = {"K": 1024, "M": MiB, "G": 1024 * MiB, "T": 1024 ** 4}.get(t[-1:], 1)
    number = t[:-1] if factor != 1 else t
    try:
        value = int(float(number) * factor)
    except ValueError:
        raise ImageError(f"--size {text}: give a size such as 4G, 2048M or a number of "
                         f"bytes") from None
    if value < 256 * MiB:
        raise ImageError(f"--size {text}: an image needs at least 256M")
    return value


def _hash(*parts) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:32]


def _file_digest(path: str) -> str:
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


class Steps:
    """Progress on stderr: `[2/4] tree: ...` and how long each step took."""

    def __init__(self, say: Callable[[str], None]):
        self.say = say
        self.names = ["base", "tree", "system", "disk"]
        self.started = time.monotonic()

    def begin(self, name: str, text: str) -> None:
        self.t = time.monotonic()
        self.say(f"[{self.names.index(name) + 1}/{len(self.names)}] {name}: {text}")

    def end(self, text: str = "done") -> None:
        self.say(f"      {text} ({time.monotonic() - self.t:.1f} s)")


def _run(argv: list[str], what: str, say: Callable[[str], None] | None = None,
         **kw) -> str:
    """Run ARGV; its output lines go to SAY when given.  A failure ends the build with
    the command's last words."""
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, text=True, errors="replace", **kw)
    lines = []
    for line in proc.stdout:
        lines.append(line.rstrip("\n"))
        if say and line.strip():
            say("      " + line.rstrip())
    if proc.wait() != 0:
        tail = "\n".join(lines[-15:])
        raise ImageError(f"{what} failed (exit status {proc.returncode}):\n{tail}")
    return "\n".join(lines)


# --- base ------------------------------------------------------------------------------------

def base_key(packages: list[str], sources: list[str]) -> str:
    return _hash("base", recipe.RECIPE, recipe.SUITE, sorted(packages),
                 [(s, _file_digest(s)) for s in sources])


def base_tarball(packages: list[str], steps: Steps, say) -> str:
    sources = recipe.apt_sources()
    if not sources:
        raise ImageError("this host has no apt sources (/etc/apt/sources.list or "
                         "/etc/apt/sources.list.d/): the image's packages come from them")
    key = base_key(packages, sources)
    path = os.path.join(cache_dir(), f"base-{key}.tar")
    with _building(path, say):
        return _base(path, packages, sources, steps, say)


def _base(path: str, packages: list[str], sources: list[str], steps: Steps, say) -> str:
    if os.path.exists(path):
        steps.begin("base", f"cached ({path})")
        steps.end("reused")
        return path
    steps.begin("base", f"mmdebstrap {recipe.SUITE} with {', '.join(packages)}")
    tmp = path + f".tmp{os.getpid()}"
    argv = ["mmdebstrap", "--variant=minbase", "--mode=root", "--format=tar",
            "--include=" + ",".join(packages)]
    argv += [f"--dpkgopt=path-exclude={p}" for p in recipe.EXCLUDED]
    # Debian's postinst would make host keys shared by every VM booted from the image:
    # keys come from activation or from the secret service instead.
    argv += ["--customize-hook=rm -f \"$1\"/etc/ssh/ssh_host_*"]
    argv += [recipe.SUITE, tmp, *sources]
    try:
        _run(argv, "mmdebstrap", lambda line: say(line) if "I: " in line else None)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    steps.end()
    return path


# --- the tree and the system inside it -----------------------------------------------------

def _site_packages(tree: str) -> str:
    versions = sorted(d for d in os.listdir(os.path.join(tree, "usr/lib"))
                      if d.startswith("python3."))
    if not versions:
        raise ImageError("the base has no Python 3")
    return os.path.join(tree, "usr/local/lib", versions[-1], "dist-packages")


def install_vsys(tree: str, files: dict[str, str]) -> None:
    site = _site_packages(tree)
    for rel, src in files.items():
        dest = os.path.join(site, rel)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        shutil.copyfile(src, dest)
    bin_vsys = os.path.join(tree, "usr/local/bin/vsys")
    with open(bin_vsys, "w") as f:
        f.write("#!/usr/bin/python3\nimport sys\nfrom vsys.__main__ import main\n"
                "sys.exit(main())\n")
    os.chmod(bin_vsys, 0o755)


def in_chroot(tree: str, argv: list[str], what: str, say=None) -> str:
    """Run ARGV inside TREE with /proc, /sys and /dev, in a private mount namespace
    (its mounts end with it)."""
    script = ('set -e; t=$1; shift; mount -t proc proc "$t/proc"; '
              'mount -t sysfs sys "$t/sys"; mount --rbind /dev "$t/dev"; '
              'exec chroot "$t" "$@"')
    env = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
           "LC_ALL": "C.UTF-8", "HOME": "/root"}
    return _run(["unshare", "--mount", "--propagation", "private", "--", "sh", "-c", script,
                 "sh", tree, *argv], what, say, env=env)


def _write(tree: str, path: str, text: str, mode: int = 0o644) -> None:
    full = os.path.join(tree, path.lstrip("/"))
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w") as f:
        f.write(text)
    os.chmod(full, mode)


def _boot_files(tree: str) -> tuple[str, str]:
    boot = os.path.join(tree, "boot")
    kernels = sorted(f for f in os.listdir(boot) if f.startswith("vmlinuz-"))
    if not kernels:
        raise ImageError("the base has no kernel in /boot")
    kernel = kernels[-1]
    initrd = "initrd.img-" + kernel[len("vmlinuz-"):]
    if not os.path.exists(os.path.join(boot, initrd)):
        raise ImageError(f"the base has no {initrd} in /boot")
    return kernel, initrd


def make_system(tree: str, config_text: bytes, uuid: str, say,
                guest_args: tuple[str, ...] = ()) -> None:
    _write(tree, recipe.CONFIG_PATH, config_text.decode("utf-8", "replace"))
    _write(tree, "/etc/fstab", recipe.fstab(uuid))
    _write(tree, "/etc/e2fsck.conf", recipe.E2FSCK_CONF)
    _write(tree, "/etc/systemd/network/20-vsys.network", recipe.NETWORK)
    _write(tree, "/etc/tmpfiles.d/vsys-sshd.conf", recipe.TMPFILES)
    # A machine id of its own for every VM booted from the image.
    _write(tree, "/etc/machine-id", "")
    out = in_chroot(tree, ["python3", "-m", "vsys.image.guest", recipe.CONFIG_PATH,
                           *guest_args],
                    "building and activating the system in the image", say)
    if "services: " not in out:
        raise ImageError("the system was not activated in the image")
    kernel, initrd = _boot_files(tree)
    _write(tree, "/boot/extlinux/extlinux.conf", recipe.extlinux_conf(kernel, initrd, uuid))
    commands = ["systemctl enable systemd-networkd.service vsys-shepherd.service",
                "systemctl mask " + " ".join(recipe.MASKED_UNITS),
                "python3 -m compileall -q /usr/local/lib"]
    in_chroot(tree, ["sh", "-ec", "; ".join(commands)], "setting up the boot")


# --- the disk --------------------------------------------------------------------------------

def _tree_size(tree: str) -> int:
    total = 0
    for dirpath, dirnames, filenames in os.walk(tree):
        for f in filenames:
            try:
                total += os.lstat(os.path.join(dirpath, f)).st_blocks * 512
            except OSError:
                pass
    return total


def default_size(tree: str) -> int:
    """Room for the tree and a third more, at least 512 MiB free, in whole 256 MiB."""
    used = _tree_size(tree)
    want = used + max(used // 3, 512 * MiB)
    step = 256 * MiB
    return (want + step - 1) // step * step


def make_disk(tree: str, raw: str, size: int, uuid: str) -> None:
    start = recipe.PARTITION_START * 512
    if size - start < _tree_size(tree) * 1.1:
        raise ImageError(f"--size {size // MiB}M is too small for the system "
                         f"({_tree_size(tree) // MiB} MiB)")
    with open(raw, "wb") as f:
        f.truncate(size)
    subprocess.run(["sfdisk", "--quiet", raw], check=True, capture_output=True, text=True,
                   input=f"label: dos\nstart={recipe.PARTITION_START}, type=83, bootable\n")
    # EXTLINUX reads ext4 without the 64bit feature only.
    _run(["mke2fs", "-q", "-F", "-t", "ext4", "-O", "^64bit", "-L", "vsys-root", "-U", uuid,
          "-E", f"offset={start}", "-d", tree, raw, f"{(size - start) // 1024}k"], "mke2fs")
    # EXTLINUX finds its own blocks through the mounted file system: mount it (a loop
    # device, released with the mount) under the tree, whose extlinux installs itself.
    script = ('set -e; mount -t proc proc "$3/proc"; mount --rbind /dev "$3/dev"; '
              'mount -o loop,offset="$1" "$2" "$3/mnt"; '
              'chroot "$3" extlinux --install /mnt/boot/extlinux || s=$?; '
              'umount "$3/mnt"; exit ${s:-0}')
    _run(["unshare", "--mount", "--propagation", "private", "--", "sh", "-c", script, "sh",
          str(start), raw, tree], "installing EXTLINUX")
    with open(os.path.join(tree, recipe.MBR), "rb") as f:
        mbr = f.read(440)              # the code, not the partition table after it
    with open(raw, "r+b") as f:
        f.write(mbr)


# --- the whole build -------------------------------------------------------------------------

def guest_packages(build) -> list[str]:
    """The base packages and the Debian packages the system's services run."""
    packages = set(recipe.BASE_PACKAGES)
    services = build.items[build.generation].entries["services"].entries
    for name, content in services.items():
        if name.endswith(".json"):
            spec = json.loads(content.data)
            if spec.get("host-milestone"):
                continue
            pkg = spec.get("start", {}).get("package")
            if pkg:
                packages.add(pkg)
    return sorted(packages)


def system_fingerprint(build) -> str:
    """What the guest system is, whichever file it was written in: its generation (built
    for the guest's store) without the copy of the config file and that file's name."""
    entries = dict(build.items[build.generation].entries)
    entries.pop("configuration.scm", None)
    manifest = json.loads(entries["manifest.json"].data)
    manifest.pop("configuration-file", None)
    entries["manifest.json"] = FileData(json.dumps(manifest, sort_keys=True).encode())
    return digest("system", DirData(entries))


def obtain(config: str, load_path: list[str], size: int | None, say: Callable[[str], None],
           what: str, select=None, guest_args: tuple[str, ...] = (),
           build_missing: bool = True, check=None) -> str | None:
    """The cached image of the system CONFIG evaluates to (SELECT picking it from that
    system, GUEST_ARGS telling the guest's build the same), built when missing (None
    then, unless BUILD_MISSING).  WHAT names it in the progress lines; CHECK, when
    given, sees the system's build first."""
    # Evaluated here first: a mistake in the config is reported before anything is built.
    build = evaluate_and_build(config, load_path, store=recipe.STORE_DIR,
                               command=list(recipe.COMMAND), select=select)
    if check is not None:
        check(build)
    with open(config, "rb") as f:
        config_text = f.read()
    packages = guest_packages(build)
    files = python_env.all_files()
    key = _hash("image", base_key(packages, recipe.apt_sources()), system_fingerprint(build),
                python_env.fingerprint(files), size)
    cached = os.path.join(cache_dir(), f"{key}.qcow2")
    if not build_missing and not os.path.exists(cached):
        return None
    steps = Steps(say)
    with _building(cached, say):
        if os.path.exists(cached):
            say(f"image of {what}: cached ({cached})")
        else:
            check_host()
            say(f"building the image of {what}")
            _build(config_text, packages, size, cached, files, steps, say, guest_args)
            say(f"built {cached} in {time.monotonic() - steps.started:.1f} s")
    return cached


def build_image(config: str, output: str | None, size_text: str | None,
                load_path: list[str], say: Callable[[str], None]) -> str:
    """Build (or reuse) the image of CONFIG; copy it to OUTPUT when given.  Returns the
    image's path."""
    check_host()
    size = parse_size(size_text) if size_text else None
    cached = obtain(config, load_path, size, say, config)
    if output:
        _copy(cached, output)
        return os.path.abspath(output)
    return cached


@contextlib.contextmanager
def _building(path: str, say):
    """One build of PATH at a time: a second `vsys image` of the same inputs waits for
    the first, then finds the image cached."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd = os.open(path + ".lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            say(f"waiting for another build of {os.path.basename(path)} to finish")
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _build(config_text: bytes, packages: list[str], size: int | None, cached: str,
           files: dict[str, str], steps: Steps, say, guest_args: tuple[str, ...]) -> None:
    tarball = base_tarball(packages, steps, say)
    work = tempfile.mkdtemp(prefix="build-", dir=cache_dir())
    try:
        tree = os.path.join(work, "tree")
        os.mkdir(tree)
        steps.begin("tree", "unpacking the base, installing vsys")
        _run(["tar", "-C", tree, "--numeric-owner", "-xpf", tarball], "unpacking the base")
        install_vsys(tree, files)
        steps.end()
        uuid = str(_uuid.uuid4())
        steps.begin("system", "building and activating the system inside the image")
        make_system(tree, config_text, uuid, say, guest_args)
        steps.end()
        size = size or default_size(tree)
        steps.begin("disk", f"{size // MiB} MiB: partition, ext4, EXTLINUX, qcow2")
        raw = os.path.join(work, "disk.raw")
        make_disk(tree, raw, size, uuid)
        remove_tree(tree)       # its store's items are immutable (see vsys.immutable)
        tmp = os.path.join(work, "disk.qcow2")
        _run(["qemu-img", "convert", "-f", "raw", "-O", "qcow2", raw, tmp], "qemu-img convert")
        os.chmod(tmp, 0o644)
        os.replace(tmp, cached)
        steps.end()
    finally:
        try:
            remove_tree(work)
        except OSError:
            pass


def _copy(src: str, dest: str) -> None:
    """DEST becomes a copy of SRC (a VM may write to it: never the cached file itself),
    replaced in one rename, so it is never half-written."""
    dest = os.path.abspath(dest)
    directory = os.path.dirname(dest)
    os.makedirs(directory, exist_ok=True)
    tmp = os.path.join(directory, f".{os.path.basename(dest)}.tmp{os.getpid()}")
    try:
        _run(["cp", "--reflink=auto", "--sparse=always", src, tmp], f"copying to {dest}")
        os.chmod(tmp, 0o644)
        os.replace(tmp, dest)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def main(config: str, output: str | None, size: str | None, load_path: list[str],
         debug: bool) -> int:

    def say(text: str) -> None:
        sys.stderr.write(text + "\n")
        sys.stderr.flush()

    def run() -> int:
        try:
            path = build_image(config, output, size, load_path, say)
        except ImageError as e:
            sys.stderr.write(f"vsys image: {e}\n")
            return 1
        sys.stdout.write(path + "\n")
        return 0
    return report_errors(run, config, debug)
