"""sshd of a config runs in the root's container, on port 22 of the container's own
address: the host sees the key vsys generated in the sandbox, alice logs in with the key
the config authorises, and the host's own accounts and keys are untouched."""

from __future__ import annotations

import os
import subprocess
import threading

import pytest
from hostprograms import need_program
from support.containerbox import Box, file_hash, keyscan, public_key

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def programs():
    need_program("bwrap", "bubblewrap")
    need_program("tini", "tini")
    need_program("sshd", "openssh-server")
    need_program("ssh-keyscan", "openssh-client")


def test_sshd_serves_the_sandbox_key_and_alice_logs_in_with_hers(box):
    passwd, group = file_hash("/etc/passwd"), file_hash("/etc/group")
    config, key = box.ssh_config()
    out = box.reconfigure(config).stdout
    address = box.address()
    assert address.startswith("10.199.")
    record = box.record()
    assert (f"container: sshbox runs in its own namespaces, address {address} on eth0 "
            f"(host side {record['network']['host-address']} on "
            f"{record['network']['host-interface']})\n") in out
    assert f"container: enter it with `vsys exec --root {box.root} -- bash`" in out
    box.wait_running("ssh-daemon")

    sandbox_key = public_key(os.path.join(box.root, "etc/ssh/ssh_host_ed25519_key.pub"))
    assert keyscan(address) == sandbox_key
    if os.path.exists("/etc/ssh/ssh_host_ed25519_key.pub"):
        assert public_key("/etc/ssh/ssh_host_ed25519_key.pub") != sandbox_key

    login = subprocess.run(
        ["ssh", "-i", key, "-p", "22", "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes",
         "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
         "-o", "ConnectTimeout=20", f"alice@{address}", "id -un; hostname; pwd"],
        capture_output=True, text=True, timeout=60)
    assert login.returncode == 0, login.stderr
    assert login.stdout == "alice\nsshbox\n/home/alice\n"

    # A key the config does not authorise is refused.
    other = os.path.join(box.base, "other")
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other], check=True)
    refused = subprocess.run(
        ["ssh", "-i", other, "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes",
         "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
         f"alice@{address}", "true"], capture_output=True, text=True, timeout=60)
    assert refused.returncode == 255 and "Permission denied" in refused.stderr

    assert box.exec("hostname").stdout == "sshbox\n"
    assert box.exec("id", "alice").stdout == "uid=1000(alice) gid=100(users) groups=100(users)\n"
    assert (file_hash("/etc/passwd"), file_hash("/etc/group")) == (passwd, group)


def test_two_state_directories_each_run_sshd_on_port_22_at_once(box):
    other = Box()
    try:
        configs = [b.ssh_config()[0] for b in (box, other)]
        results: dict = {}

        def reconfigure(b, config):
            results[b] = b.reconfigure(config)
        threads = [threading.Thread(target=reconfigure, args=pair)
                   for pair in zip((box, other), configs)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for b in (box, other):
            assert "supervisor: started for this root" in results[b].stdout
            b.wait_running("ssh-daemon")
        first, second = box.address(), other.address()
        assert first != second
        assert keyscan(first) == public_key(os.path.join(box.root,
                                                         "etc/ssh/ssh_host_ed25519_key.pub"))
        assert keyscan(second) == public_key(os.path.join(other.root,
                                                          "etc/ssh/ssh_host_ed25519_key.pub"))
        assert keyscan(first) != keyscan(second)
        for b in (box, other):
            assert b.exec("sh", "-c", "ss -ltnH 'sport = :22' | wc -l").stdout.strip() != "0"
    finally:
        other.cleanup()
