"""`vsys secret-service receive` on a host where others log in: its help says it is
meant for a guest, it refuses setuid and setgid files unless asked, binds only where
told, and never writes through a link planted in its root."""

from __future__ import annotations

import os
import stat
import subprocess

from support.cli import VSYS
from test_secrets import make_tree


def receive(sandbox, port: int, dest: str, *options) -> subprocess.Popen:
    return subprocess.Popen([*VSYS, "secret-service", "receive",
                             "--port", str(port), "--root", dest, "--timeout", "60", *options],
                            env=sandbox.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def exchange(sandbox, free_port, src: str, dest: str, *options):
    port = free_port()
    receiver = receive(sandbox, port, dest, *options)
    try:
        assert receiver.stderr.readline().startswith("secret-service: listening on ")
        sandbox.vsys("secret-service", "send", "--port", str(port), "--root", src,
                     "--handshake-timeout", "10", "--tries", "5")
        out, err = receiver.communicate(timeout=30)
    finally:
        receiver.kill()
        receiver.wait()
    return receiver.returncode, out, err


def test_help_says_it_is_meant_for_a_guest(sandbox):
    done = sandbox.vsys("secret-service", "--help")
    assert done.returncode == 0
    assert ("`receive` is meant for a freshly booted guest: it accepts the first "
            "connection to A:P (127.0.0.1 unless told; any local user can connect)") \
        in " ".join(done.stdout.split())


def test_a_setuid_file_is_refused_unless_allowed(sandbox, free_port):
    src = os.path.join(sandbox.base, "secrets")
    make_tree(src)
    os.chmod(os.path.join(src, "usr/local/bin/hook"), 0o4755)
    dest = os.path.join(sandbox.base, "guest")
    code, out, err = exchange(sandbox, free_port, src, dest)
    assert code == 1 and out == ""
    assert err == ("vsys secret-service: refusing /usr/local/bin/hook: mode 104755 has "
                   "setuid or setgid bits (--allow-setuid installs them)\n")
    assert not os.path.exists(dest) or os.listdir(dest) == []
    code, out, err = exchange(sandbox, free_port, src, os.path.join(sandbox.base, "g2"),
                              "--allow-setuid")
    assert code == 0, err
    hook = os.path.join(sandbox.base, "g2/usr/local/bin/hook")
    assert stat.S_IMODE(os.stat(hook).st_mode) == 0o4755


def test_it_binds_where_told(sandbox, free_port):
    port = free_port()
    receiver = receive(sandbox, port, os.path.join(sandbox.base, "g"), "--address", "127.0.0.2")
    try:
        assert receiver.stderr.readline() == f"secret-service: listening on 127.0.0.2:{port}\n"
        with open("/proc/net/tcp") as f:
            listening = [ln.split()[1] for ln in f.readlines()[1:] if ln.split()[3] == "0A"]
        assert f"0200007F:{port:04X}" in listening and f"0100007F:{port:04X}" not in listening
    finally:
        receiver.kill()
        receiver.wait()


def test_a_link_planted_in_the_root_is_not_followed(sandbox, free_port):
    src = os.path.join(sandbox.base, "secrets")
    make_tree(src)
    dest = os.path.join(sandbox.base, "guest")
    victim = os.path.join(sandbox.base, "victim")
    os.makedirs(victim)
    os.makedirs(dest)
    os.symlink(victim, os.path.join(dest, "etc"))
    code, out, err = exchange(sandbox, free_port, src, dest)
    assert code == 1 and err.startswith("vsys secret-service: ") and \
        "leads out of the root" in err and "Traceback" not in err
    assert os.listdir(victim) == []
