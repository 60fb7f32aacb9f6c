"""The generated files against the real programs that read them: OpenSSH's sshd accepts
the sshd_config, GNU mcron schedules the jobs file, and the keys ssh-keygen makes at
activation survive later reconfigures unchanged."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
import subprocess

import pytest
from hostprograms import need_program
from support.paths import EXAMPLES
from support.world import World, read

NODE = os.path.join(EXAMPLES, "ganeti-node.scm")


def generation_of(w: World, config: str) -> str:
    return w.vsys("build", config).stdout.strip()


def test_sshd_accepts_the_generated_sshd_config(tmp_path):
    sshd = need_program("sshd", "openssh-server")
    keygen = need_program("ssh-keygen", "openssh-client")
    w = World(tmp_path, in_process=True)
    config = w.config("ssh.scm", """\
        (use-modules (gnu))
        (use-service-modules ssh)
        (operating-system
          (host-name "h")
          (services (list (service openssh-service-type
                            (openssh-configuration
                              (port-number 2222)
                              (permit-root-login 'prohibit-password)
                              (password-authentication? #f)
                              (accepted-environment '("LANG" "LC_*"))
                              (authorized-keys
                               `(("alice" ,(plain-file "alice.pub"
                                                       "ssh-ed25519 AAAAC3Nza alice@h"))))
                              (extra-content "ClientAliveInterval 30\\n"))))))
        """)
    for source in (config, NODE):
        gen = generation_of(w, source)
        with open(os.path.join(gen, "services", "ssh-daemon.json")) as f:
            argv = json.load(f)["start"]["argv"]
        assert argv[1:3] == ["-D", "-f"]
        key = tmp_path / f"host_key_{len(os.listdir(tmp_path))}"
        subprocess.run([keygen, "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
        # sshd -t insists on its privilege separation directory, /run/sshd: give it one
        # in a private mount namespace rather than on the host.
        check = f"{sshd} -t -f {argv[3]} -h {key}"
        if shutil.which("unshare") and subprocess.run(
                ["unshare", "-m", "true"], capture_output=True).returncode == 0:
            command = ["unshare", "-m", "sh", "-c",
                       f"mount -t tmpfs none /run && mkdir /run/sshd && {check}"]
        elif os.path.isdir("/run/sshd"):
            command = ["sh", "-c", check]
        else:
            pytest.skip("sshd -t needs /run/sshd, and no mount namespace can provide it")
        done = subprocess.run(command, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        # /etc/ssh/sshd_config is the very file the runner gives sshd.
        assert os.path.realpath(os.path.join(gen, "etc/ssh/sshd_config")) == argv[3]
    gen = generation_of(w, config)
    text = read(os.path.join(gen, "etc/ssh/sshd_config"))
    assert "Port 2222\n" in text and "PasswordAuthentication no\n" in text
    assert read(os.path.join(gen, "etc/ssh/authorized_keys.d/alice")) == \
        "ssh-ed25519 AAAAC3Nza alice@h\n"


def test_mcron_lists_the_watcher_every_five_minutes_at_second_one(tmp_path):
    mcron = need_program("mcron", "mcron")
    w = World(tmp_path, in_process=True)
    gen = generation_of(w, NODE)
    jobs = os.path.join(gen, "mcron", "jobs.scm")
    with open(os.path.join(gen, "services", "mcron.json")) as f:
        assert json.load(f)["start"]["jobs"] == [os.path.realpath(jobs)]
    # Five runs: the two daily cleaners can be among them (01:45 and 02:45), so each run's
    # time is paired with the job that follows it and only the watcher's are checked.
    done = subprocess.run([mcron, "--schedule=5", jobs], capture_output=True, text=True,
                          timeout=60, env=dict(w.env, HOME=str(tmp_path)))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    stamp = re.compile(r"\w{3} \w{3} +\d+ \d\d:\d\d:\d\d \d{4} .*")
    runs = [(ln, lines[i + 1]) for i, ln in enumerate(lines[:-1]) if stamp.fullmatch(ln)]
    assert len(runs) == 5
    watcher = [when for when, job in runs if job == "ganeti-watcher"]
    assert len(watcher) >= 3, runs
    for when in watcher:
        minute, second = when.split()[3].split(":")[1:]
        assert int(minute) % 5 == 0 and second == "01", when
    assert {job for _, job in runs} <= {"ganeti-watcher", "ganeti master cleaner",
                                        "ganeti node cleaner"}


def _digests(root: str) -> dict[str, tuple[str, int]]:
    out = {}
    for dirpath, _, files in os.walk(root):
        for name in files:
            path = os.path.join(dirpath, name)
            with open(path, "rb") as f:
                out[os.path.relpath(path, root)] = (hashlib.sha256(f.read()).hexdigest(),
                                                    stat.S_IMODE(os.stat(path).st_mode))
    return out


def test_keys_are_made_once_and_survive_reconfigures(tmp_path):
    need_program("ssh-keygen", "openssh-client")
    w = World(tmp_path, in_process=True)
    w.reconfigure(os.path.join(EXAMPLES, "build-vm.scm"), "--no-supervisor")
    secret = w.path("etc/guix/virtual-build-machines/build-vm")
    offload = w.path("etc/guix/offload/ssh/virtual-build-machine/build-vm")
    assert stat.S_IMODE(os.stat(offload).st_mode) == 0o600
    assert read(offload + ".pub").startswith("ssh-ed25519 ")
    for kind in ("rsa", "ecdsa", "ed25519"):
        key = f"{secret}/etc/ssh/ssh_host_{kind}_key"
        assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
        assert subprocess.run(["ssh-keygen", "-l", "-f", key], capture_output=True).returncode == 0
    authorized = read(f"{secret}/etc/ssh/authorized_keys.d/offloading")
    assert authorized == read(offload + ".pub")
    assert stat.S_IMODE(os.stat(f"{secret}/etc/ssh/authorized_keys.d").st_mode) == 0o555
    public = read(f"{secret}/etc/guix/signing-key.pub")
    assert re.fullmatch(r"\(public-key \n \(ecc \n  \(curve Ed25519\)\n  \(q #[0-9A-F]{64}#\)"
                        r"\n  \)\n \)\n", public)
    assert stat.S_IMODE(os.stat(f"{secret}/etc/guix/signing-key.sec").st_mode) == 0o600
    acl = read(w.path("etc/guix/acl"))
    assert acl.startswith("(acl\n") and public.strip() in acl
    keys = _digests(w.path("etc/guix"))

    # Activate again, with a different system (so activation runs), twice.
    for host in ("again", "and-again"):
        text = read(os.path.join(EXAMPLES, "build-vm.scm")).replace(
            '(host-name "', f'(host-name "{host}-', 1)
        out = w.reconfigure(w.config(f"{host}.scm", text), "--no-supervisor").stdout
        assert "secrets to create" not in out
        assert _digests(w.path("etc/guix")) == keys
