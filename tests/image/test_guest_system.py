"""The guest side of a vsys image: the secret service that receives the host's secrets,
and the shipped guest system `herd start` suggests for a missing image."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

from support.cli import VSYS, run_vsys

from vsys.guest_systems import guest_config
from vsys.shepherd.secrets import send_secrets


def build(tmp_path, text: str | None = None, path: str | None = None):
    if path is None:
        path = str(tmp_path / "guest.scm")
        with open(path, "w") as f:
            f.write(text)
    env = dict(os.environ, VSYS_STATE_DIR=str(tmp_path / "state"))
    return run_vsys("build", path, env=env, timeout=120)


def spec(generation: str, name: str) -> dict:
    with open(os.path.join(generation, "services", name + ".json")) as f:
        return json.load(f)


def test_the_shipped_guest_receives_secrets_before_sshd_and_runs_the_agent(tmp_path):
    r = build(tmp_path, path=guest_config())
    assert r.returncode == 0, r.stderr
    gen = r.stdout.strip()
    secret = spec(gen, "secret-service")
    assert secret["one-shot"] is True and secret["requirement"] == ["networking"]
    assert secret["start"]["argv"] == [sys.executable, "-m", "vsys", "secret-service",
                                       "receive", "--port", "1004", "--root", "/",
                                       "--address", "0.0.0.0", "--timeout", "55"]
    # Every service of the system waits for the secrets, sshd first of all; the host's
    # milestones do not.
    assert spec(gen, "ssh-daemon")["requirement"] == ["syslogd", "loopback", "secret-service"]
    assert spec(gen, "qemu-guest-agent")["requirement"] == ["user-processes", "udev",
                                                           "secret-service"]
    assert "secret-service" not in spec(gen, "networking").get("requirement", [])
    with open(os.path.join(gen, "services", "secret-service.run")) as f:
        assert "secret-service receive --port 1004 --root / --address 0.0.0.0" in f.read()


def test_without_the_secret_service_nothing_waits_for_it(tmp_path):
    text = open(guest_config()).read().replace("(service secret-service-type 1004)", "")
    r = build(tmp_path, text)
    assert r.returncode == 0, r.stderr
    gen = r.stdout.strip()
    assert not os.path.exists(os.path.join(gen, "services", "secret-service.json"))
    assert spec(gen, "ssh-daemon")["requirement"] == ["syslogd", "loopback"]


def test_a_port_that_is_not_one_is_a_located_error(tmp_path):
    text = open(guest_config()).read().replace("(service secret-service-type 1004)",
                                               "(service secret-service-type 70000)")
    r = build(tmp_path, text)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "secret-service-type: wrong type argument in position 1 (expecting a port " \
           "number (1 to 65535)): 70000" in r.stderr
    assert r.stderr.startswith(str(tmp_path / "guest.scm") + ":")


def test_the_receiver_listens_on_the_address_it_is_given(tmp_path):
    """In a VM, QEMU forwards to the guest's network address: the receiver listens on
    0.0.0.0 there, and the host's sender reaches it."""
    secrets = tmp_path / "secrets" / "etc" / "ssh"
    secrets.mkdir(parents=True)
    (secrets / "ssh_host_ed25519_key").write_text("KEY\n")
    os.chmod(secrets / "ssh_host_ed25519_key", 0o600)
    guest = tmp_path / "guest"
    proc = subprocess.Popen([*VSYS, "secret-service", "receive", "--port", "0", "--root",
                             str(guest), "--address", "0.0.0.0", "--timeout", "30"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stderr.readline()
    assert line.startswith("secret-service: listening on 0.0.0.0:")
    port = int(line.rsplit(":", 1)[1])
    sent = []
    t = threading.Thread(target=lambda: sent.append(
        send_secrets(port, str(tmp_path / "secrets"), handshake_timeout=20, tries=20)))
    t.start()
    out, err = proc.communicate(timeout=30)
    t.join(30)
    assert proc.returncode == 0, err
    assert sent == [1]
    assert out == f"installed {guest}/etc/ssh/ssh_host_ed25519_key\n"
    assert (guest / "etc/ssh/ssh_host_ed25519_key").read_text() == "KEY\n"
    assert os.stat(guest / "etc/ssh/ssh_host_ed25519_key").st_mode & 0o777 == 0o600
