"""What the container's file system is: bubblewrap's arguments for a root.

The container's / is an empty tmpfs on which bubblewrap places, in this order:
- the host's programs, read-only: /usr, and /bin, /sbin, /lib* (links into /usr on a
  merged-/usr host, read-only binds otherwise);
- the root's own directories, writable: /etc /var /run /home /root /srv /tmp;
- a few files of the host's /etc that Debian's programs need and that a generation does
  not make (the dynamic linker's cache, PAM's stacks, certificates...), read-only, each
  only where the root has no file of that name (nor a link on the way to it);
- /proc (the container's PID namespace), /sys read-only but for the control groups
  (libvirt makes one per VM), a fresh /dev with the nodes the
  services use (null, zero, full, random, urandom, tty, ptmx and pts, shm; kvm and
  net/tun bound from the host when it has them);
- the state directory, the root itself and the Python vsys runs from, at their own
  paths (a sandbox's binfmt entries, say, are the same files inside and out).
"""

from __future__ import annotations

import os
import sys

from .. import state
from . import ContainerError

OWN = ("etc", "var", "run", "home", "root", "srv", "tmp")
PROGRAMS = ("bin", "sbin", "lib", "lib32", "lib64", "libx32")
# Files of the host's /etc that Debian's programs read and no generation writes.
HOST_ETC = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "alternatives", "pam.d",
            "pam.conf", "security", "login.defs", "ssl", "ca-certificates",
            "ca-certificates.conf", "nsswitch.conf", "services", "protocols", "ethertypes",
            "rpc", "gai.conf", "host.conf", "mime.types", "profile", "bash.bashrc",
            "environment", "default", "inputrc", "terminfo", "ssh/moduli", "ssh/ssh_config",
            "ssh/ssh_config.d", "dbus-1", "polkit-1", "libnl-3", "sgml", "xml",
            "ganeti/lib", "ganeti/share", "ganeti/kvm-ifup-os", "ganeti/xen-ifup-os")
DEVICES = ("/dev/kvm", "/dev/net/tun")


def prepare(root: str) -> None:
    """Make the root's own directories the container mounts (a root may have only the
    files activation wrote)."""
    for name in OWN:
        path = os.path.join(root, name)
        if os.path.islink(path) or (os.path.lexists(path) and not os.path.isdir(path)):
            # A link would bind (and chmod) whatever it leads to on the host.
            raise ContainerError(f"{path} is not a directory of the root's own (a link or "
                                 f"a file): the container mounts it as /{name}, so it must "
                                 f"be one")
        os.makedirs(path, exist_ok=True)
    link_var_run(root)
    os.chmod(os.path.join(root, "tmp"), 0o1777)
    # /var/tmp as every system has it: QEMU puts a -snapshot disk's overlay there.
    var_tmp = os.path.join(root, "var", "tmp")
    if not os.path.lexists(var_tmp):
        os.mkdir(var_tmp)
        os.chmod(var_tmp, 0o1777)
    # The state directory is reached through /root when it is under it (root's
    # ~/.local/state/vsys): the users of the system must pass to read /etc's links.
    under_root = state.state_dir().startswith("/root/")
    os.chmod(os.path.join(root, "root"), 0o711 if under_root else 0o700)


def link_var_run(root: str) -> None:
    """/var/run is /run (and /var/lock /run/lock), as on Debian and Guix, unless the
    root already has its own.
    Made before activation creates anything under /var/run (libvirt's socket directory,
    Ganeti's run directories), or the root would get a /var/run of its own apart from
    /run, and a client looking for the system bus under /var/run would not find it."""
    for name in ("var", "run"):
        os.makedirs(os.path.join(root, name), exist_ok=True)
    if not os.path.lexists(os.path.join(root, "var", "run")):
        os.symlink("../run", os.path.join(root, "var", "run"))
    # /var/lock is /run/lock, where anyone may take a lock (Ganeti takes its there).
    if not os.path.lexists(os.path.join(root, "var", "lock")):
        lock = os.path.join(root, "run", "lock")
        os.makedirs(lock, exist_ok=True)
        os.chmod(lock, 0o1777)
        os.symlink("../run/lock", os.path.join(root, "var", "lock"))


def runtime_dirs() -> list[str]:
    """The directories the vsys program itself lives in (its Python, its package)."""
    here = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    dirs = []
    for path in (sys.prefix, sys.base_prefix, here,
                 os.path.dirname(os.path.dirname(os.path.realpath(sys.executable)))):
        path = os.path.realpath(path)
        if path.startswith("/usr/") or path == "/usr":
            continue
        if not any(path == d or path.startswith(d + "/") for d in dirs):
            dirs = [d for d in dirs if not d.startswith(path + "/")] + [path]
    return dirs


