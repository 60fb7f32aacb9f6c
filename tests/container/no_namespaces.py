"""Run a command as an unprivileged user on a host that allows no user namespaces:
`python no_namespaces.py COMMAND ARGS...`.

The host of the tests allows them, and the test must not change the host's sysctls; so
this makes a user namespace of its own (as root may), maps the host's ids into it
unchanged, sets its user.max_user_namespaces to 0 (which bounds every namespace made
below it), and runs COMMAND there as `nobody`: to COMMAND, the host is one where an
ordinary user may make no namespace at all.  unshare(2) is called through libc because
util-linux's unshare can map a range of ids only through newuidmap and /etc/subuid."""

from __future__ import annotations

import ctypes
import os
import sys
import time

CLONE_NEWUSER = 0x10000000


def main(argv: list[str]) -> int:
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(w)
        if ctypes.CDLL(None, use_errno=True).unshare(CLONE_NEWUSER) != 0:
            os._exit(99)
        os.read(r, 1)                   # until the parent has mapped the ids
        with open("/proc/sys/user/max_user_namespaces", "w") as f:
            f.write("0")
        os.execvp("setpriv", ["setpriv", "--reuid=65534", "--regid=65534",
                              "--clear-groups", "--", *argv])
    os.close(r)
    mine = os.readlink("/proc/self/ns/user")
    for _ in range(5000):
        if os.readlink(f"/proc/{pid}/ns/user") != mine:
            break
        time.sleep(0.001)
    for name in ("uid_map", "gid_map"):
        with open(f"/proc/{pid}/{name}", "w") as f:
            f.write("0 0 65536\n")
    os.write(w, b"x")
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