def bwrap_args(root: str, hostname: str, share_net: bool, userns: bool
               ) -> tuple[list[str], list[str]]:
    """The arguments, and the paths in the root that bubblewrap will make as mount points
    (for `tidy` to take away once the container is gone)."""
    args = ["--unshare-pid", "--unshare-ipc", "--unshare-uts"]
    if not share_net:
        args.append("--unshare-net")
    if userns:
        args += ["--unshare-user", "--uid", "0", "--gid", "0"]
    args += ["--hostname", hostname, "--ro-bind", "/usr", "/usr"]
    for name in PROGRAMS:
        host = "/" + name
        if os.path.islink(host):
            args += ["--symlink", os.readlink(host), host]
        elif os.path.isdir(host):
            args += ["--ro-bind", host, host]
    for name in OWN:
        args += ["--bind", os.path.join(root, name), "/" + name]
    for name in HOST_ETC:
        host = os.path.join("/etc", name)
        mine = os.path.join(root, "etc", name)
        if os.path.exists(host) and not os.path.lexists(mine) and \
                os.path.realpath(os.path.dirname(mine)) == os.path.dirname(mine):
            # A link (Ganeti's version links) is made as a link; the rest are bound.
            args += ["--symlink", os.readlink(host), host] if os.path.islink(host) else \
                ["--ro-bind", host, host]
    args += ["--proc", "/proc", "--ro-bind", "/sys", "/sys", "--dev", "/dev"]
    if os.path.isdir("/sys/fs/cgroup"):
        # The control groups writable: libvirt puts each VM in a group of its own (under
        # machine/), as it does on the host, and cannot start one without.
        args += ["--bind", "/sys/fs/cgroup", "/sys/fs/cgroup"]
    for dev in DEVICES:
        if os.path.exists(dev):
            args += ["--dev-bind", dev, dev]
    store = state.state_dir()
    binds = [("--bind", store)]
    if not (root == store or root.startswith(store + "/")):
        binds.append(("--bind", root))
    binds += [("--ro-bind", path) for path in runtime_dirs()
              if not (path == store or path.startswith(store + "/"))]
    # Their parents on the container's own / are searchable by all, like the host's
    # (bubblewrap would make them owner-only): users of the system read the store.
    parents: list[str] = []
    for _, path in binds:
        parts = path.strip("/").split("/")
        if parts[0] not in OWN:
            for k in range(1, len(parts)):
                parent = "/" + "/".join(parts[:k])
                if parent not in parents:
                    parents.append(parent)
    for parent in parents:
        args += ["--perms", "0755", "--dir", parent]
    for kind, path in binds:
        args += [kind, path, path]
    made = []
    for k, word in enumerate(args):
        if word in ("--bind", "--ro-bind", "--symlink") and k + 2 < len(args):
            target = args[k + 2]
            top = target.split("/")[1] if target.startswith("/") else ""
            if top in OWN and target.count("/") > 1:
                first = _first_missing(root, target)
                if first and first not in made:
                    made.append(first)
    return args + ["--chdir", "/"], made


def _first_missing(root: str, target: str) -> str | None:
    """The first component of TARGET missing under ROOT; its parents, and it when it is
    not the mount point itself, are made searchable by all (bubblewrap would make them
    owner-only, and users of the system read the store through them)."""
    path, first = root, None
    parts = target.strip("/").split("/")
    for k, part in enumerate(parts):
        path = os.path.join(path, part)
        if not os.path.lexists(path):
            first = first or path
            if k < len(parts) - 1:
                os.mkdir(path, 0o755)
        elif os.path.islink(path) and k < len(parts) - 1:
            raise ContainerError(f"{path} is a link, where the container needs a mount "
                                 f"point for {target}: remove it")
    return first


def tidy(made: list[str]) -> None:
    """Take away the mount points bubblewrap made in a root, once no container uses them:
    links, empty files and directories holding only such things; anything with content
    is left alone."""
    def remove(path: str) -> bool:
        try:
            if os.path.islink(path) or (os.path.isfile(path) and os.path.getsize(path) == 0):
                os.unlink(path)
                return True
            if os.path.isdir(path):
                if all([remove(os.path.join(path, n)) for n in os.listdir(path)]):
                    os.rmdir(path)
                    return True
        except OSError:
            pass
        return not os.path.lexists(path)
    for path in made:
        remove(path)


def host_path(container_root: str | None, path: str) -> str:
    """PATH of a contained service as the host names it: under CONTAINER_ROOT when it is
    in one of the root's own directories (/tmp, /var...), which the container mounts."""
    if container_root and path.lstrip("/").split("/", 1)[0] in OWN:
        return os.path.join(container_root, path.lstrip("/"))
    return path
